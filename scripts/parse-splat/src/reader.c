/* SPDX-License-Identifier: MIT */
/*
 * reader.c - open a stream, buffer it, detect its format, dispatch to the
 * format module, track boots and report problems.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "reader_int.h"

/* ---- diagnostics ----------------------------------------------------- */

static const char *const diag_kind_what[RD__COUNT] = {
	[RD_OTHER] = "diagnostics",
	[RD_LONG] = "over-long lines",
	[RD_UTF8] = "records with invalid UTF-8",
	[RD_BINARY] = "records with control bytes",
	[RD_BAD] = "malformed records",
	[RD_LOST] = "loss reports",
};

void splat_diag_print(void *ctx, enum splat_diag_level level, const char *name,
		      uint64_t line_no, const char *msg)
{
	(void)ctx;
	if (line_no)
		fprintf(stderr, "%s:%llu: %s: %s\n", name,
			(unsigned long long)line_no,
			level == SPLAT_DIAG_ERROR ? "error" : "warning", msg);
	else
		fprintf(stderr, "%s: %s: %s\n", name,
			level == SPLAT_DIAG_ERROR ? "error" : "warning", msg);
}

void reader_diag(struct splat_reader *r, enum reader_diag_kind kind,
		 enum splat_diag_level level, uint64_t line_no, const char *fmt,
		 ...)
{
	char msg[512];
	va_list ap;

	if (kind != RD_OTHER && ++r->diag_count[kind] > READER_DIAG_LIMIT)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (kind != RD_OTHER && r->diag_count[kind] == READER_DIAG_LIMIT) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, " (further %s not shown)",
			 diag_kind_what[kind]);
	}
	if (r->diag)
		r->diag(r->diag_ctx, level, r->name, line_no, msg);
}

void splat_reader_set_diag(struct splat_reader *r, splat_diag_fn fn, void *ctx)
{
	r->diag = fn;
	r->diag_ctx = ctx;
}

/* ---- buffered input ------------------------------------------------- */

int reader_reserve(char **buf, size_t *cap, size_t n)
{
	char *p;

	if (*cap >= n)
		return 0;
	p = realloc(*buf, n);
	if (!p)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

size_t reader_bound(const struct splat_reader *r, size_t limit)
{
	return r->mem && r->mem_len < limit ? r->mem_len : limit;
}

static void compact(struct splat_reader *r)
{
	if (r->start == 0)
		return;
	if (r->end > r->start)
		memmove(r->buf, r->buf + r->start, r->end - r->start);
	r->end -= r->start;
	r->start = 0;
}

int reader_fill(struct splat_reader *r)
{
	size_t room;
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->end == r->cap)
		compact(r);
	room = r->cap - r->end;
	if (room == 0)
		return 1; /* full: the caller consumes first */
	if (r->read_max && room > r->read_max)
		room = r->read_max;
	if (r->mem) {
		size_t left = r->mem_len - r->mem_pos;
		if (left == 0) {
			r->eof = true;
			return 0;
		}
		if (room > left)
			room = left;
		memcpy(r->buf + r->end, r->mem + r->mem_pos, room);
		r->mem_pos += room;
		r->end += room;
		r->st.bytes += room;
		return 1;
	}
	for (;;) {
		n = read(r->fd, r->buf + r->end, room);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1; /* caller sees errno */
		reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0, "read: %s",
			    strerror(errno));
		return -1;
	}
	if (n == 0) {
		r->eof = true;
		return 0;
	}
	r->end += (size_t)n;
	r->st.bytes += (uint64_t)n;
	return 1;
}

size_t reader_want(struct splat_reader *r, size_t n)
{
	if (n > r->cap)
		n = r->cap;
	while (r->end - r->start < n) {
		if (r->start + n > r->cap)
			compact(r);
		if (reader_fill(r) <= 0)
			break;
	}
	return r->end - r->start;
}

int reader_peek(struct splat_reader *r)
{
	if (reader_want(r, 1) < 1)
		return -1;
	return (unsigned char)r->buf[r->start];
}

