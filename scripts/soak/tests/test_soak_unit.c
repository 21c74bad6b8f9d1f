/* SPDX-License-Identifier: MIT */
/*
 * test_soak_unit - besser-soak's pure parts: configuration parsing,
 * the scheduler (deadline, max_ops, jitter bounds, busy back-off doubling
 * and reset), outcome classification of real iw/nmcli/wpa_cli answers,
 * `iw link` parsing, the stressor table, the argv builder, SHA-256
 * (libcrypto) on the FIPS 180-2 vectors, and soak_exec's timeout killing
 * the whole process group.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <zlib.h>

#include "bundle.h"
#include "config.h"
#include "exec.h"
#include "opslog.h"
#include "run.h"
#include "sched.h"
#include "stressor.h"

static void write_conf(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(soak_parse_duration("4h"), 4 * 3600000LL);
	assert_int_equal(soak_parse_duration("1h30m"), 5400000LL);
	assert_int_equal(soak_parse_duration("90s"), 90000);
	assert_int_equal(soak_parse_duration("250ms"), 250);
	assert_int_equal(soak_parse_duration("12"), 12000);
	assert_int_equal(soak_parse_duration("1.5s"), 1500);
	assert_int_equal(soak_parse_duration("2d"), 2 * 86400000LL);
	assert_int_equal(soak_parse_duration(""), -1);
	assert_int_equal(soak_parse_duration("4x"), -1);
	assert_int_equal(soak_parse_duration("-3s"), -1);
	assert_int_equal(soak_parse_duration("h"), -1);
	assert_int_equal(soak_parse_duration("1h30"), -1);
}

static void test_config_file(void **state)
{
	char path[] = "/tmp/test_soak_conf.XXXXXX", err[512];
	struct soak_config c;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_conf(path, "# comment\n"
			 "interface = wlp1s0   # trailing comment\n"
			 "backend = wpa_cli\n"
			 "wpa_network_5g = 0\n"
			 "freqs_5g = 5180, 5200 5745\n"
			 "\n"
			 "scan_full_interval = 2m\n"
			 "scan_full_jitter = 10s\n"
			 "traffic_method = iperf3\n"
			 "iperf3_server = 10.0.0.2\n"
			 "watch = no\n");
	soak_config_defaults(&c);
	assert_int_equal(soak_config_load(&c, path, err, sizeof(err)), 0);
	assert_string_equal(c.interface, "wlp1s0");
	assert_int_equal(c.backend, SOAK_BACKEND_WPA_CLI);
	assert_string_equal(c.wpa_net_5g, "0");
	assert_int_equal(c.nfreqs_5g, 3);
	assert_int_equal(c.freqs_5g[2], 5745);
	assert_int_equal(c.period[soak_stressor_find("scan-full")].interval_ms,
			 120000);
	assert_int_equal(c.period[soak_stressor_find("scan-full")].jitter_ms,
			 10000);
	assert_int_equal(c.traffic, SOAK_TRAFFIC_IPERF3);
	assert_false(c.watch);
	/* defaults stay for keys not given */
	assert_int_equal(c.duration_ms, 4 * 3600000LL);

	/* a typo is an error with file and line, not a silent default */
	write_conf(path, "interface = wlan0\nscan_ful_interval = 1m\n");
	soak_config_defaults(&c);
	assert_int_equal(soak_config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: unknown key 'scan_ful_interval'"));
	write_conf(path, "freqs_5g = 2412\n");
	assert_int_equal(soak_config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a 5 GHz frequency"));
	write_conf(path, "backend = connman\n");
	assert_int_equal(soak_config_load(&c, path, err, sizeof(err)), -1);
	write_conf(path, "just words\n");
	assert_int_equal(soak_config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: expected 'key = value'"));
	unlink(path);

	/* the repository's default config is valid and complete */
	{
		const char *top = getenv("SPLAT_TOP");
		char p[4096];

		snprintf(p, sizeof(p), "%s/scripts/soak/besser-soak.conf",
			 top && *top ? top : ".");
		soak_config_defaults(&c);
		assert_int_equal(soak_config_load(&c, p, err, sizeof(err)), 0);
		assert_int_equal(c.nfreqs_5g, 4);
		assert_int_equal(c.backend, SOAK_BACKEND_NMCLI);
	}
}

static void sched_config(struct soak_config *c)
{
	soak_config_defaults(c);
	for (int i = 0; i < SOAK_ST_COUNT; i++)
		c->period[i] = (struct soak_period){10000, 2000};
	c->duration_ms = 600000;
	c->busy_backoff_ms = 1000;
	c->busy_backoff_max_ms = 8000;
}

static void test_sched_bounds(void **state)
{
	struct soak_config c;
	struct soak_sched s;
	bool en[SOAK_ST_COUNT];
	int64_t now = 0, due, last[SOAK_ST_COUNT];
	uint64_t runs = 0;
	int i, cycle = soak_stressor_find("conn-cycle");

	(void)state;
	assert_true(cycle >= 0);
	for (int k = 0; k < SOAK_ST_COUNT; k++)
		en[k] = k != cycle;
	sched_config(&c);
	soak_sched_init(&s, &c, en, 0, 42);
	for (int k = 0; k < SOAK_ST_COUNT; k++)
		last[k] = -1;
	while ((i = soak_sched_next(&s, now, &due)) >= 0) {
		assert_true(en[i]);
		assert_true(due < c.duration_ms);
		if (due > now)
			now = due;
		/* interval +- jitter between runs of one stressor */
		if (last[i] >= 0) {
			assert_true(now - last[i] >= 8000);
			assert_true(now - last[i] <= 12000 + 50);
		}
		last[i] = now;
		now += 50; /* the op takes 50 ms */
		soak_sched_done(&s, i, now, SOAK_OK);
		runs++;
		assert_true(runs < 1000);
	}
	/* about 600 s / 10 s per stressor, four stressors */
	assert_true(runs >= 4 * 50 && runs <= 4 * 62);
	assert_int_equal(s.e[cycle].runs, 0);
	/* nothing is handed out at or after the deadline */
	assert_int_equal(soak_sched_next(&s, c.duration_ms, &due), -1);

	/* max_ops bounds the run */
	c.max_ops = 7;
	soak_sched_init(&s, &c, en, 0, 1);
	runs = 0;
	now = 0;
	while ((i = soak_sched_next(&s, now, &due)) >= 0) {
		now = due > now ? due : now;
		soak_sched_done(&s, i, now, SOAK_FAILED);
		runs++;
	}
	assert_int_equal(runs, 7);

	/* same seed, same schedule */
	{
		struct soak_sched a, b;

		soak_sched_init(&a, &c, en, 0, 99);
		soak_sched_init(&b, &c, en, 0, 99);
		for (int k = 0; k < SOAK_ST_COUNT; k++)
			assert_int_equal(a.e[k].next_ms, b.e[k].next_ms);
	}
}

static void test_sched_backoff(void **state)
{
	struct soak_config c;
	struct soak_sched s;
	bool en[SOAK_ST_COUNT] = {false};
	int64_t due;
	int full = soak_stressor_find("scan-full");

	(void)state;
	assert_true(full >= 0);
	en[full] = true;
	sched_config(&c);
	soak_sched_init(&s, &c, en, 0, 7);
	assert_int_equal(soak_sched_next(&s, 0, &due), full);
	/* busy: 1 s, 2 s, 4 s, 8 s, 8 s (capped) */
	int64_t want[] = {1000, 2000, 4000, 8000, 8000};
	int64_t now = due;

	for (int k = 0; k < 5; k++) {
		soak_sched_done(&s, full, now, SOAK_BUSY);
		assert_int_equal(soak_sched_next(&s, now, &due), full);
		assert_int_equal(due - now, want[k]);
		now = due;
	}
	assert_int_equal(s.e[full].busy, 5);
	/* any other outcome resets: back to interval +- jitter, then 1 s */
	soak_sched_done(&s, full, now, SOAK_OK);
	soak_sched_next(&s, now, &due);
	assert_true(due - now >= 8000 && due - now <= 12000);
	now = due;
	soak_sched_done(&s, full, now, SOAK_BUSY);
	soak_sched_next(&s, now, &due);
	assert_int_equal(due - now, 1000);
}

static struct soak_exec_result answer(int code, const char *out,
				      const char *err)
{
	struct soak_exec_result r;

	memset(&r, 0, sizeof(r));
	r.exit_code = code;
	snprintf(r.out, sizeof(r.out), "%s", out);
	snprintf(r.err, sizeof(r.err), "%s", err);
	return r;
}

static void test_classify(void **state)
{
	struct soak_exec_result r;
	char text[600];

	(void)state;
	r = answer(0, "", "");
	assert_int_equal(soak_classify(&r), SOAK_OK);
	r = answer(240, "", "command failed: Device or resource busy (-16)\n");
	assert_int_equal(soak_classify(&r), SOAK_BUSY);
	soak_error_text(&r, text, sizeof(text));
	assert_string_equal(text,
			    "command failed: Device or resource busy (-16)");
	r = answer(1, "",
		   "Error: Scanning not allowed while already scanning.\n");
	assert_int_equal(soak_classify(&r), SOAK_BUSY);
	r = answer(0, "FAIL-BUSY\n", "");
	assert_int_equal(soak_classify(&r), SOAK_BUSY);
	r = answer(161, "", "command failed: Operation not supported (-95)\n");
	assert_int_equal(soak_classify(&r), SOAK_REFUSED);
	r = answer(0, "FAIL\n", "");
	assert_int_equal(soak_classify(&r), SOAK_FAILED);
	r = answer(4, "",
		   "Error: Connection activation failed: (53) not found\n");
	assert_int_equal(soak_classify(&r), SOAK_FAILED);
	r = answer(-1, "", "");
	r.term_signal = 9;
	assert_int_equal(soak_classify(&r), SOAK_FAILED);
	soak_error_text(&r, text, sizeof(text));
	assert_string_equal(text, "killed by signal 9");
	r = answer(-1, "", "");
	r.timed_out = true;
	assert_int_equal(soak_classify(&r), SOAK_TIMEOUT);
	r = answer(127, "", "");
	r.exec_failed = true;
	r.exec_errno = ENOENT;
	assert_int_equal(soak_classify(&r), SOAK_FAILED);
	soak_error_text(&r, text, sizeof(text));
	assert_non_null(strstr(text, "cannot run"));
	for (int o = 0; o < SOAK_OUTCOME_COUNT; o++)
		assert_true(strlen(soak_outcome_name(o)) > 0);
	assert_string_equal(soak_outcome_name(SOAK_REFUSED), "refused");
}

static void test_parse_link(void **state)
{
	double f;
	char rate[128];

	(void)state;
	soak_parse_link("Connected to c0:25:06:e6:5b:33 (on wlan0)\n"
			"\tSSID: home\n\tfreq: 5240.0\n"
			"\tRX: 1234 bytes (10 packets)\n"
			"\ttx bitrate: 150.0 MBit/s MCS 7 40MHz short GI\n",
			&f, rate, sizeof(rate));
	assert_int_equal((int)f, 5240);
	assert_string_equal(rate, "150.0 MBit/s MCS 7 40MHz short GI");
	soak_parse_link("Not connected.\n", &f, rate, sizeof(rate));
	assert_int_equal((int)f, 0);
	assert_string_equal(rate, "");
	soak_parse_link(
		"Connected to 02:00:00:00:02:00 (on wlan0)\n\tfreq: 2437\n", &f,
		rate, sizeof(rate));
	assert_int_equal((int)f, 2437);
	assert_string_equal(rate, "");
}

/* The stressor table: complete rows, unique names and keys, its defaults
 * and keys are what the configuration uses, and why a stressor is off. */
static void test_stressor_table(void **state)
{
	struct soak_config c;
	char key[64], err[256];
	const char *why;

	(void)state;
	soak_config_defaults(&c);
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		const struct soak_stressor *s = &soak_stressors[i];

		assert_non_null(s->name);
		assert_non_null(s->key);
		assert_non_null(s->run);
		assert_true(s->period.interval_ms > 0);
		assert_int_equal(soak_stressor_find(s->name), i);
		assert_string_equal(soak_stressor_name(i), s->name);
		for (int k = 0; k < i; k++)
			assert_true(strcmp(soak_stressors[k].key, s->key) &&
				    strcmp(soak_stressors[k].name, s->name));
		assert_int_equal(c.period[i].interval_ms,
				 s->period.interval_ms);
		assert_int_equal(c.period[i].jitter_ms, s->period.jitter_ms);
		snprintf(key, sizeof(key), "%s_interval", s->key);
		assert_int_equal(
			soak_config_set(&c, key, "7s", err, sizeof(err)), 0);
		assert_int_equal(c.period[i].interval_ms, 7000);
		snprintf(key, sizeof(key), "%s_jitter", s->key);
		assert_int_equal(
			soak_config_set(&c, key, "2s", err, sizeof(err)), 0);
		assert_int_equal(c.period[i].jitter_ms, 2000);
	}
	assert_int_equal(soak_stressor_find("no-such"), -1);
	assert_string_equal(soak_stressor_name(SOAK_ST_COUNT), "?");
	assert_string_equal(soak_stressor_name(-1), "?");

	/* the defaults: no frequencies, profiles or traffic target */
	soak_config_defaults(&c);
	assert_true(soak_stressor_enabled(&c, soak_stressor_find("scan-full"),
					  &why));
	assert_null(why);
	assert_false(soak_stressor_enabled(
		&c, soak_stressor_find("scan-5g-multi"), &why));
	assert_string_equal(why, "fewer than two freqs_5g configured");
	assert_false(
		soak_stressor_enabled(&c, soak_stressor_find("traffic"), &why));
	assert_string_equal(why, "no traffic_target configured");
	assert_false(soak_stressor_enabled(&c, soak_stressor_find("conn-cycle"),
					   &why));
	assert_string_equal(why, "no connection profile configured");
	assert_int_equal(soak_config_set(&c, "scan_full_interval", "0", err,
					 sizeof(err)),
			 0);
	assert_false(soak_stressor_enabled(&c, soak_stressor_find("scan-full"),
					   &why));
	assert_string_equal(why, "interval is 0");
	assert_false(soak_stressor_enabled(&c, SOAK_ST_COUNT, &why));
	assert_string_equal(why, "unknown stressor");
}

/* profile = targeted sets every period and conn_cycle_traffic; keys after
 * it override; default restores the table; anything else is refused. */
static void test_profile(void **state)
{
	struct soak_config c;
	char err[256];
	int cyc = soak_stressor_find("conn-cycle"),
	    multi = soak_stressor_find("scan-5g-multi");

	(void)state;
	soak_config_defaults(&c);
	assert_string_equal(c.profile, "default");
	assert_false(c.cycle_traffic);
	assert_int_equal(
		soak_config_set(&c, "profile", "targeted", err, sizeof(err)),
		0);
	assert_string_equal(c.profile, "targeted");
	assert_true(c.cycle_traffic);
	assert_int_equal(c.period[cyc].interval_ms, 20000);
	assert_int_equal(c.period[multi].interval_ms, 8000);
	/* what the splat and Pattern A need comes more often; the full
	 * scan, which keeps the radio busy, less */
	for (int i = 0; i < SOAK_ST_COUNT; i++)
		if (strcmp(soak_stressors[i].name, "scan-full"))
			assert_true(c.period[i].interval_ms <
				    soak_stressors[i].period.interval_ms);
	assert_int_equal(soak_config_set(&c, "conn_cycle_interval", "45s", err,
					 sizeof(err)),
			 0);
	assert_int_equal(c.period[cyc].interval_ms, 45000);
	assert_int_equal(soak_config_set(&c, "conn_cycle_traffic", "no", err,
					 sizeof(err)),
			 0);
	assert_false(c.cycle_traffic);
	assert_int_equal(
		soak_config_set(&c, "profile", "default", err, sizeof(err)), 0);
	assert_int_equal(c.period[cyc].interval_ms,
			 soak_stressors[cyc].period.interval_ms);
	assert_int_equal(
		soak_config_set(&c, "profile", "fast", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "default, targeted"));
	assert_int_equal(soak_config_set(&c, "conn_cycle_traffic", "maybe", err,
					 sizeof(err)),
			 -1);
	assert_string_equal(err, "conn_cycle_traffic: 'maybe' is not yes/no");
}

/* Per-kind counts and failing kinds, as `splat report` counts them. */
static void test_failing_kinds(void **state)
{
	struct soak_opslog l;
	char text[256], names[128], small[24];
	struct json_object *o, *k, *v;

	(void)state;
	memset(&l, 0, sizeof(l));
	/* traffic: 2 ok, 4 failed (one a timeout), 3 busy (not performed) */
	for (int i = 0; i < 2; i++)
		soak_opslog_count(&l, "traffic", SOAK_OK);
	for (int i = 0; i < 3; i++)
		soak_opslog_count(&l, "traffic", SOAK_FAILED);
	soak_opslog_count(&l, "traffic", SOAK_TIMEOUT);
	for (int i = 0; i < 3; i++)
		soak_opslog_count(&l, "traffic", SOAK_BUSY);
	/* refused is the patched driver's answer: a success */
	for (int i = 0; i < 5; i++)
		soak_opslog_count(&l, "scan-5g-multi", SOAK_REFUSED);
	/* conn-cycle: 1 of 5 failed = 20 %, not above 20 % */
	for (int i = 0; i < 4; i++)
		soak_opslog_count(&l, "conn-cycle", SOAK_OK);
	soak_opslog_count(&l, "conn-cycle", SOAK_FAILED);
	/* only busy: nothing performed, not failing */
	soak_opslog_count(&l, "scan-full", SOAK_BUSY);
	/* not workload */
	soak_opslog_count(&l, "watcher", SOAK_FAILED);
	assert_int_equal(l.nkinds, 4);
	assert_int_equal(soak_kind_performed(&l.kinds[0]), 6);
	assert_int_equal(soak_kind_failed(&l.kinds[0]), 4);

	assert_int_equal(soak_opslog_failing(&l, 0.2, text, sizeof(text), names,
					     sizeof(names)),
			 1);
	assert_string_equal(text, "traffic failing 67 % (4/6)");
	assert_string_equal(names, "traffic");
	/* a lower threshold names conn-cycle too, in order of appearance */
	assert_int_equal(soak_opslog_failing(&l, 0.1, text, sizeof(text), names,
					     sizeof(names)),
			 2);
	assert_string_equal(
		text,
		"traffic failing 67 % (4/6), conn-cycle failing 20 % (1/5)");
	assert_string_equal(names, "traffic conn-cycle");
	/* 100 %: nothing can be above it */
	assert_int_equal(
		soak_opslog_failing(&l, 1.0, text, sizeof(text), NULL, 0), 0);
	assert_string_equal(text, "");
	/* a short buffer is cut, still terminated */
	assert_int_equal(
		soak_opslog_failing(&l, 0.1, small, sizeof(small), NULL, 0), 2);
	assert_int_equal(strlen(small), sizeof(small) - 1);

	o = soak_opslog_kinds_json(&l, 0.2);
	assert_true(json_object_object_get_ex(o, "traffic", &k));
	assert_true(json_object_object_get_ex(k, "ok", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(k, "busy", &v));
	assert_int_equal(json_object_get_int(v), 3);
	assert_true(json_object_object_get_ex(k, "failed", &v));
	assert_int_equal(json_object_get_int(v), 4);
	assert_true(json_object_object_get_ex(k, "performed", &v));
	assert_int_equal(json_object_get_int(v), 6);
	assert_true(json_object_object_get_ex(k, "failing", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "scan-5g-multi", &k));
	assert_true(json_object_object_get_ex(k, "failed_share", &v));
	assert_true(json_object_get_double(v) == 0.0);
	assert_true(json_object_object_get_ex(o, "scan-full", &k));
	assert_true(json_object_object_get_ex(k, "failed_share", &v));
	assert_null(v);
	assert_false(json_object_object_get_ex(o, "watcher", &k));
	json_object_put(o);
}

/* failing_share: a percentage */
static void test_failing_share_config(void **state)
{
	struct soak_config c;
	char err[256];

	(void)state;
	soak_config_defaults(&c);
	assert_true(c.failing_share == 0.2);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "50%", err, sizeof(err)),
		0);
	assert_true(c.failing_share == 0.5);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "5 %", err, sizeof(err)),
		0);
	assert_true(c.failing_share == 0.05);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "0", err, sizeof(err)), 0);
	assert_true(c.failing_share == 0.0);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "101%", err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "not a percentage"));
	assert_int_equal(
		soak_config_set(&c, "failing_share", "-1", err, sizeof(err)),
		-1);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "x", err, sizeof(err)),
		-1);
	assert_int_equal(
		soak_config_set(&c, "failing_share", "20%%", err, sizeof(err)),
		-1);
	assert_true(c.failing_share == 0.0);
}

