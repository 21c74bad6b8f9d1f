/* SPDX-License-Identifier: MIT */
/*
 * besser-soak - drive WiFi for hours while `splat watch` records every
 * kernel event into a run bundle.
 *
 *   besser-soak [run] [--config FILE] [--duration D] [--label L] [--root DIR]
 *   besser-soak finalize [--root DIR] [DIR]
 *
 * Exit codes: 0 run finished (deadline or stop request) and bundle written,
 * 1 runtime failure, 2 bad usage or configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <splat/patterns.h>
#include <systemd/sd-daemon.h>

#include "bundle.h"
#include "config.h"
#include "run.h"

#ifndef SOAK_VERSION
#define SOAK_VERSION "0.1"
#endif
#define DEFAULT_CONFIG	   "/etc/besser-soak.conf"
#define WATCH_RESTARTS_MAX 5

static volatile sig_atomic_t stop_flag, probe_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	probe_flag = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: besser-soak [run] [--config FILE] [--duration D] [--label L]\n"
		"                   [--root DIR] [--set KEY=VALUE]...\n"
		"       besser-soak finalize [--root DIR] [--reason TEXT] [--force] [DIR]\n"
		"\n"
		"run (default): create a run bundle ROOT/<label>-<UTC>-<host>/, start\n"
		"  `splat watch` on it, run the probes, the stressors until the deadline,\n"
		"  the probes again, restore the original connection, run `splat summary`\n"
		"  and finalise meta.json.  SIGTERM/SIGINT end the run early (marked\n"
		"  incomplete); SIGUSR1 runs the probes now.\n"
		"  -c, --config FILE   configuration (default " DEFAULT_CONFIG
		")\n"
		"  -d, --duration D    run length: 90s, 30m, 4h, 1h30m (overrides config)\n"
		"  -l, --label L       run label: before, after, free text\n"
		"  -r, --root DIR      results root (default /var/lib/besser-soak)\n"
		"  -s, --set K=V       override one configuration key\n"
		"  -u, --until-decided BEFORE_DIR\n"
		"                      end the run as soon as `splat compare\n"
		"                      --sequential` against the before bundle\n"
		"                      decides (fixed / not fixed), else at the\n"
		"                      deadline (config key until_decided)\n"
		"\n"
		"finalize: complete meta.json of a bundle (end values, file hashes,\n"
		"  complete flag) after the run was killed; without DIR, ROOT/current.\n"
		"  Run from ExecStopPost=; does nothing to an already finalised bundle\n"
		"  unless --force.  The reason defaults to systemd's $SERVICE_RESULT.\n"
		"\n"
		"Exit codes: 0 done, 1 runtime failure, 2 bad usage or configuration.\n");
}

/* ---- the watcher -------------------------------------------------------- */

struct watcher {
	pid_t pid;
	unsigned restarts;
	bool ended;  /* exited by itself with 0 (input ended) */
	bool failed; /* died WATCH_RESTARTS_MAX + 1 times: the run ends */
	int64_t started_usec;
};

