/* SPDX-License-Identifier: MIT */
/*
 * lockdep.c - the small engine that walks the report-kind table
 * (lockdep_kinds.c): header matching, report assembly, extraction of task,
 * locks (class, usage bits, wait type, acquisition site), frames, title and
 * signature, and the event in the end.
 *
 * Cost model: ld_match() is called for every line, so it rejects on the
 * first byte before touching the table; everything else only runs for lines
 * of an open report.  A report's state is one fixed-size struct, allocated
 * once per context and reused: no allocation per line.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <json-c/json.h>

#include "lockdep_int.h"

#define LD_MAX_LOCKS  24
#define LD_MAX_FRAMES 12
#define LD_MAX_CHAIN  8
#define LD_TEXT_MAX   (32 * 1024)
/* Lines of a report before its stack starts: past this it is cut off. */
#define LD_MAX_BODY_LOCKDEP 1500
#define LD_MAX_BODY_BUG	    150
#define LD_MAX_TRACE	    200
#define LD_MAX_SYMS	    64
#define LD_FRAG_MAX	    512

enum ld_sec {
	S_BODY,
	S_LOCK, /* the next lock line gets `role` */
	S_DEP,	/* "(&a){..} -> (&b){..}" */
	S_FR_SAFE,
	S_FR_UNSAFE,
	S_FR_STATE,
	S_HELD,	     /* " #0: ... " list */
	S_CHAIN,     /* "-> #1 (&x){..}-{..}:" + frames */
	S_RELEASE,   /* "is trying to release lock (x) at:" + frame */
	S_STACK_PRE, /* after "stack backtrace:" */
	S_TRACE,     /* after "Call Trace:" */
};

struct ld_lock {
	char role[20];
	char cls[160];
	char usage[8];
	char wait[16];
	char site[192];
	int index;
};

struct ld_frames {
	unsigned n;
	char f[LD_MAX_FRAMES][128];
};

struct ld_report {
	const struct ld_kind *k;
	unsigned word;
	char header[256];
	char capture[128];
	char irq[32];
	char task[80];
	long pid;
	char release[128];
	char transition[96];
	char func[128]; /* the title function, set at emission */
	char title[320];
	char signature[512];
	const char *corrupt;
	char caller[16];
	int64_t ts;
	int64_t last_ts;
	uint64_t seq;
	unsigned boot;

	enum ld_sec sec;
	char role[20];
	bool marker_seen; /* LF_*_AFTER: the marker line was seen */
	bool want_frame;  /* a site came without a frame: take next */
	bool trace_seen;
	unsigned trace_frames;
	unsigned trace_lines;
	unsigned lines;

	struct ld_lock locks[LD_MAX_LOCKS];
	unsigned nlocks;
	struct ld_frames safe_at, unsafe_at, state_at, stack;

	/* title-function candidates (raw symbols, syzkaller's stackFmt) */
	char acq_sym[96];		 /* first "at:" after the marker */
	char second_sym[96];		 /* the next "at:" */
	char after_sym[96];		 /* first frame after the marker */
	char rip_sym[96];		 /* "RIP: 0010:f+0x" / "pc : f+0x" */
	char hdr_sym[96];		 /* "WARNING: ... at x.c:1 f+0x" */
	char safe_syms[LD_MAX_SYMS][96]; /* first "which became" */
	unsigned nsafe;
	bool safe_done;
	char post_syms[LD_MAX_SYMS][96]; /* frames after second_sym */
	unsigned npost;
	char trace_syms[LD_MAX_SYMS][96]; /* call trace */
	unsigned ntrace;
	char chain[LD_MAX_CHAIN][160];
	unsigned nchain;

	/* a lock line the console split into records ("ffff (", "&x->lock",
	 * "){+.+.}-{2:2}, at: f+0x1/0x2"), joined before it is read */
	char frag[LD_FRAG_MAX];
	size_t frag_len;
	bool frag_on;

	char text[LD_TEXT_MAX];
	size_t text_len;
	bool text_cut;
};

/* ---------------------------------------------------------------- utils */

void ld_copy(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (!dstlen)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool starts(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	return n >= pl && !memcmp(s, p, pl);
}

/* memmem() without its per-call table set-up (these haystacks are one log
 * line): the needle's first byte by memchr, then a compare.  The same
 * result: the first occurrence, s itself for an empty needle. */
static const char *find(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	if (!nl)
		return s;
	if (n < nl)
		return NULL;
	const char *p = s, *last = s + (n - nl);
	while ((p = memchr(p, needle[0], (size_t)(last - p) + 1))) {
		if (!memcmp(p + 1, needle + 1, nl - 1))
			return p;
		if (p++ == last)
			break;
	}
	return NULL;
}

/* The ')' closing the '(' at o (class names nest: "&(&x->lock)->rlock",
 * "&q->q_usage_counter(queue)#2"); without a balanced one the first ')'
 * after o, or NULL. */
static const char *close_paren(const char *o, const char *end)
{
	int depth = 0;
	for (const char *p = o; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return memchr(o, ')', (size_t)(end - o));
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
		      (*s)[*n - 1] == '\r'))
		(*n)--;
}

static bool is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Title/signature normalisation: drop "+0x../0x.." offsets, turn hex
 * addresses (0x.. or 8+ hex digits) into ADDR. */
void ld_normalise(char *dst, size_t dstlen, const char *src)
{
	size_t o = 0;
	const char *p = src;

	if (!dstlen)
		return;
	while (*p && o + 1 < dstlen) {
		if (p[0] == '+' && p[1] == '0' && p[2] == 'x') {
			p += 3;
			while (is_hex(*p) || *p == '/' || *p == 'x')
				p++;
			continue;
		}
		if ((p == src || !isalnum((unsigned char)p[-1])) &&
		    p[0] == '0' && p[1] == 'x' && is_hex(p[2])) {
			p += 2;
			while (is_hex(*p))
				p++;
			for (const char *a = "ADDR"; *a && o + 1 < dstlen; a++)
				dst[o++] = *a;
			continue;
		}
		if (p == src || !isalnum((unsigned char)p[-1])) {
			size_t h = 0;
			while (is_hex(p[h]))
				h++;
			if (h >= 8 && !isalnum((unsigned char)p[h])) {
				p += h;
				for (const char *a = "ADDR";
				     *a && o + 1 < dstlen; a++)
					dst[o++] = *a;
				continue;
			}
		}
		dst[o++] = *p++;
	}
	dst[o] = '\0';
}

/* Function name as syzkaller titles it: no ".isra.0"/".constprop.0"/".cold"
 * suffix, no arch syscall-wrapper prefix. */
static void func_clean(char *dst, size_t dstlen, const char *sym, size_t n)
{
	/* C++ (Itanium) mangling of a plain function: _Z<len><name><args> */
	if (n > 3 && sym[0] == '_' && sym[1] == 'Z' &&
	    isdigit((unsigned char)sym[2])) {
		size_t i = 2, len = 0;
		while (i < n && isdigit((unsigned char)sym[i]) && len < 4096)
			len = len * 10 + (size_t)(sym[i++] - '0');
		if (len && i + len <= n) {
			sym += i;
			n = len;
		}
	}
	static const char *const pre[] = {
		"SYSC_",	"SyS_",	       "sys_",	    "__x64_",
		"__ia32_",	"__arm64_",    "____sys_",  "___sys_",
		"__sys_",	"__se_",       "__se_sys_", "__do_sys_",
		"compat_SYSC_", "compat_SyS_", "ksys_",	    NULL};
	for (unsigned i = 0; pre[i]; i++) {
		size_t pl = strlen(pre[i]);
		if (n > pl && !memcmp(sym, pre[i], pl)) {
			sym += pl;
			n -= pl;
			break;
		}
	}
	const char *dot = memchr(sym, '.', n);
	if (dot && dot > sym)
		n = (size_t)(dot - sym);
	ld_copy(dst, dstlen, sym, n);
}

/* A stack frame: [ "[<hex>]"... ] [ "? " ] sym+0xOFF[/0xLEN] [ "[mod]" ].
 * Returns true and the symbol span; *q set for "?" (unreliable) frames. */
