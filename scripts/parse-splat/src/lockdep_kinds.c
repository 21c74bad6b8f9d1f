/* SPDX-License-Identifier: MIT */
/*
 * lockdep_kinds.c - every report kind the recogniser knows, as data.
 *
 * The engine (lockdep.c) tries the rows in order and takes the first whose
 * header matches, so specific rows come before general ones.  Headers are
 * taken from kernel/locking/lockdep.c (6.x, "WARNING: ..."), its older
 * bracketed forms ("[ INFO: ... ]", "[ BUG: ... ]"), lib/spinlock_debug.c,
 * lib/smp_processor_id.c, kernel/sched/core.c and the arch fault handlers.
 * Titles follow syzkaller's pkg/report conventions so that the shared corpus
 * can check them.
 */
#include <stddef.h>

#include "lockdep_int.h"

#define W LW_WARNING
#define B LW_BUG
#define I LW_INFO
#define N LW_NONE

static const char *const skip_rcu[] = { "rcu", "kmem", "slab", NULL };
static const char *const skip_spin[] = { "spin_", "_lock", "_unlock", NULL };
static const char *const skip_preempt[] = { "dump_stack", "preemption",
					    "preempt", "debug_",
					    "processor_id", "this_cpu", NULL };
static const char *const skip_sock[] = { "lock_sock", "release_sock", NULL };
static const char *const skip_key[] = { "stack", "lock", "IRQ", NULL };
static const char *const skip_sched[] = { "schedule", NULL };
/* work items take locks of their own: deadlocks there belong to the
 * caller */
static const char *const skip_wq[] = { "process_one_work", "flush_workqueue",
				       "drain_workqueue", "destroy_workqueue",
				       NULL };

