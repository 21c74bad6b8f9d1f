/* SPDX-License-Identifier: MIT */
/*
 * test_lockdep - the recogniser on fixtures of our own, one per report kind
 * (tests/fixtures/splat/), the seed splat in every input format
 * (tests/fixtures/input/seed-splat.*), interleaved CPUs, truncated reports,
 * boot changes and lost records.  Table-driven: a fixture and what must come
 * out of it (kind, title, irq class, signature, task, locks with usage bits
 * and wait types, corrupted flag).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "splat_test_events.h"
#include "../src/lockdep_int.h"

struct lock_expect {
	const char *role, *cls, *usage, *wait, *site;
};

struct fx {
	const char *file;
	enum splat_event_type type;
	const char *kind;
	const char *title;
	const char *irq; /* NULL: none expected */
	const char *sig; /* exact signature, or NULL: not checked */
	bool corrupted;
	bool disables;
	const char *task; /* NULL: not checked */
	long pid;
	struct lock_expect locks[3];
	const char *frames_key; /* detail array that must contain... */
	const char *frame;	/* ...this frame */
};

static const struct fx fixtures[] = {
	{.file = "circular.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "circular",
	 .title = "possible deadlock in bes2600_hw_scan",
	 .sig = "circular:&rdev->wiphy.mtx -> &hw_priv->conf_mutex",
	 .disables = true,
	 .task = "wpa_supplicant",
	 .pid = 611,
	 .locks = {{"acquiring", "&hw_priv->conf_mutex", "+.+.", "4:4",
		    "bes2600_hw_scan+0x5c/0x3a0 [bes2600]"},
		   {"held", "&rdev->wiphy.mtx", "+.+.", "4:4",
		    "nl80211_pre_doit+0xd0/0x2a0 [cfg80211]"},
		   {"held-list", "cb_lock", "++++", "4:4",
		    "genl_rcv+0x28/0x58"}},
	 .frames_key = "stack",
	 .frame = "bes2600_hw_scan+0x5c/0x3a0 [bes2600]"},
	{.file = "hardirq-read.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "irq-safe-unsafe",
	 .title = "possible deadlock in foo_rx",
	 .irq = "HARDIRQ-READ",
	 .sig = "irq-safe-unsafe:HARDIRQ-READ:&dev->state_lock -> &dev->rx_lock",
	 .disables = true,
	 .task = "swapper/0",
	 .pid = 1,
	 .locks = {{"safe", "&dev->state_lock", "-.-.", "2:2", NULL},
		   {"unsafe", "&dev->rx_lock", ".+.?", "3:3", NULL},
		   {"acquiring", "&dev->rx_lock", ".+.?", "3:3",
		    "foo_rx+0x20/0x90 [foo]"}},
	 .frames_key = "unsafe_at",
	 .frame = "foo_worker+0x5c/0x140 [foo]"},
	{.file = "recursive.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "recursive",
	 .title = "possible deadlock in bar_reset",
	 .sig = "recursive:&priv->mutex -> &priv->mutex",
	 .disables = true,
	 .task = "kworker/0:2",
	 .pid = 88,
	 .locks = {{"acquiring", "&priv->mutex", "+.+.", "4:4",
		    "bar_reset+0x30/0xb0 [bar]"},
		   {"held", "&priv->mutex", "+.+.", "4:4",
		    "bar_work+0x24/0x80 [bar]"}}},
	{.file = "inconsistent.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "inconsistent",
	 .title =
		 "inconsistent lock state in bes2600_tx_loop_item_pending_check",
	 .irq = "SOFTIRQ",
	 .sig = "inconsistent:SOFTIRQ:&hw_priv->tx_loop.pending_record_lock",
	 .disables = true,
	 .task = "ksoftirqd/2",
	 .pid = 27,
	 .locks = {{"taking", "&hw_priv->tx_loop.pending_record_lock", "+.?.",
		    "2:2",
		    "bes2600_tx_loop_item_pending_check+0x3c/0xd8 [bes2600]"}},
	 .frames_key = "state_at",
	 .frame = "bes2600_queue_get_skb+0x64/0x2f0 [bes2600]"},
	{.file = "irq-inversion.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "irq-inversion",
	 .title = "possible deadlock in baz_timer_fn",
	 .irq = "SOFTIRQ",
	 .sig = "irq-inversion:SOFTIRQ:&ctx->timer_lock -> &ctx->list_lock",
	 .disables = true,
	 .task = "swapper/1",
	 .pid = 0,
	 .locks = {{"changed", "&ctx->timer_lock", "..-.", "2:2",
		    "baz_timer_fn+0x28/0x90 [baz]"},
		   {"other", "&ctx->list_lock", "+.+.", "2:2", NULL}}},
	{.file = "invalid-wait.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "invalid-wait",
	 .title = "WARNING: locking bug in bes2600_get_stats",
	 .disables = true,
	 .task = "iw",
	 .pid = 4448,
	 .locks = {{"acquiring", "&hw_priv->conf_mutex", "+.+.", "4:4",
		    "bes2600_get_stats+0x30/0x90 [bes2600]"},
		   {"held-list", "&local->sta_mtx", "+.+.", "2:2", NULL}}},
	{.file = "bad-unlock.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "bad-unlock",
	 .title = "WARNING: bad unlock balance in bes2600_queue_remove",
	 .sig = "bad-unlock:&queue->lock",
	 .disables = true,
	 .task = "kworker/u16:3",
	 .pid = 19522,
	 .locks = {{"releasing", "&queue->lock", NULL, NULL,
		    "bes2600_queue_remove+0xe1/0x130 [bes2600]"}}},
	{.file = "held-lock-freed.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "held-lock-freed",
	 .title = "WARNING: held lock freed in bes2600_remove_interface",
	 .sig = "held-lock-freed:&vif->lock",
	 .disables = true,
	 .task = "kworker/1:1",
	 .pid = 3505,
	 .locks = {{"freed", "&vif->lock", "+.+.", "2:2",
		    "bes2600_remove_interface+0x509/0x8d0 [bes2600]"}}},
	{.file = "nested-lock.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "nested-lock",
	 .title = "WARNING: nested lock was not taken in evict",
	 .sig = "nested-lock:&s->s_inode_list_lock",
	 .disables = true,
	 .task = "mount",
	 .pid = 3315,
	 .locks = {{"acquiring", "&s->s_inode_list_lock", "+.+.", "2:2",
		    "evict+0x90/0x334"}}},
	{.file = "lock-held-return-user.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "lock-held-return-user",
	 .title =
		 "WARNING: lock held when returning to user space in bes2600_testmode_cmd",
	 .sig = "lock-held-return-user:&hw_priv->conf_mutex",
	 .disables = true,
	 .task = "iw",
	 .pid = 1234,
	 .locks = {{"held-list", "&hw_priv->conf_mutex", "+.+.", "4:4",
		    "bes2600_testmode_cmd+0x44/0x200 [bes2600]"}}},
	{.file = "locks-held.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "locks-held",
	 .title = "WARNING: still has locks held in bes2600_queue_flush",
	 .sig = "locks-held:&queue->lock",
	 .disables = true,
	 .task = "kworker/0:1",
	 .pid = 4398,
	 .locks = {{"held-list", "&queue->lock", "+.-.", "2:2",
		    "bes2600_queue_flush+0x24/0x2f0 [bes2600]"}}},
	{.file = "rcu.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "rcu",
	 .title = "WARNING: suspicious RCU usage in bes2600_sta_notify",
	 .sig = "rcu:bes2600_sta_notify",
	 .pid = -1,
	 .locks = {{NULL}},
	 .frames_key = "stack",
	 .frame = "bes2600_sta_notify+0x88/0x1a0 [bes2600]"},
	{.file = "old-inconsistent.txt",
	 .type = SPLAT_EV_LOCKDEP,
	 .kind = "inconsistent",
	 .title = "inconsistent lock state in inet_ehash_insert",
	 .irq = "SOFTIRQ",
	 .disables = true,
	 .task = "syz-executor",
	 .pid = 7788,
	 .locks = {{"taking", "&(&hashinfo->ehash_locks[i])->rlock", "+.?...",
		    NULL, "inet_ehash_insert+0x1e6/0x7e0"},
		   {"held-list", "sk_lock-AF_INET", "+.+.+.", NULL,
		    "inet_stream_connect+0x43/0xa0"}}},
	{.file = "lockdep-off.txt",
	 .type = SPLAT_EV_LOCKDEP_OFF,
	 .kind = "max-too-low",
	 .title = "BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low!",
	 .disables = true,
	 .pid = -1,
	 .locks = {{NULL}}},
	{.file = "non-static-key.txt",
	 .type = SPLAT_EV_LOCKDEP_OFF,
	 .kind = "non-static-key",
	 .title =
		 "INFO: trying to register non-static key in bes2600_tx_loop_init",
	 .disables = true,
	 .pid = -1,
	 .locks = {{NULL}}},
	{.file = "taint.txt",
	 .type = SPLAT_EV_LOCKDEP_OFF,
	 .kind = "taint",
	 .title = "Disabling lock debugging due to kernel taint",
	 .disables = true,
	 .pid = -1,
	 .locks = {{NULL}}},
	{.file = "sleep-in-atomic.txt",
	 .type = SPLAT_EV_BUG,
	 .kind = "sleep-in-atomic",
	 .title =
		 "BUG: sleeping function called from invalid context in bes2600_pwr_set_busy_event",
	 .pid = -1,
	 .locks = {{NULL}}},
};

