/* SPDX-License-Identifier: MIT */
/*
 * test_formats - the seed splat in every format people attach
 * (tests/fixtures/formats/, made by gen-formats.py from the console log):
 * each gives the one lockdep report and both Pattern A pairs, at the time
 * its clock allows, with the clock named; forced formats read their own
 * lines; then the rules of time and boots one by one on small inputs.
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
#include "splat/patterns.h"
#include "splat/pipeline.h"
#include "splat/reader.h"
#include "splat/summary.h"
#include "test_util.h"
#include "../src/reader_int.h" /* read_max: reads in small chunks */

static const char *top(void)
{
	const char *t = getenv("SPLAT_TOP");
	return t && *t ? t : ".";
}

static void quiet(void *ctx, enum splat_diag_level level, const char *name,
		  uint64_t line_no, const char *msg)
{
	(void)ctx, (void)level, (void)name, (void)line_no, (void)msg;
}

struct run {
	json_object *sum; /* summary.json */
	struct splat_unrecognized unrec;
	struct splat_reader_stats st;
	enum splat_format fmt;
};

/* Read data (or the fixture file when data is NULL) through the one
 * pipeline, chunk bytes per read (0: all at once). */
static struct run run_input(const char *file, const char *data,
			    const char *format, size_t chunk, bool every_line)
{
	char path[4096];
	size_t len = 0;
	char *buf = NULL;
	enum splat_format f = SPLAT_FORMAT_AUTO;
	struct run out;

	if (format)
		assert_int_equal(splat_format_parse(format, &f), 0);
	if (!data) {
		snprintf(path, sizeof(path),
			 "%s/scripts/parse-splat/tests/fixtures/formats/%s",
			 top(), file);
		buf = test_slurp_existing(path, &len);
		data = buf;
	} else {
		len = strlen(data);
	}
	struct splat_reader *r = splat_reader_open_mem(data, len, file, f);
	assert_non_null(r);
	splat_reader_set_diag(r, quiet, NULL);
	r->read_max = chunk;
	struct splat_patterns *pats = splat_patterns_new();
	struct splat_summary *s = splat_summary_new();
	splat_summary_add_patterns(s, pats);
	struct splat_pipeline pl = {
		.patterns = pats,
		.summary = s,
		.no_detail = true,
		.every_line = every_line,
	};
	assert_int_equal(splat_pipeline_run(&pl, r), 0);
	out.sum = splat_summary_to_json(s, 0.95);
	out.unrec = pl.unrecognized;
	out.st = *splat_reader_stats(r);
	out.fmt = splat_reader_format(r);
	splat_summary_free(s);
	splat_patterns_free(pats);
	splat_reader_close(r);
	free(buf);
	return out;
}

/* ---- the seed splat in every format --------------------------------- */

#define UP_EXACT 5140123470LL /* the header line's uptime, usec */

struct fmt_case {
	const char *file;
	const char *clock;  /* boots.0.clock; NULL: the kernel's uptime */
	int64_t first_usec; /* the report's time in that clock */
};

static const struct fmt_case fmt_cases[] = {
	/* the kernel's uptime is on the line: it wins */
	{.file = "journal-short-monotonic.log", .first_usec = UP_EXACT},
	{.file = "kern.log", .first_usec = UP_EXACT},
	{.file = "kernel-bare.log", .first_usec = UP_EXACT},
	{.file = "uptime-kernel.log", .first_usec = UP_EXACT},
	{.file = "syslog-kmsg.log", .first_usec = UP_EXACT},
	{.file = "netconsole-ext.log", .first_usec = UP_EXACT},
	{.file = "dmesg-d.log", .first_usec = UP_EXACT},
	{.file = "mail-quoted.log", .first_usec = UP_EXACT},
	{.file = "markdown-fence.log", .first_usec = UP_EXACT},
	{.file = "nbsp.log", .first_usec = UP_EXACT},
	{.file = "serial-caret-m.log", .first_usec = UP_EXACT},
	{.file = "serial-cr.log", .first_usec = UP_EXACT},
	{.file = "mixed.log", .first_usec = UP_EXACT},
	{.file = "lava.log", .first_usec = UP_EXACT},
/* only a wall clock: counted from the "Booting Linux" line */
#define WB "wall-since-boot-start"
	{"journal-short.log", WB, 5140000000LL}, /* whole seconds */
	{"journal-short-nohost.log", WB, 5140000000LL},
	{"journal-short-full.log", WB, 5140000000LL},
	{"journal-short-iso.log", WB, 5140000000LL},
	{"dmesg-T.log", WB, 5140000000LL},
	{"journal-short-precise.log", WB, UP_EXACT},
	{"journal-short-iso-precise.log", WB, UP_EXACT},
	{"journal-short-unix.log", WB, UP_EXACT},
	{"rsyslog-3339.log", WB, UP_EXACT},
	{"syslog-5424.log", WB, UP_EXACT},
	{"dmesg-iso.log", WB, UP_EXACT},
	{"dmesg-delta.log", WB, UP_EXACT},
	/* minute stamps lose the seconds: 10:25:00 plus the deltas since */
	{"dmesg-reltime.log", WB, 5100000014LL},
#undef WB
};

