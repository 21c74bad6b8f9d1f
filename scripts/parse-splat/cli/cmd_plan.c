/* SPDX-License-Identifier: MIT */
/*
 * splat plan - how long must a soak with zero events run to support "fixed"?
 *
 *   splat plan --baseline 43/3h            43 events in 3 h (an estimate)
 *   splat plan --baseline 14.3/h           a rate taken as known
 *   splat plan --baseline-first-at 5140s   lockdep: first report at 5140 s
 *
 * Two answers, both from stats.h:
 *  known rate λ:    T = -ln(1-c)/λ  (a zero count rejects λ at level c);
 *  estimate k in t: T = t((1-c)^(-1/k) - 1)  (the exact conditional test
 *                   splat compare uses reaches p <= 1-c with zero after).
 *
 * With counts, also the sequential campaign (sequential.h: look at every
 * event and every few minutes, stop when decided): its expected and
 * 90th-percentile after-exposure (device-hours of lockdep-active or soak
 * time) when the fix works (after rate 0: exact, the path is certain), when
 * the after rate is 10x lower and when it equals the before rate (the fix
 * does nothing): by simulation, 20000 runs, fixed seed.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/units.h"
#include "splat/sequential.h"
#include "splat/stats.h"

#define PLAN_RUNS 20000
#define PLAN_SEED 0x13c0ffeeULL

/* after rate as a fraction of the before rate, and how it is named */
static const struct {
	double ratio;
	const char *name, *key;
} plan_scen[] = {
	{0.0, "after rate 0 (the fix works)", "after-0"},
	{0.1, "after rate 10x lower", "after-10x-lower"},
	{1.0, "after rate = before (no effect)", "after-equal"},
};
#define NSCEN (sizeof(plan_scen) / sizeof(plan_scen[0]))

static void plan_usage(FILE *out)
{
	fputs("usage: splat plan (--baseline K/T | --baseline RATE/UNIT |\n"
	      "                   --baseline-first-at T [--baseline-first-at T...])\n"
	      "                  [--confidence C] [--tolerance R]\n"
	      "                  [--max-exposure T] [--json]\n\n"
	      "The soak length a run with zero events needs to support \"fixed\".\n\n"
	      "  --baseline 43/3h          K events in exposure T (units s, min, h, d)\n"
	      "  --baseline 14.3/h         a rate, taken as known\n"
	      "  --baseline-first-at 5140s a boot whose first lockdep report came at\n"
	      "                            that lockdep-active uptime (repeatable: one\n"
	      "                            per boot; each boot yields at most one report)\n"
	      "  --confidence C            default 0.95\n"
	      "  --tolerance R             sequential campaign: \"not fixed\" means\n"
	      "                            the after rate is above R x before\n"
	      "                            (default 0: the fix claims elimination,\n"
	      "                            the first after event refutes it)\n"
	      "  --max-exposure T          sequential campaign: inconclusive after\n"
	      "                            T of after-exposure (default 10x the\n"
	      "                            fixed-length soak against the estimate)\n"
	      "  --json                    machine-readable output\n\n"
	      "Prints the length against the baseline taken as a known rate\n"
	      "(-ln(1-C)/rate: 12.6 min for 14.3/h, 4.3 h for one splat per 5140 s)\n"
	      "and, when counts are given, against the baseline as an estimate\n"
	      "(the exact conditional test `splat compare` applies; longer),\n"
	      "then the expected and 90th-percentile after-exposure of a\n"
	      "sequential campaign (stops when decided) if the fix works, if\n"
	      "the rate is 10x lower and if it is unchanged.\n"
	      "Exit codes: 0 ok, 2 usage.\n",
	      out);
}

