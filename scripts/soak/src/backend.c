/* SPDX-License-Identifier: MIT */
/*
 * backend.c - connection control through NetworkManager (nmcli) or plain
 * wpa_supplicant (wpa_cli).  Every command that changes state is logged as
 * an op; read-only queries (status) are not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "run.h"

static void wpa_base(struct soak_argv *a, const struct soak_config *c)
{
	soak_argv_init(a);
	soak_argv_add(a, "wpa_cli");
	if (c->wpa_ctrl_dir[0]) {
		soak_argv_add(a, "-p");
		soak_argv_add(a, c->wpa_ctrl_dir);
	}
	soak_argv_add(a, "-i");
	soak_argv_add(a, c->interface);
}

const char *soak_backend_profile_5g(const struct soak_run *r)
{
	return r->c->backend == SOAK_BACKEND_NMCLI ? r->c->nm_conn_5g
						   : r->c->wpa_net_5g;
}

const char *soak_backend_profile_2g(const struct soak_run *r)
{
	return r->c->backend == SOAK_BACKEND_NMCLI ? r->c->nm_conn_2g
						   : r->c->wpa_net_2g;
}

/* value of "key=" in wpa_cli status output */
static int kv_get(const char *out, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	const char *p = out;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			const char *v = p + kl + 1;
			size_t l = strcspn(v, "\n");

			if (l >= len)
				l = len - 1;
			memcpy(buf, v, l);
			buf[l] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	buf[0] = '\0';
	return -1;
}

static int wpa_status(struct soak_run *r, char *state, size_t slen, char *id,
		      size_t idlen)
{
	struct soak_argv a;
	struct soak_exec_result x;

	wpa_base(&a, r->c);
	soak_argv_add(&a, "status");
	if (soak_exec(a.v, 10000, r->stop, &x) < 0)
		return -1;
	kv_get(x.out, "wpa_state", state, slen);
	if (id)
		kv_get(x.out, "id", id, idlen);
	return state[0] ? 0 : -1;
}

int soak_backend_current(struct soak_run *r, char *buf, size_t len)
{
	struct soak_argv a;
	struct soak_exec_result x;

	buf[0] = '\0';
	if (r->c->backend == SOAK_BACKEND_WPA_CLI) {
		char state[64];

		if (wpa_status(r, state, sizeof(state), buf, len) < 0)
			return -1;
		if (strcmp(state, "COMPLETED"))
			buf[0] = '\0';
		return 0;
	}
	soak_argv_init(&a);
	soak_argv_add(&a, "nmcli");
	soak_argv_add(&a, "-g");
	soak_argv_add(&a, "GENERAL.CONNECTION");
	soak_argv_add(&a, "device");
	soak_argv_add(&a, "show");
	soak_argv_add(&a, r->c->interface);
	if (soak_exec(a.v, 15000, r->stop, &x) < 0)
		return -1;
	x.out[strcspn(x.out, "\n")] = '\0';
	if (strcmp(x.out, "--"))
		snprintf(buf, len, "%s", x.out);
	return 0;
}

enum soak_outcome soak_backend_up(struct soak_run *r, const char *op,
				  const char *profile, int64_t timeout_ms,
				  struct json_object *extra)
{
	struct soak_argv a;
	struct soak_exec_result x;
	enum soak_outcome oc;
	struct json_object *o;

	if (r->c->backend == SOAK_BACKEND_NMCLI) {
		soak_argv_init(&a);
		soak_argv_add(&a, "nmcli");
		soak_argv_add(&a, "--wait");
		soak_argv_addf(&a, "%ld", (long)((timeout_ms + 999) / 1000));
		soak_argv_add(&a, "connection");
		soak_argv_add(&a, "up");
		soak_argv_add(&a, "id");
		soak_argv_add(&a, profile);
		if (!extra)
			extra = json_object_new_object();
		json_object_object_add(extra, "profile",
				       json_object_new_string(profile));
		return soak_run_op(r, op, a.v,
				   soak_run_timeout(r, timeout_ms + 15000),
				   extra, NULL);
	}

