/* SPDX-License-Identifier: MIT */
/*
 * fastpath.h - the reader passing over lines the idle analyzer does not
 * need, library-internal.  Only the pipeline (pipeline.c) runs it; the
 * public API (reader.h, record.h, analyzer.h) knows nothing of it, and a
 * consumer that reads with splat_reader_next() sees every line.  Tests
 * and the fuzzers include it to check that the fast path finds exactly
 * what the plain loop finds.
 */
#ifndef SPLAT_FASTPATH_H
#define SPLAT_FASTPATH_H

#include <stdbool.h>
#include <stdint.h>

#include "splat/analyzer.h"
#include "splat/reader.h"
#include "splat/summary.h"

/* Lines a consumer need not see while it is idle (splat_analyzer_skip(),
 * analyzer.h): a plain text line that is clean for pf (the prefilter
 * installed with splat_reader_set_prefilter(), the same pointer), whose
 * message, leading blanks and tabs aside, starts with a byte b for which
 * first[b] is 0 (first[0]: an empty one), that neither starts a new boot
 * nor reports a loss ... */
#define SPLAT_SKIP_CALLERS 4
struct splat_skip {
	const struct splat_prefilter *pf;
	unsigned char first[256];
	/* ... or, when first[b] is 1, whose second byte c has bit c % 8 of
	 * second[b][c / 8] clear (a message of one byte: none) ... */
	uint8_t second[256][32];
	/* ... or, when both are set and keep is set, for which keep()
	 * returns false (the message, NUL terminated, and its length) ... */
	bool (*keep)(const struct splat_skip *sk, const char *msg, size_t len);
	/* ... and whose message neither ends in these 8 bytes nor in a blank
	 * or tab (the analyzer's "N callbacks suppressed" test) ... */
	char tail[8];
	/* ... and, when clock is set (the consumer has reports open), whose
	 * caller id (rec.caller, "" included) is none of callers[] and whose
	 * timestamp, if it has one, is not after until.  Such a line with a
	 * timestamp t at or after mark + every, or before mark, or any t when
	 * mark is SPLAT_TS_NONE, sets mark to t: the consumer's periodic check
	 * ran on it and found nothing to do before until.  The reader writes
	 * mark back; the consumer takes it from there. */
	bool clock;
	unsigned ncallers;
	char callers[SPLAT_SKIP_CALLERS][16];
	int64_t until, mark, every;
};
/* Lines the reader passed over just before the record it returns, because
 * the consumer asked it to.  They are records in every other respect (seq
 * indexes, stats, line numbers count them); a consumer that counts records
 * or tracks time adds them first (splat_analyzer_skipped(),
 * splat_summary_skipped()).  All of them are of boot `boot`; ts_* are the
 * least, greatest and last of their timestamps (SPLAT_TS_NONE if none had
 * one).  The other fields are set only when n > 0. */
struct splat_skipped {
	uint64_t n;
	unsigned boot;
	unsigned clocks; /* bit 1 << clock of each skipped line */
	int64_t ts_min, ts_max, ts_last;
};

/* splat_reader_next(), except that with sk non-NULL the text reader may
 * pass over lines that sk says the consumer does not need, and account
 * them in *skipped (n = 0 when none; never NULL).  It never passes over the
 * last line it has buffered, so every skipped line is accounted in a returned
 * record (only a read error, -1, can leave some unaccounted; its diagnostic
 * says the input is cut). Other formats, and sk == NULL, read every record.  sk
 * is used during the call only (sk->mark updated): pass NULL whenever the
 * consumer's state needs every line. */
int splat_reader_next_skipping(struct splat_reader *r, struct splat_record *rec,
			       struct splat_skip *sk,
			       struct splat_skipped *skipped);

/* The lines the analyzer need not see now, for splat_reader_next_skipping()
 * with the reader's prefilter set to splat_analyzer_prefilter(): NULL while
 * it needs every line (before the first record, a pattern waiting for its
 * follow-up, many reports open).  Ask before every read: the answer changes
 * with every record fed. */
struct splat_skip *splat_analyzer_skip(struct splat_analyzer *a);
/* Account the lines passed over (sk->n > 0) before feeding the record that
 * came with them. */
void splat_analyzer_skipped(struct splat_analyzer *a,
			    const struct splat_skipped *sk);
/* The same for the summary: counted and timed as if each had come alone;
 * next is the record that came with them. */
void splat_summary_skipped(struct splat_summary *s,
			   const struct splat_skipped *sk,
			   const struct splat_record *next);

#endif