static pid_t watcher_start(const struct soak_config *c, const char *dir)
{
	struct soak_argv a;
	char patterns[PATH_MAX];
	pid_t pid;

	soak_argv_init(&a);
	soak_argv_add(&a, c->splat);
	soak_argv_add(&a, "watch");
	soak_argv_add(&a, "--out");
	soak_argv_add(&a, dir);
	soak_argv_add(&a, "--resume");
	soak_argv_add(&a, "--kmsg");
	soak_argv_add(&a, c->kmsg);
	if (c->patterns[0]) {
		/* the bundle's copy (soak_meta_start()): what is recorded is
		 * what was watched */
		snprintf(patterns, sizeof(patterns), "%s/" SOAK_PATTERNS_FILE,
			 dir);
		soak_argv_add(&a, "--patterns");
		soak_argv_add(&a, patterns);
	}
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGUSR1, SIG_DFL);
		/* systemd sees only besser-soak's notifications */
		unsetenv("NOTIFY_SOCKET");
		execvp(a.v[0], a.v);
		fprintf(stderr, "besser-soak: cannot run %s: %s\n", a.v[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

static void log_watcher(struct soak_run *r, const char *what, int status)
{
	struct json_object *o = json_object_new_object();
	int64_t now = soak_now_usec();

	json_object_object_add(o, "op", json_object_new_string("watcher"));
	json_object_object_add(o, "start_usec", json_object_new_int64(now));
	json_object_object_add(o, "end_usec", json_object_new_int64(now));
	json_object_object_add(o, "cmd", NULL);
	json_object_object_add(o, "event", json_object_new_string(what));
	/* an exit is ok when clean (input ended); a restart is ok */
	json_object_object_add(
		o, "outcome",
		json_object_new_string(
			!strcmp(what, "restarted") ||
					(!strcmp(what, "exited") &&
					 WIFEXITED(status) &&
					 WEXITSTATUS(status) == 0)
				? "ok"
				: "failed"));
	json_object_object_add(
		o, "exit",
		WIFEXITED(status) ? json_object_new_int(WEXITSTATUS(status))
				  : NULL);
	if (WIFSIGNALED(status))
		json_object_object_add(o, "signal",
				       json_object_new_int(WTERMSIG(status)));
	json_object_object_add(o, "error", NULL);
	soak_run_log(r, o, SOAK_OK);
}

/* Reap the watcher if it died; restart it (bounded) unless it ended. */
static void watcher_check(struct soak_run *r, struct watcher *w)
{
	int status;

	if (w->pid <= 0 || waitpid(w->pid, &status, WNOHANG) != w->pid)
		return;
	w->pid = 0;
	log_watcher(r, "exited", status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		w->ended = true; /* its input ended (a file, in tests) */
		return;
	}
	fprintf(stderr, "besser-soak: splat watch died (%s %d)%s\n",
		WIFEXITED(status) ? "exit" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		w->restarts < WATCH_RESTARTS_MAX ? "; restarting with --resume"
						 : "");
	if (w->restarts >= WATCH_RESTARTS_MAX) {
		/* nothing records the kernel log any more: the run is over */
		w->failed = true;
		return;
	}
	/* not in a tight loop: at least 2 s between starts */
	while (soak_now_usec() - w->started_usec < 2000000)
		soak_sleep_ms(100);
	w->restarts++;
	w->pid = watcher_start(r->c, r->dir);
	w->started_usec = soak_now_usec();
	log_watcher(r, "restarted", 0);
}

static void watcher_stop(struct soak_run *r, struct watcher *w)
{
	int status;

	if (w->pid <= 0)
		return;
	kill(w->pid, SIGTERM);
	for (int i = 0; i < 100; i++) { /* 10 s */
		if (waitpid(w->pid, &status, WNOHANG) == w->pid) {
			log_watcher(r, "exited", status);
			w->pid = 0;
			return;
		}
		soak_sleep_ms(100);
	}
	kill(w->pid, SIGKILL);
	waitpid(w->pid, &status, 0);
	log_watcher(r, "killed", status);
	w->pid = 0;
}

/* ---- until decided ------------------------------------------------------ */

/* The sequential verdict against the before bundle (until_decided): looked
 * at by running `splat compare --sequential` on the growing bundle. */
struct decider {
	bool on;
	unsigned looks;
	int64_t last_look_usec;
	uint64_t last_events; /* watch.state's event count at the last look */
	char verdict[32];     /* "" until the first look succeeds */
	double to_fixed_h, remaining_h; /* NAN: unknown */
	char error[600]; /* why the last look failed, "" if it did not */
};

static struct decider dec;

#define DECISION_FILE "until-decided.json"

static uint64_t state_events(struct json_object *st)
{
	struct json_object *c;
	uint64_t n = 0;

	if (!st || !json_object_object_get_ex(st, "counts", &c) ||
	    !json_object_is_type(c, json_type_object))
		return 0;
	json_object_object_foreach(c, k, v)
	{
		(void)k;
		n += (uint64_t)json_object_get_int64(v);
	}
	return n;
}

static double jnum_at(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, a, &v) ||
	    !json_object_object_get_ex(v, b, &v) || !v)
		return NAN;
	return json_object_get_double(v);
}

