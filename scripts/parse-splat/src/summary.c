/* SPDX-License-Identifier: MIT */
/*
 * summary.c - per-boot counts and lockdep-active exposure of one stream, and
 * the summary.json document (schema in summary.h).
 *
 * Exposure (README.md, "Summary and exposure"): a boot is observed from
 * its first to its last timestamped record; lockdep watches it from the
 * first record to the first event that turns lockdep off (a lockdep report,
 * MAX_* too low, non-static key, taint, validator off, an Oops/panic),
 * else to the last record.  Each boot contributes at most one report to the
 * lockdep rate (the one that ended its exposure): rate = boots ended by a
 * report / lockdep-active hours, with the exact Poisson interval of
 * stats.h.  Pattern rates use the observed hours (patterns need no lockdep).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fastpath.h"
#include "patterns_int.h"
#include "splat/analyzer.h"
#include "splat/bundle.h"
#include "splat/patterns.h"
#include "splat/stats.h"
#include "splat/summary.h"

struct sboot {
	bool used;
	char boot_id[40];
	int64_t start, end;
	uint64_t records;
	unsigned clocks; /* bit 1 << enum splat_clock of its records */
	bool off;
	int64_t off_usec;
	char off_reason[48];
	bool ended_by_report;
	bool has_first;
	char *first_sig, *first_kind, *first_title;
	int64_t first_usec;
	json_object *counts;
};

struct sagg {
	char *sig, *kind, *title;
	uint64_t count;
	int64_t first_usec;
	json_object *boots; /* lockdep only */
	unsigned last_boot;
};

struct spat {
	char *name;
	uint64_t lines, followups, pairs, suppressed;
};

struct splat_summary {
	struct sboot *boots;
	size_t nboots, capboots;
	struct sagg *sigs;
	size_t nsigs, capsigs;
	struct sagg *bugs;
	size_t nbugs, capbugs;
	struct spat *pats;
	size_t npats, cappats;
	uint64_t records, lost, bad_lines, suppressed_unowned;
	uint64_t unrecognized; /* guard.h */
};

static void *grow(void *v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 8;
	void *nv = realloc(v, nc * elem);
	if (!nv)
		abort(); /* out of memory: nothing sensible to count with */
	memset((char *)nv + *cap * elem, 0, (nc - *cap) * elem);
	*cap = nc;
	return nv;
}

