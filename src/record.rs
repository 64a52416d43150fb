//! The typed records that flow from stage to stage.
//!
//! `Document` (ingest) → `Sentence` (split) → `Utterance` (speaker) →
//! `Prediction` (classify) → `OutputRow` (output).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// One article, as read from a `.txt` file, a JSONL line or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Stable identifier: path relative to the input root, the `id` field, or `file:line`.
    pub doc_id: String,
    /// The outlet (first directory under the input root, or the `source` field).
    pub source: String,
    /// Publication date as given (ISO 8601 expected, not enforced).
    pub date: String,
    /// Article URL, if known.
    pub url: String,
    /// Article title, if known (it is not prepended to the text).
    pub title: String,
    /// The article body. Offsets in every later record point into this string.
    pub text: String,
    /// Where it was read: `file` or `file:line` (for documents.csv and messages).
    pub location: String,
}

/// One sentence of a document: the unit of analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 0-based position among the document's kept sentences.
    pub idx: usize,
    /// Byte range of the trimmed sentence inside `Document::text`.
    pub span: Range<usize>,
}

impl Sentence {
    /// The sentence's text, borrowed from its document.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.text[self.span.clone()]
    }
}

/// How a statement's speaker was found, by the rules of ANNOTATION.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// A direct quotation with its attribution.
    Quote,
    /// A sentence inside a quotation that began earlier.
    Continuation,
    /// Reported speech or an act of saying.
    Reported,
    /// A position attributed to an actor who does not speak.
    Described,
    /// Relayed by an outlet or unnamed sources, with no position holder.
    AccordingTo,
    /// The outlet's own voice.
    Narration,
}

impl Attribution {
    /// All values, in the order of ANNOTATION.md.
    pub const ALL: [Attribution; 6] = [
        Attribution::Quote,
        Attribution::Continuation,
        Attribution::Reported,
        Attribution::Described,
        Attribution::AccordingTo,
        Attribution::Narration,
    ];

    /// The label as written in CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Quote => "quote",
            Attribution::Continuation => "continuation",
            Attribution::Reported => "reported",
            Attribution::Described => "described",
            Attribution::AccordingTo => "according_to",
            Attribution::Narration => "narration",
        }
    }

    /// Parses a CSV label.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The camp a speaker belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Camp {
    /// Russian officials, state bodies.
    Russia,
    /// Ukrainian officials, state bodies.
    Ukraine,
    /// The US administration and officials.
    Us,
    /// EU, European governments, the UK, NATO.
    Europe,
    /// Third countries, the UN, independent analysts.
    Other,
    /// The outlet itself and outlets cited as sources.
    Media,
    /// Anonymous sources of unclear affiliation.
    Unknown,
}

impl Camp {
    /// All values.
    pub const ALL: [Camp; 7] = [
        Camp::Russia,
        Camp::Ukraine,
        Camp::Us,
        Camp::Europe,
        Camp::Other,
        Camp::Media,
        Camp::Unknown,
    ];

    /// The label as written in CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            Camp::Russia => "russia",
            Camp::Ukraine => "ukraine",
            Camp::Us => "us",
            Camp::Europe => "europe",
            Camp::Other => "other",
            Camp::Media => "media",
            Camp::Unknown => "unknown",
        }
    }

    /// Parses a CSV label.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Who carries a sentence's words or position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// Canonical name ("Vladimir Putin", "Kremlin", "anonymous source", "author").
    pub name: String,
    /// The speaker's camp.
    pub camp: Camp,
    /// Which rule of ANNOTATION.md found the speaker.
    pub attribution: Attribution,
}

impl Speaker {
    /// The outlet's own voice.
    pub fn author() -> Self {
        Speaker {
            name: "author".to_string(),
            camp: Camp::Media,
            attribution: Attribution::Narration,
        }
    }
}

/// A sentence with its speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    /// The sentence.
    pub sentence: Sentence,
    /// Its speaker; `None` when no speaker stage ran.
    pub speaker: Option<Speaker>,
}

/// The four stance labels, in the order of the model's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Supports, demands, offers or accepts recognition or cession.
    Favor,
    /// Rejects it.
    Against,
    /// About the target, no position.
    Neutral,
    /// Not about the target.
    Unrelated,
}

impl Stance {
    /// All values, in the model's label order.
    pub const ALL: [Stance; 4] = [
        Stance::Favor,
        Stance::Against,
        Stance::Neutral,
        Stance::Unrelated,
    ];

    /// The label as written in CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Favor => "favor",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
            Stance::Unrelated => "unrelated",
        }
    }

    /// Parses a CSV label.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The classifier's verdict on one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The most probable label.
    pub stance: Stance,
    /// Probabilities in `Stance::ALL` order.
    pub probs: [f32; 4],
}

impl Prediction {
    /// Builds a prediction from probabilities in `Stance::ALL` order; ties go to the earlier label.
    pub fn from_probs(probs: [f32; 4]) -> Self {
        let mut best = 0;
        for i in 1..4 {
            if probs[i] > probs[best] {
                best = i;
            }
        }
        Prediction {
            stance: Stance::ALL[best],
            probs,
        }
    }
}
