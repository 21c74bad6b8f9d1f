/* SPDX-License-Identifier: MIT */
/*
 * pipeline.c - reader -> analyzer -> summary, the one read loop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fastpath.h"
#include "splat/pipeline.h"

static void on_event(void *ctx, const struct splat_event *ev)
{
	struct splat_pipeline *p = ctx;

	if (p->summary) {
		if (p->boot_offset) {
			struct splat_event e = *ev;
			e.boot += p->boot_offset;
			splat_summary_add_event(p->summary, &e);
		} else {
			splat_summary_add_event(p->summary, ev);
		}
	}
	if (p->sink)
		p->sink(p->ctx, ev);
}

int splat_pipeline_run(struct splat_pipeline *p, struct splat_reader *r)
{
	struct splat_analyzer *a = splat_analyzer_new(p->patterns, on_event, p);
	struct splat_record rec;
	struct splat_skipped sk;
	int rc, ret = 0;

	p->any = false;
	memset(&p->unrecognized, 0, sizeof(p->unrecognized));
	if (!a) {
		errno = ENOMEM;
		return -1;
	}
	splat_analyzer_set_no_detail(a, p->no_detail);
	if (!p->every_line)
		splat_reader_set_prefilter(r, splat_analyzer_prefilter(a));
	/* lines the analyzer does not need while idle are passed over by
	 * the reader and come as counts (sk, fastpath.h) */
	while ((rc = splat_reader_next_skipping(
			r, &rec, p->every_line ? NULL : splat_analyzer_skip(a),
			&sk)) == 1) {
		if (p->summary) {
			/* the summary's boots run on across files: offset
			 * them for it alone (no copy of the record per line) */
			rec.boot += p->boot_offset;
			if (sk.n)
				sk.boot += p->boot_offset;
			if (rec.boot > p->max_boot)
				p->max_boot = rec.boot;
			splat_summary_skipped(p->summary, &sk, &rec);
			splat_summary_add_record(p->summary, &rec);
			rec.boot -= p->boot_offset;
		}
		splat_analyzer_skipped(a, &sk);
		if (splat_analyzer_feed(a, &rec) < 0) {
			errno = ENOMEM;
			ret = -1;
			break;
		}
		p->any = true;
	}
	if (rc < 0)
		ret = -1;
	splat_analyzer_finish(a);
	p->unrecognized = *splat_analyzer_unrecognized(a);
	if (p->summary) {
		splat_summary_add_unrecognized(p->summary,
					       p->unrecognized.count);
		splat_summary_add_bad_lines(p->summary,
					    splat_reader_stats(r)->bad_lines);
	}
	splat_analyzer_free(a);
	return ret;
}

void splat_unrecognized_text(const struct splat_unrecognized *u, char *buf,
			     size_t n)
{
	size_t o = (size_t)snprintf(
		buf, n,
		"%llu line%s hold%s a report header (WARNING:/BUG:/INFO:/Oops) "
		"that became no event: a line format or report splat does not "
		"read; counts may be too low (first at line",
		(unsigned long long)u->count, u->count == 1 ? "" : "s",
		u->count == 1 ? "s" : "");
	for (unsigned i = 0; i < u->nfirst && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s %llu",
				      i ? "," : (u->nfirst > 1 ? "s" : ""),
				      (unsigned long long)u->first[i]);
	if (o < n)
		snprintf(buf + o, n - o, ")");
}
