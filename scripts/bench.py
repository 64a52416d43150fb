#!/usr/bin/env python3
"""stancemap benchmark driver (run it through scripts/bench, which builds and sets up first).

    scripts/bench            throughput: stancemap end to end vs the Python baselines, peak RSS,
                             start-up time, model stage vs the FMA peak, engine benchmark
    scripts/bench --quick    the same on a small corpus (smoke run)
    scripts/bench --memory   peak RSS of `analyze` on the corpus at 1x and 10x

What it measures, all in one invocation on the same corpus and model, with 2 threads:

- stancemap: `target/release/stancemap analyze CORPUS --out DIR --threads 2 --quiet`, N rounds;
  sentences/s = statements_written / wall time (process start to exit, model load included).
  Peak RSS from /usr/bin/time -v; stage seconds and token counts from run.json.
- transformers pipeline("text-classification"), batch_size=32, torch.set_num_threads(2), on the
  same fine-tuned weights (model.safetensors upcast to fp32), over the (sentence, previous)
  pairs as {"text", "text_pair"} dicts in file order.
- a hand-tuned PyTorch loop: torch.inference_mode, length-sorted batches of 32, dynamic padding.
  Both Python baselines classify exactly the statements stancemap wrote (read back from its
  statements.csv: sentence + previous row's sentence in the same doc_id, after the speaker tag
  for a speaker-aware model, whitespace collapsed as stancemap does). Their time covers tokenisation + inference only (imports and model load are
  reported separately), which favours them.
- Rounds interleave (stancemap, pipeline, hand-tuned) so that load from other jobs on the machine
  hits all three alike; every figure is the median over rounds.
- The model stage: tokens x 21.2 MFLOP / run.json seconds.classify, against the fp32 FMA peak
  measured by scripts/fma_peak.c (2 threads). When model.onnx is int8 (config.json
  stancemap.onnx_precision) its "GFLOP/s" are fp32-equivalent flops, still compared against the
  fp32 peak, and the report says so.
- The model directory is copied to target/bench/model-snapshot/ and checked against SHA256SUMS
  first; stancemap (--model), the Python baselines and the engine benchmark all use that copy.

Results are printed and written to target/bench/bench-results[-quick|-memory].json.

Internal sub-commands (run with the benchmark virtualenv's python): `worker pipeline|handtuned`.
"""
import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "target", "bench")
SOURCE = os.path.join(ROOT, "datasets", "train_articles.jsonl")
MODEL_DIR = os.path.join(ROOT, "models", "stance-minilm")
# Every run uses a verified copy of MODEL_DIR taken at the start, so that a model being retrained
# in place cannot change under the benchmark half way through.
SNAPSHOT_DIR = os.path.join(BENCH_DIR, "model-snapshot", "stance-minilm")

# First N articles of datasets/train_articles.jsonl: 160 gives ~3,000 statements; 20 gives ~340.
CORPUS_ARTICLES = 160
QUICK_ARTICLES = 20
MEMORY_COPIES = 10
DISTINCT_ARTICLES = 480  # of the 487 written articles (train + dev)
FLOP_PER_TOKEN = 21.2e6  # MiniLM-L6: 2 x 6 x (4*384^2 + 2*384*1536)
LABELS = ["favor", "against", "neutral", "unrelated"]
TARGETS = {"vs_pipeline": 6.0, "vs_handtuned": 2.5, "fp32_share": 0.70}
ONE_SENTENCE = "Kyiv rejected any deal that would cede Crimea to Russia, the foreign minister said."


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# --------------------------------------------------------------------------- corpus


def write_corpus(path, articles, copies=1):
    """The first `articles` lines of train_articles.jsonl; copies > 1 repeats them, each copy
    with new ids (`<id>~c<k>`)."""
    with open(SOURCE, encoding="utf-8") as f:
        lines = [json.loads(line) for line, _ in zip(f, range(articles))]
    with open(path, "w", encoding="utf-8") as out:
        for k in range(copies):
            for doc in lines:
                d = dict(doc)
                if copies > 1:
                    d["id"] = f"{doc['id']}~c{k}"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
    return len(lines) * copies


def write_distinct_corpus(path, articles):
    """The first `articles` articles of train_articles.jsonl then dev_articles.jsonl: all
    different text, so nothing is answered from the prediction cache."""
    docs = []
    for src in (SOURCE, os.path.join(ROOT, "datasets", "dev_articles.jsonl")):
        with open(src, encoding="utf-8") as f:
            docs.extend(line for line in f if line.strip())
    if len(docs) < articles:
        raise SystemExit(f"bench: only {len(docs)} articles for a distinct corpus of {articles}")
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(docs[:articles])
    return articles


