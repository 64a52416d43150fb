//! The output set of a run: statements, documents and errors, in a directory (atomic,
//! resumable) or statements alone on stdout.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{
    csv_writer, AtomicFile, DocumentRow, OutputRow, RunSummary, SkipRecord, DOCUMENT_HEADER,
    ERROR_HEADER, STATEMENT_HEADER,
};

/// File names inside an output directory.
pub const STATEMENTS: &str = "statements.csv";
/// Every document with its status.
pub const DOCUMENTS: &str = "documents.csv";
/// Skipped documents.
pub const ERRORS: &str = "errors.csv";
/// Run totals.
pub const RUN_JSON: &str = "run.json";
/// The resume checkpoint (removed when the run completes).
pub const CHECKPOINT: &str = ".stancemap-progress.json";

/// Where bytes go.
pub enum Sink {
    /// Standard output.
    Stdout(io::BufWriter<io::Stdout>),
    /// A file renamed into place at the end.
    File(AtomicFile),
}

impl Sink {
    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::File(f) => f.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => {
                f.flush()?;
                f.checkpoint()
            }
        }
    }
}

/// State saved after every chunk, so `--resume` can continue after a crash or kill -9.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Identifies the inputs and settings; a resume with other ones is refused.
    pub fingerprint: String,
    /// Input stream items consumed.
    pub items_done: usize,
    /// Documents numbered so far.
    pub ordinal: usize,
    /// Complete bytes of the three temporary files.
    pub bytes: [u64; 3],
    /// Totals so far.
    pub summary: RunSummary,
}

/// An I/O error with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct OutputError {
    /// The file.
    pub path: String,
    /// The error.
    #[source]
    pub source: io::Error,
}

fn err(path: &Path) -> impl Fn(io::Error) -> OutputError + '_ {
    move |source| OutputError {
        path: path.display().to_string(),
        source,
    }
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> OutputError + '_ {
    move |e| OutputError {
        path: path.display().to_string(),
        source: io::Error::other(e),
    }
}

/// The writers of one run.
pub struct Outputs {
    dir: Option<PathBuf>,
    statements: csv::Writer<Sink>,
    documents: Option<csv::Writer<Sink>>,
    errors: Option<csv::Writer<Sink>>,
    safe_csv: bool,
}

impl Outputs {
    /// Statements CSV on stdout, header once.
    pub fn stdout(safe_csv: bool) -> Result<Self, OutputError> {
        let mut statements = csv_writer(Sink::Stdout(io::BufWriter::new(io::stdout())));
        statements
            .write_record(STATEMENT_HEADER)
            .map_err(csv_err(Path::new("<stdout>")))?;
        Ok(Outputs {
            dir: None,
            statements,
            documents: None,
            errors: None,
            safe_csv,
        })
    }

    /// Fresh files in `dir` (created if needed).
    pub fn create(dir: &Path, safe_csv: bool) -> Result<Self, OutputError> {
        fs::create_dir_all(dir).map_err(err(dir))?;
        let open = |name: &str, header: &[&str]| -> Result<csv::Writer<Sink>, OutputError> {
            let path = dir.join(name);
            let mut w = csv_writer(Sink::File(AtomicFile::create(&path).map_err(err(&path))?));
            w.write_record(header).map_err(csv_err(&path))?;
            Ok(w)
        };
        Ok(Outputs {
            dir: Some(dir.to_path_buf()),
            statements: open(STATEMENTS, &STATEMENT_HEADER)?,
            documents: Some(open(DOCUMENTS, &DOCUMENT_HEADER)?),
            errors: Some(open(ERRORS, &ERROR_HEADER)?),
            safe_csv,
        })
    }

