//! Golden-file and end-to-end tests of `compare`, on the hand-counted corpus in
//! tests/data/compare/ (20 statements, 2 sources; the expected files were worked out by
//! hand, the Wilson columns by the formula in `wilson.rs`). `UPDATE_GOLDEN=1` rewrites the
//! expected files.

use std::path::{Path, PathBuf};

use super::*;

const CORPUS: &str = include_str!("../../tests/data/compare/statements.csv");
const SUMMARY: &str = include_str!("../../tests/data/compare/summary.csv");
const SUMMARY_BY_MONTH: &str = include_str!("../../tests/data/compare/summary_by_month.csv");
const SPEAKERS: &str = include_str!("../../tests/data/compare/speakers.csv");
const NETWORK: &str = include_str!("../../tests/data/compare/network.csv");

fn render_str(inputs: &[&str], opts: &CompareOptions) -> Rendered {
    let readers = inputs
        .iter()
        .enumerate()
        .map(|(i, s)| (PathBuf::from(format!("shard{i}.csv")), s.as_bytes()))
        .collect();
    match render_readers(readers, opts) {
        Ok(r) => r,
        Err(e) => panic!("compare failed: {e}"),
    }
}

fn file<'a>(r: &'a Rendered, name: &str) -> &'a str {
    let bytes = &r
        .files
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1;
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

/// Compares after normalising line ends; prints the first differing lines.
fn assert_golden(got: &str, expected: &str, golden: &str) {
    let norm = |s: &str| s.replace("\r\n", "\n");
    let (got, expected) = (norm(got), norm(expected));
    if got == expected {
        return;
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/compare")
            .join(golden);
        std::fs::write(&path, &got).expect("writing golden file");
        return;
    }
    let mut diff = String::new();
    let (g, e): (Vec<_>, Vec<_>) = (got.lines().collect(), expected.lines().collect());
    for i in 0..g.len().max(e.len()) {
        let (gl, el) = (g.get(i).copied(), e.get(i).copied());
        if gl != el {
            diff.push_str(&format!(
                "line {}:\n  expected: {}\n  got:      {}\n",
                i + 1,
                el.unwrap_or("<none>"),
                gl.unwrap_or("<none>")
            ));
            if diff.lines().count() > 30 {
                break;
            }
        }
    }
    panic!("{golden} differs from the golden file (UPDATE_GOLDEN=1 rewrites it):\n{diff}");
}

#[test]
fn golden_summary_speakers_network() {
    let r = render_str(&[CORPUS], &CompareOptions::default());
    assert_golden(file(&r, "summary.csv"), SUMMARY, "summary.csv");
    assert_golden(file(&r, "speakers.csv"), SPEAKERS, "speakers.csv");
    assert_golden(file(&r, "network.csv"), NETWORK, "network.csv");
    let s = &r.summary;
    assert_eq!(
        (
            s.files,
            s.statements,
            s.labelled,
            s.unlabelled,
            s.no_speaker
        ),
        (1, 20, 18, 2, 1)
    );
    assert_eq!((s.sources, s.speakers, s.actors), (2, 8, 5));
}

#[test]
fn golden_summary_by_month() {
    let opts = CompareOptions {
        by_date: Some(Period::Month),
    };
    let r = render_str(&[CORPUS], &opts);
    assert_golden(
        file(&r, "summary.csv"),
        SUMMARY_BY_MONTH,
        "summary_by_month.csv",
    );
    // The other tables do not depend on periods.
    assert_golden(file(&r, "speakers.csv"), SPEAKERS, "speakers.csv");
    assert_golden(file(&r, "network.csv"), NETWORK, "network.csv");
}