def pairs_from_statements(statements_csv, pairs_path, with_speaker):
    """(sentence, second segment) for every row, as stancemap feeds the model -- the second segment
    is the previous sentence of the same doc_id, preceded by the speaker tag
    ("NAME (CAMP, ATTRIBUTION) | previous") when the model is speaker-aware -- plus stancemap's
    label; written as JSONL for the Python workers."""
    norm = lambda s: " ".join(s.split())  # noqa: E731  (stancemap's cache key normalisation)
    n = 0
    prev_doc, prev_sentence = None, ""
    with open(statements_csv, newline="", encoding="utf-8") as f, open(pairs_path, "w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            sentence = norm(row["sentence"])
            previous = prev_sentence if row["doc_id"] == prev_doc else ""
            speaker = f"{row['speaker']} ({row['speaker_camp']}, {row['attribution']})" if with_speaker else ""
            context = f"{speaker} | {previous}" if speaker and previous else (speaker or previous)
            probs = [float(row[f"p_{lb}"]) for lb in LABELS] if row.get("p_favor") else None
            out.write(json.dumps({"sentence": sentence, "context": context, "stance": row["stance"],
                                  "probs": probs}) + "\n")
            prev_doc, prev_sentence = row["doc_id"], sentence
            n += 1
    return n


def sha256(path):
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot_model(src=MODEL_DIR, dest=SNAPSHOT_DIR):
    """Copies the model directory and checks every file against its SHA256SUMS (retrying while a
    training run may be writing it). Returns (dest, stancemap config block)."""
    for attempt in range(1, 6):
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(src, tmp)
        with open(os.path.join(tmp, "SHA256SUMS"), encoding="utf-8") as f:
            sums = [line.split() for line in f if line.strip()]
        bad = [name for digest, name in sums if sha256(os.path.join(tmp, name.lstrip("*"))) != digest.lower()]
        if not bad:
            shutil.rmtree(dest, ignore_errors=True)
            os.rename(tmp, dest)
            with open(os.path.join(dest, "config.json"), encoding="utf-8") as f:
                return dest, json.load(f)["stancemap"]
        log(f"model snapshot attempt {attempt}: checksum mismatch for {', '.join(bad)}; retrying in 10 s")
        time.sleep(10)
    raise SystemExit(f"bench: {src} does not match its SHA256SUMS (is it being rewritten?)")


# --------------------------------------------------------------------------- processes


def timed(cmd, env=None, rss_file=None):
    """Runs cmd (under /usr/bin/time -v when rss_file is given); returns (wall s, peak RSS KiB)."""
    full = (["/usr/bin/time", "-v", "-o", rss_file] if rss_file else []) + cmd
    t0 = time.perf_counter()
    proc = subprocess.run(full, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"bench: command failed (exit {proc.returncode}): {' '.join(cmd)}")
    rss = None
    if rss_file:
        with open(rss_file, encoding="utf-8") as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        rss = int(m.group(1)) if m else None
    return wall, rss, proc.stdout


def run_stancemap(binary, corpus, out_dir, threads, rss_file=None, extra=()):
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [binary, "analyze", corpus, "--out", out_dir, "--threads", str(threads), "--quiet"]
    cmd += ["--model", SNAPSHOT_DIR, "--batch-size", "32"] if "--no-stance" not in extra else []
    cmd += list(extra)
    wall, rss, _ = timed(cmd, rss_file=rss_file)
    with open(os.path.join(out_dir, "run.json"), encoding="utf-8") as f:
        run = json.load(f)
    return {"wall": wall, "rss_kib": rss, "run": run}


def python_env(threads):
    env = dict(os.environ)
    env.update({
        "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads),
        "RAYON_NUM_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "true",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
        "TRANSFORMERS_VERBOSITY": "error", "PYTHONWARNINGS": "ignore",
    })
    return env


def run_worker(python, kind, pairs, hf_dir, threads, batch, result, rss_file):
    cmd = [python, os.path.abspath(__file__), "worker", kind, "--pairs", pairs, "--hf-dir", hf_dir,
           "--model-dir", SNAPSHOT_DIR,
           "--threads", str(threads), "--batch-size", str(batch), "--result", result]
    wall, rss, _ = timed(cmd, env=python_env(threads), rss_file=rss_file)
    with open(result, encoding="utf-8") as f:
        r = json.load(f)
    r.update({"process_wall": wall, "rss_kib": rss})
    return r


def fma_peak(binary, threads, seconds=0.5):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND="spread")
    _, _, out = timed([binary, str(seconds)], env=env)
    m = re.search(r"GFLOPS_FP32_MEDIAN ([0-9.]+)", out)
    isa = re.search(r"isa=(\S+)", out)
    return float(m.group(1)), (isa.group(1) if isa else "?")


