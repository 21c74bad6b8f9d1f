/* SPDX-License-Identifier: MIT */
/*
 * compare.c - the before/after model (compare.h): gather each side's
 * exposures and counts from the bundles' summaries, apply the lockdep
 * liveness rules, compute rows, verdicts, warnings and predictions.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/fleet.h"
#include "splat/sequential.h"
#include "splat/stats.h"

#define V_FIXED		      "fixed"
#define V_NOT_FIXED	      "not fixed"
#define V_INCONCLUSIVE	      "inconclusive"
#define V_CONTINUE	      "continue"
#define SEQ_DEFAULT_TOLERANCE 0.5

/* A copy of the string at path, or NULL (JSON null) when it is missing. */
static struct json_object *jstr_copy(const struct json_object *o,
				     const char *path)
{
	const char *v = splat_jstr(o, path);

	return v ? json_object_new_string(v) : NULL;
}

/* ---- one side (before or after) ---------------------------------------- */

struct side {
	const char *name;
	struct json_object *runs;  /* array of run descriptions */
	struct json_object *boots; /* lockdep per-boot entries */
	struct json_object *pats;  /* name -> {count, exposure_h} */
	struct json_object *sigs;  /* signature -> {kind, title} */
	struct json_object *kinds; /* op kind -> {count, outcomes}, summed */
	double observed_h, lockdep_h;
	double ops, scans, ops_h; /* ops_h: observed hours of runs with ops */
	int runs_without_ops;
	int transcribed;
	uint64_t lost;
};

static void side_init(struct side *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->runs = json_object_new_array();
	s->boots = json_object_new_array();
	s->pats = json_object_new_object();
	s->sigs = json_object_new_object();
	s->kinds = json_object_new_object();
}

static void side_free(struct side *s)
{
	json_object_put(s->runs);
	json_object_put(s->boots);
	json_object_put(s->pats);
	json_object_put(s->sigs);
	json_object_put(s->kinds);
}

/* add a run's ops.kinds ({kind: {count, outcomes}}) to the side's sums */
static void kinds_add(struct json_object *acc, const struct json_object *kinds)
{
	if (!kinds || json_object_get_type(kinds) != json_type_object)
		return;
	json_object_object_foreach((struct json_object *)kinds, name, k)
	{
		struct json_object *a, *ao, *oc = splat_jpath(k, "outcomes");

		if (!json_object_object_get_ex(acc, name, &a)) {
			a = json_object_new_object();
			json_object_object_add(a, "count",
					       json_object_new_int64(0));
			json_object_object_add(a, "outcomes",
					       json_object_new_object());
			json_object_object_add(acc, name, a);
		}
		json_object_int_inc(splat_jpath(a, "count"),
				    (int64_t)splat_jnum(k, "count", 0));
		ao = splat_jpath(a, "outcomes");
		if (!oc || json_object_get_type(oc) != json_type_object)
			continue;
		json_object_object_foreach(oc, o, n)
		{
			struct json_object *v;

			if (json_object_object_get_ex(ao, o, &v))
				json_object_int_inc(v,
						    json_object_get_int64(n));
			else
				json_object_object_add(
					ao, o,
					json_object_new_int64(
						json_object_get_int64(n)));
		}
	}
}

static const char *kconfig(const struct splat_bundle *b, const char *sym)
{
	struct json_object *kc = splat_jpath(b->meta, "kconfig");

	return kc ? splat_jstr(kc, sym) : NULL;
}

/* The run's lockdep liveness from meta.json: warnings, and whether its
 * lockdep exposure is 0 (PROVE_LOCKING off, or lockdep off at the start). */
static int run_lockdep_disabled(const struct side *s,
				const struct splat_bundle *b, const char *rn,
				struct json_object *w)
{
	const char *prove = kconfig(b, "CONFIG_PROVE_LOCKING");
	int disabled = prove && strcmp(prove, "y") != 0;

	if (disabled)
		splat_json_warn(
			w,
			"%s run %s: kernel has CONFIG_PROVE_LOCKING=%s: its "
			"lockdep exposure is 0",
			s->name, rn, prove);
	if (splat_jnum(b->meta, "lockdep_stats.start.debug_locks", -1) == 0) {
		splat_json_warn(
			w,
			"%s run %s: lockdep was already off at the start "
			"(debug_locks 0): its lockdep exposure is 0",
			s->name, rn);
		disabled = 1;
	}
	return disabled;
}

/* A first report's signature into the side's signature table. */
static void side_add_signature(struct side *s, struct json_object *first)
{
	const char *sig = splat_jstr(first, "signature");
	const char *kind = splat_jstr(first, "kind");
	const char *title = splat_jstr(first, "title");
	struct json_object *si;

	if (!sig || json_object_object_get_ex(s->sigs, sig, &si))
		return;
	si = json_object_new_object();
	json_object_object_add(si, "kind",
			       json_object_new_string(kind ? kind : "?"));
	json_object_object_add(si, "title",
			       json_object_new_string(title ? title : sig));
	json_object_object_add(s->sigs, sig, si);
}

/* The run's boots: each boot's lockdep-active exposure until its first
 * report, turn-off or end, into s->boots; the run's observed and
 * lockdep-active hours into *obs_h, *ld_h. */
static void side_add_boots(struct side *s, const struct splat_bundle *b,
			   const char *rn, int lockdep_disabled,
			   struct json_object *w, double *obs_h, double *ld_h)
{
	struct json_object *boots = splat_jarr(b->summary, "boots");
	size_t nboots = boots ? json_object_array_length(boots) : 0;
	double dl_end =
		splat_jnum(b->meta, "lockdep_stats.end.debug_locks", -1);

