# tests/vm: the virtual bench (QEMU + mac80211_hwsim + the lock-topology
# model module).  See tests/vm/README.md.
#
#   make vm-kernel   the bench kernel (cached in $(CACHE_DIR)/vm-kernel/<key>)
#   make vm-test     level 1: busybox initramfs, before/after boots, assertions
#   make vm-soak     level 2: Debian rootfs + systemd + NetworkManager + the
#                    real besser-soak@.service (slow: not in CI)
#   make demo        the README's main job: level 1 into results/bench-<date>/
#                    with compare.md, plots and a one-line verdict

VM_DIR := tests/vm
VM_OUT ?= build/vm
# Seconds of soak workload per boot (level 1).
VM_DURATION ?= 90

APT_DEPS += linux-source-6.12 bc flex bison libelf-dev libssl-dev cpio \
	qemu-system-x86 busybox-static iw hostapd wpasupplicant iproute2 \
	wireless-regdb jq debootstrap e2fsprogs

.PHONY: vm-kernel vm-lockmodel vm-test vm-ttfr vm-soak demo demo-run

vm-kernel: ## build the bench kernel (x86_64, lockdep flavor + tests/vm/vm.config; cached)
	@$(VM_DIR)/build-kernel

vm-lockmodel: ## build tests/vm/lockmodel (the bes2600 lock-topology MODEL) for the bench kernel
	@$(VM_DIR)/build-lockmodel "$$($(VM_DIR)/build-kernel)"

vm-test: splat soak ## level-1 bench: boot unpatched + patched model under QEMU, assert the splat/Pattern A delta
	@$(VM_DIR)/test-level1 --out $(VM_OUT)/level1 --duration $(VM_DURATION)

VM_TTFR_BOOTS ?= 5
vm-ttfr: splat soak ## time to first report per besser-soak profile (default, targeted), VM_TTFR_BOOTS boots each (~15 min)
	@$(VM_DIR)/ttfr --boots $(VM_TTFR_BOOTS) --out $(VM_OUT)/ttfr

vm-soak: splat soak ## level-2 bench: Debian rootfs, systemd, NetworkManager, besser-soak@.service (slow)
	@$(VM_DIR)/test-level2 --out $(VM_OUT)/level2

# The README's main job: install missing Debian packages first (as `make
# test` does), then build and run in a fresh make that sees them.
demo: deps ## main job: build what is missing, run the bench before/after, write results/bench-<date>/
	@$(MAKE) --no-print-directory demo-run

demo-run: splat soak
	@$(VM_DIR)/demo

TESTS += $(VM_DIR)/test-lockmodel-style $(VM_DIR)/test-level1
