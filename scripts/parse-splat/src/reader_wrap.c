/* SPDX-License-Identifier: MIT */
/*
 * reader_wrap.c - what wraps a kernel line in the logs people attach.
 *
 * The text reader (reader_text_loop.h) hands each line here first, unless
 * it starts the way a console line does ("[ 12.3]").  Whatever this
 * strips, the kernel's own prefix ("<4>", "[uptime]", "[ T12]") is parsed
 * after it, so "Aug 22 14:31:02 host kernel: [  232.745] msg" keeps the
 * kernel's uptime.  Each wrapper is a WR_* bit (reader_int.h); a format row
 * (reader_formats.c) says which it strips, auto-detection tries them all
 * on every line.
 *
 *   WR_PASTE    "> " / ">>" mail and markdown quoting, indented console
 *               lines, NBSP inside "[ ... ]", trailing "^M" and CR
 *   WR_MARKER   journalctl "-- Boot <id> --" / "-- Reboot --": a new boot
 *   WR_SYSLOG   "Mon dd hh:mm:ss[.us] [host] ident[pid]: " (journalctl
 *               short, short-precise; RFC 3164 files), "<PRI>" before it
 *   WR_ISO      "YYYY-MM-DDThh:mm:ss[.us](Z|+hh:mm|+hhmm) host ident: "
 *               (short-iso[-precise], RFC 3339 rsyslog) and dmesg's iso
 *               "YYYY-MM-DDThh:mm:ss,us+hh:mm msg" (comma: no ident)
 *   WR_FULL     "Www YYYY-MM-DD hh:mm:ss TZ host ident: " (short-full,
 *               with-unit)
 *   WR_UNIX     "epoch.us host ident: " (short-unix)
 *   WR_MONO     "[uptime] [host] kernel: " (short-monotonic): the caller
 *               strips it after the kernel prefix (reader_mono_ident())
 *   WR_5424     "<PRI>1 timestamp host app procid msgid sd msg"
 *   WR_BARE     "kernel: " at the start of a line
 *   WR_CTIME    dmesg -T "[Www Mon dd hh:mm:ss YYYY] "
 *   WR_RELTIME  dmesg -H / reltime "[Mondd hh:mm] ", "[  +s.us] "
 *   WR_DELTA    dmesg delta "[<  s.us>] " and dmesg -d "[uptime <  s.us>] "
 *   WR_KMSG     a /dev/kmsg record on one line "prio,seq,usec,flags;msg"
 *               (netconsole's extended format, syslog relaying kmsg)
 *   WR_TERM     serial terminal stamps "[YYYY/MM/DD, hh:mm:ss.mmm] ",
 *               "[hh:mm:ss.mmm] " (minicom, tio and the like)
 * Also: a syslog month in another language, a syslog server's
 * "host [uptime] msg" (netconsole relayed), a pager's "  12 │ " numbers.
 * After a syslog header, rsyslog's "#011" / "#012" escapes are undone.
 *
 * A syslog or journal line of another program than the kernel is not a
 * record (stats.foreign): its "WARNING:" is not the kernel's.
 *
 * Time.  The kernel's own uptime wins wherever a line has one.  A line
 * with only a wall clock gets a boot-relative time: from the wall clock
 * less the uptime of a line of the same boot that had both, else from the
 * boot's start (a journal boot marker, or the "Linux version" / "Booting
 * Linux" line, which also starts a new boot when the boot had lines
 * already), else from the boot's first line here, and the record says so
 * (rec.clock): an exposure counted from an unknown start is never passed
 * off as uptime.
 */
#include <string.h>

#include "reader_int.h"

static inline bool dig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int two(const char *p)
{
	return dig((unsigned char)p[0]) && dig((unsigned char)p[1])
		       ? (p[0] - '0') * 10 + (p[1] - '0')
		       : -1;
}

static int month_of(const char *p)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (p[0] == m[3 * i] && p[1] == m[3 * i + 1] &&
		    p[2] == m[3 * i + 2])
			return i + 1;
	return 0;
}

