/* SPDX-License-Identifier: MIT */
/*
 * config.h - .config files: CONFIG_X=v and "# CONFIG_X is not set" lines,
 * by name and in order of first appearance (like scripts/kconfig/confdata.c
 * in the kernel).
 */
#ifndef KV_CONFIG_H
#define KV_CONFIG_H

#include <stdbool.h>

#include "util.h"

struct cval {
	const char *name;  /* without CONFIG_ */
	const char *value; /* "n" for "is not set"; strings keep their quotes */
	const char *file;
	int line;
};

struct config {
	struct map map;
	struct vec order; /* struct cval *, first appearance order */
};

/* Load path into c (merge: on top of what c holds, later lines override).
 * Returns 0, or -1 after saying why on stderr. */
int config_load(struct config *c, const char *path, bool merge);
/* The value of CONFIG_<name> ("n" for "is not set"), NULL if absent. */
const char *config_value(const struct config *c, const char *name);

#endif
