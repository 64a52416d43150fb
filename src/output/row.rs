//! The rows of statements.csv and errors.csv.

use serde::Serialize;

/// One row of `statements.csv`: one statement (sentence) with its speaker and stance.
/// The header comes from the field names, in this order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputRow {
    /// Document id (path, `id` field, or `file:line`).
    pub doc_id: String,
    /// The outlet.
    pub source: String,
    /// Publication date as given.
    pub date: String,
    /// Article URL.
    pub url: String,
    /// Article title.
    pub title: String,
    /// 0-based sentence index within the document.
    pub sentence_idx: usize,
    /// Unicode code-point offset of the sentence start in the document text.
    pub char_start: usize,
    /// Unicode code-point offset one past the sentence end.
    pub char_end: usize,
    /// The sentence text.
    pub sentence: String,
    /// Canonical speaker name; empty when no speaker stage ran.
    pub speaker: String,
    /// The speaker's camp; empty when no speaker stage ran.
    pub speaker_camp: String,
    /// The attribution rule; empty when no speaker stage ran.
    pub attribution: String,
    /// The stance label; empty when no classifier ran.
    pub stance: String,
    /// Probability of `favor`, rounded to 4 decimals.
    pub p_favor: Option<f64>,
    /// Probability of `against`.
    pub p_against: Option<f64>,
    /// Probability of `neutral`.
    pub p_neutral: Option<f64>,
    /// Probability of `unrelated`.
    pub p_unrelated: Option<f64>,
    /// The model that labelled the stance (name and short checksum); empty without one.
    pub model: String,
}

impl OutputRow {
    /// `--safe-csv`: prefixes text cells that a spreadsheet would run as a formula.
    pub fn defuse(&mut self) {
        for cell in [
            &mut self.doc_id,
            &mut self.source,
            &mut self.date,
            &mut self.url,
            &mut self.title,
            &mut self.sentence,
            &mut self.speaker,
        ] {
            if let std::borrow::Cow::Owned(s) = super::defuse_formula(cell) {
                *cell = s;
            }
        }
    }
}

/// The header of statements.csv (kept in sync with [`OutputRow`] by a test).
pub const STATEMENT_HEADER: [&str; 18] = [
    "doc_id",
    "source",
    "date",
    "url",
    "title",
    "sentence_idx",
    "char_start",
    "char_end",
    "sentence",
    "speaker",
    "speaker_camp",
    "attribution",
    "stance",
    "p_favor",
    "p_against",
    "p_neutral",
    "p_unrelated",
    "model",
];

/// One row of `documents.csv`: every document consumed, in input order, with what became
/// of it. `stancemap merge` uses `ordinal` to restore the order of a single run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DocumentRow {
    /// Position among all documents of the input (counting every shard's documents).
    pub ordinal: usize,
    /// Document id (empty when the document could not be read).
    pub doc_id: String,
    /// The outlet.
    pub source: String,
    /// `file` or `file:line`.
    pub location: String,
    /// `analyzed`, `empty` or `skipped`.
    pub status: String,
    /// Rows of statements.csv.
    pub statements: usize,
}

/// The header of documents.csv.
pub const DOCUMENT_HEADER: [&str; 6] = [
    "ordinal",
    "doc_id",
    "source",
    "location",
    "status",
    "statements",
];

/// The header of errors.csv.
pub const ERROR_HEADER: [&str; 3] = ["location", "doc_id", "reason"];

/// Rounds a probability to 4 decimals so that CSV bytes do not depend on float noise.
pub fn round4(p: f32) -> f64 {
    ((p as f64) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matches_struct_fields() {
        let mut w = crate::output::csv_writer(Vec::new());
        w.write_record(STATEMENT_HEADER).unwrap();
        w.serialize(OutputRow {
            doc_id: "d".into(),
            source: String::new(),
            date: String::new(),
            url: String::new(),
            title: String::new(),
            sentence_idx: 0,
            char_start: 0,
            char_end: 1,
            sentence: "x".into(),
            speaker: String::new(),
            speaker_camp: String::new(),
            attribution: String::new(),
            stance: String::new(),
            p_favor: None,
            p_against: None,
            p_neutral: None,
            p_unrelated: None,
            model: String::new(),
        })
        .unwrap();
        let bytes = w.into_inner().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().next().unwrap(), STATEMENT_HEADER.join(","));
        assert_eq!(text.lines().nth(1).unwrap(), "d,,,,,0,0,1,x,,,,,,,,,");
    }

    #[test]
    fn rounding_is_to_four_decimals() {
        assert_eq!(round4(0.123_456), 0.1235);
        assert_eq!(round4(1.0), 1.0);
        assert_eq!(round4(0.0), 0.0);
    }
}
