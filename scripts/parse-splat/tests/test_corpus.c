/* SPDX-License-Identifier: MIT */
/*
 * test_corpus - the recogniser against syzkaller's report corpus, a copy of
 * which is kept in tests/corpus/syzkaller/ (see tests/corpus/README.md;
 * header lines "TITLE:", "TYPE:", "CORRUPTED:", ... a blank line, the raw
 * console log, optionally "REPORT:" + the expected report text, where the
 * log stops).
 *
 *  - every TYPE: LOCKDEP file must give a lockdep event of the right kind
 *    (kind from the title; for "possible deadlock" from the banner);
 *  - its title must equal TITLE, except for the files listed in
 *    `title_mismatches` below, each with syzkaller's title, ours and the
 *    reason; any other difference fails, and so does a listed file whose
 *    title now agrees (or differs in another way): the list stays true;
 *  - files of another TYPE, and files without TITLE (no report), must give
 *    no lockdep event, except the files listed in `exceptions` below, each
 *    with the reason; an exception that no longer fires fails too;
 *  - titled files without TYPE that are lockdep(-off) reports are checked
 *    the same way.
 * The corpus is part of the repository: a missing one fails, not skips.
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

#include "splat_test_events.h"

/* Non-lockdep files in which a real lockdep report is present: the
 * analyzer reports every report in a log, syzkaller only the first. */
static const struct {
	const char *file;
	const char *reason;
} exceptions[] = {
	{"98", "TYPE: WARNING only because syzkaller could not match its "
	       "corrupted circular-locking report; the report is there"},
	{"152", "same as 98: a real, truncated circular-locking report that "
		"syzkaller files under WARNING"},
	{"114", "'WARNING: suspicious RCU usage' (lockdep_rcu_suspicious) "
		"that syzkaller could not title; it is an RCU lockdep splat"},
	{"206", "suspicious RCU usage, as 114"},
	{"208", "suspicious RCU usage, as 114"},
	{"201", "a genuine 'BUG: using __this_cpu_read() in preemptible' "
		"(DEBUG_PREEMPT, syzkaller's LOCKDEP type) precedes the GPF "
		"that syzkaller titles"},
	{"343", "a KASAN report followed by a real circular locking report "
		"(printing the first report takes locks)"},
	{"352", "kernel BUG followed by a real circular locking report, as "
		"343"},
};

/* Lockdep files whose title is not syzkaller's TITLE: file, syzkaller's
 * title, ours, why.  Filled from the real output; exact both ways. */
static const struct {
	const char *file;
	const char *expected;
	const char *ours;
	const char *reason;
} title_mismatches[] = {
	{"81",
	 "BUG: using __this_cpu_add() in preemptible code in "
	 "ipcomp_init_state",
	 "BUG: using __this_cpu_add() in preemptible code in corrupted",
	 "the header is stamped 76.8 s and the rest of the report 35.2 s: "
	 "the clock going back reads as a new boot, so the report is cut "
	 "after its first line (corrupted: boot-change); syzkaller reads "
	 "on by text"},
	{"134",
	 "BUG: using __this_cpu_read() in preemptible code in "
	 "ipcomp_init_state",
	 "BUG: using __this_cpu_read() in preemptible code in corrupted",
	 "another CPU's 'tc_dump_action: action bad kind' lines land inside "
	 "the stack (one glued to a stack-dump line); the report ends there, "
	 "before the ipcomp_init_state frame (corrupted: no-function)"},
	{"137",
	 "BUG: using __this_cpu_read() in preemptible code in "
	 "ipcomp_init_state",
	 "BUG: using __this_cpu_read() in preemptible code in corrupted",
	 "as 134: interleaved sg_write lines end the report after "
	 "dump_stack, before the ipcomp_init_state frame"},
	{"557", "possible deadlock in input_event",
	 "possible deadlock in kill_fasync",
	 "our one deliberate difference: irq-safe-unsafe is titled by the "
	 "new dependency's site; syzkaller uses the '... which became "
	 "HARDIRQ-irq-safe at:' frame (kept as safe_function, and that "
	 "rule gives syzkaller's title)"},
	{"558", "possible deadlock in io_timeout_fn",
	 "possible deadlock in kill_fasync",
	 "irq-safe-unsafe titled by the new dependency, as 557"},
	{"559", "possible deadlock in test_clear_page_writeback",
	 "possible deadlock in shmem_uncharge",
	 "irq-safe-unsafe titled by the new dependency, as 557"},
	{"560", "possible deadlock in test_clear_page_writeback",
	 "possible deadlock in user_shm_lock",
	 "irq-safe-unsafe titled by the new dependency, as 557"},
	{"561", "possible deadlock in cgroup_rstat_updated",
	 "possible deadlock in cgroup_rstat_flush_locked",
	 "irq-safe-unsafe titled by the new dependency, as 557"},
};
#define N_TITLE_MISMATCHES                                                     \
	(sizeof(title_mismatches) / sizeof(title_mismatches[0]))
