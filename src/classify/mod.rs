//! Stance classification: statements → per-label probabilities.
//!
//! A [`StanceClassifier`] tokenises each statement with its previous sentence as context
//! (and, for models trained that way, its speaker),
//! sorts inputs by token length so that batches carry little padding, runs the batches in
//! parallel on an [`Engine`], and restores input order. Identical inputs (syndicated wire
//! copy) are classified once per run through a [`PredictionCache`].

mod encode;
mod model;
mod onnx;
#[cfg(feature = "rust-bert")]
mod rustbert;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use thiserror::Error;

pub use encode::{speaker_tag, Encoded, Encoder, Pair};
pub use model::{default_model_dir, find_in_repo, sha256_file, ModelDir, StanceConfig};
pub use onnx::{find_runtime, OnnxEngine};
#[cfg(feature = "rust-bert")]
pub use rustbert::RustBertEngine;

use crate::output::ClassifierStats;
use crate::record::Prediction;

/// Raw model outputs for one input, in `Stance::ALL` order.
pub type Logits = [f32; 4];

/// Errors of the classifier stage.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ClassifyError {
    /// A model file is missing, corrupt or invalid.
    #[error("{path}: {msg}")]
    Model {
        /// The file or directory.
        path: String,
        /// What is wrong.
        msg: String,
    },
    /// The inference runtime failed or is not installed.
    #[error("inference runtime: {0}")]
    Runtime(String),
    /// The tokenizer failed on an input.
    #[error("tokenizer: {0}")]
    Tokenize(String),
}

/// Which engine runs the model.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    serde::Serialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// ONNX Runtime (model.onnx).
    #[default]
    Onnx,
    /// rust-bert on libtorch (model.safetensors); needs the `rust-bert` cargo feature.
    RustBert,
}

impl EngineKind {
    /// The name used in run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Onnx => "onnx",
            EngineKind::RustBert => "rust-bert",
        }
    }
}

/// A padded batch, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Number of inputs.
    pub rows: usize,
    /// Padded length.
    pub cols: usize,
    /// Token ids, 0 in padding.
    pub ids: Vec<i64>,
    /// 1 for real tokens, 0 for padding.
    pub mask: Vec<i64>,
    /// Segment ids.
    pub type_ids: Vec<i64>,
}

impl Batch {
    /// Pads `inputs` to the longest of them.
    pub fn pad(inputs: &[&Encoded]) -> Batch {
        let rows = inputs.len();
        let cols = inputs.iter().map(|e| e.ids.len()).max().unwrap_or(0);
        let mut batch = Batch {
            rows,
            cols,
            ids: vec![0; rows * cols],
            mask: vec![0; rows * cols],
            type_ids: vec![0; rows * cols],
        };
        for (r, e) in inputs.iter().enumerate() {
            let at = r * cols;
            batch.ids[at..at + e.ids.len()].copy_from_slice(&e.ids);
            batch.type_ids[at..at + e.type_ids.len()].copy_from_slice(&e.type_ids);
            batch.mask[at..at + e.ids.len()].fill(1);
        }
        batch
    }
}

/// The engines, as a closed set.
pub enum Engine {
    /// ONNX Runtime.
    Onnx(OnnxEngine),
    /// rust-bert (boxed: its model is much larger than a handful of session handles).
    #[cfg(feature = "rust-bert")]
    RustBert(Box<RustBertEngine>),
}

impl Engine {
    /// Runs one batch.
    pub fn run(&self, batch: &Batch) -> Result<Vec<Logits>, ClassifyError> {
        match self {
            Engine::Onnx(e) => e.run(batch),
            #[cfg(feature = "rust-bert")]
            Engine::RustBert(e) => e.run(batch),
        }
    }
}

/// The classifier stage: model directory, tokenizer and engine.
pub struct StanceClassifier {
    encoder: Encoder,
    engine: Engine,
    kind: EngineKind,
    temperature: f32,
    batch_size: usize,
    identity: String,
    config: StanceConfig,
}

