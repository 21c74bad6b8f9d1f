/* SPDX-License-Identifier: MIT */
/*
 * reader_int.h - internals shared by the reader modules (not installed).
 *
 *   reader.c             open/close, buffered input, format detection,
 *                        dispatch, boot tracking, diagnostics
 *   reader_sanitize.c    escaping of control bytes, UTF-8 validation
 *   reader_text.c        console/dmesg text
 *   reader_kmsg.c        /dev/kmsg records (files and the live device)
 *   reader_jsonscan.c    streaming scanner: one top-level JSON object at a time
 *   reader_journal.c     journalctl -o json and -o export
 *   reader_dmesg_json.c  dmesg --json
 */
#ifndef SPLAT_READER_INT_H
#define SPLAT_READER_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif
/* x86-64: the text reader also comes as an AVX2 clone, chosen at run time
 * when the CPU has AVX2 (reader_text.c). */
#if defined(__x86_64__) && defined(__GNUC__)
#define READER_AVX2_CLONE 1
#include <immintrin.h>
#else
#define READER_AVX2_CLONE 0
#endif

#include "fastpath.h"
#include "splat/reader.h"

/* Input buffer: lines up to the largest limit must fit in it. */
#define READER_BUF_SIZE (1u << 20)
/* JSON objects (one journal entry, one dmesg --json element). */
#define READER_JSON_MAX (256u * 1024u)
/* A timestamp going backwards by more than this starts a new boot (smaller
 * steps are CPUs interleaving), as does any step back to exactly 0. */
#define READER_BOOT_BACKSTEP_USEC 1000000
/* Diagnostics of one kind printed per stream before they are suppressed. */
#define READER_DIAG_LIMIT 10

/* Line wrappers the text reader strips (reader_wrap.c has the forms). */
enum {
	WR_PASTE = 1u << 0,
	WR_MARKER = 1u << 1,
	WR_SYSLOG = 1u << 2,
	WR_ISO = 1u << 3,
	WR_FULL = 1u << 4,
	WR_UNIX = 1u << 5,
	WR_MONO = 1u << 6,
	WR_5424 = 1u << 7,
	WR_BARE = 1u << 8,
	WR_CTIME = 1u << 9,
	WR_RELTIME = 1u << 10,
	WR_DELTA = 1u << 11,
	WR_KMSG = 1u << 12,
	WR_TERM = 1u << 13,
	WR_ALL = (1u << 14) - 1,
	/* not a wrapper: rsyslog's "#012" broke the message into lines */
	WR_NEWLINES = 1u << 14,
};

/* One input format (reader_formats.c). */
struct reader_format {
	const char *name;
	const char *const *aliases; /* NULL-terminated, or NULL */
	const char *help;	    /* one line for --help */
	/* a stream of its own: recognised from the first bytes (auto), read
	 * by next (NULL: the text reader) */
	bool (*detect)(const char *p, size_t n);
	bool detect_after_blanks; /* detect() looks past leading blanks */
	int (*next)(struct splat_reader *r, struct splat_record *rec);
	void (*fini)(struct splat_reader *r);
	/* text: the line wrappers stripped before the kernel prefix */
	unsigned wrap;
};
const struct reader_format *reader_format_row(enum splat_format fmt);
/* A stream row recognised from its first bytes, else SPLAT_FORMAT_AUTO
 * (text, every wrapper). */
enum splat_format reader_detect_stream(const char *p, size_t n);

/* What reader_unwrap() found on a line. */
struct reader_wrapped {
	int64_t wall;	/* wall clock, usec (a pseudo epoch), or NONE */
	int64_t delta;	/* usec since the previous line (dmesg delta) */
	int64_t uptime; /* the kernel's uptime carried by the wrapper */
	bool foreign;	/* a syslog/journal line of another program */
	bool marker;	/* a journal boot marker */
	unsigned kinds; /* WR_* that matched */
	char boot_id[40];
};

