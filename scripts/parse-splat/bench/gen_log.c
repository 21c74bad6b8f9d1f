/* SPDX-License-Identifier: MIT */
/*
 * gen_log - write a realistic kernel console log of about SIZE MiB to FILE
 * for the splat benchmark: ordinary driver/network/USB chatter with caller
 * ids, Pattern A pairs (wsm_generic_confirm failed ... / [SCAN] Scan failed
 * (-22).), ratelimit notes, WARNINGs, and a full SOFTIRQ-safe -> unsafe
 * lockdep report (the seed splat) once per boot, after which the next boot
 * starts (timestamps restart).  Deterministic: same SIZE, same bytes.
 *
 *   gen_log [--dense] [--journal] SIZE_MIB FILE
 * --dense: shaped like a real PineTab2 soak log before the fix: Pattern A
 *          every few lines, each confirm failure with the WARNING
 *          backtrace the driver prints (~30 lines) before the scan
 *          failure, boot logs, and the lockdep report.
 * --journal: the same log as journalctl -k shows it (short format: wall
 *          clock, host, "kernel: ", no uptime; "-- Boot <id> --" between
 *          boots).
 * Prints "boots=N splats=N pattern_a=N lines=N" on stdout.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const chatter[] = {
	"usb 1-1: new high-speed USB device number %u using xhci-hcd",
	"wlan0: authenticate with c0:25:06:e6:5b:%02x (local address=02:00:00:00:00:01)",
	"wlan0: send auth to c0:25:06:e6:5b:%02x (try 1/3)",
	"wlan0: associated",
	"IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
	"bes2600_wlan: bes2600_bh: tx queue %u full, stopping",
	"bes2600_wlan: [BH] rx seq %u ok",
	"audit: type=1400 audit(1764400000.%03u:%u): apparmor=\"STATUS\" operation=\"profile_load\"",
	"rockchip-drm display-subsystem: [drm] fb%u: rockchipdrmfb frame buffer device",
	"mmc2: new ultra high speed SDR104 SDIO card at address %04x",
	"EXT4-fs (mmcblk1p2): re-mounted %08x-1d2c-4e5f-8a9b-0c1d2e3f4a5b r/w. Quota mode: none.",
	"input: goodix-ts as /devices/platform/fe5a0000.i2c/i2c-%u/input/input%u",
	"Bluetooth: hci0: BES2600 firmware version %u.%u",
	"cfg80211: Loading compiled-in X.509 certificates for regulatory database",
	"rk808-rtc rk808-rtc: setting system clock to 2026-11-29T09:%02u:%02u UTC",
	"systemd[1]: Started besser-soak@%u.service - besser soak workload.",
	"NET: Registered PF_ALG protocol family %u",
	" bes2600_queue_put+0x%x/0x1e0 [bes2600]",
	"cpufreq: cpufreq_online: CPU%u: Running at unlisted initial frequency: %u kHz",
	"dwc3 fcc00000.usb: request %u was not queued to ep0out",
};

static const char *const splat[] = {
	"",
	"=====================================================",
	"WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected",
	"6.12.7-danctnix1-lockdep #1 Tainted: G           O      ",
	"-----------------------------------------------------",
	"kworker/u16:1/1234 [HC0[0]:SC0[0]:HE1:SE1] is trying to acquire:",
	"ffff0000c2a4e8b8 (&hw_priv->tx_loop.pending_record_lock){+.+.}-{2:2}, at: bes2600_queue_clear+0x80/0x1a0 [bes2600]",
	"",
	"and this task is already holding:",
	"ffff0000c2a4e070 (&queue->lock){+.-.}-{2:2}, at: bes2600_queue_clear+0x60/0x1a0 [bes2600]",
	"which would create a new lock dependency:",
	" (&queue->lock){+.-.}-{2:2} -> (&hw_priv->tx_loop.pending_record_lock){+.+.}-{2:2}",
	"",
	"but this new dependency connects a SOFTIRQ-irq-safe lock:",
	" (&queue->lock){+.-.}-{2:2}",
	"",
	"... which became SOFTIRQ-irq-safe at:",
	"  lock_acquire+0x1c8/0x338",
	"  _raw_spin_lock_bh+0x50/0x70",
	"  bes2600_tx+0x2a4/0x5b0 [bes2600]",
	"  ieee80211_handle_wake_tx_queue+0x70/0xd0 [mac80211]",
	"  tasklet_action_common+0x120/0x2d8",
	"  tasklet_action+0x2c/0x40",
	"  handle_softirqs+0x15c/0x4b0",
	"",
	"to a SOFTIRQ-irq-unsafe lock:",
	" (&hw_priv->tx_loop.pending_record_lock){+.+.}-{2:2}",
	"",
	"... which became SOFTIRQ-irq-unsafe at:",
	"...",
	"  lock_acquire+0x1c8/0x338",
	"  _raw_spin_lock+0x50/0x70",
	"  bes2600_queue_get_skb+0x64/0x2f0 [bes2600]",
	"  bes2600_join_work+0x1d4/0x6c0 [bes2600]",
	"  process_one_work+0x214/0x6a8",
	"  worker_thread+0x1c4/0x360",
	"  kthread+0x110/0x120",
	"  ret_from_fork+0x10/0x20",
	"",
	"other info that might help us debug this:",
	"",
	" Possible interrupt unsafe locking scenario:",
	"",
	"       CPU0                    CPU1",
	"       ----                    ----",
	"  lock(&hw_priv->tx_loop.pending_record_lock);",
	"                               local_irq_disable();",
	"                               lock(&queue->lock);",
	"                               lock(&hw_priv->tx_loop.pending_record_lock);",
	"  <Interrupt>",
	"    lock(&queue->lock);",
	"",
	" *** DEADLOCK ***",
	"",
	"3 locks held by kworker/u16:1/1234:",
	" #0: ffff0000c0a12948 ((wq_completion)bes2600_wq){+.+.}-{0:0}, at: process_one_work+0x1f0/0x6a8",
	" #1: ffff800082b7bd80 ((work_completion)(&hw_priv->join_work)){+.+.}-{0:0}, at: process_one_work+0x218/0x6a8",
	" #2: ffff0000c2a4e070 (&queue->lock){+.-.}-{2:2}, at: bes2600_queue_clear+0x60/0x1a0 [bes2600]",
	"",
	"stack backtrace:",
	"CPU: 2 UID: 0 PID: 1234 Comm: kworker/u16:1 Tainted: G           O       6.12.7-danctnix1-lockdep #1",
	"Hardware name: Pine64 PineTab2 (DT)",
	"Workqueue: bes2600_wq bes2600_join_work [bes2600]",
	"Call trace:",
	" dump_backtrace+0x98/0xf0",
	" show_stack+0x20/0x38",
	" dump_stack_lvl+0x80/0xb0",
	" dump_stack+0x18/0x28",
	" print_bad_irq_dependency+0x3c4/0x3f0",
	" check_irq_usage+0x5a4/0x6e0",
	" __lock_acquire+0xfa8/0x1e60",
	" lock_acquire+0x1c8/0x338",
	" _raw_spin_lock+0x50/0x70",
	" bes2600_queue_clear+0x80/0x1a0 [bes2600]",
	" bes2600_join_work+0x3a0/0x6c0 [bes2600]",
	" process_one_work+0x214/0x6a8",
	" worker_thread+0x1c4/0x360",
	" kthread+0x110/0x120",
	" ret_from_fork+0x10/0x20",
};

/* The backtrace of the WARN_ON() behind a rejected scan confirm, as the
 * arm64 kernel prints it (registers, call trace). */