static void check_lock(const struct tev *e, const struct lock_expect *x)
{
	json_object *l = tev_lock(e, x->role);
	if (!l) {
		print_error("%s: no lock with role %s\n", e->title, x->role);
		fail();
	}
	assert_string_equal(splat_jstr(l, "class"), x->cls);
	if (x->usage)
		assert_string_equal(splat_jstr(l, "usage"), x->usage);
	if (x->wait)
		assert_string_equal(splat_jstr(l, "wait_type"), x->wait);
	else
		assert_null(splat_jstr(l, "wait_type"));
	if (x->site)
		assert_string_equal(splat_jstr(l, "site"), x->site);
}

static bool array_has(const struct tev *e, const char *key, const char *s)
{
	json_object *a;
	if (!e->detail || !json_object_object_get_ex(e->detail, key, &a) || !a)
		return false;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(a, i)),
			    s))
			return true;
	return false;
}

static void run_fixture(const char *name, struct tevs *ev)
{
	char path[4096];
	snprintf(path, sizeof(path),
		 "%s/scripts/parse-splat/tests/fixtures/splat/%s", top_dir(),
		 name);
	long n = run_file(path, SPLAT_FORMAT_AUTO, NULL, ev);
	if (n <= 0) {
		print_error("cannot read %s\n", path);
		fail();
	}
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fx *f = &fixtures[i];
		struct tevs ev = {0};
		run_fixture(f->file, &ev);
		printf("  %-26s", f->file);
		/* exactly one event of the type, of the right kind */
		assert_int_equal(tevs_count(&ev, f->type, NULL), 1);
		const struct tev *e = tevs_find(&ev, f->type, f->kind);
		if (!e) {
			print_error("%s: no %s event of kind %s\n", f->file,
				    splat_event_type_name(f->type), f->kind);
			fail();
		}
		printf(" %-22s %s\n", e->kind, e->title);
		assert_string_equal(e->title, f->title);
		assert_int_equal(e->corrupted, f->corrupted);
		assert_int_equal(e->disables, f->disables);
		if (f->irq)
			assert_string_equal(tev_str(e, "irq_class"), f->irq);
		else if (f->type == SPLAT_EV_LOCKDEP)
			assert_null(tev_str(e, "irq_class"));
		if (f->sig)
			assert_string_equal(e->sig, f->sig);
		/* signatures never carry addresses */
		assert_null(strstr(e->sig, "0x"));
		assert_null(strstr(e->sig, "ffff"));
		if (f->task) {
			assert_string_equal(tev_str(e, "task"), f->task);
			json_object *pid;
			assert_true(json_object_object_get_ex(e->detail, "pid",
							      &pid));
			assert_int_equal(json_object_get_int64(pid), f->pid);
		}
		for (unsigned l = 0; l < 3 && f->locks[l].role; l++)
			check_lock(e, &f->locks[l]);
		if (f->frames_key)
			assert_true(array_has(e, f->frames_key, f->frame));
		/* lockdep reports are never reported as bugs too */
		if (f->type != SPLAT_EV_BUG)
			assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, NULL),
					 0);
		else
			assert_int_equal(
				tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 0);
		tevs_free(&ev);
	}
}

