//! Ingestion: input paths → a stream of [`Document`]s.
//!
//! Three formats: `.txt` (one article per file), `.jsonl` (one article per line) and
//! `.csv` (one article per row, with a header). A bad line or row never stops the run:
//! it becomes a [`Skipped`] item that names its file and line, so the run's totals
//! account for every input document.

mod csv_rows;
mod jsonl;
mod txt;

use std::fs;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::record::Document;

/// How to read an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// By extension: `.jsonl`/`.ndjson`, `.csv`, anything else is text.
    #[default]
    Auto,
    /// One article per file.
    Txt,
    /// One JSON object per line with `text` and optional `id`, `source`, `date`, `url`, `title`.
    Jsonl,
    /// A header row, then one article per row, with the same fields as columns.
    Csv,
}

impl Format {
    /// The concrete format of `path` under this setting.
    pub fn resolve(self, path: &Path) -> Format {
        if self != Format::Auto {
            return self;
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("jsonl") | Some("ndjson") => Format::Jsonl,
            Some("csv") => Format::Csv,
            _ => Format::Txt,
        }
    }
}

/// Errors that stop ingestion of a whole input (not a single document).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IngestError {
    /// A path given on the command line does not exist or cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

/// One file to read, with the root it was found under (for `doc_id` and `source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file.
    pub path: PathBuf,
    /// The PATH given by the user that led to this file.
    pub root: PathBuf,
    /// Its concrete format.
    pub format: Format,
}

impl InputFile {
    /// The file's name as reported in messages and `doc_id`s: relative to its root when the root
    /// is a directory, else the file name (so ids do not depend on where the corpus lives).
    pub fn display_name(&self) -> String {
        match self.path.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => slash_path(rel),
            _ => self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| slash_path(&self.path)),
        }
    }

    /// The outlet: the first directory under the root, else the file's parent folder name.
    pub fn default_source(&self) -> String {
        if let Ok(rel) = self.path.strip_prefix(&self.root) {
            let mut comps = rel.components();
            if let (Some(first), Some(_)) = (comps.next(), comps.next()) {
                return first.as_os_str().to_string_lossy().into_owned();
            }
        }
        self.path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Forward slashes on every platform, so `doc_id`s are the same everywhere.
fn slash_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Finds the input files under `paths`: files as given, directories walked recursively in
/// sorted order (hidden entries skipped). `-` stands for JSONL on standard input.
pub fn discover(paths: &[PathBuf], format: Format) -> Result<Vec<InputFile>, IngestError> {
    let mut files = Vec::new();
    for root in paths {
        if root.as_os_str() == "-" {
            files.push(InputFile {
                path: root.clone(),
                root: root.clone(),
                format: if format == Format::Auto {
                    Format::Jsonl
                } else {
                    format
                },
            });
            continue;
        }
        let meta = fs::metadata(root).map_err(|source| IngestError::Io {
            path: root.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(root, &mut found)?;
            found.sort();
            files.extend(found.into_iter().map(|path| InputFile {
                format: format.resolve(&path),
                path,
                root: root.clone(),
            }));
        } else {
            files.push(InputFile {
                path: root.clone(),
                root: root.clone(),
                format: format.resolve(root),
            });
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    let io_err = |source| IngestError::Io {
        path: dir.display().to_string(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().map_err(io_err)?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// How many documents `files` hold, for a progress bar's ETA: one per text file plus the
/// non-blank lines of JSONL files (a fast byte scan). `None` when a CSV file or stdin is
/// among them, or the JSONL files are too large to scan up front (over 2 GB).
pub fn estimate_documents(files: &[InputFile]) -> Option<usize> {
    const MAX_SCAN: u64 = 2 << 30;
    let mut total = 0usize;
    let mut scanned = 0u64;
    for f in files {
        match f.format {
            Format::Txt | Format::Auto if f.path.as_os_str() != "-" => total += 1,
            Format::Jsonl if f.path.as_os_str() != "-" => {
                scanned += fs::metadata(&f.path).ok()?.len();
                if scanned > MAX_SCAN {
                    return None;
                }
                total += count_nonblank_lines(fs::File::open(&f.path).ok()?).ok()?;
            }
            _ => return None,
        }
    }
    Some(total)
}

/// Counts lines with any non-whitespace byte, streaming in blocks (memory stays flat).
fn count_nonblank_lines(mut r: impl io::Read) -> io::Result<usize> {
    let mut buf = vec![0u8; 1 << 16];
    let (mut lines, mut content) = (0usize, false);
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok(lines + usize::from(content));
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                lines += usize::from(content);
                content = false;
            } else if !b.is_ascii_whitespace() {
                content = true;
            }
        }
    }
}

/// A document that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `file:line` (or just `file` for whole-file problems).
    pub location: String,
    /// The document's id when it could be read, else empty.
    pub doc_id: String,
    /// What was wrong.
    pub reason: String,
}

/// A problem that did not cost a document (e.g. invalid UTF-8 decoded lossily).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `file` or `file:line`.
    pub location: String,
    /// What happened.
    pub message: String,
}

/// One item of the document stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A document to analyse (possibly with an empty text).
    Doc(Document),
    /// A document that was skipped.
    Skipped(Skipped),
    /// A warning about a document that is still analysed.
    Warning(Warning),
}

/// Streams the documents of `files` in order, reading one file at a time, so that memory
/// stays bounded by the largest single file (a JSONL or CSV file is read line by line).
pub fn documents(files: Vec<InputFile>) -> impl Iterator<Item = Item> {
    files.into_iter().flat_map(read_file)
}

fn read_file(file: InputFile) -> Box<dyn Iterator<Item = Item>> {
    let name = file.display_name();
    let open = || -> io::Result<Box<dyn BufRead>> {
        if file.path.as_os_str() == "-" {
            Ok(Box::new(io::BufReader::new(io::stdin())))
        } else {
            Ok(Box::new(io::BufReader::new(fs::File::open(&file.path)?)))
        }
    };
    let reader = match open() {
        Ok(r) => r,
        Err(e) => {
            return Box::new(std::iter::once(Item::Skipped(Skipped {
                location: name.clone(),
                doc_id: name,
                reason: format!("cannot open file: {e}"),
            })))
        }
    };
    match file.format {
        Format::Jsonl => Box::new(jsonl::read(reader, name, file.default_source())),
        Format::Csv => Box::new(csv_rows::read(reader, name, file.default_source())),
        Format::Txt | Format::Auto => Box::new(txt::read(reader, &file).into_iter()),
    }
}

/// Decodes bytes as UTF-8, replacing invalid sequences; returns whether any were replaced.
pub(crate) fn decode_lossy(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    }
}

