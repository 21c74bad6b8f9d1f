/* SPDX-License-Identifier: MIT */
/*
 * sequential.h - an always-valid sequential verdict for "the after rate is
 * lower than the before rate", safe to evaluate again and again while the
 * after run grows (each event, every few minutes), and able to stop early.
 *
 * Data: before, k1 events in exposure t1 (for the once-per-boot lockdep
 * splat: boots with a report, and the total lockdep-active exposure); after
 * so far, k2 events in exposure t2.  Exposures in hours (any one unit works
 * if used throughout).  rho = after rate / before rate.
 *
 * Verdicts, each with its error rate held at alpha however often one looks:
 *  FIXED        "after rate >= before rate" rejected:
 *               P(FIXED | rho >= 1) <= alpha.
 *  NOT_FIXED    "after rate <= tolerance x before rate" rejected:
 *               P(NOT_FIXED | rho <= tolerance) <= alpha.  tolerance 0 is the
 *               claim of elimination ("14/h -> 0"): the first after event
 *               refutes it, with no error at all.
 *  INCONCLUSIVE the maximum after-exposure was reached undecided.
 *  CONTINUE     keep soaking.
 * The method (a mixture likelihood ratio on the conditional Polya model, with
 * Ville's inequality) and its references are in sequential.c.
 */
#ifndef SPLAT_SEQUENTIAL_H
#define SPLAT_SEQUENTIAL_H

#include <stddef.h>
#include <stdint.h>

enum splat_seq_verdict {
	SPLAT_SEQ_CONTINUE = 0,
	SPLAT_SEQ_FIXED,
	SPLAT_SEQ_NOT_FIXED,
	SPLAT_SEQ_INCONCLUSIVE,
};

struct splat_seq_params {
	double alpha;	  /* 1 - confidence, in (0, 1) */
	double tolerance; /* in [0, 1): 0 = the fix claims elimination */
	double max_t2;	  /* maximum after-exposure; <= 0 or INFINITY: none */
};

/* A look at the data as it is now. */
struct splat_seq_look {
	enum splat_seq_verdict verdict;
	double e_fixed;	    /* mixture likelihood ratio (e-value) for FIXED */
	double e_not_fixed; /* ... for NOT_FIXED (INFINITY: an event refuted
			       elimination; 0 when tolerance 0, none yet) */
};

/* The verdict name as printed: "fixed", "not fixed", "inconclusive",
 * "continue". */
const char *splat_seq_verdict_name(enum splat_seq_verdict v);

/* Check parameters: 0, or -1 (alpha outside (0,1), tolerance outside [0,1)). */
int splat_seq_params_check(const struct splat_seq_params *p);

/* Look at (k1, t1) before and (k2, t2) after now.  Stateless: the caller may
 * look whenever it likes (each event, every few minutes) and stop at the first
 * verdict other than CONTINUE.  Looking just before an event too (k2 - 1 at
 * the event's exposure) is allowed and never misses a FIXED crossing.  When
 * both FIXED and NOT_FIXED hold (tolerance < rho < 1, a coarse look),
 * NOT_FIXED is returned.  Returns 0, or -1 on bad parameters or t1 <= 0. */
int splat_seq_look(uint64_t k1, double t1, uint64_t k2, double t2,
		   const struct splat_seq_params *p,
		   struct splat_seq_look *out);

/* Further after-exposure that reaches FIXED if no event comes (0 when there
 * already; INFINITY when no exposure can): what a soak shows as "fixed in X
 * if nothing happens". */
double splat_seq_to_fixed(uint64_t k1, double t1, uint64_t k2, double t2,
			  const struct splat_seq_params *p);

/* The decision boundaries, in after-exposure:
 * fixed_at(j): with j after events, FIXED is reached once t2 >= this
 *   (INFINITY: never).  Increases with j.
 * not_fixed_until(j): the j-th after event (j >= 1) decides NOT_FIXED when it
 *   arrives at t2 <= this (INFINITY for tolerance 0; negative: never). */
double splat_seq_fixed_at(uint64_t k1, double t1, uint64_t j,
			  const struct splat_seq_params *p);
double splat_seq_not_fixed_until(uint64_t k1, double t1, uint64_t j,
				 const struct splat_seq_params *p);

/* Continuous monitoring of a whole after run: ev[0..n) are the after-events'
 * exposures (ascending), t2_now the exposure so far.  Finds the first time the
 * verdict was decided, as if one had looked at every instant. */
struct splat_seq_path {
	enum splat_seq_verdict verdict;
	double decided_at; /* after-exposure of the decision (t2_now if
			      CONTINUE) */
	uint64_t k2;	   /* after events counted at the decision */
};
int splat_seq_path(uint64_t k1, double t1, const double *ev, size_t n,
		   double t2_now, const struct splat_seq_params *p,
		   struct splat_seq_path *out);

/* Forecast of the remaining after-exposure to a decision from (k2, t2) on,
 * if after events come at after_rate (per unit of exposure), by simulation
 * (runs paths, deterministic seed) or exactly when after_rate is 0 (then the
 * path is certain).  Needs a finite params->max_t2.  */
struct splat_seq_forecast {
	double mean, median, p90; /* remaining after-exposure */
	double p_fixed, p_not_fixed, p_inconclusive;
	unsigned runs; /* 1 when exact */
	int exact;
};
int splat_seq_forecast(uint64_t k1, double t1, uint64_t k2, double t2,
		       double after_rate, const struct splat_seq_params *p,
		       unsigned runs, uint64_t seed,
		       struct splat_seq_forecast *out);

/* The expected remaining after-exposure to a decision if the after rate were
 * the before estimate k1/t1 (the fix does nothing): what a soak shows as its
 * "expected remaining" besides to_fixed.  Exact for tolerance 0
 * ((1 - e^-(mu R))/mu, R = min(to_fixed, max - t2)), else a 2000-run forecast.
 * Returns -1 on bad input. */
int splat_seq_expected_remaining(uint64_t k1, double t1, uint64_t k2, double t2,
				 const struct splat_seq_params *p,
				 double *mean);

#endif