/* Per-boot wall clock state (reader_wrap.c). */
struct reader_wall {
	unsigned boot;	/* the boot this state is for */
	int64_t anchor; /* wall time of ts 0, or NONE */
	int kind;	/* SPLAT_CLOCK_WALL_* of the anchor */
	bool have_off;	/* off = wall - uptime is known */
	int64_t off;
	uint64_t nrec;	 /* lines with a wall clock in this boot */
	uint64_t nstart; /* ... that were the kernel's first lines */
	uint64_t index0; /* r->index when the state was reset */
	bool marker;	 /* the boot began at a journal boot marker */
	int64_t prev;	 /* the previous line's wall clock */
	int year, month; /* syslog dates carry no year */
	int64_t tday;	 /* days counted by serial stamps without a date */
};

enum reader_diag_kind {
	RD_OTHER,
	RD_LONG,
	RD_UTF8,
	RD_BINARY,
	RD_BAD,
	RD_LOST,
	RD__COUNT,
};

struct splat_reader {
	char *name;
	int fd;
	bool close_fd;
	bool live;	       /* character device: one read() per record */
	enum splat_format fmt; /* AUTO until detected */
	int (*next)(struct splat_reader *r, struct splat_record *rec);
	void (*fini)(struct splat_reader *r);

	splat_diag_fn diag;
	void *diag_ctx;
	uint64_t diag_count[RD__COUNT];
	bool finished; /* end-of-input checks done */

	struct splat_reader_stats st;

	/* Buffered input; buf has one spare byte for a terminating NUL. */
	char *buf;
	size_t cap, start, end;
	size_t read_max; /* max bytes per fill (tests: tiny chunks) */
	bool eof;
	bool skip_to_nl;	/* discarding the rest of an over-long line */
	bool last_unterminated; /* the last line had no final newline */
	bool line_plain;	/* the last line is all 0x20..0x7e */
	bool line_clean;	/* ... and holds no pair of pf (fast path) */
	bool simd_wide;		/* use the AVX2 clone (set at open: CPU has it,
				 * SPLAT_NO_AVX2 unset; tests may clear it) */
	const struct splat_prefilter *pf; /* splat_reader_set_prefilter() */
	unsigned pf_n;
	unsigned char pf_d[SPLAT_PREFILTER_MAX];
	/* pf's bytes, 16 times each (no broadcast per line) */
	unsigned char pf_a[SPLAT_PREFILTER_MAX][16]
		__attribute__((aligned(16)));
	unsigned char pf_b[SPLAT_PREFILTER_MAX][16]
		__attribute__((aligned(16)));
	/* splat_reader_next_skipping(): the consumer's skip set for this call
	 * (NULL: every line), and the lines passed over not yet accounted in
	 * a returned record. */
	struct splat_skip *skip;
	uint64_t skip_n;
	unsigned skip_boot;
	int64_t skip_min, skip_max, skip_last;
	unsigned skip_clocks;
	const unsigned char *mem; /* memory source instead of fd */
	size_t mem_len, mem_pos;
	uint64_t line_no; /* lines consumed so far */

	/* Output buffers (fixed size, allocated on first use). */
	char *text;
	size_t text_cap;
	char *raw;
	size_t raw_cap;
	char *obj; /* JSON object bytes / export field data */
	size_t obj_cap;

	/* Line wrappers (reader_wrap.c): which to strip, the wall clock. */
	unsigned wrap;
	struct reader_wall wall;

	/* Record bookkeeping and boots. */
	uint64_t index; /* records returned so far */
	unsigned boot;
	bool have_ts;
	int64_t last_ts;
	bool have_seq;
	uint64_t next_seq; /* seq expected next (kmsg) */
	bool start_seq_set;
	uint64_t start_seq;
	char boot_id[40];   /* current journal boot id, or the live
			     * device's /proc boot id */
	bool boot_id_fixed; /* the live device's: put in every record */
	bool epipe;	    /* live kmsg: EPIPE seen, gap follows */

	char *bytes; /* decoded MESSAGE byte arrays / export values */
	size_t bytes_cap;

