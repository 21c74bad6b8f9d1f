#!/usr/bin/env bash
# patches/patches-for.sh: a patch series that fits the driver copy the user
# actually builds, checked.
#
# usage: KSRC=DIR [DRIVER_DIR=drivers/staging/bes2600] [OUT=DIR] patches/patches-for.sh
#   KSRC, DRIVER_DIR  as for patches-check.sh (an absolute DRIVER_DIR is a
#                standalone copy; KSRC is then optional)
#   OUT          where the series goes (default build/patches-for): OUT/series
#                and OUT/driver/bes2600/<fix>/0001-*.patch, the layout of
#                patches/, so `make flavor-build SERIES=OUT/series` and
#                `make flavor-pkg SERIES=OUT/series` take it as they take ours
#   SERIES       the hand-written series (default patches/series)
#   SPLAT        the splat binary (default build/host/splat)
#   KOBJ         a prepared O= tree for driver-check (else driver-check runs
#                only when KSRC itself is prepared)
#   GENERATE=1   generate from the semantic patches even when the
#                hand-written series applies (to compare the two)
#
# 1. patches-check: when the hand-written series applies (exactly or at an
#    offset), OUT gets it unchanged: "using the hand-written series".
# 2. Otherwise every fix is generated from its semantic patch
#    (patches/cocci/*.cocci, the one whose "// Series:" line names the fix's
#    directory): spatch on a git copy of the driver, committed with the
#    hand-written patch's author, date and message, `git format-patch`.
#    Per fix: "generated", "nothing to convert (why)" (left out of the
#    series), or "REFUSED (why)" (the semantic patch found no safe place).
# 3. The result is applied to a copy and checked: `splat topology` must say
#    consistent for pending_record_lock (or find no such lock), the 5 GHz
#    guard must come before the first acquisition in bes2600_hw_scan; then
#    series-check.sh on OUT; then driver-check where a prepared tree is at
#    hand.
#
# Exit codes: 0 OUT/series is ready and checked, 1 a fix could not be made
# or a check failed, 2 usage error, 77 skipped: no driver source, or spatch
# (Debian: coccinelle) needed and not installed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SERIES=${SERIES:-$top/patches/series}
OUT=${OUT:-$top/build/patches-for}
SPLAT=${SPLAT:-$top/build/host/splat}
cocci_dir=$top/patches/cocci
case "${1:-}" in
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "patches-for: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { echo "patches-for: $*"; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "FAILED: $*"; exit 1; }

