/* SPDX-License-Identifier: MIT */
/*
 * fuzz_args - libFuzzer target over the argument parsers of `splat compare
 * --predict`, `splat plan` and `verify --max-op-failure` (src/units.c,
 * bundle_ops.c) and the statistics `splat plan` computes from what they
 * return.
 *
 * Input: up to four NUL-separated strings.  Each is given to every parser
 * (duration, rate, prediction, op-failure share, --format and --fail-on
 * names); a parse that succeeds must return sane numbers (not NaN, not
 * negative, names terminated).  Then, as `splat plan` does, the first
 * string as --baseline (or the second as --baseline-first-at) and the third
 * as --max-exposure feed the exposure formulas, the Garwood interval and
 * a sequential forecast (few simulation runs: the parsers and the
 * arithmetic's corners are the point, not the Monte Carlo).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "splat/analyzer.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/sequential.h"
#include "splat/stats.h"

#include "fuzz_common.h"

#define NARG 4

static void check_hours_text(double hours)
{
	char buf[64];

	splat_format_hours(hours, buf, sizeof(buf));
	if (!buf[0] || strlen(buf) >= sizeof(buf))
		abort();
}

/* Every parser on s: what one that succeeds returns must be sane. */
static void parse_all(const char *s)
{
	double h = -1, c = -1, t = -1, r = -1, share = -1;
	bool al;
	struct splat_prediction p;
	char err[512] = "";
	enum splat_format fmt;
	enum splat_event_type type;

	if (splat_parse_duration(s, &h) == 0) {
		if (isnan(h) || h < 0)
			abort();
		check_hours_text(h);
	}
	if (splat_parse_rate(s, &c, &t, &r, &al) == 0 &&
	    (!isfinite(c) || c < 0 || isnan(t) || t < 0 || isnan(r) || r < 0))
		abort();
	if (splat_prediction_parse(s, &p, err, sizeof(err)) == 0) {
		if (!p.name[0] || memchr(p.name, 0, sizeof(p.name)) == NULL ||
		    isnan(p.before_rate) || p.before_rate < 0 ||
		    isnan(p.after_rate) || p.after_rate < 0)
			abort();
	} else if (!err[0]) {
		abort(); /* a rejected prediction says why */
	}
	if (splat_parse_op_failure(s, &share) == 0 &&
	    !(share >= 0 && share <= 1))
		abort();
	(void)splat_format_parse(s, &fmt);
	(void)splat_kind_lookup(s, &type);
}

/* `splat plan`'s figures from a baseline of count events in hours (0:
 * a rate only), max_h the --max-exposure (0: none). */
static void plan(double count, double hours, double rate, double max_h)
{
	const double conf = 0.95;
	double known = splat_zero_count_exposure(rate, conf);
	double lo, hi;

	check_hours_text(known);
	if (!(hours > 0) || !(count <= 1e9))
		return; /* not counts (plan prints no estimate) */
	uint64_t k = (uint64_t)llround(count);
	double est = splat_rate_drop_exposure_needed(k, hours, 0, conf);

	check_hours_text(est);
	splat_poisson_mean_ci(k, conf, &lo, &hi);
	if (lo > hi)
		abort();
	if (!isfinite(est) || k == 0)
		return;
	struct splat_seq_params sp = {1 - conf, 0,
				      max_h > 0 ? max_h : 10 * est};
	struct splat_seq_forecast fc;

	if (splat_seq_forecast(k, hours, 0, 0, rate / 10, &sp, 8, 1, &fc) ==
		    0 &&
	    (fc.p_fixed < 0 || fc.p_fixed > 1))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *arg[NARG];
	size_t n = 0, i = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	while (n < NARG && i <= size) { /* NUL-separated strings */
		arg[n++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	for (i = 0; i < n; i++)
		parse_all(arg[i]);

	double c, t, r, max_h = 0, first;
	bool al;

	if (n > 2 && splat_parse_duration(arg[2], &max_h) < 0)
		max_h = 0;
	if (splat_parse_rate(arg[0], &c, &t, &r, &al) == 0 && r > 0)
		plan(c, t, r, max_h);
	else if (n > 1 && splat_parse_duration(arg[1], &first) == 0 &&
		 first > 0)
		plan(1, first, 1 / first, max_h);
	free(buf);
	return 0;
}