	/* JSON scanner state (reader_jsonscan.c). */
	int json_state;
	void *tok;	/* struct json_tokener * */
	void *json_cur; /* struct json_object * of the last record */
};

/* reader.c */
void reader_diag(struct splat_reader *r, enum reader_diag_kind kind,
		 enum splat_diag_level level, uint64_t line_no, const char *fmt,
		 ...) __attribute__((format(printf, 5, 6)));
/* Read more input.  1: bytes added, 0: end of input, -1: error (diagnosed). */
int reader_fill(struct splat_reader *r);
/* Next line (NUL terminated in place, CR of CRLF removed, at most limit
 * bytes: longer lines are truncated, diagnosed and counted).  Valid until
 * the next reader_* input call.  1 / 0 (end) / -1 (error). */
int reader_getline(struct splat_reader *r, size_t limit, char **line,
		   size_t *len);
/* Next input byte without consuming it, or -1 at end of input/error. */
int reader_peek(struct splat_reader *r);
/* Make n (<= cap) bytes available at buf+start; returns how many are. */
size_t reader_want(struct splat_reader *r, size_t n);
/* Boot tracking from a timestamp (text, dmesg-json, journal w/o boot id).
 * Inline: it runs once per record. */
static inline void reader_note_ts(struct splat_reader *r, int64_t ts)
{
	if (ts == SPLAT_TS_NONE)
		return;
	if (r->have_ts && ts < r->last_ts &&
	    (r->last_ts - ts > READER_BOOT_BACKSTEP_USEC || ts == 0)) {
		r->boot++;
		r->last_ts = ts;
		return;
	}
	if (!r->have_ts || ts > r->last_ts)
		r->last_ts = ts;
	r->have_ts = true;
}

/* Fill the common record fields (seq index, boot, boot_id); inline. */
static inline void reader_finish_record(struct splat_reader *r,
					struct splat_record *rec)
{
	if (!rec->has_seq)
		rec->seq = r->index;
	if (rec->ts_usec != SPLAT_TS_NONE && rec->clock == SPLAT_CLOCK_NONE)
		rec->clock = SPLAT_CLOCK_UPTIME;
	r->index++;
	rec->boot = r->boot;
	if (r->boot_id[0] && !rec->boot_id[0])
		memcpy(rec->boot_id, r->boot_id, sizeof(rec->boot_id));
	r->st.records++;
	r->st.boots = (uint64_t)r->boot + 1;
	r->st.lost += rec->lost_before;
}

/* A line passed over under splat_reader_next_skipping(): a record in every
 * respect but being returned (seq index, stats); its time is kept for the
 * next returned record's struct splat_skipped (fastpath.h). */
static inline void reader_skip_line(struct splat_reader *r, int64_t ts,
				    unsigned clock)
{
	if (!r->skip_n) {
		r->skip_boot = r->boot;
		r->skip_min = r->skip_max = SPLAT_TS_NONE;
		r->skip_last = SPLAT_TS_NONE;
		r->skip_clocks = 0;
	}
	r->skip_clocks |= 1u << clock;
	r->skip_n++;
	r->index++;
	r->st.records++;
	if (ts != SPLAT_TS_NONE) {
		if (r->skip_min == SPLAT_TS_NONE || ts < r->skip_min)
			r->skip_min = ts;
		if (r->skip_max == SPLAT_TS_NONE || ts > r->skip_max)
			r->skip_max = ts;
		r->skip_last = ts;
	}
}

/* Ensure a buffer of at least n bytes (fixed, bounded sizes only). */
int reader_reserve(char **buf, size_t *cap, size_t n);
/* The size a work buffer bounded by limit needs: limit, or less for a
 * memory input shorter than it (what it holds comes from the input). */
size_t reader_bound(const struct splat_reader *r, size_t limit);

/* reader_wrap.c */
/* Strip the wrappers of r->wrap from line (changed in place: quoting,
 * "^M", NBSP, rsyslog escapes; *len updated); returns where the kernel's
 * part starts.  Fills w and, from a header, rec's level/facility/caller. */