	for (size_t i = 0; i < nboots; i++) {
		struct json_object *bt = json_object_array_get_idx(boots, i);
		double obs = splat_jnum(bt, "observed_h", 0);
		double ld = splat_jnum(bt, "lockdep_active_h", 0);
		struct json_object *first = splat_jpath(bt, "first_report");
		struct json_object *off = splat_jpath(bt, "lockdep_off");
		const char *reason = off ? splat_jstr(off, "reason") : NULL;
		const char *censor = "end of log";
		struct json_object *e = json_object_new_object();

		*obs_h += obs;
		if (first) {
			censor = "report";
		} else if (off && reason && strcmp(reason, "report")) {
			censor = "lockdep-off";
			splat_json_warn(
				w,
				"%s run %s boot %zu: lockdep turned itself off at "
				"%.0f s uptime (%s) without a report: its lockdep "
				"exposure stops there (%.2f of %.2f h observed)",
				s->name, rn, i,
				splat_jnum(off, "usec", 0) / 1e6, reason, ld,
				obs);
		} else if (i + 1 == nboots && dl_end == 0 && !off) {
			/* debug_locks 0 at the end but the log shows no event:
			 * we cannot know when lockdep stopped: no negative */
			censor = "lockdep-off-unknown";
			splat_json_warn(
				w,
				"%s run %s boot %zu: lockdep was off at the end "
				"(debug_locks 0) but the log shows no report or "
				"turn-off: this boot's %.2f h are not counted as "
				"lockdep exposure",
				s->name, rn, i, ld);
			ld = 0.0;
		}
		if (lockdep_disabled) {
			ld = 0.0;
			censor = "lockdep disabled";
			first = NULL;
		}
		*ld_h += ld;
		json_object_object_add(e, "run", json_object_new_string(rn));
		json_object_object_add(e, "boot",
				       json_object_new_int64((int64_t)i));
		splat_jadd_num(e, "observed_h", obs);
		splat_jadd_num(e, "lockdep_h", ld);
		json_object_object_add(e, "censored_by",
				       json_object_new_string(censor));
		json_object_object_add(e, "first_report",
				       first ? json_object_get(first) : NULL);
		if (first)
			side_add_signature(s, first);
		json_object_array_add(s->boots, e);
	}
}

/* patterns: a run without an entry for a pattern observed it for its
 * whole observed time with zero lines, unless it is transcribed.  Returns
 * the run's own {name: {count, exposure_h}}. */
static struct json_object *side_add_patterns(struct side *s,
					     const struct splat_bundle *b,
					     const char *rn, double run_obs,
					     struct json_object *w)
{
	struct json_object *pats = splat_jarr(b->summary, "patterns");
	struct json_object *mine = json_object_new_object();

	for (size_t i = 0; pats && i < json_object_array_length(pats); i++) {
		struct json_object *p = json_object_array_get_idx(pats, i);
		const char *name = splat_jstr(p, "name");
		double k = splat_jnum(p, "count", 0);
		double t = splat_jnum(p, "exposure_h", run_obs);
		struct json_object *acc, *m;

		if (!name)
			continue;
		if (!json_object_object_get_ex(s->pats, name, &acc)) {
			acc = json_object_new_object();
			json_object_object_add(acc, "count",
					       json_object_new_double(0));
			json_object_object_add(acc, "exposure_h",
					       json_object_new_double(0));
			json_object_object_add(acc, "runs_seen",
					       json_object_new_int(0));
			json_object_object_add(s->pats, name, acc);
		}
		json_object_set_double(splat_jpath(acc, "count"),
				       splat_jnum(acc, "count", 0) + k);
		json_object_set_double(splat_jpath(acc, "exposure_h"),
				       splat_jnum(acc, "exposure_h", 0) + t);
		json_object_int_inc(splat_jpath(acc, "runs_seen"), 1);
		m = json_object_new_object();
		splat_jadd_num(m, "count", k);
		splat_jadd_num(m, "exposure_h", t);
		json_object_object_add(mine, name, m);
		if (splat_jnum(p, "assumed_exposure", 0))
			splat_json_warn(
				w,
				"%s run %s: the exposure of %s (%.2f h) is assumed, "
				"not recorded: %s",
				s->name, rn, name,
				splat_jnum(p, "exposure_h", 0),
				splat_jstr(p, "note") ? splat_jstr(p, "note")
						      : "see its summary.json");
	}
	return mine;
}

/* The run's first reports (boots of s->boots from index `from`): in all,
 * and per signature, into the run record. */
static void run_reports(struct json_object *rj, const struct side *s,
			size_t from)
{
	struct json_object *sigs = json_object_new_object();
	int64_t k = 0;

	for (size_t i = from; i < json_object_array_length(s->boots); i++) {
		struct json_object *f = splat_jpath(
			json_object_array_get_idx(s->boots, i), "first_report");
		const char *sig = splat_jstr(f, "signature");
		struct json_object *n;

		if (!f)
			continue;
		k++;
		if (!sig)
			continue;
		if (json_object_object_get_ex(sigs, sig, &n))
			json_object_int_inc(n, 1);
		else
			json_object_object_add(sigs, sig,
					       json_object_new_int64(1));
	}
	json_object_object_add(rj, "lockdep_reports", json_object_new_int64(k));
	json_object_object_add(rj, "signatures", sigs);
}

/* Where the run ran (fleet.c groups runs by it): device, host, kernel
 * build, workload configuration. */
