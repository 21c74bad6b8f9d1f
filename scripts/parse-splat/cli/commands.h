/* SPDX-License-Identifier: MIT */
/*
 * commands.h - the splat subcommands, one table (splat.c), one file each.
 *
 * Every cmd_* parses its own options (getopt_long), answers --help on stdout
 * with exit 0, and returns one of the exit codes below.
 */
#ifndef SPLAT_CLI_COMMANDS_H
#define SPLAT_CLI_COMMANDS_H

/* Exit codes shared by all subcommands (documented in the README). */
enum {
	SPLAT_EXIT_OK = 0,	/* done; nothing matched --fail-on */
	SPLAT_EXIT_FAILURE = 1, /* runtime failure: I/O error, disk full */
	SPLAT_EXIT_USAGE = 2,	/* bad usage or unreadable/invalid input */
	SPLAT_EXIT_MATCHED = 3, /* scan --fail-on: a matching event was found */
	SPLAT_EXIT_VERDICT = 4, /* verify/compare: check failed / not fixed */
	/* compare: inconclusive (zero events after but too short a soak, or
	 * nothing to compare); the output says how many more hours. */
	SPLAT_EXIT_INCONCLUSIVE = 5,
	/* scan --strict: a line holds a report header that became no event
	 * (guard.h), so a count may be too low */
	SPLAT_EXIT_UNRECOGNIZED = 6,
};

int cmd_scan(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_topology(int argc, char **argv);

#endif
