/* SPDX-License-Identifier: MIT */
/*
 * test_summary - per-boot exposure and counts, and the rates of
 * summary.json against the worked examples of the design notes
 * (43 events in 3.00 h -> 14.3/h, CI 10.4-19.3/h; zero in T -> 3.0/T).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "splat/bundle.h"
#include "splat/stats.h"
#include "splat/summary.h"
#include "splat_test_events.h"

#define H (3600LL * 1000000LL) /* one hour in usec */

static void record(struct splat_summary *s, unsigned boot, int64_t ts)
{
	struct splat_record r;
	memset(&r, 0, sizeof(r));
	r.boot = boot;
	r.ts_usec = ts;
	r.text = "x";
	r.text_len = 1;
	splat_summary_add_record(s, &r);
}

static void event(struct splat_summary *s, enum splat_event_type t,
		  const char *kind, unsigned boot, int64_t ts, uint64_t count,
		  bool disables, json_object *detail)
{
	struct splat_event e = {
		.type = t,
		.kind = kind,
		.title = kind,
		.signature = kind,
		.ts_usec = ts,
		.boot = boot,
		.count = count,
		.disables_lockdep = disables,
		.detail = detail,
	};
	splat_summary_add_event(s, &e);
	json_object_put(detail);
}

static json_object *role(const char *r)
{
	json_object *d = json_object_new_object();
	json_object_object_add(d, "role", json_object_new_string(r));
	return d;
}

static double num(json_object *doc, const char *path)
{
	json_object *v = splat_jpath(doc, path);
	if (!v) {
		print_error("no %s\n", path);
		fail();
	}
	return json_object_get_double(v);
}

static void near(double got, double want, double tol)
{
	if (fabs(got - want) > tol) {
		print_error("got %.6g want %.6g\n", got, want);
		fail();
	}
}

/* Boot 0: 3 h, a report at 1 h.  Boot 1: 2 h, lockdep off (MAX_*) at
 * 30 min, a later report that does not count.  Boot 2: 1 h, clean, an RCU
 * splat (does not turn lockdep off) and a WARN.  Boot 3: 1 h, an Oops at
 * 15 min. */
