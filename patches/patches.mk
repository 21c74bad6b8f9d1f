# patches/: the bes2600 fixes (series + git format-patch files) and their checks.
# See patches/README.md.
#
#   make patches-check KSRC=<tree> [DRIVER_DIR=drivers/staging/bes2600]
#   make driver-check  KSRC=<tree> [DRIVER_DIR=...] [KOBJ=<prepared O= dir>]
#   make series-check
#   make patches-for   KSRC=<tree> [DRIVER_DIR=...] [KOBJ=...]  -> $(B)/patches-for/series
#
# The scripts exit 77 (make: "Error 77") when the kernel tree or the driver
# source is not there: skipped work is never reported as success.

DRIVER_DIR ?= drivers/staging/bes2600

.PHONY: patches-check driver-check series-check patches-for

series-check: ## check the patch series is well-formed (headers, Signed-off-by, git apply --stat, series order)
	@patches/series-check.sh

patches-check: ## check the series applies to KSRC=<tree> [DRIVER_DIR=...] without modifying it (77: no tree/driver)
	@KSRC="$(KSRC)" DRIVER_DIR="$(DRIVER_DIR)" patches/patches-check.sh

driver-check: ## compile the patched driver against a lockdep-prepared KSRC (touched objects + whole module; 77: no driver)
	@$(MAKE) --no-print-directory -s flavor-tools >/dev/null 2>&1 || \
		echo "driver-check: flavor-tools not built: preparing the config with merge_config.sh only"
	@KSRC="$(KSRC)" DRIVER_DIR="$(DRIVER_DIR)" $(if $(KOBJ),KOBJ="$(KOBJ)") patches/driver-check.sh

patches-for: $(SPLAT_BIN) ## a series for KSRC=<tree> [DRIVER_DIR=]: the hand-written one if it applies, else generated from patches/cocci (spatch); checked (topology, guard, driver-check with KOBJ=)
	@KSRC="$(KSRC)" DRIVER_DIR="$(DRIVER_DIR)" OUT="$(B)/patches-for" SPLAT="$(SPLAT_BIN)" \
		$(if $(KOBJ),KOBJ="$(KOBJ)") $(if $(GENERATE),GENERATE="$(GENERATE)") patches/patches-for.sh

# CI: well-formedness and the checkers themselves run everywhere; the
# real-driver tests (apply + topology; compile) run where BES2600_SRC names a
# driver source directory (e.g. BES2600_SRC=/path/to/bes2600), else skip (77).
# The semantic patches run on fixtures of our own (test-patches-for.sh).
TESTS += patches/tests/test-series.sh patches/tests/test-patches-check.sh \
	patches/tests/test-patches-for.sh \
	patches/tests/test-driver.sh patches/tests/test-driver-compile.sh
APT_DEPS += patch git coccinelle
