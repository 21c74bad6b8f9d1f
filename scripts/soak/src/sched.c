/* SPDX-License-Identifier: MIT */
/* sched.c - stressor scheduling (see sched.h). */
#include "sched.h"

static uint64_t xorshift(uint64_t *st)
{
	uint64_t x = *st;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return x;
}

int64_t soak_sched_rand(struct soak_sched *s, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(xorshift(&s->rng) % (uint64_t)(hi - lo + 1));
}

static int64_t next_after(struct soak_sched *s,
			  const struct soak_sched_entry *e, int64_t now_ms)
{
	int64_t d = e->interval_ms +
		    soak_sched_rand(s, -e->jitter_ms, e->jitter_ms);

	if (d < 1000)
		d = 1000 < e->interval_ms ? 1000 : e->interval_ms;
	if (d < 1)
		d = 1;
	return now_ms + d;
}

void soak_sched_init(struct soak_sched *s, const struct soak_config *c,
		     const bool enabled[SOAK_ST_COUNT], int64_t now_ms,
		     uint64_t seed)
{
	*s = (struct soak_sched){0};
	s->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
	s->start_ms = now_ms;
	s->deadline_ms = now_ms + c->duration_ms;
	s->backoff_min_ms = c->busy_backoff_ms;
	s->backoff_max_ms = c->busy_backoff_max_ms < c->busy_backoff_ms
				    ? c->busy_backoff_ms
				    : c->busy_backoff_max_ms;
	s->max_ops = c->max_ops;
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		struct soak_sched_entry *e = &s->e[i];

		e->interval_ms = c->period[i].interval_ms;
		e->jitter_ms = c->period[i].jitter_ms;
		if (e->jitter_ms >= e->interval_ms)
			e->jitter_ms = e->interval_ms / 2;
		e->enabled = enabled[i] && e->interval_ms > 0;
		if (e->enabled)
			e->next_ms =
				now_ms + soak_sched_rand(s, 0, e->interval_ms);
	}
}

int soak_sched_next(const struct soak_sched *s, int64_t now_ms, int64_t *due_ms)
{
	int best = -1;

	if (s->ops >= s->max_ops || now_ms >= s->deadline_ms)
		return -1;
	for (int i = 0; i < SOAK_ST_COUNT; i++) {
		const struct soak_sched_entry *e = &s->e[i];

		if (!e->enabled || e->next_ms >= s->deadline_ms)
			continue;
		if (best < 0 || e->next_ms < s->e[best].next_ms)
			best = i;
	}
	if (best >= 0 && due_ms)
		*due_ms = s->e[best].next_ms;
	return best;
}

void soak_sched_done(struct soak_sched *s, int i, int64_t now_ms,
		     enum soak_outcome outcome)
{
	struct soak_sched_entry *e;

	if (i < 0 || i >= SOAK_ST_COUNT)
		return;
	e = &s->e[i];
	s->ops++;
	e->runs++;
	if (outcome == SOAK_BUSY) {
		e->busy++;
		e->backoff_ms =
			e->backoff_ms ? e->backoff_ms * 2 : s->backoff_min_ms;
		if (e->backoff_ms > s->backoff_max_ms)
			e->backoff_ms = s->backoff_max_ms;
		e->next_ms = now_ms + e->backoff_ms;
		return;
	}
	e->backoff_ms = 0;
	e->next_ms = next_after(s, e, now_ms);
}
