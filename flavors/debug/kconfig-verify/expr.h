/* SPDX-License-Identifier: MIT */
/*
 * expr.h - Kconfig expressions in tristate logic (n=0 m=1 y=2) against a
 * .config (like scripts/kconfig/expr.c in the kernel): a symbol absent from
 * the .config counts as n; $(macro) terms are not evaluated and count as y.
 */
#ifndef KV_EXPR_H
#define KV_EXPR_H

#include "config.h"
#include "util.h"

/* "y" 2, "m" 1, anything else (and NULL) 0. */
int tri_of(const char *v);
/* Evaluate expr against cfg: 0 (n), 1 (m), 2 (y); -1 if it cannot be parsed. */
int expr_eval(const char *expr, const struct config *cfg);
/* Split expr at top-level "&&" into trimmed conjuncts (char *) appended to out.
 */
void split_and(const char *expr, struct vec *out);
/* "SYM=val SYM2=val" for the symbols an expression mentions. */
char *annotate(const char *expr, const struct config *cfg);

#endif