static bool weekday(const char *p)
{
	static const char d[] = "MonTueWedThuFriSatSun";
	for (int i = 0; i < 7; i++)
		if (p[0] == d[3 * i] && p[1] == d[3 * i + 1] &&
		    p[2] == d[3 * i + 2])
			return true;
	return false;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "hh:mm:ss" -> seconds of the day; 8 or 0 */
static size_t hms(const char *p, int64_t *sec)
{
	int h = two(p), m, s;
	if (h < 0 || h > 23 || p[2] != ':' || (m = two(p + 3)) < 0 || m > 59 ||
	    p[5] != ':' || (s = two(p + 6)) < 0 || s > 60)
		return 0;
	*sec = h * 3600 + m * 60 + s;
	return 8;
}

/* "[.,]digits" -> microseconds; bytes consumed (0: none).  *sep the
 * separator. */
static size_t fraction(const char *p, int64_t *usec, char *sep)
{
	size_t i = 1;
	int64_t v = 0;
	if (p[0] != '.' && p[0] != ',')
		return 0;
	while (dig((unsigned char)p[i]) && i <= 12) {
		if (i <= 6)
			v = v * 10 + (p[i] - '0');
		i++;
	}
	if (i == 1)
		return 0;
	for (size_t k = i; k <= 6; k++)
		v *= 10;
	*usec = v;
	*sep = p[0];
	return i;
}

/* "s.us" with leading blanks -> usec; bytes consumed, 0 if none */
static size_t seconds(const char *p, int64_t *usec)
{
	size_t i = 0, d0;
	int64_t s = 0, f = 0;
	char sep;
	while (p[i] == ' ')
		i++;
	d0 = i;
	while (dig((unsigned char)p[i]) && i - d0 < 12)
		s = s * 10 + (p[i++] - '0');
	if (i == d0)
		return 0;
	size_t k = fraction(p + i, &f, &sep);
	if (!k || sep != '.')
		return 0;
	*usec = s * 1000000 + f;
	return i + k;
}

/* ---- syslog header after the time: "[host ]ident[pid]: " ------------ */

/* Past "host ident[pid]: " or "ident[pid]: " at p (the byte after the
 * time's space); 0 when it is not such a header.  *kernel: ident is
 * "kernel". */
static size_t ident(const char *p, size_t n, bool *kernel)
{
	size_t i = 0, t0, t1;
	for (int tok = 0; tok < 2; tok++) {
		t0 = i;
		while (i < n && p[i] != ' ' && p[i] != ':' && i - t0 < 256)
			i++;
		t1 = i;
		if (t1 == t0)
			return 0;
		if (i < n && p[i] == ':' && (i + 1 == n || p[i + 1] == ' ')) {
			/* ident[pid]: */
			size_t e = t1;
			if (p[e - 1] == ']') {
				while (e > t0 && p[e - 1] != '[')
					e--;
				if (e == t0)
					return 0;
				e--;
			}
			*kernel = e - t0 == 6 && !memcmp(p + t0, "kernel", 6);
			return i + 1 < n ? i + 2 : i + 1;
		}
		if (tok == 1 || i >= n || p[i] != ' ')
			return 0;
		i++; /* the host was token 0 */
	}
	return 0;
}

/* rsyslog's control character escapes "#ooo" in place (they only shrink);
 * returns the new length.  *nl: a "#012" became a line break; *ctl: some
 * other control byte than a tab came out ("#000" is a NUL). */
static size_t rsyslog_unescape(char *p, size_t n, bool *nl, bool *ctl)
{
	char *q = memchr(p, '#', n);
	size_t o, i;
	if (!q)
		return n;
	o = i = (size_t)(q - p);
	while (i < n) {
		if (p[i] == '#' && i + 3 < n && p[i + 1] >= '0' &&
		    p[i + 1] <= '3' && p[i + 2] >= '0' && p[i + 2] <= '7' &&
		    p[i + 3] >= '0' && p[i + 3] <= '7') {
			unsigned v = (unsigned)(p[i + 1] - '0') * 64 +
				     (unsigned)(p[i + 2] - '0') * 8 +
				     (unsigned)(p[i + 3] - '0');
			if (v < 0x20 || v == 0x7f) {
				p[o++] = v == '\n'   ? '\n'
					 : v == '\t' ? '\t'
					 : v == '\r' ? ' '
						     : (char)v;
				*nl |= v == '\n';
				*ctl |= v != '\n' && v != '\t' && v != '\r';
				i += 4;
				continue;
			}
		}
		p[o++] = p[i++];
	}
	p[o] = '\0';
	return o;
}

/* ---- the timestamp forms ------------------------------------------- */

/* The year of a date that carries none (RFC 3164, dmesg -H): count on from
 * the first line's, a new one when the month goes back by half a year or
 * more. */
static int year_of(struct splat_reader *r, int mon)
{
	if (r->wall.year == 0)
		r->wall.year = 2000;
	else if (mon + 6 <= r->wall.month)
		r->wall.year++;
	r->wall.month = mon;
	return r->wall.year;
}

/* "Mon dd hh:mm:ss[.us] " (day padded with a blank or not) */
static size_t t_syslog(struct splat_reader *r, const char *p, size_t n,
		       int64_t *wall)
{
	int mon = month_of(p), day;
	int64_t sec, us = 0;
	size_t i, m = 3;
	char sep;
	if (!mon) {
		/* a month in another language ("кві 09 19:54:36"): the
		 * same shape, the month taken as the last one known */
		m = 0;
		while (m < n && m < 16 && p[m] != ' ' &&
		       ((unsigned char)p[m] >= 0x80 ||
			(p[m] >= 'a' && p[m] <= 'z') ||
			(p[m] >= 'A' && p[m] <= 'Z') || p[m] == '.'))
			m++;
		if (m < 3)
			return 0; /* q below stays inside the line */
		mon = r->wall.month ? r->wall.month : 1;
	}
	if (n < m + 13 || p[m] != ' ')
		return 0;
	/* from here on as if the month had three bytes: q[3] is the blank */
	const char *q = p + m - 3;
	if (q[4] == ' ' && dig((unsigned char)q[5]))
		day = q[5] - '0';
	else if ((day = two(q + 4)) < 1)
		return 0;
	if (q[6] != ' ' || !hms(q + 7, &sec))
		return 0;
	i = 15;
	i += fraction(q + i, &us, &sep);
	if (q[i] != ' ')
		return 0;
	*wall = (days_from_civil(year_of(r, mon), (unsigned)mon,
				 (unsigned)day) *
			 86400 +
		 sec) * 1000000 +
		us;
	return i + 1 + (m - 3);
}

/* "YYYY-MM-DD[T ]hh:mm:ss[.,us][Z|+hh:mm|+hhmm] " */
static size_t t_iso(const char *p, size_t n, int64_t *wall, char *sep)
{
	int y1, y2, mo, d;
	int64_t sec, us = 0, off = 0;
	size_t i;
	if (n < 20 || (y1 = two(p)) < 0 || (y2 = two(p + 2)) < 0 ||
	    p[4] != '-' || (mo = two(p + 5)) < 1 || mo > 12 || p[7] != '-' ||
	    (d = two(p + 8)) < 1 || d > 31 || (p[10] != 'T' && p[10] != ' ') ||
	    !hms(p + 11, &sec))
		return 0;
	i = 19;
	*sep = 0;
	i += fraction(p + i, &us, sep);
	if (p[i] == 'Z') {
		i++;
	} else if (p[i] == '+' || p[i] == '-') {
		int hh = two(p + i + 1), mm;
		size_t k = p[i + 3] == ':' ? 4 : 3;
		if (hh < 0 || (mm = two(p + i + k)) < 0)
			return 0;
		off = (hh * 3600 + mm * 60) * (p[i] == '-' ? -1 : 1);
		i += k + 2;
	}
	if (p[i] != ' ')
		return 0;
	*wall = (days_from_civil(y1 * 100 + y2, (unsigned)mo, (unsigned)d) *
			 86400 +
		 sec - off) *
			1000000 +
		us;
	return i + 1;
}

/* "Www YYYY-MM-DD hh:mm:ss[.us] TZ " */
static size_t t_full(const char *p, size_t n, int64_t *wall)
{
	char sep;
	size_t k, i;
	if (n < 25 || !weekday(p) || p[3] != ' ')
		return 0;
	/* the date and time as ISO with a blank, then a zone name */
	k = t_iso(p + 4, n - 4, wall, &sep);
	if (!k)
		return 0;
	i = 4 + k;
	while (i < n && i < 4 + k + 8 && p[i] != ' ')
		i++;
	return i < n && p[i] == ' ' && i > 4 + k ? i + 1 : 0;
}

/* "epoch.us " */
static size_t t_unix(const char *p, int64_t *wall)
{
	size_t i = 0;
	int64_t s = 0, us;
	char sep;
	while (dig((unsigned char)p[i]) && i < 12)
		s = s * 10 + (p[i++] - '0');
	if (i < 9)
		return 0;
	size_t k = fraction(p + i, &us, &sep);
	if (!k || sep != '.' || p[i + k] != ' ')
		return 0;
	*wall = s * 1000000 + us;
	return i + k + 1;
}

/* dmesg -T "[Www Mon dd hh:mm:ss YYYY] " (day blank-padded) */
static size_t t_ctime(const char *p, size_t n, int64_t *wall)
{
	int mon, day, y1, y2;
	int64_t sec;
	if (n < 27 || p[0] != '[' || !weekday(p + 1) || p[4] != ' ' ||
	    !(mon = month_of(p + 5)) || p[8] != ' ')
		return 0;
	if (p[9] == ' ')
		day = dig((unsigned char)p[10]) ? p[10] - '0' : -1;
	else
		day = two(p + 9);
	if (day < 1 || p[11] != ' ' || !hms(p + 12, &sec) || p[20] != ' ' ||
	    (y1 = two(p + 21)) < 0 || (y2 = two(p + 23)) < 0 || p[25] != ']')
		return 0;
	*wall = (days_from_civil(y1 * 100 + y2, (unsigned)mon, (unsigned)day) *
			 86400 +
		 sec) *
		1000000;
	return p[26] == ' ' ? 27 : 26;
}

/* dmesg reltime "[Mondd hh:mm] " (minute stamp), "[  +s.us] " (delta) */
static size_t t_reltime(struct splat_reader *r, const char *p, size_t n,
			int64_t *wall, int64_t *delta)
{
	if (n < 5 || p[0] != '[')
		return 0;
	int mon = month_of(p + 1);
	if (mon) {
		int day = two(p + 4);
		int64_t sec;
		if (day < 1 && p[4] == ' ' && dig((unsigned char)p[5]))
			day = p[5] - '0';
		char t[9];
		if (day < 1 || n < 14 || p[6] != ' ' || p[12] != ']')
			return 0;
		memcpy(t, p + 7, 5);
		memcpy(t + 5, ":00", 4);
		if (!hms(t, &sec))
			return 0;
		*wall = (days_from_civil(year_of(r, mon), (unsigned)mon,
					 (unsigned)day) *
				 86400 +
			 sec) *
			1000000;
		return p[13] == ' ' ? 14 : 13;
	}
	size_t i = 1;
	while (p[i] == ' ')
		i++;
	if (p[i] != '+')
		return 0;
	size_t k = seconds(p + i + 1, delta);
	if (!k || p[i + 1 + k] != ']')
		return 0;
	i += 1 + k + 1;
	return p[i] == ' ' ? i + 1 : i;
}

/* dmesg delta "[<  s.us>] " and dmesg -d "[uptime <  s.us>] " */
static size_t t_delta(const char *p, int64_t *uptime, int64_t *delta)
{
	size_t i = 1, k;
	if (p[0] != '[')
		return 0;
	if (p[i] != '<') {
		k = seconds(p + i, uptime);
		if (!k || p[i + k] != ' ')
			return 0;
		i += k + 1;
		if (p[i] != '<')
			return 0;
	}
	k = seconds(p + i + 1, delta);
	if (!k || p[i + 1 + k] != '>' || p[i + 2 + k] != ']')
		return 0;
	i += k + 3;
	return p[i] == ' ' ? i + 1 : i;
}

/* Serial terminal programs' stamps: "[YYYY/MM/DD, hh:mm:ss.mmm] ",
 * "[YYYY-MM-DD hh:mm:ss.mmm] ", "[hh:mm:ss.mmm] " (no date: the day is
 * counted on when the time goes back) */
static size_t t_term(struct splat_reader *r, const char *p, size_t n,
		     int64_t *wall)
{
	size_t i = 1;
	int64_t days = -1, sec, us = 0;
	char sep;
	if (n < 11 || p[0] != '[')
		return 0;
	if (n > 21 && dig((unsigned char)p[1]) && dig((unsigned char)p[4]) &&
	    (p[5] == '/' || p[5] == '-') && p[8] == p[5]) {
		int y1 = two(p + 1), y2 = two(p + 3), mo = two(p + 6),
		    d = two(p + 9);
		if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
			return 0;
		days = days_from_civil(y1 * 100 + y2, (unsigned)mo,
				       (unsigned)d);
		i = 11;
		if (p[i] == ',')
			i++;
		if (p[i] != ' ' && p[i] != 'T')
			return 0;
		i++;
	}
	if (i + 8 > n || !hms(p + i, &sec))
		return 0;
	i += 8;
	i += fraction(p + i, &us, &sep);
	if (p[i] != ']' || p[i + 1] != ' ')
		return 0;
	if (days < 0) {
		int64_t t = sec * 1000000 + us;
		if (r->wall.prev != SPLAT_TS_NONE &&
		    t + r->wall.tday * 86400000000LL <
			    r->wall.prev - 43200000000LL)
			r->wall.tday++; /* past midnight */
		*wall = r->wall.tday * 86400000000LL + t;
	} else {
		*wall = (days * 86400 + sec) * 1000000 + us;
	}
	return i + 2;
}

/* A /dev/kmsg record on one line: "prio,seq,usec,flags[,k=v..];msg" */
static size_t t_kmsg(const char *p, size_t n, struct splat_record *rec,
		     int64_t *uptime)
{
	uint64_t v[3] = {0, 0, 0};
	size_t i = 0;
	for (int f = 0; f < 3; f++) {
		size_t d0 = i;
		while (i < n && dig((unsigned char)p[i]) && i - d0 < 20)
			v[f] = v[f] * 10 + (uint64_t)(p[i++] - '0');
		if (i == d0 || i >= n ||
		    (p[i] != ',' && !(f == 2 && p[i] == ';')))
			return 0;
		if (p[i] == ';')
			break;
		i++;
	}
	if (v[0] > 1023)
		return 0;
	size_t semi = i;
	while (semi < n && p[semi] != ';' && semi - i < 128)
		semi++;
	if (semi >= n || p[semi] != ';')
		return 0;
	/* fields: "caller=T123" among them */
	for (size_t j = i; j + 7 < semi; j++) {
		if (p[j] == ',' && !memcmp(p + j + 1, "caller=", 7)) {
			size_t c0 = j + 8, c = c0;
			while (c < semi && p[c] != ',' && c - c0 < 15)
				c++;
			memcpy(rec->caller, p + c0, c - c0);
			rec->caller[c - c0] = '\0';
			break;
		}
	}
	rec->level = (int)(v[0] & 7);
	rec->facility = (int)(v[0] >> 3);
	*uptime = (int64_t)v[2];
	return semi + 1;
}

/* "-- Boot 0123abcd... --", "-- Reboot --" */
static bool boot_marker(const char *p, size_t n, char id[40])
{
	id[0] = '\0';
	if (n == 12 && !memcmp(p, "-- Reboot --", 12))
		return true;
	if (n < 12 || memcmp(p, "-- Boot ", 8) || memcmp(p + n - 3, " --", 3))
		return false;
	size_t k = n - 11, o = 0;
	for (size_t i = 0; i < k; i++) {
		char c = p[8 + i];
		if (c == '-')
			continue;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) ||
		    o >= 39)
			return false;
		id[o++] = c;
	}
	id[o] = '\0';
	return o > 0;
}

