/* SPDX-License-Identifier: MIT */
/*
 * splat compare --before RUN... --after RUN... : the before/after verdict
 * (compare.h) as compare.md and/or JSON.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/bundle.h"
#include "splat/compare.h"

static void compare_usage(FILE *out)
{
	fputs("usage: splat compare --before RUN... --after RUN... [options]\n\n"
	      "Before/after verdict from run bundles (results/README.md); every\n"
	      "number is recomputed from each bundle's kmsg.raw and ops.jsonl\n"
	      "(transcribed bundles such as results/reference/seed-baseline are\n"
	      "taken as written, and the output says so).\n\n"
	      "  --before RUN...         baseline run bundle directories\n"
	      "  --after RUN...          run bundles with the fix\n"
	      "  --confidence C          default 0.95\n"
	      "  --predict 'NAME: B -> A'  a predicted delta, e.g.\n"
	      "                          'pattern-a: 14/h -> 0/h' or\n"
	      "                          'lockdep: 1+/5140s -> 0' (repeatable)\n"
	      "  --predict-file F        one prediction per line ('#' comments)\n"
	      "  --workload-tolerance T  warn when ops/hour differ by more than T\n"
	      "                          (relative, default 0.25); also the most\n"
	      "                          a claim kind's success share may differ\n"
	      "                          between the sides, and the ops/hour of\n"
	      "                          the devices of one side (fleet bundles)\n"
	      "  --max-op-failure PCT    warn (above the verdict) when traffic,\n"
	      "                          conn-cycle or scan-5g-multi failed in more\n"
	      "                          than PCT % of its operations (default 20;\n"
	      "                          0 warns on any failure)\n"
	      "  --tolerance R           sequential verdict: \"not fixed\" means\n"
	      "                          the after rate is above R x the before\n"
	      "                          rate (0 <= R < 1, default 0.5; rows a\n"
	      "                          --predict says drop to 0 use 0)\n"
	      "  --max-after T           sequential verdict: inconclusive once\n"
	      "                          the after exposure reaches T (30m, 4h;\n"
	      "                          default none)\n"
	      "  --sequential            the exit code follows the sequential\n"
	      "                          verdict instead of the fixed-sample one\n"
	      "  --stored                use each bundle's summary.json as stored\n"
	      "  --json                  print the JSON document (besser-verify/\n"
	      "                          compare/1) instead of Markdown\n"
	      "  -o FILE                 write the Markdown (compare.md) to FILE\n"
	      "  --json-file FILE        also write the JSON document to FILE\n"
	      "                          (besser-soak --until-decided reads it)\n\n"
	      "Verdicts: fixed (after rate significantly lower, exact conditional\n"
	      "test), not fixed (events after, not significantly fewer; or new),\n"
	      "inconclusive (zero after, too short: soak at least X more hours).\n"
	      "Next to it, the always-valid sequential verdict (fixed, not fixed,\n"
	      "continue, inconclusive): safe to recompute as the after run grows,\n"
	      "what besser-soak --until-decided stops on.  When the two differ\n"
	      "the output says which one the exit code follows.\n\n"
	      "Bundles from more than one device (meta.json device.name, else\n"
	      "device.serial, device.machine_id, host) add a per-device table\n"
	      "(JSON: devices) under the pooled verdict, and warnings when the\n"
	      "devices of a side ran different kernels or workloads, or a device\n"
	      "ran on one side only.\n"
	      "Exit codes: 0 fixed, 4 not fixed, 5 inconclusive (with\n"
	      "--sequential also continue), 2 usage or an unreadable bundle,\n"
	      "1 runtime failure.\n",
	      out);
}

struct strv {
	char **v;
	size_t n, cap;
};

static int strv_add(struct strv *s, const char *x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **n = realloc(s->v, cap * sizeof(*n));

		if (!n)
			return -1;
		s->v = n;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(x)))
		return -1;
	s->n++;
	return 0;
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int read_predict_file(const char *path, struct strv *preds)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (strv_add(preds, p) < 0) {
			free(line);
			fclose(f);
			return -1;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static int load_all(const struct strv *dirs, unsigned flags,
		    struct splat_bundle **out)
{
	char err[1024];

	for (size_t i = 0; i < dirs->n; i++) {
		out[i] = splat_bundle_load(dirs->v[i], flags, err, sizeof(err));
		if (!out[i]) {
			fprintf(stderr, "splat compare: %s\n", err);
			return -1;
		}
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct strv before = {0}, after = {0}, preds = {0};
	struct strv *cur = NULL;
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25};
	const char *outpath = NULL, *jsonpath = NULL;
	int json = 0, rc = SPLAT_EXIT_USAGE;
	unsigned flags = 0;
	struct splat_bundle **bb = NULL, **ab = NULL;
	struct json_object *doc = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		const char *eq = strchr(a, '=');
		char opt[64];

		if (a[0] != '-' || !strcmp(a, "-")) {
			if (!cur) {
				fprintf(stderr,
					"splat compare: '%s': say "
					"--before or --after first\n",
					a);
				goto out;
			}
			if (strv_add(cur, a) < 0)
				goto oom;
			continue;
		}
		snprintf(opt, sizeof(opt), "%.*s",
			 eq && !strncmp(a, "--", 2) ? (int)(eq - a)
						    : (int)strlen(a),
			 a);
		if (eq && !strncmp(a, "--", 2))
			val = eq + 1;
#define NEED_VAL()                                                             \
	do {                                                                   \
		if (!val) {                                                    \
			if (i + 1 >= argc) {                                   \
				fprintf(stderr,                                \
					"splat compare: %s needs a value\n",   \
					opt);                                  \
				goto out;                                      \
			}                                                      \
			val = argv[++i];                                       \
		}                                                              \
	} while (0)
		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			compare_usage(stdout);
			rc = SPLAT_EXIT_OK;
			goto out;
		} else if (!strcmp(opt, "--before") ||
			   !strcmp(opt, "--after")) {
			cur = opt[2] == 'b' ? &before : &after;
			if (val && strv_add(cur, val) < 0)
				goto oom;
			continue;
		} else if (!strcmp(opt, "--json")) {
			json = 1;
		} else if (!strcmp(opt, "--sequential")) {
			o.sequential = true;
		} else if (!strcmp(opt, "--tolerance")) {
			char *end;

			NEED_VAL();
			o.seq_tolerance = strtod(val, &end);
			if (*end ||
			    !(o.seq_tolerance >= 0 && o.seq_tolerance < 1)) {
				fprintf(stderr, "splat compare: --tolerance "
						"must be in [0,1)\n");
				goto out;
			}
			o.seq_tolerance_set = true;
		} else if (!strcmp(opt, "--max-after")) {
			NEED_VAL();
			if (splat_parse_duration(val, &o.seq_max_after_h) < 0 ||
			    !(o.seq_max_after_h > 0)) {
				fprintf(stderr, "splat compare: --max-after "
						"takes a duration (30m, 4h)\n");
				goto out;
			}
		} else if (!strcmp(opt, "--stored")) {
			flags |= SPLAT_BUNDLE_STORED;
		} else if (!strcmp(opt, "--confidence")) {
			char *end;

			NEED_VAL();
			o.confidence = strtod(val, &end);
			if (*end || !(o.confidence > 0 && o.confidence < 1)) {
				fprintf(stderr, "splat compare: --confidence "
						"must be in (0,1)\n");
				goto out;
			}
		} else if (!strcmp(opt, "--workload-tolerance")) {
			char *end;

			NEED_VAL();
			o.workload_tolerance = strtod(val, &end);
			if (*end || !(o.workload_tolerance > 0)) {
				fprintf(stderr,
					"splat compare: "
					"--workload-tolerance must be > 0\n");
				goto out;
			}
		} else if (!strcmp(opt, "--max-op-failure")) {
			NEED_VAL();
			if (splat_parse_op_failure(val, &o.max_op_failure) <
			    0) {
				fprintf(stderr,
					"splat compare: --max-op-failure "
					"takes a percentage 0-100\n");
				goto out;
			}
			/* 0 %: any failure warns (0 itself selects the default)
			 */
			if (o.max_op_failure == 0)
				o.max_op_failure = 1e-12;
		} else if (!strcmp(opt, "--predict")) {
			NEED_VAL();
			if (strv_add(&preds, val) < 0)
				goto oom;
		} else if (!strcmp(opt, "--predict-file")) {
			NEED_VAL();
			if (read_predict_file(val, &preds) < 0)
				goto out;
		} else if (!strcmp(opt, "--json-file")) {
			NEED_VAL();
			jsonpath = val;
		} else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
			NEED_VAL();
			outpath = val;
		} else {
			fprintf(stderr, "splat compare: unknown option '%s'\n",
				a);
			compare_usage(stderr);
			goto out;
		}
		cur = NULL;
