/* SPDX-License-Identifier: MIT */
/*
 * test_skip - the reader passing over lines the idle analyzer does not need
 * (splat_reader_next_skipping() + splat_analyzer_skip(), what `splat scan`
 * does) must be invisible: the same events, in the same order, the same
 * summary and the same reader statistics as reading every record.
 *
 * Checked on every fixture, the syzkaller corpus (read in place when it is
 * there), and a generated log built to hit each rule that keeps a line
 * (report headers, open reports of the line's caller, the sweep clock,
 * patterns waiting for a follow-up, "callbacks suppressed", boot changes,
 * loss notes, the last buffered line), each read in one go and in small
 * chunks (buffer edges).  The generated log must also have most of its
 * lines passed over: a skip that never fires would pass the rest.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "test_util.h"

#include "splat/analyzer.h"
#include "splat/patterns.h"
#include "splat/reader.h"
#include "splat/summary.h"
#include "../src/reader_int.h"

static const char *top(void)
{
	const char *t = getenv("SPLAT_TOP");

	return t && *t ? t : ".";
}

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s)
{
	size_t l = strlen(s);

	if (b->n + l + 2 > b->cap) {
		b->cap = (b->n + l + 2) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, l);
	b->n += l;
	b->p[b->n++] = '\n';
	b->p[b->n] = '\0';
}

static void putf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct buf *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	put(b, line);
}

struct run_ctx {
	struct buf out;
	struct splat_summary *sum;
};

static void sink(void *ctx, const struct splat_event *ev)
{
	struct run_ctx *c = ctx;
	json_object *o = splat_event_to_json(ev);

	assert_non_null(o);
	put(&c->out, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	splat_summary_add_event(c->sum, ev);
}

static void no_diag(void *ctx, enum splat_diag_level level, const char *name,
		    uint64_t line_no, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)name;
	(void)line_no;
	(void)msg;
}

/* Everything one read of data gives (events with their detail, the summary,
 * the reader's statistics) as text; *skipped: lines passed over. */
static char *run(const char *data, size_t len, bool skip, bool wide,
		 size_t chunk, const char *patterns_file, uint64_t *skipped)
{
	struct splat_reader *r =
		splat_reader_open_mem(data, len, "t", SPLAT_FORMAT_AUTO);
	struct splat_patterns *pats = splat_patterns_new();
	struct run_ctx c = {0};
	struct splat_record rec;
	struct splat_skipped sk;
	char err[256];
	int rc;

	assert_non_null(r);
	assert_non_null(pats);
	if (patterns_file)
		assert_int_equal(splat_patterns_load(pats, patterns_file, err,
						     sizeof(err)),
				 0);
	splat_reader_set_diag(r, no_diag, NULL);
	r->read_max = chunk;
	/* the 16-byte scanner, or the AVX2 clone where the CPU has it */
	r->simd_wide = r->simd_wide && wide;
	c.sum = splat_summary_new();
	splat_summary_add_patterns(c.sum, pats);
	struct splat_analyzer *a = splat_analyzer_new(pats, sink, &c);
	assert_non_null(a);
	/* as `splat scan` does: the prefilter always, the skip when asked */
	splat_reader_set_prefilter(r, splat_analyzer_prefilter(a));
	*skipped = 0;
	while ((rc = splat_reader_next_skipping(
			r, &rec, skip ? splat_analyzer_skip(a) : NULL, &sk)) ==
	       1) {
		if (!skip)
			assert_int_equal(sk.n, 0);
		*skipped += sk.n;
		splat_summary_skipped(c.sum, &sk, &rec);
		splat_summary_add_record(c.sum, &rec);
		splat_analyzer_skipped(a, &sk);
		assert_int_equal(splat_analyzer_feed(a, &rec), 0);
	}
	assert_int_equal(rc, 0);
	splat_analyzer_finish(a);
	json_object *j = splat_summary_to_json(c.sum, 0.95);
	put(&c.out, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	json_object_put(j);
	const struct splat_reader_stats *st = splat_reader_stats(r);
	putf(&c.out, "records=%llu lines=%llu boots=%llu lost=%llu",
	     (unsigned long long)st->records, (unsigned long long)st->lines,
	     (unsigned long long)st->boots, (unsigned long long)st->lost);
	splat_analyzer_free(a);
	splat_summary_free(c.sum);
	splat_patterns_free(pats);
	splat_reader_close(r);
	return c.out.p;
}

/* Lines the wide scanner's run passed over in check_same()'s last one go. */
static uint64_t wide_skipped;

/* Skip and no skip agree on data, in one go and in chunks, with each pair
 * scanner (16 bytes; 32 where the CPU has AVX2: the default then); returns
 * the lines passed over in one go. */
static uint64_t check_same(const char *what, const char *data, size_t len,
			   const char *patterns_file)
{
	static const size_t chunks[] = {0, 1, 7, 64};
	static const struct {
		bool skip, wide;
		const char *name;
	} modes[] = {
		{true, false, "skipping, 16-byte scanner"},
		{true, true, "skipping, wide scanner"},
		{false, true, "every record, wide scanner"},
	};
	uint64_t first = 0;

	wide_skipped = 0;
	for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		uint64_t s0, s1;
		char *plain = run(data, len, false, false, chunks[k],
				  patterns_file, &s0);
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			char *other =
				run(data, len, modes[m].skip, modes[m].wide,
				    chunks[k], patterns_file, &s1);
			if (strcmp(plain, other)) {
				print_error("%s (chunk %zu%s%s): %s changed "
					    "the output\n--- every record:\n"
					    "%s--- %s:\n%s",
					    what, chunks[k],
					    patterns_file ? ", patterns " : "",
					    patterns_file ? patterns_file : "",
					    modes[m].name, plain, modes[m].name,
					    other);
				fail();
			}
			if (k == 0 && m == 0)
				first = s1;
			if (k == 0 && m == 1)
				wide_skipped = s1;
			free(other);
		}
		free(plain);
	}
	return first;
}

