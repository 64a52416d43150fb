//! The validated configuration of an `analyze` run.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::classify::EngineKind;
use crate::ingest::Format;

/// Where statements go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutTarget {
    /// A directory receiving statements.csv, errors.csv and run.json.
    Dir(PathBuf),
    /// Statements CSV on standard output (header once); errors are reported on stderr.
    Stdout,
}

/// One shard of N: documents whose `doc_id` hashes to `index` (0-based) are analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, `0..count`.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ConfigError::Shard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether this shard owns the document with this id (FNV-1a, stable across platforms
    /// and releases, so a job array splits the same way every time).
    pub fn owns(&self, doc_id: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in doc_id.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % u64::from(self.count) == u64::from(self.index)
    }
}

/// Everything an `analyze` run needs. Build it with [`AnalyzeConfig::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeConfig {
    /// Files or directories (walked recursively, sorted); `-` is JSONL on stdin.
    pub inputs: Vec<PathBuf>,
    /// Output directory or stdout.
    pub out: OutTarget,
    /// Input format (default: by extension).
    pub format: Format,
    /// Worker threads for every stage (default: all cores).
    pub threads: usize,
    /// Model directory; `None` skips the classifier (stance columns stay empty).
    pub model: Option<PathBuf>,
    /// Inference engine (default onnx).
    pub engine: EngineKind,
    /// Inputs per model batch (default 32; an int8 ONNX model always runs one at a time).
    pub batch_size: usize,
    /// Documents read and processed together; bounds memory (default 256).
    pub docs_per_chunk: usize,
    /// Actor registry (TOML); `None` uses the built-in one.
    pub actors: Option<PathBuf>,
    /// Skip the speaker stage (speaker columns stay empty).
    pub no_speakers: bool,
    /// Analyse only one shard of the corpus.
    pub shard: Option<Shard>,
    /// Continue an interrupted run in the same output directory.
    pub resume: bool,
    /// Prefix cells that start with `=`, `+`, `-`, `@` so spreadsheets do not run them.
    pub safe_csv: bool,
}

impl Default for AnalyzeConfig {
    fn default() -> Self {
        AnalyzeConfig {
            inputs: Vec::new(),
            out: OutTarget::Dir(PathBuf::from("out")),
            format: Format::Auto,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            model: Some(crate::classify::default_model_dir()),
            engine: EngineKind::Onnx,
            batch_size: 32,
            docs_per_chunk: 256,
            actors: None,
            no_speakers: false,
            shard: None,
            resume: false,
            safe_csv: false,
        }
    }
}

/// An invalid configuration.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No input paths.
    #[error("no input given: pass at least one file or directory, or - for stdin")]
    NoInputs,
    /// Zero threads, batch size or chunk size.
    #[error("--{0} must be at least 1")]
    Zero(&'static str),
    /// A bad `--shard`.
    #[error("invalid shard {0:?}: expected K/N with 0 <= K < N (e.g. 3/8)")]
    Shard(String),
    /// `--resume` needs an output directory.
    #[error("--resume needs --out DIR, not stdout")]
    ResumeStdout,
}

impl AnalyzeConfig {
    /// Checks the configuration once, before any stage is built.
    pub fn validate(self) -> Result<Self, ConfigError> {
        if self.inputs.is_empty() {
            return Err(ConfigError::NoInputs);
        }
        if self.threads == 0 {
            return Err(ConfigError::Zero("threads"));
        }
        if self.batch_size == 0 {
            return Err(ConfigError::Zero("batch-size"));
        }
        if self.docs_per_chunk == 0 {
            return Err(ConfigError::Zero("docs-per-chunk"));
        }
        if self.resume && self.out == OutTarget::Stdout {
            return Err(ConfigError::ResumeStdout);
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_partitions() {
        let shards: Vec<Shard> = (0..4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        for id in ["a.txt", "b.txt", "feed.jsonl:17", "outlet/2025/x.txt"] {
            assert_eq!(shards.iter().filter(|s| s.owns(id)).count(), 1, "{id}");
        }
        assert!("4/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn config_round_trips_through_toml() {
        let cfg = AnalyzeConfig {
            inputs: vec!["corpus".into()],
            threads: 3,
            shard: Some(Shard { index: 1, count: 2 }),
            ..AnalyzeConfig::default()
        };
        let text = toml::to_string(&cfg).unwrap();
        let back: AnalyzeConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, cfg);
    }

    #[test]
    fn validation_rejects_bad_values() {
        assert_eq!(
            AnalyzeConfig::default().validate(),
            Err(ConfigError::NoInputs)
        );
        let cfg = AnalyzeConfig {
            inputs: vec!["x".into()],
            threads: 0,
            ..Default::default()
        };
        assert_eq!(cfg.validate(), Err(ConfigError::Zero("threads")));
    }
}
