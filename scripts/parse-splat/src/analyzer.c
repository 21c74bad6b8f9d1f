/* SPDX-License-Identifier: MIT */
/*
 * analyzer.c - records in, events out.
 *
 * Per line (a record's text split on '\n'), in this order:
 *   1. patterns: the follow-up of a pending pattern line, a pattern's first
 *      line, or "NAME: N callbacks suppressed" (a suffix compare);
 *   2. the report-kind table (ld_match: first byte, then the rows);
 *   3. a line of the report open in this line's context.
 * A context is (boot, caller id): with CONFIG_PRINTK_CALLER the lines of
 * interleaved CPUs/tasks are assembled apart; without it there is one
 * context and a foreign line inside a report marks it corrupted.
 *
 * Attribution of "NAME: N callbacks suppressed" (documented heuristic): the
 * N lines the kernel's ratelimit swallowed belong to the first pattern that
 * (a) lists NAME under "ratelimit =", or (b) whose last matched line in this
 * boot contains NAME (the ratelimit name is the printing function, which
 * drivers usually put in the message), or (c) whose own match text contains
 * NAME.  Otherwise the event carries "pattern": null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lockdep_int.h"
#include "fastpath.h"
#include "patterns_int.h"
#include "splat/analyzer.h"
#include "splat/guard.h"
#include "splat/reader.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

/* memchr for the short strings of one log line, inline: 16 bytes at a time
 * and a last block overlapping the previous one instead of a byte loop. */
static inline const char *find_byte(const char *s, size_t n, char c)
{
#if defined(__SSE2__) || defined(__aarch64__)
	if (n >= 16) {
		const unsigned char *u = (const unsigned char *)s;
#if defined(__SSE2__)
		const __m128i vc = _mm_set1_epi8(c);
#else
		const uint8x16_t vc = vdupq_n_u8((uint8_t)c);
#endif
		for (size_t i = 0;; i += 16) {
			if (i + 16 > n)
				i = n - 16;
#if defined(__SSE2__)
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_loadu_si128(
					(const __m128i *)(const void *)(u + i)),
				vc));
			if (m)
				return s + i + __builtin_ctz(m);
#else
			uint8x16_t eq = vceqq_u8(vld1q_u8(u + i), vc);
			uint64_t m = vget_lane_u64(
				vreinterpret_u64_u8(vshrn_n_u16(
					vreinterpretq_u16_u8(eq), 4)),
				0);
			if (m)
				return s + i + (__builtin_ctzll(m) >> 2);
#endif
			if (i + 16 >= n)
				return NULL;
		}
	}
#endif
	return memchr(s, c, n);
}

#if defined(__SSE2__)
/* bit j: p[j] == c (16 bytes) */
typedef unsigned bmask_t;
static inline bmask_t bmask_eq(const char *p, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		_mm_loadu_si128((const __m128i *)(const void *)p),
		_mm_set1_epi8(c)));
}
/* the same against 16 bytes v (c repeated) */
static inline bmask_t bmask_eqv(const char *p, const unsigned char *v)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		_mm_loadu_si128((const __m128i *)(const void *)p),
		_mm_loadu_si128((const __m128i *)(const void *)v)));
}
static inline size_t bmask_first(bmask_t m)
{
	return (size_t)__builtin_ctz(m);
}
static inline bmask_t bmask_next(bmask_t m)
{
	return m & (m - 1);
}
/* the first k < 16 positions */
static inline bmask_t bmask_below(size_t k)
{
	return (1u << k) - 1;
}
#elif defined(__aarch64__)
/* 4 bits per byte: the NEON movemask substitute */
typedef uint64_t bmask_t;
static inline bmask_t bmask_eq(const char *p, char c)
{
	uint8x16_t eq =
		vceqq_u8(vld1q_u8((const uint8_t *)p), vdupq_n_u8((uint8_t)c));
	return vget_lane_u64(
		vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(eq), 4)),
		0);
}
static inline bmask_t bmask_eqv(const char *p, const unsigned char *v)
{
	uint8x16_t eq = vceqq_u8(vld1q_u8((const uint8_t *)p), vld1q_u8(v));
	return vget_lane_u64(
		vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(eq), 4)),
		0);
}
static inline size_t bmask_first(bmask_t m)
{
	return (size_t)(__builtin_ctzll(m) >> 2);
}
static inline bmask_t bmask_next(bmask_t m)
{
	return m & ~(UINT64_C(0xf) << (__builtin_ctzll(m) & ~3));
}
static inline bmask_t bmask_below(size_t k)
{
	return (UINT64_C(1) << (4 * k)) - 1;
}
#endif

#define MAX_CTX 32
/* An open report whose context was silent this long (log time) is closed:
 * one in its stack dump (complete) after a second, others after 30 s. */
#define STALE_USEC (30 * 1000000LL)
#define QUIET_USEC (1000000LL)
/* Open reports are swept for staleness at most this often (log time). */
#define SWEEP_USEC   (100000LL)
#define PAT_LINE_MAX 256
#define DEFER_MAX    4

struct actx {
	bool open; /* mirrors ld_report_open(rep), cheaply */
	/* a bug report whose header line had no log prefix: prose in a
	 * mail ("BUG: ..." in a cover letter) unless a stack follows */
	bool bare;
	uint64_t bare_line; /* its input line (for the guard) */
	char caller[16];
	struct ld_report *rep; /* allocated once, reused */
	uint64_t last_use;
};

struct pat_rt {
	bool pending;
	int64_t ts;
	uint64_t seq;
	uint64_t line_idx;
	unsigned boot;
	char caller[16];
	char line[PAT_LINE_MAX];
	char last_line[PAT_LINE_MAX]; /* last matched line, this boot */
};

