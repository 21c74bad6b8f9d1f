/* SPDX-License-Identifier: MIT */
/*
 * bundle_json.c - small json-c helpers shared by the library, the CLI and
 * the tests: read/write files, path accessors, tolerant comparison.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "splat/bundle.h"
#include "splat/stats.h"

struct json_object *splat_json_read_file(const char *path, char *err,
					 size_t errlen)
{
	FILE *f = fopen(path, "r");

	if (errlen)
		err[0] = '\0';
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj = NULL;
	char buf[65536];
	size_t n;
	enum json_tokener_error jerr = json_tokener_continue;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		obj = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_continue)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		json_object_put(obj);
		obj = NULL;
	} else if (jerr == json_tokener_continue) {
		/* end of input: a bare number needs the final flush */
		obj = json_tokener_parse_ex(tok, "", -1);
		jerr = json_tokener_get_error(tok);
	}
	if (!obj && errlen && !err[0])
		snprintf(err, errlen, "%s: invalid JSON: %s", path,
			 json_tokener_error_desc(jerr));
	json_tokener_free(tok);
	fclose(f);
	return obj;
}

int splat_json_write_file(const char *path, struct json_object *doc)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	FILE *f = fopen(tmp, "w");

	if (!f)
		return -1;
	const char *s = json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	int ok = fputs(s, f) >= 0 && fputc('\n', f) != EOF;

	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;

		remove(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/* key as an array index: digits only, below the array's length */
static struct json_object *array_member(struct json_object *a, const char *key)
{
	char *end;
	unsigned long i;

	if (!isdigit((unsigned char)key[0]))
		return NULL;
	errno = 0;
	i = strtoul(key, &end, 10);
	if (*end || errno || i >= json_object_array_length(a))
		return NULL;
	return json_object_array_get_idx(a, i);
}

struct json_object *splat_jpath(const struct json_object *o, const char *path)
{
	char key[128];
	struct json_object *cur = (struct json_object *)o;

	while (cur && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		if (json_object_get_type(cur) == json_type_array)
			cur = array_member(cur, key);
		else if (json_object_get_type(cur) != json_type_object ||
			 !json_object_object_get_ex(cur, key, &cur))
			return NULL;
		path += len + (dot ? 1 : 0);
	}
	if (cur && json_object_get_type(cur) == json_type_null)
		return NULL;
	return cur;
}

struct json_object *splat_jarr(const struct json_object *o, const char *path)
{
	struct json_object *a = splat_jpath(o, path);

	return a && json_object_get_type(a) == json_type_array ? a : NULL;
}

void splat_jadd_num(struct json_object *o, const char *key, double v)
{
	json_object_object_add(o, key,
			       isfinite(v) ? json_object_new_double(v) : NULL);
}

void splat_jadd_rate(struct json_object *o, uint64_t k, double t, double conf,
		     bool upper)
{
	struct json_object *ci;
	double lo, hi;

	if (!(t > 0)) {
		json_object_object_add(o, "rate_per_h", NULL);
		json_object_object_add(o, "ci", NULL);
		if (upper)
			json_object_object_add(o, "upper_one_sided", NULL);
		return;
	}
	splat_poisson_mean_ci(k, conf, &lo, &hi);
	splat_jadd_num(o, "rate_per_h", (double)k / t);
	ci = json_object_new_array();
	json_object_array_add(ci, json_object_new_double(lo / t));
	json_object_array_add(ci, json_object_new_double(hi / t));
	json_object_object_add(o, "ci", ci);
	if (upper)
		splat_jadd_num(o, "upper_one_sided",
			       splat_poisson_mean_upper(k, conf) / t);
}

double splat_jnum(const struct json_object *o, const char *path, double dflt)
{
	struct json_object *v = splat_jpath(o, path);

	if (!v)
		return dflt;
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		return json_object_get_double(v);
	case json_type_boolean:
		return json_object_get_boolean(v) ? 1.0 : 0.0;
	case json_type_string: {
		char *end;
		double d = strtod(json_object_get_string(v), &end);

		return *end == '\0' && end != json_object_get_string(v) ? d
									: dflt;
	}
	default:
		return dflt;
	}
}