static bool parse_frame(const char *s, size_t n, const char **sym,
			size_t *symlen, const char **full, size_t *fulllen,
			bool *q)
{
	*q = false;
	trim(&s, &n);
	for (;;) {
		if (n >= 2 && s[0] == '[' && (s[1] == '<' || is_hex(s[1]))) {
			const char *e = memchr(s, ']', n);
			if (!e)
				return false;
			n -= (size_t)(e + 1 - s);
			s = e + 1;
			trim(&s, &n);
			continue;
		}
		if (n >= 2 && s[0] == '?' && s[1] == ' ') {
			*q = true;
			s += 2;
			n -= 2;
			trim(&s, &n);
			continue;
		}
		break;
	}
	size_t i = 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
			 s[i] == '.' || s[i] == '$'))
		i++;
	if (!i || i + 3 > n || s[i] != '+' || s[i + 1] != '0' ||
	    s[i + 2] != 'x')
		return false;
	*sym = s;
	*symlen = i;
	*full = s;
	*fulllen = n;
	return true;
}

/* Skip-list entries: "^x" prefix, "x$" suffix, "^x$" exact, else a
 * substring. */
static bool skip_match(const char *sym, size_t n, const char *pat)
{
	bool a0 = pat[0] == '^';
	size_t pl = strlen(pat) - (a0 ? 1 : 0);
	const char *p = pat + (a0 ? 1 : 0);
	bool a1 = pl && p[pl - 1] == '$';
	if (a1)
		pl--;
	if (pl > n)
		return false;
	if (a0 && a1)
		return pl == n && !memcmp(sym, p, pl);
	if (a0)
		return !memcmp(sym, p, pl);
	if (a1)
		return !memcmp(sym + n - pl, p, pl);
	return memmem(sym, n, p, pl) != NULL;
}

static bool frame_skipped_walk(const char *sym, size_t n,
			       const char *const *list)
{
	for (unsigned i = 0; list[i]; i++)
		if (skip_match(sym, n, list[i]))
			return true;
	return false;
}

/* The answers for recent symbols: a soak log repeats the same backtrace
 * thousands of times, and each frame would walk the ~300 patterns of the
 * generic list again.  Per thread, so analyzers in threads stay apart. */
#define SKIP_CACHE     1024
#define SKIP_CACHE_SYM 64
struct skip_cache_slot {
	const char *const *list;
	uint32_t hash;
	unsigned char len;
	bool skip;
	char sym[SKIP_CACHE_SYM];
};
static _Thread_local struct skip_cache_slot skip_cache[SKIP_CACHE];

static bool frame_skipped(const char *sym, size_t n, const char *const *list)
{
	if (!list)
		return false;
	if (n >= SKIP_CACHE_SYM)
		return frame_skipped_walk(sym, n, list);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)sym[i]) * 16777619u;
	h ^= (uint32_t)(uintptr_t)list;
	struct skip_cache_slot *c = &skip_cache[h % SKIP_CACHE];
	if (c->list == list && c->hash == h && c->len == n &&
	    !memcmp(c->sym, sym, n))
		return c->skip;
	c->list = list;
	c->hash = h;
	c->len = (unsigned char)n;
	memcpy(c->sym, sym, n);
	c->skip = frame_skipped_walk(sym, n, list);
	return c->skip;
}

static void syms_add(char (*v)[96], unsigned *n, const char *sym, size_t len)
{
	if (*n < LD_MAX_SYMS)
		ld_copy(v[(*n)++], 96, sym, len);
}

static void frames_add(struct ld_frames *f, const char *s, size_t n)
{
	if (f->n < LD_MAX_FRAMES)
		ld_copy(f->f[f->n++], sizeof(f->f[0]), s, n);
}

/* --------------------------------------------------------------- match */

/* Rows that can match, by leading word and first byte after it: bit i is
 * splat_ld_kinds[i] (rows with an empty prefix are in every entry; [256]:
 * nothing after the word).  Built once at start-up from the table, so a
 * line whose first byte starts no row costs one load, not a table walk. */
#define LD_ROWS_MAX 64
static uint64_t ld_rows[4][257];
static bool ld_rows_ok;

__attribute__((constructor)) static void ld_rows_init(void)
{
	if (splat_ld_nkinds > LD_ROWS_MAX)
		return; /* ld_match walks the whole table then */
	for (unsigned wi = 0; wi < 4; wi++)
		for (size_t i = 0; i < splat_ld_nkinds; i++) {
			const struct ld_kind *k = &splat_ld_kinds[i];
			uint64_t bit = UINT64_C(1) << i;
			if (!(k->words & (1u << wi)))
				continue;
			if (!k->prefix[0]) {
				for (unsigned c = 0; c < 257; c++)
					ld_rows[wi][c] |= bit;
			} else {
				ld_rows[wi][(unsigned char)k->prefix[0]] |= bit;
			}
		}
	ld_rows_ok = true;
}

/* The first two bytes a header line can start with (leading blanks aside):
 * "[ ", or a leading word or a row's prefix (the word first when the row
 * takes one).  Built once from the table, like ld_rows: lines such as
 * "IPv6: .." and "Bluetooth: .." pass the first-byte filter, not this. */
static uint8_t ld_pair[256][32]; /* bit b1 of row b0 */
static bool ld_pair_ok;
/* ld_match()'s first-byte filter (the first byte of a line, leading blanks
 * and tabs aside), from the same texts; 0 never starts a header. */
static unsigned char ld_first[256];

static void ld_pair_mark(const char *text)
{
	unsigned char c0 = (unsigned char)text[0], c1 = (unsigned char)text[1];
	if (!c0) {
		memset(ld_pair, 0xff, sizeof(ld_pair)); /* matches anything */
		memset(ld_first + 1, 1, sizeof(ld_first) - 1);
		return;
	}
	ld_first[c0] = 1;
	if (!c1) {
		memset(ld_pair[c0], 0xff, sizeof(ld_pair[c0]));
		return;
	}
	ld_pair[c0][c1 >> 3] |= (uint8_t)(1u << (c1 & 7));
}

__attribute__((constructor)) static void ld_pair_init(void)
{
	static const char *const words[4] = {"",
					     "WARNING: ", "BUG: ", "INFO: "};
	char text[64];
	ld_pair_mark("[ ");
	for (size_t i = 0; i < splat_ld_nkinds; i++) {
		const struct ld_kind *k = &splat_ld_kinds[i];
		for (unsigned wi = 0; wi < 4; wi++) {
			if (!(k->words & (1u << wi)))
				continue;
			snprintf(text, sizeof(text), "%s%s", words[wi],
				 k->prefix);
			ld_pair_mark(text);
		}
	}
	ld_pair_ok = true;
}

/* The row's header prefix starts the line and its extra substring, if it
 * has one, is in it. */
static inline bool kind_matches(const struct ld_kind *k, const char *s,
				size_t n)
{
	return starts(s, n, k->prefix) &&
	       (!k->contains || find(s, n, k->contains));
}

void ld_first_bytes(unsigned char first[256], uint8_t pair[256][32])
{
	if (ld_pair_ok) {
		memcpy(first, ld_first, sizeof(ld_first));
		memcpy(pair, ld_pair, sizeof(ld_pair));
	} else {
		memset(first, 1, 256);
		first[0] = 0;
		memset(pair, 0xff, sizeof(ld_pair));
	}
}

