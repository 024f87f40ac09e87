# otiose - see README.md.  Targets: all run test test-cluster check valgrind fuzz bench install
# uninstall clean deps deps-run.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/otiose
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
BUILD ?= build
CC ?= cc
PKGS := libutf8proc libpcre2-8 sqlite3 jansson md4c
# The Debian packages: what building and running need (make run), and what
# make test, check and valgrind need besides (make deps installs both):
# Criterion, GNU parallel, chromium for the browser tests,
# valgrind, clang and its sanitizer runtimes (libclang-rt-dev, which clang
# only recommends) for make check and make fuzz, man-db to read the
# installed man pages and zsh to check the zsh completion; and the cluster
# tests' packages below.
# Building needs python3 too: it writes the HTML entity table (engine/entities.py).
DEB_RUN_PKGS := build-essential pkg-config libutf8proc-dev libpcre2-dev libsqlite3-dev \
                libjansson-dev libcsv-dev libmd4c-dev python3
DEB_TEST_PKGS := libcriterion-dev parallel chromium valgrind clang libclang-rt-dev man-db zsh
# The cluster tests' packages (test-cluster), installed without their recommends: dask's
# pull in numpy, pandas, scipy and matplotlib, hundreds of MB that the tests never import.
CLUSTER_PKGS := python3-distributed python3-dask openssh-server openssh-client rsync
# Debian's interpreter, the one that sees python3-distributed (a python3 earlier on PATH
# may not).
DEB_PYTHON := /usr/bin/python3

CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -MMD -MP -Iengine -I$(BUILD)/gen
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS += $(PKG_LIBS) -lcsv -lm -lpthread

