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
#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

struct splat_lit {
	const unsigned char *s; /* not owned */
	size_t n;
	uint8_t skip[256]; /* shift, capped at 255 */
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
static inline __attribute__((always_inline)) const char *
splat_lit_find(const struct splat_lit *l, const char *h, size_t hn)
{
	const unsigned char *hs = (const unsigned char *)h;
	size_t n = l->n;
	if (!n)
		return h;
	if (hn < n)
		return NULL;
	if (n == 1)
		return memchr(h, l->s[0], hn);
#if defined(__SSE2__) || defined(__aarch64__)
	/* 16 candidate positions at a time: the literal's first byte at i and
	 * its last byte at i+n-1 (W. Mula's "generic SIMD" substring search);
	 * a final block overlaps the previous one instead of reading past the
	 * end.  Fewer than 16 positions in at least 16 bytes: the first 16
	 * bytes against the first byte, the last 16 against the last byte, the
	 * masks shifted into line: no loop at all.  Else Horspool below. */
	size_t npos = hn - n + 1;
	if (npos < 16 && hn >= 16) {
#if defined(__SSE2__)
		unsigned f = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)hs),
			_mm_set1_epi8((char)l->s[0])));
		unsigned e = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128(
				(const __m128i *)(const void *)(hs + hn - 16)),
			_mm_set1_epi8((char)l->s[n - 1])));
		/* position j: h[j] (bit j of f), h[j+n-1] (bit j+16-npos of e)
		 */
		unsigned m = f & (e >> (16 - npos)) & ((1u << npos) - 1);
		for (; m; m &= m - 1) {
			size_t j = (size_t)__builtin_ctz(m);
#else
		uint64_t f = vget_lane_u64(
			vreinterpret_u64_u8(vshrn_n_u16(
				vreinterpretq_u16_u8(vceqq_u8(
					vld1q_u8(hs), vdupq_n_u8(l->s[0]))),
				4)),
			0);
		uint64_t e =
			vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(
					      vreinterpretq_u16_u8(vceqq_u8(
						      vld1q_u8(hs + hn - 16),
						      vdupq_n_u8(l->s[n - 1]))),
					      4)),
				      0);
		/* 4 bits per byte; npos < 16, so the shifts stay below 64 */
		uint64_t m = f & (e >> (4 * (16 - npos))) &
			     ((UINT64_C(1) << (4 * npos)) - 1) &
			     0x1111111111111111ull;
		for (; m; m &= m - 1) {
			size_t j = (size_t)(__builtin_ctzll(m) >> 2);
#endif
			if (!memcmp(hs + j + 1, l->s + 1, n - 2))
				return h + j;
		}
		return NULL;
	}
	if (npos >= 16) {
#if defined(__SSE2__)
		const __m128i vf = _mm_set1_epi8((char)l->s[0]);
		const __m128i vl = _mm_set1_epi8((char)l->s[n - 1]);
#else
		const uint8x16_t vf = vdupq_n_u8(l->s[0]);
		const uint8x16_t vl = vdupq_n_u8(l->s[n - 1]);
#endif
		for (size_t i = 0;; i += 16) {
			if (i + 16 > npos)
				i = npos - 16;
#if defined(__SSE2__)
			__m128i a = _mm_loadu_si128(
				(const __m128i *)(const void *)(hs + i));
			__m128i b = _mm_loadu_si128((
				const __m128i *)(const void *)(hs + i + n - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
				_mm_cmpeq_epi8(a, vf), _mm_cmpeq_epi8(b, vl)));
			for (; m; m &= m - 1) {
				size_t j = i + (size_t)__builtin_ctz(m);
#else
			uint8x16_t eq = vandq_u8(
				vceqq_u8(vld1q_u8(hs + i), vf),
				vceqq_u8(vld1q_u8(hs + i + n - 1), vl));
			/* 4 bits per byte: the NEON movemask substitute */
			uint64_t m =
				vget_lane_u64(
					vreinterpret_u64_u8(vshrn_n_u16(
						vreinterpretq_u16_u8(eq), 4)),
					0) &
				0x1111111111111111ull;
			for (; m; m &= m - 1) {
				size_t j =
					i + (size_t)(__builtin_ctzll(m) >> 2);
#endif
				if (!memcmp(hs + j + 1, l->s + 1, n - 2))
					return h + j;
			}
			if (i + 16 >= npos)
				return NULL;
		}
	}
#endif
	/* the last byte (the Horspool test), then the first one before any
	 * memcmp: a common last byte such as '.' costs no call */
	const unsigned char last = l->s[n - 1], first = l->s[0];
	for (size_t i = 0; i + n <= hn;) {
		unsigned char c = hs[i + n - 1];
		if (c == last && hs[i] == first &&
		    !memcmp(hs + i + 1, l->s + 1, n - 2))
			return h + i;
		i += l->skip[c];
	}
	return NULL;
}

#endif
