/* SPDX-License-Identifier: MIT */
/*
 * patterns.c - named line patterns (patterns.h): the built-in one and user
 * files.
 *
 * File format (one or more sections; '#' starts a comment line; blank lines
 * are ignored; "key = value" with the value taken verbatim up to the end of
 * the line, leading/trailing blanks removed):
 *
 *   [NAME]                    name: letters, digits, '_', '-', '.'
 *   match = REGEX             required: POSIX extended regex (regcomp)
 *   followup = REGEX          optional: the line expected after a match
 *   window = 2s               optional: how long after (s, ms, us; bare
 *                             number = seconds); default 2s
 *   ratelimit = FUNC          optional, repeatable: "FUNC: N callbacks
 *                             suppressed" adds N to this pattern
 *
 * Errors are reported as "FILE:LINE: why" and reject the whole file.
 *
 * A regex is only run on lines that contain its longest plain literal (when
 * it has one outside groups, brackets and alternations), so user patterns
 * cost a memmem per line, not a regexec per line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns_int.h"
#include "splat/patterns.h"

static void matcher_free(struct splat_matcher *m)
{
	if (!m->set)
		return;
	if (m->is_regex)
		regfree(&m->re);
	free(m->literal);
	free(m->source);
	memset(m, 0, sizeof(*m));
}

bool splat_matcher_match(const struct splat_matcher *m, const char *s, size_t n)
{
	if (!m->set)
		return false;
	if (m->literal_len && !splat_lit_find(&m->lit, s, n))
		return false;
	if (!m->is_regex)
		return true;
	regmatch_t pm[1];
	pm[0].rm_so = 0;
	pm[0].rm_eo = (regoff_t)n;
	return regexec(&m->re, s, 1, pm, REG_STARTEND) == 0;
}

/* The ']' that closes the bracket expression opening at p ("[...]"), or
 * NULL when none does.  A ']' first (after '^') is a member, and so are
 * "[:alpha:]", "[.x.]" and "[=e=]" inside it. */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p && *p != ']'; p++)
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			p = strchr(p + 2, ']');
			if (!p)
				return NULL;
		}
	return *p ? p : NULL;
}

/* Does re have an alternation outside every group ("a|b"), or an escaped
 * bar anywhere (its meaning varies between regex dialects)?  A malformed
 * bracket counts as one too (give up). */
static bool top_level_alternation(const char *re)
{
	int depth = 0;

	for (const char *p = re; *p; p++) {
		if (*p == '\\' && p[1]) {
			if (*++p == '|')
				return true;
		} else if (*p == '[') {
			p = bracket_end(p);
			if (!p)
				return true;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == '|' && depth <= 0) {
			return true;
		}
	}
	return false;
}

/* Longest run of plain characters that every match must contain, or NULL.
 * Conservative: gives up on alternation outside groups; skips groups (an
 * alternation inside one cannot drop what is outside it) and brackets. */
static char *regex_literal(const char *re)
{
	char best[256] = "", cur[256] = "";
	size_t bl = 0, cl = 0;
	int depth = 0;

	if (top_level_alternation(re))
		return NULL;
	for (const char *p = re; *p; p++) {
		char c = *p;
		bool lit = false;
		if (depth > 0) {
			if (c == '\\' && p[1]) {
				p++;
			} else if (c == '[') {
				/* a ')' in a bracket closes nothing */
				p = bracket_end(p);
				if (!p)
					return NULL;
			} else if (c == '(') {
				depth++;
			} else if (c == ')') {
				depth--;
			}
			continue;
		}
		if (c == '\\' && p[1]) {
			if (ispunct((unsigned char)p[1])) {
				c = p[1];
				p++;
				lit = true;
			} else {
				p++;
			}
		} else if (c == '[') {
			p = bracket_end(p);
			if (!p)
				break;
		} else if (c == '(') {
			depth++;
		} else if (!strchr(".[]()*+?{}|^$", c)) {
			lit = true;
		}
		if (lit) {
			/* a quantifier after it makes this char optional */
			char nx = p[1];
			if (nx == '*' || nx == '?' || nx == '{') {
				lit = false;
			} else if (cl + 1 < sizeof(cur)) {
				cur[cl++] = c;
				cur[cl] = '\0';
				if (nx == '+')
					lit = false; /* keep c, end run */
				else
					continue;
			}
		}
		if (cl > bl) {
			memcpy(best, cur, cl + 1);
			bl = cl;
		}
		cl = 0;
		cur[0] = '\0';
	}
	if (cl > bl) {
		memcpy(best, cur, cl + 1);
		bl = cl;
	}
	return bl >= 3 ? strdup(best) : NULL;
}

