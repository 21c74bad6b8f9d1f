/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reader - libFuzzer target over the input readers and the analyzer.
 *
 * Input: byte 0 picks the format (mod 6: auto, text, kmsg, journal-json,
 * journal-export, dmesg-json), byte 1 a read chunk size, the rest is the
 * log.  Every record is fed to the analyzer (lockdep recogniser, patterns);
 * each event is turned into JSON.  Besides the sanitizers, two properties
 * are checked: reading in small chunks gives exactly the records and
 * statistics of reading in one go (the buffering must be invisible), and the
 * analyzer's reader prefilter (what `splat scan` uses) gives exactly the
 * events of the unfiltered path, and the reader passing over the lines the
 * idle analyzer does not need (splat_reader_next_skipping(), also what
 * `splat scan` does) gives exactly the events, summary and statistics of
 * reading every record; those two each with the 16-byte pair scanner and
 * the AVX2 one (byte 0 / 6, bit 0, chooses which gets which).
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, enum splat_diag_level level, const char *name,
		  uint64_t line_no, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)name;
	(void)line_no;
	if (!msg || !*msg)
		abort(); /* every diagnostic says something */
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

struct ev_ctx {
	uint64_t *h; /* the events' hash, in order */
	struct splat_summary *sum;
	uint64_t reports; /* lockdep, lockdep-off and bug events */
};

static void sink(void *ctx, const struct splat_event *ev)
{
	struct ev_ctx *c = ctx;
	struct json_object *o = splat_event_to_json(ev);

	if (o) {
		const char *s = json_object_to_json_string(o);
		*c->h = mix(*c->h, s, strlen(s));
		json_object_put(o);
	}
	splat_summary_add_event(c->sum, ev);
	c->reports += ev->type == SPLAT_EV_LOCKDEP ||
		      ev->type == SPLAT_EV_LOCKDEP_OFF ||
		      ev->type == SPLAT_EV_BUG;
}

/* Read (and, when events is not NULL, analyze, with the analyzer's reader
 * prefilter when prefilter is set, passing over what the analyzer does not
 * need when skip is set): returns the records' hash (of the records
 * returned), stores the hash of the events and of the summary in *events. */
static uint64_t run(const uint8_t *data, size_t size, enum splat_format fmt,
		    size_t chunk, uint64_t *events, bool prefilter, bool skip,
		    bool wide, struct splat_reader_stats *st)
{
	struct splat_reader *r = splat_reader_open_mem(data, size, "fuzz", fmt);
	struct splat_patterns *pat = events ? splat_patterns_new() : NULL;
	struct splat_analyzer *a = NULL;
	struct ev_ctx c = {events, NULL, 0};
	bool header = false; /* a record's text holds a report header */
	struct splat_record rec;
	uint64_t h = 0xcbf29ce484222325ULL;
	int rc;

	if (!r)
		abort();
	splat_reader_set_diag(r, quiet, NULL);
	r->read_max = chunk;
	r->simd_wide = r->simd_wide && wide; /* the AVX2 clone, if any */
	if (events) {
		*events = 0xcbf29ce484222325ULL;
		c.sum = splat_summary_new();
		a = splat_analyzer_new(pat, sink, &c);
		if (prefilter)
			splat_reader_set_prefilter(r,
						   splat_analyzer_prefilter(a));
	}
	while ((rc = splat_reader_next_skipping(
			r, &rec, a && skip ? splat_analyzer_skip(a) : NULL)) ==
	       1) {
		if (rec.skipped && !skip)
			abort();
		if (strlen(rec.text) != rec.text_len || rec.raw_len > size)
			abort();
		h = mix(h, rec.text, rec.text_len);
		h = mix(h, &rec.ts_usec, sizeof(rec.ts_usec));
		h = mix(h, &rec.seq, sizeof(rec.seq));
		h = mix(h, &rec.boot, sizeof(rec.boot));
		h = mix(h, &rec.level, sizeof(rec.level));
		h = mix(h, &rec.facility, sizeof(rec.facility));
		h = mix(h, &rec.lost_before, sizeof(rec.lost_before));
		h = mix(h, &rec.line_no, sizeof(rec.line_no));
		h = mix(h, rec.caller, strlen(rec.caller));
		h = mix(h, rec.boot_id, strlen(rec.boot_id));
		h = mix(h, rec.raw, rec.raw_len);
		if (a && !skip && splat_guard_line(rec.text, rec.text_len))
			header = true;
		if (a) {
			splat_summary_add_record(c.sum, &rec);
			splat_analyzer_feed(a, &rec);
		}
	}
	if (rc != 0)
		abort(); /* memory input: no I/O errors */
	if (a) {
		splat_analyzer_finish(a);
		/* never a silent zero: a header in the input is an event or
		 * is counted as unrecognized */
		if (header && !c.reports &&
		    !splat_analyzer_unrecognized(a)->count)
			abort();
		splat_analyzer_free(a);
		struct json_object *j = splat_summary_to_json(c.sum, 0.95);
		const char *js = json_object_to_json_string(j);
		*events = mix(*events, js, strlen(js));
		json_object_put(j);
		splat_summary_free(c.sum);
	}
	if (pat)
		splat_patterns_free(pat);
	*st = *splat_reader_stats(r);
	splat_reader_close(r);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct splat_reader_stats s1, s2, s3, s4;
	enum splat_format fmt;
	size_t chunk;
	uint64_t h1, h2, h3, e1, e3, e4;
	bool wide;

	if (size < 2)
		return 0;
	/* every row of the format table (auto and each forced one) */
	fmt = (enum splat_format)(data[0] % splat_format_count());
	wide = (data[0] / splat_format_count()) & 1;
	chunk = (size_t)data[1] % 64 + 1;
	data += 2;
	size -= 2;
	h1 = run(data, size, fmt, 0, &e1, false, false, false, &s1);
	h2 = run(data, size, fmt, chunk, NULL, false, false, false, &s2);
	if (h1 != h2 || memcmp(&s1, &s2, sizeof(s1)) != 0)
		abort(); /* chunking changed what was read */
	/* the prefilter, and skipping, each with both pair scanners */
	h3 = run(data, size, fmt, chunk, &e3, true, false, wide, &s3);
	if (h3 != h1 || e3 != e1 || memcmp(&s1, &s3, sizeof(s1)) != 0)
		abort(); /* the prefilter changed what was read or found */
	(void)run(data, size, fmt, chunk, &e4, true, true, !wide, &s4);
	if (e4 != e1 || memcmp(&s1, &s4, sizeof(s1)) != 0)
		abort(); /* skipping changed what was found or counted */
	return 0;
}
