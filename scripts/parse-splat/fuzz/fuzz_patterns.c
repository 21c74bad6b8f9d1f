/* SPDX-License-Identifier: MIT */
/*
 * fuzz_patterns - libFuzzer target over the pattern-file parser
 * (splat_patterns_load(), `splat scan --patterns FILE`) and the analyzer
 * matching what it loaded.
 *
 * Input: a pattern file, then optionally a NUL byte and a log (read as
 * auto-detected text).  A file the parser refuses must say why
 * ("FILE:LINE: why") and leave the built-in pattern alone; a file it takes
 * adds named patterns, and the log then goes through fuzz_check_log() with
 * them: user literals and regexes feed the reader's prefilter and the
 * skipping logic, which must still find exactly the events of the plain
 * path.  The file is handed over as a memfd (/proc/self/fd/N): the parser
 * takes a path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"

static int load(struct splat_patterns *p, const uint8_t *text, size_t len)
{
	char path[64], err[1024] = "";
	int fd = memfd_create("fuzz-patterns", 0);
	size_t done = 0;

	if (fd < 0)
		abort();
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int rc = splat_patterns_load(p, path, err, sizeof(err));

	close(fd);
	if (rc < 0 && strncmp(err, path, strlen(path)) != 0)
		abort(); /* a refusal names the file (and the line) */
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t flen = nul ? (size_t)(nul - data) : size;
	struct splat_patterns *p = splat_patterns_new();

	if (!p)
		abort();
	if (load(p, data, flen) < 0) {
		if (splat_patterns_count(p) != 1) /* the built-in only */
			abort();
	} else {
		for (size_t i = 0; i < splat_patterns_count(p); i++)
			if (!splat_patterns_name(p, i)[0])
				abort();
		if (nul)
			fuzz_check_log(nul + 1, size - flen - 1,
				       SPLAT_FORMAT_AUTO, p);
	}
	splat_patterns_free(p);
	return 0;
}
