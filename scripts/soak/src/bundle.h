/* SPDX-License-Identifier: MIT */
/*
 * bundle.h - the run bundle directory and its meta.json
 * (schema besser-verify/meta/1, results/README.md).
 *
 * Paths under /proc, /sys and /usr/lib/modules are read below the prefix in
 * $BESSER_SOAK_SYSROOT when set (tests use a fake tree).
 */
#ifndef SOAK_BUNDLE_H
#define SOAK_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct json_object;

/* "<label>-<yyyymmddThhmmssZ>-<host>" */
void soak_run_id(const char *label, char *buf, size_t len);

/* Create root (if missing) and root/run_id, point root/current at it.
 * Returns 0, or -1 with a message in err. */
int soak_bundle_create(const char *root, const char *run_id, char *dir,
		       size_t dirlen, char *err, size_t errlen);

/* The user pattern file (config "patterns") copied into the bundle; the
 * name `splat summary` looks for (SPLAT_BUNDLE_PATTERNS, splat/bundle.h). */
#define SOAK_PATTERNS_FILE "patterns.conf"

/* Write meta.json at the start of a run (complete=false,
 * incomplete_reason="running"), after copying the pattern file, if any,
 * into the bundle (an unreadable one fails the start). */
int soak_meta_start(const char *dir, const char *run_id,
		    const struct soak_config *c, char *err, size_t errlen);

/* Finalise meta.json: end values, files and their sha256, complete flag.
 * extra (may be NULL) is stored as "soak" (counts from the run).  An
 * already finalised bundle is left alone unless force.  Returns 0 or -1. */
int soak_meta_finalize(const char *dir, bool complete, const char *reason,
		       struct json_object *extra, bool force, char *err,
		       size_t errlen);

/* SHA-256 of a file (OpenSSL's libcrypto) as 64 hex digits and a NUL.
 * Returns 0, or -1 with errno. */
int soak_sha256_file(const char *path, char hex[65]);

/* Write a JSON document atomically (tmp + fsync + rename). */
int soak_write_json_atomic(const char *path, struct json_object *o);

/* /proc/lockdep_stats as an object of numbers, or NULL. */
struct json_object *soak_read_lockdep_stats(void);
/* Lock-debugging options from /proc/config.gz, or NULL. */
struct json_object *soak_read_kconfig(void);
/* boot id, "" if unknown */
void soak_boot_id(char *buf, size_t len);
/* seconds since boot from /proc/uptime, or -1 */
double soak_uptime(void);

#endif