static char *dup_or_empty(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

static struct spat *pat(struct splat_summary *s, const char *name);

struct splat_summary *splat_summary_new(void)
{
	struct splat_summary *s = calloc(1, sizeof(struct splat_summary));
	if (s)
		pat(s, SPLAT_PATTERN_BUILTIN); /* a zero is a result too */
	return s;
}

void splat_summary_add_patterns(struct splat_summary *s,
				const struct splat_patterns *p)
{
	for (size_t i = 0; p && i < p->n; i++)
		pat(s, p->v[i].name);
}

const char *splat_summary_clock_name(unsigned clocks)
{
	const unsigned up = 1u << SPLAT_CLOCK_UPTIME,
		       wb = 1u << SPLAT_CLOCK_WALL_BOOT,
		       wf = 1u << SPLAT_CLOCK_WALL_FIRST;
	/* undated lines among dated ones say nothing about the clock */
	if (clocks & (up | wb | wf))
		clocks &= up | wb | wf;
	if (clocks == up || clocks == 0)
		return NULL;
	if (clocks == 1u << SPLAT_CLOCK_NONE)
		return "none";
	/* from the weakest: an unknown start taints the whole boot */
	if (clocks & wf)
		return clocks == wf ? "wall-since-first-line"
				    : "mixed-wall-since-first-line";
	if (clocks & wb)
		return clocks == wb ? "wall-since-boot-start"
				    : "uptime-and-wall-since-boot-start";
	return NULL;
}

void splat_summary_set_bad_lines(struct splat_summary *s, uint64_t n)
{
	s->bad_lines = n;
}

void splat_summary_add_bad_lines(struct splat_summary *s, uint64_t n)
{
	s->bad_lines += n;
}

void splat_summary_add_unrecognized(struct splat_summary *s, uint64_t n)
{
	s->unrecognized += n;
}

static struct sboot *boot_at(struct splat_summary *s, unsigned i)
{
	while (s->nboots <= i) {
		s->boots = grow(s->boots, &s->capboots, s->nboots,
				sizeof(*s->boots));
		struct sboot *b = &s->boots[s->nboots++];
		memset(b, 0, sizeof(*b));
		b->start = b->end = b->off_usec = b->first_usec = SPLAT_TS_NONE;
		b->counts = json_object_new_object();
	}
	s->boots[i].used = true;
	return &s->boots[i];
}

static void count_add(struct sboot *b, const char *key, uint64_t n)
{
	json_object *v;
	int64_t cur = 0;
	if (json_object_object_get_ex(b->counts, key, &v)) {
		cur = json_object_get_int64(v);
		if (json_object_is_type(v, json_type_int)) {
			/* in place: no new object per event */
			json_object_set_int64(v, cur + (int64_t)n);
			return;
		}
	}
	json_object_object_add(b->counts, key,
			       json_object_new_int64(cur + (int64_t)n));
}

/* n records of boot b with boot id id ("" unknown), their timestamps from
 * lo to hi (SPLAT_TS_NONE: none had one). */
static inline void boot_account(struct splat_summary *s, struct sboot *b,
				uint64_t n, const char *id, int64_t lo,
				int64_t hi, unsigned clocks)
{
	s->records += n;
	b->records += n;
	b->clocks |= clocks;
	if (id[0] && !b->boot_id[0])
		memcpy(b->boot_id, id, sizeof(b->boot_id));
	if (lo != SPLAT_TS_NONE) {
		if (b->start == SPLAT_TS_NONE || lo < b->start)
			b->start = lo;
		if (b->end == SPLAT_TS_NONE || hi > b->end)
			b->end = hi;
	}
}

void splat_summary_skipped(struct splat_summary *s,
			   const struct splat_skipped *sk,
			   const struct splat_record *next)
{
	if (sk->n)
		boot_account(s, boot_at(s, sk->boot), sk->n,
			     /* a boot's first line is never passed over: lines
			      * of an earlier boot have their id already */
			     sk->boot == next->boot ? next->boot_id : "",
			     sk->ts_min, sk->ts_max, sk->clocks);
}

void splat_summary_add_record(struct splat_summary *s,
			      const struct splat_record *rec)
{
	/* once per record: the boot is almost always there already */
	struct sboot *b = rec->boot < s->nboots && s->boots[rec->boot].used
				  ? &s->boots[rec->boot]
				  : boot_at(s, rec->boot);
	boot_account(s, b, 1, rec->boot_id, rec->ts_usec, rec->ts_usec,
		     1u << rec->clock);
}

static struct sagg *agg(struct sagg **v, size_t *n, size_t *cap,
			const struct splat_event *ev, bool with_boots)
{
	const char *sig = ev->signature ? ev->signature : "";
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].sig, sig))
			return &(*v)[i];
	*v = grow(*v, cap, *n, sizeof(**v));
	struct sagg *a = &(*v)[(*n)++];
	a->sig = dup_or_empty(sig);
	a->kind = dup_or_empty(ev->kind);
	a->title = dup_or_empty(ev->title);
	a->first_usec = ev->ts_usec;
	a->boots = with_boots ? json_object_new_array() : NULL;
	a->last_boot = (unsigned)-1;
	return a;
}

