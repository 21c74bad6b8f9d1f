/* SPDX-License-Identifier: MIT */
/*
 * test_reader - the input readers: every format on the seed splat rebuilt
 * as fixtures (tests/fixtures/input/seed-splat.*), text prefixes, kmsg
 * escapes/seq gaps/boots/resume, journal boots, dmesg --json, detection,
 * and bad input (binary junk, 1 MiB+ lines, truncated records, CRLF,
 * invalid UTF-8, NUL bytes), each read in several chunk sizes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

#include "splat/reader.h"
#include "../src/reader_int.h"

/* ---- helpers -------------------------------------------------------- */

static const char *top(void)
{
	const char *t = getenv("SPLAT_TOP");

	return t && *t ? t : ".";
}

struct diags {
	char buf[16384];
	size_t len;
	unsigned errors, warnings;
};

static void collect_diag(void *ctx, enum splat_diag_level level,
			 const char *name, uint64_t line_no, const char *msg)
{
	struct diags *d = ctx;
	int n;

	if (level == SPLAT_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->len >= sizeof(d->buf) - 1)
		return;
	n = snprintf(d->buf + d->len, sizeof(d->buf) - d->len, "%s:%llu: %s\n",
		     name, (unsigned long long)line_no, msg);
	if (n > 0)
		d->len += (size_t)n < sizeof(d->buf) - d->len
				  ? (size_t)n
				  : sizeof(d->buf) - d->len - 1;
}

#define MAXREC 512

/* A copy of what a reader returned, to compare after the fact. */
struct got {
	size_t n;
	struct splat_record rec[MAXREC];
	char *text[MAXREC];
	char *raw[MAXREC];
	struct splat_reader_stats st;
	enum splat_format fmt;
	int last_rc;
	struct diags d;
};

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n && i < MAXREC; i++) {
		free(g->text[i]);
		free(g->raw[i]);
	}
	free(g);
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	assert_non_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static struct got *read_all(struct splat_reader *r, size_t chunk)
{
	struct got *g = calloc(1, sizeof(*g));
	struct splat_record rec;
	int rc;

	assert_non_null(g);
	assert_non_null(r);
	splat_reader_set_diag(r, collect_diag, &g->d);
	r->read_max = chunk;
	while ((rc = splat_reader_next(r, &rec)) == 1) {
		/* the text contract: NUL terminated, no NUL inside */
		assert_int_equal(strlen(rec.text), rec.text_len);
		if (g->n < MAXREC) {
			g->rec[g->n] = rec;
			g->text[g->n] = dup_n(rec.text, rec.text_len);
			g->raw[g->n] = dup_n(rec.raw, rec.raw_len);
			g->rec[g->n].text = g->text[g->n];
			g->rec[g->n].raw = g->raw[g->n];
		}
		g->n++;
	}
	g->last_rc = rc;
	g->st = *splat_reader_stats(r);
	g->fmt = splat_reader_format(r);
	splat_reader_close(r);
	return g;
}

static struct got *read_mem(const char *data, size_t len, enum splat_format f,
			    size_t chunk)
{
	return read_all(splat_reader_open_mem(data, len, "mem", f), chunk);
}

static struct got *read_str(const char *s, enum splat_format f)
{
	return read_mem(s, strlen(s), f, 0);
}

static char *fixture_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path),
		 "%s/scripts/parse-splat/tests/fixtures/input/%s", top(), name);
	return path;
}

static bool contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!contains(hay, needle)) {
		print_error("expected \"%s\" in:\n%s\n", needle, hay);
		fail();
	}
}

/* index of the first record whose text starts with (or contains) s */
static long find_rec(const struct got *g, const char *s, bool anywhere)
{
	for (size_t i = 0; i < g->n && i < MAXREC; i++)
		if (anywhere ? contains(g->text[i], s)
			     : strncmp(g->text[i], s, strlen(s)) == 0)
			return (long)i;
	return -1;
}

static size_t count_rec(const struct got *g, const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n && i < MAXREC; i++)
		n += contains(g->text[i], s);
	return n;
}

/* ---- the seed splat in every format -------------------------------- */

struct seed_case {
	const char *file;
	enum splat_format fmt;
	size_t records;
	uint64_t boots, lost;
	unsigned splat_boot; /* boot index of the splat */
	bool has_caller, has_seq;
};

static const struct seed_case seed_cases[] = {
	/* 114 records; kmsg drops 3 (seq gap); journal adds a 5-record
	 * earlier boot; the text form splits multi-line records. */
	{"seed-splat.kmsg", SPLAT_FORMAT_KMSG, 114, 1, 3, 0, true, true},
	{"seed-splat.journal.json", SPLAT_FORMAT_JOURNAL_JSON, 119, 2, 0, 1,
	 false, false},
	{"seed-splat.export", SPLAT_FORMAT_JOURNAL_EXPORT, 119, 2, 0, 1, false,
	 false},
	{"seed-splat.dmesg.json", SPLAT_FORMAT_DMESG_JSON, 114, 1, 0, 0, true,
	 false},
	{"seed-splat.dmesg.txt", SPLAT_FORMAT_TEXT, 129, 1, 0, 0, true, false},
};

static const char splat_header[] =
	"WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected";
static const char splat_dep[] =
	" (&queue->lock){+.-.}-{2:2} -> "
	"(&hw_priv->tx_loop.pending_record_lock){+.+.}-{2:2}";

/* The lines of the splat boot, records split on '\n': identical in every
 * format. */
static size_t boot_lines(const struct got *g, unsigned boot, char ***out)
{
	size_t n = 0, cap = 1024;
	char **v = calloc(cap, sizeof(*v));

	assert_non_null(v);
	for (size_t i = 0; i < g->n && i < MAXREC; i++) {
		const char *p = g->text[i];
		if (g->rec[i].boot != boot)
			continue;
		for (;;) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);
			assert_true(n < cap);
			v[n++] = dup_n(p, l);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	*out = v;
	return n;
}

