/* SPDX-License-Identifier: MIT */
/*
 * reader.h - read kernel log records from any supported format.
 *
 * Formats: one table (src/reader_formats.c), listed with
 * splat_format_count()/splat_format_name()/splat_format_help().  A stream
 * format (kmsg, journal-json, journal-export, dmesg-json) is recognised
 * from the stream's first bytes; anything else is text, where each line is
 * read by itself: journalctl's short formats and boot markers, syslog
 * files (RFC 3164/3339/5424), dmesg -T/-H/iso/delta, netconsole, mail
 * quoting and other paste damage are stripped line by line (wrappers,
 * src/reader_wrap.c) before the kernel's own "[uptime] [caller]" prefix.
 * Forcing a text format strips only its wrappers; "text" strips none.
 *
 * Bad input never crashes and never silently yields nothing: each problem is
 * reported through the diagnostic callback (default: stderr, "NAME:LINE: ...")
 * and counted in splat_reader_stats.
 */
#ifndef SPLAT_READER_H
#define SPLAT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* The rows of the format table (AUTO is row 0): valid formats are
 * 0 .. splat_format_count() - 1; rows past the named constants have none. */
unsigned splat_format_count(void);
/* "auto", "text", "kmsg", ..., "unknown" outside the table */
const char *splat_format_name(enum splat_format fmt);
/* One line: what the format reads (NULL outside the table). */
const char *splat_format_help(enum splat_format fmt);
/* Other names --format takes for it (NULL-terminated, maybe empty). */
const char *const *splat_format_aliases(enum splat_format fmt);
/* Name or alias -> format.  Returns 0 and sets *out, or -1. */
int splat_format_parse(const char *name, enum splat_format *out);

struct splat_reader_stats {
	uint64_t records;    /* records returned */
	uint64_t lines;	     /* input lines read */
	uint64_t bytes;	     /* input bytes read */
	uint64_t bad_lines;  /* malformed lines/records skipped (diagnosed) */
	uint64_t lost;	     /* records the kernel dropped (seq gaps, EPIPE) */
	uint64_t boots;	     /* boots seen (>= 1 once a record was read) */
	uint64_t long_lines; /* lines over the line limit (truncated, diagnosed)
			      */
	uint64_t
		invalid_utf8; /* records with invalid UTF-8 (kept, diagnosed) */
	uint64_t binary;   /* records with control bytes/NUL (kept escaped) */
	uint64_t skipped;  /* kmsg records below the start seq (not lost) */
	uint64_t crlf;	   /* lines that ended in CR LF (CR removed) */
	uint64_t wrapped;  /* text lines that had a wrapper stripped */
	uint64_t foreign;  /* syslog/journal lines of other programs
			    * (not records) */
	unsigned wrappers; /* which wrappers were seen (splat_wrapper_name()) */
};

enum splat_diag_level { SPLAT_DIAG_WARNING, SPLAT_DIAG_ERROR };
typedef void (*splat_diag_fn)(void *ctx, enum splat_diag_level level,
			      const char *name, uint64_t line_no,
			      const char *msg);
/* The one diagnostic printer (a reader's default, and what every front end
 * prints with): "NAME:LINE: warning: msg" on stderr ("error" for an error;
 * "NAME: warning: msg" when line_no is 0).  ctx is unused. */
void splat_diag_print(void *ctx, enum splat_diag_level level, const char *name,
		      uint64_t line_no, const char *msg);

struct splat_reader;

/* The name of wrapper bit i (0..) of stats.wrappers ("journal-short",
 * "dmesg-ctime", "paste", ...), NULL past the last. */
const char *splat_wrapper_name(unsigned i);

/* Open a stream.  name is used in diagnostics ("-" for stdin).  A live
 * /dev/kmsg (character device 1:11) is read one record per read(), with EPIPE
 * turned into lost_before on the next record.  Returns NULL with errno set. */
struct splat_reader *splat_reader_open_fd(int fd, const char *name,
					  enum splat_format fmt);
/* path "-" means stdin.  Returns NULL with errno set. */
struct splat_reader *splat_reader_open_path(const char *path,
					    enum splat_format fmt);
void splat_reader_set_diag(struct splat_reader *r, splat_diag_fn fn, void *ctx);

/* 1: *rec filled; 0: end of input; -1: I/O error (diagnosed, errno set),
 * or errno == EAGAIN: nothing to read now on a non-blocking fd, or EINTR on
 * a live device (neither is an error nor diagnosed; call again later).  At the
 * end of input the reader diagnoses a stream with no records or mostly binary
 * data. */
int splat_reader_next(struct splat_reader *r, struct splat_record *rec);