static int pattern_add(struct splat_patterns *p, struct splat_pattern *src)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct splat_pattern *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = *src;
	return 0;
}

static int literal_matcher(struct splat_matcher *m, const char *lit)
{
	m->set = true;
	m->is_regex = false;
	m->literal = strdup(lit);
	m->source = strdup(lit);
	m->literal_len = strlen(lit);
	if (m->literal)
		splat_lit_init(&m->lit, m->literal, m->literal_len);
	return m->literal && m->source ? 0 : -1;
}

struct splat_patterns *splat_patterns_new(void)
{
	struct splat_patterns *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	/* SPLAT_PATTERN_BUILTIN: the BES2600 firmware rejecting the
	 * per-band 5 GHz scan (besser issue #1): the confirm failure, then
	 * the scan failure. */
	struct splat_pattern a;
	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "%s", SPLAT_PATTERN_BUILTIN);
	a.builtin = true;
	a.window_usec = SPLAT_PAT_DEFAULT_WINDOW_USEC;
	a.window_lines = SPLAT_PAT_DEFAULT_WINDOW_LINES;
	snprintf(a.file, sizeof(a.file), "(built-in)");
	if (literal_matcher(&a.first,
			    "wsm_generic_confirm failed for request 0x0007.") ||
	    literal_matcher(&a.followup, "[SCAN] Scan failed (-22).") ||
	    pattern_add(p, &a)) {
		matcher_free(&a.first);
		matcher_free(&a.followup);
		free(p->v);
		free(p);
		return NULL;
	}
	return p;
}

void splat_patterns_free(struct splat_patterns *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		matcher_free(&p->v[i].first);
		matcher_free(&p->v[i].followup);
	}
	free(p->v);
	free(p);
}

/* What glibc's regcomp() builds from an ERE grows with its repetitions: it
 * copies the subtree a repetition applies to ("x{m,n}": n copies, "x+":
 * two), so "(a{99}){99}" or "a+++++..." take memory and time exponential in
 * the pattern's length (a 60-byte pattern file took a gigabyte, found by
 * fuzz_patterns).  regex_size() estimates the tree: an atom is 1, a group
 * the sum of what it holds, a repetition multiplies the atom or group
 * before it; patterns over REGEX_SIZE_MAX are refused. */
#define REGEX_SIZE_MAX	4096
#define REGEX_DEPTH_MAX 64

static size_t sat_mul(size_t a, size_t b)
{
	return b && a > (REGEX_SIZE_MAX + 1) / b ? REGEX_SIZE_MAX + 1 : a * b;
}

/* The copies "{m}", "{m,}", "{m,n}" at p make (0 if not an interval);
 * *end is its '}'. */
static size_t interval_copies(const char *p, const char **end)
{
	char *e;
	unsigned long m = strtoul(p + 1, &e, 10), n = m + 1;

	if (e == p + 1 || !isdigit((unsigned char)p[1]))
		return 0;
	if (*e == ',') {
		if (isdigit((unsigned char)e[1]))
			n = strtoul(e + 1, &e, 10);
		else
			e++;
	} else {
		n = m;
	}
	if (*e != '}')
		return 0;
	*end = e;
	n = n > m ? n : m;
	return n > REGEX_SIZE_MAX ? REGEX_SIZE_MAX + 1 : (n ? n : 1);
}

