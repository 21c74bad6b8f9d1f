/* SPDX-License-Identifier: MIT */
/*
 * run.h - one soak run: configuration, ops log, scheduler, and the helpers
 * that run one logged operation.  Stressors (stressor.h) and probes live in
 * workload.c, connection control in backend.c, the bundle (meta.json) in
 * bundle.c.
 */
#ifndef SOAK_RUN_H
#define SOAK_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "exec.h"
#include "opslog.h"
#include "sched.h"
#include "stressor.h"

struct json_object;

struct soak_run {
	const struct soak_config *c;
	char dir[4096];
	struct soak_opslog log;
	struct soak_sched sched;
	volatile sig_atomic_t *stop; /* SIGTERM/SIGINT seen */
	int64_t deadline_usec;	     /* CLOCK_MONOTONIC */

	char orig_conn[256]; /* connection active at start, "" none */
	bool have_orig;
	unsigned freq_idx;   /* rotates single-channel scans */
	bool next_5g;	     /* conn-cycle alternates profiles */
	uint64_t busy;	     /* busy answers (expected, backed off) */
	uint64_t log_errors; /* ops.jsonl write failures */
	char boot_id[40];    /* added to every op */
};

/* Run argv, classify, and log one op.  extra (may be NULL) is merged into
 * the op object.  The exec result is left in *res when res is not NULL. */
enum soak_outcome soak_run_op(struct soak_run *r, const char *op,
			      char *const argv[], int64_t timeout_ms,
			      struct json_object *extra,
			      struct soak_exec_result *res);
/* Log a prepared op object (takes the reference). */
void soak_run_log(struct soak_run *r, struct json_object *op,
		  enum soak_outcome outcome);
/* Timeout for an op: op_timeout, but not far past the deadline. */
int64_t soak_run_timeout(const struct soak_run *r, int64_t want_ms);

/* backend.c: connection control (nmcli or wpa_cli). */
/* The active connection (NM profile name or wpa network id), "" if none.
 * Returns 0, or -1 when it cannot be determined. */
int soak_backend_current(struct soak_run *r, char *buf, size_t len);
/* Bring up a profile (name or id) and wait until associated. */
enum soak_outcome soak_backend_up(struct soak_run *r, const char *op,
				  const char *profile, int64_t timeout_ms,
				  struct json_object *extra);
/* One connection cycle (op "conn-cycle"): down the active connection, up
 * the next profile (5 GHz and 2.4 GHz alternate when both are set). */
enum soak_outcome soak_backend_cycle(struct soak_run *r);
/* Full scan through the backend (nmcli rescan / wpa_cli scan). */
enum soak_outcome soak_backend_scan(struct soak_run *r);
/* Bring back the connection recorded at start (logged as op "restore"). */
enum soak_outcome soak_backend_restore(struct soak_run *r);
const char *soak_backend_profile_5g(const struct soak_run *r);
const char *soak_backend_profile_2g(const struct soak_run *r);

/* workload.c (the stressors themselves: stressor.h) */
/* Probes: single- and multi-channel 5 GHz scan, 5 GHz association.
 * phase: "start", "end", "on-demand". */
void soak_probes(struct soak_run *r, const char *phase);
/* Parse `iw dev IF link` output: freq in MHz (0 if not connected) and the
 * "tx bitrate:" text. */
void soak_parse_link(const char *out, double *freq, char *bitrate, size_t len);

#endif
