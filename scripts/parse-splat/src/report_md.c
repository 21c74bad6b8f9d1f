/* SPDX-License-Identifier: MIT */
/*
 * report_md.c - report.md for run bundles (report.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "md.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/fleet.h"
#include "splat/report.h"
#include "splat/stats.h"

static void str_or(FILE *out, const char *s, const char *dflt)
{
	splat_md_text(out, s ? s : dflt);
}

static void rate_ci(FILE *out, double k, double t, double conf)
{
	double lo, hi;

	if (!(t > 0)) {
		fputs("– | –", out);
		return;
	}
	splat_poisson_mean_ci((uint64_t)k, conf, &lo, &hi);
	fprintf(out, "%s/h | %s–%s/h", splat_md_num(k / t),
		splat_md_num(lo / t), splat_md_num(hi / t));
	if (k == 0)
		fprintf(out, " (≤ %s/h one-sided)",
			splat_md_num(splat_poisson_mean_upper(0, conf) / t));
}

static void provenance(FILE *out, const struct splat_bundle *b)
{
	const struct json_object *m = b->meta;
	char hb[32];

	fputs("#### Provenance\n\n| | |\n|---|---|\n", out);
	if (b->transcribed) {
		fputs("| **transcribed** | figures copied from a write-up, no raw "
		      "logs: not recomputable |\n| source | ",
		      out);
		str_or(out, splat_jstr(m, "source"), "unknown");
		fputs(" |\n", out);
	}
	fputs("| label | ", out);
	str_or(out, splat_jstr(m, "label"), "unknown");
	fputs(" |\n| host | ", out);
	str_or(out, splat_jstr(m, "host"), "unknown");
	fputs(" |\n| kernel | ", out);
	if (splat_jstr(m, "kernel.release"))
		splat_md_code(out, splat_jstr(m, "kernel.release"));
	else
		fputs("unknown", out);
	if (splat_jstr(m, "kernel.version")) {
		fputs(" ", out);
		splat_md_text(out, splat_jstr(m, "kernel.version"));
	}
	fputs(" |\n| CONFIG_PROVE_LOCKING | ", out);
	str_or(out, splat_jstr(m, "kconfig.CONFIG_PROVE_LOCKING"), "unknown");
	fputs(" |\n| lockdep at start / end | ", out);
	for (int i = 0; i < 2; i++) {
		double dl = splat_jnum(m,
				       i ? "lockdep_stats.end.debug_locks"
					 : "lockdep_stats.start.debug_locks",
				       -1);

		fputs(i ? " / " : "", out);
		fputs(dl < 0 ? "unknown"
		      : dl   ? "on (debug_locks 1)"
			     : "**off** (debug_locks 0)",
		      out);
	}
	fputs(" |\n| driver | ", out);
	str_or(out, splat_jstr(m, "driver.module"), "unknown");
	fputs(" srcversion ", out);
	if (splat_jstr(m, "driver.srcversion"))
		splat_md_code(out, splat_jstr(m, "driver.srcversion"));
	else
		fputs("unknown", out);
	fputs(" |\n| patch series | ", out);
	if (splat_jstr(m, "series.hash"))
		splat_md_code(out, splat_jstr(m, "series.hash"));
	else
		fputs("unknown", out);
	fputs(" |\n| start → end | ", out);
	str_or(out, splat_jstr(m, "start.wall"), "?");
	fputs(" → ", out);
	str_or(out, splat_jstr(m, "end.wall"), "?");
	fputs(" |\n| complete | ", out);
	if (!splat_jpath(m, "complete"))
		fputs("unknown", out);
	else if (splat_jnum(m, "complete", 0))
		fputs("yes", out);
	else {
		fputs("**no**: ", out);
		str_or(out, splat_jstr(m, "incomplete_reason"), "no reason");
	}
	double obs = 0;
	struct json_object *boots = splat_jarr(b->summary, "boots");

	for (size_t i = 0; boots && i < json_object_array_length(boots); i++)
		obs += splat_jnum(json_object_array_get_idx(boots, i),
				  "observed_h", 0);
	fprintf(out, " |\n| boots / observed | %zu / %s |\n",
		boots ? json_object_array_length(boots) : 0,
		splat_format_hours(obs, hb, sizeof(hb)));
	fprintf(out, "| numbers | %s |\n",
		b->recomputed ? "recomputed from `kmsg.raw` and `ops.jsonl`"
			      : "from the stored `summary.json`");
	struct json_object *files = splat_jpath(m, "files");

	if (files && json_object_get_type(files) == json_type_object) {
		json_object_object_foreach(files, name, h)
		{
			fputs("| ", out);
			splat_md_code(out, name);
			fputs(" | ", out);
			splat_md_code(out, json_object_get_string(h));
			fputs(" |\n", out);
		}
	}
	fputs("\n", out);
}

static void workload(FILE *out, const struct splat_bundle *b)
{
	struct json_object *ops = splat_jpath(b->summary, "ops");
	struct json_object *kinds = splat_jpath(ops, "kinds");
	static const char *const oc[] = {"ok", "busy", "refused", "failed",
					 "timeout"};

	fputs("#### Workload\n\n", out);
	if (!ops || !kinds || splat_jnum(ops, "total", 0) <= 0) {
		fputs("No workload record (`ops.jsonl` missing or empty).\n\n",
		      out);
		return;
	}
	fprintf(out, "%lld operations (%s/h), %lld scans (%s/h)",
		(long long)splat_jnum(ops, "total", 0),
		splat_md_num(splat_jnum(ops, "per_h", NAN)),
		(long long)splat_jnum(ops, "scans", 0),
		splat_md_num(splat_jnum(ops, "scans_per_h", NAN)));
	if (splat_jnum(ops, "bad_lines", 0) > 0)
		fprintf(out, "; %lld unreadable lines in `ops.jsonl`",
			(long long)splat_jnum(ops, "bad_lines", 0));
	fputs(".\n\n| operation | count | per h | ok | busy (EBUSY) | refused "
	      "(EOPNOTSUPP) | failed | timeout | other | succeeded |\n"
	      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
	      out);
	struct json_object *shares = splat_ops_shares(kinds);

	json_object_object_foreach(kinds, name, k)
	{
		double other = splat_jnum(k, "count", 0);
		struct json_object *sh = NULL;

		fputs("| ", out);
		splat_md_code(out, name);
		fprintf(out, " | %lld | %s",
			(long long)splat_jnum(k, "count", 0),
			splat_md_num(splat_jnum(k, "per_h", NAN)));
		for (int i = 0; i < 5; i++) {
			char path[64];

			snprintf(path, sizeof(path), "outcomes.%s", oc[i]);
			double n = splat_jnum(k, path, 0);

			other -= n;
			fprintf(out, " | %lld", (long long)n);
		}
		fprintf(out, " | %lld | ", (long long)other);
		json_object_object_get_ex(shares, name, &sh);
		if (splat_jpath(sh, "succeeded_share"))
			fprintf(out, "%.0f %%",
				splat_jnum(sh, "succeeded_share", 0) * 100.0);
		else
			fputs("–", out);
		fputs(splat_op_claim(name) ? " (claim) |\n" : " |\n", out);
	}
	json_object_put(shares);
	fputs("\nSucceeded: `ok` or `refused` (the patched driver's answer) of "
	      "the operations performed (`busy` is deferred, not performed). "
	      "(claim): a kind the claim depends on; a warning above says when "
	      "too many of them failed. Probes are the `probe-*` operations "
	      "above.\n\n",
	      out);
}

/* One element of a detail array: a lock {"role","class","site"} as
 * "role `class` at `site`", another object as compact JSON. */
