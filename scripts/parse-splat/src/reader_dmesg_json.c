/* SPDX-License-Identifier: MIT */
/*
 * reader_dmesg_json.c - util-linux dmesg --json:
 *   {"dmesg":[{"pri":4,"time":5140.123456,"caller":"T1","msg":"..."},...]}
 * Read element by element (reader_jsonscan.c), never the whole document.
 * "pri" is facility<<3|level as a number; with --decode dmesg writes "fac"
 * and "pri" as names ("kern", "warn"), also accepted.  "time" is seconds.
 */
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "reader_int.h"

static int name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const level_names[] = {"emerg", "alert",  "crit", "err",
					  "warn",  "notice", "info", "debug"};
static const char *const fac_names[] = {"kern", "user",	  "mail",     "daemon",
					"auth", "syslog", "lpr",      "news",
					"uucp", "cron",	  "authpriv", "ftp"};

int reader_dmesg_json_next(struct splat_reader *r, struct splat_record *rec)
{
	for (;;) {
		const char *obj, *msg;
		size_t len, mlen;
		uint64_t line_no;
		struct json_object *o, *v;
		int rc = reader_json_next_object(r, true, &obj, &len, &line_no);

		if (rc <= 0)
			return rc;
		o = reader_json_parse(r, obj, len, line_no);
		if (!o)
			continue;
		if (!json_object_object_get_ex(o, "msg", &v) ||
		    !json_object_is_type(v, json_type_string)) {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
				    "dmesg --json element without \"msg\": "
				    "skipped");
			continue;
		}
		msg = json_object_get_string(v);
		mlen = (size_t)json_object_get_string_len(v);
		if (json_object_object_get_ex(o, "pri", &v)) {
			if (json_object_is_type(v, json_type_int)) {
				int64_t p = json_object_get_int64(v);
				if (p >= 0 && p < 1024) {
					rec->level = (int)(p & 7);
					rec->facility = (int)(p >> 3);
				}
			} else if (json_object_is_type(v, json_type_string)) {
				rec->level =
					name_index(json_object_get_string(v),
						   level_names, 8);
			}
		}
		if (json_object_object_get_ex(o, "fac", &v) &&
		    json_object_is_type(v, json_type_string))
			rec->facility = name_index(json_object_get_string(v),
						   fac_names, 12);
		if (json_object_object_get_ex(o, "time", &v) &&
		    (json_object_is_type(v, json_type_double) ||
		     json_object_is_type(v, json_type_int))) {
			double t = json_object_get_double(v);
			if (t >= 0 && t < 9.2e12)
				rec->ts_usec = (int64_t)llround(t * 1e6);
		}
		if (json_object_object_get_ex(o, "caller", &v) &&
		    json_object_is_type(v, json_type_string)) {
			const char *c = json_object_get_string(v);
			size_t n = strlen(c);
			if (n < sizeof(rec->caller)) {
				memcpy(rec->caller, c, n + 1);
			}
		}
		rec->line_no = line_no;
		rec->raw = obj;
		rec->raw_len = len;
		reader_note_ts(r, rec->ts_usec);
		if (reader_reserve(&r->bytes, &r->bytes_cap, mlen + 1) < 0)
			return -1;
		memcpy(r->bytes, msg, mlen);
		r->bytes[mlen] = '\0';
		if (reader_set_text(r, rec, r->bytes, mlen, true, line_no) < 0)
			return -1;
		return 1;
	}
}
