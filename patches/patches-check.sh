#!/usr/bin/env bash
# patches/patches-check.sh: check that the series applies to a kernel tree,
# without modifying the tree.
#
# usage: KSRC=DIR [DRIVER_DIR=drivers/staging/bes2600] patches/patches-check.sh
#   KSRC         the kernel tree the series is meant for (DanctNIX layout)
#   DRIVER_DIR   the driver directory: relative to KSRC (default
#                drivers/staging/bes2600) or absolute (a standalone copy of the
#                driver, laid out as drivers/staging/bes2600 for the check;
#                KSRC is then optional)
#   SERIES       series file (default patches/series; entries are relative to
#                its directory, '#' starts a comment)
#
# The driver directory (and any other file a patch names) is copied to a
# temporary directory and the series applied there in order with
# `patch -p1`, exactly as a PKGBUILD's prepare() would, so each patch is
# checked on top of the ones before it.  One line per patch:
#   applies                 every hunk at its recorded position
#   applies with offset     some hunk moved (lines listed)
#   applies with fuzz       some hunk needed fuzz: context differs, review it
#   applies only ignoring whitespace (patch -l)
#                           the context differs in white space only (a
#                           re-indented file); plain `patch -p1` fails
#   FAILS: file absent ...  a file the patch changes is not in this copy
#   FAILS: <hunks>          some hunk failed: each failed hunk with the
#                           function its header names, the rejected hunks,
#                           and the pointer to `make patches-for`
#   MISSING                 the series names a patch file that does not exist
# A failing patch is left out (the next ones are checked without it); one
# applied with -l stays in.
#
# Exit codes: 0 every patch applies (exactly or with offset), 1 some patch
# fails or is missing, 3 everything applies but some patch needed fuzz or
# applies only ignoring whitespace (review; patches-for makes a clean one),
# 2 usage error, 77 skipped: no KSRC or no driver directory in it.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SERIES=${SERIES:-$top/patches/series}
case "${1:-}" in
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "patches-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

skip() { echo "patches-check: SKIP: $*"; exit 77; }