impl StanceClassifier {
    /// Loads the model directory for `kind`, checking its files' checksums.
    ///
    /// `workers` is the number of threads that will call the engine. With a dynamically
    /// quantised ONNX model (`onnx_precision = "int8"`) every input runs alone (batch size 1):
    /// dynamic quantisation scales activations by the whole batch's range, so batching would
    /// make a sentence's scores depend on its neighbours, and output would change with corpus
    /// order, sharding and caching. Weight-only int8 (`int8-weights`) and fp32 models compute
    /// in fp32 and are batched.
    pub fn load(
        dir: &Path,
        kind: EngineKind,
        workers: usize,
        batch_size: usize,
    ) -> Result<Self, ClassifyError> {
        let weights = match kind {
            EngineKind::Onnx => "model.onnx",
            EngineKind::RustBert => "model.safetensors",
        };
        let model = ModelDir::open(dir, &[weights, "tokenizer.json"])?;
        let encoder = Encoder::load(
            &dir.join("tokenizer.json"),
            model.config.max_length,
            model.config.pair_with_previous,
            model.config.speaker_in_input,
        )?;
        let engine = match kind {
            EngineKind::Onnx => Engine::Onnx(OnnxEngine::load(&dir.join(weights), workers)?),
            #[cfg(feature = "rust-bert")]
            EngineKind::RustBert => Engine::RustBert(Box::new(RustBertEngine::load(dir, workers)?)),
            #[cfg(not(feature = "rust-bert"))]
            EngineKind::RustBert => {
                return Err(ClassifyError::Runtime(
                    "this stancemap was built without the `rust-bert` feature; rebuild with `--features rust-bert` after `scripts/setup --rust-bert`".into(),
                ))
            }
        };
        let batch_size = if kind == EngineKind::Onnx && model.config.onnx_precision == "int8" {
            1
        } else {
            batch_size.max(1)
        };
        Ok(StanceClassifier {
            encoder,
            engine,
            kind,
            temperature: model.config.temperature,
            batch_size,
            identity: model.identity(weights),
            config: model.config,
        })
    }

    /// The `model` column value.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The model's config block.
    pub fn config(&self) -> &StanceConfig {
        &self.config
    }

    /// The batch size actually used.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The engine's kind.
    pub fn kind(&self) -> EngineKind {
        self.kind
    }

    /// Raw logits for `pairs`, in input order (no cache, no temperature).
    pub fn logits(
        &self,
        pairs: &[Pair],
        stats: &mut ClassifierStats,
    ) -> Result<Vec<Logits>, ClassifyError> {
        let encoded: Vec<Encoded> = pairs
            .par_iter()
            .map(|p| self.encoder.encode(p))
            .collect::<Result<_, _>>()?;
        // Longest first, ties by position, so batches are deterministic and padding small.
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(encoded[i].ids.len()), i));
        let batches: Vec<&[usize]> = order.chunks(self.batch_size).collect();
        let results: Vec<Vec<Logits>> = batches
            .par_iter()
            .map(|idx| {
                let refs: Vec<&Encoded> = idx.iter().map(|&i| &encoded[i]).collect();
                self.engine.run(&Batch::pad(&refs))
            })
            .collect::<Result<_, _>>()?;
        let mut out = vec![[0f32; 4]; encoded.len()];
        for (idx, logits) in batches.iter().zip(results) {
            let longest = idx.iter().map(|&i| encoded[i].ids.len()).max().unwrap_or(0);
            for (&i, l) in idx.iter().zip(logits) {
                out[i] = l;
                stats.tokens += encoded[i].ids.len();
                stats.padded_tokens += longest;
            }
        }
        Ok(out)
    }

    /// Calibrated probabilities from logits.
    pub fn probabilities(&self, logits: &Logits) -> [f32; 4] {
        softmax(logits, self.temperature)
    }
}

/// `softmax(logits / t)`.
pub fn softmax(logits: &Logits, t: f32) -> [f32; 4] {
    let t = if t > 0.0 { t } else { 1.0 };
    let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut e = [0f32; 4];
    let mut sum = 0.0;
    for (o, &l) in e.iter_mut().zip(logits) {
        *o = ((l - max) / t).exp();
        sum += *o;
    }
    e.map(|v| v / sum)
}

/// The key under which identical statements share one prediction: whitespace collapsed.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Predictions already made in this run, keyed by a 128-bit digest of the normalised
/// (sentence, context, speaker): a few dozen bytes per entry whatever the sentence length, so
/// a run over new text stays within a fixed memory bound. Bounded: when full it is cleared,
/// which costs recomputation, never correctness.
pub struct PredictionCache {
    map: HashMap<u128, Prediction>,
    capacity: usize,
}