static void test_argv(void **state)
{
	struct soak_argv a;

	(void)state;
	soak_argv_init(&a);
	assert_null(a.v[0]);
	soak_argv_add(&a, "ping");
	soak_argv_addf(&a, "%ld", 5L);
	soak_argv_addf(&a, "%.1f", 0.2);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.v[0], "ping");
	assert_string_equal(a.v[1], "5");
	assert_string_equal(a.v[2], "0.2");
	assert_null(a.v[3]);
	/* bounded: words past SOAK_ARGV_MAX are dropped, still terminated */
	for (int i = 0; i < SOAK_ARGV_MAX + 10; i++)
		soak_argv_addf(&a, "%d", i);
	assert_int_equal(a.n, SOAK_ARGV_MAX);
	assert_null(a.v[SOAK_ARGV_MAX]);
	assert_string_equal(a.v[SOAK_ARGV_MAX - 1], "44");
}

/* The FIPS 180-2 vectors, as files through the libcrypto wrapper. */
static void sha256_of(const char *dir, const char *data, size_t len, int times,
		      char hex[65])
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/data", dir);
	f = fopen(p, "wb");
	assert_non_null(f);
	for (int i = 0; i < times; i++)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(soak_sha256_file(p, hex), 0);
	assert_int_equal(strlen(hex), 64);
	unlink(p);
}