static void check_seed(const struct seed_case *c, struct got *g)
{
	long i;

	print_message("# %-24s %-14s records=%zu boots=%llu lost=%llu "
		      "lines=%llu\n",
		      c->file, splat_format_name(g->fmt), g->n,
		      (unsigned long long)g->st.boots,
		      (unsigned long long)g->st.lost,
		      (unsigned long long)g->st.lines);
	assert_int_equal(g->last_rc, 0);
	assert_int_equal(g->fmt, c->fmt);
	assert_int_equal(g->n, c->records);
	assert_int_equal(g->st.records, c->records);
	assert_int_equal(g->st.boots, c->boots);
	assert_int_equal(g->st.lost, c->lost);
	assert_int_equal(g->st.bad_lines, 0);
	assert_int_equal(g->st.long_lines, 0);
	assert_int_equal(g->st.invalid_utf8, 0);
	assert_int_equal(g->st.binary, 0);
	assert_int_equal(g->d.errors, 0);

	i = find_rec(g, splat_header, false);
	assert_true(i >= 0);
	assert_int_equal(g->rec[i].ts_usec, 5140123456 + 2 * 7);
	/* console text carries no levels */
	assert_int_equal(g->rec[i].level, c->fmt == SPLAT_FORMAT_TEXT ? -1 : 4);
	assert_int_equal(g->rec[i].boot, c->splat_boot);
	assert_int_equal(g->rec[i].has_seq, c->has_seq);
	assert_string_equal(g->rec[i].caller, c->has_caller ? "T1234" : "");
	if (c->fmt == SPLAT_FORMAT_KMSG)
		assert_int_equal(g->rec[i].seq,
				 114); /* 100 + 11th record + gap of 3 */
	/* the lock dependency line, both lock names with usage bits */
	i = find_rec(g, splat_dep, false);
	assert_true(i >= 0);
	assert_string_equal(g->text[i], splat_dep);
	assert_true(find_rec(g,
			     "(&hw_priv->tx_loop.pending_record_lock)"
			     "{+.+.}-{2:2}, at: bes2600_queue_clear+0x80/0x1a0 "
			     "[bes2600]",
			     true) >= 0);
	/* Pattern A: two pairs in the splat boot, one more in the journal's
	 * first boot */
	assert_int_equal(count_rec(g, "wsm_generic_confirm failed for request "
				      "0x0007."),
			 c->boots == 2 ? 3 : 2);
	assert_int_equal(count_rec(g, "[SCAN] Scan failed (-22)."),
			 c->boots == 2 ? 3 : 2);
	/* unescaped backslash and UTF-8 */
	assert_true(find_rec(g, "bes2600: debug \\ backslash and caf\xc3\xa9",
			     false) >= 0);
	i = find_rec(g, "bes2600: debug", false);
	assert_int_equal(g->rec[i].level, c->fmt == SPLAT_FORMAT_TEXT ? -1 : 7);
	/* levels are not filtered: 3, 4, 5, 6 and 7 all present */
	for (int lvl = 3; lvl <= 7 && c->fmt != SPLAT_FORMAT_TEXT; lvl++) {
		bool seen = false;
		for (size_t k = 0; k < g->n; k++)
			seen |= g->rec[k].level == lvl;
		assert_true(seen);
	}
	/* records carrying several lines (kmsg "\x0a" prefix etc.) */
	if (c->fmt != SPLAT_FORMAT_TEXT) {
		i = find_rec(g,
			     "\nbut this new dependency connects a "
			     "SOFTIRQ-irq-safe lock:",
			     false);
		assert_true(i >= 0);
		assert_int_equal(g->rec[i].ts_usec, 5140123456 + 11 * 7);
	} else {
		i = find_rec(g, "but this new dependency connects", false);
		assert_true(i > 0);
		assert_string_equal(g->text[i - 1], "");
		assert_int_equal(g->rec[i - 1].ts_usec, g->rec[i].ts_usec);
	}
}

static void test_seed_fixtures(void **state)
{
	char **ref = NULL;
	size_t nref = 0;

	(void)state;
	for (size_t c = 0; c < sizeof(seed_cases) / sizeof(seed_cases[0]);
	     c++) {
		const struct seed_case *sc = &seed_cases[c];
		static const size_t chunks[] = {0, 1, 7, 4093};
		char **lines;
		size_t n;
		struct got *g;

		/* from the file, auto-detected */
		g = read_all(splat_reader_open_path(fixture_path(sc->file),
						    SPLAT_FORMAT_AUTO),
			     0);
		check_seed(sc, g);
		/* the same lines in every format */
		n = boot_lines(g, sc->splat_boot, &lines);
		if (!ref) {
			ref = lines;
			nref = n;
		} else {
			assert_int_equal(n, nref);
			for (size_t k = 0; k < n; k++) {
				if (strcmp(lines[k], ref[k]) != 0)
					print_error("%s line %zu: \"%s\" != "
						    "\"%s\"\n",
						    sc->file, k, lines[k],
						    ref[k]);
				assert_string_equal(lines[k], ref[k]);
			}
			for (size_t k = 0; k < n; k++)
				free(lines[k]);
			free(lines);
		}
		got_free(g);
		/* from memory in odd chunk sizes, forced format */
		for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]);
		     k++) {
			size_t len;
			char *data = test_slurp_existing(fixture_path(sc->file),
							 &len);
			g = read_mem(data, len, sc->fmt, chunks[k]);
			check_seed(sc, g);
			got_free(g);
			free(data);
		}
	}
	for (size_t k = 0; k < nref; k++)
		free(ref[k]);
	free(ref);
}

static void test_seed_kmsg_details(void **state)
{
	struct got *g =
		read_all(splat_reader_open_path(fixture_path("seed-splat.kmsg"),
						SPLAT_FORMAT_AUTO),
			 0);
	long i;

	(void)state;
	/* continuation lines belong to the record's raw bytes, not its text */
	i = find_rec(g, "bes2600 mmc2:0001:1: firmware loaded", false);
	assert_true(i >= 0);
	assert_int_equal(g->rec[i].seq, 104);
	assert_string_equal(g->text[i], "bes2600 mmc2:0001:1: firmware loaded: "
					"best2002_fw_sdio.bin");
	assert_string_equal(g->raw[i],
			    "6,104,9000001,-,caller=T301;bes2600 "
			    "mmc2:0001:1: firmware loaded: best2002_fw_sdio.bin"
			    "\n SUBSYSTEM=sdio\n DEVICE=+sdio:mmc2:0001:1");
	/* the gap: 3 records lost before seq 108, reported once */
	assert_int_equal(g->rec[i + 1].seq, 108);
	assert_int_equal(g->rec[i + 1].lost_before, 3);
	assert_int_equal(g->rec[i].lost_before, 0);
	assert_int_equal(g->rec[i + 2].lost_before, 0);
	assert_int_equal(g->rec[i + 1].line_no, 8);
	assert_contains(g->d.buf, "seed-splat.kmsg:8: 3 records lost before "
				  "seq 108");
	/* raw + "\n" of every record reproduces the stream byte for byte
	 * (what splat watch writes to kmsg.raw) */
	{
		size_t len, o = 0;
		char *want = test_slurp_existing(
			fixture_path("seed-splat.kmsg"), &len);
		char *again = malloc(len + 1);

		assert_non_null(again);
		for (size_t k = 0; k < g->n; k++) {
			assert_true(o + g->rec[k].raw_len + 1 <= len);
			memcpy(again + o, g->raw[k], g->rec[k].raw_len);
			o += g->rec[k].raw_len;
			again[o++] = '\n';
		}
		assert_int_equal(o, len);
		assert_memory_equal(again, want, len);
		free(again);
		free(want);
	}
	/* the "\x0a"-prefixed record keeps its escape in raw */
	i = find_rec(g, "\nand this task is already holding:", false);
	assert_true(i >= 0);
	assert_true(contains(g->raw[i], ";\\x0aand this task"));
	got_free(g);
}