static const char *const warn_trace[] = {
	"------------[ cut here ]------------",
	"WARNING: CPU: 1 PID: 602 at drivers/staging/bes2600/wsm.c:1234 wsm_generic_confirm+0x74/0x90 [bes2600]",
	"Modules linked in: bes2600(O) mac80211 libarc4 cfg80211 rfkill rockchipdrm",
	"CPU: 1 UID: 0 PID: 602 Comm: kworker/u8:2 Tainted: G        W  O       6.12.7-danctnix1-lockdep #1",
	"Tainted: [W]=WARN, [O]=OOT_MODULE",
	"Hardware name: Pine64 PineTab2 (DT)",
	"Workqueue: bes2600_wq bes2600_scan_work [bes2600]",
	"pstate: 60400009 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
	"pc : wsm_generic_confirm+0x74/0x90 [bes2600]",
	"lr : wsm_handle_rx+0x2b8/0x8c0 [bes2600]",
	"sp : ffff800083c3bb90",
	"x29: ffff800083c3bb90 x28: ffff0000c2a4e000 x27: 0000000000000007",
	"x26: ffff0000c2a4f2a8 x25: 0000000000000000 x24: ffff0000c1f0a000",
	"x23: 0000000000000007 x22: ffff0000c2a4e000 x21: ffff0000c51a3c00",
	"x20: 00000000ffffffea x19: ffff0000c2a4e000 x18: 0000000000000000",
	"x17: 0000000000000000 x16: 0000000000000000 x15: 0000000000000000",
	"x14: 0000000000000000 x13: 0000000000000000 x12: 0000000000000000",
	"x11: 0000000000000000 x10: 0000000000000a50 x9 : ffff800083c3b9f0",
	"x8 : ffff0000c0e2e1b0 x7 : 0000000000000000 x6 : 0000000000000000",
	"x5 : 0000000000000000 x4 : 0000000000000000 x3 : 0000000000000000",
	"x2 : 0000000000000000 x1 : 0000000000000007 x0 : 00000000ffffffea",
	"Call trace:",
	" wsm_generic_confirm+0x74/0x90 [bes2600]",
	" wsm_handle_rx+0x2b8/0x8c0 [bes2600]",
	" bes2600_bh_rx_helper+0x1a4/0x3b0 [bes2600]",
	" bes2600_bh+0x2f0/0x6c0 [bes2600]",
	" kthread+0x110/0x120",
	" ret_from_fork+0x10/0x20",
	"irq event stamp: 123456",
	"---[ end trace 0000000000000000 ]---",
};