static void run_device(struct json_object *rj, const struct splat_bundle *b)
{
	struct splat_device_id id;
	char hash[SPLAT_CONFIG_HASH_LEN + 1];

	splat_bundle_device(b, &id);
	json_object_object_add(rj, "device", json_object_new_string(id.key));
	json_object_object_add(rj, "device_source",
			       json_object_new_string(id.source));
	json_object_object_add(rj, "host",
			       id.host[0] ? json_object_new_string(id.host)
					  : NULL);
	json_object_object_add(rj, "kernel_version",
			       jstr_copy(b->meta, "kernel.version"));
	json_object_object_add(rj, "config_hash",
			       splat_bundle_config_hash(b, hash, sizeof(hash))
				       ? NULL
				       : json_object_new_string(hash));
}

static void side_add(struct side *s, const struct splat_bundle *b,
		     struct json_object *w)
{
	const struct json_object *sum = b->summary;
	const char *rn = splat_bundle_name(b);
	struct json_object *boots = splat_jarr(sum, "boots");
	size_t nboots = boots ? json_object_array_length(boots) : 0;
	size_t first_boot = json_object_array_length(s->boots);
	double run_obs = 0.0, run_ld = 0.0;
	struct json_object *rj = json_object_new_object(), *rpats;
	int lockdep_disabled;

	splat_bundle_provenance_warnings(b, s->name, w);
	lockdep_disabled = run_lockdep_disabled(s, b, rn, w);
	if (b->transcribed)
		s->transcribed = 1;
	side_add_boots(s, b, rn, lockdep_disabled, w, &run_obs, &run_ld);
	s->observed_h += run_obs;
	s->lockdep_h += run_ld;
	rpats = side_add_patterns(s, b, rn, run_obs, w);

	/* workload */
	struct json_object *ops = splat_jpath(sum, "ops");
	double nops = splat_jnum(ops, "total", -1);

	if (!ops || nops <= 0) {
		s->runs_without_ops++;
	} else {
		s->ops += nops;
		s->scans += splat_jnum(ops, "scans", 0);
		s->ops_h += run_obs;
		kinds_add(s->kinds, splat_jpath(ops, "kinds"));
	}
	uint64_t lost = (uint64_t)splat_jnum(sum, "lost", 0);

	if (lost)
		splat_json_warn(
			w,
			"%s run %s lost %llu kmsg records (overwritten before they "
			"were read): events in the gaps are not counted",
			s->name, rn, (unsigned long long)lost);
	s->lost += lost;

	json_object_object_add(rj, "run", json_object_new_string(rn));
	json_object_object_add(rj, "dir", json_object_new_string(b->dir));
	json_object_object_add(rj, "label", jstr_copy(b->meta, "label"));
	json_object_object_add(rj, "kernel",
			       jstr_copy(b->meta, "kernel.release"));
	json_object_object_add(rj, "srcversion",
			       jstr_copy(b->meta, "driver.srcversion"));
	json_object_object_add(rj, "transcribed",
			       json_object_new_boolean(b->transcribed));
	json_object_object_add(rj, "recomputed",
			       json_object_new_boolean(b->recomputed));
	json_object_object_add(rj, "boots",
			       json_object_new_int64((int64_t)nboots));
	splat_jadd_num(rj, "observed_h", run_obs);
	splat_jadd_num(rj, "lockdep_h", run_ld);
	json_object_object_add(rj, "ops",
			       nops > 0 ? json_object_new_int64((int64_t)nops)
					: NULL);
	json_object_object_add(rj, "lost",
			       json_object_new_int64((int64_t)lost));
	run_device(rj, b);
	run_reports(rj, s, first_boot);
	json_object_object_add(rj, "patterns", rpats);
	json_object_array_add(s->runs, rj);
}

static struct json_object *side_json(const struct side *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "runs", json_object_get(s->runs));
	splat_jadd_num(o, "observed_h", s->observed_h);
	splat_jadd_num(o, "lockdep_h", s->lockdep_h);
	if (!s->runs_without_ops && s->ops_h > 0) {
		splat_jadd_num(o, "ops_per_h", s->ops / s->ops_h);
		splat_jadd_num(o, "scans_per_h", s->scans / s->ops_h);
		splat_jadd_num(o, "scans", s->scans);
	} else {
		json_object_object_add(o, "ops_per_h", NULL);
		json_object_object_add(o, "scans_per_h", NULL);
		json_object_object_add(o, "scans", NULL);
	}
	json_object_object_add(o, "lost",
			       json_object_new_int64((int64_t)s->lost));
	json_object_object_add(o, "transcribed",
			       json_object_new_boolean(s->transcribed));
	json_object_object_add(o, "boots", json_object_get(s->boots));
	json_object_object_add(o, "ops_by_kind", splat_ops_shares(s->kinds));
	return o;
}

/* ---- rows ---------------------------------------------------------------- */

static struct json_object *cell(double k, double t, double conf, double scans)
{
	struct json_object *c = json_object_new_object();

	json_object_object_add(c, "count", json_object_new_int64((int64_t)k));
	splat_jadd_num(c, "exposure_h", t);
	splat_jadd_rate(c, (uint64_t)k, t, conf, true);
	if (scans > 0)
		splat_jadd_num(c, "per_1000_scans", k / scans * 1000.0);
	else
		json_object_object_add(c, "per_1000_scans", NULL);
	return c;
}

