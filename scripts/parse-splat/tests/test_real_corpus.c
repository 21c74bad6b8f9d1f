/* SPDX-License-Identifier: MIT */
/*
 * test_real_corpus - the reader (SPLAT_FORMAT_AUTO) and the analyzer on
 * real kernel reports as people pasted them (tests/corpus/real/, see
 * tests/corpus/README.md).  Each file is a header of "KEY: value" lines,
 * one blank line, then the excerpt exactly as it was pasted:
 *
 *   SOURCE: <URL, or 'converted from X with <rule>'>
 *   FORMAT: <format tags>
 *   KIND: <kind>             one line per lockdep/bug event, in order
 *                            ('-': none)
 *   IRQ: <SOFTIRQ|HARDIRQ|...>          of the first event, if it has one
 *   LOCK-<role>: <class>     of the first event; repeated lines of one
 *                            role are a list, in order
 *   TASK: <comm> / PID: <pid>           of the first event, '-' if none
 *   TIME: <uptime seconds of its header line as printed> | <wall time as
 *         printed> | '-' (the excerpt carries no clock)
 *   NOTE: <free text>        optional
 *
 * The expected values are what a careful reader takes from the report.
 * Compared: the kinds of all lockdep and bug events in order; for the first
 * event the irq class, the lock classes of every role the header names and
 * of the kind's main roles (an absent line there means "none"), task, pid,
 * and the time when TIME is an uptime ('-' means: no time).  A wall-clock
 * TIME is kept for the reader but not compared (events carry uptime only).
 *
 * A file that does not match must be listed in known_mismatches[] below
 * with the fields that differ and the reason; an unlisted mismatch fails,
 * and so does a listed file that matches or differs in other fields: the
 * list stays true and shrinks as the readers learn the formats.
 *
 * SPLAT_CORPUS_UPDATE=1 (or --update) rewrites the KIND/IRQ/LOCK/TASK/PID/
 * TIME lines of every file from splat's output instead of checking (for
 * after a reviewed change); SOURCE, FORMAT, NOTE and the excerpt are kept.
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
#include "test_util.h"

#define FORMAT_NOT_YET "format not yet recognised (issue 11 §1)"
#define TASK_BUG                                                               \
	"task/pid of a WARNING/BUG/Oops are not taken from its 'CPU: N PID: "  \
	"P Comm: T' line"

/* Files splat does not read right today: file (without .txt), the fields
 * that differ (comma-separated, in the order kind,irq,lock-<role>...,task,
 * pid,time), why. */
static const struct {
	const char *file;
	const char *fields;
	const char *reason;
} known_mismatches[] = {
	{"askfedora-15757-kernel-bug-journal-ru-locale", "task,pid", TASK_BUG},
	{"gh-feh-574-oops-arm-backtick", "task,pid", TASK_BUG},
	{"gh-open80211s-17-inconsistent-syslog-mangled", "lock-taking",
	 "the archive URL-encoded the parentheses of the class (%28/%29); splat keeps the text as pasted"},
	{"gh-popcorn-10-lockdep-warn-check-flags", "task,pid", TASK_BUG},
	{"gh-systemd-378-oops-journal", "task,pid", TASK_BUG},
	{"gh-tempesta-2373-oops-syslog-ip-host", "task,pid", TASK_BUG},
	{"linaro-630559-kernel-bug-indented", "task,pid", TASK_BUG},
	{"lkml-iu-2403.1-07817-circular-jffs2-stripped", "kind",
	 "the web archive dropped the banner line and every indentation; "
	 "telling a circular report from its body alone is not implemented"},
	{"syzbot-166a56f6600000-irq-inversion-notime", "lock-other",
	 "without timestamps the irq-inversion 'other' role also takes the "
	 "changed lock and the scenario's second lock(&fiq->waitq) line"},
};
#define N_KNOWN (sizeof(known_mismatches) / sizeof(known_mismatches[0]))

#define MAXL 32
struct hdr {
	char *source, *format, *irq, *task, *pid, *time, *note;
	char *kind[MAXL];
	unsigned nkind;
	char *lrole[MAXL], *lclass[MAXL];
	unsigned nlock;
};

struct rfile {
	char name[256];
	char *buf;
	struct hdr h;
	const char *body;
	size_t body_len;
};

