#!/usr/bin/env bash
# patches/tests/test-driver.sh: the series against the real driver source,
# where one is available: BES2600_SRC=<dir with queue.c, tx_loop.c, scan.c>
# (e.g. the bes2600/ directory of a standalone copy, or a DanctNIX tree's
# drivers/staging/bes2600).  Skips (77) without it: CI has no driver source.
#   1. patches-check: every patch applies (exactly or with offset);
#   2. splat topology on the unpatched source: pending_record_lock has the
#      SOFTIRQ-safe -> unsafe inversion risk, and the sites to convert are
#      exactly the five the first patch converts (bes2600_queue_get_skb x3,
#      bes2600_tx_loop_set_enable x2); queue->lock is _bh everywhere;
#   3. on the patched copy the verdict is consistent (--fail-on-risk: 0);
#   4. splat topology --chains on the patched copy: the chain the README
#      predicts, pending_record_lock (bes2600_tx_loop_set_enable) -> the
#      pending-item callback -> tx_loop_lock, flagged SOFTIRQ-safe -> unsafe;
#   5. where spatch is installed: the semantic patches (patches/cocci/,
#      GENERATE=1 patches-for.sh) reproduce the hand-written series byte for
#      byte (message, diff, blob hashes).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
src=${BES2600_SRC:-}
[ -n "$src" ] || { echo "SKIP: BES2600_SRC not set (no bes2600 driver source here)"; exit 77; }
[ -f "$src/queue.c" ] && [ -f "$src/tx_loop.c" ] && [ -f "$src/scan.c" ] ||
	{ echo "SKIP: BES2600_SRC=$src has no queue.c/tx_loop.c/scan.c"; exit 77; }
command -v patch >/dev/null || { echo "SKIP: patch(1) not installed"; exit 77; }
splat=${SPLAT:-build/host/splat}
fail=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; fail=1; }

out=$(DRIVER_DIR=$(cd "$src" && pwd) patches/patches-check.sh 2>&1); rc=$?
echo "$out" | sed 's/^/     /'
[ $rc -eq 0 ] && ok "patches-check: series applies to $src" || no "patches-check rc $rc"

if [ ! -x "$splat" ]; then
	no "$splat not built (make splat)"
	exit 1
fi
locks=(--lock pending_record_lock --lock 'queue->lock|tx_queue[].lock')
lockline() { grep "\"type\":\"lock\",\"lock\":\"$2\"" <<<"$1"; }

before=$("$splat" topology --json "${locks[@]}" "$src"); rc=$?
[ $rc -eq 0 ] || no "splat topology (unpatched) rc $rc"
prl=$(lockline "$before" pending_record_lock)
grep -q '"status":"inversion-risk"' <<<"$prl" && ok "unpatched: pending_record_lock inversion-risk" ||
	no "unpatched: pending_record_lock verdict: $prl"
