// SPDX-License-Identifier: GPL-2.0-only
// Take the bes2600 pending_record_lock with spin_lock_bh()/spin_unlock_bh()
// wherever it is not already inside a spin_lock_bh(&queue->lock) scope of a
// struct bes2600_queue (there softirqs are off and the plain call stays).
// The semantic form of patches/driver/bes2600/queue-pending-record-lock-bh.
//
// Confidence: High (the lock is SOFTIRQ-safe through queue->lock; a plain
// acquisition with softirqs on is the inversion lockdep reports).
// Options: --no-includes --include-headers --smpl-spacing
// Series: driver/bes2600/queue-pending-record-lock-bh
// Absent-means-nothing: pending_record_lock

virtual patch

// Sites nested in a queue->lock _bh scope: remember their positions.  The
// queue is a struct bes2600_queue pointer (typed where spatch sees the type)
// or an element of hw_priv->tx_queue[] (untyped: the struct is in a header).
@nested@
struct bes2600_queue *Q;
expression H, I, E;
position p;
@@
(
spin_lock_bh(&Q->lock);
<+...
(
spin_lock@p(&E->tx_loop.pending_record_lock);
|
spin_unlock@p(&E->tx_loop.pending_record_lock);
)
...+>
spin_unlock_bh(&Q->lock);
|
spin_lock_bh(&H->tx_queue[I].lock);
<+...
(
spin_lock@p(&E->tx_loop.pending_record_lock);
|
spin_unlock@p(&E->tx_loop.pending_record_lock);
)
...+>
spin_unlock_bh(&H->tx_queue[I].lock);
)

@lock depends on patch@
expression E;
position p != nested.p;
@@
- spin_lock@p
+ spin_lock_bh
  (&E->tx_loop.pending_record_lock)

@unlock depends on patch@
expression E;
position p != nested.p;
@@
- spin_unlock@p
+ spin_unlock_bh
  (&E->tx_loop.pending_record_lock)
