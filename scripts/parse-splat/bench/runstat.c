/* SPDX-License-Identifier: MIT */
/*
 * runstat - run a command, report wall time and peak RSS.
 *
 *   runstat CMD [ARG...]
 * CMD's stdout goes through a pipe that runstat drains and echoes (NOT to
 * /dev/null: GNU grep detects /dev/null and stops at the first match).
 * Prints "cpu_s=C wall_s=S maxrss_kib=K exit=E" on stderr (C: user+sys); exits
 * with CMD's status. (getrusage of the child via wait4, so no dependency on GNU
 * time.)
 */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, p[2];
	char buf[65536];
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: runstat CMD [ARG...]\n");
		return 2;
	}
	if (pipe(p) < 0) {
		perror("pipe");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		close(p[1]);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) < 0)
			break;
	close(p[0]);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "cpu_s=%.3f wall_s=%.3f maxrss_kib=%ld exit=%d\n",
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) /
				1e6,
		(double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