static void check_file(const char *path, const char *patterns_file,
		       uint64_t *skipped)
{
	size_t len;
	char *data = test_slurp_existing(path, &len);

	*skipped += check_same(path, data, len, patterns_file);
	free(data);
}

/* Every regular file of dir (no recursion); returns how many. */
static unsigned check_dir(const char *dir, const char *patterns_file,
			  uint64_t *skipped)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;
	char path[4096];

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue; /* a directory */
		fclose(f);
		check_file(path, patterns_file, skipped);
		n++;
	}
	closedir(d);
	return n;
}

static void test_fixtures(void **state)
{
	static const char *const dirs[] = {
		"scripts/parse-splat/tests/fixtures/splat",
		"scripts/parse-splat/tests/fixtures/input"};
	char dir[4096], pat[4096];
	uint64_t skipped = 0;
	unsigned n = 0;

	(void)state;
	snprintf(pat, sizeof(pat),
		 "%s/scripts/parse-splat/tests/fixtures/patterns/good.patterns",
		 top());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", top(), dirs[i]);
		unsigned k = check_dir(dir, NULL, &skipped);
		assert_true(k > 0); /* the fixtures are there */
		n += k;
		check_dir(dir, pat, &skipped);
	}
	printf("skip: %u fixtures identical with and without skipping "
	       "(%llu lines passed over)\n",
	       n, (unsigned long long)skipped);
}

static void test_corpus(void **state)
{
	char dir[4096];
	uint64_t skipped = 0;

	(void)state;
	snprintf(dir, sizeof(dir),
		 "%s/scripts/parse-splat/tests/corpus/syzkaller", top());
	unsigned n = check_dir(dir, NULL, &skipped);
	assert_true(n > 700); /* in the repository: missing fails */
	snprintf(dir, sizeof(dir), "%s/scripts/parse-splat/tests/corpus/real",
		 top());
	unsigned r = check_dir(dir, NULL, &skipped);
	assert_true(r >= 40);
	printf("skip: %u syzkaller and %u real-world corpus files identical "
	       "with and without skipping (%llu lines passed over)\n",
	       n, r, (unsigned long long)skipped);
}