static struct json_object *plan_seq_json(const struct splat_seq_params *sp,
					 const struct splat_seq_forecast *fc)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	json_object_object_add(
		o, "method",
		json_object_new_string("always-valid mixture likelihood "
				       "ratio (splat sequential.h)"));
	json_object_object_add(o, "tolerance",
			       json_object_new_double(sp->tolerance));
	json_object_object_add(o, "max_exposure_h",
			       json_object_new_double(sp->max_t2));
	for (size_t i = 0; i < NSCEN; i++) {
		const struct splat_seq_forecast *f = &fc[i];
		struct json_object *s = json_object_new_object();

		json_object_object_add(
			s, "scenario",
			json_object_new_string(plan_scen[i].key));
		json_object_object_add(
			s, "after_rate_ratio",
			json_object_new_double(plan_scen[i].ratio));
		json_object_object_add(
			s, "computed",
			json_object_new_string(f->exact ? "exact"
							: "simulation"));
		json_object_object_add(s, "runs",
				       json_object_new_int64(f->runs));
		json_object_object_add(s, "expected_h",
				       json_object_new_double(f->mean));
		json_object_object_add(s, "median_h",
				       json_object_new_double(f->median));
		json_object_object_add(s, "p90_h",
				       json_object_new_double(f->p90));
		json_object_object_add(s, "p_fixed",
				       json_object_new_double(f->p_fixed));
		json_object_object_add(s, "p_not_fixed",
				       json_object_new_double(f->p_not_fixed));
		json_object_object_add(
			s, "p_inconclusive",
			json_object_new_double(f->p_inconclusive));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "scenarios", a);
	return o;
}

