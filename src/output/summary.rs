//! run.json: the run's totals, which account for every input document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One skipped document as listed in errors.csv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipRecord {
    /// `file:line`.
    pub location: String,
    /// The document id, when it could be read.
    pub doc_id: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Totals of one run, written to `run.json`.
///
/// `documents_read = documents_analyzed + documents_skipped`, and every skipped document
/// is listed in errors.csv.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// stancemap version that wrote the file.
    pub stancemap_version: String,
    /// Input paths as given.
    pub inputs: Vec<String>,
    /// `K/N` when the run was one shard of N.
    pub shard: Option<String>,
    /// Every document seen: analysed plus skipped (documents of other shards are not counted).
    pub documents_read: usize,
    /// Documents that went through the pipeline (including empty ones).
    pub documents_analyzed: usize,
    /// Analysed documents that had no text and so gave no rows.
    pub documents_empty: usize,
    /// Documents that could not be read (listed in errors.csv).
    pub documents_skipped: usize,
    /// Skipped documents by kind of problem.
    pub skipped_by_reason: BTreeMap<String, usize>,
    /// Documents read with a warning (e.g. invalid UTF-8 decoded lossily); they were analysed.
    pub warnings: usize,
    /// Rows of statements.csv.
    pub statements_written: usize,
    /// Lines dropped as page furniture (share buttons, bylines…).
    pub furniture_dropped: usize,
    /// Statements per stance label (empty without a classifier).
    pub stance_counts: BTreeMap<String, usize>,
    /// The classifier's figures, when one ran.
    pub classifier: Option<ClassifierStats>,
    /// Wall-clock seconds per stage (the only part of run.json that varies between runs).
    #[serde(default)]
    pub seconds: StageSeconds,
}

/// Wall-clock time spent in each stage, summed over chunks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageSeconds {
    /// Model and registry loading.
    pub startup: f64,
    /// Reading and decoding input.
    pub ingest: f64,
    /// Splitting and speaker attribution.
    pub text_stages: f64,
    /// Tokenisation and inference.
    pub classify: f64,
    /// Writing CSV.
    pub output: f64,
    /// The whole run, including the comparison tables.
    pub total: f64,
}

/// What the classifier stage did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassifierStats {
    /// The model name and checksum, as in the `model` column.
    pub model: String,
    /// The engine (`onnx` or `rust-bert`).
    pub engine: String,
    /// Statements that needed a label.
    pub statements: usize,
    /// Distinct (normalised sentence, context, speaker) inputs actually run through the model.
    pub model_inputs: usize,
    /// Statements answered from the run's cache of identical sentences (syndicated copy).
    pub cache_hits: usize,
    /// `cache_hits / statements`.
    pub cache_hit_rate: f64,
    /// Real tokens fed to the model.
    pub tokens: usize,
    /// Tokens including padding.
    pub padded_tokens: usize,
    /// `padded_tokens / tokens - 1`: the share of work spent on padding.
    pub padding_overhead: f64,
}

impl ClassifierStats {
    /// Fills the two ratios from the counts, rounded to 4 decimals (as run.json shows them).
    pub fn finish(&mut self) {
        let rate = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let round = |x: f64| (x * 1e4).round() / 1e4;
        self.cache_hit_rate = round(rate(self.cache_hits, self.statements));
        self.padding_overhead = round((rate(self.padded_tokens, self.tokens) - 1.0).max(0.0));
    }
}
