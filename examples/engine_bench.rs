//! Engine benchmark: sentences/s of each inference engine and batch strategy on the same
//! (sentence, previous sentence) pairs, in one run.
//!
//! ```sh
//! cargo run --release --example engine_bench                        # ONNX Runtime only
//! source .runtime/rust-bert.env && \
//!   cargo run --release --features rust-bert --example engine_bench # also rust-bert (libtorch)
//! cargo run --release --example engine_bench -- --threads 2 --limit 2000 --reps 3
//! ```
//!
//! Options: `--threads N` (default 2), `--limit N` pairs (default 2000), `--reps N` timed
//! repetitions per strategy, median reported (default 3), `--batch-size N` (default 32),
//! `--model DIR` (default the bundled models/stance-minilm), `--only onnx|rust-bert`.
//!
//! Pairs: datasets/dev.csv, then datasets/train.csv, in file order; each sentence is paired
//! with the previous sentence of the same `doc_id` ("" for a document's first), whitespace
//! collapsed as stancemap's prediction cache does. Every strategy sees the same pairs, with
//! tokenisation inside the timed region.
//!
//! Strategies:
//! - `library`: `StanceClassifier::logits`, exactly what `stancemap analyze` runs (for the
//!   int8 ONNX model that is one input per run, whatever `--batch-size` says).
//! - `sorted-N`: length-sorted batches of N, padded to each batch's longest input.
//! - `per-input`: one input per run (batch 1), on the bare engine.
//! - `file-order-N`: batches of N in input order (more padding).
//!
//! The `sorted`/`file-order` strategies are built from the public `Encoder`, `Batch` and
//! engine types, bypassing the classifier's "int8 runs one input at a time" rule: batched
//! int8 scores depend on a batch's neighbours, so these rows measure speed only.
//!
//! Prints a table, then one line `ENGINE_BENCH_JSON {...}` that scripts/bench parses.
//! GFLOP/s counts 21.2 MFLOP per real token (MiniLM-L6's dense layers), so padding is not
//! counted as useful work.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use stancemap::classify::{
    default_model_dir, Batch, Encoded, Encoder, Engine, EngineKind, ModelDir, OnnxEngine, Pair,
    StanceClassifier,
};
use stancemap::output::ClassifierStats;

/// MiniLM-L6 (hidden 384, FFN 1536, 6 layers): 2 × 6 × (4·384² + 2·384·1536) flops per token.
const FLOP_PER_TOKEN: f64 = 21.2e6;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

