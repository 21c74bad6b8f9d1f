/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER: replaced by the implementation of issue 6. */
#include <stdio.h>

#include "commands.h"

int cmd_watch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "splat watch: not implemented yet (issue 6)\n");
	return SPLAT_EXIT_FAILURE;
}
