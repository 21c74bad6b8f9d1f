/* SPDX-License-Identifier: MIT */
/*
 * exec.h - run an external command: fork/execvp in its own process group,
 * stdin from /dev/null, stdout/stderr captured (bounded), a timeout after
 * which the whole group gets SIGTERM then SIGKILL.
 */
#ifndef SOAK_EXEC_H
#define SOAK_EXEC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOAK_CAPTURE_MAX 8192

struct soak_exec_result {
	int64_t start_usec, end_usec; /* CLOCK_MONOTONIC */
	int exit_code;		      /* exit status, or -1 */
	int term_signal;	      /* signal that ended it, or 0 */
	bool timed_out;
	bool interrupted; /* *stop became set while it ran */
	bool exec_failed; /* could not start (errno in exec_errno) */
	int exec_errno;
	char out[SOAK_CAPTURE_MAX]; /* NUL terminated, truncated */
	char err[SOAK_CAPTURE_MAX];
	size_t out_len, err_len;
	bool out_truncated, err_truncated;
};

/* argv is NULL-terminated.  stop may be NULL.  Always fills *res; returns
 * 0 when the command ran and exited 0, -1 otherwise. */
int soak_exec(char *const argv[], int64_t timeout_ms,
	      const volatile sig_atomic_t *stop, struct soak_exec_result *res);

/* Start argv in the background, in its own process group, stdin and
 * output on /dev/null (what runs beside an operation, e.g. traffic through
 * a connection cycle).  Returns its pid, or -1 (errno) when fork fails;
 * a command that cannot be run exits 127.  End it with soak_bg_stop(). */
int soak_bg_start(char *const argv[]);
/* SIGTERM to its group, then reap it; SIGKILL if it outlives 2 s. */
void soak_bg_stop(int pid);

/* CLOCK_MONOTONIC in microseconds (the clock of kmsg timestamps). */
int64_t soak_now_usec(void);
/* Sleep ms milliseconds (a signal may end it early; callers loop). */
void soak_sleep_ms(int64_t ms);

/*
 * An argv under construction: words are pointers (the caller keeps the
 * strings alive), numbers are formatted into the builder's own storage.
 * v is always NULL-terminated; words past SOAK_ARGV_MAX are dropped.
 */
#define SOAK_ARGV_MAX 48

struct soak_argv {
	char *v[SOAK_ARGV_MAX + 1];
	int n;
	char num[SOAK_ARGV_MAX][24];
	int nnum;
};

/* Start an empty argv. */
void soak_argv_init(struct soak_argv *a);
/* Append a word. */
void soak_argv_add(struct soak_argv *a, const char *s);
/* Append a formatted word ("%ld", "%.1f", ...). */
void soak_argv_addf(struct soak_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