static void test_sha256(void **state)
{
	char dir[] = "/tmp/test_soak_sha.XXXXXX", hex[65], big[1000];

	(void)state;
	assert_non_null(mkdtemp(dir));
	sha256_of(dir, "", 0, 1, hex);
	assert_string_equal(
		hex,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_of(dir, "abc", 3, 1, hex);
	assert_string_equal(
		hex,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_of(dir,
		  "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  56, 1, hex);
	assert_string_equal(
		hex,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a': more than the wrapper's 64 KiB read buffer */
	memset(big, 'a', sizeof(big));
	sha256_of(dir, big, sizeof(big), 1000, hex);
	assert_string_equal(
		hex,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* a file that is not there */
	{
		char p[64];

		snprintf(p, sizeof(p), "%s/none", dir);
		errno = 0;
		assert_int_equal(soak_sha256_file(p, hex), -1);
		assert_int_equal(errno, ENOENT);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* running (not gone, not a zombie that no init reaped yet) */
static bool alive(int pid)
{
	char p[64], buf[256];
	FILE *f;
	char *rp;

	snprintf(p, sizeof(p), "/proc/%d/stat", pid);
	f = fopen(p, "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z';
}

static void test_exec(void **state)
{
	struct soak_exec_result r;
	char *ok[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
	char *hang[] = {"sh", "-c", "sleep 30 & echo $! >\"$PIDF\"; wait",
			NULL};
	char *noexist[] = {"/nonexistent/besser-stub", NULL};
	char *flood[] = {
		"sh", "-c",
		"i=0; while [ $i -lt 3000 ]; do echo 0123456789; i=$((i+1)); done",
		NULL};
	char pidf[] = "/tmp/test_soak_pid.XXXXXX";
	int fd = mkstemp(pidf);
	FILE *f;
	int grandchild = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(soak_exec(ok, 5000, NULL, &r), -1);
	assert_int_equal(r.exit_code, 3);
	assert_string_equal(r.out, "out\n");
	assert_string_equal(r.err, "err\n");
	assert_true(r.end_usec >= r.start_usec);

	/* timeout: the shell and its background child are both killed */
	setenv("PIDF", pidf, 1);
	assert_int_equal(soak_exec(hang, 300, NULL, &r), -1);
	assert_true(r.timed_out);
	assert_int_equal(soak_classify(&r), SOAK_TIMEOUT);
	assert_true(r.end_usec - r.start_usec < 5000000);
	f = fopen(pidf, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &grandchild), 1);
	fclose(f);
	unlink(pidf);
	for (int i = 0; i < 100 && alive(grandchild); i++)
		usleep(10000);
	assert_false(alive(grandchild));

	/* a stop request ends the command */
	{
		volatile sig_atomic_t stop = 1;

		assert_int_equal(soak_exec(hang, 10000, &stop, &r), -1);
		assert_true(r.interrupted);
		assert_true(r.end_usec - r.start_usec < 5000000);
	}
	assert_int_equal(soak_exec(noexist, 5000, NULL, &r), -1);
	assert_true(r.exec_failed);
	assert_int_equal(r.exec_errno, ENOENT);
	/* output is bounded, the command still runs to its end */
	assert_int_equal(soak_exec(flood, 10000, NULL, &r), 0);
	assert_true(r.out_truncated);
	assert_int_equal(r.out_len, SOAK_CAPTURE_MAX - 1);
}

static void mkdirs(const char *root, const char *rel)
{
	char p[4096], *q;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (q = p + strlen(root) + 1; *q; q++)
		if (*q == '/') {
			*q = '\0';
			mkdir(p, 0755);
			*q = '/';
		}
	mkdir(p, 0755);
}

static const char *jget(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, a, &v) || !v)
		return NULL;
	if (b && (!json_object_object_get_ex(v, b, &v) || !v))
		return NULL;
	return json_object_get_string(v);
}

/* meta.json from a fake /proc, /sys and /usr/lib/modules */
static void test_meta_provenance(void **state)
{
	char root[] = "/tmp/test_soak_root.XXXXXX", p[4096], rel[512], err[512];
	struct soak_config c;
	struct utsname u;
	struct json_object *ls, *kc, *meta;
	gzFile gz;

	(void)state;
	assert_non_null(mkdtemp(root));
	uname(&u);
	mkdirs(root, "proc/sys/kernel/random");
	mkdirs(root, "sys/module/bes2600");
	snprintf(rel, sizeof(rel), "usr/lib/modules/%s", u.release);
	mkdirs(root, rel);
	snprintf(p, sizeof(p), "%s/proc/lockdep_stats", root);
	write_conf(p,
		   " lock-classes:                         1818 [max: 8192]\n"
		   " direct dependencies:                 11560 [max: 131072]\n"
		   " in-softirq chains:                      12\n"
		   " debug_locks:                             1\n");
	snprintf(p, sizeof(p), "%s/proc/config.gz", root);
	gz = gzopen(p, "wb");
	assert_non_null(gz);
	gzputs(gz,
	       "CONFIG_LOCALVERSION=\"-lockdep\"\nCONFIG_PROVE_LOCKING=y\n"
	       "CONFIG_LOCKDEP=y\nCONFIG_LOCKDEP_BITS=16\nCONFIG_CLOCKSOURCE_WATCHDOG=y\n"
	       "# CONFIG_LOCK_STAT is not set\nCONFIG_DEBUG_LOCK_ALLOC=y\nCONFIG_BLOCK=y\n");
	gzclose(gz);
	snprintf(p, sizeof(p), "%s/proc/uptime", root);
	write_conf(p, "5140.25 9000.00\n");
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/random/boot_id", root);
	write_conf(p, "0c5d2b1e-2d7f-4c1b-9a39-2f5f7c6a1e11\n");
	snprintf(p, sizeof(p), "%s/sys/module/bes2600/srcversion", root);
	write_conf(p, "BEB625FA7443171EA8D55F7\n");
	snprintf(p, sizeof(p), "%s/%s/besser-series", root, rel);
	write_conf(
		p,
		"series sha256 4f2a6c0e9b1d3f5a7c9e0b2d4f6a8c0e1f3a5c7e9b0d2f4a6c8e0a1b3c5d7e9f\n");
	setenv("BESSER_SOAK_SYSROOT", root, 1);

	ls = soak_read_lockdep_stats();
	assert_non_null(ls);
	assert_string_equal(jget(ls, "lock-classes", NULL), "1818");
	assert_string_equal(jget(ls, "direct dependencies", NULL), "11560");
	assert_string_equal(jget(ls, "debug_locks", NULL), "1");
	json_object_put(ls);
	kc = soak_read_kconfig();
	assert_non_null(kc);
	assert_string_equal(jget(kc, "CONFIG_PROVE_LOCKING", NULL), "y");
	assert_string_equal(jget(kc, "CONFIG_LOCKDEP_BITS", NULL), "16");
	assert_string_equal(jget(kc, "CONFIG_LOCK_STAT", NULL), "n");
	assert_string_equal(jget(kc, "CONFIG_LOCALVERSION", NULL), "-lockdep");
	assert_null(jget(kc, "CONFIG_BLOCK", NULL)); /* not a lock option */
	assert_null(jget(kc, "CONFIG_CLOCKSOURCE_WATCHDOG", NULL));
	json_object_put(kc);
	assert_true(soak_uptime() > 5140.2 && soak_uptime() < 5140.3);

	soak_config_defaults(&c);
	snprintf(p, sizeof(p), "%s/run", root);
	mkdir(p, 0755);
	assert_int_equal(
		soak_meta_start(p, "before-x-host", &c, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/run/meta.json", root);
	meta = json_object_from_file(p);
	assert_non_null(meta);
	assert_string_equal(jget(meta, "schema", NULL), "besser-verify/meta/1");
	assert_string_equal(jget(meta, "driver", "srcversion"),
			    "BEB625FA7443171EA8D55F7");
	assert_string_equal(
		jget(meta, "series", "hash"),
		"4f2a6c0e9b1d3f5a7c9e0b2d4f6a8c0e1f3a5c7e9b0d2f4a6c8e0a1b3c5d7e9f");
	assert_string_equal(jget(meta, "start", "boot_id"),
			    "0c5d2b1e-2d7f-4c1b-9a39-2f5f7c6a1e11");
	assert_string_equal(jget(meta, "kconfig", "CONFIG_PROVE_LOCKING"), "y");
	assert_string_equal(jget(meta, "incomplete_reason", NULL), "running");
	assert_null(jget(meta, "patterns_file", NULL)); /* none configured */
	json_object_put(meta);

	/* a pattern file is copied into the bundle, recorded and hashed */
	snprintf(c.patterns, sizeof(c.patterns), "%s/my.patterns", root);
	write_conf(c.patterns, "[tx-timeout]\nmatch = TX timeout\n");
	snprintf(p, sizeof(p), "%s/run-p", root);
	mkdir(p, 0755);
	assert_int_equal(
		soak_meta_start(p, "before-p-host", &c, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/run-p/meta.json", root);
	meta = json_object_from_file(p);
	assert_string_equal(jget(meta, "patterns_file", NULL), "patterns.conf");
	assert_string_equal(jget(meta, "soak_config", "patterns"), c.patterns);
	json_object_put(meta);
	snprintf(p, sizeof(p), "%s/run-p/patterns.conf", root);
	FILE *pf = fopen(p, "r");
	char copy[128] = "";
	assert_non_null(pf);
	assert_true(fread(copy, 1, sizeof(copy) - 1, pf) > 0);
	fclose(pf);
	assert_string_equal(copy, "[tx-timeout]\nmatch = TX timeout\n");
	snprintf(p, sizeof(p), "%s/run-p", root);
	assert_int_equal(soak_meta_finalize(p, true, NULL, NULL, false, err,
					    sizeof(err)),
			 0);
	snprintf(p, sizeof(p), "%s/run-p/meta.json", root);
	meta = json_object_from_file(p);
	const char *ph = jget(meta, "files", "patterns.conf");
	assert_non_null(ph);
	assert_true(strncmp(ph, "sha256:", 7) == 0);
	json_object_put(meta);
	/* an unreadable one fails the start, naming it */
	snprintf(c.patterns, sizeof(c.patterns), "%s/missing.patterns", root);
	snprintf(p, sizeof(p), "%s/run-m", root);
	mkdir(p, 0755);
	assert_int_equal(
		soak_meta_start(p, "before-m-host", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing.patterns"));
	c.patterns[0] = '\0';

	/* finalised in another boot: no end uptime, incomplete */
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/random/boot_id", root);
	write_conf(p, "ffffffff-2d7f-4c1b-9a39-2f5f7c6a1e11\n");
	snprintf(p, sizeof(p), "%s/run", root);
	assert_int_equal(soak_meta_finalize(p, true, NULL, NULL, false, err,
					    sizeof(err)),
			 0);
	snprintf(p, sizeof(p), "%s/run/meta.json", root);
	meta = json_object_from_file(p);
	assert_string_equal(jget(meta, "complete", NULL), "false");
	assert_string_equal(jget(meta, "incomplete_reason", NULL),
			    "finalised after a reboot");
	assert_null(jget(meta, "end", "uptime_s"));
	assert_string_equal(jget(meta, "end", "other_boot"), "true");
	json_object_put(meta);
	unsetenv("BESSER_SOAK_SYSROOT");
	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	assert_int_equal(system(p), 0);
}

/* meta.json device: the board's serial (device tree before DMI, DMI's
 * placeholders skipped), model, machine id; null when absent */
static void test_meta_device(void **state)
{
	static const struct {
		const char *dt_serial, *dmi_serial, *dt_model, *machine_id;
		const char *serial, *model, *mid;
	} t[] = {
		{"c2f1a8d4e6b3907a", "ignored", "Pine64 PineTab2 v2.0",
		 "4e1c0d2b7a9f4c3e8d6b5a4f3e2d1c0b\n", "c2f1a8d4e6b3907a",
		 "Pine64 PineTab2 v2.0", "4e1c0d2b7a9f4c3e8d6b5a4f3e2d1c0b"},
		{NULL, "PF2ABCDE\n", NULL, NULL, "PF2ABCDE", NULL, NULL},
		{NULL, "To Be Filled By O.E.M.\n", NULL, "", NULL, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	};
	char root[] = "/tmp/test_soak_dev.XXXXXX", p[4096], err[512];
	struct soak_config c;

	(void)state;
	assert_non_null(mkdtemp(root));
	setenv("BESSER_SOAK_SYSROOT", root, 1);
	soak_config_defaults(&c);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *files[4] = {t[i].dt_serial, t[i].dmi_serial,
					t[i].dt_model, t[i].machine_id};
		static const char *const rel[4] = {
			"proc/device-tree/serial-number",
			"sys/class/dmi/id/product_serial",
			"proc/device-tree/model", "etc/machine-id"};
		struct json_object *meta;
		FILE *f;

		snprintf(p, sizeof(p), "rm -rf '%s'/*", root);
		assert_int_equal(system(p), 0);
		mkdirs(root, "proc/device-tree");
		mkdirs(root, "sys/class/dmi/id");
		mkdirs(root, "etc");
		mkdirs(root, "run");
		for (int j = 0; j < 4; j++) {
			if (!files[j])
				continue;
			snprintf(p, sizeof(p), "%s/%s", root, rel[j]);
			f = fopen(p, "w");
			assert_non_null(f);
			/* device tree strings end in NUL */
			fwrite(files[j], 1,
			       strlen(files[j]) + (j == 0 || j == 2), f);
			fclose(f);
		}
		snprintf(p, sizeof(p), "%s/run", root);
		assert_int_equal(soak_meta_start(p, "before-d-host", &c, err,
						 sizeof(err)),
				 0);
		snprintf(p, sizeof(p), "%s/run/meta.json", root);
		meta = json_object_from_file(p);
		assert_non_null(meta);
		if (t[i].serial)
			assert_string_equal(jget(meta, "device", "serial"),
					    t[i].serial);
		else
			assert_null(jget(meta, "device", "serial"));
		if (t[i].model)
			assert_string_equal(jget(meta, "device", "model"),
					    t[i].model);
		else
			assert_null(jget(meta, "device", "model"));
		if (t[i].mid)
			assert_string_equal(jget(meta, "device", "machine_id"),
					    t[i].mid);
		else
			assert_null(jget(meta, "device", "machine_id"));
		json_object_put(meta);
	}
	unsetenv("BESSER_SOAK_SYSROOT");
	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_sched_bounds),
		cmocka_unit_test(test_sched_backoff),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_parse_link),
		cmocka_unit_test(test_stressor_table),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_failing_kinds),
		cmocka_unit_test(test_failing_share_config),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_meta_provenance),
		cmocka_unit_test(test_meta_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