const struct ld_kind *ld_match(const char *line, size_t len, unsigned *word)
{
	const char *s = line;
	size_t n = len;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (!n)
		return NULL;
	/* first-byte filter: every header starts with one of these (all
	 * bytes pass until the constructor has run) */
	if (ld_pair_ok && !ld_first[(unsigned char)*s])
		return NULL;
	/* then the first two */
	if (n >= 2 && ld_pair_ok &&
	    !(ld_pair[(unsigned char)s[0]][(unsigned char)s[1] >> 3] &
	      (1u << ((unsigned char)s[1] & 7))))
		return NULL;
	if (n >= 2 && s[0] == '[' && s[1] == ' ') {
		s += 2;
		n -= 2;
	}
	unsigned w = LW_NONE;
	if (starts(s, n, "WARNING: ")) {
		w = LW_WARNING;
		s += 9;
		n -= 9;
	} else if (starts(s, n, "BUG: ")) {
		w = LW_BUG;
		s += 5;
		n -= 5;
	} else if (starts(s, n, "INFO: ")) {
		w = LW_INFO;
		s += 6;
		n -= 6;
	}
	if (ld_rows_ok) {
		/* the same rows in the same order, only the candidates */
		uint64_t m = ld_rows[__builtin_ctz(w)]
				    [n ? (unsigned char)s[0] : 256];
		for (; m; m &= m - 1) {
			const struct ld_kind *k =
				&splat_ld_kinds[__builtin_ctzll(m)];
			if (!kind_matches(k, s, n))
				continue;
			*word = w;
			return k;
		}
		return NULL;
	}
	for (size_t i = 0; i < splat_ld_nkinds; i++) {
		const struct ld_kind *k = &splat_ld_kinds[i];
		if (!(k->words & w) || !kind_matches(k, s, n))
			continue;
		*word = w;
		return k;
	}
	return NULL;
}

/* ------------------------------------------------------------- reports */

struct ld_report *ld_report_new(void)
{
	return calloc(1, sizeof(struct ld_report));
}

void ld_report_free(struct ld_report *r)
{
	free(r);
}

bool ld_report_open(const struct ld_report *r)
{
	return r && r->k;
}

const struct ld_kind *ld_report_kind(const struct ld_report *r)
{
	return r ? r->k : NULL;
}

bool ld_report_complete(const struct ld_report *r)
{
	if (r->k && (r->k->flags & LD_NOSTACK))
		return r->sec == S_HELD && r->nlocks > 0;
	return r->k && r->sec == S_TRACE && r->trace_frames > 0;
}

int64_t ld_report_last_ts(const struct ld_report *r)
{
	return r->last_ts;
}

void ld_report_corrupt(struct ld_report *r, const char *reason)
{
	if (r->k && !r->corrupt)
		r->corrupt = reason;
}

bool ld_report_oopsed(const struct ld_report *r)
{
	return r->k && r->corrupt && !strcmp(r->corrupt, "oops");
}

bool ld_report_has_body(const struct ld_report *r)
{
	return r->nlocks || r->trace_seen || r->trace_frames || r->rip_sym[0] ||
	       r->frag_on;
}

void ld_report_discard(struct ld_report *r)
{
	r->k = NULL;
}

static void text_add(struct ld_report *r, const char *line, size_t len)
{
	if (r->text_len + len + 2 > sizeof(r->text)) {
		r->text_cut = true;
		return;
	}
	memcpy(r->text + r->text_len, line, len);
	r->text_len += len;
	r->text[r->text_len++] = '\n';
	r->text[r->text_len] = '\0';
}

void ld_report_absorb(struct ld_report *r, const char *line, size_t len)
{
	r->lines++;
	text_add(r, line, len);
}

/* The text after the header word and the row's prefix, up to cap_stop. */
static void header_capture(struct ld_report *r, const char *line, size_t len)
{
	const char *s = line;
	size_t n = len;
	trim(&s, &n);
	if (starts(s, n, "[ ")) {
		s += 2;
		n -= 2;
		if (n >= 2 && s[n - 1] == ']') {
			n--;
			trim(&s, &n);
		}
	}
	static const char *const words[] = {
		"WARNING: ", "BUG: ", "INFO: ", NULL};
	for (unsigned i = 0; words[i]; i++)
		if (starts(s, n, words[i])) {
			s += strlen(words[i]);
			n -= strlen(words[i]);
			break;
		}
	if (r->k->prefix[0] && starts(s, n, r->k->prefix)) {
		s += strlen(r->k->prefix);
		n -= strlen(r->k->prefix);
	}
	if (r->k->cap_stop) {
		const char *e = find(s, n, r->k->cap_stop);
		if (e)
			n = (size_t)(e - s);
	}
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	char tmp[256];
	ld_copy(tmp, sizeof(tmp), s, n);
	ld_normalise(r->capture, sizeof(r->capture), tmp);
	if (r->k->flags & LD_IRQ_HEADER)
		ld_copy(r->irq, sizeof(r->irq), s, n);
}

/* "comm/pid" in s[0..n): comm may hold blanks and slashes ("mt76-tx phy0/943",
 * "kworker/u16:3/19522"), so the pid is found, not the first blank.  With
 * pid_at_end the pid ends the span ("3 locks held by comm/pid:" without its
 * colon); else it is the first "/digits" followed by a blank or the end
 * ("comm/pid is trying to ...").  Nothing is set when the task is known. */
static bool set_task_span(struct ld_report *r, const char *s, size_t n,
			  bool pid_at_end)
{
	size_t slash = 0, e = 0;
	bool found = false;

	if (r->task[0])
		return false;
	if (pid_at_end) {
		e = n;
		while (e && isdigit((unsigned char)s[e - 1]))
			e--;
		found = e < n && e > 1 && s[e - 1] == '/';
		slash = e - 1;
		e = n;
	} else {
		for (size_t i = 1; i + 1 < n && !found; i++) {
			if (s[i] != '/' || !isdigit((unsigned char)s[i + 1]))
				continue;
			size_t k = i + 1;
			while (k < n && isdigit((unsigned char)s[k]))
				k++;
			if (k == n || s[k] == ' ' || s[k] == '\t') {
				found = true;
				slash = i;
				e = k;
			}
		}
	}
	if (!found || e - slash > 12)
		return false;
	ld_copy(r->task, sizeof(r->task), s, slash);
	r->pid = strtol(s + slash + 1, NULL, 10);
	return true;
}

/* The task at the start of a line ("comm/pid is trying to acquire lock:"):
 * as set_task_span(), else (no "/pid" before a blank) its first word. */
static void set_task(struct ld_report *r, const char *s, size_t n)
{
	if (r->task[0] || set_task_span(r, s, n, false))
		return;
	size_t i = 0;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	if (!i)
		return;
	ld_copy(r->task, sizeof(r->task), s, i);
	char *slash = strrchr(r->task, '/');
	if (slash && slash[1]) {
		char *end;
		long pid = strtol(slash + 1, &end, 10);
		if (!*end && pid >= 0) {
			r->pid = pid;
			*slash = '\0';
		}
	}
}

/* "N locks held by comm/pid:", "no locks held by comm/pid.": the task whose
 * locks lockdep prints (current), when no line before named it (rcu). */
static void held_by_task(struct ld_report *r, const char *s, size_t n)
{
	const char *h = find(s, n, " held by ");
	if (!h || r->task[0])
		return;
	const char *t = h + 9;
	size_t tn = n - (size_t)(t - s);
	while (tn && (t[tn - 1] == ':' || t[tn - 1] == '.' || t[tn - 1] == ' '))
		tn--;
	set_task_span(r, t, tn, true);
}

/* Bug reports that name their task in a line of their own:
 * "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: swapper/7"
 * (sleep-in-atomic; name is the comm as is) and the header
 * "BUG: scheduling while atomic: comm/pid/0x00000002". */
static void bug_task(struct ld_report *r, const char *s, size_t n)
{
	if (r->task[0])
		return;
	if (starts(s, n, "in_atomic(): ")) {
		const char *p = find(s, n, " pid: ");
		const char *nm = find(s, n, ", name: ");
		if (!p || !nm || nm < p || !isdigit((unsigned char)p[6]))
			return;
		const char *c = nm + 8;
		ld_copy(r->task, sizeof(r->task), c, n - (size_t)(c - s));
		r->pid = strtol(p + 6, NULL, 10);
		return;
	}
	const char *a = find(s, n, "scheduling while atomic: ");
	if (!a)
		return;
	const char *t = a + 25;
	size_t tn = n - (size_t)(t - s);
	/* the preempt count "/0x..." ends it */
	while (tn > 3 &&
	       !(t[tn - 1] == 'x' && t[tn - 2] == '0' && t[tn - 3] == '/'))
		tn--;
	if (tn > 3)
		set_task_span(r, t, tn - 3, true);
}