/* One look: `splat compare --json-file DIR/until-decided.json --sequential
 * [--predict-file P] --tolerance T --max-after DURATION --before BEFORE
 * --after DIR`.  Exit
 * 0 fixed, 4 not fixed, 5 undecided; anything else is a failed look (kept
 * in dec.error, the run goes on). */
static void decide_look(struct soak_run *r)
{
	const struct soak_config *c = r->c;
	struct soak_exec_result *x = malloc(sizeof(*x));
	char out[PATH_MAX + 32];
	struct soak_argv a;
	struct json_object *doc, *v;

	dec.last_look_usec = soak_now_usec();
	if (!x)
		return;
	snprintf(out, sizeof(out), "%s/" DECISION_FILE, r->dir);
	soak_argv_init(&a);
	soak_argv_add(&a, c->splat);
	soak_argv_add(&a, "compare");
	soak_argv_add(&a, "--sequential");
	soak_argv_add(&a, "--json-file");
	soak_argv_add(&a, out);
	if (c->until_decided_predict[0]) {
		soak_argv_add(&a, "--predict-file");
		soak_argv_add(&a, c->until_decided_predict);
	}
	soak_argv_add(&a, "--tolerance");
	soak_argv_addf(&a, "%.17g", c->until_decided_tolerance);
	soak_argv_add(&a, "--max-after");
	soak_argv_addf(&a, "%.0fs", (double)c->duration_ms / 1000.0);
	soak_argv_add(&a, "--before");
	soak_argv_add(&a, c->until_decided);
	soak_argv_add(&a, "--after");
	soak_argv_add(&a, r->dir);
	soak_exec(a.v, 300000, r->stop, x);
	dec.looks++;
	if (x->exec_failed || x->timed_out || x->interrupted ||
	    !(x->exit_code == 0 || x->exit_code == 4 || x->exit_code == 5) ||
	    !(doc = json_object_from_file(out))) {
		char e[600];

		soak_error_text(x, e, sizeof(e));
		snprintf(dec.error, sizeof(dec.error), "%s",
			 e[0] ? e : "no compare document");
		if (x->err_len)
			fprintf(stderr, "besser-soak: until-decided look: %s\n",
				x->err);
		free(x);
		return;
	}
	free(x);
	dec.error[0] = '\0';
	if (json_object_object_get_ex(doc, "sequential", &v) &&
	    json_object_object_get_ex(v, "verdict", &v) && v)
		snprintf(dec.verdict, sizeof(dec.verdict), "%s",
			 json_object_get_string(v));
	dec.to_fixed_h = jnum_at(doc, "sequential", "to_fixed_h");
	dec.remaining_h = jnum_at(doc, "sequential", "expected_remaining_h");
	json_object_put(doc);
}

static bool decided(void)
{
	return !strcmp(dec.verdict, "fixed") ||
	       !strcmp(dec.verdict, "not fixed");
}

/* Look at a new event (at most every 30 s, or the interval when shorter)
 * and at least every until_decided_interval. */
static void decide_maybe(struct soak_run *r)
{
	char path[PATH_MAX + 32];
	struct json_object *st;
	uint64_t ev;
	int64_t since = soak_now_usec() - dec.last_look_usec;
	int64_t gap = r->c->until_decided_interval_ms < 30000
			      ? r->c->until_decided_interval_ms
			      : 30000;

	snprintf(path, sizeof(path), "%s/watch.state", r->dir);
	st = json_object_from_file(path);
	ev = state_events(st);
	json_object_put(st);
	if (dec.looks && since < r->c->until_decided_interval_ms * 1000 &&
	    (ev == dec.last_events || since < gap * 1000))
		return;
	dec.last_events = ev;
	decide_look(r);
}

