/* SPDX-License-Identifier: MIT */
/*
 * reader_journal.c - journalctl -k -o json (and json-pretty/json-seq) and
 * journalctl -o export.
 *
 * Fields used: MESSAGE (a string, or an array of byte values for binary
 * messages; null when journalctl left it out), _BOOT_ID (a change starts a
 * new boot), _SOURCE_MONOTONIC_TIMESTAMP (the kernel's own timestamp of a
 * kernel message) else __MONOTONIC_TIMESTAMP (usec), PRIORITY,
 * SYSLOG_FACILITY.  Nothing is filtered by priority.  MESSAGE is taken as
 * is: newlines in it are kept (consumers split on them).
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "reader_int.h"

static bool parse_usec(const char *s, int64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	v = strtoull(s, &end, 10);
	if (*end || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

static int small_int(const char *s, int max)
{
	int v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > max)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > max ? -1 : v;
}

/* Common tail: boot tracking, text.  msg/len need not be terminated. */
static int finish(struct splat_reader *r, struct splat_record *rec,
		  const char *boot_id, int64_t ts, const char *msg, size_t len,
		  uint64_t line_no)
{
	rec->ts_usec = ts;
	rec->line_no = line_no;
	if (boot_id && *boot_id)
		reader_note_boot_id(r, boot_id, ts);
	else
		reader_note_ts(r, ts);
	if (reader_reserve(&r->bytes, &r->bytes_cap, len + 1) < 0)
		return -1;
	if (msg != r->bytes)
		memcpy(r->bytes, msg, len);
	r->bytes[len] = '\0';
	return reader_set_text(r, rec, r->bytes, len, true, line_no);
}

/* ---- -o json -------------------------------------------------------- */

static const char *str_field(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int reader_journal_json_next(struct splat_reader *r, struct splat_record *rec)
{
	for (;;) {
		const char *obj, *msg = NULL, *s;
		size_t len, mlen = 0;
		uint64_t line_no;
		struct json_object *o, *m;
		int64_t ts = SPLAT_TS_NONE;
		int rc =
			reader_json_next_object(r, false, &obj, &len, &line_no);

		if (rc <= 0)
			return rc;
		o = reader_json_parse(r, obj, len, line_no);
		if (!o)
			continue;
		if (!json_object_object_get_ex(o, "MESSAGE", &m) ||
		    json_object_is_type(m, json_type_null)) {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
				    "journal entry without MESSAGE (too large "
				    "for journalctl? use --all): skipped");
			continue;
		}
		if (json_object_is_type(m, json_type_string)) {
			msg = json_object_get_string(m);
			mlen = (size_t)json_object_get_string_len(m);
		} else if (json_object_is_type(m, json_type_array)) {
			size_t n = json_object_array_length(m);
			bool ok = true;

			if (reader_reserve(&r->bytes, &r->bytes_cap, n + 1) < 0)
				return -1;
			for (size_t i = 0; i < n; i++) {
				struct json_object *b =
					json_object_array_get_idx(m, i);
				int v = json_object_get_int(b);
				if (!json_object_is_type(b, json_type_int) ||
				    v < 0 || v > 255)
					ok = false;
				r->bytes[i] = (char)v;
			}
			if (!ok) {
				r->st.bad_lines++;
				reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING,
					    line_no,
					    "MESSAGE array holds "
					    "non-byte values: skipped");
				continue;
			}
			msg = r->bytes;
			mlen = n;
		} else {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
				    "MESSAGE is neither a string nor a byte "
				    "array: skipped");
			continue;
		}
		if (!parse_usec(str_field(o, "_SOURCE_MONOTONIC_TIMESTAMP"),
				&ts))
			parse_usec(str_field(o, "__MONOTONIC_TIMESTAMP"), &ts);
		rec->level = small_int(str_field(o, "PRIORITY"), 7);
		rec->facility = small_int(str_field(o, "SYSLOG_FACILITY"), 127);
		s = str_field(o, "_BOOT_ID");
		if (s) {
			size_t n = strlen(s);
			if (n >= sizeof(rec->boot_id))
				n = sizeof(rec->boot_id) - 1;
			memcpy(rec->boot_id, s, n);
			rec->boot_id[n] = '\0';
		}
		rec->raw = obj;
		rec->raw_len = len;
		if (finish(r, rec, s, ts, msg, mlen, line_no) < 0)
			return -1;
		return 1;
	}
}

/* ---- -o export ------------------------------------------------------ */

struct entry {
	bool has_msg;
	size_t msg_len;
	int64_t mono, src_mono;
	int level, facility;
	char boot_id[40];
	size_t raw_len;
};

static void raw_append(struct splat_reader *r, struct entry *e, const char *p,
		       size_t n, bool nl)
{
	if (e->raw_len + n + 1 > READER_JSON_MAX)
		return;
	memcpy(r->raw + e->raw_len, p, n);
	e->raw_len += n;
	if (nl)
		r->raw[e->raw_len++] = '\n';
}

