/* SPDX-License-Identifier: MIT */
/*
 * watch.h - follow /dev/kmsg live and record a run bundle durably
 * (`splat watch`).  Built as its own library (libsplat-watch.a, with
 * libsystemd for sd_notify), apart from the parsing library.
 *
 * Files written in the output directory (see results/README.md):
 *   kmsg.raw      every record verbatim (record.raw + "\n"), whole lines only
 *   events.jsonl  one splat_event_to_json() object per line; kmsg.raw is
 *                 written and fsync'd before each event line, and the event
 *                 line is fsync'd before the watcher goes on, so an event
 *                 never refers to raw records that are not on disk
 *   watch.state   JSON: boot id, boot index, last seq, counts (atomically
 *                 replaced: write to a temporary file, fsync, rename)
 *
 * Resume (after a crash or kill -9): kmsg.raw and events.jsonl are the
 * authority.  A torn last line (no newline) is cut off; kmsg.raw is replayed
 * through the reader and the analyzer to rebuild the analyzer's state, the
 * first N replayed events (N = lines already in events.jsonl) are not written
 * again, and live records are skipped while their seq is <= the last seq in
 * kmsg.raw when the boot id in watch.state is the current one.  A different
 * boot id starts a new boot in the same files (a boot event is recorded).
 * Records the kernel overwrote meanwhile show up as a seq gap: a `lost` event
 * with the gap, never hidden.
 */
#ifndef SPLAT_WATCH_H
#define SPLAT_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum splat_watch_start {
	SPLAT_WATCH_AUTO = 0,	/* resume if the directory holds a recording,
				 * else start from the first record */
	SPLAT_WATCH_FROM_START, /* the directory must not hold a recording */
};

struct splat_watch_options {
	const char *out_dir;	   /* created if missing */
	const char *kmsg_path;	   /* NULL: /dev/kmsg (or a FIFO/file) */
	const char *patterns_path; /* NULL: built-in patterns only */
	const char *boot_id_path;  /* NULL: /proc/sys/kernel/random/boot_id */
	enum splat_watch_start start;
	bool notify; /* sd_notify READY/STATUS/STOPPING */
	/* Set (by a signal handler) to make the watcher flush and return 0. */
	volatile sig_atomic_t *stop;
	/* Seconds between watch.state refreshes without events (0: 10). */
	unsigned state_interval_s;
};

/* Exit status of splat_watch_run (the CLI's exit codes). */
enum {
	SPLAT_WATCH_EXIT_OK = 0,      /* end of input or stop requested */
	SPLAT_WATCH_EXIT_FAILURE = 1, /* I/O error: disk full, unwritable */
	SPLAT_WATCH_EXIT_USAGE = 2,   /* bad options or unusable directory */
};

/* Run until end of input, *stop, or an error.  On error, err holds one
 * line saying what failed.  Files already written are left whole. */
int splat_watch_run(const struct splat_watch_options *o, char *err,
		    size_t errlen);

/* Make the watcher's blocking read return: call from a SIGTERM/SIGINT
 * handler after setting *stop (async-signal-safe). */
void splat_watch_interrupt(void);

#endif
