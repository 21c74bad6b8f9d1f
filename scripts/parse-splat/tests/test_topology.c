/* SPDX-License-Identifier: MIT */
/*
 * test_topology - `splat topology` on fixture C files of our own
 * (the .c files in tests/fixtures/topology/): nesting, early returns, goto
 * unlock paths, switch, _bh vs _irqsave, trylock, rwlocks, two locks with the
 * same member name in different structs, locks named in comments/strings/#if 0.
 * The Markdown table and the JSON Lines are compared exactly with the expected
 * files next to them (*.md, *.jsonl); plus lock-spec parsing, the verdict
 * count, and robustness on every prefix of every fixture.  chains.c: lock
 * chains through direct calls and callbacks (--chains), with their
 * SOFTIRQ-safe -> unsafe, circular and recursive flags (chains.md,
 * chains.jsonl: the lock sections and the chain section).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "../src/topology_int.h"

#define FIXDIR "scripts/parse-splat/tests/fixtures/topology"

static const char *top(void)
{
	const char *t = getenv("SPLAT_TOP");

	return t && *t ? t : ".";
}

/* A fixture file of this test, which must exist. */
static char *slurp(const char *name, size_t *len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/" FIXDIR "/%s", top(), name);
	return test_slurp_existing(path, len);
}

struct tcase {
	const char *name;     /* expected: NAME.md, NAME.jsonl */
	const char *files[6]; /* fixture sources, scanned in order */
	const char *specs[6]; /* --lock */
	size_t risks;	      /* locks with an inversion-risk verdict */
};

static const struct tcase cases[] = {
	{"nesting", {"nesting.c"}, {"record_lock", "ring->lock"}, 1},
	{"early_return", {"early_return.c"}, {"d->lock", "stat_lock"}, 1},
	{"bh_irq", {"bh_irq.c"}, {"inner", "map_lock", "irq_lock"}, 1},
	{"same_member",
	 {"same_member.c"},
	 {"queue->lock|tx_queue[].lock", "stats->lock", "lock"},
	 1},
	{"same_member_generic", {"same_member.c"}, {"lock"}, 1},
	{"comments_strings", {"comments_strings.c"}, {"c->lock"}, 0},
};

static struct topo *run_case(const struct tcase *c)
{
	struct topo *t = topo_new();
	char err[256];

	for (size_t i = 0; i < 6 && c->specs[i]; i++)
		assert_true(topo_add_lock(t, c->specs[i], err, sizeof(err)) >=
			    0);
	for (size_t i = 0; i < 6 && c->files[i]; i++) {
		size_t len;
		char *src = slurp(c->files[i], &len);

		topo_scan_buffer(t, c->files[i], src, len);
		free(src);
	}
	return t;
}

/* Exact comparison; on mismatch, show the first differing line. */
static void expect_same(const char *what, const char *got, const char *want)
{
	if (!strcmp(got, want))
		return;
	const char *g = got, *w = want;
	int line = 1;

	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n')
		g--;
	while (w > want && w[-1] != '\n')
		w--;
	print_error("%s differs at line %d:\n  got:  %.*s\n  want: %.*s\n",
		    what, line, (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"),
		    w);
	fail();
}

static void check_case(const struct tcase *c)
{
	struct topo *t = run_case(c);
	char name[128], *buf = NULL, *want;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_markdown(t, f), 0);
	fclose(f);
	snprintf(name, sizeof(name), "%s.md", c->name);
	want = slurp(name, NULL);
	expect_same(name, buf, want);
	free(want);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_jsonl(t, f), 0);
	fclose(f);
	snprintf(name, sizeof(name), "%s.jsonl", c->name);
	want = slurp(name, NULL);
	expect_same(name, buf, want);
	free(want);
	free(buf);

	assert_int_equal(topo_nrisks(t), c->risks);
	topo_free(t);
}

static void test_nesting(void **state)
{
	(void)state;
	check_case(&cases[0]);
}

