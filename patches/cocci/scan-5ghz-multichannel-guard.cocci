// SPDX-License-Identifier: GPL-2.0-only
// bes2600_hw_scan: refuse a multi-channel 5 GHz request with -EOPNOTSUPP
// at the start, before anything is acquired: right after the run of
// declarations that holds `req = &hw_req->req`, wherever the function's
// declarations and early checks happen to be.  The semantic form of
// patches/driver/bes2600/scan-5ghz-multichannel-guard.
//
// Refuses (prints "REFUSED: ..." and changes nothing) when something is
// acquired before that point, or when `req` is not set from hw_req there.
// Options: --no-includes --include-headers --smpl-spacing
// Series: driver/bes2600/scan-5ghz-multichannel-guard
// Requires: bes2600_hw_scan
// spatch 1.1.1 writes the two continuation lines of the added `if` with a
// tab counted as one space, and keeps a blank line that was already there
// after the declarations (two blank lines after the guard); patches-for.sh
// applies these sed lines to the changed files to put kernel style back:
// Respace: s/^ \{5\}req->channels\[0\]->band == NL80211_BAND_5GHZ)$/\t    req->channels[0]->band == NL80211_BAND_5GHZ)/
// Respace: /^\t    req->channels\[0\]->band == NL80211_BAND_5GHZ)$/{n;s/^  return -EOPNOTSUPP;$/\t\treturn -EOPNOTSUPP;/;n;/^$/{n;/^$/d}}

virtual patch

@initialize:python@
@@
import sys
items = {}      # file -> [(line, line_end, kind)]
anchors = {}    # file -> (line, line_end, kind)
takes = {}      # file -> [(line, name)]
chosen = {}     # file -> (line, kind) or None
refused = {}    # file -> message

def refuse(f, msg):
    refused[f] = "scan-5ghz-multichannel-guard: REFUSED: %s: %s\n" % (f, msg)

def add(d, p, v):
    d.setdefault(p[0].file, []).append(v)

def choose(f):
    """The last item of the run of declarations that starts at the anchor."""
    if f in chosen:
        return chosen[f]
    chosen[f] = None
    if f not in anchors:
        refuse(f, "bes2600_hw_scan has no `req = &hw_req->req` to anchor the guard on")
        return None
    line, end, kind = anchors[f]
    point = (line, kind)
    seq = sorted(set(items.get(f, [])))
    while True:
        nxt = [i for i in seq if i[0] > end]
        if not nxt:
            break
        first = min(nxt, key=lambda i: (i[0], -i[1]))
        # a statement and a declaration never start on the same line here;
        # if they do, the statement wins (stop)
        if any(i[0] == first[0] and i[2] == "stmt" for i in nxt):
            break
        point, end = (first[0], "decl"), first[1]
    early = [t for t in takes.get(f, []) if t[0] <= end]
    if early:
        refuse(f, "%s() at line %d is called before the guard's place (after line %d): "
               "the guard would not come before everything is acquired"
               % (early[0][1], early[0][0], end))
        return None
    chosen[f] = point
    return point

def is_point(p, kind):
    c = choose(p[0].file)
    return c is not None and c == (int(p[0].line), kind)

// Already there: nothing to do.
@has depends on patch@
expression R;
@@
bes2600_hw_scan(...)
{
<+...
R->n_channels > 1 && R->channels[0]->band == NL80211_BAND_5GHZ
...+>
}

// The anchor: `req` declared from hw_req, or assigned from it.
@anc depends on patch && !has@
identifier hw_req, req;
position p;
@@
bes2600_hw_scan(..., struct ieee80211_scan_request *hw_req)
{
... when any
struct cfg80211_scan_request *req@p = &hw_req->req;
... when any
}

@script:python@
p << anc.p;
@@
anchors[p[0].file] = (int(p[0].line), int(p[0].line_end), "decl")

@anc_assign depends on patch && !has && !anc@
identifier hw_req, req;
position p;
@@
bes2600_hw_scan(..., struct ieee80211_scan_request *hw_req)
{
... when any
req@p = &hw_req->req;
... when any
}

@script:python@
p << anc_assign.p;
@@
anchors[p[0].file] = (int(p[0].line), int(p[0].line_end), "stmt")

@st depends on patch && !has@
statement S;
position p;
@@
S@p

@script:python@
p << st.p;
@@
if p[0].current_element == "bes2600_hw_scan":
    add(items, p, (int(p[0].line), int(p[0].line_end), "stmt"))

@dc depends on patch && !has@
declaration d;
position p;
@@
d@p

@script:python@
p << dc.p;
@@
if p[0].current_element == "bes2600_hw_scan":
    add(items, p, (int(p[0].line), int(p[0].line_end), "decl"))

@tk depends on patch && !has@
identifier f =~ "^(down|down_interruptible|down_trylock|mutex_lock.*|spin_lock.*|read_lock.*|write_lock.*|bes2600_pwr_set_busy_event|wsm_vif_lock_tx|wsm_lock_tx.*|ieee80211_probereq_get|kmalloc|kzalloc)$";
position p;
@@
f@p(...)

@script:python@
p << tk.p;
f << tk.f;
@@
if p[0].current_element == "bes2600_hw_scan":
    add(takes, p, (int(p[0].line), str(f)))

