/* SPDX-License-Identifier: MIT */
/*
 * test_soak_run - the real besser-soak binary (the one next to this test's
 * build directory) against stand-in iw/nmcli/wpa_cli/ping/modinfo scripts
 * (tests/stubs/) that answer success, EBUSY, EOPNOTSUPP, failures and
 * hangs.  Asserts ops.jsonl (schema, outcomes, busy back-off, nothing
 * scheduled past the deadline), probes, restoration of the original
 * connection, meta.json (complete flag, file hashes, per-kind counts),
 * systemd notifications (progress, failing kinds), SIGTERM, kill -9 +
 * `besser-soak finalize`, a run with the real `splat watch`, and
 * --until-decided (the run ends as soon as `splat compare --sequential`
 * decides, STATUS= shows the verdict and what remains).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "bundle.h"

static char soak_bin[PATH_MAX + 64], stubs[PATH_MAX + 64], top_dir[PATH_MAX];

struct ctx {
	char dir[64], state[128], root[128], conf[128];
};

static const char base_conf[] = "interface = wlan0\n"
				"nm_connection_5g = besser-5g\n"
				"nm_connection_2g = besser-2g\n"
				"wpa_network_5g = 0\n"
				"wpa_network_2g = 1\n"
				"freqs_5g = 5180 5200\n"
				"traffic_method = ping\n"
				"traffic_target = 127.0.0.1\n"
				"ping_interval = 200ms\n"
				"traffic_length = 1s\n"
				"scan_full_interval = 300ms\n"
				"scan_full_jitter = 100ms\n"
				"scan_5g_single_interval = 500ms\n"
				"scan_5g_single_jitter = 100ms\n"
				"scan_5g_multi_interval = 700ms\n"
				"scan_5g_multi_jitter = 100ms\n"
				"conn_cycle_interval = 1500ms\n"
				"conn_cycle_jitter = 200ms\n"
				"traffic_interval = 1s\n"
				"traffic_jitter = 100ms\n"
				"busy_backoff = 200ms\n"
				"busy_backoff_max = 800ms\n"
				"op_timeout = 2s\n"
				"assoc_timeout = 3s\n"
				"seed = 42\n"
				"label = t\n";

static int64_t soak_test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	return b;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	snprintf(c->dir, sizeof(c->dir), "/tmp/test_soak_run.XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	snprintf(c->state, sizeof(c->state), "%s/stub", c->dir);
	snprintf(c->root, sizeof(c->root), "%s/results", c->dir);
	snprintf(c->conf, sizeof(c->conf), "%s/soak.conf", c->dir);
	mkdir(c->state, 0755);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", c->dir);
	free(c);
	return 0;
}

/* Start besser-soak with the stubs first in PATH; env: "K=V" strings. */
static pid_t start_soak(struct ctx *c, const char *const *env,
			const char *const *args)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char path[PATH_MAX * 3];
		const char *argv[32];
		int n = 0;

		snprintf(path, sizeof(path), "%s:%s", stubs,
			 getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
		setenv("PATH", path, 1);
		setenv("STUB_STATE", c->state, 1);
		unsetenv("NOTIFY_SOCKET");
		for (int i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		argv[n++] = soak_bin;
		argv[n++] = "--config";
		argv[n++] = c->conf;
		argv[n++] = "--root";
		argv[n++] = c->root;
		for (int i = 0; args && args[i] && n < 30; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(soak_bin, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int wait_for(pid_t pid, int timeout_ms)
{
	int status;

	for (int i = 0; i < timeout_ms / 20; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		struct timespec ts = {0, 20000000};

		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("besser-soak did not end within %d ms", timeout_ms);
	return -1;
}

static struct json_object *load_ops(struct ctx *c)
{
	char p[300], line[65536];
	struct json_object *a = json_object_new_array();
	FILE *f;

	snprintf(p, sizeof(p), "%s/current/ops.jsonl", c->root);
	f = fopen(p, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line), *v;
		static const char *const outcomes[] = {
			"ok", "busy", "refused", "failed", "timeout", NULL};
		bool known = false;

		assert_non_null(o);
		assert_int_equal(line[strlen(line) - 1], '\n');
		/* the schema of results/README.md */
		assert_true(json_object_object_get_ex(o, "op", &v));
		assert_true(json_object_object_get_ex(o, "start_usec", &v));
		assert_true(json_object_object_get_ex(o, "end_usec", &v));
		assert_true(json_object_object_get_ex(o, "cmd", &v));
		assert_true(json_object_object_get_ex(o, "exit", &v));
		assert_true(json_object_object_get_ex(o, "error", &v));
		assert_true(json_object_object_get_ex(o, "outcome", &v));
		for (int i = 0; outcomes[i]; i++)
			known |=
				!strcmp(json_object_get_string(v), outcomes[i]);
		assert_true(known);
		json_object_array_add(a, o);
	}
	fclose(f);
	return a;
}

static const char *sget(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) && v
		       ? json_object_get_string(v)
		       : NULL;
}

static int64_t iget(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v)
						   : -1;
}

static size_t count_ops(struct json_object *ops, const char *op,
			const char *outcome)
{
	size_t n = 0;

	for (size_t i = 0; i < json_object_array_length(ops); i++) {
		struct json_object *o = json_object_array_get_idx(ops, i);

		if ((!op || !strcmp(sget(o, "op"), op)) &&
		    (!outcome || !strcmp(sget(o, "outcome"), outcome)))
			n++;
	}
	return n;
}

static struct json_object *load_meta(struct ctx *c)
{
	char p[300];
	struct json_object *m;

	snprintf(p, sizeof(p), "%s/current/meta.json", c->root);
	m = json_object_from_file(p);
	assert_non_null(m);
	return m;
}

static struct json_object *path_get(struct json_object *o, const char *a,
				    const char *b)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v) || !b)
		return v;
	return json_object_object_get_ex(v, b, &v) ? v : NULL;
}

