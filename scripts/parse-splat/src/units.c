/* SPDX-License-Identifier: MIT */
/*
 * units.c - durations, rates and predictions as people write them in issues:
 * "5140s", "3h", "43/3h", "14.3/h", "1+/5140s uptime", "pattern-a: 14/h ->
 * 0/h".
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "splat/units.h"

static const char *skip_ws(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* Parse a unit at s; sets *hours_per_unit and returns the end, or NULL. */
static const char *parse_unit(const char *s, double *per)
{
	static const struct {
		const char *name;
		double hours;
	} units[] = {
		{"seconds", 1.0 / 3600},
		{"second", 1.0 / 3600},
		{"secs", 1.0 / 3600},
		{"sec", 1.0 / 3600},
		{"s", 1.0 / 3600},
		{"minutes", 1.0 / 60},
		{"minute", 1.0 / 60},
		{"mins", 1.0 / 60},
		{"min", 1.0 / 60},
		{"m", 1.0 / 60},
		{"hours", 1.0},
		{"hour", 1.0},
		{"hrs", 1.0},
		{"hr", 1.0},
		{"h", 1.0},
		{"days", 24.0},
		{"day", 24.0},
		{"d", 24.0},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);

		if (!strncasecmp(s, units[i].name, n) &&
		    !isalpha((unsigned char)s[n])) {
			*per = units[i].hours;
			return s + n;
		}
	}
	return NULL;
}

/* NUMBER[ws][UNIT]; a missing number means 1 ("/h").  Returns end or NULL. */
static const char *parse_dur(const char *s, double *hours, int unit_required)
{
	char *end;
	double v = 1.0;

	s = skip_ws(s);
	if (isdigit((unsigned char)*s) || *s == '.') {
		v = strtod(s, &end);
		if (end == s || !(v >= 0.0) || !isfinite(v))
			return NULL;
		s = skip_ws(end);
	} else if (!isalpha((unsigned char)*s)) {
		return NULL;
	}
	double per = 1.0;
	const char *u = parse_unit(s, &per);

	if (!u) {
		if (unit_required || isalpha((unsigned char)*s))
			return NULL;
		u = s;
	}
	*hours = v * per;
	return u;
}

int splat_parse_duration(const char *s, double *hours)
{
	const char *e = parse_dur(s, hours, 0);

	if (!e)
		return -1;
	e = skip_ws(e);
	return *e ? -1 : 0;
}

int splat_parse_rate(const char *s, double *count, double *hours,
		     double *rate_per_h, bool *at_least)
{
	char *end;

	s = skip_ws(s);
	double c = strtod(s, &end);

	if (end == s || !(c >= 0.0) || !isfinite(c))
		return -1;
	s = end;
	*at_least = false;
	if (*s == '+') {
		*at_least = true;
		s++;
	}
	s = skip_ws(s);
	*count = c;
	*hours = 0.0;
	*rate_per_h = 0.0;
	if (*s != '/') {
		/* a bare count with no exposure is only meaningful as zero */
		if (c != 0.0)
			return -1;
		return 0;
	}
	s++;
	double h;
	const char *e = parse_dur(s, &h, 1);

	if (!e) {
		if (c == 0.0)
			return 0; /* "0/equivalent-or-greater uptime" */
		return -1;
	}
	if (*e && !isspace((unsigned char)*e) && *e != ',' && *e != ';')
		return -1;
	if (!(h > 0.0))
		return -1;
	/* "14.3/h" (unit only) is a rate; "43/3h" carries an exposure too */
	const char *p = skip_ws(s);

	if (isdigit((unsigned char)*p) || *p == '.')
		*hours = h;
	*rate_per_h = c / h;
	return 0;
}

int splat_prediction_parse(const char *s, struct splat_prediction *p, char *err,
			   size_t errlen)
{
	memset(p, 0, sizeof(*p));
	const char *colon = strchr(s, ':');

	if (!colon) {
		snprintf(err, errlen,
			 "prediction '%s': expected 'NAME: BEFORE -> AFTER'",
			 s);
		return -1;
	}
	const char *n = skip_ws(s);
	size_t len = (size_t)(colon - n);

	while (len > 0 && isspace((unsigned char)n[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(p->name)) {
		snprintf(err, errlen, "prediction '%s': bad name", s);
		return -1;
	}
	memcpy(p->name, n, len);
	p->name[len] = '\0';
	const char *rest = colon + 1;
	const char *arrow = NULL;
	size_t alen = 0;
	static const char *const arrows[] = {"->", "=>", "\xe2\x86\x92"};

	for (size_t i = 0; i < 3 && !arrow; i++) {
		arrow = strstr(rest, arrows[i]);
		alen = strlen(arrows[i]);
	}
	if (!arrow) {
		snprintf(err, errlen, "prediction '%s': expected '->'", s);
		return -1;
	}
	char before[128];
	size_t bl = (size_t)(arrow - rest);

	if (bl >= sizeof(before)) {
		snprintf(err, errlen, "prediction '%s': too long", s);
		return -1;
	}
	memcpy(before, rest, bl);
	before[bl] = '\0';
	double c, h, r;
	bool al;

	if (splat_parse_rate(before, &c, &h, &r, &p->before_at_least) < 0) {
		snprintf(err, errlen,
			 "prediction '%s': cannot read the before rate '%s' "
			 "(e.g. 14/h, 43/3h, 1+/5140s)",
			 s, skip_ws(before));
		return -1;
	}
	p->before_rate = r;
	if (splat_parse_rate(arrow + alen, &c, &h, &r, &al) < 0) {
		snprintf(err, errlen,
			 "prediction '%s': cannot read the after rate '%s' "
			 "(e.g. 0/h, 2/h, 0)",
			 s, skip_ws(arrow + alen));
		return -1;
	}
	p->after_rate = r;
	return 0;
}

const char *splat_format_hours(double hours, char *buf, size_t len)
{
	if (!isfinite(hours))
		snprintf(buf, len, "unbounded");
	else if (hours < 1.0 / 60)
		snprintf(buf, len, "%.0f s", hours * 3600.0);
	else if (hours < 1.0)
		snprintf(buf, len, "%.1f min", hours * 60.0);
	else if (hours < 10.0)
		snprintf(buf, len, "%.2f h", hours);
	else if (hours < 72.0)
		snprintf(buf, len, "%.1f h", hours);
	else
		snprintf(buf, len, "%.1f d", hours / 24.0);
	return buf;
}