static void test_exposure(void **state)
{
	(void)state;
	struct splat_summary *s = splat_summary_new();
	record(s, 0, 0);
	record(s, 0, 3 * H);
	event(s, SPLAT_EV_LOCKDEP, "irq-safe-unsafe", 0, 1 * H, 1, true, NULL);
	record(s, 1, 0);
	record(s, 1, 2 * H);
	event(s, SPLAT_EV_LOCKDEP_OFF, "max-too-low", 1, H / 2, 1, true, NULL);
	event(s, SPLAT_EV_LOCKDEP, "circular", 1, H, 1, true, NULL);
	record(s, 2, 0);
	record(s, 2, H);
	event(s, SPLAT_EV_LOCKDEP, "rcu", 2, H / 4, 1, false, NULL);
	event(s, SPLAT_EV_BUG, "warning", 2, H / 4, 1, false, NULL);
	record(s, 3, 0);
	record(s, 3, H);
	event(s, SPLAT_EV_BUG, "oops", 3, H / 4, 1, true, NULL);
	splat_summary_set_bad_lines(s, 5);

	json_object *doc = splat_summary_to_json(s, 0.95);
	printf("%s\n",
	       json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY));
	assert_string_equal(splat_jstr(doc, "schema"),
			    "besser-verify/summary/1");
	assert_int_equal(num(doc, "input.records"), 8);
	assert_int_equal(num(doc, "input.boots"), 4);
	assert_int_equal(num(doc, "input.bad_lines"), 5);
	near(num(doc, "boots.0.observed_h"), 3, 1e-9);
	near(num(doc, "boots.0.lockdep_active_h"), 1, 1e-9);
	assert_string_equal(splat_jstr(doc, "boots.0.lockdep_off.reason"),
			    "report");
	assert_string_equal(splat_jstr(doc, "boots.0.first_report.kind"),
			    "irq-safe-unsafe");
	near(num(doc, "boots.1.lockdep_active_h"), 0.5, 1e-9);
	assert_string_equal(splat_jstr(doc, "boots.1.lockdep_off.reason"),
			    "max-too-low");
	near(num(doc, "boots.2.lockdep_active_h"), 1, 1e-9);
	assert_null(splat_jpath(doc, "boots.2.lockdep_off"));
	assert_int_equal(num(doc, "boots.2.counts.lockdep"), 1);
	assert_int_equal(num(doc, "boots.2.counts.bug"), 1);
	assert_int_equal(num(doc, "boots.2.counts.pattern-a"), 0);
	near(num(doc, "boots.3.lockdep_active_h"), 0.25, 1e-9);
	assert_string_equal(splat_jstr(doc, "boots.3.lockdep_off.reason"),
			    "oops");
	/* one boot ended by a report in 1 + 0.5 + 1 + 0.25 h */
	assert_int_equal(num(doc, "lockdep.boots_with_report"), 1);
	near(num(doc, "lockdep.exposure_h"), 2.75, 1e-9);
	near(num(doc, "lockdep.rate_per_h"), 1 / 2.75, 1e-9);
	double lo, hi;
	splat_poisson_mean_ci(1, 0.95, &lo, &hi);
	near(num(doc, "lockdep.ci.0"), lo / 2.75, 1e-9);
	near(num(doc, "lockdep.ci.1"), hi / 2.75, 1e-9);
	near(num(doc, "lockdep.upper_one_sided"),
	     splat_poisson_mean_upper(1, 0.95) / 2.75, 1e-9);
	/* signatures: all lockdep reports, counted */
	assert_int_equal(json_object_array_length(
				 splat_jpath(doc, "lockdep.signatures")),
			 3);
	assert_int_equal(json_object_array_length(splat_jpath(doc, "bugs")), 2);
	json_object_put(doc);
	splat_summary_free(s);
}

/* Pattern A: 43 lines in 3.00 h -> 14.3/h, 95% CI 10.4-19.3/h; the
 * suppressed lines count; pairs and follow-ups are reported apart. */
static void test_pattern_rate(void **state)
{
	(void)state;
	struct splat_summary *s = splat_summary_new();
	record(s, 0, 0);
	record(s, 0, 3 * H);
	for (int i = 0; i < 40; i++) {
		event(s, SPLAT_EV_PATTERN, "pattern-a", 0, i * 60000000LL, 1,
		      false, role("first"));
		event(s, SPLAT_EV_PATTERN, "pattern-a", 0, i * 60000000LL, 1,
		      false, role("followup"));
		event(s, SPLAT_EV_PATTERN_PAIR, "pattern-a", 0, i * 60000000LL,
		      1, false, NULL);
	}
	json_object *d = json_object_new_object();
	json_object_object_add(d, "pattern",
			       json_object_new_string("pattern-a"));
	event(s, SPLAT_EV_SUPPRESSED, "wsm_generic_confirm", 0, H, 3, false, d);
	json_object *doc = splat_summary_to_json(s, 0.95);
	json_object *p = splat_jpath(doc, "patterns.0");
	assert_string_equal(splat_jstr(p, "name"), "pattern-a");
	assert_int_equal(num(p, "lines"), 40);
	assert_int_equal(num(p, "followups"), 40);
	assert_int_equal(num(p, "pairs"), 40);
	assert_int_equal(num(p, "suppressed_added"), 3);
	assert_int_equal(num(p, "count"), 43);
	near(num(p, "exposure_h"), 3, 1e-9);
	printf("pattern-a: %.2f/h [%.2f, %.2f]\n", num(p, "rate_per_h"),
	       num(p, "ci.0"), num(p, "ci.1"));
	near(num(p, "rate_per_h"), 14.33, 0.01);
	near(num(p, "ci.0"), 10.4, 0.05);
	near(num(p, "ci.1"), 19.3, 0.05);
	assert_int_equal(num(doc, "boots.0.counts.pattern-a"), 43);
	/* zero lockdep reports in 3 h: upper bound 3.0/3h */
	assert_int_equal(num(doc, "lockdep.boots_with_report"), 0);
	near(num(doc, "lockdep.upper_one_sided"), -log(0.05) / 3, 1e-6);
	json_object_put(doc);
	splat_summary_free(s);
}

