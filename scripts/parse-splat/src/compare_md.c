/* SPDX-License-Identifier: MIT */
/*
 * compare_md.c - render a compare document as Markdown that pastes into a
 * Gitea/GitHub issue: warnings, then the verdict, predictions, the rate
 * table, runs and the per-boot lockdep table.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "md.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/fleet.h"

static void cell_counts(FILE *out, const struct json_object *c)
{
	char hb[32];

	fprintf(out, "%lld in %s", (long long)splat_jnum(c, "count", 0),
		splat_format_hours(splat_jnum(c, "exposure_h", 0), hb,
				   sizeof(hb)));
}

static void cell_rate(FILE *out, const struct json_object *c)
{
	struct json_object *ci = splat_jpath(c, "ci");

	if (!ci) {
		fputs("–", out);
		return;
	}
	fprintf(out, "%s/h (", splat_md_num(splat_jnum(c, "rate_per_h", 0)));
	fprintf(out, "%s–",
		splat_md_num(json_object_get_double(
			json_object_array_get_idx(ci, 0))));
	fprintf(out, "%s/h)",
		splat_md_num(json_object_get_double(
			json_object_array_get_idx(ci, 1))));
	if (splat_jpath(c, "per_1000_scans"))
		fprintf(out, "; %s/1000 scans",
			splat_md_num(splat_jnum(c, "per_1000_scans", 0)));
}

/* The always-valid sequential verdict, and which verdict the exit code
 * follows when the two differ. */
static void sequential_line(FILE *out, const struct json_object *cmp)
{
	struct json_object *sq = splat_jpath(cmp, "sequential");
	const char *sv = sq ? splat_jstr(sq, "verdict") : NULL;
	const char *follows = splat_jstr(cmp, "exit_follows");
	char hb[32], rb[32];

	if (!sv)
		return;
	fprintf(out, "**Sequential verdict: %s", sv);
	if (!strcmp(sv, "continue")) {
		double f = splat_jnum(sq, "to_fixed_h", INFINITY);
		double m = splat_jnum(sq, "expected_remaining_h", NAN);

		if (isfinite(f))
			fprintf(out, " — fixed after %s more if no event comes",
				splat_format_hours(f, hb, sizeof(hb)));
		else
			fputs(" — no after soak alone can reach fixed", out);
		if (isfinite(m))
			fprintf(out,
				"; expected %s more if the fix does "
				"nothing",
				splat_format_hours(m, rb, sizeof(rb)));
	}
	fputs("** (always valid: may be looked at as the after run grows, "
	      "the false-fixed rate stays at most 1 − confidence)",
	      out);
	if (!splat_jnum(cmp, "verdicts_agree", 1))
		fprintf(out,
			". The two verdicts differ: the exit code follows "
			"the %s one%s",
			follows ? follows : "fixed-sample",
			follows && !strcmp(follows, "sequential")
				? ""
				: " (`--sequential` makes the sequential one "
				  "decide)");
	else if (follows && !strcmp(follows, "sequential"))
		fputs("; the exit code follows it", out);
	fputs(".\n\n", out);
}

static void verdict_line(FILE *out, const struct json_object *cmp)
{
	const char *v = splat_jstr(cmp, "verdict");
	char hb[32];

	fprintf(out, "**Verdict: %s", v);
	if (!strcmp(v, "inconclusive")) {
		double m = splat_jnum(cmp, "more_hours", INFINITY);

		if (isfinite(m))
			fprintf(out, " — soak at least %s more",
				splat_format_hours(m, hb, sizeof(hb)));
		else
			fputs(" — no soak length can decide this (no events "
			      "before)",
			      out);
	}
	fprintf(out, "** (%.0f%% confidence",
		splat_jnum(cmp, "confidence", 0.95) * 100);
	struct json_object *cov = splat_jpath(cmp, "verdict_covers");

	if (cov && json_object_array_length(cov)) {
		fputs("; covers ", out);
		for (size_t i = 0; i < json_object_array_length(cov); i++) {
			fputs(i ? ", " : "", out);
			splat_md_code(out, json_object_get_string(
						   json_object_array_get_idx(
							   cov, i)));
		}
	}
	fputs(")\n\n", out);
	sequential_line(out, cmp);
}

