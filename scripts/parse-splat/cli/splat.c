/* SPDX-License-Identifier: MIT */
/*
 * splat - kernel log parser for lockdep reports and named patterns.
 *
 * git-style front end: the subcommands are one table; each lives in its own
 * cmd_*.c with its own option parsing and --help.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef SPLAT_VERSION
#define SPLAT_VERSION "0.1"
#endif

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd_struct commands[] = {
	{"scan", cmd_scan,
	 "read kernel logs, print lockdep reports and pattern hits"},
	{"watch", cmd_watch,
	 "follow /dev/kmsg live, record raw log and events durably"},
	{"summary", cmd_summary,
	 "recompute a run bundle's summary.json from its raw files"},
	{"verify", cmd_verify, "check a run bundle: files, hashes, summary"},
	{"report", cmd_report, "write report.md and plot.svg for run bundles"},
	{"compare", cmd_compare, "before/after verdict with exact statistics"},
	{"plan", cmd_plan, "soak length needed to support a claim"},
	{"topology", cmd_topology,
	 "lock acquisition sites and nesting from C sources"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: splat [--version] [--help] COMMAND [ARGS]\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n'splat COMMAND --help' describes a command.\n"
		"Exit codes: 0 ok, 1 runtime failure, 2 usage or bad input,\n"
		"3 scan --fail-on matched, 4 verify/compare check failed,\n"
		"5 compare inconclusive.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return SPLAT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return SPLAT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("splat %s\n", SPLAT_VERSION);
		return SPLAT_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr,
		"splat: '%s' is not a splat command; see 'splat --help'\n",
		argv[1]);
	return SPLAT_EXIT_USAGE;
}
