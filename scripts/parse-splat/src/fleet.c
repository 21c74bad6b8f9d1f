/* SPDX-License-Identifier: MIT */
/*
 * fleet.c - bundles from many devices (fleet.h): group the run records of
 * each side by device, count every row per device as the pooled side does,
 * warn when the devices of a side differ in kernel or workload, and render
 * the per-device table.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "md.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/fleet.h"

/* Append s to the string array a unless it is there. */
static void add_unique(struct json_object *a, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(a, i)),
			    s))
			return;
	json_object_array_add(a, json_object_new_string(s));
}

static struct json_object *new_entry(const struct json_object *run,
				     const char *side)
{
	struct json_object *e = json_object_new_object();
	const char *src = splat_jstr(run, "device_source");

	json_object_object_add(
		e, "device",
		json_object_new_string(splat_jstr(run, "device")
					       ? splat_jstr(run, "device")
					       : "?"));
	json_object_object_add(e, "device_source",
			       json_object_new_string(src ? src : "run"));
	json_object_object_add(e, "hosts", json_object_new_array());
	json_object_object_add(e, "side", json_object_new_string(side));
	json_object_object_add(e, "runs", json_object_new_array());
	json_object_object_add(e, "boots", json_object_new_int64(0));
	json_object_object_add(e, "observed_h", json_object_new_double(0));
	json_object_object_add(e, "lockdep_h", json_object_new_double(0));
	json_object_object_add(e, "ops", json_object_new_double(0));
	json_object_object_add(e, "ops_h", json_object_new_double(0));
	json_object_object_add(e, "runs_without_ops", json_object_new_int(0));
	json_object_object_add(e, "kernels", json_object_new_array());
	json_object_object_add(e, "config_hashes", json_object_new_array());
	json_object_object_add(e, "members", json_object_new_array());
	return e;
}

static void inc_num(struct json_object *e, const char *k, double v)
{
	json_object_set_double(splat_jpath(e, k), splat_jnum(e, k, 0) + v);
}

/* Add one run record to its device's entry. */
static void entry_add(struct json_object *e, struct json_object *run)
{
	const char *host = splat_jstr(run, "host");
	const char *rel = splat_jstr(run, "kernel");
	const char *ver = splat_jstr(run, "kernel_version");
	const char *ch = splat_jstr(run, "config_hash");
	double ops = splat_jnum(run, "ops", 0);
	char kb[512];

	if (host)
		add_unique(splat_jpath(e, "hosts"), host);
	add_unique(splat_jpath(e, "runs"), splat_jstr(run, "run"));
	json_object_int_inc(splat_jpath(e, "boots"),
			    splat_jint(run, "boots", 0));
	inc_num(e, "observed_h", splat_jnum(run, "observed_h", 0));
	inc_num(e, "lockdep_h", splat_jnum(run, "lockdep_h", 0));
	if (ops > 0) {
		inc_num(e, "ops", ops);
		inc_num(e, "ops_h", splat_jnum(run, "observed_h", 0));
	} else {
		json_object_int_inc(splat_jpath(e, "runs_without_ops"), 1);
	}
	if (rel || ver) {
		snprintf(kb, sizeof(kb), "%s%s%s", rel ? rel : "?",
			 ver ? " " : "", ver ? ver : "");
		add_unique(splat_jpath(e, "kernels"), kb);
	}
	if (ch)
		add_unique(splat_jpath(e, "config_hashes"), ch);
	json_object_array_add(splat_jpath(e, "members"), json_object_get(run));
}

/* count and exposure of one row over the entry's runs */
static void row_count(const struct json_object *e, const char *type,
		      const char *name, double *k, double *t)
{
	struct json_object *m = splat_jpath(e, "members");

	*k = *t = 0;
	for (size_t i = 0; i < json_object_array_length(m); i++) {
		struct json_object *r = json_object_array_get_idx(m, i);
		struct json_object *sigs = splat_jpath(r, "signatures");
		struct json_object *pats = splat_jpath(r, "patterns");
		struct json_object *v;

		if (!strcmp(type, "lockdep")) {
			*k += splat_jnum(r, "lockdep_reports", 0);
			*t += splat_jnum(r, "lockdep_h", 0);
		} else if (!strcmp(type, "lockdep-signature")) {
			if (sigs && json_object_object_get_ex(sigs, name, &v))
				*k += json_object_get_double(v);
			*t += splat_jnum(r, "lockdep_h", 0);
		} else if (pats && json_object_object_get_ex(pats, name, &v)) {
			*k += splat_jnum(v, "count", 0);
			*t += splat_jnum(v, "exposure_h", 0);
		}
	}
}

