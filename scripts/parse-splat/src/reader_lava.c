/* SPDX-License-Identifier: MIT */
/*
 * reader_lava.c - a LAVA job log (the dispatcher's output.yaml, as
 * lava-run writes it and the server serves it): a YAML list with one
 * flow mapping per line,
 *   - {"dt": "2026-12-04T15:45:16.123456", "lvl": "target", "msg": "..."}
 * The kernel's console is under "target" (and "feedback" for secondary
 * connections); everything else (the dispatcher's "info", "debug",
 * "results", "input", ...) is no record (stats.foreign).  A message is a
 * console line: its own "[uptime] [caller]" prefix is read as the text
 * reader reads it, and "dt" (UTC) is its wall clock, which dates the lines
 * without an uptime (reader_wrap.c's rules).
 */
#include <json-c/json.h>
#include <string.h>

#include "reader_int.h"

bool reader_lava_detect(const char *p, size_t n)
{
	size_t i = 0, lim = n < 512 ? n : 512;

	while (i < lim && (p[i] == '\n' || p[i] == '\r' || p[i] == ' '))
		i++;
	if (lim - i < 8 || memcmp(p + i, "- {", 3))
		return false;
	const char *nl = memchr(p + i, '\n', lim - i);
	size_t ll = nl ? (size_t)(nl - (p + i)) : lim - i;
	return memmem(p + i, ll, "\"dt\"", 4) &&
	       memmem(p + i, ll, "\"lvl\"", 5);
}

static bool console_level(const char *lvl)
{
	return !strcmp(lvl, "target") || !strcmp(lvl, "feedback");
}

int reader_lava_next(struct splat_reader *r, struct splat_record *rec)
{
	for (;;) {
		char *line;
		size_t len;
		int rc = reader_getline(r, SPLAT_LINE_MAX, &line, &len);
		struct json_object *o, *v;

		if (rc <= 0)
			return rc;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || (len - i == 3 && !memcmp(line + i, "---", 3)))
			continue; /* blank, a document marker */
		if (len - i < 3 || memcmp(line + i, "- ", 2)) {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, r->line_no,
				    "not a LAVA log entry (\"- {...}\"): "
				    "skipped");
			continue;
		}
		o = reader_json_parse(r, line + i + 2, len - i - 2, r->line_no);
		if (!o)
			continue;
		if (!json_object_object_get_ex(o, "lvl", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    !console_level(json_object_get_string(v)) ||
		    !json_object_object_get_ex(o, "msg", &v) ||
		    !json_object_is_type(v, json_type_string)) {
			r->st.foreign++; /* the dispatcher's own entries */
			continue;
		}
		const char *msg = json_object_get_string(v);
		size_t mlen = (size_t)json_object_get_string_len(v);
		struct reader_wrapped w = {
			.wall = SPLAT_TS_NONE,
			.delta = SPLAT_TS_NONE,
			.uptime = SPLAT_TS_NONE,
		};
		if (json_object_object_get_ex(o, "dt", &v) &&
		    json_object_is_type(v, json_type_string)) {
			w.wall = reader_iso_usec(
				json_object_get_string(v),
				(size_t)json_object_get_string_len(v));
			w.kinds = w.wall != SPLAT_TS_NONE ? WR_ISO : 0;
		}
		rec->line_no = r->line_no;
		rec->raw = line;
		rec->raw_len = len;
		size_t off = reader_console_prefix(r, msg, mlen, rec);
		if (w.kinds)
			reader_wrapped_time(r, rec, &w, msg + off, mlen - off);
		if (reader_set_text(r, rec, msg + off, mlen - off, true,
				    r->line_no) < 0)
			return -1;
		rec->single_line = false; /* a message may hold '\n' */
		return 1;
	}
}
