/* SPDX-License-Identifier: MIT */
/*
 * test_compare - before/after verdicts on the fixture bundles: fixed, not
 * fixed, inconclusive, lockdep off at the end, reboot mid-run, lost
 * records; the transcribed seed baseline as --before; predictions; the
 * Markdown puts warnings above the verdict; a workload whose traffic mostly
 * failed warns above the verdict (per kind success shares), a healthy one
 * does not.  The sequential verdict next to the fixed-sample one: a growing
 * after run looked at again and again gives "continue" until its boundary,
 * then "fixed"; equal rates looked at every 15 min keep the false "fixed"
 * rate at alpha; --sequential moves exit_follows.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "bundle_fixtures.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/stats.h"
#include "test_util.h"

static struct json_object *run_compare(const char *before, const char *after,
				       const char *const *pred, size_t npred)
{
	struct splat_bundle *b = fx_load(before, 0), *a = fx_load(after, 0);
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25,
				       .predict = pred,
				       .n_predict = npred};
	char err[512];

	assert_non_null(b);
	assert_non_null(a);
	struct json_object *doc =
		splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));

	if (!doc)
		print_error("compare: %s\n", err);
	assert_non_null(doc);
	splat_bundle_free(b);
	splat_bundle_free(a);
	return doc;
}

static struct json_object *row(struct json_object *doc, const char *name)
{
	struct json_object *rows = splat_jpath(doc, "rows");

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);

		if (!strcmp(splat_jstr(r, "name"), name))
			return r;
	}
	print_error("no row %s\n", name);
	fail();
	return NULL;
}

static size_t n_warnings(struct json_object *doc)
{
	return json_object_array_length(splat_jpath(doc, "warnings"));
}

static void test_fixed(void **state)
{
	(void)state;
	struct json_object *d = run_compare("before", "after-fixed", NULL, 0);

	assert_string_equal(splat_jstr(d, "verdict"), "fixed");
	assert_int_equal(n_warnings(d), 0);
	struct json_object *ld = row(d, "lockdep");
	double t1 = splat_jnum(ld, "before.exposure_h", 0);
	double t2 = splat_jnum(ld, "after.exposure_h", 0);

	assert_int_equal((int)splat_jnum(ld, "before.count", -1), 1);
	assert_int_equal((int)splat_jnum(ld, "after.count", -1), 0);
	assert_true(fabs(t1 - 5140.123 / 3600) < 0.01);
	assert_true(fabs(t2 - 30.0) < 0.05);
	/* k2 = 0: p = (T1/(T1+T2))^k1 */
	assert_true(fabs(splat_jnum(ld, "p_value", 1) - t1 / (t1 + t2)) <
		    1e-12);
	assert_string_equal(splat_jstr(ld, "verdict"), "fixed");
	assert_string_equal(splat_jstr(row(d, "pattern-a"), "verdict"),
			    "fixed");
	/* the per-signature row matches the any-report row here */
	struct json_object *rows = splat_jpath(d, "rows");
	int sig = 0;

	for (size_t i = 0; i < json_object_array_length(rows); i++)
		sig += !strcmp(
			splat_jstr(json_object_array_get_idx(rows, i), "type"),
			"lockdep-signature");
	assert_int_equal(sig, 1);
	json_object_put(d);
}

static void test_not_fixed(void **state)
{
	(void)state;
	struct json_object *d =
		run_compare("before", "after-notfixed", NULL, 0);

	assert_string_equal(splat_jstr(d, "verdict"), "not fixed");
	assert_string_equal(splat_jstr(row(d, "lockdep"), "verdict"),
			    "not fixed");
	struct json_object *pa = row(d, "pattern-a");

	assert_string_equal(splat_jstr(pa, "verdict"), "not fixed");
	assert_true(splat_jnum(pa, "after.count", 0) >= 40);
	assert_true(splat_jnum(pa, "p_value", 0) > 0.05);
	json_object_put(d);
}

