/* SPDX-License-Identifier: MIT */
/*
 * bundle.h - a run bundle (results/README.md): load, hash, recompute, verify.
 *
 * A bundle is a directory with meta.json, kmsg.raw, ops.jsonl, events.jsonl
 * and summary.json.  Loading it recomputes the summary from kmsg.raw (the
 * evidence) with reader.h + analyzer.h + summary.h, adds the workload
 * ("ops", from ops.jsonl) and keeps the event and operation timelines for
 * plots.  A *transcribed* bundle (meta.json "transcribed": true, e.g.
 * results/reference/) has no raw files: its summary.json is taken as written
 * and everything derived from it says so.
 */
#ifndef SPLAT_BUNDLE_H
#define SPLAT_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

/* One point of the event timeline (for plots). */
struct splat_bundle_event {
	unsigned boot;
	int64_t ts_usec;
	uint64_t count;	 /* 1, or N for suppressed callbacks added back */
	char series[64]; /* "lockdep", "lockdep-off", "bug", or a pattern name
			  */
};

/* One workload operation from ops.jsonl. */
struct splat_bundle_op {
	unsigned
		boot; /* boot index (boot_id, else monotonic time going back) */
	int64_t start_usec;
	int64_t end_usec;
	char op[48];
	char outcome[16]; /* ok, busy, refused, failed, timeout, or as written
			   */
};

struct splat_bundle {
	char *dir;
	bool transcribed;
	struct json_object *meta; /* NULL when meta.json is missing */
	/* The summary document (besser-verify/summary/1 + "ops" + "evidence"):
	 * recomputed from kmsg.raw, or the stored one for transcribed bundles
	 * and for SPLAT_BUNDLE_STORED. */
	struct json_object *summary;
	bool recomputed;
	struct splat_bundle_event *events;
	size_t n_events, events_cap;
	struct splat_bundle_op *ops;
	size_t n_ops;
	uint64_t ops_bad_lines;
	/* Lockdep and bug reports as JSON (splat_event_to_json), in order,
	 * at most SPLAT_BUNDLE_MAX_REPORTS: locks, sites, task for the report.
	 */
	struct json_object *reports;
};

#define SPLAT_BUNDLE_MAX_REPORTS 64
/* The user pattern file a run watched with, copied into its bundle by
 * besser-soak; recomputing loads it too (absent: built-in patterns only). */
#define SPLAT_BUNDLE_PATTERNS "patterns.conf"

enum {
	/* Use summary.json as stored (and events.jsonl for the timeline)
	 * instead of recomputing from kmsg.raw. */
	SPLAT_BUNDLE_STORED = 1 << 0,
	/* Only meta.json (summary NULL, no timelines): for summary/verify,
	 * which then call splat_bundle_recompute(). */
	SPLAT_BUNDLE_META_ONLY = 1 << 1,
};

/* Load a bundle.  Returns NULL with a message in err (unreadable directory,
 * unparseable meta.json, no kmsg.raw and no summary.json, ...). */
struct splat_bundle *splat_bundle_load(const char *dir, unsigned flags,
				       char *err, size_t errlen);
void splat_bundle_free(struct splat_bundle *b);

/* Read a JSON file; NULL with err set. */
struct json_object *splat_json_read_file(const char *path, char *err,
					 size_t errlen);
/* Write a JSON document (pretty, sorted as built) + newline; -1 on error. */
int splat_json_write_file(const char *path, struct json_object *doc);

/* "sha256:<64 hex>" of a file into out (>= 72 bytes); -1 with errno. */
int splat_sha256_file(const char *path, char *out, size_t outlen);

/* The "ops" member: workload totals from ops.jsonl plus per-operation rates
 * of every pattern in summary (per 1000 scans, per 1000 ops).  observed_h is
 * the run's observed time (sum of boots' observed_h) for ops per hour. */
struct json_object *splat_bundle_ops_json(const struct splat_bundle *b,
					  const struct json_object *summary);

/* Workload health.  The operation kinds a claim depends on: `traffic` and
 * `conn-cycle` (frames and joins/disconnections for the lockdep splat),
 * `scan-5g-multi` (Pattern A); splat_op_claim() names what needs the kind,
 * NULL for other kinds. */
#define SPLAT_MAX_OP_FAILURE 0.20 /* default: warn above 20 % failed */
const char *splat_op_claim(const char *op);

/* Per-kind shares from an "ops" member's "kinds" ({kind: {count, outcomes}},
 * summed over runs by the caller if needed): a new object {kind: {count,
 * ok, busy, refused, failed, performed, succeeded_share, failed_share,
 * claim}}.  busy (EBUSY: deferred, never reached the driver) is not
 * performed; failed counts failed, timeout and any other outcome; refused
 * (EOPNOTSUPP, the patched driver's answer to a multi-channel 5 GHz scan)
 * is an answer, so succeeded = ok + refused.  Shares are of the performed
 * operations, null when none was.  kinds NULL: an empty object. */
struct json_object *splat_ops_shares(const struct json_object *kinds);

/* Append a warning to warnings, prefixed with who ("before", "run X"), for
 * every claim kind in shares (splat_ops_shares) that failed in more than
 * max_fail (0..1) of its performed operations, or never ran or was never
 * performed while other operations did.  Returns how many were added. */
int splat_ops_failure_warnings(const struct json_object *shares,
			       const char *who, double max_fail,
			       struct json_object *warnings);