	/* wpa_cli: select the network, then wait for COMPLETED */
	wpa_base(&a, r->c);
	soak_argv_add(&a, "select_network");
	soak_argv_add(&a, profile);
	soak_exec(a.v, 10000, r->stop, &x);
	oc = soak_classify(&x);
	if (oc == SOAK_OK) {
		int64_t until = x.start_usec + timeout_ms * 1000;
		char state[64] = "";

		oc = SOAK_TIMEOUT;
		while (soak_now_usec() < until && !(r->stop && *r->stop)) {
			if (wpa_status(r, state, sizeof(state), NULL, 0) == 0 &&
			    !strcmp(state, "COMPLETED")) {
				oc = SOAK_OK;
				break;
			}
			soak_sleep_ms(500);
		}
		x.end_usec = soak_now_usec();
		if (oc == SOAK_TIMEOUT) {
			snprintf(x.err, sizeof(x.err),
				 "not associated after %.0f s (wpa_state=%s)",
				 (double)timeout_ms / 1000.0,
				 state[0] ? state : "?");
			x.timed_out = true;
		}
	}
	o = soak_op_json(op, a.v, &x, oc);
	json_object_object_add(o, "profile", json_object_new_string(profile));
	if (extra) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(o, k, json_object_get(v));
		json_object_put(extra);
	}
	soak_run_log(r, o, oc);
	return oc;
}

static enum soak_outcome backend_down(struct soak_run *r, const char *profile,
				      struct soak_argv *a,
				      struct soak_exec_result *x)
{
	soak_argv_init(a);
	if (r->c->backend == SOAK_BACKEND_NMCLI) {
		soak_argv_add(a, "nmcli");
		soak_argv_add(a, "--wait");
		soak_argv_add(a, "20");
		soak_argv_add(a, "connection");
		soak_argv_add(a, "down");
		soak_argv_add(a, "id");
		soak_argv_add(a, profile);
	} else {
		wpa_base(a, r->c);
		soak_argv_add(a, "disconnect");
	}
	soak_exec(a->v, soak_run_timeout(r, 30000), r->stop, x);
	return soak_classify(x);
}

/* conn_cycle_traffic: a ping (every 0.2 s) through the whole cycle, so
 * frames are queued when the disconnection clears the queue.  Returns the
 * background pid, or -1 when off or it could not start (said in extra). */
static int cycle_traffic_start(struct soak_run *r, struct json_object *extra)
{
	struct soak_argv a;
	int pid;

	if (!r->c->cycle_traffic)
		return -1;
	if (!r->c->traffic_target[0]) {
		json_object_object_add(
			extra, "traffic_in_flight",
			json_object_new_string("no traffic_target"));
		return -1;
	}
	soak_argv_init(&a);
	soak_argv_add(&a, "ping");
	soak_argv_add(&a, "-n");
	soak_argv_add(&a, "-q");
	soak_argv_add(&a, "-i");
	soak_argv_add(&a, "0.2");
	soak_argv_add(&a, "-W");
	soak_argv_add(&a, "1");
	soak_argv_add(&a, r->c->traffic_target);
	pid = soak_bg_start(a.v);
	json_object_object_add(
		extra, "traffic_in_flight",
		pid > 0 ? json_object_new_boolean(1)
			: json_object_new_string(strerror(errno)));
	if (pid > 0)
		soak_sleep_ms(1000); /* frames on the air before the down */
	return pid;
}

enum soak_outcome soak_backend_cycle(struct soak_run *r)
{
	const char *p5 = soak_backend_profile_5g(r),
		   *p2 = soak_backend_profile_2g(r);
	const char *target;
	char cur[256];
	struct soak_argv da;
	struct soak_exec_result dx;
	enum soak_outcome doc = SOAK_OK, oc;
	struct json_object *extra = json_object_new_object();
	int64_t start = soak_now_usec();
	int bg;