ENGINE_SRC := $(wildcard engine/*.c)
CLI_SRC := $(wildcard cli/*.c) bench/gen.c
TEST_SRC := $(wildcard tests/test_*.c) tests/support.c
BENCH_OBJ := $(BUILD)/bench/eval.o $(BUILD)/bench/variety.o
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
RULES := $(wildcard rules/*.rules)
CORPUS := $(wildcard corpus/*.txt)

.PHONY: all run test test-cluster check valgrind fuzz fuzz-build fuzz-replay bench install \
        uninstall clean deps deps-run golden hsscan-check

all: otiose otiose.db

# Installs those of the Debian packages $(1) that are missing, without the
# packages they only recommend.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q '^install ok' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

# What building and running need.
deps-run:
	$(call apt_install,$(DEB_RUN_PKGS))

# What building, running and every test need.
deps:
	$(call apt_install,$(DEB_RUN_PKGS) $(DEB_TEST_PKGS) $(CLUSTER_PKGS))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# HTML5's named character references for the normalizer, generated from
# Python's html.entities (Debian's libpython3 standard library; see the
# script): the repository keeps no copy of the table.
PYTHON ?= python3
$(BUILD)/gen/entities.h: engine/entities.py
	@mkdir -p $(dir $@)
	$(PYTHON) engine/entities.py $@
$(BUILD)/engine/normalize.o $(BUILD)/tests/test_normalize.o: $(BUILD)/gen/entities.h

$(BUILD)/libotz.a: $(ENGINE_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/otiose: $(CLI_OBJ) $(BUILD)/libotz.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Copied then renamed: a copy over the old file would crash (SIGBUS) a running otiose.
otiose: $(BUILD)/otiose
	cp $< $@.tmp && mv -f $@.tmp $@

otiose.db: otiose $(RULES) $(CORPUS)
	./otiose corpus build --rules rules --corpus corpus -o $@

# The tests link the pieces cli/ shares (not the commands), for their unit tests.
# Only those: test_hostile reads the test program itself as an ELF input, and
# under the sanitizers it must stay below the 8 MiB input limit.
CLI_LIB_OBJ := $(addprefix $(BUILD)/cli/,common.o input.o mdin.o walk.o atomic.o csvin.o \
                 jsonlin.o dispatch.o)
$(BUILD)/otz_tests: $(TEST_OBJ) $(CLI_LIB_OBJ) $(BUILD)/libotz.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

run: deps-run
	$(MAKE) all
	./otiose translate tests/data/sample_jd.txt

# The unit and end-to-end tests (Criterion), the fuzz regressions, every rule's
# examples, and the pages in a browser.
test: deps
	$(MAKE) all $(BUILD)/otz_tests build/records/limit.db
	OTIOSE_BIN=$(CURDIR)/otiose OTIOSE_DB=$(CURDIR)/otiose.db OTIOSE_ROOT=$(CURDIR) \
	  $(BUILD)/otz_tests --jobs 2
	$(MAKE) fuzz-replay
	./otiose rules check rules
	OTIOSE_BIN=$(CURDIR)/otiose tests/browser/run.sh

# Past one machine (tests/cluster): the README's Dask script against a LocalCluster of two
# worker processes, and its GNU parallel -S line over ssh to two sshd of the test's own on
# this machine; each output is compared line for line with a direct run.  `timeout` bounds
# a hang (each test also ends itself, and its sshd and workers, a minute sooner); -B keeps
# __pycache__ out of the tree.
test-cluster: deps
	$(MAKE) all
	OTIOSE_BIN=$(CURDIR)/otiose OTIOSE_DB=$(CURDIR)/otiose.db OTIOSE_ROOT=$(CURDIR) \
	  timeout -k 10 360 $(DEB_PYTHON) -B tests/cluster/dask_pipe.py
	OTIOSE_BIN=$(CURDIR)/otiose OTIOSE_DB=$(CURDIR)/otiose.db OTIOSE_ROOT=$(CURDIR) \
	  PYTHON=$(DEB_PYTHON) timeout -k 10 360 tests/cluster/ssh.sh

# The golden records (tests/records, compared by test_records.c) written
# anew, for a change whose records have been read: review `git diff
# tests/records` before committing.
golden: all $(BUILD)/otz_tests build/records/limit.db
	OTIOSE_GOLDEN=1 OTIOSE_BIN=$(CURDIR)/otiose OTIOSE_DB=$(CURDIR)/otiose.db OTIOSE_ROOT=$(CURDIR) \
	  $(BUILD)/otz_tests --filter 'records/*'

# The database of the golden record that runs into a PCRE2 limit.
build/records/limit.db: otiose tests/records/limit-rules/limit.rules $(CORPUS)
	@mkdir -p $(dir $@)
	./otiose corpus build -q --rules tests/records/limit-rules --corpus corpus -o $@

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
# clang's UBSan also catches what GCC's does not (arithmetic on a null
# pointer, which one fuzz regression input needs); the objects go to their
# own folder so that a gcc build never mixes in.
SAN_CC ?= clang
SAN_FLAGS := BUILD=build/san-$(SAN_CC) CC=$(SAN_CC) \
  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  LDFLAGS="-fsanitize=address,undefined"
SAN_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
  UBSAN_OPTIONS=halt_on_error=1:exitcode=86:print_stacktrace=1
check: deps
	$(MAKE) $(SAN_FLAGS) build/san-$(SAN_CC)/otiose build/san-$(SAN_CC)/otz_tests
	$(MAKE) build/records/limit.db
	build/san-$(SAN_CC)/otiose corpus build --rules rules --corpus corpus -o build/san-$(SAN_CC)/otiose.db
	$(SAN_ENV) OTIOSE_BIN=$(CURDIR)/build/san-$(SAN_CC)/otiose OTIOSE_DB=$(CURDIR)/build/san-$(SAN_CC)/otiose.db \
	  OTIOSE_ROOT=$(CURDIR) build/san-$(SAN_CC)/otz_tests --jobs 2
	$(SAN_ENV) $(MAKE) $(SAN_FLAGS) fuzz-replay

bench: all
	./bench/run.sh

# The binary, its database, the rules and specimens it was built from (which
# the installed otiose finds in $(SHAREDIR) with no flags), the man pages and
# the bash and zsh completions.  INSTALL_BIN and INSTALL_DB name the binary
# and database to copy: the tests name ones already built, so that
# installing never rebuilds anything under the tests running beside it.
INSTALL_BIN ?= otiose
INSTALL_DB ?= otiose.db
MAN_PAGES := $(wildcard man/*.1)
INSTALLED_DIRS := $(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(SHAREDIR)/corpus $(DESTDIR)$(SHAREDIR)
install: $(INSTALL_BIN) $(INSTALL_DB)
	install -d $(DESTDIR)$(BINDIR) $(INSTALLED_DIRS) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/otiose
	install -m 644 $(INSTALL_DB) $(DESTDIR)$(SHAREDIR)/otiose.db
	install -m 644 rules/*.rules $(DESTDIR)$(SHAREDIR)/rules
	install -m 644 corpus/*.txt $(DESTDIR)$(SHAREDIR)/corpus
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1
	install -m 644 completions/otiose.bash $(DESTDIR)$(BASHCOMPDIR)/otiose
	install -m 644 completions/_otiose $(DESTDIR)$(ZSHCOMPDIR)/_otiose

# Removes what install put there, by name: files someone added beside them
# (a specimen drafted into the installed corpus) are kept, and so is the
# folder that holds them.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/otiose $(DESTDIR)$(SHAREDIR)/otiose.db \
	  $(DESTDIR)$(BASHCOMPDIR)/otiose $(DESTDIR)$(ZSHCOMPDIR)/_otiose \
	  $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN_PAGES)))
	for f in rules/*.rules corpus/*.txt; do rm -f "$(DESTDIR)$(SHAREDIR)/$$f"; done
	@for d in $(INSTALLED_DIRS); do \
	  [ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || \
	    echo "uninstall: kept $$d: it holds files that install did not put there"; \
	done

clean:
	rm -rf $(BUILD) build otiose otiose.db

-include $(BENCH_OBJ:.o=.d) $(ENGINE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# bench/eval: accuracy on a labelled folder of postings (see bench/README.md).
$(BUILD)/eval: $(BUILD)/bench/eval.o $(BUILD)/libotz.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# bench/variety: do records read varied and never repeat themselves (see bench/README.md).
$(BUILD)/variety: $(BUILD)/bench/variety.o $(BUILD)/libotz.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# bench/hsscan: a bare Vectorscan scan of the corpus's patterns, the reference point of
# bench/peers.py.  Needs libvectorscan-dev, which nothing in all or test needs, so it is
# in no package list (see bench/README.md); built only when asked for.
HS_CFLAGS = $(shell pkg-config --cflags libhs 2>/dev/null)
HS_LIBS = $(shell pkg-config --libs libhs 2>/dev/null || echo -lhs)
$(BUILD)/hsscan: bench/hsscan.c $(BUILD)/libotz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(HS_CFLAGS) $(LDFLAGS) -o $@ $^ $(HS_LIBS) $(LDLIBS)

# Its check (bench/hsscan-check.sh): known counts on the two-pattern limit database.
hsscan-check: $(BUILD)/hsscan build/records/limit.db
	HSSCAN=$(BUILD)/hsscan DB=build/records/limit.db sh bench/hsscan-check.sh

# The end-to-end tests with the binary under valgrind (tests/valgrind.sh),
# and the fuzz replays likewise.  Two tests are left out: one copies the
# binary to find a database beside the copy, which the wrapper cannot be;
# the other checks all 905 rules' examples through the binary, minutes
# under memcheck, and the rules replay below runs the same parser,
# compiler and checks over every rule file under memcheck.
VALGRIND_SUITES := @(cli|batch|stream|hostile)/!(builds_the_database_beside_the_binary_when_missing|rules_check_passes_on_the_real_rules)
valgrind: deps
	$(MAKE) all $(BUILD)/otz_tests $(REPLAY_BINS)
	OTIOSE_REAL_BIN=$(CURDIR)/otiose OTIOSE_BIN=$(CURDIR)/tests/valgrind.sh OTIOSE_DB=$(CURDIR)/otiose.db \
	  OTIOSE_ROOT=$(CURDIR) OTIOSE_TEST_HANG_GUARD=600 \
	  $(BUILD)/otz_tests --jobs 2 --filter '$(VALGRIND_SUITES)'
	@set -e; $(foreach t,$(FUZZ_TARGETS),\
	  OTIOSE_ROOT=$(CURDIR) valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp \
	    $(BUILD)/fuzz/replay_$(t) \
	    $(wildcard tests/fuzz/regress/$(t)) $(wildcard $(replay_seeds_$(t))) \
	    2>$(BUILD)/fuzz/valgrind_$(t).log \
	  || { tail -n 40 $(BUILD)/fuzz/valgrind_$(t).log; echo "valgrind: $(t) failed"; exit 1; };)

# Fuzzing (tests/fuzz/README.md).  Each target in tests/fuzz is built twice:
# with clang and libFuzzer for `make fuzz`, which runs every target for
# FUZZ_TIME seconds (or FUZZ_CPU seconds of CPU each, FUZZ_JOBS at once);
# and with replay.c as a plain program, which `make test` (and `make check`,
# under the sanitizers) runs over the regression inputs in
# tests/fuzz/regress/TARGET and the repository samples the fuzzers start from.
FUZZ_TARGETS := normalize segment rules record jsonl csv translate markdown
FUZZ_TIME ?= 60
FUZZ_CPU ?=
FUZZ_JOBS ?= 1
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
               -fno-omit-frame-pointer
FUZZ_COMMON_OBJ := $(addprefix $(BUILD)/,tests/fuzz/fuzz_util.o cli/jsonlin.o cli/csvin.o cli/common.o \
                   cli/input.o cli/mdin.o)
REPLAY_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(FUZZ_COMMON_OBJ) \
                        $(BUILD)/libotz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Linked only in the clang build below (libFuzzer supplies main).
$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON_OBJ) $(BUILD)/libotz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

# The samples each target's replay runs over, besides its regression folder.
replay_seeds_normalize := corpus tests/data tests/fuzz/seeds/text
replay_seeds_segment := $(replay_seeds_normalize)
replay_seeds_translate := $(replay_seeds_normalize)
replay_seeds_rules := rules tests/fuzz/seeds/rules
replay_seeds_record := corpus
replay_seeds_jsonl := tests/fuzz/seeds/jsonl
replay_seeds_csv := tests/fuzz/seeds/csv
replay_seeds_markdown := tests/fuzz/seeds/markdown tests/data

fuzz-replay: $(REPLAY_BINS)
	@set -e; $(foreach t,$(FUZZ_TARGETS),\
	  OTIOSE_ROOT=$(CURDIR) $(BUILD)/fuzz/replay_$(t) $(wildcard tests/fuzz/regress/$(t)) \
	    $(wildcard $(replay_seeds_$(t))) 2>$(BUILD)/fuzz/replay_$(t).log \
	  || { tail -n 40 $(BUILD)/fuzz/replay_$(t).log; echo "fuzz-replay: $(t) failed"; exit 1; };)

fuzz-build:
	@command -v clang >/dev/null || { echo "make fuzz needs clang: apt-get install -y clang" >&2; exit 2; }
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
	  $(FUZZ_TARGETS:%=build/fuzz/fuzz/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run.sh -t $(FUZZ_TIME) $(if $(FUZZ_CPU),-c $(FUZZ_CPU)) -j $(FUZZ_JOBS) $(FUZZ_TARGETS)

-include $(wildcard $(BUILD)/tests/fuzz/*.d)
