/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER: replaced by the implementation of issue 3. */
#include <stdio.h>

#include "commands.h"

int cmd_topology(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "splat topology: not implemented yet (issue 3)\n");
	return SPLAT_EXIT_FAILURE;
}
