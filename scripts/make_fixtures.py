#!/usr/bin/env python3
"""Write tests/data/reference_logits.json: reference tokenisation and logits for the Rust engines.

Usage (in .venv-train; scripts/train runs it after export):
  .venv-train/bin/python scripts/make_fixtures.py [--model models/stance-minilm] [--out tests/data/reference_logits.json]

For a fixed list of about 40 inputs (seed-article sentences, dev sentences, a long input over 128
tokens, one-word inputs, non-ASCII text), each with its previous sentence where there is one, it
records:
  - input_ids / token_type_ids from the model directory's tokenizer.json (attention mask all 1s),
    so the Rust tokenizer can be checked against Python's;
  - logits_torch_fp16: PyTorch on the fp16 model.safetensors upcast to fp32 (the rust-bert
    engine's reference);
  - logits_onnx: onnxruntime's Python API on the shipped model.onnx (the onnx engine's reference);
  - probs_*: softmax(logits / T) with T from config.json, and the argmax labels.
Every input is run alone (batch of 1, no padding).
"""
import argparse
import csv
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T  # noqa: E402

# Inputs that the data files do not provide.
# (id, sentence, previous sentence or None, speaker tag or None)
EXTRA = [
    ("one-word", "Crimea.", None, None),
    ("one-word-pair", "No.", "Will Kyiv ever accept the loss of Crimea?", "Volodymyr Zelensky (ukraine, quote)"),
    ("non-ascii-turkish", "Recep Tayyip Erdoğan said Türkiye would never recognise the annexation of "
                          "Crimea, home to the Crimean Tatars.", None, "Recep Tayyip Erdoğan (other, reported)"),
    ("non-ascii-cyrillic", "«Крым — это Украина», read the banner outside the Verkhovna Rada.",
     "Protesters gathered in Kyiv on the anniversary of the annexation.", "author (media, narration)"),
    ("non-ascii-french", "François Hollande a déclaré à Minsk que « la Crimée n’est pas à négocier ».",
     None, None),
    ("non-ascii-cjk-emoji", "中国 called for respect of “territorial integrity” 🇺🇦 but did not name Crimea.",
     "Beijing’s envoy spoke after the vote.", "Chinese government (other, described)"),
    ("long-single", (
        "In a lengthy statement released late on Tuesday evening after several hours of closed-door "
        "consultations with European partners, legal advisers, parliamentary leaders and representatives "
        "of the Crimean Tatar community, the Ukrainian Foreign Ministry said that no agreement, "
        "memorandum, framework, roadmap or so-called peace plan, whether drafted in Washington, Moscow, "
        "Brussels, Ankara or anywhere else, could ever change the internationally recognised borders of "
        "Ukraine, including Crimea, Donetsk, Luhansk, Kherson and Zaporizhzhia, and that any attempt to "
        "legitimise the occupation of those territories, de facto or de jure, through sanctions relief, "
        "trade arrangements, referendums held at gunpoint or the quiet acceptance of facts on the ground "
        "would be rejected by Kyiv, by the Verkhovna Rada and, above all, by the Ukrainian people, who had "
        "already paid an unimaginable price for their freedom."), None,
     "Ukrainian Foreign Ministry (ukraine, reported)"),
]
EXTRA.append(("long-pair", "Kyiv rejected the idea outright.", EXTRA[-1][1],
              "Ukrainian government (ukraine, described)"))


