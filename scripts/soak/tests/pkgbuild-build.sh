#!/usr/bin/env bash
# Build the harness package with makepkg as the tablet would (`makepkg -si`
# minus the install): pkgver(), build(), check(), package() in fakeroot, from
# a clone of this repository's committed HEAD; then check the package tree.
# As root, makepkg runs as nobody (it refuses root).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
for t in makepkg fakeroot git; do
	command -v $t >/dev/null || { echo "skip: $t not installed"; exit 77; }
done
git -C "$top" rev-parse HEAD >/dev/null 2>&1 || { echo "skip: $top is not a git checkout"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-hardlinks "$top" "$tmp/repo"
mkdir "$tmp/build"
cp "$top/scripts/soak/PKGBUILD" "$tmp/build/"
printf '[safe]\n\tdirectory = *\n' >"$tmp/.gitconfig"
chmod 755 "$tmp"
run=(env -i PATH=/usr/bin:/bin HOME="$tmp" PACMAN=true BESSER_VERIFY_REPO="$tmp/repo"
	makepkg --nodeps --noarchive --noconfirm)
if [ "$(id -u)" = 0 ]; then
	chown -R nobody "$tmp"
	(cd "$tmp/build" && setpriv --reuid=nobody --regid=nogroup --clear-groups "${run[@]}")
else
	(cd "$tmp/build" && "${run[@]}")
fi
pkg=$tmp/build/pkg/besser-soak
for f in usr/bin/besser-soak usr/bin/splat usr/lib/systemd/system/besser-soak@.service \
	etc/besser-soak.conf usr/share/doc/besser-soak/README.md; do
	[ -e "$pkg/$f" ] || { echo "FAIL: package lacks /$f"; exit 1; }
done
grep -q '^ExecStart=/usr/bin/besser-soak run ' "$pkg/usr/lib/systemd/system/besser-soak@.service" \
	|| { echo "FAIL: unit does not run /usr/bin/besser-soak"; exit 1; }
"$pkg/usr/bin/besser-soak" --version
"$pkg/usr/bin/splat" watch --help >/dev/null
echo "# makepkg build/check/package: ok"