static void plan_seq_print(const struct splat_seq_params *sp,
			   const struct splat_seq_forecast *fc)
{
	char b1[32], b2[32];

	printf("A sequential campaign (splat compare / besser-soak "
	       "--until-decided: look at every event and every few minutes, "
	       "stop when decided; %s; inconclusive after %s) needs, in "
	       "after-exposure:\n",
	       sp->tolerance == 0 ? "the fix claims elimination, so the first "
				    "after event decides \"not fixed\""
				  : "\"not fixed\" = above the tolerance",
	       splat_format_hours(sp->max_t2, b1, sizeof(b1)));
	for (size_t i = 0; i < NSCEN; i++) {
		const struct splat_seq_forecast *f = &fc[i];

		printf("  %-32s expected %-10s 90th percentile %-10s ",
		       plan_scen[i].name,
		       splat_format_hours(f->mean, b1, sizeof(b1)),
		       splat_format_hours(f->p90, b2, sizeof(b2)));
		if (f->exact)
			printf("(exact): %s\n", f->p_fixed == 1 ? "fixed"
						: f->p_not_fixed == 1
							? "not fixed"
							: "inconclusive");
		else
			printf("(simulation, %u runs): fixed %.0f%%, not fixed "
			       "%.0f%%, inconclusive %.0f%%\n",
			       f->runs, 100 * f->p_fixed, 100 * f->p_not_fixed,
			       100 * f->p_inconclusive);
	}
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"baseline", required_argument, NULL, 'b'},
		{"baseline-first-at", required_argument, NULL, 'f'},
		{"confidence", required_argument, NULL, 'c'},
		{"tolerance", required_argument, NULL, 't'},
		{"max-exposure", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	double conf = 0.95, count = -1, hours = 0, rate = 0;
	double first_sum = 0, tol = 0, max_h = 0;
	int nfirst = 0, json = 0, have_baseline = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:f:c:t:m:jh", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'b': {
			bool al;

			if (splat_parse_rate(optarg, &count, &hours, &rate,
					     &al) < 0 ||
			    !(rate > 0)) {
				fprintf(stderr,
					"splat plan: --baseline '%s': expected "
					"K/T (43/3h) or a rate (14.3/h) above 0\n",
					optarg);
				return SPLAT_EXIT_USAGE;
			}
			have_baseline = 1;
			break;
		}
		case 'f': {
			double h;

			if (splat_parse_duration(optarg, &h) < 0 || !(h > 0)) {
				fprintf(stderr,
					"splat plan: --baseline-first-at '%s': "
					"expected a duration (5140s, 85.7min, "
					"1.43h)\n",
					optarg);
				return SPLAT_EXIT_USAGE;
			}
			first_sum += h;
			nfirst++;
			break;
		}
		case 'c': {
			char *end;

			conf = strtod(optarg, &end);
			if (*end || !(conf > 0 && conf < 1)) {
				fprintf(stderr,
					"splat plan: --confidence must be in "
					"(0,1), e.g. 0.95\n");
				return SPLAT_EXIT_USAGE;
			}
			break;
		}
		case 't': {
			char *end;

			tol = strtod(optarg, &end);
			if (*end || !(tol >= 0 && tol < 1)) {
				fprintf(stderr, "splat plan: --tolerance must "
						"be in [0,1), e.g. 0 or 0.5\n");
				return SPLAT_EXIT_USAGE;
			}
			break;
		}
		case 'm':
			if (splat_parse_duration(optarg, &max_h) < 0 ||
			    !(max_h > 0)) {
				fprintf(stderr,
					"splat plan: --max-exposure '%s': "
					"expected a duration (30h, 2d)\n",
					optarg);
				return SPLAT_EXIT_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			plan_usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			plan_usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (optind < argc || have_baseline + (nfirst > 0) != 1) {
		fprintf(stderr, "splat plan: give exactly one of --baseline or "
				"--baseline-first-at\n");
		plan_usage(stderr);
		return SPLAT_EXIT_USAGE;
	}
	if (nfirst) {
		count = nfirst;
		hours = first_sum;
		rate = count / hours;
	}
	int estimate = hours > 0;
	double known = splat_zero_count_exposure(rate, conf);
	double est = estimate
			     ? splat_rate_drop_exposure_needed(
				       (uint64_t)llround(count), hours, 0, conf)
			     : NAN;
	double lo = NAN, hi = NAN;

	if (estimate) {
		splat_poisson_mean_ci((uint64_t)llround(count), conf, &lo, &hi);
		lo /= hours;
		hi /= hours;
	}
	/* the sequential campaign: needs counts (the before rate as an
	 * estimate) */
	struct splat_seq_forecast fc[NSCEN];
	struct splat_seq_params sp = {1 - conf, tol, 0};
	int seq = estimate && isfinite(est) && llround(count) > 0;

	if (seq) {
		sp.max_t2 = max_h > 0 ? max_h : 10 * est;
		for (size_t i = 0; i < NSCEN && seq; i++)
			if (splat_seq_forecast((uint64_t)llround(count), hours,
					       0, 0, plan_scen[i].ratio * rate,
					       &sp, PLAN_RUNS, PLAN_SEED + i,
					       &fc[i]) < 0)
				seq = 0;
	}
	if (json) {
		json_c_set_serialization_double_format("%.12g",
						       JSON_C_OPTION_GLOBAL);
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "confidence",
				       json_object_new_double(conf));
		json_object_object_add(o, "baseline_rate_per_h",
				       json_object_new_double(rate));
		json_object_object_add(
			o, "baseline_count",
			estimate ? json_object_new_int64(llround(count))
				 : NULL);
		json_object_object_add(o, "baseline_exposure_h",
				       estimate ? json_object_new_double(hours)
						: NULL);
		json_object_object_add(o, "lockdep_first_report",
				       json_object_new_boolean(nfirst > 0));
		json_object_object_add(o, "known_rate_h",
				       json_object_new_double(known));
		json_object_object_add(o, "estimate_h",
				       estimate ? json_object_new_double(est)
						: NULL);
		json_object_object_add(o, "sequential",
				       seq ? plan_seq_json(&sp, fc) : NULL);
		puts(json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
		json_object_put(o);
		return SPLAT_EXIT_OK;
	}
	char b1[32], b2[32];

	if (nfirst)
		printf("Baseline: %d boot(s) with a first lockdep report after "
		       "%.0f s (%s) of lockdep-active uptime in total: "
		       "%.3g/h.\n"
		       "Each boot yields at most one report, so the soak length "
		       "below is lockdep-active uptime, over any number of "
		       "boots.\n",
		       nfirst, hours * 3600.0,
		       splat_format_hours(hours, b1, sizeof(b1)), rate);
	else if (estimate)
		printf("Baseline: %.0f events in %s = %.3g/h (%.0f%% exact "
		       "interval %.3g-%.3g/h).\n",
		       count, splat_format_hours(hours, b1, sizeof(b1)), rate,
		       conf * 100, lo, hi);
	else
		printf("Baseline: %.3g/h, taken as known.\n", rate);
	printf("A soak with zero events supports \"fixed\" at %.0f%% "
	       "confidence after:\n",
	       conf * 100);
	printf("  %-12s against the baseline taken as a known rate "
	       "(-ln(%.2g)/rate)\n",
	       splat_format_hours(known, b1, sizeof(b1)), 1 - conf);
	if (estimate)
		printf("  %-12s against the baseline as the estimate it is "
		       "(exact conditional test, as splat compare)\n",
		       splat_format_hours(est, b2, sizeof(b2)));
	if (seq)
		plan_seq_print(&sp, fc);
	else
		printf("Sequential campaign: needs the baseline as counts "
		       "(K/T or --baseline-first-at).\n");
	return SPLAT_EXIT_OK;
}
