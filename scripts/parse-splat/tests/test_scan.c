/* SPDX-License-Identifier: MIT */
/*
 * test_scan - `splat scan` end to end: output forms and exit codes.  The
 * command is compiled into this test (cli/cmd_scan.c) so that the
 * sanitizer and aarch64 builds run it too; stdout and stderr are captured.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../cli/cmd_scan.c"
#include "splat_test_events.h"

struct out {
	int rc;
	char *stdout_text;
	char *stderr_text;
};

static char *slurp(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	size_t got = fread(buf, 1, (size_t)n, f);
	buf[got] = '\0';
	return buf;
}

/* Run `splat scan ARGS...` with stdout/stderr captured. */
static struct out scan(const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"scan";
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && argc < 31;
	     a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	FILE *o = tmpfile(), *e = tmpfile();
	assert_non_null(o);
	assert_non_null(e);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	struct out r;
	r.rc = cmd_scan(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	fseek(o, 0, SEEK_END);
	fseek(e, 0, SEEK_END);
	r.stdout_text = slurp(o);
	r.stderr_text = slurp(e);
	fclose(o);
	fclose(e);
	return r;
}

static void out_free(struct out *r)
{
	free(r->stdout_text);
	free(r->stderr_text);
}

static char seed[4096], seed_kmsg[4096], fx_dir[4096], pat_dir[4096];

static int setup(void **state)
{
	(void)state;
	snprintf(
		seed, sizeof(seed),
		"%s/scripts/parse-splat/tests/fixtures/input/seed-splat.journal.json",
		top_dir());
	snprintf(seed_kmsg, sizeof(seed_kmsg),
		 "%s/scripts/parse-splat/tests/fixtures/input/seed-splat.kmsg",
		 top_dir());
	snprintf(fx_dir, sizeof(fx_dir),
		 "%s/scripts/parse-splat/tests/fixtures/splat", top_dir());
	snprintf(pat_dir, sizeof(pat_dir),
		 "%s/scripts/parse-splat/tests/fixtures/patterns", top_dir());
	return 0;
}

static void test_usage(void **state)
{
	(void)state;
	struct out r = scan("--help", NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	assert_non_null(strstr(r.stdout_text, "usage: splat scan"));
	assert_non_null(strstr(r.stdout_text, "Exit status"));
	out_free(&r);

	r = scan(NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "no input"));
	out_free(&r);

	r = scan("--format", "xml", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "unknown format 'xml'"));
	out_free(&r);

	r = scan("--fail-on", "deadlocks", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "--fail-on 'deadlocks'"));
	out_free(&r);

	r = scan("--bogus", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	out_free(&r);

	r = scan("--confidence", "1.5", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	out_free(&r);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct out r = scan("/nonexistent/kmsg.raw", NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "/nonexistent/kmsg.raw"));
	out_free(&r);

	/* empty input is not a silent zero */
	char path[4096];
	snprintf(path, sizeof(path), "%s/splat-scan-empty-%d", P_tmpdir,
		 getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	r = scan(path, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "no kernel log records"));
	out_free(&r);

	/* binary junk: diagnosed, exit 2, no crash */
	f = fopen(path, "wb");
	unsigned x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, f);
	}
	fclose(f);
	r = scan(path, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	out_free(&r);

	/* a bad pattern file: FILE:LINE on stderr, exit 2 */
	char pf[4200];
	snprintf(pf, sizeof(pf), "%s/bad-window.patterns", pat_dir);
	r = scan("--patterns", pf, seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_USAGE);
	assert_non_null(strstr(r.stderr_text, "bad-window.patterns:3:"));
	out_free(&r);

	/* CRLF text is still text: the report is found */
	f = fopen(path, "wb");
	char fx[4200];
	snprintf(fx, sizeof(fx), "%s/recursive.txt", fx_dir);
	FILE *in = fopen(fx, "r");
	assert_non_null(in);
	char line[1024];
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		fprintf(f, "%s\r\n", line);
	}
	fclose(in);
	fclose(f);
	r = scan("--fail-on", "recursive", path, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_MATCHED);
	assert_non_null(
		strstr(r.stdout_text, "possible deadlock in bar_reset"));
	out_free(&r);
	unlink(path);
}

