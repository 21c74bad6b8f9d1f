#!/usr/bin/env bash
# patches/driver-check.sh: compile the patched bes2600 driver as an external
# module against a kernel tree prepared with the lockdep debug flavor config,
# so a compile error in the series is found before a 40-minute kernel build.
#
# usage: patches/driver-check.sh [--prepare-only]
#   KSRC=DIR         kernel source tree (required).  If it is itself prepared
#                    (.config + include/generated/autoconf.h + scripts/mod/modpost)
#                    it is used as is; otherwise an out-of-tree build directory
#                    is prepared once in $CACHE_DIR (see KOBJ).
#   DRIVER_DIR=DIR   the driver source: relative to KSRC (default
#                    drivers/staging/bes2600, the DanctNIX layout) or absolute
#                    (e.g. a standalone copy of the driver).
#   KOBJ=DIR         an already prepared O= build directory for KSRC
#                    (`make O=KOBJ olddefconfig modules_prepare`).
#   BASE_CONFIG=F    base .config for the prepared tree (default: the DanctNIX
#                    6.12.7 arm64 config in flavors/debug/tests/fixtures/danctnix/)
#   FRAGMENT=F       flavor fragment merged over it (default
#                    flavors/debug/lockdep.config): by flavors/debug/flavor-config
#                    (merge + olddefconfig + kconfig-verify) when
#                    build/flavor/bin/kconfig-verify is built (make flavor-tools),
#                    else by the tree's scripts/kconfig/merge_config.sh here
#   ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-   (defaults)
#   SERIES=F         series file (default patches/series)
#
# What it does: copies the driver to a temporary directory, applies the series
# there (the source tree is never modified), then
#   1. compiles every file the series touches as a single object (always);
#   2. builds the whole module (bes2600.ko, modpost included).
# and reports both.  A full-module failure in files the series does not touch
# (e.g. the public standalone copy is older than the kernel's mac80211 API) is
# reported as "module: FAILS in untouched files" and does not fail the check;
# a failure in a touched file always does.
#
# Exit codes: 0 touched files compile (and the module result is reported),
# 1 a touched file does not compile or the series does not apply,
# 2 usage error, 77 skipped: no kernel tree or no driver source here.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ARCH=${ARCH:-arm64}
CROSS_COMPILE=${CROSS_COMPILE-aarch64-linux-gnu-}
CACHE_DIR=${CACHE_DIR:-/var/cache/besser-verify}
SERIES=${SERIES:-$top/patches/series}
BASE_CONFIG=${BASE_CONFIG:-$top/flavors/debug/tests/fixtures/danctnix/linux-pinetab2-6.12.7-danctnix1.config}
FRAGMENT=${FRAGMENT:-$top/flavors/debug/lockdep.config}
JOBS=${JOBS:-2}
prepare_only=0

case "${1:-}" in
--prepare-only) prepare_only=1 ;;
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "driver-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

skip() { echo "driver-check: SKIP: $*"; exit 77; }
die() { echo "driver-check: $*" >&2; exit 1; }

