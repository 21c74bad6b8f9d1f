/* SPDX-License-Identifier: MIT */
/*
 * test_watch - `splat watch` (src/watch.c) against real kmsg-format streams
 * fed through FIFOs at controlled rates: verbatim kmsg.raw, events equal to
 * a one-shot run over the same records, an injected seq gap, kill -9 in the
 * middle of a lockdep report then resume (no double counting, no gap), a
 * kernel-side loss while the watcher was down (counted exactly), a new boot,
 * SIGTERM, and a full disk (RLIMIT_FSIZE) leaving only whole lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"
#include <json-c/json.h>

#include "splat/watch.h"

/* ---- helpers ---------------------------------------------------------- */

static const char *top(void)
{
	const char *t = getenv("SPLAT_TOP");

	return t && *t ? t : ".";
}

struct stream {
	char **rec; /* one record each (header + continuation lines) */
	size_t n, cap;
};

static void push(struct stream *s, const char *r)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->rec = realloc(s->rec, s->cap * sizeof(*s->rec));
		assert_non_null(s->rec);
	}
	s->rec[s->n] = strdup(r);
	assert_non_null(s->rec[s->n]);
	s->n++;
}

static void stream_free(struct stream *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->rec[i]);
	free(s->rec);
	memset(s, 0, sizeof(*s));
}

/* The lockdep report of the seed splat (fixture records from the blank
 * banner line to the end of the stack dump), as "prio,...;text" bodies
 * without seq: each element is "PRIO|TEXT". */
static struct stream seed_report(void)
{
	char path[4096], line[8192];
	struct stream s = {0};
	FILE *f;
	bool in = false;

	snprintf(path, sizeof(path),
		 "%s/scripts/parse-splat/tests/fixtures/input/seed-splat.kmsg",
		 top());
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *semi = strchr(line, ';'), body[8300];

		line[strcspn(line, "\n")] = '\0';
		if (!semi || line[0] == ' ')
			continue;
		if (!in && strstr(line, ",112,"))
			in = true;
		if (in && strstr(semi, "wsm_generic_confirm"))
			break;
		if (!in)
			continue;
		snprintf(body, sizeof(body), "%c|%s", line[0], semi + 1);
		push(&s, body);
	}
	fclose(f);
	assert_true(s.n > 80);
	return s;
}

/* A synthetic boot: noise, Pattern A pairs, the seed lockdep report in
 * the middle, and a 7-record seq gap injected after record `gap_at`. */
static struct stream make_stream(size_t noise_blocks, size_t report_at,
				 size_t gap_at, uint64_t seq0)
{
	struct stream s = {0}, rep = seed_report();
	uint64_t seq = seq0, ts = 1000000;
	char buf[9000];

	for (size_t b = 0; b < noise_blocks; b++) {
		for (int i = 0; i < 20; i++) {
			snprintf(
				buf, sizeof(buf),
				"6,%llu,%llu,-,caller=T%d;wlan0: noise record %zu.%d",
				(unsigned long long)seq++,
				(unsigned long long)(ts += 997), 100 + i, b, i);
			if (i == 3) /* a record with continuation lines */
				strcat(buf, "\n SUBSYSTEM=net\n DEVICE=n2");
			push(&s, buf);
			if (s.n == gap_at)
				seq += 7;
		}
		snprintf(
			buf, sizeof(buf),
			"3,%llu,%llu,-,caller=T602;wsm_generic_confirm failed for request 0x0007.",
			(unsigned long long)seq++,
			(unsigned long long)(ts += 1000));
		push(&s, buf);
		snprintf(buf, sizeof(buf),
			 "3,%llu,%llu,-,caller=T602;[SCAN] Scan failed (-22).",
			 (unsigned long long)seq++,
			 (unsigned long long)(ts += 200));
		push(&s, buf);
		if (b == report_at) {
			for (size_t i = 0; i < rep.n; i++) {
				snprintf(buf, sizeof(buf),
					 "%c,%llu,%llu,-,caller=T1234;%s",
					 rep.rec[i][0],
					 (unsigned long long)seq++,
					 (unsigned long long)(ts += 7),
					 rep.rec[i] + 2);
				push(&s, buf);
			}
		}
	}
	stream_free(&rep);
	return s;
}