static void test_table_and_fail_on(void **state)
{
	(void)state;
	struct out r = scan(seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	assert_non_null(strstr(r.stdout_text, "irq-safe-unsafe"));
	assert_non_null(strstr(r.stdout_text,
			       "possible deadlock in bes2600_queue_clear"));
	assert_non_null(strstr(r.stdout_text, "pattern-pair"));
	assert_non_null(strstr(r.stdout_text, "1 lockdep"));
	out_free(&r);

	static const struct {
		const char *kind;
		int rc;
	} fo[] = {
		{"lockdep", SPLAT_EXIT_MATCHED},
		{"irq-safe-unsafe", SPLAT_EXIT_MATCHED},
		{"circular", SPLAT_EXIT_OK},
		{"bug", SPLAT_EXIT_OK},
		{"pattern-a", SPLAT_EXIT_MATCHED},
		{"any", SPLAT_EXIT_MATCHED},
		{"lockdep-off", SPLAT_EXIT_OK},
	};
	for (size_t i = 0; i < sizeof(fo) / sizeof(fo[0]); i++) {
		r = scan("--fail-on", fo[i].kind, seed, NULL);
		printf("  --fail-on %-16s -> %d\n", fo[i].kind, r.rc);
		assert_int_equal(r.rc, fo[i].rc);
		out_free(&r);
	}
	char w[4200];
	snprintf(w, sizeof(w), "%s/warn-oops.txt", fx_dir);
	r = scan("--fail-on", "bug", w, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_MATCHED);
	out_free(&r);
	r = scan("--fail-on", "lockdep", w, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	out_free(&r);
}

static void test_json_lines(void **state)
{
	(void)state;
	struct out r = scan("--json", seed_kmsg, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	unsigned lines = 0, lockdep = 0;
	for (char *s = strtok(r.stdout_text, "\n"); s; s = strtok(NULL, "\n")) {
		json_object *o = json_tokener_parse(s);
		assert_non_null(o);
		assert_non_null(splat_jstr(o, "type"));
		assert_non_null(splat_jstr(o, "file"));
		if (!strcmp(splat_jstr(o, "type"), "lockdep")) {
			lockdep++;
			assert_string_equal(splat_jstr(o, "kind"),
					    "irq-safe-unsafe");
			assert_string_equal(splat_jstr(o, "irq_class"),
					    "SOFTIRQ");
		}
		json_object_put(o);
		lines++;
	}
	assert_int_equal(lockdep, 1);
	assert_true(lines >= 5);
	out_free(&r);
}

static void test_summary_output(void **state)
{
	(void)state;
	struct out r = scan("--summary", "--json", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	json_object *doc = json_tokener_parse(r.stdout_text);
	assert_non_null(doc);
	assert_string_equal(splat_jstr(doc, "schema"),
			    "besser-verify/summary/1");
	json_object *ld;
	assert_true(json_object_object_get_ex(doc, "lockdep", &ld));
	json_object *v;
	assert_true(json_object_object_get_ex(ld, "boots_with_report", &v));
	assert_int_equal(json_object_get_int(v), 1);
	json_object_put(doc);
	out_free(&r);

	r = scan("--summary", seed, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	assert_non_null(strstr(r.stdout_text,
			       "lockdep: 1 of 2 boots ended by a report"));
	assert_non_null(strstr(r.stdout_text, "pattern-a: 3 lines"));
	out_free(&r);

	/* two files: boots are numbered across them */
	r = scan("--summary", "--json", seed, seed_kmsg, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	doc = json_tokener_parse(r.stdout_text);
	assert_non_null(doc);
	json_object *in, *boots;
	assert_true(json_object_object_get_ex(doc, "input", &in));
	assert_true(json_object_object_get_ex(in, "boots", &boots));
	assert_int_equal(json_object_get_int(boots), 3);
	assert_true(json_object_object_get_ex(doc, "lockdep", &ld));
	assert_true(json_object_object_get_ex(ld, "boots_with_report", &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(doc);
	out_free(&r);
}

static void test_user_patterns_cli(void **state)
{
	(void)state;
	char pf[4200], log[4200];
	snprintf(pf, sizeof(pf), "%s/good.patterns", pat_dir);
	snprintf(log, sizeof(log), "%s/splat-scan-log-%d", P_tmpdir, getpid());
	FILE *f = fopen(log, "w");
	assert_non_null(f);
	fprintf(f, "[ 1.0] wlan0: association failed, status 17\n"
		   "[ 2.0] wlan0: associated\n");
	fclose(f);
	struct out r =
		scan("--patterns", pf, "--fail-on", "join-fail", log, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_MATCHED);
	assert_non_null(strstr(r.stdout_text, "join-fail"));
	out_free(&r);
	r = scan("--patterns", pf, "--fail-on", "tx-timeout", log, NULL);
	assert_int_equal(r.rc, SPLAT_EXIT_OK);
	out_free(&r);
	unlink(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_table_and_fail_on),
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_summary_output),
		cmocka_unit_test(test_user_patterns_cli),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
