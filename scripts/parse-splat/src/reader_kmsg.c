/* SPDX-License-Identifier: MIT */
/* reader_kmsg.c - /dev/kmsg records (in progress). */
#include <errno.h>
#include "reader_int.h"

bool reader_kmsg_header_like(const char *p, size_t n)
{
	(void)p; (void)n;
	return false;
}

int reader_kmsg_next(struct splat_reader *r, struct splat_record *rec)
{
	(void)rec;
	reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0, "kmsg format: not implemented yet");
	errno = ENOSYS;
	return -1;
}
