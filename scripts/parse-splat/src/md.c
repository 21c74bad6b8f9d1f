/* SPDX-License-Identifier: MIT */
/*
 * md.c - Markdown helpers: escaping for Gitea/GitHub table cells, numbers.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "md.h"

void splat_md_text(FILE *out, const char *s)
{
	if (!s)
		s = "";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\r' || c == '\t')
			fputc(' ', out);
		else if (strchr("|*_`[]<>\\#", c))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

void splat_md_code(FILE *out, const char *s)
{
	if (!s)
		s = "";
	fputc('`', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '`')
			fputc('\'', out);
		else if (c == '|')
			fputs("\\|", out);
		else if (c == '\n' || c == '\r' || c == '\t')
			fputc(' ', out);
		else
			fputc(c, out);
	}
	fputc('`', out);
}

const char *splat_md_num(double v)
{
	static char bufs[8][32];
	static unsigned idx;
	char *b = bufs[idx++ % 8];

	if (!isfinite(v))
		snprintf(b, 32, "–");
	else if (v == 0.0)
		snprintf(b, 32, "0");
	else if (fabs(v) >= 1000.0)
		snprintf(b, 32, "%.0f", v);
	else if (fabs(v) < 0.001)
		snprintf(b, 32, "%.2g", v);
	else
		snprintf(b, 32, "%.3g", v);
	return b;
}
