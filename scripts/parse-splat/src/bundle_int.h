/* SPDX-License-Identifier: MIT */
/* bundle_int.h - internal to the bundle modules (not an API). */
#ifndef SPLAT_BUNDLE_INT_H
#define SPLAT_BUNDLE_INT_H

#include "splat/bundle.h"

/* Fill b->ops from DIR/ops.jsonl (a missing file is no operations);
 * summary (may be NULL) maps boot ids to boot indexes. */
int splat_bundle_read_ops(struct splat_bundle *b,
			  const struct json_object *summary, char *err,
			  size_t errlen);

/* Fill b->events from DIR/events.jsonl (stored mode). */
int splat_bundle_read_events(struct splat_bundle *b, char *err, size_t errlen);

/* Append one timeline point. */
int splat_bundle_add_event(struct splat_bundle *b, unsigned boot,
			   int64_t ts_usec, uint64_t count, const char *series);

#endif