/* '[', blanks, digits, '.', digits, ']' : a console time stamp */
static bool time_like(const char *p)
{
	size_t i = 1;
	if (p[0] != '[')
		return false;
	while (p[i] == ' ')
		i++;
	if (!dig((unsigned char)p[i]))
		return false;
	while (dig((unsigned char)p[i]))
		i++;
	if (p[i++] != '.' || !dig((unsigned char)p[i]))
		return false;
	while (dig((unsigned char)p[i]))
		i++;
	return p[i] == ']';
}

/* ---- the entry point ---------------------------------------------- */

/* Paste damage, in place: "^M" and CRs at the end, CRs in front, a
 * pager's line numbers ("  7366   │ ", bat), "> "/">>"/"> > " quoting,
 * an indented console line, a non-breaking space (UTF-8 C2 A0) in the
 * first brackets.  Returns where the line starts now; *n its end. */
static size_t strip_paste(const struct splat_reader *r, char *line, size_t *np)
{
	size_t n = *np, s = 0, k;

	while (n >= 2 && ((line[n - 2] == '^' && line[n - 1] == 'M') ||
			  line[n - 1] == '\r'))
		n -= line[n - 1] == '\r' ? 1 : 2;
	if (n && line[n - 1] == '\r')
		n--;
	if (n != *np)
		line[n] = '\0';
	while (s < n && line[s] == '\r')
		s++;
	k = s;
	while (k < n && line[k] == ' ')
		k++;
	if (k < n && dig((unsigned char)line[k])) {
		size_t d = k;
		while (k < n && dig((unsigned char)line[k]) && k - d < 9)
			k++;
		while (k < n && line[k] == ' ')
			k++;
		if (n - k >= 4 && !memcmp(line + k, "\xe2\x94\x82 ", 4))
			s = k + 4;
	}
	while (s < n && line[s] == '>') {
		s++;
		if (s < n && line[s] == ' ')
			s++;
	}
	k = s;
	while (k < n && k - s < 16 && (line[k] == ' ' || line[k] == '\t'))
		k++;
	if (k > s && k < n && time_like(line + k))
		s = k;
	/* the bytes before an NBSP move up one, its second byte becomes the
	 * blank */
	if (!r->line_plain && s < n && line[s] == '[') {
		for (size_t i = s + 1; i + 1 < n && i < s + 48; i++) {
			if (line[i] == ']')
				break;
			if ((unsigned char)line[i] == 0xc2 &&
			    (unsigned char)line[i + 1] == 0xa0) {
				memmove(line + s + 1, line + s, i - s);
				line[i + 1] = ' ';
				s++;
				i++;
			}
		}
	}
	*np = n;
	return s;
}

