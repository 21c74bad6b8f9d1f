/* SPDX-License-Identifier: MIT */
/*
 * guard.h - report header strings at any offset: the check behind "never a
 * silent zero" (src/guard.c says which strings and why).
 */
#ifndef SPLAT_GUARD_H
#define SPLAT_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true: the line holds "WARNING:", "BUG:", "INFO:" or "Oops" somewhere. */
bool splat_guard_line(const char *line, size_t len);

/* The byte pairs (a, then b at distance d) of which every such line holds
 * one: a prefilter (reader.h) that includes them never calls such a line
 * clean. */
struct splat_guard_pair {
	unsigned char a, b, d;
};
#define SPLAT_GUARD_NPAIRS 3
extern const struct splat_guard_pair splat_guard_pairs[SPLAT_GUARD_NPAIRS];

/* Where the unrecognized lines were: the count and the first line numbers
 * (input lines, 1-based), for the warning. */
#define SPLAT_GUARD_FIRST 5
struct splat_unrecognized {
	uint64_t count;
	unsigned nfirst;
	uint64_t first[SPLAT_GUARD_FIRST];
};

#endif
