#!/usr/bin/env bash
# makepkg --printsrcinfo on the harness PKGBUILD (what the tablet builds with
# `makepkg -si`).  makepkg refuses to run as root, so as root it runs as
# nobody (setpriv) on a copy in a directory nobody can write.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
pkgbuild=$top/scripts/soak/PKGBUILD
command -v makepkg >/dev/null || { echo "skip: makepkg not installed (Debian package makepkg)"; exit 77; }
bash -n "$pkgbuild"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$pkgbuild" "$tmp/PKGBUILD"
chmod 755 "$tmp"
chmod 644 "$tmp/PKGBUILD"
run=(env -i PATH=/usr/bin:/bin HOME="$tmp" PACMAN=true BESSER_VERIFY_REPO="$top" makepkg --printsrcinfo)
if [ "$(id -u)" = 0 ]; then
	chown nobody "$tmp"
	out=$(cd "$tmp" && setpriv --reuid=nobody --regid=nogroup --clear-groups "${run[@]}")
else
	out=$(cd "$tmp" && "${run[@]}")
fi
echo "$out"
for want in "pkgbase = besser-soak" "arch = aarch64" "depends = json-c" \
	"backup = etc/besser-soak.conf" "source = besser-verify::git+file://$top" \
	"pkgname = besser-soak"; do
	grep -qxF "	$want" <<<"$out" || grep -qxF "$want" <<<"$out" || {
		echo "FAIL: .SRCINFO lacks '$want'"; exit 1; }
done
echo "# makepkg --printsrcinfo: ok"