/* Symbol of a site "[<ffff>] f+0x1/0x2 [mod]", raw. */
static bool site_sym(char *dst, size_t dstlen, const char *site, size_t n)
{
	const char *sym, *full;
	size_t sl, fl;
	bool q;
	if (!parse_frame(site, n, &sym, &sl, &full, &fl, &q))
		return false;
	ld_copy(dst, dstlen, sym, sl);
	return true;
}

static void header_sym(struct ld_report *r, const char *line, size_t len)
{
	/* "... at net/x.c:12 f+0x1/0x2 [mod]" or "... at net/x.c:12 f()" */
	const char *at = find(line, len, " at ");
	if (!at)
		return;
	const char *s = at + 4;
	size_t n = len - (size_t)(s - line);
	const char *sp = memchr(s, ' ', n);
	if (!sp)
		return;
	n -= (size_t)(sp + 1 - s);
	s = sp + 1;
	if (site_sym(r->hdr_sym, sizeof(r->hdr_sym), s, n))
		return;
	size_t i = 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	if (i && i < n && s[i] == '(')
		ld_copy(r->hdr_sym, sizeof(r->hdr_sym), s, i);
}

void ld_report_start(struct ld_report *r, const struct ld_kind *k,
		     unsigned word, const char *line, size_t len,
		     const struct splat_record *rec)
{
	memset(r, 0, offsetof(struct ld_report, text));
	r->text_len = 0;
	r->text[0] = '\0';
	r->text_cut = false;
	r->k = k;
	r->word = word;
	r->pid = -1;
	r->ts = rec->ts_usec;
	r->last_ts = rec->ts_usec;
	r->seq = rec->seq;
	r->boot = rec->boot;
	ld_copy(r->caller, sizeof(r->caller), rec->caller, strlen(rec->caller));
	const char *s = line;
	size_t n = len;
	trim(&s, &n);
	ld_copy(r->header, sizeof(r->header), s, n);
	header_capture(r, line, len);
	r->lines = 1;
	text_add(r, line, len);
	r->sec = S_BODY;
	if (!k->func_marker)
		r->marker_seen = true;
	if (k->func == LF_HEADER_SYM)
		header_sym(r, s, n);
	/* "WARNING: comm/pid still has locks held!" (comm may hold blanks:
	 * all between the leading word and the verb) */
	const char *still = find(s, n, " still has locks held!");
	if (still) {
		const char *b = s;
		size_t bn = (size_t)(still - s);
		if (starts(b, bn, "[ ")) {
			b += 2;
			bn -= 2;
		}
		static const char *const lw[] = {"WARNING: ", "BUG: ", NULL};
		for (unsigned i = 0; lw[i]; i++)
			if (starts(b, bn, lw[i])) {
				b += strlen(lw[i]);
				bn -= strlen(lw[i]);
				break;
			}
		set_task_span(r, b, bn, true);
	}
	if (k->type == SPLAT_EV_BUG)
		bug_task(r, s, n);
}

/* A lock's acquisition site (the text after ", at:"), and the title
 * candidates it gives. */
static void lock_site(struct ld_report *r, struct ld_lock *l, const char *st,
		      size_t sn)
{
	trim(&st, &sn);
	/* strip "[<ffffffff81844c6b>] " */
	if (sn > 2 && st[0] == '[' && st[1] == '<') {
		const char *c = memchr(st, ']', sn);
		if (c) {
			sn -= (size_t)(c + 1 - st);
			st = c + 1;
			trim(&st, &sn);
		}
	}
	ld_copy(l->site, sizeof(l->site), st, sn);
	if (r->marker_seen && !r->acq_sym[0]) {
		if (!site_sym(r->acq_sym, sizeof(r->acq_sym), st, sn))
			r->want_frame = true;
	} else if (r->acq_sym[0] && !r->second_sym[0]) {
		site_sym(r->second_sym, sizeof(r->second_sym), st, sn);
	}
}

/* Parse every "(name){usage}[-{o:i}][, at: site]" in a line. */
static unsigned parse_locks(struct ld_report *r, const char *s, size_t n,
			    const char *role, int index)
{
	unsigned found = 0;
	for (size_t pos = 1; pos + 1 < n; pos++) {
		if (s[pos] != ')' || s[pos + 1] != '{')
			continue;
		/* usage: 4 (or 6 on old kernels) of . + - ? */
		size_t u = pos + 2, ul = 0;
		while (u + ul < n && s[u + ul] != '}' && ul < 8)
			ul++;
		if (u + ul >= n || s[u + ul] != '}' || ul < 4 || ul > 7)
			continue;
		bool ok = true;
		for (size_t i = 0; i < ul; i++)
			if (!strchr(".+-?", s[u + i]))
				ok = false;
		if (!ok)
			continue;
		/* the '(' that balances the ')' at pos */
		size_t b = pos;
		int depth = 0;
		bool have = false;
		/* lock names are short: a bounded scan keeps a hostile line
		 * linear */
		size_t stop = pos > 256 ? pos - 256 : 0;
		while (b > stop) {
			b--;
			if (s[b] == ')')
				depth++;
			else if (s[b] == '(') {
				if (!depth) {
					have = true;
					break;
				}
				depth--;
			}
		}
		if (!have || b + 1 >= pos)
			continue;
		if (r->nlocks >= LD_MAX_LOCKS)
			return found;
		struct ld_lock *l = &r->locks[r->nlocks++];
		memset(l, 0, sizeof(*l));
		l->index = index;
		ld_copy(l->role, sizeof(l->role), role, strlen(role));
		ld_copy(l->cls, sizeof(l->cls), s + b + 1, pos - b - 1);
		ld_copy(l->usage, sizeof(l->usage), s + u, ul);
		size_t e = u + ul + 1;
		if (e + 1 < n && s[e] == '-' && s[e + 1] == '{') {
			const char *c = memchr(s + e, '}', n - e);
			if (c) {
				ld_copy(l->wait, sizeof(l->wait), s + e + 2,
					(size_t)(c - (s + e + 2)));
				e = (size_t)(c - s) + 1;
			}
		}
		const char *at = find(s + e, n - e, ", at:");
		if (at && at - (s + e) < 4)
			lock_site(r, l, at + 5, n - (size_t)(at + 5 - s));
		found++;
		pos = e;
	}
	return found;
}

struct ld_marker {
	const char *needle;
	enum ld_sec sec;
	const char *role;
	bool task; /* the line starts with comm/pid */
};

static const struct ld_marker markers[] = {
	{"is trying to acquire lock:", S_LOCK, "acquiring", true},
	{"is trying to acquire:", S_LOCK, "acquiring", true},
	{"is trying to lock:", S_LOCK, "acquiring", true},
	{"but task is already holding lock:", S_LOCK, "held", false},
	{"and this task is already holding:", S_LOCK, "held", false},
	{"but this task is not holding:", S_LOCK, "not-held", false},
	{"which would create a new lock dependency:", S_DEP, NULL, false},
	{"^but this new dependency connects a", S_LOCK, "safe", false},
	{"^to a ", S_LOCK, "unsafe", false},
	{"-safe at:", S_FR_SAFE, NULL, false},
	{"-unsafe at:", S_FR_UNSAFE, NULL, false},
	{"] takes:", S_LOCK, "taking", true},
	{"just changed the state of lock:", S_LOCK, "changed", true},
	{"but this lock took another,", S_LOCK, "other", false},
	{"but this lock was taken by another,", S_LOCK, "other", false},
	{"state was registered at:", S_FR_STATE, NULL, false},
	{"is trying to release lock", S_RELEASE, "releasing", true},
	{"is trying to contend lock", S_RELEASE, "contending", true},
	{"with a lock still held there!", S_LOCK, "freed", true},
	{"with locks still held!", S_HELD, NULL, true},
	{" lock held by ", S_HELD, NULL, false},
	{" locks held by ", S_HELD, NULL, false},
	{"the existing dependency chain (in reverse order) is:", S_CHAIN, NULL,
	 false},
	{"other info that might help us debug this", S_BODY, NULL, false},
	{"the dependencies between", S_BODY, NULL, false},
	{"the shortest dependencies between", S_BODY, NULL, false},
	{"Possible unsafe locking scenario", S_BODY, NULL, false},
	{"Possible interrupt unsafe locking scenario", S_BODY, NULL, false},
	{"stack backtrace:", S_STACK_PRE, NULL, false},
	{"Call Trace:", S_TRACE, NULL, false},
	{"Call trace:", S_TRACE, NULL, false},
	{"Backtrace:", S_TRACE, NULL, false},
};

