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
#   FAILS                   some hunk failed; the rejected hunk is printed
#   MISSING                 the series names a file that does not exist
#
# Exit codes: 0 every patch applies (exactly or with offset), 1 some patch
# fails or is missing, 3 everything applies but some hunk needed fuzz,
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

n=0 bad=0 fuzzy=0
while IFS= read -r entry; do
	case "$entry" in '' | '#'*) continue ;; esac
	n=$((n + 1))
	pf=$pdir/$entry
	if [ ! -f "$pf" ]; then
		printf '%d %s MISSING\n' "$n" "$entry"
		bad=$((bad + 1))
		continue
	fi
	# Files outside the driver directory come from KSRC, if there.
	while read -r f; do
		case "$f" in drivers/staging/bes2600/* | /dev/null) continue ;; esac
		if [ -f "$KSRC/$f" ] && [ ! -e "$work/tree/$f" ]; then
			mkdir -p "$work/tree/$(dirname "$f")"
			cp -a "$KSRC/$f" "$work/tree/$f"
		fi
	done < <(sed -n 's|^[-+][-+][-+] [ab]/||p' "$pf" | sed 's/[[:space:]].*//' | sort -u)
	rej=$work/$n.rej
	out=$( (cd "$work/tree" && patch -p1 -N --no-backup-if-mismatch -r "$rej" <"$pf") 2>&1)
	prc=$?
	# GNU patch: "patching file F", "Hunk #N succeeded at L (offset K lines).",
	# "Hunk #N succeeded at L with fuzz F.", "Hunk #N FAILED at L."
	detail=$(echo "$out" | awk '
		/^patching file / { f = $3; sub(/^drivers\/staging\/bes2600\//, "", f) }
		/^Hunk #[0-9]+ / { line = $0; sub(/^Hunk /, "", line); sub(/\.$/, "", line); printf "%s%s %s", sep, f, line; sep = "; " }')
	if [ $prc -ne 0 ]; then
		printf '%d %s FAILS: %s\n' "$n" "$entry" "${detail:-$(echo "$out" | tail -n 3 | tr '\n' ' ')}"
		if [ -s "$rej" ]; then
			echo "  rejected hunk(s):"
			sed 's/^/  | /' "$rej"
		fi
		bad=$((bad + 1))
	elif echo "$out" | grep -q ' with fuzz '; then
		printf '%d %s applies with fuzz: %s\n' "$n" "$entry" "$detail"
		fuzzy=$((fuzzy + 1))
	elif echo "$out" | grep -q '(offset '; then
		printf '%d %s applies with offset: %s\n' "$n" "$entry" "$detail"
	else
		printf '%d %s applies\n' "$n" "$entry"
	fi
done <"$SERIES"

echo "patches-check: $n patches against $drv: $((n - bad)) apply ($fuzzy with fuzz), $bad fail; tree not modified"
[ $bad -gt 0 ] && exit 1
[ $fuzzy -gt 0 ] && exit 3
exit 0
