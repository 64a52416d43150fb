//! # stancemap
//!
//! Who said what about one contested question — recognition of Russia's control over
//! Crimea and the other occupied Ukrainian territories — in a news corpus.
//!
//! The pipeline, one module per stage, with a typed record flowing between them:
//!
//! 1. [`ingest`]: files (txt, JSONL, CSV) → [`record::Document`]s, streamed.
//! 2. [`split`]: a document → [`record::Sentence`]s, page furniture dropped.
//! 3. [`speaker`]: sentences → [`record::Utterance`]s with speaker, camp and attribution.
//! 4. [`classify`]: statements → [`record::Prediction`]s (favor / against / neutral / unrelated).
//! 5. [`output`]: `statements.csv`, `errors.csv`, `run.json`.
//!
//! [`eval`] scores the pipeline against gold labels (the CI regression gate).
//!
//! ```
//! use stancemap::record::Document;
//! use stancemap::split::{RuleSplitter, Splitter};
//!
//! let doc = Document {
//!     text: "Kyiv Rejects Land Swap\n“Crimea is Ukraine. It always was,” he said.".into(),
//!     ..Document::default()
//! };
//! let split = RuleSplitter.split(&doc);
//! let texts: Vec<&str> = split.sentences.iter().map(|s| s.text(&doc)).collect();
//! assert_eq!(texts[0], "Kyiv Rejects Land Swap");
//! ```
#![deny(missing_docs)]

pub mod classify;
pub mod compare;
pub mod config;
pub mod eval;
pub mod ingest;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod speaker;
pub mod split;

pub use config::{AnalyzeConfig, OutTarget, Shard};
pub use pipeline::{analyze, Observer, PipelineError, Silent};
pub use record::{Attribution, Camp, Document, Prediction, Sentence, Speaker, Stance, Utterance};
