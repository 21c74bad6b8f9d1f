/* SPDX-License-Identifier: MIT */
/*
 * stats.c - Poisson rates, exact (Garwood) intervals, the exact conditional
 * rate-drop test and zero-count soak planning.  libm only.
 *
 * The chi-square quantile is the gamma quantile: chi2(p; n) = 2 G(p; n/2)
 * where G solves P(a, x) = p for the regularized lower incomplete gamma
 * function P.  P and Q = 1 - P are evaluated by the series (x < a + 1) or by
 * the Lentz continued fraction (x >= a + 1), each in the tail where it is
 * accurate; the root is found by Newton steps kept inside a bisection
 * bracket, started from the Wilson-Hilferty approximation.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "splat/stats.h"

#define GAMMA_EPS   1e-16
#define GAMMA_ITMAX 100000

/* Regularized incomplete gamma: sets *p = P(a,x), *q = Q(a,x). */
static void inc_gamma(double a, double x, double *p, double *q)
{
	if (x <= 0.0) {
		*p = 0.0;
		*q = 1.0;
		return;
	}
	if (isinf(x)) {
		*p = 1.0;
		*q = 0.0;
		return;
	}
	double lpre = a * log(x) - x - lgamma(a);

	if (x < a + 1.0) {
		/* series: P = x^a e^-x / Gamma(a+1) * sum x^n / (a+1)...(a+n)
		 */
		double ap = a, sum = 1.0 / a, del = sum;

		for (int n = 0; n < GAMMA_ITMAX; n++) {
			ap += 1.0;
			del *= x / ap;
			sum += del;
			if (fabs(del) < fabs(sum) * GAMMA_EPS)
				break;
		}
		*p = sum * exp(lpre);
		if (*p > 1.0)
			*p = 1.0;
		*q = 1.0 - *p;
	} else {
		/* continued fraction for Q (modified Lentz) */
		double b = x + 1.0 - a, c = 1.0 / DBL_MIN, d = 1.0 / b;
		double h = d;

		for (int i = 1; i < GAMMA_ITMAX; i++) {
			double an = -i * (i - a);

			b += 2.0;
			d = an * d + b;
			if (fabs(d) < DBL_MIN)
				d = DBL_MIN;
			c = b + an / c;
			if (fabs(c) < DBL_MIN)
				c = DBL_MIN;
			d = 1.0 / d;
			double del = d * c;

			h *= del;
			if (fabs(del - 1.0) < GAMMA_EPS)
				break;
		}
		*q = exp(lpre) * h;
		if (*q > 1.0)
			*q = 1.0;
		*p = 1.0 - *q;
	}
}

/* Solve P(a, x) = p (lower tail) or Q(a, x) = 1 - p (upper tail), whichever
 * is the smaller probability, for full relative precision in both tails. */
static double gamma_quantile(double p, double a)
{
	if (!(p > 0.0))
		return 0.0;
	if (!(p < 1.0))
		return INFINITY;
	int upper = p > 0.5;
	double target = upper ? 1.0 - p : p;

	/* Wilson-Hilferty start for chi2 with 2a dof, halved. */
	double n = 2.0 * a;
	double z;
	{
		/* inverse normal by a rational approximation + refinement is
		 * overkill for a start value; Acklam-like short form: */
		double t = sqrt(-2.0 * log(target));
		double zz = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
					(1.0 + 1.432788 * t + 0.189269 * t * t +
					 0.001308 * t * t * t);
		z = upper ? zz : -zz;
	}
	double h = 2.0 / (9.0 * n);
	double w = 1.0 - h + z * sqrt(h);
	double x = (w > 0.0) ? 0.5 * n * w * w * w : 0.0;

	if (!(x > 0.0) || !isfinite(x)) {
		/* small-x form: P(a,x) ~ x^a / Gamma(a+1) */
		x = exp((log(target) + lgamma(a + 1.0)) / a);
		if (upper || !(x > 0.0))
			x = a;
	}

	/* bracket [lo, hi] with f(lo) < 0 < f(hi), f = P - p */
	double lo = 0.0, hi = x;
	for (int i = 0; i < 2000; i++) {
		double pp, qq;

		inc_gamma(a, hi, &pp, &qq);
		double f = upper ? target - qq : pp - target;

		if (f >= 0.0)
			break;
		lo = hi;
		hi = hi * 2.0 + 1.0;
	}

	for (int i = 0; i < 500; i++) {
		double pp, qq;

		if (!(x > lo && x < hi))
			x = 0.5 * (lo + hi);
		inc_gamma(a, x, &pp, &qq);
		double f = upper ? target - qq : pp - target;

		if (f == 0.0)
			return x;
		if (f < 0.0)
			lo = x;
		else
			hi = x;
		/* density of Gamma(a, 1) */
		double dens = exp((a - 1.0) * log(x) - x - lgamma(a));
		double nx = (dens > 0.0 && isfinite(dens)) ? x - f / dens
							   : 0.5 * (lo + hi);

		if (!(nx > lo && nx < hi))
			nx = 0.5 * (lo + hi);
		if (fabs(nx - x) <= 1e-15 * fabs(x) ||
		    hi - lo <= 1e-15 * fabs(hi))
			return nx;
		x = nx;
	}
	return x;
}