static size_t lines_in(const struct stream *s, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		n++;
		for (const char *p = s->rec[i]; *p; p++)
			n += *p == '\n';
	}
	return n;
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

/* Feed records [from,to) in batches of `batch`, sleeping between batches
 * (controlled rate); `skip_from..skip_to` are left out (lost). */
static void feed(int fd, const struct stream *s, size_t from, size_t to,
		 size_t batch, long sleep_us, size_t skip_from, size_t skip_to)
{
	for (size_t i = from; i < to; i++) {
		if (i >= skip_from && i < skip_to)
			continue;
		write_all(fd, s->rec[i], strlen(s->rec[i]));
		write_all(fd, "\n", 1);
		if (batch && (i + 1) % batch == 0 && sleep_us) {
			struct timespec ts = {0, sleep_us * 1000};

			nanosleep(&ts, NULL);
		}
	}
}

static size_t count_lines(const char *path)
{
	size_t len, n = 0;
	char *b = test_slurp(path, &len);

	if (!b)
		return 0;
	for (size_t i = 0; i < len; i++)
		n += b[i] == '\n';
	free(b);
	return n;
}

static void write_file(const char *path, const struct stream *s,
		       size_t skip_from, size_t skip_to)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	feed(fd, s, 0, s->n, 0, 0, skip_from, skip_to);
	close(fd);
}

static void put_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

struct ctx {
	char dir[256];
	char out[300], ref[300], in[300], fifo[300], bootid[300];
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	snprintf(c->dir, sizeof(c->dir), "/tmp/test_watch.XXXXXX");
	if (!c || !mkdtemp(c->dir))
		return -1;
	snprintf(c->out, sizeof(c->out), "%s/out", c->dir);
	snprintf(c->ref, sizeof(c->ref), "%s/ref", c->dir);
	snprintf(c->in, sizeof(c->in), "%s/input.kmsg", c->dir);
	snprintf(c->fifo, sizeof(c->fifo), "%s/kmsg.fifo", c->dir);
	snprintf(c->bootid, sizeof(c->bootid), "%s/boot_id", c->dir);
	put_text(c->bootid, "11111111-2222-3333-4444-555555555555\n");
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", c->dir);
	free(c);
	return 0;
}

static volatile sig_atomic_t child_stop;
static bool child_notify; /* run the next watch_child with --notify */

static void child_on_term(int sig)
{
	(void)sig;
	child_stop = 1;
	splat_watch_interrupt();
}

/* Run the watcher in a child process (like `splat watch`). */
static pid_t watch_child(const char *out, const char *in, const char *bootid,
			 enum splat_watch_start start, rlim_t fsize)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct splat_watch_options o = {
			.out_dir = out,
			.kmsg_path = in,
			.boot_id_path = bootid,
			.start = start,
			.stop = &child_stop,
			.notify = child_notify,
		};
		struct sigaction sa = {.sa_handler = child_on_term};
		char err[512];
		int rc;

		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		if (fsize) {
			struct rlimit rl = {fsize, fsize};

			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		rc = splat_watch_run(&o, err, sizeof(err));
		if (rc)
			fprintf(stderr, "watch child: %s\n", err);
		_exit(rc);
	}
	return pid;
}

