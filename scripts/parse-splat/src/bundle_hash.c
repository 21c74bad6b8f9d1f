/* SPDX-License-Identifier: MIT */
/*
 * bundle_hash.c - sha256 of bundle files, with OpenSSL's libcrypto (EVP).
 */
#include <errno.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "splat/bundle.h"

int splat_sha256_file(const char *path, char *out, size_t outlen)
{
	if (outlen < 72) {
		errno = EINVAL;
		return -1;
	}
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	unsigned char buf[65536];
	size_t n;

	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = EVP_DigestUpdate(ctx, buf, n) == 1;
	if (ferror(f))
		ok = 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	fclose(f);
	if (!ok) {
		errno = EIO;
		return -1;
	}
	static const char hex[] = "0123456789abcdef";
	char *p = out + snprintf(out, outlen, "sha256:");

	for (unsigned i = 0; i < mdlen; i++) {
		*p++ = hex[md[i] >> 4];
		*p++ = hex[md[i] & 15];
	}
	*p = '\0';
	return 0;
}
