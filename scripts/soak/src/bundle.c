/* SPDX-License-Identifier: MIT */
/* bundle.c - run bundle directory and meta.json. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "bundle.h"
#include "exec.h"

#define META_SCHEMA "besser-verify/meta/1"

static void sys_path(char *buf, size_t len, const char *path)
{
	const char *root = getenv("BESSER_SOAK_SYSROOT");

	snprintf(buf, len, "%s%s", root ? root : "", path);
}

int soak_sha256_file(const char *path, char hex[65])
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok, e = EIO;

	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	while (ok && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			ok = 0;
			break;
		}
		ok = EVP_DigestUpdate(ctx, buf, (size_t)n) == 1;
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (!ok) {
		errno = e;
		return -1;
	}
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while ((size_t)total < len - 1 &&
	       (n = read(fd, buf + total, len - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return 0;
}

static void chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

void soak_boot_id(char *buf, size_t len)
{
	char p[PATH_MAX];

	sys_path(p, sizeof(p), "/proc/sys/kernel/random/boot_id");
	read_small(p, buf, len);
	chomp(buf);
}

double soak_uptime(void)
{
	char p[PATH_MAX], b[128];

	sys_path(p, sizeof(p), "/proc/uptime");
	if (read_small(p, b, sizeof(b)) < 0 || !b[0])
		return -1;
	return strtod(b, NULL);
}

void soak_run_id(const char *label, char *buf, size_t len)
{
	char host[256] = "unknown", stamp[32];
	time_t t = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p; p++)
		if (*p == '/' || *p == '.')
			*p = *p == '.' ? '\0' : '_';
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "%s-%s-%s", label, stamp, host);
	for (char *p = buf; *p; p++)
		if (*p == '/' || isspace((unsigned char)*p))
			*p = '_';
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int soak_bundle_create(const char *root, const char *run_id, char *dir,
		       size_t dirlen, char *err, size_t errlen)
{
	char link_tmp[PATH_MAX], link[PATH_MAX];

	if (mkdir_p(root) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", root,
			 strerror(errno));
		return -1;
	}
	snprintf(dir, dirlen, "%s/%s", root, run_id);
	if (mkdir(dir, 0755) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir,
			 strerror(errno));
		return -1;
	}
	snprintf(link_tmp, sizeof(link_tmp), "%s/.current.%d", root,
		 (int)getpid());
	snprintf(link, sizeof(link), "%s/current", root);
	unlink(link_tmp);
	if (symlink(run_id, link_tmp) < 0 || rename(link_tmp, link) < 0) {
		snprintf(err, errlen, "%s: cannot point at the run: %s", link,
			 strerror(errno));
		unlink(link_tmp);
		return -1;
	}
	return 0;
}

int soak_write_json_atomic(const char *path, struct json_object *o)
{
	char tmp[PATH_MAX];
	const char *s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			   JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(s);
	int fd, e;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, s, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) < 0) {
		e = errno ? errno : ENOSPC;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

struct json_object *soak_read_lockdep_stats(void)
{
	char p[PATH_MAX], line[256];
	struct json_object *o;
	FILE *f;

	sys_path(p, sizeof(p), "/proc/lockdep_stats");
	f = fopen(p, "re");
	if (!f)
		return NULL;
	o = json_object_new_object();
	while (fgets(line, sizeof(line), f)) {
		/* " direct dependencies:   11560 [max: 131072]" */
		char *colon = strchr(line, ':'), *k = line, *end;
		long long v;

		if (!colon)
			continue;
		*colon = '\0';
		while (isspace((unsigned char)*k))
			k++;
		end = colon;
		while (end > k && isspace((unsigned char)end[-1]))
			*--end = '\0';
		v = strtoll(colon + 1, &end, 10);
		if (end == colon + 1 || !*k)
			continue;
		json_object_object_add(o, k, json_object_new_int64(v));
	}
	fclose(f);
	return o;
}