[ -r "$SERIES" ] || { echo "patches-for: series $SERIES not readable" >&2; exit 2; }
pdir=$(cd "$(dirname "$SERIES")" && pwd)
DRIVER_DIR=${DRIVER_DIR:-drivers/staging/bes2600}
case "$DRIVER_DIR" in
/*) drv=$DRIVER_DIR ;;
*)
	[ -n "${KSRC:-}" ] || skip "no kernel tree given (KSRC=...): nothing done"
	drv=$KSRC/$DRIVER_DIR ;;
esac
[ -d "$drv" ] || skip "driver directory $drv not found (DRIVER_DIR=$DRIVER_DIR): nothing done"
drv=$(cd "$drv" && pwd)
command -v git >/dev/null || skip "git not installed"
command -v patch >/dev/null || skip "patch(1) not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/patches-for.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mapfile -t entries < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$SERIES")
[ ${#entries[@]} -gt 0 ] || die "$SERIES lists no patch"

# --- 1. does the hand-written series apply? ---------------------------------
say "driver: $drv"
check=$(SERIES=$SERIES KSRC=${KSRC:-} DRIVER_DIR=$drv "$top/patches/patches-check.sh" 2>&1)
crc=$?
sed 's/^/  | /' <<<"$check"
rm -rf "$OUT"
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
made=()
if [ $crc -eq 0 ] && [ "${GENERATE:-0}" != 1 ]; then
	mode=hand-written
	say "using the hand-written series: it applies to this copy"
	for e in "${entries[@]}"; do
		mkdir -p "$OUT/$(dirname "$e")" && cp "$pdir/$e" "$OUT/$e" && made+=("$e")
	done
else
	# --- 2. generate from the semantic patches ---------------------------
	mode=generated
	command -v spatch >/dev/null ||
		skip "the hand-written series does not apply (patches-check rc $crc) and spatch is not installed (Debian: coccinelle): nothing generated"
	if [ $crc -eq 0 ]; then
		say "GENERATE=1: generating the series from the semantic patches although the hand-written one applies"
	else
		say "the hand-written series does not apply as is (patches-check rc $crc): generating it from the semantic patches"
	fi
	g=$work/git
	gd=$g/drivers/staging/bes2600
	mkdir -p "$gd" && cp -a "$drv/." "$gd/"
	gitc() { git -C "$g" -c user.name=patches-for -c user.email=patches-for@localhost \
		-c core.autocrlf=false -c commit.gpgsign=false "$@"; }
	gitc init -q && gitc add -A && gitc commit -q -m "driver as found" || die "git copy of the driver failed"
	bad=0
	for e in "${entries[@]}"; do
		fixdir=$(dirname "$e")
		name=$(basename "$fixdir")
		cocci=$(grep -l -x "// Series: $fixdir" "$cocci_dir"/*.cocci 2>/dev/null | head -n 1)
		if [ -z "$cocci" ]; then
			say "$name: REFUSED: no semantic patch names $fixdir (// Series: line in patches/cocci/*.cocci)"
			bad=$((bad + 1))
			continue
		fi
		# What the semantic patch needs, from its header.
		requires=$(sed -n 's|^// Requires: ||p' "$cocci")
		absent=$(sed -n 's|^// Absent-means-nothing: ||p' "$cocci")
		if [ -n "$absent" ] && ! grep -rqw -- "$absent" "$gd"; then
			say "$name: nothing to convert: this copy has no $absent ($(basename "$cocci"))"
			continue
		fi
		if [ -n "$requires" ] && ! grep -rqw -- "$requires" "$gd"; then
			say "$name: REFUSED: this copy has no $requires ($(basename "$cocci"))"
			bad=$((bad + 1))
			continue
		fi
		errf=$work/$name.err
		spatch --very-quiet --smpl-spacing --no-includes --include-headers -D patch \
			--sp-file "$cocci" --dir "$gd" --in-place >"$work/$name.out" 2>"$errf"
		src=$?
		refused=$(grep 'REFUSED' "$errf" | sed -e "s|$gd/||g" -e 's/^[^:]*: REFUSED: //')
		if [ $src -ne 0 ] || [ -n "$refused" ]; then
			say "$name: REFUSED: ${refused:-spatch rc $src: $(tail -n 3 "$errf" | tr '\n' ' ')}"
			gitc checkout -q -- . 
			bad=$((bad + 1))
			continue
		fi
		# spatch 1.1.1 --smpl-spacing counts a tab as one column in added
		# continuation lines: put the kernel indentation back where a
		# semantic patch says how ("// Respace: s/…/…/" lines, sed).
		sed -n 's|^// Respace: ||p' "$cocci" >"$work/$name.sed"
		if [ -s "$work/$name.sed" ]; then
			gitc diff --name-only | while read -r f; do sed -i -f "$work/$name.sed" "$g/$f"; done
		fi
		if gitc diff --quiet; then
			say "$name: nothing to convert: $(basename "$cocci") finds no site (already converted?)"
			continue
		fi
		# The hand-written patch's author, date and message.
		pf=$pdir/$e
		git mailinfo "$work/msg" "$work/patch" <"$pf" >"$work/info" || die "$e: git mailinfo failed"
		subject=$(sed -n 's/^Subject: //p' "$work/info")
		{ echo "$subject"; echo; cat "$work/msg"; } >"$work/commitmsg"
		GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$work/info") \
			GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$work/info") \
			GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$work/info") \
			gitc commit -q -a -F "$work/commitmsg" || die "$e: git commit failed"
		mkdir -p "$OUT/$fixdir"
		gitc format-patch -q -1 --zero-commit --no-signature --stdout >"$OUT/$e" || die "$e: git format-patch failed"
		made+=("$e")
		say "$name: generated from $(basename "$cocci"): $(gitc show --stat --format= HEAD | tail -n 1 | sed 's/^ *//')"
	done
	[ $bad -eq 0 ] || die "$bad fix(es) could not be generated for this copy (see REFUSED above); OUT not usable"
