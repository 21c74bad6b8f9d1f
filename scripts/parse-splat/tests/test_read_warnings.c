/* SPDX-License-Identifier: MIT */
/*
 * test_read_warnings - what compare, report and verify say about how a
 * run's log was read (splat_summary_read_warnings(), bundle.h): lines with
 * a report header that became no event, and boots whose times are not the
 * kernel's uptime.  Each from a real pipeline run on a small log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "splat/bundle.h"
#include "splat/pipeline.h"

static json_object *summarise(const char *log)
{
	struct splat_reader *r =
		splat_reader_open_mem(log, strlen(log), "t", SPLAT_FORMAT_AUTO);
	struct splat_patterns *p = splat_patterns_new();
	struct splat_summary *s = splat_summary_new();
	assert_non_null(r);
	splat_summary_add_patterns(s, p);
	struct splat_pipeline pl = {.patterns = p, .summary = s};
	assert_int_equal(splat_pipeline_run(&pl, r), 0);
	json_object *doc = splat_summary_to_json(s, 0.95);
	splat_summary_free(s);
	splat_patterns_free(p);
	splat_reader_close(r);
	return doc;
}

static json_object *warnings(json_object *sum)
{
	json_object *w = json_object_new_array();
	splat_summary_read_warnings(sum, "before", "run-1", w);
	return w;
}

static const char *warning(json_object *w, size_t i)
{
	return json_object_get_string(json_object_array_get_idx(w, i));
}

/* A console log with the kernel's uptime, every header read: nothing. */
static void test_clean_log(void **state)
{
	(void)state;
	json_object *sum = summarise(
		"[    1.000000] Booting Linux\n"
		"[    2.000000] WARNING: CPU: 0 PID: 1 at net/x.c:1 f+0x1/0x2\n"
		"[    2.000100] Call trace:\n"
		"[    2.000200]  f+0x1/0x2\n");
	json_object *w = warnings(sum);
	assert_int_equal(json_object_array_length(w), 0);
	json_object_put(w);
	json_object_put(sum);
}

/* An unknown line prefix hides a lockdep report: counted, warned. */
static void test_unrecognized(void **state)
{
	(void)state;
	json_object *sum = summarise(
		"12:00:01.123 <kern.warn> ======================================\n"
		"12:00:01.124 <kern.warn> WARNING: possible circular locking "
		"dependency detected\n"
		"12:00:01.125 <kern.warn> 6.12.7 #1 Not tainted\n");
	json_object *in;
	assert_true(json_object_object_get_ex(sum, "input", &in));
	json_object *n;
	assert_true(json_object_object_get_ex(in, "unrecognized_headers", &n));
	assert_int_equal(json_object_get_int64(n), 1);
	json_object *w = warnings(sum);
	assert_true(json_object_array_length(w) >= 1);
	assert_non_null(strstr(warning(w, 0), "before run run-1: 1 line of"));
	assert_non_null(strstr(warning(w, 0), "counts may be too low"));
	json_object_put(w);
	json_object_put(sum);
}

/* Wall clocks: the start known or not, each boot named. */
static void test_clocks(void **state)
{
	(void)state;
	json_object *sum = summarise(
		"Dec 04 10:00:00 tab kernel: mid-boot line\n"
		"Dec 04 10:00:05 tab kernel: another\n"
		"-- Boot 0123456789abcdef0123456789abcdef --\n"
		"Dec 04 11:00:00 tab kernel: Booting Linux on physical CPU 0x0\n"
		"Dec 04 11:00:09 tab kernel: up\n");
	json_object *w = warnings(sum);
	assert_int_equal(json_object_array_length(w), 2);
	assert_non_null(strstr(warning(w, 0), "boot 0: times from the wall "
					      "clock since the boot's first"));
	assert_non_null(strstr(warning(w, 1), "boot 1: times from the wall "
					      "clock since the boot's start"));
	json_object_put(w);
	json_object_put(sum);

	sum = summarise("no time here\nnor here\n");
	w = warnings(sum);
	assert_int_equal(json_object_array_length(w), 1);
	assert_non_null(strstr(warning(w, 0), "counts only, no exposure"));
	json_object_put(w);
	json_object_put(sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_log),
		cmocka_unit_test(test_unrecognized),
		cmocka_unit_test(test_clocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