/* The entry's derived members: ops_per_h, rows; the working sums go. */
static void entry_finish(struct json_object *e, const struct json_object *rows)
{
	struct json_object *out = json_object_new_array();
	double ops_h = splat_jnum(e, "ops_h", 0);

	if (!splat_jint(e, "runs_without_ops", 0) && ops_h > 0)
		splat_jadd_num(e, "ops_per_h", splat_jnum(e, "ops", 0) / ops_h);
	else
		json_object_object_add(e, "ops_per_h", NULL);
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		struct json_object *c = json_object_new_object();
		const char *type = splat_jstr(r, "type");
		const char *name = splat_jstr(r, "name");
		double k, t;

		if (!type || !name)
			continue;
		row_count(e, type, name, &k, &t);
		json_object_object_add(c, "type", json_object_new_string(type));
		json_object_object_add(c, "name", json_object_new_string(name));
		json_object_object_add(c, "count",
				       json_object_new_int64((int64_t)k));
		splat_jadd_num(c, "exposure_h", t);
		splat_jadd_num(c, "rate_per_h", t > 0 ? k / t : NAN);
		json_object_array_add(out, c);
	}
	json_object_object_add(e, "rows", out);
	json_object_object_del(e, "members");
	json_object_object_del(e, "ops_h");
	json_object_object_del(e, "runs_without_ops");
}

size_t splat_fleet_count(const struct json_object *devices)
{
	struct json_object *seen = json_object_new_object();
	size_t n;

	for (size_t i = 0; devices && i < json_object_array_length(devices);
	     i++) {
		const char *d = splat_jstr(
			json_object_array_get_idx(devices, i), "device");

		if (d)
			json_object_object_add(seen, d, NULL);
	}
	n = (size_t)json_object_object_length(seen);
	json_object_put(seen);
	return n;
}

/* ---- warnings ------------------------------------------------------------ */

/* "VALUE on dev1, dev2; VALUE2 on dev3" for the string arrays member of the
 * side's entries; returns how many distinct values there were. */
static size_t describe_values(const struct json_object *devs, const char *side,
			      const char *member, char *buf, size_t len)
{
	struct json_object *by = json_object_new_object();
	size_t n = 0, used = 0;

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *e = json_object_array_get_idx(devs, i);
		struct json_object *vals = splat_jpath(e, member), *l;

		if (strcmp(splat_jstr(e, "side"), side) || !vals)
			continue;
		for (size_t j = 0; j < json_object_array_length(vals); j++) {
			const char *v = json_object_get_string(
				json_object_array_get_idx(vals, j));

			if (!json_object_object_get_ex(by, v, &l)) {
				l = json_object_new_array();
				json_object_object_add(by, v, l);
			}
			add_unique(l, splat_jstr(e, "device"));
		}
	}
	buf[0] = '\0';
	json_object_object_foreach(by, v, l)
	{
		n++;
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0,
					 "%s'%s' on ", n > 1 ? "; " : "", v);
		for (size_t j = 0; j < json_object_array_length(l); j++)
			used += (size_t)snprintf(
				buf + used, used < len ? len - used : 0, "%s%s",
				j ? ", " : "",
				json_object_get_string(
					json_object_array_get_idx(l, j)));
	}
	json_object_put(by);
	return n;
}

static size_t side_devices(const struct json_object *devs, const char *side)
{
	size_t n = 0;

	for (size_t i = 0; i < json_object_array_length(devs); i++)
		n += !strcmp(
			splat_jstr(json_object_array_get_idx(devs, i), "side"),
			side);
	return n;
}

static void ops_rate_warning(const struct json_object *devs, const char *side,
			     double tol, struct json_object *w)
{
	const struct json_object *lo = NULL, *hi = NULL;

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *e = json_object_array_get_idx(devs, i);
		double r = splat_jnum(e, "ops_per_h", NAN);

		if (strcmp(splat_jstr(e, "side"), side) || !(r > 0))
			continue;
		if (!lo || r < splat_jnum(lo, "ops_per_h", 0))
			lo = e;
		if (!hi || r > splat_jnum(hi, "ops_per_h", 0))
			hi = e;
	}
	if (!lo || lo == hi)
		return;
	double rl = splat_jnum(lo, "ops_per_h", 0);
	double rh = splat_jnum(hi, "ops_per_h", 0);

	if (rh / rl - 1.0 > tol)
		splat_json_warn(
			w,
			"%s: the devices ran different workloads: %.1f ops/h on "
			"%s vs %.1f ops/h on %s (%+.0f%%, tolerance %.0f%%): "
			"the pooled rate weighs them by exposure",
			side, rl, splat_jstr(lo, "device"), rh,
			splat_jstr(hi, "device"), (rh / rl - 1.0) * 100,
			tol * 100);
}