int reader_getline(struct splat_reader *r, size_t limit, char **line,
		   size_t *len)
{
	for (;;) {
		size_t avail = r->end - r->start;
		char *p = r->buf + r->start;
		char *nl;
		int rc;

		if (r->skip_to_nl) {
			nl = memchr(p, '\n', avail);
			if (nl) {
				r->start += (size_t)(nl - p) + 1;
				r->skip_to_nl = false;
				continue;
			}
			r->start = r->end = 0;
			if (r->eof) {
				r->skip_to_nl = false;
				return 0;
			}
		} else {
			size_t scan = avail < limit + 1 ? avail : limit + 1;
			size_t n, k;

			/* One pass finds the newline of a plain line and tells
			 * that it is plain (the common case); else memchr. */
			k = reader_first_nonplain((const unsigned char *)p,
						  scan);
			r->line_plain = k < scan && p[k] == '\n';
			nl = r->line_plain ? p + k
			     : k < scan	   ? memchr(p + k, '\n', scan - k)
					   : NULL;
			if (nl) {
				n = (size_t)(nl - p);
				r->start += n + 1;
				r->line_no++;
				if (n && p[n - 1] == '\r') {
					n--;
					r->st.crlf++;
				}
				p[n] = '\0';
				*line = p;
				*len = n;
				r->st.lines++;
				return 1;
			}
			if (avail > limit) {
				/* Over-long line: keep the first limit bytes.
				 */
				r->line_no++;
				r->st.lines++;
				r->st.long_lines++;
				reader_diag(
					r, RD_LONG, SPLAT_DIAG_WARNING,
					r->line_no,
					"line longer than %zu bytes, truncated",
					limit);
				r->line_plain = false;
				p[limit] = '\0';
				r->start += limit + 1;
				r->skip_to_nl = true;
				*line = p;
				*len = limit;
				return 1;
			}
			if (r->eof) {
				if (avail == 0)
					return 0;
				r->line_no++;
				r->st.lines++;
				r->last_unterminated = true;
				r->line_plain = false;
				if (p[avail - 1] == '\r') {
					avail--;
					r->st.crlf++;
				}
				p[avail] = '\0'; /* the spare byte */
				r->start = r->end;
				*line = p;
				*len = avail;
				return 1;
			}
			compact(r);
		}
		rc = reader_fill(r);
		if (rc < 0)
			return -1;
	}
}

/* ---- boots and common record fields --------------------------------- */

void reader_note_boot_id(struct splat_reader *r, const char *id, int64_t ts)
{
	size_t n = strlen(id);

	if (n >= sizeof(r->boot_id))
		n = sizeof(r->boot_id) - 1;
	if (r->boot_id[0] &&
	    (strncmp(r->boot_id, id, n) != 0 || r->boot_id[n] != '\0')) {
		r->boot++;
		r->have_ts = false;
	}
	memcpy(r->boot_id, id, n);
	r->boot_id[n] = '\0';
	if (ts != SPLAT_TS_NONE) {
		if (!r->have_ts || ts > r->last_ts)
			r->last_ts = ts;
		r->have_ts = true;
	}
}

/* ---- detection ------------------------------------------------------ */

/* What detection looks at: through the end of the second line that is not
 * blank; 0 when p[0..n) does not hold it yet. */
static size_t detect_view(const char *p, size_t n)
{
	unsigned lines = 0;
	bool text = false;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			lines += text;
			text = false;
			if (lines == 2)
				return i + 1;
		} else if (!isspace((unsigned char)p[i])) {
			text = true;
		}
	}
	return 0;
}

static enum splat_format detect(struct splat_reader *r)
{
	size_t n = r->end - r->start, v;
	const char *p;

	/* Look at the first two lines that are not blank (the first 4 KiB at
	 * most): enough for every format, and no waiting for more on a slow
	 * pipe.  The view is the same whatever the read sizes were (a view
	 * of what one read happened to bring made `{`, a blank line,
	 * `"dmesg": [` journal JSON when read in small pieces: fuzz_fmt_auto).
	 */
	while (n < 4096 && !r->eof && !detect_view(r->buf + r->start, n)) {
		if (r->start + 4096 > r->cap)
			compact(r);
		if (reader_fill(r) <= 0)
			break;
		n = r->end - r->start;
	}
	p = r->buf + r->start;
	v = detect_view(p, n);
	if (v)
		n = v;
	if (n > 4096)
		n = 4096;

	/* A UTF-8 byte order mark is dropped, whatever the format. */
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		r->start += 3;
		p += 3;
		n -= 3;
	}
	return reader_detect_stream(p, n);
}

/* fmt: a row of the table; AUTO here means text with every wrapper (the
 * stream was not recognised as anything else). */
static void set_format(struct splat_reader *r, enum splat_format fmt)
{
	const struct reader_format *f = reader_format_row(fmt);

	r->wrap = f->wrap;
	r->fini = f->fini;
	r->next = f->next;
	r->fmt = fmt;
	if (!r->next || r->next == reader_text_next) {
		/* text, with the wrappers of its row (AUTO: all) */
		if (fmt == SPLAT_FORMAT_AUTO)
			r->fmt = SPLAT_FORMAT_TEXT;
		r->next = reader_text_next;
#if READER_AVX2_CLONE
		if (r->simd_wide)
			r->next = reader_text_next_avx2;
#endif
	}
}

/* ---- open / close --------------------------------------------------- */

