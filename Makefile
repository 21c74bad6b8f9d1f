# besser-verify: top-level Makefile.
#
# Each component keeps its own rules in a make fragment next to its code
# (scripts/parse-splat/build.mk, patches/patches.mk, flavors/debug/flavor.mk,
# scripts/soak/soak.mk, tests/vm/vm.mk, results/results.mk).  This file only
# ties them together, so components can grow without editing each other.
#
# Conventions every fragment follows:
#   APT_DEPS  += debian packages the component needs (build and test)
#   TESTS     += executables run by `make test` (exit 0 pass, 77 skip, else fail)
#   a `## description` comment after a target's colon line shows it in `make help`
#   BENCHES   += make targets run by `make bench`

.DEFAULT_GOAL := all
SHELL := /bin/bash

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
# Caches outside the clone, keyed by input hashes (kernel source extraction,
# kernel builds, root file systems).  Override to relocate.
CACHE_DIR ?= /var/cache/besser-verify
export CACHE_DIR

APT_DEPS :=
TESTS :=
BENCHES :=

include mk/common.mk
include scripts/parse-splat/build.mk
-include patches/patches.mk
-include flavors/debug/flavor.mk
-include scripts/soak/soak.mk
-include results/results.mk
-include tests/vm/vm.mk
-include lava/lava.mk
include mk/style.mk

.PHONY: all test test-run check bench help deps print-apt-deps install clean

all: splat ## build the splat tool (default)

# Run every test.  Missing Debian packages are installed first (when root),
# then a fresh make builds what the tests need, so the fragments' build rules
# see the installed libraries.  tests/run prints one line per test and a
# closing "N passed, N failed, N skipped" line; it exits non-zero if any failed.
test: deps ## run every test (what CI runs)
	@$(MAKE) --no-print-directory test-run

test-run: $(TEST_PREREQS)
	@tests/run $(TESTS)

check: test

bench: $(BENCHES) ## run the benchmarks (not tests)

help: ## this list
	@echo "besser-verify targets (variables in CAPS):"
	@grep -hE '^[a-zA-Z0-9_.%-]+:.*## ' $(MAKEFILE_LIST) | \
		sed -E 's/^([^:]+):.*## (.*)/  \1\t\2/' | expand -t 24

# Install the Debian packages every component declared (needs root).
deps: ## install the Debian packages all components need (root)
	@tests/install-deps $(sort $(APT_DEPS))

print-apt-deps: ## print the Debian packages all components need (what deps installs)
	@echo $(sort $(APT_DEPS))

# Fail early, with the exact command, when a declared package is missing.
deps-check:
	@tests/install-deps --check $(sort $(APT_DEPS))

clean:
	rm -rf build