static int wait_exit(pid_t pid, int timeout_ms)
{
	int status;

	for (int i = 0; i < timeout_ms / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		struct timespec ts = {0, 10000000};

		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("watcher did not exit within %d ms", timeout_ms);
	return -1;
}

static void wait_lines(const char *path, size_t want)
{
	for (int i = 0; i < 1000; i++) { /* 10 s */
		if (count_lines(path) >= want)
			return;
		struct timespec ts = {0, 10000000};

		nanosleep(&ts, NULL);
	}
	fail_msg("%s: fewer than %zu lines after 10 s (have %zu)", path, want,
		 count_lines(path));
}

/* One-shot reference: the whole stream from a regular file. */
static void reference(struct ctx *c, const struct stream *s, size_t skip_from,
		      size_t skip_to)
{
	char path[400];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/ref.kmsg", c->dir);
	write_file(path, s, skip_from, skip_to);
	pid = watch_child(c->ref, path, c->bootid, SPLAT_WATCH_FROM_START, 0);
	assert_int_equal(wait_exit(pid, 30000), 0);
}

static void assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = test_slurp(a, &la), *y = test_slurp(b, &lb);

	assert_non_null(x);
	assert_non_null(y);
	if (la != lb || memcmp(x, y, la)) {
		size_t i = 0;

		while (i < la && i < lb && x[i] == y[i])
			i++;
		fail_msg("%s and %s differ at byte %zu (sizes %zu, %zu)", a, b,
			 i, la, lb);
	}
	free(x);
	free(y);
}

static uint64_t sum_field(const char *events, const char *type,
			  const char *field)
{
	FILE *f = fopen(events, "r");
	char line[65536];
	uint64_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line), *t, *v;

		assert_non_null(o);
		if (json_object_object_get_ex(o, "type", &t) &&
		    !strcmp(json_object_get_string(t), type)) {
			if (!field)
				n++;
			else if (json_object_object_get_ex(o, field, &v))
				n += (uint64_t)json_object_get_int64(v);
		}
		json_object_put(o);
	}
	fclose(f);
	return n;
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* ---- tests -------------------------------------------------------------- */

/* A file read at once: kmsg.raw verbatim, events as they happened. */
static void test_file_verbatim(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(30, 10, 200, 1000);
	char raw[400], ev[400];
	pid_t pid;

	write_file(c->in, &s, 0, 0);
	pid = watch_child(c->out, c->in, c->bootid, SPLAT_WATCH_FROM_START, 0);
	assert_int_equal(wait_exit(pid, 30000), 0);
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	path_in(ev, sizeof(ev), c->out, "events.jsonl");
	assert_same_file(raw, c->in);
	assert_int_equal(sum_field(ev, "lockdep", NULL), 1);
	assert_int_equal(sum_field(ev, "lost", "count"), 7);
	assert_int_equal(sum_field(ev, "pattern-pair", NULL), 30);
	/* --from-start refuses a directory that holds a recording */
	pid = watch_child(c->out, c->in, c->bootid, SPLAT_WATCH_FROM_START, 0);
	assert_int_equal(wait_exit(pid, 10000), SPLAT_WATCH_EXIT_USAGE);
	stream_free(&s);
}

/* kill -9 in the middle of the lockdep report, resume from the kernel
 * buffer again: the bundle equals a one-shot run, byte for byte. */
static void test_kill9_resume(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(40, 12, 100, 500);
	char raw[400], ev[400], rraw[400], rev[400];
	size_t k;
	pid_t pid;
	int fd;

	/* the kill point: 30 records into the report */
	for (k = 0; k < s.n && !strstr(s.rec[k], "is trying to acquire"); k++)
		;
	assert_true(k < s.n);
	k += 25;
	reference(c, &s, 0, 0);

	assert_int_equal(mkfifo(c->fifo, 0600), 0);
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	fd = open(c->fifo, O_WRONLY);
	assert_true(fd >= 0);
	feed(fd, &s, 0, k, 50, 2000, 0, 0); /* ~25000 records/s in bursts */
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	/* a FIFO record is complete when the next one starts: the last one
	 * fed is still in the reader */
	wait_lines(raw, lines_in(&s, 0, k - 1));
	kill(pid, SIGKILL);
	assert_int_equal(wait_exit(pid, 5000), 128 + SIGKILL);
	close(fd);

	/* restart: the kernel buffer still holds everything from the start */
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	fd = open(c->fifo, O_WRONLY);
	assert_true(fd >= 0);
	feed(fd, &s, 0, s.n, 100, 1000, 0, 0);
	close(fd);
	assert_int_equal(wait_exit(pid, 30000), 0);

	path_in(ev, sizeof(ev), c->out, "events.jsonl");
	path_in(rraw, sizeof(rraw), c->ref, "kmsg.raw");
	path_in(rev, sizeof(rev), c->ref, "events.jsonl");
	assert_same_file(raw, rraw);
	assert_same_file(ev, rev);
	assert_int_equal(sum_field(ev, "lockdep", NULL), 1);
	assert_int_equal(sum_field(ev, "lost", "count"), 7);
	assert_int_equal(sum_field(ev, "pattern-pair", NULL), 40);
	stream_free(&s);
}

