/* SPDX-License-Identifier: MIT */
/*
 * cmd_scan.c - splat scan: read kernel logs, print lockdep reports, other
 * kernel bugs and pattern hits (a table or JSON Lines), or their summary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "commands.h"
#include "splat/analyzer.h"
#include "splat/bundle.h"
#include "splat/event.h"
#include "splat/patterns.h"
#include "splat/pipeline.h"
#include "splat/reader.h"
#include "splat/summary.h"

#define MAX_FAIL_ON 32

struct scan {
	bool json;
	bool summary;
	bool strict;
	const char *fail_on[MAX_FAIL_ON];
	unsigned nfail;
	bool matched;
	const char *file;
	unsigned boot_offset;
	unsigned max_boot;
	struct splat_summary *sum;
	uint64_t n_type[SPLAT_EV_LOST + 1];
	uint64_t n_events;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: splat scan [--format F] [--json] [--summary] [--patterns FILE]...\n"
		"                  [--fail-on KIND]... [--strict] [--confidence C] FILE...|-\n"
		"\n"
		"Read kernel logs (console/dmesg text, journalctl in its short formats,\n"
		"syslog files, dmesg -T/-H/iso, /dev/kmsg records, journalctl -o json or\n"
		"export, dmesg --json, pastes from mail; detected per file and per line)\n"
		"and report lockdep splats, other kernel bugs (WARN/BUG/Oops, never counted\n"
		"as lockdep), lockdep turning itself off, named patterns and\n"
		"ratelimit-suppressed lines.  '-' reads stdin.  Lines that hold a report\n"
		"header (WARNING:, BUG:, INFO:, Oops) but became no event are counted and\n"
		"reported on stderr: a count may then be too low.\n"
		"\n"
		"  -f, --format F      force the input format (default auto; --format list\n"
		"                      lists them with their aliases)\n"
		"  -j, --json          JSON Lines, one event per line (with --summary: the\n"
		"                      summary.json document instead)\n"
		"  -s, --summary       per-boot counts, lockdep-active exposure and Poisson\n"
		"                      rates with exact intervals instead of the event list\n"
		"  -p, --patterns FILE add user patterns (format: see README); repeatable\n"
		"      --fail-on KIND  exit 3 when an event matches KIND: any, lockdep,\n"
		"                      lockdep-off, bug, pattern, a kind (e.g. circular,\n"
		"                      irq-safe-unsafe, max-too-low, oops) or a pattern name;\n"
		"                      repeatable\n"
		"      --strict        exit 6 when a line holds a report header that became\n"
		"                      no event (an unknown line format or report)\n"
		"      --confidence C  interval confidence for --summary (default 0.95)\n"
		"  -h, --help          this text\n"
		"\n"
		"Exit status: 0 done, nothing matched --fail-on; 1 runtime failure (I/O);\n"
		"2 bad usage or bad input (unreadable file, no kernel log records at all,\n"
		"bad pattern file); 3 an event matched --fail-on; 6 --strict and a report\n"
		"header became no event.\n");
}

static void list_formats(void)
{
	for (unsigned i = 0; i < splat_format_count(); i++) {
		const char *const *al =
			splat_format_aliases((enum splat_format)i);
		printf("%-18s %s\n", splat_format_name((enum splat_format)i),
		       splat_format_help((enum splat_format)i));
		if (al[0]) {
			printf("%-18s   also:", "");
			for (unsigned j = 0; al[j]; j++)
				printf(" %s", al[j]);
			putchar('\n');
		}
	}
}

static bool fail_match(const struct scan *sc, const struct splat_event *ev)
{
	for (unsigned i = 0; i < sc->nfail; i++) {
		const char *f = sc->fail_on[i];
		switch (ev->type) {
		case SPLAT_EV_LOCKDEP:
		case SPLAT_EV_LOCKDEP_OFF:
		case SPLAT_EV_BUG:
		case SPLAT_EV_PATTERN:
		case SPLAT_EV_PATTERN_PAIR:
			if (!strcmp(f, "any"))
				return true;
			if (!strcmp(f, splat_event_type_name(ev->type)))
				return true;
			if (!strcmp(f, "pattern") &&
			    ev->type == SPLAT_EV_PATTERN)
				return true;
			if (ev->kind && !strcmp(f, ev->kind))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

static void print_row(const struct splat_event *ev, unsigned boot)
{
	char t[32];
	if (ev->ts_usec == SPLAT_TS_NONE)
		snprintf(t, sizeof(t), "-");
	else
		snprintf(t, sizeof(t), "%lld.%06lld",
			 (long long)(ev->ts_usec / 1000000),
			 (long long)(ev->ts_usec % 1000000));
	const char *title = ev->title ? ev->title : "";
	printf("%15s %4u  %-12s %-22s %s", t, boot,
	       splat_event_type_name(ev->type), ev->kind ? ev->kind : "-",
	       title);
	if (ev->count > 1)
		printf("  (x%llu)", (unsigned long long)ev->count);
	if (ev->corrupted)
		printf("  [corrupted]");
	if (ev->type == SPLAT_EV_PATTERN && ev->detail) {
		json_object *p;
		if (json_object_object_get_ex(ev->detail, "paired", &p) && p &&
		    !json_object_get_boolean(p))
			printf("  [unpaired]");
	}
	putchar('\n');
}

static void on_event(void *ctx, const struct splat_event *ev0)
{
	struct scan *sc = ctx;
	struct splat_event ev = *ev0;
	ev.boot += sc->boot_offset;
	if (ev.boot > sc->max_boot)
		sc->max_boot = ev.boot;
	sc->n_type[ev.type] +=
		ev.type == SPLAT_EV_SUPPRESSED || ev.type == SPLAT_EV_LOST
			? ev.count
			: 1;
	sc->n_events++;
	if (fail_match(sc, &ev))
		sc->matched = true;
	if (sc->summary)
		return;
	if (sc->json) {
		json_object *o = splat_event_to_json(&ev);
		if (!o)
			return;
		json_object_object_add(o, "file",
				       json_object_new_string(sc->file));
		/* the report text is long: keep it, JSON Lines are for tools */
		puts(json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PLAIN |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		print_row(&ev, ev.boot);
	}
}

