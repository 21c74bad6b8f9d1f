/* SPDX-License-Identifier: MIT */
/*
 * bundle_fixtures.h - helpers shared by the bundle/compare/report tests
 * (static, header-only: each test is one binary).  Fixture bundles live in
 * tests/fixtures/bundles (gen-bundles.py); tests that write copy them to a
 * temporary directory first.
 */
#ifndef SPLAT_TEST_BUNDLE_FIXTURES_H
#define SPLAT_TEST_BUNDLE_FIXTURES_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "splat/bundle.h"

__attribute__((unused)) static const char *fx_top(void)
{
	const char *t = getenv("SPLAT_TOP");

	return t && *t ? t : ".";
}

__attribute__((unused)) static const char *fx_dir(const char *name)
{
	static char buf[4][2048];
	static unsigned i;
	char *b = buf[i++ % 4];

	snprintf(b, 2048, "%.1024s/%s%s", fx_top(),
		 strncmp(name, "results/", 8)
			 ? "scripts/parse-splat/tests/fixtures/bundles/"
			 : "",
		 name);
	return b;
}

__attribute__((unused)) static struct splat_bundle *fx_load(const char *name,
							    unsigned flags)
{
	char err[1024];
	struct splat_bundle *b =
		splat_bundle_load(fx_dir(name), flags, err, sizeof(err));

	if (!b)
		fprintf(stderr, "fixture %s: %s\n", name, err);
	return b;
}

__attribute__((unused)) static int fx_copy_file(const char *from,
						const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in || !out)
		rc = -1;
	while (!rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Copy fixture bundle `name` into a new temporary directory; returns its
 * path (static buffer) or NULL. */
__attribute__((unused)) static const char *fx_copy(const char *name)
{
	static char tmp[256];
	const char *src = fx_dir(name);
	DIR *d = opendir(src);
	struct dirent *de;

	if (!d)
		return NULL;
	snprintf(tmp, sizeof(tmp), "%s/splat-test-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		closedir(d);
		return NULL;
	}
	while ((de = readdir(d))) {
		char a[8192], b[1024];

		if (de->d_name[0] == '.')
			continue;
		snprintf(a, sizeof(a), "%s/%s", src, de->d_name);
		snprintf(b, sizeof(b), "%s/%s", tmp, de->d_name);
		if (fx_copy_file(a, b) < 0) {
			closedir(d);
			return NULL;
		}
	}
	closedir(d);
	return tmp;
}

__attribute__((unused)) static void fx_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[8192];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Read a whole stream produced by a writer into a NUL-terminated string. */
__attribute__((unused)) static char *fx_slurp(FILE *f)
{
	size_t cap = 4096, n = 0, r;
	char *s = malloc(cap);

	rewind(f);
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			char *t = realloc(s, cap *= 2);

			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
	}
	if (s)
		s[n] = '\0';
	return s;
}

__attribute__((unused)) static size_t fx_count(const char *hay,
					       const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#endif
