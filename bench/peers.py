#!/usr/bin/env python3
"""otiose side by side with its peers and with floors, on the same postings (issue 14).

    bench/peers.py [--otiose BIN] [--db DB] [--joblint CHECKOUT] [--hsscan BIN]
                   [--rounds 7] [--generate N] [DIR ...]

For each folder of postings (DIR, and with --generate N a folder of N generated postings
written by `otiose bench --generate N --write`), runs interleaved rounds of, each as its
own process over every posting of the folder:

  - otiose translate --jsonl   the postings as JSON lines ({"text": ...}) on stdin
  - otiose batch -j 1, -j 2    into a scratch output folder, --force, -q
  - Joblint                    every posting linted in ONE node process (bench/joblint-run.js),
                               timed inside (node start-up excluded) and as a whole process;
                               skipped, with a message, without --joblint
  - bare Vectorscan scan       build/hsscan over the database's own patterns (compiled once
                               before the rounds, --save/--load), the scan timed inside
  - wc -w, cat                 floors

and prints a Markdown section: the machine, the load average at the start and the end, the
start-up of a one-line posting (bench/startup.py: `echo LINE | otiose translate`, the binary
run in its folder with the database beside it, median of --startup-runs, 0 to skip), and
per tool the median wall seconds, MB/s (the postings' bytes over the median), the median
CPU seconds (user + system; steadier than wall on a shared machine), then the ratios that
issue 14 sets goals on.  Each tool's output is checked in the first round (a record per
posting, a lint per file, a scan of every byte), so that no figure is the time of a
failure.  Writes nothing into the repository; scratch files go to a temporary folder.
"""
import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIVER = os.path.join(ROOT, "bench", "joblint-run.js")
READ_EXT = (".txt", ".md", ".html", ".json")  # what batch reads below a folder


class BenchError(Exception):
    pass


def say(msg):
    print(f"peers: {msg}", file=sys.stderr, flush=True)


def shown(path):
    """A path for a message: repr escapes whatever a folder's name holds."""
    return repr(path)[1:-1]


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(argv, stdin=None, stdout=subprocess.DEVNULL):
    """Wall and CPU seconds of one process, and its standard output if captured."""
    c0 = cpu_children()
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    cpu = cpu_children() - c0
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BenchError(f"{' '.join(shown(a) for a in argv[:3])} … exited with {p.returncode}: "
                         f"{shown(err[-1]) if err else 'no message'}")
    out = p.stdout.decode("utf-8", "replace") if stdout == subprocess.PIPE else None
    return wall, cpu, out