/* Every pattern literal (the literal, or a regex's required literal), for
 * one fused test per line: no literal in the line and no pattern pending
 * means the pattern loop has nothing to do. */
#define FL_MAX 16
struct fused_lit {
	const unsigned char *s;
	size_t n;
	size_t d; /* offset of the second anchor byte (1..15) */
	const struct splat_lit *lit;
	/* s[0] and s[d], 16 times each (no broadcast per line) */
	unsigned char vf[16], vd[16];
};

struct splat_analyzer {
	const struct splat_patterns *pats;
	bool fl_ok; /* the fused test stands for the pattern loop */
	unsigned nfl;
	size_t fl_nmin, fl_dmax;
	struct fused_lit fl[FL_MAX];
	splat_event_fn sink;
	void *ctx;
	bool started;
	unsigned boot;
	struct actx slots[MAX_CTX];
	unsigned nopen;
	uint32_t openmask; /* bit i: slots[i].open (MAX_CTX <= 32) */
	struct pat_rt *prt;
	uint64_t line_idx;
	uint64_t last_off_idx;
	char last_off_caller[16];
	bool have_off;
	int64_t now;
	int64_t last_sweep;
	bool no_detail;			 /* splat_analyzer_set_no_detail() */
	struct splat_prefilter pf;	 /* splat_analyzer_prefilter() */
	struct splat_skip skip;		 /* splat_analyzer_skip() */
	struct splat_unrecognized unrec; /* splat_analyzer_unrecognized() */
	/* A line without any log prefix (dmesg prints a record's second and
	 * later lines so) belongs to the caller of the record before it while
	 * that caller has a report open (cont_ok). */
	char cont_caller[16];
	bool cont_ok;
	bool cont_armed;  /* that record's message was empty ("[ 1.2]
			   * [ T5]" then "\nother info ...") */
	bool seen_prefix; /* some record had a log prefix */
	/* bare bug reports closed before any prefixed record: prose if one
	 * comes, else (a paste without prefixes) events at the boot's end */
	struct ld_report *deferred[DEFER_MAX];
	uint64_t deferred_line[DEFER_MAX];
	unsigned ndeferred;
};

/* The reader found none of pf's byte pairs in the record's line: no
 * pattern literal and no login prompt in it. */
static inline bool rec_clean(const struct splat_analyzer *a,
			     const struct splat_record *rec)
{
	return rec->clean_for == (const void *)&a->pf;
}

/* How unlikely a byte is in a log line, roughly (anchor choice only). */
static int rarity(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || c == ' ')
		return 0;
	if ((c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
	    c == '-' || c == '/' || c == ',')
		return 1;
	return 2;
}

static void fused_init(struct splat_analyzer *a)
{
	const struct splat_patterns *ps = a->pats;
	a->fl_ok = false;
	a->nfl = 0;
	a->fl_nmin = SIZE_MAX;
	for (size_t i = 0; i < ps->n; i++) {
		const struct splat_matcher *ms[2] = {&ps->v[i].first,
						     &ps->v[i].followup};
		for (int k = 0; k < 2; k++) {
			const struct splat_matcher *m = ms[k];
			if (!m->set)
				continue;
			/* without a literal every line needs the loop */
			if (m->literal_len < 2 || a->nfl == FL_MAX)
				return;
			a->fl[a->nfl].lit = &m->lit;
			a->fl[a->nfl].s = m->lit.s;
			a->fl[a->nfl].n = m->lit.n;
			if (m->lit.n < a->fl_nmin)
				a->fl_nmin = m->lit.n;
			a->nfl++;
		}
	}
	/* second anchor: the rarest-looking byte at 1..min(15, nmin-1), so
	 * that every load of a block stays inside the line */
	size_t dlim = a->fl_nmin - 1 < 15 ? a->fl_nmin - 1 : 15;
	a->fl_dmax = 0;
	for (unsigned j = 0; j < a->nfl; j++) {
		struct fused_lit *f = &a->fl[j];
		f->d = 1;
		for (size_t d = 2; d <= dlim; d++)
			if (rarity(f->s[d]) > rarity(f->s[f->d]))
				f->d = d;
		if (f->d > a->fl_dmax)
			a->fl_dmax = f->d;
		memset(f->vf, f->s[0], 16);
		memset(f->vd, f->s[f->d], 16);
	}
	a->fl_ok = a->nfl > 0;
}