static char dir[4096];
static char **names;
static size_t nnames;

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	assert_non_null(d);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool read_rfile(const char *name, struct rfile *rf)
{
	char path[8192];
	size_t len;

	memset(rf, 0, sizeof(*rf));
	snprintf(rf->name, sizeof(rf->name), "%.*s", (int)(strlen(name) - 4),
		 name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rf->buf = test_slurp_existing(path, &len);
	size_t pos = 0;
	while (pos < len) {
		char *nl = memchr(rf->buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (rf->buf + pos)) : len - pos;
		const char *s = rf->buf + pos;
		pos += l + (nl ? 1 : 0);
		if (l == 0)
			break;
		const char *colon = memchr(s, ':', l);
		if (!colon || colon + 1 >= s + l || colon[1] != ' ') {
			print_error("%s: bad header line '%.*s'\n", name,
				    (int)l, s);
			return false;
		}
		size_t kl = (size_t)(colon - s);
		char *v = dupn(colon + 2, l - kl - 2);
		struct hdr *h = &rf->h;
#define KEY(k) (kl == strlen(k) && !strncmp(s, k, kl))
		if (KEY("SOURCE"))
			h->source = v;
		else if (KEY("FORMAT"))
			h->format = v;
		else if (KEY("KIND") && h->nkind < MAXL)
			h->kind[h->nkind++] = v;
		else if (KEY("IRQ"))
			h->irq = v;
		else if (kl > 5 && !strncmp(s, "LOCK-", 5) && h->nlock < MAXL) {
			h->lrole[h->nlock] = dupn(s + 5, kl - 5);
			h->lclass[h->nlock++] = v;
		} else if (KEY("TASK"))
			h->task = v;
		else if (KEY("PID"))
			h->pid = v;
		else if (KEY("TIME"))
			h->time = v;
		else if (KEY("NOTE"))
			h->note = v;
		else {
			print_error("%s: unknown header key '%.*s'\n", name,
				    (int)kl, s);
			free(v);
			return false;
		}
#undef KEY
	}
	rf->body = rf->buf + pos;
	rf->body_len = len - pos;
	struct hdr *h = &rf->h;
	if (!h->source || !h->format || !h->nkind || !h->task || !h->pid ||
	    !h->time) {
		print_error("%s: header lacks SOURCE, FORMAT, KIND, TASK, PID "
			    "or TIME\n",
			    name);
		return false;
	}
	return true;
}

static void free_rfile(struct rfile *rf)
{
	struct hdr *h = &rf->h;
	free(h->source);
	free(h->format);
	free(h->irq);
	free(h->task);
	free(h->pid);
	free(h->time);
	free(h->note);
	for (unsigned i = 0; i < h->nkind; i++)
		free(h->kind[i]);
	for (unsigned i = 0; i < h->nlock; i++) {
		free(h->lrole[i]);
		free(h->lclass[i]);
	}
	free(rf->buf);
}

static int cmp_seq(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The lockdep and bug events of the excerpt, in the order of the log. */
static void run_rfile(const struct rfile *rf, struct tevs *out)
{
	struct tevs all = {0};
	FILE *t = tmpfile();
	assert_non_null(t);
	if (rf->body_len)
		assert_int_equal(fwrite(rf->body, 1, rf->body_len, t),
				 rf->body_len);
	fflush(t);
	rewind(t);
	int fd = dup(fileno(t));
	assert_true(fd >= 0);
	struct splat_reader *r =
		splat_reader_open_fd(fd, rf->name, SPLAT_FORMAT_AUTO);
	assert_non_null(r);
	uint64_t diags = 0;
	splat_reader_set_diag(r, quiet_diag, &diags);
	run_reader(r, NULL, &all); /* < 0: nothing readable, no events */
	splat_reader_close(r);
	fclose(t);
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < all.n; i++) {
		if (all.v[i].type != SPLAT_EV_LOCKDEP &&
		    all.v[i].type != SPLAT_EV_BUG)
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 8;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			assert_non_null(out->v);
		}
		out->v[out->n++] = all.v[i];
		all.v[i].detail = NULL; /* moved */
	}
	tevs_free(&all);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_seq);
}

/* The roles a kind's report always names (compared even without a LOCK
 * line: none expected then). */
