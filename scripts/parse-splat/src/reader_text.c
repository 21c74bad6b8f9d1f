/* SPDX-License-Identifier: MIT */
/*
 * reader_text.c - console / dmesg text, one record per line.
 *
 * Accepted line prefixes, each optional, in this order:
 *   "<N>"                 syslog prefix (dmesg -r): level N&7, facility N>>3
 *   "kern  :warn  : "     dmesg -x (--decode) names, same meaning
 *   "** N printk messages dropped ** "   console loss note: lost_before = N
 *   "[   12.345678]"      uptime (seconds.fraction, any width, any digits)
 *   "[  T123]" "[ C0]"    PRINTK_CALLER id, right after the time or after
 *                         one space ("[ 1.0][ T1] msg", "[ 1.0] [ T1] msg")
 * then one separating space is dropped; the rest is the message, leading
 * spaces of the message kept.  Lines without any prefix are records too
 * (ts SPLAT_TS_NONE).  Anything else stays message text.
 */
#include <string.h>

#include "reader_int.h"

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The per-line parsers below rely on p[n] being NUL (reader_getline
 * terminates every line): no bounds test per byte, the NUL stops each loop
 * exactly where the end of the line would. */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight bytes at a time for the kernel's fixed-width prefixes ("[%5lu.%06lu]"
 * and "[%6s]"): no loop whose length depends on the data.  Byte masks have
 * 0x80 in each selected byte and are exact (no carries between bytes). */
#define SWAR_FAST 1
#define B8(c)	  (0x0101010101010101ull * (uint8_t)(c))

static inline uint64_t load8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

/* 0x80 in the bytes of x equal to c */
static inline uint64_t swar_eq(uint64_t x, uint8_t c)
{
	uint64_t v = x ^ B8(c);
	uint64_t t = (v & B8(0x7f)) + B8(0x7f);
	return ~(t | v | B8(0x7f));
}

/* 0x80 in the bytes of x that are '0'..'9' */
static inline uint64_t swar_digit(uint64_t x)
{
	uint64_t hi = swar_eq(x & B8(0xf0), 0x30);
	uint64_t lo_ok = ~((x & B8(0x0f)) + B8(0x06)) & B8(0x10);
	return hi & (lo_ok << 3);
}

