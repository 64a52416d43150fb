//! Output: statements.csv, errors.csv and run.json.
//!
//! Every CSV reader and writer of the crate is built here, so quoting and flexibility rules
//! are the same everywhere. Files are written to a temporary name and renamed into place
//! when complete, so a reader never sees a torn file.

mod atomic;
pub mod files;
pub mod merge;
pub mod row;
mod summary;

pub use atomic::AtomicFile;
pub use files::{Checkpoint, OutputError, Outputs};
pub use row::{DocumentRow, OutputRow, DOCUMENT_HEADER, ERROR_HEADER, STATEMENT_HEADER};
pub use summary::{ClassifierStats, RunSummary, SkipRecord, StageSeconds};

/// The CSV reader settings used for every input: a header row, ragged rows reported by us.
pub fn csv_reader_builder() -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(true).flexible(true);
    b
}

/// The CSV writer settings used for every output: RFC 4180 quoting, `\n` line ends, and
/// no automatic header (callers write it, so that appending on `--resume` works the same).
pub fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .from_writer(w)
}

/// Prefixes a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// with a single quote: the `--safe-csv` defence against CSV injection.
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}
