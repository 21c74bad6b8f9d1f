/* SPDX-License-Identifier: MIT */
/*
 * kconfig-verify - prove that a merged kernel .config got what a fragment asked
 * for.
 *
 * merge_config.sh only warns ("Value requested for CONFIG_X not in final
 * .config") and exits 0; olddefconfig silently drops options whose
 * dependencies are unmet.  This tool compares the final .config (after
 * merge_config.sh -m + make olddefconfig) with the fragment(s) and the base
 * config, reading the kernel tree's own Kconfig files to explain a drop:
 *
 *   - every fragment symbol must have its requested value, else FAIL with the
 *     symbol, requested and actual value, the Kconfig definition(s) and the
 *     `depends on` terms that evaluate false against the final .config (or the
 *     active `select`s that force a value, or "no prompt, nothing selects it");
 *   - base symbols the tree does not define (for this ARCH) are an error: it
 *     means the wrong tree (e.g. CONFIG_BES2600 of the DanctNIX patch on a
 *     vanilla tree); --allow-missing turns them into warnings;
 *   - toolchain-derived symbols (CC_VERSION_TEXT, GCC_VERSION, CC_HAS_* ...)
 *     that differ are summarised, never failed;
 *   - any other base symbol whose value changed is listed as information.
 *
 * Kconfig reading is a heuristic, not a reimplementation of scripts/kconfig:
 * it follows `source` from the top Kconfig (with $(SRCARCH)/$(ARCH)), records
 * for each `config`/`menuconfig` its type, prompt, own `depends on` lines and
 * those inherited from enclosing `if`/`menu`/`choice` blocks, and every
 * `select`/`imply`.  Expressions are evaluated in tristate logic (n=0 m=1 y=2)
 * against the final .config; a symbol absent from it counts as n; $(macro)
 * terms are not evaluated and count as y (so they are never blamed).
 * `visible if`, defaults and choice semantics are not modelled.
 *
 * Exit codes: 0 verified; 1 runtime failure (cannot write output);
 * 2 bad usage or unreadable input; 4 a fragment symbol did not get its value;
 * 5 base symbols unknown to the tree (wrong tree) without --allow-missing.
 * Only unknown symbols that are enabled in the base (not "n") make exit code 5:
 * an unknown "# CONFIG_X is not set" loses nothing and is listed as a warning.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "expr.h"
#include "kconfig.h"
#include "util.h"

/* --------------------------------------------------------- classification */

/* Symbols whose value is probed from the toolchain by scripts/Kconfig.include
 * and friends: a different compiler changes them, nobody asked for them. */
static bool is_toolchain_symbol(const char *s)
{
	static const char *const exact[] = {
		"CC_VERSION_TEXT", "GCC_VERSION",	 "CLANG_VERSION",
		"AS_VERSION",	   "LD_VERSION",	 "LLD_VERSION",
		"RUSTC_VERSION",   "RUSTC_LLVM_VERSION", "BINDGEN_VERSION_TEXT",
		"PAHOLE_VERSION",  "RUST_IS_AVAILABLE",	 "GCC_PLUGINS",
		"CC_CAN_LINK",	   "CC_CAN_LINK_STATIC", "LLD",
		"HAVE_RUST",
	};
	static const char *const prefix[] = {
		"CC_HAS_", "CC_HAVE_",	  "CC_IS_",	  "CC_CAN_",
		"CC_NO_",  "AS_IS_",	  "AS_HAS_",	  "LD_IS_",
		"LD_HAS_", "LD_CAN_",	  "LD_VERSION",	  "TOOLS_SUPPORT_",
		"RUSTC_",  "GCC_ASM_",	  "GCC_NO_",	  "GCC_SUPPORTS_",
		"CLANG_",  "PAHOLE_HAS_", "ARCH_HAS_CC_", "CC_IMPLICIT_",
	};
	static const char *const infix[] = {
		"_AS_HAS_", "_CC_HAS_",	       "_CC_SUPPORTS_",
		"_LD_HAS_", "_TOOLCHAIN_HAS_", "_COMPILER_HAS_"};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(s, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(s, prefix[i], strlen(prefix[i])))
			return true;
	for (size_t i = 0; i < sizeof(infix) / sizeof(infix[0]); i++)
		if (strstr(s, infix[i]))
			return true;
	return false;
}

