#!/usr/bin/env python3
"""Start-up: the wall time of a one-line posting through `otiose translate` (issue 14).

    bench/startup.py [--runs 21] [--line TEXT] [--title TITLE] [BIN ...]

Runs, for each otiose binary given (default: the repository's ./otiose), the command of
issue 14's goal, `echo 'We need a rockstar data analyst to drive synergy.' | ./otiose
translate`, and the same with `--title`, each as a process of its own started in the
binary's folder, so that it finds its otiose.db there with no flags, as a person running
it does (the staleness check of the database against rules/ and corpus/ included).  The
line goes in through a pipe, as echo gives it.  Runs are interleaved (binaries and
commands in turn, the order reversed every other round), and each is timed from the
spawn to the exit: posix_spawn, not fork, so that Python's own size costs the child
nothing.  Prints a Markdown table of the median, min and max wall milliseconds and the
median CPU milliseconds (user + system of the process), with the load average at the
start and the end: on a shared machine, report the load with every figure.

A figure is the whole process: exec, the dynamic loader, the database opened and read,
the translation, the record written, the engine freed and the exit.
"""
import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = "We need a rockstar data analyst to drive synergy."


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(argv, cwd, data):
    """Wall and CPU seconds of one process fed `data` on stdin, its output discarded."""
    rfd, wfd = os.pipe()
    null = os.open(os.devnull, os.O_WRONLY)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, rfd, 0),
                                           (os.POSIX_SPAWN_DUP2, null, 1),
                                           (os.POSIX_SPAWN_CLOSE, wfd)])
    finally:
        os.chdir(old)
    os.close(rfd)
    os.close(null)
    os.write(wfd, data)
    os.close(wfd)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} (in {cwd}) exited with {code}")
    return wall, ru.ru_utime + ru.ru_stime


def measure(bins, runs, line, title):
    """{(binary, label): [(wall, cpu), ...]} over `runs` interleaved rounds."""
    data = (line + "\n").encode()
    cmds = []
    for b in bins:
        b = os.path.abspath(b)
        cwd, name = os.path.dirname(b), "./" + os.path.basename(b)
        cmds.append((b, "translate", [name, "translate"], cwd))
        cmds.append((b, f"translate --title '{title}'", [name, "translate", "--title", title],
                     cwd))
    res = {(b, label): [] for b, label, _, _ in cmds}
    for i in range(runs):
        for b, label, argv, cwd in (cmds if i % 2 == 0 else cmds[::-1]):
            res[(b, label)].append(run_once(argv, cwd, data))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bins", nargs="*", metavar="BIN",
                    help="otiose binaries, each with its otiose.db beside it")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--line", default=LINE, help="the posting")
    ap.add_argument("--title", default="Data Analyst", help="the title of the --title runs")
    a = ap.parse_args()
    bins = a.bins or [os.path.join(ROOT, "otiose")]
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    for b in bins:
        if not os.access(b, os.X_OK):
            ap.error(f"{b}: not an executable (make all)")
    start = load()
    try:
        res = measure(bins, a.runs, a.line, a.title)
    except (RuntimeError, OSError) as e:
        print(f"startup: {e}", file=sys.stderr)
        return 1
    print(f"`echo '{a.line}' | ./otiose COMMAND`, median of {a.runs} interleaved runs. "
          f"Load average (1, 5, 15 min) at the start: {start}; at the end: {load()}.\n")
    print("| binary | command | median wall ms | min | max | median CPU ms |")
    print("|---|---|---|---|---|---|")
    for (b, label), v in res.items():
        w = [x[0] * 1000 for x in v]
        c = [x[1] * 1000 for x in v]
        print(f"| `{os.path.relpath(b)}` | {label} | {statistics.median(w):.1f} | "
              f"{min(w):.1f} | {max(w):.1f} | {statistics.median(c):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
