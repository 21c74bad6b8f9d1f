/* SPDX-License-Identifier: MIT */
/*
 * reader_jsonscan.c - cut a JSON stream into top-level objects, streaming.
 *
 * journalctl -o json writes one object per line (json-pretty and json-seq
 * spread or prefix them; both are accepted); dmesg --json writes one
 * document {"dmesg":[ {...}, ... ]}.  Rather than load whole documents, the
 * scanner finds each object's bytes (string- and escape-aware brace
 * matching) and hands them to json-c one at a time, so memory stays bounded
 * by SPLAT_JSON_MAX whatever the input size.
 *
 * Resynchronisation: a raw newline inside a string (invalid JSON) or, in
 * journal mode, a '{' starting a line inside an unfinished object means the
 * object was cut short: it is diagnosed and scanning restarts there.
 */
#include <json-c/json.h>
#include <string.h>

#include "reader_int.h"

enum { JS_START, JS_ARRAY, JS_DONE };

static int get(struct splat_reader *r)
{
	int c;

	if (r->start == r->end) {
		r->start = r->end = 0;
		if (reader_fill(r) <= 0)
			return -1;
	}
	c = (unsigned char)r->buf[r->start++];
	if (c == '\n') {
		r->line_no++;
		r->st.lines++;
	}
	return c;
}

static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x1e;
}

static void skip_line(struct splat_reader *r)
{
	int c;

	do
		c = get(r);
	while (c >= 0 && c != '\n');
}

/* Collect one object; the '{' was consumed.  1: done, 0: broken (counted,
 * diagnosed), -1: end of input/error inside the object. */
static int collect(struct splat_reader *r, bool journal, size_t *len,
		   uint64_t line0)
{
	size_t n = 0;
	unsigned depth = 1;
	bool in_str = false, esc = false, too_big = false, bol = false;

	r->obj[n++] = '{';
	for (;;) {
		int c = get(r);

		if (c < 0) {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line0,
				    "truncated JSON object at end of input: "
				    "skipped");
			return -1;
		}
		if (in_str && c == '\n') {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line0,
				    "JSON object cut short (newline inside a "
				    "string): skipped");
			return 0;
		}
		if (!in_str && journal && bol && c == '{') {
			/* The previous entry was cut off mid-line. */
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line0,
				    "JSON object cut short: skipped");
			r->start--; /* rescan this '{' */
			return 0;
		}
		if (c == '\n')
			bol = true;
		else if (!is_ws(c))
			bol = false;
		if (n < READER_JSON_MAX)
			r->obj[n++] = (char)c;
		else
			too_big = true;
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			break;
	}
	if (too_big) {
		r->st.bad_lines++;
		reader_diag(r, RD_LONG, SPLAT_DIAG_WARNING, line0,
			    "JSON object larger than %u bytes: skipped",
			    (unsigned)READER_JSON_MAX);
		return 0;
	}
	r->obj[n] = '\0';
	*len = n;
	return 1;
}

int reader_json_next_object(struct splat_reader *r, bool dmesg_array,
			    const char **obj, size_t *len, uint64_t *line_no)
{
	if (reader_reserve(&r->obj, &r->obj_cap,
			   reader_bound(r, READER_JSON_MAX) + 1) < 0)
		return -1;
	for (;;) {
		int c = get(r), rc;
		uint64_t line0;

		if (c < 0) {
			if (dmesg_array && r->json_state != JS_DONE &&
			    !r->finished && r->st.bytes) {
				r->st.bad_lines++;
				reader_diag(
					r, RD_BAD, SPLAT_DIAG_WARNING,
					r->line_no + 1,
					r->json_state == JS_START
						? "no \"dmesg\" array found"
						: "dmesg --json document truncated "
						  "(no closing ']')");
				r->json_state = JS_DONE;
			}
			return r->eof ? 0 : -1;
		}
		if (is_ws(c))
			continue;
		if (dmesg_array && r->json_state == JS_DONE)
			continue; /* the closing brace(s) */
		if (dmesg_array && r->json_state == JS_START) {
			/* Skip {"dmesg": up to the array. */
			if (c == '[')
				r->json_state = JS_ARRAY;
			continue;
		}
		if (c == ',' || (!dmesg_array && (c == '[' || c == ']')))
			continue;
		if (dmesg_array && c == ']') {
			r->json_state = JS_DONE;
			continue;
		}
		line0 = r->line_no + 1;
		if (c != '{') {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line0,
				    "expected a JSON object, got byte 0x%02x: "
				    "line skipped",
				    c);
			if (c != '\n')
				skip_line(r);
			continue;
		}
		rc = collect(r, !dmesg_array, len, line0);
		if (rc < 0)
			return r->eof ? 0 : -1;
		if (rc == 0)
			continue;
		*obj = r->obj;
		*line_no = line0;
		return 1;
	}
}

struct json_object *reader_json_parse(struct splat_reader *r, const char *obj,
				      size_t len, uint64_t line_no)
{
	struct json_tokener *tok = r->tok;
	struct json_object *o;
	enum json_tokener_error err;

	if (r->json_cur) {
		json_object_put(r->json_cur);
		r->json_cur = NULL;
	}
	if (!tok) {
		tok = json_tokener_new();
		if (!tok)
			return NULL;
		r->tok = tok;
	}
	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, obj, (int)len);
	err = json_tokener_get_error(tok);
	if (!o || err != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		if (o)
			json_object_put(o);
		r->st.bad_lines++;
		reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
			    "invalid JSON object (%s): skipped",
			    err != json_tokener_success
				    ? json_tokener_error_desc(err)
				    : "not an object");
		return NULL;
	}
	r->json_cur = o;
	return o;
}

void reader_json_fini(struct splat_reader *r)
{
	if (r->json_cur)
		json_object_put(r->json_cur);
	if (r->tok)
		json_tokener_free(r->tok);
	r->json_cur = NULL;
	r->tok = NULL;
}