/* Equal as .config values, "n" == absent. */
static bool same_value(const char *a, const char *b)
{
	if (!a)
		a = "n";
	if (!b)
		b = "n";
	return !strcmp(a, b);
}

/* ------------------------------------------------------------ verification */

struct dep_term {
	const char *expr;
	int value; /* 0, 1 or -1 (unparsed) */
	const char *symbols;
};

struct def_report {
	const struct kdef *def;
	struct vec
		unmet; /* struct dep_term *: value 0 (or 1 when y was asked) */
	bool prompt_off; /* prompt condition false */
	int prompt_value;
};

struct frag_item {
	const struct cval *req;
	const char *actual; /* NULL = absent */
	bool ok;
	bool defined;
	const char *reason;
	struct vec defs; /* struct def_report * */
	struct vec
		selectors; /* const char *: "SYM=val" active selects/implies */
	bool no_prompt;
};

struct diff_item {
	const char *name, *base, *final;
	bool defined;
	bool lost; /* unknown to the tree and enabled (not n) in the base */
};

struct result {
	struct vec frag;      /* struct frag_item * */
	struct vec missing;   /* struct diff_item * */
	struct vec toolchain; /* struct diff_item * */
	struct vec changed;   /* struct diff_item * */
	int nfail, nbase, noverridden, nlost;
	bool allow_missing;
};

static void explain(struct frag_item *it, const struct kconfig *k,
		    const struct config *fin)
{
	const char *name = it->req->name;
	struct ksym *s = map_get(&k->syms, name);
	int want = tri_of(it->req->value), got = tri_of(it->actual);
	it->defined = s && s->defs.n;
	if (!it->defined) {
		it->reason = xasprintf(
			"not defined in any Kconfig of this tree for ARCH=%s "
			"(removed, renamed or another tree's symbol)",
			k->arch);
		return;
	}
	bool any_unmet = false, any_prompt = false;
	for (size_t i = 0; i < s->defs.n; i++) {
		const struct kdef *d = s->defs.v[i];
		struct def_report *dr = xalloc(sizeof(*dr));
		dr->def = d;
		any_prompt |= d->has_prompt;
		for (size_t j = 0; j < d->deps.n; j++) {
			struct vec terms = {0};
			split_and(d->deps.v[j], &terms);
			for (size_t t = 0; t < terms.n; t++) {
				int v = expr_eval(terms.v[t], fin);
				if (v == 0 || (v == 1 && want == 2) || v < 0) {
					struct dep_term *dt =
						xalloc(sizeof(*dt));
					dt->expr = terms.v[t];
					dt->value = v;
					dt->symbols = annotate(terms.v[t], fin);
					vpush(&dr->unmet, dt);
					if (v == 0 || (v == 1 && want == 2))
						any_unmet = true;
				}
			}
		}
		if (d->prompt_if) {
			dr->prompt_value = expr_eval(d->prompt_if, fin);
			dr->prompt_off = dr->prompt_value == 0;
		}
		vpush(&it->defs, dr);
	}
	/* who selects it (and is on)? */
	for (size_t i = 0; i < s->sels.n; i++) {
		const struct ksel *sel = s->sels.v[i];
		const char *bv = config_value(fin, sel->by);
		int on = tri_of(bv);
		if (sel->cond && on)
			on = expr_eval(sel->cond, fin) != 0 ? on : 0;
		if (on)
			vpush(&it->selectors,
			      xasprintf("%s%s=%s (%s:%d)",
					sel->imply ? "implied by " : "",
					sel->by, bv, sel->file, sel->line));
	}
	it->no_prompt = !any_prompt;
	if (any_unmet)
		it->reason = "unmet dependency";
	else if (got > want && it->selectors.n)
		it->reason = "forced by select";
	else if (want > got && !any_prompt)
		it->reason =
			"no prompt: only its default or a select can set it, and neither does";
	else if (want > got)
		it->reason =
			"prompt condition false, or a choice/default overrode it";
	else if (s->defs.n && ((const struct kdef *)s->defs.v[0])->ranges.n)
		it->reason =
			"value outside the allowed range, or overridden by a default";
	else
		it->reason = "value not taken (see definitions)";
}

