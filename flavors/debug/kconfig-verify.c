/* SPDX-License-Identifier: MIT */
/*
 * kconfig-verify - prove that a merged kernel .config got what a fragment asked for.
 *
 * merge_config.sh only warns ("Value requested for CONFIG_X not in final
 * .config") and exits 0; olddefconfig silently drops options whose
 * dependencies are unmet.  This tool compares the final .config (after
 * merge_config.sh -m + make olddefconfig) with the fragment(s) and the base
 * config, reading the kernel tree's own Kconfig files to explain a drop:
 *
 *   - every fragment symbol must have its requested value, else FAIL with the
 *     symbol, requested and actual value, the Kconfig definition(s) and the
 *     `depends on` terms that evaluate false against the final .config (or the
 *     active `select`s that force a value, or "no prompt, nothing selects it");
 *   - base symbols the tree does not define (for this ARCH) are an error: it
 *     means the wrong tree (e.g. CONFIG_BES2600 of the DanctNIX patch on a
 *     vanilla tree); --allow-missing turns them into warnings;
 *   - toolchain-derived symbols (CC_VERSION_TEXT, GCC_VERSION, CC_HAS_* ...)
 *     that differ are summarised, never failed;
 *   - any other base symbol whose value changed is listed as information.
 *
 * Kconfig reading is a heuristic, not a reimplementation of scripts/kconfig:
 * it follows `source` from the top Kconfig (with $(SRCARCH)/$(ARCH)), records
 * for each `config`/`menuconfig` its type, prompt, own `depends on` lines and
 * those inherited from enclosing `if`/`menu`/`choice` blocks, and every
 * `select`/`imply`.  Expressions are evaluated in tristate logic (n=0 m=1 y=2)
 * against the final .config; a symbol absent from it counts as n; $(macro)
 * terms are not evaluated and count as y (so they are never blamed).
 * `visible if`, defaults and choice semantics are not modelled.
 *
 * Exit codes: 0 verified; 1 runtime failure (cannot write output);
 * 2 bad usage or unreadable input; 4 a fragment symbol did not get its value;
 * 5 base symbols unknown to the tree (wrong tree) without --allow-missing.
 * Only unknown symbols that are enabled in the base (not "n") make exit code 5:
 * an unknown "# CONFIG_X is not set" loses nothing and is listed as a warning.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

enum {
	KV_OK = 0,
	KV_FAILURE = 1,
	KV_USAGE = 2,
	KV_FRAGMENT_FAIL = 4,
	KV_WRONG_TREE = 5,
};

/* ------------------------------------------------------------------ memory */

/* Everything lives until exit: one arena, freed once (keeps ASan quiet). */
struct blk {
	struct blk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};
static struct blk *arena;

