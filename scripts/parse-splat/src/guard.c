/* SPDX-License-Identifier: MIT */
/*
 * guard.c - the strings that mark a kernel report, wherever they stand.
 *
 * Never a silent zero: a log whose line prefix no reader knows yields no
 * event, and "0 lockdep reports" would read as a clean run.  The analyzer
 * asks splat_guard_line() about every line that became part of no event;
 * a line holding one of these strings at any offset is counted as an
 * unrecognized header (analyzer.h), and every front end says so.
 *
 * The strings: "WARNING:", "BUG:" and "INFO:" (every lockdep, WARN() and
 * BUG header the kernel prints, old and new) and "Oops" (x86 "Oops: 0000",
 * arm64 "Internal error: Oops").  The reader's prefilter carries the byte
 * pairs of splat_guard_pairs[], so no line holding one is ever passed
 * over as clean.  Each pair costs every line of every log a little (the
 * prefilter tests them all), so the list stays this short: the lockdep-off
 * line "Disabling lock debugging due to kernel taint" is left out, since
 * the taint it follows comes from a WARNING, BUG or Oops of its own.
 */
#include <string.h>

#include "splat/guard.h"
#include "splat/reader.h"

/* Byte pairs every string above contains: 'G' ':' (WARNING:, BUG:),
 * 'O' ':' (INFO:), 'O' 'p' 2 apart (Oops). */
const struct splat_guard_pair splat_guard_pairs[SPLAT_GUARD_NPAIRS] = {
	{'G', ':', 1},
	{'O', ':', 1},
	{'O', 'p', 2},
};

static bool ends_with_word(const char *line, const char *colon,
			   const char *word, size_t n)
{
	return (size_t)(colon - line) >= n && !memcmp(colon - n, word, n);
}

bool splat_guard_line(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	/* "...WARNING:" "...BUG:" "...INFO:": every ':' after a 'G' or an
	 * 'O' (the same pairs as the prefilter) */
	while ((p = memchr(p, ':', (size_t)(end - p)))) {
		if (p > line && (p[-1] == 'G' || p[-1] == 'O') &&
		    (ends_with_word(line, p, "WARNING", 7) ||
		     ends_with_word(line, p, "BUG", 3) ||
		     ends_with_word(line, p, "INFO", 4)))
			return true;
		p++;
	}
	/* "Oops": at each 'O' (most lines have none, memchr skips them) */
	for (p = line; (p = memchr(p, 'O', (size_t)(end - p))); p++)
		if (end - p >= 4 && p[1] == 'o' && p[2] == 'p' && p[3] == 's')
			return true;
	return false;
}