int64_t splat_jint(const struct json_object *o, const char *path, int64_t dflt)
{
	struct json_object *v = splat_jpath(o, path);

	if (!v)
		return dflt;
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		return json_object_get_int64(v);
	case json_type_boolean:
		return json_object_get_boolean(v) ? 1 : 0;
	case json_type_string: {
		const char *s = json_object_get_string(v);
		char *end;
		long long n;

		errno = 0;
		n = strtoll(s, &end, 10);
		return *end == '\0' && end != s && !errno ? (int64_t)n : dflt;
	}
	default:
		return dflt;
	}
}

const char *splat_jstr(const struct json_object *o, const char *path)
{
	struct json_object *v = splat_jpath(o, path);

	if (!v || json_object_get_type(v) != json_type_string)
		return NULL;
	return json_object_get_string(v);
}

static int is_num(const struct json_object *o)
{
	enum json_type t = json_object_get_type(o);

	return t == json_type_int || t == json_type_double;
}

static int diff_rec(const struct json_object *a, const struct json_object *b,
		    double rel, char *where, size_t wherelen, size_t used)
{
	enum json_type ta = json_object_get_type(a);
	enum json_type tb = json_object_get_type(b);

	if (is_num(a) && is_num(b)) {
		if (ta == json_type_int && tb == json_type_int) {
			if (json_object_get_int64(a) ==
			    json_object_get_int64(b))
				return 0;
		} else {
			double x = json_object_get_double(a);
			double y = json_object_get_double(b);
			double m = fmax(fabs(x), fabs(y));

			if (x == y || fabs(x - y) <= rel * m ||
			    (isnan(x) && isnan(y)))
				return 0;
		}
		return 1;
	}
	if (ta != tb)
		return 1;
	switch (ta) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(a) != json_object_get_boolean(b);
	case json_type_string:
		return strcmp(json_object_get_string((struct json_object *)a),
			      json_object_get_string(
				      (struct json_object *)b)) != 0;
	case json_type_array: {
		size_t na = json_object_array_length(a);
		size_t nb = json_object_array_length(b);

		for (size_t i = 0; i < na && i < nb; i++) {
			int n = snprintf(where + used, wherelen - used, "[%zu]",
					 i);
			size_t u = used + (n > 0 ? (size_t)n : 0);

			if (u >= wherelen)
				u = wherelen - 1;
			if (diff_rec(json_object_array_get_idx(a, i),
				     json_object_array_get_idx(b, i), rel,
				     where, wherelen, u))
				return 1;
		}
		where[used] = '\0';
		if (na != nb) {
			snprintf(where + used, wherelen - used,
				 " (length %zu vs %zu)", na, nb);
			return 1;
		}
		return 0;
	}
	case json_type_object: {
		json_object_object_foreach((struct json_object *)a, key, va)
		{
			struct json_object *vb;
			int n = snprintf(where + used, wherelen - used, ".%s",
					 key);
			size_t u = used + (n > 0 ? (size_t)n : 0);

			if (u >= wherelen)
				u = wherelen - 1;
			if (!json_object_object_get_ex(b, key, &vb)) {
				snprintf(where + u, wherelen - u, " (missing)");
				return 1;
			}
			if (diff_rec(va, vb, rel, where, wherelen, u))
				return 1;
		}
		json_object_object_foreach((struct json_object *)b, keyb, vbb)
		{
			(void)vbb;
			if (!json_object_object_get_ex(a, keyb, NULL)) {
				snprintf(where + used, wherelen - used,
					 ".%s (extra)", keyb);
				return 1;
			}
		}
		where[used] = '\0';
		return 0;
	}
	default:
		return 1;
	}
}

int splat_json_diff(const struct json_object *a, const struct json_object *b,
		    double rel, char *where, size_t wherelen)
{
	char local[8];

	if (!where || wherelen == 0) {
		where = local;
		wherelen = sizeof(local);
	}
	where[0] = '\0';
	int r = diff_rec(a, b, rel, where, wherelen, 0);

	if (!r)
		where[0] = '\0';
	return r;
}

void splat_json_warn(struct json_object *warnings, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_array_add(warnings, json_object_new_string(buf));
}
