//! Sentence splitting: document text → sentences, with page furniture dropped.
//!
//! The rules live in [`rules`]; [`furniture`] recognises share-button lines, bylines and
//! similar page text that is not a statement (ANNOTATION.md, "The unit").

pub mod furniture;
pub mod rules;

use crate::record::{Document, Sentence};

pub use furniture::is_furniture;
pub use rules::sentence_spans;

/// A sentence splitter stage.
pub trait Splitter: Send + Sync {
    /// The document's sentences in order, and how many furniture lines were dropped.
    fn split(&self, doc: &Document) -> Split;
}

/// The result of splitting one document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Split {
    /// Kept sentences, indexed from 0.
    pub sentences: Vec<Sentence>,
    /// Sentences dropped as page furniture.
    pub furniture_dropped: usize,
}

/// stancemap's rule-based splitter for English news.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleSplitter;

impl Splitter for RuleSplitter {
    fn split(&self, doc: &Document) -> Split {
        let mut out = Split::default();
        for span in sentence_spans(&doc.text) {
            if is_furniture(&doc.text[span.clone()]) {
                out.furniture_dropped += 1;
                continue;
            }
            out.sentences.push(Sentence {
                idx: out.sentences.len(),
                span,
            });
        }
        out
    }
}
