//! The `stancemap` command: parses flags, calls the library, maps errors to exit codes.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use stancemap::classify::EngineKind;
use stancemap::ingest::Format;
use stancemap::{AnalyzeConfig, OutTarget, Shard};

mod progress;

#[derive(Parser)]
#[command(
    name = "stancemap",
    version,
    about = "Who said what about recognising Russia's control over occupied Ukrainian territory",
    long_about = "stancemap splits news articles into sentences, finds whose words or position each \
sentence carries, labels its stance on recognition of Russia's control over Crimea and the other \
occupied Ukrainian territories (favor / against / neutral / unrelated), and writes CSV.\n\n\
Exit codes: 0 ok, 1 data errors (documents skipped, model or input problems), 2 usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a corpus: one CSV row per statement.
    #[command(after_help = ANALYZE_EXAMPLES)]
    Analyze(AnalyzeArgs),
    /// Split one text from stdin into sentences, printed as a JSON array of strings.
    #[command(after_help = SPLIT_EXAMPLES)]
    Split,
    /// Compare sources: summary tables, speakers, a discourse network and an HTML report.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Combine the output directories of `--shard K/N` runs into one.
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
    /// Run the pipeline on INPUT and score it against gold labels (for CI).
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(EvalArgs),
}

const COMPARE_EXAMPLES: &str = "\
Examples:
  stancemap compare out/statements.csv --out out
  stancemap compare shard-*/statements.csv --out cmp --by date --period week

Writes summary.csv (shares of each stance per source and camp, with 95% Wilson intervals),
speakers.csv (who is quoted, by whom, with which stance), network.csv and network.graphml
(actor agreement network), report.html (self-contained) and stance_by_source.svg.
`analyze` writes the same files into its output directory.";

#[derive(Args)]
struct CompareArgs {
    /// statements.csv files (e.g. one per shard); the result equals that of their concatenation.
    #[arg(required = true, value_name = "STATEMENTS.csv")]
    inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    /// Add a period column to summary.csv (`date` is the only choice).
    #[arg(long, value_parser = ["date"], value_name = "date")]
    by: Option<String>,
    /// Period length with --by date: day, week (ISO) or month.
    #[arg(long, default_value = "month", value_name = "P")]
    period: stancemap::compare::Period,
}

const MERGE_EXAMPLES: &str = "\
Examples:
  stancemap merge out/shard-0 out/shard-1 out/shard-2 --out out/all
  stancemap merge out/shard-* --out out/all

The result is what one run over the whole corpus writes: statements.csv, documents.csv
and errors.csv are byte-identical to it; run.json adds up the shards' totals.";

#[derive(Args)]
struct MergeArgs {
    /// Output directories of the shard runs (any order).
    #[arg(required = true, value_name = "DIR")]
    shards: Vec<PathBuf>,
    /// Where to write the merged files.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
}

const EVAL_EXAMPLES: &str = "\
Examples:
  stancemap eval datasets/dev_articles.jsonl --gold datasets/dev.csv
  stancemap eval tests/data/seed/article.txt --gold tests/data/seed/gold.csv --min-stance-f1 0.80
  stancemap eval corpus --gold gold.csv --json metrics.json --min-speaker-acc 0.9

Gold rows are matched to statements by normalised sentence text (and doc_id when the
gold file has a doc_id column that the input shares). Prints per-label precision,
recall and F1, macro-F1, the confusion matrix, speaker/camp accuracy per attribution
type and the share of gold sentences found. Exits 1 when a --min-* threshold is missed.";

#[derive(Args)]
struct EvalArgs {
    /// Files or directories to analyse, as for `analyze`.
    #[arg(required = true, value_name = "INPUT")]
    paths: Vec<PathBuf>,
    /// Gold CSV with at least `sentence` and `stance` (and `speaker`, `speaker_camp`, `attribution`).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Also write the report as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Exit 1 if stance macro-F1 is below X.
    #[arg(long, value_name = "X")]
    min_stance_f1: Option<f64>,
    /// Exit 1 if overall speaker accuracy is below X.
    #[arg(long, value_name = "X")]
    min_speaker_acc: Option<f64>,
    /// Model directory [default: the bundled models/stance-minilm].
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Inference engine.
    #[arg(long, value_enum, default_value_t = EngineKind::Onnx)]
    engine: EngineKind,
    /// Input format.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// Worker threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
}