static struct json_object *make_row(const char *type, const char *name,
				    const char *title, double k1, double t1,
				    double k2, double t2, double conf,
				    double scans1, double scans2)
{
	struct json_object *r = json_object_new_object();
	double alpha = 1.0 - conf;
	const char *verdict;
	char note[256] = "";
	double more = NAN;

	json_object_object_add(r, "type", json_object_new_string(type));
	json_object_object_add(r, "name", json_object_new_string(name));
	json_object_object_add(r, "title",
			       json_object_new_string(title ? title : name));
	json_object_object_add(r, "before", cell(k1, t1, conf, scans1));
	json_object_object_add(r, "after", cell(k2, t2, conf, scans2));
	double p = splat_rate_drop_pvalue((uint64_t)k1, t1, (uint64_t)k2, t2);

	if (k1 == 0 && k2 == 0) {
		verdict = "no events";
		snprintf(note, sizeof(note), "no events before or after");
	} else if (k1 == 0 || !(t1 > 0)) {
		verdict = k2 > 0 ? V_NOT_FIXED : V_INCONCLUSIVE;
		snprintf(note, sizeof(note), "%s",
			 t1 > 0 ? "new after: absent before"
				: "no before exposure");
	} else if (!(t2 > 0)) {
		verdict = V_INCONCLUSIVE;
		more = splat_rate_drop_exposure_needed((uint64_t)k1, t1, 0,
						       conf);
		snprintf(note, sizeof(note), "no after exposure");
	} else if (p <= alpha) {
		verdict = V_FIXED;
		if (k2 > 0)
			snprintf(note, sizeof(note),
				 "reduced, not eliminated: %.0f after", k2);
	} else if (k2 > 0) {
		verdict = V_NOT_FIXED;
		if (k2 / t2 < k1 / t1)
			snprintf(note, sizeof(note),
				 "lower, but not significantly");
	} else {
		verdict = V_INCONCLUSIVE;
		more = splat_rate_drop_exposure_needed((uint64_t)k1, t1, 0,
						       conf) -
		       t2;
	}
	splat_jadd_num(r, "p_value", p);
	json_object_object_add(r, "verdict", json_object_new_string(verdict));
	splat_jadd_num(r, "more_hours", more);
	json_object_object_add(r, "note",
			       note[0] ? json_object_new_string(note) : NULL);
	return r;
}

/* count first reports per signature (NULL: any) over a side's boots */
static double first_reports(const struct side *s, const char *sig)
{
	double k = 0;

	for (size_t i = 0; i < json_object_array_length(s->boots); i++) {
		struct json_object *e = json_object_array_get_idx(s->boots, i);
		struct json_object *f = splat_jpath(e, "first_report");

		if (!f)
			continue;
		const char *fs = splat_jstr(f, "signature");

		if (!sig || (fs && !strcmp(fs, sig)))
			k++;
	}
	return k;
}

static void add_pattern_names(struct json_object *names, const struct side *s)
{
	json_object_object_foreach(s->pats, name, v)
	{
		(void)v;
		if (!json_object_object_get_ex(names, name, NULL))
			json_object_object_add(names, name, NULL);
	}
}

/* ---- the sequential verdict ---------------------------------------------- */

/* The after-exposures (cumulative lockdep-active hours over the after runs
 * and boots, in order) of the after side's first reports of sig (NULL: any),
 * clamped to t2; NULL when out of memory. */
static double *lockdep_event_times(const struct side *s, const char *sig,
				   double t2, size_t *n)
{
	size_t nb = json_object_array_length(s->boots);
	double *ev = malloc((nb ? nb : 1) * sizeof(*ev));
	double cum = 0.0;

	*n = 0;
	if (!ev)
		return NULL;
	for (size_t i = 0; i < nb; i++) {
		struct json_object *e = json_object_array_get_idx(s->boots, i);
		struct json_object *f = splat_jpath(e, "first_report");

		cum += splat_jnum(e, "lockdep_h", 0);
		if (!f)
			continue;
		const char *fs = splat_jstr(f, "signature");

		if (!sig || (fs && !strcmp(fs, sig)))
			ev[(*n)++] = cum < t2 ? cum : t2;
	}
	return ev;
}

/* row.sequential: the always-valid verdict of this row (compare.h).
 * Returns 0, -1 when out of memory. */