/* true if some pattern literal occurs in the line (exact). */
static bool fused_any(const struct splat_analyzer *a, const char *s, size_t len)
{
	if (len < a->fl_nmin)
		return false;
#if defined(__SSE2__)
	if (len >= 32 + a->fl_dmax) {
		/* the same as below, 32 positions per step (fewer branches) */
		size_t npos = len - a->fl_nmin + 1;
		for (size_t o = 0;; o += 32) {
			if (o + 32 + a->fl_dmax > len)
				o = len - 32 - a->fl_dmax;
			for (unsigned j = 0; j < a->nfl; j++) {
				const struct fused_lit *f = &a->fl[j];
				if (f->n > len || len - f->n + 1 <= o)
					continue;
				size_t cnt = len - f->n + 1 - o;
				uint32_t m =
					(bmask_eqv(s + o, f->vf) &
					 bmask_eqv(s + o + f->d, f->vd)) |
					(bmask_eqv(s + o + 16, f->vf) &
					 bmask_eqv(s + o + 16 + f->d, f->vd))
						<< 16;
				if (cnt < 32)
					m &= (UINT32_C(1) << cnt) - 1;
				for (; m; m &= m - 1) {
					size_t p = o + (size_t)__builtin_ctz(m);
					if (!memcmp(s + p, f->s, f->n))
						return true;
				}
			}
			if (o + 32 >= npos || o + 32 + a->fl_dmax >= len)
				return false;
		}
	}
#endif
#if defined(__SSE2__) || defined(__aarch64__)
	if (len >= 16 + a->fl_dmax) {
		/* candidate starts: 0 .. len - nmin */
		size_t npos = len - a->fl_nmin + 1;
		for (size_t o = 0;; o += 16) {
			if (o + 16 + a->fl_dmax > len)
				o = len - 16 - a->fl_dmax;
			for (unsigned j = 0; j < a->nfl; j++) {
				const struct fused_lit *f = &a->fl[j];
				if (f->n > len || len - f->n + 1 <= o)
					continue;
				size_t cnt = len - f->n + 1 - o;
				bmask_t m = bmask_eqv(s + o, f->vf) &
					    bmask_eqv(s + o + f->d, f->vd);
				if (cnt < 16)
					m &= bmask_below(cnt);
				for (; m; m = bmask_next(m)) {
					size_t p = o + bmask_first(m);
					if (!memcmp(s + p, f->s, f->n))
						return true;
				}
			}
			if (o + 16 >= npos || o + 16 + a->fl_dmax >= len)
				return false;
		}
	}
#endif
	for (unsigned j = 0; j < a->nfl; j++)
		if (splat_lit_find(a->fl[j].lit, s, len))
			return true;
	return false;
}

/* splat_skip.keep: a line starting with a report-kind byte is needed only
 * when it starts a report (most such lines, "IPv6: ..", "Bluetooth: ..",
 * start none). */
static bool keep_kind_header(const struct splat_skip *sk, const char *msg,
			     size_t len)
{
	unsigned word;
	(void)sk;
	return ld_match(msg, len, &word) != NULL;
}

struct splat_analyzer *splat_analyzer_new(const struct splat_patterns *patterns,
					  splat_event_fn sink, void *ctx)
{
	struct splat_analyzer *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->pats = patterns;
	a->sink = sink;
	a->ctx = ctx;
	a->now = SPLAT_TS_NONE;
	a->last_sweep = SPLAT_TS_NONE;
	if (patterns && patterns->n) {
		a->prt = calloc(patterns->n, sizeof(*a->prt));
		if (!a->prt) {
			free(a);
			return NULL;
		}
		fused_init(a);
	}
	a->skip.pf = &a->pf;
	ld_first_bytes(a->skip.first, a->skip.second);
	a->skip.keep = keep_kind_header;
	memcpy(a->skip.tail, "ppressed", 8); /* " callbacks suppressed" */
	return a;
}

void splat_analyzer_free(struct splat_analyzer *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < MAX_CTX; i++)
		ld_report_free(a->slots[i].rep);
	for (unsigned i = 0; i < DEFER_MAX; i++)
		ld_report_free(a->deferred[i]);
	free(a->prt);
	free(a);
}

/* ------------------------------------------------------------ reports */

static struct actx *find_open(struct splat_analyzer *a, const char *caller)
{
	for (uint32_t m = a->openmask; m; m &= m - 1) {
		struct actx *c = &a->slots[__builtin_ctz(m)];
		if (c->caller[0] == caller[0] && !strcmp(c->caller, caller))
			return c;
	}
	return NULL;
}

/* A header line that became no event (guard.h). */
static void unrec_line(struct splat_analyzer *a, uint64_t line_no)
{
	if (a->unrec.nfirst < SPLAT_GUARD_FIRST)
		a->unrec.first[a->unrec.nfirst++] = line_no;
	a->unrec.count++;
}

/* A report whose stack dump has frames ends normally whenever its context
 * goes quiet; anything else cut off is corrupted. */
static void close_report(struct splat_analyzer *a, struct actx *c,
			 const char *reason)
{
	if (!ld_report_open(c->rep))
		return;
	if (c->bare && !ld_report_has_body(c->rep) &&
	    (a->seen_prefix || a->ndeferred < DEFER_MAX)) {
		/* "BUG: ..." without a log prefix, and nothing of a report
		 * after it: in a log that has prefixes a sentence in a mail,
		 * no bug (its line is one the guard counts: a header in no
		 * event); before any prefix, decided when one comes */
		if (a->seen_prefix) {
			ld_report_discard(c->rep);
			unrec_line(a, c->bare_line);
		} else {
			if (reason)
				ld_report_corrupt(c->rep, reason);
			struct ld_report *t = a->deferred[a->ndeferred];
			if (!t)
				t = ld_report_new();
			if (!t) {
				ld_report_emit(c->rep, a->sink, a->ctx);
			} else {
				a->deferred[a->ndeferred] = c->rep;
				a->deferred_line[a->ndeferred++] = c->bare_line;
				c->rep = t;
			}
		}
	} else {
		if (reason)
			ld_report_corrupt(c->rep, reason);
		ld_report_emit(c->rep, a->sink, a->ctx);
	}
	c->open = false;
	a->nopen--;
	a->openmask &= ~(UINT32_C(1) << (c - a->slots));
}

/* The bare reports closed before any prefixed record: events (prose) */
static void flush_deferred(struct splat_analyzer *a, bool prose)
{
	for (unsigned i = 0; i < a->ndeferred; i++) {
		if (prose) {
			ld_report_discard(a->deferred[i]);
			unrec_line(a, a->deferred_line[i]);
		} else {
			ld_report_emit(a->deferred[i], a->sink, a->ctx);
		}
	}
	a->ndeferred = 0;
}

