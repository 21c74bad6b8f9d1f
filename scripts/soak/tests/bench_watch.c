/* SPDX-License-Identifier: MIT */
/*
 * bench_watch - CPU cost of `splat watch` at a controlled kernel-log rate.
 *
 *   bench_watch SPLAT RATE SECONDS
 *
 * Feeds a FIFO with kmsg-format records (noise, a Pattern A pair every
 * 10000 records, i.e. every 10 s at 1000/s: far above the real 14/h) at RATE
 * records/s, paced in 10 ms ticks, for SECONDS; the watcher writes a real
 * bundle (kmsg.raw, events.jsonl with fsync per event) in a temporary
 * directory.  Prints the watcher's user+system CPU time (wait4 rusage) as a
 * share of one core and as CPU seconds per hour.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("bench_watch: write");
			exit(1);
		}
		p += n;
		len -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench_watch.XXXXXX", fifo[64], out[64], cmd[128];
	struct timespec t0, next;
	struct rusage ru;
	long rate, secs, per_tick, sent = 0;
	unsigned long long seq = 0, ts = 1000000;
	int status, fd;
	pid_t pid;
	double cpu, wall;

	if (argc != 4 || (rate = atol(argv[2])) <= 0 ||
	    (secs = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench_watch SPLAT RATE SECONDS\n");
		return 2;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(fifo, sizeof(fifo), "%s/kmsg.fifo", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	if (mkfifo(fifo, 0600) < 0) {
		perror("mkfifo");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(nul, 2);
		execl(argv[1], argv[1], "watch", "--out", out, "--kmsg", fifo,
		      (char *)NULL);
		_exit(127);
	}
	fd = open(fifo, O_WRONLY);
	if (fd < 0) {
		perror("open fifo");
		return 1;
	}
	per_tick = rate / 100; /* 10 ms ticks */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	next = t0;
	for (long tick = 0; tick < secs * 100; tick++) {
		char buf[65536];
		size_t len = 0;
		/* spread the remainder over the ticks */
		long n = per_tick + ((tick * (rate % 100)) / 100 !=
				     ((tick + 1) * (rate % 100)) / 100);

		for (long i = 0; i < n && len < sizeof(buf) - 256;
		     i++, sent++) {
			if (sent % 10000 == 9998)
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len,
					"3,%llu,%llu,-,caller=T602;wsm_generic_confirm failed for request 0x0007.\n",
					seq++, ts += 100);
			else if (sent % 10000 == 9999)
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len,
					"3,%llu,%llu,-,caller=T602;[SCAN] Scan failed (-22).\n",
					seq++, ts += 100);
			else
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len,
					"6,%llu,%llu,-,caller=T%ld;wlan0: bench record %ld with some ordinary payload text\n",
					seq++, ts += 100, 100 + i % 50, sent);
		}
		write_all(fd, buf, len);
		next.tv_nsec += 10000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	close(fd);
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_watch: splat watch failed (status %d)\n",
			status);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	wall = (double)(next.tv_sec - t0.tv_sec) +
	       (double)(next.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("splat watch at %ld records/s: %ld records in %.1f s, CPU %.3f s = "
	       "%.4f%% of one core = %.1f CPU s per hour\n",
	       rate, sent, wall, cpu, 100.0 * cpu / wall, 3600.0 * cpu / wall);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_watch: cannot remove %s\n", dir);
	return 0;
}