const struct ld_kind splat_ld_kinds[] = {
	/* ---- lockdep reports (kernel/locking/lockdep.c) ---- */
	/* old kernels: "[ INFO: ... ]", titled by the first "at:" as is */
	{ I, "possible circular locking dependency detected", NULL,
	  SPLAT_EV_LOCKDEP, "circular", "possible deadlock in %F", NULL,
	  LF_AT_AFTER, "is trying to acquire lock", NULL, "held,acquiring",
	  LD_DISABLES },
	{ I, "", "-unsafe lock order detected", SPLAT_EV_LOCKDEP,
	  "irq-safe-unsafe", "possible deadlock in %F", "-safe -> ",
	  LF_AT_AFTER, "is trying to acquire", NULL, "safe,unsafe",
	  LD_DISABLES | LD_IRQ_HEADER },
	{ I, "inconsistent lock state", NULL, SPLAT_EV_LOCKDEP, "inconsistent",
	  "inconsistent lock state in %F", NULL, LF_AT_AFTER, " takes", NULL,
	  "taking", LD_DISABLES },
	{ W | I, "possible circular locking dependency detected", NULL,
	  SPLAT_EV_LOCKDEP, "circular", "possible deadlock in %F", NULL,
	  LF_AT_AT_STACK, "is trying to acquire lock", skip_wq,
	  "held,acquiring", LD_DISABLES },
	/* {HARDIRQ,SOFTIRQ}[-READ]-safe -> ...-unsafe lock order detected */
	{ W | I, "", "-unsafe lock order detected", SPLAT_EV_LOCKDEP,
	  "irq-safe-unsafe", "possible deadlock in %F", "-safe -> ",
	  LF_AT_STACK, "is trying to acquire", NULL, "safe,unsafe",
	  LD_DISABLES | LD_IRQ_HEADER },
	{ W | I, "possible recursive locking detected", NULL, SPLAT_EV_LOCKDEP,
	  "recursive", "possible deadlock in %F", NULL, LF_AT_AFTER,
	  "is trying to acquire lock", NULL, "held,acquiring", LD_DISABLES },
	{ W | I, "inconsistent lock state", NULL, SPLAT_EV_LOCKDEP,
	  "inconsistent", "inconsistent lock state in %F", NULL, LF_TRACE,
	  NULL, NULL, "taking", LD_DISABLES },
	{ W | I, "possible irq lock inversion dependency detected", NULL,
	  SPLAT_EV_LOCKDEP, "irq-inversion", "possible deadlock in %F", NULL,
	  LF_AT_AFTER, "just changed the state of lock", NULL, "changed,other",
	  LD_DISABLES },
	{ B | W | I, "Invalid wait context", NULL, SPLAT_EV_LOCKDEP,
	  "invalid-wait", "WARNING: locking bug in %F", NULL, LF_TRACE, NULL,
	  skip_sock, "acquiring,held-list", LD_DISABLES },
	{ W | B, "bad unlock balance detected", NULL, SPLAT_EV_LOCKDEP,
	  "bad-unlock", "%W: bad unlock balance in %F", NULL, LF_FRAME_STACK,
	  "is trying to release lock", NULL, "releasing", LD_DISABLES },
	{ W | B, "held lock freed", NULL, SPLAT_EV_LOCKDEP, "held-lock-freed",
	  "%W: held lock freed in %F", NULL, LF_AT_AFTER, NULL, NULL, "freed",
	  LD_DISABLES },
	{ W | B, "Nested lock was not taken", NULL, SPLAT_EV_LOCKDEP,
	  "nested-lock", "%W: nested lock was not taken in %F", NULL,
	  LF_STACK, "is trying to lock", NULL, "acquiring", LD_DISABLES },
	{ W | B, "lock held when returning to user space", NULL,
	  SPLAT_EV_LOCKDEP, "lock-held-return-user",
	  "%W: lock held when returning to user space in %F", NULL, LF_AT_AFTER,
	  "with locks still held", NULL, "held-list",
	  LD_DISABLES | LD_NOSTACK },
	/* "WARNING: comm/pid still has locks held!" */
	{ W | B, "", "still has locks held!", SPLAT_EV_LOCKDEP, "locks-held",
	  "%W: still has locks held in %F", NULL, LF_AT_AFTER, NULL, NULL,
	  "held-list", LD_DISABLES },
	{ W | B, "bad contention detected", NULL, SPLAT_EV_LOCKDEP,
	  "bad-contention", "%W: bad contention in %F", NULL, LF_FRAME_STACK,
	  "is trying to contend lock", NULL, "contending", LD_DISABLES },
	{ W, "chain_key collision", NULL, SPLAT_EV_LOCKDEP,
	  "chain-key-collision", "WARNING: chain_key collision in %F", NULL,
	  LF_STACK, NULL, NULL, NULL, LD_DISABLES },
	/* lockdep_rcu_suspicious() does not turn lockdep off */
	{ W | I, "suspicious RCU usage", NULL, SPLAT_EV_LOCKDEP, "rcu",
	  "%W: suspicious RCU usage in %F", NULL, LF_TRACE, NULL, skip_rcu,
	  NULL, 0 },
	/* DEBUG_LOCKS_WARN_ON() inside lockdep: "WARNING: CPU: 0 PID: 1 at
	 * kernel/locking/lockdep.c:734 register_lock_class+0x..." */
	{ W, "", "/lockdep.c:", SPLAT_EV_LOCKDEP, "locking-bug",
	  "WARNING: locking bug in %F", NULL, LF_STACK, NULL,
	  skip_sock, NULL, LD_DISABLES },
	/* ---- lock debugging outside lockdep (DEBUG_SPINLOCK,
	 * DEBUG_PREEMPT): syzkaller files these under LOCKDEP too ---- */
	{ B, "spinlock ", NULL, SPLAT_EV_LOCKDEP, "spinlock-debug",
	  "BUG: spinlock %C in %F", " on CPU", LF_TRACE, NULL, skip_spin, NULL,
	  LD_DISABLES },
	{ B, "rwlock ", NULL, SPLAT_EV_LOCKDEP, "spinlock-debug",
	  "BUG: rwlock %C in %F", " on CPU", LF_TRACE, NULL, skip_spin, NULL,
	  LD_DISABLES },
	{ B, "using ", " in preemptible", SPLAT_EV_LOCKDEP, "preempt-debug",
	  "BUG: using %C in preemptible code in %F", " in preemptible",
	  LF_TRACE, NULL, skip_preempt, NULL, 0 },

	/* ---- lockdep turned itself off without a report ---- */
	{ B, "MAX_", "too low!", SPLAT_EV_LOCKDEP_OFF, "max-too-low",
	  "BUG: MAX_%C too low!", " too low", LF_NONE, NULL, NULL, NULL,
	  LD_INSTANT | LD_DISABLES },
	{ I, "trying to register non-static key", NULL, SPLAT_EV_LOCKDEP_OFF,
	  "non-static-key", "INFO: trying to register non-static key in %F",
	  NULL, LF_TRACE, NULL, skip_key, NULL, LD_DISABLES },
	{ N, "turning off the locking correctness validator", NULL,
	  SPLAT_EV_LOCKDEP_OFF, "validator-off",
	  "turning off the locking correctness validator", NULL, LF_NONE, NULL,
	  NULL, NULL, LD_INSTANT | LD_DISABLES | LD_CONT_OFF | LD_ABSORB },
	{ N, "Disabling lock debugging due to kernel taint", NULL,
	  SPLAT_EV_LOCKDEP_OFF, "taint",
	  "Disabling lock debugging due to kernel taint", NULL, LF_NONE, NULL,
	  NULL, NULL, LD_INSTANT | LD_DISABLES },

	/* ---- not lockdep: counted separately, never mistaken for it ---- */
	{ B, "sleeping function called from invalid context", NULL,
	  SPLAT_EV_BUG, "sleep-in-atomic",
	  "BUG: sleeping function called from invalid context in %F", NULL,
	  LF_TRACE, NULL, NULL, NULL, 0 },
	{ B, "scheduling while atomic", NULL, SPLAT_EV_BUG,
	  "scheduling-while-atomic", "BUG: scheduling while atomic in %F",
	  NULL, LF_TRACE, NULL, skip_sched, NULL, 0 },
	{ B, "unable to handle", NULL, SPLAT_EV_BUG, "oops",
	  "BUG: unable to handle %C in %F", " at ", LF_STACK, NULL, NULL, NULL,
	  LD_DISABLES },
	{ B, "kernel NULL pointer dereference", NULL, SPLAT_EV_BUG, "oops",
	  "BUG: kernel NULL pointer dereference in %F", NULL, LF_STACK, NULL,
	  NULL, NULL, LD_DISABLES },
	{ B, "Kernel NULL pointer dereference", NULL, SPLAT_EV_BUG, "oops",
	  "BUG: kernel NULL pointer dereference in %F", NULL, LF_STACK, NULL,
	  NULL, NULL, LD_DISABLES },
	{ N, "Unable to handle kernel ", NULL, SPLAT_EV_BUG, "oops",
	  "BUG: unable to handle kernel %C in %F", " at ", LF_STACK, NULL, NULL,
	  NULL, LD_DISABLES },
	{ N, "Internal error: ", "Oops", SPLAT_EV_BUG, "oops", "Oops in %F",
	  NULL, LF_STACK, NULL, NULL, NULL, LD_DISABLES | LD_ABSORB },
	{ N, "Oops: ", NULL, SPLAT_EV_BUG, "oops", "Oops in %F", NULL,
	  LF_STACK, NULL, NULL, NULL, LD_DISABLES | LD_ABSORB },
	{ N, "general protection fault", NULL, SPLAT_EV_BUG, "oops",
	  "general protection fault in %F", NULL, LF_STACK, NULL, NULL, NULL,
	  LD_DISABLES },
	/* stalls and lockups: not lockdep, but a header the guard would
	 * otherwise count as unread in every soak log that has one (the
	 * hung task's function is in its own dump: no "in F" either) */
	{ N, "watchdog: BUG: soft lockup", NULL, SPLAT_EV_BUG, "soft-lockup",
	  "BUG: soft lockup in %F", NULL, LF_TRACE, NULL, NULL, NULL, 0 },
	{ N, "watchdog: Watchdog detected hard LOCKUP", NULL, SPLAT_EV_BUG,
	  "hard-lockup", "watchdog: hard lockup in %F", NULL, LF_TRACE, NULL,
	  NULL, NULL, 0 },
	{ I, "task ", " blocked for more than ", SPLAT_EV_BUG, "hung-task",
	  "INFO: task hung", NULL, LF_NONE, NULL, NULL, NULL, 0 },
	/* the stalled function is in another CPU's dump: no "in F" */
	{ N, "rcu: INFO: ", "detected stall", SPLAT_EV_BUG, "rcu-stall",
	  "INFO: rcu detected stall", NULL, LF_NONE, NULL, NULL, NULL, 0 },
	{ I, "rcu_", "detected stall", SPLAT_EV_BUG, "rcu-stall",
	  "INFO: rcu detected stall", NULL, LF_NONE, NULL, NULL, NULL, 0 },
	{ N, "kernel BUG at ", NULL, SPLAT_EV_BUG, "kernel-bug",
	  "kernel BUG at %C", "!", LF_NONE, NULL, NULL, NULL, LD_DISABLES },
	{ N, "Kernel panic - not syncing: ", NULL, SPLAT_EV_BUG, "panic",
	  "kernel panic: %C", NULL, LF_NONE, NULL, NULL, NULL,
	  LD_DISABLES | LD_ABSORB | LD_INSTANT },
	/* WARN(): "WARNING: CPU: 1 PID: 5 at net/x.c:12 f+0x1/0x2 [mod]" and
	 * the old "WARNING: at net/x.c:12 f()" */
	{ W, "CPU: ", " at ", SPLAT_EV_BUG, "warning", "WARNING in %F", NULL,
	  LF_HEADER_SYM, NULL, NULL, NULL, 0 },
	{ W, "at ", NULL, SPLAT_EV_BUG, "warning", "WARNING in %F", NULL,
	  LF_HEADER_SYM, NULL, NULL, NULL, 0 },
	{ B, "", NULL, SPLAT_EV_BUG, "bug", "BUG: %C", NULL, LF_NONE, NULL,
	  NULL, NULL, 0 },
};