#define NMARKERS (sizeof(markers) / sizeof(markers[0]))
_Static_assert(NMARKERS <= 64, "markers_present() has 64 bits");

/* The first two bytes of every unanchored marker (a bitmap of byte
 * pairs) and the markers' lengths, built once. */
static uint8_t marker_pairs[65536 / 8];
static size_t marker_len[NMARKERS];
static pthread_once_t markers_once = PTHREAD_ONCE_INIT;

static void markers_init(void)
{
	for (size_t j = 0; j < NMARKERS; j++) {
		const char *nd = markers[j].needle;
		marker_len[j] = strlen(nd);
		if (nd[0] == '^' || marker_len[j] < 2)
			continue;
		unsigned pr = (unsigned char)nd[0] | (unsigned char)nd[1] << 8;
		marker_pairs[pr >> 3] |= (uint8_t)(1u << (pr & 7));
	}
}

/* Bit j: unanchored marker j occurs in s.  One pass over the line instead
 * of a search per marker (body lines are most of a dense log: every
 * WARNING backtrace of a soak). */
static uint64_t markers_present(const char *s, size_t n)
{
	uint64_t present = 0;
	pthread_once(&markers_once, markers_init);
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned pr = (unsigned char)s[i] | (unsigned char)s[i + 1]
							    << 8;
		if (!(marker_pairs[pr >> 3] & (1u << (pr & 7))))
			continue;
		for (size_t j = 0; j < NMARKERS; j++) {
			const char *nd = markers[j].needle;
			if (nd[0] == s[i] && nd[1] == s[i + 1] &&
			    marker_len[j] <= n - i &&
			    !memcmp(s + i, nd, marker_len[j]))
				present |= UINT64_C(1) << j;
		}
	}
	return present;
}

/* Lines that continue a stack dump: frames, <IRQ>/<TASK> markers,
 * register dumps. */
static bool trace_continues(const char *s, size_t n)
{
	if (!n)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '<' || s[0] == '[')
		return true;
	if (starts(s, n, "Code:") || starts(s, n, "RIP:") ||
	    starts(s, n, "Modules linked in") || starts(s, n, "---[ end"))
		return true;
	/* x86 registers "RSP: ...", "R10: ...", "FS: ..." , "CR2: ..." */
	size_t i = 0;
	while (i < n && i < 4 && isupper((unsigned char)s[i]))
		i++;
	while (i < n && i < 4 && isdigit((unsigned char)s[i]))
		i++;
	return i >= 2 && i < n && s[i] == ':';
}

/* ARM32: "[<80110f6c>] (unwind_backtrace) from [<8010b6b4>]
 * (show_stack+0x10/0x14)": both functions, the current one first. */
static bool arm_frame(struct ld_report *r, const char *s, size_t n)
{
	const char *from = find(s, n, ") from [<");
	if (!from)
		return false;
	const char *o = memchr(s, '(', (size_t)(from - s));
	if (!o || o + 1 >= from)
		return false;
	syms_add(r->trace_syms, &r->ntrace, o + 1, (size_t)(from - (o + 1)));
	const char *o2 = memchr(from + 9, '(', n - (size_t)(from + 9 - s));
	if (o2) {
		const char *e = o2 + 1;
		while (e < s + n && *e != '+' && *e != ')')
			e++;
		if (e > o2 + 1)
			syms_add(r->trace_syms, &r->ntrace, o2 + 1,
				 (size_t)(e - (o2 + 1)));
	}
	r->trace_frames++;
	frames_add(&r->stack, s, n);
	return true;
}

static void stack_frame(struct ld_report *r, const char *s, size_t n)
{
	const char *sym, *full;
	size_t sl, fl;
	bool q;
	if (arm_frame(r, s, n))
		return;
	if (!parse_frame(s, n, &sym, &sl, &full, &fl, &q) || q)
		return;
	r->trace_frames++;
	/* the report's own frames (dump_stack, lockdep, lock_acquire...)
	 * say nothing: keep the first ones that are not skipped */
	if (!frame_skipped(sym, sl, splat_ld_skip_generic))
		frames_add(&r->stack, full, fl);
	syms_add(r->trace_syms, &r->ntrace, sym, sl);
	if (r->second_sym[0])
		syms_add(r->post_syms, &r->npost, sym, sl);
}

/* ---------------------------------------------------- split lock lines */

/* At least 8 hex digits, then a blank or the end: a lock's address. */
static bool hex_word(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_hex(s[i]))
		i++;
	return i >= 8 && (i == n || s[i] == ' ');
}

/* "#3:" and nothing more: a held-lock index whose lock follows. */
static bool index_only(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 3 || s[0] != '#')
		return false;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > 1 && i + 1 == n && s[i] == ':';
}

/* The last '(' has no ')' after it: a lock name still to come. */
static bool paren_open(const char *s, size_t n)
{
	for (size_t i = n; i--;) {
		if (s[i] == ')')
			return false;
		if (s[i] == '(')
			return true;
	}
	return false;
}

/* A lock line's first piece, as a console prints it when another CPU's
 * record comes between printk()s of one line: "ffffffff84f96760 (",
 * " #1: ff1100080763a0e0 (&type->s_umount_key#45", "-> #1 (", " (", " #3:".
 * s is trimmed. */
static bool frag_starts(const char *s, size_t n)
{
	if (index_only(s, n))
		return true;
	if (!n || !paren_open(s, n) || memmem(s, n, "){", 2))
		return false;
	return (s[0] == '#' && n > 1 && isdigit((unsigned char)s[1])) ||
	       starts(s, n, "-> #") || s[0] == '(' || hex_word(s, n);
}

/* The next piece of the pending line: after "#3:" its address or name,
 * inside an open '(' the rest of the name (no blank before its ')') or
 * the ')' that closes it. */
static bool frag_continues(const struct ld_report *r, const char *s, size_t n)
{
	const char *f = r->frag;
	size_t fn = r->frag_len;
	trim(&f, &fn);
	if (index_only(f, fn))
		return s[0] == '(' || is_hex(s[0]);
	if (!paren_open(f, fn))
		return false;
	if (s[0] == ')')
		return true;
	for (size_t i = 0; i < n && s[i] != ')'; i++)
		if (s[i] == ' ' || s[i] == '\t')
			return false;
	return true;
}

static enum ld_feed body_line(struct ld_report *r, const char *line, size_t len,
			      bool absorb);

/* Read the pending pieces as one line. */
static enum ld_feed frag_flush(struct ld_report *r)
{
	if (!r->frag_on)
		return LD_MORE;
	r->frag_on = false;
	return body_line(r, r->frag, r->frag_len, false);
}

