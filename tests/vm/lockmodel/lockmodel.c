// SPDX-License-Identifier: GPL-2.0
/*
 * lockmodel.c - a MODEL of the bes2600 WiFi driver's lock topology and of
 * its firmware's 5 GHz scan rejection, for the virtual bench (tests/vm).
 *
 * This is NOT the bes2600 driver and contains none of its code.  It only
 * reproduces, with the same lock class names, the locking that lockdep
 * reported on the PineTab2 ("SOFTIRQ-safe -> SOFTIRQ-unsafe lock order
 * detected", &queue->lock -> &hw_priv->tx_loop.pending_record_lock), and
 * the log lines of "Pattern A" (the firmware refusing a multi-channel
 * 5 GHz scan), so that the soak harness, the watcher and the report can be
 * verified end to end on mac80211_hwsim without the tablet.
 *
 * The paths are driven by real WiFi activity on mac80211_hwsim interfaces,
 * never by timers of this module:
 *
 *  - TX/RX path (softirq): a packet tap (dev_add_pack, ETH_P_ALL) sees every
 *    frame a wireless netdev receives.  Frames received in softirq context
 *    (NET_RX, after mac80211's RX tasklet) take queue->lock with _bh, as
 *    bes2600_tx does from the TX tasklet: queue->lock becomes SOFTIRQ-safe.
 *  - join work (process context): a station netdev getting carrier
 *    (association) queues the join work, which takes
 *    hw_priv->tx_loop.pending_record_lock with plain spin_lock() and softirqs
 *    enabled, as bes2600_join_work -> bes2600_queue_get_skb does:
 *    pending_record_lock becomes SOFTIRQ-unsafe.
 *  - queue clear (process context): a station losing carrier
 *    (disconnection) or going down queues the clear work, which takes
 *    queue->lock with _bh and nests pending_record_lock inside it, as
 *    bes2600_queue_clear does: the dependency safe -> unsafe that lockdep
 *    reports the first time it is created after a join.
 *
 * patched=1 applies the conversion of the real fix
 * (patches/driver/bes2600/queue-pending-record-lock-bh/): pending_record_lock
 * is taken with _bh wherever no outer queue->lock _bh scope already disabled
 * softirqs, so it never becomes SOFTIRQ-unsafe and no report is possible.
 *
 * Pattern A model: a kprobe on mac80211_hwsim's hw_scan callback
 * (mac80211_hwsim_hw_scan, used when hwsim runs in multi-channel mode,
 * channels=2) sees each per-band scan request mac80211 issues.  For a 5 GHz
 * request with more than one channel the model "firmware" logs what the
 * bes2600 firmware's rejection logs on the tablet.  With patched=1 it logs
 * nothing, as the real fix refuses such a request before the firmware sees
 * it.  Difference to the real fix, by design: a kprobe cannot change
 * hwsim's return value, so the model does not return -EOPNOTSUPP; hwsim
 * still performs the scan.  The bench asserts the log lines, not the errno.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/kprobes.h>
#include <linux/atomic.h>
#include <net/cfg80211.h>
#include <net/mac80211.h>

static bool patched;
module_param(patched, bool, 0444);
MODULE_PARM_DESC(patched,
		 "apply the pending_record_lock _bh conversion and the 5 GHz multi-channel scan guard of the real fixes (default 0)");

/* Activity counters, read-only in /sys/module/lockmodel/parameters/. */
static atomic_t rx_softirq = ATOMIC_INIT(0);
static atomic_t joins = ATOMIC_INIT(0);
static atomic_t clears = ATOMIC_INIT(0);
static atomic_t scans_seen = ATOMIC_INIT(0);
static atomic_t scans_5g_multi = ATOMIC_INIT(0);
static atomic_t pattern_a = ATOMIC_INIT(0);

static int counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read((atomic_t *)kp->arg));
}

static const struct kernel_param_ops counter_ops = {
	.get = counter_get,
};

module_param_cb(rx_softirq, &counter_ops, &rx_softirq, 0444);
MODULE_PARM_DESC(rx_softirq, "frames seen by the TX/RX path in softirq context");
module_param_cb(joins, &counter_ops, &joins, 0444);
MODULE_PARM_DESC(joins, "join work items run (station carrier up)");
module_param_cb(clears, &counter_ops, &clears, 0444);
MODULE_PARM_DESC(clears, "queue clears run (station carrier down or interface down)");
module_param_cb(scans_seen, &counter_ops, &scans_seen, 0444);
MODULE_PARM_DESC(scans_seen, "hw_scan requests seen by the kprobe");
module_param_cb(scans_5g_multi, &counter_ops, &scans_5g_multi, 0444);
MODULE_PARM_DESC(scans_5g_multi, "5 GHz hw_scan requests with more than one channel");
module_param_cb(pattern_a, &counter_ops, &pattern_a, 0444);
MODULE_PARM_DESC(pattern_a, "Pattern A rejections logged by the model firmware");