/* The seed splat (besser#18), rebuilt by the reader helper in every input
 * format: same report, same locks, same usage bits. */
static void test_seed_all_formats(void **state)
{
	(void)state;
	static const char *const files[] = {
		"seed-splat.dmesg.txt",	   "seed-splat.kmsg",
		"seed-splat.journal.json", "seed-splat.dmesg.json",
		"seed-splat.export",
	};
	unsigned tested = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path),
			 "%s/scripts/parse-splat/tests/fixtures/input/%s",
			 top_dir(), files[i]);
		FILE *probe = fopen(path, "r");
		if (!probe) {
			printf("  %s: not there, skipped\n", files[i]);
			continue;
		}
		fclose(probe);
		struct tevs ev = {0};
		assert_true(run_file(path, SPLAT_FORMAT_AUTO, NULL, &ev) > 0);
		assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 1);
		const struct tev *e =
			tevs_find(&ev, SPLAT_EV_LOCKDEP, "irq-safe-unsafe");
		assert_non_null(e);
		printf("  %-26s %s | %s\n", files[i], e->title, e->sig);
		assert_false(e->corrupted);
		assert_true(e->disables);
		assert_string_equal(e->title,
				    "possible deadlock in bes2600_queue_clear");
		assert_string_equal(tev_str(e, "site_function"),
				    "bes2600_queue_clear");
		/* where &queue->lock became SOFTIRQ-safe (syzkaller's title) */
		assert_string_equal(tev_str(e, "safe_function"), "bes2600_tx");
		assert_string_equal(tev_str(e, "irq_class"), "SOFTIRQ");
		assert_string_equal(e->sig,
				    "irq-safe-unsafe:SOFTIRQ:&queue->lock -> "
				    "&hw_priv->tx_loop.pending_record_lock");
		assert_string_equal(tev_str(e, "task"), "kworker/u16:1");
		assert_int_equal(e->ts, 5140123470LL);
		static const struct lock_expect locks[] = {
			{"safe", "&queue->lock", "+.-.", "2:2", NULL},
			{"unsafe", "&hw_priv->tx_loop.pending_record_lock",
			 "+.+.", "2:2", NULL},
			{"acquiring", "&hw_priv->tx_loop.pending_record_lock",
			 "+.+.", "2:2",
			 "bes2600_queue_clear+0x80/0x1a0 [bes2600]"},
			{"held", "&queue->lock", "+.-.", "2:2",
			 "bes2600_queue_clear+0x60/0x1a0 [bes2600]"},
		};
		for (size_t l = 0; l < sizeof(locks) / sizeof(locks[0]); l++)
			check_lock(e, &locks[l]);
		assert_true(array_has(e, "safe_at",
				      "bes2600_tx+0x2a4/0x5b0 [bes2600]"));
		assert_true(array_has(
			e, "unsafe_at",
			"bes2600_queue_get_skb+0x64/0x2f0 [bes2600]"));
		assert_true(
			array_has(e, "stack",
				  "bes2600_queue_clear+0x80/0x1a0 [bes2600]"));
		/* the stack keeps the meaningful frames, not dump_stack */
		assert_false(array_has(e, "stack", "dump_backtrace+0x98/0xf0"));
		tevs_free(&ev);
		tested++;
	}
	assert_true(tested >= 1);
}

/* CONFIG_PRINTK_CALLER: two reports printed at once by two tasks, with a
 * CPU's line in between, come out whole and clean. */
static void test_interleaved_callers(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("interleaved.txt", &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 2);
	const struct tev *r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	const struct tev *b = tevs_find(&ev, SPLAT_EV_LOCKDEP, "bad-unlock");
	assert_non_null(r);
	assert_non_null(b);
	assert_string_equal(r->title, "possible deadlock in bar_reset");
	assert_string_equal(
		b->title,
		"WARNING: bad unlock balance in bes2600_testmode_cmd");
	assert_false(r->corrupted);
	assert_false(b->corrupted);
	assert_string_equal(tev_str(r, "caller"), "T100");
	assert_string_equal(tev_str(b, "caller"), "T200");
	assert_string_equal(b->sig, "bad-unlock:&hw_priv->conf_mutex");
	tevs_free(&ev);
}

/* Without caller ids a line known to be foreign (a pattern line) inside a
 * report marks it corrupted, and the foreign lines still count (here: a
 * pattern-a pair).  Lines that nothing recognises cannot be told apart
 * from the report's own: without patterns the report stays clean. */
static void test_interleaved_no_caller(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("interleaved-nocaller.txt", &ev);
	const struct tev *r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_non_null(r);
	assert_false(r->corrupted);
	assert_string_equal(r->title, "possible deadlock in bar_reset");
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, "pattern-a"),
			 0);
	tevs_free(&ev);

	/* with the built-in patterns loaded the pair is counted */
	struct splat_patterns *p = splat_patterns_new();
	char path[4096];
	snprintf(
		path, sizeof(path),
		"%s/scripts/parse-splat/tests/fixtures/splat/interleaved-nocaller.txt",
		top_dir());
	assert_true(run_file(path, SPLAT_FORMAT_AUTO, p, &ev) > 0);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN_PAIR, "pattern-a"),
			 1);
	r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_true(r->corrupted);
	assert_string_equal(tev_str(r, "corrupted_reason"), "interleaved");
	assert_string_equal(r->title, "possible deadlock in bar_reset");
	tevs_free(&ev);
	splat_patterns_free(p);
}

