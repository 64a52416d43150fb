//! `stancemap merge`: combine the output directories of `--shard K/N` runs into exactly the
//! files one run over the whole corpus writes.
//!
//! Every shard reads the whole input stream and numbers each document (`ordinal` in
//! documents.csv), so the shards' rows can be interleaved back into input order.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::files::{DOCUMENTS, ERRORS, RUN_JSON, STATEMENTS};
use super::{csv_reader_builder, DocumentRow, OutputError, Outputs, RunSummary, SkipRecord};

/// Why shards could not be merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// A file is missing or unreadable.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The comparison tables could not be written.
    #[error(transparent)]
    Compare(#[from] crate::compare::CompareError),
    /// A file's content does not fit the others.
    #[error("{path}: {msg}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        msg: String,
    },
}

fn invalid(path: &Path, msg: impl Into<String>) -> MergeError {
    MergeError::Invalid {
        path: path.display().to_string(),
        msg: msg.into(),
    }
}

fn open(path: &Path) -> Result<csv::Reader<File>, MergeError> {
    let f = File::open(path).map_err(|source| OutputError {
        path: path.display().to_string(),
        source,
    })?;
    Ok(csv_reader_builder().from_reader(f))
}

/// Merges shard directories into `out`; returns the combined totals.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<RunSummary, MergeError> {
    // Which shard holds each document, in input order.
    let mut order: BTreeMap<usize, (usize, DocumentRow)> = BTreeMap::new();
    let mut summaries = Vec::new();
    for (s, dir) in shards.iter().enumerate() {
        let path = dir.join(DOCUMENTS);
        for row in open(&path)?.deserialize::<DocumentRow>() {
            let row = row.map_err(|e| invalid(&path, e.to_string()))?;
            if let Some((other, _)) = order.insert(row.ordinal, (s, row.clone())) {
                return Err(invalid(
                    &path,
                    format!(
                        "document {} also appears in {}: shards overlap",
                        row.ordinal,
                        shards[other].display()
                    ),
                ));
            }
        }
        let run_path = dir.join(RUN_JSON);
        let text = std::fs::read_to_string(&run_path).map_err(|source| OutputError {
            path: run_path.display().to_string(),
            source,
        })?;
        let summary: RunSummary =
            serde_json::from_str(&text).map_err(|e| invalid(&run_path, e.to_string()))?;
        summaries.push(summary);
    }

    let mut statements: Vec<csv::StringRecordsIntoIter<File>> = Vec::new();
    let mut errors: Vec<csv::DeserializeRecordsIntoIter<File, SkipRecord>> = Vec::new();
    for dir in shards {
        statements.push(open(&dir.join(STATEMENTS))?.into_records());
        errors.push(open(&dir.join(ERRORS))?.into_deserialize());
    }

    let mut outputs = Outputs::create(out, false)?;
    for (shard, doc) in order.values() {
        let st_path = shards[*shard].join(STATEMENTS);
        for _ in 0..doc.statements {
            let rec = statements[*shard]
                .next()
                .ok_or_else(|| {
                    invalid(&st_path, format!("ends before the rows of {}", doc.doc_id))
                })?
                .map_err(|e| invalid(&st_path, e.to_string()))?;
            outputs.raw_statement(&rec)?;
        }
        if doc.status == "skipped" {
            let er_path = shards[*shard].join(ERRORS);
            let skip = errors[*shard]
                .next()
                .ok_or_else(|| invalid(&er_path, format!("has no row for {}", doc.location)))?
                .map_err(|e| invalid(&er_path, e.to_string()))?;
            outputs.error(&skip)?;
        }
        outputs.document(doc)?;
    }
    for (s, mut it) in statements.into_iter().enumerate() {
        if it.next().is_some() {
            return Err(invalid(
                &shards[s].join(STATEMENTS),
                "has rows that documents.csv does not account for",
            ));
        }
    }

    let summary = combine(&summaries);
    outputs.finish(&summary)?;
    crate::compare::compare_files(
        &[out.join(STATEMENTS)],
        out,
        &crate::compare::CompareOptions::default(),
    )?;
    Ok(summary)
}

/// Adds up shard totals. Cache figures are summed as counts; the hit rate is recomputed.
fn combine(parts: &[RunSummary]) -> RunSummary {
    let mut total = RunSummary {
        stancemap_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: parts.first().map(|p| p.inputs.clone()).unwrap_or_default(),
        ..RunSummary::default()
    };
    for p in parts {
        total.documents_read += p.documents_read;
        total.documents_analyzed += p.documents_analyzed;
        total.documents_empty += p.documents_empty;
        total.documents_skipped += p.documents_skipped;
        total.warnings += p.warnings;
        total.statements_written += p.statements_written;
        total.furniture_dropped += p.furniture_dropped;
        for (k, v) in &p.skipped_by_reason {
            *total.skipped_by_reason.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &p.stance_counts {
            *total.stance_counts.entry(k.clone()).or_default() += v;
        }
        if let Some(c) = &p.classifier {
            let t = total
                .classifier
                .get_or_insert_with(|| super::ClassifierStats {
                    model: c.model.clone(),
                    engine: c.engine.clone(),
                    ..Default::default()
                });
            t.statements += c.statements;
            t.model_inputs += c.model_inputs;
            t.cache_hits += c.cache_hits;
            t.tokens += c.tokens;
            t.padded_tokens += c.padded_tokens;
        }
    }
    if let Some(t) = total.classifier.as_mut() {
        t.finish();
    }
    total
}
