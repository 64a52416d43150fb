//! Command-line behaviour: help, exit codes, stdin/stdout streaming.

use crate::util::{data, read, stancemap, stancemap_stdin, stderr};

#[test]
fn issue2_help_has_examples_for_each_subcommand() {
    for sub in ["analyze", "split", "eval"] {
        let out = stancemap(&[sub, "--help"]);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Examples:"),
            "{sub} --help lacks examples:\n{text}"
        );
    }
}

#[test]
fn issue2_usage_errors_exit_2() {
    assert_eq!(stancemap(&["analyze"]).status.code(), Some(2));
    assert_eq!(stancemap(&["frobnicate"]).status.code(), Some(2));
    let out = stancemap(&["analyze", "x", "--out", "/tmp/x", "--shard", "9/4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid shard"), "{}", stderr(&out));
    let out = stancemap(&["analyze", "x", "--out", "/tmp/x", "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn issue2_missing_input_is_a_data_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = stancemap(&[
        "analyze",
        "no/such/corpus",
        "--out",
        dir.path().to_str().unwrap(),
        "--no-stance",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/corpus"), "{}", stderr(&out));
}

#[test]
fn issue7_stdin_to_stdout_matches_a_normal_run() {
    let jsonl = std::fs::read(data("corpus/feeds/wire.jsonl")).unwrap();
    let piped = stancemap_stdin(
        &["analyze", "-", "--out", "-", "--no-stance", "--quiet"],
        &jsonl,
    );
    assert!(piped.status.success(), "{}", stderr(&piped));

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("in.jsonl");
    std::fs::write(&copy, &jsonl).unwrap();
    let out_dir = dir.path().join("out");
    let normal = stancemap(&[
        "analyze",
        copy.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--no-stance",
        "--quiet",
    ]);
    assert!(normal.status.success(), "{}", stderr(&normal));
    let file_csv = read(&out_dir.join("statements.csv"));
    let piped_csv = String::from_utf8(piped.stdout).unwrap();
    // Same rows; documents without an id are named after their input ("-:2" vs "in.jsonl:2").
    assert_eq!(piped_csv.lines().count(), file_csv.lines().count());
    assert_eq!(piped_csv.matches("doc_id,").count(), 1, "header once");
    assert_eq!(piped_csv.replace("-:2,", "in.jsonl:2,"), file_csv);
}
