/* SPDX-License-Identifier: MIT */
/* md.h - Markdown helpers for report and compare (internal). */
#ifndef SPLAT_MD_H
#define SPLAT_MD_H

#include <stdio.h>

/* Text for a table cell or list item: | < > * _ ` [ ] escaped, newlines
 * as spaces. */
void splat_md_text(FILE *out, const char *s);
/* `code` span (backticks inside replaced by '), pipes escaped. */
void splat_md_code(FILE *out, const char *s);
/* A number with 3 significant digits (static buffer rotation of 8). */
const char *splat_md_num(double v);

#endif
