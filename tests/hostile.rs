//! Issue 7: hostile inputs. Each gets a clear message or is analysed; the run goes on and
//! run.json accounts for every document.

use std::fs;

use crate::util::{analyze, read, run_json, stderr};

#[test]
fn issue7_hostile_corpus_is_analysed_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("web")).unwrap();
    let w = |name: &str, bytes: &[u8]| fs::write(corpus.join(name), bytes).unwrap();
    w("web/nul.txt", b"Kyiv said\0 no.\0\0 Crimea is Ukraine.");
    w(
        "web/crlf.txt",
        b"Headline Here\r\n\r\nPutin said Crimea was Russian. Kyiv disagreed.\r\n",
    );
    w(
        "web/rtl.txt",
        "Zelensky\u{200B} said\u{202E} no. \u{FEFF}Crimea \u{200D}is Ukraine.".as_bytes(),
    );
    w(
        "web/nested.txt",
        "“He said ‘she said “they said ‘no’ ” twice’ loudly.” Done."
            .repeat(200)
            .as_bytes(),
    );
    w(
        "web/unbalanced.txt",
        "“Crimea is Ukraine. It always was. \"Never. ‘ Putin said. « Nobody".as_bytes(),
    );
    w(
        "web/long-line.txt",
        "occupied territory without end ".repeat(35_000).as_bytes(),
    );
    // A 50 MB file of ordinary sentences.
    w(
        "web/huge.txt",
        "Kyiv rejected the plan. Moscow said Crimea is Russian. "
            .repeat(920_000)
            .as_bytes(),
    );
    w("feed.jsonl", b"{\"id\":\"a\",\"text\":\"Fine.\"}\n42\n\"just a string\"\n{\"id\":\"b\",\"text\":\"Also fine.\"}\n");
    w("ragged.csv", b"id,text\nr1,One.\nr2\nr3,Three.,extra\n");

    let out_dir = dir.path().join("out");
    let out = analyze(corpus.to_str().unwrap(), &out_dir, &["--no-stance"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("feed.jsonl:2: line is a JSON number, not an object"),
        "{err}"
    );
    assert!(
        err.contains("feed.jsonl:3: line is a JSON string, not an object"),
        "{err}"
    );
    assert!(
        err.contains("ragged.csv:3: row has 1 fields, the header has 2"),
        "{err}"
    );
    assert!(
        err.contains("ragged.csv:4: row has 3 fields, the header has 2"),
        "{err}"
    );

    let run = run_json(&out_dir);
    // 7 text files, 4 JSONL lines, 3 CSV rows.
    assert_eq!(run["documents_read"], 14);
    assert_eq!(run["documents_analyzed"], 10);
    assert_eq!(run["documents_skipped"], 4);
    let documents = read(&out_dir.join("documents.csv"));
    assert_eq!(
        documents.lines().count(),
        15,
        "one row per document plus the header"
    );
    let statements = read(&out_dir.join("statements.csv"));
    assert!(statements.contains("Putin said Crimea was Russian."));
    assert!(
        !statements.contains('\r'),
        "CRLF line ends are not part of sentences"
    );
    assert!(
        statements.lines().count() > 1_800_000,
        "the 50 MB file is analysed in full"
    );
}

#[test]
fn issue7_safe_csv_defuses_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    fs::write(&file, "{\"id\":\"=cmd|' /C calc'!A0\",\"source\":\"@evil\",\"text\":\"+Crimea is Ukraine. -Kyiv said so. =1+1\"}\n").unwrap();
    let out_dir = dir.path().join("out");
    let out = analyze(
        file.to_str().unwrap(),
        &out_dir,
        &["--no-stance", "--safe-csv"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = read(&out_dir.join("statements.csv"));
    for line in csv.lines().skip(1) {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = rdr.records().next().unwrap().unwrap();
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} in {line}"
            );
        }
    }
    assert!(csv.contains("'=cmd"));
    assert!(csv.contains("'+Crimea is Ukraine."));
}
