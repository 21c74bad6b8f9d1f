/* SPDX-License-Identifier: MIT */
/*
 * kconfig.h - what kconfig-verify reads from a kernel tree's Kconfig files
 * (a heuristic reader, not scripts/kconfig's parser): every config and
 * menuconfig with its type, prompt, dependencies (own and inherited from
 * if/menu/choice blocks), ranges and defaults, and every select/imply.
 */
#ifndef KV_KCONFIG_H
#define KV_KCONFIG_H

#include <stdbool.h>

#include "util.h"

struct kdef {
	const char *sym;
	const char *file; /* relative to the tree */
	int line;
	const char *type; /* bool tristate int hex string, or NULL */
	bool has_prompt;
	const char *prompt_if; /* condition of the prompt, or NULL */
	struct vec
		deps; /* const char *: inherited (if/menu/choice), then own */
	struct vec ranges;   /* const char * */
	struct vec defaults; /* const char *: "def_bool X", "default X if C" */
};

struct ksel {
	const char *by; /* selecting symbol */
	const char *cond;
	const char *file;
	int line;
	bool imply;
};

struct ksym {
	const char *name;
	struct vec defs; /* struct kdef * */
	struct vec sels; /* struct ksel * that target this symbol */
};

struct kconfig {
	const char *root;
	const char *arch, *srcarch;
	struct map syms;
	int nfiles, nconfigs;
	int errors;
};

/* Read root/Kconfig and everything it sources for ARCH arch.  Returns 0, or
 * -1 after saying why on stderr; k->errors counts what could not be read. */
int kconfig_load(struct kconfig *k, const char *root, const char *arch);
/* Does the tree define this symbol (for this ARCH)? */
bool ksym_defined(const struct kconfig *k, const char *name);

#endif
