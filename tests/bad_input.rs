//! Bad input: each problem gets a message naming file and line, the run goes on, and
//! run.json accounts for every document.

use std::fs;

use crate::util::{analyze, read, run_json, stderr};

#[test]
fn issue2_bad_inputs_are_reported_counted_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("outlet")).unwrap();
    // Invalid UTF-8: decoded lossily with a warning, still analysed.
    fs::write(
        corpus.join("outlet/latin1.txt"),
        b"Kyiv said no to the plan.\nCaf\xe9 owners in Yalta were not asked.\n",
    )
    .unwrap();
    // Empty file: counted, no rows.
    fs::write(corpus.join("outlet/empty.txt"), b"").unwrap();
    // A 5 MB single-line document without punctuation.
    fs::write(corpus.join("outlet/huge.txt"), "crimea ".repeat(750_000)).unwrap();
    // JSONL: one good line, one broken, one not an object, one without text.
    fs::write(
        corpus.join("feed.jsonl"),
        "{\"id\":\"ok\",\"text\":\"Moscow insists Crimea is Russian.\"}\n{\"id\": \"broken\", \"text\": \n[\"not\", \"an object\"]\n{\"id\":\"notext\"}\n",
    )
    .unwrap();
    // CSV: one good row and one ragged row.
    fs::write(
        corpus.join("sheet.csv"),
        "id,text\nc1,\"Brussels rejected the annexation.\"\nc2,too,many,fields\n",
    )
    .unwrap();

    let out_dir = dir.path().join("out");
    let out = analyze(corpus.to_str().unwrap(), &out_dir, &["--no-stance"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "skipped documents make exit 1: {err}"
    );
    assert!(err.contains("feed.jsonl:2: invalid JSON"), "{err}");
    assert!(
        err.contains("feed.jsonl:3: line is a JSON array, not an object"),
        "{err}"
    );
    assert!(err.contains("feed.jsonl:4: missing field `text`"), "{err}");
    assert!(
        err.contains("sheet.csv:3: row has 4 fields, the header has 2"),
        "{err}"
    );
    assert!(
        err.contains("outlet/latin1.txt: warning: invalid UTF-8"),
        "{err}"
    );

    let run = run_json(&out_dir);
    assert_eq!(run["documents_read"], 9);
    assert_eq!(run["documents_analyzed"], 5);
    assert_eq!(run["documents_skipped"], 4);
    assert_eq!(run["documents_empty"], 1);
    assert_eq!(run["warnings"], 1);
    assert_eq!(run["skipped_by_reason"]["invalid JSON"], 1);
    assert_eq!(run["skipped_by_reason"]["not a JSON object"], 1);
    assert_eq!(run["skipped_by_reason"]["missing text"], 1);
    assert_eq!(run["skipped_by_reason"]["ragged CSV row"], 1);

    let errors = read(&out_dir.join("errors.csv"));
    assert_eq!(
        errors.lines().count(),
        5,
        "header + one line per skipped document:\n{errors}"
    );
    let statements = read(&out_dir.join("statements.csv"));
    assert!(statements.contains("Caf\u{FFFD} owners in Yalta were not asked."));
    assert!(statements.contains("Moscow insists Crimea is Russian."));
    assert!(statements.contains("Brussels rejected the annexation."));
    // The huge line is one sentence, kept whole.
    assert!(statements.lines().any(|l| l.len() > 5_000_000));
}

#[test]
fn issue2_csv_without_text_column_is_one_skipped_item() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    fs::write(&file, "id,body\n1,hello\n").unwrap();
    let out_dir = dir.path().join("out");
    let out = analyze(file.to_str().unwrap(), &out_dir, &["--no-stance"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no `text` column"),
        "{}",
        stderr(&out)
    );
    assert_eq!(run_json(&out_dir)["documents_skipped"], 1);
}
