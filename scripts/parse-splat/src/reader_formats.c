/* SPDX-License-Identifier: MIT */
/*
 * reader_formats.c - the input formats, one row each.
 *
 * A row names a format (and its aliases for --format), says in one line
 * what it reads, and how: either a stream reader of its own (next, with a
 * detect() for auto-detection from the stream's first bytes) or the text
 * reader with a set of line wrappers (reader_wrap.c) it strips before the
 * kernel's own "[uptime] [caller]" prefix.  Auto-detection picks a stream
 * row by its detect(); everything else is text, where every wrapper is
 * tried on every line, so files that mix formats are read line by line.
 *
 * Adding a format: its parser in a file of its own, and one row here.
 * The rows whose enum splat_format constant code refers to come first, at
 * their constant's index (checked below); further rows are named only.
 */
#include <string.h>

#include "reader_int.h"

static bool detect_dmesg_json(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || p[0] != '{')
		return false;
	for (i = 1; i < n && strchr(" \t\r\n", p[i]); i++)
		;
	return n - i >= 7 && memcmp(p + i, "\"dmesg\"", 7) == 0;
}

static bool detect_journal_json(const char *p, size_t n)
{
	return n > 0 && p[0] == '{' && !detect_dmesg_json(p, n);
}

static bool detect_export(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] == '_')
		i++;
	if (i >= n || !(p[i] >= 'A' && p[i] <= 'Z'))
		return false;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '=' || c == '\n')
			return i > 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return false;
}

#define A(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct reader_format formats[] = {
	[SPLAT_FORMAT_AUTO] =
		{
			.name = "auto",
			.help = "detect per stream (JSON, kmsg, export) and per line "
				"(every text format below); the default",
			.wrap = WR_ALL,
		},
	[SPLAT_FORMAT_TEXT] =
		{
			.name = "text",
			.aliases = A("dmesg", "console", "notime", "cat",
				     "journal-cat", "dmesg-x"),
			.help = "console/dmesg: [uptime] [caller] msg, <N> (dmesg -r), "
				"-x names; no other wrapper",
			.next = reader_text_next,
			.wrap = 0,
		},
	[SPLAT_FORMAT_KMSG] =
		{
			.name = "kmsg",
			.help = "/dev/kmsg records prio,seq,usec,flags;msg",
			.detect = reader_kmsg_header_like,
			.next = reader_kmsg_next,
		},
	[SPLAT_FORMAT_JOURNAL_JSON] =
		{
			.name = "journal-json",
			.aliases = A("json"),
			.help = "journalctl -o json",
			.detect = detect_journal_json,
			.detect_after_blanks = true,
			.next = reader_journal_json_next,
			.fini = reader_json_fini,
		},
	[SPLAT_FORMAT_JOURNAL_EXPORT] =
		{
			.name = "journal-export",
			.aliases = A("export"),
			.help = "journalctl -o export",
			.detect = detect_export,
			.next = reader_journal_export_next,
		},
	[SPLAT_FORMAT_DMESG_JSON] =
		{
			.name = "dmesg-json",
			.help = "dmesg --json",
			.detect = detect_dmesg_json,
			.detect_after_blanks = true,
			.next = reader_dmesg_json_next,
			.fini = reader_json_fini,
		},
	{
		.name = "lava",
		.aliases = A("lava-log", "lava-output"),
		.help = "a LAVA job log (output.yaml): - {\"dt\": .., \"lvl\": "
			"\"target\", \"msg\": ..} per line",
		.detect = reader_lava_detect,
		.detect_after_blanks = true,
		.next = reader_lava_next,
		.fini = reader_json_fini,
	},
	/* ---- text with line wrappers (reader_wrap.c) ---- */
	{
		.name = "journal-short",
		.aliases = A("short", "short-precise", "syslog", "rfc3164",
			     "kern.log"),
		.help = "journalctl -k (short, short-precise), RFC 3164 syslog: "
			"Mon dd hh:mm:ss[.us] [host] kernel: msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_MARKER | WR_SYSLOG | WR_KMSG | WR_BARE,
	},
	{
		.name = "journal-iso",
		.aliases = A("short-iso", "short-iso-precise", "rfc3339",
			     "rsyslog"),
		.help = "journalctl short-iso[-precise], RFC 3339 rsyslog: "
			"YYYY-MM-DDThh:mm:ss[.us]+zone host kernel: msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_MARKER | WR_ISO | WR_KMSG,
	},
	{
		.name = "journal-full",
		.aliases = A("short-full", "with-unit"),
		.help = "journalctl short-full, with-unit: "
			"Www YYYY-MM-DD hh:mm:ss TZ host kernel: msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_MARKER | WR_FULL | WR_KMSG,
	},
	{
		.name = "journal-monotonic",
		.aliases = A("short-monotonic"),
		.help = "journalctl short-monotonic: [uptime] host kernel: msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_MARKER | WR_MONO,
	},
	{
		.name = "journal-unix",
		.aliases = A("short-unix"),
		.help = "journalctl short-unix: epoch.us host kernel: msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_MARKER | WR_UNIX | WR_KMSG,
	},
	{
		.name = "syslog-5424",
		.aliases = A("rfc5424"),
		.help = "RFC 5424: <PRI>1 timestamp host kernel - - - msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_5424 | WR_KMSG,
	},
	{
		.name = "dmesg-ctime",
		.aliases = A("dmesg-T", "ctime"),
		.help = "dmesg -T: [Www Mon dd hh:mm:ss YYYY] msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_CTIME,
	},
	{
		.name = "dmesg-iso",
		.aliases = A("iso"),
		.help = "dmesg --time-format iso: YYYY-MM-DDThh:mm:ss,us+zone msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_ISO,
	},
	{
		.name = "dmesg-reltime",
		.aliases = A("reltime", "dmesg-H"),
		.help = "dmesg -H / reltime: [Mondd hh:mm] msg, [  +s.us] msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_RELTIME,
	},
	{
		.name = "dmesg-delta",
		.aliases = A("delta"),
		.help = "dmesg --time-format delta / -d: [<  s.us>] msg, "
			"[uptime <  s.us>] msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_DELTA,
	},
	{
		.name = "netconsole",
		.aliases = A("netconsole-ext"),
		.help = "netconsole: console lines or extended prio,seq,usec,"
			"flags;msg lines",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_KMSG,
	},
	{
		.name = "serial-terminal",
		.aliases = A("minicom", "tio"),
		.help = "serial terminal captures: [YYYY/MM/DD, hh:mm:ss.mmm] msg, "
			"[hh:mm:ss.mmm] msg",
		.next = reader_text_next,
		.wrap = WR_PASTE | WR_TERM,
	},
	{
		.name = "paste",
		.aliases = A("mail", "quoted"),
		.help = "console text pasted into mail/markdown: > quoting, "
			"indents, NBSP, ^M",
		.next = reader_text_next,
		.wrap = WR_PASTE,
	},
};