/* Close when the reason is only "it stopped": complete ones stay clean. */
static void close_quiet(struct splat_analyzer *a, struct actx *c,
			const char *reason)
{
	close_report(a, c, ld_report_complete(c->rep) ? NULL : reason);
}

static struct actx *alloc_slot(struct splat_analyzer *a, const char *caller)
{
	struct actx *free_slot = NULL, *lru = NULL;
	for (unsigned i = 0; i < MAX_CTX; i++) {
		struct actx *c = &a->slots[i];
		if (!c->open) {
			if (!free_slot || (c->rep && !free_slot->rep))
				free_slot = c;
		} else if (!lru || c->last_use < lru->last_use) {
			lru = c;
		}
	}
	struct actx *c = free_slot;
	if (!c) {
		close_quiet(a, lru, "evicted");
		c = lru;
	}
	if (!c->rep) {
		c->rep = ld_report_new();
		if (!c->rep)
			return NULL;
	}
	snprintf(c->caller, sizeof(c->caller), "%s", caller);
	return c;
}

/* Open slots in index order (closing one does not open another). */
static void close_all(struct splat_analyzer *a, const char *reason)
{
	for (uint32_t m = a->openmask; m; m &= m - 1)
		close_quiet(a, &a->slots[__builtin_ctz(m)], reason);
}

static void sweep_stale(struct splat_analyzer *a)
{
	if (a->now == SPLAT_TS_NONE)
		return;
	for (uint32_t m = a->openmask; m; m &= m - 1) {
		struct actx *c = &a->slots[__builtin_ctz(m)];
		int64_t last = ld_report_last_ts(c->rep);
		if (last == SPLAT_TS_NONE)
			continue;
		if (a->now - last > STALE_USEC ||
		    (a->now - last > QUIET_USEC && ld_report_complete(c->rep)))
			close_quiet(a, c, "truncated");
	}
}

/* ------------------------------------------------------------ patterns */

static void copy_line(char *dst, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	ld_copy(dst, PAT_LINE_MAX, s, n);
}

static void emit_pattern_line(struct splat_analyzer *a,
			      const struct splat_pattern *p, const char *role,
			      bool paired, int64_t ts, uint64_t seq,
			      unsigned boot, const char *line,
			      const char *caller, int64_t delta)
{
	char sig[SPLAT_PAT_NAME_MAX + 16];
	snprintf(sig, sizeof(sig), "%s", p->name);
	json_object *d = NULL;
	if (!a->no_detail) {
		d = json_object_new_object();
		json_object_object_add(d, "role", json_object_new_string(role));
		if (p->followup.set)
			json_object_object_add(d, "paired",
					       json_object_new_boolean(paired));
		json_object_object_add(d, "line", json_object_new_string(line));
		json_object_object_add(
			d, "caller",
			caller[0] ? json_object_new_string(caller) : NULL);
		if (paired && delta != SPLAT_TS_NONE)
			json_object_object_add(d, "delta_usec",
					       json_object_new_int64(delta));
	}
	struct splat_event ev = {
		.type = SPLAT_EV_PATTERN,
		.kind = p->name,
		.title = line,
		.signature = sig,
		.ts_usec = ts,
		.boot = boot,
		.seq = seq,
		.count = 1,
		.detail = d,
		.role = role,
	};
	a->sink(a->ctx, &ev);
	json_object_put(d);
}

static void resolve_pending(struct splat_analyzer *a, size_t i, bool paired)
{
	struct pat_rt *rt = &a->prt[i];
	if (!rt->pending)
		return;
	rt->pending = false;
	emit_pattern_line(a, &a->pats->v[i], "first", paired, rt->ts, rt->seq,
			  rt->boot, rt->line, rt->caller, SPLAT_TS_NONE);
}

static void flush_patterns(struct splat_analyzer *a)
{
	if (!a->pats)
		return;
	for (size_t i = 0; i < a->pats->n; i++) {
		resolve_pending(a, i, false);
		a->prt[i].last_line[0] = '\0';
	}
}

static bool window_expired(const struct splat_pattern *p,
			   const struct pat_rt *rt, int64_t ts,
			   uint64_t line_idx)
{
	if (ts != SPLAT_TS_NONE && rt->ts != SPLAT_TS_NONE)
		return ts - rt->ts > p->window_usec;
	return line_idx - rt->line_idx > p->window_lines;
}

