/* SPDX-License-Identifier: MIT */
/*
 * watch.c - `splat watch`: follow /dev/kmsg, write kmsg.raw and events.jsonl
 * durably, resume without double counting (see watch.h for the contract).
 *
 * I/O discipline: every file is written with write(2) in whole lines.  A
 * short or failed write is undone with ftruncate(2) back to the last whole
 * line, so a full disk leaves the files as they were plus complete lines.
 * kmsg.raw is buffered and written when the input goes idle, when the buffer
 * fills, or before an event; it is fsync'd before every event line, and each
 * event line is fsync'd before the watcher reads on.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <systemd/sd-daemon.h>

#include "splat/analyzer.h"
#include "splat/bundle.h"
#include "splat/patterns.h"
#include "splat/reader.h"
#include "splat/watch.h"

#define RAW_BUF_MAX	(64 * 1024)
#define DEFAULT_KMSG	"/dev/kmsg"
#define DEFAULT_BOOT_ID "/proc/sys/kernel/random/boot_id"
#define STATE_SCHEMA	"besser-verify/watch-state/1"
/* Once woken by new records the watcher waits BATCH_MS for the rest of a
 * burst, then reads everything there is (one wake-up per batch instead of
 * one per record: /dev/kmsg gives one record per read).  kmsg.raw is written
 * at the end of each batch, and at least every MAX_BUFFER_MS on a stream that
 * never pauses; events are written and fsync'd as they are recognised. */
#define BATCH_MS      200
#define MAX_BUFFER_MS 1000

/* For splat_watch_interrupt(): the live input fd and /dev/null. */
static volatile int g_input_fd = -1;
static volatile int g_devnull_fd = -1;

void splat_watch_interrupt(void)
{
	int in = g_input_fd, nul = g_devnull_fd;

	/* The reader's next read(2) sees end of input. */
	if (in >= 0 && nul >= 0)
		dup2(nul, in);
}

struct outfile {
	int fd;
	off_t good; /* length up to the last whole line written */
	const char *name;
};

struct count {
	char *key;
	uint64_t n;
};

struct watch {
	const struct splat_watch_options *o;
	char *err;
	size_t errlen;
	int failed;

	int dirfd;
	struct outfile raw, ev;
	char raw_buf[RAW_BUF_MAX];
	size_t raw_len;

	char boot_id[40];
	bool have_last;
	uint64_t last_seq;
	unsigned last_boot;
	uint64_t records, events, lost;
	struct count *counts;
	size_t ncounts;

	/* Replay: events already in events.jsonl (identity keys, sorted);
	 * a replayed event whose key is there is not written again. */
	bool replaying;
	uint64_t skip_events;
	char **written;
	bool *written_used;
	size_t nwritten;
	char ev_boot_id[48]; /* boot_id of the last boot event on disk */

	/* Per record: what the analyzer emitted while fed it. */
	bool saw_lost, saw_boot;

	/* Live: skip records up to resume_seq (same boot). */
	bool skipping;
	uint64_t resume_seq;
	unsigned boot_base;

	time_t state_written;
};

static void fail(struct watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct watch *w, const char *fmt, ...)
{
	va_list ap;

	if (w->failed)
		return;
	w->failed = 1;
	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
}

/* ---- output files ---------------------------------------------------- */

/* Append len bytes of whole lines; on any error cut the file back. */
static int out_append(struct watch *w, struct outfile *f, const char *buf,
		      size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(f->fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC;

			if (ftruncate(f->fd, f->good) < 0) {
				/* nothing more we can do; say so */
			}
			lseek(f->fd, f->good, SEEK_SET);
			fail(w, "%s/%s: write failed: %s", w->o->out_dir,
			     f->name, strerror(e));
			errno = e;
			return -1;
		}
		done += (size_t)n;
	}
	f->good += (off_t)len;
	return 0;
}

