/* SPDX-License-Identifier: MIT */
/*
 * splat report RUN_DIR... - report.md + plot.svg for run bundles (report.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/bundle.h"
#include "splat/report.h"

static void report_usage(FILE *out)
{
	fputs("usage: splat report [-o DIR] [--confidence C] [--max-op-failure PCT]\n"
	      "                    [--stored] RUN_DIR...\n"
	      "       splat report --index RESULTS_DIR [-o FILE]\n\n"
	      "Write report.md and plot.svg for the run bundles: provenance,\n"
	      "workload, lockdep reports, patterns with exact intervals and per\n"
	      "1000 scans, lost records, warnings; the plot shows cumulative\n"
	      "events over uptime per boot with the operations beneath.\n"
	      "Numbers are recomputed from kmsg.raw and ops.jsonl.\n\n"
	      "  -o DIR          output directory, created if absent (default: the run directory for\n"
	      "                  one run, the current directory for several)\n"
	      "  --confidence C  interval level (default 0.95)\n"
	      "  --max-op-failure PCT\n"
	      "                  warn when traffic, conn-cycle or scan-5g-multi (what\n"
	      "                  the claim depends on) failed in more than PCT % of\n"
	      "                  its operations (default 20; 0: any failure)\n"
	      "  --stored        use summary.json/events.jsonl as stored\n"
	      "  --stdout        print report.md on stdout, write no files\n"
	      "  --index DIR     write the results index (index.md: runs with label,\n"
	      "                  kernel, duration, verdict; comparisons) of a results\n"
	      "                  directory to DIR/index.md, or to -o FILE ('-': stdout)\n\n"
	      "Exit codes: 0 written, 1 write failure, 2 usage or unreadable bundle.\n",
	      out);
}

static int write_file(const char *dir, const char *name,
		      struct splat_bundle *const *b, size_t n, double conf,
		      double max_fail, int svg)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		return -1;
	}
	if (svg)
		splat_report_svg(f, b, n);
	else
		splat_report_markdown_ex(f, b, n, conf, max_fail, "plot.svg");
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	printf("%s\n", path);
	return 0;
}

static int write_index(const char *dir, const char *out)
{
	char path[4096];
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "splat report --index: %s: not a directory\n",
			dir);
		return SPLAT_EXIT_USAGE;
	}
	if (out && !strcmp(out, "-")) {
		splat_results_index(stdout, dir);
		return fflush(stdout) ? SPLAT_EXIT_FAILURE : SPLAT_EXIT_OK;
	}
	if (!out) {
		snprintf(path, sizeof(path), "%s/index.md", dir);
		out = path;
	}
	FILE *f = fopen(out, "w");

	if (!f) {
		perror(out);
		return SPLAT_EXIT_FAILURE;
	}
	int n = splat_results_index(f, dir);

	if (fclose(f) != 0) {
		perror(out);
		return SPLAT_EXIT_FAILURE;
	}
	printf("%s: %d entries\n", out, n);
	return SPLAT_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"confidence", required_argument, NULL, 'c'},
		{"stored", no_argument, NULL, 's'},
		{"stdout", no_argument, NULL, 'p'},
		{"index", required_argument, NULL, 'i'},
		{"max-op-failure", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *outdir = NULL, *index_dir = NULL;
	double conf = 0.95, max_fail = SPLAT_MAX_OP_FAILURE;
	unsigned flags = 0;
	int to_stdout = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'c': {
			char *end;

			conf = strtod(optarg, &end);
			if (*end || !(conf > 0 && conf < 1)) {
				fprintf(stderr, "splat report: --confidence "
						"must be in (0,1)\n");
				return SPLAT_EXIT_USAGE;
			}
			break;
		}
		case 's':
			flags |= SPLAT_BUNDLE_STORED;
			break;
		case 'p':
			to_stdout = 1;
			break;
		case 'i':
			index_dir = optarg;
			break;
		case 'm':
			if (splat_parse_op_failure(optarg, &max_fail) < 0) {
				fprintf(stderr,
					"splat report: --max-op-failure "
					"takes a percentage 0-100\n");
				return SPLAT_EXIT_USAGE;
			}
			if (max_fail == 0)
				max_fail = 1e-12; /* any failure warns */
			break;
		case 'h':
			report_usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			report_usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	size_t n = (size_t)(argc - optind);

	if (index_dir)
		return n ? (report_usage(stderr), SPLAT_EXIT_USAGE)
			 : write_index(index_dir, outdir);
	if (!n) {
		report_usage(stderr);
		return SPLAT_EXIT_USAGE;
	}
	struct splat_bundle **b = calloc(n, sizeof(*b));
	int rc = SPLAT_EXIT_OK;
	char err[1024];

	if (!b) {
		fprintf(stderr, "splat report: out of memory\n");
		return SPLAT_EXIT_FAILURE;
	}
	for (size_t i = 0; i < n; i++) {
		b[i] = splat_bundle_load(argv[optind + (int)i], flags, err,
					 sizeof(err));
		if (!b[i]) {
			fprintf(stderr, "splat report: %s\n", err);
			rc = SPLAT_EXIT_USAGE;
			goto out;
		}
	}
	if (to_stdout) {
		splat_report_markdown_ex(stdout, b, n, conf, max_fail, NULL);
		if (fflush(stdout) != 0)
			rc = SPLAT_EXIT_FAILURE;
		goto out;
	}
	if (!outdir)
		outdir = n == 1 ? b[0]->dir : ".";
	/* Like `mkdir -p` for the last component: a fresh -o DIR is the
	 * common case when writing a report to attach to an issue. */
	if (mkdir(outdir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "splat report: %s: %s\n", outdir,
			strerror(errno));
		rc = SPLAT_EXIT_FAILURE;
		goto out;
	}
	if (write_file(outdir, "report.md", b, n, conf, max_fail, 0) < 0 ||
	    write_file(outdir, "plot.svg", b, n, conf, max_fail, 1) < 0)
		rc = SPLAT_EXIT_FAILURE;
out:
	for (size_t i = 0; i < n; i++)
		splat_bundle_free(b[i]);
	free(b);
	return rc;
}