static bool suppressed_line(struct splat_analyzer *a, const char *line,
			    size_t len, const struct splat_record *rec)
{
	static const char suffix[] = " callbacks suppressed";
	const size_t sl = sizeof(suffix) - 1;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len < sl + 4 || memcmp(line + len - sl, suffix, sl))
		return false;
	/* "NAME: N callbacks suppressed" */
	size_t e = len - sl, d = e;
	while (d > 0 && line[d - 1] >= '0' && line[d - 1] <= '9')
		d--;
	if (d == e || d < 3 || line[d - 1] != ' ' || line[d - 2] != ':')
		return false;
	uint64_t n = 0;
	for (size_t i = d; i < e; i++)
		n = n * 10 + (uint64_t)(line[i] - '0');
	size_t ns = 0;
	while (ns < d - 2 && (line[ns] == ' ' || line[ns] == '\t'))
		ns++;
	char name[SPLAT_PAT_NAME_MAX * 2];
	ld_copy(name, sizeof(name), line + ns, d - 2 - ns);

	const char *owner = NULL;
	for (size_t i = 0; a->pats && i < a->pats->n && !owner; i++) {
		const struct splat_pattern *p = &a->pats->v[i];
		for (unsigned j = 0; j < p->nratelimit; j++)
			if (!strcmp(p->ratelimit[j], name))
				owner = p->name;
	}
	for (size_t i = 0; a->pats && i < a->pats->n && !owner; i++)
		if (name[0] && strstr(a->prt[i].last_line, name))
			owner = a->pats->v[i].name;
	for (size_t i = 0; a->pats && i < a->pats->n && !owner; i++) {
		const struct splat_pattern *p = &a->pats->v[i];
		if (name[0] &&
		    ((p->first.source && strstr(p->first.source, name)) ||
		     (p->followup.source && strstr(p->followup.source, name))))
			owner = p->name;
	}
	char title[SPLAT_PAT_NAME_MAX * 2 + 48],
		sig[SPLAT_PAT_NAME_MAX * 2 + 16];
	snprintf(title, sizeof(title), "%s: %llu callbacks suppressed", name,
		 (unsigned long long)n);
	snprintf(sig, sizeof(sig), "suppressed:%s", name);
	json_object *dj = NULL;
	if (!a->no_detail) {
		dj = json_object_new_object();
		json_object_object_add(dj, "name",
				       json_object_new_string(name));
		json_object_object_add(dj, "pattern",
				       owner ? json_object_new_string(owner)
					     : NULL);
		json_object_object_add(
			dj, "caller",
			rec->caller[0] ? json_object_new_string(rec->caller)
				       : NULL);
	}
	struct splat_event ev = {
		.type = SPLAT_EV_SUPPRESSED,
		.kind = name,
		.title = title,
		.signature = sig,
		.ts_usec = rec->ts_usec,
		.boot = rec->boot,
		.seq = rec->seq,
		.count = n,
		.detail = dj,
		.owner = owner,
	};
	a->sink(a->ctx, &ev);
	json_object_put(dj);
	return true;
}

/* Returns true when the line belongs to a pattern (or is a suppressed
 * line): then it is no part of any report. */
static bool pattern_line(struct splat_analyzer *a, const char *line, size_t len,
			 const struct splat_record *rec)
{
	bool hit = false;
	bool loop = a->pats != NULL;
	if (loop && a->fl_ok) {
		loop = false;
		for (size_t i = 0; i < a->pats->n && !loop; i++)
			loop = a->prt[i].pending;
		loop = loop || (!rec_clean(a, rec) && fused_any(a, line, len));
	}
	if (loop) {
		for (size_t i = 0; i < a->pats->n; i++) {
			const struct splat_pattern *p = &a->pats->v[i];
			struct pat_rt *rt = &a->prt[i];
			if (rt->pending &&
			    window_expired(p, rt, rec->ts_usec, a->line_idx))
				resolve_pending(a, i, false);
			if (p->followup.set &&
			    splat_matcher_match_fast(&p->followup, line, len)) {
				char buf[PAT_LINE_MAX];
				copy_line(buf, line, len);
				bool paired = rt->pending;
				int64_t delta = SPLAT_TS_NONE;
				if (paired) {
					if (rt->ts != SPLAT_TS_NONE &&
					    rec->ts_usec != SPLAT_TS_NONE)
						delta = rec->ts_usec - rt->ts;
					/* the pair: first line, follow-up, pair
					 */
					rt->pending = false;
					emit_pattern_line(a, p, "first", true,
							  rt->ts, rt->seq,
							  rt->boot, rt->line,
							  rt->caller, delta);
				}
				emit_pattern_line(a, p, "followup", paired,
						  rec->ts_usec, rec->seq,
						  rec->boot, buf, rec->caller,
						  delta);
				if (paired) {
					char title[SPLAT_PAT_NAME_MAX + 16];
					snprintf(title, sizeof(title),
						 "%s pair", p->name);
					json_object *d = NULL;
					if (!a->no_detail) {
						d = json_object_new_object();
						json_object_object_add(
							d, "first",
							json_object_new_string(
								rt->line));
						json_object_object_add(
							d, "followup",
							json_object_new_string(
								buf));
						json_object_object_add(
							d, "delta_usec",
							delta == SPLAT_TS_NONE
								? NULL
								: json_object_new_int64(
									  delta));
					}
					struct splat_event ev = {
						.type = SPLAT_EV_PATTERN_PAIR,
						.kind = p->name,
						.title = title,
						.signature = p->name,
						.ts_usec = rt->ts,
						.boot = rt->boot,
						.seq = rt->seq,
						.count = 1,
						.detail = d,
					};
					a->sink(a->ctx, &ev);
					json_object_put(d);
				}
				memcpy(rt->last_line, buf, sizeof(buf));
				hit = true;
				continue;
			}
			if (splat_matcher_match_fast(&p->first, line, len)) {
				char buf[PAT_LINE_MAX];
				copy_line(buf, line, len);
				memcpy(rt->last_line, buf, sizeof(buf));
				hit = true;
				if (!p->followup.set) {
					emit_pattern_line(a, p, "first", false,
							  rec->ts_usec,
							  rec->seq, rec->boot,
							  buf, rec->caller,
							  SPLAT_TS_NONE);
					continue;
				}
				resolve_pending(a, i, false);
				rt->pending = true;
				rt->ts = rec->ts_usec;
				rt->seq = rec->seq;
				rt->boot = rec->boot;
				rt->line_idx = a->line_idx;
				memcpy(rt->line, buf, sizeof(buf));
				snprintf(rt->caller, sizeof(rt->caller), "%s",
					 rec->caller);
			}
		}
	}
	if (!hit && len > 21 && suppressed_line(a, line, len, rec))
		hit = true;
	return hit;
}