static void fmt_h(char *buf, size_t len, double h)
{
	if (!isfinite(h))
		snprintf(buf, len, "never");
	else if (h < 1.0)
		snprintf(buf, len, "%.0f min", h * 60);
	else
		snprintf(buf, len, "%.1f h", h);
}

/* "; sequential: continue, fixed in 4.1 h if nothing happens, expected
 * 2.0 h more" for STATUS= */
static void decide_status(char *buf, size_t len)
{
	char f[32], m[32];

	buf[0] = '\0';
	if (!dec.on)
		return;
	if (!dec.verdict[0]) {
		snprintf(buf, len, "; sequential: %s",
			 dec.error[0] ? "look failed" : "not looked yet");
		return;
	}
	fmt_h(f, sizeof(f), dec.to_fixed_h);
	fmt_h(m, sizeof(m), dec.remaining_h);
	if (strcmp(dec.verdict, "continue"))
		snprintf(buf, len, "; sequential: %s", dec.verdict);
	else if (isnan(dec.remaining_h))
		snprintf(buf, len,
			 "; sequential: continue, fixed in %s if "
			 "nothing happens",
			 f);
	else
		snprintf(buf, len,
			 "; sequential: continue, fixed in %s if "
			 "nothing happens, expected %s more",
			 f, m);
}

static struct json_object *decide_json(const struct soak_config *c,
				       bool stopped_early)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "before",
			       json_object_new_string(c->until_decided));
	json_object_object_add(
		o, "tolerance",
		json_object_new_double(c->until_decided_tolerance));
	json_object_object_add(o, "looks", json_object_new_int64(dec.looks));
	json_object_object_add(
		o, "verdict",
		dec.verdict[0] ? json_object_new_string(dec.verdict) : NULL);
	json_object_object_add(o, "decided_early",
			       json_object_new_boolean(stopped_early));
	json_object_object_add(o, "to_fixed_h",
			       isfinite(dec.to_fixed_h)
				       ? json_object_new_double(dec.to_fixed_h)
				       : NULL);
	json_object_object_add(o, "expected_remaining_h",
			       isfinite(dec.remaining_h)
				       ? json_object_new_double(dec.remaining_h)
				       : NULL);
	json_object_object_add(o, "last_error",
			       dec.error[0] ? json_object_new_string(dec.error)
					    : NULL);
	json_object_object_add(o, "document",
			       json_object_new_string(DECISION_FILE));
	return o;
}

/* ---- status ------------------------------------------------------------- */

static uint64_t state_count(struct json_object *st, const char *key)
{
	struct json_object *c, *v;

	if (st && json_object_object_get_ex(st, "counts", &c) &&
	    json_object_object_get_ex(c, key, &v))
		return (uint64_t)json_object_get_int64(v);
	return 0;
}

static void fmt_hms(char *buf, size_t len, int64_t ms)
{
	int64_t s = ms / 1000;

	snprintf(buf, len, "%" PRId64 ":%02d:%02d", s / 3600,
		 (int)(s / 60 % 60), (int)(s % 60));
}

/* The failing kinds' names last reported in the journal. */
static char failing_said[512];

