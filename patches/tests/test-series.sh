#!/usr/bin/env bash
# patches/tests/test-series.sh: the series is well-formed (series-check.sh
# passes on it), and the checker catches each kind of defect, shown on
# mutated copies of the real patches in a temporary directory.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
chk=patches/series-check.sh
fail=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; fail=1; }

out=$($chk 2>&1); rc=$?
[ $rc -eq 0 ] && ok "real series well-formed: $out" || { no "real series (rc $rc):"; echo "$out"; }

# Every patch: `git apply --stat` summary (printed for the log).
while read -r p; do
	case "$p" in '' | '#'*) continue ;; esac
	s=$(git apply --stat "patches/$p" | tail -n 1) && ok "git apply --stat $p: $s" || no "git apply --stat $p"
done <patches/series

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# A fresh copy of the real series per case; $1 = case name, then a mutation.
mk() { rm -rf "$tmp/$1"; mkdir -p "$tmp/$1"; cp -a patches/series patches/driver "$tmp/$1/"; }
p1=$(grep -v '^#' patches/series | sed -n 1p)
p2=$(grep -v '^#' patches/series | sed -n 2p)
expect() { # case expected-message
	out=$($chk "$tmp/$1/series" 2>&1); rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$2" <<<"$out"; then ok "$1: detected ($2)"
	else no "$1: rc $rc, expected message '$2' in:"; echo "$out" | sed 's/^/     /'; fi
}
mk no-signoff; sed -i '/^Signed-off-by:/d' "$tmp/no-signoff/$p1"; expect no-signoff "no Signed-off-by"
mk missing; echo "driver/bes2600/nope/0001-x.patch" >>"$tmp/missing/series"; expect missing "does not exist"
mk unlisted; cp "$tmp/unlisted/$p1" "$tmp/unlisted/driver/bes2600/extra.patch"; expect unlisted "is not listed"
mk twice; echo "$p1" >>"$tmp/twice/series"; expect twice "listed twice"
mk order; d=$(dirname "$p2"); mv "$tmp/order/$p2" "$tmp/order/$d/0002-x.patch"; sed -i "s|$p2|$d/0002-x.patch|" "$tmp/order/series"; expect order "out of order"
mk subject; sed -i 's/^Subject: \[PATCH\] bes2600: /Subject: [PATCH] /' "$tmp/subject/$p1"; expect subject "Subject is not"
mk outside; sed -i 's|drivers/staging/bes2600/tx_loop.c|drivers/net/tx_loop.c|g' "$tmp/outside/$p1"; expect outside "outside drivers/staging/bes2600/"
mk corrupt; sed -i '0,/^@@ .*@@/s//@@ -1,999 +1,999 @@/' "$tmp/corrupt/$p1"; expect corrupt "git apply --stat rejects it"
mk notgit; sed -i '1s/^From [0-9a-f]*/From xyz/' "$tmp/notgit/$p2"; expect notgit "git format-patch 'From"
mk empty; printf '# nothing\n' >"$tmp/empty/series"; rm -rf "$tmp/empty/driver"; expect empty "no entries"
exit $fail