static void *xalloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->cap - arena->used < n) {
		size_t cap = n > (1u << 20) ? n : (1u << 20);
		struct blk *b = malloc(sizeof(*b) + cap);
		if (!b) {
			fprintf(stderr, "kconfig-verify: out of memory\n");
			exit(KV_FAILURE);
		}
		b->next = arena;
		b->used = 0;
		b->cap = cap;
		arena = b;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = xalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

static void arena_free(void)
{
	while (arena) {
		struct blk *n = arena->next;
		free(arena);
		arena = n;
	}
}

struct vec {
	void **v;
	size_t n, cap;
};

static void vpush(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **nv = xalloc(cap * sizeof(*nv));
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = p;
}

/* --------------------------------------------------------------- hash map */

#define MAP_BUCKETS 65536u
struct ment {
	const char *key;
	void *val;
	struct ment *next;
};
struct map {
	struct ment **b;
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void map_init(struct map *m) { m->b = xalloc(MAP_BUCKETS * sizeof(*m->b)); }

static void *map_get(const struct map *m, const char *k)
{
	for (struct ment *e = m->b[hash(k) % MAP_BUCKETS]; e; e = e->next)
		if (!strcmp(e->key, k))
			return e->val;
	return NULL;
}

static void map_put(struct map *m, const char *k, void *v)
{
	uint32_t h = hash(k) % MAP_BUCKETS;
	for (struct ment *e = m->b[h]; e; e = e->next)
		if (!strcmp(e->key, k)) {
			e->val = v;
			return;
		}
	struct ment *e = xalloc(sizeof(*e));
	e->key = k;
	e->val = v;
	e->next = m->b[h];
	m->b[h] = e;
}

/* ---------------------------------------------------------- .config files */

struct cval {
	const char *name;  /* without CONFIG_ */
	const char *value; /* "n" for "is not set"; strings keep their quotes */
	const char *file;
	int line;
};

struct config {
	struct map map;
	struct vec order; /* struct cval *, first appearance order */
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n < cap - 1) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	char *p = xstrndup(buf, n);
	free(buf);
	if (len)
		*len = n;
	return p;
}

static bool is_sym_char(int c) { return isalnum(c) || c == '_'; }

/* Parse CONFIG_X=v and "# CONFIG_X is not set"; later lines override. */
static int config_load(struct config *c, const char *path, bool merge)
{
	if (!merge) {
		map_init(&c->map);
		c->order = (struct vec){0};
	}
	char *buf = slurp(path, NULL);
	if (!buf) {
		fprintf(stderr, "kconfig-verify: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	int lineno = 0;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		const char *name = NULL, *value = NULL;
		size_t nlen = 0;
		if (!strncmp(line, "CONFIG_", 7)) {
			char *eq = strchr(line, '=');
			if (!eq)
				continue;
			name = line + 7;
			nlen = (size_t)(eq - name);
			value = eq + 1;
		} else if (!strncmp(line, "# CONFIG_", 9)) {
			const char *s = line + 9, *e = s;
			while (is_sym_char((unsigned char)*e))
				e++;
			if (strcmp(e, " is not set"))
				continue;
			name = s;
			nlen = (size_t)(e - s);
			value = "n";
		} else {
			continue;
		}
		if (!nlen)
			continue;
		char *key = xstrndup(name, nlen);
		struct cval *cv = map_get(&c->map, key);
		if (!cv) {
			cv = xalloc(sizeof(*cv));
			cv->name = key;
			map_put(&c->map, key, cv);
			vpush(&c->order, cv);
		}
		cv->value = xstrdup(value);
		cv->file = path;
		cv->line = lineno;
	}
	return 0;
}

static const char *config_value(const struct config *c, const char *name)
{
	const struct cval *cv = map_get(&c->map, name);
	return cv ? cv->value : NULL;
}

/* ------------------------------------------------------------ Kconfig tree */

struct kdef {
	const char *sym;
	const char *file; /* relative to the tree */
	int line;
	const char *type;      /* bool tristate int hex string, or NULL */
	bool has_prompt;
	const char *prompt_if; /* condition of the prompt, or NULL */
	struct vec deps;       /* const char *: inherited (if/menu/choice), then own */
	struct vec ranges;     /* const char * */
	struct vec defaults;   /* const char *: "def_bool X", "default X if C" */
};

struct ksel {
	const char *by; /* selecting symbol */
	const char *cond;
	const char *file;
	int line;
	bool imply;
};

struct ksym {
	const char *name;
	struct vec defs; /* struct kdef * */
	struct vec sels; /* struct ksel * that target this symbol */
};

struct kconfig {
	const char *root;
	const char *arch, *srcarch;
	struct map syms;
	int nfiles, nconfigs;
	int errors;
};

enum blk_kind { B_IF, B_MENU, B_CHOICE };
struct pblock {
	enum blk_kind kind;
	struct vec deps;
};
enum target { T_NONE, T_CONFIG, T_MENU, T_CHOICE, T_COMMENT };

struct pstate {
	struct kconfig *k;
	struct pblock stack[64];
	int depth;
	enum target target;
	struct kdef *cur;
};

static struct ksym *ksym_get(struct kconfig *k, const char *name, bool create)
{
	struct ksym *s = map_get(&k->syms, name);
	if (!s && create) {
		s = xalloc(sizeof(*s));
		s->name = xstrdup(name);
		map_put(&k->syms, s->name, s);
	}
	return s;
}

static int indent_of(const char *l)
{
	int col = 0;
	for (; *l == ' ' || *l == '\t'; l++)
		col = *l == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Remove a trailing '# comment' outside quotes, and trailing blanks. */
static void strip_comment(char *s)
{
	bool q = false;
	for (char *p = s; *p; p++) {
		if (*p == '\\' && q && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			q = !q;
		else if (*p == '#' && !q) {
			*p = '\0';
			break;
		}
	}
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* If s starts with keyword kw followed by a blank or end, return the rest. */
static char *keyword(char *s, const char *kw)
{
	size_t n = strlen(kw);
	if (strncmp(s, kw, n) || (s[n] && s[n] != ' ' && s[n] != '\t'))
		return NULL;
	return skip_ws(s + n);
}

/* Skip a "quoted string"; return the position after it, or NULL. */
static char *skip_quoted(char *s)
{
	if (*s != '"' && *s != '\'')
		return NULL;
	char q = *s++;
	for (; *s && *s != q; s++)
		if (*s == '\\' && s[1])
			s++;
	return *s ? s + 1 : NULL;
}

/* Split "X if COND" at a top-level " if "; returns COND or NULL. */
static char *split_if(char *s)
{
	bool q = false;
	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		if (!q && (p == s || p[-1] == ' ' || p[-1] == '\t') && !strncmp(p, "if", 2) &&
		    (p[2] == ' ' || p[2] == '\t')) {
			char *cond = skip_ws(p + 2);
			char *e = p;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			*e = '\0';
			return cond;
		}
	}
	return NULL;
}

/* Expand $(SRCARCH) and $(ARCH) in a source path. */
static char *expand_path(const struct kconfig *k, const char *p)
{
	char out[4096];
	size_t o = 0;
	while (*p && o < sizeof(out) - 1) {
		const char *val = NULL;
		size_t skip = 0;
		if (!strncmp(p, "$(SRCARCH)", 10)) {
			val = k->srcarch;
			skip = 10;
		} else if (!strncmp(p, "$(ARCH)", 7)) {
			val = k->arch;
			skip = 7;
		} else if (!strncmp(p, "$(HEADER_ARCH)", 14)) {
			val = k->srcarch;
			skip = 14;
		}
		if (val) {
			size_t n = strlen(val);
			if (o + n >= sizeof(out) - 1)
				break;
			memcpy(out + o, val, n);
			o += n;
			p += skip;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return xstrdup(out);
}

static int parse_kconfig_file(struct pstate *ps, const char *rel);

static void do_source(struct pstate *ps, const char *cur_rel, char *arg, bool optional, bool relative)
{
	char *e = skip_quoted(arg);
	if (!e) {
		fprintf(stderr, "kconfig-verify: %s: bad source line: %s\n", cur_rel, arg);
		ps->k->errors++;
		return;
	}
	char *path = expand_path(ps->k, xstrndup(arg + 1, (size_t)(e - arg - 2)));
	if (relative) {
		const char *slash = strrchr(cur_rel, '/');
		if (slash)
			path = xasprintf("%.*s/%s", (int)(slash - cur_rel), cur_rel, path);
	}
	if (strpbrk(path, "*?[")) {
		glob_t g;
		char *pat = xasprintf("%s/%s", ps->k->root, path);
		size_t rootlen = strlen(ps->k->root) + 1;
		if (glob(pat, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				parse_kconfig_file(ps, xstrdup(g.gl_pathv[i] + rootlen));
			globfree(&g);
		} else if (!optional) {
			fprintf(stderr, "kconfig-verify: %s: no file matches %s\n", cur_rel, path);
			ps->k->errors++;
		}
		return;
	}
	int r = parse_kconfig_file(ps, path);
	if (r < 0 && !optional) {
		fprintf(stderr, "kconfig-verify: %s: cannot read sourced %s/%s\n", cur_rel,
			ps->k->root, path);
		ps->k->errors++;
	}
}

static void add_select(struct pstate *ps, char *rest, bool imply, const char *rel, int lineno)
{
	if (!ps->cur)
		return;
	char *cond = split_if(rest);
	char *e = rest;
	while (is_sym_char((unsigned char)*e))
		e++;
	if (e == rest)
		return;
	struct ksym *t = ksym_get(ps->k, xstrndup(rest, (size_t)(e - rest)), true);
	struct ksel *s = xalloc(sizeof(*s));
	s->by = ps->cur->sym;
	s->cond = cond ? xstrdup(cond) : NULL;
	s->file = rel;
	s->line = lineno;
	s->imply = imply;
	vpush(&t->sels, s);
}

/* Collapse blanks (continuation lines leave tabs in the middle). */
static void squeeze(char *s)
{
	char *o = s;
	bool q = false, blank = false;
	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		if (!q && (*p == ' ' || *p == '\t')) {
			blank = true;
			continue;
		}
		if (blank && o != s)
			*o++ = ' ';
		blank = false;
		*o++ = *p;
	}
	*o = '\0';
}

static void handle_line(struct pstate *ps, char *l, const char *rel, int lineno)
{
	char *rest;
	struct kconfig *k = ps->k;
	if ((rest = keyword(l, "config")) || (rest = keyword(l, "menuconfig"))) {
		char *e = rest;
		while (is_sym_char((unsigned char)*e))
			e++;
		struct ksym *s = ksym_get(k, xstrndup(rest, (size_t)(e - rest)), true);
		struct kdef *d = xalloc(sizeof(*d));
		d->sym = s->name;
		d->file = rel;
		d->line = lineno;
		for (int i = 0; i < ps->depth; i++)
			for (size_t j = 0; j < ps->stack[i].deps.n; j++)
				vpush(&d->deps, ps->stack[i].deps.v[j]);
		vpush(&s->defs, d);
		ps->cur = d;
		ps->target = T_CONFIG;
		k->nconfigs++;
		return;
	}
	if ((rest = keyword(l, "choice")) || (rest = keyword(l, "menu")) || (rest = keyword(l, "if"))) {
		if (ps->depth == (int)(sizeof(ps->stack) / sizeof(ps->stack[0]))) {
			fprintf(stderr, "kconfig-verify: %s:%d: nesting too deep\n", rel, lineno);
			k->errors++;
			return;
		}
		struct pblock *b = &ps->stack[ps->depth++];
		*b = (struct pblock){0};
		if (l[0] == 'c') {
			b->kind = B_CHOICE;
			ps->target = T_CHOICE;
		} else if (l[0] == 'm') {
			b->kind = B_MENU;
			ps->target = T_MENU;
		} else {
			b->kind = B_IF;
			vpush(&b->deps, xstrdup(rest));
			ps->target = T_NONE;
		}
		ps->cur = NULL;
		return;
	}
	if (keyword(l, "endchoice") || keyword(l, "endmenu") || keyword(l, "endif")) {
		if (ps->depth > 0)
			ps->depth--;
		else {
			fprintf(stderr, "kconfig-verify: %s:%d: unbalanced %s\n", rel, lineno, l);
			k->errors++;
		}
		ps->target = T_NONE;
		ps->cur = NULL;
		return;
	}
	if (keyword(l, "comment")) {
		ps->target = T_COMMENT;
		ps->cur = NULL;
		return;
	}
	bool opt = false, relative = false;
	if ((rest = keyword(l, "source")) || (opt = true, rest = keyword(l, "osource")) ||
	    (opt = false, relative = true, rest = keyword(l, "rsource")) ||
	    (opt = true, rest = keyword(l, "orsource"))) {
		ps->target = T_NONE;
		ps->cur = NULL;
		do_source(ps, rel, rest, opt, relative);
		return;
	}
	if ((rest = keyword(l, "depends"))) {
		char *on = keyword(rest, "on");
		if (!on)
			return;
		if (ps->target == T_CONFIG && ps->cur)
			vpush(&ps->cur->deps, xstrdup(on));
		else if ((ps->target == T_MENU || ps->target == T_CHOICE) && ps->depth > 0)
			vpush(&ps->stack[ps->depth - 1].deps, xstrdup(on));
		return;
	}
	if (ps->target != T_CONFIG || !ps->cur)
		return;
	struct kdef *d = ps->cur;
	static const char *const types[] = {"bool", "tristate", "int", "hex", "string"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if ((rest = keyword(l, types[i]))) {
			d->type = types[i];
			if (*rest == '"' || *rest == '\'') {
				d->has_prompt = true;
				char *cond = split_if(rest);
				if (cond)
					d->prompt_if = xstrdup(cond);
			}
			return;
		}
	}
	if ((rest = keyword(l, "def_bool")) || (rest = keyword(l, "def_tristate"))) {
		d->type = l[4] == 'b' ? "bool" : "tristate";
		vpush(&d->defaults, xstrdup(l));
		return;
	}
	if (keyword(l, "default")) {
		vpush(&d->defaults, xstrdup(l));
		return;
	}
	if ((rest = keyword(l, "prompt"))) {
		d->has_prompt = true;
		char *cond = split_if(rest);
		if (cond)
			d->prompt_if = xstrdup(cond);
		return;
	}
	if ((rest = keyword(l, "select"))) {
		add_select(ps, rest, false, rel, lineno);
		return;
	}
	if ((rest = keyword(l, "imply"))) {
		add_select(ps, rest, true, rel, lineno);
		return;
	}
	if ((rest = keyword(l, "range"))) {
		vpush(&d->ranges, xstrdup(rest));
		return;
	}
}

static int parse_kconfig_file(struct pstate *ps, const char *rel)
{
	char *full = xasprintf("%s/%s", ps->k->root, rel);
	char *buf = slurp(full, NULL);
	if (!buf)
		return -1;
	ps->k->nfiles++;
	int depth0 = ps->depth;
	int lineno = 0;
	bool in_help = false;
	int help_indent = -1;
	char *line = buf;
	while (line && *line) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		int start = lineno;
		/* join continuation lines */
		size_t len = strlen(line);
		while (len && line[len - 1] == '\\' && next && *next) {
			line[len - 1] = ' ';
			char *n2 = strchr(next, '\n');
			if (n2)
				*n2++ = '\0';
			line = xasprintf("%s%s", line, next);
			len = strlen(line);
			next = n2;
			lineno++;
		}
		char *t = skip_ws(line);
		if (in_help) {
			if (!*t) {
				line = next;
				continue;
			}
			int ind = indent_of(line);
			/* as scripts/kconfig/lexer.l: the first help line sets the
			 * indentation; a line indented less (or not at all) ends it */
			if (help_indent < 0 && ind > 0)
				help_indent = ind;
			if (help_indent > 0 && ind >= help_indent) {
				line = next;
				continue;
			}
			in_help = false;
		}
		if (!*t || *t == '#') {
			line = next;
			continue;
		}
		if (keyword(t, "help") || !strcmp(t, "help") || keyword(t, "---help---")) {
			in_help = true;
			help_indent = -1;
			line = next;
			continue;
		}
		strip_comment(t);
		squeeze(t);
		handle_line(ps, t, rel, start);
		line = next;
	}
	if (ps->depth != depth0) {
		fprintf(stderr, "kconfig-verify: %s: unterminated if/menu/choice block\n", rel);
		ps->k->errors++;
		ps->depth = depth0;
	}
	ps->target = T_NONE;
	ps->cur = NULL;
	return 0;
}

static const char *srcarch_of(const char *arch)
{
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "i386"))
		return "x86";
	if (!strcmp(arch, "sparc64") || !strcmp(arch, "sparc32"))
		return "sparc";
	if (!strcmp(arch, "parisc64"))
		return "parisc";
	if (!strcmp(arch, "sh64"))
		return "sh";
	return arch;
}

static int kconfig_load(struct kconfig *k, const char *root, const char *arch)
{
	memset(k, 0, sizeof(*k));
	k->root = root;
	k->arch = arch;
	k->srcarch = srcarch_of(arch);
	map_init(&k->syms);
	struct pstate *ps = xalloc(sizeof(*ps));
	ps->k = k;
	if (parse_kconfig_file(ps, "Kconfig") < 0) {
		fprintf(stderr, "kconfig-verify: cannot read %s/Kconfig: %s\n", root, strerror(errno));
		return -1;
	}
	return 0;
}

static bool ksym_defined(const struct kconfig *k, const char *name)
{
	const struct ksym *s = map_get(&k->syms, name);
	return s && s->defs.n > 0;
}

/* ------------------------------------------------------------- expressions */

struct ev {
	const char *p;
	const struct config *cfg;
	bool err;
};

static int tri_of(const char *v)
{
	if (!v)
		return 0;
	if (!strcmp(v, "y"))
		return 2;
	if (!strcmp(v, "m"))
		return 1;
	return 0;
}

static void ev_ws(struct ev *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

/* The value of an operand as a string: a constant, a symbol's value
 * (absent => "n"), or NULL for an opaque $(macro). */
static const char *ev_operand(struct ev *e, char *buf, size_t bufsz, bool *is_sym)
{
	ev_ws(e);
	*is_sym = false;
	const char *s = e->p;
	if (*s == '"' || *s == '\'') {
		char q = *s;
		size_t n = 0;
		for (s++; *s && *s != q; s++) {
			if (*s == '\\' && s[1])
				s++;
			if (n < bufsz - 1)
				buf[n++] = *s;
		}
		buf[n] = '\0';
		e->p = *s ? s + 1 : s;
		return buf;
	}
	if (s[0] == '$' && s[1] == '(') {
		int depth = 0;
		for (; *s; s++) {
			if (*s == '(')
				depth++;
			else if (*s == ')' && --depth == 0) {
				s++;
				break;
			}
		}
		e->p = s;
		return NULL;
	}
	const char *b = s;
	while (is_sym_char((unsigned char)*s))
		s++;
	if (s == b) {
		e->err = true;
		return "n";
	}
	size_t n = (size_t)(s - b) < bufsz - 1 ? (size_t)(s - b) : bufsz - 1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	e->p = s;
	if (!strcmp(buf, "y") || !strcmp(buf, "m") || !strcmp(buf, "n"))
		return buf;
	if (isdigit((unsigned char)buf[0]) || (buf[0] == '-' && isdigit((unsigned char)buf[1])))
		return buf;
	*is_sym = true;
	const char *v = config_value(e->cfg, buf);
	return v ? v : "n";
}

static int cmp_values(const char *a, const char *b)
{
	char *ea, *eb;
	errno = 0;
	long long x = strtoll(a, &ea, 0), y = strtoll(b, &eb, 0);
	if (*a && *b && !*ea && !*eb && !errno)
		return x < y ? -1 : x > y;
	/* strip quotes of string values */
	size_t la = strlen(a), lb = strlen(b);
	if (la >= 2 && a[0] == '"' && a[la - 1] == '"') {
		a++;
		la -= 2;
	}
	if (lb >= 2 && b[0] == '"' && b[lb - 1] == '"') {
		b++;
		lb -= 2;
	}
	int c = strncmp(a, b, la < lb ? la : lb);
	return c ? c : (la < lb ? -1 : la > lb);
}

static int ev_or(struct ev *e);

static int ev_primary(struct ev *e)
{
	ev_ws(e);
	if (*e->p == '(') {
		e->p++;
		int v = ev_or(e);
		ev_ws(e);
		if (*e->p == ')')
			e->p++;
		else
			e->err = true;
		return v;
	}
	char b1[256], b2[256];
	bool s1, s2;
	const char *a = ev_operand(e, b1, sizeof(b1), &s1);
	ev_ws(e);
	const char *op = NULL;
	if (!strncmp(e->p, "!=", 2) || !strncmp(e->p, "<=", 2) || !strncmp(e->p, ">=", 2))
		op = e->p, e->p += 2;
	else if (*e->p == '=' || *e->p == '<' || *e->p == '>')
		op = e->p, e->p += 1;
	if (!op)
		return a ? tri_of(a) : 2;
	const char *b = ev_operand(e, b2, sizeof(b2), &s2);
	if (!a || !b)
		return 2;
	int c = cmp_values(a, b);
	bool r;
	if (op[0] == '=')
		r = c == 0;
	else if (op[0] == '!')
		r = c != 0;
	else if (op[0] == '<')
		r = op[1] == '=' ? c <= 0 : c < 0;
	else
		r = op[1] == '=' ? c >= 0 : c > 0;
	return r ? 2 : 0;
}

static int ev_not(struct ev *e)
{
	ev_ws(e);
	if (*e->p == '!' && e->p[1] != '=') {
		e->p++;
		return 2 - ev_not(e);
	}
	return ev_primary(e);
}

static int ev_and(struct ev *e)
{
	int v = ev_not(e);
	for (;;) {
		ev_ws(e);
		if (strncmp(e->p, "&&", 2))
			return v;
		e->p += 2;
		int w = ev_not(e);
		v = w < v ? w : v;
	}
}

static int ev_or(struct ev *e)
{
	int v = ev_and(e);
	for (;;) {
		ev_ws(e);
		if (strncmp(e->p, "||", 2))
			return v;
		e->p += 2;
		int w = ev_and(e);
		v = w > v ? w : v;
	}
}

/* Evaluate expr against cfg: 0 (n), 1 (m), 2 (y); -1 if it cannot be parsed. */
static int expr_eval(const char *expr, const struct config *cfg)
{
	struct ev e = {.p = expr, .cfg = cfg};
	int v = ev_or(&e);
	ev_ws(&e);
	if (e.err || *e.p)
		return -1;
	return v;
}

/* Split expr at top-level "&&" into trimmed conjuncts. */
static void split_and(const char *expr, struct vec *out)
{
	int depth = 0;
	bool q = false;
	const char *start = expr;
	for (const char *p = expr;; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && *p == '(')
			depth++;
		else if (!q && *p == ')')
			depth--;
		if (!*p || (!q && depth == 0 && p[0] == '&' && p[1] == '&')) {
			const char *b = start, *e = p;
			while (b < e && isspace((unsigned char)*b))
				b++;
			while (e > b && isspace((unsigned char)e[-1]))
				e--;
			if (e > b)
				vpush(out, xstrndup(b, (size_t)(e - b)));
			if (!*p)
				break;
			p++;
			start = p + 1;
		}
	}
}

/* "SYM=val SYM2=val" for the symbols an expression mentions. */
static char *annotate(const char *expr, const struct config *cfg)
{
	char out[1024];
	size_t o = 0;
	out[0] = '\0';
	int nseen = 0;
	const char *names[32];
	for (const char *p = expr; *p;) {
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');
			p = e ? e + 1 : p + strlen(p);
			continue;
		}
		if (p[0] == '$' && p[1] == '(') {
			const char *e = strchr(p, ')');
			p = e ? e + 1 : p + strlen(p);
			continue;
		}
		if (!is_sym_char((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *b = p;
		while (is_sym_char((unsigned char)*p))
			p++;
		char *name = xstrndup(b, (size_t)(p - b));
		if (!strcmp(name, "y") || !strcmp(name, "m") || !strcmp(name, "n") ||
		    isdigit((unsigned char)name[0]))
			continue;
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup |= !strcmp(names[i], name);
		if (dup || nseen == 32)
			continue;
		names[nseen++] = name;
		const char *v = config_value(cfg, name);
		int n = snprintf(out + o, sizeof(out) - o, "%s%s=%s", o ? " " : "", name, v ? v : "n");
		if (n < 0 || (size_t)n >= sizeof(out) - o)
			break;
		o += (size_t)n;
	}
	return xstrdup(out);
}

/* --------------------------------------------------------- classification */

/* Symbols whose value is probed from the toolchain by scripts/Kconfig.include
 * and friends: a different compiler changes them, nobody asked for them. */
static bool is_toolchain_symbol(const char *s)
{
	static const char *const exact[] = {
		"CC_VERSION_TEXT", "GCC_VERSION", "CLANG_VERSION", "AS_VERSION", "LD_VERSION",
		"LLD_VERSION", "RUSTC_VERSION", "RUSTC_LLVM_VERSION", "BINDGEN_VERSION_TEXT",
		"PAHOLE_VERSION", "RUST_IS_AVAILABLE", "GCC_PLUGINS", "CC_CAN_LINK",
		"CC_CAN_LINK_STATIC", "LLD", "HAVE_RUST",
	};
	static const char *const prefix[] = {
		"CC_HAS_", "CC_HAVE_", "CC_IS_", "CC_CAN_", "CC_NO_", "AS_IS_", "AS_HAS_",
		"LD_IS_", "LD_HAS_", "LD_CAN_", "LD_VERSION", "TOOLS_SUPPORT_", "RUSTC_",
		"GCC_ASM_", "GCC_NO_", "GCC_SUPPORTS_", "CLANG_", "PAHOLE_HAS_",
		"ARCH_HAS_CC_", "CC_IMPLICIT_",
	};
	static const char *const infix[] = {"_AS_HAS_", "_CC_HAS_", "_CC_SUPPORTS_", "_LD_HAS_",
					    "_TOOLCHAIN_HAS_", "_COMPILER_HAS_"};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(s, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(s, prefix[i], strlen(prefix[i])))
			return true;
	for (size_t i = 0; i < sizeof(infix) / sizeof(infix[0]); i++)
		if (strstr(s, infix[i]))
			return true;
	return false;
}

/* Equal as .config values, "n" == absent. */
static bool same_value(const char *a, const char *b)
{
	if (!a)
		a = "n";
	if (!b)
		b = "n";
	return !strcmp(a, b);
}

/* ------------------------------------------------------------ verification */

struct dep_term {
	const char *expr;
	int value; /* 0, 1 or -1 (unparsed) */
	const char *symbols;
};

struct def_report {
	const struct kdef *def;
	struct vec unmet; /* struct dep_term *: value 0 (or 1 when y was asked) */
	bool prompt_off;  /* prompt condition false */
	int prompt_value;
};

struct frag_item {
	const struct cval *req;
	const char *actual; /* NULL = absent */
	bool ok;
	bool defined;
	const char *reason;
	struct vec defs;      /* struct def_report * */
	struct vec selectors; /* const char *: "SYM=val" active selects/implies */
	bool no_prompt;
};

struct diff_item {
	const char *name, *base, *final;
	bool defined;
	bool lost; /* unknown to the tree and enabled (not n) in the base */
};

struct result {
	struct vec frag;      /* struct frag_item * */
	struct vec missing;   /* struct diff_item * */
	struct vec toolchain; /* struct diff_item * */
	struct vec changed;   /* struct diff_item * */
	int nfail, nbase, noverridden, nlost;
	bool allow_missing;
};

static void explain(struct frag_item *it, const struct kconfig *k, const struct config *fin)
{
	const char *name = it->req->name;
	struct ksym *s = map_get(&k->syms, name);
	int want = tri_of(it->req->value), got = tri_of(it->actual);
	it->defined = s && s->defs.n;
	if (!it->defined) {
		it->reason = xasprintf("not defined in any Kconfig of this tree for ARCH=%s "
				       "(removed, renamed or another tree's symbol)",
				       k->arch);
		return;
	}
	bool any_unmet = false, any_prompt = false;
	for (size_t i = 0; i < s->defs.n; i++) {
		const struct kdef *d = s->defs.v[i];
		struct def_report *dr = xalloc(sizeof(*dr));
		dr->def = d;
		any_prompt |= d->has_prompt;
		for (size_t j = 0; j < d->deps.n; j++) {
			struct vec terms = {0};
			split_and(d->deps.v[j], &terms);
			for (size_t t = 0; t < terms.n; t++) {
				int v = expr_eval(terms.v[t], fin);
				if (v == 0 || (v == 1 && want == 2) || v < 0) {
					struct dep_term *dt = xalloc(sizeof(*dt));
					dt->expr = terms.v[t];
					dt->value = v;
					dt->symbols = annotate(terms.v[t], fin);
					vpush(&dr->unmet, dt);
					if (v == 0 || (v == 1 && want == 2))
						any_unmet = true;
				}
			}
		}
		if (d->prompt_if) {
			dr->prompt_value = expr_eval(d->prompt_if, fin);
			dr->prompt_off = dr->prompt_value == 0;
		}
		vpush(&it->defs, dr);
	}
	/* who selects it (and is on)? */
	for (size_t i = 0; i < s->sels.n; i++) {
		const struct ksel *sel = s->sels.v[i];
		const char *bv = config_value(fin, sel->by);
		int on = tri_of(bv);
		if (sel->cond && on)
			on = expr_eval(sel->cond, fin) != 0 ? on : 0;
		if (on)
			vpush(&it->selectors,
			      xasprintf("%s%s=%s (%s:%d)", sel->imply ? "implied by " : "", sel->by,
					bv, sel->file, sel->line));
	}
	it->no_prompt = !any_prompt;
	if (any_unmet)
		it->reason = "unmet dependency";
	else if (got > want && it->selectors.n)
		it->reason = "forced by select";
	else if (want > got && !any_prompt)
		it->reason = "no prompt: only its default or a select can set it, and neither does";
	else if (want > got)
		it->reason = "prompt condition false, or a choice/default overrode it";
	else if (s->defs.n && ((const struct kdef *)s->defs.v[0])->ranges.n)
		it->reason = "value outside the allowed range, or overridden by a default";
	else
		it->reason = "value not taken (see definitions)";
}

static void verify(struct result *r, const struct kconfig *k, const struct config *base,
		   const struct config *frag, const struct config *fin)
{
	for (size_t i = 0; i < frag->order.n; i++) {
		const struct cval *req = frag->order.v[i];
		struct frag_item *it = xalloc(sizeof(*it));
		it->req = req;
		it->actual = config_value(fin, req->name);
		it->ok = same_value(req->value, it->actual);
		it->defined = ksym_defined(k, req->name);
		if (!it->ok) {
			explain(it, k, fin);
			r->nfail++;
		}
		vpush(&r->frag, it);
	}
	for (size_t i = 0; i < base->order.n; i++) {
		const struct cval *b = base->order.v[i];
		r->nbase++;
		if (config_value(frag, b->name)) {
			r->noverridden++;
			continue;
		}
		const char *f = config_value(fin, b->name);
		struct diff_item *d = xalloc(sizeof(*d));
		d->name = b->name;
		d->base = b->value;
		d->final = f;
		d->defined = ksym_defined(k, b->name);
		if (is_toolchain_symbol(b->name)) {
			if (!same_value(b->value, f))
				vpush(&r->toolchain, d);
		} else if (!d->defined) {
			d->lost = !same_value(b->value, NULL);
			r->nlost += d->lost;
			vpush(&r->missing, d);
		} else if (!same_value(b->value, f)) {
			vpush(&r->changed, d);
		}
	}
	/* toolchain symbols new in the final config (e.g. CC_IS_GCC after clang) */
	for (size_t i = 0; i < fin->order.n; i++) {
		const struct cval *c = fin->order.v[i];
		if (config_value(base, c->name) || config_value(frag, c->name) ||
		    !is_toolchain_symbol(c->name) || same_value(NULL, c->value))
			continue;
		struct diff_item *d = xalloc(sizeof(*d));
		d->name = c->name;
		d->final = c->value;
		d->defined = true;
		vpush(&r->toolchain, d);
	}
}

static const char *shown(const char *v) { return v ? v : "n (absent)"; }

static int exit_code(const struct result *r)
{
	if (r->nfail)
		return KV_FRAGMENT_FAIL;
	if (r->nlost && !r->allow_missing)
		return KV_WRONG_TREE;
	return KV_OK;
}

static void print_diffs(FILE *f, const struct vec *v, const char *tag, long limit, const char *full,
			bool allow)
{
	for (size_t i = 0; i < v->n; i++) {
		if (limit >= 0 && (long)i >= limit) {
			fprintf(f, "  ... %zu more in %s\n", v->n - i, full);
			break;
		}
		const struct diff_item *d = v->v[i];
		const char *t = tag ? tag : d->lost && !allow ? "error" : "warning";
		fprintf(f, "  %s CONFIG_%s: %s -> %s\n", t, d->name, d->base ? d->base : "(unset)",
			shown(d->final));
	}
}

static void write_human(FILE *f, const struct result *r, long limit, const char *full)
{
	int rc = exit_code(r);
	fprintf(f, "kconfig-verify: %s\n",
		rc == KV_OK ? (r->nlost ? "PASS (unknown base symbols allowed)" : "PASS")
			    : rc == KV_FRAGMENT_FAIL ? "FAIL: fragment options dropped"
						     : "FAIL: wrong tree (base symbols unknown)");
	fprintf(f, "fragment: %zu requested, %zu ok, %d failed\n", r->frag.n,
		r->frag.n - (size_t)r->nfail, r->nfail);
	for (size_t i = 0; i < r->frag.n; i++) {
		const struct frag_item *it = r->frag.v[i];
		if (it->ok)
			continue;
		fprintf(f, "  FAIL CONFIG_%s: requested %s, actual %s: %s\n", it->req->name,
			it->req->value, shown(it->actual), it->reason);
		for (size_t j = 0; j < it->defs.n; j++) {
			const struct def_report *dr = it->defs.v[j];
			const struct kdef *d = dr->def;
			fprintf(f, "       %s:%d: config %s (%s%s)\n", d->file, d->line, d->sym,
				d->type ? d->type : "untyped", d->has_prompt ? ", prompt" : ", no prompt");
			for (size_t t = 0; t < d->deps.n; t++)
				fprintf(f, "         depends on %s\n", (const char *)d->deps.v[t]);
			for (size_t t = 0; t < dr->unmet.n; t++) {
				const struct dep_term *dt = dr->unmet.v[t];
				fprintf(f, "         %s: %s  [%s]\n",
					dt->value < 0 ? "not evaluated" : dt->value == 1 ? "limits to m" : "unmet",
					dt->expr, dt->symbols);
			}
			if (dr->prompt_off)
				fprintf(f, "         prompt hidden: if %s\n", d->prompt_if);
			for (size_t t = 0; t < d->ranges.n; t++)
				fprintf(f, "         range %s\n", (const char *)d->ranges.v[t]);
			if (!d->has_prompt)
				for (size_t t = 0; t < d->defaults.n; t++)
					fprintf(f, "         %s\n", (const char *)d->defaults.v[t]);
		}
		for (size_t j = 0; j < it->selectors.n; j++)
			fprintf(f, "         selected by %s\n", (const char *)it->selectors.v[j]);
	}
	fprintf(f, "base: %d symbols, %d overridden by the fragment\n", r->nbase, r->noverridden);
	if (r->missing.n) {
		bool err = r->nlost && !r->allow_missing;
		fprintf(f, "%s: %zu base symbols unknown to this tree, %d of them enabled in the base%s\n",
			err ? "ERROR" : "WARNING", r->missing.n, r->nlost,
			err ? ": wrong kernel tree? (ALLOW_MISSING=1 accepts it)"
			    : r->nlost ? " (accepted: ALLOW_MISSING=1)" : " (all disabled: nothing lost)");
		print_diffs(f, &r->missing, NULL, limit, full, r->allow_missing);
	}
	fprintf(f, "toolchain-derived: %zu differ (not failures)\n", r->toolchain.n);
	print_diffs(f, &r->toolchain, "toolchain", limit, full, false);
	fprintf(f, "changed by olddefconfig: %zu (info)\n", r->changed.n);
	print_diffs(f, &r->changed, "info", limit, full, false);
}

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

static json_object *jdiffs(const struct vec *v)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < v->n; i++) {
		const struct diff_item *d = v->v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "symbol", jstr(d->name));
		json_object_object_add(o, "base", jstr(d->base));
		json_object_object_add(o, "final", jstr(d->final));
		json_object_object_add(o, "defined", json_object_new_boolean(d->defined));
		if (!d->defined)
			json_object_object_add(o, "lost", json_object_new_boolean(d->lost));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *write_json(const struct result *r, const struct kconfig *k, const char *base,
			       const struct vec *frags, const char *final)
{
	json_object *root = json_object_new_object();
	int rc = exit_code(r);
	json_object_object_add(root, "tool", jstr("kconfig-verify"));
	json_object_object_add(root, "format", json_object_new_int(1));
	json_object_object_add(root, "result", jstr(rc == KV_OK ? "pass" : "fail"));
	json_object_object_add(root, "exit_code", json_object_new_int(rc));
	json_object_object_add(root, "ksrc", jstr(k->root));
	json_object_object_add(root, "arch", jstr(k->arch));
	json_object_object_add(root, "srcarch", jstr(k->srcarch));
	json_object_object_add(root, "kconfig_files", json_object_new_int(k->nfiles));
	json_object_object_add(root, "kconfig_symbols", json_object_new_int(k->nconfigs));
	json_object_object_add(root, "base", jstr(base));
	json_object *fa = json_object_new_array();
	for (size_t i = 0; i < frags->n; i++)
		json_object_array_add(fa, jstr(frags->v[i]));
	json_object_object_add(root, "fragments", fa);
	json_object_object_add(root, "config", jstr(final));
	json_object_object_add(root, "allow_missing", json_object_new_boolean(r->allow_missing));

	json_object *items = json_object_new_array();
	for (size_t i = 0; i < r->frag.n; i++) {
		const struct frag_item *it = r->frag.v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "symbol", jstr(it->req->name));
		json_object_object_add(o, "requested", jstr(it->req->value));
		json_object_object_add(o, "actual", jstr(it->actual));
		json_object_object_add(o, "ok", json_object_new_boolean(it->ok));
		json_object_object_add(o, "defined", json_object_new_boolean(it->defined));
		if (!it->ok) {
			json_object_object_add(o, "reason", jstr(it->reason));
			json_object *defs = json_object_new_array();
			for (size_t j = 0; j < it->defs.n; j++) {
				const struct def_report *dr = it->defs.v[j];
				json_object *dj = json_object_new_object();
				json_object_object_add(dj, "file", jstr(dr->def->file));
				json_object_object_add(dj, "line", json_object_new_int(dr->def->line));
				json_object_object_add(dj, "type", jstr(dr->def->type));
				json_object_object_add(dj, "prompt", json_object_new_boolean(dr->def->has_prompt));
				json_object *deps = json_object_new_array();
				for (size_t t = 0; t < dr->def->deps.n; t++)
					json_object_array_add(deps, jstr(dr->def->deps.v[t]));
				json_object_object_add(dj, "depends_on", deps);
				json_object *un = json_object_new_array();
				for (size_t t = 0; t < dr->unmet.n; t++) {
					const struct dep_term *dt = dr->unmet.v[t];
					json_object *u = json_object_new_object();
					json_object_object_add(u, "expr", jstr(dt->expr));
					json_object_object_add(u, "value",
							       dt->value < 0 ? NULL
									     : jstr(dt->value == 1 ? "m" : "n"));
					json_object_object_add(u, "symbols", jstr(dt->symbols));
					json_object_array_add(un, u);
				}
				json_object_object_add(dj, "unmet", un);
				if (dr->def->prompt_if)
					json_object_object_add(dj, "prompt_if", jstr(dr->def->prompt_if));
				json_object *dd = json_object_new_array();
				for (size_t t = 0; t < dr->def->defaults.n; t++)
					json_object_array_add(dd, jstr(dr->def->defaults.v[t]));
				json_object_object_add(dj, "defaults", dd);
				json_object_array_add(defs, dj);
			}
			json_object_object_add(o, "definitions", defs);
			json_object *sel = json_object_new_array();
			for (size_t j = 0; j < it->selectors.n; j++)
				json_object_array_add(sel, jstr(it->selectors.v[j]));
			json_object_object_add(o, "selected_by", sel);
		}
		json_object_array_add(items, o);
	}
	json_object_object_add(root, "fragment", items);
	json_object *counts = json_object_new_object();
	json_object_object_add(counts, "requested", json_object_new_int((int)r->frag.n));
	json_object_object_add(counts, "failed", json_object_new_int(r->nfail));
	json_object_object_add(counts, "base", json_object_new_int(r->nbase));
	json_object_object_add(counts, "overridden", json_object_new_int(r->noverridden));
	json_object_object_add(counts, "missing", json_object_new_int((int)r->missing.n));
	json_object_object_add(counts, "missing_enabled", json_object_new_int(r->nlost));
	json_object_object_add(counts, "toolchain", json_object_new_int((int)r->toolchain.n));
	json_object_object_add(counts, "changed", json_object_new_int((int)r->changed.n));
	json_object_object_add(root, "counts", counts);
	json_object_object_add(root, "missing", jdiffs(&r->missing));
	json_object_object_add(root, "toolchain", jdiffs(&r->toolchain));
	json_object_object_add(root, "changed", jdiffs(&r->changed));
	return root;
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kconfig-verify --ksrc DIR --base FILE --fragment FILE [--fragment FILE...]\n"
		"                      --config FILE [--arch ARCH] [--allow-missing]\n"
		"                      [--report FILE] [--json FILE|-] [--limit N] [--quiet]\n"
		"\n"
		"Verify a kernel .config produced by merge_config.sh -m + make olddefconfig.\n"
		"\n"
		"  --ksrc DIR        kernel source tree whose Kconfig files are read\n"
		"  --arch ARCH       kernel ARCH (default arm64); selects arch/$(SRCARCH)/Kconfig\n"
		"  --base FILE       the distro config the fragment was merged into\n"
		"  --fragment FILE   a fragment (repeatable; later ones override earlier ones,\n"
		"                    as in merge_config.sh)\n"
		"  --config FILE     the final .config after olddefconfig\n"
		"  --allow-missing   base symbols unknown to the tree are warnings, not errors\n"
		"  --report FILE     write the full human report to FILE\n"
		"  --json FILE       write the JSON report to FILE ('-' = stdout, no human output)\n"
		"  --limit N         list at most N entries per info list on stdout (default: all,\n"
		"                    or 20 when --report is given)\n"
		"  --quiet           print nothing on stdout (reports and exit code only)\n"
		"  -h, --help        this help\n"
		"\n"
		"Exit codes: 0 verified; 1 runtime failure; 2 bad usage or unreadable input;\n"
		"4 a fragment symbol did not get its requested value;\n"
		"5 base symbols enabled in the base but unknown to the tree (wrong tree),\n"
		"  and no --allow-missing (unknown disabled symbols are only warnings).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"ksrc", required_argument, NULL, 'k'},	  {"arch", required_argument, NULL, 'a'},
		{"base", required_argument, NULL, 'b'},	  {"fragment", required_argument, NULL, 'f'},
		{"config", required_argument, NULL, 'c'}, {"allow-missing", no_argument, NULL, 'M'},
		{"report", required_argument, NULL, 'r'}, {"json", required_argument, NULL, 'j'},
		{"limit", required_argument, NULL, 'l'},  {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},	  {0, 0, 0, 0},
	};
	const char *ksrc = NULL, *arch = "arm64", *base = NULL, *final = NULL, *report = NULL,
		   *json = NULL;
	struct vec frags = {0};
	bool allow_missing = false, quiet = false;
	long limit = -2;
	int c, rc = KV_USAGE;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': ksrc = optarg; break;
		case 'a': arch = optarg; break;
		case 'b': base = optarg; break;
		case 'f': vpush(&frags, optarg); break;
		case 'c': final = optarg; break;
		case 'M': allow_missing = true; break;
		case 'r': report = optarg; break;
		case 'j': json = optarg; break;
		case 'q': quiet = true; break;
		case 'l': {
			char *e;
			limit = strtol(optarg, &e, 10);
			if (*e || limit < 0) {
				fprintf(stderr, "kconfig-verify: bad --limit %s\n", optarg);
				goto out;
			}
			break;
		}
		case 'h': usage(stdout); rc = KV_OK; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind < argc || !ksrc || !base || !frags.n || !final) {
		fprintf(stderr, "kconfig-verify: --ksrc, --base, --fragment and --config are required\n");
		usage(stderr);
		goto out;
	}
	if (limit == -2)
		limit = report ? 20 : -1;

	struct config cbase, cfrag, cfin;
	if (config_load(&cbase, base, false) || config_load(&cfin, final, false))
		goto out;
	for (size_t i = 0; i < frags.n; i++)
		if (config_load(&cfrag, frags.v[i], i > 0))
			goto out;
	if (!cfrag.order.n) {
		fprintf(stderr, "kconfig-verify: no CONFIG_ lines in the fragment(s)\n");
		goto out;
	}
	struct kconfig k;
	if (kconfig_load(&k, ksrc, arch))
		goto out;
	if (k.errors || k.nconfigs == 0) {
		fprintf(stderr, "kconfig-verify: %d error(s) reading the Kconfig files of %s (%d symbols)\n",
			k.errors, ksrc, k.nconfigs);
		goto out;
	}
	struct result r = {.allow_missing = allow_missing};
	verify(&r, &k, &cbase, &cfrag, &cfin);
	rc = exit_code(&r);

	if (report) {
		FILE *f = fopen(report, "w");
		if (!f) {
			fprintf(stderr, "kconfig-verify: cannot write %s: %s\n", report, strerror(errno));
			rc = KV_FAILURE;
			goto out;
		}
		write_human(f, &r, -1, report);
		if (fclose(f)) {
			fprintf(stderr, "kconfig-verify: writing %s: %s\n", report, strerror(errno));
			rc = KV_FAILURE;
			goto out;
		}
	}
	bool json_stdout = json && !strcmp(json, "-");
	if (!quiet && !json_stdout)
		write_human(stdout, &r, limit, report ? report : "the report");
	if (json) {
		json_object *j = write_json(&r, &k, base, &frags, final);
		int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE;
		int bad;
		if (json_stdout)
			bad = puts(json_object_to_json_string_ext(j, flags)) < 0;
		else
			bad = json_object_to_file_ext(json, j, flags) < 0;
		json_object_put(j);
		if (bad) {
			fprintf(stderr, "kconfig-verify: cannot write JSON to %s\n", json);
			rc = KV_FAILURE;
		}
	}
	if (fflush(stdout)) {
		fprintf(stderr, "kconfig-verify: writing stdout: %s\n", strerror(errno));
		rc = KV_FAILURE;
	}
out:
	arena_free();
	return rc;
}
