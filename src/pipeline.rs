//! The `analyze` pipeline: ingest → split → speaker → classify → output, streamed in chunks.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::classify::{ClassifyError, Pair, PredictionCache, StanceClassifier};
use crate::config::{AnalyzeConfig, OutTarget};
use crate::ingest::{self, IngestError, Item};
use crate::output::row::round4;
use crate::output::{self, AtomicFile, ClassifierStats, OutputRow, RunSummary, SkipRecord};
use crate::record::{Document, Prediction, Utterance};
use crate::speaker::{ActorRegistry, RegistryError, RuleAttributor, SpeakerStage};
use crate::split::{RuleSplitter, Splitter};

/// Errors that stop a run (bad documents do not: they are counted and listed).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The inputs could not be listed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The model could not be loaded or run.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// The actor registry is invalid.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Writing output failed.
    #[error("{path}: {source}")]
    Output {
        /// The file.
        path: String,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// A CSV row could not be written.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// `--resume` found a checkpoint that does not match this run.
    #[error("{0}")]
    Resume(String),
}

/// What the caller hears about while a run goes on.
pub trait Observer: Sync {
    /// After each chunk: documents consumed so far (including skipped) and statements written.
    fn progress(&self, _documents: usize, _statements: usize) {}
    /// A skipped document or a warning, as `location: message`.
    fn message(&self, _msg: &str) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl Observer for Silent {}

/// The stages, built once from the configuration.
pub struct Stages {
    splitter: RuleSplitter,
    speakers: Option<RuleAttributor>,
    classifier: Option<StanceClassifier>,
}

impl Stages {
    /// Builds the stages `cfg` asks for (loading the model and actor registry).
    pub fn build(cfg: &AnalyzeConfig) -> Result<Self, PipelineError> {
        let speakers = if cfg.no_speakers {
            None
        } else {
            let registry = match &cfg.actors {
                Some(path) => ActorRegistry::load(path)?,
                None => ActorRegistry::builtin(),
            };
            Some(RuleAttributor::new(registry))
        };
        let classifier = match &cfg.model {
            Some(dir) => Some(StanceClassifier::load(
                dir,
                cfg.engine,
                cfg.threads,
                cfg.batch_size,
            )?),
            None => None,
        };
        Ok(Stages {
            splitter: RuleSplitter,
            speakers,
            classifier,
        })
    }

    /// The classifier, if one is loaded.
    pub fn classifier(&self) -> Option<&StanceClassifier> {
        self.classifier.as_ref()
    }

