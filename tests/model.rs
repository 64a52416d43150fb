//! The bundled model: checksums at load, clear errors, and parity with the Python reference.

use std::fs;
use std::path::Path;

use stancemap::classify::{Encoder, EngineKind, Pair, PredictionCache, StanceClassifier};
use stancemap::output::ClassifierStats;

use crate::util::{data, root, stancemap, stderr};

fn copy_model(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(root().join("models/stance-minilm")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn run_with_model(model: &Path) -> std::process::Output {
    let out = tempfile::tempdir().unwrap();
    stancemap(&[
        "analyze",
        data("seed/article.txt").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--quiet",
    ])
}

#[test]
fn issue7_truncated_model_names_file_and_expected_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m");
    copy_model(&model);
    let onnx = model.join("model.onnx");
    let bytes = fs::read(&onnx).unwrap();
    fs::write(&onnx, &bytes[..bytes.len() / 2]).unwrap();
    let out = run_with_model(&model);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("model.onnx: checksum mismatch: expected sha256 "),
        "{err}"
    );
}

#[test]
fn issue7_missing_model_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m");
    copy_model(&model);
    fs::remove_file(model.join("tokenizer.json")).unwrap();
    let out = run_with_model(&model);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("tokenizer.json"), "{err}");
    assert!(err.contains("expected sha256"), "{err}");
}