/// The cache key: the first 128 bits of SHA-256 over the three fields, each followed by a
/// NUL so that text cannot shift from one field to the next unnoticed. Two different inputs
/// share a key with probability about 2^-128 per pair: far below any other error source.
fn digest(p: &Pair) -> u128 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for field in [&p.sentence, &p.context, &p.speaker] {
        h.update(field.as_bytes());
        h.update([0u8]);
    }
    let bytes: [u8; 32] = h.finalize().into();
    u128::from_le_bytes(bytes[..16].try_into().expect("16 bytes"))
}

impl PredictionCache {
    /// A cache holding at most `capacity` entries (more only while one call's own inputs
    /// exceed it).
    pub fn new(capacity: usize) -> Self {
        PredictionCache {
            map: HashMap::new(),
            capacity,
        }
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Predicts every pair, classifying only those not seen before in this run.
    pub fn predict(
        &mut self,
        classifier: &StanceClassifier,
        pairs: &[Pair],
        stats: &mut ClassifierStats,
    ) -> Result<Vec<Prediction>, ClassifyError> {
        let config = &classifier.config;
        let normalised: Vec<Pair> = pairs
            .iter()
            .map(|p| Pair {
                sentence: normalise(&p.sentence),
                context: if config.pair_with_previous {
                    normalise(&p.context)
                } else {
                    String::new()
                },
                speaker: if config.speaker_in_input {
                    p.speaker.clone()
                } else {
                    String::new()
                },
            })
            .collect();
        let keys: Vec<u128> = normalised.par_iter().map(digest).collect();
        // Make room first, so that no entry this call relies on is evicted under it.
        if self.map.len() + keys.len() > self.capacity {
            self.map.clear();
        }
        let mut todo: Vec<Pair> = Vec::new();
        let mut todo_keys: Vec<u128> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (k, p) in keys.iter().zip(normalised) {
            if !self.map.contains_key(k) && seen.insert(*k) {
                todo.push(p);
                todo_keys.push(*k);
            }
        }
        stats.statements += pairs.len();
        stats.model_inputs += todo.len();
        stats.cache_hits += pairs.len() - todo.len();
        let logits = classifier.logits(&todo, stats)?;
        for (k, l) in todo_keys.into_iter().zip(logits) {
            self.map
                .insert(k, Prediction::from_probs(classifier.probabilities(&l)));
        }
        keys.iter()
            .map(|k| {
                self.map
                    .get(k)
                    .cloned()
                    .ok_or_else(|| ClassifyError::Runtime("prediction cache lost an entry".into()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_keeps_order() {
        let p = softmax(&[2.0, 1.0, 0.0, -1.0], 1.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(p[0] > p[1] && p[1] > p[2] && p[2] > p[3]);
        let hot = softmax(&[2.0, 1.0, 0.0, -1.0], 0.5);
        assert!(hot[0] > p[0], "a lower temperature sharpens");
    }

    #[test]
    fn padding_fills_mask_and_zeros() {
        let a = Encoded {
            ids: vec![101, 7, 102],
            type_ids: vec![0, 0, 0],
        };
        let b = Encoded {
            ids: vec![101, 102],
            type_ids: vec![0, 0],
        };
        let batch = Batch::pad(&[&a, &b]);
        assert_eq!((batch.rows, batch.cols), (2, 3));
        assert_eq!(batch.ids, vec![101, 7, 102, 101, 102, 0]);
        assert_eq!(batch.mask, vec![1, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn digest_separates_fields_and_ignores_nothing() {
        let p = |s: &str, c: &str, w: &str| Pair {
            sentence: s.into(),
            context: c.into(),
            speaker: w.into(),
        };
        let base = digest(&p(
            "No.",
            "Will Kyiv cede Crimea?",
            "author (media, narration)",
        ));
        assert_eq!(
            base,
            digest(&p(
                "No.",
                "Will Kyiv cede Crimea?",
                "author (media, narration)"
            ))
        );
        assert_ne!(base, digest(&p("No.", "Will Kyiv cede Crimea?", "")));
        assert_ne!(
            base,
            digest(&p(
                "No.",
                "Will Kyiv cede Crimea!",
                "author (media, narration)"
            ))
        );
        // moving text across the field boundary is a different input
        assert_ne!(digest(&p("ab", "c", "")), digest(&p("a", "bc", "")));
    }

    #[test]
    fn normalisation_collapses_whitespace() {
        assert_eq!(normalise("  Kyiv  said\n no. "), "Kyiv said no.");
    }
}