static void status(struct soak_run *r, int64_t start_usec)
{
	char path[PATH_MAX + 32], el[32], tot[32], failing[1024], names[512];
	char seq[160];
	struct json_object *st;

	snprintf(path, sizeof(path), "%s/watch.state", r->dir);
	st = json_object_from_file(path);
	fmt_hms(el, sizeof(el), (soak_now_usec() - start_usec) / 1000);
	fmt_hms(tot, sizeof(tot), r->c->duration_ms);
	/* a workload that mostly fails is not the workload claimed: say so
	 * while the run goes on */
	soak_opslog_failing(&r->log, r->c->failing_share, failing,
			    sizeof(failing), names, sizeof(names));
	if (strcmp(names, failing_said)) {
		fprintf(stderr, "besser-soak: %s%s\n",
			failing[0] ? "failing so far: "
				   : "no kind failing any more",
			failing);
		snprintf(failing_said, sizeof(failing_said), "%s", names);
	}
	decide_status(seq, sizeof(seq));
	sd_notifyf(0,
		   "STATUS=%s/%s, ops %" PRIu64 " (busy %" PRIu64
		   ", failed %" PRIu64 "), lockdep reports %" PRIu64
		   ", " SPLAT_PATTERN_BUILTIN " %" PRIu64 " (%" PRIu64
		   " lines), lost %" PRIu64 "%s%s%s",
		   el, tot, r->log.ops, r->busy,
		   r->log.by_outcome[SOAK_FAILED] +
			   r->log.by_outcome[SOAK_TIMEOUT],
		   state_count(st, "lockdep"),
		   state_count(st, SPLAT_PATTERN_BUILTIN ":pattern-pair"),
		   state_count(st, SPLAT_PATTERN_BUILTIN),
		   state_count(st, "lost"), failing[0] ? "; " : "", failing,
		   seq);
	json_object_put(st);
	/* RuntimeMaxSec= backstop: extend it only until deadline + 20 min */
	if (soak_now_usec() <
	    start_usec + (r->c->duration_ms + 20 * 60000) * 1000)
		sd_notify(0, "EXTEND_TIMEOUT_USEC=600000000");
}

/* ---- end of run ---------------------------------------------------------- */

static void run_summary(const struct soak_config *c, const char *dir)
{
	char *argv[] = {(char *)c->splat, "summary", (char *)dir, NULL};
	struct soak_exec_result *x = malloc(sizeof(*x));

	if (!x)
		return;
	if (soak_exec(argv, 600000, NULL, x) != 0) {
		char e[600];

		soak_error_text(x, e, sizeof(e));
		fprintf(stderr,
			"besser-soak: `%s summary %s` did not succeed (%s); "
			"summary.json can be recomputed later from kmsg.raw\n",
			c->splat, dir, e[0] ? e : "no reason given");
	}
	free(x);
}

static struct json_object *run_counts(const struct soak_run *r,
				      const struct watcher *w, bool deadline)
{
	struct json_object *o = json_object_new_object(), *bo, *st;

	json_object_object_add(o, "version",
			       json_object_new_string(SOAK_VERSION));
	json_object_object_add(o, "ops",
			       json_object_new_int64((int64_t)r->log.ops));
	bo = json_object_new_object();
	for (int i = 0; i < SOAK_OUTCOME_COUNT; i++)
		json_object_object_add(
			bo, soak_outcome_name(i),
			json_object_new_int64((int64_t)r->log.by_outcome[i]));
	json_object_object_add(o, "by_outcome", bo);
	st = json_object_new_object();
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(
			e, "runs",
			json_object_new_int64((int64_t)r->sched.e[i].runs));
		json_object_object_add(
			e, "busy",
			json_object_new_int64((int64_t)r->sched.e[i].busy));
		json_object_object_add(st, soak_stressor_name(i), e);
	}
	json_object_object_add(o, "stressors", st);
	/* per kind of operation, and the kinds that failed more than
	 * failing_share of the time (the same counts splat makes of ops.jsonl)
	 */
	json_object_object_add(
		o, "by_kind",
		soak_opslog_kinds_json(&r->log, r->c->failing_share));
	{
		struct json_object *f = json_object_new_array();

		for (size_t i = 0; i < r->log.nkinds; i++)
			if (soak_kind_failing(&r->log.kinds[i],
					      r->c->failing_share))
				json_object_array_add(
					f, json_object_new_string(
						   r->log.kinds[i].name));
		json_object_object_add(o, "failing", f);
	}
	json_object_object_add(o, "failing_share",
			       json_object_new_double(r->c->failing_share));
	json_object_object_add(o, "reached_deadline",
			       json_object_new_boolean(deadline));
	/* the schedule's clock: stressors start in [start, deadline) */
	json_object_object_add(o, "start_usec",
			       json_object_new_int64(r->deadline_usec -
						     r->c->duration_ms * 1000));
	json_object_object_add(o, "deadline_usec",
			       json_object_new_int64(r->deadline_usec));
	json_object_object_add(o, "watcher_restarts",
			       json_object_new_int((int)w->restarts));
	json_object_object_add(o, "ops_log_errors",
			       json_object_new_int64((int64_t)r->log_errors));
	return o;
}

