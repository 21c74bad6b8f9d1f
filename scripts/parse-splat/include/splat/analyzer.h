/* SPDX-License-Identifier: MIT */
/*
 * analyzer.h - turn a stream of records into events.
 *
 * Feed records in order; the analyzer recognises every lockdep report kind
 * (a data table of headers, see lockdep.c), lockdep-off events, non-lockdep
 * WARN/BUG/Oops, named patterns (patterns.h: the built-in one plus user
 * files) and "callbacks suppressed" lines, and calls the sink for each event
 * as soon as it is complete.  Reports are assembled per boot and per caller id,
 * so interleaved CPUs do not mix; a report cut short is emitted corrupted.
 */
#ifndef SPLAT_ANALYZER_H
#define SPLAT_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>

#include "splat/event.h"
/* The analyzer matches the patterns of patterns.h (splat_analyzer_new());
 * code that loads them includes patterns.h itself. */
#include "splat/patterns.h"
#include "splat/record.h"

typedef void (*splat_event_fn)(void *ctx, const struct splat_event *ev);

struct splat_analyzer;

/* patterns may be NULL (no patterns at all); it must outlive the analyzer. */
struct splat_analyzer *splat_analyzer_new(const struct splat_patterns *patterns,
					  splat_event_fn sink, void *ctx);
/* For a sink that reads only the typed fields (e.g. the summary): with
 * on, pattern, pattern-pair and suppressed events carry detail == NULL
 * (their role/owner are in the typed fields), which saves building a JSON
 * object per event.  Default off: every event has its detail. */
void splat_analyzer_set_no_detail(struct splat_analyzer *a, bool on);

/* The byte pairs every line the analyzer must look at closely holds (its
 * pattern literals, the login prompt), for splat_reader_set_prefilter():
 * a record with rec.clean_for == this pointer skips those checks.  NULL
 * when there are too many.  Valid while the analyzer lives. */
struct splat_prefilter;
const struct splat_prefilter *
splat_analyzer_prefilter(struct splat_analyzer *a);
/* Returns 0; -1 only on allocation failure. */
int splat_analyzer_feed(struct splat_analyzer *a,
			const struct splat_record *rec);
/* For a live follower (splat watch) when no record came for a while:
 * now_usec is the current kernel monotonic time (CLOCK_MONOTONIC, the
 * records' time base).  Emits what time alone completes: a report whose
 * stack dump has started and whose context is quiet for 1 s (30 s for one
 * cut short, then corrupted "truncated"), a pattern line whose follow-up
 * window has passed (unpaired).  Without it these wait for the next line. */
void splat_analyzer_tick(struct splat_analyzer *a, int64_t now_usec);
/* End of input: emit what is pending (an unfinished report as corrupted,
 * a pattern line still waiting for its follow-up as unpaired). */
void splat_analyzer_finish(struct splat_analyzer *a);
void splat_analyzer_free(struct splat_analyzer *a);

/* Lines that hold a report header string (guard.h: "WARNING:", "BUG:",
 * "INFO:", "Oops") at any offset but became
 * part of no event: the count and the first line numbers.  Non-zero means
 * the log holds reports splat could not read (an unknown line prefix, a
 * new header): every front end must say so rather than report a zero. */
struct splat_unrecognized;
const struct splat_unrecognized *
splat_analyzer_unrecognized(const struct splat_analyzer *a);

/* NULL-terminated list of lockdep report kinds the recogniser knows. */
const char *const *splat_lockdep_kinds(void);

/* Whether kind names a kind of the table (lockdep, lockdep-off or bug);
 * returns 0 and its event type, or -1. */
int splat_kind_lookup(const char *kind, enum splat_event_type *type);

#endif