/* Records the kernel overwrote while the watcher was down are one lost
 * event with exactly that count. */
static void test_loss_while_down(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(20, 15, 50, 0);
	char raw[400], ev[400], rev[400];
	size_t k = 200;
	pid_t pid;
	int fd;

	reference(c, &s, k + 5, k + 16);
	assert_int_equal(mkfifo(c->fifo, 0600), 0);
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	fd = open(c->fifo, O_WRONLY);
	feed(fd, &s, 0, k, 10, 10000, 0, 0); /* ~1000 records/s */
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	wait_lines(raw, lines_in(&s, 0, k - 1));
	kill(pid, SIGKILL);
	wait_exit(pid, 5000);
	close(fd);
	/* the buffer wrapped: the oldest records and 11 more are gone */
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	fd = open(c->fifo, O_WRONLY);
	feed(fd, &s, 100, s.n, 0, 0, k + 5, k + 16);
	close(fd);
	assert_int_equal(wait_exit(pid, 30000), 0);
	path_in(ev, sizeof(ev), c->out, "events.jsonl");
	path_in(rev, sizeof(rev), c->ref, "events.jsonl");
	assert_same_file(ev, rev);
	assert_int_equal(sum_field(ev, "lost", "count"), 7 + 11);
	stream_free(&s);
}

/* A different boot id: the same files go on with a new boot. */
static void test_new_boot(void **state)
{
	struct ctx *c = *state;
	struct stream a = make_stream(5, 99, 99999, 100),
		      b = make_stream(5, 2, 99999, 0);
	char ev[400], st[400], *state_txt;
	pid_t pid;

	write_file(c->in, &a, 0, 0);
	pid = watch_child(c->out, c->in, c->bootid, SPLAT_WATCH_AUTO, 0);
	assert_int_equal(wait_exit(pid, 30000), 0);
	put_text(c->bootid, "99999999-2222-3333-4444-555555555555\n");
	write_file(c->in, &b, 0, 0);
	pid = watch_child(c->out, c->in, c->bootid, SPLAT_WATCH_AUTO, 0);
	assert_int_equal(wait_exit(pid, 30000), 0);
	path_in(ev, sizeof(ev), c->out, "events.jsonl");
	assert_int_equal(sum_field(ev, "boot", NULL), 2);
	assert_int_equal(sum_field(ev, "boot", "boot"), 1); /* boots 0 and 1 */
	assert_int_equal(sum_field(ev, "lockdep", NULL), 1);
	assert_int_equal(sum_field(ev, "lockdep", "boot"), 1);
	assert_int_equal(sum_field(ev, "pattern-pair", NULL), 10);
	assert_int_equal(sum_field(ev, "lost", NULL), 0);
	path_in(st, sizeof(st), c->out, "watch.state");
	state_txt = test_slurp(st, NULL);
	assert_non_null(strstr(state_txt, "\"boot_id\":\"99999999-"));
	assert_non_null(strstr(state_txt, "\"running\":false"));
	free(state_txt);
	stream_free(&a);
	stream_free(&b);
}

/* SIGTERM: written what was read, exit 0, quickly. */
static void test_sigterm(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(10, 99, 99999, 0);
	char raw[400];
	pid_t pid;
	int fd;

	assert_int_equal(mkfifo(c->fifo, 0600), 0);
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	fd = open(c->fifo, O_WRONLY);
	feed(fd, &s, 0, 100, 0, 0, 0, 0);
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	wait_lines(raw, lines_in(&s, 0, 99));
	kill(pid, SIGTERM); /* writer still open: the watcher is blocked */
	assert_int_equal(wait_exit(pid, 3000), 0);
	close(fd);
	/* whole records only; the one still in the reader is not lost: it
	 * is read again from the kernel buffer on resume */
	assert_true(count_lines(raw) == lines_in(&s, 0, 99) ||
		    count_lines(raw) == lines_in(&s, 0, 100));
	{
		char st[400], *t;

		path_in(st, sizeof(st), c->out, "watch.state");
		t = test_slurp(st, NULL);
		assert_non_null(strstr(t, "\"running\":false"));
		free(t);
	}
	stream_free(&s);
}