/* Deterministic, small: xorshift. */
static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A log with every kind of line the skip rules look at. */
static char *generate(size_t *len, unsigned lines, unsigned step_usec,
		      bool callers, bool times, bool quiet_ctx,
		      bool unterminated)
{
	static const char *const plain[] = {
		"wlan0: associated",
		"bes2600_wlan: bes2600_bh: tx queue 12 full, stopping",
		" bes2600_queue_put+0x42/0x1e0 [bes2600]",
		"rockchip-drm display-subsystem: [drm] fb0: frame buffer",
		"IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
		"Bluetooth: hci0: BES2600 firmware version 1.2",
		"kworker/0:1 did a thing",
		"",
		"trailing blank ",
		"bes2600_tx_timeout: 3 callbacks suppressed",
		"wsm_generic_confirm: 2 callbacks suppressed",
	};
	static const char *const special[] = {
		"wsm_generic_confirm failed for request 0x0007.",
		"[SCAN] Scan failed (-22).",
		"bes2600_wlan: TX timeout on queue 2",
		"bes2600_wlan: chip reset",
		"join failed, status 17",
		"syzkaller login: [   35.180000] BUG: sleeping function called "
		"from invalid context at kernel/locking/mutex.c:283",
		"------------[ cut here ]------------",
		"WARNING: CPU: 1 PID: 602 at "
		"drivers/staging/bes2600/wsm.c:1234 "
		"wsm_generic_confirm+0x74/0x90 [bes2600]",
		"Modules linked in: bes2600(O) mac80211 cfg80211",
		"---[ end trace 0000000000000000 ]---",
		"** 3 printk messages dropped **",
	};
	static const char *const splat[] = {
		"======================================================",
		"WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected",
		"6.12.7-danctnix1-1-pinetab2-lockdep #1 Not tainted",
		"------------------------------------------------------",
		"kworker/u8:2/123 [HC0[0]:SC0[2]:HE1:SE0] is trying to "
		"acquire:",
		"ffffff80 (&hw_priv->tx_loop.pending_record_lock){+.+.}-{2:2}, "
		"at: bes2600_queue_clear+0x40/0x1a0 [bes2600]",
		"",
		"and this task is already holding:",
		"ffffff81 (&queue->lock){+.-.}-{2:2}, at: "
		"bes2600_queue_clear+0x28/0x1a0 [bes2600]",
		"Call trace:",
		" dump_backtrace+0x0/0x1e0",
		" bes2600_queue_clear+0x40/0x1a0 [bes2600]",
	};
	struct buf b = {0};
	uint64_t ts = 1000000;
	unsigned in_splat = 0, splat_cpu = 0;

	for (unsigned i = 0; i < lines; i++) {
		const char *msg;
		unsigned cpu = rnd(4);
		unsigned pick = rnd(100);

		if (in_splat) {
			/* a report from one caller, other callers in between */
			if (rnd(3)) {
				cpu = splat_cpu;
				msg = splat[sizeof(splat) / sizeof(splat[0]) -
					    in_splat--];
			} else {
				msg = plain[rnd(7)];
			}
		} else if (pick < 2) {
			in_splat = sizeof(splat) / sizeof(splat[0]);
			splat_cpu = cpu;
			msg = splat[0];
			in_splat--;
		} else if (quiet_ctx && cpu == splat_cpu && rnd(40)) {
			/* the last report's context mostly quiet: it closes
			 * by the clock (QUIET_USEC), near the skip's "until" */
			msg = plain[rnd(7)];
			cpu = (cpu + 1 + rnd(3)) % 4;
		} else if (pick < 12) {
			msg = special[rnd(sizeof(special) /
					  sizeof(special[0]))];
		} else {
			msg = plain[rnd(sizeof(plain) / sizeof(plain[0]))];
		}
		ts += rnd(step_usec * 2 + 1);
		if (pick == 99 && rnd(20) == 0)
			ts = rnd(1000); /* a new boot */
		char pre[64] = "";
		if (times && rnd(50))
			snprintf(pre, sizeof(pre), "[%5llu.%06llu]",
				 (unsigned long long)(ts / 1000000),
				 (unsigned long long)(ts % 1000000));
		if (callers && rnd(50))
			snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre),
				 "[%6s]",
				 cpu == 3   ? "C1"
				 : cpu == 2 ? "T77"
				 : cpu == 1 ? "T5"
					    : "T123");
		putf(&b, "%s%s%s", pre, pre[0] ? " " : "", msg);
	}
	if (unterminated) {
		put(&b, "[99999.000000] wlan0: last line, no newline");
		b.p[--b.n] = '\0';
	} else {
		put(&b, "[99999.000000] wlan0: last line"); /* skippable */
	}
	*len = b.n;
	return b.p;
}

static void test_generated(void **state)
{
	/* step (us between lines), callers, times */
	static const struct {
		unsigned step;
		bool callers, times, quiet_ctx, unterminated;
	} cases[] = {
		/* several lines per sweep period */
		{30000, true, true, false, true},
		/* a sweep due on every line */
		{150000, true, true, false, false},
		/* reports go stale in between */
		{2000000, true, true, false, true},
		/* one context: "" callers */
		{30000, false, true, false, false},
		/* no times: line windows */
		{0, true, false, false, false},
		/* reports closed by the clock, sweeps passed over */
		{30000, true, true, true, false},
		{60000, true, true, true, true},
	};
	char pat[4096];

	(void)state;
	snprintf(pat, sizeof(pat),
		 "%s/scripts/parse-splat/tests/fixtures/patterns/good.patterns",
		 top());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char what[64];
		char *log = generate(&len, 6000, cases[i].step,
				     cases[i].callers, cases[i].times,
				     cases[i].quiet_ctx, cases[i].unterminated);
		snprintf(what, sizeof(what), "generated case %zu", i);
		uint64_t s = check_same(what, log, len, NULL);
		uint64_t w = wide_skipped;
		uint64_t s2 = check_same(what, log, len, pat);
		printf("skip: %s: identical, %llu of 6001 lines passed over "
		       "(%llu by the wide scanner, %llu with user patterns)\n",
		       what, (unsigned long long)s, (unsigned long long)w,
		       (unsigned long long)s2);
		/* a good share of the ordinary lines goes (the log is built
		 * to keep many); far fewer means a rule keeps too much */
		assert_true(s > 1000);
		assert_true(w > 1000);
		/* user patterns whose regexes all have a literal (groups with
		 * alternatives included) keep skipping on */
		assert_true(s2 > 500);
		free(log);
	}
}

