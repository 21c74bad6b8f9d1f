/* SPDX-License-Identifier: MIT */
/*
 * topology.c - lock acquisition sites and nesting from C sources.
 *
 * The heuristic, in full (the README summarises it):
 *
 * Tokens.  Comments, string and character literals are skipped (a literal
 * becomes one opaque token), so a lock named in a comment or a log message
 * is never a site.  Preprocessor lines (with their '\' continuations) are
 * skipped; of a conditional, `#if 0` bodies are dropped (their `#else`
 * taken), and of any other `#if/#ifdef/#ifndef` only the first branch is
 * read: `#elif`/`#else` branches are dropped, which keeps braces balanced in
 * the common `#ifdef X  if (a) {  #else  if (b) {  #endif` shape.
 *
 * Functions.  At brace depth 0, a `{` whose declaration has a parenthesised
 * group preceded by an identifier and no '=' opens a function body; the
 * function's name is that identifier (the last such group whose name does
 * not start with "__", so `f(x) __acquires(l) {` is `f`, and an
 * `EXPORT_SYMBOL(g)` without ';' before a function does not name it).
 * Other depth-0 braces (struct, enum, initialisers) are skipped.
 *
 * Held set.  Inside a body, every call of a spinlock/rwlock primitive
 * (spin_, raw_spin_, read_, write_ x lock/trylock/unlock x _bh/_irq/
 * _irqsave/_irqrestore/_nested) adds its first argument to the held set or
 * removes it (an unlock releases the most recent held entry with the same
 * expression, else the same lock spec).  A site records the held set before
 * the call (for an unlock: without the entry it releases).  Control flow,
 * lexically:
 *   - `return`, `goto`, `break`, `continue` as a statement of their own end
 *     the path ("dead"); after an `if (...)`/`else`/loop header without
 *     braces they are conditional and the path goes on.
 *   - a block `{...}` that ends dead leaves the held set it was entered
 *     with (the path that skipped it: `if (err) { unlock; return; }`);
 *     otherwise its end state carries on.  `if {} else {}`: the else starts
 *     from the if's entry state; after it, the union of the branches that
 *     did not end dead.
 *   - `goto L` records the held set into L; at the label `L:` the held set
 *     is the union of the recorded sets and of the fall-through (if not
 *     dead).  Backward gotos (label before the goto) are not merged.
 *   - `case`/`default:` in a switch start from the switch's entry state when
 *     the previous case ended dead (break/return).
 * A trylock is treated as taken (`if (spin_trylock(l)) {...}` holds l in
 * the block, and also after it); a lock or unlock under a braceless `if` is
 * applied unconditionally.
 *
 * Verdict per lock: an acquisition has softirqs disabled when its primitive
 * is _bh/_irq/_irqsave or a held lock was taken with one (lockdep marks a
 * lock SOFTIRQ-unsafe, {ENABLED_SOFTIRQ}, only when taken with softirqs on
 * and hardirqs on); it is nested under a SOFTIRQ-safe lock when a held lock
 * was taken with _bh/_irq/_irqsave (the text's sign that the outer lock is
 * shared with softirq context).  N acquisitions with softirqs enabled and M
 * nested under such a lock, both > 0: SOFTIRQ-safe -> unsafe inversion
 * risk; the N sites and the unlocks that release them are the ones to
 * convert to _bh.
 *
 * Chains (--chains).  Every call `f(...)` in a body is recorded with the
 * held set at that point, and so is every argument that is a bare
 * identifier (or `&identifier`): a function passed as an argument is a
 * callback the callee may run, as if called there.  A chain starts at a
 * call made with a reported lock held whose callee is a function defined
 * in the scanned sources (the same file's definition preferred, else the
 * first one), follows the calls in it (depth <= 6, no function twice on a
 * path), and ends at each acquisition of a reported lock: the locks held
 * on the way, outer to inner, plus the acquired one.  The lock graph has an
 * edge for every direct nesting (a site's held set) and every chain; with
 * its transitive closure a chain step x -> y is flagged
 *   - SOFTIRQ-safe -> unsafe: a lock taken with _bh/_irq/_irqsave somewhere
 *     (the text's sign of softirq use) is x or reaches x, and y is or
 *     reaches a lock taken somewhere with softirqs on (lockdep's backward
 *     and forward search for a new dependency);
 *   - circular: y also reaches x;
 *   - recursive: x and y are the same lock spec (same class).
 * Not seen: calls through function pointers held in structures or
 * variables (ops tables, work items, timers), callbacks passed by an
 * expression other than a bare name, macros that take locks or call, the
 * context a function is entered in (a function only ever called with
 * softirqs off still counts as "softirqs on" for its own sites), and
 * whether a path runs at all (a callback the callee never calls).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "topology_int.h"

/* ---- small helpers ------------------------------------------------------ */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "splat topology: out of memory\n");
		exit(1);
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

#define GROW(arr, n, cap)                                                      \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? 2 * (cap) : 8;                         \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));       \
		}                                                              \
	} while (0)

static bool is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* ---- tokens ------------------------------------------------------------- */

enum tok_kind { T_IDENT, T_NUMBER, T_LITERAL, T_PUNCT };

struct tok {
	enum tok_kind kind;
	const char *s;
	size_t len;
	int line;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static bool tok_is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

static void tok_push(struct toks *ts, enum tok_kind k, const char *s,
		     size_t len, int line)
{
	GROW(ts->v, ts->n, ts->cap);
	ts->v[ts->n++] = (struct tok){k, s, len, line};
}

/* Preprocessor conditional state: one entry per open #if. */
struct ppcond {
	bool active_before; /* was the enclosing text active */
	bool active;	    /* is this branch's text active */
	bool taken;	    /* a branch of this conditional was read */
};

/* Read one preprocessor line starting at p ('#'); returns the position
 * after it, updates the conditional stack and line counter. */
static const char *pp_line(const char *p, const char *end, int *line,
			   struct ppcond **st, size_t *nst, size_t *cap)
{
	const char *q = p + 1;
	char name[16];
	size_t nl = 0;
	bool zero = false;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	while (q < end && is_ident_char((unsigned char)*q)) {
		if (nl < sizeof(name) - 1)
			name[nl++] = *q;
		q++;
	}
	name[nl] = '\0';
	if (!strcmp(name, "if")) {
		const char *r = q;

		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		zero = r < end && *r == '0' &&
		       (r + 1 >= end || !is_ident_char((unsigned char)r[1]));
	}
	/* Skip to the end of the logical line, counting newlines; comments
	 * inside a directive may span lines. */
	while (q < end && *q != '\n') {
		if (*q == '\\' && q + 1 < end && q[1] == '\n') {
			(*line)++;
			q += 2;
			continue;
		}
		if (*q == '/' && q + 1 < end && q[1] == '*') {
			q += 2;
			while (q + 1 < end && !(*q == '*' && q[1] == '/')) {
				if (*q == '\n')
					(*line)++;
				q++;
			}
			q = q + 2 <= end ? q + 2 : end;
			continue;
		}
		q++;
	}
	bool active = *nst ? (*st)[*nst - 1].active : true;

