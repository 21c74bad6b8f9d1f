/* SPDX-License-Identifier: MIT */
/* opslog.c - ops.jsonl writer and outcome classification. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "opslog.h"

static const char *const outcome_names[SOAK_OUTCOME_COUNT] = {
	"ok", "busy", "refused", "failed", "timeout",
};

const char *soak_outcome_name(enum soak_outcome o)
{
	return (unsigned)o < SOAK_OUTCOME_COUNT ? outcome_names[o] : "failed";
}

static bool has(const struct soak_exec_result *r, const char *needle)
{
	return strstr(r->err, needle) || strstr(r->out, needle);
}

enum soak_outcome soak_classify(const struct soak_exec_result *r)
{
	if (r->timed_out)
		return SOAK_TIMEOUT;
	if (r->exec_failed || r->interrupted)
		return SOAK_FAILED;
	/* iw prints errors as "command failed: STRERROR (-ERRNO)"; nmcli and
	 * wpa_cli have their own wording.  A busy answer can come with exit 0
	 * from wpa_cli ("FAIL-BUSY"), so text is checked first. */
	if (has(r, "(-16)") || has(r, "Device or resource busy") ||
	    has(r, "Scanning not allowed while already scanning") ||
	    has(r, "FAIL-BUSY"))
		return SOAK_BUSY;
	if (has(r, "(-95)") || has(r, "Operation not supported"))
		return SOAK_REFUSED;
	if (r->term_signal || r->exit_code != 0)
		return SOAK_FAILED;
	if (!strncmp(r->out, "FAIL", 4))
		return SOAK_FAILED; /* wpa_cli exits 0 on FAIL */
	return SOAK_OK;
}

static void first_line(const char *s, char *buf, size_t len)
{
	/* the most informative line: the last non-empty one of stderr */
	const char *best = NULL, *p = s;
	size_t blen = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l) {
			best = p;
			blen = l;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (!best) {
		buf[0] = '\0';
		return;
	}
	if (blen >= len)
		blen = len - 1;
	memcpy(buf, best, blen);
	buf[blen] = '\0';
}

void soak_error_text(const struct soak_exec_result *r, char *buf, size_t len)
{
	char line[512];

	buf[0] = '\0';
	if (r->exec_failed) {
		snprintf(buf, len, "cannot run: %s", strerror(r->exec_errno));
		return;
	}
	if (r->interrupted) {
		snprintf(buf, len, "interrupted by stop request");
		return;
	}
	first_line(r->err, line, sizeof(line));
	if (!line[0])
		first_line(r->out, line, sizeof(line));
	if (r->timed_out) {
		snprintf(buf, len, "timed out after %.1f s%s%s",
			 (double)(r->end_usec - r->start_usec) / 1e6,
			 line[0] ? ": " : "", line);
		return;
	}
	if (r->term_signal) {
		snprintf(buf, len, "killed by signal %d%s%s", r->term_signal,
			 line[0] ? ": " : "", line);
		return;
	}
	if (soak_classify(r) != SOAK_OK)
		snprintf(buf, len, "%s", line[0] ? line : "non-zero exit");
}

int soak_opslog_open(struct soak_opslog *l, const char *dir)
{
	char path[4096];

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "%s/ops.jsonl", dir);
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	return l->fd < 0 ? -1 : 0;
}

