/* SPDX-License-Identifier: MIT */
/*
 * record.h - one kernel log record, normalised from any input format.
 *
 * Every reader (dmesg text, /dev/kmsg, journal JSON/export, dmesg --json)
 * produces these; everything downstream (recogniser, patterns, summary,
 * watch) consumes only these.
 */
#ifndef SPLAT_RECORD_H
#define SPLAT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ts_usec when the input carries no timestamp (plain text without "[ t]"). */
#define SPLAT_TS_NONE INT64_MIN

/* Which clock a record's ts_usec comes from (the summary says it per
 * boot): the kernel's own is the only one an exposure may be taken from
 * without a word; the wall clock counts from the boot's start where a boot
 * marker or the kernel's first line dates it, else from the boot's first
 * line in the input (its start unknown). */
enum splat_clock {
	SPLAT_CLOCK_NONE = 0,	/* no time */
	SPLAT_CLOCK_UPTIME,	/* kernel uptime (printed, kmsg, journal) */
	SPLAT_CLOCK_WALL_BOOT,	/* wall clock since the boot's start */
	SPLAT_CLOCK_WALL_FIRST, /* wall clock since the boot's first line */
};

struct splat_record {
	/* kmsg sequence number; when the format has none, a 0-based running
	 * record index within the stream (has_seq == false). */
	uint64_t seq;
	bool has_seq;
	/* Kernel monotonic time of the record (uptime), microseconds, or
	 * SPLAT_TS_NONE. */
	int64_t ts_usec;
	/* enum splat_clock of ts_usec */
	unsigned char clock;
	/* syslog level 0..7 and facility, or -1 when the format has none.
	 * Never filter on these: lockdep mixes levels 4, default and 7. */
	int level;
	int facility;
	/* PRINTK_CALLER id as printed: "T123" or "C0"; "" if absent. */
	char caller[16];
	/* 0-based boot index within the stream: bumped when the timestamp goes
	 * backwards, the journal _BOOT_ID changes, or kmsg seq restarts. */
	unsigned boot;
	/* journald _BOOT_ID (32 hex chars) or /proc boot id when known, else
	 * "". */
	char boot_id[40];
	/* Records the kernel dropped immediately before this one (kmsg seq gap,
	 * EPIPE on /dev/kmsg).  The reader reports each loss exactly once. */
	uint64_t lost_before;
	/* Message text with escapes undone (\xNN), no trailing newline, NUL
	 * terminated, never containing NUL itself (a \x00 stays escaped).  May
	 * contain '\n' when one record carries several lines (kmsg, journal);
	 * consumers split on it.  Valid until the next read. */
	const char *text;
	size_t text_len;
	/* The input bytes this record came from, verbatim (for kmsg.raw and
	 * diagnostics), without the final newline.  Valid until the next read.
	 * kmsg: the header line plus its continuation lines, exactly as read
	 * (write raw + "\n" to reproduce the stream); text: the line without
	 * CR LF (cut at SPLAT_LINE_MAX); journal-json / dmesg-json: the JSON
	 * object; journal-export: the entry's fields (up to SPLAT_JSON_MAX). */
	const char *raw;
	size_t raw_len;
	/* 1-based input line number where the record starts (for a live
	 * /dev/kmsg: the 1-based number of the read() that returned it). */
	uint64_t line_no;
	/* true: text is known to hold no '\n' (one line; the text reader sets
	 * it), so consumers need not split it.  false: it may (not known). */
	bool single_line;
	/* Non-NULL: the reader found no candidate of this prefilter in the
	 * record's line (splat_reader_set_prefilter(), reader.h), so none in
	 * text either.  NULL: not known (the default; any consumer). */
	const void *clean_for;
};

#endif