static int out_sync(struct watch *w, struct outfile *f)
{
	if (fsync(f->fd) < 0) {
		fail(w, "%s/%s: fsync failed: %s", w->o->out_dir, f->name,
		     strerror(errno));
		return -1;
	}
	return 0;
}

static int raw_flush(struct watch *w)
{
	if (!w->raw_len)
		return 0;
	if (out_append(w, &w->raw, w->raw_buf, w->raw_len) < 0)
		return -1;
	w->raw_len = 0;
	return 0;
}

static int raw_add(struct watch *w, const char *s, size_t len)
{
	if (w->raw_len + len + 1 > sizeof(w->raw_buf) && raw_flush(w) < 0)
		return -1;
	if (len + 1 > sizeof(w->raw_buf)) {
		/* a record larger than the buffer: write it on its own */
		char *tmp = malloc(len + 1);
		int rc;

		if (!tmp) {
			fail(w, "out of memory");
			return -1;
		}
		memcpy(tmp, s, len);
		tmp[len] = '\n';
		rc = out_append(w, &w->raw, tmp, len + 1);
		free(tmp);
		return rc;
	}
	memcpy(w->raw_buf + w->raw_len, s, len);
	w->raw_buf[w->raw_len + len] = '\n';
	w->raw_len += len + 1;
	return 0;
}

