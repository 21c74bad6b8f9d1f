/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER: replaced by the implementation of issue 5. */
#include <stdio.h>

#include "commands.h"

int cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "splat compare: not implemented yet (issue 5)\n");
	return SPLAT_EXIT_FAILURE;
}