static void assert_hash(struct ctx *c, struct json_object *meta,
			const char *file)
{
	char p[300], hex[65], want[80];
	struct json_object *h = path_get(meta, "files", file);

	assert_non_null(h);
	snprintf(p, sizeof(p), "%s/current/%s", c->root, file);
	assert_int_equal(soak_sha256_file(p, hex), 0);
	snprintf(want, sizeof(want), "sha256:%s", hex);
	assert_string_equal(json_object_get_string(h), want);
}

/* meta.json's soak.by_kind are the counts of ops.jsonl, kind by kind
 * (busy deferred, ok and refused succeeded, failed and timeout failed);
 * watcher lines are not workload and are not there. */
static void assert_by_kind(struct json_object *meta, struct json_object *ops)
{
	struct json_object *bk =
		path_get(path_get(meta, "soak", NULL), "by_kind", NULL);
	size_t kinds = 0;

	assert_non_null(bk);
	for (size_t i = 0; i < json_object_array_length(ops); i++) {
		const char *op = sget(json_object_array_get_idx(ops, i), "op");
		struct json_object *k = path_get(bk, op, NULL);
		size_t ok = count_ops(ops, op, "ok"),
		       busy = count_ops(ops, op, "busy");
		size_t refused = count_ops(ops, op, "refused");
		size_t failed = count_ops(ops, op, "failed") +
				count_ops(ops, op, "timeout");

		if (!strcmp(op, "watcher")) {
			assert_null(k);
			continue;
		}
		assert_non_null(k);
		assert_int_equal(iget(k, "ok"), ok);
		assert_int_equal(iget(k, "busy"), busy);
		assert_int_equal(iget(k, "refused"), refused);
		assert_int_equal(iget(k, "failed"), failed);
		assert_int_equal(iget(k, "performed"), ok + refused + failed);
	}
	json_object_object_foreach(bk, name, v)
	{
		(void)v;
		assert_true(count_ops(ops, name, NULL) > 0);
		kinds++;
	}
	assert_true(kinds >= 5);
}

/* nmcli backend: EBUSY scans back off, patched-driver probes, deadline,
 * restore, meta.json. */
