//! Issue 7: shards and merge, resume after kill -9.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{analyze, analyze_args, read, root, run_json, stancemap, stderr};

/// A corpus of `n` small JSONL documents plus a broken line, written into `dir`.
fn corpus(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut text = String::new();
    for i in 0..n {
        let outlet = ["ua-wire", "ru-state-wire", "us-daily"][i % 3];
        text.push_str(&format!(
            "{{\"id\": \"d{i:04}\", \"source\": \"{outlet}\", \"date\": \"2025-11-{:02}\", \"text\": \"Story {i}\\nKyiv rejected any recognition of Russian control over Crimea, officials said on day {i}. \\\"We will never give up our land,\\\" Andrii Sybiha said. Grain exports rose by {i} tonnes.\"}}\n",
            1 + i % 28
        ));
        if i == n / 2 {
            text.push_str("{\"id\": broken\n");
        }
    }
    let path = dir.join("corpus.jsonl");
    fs::write(&path, text).unwrap();
    path
}

const COMPARED: [&str; 5] = [
    "statements.csv",
    "documents.csv",
    "errors.csv",
    "summary.csv",
    "speakers.csv",
];

#[test]
fn issue7_shards_merge_to_exactly_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 40);
    let input = input.to_str().unwrap();
    let whole = dir.path().join("whole");
    let out = analyze(input, &whole, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "one broken line: {}",
        stderr(&out)
    );

    let mut shard_dirs = Vec::new();
    for k in 0..3 {
        let d = dir.path().join(format!("shard-{k}"));
        let out = analyze(input, &d, &["--shard", &format!("{k}/3")]);
        assert!(out.status.code().is_some(), "{}", stderr(&out));
        shard_dirs.push(d);
    }
    // Every document lands in exactly one shard.
    let per_shard: Vec<u64> = shard_dirs
        .iter()
        .map(|d| run_json(d)["documents_read"].as_u64().unwrap())
        .collect();
    assert_eq!(per_shard.iter().sum::<u64>(), 41);
    assert!(per_shard.iter().all(|&n| n > 0), "{per_shard:?}");

    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    // Shards given out of order: the merge restores input order.
    let names: Vec<String> = shard_dirs
        .iter()
        .rev()
        .map(|d| d.display().to_string())
        .collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--out", merged.to_str().unwrap()]);
    let out = stancemap(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in COMPARED {
        assert_eq!(
            read(&merged.join(name)),
            read(&whole.join(name)),
            "{name} differs"
        );
    }
    let (a, b) = (run_json(&merged), run_json(&whole));
    for key in [
        "documents_read",
        "documents_analyzed",
        "documents_skipped",
        "statements_written",
        "stance_counts",
    ] {
        assert_eq!(a[key], b[key], "run.json {key}");
    }
}

#[test]
fn issue7_resume_after_kill_gives_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 600);
    let input = input.to_str().unwrap();
    let whole = dir.path().join("whole");
    let out = analyze(input, &whole, &["--threads", "2"]);
    assert!(out.status.code() == Some(1), "{}", stderr(&out));

    // Start a run, kill -9 it once its first chunks are on disk, then resume.
    let killed = dir.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stancemap"))
        .args(analyze_args(input, &killed, &["--threads", "2"]))
        .current_dir(root())
        .spawn()
        .unwrap();
    let checkpoint = killed.join(".stancemap-progress.json");
    let started = std::time::Instant::now();
    while !checkpoint.exists() && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        checkpoint.exists(),
        "the run wrote a checkpoint before it was killed"
    );
    assert!(
        !killed.join("statements.csv").exists(),
        "no final file from a killed run"
    );

    let out = analyze(input, &killed, &["--resume", "--threads", "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for name in COMPARED {
        assert_eq!(
            read(&killed.join(name)),
            read(&whole.join(name)),
            "{name} differs after resume"
        );
    }
    assert!(!checkpoint.exists());
    assert_eq!(
        run_json(&killed)["documents_read"],
        run_json(&whole)["documents_read"]
    );
}
