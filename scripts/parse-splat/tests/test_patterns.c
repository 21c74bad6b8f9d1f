/* SPDX-License-Identifier: MIT */
/*
 * test_patterns - pattern-a pairing and its window edges, user pattern
 * files (and their FILE:LINE errors), "NAME: N callbacks suppressed".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "splat_test_events.h"
#include "../src/patterns_int.h"

#define A "wsm_generic_confirm failed for request 0x0007."
#define B "[SCAN] Scan failed (-22)."

static size_t count_kind_role(const struct tevs *t, const char *kind,
			      const char *role, int paired)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct tev *e = &t->v[i];
		if (e->type != SPLAT_EV_PATTERN || strcmp(e->kind, kind))
			continue;
		if (strcmp(tev_str(e, "role"), role))
			continue;
		json_object *p;
		bool pv = json_object_object_get_ex(e->detail, "paired", &p) &&
			  json_object_get_boolean(p);
		if (paired < 0 || pv == (paired != 0))
			n++;
	}
	return n;
}

static size_t count_role(const struct tevs *t, const char *role, int paired)
{
	return count_kind_role(t, "pattern-a", role, paired);
}

struct pcase {
	const char *name;
	const char *log;
	size_t first_paired, first_unpaired, follow_paired, follow_unpaired;
	size_t pairs;
};

static const struct pcase cases[] = {
	{"pair", "[10.000000] " A "\n[10.000190] " B "\n", 1, 0, 1, 0, 1},
	{"window edge: exactly 2 s is in",
	 "[10.000000] " A "\n[12.000000] " B "\n", 1, 0, 1, 0, 1},
	{"window edge: 2 s + 1 us is out",
	 "[10.000000] " A "\n[12.000001] " B "\n", 0, 1, 0, 1, 0},
	{"two firsts, one follow-up: the later pairs",
	 "[10.0] " A "\n[10.5] " A "\n[10.6] " B "\n", 1, 1, 1, 0, 1},
	{"follow-up alone", "[10.0] " B "\n", 0, 0, 0, 1, 0},
	{"first at the end of the stream", "[10.0] " A "\n", 0, 1, 0, 0, 0},
	{"boot change ends the window", "[10.0] " A "\n#boot\n[0.1] " B "\n", 0,
	 1, 0, 1, 0},
	{"lines in between", "[10.0] " A "\n[10.1] wlan0: foo\n[10.2] " B "\n",
	 1, 0, 1, 0, 1},
	{"prefixed by the device name",
	 "[10.0] bes2600 mmc2:0001:1: " A "\n[10.0001] bes2600 mmc2:0001:1: " B
	 "\n",
	 1, 0, 1, 0, 1},
	{"no times: 50 lines is the window",
	 "bes2600: " A "\nx\nx\nbes2600: " B "\n", 1, 0, 1, 0, 1},
	{"many pairs",
	 "[1.0] " A "\n[1.1] " B "\n[5.0] " A "\n[5.1] " B "\n[9.0] " A
	 "\n[9.1] " B "\n",
	 3, 0, 3, 0, 3},
};

static void test_pattern_a(void **state)
{
	(void)state;
	struct splat_patterns *p = splat_patterns_new();
	assert_non_null(p);
	assert_int_equal(splat_patterns_count(p), 1);
	assert_string_equal(splat_patterns_name(p, 0), "pattern-a");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		struct tevs ev = {0};
		run_text(c->log, p, &ev);
		printf("  %-45s first %zu/%zu follow-up %zu/%zu pairs %zu\n",
		       c->name, count_role(&ev, "first", 1),
		       count_role(&ev, "first", 0),
		       count_role(&ev, "followup", 1),
		       count_role(&ev, "followup", 0),
		       tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, NULL));
		assert_int_equal(count_role(&ev, "first", 1), c->first_paired);
		assert_int_equal(count_role(&ev, "first", 0),
				 c->first_unpaired);
		assert_int_equal(count_role(&ev, "followup", 1),
				 c->follow_paired);
		assert_int_equal(count_role(&ev, "followup", 0),
				 c->follow_unpaired);
		assert_int_equal(
			tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, "pattern-a"),
			c->pairs);
		tevs_free(&ev);
	}
	/* without times, 50 lines is the window: 60 lines in between is out */
	{
		char big[4096] = "bes2600: " A "\n";
		for (int i = 0; i < 60; i++)
			strcat(big, "x\n");
		strcat(big, "bes2600: " B "\n");
		struct tevs ev = {0};
		run_text(big, p, &ev);
		assert_int_equal(count_role(&ev, "first", 0), 1);
		assert_int_equal(count_role(&ev, "followup", 0), 1);
		assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, NULL),
				 0);
		tevs_free(&ev);
	}
	/* a pair carries the delay */
	struct tevs ev = {0};
	run_text("[10.000000] " A "\n[10.000190] " B "\n", p, &ev);
	const struct tev *pair = tevs_find(&ev, SPLAT_EV_PATTERN_PAIR, NULL);
	json_object *d;
	assert_true(json_object_object_get_ex(pair->detail, "delta_usec", &d));
	assert_int_equal(json_object_get_int64(d), 190);
	assert_int_equal(pair->ts, 10000000);
	tevs_free(&ev);
	splat_patterns_free(p);
}