static void runs_table(FILE *out, const struct json_object *cmp)
{
	static const char *const sides[] = {"before", "after"};
	char h1[32], h2[32];

	fputs("### Runs\n\n| side | run | kernel | driver srcversion | boots | "
	      "observed | lockdep-active | ops | lost records |\n"
	      "|---|---|---|---|---:|---:|---:|---:|---:|\n",
	      out);
	for (int s = 0; s < 2; s++) {
		struct json_object *runs =
			splat_jpath(splat_jpath(cmp, sides[s]), "runs");

		for (size_t i = 0; runs && i < json_object_array_length(runs);
		     i++) {
			struct json_object *r =
				json_object_array_get_idx(runs, i);

			fprintf(out, "| %s | ", sides[s]);
			splat_md_code(out, splat_jstr(r, "run"));
			if (splat_jnum(r, "transcribed", 0))
				fputs(" (transcribed, no raw logs)", out);
			fputs(" | ", out);
			splat_md_text(out, splat_jstr(r, "kernel")
						   ? splat_jstr(r, "kernel")
						   : "unknown");
			fputs(" | ", out);
			splat_md_text(out, splat_jstr(r, "srcversion")
						   ? splat_jstr(r, "srcversion")
						   : "unknown");
			fprintf(out, " | %lld | %s | %s | ",
				(long long)splat_jnum(r, "boots", 0),
				splat_format_hours(
					splat_jnum(r, "observed_h", 0), h1,
					sizeof(h1)),
				splat_format_hours(
					splat_jnum(r, "lockdep_h", 0), h2,
					sizeof(h2)));
			if (splat_jpath(r, "ops"))
				fprintf(out, "%lld",
					(long long)splat_jnum(r, "ops", 0));
			else
				fputs("unknown", out);
			fprintf(out, " | %lld |\n",
				(long long)splat_jnum(r, "lost", 0));
		}
	}
	fputs("\n", out);
	for (int s = 0; s < 2; s++) {
		struct json_object *sd = splat_jpath(cmp, sides[s]);

		if (splat_jpath(sd, "ops_per_h"))
			fprintf(out, "Workload %s: %s ops/h, %s scans/h.  \n",
				sides[s],
				splat_md_num(splat_jnum(sd, "ops_per_h", 0)),
				splat_md_num(splat_jnum(sd, "scans_per_h", 0)));
	}
	fputs("\n", out);
}

static void share_cell(FILE *out, const struct json_object *e)
{
	if (!e) {
		fputs("–", out);
		return;
	}
	double perf = splat_jnum(e, "performed", 0);
	double succ = splat_jnum(e, "ok", 0) + splat_jnum(e, "refused", 0);

	if (perf > 0)
		fprintf(out, "%.0f of %.0f (%.0f %%)", succ, perf,
			succ / perf * 100.0);
	else
		fputs("none performed", out);
	if (splat_jnum(e, "refused", 0) > 0)
		fprintf(out, ", %.0f refused", splat_jnum(e, "refused", 0));
	if (splat_jnum(e, "busy", 0) > 0)
		fprintf(out, ", +%.0f busy", splat_jnum(e, "busy", 0));
}

/* Per operation kind, the share that succeeded on each side; the kinds a
 * claim depends on first. */
static void ops_table(FILE *out, const struct json_object *cmp)
{
	struct json_object *kb = splat_jpath(cmp, "before.ops_by_kind");
	struct json_object *ka = splat_jpath(cmp, "after.ops_by_kind");
	struct json_object *names = json_object_new_object();

	if (kb) {
		json_object_object_foreach(kb, n1, v1)
		{
			(void)v1;
			json_object_object_add(names, n1, NULL);
		}
	}
	if (ka) {
		json_object_object_foreach(ka, n2, v2)
		{
			(void)v2;
			if (!json_object_object_get_ex(names, n2, NULL))
				json_object_object_add(names, n2, NULL);
		}
	}
	if (!json_object_object_length(names)) {
		json_object_put(names);
		return;
	}
	fprintf(out,
		"### Workload by operation\n\nSucceeded: `ok`, or `refused` "
		"(EOPNOTSUPP, the patched driver's answer), of the operations "
		"performed (`busy`, EBUSY, is deferred, not performed). A kind "
		"the claim needs warns above the verdict when more than %.0f %% "
		"failed.\n\n| operation | before: succeeded | after: succeeded "
		"| the claim needs it for |\n|---|---:|---:|---|\n",
		splat_jnum(cmp, "max_op_failure", 0.2) * 100.0);
	for (int pass = 0; pass < 2; pass++) {
		json_object_object_foreach(names, name, v)
		{
			(void)v;
			const char *claim = splat_op_claim(name);
			struct json_object *eb = NULL, *ea = NULL;

			if ((pass == 0) != (claim != NULL))
				continue;
			if (kb)
				json_object_object_get_ex(kb, name, &eb);
			if (ka)
				json_object_object_get_ex(ka, name, &ea);
			fputs("| ", out);
			splat_md_code(out, name);
			fputs(" | ", out);
			share_cell(out, eb);
			fputs(" | ", out);
			share_cell(out, ea);
			fputs(" | ", out);
			splat_md_text(out, claim ? claim : "–");
			fputs(" |\n", out);
		}
	}
	fputs("\n", out);
	json_object_put(names);
}