/* per entry: its file was checked, and the difference was the listed one */
static bool tm_visited[N_TITLE_MISMATCHES], tm_held[N_TITLE_MISMATCHES];

static int title_mismatch_of(const char *file)
{
	for (size_t j = 0; j < N_TITLE_MISMATCHES; j++)
		if (!strcmp(title_mismatches[j].file, file))
			return (int)j;
	return -1;
}

struct cfile {
	char name[64];
	char title[320];
	char type[64];
	bool corrupted;
	char alt[4][320];
	unsigned nalt;
	char *log;
	size_t log_len;
};

static char corpus_dir[4096];

static bool read_cfile(const char *name, struct cfile *cf)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", corpus_dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	memset(cf, 0, sizeof(*cf));
	snprintf(cf->name, sizeof(cf->name), "%s", name);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + got + 1 > cap) {
			cap = (len + got + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		memcpy(buf + len, chunk, got);
		len += got;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	buf[len] = '\0';
	/* header: "KEY: value" lines (and # comments) up to a blank line */
	size_t pos = 0;
	while (pos < len) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char *s = buf + pos;
		pos += l + (nl ? 1 : 0);
		if (l == 0)
			break;
		if (!strncmp(s, "TITLE: ", 7))
			snprintf(cf->title, sizeof(cf->title), "%.*s",
				 (int)l - 7, s + 7);
		else if (!strncmp(s, "TYPE: ", 6))
			snprintf(cf->type, sizeof(cf->type), "%.*s", (int)l - 6,
				 s + 6);
		else if (!strncmp(s, "CORRUPTED: Y", 12))
			cf->corrupted = true;
		else if (!strncmp(s, "ALT: ", 5) && cf->nalt < 4)
			snprintf(cf->alt[cf->nalt++], sizeof(cf->alt[0]),
				 "%.*s", (int)l - 5, s + 5);
	}
	/* the log, up to a "REPORT:" line */
	size_t end = len;
	for (size_t p = pos; p < len;) {
		if ((p == pos || buf[p - 1] == '\n') &&
		    !strncmp(buf + p, "REPORT:", 7)) {
			end = p;
			break;
		}
		char *nl = memchr(buf + p, '\n', len - p);
		if (!nl)
			break;
		p = (size_t)(nl - buf) + 1;
	}
	cf->log_len = end - pos;
	cf->log = malloc(cf->log_len + 1);
	assert_non_null(cf->log);
	memcpy(cf->log, buf + pos, cf->log_len);
	cf->log[cf->log_len] = '\0';
	free(buf);
	return true;
}

static void run_cfile(const struct cfile *cf, struct tevs *out)
{
	FILE *t = tmpfile();
	assert_non_null(t);
	if (cf->log_len)
		assert_int_equal(fwrite(cf->log, 1, cf->log_len, t),
				 cf->log_len);
	fflush(t);
	rewind(t);
	int fd = dup(fileno(t));
	assert_true(fd >= 0);
	struct splat_reader *r =
		splat_reader_open_fd(fd, cf->name, SPLAT_FORMAT_TEXT);
	assert_non_null(r);
	uint64_t diags = 0;
	splat_reader_set_diag(r, quiet_diag, &diags);
	assert_true(run_reader(r, NULL, out) >= 0);
	splat_reader_close(r);
	fclose(t);
}