#[test]
fn summary_by_week_labels_iso_weeks() {
    let opts = CompareOptions {
        by_date: Some(Period::Week),
    };
    let r = render_str(&[CORPUS], &opts);
    let periods: std::collections::BTreeSet<&str> = file(&r, "summary.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    // 2025-11-23 is a Sunday (week 47), 2025-11-24 a Monday, 2025-12-01 the next Monday.
    let expected = ["2025-W47", "2025-W48", "2025-W49", "unknown"];
    assert_eq!(periods.into_iter().collect::<Vec<_>>(), expected);
    assert!(file(&r, "summary.csv").starts_with("period,source,speaker_camp,"));
}

/// The interval columns of summary.csv against a hand computation: `ALL,ALL,favor` counts
/// 7 of 18 labelled statements. p = 0.388889, z² = 3.841459, z²/n = 0.213414,
/// denominator 1.213414; centre = (0.388889 + 0.106707) / 1.213414 = 0.408428;
/// half = 1.959964 · √(0.388889 · 0.611111 / 18 + 3.841459 / 1296) / 1.213414
///      = 1.959964 · √(0.013203 + 0.002964) / 1.213414 = 1.959964 · 0.127150 / 1.213414
///      = 0.205378;
/// interval (0.2031, 0.6138).
#[test]
fn interval_columns_match_hand_computation() {
    let r = render_str(&[CORPUS], &CompareOptions::default());
    let row = file(&r, "summary.csv")
        .lines()
        .find(|l| l.starts_with("ALL,ALL,favor,"))
        .expect("ALL,ALL,favor row");
    assert_eq!(row, "ALL,ALL,favor,7,18,0.3889,0.2031,0.6138");
    // And every row: lo ≤ share ≤ hi, all in [0, 1], 4 decimals; empty for empty groups.
    for line in file(&r, "summary.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[4] == "0" {
            assert_eq!(&f[5..], ["", "", ""], "{line}");
            continue;
        }
        let v: Vec<f64> = f[5..].iter().map(|x| x.parse().expect(line)).collect();
        assert!(f[5..].iter().all(|x| x.len() == 6), "{line}");
        assert!(
            0.0 <= v[1] && v[1] <= v[0] && v[0] <= v[2] && v[2] <= 1.0,
            "{line}"
        );
        let (k, n): (u64, u64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
        let (lo, hi) = wilson_interval(k, n).unwrap();
        assert!(
            (lo - v[1]).abs() <= 5e-5 && (hi - v[2]).abs() <= 5e-5,
            "{line}"
        );
    }
}

/// The page opens offline: no external URL, no script, no external style or image.
#[test]
fn html_is_self_contained() {
    let r = render_str(&[CORPUS], &CompareOptions::default());
    let html = file(&r, "report.html");
    let lower = html.to_ascii_lowercase();
    for bad in [
        "http://",
        "https://",
        "src=\"//",
        "href=\"//",
        "src='//",
        "href='//",
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
    ] {
        assert!(!lower.contains(bad), "report.html contains {bad:?}");
    }
    assert!(
        !lower.contains(" src=") && !lower.contains(" href="),
        "no src/href at all"
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 3, "three inline charts");
    assert!(html.contains("<caption>alpha</caption>"));
    assert!(html.contains("<td class=\"name\">Vladimir Putin</td>"));
    // The standalone SVG keeps its namespace, which a file needs.
    let svg = file(&r, "stance_by_source.svg");
    assert!(svg.starts_with("<svg") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.contains(">\nalpha (10)\n</text>"),
        "bar label with count"
    );
    assert!(svg.contains(">\nall sources (18)\n</text>"));
}

#[test]
fn graphml_has_actors_and_edges() {
    let r = render_str(&[CORPUS], &CompareOptions::default());
    let g = file(&r, "network.graphml");
    assert!(g.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "));
    assert!(g.trim_end().ends_with("</graphml>"));
    // Five actors (author, anonymous source and Reuters, camp media, are not actors) and the
    // 14 edges of the ALL network.
    assert_eq!(g.matches("<node ").count(), 5);
    assert_eq!(g.matches("<edge ").count(), 14);
    assert!(g.contains(
        "<node id=\"Vladimir Putin\"><data key=\"label\">Vladimir Putin</data>\
         <data key=\"camp\">russia</data><data key=\"favor\">3</data>\
         <data key=\"against\">0</data></node>"
    ));
    assert!(!g.contains("author") && !g.contains("Reuters"));
}

/// Rows of `text` (after the header), dealt into `n` shards by `pick(row index)`.
fn shards(text: &str, n: usize, pick: impl Fn(usize) -> usize) -> Vec<String> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    let mut out = vec![format!("{header}\n"); n];
    for (i, line) in lines.enumerate() {
        let s = &mut out[pick(i) % n];
        s.push_str(line);
        s.push('\n');
    }
    out
}

/// A larger corpus from a fixed pseudo-random sequence: many sources, speakers, dates.
fn synthetic_corpus(rows: usize) -> String {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let speakers = [
        ("Vladimir Putin", "russia"),
        ("Dmitry Peskov", "russia"),
        ("Volodymyr Zelensky", "ukraine"),
        ("Andrii Sybiha", "ukraine"),
        ("Donald Trump", "us"),
        ("Marco Rubio", "us"),
        ("Kaja Kallas", "europe"),
        ("Emmanuel Macron", "europe"),
        ("António Guterres", "other"),
        ("author", "media"),
        ("Reuters", "media"),
        ("anonymous source", "unknown"),
        ("", ""),
    ];
    let stances = ["favor", "against", "neutral", "unrelated", ""];
    let mut s = CORPUS.lines().next().unwrap_or("").to_owned();
    s.push('\n');
    for i in 0..rows {
        let source = ["wire", "daily", "tv", "weekly"][next(4) as usize];
        let doc = next(60);
        let date = match next(10) {
            0 => String::new(),
            1 => "yesterday".to_owned(),
            _ => format!("2025-{:02}-{:02}", 1 + next(12), 1 + next(28)),
        };
        let (speaker, camp) = speakers[next(speakers.len() as u64) as usize];
        let stance = stances[next(stances.len() as u64) as usize];
        s.push_str(&format!(
            "{source}/d{doc}.txt,{source},{date},,,{i},0,1,\"Sentence {i}, \"\"quoted\"\".\",\
             {speaker},{camp},reported,{stance},,,,,\n"
        ));
    }
    s
}

/// Several statements.csv (shards, in any order, empty ones included) give the same
/// files as their concatenation.
#[test]
fn shards_equal_concatenation() {
    let big = synthetic_corpus(3000);
    let periods = [
        None,
        Some(Period::Day),
        Some(Period::Week),
        Some(Period::Month),
    ];
    for corpus in [CORPUS, big.as_str()] {
        for by_date in periods {
            let opts = CompareOptions { by_date };
            let whole = render_str(&[corpus], &opts);
            let splits: Vec<Vec<String>> = vec![
                shards(corpus, 3, |i| i),
                shards(corpus, 2, |i| i / 7),
                shards(corpus, 4, |i| (i * 7 + 3) % 5),
            ];
            for parts in splits {
                let mut refs: Vec<&str> = parts.iter().map(String::as_str).collect();
                for _ in 0..2 {
                    let r = render_str(&refs, &opts);
                    for (name, bytes) in &whole.files {
                        if *name == "report.html" {
                            continue; // it names the number of files
                        }
                        assert!(
                            r.files.iter().any(|(n, b)| n == name && b == bytes),
                            "{name} differs for {} shards ({by_date:?})",
                            refs.len()
                        );
                    }
                    refs.reverse();
                }
            }
        }
    }
}

#[test]
fn compare_files_writes_every_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = shards(CORPUS, 2, |i| i);
    let mut inputs = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let path = dir.path().join(format!("statements.{i}.csv"));
        std::fs::write(&path, p).expect("write shard");
        inputs.push(path);
    }
    let out = dir.path().join("out");
    let summary = compare_files(&inputs, &out, &CompareOptions::default()).expect("compare");
    assert_eq!(summary.files, 2);
    assert_eq!(summary.written.len(), OUTPUT_FILES.len());
    for name in OUTPUT_FILES {
        assert!(out.join(name).is_file(), "{name} written");
    }
    let read = |n: &str| std::fs::read_to_string(out.join(n)).expect("read output");
    assert_golden(&read("summary.csv"), SUMMARY, "summary.csv");
    assert_golden(&read("speakers.csv"), SPEAKERS, "speakers.csv");
    assert_golden(&read("network.csv"), NETWORK, "network.csv");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

