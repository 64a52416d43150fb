#!/usr/bin/env python3
"""Validate raw dataset files (datasets/WRITING.md format) and print label counts.

Usage: scripts/check_raw.py datasets/raw/b1.txt [...]
Exits 1 and names file:line for every malformed line.
"""
import collections
import re
import sys

STANCES = {"favor", "against", "neutral", "unrelated"}
ATTRS = {"quote", "continuation", "reported", "described", "according_to", "narration"}
CAMPS = {"russia", "ukraine", "us", "europe", "other", "media", "unknown"}
HEADER = re.compile(r"^### doc_id=(\S+) \| source=(\S+) \| date=(\d{4}-\d{2}-\d{2}) \| register=(\S+)\s*$")


def parse(path):
    """Yield (lineno, header_dict) or (lineno, statement_dict) or (lineno, None) for paragraph breaks."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                yield n, None
                continue
            m = HEADER.match(line)
            if m:
                yield n, {"doc_id": m[1], "source": m[2], "date": m[3], "register": m[4]}
                continue
            parts = [p.strip() for p in line.split(" | ", 4)]
            if len(parts) != 5:
                raise ValueError(f"{path}:{n}: expected 5 fields separated by ' | ', got {len(parts)}")
            stance, attr, camp, speaker, sentence = parts
            for val, allowed, what in ((stance, STANCES, "stance"), (attr, ATTRS, "attribution"), (camp, CAMPS, "camp")):
                if val not in allowed:
                    raise ValueError(f"{path}:{n}: bad {what} {val!r}")
            if not sentence or not speaker:
                raise ValueError(f"{path}:{n}: empty speaker or sentence")
            if attr == "narration" and (speaker != "author" or camp != "media"):
                raise ValueError(f"{path}:{n}: narration must be author/media")
            if speaker == "anonymous source" and camp != "unknown":
                raise ValueError(f"{path}:{n}: anonymous source must have camp unknown")
            yield n, {"stance": stance, "attribution": attr, "camp": camp, "speaker": speaker, "sentence": sentence}


def main():
    errors = 0
    stance = collections.Counter()
    attr = collections.Counter()
    docs = set()
    for path in sys.argv[1:]:
        current = None
        try:
            for n, item in parse(path):
                if item is None:
                    continue
                if "doc_id" in item:
                    if item["doc_id"] in docs:
                        print(f"{path}:{n}: duplicate doc_id {item['doc_id']}")
                        errors += 1
                    docs.add(item["doc_id"])
                    current = item
                    continue
                if current is None:
                    print(f"{path}:{n}: statement before any ### header")
                    errors += 1
                    continue
                stance[item["stance"]] += 1
                attr[item["attribution"]] += 1
        except ValueError as e:
            print(e)
            errors += 1
    total = sum(stance.values())
    print(f"{len(docs)} articles, {total} statements")
    print("stance:", dict(stance))
    print("attribution:", dict(attr))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