/* Expected event type and kind for a title; NULL kind: not lockdep. */
static const char *expected_kind(const struct cfile *cf,
				 enum splat_event_type *type)
{
	static const struct {
		const char *prefix;
		const char *kind;
	} map[] = {
		{"inconsistent lock state", "inconsistent"},
		{"BUG: bad unlock balance", "bad-unlock"},
		{"WARNING: bad unlock balance", "bad-unlock"},
		{"BUG: held lock freed", "held-lock-freed"},
		{"WARNING: held lock freed", "held-lock-freed"},
		{"BUG: still has locks held", "locks-held"},
		{"WARNING: still has locks held", "locks-held"},
		{"BUG: lock held when returning", "lock-held-return-user"},
		{"WARNING: lock held when returning", "lock-held-return-user"},
		{"WARNING: nested lock was not taken", "nested-lock"},
		{"WARNING: suspicious RCU usage", "rcu"},
		{"INFO: suspicious RCU usage", "rcu"},
		{"BUG: spinlock ", "spinlock-debug"},
		{"BUG: rwlock ", "spinlock-debug"},
		{"BUG: using ", "preempt-debug"},
	};
	*type = SPLAT_EV_LOCKDEP;
	if (!strncmp(cf->title, "possible deadlock", 17)) {
		static const struct {
			const char *banner;
			const char *kind;
		} b[] = {
			{"circular locking dependency detected", "circular"},
			{"-unsafe lock order detected", "irq-safe-unsafe"},
			{"recursive locking detected", "recursive"},
			{"irq lock inversion dependency detected",
			 "irq-inversion"},
		};
		const char *best = NULL, *kind = NULL;
		for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
			const char *p = strstr(cf->log, b[i].banner);
			if (p && (!best || p < best)) {
				best = p;
				kind = b[i].kind;
			}
		}
		return kind;
	}
	if (!strncmp(cf->title, "WARNING: locking bug", 20))
		return strstr(cf->log, "Invalid wait context") ? "invalid-wait"
							       : "locking-bug";
	if (!strncmp(cf->title, "INFO: trying to register non-static key",
		     39)) {
		*type = SPLAT_EV_LOCKDEP_OFF;
		return "non-static-key";
	}
	if (!strncmp(cf->title, "BUG: MAX_", 9)) {
		*type = SPLAT_EV_LOCKDEP_OFF;
		return "max-too-low";
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(cf->title, map[i].prefix, strlen(map[i].prefix)))
			return map[i].kind;
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	long lx = strtol(x, NULL, 10), ly = strtol(y, NULL, 10);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static char **names;
static size_t nnames;

static int setup(void **state)
{
	(void)state;
	snprintf(corpus_dir, sizeof(corpus_dir),
		 "%s/scripts/parse-splat/tests/corpus/syzkaller", top_dir());
	DIR *d = opendir(corpus_dir);
	if (!d)
		return 0;
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		/* the reports are named by number; skip LICENSE, README.md */
		if (!de->d_name[0] ||
		    strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
		}
		names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof(*names), cmp_names);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return 0;
}

/* The event syzkaller would title: the earliest (lowest seq) of the
 * expected type and kind. */
static const struct tev *first_of(const struct tevs *t,
				  enum splat_event_type type, const char *kind)
{
	const struct tev *best = NULL;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].type == type && !strcmp(t->v[i].kind, kind) &&
		    (!best || t->v[i].seq < best->seq))
			best = &t->v[i];
	return best;
}