	if (!strcmp(name, "if") || !strcmp(name, "ifdef") ||
	    !strcmp(name, "ifndef")) {
		GROW(*st, *nst, *cap);
		(*st)[(*nst)++] =
			(struct ppcond){active, active && !zero, !zero};
	} else if ((!strcmp(name, "elif") || !strcmp(name, "else")) && *nst) {
		struct ppcond *c = &(*st)[*nst - 1];

		c->active = c->active_before && !c->taken;
		c->taken = true;
	} else if (!strcmp(name, "endif") && *nst) {
		(*nst)--;
	}
	return q;
}

/* Tokenize buf into ts. */
static void tokenize(const char *buf, size_t len, struct toks *ts)
{
	static const char *const puncts[] = {
		"...", "<<=", ">>=", "->", "++", "--", "&&", "||",
		"==",  "!=",  "<=",  ">=", "+=", "-=", "*=", "/=",
		"%=",  "&=",  "|=",  "^=", "<<", ">>", "##",
	};
	const char *p = buf, *end = buf + len;
	int line = 1;
	bool bol = true; /* only white space since the last newline */
	struct ppcond *st = NULL;
	size_t nst = 0, cap = 0;

	while (p < end) {
		unsigned char c = (unsigned char)*p;
		bool active = nst ? st[nst - 1].active : true;

		if (c == '\n') {
			line++;
			p++;
			bol = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			p++;
			continue;
		}
		if (c == '\\' && p + 1 < end && p[1] == '\n') {
			line++;
			p += 2;
			continue;
		}
		if (c == '/' && p + 1 < end && p[1] == '*') {
			p += 2;
			while (p + 1 < end && !(*p == '*' && p[1] == '/')) {
				if (*p == '\n')
					line++;
				p++;
			}
			p = p + 2 <= end ? p + 2 : end;
			continue;
		}
		if (c == '/' && p + 1 < end && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (c == '#' && bol) {
			p = pp_line(p, end, &line, &st, &nst, &cap);
			continue;
		}
		bol = false;
		const char *s = p;

		if (c == '"' || c == '\'') {
			p++;
			while (p < end && (unsigned char)*p != c &&
			       *p != '\n') {
				if (*p == '\\' && p + 1 < end) {
					if (p[1] == '\n')
						line++;
					p++;
				}
				p++;
			}
			if (p < end && (unsigned char)*p == c)
				p++;
			if (active)
				tok_push(ts, T_LITERAL, s, (size_t)(p - s),
					 line);
			continue;
		}
		if (is_ident_start(c)) {
			while (p < end && is_ident_char((unsigned char)*p))
				p++;
			/* L"..", u8"..": a prefixed literal */
			if (p < end && (*p == '"' || *p == '\'') &&
			    (p - s) <= 2)
				continue;
			if (active)
				tok_push(ts, T_IDENT, s, (size_t)(p - s), line);
			continue;
		}
		if ((c >= '0' && c <= '9') ||
		    (c == '.' && p + 1 < end && p[1] >= '0' && p[1] <= '9')) {
			p++;
			while (p < end &&
			       (is_ident_char((unsigned char)*p) || *p == '.' ||
				((*p == '+' || *p == '-') &&
				 (p[-1] == 'e' || p[-1] == 'E' ||
				  p[-1] == 'p' || p[-1] == 'P'))))
				p++;
			if (active)
				tok_push(ts, T_NUMBER, s, (size_t)(p - s),
					 line);
			continue;
		}
		size_t n = 1;

		for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]);
		     i++) {
			size_t pl = strlen(puncts[i]);

			if ((size_t)(end - p) >= pl &&
			    !memcmp(p, puncts[i], pl)) {
				n = pl;
				break;
			}
		}
		p += n;
		if (active)
			tok_push(ts, T_PUNCT, s, n, line);
	}
	free(st);
}

/* ---- lock primitives ---------------------------------------------------- */

enum prim_op { OP_LOCK, OP_TRYLOCK, OP_UNLOCK };

struct prim {
	enum prim_op op;
	bool disables; /* _bh, _irq, _irqsave (disable softirqs) */
};

/* Classify an identifier as a spinlock/rwlock primitive. */
static bool prim_classify(const struct tok *t, struct prim *out)
{
	char name[64];
	const char *s;

	if (t->len >= sizeof(name))
		return false;
	memcpy(name, t->s, t->len);
	name[t->len] = '\0';
	s = name;
	if (!strncmp(s, "raw_", 4))
		s += 4;
	if (!strncmp(s, "spin_", 5))
		s += 5;
	else if (!strncmp(s, "read_", 5))
		s += 5;
	else if (!strncmp(s, "write_", 6))
		s += 6;
	else
		return false;
	if (!strncmp(s, "trylock", 7)) {
		out->op = OP_TRYLOCK;
		s += 7;
	} else if (!strncmp(s, "unlock", 6)) {
		out->op = OP_UNLOCK;
		s += 6;
	} else if (!strncmp(s, "lock", 4)) {
		out->op = OP_LOCK;
		s += 4;
	} else {
		return false;
	}
	if (!strcmp(s, "_nested")) /* spin_lock_nested(l, subclass) */
		s += 7;
	if (!*s) {
		out->disables = false;
		return true;
	}
	if (!strcmp(s, "_bh") || !strcmp(s, "_irq") || !strcmp(s, "_irqsave") ||
	    !strcmp(s, "_irqrestore") || !strcmp(s, "_irqsave_nested") ||
	    !strcmp(s, "_bh_nested")) {
		out->disables = true;
		return true;
	}
	return false; /* spin_lock_init, spin_lock_irqsave_foo, ... */
}

/* ---- model -------------------------------------------------------------- */

struct held {
	const char *expr; /* pooled */
	int spec;	  /* lock spec index, -1 if not a reported lock */
	const char *prim; /* pooled */
	const char *file; /* pooled */
	int line;
	long site; /* index of the acquisition site, -1 if not reported */
};

struct heldset {
	struct held *v;
	size_t n, cap;
};

struct site {
	const char *file, *function, *expr, *prim;
	int line;
	int spec;
	enum prim_op op;
	bool disables; /* this primitive disables softirqs */
	long releases; /* unlock: acquisition site index, or -1 */
	struct heldset held;
};

struct spec {
	char *name;
	char **alts;
	size_t nalts;
};

/* A call of a function (or a function passed as an argument: a callback the
 * callee may run) with the held set at the call. */
struct call {
	const char *file, *caller, *callee; /* pooled */
	const char *via; /* callback: the function it is passed to, else NULL */
	int line;
	struct heldset held;
};

struct func {
	const char *name, *file; /* pooled */
};

struct topo {
	struct spec *specs;
	size_t nspecs, capspecs;
	struct site *sites;
	size_t nsites, capsites;
	struct call *calls;
	size_t ncalls, capcalls;
	struct func *funcs;
	size_t nfuncs, capfuncs;
	char **pool;
	size_t npool, cappool;
	size_t nfiles, nfunctions;
};

static const char *pool_add(struct topo *t, const char *s, size_t n)
{
	/* Cheap dedupe against the last few entries. */
	for (size_t i = t->npool; i > 0 && i + 16 > t->npool; i--)
		if (strlen(t->pool[i - 1]) == n &&
		    !memcmp(t->pool[i - 1], s, n))
			return t->pool[i - 1];
	GROW(t->pool, t->npool, t->cappool);
	t->pool[t->npool] = xstrndup(s, n);
	return t->pool[t->npool++];
}

struct topo *topo_new(void)
{
	struct topo *t = xrealloc(NULL, sizeof(*t));

	memset(t, 0, sizeof(*t));
	return t;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nspecs; i++) {
		free(t->specs[i].name);
		for (size_t j = 0; j < t->specs[i].nalts; j++)
			free(t->specs[i].alts[j]);
		free(t->specs[i].alts);
	}
	free(t->specs);
	for (size_t i = 0; i < t->nsites; i++)
		free(t->sites[i].held.v);
	free(t->sites);
	for (size_t i = 0; i < t->ncalls; i++)
		free(t->calls[i].held.v);
	free(t->calls);
	free(t->funcs);
	for (size_t i = 0; i < t->npool; i++)
		free(t->pool[i]);
	free(t->pool);
	free(t);
}

size_t topo_nfiles(const struct topo *t)
{
	return t->nfiles;
}

size_t topo_nfunctions(const struct topo *t)
{
	return t->nfunctions;
}

/* Normalise a lock expression given as text: drop white space, a leading
 * '&' (and parentheses around the rest), subscript contents. */
static char *normalize_text(const char *s, size_t n)
{
	char *out = xrealloc(NULL, n + 1);
	size_t o = 0;
	int sub = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '[') {
			if (sub++ == 0)
				out[o++] = '[';
			continue;
		}
		if (c == ']') {
			if (sub > 0 && --sub == 0)
				out[o++] = ']';
			continue;
		}
		if (sub)
			continue;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	char *p = out;

	while (*p == '&' || *p == '(') {
		if (*p == '(') {
			size_t l = strlen(p);

			if (l < 2 || p[l - 1] != ')')
				break;
			p[l - 1] = '\0';
		}
		p++;
	}
	memmove(out, p, strlen(p) + 1);
	return out;
}