static void read_proc_boot_id(struct splat_reader *r)
{
	char id[64];
	size_t o = 0;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	if (!f)
		return;
	if (fgets(id, sizeof(id), f)) {
		for (size_t i = 0; id[i] && o < sizeof(r->boot_id) - 1; i++)
			if (id[i] != '-' && id[i] != '\n')
				r->boot_id[o++] = id[i];
		r->boot_id[o] = '\0';
	}
	fclose(f);
}

/* cap: the input buffer's size (READER_BUF_SIZE, or less for a memory
 * input that fits whole: no line of it can be longer than it). */
static struct splat_reader *reader_new(const char *name, enum splat_format fmt,
				       size_t cap)
{
	struct splat_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->name = strdup(name ? name : "-");
	r->cap = cap;
	r->buf = malloc(r->cap + 1);
	if (!r->name || !r->buf) {
		free(r->name);
		free(r->buf);
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->fd = -1;
	r->diag = splat_diag_print;
	r->fmt = fmt;
	reader_wall_reset(r);
	r->wall.prev = SPLAT_TS_NONE;
#if READER_AVX2_CLONE
	/* SPLAT_NO_AVX2=1: the 16-byte scanner anyway (comparisons, bugs) */
	const char *no = getenv("SPLAT_NO_AVX2");
	r->simd_wide =
		__builtin_cpu_supports("avx2") && !(no && *no && *no != '0');
#endif
	return r;
}

struct splat_reader *splat_reader_open_fd(int fd, const char *name,
					  enum splat_format fmt)
{
	struct splat_reader *r;
	struct stat sb;

	if ((unsigned)fmt >= splat_format_count()) {
		errno = EINVAL;
		return NULL;
	}
	if (fstat(fd, &sb) < 0)
		return NULL;
	r = reader_new(name, fmt, READER_BUF_SIZE);
	if (!r)
		return NULL;
	r->fd = fd;
	if (S_ISCHR(sb.st_mode) && major(sb.st_rdev) == 1 &&
	    minor(sb.st_rdev) == 11) {
		/* /dev/kmsg (char 1:11): one record per read().  Other
		 * character devices (a tty, a serial console) are streams. */
		r->live = true;
		if (fmt == SPLAT_FORMAT_AUTO)
			r->fmt = SPLAT_FORMAT_KMSG;
		read_proc_boot_id(r);
		r->boot_id_fixed = r->boot_id[0] != '\0';
	} else if (S_ISREG(sb.st_mode)) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	if (r->fmt != SPLAT_FORMAT_AUTO)
		set_format(r, r->fmt);
	return r;
}

struct splat_reader *splat_reader_open_path(const char *path,
					    enum splat_format fmt)
{
	struct splat_reader *r;
	int fd;

	if (!path || strcmp(path, "-") == 0) {
		r = splat_reader_open_fd(STDIN_FILENO, "-", fmt);
		return r;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	r = splat_reader_open_fd(fd, path, fmt);
	if (!r) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	r->close_fd = true;
	return r;
}

struct splat_reader *splat_reader_open_mem(const void *data, size_t len,
					   const char *name,
					   enum splat_format fmt)
{
	struct splat_reader *r;

	if ((unsigned)fmt >= splat_format_count()) {
		errno = EINVAL;
		return NULL;
	}
	/* the whole input and its spare byte, not 1 MiB for a short string
	 * (the fuzzers and tests open thousands) */
	size_t cap = data && len < READER_BUF_SIZE ? len + 1 : READER_BUF_SIZE;

	r = reader_new(name ? name : "<memory>", fmt, cap);
	if (!r)
		return NULL;
	r->mem = data ? data : (const void *)"";
	r->mem_len = data ? len : 0;
	if (fmt != SPLAT_FORMAT_AUTO)
		set_format(r, fmt);
	return r;
}

void splat_reader_close(struct splat_reader *r)
{
	if (!r)
		return;
	if (r->fini)
		r->fini(r);
	if (r->close_fd && r->fd >= 0)
		close(r->fd);
	free(r->name);
	free(r->buf);
	free(r->text);
	free(r->raw);
	free(r->obj);
	free(r->bytes);
	free(r);
}

/* ---- records -------------------------------------------------------- */

static void end_of_input_checks(struct splat_reader *r)
{
	const struct splat_reader_stats *st = &r->st;

	if (r->finished)
		return;
	r->finished = true;
	for (int k = 0; k < RD__COUNT; k++)
		if (r->diag_count[k] > READER_DIAG_LIMIT)
			reader_diag(r, RD_OTHER, SPLAT_DIAG_WARNING, 0,
				    "%llu more %s not shown",
				    (unsigned long long)(r->diag_count[k] -
							 READER_DIAG_LIMIT),
				    diag_kind_what[k]);
	if (st->records == 0) {
		if (st->bytes == 0)
			reader_diag(r, RD_OTHER, SPLAT_DIAG_WARNING, 0,
				    "empty input: no records");
		else
			reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0,
				    "no %s records found in %llu bytes "
				    "(%llu malformed)",
				    splat_format_name(r->fmt),
				    (unsigned long long)st->bytes,
				    (unsigned long long)st->bad_lines);
		return;
	}
	if (st->binary + st->invalid_utf8 > st->records / 2)
		reader_diag(
			r, RD_OTHER, SPLAT_DIAG_ERROR, 0,
			"does not look like a kernel log: %llu of %llu "
			"records contain control bytes or invalid UTF-8",
			(unsigned long long)(st->binary + st->invalid_utf8 >
							     st->records
						     ? st->records
						     : st->binary +
							       st->invalid_utf8),
			(unsigned long long)st->records);
	else if (st->bad_lines > st->records)
		reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0,
			    "mostly malformed %s input: %llu malformed, %llu "
			    "records",
			    splat_format_name(r->fmt),
			    (unsigned long long)st->bad_lines,
			    (unsigned long long)st->records);
}