/* --notify: systemd hears READY=1, a STATUS= with the counts, STOPPING=1. */
static void test_notify(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(10, 99, 99999, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char sock[300], raw[400], msgs[8192] = "";
	size_t used = 0;
	ssize_t n;
	pid_t pid;
	int fd, sfd;

	snprintf(sock, sizeof(sock), "%s/notify", c->dir);
	assert_true(strlen(sock) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	sfd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(sfd >= 0);
	assert_int_equal(bind(sfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", sock, 1);
	child_notify = true;
	assert_int_equal(mkfifo(c->fifo, 0600), 0);
	pid = watch_child(c->out, c->fifo, c->bootid, SPLAT_WATCH_AUTO, 0);
	child_notify = false;
	unsetenv("NOTIFY_SOCKET");
	fd = open(c->fifo, O_WRONLY);
	feed(fd, &s, 0, 100, 0, 0, 0, 0);
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	wait_lines(raw, lines_in(&s, 0, 99));
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 3000), 0);
	close(fd);
	while ((n = recv(sfd, msgs + used, sizeof(msgs) - used - 2,
			 MSG_DONTWAIT)) > 0) {
		used += (size_t)n;
		msgs[used++] = '|';
		msgs[used] = '\0';
	}
	close(sfd);
	assert_non_null(strstr(msgs, "READY=1"));
	assert_non_null(strstr(msgs, "STATUS=records "));
	assert_non_null(strstr(msgs, "pattern-a "));
	assert_non_null(strstr(msgs, "STOPPING=1"));
	stream_free(&s);
}

/* A full disk (RLIMIT_FSIZE): exit 1, files hold whole lines only. */
static void test_disk_full(void **state)
{
	struct ctx *c = *state;
	struct stream s = make_stream(40, 5, 99999, 0);
	char raw[400], ev[400], *r, *in;
	size_t rl, il;
	pid_t pid;

	write_file(c->in, &s, 0, 0);
	pid = watch_child(c->out, c->in, c->bootid, SPLAT_WATCH_AUTO, 20000);
	assert_int_equal(wait_exit(pid, 30000), SPLAT_WATCH_EXIT_FAILURE);
	path_in(raw, sizeof(raw), c->out, "kmsg.raw");
	path_in(ev, sizeof(ev), c->out, "events.jsonl");
	r = test_slurp(raw, &rl);
	in = test_slurp(c->in, &il);
	assert_true(rl > 0 && rl <= 20000 && rl < il);
	assert_int_equal(r[rl - 1], '\n');
	assert_memory_equal(r, in, rl); /* a prefix of the input */
	sum_field(ev, "lockdep", NULL); /* every line parses */
	free(r);
	free(in);
	stream_free(&s);
}

/* An output directory that cannot exist: clear error, exit 1. */
static void test_unwritable(void **state)
{
	struct ctx *c = *state;
	char bad[400];
	pid_t pid;

	snprintf(bad, sizeof(bad), "%s/boot_id/out", c->dir); /* under a file */
	pid = watch_child(bad, c->bootid, c->bootid, SPLAT_WATCH_AUTO, 0);
	assert_int_equal(wait_exit(pid, 10000), SPLAT_WATCH_EXIT_FAILURE);
}

/* Some qemu-user builds hang a dynamically linked child after fork()
 * (seen with qemu-aarch64 7.2 -L sysroot): these tests need fork. */
static bool fork_works(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return false;
	for (int i = 0; i < 300; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return true;
		struct timespec ts = {0, 10000000};

		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_verbatim, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill9_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_loss_while_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_new_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup,
						teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	if (!fork_works()) {
		printf("skip: a forked child does not run here (qemu-user fork "
		       "hang); the watcher tests need fork\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