double splat_chi2_quantile(double p, double dof)
{
	if (!(dof > 0.0) || !(p >= 0.0 && p <= 1.0))
		return NAN;
	return 2.0 * gamma_quantile(p, 0.5 * dof);
}

void splat_poisson_mean_ci(uint64_t k, double confidence, double *lo,
			   double *hi)
{
	double alpha = 1.0 - confidence;

	if (lo)
		*lo = k == 0 ? 0.0
			     : 0.5 * splat_chi2_quantile(alpha / 2.0,
							 2.0 * (double)k);
	if (hi)
		*hi = 0.5 * splat_chi2_quantile(1.0 - alpha / 2.0,
						2.0 * (double)k + 2.0);
}

double splat_poisson_mean_upper(uint64_t k, double confidence)
{
	if (k == 0)
		return -log1p(-confidence);
	return 0.5 * splat_chi2_quantile(confidence, 2.0 * (double)k + 2.0);
}

double splat_rate_drop_pvalue(uint64_t k1, double t1, uint64_t k2, double t2)
{
	uint64_t n = k1 + k2;

	if (n == 0 || !(t2 > 0.0))
		return 1.0;
	if (!(t1 > 0.0))
		return k1 == 0 ? 1.0 : 0.0;
	double q = t2 / (t1 + t2);
	double lq = log(q), l1q = log1p(-q);

	if (k2 == 0)
		return exp((double)k1 * l1q);
	if (k2 >= n)
		return 1.0;
	/* sum_{i=0}^{k2} C(n,i) q^i (1-q)^(n-i), in log space, scaled */
	double lgn = lgamma((double)n + 1.0);
	double maxl = -INFINITY;

	for (uint64_t i = 0; i <= k2; i++) {
		double l = lgn - lgamma((double)i + 1.0) -
			   lgamma((double)(n - i) + 1.0) + (double)i * lq +
			   (double)(n - i) * l1q;
		if (l > maxl)
			maxl = l;
	}
	double s = 0.0;

	for (uint64_t i = 0; i <= k2; i++) {
		double l = lgn - lgamma((double)i + 1.0) -
			   lgamma((double)(n - i) + 1.0) + (double)i * lq +
			   (double)(n - i) * l1q;
		s += exp(l - maxl);
	}
	double pv = exp(maxl + log(s));

	return pv > 1.0 ? 1.0 : pv;
}

double splat_zero_count_exposure(double baseline_rate, double confidence)
{
	if (!(baseline_rate > 0.0))
		return INFINITY;
	return -log1p(-confidence) / baseline_rate;
}

double splat_rate_drop_exposure_needed(uint64_t k1, double t1, uint64_t k2,
				       double confidence)
{
	double alpha = 1.0 - confidence;

	if (k1 == 0 || !(t1 > 0.0))
		return INFINITY;
	if (k2 == 0)
		/* (t1/(t1+t2))^k1 <= alpha */
		return t1 * (pow(alpha, -1.0 / (double)k1) - 1.0);
	/* p-value falls monotonically in t2; it tends to 0 as t2 grows */
	double lo = 0.0, hi = t1;

	for (int i = 0;
	     i < 200 && splat_rate_drop_pvalue(k1, t1, k2, hi) > alpha; i++) {
		lo = hi;
		hi *= 2.0;
	}
	if (splat_rate_drop_pvalue(k1, t1, k2, hi) > alpha)
		return INFINITY;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = 0.5 * (lo + hi);

		if (splat_rate_drop_pvalue(k1, t1, k2, mid) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}