static void test_seed_in_every_format(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		const struct fmt_case *c = &fmt_cases[i];
		/* whole, in 7-byte reads, and without the fast path */
		for (int v = 0; v < 3; v++) {
			struct run g = run_input(c->file, NULL, NULL,
						 v == 1 ? 7 : 0, v == 2);
			const char *clock = splat_jstr(g.sum, "boots.0.clock");
			if (splat_jint(g.sum, "lockdep.boots_with_report",
				       -1) != 1 ||
			    splat_jint(g.sum, "input.boots", -1) != 1 ||
			    splat_jint(g.sum, "boots.0.first_report.usec",
				       -1) != c->first_usec ||
			    splat_jint(g.sum, "patterns.0.pairs", -1) != 2 ||
			    g.unrec.count != 0 ||
			    (c->clock ? !clock || strcmp(clock, c->clock)
				      : clock != NULL)) {
				print_error("%s (variant %d): %s\n", c->file, v,
					    json_object_to_json_string(g.sum));
				fail();
			}
			assert_string_equal(
				splat_jstr(g.sum, "lockdep.signatures.0.kind"),
				"irq-safe-unsafe");
			json_object_put(g.sum);
		}
	}
}

/* Every text row of the table, forced on its own file, reads it; forced
 * "text" on a journal file reads no report but is never a silent zero. */
