/* SPDX-License-Identifier: MIT */
/*
 * opslog.h - ops.jsonl: one JSON line per workload operation
 * (schema in results/README.md), and the outcome classification.
 */
#ifndef SOAK_OPSLOG_H
#define SOAK_OPSLOG_H

#include <stdint.h>
#include <stdio.h>

#include "exec.h"

struct json_object;

enum soak_outcome {
	SOAK_OK,
	SOAK_BUSY,	/* EBUSY / "Scanning not allowed while already scanning" */
	SOAK_REFUSED,	/* EOPNOTSUPP */
	SOAK_FAILED,
	SOAK_TIMEOUT,
	SOAK_OUTCOME_COUNT,
};

const char *soak_outcome_name(enum soak_outcome o);

/* Classify a finished command from its exit, stdout and stderr. */
enum soak_outcome soak_classify(const struct soak_exec_result *r);
/* One-line error text for a non-ok command ("" for ok). */
void soak_error_text(const struct soak_exec_result *r, char *buf, size_t len);

struct soak_opslog {
	int fd;
	uint64_t ops;
	uint64_t by_outcome[SOAK_OUTCOME_COUNT];
};

/* Open DIR/ops.jsonl for appending.  Returns 0 or -1 (errno). */
int soak_opslog_open(struct soak_opslog *l, const char *dir);
void soak_opslog_close(struct soak_opslog *l);

/* Build the standard op object (op, start/end, cmd, outcome, exit, error);
 * callers may add findings before soak_opslog_write(). */
struct json_object *soak_op_json(const char *op, char *const argv[],
				 const struct soak_exec_result *r,
				 enum soak_outcome outcome);
/* Append one line (whole line, fsync'd).  Takes the reference. */
int soak_opslog_write(struct soak_opslog *l, struct json_object *op,
		      enum soak_outcome outcome);

#endif