static void detail_elem(FILE *out, struct json_object *e)
{
	if (json_object_get_type(e) == json_type_object &&
	    splat_jstr(e, "class")) {
		if (splat_jstr(e, "role"))
			fprintf(out, "%s ", splat_jstr(e, "role"));
		splat_md_code(out, splat_jstr(e, "class"));
		if (splat_jstr(e, "usage")) {
			fputs(" ", out);
			splat_md_code(out, splat_jstr(e, "usage"));
		}
		if (splat_jstr(e, "site")) {
			fputs(" at ", out);
			splat_md_code(out, splat_jstr(e, "site"));
		}
		return;
	}
	splat_md_code(
		out,
		json_object_get_type(e) == json_type_string
			? json_object_get_string(e)
			: json_object_to_json_string_ext(
				  e, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void report_detail(FILE *out, const struct json_object *r)
{
	/* the analyzer's details: the short members and the arrays (locks,
	 * sites, frames); not the raw lines nor what the heading shows */
	json_object_object_foreach((struct json_object *)r, key, v)
	{
		static const char *const skip[] = {
			"type",	     "title",
			"signature", "kind",
			"ts_usec",   "boot",
			"seq",	     "count",
			"lines",     "raw",
			"text",	     "uptime",
			"corrupted", "disables_lockdep",
			"caller",    NULL};
		int s = 0;

		for (int i = 0; skip[i]; i++)
			s |= !strcmp(key, skip[i]);
		if (s || !v)
			continue;
		enum json_type t = json_object_get_type(v);

		if (t == json_type_array) {
			size_t n = json_object_array_length(v);
			int locks =
				n && splat_jstr(json_object_array_get_idx(v, 0),
						"class") != NULL;

			if (!n)
				continue;
			fprintf(out, "  - %s: ", key);
			for (size_t i = 0; i < n && i < 8; i++) {
				fputs(i ? (locks ? "; " : ", ") : "", out);
				detail_elem(out,
					    json_object_array_get_idx(v, i));
			}
			if (n > 8)
				fprintf(out, ", … (%zu)", n);
			fputs("\n", out);
		} else if (t == json_type_string || t == json_type_boolean ||
			   t == json_type_int || t == json_type_double ||
			   t == json_type_object) {
			fprintf(out, "  - %s: ", key);
			detail_elem(out, v);
			fputs("\n", out);
		}
	}
}

static void lockdep(FILE *out, const struct splat_bundle *b, double conf)
{
	struct json_object *ld = splat_jpath(b->summary, "lockdep");
	struct json_object *boots = splat_jarr(b->summary, "boots");
	struct json_object *sigs = splat_jarr(ld, "signatures");
	double k = splat_jnum(ld, "boots_with_report", 0);
	double t = splat_jnum(ld, "exposure_h", 0);
	char hb[32];

	fputs("#### Lockdep\n\n", out);
	fprintf(out,
		"%lld of %lld boots with a report in %s of lockdep-active "
		"uptime (time to first report, one per boot).\n\n"
		"| reports | lockdep-active | rate | %.0f%% exact interval |\n"
		"|---:|---:|---:|---|\n| %lld | %s | ",
		(long long)k, (long long)splat_jnum(ld, "boots", 0),
		splat_format_hours(t, hb, sizeof(hb)), conf * 100, (long long)k,
		hb);
	rate_ci(out, k, t, conf);
	fputs(" |\n\n", out);
	if (sigs && json_object_array_length(sigs)) {
		fputs("| kind | title | signature | count | boots | first at |\n"
		      "|---|---|---|---:|---|---:|\n",
		      out);
		for (size_t i = 0; i < json_object_array_length(sigs); i++) {
			struct json_object *s =
				json_object_array_get_idx(sigs, i);
			struct json_object *bl = splat_jarr(s, "boots");

			fputs("| ", out);
			splat_md_code(out, splat_jstr(s, "kind"));
			fputs(" | ", out);
			str_or(out, splat_jstr(s, "title"), "?");
			fputs(" | ", out);
			splat_md_code(out, splat_jstr(s, "signature"));
			fprintf(out, " | %lld | ",
				(long long)splat_jnum(s, "count", 0));
			for (size_t j = 0;
			     bl && j < json_object_array_length(bl); j++)
				fprintf(out, "%s%d", j ? ", " : "",
					json_object_get_int(
						json_object_array_get_idx(bl,
									  j)));
			fprintf(out, " | %.0f s |\n",
				splat_jnum(s, "first_usec", 0) / 1e6);
		}
		fputs("\n", out);
	}
	size_t nrep = json_object_array_length(b->reports);

	if (nrep) {
		fputs("Reports as recognised (locks, first sites):\n\n", out);
		for (size_t i = 0; i < nrep; i++) {
			struct json_object *r =
				json_object_array_get_idx(b->reports, i);

			fprintf(out, "- boot %lld at %.3f s: **",
				(long long)splat_jnum(r, "boot", 0),
				splat_jnum(r, "ts_usec", 0) / 1e6);
			str_or(out, splat_jstr(r, "title"), "?");
			fputs("** (", out);
			splat_md_code(out, splat_jstr(r, "kind"));
			fputs(splat_jnum(r, "corrupted", 0) ? ", corrupted)\n"
							    : ")\n",
			      out);
			report_detail(out, r);
		}
		fputs("\n", out);
	}
	fputs("| boot | boot id | observed | lockdep-active | ends with |\n"
	      "|---:|---|---:|---:|---|\n",
	      out);
	for (size_t i = 0; boots && i < json_object_array_length(boots); i++) {
		struct json_object *bt = json_object_array_get_idx(boots, i);
		struct json_object *f = splat_jpath(bt, "first_report");
		struct json_object *off = splat_jpath(bt, "lockdep_off");
		char h2[32];

		fprintf(out, "| %zu | ", i);
		if (splat_jstr(bt, "boot_id"))
			splat_md_code(out, splat_jstr(bt, "boot_id"));
		else
			fputs("–", out);
		fprintf(out, " | %s | %s | ",
			splat_format_hours(splat_jnum(bt, "observed_h", 0), hb,
					   sizeof(hb)),
			splat_format_hours(
				splat_jnum(bt, "lockdep_active_h", 0), h2,
				sizeof(h2)));
		if (f) {
			fputs("report: ", out);
			str_or(out, splat_jstr(f, "title"), "?");
			fprintf(out, " at %.0f s",
				splat_jnum(f, "usec", 0) / 1e6);
		} else if (off) {
			fputs("**lockdep off without a report**: ", out);
			str_or(out, splat_jstr(off, "reason"), "?");
			fprintf(out, " at %.0f s",
				splat_jnum(off, "usec", 0) / 1e6);
		} else {
			fputs("end of log, lockdep on", out);
		}
		fputs(" |\n", out);
	}
	fputs("\n", out);
}

static void patterns(FILE *out, const struct splat_bundle *b, double conf)
{
	struct json_object *pats = splat_jarr(b->summary, "patterns");
	char hb[32];

	fputs("#### Patterns\n\n", out);
	if (!pats || !json_object_array_length(pats)) {
		fputs("No pattern counted.\n\n", out);
		return;
	}
	fprintf(out,
		"| pattern | count | exposure | rate | %.0f%% exact interval | "
		"per 1000 scans | lines / pairs / suppressed added |\n"
		"|---|---:|---:|---:|---|---:|---|\n",
		conf * 100);
	for (size_t i = 0; i < json_object_array_length(pats); i++) {
		struct json_object *p = json_object_array_get_idx(pats, i);
		const char *name = splat_jstr(p, "name");
		double k = splat_jnum(p, "count", 0);
		double t = splat_jnum(p, "exposure_h", 0);

		fputs("| ", out);
		splat_md_code(out, name);
		fprintf(out, " | %lld | %s | ", (long long)k,
			splat_format_hours(t, hb, sizeof(hb)));
		rate_ci(out, k, t, conf);
		/* a pattern name may hold dots: look it up, not by path */
		struct json_object *op =
			splat_jpath(b->summary, "ops.patterns");
		struct json_object *e = NULL;

		if (op && name)
			json_object_object_get_ex(op, name, &e);
		if (e && splat_jpath(e, "per_1000_scans"))
			fprintf(out, " | %s",
				splat_md_num(
					splat_jnum(e, "per_1000_scans", 0)));
		else
			fputs(" | –", out);
		fprintf(out, " | %lld / %lld / %lld |\n",
			(long long)splat_jnum(p, "lines", 0),
			(long long)splat_jnum(p, "pairs", 0),
			(long long)splat_jnum(p, "suppressed_added", 0));
	}
	fputs("\n", out);
	struct json_object *bugs = splat_jarr(b->summary, "bugs");

	if (bugs && json_object_array_length(bugs)) {
		fputs("Other kernel warnings (not lockdep):\n\n| kind | title | "
		      "count |\n|---|---|---:|\n",
		      out);
		for (size_t i = 0; i < json_object_array_length(bugs); i++) {
			struct json_object *g =
				json_object_array_get_idx(bugs, i);

			fputs("| ", out);
			splat_md_code(out, splat_jstr(g, "kind"));
			fputs(" | ", out);
			str_or(out, splat_jstr(g, "title"), "?");
			fprintf(out, " | %lld |\n",
				(long long)splat_jnum(g, "count", 0));
		}
		fputs("\n", out);
	}
}

static void run_warnings(const struct splat_bundle *b, double max_fail,
			 struct json_object *w)
{
	struct json_object *boots = splat_jarr(b->summary, "boots");
	char buf[512];
	double lost = splat_jnum(b->summary, "lost", 0);
	struct json_object *ops = splat_jpath(b->summary, "ops");

	splat_bundle_provenance_warnings(b, "run", w);
	if (ops && splat_jnum(ops, "total", 0) > 0) {
		struct json_object *sh =
			splat_ops_shares(splat_jpath(ops, "kinds"));

		splat_ops_failure_warnings(sh, "workload", max_fail, w);
		json_object_put(sh);
	}
	if (lost > 0) {
		snprintf(buf, sizeof(buf),
			 "%lld kmsg records were lost (overwritten before they "
			 "were read): events in the gaps are not counted",
			 (long long)lost);
		json_object_array_add(w, json_object_new_string(buf));
	}
	for (size_t i = 0; boots && i < json_object_array_length(boots); i++) {
		struct json_object *bt = json_object_array_get_idx(boots, i);
		struct json_object *off = splat_jpath(bt, "lockdep_off");
		const char *reason = splat_jstr(off, "reason");

		if (off && !splat_jpath(bt, "first_report") && reason &&
		    strcmp(reason, "report")) {
			snprintf(buf, sizeof(buf),
				 "boot %zu: lockdep turned itself off (%s) at "
				 "%.0f s without a report: a zero after that "
				 "point means nothing; exposure stops there",
				 i, reason, splat_jnum(off, "usec", 0) / 1e6);
			json_object_array_add(w, json_object_new_string(buf));
		}
	}
	if (splat_jnum(b->meta, "lockdep_stats.end.debug_locks", -1) == 0 &&
	    boots && json_object_array_length(boots)) {
		struct json_object *last = json_object_array_get_idx(
			boots, json_object_array_length(boots) - 1);

		if (!splat_jpath(last, "first_report") &&
		    !splat_jpath(last, "lockdep_off"))
			json_object_array_add(
				w,
				json_object_new_string(
					"lockdep was off at the end (debug_locks "
					"0) but the log shows no report or "
					"turn-off: the last boot's negative is "
					"not trustworthy"));
	}
	if (boots && json_object_array_length(boots) > 1) {
		snprintf(
			buf, sizeof(buf),
			"the run spans %zu boots (rebooted mid-run): rates use "
			"each boot's own exposure",
			json_object_array_length(boots));
		json_object_array_add(w, json_object_new_string(buf));
	}
}

/* Runs from more than one device: the per-device table (fleet.h), one
 * row per device and label, and the warnings when the devices of a label
 * ran different kernels or workloads. */
/* "#### HEADING" and the warnings as a list; nothing when there are none. */
static void warnings_md(FILE *out, const char *heading,
			const struct json_object *w)
{
	size_t n = json_object_array_length(w);

	if (!n)
		return;
	fprintf(out, "#### %s\n\n", heading);
	for (size_t j = 0; j < n; j++) {
		fputs("- ", out);
		splat_md_text(out, json_object_get_string(
					   json_object_array_get_idx(w, j)));
		fputs("\n", out);
	}
	fputs("\n", out);
}

static void fleet_section(FILE *out, struct splat_bundle *const *b, size_t n)
{
	struct json_object *labels = json_object_new_object();
	struct json_object *runs[64];
	const char *names[64];
	size_t nl = 0;

	for (size_t i = 0; i < n; i++) {
		const char *l = splat_jstr(b[i]->meta, "label");
		struct json_object *a;

		l = l ? l : "run";
		if (!json_object_object_get_ex(labels, l, &a)) {
			a = json_object_new_array();
			json_object_object_add(labels, l, a);
		}
		json_object_array_add(a, splat_compare_run(b[i], l));
	}
	/* in order of first appearance; names point into the keys */
	json_object_object_foreach(labels, key, v)
	{
		if (nl == sizeof(runs) / sizeof(runs[0]))
			break;
		runs[nl] = v;
		names[nl++] = key;
	}
	struct json_object *rows = splat_fleet_rows(runs, nl);
	struct json_object *w = json_object_new_array();
	struct json_object *devs =
		splat_fleet_devices(runs, names, nl, rows, 0.25, false, w);

	if (splat_fleet_count(devs) > 1) {
		warnings_md(out, "Device warnings", w);
		splat_fleet_markdown(out, devs, rows, "label");
	}
	json_object_put(devs);
	json_object_put(w);
	json_object_put(rows);
	json_object_put(labels);
}

void splat_report_markdown(FILE *out, struct splat_bundle *const *b, size_t n,
			   double confidence, const char *svg_name)
{
	splat_report_markdown_ex(out, b, n, confidence, SPLAT_MAX_OP_FAILURE,
				 svg_name);
}

void splat_report_markdown_ex(FILE *out, struct splat_bundle *const *b,
			      size_t n, double confidence,
			      double max_op_failure, const char *svg_name)
{
	if (!(max_op_failure > 0))
		max_op_failure = SPLAT_MAX_OP_FAILURE;
	fputs("## Soak report (splat report)\n\n", out);
	if (n > 1)
		fleet_section(out, b, n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *w = json_object_new_array();

		run_warnings(b[i], max_op_failure, w);
		fputs("### Run ", out);
		splat_md_code(out, splat_bundle_name(b[i]));
		fputs("\n\n", out);
		warnings_md(out, "Warnings", w);
		json_object_put(w);
		provenance(out, b[i]);
		workload(out, b[i]);
		lockdep(out, b[i], confidence);
		patterns(out, b[i], confidence);
		fprintf(out, "#### Lost kmsg records\n\n%lld\n\n",
			(long long)splat_jnum(b[i]->summary, "lost", 0));
	}
	if (svg_name)
		fprintf(out,
			"### Timeline\n\n![cumulative events over uptime per "
			"boot, workload beneath](%s)\n\n",
			svg_name);
	fputs("<sub>Generated by `splat report` from the run bundles' raw "
	      "files; `splat verify RUN` checks them.</sub>\n",
	      out);
}
