/* SPDX-License-Identifier: MIT */
/*
 * pipeline.h - one pass over one stream: reader -> analyzer -> summary.
 *
 * Every consumer of a whole log (splat scan, the bundle recompute behind
 * summary/verify) runs this loop rather than its own: the reader's fast
 * path (passing over lines the idle analyzer does not need, reader.h) and
 * the unrecognized-header guard (guard.h) live here once.  The live
 * follower (splat watch) feeds records as they come and calls the
 * analyzer itself.
 */
#ifndef SPLAT_PIPELINE_H
#define SPLAT_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "splat/analyzer.h"
#include "splat/guard.h"
#include "splat/reader.h"
#include "splat/summary.h"

struct splat_pipeline {
	/* in */
	const struct splat_patterns *patterns; /* NULL: none */
	splat_event_fn sink;		       /* every event; NULL: none */
	void *ctx;
	struct splat_summary *summary; /* every record and event; NULL */
	bool no_detail;		       /* events without detail (analyzer.h) */
	bool every_line;      /* no fast path: the reader returns every line */
	unsigned boot_offset; /* added to the boots the summary sees (several
			       * files in one summary) */
	/* out */
	bool any;	   /* a record was read */
	unsigned max_boot; /* the greatest boot the summary saw */
	struct splat_unrecognized unrecognized;
};

/* Read r to its end.  Returns 0; -1 on a read error (the reader diagnosed
 * it) or out of memory (errno ENOMEM).  What was read is counted either
 * way, and the analyzer is finished. */
int splat_pipeline_run(struct splat_pipeline *p, struct splat_reader *r);

/* "N lines hold a report header that became no event (first at lines a,
 * b, ...)": the warning every front end prints, into buf. */
void splat_unrecognized_text(const struct splat_unrecognized *u, char *buf,
			     size_t n);

#endif
