/* SPDX-License-Identifier: MIT */
/*
 * test_plan - units, rates and predictions as written in issues, and the
 * soak lengths `splat plan` prints (worked examples of the design notes).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "splat/compare.h"
#include "splat/sequential.h"
#include "splat/stats.h"

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("got %.12g want %.12g (tol %g)\n", got, want, tol);
		fail();
	}
}

static void test_durations(void **state)
{
	(void)state;
	double h;

	assert_int_equal(splat_parse_duration("5140s", &h), 0);
	assert_near(h, 5140.0 / 3600.0, 1e-12);
	assert_int_equal(splat_parse_duration("12.6min", &h), 0);
	assert_near(h, 0.21, 1e-12);
	assert_int_equal(splat_parse_duration("90 m", &h), 0);
	assert_near(h, 1.5, 1e-12);
	assert_int_equal(splat_parse_duration("3h", &h), 0);
	assert_near(h, 3.0, 1e-12);
	assert_int_equal(splat_parse_duration("4.3", &h), 0);
	assert_near(h, 4.3, 1e-12);
	assert_int_equal(splat_parse_duration("2 days", &h), 0);
	assert_near(h, 48.0, 1e-12);
	assert_int_equal(splat_parse_duration("3x", &h), -1);
	assert_int_equal(splat_parse_duration("h3", &h), -1);
	assert_int_equal(splat_parse_duration("-1h", &h), -1);
	assert_int_equal(splat_parse_duration("", &h), -1);
	assert_int_equal(splat_parse_duration("3h extra", &h), -1);
}

static void test_rates(void **state)
{
	(void)state;
	double c, h, r;
	bool al;

	assert_int_equal(splat_parse_rate("43/3h", &c, &h, &r, &al), 0);
	assert_near(c, 43, 0);
	assert_near(h, 3, 0);
	assert_near(r, 43.0 / 3.0, 1e-12);
	assert_false(al);
	assert_int_equal(splat_parse_rate("14.3/h", &c, &h, &r, &al), 0);
	assert_near(h, 0, 0);
	assert_near(r, 14.3, 1e-12);
	assert_int_equal(splat_parse_rate("1+/5140s uptime", &c, &h, &r, &al),
			 0);
	assert_true(al);
	assert_near(h, 5140.0 / 3600, 1e-12);
	assert_near(r, 3600.0 / 5140, 1e-12);
	assert_int_equal(splat_parse_rate("0/equivalent-or-greater uptime", &c,
					  &h, &r, &al),
			 0);
	assert_near(r, 0, 0);
	assert_int_equal(splat_parse_rate("0", &c, &h, &r, &al), 0);
	assert_near(r, 0, 0);
	assert_int_equal(splat_parse_rate("0.5/min", &c, &h, &r, &al), 0);
	assert_near(r, 30, 1e-12);
	/* a count without exposure, a bad unit, nothing */
	assert_int_equal(splat_parse_rate("5", &c, &h, &r, &al), -1);
	assert_int_equal(splat_parse_rate("5/fortnight", &c, &h, &r, &al), -1);
	assert_int_equal(splat_parse_rate("/h", &c, &h, &r, &al), -1);
	assert_int_equal(splat_parse_rate("3/0h", &c, &h, &r, &al), -1);
}

static void test_predictions(void **state)
{
	(void)state;
	struct splat_prediction p;
	char err[256];

	assert_int_equal(splat_prediction_parse("pattern-a: 14/h -> 0/h", &p,
						err, sizeof(err)),
			 0);
	assert_string_equal(p.name, "pattern-a");
	assert_near(p.before_rate, 14, 0);
	assert_near(p.after_rate, 0, 0);
	assert_int_equal(splat_prediction_parse(
				 "Lockdep splat: 1+/5140s uptime \xe2\x86\x92 "
				 "0/equivalent-or-greater uptime",
				 &p, err, sizeof(err)),
			 0);
	assert_string_equal(p.name, "Lockdep splat");
	assert_true(p.before_at_least);
	assert_near(p.before_rate, 3600.0 / 5140, 1e-12);
	assert_int_equal(splat_prediction_parse("pattern-a 14/h -> 0", &p, err,
						sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "NAME"));
	assert_int_equal(splat_prediction_parse("pattern-a: 14/h to 0", &p, err,
						sizeof(err)),
			 -1);
	assert_int_equal(splat_prediction_parse("pattern-a: lots -> 0", &p, err,
						sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "before rate"));
}

