/* SPDX-License-Identifier: MIT */
/*
 * bundle_verify.c - check a run bundle: files present, recorded sha256 match,
 * summary.json recomputes identically (results/README.md, "Checking a
 * bundle").
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "splat/bundle.h"

static void check(struct json_object *arr, int *failed, int ok,
		  const char *what, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void check(struct json_object *arr, int *failed, int ok,
		  const char *what, const char *fmt, ...)
{
	char buf[1024] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
	}
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "check", json_object_new_string(what));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "detail", json_object_new_string(buf));
	json_object_array_add(arr, o);
	if (!ok)
		(*failed)++;
}

/* One passing check entry (ok, "warning": true) per warning string of w:
 * the bundle is intact, but its reader must be told. */
static void warning_checks(struct json_object *arr, const char *name,
			   struct json_object *w)
{
	for (size_t i = 0; i < json_object_array_length(w); i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "check",
				       json_object_new_string(name));
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "warning",
				       json_object_new_boolean(1));
		json_object_object_add(
			o, "detail",
			json_object_get(json_object_array_get_idx(w, i)));
		json_object_array_add(arr, o);
	}
}

/* The workload: every kind's success share as one passing check, and a
 * warning entry (ok, "warning": true) per claim kind that failed too often:
 * the bundle is intact, but its run tested less than it claims. */
static void workload_checks(struct json_object *arr,
			    const struct json_object *ops, double max_fail)
{
	struct json_object *kinds = splat_jpath(ops, "kinds");
	struct json_object *sh, *w;
	char buf[1024] = "";
	size_t n = 0;

	if (!ops || splat_jnum(ops, "total", 0) <= 0)
		return;
	sh = splat_ops_shares(kinds);
	json_object_object_foreach(sh, name, e)
	{
		struct json_object *s = splat_jpath(e, "succeeded_share");

		if (n < sizeof(buf))
			n += (size_t)snprintf(
				buf + n, sizeof(buf) - n, "%s%s %.0f/%.0f%s",
				n ? ", " : "", name,
				splat_jnum(e, "ok", 0) +
					splat_jnum(e, "refused", 0),
				splat_jnum(e, "performed", 0),
				s ? "" : " (none performed)");
	}
	int dummy = 0;

	check(arr, &dummy, 1, "workload", "succeeded/performed: %s", buf);
	w = json_object_new_array();
	splat_ops_failure_warnings(sh, "workload", max_fail, w);
	warning_checks(arr, "workload", w);
	json_object_put(w);
	json_object_put(sh);
}

/* How the log was read (splat_summary_read_warnings()): warning entries
 * (ok, "warning": true), like the workload's. */
static void read_checks(struct json_object *arr, struct json_object *summary)
{
	struct json_object *w = json_object_new_array();

	if (summary)
		splat_summary_read_warnings(summary, "this", "bundle", w);
	warning_checks(arr, "log read", w);
	json_object_put(w);
}

int splat_bundle_verify(const char *dir, struct json_object **checks, char *err,
			size_t errlen)
{
	return splat_bundle_verify_ex(dir, SPLAT_MAX_OP_FAILURE, checks, err,
				      errlen);
}

int splat_bundle_verify_ex(const char *dir, double max_op_failure,
			   struct json_object **checks, char *err,
			   size_t errlen)
{
	char path[4096];
	struct splat_bundle *b =
		splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY, err, errlen);

	*checks = NULL;
	if (!b)
		return -1;
	struct json_object *arr = json_object_new_array();
	struct json_object *stored = NULL, *fresh = NULL;
	int failed = 0, rc;

	check(arr, &failed, b->meta != NULL, "meta.json present", NULL);
	if (b->meta) {
		const char *schema = splat_jstr(b->meta, "schema");

		check(arr, &failed,
		      schema && !strcmp(schema, "besser-verify/meta/1"),
		      "meta.json schema", "%s", schema ? schema : "missing");
	}
	snprintf(path, sizeof(path), "%s/summary.json", b->dir);
	if (access(path, F_OK) == 0) {
		stored = splat_json_read_file(path, err, errlen);
		if (!stored) {
			json_object_put(arr);
			splat_bundle_free(b);
			return -1;
		}
	}
	check(arr, &failed, stored != NULL, "summary.json present", NULL);
	if (b->transcribed) {
		check(arr, &failed, 1, "transcribed",
		      "no raw files: figures as written in summary.json, "
		      "nothing to hash or recompute");
		check(arr, &failed,
		      stored && splat_jpath(stored, "patterns") &&
			      splat_jpath(stored, "lockdep"),
		      "summary.json has lockdep and patterns", NULL);
		goto done;
	}
	static const char *const need[] = {"kmsg.raw", "ops.jsonl",
					   "events.jsonl"};

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", b->dir, need[i]);
		int ok = access(path, R_OK) == 0;

		check(arr, &failed, ok, need[i], "%s",
		      ok ? "present" : "missing");
	}
	struct json_object *files = splat_jpath(b->meta, "files");

	if (!files || json_object_get_type(files) != json_type_object) {
		check(arr, &failed, 0, "meta.json files",
		      "no \"files\" hashes recorded");
	} else {
		for (size_t i = 0; i < 2; i++)
			check(arr, &failed,
			      json_object_object_get_ex(files, need[i], NULL),
			      "hash recorded", "%s", need[i]);
		json_object_object_foreach(files, name, want)
		{
			char got[80];
			const char *w =
				want ? json_object_get_string(want) : NULL;

			if (strchr(name, '/') || !strcmp(name, "..") ||
			    !strcmp(name, ".")) {
				check(arr, &failed, 0, "sha256",
				      "%s: not a file name in the bundle",
				      name);
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", b->dir, name);
			if (splat_sha256_file(path, got, sizeof(got)) < 0) {
				check(arr, &failed, 0, "sha256",
				      "%s: cannot read", name);
			} else {
				int ok = w && !strcmp(got, w);

				check(arr, &failed, ok, "sha256", "%s: %s%s%s",
				      name, got, ok ? "" : ", recorded ",
				      ok ? "" : (w ? w : "null"));
			}
		}
	}
	snprintf(path, sizeof(path), "%s/kmsg.raw", b->dir);
	if (access(path, R_OK) == 0) {
		char e2[512];
		double conf = splat_jnum(stored, "confidence", 0.95);

		fresh = splat_bundle_recompute(b, conf, e2, sizeof(e2));
		if (!fresh) {
			check(arr, &failed, 0, "summary recomputes", "%s", e2);
		} else if (stored) {
			char where[512];
			int d = splat_json_diff(stored, fresh, 1e-9, where,
						sizeof(where));

			check(arr, &failed, !d,
			      "summary recomputes identically", "%s",
			      d ? where
				: "summary.json matches kmsg.raw + ops.jsonl");
		}
	}
	workload_checks(arr, splat_jpath(fresh ? fresh : stored, "ops"),
			max_op_failure > 0 ? max_op_failure
					   : SPLAT_MAX_OP_FAILURE);
	read_checks(arr, fresh ? fresh : stored);
done:
	rc = failed ? 1 : 0;
	*checks = arr;
	json_object_put(stored);
	json_object_put(fresh);
	splat_bundle_free(b);
	return rc;
}