/* "<PRI>1 TS HOST APP PROCID MSGID SD MSG" after the "<PRI>" (p at the
 * "1"): bytes to MSG, 0 if it is not RFC 5424.  *wall, *kernel (APP). */
static size_t t_5424(const char *p, size_t left, int64_t *wall, bool *kernel)
{
	size_t j = 2, k, tok, app0 = 0, app1 = 0;
	char sep;

	if (p[0] != '1' || p[1] != ' ')
		return 0;
	*wall = SPLAT_TS_NONE;
	if (p[j] == '-' && p[j + 1] == ' ')
		j += 2;
	else if ((k = t_iso(p + j, left - j, wall, &sep)))
		j += k;
	else
		return 0;
	for (tok = 0; tok < 4; tok++) {
		size_t t0 = j;
		while (j < left && p[j] != ' ')
			j++;
		if (j >= left || j == t0)
			return 0;
		if (tok == 1) {
			app0 = t0;
			app1 = j;
		}
		j++;
	}
	/* structured data: "-" or "[..]" groups (']' escaped by '\') */
	if (p[j] == '-') {
		j++;
	} else {
		while (j < left && p[j] == '[') {
			while (j < left && p[j] != ']')
				j += p[j] == '\\' && j + 1 < left ? 2 : 1;
			if (j < left)
				j++;
		}
	}
	if (j < left && p[j] == ' ')
		j++;
	if (left - j >= 3 && !memcmp(p + j, "\xef\xbb\xbf", 3))
		j += 3; /* a byte order mark may open MSG */
	*kernel = app1 - app0 == 6 && !memcmp(p + app0, "kernel", 6);
	return j;
}

