/* SPDX-License-Identifier: MIT */
/*
 * reader_text_loop.h - the text reader's per-line loop (line end, prefilter
 * pairs, prefixes, skipping), included by reader_text.c once per pair
 * scanner.  No include guard: each inclusion defines
 *   RT_NEXT     the record reader (int RT_NEXT(r, rec))
 *   RT_GETLINE  its inline line reader
 * from
 *   RT_PF       the pair scanner (reader_int.h), undefined: none
 *   RT_ATTR     attributes of both (a target), may be empty
 * and undefines all four.
 */

/* reader_getline() for the common case inline: a plain line whose end is
 * in the buffer; anything else (and the rare line that is not plain,
 * scanned twice then) goes to reader_getline(). */
static inline RT_ATTR __attribute__((always_inline)) int
RT_GETLINE(struct splat_reader *r, size_t limit, char **line, size_t *len)
{
	if (!r->skip_to_nl) {
		size_t avail = r->end - r->start;
		size_t scan = avail < limit + 1 ? avail : limit + 1;
		char *p = r->buf + r->start;
		size_t k;
		bool clean = false;
#ifdef RT_PF
		if (r->pf && r->pf_n == 3)
			k = RT_PF(r, (const unsigned char *)p, scan, &clean, 3);
		else if (r->pf)
			k = RT_PF(r, (const unsigned char *)p, scan, &clean,
				  r->pf_n);
		else
#endif
			k = reader_first_nonplain((const unsigned char *)p,
						  scan);
		if (k < scan && p[k] == '\n') {
			/* plain: no CR before it */
			r->line_plain = true;
			r->line_clean = clean;
			r->start += k + 1;
			r->line_no++;
			r->st.lines++;
			p[k] = '\0';
			*line = p;
			*len = k;
			return 1;
		}
	}
	r->line_clean = false;
	return reader_getline(r, limit, line, len);
}

RT_ATTR int RT_NEXT(struct splat_reader *r, struct splat_record *rec)
{
	struct splat_skip *sk =
		r->skip && r->skip->pf == r->pf ? r->skip : NULL;
again:;
	char *line;
	size_t len, i = 0, k;
	int rc = RT_GETLINE(r, SPLAT_LINE_MAX, &line, &len);
	bool prefix = false;
	unsigned boot0 = r->boot;
	struct reader_wrapped w;

	if (rc <= 0)
		return rc;
	rec->line_no = r->line_no;
	rec->single_line = true; /* split at '\n'; an escaped one stays \x0a */
	rec->raw = line;
	rec->raw_len = len;

	/* A console line ("[ 12.3] ..." with blanks or digits) needs no
	 * wrapper test but the short-monotonic one below. */
	w.kinds = 0;
	if (r->wrap &&
	    !(line[0] == '[' &&
	      (line[1] == ' ' || is_digit((unsigned char)line[1])))) {
		i = reader_unwrap(r, line, &len, rec, &w);
		if (w.kinds) {
			r->st.wrapped++;
			r->st.wrappers |= w.kinds & WR_ALL;
		}
		if (w.foreign) {
			/* another program's line: not a record */
			r->st.foreign++;
			rec->level = rec->facility = -1;
			rec->caller[0] = '\0';
			goto again;
		}
		if (w.kinds & WR_NEWLINES)
			rec->single_line = false;
	}
kernel_prefix:
	if (len - i >= 3 && line[i] == '<' &&
	    is_digit((unsigned char)line[i + 1])) {
		i = level_prefix(line, len, i, rec);
	} else if (len - i > 8 && line[i] >= 'a' && line[i] <= 'z' &&
		   (k = parse_decoded(line + i, len - i, &rec->level,
				      &rec->facility)))
		i += k;
	if (len - i > 3 && line[i] == '*') {
		uint64_t lost;
		k = parse_dropped(line + i, len - i, &lost);
		if (k) {
			rec->lost_before = lost;
			i += k;
			reader_diag(r, RD_LOST, SPLAT_DIAG_WARNING, r->line_no,
				    "console dropped %llu records",
				    (unsigned long long)lost);
		}
	}
	if (i < len && line[i] == '[')
		i = time_caller(r, line, len, i, rec, &prefix);
	if (!prefix && r->wrap && !w.kinds && i == 0 && line[0] == '[') {
		/* "[" but no console time: dmesg's other time formats */
		i = reader_unwrap(r, line, &len, rec, &w);
		if (w.kinds) {
			r->st.wrapped++;
			r->st.wrappers |= w.kinds & WR_ALL;
			goto kernel_prefix;
		}
	}
	if (prefix && i < len && line[i] == ' ')
		i++;
	/* journalctl prints no caller id: a line with one is the console's */
	if (prefix && !rec->caller[0] && (r->wrap & WR_MONO) && i < len &&
	    (k = reader_mono_ident(line + i, len - i))) {
		/* journalctl -o short-monotonic: "[uptime] host kernel: " */
		i += k;
		r->st.wrapped++;
		r->st.wrappers |= WR_MONO;
	}
	if (w.kinds & ~(unsigned)WR_PASTE)
		reader_wrapped_time(r, rec, &w, line + i, len - i);
	if (r->line_plain) {
		/* the line reader saw only printable ASCII: no checks */
		if (r->line_clean) {
			/* Passed over: clean, not the line that starts a boot
			 * or reports a loss, and not the last one buffered
			 * (a later line, returned, accounts for it; the
			 * prefilter's look-ahead implies it today, kept
			 * explicit so that nothing can be lost at the end). */
			if (sk && !rec->lost_before && r->boot == boot0 &&
			    r->start < r->end &&
			    skippable(sk, line + i, line + len, rec)) {
				reader_skip_line(r, rec->ts_usec, rec->clock);
				rec->ts_usec = SPLAT_TS_NONE;
				rec->clock = SPLAT_CLOCK_NONE;
				rec->level = -1;
				rec->facility = -1;
				rec->caller[0] = '\0';
				goto again;
			}
			rec->clean_for = r->pf;
		}
		rec->text = line + i;
		rec->text_len = len - i;
		return 1;
	}
	if (reader_set_text(r, rec, line + i, len - i, false, r->line_no) < 0)
		return -1;
	return 1;
}

#undef RT_NEXT
#undef RT_GETLINE
#undef RT_PF
#undef RT_ATTR