static size_t regex_size(const char *re)
{
	size_t sum[REGEX_DEPTH_MAX + 1] = {0}, last = 0, f;
	unsigned d = 0;

	for (const char *p = re; *p; p++) {
		const char *e = p;

		if (*p == '(' && d < REGEX_DEPTH_MAX) {
			sum[++d] = 0;
			last = 0;
			continue;
		}
		if (*p == ')' && d > 0) {
			last = sum[d--];
			sum[d] = sat_mul(1, sum[d] + last);
			continue;
		}
		f = *p == '+' ? 2 : *p == '{' ? interval_copies(p, &e) : 0;
		if (*p == '*' || *p == '?' || f) {
			/* the atom before counted once: now f times */
			sum[d] = sat_mul(1,
					 sum[d] + sat_mul(last, f ? f - 1 : 0));
			last = sat_mul(last, f ? f : 1);
			p = e;
			continue;
		}
		if (*p == '[' && (e = bracket_end(p)))
			p = e;
		else if (*p == '\\' && p[1])
			p++;
		last = 1;
		sum[d] = sat_mul(1, sum[d] + 1);
	}
	while (d > 0) { /* unclosed: regcomp() refuses it anyway */
		d--;
		sum[d] = sat_mul(1, sum[d] + sum[d + 1]);
	}
	return sum[0];
}

static int regex_matcher(struct splat_matcher *m, const char *re, char *why,
			 size_t whylen)
{
	memset(m, 0, sizeof(*m));
	if (regex_size(re) > REGEX_SIZE_MAX) {
		snprintf(why, whylen,
			 "regex '%s' too large once compiled (its repetitions "
			 "multiply it past %d atoms)",
			 re, REGEX_SIZE_MAX);
		return -1;
	}
	int rc = regcomp(&m->re, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char buf[200];
		regerror(rc, &m->re, buf, sizeof(buf));
		snprintf(why, whylen, "bad regex '%s': %s", re, buf);
		return -1;
	}
	m->set = true;
	m->is_regex = true;
	m->source = strdup(re);
	m->literal = regex_literal(re);
	m->literal_len = m->literal ? strlen(m->literal) : 0;
	if (m->literal)
		splat_lit_init(&m->lit, m->literal, m->literal_len);
	if (!m->source) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* "2s", "500ms", "250us", "1.5" (seconds) -> usec; -1 when invalid. */
static int64_t parse_window(const char *v)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (end == v || errno || x < 0 || x > 86400.0 * 365)
		return -1;
	while (*end == ' ')
		end++;
	double mul = 1e6;
	if (!strcmp(end, "ms"))
		mul = 1e3;
	else if (!strcmp(end, "us"))
		mul = 1;
	else if (!strcmp(end, "s") || !*end)
		mul = 1e6;
	else if (!strcmp(end, "min"))
		mul = 60e6;
	else
		return -1;
	return (int64_t)(x * mul + 0.5);
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) >= SPLAT_PAT_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

