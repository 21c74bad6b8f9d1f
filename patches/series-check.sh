#!/usr/bin/env bash
# patches/series-check.sh: well-formedness of the patch series (no kernel or
# driver source needed; runs in CI).
#
# usage: patches/series-check.sh [SERIES]     (default patches/series)
#
# Checks, printing one line per problem as "FILE: problem":
#   series   every entry exists; no entry twice; every *.patch under the
#            series' driver/ directory is listed; entries of one directory
#            are in their 0001, 0002, ... order and numbered without gaps
#   headers  git format-patch form: "From <40 hex> Mon Sep 17 00:00:00 2001",
#            From:, Date:, Subject: [PATCH...] with a subsystem prefix
#            "bes2600: ", a body, a Signed-off-by: trailer before the "---"
#   diff     `git apply --stat` parses it; it changes at least one file and
#            only files under drivers/staging/bes2600/ (the DanctNIX layout)
#
# Exit codes: 0 well-formed, 1 problems found (listed), 2 usage error.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
esac
SERIES=${1:-${SERIES:-$top/patches/series}}
[ -r "$SERIES" ] || { echo "series-check: $SERIES not readable" >&2; exit 2; }
command -v git >/dev/null || { echo "series-check: git not installed" >&2; exit 2; }
pdir=$(cd "$(dirname "$SERIES")" && pwd)
problems=0
bad() { echo "$1: $2"; problems=$((problems + 1)); }

declare -A listed=()
declare -A lastnum=()
n=0
while IFS= read -r entry; do
	case "$entry" in '' | '#'*) continue ;; esac
	n=$((n + 1))
	case "$entry" in
	*[[:space:]]*) bad "series" "entry '$entry' contains white space (quilt options are not supported)"; continue ;;
	/* | *..*) bad "series" "entry '$entry' must be a relative path below $(basename "$pdir")/"; continue ;;
	esac
	if [ -n "${listed[$entry]:-}" ]; then
		bad "series" "entry '$entry' listed twice"
		continue
	fi
	listed[$entry]=1
	pf=$pdir/$entry
	if [ ! -f "$pf" ]; then
		bad "series" "entry '$entry' does not exist"
		continue
	fi
	# Order and numbering within one patch directory: 0001, 0002, ...
	base=$(basename "$entry")
	dir=$(dirname "$entry")
	if [[ $base =~ ^([0-9]{4})-.+\.patch$ ]]; then
		num=$((10#${BASH_REMATCH[1]}))
		want=$((${lastnum[$dir]:-0} + 1))
		[ "$num" -eq "$want" ] || bad "$entry" "out of order: expected number $(printf %04d $want) in $dir/"
		lastnum[$dir]=$num
	else
		bad "$entry" "name is not NNNN-subject.patch (git format-patch)"
	fi

	# Headers (mail part, up to the first "---" line).
	head1=$(head -n 1 "$pf")
	[[ $head1 =~ ^From\ [0-9a-f]{40}\ Mon\ Sep\ 17\ 00:00:00\ 2001$ ]] ||
		bad "$entry" "first line is not a git format-patch 'From <sha> Mon Sep 17 00:00:00 2001'"
	hdr=$(sed -n '1,/^$/p' "$pf")
	grep -qE '^From: .+ <[^>]+@[^>]+>$' <<<"$hdr" || bad "$entry" "no 'From: Name <email>' header"
	grep -qE '^Date: .+' <<<"$hdr" || bad "$entry" "no 'Date:' header"
	subj=$(sed -n '/^Subject: /,/^[^ ]/p' <<<"$hdr" | sed '$!N;s/\n / /;P;D' | grep '^Subject: ' | head -n 1)
	[[ $subj =~ ^Subject:\ \[PATCH[^]]*\]\ bes2600:\ .+ ]] ||
		bad "$entry" "Subject is not '[PATCH] bes2600: ...' (got '${subj:-none}')"
	msg=$(awk 'f && /^---$/ { exit } f { print } /^$/ && !f { f = 1 }' "$pf")
	[ "$(grep -cv '^[[:space:]]*$' <<<"$msg")" -ge 3 ] || bad "$entry" "commit message body is missing or too short"
	grep -qE '^Signed-off-by: .+ <[^>]+@[^>]+>$' <<<"$msg" || bad "$entry" "no Signed-off-by: trailer in the commit message"
	grep -q '^---$' "$pf" || bad "$entry" "no '---' line between the message and the diff"

	# The diff itself.
	if ! stat=$(git apply --stat "$pf" 2>&1); then
		bad "$entry" "git apply --stat rejects it: $(head -n 1 <<<"$stat")"
		continue
	fi
	grep -qE '[0-9]+ files? changed' <<<"$stat" || bad "$entry" "changes no file"
	while read -r f; do
		case "$f" in
		drivers/staging/bes2600/*) ;;
		*) bad "$entry" "touches '$f', outside drivers/staging/bes2600/" ;;
		esac
	done < <(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$pf")
done <"$SERIES"

[ $n -gt 0 ] || bad "series" "no entries"
# Every patch file present is in the series.
while IFS= read -r f; do
	rel=${f#"$pdir"/}
	[ -n "${listed[$rel]:-}" ] || bad "$rel" "exists but is not listed in $(basename "$SERIES")"
done < <(find "$pdir/driver" -name '*.patch' -type f 2>/dev/null | sort)

if [ $problems -eq 0 ]; then
	echo "series-check: $n patches in $(basename "$SERIES"): well-formed"
	exit 0
fi
echo "series-check: $problems problem(s)"
exit 1