static int add_sequential(struct json_object *r, const struct side *sa,
			  double alpha, double tol, double max_h)
{
	const char *type = splat_jstr(r, "type");
	uint64_t k1 = (uint64_t)splat_jnum(r, "before.count", 0);
	uint64_t k2 = (uint64_t)splat_jnum(r, "after.count", 0);
	double t1 = splat_jnum(r, "before.exposure_h", 0);
	double t2 = splat_jnum(r, "after.exposure_h", 0);
	struct splat_seq_params p = {alpha, tol, max_h > 0 ? max_h : 0};
	struct splat_seq_look lk = {.e_fixed = NAN, .e_not_fixed = NAN};
	const char *v, *method = NULL;
	double decided = NAN, to_fixed = NAN, rem = NAN;
	uint64_t kdec = k2;
	char note[256] = "";

	if (!strcmp(splat_jstr(r, "verdict"), "no events")) {
		json_object_object_add(r, "sequential", NULL);
		return 0;
	}
	if (!(t1 > 0) || k1 == 0) {
		/* nothing before to hold the after run against */
		v = k2 > 0 ? V_NOT_FIXED : V_INCONCLUSIVE;
		snprintf(note, sizeof(note), "%s",
			 t1 > 0 ? "new after: absent before"
				: "no before exposure");
		to_fixed = INFINITY;
	} else {
		splat_seq_look(k1, t1, k2, t2, &p, &lk);
		v = splat_seq_verdict_name(lk.verdict);
		method = "look";
		if (strncmp(type, "lockdep", 7) == 0) {
			size_t n;
			double *ev = lockdep_event_times(
				sa,
				strcmp(type, "lockdep") ? splat_jstr(r, "name")
							: NULL,
				t2, &n);
			struct splat_seq_path path;

			if (!ev)
				return -1;
			if (splat_seq_path(k1, t1, ev, n, t2, &p, &path) == 0) {
				v = splat_seq_verdict_name(path.verdict);
				method = "path";
				kdec = path.k2;
				if (path.verdict != SPLAT_SEQ_CONTINUE)
					decided = path.decided_at;
			}
			free(ev);
		}
		if (!strcmp(v, V_CONTINUE)) {
			to_fixed = splat_seq_to_fixed(k1, t1, k2, t2, &p);
			if (splat_seq_expected_remaining(k1, t1, k2, t2, &p,
							 &rem) < 0)
				rem = NAN;
		} else {
			to_fixed = rem = 0.0;
		}
		if (isfinite(decided) && kdec < k2)
			snprintf(
				note, sizeof(note),
				"decided at %.3g h with %llu after; %llu after "
				"in all",
				decided, (unsigned long long)kdec,
				(unsigned long long)k2);
	}
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "verdict", json_object_new_string(v));
	splat_jadd_num(o, "alpha", alpha);
	splat_jadd_num(o, "tolerance", tol);
	if (max_h > 0)
		splat_jadd_num(o, "max_after_h", max_h);
	else
		json_object_object_add(o, "max_after_h", NULL);
	json_object_object_add(o, "method",
			       method ? json_object_new_string(method) : NULL);
	splat_jadd_num(o, "decided_at_h", decided);
	json_object_object_add(o, "after_at_decision",
			       json_object_new_int64((int64_t)kdec));
	splat_jadd_num(o, "e_fixed", lk.e_fixed);
	splat_jadd_num(o, "e_not_fixed", lk.e_not_fixed);
	splat_jadd_num(o, "to_fixed_h", to_fixed);
	splat_jadd_num(o, "expected_remaining_h", rem);
	json_object_object_add(o, "note",
			       note[0] ? json_object_new_string(note) : NULL);
	json_object_object_add(r, "sequential", o);
	return 0;
}

/* doc.sequential over the rows the verdict covers (compare.h) */
static struct json_object *sequential_overall(struct json_object *claims,
					      double alpha)
{
	struct json_object *o = json_object_new_object();
	const char *verdict = V_FIXED;
	double to_fixed = 0.0, rem = 0.0;
	size_t n = json_object_array_length(claims);

	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(claims, i);
		struct json_object *sq = splat_jpath(r, "sequential");
		const char *v = sq ? splat_jstr(sq, "verdict") : NULL;

		if (!v)
			continue;
		if (!strcmp(v, V_NOT_FIXED)) {
			verdict = V_NOT_FIXED;
		} else if (!strcmp(v, V_CONTINUE)) {
			if (strcmp(verdict, V_NOT_FIXED))
				verdict = V_CONTINUE;
		} else if (!strcmp(v, V_INCONCLUSIVE)) {
			if (!strcmp(verdict, V_FIXED))
				verdict = V_INCONCLUSIVE;
		}
		if (strcmp(v, V_FIXED) && strcmp(v, V_NOT_FIXED)) {
			double f = splat_jnum(sq, "to_fixed_h", INFINITY);
			double m = splat_jnum(sq, "expected_remaining_h", NAN);

			to_fixed = fmax(to_fixed, f);
			rem = isnan(m) || isnan(rem) ? NAN : fmax(rem, m);
		}
	}
	if (!n) {
		verdict = V_INCONCLUSIVE;
		to_fixed = rem = INFINITY;
	}
	if (!strcmp(verdict, V_NOT_FIXED) || !strcmp(verdict, V_FIXED))
		to_fixed = rem = 0.0;
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	splat_jadd_num(o, "alpha", alpha);
	splat_jadd_num(o, "to_fixed_h", to_fixed);
	splat_jadd_num(o, "expected_remaining_h", rem);
	json_object_object_add(
		o, "method",
		json_object_new_string(
			"mixture likelihood ratio on the conditional Polya "
			"model with Ville's inequality (splat sequential.h)"));
	return o;
}

/* ---- predictions ----------------------------------------------------------
 */

static struct json_object *find_row(struct json_object *rows, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);

		if (!strcmp(splat_jstr(r, "name"), name) ||
		    !strcmp(splat_jstr(r, "title"), name))
			return r;
	}
	/* "lockdep splat", "Pattern A": case- and space-insensitive forms */
	char want[160];
	size_t n = 0;

	for (const char *c = name; *c && n + 1 < sizeof(want); c++)
		want[n++] = *c == ' ' || *c == '_'
				    ? '-'
				    : (char)(*c | (*c >= 'A' && *c <= 'Z' ? 0x20
									  : 0));
	want[n] = '\0';
	if (!strncmp(want, "lockdep", 7))
		strcpy(want, "lockdep");
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);

		if (!strcmp(splat_jstr(r, "name"), want))
			return r;
	}
	return NULL;
}

