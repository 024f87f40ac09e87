#!/usr/bin/python3
"""The README's Dask script (translate_jds_dask.py), run as written against a Dask
LocalCluster of two worker processes, as a client of its scheduler's address like any
real cluster's.  Its input is four JSON-lines files of generated postings holding three
bad lines; the output files, read in order, must equal a direct run of
`otiose translate --jsonl` over the same lines, line for line, each bad line's error
object in its place with its "line" counted within its file; and both workers must have
run partitions.  Then the script's translate() over the same lines as one file, read by
dask.bag in blocks of BLOCK bytes: the output gathered back here, partition by partition,
must equal the direct run the same way.  A hang fails the test after LIMIT seconds
instead of holding up CI.

Needs OTIOSE_BIN, OTIOSE_DB, OTIOSE_ROOT, and Debian's python3-distributed.
"""

import glob
import os
import re
import signal
import subprocess
import sys
import tempfile

import postings

LIMIT = 300
PARTS = 4
BLOCK = 200_000   # bytes: about 40 postings a block


def fail(message):
    sys.exit(f"dask_pipe.py: {message}")


def on_signal(signum, frame):
    # An exception, so that the cluster is closed and the folder removed on the way out.
    if signum == signal.SIGALRM:
        raise TimeoutError(f"dask_pipe.py: not done after {LIMIT} s")
    raise SystemExit(f"dask_pipe.py: terminated (signal {signum})")


def readme_script(root):
    """The README's python block that starts with '# translate_jds_dask.py'."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    found = re.findall(r"^```python\n(# translate_jds_dask\.py\b.*?)^```", text, re.S | re.M)
    if len(found) != 1:
        fail(f"README.md has {len(found)} python blocks that start with "
             "'# translate_jds_dask.py', not one")
    return found[0]


def run(otiose, db, root, tmp):
    lines = postings.generated_lines(otiose, db, 240, seed=15)
    os.mkdir(os.path.join(tmp, "jds"))
    inputs = [os.path.join(tmp, "jds", f"part-{i}.jsonl") for i in range(PARTS)]
    postings.write_parts(lines, inputs)
    direct = subprocess.run([otiose, "translate", "--jsonl", "--db", db],
                            input="".join(lines).encode("utf-8"), capture_output=True,
                            timeout=120)
    if direct.returncode != 1:
        fail(f"the direct run exited {direct.returncode}, not 1 (its input has bad lines)")
    direct_lines = postings.split_lines(direct.stdout)

    script = os.path.join(tmp, "translate_jds_dask.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(readme_script(root))
    # The script runs "otiose" from PATH, which finds its database through OTIOSE_DB;
    # the worker processes inherit both from here.
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(otiose, os.path.join(bindir, "otiose"))
    os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ["OTIOSE_DB"] = db

    one_file = os.path.join(tmp, "jds.jsonl")
    postings.write_parts(lines, [one_file])
    from dask.distributed import Client, LocalCluster, get_task_stream
    out_glob = os.path.join(tmp, "records", "*.jsonl")
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None, local_directory=os.path.join(tmp, "dask"),
                      scheduler_port=0) as cluster, Client(cluster) as client:
        client.wait_for_workers(2, timeout=120)
        print(f"dask_pipe.py: the README's script against {cluster.scheduler_address}, "
              "two worker processes", flush=True)
        with get_task_stream(client) as stream:
            script_run = subprocess.run(
                [sys.executable, script, cluster.scheduler_address,
                 os.path.join(tmp, "jds", "*.jsonl"), out_glob],
                capture_output=True, text=True, timeout=LIMIT - 90)
        workers = {task["worker"] for task in stream.data}
        if script_run.returncode != 0:
            fail(f"translate_jds_dask.py exited {script_run.returncode}:\n{script_run.stderr}")
        blocks, gathered = gather_blocks(client, script, one_file)
    problems = check_files(lines, direct_lines, inputs, out_glob)
    if len(workers) != 2:
        problems.append(f"partitions ran on {len(workers)} worker(s), not on both")
    problems += postings.check(len(lines), direct_lines, gathered)
    for block, part in zip(blocks, gathered):
        if len(part) != len(block):
            problems.append(f"a block of {len(block)} lines gave {len(part)} output lines")
    if len(blocks) < 4:
        problems.append(f"jds.jsonl in {len(blocks)} blocks of {BLOCK} bytes, not 4 or more")
    for p in problems[:20]:
        print(f"dask_pipe.py: {p}", file=sys.stderr)
    if problems:
        fail(f"{len(problems)} problems")
    print(f"dask_pipe.py: {len(direct_lines)} lines in {PARTS} files on {len(workers)} workers, "
          f"and gathered from {len(blocks)} blocks of one file, the same as a direct run")


def gather_blocks(client, script, path):
    """The README's translate over PATH read in blocks of BLOCK bytes, each partition's
    output gathered here.  Returns the input and the output lines of each partition."""
    import dask
    import dask.bag

    sys.path.insert(0, os.path.dirname(script))
    import translate_jds_dask
    client.upload_file(script)          # for the workers to import it too
    lines = dask.bag.read_text(path, blocksize=BLOCK, linedelimiter="\n")
    out = lines.map_partitions(translate_jds_dask.translate)
    blocks = dask.compute(*lines.to_delayed())
    parts = dask.compute(*out.to_delayed())
    return blocks, [[line + "\n" for line in part] for part in parts]


def check_files(lines, direct_lines, inputs, out_glob):
    """The README script's output files against the direct run, and against its inputs."""
    outputs = sorted(glob.glob(out_glob))
    if len(outputs) != len(inputs):
        return [f"{len(outputs)} output files, not one for each of the {len(inputs)} inputs"]
    parts = [postings.read_lines(path) for path in outputs]
    problems = postings.check(len(lines), direct_lines, parts)
    for path, inp, part in zip(outputs, inputs, parts):
        want = len(postings.read_lines(inp))
        if len(part) != want:
            problems.append(f"{path}: {len(part)} lines for the {want} of {inp}")
    return problems


def main():
    env = [os.environ.get(k) for k in ("OTIOSE_BIN", "OTIOSE_DB", "OTIOSE_ROOT")]
    if not all(env):
        fail("set OTIOSE_BIN, OTIOSE_DB and OTIOSE_ROOT")
    otiose, db, root = (os.path.abspath(v) for v in env)
    signal.signal(signal.SIGALRM, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.alarm(LIMIT)
    with tempfile.TemporaryDirectory() as tmp:
        run(otiose, db, root, tmp)


if __name__ == "__main__":
    main()