#undef A

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

_Static_assert(SPLAT_FORMAT_DMESG_JSON < NFORMATS,
	       "every named format constant has its row");

unsigned splat_format_count(void)
{
	return (unsigned)NFORMATS;
}

const struct reader_format *reader_format_row(enum splat_format fmt)
{
	return (unsigned)fmt < NFORMATS ? &formats[fmt] : NULL;
}

const char *splat_format_name(enum splat_format fmt)
{
	const struct reader_format *f = reader_format_row(fmt);
	return f ? f->name : "unknown";
}

const char *splat_format_help(enum splat_format fmt)
{
	const struct reader_format *f = reader_format_row(fmt);
	return f ? f->help : NULL;
}

const char *const *splat_format_aliases(enum splat_format fmt)
{
	static const char *const none[] = {NULL};
	const struct reader_format *f = reader_format_row(fmt);
	return f && f->aliases ? f->aliases : none;
}

int splat_format_parse(const char *name, enum splat_format *out)
{
	if (!name)
		return -1;
	for (unsigned i = 0; i < NFORMATS; i++) {
		bool hit = strcmp(name, formats[i].name) == 0;
		for (unsigned j = 0;
		     !hit && formats[i].aliases && formats[i].aliases[j]; j++)
			hit = strcmp(name, formats[i].aliases[j]) == 0;
		if (hit) {
			*out = (enum splat_format)i;
			return 0;
		}
	}
	return -1;
}

enum splat_format reader_detect_stream(const char *p, size_t n)
{
	size_t i = 0;

	/* JSON may start after blanks and record separators (json-seq) */
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
			 p[i] == '\r' || p[i] == 0x1e))
		i++;
	for (unsigned f = 0; f < NFORMATS; f++) {
		if (!formats[f].detect)
			continue;
		if (formats[f].detect_after_blanks
			    ? formats[f].detect(p + i, n - i)
			    : formats[f].detect(p, n))
			return (enum splat_format)f;
	}
	return SPLAT_FORMAT_AUTO; /* text, every line wrapper */
}
