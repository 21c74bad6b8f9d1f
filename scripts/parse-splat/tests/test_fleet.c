/* SPDX-License-Identifier: MIT */
/*
 * test_fleet - bundles from many devices (fleet.h): the fixture bundles
 * copied and their meta.json edited to fake other tablets, kernels and
 * workloads.  Table-driven: per case, the devices compare finds, the
 * per-device rows (and that a side's devices add up to the pooled numbers
 * of every row), each fleet warning, and the device table in compare.md
 * and report.md only when there is more than one device.  Then the device
 * key's order (device.name, device.serial, device.machine_id, host, run
 * id) and the workload hash's indifference to key order, number
 * spelling, label, duration and seed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "bundle_fixtures.h"
#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/fleet.h"
#include "splat/report.h"
#include "test_util.h"

/* One faked bundle: a fixture, and what its meta.json is made to say. */
struct fake {
	const char *fixture;
	const char *host;     /* NULL: delete "host" */
	const char *serial;   /* device.serial, NULL: none */
	const char *release;  /* kernel.release, NULL: as the fixture */
	const char *version;  /* kernel.version, NULL: as the fixture */
	int interval_s;	      /* soak_config.interval_s, 0: as the fixture */
	const char *duration; /* soak_config.duration_s, NULL: none */
};

#define MAX_SIDE 4

struct fleet_case {
	const char *name;
	struct fake before[MAX_SIDE], after[MAX_SIDE];
	int devices;		     /* distinct devices */
	int entries;		     /* (device, side) entries */
	const char *warnings[4];     /* each must be among the warnings */
	const char *not_warnings[2]; /* none may be */
};

static void set_path(struct json_object *o, const char *a, const char *b,
		     struct json_object *v)
{
	struct json_object *c;

	if (!json_object_object_get_ex(o, a, &c) ||
	    json_object_get_type(c) != json_type_object) {
		c = json_object_new_object();
		json_object_object_add(o, a, c);
	}
	json_object_object_add(c, b, v);
}

/* Copy the fixture to a temporary directory, edit its meta.json, load it.
 * The run id gets the host (or serial) so runs stay distinct. */
static struct splat_bundle *fake_load(const struct fake *f, char **dir)
{
	const char *tmp = fx_copy(f->fixture);
	char path[1024], id[256];
	struct json_object *m;

	assert_non_null(tmp);
	*dir = strdup(tmp);
	snprintf(path, sizeof(path), "%s/meta.json", *dir);
	m = json_object_from_file(path);
	assert_non_null(m);
	if (f->host)
		json_object_object_add(m, "host",
				       json_object_new_string(f->host));
	else
		json_object_object_del(m, "host");
	if (f->serial)
		set_path(m, "device", "serial",
			 json_object_new_string(f->serial));
	if (f->release)
		set_path(m, "kernel", "release",
			 json_object_new_string(f->release));
	if (f->version)
		set_path(m, "kernel", "version",
			 json_object_new_string(f->version));
	if (f->interval_s)
		set_path(m, "soak_config", "interval_s",
			 json_object_new_int(f->interval_s));
	if (f->duration)
		set_path(m, "soak_config", "duration_s",
			 json_object_new_string(f->duration));
	snprintf(id, sizeof(id), "%s-%s-%s", f->fixture,
		 f->host ? f->host : "nohost", f->serial ? f->serial : "");
	json_object_object_add(m, "run_id", json_object_new_string(id));
	assert_int_equal(
		json_object_to_file_ext(path, m, JSON_C_TO_STRING_PRETTY), 0);
	json_object_put(m);
	struct splat_bundle *b = splat_bundle_load(*dir, 0, id, sizeof(id));

	if (!b)
		print_error("%s: %s\n", *dir, id);
	return b;
}

static size_t side_len(const struct fake *s)
{
	size_t n = 0;

	while (n < MAX_SIDE && s[n].fixture)
		n++;
	return n;
}

/* Every row: the devices of a side add up to the side's pooled count and
 * exposure; boots and observed hours too. */