static void set_field(struct splat_reader *r, struct entry *e, const char *key,
		      size_t klen, const char *val, size_t vlen)
{
	char tmp[48];

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
	if (KEY("MESSAGE")) {
		if (val != r->bytes)
			memcpy(r->bytes, val, vlen);
		e->msg_len = vlen;
		e->has_msg = true;
		return;
	}
	if (vlen >= sizeof(tmp))
		return;
	memcpy(tmp, val, vlen);
	tmp[vlen] = '\0';
	if (KEY("_BOOT_ID"))
		memcpy(e->boot_id, tmp,
		       vlen + 1 < sizeof(e->boot_id) ? vlen + 1
						     : sizeof(e->boot_id));
	else if (KEY("__MONOTONIC_TIMESTAMP"))
		parse_usec(tmp, &e->mono);
	else if (KEY("_SOURCE_MONOTONIC_TIMESTAMP"))
		parse_usec(tmp, &e->src_mono);
	else if (KEY("PRIORITY"))
		e->level = small_int(tmp, 7);
	else if (KEY("SYSLOG_FACILITY"))
		e->facility = small_int(tmp, 127);
#undef KEY
	e->boot_id[sizeof(e->boot_id) - 1] = '\0';
}

/* A binary field: "KEY\n" was read; le64 size, data, "\n" follow.
 * 1: ok, 0: skipped (diagnosed), -1: truncated input. */
static int binary_field(struct splat_reader *r, struct entry *e,
			const char *key, size_t klen, uint64_t line_no)
{
	unsigned char sz[8];
	uint64_t size = 0;
	char keybuf[64];

	if (klen >= sizeof(keybuf))
		klen = sizeof(keybuf) - 1;
	memcpy(keybuf, key, klen); /* key lives in the input buffer */
	keybuf[klen] = '\0';
	if (reader_want(r, 8) < 8)
		goto truncated;
	memcpy(sz, r->buf + r->start, 8);
	r->start += 8;
	for (int i = 7; i >= 0; i--)
		size = size << 8 | sz[i];
	if (size > READER_JSON_MAX) {
		r->st.bad_lines++;
		reader_diag(r, RD_LONG, SPLAT_DIAG_WARNING, line_no,
			    "export field %s of %llu bytes: skipped", keybuf,
			    (unsigned long long)size);
		size++; /* and its newline */
		while (size) {
			size_t have = reader_want(r, 1), take;
			if (have == 0)
				goto truncated;
			take = have < size ? have : (size_t)size;
			r->start += take;
			size -= take;
		}
		return 0;
	}
	if (reader_want(r, (size_t)size + 1) < size + 1)
		goto truncated;
	for (size_t i = 0; i < size; i++)
		if (r->buf[r->start + i] == '\n')
			r->line_no++;
	raw_append(r, e, keybuf, klen, true);
	set_field(r, e, keybuf, klen, r->buf + r->start, (size_t)size);
	r->start += (size_t)size;
	if (r->buf[r->start] != '\n') {
		r->st.bad_lines++;
		reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
			    "export field %s: no newline after its %llu data "
			    "bytes",
			    keybuf, (unsigned long long)size);
	} else {
		r->start++;
		r->line_no++;
	}
	return 1;
truncated:
	r->st.bad_lines++;
	reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
		    "export field %s truncated at end of input", keybuf);
	return -1;
}

static bool key_ok(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

int reader_journal_export_next(struct splat_reader *r, struct splat_record *rec)
{
	size_t need = reader_bound(r, READER_JSON_MAX) + 1;

	if (reader_reserve(&r->bytes, &r->bytes_cap, need) < 0 ||
	    reader_reserve(&r->raw, &r->raw_cap, need) < 0)
		return -1;
	for (;;) {
		struct entry e = {.mono = SPLAT_TS_NONE,
				  .src_mono = SPLAT_TS_NONE,
				  .level = -1,
				  .facility = -1};
		uint64_t line0 = 0;
		bool any = false, end = false, truncated = false;

		for (;;) {
			char *line, *eq;
			size_t len;
			int rc =
				reader_getline(r, READER_JSON_MAX, &line, &len);

			if (rc < 0)
				return -1;
			if (rc == 0) {
				end = true;
				break;
			}
			if (len == 0) {
				if (any)
					break;
				continue;
			}
			if (!any)
				line0 = r->line_no;
			any = true;
			eq = memchr(line, '=', len);
			if (eq && key_ok(line, (size_t)(eq - line))) {
				size_t klen = (size_t)(eq - line);
				raw_append(r, &e, line, len, true);
				set_field(r, &e, line, klen, eq + 1,
					  len - klen - 1);
			} else if (!eq && key_ok(line, len)) {
				if (binary_field(r, &e, line, len, r->line_no) <
				    0) {
					end = truncated = true;
					break;
				}
			} else {
				r->st.bad_lines++;
				reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING,
					    r->line_no,
					    "not a journal export field "
					    "(KEY=value): skipped");
			}
		}
		if (any && !e.has_msg && !truncated) {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line0,
				    "journal export entry without MESSAGE: "
				    "skipped");
		} else if (any && e.has_msg) {
			rec->level = e.level;
			rec->facility = e.facility;
			memcpy(rec->boot_id, e.boot_id, sizeof(rec->boot_id));
			if (e.raw_len)
				e.raw_len--; /* final newline */
			r->raw[e.raw_len] = '\0';
			rec->raw = r->raw;
			rec->raw_len = e.raw_len;
			if (finish(r, rec, e.boot_id,
				   e.src_mono != SPLAT_TS_NONE ? e.src_mono
							       : e.mono,
				   r->bytes, e.msg_len, line0) < 0)
				return -1;
			return 1;
		}
		if (end)
			return 0;
	}
}