static struct json_object *judge_prediction(const struct splat_prediction *pr,
					    const char *text,
					    struct json_object *row,
					    double conf)
{
	struct json_object *o = json_object_new_object();
	const char *status;
	char why[512];
	char hb[32];

	json_object_object_add(o, "text", json_object_new_string(text));
	json_object_object_add(o, "name", json_object_new_string(pr->name));
	splat_jadd_num(o, "predicted_before_per_h", pr->before_rate);
	splat_jadd_num(o, "predicted_after_per_h", pr->after_rate);
	if (!row) {
		json_object_object_add(o, "row", NULL);
		json_object_object_add(
			o, "status",
			json_object_new_string("not yet decidable"));
		snprintf(why, sizeof(why),
			 "no pattern or lockdep signature named '%s' in these "
			 "runs",
			 pr->name);
		json_object_object_add(o, "why", json_object_new_string(why));
		return o;
	}
	const char *verdict = splat_jstr(row, "verdict");
	double k2 = splat_jnum(row, "after.count", 0);
	double t2 = splat_jnum(row, "after.exposure_h", 0);
	double r1 = splat_jnum(row, "before.rate_per_h", NAN);
	double lo = NAN, hi = NAN;
	struct json_object *ci = splat_jpath(row, "after.ci");

	if (ci) {
		lo = json_object_get_double(json_object_array_get_idx(ci, 0));
		hi = json_object_get_double(json_object_array_get_idx(ci, 1));
	}
	json_object_object_add(o, "row",
			       json_object_new_string(splat_jstr(row, "name")));
	if (!(t2 > 0)) {
		status = "not yet decidable";
		snprintf(why, sizeof(why), "no after exposure");
	} else if (pr->after_rate == 0.0) {
		if (k2 > 0) {
			status = "failed";
			snprintf(why, sizeof(why), "%.0f after in %s", k2,
				 splat_format_hours(t2, hb, sizeof(hb)));
		} else if (!strcmp(verdict, V_FIXED)) {
			status = "held";
			snprintf(
				why, sizeof(why),
				"0 in %s; significantly below before (p = %.2g)",
				splat_format_hours(t2, hb, sizeof(hb)),
				splat_jnum(row, "p_value", 1));
		} else {
			char mb[32];

			status = "not yet decidable";
			snprintf(why, sizeof(why),
				 "0 in %s so far; soak at least %s more",
				 splat_format_hours(t2, hb, sizeof(hb)),
				 splat_format_hours(
					 splat_jnum(row, "more_hours", NAN), mb,
					 sizeof(mb)));
		}
	} else {
		/* a non-zero prediction holds when it lies in the after
		 * interval and the interval excludes the before rate */
		int inside = pr->after_rate >= lo && pr->after_rate <= hi;
		int sep = isfinite(r1) && (r1 < lo || r1 > hi);

		if (!inside) {
			status = "failed";
			snprintf(why, sizeof(why),
				 "observed %.3g/h, %.0f%% interval %.3g-%.3g/h "
				 "excludes %.3g/h",
				 k2 / t2, conf * 100, lo, hi, pr->after_rate);
		} else if (sep) {
			status = "held";
			snprintf(why, sizeof(why),
				 "observed %.3g/h, interval %.3g-%.3g/h holds "
				 "%.3g/h and excludes the before rate",
				 k2 / t2, lo, hi, pr->after_rate);
		} else {
			status = "not yet decidable";
			snprintf(why, sizeof(why),
				 "interval %.3g-%.3g/h holds both the "
				 "prediction and the before rate",
				 lo, hi);
		}
	}
	if (isfinite(r1) && pr->before_rate > 0) {
		struct json_object *bci = splat_jpath(row, "before.ci");
		double blo = json_object_get_double(
			json_object_array_get_idx(bci, 0));
		double bhi = json_object_get_double(
			json_object_array_get_idx(bci, 1));
		int ok = pr->before_at_least ? bhi >= pr->before_rate
					     : (pr->before_rate >= blo &&
						pr->before_rate <= bhi);

		json_object_object_add(o, "before_consistent",
				       json_object_new_boolean(ok));
	}
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "why", json_object_new_string(why));
	return o;
}

/* ---- the document ---------------------------------------------------------
 */

static void workload_warnings(const struct side *b, const struct side *a,
			      double tol, struct json_object *w)
{
	const struct side *sides[2] = {b, a};

	for (int i = 0; i < 2; i++)
		if (sides[i]->runs_without_ops)
			splat_json_warn(
				w,
				"workload of %d %s run(s) is unknown (no ops.jsonl%s): "
				"cannot check that before and after ran the same "
				"workload",
				sides[i]->runs_without_ops, sides[i]->name,
				sides[i]->transcribed ? ", transcribed" : "");
	if (b->runs_without_ops || a->runs_without_ops || !(b->ops_h > 0) ||
	    !(a->ops_h > 0))
		return;
	double rb = b->ops / b->ops_h, ra = a->ops / a->ops_h;
	double sb = b->scans / b->ops_h, sa = a->scans / a->ops_h;

	if (rb > 0 && fabs(ra / rb - 1.0) > tol)
		splat_json_warn(
			w,
			"workload mismatch: %.1f ops/h before vs %.1f ops/h after "
			"(%+.0f%%, tolerance %.0f%%)",
			rb, ra, (ra / rb - 1.0) * 100, tol * 100);
	if (sb > 0 && fabs(sa / sb - 1.0) > tol)
		splat_json_warn(
			w,
			"workload mismatch: %.1f scans/h before vs %.1f scans/h "
			"after (%+.0f%%, tolerance %.0f%%)",
			sb, sa, (sa / sb - 1.0) * 100, tol * 100);
}

/* Claim kinds (splat_op_claim) failing on a side, or succeeding in shares
 * that differ between the sides by more than the workload tolerance
 * (relative to before). */
static void op_failure_warnings(const struct side *b, const struct side *a,
				double max_fail, double tol,
				struct json_object *w)
{
	const struct side *sides[2] = {b, a};
	struct json_object *sh[2];

