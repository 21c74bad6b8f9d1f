/* SPDX-License-Identifier: MIT */
/*
 * splat_test_events.h - helpers shared by the analyzer tests (header only,
 * static inline): collect events, feed hand-built records, run a reader.
 */
#ifndef SPLAT_TEST_EVENTS_H
#define SPLAT_TEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "splat/analyzer.h"
#include "splat/bundle.h"
#include "splat/event.h"
#include "splat/patterns.h"
#include "splat/reader.h"
#include "splat/record.h"

struct tev {
	enum splat_event_type type;
	char kind[64];
	char title[320];
	char sig[512];
	bool corrupted;
	bool disables;
	int64_t ts;
	unsigned boot;
	uint64_t seq;
	uint64_t count;
	json_object *detail; /* a reference of our own */
};

struct tevs {
	struct tev *v;
	size_t n, cap;
};

static inline const char *top_dir(void)
{
	const char *t = getenv("SPLAT_TOP");
	return t && *t ? t : ".";
}

static inline void tevs_sink(void *ctx, const struct splat_event *ev)
{
	struct tevs *t = ctx;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			abort();
	}
	struct tev *e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	e->type = ev->type;
	snprintf(e->kind, sizeof(e->kind), "%s", ev->kind ? ev->kind : "");
	snprintf(e->title, sizeof(e->title), "%s", ev->title ? ev->title : "");
	snprintf(e->sig, sizeof(e->sig), "%s",
		 ev->signature ? ev->signature : "");
	e->corrupted = ev->corrupted;
	e->disables = ev->disables_lockdep;
	e->ts = ev->ts_usec;
	e->boot = ev->boot;
	e->seq = ev->seq;
	e->count = ev->count;
	e->detail = ev->detail ? json_object_get(ev->detail) : NULL;
}

static inline void tevs_free(struct tevs *t)
{
	for (size_t i = 0; i < t->n; i++)
		json_object_put(t->v[i].detail);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static inline size_t tevs_count(const struct tevs *t,
				enum splat_event_type type, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].type == type &&
		    (!kind || !strcmp(t->v[i].kind, kind)))
			n++;
	return n;
}

static inline const struct tev *
tevs_find(const struct tevs *t, enum splat_event_type type, const char *kind)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].type == type &&
		    (!kind || !strcmp(t->v[i].kind, kind)))
			return &t->v[i];
	return NULL;
}

/* A member of an event's detail as text (a number too: "pid"), or NULL. */
static inline const char *tev_str(const struct tev *e, const char *key)
{
	return json_object_get_string(splat_jpath(e->detail, key));
}

/* The lock of a role in a lockdep event's detail, or NULL. */
static inline json_object *tev_lock(const struct tev *e, const char *role)
{
	json_object *locks = splat_jpath(e->detail, "locks");
	for (size_t i = 0; locks && i < json_object_array_length(locks); i++) {
		json_object *l = json_object_array_get_idx(locks, i);
		const char *r = splat_jstr(l, "role");
		if (r && !strcmp(r, role))
			return l;
	}
	return NULL;
}

/*
 * Feed hand-built records: each input line is "[SEC.USEC][CALLER] text",
 * "[SEC.USEC] text" or bare text; a line "#boot" bumps the boot index and
 * "#lost N" sets lost_before of the next record.  No reader involved.
 */
static inline void feed_lines(struct splat_analyzer *a, const char *text)
{
	struct splat_record rec;
	unsigned boot = 0;
	uint64_t seq = 0, lost = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[2048];
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		if (!strcmp(line, "#boot")) {
			boot++;
			continue;
		}
		if (!strncmp(line, "#lost ", 6)) {
			lost = strtoull(line + 6, NULL, 10);
			continue;
		}
		memset(&rec, 0, sizeof(rec));
		rec.seq = seq++;
		rec.ts_usec = SPLAT_TS_NONE;
		rec.level = -1;
		rec.facility = -1;
		rec.boot = boot;
		rec.lost_before = lost;
		lost = 0;
		char *t = line;
		if (t[0] == '[') {
			double sec;
			int used = 0;
			if (sscanf(t, "[%lf]%n", &sec, &used) == 1 &&
			    used > 0) {
				rec.ts_usec = (int64_t)(sec * 1e6 + 0.5);
				t += used;
			}
			if (t[0] == '[') {
				char *e = strchr(t, ']');
				if (e) {
					char *c = t + 1;
					while (*c == ' ')
						c++;
					snprintf(rec.caller, sizeof(rec.caller),
						 "%.*s", (int)(e - c), c);
					t = e + 1;
				}
			}
			if (*t == ' ')
				t++;
		}
		rec.text = t;
		rec.text_len = strlen(t);
		rec.raw = line;
		rec.raw_len = strlen(line);
		splat_analyzer_feed(a, &rec);
	}
}

static inline void run_text(const char *text, const struct splat_patterns *p,
			    struct tevs *out)
{
	struct splat_analyzer *a = splat_analyzer_new(p, tevs_sink, out);
	if (!a)
		abort();
	feed_lines(a, text);
	splat_analyzer_finish(a);
	splat_analyzer_free(a);
}

static inline void quiet_diag(void *ctx, enum splat_diag_level level,
			      const char *name, uint64_t line_no,
			      const char *msg)
{
	(void)level;
	(void)name;
	(void)line_no;
	(void)msg;
	if (ctx)
		(*(uint64_t *)ctx)++;
}

/* Read a whole stream through the reader; returns records read or -1. */
static inline long run_reader(struct splat_reader *r,
			      const struct splat_patterns *p, struct tevs *out)
{
	struct splat_analyzer *a = splat_analyzer_new(p, tevs_sink, out);
	struct splat_record rec;
	long n = 0;
	int rc;
	if (!a)
		abort();
	while ((rc = splat_reader_next(r, &rec)) == 1) {
		splat_analyzer_feed(a, &rec);
		n++;
	}
	splat_analyzer_finish(a);
	splat_analyzer_free(a);
	return rc < 0 ? -1 : n;
}

static inline long run_file(const char *path, enum splat_format fmt,
			    const struct splat_patterns *p, struct tevs *out)
{
	struct splat_reader *r = splat_reader_open_path(path, fmt);
	if (!r)
		return -1;
	splat_reader_set_diag(r, quiet_diag, NULL);
	long n = run_reader(r, p, out);
	splat_reader_close(r);
	return n;
}

#endif