/* ---- run ---------------------------------------------------------------- */

static void sleep_until(int64_t due_usec)
{
	int64_t left = due_usec - soak_now_usec();

	if (left > 1000000)
		left = 1000000; /* wake up for status, signals, the watcher */
	soak_sleep_ms((left + 999) / 1000);
}

static int cmd_run(struct soak_config *c)
{
	struct soak_run r = {.c = c, .stop = &stop_flag};
	struct watcher w = {0};
	char run_id[256], err[1024];
	bool enabled[SOAK_ST_COUNT], deadline_reached = false;
	bool decided_early = false;
	int64_t start_usec, last_status = 0;
	uint64_t seed;

	dec = (struct decider){.on = c->until_decided[0] != '\0',
			       .to_fixed_h = NAN,
			       .remaining_h = NAN};
	if (dec.on && access(c->until_decided, R_OK) != 0) {
		fprintf(stderr, "besser-soak: until_decided: %s: %s\n",
			c->until_decided, strerror(errno));
		return 2;
	}
	soak_run_id(c->label, run_id, sizeof(run_id));
	if (soak_bundle_create(c->results_root, run_id, r.dir, sizeof(r.dir),
			       err, sizeof(err)) < 0 ||
	    soak_meta_start(r.dir, run_id, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: %s\n", err);
		return 1;
	}
	if (soak_opslog_open(&r.log, r.dir) < 0) {
		fprintf(stderr, "besser-soak: %s/ops.jsonl: %s\n", r.dir,
			strerror(errno));
		return 1;
	}
	soak_boot_id(r.boot_id, sizeof(r.boot_id));
	printf("besser-soak: run %s in %s for %.0f s\n", run_id, r.dir,
	       (double)c->duration_ms / 1000.0);
	fflush(stdout);

	if (c->watch) {
		w.started_usec = soak_now_usec();
		w.pid = watcher_start(c, r.dir);
		if (w.pid < 0) {
			fprintf(stderr, "besser-soak: fork: %s\n",
				strerror(errno));
			return 1;
		}
	}
	start_usec = soak_now_usec();
	r.deadline_usec = start_usec + c->duration_ms * 1000;
	sd_notifyf(0, "READY=1\nSTATUS=starting run %s", run_id);

	r.have_orig =
		soak_backend_current(&r, r.orig_conn, sizeof(r.orig_conn)) == 0;
	if (!r.have_orig)
		fprintf(stderr,
			"besser-soak: cannot tell the active connection; "
			"it will not be restored\n");
	if (c->probes && !stop_flag)
		soak_probes(&r, "start");

	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		const char *why;

		enabled[i] = soak_stressor_enabled(c, i, &why);
		if (!enabled[i])
			fprintf(stderr, "besser-soak: stressor %s off: %s\n",
				soak_stressor_name(i), why);
	}
	seed = c->seed ? c->seed
		       : (uint64_t)soak_now_usec() ^ (uint64_t)getpid();
	/* the schedule keeps the original deadline, probes included */
	soak_sched_init(&r.sched, c, enabled,
			(soak_now_usec() - start_usec) / 1000, seed);
	r.sched.deadline_ms = c->duration_ms;

	while (!stop_flag) {
		int64_t now_ms = (soak_now_usec() - start_usec) / 1000, due;
		int i;

		if (now_ms >= c->duration_ms) {
			deadline_reached = true;
			break;
		}
		if (w.pid > 0)
			watcher_check(&r, &w);
		if (w.failed) {
			fprintf(stderr,
				"besser-soak: splat watch keeps failing; "
				"ending the run\n");
			break;
		}
		if (probe_flag) {
			probe_flag = 0;
			soak_probes(&r, "on-demand");
			continue;
		}
		if (soak_now_usec() - last_status >= 5000000) {
			if (dec.on) {
				decide_maybe(&r);
				if (decided()) {
					fprintf(stderr,
						"besser-soak: decided: "
						"%s; ending the run\n",
						dec.verdict);
					decided_early = true;
					break;
				}
			}
			status(&r, start_usec);
			last_status = soak_now_usec();
		}
		i = soak_sched_next(&r.sched, now_ms, &due);
		if (i < 0) {
			/* nothing left to do (max_ops, or all off): wait out
			 * the deadline, the exposure is what was asked for */
			if (r.sched.ops >= r.sched.max_ops && r.sched.max_ops) {
				fprintf(stderr,
					"besser-soak: max_ops reached\n");
				break;
			}
			sleep_until(start_usec + c->duration_ms * 1000);
			continue;
		}
		if (due > now_ms) {
			sleep_until(start_usec + due * 1000);
			continue;
		}
		soak_sched_done(&r.sched, i,
				(soak_now_usec() - start_usec) / 1000,
				soak_stressor_run(&r, i));
	}
	if (!stop_flag && !w.failed &&
	    (soak_now_usec() - start_usec) / 1000 >= c->duration_ms)
		deadline_reached = true;
	if (decided_early)
		sd_notifyf(0, "STATUS=decided: %s", dec.verdict);

	/* Wrap up: nothing below is cut short by the stop request. */
	sd_notify(0,
		  "STOPPING=1\nSTATUS=wrapping up: probes, restore, summary");
	r.stop = NULL;
	if (c->probes && !stop_flag)
		soak_probes(&r, "end");
	status(&r, start_usec);
	if (c->restore)
		soak_backend_restore(&r);
	if (w.pid > 0)
		watcher_check(&r, &w);
	watcher_stop(&r, &w);
	/* the verdict of the whole run, after the watcher's last record */
	if (dec.on && !decided_early)
		decide_look(&r);
	status(&r, start_usec);
	run_summary(c, r.dir);
	{
		const char *reason = NULL;

		if (w.failed)
			reason =
				"splat watch failed repeatedly (see the watcher lines "
				"in ops.jsonl and the journal)";
		else if (stop_flag)
			reason = "stopped by a signal before the deadline";
		else if (!deadline_reached && !decided_early)
			reason = "max_ops reached before the deadline";
		else if (c->watch && w.restarts)
			reason = NULL; /* restarts are recorded, run is whole */
		soak_opslog_close(&r.log);
		struct json_object *counts =
			run_counts(&r, &w, deadline_reached);

		if (dec.on)
			json_object_object_add(counts, "until_decided",
					       decide_json(c, decided_early));
		if (soak_meta_finalize(r.dir, reason == NULL, reason, counts,
				       true, err, sizeof(err)) < 0) {
			fprintf(stderr, "besser-soak: %s\n", err);
			return 1;
		}
	}
	{
		char failing[1024];

		soak_opslog_failing(&r.log, c->failing_share, failing,
				    sizeof(failing), NULL, 0);
		printf("besser-soak: %s: %" PRIu64 " ops (%" PRIu64
		       " busy), %s%s%s\n",
		       r.dir, r.log.ops, r.busy,
		       decided_early	  ? "decided early"
		       : deadline_reached ? "complete"
					  : "incomplete",
		       failing[0] ? "; " : "", failing);
		if (dec.on)
			printf("besser-soak: sequential verdict: %s\n",
			       dec.verdict[0] ? dec.verdict
					      : "none (looks failed)");
	}
	return 0;
}