static void test_seed_journal_details(void **state)
{
	static const char b0[] = "6f1b2c3d4e5f40718293a4b5c6d7e8f9";
	static const char b1[] = "0a1b2c3d4e5f46778899aabbccddeeff";
	const char *files[] = {"seed-splat.journal.json", "seed-splat.export"};

	(void)state;
	for (int f = 0; f < 2; f++) {
		struct got *g =
			read_all(splat_reader_open_path(fixture_path(files[f]),
							SPLAT_FORMAT_AUTO),
				 0);

		assert_int_equal(g->rec[0].boot, 0);
		assert_string_equal(g->rec[0].boot_id, b0);
		assert_int_equal(g->rec[4].boot, 0);
		assert_int_equal(g->rec[5].boot, 1);
		assert_string_equal(g->rec[5].boot_id, b1);
		assert_string_equal(g->rec[g->n - 1].boot_id, b1);
		/* _SOURCE_MONOTONIC_TIMESTAMP (kernel time), not
		 * __MONOTONIC_TIMESTAMP (journald's, +2000 here) */
		assert_int_equal(g->rec[1].ts_usec, 1500000);
		assert_int_equal(g->rec[1].facility, 0);
		assert_int_equal(g->rec[1].level, 6);
		assert_false(g->rec[1].has_seq);
		assert_int_equal(g->rec[1].seq, 1);
		/* record 3 is a MESSAGE byte array in the JSON fixture */
		assert_string_equal(g->text[3], "[SCAN] Scan failed (-22).");
		got_free(g);
	}
}

/* ---- text prefixes --------------------------------------------------- */

struct text_case {
	const char *in;
	int64_t ts;
	const char *caller;
	int level, facility;
	uint64_t lost;
	const char *text;
};

#define NONE SPLAT_TS_NONE
static const struct text_case text_cases[] = {
	{"[ 5140.123456] msg", 5140123456, "", -1, -1, 0, "msg"},
	{"[   12.345678][ T1234] WARNING: x", 12345678, "T1234", -1, -1, 0,
	 "WARNING: x"},
	{"[  999.000001][T12345] a", 999000001, "T12345", -1, -1, 0, "a"},
	{"[  999.000001][    C0] irq", 999000001, "C0", -1, -1, 0, "irq"},
	{"[    5.100000] [  T607] dmesg style", 5100000, "T607", -1, -1, 0,
	 "dmesg style"},
	{"<4>[    1.000000] lvl", 1000000, "", 4, 0, 0, "lvl"},
	{"<14>[    1.000000][  T1] user", 1000000, "T1", 6, 1, 0, "user"},
	{"<6>no time", NONE, "", 6, 0, 0, "no time"},
	{"bare line", NONE, "", -1, -1, 0, "bare line"},
	{"", NONE, "", -1, -1, 0, ""},
	{"[  T99] caller only", NONE, "T99", -1, -1, 0, "caller only"},
	{"[    2.000000]  frame+0x10/0x20", 2000000, "", -1, -1, 0,
	 " frame+0x10/0x20"},
	{"[  772.919010] [<ffffffff82d4e304>] __memset+0x24/0x30", 772919010,
	 "", -1, -1, 0, "[<ffffffff82d4e304>] __memset+0x24/0x30"},
	{"[    3.5] short frac", 3500000, "", -1, -1, 0, "short frac"},
	{"[3.1234567] long frac", 3123456, "", -1, -1, 0, "long frac"},
	{"[    4.000000]", 4000000, "", -1, -1, 0, ""},
	{"[abc] not a time", NONE, "", -1, -1, 0, "[abc] not a time"},
	{"[ 5.000000][ X12] not a caller", 5000000, "", -1, -1, 0,
	 "[ X12] not a caller"},
	{"[ 5.000000][ T] empty caller", 5000000, "", -1, -1, 0,
	 "[ T] empty caller"},
	{"** 1234 printk messages dropped ** [   60.000000] after", 60000000,
	 "", -1, -1, 1234, "after"},
	{"** x printk messages dropped ** y", NONE, "", -1, -1, 0,
	 "** x printk messages dropped ** y"},
	{"<99999>[ 1.0] bad level", NONE, "", -1, -1, 0,
	 "<99999>[ 1.0] bad level"},
	{"kern  :warn  : [    1.000000] decoded", 1000000, "", 4, 0, 0,
	 "decoded"},
	{"user  :info  : [    1.000000][ T5] x", 1000000, "T5", 6, 1, 0, "x"},
	{"daemon:err   : no time", NONE, "", 3, 3, 0, "no time"},
	{"foo   :warn  : unknown facility", NONE, "", -1, -1, 0,
	 "foo   :warn  : unknown facility"},
	{"kernel: message", NONE, "", -1, -1, 0, "kernel: message"},
	{"[ 6.000000] tab\there", 6000000, "", -1, -1, 0, "tab\there"},
	{"[ 7.000000] crlf\r", 7000000, "", -1, -1, 0, "crlf"},
};

static void test_text_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]);
	     i++) {
		const struct text_case *c = &text_cases[i];
		char in[256];
		struct got *g;

		snprintf(in, sizeof(in), "%s\n", c->in);
		g = read_str(in, SPLAT_FORMAT_TEXT);
		if (g->n != 1 || g->rec[0].ts_usec != c->ts ||
		    strcmp(g->rec[0].caller, c->caller) != 0 ||
		    g->rec[0].level != c->level ||
		    g->rec[0].facility != c->facility ||
		    g->rec[0].lost_before != c->lost ||
		    strcmp(g->text[0], c->text) != 0) {
			print_error("case %zu \"%s\": n=%zu ts=%lld caller=%s "
				    "level=%d fac=%d lost=%llu text=\"%s\"\n",
				    i, c->in, g->n,
				    (long long)g->rec[0].ts_usec,
				    g->rec[0].caller, g->rec[0].level,
				    g->rec[0].facility,
				    (unsigned long long)g->rec[0].lost_before,
				    g->n ? g->text[0] : "");
			fail();
		}
		{
			/* raw: the line without CR LF */
			size_t l = strlen(c->in);
			if (l && c->in[l - 1] == '\r')
				l--;
			assert_int_equal(g->rec[0].raw_len, l);
			assert_memory_equal(g->raw[0], c->in, l);
		}
		assert_int_equal(g->rec[0].line_no, 1);
		assert_int_equal(g->st.lost, c->lost);
		got_free(g);
	}
}

