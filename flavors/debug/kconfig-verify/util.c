/* SPDX-License-Identifier: MIT */
/* util.c - arena, vector, hash map, whole-file reads (see util.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Everything lives until exit: one arena, freed once (keeps ASan quiet). */
struct blk {
	struct blk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};
static struct blk *arena;

void *xalloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->cap - arena->used < n) {
		size_t cap = n > (1u << 20) ? n : (1u << 20);
		struct blk *b = malloc(sizeof(*b) + cap);
		if (!b) {
			fprintf(stderr, "kconfig-verify: out of memory\n");
			exit(KV_FAILURE);
		}
		b->next = arena;
		b->used = 0;
		b->cap = cap;
		arena = b;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = xalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(void)
{
	while (arena) {
		struct blk *n = arena->next;
		free(arena);
		arena = n;
	}
}

void vpush(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **nv = xalloc(cap * sizeof(*nv));
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = p;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void map_init(struct map *m)
{
	m->b = xalloc(MAP_BUCKETS * sizeof(*m->b));
}

void *map_get(const struct map *m, const char *k)
{
	for (struct ment *e = m->b[hash(k) % MAP_BUCKETS]; e; e = e->next)
		if (!strcmp(e->key, k))
			return e->val;
	return NULL;
}

void map_put(struct map *m, const char *k, void *v)
{
	uint32_t h = hash(k) % MAP_BUCKETS;
	for (struct ment *e = m->b[h]; e; e = e->next)
		if (!strcmp(e->key, k)) {
			e->val = v;
			return;
		}
	struct ment *e = xalloc(sizeof(*e));
	e->key = k;
	e->val = v;
	e->next = m->b[h];
	m->b[h] = e;
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n < cap - 1) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	char *p = xstrndup(buf, n);
	free(buf);
	if (len)
		*len = n;
	return p;
}

bool is_sym_char(int c)
{
	return isalnum(c) || c == '_';
}