convert=$(sed -n 's/.*"convert":\[\([^]]*\)\].*/\1/p' <<<"$prl" | tr -d '"' | tr ',' '\n')
nconv=$(grep -c . <<<"$convert")
# the functions of the sites to convert, from the site objects
funcs=$(for s in $convert; do
	f=${s%:*} l=${s##*:}
	grep "\"type\":\"site\",\"file\":\"$f\",\"line\":$l," <<<"$before" |
		sed -n 's/.*"function":"\([^"]*\)".*/\1/p'
done | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
[ "$nconv" -eq 5 ] && [ "$funcs" = "bes2600_queue_get_skbx3 bes2600_tx_loop_set_enablex2 " ] &&
	ok "unpatched: convert $nconv sites: $(echo $convert) ($funcs)" ||
	no "unpatched: convert list '$(echo $convert)' ($funcs), expected 5 sites in bes2600_queue_get_skb x3, bes2600_tx_loop_set_enable x2"
grep -q '"type":"site".*"function":"bes2600_queue_clear","lock":"pending_record_lock".*"softirqs":"disabled","nested_under":"queue->lock"' <<<"$before" &&
	ok "unpatched: bes2600_queue_clear nests pending_record_lock under queue->lock (_bh)" ||
	no "unpatched: nested site in bes2600_queue_clear not found"
ql=$(lockline "$before" 'queue->lock')
grep -q '"status":"consistent"' <<<"$ql" && grep -q '"softirqs_enabled":0' <<<"$ql" &&
	ok "queue->lock: $(sed -n 's/.*"verdict":"\([^"]*\)".*/\1/p' <<<"$ql"); counts $(sed -n 's/.*"counts":\({[^}]*}\).*/\1/p' <<<"$ql")" ||
	no "queue->lock verdict: $ql"

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/drivers/staging/bes2600"
cp -a "$src/." "$tmp/drivers/staging/bes2600/"
while read -r p; do
	case "$p" in '' | '#'*) continue ;; esac
	(cd "$tmp" && patch -s -p1 <"$OLDPWD/patches/$p") || no "apply $p"
done <patches/series
after=$("$splat" topology --json --fail-on-risk "${locks[@]}" "$tmp/drivers/staging/bes2600"); rc=$?
prl=$(lockline "$after" pending_record_lock)
[ $rc -eq 0 ] && grep -q '"status":"consistent"' <<<"$prl" &&
	ok "patched: pending_record_lock $(sed -n 's/.*"verdict":"\([^"]*\)".*/\1/p' <<<"$prl")" ||
	no "patched: rc $rc, $prl"
# the guard is in bes2600_hw_scan, before anything is acquired
awk '/^int bes2600_hw_scan\(/,/^}/' "$tmp/drivers/staging/bes2600/scan.c" >"$tmp/hw_scan.c"
g=$(grep -n 'req->n_channels > 1' "$tmp/hw_scan.c" | head -1 | cut -d: -f1)
a=$(grep -nE 'down\(|bes2600_pwr_set_busy_event|wsm_vif_lock_tx|spin_lock' "$tmp/hw_scan.c" | head -1 | cut -d: -f1)
[ -n "$g" ] && [ -n "$a" ] && [ "$g" -lt "$a" ] &&
	grep -q 'NL80211_BAND_5GHZ' "$tmp/hw_scan.c" && grep -q -- '-EOPNOTSUPP' "$tmp/hw_scan.c" &&
	ok "patched: 5 GHz multi-channel guard at line $g of bes2600_hw_scan, first acquisition at line $a" ||
	no "patched: guard not before the first acquisition in bes2600_hw_scan (guard '$g', acquire '$a')"
ch=$("$splat" topology --json --chains "${locks[@]}" --lock tx_loop_lock "$tmp/drivers/staging/bes2600" |
	grep '"type":"chain"' | grep '"locks":\["pending_record_lock","tx_loop_lock"\]')
grep -q '"callee":"bes2600_tx_loop_item_pending_item","callback_of":"bes2600_queue_iterate_record_pending_packet"' <<<"$ch" &&
	grep -q '"flags":\["softirq-safe-to-unsafe"\]' <<<"$ch" &&
	ok "patched: chain pending_record_lock -> tx_loop_lock through the pending-item callback, SOFTIRQ-safe -> unsafe (the predicted next report)" ||
	no "patched: predicted chain not found: $ch"
if command -v spatch >/dev/null; then
	out=$(GENERATE=1 DRIVER_DIR=$(cd "$src" && pwd) OUT="$tmp/gen" patches/patches-for.sh 2>&1); rc=$?
	same=1
	while read -r p; do
		case "$p" in '' | '#'*) continue ;; esac
		cmp -s "patches/$p" "$tmp/gen/$p" || { same=0; diff -u "patches/$p" "$tmp/gen/$p" | head -40 | sed 's/^/     /'; }
	done <patches/series
	[ $rc -eq 0 ] && [ $same -eq 1 ] &&
		ok "semantic patches reproduce the hand-written series byte for byte" ||
		{ no "semantic patches vs hand-written series: rc $rc, identical $same"; echo "$out" | sed 's/^/     /'; }
else
	echo "skip semantic patches vs hand-written series: spatch not installed (Debian: coccinelle)"
fi
exit $fail
