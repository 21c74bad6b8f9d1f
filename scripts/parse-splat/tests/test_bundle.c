/* SPDX-License-Identifier: MIT */
/*
 * test_bundle - run bundles: sha256, JSON diff, the summary recomputed from
 * kmsg.raw + ops.jsonl (ops member, boots, lost), verify's checks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <json.h>

#include "bundle_fixtures.h"
#include "splat/bundle.h"

static void test_sha256(void **state)
{
	(void)state;
	char dir[] = "/tmp/splat-sha-XXXXXX", path[128], h[80];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/abc", dir);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("abc", f);
	fclose(f);
	assert_int_equal(splat_sha256_file(path, h, sizeof(h)), 0);
	assert_string_equal(h, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a3"
			       "96177a9cb410ff61f20015ad");
	assert_int_equal(splat_sha256_file(path, h, 10), -1);
	unlink(path);
	rmdir(dir);
	assert_int_equal(splat_sha256_file(path, h, sizeof(h)), -1);
}

static void test_json_diff(void **state)
{
	(void)state;
	struct json_object *a = json_tokener_parse(
		"{\"x\": 1, \"y\": [1.0, {\"z\": \"s\"}], \"w\": null}");
	struct json_object *b = json_tokener_parse(
		"{\"x\": 1, \"y\": [1.0000000000001, {\"z\": \"s\"}], \"w\": null}");
	struct json_object *c = json_tokener_parse(
		"{\"x\": 1, \"y\": [1.001, {\"z\": \"s\"}], \"w\": null}");
	struct json_object *d = json_tokener_parse(
		"{\"x\": 1, \"y\": [1.0, {\"z\": \"t\"}], \"w\": null}");
	struct json_object *e = json_tokener_parse("{\"x\": 1, \"y\": [1.0]}");
	char where[256];

	assert_int_equal(splat_json_diff(a, b, 1e-9, where, sizeof(where)), 0);
	assert_int_equal(splat_json_diff(a, c, 1e-9, where, sizeof(where)), 1);
	assert_string_equal(where, ".y[0]");
	assert_int_equal(splat_json_diff(a, d, 1e-9, where, sizeof(where)), 1);
	assert_string_equal(where, ".y[1].z");
	assert_int_equal(splat_json_diff(a, e, 1e-9, where, sizeof(where)), 1);
	assert_non_null(strstr(where, "length"));
	assert_int_equal(splat_json_diff(e, a, 1e-9, where, sizeof(where)), 1);
	json_object_put(a);
	json_object_put(b);
	json_object_put(c);
	json_object_put(d);
	json_object_put(e);
}

static void test_recompute_before(void **state)
{
	(void)state;
	struct splat_bundle *b = fx_load("before", 0);

	assert_non_null(b);
	assert_true(b->recomputed);
	assert_false(b->transcribed);
	const struct json_object *s = b->summary;

	/* the splat at 5140.123 s: one boot, one report, exposure to it */
	assert_int_equal((int)splat_jnum(s, "lockdep.boots", 0), 1);
	assert_int_equal((int)splat_jnum(s, "lockdep.boots_with_report", 0), 1);
	double ld = splat_jnum(s, "lockdep.exposure_h", 0);

	assert_true(fabs(ld - (5140.123 - 0.0) / 3600) < 0.01);
	assert_int_equal((int)splat_jnum(s, "lost", -1), 0);
	/* ops: 36 operations in 3 h, every 5 min; 4 of 6 kinds are scans */
	assert_int_equal((int)splat_jnum(s, "ops.total", 0), 36);
	assert_int_equal((int)splat_jnum(s, "ops.scans", 0), 24);
	assert_int_equal((int)splat_jnum(s, "ops.kinds.scan-5g-multi.count", 0), 6);
	assert_int_equal(
		(int)splat_jnum(s, "ops.kinds.scan-5g-multi.outcomes.refused", 0),
		6);
	assert_true(fabs(splat_jnum(s, "ops.per_h", 0) - 12.0) < 0.01);
	/* per 1000 scans of pattern-a = its count / 24 scans * 1000 */
	struct json_object *pats = splat_jpath(s, "patterns");
	double cnt = -1;

	for (size_t i = 0; pats && i < json_object_array_length(pats); i++)
		if (!strcmp(splat_jstr(json_object_array_get_idx(pats, i), "name"),
			    "pattern-a"))
			cnt = splat_jnum(json_object_array_get_idx(pats, i),
					 "count", -1);
	assert_true(cnt >= 43);
	struct json_object *pa = splat_jpath(s, "ops.patterns");
	struct json_object *e = NULL;

	assert_true(json_object_object_get_ex(pa, "pattern-a", &e));
	assert_true(fabs(splat_jnum(e, "per_1000_scans", 0) - cnt / 24 * 1000) <
		    1e-9);
	/* evidence hashes, and the timeline for the plot */
	struct json_object *h = NULL;
	char want[80], path[4096];

	assert_true(json_object_object_get_ex(splat_jpath(s, "evidence"),
					      "kmsg.raw", &h));
	snprintf(path, sizeof(path), "%s/kmsg.raw", fx_dir("before"));
	assert_int_equal(splat_sha256_file(path, want, sizeof(want)), 0);
	assert_string_equal(json_object_get_string(h), want);
	assert_true(b->n_ops == 36);
	size_t nl = 0;

	for (size_t i = 0; i < b->n_events; i++)
		nl += !strcmp(b->events[i].series, "lockdep");
	assert_int_equal(nl, 1);
	assert_int_equal(json_object_array_length(b->reports), 1);
	splat_bundle_free(b);
}

