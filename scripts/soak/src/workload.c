/* SPDX-License-Identifier: MIT */
/* workload.c - the stressors and the probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "run.h"
#include "stressor.h"

void soak_parse_link(const char *out, double *freq, char *bitrate, size_t len)
{
	const char *p;

	*freq = 0;
	if (bitrate && len)
		bitrate[0] = '\0';
	if (!out || strncmp(out, "Connected", 9) != 0)
		if (!out || !strstr(out, "\nConnected"))
			return;
	p = strstr(out, "freq:");
	if (p)
		*freq = strtod(p + 5, NULL);
	p = strstr(out, "tx bitrate:");
	if (p && bitrate && len) {
		size_t l;

		p += 11;
		while (*p == ' ' || *p == '\t')
			p++;
		l = strcspn(p, "\n");
		if (l >= len)
			l = len - 1;
		memcpy(bitrate, p, l);
		bitrate[l] = '\0';
	}
}

static void iw_scan(struct soak_argv *a, const struct soak_config *c,
		    bool trigger)
{
	soak_argv_init(a);
	soak_argv_add(a, "iw");
	soak_argv_add(a, "dev");
	soak_argv_add(a, c->interface);
	soak_argv_add(a, "scan");
	if (trigger)
		soak_argv_add(a, "trigger");
}

static enum soak_outcome scan_5g(struct soak_run *r, const char *op, bool multi,
				 struct json_object *extra)
{
	const struct soak_config *c = r->c;
	struct soak_argv a;

	iw_scan(&a, c, false);
	soak_argv_add(&a, "freq");
	if (multi) {
		for (size_t i = 0; i < c->nfreqs_5g; i++)
			soak_argv_addf(&a, "%u", c->freqs_5g[i]);
	} else {
		soak_argv_addf(&a, "%u",
			       c->freqs_5g[r->freq_idx % c->nfreqs_5g]);
		r->freq_idx++;
	}
	return soak_run_op(r, op, a.v, soak_run_timeout(r, c->op_timeout_ms),
			   extra, NULL);
}

static enum soak_outcome traffic(struct soak_run *r)
{
	const struct soak_config *c = r->c;
	struct soak_argv a;
	struct soak_exec_result x;
	struct json_object *extra = json_object_new_object();
	double secs = (double)c->traffic_len_ms / 1000.0;
	enum soak_outcome oc;

	soak_argv_init(&a);
	switch (c->traffic) {
	case SOAK_TRAFFIC_PING: {
		long count = (long)(c->traffic_len_ms / c->ping_interval_ms);

		if (count < 1)
			count = 1;
		soak_argv_add(&a, "ping");
		soak_argv_add(&a, "-n");
		soak_argv_add(&a, "-q");
		soak_argv_add(&a, "-c");
		soak_argv_addf(&a, "%ld", count);
		soak_argv_add(&a, "-i");
		soak_argv_addf(&a, "%.1f",
			       (double)c->ping_interval_ms / 1000.0);
		soak_argv_add(&a, "-W");
		soak_argv_add(&a, "2");
		soak_argv_add(&a, c->traffic_target);
		json_object_object_add(extra, "method",
				       json_object_new_string("ping"));
		break;
	}
	case SOAK_TRAFFIC_IPERF3:
		soak_argv_add(&a, "iperf3");
		soak_argv_add(&a, "-c");
		soak_argv_add(&a, c->iperf3_server);
		soak_argv_add(&a, "-t");
		soak_argv_addf(&a, "%.0f", secs < 1 ? 1 : secs);
		json_object_object_add(extra, "method",
				       json_object_new_string("iperf3"));
		break;
	case SOAK_TRAFFIC_DOWNLOAD:
		soak_argv_add(&a, "wget");
		soak_argv_add(&a, "-q");
		soak_argv_add(&a, "-O");
		soak_argv_add(&a, "/dev/null");
		soak_argv_add(&a, c->download_url);
		json_object_object_add(extra, "method",
				       json_object_new_string("download"));
		break;
	default:
		json_object_put(extra);
		return SOAK_FAILED;
	}
	soak_exec(a.v, soak_run_timeout(r, c->traffic_len_ms + 15000), r->stop,
		  &x);
	oc = soak_classify(&x);
	if (c->traffic == SOAK_TRAFFIC_PING) {
		const char *p = strstr(x.out, "% packet loss");

		if (p) {
			while (p > x.out &&
			       (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
				p--;
			json_object_object_add(
				extra, "loss_pct",
				json_object_new_double(strtod(p, NULL)));
		}
	}
	{
		struct json_object *o = soak_op_json("traffic", a.v, &x, oc);

		json_object_object_foreach(extra, k, v)
			json_object_object_add(o, k, json_object_get(v));
		json_object_put(extra);
		soak_run_log(r, o, oc);
	}
	return oc;
}

static enum soak_outcome scan_full(struct soak_run *r)
{
	struct soak_argv a;

	if (r->c->scan_full_tool == SOAK_SCAN_BACKEND)
		return soak_backend_scan(r);
	iw_scan(&a, r->c, true);
	return soak_run_op(r, "scan-full", a.v,
			   soak_run_timeout(r, r->c->op_timeout_ms), NULL,
			   NULL);
}

static enum soak_outcome scan_5g_single(struct soak_run *r)
{
	return scan_5g(r, "scan-5g-single", false, NULL);
}

static enum soak_outcome scan_5g_multi(struct soak_run *r)
{
	return scan_5g(r, "scan-5g-multi", true, NULL);
}

static const char *off_5g_single(const struct soak_config *c)
{
	return c->nfreqs_5g < 1 ? "no freqs_5g configured" : NULL;
}

static const char *off_5g_multi(const struct soak_config *c)
{
	return c->nfreqs_5g < 2 ? "fewer than two freqs_5g configured" : NULL;
}

static const char *off_conn_cycle(const struct soak_config *c)
{
	bool none = c->backend == SOAK_BACKEND_NMCLI
			    ? !c->nm_conn_5g[0] && !c->nm_conn_2g[0]
			    : !c->wpa_net_5g[0] && !c->wpa_net_2g[0];

	return none ? "no connection profile configured" : NULL;
}

static const char *off_traffic(const struct soak_config *c)
{
	if (c->traffic == SOAK_TRAFFIC_NONE)
		return "traffic_method = none";
	if (c->traffic == SOAK_TRAFFIC_PING && !c->traffic_target[0])
		return "no traffic_target configured";
	if (c->traffic == SOAK_TRAFFIC_IPERF3 && !c->iperf3_server[0])
		return "no iperf3_server configured";
	if (c->traffic == SOAK_TRAFFIC_DOWNLOAD && !c->download_url[0])
		return "no download_url configured";
	return NULL;
}

/* The order is the order of meta.json's soak_config.stressors. */
const struct soak_stressor soak_stressors[] = {
	{.name = "scan-full",
	 .key = "scan_full",
	 .period = {60000, 15000},
	 .targeted = {120000, 20000},
	 .run = scan_full},
	{.name = "scan-5g-single",
	 .key = "scan_5g_single",
	 .period = {90000, 20000},
	 .targeted = {30000, 5000},
	 .off = off_5g_single,
	 .run = scan_5g_single},
	{.name = "scan-5g-multi",
	 .key = "scan_5g_multi",
	 .period = {300000, 60000},
	 .targeted = {8000, 2000},
	 .off = off_5g_multi,
	 .run = scan_5g_multi},
	{.name = "conn-cycle",
	 .key = "conn_cycle",
	 .period = {900000, 120000},
	 .targeted = {20000, 5000},
	 .off = off_conn_cycle,
	 .run = soak_backend_cycle},
	{.name = "traffic",
	 .key = "traffic",
	 .period = {60000, 10000},
	 .targeted = {10000, 2000},
	 .off = off_traffic,
	 .run = traffic},
};