/* "<PRI>" of RFC 5424, or of RFC 3164 as sent on the wire: bytes of it
 * (0: none), *pri. */
static size_t t_pri(const char *p, unsigned *pri)
{
	size_t i = 1;
	*pri = 0;
	while (dig((unsigned char)p[i]) && i < 5)
		*pri = *pri * 10 + (unsigned)(p[i++] - '0');
	if (i == 1 || p[i] != '>' || *pri > 191)
		return 0;
	return i + 1;
}

/* After a syslog/journal time at p (k bytes of it): the "[host] ident:"
 * header, or a syslog server's "host [uptime]" netconsole line.  Bytes
 * past the time to the message, 0 if neither. */
static size_t after_syslog_time(const char *p, size_t k, size_t left,
				bool *kernel)
{
	size_t h = ident(p + k, left - k, kernel);
	if (h)
		return h;
	const char *sp = memchr(p + k, ' ', left - k);
	if (!sp || sp - (p + k) > 255 || !time_like(sp + 1))
		return 0;
	*kernel = true;
	return (size_t)(sp + 1 - (p + k));
}

/* A line's first byte says which wrappers may open it; returns the bytes
 * of the one found (0: none), fills w (and rec's level/facility/caller).
 * *header: a syslog/journal header (rsyslog escapes may follow). */
