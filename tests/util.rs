//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under tests/data.
pub fn data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// Runs the built binary with `args` in the repository root.
pub fn stancemap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stancemap"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the stancemap binary runs")
}

/// The arguments of a quiet `stancemap analyze INPUT --out OUT EXTRA...` run.
pub fn analyze_args(input: &str, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "analyze".to_string(),
        input.to_string(),
        "--out".to_string(),
        out.display().to_string(),
        "--quiet".to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

/// Runs `stancemap analyze INPUT --out OUT --quiet EXTRA...`.
pub fn analyze(input: &str, out: &Path, extra: &[&str]) -> Output {
    let args = analyze_args(input, out, extra);
    stancemap(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Runs the binary with stdin from `input`.
pub fn stancemap_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stancemap"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the stancemap binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Reads a file as text.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Parses run.json.
pub fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("run.json"))).unwrap()
}

/// Compares `actual` with the golden file, or rewrites it when UPDATE_GOLDEN=1.
pub fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = read(golden).replace("\r\n", "\n");
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(5)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{} differs ({} vs {} lines; rerun with UPDATE_GOLDEN=1 if the change is intended)\n{}",
            golden.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}