static void test_inconclusive(void **state)
{
	(void)state;
	struct json_object *d = run_compare("before", "after-short", NULL, 0);
	struct json_object *ld = row(d, "lockdep");
	double t1 = splat_jnum(ld, "before.exposure_h", 0);
	double t2 = splat_jnum(ld, "after.exposure_h", 0);

	assert_string_equal(splat_jstr(d, "verdict"), "inconclusive");
	assert_string_equal(splat_jstr(ld, "verdict"), "inconclusive");
	/* one splat before: 19 x its exposure with zero after */
	assert_true(fabs(splat_jnum(ld, "more_hours", 0) - (19 * t1 - t2)) <
		    1e-6);
	assert_true(fabs(splat_jnum(d, "more_hours", 0) - (19 * t1 - t2)) <
		    1e-6);
	/* Pattern A is already decided after 1 h */
	assert_string_equal(splat_jstr(row(d, "pattern-a"), "verdict"),
			    "fixed");
	json_object_put(d);
}

static void test_lockdep_off_at_end(void **state)
{
	(void)state;
	struct json_object *d =
		run_compare("before", "after-lockdepoff", NULL, 0);
	struct json_object *ld = row(d, "lockdep");

	/* 30 h of log, but lockdep stopped at 2 h: no negative past it */
	assert_true(fabs(splat_jnum(ld, "after.exposure_h", 0) - 2.0) < 0.01);
	assert_string_equal(splat_jstr(ld, "verdict"), "inconclusive");
	assert_string_equal(splat_jstr(d, "verdict"), "inconclusive");
	assert_true(test_has_warning(d, "turned itself off"));
	assert_true(test_has_warning(d, "max-too-low"));
	/* patterns still count the whole observed time */
	assert_true(
		fabs(splat_jnum(row(d, "pattern-a"), "after.exposure_h", 0) -
		     30.0) < 0.05);
	struct json_object *boots = splat_jpath(d, "after.boots");

	assert_string_equal(
		splat_jstr(json_object_array_get_idx(boots, 0), "censored_by"),
		"lockdep-off");
	json_object_put(d);
}

static void test_reboot_mid_run(void **state)
{
	(void)state;
	struct json_object *d = run_compare("before", "after-reboot", NULL, 0);
	struct json_object *boots = splat_jpath(d, "after.boots");

	assert_int_equal(json_object_array_length(boots), 2);
	assert_true(fabs(splat_jnum(row(d, "lockdep"), "after.exposure_h", 0) -
			 30.0) < 0.05);
	assert_string_equal(splat_jstr(d, "verdict"), "fixed");
	assert_true(test_has_warning(d, "incomplete"));
	assert_true(test_has_warning(d, "reboot at 15 h"));
	json_object_put(d);
}

static void test_lost_and_provenance(void **state)
{
	(void)state;
	struct json_object *d = run_compare("before", "after-lost", NULL, 0);

	assert_string_equal(splat_jstr(d, "verdict"), "fixed");
	assert_true(test_has_warning(d, "lost 50 kmsg records"));
	assert_true(test_has_warning(
		d, "missing provenance: driver srcversion, patch "
		   "series hash"));
	assert_true(test_has_warning(
		d, "workload mismatch: 12.0 ops/h before vs 6.0"));
	json_object_put(d);
}

static void test_transcribed_before(void **state)
{
	(void)state;
	struct json_object *d = run_compare("results/reference/seed-baseline",
					    "after-fixed", NULL, 0);
	struct json_object *pa = row(d, "pattern-a");
	double lo, hi;

	assert_true(
		test_has_warning(d, "transcribed figures without raw logs"));
	assert_true(test_has_warning(d, "is assumed, not recorded"));
	assert_true(
		test_has_warning(d, "workload of 1 before run(s) is unknown"));
	assert_int_equal((int)splat_jnum(pa, "before.count", 0), 43);
	assert_true(fabs(splat_jnum(pa, "before.rate_per_h", 0) - 14.333) <
		    0.001);
	splat_poisson_mean_ci(43, 0.95, &lo, &hi);
	assert_true(fabs(json_object_get_double(json_object_array_get_idx(
				 splat_jpath(pa, "before.ci"), 0)) -
			 lo / 3) < 1e-9);
	/* 1.43 h before, 30 h after: enough for the one splat */
	assert_string_equal(splat_jstr(row(d, "lockdep"), "verdict"), "fixed");
	assert_true(splat_jnum(d, "before.transcribed", 0) != 0);
	json_object_put(d);
}

