/* SPDX-License-Identifier: MIT */
/* run.c - run and log one operation. */
#include <stdio.h>

#include <json-c/json.h>

#include "run.h"

void soak_run_log(struct soak_run *r, struct json_object *op,
		  enum soak_outcome outcome)
{
	if (outcome == SOAK_BUSY)
		r->busy++;
	if (r->boot_id[0])
		json_object_object_add(op, "boot_id",
				       json_object_new_string(r->boot_id));
	if (soak_opslog_write(&r->log, op, outcome) < 0) {
		if (!r->log_errors)
			perror("besser-soak: ops.jsonl: write failed");
		r->log_errors++;
	}
}

int64_t soak_run_timeout(const struct soak_run *r, int64_t want_ms)
{
	int64_t left = (r->deadline_usec - soak_now_usec()) / 1000 + 30000;

	if (left < 5000)
		left = 5000;
	return want_ms < left ? want_ms : left;
}

enum soak_outcome soak_run_op(struct soak_run *r, const char *op,
			      char *const argv[], int64_t timeout_ms,
			      struct json_object *extra,
			      struct soak_exec_result *res)
{
	struct soak_exec_result local;
	struct soak_exec_result *x = res ? res : &local;
	enum soak_outcome oc;
	struct json_object *o;

	soak_exec(argv, timeout_ms, r->stop, x);
	oc = soak_classify(x);
	o = soak_op_json(op, argv, x, oc);
	if (extra) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(o, k, json_object_get(v));
		json_object_put(extra);
	}
	soak_run_log(r, o, oc);
	return oc;
}