enum ld_feed ld_report_line(struct ld_report *r, const char *line, size_t len,
			    const struct splat_record *rec)
{
	const char *s = line;
	size_t n = len;
	trim(&s, &n);

	if (rec->ts_usec != SPLAT_TS_NONE)
		r->last_ts = rec->ts_usec;

	if (r->sec == S_TRACE) {
		if (starts(s, n, "---[ end trace")) {
			ld_report_absorb(r, line, len);
			return LD_DONE;
		}
		if (r->trace_frames && (!trace_continues(line, len) ||
					r->trace_lines > LD_MAX_TRACE))
			return LD_DONE_BEFORE;
		if (!r->trace_frames && r->trace_lines > 40)
			return LD_DONE_BEFORE;
		r->trace_lines++;
		ld_report_absorb(r, line, len);
		if (starts(s, n, "RIP: ")) {
			const char *c = memchr(s + 5, ':', n - 5);
			if (c && !r->rip_sym[0])
				site_sym(r->rip_sym, sizeof(r->rip_sym), c + 1,
					 n - (size_t)(c + 1 - s));
		} else {
			stack_frame(r, s, n);
		}
		return LD_MORE;
	}

	if (r->frag_on) {
		if (!n) { /* a record's empty tail between the pieces */
			ld_report_absorb(r, line, len);
			return LD_MORE;
		}
		if (frag_continues(r, s, n) &&
		    r->frag_len + len < LD_FRAG_MAX) {
			ld_report_absorb(r, line, len);
			memcpy(r->frag + r->frag_len, line, len);
			r->frag_len += len;
			const char *f = r->frag;
			size_t fn = r->frag_len;
			trim(&f, &fn);
			if (index_only(f, fn) || paren_open(f, fn) ||
			    !memmem(f, fn, "){", 2))
				return LD_MORE;
			return frag_flush(r);
		}
		if (frag_flush(r) != LD_MORE)
			return LD_DONE_BEFORE;
	}
	unsigned limit = r->k->type == SPLAT_EV_BUG ? LD_MAX_BODY_BUG
						    : LD_MAX_BODY_LOCKDEP;
	if (frag_starts(s, n) && len < LD_FRAG_MAX && r->lines < limit &&
	    !((r->k->flags & LD_NOSTACK) && ld_report_complete(r) &&
	      s[0] != '#')) {
		ld_report_absorb(r, line, len);
		memcpy(r->frag, line, len);
		r->frag_len = len;
		r->frag_on = true;
		return LD_MORE;
	}
	return body_line(r, line, len, true);
}

/* A line of the report before its stack dump (absorb: add it to the text;
 * false for pieces joined above, whose lines are in the text already). */
static enum ld_feed body_line(struct ld_report *r, const char *line, size_t len,
			      bool absorb)
{
	const char *s = line;
	size_t n = len;
	trim(&s, &n);

	if ((r->k->flags & LD_NOSTACK) && ld_report_complete(r) && s[0] != '#')
		return LD_DONE_BEFORE; /* the held-lock list is over */
	unsigned limit = r->k->type == SPLAT_EV_BUG ? LD_MAX_BODY_BUG
						    : LD_MAX_BODY_LOCKDEP;
	if (r->lines >= limit) {
		if (r->k->type != SPLAT_EV_BUG)
			ld_report_corrupt(r, "no-stack");
		return LD_DONE_BEFORE;
	}
	if (absorb)
		ld_report_absorb(r, line, len);

	if (r->lines == 2 && (find(s, n, "tainted") || find(s, n, "Tainted")))
		ld_copy(r->release, sizeof(r->release), s, n);
	if (r->k->type == SPLAT_EV_BUG && starts(s, n, "in_atomic(): "))
		bug_task(r, s, n);

	/* section markers: the first in the table's order that the line
	 * holds */
	uint64_t present = markers_present(s, n);
	for (size_t i = 0; i < NMARKERS; i++) {
		const struct ld_marker *m = &markers[i];
		if (m->needle[0] == '^' ? !starts(s, n, m->needle + 1)
					: !(present >> i & 1))
			continue;
		r->sec = m->sec;
		if (m->role)
			ld_copy(r->role, sizeof(r->role), m->role,
				strlen(m->role));
		if (m->task) {
			const char *t = s;
			size_t tn = n;
			if (starts(t, tn, "[ ")) {
				t += 2;
				tn -= 2;
			}
			set_task(r, t, tn);
		} else if (m->sec == S_HELD) {
			held_by_task(r, s, n);
		}
		if (r->k->func_marker && !r->marker_seen &&
		    find(s, n, r->k->func_marker))
			r->marker_seen = true;
		if (m->sec == S_TRACE) {
			r->trace_seen = true;
			return LD_MORE;
		}
		/* irq-inversion: "but this lock took another, SOFTIRQ-unsafe
		 * lock in the past:" / "... taken by another, HARDIRQ-safe
		 * lock ..." */
		const char *an = find(s, n, "another, ");
		if (an && !r->irq[0]) {
			const char *cls = an + 9;
			const char *e = find(cls, n - (size_t)(cls - s),
					     "-unsafe lock");
			if (!e)
				e = find(cls, n - (size_t)(cls - s),
					 "-safe lock");
			if (e)
				ld_copy(r->irq, sizeof(r->irq), cls,
					(size_t)(e - cls));
		}
		if (m->sec == S_RELEASE) {
			/* "is trying to release lock (mrt_lock) at:" */
			const char *o = find(s, n, "lock (");
			const char *c = o ? close_paren(o + 5, s + n) : NULL;
			if (o && c && r->nlocks < LD_MAX_LOCKS) {
				struct ld_lock *l = &r->locks[r->nlocks++];
				memset(l, 0, sizeof(*l));
				l->index = -1;
				ld_copy(l->role, sizeof(l->role), m->role,
					strlen(m->role));
				ld_copy(l->cls, sizeof(l->cls), o + 6,
					(size_t)(c - (o + 6)));
			}
		}
		/* the same line may carry a lock: "... takes:" never does,
		 * "-> (&a){} " lines are handled below */
		return LD_MORE;
	}
	if (r->k->func_marker && !r->marker_seen &&
	    find(s, n, r->k->func_marker))
		r->marker_seen = true;

	/* inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage. */
	if (starts(s, n, "inconsistent {")) {
		const char *e = find(s, n, " usage");
		ld_copy(r->transition, sizeof(r->transition), s + 13,
			e ? (size_t)(e - (s + 13)) : n - 13);
		const char *in = find(s, n, "{IN-");
		if (in) {
			const char *c = memchr(in, '}', n - (size_t)(in - s));
			if (c && c - in > 6) {
				/* IN-SOFTIRQ-W -> SOFTIRQ, IN-HARDIRQ-R ->
				 * HARDIRQ-READ */
				size_t l = (size_t)(c - in) - 4;
				bool rd = l > 2 && in[4 + l - 1] == 'R';
				ld_copy(r->irq, sizeof(r->irq), in + 4, l - 2);
				if (rd && strlen(r->irq) + 6 < sizeof(r->irq))
					strcat(r->irq, "-READ");
			}
		}
		return LD_MORE;
	}

	switch (r->sec) {
	case S_STACK_PRE:
		/* "CPU: 0 PID: ..", "Hardware name: ..": nothing to take, but
		 * arm64 "pc : f+0x.." and x86 "RIP: 0010:f+0x.." are frames */
		break;
	case S_FR_SAFE:
	case S_FR_UNSAFE:
	case S_FR_STATE: {
		const char *sym, *full;
		size_t sl, fl;
		bool q;
		if (parse_frame(s, n, &sym, &sl, &full, &fl, &q)) {
			if (!q) {
				frames_add(r->sec == S_FR_SAFE ? &r->safe_at
					   : r->sec == S_FR_UNSAFE
						   ? &r->unsafe_at
						   : &r->state_at,
					   full, fl);
				if (r->sec == S_FR_SAFE && !r->safe_done)
					syms_add(r->safe_syms, &r->nsafe, sym,
						 sl);
				if (r->second_sym[0])
					syms_add(r->post_syms, &r->npost, sym,
						 sl);
			}
			return LD_MORE;
		}
		if (starts(s, n, "...") && n <= 4)
			return LD_MORE; /* "...": frames elided, more follow */
		if (r->sec == S_FR_SAFE && r->nsafe)
			r->safe_done = true;
		r->sec = S_BODY;
		break;
	}
	default:
		break;
	}

	if (starts(s, n, "RIP: ") || starts(s, n, "pc : ")) {
		const char *c = starts(s, n, "pc : ")
					? s + 4
					: memchr(s + 5, ':', n - 5);
		if (c && !r->rip_sym[0])
			site_sym(r->rip_sym, sizeof(r->rip_sym), c + 1,
				 n - (size_t)(c + 1 - s));
		return LD_MORE;
	}

	/* ", at: f+0x1/0x2" printed apart from its lock (a split line) */
	if (starts(s, n, ", at:") && r->nlocks &&
	    !r->locks[r->nlocks - 1].site[0]) {
		lock_site(r, &r->locks[r->nlocks - 1], s + 5, n - 5);
		return LD_MORE;
	}

	/* lock lines */
	if (memmem(s, n, "){", 2)) {
		unsigned got;
		switch (r->sec) {
		case S_LOCK:
			got = parse_locks(r, s, n, r->role, -1);
			if (got)
				r->sec = S_BODY;
			break;
		case S_DEP: {
			const char *arrow = find(s, n, " -> ");
			if (arrow) {
				parse_locks(r, s, (size_t)(arrow - s),
					    "dep-from", -1);
				parse_locks(r, arrow, n - (size_t)(arrow - s),
					    "dep-to", -1);
			} else {
				parse_locks(r, s, n, "dependency", -1);
			}
			break;
		}
		case S_HELD:
			if (s[0] == '#')
				parse_locks(r, s, n, "held-list", atoi(s + 1));
			else if (s[0] == '(') /* old: " (&x){..}, at: .." */
				parse_locks(r, s, n, "held-list", -1);
			break;
		case S_CHAIN:
			if (starts(s, n, "-> #") && r->nchain < LD_MAX_CHAIN) {
				unsigned before = r->nlocks;
				if (parse_locks(r, s, n, "chain",
						atoi(s + 4))) {
					ld_copy(r->chain[r->nchain++],
						sizeof(r->chain[0]),
						r->locks[before].cls,
						strlen(r->locks[before].cls));
				}
			}
			break;
		default:
			parse_locks(r, s, n, "other", -1);
			break;
		}
		return LD_MORE;
	}

	/* other frame lines: an "at:" site on its own line, the frame
	 * after "is trying to release lock (x) at:", dependency chains */
	const char *sym, *full;
	size_t sl, fl;
	bool q;
	if (parse_frame(s, n, &sym, &sl, &full, &fl, &q) && !q) {
		if (r->want_frame) {
			r->want_frame = false;
			if (!r->acq_sym[0])
				ld_copy(r->acq_sym, sizeof(r->acq_sym), sym,
					sl);
			else if (!r->second_sym[0])
				ld_copy(r->second_sym, sizeof(r->second_sym),
					sym, sl);
		}
		if (r->marker_seen && !r->after_sym[0])
			ld_copy(r->after_sym, sizeof(r->after_sym), sym, sl);
		if (r->sec == S_RELEASE && r->nlocks &&
		    !r->locks[r->nlocks - 1].site[0]) {
			ld_copy(r->locks[r->nlocks - 1].site,
				sizeof(r->locks[0].site), full, fl);
			r->sec = S_BODY;
		}
		if (r->second_sym[0])
			syms_add(r->post_syms, &r->npost, sym, sl);
	}
	return LD_MORE;
}