int topo_add_lock(struct topo *t, const char *spec, char *err, size_t errlen)
{
	struct spec sp = {0};
	const char *p = spec;
	size_t cap = 0;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char *alt = normalize_text(p, n);
		bool ok = is_ident_start((unsigned char)*alt);

		for (const char *q = alt; ok && *q; q++) {
			unsigned char c = (unsigned char)*q;

			ok = is_ident_char(c) || c == '.' || c == '[' ||
			     c == ']' || (c == '-' && q[1] == '>') ||
			     (c == '>' && q > alt && q[-1] == '-');
		}
		if (!ok ||
		    !is_ident_char((unsigned char)alt[strlen(alt) - 1])) {
			snprintf(err, errlen,
				 "bad lock spec '%s': expected member names "
				 "joined by '.' or '->' (e.g. "
				 "'pending_record_lock', 'queue->lock'), "
				 "alternatives separated by '|'",
				 spec);
			free(alt);
			for (size_t j = 0; j < sp.nalts; j++)
				free(sp.alts[j]);
			free(sp.alts);
			return -1;
		}
		GROW(sp.alts, sp.nalts, cap);
		sp.alts[sp.nalts++] = alt;
		if (!bar)
			break;
		p = bar + 1;
	}
	sp.name = xstrndup(sp.alts[0], strlen(sp.alts[0]));
	GROW(t->specs, t->nspecs, t->capspecs);
	t->specs[t->nspecs] = sp;
	return (int)t->nspecs++;
}

/* Does the normalised expression e end in alt at a member boundary? */
static bool alt_matches(const char *e, const char *alt)
{
	size_t el = strlen(e), al = strlen(alt);

	if (al > el || strcmp(e + el - al, alt))
		return false;
	if (al == el)
		return true;
	char b = e[el - al - 1];

	return b == '.' || (b == '>' && el - al >= 2 && e[el - al - 2] == '-');
}

static int spec_of(const struct topo *t, const char *expr)
{
	/* The longest matching alternative wins, so a longer spec separates
	 * two locks with the same member name. */
	int best = -1;
	size_t bestlen = 0;

	for (size_t i = 0; i < t->nspecs; i++)
		for (size_t j = 0; j < t->specs[i].nalts; j++)
			if (alt_matches(expr, t->specs[i].alts[j]) &&
			    strlen(t->specs[i].alts[j]) > bestlen) {
				best = (int)i;
				bestlen = strlen(t->specs[i].alts[j]);
			}
	return best;
}

/* ---- held sets ---------------------------------------------------------- */

static void hs_free(struct heldset *h)
{
	free(h->v);
	*h = (struct heldset){0};
}

static struct heldset hs_copy(const struct heldset *h)
{
	struct heldset c = {0};

	if (h->n) {
		c.v = xrealloc(NULL, h->n * sizeof(*c.v));
		memcpy(c.v, h->v, h->n * sizeof(*c.v));
		c.n = c.cap = h->n;
	}
	return c;
}

static bool hs_has(const struct heldset *h, const struct held *e)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].expr == e->expr && h->v[i].line == e->line &&
		    h->v[i].file == e->file)
			return true;
	return false;
}

static void hs_add(struct heldset *h, const struct held *e)
{
	GROW(h->v, h->n, h->cap);
	h->v[h->n++] = *e;
}

/* a |= b */
static void hs_union(struct heldset *a, const struct heldset *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (!hs_has(a, &b->v[i]))
			hs_add(a, &b->v[i]);
}

static void hs_set(struct heldset *dst, const struct heldset *src)
{
	hs_free(dst);
	*dst = hs_copy(src);
}

/* ---- the per-function walk ---------------------------------------------- */

struct frame {
	struct heldset entry;	  /* held set when the block was entered */
	struct heldset if_result; /* else block: union of earlier branches */
	bool has_if_result;	  /* ... that did not end dead */
	bool is_else;
	bool is_switch;
};

struct label {
	const char *name; /* pooled */
	struct heldset in;
};

struct walk {
	struct topo *t;
	const char *file;     /* pooled */
	const char *function; /* pooled */
	const struct toks *ts;
	struct heldset held;
	bool dead;	   /* the path ended (return/goto/break/continue) */
	bool pending_dead; /* ... at the end of this statement */
	bool cond_prefix;  /* statement is under a braceless if/else/loop */
	int paren;	   /* paren depth within the statement */
	struct frame *frames;
	size_t nframes, capframes;
	struct label *labels;
	size_t nlabels, caplabels;
	/* the else/else-if branch to come gets these */
	bool pending_else;
	struct heldset else_result;
	bool else_has_result;
};

static struct label *label_get(struct walk *w, const struct tok *tk)
{
	const char *name = pool_add(w->t, tk->s, tk->len);

	for (size_t i = 0; i < w->nlabels; i++)
		if (!strcmp(w->labels[i].name, name))
			return &w->labels[i];
	GROW(w->labels, w->nlabels, w->caplabels);
	w->labels[w->nlabels] = (struct label){name, {0}};
	return &w->labels[w->nlabels++];
}

/* Index just past the parenthesised group opening at i ('('). */
static size_t skip_group(const struct toks *ts, size_t i, size_t end)
{
	int d = 0;

	for (; i < end; i++) {
		const struct tok *tk = &ts->v[i];

		if (tk->kind != T_PUNCT)
			continue;
		if (tok_is(tk, "(") || tok_is(tk, "[") || tok_is(tk, "{"))
			d++;
		else if (tok_is(tk, ")") || tok_is(tk, "]") || tok_is(tk, "}"))
			if (--d == 0)
				return i + 1;
	}
	return end;
}

/* A primitive call at i (identifier, next is '('): record it. */
static void do_call(struct walk *w, size_t i, size_t end, const struct prim *pr)
{
	const struct toks *ts = w->ts;
	struct topo *t = w->t;
	size_t a = i + 2, b = a;
	int d = 0;
	char *text = NULL;
	size_t tl = 0, tcap = 0;

	/* first argument: up to ',' or ')' at depth 0 */
	for (; b < end; b++) {
		const struct tok *tk = &ts->v[b];

		if (tk->kind == T_PUNCT) {
			if (tok_is(tk, "(") || tok_is(tk, "[") ||
			    tok_is(tk, "{"))
				d++;
			else if (tok_is(tk, ")") || tok_is(tk, "]") ||
				 tok_is(tk, "}")) {
				if (d == 0)
					break;
				d--;
			} else if (tok_is(tk, ",") && d == 0) {
				break;
			}
		}
		while (tl + tk->len + 2 > tcap) {
			tcap = tcap ? 2 * tcap : 64;
			text = xrealloc(text, tcap);
		}
		memcpy(text + tl, tk->s, tk->len);
		tl += tk->len;
	}
	if (!tl) {
		free(text);
		return;
	}
	char *norm = normalize_text(text, tl);

	free(text);
	const char *expr = pool_add(t, norm, strlen(norm));

	free(norm);
	const char *prim = pool_add(t, ts->v[i].s, ts->v[i].len);
	int spec = spec_of(t, expr);
	struct heldset snap = hs_copy(&w->held);
	long releases = -1;

	if (pr->op == OP_UNLOCK) {
		/* release: same expression, else same lock */
		size_t k = w->held.n;
		bool found = false;

		while (k-- > 0)
			if (w->held.v[k].expr == expr ||
			    !strcmp(w->held.v[k].expr, expr)) {
				found = true;
				break;
			}
		if (!found && spec >= 0) {
			k = w->held.n;
			while (k-- > 0)
				if (w->held.v[k].spec == spec) {
					found = true;
					break;
				}
		}
		if (found) {
			releases = w->held.v[k].site;
			memmove(&w->held.v[k], &w->held.v[k + 1],
				(w->held.n - k - 1) * sizeof(w->held.v[0]));
			w->held.n--;
			hs_set(&snap, &w->held);
		}
	}
	long site_idx = -1;

	if (spec >= 0) {
		GROW(t->sites, t->nsites, t->capsites);
		t->sites[t->nsites] = (struct site){
			.file = w->file,
			.function = w->function,
			.expr = expr,
			.prim = prim,
			.line = ts->v[i].line,
			.spec = spec,
			.op = pr->op,
			.disables = pr->disables,
			.releases = releases,
			.held = snap,
		};
		site_idx = (long)t->nsites++;
	} else {
		hs_free(&snap);
	}
	if (pr->op != OP_UNLOCK) {
		struct held e = {expr,	  spec,		 prim,
				 w->file, ts->v[i].line, site_idx};

		hs_add(&w->held, &e);
	}
}

