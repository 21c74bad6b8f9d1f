/* SPDX-License-Identifier: MIT */
/* exec.c - bounded external commands (see exec.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

int64_t soak_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void soak_sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

void soak_argv_init(struct soak_argv *a)
{
	a->n = 0;
	a->nnum = 0;
	a->v[0] = NULL;
}

void soak_argv_add(struct soak_argv *a, const char *s)
{
	if (a->n < SOAK_ARGV_MAX)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

void soak_argv_addf(struct soak_argv *a, const char *fmt, ...)
{
	va_list ap;

	if (a->nnum >= SOAK_ARGV_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(a->num[a->nnum], sizeof(a->num[0]), fmt, ap);
	va_end(ap);
	soak_argv_add(a, a->num[a->nnum++]);
}

static void capture(int fd, char *buf, size_t *len, bool *trunc, int *open_fd)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(fd);
		*open_fd = -1;
		return;
	}
	size_t room = SOAK_CAPTURE_MAX - 1 - *len;
	size_t take = (size_t)n < room ? (size_t)n : room;

	memcpy(buf + *len, tmp, take);
	*len += take;
	buf[*len] = '\0';
	if (take < (size_t)n)
		*trunc = true;
}

static void kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0)
		kill(pid, sig);
}

/* In a forked child before execvp: a process group of its own (so a
 * timeout or a stop kills what it started too), no signal blocked and the
 * default dispositions besser-soak changed. */
static void child_reset(void)
{
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

int soak_bg_start(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		child_reset();
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

void soak_bg_stop(int pid)
{
	int status;

	if (pid <= 0)
		return;
	kill_group(pid, SIGTERM);
	for (int i = 0; i < 20; i++) {
		if (waitpid(pid, &status, WNOHANG) != 0)
			return;
		soak_sleep_ms(100);
	}
	kill_group(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

int soak_exec(char *const argv[], int64_t timeout_ms,
	      const volatile sig_atomic_t *stop, struct soak_exec_result *res)
{
	int outp[2] = {-1, -1}, errp[2] = {-1, -1}, ep[2] = {-1, -1};
	int status = 0;
	pid_t pid;
	int64_t deadline, kill_at = 0;
	bool reaped = false;

	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	res->start_usec = soak_now_usec();
	deadline = res->start_usec + timeout_ms * 1000;

	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(ep, O_CLOEXEC) < 0) {
		res->exec_failed = true;
		res->exec_errno = errno;
		goto fail_early;
	}
	pid = fork();
	if (pid < 0) {
		res->exec_failed = true;
		res->exec_errno = errno;
		goto fail_early;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		int e;

		child_reset();
		if (nul >= 0)
			dup2(nul, 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		execvp(argv[0], argv);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0) {
			/* parent sees EOF and a 127 exit */
		}
		_exit(127);
	}
	setpgid(pid, pid); /* also in the parent: no race with kill_group */
	close(outp[1]);
	close(errp[1]);
	close(ep[1]);
	outp[1] = errp[1] = ep[1] = -1;
	{
		int e;
		ssize_t n;

		do
			n = read(ep[0], &e, sizeof(e));
		while (n < 0 && errno == EINTR);
		close(ep[0]);
		ep[0] = -1;
		if (n == (ssize_t)sizeof(e)) {
			res->exec_failed = true;
			res->exec_errno = e;
		}
	}

	while (outp[0] >= 0 || errp[0] >= 0 || !reaped) {
		struct pollfd p[2];
		nfds_t np = 0;
		int64_t now = soak_now_usec(), wait_ms;

		if (!reaped) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid)
				reaped = true;
		}
		if (!kill_at && (now >= deadline || (stop && *stop))) {
			if (now >= deadline)
				res->timed_out = true;
			else
				res->interrupted = true;
			kill_group(pid, SIGTERM);
			kill_at = now + 2000000;
		} else if (kill_at && now >= kill_at) {
			kill_group(pid, SIGKILL);
			kill_at = INT64_MAX;
		}
		if (reaped && kill_at) {
			/* the group may hold the pipes open: stop reading */
			break;
		}
		if (outp[0] >= 0)
			p[np++] = (struct pollfd){.fd = outp[0],
						  .events = POLLIN};
		if (errp[0] >= 0)
			p[np++] = (struct pollfd){.fd = errp[0],
						  .events = POLLIN};
		wait_ms = 50;
		if (np && reaped)
			wait_ms = 200;
		if (np == 0) {
			if (reaped)
				break;
			soak_sleep_ms(20);
			continue;
		}
		if (poll(p, np, (int)wait_ms) > 0) {
			for (nfds_t i = 0; i < np; i++) {
				if (!p[i].revents)
					continue;
				if (p[i].fd == outp[0])
					capture(outp[0], res->out,
						&res->out_len,
						&res->out_truncated, &outp[0]);
				else
					capture(errp[0], res->err,
						&res->err_len,
						&res->err_truncated, &errp[0]);
			}
		} else if (reaped) {
			/* child gone, a grandchild keeps the pipe: give up */
			break;
		}
	}
	if (!reaped) {
		waitpid(pid, &status, 0);
		reaped = true;
	}
	/* nothing of the group may outlive the operation */
	kill(-pid, SIGKILL);
	if (outp[0] >= 0)
		close(outp[0]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->term_signal = WTERMSIG(status);
	res->end_usec = soak_now_usec();
	return !res->exec_failed && !res->timed_out && !res->interrupted &&
			       res->exit_code == 0
		       ? 0
		       : -1;

fail_early:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	res->end_usec = soak_now_usec();
	return -1;
}