	for (int i = 0; i < 2; i++) {
		sh[i] = splat_ops_shares(sides[i]->kinds);
		if (!sides[i]->runs_without_ops)
			splat_ops_failure_warnings(sh[i], sides[i]->name,
						   max_fail, w);
	}
	if (b->runs_without_ops || a->runs_without_ops)
		goto out;
	json_object_object_foreach(sh[0], op, eb)
	{
		struct json_object *ea;

		if (!splat_op_claim(op) ||
		    !json_object_object_get_ex(sh[1], op, &ea))
			continue;
		struct json_object *jb = splat_jpath(eb, "succeeded_share");
		struct json_object *ja = splat_jpath(ea, "succeeded_share");

		if (!jb || !ja)
			continue;
		double sb = json_object_get_double(jb);
		double sa = json_object_get_double(ja);

		if (sb > 0 ? fabs(sa / sb - 1.0) > tol : sa > 0)
			splat_json_warn(
				w,
				"workload mismatch: %s succeeded in %.0f %% of "
				"its operations before vs %.0f %% after "
				"(tolerance %.0f %%): the sides did not drive "
				"the same paths",
				op, sb * 100, sa * 100, tol * 100);
	}
out:
	json_object_put(sh[0]);
	json_object_put(sh[1]);
}

static void srcversion_warning(struct splat_bundle *const *before, size_t nb,
			       struct splat_bundle *const *after, size_t na,
			       struct json_object *w)
{
	for (size_t i = 0; i < na; i++) {
		const char *sa =
			splat_jstr(after[i]->meta, "driver.srcversion");

		for (size_t j = 0; sa && j < nb; j++) {
			const char *sb = splat_jstr(before[j]->meta,
						    "driver.srcversion");

			if (sb && !strcmp(sa, sb)) {
				splat_json_warn(
					w,
					"after run %s loaded the same driver "
					"(srcversion %s) as before run %s: was the "
					"patched driver installed?",
					splat_bundle_name(after[i]), sa,
					splat_bundle_name(before[j]));
				return;
			}
		}
	}
}

/* The rows: lockdep (any report), one per signature (time to first report
 * per boot), one per pattern. */
static struct json_object *build_rows(const struct side *sb,
				      const struct side *sa, double conf,
				      double scans1, double scans2)
{
	struct json_object *rows = json_object_new_array();

	/* lockdep: any report, then per signature (time to first report) */
	json_object_array_add(
		rows,
		make_row("lockdep", "lockdep", "lockdep report (any)",
			 first_reports(sb, NULL), sb->lockdep_h,
			 first_reports(sa, NULL), sa->lockdep_h, conf, 0, 0));
	struct json_object *signames = json_object_new_object();

	json_object_object_foreach(sb->sigs, s1, v1)
		json_object_object_add(signames, s1, json_object_get(v1));
	json_object_object_foreach(
		sa->sigs, s2,
		v2) if (!json_object_object_get_ex(signames, s2, NULL))
		json_object_object_add(signames, s2, json_object_get(v2));
	json_object_object_foreach(signames, sig, info)
	{
		struct json_object *r = make_row(
			"lockdep-signature", sig, splat_jstr(info, "title"),
			first_reports(sb, sig), sb->lockdep_h,
			first_reports(sa, sig), sa->lockdep_h, conf, 0, 0);

		json_object_object_add(
			r, "kind",
			json_object_new_string(
				splat_jstr(info, "kind")
					? splat_jstr(info, "kind")
					: "?"));
		json_object_array_add(rows, r);
	}
	json_object_put(signames);

	struct json_object *pnames = json_object_new_object();

	add_pattern_names(pnames, sb);
	add_pattern_names(pnames, sa);
	json_object_object_foreach(pnames, pname, pv)
	{
		(void)pv;
		struct json_object *p1 = NULL, *p2 = NULL;

		json_object_object_get_ex(sb->pats, pname, &p1);
		json_object_object_get_ex(sa->pats, pname, &p2);
		json_object_array_add(rows,
				      make_row("pattern", pname, pname,
					       splat_jnum(p1, "count", 0),
					       splat_jnum(p1, "exposure_h", 0),
					       splat_jnum(p2, "count", 0),
					       splat_jnum(p2, "exposure_h", 0),
					       conf, scans1, scans2));
	}
	json_object_put(pnames);

	return rows;
}

/* The per-device table (fleet.h) and its warnings. */
static void add_devices(struct json_object *doc, double tol)
{
	struct json_object *runs[2] = {
		splat_jpath(doc, "before.runs"),
		splat_jpath(doc, "after.runs"),
	};
	static const char *const names[2] = {"before", "after"};
	struct json_object *devs =
		splat_fleet_devices(runs, names, 2, splat_jpath(doc, "rows"),
				    tol, true, splat_jpath(doc, "warnings"));

	json_object_object_add(
		doc, "device_count",
		json_object_new_int64((int64_t)splat_fleet_count(devs)));
	json_object_object_add(doc, "devices", devs);
}

struct json_object *splat_compare_run(const struct splat_bundle *b,
				      const char *side)
{
	struct side s;
	struct json_object *w = json_object_new_array(), *r;

	side_init(&s, side);
	side_add(&s, b, w);
	r = json_object_get(json_object_array_get_idx(s.runs, 0));
	json_object_put(w);
	side_free(&s);
	return r;
}