/* Options that say whether and how lockdep watched the run. */
static bool kconfig_wanted(const char *name)
{
	static const char *const exact[] = {
		"CONFIG_LOCK_STAT",
		"CONFIG_DEBUG_SPINLOCK",
		"CONFIG_DEBUG_MUTEXES",
		"CONFIG_DEBUG_RT_MUTEXES",
		"CONFIG_DEBUG_WW_MUTEX_SLOWPATH",
		"CONFIG_DEBUG_RWSEMS",
		"CONFIG_DEBUG_ATOMIC_SLEEP",
		"CONFIG_TRACE_IRQFLAGS",
		"CONFIG_DEBUG_IRQFLAGS",
		"CONFIG_LOCK_DEBUGGING_SUPPORT",
		"CONFIG_DEBUG_KERNEL",
		"CONFIG_LOCALVERSION",
		"CONFIG_PRINTK_CALLER",
		"CONFIG_PRINTK_TIME",
		"CONFIG_PANIC_ON_OOPS",
		"CONFIG_KASAN",
		"CONFIG_BES2600",
		"CONFIG_MAC80211_HWSIM",
		"CONFIG_IKCONFIG_PROC",
		NULL,
	};
	static const char *const prefix[] = {
		"CONFIG_LOCKDEP",
		"CONFIG_PROVE_",
		"CONFIG_DEBUG_LOCK",
		NULL,
	};

	for (int i = 0; prefix[i]; i++)
		if (!strncmp(name, prefix[i], strlen(prefix[i])))
			return true;
	for (int i = 0; exact[i]; i++)
		if (!strcmp(name, exact[i]))
			return true;
	return false;
}

struct json_object *soak_read_kconfig(void)
{
	char p[PATH_MAX], line[1024];
	struct json_object *o;
	gzFile f;

	sys_path(p, sizeof(p), "/proc/config.gz");
	f = gzopen(p, "rb");
	if (!f)
		return NULL;
	o = json_object_new_object();
	while (gzgets(f, line, sizeof(line))) {
		char *eq;

		chomp(line);
		if (!strncmp(line, "# CONFIG_", 9) &&
		    strstr(line, " is not set")) {
			char *name = line + 2;

			*strstr(name, " is not set") = '\0';
			if (kconfig_wanted(name))
				json_object_object_add(
					o, name, json_object_new_string("n"));
			continue;
		}
		if (strncmp(line, "CONFIG_", 7) || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		if (kconfig_wanted(line)) {
			char *v = eq + 1;
			size_t l = strlen(v);

			if (l >= 2 && v[0] == '"' && v[l - 1] == '"') {
				v[l - 1] = '\0';
				v++;
			}
			json_object_object_add(o, line,
					       json_object_new_string(v));
		}
	}
	gzclose(f);
	return o;
}

static struct json_object *driver_info(const char *module)
{
	struct json_object *o = json_object_new_object(), *mi;
	char p[PATH_MAX], buf[256];
	char *argv[] = {"modinfo", (char *)module, NULL};
	struct soak_exec_result *x = malloc(sizeof(*x));

