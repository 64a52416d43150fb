//! The `analyze` pipeline: ingest → split → speaker → classify → output, streamed in chunks.

use rayon::prelude::*;
use thiserror::Error;

use crate::classify::{speaker_tag, ClassifyError, Pair, PredictionCache, StanceClassifier};
use crate::config::{AnalyzeConfig, OutTarget};
use crate::ingest::{self, IngestError, Item};
use crate::output::row::round4;
use crate::output::{
    Checkpoint, ClassifierStats, DocumentRow, OutputError, OutputRow, Outputs, RunSummary,
    SkipRecord,
};
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
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The comparison tables could not be written.
    #[error(transparent)]
    Compare(#[from] crate::compare::CompareError),
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// `--resume` found a checkpoint that does not match this run.
    #[error("{0}")]
    Resume(String),
}

/// What the caller hears about while a run goes on.
pub trait Observer: Sync {
    /// Before the first chunk: the number of documents expected, when it can be known cheaply.
    fn start(&self, _documents: Option<usize>) {}
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

/// Runs `analyze` and returns the run's totals.
pub fn analyze(cfg: &AnalyzeConfig, observer: &dyn Observer) -> Result<RunSummary, PipelineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()?;
    pool.install(|| analyze_in_pool(cfg, observer))
}

/// One input item of a chunk, in stream order.
enum Entry {
    /// Index into the chunk's documents.
    Doc(usize, usize),
    /// A skipped document.
    Skipped(usize, SkipRecord),
}

