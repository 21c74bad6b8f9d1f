# results/: run bundles, the transcribed reference baseline, the index.
# (statistics, reports and compare live in scripts/parse-splat; see
# results/README.md for the bundle contract)

RESULTS_DIR ?= results

# splat links OpenSSL's libcrypto for the sha256 of bundle files; the
# report/SVG tests check the SVG with xmllint.
APT_DEPS += libssl-dev libssl-dev:arm64 libxml2-utils

.PHONY: results-index
results-index: $(SPLAT_BIN) ## list run bundles (label, kernel, duration, verdict) and comparisons in results/index.md
	$(SPLAT_BIN) report --index $(RESULTS_DIR)