static void test_suppressed(void **state)
{
	(void)state;
	struct splat_patterns *p = splat_patterns_new();
	struct tevs ev = {0};
	run_text("[1.0] wsm_generic_confirm: 12 callbacks suppressed\n"
		 "[2.0] bes2600_wlan: 5 callbacks suppressed\n"
		 "[3.0] net_ratelimit: 7 callbacks suppressed\n"
		 "[4.0] foo: x callbacks suppressed\n"
		 "[5.0] callbacks suppressed\n",
		 p, &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_SUPPRESSED, NULL), 3);
	const struct tev *w =
		tevs_find(&ev, SPLAT_EV_SUPPRESSED, "wsm_generic_confirm");
	assert_non_null(w);
	assert_int_equal(w->count, 12);
	/* the pattern's own text names the ratelimited function */
	assert_string_equal(tev_str(w, "pattern"), "pattern-a");
	const struct tev *b =
		tevs_find(&ev, SPLAT_EV_SUPPRESSED, "bes2600_wlan");
	assert_int_equal(b->count, 5);
	assert_null(tev_str(b, "pattern"));
	assert_null(
		tev_str(tevs_find(&ev, SPLAT_EV_SUPPRESSED, "net_ratelimit"),
			"pattern"));
	tevs_free(&ev);

	/* attribution by the last matched line of a pattern */
	run_text("[1.0] bes2600_wlan: wsm_generic_confirm failed for request "
		 "0x0007.\n[1.1] bes2600_wlan: 9 callbacks suppressed\n",
		 p, &ev);
	b = tevs_find(&ev, SPLAT_EV_SUPPRESSED, "bes2600_wlan");
	assert_string_equal(tev_str(b, "pattern"), "pattern-a");
	tevs_free(&ev);
	splat_patterns_free(p);
}

static void fixture_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/scripts/parse-splat/tests/fixtures/patterns/%s",
		 top_dir(), name);
}

static void test_user_patterns(void **state)
{
	(void)state;
	struct splat_patterns *p = splat_patterns_new();
	char path[4096], err[512] = "";
	fixture_path(path, sizeof(path), "good.patterns");
	if (splat_patterns_load(p, path, err, sizeof(err))) {
		print_error("%s\n", err);
		fail();
	}
	assert_int_equal(splat_patterns_count(p), 3);
	assert_string_equal(splat_patterns_name(p, 1), "tx-timeout");
	assert_string_equal(splat_patterns_name(p, 2), "join-fail");

	struct tevs ev = {0};
	run_text("[1.000] bes2600_wlan: TX timeout on queue 2\n"
		 "[1.400] bes2600_wlan: chip reset\n"
		 "[3.000] bes2600_wlan: TX timeout on queue 1\n"
		 "[3.600] bes2600_wlan: firmware reset\n"
		 "[4.0] wlan0: association failed, status 17\n"
		 "[4.1] wlan0: join failed, status 2\n"
		 "[4.2] wlan0: join FAILED, status 2\n"
		 "[5.0] bes2600_tx_timeout: 4 callbacks suppressed\n",
		 p, &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, "tx-timeout"),
			 1);
	assert_int_equal(count_kind_role(&ev, "tx-timeout", "first", 1), 1);
	/* 600 ms > 500 ms */
	assert_int_equal(count_kind_role(&ev, "tx-timeout", "first", 0), 1);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN, "join-fail"), 2);
	const struct tev *s = tevs_find(&ev, SPLAT_EV_SUPPRESSED, NULL);
	assert_string_equal(tev_str(s, "pattern"), "tx-timeout");
	tevs_free(&ev);
	splat_patterns_free(p);
}