static void test_nmcli_run(void **state)
{
	struct ctx *c = *state;
	const char *env[] = {"STUB_TRIGGER_BUSY=3", "STUB_PATCHED=1", NULL};
	const char *args[] = {"--duration", "4s", "--set", "watch=no", NULL};
	struct json_object *ops, *meta;
	int64_t start, deadline, prev = -1, gap_want = 200000;
	char *conn, *calls;
	size_t n, busy_seen = 0;

	put(c->conf, base_conf);
	{
		char p[200];

		snprintf(p, sizeof(p), "%s/conn", c->state);
		put(p, "orig-2g\n");
	}
	assert_int_equal(wait_for(start_soak(c, env, args), 60000), 0);
	ops = load_ops(c);
	meta = load_meta(c);
	n = json_object_array_length(ops);
	assert_true(n > 15);

	/* EBUSY: counted, not fatal, each retry after a doubled back-off */
	assert_int_equal(count_ops(ops, "scan-full", "busy"), 3);
	assert_true(count_ops(ops, "scan-full", "ok") >= 1);
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ops, i);

		if (strcmp(sget(o, "op"), "scan-full"))
			continue;
		if (prev >= 0 && busy_seen <= 3) {
			/* ms scheduling granularity: 2 ms slack */
			assert_true(iget(o, "start_usec") - prev >=
				    gap_want - 2000);
			gap_want *= 2;
		}
		prev = iget(o, "end_usec");
		busy_seen++;
		assert_true(iget(o, "end_usec") >= iget(o, "start_usec"));
	}
	/* every stressor ran; the multi-channel 5 GHz scan was refused */
	assert_true(count_ops(ops, "scan-5g-single", "ok") >= 2);
	assert_true(count_ops(ops, "scan-5g-multi", "refused") >= 2);
	assert_int_equal(count_ops(ops, "scan-5g-multi", "ok"), 0);
	assert_true(count_ops(ops, "conn-cycle", "ok") >= 1);
	assert_true(count_ops(ops, "traffic", "ok") >= 2);
	/* probes at start and end */
	assert_int_equal(count_ops(ops, "probe-scan-5g-single", "ok"), 2);
	assert_int_equal(count_ops(ops, "probe-scan-5g-multi", "refused"), 2);
	assert_int_equal(count_ops(ops, "probe-assoc-5g", "ok"), 2);
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ops, i);

		if (!strcmp(sget(o, "op"), "probe-assoc-5g")) {
			assert_int_equal(iget(o, "freq"), 5180);
			assert_string_equal(
				sget(o, "tx_bitrate"),
				"150.0 MBit/s MCS 7 40MHz short GI");
		}
	}
	/* no stressor started after the deadline */
	start = json_object_get_int64(
		path_get(path_get(meta, "soak", NULL), "start_usec", NULL));
	deadline = json_object_get_int64(
		path_get(path_get(meta, "soak", NULL), "deadline_usec", NULL));
	assert_int_equal(deadline - start, 4000000);
	/* the run starts after meta.json's start record */
	assert_true(start >= json_object_get_int64(
				     path_get(path_get(meta, "start", NULL),
					      "monotonic_usec", NULL)));
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ops, i);
		const char *op = sget(o, "op");

		/* checked just before the op starts: 10 ms slack */
		if (strncmp(op, "probe", 5) && strcmp(op, "restore") &&
		    strcmp(op, "watcher"))
			if (iget(o, "start_usec") >= deadline + 10000)
				fail_msg(
					"%s started %lld us after the deadline",
					op,
					(long long)(iget(o, "start_usec") -
						    deadline));
	}
	/* the original connection is back, and that was the last op */
	assert_string_equal(sget(json_object_array_get_idx(ops, n - 1), "op"),
			    "restore");
	{
		char p[200];

		snprintf(p, sizeof(p), "%s/conn", c->state);
		conn = slurp(p);
		assert_string_equal(conn, "orig-2g\n");
		free(conn);
		snprintf(p, sizeof(p), "%s/calls.log", c->state);
		calls = slurp(p);
		assert_non_null(
			strstr(calls, "ping -n -q -c 5 -i 0.2 -W 2 127.0.0.1"));
		assert_non_null(strstr(calls, "modinfo bes2600"));
		free(calls);
	}
	/* meta.json: complete, schema, hashes of what is there */
	assert_string_equal(sget(meta, "schema"), "besser-verify/meta/1");
	assert_true(json_object_get_boolean(path_get(meta, "complete", NULL)));
	assert_null(path_get(meta, "incomplete_reason", NULL));
	assert_string_equal(
		sget(path_get(meta, "driver", "modinfo"), "srcversion"),
		"BEB625FA7443171EA8D55F7");
	assert_int_equal(
		json_object_array_length(path_get(
			path_get(meta, "driver", "modinfo"), "alias", NULL)),
		2);
	assert_int_equal(json_object_get_int64(path_get(
				 path_get(meta, "soak", NULL), "ops", NULL)),
			 (int64_t)n);
	assert_hash(c, meta, "ops.jsonl");
	assert_string_equal(sget(meta, "label"), "t");
	/* busy scans and refused multi-channel scans are not failures */
	assert_by_kind(meta, ops);
	assert_int_equal(
		json_object_array_length(path_get(path_get(meta, "soak", NULL),
						  "failing", NULL)),
		0);
	assert_int_equal(iget(path_get(path_get(meta, "soak", NULL), "by_kind",
				       "scan-5g-multi"),
			      "failed"),
			 0);
	json_object_put(ops);
	json_object_put(meta);
}

