#!/usr/bin/env bash
# patches/tests/test-patches-check.sh: patches-check.sh classifies each patch
# (applies / offset / fuzz / FAILS with the rejected hunk / MISSING), exits
# with the documented code, skips (77) without a tree, and never modifies the
# tree.  Synthetic tree and patches of our own, made in a temporary directory.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
command -v patch >/dev/null || { echo "SKIP: patch(1) not installed"; exit 77; }
chk=$PWD/patches/patches-check.sh
fail=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; fail=1; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

drv=$tmp/ksrc/drivers/staging/bes2600
mkdir -p "$drv"
seq -f 'line %g;' 1 60 >"$drv/demo.c"
printf 'int other;\n' >"$drv/other.c"
sum_before=$(cd "$tmp/ksrc" && find . -type f -exec sha256sum {} + | sort)

mkp() { # name: diff of a/FILE -> b/FILE, edited by sed expression $3 on base $2
	mkdir -p "$tmp/p/a/drivers/staging/bes2600" "$tmp/p/b/drivers/staging/bes2600" "$tmp/s/d"
	printf '%s\n' "$2" >"$tmp/p/a/drivers/staging/bes2600/demo.c"
	sed "$3" "$tmp/p/a/drivers/staging/bes2600/demo.c" >"$tmp/p/b/drivers/staging/bes2600/demo.c"
	(cd "$tmp/p" && diff -u a/drivers/staging/bes2600/demo.c b/drivers/staging/bes2600/demo.c) >"$tmp/s/d/$1.patch"
}
base=$(cat "$drv/demo.c")
mkp clean "$base" 's/^line 10;$/line 10 changed;/'
# made against a file with three more lines at the top: applies at an offset
mkp offset "$(printf 'x;\ny;\nz;\n%s' "$base")" 's/^line 30;$/line 30 changed;/'
# one context line differs from the tree: needs fuzz
mkp fuzz "$(sed 's/^line 48;$/line 48 (old);/' <<<"$base")" 's/^line 50;$/line 50 changed;/'
# removes a line the tree does not have: fails
mkp fails "$(sed 's/^line 20;$/line 20 nowhere;/' <<<"$base")" 's/^line 20 nowhere;$/line 20 changed;/'

run() { out=$(SERIES=$tmp/s/series "$@" 2>&1); rc=$?; }
printf 'd/clean.patch\nd/offset.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 0 ] && grep -q '^1 d/clean.patch applies$' <<<"$out" &&
	grep -q '^2 d/offset.patch applies with offset: demo.c #1 succeeded at 27 (offset -3 lines)' <<<"$out"; } &&
	ok "clean + offset: rc 0" || { no "clean + offset: rc $rc"; echo "$out"; }

printf 'd/clean.patch\nd/fuzz.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 3 ] && grep -q '^2 d/fuzz.patch applies with fuzz: demo.c #1 succeeded at 47 with fuzz 2' <<<"$out"; } &&
	ok "fuzz: rc 3" || { no "fuzz: rc $rc"; echo "$out"; }

printf '# comment\nd/clean.patch\nd/fails.patch\nd/gone.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 1 ] && grep -q '^2 d/fails.patch FAILS: demo.c #1 FAILED at 17' <<<"$out" &&
	grep -q '^  | -line 20 nowhere;' <<<"$out" && grep -q '^3 d/gone.patch MISSING' <<<"$out" &&
	grep -q '3 patches .* 1 apply (0 with fuzz, 0 only ignoring whitespace), 2 fail' <<<"$out" &&
	grep -q '^  this copy differs .*make patches-for KSRC=' <<<"$out"; } &&
	ok "fails + missing: rc 1, rejected hunk shown" || { no "fails + missing: rc $rc"; echo "$out"; }

# A file the patch changes is absent from the copy: named.
mkdir -p "$tmp/s/d"
sed 's|bes2600/demo.c|bes2600/tx_loop.c|g' "$tmp/s/d/clean.patch" >"$tmp/s/d/absent.patch"
printf 'd/absent.patch\nd/clean.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 1 ] && grep -q '^1 d/absent.patch FAILS: file absent from this copy: drivers/staging/bes2600/tx_loop.c' <<<"$out" &&
	grep -q '^2 d/clean.patch applies$' <<<"$out"; } &&
	ok "absent file named, rc 1" || { no "absent file: rc $rc"; echo "$out"; }

