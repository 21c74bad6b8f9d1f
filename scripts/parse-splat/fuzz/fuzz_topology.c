/* SPDX-License-Identifier: MIT */
/*
 * fuzz_topology - libFuzzer target over `splat topology`'s C scanner
 * (src/topology.c): the tokenizer, the held-lock tracking across blocks,
 * if/else, goto and switch, the call chains, and the four writers.
 *
 * Input: C text.  When it starts with '@', its first line is the lock
 * specs, separated by spaces (as `splat topology --lock` takes them);
 * otherwise the two locks of the bes2600 fix are reported.  A bad spec
 * must be refused with a message; every JSON Lines line written must be a
 * JSON object (the writers escape what the C text holds).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splat/topology.h"

#include "fuzz_common.h"

static const char *const default_locks[] = {
	"queue->lock|tx_queue[].lock",
	"pending_record_lock",
};

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* Add the specs of the '@' line (NUL-terminated copy in line). */
static void add_specs(struct topo *t, char *line)
{
	char err[512];

	for (char *sp, *tok = strtok_r(line, " ", &sp); tok;
	     tok = strtok_r(NULL, " ", &sp)) {
		err[0] = '\0';
		if (topo_add_lock(t, tok, err, sizeof(err)) < 0 && !err[0])
			abort(); /* a refused spec says why */
	}
}

/* Every line of a JSON Lines writer's output is a JSON object. */
static void check_jsonl(const struct topo *t,
			int (*write)(const struct topo *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || write(t, f) < 0)
		abort();
	fclose(f);
	for (char *sp, *l = strtok_r(buf, "\n", &sp); l;
	     l = strtok_r(NULL, "\n", &sp)) {
		struct json_object *o = json_tokener_parse(l);

		if (!o || json_object_get_type(o) != json_type_object)
			abort();
		json_object_put(o);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo *t = topo_new();
	const char *text = (const char *)data;
	size_t len = size;

	if (!t)
		abort();
	if (size > 0 && data[0] == '@') {
		const char *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t)(nl - text) : size;
		char *line = strndup(text + 1, n - 1);

		if (!line)
			abort();
		add_specs(t, line);
		free(line);
		text += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
	} else {
		for (size_t i = 0; i < 2; i++)
			if (topo_add_lock(t, default_locks[i], NULL, 0) < 0)
				abort();
	}
	topo_scan_buffer(t, "fuzz.c", text, len);
	if (topo_write_markdown(t, devnull) < 0 ||
	    topo_write_chains_markdown(t, devnull) < 0)
		abort();
	check_jsonl(t, topo_write_jsonl);
	check_jsonl(t, topo_write_chains_jsonl);
	topo_free(t);
	return 0;
}
