#!/bin/sh
# run.sh - render real file records as HTML with the built binary and check,
# in headless chromium, that they render at phone and desktop sizes.
#
# It translates tests/data/sample_jd.txt with `otiose translate --format html`
# and shows the seed specimen with `otiose specimens show --format html`, then
# runs check_page.py on each page, expecting the <title> that the JSON record
# names (so the HTML is checked against another renderer, not against itself).
# Exits 0 only if every page rendered; a missing chromium is a failure.
# OTIOSE_BIN picks the binary (default ./otiose); BROWSER_OUT, if set, keeps the
# pages, screenshots and DOM dumps there for a person to look at.
set -eu
cd "$(dirname "$0")/../.."
bin=${OTIOSE_BIN:-./otiose}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/otz-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=${BROWSER_OUT:-$tmp/out}

slug_of() {
	python3 -c 'import json, sys; print(json.load(sys.stdin)["slug"])'
}

check() { # name, page, expected slug
	echo "browser: $1"
	python3 tests/browser/check_page.py --title "FILE RECORD: $3" --out "$out/$1" "$2"
}

"$bin" translate --format html tests/data/sample_jd.txt >"$tmp/translation.html"
slug=$("$bin" translate --format json tests/data/sample_jd.txt | slug_of)
check translation "$tmp/translation.html" "$slug"

"$bin" specimens show --format html SDET >"$tmp/specimen.html"
slug=$("$bin" specimens show --format json SDET | slug_of)
check specimen "$tmp/specimen.html" "$slug"

# A batch's index: the sortable table that links every record.
"$bin" bench --generate 6 --seed 5 --write "$tmp/jds" 2>/dev/null
"$bin" batch "$tmp/jds" -o "$tmp/batch" --format html --quiet
echo "browser: batch index"
python3 tests/browser/check_page.py --title "otiose batch" --out "$out/index" "$tmp/batch/index.html"

if [ -n "${BROWSER_OUT:-}" ]; then
	cp "$tmp/translation.html" "$tmp/specimen.html" "$tmp/batch/index.html" "$out/"
fi
echo "browser: all pages rendered"
