/* SPDX-License-Identifier: MIT */
/* kconfig.c - the Kconfig reader (see kconfig.h). */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"

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
		if (!q && (p == s || p[-1] == ' ' || p[-1] == '\t') &&
		    !strncmp(p, "if", 2) && (p[2] == ' ' || p[2] == '\t')) {
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

static void do_source(struct pstate *ps, const char *cur_rel, char *arg,
		      bool optional, bool relative)
{
	char *e = skip_quoted(arg);
	if (!e) {
		fprintf(stderr, "kconfig-verify: %s: bad source line: %s\n",
			cur_rel, arg);
		ps->k->errors++;
		return;
	}
	char *path =
		expand_path(ps->k, xstrndup(arg + 1, (size_t)(e - arg - 2)));
	if (relative) {
		const char *slash = strrchr(cur_rel, '/');
		if (slash)
			path = xasprintf("%.*s/%s", (int)(slash - cur_rel),
					 cur_rel, path);
	}
	if (strpbrk(path, "*?[")) {
		glob_t g;
		char *pat = xasprintf("%s/%s", ps->k->root, path);
		size_t rootlen = strlen(ps->k->root) + 1;
		if (glob(pat, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				parse_kconfig_file(
					ps, xstrdup(g.gl_pathv[i] + rootlen));
			globfree(&g);
		} else if (!optional) {
			fprintf(stderr,
				"kconfig-verify: %s: no file matches %s\n",
				cur_rel, path);
			ps->k->errors++;
		}
		return;
	}
	int r = parse_kconfig_file(ps, path);
	if (r < 0 && !optional) {
		fprintf(stderr,
			"kconfig-verify: %s: cannot read sourced %s/%s\n",
			cur_rel, ps->k->root, path);
		ps->k->errors++;
	}
}

static void add_select(struct pstate *ps, char *rest, bool imply,
		       const char *rel, int lineno)
{
	if (!ps->cur)
		return;
	char *cond = split_if(rest);
	char *e = rest;
	while (is_sym_char((unsigned char)*e))
		e++;
	if (e == rest)
		return;
	struct ksym *t =
		ksym_get(ps->k, xstrndup(rest, (size_t)(e - rest)), true);
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
	if ((rest = keyword(l, "config")) ||
	    (rest = keyword(l, "menuconfig"))) {
		char *e = rest;
		while (is_sym_char((unsigned char)*e))
			e++;
		struct ksym *s =
			ksym_get(k, xstrndup(rest, (size_t)(e - rest)), true);
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
	if ((rest = keyword(l, "choice")) || (rest = keyword(l, "menu")) ||
	    (rest = keyword(l, "if"))) {
		if (ps->depth ==
		    (int)(sizeof(ps->stack) / sizeof(ps->stack[0]))) {
			fprintf(stderr,
				"kconfig-verify: %s:%d: nesting too deep\n",
				rel, lineno);
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
	if (keyword(l, "endchoice") || keyword(l, "endmenu") ||
	    keyword(l, "endif")) {
		if (ps->depth > 0)
			ps->depth--;
		else {
			fprintf(stderr,
				"kconfig-verify: %s:%d: unbalanced %s\n", rel,
				lineno, l);
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
	if ((rest = keyword(l, "source")) ||
	    (opt = true, rest = keyword(l, "osource")) ||
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
		else if ((ps->target == T_MENU || ps->target == T_CHOICE) &&
			 ps->depth > 0)
			vpush(&ps->stack[ps->depth - 1].deps, xstrdup(on));
		return;
	}
	if (ps->target != T_CONFIG || !ps->cur)
		return;
	struct kdef *d = ps->cur;
	static const char *const types[] = {"bool", "tristate", "int", "hex",
					    "string"};
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
	if ((rest = keyword(l, "def_bool")) ||
	    (rest = keyword(l, "def_tristate"))) {
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
			/* as scripts/kconfig/lexer.l: the first help line sets
			 * the indentation; a line indented less (or not at all)
			 * ends it */
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
		if (keyword(t, "help") || !strcmp(t, "help") ||
		    keyword(t, "---help---")) {
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
		fprintf(stderr,
			"kconfig-verify: %s: unterminated if/menu/choice block\n",
			rel);
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

int kconfig_load(struct kconfig *k, const char *root, const char *arch)
{
	memset(k, 0, sizeof(*k));
	k->root = root;
	k->arch = arch;
	k->srcarch = srcarch_of(arch);
	map_init(&k->syms);
	struct pstate *ps = xalloc(sizeof(*ps));
	ps->k = k;
	if (parse_kconfig_file(ps, "Kconfig") < 0) {
		fprintf(stderr, "kconfig-verify: cannot read %s/Kconfig: %s\n",
			root, strerror(errno));
		return -1;
	}
	return 0;
}

bool ksym_defined(const struct kconfig *k, const char *name)
{
	const struct ksym *s = map_get(&k->syms, name);
	return s && s->defs.n > 0;
}