static void test_forced_formats(void **state)
{
	static const struct {
		const char *file, *format;
	} forced[] = {
		{"journal-short.log", "journal-short"},
		{"kern.log", "kern.log"},
		{"journal-short-precise.log", "short-precise"},
		{"journal-short-iso.log", "short-iso"},
		{"rsyslog-3339.log", "rfc3339"},
		{"journal-short-full.log", "with-unit"},
		{"journal-short-monotonic.log", "short-monotonic"},
		{"journal-short-unix.log", "short-unix"},
		{"syslog-5424.log", "rfc5424"},
		{"dmesg-T.log", "dmesg-T"},
		{"dmesg-iso.log", "dmesg-iso"},
		{"dmesg-reltime.log", "dmesg-H"},
		{"dmesg-delta.log", "delta"},
		{"dmesg-d.log", "dmesg-delta"},
		{"netconsole-ext.log", "netconsole"},
		{"mail-quoted.log", "paste"},
		{"lava.log", "lava"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(forced) / sizeof(forced[0]); i++) {
		struct run g = run_input(forced[i].file, NULL, forced[i].format,
					 0, false);
		if (splat_jint(g.sum, "lockdep.boots_with_report", -1) != 1) {
			print_error("%s as %s: %s\n", forced[i].file,
				    forced[i].format,
				    json_object_to_json_string(g.sum));
			fail();
		}
		json_object_put(g.sum);
	}
	/* the old console-only reader on a journal: nothing read, but the
	 * header lines are counted, never a silent zero */
	struct run g = run_input("journal-short.log", NULL, "text", 0, false);
	assert_int_equal(splat_jint(g.sum, "lockdep.boots_with_report", -1), 0);
	assert_int_equal(g.unrec.count, 1); /* the splat's WARNING line */
	assert_int_equal(g.unrec.nfirst, 1);
	assert_int_equal(g.unrec.first[0], 13);
	assert_int_equal(splat_jint(g.sum, "input.unrecognized_headers", -1),
			 (int64_t)g.unrec.count);
	json_object_put(g.sum);
}

/* The table: every name and alias parses back to its row; help lines. */
static void test_format_table(void **state)
{
	(void)state;
	assert_true(splat_format_count() > SPLAT_FORMAT_DMESG_JSON + 10);
	for (unsigned i = 0; i < splat_format_count(); i++) {
		enum splat_format f;
		assert_int_equal(
			splat_format_parse(
				splat_format_name((enum splat_format)i), &f),
			0);
		assert_int_equal(f, i);
		assert_non_null(splat_format_help((enum splat_format)i));
		const char *const *al =
			splat_format_aliases((enum splat_format)i);
		for (unsigned j = 0; al[j]; j++) {
			assert_int_equal(splat_format_parse(al[j], &f), 0);
			assert_int_equal(f, i);
		}
	}
	enum splat_format f;
	assert_int_equal(splat_format_parse("no-such-format", &f), -1);
	assert_string_equal(splat_format_name((enum splat_format)9999),
			    "unknown");
	assert_null(splat_reader_open_mem(
		"", 0, "x", (enum splat_format)splat_format_count()));
}

/* ---- time and boots -------------------------------------------------- */

static void test_boot_markers(void **state)
{
	(void)state;
	/* two boots in journalctl -k: each from its marker */
	struct run g = run_input(
		"markers",
		"-- Boot 0123456789abcdef0123456789abcdef --\n"
		"Dec 04 10:00:00 tab kernel: Booting Linux on physical CPU 0x0\n"
		"Dec 04 10:00:30 tab kernel: hello\n"
		"-- Boot fedcba9876543210fedcba9876543210 --\n"
		"Dec 04 11:00:00 tab kernel: Booting Linux on physical CPU 0x0\n"
		"Dec 04 11:00:05 tab kernel: again\n",
		NULL, 0, false);
	assert_int_equal(splat_jint(g.sum, "input.boots", -1), 2);
	assert_string_equal(splat_jstr(g.sum, "boots.1.boot_id"),
			    "fedcba9876543210fedcba9876543210");
	assert_int_equal(splat_jint(g.sum, "boots.0.end_usec", -1), 30000000);
	assert_int_equal(splat_jint(g.sum, "boots.1.end_usec", -1), 5000000);
	assert_string_equal(splat_jstr(g.sum, "boots.1.clock"),
			    "wall-since-boot-start");
	json_object_put(g.sum);

	/* a syslog file: the kernel's first line starts the next boot */
	g = run_input("reboot",
		      "Dec 31 23:59:00 tab kernel: late\n"
		      "Dec 31 23:59:30 tab kernel: later\n"
		      "Jan  1 00:10:00 tab kernel: Linux version 6.12.7\n"
		      "Jan  1 00:10:09 tab kernel: up\n",
		      NULL, 0, false);
	assert_int_equal(splat_jint(g.sum, "input.boots", -1), 2);
	/* the first boot's start is unknown: counted from its first line */
	assert_string_equal(splat_jstr(g.sum, "boots.0.clock"),
			    "wall-since-first-line");
	assert_int_equal(splat_jint(g.sum, "boots.0.end_usec", -1), 30000000);
	/* across the new year (no year in RFC 3164) */
	assert_string_equal(splat_jstr(g.sum, "boots.1.clock"),
			    "wall-since-boot-start");
	assert_int_equal(splat_jint(g.sum, "boots.1.end_usec", -1), 9000000);
	json_object_put(g.sum);

	/* "Booting Linux" then "Linux version": one boot */
	g = run_input(
		"one",
		"2026-12-04T10:00:00+00:00 tab kernel: Booting Linux on x\n"
		"2026-12-04T10:00:00+00:00 tab kernel: Linux version 6\n"
		"2026-12-04T10:00:02+01:00 tab kernel: in another zone\n",
		NULL, 0, false);
	assert_int_equal(splat_jint(g.sum, "input.boots", -1), 1);
	/* 10:00:02+01:00 is 09:00:02 UTC: before the start, counted 0 */
	assert_int_equal(splat_jint(g.sum, "boots.0.end_usec", -1), 0);
	json_object_put(g.sum);
}

/* Where a line of the boot has both clocks, the others take its offset:
 * kernel uptime for all. */
static void test_clock_offset(void **state)
{
	(void)state;
	struct run g = run_input(
		"offset",
		"Dec 04 10:00:00 tab kernel: [  100.000000] with uptime\n"
		"Dec 04 10:00:50 tab kernel: without\n",
		NULL, 0, false);
	assert_null(splat_jstr(g.sum, "boots.0.clock"));
	assert_int_equal(splat_jint(g.sum, "boots.0.end_usec", -1), 150000000);
	json_object_put(g.sum);
}

/* Other programs' lines are no records; a foreign "WARNING:" is not the
 * kernel's, so not even an unrecognized header. */
static void test_foreign_lines(void **state)
{
	(void)state;
	struct run g = run_input(
		"syslog",
		"Dec 04 10:00:00 tab systemd[1]: Started x.\n"
		"Dec 04 10:00:01 tab NetworkManager[512]: <warn> WARNING: y\n"
		"Dec 04 10:00:02 tab kernel: wlan0: associated\n",
		NULL, 0, false);
	assert_int_equal(g.st.foreign, 2);
	assert_int_equal(splat_jint(g.sum, "input.records", -1), 1);
	assert_int_equal(g.unrec.count, 0);
	json_object_put(g.sum);
}

/* rsyslog escapes control characters: "#011" is a tab, "#012" a line
 * break inside one record (both lines reach the analyzer). */
static void test_rsyslog_escapes(void **state)
{
	(void)state;
	struct run g = run_input(
		"esc",
		"Dec 04 10:00:00 tab kernel: [ 5.0] a#011b\n"
		"Dec 04 10:00:01 tab kernel: [ 6.0] x#012WARNING: CPU: 0 PID: 1 "
		"at net/x.c:1 f+0x1/0x2\n",
		NULL, 0, false);
	assert_int_equal(g.unrec.count, 0);
	assert_int_equal(json_object_array_length(splat_jpath(g.sum, "bugs")),
			 1);
	assert_string_equal(splat_jstr(g.sum, "bugs.0.kind"), "warning");
	json_object_put(g.sum);
}

/* A word of one or two letters before a day and a time is no month: the
 * month-name fallback must not read before the line (fuzzing found it;
 * fuzz/regressions/syslog-short-month-underflow). */
static void test_short_month_words(void **state)
{
	(void)state;
	struct run g = run_input("short",
				 "OK 12 10:00:00 tab kernel: x\n"
				 "A 04 10:00:00 tab kernel: y\n"
				 "кві 09 19:54:36 tab kernel: z\n",
				 NULL, 0, false);
	assert_int_equal(splat_jint(g.sum, "input.records", -1), 3);
	assert_int_equal(g.st.wrapped, 1); /* only the Ukrainian month */
	json_object_put(g.sum);
}

/* Every guard string in the middle of a line whose prefix no reader
 * knows, among lines the fast path passes over: each counted, with the
 * fast path and without (the prefilter must hold the guard's pairs). */
static void test_guard_mid_line(void **state)
{
	static const char *const headers[] = {
		"WARNING: possible circular locking dependency detected",
		"BUG: sleeping function called from invalid context",
		"INFO: trying to register non-static key.",
		"Internal error: Oops: 96000005 [#1] PREEMPT SMP",
	};
	char log[8192];
	size_t o = 0;
	(void)state;
	for (size_t h = 0; h < 4; h++) {
		for (int i = 0; i < 20; i++)
			o += (size_t)snprintf(
				log + o, sizeof(log) - o,
				"[ %3zu.%06d] wlan0: ordinary %d\n", h, i, i);
		o += (size_t)snprintf(log + o, sizeof(log) - o, "@@%zu@@ %s\n",
				      h, headers[h]);
	}
	o += (size_t)snprintf(log + o, sizeof(log) - o,
			      "[ 9.000000] wlan0: last\n");
	/* the prefilter's promise: each string holds one of the pairs */
	static const char *const needles[] = {
		"WARNING:", "BUG:", "INFO:", "Oops"};
	for (size_t k = 0; k < 4; k++) {
		const char *nd = needles[k];
		bool held = false;
		for (size_t j = 0; j < SPLAT_GUARD_NPAIRS; j++)
			for (size_t i = 0; nd[i]; i++)
				held |= (unsigned char)nd[i] ==
						splat_guard_pairs[j].a &&
					i + splat_guard_pairs[j].d <
						strlen(nd) &&
					(unsigned char)nd[i +
							  splat_guard_pairs[j]
								  .d] ==
						splat_guard_pairs[j].b;
		if (!held) {
			print_error("no guard pair in \"%s\"\n", nd);
			fail();
		}
		assert_true(splat_guard_line(nd, strlen(nd)));
	}
	for (int every = 0; every < 2; every++) {
		struct run g = run_input("guard", log, NULL, 0, every);
		assert_int_equal(g.unrec.count, 4);
		assert_int_equal(g.unrec.nfirst, 4);
		assert_int_equal(g.unrec.first[3], 84);
		json_object_put(g.sum);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_seed_in_every_format),
		cmocka_unit_test(test_forced_formats),
		cmocka_unit_test(test_boot_markers),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_foreign_lines),
		cmocka_unit_test(test_rsyslog_escapes),
		cmocka_unit_test(test_short_month_words),
		cmocka_unit_test(test_guard_mid_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
