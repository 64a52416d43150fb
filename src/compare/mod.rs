//! `stancemap compare`: how outlets differ in whom they quote and which stances they carry.
//!
//! [`compare_files`] streams one or more statements.csv files (a run's output, or the shards
//! of one) and writes into the output directory:
//!
//! - `summary.csv`: one row per (source, speaker_camp, stance), also for `ALL` sources and
//!   `ALL` camps, with the statement count, the group total, the share and its 95% Wilson
//!   interval; with `--by date` a `period` column comes first.
//! - `speakers.csv`: one row per (source, speaker) with counts per stance and the camp.
//! - `network.csv` and `network.graphml`: the discourse network of actor agreement (see
//!   the definition in the `network` module's docs, repeated in docs/compare.md).
//! - `report.html`: a self-contained page with stacked bar charts and the most quoted
//!   speakers per source, and `stance_by_source.svg`, the main chart alone.
//!
//! Only counts are kept, and every output is sorted in a fixed order with floats to 4
//! decimals, so several shards give byte-identical files to their concatenation.
//! Rows with an empty stance (no classifier ran) are left out of the shares and counted in
//! [`CompareSummary::unlabelled`]; rows with an empty speaker are left out of speakers.csv
//! and the network and counted in [`CompareSummary::no_speaker`].

mod aggregate;
mod network;
mod period;
mod report;
mod tables;
mod wilson;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use aggregate::{ALL, CAMPS, NONE, NON_ACTORS, STANCES};
pub use network::NETWORK_HEADER;
pub use period::{ParsePeriodError, Period, UNKNOWN_PERIOD};
pub use tables::{SPEAKERS_HEADER, SUMMARY_HEADER};
pub use wilson::{wilson_interval, Z95};

use aggregate::Tally;

/// The files [`compare_files`] writes, in this order.
pub const OUTPUT_FILES: [&str; 6] = [
    "summary.csv",
    "speakers.csv",
    "network.csv",
    "network.graphml",
    "stance_by_source.svg",
    "report.html",
];

/// Options of `stancemap compare`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareOptions {
    /// `--by date --period P`: add a `period` column to summary.csv. Default: none.
    pub by_date: Option<Period>,
}

/// What a comparison read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompareSummary {
    /// Input files read.
    pub files: usize,
    /// Statement rows read.
    pub statements: u64,
    /// Rows with a stance label: the ones summary.csv counts.
    pub labelled: u64,
    /// Rows with an empty stance (no classifier ran): left out of summary.csv.
    pub unlabelled: u64,
    /// Rows with an empty speaker (no speaker stage ran): left out of speakers.csv and the
    /// network.
    pub no_speaker: u64,
    /// Distinct sources with labelled statements.
    pub sources: usize,
    /// Distinct speakers over all sources.
    pub speakers: usize,
    /// Actors in the `ALL` network.
    pub actors: usize,
    /// The files written.
    pub written: Vec<PathBuf>,
}

