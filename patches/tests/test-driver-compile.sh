#!/usr/bin/env bash
# patches/tests/test-driver-compile.sh: `driver-check` on the real driver
# source, where available: BES2600_SRC=<driver dir> and a kernel tree
# (KSRC=..., else Debian's linux-source-6.12 via mk/ksrc).  The files the
# series touches must compile against the lockdep-prepared tree; the
# whole-module result is reported either way.  Skips (77) without driver
# source, kernel source or cross compiler.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
src=${BES2600_SRC:-}
[ -n "$src" ] && [ -f "$src/queue.c" ] ||
	{ echo "SKIP: BES2600_SRC not set or has no queue.c (no bes2600 driver source here)"; exit 77; }
if [ -z "${KSRC:-}" ]; then
	KSRC=$(mk/ksrc 2>/dev/null) || { echo "SKIP: no KSRC and no linux-source-6.12 (mk/ksrc failed)"; exit 77; }
fi
out=$(KSRC=$KSRC DRIVER_DIR=$(cd "$src" && pwd) patches/driver-check.sh 2>&1); rc=$?
echo "$out"
[ $rc -eq 77 ] && { echo "SKIP: $(grep SKIP <<<"$out" | tail -n 1)"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: driver-check rc $rc"; exit 1; }
for f in $(grep -oE '^\+\+\+ b/drivers/staging/bes2600/[a-z_0-9]+\.c' patches/driver/bes2600/*/*.patch | sed 's|.*/||' | sort -u); do
	grep -q "^driver-check: object $f: COMPILES$" <<<"$out" || { echo "FAIL: $f not reported as compiling"; exit 1; }
done
grep -q '^driver-check: prepared config has CONFIG_PROVE_LOCKING=y' <<<"$out" || { echo "FAIL: not a lockdep-prepared tree"; exit 1; }
echo "# $(grep '^driver-check: checked:' <<<"$out")"

# And it must catch a compile error in a touched file.
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/." "$tmp/"
printf '\nstatic int driver_check_selftest = undeclared_symbol;\n' >>"$tmp/queue.c"
out=$(KSRC=$KSRC DRIVER_DIR=$tmp patches/driver-check.sh 2>&1); rc=$?
if [ $rc -eq 1 ] && grep -q '^driver-check: object queue.c: FAILS$' <<<"$out"; then
	echo "ok   a broken queue.c is reported: FAILS, exit 1"
else
	echo "$out"; echo "FAIL: broken queue.c not caught (rc $rc)"; exit 1
fi
exit 0
