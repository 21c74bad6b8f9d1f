/* SPDX-License-Identifier: MIT */
/*
 * bundle_ops.c - the workload side of a run bundle: ops.jsonl and the "ops"
 * member of summary.json (operations by kind and outcome, per hour, and every
 * pattern per 1000 scans / per 1000 operations).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bundle_int.h"

/* A scan is any operation whose name contains "scan" (scan-full,
 * scan-5g-single, scan-5g-multi, probe-scan-5g-*). */
static int op_is_scan(const char *op)
{
	return strstr(op, "scan") != NULL;
}

/* Harness bookkeeping lines (besser-soak logs the watcher's fate as an
 * "op"): listed by kind, not counted as workload. */
static int op_is_workload(const char *op)
{
	return strcmp(op, "watcher") != 0;
}

/* The boot an op belongs to: by boot_id against the summary's boots when
 * both carry one, else by CLOCK_MONOTONIC going backwards. */
static unsigned op_boot(const struct json_object *summary, const char *boot_id,
			int64_t start, int64_t *last_start, unsigned *cur)
{
	struct json_object *boots = splat_jpath(summary, "boots");

	if (boot_id && boots &&
	    json_object_get_type(boots) == json_type_array) {
		size_t n = json_object_array_length(boots);

		for (size_t i = 0; i < n; i++) {
			const char *bid = splat_jstr(
				json_object_array_get_idx(boots, i), "boot_id");

			if (bid && !strcmp(bid, boot_id))
				return *cur = (unsigned)i;
		}
	}
	if (*last_start != INT64_MIN && start < *last_start)
		(*cur)++;
	*last_start = start;
	return *cur;
}

int splat_bundle_read_ops(struct splat_bundle *b,
			  const struct json_object *summary, char *err,
			  size_t errlen)
{
	FILE *f = splat_bundle_fopen_optional(b, "ops.jsonl", err, errlen);

	if (!f)
		return *err ? -1 : 0;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	int64_t last_start = INT64_MIN;
	unsigned cur = 0;

	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		struct json_object *o = json_tokener_parse(line);
		const char *op = splat_jstr(o, "op");

		if (!o || json_object_get_type(o) != json_type_object || !op) {
			b->ops_bad_lines++;
			json_object_put(o);
			continue;
		}
		if (b->n_ops == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			struct splat_bundle_op *n =
				realloc(b->ops, alloc * sizeof(*n));

			if (!n) {
				json_object_put(o);
				free(line);
				fclose(f);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			b->ops = n;
		}
		struct splat_bundle_op *x = &b->ops[b->n_ops++];

		memset(x, 0, sizeof(*x));
		snprintf(x->op, sizeof(x->op), "%s", op);
		const char *oc = splat_jstr(o, "outcome");

		snprintf(x->outcome, sizeof(x->outcome), "%s",
			 oc ? oc : "unknown");
		x->start_usec = (int64_t)splat_jnum(o, "start_usec", 0);
		x->end_usec = (int64_t)splat_jnum(o, "end_usec",
						  (double)x->start_usec);
		x->boot = op_boot(summary, splat_jstr(o, "boot_id"),
				  x->start_usec, &last_start, &cur);
		json_object_put(o);
	}
	free(line);
	fclose(f);
	return 0;
}

static void inc_member(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(obj, key, &v))
		json_object_int_inc(v, 1);
	else
		json_object_object_add(obj, key, json_object_new_int64(1));
}

static struct json_object *num_or_null(double num, double den, double scale)
{
	if (!(den > 0.0))
		return NULL;
	return json_object_new_double(num / den * scale);
}

