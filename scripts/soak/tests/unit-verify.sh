#!/usr/bin/env bash
# `make install` of the soak harness into a scratch prefix, then
# `systemd-analyze verify` of the installed unit as an instance
# (besser-soak@4h.service) and its `systemd-analyze security` exposure
# (goal <= 3.0).  Also: a second install keeps an edited config.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
command -v systemd-analyze >/dev/null || { echo "skip: systemd-analyze not installed (Debian package systemd)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
# Paths in the unit follow BINDIR, so verify finds the installed binary.
make --no-print-directory -s install-soak PREFIX="$tmp/usr" SYSCONFDIR="$tmp/etc" >/dev/null
unit=$tmp/usr/lib/systemd/system/besser-soak@.service
for f in "$tmp/usr/bin/besser-soak" "$unit" "$tmp/etc/besser-soak.conf" \
	"$tmp/usr/share/doc/besser-soak/README.md"; do
	[ -e "$f" ] || { echo "FAIL: not installed: $f"; exit 1; }
done
grep -q "^ExecStart=$tmp/usr/bin/besser-soak run " "$unit" || { echo "FAIL: ExecStart path not substituted"; exit 1; }
# the installed default config is valid for the installed binary
out=$("$tmp/usr/bin/besser-soak" --config "$tmp/etc/besser-soak.conf" --duration 1x 2>&1 || true)
grep -q -- "--duration: .*not a duration" <<<"$out" || { echo "$out"; echo "FAIL: besser-soak did not parse the default config"; exit 1; }
# an operator's config survives a reinstall
echo "label = mine" >>"$tmp/etc/besser-soak.conf"
make --no-print-directory -s install-soak PREFIX="$tmp/usr" SYSCONFDIR="$tmp/etc" >/dev/null
grep -q "^label = mine" "$tmp/etc/besser-soak.conf" || { echo "FAIL: reinstall overwrote the config"; exit 1; }

mkdir "$tmp/v"
cp "$unit" "$tmp/v/besser-soak@4h.service"
cd "$tmp/v"
out=$(systemd-analyze verify besser-soak@4h.service 2>&1) || { echo "$out"; echo "FAIL: systemd-analyze verify"; exit 1; }
if [ -n "$out" ]; then echo "$out"; echo "FAIL: systemd-analyze verify printed warnings"; exit 1; fi
echo "# systemd-analyze verify besser-soak@4h.service: ok"
sec=$(systemd-analyze security --offline=yes besser-soak@4h.service 2>&1 | tail -n 1)
echo "# $sec"
level=$(sed -nE 's/.*exposure level for [^:]*: ([0-9.]+).*/\1/p' <<<"$sec")
[ -n "$level" ] || { echo "skip: this systemd-analyze cannot rate offline units"; exit 0; }
awk -v l="$level" 'BEGIN { exit !(l <= 3.0) }' || { echo "FAIL: exposure $level > 3.0"; exit 1; }