int splat_reader_next(struct splat_reader *r, struct splat_record *rec)
{
	struct splat_skipped none;

	return splat_reader_next_skipping(r, rec, NULL, &none);
}

int splat_reader_next_skipping(struct splat_reader *r, struct splat_record *rec,
			       struct splat_skip *sk,
			       struct splat_skipped *skipped)
{
	int rc;

	if (r->fmt == SPLAT_FORMAT_AUTO || !r->next) {
		enum splat_format f = r->live ? SPLAT_FORMAT_KMSG : detect(r);

		if (r->start == r->end && !r->eof && !r->live) {
			/* Nothing to look at yet (non-blocking, EAGAIN):
			 * decide when bytes arrive. */
			errno = EAGAIN;
			return -1;
		}
		set_format(r, f);
	}
	/* Field by field: this runs once per line. */
	rec->seq = 0;
	rec->has_seq = false;
	rec->ts_usec = SPLAT_TS_NONE;
	rec->clock = SPLAT_CLOCK_NONE;
	rec->level = -1;
	rec->facility = -1;
	rec->caller[0] = '\0';
	rec->boot = 0;
	rec->boot_id[0] = '\0';
	rec->lost_before = 0;
	rec->text = "";
	rec->text_len = 0;
	rec->raw = "";
	rec->raw_len = 0;
	rec->line_no = 0;
	rec->single_line = false;
	rec->clean_for = NULL;
	skipped->n = 0;
	r->skip = sk;
	rc = r->next(r, rec);
	r->skip = NULL;
	if (rc == 1) {
		reader_finish_record(r, rec);
		if (r->skip_n) {
			skipped->n = r->skip_n;
			skipped->boot = r->skip_boot;
			skipped->ts_min = r->skip_min;
			skipped->ts_max = r->skip_max;
			skipped->ts_last = r->skip_last;
			skipped->clocks = r->skip_clocks;
			r->skip_n = 0;
		}
	} else if (rc == 0)
		end_of_input_checks(r);
	return rc;
}

void splat_reader_set_prefilter(struct splat_reader *r,
				const struct splat_prefilter *pf)
{
	r->pf = NULL;
	r->pf_n = 0;
	r->line_clean = false;
	if (!pf || !pf->n || pf->n > SPLAT_PREFILTER_MAX)
		return;
	for (unsigned j = 0; j < pf->n; j++)
		if (pf->d[j] < 1 || pf->d[j] > 15)
			return;
	for (unsigned j = 0; j < pf->n; j++) {
		memset(r->pf_a[j], pf->a[j], 16);
		memset(r->pf_b[j], pf->b[j], 16);
		r->pf_d[j] = pf->d[j];
	}
	r->pf_n = pf->n;
	/* 3 pairs or fewer: pad to 3 (the unrolled loop) */
	for (; r->pf_n < 3; r->pf_n++) {
		memcpy(r->pf_a[r->pf_n], r->pf_a[0], 16);
		memcpy(r->pf_b[r->pf_n], r->pf_b[0], 16);
		r->pf_d[r->pf_n] = r->pf_d[0];
	}
	r->pf = pf;
}

enum splat_format splat_reader_format(const struct splat_reader *r)
{
	return r->fmt;
}

const struct splat_reader_stats *
splat_reader_stats(const struct splat_reader *r)
{
	return &r->st;
}

const char *splat_reader_name(const struct splat_reader *r)
{
	return r->name;
}

int splat_reader_set_start_seq(struct splat_reader *r, uint64_t next_seq)
{
	if (r->index) {
		errno = EINVAL;
		return -1;
	}
	r->start_seq_set = true;
	r->start_seq = next_seq;
	return 0;
}

int splat_reader_fd(const struct splat_reader *r)
{
	return r->mem ? -1 : r->fd;
}

bool splat_reader_is_live(const struct splat_reader *r)
{
	return r->live;
}
