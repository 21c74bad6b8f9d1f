/* SPDX-License-Identifier: MIT */
/*
 * test_util.h - small helpers shared by the cmocka tests (header-only: each
 * test is its own binary).  Include after <cmocka.h>.
 */
#ifndef SPLAT_TEST_UTIL_H
#define SPLAT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "splat/bundle.h"

/* The whole file as a NUL-terminated buffer (free() it), its size in *len
 * when len is not NULL; NULL when the file cannot be opened.  A short read
 * fails the test. */
static inline char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (len)
		*len = 0;
	if (!f)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* test_slurp() for a file that must exist: a missing one fails the test. */
static inline char *test_slurp_existing(const char *path, size_t *len)
{
	char *buf = test_slurp(path, len);

	if (!buf) {
		print_error("cannot open %s\n", path);
		fail();
	}
	return buf;
}

/* 1 when a string of doc's "warnings" array contains needle, else 0. */
static inline int test_has_warning(const struct json_object *doc,
				   const char *needle)
{
	struct json_object *w = splat_jpath(doc, "warnings");

	for (size_t i = 0; i < json_object_array_length(w); i++)
		if (strstr(json_object_get_string(
				   json_object_array_get_idx(w, i)),
			   needle))
			return 1;
	return 0;
}

#endif