static FILE *out;
static uint64_t ts, lines;
/* bytes of the log as a console log, whatever the format written: the
 * journal form of a size holds the same lines as the console form */
static uint64_t console_bytes;
static int journal; /* --journal: journalctl -k short format */
static const uint64_t boot_wall = 1764406800; /* 2025-11-29 09:00:00 UTC */

static void emit(const char *caller, const char *msg)
{
	if (journal) {
		static const char mon[][4] = {"Nov", "Dec", "Jan"};
		uint64_t w = boot_wall + ts / 1000000, d = w / 86400 - 20421;
		/* enough calendar for a bench log: Nov 29 on */
		unsigned day = (unsigned)(29 + d), m = 0;
		if (day > 30) {
			day -= 30;
			m = 1;
		}
		if (m == 1 && day > 31) {
			day -= 31;
			m = 2;
		}
		fprintf(out, "%s %02u %02u:%02u:%02u pinetab2 kernel: %s\n",
			mon[m], day, (unsigned)(w / 3600 % 24),
			(unsigned)(w / 60 % 60), (unsigned)(w % 60), msg);
	}
	int n = snprintf(NULL, 0, "[%5" PRIu64 ".%06" PRIu64 "][%6s] %s\n",
			 ts / 1000000, ts % 1000000, caller, msg);
	if (!journal)
		fprintf(out, "[%5" PRIu64 ".%06" PRIu64 "][%6s] %s\n",
			ts / 1000000, ts % 1000000, caller, msg);
	console_bytes += (uint64_t)n;
	lines++;
}

