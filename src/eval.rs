//! `stancemap eval`: compare the pipeline's statements with a gold file.
//!
//! Gold rows are matched to statements by normalised sentence text (and by `doc_id` when the
//! gold file has one that the statements share), one statement per gold row.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::output::{csv_reader_builder, OutputRow};
use crate::record::{Attribution, Stance};

/// Errors reading gold or statements.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A row is malformed.
    #[error("{path}:{line}: {msg}")]
    Row {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        msg: String,
    },
}

/// One gold statement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldRow {
    /// Document id, when the gold file has one.
    #[serde(default)]
    pub doc_id: String,
    /// The sentence.
    pub sentence: String,
    /// Canonical speaker.
    #[serde(default)]
    pub speaker: String,
    /// Speaker camp.
    #[serde(default)]
    pub speaker_camp: String,
    /// Attribution rule.
    #[serde(default)]
    pub attribution: String,
    /// Stance label.
    pub stance: String,
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelScores {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Gold rows with this label.
    pub support: usize,
}

/// Speaker and camp accuracy over a group of gold rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpeakerScores {
    /// Gold rows in the group (matched ones).
    pub n: usize,
    /// Share with the exact canonical speaker.
    pub speaker_accuracy: f64,
    /// Share with the right camp.
    pub camp_accuracy: f64,
    /// Share with the right attribution rule.
    pub attribution_accuracy: f64,
}

/// The full report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Gold rows.
    pub gold_statements: usize,
    /// Gold rows matched to a statement.
    pub matched: usize,
    /// `matched / gold_statements`.
    pub found_share: f64,
    /// Per stance label (only when statements carry stance).
    pub stance: BTreeMap<String, LabelScores>,
    /// Mean F1 over the four labels.
    pub macro_f1: f64,
    /// Share of matched rows with the right stance.
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, labels in `Stance::ALL` order.
    pub confusion: Vec<Vec<usize>>,
    /// Speaker scores over all matched rows (when statements carry speakers).
    pub speaker_overall: Option<SpeakerScores>,
    /// Speaker scores per gold attribution type.
    pub speaker_by_attribution: BTreeMap<String, SpeakerScores>,
}

