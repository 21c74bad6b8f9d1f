/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER: replaced by the implementation of issue 2. */
#include <stdio.h>

#include "commands.h"

int cmd_scan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "splat scan: not implemented yet (issue 2)\n");
	return SPLAT_EXIT_FAILURE;
}
