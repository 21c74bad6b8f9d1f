/* SPDX-License-Identifier: MIT */
/* workload.c - the stressors and the probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "run.h"

#define ARGV_MAX (8 + SOAK_MAX_FREQS)

bool soak_stressor_enabled(const struct soak_config *c, enum soak_stressor s,
			   const char **why)
{
	const char *w = NULL;

	switch (s) {
	case SOAK_ST_SCAN_FULL:
		break;
	case SOAK_ST_SCAN_5G_SINGLE:
		if (c->nfreqs_5g < 1)
			w = "no freqs_5g configured";
		break;
	case SOAK_ST_SCAN_5G_MULTI:
		if (c->nfreqs_5g < 2)
			w = "fewer than two freqs_5g configured";
		break;
	case SOAK_ST_CONN_CYCLE:
		if (c->backend == SOAK_BACKEND_NMCLI ?
			    !c->nm_conn_5g[0] && !c->nm_conn_2g[0] :
			    !c->wpa_net_5g[0] && !c->wpa_net_2g[0])
			w = "no connection profile configured";
		break;
	case SOAK_ST_TRAFFIC:
		if (c->traffic == SOAK_TRAFFIC_NONE)
			w = "traffic_method = none";
		else if (c->traffic == SOAK_TRAFFIC_PING && !c->traffic_target[0])
			w = "no traffic_target configured";
		else if (c->traffic == SOAK_TRAFFIC_IPERF3 && !c->iperf3_server[0])
			w = "no iperf3_server configured";
		else if (c->traffic == SOAK_TRAFFIC_DOWNLOAD && !c->download_url[0])
			w = "no download_url configured";
		break;
	default:
		if (why)
			*why = "unknown stressor";
		return false;
	}
	if (!w && c->period[s].interval_ms <= 0)
		w = "interval is 0";
	if (why)
		*why = w;
	return !w;
}

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

struct av {
	char *v[ARGV_MAX + 1];
	int n;
	char num[SOAK_MAX_FREQS + 4][24];
	int nnum;
};

static void add(struct av *a, const char *s)
{
	if (a->n < ARGV_MAX)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

static void addnum(struct av *a, int decimals, double v)
{
	if (a->nnum >= (int)(sizeof(a->num) / sizeof(a->num[0])))
		return;
	snprintf(a->num[a->nnum], sizeof(a->num[0]), "%.*f", decimals, v);
	add(a, a->num[a->nnum++]);
}

static void iw_scan(struct av *a, const struct soak_config *c, bool trigger)
{
	*a = (struct av){ .n = 0 };
	add(a, "iw");
	add(a, "dev");
	add(a, c->interface);
	add(a, "scan");
	if (trigger)
		add(a, "trigger");
}

static enum soak_outcome scan_5g(struct soak_run *r, const char *op, bool multi,
				 struct json_object *extra)
{
	const struct soak_config *c = r->c;
	struct av a;

	iw_scan(&a, c, false);
	add(&a, "freq");
	if (multi) {
		for (size_t i = 0; i < c->nfreqs_5g; i++)
			addnum(&a, 0, c->freqs_5g[i]);
	} else {
		addnum(&a, 0, c->freqs_5g[r->freq_idx % c->nfreqs_5g]);
		r->freq_idx++;
	}
	return soak_run_op(r, op, a.v, soak_run_timeout(r, c->op_timeout_ms),
			   extra, NULL);
}

static enum soak_outcome traffic(struct soak_run *r)
{
	const struct soak_config *c = r->c;
	struct av a = { .n = 0 };
	struct soak_exec_result x;
	struct json_object *extra = json_object_new_object();
	double secs = (double)c->traffic_len_ms / 1000.0;
	enum soak_outcome oc;

	switch (c->traffic) {
	case SOAK_TRAFFIC_PING: {
		long count = (long)(c->traffic_len_ms / c->ping_interval_ms);

		if (count < 1)
			count = 1;
		add(&a, "ping");
		add(&a, "-n");
		add(&a, "-q");
		add(&a, "-c");
		addnum(&a, 0, (double)count);
		add(&a, "-i");
		addnum(&a, 1, (double)c->ping_interval_ms / 1000.0);
		add(&a, "-W");
		add(&a, "2");
		add(&a, c->traffic_target);
		json_object_object_add(extra, "method", json_object_new_string("ping"));
		break;
	}
	case SOAK_TRAFFIC_IPERF3:
		add(&a, "iperf3");
		add(&a, "-c");
		add(&a, c->iperf3_server);
		add(&a, "-t");
		addnum(&a, 0, secs < 1 ? 1 : secs);
		json_object_object_add(extra, "method", json_object_new_string("iperf3"));
		break;
	case SOAK_TRAFFIC_DOWNLOAD:
		add(&a, "wget");
		add(&a, "-q");
		add(&a, "-O");
		add(&a, "/dev/null");
		add(&a, c->download_url);
		json_object_object_add(extra, "method", json_object_new_string("download"));
		break;
	default:
		json_object_put(extra);
		return SOAK_FAILED;
	}
	soak_exec(a.v, soak_run_timeout(r, c->traffic_len_ms + 15000), r->stop, &x);
	oc = soak_classify(&x);
	if (c->traffic == SOAK_TRAFFIC_PING) {
		const char *p = strstr(x.out, "% packet loss");

		if (p) {
			while (p > x.out && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
				p--;
			json_object_object_add(extra, "loss_pct",
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

enum soak_outcome soak_stressor_run(struct soak_run *r, enum soak_stressor s)
{
	struct av a;

	switch (s) {
	case SOAK_ST_SCAN_FULL:
		if (r->c->scan_full_tool == SOAK_SCAN_BACKEND)
			return soak_backend_scan(r);
		iw_scan(&a, r->c, true);
		return soak_run_op(r, "scan-full", a.v,
				   soak_run_timeout(r, r->c->op_timeout_ms), NULL, NULL);
	case SOAK_ST_SCAN_5G_SINGLE:
		return scan_5g(r, "scan-5g-single", false, NULL);
	case SOAK_ST_SCAN_5G_MULTI:
		return scan_5g(r, "scan-5g-multi", true, NULL);
	case SOAK_ST_CONN_CYCLE:
		return soak_backend_cycle(r);
	case SOAK_ST_TRAFFIC:
		return traffic(r);
	default:
		return SOAK_FAILED;
	}
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A probe retried while the device is busy (bounded: 5 tries). */
static enum soak_outcome probe_scan(struct soak_run *r, const char *op, bool multi,
				    const char *phase)
{
	enum soak_outcome oc = SOAK_FAILED;

	for (int attempt = 1; attempt <= 5; attempt++) {
		struct json_object *extra = json_object_new_object();

		json_object_object_add(extra, "phase", json_object_new_string(phase));
		json_object_object_add(extra, "attempt", json_object_new_int(attempt));
		json_object_object_add(extra, "freq",
				       json_object_new_int((int)r->c->freqs_5g[0]));
		json_object_object_add(extra, "n_freqs",
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
		sleep_ms(2000LL * attempt);
	}
	return oc;
}

static void probe_assoc(struct soak_run *r, const char *phase)
{
	const char *p5 = soak_backend_profile_5g(r);
	struct json_object *extra = json_object_new_object(), *o;
	struct soak_exec_result x;
	char *argv[] = { "iw", "dev", (char *)r->c->interface, "link", NULL };
	char rate[256];
	double freq;
	enum soak_outcome oc;

	json_object_object_add(extra, "phase", json_object_new_string(phase));
	oc = soak_backend_up(r, "probe-assoc-5g-up", p5, r->c->assoc_timeout_ms, extra);
	/* what the radio says now: frequency and TX bitrate */
	soak_exec(argv, 10000, r->stop, &x);
	soak_parse_link(x.out, &freq, rate, sizeof(rate));
	if (oc == SOAK_OK && (freq < 4900 || soak_classify(&x) != SOAK_OK)) {
		oc = SOAK_FAILED;
		snprintf(x.err, sizeof(x.err), "%s",
			 freq > 0 ? "associated, but not on 5 GHz" :
				    "not associated after connection up");
	}
	o = soak_op_json("probe-assoc-5g", argv, &x, oc);
	json_object_object_add(o, "phase", json_object_new_string(phase));
	json_object_object_add(o, "profile", json_object_new_string(p5));
	json_object_object_add(o, "freq", freq > 0 ? json_object_new_int((int)freq) : NULL);
	json_object_object_add(o, "tx_bitrate", rate[0] ? json_object_new_string(rate) : NULL);
	json_object_object_add(o, "associated", json_object_new_boolean(freq > 0));
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