static bool not_a_call(const struct tok *tk)
{
	static const char *const kw[] = {"if",	     "for",	      "while",
					 "switch",   "return",	      "sizeof",
					 "typeof",   "__typeof__",    "defined",
					 "_Alignof", "__attribute__", "do"};

	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		if (tok_is(tk, kw[k]))
			return true;
	return false;
}

static void add_call(struct walk *w, const struct tok *callee, const char *via,
		     int line)
{
	struct topo *t = w->t;

	GROW(t->calls, t->ncalls, t->capcalls);
	t->calls[t->ncalls++] = (struct call){
		.file = w->file,
		.caller = w->function,
		.callee = pool_add(t, callee->s, callee->len),
		.via = via,
		.line = line,
		.held = hs_copy(&w->held),
	};
}

/* A call at i (identifier, next is '('): record it, and every argument
 * that is a bare identifier as a callback the callee may run (resolved
 * against the functions defined in the sources when chains are built). */
static void do_plain_call(struct walk *w, size_t i, size_t end)
{
	const struct toks *ts = w->ts;
	size_t close = skip_group(ts, i + 1, end);
	const char *via = pool_add(w->t, ts->v[i].s, ts->v[i].len);
	int d = 0;

	add_call(w, &ts->v[i], NULL, ts->v[i].line);
	/* arguments: [a, k) between '(' / ',' and ',' / ')' at depth 0 */
	for (size_t a = i + 2, k = i + 2; k < close; k++) {
		const struct tok *tk = &ts->v[k];
		bool sep = k == close - 1;

		if (tk->kind == T_PUNCT) {
			if (tok_is(tk, "(") || tok_is(tk, "[") ||
			    tok_is(tk, "{"))
				d++;
			else if (tok_is(tk, ")") || tok_is(tk, "]") ||
				 tok_is(tk, "}"))
				d--;
			else if (tok_is(tk, ",") && d == 0)
				sep = true;
		}
		if (!sep)
			continue;
		if (a < k && tok_is(&ts->v[a], "&"))
			a++;
		if (k == a + 1 && ts->v[a].kind == T_IDENT)
			add_call(w, &ts->v[a], via, ts->v[a].line);
		a = k + 1;
	}
}

/* Is the '{' at i the body of a switch? */
static bool is_switch_block(const struct toks *ts, size_t i, size_t start)
{
	if (i == start || !tok_is(&ts->v[i - 1], ")"))
		return false;
	int d = 0;

	for (size_t k = i; k-- > start;) {
		if (tok_is(&ts->v[k], ")"))
			d++;
		else if (tok_is(&ts->v[k], "(") && --d == 0)
			return k > start && tok_is(&ts->v[k - 1], "switch");
	}
	return false;
}

static void end_statement(struct walk *w)
{
	if (w->pending_dead)
		w->dead = true;
	w->pending_dead = false;
	w->cond_prefix = false;
	if (w->pending_else) { /* braceless else-if body: no merge */
		hs_free(&w->else_result);
		w->pending_else = false;
	}
}

/* Walk one function body: tokens [body, end) with ts->v[body] == '{' and
 * ts->v[end-1] its matching '}'. */
static void walk_function(struct topo *t, const struct toks *ts,
			  const char *file, const char *function, size_t body,
			  size_t end)
{
	struct walk w = {.t = t, .file = file, .function = function, .ts = ts};

	for (size_t i = body; i < end; i++) {
		const struct tok *tk = &ts->v[i];
		const struct tok *nx = i + 1 < end ? &ts->v[i + 1] : NULL;
		bool stmt_start = i == body || (ts->v[i - 1].kind == T_PUNCT &&
						(tok_is(&ts->v[i - 1], ";") ||
						 tok_is(&ts->v[i - 1], "{") ||
						 tok_is(&ts->v[i - 1], "}") ||
						 tok_is(&ts->v[i - 1], ":")) &&
						w.paren == 0);

		if (tk->kind == T_PUNCT) {
			if (tok_is(tk, "(") || tok_is(tk, "[")) {
				w.paren++;
			} else if (tok_is(tk, ")") || tok_is(tk, "]")) {
				if (w.paren > 0)
					w.paren--;
			} else if (tok_is(tk, ";") && w.paren == 0) {
				end_statement(&w);
			} else if (tok_is(tk, "{")) {
				struct frame f = {0};

				if (w.dead) /* code after return: reachable
					     * by a jump we did not see */
					w.dead = false;
				f.entry = hs_copy(&w.held);
				f.is_switch = is_switch_block(ts, i, body);
				if (w.pending_else) {
					f.is_else = true;
					f.if_result = w.else_result;
					f.has_if_result = w.else_has_result;
					w.else_result = (struct heldset){0};
					w.pending_else = false;
				}
				GROW(w.frames, w.nframes, w.capframes);
				w.frames[w.nframes++] = f;
				w.cond_prefix = false;
				w.pending_dead = false;
				w.paren = 0;
			} else if (tok_is(tk, "}")) {
				if (!w.nframes)
					break;
				struct frame f = w.frames[--w.nframes];
				bool has_else = nx && tok_is(nx, "else");
				/* what this block contributes on exit */
				bool live = !w.dead;
				struct heldset res = {0};
				bool has_res = false;

				if (live) {
					res = hs_copy(&w.held);
					has_res = true;
				}
				if (f.is_else && f.has_if_result) {
					if (has_res)
						hs_union(&res, &f.if_result);
					else
						res = hs_copy(&f.if_result);
					has_res = true;
				}
				hs_free(&f.if_result);
				if (has_else && nx + 1 < &ts->v[end] &&
				    (tok_is(nx + 1, "{") ||
				     tok_is(nx + 1, "if"))) {
					/* else branch: starts from our entry */
					hs_free(&w.else_result);
					w.else_result = res;
					w.else_has_result = has_res;
					w.pending_else = true;
					hs_set(&w.held, &f.entry);
				} else {
					if (has_res) {
						hs_set(&w.held, &res);
						hs_free(&res);
					} else {
						hs_set(&w.held, &f.entry);
					}
					if (has_else) {
						/* braceless else: no merge */
						hs_free(&w.else_result);
						w.pending_else = false;
					}
				}
				hs_free(&f.entry);
				w.dead = false;
				w.cond_prefix = false;
				w.pending_dead = false;
				w.paren = 0;
			}
			continue;
		}
		if (tk->kind != T_IDENT)
			continue;

		if (stmt_start &&
		    (tok_is(tk, "case") || tok_is(tk, "default"))) {
			/* skip to the ':' */
			size_t k = i + 1;
			int d = 0;

			for (; k < end; k++) {
				if (tok_is(&ts->v[k], "("))
					d++;
				else if (tok_is(&ts->v[k], ")"))
					d--;
				else if (tok_is(&ts->v[k], ":") && d == 0)
					break;
			}
			if (w.nframes && w.dead) {
				hs_set(&w.held, &w.frames[w.nframes - 1].entry);
			}
			w.dead = false;
			i = k; /* the ':' */
			continue;
		}
		if (stmt_start && w.paren == 0 && nx && tok_is(nx, ":") &&
		    !(i + 2 < end && tok_is(&ts->v[i + 2], ":"))) {
			/* label */
			struct label *l = label_get(&w, tk);

			if (w.dead)
				hs_set(&w.held, &l->in);
			else
				hs_union(&w.held, &l->in);
			w.dead = false;
			i++;
			continue;
		}
		if (w.paren == 0 &&
		    (tok_is(tk, "if") || tok_is(tk, "else") ||
		     tok_is(tk, "for") || tok_is(tk, "while") ||
		     tok_is(tk, "switch") || tok_is(tk, "do"))) {
			if (tok_is(tk, "if") && i > body &&
			    tok_is(&ts->v[i - 1], "else")) {
				/* else if: the pending else merge goes to
				 * this if's block */
			} else if (!tok_is(tk, "else") && w.pending_else &&
				   !(i > body &&
				     tok_is(&ts->v[i - 1], "else"))) {
				hs_free(&w.else_result);
				w.pending_else = false;
			}
			if (w.dead && stmt_start)
				w.dead = false;
			w.cond_prefix = true;
			continue;
		}
		if (stmt_start && w.dead)
			w.dead = false; /* unreachable text: carry on */
		if (w.paren == 0 &&
		    (tok_is(tk, "return") || tok_is(tk, "break") ||
		     tok_is(tk, "continue") || tok_is(tk, "goto"))) {
			if (tok_is(tk, "goto") && nx && nx->kind == T_IDENT) {
				struct label *l = label_get(&w, nx);

				hs_union(&l->in, &w.held);
			}
			if (!w.cond_prefix)
				w.pending_dead = true;
			continue;
		}
		struct prim pr;

		if (nx && tok_is(nx, "(") && prim_classify(tk, &pr) &&
		    !(i > body && (tok_is(&ts->v[i - 1], ".") ||
				   tok_is(&ts->v[i - 1], "->")))) {
			do_call(&w, i, end, &pr);
			continue;
		}
		if (nx && tok_is(nx, "(") && !not_a_call(tk) &&
		    !(i > body && (tok_is(&ts->v[i - 1], ".") ||
				   tok_is(&ts->v[i - 1], "->"))))
			do_plain_call(&w, i, end);
	}
	hs_free(&w.held);
	hs_free(&w.else_result);
	for (size_t k = 0; k < w.nframes; k++) {
		hs_free(&w.frames[k].entry);
		hs_free(&w.frames[k].if_result);
	}
	free(w.frames);
	for (size_t k = 0; k < w.nlabels; k++)
		hs_free(&w.labels[k].in);
	free(w.labels);
}