/* wpa_cli backend: FAIL-BUSY scans, restore of network 1. */
static void test_wpa_cli_run(void **state)
{
	struct ctx *c = *state;
	const char *env[] = {"STUB_SCAN_BUSY=2", NULL};
	const char *args[] = {"--duration", "3s",
			      "--set",	    "backend=wpa_cli",
			      "--set",	    "scan_full_tool=backend",
			      "--set",	    "watch=no",
			      "--set",	    "wpa_ctrl_dir=/run/wpa_test",
			      NULL};
	struct json_object *ops;
	char p[200], *conn, *calls;

	put(c->conf, base_conf);
	snprintf(p, sizeof(p), "%s/conn", c->state);
	put(p, "1\n");
	assert_int_equal(wait_for(start_soak(c, env, args), 60000), 0);
	ops = load_ops(c);
	assert_int_equal(count_ops(ops, "scan-full", "busy"), 2);
	assert_true(count_ops(ops, "scan-full", "ok") >= 1);
	assert_int_equal(count_ops(ops, "probe-assoc-5g", "ok"), 2);
	assert_true(count_ops(ops, "restore", "ok") == 1);
	conn = slurp(p);
	assert_string_equal(conn, "1\n");
	free(conn);
	snprintf(p, sizeof(p), "%s/calls.log", c->state);
	calls = slurp(p);
	assert_non_null(strstr(
		calls, "wpa_cli -p /run/wpa_test -i wlan0 select_network 0"));
	assert_non_null(strstr(
		calls, "wpa_cli -p /run/wpa_test -i wlan0 enable_network all"));
	free(calls);
	json_object_put(ops);
}

/* conn_cycle_traffic: each connection cycle runs a ping through its
 * disconnection (started before the down, stopped after the up), and the
 * op says so. */
static void test_cycle_traffic(void **state)
{
	struct ctx *c = *state;
	const char *args[] = {"--duration", "4s",    "--set",
			      "watch=no",   "--set", "conn_cycle_traffic=yes",
			      NULL};
	struct json_object *ops;
	char p[200], *calls;
	size_t cycles = 0, in_flight = 0, bg = 0;

	put(c->conf, base_conf);
	assert_int_equal(wait_for(start_soak(c, NULL, args), 60000), 0);
	ops = load_ops(c);
	for (size_t i = 0; i < json_object_array_length(ops); i++) {
		struct json_object *o = json_object_array_get_idx(ops, i), *t;

		if (strcmp(json_object_get_string(path_get(o, "op", NULL)),
			   "conn-cycle"))
			continue;
		cycles++;
		t = path_get(o, "traffic_in_flight", NULL);
		in_flight += t && json_object_is_type(t, json_type_boolean) &&
			     json_object_get_boolean(t);
	}
	assert_true(cycles >= 1);
	assert_int_equal(in_flight, cycles);
	snprintf(p, sizeof(p), "%s/calls.log", c->state);
	calls = slurp(p);
	for (const char *q = calls;
	     (q = strstr(q, "ping -n -q -i 0.2 -W 1 127.0.0.1\n")); q++)
		bg++;
	assert_int_equal(bg, cycles);
	free(calls);
	json_object_put(ops);
}

/* SIGUSR1: probes now.  SIGTERM before the deadline: quick, restored,
 * marked incomplete. */
