/* SPDX-License-Identifier: MIT */
/*
 * splat summary RUN_DIR - recompute a bundle's summary.json from its raw
 * files alone (kmsg.raw, ops.jsonl), so every number is reproducible from
 * the evidence.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/bundle.h"

static void summary_usage(FILE *out)
{
	fputs("usage: splat summary [-o FILE|-] [--confidence C] RUN_DIR\n\n"
	      "Recompute RUN_DIR/summary.json (schema besser-verify/summary/1 plus\n"
	      "\"ops\": the workload and per-operation rates such as pattern-a per\n"
	      "1000 scans, and \"evidence\": the sha256 of the files it came from)\n"
	      "from RUN_DIR/kmsg.raw and RUN_DIR/ops.jsonl alone, with the user\n"
	      "patterns of RUN_DIR/patterns.conf when the run had some.\n\n"
	      "  -o FILE         write there instead ('-' for stdout)\n"
	      "  --confidence C  interval level in the document (default 0.95)\n\n"
	      "Exit codes: 0 written, 1 write failure, 2 usage or unreadable bundle.\n",
	      out);
}

int cmd_summary(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"confidence", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *outpath = NULL;
	double conf = 0.95;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case 'c': {
			char *end;

			conf = strtod(optarg, &end);
			if (*end || !(conf > 0 && conf < 1)) {
				fprintf(stderr, "splat summary: --confidence "
						"must be in (0,1)\n");
				return SPLAT_EXIT_USAGE;
			}
			break;
		}
		case 'h':
			summary_usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			summary_usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		summary_usage(stderr);
		return SPLAT_EXIT_USAGE;
	}
	const char *dir = argv[optind];
	char err[1024], path[4096];

	json_c_set_serialization_double_format("%.12g", JSON_C_OPTION_GLOBAL);
	struct splat_bundle *b = splat_bundle_load(dir, SPLAT_BUNDLE_META_ONLY,
						   err, sizeof(err));

	if (!b) {
		fprintf(stderr, "splat summary: %s\n", err);
		return SPLAT_EXIT_USAGE;
	}
	if (b->transcribed) {
		fprintf(stderr,
			"splat summary: %s is transcribed (no raw logs): its "
			"summary.json is the record and cannot be recomputed\n",
			dir);
		splat_bundle_free(b);
		return SPLAT_EXIT_USAGE;
	}
	struct json_object *doc =
		splat_bundle_recompute(b, conf, err, sizeof(err));

	if (!doc) {
		fprintf(stderr, "splat summary: %s\n", err);
		splat_bundle_free(b);
		return SPLAT_EXIT_USAGE;
	}
	int rc = SPLAT_EXIT_OK;

	if (outpath && !strcmp(outpath, "-")) {
		if (puts(json_object_to_json_string_ext(
			    doc, JSON_C_TO_STRING_PRETTY |
					 JSON_C_TO_STRING_SPACED |
					 JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ||
		    fflush(stdout) != 0)
			rc = SPLAT_EXIT_FAILURE;
	} else {
		if (!outpath) {
			snprintf(path, sizeof(path), "%s/summary.json", b->dir);
			outpath = path;
		}
		if (splat_json_write_file(outpath, doc) < 0) {
			perror(outpath);
			rc = SPLAT_EXIT_FAILURE;
		} else {
			printf("%s: %lld records, %lld boots, %lld lost; "
			       "%lld lockdep report(s) in %.2f h lockdep-active\n",
			       outpath,
			       (long long)splat_jnum(doc, "input.records", 0),
			       (long long)splat_jnum(doc, "input.boots", 0),
			       (long long)splat_jnum(doc, "lost", 0),
			       (long long)splat_jnum(
				       doc, "lockdep.boots_with_report", 0),
			       splat_jnum(doc, "lockdep.exposure_h", 0));
		}
	}
	json_object_put(doc);
	splat_bundle_free(b);
	return rc;
}
