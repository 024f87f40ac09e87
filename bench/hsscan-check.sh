#!/bin/sh
# hsscan-check.sh - does build/hsscan count what it should?  Run by
# `make hsscan-check` (not by make test: it needs libvectorscan-dev).
#
# Uses build/records/limit.db, whose two patterns are `^(\w+\s?)*$` (a whole
# buffer of words; PCRE2's catastrophic case, one automaton for Vectorscan)
# and `\bsynergy\b`, over three files whose matches are known: a single-match
# scan finds each pattern at most once a file, and upper case matches.  Then
# the saved database loaded back scans the same, and the errors exit as
# otiose's do (1 input, 2 usage, 3 database), naming the file.
set -eu
HSSCAN=${HSSCAN:-build/hsscan}
DB=${DB:-build/records/limit.db}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "hsscan-check: FAIL: $*" >&2; exit 1; }

mkdir "$tmp/in"
printf 'We value SYNERGY. And synergy again.\n' > "$tmp/in/a.txt"   # synergy: 1 (single match)
printf 'nothing here\n' > "$tmp/in/b.txt"                          # the word run: 1
printf 'Synergy synergy\n' > "$tmp/in/c.txt"                       # both: 2
printf 'synergy\n' > "$tmp/in/.hidden.txt"                         # not read

out=$("$HSSCAN" --save "$tmp/saved" "$DB" "$tmp/in")
echo "$out" | grep -qx 'patterns 2 exact 2 prefilter 0 skipped 0 compile_s [0-9.]*' ||
	fail "pattern counts: $out"
echo "$out" | grep -q '^files 3 bytes 66 scan_s [0-9.]* scan_cpu_s [0-9.]* mb_per_s [0-9.]* matches 4$' ||
	fail "scan: $out"
out2=$("$HSSCAN" --load "$tmp/saved" "$DB" "$tmp/in/a.txt" "$tmp/in/c.txt")
echo "$out2" | grep -qx 'patterns 2 exact 2 prefilter 0 skipped 0 load_s [0-9.]*' ||
	fail "loaded counts: $out2"
echo "$out2" | grep -q '^files 2 bytes 53 .* matches 3$' || fail "loaded scan: $out2"

set +e
"$HSSCAN" "$DB" "$tmp/in/missing.txt" 2> "$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'missing.txt: cannot read: No such file' "$tmp/err" ||
	fail "a missing input: exit $rc, $(cat "$tmp/err")"
printf 'x' > "$tmp/in/b
ad.txt"
"$HSSCAN" "$DB" "$tmp/in/b
ad.txt" "$tmp/nope" 2> "$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'nope: cannot read' "$tmp/err" && [ "$(wc -l < "$tmp/err")" = 1 ] ||
	fail "a file name is escaped and the missing one named: exit $rc, $(cat "$tmp/err")"
"$HSSCAN" "$DB" 2> /dev/null; rc=$?
[ $rc = 2 ] || fail "usage: exit $rc"
"$HSSCAN" "$tmp/in/a.txt" "$tmp/in" 2> "$tmp/err"; rc=$?
[ $rc = 3 ] && grep -q 'a.txt: not a corpus database' "$tmp/err" ||
	fail "not a database: exit $rc, $(cat "$tmp/err")"
"$HSSCAN" --load "$tmp/in/a.txt" "$DB" "$tmp/in" 2> "$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'a.txt: cannot load: not a database saved by hsscan' "$tmp/err" ||
	fail "a bad saved database: exit $rc, $(cat "$tmp/err")"
echo "hsscan-check: ok"