static void test_sigterm(void **state)
{
	struct ctx *c = *state;
	const char *args[] = {"--duration", "1h", "--set", "watch=no", NULL};
	struct json_object *meta, *ops;
	struct timespec ts = {2, 0};
	pid_t pid;
	char p[200], *conn;

	put(c->conf, base_conf);
	snprintf(p, sizeof(p), "%s/conn", c->state);
	put(p, "orig-2g\n");
	pid = start_soak(c, NULL, args);
	nanosleep(&ts, NULL);
	kill(pid, SIGUSR1); /* probes on demand */
	nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	assert_int_equal(wait_for(pid, 20000), 0);
	meta = load_meta(c);
	assert_false(json_object_get_boolean(path_get(meta, "complete", NULL)));
	assert_non_null(strstr(sget(meta, "incomplete_reason"), "signal"));
	assert_false(json_object_get_boolean(path_get(
		path_get(meta, "soak", NULL), "reached_deadline", NULL)));
	ops = load_ops(c);
	/* start and on-demand (SIGUSR1) probes, no end probes */
	assert_int_equal(count_ops(ops, "probe-assoc-5g", NULL), 2);
	{
		size_t on_demand = 0;

		for (size_t i = 0; i < json_object_array_length(ops); i++) {
			const char *ph = sget(json_object_array_get_idx(ops, i),
					      "phase");

			on_demand += ph && !strcmp(ph, "on-demand");
		}
		assert_int_equal(on_demand,
				 4); /* single, multi, assoc-up, assoc */
	}
	conn = slurp(p);
	assert_string_equal(conn, "orig-2g\n");
	free(conn);
	json_object_put(meta);
	json_object_put(ops);
}