/* Open DIR/name for appending; cut a torn last line; count whole lines. */
static int out_open(struct watch *w, struct outfile *f, const char *name,
		    uint64_t *lines)
{
	struct stat st;

	f->name = name;
	f->fd = openat(w->dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f->fd < 0) {
		fail(w, "%s/%s: cannot open: %s", w->o->out_dir, name,
		     strerror(errno));
		return -1;
	}
	if (fstat(f->fd, &st) < 0) {
		fail(w, "%s/%s: %s", w->o->out_dir, name, strerror(errno));
		return -1;
	}
	f->good = 0;
	if (lines)
		*lines = 0;
	if (st.st_size > 0) {
		/* find the end of the last whole line, counting lines */
		char buf[65536];
		off_t pos = 0, last_nl = 0;
		uint64_t n = 0;

		for (;;) {
			ssize_t r = pread(f->fd, buf, sizeof(buf), pos);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				fail(w, "%s/%s: read failed: %s", w->o->out_dir,
				     name, strerror(errno));
				return -1;
			}
			if (r == 0)
				break;
			for (ssize_t i = 0; i < r; i++)
				if (buf[i] == '\n') {
					n++;
					last_nl = pos + i + 1;
				}
			pos += r;
		}
		if (last_nl < st.st_size) {
			fprintf(stderr,
				"splat watch: %s/%s: cutting a torn last line "
				"(%jd bytes)\n",
				w->o->out_dir, name,
				(intmax_t)(st.st_size - last_nl));
			if (ftruncate(f->fd, last_nl) < 0) {
				fail(w, "%s/%s: cannot cut torn line: %s",
				     w->o->out_dir, name, strerror(errno));
				return -1;
			}
		}
		f->good = last_nl;
		if (lines)
			*lines = n;
	}
	if (lseek(f->fd, f->good, SEEK_SET) < 0) {
		fail(w, "%s/%s: %s", w->o->out_dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- counts, state file, notify -------------------------------------- */

static void count_add(struct watch *w, const char *key, uint64_t n)
{
	struct count *c;

	for (size_t i = 0; i < w->ncounts; i++)
		if (!strcmp(w->counts[i].key, key)) {
			w->counts[i].n += n;
			return;
		}
	c = realloc(w->counts, (w->ncounts + 1) * sizeof(*c));
	if (!c)
		return;
	w->counts = c;
	c[w->ncounts].key = strdup(key);
	if (!c[w->ncounts].key)
		return;
	c[w->ncounts].n = n;
	w->ncounts++;
}

static uint64_t count_get(const struct watch *w, const char *key)
{
	for (size_t i = 0; i < w->ncounts; i++)
		if (!strcmp(w->counts[i].key, key))
			return w->counts[i].n;
	return 0;
}

static int state_write(struct watch *w, bool running)
{
	struct json_object *o = json_object_new_object(), *c;
	const char *s;
	int fd, rc = -1;
	size_t len;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	json_object_object_add(o, "schema",
			       json_object_new_string(STATE_SCHEMA));
	json_object_object_add(
		o, "boot_id",
		w->boot_id[0] ? json_object_new_string(w->boot_id) : NULL);
	json_object_object_add(o, "boot", json_object_new_int64(w->last_boot));
	json_object_object_add(
		o, "seq",
		w->have_last ? json_object_new_int64((int64_t)w->last_seq)
			     : NULL);
	json_object_object_add(o, "records",
			       json_object_new_int64((int64_t)w->records));
	json_object_object_add(o, "events",
			       json_object_new_int64((int64_t)w->events));
	json_object_object_add(o, "lost",
			       json_object_new_int64((int64_t)w->lost));
	c = json_object_new_object();
	for (size_t i = 0; i < w->ncounts; i++)
		json_object_object_add(
			c, w->counts[i].key,
			json_object_new_int64((int64_t)w->counts[i].n));
	json_object_object_add(o, "counts", c);
	json_object_object_add(o, "running", json_object_new_boolean(running));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(
		o, "updated_usec",
		json_object_new_int64((int64_t)ts.tv_sec * 1000000 +
				      ts.tv_nsec / 1000));
	s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);

	fd = openat(w->dirfd, "watch.state.tmp",
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	if (write(fd, s, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) < 0) {
		close(fd);
		unlinkat(w->dirfd, "watch.state.tmp", 0);
		goto out;
	}
	close(fd);
	if (renameat(w->dirfd, "watch.state.tmp", w->dirfd, "watch.state") < 0)
		goto out;
	w->state_written = time(NULL);
	rc = 0;
out:
	if (rc < 0)
		fail(w, "%s/watch.state: cannot write: %s", w->o->out_dir,
		     strerror(errno));
	json_object_put(o);
	return rc;
}

/* systemd Type=notify: READY/STATUS/STOPPING through libsystemd (a no-op
 * when not started by systemd, i.e. without $NOTIFY_SOCKET). */
static void notify(const struct watch *w, const char *msg)
{
	if (w->o->notify)
		sd_notify(0, msg);
}

static void notify_status(const struct watch *w)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "STATUS=records %" PRIu64 ", events %" PRIu64
		 ", lockdep %" PRIu64 ", " SPLAT_PATTERN_BUILTIN " %" PRIu64
		 ", lost %" PRIu64,
		 w->records, w->events, count_get(w, "lockdep"),
		 count_get(w, SPLAT_PATTERN_BUILTIN), w->lost);
	notify(w, msg);
}

/* ---- events ---------------------------------------------------------- */

/* What identifies an event across a restart: type, boot, seq, kind,
 * signature, count.  Order-independent, so events that time completed
 * (splat_analyzer_tick) and feeding completed during replay match. */
