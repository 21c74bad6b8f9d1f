/* SPDX-License-Identifier: MIT */
/* config.c - parse /etc/besser-soak.conf (see config.h). */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "stressor.h"

void soak_config_defaults(struct soak_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->interface, sizeof(c->interface), "wlan0");
	c->backend = SOAK_BACKEND_NMCLI;
	c->scan_full_tool = SOAK_SCAN_IW;
	c->traffic = SOAK_TRAFFIC_PING;
	c->ping_interval_ms = 1000;
	c->traffic_len_ms = 20000;
	for (int i = 0; i < SOAK_ST_COUNT; i++)
		c->period[i] = soak_stressors[i].period;
	c->duration_ms = 4LL * 3600 * 1000;
	c->op_timeout_ms = 60000;
	c->assoc_timeout_ms = 60000;
	c->busy_backoff_ms = 5000;
	c->busy_backoff_max_ms = 120000;
	c->failing_share = 0.2;
	c->max_ops = 1000000;
	snprintf(c->results_root, sizeof(c->results_root),
		 "/var/lib/besser-soak");
	snprintf(c->label, sizeof(c->label), "soak");
	snprintf(c->splat, sizeof(c->splat), "splat");
	snprintf(c->kmsg, sizeof(c->kmsg), "/dev/kmsg");
	c->watch = true;
	c->probes = true;
	c->restore = true;
	snprintf(c->driver, sizeof(c->driver), "bes2600");
	c->until_decided_tolerance = 0.5;
	c->until_decided_interval_ms = 5 * 60000;
	snprintf(c->profile, sizeof(c->profile), "default");
}

/* The targeted profile drives what the splat needs as often as the radio
 * allows: association (the join work) and disconnection with frames still
 * queued (the queue clear; a ping runs through each cycle), multi-band
 * 5 GHz scans back to back (periods: the stressor table's .targeted). */
int soak_config_profile(struct soak_config *c, const char *name, char *err,
			size_t errlen)
{
	bool t = !strcmp(name, "targeted");

	if (!t && strcmp(name, "default")) {
		snprintf(err, errlen,
			 "profile: '%s' is not one of default, targeted", name);
		return -1;
	}
	for (int i = 0; i < SOAK_ST_COUNT; i++)
		c->period[i] = t ? soak_stressors[i].targeted
				 : soak_stressors[i].period;
	c->cycle_traffic = t;
	snprintf(c->profile, sizeof(c->profile), "%s", name);
	return 0;
}

int64_t soak_parse_duration(const char *s)
{
	int64_t total = 0;
	bool any = false;

	if (!s || !*s)
		return -1;
	while (*s) {
		char *end;
		double v;
		int64_t unit;

		if (!isdigit((unsigned char)*s) && *s != '.')
			return -1;
		errno = 0;
		v = strtod(s, &end);
		if (errno || end == s || v < 0)
			return -1;
		s = end;
		if (!strncmp(s, "ms", 2)) {
			unit = 1;
			s += 2;
		} else if (*s == 's') {
			unit = 1000;
			s++;
		} else if (*s == 'm') {
			unit = 60000;
			s++;
		} else if (*s == 'h') {
			unit = 3600000;
			s++;
		} else if (*s == 'd') {
			unit = 86400000;
			s++;
		} else if (!*s && !any) {
			unit = 1000;
		} else {
			return -1;
		}
		if (v * (double)unit > 1e15)
			return -1;
		total += (int64_t)(v * (double)unit + 0.5);
		any = true;
	}
	return total;
}

static int copy_str(char *dst, size_t len, const char *val, const char *key,
		    char *err, size_t errlen)
{
	if (strlen(val) >= len) {
		snprintf(err, errlen, "%s: value too long (max %zu)", key,
			 len - 1);
		return -1;
	}
	snprintf(dst, len, "%s", val);
	return 0;
}