static void test_debug_locks_off_without_event(void **state)
{
	(void)state;
	const char *dir = fx_copy("after-fixed");
	char saved[256], path[512], err[512];

	assert_non_null(dir);
	snprintf(saved, sizeof(saved), "%s", dir);
	snprintf(path, sizeof(path), "%s/meta.json", saved);
	struct json_object *m = splat_json_read_file(path, err, sizeof(err));

	assert_non_null(m);
	json_object_object_add(splat_jpath(m, "lockdep_stats.end"),
			       "debug_locks", json_object_new_int(0));
	assert_int_equal(splat_json_write_file(path, m), 0);
	json_object_put(m);

	struct splat_bundle *b = fx_load("before", 0);
	struct splat_bundle *a = splat_bundle_load(saved, 0, err, sizeof(err));
	struct splat_compare_opts o = {.confidence = 0.95};

	assert_non_null(b);
	assert_non_null(a);
	struct json_object *d =
		splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));

	assert_non_null(d);
	/* lockdep was off at the end and nothing in the log says when: the
	 * 30 h are not a negative */
	assert_true(splat_jnum(row(d, "lockdep"), "after.exposure_h", -1) == 0);
	assert_string_equal(splat_jstr(row(d, "lockdep"), "verdict"),
			    "inconclusive");
	assert_true(test_has_warning(d, "not counted as lockdep exposure"));
	assert_string_equal(splat_jstr(d, "verdict"), "inconclusive");
	json_object_put(d);
	splat_bundle_free(b);
	splat_bundle_free(a);
	fx_rmdir(saved);
}

static const char *pred_status(struct json_object *d, size_t i)
{
	return splat_jstr(
		json_object_array_get_idx(splat_jpath(d, "predictions"), i),
		"status");
}

static void test_predictions(void **state)
{
	(void)state;
	static const char *const p[] = {
		"pattern-a: 14/h -> 0/h",
		"Lockdep splat: 1+/5140s uptime -> 0/equivalent-or-greater uptime",
		"no-such-pattern: 3/h -> 0",
	};
	struct json_object *d = run_compare("before", "after-fixed", p, 3);

	assert_string_equal(pred_status(d, 0), "held");
	assert_string_equal(pred_status(d, 1), "held");
	assert_string_equal(pred_status(d, 2), "not yet decidable");
	/* with predictions the verdict covers the predicted rows */
	assert_int_equal(
		json_object_array_length(splat_jpath(d, "verdict_covers")), 2);
	json_object_put(d);

	d = run_compare("before", "after-short", p, 2);
	assert_string_equal(pred_status(d, 0), "held");
	assert_string_equal(pred_status(d, 1), "not yet decidable");
	assert_string_equal(splat_jstr(d, "verdict"), "inconclusive");
	json_object_put(d);

	d = run_compare("before", "after-notfixed", p, 2);
	assert_string_equal(pred_status(d, 0), "failed");
	assert_string_equal(pred_status(d, 1), "failed");
	json_object_put(d);

	/* only the Pattern A claim: the verdict ignores the lockdep row */
	d = run_compare("before", "after-short", p, 1);
	assert_string_equal(splat_jstr(d, "verdict"), "fixed");
	json_object_put(d);

	/* a syntax error is an error, not a silent "no prediction" */
	static const char *const bad[] = {"pattern-a 14/h -> 0"};
	struct splat_bundle *b = fx_load("before", 0),
			    *a = fx_load("after-fixed", 0);
	struct splat_compare_opts o = {
		.confidence = 0.95, .predict = bad, .n_predict = 1};
	char err[256];

	assert_null(splat_compare(&b, 1, &a, 1, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "pattern-a 14/h"));
	splat_bundle_free(b);
	splat_bundle_free(a);
}

static char *markdown(struct json_object *d)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	splat_compare_markdown(f, d);
	char *md = fx_slurp(f);

	fclose(f);
	assert_non_null(md);
	return md;
}