# White space only (the tree's copy re-indented): "applies only ignoring
# whitespace (patch -l)", rc 3, and the next patch is checked on top of it.
cat >"$drv/ws.c" <<'EOC'
void demo_enable(int *lock)
{
	int i;

	for (i = 0; i < 4; i++)
		demo_iterate(i);
	demo_lock(lock);
	demo_walk();
	demo_unlock(lock);
}
EOC
mkdir -p "$tmp/w/a/drivers/staging/bes2600" "$tmp/w/b/drivers/staging/bes2600"
sed 's/^\t\t/                /; s/^\t\\(demo_walk\\)/        \\1/' "$drv/ws.c" >"$tmp/w/a/drivers/staging/bes2600/ws.c"
sed 's/demo_lock(/demo_lock_bh(/; s/demo_unlock(/demo_unlock_bh(/' "$tmp/w/a/drivers/staging/bes2600/ws.c" >"$tmp/w/b/drivers/staging/bes2600/ws.c"
(cd "$tmp/w" && diff -up a/drivers/staging/bes2600/ws.c b/drivers/staging/bes2600/ws.c) >"$tmp/s/d/ws.patch"
# a patch made against the tree's own white space, for a function: fails
sed 's/demo_walk();/demo_walk(1);/' "$drv/ws.c" >"$tmp/w/a/drivers/staging/bes2600/ws.c"
sed 's/demo_walk(1);/demo_walk(2);/' "$tmp/w/a/drivers/staging/bes2600/ws.c" >"$tmp/w/b/drivers/staging/bes2600/ws.c"
(cd "$tmp/w" && diff -up a/drivers/staging/bes2600/ws.c b/drivers/staging/bes2600/ws.c) >"$tmp/s/d/func.patch"
printf 'd/ws.patch\nd/clean.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 3 ] && grep -q '^1 d/ws.patch applies only ignoring whitespace (patch -l): ws.c$' <<<"$out" &&
	grep -q '^2 d/clean.patch applies$' <<<"$out" &&
	grep -q '1 only ignoring whitespace), 0 fail' <<<"$out"; } &&
	ok "whitespace-only: 'applies only ignoring whitespace (patch -l)', rc 3" || { no "whitespace-only: rc $rc"; echo "$out"; }
# the whitespace-only patch really needs -l: plain patch fails on it
(cd "$tmp/ksrc" && patch -p1 --dry-run -s <"$tmp/s/d/ws.patch" >/dev/null 2>&1) &&
	no "ws.patch applies without -l: the case tests nothing" || ok "ws.patch fails without -l"
printf 'd/func.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
{ [ $rc -eq 1 ] && grep -q '^1 d/func.patch FAILS: ws.c #1 FAILED' <<<"$out" &&
	grep -q '^  hunk #1 of ws.c, in demo_enable: its context is not in this copy' <<<"$out"; } &&
	ok "failed hunk named by its function (demo_enable)" || { no "failed hunk function: rc $rc"; echo "$out"; }
rm "$drv/ws.c"

# The clean patch applied twice: the second is already applied, must fail.
printf 'd/clean.patch\nd/clean.patch\n' >"$tmp/s/series"
run env KSRC="$tmp/ksrc" "$chk"
[ $rc -eq 1 ] && ok "already-applied patch fails" || { no "already-applied: rc $rc"; echo "$out"; }

# Absolute DRIVER_DIR (a standalone driver copy), no KSRC.
printf 'd/clean.patch\n' >"$tmp/s/series"
run env -u KSRC DRIVER_DIR="$drv" "$chk"
[ $rc -eq 0 ] && ok "absolute DRIVER_DIR without KSRC" || { no "absolute DRIVER_DIR: rc $rc"; echo "$out"; }

# Skips: no KSRC; KSRC without the driver directory.  Never success.
run env -u KSRC -u DRIVER_DIR "$chk"
{ [ $rc -eq 77 ] && grep -q 'SKIP: no kernel tree' <<<"$out"; } && ok "no KSRC: skip 77" || { no "no KSRC: rc $rc"; echo "$out"; }
mkdir -p "$tmp/empty-ksrc"
run env KSRC="$tmp/empty-ksrc" "$chk"
{ [ $rc -eq 77 ] && grep -q 'SKIP: driver directory' <<<"$out"; } && ok "no driver dir: skip 77" || { no "no driver dir: rc $rc"; echo "$out"; }

# driver-check skips too: no kernel tree; a tree without the driver.
run env -u KSRC "$PWD/patches/driver-check.sh"
{ [ $rc -eq 77 ] && grep -q 'SKIP: no kernel tree' <<<"$out"; } && ok "driver-check, no KSRC: skip 77" || { no "driver-check no KSRC: rc $rc"; echo "$out"; }
mkdir -p "$tmp/fake-ksrc/scripts/kconfig"; : >"$tmp/fake-ksrc/Makefile"
run env KSRC="$tmp/fake-ksrc" "$PWD/patches/driver-check.sh"
{ [ $rc -eq 77 ] && grep -q 'SKIP: driver source not available' <<<"$out"; } && ok "driver-check, no driver: skip 77" || { no "driver-check no driver: rc $rc"; echo "$out"; }

sum_after=$(cd "$tmp/ksrc" && find . -type f -exec sha256sum {} + | sort)
[ "$sum_before" = "$sum_after" ] && ok "tree not modified" || no "tree was modified"
exit $fail