/// An error of `stancemap compare`. Messages name the file, and the line where there is one.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CompareError {
    /// No statements.csv was given.
    #[error("no input files: give one or more statements.csv")]
    NoInputs,
    /// An input could not be opened or read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The input.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A row could not be parsed as CSV (or is not UTF-8).
    #[error("{}:{line}: {source}", path.display())]
    Csv {
        /// The input.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// The header lacks a column compare needs.
    #[error("{}:1: missing column `{column}` (is this a statements.csv?)", path.display())]
    MissingColumn {
        /// The input.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
    },
    /// A row has a different number of fields from the header.
    #[error("{}:{line}: expected {expected} fields, found {found}", path.display())]
    Ragged {
        /// The input.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A stance that is none of the four labels.
    #[error(
        "{}:{line}: unknown stance `{value}` (expected favor, against, neutral, unrelated or empty)",
        path.display()
    )]
    BadStance {
        /// The input.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The cell.
        value: String,
    },
    /// An output table could not be encoded.
    #[error("encoding {file}: {source}")]
    Encode {
        /// The output file.
        file: &'static str,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A chart could not be drawn.
    #[error("drawing {what}: {message}")]
    Draw {
        /// The chart.
        what: &'static str,
        /// The plotting library's message.
        message: String,
    },
    /// An output could not be written.
    #[error("{}: {source}", path.display())]
    Write {
        /// The output file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The bytes of every output file, named as in [`OUTPUT_FILES`].
pub(crate) struct Rendered {
    files: Vec<(&'static str, Vec<u8>)>,
    summary: CompareSummary,
}

/// Reads the statements.csv files `inputs` in turn (streamed: only counts are kept) and
/// writes summary.csv, speakers.csv, network.csv, network.graphml, stance_by_source.svg,
/// and report.html into `out_dir` (created if missing). Each file is written
/// under a temporary name and renamed into place.
///
/// The result is the same for one statements.csv and for any split of its rows over
/// several files (the shards of a run), in any order.
pub fn compare_files(
    inputs: &[PathBuf],
    out_dir: &Path,
    opts: &CompareOptions,
) -> Result<CompareSummary, CompareError> {
    if inputs.is_empty() {
        return Err(CompareError::NoInputs);
    }
    let mut tally = Tally::new(opts.by_date);
    for path in inputs {
        let file = File::open(path).map_err(|source| CompareError::Read {
            path: path.clone(),
            source,
        })?;
        tally.add_reader(BufReader::new(file), path)?;
    }
    let rendered = render(&tally, opts)?;
    write_outputs(rendered, out_dir)
}

/// Compares statements.csv contents given as readers (named for error messages); the
/// in-memory form of [`compare_files`] used by tests.
#[cfg(test)]
pub(crate) fn render_readers<R: std::io::Read>(
    inputs: Vec<(PathBuf, R)>,
    opts: &CompareOptions,
) -> Result<Rendered, CompareError> {
    let mut tally = Tally::new(opts.by_date);
    for (path, r) in inputs {
        tally.add_reader(r, &path)?;
    }
    render(&tally, opts)
}

fn render(tally: &Tally, opts: &CompareOptions) -> Result<Rendered, CompareError> {
    let summary_csv = tables::summary_csv(tally, opts.by_date.is_some())?;
    let speakers_csv = tables::speakers_csv(tally)?;
    let network_csv = network::network_csv(tally)?;
    let graphml = network::network_graphml(tally);
    let sources = tally.overall().len();
    let all_speakers = tally.all_speakers();
    let actors = tally
        .all_actors()
        .values()
        .filter(|a| a.favor_count() + a.against_count() > 0)
        .count();
    let summary = CompareSummary {
        files: tally.files,
        statements: tally.rows,
        labelled: tally.labelled,
        unlabelled: tally.unlabelled,
        no_speaker: tally.no_speaker,
        sources,
        speakers: all_speakers.len(),
        actors,
        written: Vec::new(),
    };
    let svg = report::stance_by_source_svg(tally)?;
    let html = report::report_html(tally, &summary, opts)?;
    Ok(Rendered {
        files: vec![
            ("summary.csv", summary_csv),
            ("speakers.csv", speakers_csv),
            ("network.csv", network_csv),
            ("network.graphml", graphml.into_bytes()),
            ("stance_by_source.svg", svg.into_bytes()),
            ("report.html", html.into_bytes()),
        ],
        summary,
    })
}

fn write_outputs(rendered: Rendered, out_dir: &Path) -> Result<CompareSummary, CompareError> {
    std::fs::create_dir_all(out_dir).map_err(|source| CompareError::Write {
        path: out_dir.to_owned(),
        source,
    })?;
    let mut summary = rendered.summary;
    for (name, bytes) in rendered.files {
        let path = out_dir.join(name);
        let tmp = out_dir.join(format!(".{name}.tmp"));
        let io = |source| CompareError::Write {
            path: path.clone(),
            source,
        };
        let mut f = File::create(&tmp).map_err(io)?;
        f.write_all(&bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io)?;
        summary.written.push(path);
    }
    Ok(summary)
}