static void check_reports(bool typed)
{
	unsigned files = 0, recognised = 0, titled = 0, titled_alt = 0;
	unsigned titled_syz = 0, known = 0;
	unsigned corrupted_files = 0, corrupted_flagged = 0;
	bool bad = false;

	for (size_t i = 0; i < nnames; i++) {
		struct cfile cf;
		if (!read_cfile(names[i], &cf))
			continue;
		enum splat_event_type type;
		const char *kind = NULL;
		bool want;
		if (typed)
			want = !strcmp(cf.type, "LOCKDEP");
		else
			want = !cf.type[0] && cf.title[0];
		if (want)
			kind = expected_kind(&cf, &type);
		if (!want || (!typed && !kind)) {
			free(cf.log);
			continue;
		}
		files++;
		if (!kind) {
			printf("  %-5s no kind known for title '%s'\n", cf.name,
			       cf.title);
			bad = true;
			free(cf.log);
			continue;
		}
		struct tevs ev = {0};
		run_cfile(&cf, &ev);
		const char *dump = getenv("SPLAT_CORPUS_DUMP");
		if (dump && !strcmp(dump, cf.name))
			for (size_t j = 0; j < ev.n; j++)
				printf("  event %s %s '%s' %s\n",
				       splat_event_type_name(ev.v[j].type),
				       ev.v[j].kind, ev.v[j].title,
				       ev.v[j].detail
					       ? json_object_to_json_string(
							 ev.v[j].detail)
					       : "");
		const struct tev *e = first_of(&ev, type, kind);
		if (!e) {
			printf("  %-5s NOT RECOGNISED as %s (title '%s'); got:",
			       cf.name, kind, cf.title);
			for (size_t j = 0; j < ev.n; j++)
				if (ev.v[j].type != SPLAT_EV_BOOT)
					printf(" [%s %s '%s']",
					       splat_event_type_name(
						       ev.v[j].type),
					       ev.v[j].kind, ev.v[j].title);
			printf("\n");
			bad = true;
		} else {
			recognised++;
			/* our one deliberate difference: irq-safe-unsafe
			 * is titled by the new dependency's site, syzkaller
			 * uses the "which became ...-safe at:" frame, kept
			 * as safe_function */
			char syz[400] = "";
			const char *sf = tev_str(e, "safe_function");
			if (!strcmp(e->kind, "irq-safe-unsafe") && sf)
				snprintf(syz, sizeof(syz),
					 "possible deadlock in %s", sf);
			if (!strcmp(e->title, cf.title) ||
			    !strcmp(syz, cf.title))
				titled_syz++;
			int tm = title_mismatch_of(cf.name);
			if (tm >= 0)
				tm_visited[tm] = true;
			if (!strcmp(e->title, cf.title)) {
				titled++;
				titled_alt++;
				if (tm >= 0) {
					printf("  %-5s STALE title_mismatches "
					       "entry: the title now agrees "
					       "('%s'); remove the entry\n",
					       cf.name, e->title);
					bad = true;
				}
			} else {
				if (tm >= 0 &&
				    !strcmp(title_mismatches[tm].expected,
					    cf.title) &&
				    !strcmp(title_mismatches[tm].ours,
					    e->title)) {
					tm_held[tm] = true;
					known++;
				} else {
					printf("  %-5s UNLISTED title mismatch"
					       "%s\n",
					       cf.name,
					       tm >= 0 ? " (listed with "
							 "another "
							 "title)"
						       : "");
					bad = true;
				}
				bool alt = false;
				for (unsigned a = 0; a < cf.nalt; a++)
					if (!strcmp(e->title, cf.alt[a]))
						alt = true;
				titled_alt += alt;
				printf("  %-5s title '%s'%s%s, expected "
				       "'%s'%s\n",
				       cf.name, e->title, alt ? " (= ALT)" : "",
				       !strcmp(syz, cf.title)
					       ? " (syzkaller's irq rule: "
						 "match)"
					       : "",
				       cf.title,
				       tm >= 0 && tm_held[tm] ? " [listed]"
							      : "");
			}
			if (cf.corrupted) {
				corrupted_files++;
				corrupted_flagged += e->corrupted;
			}
		}
		tevs_free(&ev);
		free(cf.log);
	}
	printf("# %s: %u files, %u recognised with the right kind (%.1f%%), "
	       "title == TITLE: %u (%.1f%%), == TITLE or ALT: %u (%.1f%%), "
	       "with syzkaller's irq-safe-unsafe rule: %u (%.1f%%); "
	       "CORRUPTED: Y files flagged corrupted: %u/%u; "
	       "listed title mismatches: %u\n",
	       typed ? "TYPE: LOCKDEP" : "untyped lockdep titles", files,
	       recognised, files ? 100.0 * recognised / files : 0.0, titled,
	       files ? 100.0 * titled / files : 0.0, titled_alt,
	       files ? 100.0 * titled_alt / files : 0.0, titled_syz,
	       files ? 100.0 * titled_syz / files : 0.0, corrupted_flagged,
	       corrupted_files, known);
	fflush(stdout);
	assert_false(bad);
	assert_int_equal(recognised, files);
	assert_int_equal(titled + known, files);
	if (typed)
		assert_true(files >= 90);
}

