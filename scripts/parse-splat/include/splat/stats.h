/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the one statistics module (Poisson rates, exact intervals,
 * rate comparison, soak planning).  Used by scan --summary, summary, report,
 * compare and plan; nothing else computes these numbers.
 *
 * Conventions: counts are integers, exposures are in hours unless a name
 * says otherwise, confidence is e.g. 0.95.
 */
#ifndef SPLAT_STATS_H
#define SPLAT_STATS_H

#include <stdint.h>

/* Quantile of the chi-square distribution with dof degrees of freedom
 * (dof > 0), p in (0,1). */
double splat_chi2_quantile(double p, double dof);

/* Exact (Garwood) two-sided interval for a Poisson mean given k events:
 * [chi2((1-c)/2; 2k)/2, chi2((1+c)/2; 2k+2)/2], lower 0 for k = 0.
 * Divide by the exposure to get a rate interval. */
void splat_poisson_mean_ci(uint64_t k, double confidence, double *lo,
			   double *hi);

/* One-sided upper bound on a Poisson mean given k events
 * (k = 0: -ln(1-c), the "rule of three" at 95%). */
double splat_poisson_mean_upper(uint64_t k, double confidence);

/* Exact conditional (binomial) one-sided p-value for "the after rate is lower
 * than the before rate": P(X <= k2) with X ~ Bin(k1+k2, t2/(t1+t2)).
 * For k2 = 0 this is (t1/(t1+t2))^k1. */
double splat_rate_drop_pvalue(uint64_t k1, double t1, uint64_t k2, double t2);

/* Exposure needed for a zero count to reject a baseline rate at the given
 * confidence: -ln(1-c)/rate (ln(20)/rate at 95%).  Same unit as 1/rate. */
double splat_zero_count_exposure(double baseline_rate, double confidence);

/* Smallest after-exposure t2 at which k2 after-events against k1 in t1 give
 * splat_rate_drop_pvalue <= 1 - confidence (the p-value falls as t2 grows
 * with k2 fixed).  INFINITY when k1 = 0 (no baseline events: no exposure can
 * show a drop).  For k2 = 0: t1 * ((1-c)^(-1/k1) - 1). */
double splat_rate_drop_exposure_needed(uint64_t k1, double t1, uint64_t k2,
				       double confidence);

#endif