// The guard, after the last declaration of the run (two forms of it).
@guard depends on patch && !has@
type T;
identifier x;
position p : script:python() { is_point(p, "decl") };
@@
bes2600_hw_scan(...)
{
... when any
T x@p;
+
+	/*
+	 * The firmware rejects WSM start-scan for a 5 GHz channel sweep with
+	 * status 2 ("rejected by policy"): "wsm_generic_confirm failed for
+	 * request 0x0007" + "[SCAN] Scan failed (-22)", ~14-16/h. We do not
+	 * set IEEE80211_HW_SINGLE_SCAN_ON_ALL_BANDS, so mac80211 splits a
+	 * multi-band request per band and calls hw_scan again for the 5 GHz
+	 * band right after the 2.4 GHz one completes; that per-band sweep is
+	 * what the firmware refuses. Refuse it here, before anything is
+	 * acquired (power busy event, scan.lock, conf_lock, tx lock).
+	 *
+	 * Contract (include/net/mac80211.h, ieee80211_ops.hw_scan): a negative
+	 * return aborts the scan and does not require
+	 * ieee80211_scan_completed(). -EOPNOTSUPP: the operation is legal,
+	 * this firmware cannot service it on this band today.
+	 *
+	 * Only multi-channel 5 GHz requests are refused. Single-channel 5 GHz
+	 * scans must pass: NetworkManager/wpa_supplicant iterate a freq_list
+	 * with one channel per scan to find the BSS of a profile with
+	 * 802-11-wireless.band=a before associating; refusing them makes 5 GHz
+	 * association impossible. The firmware generally accepts those, and a
+	 * rejected one fails in isolation. mac80211 gives one band per
+	 * request (scan_work below also splits on band), so the first
+	 * channel's band is the request's band.
+	 */
+	if (req->n_channels > 1 &&
+	    req->channels[0]->band == NL80211_BAND_5GHZ)
+		return -EOPNOTSUPP;
+
... when any
}

@guard_init depends on patch && !has@
type T;
identifier x;
initializer I;
position p : script:python() { is_point(p, "decl") };
@@
bes2600_hw_scan(...)
{
... when any
T x@p = I;
+
+	/*
+	 * The firmware rejects WSM start-scan for a 5 GHz channel sweep with
+	 * status 2 ("rejected by policy"): "wsm_generic_confirm failed for
+	 * request 0x0007" + "[SCAN] Scan failed (-22)", ~14-16/h. We do not
+	 * set IEEE80211_HW_SINGLE_SCAN_ON_ALL_BANDS, so mac80211 splits a
+	 * multi-band request per band and calls hw_scan again for the 5 GHz
+	 * band right after the 2.4 GHz one completes; that per-band sweep is
+	 * what the firmware refuses. Refuse it here, before anything is
+	 * acquired (power busy event, scan.lock, conf_lock, tx lock).
+	 *
+	 * Contract (include/net/mac80211.h, ieee80211_ops.hw_scan): a negative
+	 * return aborts the scan and does not require
+	 * ieee80211_scan_completed(). -EOPNOTSUPP: the operation is legal,
+	 * this firmware cannot service it on this band today.
+	 *
+	 * Only multi-channel 5 GHz requests are refused. Single-channel 5 GHz
+	 * scans must pass: NetworkManager/wpa_supplicant iterate a freq_list
+	 * with one channel per scan to find the BSS of a profile with
+	 * 802-11-wireless.band=a before associating; refusing them makes 5 GHz
+	 * association impossible. The firmware generally accepts those, and a
+	 * rejected one fails in isolation. mac80211 gives one band per
+	 * request (scan_work below also splits on band), so the first
+	 * channel's band is the request's band.
+	 */
+	if (req->n_channels > 1 &&
+	    req->channels[0]->band == NL80211_BAND_5GHZ)
+		return -EOPNOTSUPP;
+
... when any
}

@guard_assign depends on patch && !has@
identifier req;
expression E;
position p : script:python() { is_point(p, "stmt") };
@@
bes2600_hw_scan(...)
{
... when any
req@p = E;
+
+	/*
+	 * The firmware rejects WSM start-scan for a 5 GHz channel sweep with
+	 * status 2 ("rejected by policy"): "wsm_generic_confirm failed for
+	 * request 0x0007" + "[SCAN] Scan failed (-22)", ~14-16/h. We do not
+	 * set IEEE80211_HW_SINGLE_SCAN_ON_ALL_BANDS, so mac80211 splits a
+	 * multi-band request per band and calls hw_scan again for the 5 GHz
+	 * band right after the 2.4 GHz one completes; that per-band sweep is
+	 * what the firmware refuses. Refuse it here, before anything is
+	 * acquired (power busy event, scan.lock, conf_lock, tx lock).
+	 *
+	 * Contract (include/net/mac80211.h, ieee80211_ops.hw_scan): a negative
+	 * return aborts the scan and does not require
+	 * ieee80211_scan_completed(). -EOPNOTSUPP: the operation is legal,
+	 * this firmware cannot service it on this band today.
+	 *
+	 * Only multi-channel 5 GHz requests are refused. Single-channel 5 GHz
+	 * scans must pass: NetworkManager/wpa_supplicant iterate a freq_list
+	 * with one channel per scan to find the BSS of a profile with
+	 * 802-11-wireless.band=a before associating; refusing them makes 5 GHz
+	 * association impossible. The firmware generally accepts those, and a
+	 * rejected one fails in isolation. mac80211 gives one band per
+	 * request (scan_work below also splits on band), so the first
+	 * channel's band is the request's band.
+	 */
+	if (req->n_channels > 1 &&
+	    req->channels[0]->band == NL80211_BAND_5GHZ)
+		return -EOPNOTSUPP;
+
... when any
}

@finalize:python@
@@
for f in sorted(refused):
    if f in items:
        sys.stderr.write(refused[f])