static void test_text_boots(void **state)
{
	static const char in[] = "[  100.000000] a\n"
				 "[   99.500000] interleaved CPU, same boot\n"
				 "bare line keeps the boot\n"
				 "[  200.000000] b\n"
				 "[    0.500000] next boot\n"
				 "[    0.600000] c\n"
				 "[    0.000000] ts 0 again: third boot\n"
				 "[    0.000000] same\n";
	static const unsigned want[] = {0, 0, 0, 0, 1, 1, 2, 2};
	struct got *g = read_str(in, SPLAT_FORMAT_AUTO);

	(void)state;
	assert_int_equal(g->fmt, SPLAT_FORMAT_TEXT);
	assert_int_equal(g->n, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(g->rec[i].boot, want[i]);
		assert_int_equal(g->rec[i].seq, i);
		assert_false(g->rec[i].has_seq);
		assert_int_equal(g->rec[i].line_no, i + 1);
	}
	assert_int_equal(g->st.boots, 3);
	got_free(g);
}

/* ---- kmsg ------------------------------------------------------------ */

struct kmsg_case {
	const char *in;
	int level, facility;
	uint64_t seq;
	int64_t ts;
	const char *caller, *text;
	bool binary, bad_utf8;
};

static const struct kmsg_case kmsg_cases[] = {
	{"6,1,2,-;plain", 6, 0, 1, 2, "", "plain", false, false},
	{"4,5,6,c,caller=T123;x", 4, 0, 5, 6, "T123", "x", false, false},
	{"12,5,6,-,foo=bar,caller=C3,x=y;unknown fields", 4, 1, 5, 6, "C3",
	 "unknown fields", false, false},
	{"4,7,8,+;\\x0a=====", 4, 0, 7, 8, "", "\n=====", false, false},
	{"4,7,8,-;back\\x5cslash \\x09tab", 4, 0, 7, 8, "", "back\\slash \ttab",
	 false, false},
	{"4,7,8,-;caf\\xc3\\xa9", 4, 0, 7, 8, "", "caf\xc3\xa9", false, false},
	{"4,7,8,-;nul \\x00 stays", 4, 0, 7, 8, "", "nul \\x00 stays", true,
	 false},
	{"4,7,8,-;esc \\x1b[0m stays", 4, 0, 7, 8, "", "esc \\x1b[0m stays",
	 true, false},
	{"4,7,8,-;bad \\xff utf8", 4, 0, 7, 8, "", "bad \xff utf8", false,
	 true},
	{"4,7,8,-;not \\xzz an escape \\x4", 4, 0, 7, 8, "",
	 "not \\xzz an escape \\x4", false, false},
	{"4,7,8,-;semi;colon", 4, 0, 7, 8, "", "semi;colon", false, false},
	{"4,7,8;no flags", 4, 0, 7, 8, "", "no flags", false, false},
	{"4,7,8,-,caller=T123456789012345;long caller ignored", 4, 0, 7, 8, "",
	 "long caller ignored", false, false},
	{"4,7,8,-;", 4, 0, 7, 8, "", "", false, false},
};

static void test_kmsg_records(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kmsg_cases) / sizeof(kmsg_cases[0]);
	     i++) {
		const struct kmsg_case *c = &kmsg_cases[i];
		char in[256];
		struct got *g;

		snprintf(in, sizeof(in), "%s\n", c->in);
		g = read_str(in, SPLAT_FORMAT_AUTO);
		if (g->n != 1 || g->fmt != SPLAT_FORMAT_KMSG ||
		    strcmp(g->text[0], c->text) != 0) {
			print_error(
				"case %zu \"%s\": fmt=%s n=%zu text=\"%s\"\n",
				i, c->in, splat_format_name(g->fmt), g->n,
				g->n ? g->text[0] : "");
			fail();
		}
		assert_int_equal(g->rec[0].level, c->level);
		assert_int_equal(g->rec[0].facility, c->facility);
		assert_int_equal(g->rec[0].seq, c->seq);
		assert_true(g->rec[0].has_seq);
		assert_int_equal(g->rec[0].ts_usec, c->ts);
		assert_string_equal(g->rec[0].caller, c->caller);
		assert_string_equal(g->raw[0], c->in);
		assert_int_equal(g->st.binary, c->binary);
		assert_int_equal(g->st.invalid_utf8, c->bad_utf8);
		got_free(g);
	}
}

static void test_kmsg_seq(void **state)
{
	static const char in[] = "6,10,1000,-;a\n"
				 "6,11,900,-;ts back, seq on: same boot\n"
				 "6,15,2000,-;after a gap of 3\n"
				 "6,16,2100,-;b\n"
				 "6,0,50,-;seq restart: new boot\n"
				 "6,1,60,-;c\n"
				 "6,1,70,-;seq repeats: another boot\n";
	static const unsigned boot[] = {0, 0, 0, 0, 1, 1, 2};
	static const uint64_t lost[] = {0, 0, 3, 0, 0, 0, 0};
	struct got *g = read_str(in, SPLAT_FORMAT_AUTO);

	(void)state;
	assert_int_equal(g->n, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(g->rec[i].boot, boot[i]);
		assert_int_equal(g->rec[i].lost_before, lost[i]);
	}
	assert_int_equal(g->st.lost, 3);
	assert_int_equal(g->st.boots, 3);
	got_free(g);
}

static void test_kmsg_start_seq(void **state)
{
	static const char in[] = "6,10,1,-;a\n6,11,2,-;b\n6,12,3,-;c\n";
	struct splat_reader *r;
	struct got *g;

	(void)state;
	/* resume after seq 10: 10 skipped, 11 and 12 read, nothing lost */
	r = splat_reader_open_mem(in, strlen(in), "mem", SPLAT_FORMAT_AUTO);
	assert_int_equal(splat_reader_set_start_seq(r, 11), 0);
	g = read_all(r, 0);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->rec[0].seq, 11);
	assert_int_equal(g->rec[0].lost_before, 0);
	assert_int_equal(g->st.skipped, 1);
	assert_int_equal(g->st.lost, 0);
	got_free(g);
	/* resume expecting seq 7: records 7..9 were overwritten meanwhile */
	r = splat_reader_open_mem(in, strlen(in), "mem", SPLAT_FORMAT_AUTO);
	assert_int_equal(splat_reader_set_start_seq(r, 7), 0);
	g = read_all(r, 0);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->rec[0].lost_before, 3);
	assert_int_equal(g->st.lost, 3);
	assert_contains(g->d.buf, "3 records lost before seq 10");
	got_free(g);
	/* too late once reading started */
	r = splat_reader_open_mem(in, strlen(in), "mem", SPLAT_FORMAT_AUTO);
	{
		struct splat_record rec;
		splat_reader_set_diag(r, NULL, NULL);
		assert_int_equal(splat_reader_next(r, &rec), 1);
		assert_int_equal(splat_reader_set_start_seq(r, 1), -1);
	}
	splat_reader_close(r);
}

