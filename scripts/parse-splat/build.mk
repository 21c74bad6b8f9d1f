# splat: the log parser library, its CLI and its tests.
#
# Sources are discovered, not listed: add src/foo.c (library), cli/cmd_foo.c
# (a subcommand, registered in cli/commands.h) or tests/test_foo.c (one cmocka
# binary per file) and it is built.  Objects go to $(B) (see mk/common.mk).
#
# Two libraries: libsplat.a is what parsing needs (reader, analyzer, summary,
# bundles; json-c, libcrypto, libm) and is all the tests, the benchmark and
# the fuzzer link.  libsplat-watch.a is the live follower (`splat watch`,
# src/watch.c) and alone brings libsystemd (sd_notify); only the splat
# binary and test_watch link it.

SPLAT_DIR := scripts/parse-splat
SPLAT_WATCH_SRCS := $(SPLAT_DIR)/src/watch.c
SPLAT_LIB_SRCS := $(filter-out $(SPLAT_WATCH_SRCS),$(sort $(wildcard $(SPLAT_DIR)/src/*.c)))
SPLAT_CLI_SRCS := $(sort $(wildcard $(SPLAT_DIR)/cli/*.c))
SPLAT_TEST_SRCS := $(sort $(wildcard $(SPLAT_DIR)/tests/test_*.c))
SPLAT_TEST_NAMES := $(patsubst $(SPLAT_DIR)/tests/%.c,%,$(SPLAT_TEST_SRCS))
# the tests that exercise src/watch.c
SPLAT_WATCH_TESTS := test_watch

SPLAT_PKGS := json-c libcrypto
SPLAT_WATCH_PKGS := libsystemd
SPLAT_CFLAGS := $(BASE_CFLAGS) -I$(SPLAT_DIR)/include \
	$(shell $(PKG_CONFIG) --cflags $(SPLAT_PKGS) 2>/dev/null)
SPLAT_LIBS := $(shell $(PKG_CONFIG) --libs $(SPLAT_PKGS) 2>/dev/null || echo -ljson-c -lcrypto) -lm
SPLAT_WATCH_LIBS := $(shell $(PKG_CONFIG) --libs $(SPLAT_WATCH_PKGS) 2>/dev/null || echo -lsystemd)
SPLAT_TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

SPLAT_LIB_OBJS := $(patsubst $(SPLAT_DIR)/%.c,$(B)/obj/%.o,$(SPLAT_LIB_SRCS))
SPLAT_WATCH_OBJS := $(patsubst $(SPLAT_DIR)/%.c,$(B)/obj/%.o,$(SPLAT_WATCH_SRCS))
SPLAT_CLI_OBJS := $(patsubst $(SPLAT_DIR)/%.c,$(B)/obj/%.o,$(SPLAT_CLI_SRCS))
SPLAT_TEST_OBJS := $(patsubst $(SPLAT_DIR)/%.c,$(B)/obj/%.o,$(SPLAT_TEST_SRCS))
SPLAT_LIB := $(B)/libsplat.a
SPLAT_WATCH_LIB := $(B)/libsplat-watch.a
SPLAT_BIN := $(B)/splat
SPLAT_TEST_BINS := $(addprefix $(B)/tests/,$(SPLAT_TEST_NAMES))

$(B)/obj/%.o: $(SPLAT_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(SPLAT_CFLAGS) -c -o $@ $<

$(SPLAT_LIB): $(SPLAT_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(CROSS_COMPILE)ar rcs $@ $^

$(SPLAT_WATCH_OBJS): SPLAT_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(SPLAT_WATCH_PKGS) 2>/dev/null)

$(SPLAT_WATCH_LIB): $(SPLAT_WATCH_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(CROSS_COMPILE)ar rcs $@ $^

$(SPLAT_BIN): $(SPLAT_CLI_OBJS) $(SPLAT_WATCH_LIB) $(SPLAT_LIB)
	$(CC) $(BASE_LDFLAGS) -o $@ $(SPLAT_CLI_OBJS) $(SPLAT_WATCH_LIB) \
		$(SPLAT_LIB) $(SPLAT_LIBS) $(SPLAT_WATCH_LIBS)

$(B)/tests/%: $(B)/obj/tests/%.o $(SPLAT_LIB)
	@mkdir -p $(@D)
	$(CC) $(BASE_LDFLAGS) -o $@ $< $(SPLAT_LIB) $(SPLAT_TEST_LIBS) $(SPLAT_LIBS)

$(addprefix $(B)/tests/,$(SPLAT_WATCH_TESTS)): $(B)/tests/%: $(B)/obj/tests/%.o \
		$(SPLAT_WATCH_LIB) $(SPLAT_LIB)
	@mkdir -p $(@D)
	$(CC) $(BASE_LDFLAGS) -o $@ $< $(SPLAT_WATCH_LIB) $(SPLAT_LIB) \
		$(SPLAT_TEST_LIBS) $(SPLAT_LIBS) $(SPLAT_WATCH_LIBS)

.PHONY: splat splat-tests splat-variants
splat: $(SPLAT_BIN)
splat-tests: $(SPLAT_TEST_BINS) $(SPLAT_BIN)

# `make test` builds the plain tool (used by shell-level tests), then runs the
# unit tests under ASan+UBSan and, cross-built for aarch64, under qemu-user.
splat-variants:
	$(MAKE) --no-print-directory SAN=0 CROSS_COMPILE= splat
	$(MAKE) --no-print-directory SAN=1 CROSS_COMPILE= splat-tests
	$(MAKE) --no-print-directory SAN=0 CROSS_COMPILE=aarch64-linux-gnu- splat-tests

TEST_PREREQS += splat-variants
TESTS += $(addprefix build/san/tests/,$(SPLAT_TEST_NAMES)) \
	$(addprefix build/aarch64/tests/,$(SPLAT_TEST_NAMES))
APT_DEPS += gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user \
	libjson-c-dev:arm64 libcmocka-dev:arm64 libsystemd-dev:arm64

install-splat: $(SPLAT_BIN)
	install -D -m 0755 $(SPLAT_BIN) $(DESTDIR)$(BINDIR)/splat
install: install-splat

# A test's object is rebuilt when a header it includes changes (its .d),
# and kept (not an intermediate file make may delete and then skip).
.SECONDARY: $(SPLAT_TEST_OBJS)
-include $(SPLAT_LIB_OBJS:.o=.d) $(SPLAT_WATCH_OBJS:.o=.d) \
	$(SPLAT_CLI_OBJS:.o=.d) $(SPLAT_TEST_OBJS:.o=.d)

# ---- fuzzing, benchmark --------------------------------------------------
# libFuzzer targets (fuzz/README in scripts/parse-splat/README.md), built
# with clang (Debian clang + libclang-rt-dev) under ASan+UBSan in build/fuzz,
# linking the core library only (no watch, no libsystemd):
#   fuzz_fmt_NAME   one per row of the format table (src/reader_formats.c;
#                   fuzz_fmt_auto: auto-detection over mixed lines)
#   fuzz_patterns   the pattern-file parser, then a log with its patterns
#   fuzz_bundle     the run-bundle loader and verify
#   fuzz_args       --predict / plan / --max-op-failure parsers + plan's maths
#   fuzz_topology   splat topology's C scanner
# `make fuzz` runs each for FUZZ_SECONDS (default 3; in `make test` through
# fuzz/test-fuzz); `make fuzz-long HOURS=H` runs a campaign (fuzz/campaign)
# and writes its record under fuzz/campaigns/.
FUZZ_SECONDS ?= 3
FUZZ_JOBS ?= 2
HOURS ?= 1
FUZZ_CC ?= clang
FUZZ_B := build/fuzz
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror \
	-fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I$(SPLAT_DIR)/include \
	$(shell pkg-config --cflags json-c 2>/dev/null)
FUZZ_LIBS := $(shell pkg-config --libs $(SPLAT_PKGS) 2>/dev/null || echo -ljson-c -lcrypto) -lm
FUZZ_OBJS := $(patsubst $(SPLAT_DIR)/src/%.c,$(FUZZ_B)/obj/%.o,$(SPLAT_LIB_SRCS))
# every row of the format table, by name
FUZZ_FORMATS := $(shell sed -n 's/^[[:space:]]*\.name = "\([^"]*\)",$$/\1/p' \
	$(SPLAT_DIR)/src/reader_formats.c)
FUZZ_OTHER := patterns bundle args topology
FUZZ_TARGETS := $(addprefix fuzz_fmt_,$(FUZZ_FORMATS)) \
	$(addprefix fuzz_,$(FUZZ_OTHER))
FUZZ_BINS := $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))

$(FUZZ_B)/obj/%.o: $(SPLAT_DIR)/src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_B)/obj/fuzz/%.o: $(SPLAT_DIR)/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_B)/obj/fuzz/fmt_%.o: $(SPLAT_DIR)/fuzz/fuzz_format.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_FORMAT='"$*"' -fsanitize=fuzzer-no-link \
		-MMD -MP -c -o $@ $<

$(FUZZ_B)/libsplat.a: $(FUZZ_OBJS)
	rm -f $@
	ar rcs $@ $^

FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)
$(FUZZ_B)/fuzz_fmt_%: $(FUZZ_B)/obj/fuzz/fmt_%.o $(FUZZ_B)/obj/fuzz/fuzz_common.o \
		$(FUZZ_B)/libsplat.a
	$(FUZZ_LINK)
$(FUZZ_B)/fuzz_patterns: $(FUZZ_B)/obj/fuzz/fuzz_patterns.o \
		$(FUZZ_B)/obj/fuzz/fuzz_common.o $(FUZZ_B)/libsplat.a
	$(FUZZ_LINK)
$(FUZZ_B)/fuzz_bundle $(FUZZ_B)/fuzz_args $(FUZZ_B)/fuzz_topology: \
		$(FUZZ_B)/%: $(FUZZ_B)/obj/fuzz/%.o $(FUZZ_B)/libsplat.a
	$(FUZZ_LINK)

.PHONY: fuzz fuzz-build fuzz-long bench-splat
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS) ## every libFuzzer target (ASan+UBSan) for FUZZ_SECONDS (3) each, FUZZ_JOBS (2) at once
	$(SPLAT_DIR)/fuzz/run-fuzz $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)
fuzz-long: $(FUZZ_BINS) ## fuzzing campaign of HOURS (1), targets in turn on one core; record in fuzz/campaigns/
	$(SPLAT_DIR)/fuzz/campaign $(FUZZ_B) $(HOURS) $(FUZZ_TARGETS)
TESTS += $(SPLAT_DIR)/fuzz/test-fuzz
APT_DEPS += clang libclang-rt-dev

-include $(FUZZ_OBJS:.o=.d) $(wildcard $(FUZZ_B)/obj/fuzz/*.d)

# `make bench-splat`: ~1 GiB generated log (and a small one, for RSS), time
# of `splat scan --summary` vs `grep -c -F`, peak RSS.  The logs are cached
# in $(CACHE_DIR)/splat-bench (or build/bench-data if that is not writable).
BENCH_SIZES ?= 64 1024 dense-64 dense-journal-64
BENCH_DATA ?= $(shell mkdir -p $(CACHE_DIR)/splat-bench 2>/dev/null && \
	test -w $(CACHE_DIR)/splat-bench && echo $(CACHE_DIR)/splat-bench || \
	echo build/bench-data)
SPLAT_BENCH_BINS := $(B)/bench/gen_log $(B)/bench/runstat $(B)/bench/bench_reader

$(B)/bench/gen_log $(B)/bench/runstat: $(B)/bench/%: $(SPLAT_DIR)/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(SPLAT_CFLAGS) -o $@ $<

$(B)/bench/bench_reader: $(SPLAT_DIR)/bench/bench_reader.c $(SPLAT_LIB)
	@mkdir -p $(@D)
	$(CC) $(SPLAT_CFLAGS) -o $@ $< $(SPLAT_LIB) $(SPLAT_LIBS)

bench-splat: $(SPLAT_BENCH_BINS) $(SPLAT_BIN) ## time splat scan --summary vs grep -c -F on a ~1 GiB log; peak RSS
	$(SPLAT_DIR)/bench/run-bench $(B) $(BENCH_DATA) $(BENCH_SIZES)
BENCHES += bench-splat
