/* SPDX-License-Identifier: MIT */
/*
 * bench_reader - read FILE through the splat reader (and, with -a, the
 * analyzer, every line: no skipping) and print what was read: the reader's
 * share of `splat scan`, and what skipping saves over reading every line.
 *
 *   bench_reader [-a] FILE
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "splat/analyzer.h"
#include "splat/patterns.h"
#include "splat/reader.h"

static void count(void *ctx, const struct splat_event *ev)
{
	(void)ev;
	(*(uint64_t *)ctx)++;
}

int main(int argc, char **argv)
{
	bool analyze = argc == 3 && strcmp(argv[1], "-a") == 0;
	const char *path = argv[argc - 1];
	struct splat_reader *r;
	struct splat_patterns *p = NULL;
	struct splat_analyzer *a = NULL;
	struct splat_record rec;
	uint64_t events = 0, bytes = 0;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_reader [-a] FILE\n");
		return 2;
	}
	r = splat_reader_open_path(path, SPLAT_FORMAT_AUTO);
	if (!r) {
		perror(path);
		return 2;
	}
	if (analyze) {
		p = splat_patterns_new();
		a = splat_analyzer_new(p, count, &events);
		if (a) /* as `splat scan` does */
			splat_reader_set_prefilter(r,
						   splat_analyzer_prefilter(a));
	}
	while ((rc = splat_reader_next(r, &rec)) == 1) {
		bytes += rec.text_len;
		if (a)
			splat_analyzer_feed(a, &rec);
	}
	if (a) {
		splat_analyzer_finish(a);
		splat_analyzer_free(a);
		splat_patterns_free(p);
	}
	fprintf(stderr,
		"records=%" PRIu64 " boots=%" PRIu64 " text_bytes=%" PRIu64
		" events=%" PRIu64 "\n",
		splat_reader_stats(r)->records, splat_reader_stats(r)->boots,
		bytes, events);
	splat_reader_close(r);
	return rc < 0 ? 1 : 0;
}