#define LOCKMODEL_NQUEUES 4

/* The driver's names, so that lockdep prints the same lock classes. */
struct bes2600_queue {
	spinlock_t lock;
	unsigned int queue_id;
	unsigned int num_queued;
};

struct bes2600_tx_loop {
	spinlock_t pending_record_lock;
	unsigned int pending_records;
};

struct bes2600_common {
	struct bes2600_queue tx_queue[LOCKMODEL_NQUEUES];
	struct bes2600_tx_loop tx_loop;
	struct work_struct join_work;
	struct work_struct clear_work;
	/*
	 * ordered, like the driver's own workqueue: a join runs before the
	 * clear of the disconnection that follows it
	 */
	struct workqueue_struct *workqueue;
	bool carrier;
};

static struct bes2600_common *model_priv;

static void lockmodel_queue_init(struct bes2600_queue *queue, unsigned int id)
{
	spin_lock_init(&queue->lock);
	queue->queue_id = id;
}

static void lockmodel_tx_loop_init(struct bes2600_common *hw_priv)
{
	spin_lock_init(&hw_priv->tx_loop.pending_record_lock);
}

/* TX/RX path: runs in softirq for received frames (SOFTIRQ-safe use). */
static noinline void lockmodel_tx(struct bes2600_common *hw_priv, struct sk_buff *skb)
{
	struct bes2600_queue *queue =
		&hw_priv->tx_queue[skb_get_queue_mapping(skb) % LOCKMODEL_NQUEUES];

	spin_lock_bh(&queue->lock);
	queue->num_queued++;
	spin_unlock_bh(&queue->lock);
}

