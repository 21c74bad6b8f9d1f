#!/usr/bin/env python3
"""Make the converted files of the real-world corpus (real/conv-*.txt).

Where no public paste in a format was found, a real excerpt from real/ is
rewritten into that format: its "[uptime] msg" lines (and their
continuation lines) become the format's lines, with the wall clock taken
as a stated boot time plus the uptime.  The report text is not touched.
Each file's SOURCE line names the excerpt and the rule.  The expected
header values come from the source file (TIME: as the new format prints
the header line's time).  Run from any directory: ./make-converted.py
"""
import datetime as dt
import os
import re

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "real")
def mk(name, source, fmt, kinds, body, irq=None, locks=(), task="-", pid="-", time="-", note=None):
    h = ["SOURCE: " + source, "FORMAT: " + fmt]
    for k in kinds.split():
        h.append("KIND: " + k)
    if irq:
        h.append("IRQ: " + irq)
    for role, cls in locks:
        h.append("LOCK-%s: %s" % (role, cls))
    h.append("TASK: " + task)
    h.append("PID: " + str(pid))
    h.append("TIME: " + time)
    if note:
        h.append("NOTE: " + note)
    if not body.endswith("\n"):
        body += "\n"
    with open(os.path.join(OUT, name + ".txt"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(h) + "\n\n" + body)

LINE = re.compile(r"^\[ *(\d+)\.(\d{6})\] ?(.*)$")
SRCDIR = OUT

def load(name):
    txt = open(os.path.join(SRCDIR, name + ".txt"), encoding="utf-8").read()
    hdr, body = txt.split("\n\n", 1)
    h = {}
    for l in hdr.split("\n"):
        k, v = l.split(": ", 1)
        h.setdefault(k, []).append(v)
    recs = []
    for raw in body.split("\n"):
        if "kernel: [" in raw:
            raw = raw[raw.index("kernel: ") + 8:]
        m = LINE.match(raw)
        if m:
            recs.append([int(m.group(1)) * 1000000 + int(m.group(2)), m.group(3)])
        elif recs and raw.strip() and not raw.startswith("```"):
            recs[-1][1] += "\n" + raw.strip()   # a continuation line
    # a record holding only the end of the excerpt (cut mid-line) stays
    return h, recs

def render(recs, pre, nljoin=None):
    out = []
    for u, t in recs:
        p = pre(u)
        if nljoin is not None:
            out.append(p + t.replace("\n", nljoin))
            continue
        parts = t.split("\n")
        out.append(p + parts[0])
        for c in parts[1:]:
            out.append(" " * len(p) + c)
    return "\n".join(out) + "\n"

def conv(src, name, fmt, rule, boot, pre, tf, head="", tail="", nljoin=None):
    h, recs = load(src)
    w = lambda u: boot + dt.timedelta(microseconds=u)
    body = head + render(recs, lambda u: pre(u, w(u)), nljoin) + tail
    locks = []
    for k, vs in h.items():
        if k.startswith("LOCK-"):
            for v in vs:
                locks.append((k[5:], v))
    upt = lambda: h["TIME"][0]
    mk(name, "converted from %s.txt (%s) with: %s" % (src, h["SOURCE"][0], rule), fmt,
       " ".join(h["KIND"]), body, irq=h.get("IRQ", [None])[0], locks=locks,
       task=h["TASK"][0], pid=h["PID"][0], time=tf(hu(h), w(hu(h))))

def hu(h):
    a, b = h["TIME"][0].split(".")
    return int(a) * 1000000 + int(b)
def up(u):
    return "%5d.%06d" % (u // 1000000, u % 1000000)

UTC = dt.timezone.utc
short = lambda w: w.strftime("%b %d %H:%M:%S")
# xqjcool: the syslog wall clock of the 1880.242388 line is 2025-05-13 15:16:32
B1 = dt.datetime(2025, 5, 13, 15, 16, 32, tzinfo=UTC) - dt.timedelta(microseconds=1880242388)
R1 = "boot = 2025-05-13 15:16:32 UTC (the syslog wall clock of the first line) minus its uptime; wall = boot + uptime"
conv("blog-xqjcool-invalid-wait-syslog-facility", "conv-dmesg-T-invalid-wait", "dmesg-T",
     R1 + "; lines as dmesg -T prints them", B1,
     lambda u, w: "[%s] " % w.strftime("%a %b %e %H:%M:%S %Y"),
     lambda u, w: w.strftime("%a %b %e %H:%M:%S %Y"))
conv("blog-xqjcool-invalid-wait-syslog-facility", "conv-dmesg-iso-invalid-wait", "dmesg-iso",
     R1 + "; lines as dmesg --time-format iso prints them", B1,
     lambda u, w: "%s,%06d+00:00 " % (w.strftime("%Y-%m-%dT%H:%M:%S"), w.microsecond),
     lambda u, w: "%s,%06d+00:00" % (w.strftime("%Y-%m-%dT%H:%M:%S"), w.microsecond))
conv("blog-xqjcool-invalid-wait-syslog-facility", "conv-syslog-5424-invalid-wait", "syslog-5424",
     R1 + "; RFC 5424 lines '<4>1 TIMESTAMP host kernel - - - msg', host 'gw'", B1,
     lambda u, w: "<4>1 %sZ gw kernel - - - " % w.strftime("%Y-%m-%dT%H:%M:%S.%f"),
     lambda u, w: w.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
conv("blog-xqjcool-invalid-wait-syslog-facility", "conv-journal-short-unix-invalid-wait", "journal-short-unix",
     R1 + "; journalctl -o short-unix lines, host 'gw'", B1,
     lambda u, w: "%d.%06d gw kernel: " % (int(w.timestamp()), w.microsecond),
     lambda u, w: "@%d.%06d" % (int(w.timestamp()), w.microsecond))

class Rel:
    def __init__(self):
        self.prev = None; self.minute = None
    def __call__(self, u, w):
        m = w.strftime("%b%d %H:%M")
        if m != self.minute:
            self.minute = m; self.prev = u
            return "[%s] " % m
        d = u - self.prev; self.prev = u
        return "[  +%d.%06d] " % (d // 1000000, d % 1000000)

# bcachefs-187: no wall clock in the paste; boot dated the day
B2 = dt.datetime(2021, 2, 2, 0, 0, 0, tzinfo=UTC)
R2 = "boot dated 2021-02-02 00:00:00 UTC (the issue's date), wall = boot + uptime, host 'bch'"
conv("gh-bcachefs-187-circular-kswapd", "conv-journal-short-monotonic-circular", "journal-short-monotonic",
     R2 + "; journalctl -o short-monotonic, after a '-- Boot <id> --' marker (id all zeros)", B2,
     lambda u, w: "[%s] bch kernel: " % up(u), lambda u, w: "%d.%06d" % (u // 1000000, u % 1000000),
     head="-- Boot 00000000000000000000000000000000 --\n")
conv("gh-bcachefs-187-circular-kswapd", "conv-dmesg-reltime-circular", "dmesg-reltime",
     R2 + "; dmesg -H/--time-format reltime: '[Feb02 00:17]' when the minute changes, else '[  +s.us]' since the previous line", B2,
     Rel(), lambda u, w: w.strftime("%b%d %H:%M"))
conv("gh-bcachefs-187-circular-kswapd", "conv-journal-short-iso-precise-circular", "journal-short-iso-precise",
     R2 + "; journalctl -o short-iso-precise; a '-- Reboot --' marker first", B2,
     lambda u, w: "%s bch kernel: " % w.isoformat(timespec="microseconds"),
     lambda u, w: w.isoformat(timespec="microseconds"),
     head="-- Reboot --\n")

UTC = dt.timezone.utc
short = lambda w: w.strftime("%b %d %H:%M:%S")
U = lambda u, w: "%d.%06d" % (u // 1000000, u % 1000000)

def delta():
    st = {"p": None}
    def f(u, w):
        d = 0 if st["p"] is None else u - st["p"]
        st["p"] = u
        return "[%s <%5d.%06d>] " % (up(u), d // 1000000, d % 1000000)
    return f

B3 = dt.datetime(2025, 2, 27, 0, 0, 0, tzinfo=UTC)
R3 = "boot dated 2025-02-27 00:00:00 UTC (the pull request's date), wall = boot + uptime"
conv("gh-onload-267-rcu-ta-rpcs", "conv-dmesg-delta-rcu", "dmesg-delta",
     R3 + "; dmesg -d lines '[uptime <delta>] msg'", B3, delta(), U)
conv("gh-onload-267-rcu-ta-rpcs", "conv-kernel-bare-rcu", "kernel-bare",
     "each dmesg line 'kernel: [uptime] msg' (a syslog file with the date and host cut off)", B3,
     lambda u, w: "kernel: [%s] " % up(u), U)
conv("gh-onload-267-rcu-ta-rpcs", "conv-nbsp-rcu", "nbsp",
     "each '[ ' of the uptime replaced by '[' + U+00A0 (a non-breaking space, as web pages and mail clients paste it)", B3,
     lambda u, w: "[\u00a0%s] " % up(u).lstrip(" "), U)

B4 = dt.datetime(2017, 10, 5, 0, 0, 0, tzinfo=UTC)
R4 = "boot dated 2017-10-05 00:00:00 UTC (the issue's date), wall = boot + uptime, host 'fc27'"
conv("gh-mcelog-61-rcu-kworker", "conv-journal-short-full-rcu", "journal-short-full",
     R4 + "; journalctl -o short-full", B4,
     lambda u, w: "%s fc27 kernel: " % w.strftime("%a %Y-%m-%d %H:%M:%S UTC"),
     lambda u, w: w.strftime("%a %Y-%m-%d %H:%M:%S UTC"))
conv("gh-mcelog-61-rcu-kworker", "conv-uptime-kernel-rcu", "uptime-kernel",
     "each dmesg line '[uptime] kernel: msg'", B4, lambda u, w: "[%s] kernel: " % up(u), U)

conv("gh-rockchip-181-sched-atomic-unpadded", "conv-serial-caret-m-sched-atomic", "serial-cr",
     "each line ends in a literal '^M' (a serial capture's carriage return, as pasted from a terminal); uptimes padded as the kernel prints them",
     B3, lambda u, w: "[%s] " % up(u), U)
p = os.path.join(OUT, "conv-serial-caret-m-sched-atomic.txt")
t = open(p, encoding="utf-8").read()
hdr, body = t.split("\n\n", 1)
open(p, "w", encoding="utf-8", newline="").write(hdr + "\n\n" + "".join(l + "^M\n" for l in body.rstrip("\n").split("\n")))

conv("gh-tempesta-61-recursive-swapper", "conv-serial-cr-recursive", "serial-cr",
     "each line written as '\\r' + line + '\\r\\r\\n' (a raw serial console capture)",
     B3, lambda u, w: "[%s] " % up(u), U)
p = os.path.join(OUT, "conv-serial-cr-recursive.txt")
t = open(p, encoding="utf-8").read()
hdr, body = t.split("\n\n", 1)
open(p, "w", encoding="utf-8", newline="").write(hdr + "\n\n" + "".join("\r" + l + "\r\r\n" for l in body.rstrip("\n").split("\n")))

B5 = dt.datetime(2016, 6, 30, 19, 0, 0, tzinfo=UTC)
R5 = "boot dated 2016-06-30 19:00:00 UTC (the report's date), wall = boot + uptime, host 'hummingboard'"
def kmsgfmt(prefix):
    st = {"i": 1200}
    def f(u, w):
        st["i"] += 1
        return prefix(w) + "4,%d,%d,-;" % (st["i"], u)
    return f
conv("gh-balena-os-55-softirq-safe-unsafe-old", "conv-syslog-kmsg-irq-safe-unsafe", "syslog-kmsg",
     R5 + "; syslog lines 'Mon DD hh:mm:ss host kernel: ' carrying the raw /dev/kmsg record 'level,seq,usec,-;msg' (seq from 1201); a line's continuation is joined with the record escape '\\x0a'",
     B5, kmsgfmt(lambda w: "%s hummingboard kernel: " % short(w)), U, nljoin="\\x0a")
conv("gh-balena-os-55-softirq-safe-unsafe-old", "conv-netconsole-irq-safe-unsafe", "netconsole",
     "extended netconsole records 'level,seq,usec,-;msg' as received by 'nc -u -l 6666' (seq from 1201); a line's continuation is joined with the record escape '\\x0a'",
     B5, kmsgfmt(lambda w: ""), U, nljoin="\\x0a")

B6 = dt.datetime(2021, 2, 11, 0, 0, 0, tzinfo=UTC)
R6 = "boot dated 2021-02-11 00:00:00 UTC (the comment's date), wall = boot + uptime, host 'alt'"
conv("gh-lkrg-47-circular-insmod", "conv-journal-cat-circular", "journal-cat",
     "journalctl -k -o cat: the message only, no time, no host", B6, lambda u, w: "", lambda u, w: "-")
conv("gh-lkrg-47-circular-insmod", "conv-journal-with-unit-circular", "journal-with-unit",
     R6 + "; journalctl -o with-unit ('Day YYYY-MM-DD hh:mm:ss TZ host kernel: msg')", B6,
     lambda u, w: "%s alt kernel: " % w.strftime("%a %Y-%m-%d %H:%M:%S UTC"),
     lambda u, w: w.strftime("%a %Y-%m-%d %H:%M:%S UTC"))
conv("gh-lkrg-47-circular-insmod", "conv-journal-short-iso-circular", "journal-short-iso",
     R6 + "; journalctl -o short-iso", B6,
     lambda u, w: "%s alt kernel: " % w.strftime("%Y-%m-%dT%H:%M:%S%z"),
     lambda u, w: w.strftime("%Y-%m-%dT%H:%M:%S%z"))

B7 = dt.datetime(2023, 11, 9, 0, 0, 0, tzinfo=UTC)
R7 = "boot dated 2023-11-09 00:00:00 UTC (the issue's date), host 'owrt'; the lines take in turn the formats journal-short, journal-short-monotonic, syslog-3164 with uptime, mail-quoted dmesg, plain dmesg"
def rot():
    st = {"i": -1}
    fs = [lambda u, w: "%s owrt kernel: " % short(w),
          lambda u, w: "[%s] owrt kernel: " % up(u),
          lambda u, w: "%s owrt kernel: [%s] " % (short(w), up(u)),
          lambda u, w: "> [%s] " % up(u),
          lambda u, w: "[%s] " % up(u)]
    def f(u, w):
        st["i"] += 1
        return fs[st["i"] % len(fs)](u, w)
    return f
conv("gh-openwrt-13921-irq-inversion-wireguard", "conv-mixed-irq-inversion", "mixed",
     R7, B7, rot(), U)