static struct spat *pat(struct splat_summary *s, const char *name)
{
	for (size_t i = 0; i < s->npats; i++)
		if (!strcmp(s->pats[i].name, name))
			return &s->pats[i];
	s->pats = grow(s->pats, &s->cappats, s->npats, sizeof(*s->pats));
	struct spat *p = &s->pats[s->npats++];
	memset(p, 0, sizeof(*p));
	p->name = dup_or_empty(name);
	return p;
}

static const char *detail_str(const struct splat_event *ev, const char *key)
{
	json_object *v;
	if (!ev->detail || !json_object_object_get_ex(ev->detail, key, &v) ||
	    !v)
		return NULL;
	return json_object_get_string(v);
}

static void turn_off(struct sboot *b, const struct splat_event *ev,
		     const char *reason, bool report)
{
	if (b->off)
		return;
	b->off = true;
	b->off_usec = ev->ts_usec;
	snprintf(b->off_reason, sizeof(b->off_reason), "%s", reason);
	b->ended_by_report = report;
}

void splat_summary_add_event(struct splat_summary *s,
			     const struct splat_event *ev)
{
	struct sboot *b = boot_at(s, ev->boot);
	switch (ev->type) {
	case SPLAT_EV_BOOT: {
		const char *id = detail_str(ev, "boot_id");
		if (id && !b->boot_id[0])
			snprintf(b->boot_id, sizeof(b->boot_id), "%s", id);
		break;
	}
	case SPLAT_EV_LOCKDEP: {
		count_add(b, "lockdep", 1);
		struct sagg *a =
			agg(&s->sigs, &s->nsigs, &s->capsigs, ev, true);
		a->count++;
		if (a->last_boot != ev->boot) {
			json_object_array_add(a->boots,
					      json_object_new_int64(ev->boot));
			a->last_boot = ev->boot;
		}
		if (!b->has_first) {
			b->has_first = true;
			b->first_sig = dup_or_empty(ev->signature);
			b->first_kind = dup_or_empty(ev->kind);
			b->first_title = dup_or_empty(ev->title);
			b->first_usec = ev->ts_usec;
		}
		if (ev->disables_lockdep)
			turn_off(b, ev, "report", true);
		break;
	}
	case SPLAT_EV_LOCKDEP_OFF:
		count_add(b, "lockdep-off", 1);
		turn_off(b, ev, ev->kind ? ev->kind : "lockdep-off", false);
		break;
	case SPLAT_EV_BUG: {
		count_add(b, "bug", 1);
		struct sagg *a =
			agg(&s->bugs, &s->nbugs, &s->capbugs, ev, false);
		a->count++;
		if (ev->disables_lockdep)
			turn_off(b, ev, ev->kind ? ev->kind : "oops", false);
		break;
	}
	case SPLAT_EV_PATTERN: {
		if (!ev->kind)
			break;
		struct spat *p = pat(s, ev->kind);
		const char *role =
			ev->detail ? detail_str(ev, "role") : ev->role;
		if (role && !strcmp(role, "followup")) {
			p->followups++;
		} else {
			p->lines++;
			count_add(b, ev->kind, 1);
		}
		break;
	}
	case SPLAT_EV_PATTERN_PAIR:
		if (ev->kind)
			pat(s, ev->kind)->pairs++;
		break;
	case SPLAT_EV_SUPPRESSED: {
		const char *owner =
			ev->detail ? detail_str(ev, "pattern") : ev->owner;
		if (owner) {
			pat(s, owner)->suppressed += ev->count;
			count_add(b, owner, ev->count);
		} else {
			s->suppressed_unowned += ev->count;
			count_add(b, "suppressed", ev->count);
		}
		break;
	}
	case SPLAT_EV_LOST:
		s->lost += ev->count;
		count_add(b, "lost", ev->count);
		break;
	}
}

static double hours(int64_t usec)
{
	return usec > 0 ? (double)usec / 3.6e9 : 0.0;
}

static json_object *usec_json(int64_t v)
{
	return v == SPLAT_TS_NONE ? NULL : json_object_new_int64(v);
}