/* The format in use (the detected one once the first record was read). */
enum splat_format splat_reader_format(const struct splat_reader *r);
const struct splat_reader_stats *
splat_reader_stats(const struct splat_reader *r);
const char *splat_reader_name(const struct splat_reader *r);
/* Closes the fd too (except stdin). */
void splat_reader_close(struct splat_reader *r);

/* Read from memory (tests, fuzzing); the bytes must outlive the reader. */
struct splat_reader *splat_reader_open_mem(const void *data, size_t len,
					   const char *name,
					   enum splat_format fmt);

/* ---- Limits ---------------------------------------------------------
 * Text lines (and kmsg record lines) longer than SPLAT_LINE_MAX bytes are
 * cut there (the rest of the line is skipped), diagnosed and counted in
 * stats.long_lines.  JSON objects (a journal entry, a dmesg --json element)
 * and journal export field values are limited to SPLAT_JSON_MAX bytes;
 * larger ones are skipped and diagnosed.  Memory use is constant: a 1 MiB
 * input buffer and fixed output buffers, whatever the input size.
 * Diagnostics of one kind are printed SPLAT_DIAG_LIMIT times per stream,
 * then summarised once at the end ("N more ... suppressed"). */
#define SPLAT_LINE_MAX	 65536
#define SPLAT_JSON_MAX	 (256 * 1024)
#define SPLAT_DIAG_LIMIT 10

/* ---- Following a live /dev/kmsg (splat watch) ------------------------
 * - open("/dev/kmsg", O_RDONLY | O_NONBLOCK) and splat_reader_open_fd(fd,
 *   "/dev/kmsg", SPLAT_FORMAT_AUTO): the kmsg device (char 1:11) is always
 *   read as kmsg, one record per read(2) into a 1 MiB buffer.  rec.raw is the
 *   record exactly as the kernel gave it (header line + continuation
 *   lines, no final newline): write it plus '\n' to kmsg.raw verbatim and
 *   the file reads back identically with SPLAT_FORMAT_KMSG.
 * - rec.boot_id is filled from /proc/sys/kernel/random/boot_id for a live
 *   device.
 * - Nothing available on an O_NONBLOCK fd: splat_reader_next() returns -1
 *   with errno == EAGAIN, diagnoses nothing, and the reader stays usable:
 *   poll(splat_reader_fd(r), POLLIN) and call it again.  A blocking fd
 *   simply blocks in read().  A signal interrupting that read returns -1
 *   with errno == EINTR (not diagnosed), so a follower can check its stop
 *   flag and call again; for files and pipes EINTR is retried internally.
 * - EPIPE (the kernel overwrote records we had not read yet) is not an
 *   error: the reader carries on and the next record's seq gap is reported
 *   as rec.lost_before (and stats.lost), with a diagnostic.  Losses are
 *   never hidden.
 * - Resuming: after lseek(fd, 0, SEEK_SET) (oldest record still in the
 *   buffer) call splat_reader_set_start_seq(r, last_seen_seq + 1): records
 *   with seq < next_seq are skipped silently (stats.skipped) and, if the
 *   oldest available record is already past next_seq, the gap is reported
 *   as lost_before on it.  Only do this when the boot id is unchanged; for
 *   a new boot start without it (seq restarts at 0).
 * - Boots: in kmsg a seq that does not increase starts a new boot. */

/* Records with seq < next_seq are skipped; a first record beyond it
 * reports the gap as lost.  Returns 0, or -1 (EINVAL) after the first
 * record was read. */
int splat_reader_set_start_seq(struct splat_reader *r, uint64_t next_seq);
/* The fd being read (for poll), or -1 for a memory reader. */
int splat_reader_fd(const struct splat_reader *r);

/* A prefilter the text reader applies while it looks for each line's end:
 * n byte pairs, a[j] at some position i and b[j] at i + d[j] (1..15).  A
 * plain text line with no such pair gets rec.clean_for = pf (else NULL:
 * not known).  pf must stay valid while records are read; NULL turns it
 * off (the default).
 * The analyzer offers one (splat_analyzer_prefilter(), analyzer.h). */
#define SPLAT_PREFILTER_MAX 16 /* the guard (guard.h) takes 4 */
struct splat_prefilter {
	unsigned n;
	unsigned char a[SPLAT_PREFILTER_MAX], b[SPLAT_PREFILTER_MAX];
	unsigned char d[SPLAT_PREFILTER_MAX];
};
void splat_reader_set_prefilter(struct splat_reader *r,
				const struct splat_prefilter *pf);
/* true when reading the live /dev/kmsg (character device 1:11; other
 * character devices such as a serial console are read as streams). */
bool splat_reader_is_live(const struct splat_reader *r);

#endif