static int parse_bool(const char *val, bool *out)
{
	if (!strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1") ||
	    !strcmp(val, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(val, "no") || !strcmp(val, "false") || !strcmp(val, "0") ||
	    !strcmp(val, "off")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int parse_freqs(struct soak_config *c, const char *val, char *err,
		       size_t errlen)
{
	const char *p = val;

	c->nfreqs_5g = 0;
	while (*p) {
		char *end;
		unsigned long f;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		f = strtoul(p, &end, 10);
		if (end == p || f < 4900 || f > 5925) {
			snprintf(
				err, errlen,
				"freqs_5g: '%s' is not a 5 GHz frequency in MHz "
				"(4900..5925)",
				p);
			return -1;
		}
		if (c->nfreqs_5g == SOAK_MAX_FREQS) {
			snprintf(err, errlen,
				 "freqs_5g: at most %d frequencies",
				 SOAK_MAX_FREQS);
			return -1;
		}
		c->freqs_5g[c->nfreqs_5g++] = (unsigned)f;
		p = end;
	}
	return 0;
}

static int set_duration(int64_t *dst, const char *key, const char *val,
			int64_t min_ms, char *err, size_t errlen)
{
	int64_t v = soak_parse_duration(val);

	if (v < 0 || v < min_ms) {
		snprintf(
			err, errlen,
			"%s: '%s' is not a duration (e.g. 90s, 30m, 4h, 1h30m)%s",
			key, val, v >= 0 ? " or is too short" : "");
		return -1;
	}
	*dst = v;
	return 0;
}

/* "20%", "20 %" or "20": a percentage, 0..100, stored as 0..1. */
static int parse_share(double *dst, const char *key, const char *val, char *err,
		       size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	while (*end == ' ')
		end++;
	if (*end == '%')
		end++;
	if (errno || end == val || *end || !(v >= 0 && v <= 100)) {
		snprintf(err, errlen,
			 "%s: '%s' is not a percentage (0..100, e.g. 20%%)",
			 key, val);
		return -1;
	}
	*dst = v / 100.0;
	return 0;
}

/* The yes/no keys; the last stop of soak_config_set(). */
static int set_bool_key(struct soak_config *c, const char *key, const char *val,
			char *err, size_t errlen)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{"watch", offsetof(struct soak_config, watch)},
		{"probes", offsetof(struct soak_config, probes)},
		{"restore", offsetof(struct soak_config, restore)},
		{"conn_cycle_traffic",
		 offsetof(struct soak_config, cycle_traffic)},
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		if (parse_bool(val, (bool *)((char *)c + keys[i].off)) < 0) {
			snprintf(err, errlen, "%s: '%s' is not yes/no", key,
				 val);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown key '%s'", key);
	return -1;
}

int soak_config_set(struct soak_config *c, const char *key, const char *val,
		    char *err, size_t errlen)
{
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		size_t kl = strlen(soak_stressors[i].key);

		if (strncmp(key, soak_stressors[i].key, kl) || key[kl] != '_')
			continue;
		if (!strcmp(key + kl, "_interval"))
			return set_duration(&c->period[i].interval_ms, key, val,
					    0, err, errlen);
		if (!strcmp(key + kl, "_jitter"))
			return set_duration(&c->period[i].jitter_ms, key, val,
					    0, err, errlen);
	}
#define STR(name, field)                                                       \
	if (!strcmp(key, name))                                                \
	return copy_str(c->field, sizeof(c->field), val, key, err, errlen)
	STR("interface", interface);
	STR("nm_connection_5g", nm_conn_5g);
	STR("nm_connection_2g", nm_conn_2g);
	STR("wpa_network_5g", wpa_net_5g);
	STR("wpa_network_2g", wpa_net_2g);
	STR("wpa_ctrl_dir", wpa_ctrl_dir);
	STR("traffic_target", traffic_target);
	STR("iperf3_server", iperf3_server);
	STR("download_url", download_url);
	STR("results_root", results_root);
	STR("label", label);
	STR("splat", splat);
	STR("kmsg", kmsg);
	STR("patterns", patterns);
	STR("driver", driver);
	STR("until_decided", until_decided);
	STR("until_decided_predict", until_decided_predict);
#undef STR
	if (!strcmp(key, "until_decided_tolerance")) {
		char *end;
		double v;

		errno = 0;
		v = strtod(val, &end);
		if (errno || end == val || *end || !(v >= 0 && v < 1)) {
			snprintf(err, errlen,
				 "%s: '%s' is not a rate ratio in [0, 1)", key,
				 val);
			return -1;
		}
		c->until_decided_tolerance = v;
		return 0;
	}
	if (!strcmp(key, "until_decided_interval"))
		return set_duration(&c->until_decided_interval_ms, key, val,
				    1000, err, errlen);
	if (!strcmp(key, "backend")) {
		if (!strcmp(val, "nmcli"))
			c->backend = SOAK_BACKEND_NMCLI;
		else if (!strcmp(val, "wpa_cli"))
			c->backend = SOAK_BACKEND_WPA_CLI;
		else
			goto bad_choice;
		return 0;
	}
	if (!strcmp(key, "scan_full_tool")) {
		if (!strcmp(val, "iw"))
			c->scan_full_tool = SOAK_SCAN_IW;
		else if (!strcmp(val, "backend"))
			c->scan_full_tool = SOAK_SCAN_BACKEND;
		else
			goto bad_choice;
		return 0;
	}
	if (!strcmp(key, "traffic_method")) {
		if (!strcmp(val, "none"))
			c->traffic = SOAK_TRAFFIC_NONE;
		else if (!strcmp(val, "ping"))
			c->traffic = SOAK_TRAFFIC_PING;
		else if (!strcmp(val, "iperf3"))
			c->traffic = SOAK_TRAFFIC_IPERF3;
		else if (!strcmp(val, "download"))
			c->traffic = SOAK_TRAFFIC_DOWNLOAD;
		else
			goto bad_choice;
		return 0;
	}
	if (!strcmp(key, "freqs_5g"))
		return parse_freqs(c, val, err, errlen);
	if (!strcmp(key, "ping_interval"))
		return set_duration(&c->ping_interval_ms, key, val, 200, err,
				    errlen);
	if (!strcmp(key, "traffic_length"))
		return set_duration(&c->traffic_len_ms, key, val, 1000, err,
				    errlen);
	if (!strcmp(key, "duration"))
		return set_duration(&c->duration_ms, key, val, 1000, err,
				    errlen);
	if (!strcmp(key, "op_timeout"))
		return set_duration(&c->op_timeout_ms, key, val, 1000, err,
				    errlen);
	if (!strcmp(key, "assoc_timeout"))
		return set_duration(&c->assoc_timeout_ms, key, val, 1000, err,
				    errlen);
	if (!strcmp(key, "busy_backoff"))
		return set_duration(&c->busy_backoff_ms, key, val, 100, err,
				    errlen);
	if (!strcmp(key, "busy_backoff_max"))
		return set_duration(&c->busy_backoff_max_ms, key, val, 100, err,
				    errlen);
	if (!strcmp(key, "failing_share"))
		return parse_share(&c->failing_share, key, val, err, errlen);
	if (!strcmp(key, "max_ops") || !strcmp(key, "seed")) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || end == val || *end || val[0] == '-') {
			snprintf(err, errlen, "%s: '%s' is not a number", key,
				 val);
			return -1;
		}
		if (key[0] == 'm')
			c->max_ops = v;
		else
			c->seed = v;
		return 0;
	}
	if (!strcmp(key, "profile"))
		return soak_config_profile(c, val, err, errlen);
	return set_bool_key(c, key, val, err, errlen);
	return -1;
bad_choice:
	snprintf(err, errlen, "%s: '%s' is not one of the documented values",
		 key, val);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int soak_config_load(struct soak_config *c, const char *path, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "re");
	char line[1024], why[512];
	unsigned lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p, *eq, *key, *val;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path,
				 lineno);
			fclose(f);
			return -1;
		}
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		p = trim(line);
		if (!*p)
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%u: expected 'key = value'",
				 path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (soak_config_set(c, key, val, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static struct json_object *dur(int64_t ms)
{
	return json_object_new_double((double)ms / 1000.0);
}

struct json_object *soak_config_to_json(const struct soak_config *c)
{
	static const char *const backends[] = {"nmcli", "wpa_cli"};
	static const char *const traffic[] = {"none", "ping", "iperf3",
					      "download"};
	struct json_object *o = json_object_new_object(), *a, *p;

	json_object_object_add(o, "interface",
			       json_object_new_string(c->interface));
	json_object_object_add(o, "backend",
			       json_object_new_string(backends[c->backend]));
	json_object_object_add(o, "profile",
			       json_object_new_string(c->profile));
	json_object_object_add(o, "conn_cycle_traffic",
			       json_object_new_boolean(c->cycle_traffic));
	json_object_object_add(o, "nm_connection_5g",
			       json_object_new_string(c->nm_conn_5g));
	json_object_object_add(o, "nm_connection_2g",
			       json_object_new_string(c->nm_conn_2g));
	json_object_object_add(o, "wpa_network_5g",
			       json_object_new_string(c->wpa_net_5g));
	json_object_object_add(o, "wpa_network_2g",
			       json_object_new_string(c->wpa_net_2g));
	a = json_object_new_array();
	for (size_t i = 0; i < c->nfreqs_5g; i++)
		json_object_array_add(a,
				      json_object_new_int((int)c->freqs_5g[i]));
	json_object_object_add(o, "freqs_5g", a);
	json_object_object_add(
		o, "scan_full_tool",
		json_object_new_string(
			c->scan_full_tool == SOAK_SCAN_IW ? "iw" : "backend"));
	json_object_object_add(o, "traffic_method",
			       json_object_new_string(traffic[c->traffic]));
	json_object_object_add(o, "traffic_target",
			       json_object_new_string(c->traffic_target));
	json_object_object_add(o, "iperf3_server",
			       json_object_new_string(c->iperf3_server));
	json_object_object_add(o, "download_url",
			       json_object_new_string(c->download_url));
	json_object_object_add(o, "ping_interval_s", dur(c->ping_interval_ms));
	json_object_object_add(o, "traffic_length_s", dur(c->traffic_len_ms));
	p = json_object_new_object();
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "interval_s",
				       dur(c->period[i].interval_ms));
		json_object_object_add(s, "jitter_s",
				       dur(c->period[i].jitter_ms));
		json_object_object_add(p, soak_stressors[i].name, s);
	}
	json_object_object_add(o, "stressors", p);
	json_object_object_add(o, "duration_s", dur(c->duration_ms));
	json_object_object_add(o, "op_timeout_s", dur(c->op_timeout_ms));
	json_object_object_add(o, "assoc_timeout_s", dur(c->assoc_timeout_ms));
	json_object_object_add(o, "busy_backoff_s", dur(c->busy_backoff_ms));
	json_object_object_add(o, "busy_backoff_max_s",
			       dur(c->busy_backoff_max_ms));
	json_object_object_add(o, "failing_share",
			       json_object_new_double(c->failing_share));
	json_object_object_add(o, "max_ops",
			       json_object_new_int64((int64_t)c->max_ops));
	json_object_object_add(o, "seed",
			       json_object_new_int64((int64_t)c->seed));
	json_object_object_add(o, "results_root",
			       json_object_new_string(c->results_root));
	json_object_object_add(o, "label", json_object_new_string(c->label));
	json_object_object_add(o, "splat", json_object_new_string(c->splat));
	json_object_object_add(o, "kmsg", json_object_new_string(c->kmsg));
	json_object_object_add(o, "patterns",
			       json_object_new_string(c->patterns));
	json_object_object_add(o, "watch", json_object_new_boolean(c->watch));
	json_object_object_add(o, "probes", json_object_new_boolean(c->probes));
	json_object_object_add(o, "restore",
			       json_object_new_boolean(c->restore));
	json_object_object_add(o, "driver", json_object_new_string(c->driver));
	json_object_object_add(
		o, "until_decided",
		c->until_decided[0] ? json_object_new_string(c->until_decided)
				    : NULL);
	json_object_object_add(
		o, "until_decided_predict",
		c->until_decided_predict[0]
			? json_object_new_string(c->until_decided_predict)
			: NULL);
	json_object_object_add(
		o, "until_decided_tolerance",
		json_object_new_double(c->until_decided_tolerance));
	json_object_object_add(o, "until_decided_interval_s",
			       dur(c->until_decided_interval_ms));
	return o;
}