    /// Splits and attributes one document (the CPU text stages).
    pub fn text_stages(&self, doc: &Document) -> (Vec<Utterance>, usize) {
        let split = self.splitter.split(doc);
        let speakers = self.speakers.as_ref().map(|s| {
            let spans: Vec<_> = split.sentences.iter().map(|s| s.span.clone()).collect();
            s.attribute(&doc.text, &spans)
        });
        let utterances = split
            .sentences
            .into_iter()
            .enumerate()
            .map(|(i, sentence)| Utterance {
                sentence,
                speaker: speakers.as_ref().and_then(|v| v.get(i).cloned()),
            })
            .collect();
        (utterances, split.furniture_dropped)
    }
}

/// The rows of one document, built from its utterances and predictions.
pub fn rows_for(
    doc: &Document,
    utterances: &[Utterance],
    predictions: Option<&[Prediction]>,
    model: &str,
) -> Vec<OutputRow> {
    let mut chars = CharIndex::new(&doc.text);
    utterances
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let span = &u.sentence.span;
            let (char_start, char_end) = (chars.at(span.start), chars.at(span.end));
            let speaker = u.speaker.as_ref();
            let pred = predictions.and_then(|p| p.get(i));
            OutputRow {
                doc_id: doc.doc_id.clone(),
                source: doc.source.clone(),
                date: doc.date.clone(),
                url: doc.url.clone(),
                title: doc.title.clone(),
                sentence_idx: u.sentence.idx,
                char_start,
                char_end,
                sentence: doc.text[span.clone()].to_string(),
                speaker: speaker.map(|s| s.name.clone()).unwrap_or_default(),
                speaker_camp: speaker
                    .map(|s| s.camp.as_str().to_string())
                    .unwrap_or_default(),
                attribution: speaker
                    .map(|s| s.attribution.as_str().to_string())
                    .unwrap_or_default(),
                stance: pred
                    .map(|p| p.stance.as_str().to_string())
                    .unwrap_or_default(),
                p_favor: pred.map(|p| round4(p.probs[0])),
                p_against: pred.map(|p| round4(p.probs[1])),
                p_neutral: pred.map(|p| round4(p.probs[2])),
                p_unrelated: pred.map(|p| round4(p.probs[3])),
                model: if pred.is_some() {
                    model.to_string()
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// Converts increasing byte offsets to code-point offsets in one pass.
struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        CharIndex {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Applies `--safe-csv` to every text cell of a row.
fn defuse(row: &mut OutputRow) {
    for cell in [
        &mut row.doc_id,
        &mut row.source,
        &mut row.date,
        &mut row.url,
        &mut row.title,
        &mut row.sentence,
        &mut row.speaker,
    ] {
        if let std::borrow::Cow::Owned(s) = output::defuse_formula(cell) {
            *cell = s;
        }
    }
}

/// The resume checkpoint, written after every chunk.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Checkpoint {
    /// A fingerprint of the inputs and settings that shape the output.
    fingerprint: String,
    /// Stream items consumed.
    items_done: usize,
    /// Bytes of statements.csv.tmp and errors.csv.tmp that are complete.
    statements_bytes: u64,
    errors_bytes: u64,
    summary: RunSummary,
}

const CHECKPOINT: &str = ".stancemap-progress.json";

/// Runs `analyze` and returns the run's totals.
pub fn analyze(cfg: &AnalyzeConfig, observer: &dyn Observer) -> Result<RunSummary, PipelineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()?;
    pool.install(|| analyze_in_pool(cfg, observer))
}

fn out_err(path: &Path) -> impl Fn(io::Error) -> PipelineError + '_ {
    move |source| PipelineError::Output {
        path: path.display().to_string(),
        source,
    }
}

fn analyze_in_pool(
    cfg: &AnalyzeConfig,
    observer: &dyn Observer,
) -> Result<RunSummary, PipelineError> {
    let files = ingest::discover(&cfg.inputs, cfg.format)?;
    let stages = Stages::build(cfg)?;
    let model_name = stages
        .classifier
        .as_ref()
        .map(|c| c.identity().to_string())
        .unwrap_or_default();
    let fingerprint = format!(
        "{:?}|{:?}|{:?}|{}|{}|{}",
        cfg.inputs, cfg.format, cfg.shard, model_name, cfg.no_speakers, cfg.safe_csv
    );

    let mut summary = RunSummary {
        stancemap_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: cfg.inputs.iter().map(|p| p.display().to_string()).collect(),
        shard: cfg.shard.map(|s| s.to_string()),
        classifier: stages.classifier.as_ref().map(|c| ClassifierStats {
            model: model_name.clone(),
            engine: c.kind().as_str().to_string(),
            ..ClassifierStats::default()
        }),
        ..RunSummary::default()
    };

    // Outputs: either three files in a directory (written under .tmp names and renamed at
    // the end), or statements on stdout.
    let mut items_to_skip = 0usize;
    let (mut statements, mut errors, dir): (
        csv::Writer<Sink>,
        Option<csv::Writer<Sink>>,
        Option<PathBuf>,
    ) = match &cfg.out {
        OutTarget::Stdout => {
            let mut st = output::csv_writer(Sink::Stdout(io::BufWriter::new(io::stdout())));
            st.write_record(output::STATEMENT_HEADER)?;
            (st, None, None)
        }
        OutTarget::Dir(dir) => {
            fs::create_dir_all(dir).map_err(out_err(dir))?;
            let st_path = dir.join("statements.csv");
            let er_path = dir.join("errors.csv");
            let ck_path = dir.join(CHECKPOINT);
            let resumed = if cfg.resume && ck_path.exists() {
                let ck: Checkpoint =
                    serde_json::from_str(&fs::read_to_string(&ck_path).map_err(out_err(&ck_path))?)
                        .map_err(|e| {
                            PipelineError::Resume(format!("{}: {e}", ck_path.display()))
                        })?;
                if ck.fingerprint != fingerprint {
                    return Err(PipelineError::Resume(format!(
                            "{}: the interrupted run used other inputs, model or settings; remove the directory or drop --resume",
                            ck_path.display()
                        )));
                }
                Some(ck)
            } else {
                None
            };
            match resumed {
                Some(ck) => {
                    let st_tmp = tmp_path(&st_path);
                    let er_tmp = tmp_path(&er_path);
                    truncate(&st_tmp, ck.statements_bytes)?;
                    truncate(&er_tmp, ck.errors_bytes)?;
                    items_to_skip = ck.items_done;
                    summary = ck.summary;
                    let st =
                        AtomicFile::append(&st_path, st_tmp.clone()).map_err(out_err(&st_tmp))?;
                    let er =
                        AtomicFile::append(&er_path, er_tmp.clone()).map_err(out_err(&er_tmp))?;
                    (
                        output::csv_writer(Sink::File(st)),
                        Some(output::csv_writer(Sink::File(er))),
                        Some(dir.clone()),
                    )
                }
                None => {
                    let st = AtomicFile::create(&st_path).map_err(out_err(&st_path))?;
                    let er = AtomicFile::create(&er_path).map_err(out_err(&er_path))?;
                    let mut st = output::csv_writer(Sink::File(st));
                    let mut er = output::csv_writer(Sink::File(er));
                    st.write_record(output::STATEMENT_HEADER)?;
                    er.write_record(output::ERROR_HEADER)?;
                    (st, Some(er), Some(dir.clone()))
                }
            }
        }
    };
    let mut cache = PredictionCache::new(500_000);
    let mut stream = ingest::documents(files)
        .enumerate()
        .skip(items_to_skip)
        .peekable();
    let mut items_done = items_to_skip;
    let mut stats = summary.classifier.take().unwrap_or_default();

    while stream.peek().is_some() {
        // Read one chunk: documents to analyse, skips and warnings reported in order.
        let mut docs: Vec<Document> = Vec::with_capacity(cfg.docs_per_chunk);
        let mut skips: Vec<SkipRecord> = Vec::new();
        for (_, item) in stream.by_ref() {
            items_done += 1;
            match item {
                Item::Doc(doc) => {
                    if cfg.shard.is_some_and(|s| !s.owns(&doc.doc_id)) {
                        continue;
                    }
                    summary.documents_read += 1;
                    docs.push(doc);
                }
                Item::Skipped(s) => {
                    if cfg.shard.is_some_and(|sh| !sh.owns(&s.location)) {
                        continue;
                    }
                    summary.documents_read += 1;
                    summary.documents_skipped += 1;
                    *summary
                        .skipped_by_reason
                        .entry(s.kind().to_string())
                        .or_default() += 1;
                    observer.message(&format!("{}: {} (document skipped)", s.location, s.reason));
                    skips.push(SkipRecord {
                        location: s.location,
                        doc_id: s.doc_id,
                        reason: s.reason,
                    });
                }
                Item::Warning(w) => {
                    summary.warnings += 1;
                    observer.message(&format!("{}: warning: {}", w.location, w.message));
                }
            }
            if docs.len() >= cfg.docs_per_chunk {
                break;
            }
        }

        // Text stages in parallel; collect keeps input order.
        let analysed: Vec<(Vec<Utterance>, usize)> =
            docs.par_iter().map(|d| stages.text_stages(d)).collect();

        // Classify every statement of the chunk at once, with its previous sentence as context.
        let predictions: Option<Vec<Prediction>> = match &stages.classifier {
            Some(classifier) => {
                let pairs: Vec<Pair> = docs
                    .iter()
                    .zip(&analysed)
                    .flat_map(|(doc, (utts, _))| {
                        utts.iter().enumerate().map(move |(i, u)| Pair {
                            sentence: u.sentence.text(doc).to_string(),
                            context: if i == 0 {
                                String::new()
                            } else {
                                utts[i - 1].sentence.text(doc).to_string()
                            },
                        })
                    })
                    .collect();
                Some(cache.predict(classifier, &pairs, &mut stats)?)
            }
            None => None,
        };

        let mut offset = 0;
        for (doc, (utts, furniture)) in docs.iter().zip(&analysed) {
            summary.documents_analyzed += 1;
            summary.furniture_dropped += furniture;
            if utts.is_empty() {
                summary.documents_empty += 1;
            }
            let preds = predictions
                .as_ref()
                .map(|p| &p[offset..offset + utts.len()]);
            offset += utts.len();
            for mut row in rows_for(doc, utts, preds, &model_name) {
                if !row.stance.is_empty() {
                    *summary.stance_counts.entry(row.stance.clone()).or_default() += 1;
                }
                if cfg.safe_csv {
                    defuse(&mut row);
                }
                statements.serialize(row)?;
                summary.statements_written += 1;
            }
        }
        if let Some(er) = errors.as_mut() {
            for s in &skips {
                er.serialize(s)?;
            }
        }

        // Make the chunk durable, then record it in the checkpoint.
        statements.flush().map_err(|e| PipelineError::Output {
            path: "statements.csv".into(),
            source: e,
        })?;
        if let (Some(dir), Some(er)) = (&dir, errors.as_mut()) {
            er.flush().map_err(out_err(dir))?;
            let st_tmp = tmp_path(&dir.join("statements.csv"));
            let er_tmp = tmp_path(&dir.join("errors.csv"));
            let mut with_stats = summary.clone();
            with_stats.classifier = summary_stats(&stats, stages.classifier.is_some());
            let ck = Checkpoint {
                fingerprint: fingerprint.clone(),
                items_done,
                statements_bytes: file_len(&st_tmp)?,
                errors_bytes: file_len(&er_tmp)?,
                summary: with_stats,
            };
            write_atomic(
                &dir.join(CHECKPOINT),
                serde_json::to_string(&ck).unwrap_or_default().as_bytes(),
            )?;
        }
        observer.progress(items_done, summary.statements_written);
    }

    summary.classifier = summary_stats(&stats, stages.classifier.is_some());
    let statements = statements.into_inner().map_err(|e| PipelineError::Output {
        path: "statements.csv".into(),
        source: e.into_error(),
    })?;
    match &dir {
        Some(d) => statements.finish().map_err(out_err(d))?,
        None => statements
            .finish()
            .map_err(|source| PipelineError::Output {
                path: "<stdout>".into(),
                source,
            })?,
    }
    if let Some(dir) = dir {
        if let Some(er) = errors {
            let er = er.into_inner().map_err(|e| PipelineError::Output {
                path: dir.join("errors.csv").display().to_string(),
                source: e.into_error(),
            })?;
            er.finish().map_err(out_err(&dir))?;
        }
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        write_atomic(&dir.join("run.json"), format!("{json}\n").as_bytes())?;
        let _ = fs::remove_file(dir.join(CHECKPOINT));
    }
    Ok(summary)
}

fn summary_stats(stats: &ClassifierStats, loaded: bool) -> Option<ClassifierStats> {
    loaded.then(|| {
        let mut s = stats.clone();
        s.cache_hit_rate = ratio(s.cache_hits, s.statements);
        s.padding_overhead = if s.tokens == 0 {
            0.0
        } else {
            (s.padded_tokens as f64 / s.tokens as f64 - 1.0).max(0.0)
        };
        s.cache_hit_rate = (s.cache_hit_rate * 1e4).round() / 1e4;
        s.padding_overhead = (s.padding_overhead * 1e4).round() / 1e4;
        s
    })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn tmp_path(dest: &Path) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

fn file_len(path: &Path) -> Result<u64, PipelineError> {
    fs::metadata(path).map(|m| m.len()).map_err(out_err(path))
}

fn truncate(path: &Path, len: u64) -> Result<(), PipelineError> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(out_err(path))?;
    f.set_len(len).map_err(out_err(path))?;
    f.seek(io::SeekFrom::End(0)).map_err(out_err(path))?;
    Ok(())
}

/// Where statements.csv bytes go.
enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Sink {
    /// Flushes stdout, or commits the file into place.
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

/// Writes a whole small file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    let mut f = AtomicFile::create(path).map_err(out_err(path))?;
    f.write_all(bytes).map_err(out_err(path))?;
    f.commit().map_err(out_err(path))
}

/// Counts per key, for summaries.
pub type Counts = BTreeMap<String, usize>;
