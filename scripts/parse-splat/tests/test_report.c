/* SPDX-License-Identifier: MIT */
/*
 * test_report - report.md sections and numbers, plot.svg structure (one
 * panel per boot, plain SVG that parses as XML: xmllint), the results index.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "bundle_fixtures.h"
#include "splat/bundle.h"
#include "splat/report.h"
#include "splat/stats.h"

static char *render_md(const char *name)
{
	struct splat_bundle *b = fx_load(name, 0);
	FILE *f = tmpfile();

	assert_non_null(b);
	assert_non_null(f);
	splat_report_markdown(f, &b, 1, 0.95, "plot.svg");
	char *s = fx_slurp(f);

	fclose(f);
	splat_bundle_free(b);
	assert_non_null(s);
	return s;
}

static char *render_svg(const char *name, char *path, size_t pathlen)
{
	struct splat_bundle *b = fx_load(name, 0);
	char dir[] = "/tmp/splat-svg-XXXXXX";

	assert_non_null(b);
	assert_non_null(mkdtemp(dir));
	snprintf(path, pathlen, "%s/plot.svg", dir);
	FILE *f = fopen(path, "w+");

	assert_non_null(f);
	splat_report_svg(f, &b, 1);
	char *s = fx_slurp(f);

	fclose(f);
	splat_bundle_free(b);
	assert_non_null(s);
	return s;
}

static void test_report_sections(void **state)
{
	(void)state;
	char *md = render_md("before");
	static const char *const need[] = {
		"## Soak report (splat report)",
		"#### Provenance",
		"| kernel | `6.12.7-danctnix1-lockdep`",
		"| CONFIG_PROVE_LOCKING | y |",
		"| lockdep at start / end | on (debug_locks 1) / on (debug_locks 1) |",
		"srcversion `BEB625FA7443171EA8D55F7`",
		"#### Workload",
		"36 operations (12/h), 24 scans (8/h)",
		"| `scan-5g-multi` | 6 | 2 | 0 | 0 | 6 | 0 | 0 | 0 | 100 % (claim) |",
		"| `traffic` | 6 | 2 | 6 | 0 | 0 | 0 | 0 | 0 | 100 % (claim) |",
		"#### Lockdep",
		"1 of 1 boots with a report",
		"| `irq-safe-unsafe` | possible deadlock in bes2600",
		"`irq-safe-unsafe:SOFTIRQ:&queue->lock -> "
		"&hw_priv->tx_loop.pending_record_lock`",
		/* 43 Pattern A pairs in 3 h: the worked example */
		"| `pattern-a` | 43 | 3.00 h | 14.3/h | 10.4–19.3/h | 1792 |",
		"#### Patterns",
		"| `pattern-a` |",
		"#### Lost kmsg records\n\n0\n",
		"![cumulative events over uptime per boot, workload beneath](plot.svg)",
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!strstr(md, need[i])) {
			print_error("report.md lacks: %s\n", need[i]);
			fail();
		}
	/* the lockdep rate line: 1 report in 5140.123 s, exact interval */
	double lo, hi, t = 5140.123463 / 3600;
	char want[128];

	splat_poisson_mean_ci(1, 0.95, &lo, &hi);
	snprintf(want, sizeof(want), "| 0.7/h | %.3g–%.3g/h |", lo / t, hi / t);
	if (!strstr(md, want)) {
		print_error("report.md lacks: %s\n", want);
		fail();
	}
	/* no warnings for a clean, complete run */
	assert_null(strstr(md, "#### Warnings"));
	free(md);
}

static void test_report_warnings(void **state)
{
	(void)state;
	char *md = render_md("after-lockdepoff");

	assert_non_null(strstr(md, "#### Warnings"));
	assert_non_null(strstr(md, "lockdep turned itself off (max-too-low)"));
	assert_non_null(strstr(md, "**lockdep off without a report**"));
	assert_non_null(strstr(md, "**off** (debug_locks 0)"));
	free(md);
	md = render_md("after-lost");
	assert_non_null(strstr(md, "50 kmsg records were lost"));
	assert_non_null(strstr(md, "#### Lost kmsg records\n\n50\n"));
	assert_non_null(strstr(md, "missing provenance"));
	free(md);
	/* a workload whose traffic mostly failed: a warning at the top */
	md = render_md("after-trafficfail");
	const char *w = strstr(md, "- workload: traffic failed in 40 of 60 "
				   "operations (67 %, more than 20 %)");

	assert_non_null(w);
	assert_true(strstr(md, "#### Warnings") < w);
	assert_true(w < strstr(md, "#### Workload"));
	assert_non_null(strstr(
		md,
		"| `traffic` | 60 | 2 | 20 | 0 | 0 | 40 | 0 | 0 | 33 % (claim) |"));
	free(md);
	/* the threshold is an option: 70 % lets it pass, 0 % flags any */
	{
		struct splat_bundle *b = fx_load("after-trafficfail", 0);
		FILE *f = tmpfile();

		assert_non_null(b);
		assert_non_null(f);
		splat_report_markdown_ex(f, &b, 1, 0.95, 0.70, NULL);
		md = fx_slurp(f);
		fclose(f);
		assert_null(strstr(md, "traffic failed"));
		free(md);
		splat_bundle_free(b);
	}
	md = render_md("after-reboot");
	assert_non_null(strstr(md, "the run spans 2 boots"));
	assert_non_null(strstr(md, "| complete | **no**: reboot at 15 h"));
	free(md);
}