static void test_failing_traffic(void **state)
{
	(void)state;
	struct json_object *d =
		run_compare("before", "after-trafficfail", NULL, 0);
	struct json_object *t = splat_jpath(d, "after.ops_by_kind.traffic");

	/* gen-bundles.py: 60 traffic operations, 2 of every 3 failed */
	assert_non_null(t);
	assert_int_equal((int)splat_jnum(t, "count", 0), 60);
	assert_int_equal((int)splat_jnum(t, "performed", 0), 60);
	assert_int_equal((int)splat_jnum(t, "failed", 0), 40);
	assert_true(fabs(splat_jnum(t, "succeeded_share", 0) - 20.0 / 60) <
		    1e-12);
	assert_true(fabs(splat_jnum(t, "failed_share", 0) - 40.0 / 60) < 1e-12);
	assert_non_null(splat_jstr(t, "claim"));
	/* before: every traffic op ok; refused scans count as answered */
	assert_true(splat_jnum(d, "before.ops_by_kind.traffic.succeeded_share",
			       0) == 1.0);
	assert_true(
		splat_jnum(d, "after.ops_by_kind.scan-5g-multi.succeeded_share",
			   0) == 1.0);
	assert_true(fabs(splat_jnum(d, "max_op_failure", 0) - 0.20) < 1e-12);
	assert_true(test_has_warning(
		d, "after: traffic failed in 40 of 60 operations (67 %"));
	assert_true(test_has_warning(
		d, "workload mismatch: traffic succeeded in 100 % of its "
		   "operations before vs 33 % after"));
	assert_false(test_has_warning(d, "before: traffic"));
	assert_false(test_has_warning(d, "conn-cycle"));
	/* the verdict itself is the statistics' (a warning, not a veto) */
	assert_string_equal(splat_jstr(d, "verdict"), "fixed");

	char *md = markdown(d);
	const char *w = strstr(md, "after: traffic failed in 40 of 60");
	const char *v = strstr(md, "**Verdict: fixed**");

	assert_non_null(w);
	assert_non_null(v);
	assert_true(strstr(md, "### Warnings") < w);
	assert_true(w < v);
	assert_non_null(strstr(md, "### Workload by operation"));
	assert_non_null(
		strstr(md, "| `traffic` | 6 of 6 (100 %) | 20 of 60 (33 %) |"));
	free(md);
	json_object_put(d);

	/* a looser threshold: no failure warning, the mismatch stays */
	struct splat_bundle *b = fx_load("before", 0),
			    *a = fx_load("after-trafficfail", 0);
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25,
				       .max_op_failure = 0.70};
	char err[256];

	d = splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));
	assert_non_null(d);
	assert_false(test_has_warning(d, "traffic failed in"));
	assert_true(
		test_has_warning(d, "workload mismatch: traffic succeeded"));
	json_object_put(d);
	/* and a tolerance that allows it: no warning about traffic at all */
	o.workload_tolerance = 0.7;
	d = splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));
	assert_non_null(d);
	assert_false(test_has_warning(d, "traffic"));
	json_object_put(d);
	splat_bundle_free(b);
	splat_bundle_free(a);
}

static void test_healthy_workload(void **state)
{
	(void)state;
	struct json_object *d = run_compare("before", "after-fixed", NULL, 0);
	char *md = markdown(d);

	/* busy operations are deferred, not failed: no warning */
	assert_true(splat_jnum(d, "after.ops_by_kind.conn-cycle.busy", 0) > 0);
	assert_true(splat_jnum(d,
			       "after.ops_by_kind.conn-cycle.succeeded_share",
			       0) == 1.0);
	assert_null(strstr(md, "### Warnings"));
	assert_null(strstr(md, "failed in"));
	assert_non_null(strstr(md, "### Workload by operation"));
	free(md);
	json_object_put(d);
}

static void test_markdown(void **state)
{
	(void)state;
	struct json_object *d =
		run_compare("before", "after-lockdepoff", NULL, 0);
	FILE *f = tmpfile();

	assert_non_null(f);
	splat_compare_markdown(f, d);
	char *md = fx_slurp(f);

	fclose(f);
	assert_non_null(md);
	const char *w = strstr(md, "### Warnings");
	const char *v = strstr(md, "**Verdict: inconclusive — soak at least ");

	assert_non_null(w);
	assert_non_null(v);
	assert_true(w < v);
	assert_non_null(strstr(md, "### Rates"));
	assert_non_null(strstr(md, "| **lockdep report (any)** |"));
	assert_non_null(
		strstr(md, "### Lockdep: time to first report, per boot"));
	/* every table row has the same number of cells as its header */
	size_t rows =
		fx_count(md, "\n| before |") + fx_count(md, "\n| after |");

	assert_true(rows >= 4);
	assert_null(strstr(md, "<script"));
	free(md);
	json_object_put(d);
}