const ANALYZE_EXAMPLES: &str = "\
Examples:
  stancemap analyze datasets/sample --out out
  stancemap analyze feeds/*.jsonl --out out --threads 8
  stancemap analyze articles.csv --format csv --out out --quiet
  stancemap analyze corpus --out out/shard-3 --shard 3/8
  cat docs.jsonl | stancemap analyze - --out - > statements.csv

Writes OUT/statements.csv (one row per statement), OUT/errors.csv (every skipped
document with file:line and reason) and OUT/run.json (totals that account for
every input document).";

const SPLIT_EXAMPLES: &str = "\
Examples:
  echo 'Kyiv said no. “Crimea is Ukraine,” he said.' | stancemap split
  stancemap split < article.txt";

#[derive(Args)]
struct AnalyzeArgs {
    /// Files or directories (walked recursively, in sorted order); `-` reads JSONL from stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output directory, or `-` for statements CSV on stdout.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    /// Worker threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Input format; `auto` decides by extension (.jsonl, .csv, anything else is text).
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// Model directory [default: the bundled models/stance-minilm].
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Skip the stance classifier: stance columns stay empty.
    #[arg(long, conflicts_with = "model")]
    no_stance: bool,
    /// Inference engine.
    #[arg(long, value_enum, default_value_t = EngineKind::Onnx)]
    engine: EngineKind,
    /// Inputs per model batch (an int8 ONNX model always runs inputs one at a time).
    #[arg(long, default_value_t = 32, value_name = "N")]
    batch_size: usize,
    /// Actor registry (TOML) to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    actors: Option<PathBuf>,
    /// Skip the speaker stage: speaker columns stay empty.
    #[arg(long)]
    no_speakers: bool,
    /// Analyse only shard K of N (0-based), chosen by a hash of doc_id.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Continue an interrupted run in the same output directory.
    #[arg(long)]
    resume: bool,
    /// Prefix cells that begin with =, +, - or @ with ' so spreadsheets do not run them.
    #[arg(long)]
    safe_csv: bool,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("stancemap: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Split => split(),
        Command::Eval(args) => eval(args),
        Command::Compare(args) => {
            let opts = stancemap::compare::CompareOptions {
                by_date: args.by.is_some().then_some(args.period),
            };
            let summary = stancemap::compare::compare_files(&args.inputs, &args.out, &opts)
                .context("compare failed")?;
            eprintln!(
                "stancemap: compared {} statements from {} sources, written to {}",
                summary.statements,
                summary.sources,
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge(args) => {
            let summary =
                stancemap::output::merge::merge(&args.shards, &args.out).context("merge failed")?;
            eprintln!(
                "stancemap: merged {} shards: {} documents, {} statements, written to {}",
                args.shards.len(),
                summary.documents_read,
                summary.statements_written,
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let defaults = AnalyzeConfig::default();
    let to_stdout = args.out.as_os_str() == "-";
    let cfg = AnalyzeConfig {
        inputs: args.paths,
        out: if to_stdout {
            OutTarget::Stdout
        } else {
            OutTarget::Dir(args.out)
        },
        format: args.format,
        threads: args.threads.unwrap_or(defaults.threads),
        model: if args.no_stance {
            None
        } else {
            Some(
                args.model
                    .unwrap_or_else(|| defaults.model.clone().unwrap_or_default()),
            )
        },
        engine: args.engine,
        batch_size: args.batch_size,
        actors: args.actors,
        no_speakers: args.no_speakers,
        shard: args.shard,
        resume: args.resume,
        safe_csv: args.safe_csv,
        ..defaults
    };
    let cfg = match cfg.validate() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stancemap: error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let reading_stdin = cfg.inputs.iter().any(|p| p.as_os_str() == "-");
    let show_bar = !args.quiet && !reading_stdin && io::stderr().is_terminal();
    let observer = progress::Reporter::new(show_bar);
    let started = std::time::Instant::now();
    let summary = stancemap::analyze(&cfg, &observer).context("analyze failed")?;
    observer.finish();
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "stancemap: {} documents read ({} analysed, {} skipped, {} empty), {} statements in {:.1}s ({:.0} statements/s){}",
            summary.documents_read,
            summary.documents_analyzed,
            summary.documents_skipped,
            summary.documents_empty,
            summary.statements_written,
            secs,
            summary.statements_written as f64 / secs.max(1e-9),
            match &cfg.out {
                OutTarget::Dir(d) => format!(", written to {}", d.display()),
                OutTarget::Stdout => String::new(),
            }
        );
    }
    Ok(if summary.documents_skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let defaults = AnalyzeConfig::default();
    let scratch = std::env::temp_dir().join(format!(
        "stancemap-eval-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let cfg = AnalyzeConfig {
        inputs: args.paths,
        out: OutTarget::Dir(scratch.clone()),
        format: args.format,
        threads: args.threads.unwrap_or(defaults.threads),
        model: Some(
            args.model
                .unwrap_or_else(|| defaults.model.clone().unwrap_or_default()),
        ),
        engine: args.engine,
        ..defaults
    };
    let cfg = match cfg.validate() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stancemap: error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let gold = stancemap::eval::read_gold(&args.gold)?;
    let result = stancemap::analyze(&cfg, &progress::Reporter::new(false))
        .context("analyze failed")
        .and_then(|_| {
            Ok(stancemap::eval::read_statements(
                &scratch.join("statements.csv"),
            )?)
        });
    let _ = std::fs::remove_dir_all(&scratch);
    let report = stancemap::eval::evaluate(&gold, &result?);
    print!("{}", report.to_text());
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, format!("{json}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let mut failed = false;
    if let Some(min) = args.min_stance_f1 {
        if report.macro_f1 < min {
            eprintln!(
                "stancemap: stance macro-F1 {:.4} is below --min-stance-f1 {min}",
                report.macro_f1
            );
            failed = true;
        }
    }
    if let Some(min) = args.min_speaker_acc {
        let acc = report
            .speaker_overall
            .as_ref()
            .map_or(0.0, |s| s.speaker_accuracy);
        if acc < min {
            eprintln!("stancemap: speaker accuracy {acc:.4} is below --min-speaker-acc {min}");
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn split() -> anyhow::Result<ExitCode> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("reading stdin")?;
    let text = String::from_utf8_lossy(&bytes);
    let sentences: Vec<&str> = stancemap::split::sentence_spans(&text)
        .into_iter()
        .map(|r| text[r].trim())
        .collect();
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &sentences)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