static void side_warnings(const struct json_object *devs, const char *side,
			  double tol, struct json_object *w)
{
	char buf[2048];

	if (side_devices(devs, side) < 2)
		return;
	if (describe_values(devs, side, "kernels", buf, sizeof(buf)) > 1)
		splat_json_warn(w,
				"%s: the devices ran different kernels "
				"(release or build): %s: the pooled rate "
				"mixes them",
				side, buf);
	if (describe_values(devs, side, "config_hashes", buf, sizeof(buf)) > 1)
		splat_json_warn(w,
				"%s: the devices ran different workload "
				"configurations (meta.json soak_config, "
				"hash): %s",
				side, buf);
	ops_rate_warning(devs, side, tol, w);
}

static void one_side_warnings(const struct json_object *devs,
			      const char *const *sides, size_t nsides,
			      struct json_object *w)
{
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *e = json_object_array_get_idx(devs, i);
		const char *d = splat_jstr(e, "device");
		size_t on = 0;

		if (!strcmp(splat_jstr(e, "device_source"), "run"))
			continue;
		for (size_t s = 0; s < nsides; s++)
			for (size_t j = 0; j < json_object_array_length(devs);
			     j++) {
				struct json_object *f =
					json_object_array_get_idx(devs, j);

				if (!strcmp(splat_jstr(f, "device"), d) &&
				    !strcmp(splat_jstr(f, "side"), sides[s])) {
					on++;
					break;
				}
			}
		if (on < nsides)
			splat_json_warn(
				w,
				"device %s ran only %s (%zu run(s)): no run on "
				"the other side from the same device to pair "
				"it with",
				d, splat_jstr(e, "side"),
				json_object_array_length(
					splat_jpath(e, "runs")));
	}
}

struct json_object *splat_fleet_devices(struct json_object *const *runs,
					const char *const *sides, size_t nsides,
					const struct json_object *rows,
					double tol, bool cross_sides,
					struct json_object *warnings)
{
	struct json_object *devs = json_object_new_array();
	struct json_object *index = json_object_new_object();

	for (size_t s = 0; s < nsides; s++)
		for (size_t i = 0;
		     runs[s] && i < json_object_array_length(runs[s]); i++) {
			struct json_object *r =
				json_object_array_get_idx(runs[s], i);
			const char *d = splat_jstr(r, "device");
			char key[512];
			struct json_object *at, *e;

			snprintf(key, sizeof(key), "%s\x1f%s", sides[s],
				 d ? d : "?");
			if (json_object_object_get_ex(index, key, &at)) {
				e = json_object_array_get_idx(
					devs, (size_t)json_object_get_int(at));
			} else {
				e = new_entry(r, sides[s]);
				json_object_object_add(
					index, key,
					json_object_new_int(
						(int)json_object_array_length(
							devs)));
				json_object_array_add(devs, e);
			}
			entry_add(e, r);
		}
	json_object_put(index);
	for (size_t i = 0; i < json_object_array_length(devs); i++)
		entry_finish(json_object_array_get_idx(devs, i), rows);
	if (splat_fleet_count(devs) > 1 && warnings) {
		for (size_t s = 0; s < nsides; s++)
			side_warnings(devs, sides[s], tol, warnings);
		if (cross_sides)
			one_side_warnings(devs, sides, nsides, warnings);
	}
	return devs;
}