/* ------------------------------------------------------------ emission */

static const struct ld_lock *lock_by_role(const struct ld_report *r,
					  const char *role, size_t rl)
{
	for (unsigned i = 0; i < r->nlocks; i++)
		if (strlen(r->locks[i].role) == rl &&
		    !memcmp(r->locks[i].role, role, rl))
			return &r->locks[i];
	return NULL;
}

static const char *word_name(unsigned w)
{
	switch (w) {
	case LW_BUG:
		return "BUG";
	case LW_INFO:
		return "INFO";
	default:
		return "WARNING";
	}
}

static void append(char *dst, size_t dstlen, const char *src)
{
	size_t o = strlen(dst), l = strlen(src);
	if (o + l >= dstlen)
		l = dstlen - o - 1;
	memcpy(dst + o, src, l);
	dst[o + l] = '\0';
}

/* First candidate not skipped; NULL if none.  A fault-injection frame
 * (should_fail*) means the stack is not the bug's: no function
 * (syzkaller's corruptedLines). */
static const char *first_kept(const struct ld_report *r, char (*v)[96],
			      unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		if (!l)
			continue;
		if (!strncmp(v[i], "should_fail", 11))
			return NULL;
		if (frame_skipped(v[i], l, splat_ld_skip_generic) ||
		    frame_skipped(v[i], l, r->k->skip))
			continue;
		return v[i];
	}
	return NULL;
}

/* The frame sym if it is kept, else the first kept frame of the stack
 * backtrace.  sym is copied into *one, which must outlive the result. */
static const char *sym_then_trace(struct ld_report *r, const char *sym,
				  char (*one)[96])
{
	const char *f;

	memcpy(one[0], sym, 96);
	f = first_kept(r, one, 1);
	return f ? f : first_kept(r, r->trace_syms, r->ntrace);
}

static void compute_func(struct ld_report *r)
{
	const char *f = NULL;
	char one[2][96];
	switch (r->k->func) {
	case LF_NONE:
		break;
	case LF_AT_AFTER:
		f = r->acq_sym[0] ? r->acq_sym : NULL;
		break;
	case LF_AT_AT_STACK:
		memcpy(one[0], r->acq_sym, 96);
		memcpy(one[1], r->second_sym, 96);
		f = first_kept(r, one, 2);
		if (!f)
			f = first_kept(r, r->post_syms, r->npost);
		if (!f && !r->second_sym[0])
			f = first_kept(r, r->trace_syms, r->ntrace);
		break;
	case LF_SAFE_AT:
		f = first_kept(r, r->safe_syms, r->nsafe);
		break;
	case LF_AT_STACK:
		f = sym_then_trace(r, r->acq_sym, one);
		break;
	case LF_FRAME_STACK:
		f = sym_then_trace(r, r->after_sym, one);
		break;
	case LF_STACK:
	case LF_HEADER_SYM:
		f = sym_then_trace(r, r->rip_sym, one);
		if (!f && r->k->func == LF_HEADER_SYM && r->hdr_sym[0])
			f = r->hdr_sym;
		break;
	case LF_TRACE:
		f = first_kept(r, r->trace_syms, r->ntrace);
		break;
	}
	r->func[0] = '\0';
	if (f)
		func_clean(r->func, sizeof(r->func), f, strlen(f));
}

static void make_title(struct ld_report *r)
{
	char out[sizeof(r->title)] = "";
	for (const char *p = r->k->title; *p; p++) {
		if (*p != '%' || !p[1]) {
			char c[2] = {*p, 0};
			append(out, sizeof(out), c);
			continue;
		}
		p++;
		switch (*p) {
		case 'W':
			append(out, sizeof(out), word_name(r->word));
			break;
		case 'C':
			append(out, sizeof(out), r->capture);
			break;
		case 'F':
			if (r->func[0]) {
				append(out, sizeof(out), r->func);
			} else {
				append(out, sizeof(out), "corrupted");
				ld_report_corrupt(r, "no-function");
			}
			break;
		default:
			append(out, sizeof(out), "%");
			break;
		}
	}
	ld_copy(r->title, sizeof(r->title), out, strlen(out));
}

/* Class name for the signature: no "#N" instance suffix, no addresses. */
static void sig_class(char *dst, size_t dstlen, const char *cls)
{
	char tmp[160];
	ld_copy(tmp, sizeof(tmp), cls, strlen(cls));
	char *h = strrchr(tmp, '#');
	if (h && h[1]) {
		char *e = h + 1;
		while (isdigit((unsigned char)*e))
			e++;
		if (!*e)
			*h = '\0';
	}
	ld_normalise(dst, dstlen, tmp);
}