static void test_early_return_goto_switch(void **state)
{
	(void)state;
	check_case(&cases[1]);
}

static void test_bh_irqsave_trylock_rwlock(void **state)
{
	(void)state;
	check_case(&cases[2]);
}

static void test_same_member_name(void **state)
{
	(void)state;
	check_case(&cases[3]);
	check_case(&cases[4]);
}

static void test_comments_strings(void **state)
{
	(void)state;
	check_case(&cases[5]);
}

/* --chains: the lock sections, then the chains, exactly as expected. */
static void test_chains(void **state)
{
	static const struct tcase c = {
		"chains",
		{"chains.c"},
		{"rx_lock", "stat_lock", "cfg_lock", "log_lock", "x_lock",
		 "y_lock"},
		0,
	};
	struct topo *t = run_case(&c);
	char *buf = NULL, *want;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_markdown(t, f), 0);
	assert_int_equal(topo_write_chains_markdown(t, f), 0);
	fclose(f);
	want = slurp("chains.md", NULL);
	expect_same("chains.md", buf, want);
	free(want);
	/* the facts, whatever the formatting */
	assert_non_null(strstr(buf, "| `rx_lock` → `stat_lock` |"));
	assert_non_null(strstr(buf, "passes one_item to walk_items (callback)"
				    " → chains.c:27 one_item calls write_log"));
	assert_non_null(strstr(buf, "Chains: 5; flagged 4 (SOFTIRQ-safe → "
				    "unsafe 1, circular 2, recursive 1)"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_jsonl(t, f), 0);
	assert_int_equal(topo_write_chains_jsonl(t, f), 0);
	fclose(f);
	want = slurp("chains.jsonl", NULL);
	expect_same("chains.jsonl", buf, want);
	free(want);
	free(buf);
	assert_int_equal(topo_nchain_flags(t), 4);
	assert_int_equal(topo_nrisks(t), 0); /* lexically: no nesting at all */
	topo_free(t);
}

/* No reported lock held at any call: no chain, and the section says so. */
static void test_no_chains(void **state)
{
	static const char src[] =
		"void g(struct s *s) { spin_lock(&s->a); "
		"spin_unlock(&s->a); }\n"
		"void f(struct s *s) { g(s); spin_lock(&s->a);"
		" spin_unlock(&s->a); g(s); }\n";
	struct topo *t = topo_new();
	char err[64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(topo_add_lock(t, "a", err, sizeof(err)), 0);
	topo_scan_buffer(t, "n.c", src, sizeof(src) - 1);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_chains_markdown(t, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "No chain:"));
	assert_non_null(strstr(buf, "Chains: 0; flagged 0"));
	assert_int_equal(topo_nchain_flags(t), 0);
	free(buf);
	topo_free(t);
}

/* The key facts, independent of the expected files' formatting. */
static void test_key_facts(void **state)
{
	static const char src[] =
		"void f(struct s *s)\n"
		"{\n"
		"\tspin_lock_bh(&s->q->lock);\n" /* 3 */
		"\tspin_lock(&s->p.rec_lock);\n" /* 4 */
		"\tif (s->x) {\n"
		"\t\tspin_unlock(&s->p.rec_lock);\n" /* 6 */
		"\t\tspin_unlock_bh(&s->q->lock);\n" /* 7 */
		"\t\treturn;\n"
		"\t}\n"
		"\tspin_unlock(&s->p.rec_lock);\n"	 /* 10 */
		"\tspin_unlock_bh(&s->q->lock);\n"	 /* 11 */
		"\tspin_lock(&s->p.rec_lock); /* } */\n" /* 12 */
		"\tspin_unlock(&s->p.rec_lock);\n"	 /* 13 */
		"}\n";
	struct topo *t = topo_new();
	char err[128], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(topo_add_lock(t, "rec_lock", err, sizeof(err)), 0);
	assert_int_equal(topo_add_lock(t, "q->lock", err, sizeof(err)), 1);
	topo_scan_buffer(t, "k.c", src, sizeof(src) - 1);
	assert_int_equal(topo_nfunctions(t), 1);
	assert_int_equal(topo_nrisks(t), 1);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_write_jsonl(t, f), 0);
	fclose(f);
	/* line 10: the early return restored both locks as held */
	assert_non_null(strstr(buf, "\"line\":10,\"function\":\"f\",\"lock\":"
				    "\"rec_lock\",\"expr\":\"s->p.rec_lock\","
				    "\"op\":\"unlock\""));
	assert_non_null(strstr(buf,
			       "\"releases\":\"k.c:4\",\"held\":[{\"lock\":"
			       "\"q->lock\""));
	assert_non_null(strstr(buf, "\"convert\":[\"k.c:12\",\"k.c:13\"]"));
	assert_null(strstr(buf, "k.c:6\",\"k.c"));
	free(buf);
	topo_free(t);
}