static void event_key(char *buf, size_t len, const char *type, int64_t boot,
		      int64_t seq, const char *kind, const char *sig,
		      int64_t count)
{
	snprintf(buf, len, "%s|%" PRId64 "|%" PRId64 "|%s|%s|%" PRId64, type,
		 boot, seq, kind ? kind : "", sig ? sig : "", count);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool already_written(struct watch *w, const struct splat_event *ev)
{
	char key[1024], *k = key;
	char **hit;
	size_t i;

	if (!w->nwritten)
		return false;
	event_key(key, sizeof(key), splat_event_type_name(ev->type), ev->boot,
		  (int64_t)ev->seq, ev->kind, ev->signature,
		  (int64_t)ev->count);
	hit = bsearch(&k, w->written, w->nwritten, sizeof(*w->written),
		      cmp_str);
	if (!hit)
		return false;
	/* first of the equal run, then the first one not matched yet */
	i = (size_t)(hit - w->written);
	while (i > 0 && !strcmp(w->written[i - 1], key))
		i--;
	for (; i < w->nwritten && !strcmp(w->written[i], key); i++)
		if (!w->written_used[i]) {
			w->written_used[i] = true;
			w->skip_events--;
			return true;
		}
	return false;
}

/* Keys of the events in events.jsonl (already cut to whole lines). */
static int load_written(struct watch *w, uint64_t lines)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd;

	if (!lines)
		return 0;
	w->written = calloc(lines, sizeof(*w->written));
	w->written_used = calloc(lines, sizeof(*w->written_used));
	if (!w->written || !w->written_used) {
		fail(w, "out of memory");
		return -1;
	}
	fd = openat(w->dirfd, "events.jsonl", O_RDONLY | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		fail(w, "%s/events.jsonl: %s", w->o->out_dir, strerror(errno));
		return -1;
	}
	while (w->nwritten < lines && (n = getline(&line, &cap, f)) > 0) {
		struct json_object *o = json_tokener_parse(line);
		char key[1024];

		if (!o) {
			fprintf(stderr,
				"splat watch: %s/events.jsonl:%zu: not JSON; "
				"kept, not matched\n",
				w->o->out_dir, w->nwritten + 1);
			snprintf(key, sizeof(key), "!bad line %zu",
				 w->nwritten);
		} else {
			const char *type = splat_jstr(o, "type");
			const char *boot_id = splat_jstr(o, "boot_id");

			event_key(key, sizeof(key), type ? type : "",
				  splat_jint(o, "boot", -1),
				  splat_jint(o, "seq", -1),
				  splat_jstr(o, "kind"),
				  splat_jstr(o, "signature"),
				  splat_jint(o, "count", -1));
			if (type && !strcmp(type, "boot") && boot_id)
				snprintf(w->ev_boot_id, sizeof(w->ev_boot_id),
					 "%s", boot_id);
			json_object_put(o);
		}
		w->written[w->nwritten] = strdup(key);
		if (!w->written[w->nwritten]) {
			fail(w, "out of memory");
			break;
		}
		w->nwritten++;
	}
	free(line);
	fclose(f);
	if (w->failed)
		return -1;
	qsort(w->written, w->nwritten, sizeof(*w->written), cmp_str);
	return 0;
}

static void write_event(struct watch *w, const struct splat_event *ev)
{
	struct json_object *j;
	const char *s;
	size_t len;
	char *line;

	if (ev->type == SPLAT_EV_LOST)
		w->saw_lost = true;
	if (ev->type == SPLAT_EV_BOOT)
		w->saw_boot = true;
	if (w->failed)
		return;
	if (w->replaying && already_written(w, ev))
		goto count; /* already in events.jsonl */
	/* raw records this event refers to are on disk first */
	if (raw_flush(w) < 0 || out_sync(w, &w->raw) < 0)
		return;
	j = splat_event_to_json(ev);
	if (!j) {
		fail(w, "out of memory");
		return;
	}
	s = json_object_to_json_string_ext(
		j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);
	line = malloc(len + 1);
	if (!line) {
		json_object_put(j);
		fail(w, "out of memory");
		return;
	}
	memcpy(line, s, len);
	line[len] = '\n';
	json_object_put(j);
	if (out_append(w, &w->ev, line, len + 1) < 0 ||
	    out_sync(w, &w->ev) < 0) {
		free(line);
		return;
	}
	free(line);
count:
	w->events++;
	if (ev->type == SPLAT_EV_LOST)
		w->lost += ev->count;
	if (ev->type == SPLAT_EV_PATTERN || ev->type == SPLAT_EV_PATTERN_PAIR ||
	    ev->type == SPLAT_EV_SUPPRESSED) {
		char key[96];

		snprintf(key, sizeof(key), "%s%s%s", ev->kind ? ev->kind : "?",
			 ev->type == SPLAT_EV_PATTERN ? "" : ":",
			 ev->type == SPLAT_EV_PATTERN
				 ? ""
				 : splat_event_type_name(ev->type));
		count_add(w, key,
			  ev->type == SPLAT_EV_SUPPRESSED ? ev->count : 1);
	} else {
		count_add(w, splat_event_type_name(ev->type),
			  ev->type == SPLAT_EV_LOST ? ev->count : 1);
	}
	if (!w->replaying && time(NULL) - w->state_written >= 2) {
		/* at most every 2 s: the events are what is durable */
		if (state_write(w, true) < 0)
			return;
		notify_status(w);
	}
}

