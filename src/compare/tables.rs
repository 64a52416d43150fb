//! summary.csv and speakers.csv.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::aggregate::{add_counts, camp_rank, StanceCounts, Tally, ALL, STANCES};
use super::period::UNKNOWN_PERIOD;
use super::wilson::{fmt4, wilson_interval};
use super::CompareError;

/// The header of summary.csv (`period` comes first with `--by date`).
pub const SUMMARY_HEADER: [&str; 8] = [
    "source",
    "speaker_camp",
    "stance",
    "statements",
    "total",
    "share",
    "share_lo",
    "share_hi",
];

/// The header of speakers.csv.
pub const SPEAKERS_HEADER: [&str; 9] = [
    "source",
    "speaker",
    "speaker_camp",
    "statements",
    "favor",
    "against",
    "neutral",
    "unrelated",
    "unlabelled",
];

/// One row of summary.csv.
#[derive(Debug, Serialize)]
struct SummaryRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<&'a str>,
    source: &'a str,
    speaker_camp: &'a str,
    stance: &'a str,
    statements: u64,
    total: u64,
    share: String,
    share_lo: String,
    share_hi: String,
}

/// One row of speakers.csv.
#[derive(Debug, Serialize)]
struct SpeakerRow<'a> {
    source: &'a str,
    speaker: &'a str,
    speaker_camp: &'a str,
    statements: u64,
    favor: u64,
    against: u64,
    neutral: u64,
    unrelated: u64,
    unlabelled: u64,
}

pub(crate) fn encode_error(file: &'static str) -> impl Fn(csv::Error) -> CompareError {
    move |source| CompareError::Encode { file, source }
}

/// Sources in output order: by name, then `ALL`.
pub(crate) fn with_all<V: Clone>(
    by_source: &BTreeMap<String, V>,
    merge: impl Fn(&mut V, &V),
    empty: V,
) -> Vec<(&str, V)> {
    let mut all = empty;
    let mut out: Vec<(&str, V)> = Vec::with_capacity(by_source.len() + 1);
    for (source, v) in by_source {
        merge(&mut all, v);
        out.push((source.as_str(), v.clone()));
    }
    out.push((ALL, all));
    out
}

/// summary.csv: for each period (with `--by date`), each source with labelled statements
/// and `ALL`, each camp seen anywhere in the input and `ALL`, each stance: the number of
/// statements, the group total, the share and its 95% Wilson interval. Shares of an empty
/// group are left empty.
pub(crate) fn summary_csv(t: &Tally, by_date: bool) -> Result<Vec<u8>, CompareError> {
    let err = encode_error("summary.csv");
    let mut w = crate::output::csv_writer(Vec::new());
    if by_date {
        let mut header = vec!["period"];
        header.extend(SUMMARY_HEADER);
        w.write_record(header).map_err(&err)?;
    } else {
        w.write_record(SUMMARY_HEADER).map_err(&err)?;
    }

    let mut camps: Vec<&str> = t
        .summary
        .values()
        .flat_map(|s| s.values())
        .flat_map(|c| c.keys().map(String::as_str))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    camps.sort_by_key(|c| camp_rank(c));
    camps.push(ALL);

    let mut periods: Vec<&String> = t.summary.keys().collect();
    periods.sort_by_key(|p| (p.as_str() == UNKNOWN_PERIOD, p.as_str()));

    for period in periods {
        let sources = &t.summary[period];
        let merge = |a: &mut BTreeMap<String, StanceCounts>, b: &BTreeMap<String, StanceCounts>| {
            for (camp, counts) in b {
                add_counts(a.entry(camp.clone()).or_default(), counts);
            }
        };
        for (source, by_camp) in with_all(sources, merge, BTreeMap::new()) {
            let mut all_camps = [0u64; 4];
            for counts in by_camp.values() {
                add_counts(&mut all_camps, counts);
            }
            for camp in &camps {
                let counts = if *camp == ALL {
                    all_camps
                } else {
                    by_camp.get(*camp).copied().unwrap_or_default()
                };
                let total: u64 = counts.iter().sum();
                for (stance, &k) in STANCES.iter().zip(&counts) {
                    let (share, lo, hi) = match wilson_interval(k, total) {
                        Some((lo, hi)) => (fmt4(k as f64 / total as f64), fmt4(lo), fmt4(hi)),
                        None => (String::new(), String::new(), String::new()),
                    };
                    w.serialize(SummaryRow {
                        period: by_date.then_some(period.as_str()),
                        source,
                        speaker_camp: camp,
                        stance,
                        statements: k,
                        total,
                        share,
                        share_lo: lo,
                        share_hi: hi,
                    })
                    .map_err(&err)?;
                }
            }
        }
    }
    w.into_inner().map_err(|e| CompareError::Encode {
        file: "summary.csv",
        source: e.into_error().into(),
    })
}

/// speakers.csv: one row per (source, speaker) and per speaker over `ALL` sources, sources
/// by name then `ALL`, within a source the most quoted first (ties by name).
pub(crate) fn speakers_csv(t: &Tally) -> Result<Vec<u8>, CompareError> {
    let err = encode_error("speakers.csv");
    let mut w = crate::output::csv_writer(Vec::new());
    w.write_record(SPEAKERS_HEADER).map_err(&err)?;
    let all = t.all_speakers();
    let groups = t
        .speakers
        .iter()
        .map(|(s, m)| (s.as_str(), m))
        .chain(std::iter::once((ALL, &all)));
    for (source, speakers) in groups {
        for (name, tally) in ranked(speakers) {
            let [favor, against, neutral, unrelated] = tally.stances;
            w.serialize(SpeakerRow {
                source,
                speaker: name,
                speaker_camp: tally.camp(),
                statements: tally.statements(),
                favor,
                against,
                neutral,
                unrelated,
                unlabelled: tally.unlabelled,
            })
            .map_err(&err)?;
        }
    }
    w.into_inner().map_err(|e| CompareError::Encode {
        file: "speakers.csv",
        source: e.into_error().into(),
    })
}

/// Speakers, the most statements first, ties by name.
pub(crate) fn ranked(
    speakers: &BTreeMap<String, super::aggregate::SpeakerTally>,
) -> Vec<(&str, &super::aggregate::SpeakerTally)> {
    let mut v: Vec<_> = speakers.iter().map(|(n, t)| (n.as_str(), t)).collect();
    v.sort_by(|a, b| b.1.statements().cmp(&a.1.statements()).then(a.0.cmp(b.0)));
    v
}
