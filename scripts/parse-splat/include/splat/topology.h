/* SPDX-License-Identifier: MIT */
/*
 * topology.h - lock acquisition sites, nesting and lock chains from C
 * sources (`splat topology`).
 *
 * A heuristic over C text, not a compiler: a tokenizer that skips comments,
 * string and character literals and preprocessor lines; brace depth finds
 * function bodies; a held-lock set is carried along each function's token
 * stream (see topology.c for the rules on blocks, if/else, return, goto,
 * labels and switch).  Every spinlock/rwlock acquisition and release is
 * tracked so the held set is complete; only the locks named by a spec are
 * reported.
 *
 * Lock spec: one or more '|'-separated alternatives, the first is the lock's
 * name.  An alternative is a suffix of a member-access chain: it matches a
 * lock expression (after dropping a leading '&', white space, and the
 * contents of array subscripts: `a[i].l` -> `a[].l`) that equals it or ends
 * in it at a member boundary ('.' or '->').  So `pending_record_lock`
 * matches `&stats->hw_priv->tx_loop.pending_record_lock`, `queue->lock`
 * matches `&queue->lock` and `&q->queue->lock` but neither `&stats->lock`
 * nor `&tx_queue->lock`; `queue->lock|tx_queue[].lock` adds
 * `&hw_priv->tx_queue[t.queue].lock` to the same lock.
 */
#ifndef SPLAT_TOPOLOGY_H
#define SPLAT_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct topo;

struct topo *topo_new(void);
void topo_free(struct topo *t);

/* Add a lock spec.  Returns its index, or -1 with a message in err. */
int topo_add_lock(struct topo *t, const char *spec, char *err, size_t errlen);

/* Scan one buffer of C text; `name` is what the output calls the file. */
void topo_scan_buffer(struct topo *t, const char *name, const char *buf,
		      size_t len);

/* Scan a file, or a directory recursively (*.c and *.h, sorted by name;
 * files are named relative to the directory).  Returns 0, or -1 with a
 * message in err (unreadable path). */
int topo_scan_path(struct topo *t, const char *path, char *err, size_t errlen);

/* Number of files scanned and of functions seen (for diagnostics). */
size_t topo_nfiles(const struct topo *t);
size_t topo_nfunctions(const struct topo *t);

/* Results.  Markdown: one section per lock (table of sites, counts,
 * verdict).  JSON Lines: one object per site, then one per lock.  Return 0,
 * or -1 on an output error. */
int topo_write_markdown(const struct topo *t, FILE *out);
int topo_write_jsonl(const struct topo *t, FILE *out);

/* Number of locks whose verdict is an inversion risk. */
size_t topo_nrisks(const struct topo *t);

/* Lock chains through calls and callbacks: for every call made while a
 * reported lock is held (a direct call of a function defined in the scanned
 * sources, or such a function passed as a bare argument: a callback the
 * callee may run), the acquisitions of reported locks in the called
 * function and, to a depth of 6 calls, in the functions it calls.  Each
 * chain (A held -> B taken -> C taken) is written with its path and
 * flagged when lockdep would see a SOFTIRQ-safe -> unsafe dependency (a
 * lock taken with _bh/_irq/_irqsave somewhere reaches, through direct
 * nesting and chains, a lock taken with softirqs on somewhere), a circular
 * one, or the same lock class taken again.  Markdown: a section with a
 * table; JSON Lines: one object per chain (type "chain").  Return 0, or -1
 * on an output error. */
int topo_write_chains_markdown(const struct topo *t, FILE *out);
int topo_write_chains_jsonl(const struct topo *t, FILE *out);

/* Number of chains with a flag. */
size_t topo_nchain_flags(const struct topo *t);

#endif
