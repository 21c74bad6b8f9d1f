# flavors/debug: the verified lockdep debug flavor.  See flavors/debug/README.md.
#
#   make flavor-config BASE=<distro .config> [KSRC=<tree>] [ARCH=arm64]
#                      [CROSS_COMPILE=aarch64-linux-gnu-] [O=<dir>]
#                      [FRAGMENT="<frag> ..."] [ALLOW_MISSING=1]
#   make flavor-build  BASE=... [SERIES=patches/series|none] [TARGETS="Image dtbs modules"]
#                      [JOBS=2] (same variables as flavor-config)
#
# KSRC defaults to Debian's linux-source-6.12 extracted by mk/ksrc.  O defaults
# to build/flavor/$(ARCH).  The kernel tree is only read (out-of-tree builds);
# a patch series is applied to a hard-linked copy under $(CACHE_DIR).

FLAVOR_DIR := flavors/debug
FLAVOR_B := build/flavor
FLAVOR_VERIFIER := $(FLAVOR_B)/bin/kconfig-verify
FLAVOR_VERIFIER_SAN := $(FLAVOR_B)/san/kconfig-verify
# A host tool, whatever CROSS_COMPILE says (that one is for the kernel).
FLAVOR_HOSTCC ?= gcc
FLAVOR_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN_FLAGS) $(shell pkg-config --cflags json-c 2>/dev/null)
FLAVOR_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
FLAVOR_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ARCH ?= arm64
FRAGMENT ?= $(FLAVOR_DIR)/lockdep.config
SERIES ?= patches/series
JOBS ?= 2
FLAVOR_O = $(if $(O),$(O),build/flavor/$(ARCH))
# Pass CROSS_COMPILE only when the user set it; else the script picks the
# cross compiler for ARCH (aarch64-linux-gnu- on an x86 host).
FLAVOR_CROSS = $(if $(filter command line environment,$(origin CROSS_COMPILE)),--cross "$(CROSS_COMPILE)")
FLAVOR_ARGS = --base "$(BASE)" --ksrc "$${KSRC:-$$(mk/ksrc)}" --out "$(FLAVOR_O)" \
	--arch "$(ARCH)" $(FLAVOR_CROSS) $(foreach f,$(FRAGMENT),--fragment "$(f)") \
	$(if $(filter 1 yes y,$(ALLOW_MISSING)),--allow-missing) --jobs "$(JOBS)" \
	--verifier "$(FLAVOR_VERIFIER)"

# The verifier's sources, split as scripts/kconfig is: config.c (.config
# loader), kconfig.c (Kconfig reader), expr.c (expression evaluator), util.c
# (arena, vector, map), main.c (verdict, output, main).  A small host tool:
# one compiler call per build.
FLAVOR_VERIFIER_SRCS := $(sort $(wildcard $(FLAVOR_DIR)/kconfig-verify/*.c))
FLAVOR_VERIFIER_DEPS := $(FLAVOR_VERIFIER_SRCS) $(wildcard $(FLAVOR_DIR)/kconfig-verify/*.h)

$(FLAVOR_VERIFIER): $(FLAVOR_VERIFIER_DEPS)
	@mkdir -p $(@D)
	$(FLAVOR_HOSTCC) $(FLAVOR_CFLAGS) -o $@ $(FLAVOR_VERIFIER_SRCS) $(FLAVOR_LIBS)

$(FLAVOR_VERIFIER_SAN): $(FLAVOR_VERIFIER_DEPS)
	@mkdir -p $(@D)
	$(FLAVOR_HOSTCC) $(FLAVOR_CFLAGS) $(FLAVOR_SAN) -O1 -o $@ $(FLAVOR_VERIFIER_SRCS) $(FLAVOR_LIBS)

# The tablet's build (plain char unsigned), run by the unit test under qemu.
FLAVOR_VERIFIER_A64 := $(FLAVOR_B)/aarch64/kconfig-verify
FLAVOR_A64_PC := env PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config
$(FLAVOR_VERIFIER_A64): $(FLAVOR_VERIFIER_DEPS)
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -std=c11 -D_GNU_SOURCE -O2 $(WARN_FLAGS) \
		$$($(FLAVOR_A64_PC) --cflags json-c) -o $@ $(FLAVOR_VERIFIER_SRCS) \
		$$($(FLAVOR_A64_PC) --libs json-c || echo -ljson-c)

.PHONY: flavor-tools flavor-config flavor-build flavor-pkg
flavor-tools: $(FLAVOR_VERIFIER) $(FLAVOR_VERIFIER_SAN) $(FLAVOR_VERIFIER_A64) ## build kconfig-verify (native, sanitizer and aarch64 builds for the tests)

flavor-config: $(FLAVOR_VERIFIER) ## merge lockdep.config into BASE= and verify it (KSRC= ARCH= CROSS_COMPILE= O= FRAGMENT= ALLOW_MISSING=1)
	@test -n "$(BASE)" || { echo "flavor-config: BASE=<distro kernel .config> is required" >&2; exit 2; }
	@KSRC="$(KSRC)" $(FLAVOR_DIR)/flavor-config $(FLAVOR_ARGS)

flavor-build: $(FLAVOR_VERIFIER) ## flavor-config, then build Image/dtbs/modules out of tree with SERIES= applied to a copy (TARGETS= JOBS=)
	@test -n "$(BASE)" || { echo "flavor-build: BASE=<distro kernel .config> is required" >&2; exit 2; }
	@KSRC="$(KSRC)" $(FLAVOR_DIR)/flavor-build $(FLAVOR_ARGS) --series "$(SERIES)" \
		$(if $(TARGETS),--targets "$(TARGETS)")

TEST_PREREQS += flavor-tools
TESTS += $(FLAVOR_DIR)/tests/test-verifier-unit \
	$(FLAVOR_DIR)/tests/test-arm64-danctnix \
	$(FLAVOR_DIR)/tests/test-unsatisfiable \
	$(FLAVOR_DIR)/tests/test-x86_64 \
	$(FLAVOR_DIR)/tests/test-pkgbuild \
	$(FLAVOR_DIR)/tests/test-pkgbuild-prepare \
	$(FLAVOR_DIR)/tests/test-build-modules
# dwarves: pahole, without which olddefconfig silently drops the DanctNIX
# config's DEBUG_INFO_BTF (a base symbol, so no verify failure)
APT_DEPS += linux-source-6.12 gcc-aarch64-linux-gnu bc bison flex libssl-dev libelf-dev \
	make patch makepkg libjson-c-dev pkg-config xz-utils cpio kmod util-linux dwarves

FLAVOR_PKG_BASE ?= $(FLAVOR_DIR)/tests/fixtures/danctnix/linux-pinetab2-6.12.7-danctnix1.config
flavor-pkg: ## stage build/flavor/pkg: the linux-pinetab2-lockdep PKGBUILD with its files (SERIES= BASE=<DanctNIX config>)
	@$(FLAVOR_DIR)/pkg-stage --out $(FLAVOR_B)/pkg --series "$(SERIES)" \
		--base "$(if $(BASE),$(BASE),$(FLAVOR_PKG_BASE))"