void soak_opslog_close(struct soak_opslog *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

struct json_object *soak_op_json(const char *op, char *const argv[],
				 const struct soak_exec_result *r,
				 enum soak_outcome outcome)
{
	struct json_object *o = json_object_new_object(), *cmd;
	char err[600];

	json_object_object_add(o, "op", json_object_new_string(op));
	json_object_object_add(o, "start_usec",
			       json_object_new_int64(r->start_usec));
	json_object_object_add(o, "end_usec",
			       json_object_new_int64(r->end_usec));
	cmd = json_object_new_array();
	for (size_t i = 0; argv && argv[i]; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(o, "cmd", cmd);
	json_object_object_add(
		o, "outcome",
		json_object_new_string(soak_outcome_name(outcome)));
	json_object_object_add(
		o, "exit",
		r->exit_code >= 0 ? json_object_new_int(r->exit_code) : NULL);
	if (r->term_signal)
		json_object_object_add(o, "signal",
				       json_object_new_int(r->term_signal));
	soak_error_text(r, err, sizeof(err));
	json_object_object_add(o, "error",
			       err[0] ? json_object_new_string(err) : NULL);
	return o;
}

void soak_opslog_count(struct soak_opslog *l, const char *op,
		       enum soak_outcome outcome)
{
	struct soak_kind *k = NULL;

	if (!op || !strcmp(op, "watcher") ||
	    (unsigned)outcome >= SOAK_OUTCOME_COUNT)
		return;
	for (size_t i = 0; i < l->nkinds && !k; i++)
		if (!strcmp(l->kinds[i].name, op))
			k = &l->kinds[i];
	if (!k) {
		if (l->nkinds == SOAK_KINDS_MAX)
			return;
		k = &l->kinds[l->nkinds++];
		snprintf(k->name, sizeof(k->name), "%s", op);
	}
	k->n[outcome]++;
}

uint64_t soak_kind_performed(const struct soak_kind *k)
{
	uint64_t n = 0;

	for (int i = 0; i < SOAK_OUTCOME_COUNT; i++)
		if (i != SOAK_BUSY)
			n += k->n[i];
	return n;
}

uint64_t soak_kind_failed(const struct soak_kind *k)
{
	return k->n[SOAK_FAILED] + k->n[SOAK_TIMEOUT];
}

bool soak_kind_failing(const struct soak_kind *k, double max_share)
{
	uint64_t done = soak_kind_performed(k);

	return done && (double)soak_kind_failed(k) > max_share * (double)done;
}

/* Append to a NUL-terminated buffer, cut at its end. */
static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

size_t soak_opslog_failing(const struct soak_opslog *l, double max_share,
			   char *text, size_t tlen, char *names, size_t nlen)
{
	size_t n = 0;

	if (tlen)
		text[0] = '\0';
	if (names && nlen)
		names[0] = '\0';
	for (size_t i = 0; i < l->nkinds; i++) {
		const struct soak_kind *k = &l->kinds[i];
		uint64_t done = soak_kind_performed(k),
			 bad = soak_kind_failed(k);
		char one[96];

		if (!soak_kind_failing(k, max_share))
			continue;
		snprintf(one, sizeof(one), "%s failing %.0f %% (%llu/%llu)",
			 k->name, 100.0 * (double)bad / (double)done,
			 (unsigned long long)bad, (unsigned long long)done);
		if (tlen)
			append(text, tlen, ", ", one);
		if (names && nlen)
			append(names, nlen, " ", k->name);
		n++;
	}
	return n;
}

struct json_object *soak_opslog_kinds_json(const struct soak_opslog *l,
					   double max_share)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < l->nkinds; i++) {
		const struct soak_kind *k = &l->kinds[i];
		struct json_object *e = json_object_new_object();
		uint64_t done = soak_kind_performed(k),
			 bad = soak_kind_failed(k);

		json_object_object_add(
			e, "ok", json_object_new_int64((int64_t)k->n[SOAK_OK]));
		json_object_object_add(
			e, "busy",
			json_object_new_int64((int64_t)k->n[SOAK_BUSY]));
		json_object_object_add(
			e, "refused",
			json_object_new_int64((int64_t)k->n[SOAK_REFUSED]));
		json_object_object_add(e, "failed",
				       json_object_new_int64((int64_t)bad));
		json_object_object_add(e, "performed",
				       json_object_new_int64((int64_t)done));
		json_object_object_add(
			e, "failed_share",
			done ? json_object_new_double((double)bad /
						      (double)done)
			     : NULL);
		json_object_object_add(
			e, "failing",
			json_object_new_boolean(
				soak_kind_failing(k, max_share)));
		json_object_object_add(o, k->name, e);
	}
	return o;
}

int soak_opslog_write(struct soak_opslog *l, struct json_object *op,
		      enum soak_outcome outcome)
{
	const char *s = json_object_to_json_string_ext(
		op, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(s);
	char *line = malloc(len + 1);
	struct json_object *name;
	int rc = -1;

	if (!line)
		goto out;
	memcpy(line, s, len);
	line[len] = '\n';
	/* O_APPEND + one write of a whole line: no torn lines from us; a
	 * short write (disk full) is cut back. */
	{
		off_t before = lseek(l->fd, 0, SEEK_END);
		ssize_t n = write(l->fd, line, len + 1);

		if (n != (ssize_t)(len + 1)) {
			int e = n < 0 ? errno : ENOSPC;

			if (n > 0 && before >= 0 &&
			    ftruncate(l->fd, before) < 0) {
				/* best effort */
			}
			errno = e;
			goto out;
		}
	}
	if (fsync(l->fd) < 0)
		goto out;
	l->ops++;
	if ((unsigned)outcome < SOAK_OUTCOME_COUNT)
		l->by_outcome[outcome]++;
	if (json_object_object_get_ex(op, "op", &name))
		soak_opslog_count(l, json_object_get_string(name), outcome);
	rc = 0;
out:
	free(line);
	json_object_put(op);
	return rc;
}