static int xmllint_ok(const char *path)
{
	char cmd[1024];

	if (system("xmllint --version >/dev/null 2>&1") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	int st = system(cmd);

	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void check_svg(const char *svg, const char *path, size_t boots)
{
	assert_true(!strncmp(svg, "<?xml version=\"1.0\"", 19));
	assert_non_null(
		strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_int_equal(fx_count(svg, "<svg"), 1);
	assert_int_equal(fx_count(svg, "</svg>"), 1);
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "onload"));
	assert_null(strstr(svg, "href"));
	/* one panel per boot, each with its title */
	assert_int_equal(fx_count(svg, " — boot "), boots);
	assert_int_equal(fx_count(svg, "<g transform="), boots);
	assert_int_equal(fx_count(svg, "<g"), fx_count(svg, "</g>"));
	int r = xmllint_ok(path);

	if (r < 0) {
		print_message("xmllint missing (libxml2-utils): XML check "
			      "skipped\n");
		skip();
	}
	assert_int_equal(r, 1);
}

static void test_svg(void **state)
{
	(void)state;
	char path[256];
	char *svg = render_svg("before", path, sizeof(path));

	/* the ops lanes: one label per op kind that ran */
	assert_non_null(strstr(svg, ">scan-5g-multi</text>"));
	assert_non_null(strstr(svg, ">conn-cycle</text>"));
	/* refused scans are drawn in the refused colour */
	assert_non_null(strstr(svg, "fill=\"#ff7f0e\"/>"));
	/* the lockdep report: a red step and a dashed marker */
	assert_non_null(strstr(svg, "stroke=\"#d62728\" stroke-dasharray"));
	assert_true(fx_count(svg, "<polyline") >= 2);
	check_svg(svg, path, 1);
	free(svg);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

static void test_svg_reboot(void **state)
{
	(void)state;
	char path[256];
	char *svg = render_svg("after-reboot", path, sizeof(path));

	check_svg(svg, path, 2);
	free(svg);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

static char *svg_of(struct splat_bundle *b)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	splat_report_svg(f, &b, 1);
	char *s = fx_slurp(f);

	fclose(f);
	assert_non_null(s);
	return s;
}

/* The time axis in a unit that fits the run: hours for the 3 h fixture,
 * minutes for the 1 h one, seconds for a 90 s boot; never "0.01 h". */
static void test_svg_time_axis(void **state)
{
	(void)state;
	struct splat_bundle *b = fx_load("before", 0);

	assert_non_null(b);
	char *s = svg_of(b);

	assert_non_null(strstr(s, ">1 h</text>"));
	assert_non_null(strstr(s, ">2 h</text>"));
	assert_null(strstr(s, " min</text>"));
	assert_non_null(strstr(s, " — boot 0 (3.00 h)</text>"));
	free(s);
	splat_bundle_free(b);

	b = fx_load("after-short", 0);
	assert_non_null(b);
	s = svg_of(b);
	assert_non_null(strstr(s, ">20 min</text>"));
	assert_non_null(strstr(s, ">40 min</text>"));
	assert_null(strstr(s, " h</text>"));
	free(s);

	/* the same boot cut to 90 s, as a short bench run */
	struct json_object *bt =
		json_object_array_get_idx(splat_jpath(b->summary, "boots"), 0);
	int64_t t0 = (int64_t)splat_jnum(bt, "start_usec", 0);

	json_object_object_add(bt, "end_usec",
			       json_object_new_int64(t0 + 90 * 1000000LL));
	s = svg_of(b);
	assert_non_null(strstr(s, " s</text>"));
	assert_null(strstr(s, " min</text>"));
	assert_null(strstr(s, " h</text>"));
	assert_non_null(strstr(s, " — boot 0 (1.5 min)</text>"));
	free(s);
	splat_bundle_free(b);
}

static void test_index(void **state)
{
	(void)state;
	FILE *f = tmpfile();

	assert_non_null(f);
	int n = splat_results_index(f, fx_dir(""));
	char *s = fx_slurp(f);

	fclose(f);
	assert_int_equal(n, 8);
	assert_non_null(strstr(
		s, "| [before-20261129T093000Z-fixture](before/) | before |"));
	assert_non_null(strstr(s, "after-reboot-20261129T093000Z-fixture"));
	assert_non_null(strstr(s, "## Comparisons"));
	free(s);
	f = tmpfile();
	assert_non_null(f);
	n = splat_results_index(f, fx_dir("results/"));
	s = fx_slurp(f);
	fclose(f);
	assert_true(n >= 1);
	assert_non_null(strstr(s, "(transcribed, no raw logs)"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_sections),
		cmocka_unit_test(test_report_warnings),
		cmocka_unit_test(test_svg_time_axis),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_svg_reboot),
		cmocka_unit_test(test_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