/// Reads a gold CSV (columns at least `sentence` and `stance`).
pub fn read_gold(path: &Path) -> Result<Vec<GoldRow>, EvalError> {
    let file = std::fs::File::open(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut rdr = csv_reader_builder().from_reader(file);
    let mut rows = Vec::new();
    for rec in rdr.deserialize::<GoldRow>() {
        let row = rec.map_err(|e| EvalError::Row {
            path: path.display().to_string(),
            line: e.position().map_or(0, |p| p.line()),
            msg: e.to_string(),
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// The predicted fields of one statement, as read back from statements.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicted {
    /// Document id.
    pub doc_id: String,
    /// Sentence.
    pub sentence: String,
    /// Speaker.
    pub speaker: String,
    /// Camp.
    pub speaker_camp: String,
    /// Attribution.
    pub attribution: String,
    /// Stance.
    pub stance: String,
}

impl From<OutputRow> for Predicted {
    fn from(r: OutputRow) -> Self {
        Predicted {
            doc_id: r.doc_id,
            sentence: r.sentence,
            speaker: r.speaker,
            speaker_camp: r.speaker_camp,
            attribution: r.attribution,
            stance: r.stance,
        }
    }
}

/// Reads statements.csv back.
pub fn read_statements(path: &Path) -> Result<Vec<Predicted>, EvalError> {
    #[derive(Deserialize)]
    struct Row {
        doc_id: String,
        sentence: String,
        speaker: String,
        speaker_camp: String,
        attribution: String,
        stance: String,
    }
    let file = std::fs::File::open(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut rdr = csv_reader_builder().from_reader(file);
    rdr.deserialize::<Row>()
        .map(|r| {
            r.map(|r| Predicted {
                doc_id: r.doc_id,
                sentence: r.sentence,
                speaker: r.speaker,
                speaker_camp: r.speaker_camp,
                attribution: r.attribution,
                stance: r.stance,
            })
            .map_err(|e| EvalError::Row {
                path: path.display().to_string(),
                line: e.position().map_or(0, |p| p.line()),
                msg: e.to_string(),
            })
        })
        .collect()
}

/// Normalises a sentence for matching: whitespace collapsed, curly quotes and apostrophes
/// straightened.
pub fn normalise(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores `predicted` against `gold`.
pub fn evaluate(gold: &[GoldRow], predicted: &[Predicted]) -> EvalReport {
    // Index predictions by (doc_id, text) and by text alone; each is used at most once.
    let use_doc = gold.iter().any(|g| !g.doc_id.is_empty())
        && predicted
            .iter()
            .any(|p| gold.iter().any(|g| g.doc_id == p.doc_id));
    let mut by_key: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
    for (i, p) in predicted.iter().enumerate() {
        let doc = if use_doc {
            p.doc_id.clone()
        } else {
            String::new()
        };
        by_key
            .entry((doc, normalise(&p.sentence)))
            .or_default()
            .push_back(i);
    }
    let labels: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
    let mut confusion = vec![vec![0usize; 4]; 4];
    let mut matched = 0;
    let mut correct = 0;
    let mut has_stance = false;
    let mut speaker_groups: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut overall = (0, 0, 0, 0);
    let mut has_speakers = false;
    for g in gold {
        let doc = if use_doc {
            g.doc_id.clone()
        } else {
            String::new()
        };
        let Some(i) = by_key
            .get_mut(&(doc, normalise(&g.sentence)))
            .and_then(|q| q.pop_front())
        else {
            continue;
        };
        matched += 1;
        let p = &predicted[i];
        if let (Some(gi), Some(pi)) = (
            labels.iter().position(|l| *l == g.stance),
            labels.iter().position(|l| *l == p.stance),
        ) {
            has_stance = true;
            confusion[gi][pi] += 1;
            if gi == pi {
                correct += 1;
            }
        }
        if !p.speaker.is_empty() && !g.speaker.is_empty() {
            has_speakers = true;
            let hit = (
                1,
                usize::from(p.speaker == g.speaker),
                usize::from(p.speaker_camp == g.speaker_camp),
                usize::from(p.attribution == g.attribution),
            );
            let key = Attribution::parse(&g.attribution)
                .map(|a| a.as_str().to_string())
                .unwrap_or_else(|| g.attribution.clone());
            let e = speaker_groups.entry(key).or_default();
            *e = (e.0 + hit.0, e.1 + hit.1, e.2 + hit.2, e.3 + hit.3);
            overall = (
                overall.0 + hit.0,
                overall.1 + hit.1,
                overall.2 + hit.2,
                overall.3 + hit.3,
            );
        }
    }
    let mut report = EvalReport {
        gold_statements: gold.len(),
        matched,
        found_share: ratio(matched, gold.len()),
        ..EvalReport::default()
    };
    if has_stance {
        let mut f1_sum = 0.0;
        for (k, label) in labels.iter().enumerate() {
            let tp = confusion[k][k];
            let predicted_k: usize = (0..4).map(|g| confusion[g][k]).sum();
            let support: usize = confusion[k].iter().sum();
            let precision = ratio(tp, predicted_k);
            let recall = ratio(tp, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            f1_sum += f1;
            report.stance.insert(
                label.to_string(),
                LabelScores {
                    precision: round(precision),
                    recall: round(recall),
                    f1: round(f1),
                    support,
                },
            );
        }
        report.macro_f1 = round(f1_sum / 4.0);
        report.accuracy = round(ratio(correct, confusion.iter().flatten().sum()));
        report.confusion = confusion;
    }
    if has_speakers {
        let scores = |t: (usize, usize, usize, usize)| SpeakerScores {
            n: t.0,
            speaker_accuracy: round(ratio(t.1, t.0)),
            camp_accuracy: round(ratio(t.2, t.0)),
            attribution_accuracy: round(ratio(t.3, t.0)),
        };
        report.speaker_overall = Some(scores(overall));
        report.speaker_by_attribution = speaker_groups
            .into_iter()
            .map(|(k, v)| (k, scores(v)))
            .collect();
    }
    report.found_share = round(report.found_share);
    report
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl EvalReport {
    /// A plain-text report for the terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "gold statements: {}, found: {} ({:.1}%)",
            self.gold_statements,
            self.matched,
            100.0 * self.found_share
        );
        if !self.stance.is_empty() {
            let _ = writeln!(s, "\nstance        precision  recall      f1  support");
            for st in Stance::ALL {
                if let Some(l) = self.stance.get(st.as_str()) {
                    let _ = writeln!(
                        s,
                        "{:<12} {:>10.3} {:>7.3} {:>7.3} {:>8}",
                        st.as_str(),
                        l.precision,
                        l.recall,
                        l.f1,
                        l.support
                    );
                }
            }
            let _ = writeln!(s, "macro-F1     {:>26.3}", self.macro_f1);
            let _ = writeln!(s, "accuracy     {:>26.3}", self.accuracy);
            let _ = writeln!(s, "\nconfusion (rows gold, columns predicted)");
            let _ = writeln!(
                s,
                "{:<12} {:>9} {:>9} {:>9} {:>9}",
                "", "favor", "against", "neutral", "unrelated"
            );
            for (g, row) in self.confusion.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "{:<12} {:>9} {:>9} {:>9} {:>9}",
                    Stance::ALL[g].as_str(),
                    row[0],
                    row[1],
                    row[2],
                    row[3]
                );
            }
        }
        if let Some(o) = &self.speaker_overall {
            let _ = writeln!(
                s,
                "\nspeaker by attribution   n  speaker    camp  attribution"
            );
            for a in Attribution::ALL {
                if let Some(v) = self.speaker_by_attribution.get(a.as_str()) {
                    let _ = writeln!(
                        s,
                        "{:<20} {:>5} {:>8.3} {:>7.3} {:>12.3}",
                        a.as_str(),
                        v.n,
                        v.speaker_accuracy,
                        v.camp_accuracy,
                        v.attribution_accuracy
                    );
                }
            }
            let _ = writeln!(
                s,
                "{:<20} {:>5} {:>8.3} {:>7.3} {:>12.3}",
                "overall", o.n, o.speaker_accuracy, o.camp_accuracy, o.attribution_accuracy
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(sentence: &str, stance: &str, speaker: &str) -> GoldRow {
        GoldRow {
            doc_id: String::new(),
            sentence: sentence.into(),
            speaker: speaker.into(),
            speaker_camp: "media".into(),
            attribution: "narration".into(),
            stance: stance.into(),
        }
    }

    fn pred(sentence: &str, stance: &str, speaker: &str) -> Predicted {
        Predicted {
            doc_id: "d".into(),
            sentence: sentence.into(),
            speaker: speaker.into(),
            speaker_camp: "media".into(),
            attribution: "narration".into(),
            stance: stance.into(),
        }
    }

    #[test]
    fn scores_match_a_hand_computation() {
        let g = vec![
            gold("A.", "favor", "author"),
            gold("B.", "favor", "author"),
            gold("C.", "against", "author"),
            gold("D.", "unrelated", "author"),
            gold("Missing.", "neutral", "author"),
        ];
        let p = vec![
            pred("A.", "favor", "author"),
            pred("B.", "against", "author"),
            pred("C.", "against", "Kremlin"),
            pred("D.", "unrelated", "author"),
        ];
        let r = evaluate(&g, &p);
        assert_eq!(r.matched, 4);
        assert_eq!(r.found_share, 0.8);
        // favor: P 1/1, R 1/2, F1 2/3; against: P 1/2, R 1, F1 2/3; neutral 0; unrelated 1.
        assert_eq!(r.stance["favor"].f1, 0.6667);
        assert_eq!(r.stance["against"].f1, 0.6667);
        assert_eq!(r.stance["neutral"].f1, 0.0);
        assert_eq!(r.stance["unrelated"].f1, 1.0);
        assert_eq!(r.macro_f1, round((2.0 / 3.0 * 2.0 + 1.0) / 4.0));
        assert_eq!(r.confusion[0], vec![1, 1, 0, 0]);
        assert_eq!(r.speaker_overall.unwrap().speaker_accuracy, 0.75);
    }

    #[test]
    fn matching_ignores_quote_style_and_spacing() {
        assert_eq!(
            normalise("“Crimea  is Ukraine,” he said."),
            "\"Crimea is Ukraine,\" he said."
        );
        assert_eq!(normalise("Russia’s"), "Russia's");
    }
}
