/* SPDX-License-Identifier: MIT */
/*
 * test_bundle - run bundles: sha256, JSON diff, the summary recomputed from
 * kmsg.raw + ops.jsonl (ops member, boots, lost), verify's checks, the
 * workload's success shares and the warnings about the kinds a claim needs.
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
	assert_int_equal((int)splat_jnum(s, "ops.kinds.scan-5g-multi.count", 0),
			 6);
	assert_int_equal(
		(int)splat_jnum(s, "ops.kinds.scan-5g-multi.outcomes.refused",
				0),
		6);
	assert_true(fabs(splat_jnum(s, "ops.per_h", 0) - 12.0) < 0.01);
	/* per 1000 scans of pattern-a = its count / 24 scans * 1000 */
	struct json_object *pats = splat_jpath(s, "patterns");
	double cnt = -1;

	for (size_t i = 0; pats && i < json_object_array_length(pats); i++)
		if (!strcmp(splat_jstr(json_object_array_get_idx(pats, i),
				       "name"),
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
	assert_int_equal(
		json_object_array_length(splat_jpath(b->summary, "boots")), 2);
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
	struct splat_bundle *b = splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY,
						   err, sizeof(err));

	assert_non_null(b);
	struct json_object *doc =
		splat_bundle_recompute(b, 0.95, err, sizeof(err));

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
	struct splat_bundle *b = splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY,
						   err, sizeof(err));
	assert_non_null(b);
	struct json_object *doc =
		splat_bundle_recompute(b, 0.95, err, sizeof(err));
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
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 1);
	assert_non_null(find_check(checks, "summary.json present", 0));
	json_object_put(checks);

	write_summary(dir);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 0);
	assert_non_null(
		find_check(checks, "summary recomputes identically", 1));
	assert_null(find_check(checks, "sha256", 0));
	json_object_put(checks);

	/* summary.json edited: the recomputation disagrees */
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	struct json_object *s = splat_json_read_file(path, err, sizeof(err));

	assert_non_null(s);
	json_object_object_add(s, "lost", json_object_new_int(7));
	assert_int_equal(splat_json_write_file(path, s), 0);
	json_object_put(s);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 1);
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
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 1);
	c = find_check(checks, "sha256", 0);
	assert_non_null(c);
	assert_non_null(strstr(splat_jstr(c, "detail"), "kmsg.raw"));
	json_object_put(checks);

	/* a missing file */
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	unlink(path);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 1);
	assert_non_null(find_check(checks, "events.jsonl", 0));
	json_object_put(checks);

	/* unreadable: meta.json not JSON */
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{ not json", f);
	fclose(f);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 -1);
	assert_null(checks);
	assert_non_null(strstr(err, "meta.json"));
	fx_rmdir(dir);
	assert_int_equal(splat_bundle_verify("/nonexistent/bundle", &checks,
					     err, sizeof(err)),
			 -1);
}

static int n_warning_checks(const struct json_object *checks,
			    const char *needle)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(checks); i++) {
		struct json_object *c = json_object_array_get_idx(checks, i);

		if (splat_jnum(c, "warning", 0) &&
		    (!needle || strstr(splat_jstr(c, "detail"), needle)))
			n++;
	}
	return n;
}

static void test_verify_workload(void **state)
{
	(void)state;
	char err[512], saved[256];
	struct json_object *checks;
	const char *dir = fx_copy("after-trafficfail");

	assert_non_null(dir);
	snprintf(saved, sizeof(saved), "%s", dir);
	dir = saved;
	write_summary(dir);
	/* intact bundle: verified, but the failing traffic is listed */
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 0);
	const struct json_object *c = find_check(checks, "workload", 1);

	assert_non_null(c);
	assert_non_null(strstr(splat_jstr(c, "detail"), "traffic 20/60"));
	assert_int_equal(n_warning_checks(checks, NULL), 1);
	assert_int_equal(n_warning_checks(checks,
					  "workload: traffic failed in 40 "
					  "of 60 operations (67 %"),
			 1);
	json_object_put(checks);
	/* a threshold above 67 %: listed, no warning */
	assert_int_equal(
		splat_bundle_verify_ex(dir, 0.7, &checks, err, sizeof(err)), 0);
	assert_non_null(find_check(checks, "workload", 1));
	assert_int_equal(n_warning_checks(checks, NULL), 0);
	json_object_put(checks);
	fx_rmdir(dir);

	/* a healthy workload: no warning */
	dir = fx_copy("after-fixed");
	assert_non_null(dir);
	snprintf(saved, sizeof(saved), "%s", dir);
	dir = saved;
	write_summary(dir);
	assert_int_equal(splat_bundle_verify(dir, &checks, err, sizeof(err)),
			 0);
	assert_non_null(find_check(checks, "workload", 1));
	assert_int_equal(n_warning_checks(checks, NULL), 0);
	json_object_put(checks);
	fx_rmdir(dir);
}