/* A report cut by the next report, and one cut by the end of the stream. */
static void test_truncated(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("truncated.txt", &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 2);
	const struct tev *c = tevs_find(&ev, SPLAT_EV_LOCKDEP, "circular");
	const struct tev *s =
		tevs_find(&ev, SPLAT_EV_LOCKDEP, "irq-safe-unsafe");
	assert_true(c->corrupted);
	assert_string_equal(tev_str(c, "corrupted_reason"), "next-report");
	/* what was there is kept */
	assert_string_equal(c->title, "possible deadlock in bes2600_hw_scan");
	assert_true(s->corrupted);
	assert_string_equal(tev_str(s, "corrupted_reason"), "end-of-stream");
	/* cut before its safe/unsafe locks: held -> acquiring instead */
	assert_string_equal(s->sig, "irq-safe-unsafe:SOFTIRQ:&queue->lock -> "
				    "&hw_priv->tx_loop.pending_record_lock");
	/* its title needs only the acquisition site, which is there */
	assert_string_equal(s->title,
			    "possible deadlock in bes2600_queue_clear");
	tevs_free(&ev);
}

static const char report_head[] =
	"[ 10.000000] ============================================\n"
	"[ 10.000001] WARNING: possible recursive locking detected\n"
	"[ 10.000002] 6.12.7 #1 Not tainted\n"
	"[ 10.000003] --------------------------------------------\n"
	"[ 10.000004] kworker/0:2/88 is trying to acquire lock:\n"
	"[ 10.000005] ffff0000c1234568 (&priv->mutex){+.+.}-{4:4}, at: bar_reset+0x30/0xb0 [bar]\n";

/* Hand-built records: a boot change or lost records inside a report. */
static void test_boot_change_and_lost(void **state)
{
	(void)state;
	char text[4096];
	struct tevs ev = {0};

	snprintf(text, sizeof(text), "%s#boot\n[ 1.000000] Booting Linux\n",
		 report_head);
	run_text(text, NULL, &ev);
	const struct tev *r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_non_null(r);
	assert_true(r->corrupted);
	assert_string_equal(tev_str(r, "corrupted_reason"), "boot-change");
	assert_int_equal(r->boot, 0);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_BOOT, NULL), 2);
	tevs_free(&ev);

	snprintf(
		text, sizeof(text),
		"%s#lost 7\n[ 10.000010] stack backtrace:\n"
		"[ 10.000011] Call trace:\n[ 10.000012]  bar_reset+0x30/0xb0 [bar]\n",
		report_head);
	run_text(text, NULL, &ev);
	r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_true(r->corrupted);
	assert_string_equal(tev_str(r, "corrupted_reason"), "lost-records");
	const struct tev *l = tevs_find(&ev, SPLAT_EV_LOST, NULL);
	assert_non_null(l);
	assert_int_equal(l->count, 7);
	tevs_free(&ev);

	/* the same report whole: clean; and a complete report is closed by
	 * a quiet second even though its task prints nothing more */
	snprintf(
		text, sizeof(text),
		"%s[ 10.000010] stack backtrace:\n"
		"[ 10.000011] Call trace:\n[ 10.000012]  bar_reset+0x30/0xb0 [bar]\n"
		"[ 10.000013]  bar_work+0x40/0x80 [bar]\n",
		report_head);
	run_text(text, NULL, &ev);
	r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_false(r->corrupted);
	assert_null(tev_str(r, "corrupted_reason"));
	tevs_free(&ev);
}

/* A live follower's tick closes a complete report (quiet for 1 s) and an
 * expired pattern window without waiting for the next line. */
static void test_tick(void **state)
{
	(void)state;
	struct tevs ev = {0};
	struct splat_patterns *p = splat_patterns_new();
	struct splat_analyzer *a = splat_analyzer_new(p, tevs_sink, &ev);
	char text[4096];
	snprintf(
		text, sizeof(text),
		"%s[ 10.000010] stack backtrace:\n"
		"[ 10.000011] Call trace:\n[ 10.000012]  bar_reset+0x30/0xb0 [bar]\n"
		"[ 10.500000] bes2600: wsm_generic_confirm failed for request 0x0007.\n",
		report_head);
	feed_lines(a, text);
	/* the pattern line was foreign to the (complete) report: it ended it */
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 1);
	assert_false(tevs_find(&ev, SPLAT_EV_LOCKDEP, NULL)->corrupted);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN, NULL), 0);
	splat_analyzer_tick(a, 11000000); /* 0.5 s: still inside 2 s */
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN, NULL), 0);
	splat_analyzer_tick(a, 13000000); /* 2.5 s: unpaired */
	assert_int_equal(tevs_count(&ev, SPLAT_EV_PATTERN, NULL), 1);
	tevs_free(&ev);
	splat_analyzer_free(a);

	/* with caller ids: the report's task goes quiet */
	a = splat_analyzer_new(NULL, tevs_sink, &ev);
	feed_lines(
		a,
		"[ 20.000000][ T9] WARNING: possible recursive locking detected\n"
		"[ 20.000001][ T9] x/9 is trying to acquire lock:\n"
		"[ 20.000002][ T9] ffff (&a->l){+.+.}-{2:2}, at: f+0x1/0x2\n"
		"[ 20.000003][ T9] stack backtrace:\n"
		"[ 20.000004][ T9] Call trace:\n"
		"[ 20.000005][ T9]  f+0x1/0x2\n");
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 0);
	splat_analyzer_tick(a, 20500000);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 0);
	splat_analyzer_tick(a, 21200000);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 1);
	assert_false(tevs_find(&ev, SPLAT_EV_LOCKDEP, NULL)->corrupted);
	assert_string_equal(tevs_find(&ev, SPLAT_EV_LOCKDEP, NULL)->title,
			    "possible deadlock in f");
	splat_analyzer_finish(a);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 1);
	tevs_free(&ev);
	splat_analyzer_free(a);
	splat_patterns_free(p);
}