static void test_kmsg_malformed(void **state)
{
	static const char in[] = " SUBSYSTEM=orphan continuation\n"
				 "6,1,2,-;good\n"
				 " SUBSYSTEM=net\n"
				 "not a record\n"
				 "6,x,2,-;bad seq\n"
				 "6,2,3,-no semicolon\n"
				 "\n"
				 "6,2,3,-;good again\n"
				 "6,3,4,-;truncated, no newline";
	struct got *g = read_str(in, SPLAT_FORMAT_KMSG);

	(void)state;
	assert_int_equal(g->n, 3);
	assert_string_equal(g->text[0], "good");
	assert_string_equal(g->raw[0], "6,1,2,-;good\n SUBSYSTEM=net");
	assert_string_equal(g->text[2], "truncated, no newline");
	assert_int_equal(g->st.bad_lines, 4);
	assert_contains(g->d.buf, "mem:1: continuation line without a record");
	assert_contains(g->d.buf, "mem:4: not a kmsg record");
	assert_contains(g->d.buf, "mem:5: not a kmsg record");
	assert_contains(g->d.buf, "mem:6: not a kmsg record");
	assert_contains(g->d.buf, "mem:9: last record has no final newline");
	got_free(g);
}

/* A live /dev/kmsg, read non-blocking to its end (skips if unreadable). */
static void test_kmsg_live(void **state)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct splat_reader *r;
	struct splat_record rec;
	struct diags d = {.len = 0};
	uint64_t n = 0, last = 0;
	int rc;

	(void)state;
	if (fd < 0) {
		print_message("# /dev/kmsg not readable (%s): live test "
			      "skipped\n",
			      strerror(errno));
		skip();
	}
	r = splat_reader_open_fd(fd, "/dev/kmsg", SPLAT_FORMAT_AUTO);
	assert_non_null(r);
	splat_reader_set_diag(r, collect_diag, &d);
	assert_true(splat_reader_is_live(r));
	assert_int_equal(splat_reader_fd(r), fd);
	while ((rc = splat_reader_next(r, &rec)) == 1) {
		assert_true(rec.has_seq);
		assert_true(rec.raw_len > 0 && rec.raw[0] >= '0' &&
			    rec.raw[0] <= '9');
		assert_true(rec.raw[rec.raw_len - 1] != '\n');
		if (n)
			assert_true(rec.seq > last);
		last = rec.seq;
		n++;
	}
	/* the end of a non-blocking live stream is EAGAIN, not EOF */
	assert_int_equal(rc, -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(splat_reader_format(r), SPLAT_FORMAT_KMSG);
	assert_int_equal(d.errors, 0);
	print_message("# /dev/kmsg: %llu records, last seq %llu, lost %llu\n",
		      (unsigned long long)n, (unsigned long long)last,
		      (unsigned long long)splat_reader_stats(r)->lost);
	splat_reader_close(r);
	if (n == 0)
		return;
	/* resume: everything up to `last` was seen */
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	lseek(fd, 0, SEEK_SET);
	r = splat_reader_open_fd(fd, "/dev/kmsg", SPLAT_FORMAT_AUTO);
	assert_int_equal(splat_reader_set_start_seq(r, last + 1), 0);
	while ((rc = splat_reader_next(r, &rec)) == 1)
		assert_true(rec.seq > last);
	assert_true(splat_reader_stats(r)->skipped >= n - 1);
	splat_reader_close(r);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocking live read interrupted by a signal returns EINTR, so that a
 * follower can look at its stop flag. */
static void test_kmsg_live_eintr(void **state)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	struct itimerval it = {.it_value = {.tv_usec = 50000}};
	struct splat_reader *r;
	struct splat_record rec;
	int rc, tries = 0;

	(void)state;
	if (fd < 0) {
		print_message("# /dev/kmsg not readable: skipped\n");
		skip();
	}
	lseek(fd, 0, SEEK_END); /* only new records: none expected */
	r = splat_reader_open_fd(fd, "/dev/kmsg", SPLAT_FORMAT_AUTO);
	assert_non_null(r);
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	do {
		assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
		rc = splat_reader_next(r, &rec);
	} while (rc == 1 && ++tries < 100);
	assert_int_equal(rc, -1);
	assert_int_equal(errno, EINTR);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	splat_reader_close(r);
}

/* Other character devices (here /dev/null) are streams, not kmsg. */
static void test_other_chardev(void **state)
{
	struct got *g;
	struct splat_reader *r =
		splat_reader_open_path("/dev/null", SPLAT_FORMAT_AUTO);

	(void)state;
	assert_non_null(r);
	assert_false(splat_reader_is_live(r));
	g = read_all(r, 0);
	assert_int_equal(g->n, 0);
	assert_int_equal(g->fmt, SPLAT_FORMAT_TEXT);
	assert_contains(g->d.buf, "/dev/null:0: empty input");
	got_free(g);
}