static struct json_object *kind(int ok, int busy, int refused, int failed,
				int timeout)
{
	struct json_object *k = json_object_new_object(),
			   *o = json_object_new_object();
	const int n[] = {ok, busy, refused, failed, timeout};
	const char *name[] = {"ok", "busy", "refused", "failed", "timeout"};

	for (int i = 0; i < 5; i++)
		if (n[i])
			json_object_object_add(o, name[i],
					       json_object_new_int(n[i]));
	json_object_object_add(
		k, "count",
		json_object_new_int(ok + busy + refused + failed + timeout));
	json_object_object_add(k, "outcomes", o);
	return k;
}

static int n_with(struct json_object *w, const char *needle)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(w); i++)
		n += strstr(json_object_get_string(
				    json_object_array_get_idx(w, i)),
			    needle) != NULL;
	return n;
}

static void test_ops_shares(void **state)
{
	(void)state;
	struct json_object *kinds = json_object_new_object();

	/* 10 traffic: 7 ok, 2 failed, 1 timeout -> 30 % failed */
	json_object_object_add(kinds, "traffic", kind(7, 0, 0, 2, 1));
	/* conn-cycle: 4 ok, 1 failed of 5 -> exactly 20 %: not more than 20 %
	 */
	json_object_object_add(kinds, "conn-cycle", kind(4, 0, 0, 1, 0));
	/* multi-channel 5 GHz scans: only busy -> none performed */
	json_object_object_add(kinds, "scan-5g-multi", kind(0, 6, 0, 0, 0));
	/* not a claim kind: fails freely */
	json_object_object_add(kinds, "scan-full", kind(0, 0, 0, 5, 0));
	struct json_object *sh = splat_ops_shares(kinds);

	assert_int_equal((int)splat_jnum(sh, "traffic.failed", -1), 3);
	assert_true(fabs(splat_jnum(sh, "traffic.failed_share", 0) - 0.3) <
		    1e-12);
	assert_true(fabs(splat_jnum(sh, "traffic.succeeded_share", 0) - 0.7) <
		    1e-12);
	assert_int_equal((int)splat_jnum(sh, "scan-5g-multi.performed", -1), 0);
	assert_null(splat_jpath(sh, "scan-5g-multi.succeeded_share"));
	assert_null(splat_jpath(sh, "scan-full.claim"));
	assert_non_null(splat_jstr(sh, "scan-5g-multi.claim"));

	struct json_object *w = json_object_new_array();

	assert_int_equal(splat_ops_failure_warnings(sh, "before", 0.20, w), 2);
	assert_int_equal(
		n_with(w, "before: traffic failed in 3 of 10 operations (30 %"),
		1);
	assert_int_equal(n_with(w, "all 6 scan-5g-multi operations were busy"),
			 1);
	assert_int_equal(n_with(w, "conn-cycle"), 0);
	assert_int_equal(n_with(w, "scan-full"), 0);
	json_object_put(w);
	/* 0 % (any failure warns, as the CLI maps it) */
	w = json_object_new_array();
	assert_int_equal(splat_ops_failure_warnings(sh, "run", 1e-12, w), 3);
	assert_int_equal(n_with(w, "run: conn-cycle failed in 1 of 5"), 1);
	json_object_put(w);
	json_object_put(sh);

	/* a claim kind missing from a workload that ran */
	json_object_object_del(kinds, "traffic");
	sh = splat_ops_shares(kinds);
	w = json_object_new_array();
	splat_ops_failure_warnings(sh, "after", 0.20, w);
	assert_int_equal(
		n_with(w, "after: no traffic operations in the workload"), 1);
	json_object_put(w);
	json_object_put(sh);
	json_object_put(kinds);
	/* no workload at all: nothing to say (other warnings cover it) */
	sh = splat_ops_shares(NULL);
	w = json_object_new_array();
	assert_int_equal(splat_ops_failure_warnings(sh, "after", 0.20, w), 0);
	json_object_put(w);
	json_object_put(sh);

	double v = -1;

	assert_int_equal(splat_parse_op_failure("20", &v), 0);
	assert_true(fabs(v - 0.2) < 1e-12);
	assert_int_equal(splat_parse_op_failure("12.5%", &v), 0);
	assert_true(fabs(v - 0.125) < 1e-12);
	assert_int_equal(splat_parse_op_failure("0", &v), 0);
	assert_true(v == 0.0);
	assert_int_equal(splat_parse_op_failure("101", &v), -1);
	assert_int_equal(splat_parse_op_failure("-1", &v), -1);
	assert_int_equal(splat_parse_op_failure("20x", &v), -1);
	assert_int_equal(splat_parse_op_failure("", &v), -1);
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
	assert_int_equal(
		(int)splat_jnum(b->summary, "lockdep.boots_with_report", 0), 1);
	splat_bundle_free(b);
	assert_int_equal(
		splat_bundle_verify(fx_dir("results/reference/seed-baseline"),
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
		cmocka_unit_test(test_verify_workload),
		cmocka_unit_test(test_ops_shares),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
