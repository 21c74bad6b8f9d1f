/* SPDX-License-Identifier: MIT */
/*
 * opslog.h - ops.jsonl: one JSON line per workload operation
 * (schema in results/README.md), and the outcome classification.
 */
#ifndef SOAK_OPSLOG_H
#define SOAK_OPSLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec.h"

struct json_object;

enum soak_outcome {
	SOAK_OK,
	SOAK_BUSY, /* EBUSY / "Scanning not allowed while already scanning" */
	SOAK_REFUSED, /* EOPNOTSUPP */
	SOAK_FAILED,
	SOAK_TIMEOUT,
	SOAK_OUTCOME_COUNT,
};

const char *soak_outcome_name(enum soak_outcome o);

/* Classify a finished command from its exit, stdout and stderr. */
enum soak_outcome soak_classify(const struct soak_exec_result *r);
/* One-line error text for a non-ok command ("" for ok). */
void soak_error_text(const struct soak_exec_result *r, char *buf, size_t len);

/* Outcomes of one kind of operation (its "op") so far. */
struct soak_kind {
	char name[32];
	uint64_t n[SOAK_OUTCOME_COUNT];
};

#define SOAK_KINDS_MAX 32

struct soak_opslog {
	int fd;
	uint64_t ops;
	uint64_t by_outcome[SOAK_OUTCOME_COUNT];
	/* per kind, in order of first appearance; `watcher` lines are not
	 * workload and are not counted here (results/README.md) */
	struct soak_kind kinds[SOAK_KINDS_MAX];
	size_t nkinds;
};

/* Open DIR/ops.jsonl for appending.  Returns 0 or -1 (errno). */
int soak_opslog_open(struct soak_opslog *l, const char *dir);
void soak_opslog_close(struct soak_opslog *l);

/* Build the standard op object (op, start/end, cmd, outcome, exit, error);
 * callers may add findings before soak_opslog_write(). */
struct json_object *soak_op_json(const char *op, char *const argv[],
				 const struct soak_exec_result *r,
				 enum soak_outcome outcome);
/* Append one line (whole line, fsync'd) and count it.  Takes the
 * reference. */
int soak_opslog_write(struct soak_opslog *l, struct json_object *op,
		      enum soak_outcome outcome);
/* Count one operation of kind op (soak_opslog_write does, per line). */
void soak_opslog_count(struct soak_opslog *l, const char *op,
		       enum soak_outcome outcome);

/*
 * Failing kinds.  Of a kind's operations, `busy` ones were deferred, not
 * performed; `ok` and `refused` (the patched driver's answer) succeeded;
 * `failed` and `timeout` failed -- as `splat report` counts them.  A kind
 * is failing when its failed share of the performed operations so far is
 * above max_share (0..1).
 */
uint64_t soak_kind_performed(const struct soak_kind *k);
uint64_t soak_kind_failed(const struct soak_kind *k);
bool soak_kind_failing(const struct soak_kind *k, double max_share);
/* "traffic failing 67 % (4/6), conn-cycle failing 50 % (1/2)" into text,
 * the failing kinds' names ("traffic conn-cycle") into names (may be NULL);
 * both "" when none.  Returns the number of failing kinds. */
size_t soak_opslog_failing(const struct soak_opslog *l, double max_share,
			   char *text, size_t tlen, char *names, size_t nlen);
/* {"<kind>": {"ok", "busy", "refused", "failed", "performed",
 * "failed_share" (null when none performed), "failing"}, ...}; new ref. */
struct json_object *soak_opslog_kinds_json(const struct soak_opslog *l,
					   double max_share);

#endif
