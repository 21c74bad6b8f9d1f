#!/usr/bin/env bash
# patches/tests/test-patches-for.sh: patches-for.sh and the semantic patches
# on driver shapes of our own (patches/tests/fixtures/shapes/, small C files
# written to differ the ways real copies of the driver do; no driver source).
#   - every shape: the hand-written series does not apply, a series is
#     generated, and the patched copy differs from the shape exactly as
#     <shape>/expected.diff says (which sites became _bh, which stayed plain,
#     where the 5 GHz guard went); topology consistent; series-check passes;
#   - no-pending-record: "nothing to convert" for the lock fix, not a failure;
#   - already-fixed: nothing to convert for both, an empty series, rc 0;
#   - scan-locked-first: the guard is REFUSED (something is acquired before
#     the request is known), rc 1;
#   - a generated series given back as SERIES= is "the hand-written series"
#     and is used as is; the fixtures are never modified.
# Needs spatch (Debian: coccinelle) and splat (build/host/splat); skips (77)
# without spatch.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
command -v spatch >/dev/null || { echo "SKIP: spatch not installed (Debian: coccinelle)"; exit 77; }
command -v patch >/dev/null || { echo "SKIP: patch(1) not installed"; exit 77; }
export SPLAT=${SPLAT:-$PWD/build/host/splat}
[ -x "$SPLAT" ] || { echo "FAIL $SPLAT not built (make splat)"; exit 1; }
pf=$PWD/patches/patches-for.sh
shapes=$PWD/patches/tests/fixtures/shapes
fail=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; fail=1; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
sum_before=$(cd "$shapes" && find . -type f -exec sha256sum {} + | sort)

# run SHAPE [env...]: patches-for on a shape, output in $out, rc in $rc
run() {
	local s=$1
	shift
	out=$(env "$@" DRIVER_DIR="$shapes/$s" OUT="$tmp/out-$s" "$pf" 2>&1)
	rc=$?
}
# patched SHAPE: the shape with OUT's series applied, as a diff like expected.diff
patched() {
	local s=$1 e
	rm -rf "$tmp/d" && mkdir -p "$tmp/d/a" "$tmp/d/b"
	cp "$shapes/$s"/*.c "$tmp/d/a/" && cp "$shapes/$s"/*.c "$tmp/d/b/"
	while read -r e; do
		case "$e" in '' | '#'*) continue ;; esac
		sed 's|drivers/staging/bes2600/||g' "$tmp/out-$s/$e" | patch -s -d "$tmp/d/b" -p1 || return 1
	done <"$tmp/out-$s/series"
	(cd "$tmp/d" && diff -ru a b) | sed -E 's/^(---|\+\+\+) ([^\t]*)\t.*/\1 \2/'
}
has() { grep -qF -- "$1" <<<"$out"; }

for s in ref tabs moved scan-restructured scan-assign extra-queue-lock no-pending-record; do
	run "$s"
	if [ $rc -ne 0 ]; then
		no "$s: rc $rc"
		echo "$out"
		continue
	fi
	has "the hand-written series does not apply as is" || no "$s: did not say why it generates"
	has "topology: " && ! has "NOT consistent" || no "$s: topology line missing or not consistent"
	has "guard: the 5 GHz multi-channel guard is at line" || no "$s: guard position not confirmed"
	if diff -u "$shapes/$s/expected.diff" <(patched "$s") >"$tmp/dd"; then
		ok "$s: generated series gives exactly expected.diff ($(grep -c '^[-+][^-+]' "$shapes/$s/expected.diff") changed lines)"
	else
		no "$s: the generated series differs from expected.diff:"
		sed 's/^/     /' "$tmp/dd"
	fi
done

run no-pending-record
{ has "queue-pending-record-lock-bh: nothing to convert: this copy has no pending_record_lock" &&
	has "scan-5ghz-multichannel-guard: generated" &&
	[ "$(grep -cv '^#' "$tmp/out-no-pending-record/series")" -eq 1 ]; } &&
	ok "no-pending-record: 'nothing to convert', series of the scan fix only" ||
	{ no "no-pending-record: $out"; }

run already-fixed
{ [ $rc -eq 0 ] && has "queue-pending-record-lock-bh: nothing to convert" &&
	has "scan-5ghz-multichannel-guard: nothing to convert" &&
	[ "$(grep -cv '^#' "$tmp/out-already-fixed/series")" -eq 0 ]; } &&
	ok "already-fixed: nothing to convert for both, empty series, rc 0" || { no "already-fixed: rc $rc"; echo "$out"; }

run scan-locked-first
{ [ $rc -eq 1 ] && has "scan-5ghz-multichannel-guard: REFUSED: scan.c: down() at line 15" &&
	has "could not be generated"; } &&
	ok "scan-locked-first: guard REFUSED (down() before the request is known), rc 1" ||
	{ no "scan-locked-first: rc $rc"; echo "$out"; }

# Round trip: the series generated for 'tabs', given as the hand-written one.
cp -a "$tmp/out-tabs" "$tmp/given"
run tabs SERIES="$tmp/given/series"
{ [ $rc -eq 0 ] && has "using the hand-written series: it applies to this copy" &&
	diff -r -x series "$tmp/given" "$tmp/out-tabs" >/dev/null &&
	grep -q '^# (hand-written' "$tmp/out-tabs/series"; } &&
	ok "tabs: its own generated series applies and is used as is" || { no "tabs round trip: rc $rc"; echo "$out"; }

# GENERATE=1 regenerates the same patches (deterministic, same messages).
run tabs SERIES="$tmp/given/series" GENERATE=1
{ [ $rc -eq 0 ] && has "GENERATE=1" && diff -r "$tmp/given" "$tmp/out-tabs" >/dev/null; } &&
	ok "tabs: GENERATE=1 reproduces the generated series byte for byte" || { no "tabs GENERATE=1: rc $rc"; diff -r "$tmp/given" "$tmp/out-tabs"; }

# The messages are the hand-written ones.
e=driver/bes2600/queue-pending-record-lock-bh/0001-bes2600-take-pending_record_lock-with-_bh-to-fix-SOF.patch
if [ -f "$tmp/out-ref/$e" ] &&
	diff <(sed '/^---$/q' "patches/$e") <(sed '/^---$/q' "$tmp/out-ref/$e") >/dev/null; then
	ok "generated patches carry the hand-written From/Date/Subject/message"
else
	no "generated message differs from patches/$e"
fi

# Skips and usage.
out=$(env -u KSRC -u DRIVER_DIR "$pf" 2>&1); rc=$?
[ $rc -eq 77 ] && ok "no KSRC: skip 77" || no "no KSRC: rc $rc"

sum_after=$(cd "$shapes" && find . -type f -exec sha256sum {} + | sort)
[ "$sum_before" = "$sum_after" ] && ok "fixtures not modified" || no "fixtures were modified"
exit $fail
