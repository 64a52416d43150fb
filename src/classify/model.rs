//! The model directory: config.json, tokenizer.json, model.onnx, model.safetensors,
//! MODEL.md and SHA256SUMS, checked at load.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::ClassifyError;

/// stancemap's own block of `config.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StanceConfig {
    /// What the model labels stance towards, in words.
    #[serde(default)]
    pub target: String,
    /// Output labels in logit order; stancemap needs favor, against, neutral, unrelated.
    pub labels: Vec<String>,
    /// Truncation length in tokens (default 128).
    #[serde(default = "default_max_length")]
    pub max_length: usize,
    /// Whether the previous sentence is fed as the second segment (default true).
    #[serde(default = "default_true")]
    pub pair_with_previous: bool,
    /// Whether the speaker stage's verdict is fed in front of the context (default false:
    /// models trained before it existed).
    #[serde(default)]
    pub speaker_in_input: bool,
    /// Temperature fitted on dev: probabilities are `softmax(logits / temperature)`.
    #[serde(default = "default_temperature")]
    pub temperature: f32,
    /// The precision of model.onnx: `fp32`, `int8-weights` (int8 storage, fp32 compute) or
    /// `int8` (dynamically quantised activations).
    #[serde(default)]
    pub onnx_precision: String,
}

fn default_max_length() -> usize {
    128
}
fn default_true() -> bool {
    true
}
fn default_temperature() -> f32 {
    1.0
}

#[derive(Debug, Deserialize)]
struct RawConfig {
    stancemap: StanceConfig,
}

/// A model directory whose files were checked against SHA256SUMS.
#[derive(Debug, Clone)]
pub struct ModelDir {
    /// The directory.
    pub path: PathBuf,
    /// stancemap's block of config.json.
    pub config: StanceConfig,
    /// `sha256sum` entries: file name → hex digest.
    pub checksums: BTreeMap<String, String>,
}

impl ModelDir {
    /// Reads config.json and SHA256SUMS and checks the files in `needed` against their digests.
    pub fn open(path: &Path, needed: &[&str]) -> Result<Self, ClassifyError> {
        if !path.is_dir() {
            return Err(ClassifyError::Model {
                path: path.display().to_string(),
                msg: "model directory not found (pass --model DIR, or --no-stance to skip the classifier)".into(),
            });
        }
        let sums_path = path.join("SHA256SUMS");
        let sums = fs::read_to_string(&sums_path).map_err(|e| ClassifyError::Model {
            path: sums_path.display().to_string(),
            msg: format!("cannot read checksum list: {e}"),
        })?;
        let mut checksums = BTreeMap::new();
        for (n, line) in sums.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(hash), Some(name)) = (parts.next(), parts.next()) else {
                return Err(ClassifyError::Model {
                    path: format!("{}:{}", sums_path.display(), n + 1),
                    msg: "expected `<sha256>  <file>`".into(),
                });
            };
            checksums.insert(
                name.trim_start_matches('*').to_string(),
                hash.to_ascii_lowercase(),
            );
        }
        for name in needed.iter().chain(std::iter::once(&"config.json")) {
            let expected = checksums.get(*name).ok_or_else(|| ClassifyError::Model {
                path: sums_path.display().to_string(),
                msg: format!("no checksum listed for {name}"),
            })?;
            let file = path.join(name);
            let actual = sha256_file(&file).map_err(|e| ClassifyError::Model {
                path: file.display().to_string(),
                msg: format!("{e} (expected sha256 {expected}; restore the file from the repository or re-run scripts/train)"),
            })?;
            if &actual != expected {
                return Err(ClassifyError::Model {
                    path: file.display().to_string(),
                    msg: format!("checksum mismatch: expected sha256 {expected}, found {actual}; the file is corrupt or truncated"),
                });
            }
        }
        let config_path = path.join("config.json");
        let text = fs::read_to_string(&config_path).map_err(|e| ClassifyError::Model {
            path: config_path.display().to_string(),
            msg: e.to_string(),
        })?;
        let raw: RawConfig = serde_json::from_str(&text).map_err(|e| ClassifyError::Model {
            path: config_path.display().to_string(),
            msg: format!("invalid config: {e}"),
        })?;
        let expected: Vec<String> = crate::record::Stance::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        if raw.stancemap.labels != expected {
            return Err(ClassifyError::Model {
                path: config_path.display().to_string(),
                msg: format!(
                    "labels {:?} are not the stance labels {:?} in that order",
                    raw.stancemap.labels, expected
                ),
            });
        }
        Ok(ModelDir {
            path: path.to_path_buf(),
            config: raw.stancemap,
            checksums,
        })
    }

    /// `<dir name>@<first 8 hex digits of the weights' sha256>`: the `model` column.
    pub fn identity(&self, weights_file: &str) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let digest = self
            .checksums
            .get(weights_file)
            .map(|h| &h[..h.len().min(8)])
            .unwrap_or("unknown");
        format!("{name}@{digest}")
    }
}

/// Hex sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The bundled default model, looked for next to the executable's repository checkout,
/// in the working directory, and in the source tree the binary was built from.
pub fn default_model_dir() -> PathBuf {
    find_in_repo(Path::new("models/stance-minilm"))
        .unwrap_or_else(|| PathBuf::from("models/stance-minilm"))
}

/// Finds `rel` under the working directory, the executable's ancestors, or the source tree.
pub fn find_in_repo(rel: &Path) -> Option<PathBuf> {
    let mut bases: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        bases.push(cwd);
    }
    if let Ok(exe) = std::env::current_exe() {
        bases.extend(exe.ancestors().skip(1).take(4).map(Path::to_path_buf));
    }
    bases.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    bases.into_iter().map(|b| b.join(rel)).find(|p| p.exists())
}
