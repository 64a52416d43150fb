//! The splitter from outside: `stancemap split` on the golden rules and the seed article.

use crate::util::{data, read, stancemap_stdin};

fn split(text: &str) -> Vec<String> {
    let out = stancemap_stdin(&["split"], text.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("split prints a JSON array of strings")
}

#[test]
fn issue2_golden_rules_through_the_cli() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&read(&data("golden_rules_en.json"))).unwrap();
    assert_eq!(cases.len(), 48);
    let mut failures = Vec::new();
    for case in &cases {
        let expected: Vec<String> = case["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().trim().to_string())
            .collect();
        let got = split(case["text"].as_str().unwrap());
        if got != expected {
            failures.push(format!("rule {}: {:?}", case["id"], got));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 48 golden rules fail: {failures:#?}",
        failures.len()
    );
}

#[test]
fn issue2_seed_article_sentences_through_the_cli() {
    let text = read(&data("seed/article.txt"));
    let got = split(&text);
    let mut rdr = csv::Reader::from_path(data("seed/gold.csv")).unwrap();
    let gold: Vec<String> = rdr.records().map(|r| r.unwrap()[3].to_string()).collect();
    assert_eq!(gold.len(), 40);
    // `split` keeps furniture (it is a pure splitter); the pipeline drops it.
    assert_eq!(got.len(), 41);
    assert_eq!(&got[..40], &gold[..]);
    assert!(got[40].starts_with("Share on Facebook"));
}
