#!/usr/bin/env python3
"""Build stancemap's training and dev data from the raw batch files.

Usage: scripts/build_datasets.py [--raw 'datasets/raw/*.txt'] [--out datasets] [--allow-partial]

Reads every raw batch file (format: datasets/WRITING.md), validating it with the parser in
scripts/check_raw.py, rebuilds each article's text (the sentences of a paragraph joined with one
space, paragraphs with "\\n") and writes, under --out:

  train.csv, dev.csv           one row per statement: doc_id,source,date,register,sentence_id,
                               char_start,char_end,sentence,speaker,speaker_camp,attribution,stance
                               (char_start/char_end: Unicode code-point offsets into the article
                               text, so text[char_start:char_end] == sentence in Python)
  train_articles.jsonl,        one JSON object per article: id, source, date, title (the first line
  dev_articles.jsonl           when it is a headline, else ""), text
  sample/<source>/<doc_id>.txt the dev articles as a small plain-text corpus (text + final newline)
  COUNTS.md                    a markdown table of label counts per raw file and per split

The split is by article and deterministic: within each raw file of b1-b9, articles are ranked by
sha256(doc_id) and the first round(17%) go to dev (later batches, b10 on, are train only, so the
dev set stays the same as data is added). If dev then has fewer than 600 statements,
further articles are moved to dev, taking the next one by hash rank from each file in turn,
while dev stays under 25% of all statements. Nothing is random and the order of files or
articles in them does not matter.

Any malformed line is an error (exit 1). With --allow-partial (for files still being written),
an article containing an error is reported and dropped, and the rest of that file is skipped.
"""
import argparse
import collections
import csv
import glob
import hashlib
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_raw  # noqa: E402  (the one raw-format parser; do not duplicate it)

LABELS = ["favor", "against", "neutral", "unrelated"]
COLUMNS = ["doc_id", "source", "date", "register", "sentence_id", "char_start", "char_end",
           "sentence", "speaker", "speaker_camp", "attribution", "stance"]
DEV_FRACTION = 0.17
MIN_DEV_STATEMENTS = 600
MAX_DEV_SHARE = 0.25
# The dev set was drawn from the first nine batches; batches written later (b10 on) train only,
# so that dev figures stay comparable from one model to the next.
DEV_BATCHES = {f"b{i}" for i in range(1, 10)}
# A sentence ends with . ? ! possibly followed by closing quotes/brackets; a headline does not.
SENTENCE_END = re.compile(r"[.?!…][\"'”’»)\]]*$")


class Article:
    def __init__(self, header, path, lineno):
        self.id = header["doc_id"]
        self.source = header["source"]
        self.date = header["date"]
        self.register = header["register"]
        self.path = path
        self.lineno = lineno
        self.paragraphs = []  # list of lists of statement dicts
        self._new_para = True

    def add(self, st):
        if self._new_para or not self.paragraphs:
            self.paragraphs.append([])
            self._new_para = False
        self.paragraphs[-1].append(st)

    def paragraph_break(self):
        self._new_para = True

    @property
    def statements(self):
        return [s for p in self.paragraphs for s in p]

    def build(self):
        """Return (text, rows) with code-point offsets; rows are dicts with COLUMNS."""
        parts, rows, pos, sid = [], [], 0, 0
        for pi, para in enumerate(self.paragraphs):
            if pi:
                parts.append("\n")
                pos += 1
            for si, st in enumerate(para):
                if si:
                    parts.append(" ")
                    pos += 1
                s = st["sentence"]
                rows.append({
                    "doc_id": self.id, "source": self.source, "date": self.date,
                    "register": self.register, "sentence_id": sid, "char_start": pos,
                    "char_end": pos + len(s), "sentence": s, "speaker": st["speaker"],
                    "speaker_camp": st["camp"], "attribution": st["attribution"],
                    "stance": st["stance"],
                })
                parts.append(s)
                pos += len(s)
                sid += 1
        text = "".join(parts)
        for r in rows:  # the invariant every consumer relies on
            assert text[r["char_start"]:r["char_end"]] == r["sentence"], (self.id, r["sentence_id"])
        return text, rows

    @property
    def title(self):
        first = self.paragraphs[0] if self.paragraphs else []
        if len(first) == 1 and not SENTENCE_END.search(first[0]["sentence"]):
            return first[0]["sentence"]
        return ""


def read_file(path, seen, allow_partial, problems):
    """Parse one raw file into Articles; record problems as 'path:line: msg' strings."""
    articles, current = [], None
    try:
        for n, item in check_raw.parse(path):
            if item is None:
                if current is not None:
                    current.paragraph_break()
                continue
            if "doc_id" in item:
                if current is not None:
                    articles.append(current)
                if item["doc_id"] in seen:
                    problems.append(f"{path}:{n}: duplicate doc_id {item['doc_id']} (first in {seen[item['doc_id']]})")
                    current = None
                    continue
                seen[item["doc_id"]] = f"{path}:{n}"
                current = Article(item, path, n)
                continue
            if current is None:
                problems.append(f"{path}:{n}: statement before any ### header (or under a rejected header)")
                continue
            current.add(item)
    except ValueError as e:
        problems.append(str(e))
        if not allow_partial:
            return articles
        current = None  # drop the article the bad line is in; skip the rest of the file
    if current is not None:
        articles.append(current)
    keep = []
    for a in articles:
        if not a.statements:
            problems.append(f"{a.path}:{a.lineno}: article {a.id} has no statements")
        else:
            keep.append(a)
    return keep


