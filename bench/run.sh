#!/usr/bin/env bash
# A first throughput measurement: the whole pipeline (process start, database load,
# translate, render) over every corpus record and the sample JD, repeated, median of
# five runs.  The full harness (per-stage shares, threads, generated postings, reference
# points) is issue 5's work.
set -euo pipefail
cd "$(dirname "$0")/.."
files=(corpus/*.txt tests/data/sample_jd.txt)
reps=${REPS:-10}
list=()
for ((i = 0; i < reps; i++)); do list+=("${files[@]}"); done
bytes=$(cat "${list[@]}" | wc -c)
times=()
for run in 1 2 3 4 5; do
  t0=$(date +%s%N)
  ./otiose translate --format json "${list[@]}" >/dev/null
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000 )))
done
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
awk -v n="${#list[@]}" -v b="$bytes" -v us="$med" 'BEGIN {
  printf "%d JDs, %.1f KB, median of 5 runs: %.1f ms = %.0f JDs/s, %.2f MB/s (1 thread)\n",
         n, b / 1024, us / 1000, n / (us / 1e6), b / (us / 1e6) / 1e6 }'