static void test_lockdep_files(void **state)
{
	(void)state;
	if (!nnames)
		skip();
	check_reports(true);
}

static void test_untyped_lockdep_titles(void **state)
{
	(void)state;
	if (!nnames)
		skip();
	check_reports(false);
}

/* Runs after both title passes: every listed mismatch was met as listed
 * (a file that agrees now, or went away, makes its entry stale). */
static void test_title_list_current(void **state)
{
	(void)state;
	bool bad = false;
	printf("# title mismatches listed in test_corpus.c: %zu\n",
	       (size_t)N_TITLE_MISMATCHES);
	for (size_t j = 0; j < N_TITLE_MISMATCHES; j++) {
		printf("  %-5s %s%s\n", title_mismatches[j].file,
		       title_mismatches[j].reason,
		       tm_held[j]      ? ""
		       : tm_visited[j] ? "  [STALE: title differs otherwise "
					 "or agrees]"
				       : "  [STALE: file not checked]");
		if (!tm_held[j])
			bad = true;
	}
	fflush(stdout);
	assert_false(bad);
}

static void test_negatives(void **state)
{
	(void)state;
	if (!nnames)
		skip();
	unsigned files = 0, clean = 0, excepted = 0, bugs = 0;
	bool bad = false;
	bool seen[sizeof(exceptions) / sizeof(exceptions[0])] = {false};

	for (size_t i = 0; i < nnames; i++) {
		struct cfile cf;
		if (!read_cfile(names[i], &cf))
			continue;
		bool negative = cf.type[0] ? strcmp(cf.type, "LOCKDEP") != 0
					   : !cf.title[0];
		if (!negative) {
			free(cf.log);
			continue;
		}
		files++;
		struct tevs ev = {0};
		run_cfile(&cf, &ev);
		size_t n = tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL);
		if (tevs_count(&ev, SPLAT_EV_BUG, NULL))
			bugs++;
		int ex = -1;
		for (size_t j = 0;
		     j < sizeof(exceptions) / sizeof(exceptions[0]); j++)
			if (!strcmp(exceptions[j].file, cf.name))
				ex = (int)j;
		if (n == 0) {
			clean++;
		} else if (ex >= 0) {
			excepted++;
			seen[ex] = true;
		} else {
			const struct tev *e =
				tevs_find(&ev, SPLAT_EV_LOCKDEP, NULL);
			printf("  %-5s (TYPE %s, '%s'): unexpected lockdep %s '%s'\n",
			       cf.name, cf.type[0] ? cf.type : "-", cf.title,
			       e->kind, e->title);
			bad = true;
		}
		tevs_free(&ev);
		free(cf.log);
	}
	printf("# non-lockdep files: %u, without a lockdep event: %u, "
	       "justified exceptions: %u, with a non-lockdep bug event: %u\n",
	       files, clean, excepted, bugs);
	printf("# exceptions (non-lockdep files with a lockdep event, see the "
	       "table in test_corpus.c):");
	for (size_t j = 0; j < sizeof(exceptions) / sizeof(exceptions[0]); j++)
		printf(" %s", exceptions[j].file);
	printf("\n");
	for (size_t j = 0; j < sizeof(exceptions) / sizeof(exceptions[0]);
	     j++) {
		printf("  %-5s %s%s\n", exceptions[j].file,
		       exceptions[j].reason,
		       seen[j] ? "" : "  [STALE: no lockdep event any more]");
		if (!seen[j])
			bad = true;
	}
	fflush(stdout);
	assert_false(bad);
	assert_true(files > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockdep_files),
		cmocka_unit_test(test_untyped_lockdep_titles),
		cmocka_unit_test(test_title_list_current),
		cmocka_unit_test(test_negatives),
	};
	setup(NULL);
	if (!nnames) {
		/* it is in the repository: missing is a failure */
		printf("FAIL: corpus %s not found\n", corpus_dir);
		teardown(NULL);
		return 1;
	}
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	teardown(NULL);
	return rc;
}