size_t reader_unwrap(struct splat_reader *r, char *line, size_t *len,
		     struct splat_record *rec, struct reader_wrapped *w);
/* "kernel: " or "host kernel: " at p (journalctl short-monotonic, after
 * the kernel prefix): its length, else 0. */
size_t reader_mono_ident(const char *p, size_t n);
/* rec's time from what the wrapper carried (boot markers, wall clocks,
 * wrapper uptimes): the rules at the top of reader_wrap.c.  text is the
 * message. */
void reader_wrapped_time(struct splat_reader *r, struct splat_record *rec,
			 const struct reader_wrapped *w, const char *text,
			 size_t len);
void reader_wall_reset(struct splat_reader *r);
/* "YYYY-MM-DDThh:mm:ss[.us][zone]" -> usec of UTC, or SPLAT_TS_NONE. */
int64_t reader_iso_usec(const char *s, size_t n);

/* reader_text.c: the kernel's console prefix ("<N>", "[uptime]", caller
 * id) of a line held elsewhere (a LAVA message): fills rec, returns where
 * the message starts. */
size_t reader_console_prefix(struct splat_reader *r, const char *line,
			     size_t len, struct splat_record *rec);

/* reader_lava.c */
bool reader_lava_detect(const char *p, size_t n);
int reader_lava_next(struct splat_reader *r, struct splat_record *rec);

/* reader_sanitize.c */
/* Copy src to dst escaping NUL, C0 controls (except TAB, and LF when
 * allow_nl) and DEL as "\xNN".  dst needs 4*len+1 bytes.  Returns the
 * length; *escaped tells whether anything was escaped. */
size_t reader_sanitize(char *dst, const unsigned char *src, size_t len,
		       bool allow_nl, bool *escaped);
/* Index of the first byte outside 0x20..0x7e, or n.  Inline: the line
 * reader finds each line's end with it. */
static inline size_t reader_first_nonplain(const unsigned char *p, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	/* As signed bytes, plain is exactly 0x20 <= x and x != 0x7f. */
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
#define NONPLAIN16(x)                                                          \
	_mm_or_si128(_mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, del))

	/* 64 bytes per test: a log line's end is usually in the first or
	 * second block (fewer data-dependent branches than 16 at a time) */
	for (; i + 64 <= n; i += 64) {
		const __m128i *q = (const __m128i *)(const void *)(p + i);
		__m128i a = NONPLAIN16(_mm_loadu_si128(q));
		__m128i b = NONPLAIN16(_mm_loadu_si128(q + 1));
		__m128i c = NONPLAIN16(_mm_loadu_si128(q + 2));
		__m128i d = NONPLAIN16(_mm_loadu_si128(q + 3));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b),
						   _mm_or_si128(c, d)))) {
			uint64_t m =
				(uint64_t)(uint16_t)_mm_movemask_epi8(a) |
				(uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c) << 32 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(d) << 48;
			return i + (size_t)__builtin_ctzll(m);
		}
	}
#undef NONPLAIN16
	for (; i + 16 <= n; i += 16) {
		__m128i x =
			_mm_loadu_si128((const __m128i *)(const void *)(p + i));
		int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(x, sp),
						       _mm_cmpeq_epi8(x, del)));
		if (m)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#elif defined(__aarch64__)
	const uint8x16_t lo = vdupq_n_u8(0x20), span = vdupq_n_u8(0x5e);

	for (; i + 16 <= n; i += 16) {
		uint8x16_t x = vld1q_u8(p + i);
		uint8x16_t bad = vcgtq_u8(vsubq_u8(x, lo), span);
		/* 4 bits per byte: the classic NEON movemask substitute */
		uint64_t m =
			vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(
					      vreinterpretq_u16_u8(bad), 4)),
				      0);
		if (m)
			return i + (size_t)(__builtin_ctzll(m) >> 2);
	}
#endif
	for (; i < n; i++)
		if ((unsigned char)(p[i] - 0x20) > 0x5e)
			return i;
	return n;
}
#if defined(__SSE2__)
/* reader_first_nonplain() that also looks for the prefilter's byte pairs
 * in the same blocks: *clean tells that none starts before the returned
 * index (false: not known).  Every load stays below n. */