static void test_plan_numbers(void **state)
{
	(void)state;
	char buf[32];

	/* --baseline 14.3/h: 12.6 min */
	assert_string_equal(
		splat_format_hours(splat_zero_count_exposure(14.3, 0.95), buf,
				   sizeof(buf)),
		"12.6 min");
	/* --baseline 43/3h, as an estimate: t1((1/alpha)^(1/k1) - 1) */
	assert_near(splat_rate_drop_exposure_needed(43, 3.0, 0, 0.95) * 60,
		    3.0 * (pow(20.0, 1.0 / 43) - 1) * 60, 1e-9);
	/* --baseline-first-at 5140s: about 4.3 h known, 27.1 h estimated */
	double lam = 3600.0 / 5140.0;

	assert_string_equal(
		splat_format_hours(splat_zero_count_exposure(lam, 0.95), buf,
				   sizeof(buf)),
		"4.28 h");
	assert_near(splat_rate_drop_exposure_needed(1, 5140.0 / 3600, 0, 0.95),
		    19 * 5140.0 / 3600, 1e-9);
	assert_string_equal(splat_format_hours(INFINITY, buf, sizeof(buf)),
			    "unbounded");
	assert_string_equal(splat_format_hours(100, buf, sizeof(buf)), "4.2 d");
	assert_string_equal(splat_format_hours(30, buf, sizeof(buf)), "30.0 h");
}

/* The sequential campaign figures `splat plan` prints next to the
 * fixed-length ones (tolerance 0, maximum 10x the fixed length, 20000 runs). */
static void test_plan_sequential(void **state)
{
	(void)state;
	struct {
		uint64_t k1;
		double t1;
	} base[] = {{43, 3.0}, {1, 5140.0 / 3600}};

	for (size_t i = 0; i < 2; i++) {
		uint64_t k1 = base[i].k1;
		double t1 = base[i].t1, rate = k1 / t1;
		double est = splat_rate_drop_exposure_needed(k1, t1, 0, 0.95);
		struct splat_seq_params sp = {0.05, 0.0, 10 * est};
		struct splat_seq_forecast f;

		/* the fix works: certain, and no longer than the fixed-length
		 * soak (13.0 min, 27.1 h) */
		assert_int_equal(
			splat_seq_forecast(k1, t1, 0, 0, 0, &sp, 20000, 1, &f),
			0);
		assert_true(f.exact);
		assert_near(f.mean, est, 1e-9 * est);
		assert_near(f.p90, est, 1e-9 * est);
		/* no effect: the first after event decides, so the mean is
		 * (1 - e^-(rate est))/rate, far below the fixed length */
		assert_int_equal(splat_seq_forecast(k1, t1, 0, 0, rate, &sp,
						    20000, 2, &f),
				 0);
		assert_false(f.exact);
		assert_near(f.mean, -expm1(-rate * est) / rate, 0.03 * f.mean);
		assert_true(f.p90 < est);
		assert_true(f.p_not_fixed > 0.95);
		/* 10x lower: not later than the fixed length either */
		assert_int_equal(splat_seq_forecast(k1, t1, 0, 0, rate / 10,
						    &sp, 20000, 3, &f),
				 0);
		assert_true(f.mean < est && f.p90 <= est * (1 + 1e-12));
		assert_near(f.p_fixed, exp(-rate / 10 * est), 0.02);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_predictions),
		cmocka_unit_test(test_plan_numbers),
		cmocka_unit_test(test_plan_sequential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