def postings_of(folder):
    """The postings directly in folder, refusing what batch would read differently."""
    names = sorted(n for n in os.listdir(folder)
                   if not n.startswith(".") and os.path.isfile(os.path.join(folder, n)))
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if dirpath != folder and any(f.endswith(READ_EXT) for f in filenames):
            raise BenchError(f"{shown(folder)}: postings in subfolders: the tools would not "
                             f"read the same files; give a flat folder")
    bad = [n for n in names if not n.endswith((".txt", ".md", ".html"))]
    if bad:
        raise BenchError(f"{shown(os.path.join(folder, bad[0]))}: not a .txt, .md or .html "
                         f"posting: the tools would not read it alike; give a folder of postings")
    if not names:
        raise BenchError(f"{shown(folder)}: no postings")
    return [os.path.join(folder, n) for n in names]


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8", errors="replace"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, " \
           f"{platform.system()} {platform.release()}"


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_folder(a, label, folder, scratch):
    files = postings_of(folder)
    size = sum(os.path.getsize(f) for f in files)
    n = len(files)
    jsonl = os.path.join(scratch, "postings.jsonl")
    with open(jsonl, "w", encoding="utf-8") as out:
        for f in files:
            # Invalid UTF-8 cannot travel in JSON: replaced, as --lossy would.
            text = open(f, encoding="utf-8", errors="replace").read()
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    outdir = os.path.join(scratch, "batch-out")

    tools = []  # (name, fn(first) -> (wall, cpu, inside_wall or None, inside_cpu or None))

    def translate_jsonl(first):
        with open(jsonl, "rb") as fin:
            if first:
                wall, cpu, out = timed([a.otiose, "translate", "--jsonl", "--db", a.db],
                                       stdin=fin, stdout=subprocess.PIPE)
                lines = out.splitlines()
                errs = sum(1 for line in lines if '"error"' in line[:200])
                if len(lines) != n or errs:
                    raise BenchError(f"translate --jsonl wrote {len(lines)} lines for {n} "
                                     f"postings, {errs} of them errors")
                return wall, cpu, None, None
            wall, cpu, _ = timed([a.otiose, "translate", "--jsonl", "--db", a.db], stdin=fin)
            return wall, cpu, None, None
    tools.append(("otiose translate --jsonl", translate_jsonl))

    def batch(jobs):
        def run(first):
            wall, cpu, _ = timed([a.otiose, "batch", "-q", "--force", "-j", str(jobs), "--db",
                                  a.db, "-f", a.batch_format, folder, "-o", outdir])
            if first:
                got = sum(1 for x in os.listdir(outdir) if not x.startswith(".")
                          and not x.startswith("summary") and x != "index.html")
                if got != n:
                    raise BenchError(f"batch -j {jobs} wrote {got} records for {n} postings")
            return wall, cpu, None, None
        return run
    tools.append(("otiose batch -j 1", batch(1)))
    tools.append(("otiose batch -j 2", batch(2)))

    if a.joblint:
        def joblint(first):
            wall, cpu, out = timed(["node", DRIVER, a.joblint, folder], stdout=subprocess.PIPE)
            r = json.loads(out)
            if first and (r["files"] != n or r["bytes"] != size):
                raise BenchError(f"Joblint linted {r['files']} files ({r['bytes']} bytes) "
                                 f"of {n} ({size})")
            return wall, cpu, r["seconds"], r["cpu_seconds"]
        tools.append(("Joblint (one node process)", joblint))

    if a.hsdb:
        def hsscan(first):
            wall, cpu, out = timed([a.hsscan, "--load", a.hsdb, a.db, folder],
                                   stdout=subprocess.PIPE)
            f = out.splitlines()[1].split()
            kv = dict(zip(f[0::2], f[1::2]))
            if first and (int(kv["files"]) != n or int(kv["bytes"]) != size):
                raise BenchError(f"hsscan scanned {kv['files']} files of {n}")
            return wall, cpu, float(kv["scan_s"]), float(kv["scan_cpu_s"])
        tools.append(("bare Vectorscan scan (build/hsscan)", hsscan))

    tools.append(("wc -w", lambda first: timed(["wc", "-w"] + files)[:2] + (None, None)))
    tools.append(("cat (floor)", lambda first: timed(["cat"] + files)[:2] + (None, None)))

    times = {name: [] for name, _ in tools}
    for r in range(a.rounds):
        # A different tool first each round, so that no tool always runs first or last.
        order = tools[r % len(tools):] + tools[:r % len(tools)]
        for name, fn in order:
            times[name].append(fn(r == 0))
        say(f"{label}: round {r + 1}/{a.rounds} done (load {load()})")
    return files, size, tools, times, a.hs_counts


