/* SPDX-License-Identifier: MIT */
/*
 * reader.h - read kernel log records from any supported format.
 *
 * Formats (auto-detected per stream from its first bytes, or forced):
 *   text          console/dmesg: "[ 5140.123456] msg", optional caller id
 *                 "[  T607]"/"[    C0]", optional "<4>" level prefix, or bare
 *   kmsg          /dev/kmsg records "prio,seq,ts_usec,flags[,...];text" with
 *                 " KEY=value" continuation lines and \xNN escapes
 *   journal-json  journalctl -o json (one object per line, several boots)
 *   journal-export journalctl -o export (KEY=value blocks, binary fields)
 *   dmesg-json    dmesg --json ({"dmesg":[{"pri":..,"time":..,"msg":..}]})
 *
 * Bad input never crashes and never silently yields nothing: each problem is
 * reported through the diagnostic callback (default: stderr, "NAME:LINE: ...")
 * and counted in splat_reader_stats.
 */
#ifndef SPLAT_READER_H
#define SPLAT_READER_H

#include <stdio.h>

#include "splat/record.h"

enum splat_format {
	SPLAT_FORMAT_AUTO = 0,
	SPLAT_FORMAT_TEXT,
	SPLAT_FORMAT_KMSG,
	SPLAT_FORMAT_JOURNAL_JSON,
	SPLAT_FORMAT_JOURNAL_EXPORT,
	SPLAT_FORMAT_DMESG_JSON,
};

/* "auto", "text", "kmsg", "journal-json", "journal-export", "dmesg-json" */
const char *splat_format_name(enum splat_format fmt);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int splat_format_parse(const char *name, enum splat_format *out);

struct splat_reader_stats {
	uint64_t records;      /* records returned */
	uint64_t lines;        /* input lines read */
	uint64_t bytes;        /* input bytes read */
	uint64_t bad_lines;    /* malformed lines/records skipped (diagnosed) */
	uint64_t lost;         /* records the kernel dropped (seq gaps, EPIPE) */
	uint64_t boots;        /* boots seen (>= 1 once a record was read) */
	uint64_t long_lines;   /* lines over the line limit (truncated, diagnosed) */
	uint64_t invalid_utf8; /* records with invalid UTF-8 (kept, diagnosed) */
	uint64_t binary;       /* records with control bytes/NUL (kept escaped) */
};

enum splat_diag_level { SPLAT_DIAG_WARNING, SPLAT_DIAG_ERROR };
typedef void (*splat_diag_fn)(void *ctx, enum splat_diag_level level,
			      const char *name, uint64_t line_no,
			      const char *msg);

struct splat_reader;

/* Open a stream.  name is used in diagnostics ("-" for stdin).  A live
 * /dev/kmsg (character device) is read one record per read(), with EPIPE
 * turned into lost_before on the next record.  Returns NULL with errno set. */
struct splat_reader *splat_reader_open_fd(int fd, const char *name,
					  enum splat_format fmt);
/* path "-" means stdin.  Returns NULL with errno set. */
struct splat_reader *splat_reader_open_path(const char *path,
					    enum splat_format fmt);
void splat_reader_set_diag(struct splat_reader *r, splat_diag_fn fn,
			   void *ctx);

/* 1: *rec filled; 0: end of input; -1: I/O error (diagnosed, errno set). */
int splat_reader_next(struct splat_reader *r, struct splat_record *rec);

/* The format in use (the detected one once the first record was read). */
enum splat_format splat_reader_format(const struct splat_reader *r);
const struct splat_reader_stats *splat_reader_stats(const struct splat_reader *r);
const char *splat_reader_name(const struct splat_reader *r);
/* Closes the fd too (except stdin). */
void splat_reader_close(struct splat_reader *r);

#endif