/* Eight ASCII digits, the first the most significant (D. Lemire). */
static inline uint64_t swar_parse8(uint64_t x)
{
	x = ((x & B8(0x0f)) * 2561) >> 8;
	x = ((x & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
	return ((x & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32;
}
#endif

/* "[ 5140.123456]" at p: returns bytes consumed (0 if none), sets *ts. */
static size_t parse_time(const char *p, size_t n, int64_t *ts)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 1, s0, f0, frac;
	uint64_t sec = 0, usec = 0;
	unsigned d;

	if (n < 4 || u[0] != '[')
		return 0;
#ifdef SWAR_FAST
	if (n >= 14 && u[6] == '.' && u[13] == ']') {
		/* p[1..5]: blanks then at least one digit; p[7..12]: digits */
		const uint64_t sec_b = 0x0000008080808080ull; /* p[1..5] */
		const uint64_t fr_b = 0x0080808080808000ull;  /* p[7..12] */
		uint64_t a = load8(p + 1), f = load8(p + 6);
		uint64_t sp = swar_eq(a, ' ') & sec_b,
			 dg = swar_digit(a) & sec_b;
		if ((swar_digit(f) & fr_b) == fr_b && dg &&
		    (sp | dg) == sec_b &&
		    sp == (((dg & (0 - dg)) - 1) & sec_b)) {
			/* blanks become '0': "000sssss" and "00ffffff" */
			uint64_t sv =
				swar_parse8(((a + (sp >> 3)) << 24) | 0x303030);
			uint64_t fv =
				swar_parse8(((f << 8) & ~0xffffull) | 0x3030);
			*ts = (int64_t)(sv * 1000000 + fv);
			return 14;
		}
	}
#endif
	while (u[i] == ' ')
		i++;
	s0 = i;
	while ((d = (unsigned)u[i] - '0') <= 9) {
		sec = sec * 10 + d;
		i++;
	}
	if (i == s0 || i - s0 > 12 || u[i] != '.')
		return 0;
	f0 = ++i;
#define D(k) ((unsigned)u[f0 + (k)] - '0')
	if (D(0) <= 9 && D(1) <= 9 && D(2) <= 9 && D(3) <= 9 && D(4) <= 9 &&
	    D(5) <= 9 && u[f0 + 6] == ']') {
		/* the usual 6 digits: no loop */
		usec = D(0) * 100000u + D(1) * 10000u + D(2) * 1000u +
		       D(3) * 100u + D(4) * 10u + D(5);
		*ts = (int64_t)(sec * 1000000 + usec);
		return f0 + 7;
	}
#undef D
	while ((d = (unsigned)u[i] - '0') <= 9) {
		if (i - f0 < 6)
			usec = usec * 10 + d;
		i++;
	}
	frac = i - f0;
	if (!frac || u[i] != ']')
		return 0;
	for (; frac < 6; frac++)
		usec *= 10;
	*ts = (int64_t)(sec * 1000000 + usec);
	return i + 1;
}

/* "[  T123]" / "[    C0]": returns bytes consumed (0 if none). */
static inline __attribute__((always_inline)) size_t
parse_caller(const char *p, size_t n, char caller[16])
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 1, d0, nd;

	if (n < 4 || u[0] != '[')
		return 0;
#ifdef SWAR_FAST
	if (n >= 8 && u[7] == ']') {
		/* p[1..6]: blanks, 'T' or 'C', then at least one digit */
		const uint64_t fld = 0x0080808080808000ull;
		uint64_t x = load8(p);
		uint64_t sp = swar_eq(x, ' ') & fld, dg = swar_digit(x) & fld;
		uint64_t tc = (swar_eq(x, 'T') | swar_eq(x, 'C')) & fld;
		uint64_t below = (tc - 1) & fld;
		if (tc && !(tc & (tc - 1)) && sp == below &&
		    dg == (fld & ~(tc | below)) && dg) {
			unsigned k =
				(unsigned)__builtin_ctzll(tc) / 8; /* 1..6 */
			uint64_t y = x >> (8 * k); /* "T123]" ... */
			memcpy(caller, &y, 8);
			caller[7 - k] = '\0'; /* over the ']' */
			return 8;
		}
	}
#endif
	while (u[i] == ' ')
		i++;
	if (u[i] != 'T' && u[i] != 'C')
		return 0;
	/* copied while scanning (at most 11 bytes), undone if it is none */
	d0 = i;
	caller[0] = p[i++];
	while ((unsigned)u[i] - '0' <= 9 && i - d0 <= 10) {
		caller[i - d0] = p[i];
		i++;
	}
	nd = i - d0 - 1;
	if (nd == 0 || u[i] != ']') {
		caller[0] = '\0';
		return 0;
	}
	caller[nd + 1] = '\0';
	return i + 1;
}

static int name_index(const char *p, size_t n, const char *const *names,
		      int count)
{
	for (int i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(p, names[i], n) == 0)
			return i;
	return -1;
}

/* dmesg -x: "kern  :warn  : " (facility and level names, padded). */
static size_t parse_decoded(const char *p, size_t n, int *level, int *fac)
{
	static const char *const facs[] = {
		"kern", "user", "mail", "daemon", "auth",     "syslog",
		"lpr",	"news", "uucp", "cron",	  "authpriv", "ftp"};
	static const char *const lvls[] = {"emerg", "alert",  "crit", "err",
					   "warn",  "notice", "info", "debug"};
	size_t i = 0, f0, f1, l0, l1;
	int f, l;

	while (i < n && i < 10 && p[i] >= 'a' && p[i] <= 'z')
		i++;
	f1 = i;
	f0 = 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i >= n || p[i] != ':' || f1 == 0)
		return 0;
	l0 = ++i;
	while (i < n && i - l0 < 8 && p[i] >= 'a' && p[i] <= 'z')
		i++;
	l1 = i;
	while (i < n && p[i] == ' ')
		i++;
	if (i + 1 >= n || p[i] != ':' || p[i + 1] != ' ')
		return 0;
	f = name_index(p + f0, f1 - f0, facs, 12);
	l = name_index(p + l0, l1 - l0, lvls, 8);
	if (f < 0 || l < 0)
		return 0;
	*fac = f;
	*level = l;
	return i + 2;
}

static size_t parse_dropped(const char *p, size_t n, uint64_t *lost)
{
	static const char tail[] = " printk messages dropped **";
	size_t i = 3;
	uint64_t v = 0;

	if (n < 3 + 1 + sizeof(tail) - 1 || memcmp(p, "** ", 3) != 0)
		return 0;
	while (i < n && is_digit((unsigned char)p[i]) && i < 3 + 18)
		v = v * 10 + (uint64_t)(p[i++] - '0');
	if (i == 3 || n - i < sizeof(tail) - 1 ||
	    memcmp(p + i, tail, sizeof(tail) - 1) != 0)
		return 0;
	*lost = v;
	i += sizeof(tail) - 1;
	if (i < n && p[i] == ' ')
		i++;
	return i;
}

/* May the consumer's skip set pass over this line (its message from t to
 * end, NUL at end)?  Only plain lines clean for the prefilter, starting no
 * boot and reporting no loss, get here.  Moves sk->mark as the consumer's
 * periodic check would have (struct splat_skip, fastpath.h). */
static inline bool skippable(struct splat_skip *sk, const char *t,
			     const char *end, const struct splat_record *rec)
{
	const unsigned char *u = (const unsigned char *)t;
	int64_t ts = rec->ts_usec;

	if (sk->clock) {
		if (ts != SPLAT_TS_NONE && ts > sk->until)
			return false;
		for (unsigned j = 0; j < sk->ncallers; j++)
			if (!strcmp(sk->callers[j], rec->caller))
				return false;
	}
	while (*u == ' ' || *u == '\t')
		u++;
	if (sk->first[*u] &&
	    (!u[1] || (sk->second[u[0]][u[1] >> 3] & (1u << (u[1] & 7)))) &&
	    (!sk->keep || sk->keep(sk, t, (size_t)(end - t))))
		return false;
	/* the analyzer looks at every line's end for "... N callbacks
	 * suppressed" (trailing blanks allowed): keep those */
	if (end > t && (end[-1] == ' ' || end[-1] == '\t'))
		return false;
	if (end - t >= 8 && !memcmp(end - 8, sk->tail, 8))
		return false;
	if (sk->clock && ts != SPLAT_TS_NONE &&
	    (sk->mark == SPLAT_TS_NONE || ts - sk->mark >= sk->every ||
	     ts < sk->mark))
		sk->mark = ts; /* the consumer's check, with nothing to do */
	return true;
}

/* "<N>" at line + i (dmesg -r): level and facility into rec; returns where
 * the rest starts (i when it is none). */
static inline __attribute__((always_inline)) size_t
level_prefix(const char *line, size_t len, size_t i, struct splat_record *rec)
{
	unsigned v = 0;
	size_t k = i + 1;

	while (k < len && k < i + 5 && is_digit((unsigned char)line[k]))
		v = v * 10 + (unsigned)(line[k++] - '0');
	if (k < len && line[k] == '>' && v < 1024) {
		rec->level = (int)(v & 7);
		rec->facility = (int)(v >> 3);
		return k + 1;
	}
	return i;
}

/* "[uptime]" and a caller id glued to it or one blank after it, at
 * line + i (a '['): into rec; returns where the rest starts, *prefix set
 * when either was there. */
static inline __attribute__((always_inline)) size_t
time_caller(struct splat_reader *r, const char *line, size_t len, size_t i,
	    struct splat_record *rec, bool *prefix)
{
	int64_t ts;
	size_t k = parse_time(line + i, len - i, &ts);

	if (k) {
		rec->ts_usec = ts;
		rec->clock = SPLAT_CLOCK_UPTIME;
		i += k;
		*prefix = true;
		reader_note_ts(r, ts);
	}
	k = 0;
	if (i < len && line[i] == '[')
		k = parse_caller(line + i, len - i, rec->caller);
	else if (*prefix && i + 1 < len && line[i] == ' ' && line[i + 1] == '[')
		k = parse_caller(line + i + 1, len - i - 1, rec->caller);
	if (k) {
		i += k + (line[i] == ' ');
		*prefix = true;
	}
	return i;
}

/* The per-line loop, once per pair scanner: the 16-byte one (SSE2, NEON or
 * none) and, on x86-64, the 32-byte one in an AVX2 clone that
 * set_format() (reader.c) picks when the CPU has AVX2. */
#if defined(__SSE2__) || defined(__aarch64__)
#define RT_PF reader_first_nonplain_pf
#endif
#define RT_ATTR
#define RT_GETLINE text_getline_fast
#define RT_NEXT	   reader_text_next
#include "reader_text_loop.h"

#if READER_AVX2_CLONE
#define RT_PF	   reader_first_nonplain_pf256
#define RT_ATTR	   __attribute__((target("avx2")))
#define RT_GETLINE text_getline_fast_avx2
#define RT_NEXT	   reader_text_next_avx2
#include "reader_text_loop.h"
#endif

size_t reader_console_prefix(struct splat_reader *r, const char *line,
			     size_t len, struct splat_record *rec)
{
	size_t i = 0;
	bool prefix = false;

	/* the text reader's prefixes, read as its loop reads them (minus
	 * dmesg -x names and the loss note, which only a console prints) */
	if (len >= 3 && line[0] == '<' && is_digit((unsigned char)line[1]))
		i = level_prefix(line, len, 0, rec);
	if (i < len && line[i] == '[')
		i = time_caller(r, line, len, i, rec, &prefix);
	if (prefix && i < len && line[i] == ' ')
		i++;
	return i;
}