/* Name of the function whose declaration is tokens [s, e), or NULL. */
static const struct tok *function_name(const struct toks *ts, size_t s,
				       size_t e)
{
	const struct tok *name = NULL, *any = NULL;
	int d = 0;

	for (size_t i = s; i < e; i++) {
		const struct tok *tk = &ts->v[i];

		if (tk->kind != T_PUNCT)
			continue;
		if (tok_is(tk, "=") && d == 0)
			return NULL;
		if (tok_is(tk, "(")) {
			if (d == 0 && i > s && ts->v[i - 1].kind == T_IDENT) {
				any = &ts->v[i - 1];
				if (!(any->len > 2 && !memcmp(any->s, "__", 2)))
					name = any;
			}
			d++;
		} else if (tok_is(tk, ")")) {
			d--;
		}
	}
	return name ? name : any;
}

void topo_scan_buffer(struct topo *t, const char *name, const char *buf,
		      size_t len)
{
	struct toks ts = {0};
	const char *file = pool_add(t, name, strlen(name));
	size_t decl = 0;

	tokenize(buf, len, &ts);
	t->nfiles++;
	for (size_t i = 0; i < ts.n; i++) {
		const struct tok *tk = &ts.v[i];

		if (tk->kind != T_PUNCT)
			continue;
		if (tok_is(tk, ";")) {
			decl = i + 1;
			continue;
		}
		if (!tok_is(tk, "{"))
			continue;
		/* matching brace */
		size_t e = skip_group(&ts, i, ts.n);
		const struct tok *fn = function_name(&ts, decl, i);

		if (fn) {
			const char *fname = pool_add(t, fn->s, fn->len);

			t->nfunctions++;
			GROW(t->funcs, t->nfuncs, t->capfuncs);
			t->funcs[t->nfuncs++] = (struct func){fname, file};
			walk_function(t, &ts, file, fname, i, e);
		}
		i = e - 1;
		decl = e;
	}
	free(ts.v);
}

/* ---- files and directories ---------------------------------------------- */

static int scan_file(struct topo *t, const char *path, const char *name,
		     char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? 2 * cap : 131072;
			buf = xrealloc(buf, cap);
		}
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	topo_scan_buffer(t, name, buf, n);
	free(buf);
	return 0;
}

static bool c_source(const char *name)
{
	size_t l = strlen(name);

	return l > 2 && name[l - 2] == '.' &&
	       (name[l - 1] == 'c' || name[l - 1] == 'h');
}

static int scan_dir(struct topo *t, const char *dir, const char *rel, char *err,
		    size_t errlen)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	int rc = 0;

	if (n < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;

		if (rc == 0 && nm[0] != '.') {
			size_t pl = strlen(dir) + strlen(nm) + 2;
			size_t rl = strlen(rel) + strlen(nm) + 2;
			char *path = xrealloc(NULL, pl),
			     *r2 = xrealloc(NULL, rl);
			struct stat st;

			snprintf(path, pl, "%s/%s", dir, nm);
			snprintf(r2, rl, "%s%s%s", rel, *rel ? "/" : "", nm);
			if (stat(path, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					rc = scan_dir(t, path, r2, err, errlen);
				else if (S_ISREG(st.st_mode) && c_source(nm))
					rc = scan_file(t, path, r2, err,
						       errlen);
			}
			free(path);
			free(r2);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int topo_scan_path(struct topo *t, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return scan_dir(t, path, "", err, errlen);
	return scan_file(t, path, path, err, errlen);
}

/* ---- verdicts ----------------------------------------------------------- */

/* The first held lock taken with a softirq-disabling primitive, or NULL. */
static const struct held *bh_holder(const struct heldset *h)
{
	for (size_t i = 0; i < h->n; i++) {
		struct prim pr;
		struct tok tk = {T_IDENT, h->v[i].prim, strlen(h->v[i].prim),
				 0};

		if (prim_classify(&tk, &pr) && pr.disables)
			return &h->v[i];
	}
	return NULL;
}

static bool is_acq(const struct site *s)
{
	return s->op != OP_UNLOCK;
}

static bool softirqs_enabled(const struct site *s)
{
	return is_acq(s) && !s->disables && !bh_holder(&s->held);
}

enum status { ST_CONSISTENT, ST_MIXED, ST_RISK, ST_UNUSED };

struct verdict {
	enum status status;
	size_t nacq, nenabled, nnested, ndisabled;
	const char *outer; /* a SOFTIRQ-safe outer lock's name */
	long *convert;	   /* site indexes to convert */
	size_t nconvert;
};

static const char *held_name(const struct topo *t, const struct held *h)
{
	return h->spec >= 0 ? t->specs[h->spec].name : h->expr;
}

static void verdict_of(const struct topo *t, size_t spec, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];
		const struct held *h;

		if ((size_t)s->spec != spec || !is_acq(s))
			continue;
		v->nacq++;
		if (softirqs_enabled(s))
			v->nenabled++;
		else
			v->ndisabled++;
		h = bh_holder(&s->held);
		if (h) {
			v->nnested++;
			if (!v->outer)
				v->outer = held_name(t, h);
		}
	}
	if (!v->nacq)
		v->status = ST_UNUSED;
	else if (v->nenabled && v->nnested)
		v->status = ST_RISK;
	else if (v->nenabled && v->ndisabled)
		v->status = ST_MIXED;
	else
		v->status = ST_CONSISTENT;
	if (v->status != ST_RISK)
		return;
	v->convert = xrealloc(NULL, t->nsites * sizeof(*v->convert));
	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];

		if ((size_t)s->spec != spec)
			continue;
		if (softirqs_enabled(s) ||
		    (s->op == OP_UNLOCK && s->releases >= 0 &&
		     softirqs_enabled(&t->sites[s->releases])))
			v->convert[v->nconvert++] = (long)i;
	}
}

static const char *status_name(enum status s)
{
	switch (s) {
	case ST_CONSISTENT:
		return "consistent";
	case ST_MIXED:
		return "mixed";
	case ST_RISK:
		return "inversion-risk";
	default:
		return "not-found";
	}
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The verdict sentence; markdown adds backticks around names. */
static char *verdict_text(const struct topo *t, const struct verdict *v,
			  bool md)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *q = md ? "`" : "";

	if (!f)
		return NULL;
	switch (v->status) {
	case ST_UNUSED:
		fprintf(f, "no acquisition site found");
		break;
	case ST_CONSISTENT:
		if (v->nenabled)
			fprintf(f,
				"taken with softirqs enabled at every "
				"acquisition (%zu site%s), never nested under "
				"a SOFTIRQ-safe lock",
				v->nacq, plural(v->nacq));
		else
			fprintf(f,
				"softirqs disabled at every acquisition "
				"(%zu site%s): SOFTIRQ-safe",
				v->nacq, plural(v->nacq));
		break;
	case ST_MIXED:
		fprintf(f,
			"softirqs disabled at %zu site%s, enabled at "
			"%zu site%s, never nested under a SOFTIRQ-safe lock "
			"(an inconsistent-lock-state risk only if a "
			"disabled site runs in softirq context)",
			v->ndisabled, plural(v->ndisabled), v->nenabled,
			plural(v->nenabled));
		break;
	case ST_RISK:
		fprintf(f,
			"taken with softirqs enabled at %zu site%s while "
			"nested under a SOFTIRQ-safe lock (%s%s%s) at %zu "
			"site%s %s SOFTIRQ-safe%sunsafe inversion risk; "
			"convert to _bh:",
			v->nenabled, plural(v->nenabled), q, v->outer, q,
			v->nnested, plural(v->nnested), md ? "→" : "->",
			md ? "→" : "->");
		for (size_t i = 0; i < v->nconvert; i++) {
			const struct site *s = &t->sites[v->convert[i]];

			fprintf(f, "%s %s:%d", i ? "," : "", s->file, s->line);
		}
		break;
	}
	fclose(f);
	(void)t;
	return buf;
}