static void test_pattern_errors(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		unsigned line;
		const char *why;
	} bad[] = {
		{"bad-regex.patterns", 3, "bad regex"},
		{"regex-blowup.patterns", 3, "too large once compiled"},
		{"unknown-key.patterns", 5, "unknown key 'colour'"},
		{"outside.patterns", 1, "outside a [NAME] section"},
		{"no-match.patterns", 1, "has no 'match ='"},
		{"duplicate.patterns", 1, "already defined"},
		{"bad-window.patterns", 3, "bad window 'soon'"},
		{"bad-name.patterns", 1, "bad pattern name"},
		{"empty.patterns", 1, "no [NAME] pattern"},
		{"does-not-exist.patterns", 0, "No such file"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct splat_patterns *p = splat_patterns_new();
		char path[4096], err[512] = "", want[4200];
		fixture_path(path, sizeof(path), bad[i].file);
		assert_int_equal(splat_patterns_load(p, path, err, sizeof(err)),
				 -1);
		printf("  %s\n", err);
		if (bad[i].line)
			snprintf(want, sizeof(want), "%s:%u: ", path,
				 bad[i].line);
		else
			snprintf(want, sizeof(want), "%s: ", path);
		assert_memory_equal(err, want, strlen(want));
		assert_non_null(strstr(err, bad[i].why));
		/* the file is rejected whole: only the built-in is left */
		assert_int_equal(splat_patterns_count(p), 1);
		splat_patterns_free(p);
	}
}

/* The literal a regex is prefiltered with (NULL: none, the regex runs on
 * every line) must be in every match: lines that match without the
 * prefilter match with it. */
static void test_regex_literals(void **state)
{
	static const struct {
		const char *re, *literal;
		const char *lines[4]; /* matching lines */
	} recases[] = {
		{"bes2600_wlan: TX timeout on queue [0-9]+",
		 "bes2600_wlan: TX timeout on queue ",
		 {"x bes2600_wlan: TX timeout on queue 2"}},
		/* alternation inside a group: what is outside still counts */
		{"(join|association) failed, status [0-9]+",
		 " failed, status ",
		 {"wlan0: join failed, status 2",
		  "association failed, status 17"}},
		{"bes2600_wlan: (chip|firmware) reset",
		 "bes2600_wlan: ",
		 {"bes2600_wlan: chip reset", "bes2600_wlan: firmware reset"}},
		/* a bar outside every group, or escaped: no literal */
		{"join failed|association lost",
		 NULL,
		 {"join failed", "association lost"}},
		{"abc\\|def", NULL, {"abc|def"}},
		/* a bar in a bracket is a member; a ')' in a bracket closes
		 * nothing */
		{"[|] pipe sign", " pipe sign", {"| pipe sign"}},
		{"(x[)]y|zz)qqq+tail", "tail", {"x)yqqqtail", "zzqqqtail"}},
		{"opt(ional)? words",
		 " words",
		 {"opt words", "optional words"}},
		{"ab*c", NULL, {"ac", "abbbc"}},
		/* a class inside a bracket does not end it early */
		{"[[:alpha:]abcde]fg", NULL, {"xfg", "afg"}},
		{"[[:alpha:]abc]defg", "defg", {"xdefg", "adefg"}},
		{"([[:digit:]]|x)+ queue full",
		 " queue full",
		 {"12 queue full", "x queue full"}},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(recases) / sizeof(recases[0]); i++) {
		char path[] = "/tmp/splat-test-re-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		FILE *f = fdopen(fd, "w");
		assert_non_null(f);
		fprintf(f, "[t]\nmatch = %s\n", recases[i].re);
		fclose(f);
		struct splat_patterns *p = splat_patterns_new();
		char err[512] = "";
		int rc = splat_patterns_load(p, path, err, sizeof(err));
		unlink(path);
		if (rc) {
			print_error("%s: %s\n", recases[i].re, err);
			fail();
		}
		const struct splat_matcher *m = &p->v[p->n - 1].first;
		if (recases[i].literal)
			assert_string_equal(m->literal ? m->literal : "(none)",
					    recases[i].literal);
		else
			assert_null(m->literal);
		for (size_t j = 0; j < 4 && recases[i].lines[j]; j++) {
			const char *l = recases[i].lines[j];
			if (!splat_matcher_match_fast(m, l, strlen(l))) {
				print_error("%s: '%s' not matched\n",
					    recases[i].re, l);
				fail();
			}
		}
		splat_patterns_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_a),
		cmocka_unit_test(test_suppressed),
		cmocka_unit_test(test_user_patterns),
		cmocka_unit_test(test_regex_literals),
		cmocka_unit_test(test_pattern_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