/* A Oops while lockdep prints: the Oops counts as a bug, the report keeps
 * the Oops's stack and is corrupted. WARN/BUG/Oops are never lockdep. */
static void test_not_lockdep(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("warn-oops.txt", &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP, NULL), 0);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, NULL), 3);
	const struct tev *w = tevs_find(&ev, SPLAT_EV_BUG, "warning");
	assert_string_equal(w->title, "WARNING in wsm_generic_confirm");
	assert_false(w->disables);
	const struct tev *o = tevs_find(&ev, SPLAT_EV_BUG, "oops");
	assert_string_equal(o->title,
			    "BUG: unable to handle kernel NULL pointer "
			    "dereference in bes2600_queue_clear");
	assert_true(o->disables);
	assert_false(o->corrupted);
	assert_true(tevs_find(&ev, SPLAT_EV_BUG, "panic")->disables);
	tevs_free(&ev);

	char text[4096];
	snprintf(
		text, sizeof(text),
		"%s[ 10.000006] Unable to handle kernel paging request at virtual address 0000000100000017\n"
		"[ 10.000007] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP\n"
		"[ 10.000008] pc : __lock_acquire+0x7cc/0x30a4\n"
		"[ 10.000009] Call trace:\n"
		"[ 10.000010]  __lock_acquire+0x7cc/0x30a4\n"
		"[ 10.000011]  bar_reset+0x30/0xb0 [bar]\n",
		report_head);
	run_text(text, NULL, &ev);
	const struct tev *r = tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
	assert_non_null(r);
	assert_true(r->corrupted);
	assert_string_equal(tev_str(r, "corrupted_reason"), "oops");
	assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, "oops"), 1);
	assert_true(tevs_find(&ev, SPLAT_EV_BUG, "oops")->disables);
	tevs_free(&ev);
}

/* MAX_* too low then "turning off ...": one event, not two; a bare
 * "turning off" is an event of its own. */
static void test_lockdep_off(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("lockdep-off.txt", &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP_OFF, NULL), 1);
	tevs_free(&ev);
	run_text("[ 5.0] turning off the locking correctness validator.\n",
		 NULL, &ev);
	const struct tev *e =
		tevs_find(&ev, SPLAT_EV_LOCKDEP_OFF, "validator-off");
	assert_non_null(e);
	assert_true(e->disables);
	tevs_free(&ev);
	static const char *const max[] = {"KEYS", "ENTRIES", "CHAINS",
					  "CHAIN_HLOCKS"};
	for (size_t i = 0; i < 4; i++) {
		char line[128], title[128];
		snprintf(line, sizeof(line),
			 "[ 5.0] BUG: MAX_LOCKDEP_%s too low!\n", max[i]);
		snprintf(title, sizeof(title), "BUG: MAX_LOCKDEP_%s too low!",
			 max[i]);
		run_text(line, NULL, &ev);
		e = tevs_find(&ev, SPLAT_EV_LOCKDEP_OFF, "max-too-low");
		assert_non_null(e);
		assert_string_equal(e->title, title);
		tevs_free(&ev);
	}
	run_text("[ 5.0] BUG: MAX_STACK_TRACE_ENTRIES too low!\n"
		 "[ 5.1] BUG: MAX_LOCK_DEPTH too low!\n",
		 NULL, &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_LOCKDEP_OFF, "max-too-low"),
			 2);
	tevs_free(&ev);
}

static void test_kind_list(void **state)
{
	(void)state;
	static const char *const need[] = {
		"circular",	 "irq-safe-unsafe",
		"recursive",	 "inconsistent",
		"irq-inversion", "invalid-wait",
		"bad-unlock",	 "held-lock-freed",
		"nested-lock",	 "lock-held-return-user",
		"locks-held",	 "rcu",
	};
	const char *const *k = splat_lockdep_kinds();
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		bool found = false;
		for (size_t j = 0; k[j]; j++)
			if (!strcmp(k[j], need[i]))
				found = true;
		if (!found) {
			print_error("kind %s missing\n", need[i]);
			fail();
		}
		enum splat_event_type t;
		assert_int_equal(splat_kind_lookup(need[i], &t), 0);
		assert_int_equal(t, SPLAT_EV_LOCKDEP);
	}
	enum splat_event_type t;
	assert_int_equal(splat_kind_lookup("max-too-low", &t), 0);
	assert_int_equal(t, SPLAT_EV_LOCKDEP_OFF);
	assert_int_equal(splat_kind_lookup("sleep-in-atomic", &t), 0);
	assert_int_equal(t, SPLAT_EV_BUG);
	assert_int_equal(splat_kind_lookup("no-such-kind", &t), -1);
}

/* The event's JSON form carries typed fields and detail, and null for an
 * unknown time. */
static void test_event_json(void **state)
{
	(void)state;
	struct tevs ev = {0};
	run_fixture("recursive.txt", &ev);
	const struct tev *e = tevs_find(&ev, SPLAT_EV_LOCKDEP, NULL);
	struct splat_event se = {
		.type = e->type,
		.kind = e->kind,
		.title = e->title,
		.signature = e->sig,
		.ts_usec = e->ts,
		.boot = e->boot,
		.seq = e->seq,
		.count = 1,
		.corrupted = e->corrupted,
		.disables_lockdep = e->disables,
		.detail = e->detail,
	};
	json_object *o = splat_event_to_json(&se);
	assert_string_equal(splat_jstr(o, "type"), "lockdep");
	assert_string_equal(splat_jstr(o, "kind"), "recursive");
	assert_string_equal(splat_jstr(o, "task"), "kworker/0:2");
	json_object *v;
	assert_true(json_object_object_get_ex(o, "ts_usec", &v));
	assert_int_equal(json_object_get_int64(v), 55100002);
	json_object_put(o);
	se.ts_usec = SPLAT_TS_NONE;
	o = splat_event_to_json(&se);
	assert_true(json_object_object_get_ex(o, "ts_usec", &v));
	assert_null(v);
	json_object_put(o);
	tevs_free(&ev);
}

