/* SPDX-License-Identifier: MIT */
/*
 * util.h - kconfig-verify's helpers: exit codes, an arena that lives until
 * exit, a growing pointer vector, a string-keyed hash map, whole-file
 * reads (like scripts/kconfig/util.c in the kernel).
 */
#ifndef KV_UTIL_H
#define KV_UTIL_H

#include <stdbool.h>
#include <stddef.h>

enum {
	KV_OK = 0,
	KV_FAILURE = 1,
	KV_USAGE = 2,
	KV_FRAGMENT_FAIL = 4,
	KV_WRONG_TREE = 5,
};

/* Everything lives until exit: one arena, freed once (keeps ASan quiet).
 * Allocation failure exits with KV_FAILURE. */
void *xalloc(size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void arena_free(void);

struct vec {
	void **v;
	size_t n, cap;
};

void vpush(struct vec *v, void *p);

#define MAP_BUCKETS 65536u
struct ment {
	const char *key;
	void *val;
	struct ment *next;
};
struct map {
	struct ment **b;
};

void map_init(struct map *m);
void *map_get(const struct map *m, const char *k);
/* k is kept, not copied. */
void map_put(struct map *m, const char *k, void *v);

/* A whole file, NUL-terminated, in the arena; NULL with errno. */
char *slurp(const char *path, size_t *len);
/* [A-Za-z0-9_] */
bool is_sym_char(int c);

#endif