fn analyze_in_pool(
    cfg: &AnalyzeConfig,
    observer: &dyn Observer,
) -> Result<RunSummary, PipelineError> {
    let clock = std::time::Instant::now();
    let files = ingest::discover(&cfg.inputs, cfg.format)?;
    let stages = Stages::build(cfg)?;
    let mut seconds = crate::output::StageSeconds {
        startup: clock.elapsed().as_secs_f64(),
        ..Default::default()
    };
    let model_name = stages
        .classifier
        .as_ref()
        .map(|c| c.identity().to_string())
        .unwrap_or_default();
    let fingerprint = format!(
        "{:?}|{:?}|{:?}|{}|{}|{}|{:?}",
        cfg.inputs, cfg.format, cfg.shard, model_name, cfg.no_speakers, cfg.safe_csv, cfg.actors
    );

    let mut summary = RunSummary {
        stancemap_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: cfg.inputs.iter().map(|p| p.display().to_string()).collect(),
        shard: cfg.shard.map(|s| s.to_string()),
        ..RunSummary::default()
    };
    let mut stats = ClassifierStats {
        model: model_name.clone(),
        engine: stages
            .classifier
            .as_ref()
            .map(|c| c.kind().as_str().to_string())
            .unwrap_or_default(),
        ..ClassifierStats::default()
    };
    let mut items_done = 0usize;
    let mut ordinal = 0usize;

    let mut outputs = match &cfg.out {
        OutTarget::Stdout => Outputs::stdout(cfg.safe_csv)?,
        OutTarget::Dir(dir) => match Outputs::read_checkpoint(dir)?.filter(|_| cfg.resume) {
            Some(ck) => {
                if ck.fingerprint != fingerprint {
                    return Err(PipelineError::Resume(format!(
                        "{}: the interrupted run used other inputs, model or settings; remove the directory or drop --resume",
                        dir.display()
                    )));
                }
                let outputs = Outputs::resume(dir, &ck, cfg.safe_csv)?;
                items_done = ck.items_done;
                ordinal = ck.ordinal;
                summary = ck.summary;
                if let Some(c) = summary.classifier.take() {
                    stats = c;
                }
                outputs
            }
            None => Outputs::create(dir, cfg.safe_csv)?,
        },
    };

    observer.start(ingest::estimate_documents(&files));
    let mut cache = PredictionCache::new(500_000);
    let mut stream = ingest::documents(files).skip(items_done).peekable();

    loop {
        let t = std::time::Instant::now();
        if stream.peek().is_none() {
            break;
        }
        // Read one chunk; skips and warnings keep their place in the stream.
        let mut docs: Vec<Document> = Vec::with_capacity(cfg.docs_per_chunk);
        let mut entries: Vec<Entry> = Vec::new();
        for item in stream.by_ref() {
            items_done += 1;
            match item {
                Item::Doc(doc) => {
                    ordinal += 1;
                    if cfg.shard.is_some_and(|s| !s.owns(&doc.doc_id)) {
                        continue;
                    }
                    entries.push(Entry::Doc(ordinal - 1, docs.len()));
                    docs.push(doc);
                }
                Item::Skipped(s) => {
                    ordinal += 1;
                    if cfg.shard.is_some_and(|sh| !sh.owns(&s.location)) {
                        continue;
                    }
                    summary.documents_skipped += 1;
                    *summary
                        .skipped_by_reason
                        .entry(s.kind().to_string())
                        .or_default() += 1;
                    observer.message(&format!("{}: {} (document skipped)", s.location, s.reason));
                    entries.push(Entry::Skipped(
                        ordinal - 1,
                        SkipRecord {
                            location: s.location,
                            doc_id: s.doc_id,
                            reason: s.reason,
                        },
                    ));
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

        seconds.ingest += t.elapsed().as_secs_f64();

        // Text stages in parallel; collect keeps input order.
        let t = std::time::Instant::now();
        let analysed: Vec<(Vec<Utterance>, usize)> =
            docs.par_iter().map(|d| stages.text_stages(d)).collect();
        seconds.text_stages += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();

        // Classify every statement of the chunk at once, with its previous sentence as context
        // and its speaker (used by speaker-aware models).
        let predictions: Option<Vec<Prediction>> = match &stages.classifier {
            Some(classifier) => {
                let pairs: Vec<Pair> = docs
                    .iter()
                    .zip(&analysed)
                    .flat_map(|(doc, (utts, _))| {
                        utts.iter().enumerate().map(move |(i, u)| Pair {
                            sentence: u.sentence.text(doc).to_string(),
                            context: i
                                .checked_sub(1)
                                .map(|p| utts[p].sentence.text(doc).to_string())
                                .unwrap_or_default(),
                            speaker: u.speaker.as_ref().map(speaker_tag).unwrap_or_default(),
                        })
                    })
                    .collect();
                Some(cache.predict(classifier, &pairs, &mut stats)?)
            }
            None => None,
        };
        seconds.classify += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let mut starts = Vec::with_capacity(analysed.len());
        let mut offset = 0;
        for (utts, _) in &analysed {
            starts.push(offset);
            offset += utts.len();
        }

        for entry in entries {
            match entry {
                Entry::Doc(ord, i) => {
                    let (doc, (utts, furniture)) = (&docs[i], &analysed[i]);
                    summary.documents_analyzed += 1;
                    summary.furniture_dropped += furniture;
                    if utts.is_empty() {
                        summary.documents_empty += 1;
                    }
                    let preds = predictions
                        .as_ref()
                        .map(|p| &p[starts[i]..starts[i] + utts.len()]);
                    for row in rows_for(doc, utts, preds, &model_name) {
                        if !row.stance.is_empty() {
                            *summary.stance_counts.entry(row.stance.clone()).or_default() += 1;
                        }
                        outputs.statement(row)?;
                        summary.statements_written += 1;
                    }
                    outputs.document(&DocumentRow {
                        ordinal: ord,
                        doc_id: doc.doc_id.clone(),
                        source: doc.source.clone(),
                        location: doc.location.clone(),
                        status: if utts.is_empty() { "empty" } else { "analyzed" }.to_string(),
                        statements: utts.len(),
                    })?;
                }
                Entry::Skipped(ord, skip) => {
                    outputs.document(&DocumentRow {
                        ordinal: ord,
                        doc_id: skip.doc_id.clone(),
                        source: String::new(),
                        location: skip.location.clone(),
                        status: "skipped".to_string(),
                        statements: 0,
                    })?;
                    outputs.error(&skip)?;
                }
            }
        }
        summary.documents_read = summary.documents_analyzed + summary.documents_skipped;

        // Make the chunk durable, then record it in the checkpoint.
        let bytes = outputs.sync()?;
        let mut saved = summary.clone();
        saved.classifier = finish_stats(&stats, stages.classifier.is_some());
        outputs.checkpoint(&Checkpoint {
            fingerprint: fingerprint.clone(),
            items_done,
            ordinal,
            bytes,
            summary: saved,
        })?;
        seconds.output += t.elapsed().as_secs_f64();
        observer.progress(summary.documents_read, summary.statements_written);
    }

    summary.classifier = finish_stats(&stats, stages.classifier.is_some());
    if let OutTarget::Dir(dir) = &cfg.out {
        outputs.finish(&summary)?;
        crate::compare::compare_files(
            &[dir.join(crate::output::files::STATEMENTS)],
            dir,
            &crate::compare::CompareOptions::default(),
        )?;
        // run.json again, now with the total time.
        seconds.total = clock.elapsed().as_secs_f64();
        summary.seconds = round_seconds(seconds);
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        crate::output::files::write_atomic(
            &dir.join(crate::output::files::RUN_JSON),
            format!("{json}\n").as_bytes(),
        )?;
    } else {
        seconds.total = clock.elapsed().as_secs_f64();
        summary.seconds = round_seconds(seconds);
        outputs.finish(&summary)?;
    }
    Ok(summary)
}

fn round_seconds(s: crate::output::StageSeconds) -> crate::output::StageSeconds {
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    crate::output::StageSeconds {
        startup: r(s.startup),
        ingest: r(s.ingest),
        text_stages: r(s.text_stages),
        classify: r(s.classify),
        output: r(s.output),
        total: r(s.total),
    }
}

/// Derived rates, rounded so that run.json does not carry float noise.
fn finish_stats(stats: &ClassifierStats, loaded: bool) -> Option<ClassifierStats> {
    loaded.then(|| {
        let mut s = stats.clone();
        s.finish();
        s
    })
}
