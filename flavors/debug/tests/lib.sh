# Shared helpers of the flavors/debug shell tests (sourced, not run).
# Tests run from the repository root (or $SPLAT_TOP); they exit 0 pass,
# 77 skip (with the reason on the last line), anything else fail.
top=${SPLAT_TOP:-$PWD}
cd "$top" || exit 1
fixture=flavors/debug/tests/fixtures/danctnix/linux-pinetab2-6.12.7-danctnix1.config
failures=0
skip() { echo "skip: $*"; exit 77; }
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failures=$((failures + 1)); }
# expect DESCRIPTION FILE REGEX: FILE has a line matching REGEX (grep -E)
expect() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else
		bad "$1: no line matching /$3/ in $2"; sed 's/^/     | /' "$2" | head -40; fi
}
expect_not() {
	if grep -qE -- "$3" "$2"; then bad "$1: unexpected /$3/ in $2"; else ok "$1"; fi
}
need_ksrc() {
	[ -r /usr/src/linux-source-6.12.tar.xz ] || [ -n "${KSRC_TARBALL:-}" ] ||
		skip "no kernel source: apt-get install linux-source-6.12"
	KSRC=$(mk/ksrc) || skip "mk/ksrc could not extract the kernel source"
	export KSRC
	local t
	for t in make gcc bison flex bc; do
		command -v $t >/dev/null || skip "$t missing: make deps"
	done
}
need_cross() {
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		skip "aarch64-linux-gnu-gcc missing: apt-get install gcc-aarch64-linux-gnu"
}
need_fixture() { [ -r "$fixture" ] || skip "$fixture missing"; }
need_verifier() { [ -x build/flavor/bin/kconfig-verify ] || make -s flavor-tools >/dev/null || exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/flavor-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
finish() {
	[ "$failures" -eq 0 ] && { echo "all checks passed"; exit 0; }
	echo "$failures check(s) failed"; exit 1
}
