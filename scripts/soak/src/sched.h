/* SPDX-License-Identifier: MIT */
/*
 * sched.h - the stressor scheduler, pure (no clock, no I/O) so it is unit
 * tested with a fake clock.
 *
 * Each stressor runs every interval +- jitter (uniform, from a seeded
 * xorshift generator, so a run is reproducible from its seed).  A busy
 * answer (EBUSY, "already scanning") reschedules that stressor after a
 * back-off that doubles up to a maximum and resets on any other outcome.
 * Nothing is scheduled at or after the deadline, and at most max_ops
 * operations are handed out.
 */
#ifndef SOAK_SCHED_H
#define SOAK_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "opslog.h"

struct soak_sched_entry {
	bool enabled;
	int64_t interval_ms, jitter_ms;
	int64_t next_ms;    /* due time */
	int64_t backoff_ms; /* current back-off, 0 when not backing off */
	uint64_t runs, busy;
};

struct soak_sched {
	struct soak_sched_entry e[SOAK_ST_COUNT];
	int64_t start_ms, deadline_ms;
	int64_t backoff_min_ms, backoff_max_ms;
	uint64_t max_ops, ops;
	uint64_t rng;
};

/* Schedules from the configuration; the first run of each stressor is
 * spread over its first interval.  enabled[i] false disables a stressor
 * (e.g. no target for traffic, no 5 GHz frequencies). */
void soak_sched_init(struct soak_sched *s, const struct soak_config *c,
		     const bool enabled[SOAK_ST_COUNT], int64_t now_ms,
		     uint64_t seed);

/* The stressor due next, and when (*due_ms); -1 when the run is over
 * (deadline reached or max_ops handed out) or nothing is enabled. */
int soak_sched_next(const struct soak_sched *s, int64_t now_ms,
		    int64_t *due_ms);

/* Record that stressor i ran and ended at now_ms with this outcome. */
void soak_sched_done(struct soak_sched *s, int i, int64_t now_ms,
		     enum soak_outcome outcome);

/* Uniform in [lo, hi] from the scheduler's generator. */
int64_t soak_sched_rand(struct soak_sched *s, int64_t lo, int64_t hi);

#endif