def startup(a):
    """The one-line start-up of bench/startup.py, as a line of the section."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import startup as st
    try:
        res = st.measure([a.otiose], a.startup_runs, st.LINE, "Data Analyst")
    except (RuntimeError, OSError) as e:
        say(f"start-up not measured: {e}")
        return
    cells = []
    for (_, label), v in res.items():
        cells.append(f"`{label}` {statistics.median(x[0] for x in v) * 1000:.1f} ms wall, "
                     f"{statistics.median(x[1] for x in v) * 1000:.1f} ms CPU")
    print(f"Start-up, a one-line posting through `{shown(os.path.basename(a.otiose))}` (its "
          f"database beside it; bench/startup.py, median of {a.startup_runs}): "
          f"{'; '.join(cells)}. Load average now: {load()}.\n")


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def report(label, folder, files, size, tools, times, hs_counts, a):
    mb = size / 1e6
    print(f"### {label}\n")
    print(f"{len(files):,} postings, {mb:.2f} MB ({size:,} bytes), `{shown(folder)}`; "
          f"median of {a.rounds} interleaved rounds.\n")
    print("| tool | median wall s | MB/s (wall) | median CPU s | MB/s (CPU) |")
    print("|---|---|---|---|---|")
    m = {}
    for name, _ in tools:
        ts = times[name]
        wall, cpu = med([t[0] for t in ts]), med([t[1] for t in ts])
        m[name] = (wall, cpu)
        print(f"| {name}, whole process | {wall:.3f} | {mb / wall:.2f} | {cpu:.3f} | "
              f"{mb / cpu if cpu > 0 else float('inf'):.2f} |")
        iw, ic = med([t[2] for t in ts]), med([t[3] for t in ts])
        if iw is not None:
            m[name + " inside"] = (iw, ic)
            what = "lint only, node start-up excluded" if "Joblint" in name \
                else "scan only, compiled database loaded"
            print(f"| {name}, {what} | {iw:.3f} | {mb / iw:.2f} | {ic:.3f} | "
                  f"{mb / ic if ic > 0 else float('inf'):.2f} |")
    if hs_counts:
        kv = dict(zip(hs_counts[0::2], hs_counts[1::2]))
        print(f"\nBare scan: {int(kv['patterns']):,} patterns, {kv['exact']} exact, "
              f"{kv['prefilter']} in prefilter mode, {kv['skipped']} compiling in neither "
              f"(skipped); compiled once, in {float(kv['compile_s']):.1f} s, before the "
              f"rounds.")

    print("\n| ratio (speed of the first over the second; >1: the first is faster) | wall | CPU |")
    print("|---|---|---|")
    tj = "otiose translate --jsonl"
    pairs = [(tj, "Joblint (one node process) inside", "translate --jsonl vs Joblint linting "
              "(node start-up excluded)"),
             (tj, "Joblint (one node process)", "translate --jsonl vs Joblint, whole process"),
             (tj, "bare Vectorscan scan (build/hsscan) inside", "translate --jsonl vs the bare "
              "Vectorscan scan"),
             ("otiose batch -j 2", "otiose batch -j 1", "batch -j 2 vs batch -j 1"),
             (tj, "otiose batch -j 1", "translate --jsonl vs batch -j 1")]
    for x, y, what in pairs:
        if x in m and y in m:
            w = m[y][0] / m[x][0]
            c = m[y][1] / m[x][1] if m[x][1] > 0 else float("nan")
            print(f"| {what} | {w:.2f} | {c:.2f} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", metavar="DIR", help="a flat folder of postings")
    ap.add_argument("--otiose", default=os.path.join(ROOT, "otiose"))
    ap.add_argument("--db", default=os.path.join(ROOT, "otiose.db"))
    ap.add_argument("--joblint", help="a checkout of rowanmanning/joblint, npm-installed")
    ap.add_argument("--hsscan", default=os.path.join(ROOT, "build", "hsscan"))
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--generate", type=int, metavar="N",
                    help="also N generated postings (otiose bench --generate N --write)")
    ap.add_argument("--seed", type=int, default=42, help="the generator's seed")
    ap.add_argument("--batch-format", default="text", choices=("text", "json", "md", "html"))
    ap.add_argument("--startup-runs", type=int, default=21,
                    help="runs of the one-line start-up (bench/startup.py); 0: skip it")
    a = ap.parse_args()
    if not a.dirs and not a.generate:
        ap.error("give a folder of postings or --generate N")
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    for path, what in ((a.otiose, "the otiose binary"), (a.db, "the database")):
        if not os.path.exists(path):
            ap.error(f"{shown(path)}: {what} is missing (make all)")
    if a.joblint and not shutil.which("node"):
        say("node is not installed: Joblint is skipped")
        a.joblint = None
    if a.joblint and not os.path.isdir(os.path.join(a.joblint, "node_modules")):
        say(f"{shown(a.joblint)}: no node_modules (run npm install there): Joblint is skipped")
        a.joblint = None
    if not a.joblint:
        say("no Joblint checkout given (--joblint): Joblint is skipped")

    start_load = load()
    print("## Throughput side by side (issue 14)\n")
    print(f"{time.strftime('%Y-%m-%d')}, `python3 bench/peers.py "
          f"{' '.join(shown(x) for x in sys.argv[1:])}`\n")
    print(f"Machine: {machine()}. Load average (1, 5, 15 min) at the start: {start_load}.\n")
    if a.startup_runs > 0:
        startup(a)
    try:
        with tempfile.TemporaryDirectory(prefix="otiose-peers-") as scratch:
            sets = []
            a.hsdb, a.hs_counts = None, None
            if os.access(a.hsscan, os.X_OK):
                say("compiling the patterns for the bare scan once (Vectorscan takes a while)")
                a.hsdb = os.path.join(scratch, "patterns.hsdb")
                empty = os.path.join(scratch, "empty")
                os.makedirs(empty)
                _, _, out = timed([a.hsscan, "--save", a.hsdb, a.db, empty],
                                  stdout=subprocess.PIPE)
                a.hs_counts = out.splitlines()[0].split()
            else:
                say(f"{shown(a.hsscan)} is not built (make build/hsscan, needs "
                    f"libvectorscan-dev): the bare scan is skipped")
            if a.generate:
                gen = os.path.join(scratch, "generated")
                subprocess.run([a.otiose, "bench", "--generate", str(a.generate), "--seed",
                                str(a.seed), "--db", a.db, "--write", gen], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                sets.append((f"{a.generate:,} generated postings (seed {a.seed})", gen))
            sets += [(f"Postings of {shown(d)}", d) for d in a.dirs]
            for label, folder in sets:
                work = os.path.join(scratch, f"work-{len(os.listdir(scratch))}")
                os.makedirs(work)
                r = bench_folder(a, label, folder, work)
                report(label, "generated" if folder.startswith(scratch) else folder, *r, a)
    except (BenchError, subprocess.CalledProcessError, OSError) as e:
        say(str(e))
        return 1
    print(f"Load average at the end: {load()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