static void test_reboot_and_lost(void **state)
{
	(void)state;
	struct splat_bundle *b = fx_load("after-reboot", 0);

	assert_non_null(b);
	assert_int_equal(json_object_array_length(splat_jpath(b->summary, "boots")),
			 2);
	/* ops split by the monotonic clock going back */
	size_t in1 = 0;

	for (size_t i = 0; i < b->n_ops; i++)
		in1 += b->ops[i].boot == 1;
	assert_true(in1 > 0 && in1 < b->n_ops);
	double obs = 0;

	for (int i = 0; i < 2; i++)
		obs += splat_jnum(json_object_array_get_idx(
					  splat_jpath(b->summary, "boots"), i),
				  "observed_h", 0);
	assert_true(fabs(obs - 30.0) < 0.05);
	splat_bundle_free(b);

	b = fx_load("after-lost", 0);
	assert_non_null(b);
	assert_int_equal((int)splat_jnum(b->summary, "lost", 0), 50);
	splat_bundle_free(b);
}

static const struct json_object *find_check(const struct json_object *checks,
					    const char *what, int ok)
{
	for (size_t i = 0; i < json_object_array_length(checks); i++) {
		struct json_object *c = json_object_array_get_idx(checks, i);

		if (!strcmp(splat_jstr(c, "check"), what) &&
		    (int)splat_jnum(c, "ok", -1) == ok)
			return c;
	}
	return NULL;
}

static void write_summary(const char *dir)
{
	char err[512], path[4096];
	struct splat_bundle *b =
		splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY, err, sizeof(err));

	assert_non_null(b);
	struct json_object *doc = splat_bundle_recompute(b, 0.95, err, sizeof(err));

	assert_non_null(doc);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	assert_int_equal(splat_json_write_file(path, doc), 0);
	json_object_put(doc);
	splat_bundle_free(b);
}

/* A bundle carrying the run's pattern file (patterns.conf, copied there by
 * besser-soak) recomputes with it: the user pattern is counted again and
 * the file is part of the evidence; a broken one is an error naming it. */