static void make_signature(struct ld_report *r)
{
	char out[sizeof(r->signature)];
	snprintf(out, sizeof(out), "%s", r->k->kind);
	if (r->irq[0]) {
		append(out, sizeof(out), ":");
		append(out, sizeof(out), r->irq);
	}
	bool any = false;
	/* the row's roles; for a report cut before them, what the report
	 * has: held -> acquiring, else its first lock */
	const char *const tries[] = {r->k->sig_roles, "held,acquiring",
				     r->nlocks ? r->locks[0].role : NULL};
	for (unsigned t = 0; t < 3 && !any; t++) {
		if (!tries[t] || r->k->type == SPLAT_EV_BUG)
			continue;
		const char *p = tries[t];
		while (*p) {
			const char *e = strchr(p, ',');
			size_t rl = e ? (size_t)(e - p) : strlen(p);
			const struct ld_lock *l = lock_by_role(r, p, rl);
			if (l) {
				char c[160];
				sig_class(c, sizeof(c), l->cls);
				append(out, sizeof(out), any ? " -> " : ":");
				append(out, sizeof(out), c);
				any = true;
			}
			p += rl;
			if (*p == ',')
				p++;
		}
	}
	if (!any && r->k->type != SPLAT_EV_BUG && r->func[0]) {
		append(out, sizeof(out), ":");
		append(out, sizeof(out), r->func);
		any = true;
	}
	if (!any) {
		char t[sizeof(r->title)];
		/* bug titles: digits vary between boots (pids, seconds) */
		size_t o = 0;
		for (const char *p = r->title; *p && o + 1 < sizeof(t); p++) {
			if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)p[1]))
					p++;
				t[o++] = 'N';
			} else {
				t[o++] = *p;
			}
		}
		t[o] = '\0';
		append(out, sizeof(out), ":");
		append(out, sizeof(out), t);
	}
	char norm[sizeof(r->signature)];
	ld_normalise(norm, sizeof(norm), out);
	ld_copy(r->signature, sizeof(r->signature), norm, strlen(norm));
}

static json_object *frames_json(const struct ld_frames *f)
{
	json_object *a = json_object_new_array();
	for (unsigned i = 0; i < f->n; i++)
		json_object_array_add(a, json_object_new_string(f->f[i]));
	return a;
}

static void put_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key,
			       v && v[0] ? json_object_new_string(v) : NULL);
}

void ld_report_emit(struct ld_report *r, splat_event_fn sink, void *ctx)
{
	if (!r->k)
		return;
	frag_flush(r);
	compute_func(r);
	make_title(r);
	make_signature(r);

	json_object *d = json_object_new_object();
	put_str(d, "header", r->header);
	put_str(d, "irq_class", r->irq);
	put_str(d, "task", r->task);
	json_object_object_add(
		d, "pid", r->pid >= 0 ? json_object_new_int64(r->pid) : NULL);
	put_str(d, "caller", r->caller);
	put_str(d, "release", r->release);
	if (r->transition[0])
		put_str(d, "usage_transition", r->transition);
	put_str(d, "function", r->func);
	if (r->nsafe) {
		const char *sf = first_kept(r, r->safe_syms, r->nsafe);
		if (sf) {
			char b[128];
			func_clean(b, sizeof(b), sf, strlen(sf));
			put_str(d, "safe_function", b);
		}
	}
	if (r->acq_sym[0]) {
		char af[128];
		func_clean(af, sizeof(af), r->acq_sym, strlen(r->acq_sym));
		put_str(d, "site_function", af);
	}
	json_object *locks = json_object_new_array();
	for (unsigned i = 0; i < r->nlocks; i++) {
		const struct ld_lock *l = &r->locks[i];
		json_object *o = json_object_new_object();
		put_str(o, "role", l->role);
		put_str(o, "class", l->cls);
		put_str(o, "usage", l->usage);
		put_str(o, "wait_type", l->wait);
		put_str(o, "site", l->site);
		if (l->index >= 0)
			json_object_object_add(o, "index",
					       json_object_new_int(l->index));
		json_object_array_add(locks, o);
	}
	json_object_object_add(d, "locks", locks);
	if (r->safe_at.n)
		json_object_object_add(d, "safe_at", frames_json(&r->safe_at));
	if (r->unsafe_at.n)
		json_object_object_add(d, "unsafe_at",
				       frames_json(&r->unsafe_at));
	if (r->state_at.n)
		json_object_object_add(d, "state_at",
				       frames_json(&r->state_at));
	if (r->nchain) {
		json_object *c = json_object_new_array();
		for (unsigned i = 0; i < r->nchain; i++)
			json_object_array_add(
				c, json_object_new_string(r->chain[i]));
		json_object_object_add(d, "chain", c);
	}
	json_object_object_add(d, "stack", frames_json(&r->stack));
	if (r->corrupt)
		put_str(d, "corrupted_reason", r->corrupt);
	json_object_object_add(d, "lines", json_object_new_int((int)r->lines));
	json_object_object_add(
		d, "text",
		json_object_new_string_len(r->text, (int)r->text_len));
	if (r->text_cut)
		json_object_object_add(d, "text_truncated",
				       json_object_new_boolean(1));

	struct splat_event ev = {
		.type = r->k->type,
		.kind = r->k->kind,
		.title = r->title,
		.signature = r->signature,
		.ts_usec = r->ts,
		.boot = r->boot,
		.seq = r->seq,
		.count = 1,
		.corrupted = r->corrupt != NULL,
		.disables_lockdep = (r->k->flags & LD_DISABLES) != 0,
		.detail = d,
	};
	sink(ctx, &ev);
	json_object_put(d);
	r->k = NULL;
}

void ld_emit_instant(const struct ld_kind *k, unsigned word, const char *line,
		     size_t len, const struct splat_record *rec,
		     splat_event_fn sink, void *ctx)
{
	/* one line: build the few fields here, no report state needed */
	char header[256], capture[128] = "", title[320] = "", sig[400];
	const char *s = line;
	size_t n = len;
	trim(&s, &n);
	ld_copy(header, sizeof(header), s, n);

	/* capture as in header_capture() */
	const char *c = s;
	size_t cn = n;
	if (starts(c, cn, "[ ")) {
		c += 2;
		cn -= 2;
	}
	static const char *const words[] = {
		"WARNING: ", "BUG: ", "INFO: ", NULL};
	for (unsigned i = 0; words[i]; i++)
		if (starts(c, cn, words[i])) {
			c += strlen(words[i]);
			cn -= strlen(words[i]);
			break;
		}
	if (starts(c, cn, k->prefix)) {
		c += strlen(k->prefix);
		cn -= strlen(k->prefix);
	}
	if (k->cap_stop) {
		const char *e = find(c, cn, k->cap_stop);
		if (e)
			cn = (size_t)(e - c);
	}
	ld_copy(capture, sizeof(capture), c, cn);
	for (const char *p = k->title; *p; p++) {
		if (*p == '%' && p[1] == 'F') {
			/* no stack here: "X in %F" -> "X" */
			size_t tl = strlen(title);
			if (tl >= 4 && !strcmp(title + tl - 4, " in "))
				title[tl - 4] = '\0';
			break;
		}
		if (*p == '%' && p[1] == 'C') {
			append(title, sizeof(title), capture);
			p++;
		} else if (*p == '%' && p[1] == 'W') {
			append(title, sizeof(title), word_name(word));
			p++;
		} else {
			char ch[2] = {*p, 0};
			append(title, sizeof(title), ch);
		}
	}
	snprintf(sig, sizeof(sig), "%s:%s", k->kind, title);
	char nsig[400];
	ld_normalise(nsig, sizeof(nsig), sig);

	json_object *d = json_object_new_object();
	put_str(d, "header", header);
	put_str(d, "caller", rec->caller);
	struct splat_event ev = {
		.type = k->type,
		.kind = k->kind,
		.title = title,
		.signature = nsig,
		.ts_usec = rec->ts_usec,
		.boot = rec->boot,
		.seq = rec->seq,
		.count = 1,
		.corrupted = false,
		.disables_lockdep = (k->flags & LD_DISABLES) != 0,
		.detail = d,
	};
	sink(ctx, &ev);
	json_object_put(d);
}

const char *const *splat_lockdep_kinds(void)
{
	static const char *list[64];
	static bool done;
	if (!done) {
		size_t n = 0;
		for (size_t i = 0; i < splat_ld_nkinds && n + 1 < 64; i++) {
			if (splat_ld_kinds[i].type != SPLAT_EV_LOCKDEP)
				continue;
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				if (!strcmp(list[j], splat_ld_kinds[i].kind))
					dup = true;
			if (!dup)
				list[n++] = splat_ld_kinds[i].kind;
		}
		list[n] = NULL;
		done = true;
	}
	return list;
}

int splat_kind_lookup(const char *kind, enum splat_event_type *type)
{
	for (size_t i = 0; kind && i < splat_ld_nkinds; i++)
		if (!strcmp(splat_ld_kinds[i].kind, kind)) {
			if (type)
				*type = splat_ld_kinds[i].type;
			return 0;
		}
	return -1;
}