static const char *const *main_roles(const char *kind)
{
	static const char *const acq_held[] = {"acquiring", "held", NULL};
	static const char *const taking[] = {"taking", NULL};
	static const char *const inv[] = {"changed", "other", NULL};
	static const char *const rel[] = {"releasing", NULL};
	static const char *const freed[] = {"freed", NULL};
	static const char *const acq[] = {"acquiring", NULL};
	static const char *const list[] = {"held-list", NULL};
	static const char *const none[] = {NULL};
	static const struct {
		const char *kind;
		const char *const *roles;
	} map[] = {
		{"circular", acq_held},	       {"recursive", acq_held},
		{"irq-safe-unsafe", acq_held}, {"inconsistent", taking},
		{"irq-inversion", inv},	       {"bad-unlock", rel},
		{"held-lock-freed", freed},    {"invalid-wait", acq},
		{"nested-lock", acq},	       {"rcu", list},
		{"locks-held", list},	       {"lock-held-return-user", list},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].kind, kind))
			return map[i].roles;
	return none;
}

/* The roles to compare: the kind's main roles, then the header's others. */
static unsigned roles_of(const struct hdr *h, const char *kind,
			 const char *out[MAXL])
{
	unsigned n = 0;
	for (const char *const *r = main_roles(kind); *r && n < MAXL; r++)
		out[n++] = *r;
	for (unsigned i = 0; i < h->nlock && n < MAXL; i++) {
		bool seen = false;
		for (unsigned j = 0; j < n; j++)
			seen |= !strcmp(out[j], h->lrole[i]);
		if (!seen)
			out[n++] = h->lrole[i];
	}
	return n;
}

/* "a | b | c": the classes of a role, from the header or from the event. */
static void hdr_classes(const struct hdr *h, const char *role, char *o,
			size_t cap)
{
	o[0] = '\0';
	for (unsigned i = 0; i < h->nlock; i++)
		if (!strcmp(h->lrole[i], role))
			snprintf(o + strlen(o), cap - strlen(o), "%s%s",
				 o[0] ? " | " : "", h->lclass[i]);
}

