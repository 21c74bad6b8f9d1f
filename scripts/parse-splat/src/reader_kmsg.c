/* SPDX-License-Identifier: MIT */
/*
 * reader_kmsg.c - /dev/kmsg records, from a file (kmsg.raw, a capture) or
 * from the live character device.
 *
 * Record: "prio,seq,ts_usec,flags[,caller=T123][,more];text\n" followed by
 * zero or more continuation lines " KEY=value\n" (device properties: kept
 * in rec.raw, not in the text).  Unknown header fields are ignored.  The
 * kernel escapes bytes < 0x20, >= 0x7f and '\' as "\xNN"; they are undone
 * except NUL and control bytes other than TAB/LF, which stay escaped.
 *
 * seq is authoritative: a seq gap is reported as lost records on the next
 * record, a seq that does not increase starts a new boot.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "reader_int.h"

/* rec.raw of a file record: header line plus continuation lines. */
#define KMSG_RAW_MAX (2 * SPLAT_LINE_MAX)

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse an unsigned decimal field ending at ',' or ';'. */
static const char *parse_u64(const char *p, const char *end, uint64_t *v)
{
	uint64_t x = 0;
	const char *s = p;

	while (p < end && is_digit((unsigned char)*p)) {
		if (x > (UINT64_MAX - 9) / 10)
			return NULL;
		x = x * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == s)
		return NULL;
	*v = x;
	return p;
}

bool reader_kmsg_header_like(const char *p, size_t n)
{
	const char *end = p + n, *q = p;
	uint64_t v;

	for (int f = 0; f < 3; f++) {
		q = parse_u64(q, end, &v);
		if (!q || q >= end || (*q != ',' && !(f == 2 && *q == ';')))
			return false;
		if (*q == ';')
			return true;
		q++;
	}
	/* flags and fields up to ';' on the same line */
	for (; q < end && *q != '\n'; q++)
		if (*q == ';')
			return true;
	return false;
}

/* Unescape kmsg text into dst (>= len+1 bytes; escapes only shrink, raw
 * control bytes grow to 4: the caller reserves 4*len+1). */
static size_t unescape(char *dst, const char *src, size_t len, bool *binary)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\\' && i + 3 < len && src[i + 1] == 'x' &&
		    hexval((unsigned char)src[i + 2]) >= 0 &&
		    hexval((unsigned char)src[i + 3]) >= 0) {
			unsigned char b =
				(unsigned char)(hexval((unsigned char)
							       src[i + 2]) *
							16 +
						hexval((unsigned char)
							       src[i + 3]));
			if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7f) {
				memcpy(dst + o, src + i, 4);
				o += 4;
				*binary = true;
			} else {
				dst[o++] = (char)b;
			}
			i += 3;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
			*binary = true;
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return o;
}

static void parse_caller_field(const char *p, const char *end, char caller[16])
{
	size_t n = (size_t)(end - p);

	if (n < 2 || n > 15 || (p[0] != 'T' && p[0] != 'C'))
		return;
	for (size_t i = 1; i < n; i++)
		if (!is_digit((unsigned char)p[i]))
			return;
	memcpy(caller, p, n);
	caller[n] = '\0';
}

/* Sequence bookkeeping: loss, boots, resume.  Returns false to skip. */
static bool track_seq(struct splat_reader *r, struct splat_record *rec)
{
	uint64_t seq = rec->seq;

	if (!r->have_seq) {
		if (r->start_seq_set) {
			if (seq < r->start_seq) {
				r->st.skipped++;
				return false;
			}
			rec->lost_before = seq - r->start_seq;
		}
	} else if (seq >= r->next_seq) {
		rec->lost_before = seq - r->next_seq;
	} else {
		/* seq went back: the kernel restarted counting. */
		r->boot++;
		r->have_ts = false;
	}
	if (rec->lost_before)
		reader_diag(r, RD_LOST, SPLAT_DIAG_WARNING, rec->line_no,
			    "%llu records lost before seq %llu%s",
			    (unsigned long long)rec->lost_before,
			    (unsigned long long)seq,
			    r->epipe ? " (buffer overrun, EPIPE)" : "");
	r->epipe = false;
	r->have_seq = true;
	r->next_seq = seq + 1;
	if (rec->ts_usec != SPLAT_TS_NONE) {
		r->have_ts = true;
		r->last_ts = rec->ts_usec;
	}
	return true;
}

