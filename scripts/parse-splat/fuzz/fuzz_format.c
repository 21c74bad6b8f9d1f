/* SPDX-License-Identifier: MIT */
/*
 * fuzz_format - libFuzzer target over one input format of the reader table
 * (src/reader_formats.c) and the analyzer: the binary fuzz_fmt_NAME is this
 * file built with -DFUZZ_FORMAT='"NAME"' (build.mk makes one per row;
 * "auto" is auto-detection over mixed lines).  The input is the log; the
 * checks are fuzz_check_log()'s (fuzz_common.h).
 */
#include <stdlib.h>

#include "fuzz_common.h"

#ifndef FUZZ_FORMAT
#error "build with -DFUZZ_FORMAT='\"NAME\"' (a row of splat scan --format list)"
#endif

static enum splat_format fmt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (splat_format_parse(FUZZ_FORMAT, &fmt) != 0)
		abort(); /* a format the table does not have */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_check_log(data, size, fmt, NULL);
	return 0;
}
