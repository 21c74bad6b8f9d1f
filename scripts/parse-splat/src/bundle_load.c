/* SPDX-License-Identifier: MIT */
/*
 * bundle_load.c - open a run bundle: meta.json, the summary (recomputed from
 * kmsg.raw, or stored), the operation and event timelines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bundle_int.h"

int splat_bundle_add_event(struct splat_bundle *b, unsigned boot,
			   int64_t ts_usec, uint64_t count, const char *series)
{
	if (b->n_events == b->events_cap) {
		size_t cap = b->events_cap ? b->events_cap * 2 : 256;
		struct splat_bundle_event *n =
			realloc(b->events, cap * sizeof(*n));

		if (!n)
			return -1;
		b->events = n;
		b->events_cap = cap;
	}
	struct splat_bundle_event *e = &b->events[b->n_events++];

	memset(e, 0, sizeof(*e));
	e->boot = boot;
	e->ts_usec = ts_usec;
	e->count = count;
	snprintf(e->series, sizeof(e->series), "%s", series ? series : "?");
	return 0;
}

FILE *splat_bundle_fopen_optional(const struct splat_bundle *b,
				  const char *name, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	*err = '\0';
	snprintf(path, sizeof(path), "%s/%s", b->dir, name);
	f = fopen(path, "r");
	if (!f && errno != ENOENT)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

/* events.jsonl as written by `splat watch` (splat_event_to_json). */
int splat_bundle_read_events(struct splat_bundle *b, char *err, size_t errlen)
{
	FILE *f = splat_bundle_fopen_optional(b, "events.jsonl", err, errlen);

	if (!f)
		return *err ? -1 : 0;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	while (getline(&line, &cap, f) >= 0) {
		struct json_object *o = json_tokener_parse(line);
		const char *type = splat_jstr(o, "type");

		if (type) {
			const char *series = NULL;

			if (!strcmp(type, "lockdep") ||
			    !strcmp(type, "lockdep-off") ||
			    !strcmp(type, "bug"))
				series = type;
			else if (!strcmp(type, "pattern") &&
				 !(splat_jstr(o, "role") &&
				   !strcmp(splat_jstr(o, "role"), "followup")))
				series = splat_jstr(o, "kind");
			else if (!strcmp(type, "suppressed"))
				series = splat_jstr(o, "pattern");
			if ((!strcmp(type, "lockdep") ||
			     !strcmp(type, "bug")) &&
			    json_object_array_length(b->reports) <
				    SPLAT_BUNDLE_MAX_REPORTS)
				json_object_array_add(b->reports,
						      json_object_get(o));
			if (series &&
			    splat_bundle_add_event(
				    b, (unsigned)splat_jnum(o, "boot", 0),
				    (int64_t)splat_jnum(o, "ts_usec", 0),
				    (uint64_t)splat_jnum(o, "count", 1),
				    series) < 0)
				rc = -1;
		}
		json_object_put(o);
	}
	free(line);
	fclose(f);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

void splat_bundle_free(struct splat_bundle *b)
{
	if (!b)
		return;
	free(b->dir);
	json_object_put(b->meta);
	json_object_put(b->summary);
	json_object_put(b->reports);
	free(b->events);
	free(b->ops);
	free(b);
}

struct splat_bundle *splat_bundle_load(const char *dir, unsigned flags,
				       char *err, size_t errlen)
{
	struct stat st;
	char path[4096];

	if (stat(dir, &st) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a run bundle directory", dir);
		return NULL;
	}
	struct splat_bundle *b = calloc(1, sizeof(*b));

	if (!b || !(b->dir = strdup(dir)) ||
	    !(b->reports = json_object_new_array())) {
		if (b)
			free(b->dir);
		free(b);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	size_t dl = strlen(b->dir);

	while (dl > 1 && b->dir[dl - 1] == '/')
		b->dir[--dl] = '\0';

	snprintf(path, sizeof(path), "%s/meta.json", b->dir);
	if (access(path, F_OK) == 0) {
		b->meta = splat_json_read_file(path, err, errlen);
		if (!b->meta ||
		    json_object_get_type(b->meta) != json_type_object) {
			if (b->meta)
				snprintf(err, errlen, "%s: not a JSON object",
					 path);
			splat_bundle_free(b);
			return NULL;
		}
		b->transcribed = splat_jnum(b->meta, "transcribed", 0) != 0;
	}

	if (flags & SPLAT_BUNDLE_META_ONLY)
		return b;
	snprintf(path, sizeof(path), "%s/kmsg.raw", b->dir);
	int have_raw = access(path, R_OK) == 0;

	if (b->transcribed || (flags & SPLAT_BUNDLE_STORED) || !have_raw) {
		snprintf(path, sizeof(path), "%s/summary.json", b->dir);
		if (access(path, F_OK) != 0 && !have_raw) {
			snprintf(err, errlen,
				 "%s: neither kmsg.raw nor summary.json: not a "
				 "run bundle",
				 b->dir);
			splat_bundle_free(b);
			return NULL;
		}
	}
	if (!b->transcribed && !(flags & SPLAT_BUNDLE_STORED) && have_raw) {
		double conf = 0.95;

		b->summary = splat_bundle_recompute(b, conf, err, errlen);
		if (!b->summary) {
			splat_bundle_free(b);
			return NULL;
		}
		b->recomputed = true;
		return b;
	}
	b->summary = splat_json_read_file(path, err, errlen);
	if (!b->summary ||
	    json_object_get_type(b->summary) != json_type_object) {
		if (b->summary)
			snprintf(err, errlen, "%s: not a JSON object", path);
		splat_bundle_free(b);
		return NULL;
	}
	if (splat_bundle_read_ops(b, b->summary, err, errlen) < 0 ||
	    splat_bundle_read_events(b, err, errlen) < 0) {
		splat_bundle_free(b);
		return NULL;
	}
	if (!splat_jpath(b->summary, "ops") && !b->transcribed)
		json_object_object_add(b->summary, "ops",
				       splat_bundle_ops_json(b, b->summary));
	return b;
}
