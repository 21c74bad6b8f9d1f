/* SPDX-License-Identifier: MIT */
/*
 * lockdep_int.h - the report-kind table (lockdep_kinds.c, pure data) and the
 * one small engine that walks it (lockdep.c).  Internal to the library.
 *
 * A row says: which header line starts a report (a leading word such as
 * "WARNING:", optionally inside old-style "[ ... ]" brackets, then a literal
 * prefix and an optional literal the line must also contain), what event
 * type and kind it is, how its title is formed and where the title's
 * function comes from, and which lock roles make up its signature.  Adding a
 * kind is adding a row (and a fixture).
 */
#ifndef SPLAT_LOCKDEP_INT_H
#define SPLAT_LOCKDEP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "splat/analyzer.h"
#include "splat/event.h"
#include "splat/record.h"

/* Leading word of a header (after optional "[ "). */
enum {
	LW_NONE = 1,	/* no leading word: the prefix starts the line */
	LW_WARNING = 2, /* "WARNING: " */
	LW_BUG = 4,	/* "BUG: " */
	LW_INFO = 8,	/* "INFO: " */
};

/* Where the "FUNC" of the title comes from (syzkaller's stackFmt parts).
 * "Skipped" means the first candidate not in splat_ld_skip_generic nor in
 * the row's skip list. */
enum ld_func {
	LF_NONE,	/* title has no function */
	LF_AT_AFTER,	/* site of the first lock line ("at: F+0x..") after a
			 * line containing func_marker (NULL: after header),
			 * as is (no skipping) */
	LF_AT_AT_STACK, /* that site, the next "at:" site, then the call
			 * trace: first not skipped */
	LF_SAFE_AT,	/* frames under the first "which became ... at:",
			 * first not skipped (syzkaller's rule for
			 * irq-safe-unsafe) */
	LF_AT_STACK,	/* the first "at:" site after the marker, then the
			 * call trace: first not skipped */
	LF_FRAME_STACK, /* first frame line after func_marker, then the call
			 * trace: first not skipped */
	LF_STACK, /* RIP/pc frame, then the call trace: first not skipped */
	LF_TRACE, /* the call trace only: first not skipped */
	LF_HEADER_SYM, /* as LF_STACK, else "at FILE:LINE F+0x.." of the
			* header */
};

enum {
	LD_INSTANT = 1u << 0,	 /* one-line event: emitted at the header */
	LD_DISABLES = 1u << 1,	 /* lockdep (debug_locks) is off afterwards */
	LD_ABSORB = 1u << 2,	 /* inside an open report, part of it */
	LD_IRQ_HEADER = 1u << 3, /* irq class = capture ("SOFTIRQ-READ") */
	LD_CONT_OFF = 1u << 4,	 /* "turning off the locking correctness
				  * validator.": part of a preceding off event */
	LD_NOSTACK = 1u << 5,	 /* no stack dump: ends after its held-lock
				  * list (lockdep_sys_exit) */
};

struct ld_kind {
	unsigned words;	      /* LW_* accepted before prefix */
	const char *prefix;   /* the rest of the line starts with this */
	const char *contains; /* and contains this (NULL: nothing more) */
	enum splat_event_type type;
	const char *kind;
	/* %W leading word, %C capture, %F function, %% percent */
	const char *title;
	/* capture: text after prefix up to cap_stop (NULL: to end) */
	const char *cap_stop;
	enum ld_func func;
	const char *func_marker;
	const char *const *skip; /* extra frame skip substrings */
	/* lock roles forming the signature, comma separated, in order */
	const char *sig_roles;
	unsigned flags;
};

extern const struct ld_kind splat_ld_kinds[];
extern const size_t splat_ld_nkinds;
/* Frames skipped when choosing a title function (syzkaller's list plus the
 * lockdep/printk/stack-dump internals). NULL terminated. */
extern const char *const splat_ld_skip_generic[];

/* ---- engine (lockdep.c) ---- */

/* Cheap tests first (the first byte, then the first two), then the table.
 * *word receives the LW_* bit seen.  Returns NULL when the line starts no
 * report. */
const struct ld_kind *ld_match(const char *line, size_t len, unsigned *word);
/* first[c] = 1 for every byte c with which a line (leading blanks and tabs
 * aside) can start that ld_match() may match; 0 for the rest and for 0
 * (an empty line matches nothing).  pair[c0][c1 / 8] bit c1 % 8: the line
 * may start with c0 c1 (a line of one byte: first[] alone decides). */
void ld_first_bytes(unsigned char first[256], uint8_t pair[256][32]);

struct ld_report;
struct ld_report *ld_report_new(void);
void ld_report_free(struct ld_report *r);
bool ld_report_open(const struct ld_report *r);
const struct ld_kind *ld_report_kind(const struct ld_report *r);
void ld_report_start(struct ld_report *r, const struct ld_kind *k,
		     unsigned word, const char *line, size_t len,
		     const struct splat_record *rec);

enum ld_feed {
	LD_MORE = 0,	    /* line consumed, report continues */
	LD_DONE = 1,	    /* line consumed, report complete */
	LD_DONE_BEFORE = 2, /* report was complete before this line: the line
			     * is not part of it */
};
enum ld_feed ld_report_line(struct ld_report *r, const char *line, size_t len,
			    const struct splat_record *rec);
/* Append a line to the report's text without interpreting it (absorbed
 * oops/panic lines). */
void ld_report_absorb(struct ld_report *r, const char *line, size_t len);
/* Mark corrupted (reason kept: the first one wins). */
void ld_report_corrupt(struct ld_report *r, const char *reason);
/* Marked "oops": an Oops cut it (its own later lines belong to it). */
bool ld_report_oopsed(const struct ld_report *r);
/* Anything of a report after its header: a lock, a frame, a RIP/pc line
 * or a "Call Trace:" line. */
bool ld_report_has_body(const struct ld_report *r);
/* Back to idle without an event. */
void ld_report_discard(struct ld_report *r);
/* Build the event, call the sink, reset to idle. */
void ld_report_emit(struct ld_report *r, splat_event_fn sink, void *ctx);
/* In its stack dump with at least one frame: may end any time. */
bool ld_report_complete(const struct ld_report *r);
int64_t ld_report_last_ts(const struct ld_report *r);

/* Emit a one-line (LD_INSTANT) event directly. */
void ld_emit_instant(const struct ld_kind *k, unsigned word, const char *line,
		     size_t len, const struct splat_record *rec,
		     splat_event_fn sink, void *ctx);

/* Helpers shared with patterns/analyzer. */
void ld_copy(char *dst, size_t dstlen, const char *src, size_t n);
/* Signature normalisation: hex addresses -> ADDR. */
void ld_normalise(char *dst, size_t dstlen, const char *src);

#endif
