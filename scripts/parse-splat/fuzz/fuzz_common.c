/* SPDX-License-Identifier: MIT */
/*
 * fuzz_common.c - the reader + analyzer cross-checks every log-reading
 * libFuzzer target runs (fuzz_common.h).
 *
 * One input is read twice: in one go with the analyzer (the reference),
 * then in small chunks with the analyzer's reader prefilter, and, for
 * half the inputs, the reader passing over the lines the idle analyzer
 * does not need (splat_reader_next_skipping()).  The records (unless
 * skipping), the events, the summary and the reader's statistics must be
 * the same both times: the buffering, the prefilter and skipping must be
 * invisible.  The chunk size (1..64), the pair scanner (16-byte or AVX2)
 * and skipping or not are drawn from a hash of the input, so every input
 * has its own and a campaign covers them all without paying for 64 reads
 * an input.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "splat/analyzer.h"
#include "splat/patterns.h"
#include "splat/event.h"
#include "splat/guard.h"
#include "splat/reader.h"
#include "splat/summary.h"
#include "../src/reader_int.h"

#include "fuzz_common.h"

void fuzz_quiet(void *ctx, enum splat_diag_level level, const char *name,
		uint64_t line_no, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)name;
	(void)line_no;
	if (!msg || !*msg)
		abort(); /* every diagnostic says something */
}

uint64_t fuzz_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

struct ev_ctx {
	uint64_t *h; /* the events' hash, in order */
	struct splat_summary *sum;
	uint64_t reports; /* events made of lines (not boot, not lost) */
};

static void sink(void *ctx, const struct splat_event *ev)
{
	struct ev_ctx *c = ctx;
	struct json_object *o = splat_event_to_json(ev);

	if (o) {
		const char *s = json_object_to_json_string(o);
		*c->h = fuzz_mix(*c->h, s, strlen(s));
		json_object_put(o);
	}
	splat_summary_add_event(c->sum, ev);
	/* a header line may be a report or part of a user pattern's event */
	c->reports += ev->type != SPLAT_EV_BOOT && ev->type != SPLAT_EV_LOST;
}

static uint64_t hash_record(uint64_t h, const struct splat_record *rec)
{
	h = fuzz_mix(h, rec->text, rec->text_len);
	h = fuzz_mix(h, &rec->ts_usec, sizeof(rec->ts_usec));
	h = fuzz_mix(h, &rec->seq, sizeof(rec->seq));
	h = fuzz_mix(h, &rec->boot, sizeof(rec->boot));
	h = fuzz_mix(h, &rec->level, sizeof(rec->level));
	h = fuzz_mix(h, &rec->facility, sizeof(rec->facility));
	h = fuzz_mix(h, &rec->lost_before, sizeof(rec->lost_before));
	h = fuzz_mix(h, &rec->line_no, sizeof(rec->line_no));
	h = fuzz_mix(h, rec->caller, strlen(rec->caller));
	h = fuzz_mix(h, rec->boot_id, strlen(rec->boot_id));
	return fuzz_mix(h, rec->raw, rec->raw_len);
}

/* End of the analyzed input: the never-a-silent-zero check, the summary's
 * JSON into the events' hash. */
static void finish(struct splat_analyzer *a, struct ev_ctx *c, bool header)
{
	splat_analyzer_finish(a);
	/* a header in the input is an event or is counted as unrecognized */
	if (header && !c->reports && !splat_analyzer_unrecognized(a)->count)
		abort();
	splat_analyzer_free(a);
	struct json_object *j = splat_summary_to_json(c->sum, 0.95);
	const char *js = json_object_to_json_string(j);

	*c->h = fuzz_mix(*c->h, js, strlen(js));
	json_object_put(j);
	splat_summary_free(c->sum);
}

enum run_mode { RUN_PLAIN, RUN_PREFILTER, RUN_SKIP };

/* Read and analyze (with the analyzer's reader prefilter from
 * RUN_PREFILTER on, passing over what the analyzer does not need with
 * RUN_SKIP) in chunks of at most chunk bytes (0: no limit): returns the
 * records' hash (of the records returned), stores the hash of the events
 * and of the summary in *events. */
static uint64_t run(const uint8_t *data, size_t size, enum splat_format fmt,
		    const struct splat_patterns *pat, size_t chunk,
		    uint64_t *events, enum run_mode mode, bool wide,
		    struct splat_reader_stats *st)
{
	struct splat_reader *r = splat_reader_open_mem(data, size, "fuzz", fmt);
	struct ev_ctx c = {events, splat_summary_new(), 0};
	struct splat_analyzer *a = splat_analyzer_new(pat, sink, &c);
	bool header = false; /* a record's text holds a report header */
	struct splat_record rec;
	struct splat_skipped sk;
	uint64_t h = FUZZ_FNV_BASIS;
	int rc;

	if (!r || !c.sum || !a)
		abort();
	splat_reader_set_diag(r, fuzz_quiet, NULL);
	r->read_max = chunk;
	r->simd_wide = r->simd_wide && wide; /* the AVX2 clone, if any */
	*events = FUZZ_FNV_BASIS;
	if (mode != RUN_PLAIN)
		splat_reader_set_prefilter(r, splat_analyzer_prefilter(a));
	while ((rc = splat_reader_next_skipping(
			r, &rec,
			mode == RUN_SKIP ? splat_analyzer_skip(a) : NULL,
			&sk)) == 1) {
		if (sk.n && mode != RUN_SKIP)
			abort();
		if (strlen(rec.text) != rec.text_len || rec.raw_len > size)
			abort();
		h = hash_record(h, &rec);
		if (mode != RUN_SKIP &&
		    splat_guard_line(rec.text, rec.text_len))
			header = true;
		splat_summary_skipped(c.sum, &sk, &rec);
		splat_summary_add_record(c.sum, &rec);
		splat_analyzer_skipped(a, &sk);
		splat_analyzer_feed(a, &rec);
	}
	if (rc != 0)
		abort(); /* memory input: no I/O errors */
	finish(a, &c, header);
	*st = *splat_reader_stats(r);
	splat_reader_close(r);
	return h;
}

void fuzz_check_log(const uint8_t *data, size_t size, enum splat_format fmt,
		    const struct splat_patterns *pat)
{
	struct splat_reader_stats s1, s2;
	uint64_t seed = fuzz_mix(FUZZ_FNV_BASIS, data, size);
	size_t chunk = (size_t)(seed % 64) + 1;
	bool wide = (seed >> 8) & 1;
	enum run_mode mode = (seed >> 9) & 1 ? RUN_SKIP : RUN_PREFILTER;
	uint64_t h1, h2, e1, e2;
	static struct splat_patterns *builtin;

	if (!pat) { /* compiled once: the regexes cost more than a read */
		if (!builtin && !(builtin = splat_patterns_new()))
			abort();
		pat = builtin;
	}
	h1 = run(data, size, fmt, pat, 0, &e1, RUN_PLAIN, false, &s1);
	h2 = run(data, size, fmt, pat, chunk, &e2, mode, wide, &s2);
	if (memcmp(&s1, &s2, sizeof(s1)) != 0)
		abort(); /* chunking, the prefilter or skipping changed counts
			  */
	if (mode == RUN_PREFILTER && h2 != h1)
		abort(); /* chunking or the prefilter changed what was read */
	if (e2 != e1)
		abort(); /* the prefilter or skipping changed what was found */
}
