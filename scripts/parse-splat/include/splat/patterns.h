/* SPDX-License-Identifier: MIT */
/*
 * patterns.h - named line patterns: the built-in one and user files.
 *
 * A pattern is a line (literal or regex) with an optional follow-up line
 * expected within a window, and optional "callbacks suppressed" functions
 * that count towards it.  The analyzer (analyzer.h) matches them and emits
 * pattern / pattern-pair / suppressed events named after the pattern.  The
 * file format is documented in src/patterns.c and the README.
 */
#ifndef SPLAT_PATTERNS_H
#define SPLAT_PATTERNS_H

#include <stddef.h>

/* The name of the built-in pattern: the BES2600 firmware rejecting the
 * per-band 5 GHz scan (confirm failure, then scan failure).  Always loaded
 * first; a summary reports it even when it never matched. */
#define SPLAT_PATTERN_BUILTIN "pattern-a"

struct splat_patterns;

/* Built-in patterns only (SPLAT_PATTERN_BUILTIN).  NULL when out of memory. */
struct splat_patterns *splat_patterns_new(void);
/* Add user patterns from a file.  Returns 0, or -1 with a message
 * "FILE:LINE: why" in err (the whole file is rejected). */
int splat_patterns_load(struct splat_patterns *p, const char *path, char *err,
			size_t errlen);
void splat_patterns_free(struct splat_patterns *p);

/* The patterns loaded (built-in first). */
size_t splat_patterns_count(const struct splat_patterns *p);
const char *splat_patterns_name(const struct splat_patterns *p, size_t i);

#endif