static void sink(void *ctx, const struct splat_event *ev)
{
	write_event(ctx, ev);
}

/* Our own lost/boot events, when the analyzer did not emit one. */
static void own_event(struct watch *w, enum splat_event_type type,
		      const struct splat_record *rec, uint64_t count,
		      struct json_object *detail)
{
	struct splat_event ev = {
		.type = type,
		.kind = NULL,
		.title = type == SPLAT_EV_LOST ? "kernel log records lost"
					       : "new boot",
		.signature = type == SPLAT_EV_LOST ? "lost" : "boot",
		.ts_usec = rec->ts_usec,
		.boot = rec->boot,
		.seq = rec->seq,
		.count = count,
		.detail = detail,
	};

	write_event(w, &ev);
	json_object_put(detail);
}

/* Feed one record (live or replayed) through the pipeline. */
static void process(struct watch *w, struct splat_analyzer *a,
		    const struct splat_record *in, bool write_raw)
{
	struct splat_record rec = *in;
	uint64_t gap = 0;
	bool new_boot;

	rec.boot = w->boot_base + in->boot;
	new_boot = w->have_last && rec.boot != w->last_boot;
	if (rec.has_seq && w->have_last && !new_boot &&
	    rec.seq > w->last_seq + 1)
		gap = rec.seq - w->last_seq - 1;
	else if (!w->have_last || new_boot)
		gap = in->lost_before;
	rec.lost_before = gap;

	if (write_raw && raw_add(w, in->raw, in->raw_len) < 0)
		return;
	w->saw_lost = w->saw_boot = false;
	if (splat_analyzer_feed(a, &rec) < 0) {
		fail(w, "out of memory in the analyzer");
		return;
	}
	if (new_boot && !w->saw_boot) {
		struct json_object *d = json_object_new_object();

		if (!w->replaying && w->boot_id[0])
			json_object_object_add(
				d, "boot_id",
				json_object_new_string(w->boot_id));
		own_event(w, SPLAT_EV_BOOT, &rec, 1, d);
	}
	if (gap && !w->saw_lost) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(
			d, "first_lost_seq",
			json_object_new_int64((int64_t)(rec.seq - gap)));
		json_object_object_add(
			d, "last_lost_seq",
			json_object_new_int64((int64_t)(rec.seq - 1)));
		own_event(w, SPLAT_EV_LOST, &rec, gap, d);
	}
	w->records++;
	w->have_last = true;
	w->last_seq = rec.seq;
	w->last_boot = rec.boot;
}

/* ---- set-up ----------------------------------------------------------- */

static void read_boot_id(struct watch *w)
{
	const char *path =
		w->o->boot_id_path ? w->o->boot_id_path : DEFAULT_BOOT_ID;
	FILE *f = fopen(path, "re");

	w->boot_id[0] = '\0';
	if (!f)
		return;
	if (fgets(w->boot_id, sizeof(w->boot_id), f))
		w->boot_id[strcspn(w->boot_id, "\r\n")] = '\0';
	fclose(f);
}

/* Boot ids compare without dashes and case (the analyzer prints journald's
 * 32-hex form, /proc has the dashed one). */