/* --------------------------------------------------------------- lines */

/* A console where a login prompt and a kernel line share a line:
 * "syzkaller login: [   35.18] BUG: ..." -> "BUG: ...".  Cheap: only lines
 * starting with a lower-case letter, only their first 64 bytes. */
static void strip_login(const char **line, size_t *len, char caller[16])
{
	const char *s = *line;
	size_t n = *len;
	if (n < 24 || s[0] < 'a' || s[0] > 'z')
		return;
	/* a '[' in the first 64 bytes preceded by " login: " */
	size_t lim = n < 64 ? n : 64, i = 0;
#if defined(__SSE2__) || defined(__aarch64__)
	/* the first "[" at 8 <= b < lim after ":?" (16 positions at a time,
	 * the last block overlapping: lim >= 24), then the whole " login: " */
	for (size_t o = 8;; o += 16) {
		if (o + 16 > lim)
			o = lim - 16;
		bmask_t m = bmask_eq(s + o, '[') & bmask_eq(s + o - 2, ':');
		for (; m; m = bmask_next(m)) {
			size_t b = o + bmask_first(m);
			if (!memcmp(s + b - 8, " login: ", 8)) {
				i = b + 1;
				goto found;
			}
		}
		if (o + 16 >= lim)
			return;
	}
found:
#else
	for (;;) {
		const char *b = find_byte(s + i, lim - i, '[');
		if (!b)
			return;
		i = (size_t)(b - s) + 1;
		if (b - s >= 8 && !memcmp(b - 8, " login: ", 8))
			break;
		if (i >= lim)
			return;
	}
#endif
	while (i < n && s[i] == ' ')
		i++;
	size_t d = i;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	if (i == d || i + 1 >= n || s[i] != ']')
		return;
	i++;
	caller[0] = '\0';
	if (s[i] == '[') { /* caller id "[ T123]" */
		const char *e = memchr(s + i, ']', n - i);
		if (!e || e - (s + i) > 14)
			return;
		const char *c = s + i + 1;
		while (c < e && *c == ' ')
			c++;
		ld_copy(caller, 16, c, (size_t)(e - c));
		i = (size_t)(e - s) + 1;
	}
	if (i < n && s[i] == ' ')
		i++;
	*line = s + i;
	*len = n - i;
}

/* A line that became part of no event: does it hold a report header
 * (guard.h)?  A clean line holds none (the prefilter has the guard's
 * pairs). */
static void guard(struct splat_analyzer *a, const char *line, size_t len,
		  const struct splat_record *rec)
{
	if (rec_clean(a, rec) || !splat_guard_line(line, len))
		return;
	if (a->unrec.nfirst < SPLAT_GUARD_FIRST &&
	    (!a->unrec.nfirst ||
	     a->unrec.first[a->unrec.nfirst - 1] != rec->line_no))
		a->unrec.first[a->unrec.nfirst++] = rec->line_no;
	a->unrec.count++;
}

const struct splat_unrecognized *
splat_analyzer_unrecognized(const struct splat_analyzer *a)
{
	return &a->unrec;
}

static void process_line(struct splat_analyzer *a, const char *line, size_t len,
			 const struct splat_record *rec, bool bare)
{
	a->line_idx++;
	char login_caller[16] = "\1";
	if (!rec_clean(a, rec))
		strip_login(&line, &len, login_caller);
	struct splat_record copy;
	if (login_caller[0] != '\1')
		bare = false; /* "... login: [ 35.1] BUG: ..." has a prefix */
	if (login_caller[0] != '\1' && login_caller[0] && !rec->caller[0]) {
		copy = *rec;
		memcpy(copy.caller, login_caller, sizeof(copy.caller));
		rec = &copy;
	}
	struct actx *c = find_open(a, rec->caller);

	if (pattern_line(a, line, len, rec)) {
		if (c) {
			if (ld_report_complete(c->rep))
				close_report(a, c, NULL);
			else
				ld_report_corrupt(c->rep, "interleaved");
		}
		return;
	}

	unsigned word;
	const struct ld_kind *k = ld_match(line, len, &word);
	if (k) {
		/* an Oops while lockdep prints its report: count it, keep its
		 * lines (and stack) with the report (a panic, as after WARN()
		 * with panic_on_warn, stays part of it).  An Oops's
		 * own later lines ("Internal error: Oops" after "Unable to
		 * handle ...") are absorbed, and so is "Oops: ..." that starts
		 * it (x86 since 6.10: "Oops: general protection fault ...")
		 * only once the report is marked. */
		bool cuts =
			c && k->type == SPLAT_EV_BUG &&
			(k->flags & LD_DISABLES) && !(k->flags & LD_INSTANT) &&
			ld_report_kind(c->rep)->type != SPLAT_EV_BUG &&
			!ld_report_complete(c->rep) &&
			(!(k->flags & LD_ABSORB) || !ld_report_oopsed(c->rep));
		if (c && (k->flags & LD_ABSORB) && !cuts) {
			ld_report_absorb(c->rep, line, len);
			c->last_use = a->line_idx;
			return;
		}
		if (cuts) {
			ld_emit_instant(k, word, line, len, rec, a->sink,
					a->ctx);
			ld_report_corrupt(c->rep, "oops");
			ld_report_absorb(c->rep, line, len);
			c->last_use = a->line_idx;
			return;
		}
		if (k->flags & LD_CONT_OFF && a->have_off &&
		    a->line_idx - a->last_off_idx <= 4 &&
		    !strcmp(a->last_off_caller, rec->caller))
			return; /* the tail of the event just emitted */
		if (k->flags & LD_INSTANT) {
			ld_emit_instant(k, word, line, len, rec, a->sink,
					a->ctx);
			if (k->type == SPLAT_EV_LOCKDEP_OFF) {
				a->have_off = true;
				a->last_off_idx = a->line_idx;
				snprintf(a->last_off_caller,
					 sizeof(a->last_off_caller), "%s",
					 rec->caller);
			}
			return;
		}
		if (c)
			close_quiet(a, c, "next-report");
		c = alloc_slot(a, rec->caller);
		if (!c)
			return;
		ld_report_start(c->rep, k, word, line, len, rec);
		/* no log prefix at all (not even one inherited) */
		c->bare = k->type == SPLAT_EV_BUG && bare;
		c->bare_line = rec->line_no;
		c->open = true;
		c->last_use = a->line_idx;
		a->nopen++;
		a->openmask |= UINT32_C(1) << (c - a->slots);
		return;
	}
	if (!c) {
		guard(a, line, len, rec);
		return;
	}
	c->last_use = a->line_idx;
	switch (ld_report_line(c->rep, line, len, rec)) {
	case LD_MORE:
		break;
	case LD_DONE:
		close_report(a, c, NULL);
		break;
	case LD_DONE_BEFORE: /* the line is past the report */
		close_report(a, c, NULL);
		guard(a, line, len, rec);
		break;
	}
}