static void boots_table(FILE *out, const struct json_object *cmp)
{
	static const char *const sides[] = {"before", "after"};
	char hb[32];

	fputs("### Lockdep: time to first report, per boot\n\n"
	      "Each boot contributes at most one report (lockdep turns itself "
	      "off after the first) and its lockdep-active time: from its first "
	      "record to the first report, turn-off or Oops, else to its last "
	      "record.\n\n"
	      "| side | run | boot | lockdep-active | first report | at | "
	      "ends with |\n|---|---|---:|---:|---|---:|---|\n",
	      out);
	for (int s = 0; s < 2; s++) {
		struct json_object *boots =
			splat_jpath(splat_jpath(cmp, sides[s]), "boots");

		for (size_t i = 0; boots && i < json_object_array_length(boots);
		     i++) {
			struct json_object *b =
				json_object_array_get_idx(boots, i);
			struct json_object *f = splat_jpath(b, "first_report");

			fprintf(out, "| %s | ", sides[s]);
			splat_md_code(out, splat_jstr(b, "run"));
			fprintf(out, " | %lld | %s | ",
				(long long)splat_jnum(b, "boot", 0),
				splat_format_hours(
					splat_jnum(b, "lockdep_h", 0), hb,
					sizeof(hb)));
			if (f) {
				splat_md_text(out,
					      splat_jstr(f, "title")
						      ? splat_jstr(f, "title")
						      : "?");
				fprintf(out, " | %.0f s",
					splat_jnum(f, "usec", 0) / 1e6);
			} else {
				fputs("none | –", out);
			}
			fputs(" | ", out);
			splat_md_text(out, splat_jstr(b, "censored_by"));
			fputs(" |\n", out);
		}
	}
	fputs("\n", out);
}

/* A row's sequential verdict: the verdict, when it was decided, or what
 * the soak still needs. */
static void seq_cell(FILE *out, const struct json_object *sq)
{
	const char *v = sq ? splat_jstr(sq, "verdict") : NULL;
	char hb[32];

	if (!v) {
		fputs("–", out);
		return;
	}
	fprintf(out, "%s", v);
	if (splat_jpath(sq, "decided_at_h"))
		fprintf(out, " at %s",
			splat_format_hours(splat_jnum(sq, "decided_at_h", 0),
					   hb, sizeof(hb)));
	else if (!strcmp(v, "continue") &&
		 isfinite(splat_jnum(sq, "to_fixed_h", INFINITY)))
		fprintf(out, " (fixed in %s if no event)",
			splat_format_hours(splat_jnum(sq, "to_fixed_h", 0), hb,
					   sizeof(hb)));
	fprintf(out, "; tolerance %s",
		splat_md_num(splat_jnum(sq, "tolerance", 0)));
	if (splat_jstr(sq, "note")) {
		fputs(" (", out);
		splat_md_text(out, splat_jstr(sq, "note"));
		fputs(")", out);
	}
}

static void predictions_table(FILE *out, const struct json_object *preds)
{
	if (!preds || !json_object_array_length(preds))
		return;
	fputs("### Predicted vs observed\n\n| prediction | status | why |\n"
	      "|---|---|---|\n",
	      out);
	for (size_t i = 0; i < json_object_array_length(preds); i++) {
		struct json_object *p = json_object_array_get_idx(preds, i);

		fputs("| ", out);
		splat_md_code(out, splat_jstr(p, "text"));
		fprintf(out, " | **%s** | ", splat_jstr(p, "status"));
		splat_md_text(out, splat_jstr(p, "why"));
		if (splat_jpath(p, "before_consistent") &&
		    !splat_jnum(p, "before_consistent", 1))
			fputs("; the observed before rate does not match "
			      "the predicted one",
			      out);
		fputs(" |\n", out);
	}
	fputs("\n", out);
}