/* Every header the kind table describes passes ld_match()'s first-byte
 * and first-two-byte filters (and the skip sets built from them): built
 * from each row and each leading word it takes, with and without "[ " and
 * leading blanks, it must match some row. */
static void test_header_filters(void **state)
{
	static const char *const words[4] = {"",
					     "WARNING: ", "BUG: ", "INFO: "};
	static const char *const leads[] = {"", "[ ", "  ", "\t"};
	unsigned char first[256];
	static uint8_t pair[256][32];
	unsigned lines = 0;
	(void)state;
	ld_first_bytes(first, pair);
	for (size_t i = 0; i < splat_ld_nkinds; i++) {
		const struct ld_kind *k = &splat_ld_kinds[i];
		for (unsigned wi = 0; wi < 4; wi++) {
			if (!(k->words & (1u << wi)))
				continue;
			for (size_t l = 0; l < sizeof(leads) / sizeof(leads[0]);
			     l++) {
				char line[512];
				unsigned word;
				snprintf(line, sizeof(line), "%s%s%s%s%s x",
					 leads[l], words[wi], k->prefix,
					 k->contains ? " " : "",
					 k->contains ? k->contains : "");
				if (!ld_match(line, strlen(line), &word)) {
					print_error(
						"row %zu (%s), word '%s': '%s' "
						"not matched\n",
						i, k->kind, words[wi], line);
					fail();
				}
				const unsigned char *u =
					(const unsigned char *)line;
				while (*u == ' ' || *u == '\t')
					u++;
				assert_true(first[u[0]]);
				assert_true(pair[u[0]][u[1] >> 3] &
					    (1u << (u[1] & 7)));
				lines++;
			}
		}
	}
	/* and ordinary lines that share a first byte with headers do not */
	static const char *const plain[] = {
		"IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
		"Bluetooth: hci0: BES2600 firmware version 1.2",
		"Modules linked in: bes2600(O)",
		"[SCAN] Scan failed (-22).",
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const unsigned char *u = (const unsigned char *)plain[i];
		unsigned word;
		assert_null(ld_match(plain[i], strlen(plain[i]), &word));
		assert_false(first[u[0]] &&
			     (pair[u[0]][u[1] >> 3] & (1u << (u[1] & 7))));
	}
	printf("header filters: %u header lines from %zu rows pass\n", lines,
	       splat_ld_nkinds);
}

/* ---- report assembly on real output (issue 11 §2) -------------------
 * Fixtures real-*.txt are reports as pasted in public mailing lists and
 * bug trackers (the source is the fixture's first line). */

/* Text through the reader (real line prefixes), from memory. */
static void run_mem(const char *text, struct tevs *ev)
{
	struct splat_reader *r = splat_reader_open_mem(
		text, strlen(text), "mem", SPLAT_FORMAT_AUTO);
	assert_non_null(r);
	splat_reader_set_diag(r, quiet_diag, NULL);
	assert_true(run_reader(r, NULL, ev) > 0);
	splat_reader_close(r);
}

/* The lock of a class in an event's detail, or NULL. */
static json_object *lock_by_class(const struct tev *e, const char *cls)
{
	json_object *locks;
	if (!e->detail ||
	    !json_object_object_get_ex(e->detail, "locks", &locks))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(locks); i++) {
		json_object *l = json_object_array_get_idx(locks, i);
		const char *c = splat_jstr(l, "class");
		if (c && !strcmp(c, cls))
			return l;
	}
	return NULL;
}

static size_t lock_count(const struct tev *e, const char *role)
{
	json_object *locks;
	size_t n = 0;
	if (!e->detail ||
	    !json_object_object_get_ex(e->detail, "locks", &locks))
		return 0;
	for (size_t i = 0; i < json_object_array_length(locks); i++) {
		const char *r =
			splat_jstr(json_object_array_get_idx(locks, i), "role");
		if (r && !strcmp(r, role))
			n++;
	}
	return n;
}

/* Task and pid: from "N locks held by comm/pid:" (rcu), from "in_atomic():
 * ..., pid: 0, name: swapper/0" and "scheduling while atomic: comm/pid/0x..",
 * and names with blanks ("mt76-tx phy0/943"). */