/* A non-blocking pipe: EAGAIN until data arrives, then records. */
static void test_nonblocking_pipe(void **state)
{
	int p[2];
	struct splat_reader *r;
	struct splat_record rec;

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	r = splat_reader_open_fd(p[0], "pipe", SPLAT_FORMAT_AUTO);
	assert_non_null(r);
	assert_int_equal(splat_reader_next(r, &rec), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(write(p[1], "6,1,2,-;first\n6,2,3,-;sec", 25), 25);
	assert_int_equal(splat_reader_next(r, &rec), 1);
	assert_int_equal(splat_reader_format(r), SPLAT_FORMAT_KMSG);
	assert_string_equal(rec.text, "first");
	/* half a record: wait for the rest */
	assert_int_equal(splat_reader_next(r, &rec), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(write(p[1], "ond\n", 4), 4);
	assert_int_equal(splat_reader_next(r, &rec), 1);
	assert_string_equal(rec.text, "second");
	close(p[1]);
	assert_int_equal(splat_reader_next(r, &rec), 0);
	splat_reader_close(r);
	close(p[0]);
}

/* ---- journal / dmesg json -------------------------------------------- */

static void test_journal_json(void **state)
{
	static const char in[] =
		"{\"MESSAGE\":\"a\",\"_BOOT_ID\":\"b1\",\"__MONOTONIC_TIMESTAMP\":\"10\",\"PRIORITY\":\"4\"}\n"
		"{\"MESSAGE\":\"two\\nlines\",\"_BOOT_ID\":\"b1\",\"__MONOTONIC_TIMESTAMP\":\"5\"}\n"
		"{\"MESSAGE\":[104,105,0,1],\"_BOOT_ID\":\"b2\",\"__MONOTONIC_TIMESTAMP\":\"99999999\"}\n"
		"{\"MESSAGE\":null,\"_BOOT_ID\":\"b2\"}\n"
		"{\"MESSAGE\":\"cut off mid-line\",\"_BOOT_I\n"
		"garbage line\n"
		"{\"MESSAGE\":[1,2,300]}\n"
		"{\"MESSAGE\":\"no boot id\",\"PRIORITY\":\"x\",\"SYSLOG_FACILITY\":\"3\"}\n"
		"{\"MESSAGE\":\"a\",\"_BOOT_ID\":\"b1\"}\n"
		"{\"MESSAGE\":\"truncated at the end\"";
	struct got *g = read_str(in, SPLAT_FORMAT_AUTO);

	(void)state;
	assert_int_equal(g->fmt, SPLAT_FORMAT_JOURNAL_JSON);
	assert_int_equal(g->n, 5);
	assert_string_equal(g->text[1], "two\nlines");
	assert_int_equal(g->rec[1].boot, 0); /* ts back, same boot id */
	assert_int_equal(g->rec[0].level, 4);
	assert_string_equal(g->text[2], "hi\\x00\\x01");
	assert_int_equal(g->rec[2].boot, 1);
	assert_string_equal(g->rec[2].boot_id, "b2");
	assert_int_equal(g->rec[3].level, -1);
	assert_int_equal(g->rec[3].facility, 3);
	assert_int_equal(g->rec[3].boot, 1);
	assert_int_equal(g->rec[4].boot, 2);
	assert_int_equal(g->st.boots, 3);
	assert_int_equal(g->st.binary, 1);
	assert_int_equal(g->st.bad_lines, 5);
	assert_contains(g->d.buf, "mem:4: journal entry without MESSAGE");
	assert_contains(g->d.buf, "mem:5: JSON object cut short");
	assert_contains(g->d.buf, "mem:6: expected a JSON object");
	assert_contains(g->d.buf, "mem:7: MESSAGE array holds non-byte values");
	assert_contains(g->d.buf,
			"mem:10: truncated JSON object at end of input");
	got_free(g);
}

static void test_journal_pretty(void **state)
{
	static const char in[] =
		"{\n\t\"MESSAGE\" : \"pretty\",\n\t\"_SOURCE_MONOTONIC_TIMESTAMP\" : \"7\"\n}\n"
		"\x1e{\"MESSAGE\":\"json-seq\",\"__MONOTONIC_TIMESTAMP\":\"8\"}\n";
	struct got *g = read_str(in, SPLAT_FORMAT_AUTO);

	(void)state;
	assert_int_equal(g->fmt, SPLAT_FORMAT_JOURNAL_JSON);
	assert_int_equal(g->n, 2);
	assert_string_equal(g->text[0], "pretty");
	assert_int_equal(g->rec[0].ts_usec, 7);
	assert_int_equal(g->rec[0].line_no, 1);
	assert_int_equal(g->rec[1].ts_usec, 8);
	assert_int_equal(g->rec[1].line_no, 5);
	assert_int_equal(g->st.bad_lines, 0);
	got_free(g);
}

static void test_journal_export(void **state)
{
	static const char in[] =
		"__CURSOR=s=1\n_BOOT_ID=aa\n__MONOTONIC_TIMESTAMP=100\nPRIORITY=3\n"
		"MESSAGE=first\n\n"
		"_BOOT_ID=aa\nMESSAGE\n\x0b\0\0\0\0\0\0\0two\nlines\0!\n"
		"__MONOTONIC_TIMESTAMP=200\n\n"
		"lower=case\n_BOOT_ID=bb\nMESSAGE=third\n\n"
		"_BOOT_ID=bb\nPRIORITY=6\n\n"
		"MESSAGE\n\xff\0\0\0\0\0\0\0short";
	struct got *g = read_mem(in, sizeof(in) - 1, SPLAT_FORMAT_AUTO, 0);

	(void)state;
	assert_int_equal(g->fmt, SPLAT_FORMAT_JOURNAL_EXPORT);
	assert_int_equal(g->n, 3);
	assert_string_equal(g->text[0], "first");
	assert_int_equal(g->rec[0].level, 3);
	assert_int_equal(g->rec[0].ts_usec, 100);
	assert_string_equal(g->text[1], "two\nlines\\x00!");
	assert_int_equal(g->rec[1].ts_usec, 200);
	assert_int_equal(g->rec[1].boot, 0);
	assert_int_equal(g->rec[2].boot, 1);
	assert_string_equal(g->rec[2].boot_id, "bb");
	assert_int_equal(g->st.bad_lines, 3);
	assert_contains(g->d.buf, "not a journal export field");
	assert_contains(g->d.buf, "entry without MESSAGE");
	assert_contains(g->d.buf, "export field MESSAGE truncated");
	got_free(g);
}

static void test_dmesg_json(void **state)
{
	static const char in[] =
		"{\n   \"dmesg\": [\n"
		"      {\n         \"pri\": 4,\n         \"time\":  5140.123456,\n"
		"         \"caller\": \"T1\",\n         \"msg\": \"x {[\\\"}]\"\n      },{\n"
		"         \"pri\": 14,\n         \"time\":     0.000001,\n"
		"         \"msg\": \"new boot\"\n      },{\n"
		"         \"fac\": \"kern\", \"pri\": \"warn\", \"time\": 1,\n"
		"         \"msg\": \"decoded\"\n      },{\n"
		"         \"pri\": 6\n      },\n"
		"      {\"msg\": \"no time\"}\n"
		"   ]\n}\n";
	struct got *g = read_str(in, SPLAT_FORMAT_AUTO);

	(void)state;
	assert_int_equal(g->fmt, SPLAT_FORMAT_DMESG_JSON);
	assert_int_equal(g->n, 4);
	assert_string_equal(g->text[0], "x {[\"}]");
	assert_int_equal(g->rec[0].ts_usec, 5140123456);
	assert_int_equal(g->rec[0].level, 4);
	assert_string_equal(g->rec[0].caller, "T1");
	assert_int_equal(g->rec[0].line_no, 3);
	assert_int_equal(g->rec[1].level, 6);
	assert_int_equal(g->rec[1].facility, 1);
	assert_int_equal(g->rec[1].boot, 1);
	assert_int_equal(g->rec[2].level, 4);
	assert_int_equal(g->rec[2].facility, 0);
	assert_int_equal(g->rec[2].ts_usec, 1000000);
	assert_int_equal(g->rec[3].ts_usec, SPLAT_TS_NONE);
	assert_int_equal(g->st.bad_lines, 1);
	assert_contains(g->d.buf, "element without \"msg\"");
	got_free(g);

	/* truncated document, and one without the array */
	g = read_str("{\"dmesg\":[{\"pri\":1,\"msg\":\"a\"},{\"pri\":2,",
		     SPLAT_FORMAT_AUTO);
	assert_int_equal(g->n, 1);
	assert_contains(g->d.buf, "truncated JSON object at end of input");
	got_free(g);
	g = read_str("{\"dmesg\":[{\"pri\":1,\"msg\":\"a\"}",
		     SPLAT_FORMAT_AUTO);
	assert_int_equal(g->n, 1);
	assert_contains(g->d.buf, "no closing ']'");
	got_free(g);
	g = read_str("{\"other\": 1}\n", SPLAT_FORMAT_DMESG_JSON);
	assert_int_equal(g->n, 0);
	assert_contains(g->d.buf, "no \"dmesg\" array found");
	assert_true(g->d.errors >= 1);
	got_free(g);
}

/* ---- detection and names --------------------------------------------- */

static void test_detect(void **state)
{
	static const struct {
		const char *in;
		enum splat_format fmt;
	} cases[] = {
		{"[    0.000000] Booting\n", SPLAT_FORMAT_TEXT},
		{"<6>[    0.000000] Booting\n", SPLAT_FORMAT_TEXT},
		{"6,0,0,-;Booting\n", SPLAT_FORMAT_KMSG},
		{"6,0,0,-,caller=T0;Booting\n", SPLAT_FORMAT_KMSG},
		{"\xef\xbb\xbf"
		 "6,0,0,-;bom\n",
		 SPLAT_FORMAT_KMSG},
		{"{\"MESSAGE\":\"x\"}\n", SPLAT_FORMAT_JOURNAL_JSON},
		{"\n  {\"__CURSOR\":\"x\",\"MESSAGE\":\"x\"}\n",
		 SPLAT_FORMAT_JOURNAL_JSON},
		{"{\n   \"dmesg\": [\n", SPLAT_FORMAT_DMESG_JSON},
		{"{\"dmesg\":[]}", SPLAT_FORMAT_DMESG_JSON},
		{"__CURSOR=s=1\nMESSAGE=x\n\n", SPLAT_FORMAT_JOURNAL_EXPORT},
		{"MESSAGE=x\n\n", SPLAT_FORMAT_JOURNAL_EXPORT},
		{"Message=x\n", SPLAT_FORMAT_TEXT},
		{"6,0,0,-Booting\n", SPLAT_FORMAT_TEXT},
		{"", SPLAT_FORMAT_TEXT},
	};
	enum splat_format f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct got *g = read_str(cases[i].in, SPLAT_FORMAT_AUTO);
		if (g->fmt != cases[i].fmt) {
			print_error("case %zu: got %s want %s\n", i,
				    splat_format_name(g->fmt),
				    splat_format_name(cases[i].fmt));
			fail();
		}
		got_free(g);
	}
	for (int i = SPLAT_FORMAT_AUTO; i <= SPLAT_FORMAT_DMESG_JSON; i++) {
		assert_int_equal(
			splat_format_parse(
				splat_format_name((enum splat_format)i), &f),
			0);
		assert_int_equal(f, i);
	}
	assert_int_equal(splat_format_parse("nonsense", &f), -1);
	assert_string_equal(splat_format_name((enum splat_format)99),
			    "unknown");
	assert_null(splat_reader_open_mem("", 0, "x", (enum splat_format)99));
	assert_null(
		splat_reader_open_path("/nonexistent/file", SPLAT_FORMAT_AUTO));
	assert_int_equal(errno, ENOENT);
}

/* ---- bad input ------------------------------------------------------- */

static void test_long_lines(void **state)
{
	static const size_t sizes[] = {SPLAT_LINE_MAX, SPLAT_LINE_MAX + 1,
				       1 << 20, 3 << 20};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s] + 64;
		char *buf = malloc(n);
		size_t o = 0;
		struct got *g;

		o += (size_t)sprintf(buf, "[ 1.000000] a\n[ 2.000000] ");
		memset(buf + o, 'x', sizes[s] - 12);
		o += sizes[s] - 12;
		o += (size_t)sprintf(buf + o, "\n[ 3.000000] after\n");
		g = read_mem(buf, o, SPLAT_FORMAT_AUTO, s == 3 ? 4093 : 0);
		assert_int_equal(g->n, 3);
		assert_string_equal(g->text[2], "after");
		assert_int_equal(g->rec[2].line_no, 3);
		assert_int_equal(g->rec[1].ts_usec, 2000000);
		if (sizes[s] <= SPLAT_LINE_MAX) {
			assert_int_equal(g->st.long_lines, 0);
			assert_int_equal(g->rec[1].text_len, sizes[s] - 12);
		} else {
			assert_int_equal(g->st.long_lines, 1);
			assert_int_equal(g->rec[1].raw_len, SPLAT_LINE_MAX);
			assert_contains(g->d.buf, "mem:2: line longer than "
						  "65536 bytes, truncated");
		}
		got_free(g);
		/* the same in kmsg: the record survives, cut */
		o = (size_t)sprintf(buf, "6,1,1,-;");
		memset(buf + o, 'y', sizes[s] - 8);
		o += sizes[s] - 8;
		o += (size_t)sprintf(buf + o, "\n6,2,2,-;after\n");
		g = read_mem(buf, o, SPLAT_FORMAT_AUTO, 0);
		assert_int_equal(g->n, 2);
		assert_string_equal(g->text[1], "after");
		assert_int_equal(g->st.long_lines, sizes[s] > SPLAT_LINE_MAX);
		got_free(g);
		free(buf);
	}
	/* a single unterminated 2 MiB line, nothing else */
	{
		size_t n = 2 << 20;
		char *buf = malloc(n);
		struct got *g;

		memset(buf, 'z', n);
		g = read_mem(buf, n, SPLAT_FORMAT_AUTO, 0);
		assert_int_equal(g->n, 1);
		assert_int_equal(g->rec[0].text_len, SPLAT_LINE_MAX);
		assert_int_equal(g->st.long_lines, 1);
		assert_int_equal(g->st.bytes, n);
		got_free(g);
		free(buf);
	}
}