void splat_compare_markdown(FILE *out, const struct json_object *cmp)
{
	struct json_object *w = splat_jpath(cmp, "warnings");
	struct json_object *preds = splat_jpath(cmp, "predictions");
	struct json_object *rows = splat_jpath(cmp, "rows");
	double conf = splat_jnum(cmp, "confidence", 0.95);

	fputs("## Before/after comparison (splat compare)\n\n", out);
	if (w && json_object_array_length(w)) {
		fputs("### Warnings\n\n", out);
		for (size_t i = 0; i < json_object_array_length(w); i++) {
			fputs("- ", out);
			splat_md_text(out,
				      json_object_get_string(
					      json_object_array_get_idx(w, i)));
			fputs("\n", out);
		}
		fputs("\n", out);
	}
	verdict_line(out, cmp);

	predictions_table(out, preds);
	fprintf(out,
		"### Rates\n\nExact (Garwood) %.0f%% intervals; p is the exact "
		"conditional test that the after rate is lower (the "
		"fixed-sample verdict). The sequential column is the "
		"always-valid verdict at the same level (lockdep rows as "
		"if watched at every instant, pattern rows at the totals); "
		"with tolerance R, \"not fixed\" means the after rate is "
		"above R times the before rate (R = 0: the fix claims "
		"elimination, the first event after refutes it).\n\n"
		"| what | before | before rate | after | after rate | p | "
		"verdict | sequential |\n|---|---:|---|---:|---|---:|---|---|\n",
		conf * 100);
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		const char *type = splat_jstr(r, "type");
		const char *v = splat_jstr(r, "verdict");
		char hb[32];

		fputs("| ", out);
		if (!strcmp(type, "lockdep-signature")) {
			fputs("lockdep: ", out);
			splat_md_text(out, splat_jstr(r, "title"));
			fputs(" (", out);
			splat_md_code(out, splat_jstr(r, "kind"));
			fputs(")", out);
		} else if (!strcmp(type, "lockdep")) {
			fputs("**lockdep report (any)**", out);
		} else {
			splat_md_code(out, splat_jstr(r, "name"));
		}
		fputs(" | ", out);
		cell_counts(out, splat_jpath(r, "before"));
		fputs(" | ", out);
		cell_rate(out, splat_jpath(r, "before"));
		fputs(" | ", out);
		cell_counts(out, splat_jpath(r, "after"));
		fputs(" | ", out);
		cell_rate(out, splat_jpath(r, "after"));
		if (splat_jnum(r, "after.count", 0) == 0 &&
		    splat_jpath(r, "after.upper_one_sided"))
			fprintf(out, "; ≤ %s/h one-sided",
				splat_md_num(splat_jnum(
					r, "after.upper_one_sided", 0)));
		fprintf(out, " | %s | **%s**",
			splat_md_num(splat_jnum(r, "p_value", 1)), v);
		if (!strcmp(v, "inconclusive") &&
		    isfinite(splat_jnum(r, "more_hours", INFINITY)))
			fprintf(out, " — soak at least %s more",
				splat_format_hours(
					splat_jnum(r, "more_hours", 0), hb,
					sizeof(hb)));
		if (splat_jstr(r, "note")) {
			fputs(" (", out);
			splat_md_text(out, splat_jstr(r, "note"));
			fputs(")", out);
		}
		fputs(" | ", out);
		seq_cell(out, splat_jpath(r, "sequential"));
		fputs(" |\n", out);
	}
	fputs("\n", out);
	if (splat_jnum(cmp, "device_count", 1) > 1)
		splat_fleet_markdown(out, splat_jpath(cmp, "devices"), rows,
				     "side");
	ops_table(out, cmp);
	runs_table(out, cmp);
	boots_table(out, cmp);
	fputs("<sub>Generated by `splat compare`; `splat compare --json` gives "
	      "the same numbers as JSON (schema besser-verify/compare/1).</sub>\n",
	      out);
}