[ -r "$SERIES" ] || { echo "patches-check: series $SERIES not readable" >&2; exit 2; }
pdir=$(cd "$(dirname "$SERIES")" && pwd)
DRIVER_DIR=${DRIVER_DIR:-drivers/staging/bes2600}
case "$DRIVER_DIR" in
/*) drv=$DRIVER_DIR KSRC=${KSRC:-/nonexistent} ;;
*)
	[ -n "${KSRC:-}" ] || skip "no kernel tree given (KSRC=...): nothing checked"
	[ -d "$KSRC" ] || skip "KSRC=$KSRC does not exist: nothing checked"
	drv=$KSRC/$DRIVER_DIR ;;
esac
[ -d "$drv" ] || skip "driver directory $drv not found (DRIVER_DIR=$DRIVER_DIR): nothing checked"
command -v patch >/dev/null || skip "patch(1) not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/patches-check.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/drivers/staging/bes2600"
cp -a "$drv/." "$work/tree/drivers/staging/bes2600/"

# hunk_func PATCH FILE N: the function named in the header of FILE's Nth hunk
hunk_func() {
	awk -v F="$2" -v N="$3" '
		/^\+\+\+ / { f = $2; sub(/^b\//, "", f); k = 0; next }
		/^@@ / && f == F { if (++k == N) { sub(/^@@ [^@]*@@ ?/, ""); print; exit } }' "$1" |
		sed -nE 's/^.*[^[:alnum:]_]([[:alnum:]_]+)[[:space:]]*\(.*$/\1/p; t; s/^([[:alnum:]_]+)[[:space:]]*\(.*$/\1/p'
}
# try PATCH [patch options]: apply to a scratch copy of the tree; on success
# the copy becomes the tree.  Output in $out, exit status in $prc.
try() {
	local pf=$1
	shift
	rm -rf "$work/try" && cp -a "$work/tree" "$work/try"
	rm -f "$rej"
	out=$( (cd "$work/try" && patch -p1 -N --no-backup-if-mismatch -r "$rej" "$@" <"$pf") 2>&1)
	prc=$?
	if [ $prc -eq 0 ]; then
		rm -rf "$work/tree" && mv "$work/try" "$work/tree"
	fi
}
# GNU patch: "patching file F", "Hunk #N succeeded at L (offset K lines).",
# "Hunk #N succeeded at L with fuzz F.", "Hunk #N FAILED at L."
details() {
	echo "$out" | awk '
		/^patching file / { f = $3; sub(/^drivers\/staging\/bes2600\//, "", f) }
		/^Hunk #[0-9]+ / { line = $0; sub(/^Hunk /, "", line); sub(/\.$/, "", line); printf "%s%s %s", sep, f, line; sep = "; " }'
}

n=0 bad=0 fuzzy=0 ws=0
hint=
[ "$KSRC" = /nonexistent ] || hint=" KSRC=$KSRC"
[ "$DRIVER_DIR" = drivers/staging/bes2600 ] || hint="$hint DRIVER_DIR=$DRIVER_DIR"
while IFS= read -r entry; do
	case "$entry" in '' | '#'*) continue ;; esac
	n=$((n + 1))
	pf=$pdir/$entry
	if [ ! -f "$pf" ]; then
		printf '%d %s MISSING: the series names it, the file does not exist\n' "$n" "$entry"
		bad=$((bad + 1))
		continue
	fi
	# Files outside the driver directory come from KSRC, if there.
	files=$(sed -n 's|^--- a/||p' "$pf" | sed 's/[[:space:]].*//' | sort -u)
	while read -r f; do
		case "$f" in drivers/staging/bes2600/* | '') continue ;; esac
		if [ -f "$KSRC/$f" ] && [ ! -e "$work/tree/$f" ]; then
			mkdir -p "$work/tree/$(dirname "$f")"
			cp -a "$KSRC/$f" "$work/tree/$f"
		fi
	done <<<"$files"
	# A file the patch changes that this copy does not have: say which.
	absent=
	while read -r f; do
		[ -n "$f" ] && [ ! -f "$work/tree/$f" ] && absent="$absent${absent:+, }$f"
	done <<<"$files"
	if [ -n "$absent" ]; then
		printf '%d %s FAILS: file absent from this copy: %s (in %s)\n' "$n" "$entry" "$absent" "$drv"
		bad=$((bad + 1))
		continue
	fi
	rej=$work/$n.rej
	try "$pf"
	if [ $prc -eq 0 ]; then
		if echo "$out" | grep -q ' with fuzz '; then
			printf '%d %s applies with fuzz: %s\n' "$n" "$entry" "$(details)"
			fuzzy=$((fuzzy + 1))
		elif echo "$out" | grep -q '(offset '; then
			printf '%d %s applies with offset: %s\n' "$n" "$entry" "$(details)"
		else
			printf '%d %s applies\n' "$n" "$entry"
		fi
		continue
	fi
	failed=$(details) failout=$out
	cp "$rej" "$work/$n.rej.first" 2>/dev/null
	# Only white space differs?  (patch -l: any run of blanks matches any.)
	try "$pf" -l
	if [ $prc -eq 0 ]; then
		d=$(details)
		[ -n "$d" ] || d=$(echo "$out" | sed -n 's|^patching file drivers/staging/bes2600/||p' | paste -sd ' ')
		printf '%d %s applies only ignoring whitespace (patch -l): %s\n' "$n" "$entry" "$d"
		echo "  the context differs from this copy in white space only (re-indented?); the result is"
		echo "  what the patch means, but \`patch -p1\` as a PKGBUILD runs it fails: make patches-for"
		ws=$((ws + 1))
		continue
	fi
	out=$failout
	printf '%d %s FAILS: %s\n' "$n" "$entry" "${failed:-$(echo "$out" | tail -n 3 | tr '\n' ' ')}"
	echo "$out" | sed -n 's/^Hunk #\([0-9]*\) FAILED at \([0-9]*\).*/\1 \2/p' >"$work/$n.failed"
	# which file each failed hunk belongs to: the last "patching file" before it
	echo "$out" | awk '/^patching file / { f = $3 } /^Hunk #[0-9]+ FAILED/ { h = $2; sub(/^#/, "", h); print f, h }' |
		while read -r f h; do
			fn=$(hunk_func "$pf" "$f" "$h")
			printf '  hunk #%s of %s, in %s: its context is not in this copy\n' "$h" "${f#drivers/staging/bes2600/}" "${fn:-(no function in the hunk header)}"
		done
	if [ -s "$work/$n.rej.first" ]; then
		echo "  rejected hunk(s):"
		sed 's/^/  | /' "$work/$n.rej.first"
	fi
	echo "  this copy differs from the one the patch was written for: \`make patches-for$hint\`"
	echo "  generates the fix for it from its semantic patch (patches/cocci/) and checks it"
	bad=$((bad + 1))
done <"$SERIES"

echo "patches-check: $n patches against $drv: $((n - bad)) apply ($fuzzy with fuzz, $ws only ignoring whitespace), $bad fail; tree not modified"
[ $bad -gt 0 ] && exit 1
[ $((fuzzy + ws)) -gt 0 ] && exit 3
exit 0