static void verify(struct result *r, const struct kconfig *k,
		   const struct config *base, const struct config *frag,
		   const struct config *fin)
{
	for (size_t i = 0; i < frag->order.n; i++) {
		const struct cval *req = frag->order.v[i];
		struct frag_item *it = xalloc(sizeof(*it));
		it->req = req;
		it->actual = config_value(fin, req->name);
		it->ok = same_value(req->value, it->actual);
		it->defined = ksym_defined(k, req->name);
		if (!it->ok) {
			explain(it, k, fin);
			r->nfail++;
		}
		vpush(&r->frag, it);
	}
	for (size_t i = 0; i < base->order.n; i++) {
		const struct cval *b = base->order.v[i];
		r->nbase++;
		if (config_value(frag, b->name)) {
			r->noverridden++;
			continue;
		}
		const char *f = config_value(fin, b->name);
		struct diff_item *d = xalloc(sizeof(*d));
		d->name = b->name;
		d->base = b->value;
		d->final = f;
		d->defined = ksym_defined(k, b->name);
		if (is_toolchain_symbol(b->name)) {
			if (!same_value(b->value, f))
				vpush(&r->toolchain, d);
		} else if (!d->defined) {
			d->lost = !same_value(b->value, NULL);
			r->nlost += d->lost;
			vpush(&r->missing, d);
		} else if (!same_value(b->value, f)) {
			vpush(&r->changed, d);
		}
	}
	/* toolchain symbols new in the final config (e.g. CC_IS_GCC after
	 * clang) */
	for (size_t i = 0; i < fin->order.n; i++) {
		const struct cval *c = fin->order.v[i];
		if (config_value(base, c->name) ||
		    config_value(frag, c->name) ||
		    !is_toolchain_symbol(c->name) || same_value(NULL, c->value))
			continue;
		struct diff_item *d = xalloc(sizeof(*d));
		d->name = c->name;
		d->final = c->value;
		d->defined = true;
		vpush(&r->toolchain, d);
	}
}

static const char *shown(const char *v)
{
	return v ? v : "n (absent)";
}

static int exit_code(const struct result *r)
{
	if (r->nfail)
		return KV_FRAGMENT_FAIL;
	if (r->nlost && !r->allow_missing)
		return KV_WRONG_TREE;
	return KV_OK;
}

static void print_diffs(FILE *f, const struct vec *v, const char *tag,
			long limit, const char *full, bool allow)
{
	for (size_t i = 0; i < v->n; i++) {
		if (limit >= 0 && (long)i >= limit) {
			fprintf(f, "  ... %zu more in %s\n", v->n - i, full);
			break;
		}
		const struct diff_item *d = v->v[i];
		const char *t = tag		    ? tag
				: d->lost && !allow ? "error"
						    : "warning";
		fprintf(f, "  %s CONFIG_%s: %s -> %s\n", t, d->name,
			d->base ? d->base : "(unset)", shown(d->final));
	}
}