size_t topo_nrisks(const struct topo *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nspecs; i++) {
		struct verdict v;

		verdict_of(t, i, &v);
		n += v.status == ST_RISK;
		free(v.convert);
	}
	return n;
}

/* Counts per primitive, in first-seen order. */
struct count {
	const char *prim;
	size_t n;
};

static size_t counts_of(const struct topo *t, size_t spec, struct count **out)
{
	struct count *c = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];
		size_t k;

		if ((size_t)s->spec != spec)
			continue;
		for (k = 0; k < n; k++)
			if (!strcmp(c[k].prim, s->prim))
				break;
		if (k == n) {
			GROW(c, n, cap);
			c[n++] = (struct count){s->prim, 0};
		}
		c[k].n++;
	}
	*out = c;
	return n;
}

static const char *op_name(enum prim_op op)
{
	return op == OP_UNLOCK ? "unlock" : "lock";
}

/* ---- output ------------------------------------------------------------- */

/* Markdown name of a held lock: its lock name, and the expression when
 * that says more (`lock` (`stats->lock`)). */
static void md_held(FILE *out, const struct topo *t, const struct held *h)
{
	const char *n = held_name(t, h);

	fprintf(out, "`%s`", n);
	if (strcmp(n, h->expr))
		fprintf(out, " (`%s`)", h->expr);
}

int topo_write_markdown(const struct topo *t, FILE *out)
{
	for (size_t sp = 0; sp < t->nspecs; sp++) {
		const struct spec *spec = &t->specs[sp];
		struct verdict v;
		struct count *c;
		size_t nc;
		char *vt;

		fprintf(out, "%s### Lock `%s`\n\n", sp ? "\n" : "", spec->name);
		fprintf(out, "Matches lock expressions ending in ");
		for (size_t j = 0; j < spec->nalts; j++)
			fprintf(out, "%s`%s`", j ? " or " : "", spec->alts[j]);
		fprintf(out, ".\n\n");
		fprintf(out, "| site | function | op | primitive | softirqs | "
			     "held (outer locks) |\n");
		fprintf(out, "|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < t->nsites; i++) {
			const struct site *s = &t->sites[i];
			const struct held *h;

			if ((size_t)s->spec != sp)
				continue;
			fprintf(out, "| %s:%d | %s | %s | `%s` | ", s->file,
				s->line, s->function, op_name(s->op), s->prim);
			if (s->op == OP_UNLOCK) {
				if (s->releases >= 0)
					fprintf(out, "releases %s:%d",
						t->sites[s->releases].file,
						t->sites[s->releases].line);
				else
					fprintf(out, "releases a lock not "
						     "taken here");
			} else if (s->disables) {
				fprintf(out, "off (own `_%s`)",
					strrchr(s->prim, '_') + 1);
			} else if ((h = bh_holder(&s->held))) {
				fprintf(out, "off (under ");
				md_held(out, t, h);
				fprintf(out, ")");
			} else {
				fprintf(out, "**on**");
			}
			fprintf(out, " | ");
			if (!s->held.n)
				fprintf(out, "–");
			for (size_t k = 0; k < s->held.n; k++) {
				const struct held *e = &s->held.v[k];

				fprintf(out, "%s", k ? "; " : "");
				md_held(out, t, e);
				fprintf(out, " %s @%s:%d", e->prim, e->file,
					e->line);
			}
			fprintf(out, " |\n");
		}
		nc = counts_of(t, sp, &c);
		fprintf(out, "\nCounts:");
		for (size_t k = 0; k < nc; k++)
			fprintf(out, "%s `%s` %zu", k ? "," : "", c[k].prim,
				c[k].n);
		if (!nc)
			fprintf(out, " none");
		fprintf(out, "\n\n");
		free(c);
		verdict_of(t, sp, &v);
		vt = verdict_text(t, &v, true);
		fprintf(out, "Verdict: **%s**: %s\n", status_name(v.status),
			vt ? vt : "?");
		free(vt);
		free(v.convert);
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}

static int put_json(FILE *out, struct json_object *o)
{
	int rc =
		fprintf(out, "%s\n",
			json_object_to_json_string_ext(
				o, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;

	json_object_put(o);
	return rc ? -1 : 0;
}

static struct json_object *site_ref(const struct site *s)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s:%d", s->file, s->line);
	return json_object_new_string(buf);
}

int topo_write_jsonl(const struct topo *t, FILE *out)
{
	int rc = 0;

	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];
		struct json_object *o = json_object_new_object();
		struct json_object *held = json_object_new_array();
		const struct held *h = bh_holder(&s->held);

		json_object_object_add(o, "type",
				       json_object_new_string("site"));
		json_object_object_add(o, "file",
				       json_object_new_string(s->file));
		json_object_object_add(o, "line", json_object_new_int(s->line));
		json_object_object_add(o, "function",
				       json_object_new_string(s->function));
		json_object_object_add(
			o, "lock",
			json_object_new_string(t->specs[s->spec].name));
		json_object_object_add(o, "expr",
				       json_object_new_string(s->expr));
		json_object_object_add(o, "op",
				       json_object_new_string(op_name(s->op)));
		json_object_object_add(o, "primitive",
				       json_object_new_string(s->prim));
		json_object_object_add(
			o, "trylock",
			json_object_new_boolean(s->op == OP_TRYLOCK));
		if (is_acq(s))
			json_object_object_add(
				o, "softirqs",
				json_object_new_string(softirqs_enabled(s)
							       ? "enabled"
							       : "disabled"));
		if (is_acq(s) && h)
			json_object_object_add(
				o, "nested_under",
				json_object_new_string(held_name(t, h)));
		if (s->op == OP_UNLOCK)
			json_object_object_add(
				o, "releases",
				s->releases >= 0
					? site_ref(&t->sites[s->releases])
					: NULL);
		for (size_t k = 0; k < s->held.n; k++) {
			const struct held *e = &s->held.v[k];
			struct json_object *he = json_object_new_object();

			json_object_object_add(
				he, "lock",
				json_object_new_string(held_name(t, e)));
			json_object_object_add(he, "expr",
					       json_object_new_string(e->expr));
			json_object_object_add(he, "primitive",
					       json_object_new_string(e->prim));
			json_object_object_add(he, "file",
					       json_object_new_string(e->file));
			json_object_object_add(he, "line",
					       json_object_new_int(e->line));
			json_object_array_add(held, he);
		}
		json_object_object_add(o, "held", held);
		rc |= put_json(out, o);
	}
	for (size_t sp = 0; sp < t->nspecs; sp++) {
		struct json_object *o = json_object_new_object();
		struct json_object *counts = json_object_new_object();
		struct json_object *alts = json_object_new_array();
		struct json_object *conv = json_object_new_array();
		struct verdict v;
		struct count *c;
		size_t nc = counts_of(t, sp, &c);
		char *vt;

		for (size_t k = 0; k < nc; k++)
			json_object_object_add(
				counts, c[k].prim,
				json_object_new_int64((int64_t)c[k].n));
		free(c);
		for (size_t j = 0; j < t->specs[sp].nalts; j++)
			json_object_array_add(
				alts,
				json_object_new_string(t->specs[sp].alts[j]));
		verdict_of(t, sp, &v);
		for (size_t k = 0; k < v.nconvert; k++)
			json_object_array_add(
				conv, site_ref(&t->sites[v.convert[k]]));
		vt = verdict_text(t, &v, false);
		json_object_object_add(o, "type",
				       json_object_new_string("lock"));
		json_object_object_add(
			o, "lock", json_object_new_string(t->specs[sp].name));
		json_object_object_add(o, "matches", alts);
		json_object_object_add(o, "counts", counts);
		json_object_object_add(o, "acquisitions",
				       json_object_new_int64((int64_t)v.nacq));
		json_object_object_add(
			o, "softirqs_enabled",
			json_object_new_int64((int64_t)v.nenabled));
		json_object_object_add(
			o, "nested_under_softirq_safe",
			json_object_new_int64((int64_t)v.nnested));
		json_object_object_add(
			o, "status",
			json_object_new_string(status_name(v.status)));
		json_object_object_add(o, "verdict",
				       json_object_new_string(vt ? vt : ""));
		json_object_object_add(o, "convert", conv);
		free(vt);
		free(v.convert);
		rc |= put_json(out, o);
	}
	fflush(out);
	return rc || ferror(out) ? -1 : 0;
}