static int lockmodel_rx_tap(struct sk_buff *skb, struct net_device *dev,
			    struct packet_type *pt, struct net_device *orig_dev)
{
	if (dev->ieee80211_ptr && in_serving_softirq()) {
		atomic_inc(&rx_softirq);
		lockmodel_tx(model_priv, skb);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type lockmodel_ptype = {
	.type = cpu_to_be16(ETH_P_ALL),
	.func = lockmodel_rx_tap,
};

/* bes2600_queue_get_skb: process context, no outer queue->lock. */
static noinline void lockmodel_queue_get_skb(struct bes2600_common *hw_priv)
{
	if (patched) {
		spin_lock_bh(&hw_priv->tx_loop.pending_record_lock);
		hw_priv->tx_loop.pending_records++;
		spin_unlock_bh(&hw_priv->tx_loop.pending_record_lock);
	} else {
		spin_lock(&hw_priv->tx_loop.pending_record_lock);
		hw_priv->tx_loop.pending_records++;
		spin_unlock(&hw_priv->tx_loop.pending_record_lock);
	}
}

static void lockmodel_join_work(struct work_struct *work)
{
	struct bes2600_common *hw_priv =
		container_of(work, struct bes2600_common, join_work);

	atomic_inc(&joins);
	lockmodel_queue_get_skb(hw_priv);
}

/*
 * bes2600_queue_clear: pending_record_lock nested in queue->lock (_bh).
 * Only a queue that carried frames has records to drop; that also keeps
 * the report kind the one seen on the tablet: the dependency is created
 * after both lock usages are known (a join, and frames in softirq), so
 * lockdep reports "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"
 * rather than an irq lock inversion.
 */
static noinline void lockmodel_queue_clear(struct bes2600_common *hw_priv,
				  struct bes2600_queue *queue)
{
	spin_lock_bh(&queue->lock);
	if (queue->num_queued) {
		queue->num_queued = 0;
		spin_lock(&hw_priv->tx_loop.pending_record_lock);
		hw_priv->tx_loop.pending_records = 0;
		spin_unlock(&hw_priv->tx_loop.pending_record_lock);
	}
	spin_unlock_bh(&queue->lock);
}

static void lockmodel_clear_work(struct work_struct *work)
{
	struct bes2600_common *hw_priv =
		container_of(work, struct bes2600_common, clear_work);
	int i;

	atomic_inc(&clears);
	for (i = 0; i < LOCKMODEL_NQUEUES; i++)
		lockmodel_queue_clear(hw_priv, &hw_priv->tx_queue[i]);
}

static bool lockmodel_is_station(struct net_device *dev)
{
	return dev->ieee80211_ptr &&
	       dev->ieee80211_ptr->iftype == NL80211_IFTYPE_STATION;
}

static int lockmodel_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	bool carrier;

	if (!lockmodel_is_station(dev))
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_CHANGE:
		carrier = netif_carrier_ok(dev);
		if (carrier && !model_priv->carrier)
			queue_work(model_priv->workqueue, &model_priv->join_work);
		else if (!carrier && model_priv->carrier)
			queue_work(model_priv->workqueue, &model_priv->clear_work);
		model_priv->carrier = carrier;
		break;
	case NETDEV_DOWN:
		if (model_priv->carrier)
			queue_work(model_priv->workqueue, &model_priv->clear_work);
		model_priv->carrier = false;
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block lockmodel_netdev_nb = {
	.notifier_call = lockmodel_netdev_event,
};

/*
 * Pattern A model firmware.  Arguments of
 * mac80211_hwsim_hw_scan(hw, vif, hw_req): the third is the request.
 */
static int lockmodel_hw_scan_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct ieee80211_scan_request *hw_req =
		(void *)regs_get_kernel_argument(regs, 2);
	struct cfg80211_scan_request *req;

	if (!hw_req)
		return 0;
	req = &hw_req->req;
	atomic_inc(&scans_seen);
	if (req->n_channels < 2 || !req->channels[0] ||
	    req->channels[0]->band != NL80211_BAND_5GHZ)
		return 0;
	atomic_inc(&scans_5g_multi);
	if (patched)
		return 0;	/* the real fix refuses it before the firmware */
	atomic_inc(&pattern_a);
	pr_err("wsm_generic_confirm failed for request 0x0007.\n");
	pr_err("[SCAN] Scan failed (-22).\n");
	pr_warn("lockmodel: model firmware: wsm_generic_confirm ret 2 (status 2, rejected by policy; %u channels on 5 GHz)\n",
		req->n_channels);
	return 0;
}

static struct kprobe lockmodel_kp = {
	.symbol_name = "mac80211_hwsim_hw_scan",
	.pre_handler = lockmodel_hw_scan_pre,
};

static int __init lockmodel_init(void)
{
	int i, ret;

	model_priv = kzalloc(sizeof(*model_priv), GFP_KERNEL);
	if (!model_priv)
		return -ENOMEM;
	for (i = 0; i < LOCKMODEL_NQUEUES; i++)
		lockmodel_queue_init(&model_priv->tx_queue[i], i);
	lockmodel_tx_loop_init(model_priv);
	INIT_WORK(&model_priv->join_work, lockmodel_join_work);
	INIT_WORK(&model_priv->clear_work, lockmodel_clear_work);
	model_priv->workqueue = alloc_ordered_workqueue("lockmodel", 0);
	if (!model_priv->workqueue) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = register_kprobe(&lockmodel_kp);
	if (ret) {
		pr_err("lockmodel: kprobe on %s failed (%d): load mac80211_hwsim with channels=2 first\n",
		       lockmodel_kp.symbol_name, ret);
		goto err_free;
	}
	ret = register_netdevice_notifier(&lockmodel_netdev_nb);
	if (ret)
		goto err_kprobe;
	dev_add_pack(&lockmodel_ptype);
	pr_info("lockmodel: bes2600 lock-topology MODEL loaded (not the driver), patched=%d\n",
		patched);
	return 0;

err_kprobe:
	unregister_kprobe(&lockmodel_kp);
err_free:
	if (model_priv->workqueue)
		destroy_workqueue(model_priv->workqueue);
	kfree(model_priv);
	return ret;
}

static void __exit lockmodel_exit(void)
{
	dev_remove_pack(&lockmodel_ptype);
	unregister_netdevice_notifier(&lockmodel_netdev_nb);
	unregister_kprobe(&lockmodel_kp);
	destroy_workqueue(model_priv->workqueue);
	kfree(model_priv);
	pr_info("lockmodel: unloaded\n");
}

module_init(lockmodel_init);
module_exit(lockmodel_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("besser-verify bench: MODEL of the bes2600 lock topology and 5 GHz scan rejection (not the driver)");
MODULE_AUTHOR("besser-verify");
