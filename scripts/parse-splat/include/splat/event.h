/* SPDX-License-Identifier: MIT */
/*
 * event.h - what the analyzer recognises in a kernel log.
 *
 * One struct for every kind of finding, so that sinks (the scan table, JSON
 * Lines, the summary, the live watcher) handle them uniformly.  The typed
 * fields are what counting and statistics need; everything else (locks,
 * frames, task, raw lines) is in `detail`, a json-c object, so the JSON
 * output and the C API never drift apart.
 */
#ifndef SPLAT_EVENT_H
#define SPLAT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

enum splat_event_type {
	SPLAT_EV_BOOT,	      /* a new boot starts in the stream */
	SPLAT_EV_LOCKDEP,     /* a lockdep report */
	SPLAT_EV_LOCKDEP_OFF, /* lockdep turned itself off without a report:
			       * MAX_* too low, non-static key, taint */
	SPLAT_EV_BUG,	      /* non-lockdep WARNING/BUG/Oops/sleep-in-atomic */
	SPLAT_EV_PATTERN,     /* one line of a named pattern */
	SPLAT_EV_PATTERN_PAIR, /* a pattern line followed by its follow-up in
				* the window */
	SPLAT_EV_SUPPRESSED,   /* "NAME: N callbacks suppressed" */
	SPLAT_EV_LOST,	       /* records the kernel dropped (seq gap, EPIPE) */
};

/* "boot", "lockdep", "lockdep-off", "bug", "pattern", "pattern-pair",
 * "suppressed", "lost" */
const char *splat_event_type_name(enum splat_event_type t);

struct splat_event {
	enum splat_event_type type;
	/* lockdep: report kind, e.g. "circular", "irq-safe-unsafe",
	 * "inconsistent", "recursive", "irq-inversion", "invalid-wait",
	 * "bad-unlock", ... (splat_lockdep_kinds() lists them);
	 * lockdep-off: "max-too-low", "non-static-key", "taint", ...;
	 * bug: "warning", "bug", "oops", "sleep-in-atomic", ...;
	 * pattern*: the pattern name ("pattern-a"); suppressed: the ratelimit
	 * name; lost/boot: NULL. */
	const char *kind;
	/* One-line summary, syzkaller style where one exists
	 * ("possible deadlock in bes2600_queue_clear"). */
	const char *title;
	/* Stable key for counting/dedupe across boots and runs: kind plus the
	 * lock class names (or pattern name).  Never contains addresses. */
	const char *signature;
	int64_t ts_usec;       /* time of the first line, or SPLAT_TS_NONE */
	unsigned boot;	       /* boot index in the stream */
	uint64_t seq;	       /* seq of the first record */
	uint64_t count;	       /* 1; N for suppressed and lost */
	bool corrupted;	       /* truncated or interleaved report */
	bool disables_lockdep; /* lockdep is off after this event */
	/* Everything else, owned by the event: valid during the callback;
	 * json_object_get() it to keep it. */
	struct json_object *detail;
	/* Also in detail, typed for sinks that run without it (see
	 * splat_analyzer_set_no_detail()); NULL when a producer does not set
	 * them.  pattern: "first" or "followup" (detail.role); suppressed:
	 * the pattern that owns the ratelimit name, NULL if none
	 * (detail.pattern). */
	const char *role;
	const char *owner;
};

/* A new JSON object: the typed fields plus the members of detail. */
struct json_object *splat_event_to_json(const struct splat_event *ev);

#endif
