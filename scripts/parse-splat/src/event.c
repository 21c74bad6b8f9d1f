/* SPDX-License-Identifier: MIT */
/*
 * event.c - event type names and the JSON form of an event.
 */
#include <string.h>

#include <json-c/json.h>

#include "splat/event.h"
#include "splat/record.h"

const char *splat_event_type_name(enum splat_event_type t)
{
	switch (t) {
	case SPLAT_EV_BOOT:
		return "boot";
	case SPLAT_EV_LOCKDEP:
		return "lockdep";
	case SPLAT_EV_LOCKDEP_OFF:
		return "lockdep-off";
	case SPLAT_EV_BUG:
		return "bug";
	case SPLAT_EV_PATTERN:
		return "pattern";
	case SPLAT_EV_PATTERN_PAIR:
		return "pattern-pair";
	case SPLAT_EV_SUPPRESSED:
		return "suppressed";
	case SPLAT_EV_LOST:
		return "lost";
	}
	return "unknown";
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

struct json_object *splat_event_to_json(const struct splat_event *ev)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	json_object_object_add(
		o, "type",
		json_object_new_string(splat_event_type_name(ev->type)));
	json_object_object_add(o, "kind", str_or_null(ev->kind));
	json_object_object_add(o, "title", str_or_null(ev->title));
	json_object_object_add(o, "signature", str_or_null(ev->signature));
	if (ev->ts_usec == SPLAT_TS_NONE) {
		json_object_object_add(o, "ts_usec", NULL);
		json_object_object_add(o, "uptime", NULL);
	} else {
		json_object_object_add(o, "ts_usec",
				       json_object_new_int64(ev->ts_usec));
		json_object_object_add(
			o, "uptime", json_object_new_double(ev->ts_usec / 1e6));
	}
	json_object_object_add(o, "boot", json_object_new_int64(ev->boot));
	json_object_object_add(o, "seq", json_object_new_uint64(ev->seq));
	json_object_object_add(o, "count", json_object_new_uint64(ev->count));
	json_object_object_add(o, "corrupted",
			       json_object_new_boolean(ev->corrupted));
	json_object_object_add(o, "disables_lockdep",
			       json_object_new_boolean(ev->disables_lockdep));
	if (ev->detail && json_object_is_type(ev->detail, json_type_object)) {
		json_object_object_foreach(ev->detail, key, val)
		{
			if (json_object_object_get_ex(o, key, NULL))
				continue; /* typed fields win */
			json_object_object_add(o, key, json_object_get(val));
		}
	}
	return o;
}