static char *strip(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

int splat_patterns_load(struct splat_patterns *p, const char *path, char *err,
			size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t first_new = p->n;
	struct splat_pattern cur;
	bool in = false;
	char *buf = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	char why[400] = "";
	unsigned why_line = 0;

	for (;;) {
		ssize_t got = getline(&buf, &cap, f);
		if (got < 0)
			break;
		lineno++;
		if (memchr(buf, '\0', (size_t)got)) {
			snprintf(why, sizeof(why), "NUL byte in line");
			why_line = lineno;
			break;
		}
		char *s = strip(buf);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			if (!e || e[1]) {
				snprintf(why, sizeof(why),
					 "section header must be [NAME]");
				why_line = lineno;
				break;
			}
			if (in) {
				if (!cur.first.set) {
					snprintf(
						why, sizeof(why),
						"pattern '%s' has no 'match ='",
						cur.name);
					why_line = cur.line;
					break;
				}
				if (pattern_add(p, &cur)) {
					snprintf(why, sizeof(why),
						 "out of memory");
					why_line = lineno;
					break;
				}
				in = false;
			}
			*e = '\0';
			char *name = strip(s + 1);
			if (!valid_name(name)) {
				snprintf(
					why, sizeof(why),
					"bad pattern name '%s' (letters, digits, _ - . only)",
					name);
				why_line = lineno;
				break;
			}
			for (size_t i = 0; i < p->n; i++)
				if (!strcmp(p->v[i].name, name)) {
					snprintf(
						why, sizeof(why),
						"pattern '%s' already defined (%s:%u)",
						name, p->v[i].file,
						p->v[i].line);
					why_line = lineno;
				}
			if (why[0])
				break;
			memset(&cur, 0, sizeof(cur));
			snprintf(cur.name, sizeof(cur.name), "%s", name);
			snprintf(cur.file, sizeof(cur.file), "%s", path);
			cur.line = lineno;
			cur.window_usec = SPLAT_PAT_DEFAULT_WINDOW_USEC;
			cur.window_lines = SPLAT_PAT_DEFAULT_WINDOW_LINES;
			in = true;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(why, sizeof(why),
				 "expected '[NAME]' or 'key = value'");
			why_line = lineno;
			break;
		}
		*eq = '\0';
		char *key = strip(s);
		char *val = strip(eq + 1);
		if (!in) {
			snprintf(why, sizeof(why),
				 "'%s' outside a [NAME] section", key);
			why_line = lineno;
			break;
		}
		if (!*val) {
			snprintf(why, sizeof(why), "empty value for '%s'", key);
			why_line = lineno;
			break;
		}
		if (!strcmp(key, "match") || !strcmp(key, "followup")) {
			struct splat_matcher *m = !strcmp(key, "match")
							  ? &cur.first
							  : &cur.followup;
			if (m->set) {
				snprintf(why, sizeof(why), "'%s' given twice",
					 key);
				why_line = lineno;
				break;
			}
			if (regex_matcher(m, val, why, sizeof(why))) {
				why_line = lineno;
				break;
			}
		} else if (!strcmp(key, "window")) {
			int64_t w = parse_window(val);
			if (w < 0) {
				snprintf(why, sizeof(why),
					 "bad window '%s' (e.g. 2s, 500ms)",
					 val);
				why_line = lineno;
				break;
			}
			cur.window_usec = w;
		} else if (!strcmp(key, "ratelimit")) {
			if (cur.nratelimit >= SPLAT_PAT_RL_MAX ||
			    strlen(val) >= SPLAT_PAT_NAME_MAX) {
				snprintf(
					why, sizeof(why),
					"too many or too long ratelimit names");
				why_line = lineno;
				break;
			}
			snprintf(cur.ratelimit[cur.nratelimit++],
				 SPLAT_PAT_NAME_MAX, "%s", val);
		} else {
			snprintf(
				why, sizeof(why),
				"unknown key '%s' (match, followup, window, ratelimit)",
				key);
			why_line = lineno;
			break;
		}
	}
	bool ioerr = ferror(f);
	free(buf);
	fclose(f);
	if (!why[0] && ioerr) {
		snprintf(why, sizeof(why), "read error");
		why_line = lineno;
	}
	if (!why[0] && in) {
		if (!cur.first.set) {
			snprintf(why, sizeof(why),
				 "pattern '%s' has no 'match ='", cur.name);
			why_line = cur.line;
		} else if (pattern_add(p, &cur)) {
			snprintf(why, sizeof(why), "out of memory");
			why_line = lineno;
		} else {
			in = false;
		}
	}
	if (!why[0] && p->n == first_new) {
		snprintf(why, sizeof(why), "no [NAME] pattern in file");
		why_line = lineno ? lineno : 1;
	}
	if (why[0]) {
		if (in) {
			matcher_free(&cur.first);
			matcher_free(&cur.followup);
		}
		/* reject the whole file */
		while (p->n > first_new) {
			p->n--;
			matcher_free(&p->v[p->n].first);
			matcher_free(&p->v[p->n].followup);
		}
		snprintf(err, errlen, "%s:%u: %s", path, why_line, why);
		return -1;
	}
	return 0;
}

size_t splat_patterns_count(const struct splat_patterns *p)
{
	return p ? p->n : 0;
}

const char *splat_patterns_name(const struct splat_patterns *p, size_t i)
{
	return p && i < p->n ? p->v[i].name : NULL;
}