static inline __attribute__((always_inline)) size_t
reader_first_nonplain_pf(const struct splat_reader *r, const unsigned char *p,
			 size_t n, bool *clean, unsigned npf)
{
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
	__m128i acc = _mm_setzero_si128();
	size_t i = 0;
#define NONPLAIN16(x)                                                          \
	_mm_or_si128(_mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, del))
#define LD(o) _mm_loadu_si128((const __m128i *)(const void *)(q + (o)))
	while (i + 64 + 16 <= n) { /* once: the first 64 bytes */
		const unsigned char *q = p + i;
		__m128i x0 = LD(0), x1 = LD(16), x2 = LD(32), x3 = LD(48);
		__m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, c3 = c0;
#pragma GCC unroll 16
		for (unsigned j = 0; j < npf; j++) {
			const __m128i va = _mm_load_si128(
				(const __m128i *)(const void *)r->pf_a[j]);
			const __m128i vb = _mm_load_si128(
				(const __m128i *)(const void *)r->pf_b[j]);
			size_t d = r->pf_d[j];
			c0 = _mm_or_si128(
				c0, _mm_and_si128(_mm_cmpeq_epi8(x0, va),
						  _mm_cmpeq_epi8(LD(d), vb)));
			c1 = _mm_or_si128(
				c1,
				_mm_and_si128(_mm_cmpeq_epi8(x1, va),
					      _mm_cmpeq_epi8(LD(16 + d), vb)));
			c2 = _mm_or_si128(
				c2,
				_mm_and_si128(_mm_cmpeq_epi8(x2, va),
					      _mm_cmpeq_epi8(LD(32 + d), vb)));
			c3 = _mm_or_si128(
				c3,
				_mm_and_si128(_mm_cmpeq_epi8(x3, va),
					      _mm_cmpeq_epi8(LD(48 + d), vb)));
		}
		__m128i a = NONPLAIN16(x0), b = NONPLAIN16(x1);
		__m128i c = NONPLAIN16(x2), d = NONPLAIN16(x3);
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b),
						   _mm_or_si128(c, d)))) {
			uint64_t m =
				(uint64_t)(uint16_t)_mm_movemask_epi8(a) |
				(uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c) << 32 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(d) << 48;
			unsigned e = (unsigned)__builtin_ctzll(m);
			uint64_t cm =
				(uint64_t)(uint16_t)_mm_movemask_epi8(c0) |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c1)
					<< 16 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c2)
					<< 32 |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c3) << 48;
			cm &= (UINT64_C(1) << e) - 1; /* e < 64 */
			*clean = !cm && !_mm_movemask_epi8(acc);
			return i + e;
		}
		acc = _mm_or_si128(acc, _mm_or_si128(_mm_or_si128(c0, c1),
						     _mm_or_si128(c2, c3)));
		i += 64;
		break;
	}
	/* then 32 bytes per step: most lines end within 96 bytes */
	for (; i + 32 + 16 <= n; i += 32) {
		const unsigned char *q = p + i;
		__m128i x0 = LD(0), x1 = LD(16);
		__m128i c0 = _mm_setzero_si128(), c1 = c0;
#pragma GCC unroll 16
		for (unsigned j = 0; j < npf; j++) {
			const __m128i va = _mm_load_si128(
				(const __m128i *)(const void *)r->pf_a[j]);
			const __m128i vb = _mm_load_si128(
				(const __m128i *)(const void *)r->pf_b[j]);
			size_t d = r->pf_d[j];
			c0 = _mm_or_si128(
				c0, _mm_and_si128(_mm_cmpeq_epi8(x0, va),
						  _mm_cmpeq_epi8(LD(d), vb)));
			c1 = _mm_or_si128(
				c1,
				_mm_and_si128(_mm_cmpeq_epi8(x1, va),
					      _mm_cmpeq_epi8(LD(16 + d), vb)));
		}
		__m128i a = NONPLAIN16(x0), b = NONPLAIN16(x1);
		unsigned m = (unsigned)_mm_movemask_epi8(a) |
			     (unsigned)_mm_movemask_epi8(b) << 16;
		if (m) {
			unsigned e = (unsigned)__builtin_ctz(m);
			uint64_t cm =
				(uint64_t)(uint16_t)_mm_movemask_epi8(c0) |
				(uint64_t)(uint16_t)_mm_movemask_epi8(c1) << 16;
			cm &= (UINT64_C(1) << e) - 1; /* e < 32 */
			*clean = !cm && !_mm_movemask_epi8(acc);
			return i + e;
		}
		acc = _mm_or_si128(acc, _mm_or_si128(c0, c1));
	}