/* ---- human summary, printed from the summary.json document ---- */

static void print_rate(json_object *o)
{
	json_object *ci = splat_jpath(o, "ci");
	if (!splat_jpath(o, "rate_per_h") || !ci) {
		printf("rate n/a (no timed exposure)");
		return;
	}
	printf("%.3g/h [%.3g, %.3g]", splat_jnum(o, "rate_per_h", 0),
	       json_object_get_double(json_object_array_get_idx(ci, 0)),
	       json_object_get_double(json_object_array_get_idx(ci, 1)));
}

static void print_summary(json_object *doc)
{
	json_object *in = splat_jpath(doc, "input");
	printf("summary (%.0f%% exact Poisson intervals)\n",
	       splat_jnum(doc, "confidence", 0) * 100);
	if (splat_jint(in, "unrecognized_headers", 0))
		printf("WARNING: %lld lines hold a report header that became "
		       "no event: counts may be too low\n",
		       (long long)splat_jint(in, "unrecognized_headers", 0));
	printf("input: %lld records, %lld boots, %lld lost, %lld bad lines\n",
	       (long long)splat_jint(in, "records", 0),
	       (long long)splat_jint(in, "boots", 0),
	       (long long)splat_jint(in, "lost", 0),
	       (long long)splat_jint(in, "bad_lines", 0));
	json_object *boots = splat_jpath(doc, "boots");
	for (size_t i = 0; boots && i < json_object_array_length(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		printf("boot %lld%s%s: observed %.3f h, lockdep-active %.3f h",
		       (long long)splat_jint(b, "index", 0),
		       splat_jstr(b, "boot_id") ? " " : "",
		       splat_jstr(b, "boot_id") ? splat_jstr(b, "boot_id") : "",
		       splat_jnum(b, "observed_h", 0),
		       splat_jnum(b, "lockdep_active_h", 0));
		const char *clock = splat_jstr(b, "clock");
		if (clock)
			printf(", clock: %s", clock);
		json_object *off = splat_jpath(b, "lockdep_off");
		if (off) {
			if (splat_jpath(off, "usec"))
				printf(", lockdep off (%s) at %.3f s",
				       splat_jstr(off, "reason"),
				       (double)splat_jint(off, "usec", 0) /
					       1e6);
			else
				printf(", lockdep off (%s)",
				       splat_jstr(off, "reason"));
		}
		json_object *fr = splat_jpath(b, "first_report");
		if (fr)
			printf("\n  first report: %s [%s]",
			       splat_jstr(fr, "title"),
			       splat_jstr(fr, "signature"));
		printf("\n  counts:");
		json_object *c = splat_jpath(b, "counts");
		bool first = true;
		if (c) {
			json_object_object_foreach(c, k, v)
			{
				printf("%s %s %lld", first ? "" : ",", k,
				       (long long)json_object_get_int64(v));
				first = false;
			}
		}
		putchar('\n');
	}
	json_object *ld = splat_jpath(doc, "lockdep");
	printf("lockdep: %lld of %lld boots ended by a report; lockdep-active "
	       "%.3f h; ",
	       (long long)splat_jint(ld, "boots_with_report", 0),
	       (long long)splat_jint(ld, "boots", 0),
	       splat_jnum(ld, "exposure_h", 0));
	print_rate(ld);
	if (splat_jpath(ld, "upper_one_sided"))
		printf("; one-sided upper %.3g/h",
		       splat_jnum(ld, "upper_one_sided", 0));
	putchar('\n');
	json_object *sigs = splat_jpath(ld, "signatures");
	for (size_t i = 0; sigs && i < json_object_array_length(sigs); i++) {
		json_object *g = json_object_array_get_idx(sigs, i);
		printf("  %4lldx %-18s %s\n       %s\n",
		       (long long)splat_jint(g, "count", 0),
		       splat_jstr(g, "kind"), splat_jstr(g, "title"),
		       splat_jstr(g, "signature"));
	}
	json_object *pats = splat_jpath(doc, "patterns");
	for (size_t i = 0; pats && i < json_object_array_length(pats); i++) {
		json_object *p = json_object_array_get_idx(pats, i);
		printf("%s: %lld lines + %lld suppressed = %lld, %lld "
		       "follow-ups, %lld pairs; observed %.3f h; ",
		       splat_jstr(p, "name"),
		       (long long)splat_jint(p, "lines", 0),
		       (long long)splat_jint(p, "suppressed_added", 0),
		       (long long)splat_jint(p, "count", 0),
		       (long long)splat_jint(p, "followups", 0),
		       (long long)splat_jint(p, "pairs", 0),
		       splat_jnum(p, "exposure_h", 0));
		print_rate(p);
		putchar('\n');
	}
	json_object *bugs = splat_jpath(doc, "bugs");
	size_t nb = bugs ? json_object_array_length(bugs) : 0;
	printf("other kernel bugs (not lockdep): %zu signature%s\n", nb,
	       nb == 1 ? "" : "s");
	for (size_t i = 0; i < nb; i++) {
		json_object *g = json_object_array_get_idx(bugs, i);
		printf("  %4lldx %-18s %s\n",
		       (long long)splat_jint(g, "count", 0),
		       splat_jstr(g, "kind"), splat_jstr(g, "title"));
	}
}

/* The reader's diagnostics, as it prints them, remembering errors: an
 * input the reader calls an error is bad input (exit 2) even when it gave
 * records. */
static void scan_diag(void *ctx, enum splat_diag_level level, const char *name,
		      uint64_t line_no, const char *msg)
{
	bool *err = ctx;
	if (level == SPLAT_DIAG_ERROR)
		*err = true;
	splat_diag_print(NULL, level, name, line_no, msg);
}

static bool known_fail_kind(const char *k, const struct splat_patterns *p)
{
	static const char *const fixed[] = {"any", "lockdep", "lockdep-off",
					    "bug", "pattern", "pattern-pair",
					    NULL};
	for (unsigned i = 0; fixed[i]; i++)
		if (!strcmp(k, fixed[i]))
			return true;
	if (!splat_kind_lookup(k, NULL))
		return true;
	for (size_t i = 0; i < splat_patterns_count(p); i++)
		if (!strcmp(k, splat_patterns_name(p, i)))
			return true;
	return false;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'j'},
		{"summary", no_argument, NULL, 's'},
		{"patterns", required_argument, NULL, 'p'},
		{"fail-on", required_argument, NULL, 'F'},
		{"confidence", required_argument, NULL, 'c'},
		{"strict", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct scan sc;
	memset(&sc, 0, sizeof(sc));
	enum splat_format fmt = SPLAT_FORMAT_AUTO;
	const char *pattern_files[32];
	unsigned npf = 0;
	double confidence = 0.95;
	int c;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((c = getopt_long(argc, argv, "f:jsp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "list")) {
				list_formats();
				return SPLAT_EXIT_OK;
			}
			if (splat_format_parse(optarg, &fmt)) {
				fprintf(stderr,
					"splat scan: unknown format '%s' (--format list "
					"lists them)\n",
					optarg);
				return SPLAT_EXIT_USAGE;
			}
			break;
		case 'j':
			sc.json = true;
			break;
		case 'S':
			sc.strict = true;
			break;
		case 's':
			sc.summary = true;
			break;
		case 'p':
			if (npf >=
			    sizeof(pattern_files) / sizeof(pattern_files[0])) {
				fprintf(stderr,
					"splat scan: too many --patterns\n");
				return SPLAT_EXIT_USAGE;
			}
			pattern_files[npf++] = optarg;
			break;
		case 'F':
			if (sc.nfail >= MAX_FAIL_ON) {
				fprintf(stderr,
					"splat scan: too many --fail-on\n");
				return SPLAT_EXIT_USAGE;
			}
			sc.fail_on[sc.nfail++] = optarg;
			break;
		case 'c': {
			char *end;
			errno = 0;
			confidence = strtod(optarg, &end);
			if (*end || errno ||
			    !(confidence > 0 && confidence < 1)) {
				fprintf(stderr,
					"splat scan: --confidence wants a number in (0,1), "
					"not '%s'\n",
					optarg);
				return SPLAT_EXIT_USAGE;
			}
			break;
		}
		case 'h':
			usage(stdout);
			return SPLAT_EXIT_OK;
		default:
			usage(stderr);
			return SPLAT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr,
			"splat scan: no input: give FILE... or - for stdin "
			"(see 'splat scan --help')\n");
		return SPLAT_EXIT_USAGE;
	}

	struct splat_patterns *pats = splat_patterns_new();
	if (!pats) {
		fprintf(stderr, "splat scan: out of memory\n");
		return SPLAT_EXIT_FAILURE;
	}
	for (unsigned i = 0; i < npf; i++) {
		char err[512];
		if (splat_patterns_load(pats, pattern_files[i], err,
					sizeof(err))) {
			fprintf(stderr, "splat scan: %s\n", err);
			splat_patterns_free(pats);
			return SPLAT_EXIT_USAGE;
		}
	}
	for (unsigned i = 0; i < sc.nfail; i++)
		if (!known_fail_kind(sc.fail_on[i], pats)) {
			fprintf(stderr,
				"splat scan: --fail-on '%s': not any, lockdep, lockdep-off, "
				"bug, pattern, a known kind or a pattern name\n",
				sc.fail_on[i]);
			splat_patterns_free(pats);
			return SPLAT_EXIT_USAGE;
		}

	sc.sum = splat_summary_new();
	if (!sc.sum) {
		splat_patterns_free(pats);
		fprintf(stderr, "splat scan: out of memory\n");
		return SPLAT_EXIT_FAILURE;
	}
	splat_summary_add_patterns(sc.sum, pats);
	if (!sc.json && !sc.summary)
		printf("%15s %4s  %-12s %-22s %s\n", "UPTIME", "BOOT", "TYPE",
		       "KIND", "TITLE");

	bool bad_input = false, io_error = false;
	uint64_t records = 0, unrecognized = 0;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct splat_reader *r = splat_reader_open_path(path, fmt);
		if (!r) {
			fprintf(stderr, "splat scan: %s: %s\n", path,
				strerror(errno));
			bad_input = true;
			continue;
		}
		bool diag_error = false;
		splat_reader_set_diag(r, scan_diag, &diag_error);
		sc.file = splat_reader_name(r);
		struct splat_pipeline pl = {
			.patterns = pats,
			.sink = on_event,
			.ctx = &sc,
			.summary = sc.sum,
			/* the summary reads only the typed fields */
			.no_detail = sc.summary,
			.boot_offset = sc.boot_offset,
			.max_boot = sc.max_boot,
		};
		int rc = splat_pipeline_run(&pl, r);
		if (rc < 0 && errno == ENOMEM) {
			fprintf(stderr, "splat scan: out of memory\n");
			io_error = true;
		} else if (rc < 0) {
			io_error = true; /* the reader said why */
		}
		bool any = pl.any;
		if (pl.max_boot > sc.max_boot)
			sc.max_boot = pl.max_boot;
		if (pl.unrecognized.count) {
			char msg[512];
			splat_unrecognized_text(&pl.unrecognized, msg,
						sizeof(msg));
			fprintf(stderr, "splat scan: %s: warning: %s\n", path,
				msg);
			unrecognized += pl.unrecognized.count;
		}
		const struct splat_reader_stats *st = splat_reader_stats(r);
		records += st->records;
		if (!st->records && rc >= 0) {
			fprintf(stderr,
				"splat scan: %s: no kernel log records found (%llu bytes, "
				"%llu lines, %llu unreadable; format %s)\n",
				path, (unsigned long long)st->bytes,
				(unsigned long long)st->lines,
				(unsigned long long)st->bad_lines,
				splat_format_name(splat_reader_format(r)));
			bad_input = true;
		}
		if (diag_error && rc >= 0 && st->records) {
			fprintf(stderr,
				"splat scan: %s: the reader reported errors "
				"(above): treating the input as bad\n",
				path);
			bad_input = true;
		}
		if (any)
			sc.boot_offset = sc.max_boot + 1;
		splat_reader_close(r);
	}

	if (sc.summary) {
		json_object *doc = splat_summary_to_json(sc.sum, confidence);
		if (sc.json)
			puts(json_object_to_json_string_ext(
				doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			print_summary(doc);
		json_object_put(doc);
	} else if (!sc.json) {
		if (unrecognized)
			printf("-- WARNING: %llu lines hold a report header that "
			       "became no event (see stderr): counts may be too "
			       "low\n",
			       (unsigned long long)unrecognized);
		printf("-- %llu records: %llu lockdep, %llu lockdep-off, %llu bug, "
		       "%llu pattern lines, %llu pairs, %llu suppressed, %llu lost\n",
		       (unsigned long long)records,
		       (unsigned long long)sc.n_type[SPLAT_EV_LOCKDEP],
		       (unsigned long long)sc.n_type[SPLAT_EV_LOCKDEP_OFF],
		       (unsigned long long)sc.n_type[SPLAT_EV_BUG],
		       (unsigned long long)sc.n_type[SPLAT_EV_PATTERN],
		       (unsigned long long)sc.n_type[SPLAT_EV_PATTERN_PAIR],
		       (unsigned long long)sc.n_type[SPLAT_EV_SUPPRESSED],
		       (unsigned long long)sc.n_type[SPLAT_EV_LOST]);
	}
	splat_summary_free(sc.sum);
	splat_patterns_free(pats);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "splat scan: writing the output: %s\n",
			strerror(errno));
		return SPLAT_EXIT_FAILURE;
	}
	if (bad_input)
		return SPLAT_EXIT_USAGE;
	if (io_error)
		return SPLAT_EXIT_FAILURE;
	if (sc.matched)
		return SPLAT_EXIT_MATCHED;
	return sc.strict && unrecognized ? SPLAT_EXIT_UNRECOGNIZED
					 : SPLAT_EXIT_OK;
}