# --------------------------------------------------------------------------- orchestration


def machine_line():
    model = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
            model = m.group(1).strip() if m else model
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (others share this machine)")


def cmd_memory(args):
    work = os.path.join(BENCH_DIR, "memory")
    os.makedirs(work, exist_ok=True)
    articles = QUICK_ARTICLES if args.quick else CORPUS_ARTICLES
    _, cfg = snapshot_model()
    res = {"mode": "memory", "machine": machine_line(), "threads": args.threads, "articles": articles,
           "onnx_precision": cfg.get("onnx_precision"), "runs": {}}
    print(f"stancemap bench --memory: analyze at 1x and {MEMORY_COPIES}x the corpus "
          f"(first {articles} articles of datasets/train_articles.jsonl), --threads {args.threads}")
    print(f"machine: {res['machine']}; model: snapshot of models/stance-minilm, onnx {res['onnx_precision']}")
    print(f"{'corpus':<8} {'documents':>9} {'statements':>10} {'wall s':>8} {'peak RSS':>10} "
          f"{'model inputs':>12} {'cache hits':>10}")
    def measure(key, label, corpus, docs):
        r = run_stancemap(args.bin, corpus, os.path.join(work, f"out-{key}"), args.threads,
                          rss_file=os.path.join(work, f"time-{key}.txt"))
        c = r["run"].get("classifier") or {}
        res["runs"][key] = {"documents": docs, "statements": r["run"]["statements_written"],
                            "wall": r["wall"], "peak_rss_kib": r["rss_kib"],
                            "seconds": r["run"].get("seconds"), "classifier": c}
        print(f"{label:<8} {docs:>9} {r['run']['statements_written']:>10} {r['wall']:>8.2f} "
              f"{r['rss_kib'] / 1024:>7.1f} MiB {c.get('model_inputs', 0):>12} {c.get('cache_hits', 0):>10}")
        return r["rss_kib"]

    ten_x = f"{MEMORY_COPIES}x"
    rss = {}
    for copies in (1, MEMORY_COPIES):
        corpus = os.path.join(work, f"corpus-{copies}x.jsonl")
        rss[copies] = measure(f"{copies}x", f"{copies}x", corpus, write_corpus(corpus, articles, copies))
    one, ten = rss[1], rss[MEMORY_COPIES]
    res["rss_ratio_10x_over_1x"] = ten / one
    print(f"peak RSS 10x / 1x = {ten / one:.2f} ({(ten - one) / 1024:+.1f} MiB)")
    print("note: the 10x copies repeat the same text under new ids, so stancemap's prediction cache "
          "answers copies 2..10 (see cache hits): the model runs on the 1x inputs only.")
    # The same comparison on different text throughout: every statement reaches the model and
    # the cache grows with the corpus, so this is the test of streaming memory.
    small = max(1, DISTINCT_ARTICLES // MEMORY_COPIES)
    for label, n in (("1x", small), (ten_x, small * MEMORY_COPIES)):
        corpus = os.path.join(work, f"corpus-distinct-{label}.jsonl")
        rss[label] = measure(f"distinct-{label}", f"{label} new", corpus, write_distinct_corpus(corpus, n))
    one, ten = rss["1x"], rss[ten_x]
    res["rss_ratio_distinct_10x_over_1x"] = ten / one
    print(f"distinct text ({small} vs {small * MEMORY_COPIES} different articles): peak RSS 10x / 1x = "
          f"{ten / one:.2f} ({(ten - one) / 1024:+.1f} MiB)")
    print("note: stancemap holds one chunk of 256 documents at a time, and ONNX Runtime's buffers grow "
          "to the largest batch shape met (at most 32 x 128 tokens per session); a small corpus may reach "
          "neither bound, so some growth towards them is expected, and none past them.")
    write_results(res, "bench-results-memory.json")


def write_results(res, name, quiet=False):
    path = os.path.join(BENCH_DIR, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    if not quiet:
        print(f"results: {os.path.relpath(path, ROOT)}")


def cmd_run(args):
    work = os.path.join(BENCH_DIR, "quick" if args.quick else "work")
    os.makedirs(work, exist_ok=True)
    articles = QUICK_ARTICLES if args.quick else CORPUS_ARTICLES
    corpus = os.path.join(work, "corpus.jsonl")
    write_corpus(corpus, articles)
    res = {"mode": "quick" if args.quick else "full", "machine": machine_line(), "threads": args.threads,
           "rounds": args.rounds, "articles": articles, "corpus": os.path.relpath(corpus, ROOT)}
    res["started"] = time.strftime("%Y-%m-%d %H:%M:%S")
    _, cfg = snapshot_model()
    precision = cfg.get("onnx_precision") or "fp32"
    res["model"] = {"onnx_precision": precision, "temperature": cfg.get("temperature"),
                    "stancemap_batch": 1 if precision == "int8" else 32,
                    "sha256": {n: sha256(os.path.join(SNAPSHOT_DIR, n)) for n in ("model.onnx", "model.safetensors")}}

    # FMA peak now and again before every round (other jobs' load comes and goes); the figure used
    # is the median of all the 2-thread measurements.
    log("measuring the fp32 FMA peak")
    first2, isa = fma_peak(args.fma, args.threads)
    peak1, _ = fma_peak(args.fma, 1)
    peaks2 = [first2]

    # Start-up: a one-sentence document.
    log("start-up time (one-sentence document)")
    one = os.path.join(work, "one.jsonl")
    with open(one, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "one", "text": ONE_SENTENCE}) + "\n")
    startup = [run_stancemap(args.bin, one, os.path.join(work, "out-one"), args.threads) for _ in range(3)]
    bare = [run_stancemap(args.bin, one, os.path.join(work, "out-one"), args.threads, extra=["--no-stance"])
            for _ in range(3)]
    res["startup"] = {"walls": [s["wall"] for s in startup], "no_stance_wall": median([s["wall"] for s in bare]),
                      "wall": median([s["wall"] for s in startup]),
                      "run_json_startup": median([s["run"]["seconds"]["startup"] for s in startup])}

    # Interleaved rounds.
    sm, pl, ht = [], [], []
    pairs = os.path.join(work, "pairs.jsonl")
    hf_dir = os.path.join(BENCH_DIR, "hf-model")
    n_pairs = None
    for r in range(args.rounds):
        peaks2.append(fma_peak(args.fma, args.threads, seconds=0.2)[0])
        log(f"round {r + 1}/{args.rounds}: stancemap")
        sm.append(run_stancemap(args.bin, corpus, os.path.join(work, "out"), args.threads,
                                rss_file=os.path.join(work, "time-stancemap.txt")))
        if r == 0:
            with open(os.path.join(SNAPSHOT_DIR, "config.json"), encoding="utf-8") as f:
                with_speaker = bool(json.load(f)["stancemap"].get("speaker_in_input"))
            n_pairs = pairs_from_statements(os.path.join(work, "out", "statements.csv"), pairs, with_speaker)
        if args.python:
            log(f"round {r + 1}/{args.rounds}: transformers pipeline")
            pl.append(run_worker(args.python, "pipeline", pairs, hf_dir, args.threads, 32,
                                 os.path.join(work, "pipeline.json"), os.path.join(work, "time-pipeline.txt")))
            log(f"round {r + 1}/{args.rounds}: hand-tuned PyTorch")
            ht.append(run_worker(args.python, "handtuned", pairs, hf_dir, args.threads, 32,
                                 os.path.join(work, "handtuned.json"), os.path.join(work, "time-handtuned.txt")))

    peak2 = median(peaks2)
    res["fma"] = {"isa": isa, "gflops_threads": peak2, "gflops_threads_runs": peaks2, "gflops_1thread": peak1,
                  "gflops_nominal": peak1 * args.threads}
    statements = sm[0]["run"]["statements_written"]
    assert all(s["run"]["statements_written"] == statements for s in sm)
    sm_walls = [s["wall"] for s in sm]
    sm_wall = median(sm_walls)
    mid = sorted(sm, key=lambda s: s["wall"])[len(sm) // 2]  # the median run, for its stage seconds
    stage_keys = ["startup", "ingest", "text_stages", "classify", "output", "total"]
    stages = {k: median([s["run"]["seconds"][k] for s in sm]) for k in stage_keys}
    clf = mid["run"]["classifier"]
    classify_s = stages["classify"]
    sm_gflops = clf["tokens"] * FLOP_PER_TOKEN / classify_s / 1e9
    res["stancemap"] = {
        "statements": statements, "walls": sm_walls, "wall": sm_wall, "sentences_per_s": statements / sm_wall,
        "peak_rss_kib": max(s["rss_kib"] for s in sm), "stage_seconds_median": stages, "classifier": clf,
        "stance_counts": mid["run"].get("stance_counts", {}),
        "model_stage_gflops": sm_gflops, "model_stage_share_of_fp32_peak": sm_gflops / peak2,
        "model_stage_inputs_per_s": clf["model_inputs"] / classify_s,
    }

    # Python baselines.
    def summarise(runs):
        if not runs:
            return None
        secs = [r["seconds"] for r in runs]
        s = median(secs)
        r0 = runs[0]
        g = r0["tokens"] * FLOP_PER_TOKEN / s / 1e9
        return {"n": r0["n"], "seconds": secs, "median_seconds": s, "sentences_per_s": r0["n"] / s,
                "load_seconds": median([r["load_seconds"] for r in runs]),
                "process_wall": median([r["process_wall"] for r in runs]),
                "peak_rss_kib": max(r["rss_kib"] for r in runs), "tokens": r0["tokens"],
                "padded_tokens": r0.get("padded_tokens"), "gflops": g, "share_of_fp32_peak": g / peak2,
                "label_agreement_with_stancemap": r0["agreement"], "parity": r0["parity"],
                "versions": r0["versions"]}

    res["pipeline"], res["handtuned"] = summarise(pl), summarise(ht)
    if res["pipeline"]:
        assert res["pipeline"]["n"] == statements == n_pairs
        res["ratio_vs_pipeline"] = res["stancemap"]["sentences_per_s"] / res["pipeline"]["sentences_per_s"]
        res["ratio_vs_handtuned"] = res["stancemap"]["sentences_per_s"] / res["handtuned"]["sentences_per_s"]

    # Engine benchmark (ONNX part; rust-bert needs its own build, see examples/engine_bench.rs).
    if args.engine_bench:
        log("engine benchmark (examples/engine_bench.rs, onnx)")
        limit = 300 if args.quick else 1000
        _, _, out = timed([args.engine_bench, "--threads", str(args.threads), "--limit", str(limit),
                           "--reps", str(args.rounds), "--only", "onnx", "--model", SNAPSHOT_DIR])
        table = [ln for ln in out.splitlines() if not ln.startswith("ENGINE_BENCH_JSON ")]
        js = [ln for ln in out.splitlines() if ln.startswith("ENGINE_BENCH_JSON ")]
        res["engine_bench"] = {"table": table, "data": json.loads(js[0].split(" ", 1)[1]) if js else None}

    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    name = "bench-results-quick.json" if args.quick else "bench-results.json"
    write_results(res, name, quiet=True)
    print_report(res)
    print(f"results: target/bench/{name}")


def print_report(res):
    s, p, h, fma = res["stancemap"], res.get("pipeline"), res.get("handtuned"), res["fma"]
    st = s["stage_seconds_median"]
    print()
    print(f"stancemap bench ({res['mode']}), {res['started']} .. {res['finished']}")
    print(f"corpus: first {res['articles']} articles of datasets/train_articles.jsonl -> {s['statements']} "
          f"statements; threads {res['threads']}; {res['rounds']} interleaved rounds, medians")
    print(f"machine: {res['machine']}")
    m = res["model"]
    prec, batch = m["onnx_precision"], m["stancemap_batch"]
    print(f"model: snapshot of models/stance-minilm: model.onnx {prec} (sha256 {m['sha256']['model.onnx'][:12]}), "
          f"stancemap batch {batch}; Python: model.safetensors upcast to fp32")
    print()
    print(f"{'':<60} {'sent/s':>8} {'time s':>8}  runs (s)")

    def line(name, sps, t, runs):
        print(f"{name:<60} {sps:>8.1f} {t:>8.2f}  {' '.join(f'{x:.2f}' for x in runs)}")

    line(f"stancemap end to end (split+speakers+{prec} onnx+CSV)", s["sentences_per_s"], s["wall"], s["walls"])
    if p:
        line("transformers pipeline, batch 32, fp32 (model only)", p["sentences_per_s"], p["median_seconds"], p["seconds"])
        line("hand-tuned PyTorch, sorted batches of 32, fp32", h["sentences_per_s"], h["median_seconds"], h["seconds"])
        print(f"  (Python times: tokenisation + inference only; imports + model load took "
              f"{p['load_seconds']:.1f} s / {h['load_seconds']:.1f} s more, processes ran "
              f"{p['process_wall']:.1f} s / {h['process_wall']:.1f} s)")
        print()
        rp, rh = res["ratio_vs_pipeline"], res["ratio_vs_handtuned"]
        verdict = lambda x, t: "met" if x >= t else f"MISSED by {t / x:.2f}x"  # noqa: E731
        print(f"ratio stancemap / pipeline    {rp:6.2f}x   target >= {TARGETS['vs_pipeline']:.1f}x: "
              f"{verdict(rp, TARGETS['vs_pipeline'])}")
        print(f"ratio stancemap / hand-tuned  {rh:6.2f}x   target >= {TARGETS['vs_handtuned']:.1f}x: "
              f"{verdict(rh, TARGETS['vs_handtuned'])}")
        print(f"parity with stancemap (fp32 torch vs {prec} onnx, same inputs): label agreement pipeline "
              f"{p['label_agreement_with_stancemap']:.1%}, hand-tuned {h['label_agreement_with_stancemap']:.1%}; "
              f"max |p diff| {p['parity']['max_abs_prob_diff']:.4f} / {h['parity']['max_abs_prob_diff']:.4f}, "
              f"mean {p['parity']['mean_abs_prob_diff']:.4f} / {h['parity']['mean_abs_prob_diff']:.4f}")
        sm_counts = res["stancemap"]["stance_counts"]
        print(f"  labels: stancemap {dict(sm_counts)}; hand-tuned fp32 {h['parity']['label_counts']}")
    print()
    print(f"stancemap peak RSS: {s['peak_rss_kib'] / 1024:.1f} MiB"
          + (f"   (pipeline {p['peak_rss_kib'] / 1024:.0f} MiB, hand-tuned {h['peak_rss_kib'] / 1024:.0f} MiB)" if p else ""))
    su = res["startup"]
    print(f"start-up (one-sentence document, process wall): {su['wall']:.3f} s   "
          f"(run.json seconds.startup {su['run_json_startup']:.3f} s; runs {' '.join(f'{x:.3f}' for x in su['walls'])}; "
          f"with --no-stance {su['no_stance_wall']:.3f} s)")
    print("stancemap stage seconds (medians): " + ", ".join(f"{k} {v:.3f}" for k, v in st.items()))
    print(f"  classify share of total: {st['classify'] / st['total']:.0%}; "
          f"text stages {st['text_stages'] / st['total']:.0%}; output {st['output'] / st['total']:.0%}")
    c = s["classifier"]
    print(f"classifier: {c['statements']} statements, {c['model_inputs']} model inputs "
          f"(cache hit rate {c['cache_hit_rate']:.1%}), {c['tokens']} tokens, padding overhead {c['padding_overhead']:.1%}")
    print()
    runs = " ".join(f"{x:.1f}" for x in fma.get("gflops_threads_runs", []))
    print(f"fp32 FMA peak ({fma['isa']}): {fma['gflops_threads']:.1f} GFLOP/s with {res['threads']} threads, median of "
          f"the start and every round ({runs}); 1 thread: {fma['gflops_1thread']:.1f}, "
          f"{res['threads']} x 1 thread = {fma['gflops_nominal']:.1f}")
    share = s["model_stage_share_of_fp32_peak"]
    if prec == "int8":
        print(f"model stage, stancemap onnx int8, one input per run: {s['model_stage_gflops']:.1f} GFLOP/s "
              f"fp32-equivalent = {share:.0%} of the measured fp32 peak ({s['model_stage_inputs_per_s']:.1f} "
              f"inputs/s; the model is int8, so this compares int8 work against the fp32 peak; the "
              f">= {TARGETS['fp32_share']:.0%} target is for an fp32 model stage)")
    else:
        verdict = "met" if share >= TARGETS["fp32_share"] else f"MISSED by {TARGETS['fp32_share'] / share:.2f}x"
        print(f"model stage, stancemap onnx {prec}, sorted batches of {batch}: {s['model_stage_gflops']:.1f} GFLOP/s "
              f"= {share:.0%} of the measured fp32 peak ({s['model_stage_inputs_per_s']:.1f} inputs/s); "
              f"target >= {TARGETS['fp32_share']:.0%}: {verdict}")
        nominal = s["model_stage_gflops"] / fma["gflops_nominal"]
        print(f"  (against {res['threads']} x the 1-thread peak: {nominal:.0%})")
    if h:
        pad = (h["padded_tokens"] / h["tokens"] - 1) if h.get("padded_tokens") else 0
        print(f"model stage, hand-tuned PyTorch fp32 (tokenisation included): {h['gflops']:.1f} GFLOP/s = "
              f"{h['share_of_fp32_peak']:.0%} of the fp32 peak (padding overhead {pad:.1%})")
        print(f"model stage, transformers pipeline fp32: {p['gflops']:.1f} GFLOP/s = {p['share_of_fp32_peak']:.0%} of the fp32 peak")
    eb = res.get("engine_bench")
    if eb:
        print()
        print("engine benchmark (examples/engine_bench.rs; same pairs from datasets/dev.csv + train.csv):")
        for ln in eb["table"]:
            print("  " + ln)


# --------------------------------------------------------------------------- Python baselines


def make_hf_dir(hf_dir, model_dir):
    """A Hugging Face model directory for the fine-tuned model: config.json (fp32),
    model.safetensors upcast from fp16 to fp32, tokenizer.json and a tokenizer_config.json."""
    import hashlib

    src = os.path.join(model_dir, "model.safetensors")
    with open(src, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(hf_dir, "SOURCE_SHA256")
    if os.path.exists(stamp) and open(stamp, encoding="utf-8").read().strip() == digest:
        return
    import torch
    from safetensors.torch import load_file, save_file

    tmp = hf_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    cfg["torch_dtype"] = "float32"
    cfg.pop("stancemap", None)
    with open(os.path.join(tmp, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
    save_file({k: v.to(torch.float32).contiguous() for k, v in load_file(src).items()},
              os.path.join(tmp, "model.safetensors"), metadata={"format": "pt"})
    shutil.copy(os.path.join(model_dir, "tokenizer.json"), tmp)
    with open(os.path.join(tmp, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": 128,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
                   "mask_token": "[MASK]"}, f, indent=2)
    with open(os.path.join(tmp, "SOURCE_SHA256"), "w", encoding="utf-8") as f:
        f.write(digest + "\n")
    shutil.rmtree(hf_dir, ignore_errors=True)
    os.rename(tmp, hf_dir)


def cmd_worker(args):
    t_start = time.perf_counter()
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    make_hf_dir(args.hf_dir, args.model_dir)
    with open(args.pairs, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    n = len(rows)

    if args.kind == "pipeline":
        from transformers import pipeline

        clf = pipeline("text-classification", model=args.hf_dir, tokenizer=args.hf_dir, device="cpu",
                       batch_size=args.batch_size)
        inputs = [{"text": r["sentence"], "text_pair": r["context"]} if r["context"] else {"text": r["sentence"]}
                  for r in rows]
        # top_k=None + function_to_apply="none": all four raw logits, for the parity check below.
        opts = {"truncation": True, "top_k": None, "function_to_apply": "none"}
        clf(inputs[: args.batch_size], **opts)  # warm-up
        load_s = time.perf_counter() - t_start
        t0 = time.perf_counter()
        out = clf(inputs, **opts)
        seconds = time.perf_counter() - t0
        logits = [[{d["label"]: d["score"] for d in o}[lb] for lb in LABELS] for o in out]
        tok = clf.tokenizer
        padded = None
    else:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        tok = AutoTokenizer.from_pretrained(args.hf_dir)
        model = AutoModelForSequenceClassification.from_pretrained(args.hf_dir, torch_dtype=torch.float32).eval()

        def classify(rows):
            # Tokenise (pairs and lone first sentences separately, as stancemap does), sort by
            # length, pad each batch to its own longest input.
            ids, types = [None] * len(rows), [None] * len(rows)
            for has_ctx in (True, False):
                idx = [i for i, r in enumerate(rows) if bool(r["context"]) == has_ctx]
                if not idx:
                    continue
                enc = tok([rows[i]["sentence"] for i in idx],
                          [rows[i]["context"] for i in idx] if has_ctx else None,
                          truncation=True, max_length=128, return_attention_mask=False)
                for j, i in enumerate(idx):
                    ids[i], types[i] = enc["input_ids"][j], enc["token_type_ids"][j]
            order = sorted(range(len(rows)), key=lambda i: -len(ids[i]))
            logits, padded = [None] * len(rows), 0
            with torch.inference_mode():
                for b in range(0, len(order), args.batch_size):
                    chunk = order[b:b + args.batch_size]
                    width = len(ids[chunk[0]])
                    x = torch.zeros((len(chunk), width), dtype=torch.long)
                    t = torch.zeros_like(x)
                    m = torch.zeros_like(x)
                    for r, i in enumerate(chunk):
                        k = len(ids[i])
                        x[r, :k] = torch.tensor(ids[i])
                        t[r, :k] = torch.tensor(types[i])
                        m[r, :k] = 1
                    out = model(input_ids=x, attention_mask=m, token_type_ids=t).logits
                    for r, i in enumerate(chunk):
                        logits[i] = out[r].tolist()
                    padded += len(chunk) * width
            return logits, padded

        classify(rows[: args.batch_size])  # warm-up
        load_s = time.perf_counter() - t_start
        t0 = time.perf_counter()
        logits, padded = classify(rows)
        seconds = time.perf_counter() - t0
        assert [model.config.id2label[i] for i in range(len(LABELS))] == LABELS

    # Real tokens, counted the way stancemap counts them (outside the timed region).
    tokens = 0
    for r in rows:
        enc = tok(r["sentence"], r["context"] or None, truncation=True, max_length=128)
        tokens += len(enc["input_ids"])
    # Parity with stancemap: labels, and calibrated probabilities softmax(logits / T).
    with open(os.path.join(args.model_dir, "config.json"), encoding="utf-8") as f:
        temp = float(json.load(f)["stancemap"]["temperature"])
    probs = torch.softmax(torch.tensor(logits, dtype=torch.float64) / temp, dim=1)
    labels = [LABELS[int(i)] for i in probs.argmax(1)]
    agree = sum(1 for r, lb in zip(rows, labels) if r["stance"] == lb) / max(1, n)
    diffs = [float((probs[i] - torch.tensor(r["probs"], dtype=torch.float64)).abs().max())
             for i, r in enumerate(rows) if r.get("probs")]
    parity = {"max_abs_prob_diff": max(diffs, default=None),
              "mean_abs_prob_diff": sum(diffs) / len(diffs) if diffs else None,
              "label_counts": {lb: labels.count(lb) for lb in LABELS}}
    result = {"kind": args.kind, "n": n, "seconds": seconds, "load_seconds": load_s, "tokens": tokens,
              "padded_tokens": padded, "agreement": agree, "parity": parity, "threads": torch.get_num_threads(),
              "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                           "python": platform.python_version()}}
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(result, f)


# --------------------------------------------------------------------------- CLI


def main():
    ap = argparse.ArgumentParser(description="stancemap benchmark driver (use scripts/bench)")
    sub = ap.add_subparsers(dest="cmd")
    run = sub.add_parser("run", help="the benchmark (what scripts/bench runs)")
    run.add_argument("--bin", required=True, help="the stancemap release binary")
    run.add_argument("--fma", help="the fma_peak binary")
    run.add_argument("--python", help="python of the virtualenv with torch + transformers (omit: no baselines)")
    run.add_argument("--engine-bench", help="the engine_bench example binary (omit: skip)")
    run.add_argument("--threads", type=int, default=2)
    run.add_argument("--rounds", type=int, default=3)
    run.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES} articles instead of {CORPUS_ARTICLES}")
    run.add_argument("--memory", action="store_true", help=f"peak RSS at 1x and {MEMORY_COPIES}x the corpus")
    rp = sub.add_parser("report", help="print the report of a results file again")
    rp.add_argument("results", help="target/bench/bench-results.json (not the -memory one)")
    w = sub.add_parser("worker", help="internal: one Python baseline pass")
    w.add_argument("kind", choices=["pipeline", "handtuned"])
    w.add_argument("--pairs", required=True)
    w.add_argument("--hf-dir", required=True)
    w.add_argument("--model-dir", default=MODEL_DIR, help="stancemap model directory to convert")
    w.add_argument("--threads", type=int, default=2)
    w.add_argument("--batch-size", type=int, default=32)
    w.add_argument("--result", required=True)
    args = ap.parse_args()
    if args.cmd == "worker":
        cmd_worker(args)
    elif args.cmd == "report":
        with open(args.results, encoding="utf-8") as f:
            print_report(json.load(f))
    elif args.cmd == "run":
        os.makedirs(BENCH_DIR, exist_ok=True)
        if args.memory:
            cmd_memory(args)
        else:
            if not args.fma:
                ap.error("--fma is required")
            cmd_run(args)
    else:
        ap.print_help()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