static size_t dispatch(struct splat_reader *r, const char *p, size_t left,
		       struct splat_record *rec, struct reader_wrapped *w,
		       bool *header)
{
	const unsigned m = r->wrap;
	size_t k, i;
	int64_t t;
	char sep;
	bool kern = false;

	switch (p[0]) {
	case '-':
		if ((m & WR_MARKER) && boot_marker(p, left, w->boot_id)) {
			w->marker = true;
			w->kinds |= WR_MARKER;
		}
		return 0;
	case '<': {
		unsigned pri;
		if (!(m & (WR_5424 | WR_SYSLOG)) || !(i = t_pri(p, &pri)))
			return 0;
		if ((m & WR_5424) && (k = t_5424(p + i, left - i, &t, &kern))) {
			rec->level = (int)(pri & 7);
			rec->facility = (int)(pri >> 3);
			w->wall = t;
			w->foreign = !kern;
			w->kinds |= WR_5424;
			*header = true;
			return i + k;
		}
		if (!(m & WR_SYSLOG) || !(k = t_syslog(r, p + i, left - i, &t)))
			return 0;
		/* "<13>Aug 22 ..." as sent on the wire */
		size_t h = after_syslog_time(p + i, k, left - i, &kern);
		if (!h)
			return 0;
		rec->level = (int)(pri & 7);
		rec->facility = (int)(pri >> 3);
		w->wall = t;
		w->foreign = !kern;
		w->kinds |= WR_SYSLOG;
		*header = true;
		return i + k + h;
	}
	case '[':
		if ((m & WR_CTIME) && (k = t_ctime(p, left, &t))) {
			w->wall = t;
			w->kinds |= WR_CTIME;
		} else if ((m & WR_RELTIME) &&
			   (k = t_reltime(r, p, left, &w->wall, &w->delta))) {
			w->kinds |= WR_RELTIME;
		} else if ((m & WR_DELTA) &&
			   (k = t_delta(p, &w->uptime, &w->delta))) {
			w->kinds |= WR_DELTA;
		} else if ((m & WR_TERM) && (k = t_term(r, p, left, &t))) {
			w->wall = t;
			w->kinds |= WR_TERM;
		}
		return k;
	case 'k':
		if ((m & WR_BARE) && left >= 8 && !memcmp(p, "kernel: ", 8)) {
			w->kinds |= WR_BARE;
			*header = true;
			return 8;
		}
		return 0;
	default:
		break;
	}
	if (dig((unsigned char)p[0])) {
		if ((m & WR_ISO) && (k = t_iso(p, left, &t, &sep))) {
			/* dmesg's iso has a comma and no ident */
			size_t h =
				sep == ',' ? 0 : ident(p + k, left - k, &kern);
			w->wall = t;
			w->kinds |= WR_ISO;
			if (h) {
				w->foreign = !kern;
				*header = true;
			}
			return k + h;
		}
		if ((m & WR_UNIX) && (k = t_unix(p, &t))) {
			size_t h = ident(p + k, left - k, &kern);
			if (!h)
				return 0;
			w->wall = t;
			w->foreign = !kern;
			w->kinds |= WR_UNIX;
			*header = true;
			return k + h;
		}
		if ((m & WR_KMSG) && (k = t_kmsg(p, left, rec, &w->uptime)))
			w->kinds |= WR_KMSG;
		return k;
	}
	/* a month's name (short, RFC 3164; other languages' too), a
	 * weekday (short-full, with-unit) */
	if ((m & WR_SYSLOG) && (k = t_syslog(r, p, left, &t)) &&
	    !(p[0] >= 'a' && p[0] <= 'z')) {
		w->kinds |= WR_SYSLOG;
	} else if ((m & WR_FULL) && (k = t_full(p, left, &t))) {
		w->kinds |= WR_FULL;
	} else {
		return 0;
	}
	size_t h = after_syslog_time(p, k, left, &kern);
	if (!h) { /* a wall clock without a header: not ours */
		w->kinds &= ~(unsigned)(WR_SYSLOG | WR_FULL);
		return 0;
	}
	w->wall = t;
	w->foreign = !kern;
	*header = true;
	return k + h;
}