static void emit_simple(struct splat_analyzer *a, enum splat_event_type t,
			const struct splat_record *rec, uint64_t count,
			json_object *d)
{
	char title[64];
	if (t == SPLAT_EV_BOOT)
		snprintf(title, sizeof(title), "boot %u", rec->boot);
	else
		snprintf(title, sizeof(title), "%llu records lost",
			 (unsigned long long)count);
	struct splat_event ev = {
		.type = t,
		.title = title,
		.ts_usec = rec->ts_usec,
		.boot = rec->boot,
		.seq = rec->seq,
		.count = count,
		.detail = d,
	};
	a->sink(a->ctx, &ev);
	json_object_put(d);
}

void splat_analyzer_set_no_detail(struct splat_analyzer *a, bool on)
{
	a->no_detail = on;
}

static void pf_add(struct splat_prefilter *pf, bool *ok, unsigned char x,
		   unsigned char y, unsigned char d)
{
	for (unsigned j = 0; j < pf->n; j++)
		if (pf->a[j] == x && pf->b[j] == y && pf->d[j] == d)
			return;
	if (pf->n == SPLAT_PREFILTER_MAX) {
		*ok = false;
		return;
	}
	pf->a[pf->n] = x;
	pf->b[pf->n] = y;
	pf->d[pf->n] = d;
	pf->n++;
}

const struct splat_prefilter *splat_analyzer_prefilter(struct splat_analyzer *a)
{
	/* exactly the anchors of fused_any() and strip_login(): a line that
	 * has none of them needs neither */
	struct splat_prefilter *pf = &a->pf;
	bool ok = true;
	pf->n = 0;
	/* strip_login() needs " login: [": the 'l' 7 bytes before the '['
	 * (rarer than its own ":?[" test, which "wlan0: [..]" has) */
	pf_add(pf, &ok, 'l', '[', 7);
	/* the guard's strings (guard.h): never clean, never passed over */
	for (unsigned j = 0; j < SPLAT_GUARD_NPAIRS; j++)
		pf_add(pf, &ok, splat_guard_pairs[j].a, splat_guard_pairs[j].b,
		       splat_guard_pairs[j].d);
	for (unsigned j = 0; a->fl_ok && j < a->nfl; j++)
		pf_add(pf, &ok, a->fl[j].s[0], a->fl[j].s[a->fl[j].d],
		       (unsigned char)a->fl[j].d);
	return ok ? pf : NULL;
}

struct splat_skip *splat_analyzer_skip(struct splat_analyzer *a)
{
	/* Idle: started (the boot event is out), no pattern waiting for its
	 * follow-up, and the fused literal test standing for the pattern loop.
	 * Then a line that is clean for the prefilter, starts no report-kind
	 * header and is no "callbacks suppressed" line changes nothing but the
	 * line count and the clock (process_line()), unless its caller has a
	 * report open, or its time lets the sweep in splat_analyzer_feed()
	 * close one: those the reader keeps (skip.callers, skip.until), and it
	 * moves skip.mark where the sweeps it passes over would have moved
	 * last_sweep. */
	if (!a->started || a->nopen > SPLAT_SKIP_CALLERS)
		return NULL;
	/* until a record with a log prefix is seen, every line counts (a bare
	 * "BUG:" line is prose once one comes: close_report()) */
	if (!a->seen_prefix)
		return NULL;
	if (a->pats && a->pats->n) {
		if (!a->fl_ok)
			return NULL;
		for (size_t i = 0; i < a->pats->n; i++)
			if (a->prt[i].pending)
				return NULL;
	}
	struct splat_skip *sk = &a->skip;
	sk->clock = a->nopen > 0;
	if (!sk->clock)
		return sk;
	/* rebuilt every time: a slot may close and open again for another
	 * caller within one record */
	sk->ncallers = 0;
	sk->until = INT64_MAX;
	for (uint32_t m = a->openmask; m; m &= m - 1) {
		const struct actx *c = &a->slots[__builtin_ctz(m)];
		memcpy(sk->callers[sk->ncallers++], c->caller, 16);
		/* sweep_stale() closes nothing at or before this */
		int64_t last = ld_report_last_ts(c->rep);
		if (last == SPLAT_TS_NONE)
			continue;
		int64_t u = last + (ld_report_complete(c->rep) ? QUIET_USEC
							       : STALE_USEC);
		if (u < sk->until)
			sk->until = u;
	}
	/* lines without a caller id continue the last record's report
	 * (splat_analyzer_feed()): the reader keeps them */
	if (a->cont_ok) {
		bool have = false;
		for (unsigned i = 0; i < sk->ncallers; i++)
			have = have || !sk->callers[i][0];
		if (!have && sk->ncallers == SPLAT_SKIP_CALLERS)
			return NULL;
		if (!have)
			sk->callers[sk->ncallers++][0] = '\0';
	}
	sk->mark = a->last_sweep;
	sk->every = SWEEP_USEC;
	return sk;
}

