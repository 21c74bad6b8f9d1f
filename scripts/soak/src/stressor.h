/* SPDX-License-Identifier: MIT */
/*
 * stressor.h - the stressors, in one table (workload.c): per stressor its
 * name (the op in ops.jsonl, the key in meta.json), its configuration key
 * prefix (KEY_interval, KEY_jitter), its default period and its period in
 * the targeted profile, what it needs to run and how it runs.  A new stressor
 * is one row there (and SOAK_ST_COUNT).
 */
#ifndef SOAK_STRESSOR_H
#define SOAK_STRESSOR_H

#include <stdbool.h>

#include "config.h"
#include "opslog.h"

struct soak_run;

struct soak_stressor {
	const char *name;
	const char *key;
	struct soak_period period;   /* default */
	struct soak_period targeted; /* profile = targeted (config.c) */
	/* Why this configuration cannot run it, or NULL (may be NULL). */
	const char *(*off)(const struct soak_config *c);
	enum soak_outcome (*run)(struct soak_run *r);
};

/* Indexed like soak_config.period[] and soak_sched.e[]. */
extern const struct soak_stressor soak_stressors[SOAK_ST_COUNT];

/* The name of stressor i, "?" when out of range. */
const char *soak_stressor_name(int i);
/* The index of the stressor with this name, -1 if none. */
int soak_stressor_find(const char *name);
/* Can stressor i run with this configuration?  why gets the reason. */
bool soak_stressor_enabled(const struct soak_config *c, int i,
			   const char **why);
/* Run stressor i once (it logs its op). */
enum soak_outcome soak_stressor_run(struct soak_run *r, int i);

#endif
