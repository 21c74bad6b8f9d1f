/* SPDX-License-Identifier: MIT */
/*
 * units.h - durations, rates and predictions as people write them in
 * issues ("5140s", "43/3h", "1+/5140s uptime", "pattern-a: 14/h -> 0/h"),
 * for compare --predict, plan and the reports (units.c).
 */
#ifndef SPLAT_UNITS_H
#define SPLAT_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/* A duration is NUMBER[UNIT] with UNIT s|sec|m|min|h|hour|hours|d
 * (no unit: hours); sets hours.  Returns 0, -1 on a syntax error. */
int splat_parse_duration(const char *s, double *hours);
/* A rate: "43/3h", "14.3/h", "1+/5140s", "0", "0/h".  count and hours (0
 * when only a rate is given: then *rate_per_h is set and *hours = 0);
 * at_least for a trailing '+'.  Text after the rate (", uptime", "or more")
 * is ignored, and for a zero count anything after '/' is too ("0/equivalent
 * uptime").  Returns 0, -1 on a syntax error. */
int splat_parse_rate(const char *s, double *count, double *hours,
		     double *rate_per_h, bool *at_least);

/* "NAME: BEFORE -> AFTER" (also "=>" or the arrow "→"). */
struct splat_prediction {
	char name[128];
	double before_rate, after_rate; /* per hour */
	bool before_at_least;
};
int splat_prediction_parse(const char *s, struct splat_prediction *p, char *err,
			   size_t errlen);

/* "12.6 min", "4.3 h", "2.1 d" into buf; returns buf. */
const char *splat_format_hours(double hours, char *buf, size_t len);

#endif