struct json_object *
splat_compare(struct splat_bundle *const *before, size_t n_before,
	      struct splat_bundle *const *after, size_t n_after,
	      const struct splat_compare_opts *opts, char *err, size_t errlen)
{
	double conf = opts && opts->confidence > 0 ? opts->confidence : 0.95;
	double tol = opts && opts->workload_tolerance > 0
			     ? opts->workload_tolerance
			     : 0.25;
	double max_fail = opts && opts->max_op_failure > 0
				  ? opts->max_op_failure
				  : SPLAT_MAX_OP_FAILURE;
	struct splat_prediction *preds = NULL;
	size_t npred = opts ? opts->n_predict : 0;

	if (npred) {
		preds = calloc(npred, sizeof(*preds));
		if (!preds) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		for (size_t i = 0; i < npred; i++)
			if (splat_prediction_parse(opts->predict[i], &preds[i],
						   err, errlen) < 0) {
				free(preds);
				return NULL;
			}
	}
	struct side sb, sa;
	struct json_object *w = json_object_new_array();

	side_init(&sb, "before");
	side_init(&sa, "after");
	for (size_t i = 0; i < n_before; i++)
		side_add(&sb, before[i], w);
	for (size_t i = 0; i < n_after; i++)
		side_add(&sa, after[i], w);
	workload_warnings(&sb, &sa, tol, w);
	op_failure_warnings(&sb, &sa, max_fail, tol, w);
	srcversion_warning(before, n_before, after, n_after, w);

	double scans1 = sb.runs_without_ops ? 0 : sb.scans;
	double scans2 = sa.runs_without_ops ? 0 : sa.scans;
	struct json_object *rows = build_rows(&sb, &sa, conf, scans1, scans2);

	/* predictions, and which rows the verdict covers */
	struct json_object *pj = json_object_new_array();
	struct json_object *claims = json_object_new_array();

	for (size_t i = 0; i < npred; i++) {
		struct json_object *row = find_row(rows, preds[i].name);

		json_object_array_add(pj, judge_prediction(&preds[i],
							   opts->predict[i],
							   row, conf));
		if (row)
			json_object_array_add(claims, json_object_get(row));
	}
	if (!npred)
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			struct json_object *r =
				json_object_array_get_idx(rows, i);

			if (strcmp(splat_jstr(r, "verdict"), "no events"))
				json_object_array_add(claims,
						      json_object_get(r));
		}
	/* the sequential verdict of every row: tolerance 0 for a row
	 * predicted to drop to 0 */
	double seq_tol = opts && opts->seq_tolerance_set
				 ? opts->seq_tolerance
				 : SEQ_DEFAULT_TOLERANCE;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		double t = seq_tol;

		for (size_t j = 0; j < npred; j++)
			if (preds[j].after_rate == 0.0 &&
			    find_row(rows, preds[j].name) == r)
				t = 0.0;
		if (add_sequential(r, &sa, 1.0 - conf, t,
				   opts ? opts->seq_max_after_h : 0) < 0) {
			snprintf(err, errlen, "out of memory");
			json_object_put(rows);
			json_object_put(pj);
			json_object_put(claims);
			json_object_put(w);
			side_free(&sb);
			side_free(&sa);
			free(preds);
			return NULL;
		}
	}

	const char *verdict = V_FIXED;
	double more = 0;
	int n_claims = (int)json_object_array_length(claims);

	for (int i = 0; i < n_claims; i++) {
		struct json_object *r = json_object_array_get_idx(claims, i);
		const char *v = splat_jstr(r, "verdict");

		if (!strcmp(v, V_NOT_FIXED))
			verdict = V_NOT_FIXED;
		else if (!strcmp(v, V_INCONCLUSIVE)) {
			if (strcmp(verdict, V_NOT_FIXED))
				verdict = V_INCONCLUSIVE;
			double m = splat_jnum(r, "more_hours", INFINITY);

			more = fmax(more, isfinite(m) ? m : INFINITY);
		}
	}
	if (!n_claims) {
		verdict = V_INCONCLUSIVE;
		more = INFINITY;
		splat_json_warn(
			w, "no events before or after: nothing to compare");
	}

	struct json_object *doc = json_object_new_object();

	json_object_object_add(
		doc, "schema",
		json_object_new_string("besser-verify/compare/1"));
	splat_jadd_num(doc, "confidence", conf);
	splat_jadd_num(doc, "workload_tolerance", tol);
	splat_jadd_num(doc, "max_op_failure", max_fail);
	json_object_object_add(doc, "verdict", json_object_new_string(verdict));
	if (!strcmp(verdict, V_INCONCLUSIVE))
		splat_jadd_num(doc, "more_hours", more);
	else
		json_object_object_add(doc, "more_hours", NULL);
	json_object_object_add(doc, "warnings", w);
	json_object_object_add(doc, "predictions", pj);
	json_object_object_add(doc, "before", side_json(&sb));
	json_object_object_add(doc, "after", side_json(&sa));
	json_object_object_add(doc, "rows", rows);
	add_devices(doc, tol);
	struct json_object *cn = json_object_new_array();

	for (int i = 0; i < n_claims; i++)
		json_object_array_add(
			cn,
			json_object_new_string(splat_jstr(
				json_object_array_get_idx(claims, i), "name")));
	json_object_object_add(doc, "verdict_covers", cn);
	{
		struct json_object *sq = sequential_overall(claims, 1.0 - conf);
		const char *sv = splat_jstr(sq, "verdict");
		/* undecided is undecided, whichever word each uses */
		int agree = !strcmp(sv, verdict) ||
			    (!strcmp(verdict, V_INCONCLUSIVE) &&
			     !strcmp(sv, V_CONTINUE));

		json_object_object_add(doc, "sequential", sq);
		json_object_object_add(doc, "verdicts_agree",
				       json_object_new_boolean(agree));
		json_object_object_add(
			doc, "exit_follows",
			json_object_new_string(opts && opts->sequential
						       ? "sequential"
						       : "fixed-sample"));
	}
	json_object_put(claims);
	side_free(&sb);
	side_free(&sa);
	free(preds);
	return doc;
}
