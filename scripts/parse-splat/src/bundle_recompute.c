/* SPDX-License-Identifier: MIT */
/*
 * bundle_recompute.c - summary.json from a bundle's raw files alone:
 * kmsg.raw through the reader, analyzer and summary modules, plus the
 * workload from ops.jsonl and the sha256 of the evidence it was computed from.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bundle_int.h"
#include "splat/analyzer.h"
#include "splat/patterns.h"
#include "splat/pipeline.h"
#include "splat/reader.h"
#include "splat/summary.h"

struct recompute_ctx {
	struct splat_bundle *b;
	struct splat_summary *sum;
	int oom;
};

static void on_event(void *vctx, const struct splat_event *ev)
{
	struct recompute_ctx *c = vctx;
	const char *series = NULL;

	if ((ev->type == SPLAT_EV_LOCKDEP || ev->type == SPLAT_EV_BUG) &&
	    json_object_array_length(c->b->reports) < SPLAT_BUNDLE_MAX_REPORTS)
		json_object_array_add(c->b->reports, splat_event_to_json(ev));
	switch (ev->type) {
	case SPLAT_EV_LOCKDEP:
		series = "lockdep";
		break;
	case SPLAT_EV_LOCKDEP_OFF:
		series = "lockdep-off";
		break;
	case SPLAT_EV_BUG:
		series = "bug";
		break;
	case SPLAT_EV_PATTERN: {
		/* as summary.c counts: first lines, not their follow-ups */
		struct json_object *role = NULL;

		if (!(ev->detail &&
		      json_object_object_get_ex(ev->detail, "role", &role) &&
		      !strcmp(json_object_get_string(role), "followup")))
			series = ev->kind;
		break;
	}
	case SPLAT_EV_SUPPRESSED: {
		/* ratelimited lines of a pattern are added back to it */
		struct json_object *owner = NULL;

		if (ev->detail &&
		    json_object_object_get_ex(ev->detail, "pattern", &owner))
			series = json_object_get_string(owner);
		break;
	}
	default:
		break;
	}
	if (series &&
	    splat_bundle_add_event(c->b, ev->boot, ev->ts_usec,
				   ev->count ? ev->count : 1, series) < 0)
		c->oom = 1;
}

static struct json_object *hash_or_null(const char *dir, const char *file)
{
	char path[4096], h[80];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (splat_sha256_file(path, h, sizeof(h)) < 0)
		return NULL;
	return json_object_new_string(h);
}

struct json_object *splat_bundle_recompute(struct splat_bundle *b,
					   double confidence, char *err,
					   size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/kmsg.raw", b->dir);
	struct splat_reader *r =
		splat_reader_open_path(path, SPLAT_FORMAT_KMSG);

	if (!r) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* to stderr, each prefixed with the bundle's kmsg.raw path */
	splat_reader_set_diag(r, splat_diag_print, NULL);
	struct splat_patterns *pats = splat_patterns_new();
	/* the user patterns the run watched with, copied into the bundle by
	 * besser-soak (patterns.conf): the same counts again */
	char ppath[4096], perr[512];
	snprintf(ppath, sizeof(ppath), "%s/" SPLAT_BUNDLE_PATTERNS, b->dir);
	if (pats && access(ppath, F_OK) == 0 &&
	    splat_patterns_load(pats, ppath, perr, sizeof(perr)) < 0) {
		snprintf(err, errlen, "%s", perr);
		splat_patterns_free(pats);
		splat_reader_close(r);
		return NULL;
	}
	struct recompute_ctx ctx = {.b = b, .sum = splat_summary_new()};
	struct json_object *doc = NULL;
	int rc = 0;

	b->n_events = 0;
	if (!pats || !ctx.sum) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	splat_summary_add_patterns(ctx.sum, pats);
	struct splat_pipeline pl = {
		.patterns = pats,
		.sink = on_event,
		.ctx = &ctx,
		.summary = ctx.sum,
	};
	rc = splat_pipeline_run(&pl, r);
	if (rc < 0 && errno == ENOMEM)
		ctx.oom = 1;
	else if (rc < 0) {
		snprintf(err, errlen, "%s: read error: %s", path,
			 strerror(errno));
		goto out;
	}
	if (ctx.oom) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	doc = splat_summary_to_json(ctx.sum, confidence);
	if (!doc) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	b->n_ops = 0;
	b->ops_bad_lines = 0;
	if (splat_bundle_read_ops(b, doc, err, errlen) < 0) {
		json_object_put(doc);
		doc = NULL;
		goto out;
	}
	json_object_object_add(doc, "ops", splat_bundle_ops_json(b, doc));
	struct json_object *ev = json_object_new_object();

	json_object_object_add(ev, "kmsg.raw",
			       hash_or_null(b->dir, "kmsg.raw"));
	json_object_object_add(ev, "ops.jsonl",
			       hash_or_null(b->dir, "ops.jsonl"));
	if (access(ppath, F_OK) == 0)
		json_object_object_add(
			ev, SPLAT_BUNDLE_PATTERNS,
			hash_or_null(b->dir, SPLAT_BUNDLE_PATTERNS));
	json_object_object_add(doc, "evidence", ev);
out:
	splat_summary_free(ctx.sum);
	splat_patterns_free(pats);
	splat_reader_close(r);
	return doc;
}