static void test_recompute_patterns(void **state)
{
	(void)state;
	const char *dir = fx_copy("before");
	char path[4096], err[512] = "";

	snprintf(path, sizeof(path), "%s/patterns.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[signal]\nmatch = wlan0: signal check\n", f);
	fclose(f);
	struct splat_bundle *b =
		splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY, err, sizeof(err));
	assert_non_null(b);
	struct json_object *doc = splat_bundle_recompute(b, 0.95, err, sizeof(err));
	assert_non_null(doc);
	struct json_object *pats = splat_jpath(doc, "patterns");
	int seen = 0;
	for (size_t i = 0; i < json_object_array_length(pats); i++) {
		struct json_object *p = json_object_array_get_idx(pats, i);
		if (!strcmp(splat_jstr(p, "name"), "signal")) {
			assert_int_equal((int)splat_jnum(p, "count", -1), 44);
			seen++;
		}
		if (!strcmp(splat_jstr(p, "name"), "pattern-a"))
			assert_int_equal((int)splat_jnum(p, "count", -1), 43);
	}
	assert_int_equal(seen, 1);
	struct json_object *hv = NULL; /* a key with a dot: no jpath */
	assert_true(json_object_object_get_ex(splat_jpath(doc, "evidence"),
					      "patterns.conf", &hv));
	const char *h = json_object_get_string(hv);
	assert_non_null(h);
	assert_true(!strncmp(h, "sha256:", 7));
	json_object_put(doc);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[broken]\nmatch = ([unclosed\n", f);
	fclose(f);
	doc = splat_bundle_recompute(b, 0.95, err, sizeof(err));
	assert_null(doc);
	assert_non_null(strstr(err, "patterns.conf"));
	splat_bundle_free(b);
	fx_rmdir(dir);
}

static void test_verify(void **state)
{
	(void)state;
	const char *dir = fx_copy("before");
	char err[512], path[1024];
	struct json_object *checks;

	assert_non_null(dir);
	char saved[256];

	snprintf(saved, sizeof(saved), "%s", dir);
	dir = saved;
	/* no summary.json yet: a failed check */
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), 1);
	assert_non_null(find_check(checks, "summary.json present", 0));
	json_object_put(checks);

	write_summary(dir);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), 0);
	assert_non_null(find_check(checks, "summary recomputes identically", 1));
	assert_null(find_check(checks, "sha256", 0));
	json_object_put(checks);

	/* summary.json edited: the recomputation disagrees */
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	struct json_object *s = splat_json_read_file(path, err, sizeof(err));

	assert_non_null(s);
	json_object_object_add(s, "lost", json_object_new_int(7));
	assert_int_equal(splat_json_write_file(path, s), 0);
	json_object_put(s);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), 1);
	const struct json_object *c =
		find_check(checks, "summary recomputes identically", 0);

	assert_non_null(c);
	assert_non_null(strstr(splat_jstr(c, "detail"), "lost"));
	json_object_put(checks);
	write_summary(dir);

	/* kmsg.raw edited: its hash no longer matches meta.json */
	snprintf(path, sizeof(path), "%s/kmsg.raw", dir);
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs("6,9999,99999999999,-;injected\n", f);
	fclose(f);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), 1);
	c = find_check(checks, "sha256", 0);
	assert_non_null(c);
	assert_non_null(strstr(splat_jstr(c, "detail"), "kmsg.raw"));
	json_object_put(checks);

	/* a missing file */
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	unlink(path);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), 1);
	assert_non_null(find_check(checks, "events.jsonl", 0));
	json_object_put(checks);

	/* unreadable: meta.json not JSON */
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{ not json", f);
	fclose(f);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)), -1);
	assert_null(checks);
	assert_non_null(strstr(err, "meta.json"));
	fx_rmdir(dir);
	assert_int_equal(splat_bundle_verify("/nonexistent/bundle", &checks, err,
					     sizeof(err)),
			 -1);
}

static void test_transcribed(void **state)
{
	(void)state;
	char err[512];
	struct json_object *checks;
	struct splat_bundle *b = fx_load("results/reference/seed-baseline", 0);

	assert_non_null(b);
	assert_true(b->transcribed);
	assert_false(b->recomputed);
	assert_int_equal((int)splat_jnum(b->summary, "lockdep.boots_with_report", 0),
			 1);
	splat_bundle_free(b);
	assert_int_equal(splat_bundle_verify(fx_dir("results/reference/seed-baseline"),
					     &checks, err, sizeof(err)),
			 0);
	assert_non_null(find_check(checks, "transcribed", 1));
	json_object_put(checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_json_diff),
		cmocka_unit_test(test_recompute_before),
		cmocka_unit_test(test_recompute_patterns),
		cmocka_unit_test(test_reboot_and_lost),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_transcribed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