size_t reader_unwrap(struct splat_reader *r, char *line, size_t *lenp,
		     struct splat_record *rec, struct reader_wrapped *w)
{
	size_t n = *lenp, s = 0, k;
	bool header = false; /* a syslog/journal header was stripped */

	w->wall = w->delta = w->uptime = SPLAT_TS_NONE;
	w->foreign = w->marker = false;
	w->kinds = 0;
	if (r->wrap & WR_PASTE) {
		s = strip_paste(r, line, &n);
		if (s || n != *lenp)
			w->kinds |= WR_PASTE;
	}
	s += dispatch(r, line + s, n - s, rec, w, &header);
	if (header && !w->foreign && s < n) {
		/* a syslog line relaying a /dev/kmsg record */
		if ((r->wrap & WR_KMSG) && dig((unsigned char)line[s]) &&
		    (k = t_kmsg(line + s, n - s, rec, &w->uptime))) {
			w->kinds |= WR_KMSG;
			s += k;
		}
		bool nl = false, ctl = false;

		n = s + rsyslog_unescape(line + s, n - s, &nl, &ctl);
		if (ctl) /* the line reader's "plain" no longer holds: the text
			  * must be escaped (a NUL cut it:
			  * fuzz_fmt_journal-unix) */
			r->line_plain = r->line_clean = false;
		if (nl)
			w->kinds |= WR_NEWLINES;
	}
	*lenp = n;
	return s;
}

int64_t reader_iso_usec(const char *s, size_t n)
{
	char buf[48];
	int64_t wall;
	char sep;

	if (n + 2 > sizeof(buf))
		return SPLAT_TS_NONE;
	memcpy(buf, s, n);
	memcpy(buf + n, " ", 2); /* t_iso() ends at a blank */
	return t_iso(buf, n + 1, &wall, &sep) == n + 1 ? wall : SPLAT_TS_NONE;
}