static int cmd_finalize(int argc, char **argv, const char *root)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"reason", required_argument, NULL, 'R'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char dir[PATH_MAX], err[1024], reason[256] = "";
	struct soak_config c;
	bool force = false;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:R:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			root = optarg;
			break;
		case 'R':
			snprintf(reason, sizeof(reason), "%s", optarg);
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		snprintf(dir, sizeof(dir), "%s", argv[optind]);
	else
		snprintf(dir, sizeof(dir), "%s/current", root);
	if (!reason[0]) {
		const char *res = getenv("SERVICE_RESULT");
		const char *code = getenv("EXIT_CODE");
		const char *st = getenv("EXIT_STATUS");

		snprintf(reason, sizeof(reason), "interrupted%s%s%s%s%s%s",
			 res ? " (service result: " : "", res ? res : "",
			 code ? ", " : "", code ? code : "", st ? " " : "",
			 st ? st : "");
		if (res)
			strncat(reason, ")",
				sizeof(reason) - strlen(reason) - 1);
	}
	/* summary.json from kmsg.raw if the run did not get that far */
	{
		char p[PATH_MAX + 32];
		struct stat sb;

		soak_config_defaults(&c);
		snprintf(p, sizeof(p), "%s/summary.json", dir);
		if (stat(p, &sb) < 0) {
			struct json_object *meta, *v;

			/* the splat the run was configured with */
			snprintf(p, sizeof(p), "%s/meta.json", dir);
			meta = json_object_from_file(p);
			if (meta &&
			    json_object_object_get_ex(meta, "soak_config",
						      &v) &&
			    json_object_object_get_ex(v, "splat", &v) &&
			    json_object_is_type(v, json_type_string))
				snprintf(c.splat, sizeof(c.splat), "%s",
					 json_object_get_string(v));
			if (getenv("BESSER_SOAK_SPLAT"))
				snprintf(c.splat, sizeof(c.splat), "%s",
					 getenv("BESSER_SOAK_SPLAT"));
			if (meta)
				run_summary(&c, dir);
			json_object_put(meta);
		}
	}
	if (soak_meta_finalize(dir, false, reason, NULL, force, err,
			       sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak finalize: %s\n", err);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"duration", required_argument, NULL, 'd'},
		{"label", required_argument, NULL, 'l'},
		{"root", required_argument, NULL, 'r'},
		{"set", required_argument, NULL, 's'},
		{"until-decided", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct soak_config c;
	const char *config = NULL, *duration = NULL, *label = NULL,
		   *root = NULL;
	const char *until = NULL;
	char err[1024];
	char *sets[64];
	int nsets = 0, ch;
	struct sigaction sa;

	if (argc > 1 && !strcmp(argv[1], "finalize"))
		return cmd_finalize(argc - 1, argv + 1, "/var/lib/besser-soak");
	if (argc > 1 && !strcmp(argv[1], "run")) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, "c:d:l:r:s:u:hV", opts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			duration = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 's':
			if (nsets == 64) {
				fprintf(stderr,
					"besser-soak: too many --set\n");
				return 2;
			}
			sets[nsets++] = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("besser-soak %s\n", SOAK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "besser-soak: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	soak_config_defaults(&c);
	if (!config && access(DEFAULT_CONFIG, F_OK) != 0) {
		fprintf(stderr, "besser-soak: no %s, using the defaults\n",
			DEFAULT_CONFIG);
	} else if (soak_config_load(&c, config ? config : DEFAULT_CONFIG, err,
				    sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: %s\n", err);
		return 2;
	}
	for (int i = 0; i < nsets; i++) {
		char *eq = strchr(sets[i], '=');

		if (!eq) {
			fprintf(stderr,
				"besser-soak: --set %s: want KEY=VALUE\n",
				sets[i]);
			return 2;
		}
		*eq = '\0';
		if (soak_config_set(&c, sets[i], eq + 1, err, sizeof(err)) <
		    0) {
			fprintf(stderr, "besser-soak: --set: %s\n", err);
			return 2;
		}
	}
	if (duration &&
	    soak_config_set(&c, "duration", duration, err, sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: --duration: %s\n", err);
		return 2;
	}
	if (label &&
	    soak_config_set(&c, "label", label, err, sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: --label: %s\n", err);
		return 2;
	}
	if (until &&
	    soak_config_set(&c, "until_decided", until, err, sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: --until-decided: %s\n", err);
		return 2;
	}
	if (root &&
	    soak_config_set(&c, "results_root", root, err, sizeof(err)) < 0) {
		fprintf(stderr, "besser-soak: --root: %s\n", err);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return cmd_run(&c);
}