struct json_object *splat_fleet_rows(struct json_object *const *runs,
				     size_t nsides)
{
	struct json_object *rows = json_object_new_array();
	struct json_object *seen = json_object_new_object();
	static const char *const members[] = {"signatures", "patterns"};
	static const char *const types[] = {"lockdep-signature", "pattern"};

	for (int m = -1; m < 2; m++)
		for (size_t s = 0; s < nsides; s++)
			for (size_t i = 0;
			     runs[s] && i < json_object_array_length(runs[s]);
			     i++) {
				struct json_object *r =
					json_object_array_get_idx(runs[s], i);
				struct json_object *o =
					m < 0 ? NULL
					      : splat_jpath(r, members[m]);
				struct json_object *row;
				char key[512];

				if (m < 0 && json_object_array_length(rows))
					continue;
				if (m < 0) {
					row = json_object_new_object();
					json_object_object_add(
						row, "type",
						json_object_new_string(
							"lockdep"));
					json_object_object_add(
						row, "name",
						json_object_new_string(
							"lockdep"));
					json_object_array_add(rows, row);
					continue;
				}
				if (!o ||
				    json_object_get_type(o) != json_type_object)
					continue;
				json_object_object_foreach(o, name, v)
				{
					(void)v;
					snprintf(key, sizeof(key), "%s\x1f%s",
						 types[m], name);
					if (json_object_object_get_ex(seen, key,
								      NULL))
						continue;
					json_object_object_add(seen, key, NULL);
					row = json_object_new_object();
					json_object_object_add(
						row, "type",
						json_object_new_string(
							types[m]));
					json_object_object_add(
						row, "name",
						json_object_new_string(name));
					json_object_array_add(rows, row);
				}
			}
	json_object_put(seen);
	return rows;
}

/* ---- Markdown ------------------------------------------------------------ */

static void row_header(FILE *out, const struct json_object *r)
{
	const char *type = splat_jstr(r, "type");

	if (!strcmp(type, "lockdep"))
		fputs("lockdep reports", out);
	else if (!strcmp(type, "lockdep-signature")) {
		fputs("lockdep: ", out);
		splat_md_text(out, splat_jstr(r, "title")
					   ? splat_jstr(r, "title")
					   : splat_jstr(r, "name"));
	} else {
		splat_md_code(out, splat_jstr(r, "name"));
	}
}

static void entry_line(FILE *out, const struct json_object *e)
{
	struct json_object *k = splat_jpath(e, "kernels");
	struct json_object *rows = splat_jpath(e, "rows");
	char h1[32], h2[32];

	fputs("| ", out);
	splat_md_code(out, splat_jstr(e, "device"));
	fputs(" | ", out);
	splat_md_text(out, splat_jstr(e, "side"));
	fprintf(out, " | %zu | %lld | %s | %s | ",
		json_object_array_length(splat_jpath(e, "runs")),
		(long long)splat_jint(e, "boots", 0),
		splat_format_hours(splat_jnum(e, "observed_h", 0), h1,
				   sizeof(h1)),
		splat_format_hours(splat_jnum(e, "lockdep_h", 0), h2,
				   sizeof(h2)));
	fputs(splat_jpath(e, "ops_per_h")
		      ? splat_md_num(splat_jnum(e, "ops_per_h", 0))
		      : "unknown",
	      out);
	fputs(" | ", out);
	for (size_t i = 0; k && i < json_object_array_length(k); i++) {
		fputs(i ? ", " : "", out);
		splat_md_code(out, json_object_get_string(
					   json_object_array_get_idx(k, i)));
	}
	if (!k || !json_object_array_length(k))
		fputs("unknown", out);
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		struct json_object *c = json_object_array_get_idx(rows, i);

		fprintf(out, " | %lld", (long long)splat_jint(c, "count", 0));
		if (splat_jpath(c, "rate_per_h"))
			fprintf(out, " (%s/h)",
				splat_md_num(splat_jnum(c, "rate_per_h", 0)));
	}
	fputs(" |\n", out);
}

void splat_fleet_markdown(FILE *out, const struct json_object *devices,
			  const struct json_object *rows, const char *side_hdr)
{
	size_t nrows = rows ? json_object_array_length(rows) : 0;

	fprintf(out,
		"### Devices\n\n%zu devices. A device is meta.json's "
		"`device.name`, else `device.serial`, `device.machine_id`, "
		"`host` (the source is the key's prefix). Each row's numbers "
		"are counted as the pooled ones are: a side's devices add up "
		"to it. Lockdep counts first reports per boot over "
		"lockdep-active time.\n\n| device | %s | runs | boots | "
		"observed | lockdep-active | ops/h | kernel",
		splat_fleet_count(devices), side_hdr);
	for (size_t i = 0; i < nrows; i++) {
		fputs(" | ", out);
		row_header(out, json_object_array_get_idx(rows, i));
	}
	fputs(" |\n|---|---|---:|---:|---:|---:|---:|---", out);
	for (size_t i = 0; i < nrows; i++)
		fputs("|---:", out);
	fputs("|\n", out);
	for (size_t i = 0; devices && i < json_object_array_length(devices);
	     i++)
		entry_line(out, json_object_array_get_idx(devices, i));
	fputs("\n", out);
}