static void ev_classes(const struct tev *e, const char *role, char *o,
		       size_t cap)
{
	json_object *locks;
	o[0] = '\0';
	if (!e->detail ||
	    !json_object_object_get_ex(e->detail, "locks", &locks) ||
	    !json_object_is_type(locks, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(locks); i++) {
		json_object *l = json_object_array_get_idx(locks, i);
		const char *r = splat_jstr(l, "role"),
			   *c = splat_jstr(l, "class");
		if (r && c && !strcmp(r, role))
			snprintf(o + strlen(o), cap - strlen(o), "%s%s",
				 o[0] ? " | " : "", c);
	}
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* TIME as an uptime in microseconds; false for a wall time or '-'. */
static bool uptime_usec(const char *s, int64_t *out)
{
	int64_t sec = 0, frac = 0;
	int digits = 0;
	const char *p = s;
	if (!*p)
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		sec = sec * 10 + (*p - '0');
	if (p == s || *p != '.')
		return false;
	for (p++; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
		frac = frac * 10 + (*p - '0');
	if (*p || !digits)
		return false;
	while (digits++ < 6)
		frac *= 10;
	*out = sec * 1000000 + frac;
	return true;
}

struct diff {
	char fields[512]; /* "kind,task" */
	char text[4096];  /* what differs, for the log */
	bool wall;	  /* TIME was a wall clock: not compared */
};

static void add_diff(struct diff *d, const char *field, const char *fmt, ...)
{
	va_list ap;
	snprintf(d->fields + strlen(d->fields),
		 sizeof(d->fields) - strlen(d->fields), "%s%s",
		 d->fields[0] ? "," : "", field);
	size_t l = strlen(d->text);
	snprintf(d->text + l, sizeof(d->text) - l, "%s%s: ", l ? "; " : "",
		 field);
	l = strlen(d->text);
	va_start(ap, fmt);
	vsnprintf(d->text + l, sizeof(d->text) - l, fmt, ap);
	va_end(ap);
}

static void compare(const struct rfile *rf, const struct tevs *ev,
		    struct diff *d)
{
	const struct hdr *h = &rf->h;
	char want[2048] = "", got[2048] = "";

	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < h->nkind; i++)
		if (strcmp(h->kind[i], "-")) /* '-': no event */
			snprintf(want + strlen(want),
				 sizeof(want) - strlen(want), "%s%s",
				 want[0] ? " " : "", h->kind[i]);
	for (size_t i = 0; i < ev->n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			 i ? " " : "", ev->v[i].kind);
	if (strcmp(want, got)) {
		add_diff(d, "kind", "want [%s], got [%s]", want, got);
		return; /* the first event is not the one described */
	}
	const struct tev *e = &ev->v[0];
	const char *irq = tev_str(e, "irq_class");
	if (strcmp(or_dash(h->irq), or_dash(irq)))
		add_diff(d, "irq", "want %s, got %s", or_dash(h->irq),
			 or_dash(irq));
	const char *roles[MAXL];
	unsigned nr = roles_of(h, e->kind, roles);
	for (unsigned i = 0; i < nr; i++) {
		char field[64];
		hdr_classes(h, roles[i], want, sizeof(want));
		ev_classes(e, roles[i], got, sizeof(got));
		if (strcmp(want, got)) {
			snprintf(field, sizeof(field), "lock-%s", roles[i]);
			add_diff(d, field, "want '%s', got '%s'", want, got);
		}
	}
	const char *task = tev_str(e, "task");
	if (strcmp(h->task, or_dash(task)))
		add_diff(d, "task", "want %s, got %s", h->task, or_dash(task));
	const char *pid = tev_str(e, "pid");
	if (strcmp(h->pid, or_dash(pid)))
		add_diff(d, "pid", "want %s, got %s", h->pid, or_dash(pid));
	int64_t t;
	if (uptime_usec(h->time, &t)) {
		if (e->ts != t) {
			if (e->ts == SPLAT_TS_NONE)
				add_diff(d, "time", "want %s, got none",
					 h->time);
			else
				add_diff(d, "time", "want %s, got %lld.%06lld",
					 h->time, (long long)(e->ts / 1000000),
					 (long long)(e->ts % 1000000));
		}
	} else if (!strcmp(h->time, "-")) {
		if (e->ts != SPLAT_TS_NONE)
			add_diff(d, "time", "want none, got %lld.%06lld",
				 (long long)(e->ts / 1000000),
				 (long long)(e->ts % 1000000));
	} else {
		d->wall = true;
	}
}

/* ---- --update: the header from splat's output ------------------------ */

static void update_file(const struct rfile *rf, const struct tevs *ev)
{
	const struct hdr *h = &rf->h;
	char path[8192], tmp[8300];
	snprintf(path, sizeof(path), "%s/%s.txt", dir, rf->name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	FILE *f = fopen(tmp, "wb");
	assert_non_null(f);
	fprintf(f, "SOURCE: %s\nFORMAT: %s\n", h->source, h->format);
	for (size_t i = 0; i < ev->n; i++)
		fprintf(f, "KIND: %s\n", ev->v[i].kind);
	if (!ev->n)
		fprintf(f, "KIND: -\n");
	const struct tev *e = ev->n ? &ev->v[0] : NULL;
	if (e && tev_str(e, "irq_class"))
		fprintf(f, "IRQ: %s\n", tev_str(e, "irq_class"));
	if (e) {
		const char *roles[MAXL];
		unsigned nr = roles_of(h, e->kind, roles);
		for (unsigned i = 0; i < nr; i++) {
			json_object *locks;
			if (!e->detail || !json_object_object_get_ex(
						  e->detail, "locks", &locks))
				continue;
			for (size_t j = 0; j < json_object_array_length(locks);
			     j++) {
				json_object *l =
					json_object_array_get_idx(locks, j);
				const char *r = splat_jstr(l, "role"),
					   *c = splat_jstr(l, "class");
				if (r && c && !strcmp(r, roles[i]))
					fprintf(f, "LOCK-%s: %s\n", r, c);
			}
		}
	}
	fprintf(f, "TASK: %s\n", e ? or_dash(tev_str(e, "task")) : "-");
	fprintf(f, "PID: %s\n", e ? or_dash(tev_str(e, "pid")) : "-");
	int64_t t;
	if (e && e->ts != SPLAT_TS_NONE)
		fprintf(f, "TIME: %lld.%06lld\n", (long long)(e->ts / 1000000),
			(long long)(e->ts % 1000000));
	else if (!uptime_usec(h->time, &t))
		fprintf(f, "TIME: %s\n", h->time); /* wall clock or '-' kept */
	else
		fprintf(f, "TIME: -\n");
	if (h->note)
		fprintf(f, "NOTE: %s\n", h->note);
	fputc('\n', f);
	assert_int_equal(fwrite(rf->body, 1, rf->body_len, f), rf->body_len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* ---- the test --------------------------------------------------------- */

static bool update_mode;

static int known_of(const char *file)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (!strcmp(known_mismatches[i].file, file))
			return (int)i;
	return -1;
}

/* FORMAT tags: per tag, files and files fully right. */
struct tag {
	char name[48];
	unsigned files, right;
};

static void count_tags(struct tag *tags, unsigned *ntags, unsigned cap,
		       const char *format, bool right)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", format);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		unsigned i;
		for (i = 0; i < *ntags; i++)
			if (!strcmp(tags[i].name, t))
				break;
		if (i == *ntags) {
			if (*ntags == cap)
				continue;
			snprintf(tags[i].name, sizeof(tags[i].name), "%s", t);
			(*ntags)++;
		}
		tags[i].files++;
		tags[i].right += right;
	}
}

static void test_real_corpus(void **state)
{
	unsigned files = 0, right = 0, known = 0, wall = 0;
	bool bad = false;
	bool seen[N_KNOWN + 1];
	struct tag tags[64];
	unsigned ntags = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < nnames; i++) {
		struct rfile rf;
		struct tevs ev;
		struct diff d;
		if (!read_rfile(names[i], &rf)) {
			bad = true;
			free_rfile(&rf);
			continue;
		}
		files++;
		run_rfile(&rf, &ev);
		if (update_mode) {
			update_file(&rf, &ev);
			tevs_free(&ev);
			free_rfile(&rf);
			continue;
		}
		compare(&rf, &ev, &d);
		wall += d.wall;
		int k = known_of(rf.name);
		if (k >= 0)
			seen[k] = true;
		count_tags(tags, &ntags, 64, rf.h.format, !d.fields[0]);
		if (!d.fields[0]) {
			right++;
			if (k >= 0) {
				printf("  %s: STALE known_mismatches entry "
				       "(%s): it reads right now; remove it\n",
				       rf.name, known_mismatches[k].fields);
				bad = true;
			}
		} else if (k >= 0 &&
			   !strcmp(known_mismatches[k].fields, d.fields)) {
			known++;
			printf("  %s: [known] %s\n", rf.name, d.text);
		} else {
			printf("  %s: %s %s\n", rf.name,
			       k >= 0 ? "[CHANGED]" : "[UNLISTED]", d.text);
			if (k < 0)
				printf("      fields '%s'\n", d.fields);
			if (k >= 0)
				printf("      listed fields '%s', now '%s'\n",
				       known_mismatches[k].fields, d.fields);
			bad = true;
		}
		tevs_free(&ev);
		free_rfile(&rf);
	}
	if (update_mode) {
		printf("real corpus: %u files, headers rewritten from splat's "
		       "output\n",
		       files);
		return;
	}
	for (size_t k = 0; k < N_KNOWN; k++)
		if (!seen[k]) {
			printf("  %s: STALE known_mismatches entry: no such "
			       "file\n",
			       known_mismatches[k].file);
			bad = true;
		}
	printf("# by format tag (files fully right / files):");
	for (unsigned i = 0; i < ntags; i++)
		printf(" %s %u/%u", tags[i].name, tags[i].right, tags[i].files);
	printf("\n# wall-clock TIME not compared: %u files\n", wall);
	printf("real corpus: %u files, %u fully right, %u known mismatches\n",
	       files, right, known);
	fflush(stdout);
	assert_false(bad);
	assert_true(files >= 40);
	assert_int_equal(right + known, files);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_corpus),
	};
	const char *u = getenv("SPLAT_CORPUS_UPDATE");
	update_mode = (u && *u && strcmp(u, "0")) ||
		      (argc > 1 && !strcmp(argv[1], "--update"));
	snprintf(dir, sizeof(dir), "%s/scripts/parse-splat/tests/corpus/real",
		 top_dir());
	DIR *d = opendir(dir);
	if (!d) {
		/* in the repository: missing is a failure, not a skip */
		printf("FAIL: corpus %s not found\n", dir);
		return 1;
	}
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 5 ||
		    strcmp(de->d_name + l - 4, ".txt"))
			continue;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof(*names), cmp_str);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}