const size_t splat_ld_nkinds = sizeof(splat_ld_kinds) / sizeof(splat_ld_kinds[0]);

/* Not syzkaller's rule for {HARDIRQ,SOFTIRQ}-safe -> -unsafe (it titles the
 * first frame under "which became ...-safe at:", where the safe lock became
 * safe): we title the site that creates the new dependency, the frame the
 * backtrace points at ("possible deadlock in bes2600_queue_clear" for the
 * seed splat); the other function is in the detail as safe_function. */

/* syzkaller's pkg/report skip list (linuxStackParams.skipPatterns; its
 * regexes spelled out: "^x" prefix, "x$" suffix, else substring), plus
 * lockdep's own frames of 6.x backtraces. */
const char *const splat_ld_skip_generic[] = {
	"__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan",
	"kcsan_setup_watchpoint", "check_memory_region", "check_heap_object",
	"check_object", "read_word_at_a_time", "print_address_description",
	"panic", "invalid_op", "report_bug", "fixup_bug", "print_report",
	"print_usage_bug", "do_error", "_trap$", "do_trap", "show_stack",
	"dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath",
	"warn_alloc", "warn_bogus", "__warn", "alloc_page", "malloc",
	"zalloc", "calloc", "krealloc", "kmem_cache", "allocate_slab",
	"__alloc_frozen_pages_noprof", "folio_alloc", "folio_unlock",
	"filemap_alloc_folio", "__filemap_get_folio", "find_or_create_page",
	"do_read_cache_folio", "read_cache_page", "pagecache_get_page",
	"grab_cache_page_write_begin", "slab_", "debug_object",
	"timer_is_static_object", "work_is_static_object", "__might_fault",
	"print_unlock", "imbalance_bug", "lockdep", "bh_enable", "bh_disable",
	"perf_trace", "lock_acquire", "lock_release", "lock_class",
	"mark_lock", "reacquire_held_locks", "mark_held_locks", "raw_spin_rq",
	"spin_lock", "spin_trylock", "spin_unlock", "read_lock",
	"read_trylock", "write_lock", "write_trylock", "read_unlock",
	"write_unlock", "^down$", "down_read", "down_write", "down_trylock",
	"up_read", "up_write", "^mutex_", "^__mutex_", "^rt_mutex_",
	"owner_on_cpu", "osq_lock", "osq_unlock",
	"atomic_dec", "atomic_inc", "atomic_read", "atomic_set", "atomic_or",
	"atomic_xor", "atomic_and", "atomic_add", "atomic_sub",
	"atomic_fetch", "atomic_xchg", "atomic_cmpxchg", "atomic_try",
	"atomic64_dec", "atomic64_inc", "atomic64_read", "atomic64_set",
	"atomic64_or", "atomic64_xor", "atomic64_and", "atomic64_add",
	"atomic64_sub", "atomic64_fetch", "atomic64_xchg", "atomic64_cmpxchg",
	"atomic64_try", "set_bit", "clear_bit", "change_bit", "test_bit",
	"__wake_up", "^refcount_", "^kref_", "ref_tracker", "seqprop_assert",
	"memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp",
	"strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen",
	"strstr", "strnstr", "strnlen", "strchr", "strdup", "strndup",
	"copy_to_user", "copy_from_user", "copy_to_iter", "copy_from_iter",
	"copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter",
	"^copyin$", "^copyout$", "put_user", "get_user", "might_fault",
	"might_sleep", "list_add", "list_del", "list_replace", "list_move",
	"list_splice", "^rb_", "^__rb_", "_indirect_thunk_", "string",
	"pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf",
	"printk", "va_format", "dev_info", "dev_notice", "dev_warn",
	"dev_err", "dev_alert", "dev_crit", "dev_emerg",
	"program_check_exception", "program_check_common", "del_timer",
	"flush_work", "__cancel_work_timer", "cancel_work_sync",
	"try_to_grab_pending", "flush_workqueue", "drain_workqueue",
	"destroy_workqueue", "queue_work", "finish_wait", "kthread_stop",
	"kobject_", "add_uevent_var", "get_device_parent", "device_add",
	"device_del", "device_unregister", "device_destroy", "device_release",
	"devres_release_all", "hwrng_unregister", "i2c_del_adapter",
	"__unregister_client", "device_for_each_child", "rollback_registered",
	"unregister_netdev", "sysfs_remove", "device_remove_file",
	"tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb",
	"usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb",
	"usb_submit_urb", "^complete$", "wait_for_completion", "^kfree$",
	"^kvfree$", "kfree_skb", "readb$", "readw$", "readl$", "readq$",
	"writeb$", "writew$", "writel$", "writeq$", "logic_in", "logic_out",
	"^crc", "crc_itu_t", "__might_resched", "assertfail", "^iput$",
	"^iput_final$", "^ihold$", "hex_dump_to_buffer", "print_hex_dump",
	"^klist_", "trace_hardirq", "trace_softirq", "^lock_page",
	"^unlock_page", "stack_trace_consume_entry", "arch_stack_walk",
	"stack_trace_save", "insert_work", "__queue_delayed_work",
	"queue_delayed_work_on", "ida_free", "do_kernel_fault",
	"do_translation_fault", "do_mem_abort", "el1_abort", "el1h_64_sync",
	"print_tainted", "xas_start", "xas_load", "xas_find",
	"find_lock_entries", "truncate_inode_pages_range", "__phys_addr",
	"__fortify_report", "cleanup_srcu_struct", "rhashtable_lookup",
	"extract_user_to_sg", "extract_iter_to_sg", "drop_nlink",
	"^get_taint$", "^put_device$", "lock_timer_base",
	"__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer",
	"fast_dput", "dput",
	/* lockdep internals in 6.x backtraces */
	"print_lock_invalid_wait_context", "check_wait_context",
	"print_bad_irq_dependency", "check_irq_usage", "check_prev_add",
	"validate_chain", "check_noncircular", "print_circular_bug",
	"print_deadlock_bug", "check_deadlock", "mark_usage", "valid_state",
	"print_irq_inversion_bug", "debug_check_no_locks",
	"print_held_locks_bug", NULL,
};
