/* SPDX-License-Identifier: MIT */
/*
 * report.h - `splat report`: report.md and plot.svg for run bundles.
 *
 * report.md (Markdown for a Gitea/GitHub issue), per run: provenance,
 * workload (ops by kind and outcome, the share that succeeded, probes),
 * lockdep reports (kind, locks, first sites, uptime) with the
 * time-to-first-report rate, patterns (count, rate/h with the exact
 * interval, per 1000 scans), lost kmsg records, warnings (a claim's
 * operation kind failing too often among them).
 *
 * plot.svg: one panel per boot of every run: cumulative events over uptime
 * (lockdep reports, lockdep turn-offs, bugs, each pattern), the workload
 * operations beneath (one lane per operation kind, coloured by outcome).
 * Plain SVG 1.1: no scripts, no external references, system fonts.
 */
#ifndef SPLAT_REPORT_H
#define SPLAT_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct splat_bundle;

/* svg_name: the plot file to link from the report (NULL: no link). */
void splat_report_markdown(FILE *out, struct splat_bundle *const *b, size_t n,
			   double confidence, const char *svg_name);
/* The same with the workload warning's threshold: a kind the claim depends
 * on (splat_op_claim) failing in more than max_op_failure (share 0..1;
 * <= 0: SPLAT_MAX_OP_FAILURE) of its operations is a warning at the top of
 * the run's section. */
void splat_report_markdown_ex(FILE *out, struct splat_bundle *const *b,
			      size_t n, double confidence,
			      double max_op_failure, const char *svg_name);
void splat_report_svg(FILE *out, struct splat_bundle *const *b, size_t n);

/* results/index.md: every run bundle (a directory with meta.json) and
 * comparison (a directory with compare.json) under root, two levels deep,
 * sorted by path; runs with label, kernel, duration, lockdep reports,
 * pattern-a and the verdicts of comparisons naming them as after runs.
 * Returns the number of entries listed. */
int splat_results_index(FILE *out, const char *root);

#endif