static void test_real_task_pid(void **state)
{
	static const struct {
		const char *file;
		enum splat_event_type type;
		const char *kind, *task;
		long pid;
		const char *caller;
	} cases[] = {
		{"real-lkp-rcu-dmesg-x.txt", SPLAT_EV_LOCKDEP, "rcu", "mount",
		 5053, "T5053"},
		{"real-invalid-wait-mt76.txt", SPLAT_EV_LOCKDEP, "invalid-wait",
		 "mt76-tx phy0", 943, "T943"},
		{"real-sleep-in-atomic-swapper.txt", SPLAT_EV_BUG,
		 "sleep-in-atomic", "swapper/0", 0, NULL},
		{"real-sched-atomic-git.txt", SPLAT_EV_BUG,
		 "scheduling-while-atomic", "git", 3379, NULL},
		{"real-bad-unlock-nested.txt", SPLAT_EV_LOCKDEP, "bad-unlock",
		 "swapper/1", 0, NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tevs ev = {0};
		run_fixture(cases[i].file, &ev);
		assert_int_equal(tevs_count(&ev, cases[i].type, NULL), 1);
		const struct tev *e =
			tevs_find(&ev, cases[i].type, cases[i].kind);
		assert_non_null(e);
		printf("  %-34s %s/%s %s\n", cases[i].file, tev_str(e, "task"),
		       tev_str(e, "pid"), e->title);
		assert_non_null(tev_str(e, "task"));
		assert_string_equal(tev_str(e, "task"), cases[i].task);
		json_object *pid;
		assert_true(json_object_object_get_ex(e->detail, "pid", &pid));
		assert_non_null(pid);
		assert_int_equal(json_object_get_int64(pid), cases[i].pid);
		if (cases[i].caller)
			assert_string_equal(tev_str(e, "caller"),
					    cases[i].caller);
		tevs_free(&ev);
	}
}

/* A lock class with parentheses of its own in a bad-unlock line. */
static void test_real_nested_class(void **state)
{
	struct tevs ev = {0};
	(void)state;
	run_fixture("real-bad-unlock-nested.txt", &ev);
	const struct tev *e = tevs_find(&ev, SPLAT_EV_LOCKDEP, "bad-unlock");
	assert_non_null(e);
	json_object *l = tev_lock(e, "releasing");
	assert_non_null(l);
	assert_string_equal(splat_jstr(l, "class"),
			    "&(&srv_conn->fwd_qlock)->rlock");
	assert_string_equal(
		splat_jstr(l, "site"),
		"tfw_http_conn_release_closed+0x345/0x7f0 [tempesta_fw]");
	assert_string_equal(e->sig,
			    "bad-unlock:&(&srv_conn->fwd_qlock)->rlock");
	tevs_free(&ev);

	/* the same line form with the class of a 6.x block queue (the line
	 * of the syzkaller corpus's 747 with its "is trying to release lock"
	 * head): "#N" is dropped from the signature, not "(queue)" */
	run_text(
		"[  163.443279] =====================================\n"
		"[  163.448095] WARNING: bad unlock balance detected!\n"
		"[  163.461783] kworker/u16:3/19522 is trying to release lock (&q->q_usage_counter(queue)#2) at:\n"
		"[  163.467001] blk_mq_unfreeze_queue+0x4c/0x90\n",
		NULL, &ev);
	e = tevs_find(&ev, SPLAT_EV_LOCKDEP, "bad-unlock");
	assert_non_null(e);
	assert_string_equal(splat_jstr(tev_lock(e, "releasing"), "class"),
			    "&q->q_usage_counter(queue)#2");
	assert_string_equal(e->sig, "bad-unlock:&q->q_usage_counter(queue)");
	tevs_free(&ev);
}

/* A lock line printed in pieces (its caller's records, other callers'
 * lines between them: 0-day/LKP consoles) is read as one line. */
static void test_real_split_lines(void **state)
{
	struct tevs ev = {0};
	(void)state;
	run_fixture("real-lkp-split-irq.txt", &ev);
	const struct tev *e =
		tevs_find(&ev, SPLAT_EV_LOCKDEP, "irq-safe-unsafe");
	assert_non_null(e);
	json_object *l = tev_lock(e, "acquiring");
	assert_non_null(l);
	assert_string_equal(splat_jstr(l, "class"),
			    "mmu_notifier_invalidate_range_start");
	assert_string_equal(splat_jstr(l, "usage"), "+.+.");
	assert_string_equal(splat_jstr(l, "wait_type"), "0:0");
	assert_string_equal(splat_jstr(l, "site"),
			    "fs_reclaim_acquire (mm/page_alloc.c:3710 "
			    "mm/page_alloc.c:3701)");
	assert_string_equal(tev_str(e, "task"), "kworker/0:1");
	/* T1's lines between the pieces are not the report's */
	assert_null(strstr(tev_str(e, "text"), "intel_pstate"));
	tevs_free(&ev);

	/* dmesg -x with caller ids: four held locks, three of them split,
	 * one across a blank record tail and another task's line */
	run_fixture("real-lkp-rcu-dmesg-x.txt", &ev);
	e = tevs_find(&ev, SPLAT_EV_LOCKDEP, "rcu");
	assert_non_null(e);
	assert_int_equal(lock_count(e, "held-list"), 4);
	static const char *const cls[4][2] = {
		{"&fc->uapi_mutex", "__do_sys_fsconfig (fs/fsopen.c:472)"},
		{"&type->s_umount_key#45/1", "alloc_super (fs/super.c:346)"},
		{"&fs_devs->device_list_mutex",
		 "btrfs_init_dev_stats (fs/btrfs/volumes.c:7975) btrfs"},
		{"btrfs-dev-00",
		 "btrfs_tree_read_lock_nested "
		 "(arch/x86/include/asm/jump_label.h:37 include/trace/events/btrfs.h:2293 "
		 "fs/btrfs/locking.c:147) btrfs"},
	};
	for (int i = 0; i < 4; i++) {
		l = lock_by_class(e, cls[i][0]);
		if (!l) {
			print_error("no held lock %s\n", cls[i][0]);
			fail();
		}
		assert_string_equal(splat_jstr(l, "role"), "held-list");
		assert_string_equal(splat_jstr(l, "site"), cls[i][1]);
		json_object *idx;
		assert_true(json_object_object_get_ex(l, "index", &idx));
		assert_int_equal(json_object_get_int(idx), i);
	}
	assert_string_equal(e->sig, "rcu:&fc->uapi_mutex");
	/* the other task's lines stay out; the record's continuation lines
	 * (no prefix of their own) are in */
	const char *text = tev_str(e, "text");
	assert_null(strstr(text, "py3clean"));
	assert_non_null(
		strstr(text, "other info that might help us debug this:"));
	assert_non_null(strstr(text, "\nstack backtrace:\n"));
	tevs_free(&ev);
}

/* Caller ids after a blank ("[  12.3] [ T817]", util-linux dmesg with
 * PRINTK_CALLER) and dmesg's indented continuation lines: the line after
 * "but task is already holding lock:" is the held lock, not "other".
 * The report is bcachefs#187's (github.com/koverstreet/bcachefs/issues/187,
 * plain dmesg there) with the caller column as util-linux prints it; one
 * copy as task T79, one as CPU context C1 ("[      C1]"). */
static void test_caller_blank_continuation(void **state)
{
	static const char *const callers[] = {"[     T79]", "[      C1]"};
	(void)state;
	for (int i = 0; i < 2; i++) {
		const char *c = callers[i];
		char text[4096];
		snprintf(
			text, sizeof(text),
			"[ 1028.365890] %s ======================================================\n"
			"[ 1028.366165] %s WARNING: possible circular locking dependency detected\n"
			"[ 1028.366348] %s 5.10.0-00479-g1c1358a0a606 #87 Tainted: G                T\n"
			"[ 1028.366620] %s ------------------------------------------------------\n"
			"[ 1028.366838] %s kswapd0/79 is trying to acquire lock:\n"
			"[ 1028.367052] %s ffff8b1654603e08 (&c->mark_lock){++++}-{0:0}, at: bch2_clear_page_bits+0x12a/0x140 [bcachefs]\n"
			"[ 1028.367385] %s\n"
			"                          but task is already holding lock:\n"
			"[ 1028.367676] %s ffffffffba151dc0 (fs_reclaim){+.+.}-{0:0}, at: __fs_reclaim_acquire+0x5/0x30\n"
			"[ 1028.368052] %s\n"
			"                          which lock already depends on the new lock.\n"
			"\n"
			"[ 1028.368440] %s\n"
			"                          the existing dependency chain (in reverse order) is:\n"
			"[ 1028.368711] %s\n"
			"                          -> #1 (fs_reclaim){+.+.}-{0:0}:\n"
			"[ 1028.368992] %s        lock_acquire+0xbd/0x370\n"
			"[ 1028.369162] %s        fs_reclaim_acquire.part.0+0x25/0x30\n"
			"[ 1028.369557] %s        __kmalloc+0x56/0x770\n",
			c, c, c, c, c, c, c, c, c, c, c, c, c, c);
		struct tevs ev = {0};
		run_mem(text, &ev);
		const struct tev *e =
			tevs_find(&ev, SPLAT_EV_LOCKDEP, "circular");
		assert_non_null(e);
		printf("  %s: %s | %s\n", c, e->title, e->sig);
		assert_string_equal(tev_str(e, "caller"), i ? "C1" : "T79");
		json_object *l = tev_lock(e, "held");
		assert_non_null(l);
		assert_string_equal(splat_jstr(l, "class"), "fs_reclaim");
		assert_null(tev_lock(e, "other"));
		assert_string_equal(
			splat_jstr(tev_lock(e, "acquiring"), "class"),
			"&c->mark_lock");
		assert_string_equal(e->sig,
				    "circular:fs_reclaim -> &c->mark_lock");
		assert_non_null(tev_lock(e, "chain"));
		tevs_free(&ev);
	}
}

/* An Oops that cuts a lockdep report: the Oops is counted (a bug event),
 * the report is closed "oops" and keeps the Oops's lines.  6.x x86 starts
 * the Oops with "Oops: general protection fault ..." (the lines are those
 * of lore.kernel.org/stable, pagemap_scan_backout_range, 6.17-rc6). */
static void test_oops_cuts_report(void **state)
{
	static const char *const oops[] = {
		"[   10.000006] Oops: general protection fault, probably for non-canonical address 0xdffffc0000000000: 0000 [#1] SMP DEBUG_PAGEALLOC KASAN NOPTI\n"
		"[   10.000007] KASAN: null-ptr-deref in range [0x0000000000000000-0x0000000000000007]\n"
		"[   10.000008] CPU: 1 UID: 0 PID: 2480 Comm: reproducer Not tainted 6.17.0-rc6 #22 PREEMPT(none)\n",
		"[   10.000006] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP\n"
		"[   10.000008] pc : __lock_acquire+0x7cc/0x30a4\n",
	};
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char text[4096];
		struct tevs ev = {0};
		snprintf(text, sizeof(text), "%s%s", report_head, oops[i]);
		run_text(text, NULL, &ev);
		const struct tev *r =
			tevs_find(&ev, SPLAT_EV_LOCKDEP, "recursive");
		assert_non_null(r);
		assert_true(r->corrupted);
		assert_string_equal(tev_str(r, "corrupted_reason"), "oops");
		assert_non_null(strstr(tev_str(r, "text"), "Oops"));
		assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, "oops"), 1);
		assert_true(tevs_find(&ev, SPLAT_EV_BUG, "oops")->disables);
		tevs_free(&ev);
	}
}