_Static_assert(sizeof(soak_stressors) / sizeof(soak_stressors[0]) ==
		       SOAK_ST_COUNT,
	       "SOAK_ST_COUNT is the number of rows of soak_stressors[]");

const char *soak_stressor_name(int i)
{
	return (unsigned)i < SOAK_ST_COUNT ? soak_stressors[i].name : "?";
}

int soak_stressor_find(const char *name)
{
	for (int i = 0; name && i < SOAK_ST_COUNT; i++)
		if (!strcmp(soak_stressors[i].name, name))
			return i;
	return -1;
}

bool soak_stressor_enabled(const struct soak_config *c, int i, const char **why)
{
	const char *w;

	if ((unsigned)i >= SOAK_ST_COUNT) {
		if (why)
			*why = "unknown stressor";
		return false;
	}
	w = soak_stressors[i].off ? soak_stressors[i].off(c) : NULL;
	if (!w && c->period[i].interval_ms <= 0)
		w = "interval is 0";
	if (why)
		*why = w;
	return !w;
}

enum soak_outcome soak_stressor_run(struct soak_run *r, int i)
{
	return (unsigned)i < SOAK_ST_COUNT ? soak_stressors[i].run(r)
					   : SOAK_FAILED;
}

/* A probe retried while the device is busy (bounded: 5 tries). */
static enum soak_outcome probe_scan(struct soak_run *r, const char *op,
				    bool multi, const char *phase)
{
	enum soak_outcome oc = SOAK_FAILED;

	for (int attempt = 1; attempt <= 5; attempt++) {
		struct json_object *extra = json_object_new_object();

		json_object_object_add(extra, "phase",
				       json_object_new_string(phase));
		json_object_object_add(extra, "attempt",
				       json_object_new_int(attempt));
		json_object_object_add(
			extra, "freq",
			json_object_new_int((int)r->c->freqs_5g[0]));
		json_object_object_add(
			extra, "n_freqs",
			json_object_new_int(multi ? (int)r->c->nfreqs_5g : 1));
		if (!multi) {
			unsigned save = r->freq_idx;

			r->freq_idx = 0;
			oc = scan_5g(r, op, false, extra);
			r->freq_idx = save;
		} else {
			oc = scan_5g(r, op, true, extra);
		}
		if (oc != SOAK_BUSY || (r->stop && *r->stop))
			break;
		soak_sleep_ms(2000LL * attempt);
	}
	return oc;
}