/* kill -9: `besser-soak finalize` (ExecStopPost=) completes meta.json. */
static void test_kill9_finalize(void **state)
{
	struct ctx *c = *state;
	const char *args[] = {"--duration", "1h", "--set", "watch=no", NULL};
	struct json_object *meta;
	struct timespec ts = {2, 0};
	char *before, *after, p[300];
	pid_t pid;
	int status;

	put(c->conf, base_conf);
	pid = start_soak(c, NULL, args);
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	meta = load_meta(c);
	assert_string_equal(sget(meta, "incomplete_reason"), "running");
	json_object_put(meta);

	pid = fork();
	if (pid == 0) {
		setenv("SERVICE_RESULT", "signal", 1);
		setenv("EXIT_CODE", "killed", 1);
		setenv("EXIT_STATUS", "KILL", 1);
		setenv("BESSER_SOAK_SPLAT", "/nonexistent/splat", 1);
		execl(soak_bin, soak_bin, "finalize", "--root", c->root,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait_for(pid, 20000), 0);
	meta = load_meta(c);
	assert_false(json_object_get_boolean(path_get(meta, "complete", NULL)));
	assert_string_equal(
		sget(meta, "incomplete_reason"),
		"interrupted (service result: signal, killed KILL)");
	assert_true(json_object_get_boolean(path_get(meta, "finalized", NULL)));
	assert_non_null(path_get(meta, "end", "wall"));
	assert_hash(c, meta, "ops.jsonl");
	json_object_put(meta);
	/* a second finalize changes nothing */
	snprintf(p, sizeof(p), "%s/current/meta.json", c->root);
	before = slurp(p);
	pid = fork();
	if (pid == 0) {
		execl(soak_bin, soak_bin, "finalize", "--root", c->root,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait_for(pid, 20000), 0);
	after = slurp(p);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* An operation that hangs is killed at its timeout, group and all. */
static void test_hung_op(void **state)
{
	struct ctx *c = *state;
	const char *env[] = {"STUB_IW_HANG=1", NULL};
	const char *args[] = {"--duration", "3s",	 "--set",
			      "watch=no",   "--set",	 "op_timeout=1s",
			      "--set",	    "probes=no", NULL};
	struct json_object *ops;
	char p[200], *pid_txt;

	put(c->conf, base_conf);
	assert_int_equal(wait_for(start_soak(c, env, args), 60000), 0);
	ops = load_ops(c);
	assert_true(count_ops(ops, "scan-5g-single", "timeout") >= 1);
	assert_int_equal(count_ops(ops, "scan-5g-single", "ok"), 0);
	snprintf(p, sizeof(p), "%s/hang.pid", c->state);
	pid_txt = slurp(p);
	assert_non_null(pid_txt);
	{
		char sp[64];
		struct stat sb;

		snprintf(sp, sizeof(sp), "/proc/%d/cmdline", atoi(pid_txt));
		/* gone (or a zombie nobody reaped: empty cmdline) */
		if (stat(sp, &sb) == 0) {
			char *cmd = slurp(sp);

			assert_true(!cmd || !cmd[0]);
			free(cmd);
		}
	}
	free(pid_txt);
	json_object_put(ops);
}

/* A watcher that keeps dying: restarted 5 times, then the run ends,
 * marked incomplete (nothing would record the kernel log). */
static void test_watcher_fails(void **state)
{
	struct ctx *c = *state;
	const char *args[] = {"--duration", "1h", "--set", "splat=false", NULL};
	struct json_object *meta, *ops;

	put(c->conf, base_conf);
	assert_int_equal(wait_for(start_soak(c, NULL, args), 60000), 0);
	ops = load_ops(c);
	assert_int_equal(count_ops(ops, "watcher", "failed"),
			 6); /* exit 1, six times */
	assert_int_equal(count_ops(ops, "watcher", "ok"), 5); /* restarts */
	meta = load_meta(c);
	assert_false(json_object_get_boolean(path_get(meta, "complete", NULL)));
	assert_non_null(
		strstr(sget(meta, "incomplete_reason"), "splat watch failed"));
	assert_int_equal(
		json_object_get_int(path_get(path_get(meta, "soak", NULL),
					     "watcher_restarts", NULL)),
		5);
	json_object_put(meta);
	json_object_put(ops);
}

/* sd_notify: READY=1, STATUS= progress, EXTEND_TIMEOUT_USEC, STOPPING=1. */
static void test_notify(void **state)
{
	struct ctx *c = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char env[200], all[65536] = "", buf[4096];
	const char *envs[] = {env, NULL};
	const char *args[] = {"--duration", "7s", "--set", "watch=no", NULL};
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ssize_t n;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", c->dir);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(env, sizeof(env), "NOTIFY_SOCKET=%s", sa.sun_path);
	put(c->conf, base_conf);
	assert_int_equal(wait_for(start_soak(c, envs, args), 60000), 0);
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		strncat(all, buf, sizeof(all) - strlen(all) - 2);
		strcat(all, "\n");
	}
	close(fd);
	assert_non_null(strstr(all, "READY=1"));
	assert_non_null(strstr(all, "STATUS=0:00:0"));
	assert_non_null(strstr(all, "/0:00:07, ops "));
	assert_non_null(strstr(all, "lockdep reports 0, pattern-a 0"));
	assert_non_null(strstr(all, "EXTEND_TIMEOUT_USEC=600000000"));
	assert_non_null(strstr(all, "STOPPING=1"));
	/* nothing failed, so no kind is named failing */
	assert_null(strstr(all, "failing"));
}

/* Traffic that stops after its first operation (ping: 100 % loss): while
 * the run goes on, STATUS names it ("traffic failing 80 % (4/5)"), and
 * meta.json's soak records the per-kind counts and the failing kinds. */
static void test_failing_traffic(void **state)
{
	struct ctx *c = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char env[200], last[4096] = "", buf[4096], want[128];
	const char *envs[] = {env, "STUB_PING_FAIL_AFTER=1", NULL};
	const char *args[] = {"--duration", "7s", "--set", "watch=no", NULL};
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct json_object *ops, *meta, *failing;
	size_t traffic_status = 0, ok, failed;
	bool stopping = false;
	ssize_t n;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", c->dir);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(env, sizeof(env), "NOTIFY_SOCKET=%s", sa.sun_path);
	put(c->conf, base_conf);
	assert_int_equal(wait_for(start_soak(c, envs, args), 60000), 0);
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		char *st;

		buf[n] = '\0';
		stopping |= strstr(buf, "STOPPING=1") != NULL;
		st = strstr(buf, "STATUS=");
		if (!st || strncmp(st + 7, "0:00:", 5))
			continue; /* not a progress line */
		snprintf(last, sizeof(last), "%s", st);
		/* during the run, not only at its end */
		if (strstr(st, "traffic failing ") && !stopping)
			traffic_status++;
	}
	close(fd);
	ops = load_ops(c);
	meta = load_meta(c);
	ok = count_ops(ops, "traffic", "ok");
	failed = count_ops(ops, "traffic", "failed");
	assert_int_equal(ok, 1);
	assert_true(failed >= 3);
	/* at least one progress STATUS during the run named it, and the
	 * last one has the final share */
	assert_true(traffic_status >= 1);
	snprintf(want, sizeof(want), "; traffic failing %.0f %% (%zu/%zu)",
		 100.0 * (double)failed / (double)(ok + failed), failed,
		 ok + failed);
	assert_non_null(strstr(last, want));
	/* the only failing kind */
	assert_null(strstr(last, "scan-full failing"));
	assert_null(strstr(last, "conn-cycle failing"));
	/* the run's summary */
	assert_by_kind(meta, ops);
	failing = path_get(path_get(meta, "soak", NULL), "failing", NULL);
	assert_int_equal(json_object_array_length(failing), 1);
	assert_string_equal(
		json_object_get_string(json_object_array_get_idx(failing, 0)),
		"traffic");
	assert_true(json_object_get_boolean(path_get(
		path_get(path_get(meta, "soak", NULL), "by_kind", "traffic"),
		"failing", NULL)));
	assert_false(json_object_get_boolean(path_get(
		path_get(path_get(meta, "soak", NULL), "by_kind", "scan-full"),
		"failing", NULL)));
	assert_true(
		json_object_get_double(path_get(path_get(meta, "soak", NULL),
						"failing_share", NULL)) == 0.2);
	json_object_put(ops);
	json_object_put(meta);
}

/* With the real watcher: kmsg.raw is the input verbatim, hashed in meta. */
static void test_with_watcher(void **state)
{
	struct ctx *c = *state;
	char splat[PATH_MAX + 64], kmsg[PATH_MAX + 128], set1[PATH_MAX + 96],
		set2[PATH_MAX + 160];
	char raw[300], *a, *b;
	struct json_object *meta, *ops;

	snprintf(splat, sizeof(splat), "%s/build/host/splat", top_dir);
	snprintf(kmsg, sizeof(kmsg),
		 "%s/scripts/parse-splat/tests/fixtures/input/seed-splat.kmsg",
		 top_dir);
	if (access(splat, X_OK) != 0 ||
	    system("\"$SPLAT_TOP\"/build/host/splat watch --help >/dev/null 2>&1") !=
		    0) {
		skip(); /* splat watch not built yet */
	}
	snprintf(set1, sizeof(set1), "splat=%s", splat);
	snprintf(set2, sizeof(set2), "kmsg=%s", kmsg);
	{
		const char *args[] = {"--duration", "3s", "--set", set1,
				      "--set",	    set2, NULL};

		put(c->conf, base_conf);
		assert_int_equal(wait_for(start_soak(c, NULL, args), 60000), 0);
	}
	snprintf(raw, sizeof(raw), "%s/current/kmsg.raw", c->root);
	a = slurp(raw);
	b = slurp(kmsg);
	assert_non_null(a);
	assert_string_equal(a, b);
	free(a);
	free(b);
	meta = load_meta(c);
	assert_hash(c, meta, "kmsg.raw");
	assert_hash(c, meta, "events.jsonl");
	assert_true(json_object_get_boolean(path_get(meta, "complete", NULL)));
	ops = load_ops(c);
	/* the watcher's exit (input ended) is on record */
	assert_int_equal(count_ops(ops, "watcher", "ok"), 1);
	/* the bundle passes `splat verify` (hashes, summary recomputed) */
	{
		char cmd[PATH_MAX * 2 + 64];

		snprintf(cmd, sizeof(cmd),
			 "'%s' verify '%s/current' >/dev/null 2>&1", splat,
			 c->root);
		assert_int_equal(system(cmd), 0);
	}
	json_object_put(meta);
	json_object_put(ops);
}

/* --until-decided: the before fixture (43 Pattern A in 3 h) against an
 * after log with none (a 30 h log: the watcher reads it at once) ends the
 * 60 s run early as fixed; against one with as many it ends early as not
 * fixed; a claim no short run can decide goes on to the deadline showing
 * "continue" and the time to "fixed" in STATUS=. */
static void test_until_decided(void **state)
{
	struct ctx *c = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char splat[PATH_MAX + 64], before[PATH_MAX + 96], predict[200];
	char set_splat[PATH_MAX + 96], set_kmsg[PATH_MAX + 160];
	char set_pred[256], env[200], all[65536], buf[4096], p[300];
	const char *envs[] = {env, NULL};
	const char *t = getenv("BESSER_SOAK_TEST_SPLAT");
	static const struct {
		const char *kmsg, *claim, *duration, *verdict, *label;
		bool early;
	} cases[] = {
		{"after-fixed", "pattern-a: 14/h -> 0", "60s", "fixed", "u0",
		 true},
		{"after-notfixed", "pattern-a: 14/h -> 0", "60s", "not fixed",
		 "u1", true},
		{"after-short", "lockdep: 1+/5140s -> 0", "6s", "continue",
		 "u2", false},
	};

	if (t && *t)
		snprintf(splat, sizeof(splat), "%s", t);
	else
		snprintf(splat, sizeof(splat), "%s/build/host/splat", top_dir);
	snprintf(set_splat, sizeof(set_splat), "splat=%s", splat);
	snprintf(before, sizeof(before),
		 "%s/scripts/parse-splat/tests/fixtures/bundles/before",
		 top_dir);
	if (access(splat, X_OK) != 0) {
		skip(); /* splat not built yet */
	}
	{
		char cmd[PATH_MAX + 128];

		/* a splat from before --json-file cannot look */
		snprintf(cmd, sizeof(cmd),
			 "'%s' compare --help | grep -q -- --json-file", splat);
		if (system(cmd) != 0)
			skip();
	}
	snprintf(predict, sizeof(predict), "%s/predict", c->dir);
	snprintf(set_pred, sizeof(set_pred), "until_decided_predict=%s",
		 predict);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", c->dir);
	snprintf(env, sizeof(env), "NOTIFY_SOCKET=%s", sa.sun_path);
	put(c->conf, base_conf);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = {
			"--duration", cases[i].duration, "--until-decided",
			before, "--set", set_splat, "--set", set_kmsg, "--set",
			set_pred, "--set", "until_decided_interval=1s", "--set",
			"probes=no",
			/* run ids are per second: one each */
			"--label", cases[i].label, NULL};
		int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct json_object *meta, *ud, *doc;
		int64_t t0 = soak_test_now_ms();
		ssize_t n;

		assert_true(fd >= 0);
		unlink(sa.sun_path);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)),
				 0);
		snprintf(
			set_kmsg, sizeof(set_kmsg),
			"kmsg=%s/scripts/parse-splat/tests/fixtures/bundles/%s/kmsg.raw",
			top_dir, cases[i].kmsg);
		put(predict, cases[i].claim);
		assert_int_equal(wait_for(start_soak(c, envs, args), 90000), 0);
		all[0] = '\0';
		while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
			buf[n] = '\0';
			strncat(all, buf, sizeof(all) - strlen(all) - 2);
			strcat(all, "\n");
		}
		close(fd);
		meta = load_meta(c);
		ud = path_get(path_get(meta, "soak", NULL), "until_decided",
			      NULL);
		assert_non_null(ud);
		assert_string_equal(sget(ud, "verdict"), cases[i].verdict);
		assert_int_equal(json_object_get_boolean(
					 path_get(ud, "decided_early", NULL)),
				 cases[i].early);
		assert_true(json_object_get_int(path_get(ud, "looks", NULL)) >=
			    1);
		/* ended early like at the deadline: a whole run */
		assert_true(json_object_get_boolean(
			path_get(meta, "complete", NULL)));
		assert_int_equal(json_object_get_boolean(
					 path_get(path_get(meta, "soak", NULL),
						  "reached_deadline", NULL)),
				 !cases[i].early);
		snprintf(p, sizeof(p), "%s/current/until-decided.json",
			 c->root);
		doc = json_object_from_file(p);
		assert_non_null(doc);
		assert_string_equal(
			sget(path_get(doc, "sequential", NULL), "verdict"),
			cases[i].verdict);
		assert_string_equal(sget(doc, "exit_follows"), "sequential");
		if (cases[i].early) {
			char want[64];

			/* well before the 60 s deadline */
			assert_true(soak_test_now_ms() - t0 < 45000);
			snprintf(want, sizeof(want), "STATUS=decided: %s",
				 cases[i].verdict);
			assert_non_null(strstr(all, want));
		} else {
			/* the progress line shows the verdict and what
			 * remains */
			assert_non_null(strstr(
				all, "; sequential: continue, fixed in "));
			assert_non_null(strstr(
				all, " h if nothing happens, expected "));
		}
		json_object_put(doc);
		json_object_put(meta);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nmcli_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wpa_cli_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cycle_traffic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_finalize, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hung_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_traffic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watcher_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_with_watcher, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_until_decided, setup,
						teardown),
	};
	char self[PATH_MAX];
	const char *t = getenv("SPLAT_TOP");
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)argc;
	if (n <= 0) {
		snprintf(self, sizeof(self), "%s", argv[0]);
		n = (ssize_t)strlen(self);
	}
	self[n] = '\0';
	/* B/soak/tests/test_soak_run -> B/besser-soak */
	snprintf(soak_bin, sizeof(soak_bin), "%s/../../besser-soak",
		 dirname(self));
	if (!realpath(t && *t ? t : ".", top_dir))
		snprintf(top_dir, sizeof(top_dir), ".");
	setenv("SPLAT_TOP", top_dir, 1);
	snprintf(stubs, sizeof(stubs), "%s/scripts/soak/tests/stubs", top_dir);
	if (access(soak_bin, X_OK) != 0) {
		printf("skip: %s not built\n", soak_bin);
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
