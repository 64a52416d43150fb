//! Golden-file tests of statements.csv over a small corpus of txt, JSONL and CSV inputs.

use crate::util::{assert_golden, data, read, run_json, stancemap, stderr};

fn analyze(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = data("corpus");
    let mut args = vec![
        "analyze",
        corpus.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let out = stancemap(&args);
    (dir, out)
}

#[test]
fn issue2_text_stages_golden() {
    let (dir, out) = analyze(&["--no-stance"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(
        &data("golden/statements_text.csv"),
        &read(&dir.path().join("statements.csv")),
    );
    let run = run_json(dir.path());
    // 2 txt + 3 JSONL (one empty) + 2 CSV rows.
    assert_eq!(run["documents_read"], 7);
    assert_eq!(run["documents_analyzed"], 7);
    assert_eq!(run["documents_empty"], 1);
    assert_eq!(run["documents_skipped"], 0);
    assert_eq!(run["furniture_dropped"], 1, "the 'Read more' line");
    assert_eq!(
        read(&dir.path().join("errors.csv")),
        "location,doc_id,reason\n"
    );
}

#[test]
fn issue3_full_pipeline_golden_with_bundled_model() {
    let (dir, out) = analyze(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(
        &data("golden/statements.csv"),
        &read(&dir.path().join("statements.csv")),
    );
    let run = run_json(dir.path());
    let stats = &run["classifier"];
    assert_eq!(stats["engine"], "onnx");
    assert_eq!(stats["statements"], run["statements_written"]);
}

#[test]
fn issue2_offsets_are_code_points() {
    let (dir, out) = analyze(&["--no-stance"]);
    assert!(out.status.success());
    let mut rdr = csv::Reader::from_path(dir.path().join("statements.csv")).unwrap();
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let doc_id = &rec[0];
        if !doc_id.ends_with(".txt") {
            continue;
        }
        let text = read(&data("corpus").join(doc_id));
        let chars: Vec<char> = text.chars().collect();
        let (s, e): (usize, usize) = (rec[6].parse().unwrap(), rec[7].parse().unwrap());
        let slice: String = chars[s..e].iter().collect();
        assert_eq!(slice, &rec[8]);
        checked += 1;
    }
    assert!(checked >= 8, "checked {checked} rows");
}
