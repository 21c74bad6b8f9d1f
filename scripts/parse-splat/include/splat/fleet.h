/* SPDX-License-Identifier: MIT */
/*
 * fleet.h - bundles from many devices: the per-device table of `splat
 * compare` and `splat report`, and the warnings when the devices of one
 * side did not run the same thing.
 *
 * Input are run records as splat_compare() writes them into
 * doc.{before,after}.runs (splat_compare_run() makes one for a bundle):
 * each names its device (splat_bundle_device), kernel release and build
 * (kernel, kernel_version), workload configuration (config_hash), boots,
 * observed and lockdep-active hours, operations, first lockdep reports in
 * all (lockdep_reports) and per signature (signatures), and per pattern
 * {count, exposure_h} (patterns), all counted as the pooled side counts
 * them: a device's numbers of one side add up to the side's.
 */
#ifndef SPLAT_FLEET_H
#define SPLAT_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;
struct splat_bundle;

/* The record splat_compare() keeps for bundle b in doc.SIDE.runs (new
 * object; its warnings are dropped). */
struct json_object *splat_compare_run(const struct splat_bundle *b,
				      const char *side);

/* One entry per (device, side), in order of first appearance: {device,
 * device_source, hosts, side, runs, boots, observed_h, lockdep_h, ops,
 * ops_per_h (null: a run without operations), kernels ["release build"],
 * config_hashes, rows [{type, name, count, exposure_h, rate_per_h}]}.
 * rows: the rows to count ({type, name}: "lockdep" counts every first
 * report, "lockdep-signature" those of the signature name, "pattern" the
 * pattern name).  Warnings (appended to warnings, when the runs come from
 * more than one device): devices of one side with different kernel
 * releases or builds, different workload configurations, or operations per
 * hour whose largest and smallest differ by more than tol (relative); with
 * cross_sides (before/after), a device (other than a "run:" one) that ran
 * on one side only. */
struct json_object *splat_fleet_devices(struct json_object *const *runs,
					const char *const *sides, size_t nsides,
					const struct json_object *rows,
					double tol, bool cross_sides,
					struct json_object *warnings);

/* How many distinct devices the entries of splat_fleet_devices name. */
size_t splat_fleet_count(const struct json_object *devices);

/* The rows to count for runs without a comparison (splat report): lockdep,
 * each signature, each pattern the runs name. */
struct json_object *splat_fleet_rows(struct json_object *const *runs,
				     size_t nsides);

/* The per-device table (Markdown): device, side, runs, boots, observed,
 * lockdep-active, ops/h, kernel, then per row count and rate. */
void splat_fleet_markdown(FILE *out, const struct json_object *devices,
			  const struct json_object *rows, const char *side_hdr);

#endif
