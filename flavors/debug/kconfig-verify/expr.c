/* SPDX-License-Identifier: MIT */
/* expr.c - the expression evaluator (see expr.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

struct ev {
	const char *p;
	const struct config *cfg;
	bool err;
};

int tri_of(const char *v)
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
static const char *ev_operand(struct ev *e, char *buf, size_t bufsz,
			      bool *is_sym)
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
	if (isdigit((unsigned char)buf[0]) ||
	    (buf[0] == '-' && isdigit((unsigned char)buf[1])))
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
	if (!strncmp(e->p, "!=", 2) || !strncmp(e->p, "<=", 2) ||
	    !strncmp(e->p, ">=", 2))
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
int expr_eval(const char *expr, const struct config *cfg)
{
	struct ev e = {.p = expr, .cfg = cfg};
	int v = ev_or(&e);
	ev_ws(&e);
	if (e.err || *e.p)
		return -1;
	return v;
}

/* Split expr at top-level "&&" into trimmed conjuncts. */
void split_and(const char *expr, struct vec *out)
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
char *annotate(const char *expr, const struct config *cfg)
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
		if (!strcmp(name, "y") || !strcmp(name, "m") ||
		    !strcmp(name, "n") || isdigit((unsigned char)name[0]))
			continue;
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup |= !strcmp(names[i], name);
		if (dup || nseen == 32)
			continue;
		names[nseen++] = name;
		const char *v = config_value(cfg, name);
		int n = snprintf(out + o, sizeof(out) - o, "%s%s=%s",
				 o ? " " : "", name, v ? v : "n");
		if (n < 0 || (size_t)n >= sizeof(out) - o)
			break;
		o += (size_t)n;
	}
	return xstrdup(out);
}
