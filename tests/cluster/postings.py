#!/usr/bin/env python3
"""The input and the check shared by the cluster tests (dask_pipe.py, ssh.sh).

make: N postings from the project's own generator (`otiose bench --generate N --write DIR`),
one JSON object a line, with three bad lines among them at fixed places: two that are not
JSON and one object with no text.  Written as one file, or split into several in order.

check: a split run's output against a direct run's, line for line.  A translated line
must be the same bytes.  An error line must be the same object except for "line", which
counts from 1 within the input each otiose process saw (a block of parallel's --pipe, a
partition of a Dask bag): the part's lengths give the number expected.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile

# Where the bad lines go, counted from 0 among all lines, and what they hold.  They fall
# in different blocks of 100 and different parts, and past the first, so that their
# "line" differs from their place in the whole file.
BAD_LINES = {
    3: '{"id": "broken-3", "text": \n',
    149: '{"id": "no-text-149", "title": "Data Engineer"}\n',
    218: '[not json at all\n',
}


def generated_lines(otiose, db, count, seed):
    """The JSON lines of COUNT generated postings, with the bad lines in their places."""
    if count + len(BAD_LINES) <= max(BAD_LINES):
        sys.exit(f"postings.py: {count} postings are too few to hold every bad line")
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "postings")
        gen = subprocess.run([otiose, "bench", "--db", db, "--generate", str(count), "--seed",
                              str(seed), "--write", folder], capture_output=True, text=True,
                             timeout=120)
        if gen.returncode != 0:
            sys.exit(f"postings.py: otiose bench --write exited {gen.returncode}: "
                     f"{gen.stderr.strip()}")
        names = sorted(os.listdir(folder))
        if len(names) != count:
            sys.exit(f"postings.py: the generator wrote {len(names)} postings, not {count}")
        good = []
        for i, name in enumerate(names):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            title = text.split("\n", 1)[0]
            # Every tenth line's copied field holds a line separator and a next-line
            # character, as JSON may: a reader that splits lines at them breaks the record.
            source = "board\u2028\u0085" + str(i % 7) if i % 10 == 9 else "gen"
            good.append(json.dumps({"id": name, "title": title, "text": text,
                                    "source": source}, ensure_ascii=False) + "\n")
    lines = []
    for line in good:
        while len(lines) in BAD_LINES:
            lines.append(BAD_LINES[len(lines)])
        lines.append(line)
    return lines


def write_parts(lines, paths):
    """Writes LINES across PATHS in order, as evenly as whole lines allow."""
    per = -(-len(lines) // len(paths))
    for i, path in enumerate(paths):
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines[i * per:(i + 1) * per])


def _object(line):
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def check(inputs, direct, parts):
    """Compares the lines of a direct run with those of a split run of INPUTS lines.  PARTS
    is one list of output lines per process, in order.  Returns a list of problems, empty
    when they agree."""
    got = [line for part in parts for line in part]
    problems = []
    if len(direct) != inputs:
        problems.append(f"the direct run wrote {len(direct)} lines for {inputs} input lines")
    if len(got) != len(direct):
        problems.append(f"{len(got)} output lines, the direct run has {len(direct)}")
    errors = sum(1 for line in direct if "error" in (_object(line) or {}))
    if errors != len(BAD_LINES):
        problems.append(f"the direct run has {errors} error lines, the input {len(BAD_LINES)}")
    n = 0
    for part in parts:
        for within, line in enumerate(part, 1):
            n += 1
            if n > len(direct):
                break
            want = direct[n - 1]
            w = _object(want) or {}
            if "error" in w:
                g = _object(line)
                if g is None or "line" not in w or g.get("line") != within:
                    problems.append(f"line {n}: error object {line.strip()!r}; want "
                                    f"{want.strip()!r} with \"line\":{within}")
                    continue
                w["line"] = within
                if g != w:
                    problems.append(f"line {n}: {line.strip()!r} differs from the direct "
                                    f"run's {want.strip()!r} beyond \"line\"")
            elif line != want:
                problems.append(f"line {n}: differs from the direct run's: {line[:120]!r} "
                                f"against {want[:120]!r}")
    return problems


def split_lines(data):
    """The lines of the bytes DATA, split at "\n" only (a copied field may hold U+2028 or
    U+0085, which str.splitlines would split at too)."""
    return [line.decode("utf-8") for line in io.BytesIO(data)]


def read_lines(path):
    with open(path, "rb") as f:
        return split_lines(f.read())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    mk = sub.add_parser("make", help="write generated postings as JSON lines")
    mk.add_argument("otiose")
    mk.add_argument("db")
    mk.add_argument("count", type=int)
    mk.add_argument("out", nargs="+", help="one file, or several to split the lines across")
    mk.add_argument("--seed", type=int, default=15)
    ck = sub.add_parser("check", help="compare a split run's output with a direct run's")
    ck.add_argument("input")
    ck.add_argument("direct")
    ck.add_argument("got")
    ck.add_argument("--block", type=int, required=True,
                    help="lines each process was given (parallel's -N)")
    args = ap.parse_args()
    if args.cmd == "make":
        write_parts(generated_lines(args.otiose, args.db, args.count, args.seed), args.out)
        return 0
    got = read_lines(args.got)
    parts = [got[i:i + args.block] for i in range(0, len(got), args.block)]
    problems = check(len(read_lines(args.input)), read_lines(args.direct), parts)
    for p in problems[:20]:
        print(f"{args.got}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