static void test_bad_specs(void **state)
{
	static const char *const bad[] = {"",	"a-b", "a.",   "|x",
					  "x|", "->a", "a b(", "a->"};
	struct topo *t = topo_new();
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (topo_add_lock(t, bad[i], err, sizeof(err)) != -1) {
			print_error("spec '%s' accepted\n", bad[i]);
			fail();
		}
		assert_non_null(strstr(err, "bad lock spec"));
	}
	/* white space and a leading & are normalised away */
	assert_int_equal(topo_add_lock(t, " &queue -> lock ", err, sizeof(err)),
			 0);
	topo_free(t);
}

/* Every prefix of every fixture (unbalanced braces, cut comments and
 * literals, open #if): no crash, no leak (ASan), output still written. */
static void test_prefixes(void **state)
{
	static const char *const files[] = {
		"nesting.c",	 "early_return.c",     "bh_irq.c",
		"same_member.c", "comments_strings.c", "chains.c"};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *src = slurp(files[i], &len);

		for (size_t n = 0; n <= len; n += 7) {
			struct topo *t = topo_new();
			char err[64], *buf = NULL;
			size_t bl = 0;
			FILE *f;
			char *copy = malloc(n ? n : 1);

			assert_non_null(copy);
			memcpy(copy, src, n); /* no terminator: exact length */
			assert_true(topo_add_lock(t, "lock", err,
						  sizeof(err)) == 0);
			topo_scan_buffer(t, files[i], copy, n);
			f = open_memstream(&buf, &bl);
			assert_non_null(f);
			assert_int_equal(topo_write_markdown(t, f), 0);
			assert_int_equal(topo_write_jsonl(t, f), 0);
			assert_int_equal(topo_write_chains_markdown(t, f), 0);
			assert_int_equal(topo_write_chains_jsonl(t, f), 0);
			fclose(f);
			assert_non_null(strstr(buf, "### Lock `lock`"));
			free(buf);
			free(copy);
			topo_free(t);
		}
		free(src);
	}
}

static void test_scan_path_dir(void **state)
{
	char path[1024], err[256];
	struct topo *t = topo_new();

	(void)state;
	snprintf(path, sizeof(path), "%s/" FIXDIR, top());
	assert_int_equal(topo_add_lock(t, "lock", err, sizeof(err)), 0);
	assert_int_equal(topo_scan_path(t, path, err, sizeof(err)), 0);
	assert_int_equal(topo_nfiles(t),
			 6); /* the .c files, not .md or .jsonl */
	assert_int_equal(topo_nfunctions(t), 26);
	snprintf(path, sizeof(path), "%s/" FIXDIR "/nonexistent.c", top());
	assert_int_equal(topo_scan_path(t, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nonexistent.c"));
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_early_return_goto_switch),
		cmocka_unit_test(test_bh_irqsave_trylock_rwlock),
		cmocka_unit_test(test_same_member_name),
		cmocka_unit_test(test_comments_strings),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_no_chains),
		cmocka_unit_test(test_key_facts),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_scan_path_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
