/* SPDX-License-Identifier: MIT */
/* sha256.h - SHA-256 (FIPS 180-4) for the bundle's file hashes. */
#ifndef SOAK_SHA256_H
#define SOAK_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct soak_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};

void soak_sha256_init(struct soak_sha256 *s);
void soak_sha256_update(struct soak_sha256 *s, const void *data, size_t len);
/* hex: 65 bytes (64 hex digits + NUL) */
void soak_sha256_final_hex(struct soak_sha256 *s, char hex[65]);
/* Hash a file; returns 0 or -1 (errno). */
int soak_sha256_file(const char *path, char hex[65]);

#endif