void splat_analyzer_skipped(struct splat_analyzer *a,
			    const struct splat_skipped *sk)
{
	if (!sk->n)
		return;
	/* lines the reader passed over while we were idle: all of the
	 * current boot (a boot's first line is never skipped) */
	a->line_idx += sk->n;
	if (sk->ts_last != SPLAT_TS_NONE)
		a->now = sk->ts_last;
	if (a->skip.clock)
		a->last_sweep = a->skip.mark; /* the sweeps passed over */
	a->cont_ok = false; /* lines of callers without reports */
}

int splat_analyzer_feed(struct splat_analyzer *a,
			const struct splat_record *rec)
{
	if (!a->started || rec->boot != a->boot) {
		if (a->started) {
			close_all(a, "boot-change");
			flush_deferred(a, false);
			flush_patterns(a);
		}
		a->started = true;
		a->boot = rec->boot;
		a->have_off = false;
		json_object *d = json_object_new_object();
		json_object_object_add(
			d, "boot_id",
			rec->boot_id[0] ? json_object_new_string(rec->boot_id)
					: NULL);
		emit_simple(a, SPLAT_EV_BOOT, rec, 1, d);
	}
	if (rec->lost_before) {
		json_object *d = json_object_new_object();
		emit_simple(a, SPLAT_EV_LOST, rec, rec->lost_before, d);
		for (uint32_t m = a->openmask; m; m &= m - 1)
			ld_report_corrupt(a->slots[__builtin_ctz(m)].rep,
					  "lost-records");
	}
	if (rec->ts_usec != SPLAT_TS_NONE)
		a->now = rec->ts_usec;

	const char *s = rec->text ? rec->text : "";
	size_t n = rec->text ? rec->text_len : 0;
	/* No log prefix: a record's continuation line as dmesg prints it,
	 * indented (util-linux: "[ 12.3] [ T817] ..." then "    but task is
	 * already holding lock:") or, after a record whose first line was
	 * empty, as is (dmesg -x in 0-day reports: "kern  :warn  : [ 12.3]
	 * [ T817]" then "other info that might help us debug this:");
	 * anything else without a prefix is not the kernel's (prose, a
	 * program's output). */
	bool bare = rec->ts_usec == SPLAT_TS_NONE && !rec->caller[0] &&
		    rec->level < 0;
	bool inherit = false;
	struct splat_record inh;
	if (bare && a->cont_ok &&
	    (a->cont_armed || (n && (s[0] == ' ' || s[0] == '\t')))) {
		inh = *rec;
		memcpy(inh.caller, a->cont_caller, sizeof(inh.caller));
		rec = &inh;
		bare = false;
		inherit = true;
	}
	if (!bare && !a->seen_prefix) {
		a->seen_prefix = true;
		flush_deferred(a, true);
	}
	if (rec->single_line) /* the reader knows: no '\n' to look for */
		process_line(a, s, n, rec, bare);
	else
		for (;;) {
			const char *nl = find_byte(s, n, '\n');
			size_t l = nl ? (size_t)(nl - s) : n;
			process_line(a, s, l, rec, bare);
			if (!nl)
				break;
			n -= l + 1;
			s = nl + 1;
		}
	if (rec->caller[0]) {
		memcpy(a->cont_caller, rec->caller, sizeof(a->cont_caller));
		a->cont_ok = find_open(a, rec->caller) != NULL;
		if (!inherit) {
			size_t e = rec->text_len;
			while (e && (rec->text[e - 1] == ' ' ||
				     rec->text[e - 1] == '\r'))
				e--;
			a->cont_armed = e == 0;
		}
	} else {
		a->cont_ok = false;
	}
	/* at most every 100 ms of log time (splat_analyzer_skip() keeps the
	 * lines that would sweep) */
	if (a->nopen && a->now != SPLAT_TS_NONE &&
	    (a->last_sweep == SPLAT_TS_NONE ||
	     a->now - a->last_sweep >= SWEEP_USEC || a->now < a->last_sweep)) {
		a->last_sweep = a->now;
		sweep_stale(a);
	}
	return 0;
}

void splat_analyzer_tick(struct splat_analyzer *a, int64_t now_usec)
{
	if (!a->started || now_usec == SPLAT_TS_NONE)
		return;
	if (a->now == SPLAT_TS_NONE || now_usec > a->now)
		a->now = now_usec;
	if (a->nopen)
		sweep_stale(a);
	for (size_t i = 0; a->pats && i < a->pats->n; i++) {
		struct pat_rt *rt = &a->prt[i];
		if (rt->pending && rt->ts != SPLAT_TS_NONE &&
		    a->now - rt->ts > a->pats->v[i].window_usec)
			resolve_pending(a, i, false);
	}
}

void splat_analyzer_finish(struct splat_analyzer *a)
{
	close_all(a, "end-of-stream");
	flush_deferred(a, false);
	flush_patterns(a);
}
