/* SPDX-License-Identifier: MIT */
/* config.c - the .config loader (see config.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

/* Parse CONFIG_X=v and "# CONFIG_X is not set"; later lines override. */
int config_load(struct config *c, const char *path, bool merge)
{
	if (!merge) {
		map_init(&c->map);
		c->order = (struct vec){0};
	}
	char *buf = slurp(path, NULL);
	if (!buf) {
		fprintf(stderr, "kconfig-verify: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	int lineno = 0;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
			       line[len - 1] == '\t'))
			line[--len] = '\0';
		const char *name = NULL, *value = NULL;
		size_t nlen = 0;
		if (!strncmp(line, "CONFIG_", 7)) {
			char *eq = strchr(line, '=');
			if (!eq)
				continue;
			name = line + 7;
			nlen = (size_t)(eq - name);
			value = eq + 1;
		} else if (!strncmp(line, "# CONFIG_", 9)) {
			const char *s = line + 9, *e = s;
			while (is_sym_char((unsigned char)*e))
				e++;
			if (strcmp(e, " is not set"))
				continue;
			name = s;
			nlen = (size_t)(e - s);
			value = "n";
		} else {
			continue;
		}
		if (!nlen)
			continue;
		char *key = xstrndup(name, nlen);
		struct cval *cv = map_get(&c->map, key);
		if (!cv) {
			cv = xalloc(sizeof(*cv));
			cv->name = key;
			map_put(&c->map, key, cv);
			vpush(&c->order, cv);
		}
		cv->value = xstrdup(value);
		cv->file = path;
		cv->line = lineno;
	}
	return 0;
}

const char *config_value(const struct config *c, const char *name)
{
	const struct cval *cv = map_get(&c->map, name);
	return cv ? cv->value : NULL;
}