static void test_binary_junk(void **state)
{
	size_t n = 200000;
	unsigned char *buf = malloc(n);
	uint32_t x = 12345;
	struct got *g;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (int f = SPLAT_FORMAT_AUTO; f <= SPLAT_FORMAT_DMESG_JSON; f++) {
		g = read_mem((const char *)buf, n, (enum splat_format)f, 0);
		/* never silent: an error diagnostic, whatever the format */
		if (g->d.errors == 0) {
			print_error("format %s: no error for binary junk\n%s",
				    splat_format_name((enum splat_format)f),
				    g->d.buf);
			fail();
		}
		assert_int_equal(g->last_rc, 0);
		assert_true(
			contains(g->d.buf, "does not look like a kernel log") ||
			contains(g->d.buf, "records found in"));
		/* diagnostics are bounded */
		assert_true(g->d.warnings < 6 * (SPLAT_DIAG_LIMIT + 1));
		got_free(g);
	}
	free(buf);
}

static void test_bad_text(void **state)
{
	static const char in[] =
		"[ 1.000000] nul\0inside\r\n"
		"[ 2.000000] bad utf8 \xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80\r\n"
		"[ 3.000000] good utf8 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\r\n"
		"[ 4.000000] bell\a del\x7f\r\n"
		"[ 5.000000] lone CR\rinside\n"
		"[ 6.000000] truncated last line";
	struct got *g = read_mem(in, sizeof(in) - 1, SPLAT_FORMAT_AUTO, 0);

	(void)state;
	assert_int_equal(g->n, 6);
	assert_string_equal(g->text[0], "nul\\x00inside");
	assert_string_equal(
		g->text[1],
		"bad utf8 \xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80");
	assert_string_equal(g->text[2], "good utf8 caf\xc3\xa9 \xe2\x82\xac "
					"\xf0\x9f\x98\x80");
	assert_string_equal(g->text[3], "bell\\x07 del\\x7f");
	assert_string_equal(g->text[4], "lone CR\\x0dinside");
	assert_string_equal(g->text[5], "truncated last line");
	assert_int_equal(g->st.crlf, 4);
	assert_int_equal(g->st.invalid_utf8, 1);
	assert_int_equal(g->st.binary, 3);
	assert_contains(g->d.buf, "mem:1: control bytes or NUL");
	assert_contains(g->d.buf, "mem:2: invalid UTF-8");
	/* 4 of 6 records are odd: the stream as a whole is flagged too */
	assert_int_equal(g->d.errors, 1);
	assert_contains(g->d.buf, "does not look like a kernel log: 4 of 6");
	got_free(g);
}

