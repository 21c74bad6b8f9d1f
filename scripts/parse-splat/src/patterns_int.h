/* SPDX-License-Identifier: MIT */
/*
 * patterns_int.h - named line patterns (built-in pattern-a and user files),
 * internal to the library; the analyzer keeps the per-stream state.
 */
#ifndef SPLAT_PATTERNS_INT_H
#define SPLAT_PATTERNS_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lit.h"

#define SPLAT_PAT_NAME_MAX 64
#define SPLAT_PAT_RL_MAX   8

/* One side of a pattern: a literal (memmem) or a POSIX extended regex with
 * an optional literal prefilter taken from the regex. */
struct splat_matcher {
	bool set;
	bool is_regex;
	char *literal; /* the literal, or the regex's prefilter */
	size_t literal_len;
	struct splat_lit lit; /* its search table */
	char *source;	      /* as written (for docs/attribution) */
	regex_t re;
};

struct splat_pattern {
	char name[SPLAT_PAT_NAME_MAX];
	bool builtin;
	struct splat_matcher first;
	struct splat_matcher followup; /* .set false: no follow-up */
	int64_t window_usec;	       /* follow-up window */
	unsigned window_lines;	       /* the window when there are no times */
	char ratelimit[SPLAT_PAT_RL_MAX][SPLAT_PAT_NAME_MAX];
	unsigned nratelimit;
	char file[256];
	unsigned line;
};

struct splat_patterns {
	struct splat_pattern *v;
	size_t n, cap;
};

bool splat_matcher_match(const struct splat_matcher *m, const char *s,
			 size_t n);

/* The same, the literal test inline (it runs for every line); the regex,
 * when the literal is there, out of line. */
static inline bool splat_matcher_match_fast(const struct splat_matcher *m,
					    const char *s, size_t n)
{
	if (!m->set)
		return false;
	if (m->literal_len && !splat_lit_find(&m->lit, s, n))
		return false;
	return !m->is_regex || splat_matcher_match(m, s, n);
}

#define SPLAT_PAT_DEFAULT_WINDOW_USEC  2000000
#define SPLAT_PAT_DEFAULT_WINDOW_LINES 50

#endif