/* "BUG: ..." at the start of a line without a log prefix, with nothing of
 * a report after it, in a log that has prefixes: a sentence of the mail
 * (before the log, or after it), not a bug.  A bare paste without any
 * prefix keeps its one-line BUG (syzkaller's corpus, "BUG: memory leak"). */
static void test_prose_bug(void **state)
{
	struct tevs ev = {0};
	char path[4096], text[16384];
	(void)state;
	snprintf(
		path, sizeof(path),
		"%s/scripts/parse-splat/tests/fixtures/splat/real-sleep-in-atomic-swapper.txt",
		top_dir());
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	char mail[20000];
	snprintf(
		mail, sizeof(mail),
		"Hi,\n\n"
		"BUG: the doorbell test stops the EP with a splat, see below.\n"
		"BUG: I could not find a fix in next-20250916 either.\n\n%s\n"
		"BUG: reported first on the list last week.\n",
		text);
	run_mem(mail, &ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, NULL), 1);
	assert_non_null(tevs_find(&ev, SPLAT_EV_BUG, "sleep-in-atomic"));
	tevs_free(&ev);

	run_mem("BUG: memory leak\n"
		"unreferenced object 0xffff88006b006340 (size 32):\n"
		"  comm \"swapper/0\", pid 1, jiffies 4294937368 (age 128.520s)\n",
		&ev);
	assert_int_equal(tevs_count(&ev, SPLAT_EV_BUG, "bug"), 1);
	assert_string_equal(tevs_find(&ev, SPLAT_EV_BUG, "bug")->title,
			    "BUG: memory leak");
	tevs_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_header_filters),
		cmocka_unit_test(test_seed_all_formats),
		cmocka_unit_test(test_interleaved_callers),
		cmocka_unit_test(test_interleaved_no_caller),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_boot_change_and_lost),
		cmocka_unit_test(test_tick),
		cmocka_unit_test(test_not_lockdep),
		cmocka_unit_test(test_lockdep_off),
		cmocka_unit_test(test_kind_list),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_real_task_pid),
		cmocka_unit_test(test_real_nested_class),
		cmocka_unit_test(test_real_split_lines),
		cmocka_unit_test(test_caller_blank_continuation),
		cmocka_unit_test(test_oops_cuts_report),
		cmocka_unit_test(test_prose_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