struct json_object *splat_bundle_ops_json(const struct splat_bundle *b,
					  const struct json_object *summary)
{
	struct json_object *ops = json_object_new_object();
	struct json_object *kinds = json_object_new_object();
	struct json_object *outcomes = json_object_new_object();
	uint64_t scans = 0, total = 0;
	double observed_h = 0.0;
	struct json_object *boots = splat_jpath(summary, "boots");

	if (boots && json_object_get_type(boots) == json_type_array)
		for (size_t i = 0; i < json_object_array_length(boots); i++)
			observed_h +=
				splat_jnum(json_object_array_get_idx(boots, i),
					   "observed_h", 0.0);

	for (size_t i = 0; i < b->n_ops; i++) {
		const struct splat_bundle_op *x = &b->ops[i];
		struct json_object *k;

		if (!json_object_object_get_ex(kinds, x->op, &k)) {
			k = json_object_new_object();
			json_object_object_add(k, "count",
					       json_object_new_int64(0));
			json_object_object_add(k, "outcomes",
					       json_object_new_object());
			json_object_object_add(kinds, x->op, k);
		}
		json_object_int_inc(splat_jpath(k, "count"), 1);
		inc_member(splat_jpath(k, "outcomes"), x->outcome);
		inc_member(outcomes, x->outcome);
		if (op_is_scan(x->op))
			scans++;
		if (op_is_workload(x->op))
			total++;
	}
	json_object_object_foreach(kinds, name, k)
	{
		(void)name;
		json_object_object_add(k, "per_h",
				       num_or_null(splat_jnum(k, "count", 0),
						   observed_h, 1.0));
	}
	json_object_object_add(
		ops, "source",
		json_object_new_string(
			b->n_ops || b->ops_bad_lines ? "ops.jsonl" : "none"));
	json_object_object_add(ops, "total",
			       json_object_new_int64((int64_t)total));
	json_object_object_add(
		ops, "bad_lines",
		json_object_new_int64((int64_t)b->ops_bad_lines));
	json_object_object_add(ops, "scans",
			       json_object_new_int64((int64_t)scans));
	json_object_object_add(ops, "observed_h",
			       json_object_new_double(observed_h));
	json_object_object_add(ops, "per_h",
			       num_or_null((double)total, observed_h, 1.0));
	json_object_object_add(ops, "scans_per_h",
			       num_or_null((double)scans, observed_h, 1.0));
	json_object_object_add(ops, "outcomes", outcomes);
	json_object_object_add(ops, "kinds", kinds);

	struct json_object *pats = json_object_new_object();
	struct json_object *parr = splat_jpath(summary, "patterns");

	if (parr && json_object_get_type(parr) == json_type_array)
		for (size_t i = 0; i < json_object_array_length(parr); i++) {
			struct json_object *p =
				json_object_array_get_idx(parr, i);
			const char *pname = splat_jstr(p, "name");
			double cnt = splat_jnum(p, "count", 0.0);

			if (!pname)
				continue;
			struct json_object *e = json_object_new_object();

			json_object_object_add(
				e, "count",
				json_object_new_int64((int64_t)cnt));
			json_object_object_add(
				e, "per_1000_scans",
				num_or_null(cnt, (double)scans, 1000.0));
			json_object_object_add(
				e, "per_1000_ops",
				num_or_null(cnt, (double)total, 1000.0));
			json_object_object_add(pats, pname, e);
		}
	json_object_object_add(ops, "patterns", pats);
	return ops;
}

/* ---- workload health: success shares per kind, claim kinds ------------- */

static const struct {
	const char *op;
	const char *claim;
} claim_ops[] = {
	{"traffic", "frames flowing (the softirq side of queue->lock) for "
		    "the lockdep splat"},
	{"conn-cycle", "joins and disconnections (pending_record_lock) for "
		       "the lockdep splat"},
	{"scan-5g-multi", "multi-channel 5 GHz scans reaching the driver for "
			  "Pattern A"},
};

#define N_CLAIM_OPS (sizeof(claim_ops) / sizeof(claim_ops[0]))

const char *splat_op_claim(const char *op)
{
	for (size_t i = 0; op && i < N_CLAIM_OPS; i++)
		if (!strcmp(op, claim_ops[i].op))
			return claim_ops[i].claim;
	return NULL;
}

