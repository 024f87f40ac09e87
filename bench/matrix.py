#!/usr/bin/env python3
"""The standard throughput matrix for otiose, with reference points.

    bench/matrix.py [--postings N] [--runs R] [--out DIR]

Builds, under DIR (default bench/out/, ignored by git):
  - a generated set of N postings (`otiose bench --generate N --write`, fixed seed);
  - rule sets of 1x, 4x and 16x the corpus's rules, the extra ones synthetic: three-word
    phrases of real corpus words, each a rule with an example and a counter-example,
    so that the prefilter and the automaton carry the load of a large corpus;
  - specimen sets of 1x and 10x, the extra ones copies of the real records under new
    titles (same vectors, so the scoring cost is what grows);
and runs `otiose bench --json` over the generated set for every combination on 1 and 2
threads, then times, on the same files: cat, wc -w, pcre2grep -c -f (every pattern of the
1x rules), and the naive pipeline (every pattern on every sentence, --no-prefilter).
Prints a Markdown table; medians and ratios, since these machines are noisy.
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OTIOSE = os.path.join(ROOT, "otiose")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def synthetic_rules(n_copies, words, path):
    """Write n_copies * (real rule count) synthetic rules to path."""
    real = sum(1 for f in os.listdir(os.path.join(ROOT, "rules")) if f.endswith(".rules")
               for line in open(os.path.join(ROOT, "rules", f)) if line.startswith("rule:"))
    rng = random.Random(7)
    with open(path, "w") as f:
        for i in range(real * (n_copies - 1)):
            a, b, c = rng.sample(words, 3)
            f.write(f"rule: synthetic-{i}\ncategory: buzzword\nweight: 1\n"
                    f"pattern: \\b{a} {b} {c}\\b\n"
                    f"translate: Synthetic rule number {i}, for load only.\n"
                    f"example: We {a} {b} {c} daily.\ncounter: We {c} {b} {a} daily.\n\n")


def copies_of_corpus(k, dst):
    os.makedirs(dst, exist_ok=True)
    src = os.path.join(ROOT, "corpus")
    for name in sorted(os.listdir(src)):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(src, name), encoding="utf-8").read()
        shutil.copy(os.path.join(src, name), os.path.join(dst, name))
        lines = text.split("\n")
        for j in range(1, k):
            # the title is the third line; the slug the first
            l2 = list(lines)
            l2[0] = f"{lines[0]}-V{j}"
            l2[2] = f"{lines[2]} Variant {j}"
            open(os.path.join(dst, f"{name[:-4]}-v{j}.txt"), "w", encoding="utf-8").write("\n".join(l2))


def timed(cmd, runs, shell=False):
    t = []
    for _ in range(runs):
        a = time.perf_counter()
        subprocess.run(cmd, shell=shell, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        t.append(time.perf_counter() - a)
    return statistics.median(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--postings", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    a = ap.parse_args()
    out = a.out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    gen = os.path.join(out, "generated")
    run([OTIOSE, "bench", "--generate", str(a.postings), "--seed", "42", "--write", gen])
    files = sorted(os.path.join(gen, f) for f in os.listdir(gen))
    size = sum(os.path.getsize(f) for f in files)

    words = sorted({w for f in os.listdir(os.path.join(ROOT, "corpus"))
                    for w in re.findall(r"[a-z]{5,}", open(os.path.join(ROOT, "corpus", f),
                                                            encoding="utf-8").read().lower())})
    results = []
    for rx in (1, 4, 16):
        rdir = os.path.join(out, f"rules-x{rx}")
        shutil.copytree(os.path.join(ROOT, "rules"), rdir)
        if rx > 1:
            synthetic_rules(rx, words, os.path.join(rdir, "zz-synthetic.rules"))
        for sx in (1, 10):
            if rx > 1 and sx > 1:
                continue
            cdir = os.path.join(out, f"corpus-x{sx}")
            if not os.path.isdir(cdir):
                copies_of_corpus(sx, cdir)
            db = os.path.join(out, f"r{rx}-s{sx}.db")
            run([OTIOSE, "corpus", "build", "-q", "--rules", rdir, "--corpus", cdir, "-o", db])
            r = json.loads(run([OTIOSE, "bench", "--json", "--db", db, "--threads", "1,2",
                                "--runs", str(a.runs), gen]).stdout)
            results.append((rx, sx, r))
            print(f"rules x{rx} specimens x{sx}: done", file=sys.stderr)

    db1 = os.path.join(out, "r1-s1.db")
    naive = json.loads(run([OTIOSE, "bench", "--json", "--db", db1, "--threads", "1",
                            "--runs", str(a.runs), "--no-prefilter", gen]).stdout)
    pats = os.path.join(out, "patterns.txt")
    with open(pats, "w") as f:
        for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
            if name.endswith(".rules"):
                for line in open(os.path.join(ROOT, "rules", name)):
                    if line.startswith("pattern:"):
                        f.write(line[8:].strip() + "\n")
    ref = {
        "cat": timed(["cat"] + files, a.runs),
        "wc -w": timed(["wc", "-w"] + files, a.runs),
    }
    if shutil.which("pcre2grep"):
        ref["pcre2grep -c -i -f (all patterns)"] = timed(
            f"pcre2grep -c -i -f {pats} {gen}/* > /dev/null || true", a.runs, shell=True)

    mb = size / 1e6
    print(f"{len(files)} generated postings, {mb:.2f} MB, median of {a.runs} runs\n")
    print("| rules | patterns | specimens | threads | JDs/s | MB/s | vs 1x rules, 1x specimens |")
    print("|---|---|---|---|---|---|---|")
    base = {}
    for rx, sx, r in results:
        for row in r["results"]:
            key = row["threads"]
            if rx == 1 and sx == 1:
                base[key] = row["median_ms"]
            ratio = row["median_ms"] / base[key] if key in base else float("nan")
            print(f"| {r['rules']} (x{rx}) | {r['patterns']} | {r['specimens']} (x{sx}) | "
                  f"{row['threads']} | {row['jds_per_s']:.0f} | {row['mb_per_s']:.2f} | "
                  f"{ratio:.2f}x time |")
    r1 = results[0][2]["results"]
    print(f"\n2 threads vs 1: {r1[0]['median_ms'] / r1[-1]['median_ms']:.2f}x")
    s = results[0][2]["results"][0]["stage_share"]
    print("stage shares (1 thread, 1x): " + ", ".join(f"{k} {v * 100:.1f}%" for k, v in s.items()))
    print(f"max RSS (1x): {results[0][2]['max_rss_kb'] / 1024:.1f} MB")
    print("\n| reference point (same files) | median s | MB/s | otiose (1 thread) time / its time |")
    print("|---|---|---|---|")
    t1 = r1[0]["median_ms"] / 1000
    print(f"| otiose, full pipeline, 1 thread | {t1:.3f} | {mb / t1:.2f} | 1.00 |")
    for k, v in ref.items():
        print(f"| {k} | {v:.3f} | {mb / v:.1f} | {t1 / v:.2f} |")
    nv = naive["results"][0]["median_ms"] / 1000
    print(f"| otiose, naive: every pattern on every sentence, no prefilter | {nv:.3f} | "
          f"{mb / nv:.2f} | {t1 / nv:.3f} |")


if __name__ == "__main__":
    main()
