/* SPDX-License-Identifier: MIT */
/*
 * bundle_device.c - which device a bundle ran on, and a hash of the
 * workload configuration it ran (bundle.h): what `splat compare` and
 * `splat report` group bundles by when they come from a fleet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "splat/bundle.h"

/* Most stable first: a name the lab gave the device, the board's serial
 * number (device tree / DMI: survives a fresh root file system), the
 * machine id (one per installed root: a fresh LAVA root has its own, an
 * image cloned onto many tablets shares one), the host name (often shared
 * by an image too). */
static const struct {
	const char *path, *source;
} device_keys[] = {
	{"device.name", "name"},
	{"device.serial", "serial"},
	{"device.machine_id", "machine-id"},
	{"host", "host"},
};

void splat_bundle_device(const struct splat_bundle *b,
			 struct splat_device_id *id)
{
	const char *host = splat_jstr(b->meta, "host");

	memset(id, 0, sizeof(*id));
	snprintf(id->host, sizeof(id->host), "%s", host ? host : "");
	for (size_t i = 0; i < sizeof(device_keys) / sizeof(device_keys[0]);
	     i++) {
		const char *v = splat_jstr(b->meta, device_keys[i].path);

		if (v && *v) {
			id->source = device_keys[i].source;
			snprintf(id->key, sizeof(id->key), "%s:%s", id->source,
				 v);
			return;
		}
	}
	id->source = "run";
	snprintf(id->key, sizeof(id->key), "run:%s", splat_bundle_name(b));
}

/* Keys of soak_config that name the run or places, or seed the same
 * random schedule differently: not the workload. */
static int config_key_ignored(const char *k)
{
	static const char *const ignored[] = {
		"label", "results_root", "splat", "kmsg", "duration_s", "seed",
	};

	if (!strncmp(k, "until_decided", 13))
		return 1;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (!strcmp(k, ignored[i]))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Canonical text of a JSON value: object keys sorted (json-c keeps the
 * insertion order), numbers by value (a tool that rewrote meta.json may
 * print 60.0 as 60), top-level keys that are not workload skipped. */
static void canon(EVP_MD_CTX *ctx, struct json_object *o, int top)
{
	enum json_type t = json_object_get_type(o);
	char num[64];

	if (t == json_type_int || t == json_type_double) {
		snprintf(num, sizeof(num), "%.17g", json_object_get_double(o));
		EVP_DigestUpdate(ctx, num, strlen(num));
		return;
	}
	if (t == json_type_array) {
		EVP_DigestUpdate(ctx, "[", 1);
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			canon(ctx, json_object_array_get_idx(o, i), 0);
			EVP_DigestUpdate(ctx, ",", 1);
		}
		EVP_DigestUpdate(ctx, "]", 1);
		return;
	}
	if (t != json_type_object) {
		const char *s = json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PLAIN);

		EVP_DigestUpdate(ctx, s, strlen(s));
		return;
	}
	size_t n = (size_t)json_object_object_length(o), k = 0;
	const char **keys = calloc(n ? n : 1, sizeof(*keys));

	if (!keys)
		return;
	json_object_object_foreach(o, key, v)
	{
		(void)v;
		if (!top || !config_key_ignored(key))
			keys[k++] = key;
	}
	qsort(keys, k, sizeof(*keys), cmp_str);
	EVP_DigestUpdate(ctx, "{", 1);
	for (size_t i = 0; i < k; i++) {
		EVP_DigestUpdate(ctx, keys[i], strlen(keys[i]));
		EVP_DigestUpdate(ctx, ":", 1);
		canon(ctx, json_object_object_get(o, keys[i]), 0);
		EVP_DigestUpdate(ctx, ",", 1);
	}
	EVP_DigestUpdate(ctx, "}", 1);
	free(keys);
}

int splat_bundle_config_hash(const struct splat_bundle *b, char *out,
			     size_t outlen)
{
	struct json_object *c = splat_jpath(b->meta, "soak_config");
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (outlen)
		out[0] = '\0';
	if (!c || json_object_get_type(c) != json_type_object ||
	    outlen < SPLAT_CONFIG_HASH_LEN + 1)
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	if (ok) {
		canon(ctx, c, 1);
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	}
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (size_t i = 0; i < SPLAT_CONFIG_HASH_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}