static void count_events(void *ctx, const struct splat_event *ev)
{
	(void)ev;
	(*(unsigned *)ctx)++;
}

/* What the returned record says about the lines before it. */
static void test_record_fields(void **state)
{
	static const char log[] =
		"[    1.000000] wlan0: one\n" /* first: never skipped */
		"[    2.000000] wlan0: two\n"
		"wlan0: three, no time\n"
		"[    1.500000] wlan0: four, a small step back\n"
		"[    5.000000] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4\n"
		"[    6.000000] wlan0: six, the open report's context\n"
		"[    0.100000] wlan0: a new boot\n"
		"[    0.200000] wlan0: last, and last buffered\n";
	struct splat_reader *r =
		splat_reader_open_mem(log, strlen(log), "t", SPLAT_FORMAT_TEXT);
	unsigned events = 0;
	struct splat_analyzer *a =
		splat_analyzer_new(NULL, count_events, &events);
	struct splat_record rec;
	struct splat_skipped sk;

	(void)state;
	assert_non_null(r);
	assert_non_null(a);
	splat_reader_set_prefilter(r, splat_analyzer_prefilter(a));
	assert_null(splat_analyzer_skip(a)); /* not started: every line */
	assert_int_equal(splat_reader_next_skipping(r, &rec, NULL, &sk), 1);
	assert_string_equal(rec.text, "wlan0: one");
	assert_int_equal(sk.n, 0);
	splat_analyzer_feed(a, &rec);
	assert_int_equal(events, 1); /* the boot */

	/* idle: two, three and four are passed over, the header is not */
	assert_non_null(splat_analyzer_skip(a));
	assert_int_equal(splat_reader_next_skipping(
				 r, &rec, splat_analyzer_skip(a), &sk),
			 1);
	assert_string_equal(rec.text,
			    "WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4");
	assert_int_equal(rec.seq, 4); /* the skipped ones are numbered too */
	assert_int_equal(rec.line_no, 5);
	assert_int_equal(sk.n, 3);
	assert_int_equal(sk.boot, 0);
	assert_int_equal(sk.ts_min, 1500000);
	assert_int_equal(sk.ts_max, 2000000);
	assert_int_equal(sk.ts_last, 1500000);
	splat_analyzer_feed(a, &rec); /* opens a report, caller "" */

	/* the report's context (caller "") is kept */
	assert_int_equal(splat_reader_next_skipping(
				 r, &rec, splat_analyzer_skip(a), &sk),
			 1);
	assert_string_equal(rec.text, "wlan0: six, the open report's context");
	assert_int_equal(sk.n, 0);
	splat_analyzer_feed(a, &rec);
	/* a new boot is kept */
	assert_int_equal(splat_reader_next_skipping(
				 r, &rec, splat_analyzer_skip(a), &sk),
			 1);
	assert_string_equal(rec.text, "wlan0: a new boot");
	assert_int_equal(rec.boot, 1);
	assert_int_equal(sk.n, 0);
	splat_analyzer_feed(a, &rec);
	/* idle again, but the last buffered line is kept (it carries what
	 * was passed over before it) */
	assert_non_null(splat_analyzer_skip(a));
	assert_int_equal(splat_reader_next_skipping(
				 r, &rec, splat_analyzer_skip(a), &sk),
			 1);
	assert_string_equal(rec.text, "wlan0: last, and last buffered");
	assert_int_equal(sk.n, 0);
	splat_analyzer_feed(a, &rec);
	assert_int_equal(splat_reader_next_skipping(
				 r, &rec, splat_analyzer_skip(a), &sk),
			 0);
	assert_int_equal(splat_reader_stats(r)->records, 8);
	splat_analyzer_finish(a);
	splat_analyzer_free(a);
	splat_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_generated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
