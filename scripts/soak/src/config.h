/* SPDX-License-Identifier: MIT */
/*
 * config.h - besser-soak configuration (/etc/besser-soak.conf).
 *
 * Format: "key = value" lines, '#' starts a comment, blank lines ignored.
 * Durations take a unit: 90s, 30m, 4h, 1h30m (a bare number is seconds).
 * Unknown keys are an error (a typo must not silently fall back to a
 * default).  The default file in the repository documents every key.
 */
#ifndef SOAK_CONFIG_H
#define SOAK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define SOAK_MAX_FREQS 32

enum soak_backend { SOAK_BACKEND_NMCLI, SOAK_BACKEND_WPA_CLI };
enum soak_traffic {
	SOAK_TRAFFIC_NONE,
	SOAK_TRAFFIC_PING,
	SOAK_TRAFFIC_IPERF3,
	SOAK_TRAFFIC_DOWNLOAD
};
enum soak_scan_tool { SOAK_SCAN_IW, SOAK_SCAN_BACKEND };

/* One stressor's schedule: every interval +- jitter; interval 0 disables. */
struct soak_period {
	int64_t interval_ms;
	int64_t jitter_ms;
};

/* Rows of the stressor table (stressor.h, workload.c). */
#define SOAK_ST_COUNT 5

struct soak_config {
	char interface[32];
	enum soak_backend backend;
	char nm_conn_5g[128]; /* NetworkManager profile with band=a */
	char nm_conn_2g[128];
	char wpa_net_5g[16]; /* wpa_supplicant network id (wpa_cli backend) */
	char wpa_net_2g[16];
	char wpa_ctrl_dir[256]; /* wpa_cli -p DIR ("" = wpa_cli's default) */
	unsigned freqs_5g[SOAK_MAX_FREQS];
	size_t nfreqs_5g;
	enum soak_scan_tool scan_full_tool;

	enum soak_traffic traffic;
	char traffic_target[256]; /* ping target */
	char iperf3_server[256];
	char download_url[512];
	int64_t ping_interval_ms;
	int64_t traffic_len_ms; /* length of one traffic operation */
	/* conn-cycle keeps a ping running through its disconnection, so that
	 * frames are queued when the queue is cleared (profile targeted) */
	bool cycle_traffic;
	char profile[16]; /* "default" or "targeted" (soak_config_profile) */

	struct soak_period period[SOAK_ST_COUNT];
	int64_t duration_ms;
	int64_t op_timeout_ms;
	int64_t assoc_timeout_ms;
	int64_t busy_backoff_ms; /* first back-off after EBUSY */
	int64_t busy_backoff_max_ms;
	double failing_share; /* a kind failing more is named (0..1) */
	uint64_t max_ops;     /* hard bound on operations */
	uint64_t seed;	      /* 0: from the clock */

	char results_root[256];
	char label[64];
	char splat[256];    /* the splat binary (PATH lookup) */
	char kmsg[256];	    /* watcher input */
	char patterns[256]; /* extra patterns for the watcher */
	bool watch;	    /* start `splat watch` */
	bool probes;	    /* probes at start and end */
	bool restore;	    /* restore the original connection */
	char driver[64];    /* module name for meta.json */

	/* end the run as soon as `splat compare --sequential` against this
	 * before bundle decides (fixed / not fixed); "" = off */
	char until_decided[256];
	char until_decided_predict[256];   /* splat compare --predict-file */
	double until_decided_tolerance;	   /* splat compare --tolerance */
	int64_t until_decided_interval_ms; /* look at least this often */
};

void soak_config_defaults(struct soak_config *c);
/* Returns 0, or -1 with "FILE:LINE: why" in err. */
int soak_config_load(struct soak_config *c, const char *path, char *err,
		     size_t errlen);
/* profile = default | targeted: set every stressor's period (and
 * conn_cycle_traffic) to the profile's; keys after it override. */
int soak_config_profile(struct soak_config *c, const char *name, char *err,
			size_t errlen);
/* Set one key (also used for command-line overrides). */
int soak_config_set(struct soak_config *c, const char *key, const char *val,
		    char *err, size_t errlen);
/* "4h", "30m", "1h30m", "90s", "250ms", "12" (seconds).  -1 if invalid. */
int64_t soak_parse_duration(const char *s);
/* The configuration as JSON (for meta.json); new reference. */
struct json_object *soak_config_to_json(const struct soak_config *c);

#endif