/* Set the after bundle's exposure and Pattern A count, as if its run had
 * got this far (compare reads the summary, recomputed once at load). */
static void grow_after(struct splat_bundle *a, double hours, double pa_count)
{
	struct json_object *bt = splat_jpath(a->summary, "boots.0");
	struct json_object *pats = splat_jpath(a->summary, "patterns");

	json_object_object_add(bt, "observed_h", json_object_new_double(hours));
	json_object_object_add(bt, "lockdep_active_h",
			       json_object_new_double(hours));
	for (size_t i = 0; pats && i < json_object_array_length(pats); i++) {
		struct json_object *p = json_object_array_get_idx(pats, i);

		if (strcmp(splat_jstr(p, "name"), "pattern-a"))
			continue;
		json_object_object_add(p, "count",
				       json_object_new_double(pa_count));
		json_object_object_add(p, "exposure_h",
				       json_object_new_double(hours));
	}
}

static void test_sequential_growing(void **state)
{
	(void)state;
	static const char *const p[] = {"lockdep: 1+/5140s -> 0"};
	struct splat_bundle *b = fx_load("before", 0);
	struct splat_bundle *a = fx_load("after-fixed", 0);
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25,
				       .predict = p,
				       .n_predict = 1};
	char err[256];
	int looks = 0, continued = 0, fixed_from = -1;
	double boundary = NAN;

	assert_non_null(b);
	assert_non_null(a);
	/* every 30 min, 0 lockdep reports after: continue, then fixed from
	 * the boundary on, never back */
	for (double h = 0.5; h <= 30.0; h += 0.5, looks++) {
		grow_after(a, h, 0);
		struct json_object *d =
			splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));

		assert_non_null(d);
		struct json_object *ld = row(d, "lockdep");
		const char *sv = splat_jstr(ld, "sequential.verdict");

		assert_non_null(sv);
		/* predicted to drop to 0: tolerance 0 */
		assert_true(splat_jnum(ld, "sequential.tolerance", -1) == 0.0);
		assert_string_equal(splat_jstr(d, "exit_follows"),
				    "fixed-sample");
		if (!strcmp(sv, "continue")) {
			assert_int_equal(fixed_from, -1);
			continued++;
			double tf =
				splat_jnum(ld, "sequential.to_fixed_h", NAN);

			assert_true(tf > 0);
			if (isnan(boundary))
				boundary = h + tf;
			/* the boundary does not move while nothing happens */
			assert_true(fabs(h + tf - boundary) < 1e-9);
			/* tolerance 0: the expected remaining time is exact */
			assert_true(
				splat_jnum(ld,
					   "sequential.expected_remaining_h",
					   -1) > 0);
			assert_string_equal(splat_jstr(d, "sequential.verdict"),
					    "continue");
		} else {
			assert_string_equal(sv, "fixed");
			if (fixed_from < 0)
				fixed_from = looks;
			assert_true(h >= boundary - 1e-9);
			assert_true(splat_jnum(ld, "sequential.decided_at_h",
					       NAN) <= h);
		}
		json_object_put(d);
	}
	assert_true(continued >= 2);
	assert_true(fixed_from > 0);
	/* tolerance 0 with no event: the fixed-sample zero-count soak,
	 * 19 x the before exposure at 95 % */
	double t1 = 5140.123 / 3600;

	assert_true(fabs(boundary - 19 * t1) < 0.01);

	/* an event after: not fixed at once (tolerance 0), whatever
	 * the fixed-sample test says */
	struct splat_bundle *nf = fx_load("after-notfixed", 0);
	struct json_object *d =
		splat_compare(&b, 1, &nf, 1, &o, err, sizeof(err));

	assert_non_null(d);
	assert_string_equal(splat_jstr(row(d, "lockdep"), "sequential.verdict"),
			    "not fixed");
	assert_string_equal(splat_jstr(row(d, "lockdep"), "sequential.method"),
			    "path");
	json_object_put(d);

	/* --sequential: the exit follows the sequential verdict, and the
	 * Markdown says so when the two differ */
	o.sequential = true;
	o.n_predict = 0;
	grow_after(a, 1.0, 0);
	d = splat_compare(&b, 1, &a, 1, &o, err, sizeof(err));
	assert_non_null(d);
	assert_string_equal(splat_jstr(d, "exit_follows"), "sequential");
	char *md = markdown(d);

	assert_non_null(strstr(md, "**Sequential verdict: "));
	assert_non_null(strstr(md, "| verdict | sequential |"));
	if (!splat_jnum(d, "verdicts_agree", 1))
		assert_non_null(strstr(md, "the exit code follows the "
					   "sequential one"));
	free(md);
	json_object_put(d);
	splat_bundle_free(nf);
	splat_bundle_free(a);
	splat_bundle_free(b);
}

