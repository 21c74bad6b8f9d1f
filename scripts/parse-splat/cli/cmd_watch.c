/* SPDX-License-Identifier: MIT */
/*
 * cmd_watch.c - `splat watch`: follow /dev/kmsg live into a run bundle.
 * The work is in src/watch.c (splat/watch.h); this file parses options and
 * installs the signal handlers.
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "splat/patterns.h"
#include "splat/watch.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	splat_watch_interrupt();
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: splat watch --out DIR [--from-start|--resume] [--patterns FILE]\n"
		"                   [--kmsg PATH] [--notify]\n"
		"\n"
		"Follow the kernel log live (blocking reads) and record it durably in DIR:\n"
		"  kmsg.raw      every record verbatim, in /dev/kmsg format\n"
		"  events.jsonl  every recognised event (lockdep report, lockdep-off,\n"
		"                WARN/BUG, pattern hit, lost records), fsync'd per event\n"
		"  watch.state   resume point (boot id, last seq) and running counts\n"
		"\n"
		"Options:\n"
		"  -o, --out DIR        output directory (created if missing)\n"
		"      --from-start     start a new recording from the first record in the\n"
		"                       kernel buffer; DIR must not hold one already\n"
		"      --resume         continue the recording in DIR (default when DIR has\n"
		"                       one): records already written are skipped in the\n"
		"                       same boot, a new boot is recorded as a boot event\n"
		"  -p, --patterns FILE  extra named patterns (" SPLAT_PATTERN_BUILTIN
		" is built in)\n"
		"  -k, --kmsg PATH      input (default /dev/kmsg; a FIFO or file in kmsg\n"
		"                       format for tests)\n"
		"      --notify         sd_notify READY=1 and STATUS= (systemd Type=notify)\n"
		"      --boot-id-file F read the boot id from F instead of\n"
		"                       /proc/sys/kernel/random/boot_id (tests)\n"
		"      --state-interval S  refresh watch.state every S s without events (10)\n"
		"  -h, --help           this text\n"
		"\n"
		"Records lost by the kernel (EPIPE, seq gaps) become `lost` events with the\n"
		"gap.  SIGTERM/SIGINT: write what is buffered and exit 0.\n"
		"Exit codes: 0 end of input or stopped by a signal, 1 I/O failure (disk full,\n"
		"unwritable output; files keep only whole lines), 2 bad usage.\n");
}

int cmd_watch(int argc, char **argv)
{
	enum {
		OPT_FROM_START = 256,
		OPT_RESUME,
		OPT_NOTIFY,
		OPT_BOOT_ID,
		OPT_STATE_INTERVAL
	};
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"from-start", no_argument, NULL, OPT_FROM_START},
		{"resume", no_argument, NULL, OPT_RESUME},
		{"patterns", required_argument, NULL, 'p'},
		{"kmsg", required_argument, NULL, 'k'},
		{"notify", no_argument, NULL, OPT_NOTIFY},
		{"boot-id-file", required_argument, NULL, OPT_BOOT_ID},
		{"state-interval", required_argument, NULL, OPT_STATE_INTERVAL},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct splat_watch_options o = {.stop = &stop_requested};
	struct sigaction sa;
	char err[512];
	bool resume = false; /* --resume: the default (AUTO), named */
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:p:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out_dir = optarg;
			break;
		case 'p':
			o.patterns_path = optarg;
			break;
		case 'k':
			o.kmsg_path = optarg;
			break;
		case OPT_FROM_START:
			if (resume)
				goto conflict;
			o.start = SPLAT_WATCH_FROM_START;
			break;
		case OPT_RESUME:
			if (o.start == SPLAT_WATCH_FROM_START)
				goto conflict;
			resume = true;
			break;
		case OPT_NOTIFY:
			o.notify = true;
			break;
		case OPT_BOOT_ID:
			o.boot_id_path = optarg;
			break;
		case OPT_STATE_INTERVAL: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 3600) {
				fprintf(stderr,
					"splat watch: --state-interval: "
					"1..3600 seconds\n");
				return SPLAT_EXIT_USAGE;
			}
			o.state_interval_s = (unsigned)v;
			break;
		}
		case 'h':
			usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "splat watch: unexpected argument '%s'\n",
			argv[optind]);
		return SPLAT_EXIT_USAGE;
	}
	if (!o.out_dir) {
		fprintf(stderr, "splat watch: --out DIR is required\n");
		usage(stderr);
		return SPLAT_EXIT_USAGE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: interrupt blocking reads */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = splat_watch_run(&o, err, sizeof(err));
	if (rc != SPLAT_WATCH_EXIT_OK)
		fprintf(stderr, "splat watch: %s\n", err[0] ? err : "failed");
	return rc;

conflict:
	fprintf(stderr,
		"splat watch: --from-start and --resume exclude each other\n");
	return SPLAT_EXIT_USAGE;
}