#undef LD
#undef NONPLAIN16
	*clean = false;
	return i + reader_first_nonplain(p + i, n - i);
}
#if READER_AVX2_CLONE
/* reader_first_nonplain_pf() with 32-byte vectors, for the text reader's
 * AVX2 clone (chosen at run time, reader_text.c): half the loads and
 * compares per line of the 16-byte one.  Every load stays below n. */
static inline __attribute__((always_inline, target("avx2"))) size_t
reader_first_nonplain_pf256(const struct splat_reader *r,
			    const unsigned char *p, size_t n, bool *clean,
			    unsigned npf)
{
	const __m256i sp = _mm256_set1_epi8(0x20), del = _mm256_set1_epi8(0x7f);
	__m256i acc = _mm256_setzero_si256();
	size_t i = 0;
#define NONPLAIN32(x)                                                          \
	_mm256_or_si256(_mm256_cmpgt_epi8(sp, x), _mm256_cmpeq_epi8(x, del))
#define LD32(o) _mm256_loadu_si256((const __m256i *)(const void *)(q + (o)))
	/* 64 bytes per step, the first and the following alike */
	for (; i + 64 + 16 <= n; i += 64) {
		const unsigned char *q = p + i;
		__m256i x0 = LD32(0), x1 = LD32(32);
		__m256i c0 = _mm256_setzero_si256(), c1 = c0;
#pragma GCC unroll 16
		for (unsigned j = 0; j < npf; j++) {
			const __m256i va = _mm256_broadcastsi128_si256(
				_mm_load_si128((const __m128i *)(const void *)
						       r->pf_a[j]));
			const __m256i vb = _mm256_broadcastsi128_si256(
				_mm_load_si128((const __m128i *)(const void *)
						       r->pf_b[j]));
			size_t d = r->pf_d[j];
			c0 = _mm256_or_si256(
				c0, _mm256_and_si256(
					    _mm256_cmpeq_epi8(x0, va),
					    _mm256_cmpeq_epi8(LD32(d), vb)));
			c1 = _mm256_or_si256(
				c1,
				_mm256_and_si256(
					_mm256_cmpeq_epi8(x1, va),
					_mm256_cmpeq_epi8(LD32(32 + d), vb)));
		}
		uint64_t m =
			(uint64_t)(uint32_t)_mm256_movemask_epi8(
				NONPLAIN32(x0)) |
			(uint64_t)(uint32_t)_mm256_movemask_epi8(NONPLAIN32(x1))
				<< 32;
		if (m) {
			unsigned e = (unsigned)__builtin_ctzll(m);
			uint64_t cm =
				(uint64_t)(uint32_t)_mm256_movemask_epi8(c0) |
				(uint64_t)(uint32_t)_mm256_movemask_epi8(c1)
					<< 32;
			cm &= (UINT64_C(1) << e) - 1; /* e < 64 */
			*clean = !cm && _mm256_testz_si256(acc, acc);
			return i + e;
		}
		acc = _mm256_or_si256(acc, _mm256_or_si256(c0, c1));
	}
#undef LD32
#undef NONPLAIN32
	*clean = false;
	return i + reader_first_nonplain(p + i, n - i);
}
#endif
#elif defined(__aarch64__)
/* The same for the tablet (NEON), 16 bytes per step.  Every load stays
 * below n. */