/* No timestamps at all: no exposure, rates null, counts still there;
 * pattern-a and user patterns listed with zero. */
static void test_untimed_and_zero(void **state)
{
	(void)state;
	struct splat_summary *s = splat_summary_new();
	struct splat_patterns *p = splat_patterns_new();
	char path[4096], err[256];
	snprintf(path, sizeof(path),
		 "%s/scripts/parse-splat/tests/fixtures/patterns/good.patterns",
		 top_dir());
	assert_int_equal(splat_patterns_load(p, path, err, sizeof(err)), 0);
	splat_summary_add_patterns(s, p);
	record(s, 0, SPLAT_TS_NONE);
	event(s, SPLAT_EV_LOST, NULL, 0, SPLAT_TS_NONE, 4, false, NULL);
	json_object *doc = splat_summary_to_json(s, 0.95);
	assert_null(splat_jpath(doc, "lockdep.rate_per_h"));
	assert_null(splat_jpath(doc, "boots.0.start_usec"));
	assert_int_equal(num(doc, "lost"), 4);
	assert_int_equal(num(doc, "boots.0.counts.lost"), 4);
	assert_int_equal(json_object_array_length(splat_jpath(doc, "patterns")),
			 3);
	assert_int_equal(num(doc, "patterns.1.count"), 0);
	assert_string_equal(splat_jstr(doc, "patterns.2.name"), "join-fail");
	json_object_put(doc);
	splat_summary_free(s);
	splat_patterns_free(p);
}

static void to_summary(void *ctx, const struct splat_event *ev)
{
	splat_summary_add_event(ctx, ev);
}

/* Through the analyzer: the seed journal (two boots) end to end. */
static void test_seed_summary(void **state)
{
	(void)state;
	char path[4096];
	snprintf(
		path, sizeof(path),
		"%s/scripts/parse-splat/tests/fixtures/input/seed-splat.journal.json",
		top_dir());
	struct splat_reader *r =
		splat_reader_open_path(path, SPLAT_FORMAT_AUTO);
	if (!r)
		skip();
	struct splat_summary *s = splat_summary_new();
	struct splat_patterns *p = splat_patterns_new();
	struct splat_analyzer *a = splat_analyzer_new(p, to_summary, s);
	struct splat_record rec;
	while (splat_reader_next(r, &rec) == 1) {
		splat_summary_add_record(s, &rec);
		splat_analyzer_feed(a, &rec);
	}
	splat_analyzer_finish(a);
	json_object *doc = splat_summary_to_json(s, 0.95);
	assert_int_equal(num(doc, "input.boots"), 2);
	assert_int_equal(num(doc, "lockdep.boots_with_report"), 1);
	json_object *b1 = splat_jpath(doc, "boots.1");
	assert_string_equal(splat_jstr(b1, "first_report.signature"),
			    "irq-safe-unsafe:SOFTIRQ:&queue->lock -> "
			    "&hw_priv->tx_loop.pending_record_lock");
	assert_int_equal(num(b1, "lockdep_off.usec"), 5140123470LL);
	assert_int_equal(num(doc, "patterns.0.pairs"), 3);
	json_object_put(doc);
	splat_analyzer_free(a);
	splat_summary_free(s);
	splat_patterns_free(p);
	splat_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposure),
		cmocka_unit_test(test_pattern_rate),
		cmocka_unit_test(test_untimed_and_zero),
		cmocka_unit_test(test_seed_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