    /// Reads the checkpoint of an interrupted run in `dir`, if there is one.
    pub fn read_checkpoint(dir: &Path) -> Result<Option<Checkpoint>, OutputError> {
        let path = dir.join(CHECKPOINT);
        if !path.exists() {
            return Ok(None);
        }
        let text = fs::read_to_string(&path).map_err(err(&path))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| err(&path)(io::Error::other(e)))
    }

    /// Reopens the temporary files of an interrupted run, cut back to the checkpoint so that
    /// rows written after it (by a run killed mid-chunk) are dropped.
    pub fn resume(dir: &Path, ck: &Checkpoint, safe_csv: bool) -> Result<Self, OutputError> {
        let reopen = |name: &str, len: u64| -> Result<csv::Writer<Sink>, OutputError> {
            let dest = dir.join(name);
            let tmp = AtomicFile::tmp_path(&dest);
            if !tmp.exists() && dest.exists() {
                // Killed while renaming the finished files into place: take this one back.
                fs::rename(&dest, &tmp).map_err(err(&dest))?;
            }
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&tmp)
                .map_err(err(&tmp))?;
            f.set_len(len).map_err(err(&tmp))?;
            drop(f);
            Ok(csv_writer(Sink::File(
                AtomicFile::append(&dest, tmp.clone()).map_err(err(&tmp))?,
            )))
        };
        Ok(Outputs {
            dir: Some(dir.to_path_buf()),
            statements: reopen(STATEMENTS, ck.bytes[0])?,
            documents: Some(reopen(DOCUMENTS, ck.bytes[1])?),
            errors: Some(reopen(ERRORS, ck.bytes[2])?),
            safe_csv,
        })
    }

    /// Writes one statement row.
    pub fn statement(&mut self, mut row: OutputRow) -> Result<(), OutputError> {
        if self.safe_csv {
            row.defuse();
        }
        self.statements
            .serialize(row)
            .map_err(csv_err(Path::new(STATEMENTS)))
    }

    /// Copies a statements row read back from another run (used by `merge`).
    pub fn raw_statement(&mut self, record: &csv::StringRecord) -> Result<(), OutputError> {
        self.statements
            .write_record(record)
            .map_err(csv_err(Path::new(STATEMENTS)))
    }

    /// Records one document's fate.
    pub fn document(&mut self, row: &DocumentRow) -> Result<(), OutputError> {
        if let Some(w) = self.documents.as_mut() {
            w.serialize(row).map_err(csv_err(Path::new(DOCUMENTS)))?;
        }
        Ok(())
    }

    /// Records one skipped document.
    pub fn error(&mut self, row: &SkipRecord) -> Result<(), OutputError> {
        if let Some(w) = self.errors.as_mut() {
            w.serialize(row).map_err(csv_err(Path::new(ERRORS)))?;
        }
        Ok(())
    }

    /// Makes everything written so far durable and returns the checkpoint byte counts.
    pub fn sync(&mut self) -> Result<[u64; 3], OutputError> {
        self.statements
            .flush()
            .map_err(err(Path::new(STATEMENTS)))?;
        let mut bytes = [0u64; 3];
        if let Some(dir) = &self.dir {
            for (i, (name, w)) in [
                (DOCUMENTS, self.documents.as_mut()),
                (ERRORS, self.errors.as_mut()),
            ]
            .into_iter()
            .enumerate()
            {
                if let Some(w) = w {
                    w.flush().map_err(err(Path::new(name)))?;
                }
                let tmp = AtomicFile::tmp_path(&dir.join(name));
                bytes[i + 1] = fs::metadata(&tmp).map_err(err(&tmp))?.len();
            }
            let tmp = AtomicFile::tmp_path(&dir.join(STATEMENTS));
            bytes[0] = fs::metadata(&tmp).map_err(err(&tmp))?.len();
        }
        Ok(bytes)
    }

    /// Writes the checkpoint atomically.
    pub fn checkpoint(&self, ck: &Checkpoint) -> Result<(), OutputError> {
        if let Some(dir) = &self.dir {
            let json = serde_json::to_string(ck).map_err(|e| err(dir)(io::Error::other(e)))?;
            write_atomic(&dir.join(CHECKPOINT), json.as_bytes())?;
        }
        Ok(())
    }

    /// Renames every file into place, writes run.json and removes the checkpoint.
    pub fn finish(self, summary: &RunSummary) -> Result<(), OutputError> {
        let into = |w: csv::Writer<Sink>, name: &str| -> Result<(), OutputError> {
            let sink = w
                .into_inner()
                .map_err(|e| err(Path::new(name))(e.into_error()))?;
            sink.finish().map_err(err(Path::new(name)))
        };
        into(self.statements, STATEMENTS)?;
        if let Some(w) = self.documents {
            into(w, DOCUMENTS)?;
        }
        if let Some(w) = self.errors {
            into(w, ERRORS)?;
        }
        if let Some(dir) = &self.dir {
            let json =
                serde_json::to_string_pretty(summary).map_err(|e| err(dir)(io::Error::other(e)))?;
            write_atomic(&dir.join(RUN_JSON), format!("{json}\n").as_bytes())?;
            let _ = fs::remove_file(dir.join(CHECKPOINT));
        }
        Ok(())
    }
}

/// Writes a whole small file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut f = AtomicFile::create(path).map_err(err(path))?;
    f.write_all(bytes).map_err(err(path))?;
    f.commit().map_err(err(path))
}