/* ---- chains through calls and callbacks --------------------------------- */

#define CHAIN_DEPTH 6

struct chain {
	int *locks; /* spec indexes, outer to inner */
	size_t nlocks;
	const struct call *path[CHAIN_DEPTH];
	size_t npath;
	long site;		/* the innermost acquisition */
	const struct held *ctx; /* held entries (reported locks) on the way */
	size_t nctx;
};

struct chains {
	struct chain *v;
	size_t n, cap;
	size_t nspecs;
	bool *reach;  /* reach[a * nspecs + b]: a path a -> ... -> b */
	bool *safe;   /* taken with its own _bh/_irq/_irqsave somewhere */
	long *unsafe; /* an acquisition with softirqs on (site index), or -1 */
};

static const struct func *func_find(const struct topo *t, const char *name,
				    const char *prefer_file)
{
	const struct func *any = NULL;

	for (size_t i = 0; i < t->nfuncs; i++) {
		if (strcmp(t->funcs[i].name, name))
			continue;
		if (!strcmp(t->funcs[i].file, prefer_file))
			return &t->funcs[i];
		if (!any)
			any = &t->funcs[i];
	}
	return any;
}

static bool in_func(const char *file, const char *function,
		    const struct func *f)
{
	return !strcmp(file, f->file) && !strcmp(function, f->name);
}

static void chain_dfs(const struct topo *t, struct chains *cs,
		      const struct func *f, struct heldset *ctx,
		      const struct call **path, size_t npath)
{
	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];

		if (!is_acq(s) || !in_func(s->file, s->function, f))
			continue;
		struct chain c = {0};

		c.locks = xrealloc(NULL,
				   (ctx->n + s->held.n + 1) * sizeof(*c.locks));
		c.ctx = NULL;
		for (size_t k = 0; k < ctx->n; k++)
			if (ctx->v[k].spec >= 0 &&
			    (!c.nlocks ||
			     c.locks[c.nlocks - 1] != ctx->v[k].spec))
				c.locks[c.nlocks++] = ctx->v[k].spec;
		if (!c.nlocks) {
			free(c.locks);
			continue;
		}
		for (size_t k = 0; k < s->held.n; k++)
			if (s->held.v[k].spec >= 0)
				c.locks[c.nlocks++] = s->held.v[k].spec;
		c.locks[c.nlocks++] = s->spec;
		memcpy(c.path, path, npath * sizeof(*path));
		c.npath = npath;
		c.site = (long)i;
		/* the caller-side held entries: kept for the path text */
		struct held *cv =
			xrealloc(NULL, (ctx->n ? ctx->n : 1) * sizeof(*cv));

		memcpy(cv, ctx->v, ctx->n * sizeof(*cv));
		c.ctx = cv;
		c.nctx = ctx->n;
		GROW(cs->v, cs->n, cs->cap);
		cs->v[cs->n++] = c;
	}
	if (npath >= CHAIN_DEPTH)
		return;
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct call *c = &t->calls[i];

		if (!in_func(c->file, c->caller, f))
			continue;
		const struct func *g = func_find(t, c->callee, c->file);
		bool seen = !g || (g == f);

		for (size_t k = 0; !seen && k < npath; k++)
			seen = !strcmp(path[k]->caller, g->name);
		if (seen)
			continue;
		size_t was = ctx->n;

		for (size_t k = 0; k < c->held.n; k++)
			if (c->held.v[k].spec >= 0)
				hs_add(ctx, &c->held.v[k]);
		path[npath] = c;
		chain_dfs(t, cs, g, ctx, path, npath + 1);
		ctx->n = was;
	}
}

static void chains_free(struct chains *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].locks);
		free((void *)cs->v[i].ctx);
	}
	free(cs->v);
	free(cs->reach);
	free(cs->safe);
	free(cs->unsafe);
}

/* Every chain that starts with a reported lock held at a call and ends at
 * an acquisition in a function reached from it; the lock graph (direct
 * nesting and chains) and its transitive closure. */
static void chains_build(const struct topo *t, struct chains *cs)
{
	size_t ns = t->nspecs;

	memset(cs, 0, sizeof(*cs));
	cs->nspecs = ns;
	cs->reach = xrealloc(NULL, (ns ? ns * ns : 1) * sizeof(bool));
	memset(cs->reach, 0, ns * ns * sizeof(bool));
	cs->safe = xrealloc(NULL, (ns ? ns : 1) * sizeof(bool));
	memset(cs->safe, 0, ns * sizeof(bool));
	cs->unsafe = xrealloc(NULL, (ns ? ns : 1) * sizeof(long));
	for (size_t i = 0; i < ns; i++)
		cs->unsafe[i] = -1;
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct call *c = &t->calls[i];
		const struct func *root = func_find(t, c->caller, c->file);
		const struct func *g = func_find(t, c->callee, c->file);
		bool any = false;

		for (size_t k = 0; k < c->held.n; k++)
			any |= c->held.v[k].spec >= 0;
		if (!any || !g || !root || g == root)
			continue;
		struct heldset ctx = {0};
		const struct call *path[CHAIN_DEPTH];

		for (size_t k = 0; k < c->held.n; k++)
			if (c->held.v[k].spec >= 0)
				hs_add(&ctx, &c->held.v[k]);
		path[0] = c;
		chain_dfs(t, cs, g, &ctx, path, 1);
		hs_free(&ctx);
	}
	for (size_t i = 0; i < t->nsites; i++) {
		const struct site *s = &t->sites[i];

		if (!is_acq(s))
			continue;
		if (s->disables)
			cs->safe[s->spec] = true;
		if (softirqs_enabled(s) && cs->unsafe[s->spec] < 0)
			cs->unsafe[s->spec] = (long)i;
		for (size_t k = 0; k < s->held.n; k++)
			if (s->held.v[k].spec >= 0)
				cs->reach[(size_t)s->held.v[k].spec * ns +
					  (size_t)s->spec] = true;
	}
	for (size_t i = 0; i < cs->n; i++)
		for (size_t a = 0; a + 1 < cs->v[i].nlocks; a++)
			for (size_t b = a + 1; b < cs->v[i].nlocks; b++)
				cs->reach[(size_t)cs->v[i].locks[a] * ns +
					  (size_t)cs->v[i].locks[b]] = true;
	for (size_t k = 0; k < ns; k++)
		for (size_t a = 0; a < ns; a++)
			for (size_t b = 0; b < ns; b++)
				if (cs->reach[a * ns + k] &&
				    cs->reach[k * ns + b])
					cs->reach[a * ns + b] = true;
}

/* What lockdep would say about the step x -> y of a chain. */
struct cflag {
	bool recursive, circular, softirq;
	int safe, unsafe; /* the SOFTIRQ-safe lock reaching x, the unsafe one y
			   * reaches (spec indexes) */
};

static struct cflag chain_flags(const struct chains *cs, const struct chain *c)
{
	struct cflag fl = {.safe = -1, .unsafe = -1};
	size_t ns = cs->nspecs;