static void assert_pooled_sums(struct json_object *doc)
{
	static const char *const sides[] = {"before", "after"};
	struct json_object *rows = splat_jpath(doc, "rows");
	struct json_object *devs = splat_jpath(doc, "devices");

	for (int s = 0; s < 2; s++) {
		double boots = 0, obs = 0;
		char p[64];

		for (size_t d = 0; d < json_object_array_length(devs); d++) {
			struct json_object *e =
				json_object_array_get_idx(devs, d);

			if (strcmp(splat_jstr(e, "side"), sides[s]))
				continue;
			boots += splat_jnum(e, "boots", 0);
			obs += splat_jnum(e, "observed_h", 0);
		}
		snprintf(p, sizeof(p), "%s.boots", sides[s]);
		assert_int_equal((int)boots, (int)json_object_array_length(
						     splat_jpath(doc, p)));
		snprintf(p, sizeof(p), "%s.observed_h", sides[s]);
		assert_true(fabs(obs - splat_jnum(doc, p, -1)) < 1e-9);
		for (size_t r = 0; r < json_object_array_length(rows); r++) {
			struct json_object *row =
				json_object_array_get_idx(rows, r);
			double k = 0, t = 0;

			for (size_t d = 0; d < json_object_array_length(devs);
			     d++) {
				struct json_object *e =
					json_object_array_get_idx(devs, d);
				struct json_object *c =
					json_object_array_get_idx(
						splat_jpath(e, "rows"), r);

				if (strcmp(splat_jstr(e, "side"), sides[s]))
					continue;
				assert_string_equal(splat_jstr(c, "name"),
						    splat_jstr(row, "name"));
				k += splat_jnum(c, "count", 0);
				t += splat_jnum(c, "exposure_h", 0);
			}
			assert_int_equal(
				(int)k,
				(int)splat_jnum(splat_jpath(row, sides[s]),
						"count", -1));
			assert_true(
				fabs(t - splat_jnum(splat_jpath(row, sides[s]),
						    "exposure_h", -1)) < 1e-9);
		}
	}
}

/* compare.md has the device table, one line per entry, only for a fleet. */
static void assert_markdown(struct json_object *doc, int devices)
{
	FILE *f = tmpfile();
	struct json_object *devs = splat_jpath(doc, "devices");
	char *md;

	assert_non_null(f);
	splat_compare_markdown(f, doc);
	md = fx_slurp(f);
	fclose(f);
	assert_non_null(md);
	assert_int_equal(fx_count(md, "### Devices") > 0, devices > 1);
	for (size_t i = 0; devices > 1 && i < json_object_array_length(devs);
	     i++) {
		struct json_object *e = json_object_array_get_idx(devs, i);
		char line[512];

		snprintf(line, sizeof(line), "| `%s` | %s |",
			 splat_jstr(e, "device"), splat_jstr(e, "side"));
		assert_non_null(strstr(md, line));
	}
	/* the pooled verdict stays the headline: above the device table */
	if (devices > 1)
		assert_true(strstr(md, "**Verdict:") <
			    strstr(md, "### Devices"));
	free(md);
}

/* splat report on the same bundles: a device table for a fleet. */
static void assert_report(struct splat_bundle **all, size_t n, int devices)
{
	FILE *f = tmpfile();
	char *md;

	assert_non_null(f);
	splat_report_markdown(f, all, n, 0.95, NULL);
	md = fx_slurp(f);
	fclose(f);
	assert_non_null(md);
	assert_int_equal(fx_count(md, "### Devices") > 0, devices > 1);
	if (devices > 1)
		assert_non_null(strstr(md, "| device | label |"));
	free(md);
}

static void run_case(const struct fleet_case *c)
{
	size_t nb = side_len(c->before), na = side_len(c->after);
	struct splat_bundle *all[2 * MAX_SIDE];
	char *dirs[2 * MAX_SIDE];
	struct splat_compare_opts o = {.confidence = 0.95,
				       .workload_tolerance = 0.25};
	char err[512];

	print_message("case %s\n", c->name);
	for (size_t i = 0; i < nb + na; i++) {
		all[i] = fake_load(i < nb ? &c->before[i] : &c->after[i - nb],
				   &dirs[i]);
		assert_non_null(all[i]);
	}
	struct json_object *doc =
		splat_compare(all, nb, all + nb, na, &o, err, sizeof(err));

	assert_non_null(doc);
	assert_int_equal(splat_jint(doc, "device_count", -1), c->devices);
	assert_int_equal(
		(int)json_object_array_length(splat_jpath(doc, "devices")),
		c->entries);
	for (int i = 0; i < 4 && c->warnings[i]; i++) {
		if (!test_has_warning(doc, c->warnings[i]))
			print_error("%s: no warning '%s' in %s\n", c->name,
				    c->warnings[i],
				    json_object_to_json_string(
					    splat_jpath(doc, "warnings")));
		assert_true(test_has_warning(doc, c->warnings[i]));
	}
	for (int i = 0; i < 2 && c->not_warnings[i]; i++)
		assert_false(test_has_warning(doc, c->not_warnings[i]));
	assert_pooled_sums(doc);
	assert_markdown(doc, c->devices);
	assert_report(all, nb + na, c->devices);
	json_object_put(doc);
	for (size_t i = 0; i < nb + na; i++) {
		splat_bundle_free(all[i]);
		fx_rmdir(dirs[i]);
		free(dirs[i]);
	}
}

#define B_(h)                                                                  \
	{                                                                      \
		.fixture = "before", .host = (h)                               \
	}