	if (p5[0] && p2[0])
		target = r->next_5g ? p5 : p2;
	else
		target = p5[0] ? p5 : p2;
	r->next_5g = !r->next_5g;

	bg = cycle_traffic_start(r, extra);
	if (soak_backend_current(r, cur, sizeof(cur)) == 0 && cur[0]) {
		struct json_object *cmd = json_object_new_array();
		char err[600];

		doc = backend_down(r, cur, &da, &dx);
		for (int i = 0; da.v[i]; i++)
			json_object_array_add(cmd,
					      json_object_new_string(da.v[i]));
		json_object_object_add(extra, "down_cmd", cmd);
		json_object_object_add(
			extra, "down_outcome",
			json_object_new_string(soak_outcome_name(doc)));
		soak_error_text(&dx, err, sizeof(err));
		json_object_object_add(extra, "down_error",
				       err[0] ? json_object_new_string(err)
					      : NULL);
		json_object_object_add(extra, "was",
				       json_object_new_string(cur));
	}
	/* the op covers the whole cycle: down, then up */
	json_object_object_add(extra, "start_usec",
			       json_object_new_int64(start));
	oc = soak_backend_up(r, "conn-cycle", target, r->c->assoc_timeout_ms,
			     extra);
	soak_bg_stop(bg);
	return oc == SOAK_OK && doc != SOAK_OK && doc != SOAK_BUSY ? doc : oc;
}

enum soak_outcome soak_backend_scan(struct soak_run *r)
{
	struct soak_argv a;

	if (r->c->backend == SOAK_BACKEND_NMCLI) {
		soak_argv_init(&a);
		soak_argv_add(&a, "nmcli");
		soak_argv_add(&a, "device");
		soak_argv_add(&a, "wifi");
		soak_argv_add(&a, "rescan");
		soak_argv_add(&a, "ifname");
		soak_argv_add(&a, r->c->interface);
	} else {
		wpa_base(&a, r->c);
		soak_argv_add(&a, "scan");
	}
	return soak_run_op(r, "scan-full", a.v,
			   soak_run_timeout(r, r->c->op_timeout_ms), NULL,
			   NULL);
}

enum soak_outcome soak_backend_restore(struct soak_run *r)
{
	char cur[256];
	struct json_object *extra;

	if (!r->have_orig)
		return SOAK_OK;
	if (soak_backend_current(r, cur, sizeof(cur)) == 0 &&
	    !strcmp(cur, r->orig_conn))
		return SOAK_OK; /* already there */
	if (!r->orig_conn[0]) {
		/* nothing was connected at start: leave it disconnected */
		struct soak_argv a;
		struct soak_exec_result x;
		enum soak_outcome oc = backend_down(r, cur, &a, &x);
		struct json_object *o;

		if (!cur[0])
			return SOAK_OK;
		o = soak_op_json("restore", a.v, &x, oc);
		json_object_object_add(o, "profile", NULL);
		soak_run_log(r, o, oc);
		return oc;
	}
	extra = json_object_new_object();
	json_object_object_add(extra, "was", json_object_new_string(cur));
	if (r->c->backend == SOAK_BACKEND_WPA_CLI) {
		enum soak_outcome oc =
			soak_backend_up(r, "restore", r->orig_conn,
					r->c->assoc_timeout_ms, extra);
		struct soak_argv a;
		struct soak_exec_result x;

		/* select_network disabled the others: enable them again */
		wpa_base(&a, r->c);
		soak_argv_add(&a, "enable_network");
		soak_argv_add(&a, "all");
		soak_exec(a.v, 10000, NULL, &x);
		return oc;
	}
	return soak_backend_up(r, "restore", r->orig_conn,
			       r->c->assoc_timeout_ms, extra);
}