	for (size_t i = 0; i + 1 < c->nlocks; i++) {
		size_t x = (size_t)c->locks[i], y = (size_t)c->locks[i + 1];

		if (x == y) {
			fl.recursive = true;
			continue;
		}
		if (cs->reach[y * ns + x])
			fl.circular = true;
		/* prefer a SOFTIRQ-safe lock held around x (lockdep's
		 * backward search), x itself last */
		for (size_t r = 0; r < 2 * ns && !fl.softirq; r++) {
			size_t a = r < ns ? r : r - ns;

			if (!cs->safe[a] || (r < ns) == (a == x) ||
			    (a != x && !cs->reach[a * ns + x]))
				continue;
			for (size_t b = 0; b < ns; b++)
				if (cs->unsafe[b] >= 0 && b != a &&
				    (b == y || cs->reach[y * ns + b])) {
					fl.softirq = true;
					fl.safe = (int)a;
					fl.unsafe = (int)b;
					break;
				}
		}
	}
	return fl;
}

static bool chain_flagged(const struct cflag *fl)
{
	return fl->recursive || fl->circular || fl->softirq;
}

size_t topo_nchain_flags(const struct topo *t)
{
	struct chains cs;
	size_t n = 0;

	chains_build(t, &cs);
	for (size_t i = 0; i < cs.n; i++) {
		struct cflag fl = chain_flags(&cs, &cs.v[i]);

		n += chain_flagged(&fl);
	}
	chains_free(&cs);
	return n;
}

/* The path, as text: who holds what, the calls, the acquisition. */
static void chain_path(FILE *out, const struct topo *t, const struct chain *c,
		       bool md)
{
	const char *q = md ? "`" : "", *arrow = md ? " → " : " -> ";
	const struct site *s = &t->sites[c->site];
	size_t k = 0;

	for (size_t i = 0; i < c->npath; i++) {
		const struct call *cl = c->path[i];

		for (; k < c->nctx; k++) {
			const struct held *h = &c->ctx[k];

			/* entries up to this call's own held set */
			bool mine = false;

			for (size_t j = 0; j < cl->held.n; j++)
				mine |= cl->held.v[j].line == h->line &&
					cl->held.v[j].file == h->file &&
					cl->held.v[j].expr == h->expr;
			if (!mine)
				break;
			fprintf(out, "%s%s holds %s%s%s (%s @%s:%d)",
				i || k ? arrow : "", cl->caller, q,
				held_name(t, h), q, h->prim, h->file, h->line);
		}
		if (cl->via)
			fprintf(out, "%s%s:%d %s passes %s to %s (callback)",
				arrow, cl->file, cl->line, cl->caller,
				cl->callee, cl->via);
		else
			fprintf(out, "%s%s:%d %s calls %s", arrow, cl->file,
				cl->line, cl->caller, cl->callee);
	}
	for (size_t j = 0; j < s->held.n; j++)
		if (s->held.v[j].spec >= 0)
			fprintf(out, "%s%s holds %s%s%s (%s @%s:%d)", arrow,
				s->function, q, held_name(t, &s->held.v[j]), q,
				s->held.v[j].prim, s->held.v[j].file,
				s->held.v[j].line);
	fprintf(out, "%s%s:%d %s takes %s%s%s (%s)", arrow, s->file, s->line,
		s->function, q, t->specs[s->spec].name, q, s->prim);
}

static void chain_verdict(FILE *out, const struct topo *t,
			  const struct chains *cs, const struct cflag *fl,
			  bool md)
{
	const char *q = md ? "`" : "", *b = md ? "**" : "";
	const char *sep = "";

	if (fl->softirq) {
		const struct site *u = &t->sites[cs->unsafe[fl->unsafe]];

		fprintf(out,
			"%sSOFTIRQ-safe %s unsafe%s: %s%s%s (taken with "
			"softirqs disabled) reaches %s%s%s (taken with "
			"softirqs on at %s:%d)",
			b, md ? "→" : "->", b, q, t->specs[fl->safe].name, q, q,
			t->specs[fl->unsafe].name, q, u->file, u->line);
		sep = "; ";
	}
	if (fl->circular) {
		fprintf(out,
			"%s%scircular%s: the inner lock also leads back "
			"to the outer one",
			sep, b, b);
		sep = "; ";
	}
	if (fl->recursive) {
		fprintf(out,
			"%s%srecursive%s: a lock of the same class taken "
			"again while held",
			sep, b, b);
		sep = "; ";
	}
	if (!*sep)
		fprintf(out, "–");
}

int topo_write_chains_markdown(const struct topo *t, FILE *out)
{
	struct chains cs;
	size_t nflag = 0, nsoft = 0, ncirc = 0, nrec = 0;

	chains_build(t, &cs);
	fprintf(out, "\n### Lock chains through calls and callbacks\n\n");
	if (!cs.n) {
		fprintf(out, "No chain: no reported lock is held at a call of "
			     "a function (or a callback) that takes one.\n");
	} else {
		fprintf(out, "| chain | path | lockdep |\n|---|---|---|\n");
	}
	for (size_t i = 0; i < cs.n; i++) {
		const struct chain *c = &cs.v[i];
		struct cflag fl = chain_flags(&cs, c);

		fprintf(out, "| ");
		for (size_t k = 0; k < c->nlocks; k++)
			fprintf(out, "%s`%s`", k ? " → " : "",
				t->specs[c->locks[k]].name);
		fprintf(out, " | ");
		chain_path(out, t, c, true);
		fprintf(out, " | ");
		chain_verdict(out, t, &cs, &fl, true);
		fprintf(out, " |\n");
		nflag += chain_flagged(&fl);
		nsoft += fl.softirq;
		ncirc += fl.circular;
		nrec += fl.recursive;
	}
	fprintf(out,
		"\nChains: %zu; flagged %zu (SOFTIRQ-safe → unsafe %zu, "
		"circular %zu, recursive %zu)\n",
		cs.n, nflag, nsoft, ncirc, nrec);
	chains_free(&cs);
	fflush(out);
	return ferror(out) ? -1 : 0;
}

int topo_write_chains_jsonl(const struct topo *t, FILE *out)
{
	struct chains cs;
	int rc = 0;

	chains_build(t, &cs);
	for (size_t i = 0; i < cs.n; i++) {
		const struct chain *c = &cs.v[i];
		struct cflag fl = chain_flags(&cs, c);
		struct json_object *o = json_object_new_object();
		struct json_object *locks = json_object_new_array();
		struct json_object *calls = json_object_new_array();
		struct json_object *flags = json_object_new_array();
		char *text = NULL;
		size_t tl = 0;
		FILE *f;

		for (size_t k = 0; k < c->nlocks; k++)
			json_object_array_add(
				locks, json_object_new_string(
					       t->specs[c->locks[k]].name));
		for (size_t k = 0; k < c->npath; k++) {
			const struct call *cl = c->path[k];
			struct json_object *e = json_object_new_object();
			char at[512];

			snprintf(at, sizeof(at), "%s:%d", cl->file, cl->line);
			json_object_object_add(e, "at",
					       json_object_new_string(at));
			json_object_object_add(
				e, "caller",
				json_object_new_string(cl->caller));
			json_object_object_add(
				e, "callee",
				json_object_new_string(cl->callee));
			if (cl->via)
				json_object_object_add(
					e, "callback_of",
					json_object_new_string(cl->via));
			json_object_array_add(calls, e);
		}
		if (fl.softirq)
			json_object_array_add(
				flags, json_object_new_string(
					       "softirq-safe-to-unsafe"));
		if (fl.circular)
			json_object_array_add(
				flags, json_object_new_string("circular"));
		if (fl.recursive)
			json_object_array_add(
				flags, json_object_new_string("recursive"));
		json_object_object_add(o, "type",
				       json_object_new_string("chain"));
		json_object_object_add(o, "locks", locks);
		json_object_object_add(o, "calls", calls);
		json_object_object_add(o, "site", site_ref(&t->sites[c->site]));
		json_object_object_add(o, "flags", flags);
		if (fl.softirq) {
			json_object_object_add(
				o, "softirq_safe",
				json_object_new_string(t->specs[fl.safe].name));
			json_object_object_add(
				o, "softirq_unsafe",
				json_object_new_string(
					t->specs[fl.unsafe].name));
			json_object_object_add(
				o, "unsafe_at",
				site_ref(&t->sites[cs.unsafe[fl.unsafe]]));
		}
		f = open_memstream(&text, &tl);
		if (f) {
			chain_path(f, t, c, false);
			fclose(f);
			json_object_object_add(
				o, "path",
				json_object_new_string(text ? text : ""));
			free(text);
		}
		rc |= put_json(out, o);
	}
	chains_free(&cs);
	fflush(out);
	return rc || ferror(out) ? -1 : 0;
}