/* splitmix64: a small deterministic generator for the simulation */
static uint64_t sm64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
	return ((double)(sm64(s) >> 11) + 1.0) * 0x1.0p-53;
}

static double poisson(uint64_t *s, double mean)
{
	double k = 0, t = -log(unif(s));

	while (t < mean) {
		k++;
		t -= log(unif(s));
	}
	return k;
}

/* Equal rates (Pattern A, 2/h before and after): looked at every 15 min for
 * 6 h, the sequential verdict says "fixed" in at most alpha of the pairs;
 * the fixed-sample verdict looked at the same way is the one that inflates
 * (printed for comparison). */
static void test_sequential_equal_rates(void **state)
{
	(void)state;
	struct splat_bundle *b = fx_load("before", 0);
	struct splat_bundle *a = fx_load("after-fixed", 0);
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25};
	const double rate = 2.0, t1 = 3.0, step = 0.25, tmax = 6.0;
	const int pairs = 400;
	int seq_fixed = 0, fs_fixed = 0;
	uint64_t seed = 0x13;
	char err[256];

	assert_non_null(b);
	assert_non_null(a);
	for (int i = 0; i < pairs; i++) {
		double k1 = poisson(&seed, rate * t1), k2 = 0;
		int seq_done = 0, fs_seen = 0;

		grow_after(b, t1, k1);
		for (double h = step; h <= tmax + 1e-9 && !seq_done;
		     h += step) {
			k2 += poisson(&seed, rate * step);
			grow_after(a, h, k2);
			struct json_object *d = splat_compare(&b, 1, &a, 1, &o,
							      err, sizeof(err));

			assert_non_null(d);
			struct json_object *pa = row(d, "pattern-a");
			const char *sv = splat_jstr(pa, "sequential.verdict");

			if (sv && !strcmp(sv, "fixed")) {
				seq_fixed++;
				seq_done = 1;
			} else if (sv && !strcmp(sv, "not fixed")) {
				seq_done = 1;
			}
			if (!strcmp(splat_jstr(pa, "verdict"), "fixed"))
				fs_seen = 1;
			json_object_put(d);
		}
		fs_fixed += fs_seen;
	}
	print_message("equal rates, %d pairs looked at every 15 min: false "
		      "fixed %d sequential, %d fixed-sample\n",
		      pairs, seq_fixed, fs_fixed);
	/* alpha = 0.05: 20 expected at most; 3 standard deviations over */
	assert_true(seq_fixed <= 20 + 13);
	splat_bundle_free(a);
	splat_bundle_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_not_fixed),
		cmocka_unit_test(test_inconclusive),
		cmocka_unit_test(test_lockdep_off_at_end),
		cmocka_unit_test(test_reboot_mid_run),
		cmocka_unit_test(test_lost_and_provenance),
		cmocka_unit_test(test_debug_locks_off_without_event),
		cmocka_unit_test(test_transcribed_before),
		cmocka_unit_test(test_predictions),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_failing_traffic),
		cmocka_unit_test(test_healthy_workload),
		cmocka_unit_test(test_sequential_growing),
		cmocka_unit_test(test_sequential_equal_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