static bool same_boot_id(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-')
			a++;
		while (*b == '-')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

/* The boot id saved in watch.state, or "" */
static void read_state_boot_id(struct watch *w, char *out, size_t outlen)
{
	struct json_object *o;
	int fd = openat(w->dirfd, "watch.state", O_RDONLY | O_CLOEXEC);
	char buf[8192];
	ssize_t n;

	out[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	o = json_tokener_parse(buf);
	if (!o)
		return;
	if (splat_jstr(o, "boot_id"))
		snprintf(out, outlen, "%s", splat_jstr(o, "boot_id"));
	json_object_put(o);
}

static void diag_quiet(void *ctx, enum splat_diag_level level, const char *name,
		       uint64_t line_no, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)name;
	(void)line_no;
	(void)msg;
}

/* Replay kmsg.raw (already cut to whole lines) into the analyzer. */
static int replay(struct watch *w, struct splat_analyzer *a)
{
	struct splat_reader *r;
	struct splat_record rec;
	int fd, rc = 0;

	if (w->raw.good == 0)
		return 0;
	fd = openat(w->dirfd, "kmsg.raw", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(w, "%s/kmsg.raw: %s", w->o->out_dir, strerror(errno));
		return -1;
	}
	r = splat_reader_open_fd(fd, "kmsg.raw", SPLAT_FORMAT_KMSG);
	if (!r) {
		close(fd);
		fail(w, "%s/kmsg.raw: cannot read: %s", w->o->out_dir,
		     strerror(errno));
		return -1;
	}
	/* The live run diagnosed these records already. */
	splat_reader_set_diag(r, diag_quiet, NULL);
	w->replaying = true;
	while (!w->failed && (rc = splat_reader_next(r, &rec)) == 1)
		process(w, a, &rec, false);
	w->replaying = false;
	splat_reader_close(r);
	if (w->failed)
		return -1;
	if (rc < 0) {
		fail(w, "%s/kmsg.raw: read error during resume", w->o->out_dir);
		return -1;
	}
	if (w->skip_events) {
		fprintf(stderr,
			"splat watch: %s/events.jsonl has %" PRIu64
			" events that kmsg.raw does not replay to; keeping them\n",
			w->o->out_dir, w->skip_events);
		w->skip_events = 0;
	}
	return 0;
}

static int64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int splat_watch_run(const struct splat_watch_options *o, char *err,
		    size_t errlen)
{
	struct watch *w;
	struct splat_patterns *pat = NULL;
	struct splat_analyzer *a = NULL;
	struct splat_reader *r = NULL;
	struct splat_record rec;
	uint64_t ev_lines = 0, raw_lines = 0, first_buffered = 0;
	char saved_boot[48];
	unsigned interval = o->state_interval_s ? o->state_interval_s : 10;
	int in_fd = -1, rc = SPLAT_WATCH_EXIT_FAILURE, n;
	bool eof = false, live = false;
	int ticks = 2;

	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return SPLAT_WATCH_EXIT_FAILURE;
	}
	w->o = o;
	w->err = err;
	w->errlen = errlen;
	w->dirfd = w->raw.fd = w->ev.fd = -1;
	err[0] = '\0';

	if (!o->out_dir || !*o->out_dir) {
		snprintf(err, errlen, "no output directory (--out DIR)");
		rc = SPLAT_WATCH_EXIT_USAGE;
		goto out;
	}
	if (mkdir(o->out_dir, 0755) < 0 && errno != EEXIST) {
		fail(w, "%s: cannot create: %s", o->out_dir, strerror(errno));
		goto out;
	}
	w->dirfd = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0) {
		fail(w, "%s: cannot open directory: %s", o->out_dir,
		     strerror(errno));
		goto out;
	}
	if (o->start == SPLAT_WATCH_FROM_START) {
		struct stat st;

		if (fstatat(w->dirfd, "kmsg.raw", &st, 0) == 0 &&
		    st.st_size > 0) {
			fail(w,
			     "%s already holds a recording (kmsg.raw); "
			     "use --resume or a new directory",
			     o->out_dir);
			rc = SPLAT_WATCH_EXIT_USAGE;
			goto out;
		}
	}

	pat = splat_patterns_new();
	if (!pat) {
		fail(w, "out of memory");
		goto out;
	}
	if (o->patterns_path &&
	    splat_patterns_load(pat, o->patterns_path, err, errlen) < 0) {
		w->failed = 1;
		rc = SPLAT_WATCH_EXIT_USAGE;
		goto out;
	}
	a = splat_analyzer_new(pat, sink, w);
	if (!a) {
		fail(w, "out of memory");
		goto out;
	}

	read_boot_id(w);
	read_state_boot_id(w, saved_boot, sizeof(saved_boot));
	if (out_open(w, &w->raw, "kmsg.raw", &raw_lines) < 0 ||
	    out_open(w, &w->ev, "events.jsonl", &ev_lines) < 0)
		goto out;
	if (o->start == SPLAT_WATCH_FROM_START && ev_lines) {
		fail(w,
		     "%s already holds events.jsonl; use --resume or a new "
		     "directory",
		     o->out_dir);
		rc = SPLAT_WATCH_EXIT_USAGE;
		goto out;
	}
	/* New files exist on disk before anything refers to them. */
	if (fsync(w->dirfd) < 0) {
		/* some file systems refuse fsync on directories: harmless */
	}

	/* Resume: rebuild the analyzer from kmsg.raw, skip what is written. */
	w->skip_events = ev_lines;
	if (load_written(w, ev_lines) < 0 || replay(w, a) < 0)
		goto out;
	if (w->have_last && !saved_boot[0] && w->ev_boot_id[0]) {
		/* watch.state lost: the last boot event names the boot */
		fprintf(stderr,
			"splat watch: %s/watch.state missing or unreadable; "
			"taking the boot id from events.jsonl\n",
			o->out_dir);
		snprintf(saved_boot, sizeof(saved_boot), "%s", w->ev_boot_id);
	}
	if (w->have_last) {
		bool same =
			w->boot_id[0] && same_boot_id(saved_boot, w->boot_id);

		if (same) {
			w->skipping = true;
			w->resume_seq = w->last_seq;
			w->boot_base = w->last_boot;
		} else {
			w->boot_base = w->last_boot + 1;
		}
		fprintf(stderr,
			"splat watch: resuming %s: %" PRIu64
			" records, %" PRIu64 " events on disk; %s boot%s\n",
			o->out_dir, w->records, w->events,
			same ? "same" : "new",
			same ? ", skipping records already written" : "");
	}

	/* watch.state names the boot before any record of it is written. */
	if (state_write(w, true) < 0)
		goto out;

	in_fd = open(o->kmsg_path ? o->kmsg_path : DEFAULT_KMSG,
		     O_RDONLY | O_CLOEXEC);
	if (in_fd < 0) {
		if (errno == EINTR && o->stop && *o->stop) {
			rc = SPLAT_WATCH_EXIT_OK;
			state_write(w, false);
			goto out;
		}
		fail(w, "%s: cannot open: %s%s",
		     o->kmsg_path ? o->kmsg_path : DEFAULT_KMSG,
		     strerror(errno),
		     errno == EPERM || errno == EACCES
			     ? " (reading /dev/kmsg needs CAP_SYSLOG when "
			       "kernel.dmesg_restrict=1)"
			     : "");
		goto out;
	}
	g_devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	g_input_fd = in_fd;
	r = splat_reader_open_fd(in_fd,
				 o->kmsg_path ? o->kmsg_path : DEFAULT_KMSG,
				 SPLAT_FORMAT_KMSG);
	if (!r) {
		fail(w, "cannot read %s: %s",
		     o->kmsg_path ? o->kmsg_path : DEFAULT_KMSG,
		     strerror(errno));
		goto out;
	}
	in_fd = -1; /* the reader owns it */
	live = splat_reader_is_live(r);
	if (w->skipping &&
	    splat_reader_set_start_seq(r, w->resume_seq + 1) < 0) {
		fail(w, "cannot set the resume point");
		goto out;
	}
	notify(w, "READY=1");
	notify_status(w);

	/* Non-blocking reads: EAGAIN means the batch is read.  Then the
	 * buffered raw lines are written and the watcher blocks in poll(2)
	 * without a timeout (live: two timed ticks after the last record):
	 * no wake-ups while nothing happens. */
	{
		int fl = fcntl(g_input_fd, F_GETFL);

		if (fl >= 0)
			fcntl(g_input_fd, F_SETFL, fl | O_NONBLOCK);
	}
	while (!w->failed) {
		if (o->stop && *o->stop)
			break;
		n = splat_reader_next(r, &rec);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {.fd = g_input_fd, .events = POLLIN};
			struct timespec batch = {0, BATCH_MS * 1000000L};

			/* the batch is read: write it, then block */
			if (raw_flush(w) < 0)
				break;
			if (time(NULL) - w->state_written >= (time_t)interval &&
			    state_write(w, true) < 0)
				break;
			/* live: let time complete quiet reports and pattern
			 * windows (splat_analyzer_tick), 1.5 s and 31 s after
			 * the last record; otherwise block without a timeout */
			if (poll(&p, 1,
				 live && ticks < 2 ? (ticks ? 29500 : 1500)
						   : -1) > 0) {
				nanosleep(&batch,
					  NULL); /* let a burst gather */
			} else if (live && ticks < 2) {
				ticks++;
				splat_analyzer_tick(a, mono_usec());
			}
			continue;
		}
		if (n < 0) {
			if (errno == EINTR || (o->stop && *o->stop))
				continue;
			fail(w, "%s: read error: %s", splat_reader_name(r),
			     strerror(errno));
			break;
		}
		if (n == 0) {
			eof = !(o->stop && *o->stop);
			break;
		}
		if (w->skipping) {
			if (rec.has_seq && rec.seq <= w->resume_seq)
				continue;
			w->skipping = false;
		}
		if (!w->raw_len)
			first_buffered = mono_ms();
		ticks = 0;
		process(w, a, &rec, true);
		/* a busy stream: write at least every MAX_BUFFER_MS */
		if (w->raw_len && mono_ms() - first_buffered >= MAX_BUFFER_MS &&
		    raw_flush(w) < 0)
			break;
		if (time(NULL) - w->state_written >= (time_t)interval) {
			if (raw_flush(w) < 0 || state_write(w, true) < 0)
				break;
			notify_status(w);
		}
	}
	if (eof && !w->failed)
		splat_analyzer_finish(a); /* the stream really ended */
	if (!w->failed && raw_flush(w) == 0 && out_sync(w, &w->raw) == 0 &&
	    state_write(w, false) == 0)
		rc = SPLAT_WATCH_EXIT_OK;
	notify(w, "STOPPING=1");
out:
	g_input_fd = -1;
	if (g_devnull_fd >= 0) {
		close(g_devnull_fd);
		g_devnull_fd = -1;
	}
	if (r)
		splat_reader_close(r);
	if (in_fd >= 0)
		close(in_fd);
	if (a)
		splat_analyzer_free(a);
	if (pat)
		splat_patterns_free(pat);
	if (w->raw.fd >= 0)
		close(w->raw.fd);
	if (w->ev.fd >= 0)
		close(w->ev.fd);
	if (w->dirfd >= 0)
		close(w->dirfd);
	for (size_t i = 0; i < w->ncounts; i++)
		free(w->counts[i].key);
	free(w->counts);
	for (size_t i = 0; i < w->nwritten; i++)
		free(w->written[i]);
	free(w->written);
	free(w->written_used);
	if (w->failed && rc == SPLAT_WATCH_EXIT_OK)
		rc = SPLAT_WATCH_EXIT_FAILURE;
	free(w);
	return rc;
}
