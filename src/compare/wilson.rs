//! The Wilson score interval for a share, and the fixed number formatting of every output.

/// The normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959964;

/// The 95% Wilson score interval `(lo, hi)` of the share `k / n`; `None` when `n` is 0.
///
/// With `p = k/n` and `z` = [`Z95`]:
/// `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`, clamped to `[0, 1]`.
/// Unlike the normal approximation it stays inside `[0, 1]` and is not empty at `k = 0`.
pub fn wilson_interval(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let p = k.min(n) as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    Some((
        (centre - half).clamp(0.0, 1.0),
        (centre + half).clamp(0.0, 1.0),
    ))
}

/// A number with 4 decimals, never `-0.0000`.
pub(crate) fn fmt4(x: f64) -> String {
    let s = format!("{x:.4}");
    if s == "-0.0000" {
        "0.0000".to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand computation for k = 3, n = 10 (p = 0.3):
    /// z² = 3.841459, z²/n = 0.3841459, denominator 1.3841459;
    /// centre = (0.3 + 0.1920729) / 1.3841459 = 0.3555066;
    /// half = 1.959964 · √(0.021 + 0.0096036) / 1.3841459 = 1.959964 · 0.1749390 / 1.3841459
    ///      = 0.2477153;
    /// interval (0.1077913, 0.6032219): (0.1078, 0.6032), the textbook value for 3 of 10.
    #[test]
    fn matches_hand_computation() {
        let cases: [(u64, u64, f64, f64); 6] = [
            (3, 10, 0.107_791, 0.603_222),
            // k = 0: lo is 0, hi = z²/(n + z²) = 3.841459 / 13.841459.
            (0, 10, 0.0, 0.277_533),
            // k = n: the mirror image.
            (10, 10, 0.722_467, 1.0),
            // p = 1/2, n = 100: centre 0.5, half = 1.959964 · √(0.0025 + 0.0000960) / 1.0384146
            // = 1.959964 · 0.0509513 / 1.0384146 = 0.0961685.
            (50, 100, 0.403_832, 0.596_168),
            (1, 1, 0.206_549, 1.0),
            (81, 263, 0.255_289, 0.366_210),
        ];
        for (k, n, lo, hi) in cases {
            let (l, h) = wilson_interval(k, n).unwrap();
            assert!((l - lo).abs() < 2e-6, "{k}/{n}: lo {l} vs {lo}");
            assert!((h - hi).abs() < 2e-6, "{k}/{n}: hi {h} vs {hi}");
        }
        assert_eq!(wilson_interval(0, 0), None);
    }

    #[test]
    fn formats_four_decimals() {
        assert_eq!(fmt4(0.0), "0.0000");
        assert_eq!(fmt4(-0.0), "0.0000");
        assert_eq!(fmt4(-1e-12), "0.0000");
        assert_eq!(fmt4(1.0), "1.0000");
        assert_eq!(fmt4(0.107_786), "0.1078");
        assert_eq!(fmt4(2.0 / 3.0), "0.6667");
    }
}
