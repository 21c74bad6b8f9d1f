/* SPDX-License-Identifier: MIT */
/*
 * compare.h - before/after verdicts over run bundles (the units and
 * predictions they are stated in: units.h).
 *
 * splat_compare() builds one JSON document (schema besser-verify/compare/1,
 * the `splat compare --json` output); splat_compare_markdown() renders it.
 * Every number comes from stats.h.
 *
 * Row verdicts, at confidence c (alpha = 1 - c), with k1 events in t1 before
 * and k2 in t2 after, p = splat_rate_drop_pvalue(k1, t1, k2, t2):
 *   "fixed"        p <= alpha: the after rate is significantly lower
 *                  (with k2 > 0 the note says "reduced, not eliminated");
 *   "not fixed"    p > alpha and k2 > 0 (events after, not significantly
 *                  fewer), or k1 = 0 < k2 (new after);
 *   "inconclusive" p > alpha and k2 = 0: "soak at least X more hours", X =
 *                  splat_rate_drop_exposure_needed(k1, t1, 0, c) - t2.
 * Lockdep rows count time-to-first-report per boot: each boot contributes
 * at most one report (its first) and its lockdep-active exposure.
 * The overall verdict covers the predicted rows when predictions are given,
 * else every row with events before or after: "not fixed" if any is, else
 * "inconclusive" if any is, else "fixed".
 *
 * Each row also carries the always-valid sequential verdict (sequential.h)
 * in row.sequential: "fixed", "not fixed", "continue" (keep soaking) or
 * "inconclusive" (the maximum after-exposure was reached), at the same
 * alpha, safe to recompute as the after run grows.  Lockdep rows follow the
 * after boots' first reports as a path (splat_seq_path: the verdict at the
 * first instant it was decided); pattern rows look once at the totals
 * (splat_seq_look: their event times are not in the summary).  The
 * tolerance is 0 for a row a prediction says drops to 0, else
 * seq_tolerance.  doc.sequential has the overall sequential verdict (the
 * same rule over the same rows, "continue" in place of "inconclusive"
 * while undecided), doc.verdicts_agree, and doc.exit_follows
 * ("fixed-sample", or "sequential" with opts.sequential).
 */
#ifndef SPLAT_COMPARE_H
#define SPLAT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "splat/units.h"

struct json_object;
struct splat_bundle;

struct splat_compare_opts {
	double confidence;	   /* default 0.95 */
	double workload_tolerance; /* relative ops/hour mismatch, default 0.25
				    */
	/* warn when an operation kind a claim depends on (splat_op_claim)
	 * fails in more than this share of its operations; <= 0: the
	 * default SPLAT_MAX_OP_FAILURE (0.20) */
	double max_op_failure;
	const char *const *predict; /* "NAME: BEFORE -> AFTER" */
	size_t n_predict;
	/* sequential verdict: tolerance for rows not predicted to drop to 0
	 * (used when seq_tolerance_set, else 0.5), the maximum after-exposure
	 * in hours (<= 0: none), and whether the verdict that decides (the
	 * exit code) is the sequential one */
	bool seq_tolerance_set;
	double seq_tolerance;
	double seq_max_after_h;
	bool sequential;
};

/* NULL with err set on a bad prediction. */
struct json_object *
splat_compare(struct splat_bundle *const *before, size_t n_before,
	      struct splat_bundle *const *after, size_t n_after,
	      const struct splat_compare_opts *opts, char *err, size_t errlen);

/* compare.md: warnings, verdict, predicted vs observed, details. */
void splat_compare_markdown(FILE *out, const struct json_object *cmp);

#endif
