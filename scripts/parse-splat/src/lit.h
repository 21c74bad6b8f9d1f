/* SPDX-License-Identifier: MIT */
/*
 * lit.h - a literal with its search table built once (Horspool), for the
 * per-line checks: glibc's memmem() rebuilds its tables on every call,
 * which is most of the cost on short log lines.
 */
#ifndef SPLAT_LIT_H
#define SPLAT_LIT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct splat_lit {
	const unsigned char *s;	/* not owned */
	size_t n;
	uint8_t skip[256];	/* shift, capped at 255 */
};

static inline void splat_lit_init(struct splat_lit *l, const char *s, size_t n)
{
	l->s = (const unsigned char *)s;
	l->n = n;
	size_t d = n > 255 ? 255 : n;
	memset(l->skip, (int)(d ? d : 1), sizeof(l->skip));
	for (size_t i = n > 255 ? n - 255 : 0; i + 1 < n; i++)
		l->skip[l->s[i]] = (uint8_t)(n - 1 - i);
}

/* First occurrence of the literal in h[0..hn), or NULL. */
static inline const char *splat_lit_find(const struct splat_lit *l,
					 const char *h, size_t hn)
{
	const unsigned char *hs = (const unsigned char *)h;
	size_t n = l->n;
	if (!n)
		return h;
	if (hn < n)
		return NULL;
	const unsigned char last = l->s[n - 1];
	for (size_t i = 0; i + n <= hn;) {
		unsigned char c = hs[i + n - 1];
		if (c == last && !memcmp(hs + i, l->s, n - 1))
			return h + i;
		i += l->skip[c];
	}
	return NULL;
}

#endif
