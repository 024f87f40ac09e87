#!/bin/sh
# run.sh - run libFuzzer targets built by `make fuzz` (see tests/fuzz/README.md).
#
# usage: tests/fuzz/run.sh [-t SECONDS] [-c CPU_SECONDS] [-j PARALLEL] TARGET...
#
#   -t SECONDS      stop each target after this much wall-clock time (default 60)
#   -c CPU_SECONDS  stop each target once it has used this much CPU time
#                   instead (on a busy machine, the honest budget)
#   -j PARALLEL     how many targets run at once (default 1)
#
# Each target's working corpus is build/fuzz/corpus/TARGET, seeded from the
# repository's own samples; crashes, leaks, timeouts and failed invariants
# go to build/fuzz/findings/TARGET/ and the log to build/fuzz/log/TARGET.log.
# Ends with one line per target (CPU seconds, runs, corpus size, findings;
# also kept in build/fuzz/summary/TARGET.txt) and exits 1 if any target
# found anything.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/fuzz/fuzz
out=$root/build/fuzz
wall=60 cpu= par=1
while getopts t:c:j: o; do
	case $o in
	t) wall=$OPTARG ;;
	c) cpu=$OPTARG ;;
	j) par=$OPTARG ;;
	*) sed -n '3,10p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '3,10p' "$0" >&2; exit 2; }

# The samples each target starts from.
seeds() {
	case $1 in
	normalize|segment|translate) echo "$root/corpus $root/tests/data $root/tests/fuzz/seeds/text" ;;
	rules) echo "$root/rules $root/tests/fuzz/seeds/rules" ;;
	record) echo "$root/corpus" ;;
	jsonl) echo "$root/tests/fuzz/seeds/jsonl" ;;
	csv) echo "$root/tests/fuzz/seeds/csv" ;;
	markdown) echo "$root/tests/fuzz/seeds/markdown $root/tests/data" ;;
	esac
}

clk=$(getconf CLK_TCK)
cpu_of() { # CPU seconds used so far by process $1
	awk -v t="$clk" '{ printf "%d\n", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo 0
}

run_one() {
	t=$1
	mkdir -p "$out/corpus/$t" "$out/findings/$t" "$out/log"
	for d in $(seeds "$t") "$root/tests/fuzz/regress/$t"; do
		[ -d "$d" ] && cp -n "$d"/* "$out/corpus/$t/" 2>/dev/null
	done
	case $t in normalize|segment|translate) d=text ;; *) d=$t ;; esac
	dict=
	[ -f "$root/tests/fuzz/$d.dict" ] && dict="-dict=$root/tests/fuzz/$d.dict"
	budget=$wall
	[ -n "$cpu" ] && budget=$((cpu * 20))
	# A parser takes milliseconds on 64 KB; one that takes seconds is
	# quadratic somewhere, and the timeout makes that a finding.
	case $t in translate|rules) timeout=10 ;; *) timeout=2 ;; esac
	OTIOSE_ROOT=$root "$bin/fuzz_$t" "$out/corpus/$t" $dict -max_total_time="$budget" \
		-timeout=$timeout -rss_limit_mb=2048 -max_len=65536 -len_control=200 -print_final_stats=1 \
		-artifact_prefix="$out/findings/$t/" >"$out/log/$t.log" 2>&1 &
	pid=$!
	used=0
	while kill -0 $pid 2>/dev/null; do
		sleep 5
		u=$(cpu_of $pid)
		[ "$u" -gt 0 ] && used=$u
		if [ -n "$cpu" ] && [ "$used" -ge "$cpu" ]; then
			kill -INT $pid 2>/dev/null
		fi
	done
	wait $pid
	rc=$?
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log/$t.log" | grep -o '[0-9]*$' | tail -1)
	found=$(find "$out/findings/$t" -type f | wc -l)
	mkdir -p "$out/summary"
	printf '%-10s cpu %6ss  runs %10s  corpus %6s  findings %s  (exit %s)\n' "$t" "$used" \
		"${runs:-?}" "$(ls "$out/corpus/$t" | wc -l)" "$found" "$rc" >"$out/summary/$t.txt"
}

running=0
for t in "$@"; do
	[ -x "$bin/fuzz_$t" ] || { echo "run.sh: $bin/fuzz_$t is not built (make fuzz)" >&2; exit 2; }
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$par" ]; then
		wait
		running=0
	fi
done
wait
status=0
for t in "$@"; do
	cat "$out/summary/$t.txt"
	! grep -q 'findings [1-9]' "$out/summary/$t.txt" || status=1
done
exit $status
