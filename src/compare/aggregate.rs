//! Streaming aggregation of statements.csv rows into counts.
//!
//! Rows are read one at a time and only counts are kept, so memory grows with the number of
//! distinct sources, camps, speakers and periods, not with the number of statements. Counts
//! are sums, so reading shards one after another gives the same tallies as reading their
//! concatenation, in any order.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use super::{CompareError, Period};

/// The stance labels, in the fixed output order.
pub const STANCES: [&str; 4] = ["favor", "against", "neutral", "unrelated"];

/// The camps, in the fixed output order (other values follow, then `none`, then `ALL`).
pub const CAMPS: [&str; 7] = [
    "russia", "ukraine", "us", "europe", "other", "media", "unknown",
];

/// The label of rows that add up all sources, or all camps.
pub const ALL: &str = "ALL";

/// The label of an empty `source` or `speaker_camp` cell (no speaker stage ran).
pub const NONE: &str = "none";

/// Speakers that hold no position of their own and are left out of the network: the
/// outlet's own voice and unnamed sources (camp `media` is left out as well).
pub const NON_ACTORS: [&str; 2] = ["author", "anonymous source"];

/// Statements per stance, in [`STANCES`] order.
pub(crate) type StanceCounts = [u64; 4];

/// Adds `b` into `a`.
pub(crate) fn add_counts(a: &mut StanceCounts, b: &StanceCounts) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// The sort key of a camp label: fixed camps first, then others by name, `none`, `ALL`.
pub(crate) fn camp_rank(camp: &str) -> (usize, &str) {
    match CAMPS.iter().position(|c| *c == camp) {
        Some(i) => (i, ""),
        None if camp == ALL => (CAMPS.len() + 2, ""),
        None if camp == NONE => (CAMPS.len() + 1, ""),
        None => (CAMPS.len(), camp),
    }
}

/// One speaker within one source.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SpeakerTally {
    /// Statements per camp label (a speaker normally has one).
    pub camps: BTreeMap<String, u64>,
    /// Labelled statements per stance.
    pub stances: StanceCounts,
    /// Statements with an empty stance.
    pub unlabelled: u64,
}

impl SpeakerTally {
    pub fn merge(&mut self, other: &SpeakerTally) {
        for (camp, n) in &other.camps {
            *slot(&mut self.camps, camp) += n;
        }
        add_counts(&mut self.stances, &other.stances);
        self.unlabelled += other.unlabelled;
    }

    /// All statements, labelled or not.
    pub fn statements(&self) -> u64 {
        self.stances.iter().sum::<u64>() + self.unlabelled
    }

    /// The speaker's camp: the most frequent one, ties broken by [`camp_rank`].
    pub fn camp(&self) -> &str {
        self.camps
            .iter()
            .max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| camp_rank(b).cmp(&camp_rank(a))))
            .map_or(NONE, |(c, _)| c.as_str())
    }
}

/// One actor's positions within one source: statement count per document, per stance.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ActorTally {
    /// `favor` statements per document id (interned).
    pub favor: BTreeMap<u32, u64>,
    /// `against` statements per document id (interned).
    pub against: BTreeMap<u32, u64>,
}

impl ActorTally {
    pub fn merge(&mut self, other: &ActorTally) {
        for (d, n) in &other.favor {
            *self.favor.entry(*d).or_default() += n;
        }
        for (d, n) in &other.against {
            *self.against.entry(*d).or_default() += n;
        }
    }
    pub fn favor_count(&self) -> u64 {
        self.favor.values().sum()
    }
    pub fn against_count(&self) -> u64 {
        self.against.values().sum()
    }
}

/// period → source → camp → stance counts.
pub(crate) type SummaryCounts = BTreeMap<String, BTreeMap<String, BTreeMap<String, StanceCounts>>>;

/// The counts of everything read so far.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    period: Option<Period>,
    /// Labelled statements per period (one `""` period without `--by date`), source, camp.
    pub summary: SummaryCounts,
    /// source → speaker → tally, for rows with a speaker.
    pub speakers: BTreeMap<String, BTreeMap<String, SpeakerTally>>,
    /// source → actor → positions, for favor/against rows of real actors.
    pub actors: BTreeMap<String, BTreeMap<String, ActorTally>>,
    /// (source, doc_id) → interned id, for the network's `documents` column.
    docs: HashMap<(String, String), u32>,
    /// Input files read.
    pub files: usize,
    /// Rows read.
    pub rows: u64,
    /// Rows with a stance label.
    pub labelled: u64,
    /// Rows with an empty stance (no classifier ran): left out of summary.csv.
    pub unlabelled: u64,
    /// Rows with an empty speaker: left out of speakers.csv and the network.
    pub no_speaker: u64,
}