#[test]
fn compare_files_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let opts = CompareOptions::default();
    assert!(matches!(
        compare_files(&[], &out, &opts),
        Err(CompareError::NoInputs)
    ));
    let missing = dir.path().join("missing.csv");
    let err = compare_files(std::slice::from_ref(&missing), &out, &opts).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: ", missing.display())),
        "{err}"
    );
    let bad = dir.path().join("bad.csv");
    let text = CORPUS.replacen(",against,0.02,", ",against-ish,0.02,", 1);
    std::fs::write(&bad, text).expect("write");
    let err = compare_files(std::slice::from_ref(&bad), &out, &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:5: unknown stance `against-ish` (expected favor, against, neutral, unrelated or empty)",
            bad.display()
        )
    );
    assert!(
        !out.join("summary.csv").exists(),
        "nothing written on error"
    );
}

#[test]
fn unlabelled_input_gives_empty_tables() {
    // A run without classifier: stance empty everywhere.
    let text = "doc_id,source,date,speaker,speaker_camp,stance\nd,a,,Vladimir Putin,russia,\n";
    let r = render_str(&[text], &CompareOptions::default());
    assert_eq!(
        file(&r, "summary.csv"),
        format!("{}\n", SUMMARY_HEADER.join(","))
    );
    assert_eq!(
        file(&r, "speakers.csv"),
        format!(
            "{}\na,Vladimir Putin,russia,1,0,0,0,0,1\nALL,Vladimir Putin,russia,1,0,0,0,0,1\n",
            SPEAKERS_HEADER.join(",")
        )
    );
    assert_eq!(
        file(&r, "network.csv"),
        format!("{}\n", NETWORK_HEADER.join(","))
    );
    assert_eq!(r.summary.unlabelled, 1);
    assert!(file(&r, "report.html").contains("1 statements have no stance label"));
}