#undef NEED_VAL
	}
	if (!before.n || !after.n) {
		fprintf(stderr, "splat compare: need at least one --before and "
				"one --after run bundle\n");
		compare_usage(stderr);
		goto out;
	}
	json_c_set_serialization_double_format("%.12g", JSON_C_OPTION_GLOBAL);
	bb = calloc(before.n, sizeof(*bb));
	ab = calloc(after.n, sizeof(*ab));
	if (!bb || !ab)
		goto oom;
	if (load_all(&before, flags, bb) < 0 || load_all(&after, flags, ab) < 0)
		goto out;
	o.predict = (const char *const *)preds.v;
	o.n_predict = preds.n;
	char err[1024];

	doc = splat_compare(bb, before.n, ab, after.n, &o, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "splat compare: %s\n", err);
		goto out;
	}
	if (jsonpath && json_object_to_file_ext(
				jsonpath, doc,
				JSON_C_TO_STRING_PRETTY |
					JSON_C_TO_STRING_NOSLASHESCAPE) < 0) {
		fprintf(stderr, "splat compare: cannot write %s: %s\n",
			jsonpath, json_util_get_last_err());
		rc = SPLAT_EXIT_FAILURE;
		goto out;
	}
	if (outpath) {
		FILE *f = fopen(outpath, "w");

		if (!f) {
			perror(outpath);
			rc = SPLAT_EXIT_FAILURE;
			goto out;
		}
		splat_compare_markdown(f, doc);
		if (fclose(f) != 0) {
			perror(outpath);
			rc = SPLAT_EXIT_FAILURE;
			goto out;
		}
	}
	if (json)
		puts(json_object_to_json_string_ext(
			doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				     JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (!outpath && !jsonpath)
		splat_compare_markdown(stdout, doc);
	else if (!outpath)
		printf("verdict: %s; sequential: %s (%s)\n",
		       splat_jstr(doc, "verdict"),
		       splat_jstr(doc, "sequential.verdict"), jsonpath);
	else
		printf("verdict: %s; sequential: %s (%s)\n",
		       splat_jstr(doc, "verdict"),
		       splat_jstr(doc, "sequential.verdict"), outpath);
	if (fflush(stdout) != 0) {
		rc = SPLAT_EXIT_FAILURE;
		goto out;
	}
	/* the verdict that decides: the fixed-sample one unless
	 * --sequential ("continue" is undecided, like inconclusive) */
	const char *v = o.sequential ? splat_jstr(doc, "sequential.verdict")
				     : splat_jstr(doc, "verdict");

	if (!v)
		v = "inconclusive";

	rc = !strcmp(v, "fixed")       ? SPLAT_EXIT_OK
	     : !strcmp(v, "not fixed") ? SPLAT_EXIT_VERDICT
				       : SPLAT_EXIT_INCONCLUSIVE;
	goto out;
oom:
	fprintf(stderr, "splat compare: out of memory\n");
	rc = SPLAT_EXIT_FAILURE;
out:
	json_object_put(doc);
	for (size_t i = 0; bb && i < before.n; i++)
		splat_bundle_free(bb[i]);
	for (size_t i = 0; ab && i < after.n; i++)
		splat_bundle_free(ab[i]);
	free(bb);
	free(ab);
	strv_free(&before);
	strv_free(&after);
	strv_free(&preds);
	return rc;
}
