# lava/: fleet soaks on LAVA (see lava/README.md).
#
#   make lava-test   a real lava-run (Debian's dispatcher, no server) QEMU
#                    job on the bench kernel + level-2 image, short soak,
#                    results and artifact checked (long: not in `make test`)
#   make lava-jobs   render the two job templates with example parameters
#                    into $(LAVA_B)/jobs/ (what a lab submits)

LAVA_DIR := lava
LAVA_B ?= build/lava
LAVA_DURATION ?= 3m
LAVA_PATCHED ?= 0

# the validation test: LAVA's own schema (lava-common) and Jinja2
APT_DEPS += lava-common python3-yaml python3-jinja2 python3-voluptuous jq
# make lava-test only: the dispatcher, a host kernel for libguestfs (LAVA
# builds its overlay disk with it), the tools a U-Boot worker has (the
# PineTab2 job's dispatcher validation)
LAVA_APT_DEPS := lava-dispatcher linux-image-amd64 u-boot-tools tftpd-hpa telnet

TESTS += $(LAVA_DIR)/test-jobs $(LAVA_DIR)/test-report
TEST_PREREQS += splat

.PHONY: lava-test lava-test-run lava-jobs

lava-test: ## LAVA: real lava-run QEMU job (bench kernel, level-2 image, LAVA_DURATION soak), results + artifact checked
	@tests/install-deps $(sort $(APT_DEPS) $(LAVA_APT_DEPS))
	@$(MAKE) --no-print-directory lava-test-run

lava-test-run:
	@B=$(LAVA_B) nice -n 10 $(LAVA_DIR)/lava-test --out $(LAVA_B)/lava-test \
		--duration $(LAVA_DURATION) --patched $(LAVA_PATCHED)

lava-jobs: ## LAVA: render lava/jobs/*.jinja2 with example parameters into build/lava/jobs/
	@mkdir -p $(LAVA_B)/jobs
	@/usr/bin/python3 $(LAVA_DIR)/lava-jobs render $(LAVA_DIR)/jobs/qemu-bench.yaml.jinja2 \
		-o $(LAVA_B)/jobs/qemu-bench.yaml -D kernel_url=file:///srv/besser/bzImage \
		-D rootfs_url=file:///srv/besser/rootfs.ext4 -D testdef_repo=https://git.example.org/besser-verify.git
	@/usr/bin/python3 $(LAVA_DIR)/lava-jobs render $(LAVA_DIR)/jobs/pinetab2.yaml.jinja2 \
		-o $(LAVA_B)/jobs/pinetab2-before.yaml -D label=before \
		-D kernel_url=https://files.example.org/before/Image \
		-D dtb_url=https://files.example.org/before/rk3566-pinetab2-v2.0.dtb \
		-D modules_url=https://files.example.org/before/modules.tar.xz \
		-D nfsroot_url=https://files.example.org/pinetab2-root.tar.xz \
		-D testdef_repo=https://git.example.org/besser-verify.git
	@/usr/bin/python3 $(LAVA_DIR)/lava-jobs validate $(LAVA_B)/jobs/*.yaml