def pick_dev(dev_csv, per_label=5):
    """A fixed, deterministic choice of dev sentences: per label, the lowest sha256(doc_id:sentence_id)."""
    if not os.path.exists(dev_csv):
        return []
    exs, _ = T.load_examples(dev_csv)
    with open(dev_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keyed = []
    for ex, r in zip(sorted(exs, key=lambda e: e["row"]), rows):
        key = hashlib.sha256(f"{r.get('doc_id')}:{r.get('sentence_id')}".encode()).hexdigest()
        keyed.append((key, ex, f"dev-{r.get('doc_id')}-{r.get('sentence_id')}"))
    out = []
    for lab in range(len(T.LABELS)):
        cands = sorted((k for k in keyed if k[1]["label"] == lab), key=lambda k: k[0])
        out.extend(cands[:per_label])
    return [(name, ex["sentence"], ex["previous"], ex["gold_speaker"], T.LABELS[ex["label"]]) for _, ex, name in out]


def pick_seed(ids=(0, 1, 2, 5, 6, 7, 10, 14, 16, 21, 24, 25)):
    exs = T.seed_examples()
    by = {e["order"]: e for e in exs}
    return [(f"seed-{i:02d}", by[i]["sentence"], by[i]["previous"], by[i]["gold_speaker"], T.LABELS[by[i]["label"]])
            for i in ids if i in by]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=T.DEFAULT_OUT)
    ap.add_argument("--out", default=T.FIXTURES)
    ap.add_argument("--dev", default=os.path.join(T.ROOT, "datasets", "dev.csv"))
    args = ap.parse_args()
    torch.set_num_threads(2)

    with open(os.path.join(args.model, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    sm = cfg["stancemap"]
    temp = float(sm["temperature"])
    labels = sm["labels"]
    tok = T.load_tokenizer(os.path.join(args.model, "tokenizer.json"))
    model = T.load_fp16_model(args.model)
    sess = T.ort_session(os.path.join(args.model, "model.onnx"))

    raw = T.load_tokenizer(os.path.join(args.model, "tokenizer.json"))
    raw.no_truncation()
    cases = [c for c in pick_seed()] + pick_dev(args.dev) + [(i, s, p, w, None) for i, s, p, w in EXTRA]
    with_speaker = bool(sm.get("speaker_in_input"))
    if not with_speaker:
        cases = [(i, s, p, None, g) for i, s, p, _, g in cases]
    out_cases = []
    n_long = 0
    for cid, sentence, previous, speaker, gold in cases:
        ids, tt = T.encode(tok, sentence, previous, speaker)
        it = torch.tensor([ids], dtype=torch.long)
        mask = torch.ones_like(it)
        tti = torch.tensor([tt], dtype=torch.long)
        with torch.no_grad():
            lt = model(input_ids=it, attention_mask=mask, token_type_ids=tti).logits[0].numpy().astype(np.float64)
        lo = sess.run(["logits"], {"input_ids": it.numpy(), "attention_mask": mask.numpy(),
                                   "token_type_ids": tti.numpy()})[0][0].astype(np.float64)
        # untruncated length, to document which inputs hit the 128 limit
        second = T.second_segment(previous, speaker)
        n_raw = len((raw.encode(sentence, second) if second else raw.encode(sentence)).ids)
        n_long += n_raw > T.MAX_LENGTH
        pt = T.softmax((lt / temp)[None])[0]
        po = T.softmax((lo / temp)[None])[0]
        out_cases.append({
            "id": cid, "sentence": sentence, "previous": previous, "speaker": speaker, "gold": gold,
            "input_ids": ids, "token_type_ids": tt, "n_tokens": len(ids),
            "n_tokens_untruncated": n_raw, "truncated": n_raw > T.MAX_LENGTH,
            "logits_torch_fp16": [round(float(v), 6) for v in lt],
            "logits_onnx": [round(float(v), 6) for v in lo],
            "probs_torch_fp16": [round(float(v), 6) for v in pt],
            "probs_onnx": [round(float(v), 6) for v in po],
            "label_torch_fp16": labels[int(np.argmax(lt))],
            "label_onnx": labels[int(np.argmax(lo))],
        })
    if n_long == 0:
        sys.exit("make_fixtures: no case exceeds 128 tokens; fix the long inputs")
    files = {f: T.sha256_file(os.path.join(args.model, f)) for f in T.MODEL_FILES}
    doc = {
        "description": "Reference tokenisation and logits for stancemap's two inference engines. "
                       "Each case is encoded as tokenizer(sentence, second) with second = "
                       "'SPEAKER | PREVIOUS' (either alone when the other is null; single segment when both "
                       "are) with the model's tokenizer.json, run alone (batch 1, attention "
                       "mask all ones). logits_torch_fp16: PyTorch on model.safetensors (fp16) upcast to "
                       "fp32 = rust-bert reference. logits_onnx: onnxruntime on model.onnx = onnx engine "
                       "reference. probs_* = softmax(logits / temperature).",
        "model_dir": os.path.relpath(os.path.abspath(args.model), T.ROOT),
        "labels": labels, "temperature": temp, "onnx_precision": sm["onnx_precision"],
        "max_length": sm["max_length"], "pair_with_previous": sm["pair_with_previous"],
        "speaker_in_input": with_speaker,
        "model_files_sha256": files,
        "suggested_tolerance": {"logits_abs_same_engine": 1e-3, "probs_abs_same_engine": 1e-3},
        "cases": out_cases,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    agree = sum(c["label_torch_fp16"] == c["label_onnx"] for c in out_cases)
    maxdiff = max(max(abs(a - b) for a, b in zip(c["logits_torch_fp16"], c["logits_onnx"])) for c in out_cases)
    print(f"make_fixtures: wrote {args.out}: {len(out_cases)} cases ({n_long} over {T.MAX_LENGTH} tokens); "
          f"torch-fp16 vs onnx argmax agree on {agree}/{len(out_cases)}, max |logit diff| {maxdiff:.4f}")


if __name__ == "__main__":
    main()