#[test]
fn issue3_missing_model_directory_suggests_the_fix() {
    let out = run_with_model(Path::new("/nonexistent/model"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("model directory not found"),
        "{}",
        stderr(&out)
    );
}

#[derive(serde::Deserialize)]
struct Reference {
    temperature: f32,
    #[serde(default)]
    speaker_in_input: bool,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    sentence: String,
    #[serde(default)]
    previous: Option<String>,
    #[serde(default)]
    speaker: Option<String>,
    input_ids: Vec<i64>,
    token_type_ids: Vec<i64>,
    logits_onnx: Vec<f32>,
    #[cfg_attr(not(feature = "rust-bert"), allow(dead_code))]
    logits_torch_fp16: Vec<f32>,
}

impl Reference {
    /// The cases as model inputs.
    fn pairs(&self) -> Vec<Pair> {
        self.cases
            .iter()
            .map(|c| Pair {
                sentence: c.sentence.clone(),
                context: c.previous.clone().unwrap_or_default(),
                speaker: c.speaker.clone().unwrap_or_default(),
            })
            .collect()
    }

    /// Every logit within 1e-4 of the reference that `want` picks from each case.
    fn assert_within_1e4(&self, logits: &[[f32; 4]], want: impl Fn(&Case) -> &Vec<f32>) {
        assert_eq!(logits.len(), self.cases.len());
        for (case, got) in self.cases.iter().zip(logits) {
            let want = want(case);
            for (g, w) in got.iter().zip(want) {
                assert!(
                    (g - w).abs() < 1e-4,
                    "{:?}: {got:?} vs {want:?}",
                    case.sentence
                );
            }
        }
    }
}

fn reference() -> Reference {
    serde_json::from_str(&fs::read_to_string(data("reference_logits.json")).unwrap()).unwrap()
}

#[test]
fn issue3_onnx_engine_matches_python_onnxruntime_within_1e4() {
    let reference = reference();
    let classifier = StanceClassifier::load(
        &root().join("models/stance-minilm"),
        EngineKind::Onnx,
        2,
        32,
    )
    .unwrap();
    let pairs = reference.pairs();
    let mut stats = ClassifierStats::default();
    let logits = classifier.logits(&pairs, &mut stats).unwrap();
    assert!(reference.cases.len() >= 20);
    reference.assert_within_1e4(&logits, |c| &c.logits_onnx);
    assert_eq!(
        stats.tokens,
        reference
            .cases
            .iter()
            .map(|c| c.input_ids.len())
            .sum::<usize>()
    );
    assert!((classifier.config().temperature - reference.temperature).abs() < 1e-6);
}

#[test]
fn issue3_tokenizer_matches_python_token_ids() {
    let reference = reference();
    let dir = root().join("models/stance-minilm");
    let encoder = Encoder::load(
        &dir.join("tokenizer.json"),
        128,
        true,
        reference.speaker_in_input,
    )
    .unwrap();
    for case in &reference.cases {
        let enc = encoder
            .encode(&Pair {
                sentence: case.sentence.clone(),
                context: case.previous.clone().unwrap_or_default(),
                speaker: case.speaker.clone().unwrap_or_default(),
            })
            .unwrap();
        assert_eq!(enc.ids, case.input_ids, "{:?}", case.sentence);
        assert_eq!(enc.type_ids, case.token_type_ids, "{:?}", case.sentence);
    }
}

#[cfg(feature = "rust-bert")]
#[test]
fn issue3_rust_bert_engine_matches_pytorch_within_1e4() {
    let reference = reference();
    let classifier = StanceClassifier::load(
        &root().join("models/stance-minilm"),
        EngineKind::RustBert,
        2,
        8,
    )
    .unwrap();
    let pairs = reference.pairs();
    let logits = classifier
        .logits(&pairs, &mut ClassifierStats::default())
        .unwrap();
    reference.assert_within_1e4(&logits, |c| &c.logits_torch_fp16);
}

#[cfg(feature = "rust-bert")]
#[test]
fn issue3_rust_bert_engine_runs_the_pipeline_and_agrees_with_onnx() {
    let mut stances = Vec::new();
    for engine in ["onnx", "rust-bert"] {
        let out = tempfile::tempdir().unwrap();
        let run = stancemap(&[
            "analyze",
            data("seed/article.txt").to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--engine",
            engine,
            "--quiet",
        ]);
        assert!(run.status.success(), "{engine}: {}", stderr(&run));
        let mut rdr = csv::Reader::from_path(out.path().join("statements.csv")).unwrap();
        stances.push(
            rdr.records()
                .map(|r| r.unwrap()[12].to_string())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(stances[0].len(), 40);
    let agree = stances[0]
        .iter()
        .zip(&stances[1])
        .filter(|(a, b)| a == b)
        .count();
    // int8 ONNX vs fp16 weights in fp32 libtorch: the argmax agrees on nearly every sentence.
    assert!(agree >= 38, "engines agree on {agree}/40 stances");
}

#[test]
fn issue7_a_full_cache_never_loses_what_a_call_needs() {
    // A cache smaller than one call's inputs, holding answers the next call reuses: making
    // room must not drop them mid-call (this once failed with "prediction cache lost an entry").
    let classifier = StanceClassifier::load(
        &root().join("models/stance-minilm"),
        EngineKind::Onnx,
        1,
        32,
    )
    .unwrap();
    let pair = |s: &str| Pair {
        sentence: s.to_string(),
        context: "Kyiv and Moscow met in Istanbul.".to_string(),
        speaker: "author (media, narration)".to_string(),
    };
    let first = [pair("Crimea is Ukraine."), pair("The talks ended.")];
    let second = [
        pair("Crimea is Ukraine."),
        pair("Russia will keep the peninsula."),
        pair("No territory was discussed."),
    ];
    let mut stats = ClassifierStats::default();
    let mut small = PredictionCache::new(3);
    small.predict(&classifier, &first, &mut stats).unwrap();
    let got = small.predict(&classifier, &second, &mut stats).unwrap();
    assert!(small.len() <= 3);
    // the same answers as a cache that never fills
    let mut big = PredictionCache::new(100);
    let want = big.predict(&classifier, &second, &mut stats).unwrap();
    assert_eq!(got, want);
    // and identical inputs within one call are classified once
    let mut fresh = PredictionCache::new(100);
    let mut counted = ClassifierStats::default();
    fresh
        .predict(&classifier, &[pair("Same."), pair("Same.")], &mut counted)
        .unwrap();
    assert_eq!((counted.model_inputs, counted.cache_hits), (1, 1));
}
