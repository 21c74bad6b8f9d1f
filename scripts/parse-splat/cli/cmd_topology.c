/* SPDX-License-Identifier: MIT */
/*
 * cmd_topology.c - `splat topology`: every acquisition and release of the
 * named locks in C sources, the locks held around each, counts per
 * primitive and a SOFTIRQ-safe -> unsafe verdict per lock (the Phase 2
 * "locking topology" table of a review, by machine).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "splat/topology.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: splat topology --lock SPEC [--lock SPEC...] [--json] "
		"[--chains] [--fail-on-risk] PATH...\n"
		"\n"
		"Lists every lock/unlock site of each SPEC lock in the C sources "
		"under PATH\n"
		"(files, or directories searched recursively for *.c and *.h): "
		"file:line,\n"
		"function, primitive (spin_/raw_spin_/read_/write_ lock, "
		"trylock, unlock;\n"
		"_bh, _irq, _irqsave/_irqrestore, _nested), the locks held "
		"there (tracked\n"
		"through each function across blocks, early returns and goto "
		"unlock paths),\n"
		"counts per primitive, and a verdict: consistent, mixed, or "
		"SOFTIRQ-safe->unsafe\n"
		"inversion risk with the sites to convert to _bh.\n"
		"\n"
		"  -l, --lock SPEC   a lock: a suffix of member accesses, e.g. "
		"'pending_record_lock'\n"
		"                    (any expression ending in "
		".pending_record_lock or\n"
		"                    ->pending_record_lock) or 'queue->lock' (not "
		"'stats->lock');\n"
		"                    'A|B' gives alternatives, the first names the "
		"lock;\n"
		"                    array subscripts are written [] "
		"('tx_queue[].lock').\n"
		"                    When several specs match, the longest wins.\n"
		"  -j, --json        JSON Lines: one object per site "
		"(type \"site\"), then one\n"
		"                    per lock (type \"lock\": counts, status, "
		"verdict, convert)\n"
		"  -c, --chains      also follow calls and callbacks made while "
		"a reported lock\n"
		"                    is held (functions defined under PATH, or "
		"passed as a bare\n"
		"                    argument), to a depth of 6 calls: lock "
		"chains A held -> B\n"
		"                    taken -> C taken with their path, flagged "
		"when lockdep would\n"
		"                    see SOFTIRQ-safe -> unsafe, circular or "
		"recursive (Markdown:\n"
		"                    a section after the locks; JSON: type "
		"\"chain\" objects)\n"
		"      --fail-on-risk  exit 4 when some lock has an inversion risk\n"
		"                    (with --chains: or some chain is flagged)\n"
		"  -h, --help        this help\n"
		"\n"
		"Default output: Markdown, one section per lock, ready to paste "
		"into a review.\n"
		"A heuristic over C text: macros are not expanded, locks passed "
		"by pointer to\n"
		"helpers are not followed; calls and callbacks only with "
		"--chains (README).\n"
		"\n"
		"Exit codes: 0 done, 1 output error, 2 bad usage or unreadable "
		"PATH,\n"
		"4 --fail-on-risk and an inversion risk was found.\n");
}

int cmd_topology(int argc, char **argv)
{
	static const struct option opts[] = {
		{"lock", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"fail-on-risk", no_argument, NULL, 'F'},
		{"chains", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct topo *t = topo_new();
	bool json = false, fail_on_risk = false, chains = false;
	size_t nlocks = 0;
	char err[512];
	int c, rc = SPLAT_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:jch", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (topo_add_lock(t, optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "splat topology: %s\n", err);
				topo_free(t);
				return SPLAT_EXIT_USAGE;
			}
			nlocks++;
			break;
		case 'j':
			json = true;
			break;
		case 'F':
			fail_on_risk = true;
			break;
		case 'c':
			chains = true;
			break;
		case 'h':
			usage(stdout);
			topo_free(t);
			return SPLAT_EXIT_OK;
		default:
			usage(stderr);
			topo_free(t);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (!nlocks || optind >= argc) {
		fprintf(stderr, "splat topology: %s\n",
			!nlocks ? "give at least one --lock SPEC"
				: "give at least one PATH (file or directory)");
		usage(stderr);
		topo_free(t);
		return SPLAT_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (topo_scan_path(t, argv[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "splat topology: %s\n", err);
			topo_free(t);
			return SPLAT_EXIT_USAGE;
		}
	if (!topo_nfiles(t)) {
		fprintf(stderr, "splat topology: no C source (*.c, *.h) under "
				"the given paths\n");
		topo_free(t);
		return SPLAT_EXIT_USAGE;
	}
	if ((json ? topo_write_jsonl(t, stdout)
		  : topo_write_markdown(t, stdout)) < 0 ||
	    (chains && (json ? topo_write_chains_jsonl(t, stdout)
			     : topo_write_chains_markdown(t, stdout)) < 0)) {
		fprintf(stderr, "splat topology: write error\n");
		rc = SPLAT_EXIT_FAILURE;
	} else if (fail_on_risk &&
		   (topo_nrisks(t) || (chains && topo_nchain_flags(t)))) {
		rc = SPLAT_EXIT_VERDICT;
	}
	topo_free(t);
	return rc;
}