static void test_empty_and_zero(void **state)
{
	struct got *g;

	(void)state;
	g = read_str("", SPLAT_FORMAT_AUTO);
	assert_int_equal(g->n, 0);
	assert_contains(g->d.buf, "empty input");
	got_free(g);
	/* forced kmsg over a text log: zero records is an error, not a 0 */
	g = read_str("[ 1.000000] a\n[ 2.000000] b\n", SPLAT_FORMAT_KMSG);
	assert_int_equal(g->n, 0);
	assert_int_equal(g->st.bad_lines, 2);
	assert_contains(g->d.buf, "no kmsg records found in 28 bytes");
	assert_int_equal(g->d.errors, 1);
	got_free(g);
	g = read_str("[ 1.000000] a\n", SPLAT_FORMAT_JOURNAL_JSON);
	assert_int_equal(g->n, 0);
	assert_contains(g->d.buf, "no journal-json records found");
	got_free(g);
	g = read_str("just text\n", SPLAT_FORMAT_JOURNAL_EXPORT);
	assert_int_equal(g->n, 0);
	assert_contains(g->d.buf, "no journal-export records found");
	got_free(g);
	/* mostly malformed kmsg */
	g = read_str("6,1,1,-;ok\nx\ny\nz\n", SPLAT_FORMAT_KMSG);
	assert_int_equal(g->n, 1);
	assert_contains(g->d.buf, "mostly malformed kmsg input");
	got_free(g);
}

static void test_diag_limit(void **state)
{
	size_t n = 1000;
	char *buf = malloc(n * 4);
	struct got *g;

	(void)state;
	for (size_t i = 0; i < n; i++)
		memcpy(buf + 4 * i, "x\x01y\n", 4);
	g = read_mem(buf, n * 4, SPLAT_FORMAT_TEXT, 0);
	assert_int_equal(g->n, n);
	assert_int_equal(g->st.binary, n);
	assert_contains(g->d.buf,
			"(further records with control bytes not shown)");
	assert_contains(g->d.buf,
			"990 more records with control bytes not shown");
	assert_contains(g->d.buf,
			"does not look like a kernel log: 1000 of 1000");
	assert_int_equal(g->d.warnings, SPLAT_DIAG_LIMIT + 1);
	got_free(g);
	free(buf);
}

/* The SIMD scan (SSE2 / NEON / generic) against a byte loop. */
static void test_first_nonplain(void **state)
{
	static const unsigned char bad[] = {0x00, 0x09, 0x0a, 0x1f,
					    0x7f, 0x80, 0xc3, 0xff};
	unsigned char buf[80] = {0};

	(void)state;
	for (size_t n = 0; n <= sizeof(buf); n++) {
		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)(0x20 + (i * 7) % 0x5f);
		assert_int_equal(reader_first_nonplain(buf, n), n);
		assert_true(reader_plain_ascii(buf, n));
		for (size_t pos = 0; pos < n; pos++) {
			for (size_t b = 0; b < sizeof(bad); b++) {
				unsigned char keep = buf[pos];
				buf[pos] = bad[b];
				assert_int_equal(reader_first_nonplain(buf, n),
						 pos);
				assert_false(reader_plain_ascii(buf, n));
				buf[pos] = keep;
			}
		}
	}
	/* edges of the range are plain */
	memset(buf, 0x20, 40);
	buf[17] = 0x7e;
	assert_int_equal(reader_first_nonplain(buf, 40), 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_fixtures),
		cmocka_unit_test(test_seed_kmsg_details),
		cmocka_unit_test(test_seed_journal_details),
		cmocka_unit_test(test_text_prefixes),
		cmocka_unit_test(test_text_boots),
		cmocka_unit_test(test_kmsg_records),
		cmocka_unit_test(test_kmsg_seq),
		cmocka_unit_test(test_kmsg_start_seq),
		cmocka_unit_test(test_kmsg_malformed),
		cmocka_unit_test(test_kmsg_live),
		cmocka_unit_test(test_kmsg_live_eintr),
		cmocka_unit_test(test_other_chardev),
		cmocka_unit_test(test_nonblocking_pipe),
		cmocka_unit_test(test_journal_json),
		cmocka_unit_test(test_journal_pretty),
		cmocka_unit_test(test_journal_export),
		cmocka_unit_test(test_dmesg_json),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_binary_junk),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_empty_and_zero),
		cmocka_unit_test(test_diag_limit),
		cmocka_unit_test(test_first_nonplain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