/// The value stored under `key`, inserted as default if absent, without allocating a key
/// when it is already there.
pub(crate) fn slot<'a, V: Default>(map: &'a mut BTreeMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// The columns compare reads, found by name in each file's header.
const COLUMNS: [&str; 6] = [
    "doc_id",
    "source",
    "date",
    "speaker",
    "speaker_camp",
    "stance",
];

impl Tally {
    pub fn new(period: Option<Period>) -> Self {
        Tally {
            period,
            ..Tally::default()
        }
    }

    /// Reads one statements.csv; `path` names it in error messages.
    pub fn add_reader<R: Read>(&mut self, reader: R, path: &Path) -> Result<(), CompareError> {
        let mut rdr = crate::output::csv_reader_builder().from_reader(reader);
        let header = rdr.headers().map_err(|e| csv_error(path, 1, e))?.clone();
        let mut idx = [0usize; COLUMNS.len()];
        for (slot, name) in idx.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| CompareError::MissingColumn {
                    path: path.to_owned(),
                    column: name,
                })?;
        }
        let [doc_i, source_i, date_i, speaker_i, camp_i, stance_i] = idx;
        let mut record = csv::StringRecord::new();
        let mut last_line = 1;
        loop {
            let more = rdr
                .read_record(&mut record)
                .map_err(|e| csv_error(path, last_line + 1, e))?;
            if !more {
                break;
            }
            let line = record.position().map_or(last_line + 1, |p| p.line());
            last_line = line;
            if record.len() != header.len() {
                return Err(CompareError::Ragged {
                    path: path.to_owned(),
                    line,
                    expected: header.len(),
                    found: record.len(),
                });
            }
            let cell = |i: usize| record.get(i).unwrap_or("").trim();
            let stance = parse_stance(cell(stance_i)).ok_or_else(|| CompareError::BadStance {
                path: path.to_owned(),
                line,
                value: cell(stance_i).to_owned(),
            })?;
            let source = non_empty(cell(source_i));
            let camp_raw = cell(camp_i).to_ascii_lowercase();
            let camp = non_empty(&camp_raw);
            let speaker = cell(speaker_i);
            self.rows += 1;

            if let Some(s) = stance {
                self.labelled += 1;
                let period = match self.period {
                    Some(p) => p.label(cell(date_i)),
                    None => String::new(),
                };
                let by_source = slot(&mut self.summary, &period);
                slot(slot(by_source, source), camp)[s] += 1;
            } else {
                self.unlabelled += 1;
            }

            if speaker.is_empty() {
                self.no_speaker += 1;
                continue;
            }
            let tally = slot(slot(&mut self.speakers, source), speaker);
            *slot(&mut tally.camps, camp) += 1;
            match stance {
                Some(s) => tally.stances[s] += 1,
                None => tally.unlabelled += 1,
            }

            let is_position = matches!(stance, Some(0 | 1));
            if is_position && is_actor(speaker, camp) {
                let next = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
                let doc = *self
                    .docs
                    .entry((source.to_owned(), cell(doc_i).to_owned()))
                    .or_insert(next);
                let actor = slot(slot(&mut self.actors, source), speaker);
                let docs = if stance == Some(0) {
                    &mut actor.favor
                } else {
                    &mut actor.against
                };
                *docs.entry(doc).or_default() += 1;
            }
        }
        self.files += 1;
        Ok(())
    }

    /// Stance counts per source and camp, over all periods.
    pub fn overall(&self) -> BTreeMap<String, BTreeMap<String, StanceCounts>> {
        let mut out: BTreeMap<String, BTreeMap<String, StanceCounts>> = BTreeMap::new();
        for sources in self.summary.values() {
            for (source, camps) in sources {
                let o = slot(&mut out, source);
                for (camp, counts) in camps {
                    add_counts(slot(o, camp), counts);
                }
            }
        }
        out
    }

    /// Speaker tallies over all sources.
    pub fn all_speakers(&self) -> BTreeMap<String, SpeakerTally> {
        let mut out: BTreeMap<String, SpeakerTally> = BTreeMap::new();
        for speakers in self.speakers.values() {
            for (name, t) in speakers {
                slot(&mut out, name).merge(t);
            }
        }
        out
    }

    /// Actor positions over all sources.
    pub fn all_actors(&self) -> BTreeMap<String, ActorTally> {
        let mut out: BTreeMap<String, ActorTally> = BTreeMap::new();
        for actors in self.actors.values() {
            for (name, t) in actors {
                slot(&mut out, name).merge(t);
            }
        }
        out
    }
}

/// `None` for an empty cell, the index in [`STANCES`] otherwise; `Err` via `None` of the
/// outer option for an unknown label.
fn parse_stance(cell: &str) -> Option<Option<usize>> {
    if cell.is_empty() {
        return Some(None);
    }
    STANCES
        .iter()
        .position(|s| s.eq_ignore_ascii_case(cell))
        .map(Some)
}