#define A_(h)                                                                  \
	{                                                                      \
		.fixture = "after-fixed", .host = (h)                          \
	}

static const struct fleet_case cases[] = {
	{.name = "one device: no table, no fleet warning",
	 .before = {B_("tab1"), B_("tab1")},
	 .after = {A_("tab1")},
	 .devices = 1,
	 .entries = 2,
	 .not_warnings = {"the devices ran", "ran only"}},
	{.name = "two devices, same kernel and workload",
	 .before = {B_("tab1"), B_("tab2")},
	 .after = {A_("tab1"), A_("tab2")},
	 .devices = 2,
	 .entries = 4,
	 .not_warnings = {"the devices ran", "ran only"}},
	{.name = "kernel builds differ before",
	 .before = {B_("tab1"),
		    {.fixture = "before",
		     .host = "tab2",
		     .version = "#2 SMP PREEMPT_DYNAMIC"}},
	 .after = {A_("tab1"), A_("tab2")},
	 .devices = 2,
	 .entries = 4,
	 .warnings = {"before: the devices ran different kernels",
		      "#2 SMP PREEMPT_DYNAMIC' on host:tab2"},
	 .not_warnings = {"after: the devices ran different kernels"}},
	{.name = "kernel releases differ after",
	 .before = {B_("tab1"), B_("tab2")},
	 .after = {A_("tab1"),
		   {.fixture = "after-fixed",
		    .host = "tab2",
		    .release = "6.12.9-danctnix1-lockdep"}},
	 .devices = 2,
	 .entries = 4,
	 .warnings = {"after: the devices ran different kernels",
		      "'6.12.9-danctnix1-lockdep"}},
	{.name = "workload configurations differ",
	 .before = {B_("tab1"),
		    {.fixture = "before", .host = "tab2", .interval_s = 600}},
	 .after = {A_("tab1"), A_("tab2")},
	 .devices = 2,
	 .entries = 4,
	 .warnings = {"before: the devices ran different workload "
		      "configurations"}},
	{.name = "only the duration differs: the same workload",
	 .before = {B_("tab1"),
		    {.fixture = "before", .host = "tab2", .duration = "4h"}},
	 .after = {A_("tab1"), A_("tab2")},
	 .devices = 2,
	 .entries = 4,
	 .not_warnings = {"workload configurations"}},
	{.name = "ops/h differ between devices of a side",
	 .before = {B_("tab1"), B_("tab2")},
	 .after = {A_("tab1"), {.fixture = "after-lost", .host = "tab2"}},
	 .devices = 2,
	 .entries = 4,
	 .warnings = {"after: the devices ran different workloads: 6.0 "
		      "ops/h on host:tab2 vs 12.0 ops/h on host:tab1"}},
	{.name = "devices on one side only",
	 .before = {B_("tab1"), B_("tab2")},
	 .after = {A_("tab1"), A_("tab3")},
	 .devices = 3,
	 .entries = 4,
	 .warnings = {"device host:tab2 ran only before",
		      "device host:tab3 ran only after"},
	 .not_warnings = {"device host:tab1 ran only"}},
	{.name = "one image on every tablet: the serial tells them apart",
	 .before = {{.fixture = "before", .host = "alarm", .serial = "s1"},
		    {.fixture = "before", .host = "alarm", .serial = "s2"}},
	 .after = {{.fixture = "after-fixed", .host = "alarm", .serial = "s1"},
		   {.fixture = "after-fixed", .host = "alarm", .serial = "s2"}},
	 .devices = 2,
	 .entries = 4,
	 .not_warnings = {"ran only"}},
	{.name = "no identity: a device per run, no one-side warning",
	 .before = {{.fixture = "before"}, B_("tab1")},
	 .after = {A_("tab1")},
	 .devices = 2,
	 .entries = 3,
	 .not_warnings = {"ran only"}},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* The per-device numbers of one device equal its single-run compare. */
static void test_device_equals_single_run(void **state)
{
	(void)state;
	const struct fake f[3] = {B_("tab1"), B_("tab2"), A_("tab1")};
	struct splat_bundle *b[3];
	char *dirs[3];
	struct splat_compare_opts o = {.confidence = 0.95};
	char err[256];

	for (int i = 0; i < 3; i++)
		b[i] = fake_load(&f[i], &dirs[i]);
	struct json_object *pooled =
		splat_compare(b, 2, b + 2, 1, &o, err, sizeof(err));
	struct json_object *single =
		splat_compare(b + 1, 1, b + 2, 1, &o, err, sizeof(err));
	struct json_object *e =
		json_object_array_get_idx(splat_jpath(pooled, "devices"), 1);

	assert_string_equal(splat_jstr(e, "device"), "host:tab2");
	assert_string_equal(splat_jstr(e, "side"), "before");
	for (size_t r = 0;
	     r < json_object_array_length(splat_jpath(single, "rows")); r++) {
		struct json_object *row = json_object_array_get_idx(
			splat_jpath(single, "rows"), r);
		struct json_object *c =
			json_object_array_get_idx(splat_jpath(e, "rows"), r);

		assert_int_equal(splat_jint(c, "count", -1),
				 splat_jint(row, "before.count", -2));
		assert_true(fabs(splat_jnum(c, "rate_per_h", -1) -
				 splat_jnum(row, "before.rate_per_h", -2)) <
			    1e-9);
	}
	json_object_put(pooled);
	json_object_put(single);
	for (int i = 0; i < 3; i++) {
		splat_bundle_free(b[i]);
		fx_rmdir(dirs[i]);
		free(dirs[i]);
	}
}

/* The key: device.name, device.serial, device.machine_id, host, run id. */
static void test_device_key_order(void **state)
{
	(void)state;
	static const struct {
		const char *meta, *key, *source;
	} t[] = {
		{"{\"host\":\"h\",\"device\":{\"name\":\"pinetab2-01\","
		 "\"serial\":\"s\",\"machine_id\":\"m\"}}",
		 "name:pinetab2-01", "name"},
		{"{\"host\":\"h\",\"device\":{\"serial\":\"s\","
		 "\"machine_id\":\"m\"}}",
		 "serial:s", "serial"},
		{"{\"host\":\"h\",\"device\":{\"serial\":\"\","
		 "\"machine_id\":\"m\"}}",
		 "machine-id:m", "machine-id"},
		{"{\"host\":\"h\",\"device\":null}", "host:h", "host"},
		{"{\"run_id\":\"r1\",\"host\":null}", "run:r1", "run"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct splat_bundle b = {.dir = (char *)"/x/r0"};
		struct splat_device_id id;

		b.meta = json_tokener_parse(t[i].meta);
		assert_non_null(b.meta);
		splat_bundle_device(&b, &id);
		assert_string_equal(id.key, t[i].key);
		assert_string_equal(id.source, t[i].source);
		json_object_put(b.meta);
	}
}

/* The workload hash: key order, number spelling (60.0 or 60), label,
 * duration and seed do not count; array order does. */
static void test_config_hash(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int same;
	} t[] = {
		{"{\"x\":1,\"y\":{\"p\":1,\"q\":2}}",
		 "{\"y\":{\"q\":2,\"p\":1},\"x\":1}", 1},
		{"{\"x\":1,\"label\":\"before\",\"duration_s\":60,\"seed\":1}",
		 "{\"x\":1,\"label\":\"after\",\"duration_s\":900,\"seed\":2}",
		 1},
		{"{\"x\":1,\"until_decided\":\"/a\"}", "{\"x\":1}", 1},
		{"{\"x\":60.0,\"a\":[{\"q\":1,\"p\":2.50}]}",
		 "{\"a\":[{\"p\":2.5,\"q\":1}],\"x\":60}", 1},
		{"{\"a\":[1,2]}", "{\"a\":[2,1]}", 0},
		{"{\"x\":1}", "{\"x\":2}", 0},
		{"{\"x\":{\"label\":1}}", "{\"x\":{\"label\":2}}", 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char ha[SPLAT_CONFIG_HASH_LEN + 1],
			hb[SPLAT_CONFIG_HASH_LEN + 1];
		struct splat_bundle a = {.dir = (char *)"a"},
				    b = {.dir = (char *)"b"};

		a.meta = json_object_new_object();
		b.meta = json_object_new_object();
		json_object_object_add(a.meta, "soak_config",
				       json_tokener_parse(t[i].a));
		json_object_object_add(b.meta, "soak_config",
				       json_tokener_parse(t[i].b));
		assert_int_equal(splat_bundle_config_hash(&a, ha, sizeof(ha)),
				 0);
		assert_int_equal(splat_bundle_config_hash(&b, hb, sizeof(hb)),
				 0);
		assert_int_equal(strlen(ha), SPLAT_CONFIG_HASH_LEN);
		assert_int_equal(!strcmp(ha, hb), t[i].same);
		json_object_put(a.meta);
		json_object_put(b.meta);
	}
	struct splat_bundle none = {.dir = (char *)"n"};
	char h[SPLAT_CONFIG_HASH_LEN + 1];

	none.meta = json_tokener_parse("{\"soak_config\":null}");
	assert_int_equal(splat_bundle_config_hash(&none, h, sizeof(h)), -1);
	assert_string_equal(h, "");
	json_object_put(none.meta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_device_equals_single_run),
		cmocka_unit_test(test_device_key_order),
		cmocka_unit_test(test_config_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