static int64_t outcome_n(const struct json_object *k, const char *oc)
{
	struct json_object *o = splat_jpath(k, "outcomes"), *v;

	if (!o || json_object_get_type(o) != json_type_object ||
	    !json_object_object_get_ex(o, oc, &v))
		return 0;
	return json_object_get_int64(v);
}

struct json_object *splat_ops_shares(const struct json_object *kinds)
{
	struct json_object *out = json_object_new_object();

	if (!kinds || json_object_get_type(kinds) != json_type_object)
		return out;
	json_object_object_foreach((struct json_object *)kinds, name, k)
	{
		int64_t count = (int64_t)splat_jnum(k, "count", 0);
		int64_t ok = outcome_n(k, "ok"), busy = outcome_n(k, "busy");
		int64_t refused = outcome_n(k, "refused");
		int64_t failed = count - ok - busy - refused;
		int64_t performed = count - busy;
		struct json_object *e = json_object_new_object();
		const char *claim = splat_op_claim(name);

		if (failed < 0)
			failed = 0;
		json_object_object_add(e, "count",
				       json_object_new_int64(count));
		json_object_object_add(e, "ok", json_object_new_int64(ok));
		json_object_object_add(e, "busy", json_object_new_int64(busy));
		json_object_object_add(e, "refused",
				       json_object_new_int64(refused));
		json_object_object_add(e, "failed",
				       json_object_new_int64(failed));
		json_object_object_add(e, "performed",
				       json_object_new_int64(performed));
		json_object_object_add(e, "succeeded_share",
				       num_or_null((double)(ok + refused),
						   (double)performed, 1.0));
		json_object_object_add(
			e, "failed_share",
			num_or_null((double)failed, (double)performed, 1.0));
		json_object_object_add(e, "claim",
				       claim ? json_object_new_string(claim)
					     : NULL);
		json_object_object_add(out, name, e);
	}
	return out;
}

int splat_ops_failure_warnings(const struct json_object *shares,
			       const char *who, double max_fail,
			       struct json_object *warnings)
{
	int added = 0, workload = 0;

	if (!shares || json_object_get_type(shares) != json_type_object)
		return 0;
	json_object_object_foreach((struct json_object *)shares, name, v)
	{
		(void)v;
		workload |= op_is_workload(name);
	}
	if (!workload)
		return 0;
	for (size_t i = 0; i < N_CLAIM_OPS; i++) {
		struct json_object *e = NULL;
		const char *op = claim_ops[i].op, *claim = claim_ops[i].claim;

		if (!json_object_object_get_ex(shares, op, &e) || !e) {
			splat_json_warn(warnings,
					"%s: no %s operations in the workload: "
					"the claim needs %s",
					who, op, claim);
			added++;
			continue;
		}
		double count = splat_jnum(e, "count", 0);
		double performed = splat_jnum(e, "performed", 0);
		double failed = splat_jnum(e, "failed", 0);

		if (!(performed > 0)) {
			splat_json_warn(
				warnings,
				"%s: all %.0f %s operations were busy "
				"(EBUSY), none was performed: the claim "
				"needs %s",
				who, count, op, claim);
			added++;
		} else if (failed / performed > max_fail) {
			splat_json_warn(
				warnings,
				"%s: %s failed in %.0f of %.0f operations "
				"(%.0f %%, more than %.0f %%): the claim "
				"needs %s, so this run tested less than "
				"it claims",
				who, op, failed, performed,
				failed / performed * 100.0, max_fail * 100.0,
				claim);
			added++;
		}
	}
	return added;
}

int splat_parse_op_failure(const char *s, double *share)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno)
		return -1;
	if (*end == '%')
		end++;
	if (*end || !(v >= 0.0 && v <= 100.0))
		return -1;
	*share = v / 100.0;
	return 0;
}