def hash_rank(doc_id):
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def split(by_file):
    """by_file: {path: [Article]} -> set of dev doc_ids (drawn from the DEV_BATCHES files only)."""
    by_file = {p: arts for p, arts in by_file.items()
               if os.path.splitext(os.path.basename(p))[0] in DEV_BATCHES}
    ranked = {p: sorted(arts, key=lambda a: hash_rank(a.id)) for p, arts in by_file.items()}
    dev, taken = set(), {}
    for p, arts in ranked.items():
        k = int(round(DEV_FRACTION * len(arts)))
        if len(arts) >= 3:
            k = max(k, 1)
        taken[p] = k
        dev.update(a.id for a in arts[:k])
    size = {a.id: len(a.statements) for arts in ranked.values() for a in arts}
    total = sum(size.values())
    n_dev = sum(size[d] for d in dev)
    progressed = True
    while n_dev < MIN_DEV_STATEMENTS and progressed:
        progressed = False
        for p in sorted(ranked):
            arts = ranked[p]
            if taken[p] >= len(arts) - 1 or n_dev >= MIN_DEV_STATEMENTS:
                continue
            nxt = arts[taken[p]]
            if n_dev + size[nxt.id] > MAX_DEV_SHARE * total:
                continue
            dev.add(nxt.id)
            taken[p] += 1
            n_dev += size[nxt.id]
            progressed = True
    return dev


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_jsonl(path, items):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


def counts_row(name, n_articles, stances):
    total = sum(stances.values())
    cells = [name, str(n_articles), str(total)] + [str(stances.get(lb, 0)) for lb in LABELS]
    return "| " + " | ".join(cells) + " |"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", default=None, help="glob of raw files (default: <repo>/datasets/raw/*.txt)")
    ap.add_argument("--out", default=None, help="output directory (default: <repo>/datasets)")
    ap.add_argument("--allow-partial", action="store_true",
                    help="drop articles with errors instead of failing (for files still being written)")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = args.out or os.path.join(root, "datasets")
    paths = sorted(glob.glob(args.raw or os.path.join(root, "datasets", "raw", "*.txt")))
    if not paths:
        sys.exit("build_datasets: no raw files found")

    seen, problems, by_file = {}, [], {}
    for p in paths:
        by_file[p] = read_file(p, seen, args.allow_partial, problems)
    for msg in problems:
        print(msg, file=sys.stderr)
    if problems and not args.allow_partial:
        sys.exit(f"build_datasets: {len(problems)} problem(s) in the raw files; nothing written")

    dev_ids = split(by_file)
    out_rows = {"train": [], "dev": []}
    out_arts = {"train": [], "dev": []}
    per_file = []
    for p in paths:
        arts = sorted(by_file[p], key=lambda a: a.id)
        c = collections.Counter(s["stance"] for a in arts for s in a.statements)
        per_file.append((os.path.basename(p), len(arts), c))
        for a in arts:
            text, rows = a.build()
            part = "dev" if a.id in dev_ids else "train"
            out_rows[part].extend(rows)
            out_arts[part].append({"id": a.id, "source": a.source, "date": a.date, "title": a.title,
                                   "text": text})

    os.makedirs(out, exist_ok=True)
    for part in ("train", "dev"):
        write_csv(os.path.join(out, f"{part}.csv"), out_rows[part])
        write_jsonl(os.path.join(out, f"{part}_articles.jsonl"), out_arts[part])

    sample = os.path.join(out, "sample")
    if os.path.isdir(sample):
        shutil.rmtree(sample)
    for art in out_arts["dev"]:
        d = os.path.join(sample, art["source"])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"{art['id']}.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(art["text"] + "\n")

    lines = ["| file | articles | statements | " + " | ".join(LABELS) + " |",
             "|---|---:|---:|" + "---:|" * len(LABELS)]
    for name, n, c in per_file:
        lines.append(counts_row(f"raw/{name}", n, c))
    all_c = collections.Counter()
    for part in ("train", "dev"):
        c = collections.Counter(r["stance"] for r in out_rows[part])
        all_c += c
        lines.append(counts_row(f"{part}.csv", len(out_arts[part]), c))
    lines.append(counts_row("total", len(out_arts["train"]) + len(out_arts["dev"]), all_c))
    table = "\n".join(lines) + "\n"
    with open(os.path.join(out, "COUNTS.md"), "w", encoding="utf-8") as f:
        f.write(table)
    print(table, end="")
    n_dev = len(out_rows["dev"])
    if n_dev < MIN_DEV_STATEMENTS:
        print(f"build_datasets: warning: dev has {n_dev} statements (< {MIN_DEV_STATEMENTS}); "
              "not enough raw data yet", file=sys.stderr)
    if problems:
        print(f"build_datasets: {len(problems)} problem(s) skipped (--allow-partial)", file=sys.stderr)


if __name__ == "__main__":
    main()