/// Fields that JSONL objects and CSV rows share.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub id: Option<String>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
}

impl Fields {
    /// Builds the document, or says why not. `fallback_id` is `file:line`.
    pub fn into_document(
        self,
        fallback_id: &str,
        default_source: &str,
    ) -> Result<Document, String> {
        let text = self
            .text
            .ok_or_else(|| "missing field `text`".to_string())?;
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        Ok(Document {
            doc_id: non_empty(self.id).unwrap_or_else(|| fallback_id.to_string()),
            source: non_empty(self.source).unwrap_or_else(|| default_source.to_string()),
            date: self.date.unwrap_or_default(),
            url: self.url.unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            text,
            location: fallback_id.to_string(),
        })
    }
}

impl Skipped {
    /// A short name for the kind of problem, for the counts in run.json.
    pub fn kind(&self) -> &'static str {
        let r = self.reason.as_str();
        if r.starts_with("invalid JSON") {
            "invalid JSON"
        } else if r.contains("not an object") {
            "not a JSON object"
        } else if r.starts_with("missing field `text`") {
            "missing text"
        } else if r.starts_with("field `") {
            "field of the wrong type"
        } else if r.starts_with("row has") {
            "ragged CSV row"
        } else if r.contains("CSV") {
            "malformed CSV"
        } else {
            "unreadable file"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonblank_lines_are_counted_across_blocks() {
        let mut text = "{\"text\":\"a\"}\n\n   \n".repeat(30_000);
        text.push_str("{\"text\":\"last, no newline\"}");
        assert_eq!(count_nonblank_lines(text.as_bytes()).unwrap(), 30_001);
    }

    #[test]
    fn formats_resolve_by_extension() {
        assert_eq!(Format::Auto.resolve(Path::new("a/b.JSONL")), Format::Jsonl);
        assert_eq!(Format::Auto.resolve(Path::new("a/b.csv")), Format::Csv);
        assert_eq!(Format::Auto.resolve(Path::new("a/b.html")), Format::Txt);
        assert_eq!(Format::Csv.resolve(Path::new("a/b.txt")), Format::Csv);
    }

    #[test]
    fn source_is_the_first_directory_under_the_root() {
        let f = InputFile {
            path: PathBuf::from("corpus/bbc/2025/a.txt"),
            root: PathBuf::from("corpus"),
            format: Format::Txt,
        };
        assert_eq!(f.default_source(), "bbc");
        assert_eq!(f.display_name(), "bbc/2025/a.txt");
        let single = InputFile {
            path: PathBuf::from("x/feeds/a.jsonl"),
            root: PathBuf::from("x/feeds/a.jsonl"),
            format: Format::Jsonl,
        };
        assert_eq!(single.default_source(), "feeds");
        assert_eq!(single.display_name(), "a.jsonl");
    }
}
