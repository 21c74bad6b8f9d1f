/* SPDX-License-Identifier: MIT */
/*
 * summary.h - per-boot counts and lockdep-active exposure of one stream,
 * with rates from stats.h.  Serves `splat scan --summary` and
 * `splat summary RUN_DIR` (which recomputes summary.json from kmsg.raw).
 *
 * Exposure rules (README.md, "Summary and exposure"):
 *  - a boot's observed time runs from its first record to its last;
 *  - its lockdep-active exposure runs from its first record to the first
 *    lockdep report, lockdep-off event or Oops, else to its last record;
 *  - each boot contributes at most one lockdep report (time-to-first-event).
 *
 * summary.json, schema "besser-verify/summary/1" (times in usec of uptime,
 * exposures in hours, intervals at the requested confidence):
 * {
 *   "schema": "besser-verify/summary/1",
 *   "confidence": 0.95,
 *   "input": {"records": N, "lost": N, "bad_lines": N, "boots": N,
 *             "unrecognized_headers": N (only when > 0: lines holding
 *             WARNING:/BUG:/INFO:/Oops that became no event, guard.h)},
 *   "boots": [{"index": 0, "boot_id": "..."|null,
 *              "start_usec": T, "end_usec": T,
 *              "clock": absent (the kernel's uptime) | "none" (no times) |
 *                       "wall-since-boot-start" (wall clock, from the boot's
 *                       first kernel line or journal boot marker) |
 *                       "wall-since-first-line" (wall clock from the boot's
 *                       first line here: its start is unknown, times and
 *                       exposure count from there) | mixtures,
 *              "observed_h": H,
 *              "lockdep_active_h": H,
 *              "lockdep_off": null | {"usec": T, "reason": "report"|
 *                                      "max-too-low"|"non-static-key"|
 *                                      "taint"|"oops"|...},
 *              "first_report": null | {"signature","kind","title","usec"},
 *              "counts": {"lockdep": n, "lockdep-off": n, "bug": n,
 *                         "lost": n, "<pattern>": n, ...}}],
 *   "lockdep": {"boots": n, "boots_with_report": n, "exposure_h": H,
 *               "rate_per_h": r, "ci": [lo, hi], "upper_one_sided": u,
 *               "signatures": [{"signature","kind","title","count",
 *                               "boots": [i...], "first_usec": T}]},
 *   "patterns": [{"name": "pattern-a", "lines": n, "followups": n,
 *                 "pairs": n, "suppressed_added": n, "count": n,
 *                 "exposure_h": H, "rate_per_h": r, "ci": [lo, hi]}],
 *   "bugs": [{"signature", "kind", "title", "count"}],
 *   "lost": n
 * }
 */
#ifndef SPLAT_SUMMARY_H
#define SPLAT_SUMMARY_H

#include "splat/event.h"
#include "splat/record.h"

struct json_object;
struct splat_summary;

struct splat_summary *splat_summary_new(void);
/* Every record, in stream order (for per-boot time spans). */
void splat_summary_add_record(struct splat_summary *s,
			      const struct splat_record *rec);
/* Every event from the analyzer. */
void splat_summary_add_event(struct splat_summary *s,
			     const struct splat_event *ev);
/* Name every pattern up front so that a pattern that never matched still
 * shows with count 0 (pattern-a is always listed). */
struct splat_patterns;
void splat_summary_add_patterns(struct splat_summary *s,
				const struct splat_patterns *p);
/* The "clock" of a boot whose records had clocks (bit 1 << enum
 * splat_clock each), NULL for the kernel's uptime (the key is left out). */
const char *splat_summary_clock_name(unsigned clocks);
/* Malformed input lines the reader skipped (input.bad_lines): set, or
 * add one stream's. */
void splat_summary_set_bad_lines(struct splat_summary *s, uint64_t n);
void splat_summary_add_bad_lines(struct splat_summary *s, uint64_t n);
/* Lines with a report header that became no event (guard.h), added to
 * input.unrecognized_headers (absent while 0). */
void splat_summary_add_unrecognized(struct splat_summary *s, uint64_t n);
/* The document described above (new reference). */
struct json_object *splat_summary_to_json(const struct splat_summary *s,
					  double confidence);
void splat_summary_free(struct splat_summary *s);

#endif
