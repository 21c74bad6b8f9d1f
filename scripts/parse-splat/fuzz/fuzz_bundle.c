/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bundle - libFuzzer target over the run-bundle loader
 * (splat_bundle_load(): meta.json, ops.jsonl, summary.json, events.jsonl,
 * kmsg.raw recomputed, patterns.conf), `splat verify`'s checks and what
 * `report`/`compare` take from a loaded bundle (name, device, provenance
 * and read warnings, operation shares and failure warnings).
 *
 * Input: one flags byte, then the files in the order of files[] below,
 * separated by NUL bytes (none of them holds one).  A missing part is a
 * missing file; an empty part is a missing file too unless flag
 * F_EMPTY_FILES.  Loading either gives a bundle or says why; checks
 * must come back as an array of objects.  The files go to a directory of
 * this process under /dev/shm (or $TMPDIR), rewritten for every input.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "splat/bundle.h"

#include "fuzz_common.h"

enum {
	F_STORED = 1 << 0,	/* SPLAT_BUNDLE_STORED */
	F_META_ONLY = 1 << 1,	/* SPLAT_BUNDLE_META_ONLY */
	F_EMPTY_FILES = 1 << 2, /* an empty part is an empty file */
	F_VERIFY = 1 << 3,	/* splat_bundle_verify() too */
};

static const char *const files[] = {"meta.json",    "ops.jsonl",
				    "summary.json", "events.jsonl",
				    "kmsg.raw",	    "patterns.conf"};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char dir[256];

static void cleanup(void)
{
	char path[512];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	snprintf(dir, sizeof(dir), "%s/splat-fuzz-bundle-XXXXXX",
		 tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	return 0;
}

static void put_file(const char *name, const uint8_t *p, size_t n, bool make)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if (!make)
		return;
	FILE *f = fopen(path, "w");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* What report and compare read from a loaded bundle. */
static void use_bundle(struct splat_bundle *b)
{
	struct json_object *w = json_object_new_array();
	struct splat_device_id id;

	if (!splat_bundle_name(b) || !w)
		abort();
	splat_bundle_device(b, &id);
	if (!id.source || !memchr(id.key, 0, sizeof(id.key)))
		abort();
	splat_bundle_provenance_warnings(b, "before", w);
	if (b->summary) {
		struct json_object *kinds =
			splat_jpath(b->summary, "ops.kinds");
		struct json_object *sh = splat_ops_shares(kinds);

		splat_summary_read_warnings(b->summary, "before", "run", w);
		if (!sh)
			abort();
		splat_ops_failure_warnings(sh, "before", 0.2, w);
		json_object_put(sh);
		(void)json_object_to_json_string(b->summary);
	}
	for (size_t i = 0; i < json_object_array_length(w); i++)
		if (!json_object_is_type(json_object_array_get_idx(w, i),
					 json_type_string))
			abort();
	json_object_put(w);
}

static void verify(void)
{
	struct json_object *checks = NULL;
	char err[1024] = "";

	if (splat_bundle_verify(dir, &checks, err, sizeof(err)) < 0) {
		if (!err[0] || checks)
			abort(); /* unreadable: says why, no checks */
		return;
	}
	if (!json_object_is_type(checks, json_type_array))
		abort();
	for (size_t i = 0; i < json_object_array_length(checks); i++)
		if (!json_object_is_type(json_object_array_get_idx(checks, i),
					 json_type_object))
			abort();
	json_object_put(checks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1, *end = data + size;
	unsigned flags, lf = 0;
	char err[1024] = "";

	if (size < 1)
		return 0;
	flags = data[0];
	for (size_t i = 0; i < NFILES; i++) {
		const uint8_t *nul =
			p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		size_t n = p < end ? (size_t)((nul ? nul : end) - p) : 0;

		put_file(files[i], p, n,
			 p < end && (n > 0 || (flags & F_EMPTY_FILES)));
		p = nul ? nul + 1 : end;
	}
	lf |= flags & F_STORED ? SPLAT_BUNDLE_STORED : 0;
	lf |= flags & F_META_ONLY ? SPLAT_BUNDLE_META_ONLY : 0;
	struct splat_bundle *b = splat_bundle_load(dir, lf, err, sizeof(err));

	if (!b && !err[0])
		abort(); /* a bundle refused says why */
	if (b) {
		use_bundle(b);
		splat_bundle_free(b);
	}
	if (flags & F_VERIFY)
		verify();
	return 0;
}
