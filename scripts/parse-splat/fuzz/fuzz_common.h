/* SPDX-License-Identifier: MIT */
/*
 * fuzz_common.h - what the libFuzzer targets share (fuzz_common.c): a quiet
 * diagnostic callback, an FNV hash, and the reader + analyzer cross-checks
 * every log-reading target runs.
 */
#ifndef SPLAT_FUZZ_COMMON_H
#define SPLAT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "splat/patterns.h"
#include "splat/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_FNV_BASIS 0xcbf29ce484222325ULL

/* FNV-1a of n bytes continued from h. */
uint64_t fuzz_mix(uint64_t h, const void *p, size_t n);

/* A diagnostic callback that prints nothing and aborts on an empty
 * message (every diagnostic must say something). */
void fuzz_quiet(void *ctx, enum splat_diag_level level, const char *name,
		uint64_t line_no, const char *msg);

/* Read data as format fmt with the patterns pat (NULL: built-in only) and
 * check, aborting on a difference: reading in small chunks gives exactly the
 * records and statistics of reading in one go; the analyzer's reader
 * prefilter and the reader passing over lines (what `splat scan` does)
 * give exactly the events, summary and statistics of reading every
 * record; a line holding a report header is an event or is counted.  The
 * chunk size (1..64), the pair scanner (16-byte or AVX2) and prefilter or
 * skipping are sampled from a hash of the input, not tried all, so one
 * input costs two reads. */
void fuzz_check_log(const uint8_t *data, size_t size, enum splat_format fmt,
		    const struct splat_patterns *pat);

#endif