struct Opts {
    threads: usize,
    limit: usize,
    reps: usize,
    batch_size: usize,
    model: PathBuf,
    only: Option<String>,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        threads: 2,
        limit: 2000,
        reps: 3,
        batch_size: 32,
        model: default_model_dir(),
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let num = |s: String, name: &str| {
            s.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or(format!("{name}: expected a positive integer, got {s:?}"))
        };
        match a.as_str() {
            "--threads" => o.threads = num(val("--threads")?, "--threads")?,
            "--limit" => o.limit = num(val("--limit")?, "--limit")?,
            "--reps" => o.reps = num(val("--reps")?, "--reps")?,
            "--batch-size" => o.batch_size = num(val("--batch-size")?, "--batch-size")?,
            "--model" => o.model = PathBuf::from(val("--model")?),
            "--only" => o.only = Some(val("--only")?),
            "-h" | "--help" => {
                println!("engine_bench [--threads N] [--limit N] [--reps N] [--batch-size N] [--model DIR] [--only onnx|rust-bert]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(o)
}

/// (sentence, previous sentence of the same doc_id) from dev.csv then train.csv.
fn load_pairs(limit: usize) -> Res<Vec<Pair>> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut pairs = Vec::new();
    for name in ["datasets/dev.csv", "datasets/train.csv"] {
        let path = stancemap::classify::find_in_repo(std::path::Path::new(name))
            .ok_or(format!("{name} not found (run from the repository root)"))?;
        let mut rdr = csv::Reader::from_path(&path)?;
        let headers = rdr.headers()?.clone();
        let col = |c: &str| {
            headers
                .iter()
                .position(|h| h == c)
                .ok_or(format!("{}: no column {c}", path.display()))
        };
        let (doc_col, sent_col) = (col("doc_id")?, col("sentence")?);
        // A speaker-aware model sees the speaker; the gold columns stand in for the speaker stage.
        let who = [col("speaker")?, col("speaker_camp")?, col("attribution")?];
        let mut previous: HashMap<String, String> = HashMap::new();
        for rec in rdr.records() {
            let rec = rec?;
            let doc = rec.get(doc_col).unwrap_or_default().to_string();
            let sentence = norm(rec.get(sent_col).unwrap_or_default());
            let context = previous.insert(doc, sentence.clone()).unwrap_or_default();
            let [name, camp, attribution] = who.map(|c| rec.get(c).unwrap_or_default());
            let speaker = format!("{name} ({camp}, {attribution})");
            pairs.push(Pair {
                sentence,
                context,
                speaker,
            });
            if pairs.len() == limit {
                return Ok(pairs);
            }
        }
    }
    Ok(pairs)
}

/// One timed strategy's result.
struct Row {
    engine: String,
    strategy: String,
    batch: usize,
    seconds: Vec<f64>,
    tokens: usize,
    padded_tokens: usize,
}

impl Row {
    fn median(&self) -> f64 {
        let mut s = self.seconds.clone();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    }
}

/// Times `f` on all of `pairs` `reps` times, after one untimed warm-up on the first few;
/// `f` returns (tokens, padded tokens) of the pass.
fn time_it(
    reps: usize,
    pairs: &[Pair],
    mut f: impl FnMut(&[Pair]) -> (usize, usize),
) -> (Vec<f64>, usize, usize) {
    f(&pairs[..pairs.len().min(8)]);
    let mut seconds = Vec::with_capacity(reps);
    let mut toks = (0, 0);
    for _ in 0..reps {
        let t = Instant::now();
        toks = f(pairs);
        seconds.push(t.elapsed().as_secs_f64());
    }
    (seconds, toks.0, toks.1)
}

/// The library path: what `stancemap analyze` runs.
fn library_row(
    engine_name: &str,
    classifier: &StanceClassifier,
    pairs: &[Pair],
    reps: usize,
) -> Row {
    let (seconds, tokens, padded) = time_it(reps, pairs, |input| {
        let mut stats = ClassifierStats::default();
        classifier
            .logits(input, &mut stats)
            .expect("inference failed");
        (stats.tokens, stats.padded_tokens)
    });
    Row {
        engine: engine_name.to_string(),
        strategy: "library".into(),
        batch: classifier.batch_size(),
        seconds,
        tokens,
        padded_tokens: padded,
    }
}

/// Custom batching on a bare engine: encode, optionally sort by length (longest first),
/// chunk, pad, run the chunks in parallel on the pool's workers.
fn custom_row(
    engine_name: &str,
    engine: &Engine,
    encoder: &Encoder,
    pairs: &[Pair],
    sorted: bool,
    batch: usize,
    reps: usize,
) -> Row {
    let (seconds, tokens, padded) = time_it(reps, pairs, |input| {
        let encoded: Vec<Encoded> = input
            .par_iter()
            .map(|p| encoder.encode(p).expect("tokenizer failed"))
            .collect();
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        if sorted {
            order.sort_by_key(|&i| (std::cmp::Reverse(encoded[i].ids.len()), i));
        }
        let chunks: Vec<&[usize]> = order.chunks(batch).collect();
        let padded: usize = chunks
            .par_iter()
            .map(|idx| {
                let refs: Vec<&Encoded> = idx.iter().map(|&i| &encoded[i]).collect();
                let b = Batch::pad(&refs);
                engine.run(&b).expect("inference failed");
                b.rows * b.cols
            })
            .sum();
        let tokens = encoded.iter().map(|e| e.ids.len()).sum();
        (tokens, padded)
    });
    Row {
        engine: engine_name.to_string(),
        strategy: match (batch, sorted) {
            (1, _) => "per-input".to_string(),
            (_, true) => format!("sorted-{batch}"),
            (_, false) => format!("file-order-{batch}"),
        },
        batch,
        seconds,
        tokens,
        padded_tokens: padded,
    }
}

fn main() -> Res<()> {
    let o = parse_args()?;
    let pairs = load_pairs(o.limit)?;
    let model = ModelDir::open(&o.model, &["tokenizer.json"])?;
    let encoder = Encoder::load(
        &o.model.join("tokenizer.json"),
        model.config.max_length,
        model.config.pair_with_previous,
        model.config.speaker_in_input,
    )?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads)
        .build()?;
    let want = |e: &str| o.only.is_none() || o.only.as_deref() == Some(e);
    eprintln!(
        "engine_bench: {} pairs, {} threads, {} reps, model {} (onnx_precision {})",
        pairs.len(),
        o.threads,
        o.reps,
        o.model.display(),
        model.config.onnx_precision
    );

    let mut rows: Vec<Row> = Vec::new();
    pool.install(|| -> Res<()> {
        if want("onnx") {
            let name = match model.config.onnx_precision.as_str() {
                "" => "onnx".to_string(),
                p => format!("onnx-{p}"),
            };
            let name = name.as_str();
            let c = StanceClassifier::load(&o.model, EngineKind::Onnx, o.threads, o.batch_size)?;
            rows.push(library_row(name, &c, &pairs, o.reps));
            drop(c);
            let engine = Engine::Onnx(OnnxEngine::load(&o.model.join("model.onnx"), o.threads)?);
            rows.push(custom_row(name, &engine, &encoder, &pairs, true, 1, o.reps));
            for sorted in [true, false] {
                rows.push(custom_row(name, &engine, &encoder, &pairs, sorted, o.batch_size, o.reps));
            }
        }
        #[cfg(feature = "rust-bert")]
        if want("rust-bert") {
            let name = "rust-bert-fp32";
            let c = StanceClassifier::load(&o.model, EngineKind::RustBert, o.threads, o.batch_size)?;
            rows.push(library_row(name, &c, &pairs, o.reps));
            drop(c);
            let engine = Engine::RustBert(Box::new(stancemap::classify::RustBertEngine::load(
                &o.model, o.threads,
            )?));
            rows.push(custom_row(name, &engine, &encoder, &pairs, true, 1, o.reps));
            rows.push(custom_row(name, &engine, &encoder, &pairs, false, o.batch_size, o.reps));
        }
        #[cfg(not(feature = "rust-bert"))]
        if want("rust-bert") {
            eprintln!("engine_bench: rust-bert skipped (build with --features rust-bert after `source .runtime/rust-bert.env`)");
        }
        Ok(())
    })?;

    println!(
        "{:<18} {:<14} {:>5} {:>9} {:>10} {:>9} {:>8}  runs (s)",
        "engine", "strategy", "batch", "sent/s", "tokens/s", "GFLOP/s", "padding"
    );
    let mut json = Vec::new();
    for r in &rows {
        let med = r.median();
        let sps = pairs.len() as f64 / med;
        let tps = r.tokens as f64 / med;
        let gflops = tps * FLOP_PER_TOKEN / 1e9;
        let padding = r.padded_tokens as f64 / r.tokens.max(1) as f64 - 1.0;
        let runs: Vec<String> = r.seconds.iter().map(|s| format!("{s:.2}")).collect();
        println!(
            "{:<18} {:<14} {:>5} {:>9.1} {:>10.0} {:>9.1} {:>7.1}%  {}",
            r.engine,
            r.strategy,
            r.batch,
            sps,
            tps,
            gflops,
            padding * 100.0,
            runs.join(" ")
        );
        json.push(serde_json::json!({
            "engine": r.engine, "strategy": r.strategy, "batch": r.batch,
            "sentences": pairs.len(), "seconds": r.seconds, "median_seconds": med,
            "sentences_per_s": sps, "tokens": r.tokens, "padded_tokens": r.padded_tokens,
            "gflops": gflops,
        }));
    }
    println!(
        "ENGINE_BENCH_JSON {}",
        serde_json::json!({"threads": o.threads, "pairs": pairs.len(), "reps": o.reps, "rows": json})
    );
    Ok(())
}