fn non_empty(s: &str) -> &str {
    if s.is_empty() {
        NONE
    } else {
        s
    }
}

/// Whether a speaker's statements count as positions in the network.
pub(crate) fn is_actor(speaker: &str, camp: &str) -> bool {
    camp != "media" && !NON_ACTORS.iter().any(|n| n.eq_ignore_ascii_case(speaker))
}

fn csv_error(path: &Path, line: u64, e: csv::Error) -> CompareError {
    let line = e.position().map_or(line, |p| p.line());
    CompareError::Csv {
        path: path.to_owned(),
        line,
        source: e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "doc_id,source,date,url,title,sentence_idx,char_start,char_end,sentence,speaker,speaker_camp,attribution,stance,p_favor,p_against,p_neutral,p_unrelated,model\n";

    fn tally(body: &str) -> Result<Tally, CompareError> {
        let mut t = Tally::new(None);
        let text = format!("{HEADER}{body}");
        t.add_reader(text.as_bytes(), Path::new("s.csv"))?;
        Ok(t)
    }

    #[test]
    fn counts_rows_by_kind() {
        let t = tally(
            "d1,a,,,,0,0,1,x,Vladimir Putin,russia,quote,favor,,,,,\n\
             d1,a,,,,1,0,1,x,author,media,narration,neutral,,,,,\n\
             d1,a,,,,2,0,1,x,,,,,,,,,\n\
             d2,,,,,0,0,1,x,anonymous source,unknown,according_to,against,,,,,\n\
             d2,,,,,1,0,1,x,Vladimir Putin,RUSSIA,quote,FAVOR,,,,,\n",
        )
        .unwrap();
        assert_eq!(
            (t.rows, t.labelled, t.unlabelled, t.no_speaker),
            (5, 4, 1, 1)
        );
        assert_eq!(t.summary[""]["a"]["russia"], [1, 0, 0, 0]);
        assert_eq!(t.summary[""]["a"]["media"], [0, 0, 1, 0]);
        assert_eq!(t.summary[""]["none"]["unknown"], [0, 1, 0, 0]);
        assert_eq!(t.summary[""]["none"]["russia"], [1, 0, 0, 0]);
        // Only Vladimir Putin is an actor: author and anonymous source are not.
        assert_eq!(t.actors.len(), 2);
        assert_eq!(t.actors["a"].keys().collect::<Vec<_>>(), ["Vladimir Putin"]);
        assert_eq!(t.speakers["a"]["author"].camp(), "media");
    }

    #[test]
    fn reads_columns_by_name() {
        let mut t = Tally::new(Some(Period::Month));
        let text = "stance,speaker_camp,speaker,source,doc_id,date\n\
                    against,ukraine,Volodymyr Zelensky,x,d,2025-11-23\n";
        t.add_reader(text.as_bytes(), Path::new("s.csv")).unwrap();
        assert_eq!(t.summary["2025-11"]["x"]["ukraine"], [0, 1, 0, 0]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            (
                "d,a,,,,0,0,1,x,,,,maybe,,,,,\n",
                "s.csv:2: unknown stance `maybe` (expected favor, against, neutral, unrelated or empty)",
            ),
            (
                "d,a,,,,0,0,1,x,,,,favor,,,,,\nd,a,,,,0\n",
                "s.csv:3: expected 18 fields, found 6",
            ),
        ];
        for (body, msg) in cases {
            let err = tally(body).unwrap_err();
            assert_eq!(err.to_string(), msg);
        }
        let mut t = Tally::new(None);
        let err = t
            .add_reader("doc_id,source\nd,a\n".as_bytes(), Path::new("x.csv"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.csv:1: missing column `date` (is this a statements.csv?)"
        );
        let err = t
            .add_reader(
                &b"doc_id,source,date,speaker,speaker_camp,stance\nd,\xff,,,,\n"[..],
                Path::new("x.csv"),
            )
            .unwrap_err();
        assert!(err.to_string().starts_with("x.csv:2: "), "{err}");
    }

    #[test]
    fn speaker_camp_is_the_most_frequent() {
        let mut s = SpeakerTally::default();
        s.camps.insert("europe".into(), 2);
        s.camps.insert("us".into(), 2);
        s.camps.insert("other".into(), 1);
        // Tie between europe and us: the earlier camp in the fixed order wins.
        assert_eq!(s.camp(), "us");
        s.camps.insert("zzz".into(), 5);
        assert_eq!(s.camp(), "zzz");
        assert_eq!(SpeakerTally::default().camp(), NONE);
    }

    #[test]
    fn camp_order() {
        let mut camps = vec!["ALL", "none", "zeta", "unknown", "russia", "alpha", "us"];
        camps.sort_by_key(|c| camp_rank(c));
        assert_eq!(
            camps,
            ["russia", "us", "unknown", "alpha", "zeta", "none", "ALL"]
        );
    }
}
