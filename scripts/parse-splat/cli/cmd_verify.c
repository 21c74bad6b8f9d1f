/* SPDX-License-Identifier: MIT */
/*
 * splat verify RUN_DIR - check a run bundle: files present, the sha256
 * recorded in meta.json "files" match, summary.json recomputes identically
 * from the raw files (splat_bundle_verify).
 */
#include <getopt.h>
#include <stdio.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/bundle.h"

static void verify_usage(FILE *out)
{
	fputs("usage: splat verify [--json] [--max-op-failure PCT] RUN_DIR\n\n"
	      "Check a run bundle (results/README.md):\n"
	      "  - meta.json, kmsg.raw, ops.jsonl, events.jsonl, summary.json present\n"
	      "  - every sha256 in meta.json \"files\" matches (kmsg.raw and ops.jsonl\n"
	      "    must be listed)\n"
	      "  - summary.json equals the summary recomputed from kmsg.raw and\n"
	      "    ops.jsonl (numbers to 1e-9 relative)\n"
	      "It also lists the workload: per operation kind, the operations\n"
	      "that succeeded of those performed, and a WARN line when traffic,\n"
	      "conn-cycle or scan-5g-multi (what the claim depends on) failed in\n"
	      "more than PCT % of its operations (default 20; 0: any failure);\n"
	      "a warning does not fail the verification.\n"
	      "A transcribed bundle (meta.json \"transcribed\": true) has no raw\n"
	      "files: only its meta.json and summary.json are checked.\n\n"
	      "  --json   the checks as JSON (warnings: \"warning\": true)\n\n"
	      "Exit codes: 0 all checks pass, 4 a check failed, 2 usage or\n"
	      "unreadable bundle (no directory, meta.json or summary.json not JSON).\n",
	      out);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"max-op-failure", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, c;
	double max_fail = SPLAT_MAX_OP_FAILURE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'm':
			if (splat_parse_op_failure(optarg, &max_fail) < 0) {
				fprintf(stderr,
					"splat verify: --max-op-failure "
					"takes a percentage 0-100\n");
				return SPLAT_EXIT_USAGE;
			}
			if (max_fail == 0)
				max_fail = 1e-12; /* any failure warns */
			break;
		case 'h':
			verify_usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			verify_usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		verify_usage(stderr);
		return SPLAT_EXIT_USAGE;
	}
	const char *dir = argv[optind];
	char err[1024];
	struct json_object *checks = NULL;
	int r = splat_bundle_verify_ex(dir, max_fail, &checks, err,
				       sizeof(err));

	if (r < 0) {
		fprintf(stderr, "splat verify: %s\n", err);
		return SPLAT_EXIT_USAGE;
	}
	if (json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "bundle",
				       json_object_new_string(dir));
		json_object_object_add(o, "ok",
				       json_object_new_boolean(r == 0));
		json_object_object_add(o, "checks", checks);
		puts(json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		for (size_t i = 0; i < json_object_array_length(checks); i++) {
			struct json_object *x =
				json_object_array_get_idx(checks, i);
			const char *d = splat_jstr(x, "detail");

			printf("%-4s %s%s%s\n",
			       !splat_jnum(x, "ok", 0)	     ? "FAIL"
			       : splat_jnum(x, "warning", 0) ? "WARN"
							     : "ok",
			       splat_jstr(x, "check"), d && *d ? ": " : "",
			       d ? d : "");
		}
		printf("%s: %s\n", dir, r ? "verification FAILED" : "verified");
		json_object_put(checks);
	}
	return r ? SPLAT_EXIT_VERDICT : SPLAT_EXIT_OK;
}