	json_object_object_add(o, "module", json_object_new_string(module));
	snprintf(buf, sizeof(buf), "/sys/module/%s/srcversion", module);
	sys_path(p, sizeof(p), buf);
	if (read_small(p, buf, sizeof(buf)) == 0 && buf[0]) {
		chomp(buf);
		json_object_object_add(o, "srcversion",
				       json_object_new_string(buf));
	} else {
		json_object_object_add(o, "srcversion", NULL);
	}
	json_object_object_add(
		o, "loaded",
		json_object_new_boolean(
			(snprintf(buf, sizeof(buf), "/sys/module/%s", module),
			 sys_path(p, sizeof(p), buf), access(p, F_OK) == 0)));
	mi = NULL;
	if (x && soak_exec(argv, 10000, NULL, x) == 0) {
		char *line = x->out;

		mi = json_object_new_object();
		while (line && *line) {
			char *nl = strchr(line, '\n'), *colon;

			if (nl)
				*nl = '\0';
			colon = strchr(line, ':');
			if (colon) {
				char *k = line, *v = colon + 1;
				struct json_object *prev;

				*colon = '\0';
				while (isspace((unsigned char)*v))
					v++;
				if (json_object_object_get_ex(mi, k, &prev)) {
					if (!json_object_is_type(
						    prev, json_type_array)) {
						struct json_object *a =
							json_object_new_array();

						json_object_array_add(
							a,
							json_object_get(prev));
						json_object_object_add(mi, k,
								       a);
						prev = a;
					}
					json_object_array_add(
						prev,
						json_object_new_string(v));
				} else {
					json_object_object_add(
						mi, k,
						json_object_new_string(v));
				}
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	free(x);
	json_object_object_add(o, "modinfo", mi);
	return o;
}

static struct json_object *series_info(const char *release)
{
	char rel[PATH_MAX], p[PATH_MAX], buf[4096], hex[65];
	struct json_object *o;
	const char *h = NULL;

	snprintf(rel, sizeof(rel), "/usr/lib/modules/%s/besser-series",
		 release);
	sys_path(p, sizeof(p), rel);
	if (read_small(p, buf, sizeof(buf)) < 0)
		return NULL;
	o = json_object_new_object();
	/* the file names the series hash (64 hex digits); else hash it */
	for (char *s = buf; *s; s++) {
		size_t n = strspn(s, "0123456789abcdef");

		if (n == 64 && (s == buf || !isxdigit((unsigned char)s[-1]))) {
			memcpy(hex, s, 64);
			hex[64] = '\0';
			h = hex;
			break;
		}
		if (n)
			s += n - 1;
	}
	if (!h && soak_sha256_file(p, hex) == 0)
		h = hex;
	json_object_object_add(o, "hash", h ? json_object_new_string(h) : NULL);
	json_object_object_add(o, "source", json_object_new_string(rel));
	json_object_object_add(o, "text", json_object_new_string(buf));
	return o;
}

static struct json_object *when(void)
{
	struct json_object *o = json_object_new_object();
	char wall[32], bid[64];
	time_t t = time(NULL);
	struct tm tm;
	double up = soak_uptime();

	gmtime_r(&t, &tm);
	strftime(wall, sizeof(wall), "%Y-%m-%dT%H:%M:%SZ", &tm);
	soak_boot_id(bid, sizeof(bid));
	json_object_object_add(o, "uptime_s",
			       up >= 0 ? json_object_new_double(up) : NULL);
	json_object_object_add(o, "monotonic_usec",
			       json_object_new_int64(soak_now_usec()));
	json_object_object_add(o, "wall", json_object_new_string(wall));
	json_object_object_add(o, "boot_id",
			       bid[0] ? json_object_new_string(bid) : NULL);
	return o;
}

/* The user pattern file, copied into the bundle: the run watches with the
 * copy, and `splat summary` recomputes with it, whatever happens to the
 * original later. */
static int copy_patterns(const char *from, const char *dir, char *err,
			 size_t errlen)
{
	char to[PATH_MAX], buf[8192];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;
	int rc = 0;

	if (!in) {
		snprintf(err, errlen, "patterns %s: %s", from, strerror(errno));
		return -1;
	}
	snprintf(to, sizeof(to), "%s/" SOAK_PATTERNS_FILE, dir);
	out = fopen(to, "wbx");
	if (!out) {
		snprintf(err, errlen, "%s: %s", to, strerror(errno));
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = -1;
			break;
		}
	if (ferror(in))
		rc = -1;
	if (fclose(out) != 0)
		rc = -1;
	fclose(in);
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot copy %s: %s", to, from,
			 strerror(errno));
	return rc;
}

/* The first of paths that holds a string naming something: device tree
 * strings end in NUL, DMI's in a newline, and cheap boards' firmware fills
 * DMI with placeholders. */
static struct json_object *first_id(const char *const *paths)
{
	static const char *const placeholders[] = {
		"Not Specified",
		"To Be Filled By O.E.M.",
		"Default string",
		"None",
		"0",
		"System Serial Number",
	};
	char p[PATH_MAX], buf[256];

	for (size_t i = 0; paths[i]; i++) {
		size_t n;
		int real = 1;

		sys_path(p, sizeof(p), paths[i]);
		if (read_small(p, buf, sizeof(buf)) < 0)
			continue;
		chomp(buf);
		n = strlen(buf);
		while (n && isspace((unsigned char)buf[n - 1]))
			buf[--n] = '\0';
		for (size_t j = 0;
		     j < sizeof(placeholders) / sizeof(placeholders[0]); j++)
			real = real && strcmp(buf, placeholders[j]);
		if (n && real)
			return json_object_new_string(buf);
	}
	return NULL;
}

/* Which board ran the soak, for `splat compare` over a fleet: the serial
 * number (device tree, else DMI) survives a fresh root file system, the
 * machine id is one per installed root (results/README.md, "Device
 * identity"). */
static struct json_object *device_ids(void)
{
	static const char *const serial[] = {"/proc/device-tree/serial-number",
					     "/sys/class/dmi/id/product_serial",
					     NULL};
	static const char *const model[] = {"/proc/device-tree/model",
					    "/sys/class/dmi/id/product_name",
					    NULL};
	static const char *const machine_id[] = {"/etc/machine-id", NULL};
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "serial", first_id(serial));
	json_object_object_add(o, "model", first_id(model));
	json_object_object_add(o, "machine_id", first_id(machine_id));
	return o;
}

int soak_meta_start(const char *dir, const char *run_id,
		    const struct soak_config *c, char *err, size_t errlen)
{
	struct json_object *o = json_object_new_object(), *k, *ls;
	struct utsname u;
	char path[PATH_MAX], host[256] = "";
	int rc;

	if (c->patterns[0] &&
	    copy_patterns(c->patterns, dir, err, errlen) < 0) {
		json_object_put(o);
		return -1;
	}
	uname(&u);
	gethostname(host, sizeof(host) - 1);
	json_object_object_add(o, "schema",
			       json_object_new_string(META_SCHEMA));
	json_object_object_add(o, "run_id", json_object_new_string(run_id));
	json_object_object_add(o, "label", json_object_new_string(c->label));
	json_object_object_add(o, "host", json_object_new_string(host));
	json_object_object_add(o, "device", device_ids());
	k = json_object_new_object();
	json_object_object_add(k, "release", json_object_new_string(u.release));
	json_object_object_add(k, "version", json_object_new_string(u.version));
	json_object_object_add(k, "machine", json_object_new_string(u.machine));
	json_object_object_add(o, "kernel", k);
	json_object_object_add(o, "kconfig", soak_read_kconfig());
	ls = json_object_new_object();
	json_object_object_add(ls, "start", soak_read_lockdep_stats());
	json_object_object_add(ls, "end", NULL);
	json_object_object_add(o, "lockdep_stats", ls);
	json_object_object_add(o, "driver", driver_info(c->driver));
	json_object_object_add(o, "series", series_info(u.release));
	json_object_object_add(o, "soak_config", soak_config_to_json(c));
	json_object_object_add(
		o, "patterns_file",
		c->patterns[0] ? json_object_new_string(SOAK_PATTERNS_FILE)
			       : NULL);
	json_object_object_add(o, "start", when());
	json_object_object_add(o, "end", NULL);
	json_object_object_add(o, "complete", json_object_new_boolean(false));
	json_object_object_add(o, "incomplete_reason",
			       json_object_new_string("running"));
	json_object_object_add(o, "finalized", json_object_new_boolean(false));
	json_object_object_add(o, "files", NULL);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	rc = soak_write_json_atomic(path, o);
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot write: %s", path,
			 strerror(errno));
	json_object_put(o);
	return rc;
}

int soak_meta_finalize(const char *dir, bool complete, const char *reason,
		       struct json_object *extra, bool force, char *err,
		       size_t errlen)
{
	static const char *const files[] = {
		"kmsg.raw",    "events.jsonl",	   "ops.jsonl", "summary.json",
		"watch.state", SOAK_PATTERNS_FILE, NULL};
	char path[PATH_MAX], hex[65];
	struct json_object *o, *v, *ls, *fo, *start_boot, *end;
	int rc;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	o = json_object_from_file(path);
	if (!o) {
		snprintf(err, errlen,
			 "%s: cannot read meta.json (not a run bundle?)", dir);
		json_object_put(extra);
		return -1;
	}
	if (!force && json_object_object_get_ex(o, "finalized", &v) &&
	    json_object_get_boolean(v)) {
		json_object_put(o);
		json_object_put(extra);
		return 0;
	}
	end = when();
	/* after a reboot the uptime says nothing about this run */
	if (json_object_object_get_ex(o, "start", &v) &&
	    json_object_object_get_ex(v, "boot_id", &start_boot)) {
		struct json_object *eb;

		if (json_object_object_get_ex(end, "boot_id", &eb) &&
		    (!start_boot || !eb ||
		     strcmp(json_object_get_string(start_boot),
			    json_object_get_string(eb)))) {
			json_object_object_add(end, "uptime_s", NULL);
			json_object_object_add(end, "monotonic_usec", NULL);
			json_object_object_add(end, "other_boot",
					       json_object_new_boolean(true));
			if (complete) {
				complete = false;
				reason = "finalised after a reboot";
			}
		}
	}
	json_object_object_add(o, "end", end);
	if (json_object_object_get_ex(o, "lockdep_stats", &ls))
		json_object_object_add(ls, "end", soak_read_lockdep_stats());
	json_object_object_add(o, "complete",
			       json_object_new_boolean(complete));
	json_object_object_add(
		o, "incomplete_reason",
		complete ? NULL
			 : json_object_new_string(reason ? reason
							 : "interrupted"));
	if (extra)
		json_object_object_add(o, "soak", extra);
	fo = json_object_new_object();
	for (int i = 0; files[i]; i++) {
		char fp[PATH_MAX], val[80];

		snprintf(fp, sizeof(fp), "%s/%s", dir, files[i]);
		if (soak_sha256_file(fp, hex) < 0)
			continue;
		snprintf(val, sizeof(val), "sha256:%s", hex);
		json_object_object_add(fo, files[i],
				       json_object_new_string(val));
	}
	json_object_object_add(o, "files", fo);
	json_object_object_add(o, "finalized", json_object_new_boolean(true));
	rc = soak_write_json_atomic(path, o);
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot write: %s", path,
			 strerror(errno));
	json_object_put(o);
	return rc;
}