static inline __attribute__((always_inline)) size_t
reader_first_nonplain_pf(const struct splat_reader *r, const unsigned char *p,
			 size_t n, bool *clean, unsigned npf)
{
	const uint8x16_t lo = vdupq_n_u8(0x20), span = vdupq_n_u8(0x5e);
	uint8x16_t acc = vdupq_n_u8(0);
	size_t i = 0;
/* 4 bits per byte: the classic NEON movemask substitute */
#define NIBBLES(v)                                                             \
	vget_lane_u64(                                                         \
		vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(v), 4)),  \
		0)

	for (; i + 32 <= n; i += 16) { /* pair loads end by i + 30 */
		uint8x16_t x = vld1q_u8(p + i);
		uint8x16_t bad = vcgtq_u8(vsubq_u8(x, lo), span);
		uint8x16_t c = vdupq_n_u8(0);
#pragma GCC unroll 16
		for (unsigned j = 0; j < npf; j++)
			c = vorrq_u8(
				c,
				vandq_u8(vceqq_u8(x, vld1q_u8(r->pf_a[j])),
					 vceqq_u8(vld1q_u8(p + i + r->pf_d[j]),
						  vld1q_u8(r->pf_b[j]))));
		uint64_t m = NIBBLES(bad);
		if (m) {
			unsigned e = (unsigned)__builtin_ctzll(m) >> 2;
			uint64_t cm =
				NIBBLES(c) & ((UINT64_C(1) << (4 * e)) - 1);
			*clean = !cm && !vmaxvq_u8(acc);
			return i + e;
		}
		acc = vorrq_u8(acc, c);
	}
#undef NIBBLES
	*clean = false;
	return i + reader_first_nonplain(p + i, n - i);
}
#endif
/* true if the bytes are all 0x20..0x7e (the fast path). */
bool reader_plain_ascii(const unsigned char *p, size_t n);
bool reader_valid_utf8(const unsigned char *p, size_t n);
/* Shared handling of a record's text: sanitises into r->text when needed,
 * counts/diagnoses binary and invalid UTF-8, sets rec->text/text_len. */
int reader_set_text(struct splat_reader *r, struct splat_record *rec,
		    const char *src, size_t len, bool allow_nl,
		    uint64_t line_no);

/* Format modules: detect from the first bytes, and the record readers. */
int reader_text_next(struct splat_reader *r, struct splat_record *rec);
#if READER_AVX2_CLONE
int reader_text_next_avx2(struct splat_reader *r, struct splat_record *rec);
#endif
int reader_kmsg_next(struct splat_reader *r, struct splat_record *rec);
bool reader_kmsg_header_like(const char *p, size_t n);
/* Parse one complete kmsg record (header line, continuation lines). */
int reader_kmsg_parse(struct splat_reader *r, struct splat_record *rec,
		      const char *raw, size_t raw_len, uint64_t line_no);
int reader_journal_json_next(struct splat_reader *r, struct splat_record *rec);
int reader_journal_export_next(struct splat_reader *r,
			       struct splat_record *rec);
int reader_dmesg_json_next(struct splat_reader *r, struct splat_record *rec);
/* Frees the JSON tokener/object of the JSON formats. */
void reader_json_fini(struct splat_reader *r);
/* Parse r->obj-style bytes into an object kept until the next record;
 * NULL (diagnosed, counted bad) if invalid or not an object. */
struct json_object;
struct json_object *reader_json_parse(struct splat_reader *r, const char *obj,
				      size_t len, uint64_t line_no);
/* Boot id change: bump the boot when it differs from the current one. */
void reader_note_boot_id(struct splat_reader *r, const char *id, int64_t ts);

/* reader_jsonscan.c: next top-level JSON object of a stream, copied into
 * r->obj (NUL terminated).  In array mode the stream is {"dmesg":[ {..},
 * .. ]}.  1 / 0 (end) / -1 (error). */
int reader_json_next_object(struct splat_reader *r, bool dmesg_array,
			    const char **obj, size_t *len, uint64_t *line_no);

#endif