struct json_object *splat_summary_to_json(const struct splat_summary *s,
					  double confidence)
{
	json_object *doc = json_object_new_object();
	json_object_object_add(
		doc, "schema",
		json_object_new_string("besser-verify/summary/1"));
	json_object_object_add(doc, "confidence",
			       json_object_new_double(confidence));
	unsigned nb = 0;
	for (size_t i = 0; i < s->nboots; i++)
		nb += s->boots[i].used;
	json_object *in = json_object_new_object();
	json_object_object_add(in, "records",
			       json_object_new_uint64(s->records));
	json_object_object_add(in, "lost", json_object_new_uint64(s->lost));
	json_object_object_add(in, "bad_lines",
			       json_object_new_uint64(s->bad_lines));
	json_object_object_add(in, "boots", json_object_new_int64(nb));
	/* absent: none (the summaries of earlier bundles stay valid) */
	if (s->unrecognized)
		json_object_object_add(in, "unrecognized_headers",
				       json_object_new_uint64(s->unrecognized));
	json_object_object_add(doc, "input", in);

	double exposure = 0, observed = 0;
	uint64_t with_report = 0;
	json_object *boots = json_object_new_array();
	for (size_t i = 0; i < s->nboots; i++) {
		const struct sboot *b = &s->boots[i];
		if (!b->used)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "index",
				       json_object_new_int64((int64_t)i));
		json_object_object_add(
			o, "boot_id",
			b->boot_id[0] ? json_object_new_string(b->boot_id)
				      : NULL);
		json_object_object_add(o, "start_usec", usec_json(b->start));
		json_object_object_add(o, "end_usec", usec_json(b->end));
		const char *clock = splat_summary_clock_name(b->clocks);
		if (clock) /* absent: the kernel's uptime, as always before */
			json_object_object_add(o, "clock",
					       json_object_new_string(clock));
		double obs = 0, act = 0;
		if (b->start != SPLAT_TS_NONE && b->end != SPLAT_TS_NONE) {
			obs = hours(b->end - b->start);
			int64_t stop = b->end;
			if (b->off && b->off_usec != SPLAT_TS_NONE &&
			    b->off_usec < stop)
				stop = b->off_usec;
			if (b->off && b->off_usec == SPLAT_TS_NONE)
				stop = b->start; /* off at an unknown time */
			act = hours(stop - b->start);
		}
		observed += obs;
		exposure += act;
		with_report += b->ended_by_report;
		json_object_object_add(o, "observed_h",
				       json_object_new_double(obs));
		json_object_object_add(o, "lockdep_active_h",
				       json_object_new_double(act));
		if (b->off) {
			json_object *off = json_object_new_object();
			json_object_object_add(off, "usec",
					       usec_json(b->off_usec));
			json_object_object_add(
				off, "reason",
				json_object_new_string(b->off_reason));
			json_object_object_add(o, "lockdep_off", off);
		} else {
			json_object_object_add(o, "lockdep_off", NULL);
		}
		if (b->has_first) {
			json_object *f = json_object_new_object();
			json_object_object_add(
				f, "signature",
				json_object_new_string(b->first_sig));
			json_object_object_add(
				f, "kind",
				json_object_new_string(b->first_kind));
			json_object_object_add(
				f, "title",
				json_object_new_string(b->first_title));
			json_object_object_add(f, "usec",
					       usec_json(b->first_usec));
			json_object_object_add(o, "first_report", f);
		} else {
			json_object_object_add(o, "first_report", NULL);
		}
		/* every count present, zero or not */
		json_object *counts = json_object_new_object();
		static const char *const fixed[] = {"lockdep", "lockdep-off",
						    "bug", "lost", NULL};
		for (unsigned k = 0; fixed[k]; k++)
			json_object_object_add(counts, fixed[k],
					       json_object_new_int64(0));
		for (size_t p = 0; p < s->npats; p++)
			json_object_object_add(counts, s->pats[p].name,
					       json_object_new_int64(0));
		json_object_object_foreach(b->counts, key, val)
			json_object_object_add(counts, key,
					       json_object_get(val));
		json_object_object_add(o, "counts", counts);
		json_object_array_add(boots, o);
	}
	json_object_object_add(doc, "boots", boots);

	json_object *ld = json_object_new_object();
	json_object_object_add(ld, "boots", json_object_new_int64(nb));
	json_object_object_add(ld, "boots_with_report",
			       json_object_new_uint64(with_report));
	json_object_object_add(ld, "exposure_h",
			       json_object_new_double(exposure));
	splat_jadd_rate(ld, with_report, exposure, confidence, true);
	json_object *sigs = json_object_new_array();
	for (size_t i = 0; i < s->nsigs; i++) {
		const struct sagg *a = &s->sigs[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "signature",
				       json_object_new_string(a->sig));
		json_object_object_add(o, "kind",
				       json_object_new_string(a->kind));
		json_object_object_add(o, "title",
				       json_object_new_string(a->title));
		json_object_object_add(o, "count",
				       json_object_new_uint64(a->count));
		json_object_object_add(o, "boots", json_object_get(a->boots));
		json_object_object_add(o, "first_usec",
				       usec_json(a->first_usec));
		json_object_array_add(sigs, o);
	}
	json_object_object_add(ld, "signatures", sigs);
	json_object_object_add(doc, "lockdep", ld);

	json_object *pats = json_object_new_array();
	for (size_t i = 0; i < s->npats; i++) {
		const struct spat *p = &s->pats[i];
		json_object *o = json_object_new_object();
		uint64_t count = p->lines + p->suppressed;
		json_object_object_add(o, "name",
				       json_object_new_string(p->name));
		json_object_object_add(o, "lines",
				       json_object_new_uint64(p->lines));
		json_object_object_add(o, "followups",
				       json_object_new_uint64(p->followups));
		json_object_object_add(o, "pairs",
				       json_object_new_uint64(p->pairs));
		json_object_object_add(o, "suppressed_added",
				       json_object_new_uint64(p->suppressed));
		json_object_object_add(o, "count",
				       json_object_new_uint64(count));
		json_object_object_add(o, "exposure_h",
				       json_object_new_double(observed));
		splat_jadd_rate(o, count, observed, confidence, false);
		json_object_array_add(pats, o);
	}
	json_object_object_add(doc, "patterns", pats);

	json_object *bugs = json_object_new_array();
	for (size_t i = 0; i < s->nbugs; i++) {
		const struct sagg *a = &s->bugs[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "signature",
				       json_object_new_string(a->sig));
		json_object_object_add(o, "kind",
				       json_object_new_string(a->kind));
		json_object_object_add(o, "title",
				       json_object_new_string(a->title));
		json_object_object_add(o, "count",
				       json_object_new_uint64(a->count));
		json_object_array_add(bugs, o);
	}
	json_object_object_add(doc, "bugs", bugs);
	json_object_object_add(doc, "lost", json_object_new_uint64(s->lost));
	if (s->suppressed_unowned)
		json_object_object_add(
			doc, "suppressed_unattributed",
			json_object_new_uint64(s->suppressed_unowned));
	return doc;
}

static void agg_free(struct sagg *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].sig);
		free(v[i].kind);
		free(v[i].title);
		json_object_put(v[i].boots);
	}
	free(v);
}

void splat_summary_free(struct splat_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nboots; i++) {
		free(s->boots[i].first_sig);
		free(s->boots[i].first_kind);
		free(s->boots[i].first_title);
		json_object_put(s->boots[i].counts);
	}
	free(s->boots);
	agg_free(s->sigs, s->nsigs);
	agg_free(s->bugs, s->nbugs);
	for (size_t i = 0; i < s->npats; i++)
		free(s->pats[i].name);
	free(s->pats);
	free(s);
}