[ -n "${KSRC:-}" ] || skip "no kernel tree given (KSRC=...; e.g. KSRC=\$(mk/ksrc))"
[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/scripts/kconfig" ] ||
	skip "KSRC=$KSRC is not a kernel source tree"
KSRC=$(cd "$KSRC" && pwd)
DRIVER_DIR=${DRIVER_DIR:-drivers/staging/bes2600}
case "$DRIVER_DIR" in
/*) drv=$DRIVER_DIR ;;
*) drv=$KSRC/$DRIVER_DIR ;;
esac
if [ $prepare_only -eq 0 ]; then
	[ -f "$drv/Makefile" ] && [ -f "$drv/queue.c" ] ||
		skip "driver source not available at $drv (DRIVER_DIR=$DRIVER_DIR; Debian's tree has no bes2600, pass a DanctNIX tree or an absolute DRIVER_DIR)"
fi
command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	skip "${CROSS_COMPILE}gcc not installed (apt-get install gcc-aarch64-linux-gnu)"

kmake() { nice -n 10 make -s -C "$KSRC" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" "$@"; }

# --- the prepared tree ------------------------------------------------------
prepared() { [ -f "$1/.config" ] && [ -f "$1/include/generated/autoconf.h" ] && [ -x "$1/scripts/mod/modpost" ]; }
if [ -n "${KOBJ:-}" ]; then
	prepared "$KOBJ" || die "KOBJ=$KOBJ is not prepared (needs .config, include/generated/autoconf.h, scripts/mod/modpost)"
	how="given KOBJ"
elif prepared "$KSRC"; then
	KOBJ=$KSRC
	how="KSRC is prepared in-tree"
else
	[ -r "$BASE_CONFIG" ] || skip "base config $BASE_CONFIG not readable (BASE_CONFIG=...)"
	[ -r "$FRAGMENT" ] || skip "flavor fragment $FRAGMENT not readable (FRAGMENT=...)"
	# The flavor's own verified configuration step when it is there
	# (flavors/debug/flavor-config + kconfig-verify, `make flavor-tools`);
	# else the same merge done here.  A tree without the driver (Debian's,
	# with the driver built from outside) lacks CONFIG_BES2600*: expected,
	# so flavor-config gets --allow-missing then; the fragment must still
	# survive in full.
	fc=$top/flavors/debug/flavor-config
	verifier=${KCONFIG_VERIFY:-$top/build/flavor/bin/kconfig-verify}
	method=merge_config
	[ -x "$fc" ] && [ -x "$verifier" ] && method=flavor-config
	key=$( { echo "$KSRC $method"; echo "$ARCH $CROSS_COMPILE"; "${CROSS_COMPILE}gcc" --version | head -1
		cat "$BASE_CONFIG" "$FRAGMENT"; } | sha256sum | cut -c1-16)
	KOBJ=$CACHE_DIR/driver-check/kobj-$ARCH-$key
	mkdir -p "$CACHE_DIR/driver-check" || die "cannot create $CACHE_DIR/driver-check"
	exec 9>"$KOBJ.lock"
	flock 9
	if [ -f "$KOBJ/.prepared" ] && prepared "$KOBJ"; then
		how="cached prepared tree, configured by $method"
	else
		echo "driver-check: preparing $KOBJ (base $(basename "$BASE_CONFIG") + $(basename "$FRAGMENT"), ARCH=$ARCH)"
		rm -rf "$KOBJ"
		mkdir -p "$KOBJ"
		start=$(date +%s)
		if [ $method = flavor-config ]; then
			allow=()
			[ -f "$KSRC/drivers/staging/bes2600/Makefile" ] || allow=(--allow-missing)
			"$fc" --base "$BASE_CONFIG" --ksrc "$KSRC" --verifier "$verifier" --out "$KOBJ" \
				--arch "$ARCH" --cross "$CROSS_COMPILE" --fragment "$FRAGMENT" "${allow[@]}" \
				--jobs "$JOBS" >"$KOBJ/flavor-config.log" 2>&1 ||
				{ tail -n 30 "$KOBJ/flavor-config.log"; die "flavor-config failed (log: $KOBJ/flavor-config.log)"; }
			echo "driver-check: config by flavors/debug/flavor-config (verified${allow:+, $allow: the tree has no bes2600})"
		else
			# merge_config.sh -m: merge only; olddefconfig resolves the rest.
			(cd "$KOBJ" && ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE \
				"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" "$BASE_CONFIG" "$FRAGMENT") \
				>"$KOBJ/merge.log" 2>&1 || { cat "$KOBJ/merge.log"; die "merge_config.sh failed"; }
			kmake O="$KOBJ" olddefconfig >"$KOBJ/prepare.log" 2>&1 ||
				{ tail -n 40 "$KOBJ/prepare.log"; die "olddefconfig failed"; }
			echo "driver-check: config by merge_config.sh + olddefconfig (flavor-config/kconfig-verify not built: make flavor-tools)"
		fi
		kmake O="$KOBJ" -j"$JOBS" modules_prepare >>"$KOBJ/prepare.log" 2>&1 ||
			{ tail -n 40 "$KOBJ/prepare.log"; die "modules_prepare failed (log: $KOBJ/prepare.log)"; }
		for sym in CONFIG_PROVE_LOCKING=y CONFIG_LOCKDEP=y CONFIG_DEBUG_LOCK_ALLOC=y; do
			grep -qx "$sym" "$KOBJ/.config" || die "prepared .config lacks $sym"
		done
		touch "$KOBJ/.prepared"
		how="prepared now in $(($(date +%s) - start)) s, configured by $method"
	fi
	flock -u 9
fi
echo "driver-check: kernel $(kmake O="$KOBJ" kernelversion 2>/dev/null) ($how): $KOBJ"
grep -q '^CONFIG_PROVE_LOCKING=y' "$KOBJ/.config" &&
	echo "driver-check: prepared config has CONFIG_PROVE_LOCKING=y" ||
	echo "driver-check: WARNING: prepared config has no CONFIG_PROVE_LOCKING=y (not the debug flavor)"
[ $prepare_only -eq 1 ] && { echo "$KOBJ"; exit 0; }

# --- the patched copy -------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/driver-check.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
dst=$work/drivers/staging/bes2600
mkdir -p "$dst"
cp -a "$drv/." "$dst/"
# The driver's own Makefile builds with `obj-$(BES2600) += bes2600.o` and
# -Werror; both stay as the driver ships them.
touched=()
while read -r p; do
	case "$p" in '' | '#'*) continue ;; esac
	pf=$(dirname "$SERIES")/$p
	(cd "$work" && patch -p1 -s --no-backup-if-mismatch <"$pf") ||
		die "series does not apply to $drv at $p (run: make patches-check)"
	while read -r f; do
		case "$f" in drivers/staging/bes2600/*.c) touched+=("${f#drivers/staging/bes2600/}") ;; esac
	done < <(sed -n 's|^+++ b/||p' "$pf")
done <"$SERIES"
mapfile -t touched < <(printf '%s\n' "${touched[@]}" | sort -u)
echo "driver-check: series applied to a copy; touched files: ${touched[*]}"

rc=0
kb=(O="$KOBJ" M="$dst" BES2600=m)
for f in "${touched[@]}"; do
	o=${f%.c}.o
	if kmake "${kb[@]}" "$o" >"$work/$o.log" 2>&1; then
		echo "driver-check: object $f: COMPILES"
	else
		echo "driver-check: object $f: FAILS"
		sed 's/^/    /' "$work/$o.log" | grep -v '^    $' | head -n 40
		rc=1
	fi
done

# A tree after modules_prepare has no Module.symvers (the kernel itself is
# not built): modpost cannot resolve the kernel's exports, so unresolved
# symbols are warnings then, and said so.
modpost_note=""
if [ ! -s "$KOBJ/Module.symvers" ]; then
	kb+=(KBUILD_MODPOST_WARN=1)
	modpost_note=" (no Module.symvers in the prepared tree: kernel symbols not resolved by modpost)"
fi
if kmake "${kb[@]}" -j"$JOBS" -k modules >"$work/module.log" 2>&1 && [ -f "$dst/bes2600.ko" ]; then
	echo "driver-check: module bes2600.ko: BUILDS ($(du -k "$dst/bes2600.ko" | cut -f1) KiB)$modpost_note"
	echo "driver-check: checked: touched objects + whole module"
else
	failing=$(grep -oE "^[^ :]*/(drivers/staging/bes2600/)?[A-Za-z0-9_]+\.c:[0-9]+:[0-9]+: error" "$work/module.log" |
		sed -E 's|.*/([A-Za-z0-9_]+\.c):.*|\1|' | sort -u | tr '\n' ' ')
	bad_touched=""
	for f in "${touched[@]}"; do
		case " $failing " in *" $f "*) bad_touched+="$f " ;; esac
	done
	if [ -n "$bad_touched" ]; then
		echo "driver-check: module bes2600.ko: FAILS in touched files: $bad_touched"
		rc=1
	else
		echo "driver-check: module bes2600.ko: FAILS in untouched files only: ${failing:-(no compiler error; log below)}"
		[ -n "$failing" ] &&
			echo "driver-check: (this driver copy does not match this kernel's API: the module is checked only where the tree's driver matches the kernel)"
	fi
	if [ -n "$failing" ]; then
		grep -E "error:" "$work/module.log" | sed "s|$work/||" | head -n 20 | sed 's/^/    /'
	else
		grep -vE '^\s*\|' "$work/module.log" | sed "s|$work/||" | tail -n 20 | sed 's/^/    /'
	fi
	echo "driver-check: checked: touched objects only (whole module did not build)"
fi
exit $rc