/* Parse --max-op-failure: a percentage "20" or "20%" in [0, 100] into a
 * share (0.2).  Returns 0, -1 on a syntax error. */
int splat_parse_op_failure(const char *s, double *share);

/* Recompute the summary document from the bundle's raw files.  Returns a new
 * object, or NULL with err set (no kmsg.raw, parser failure).  Also fills
 * b->events.  confidence: interval level written into the document. */
struct json_object *splat_bundle_recompute(struct splat_bundle *b,
					   double confidence, char *err,
					   size_t errlen);

/* How a run's log was read, from its summary: lines holding a report
 * header that became no event (input.unrecognized_headers), boots whose
 * times are not the kernel's uptime (boots[].clock).  Appended to w as
 * warnings naming side and run. */
void splat_summary_read_warnings(struct json_object *summary, const char *side,
				 const char *run, struct json_object *w);
/* Warnings about a bundle's provenance (missing meta.json or fields,
 * incomplete run, transcribed, summary not recomputed), each a string
 * appended to the warnings array, prefixed with side ("before", "run"). */
void splat_bundle_provenance_warnings(const struct splat_bundle *b,
				      const char *side,
				      struct json_object *warnings);
/* The run id (meta.json run_id, else the directory's base name). */
const char *splat_bundle_name(const struct splat_bundle *b);

/* The device a bundle ran on (results/README.md, "Device identity"): the
 * first of meta.json device.name, device.serial, device.machine_id, host
 * that is a non-empty string, as key "SOURCE:VALUE" ("serial:8a3f...",
 * "host:pinetab2"); none: "run:<run id>" (source "run"), a device of its
 * own.  host: meta.json host or "". */
struct splat_device_id {
	char key[192];
	const char *source; /* "name", "serial", "machine-id", "host", "run" */
	char host[128];
};
void splat_bundle_device(const struct splat_bundle *b,
			 struct splat_device_id *id);

/* The workload a run was configured with: the first SPLAT_CONFIG_HASH_LEN
 * hex digits of the sha256 of meta.json soak_config in a canonical form
 * (keys sorted; label, results_root, duration_s, seed, until_decided*,
 * splat and kmsg left out: they name the run or places, or reseed the same
 * schedule, not the workload).  Returns
 * 0, or -1 (out "") when there is no soak_config object. */
#define SPLAT_CONFIG_HASH_LEN 16
int splat_bundle_config_hash(const struct splat_bundle *b, char *out,
			     size_t outlen);

/* Check a bundle (results/README.md, "Checking a bundle").  Returns 0 when
 * every check passes, 1 when one failed, -1 with err set when the bundle is
 * unreadable (no directory, meta.json or summary.json not JSON).  *checks
 * (new array of {"check", "ok", "detail"}) is set unless -1. */
int splat_bundle_verify(const char *dir, struct json_object **checks, char *err,
			size_t errlen);

/* splat_bundle_verify() with the workload check's threshold (share 0..1,
 * default SPLAT_MAX_OP_FAILURE): the check "workload" lists every kind's
 * success share; a failing claim kind (splat_ops_failure_warnings) is a
 * check with "ok": true and "warning": true: it does not fail the
 * verification (the bundle is intact), it says the workload was not the
 * one claimed. */
int splat_bundle_verify_ex(const char *dir, double max_op_failure,
			   struct json_object **checks, char *err,
			   size_t errlen);

/* Compare two JSON documents: numbers within relative tolerance rel (and
 * integers exactly), objects by key, arrays by position.  Returns 0 when
 * equal, else 1 with the first differing path in where. */
int splat_json_diff(const struct json_object *a, const struct json_object *b,
		    double rel, char *where, size_t wherelen);

/* The library's accessors on json-c trees (use these rather than a local
 * copy): a member path "a.b.c", where a segment of digits indexes an array
 * ("boots.0.counts").  splat_jpath: the member, NULL when missing or JSON
 * null (o may be NULL).  splat_jnum / splat_jint: a number (int, double,
 * boolean or a numeric string; splat_jint truncates a double), else dflt.
 * splat_jstr: a string member, else NULL. */
struct json_object *splat_jpath(const struct json_object *o, const char *path);
double splat_jnum(const struct json_object *o, const char *path, double dflt);
int64_t splat_jint(const struct json_object *o, const char *path, int64_t dflt);
const char *splat_jstr(const struct json_object *o, const char *path);
/* splat_jarr: an array member, else NULL. */
struct json_object *splat_jarr(const struct json_object *o, const char *path);

/* The library's writers: splat_jadd_num adds v, or JSON null when v is not
 * finite.  splat_jadd_rate adds what every document says of k events in
 * t hours: "rate_per_h", "ci" [lo, hi] (exact Poisson, two-sided at conf)
 * and, when upper, "upper_one_sided"; all null when t <= 0. */
void splat_jadd_num(struct json_object *o, const char *key, double v);
void splat_jadd_rate(struct json_object *o, uint64_t k, double t, double conf,
		     bool upper);

/* Append a printf-formatted string to a JSON array of warnings. */
void splat_json_warn(struct json_object *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open the bundle file NAME for reading.  A missing file is not an error
 * (returns NULL with *err empty); any other failure returns NULL with err
 * set to "PATH: why". */
FILE *splat_bundle_fopen_optional(const struct splat_bundle *b,
				  const char *name, char *err, size_t errlen);

#endif
