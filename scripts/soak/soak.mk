# scripts/soak: the besser-soak workload, its systemd unit, config, PKGBUILD.
#
# besser-soak is built from scripts/soak/src/*.c into $(B)/besser-soak (see
# mk/common.mk for the variants).  Tests: cmocka unit tests of the scheduler,
# config, op classification and logging (tests/test_*.c, linked with the
# workload objects), a run test driving the real binary against stand-in
# iw/nmcli/wpa_cli/ping scripts (tests/stubs/), systemd-analyze verify of
# the installed unit, makepkg --printsrcinfo of the PKGBUILD and a makepkg
# build (build, check, package) of the committed HEAD.

SOAK_DIR := scripts/soak
SOAK_SRCS := $(sort $(wildcard $(SOAK_DIR)/src/*.c))
SOAK_LIB_SRCS := $(filter-out $(SOAK_DIR)/src/main.c,$(SOAK_SRCS))
SOAK_TEST_SRCS := $(sort $(wildcard $(SOAK_DIR)/tests/test_*.c))
SOAK_TEST_NAMES := $(patsubst $(SOAK_DIR)/tests/%.c,%,$(SOAK_TEST_SRCS))

# libcrypto: the bundle's file hashes (SHA-256, as splat computes them)
SOAK_PKGS := json-c libcrypto libsystemd zlib
# -iquote: our "sched.h" must not stand in for the system's <sched.h>
# (which libcrypto's headers include through <pthread.h>)
# splat's public headers: the names in watch.state (SPLAT_PATTERN_BUILTIN)
SOAK_CFLAGS := $(BASE_CFLAGS) -iquote $(SOAK_DIR)/src \
	-I scripts/parse-splat/include \
	$(shell $(PKG_CONFIG) --cflags $(SOAK_PKGS) 2>/dev/null)
SOAK_LIBS := $(shell $(PKG_CONFIG) --libs $(SOAK_PKGS) 2>/dev/null || \
	echo -ljson-c -lcrypto -lsystemd -lz)

SOAK_OBJS := $(patsubst $(SOAK_DIR)/src/%.c,$(B)/soak/obj/%.o,$(SOAK_SRCS))
SOAK_LIB_OBJS := $(patsubst $(SOAK_DIR)/src/%.c,$(B)/soak/obj/%.o,$(SOAK_LIB_SRCS))
SOAK_BIN := $(B)/besser-soak
SOAK_TEST_BINS := $(addprefix $(B)/soak/tests/,$(SOAK_TEST_NAMES))

$(B)/soak/obj/%.o: $(SOAK_DIR)/src/%.c
	@mkdir -p $(@D)
	$(CC) $(SOAK_CFLAGS) -c -o $@ $<

$(B)/soak/obj/tests/%.o: $(SOAK_DIR)/tests/%.c
	@mkdir -p $(@D)
	$(CC) $(SOAK_CFLAGS) -c -o $@ $<

$(SOAK_BIN): $(SOAK_OBJS)
	$(CC) $(BASE_LDFLAGS) -o $@ $(SOAK_OBJS) $(SOAK_LIBS)

$(B)/soak/tests/%: $(B)/soak/obj/tests/%.o $(SOAK_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BASE_LDFLAGS) -o $@ $< $(SOAK_LIB_OBJS) $(SPLAT_TEST_LIBS) $(SOAK_LIBS)

.PHONY: soak soak-tests soak-variants install-soak bench-watch
soak: $(SOAK_BIN) ## build the besser-soak workload
soak-tests: $(SOAK_TEST_BINS) $(SOAK_BIN)

# Tests run the sanitizer build (the run test drives build/san/besser-soak
# with build/host/splat as its watcher); the aarch64 build is compiled to
# catch what only the tablet's compiler and libraries would.
soak-variants: splat-variants
	$(MAKE) --no-print-directory SAN=0 CROSS_COMPILE= soak
	$(MAKE) --no-print-directory SAN=1 CROSS_COMPILE= soak-tests
	$(MAKE) --no-print-directory SAN=0 CROSS_COMPILE=aarch64-linux-gnu- soak

TEST_PREREQS += soak-variants
TESTS += $(addprefix build/san/soak/tests/,$(SOAK_TEST_NAMES)) \
	$(SOAK_DIR)/tests/unit-verify.sh \
	$(SOAK_DIR)/tests/pkgbuild-srcinfo.sh \
	$(SOAK_DIR)/tests/pkgbuild-build.sh
APT_DEPS += libsystemd-dev zlib1g-dev libssl-dev libsystemd-dev:arm64 zlib1g-dev:arm64 \
	libssl-dev:arm64 \
	systemd makepkg fakeroot git util-linux
BENCHES += bench-watch

# splat watch overhead: CPU time per hour at 10 and 1000 records/s, fed
# through a FIFO (BENCH_WATCH_SECS seconds each).
BENCH_WATCH_SECS ?= 30
$(B)/soak/bench_watch: $(SOAK_DIR)/tests/bench_watch.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -o $@ $<
bench-watch: splat $(B)/soak/bench_watch ## splat watch CPU overhead at 10 and 1000 records/s
	$(B)/soak/bench_watch $(SPLAT_BIN) 10 $(BENCH_WATCH_SECS)
	$(B)/soak/bench_watch $(SPLAT_BIN) 1000 $(BENCH_WATCH_SECS)

# Install: binaries, the unit (paths follow BINDIR), the default config
# only if none is there (never overwrite the operator's).
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
DOCDIR ?= $(PREFIX)/share/doc/besser-soak
install-soak: $(SOAK_BIN)
	install -D -m 0755 $(SOAK_BIN) $(DESTDIR)$(BINDIR)/besser-soak
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	sed -e 's|/usr/bin/besser-soak|$(BINDIR)/besser-soak|g' \
		-e 's|/etc/besser-soak.conf|$(SYSCONFDIR)/besser-soak.conf|g' \
		-e 's|/usr/share/doc/besser-soak|$(DOCDIR)|g' \
		$(SOAK_DIR)/besser-soak@.service \
		>$(DESTDIR)$(SYSTEMD_UNITDIR)/besser-soak@.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/besser-soak@.service
	install -D -m 0644 $(SOAK_DIR)/README.md $(DESTDIR)$(DOCDIR)/README.md
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/besser-soak.conf ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/besser-soak.conf"; \
	else \
		install -D -m 0644 $(SOAK_DIR)/besser-soak.conf \
			$(DESTDIR)$(SYSCONFDIR)/besser-soak.conf; \
	fi
install: install-soak

-include $(SOAK_OBJS:.o=.d)