static void probe_assoc(struct soak_run *r, const char *phase)
{
	const char *p5 = soak_backend_profile_5g(r);
	struct json_object *extra = json_object_new_object(), *o;
	struct soak_exec_result x;
	char *argv[] = {"iw", "dev", (char *)r->c->interface, "link", NULL};
	char rate[256];
	double freq;
	enum soak_outcome oc;

	json_object_object_add(extra, "phase", json_object_new_string(phase));
	oc = soak_backend_up(r, "probe-assoc-5g-up", p5, r->c->assoc_timeout_ms,
			     extra);
	/* what the radio says now: frequency and TX bitrate */
	soak_exec(argv, 10000, r->stop, &x);
	soak_parse_link(x.out, &freq, rate, sizeof(rate));
	if (oc == SOAK_OK && (freq < 4900 || soak_classify(&x) != SOAK_OK)) {
		oc = SOAK_FAILED;
		snprintf(x.err, sizeof(x.err), "%s",
			 freq > 0 ? "associated, but not on 5 GHz"
				  : "not associated after connection up");
	}
	o = soak_op_json("probe-assoc-5g", argv, &x, oc);
	json_object_object_add(o, "phase", json_object_new_string(phase));
	json_object_object_add(o, "profile", json_object_new_string(p5));
	json_object_object_add(
		o, "freq", freq > 0 ? json_object_new_int((int)freq) : NULL);
	json_object_object_add(o, "tx_bitrate",
			       rate[0] ? json_object_new_string(rate) : NULL);
	json_object_object_add(o, "associated",
			       json_object_new_boolean(freq > 0));
	soak_run_log(r, o, oc);
}

void soak_probes(struct soak_run *r, const char *phase)
{
	if (r->c->nfreqs_5g >= 1)
		probe_scan(r, "probe-scan-5g-single", false, phase);
	if (r->c->nfreqs_5g >= 2)
		probe_scan(r, "probe-scan-5g-multi", true, phase);
	if (soak_backend_profile_5g(r)[0])
		probe_assoc(r, phase);
}