static void write_human(FILE *f, const struct result *r, long limit,
			const char *full)
{
	int rc = exit_code(r);
	fprintf(f, "kconfig-verify: %s\n",
		rc == KV_OK ? (r->nlost ? "PASS (unknown base symbols allowed)"
					: "PASS")
		: rc == KV_FRAGMENT_FAIL
			? "FAIL: fragment options dropped"
			: "FAIL: wrong tree (base symbols unknown)");
	fprintf(f, "fragment: %zu requested, %zu ok, %d failed\n", r->frag.n,
		r->frag.n - (size_t)r->nfail, r->nfail);
	for (size_t i = 0; i < r->frag.n; i++) {
		const struct frag_item *it = r->frag.v[i];
		if (it->ok)
			continue;
		fprintf(f, "  FAIL CONFIG_%s: requested %s, actual %s: %s\n",
			it->req->name, it->req->value, shown(it->actual),
			it->reason);
		for (size_t j = 0; j < it->defs.n; j++) {
			const struct def_report *dr = it->defs.v[j];
			const struct kdef *d = dr->def;
			fprintf(f, "       %s:%d: config %s (%s%s)\n", d->file,
				d->line, d->sym, d->type ? d->type : "untyped",
				d->has_prompt ? ", prompt" : ", no prompt");
			for (size_t t = 0; t < d->deps.n; t++)
				fprintf(f, "         depends on %s\n",
					(const char *)d->deps.v[t]);
			for (size_t t = 0; t < dr->unmet.n; t++) {
				const struct dep_term *dt = dr->unmet.v[t];
				fprintf(f, "         %s: %s  [%s]\n",
					dt->value < 0	 ? "not evaluated"
					: dt->value == 1 ? "limits to m"
							 : "unmet",
					dt->expr, dt->symbols);
			}
			if (dr->prompt_off)
				fprintf(f, "         prompt hidden: if %s\n",
					d->prompt_if);
			for (size_t t = 0; t < d->ranges.n; t++)
				fprintf(f, "         range %s\n",
					(const char *)d->ranges.v[t]);
			if (!d->has_prompt)
				for (size_t t = 0; t < d->defaults.n; t++)
					fprintf(f, "         %s\n",
						(const char *)d->defaults.v[t]);
		}
		for (size_t j = 0; j < it->selectors.n; j++)
			fprintf(f, "         selected by %s\n",
				(const char *)it->selectors.v[j]);
	}
	fprintf(f, "base: %d symbols, %d overridden by the fragment\n",
		r->nbase, r->noverridden);
	if (r->missing.n) {
		bool err = r->nlost && !r->allow_missing;
		fprintf(f,
			"%s: %zu base symbols unknown to this tree, %d of them enabled in the base%s\n",
			err ? "ERROR" : "WARNING", r->missing.n, r->nlost,
			err ? ": wrong kernel tree? (ALLOW_MISSING=1 accepts it)"
			: r->nlost ? " (accepted: ALLOW_MISSING=1)"
				   : " (all disabled: nothing lost)");
		print_diffs(f, &r->missing, NULL, limit, full,
			    r->allow_missing);
	}
	fprintf(f, "toolchain-derived: %zu differ (not failures)\n",
		r->toolchain.n);
	print_diffs(f, &r->toolchain, "toolchain", limit, full, false);
	fprintf(f, "changed by olddefconfig: %zu (info)\n", r->changed.n);
	print_diffs(f, &r->changed, "info", limit, full, false);
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *jdiffs(const struct vec *v)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < v->n; i++) {
		const struct diff_item *d = v->v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "symbol", jstr(d->name));
		json_object_object_add(o, "base", jstr(d->base));
		json_object_object_add(o, "final", jstr(d->final));
		json_object_object_add(o, "defined",
				       json_object_new_boolean(d->defined));
		if (!d->defined)
			json_object_object_add(
				o, "lost", json_object_new_boolean(d->lost));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *write_json(const struct result *r, const struct kconfig *k,
			       const char *base, const struct vec *frags,
			       const char *final)
{
	json_object *root = json_object_new_object();
	int rc = exit_code(r);
	json_object_object_add(root, "tool", jstr("kconfig-verify"));
	json_object_object_add(root, "format", json_object_new_int(1));
	json_object_object_add(root, "result",
			       jstr(rc == KV_OK ? "pass" : "fail"));
	json_object_object_add(root, "exit_code", json_object_new_int(rc));
	json_object_object_add(root, "ksrc", jstr(k->root));
	json_object_object_add(root, "arch", jstr(k->arch));
	json_object_object_add(root, "srcarch", jstr(k->srcarch));
	json_object_object_add(root, "kconfig_files",
			       json_object_new_int(k->nfiles));
	json_object_object_add(root, "kconfig_symbols",
			       json_object_new_int(k->nconfigs));
	json_object_object_add(root, "base", jstr(base));
	json_object *fa = json_object_new_array();
	for (size_t i = 0; i < frags->n; i++)
		json_object_array_add(fa, jstr(frags->v[i]));
	json_object_object_add(root, "fragments", fa);
	json_object_object_add(root, "config", jstr(final));
	json_object_object_add(root, "allow_missing",
			       json_object_new_boolean(r->allow_missing));

	json_object *items = json_object_new_array();
	for (size_t i = 0; i < r->frag.n; i++) {
		const struct frag_item *it = r->frag.v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "symbol", jstr(it->req->name));
		json_object_object_add(o, "requested", jstr(it->req->value));
		json_object_object_add(o, "actual", jstr(it->actual));
		json_object_object_add(o, "ok",
				       json_object_new_boolean(it->ok));
		json_object_object_add(o, "defined",
				       json_object_new_boolean(it->defined));
		if (!it->ok) {
			json_object_object_add(o, "reason", jstr(it->reason));
			json_object *defs = json_object_new_array();
			for (size_t j = 0; j < it->defs.n; j++) {
				const struct def_report *dr = it->defs.v[j];
				json_object *dj = json_object_new_object();
				json_object_object_add(dj, "file",
						       jstr(dr->def->file));
				json_object_object_add(
					dj, "line",
					json_object_new_int(dr->def->line));
				json_object_object_add(dj, "type",
						       jstr(dr->def->type));
				json_object_object_add(
					dj, "prompt",
					json_object_new_boolean(
						dr->def->has_prompt));
				json_object *deps = json_object_new_array();
				for (size_t t = 0; t < dr->def->deps.n; t++)
					json_object_array_add(
						deps, jstr(dr->def->deps.v[t]));
				json_object_object_add(dj, "depends_on", deps);
				json_object *un = json_object_new_array();
				for (size_t t = 0; t < dr->unmet.n; t++) {
					const struct dep_term *dt =
						dr->unmet.v[t];
					json_object *u =
						json_object_new_object();
					json_object_object_add(u, "expr",
							       jstr(dt->expr));
					json_object_object_add(
						u, "value",
						dt->value < 0
							? NULL
							: jstr(dt->value == 1
								       ? "m"
								       : "n"));
					json_object_object_add(
						u, "symbols",
						jstr(dt->symbols));
					json_object_array_add(un, u);
				}
				json_object_object_add(dj, "unmet", un);
				if (dr->def->prompt_if)
					json_object_object_add(
						dj, "prompt_if",
						jstr(dr->def->prompt_if));
				json_object *dd = json_object_new_array();
				for (size_t t = 0; t < dr->def->defaults.n; t++)
					json_object_array_add(
						dd,
						jstr(dr->def->defaults.v[t]));
				json_object_object_add(dj, "defaults", dd);
				json_object_array_add(defs, dj);
			}
			json_object_object_add(o, "definitions", defs);
			json_object *sel = json_object_new_array();
			for (size_t j = 0; j < it->selectors.n; j++)
				json_object_array_add(sel,
						      jstr(it->selectors.v[j]));
			json_object_object_add(o, "selected_by", sel);
		}
		json_object_array_add(items, o);
	}
	json_object_object_add(root, "fragment", items);
	json_object *counts = json_object_new_object();
	json_object_object_add(counts, "requested",
			       json_object_new_int((int)r->frag.n));
	json_object_object_add(counts, "failed", json_object_new_int(r->nfail));
	json_object_object_add(counts, "base", json_object_new_int(r->nbase));
	json_object_object_add(counts, "overridden",
			       json_object_new_int(r->noverridden));
	json_object_object_add(counts, "missing",
			       json_object_new_int((int)r->missing.n));
	json_object_object_add(counts, "missing_enabled",
			       json_object_new_int(r->nlost));
	json_object_object_add(counts, "toolchain",
			       json_object_new_int((int)r->toolchain.n));
	json_object_object_add(counts, "changed",
			       json_object_new_int((int)r->changed.n));
	json_object_object_add(root, "counts", counts);
	json_object_object_add(root, "missing", jdiffs(&r->missing));
	json_object_object_add(root, "toolchain", jdiffs(&r->toolchain));
	json_object_object_add(root, "changed", jdiffs(&r->changed));
	return root;
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kconfig-verify --ksrc DIR --base FILE --fragment FILE [--fragment FILE...]\n"
		"                      --config FILE [--arch ARCH] [--allow-missing]\n"
		"                      [--report FILE] [--json FILE|-] [--limit N] [--quiet]\n"
		"\n"
		"Verify a kernel .config produced by merge_config.sh -m + make olddefconfig.\n"
		"\n"
		"  --ksrc DIR        kernel source tree whose Kconfig files are read\n"
		"  --arch ARCH       kernel ARCH (default arm64); selects arch/$(SRCARCH)/Kconfig\n"
		"  --base FILE       the distro config the fragment was merged into\n"
		"  --fragment FILE   a fragment (repeatable; later ones override earlier ones,\n"
		"                    as in merge_config.sh)\n"
		"  --config FILE     the final .config after olddefconfig\n"
		"  --allow-missing   base symbols unknown to the tree are warnings, not errors\n"
		"  --report FILE     write the full human report to FILE\n"
		"  --json FILE       write the JSON report to FILE ('-' = stdout, no human output)\n"
		"  --limit N         list at most N entries per info list on stdout (default: all,\n"
		"                    or 20 when --report is given)\n"
		"  --quiet           print nothing on stdout (reports and exit code only)\n"
		"  -h, --help        this help\n"
		"\n"
		"Exit codes: 0 verified; 1 runtime failure; 2 bad usage or unreadable input;\n"
		"4 a fragment symbol did not get its requested value;\n"
		"5 base symbols enabled in the base but unknown to the tree (wrong tree),\n"
		"  and no --allow-missing (unknown disabled symbols are only warnings).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"ksrc", required_argument, NULL, 'k'},
		{"arch", required_argument, NULL, 'a'},
		{"base", required_argument, NULL, 'b'},
		{"fragment", required_argument, NULL, 'f'},
		{"config", required_argument, NULL, 'c'},
		{"allow-missing", no_argument, NULL, 'M'},
		{"report", required_argument, NULL, 'r'},
		{"json", required_argument, NULL, 'j'},
		{"limit", required_argument, NULL, 'l'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *ksrc = NULL, *arch = "arm64", *base = NULL, *final = NULL,
		   *report = NULL, *json = NULL;
	struct vec frags = {0};
	bool allow_missing = false, quiet = false;
	long limit = -2;
	int c, rc = KV_USAGE;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			ksrc = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'f':
			vpush(&frags, optarg);
			break;
		case 'c':
			final = optarg;
			break;
		case 'M':
			allow_missing = true;
			break;
		case 'r':
			report = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'l': {
			char *e;
			limit = strtol(optarg, &e, 10);
			if (*e || limit < 0) {
				fprintf(stderr,
					"kconfig-verify: bad --limit %s\n",
					optarg);
				goto out;
			}
			break;
		}
		case 'h':
			usage(stdout);
			rc = KV_OK;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (optind < argc || !ksrc || !base || !frags.n || !final) {
		fprintf(stderr,
			"kconfig-verify: --ksrc, --base, --fragment and --config are required\n");
		usage(stderr);
		goto out;
	}
	if (limit == -2)
		limit = report ? 20 : -1;

	struct config cbase, cfrag, cfin;
	if (config_load(&cbase, base, false) ||
	    config_load(&cfin, final, false))
		goto out;
	for (size_t i = 0; i < frags.n; i++)
		if (config_load(&cfrag, frags.v[i], i > 0))
			goto out;
	if (!cfrag.order.n) {
		fprintf(stderr,
			"kconfig-verify: no CONFIG_ lines in the fragment(s)\n");
		goto out;
	}
	struct kconfig k;
	if (kconfig_load(&k, ksrc, arch))
		goto out;
	if (k.errors || k.nconfigs == 0) {
		fprintf(stderr,
			"kconfig-verify: %d error(s) reading the Kconfig files of %s (%d symbols)\n",
			k.errors, ksrc, k.nconfigs);
		goto out;
	}
	struct result r = {.allow_missing = allow_missing};
	verify(&r, &k, &cbase, &cfrag, &cfin);
	rc = exit_code(&r);

	if (report) {
		FILE *f = fopen(report, "w");
		if (!f) {
			fprintf(stderr, "kconfig-verify: cannot write %s: %s\n",
				report, strerror(errno));
			rc = KV_FAILURE;
			goto out;
		}
		write_human(f, &r, -1, report);
		if (fclose(f)) {
			fprintf(stderr, "kconfig-verify: writing %s: %s\n",
				report, strerror(errno));
			rc = KV_FAILURE;
			goto out;
		}
	}
	bool json_stdout = json && !strcmp(json, "-");
	if (!quiet && !json_stdout)
		write_human(stdout, &r, limit, report ? report : "the report");
	if (json) {
		json_object *j = write_json(&r, &k, base, &frags, final);
		int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			    JSON_C_TO_STRING_NOSLASHESCAPE;
		int bad;
		if (json_stdout)
			bad = puts(json_object_to_json_string_ext(j, flags)) <
			      0;
		else
			bad = json_object_to_file_ext(json, j, flags) < 0;
		json_object_put(j);
		if (bad) {
			fprintf(stderr,
				"kconfig-verify: cannot write JSON to %s\n",
				json);
			rc = KV_FAILURE;
		}
	}
	if (fflush(stdout)) {
		fprintf(stderr, "kconfig-verify: writing stdout: %s\n",
			strerror(errno));
		rc = KV_FAILURE;
	}
out:
	arena_free();
	return rc;
}