/* 1: parsed, 0: malformed (diagnosed, counted), -1: no memory. */
int reader_kmsg_parse(struct splat_reader *r, struct splat_record *rec,
		      const char *raw, size_t raw_len, uint64_t line_no)
{
	const char *end = raw + raw_len, *nl, *semi, *p;
	uint64_t prio, seq, ts;
	bool binary = false;
	size_t tlen;

	nl = memchr(raw, '\n', raw_len);
	if (!nl)
		nl = end;
	semi = memchr(raw, ';', (size_t)(nl - raw));
	p = semi ? parse_u64(raw, semi, &prio) : NULL;
	if (p && p < semi && *p == ',')
		p = parse_u64(p + 1, semi, &seq);
	else
		p = NULL;
	if (p && p < semi && *p == ',')
		p = parse_u64(p + 1, semi, &ts);
	else
		p = NULL;
	if (!p || (p < semi && *p != ',') || ts > INT64_MAX || prio > 1023) {
		r->st.bad_lines++;
		reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
			    "not a kmsg record (want \"prio,seq,ts_usec,"
			    "flags;text\"): skipped");
		return 0;
	}
	rec->level = (int)(prio & 7);
	rec->facility = (int)(prio >> 3);
	rec->seq = seq;
	rec->has_seq = true;
	rec->ts_usec = (int64_t)ts;
	rec->line_no = line_no;
	rec->raw = raw;
	rec->raw_len = raw_len;
	/* p at ",flags[,field...]" */
	while (p < semi) {
		const char *f = p + 1, *fe = memchr(f, ',', (size_t)(semi - f));
		if (!fe)
			fe = semi;
		if (fe - f > 7 && memcmp(f, "caller=", 7) == 0)
			parse_caller_field(f + 7, fe, rec->caller);
		p = fe;
	}
	tlen = (size_t)(nl - (semi + 1));
	if (reader_reserve(&r->text, &r->text_cap, 4 * tlen + 1) < 0)
		return -1;
	rec->text_len = unescape(r->text, semi + 1, tlen, &binary);
	rec->text = r->text;
	if (binary) {
		r->st.binary++;
		reader_diag(r, RD_BINARY, SPLAT_DIAG_WARNING, line_no,
			    "control bytes or NUL in record (kept as \\xNN)");
	}
	if (!reader_plain_ascii((const unsigned char *)rec->text,
				rec->text_len) &&
	    !reader_valid_utf8((const unsigned char *)rec->text,
			       rec->text_len)) {
		r->st.invalid_utf8++;
		reader_diag(r, RD_UTF8, SPLAT_DIAG_WARNING, line_no,
			    "invalid UTF-8 in record (kept as is)");
	}
	if (r->boot_id_fixed)
		memcpy(rec->boot_id, r->boot_id, sizeof(rec->boot_id));
	return 1;
}

/* Live /dev/kmsg: each read() returns exactly one record. */
static int next_live(struct splat_reader *r, struct splat_record *rec)
{
	for (;;) {
		ssize_t n = read(r->fd, r->buf, r->cap);
		size_t len;
		int rc;

		if (n < 0) {
			/* EINTR goes back to the follower (not an error): it
			 * may have been told to stop. */
			if (errno == EINTR)
				return -1;
			if (errno == EPIPE) {
				r->epipe = true;
				reader_diag(r, RD_LOST, SPLAT_DIAG_WARNING, 0,
					    "kernel overwrote unread records "
					    "(EPIPE); the loss is reported "
					    "with the next record");
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return -1;
			reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0,
				    "read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		r->st.bytes += (uint64_t)n;
		r->st.lines++;
		r->line_no++;
		len = (size_t)n;
		if (r->buf[len - 1] == '\n')
			len--;
		r->buf[len] = '\0';
		rc = reader_kmsg_parse(r, rec, r->buf, len, r->line_no);
		if (rc < 0)
			return -1;
		if (rc == 1 && track_seq(r, rec))
			return 1;
	}
}

int reader_kmsg_next(struct splat_reader *r, struct splat_record *rec)
{
	if (r->live)
		return next_live(r, rec);
	for (;;) {
		char *line;
		size_t len, raw_len;
		uint64_t line_no;
		int rc = reader_getline(r, SPLAT_LINE_MAX, &line, &len);
		bool cut = false;

		if (rc <= 0)
			return rc;
		if (len == 0)
			continue;
		line_no = r->line_no;
		if (line[0] == ' ') {
			r->st.bad_lines++;
			reader_diag(r, RD_BAD, SPLAT_DIAG_WARNING, line_no,
				    "continuation line without a record: "
				    "skipped");
			continue;
		}
		if (reader_reserve(&r->raw, &r->raw_cap,
				   reader_bound(r, KMSG_RAW_MAX) + 1) < 0)
			return -1;
		memcpy(r->raw, line, len);
		raw_len = len;
		/* Continuation lines belong to this record. */
		while (reader_peek(r) == ' ') {
			if (reader_getline(r, SPLAT_LINE_MAX, &line, &len) <= 0)
				break;
			if (raw_len + 1 + len > KMSG_RAW_MAX) {
				cut = true;
				continue;
			}
			r->raw[raw_len++] = '\n';
			memcpy(r->raw + raw_len, line, len);
			raw_len += len;
		}
		r->raw[raw_len] = '\0';
		if (cut)
			reader_diag(
				r, RD_LONG, SPLAT_DIAG_WARNING, line_no,
				"too many continuation lines: rest dropped");
		rc = reader_kmsg_parse(r, rec, r->raw, raw_len, line_no);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (r->eof && r->start == r->end && r->last_unterminated)
			reader_diag(r, RD_OTHER, SPLAT_DIAG_WARNING, line_no,
				    "last record has no final newline "
				    "(truncated?)");
		if (track_seq(r, rec))
			return 1;
	}
}
