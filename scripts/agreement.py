#!/usr/bin/env python3
"""Agreement between two stance labellings of the same statements (e.g. dev.csv and the blind
re-annotation in datasets/dev_reannotation.csv): accuracy, Cohen's kappa, per-label F1 and
macro-F1 (taking the first file as the reference), camp agreement, and the disagreements.

Usage: scripts/agreement.py [REFERENCE.csv] [OTHER.csv]   (defaults: datasets/dev.csv
datasets/dev_reannotation.csv; rows are matched by doc_id and sentence_id)
"""
import collections
import csv
import os
import sys

LABELS = ["favor", "against", "neutral", "unrelated"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["doc_id"], r["sentence_id"]): r for r in csv.DictReader(f)}


def f1s(pairs):
    out = {}
    for lb in LABELS:
        tp = sum(a == lb and b == lb for a, b in pairs)
        fp = sum(a != lb and b == lb for a, b in pairs)
        fn = sum(a == lb and b != lb for a, b in pairs)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[lb] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main():
    ref_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "datasets", "dev.csv")
    other_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "datasets", "dev_reannotation.csv")
    ref, other = load(ref_path), load(other_path)
    keys = sorted(set(ref) & set(other))
    missing = len(set(ref) ^ set(other))
    pairs = [(ref[k]["stance"], other[k]["stance"]) for k in keys]
    n = len(pairs)
    acc = sum(a == b for a, b in pairs) / n
    ca, cb = collections.Counter(a for a, _ in pairs), collections.Counter(b for _, b in pairs)
    pe = sum(ca[lb] * cb[lb] for lb in LABELS) / (n * n)
    f = f1s(pairs)
    print(f"statements compared: {n} (unmatched rows: {missing})")
    print(f"stance agreement {acc:.3f}, Cohen's kappa {(acc - pe) / (1 - pe):.3f}, "
          f"macro-F1 {sum(f.values()) / 4:.3f} (" + ", ".join(f"{k} {v:.3f}" for k, v in f.items()) + ")")
    if all("confidence" in other[k] for k in keys):
        for level in ("high", "low"):
            sub = [(ref[k]["stance"], other[k]["stance"]) for k in keys if other[k]["confidence"] == level]
            if sub:
                print(f"  where the second annotator's confidence is {level}: {len(sub)} statements, "
                      f"agreement {sum(a == b for a, b in sub) / len(sub):.3f}")
    if all("speaker_camp" in other[k] for k in keys):
        print(f"camp agreement {sum(ref[k]['speaker_camp'] == other[k]['speaker_camp'] for k in keys) / n:.3f}")
    print("disagreements (reference -> other):")
    for (a, b), c in collections.Counter(p for p in pairs if p[0] != p[1]).most_common():
        print(f"  {a:9s} -> {b:9s} {c}")


if __name__ == "__main__":
    main()
