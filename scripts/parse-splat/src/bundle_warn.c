/* SPDX-License-Identifier: MIT */
/*
 * bundle_warn.c - what a reader of a report or comparison must be told about
 * a bundle's provenance before trusting its numbers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "splat/bundle.h"

const char *splat_bundle_name(const struct splat_bundle *b)
{
	const char *id = splat_jstr(b->meta, "run_id");

	if (id)
		return id;
	const char *slash = strrchr(b->dir, '/');

	return slash && slash[1] ? slash + 1 : b->dir;
}

void splat_summary_read_warnings(struct json_object *summary, const char *side,
				 const char *run, struct json_object *w)
{
	double unrec = splat_jnum(summary, "input.unrecognized_headers", 0);
	struct json_object *boots = splat_jpath(summary, "boots");

	if (unrec > 0)
		splat_json_warn(
			w,
			"%s run %s: %.0f line%s of its kernel log hold%s a "
			"report header (WARNING:/BUG:/INFO:/Oops) that "
			"became no event: a line format or report splat "
			"does not read, so its counts may be too low "
			"(splat scan --strict on the log shows where)",
			side, run, unrec, unrec == 1 ? "" : "s",
			unrec == 1 ? "s" : "");
	for (size_t i = 0; boots && i < json_object_array_length(boots); i++) {
		struct json_object *bt = json_object_array_get_idx(boots, i);
		const char *clock = splat_jstr(bt, "clock");

		if (!clock)
			continue; /* the kernel's uptime */
		splat_json_warn(
			w, "%s run %s, boot %.0f: times from %s", side, run,
			splat_jnum(bt, "index", (double)i),
			!strcmp(clock, "none")
				? "nowhere (the log has none): counts only, "
				  "no exposure"
			: strstr(clock, "first-line")
				? "the wall clock since the boot's first "
				  "line in the log (its start is unknown): "
				  "exposure counts from there"
				: "the wall clock since the boot's start "
				  "(no kernel uptime in the log)");
	}
}

void splat_bundle_provenance_warnings(const struct splat_bundle *b,
				      const char *side, struct json_object *w)
{
	const char *rn = splat_bundle_name(b);

	/* how the log was read: before anything is counted from it */
	splat_summary_read_warnings(b->summary, side, rn, w);

	if (b->transcribed) {
		splat_json_warn(
			w,
			"%s run %s is transcribed figures without raw logs (%s): "
			"counts and exposures are as written there, not recomputed "
			"from evidence%s%s",
			side, rn, b->dir,
			splat_jstr(b->meta, "source") ? "; source: " : "",
			splat_jstr(b->meta, "source")
				? splat_jstr(b->meta, "source")
				: "");
		return;
	}
	if (!b->meta) {
		splat_json_warn(
			w, "%s run %s has no meta.json: provenance unknown",
			side, rn);
		return;
	}
	static const struct {
		const char *path, *what;
	} need[] = {
		{"kernel.release", "kernel release"},
		{"driver.srcversion", "driver srcversion"},
		{"lockdep_stats.start", "lockdep state at start"},
		{"lockdep_stats.end", "lockdep state at end"},
		{"kconfig", "kernel config"},
		{"series.hash", "patch series hash"},
	};
	char missing[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!splat_jpath(b->meta, need[i].path)) {
			int n = snprintf(missing + used, sizeof(missing) - used,
					 "%s%s", used ? ", " : "",
					 need[i].what);
			if (n > 0 && used + (size_t)n < sizeof(missing))
				used += (size_t)n;
		}
	if (used)
		splat_json_warn(w, "%s run %s: missing provenance: %s", side,
				rn, missing);
	if (splat_jpath(b->meta, "complete") &&
	    !splat_jnum(b->meta, "complete", 1))
		splat_json_warn(
			w,
			"%s run %s is incomplete (%s): its exposure is what the "
			"log shows",
			side, rn,
			splat_jstr(b->meta, "incomplete_reason")
				? splat_jstr(b->meta, "incomplete_reason")
				: "no reason recorded");
	if (!b->recomputed)
		splat_json_warn(
			w,
			"%s run %s: summary taken as stored, not recomputed "
			"from kmsg.raw",
			side, rn);
}