fi
{
	echo "# bes2600 fixes for $drv"
	echo "# ($mode by patches/patches-for.sh; entries relative to this directory)"
	for e in "${made[@]}"; do echo "$e"; done
} >"$OUT/series"

# --- 3. check the result -----------------------------------------------------
t=$work/check
mkdir -p "$t/drivers/staging/bes2600" && cp -a "$drv/." "$t/drivers/staging/bes2600/"
for e in "${made[@]}"; do
	(cd "$t" && patch -s -p1 --no-backup-if-mismatch <"$OUT/$e") >/dev/null 2>&1 || die "$e does not apply to the copy it was made for"
done
fail=0
if [ -x "$SPLAT" ]; then
	topo=$("$SPLAT" topology --json --lock pending_record_lock --lock 'queue->lock|tx_queue[].lock' \
		"$t/drivers/staging/bes2600" 2>&1)
	st=$(grep '"type":"lock","lock":"pending_record_lock"' <<<"$topo" | sed -n 's/.*"status":"\([^"]*\)".*/\1/p')
	case "$st" in
	consistent) say "topology: pending_record_lock consistent after the series (splat topology)" ;;
	not-found) say "topology: this copy has no pending_record_lock (splat topology: not-found)" ;;
	*) say "topology: pending_record_lock is '${st:-?}' after the series: NOT consistent"
	   grep '"type":"lock","lock":"pending_record_lock"' <<<"$topo" | sed 's/^/  | /'
	   fail=1 ;;
	esac
else
	say "topology: NOT checked: $SPLAT not built (make splat)"
	fail=1
fi
scan=$t/drivers/staging/bes2600/scan.c
if [ -f "$scan" ] && grep -q '^int bes2600_hw_scan(' "$scan"; then
	awk '/^int bes2600_hw_scan\(/,/^}/' "$scan" >"$work/hw_scan.c"
	gl=$(grep -n 'n_channels > 1' "$work/hw_scan.c" | head -n 1 | cut -d: -f1)
	al=$(grep -nE '(^|[^_[:alnum:]])(down|mutex_lock|spin_lock[_a-z]*|bes2600_pwr_set_busy_event|wsm_vif_lock_tx|wsm_lock_tx[_a-z]*)\(' \
		"$work/hw_scan.c" | head -n 1 | cut -d: -f1)
	if [ -n "$gl" ] && { [ -z "$al" ] || [ "$gl" -lt "$al" ]; }; then
		say "guard: the 5 GHz multi-channel guard is at line $gl of bes2600_hw_scan, the first acquisition at ${al:-none}"
	else
		say "guard: NOT before the first acquisition in bes2600_hw_scan (guard line '${gl:-none}', first acquisition '${al:-none}')"
		fail=1
	fi
fi
if [ ${#made[@]} -gt 0 ]; then
	cs=$("$top/patches/series-check.sh" "$OUT/series" 2>&1) || { say "series-check: $cs"; fail=1; }
	[ $fail -ne 0 ] || say "series-check: ${cs#series-check: }"
fi
if [ -n "${KOBJ:-}" ] || { [ -n "${KSRC:-}" ] && [ -f "$KSRC/include/generated/autoconf.h" ]; }; then
	if [ ${#made[@]} -gt 0 ]; then
		env SERIES="$OUT/series" KSRC="${KSRC:-}" DRIVER_DIR="$drv" ${KOBJ:+KOBJ="$KOBJ"} \
			"$top/patches/driver-check.sh" 2>&1 | sed 's/^/  | /'
		[ "${PIPESTATUS[0]}" -eq 0 ] || { say "driver-check: FAILED"; fail=1; }
	fi
else
	say "driver-check: not run (no prepared tree: give KOBJ=<O= dir after modules_prepare>)"
fi
[ $fail -eq 0 ] || die "the series in $OUT did not pass its checks"
if [ ${#made[@]} -eq 0 ]; then
	say "$OUT/series: no patch: this copy needs none of the fixes; build it as it is (SERIES=none)"
else
	say "$OUT/series: ${#made[@]} patch(es), $mode; build with: make flavor-build SERIES=$OUT/series (or make flavor-pkg SERIES=$OUT/series)"
fi
exit 0
