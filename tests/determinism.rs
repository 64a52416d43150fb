//! Output is byte-identical whatever the thread count.

use crate::util::{data, read, stancemap, stderr};

#[test]
fn issue2_threads_1_and_4_give_identical_csv() {
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let dir = tempfile::tempdir().unwrap();
        let out = stancemap(&[
            "analyze",
            data("corpus").to_str().unwrap(),
            data("seed/article.txt").to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--threads",
            threads,
            "--quiet",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        outputs.push(read(&dir.path().join("statements.csv")));
    }
    assert!(outputs[0].lines().count() > 50);
    assert_eq!(outputs[0], outputs[1]);
}
