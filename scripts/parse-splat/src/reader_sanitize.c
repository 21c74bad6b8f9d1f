/* SPDX-License-Identifier: MIT */
/*
 * reader_sanitize.c - what a record's text may contain.
 *
 * Text handed downstream never contains NUL, C0 control bytes other than
 * TAB (and LF in multi-line records) or DEL: those are escaped "\xNN", like
 * the kernel does in /dev/kmsg.  Invalid UTF-8 is kept byte for byte but
 * counted and diagnosed.  The common case (printable ASCII) is checked eight
 * bytes at a time and not copied at all.
 */
#include <string.h>

#include "reader_int.h"

bool reader_plain_ascii(const unsigned char *p, size_t n)
{
	return reader_first_nonplain(p, n) == n;
}

bool reader_valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t need;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i - 1 < need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

size_t reader_sanitize(char *dst, const unsigned char *src, size_t len,
		       bool allow_nl, bool *escaped)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	*escaped = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = src[i];

		if ((c < 0x20 && c != '\t' && !(c == '\n' && allow_nl)) ||
		    c == 0x7f) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
			*escaped = true;
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return o;
}

int reader_set_text(struct splat_reader *r, struct splat_record *rec,
		    const char *src, size_t len, bool allow_nl,
		    uint64_t line_no)
{
	const unsigned char *u = (const unsigned char *)src;
	bool escaped;

	/* Fast path: printable ASCII needs nothing.  src must be NUL
	 * terminated at len for this (all callers guarantee it). */
	if (src[len] == '\0' && reader_plain_ascii(u, len)) {
		rec->text = src;
		rec->text_len = len;
		return 0;
	}
	if (!reader_valid_utf8(u, len)) {
		r->st.invalid_utf8++;
		reader_diag(r, RD_UTF8, SPLAT_DIAG_WARNING, line_no,
			    "invalid UTF-8 in record (kept as is)");
	}
	if (reader_reserve(&r->text, &r->text_cap, 4 * len + 1) < 0)
		return -1;
	rec->text_len = reader_sanitize(r->text, u, len, allow_nl, &escaped);
	rec->text = r->text;
	if (escaped) {
		r->st.binary++;
		reader_diag(
			r, RD_BINARY, SPLAT_DIAG_WARNING, line_no,
			"control bytes or NUL in record (escaped as \\xNN)");
	}
	return 0;
}