size_t reader_mono_ident(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 8 && !memcmp(p, "kernel: ", 8))
		return 8;
	/* "host kernel: ": a host name holds no ':' */
	while (i < n && i < 64 && p[i] != ' ' && p[i] != ':')
		i++;
	if (i == 0 || i >= n || p[i] != ' ' || n - i - 1 < 8 ||
	    memcmp(p + i + 1, "kernel: ", 8))
		return 0;
	return i + 9;
}

/* ---- time ----------------------------------------------------------- */

static bool boot_start_line(const char *t, size_t n)
{
	return (n >= 14 && !memcmp(t, "Linux version ", 14)) ||
	       (n >= 13 && !memcmp(t, "Booting Linux", 13));
}

void reader_wall_reset(struct splat_reader *r)
{
	r->wall.boot = r->boot;
	r->wall.anchor = SPLAT_TS_NONE;
	r->wall.have_off = false;
	r->wall.nrec = 0;
	r->wall.nstart = 0;
	r->wall.marker = false;
	r->wall.index0 = r->index;
}

void reader_wrapped_time(struct splat_reader *r, struct splat_record *rec,
			 const struct reader_wrapped *w, const char *text,
			 size_t len)
{
	struct reader_wall *c = &r->wall;
	int64_t wall = w->wall;

	if (w->marker) {
		/* a boot of its own, unless nothing came since the last */
		if (r->index > c->index0) {
			r->boot++;
			r->have_ts = false;
		}
		reader_wall_reset(r);
		c->marker = true;
		if (w->boot_id[0]) {
			memcpy(r->boot_id, w->boot_id, sizeof(r->boot_id));
			memcpy(rec->boot_id, w->boot_id, sizeof(rec->boot_id));
		}
		return;
	}
	if (c->boot != r->boot)
		reader_wall_reset(r);
	if (w->uptime != SPLAT_TS_NONE && rec->ts_usec == SPLAT_TS_NONE) {
		rec->ts_usec = w->uptime;
		reader_note_ts(r, w->uptime);
		if (c->boot != r->boot)
			reader_wall_reset(r);
	}
	if (w->delta != SPLAT_TS_NONE && wall == SPLAT_TS_NONE)
		wall = (c->prev == SPLAT_TS_NONE ? 0 : c->prev) + w->delta;
	else if (wall != SPLAT_TS_NONE && w->kinds & WR_RELTIME &&
		 c->prev != SPLAT_TS_NONE && c->prev > wall &&
		 c->prev - wall < 60 * 1000000LL)
		wall = c->prev; /* a minute stamp: the deltas were finer */
	if (wall == SPLAT_TS_NONE)
		return;
	c->prev = wall;
	if (rec->ts_usec != SPLAT_TS_NONE) {
		/* both clocks: the offset dates this boot's other lines */
		c->off = wall - rec->ts_usec;
		c->have_off = true;
		c->nrec++;
		return;
	}
	if (boot_start_line(text, len)) {
		/* "Booting Linux" then "Linux version": one boot */
		if (c->nrec > c->nstart) {
			r->boot++;
			r->have_ts = false;
			reader_wall_reset(r);
		}
		if (c->nrec == 0)
			c->anchor = wall;
		c->kind = SPLAT_CLOCK_WALL_BOOT;
		c->nstart++;
	}
	c->nrec++;
	if (c->have_off) {
		rec->ts_usec = wall - c->off;
		rec->clock = SPLAT_CLOCK_UPTIME;
		return;
	}
	if (c->anchor == SPLAT_TS_NONE) {
		c->anchor = wall;
		c->kind = c->marker ? SPLAT_CLOCK_WALL_BOOT
				    : SPLAT_CLOCK_WALL_FIRST;
	}
	/* a wall clock stepped back (NTP) counts as no time passing */
	rec->ts_usec = wall > c->anchor ? wall - c->anchor : 0;
	rec->clock = (unsigned char)c->kind;
}

const char *splat_wrapper_name(unsigned i)
{
	/* bit i of WR_* (reader_int.h), named like the format rows */
	static const char *const names[] = {
		"paste",	"journal-boot-marker", "journal-short",
		"iso",		"journal-full",	       "journal-monotonic",
		"journal-unix", "syslog-5424",	       "kernel-prefix",
		"dmesg-ctime",	"dmesg-reltime",       "dmesg-delta",
		"kmsg-line",	"serial-terminal",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == 14,
		       "a name per WR_* bit below WR_ALL");
	return i < sizeof(names) / sizeof(names[0]) ? names[i] : NULL;
}
