#!/bin/sh
# valgrind.sh - otiose under valgrind, for `make valgrind`.
#
# The end-to-end tests run whatever OTIOSE_BIN names; `make valgrind`
# points it here, and this runs the real binary ($OTIOSE_REAL_BIN) under
# memcheck.  A memory error or a definite leak exits 86, a code no test
# expects, so a test that expects a failing exit (1) cannot hide one.
# tests/valgrind.supp hides only PCRE2 JIT code's word-sized reads.
exec valgrind -q --error-exitcode=86 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --suppressions="$(dirname "$0")/valgrind.supp" \
	"${OTIOSE_REAL_BIN:?set OTIOSE_REAL_BIN}" "$@"