int main(int argc, char **argv)
{
	uint64_t target, boots = 1, splats = 0, pattern_a = 0, boot_lines = 0;
	uint64_t splat_after;
	char msg[512], caller[16];
	static char buf[1 << 20];

	int dense = 0;
	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--dense"))
			dense = 1;
		else if (!strcmp(argv[1], "--journal"))
			journal = 1;
		else
			break;
		argv++;
		argc--;
	}
	if (argc != 3 || atoi(argv[1]) <= 0) {
		fprintf(stderr,
			"usage: gen_log [--dense] [--journal] SIZE_MIB FILE\n");
		return 2;
	}
	target = (uint64_t)atoi(argv[1]) << 20;
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	setvbuf(out, buf, _IOFBF, sizeof(buf));
	splat_after = (dense ? 20000 : 150000) + rnd() % 100000;
	while (console_bytes < target) {
		uint32_t k = rnd() % 1000;

		ts += 1000 + rnd() % 200000;
		boot_lines++;
		if (dense && k < 100) {
			/* Pattern A as the tablet logs it: the confirm
			 * failure, the WARN_ON() backtrace, the scan failure */
			snprintf(caller, sizeof(caller), "T%u",
				 600 + rnd() % 50);
			emit(caller,
			     "wsm_generic_confirm failed for request 0x0007.");
			for (size_t i = 0;
			     i < sizeof(warn_trace) / sizeof(warn_trace[0]);
			     i++) {
				ts += 5 + rnd() % 20;
				emit(caller, warn_trace[i]);
			}
			ts += 50 + rnd() % 200;
			emit(caller, "[SCAN] Scan failed (-22).");
			pattern_a++;
		} else if (k < 4) {
			/* Pattern A: the firmware rejects the 5 GHz leg */
			snprintf(caller, sizeof(caller), "T%u",
				 600 + rnd() % 50);
			emit(caller,
			     "wsm_generic_confirm failed for request 0x0007.");
			ts += 50 + rnd() % 200;
			emit(caller, "[SCAN] Scan failed (-22).");
			pattern_a++;
		} else if (k < 5) {
			emit("C2", "bes2600_wlan: 17 callbacks suppressed");
		} else if (k < 6) {
			snprintf(caller, sizeof(caller), "T%u",
				 100 + rnd() % 9000);
			emit(caller, "------------[ cut here ]------------");
			emit(caller,
			     "WARNING: CPU: 1 PID: 602 at drivers/staging/bes2600/wsm.c:1234 wsm_generic_confirm+0x74/0x90 [bes2600]");
			emit(caller,
			     "Modules linked in: bes2600(O) mac80211 cfg80211");
			emit(caller, "---[ end trace 0000000000000000 ]---");
		} else {
			const char *f = chatter[rnd() % (sizeof(chatter) /
							 sizeof(chatter[0]))];
			snprintf(caller, sizeof(caller), "%c%u",
				 rnd() % 8 ? 'T' : 'C',
				 rnd() % 8 ? 1 + rnd() % 20000 : rnd() % 4);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(msg, sizeof(msg), f, rnd() % 256, rnd() % 60,
				 rnd() % 1000);
#pragma GCC diagnostic pop
			emit(caller, msg);
		}
		if (boot_lines >= splat_after) {
			for (size_t i = 0; i < sizeof(splat) / sizeof(splat[0]);
			     i++)
				emit("T1234", splat[i]);
			splats++;
			/* reboot: the next boot's log starts at 0 */
			ts = 0;
			boots++;
			boot_lines = 0;
			splat_after = (dense ? 20000 : 150000) + rnd() % 100000;
			if (journal)
				fprintf(out,
					"-- Boot %016" PRIx64 "%016" PRIx64
					" --\n",
					(uint64_t)boots,
					(uint64_t)boots * 7919);
			emit("T0",
			     "Booting Linux on physical CPU 0x0000000000 [0x412fd050]");
			emit("T0",
			     "Linux version 6.12.7-danctnix1-lockdep (builder@danctnix) (gcc (GCC) 14.2.1) #1 SMP PREEMPT_DYNAMIC");
			emit("T0", "Machine model: Pine64 PineTab2");
		}
	}
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	printf("boots=%" PRIu64 " splats=%" PRIu64 " pattern_a=%" PRIu64
	       " lines=%" PRIu64 "\n",
	       boots, splats, pattern_a, lines);
	return 0;
}
