/* SPDX-License-Identifier: MIT */
/*
 * sequential.c - an always-valid sequential test for two Poisson rates,
 * before (k1 events in t1) against a growing after run (k2 in t2).
 *
 * The model.  Write u = t2/t1 (after-exposure in units of the before one) and
 * rho = lambda2/lambda1.  If the before exposure is the time to the k1-th
 * event (inverse sampling: exactly the lockdep case of one report per boot,
 * run to the first report), then Lambda = lambda1 t1 ~ Gamma(k1, 1) whatever
 * lambda1 is, and the after process seen in u is a mixed Poisson (Polya)
 * process with rate rho Lambda.  Its law no longer depends on the unknown
 * lambda1: the null hypothesis is simple on this reduced data.  Integrating
 * Lambda out, the likelihood of k2 after events up to u is proportional to
 *
 *	rho^k2 / (1 + rho u)^n,  n = k1 + k2,
 *
 * so the likelihood ratio of rho = a against rho = b is
 *
 *	LR(a:b)(u) = (a/b)^k2 ((1 + b u)/(1 + a u))^n.
 *
 * This is also the conditional binomial likelihood ratio (given n events in
 * all, k2 ~ Bin(n, rho u/(1 + rho u))) that the fixed-sample test uses; here
 * it is the scale-invariant Bayes factor with the right Haar prior d(lambda)/
 * lambda on the nuisance rate (Lai 1976 "On confidence sequences", Ann.
 * Statist. 4; Perez-Ortiz, Lardy, de Heide, Grunwald 2024 "E-statistics,
 * group invariance and anytime-valid testing", Ann. Statist. 52).
 *
 * The test.  A likelihood ratio of two simple hypotheses is a nonnegative
 * martingale with mean 1 under the denominator, and so is any mixture of them
 * over the numerator (Robbins 1970 "Statistical methods related to the law of
 * the iterated logarithm", Ann. Math. Statist. 41: the method of mixtures).
 * Ville's inequality then gives P(sup_u M(u) >= 1/alpha) <= alpha: stopping
 * the first time the mixture crosses 1/alpha, looked at as often as one likes
 * and at any data-dependent times, holds the error rate at alpha (Wald 1945
 * "Sequential tests of statistical hypotheses" for the SPRT it generalises;
 * Howard, Ramdas, McAuliffe, Sekhon 2021 "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Ann. Statist. 49, for the modern
 * treatment of such e-processes).
 *
 *  FIXED: mixture over rho in {0, 1/2, 1/4, ..., 1/64} against rho = 1.  An
 *  extra after event multiplies every component by rho(1+u)/(1+rho u) < 1,
 *  so under any rho > 1 (more events, coupled by superposition) the path lies
 *  below the rho = 1 one: the composite null rho >= 1 is held too.  The
 *  rho = 0 component ("eliminated") is (1+u)^k1 while k2 = 0, 0 after.
 *  With tolerance 0 all weight is on rho = 0: FIXED is then the zero-count
 *  boundary (1+u)^k1 >= 1/alpha, exactly the fixed-length soak of stats.h
 *  (t1((1/alpha)^(1/k1) - 1)), so looking early costs nothing when the fix
 *  claims elimination.  Otherwise half the weight is on rho = 0 and half is
 *  spread evenly over the six halvings.
 *  NOT_FIXED: tolerance r > 0: mixture over rho in {1, 2, 4, 8} (weights
 *  0.4, 0.3, 0.2, 0.1) against rho = r; an extra event raises every
 *  component, so rho < r is held by thinning.  Tolerance 0: the first event.
 *
 * Between events the FIXED mixture rises with u and the NOT_FIXED one falls,
 * so each verdict reduces to a boundary: FIXED once u >= L_j with j events,
 * NOT_FIXED when the j-th event arrives at u <= U_j.
 *
 * Fixed-length before runs (Pattern A: counts in a 3 h soak) are not inverse
 * sampled; there the model is the usual conditional approximation, and
 * tests/test_sequential.c checks the error rate by simulation for both
 * designs (Pattern A 43 in 3 h, the splat at 5140 s).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "splat/sequential.h"

#define NFIX 7
#define NNF  4

static const double fix_rho[NFIX] = {0.0,      1.0 / 2,	 1.0 / 4, 1.0 / 8,
				     1.0 / 16, 1.0 / 32, 1.0 / 64};
static const double nf_rho[NNF] = {1.0, 2.0, 4.0, 8.0};
/* log of the weights 0.4, 0.3, 0.2, 0.1 on rho = 1, 2, 4, 8 = 2^i */
static const double nf_logw[NNF] = {-0.916290731874155065, -1.20397280432593599,
				    -1.60943791243410037, -2.30258509299404568};

const char *splat_seq_verdict_name(enum splat_seq_verdict v)
{
	switch (v) {
	case SPLAT_SEQ_FIXED:
		return "fixed";
	case SPLAT_SEQ_NOT_FIXED:
		return "not fixed";
	case SPLAT_SEQ_INCONCLUSIVE:
		return "inconclusive";
	case SPLAT_SEQ_CONTINUE:
		break;
	}
	return "continue";
}

int splat_seq_params_check(const struct splat_seq_params *p)
{
	if (!p || !(p->alpha > 0.0 && p->alpha < 1.0) ||
	    !(p->tolerance >= 0.0 && p->tolerance < 1.0) || isnan(p->max_t2))
		return -1;
	return 0;
}

static double fix_weight(const struct splat_seq_params *p, int i)
{
	if (p->tolerance == 0.0)
		return i == 0 ? 1.0 : 0.0;
	return i == 0 ? 0.5 : 0.5 / (NFIX - 1);
}

static double logsumexp_add(double acc, double l)
{
	if (l == -INFINITY)
		return acc;
	if (acc == -INFINITY)
		return l;
	double m = acc > l ? acc : l;

	return m + log(exp(acc - m) + exp(l - m));
}

/* log(sum exp(l[i])) over n terms (-INFINITY terms allowed) */
static double logsumexp(const double *l, int n)
{
	double m = -INFINITY, s = 0.0;

	for (int i = 0; i < n; i++)
		if (l[i] > m)
			m = l[i];
	if (m == -INFINITY || m == INFINITY)
		return m;
	for (int i = 0; i < n; i++)
		s += exp(l[i] - m);
	return m + log(s);
}

/* log of the FIXED mixture at u with j after events */
static double log_e_fixed(uint64_t k1, uint64_t j, double u,
			  const struct splat_seq_params *p)
{
	double n = (double)(k1 + j), l1u = log1p(u);

	if (p->tolerance == 0.0)
		return j == 0 ? (double)k1 * l1u : -INFINITY;
	double l[NFIX];

	/* weights 1/2 on rho = 0, 1/12 on each rho = 2^-i */
	l[0] = j == 0 ? -M_LN2 + (double)k1 * l1u : -INFINITY;
	for (int i = 1; i < NFIX; i++)
		l[i] = -log(12.0) - (double)j * i * M_LN2 +
		       n * (l1u - log1p(fix_rho[i] * u));
	return logsumexp(l, NFIX);
}

/* log of the NOT_FIXED mixture (tolerance r > 0) at u with j events */
static double log_e_not_fixed(uint64_t k1, uint64_t j, double u, double r)
{
	double n = (double)(k1 + j), lru = log1p(r * u), lr = log(r);
	double l[NNF];

	for (int i = 0; i < NNF; i++)
		l[i] = nf_logw[i] + (double)j * (i * M_LN2 - lr) +
		       n * (lru - log1p(nf_rho[i] * u));
	return logsumexp(l, NNF);
}

static int has_max(const struct splat_seq_params *p)
{
	return p->max_t2 > 0.0 && isfinite(p->max_t2);
}

double splat_seq_fixed_at(uint64_t k1, double t1, uint64_t j,
			  const struct splat_seq_params *p)
{
	if (splat_seq_params_check(p) < 0 || !(t1 > 0.0) || k1 == 0)
		return INFINITY;
	if (p->tolerance == 0.0 && j > 0)
		return INFINITY;
	double target = -log(p->alpha);

	if (log_e_fixed(k1, j, 0.0, p) >= target)
		return 0.0;
	/* the limit as u -> infinity: sum w rho^-k1 (infinite via rho = 0
	 * while j = 0) */
	if (j > 0) {
		double lim = -INFINITY;

		for (int i = 1; i < NFIX; i++)
			lim = logsumexp_add(
				lim, log(fix_weight(p, i)) -
					     (double)k1 * log(fix_rho[i]));
		if (!(lim > target))
			return INFINITY;
	}
	double lo = 0.0, hi = 1.0;

	while (log_e_fixed(k1, j, hi, p) < target) {
		lo = hi;
		hi *= 2.0;
		if (hi > 1e15)
			return INFINITY;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
		double mid = 0.5 * (lo + hi);

		if (log_e_fixed(k1, j, mid, p) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi * t1;
}

double splat_seq_not_fixed_until(uint64_t k1, double t1, uint64_t j,
				 const struct splat_seq_params *p)
{
	if (splat_seq_params_check(p) < 0 || !(t1 > 0.0) || j == 0)
		return -1.0;
	if (p->tolerance == 0.0)
		return INFINITY;
	double r = p->tolerance, target = -log(p->alpha);

	if (log_e_not_fixed(k1, j, 0.0, r) < target)
		return -1.0;
	/* falls with u towards sum w (rho/r)^j (r/rho)^n = sum w (r/rho)^k1 */
	double lo = 0.0, hi = 1.0;

	while (log_e_not_fixed(k1, j, hi, r) >= target) {
		lo = hi;
		hi *= 2.0;
		if (hi > 1e15)
			return INFINITY;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
		double mid = 0.5 * (lo + hi);

		if (log_e_not_fixed(k1, j, mid, r) >= target)
			lo = mid;
		else
			hi = mid;
	}
	return lo * t1;
}

int splat_seq_look(uint64_t k1, double t1, uint64_t k2, double t2,
		   const struct splat_seq_params *p, struct splat_seq_look *out)
{
	if (splat_seq_params_check(p) < 0 || !(t1 > 0.0) || !(t2 >= 0.0) ||
	    !out)
		return -1;
	double u = t2 / t1, target = -log(p->alpha);
	double lf = k1 > 0 ? log_e_fixed(k1, k2, u, p) : -INFINITY;
	double lnf;

	if (p->tolerance == 0.0)
		lnf = k2 > 0 ? INFINITY : -INFINITY;
	else
		lnf = log_e_not_fixed(k1, k2, u, p->tolerance);
	out->e_fixed = exp(lf);
	out->e_not_fixed = exp(lnf);
	if (lnf >= target)
		out->verdict = SPLAT_SEQ_NOT_FIXED;
	else if (lf >= target)
		out->verdict = SPLAT_SEQ_FIXED;
	else if (has_max(p) && t2 >= p->max_t2)
		out->verdict = SPLAT_SEQ_INCONCLUSIVE;
	else
		out->verdict = SPLAT_SEQ_CONTINUE;
	return 0;
}

double splat_seq_to_fixed(uint64_t k1, double t1, uint64_t k2, double t2,
			  const struct splat_seq_params *p)
{
	double at = splat_seq_fixed_at(k1, t1, k2, p);

	return at > t2 ? at - t2 : 0.0;
}

int splat_seq_path(uint64_t k1, double t1, const double *ev, size_t n,
		   double t2_now, const struct splat_seq_params *p,
		   struct splat_seq_path *out)
{
	if (splat_seq_params_check(p) < 0 || !(t1 > 0.0) || !out || (n && !ev))
		return -1;
	double max = has_max(p) ? p->max_t2 : INFINITY;
	double target = -log(p->alpha);
	uint64_t j = 0;

	for (size_t i = 0; i <= n; i++) {
		double next = i < n ? ev[i] : t2_now;
		double lim = next < max ? next : max;

		/* the FIXED mixture rises between events: if it is over the
		 * line just before the next event (or at the maximum), it
		 * crossed at the boundary */
		if (k1 > 0 && log_e_fixed(k1, j, lim / t1, p) >= target) {
			out->verdict = SPLAT_SEQ_FIXED;
			out->decided_at = splat_seq_fixed_at(k1, t1, j, p);
			out->k2 = j;
			return 0;
		}
		if (max <= next) {
			out->verdict = SPLAT_SEQ_INCONCLUSIVE;
			out->decided_at = max;
			out->k2 = j;
			return 0;
		}
		if (i == n)
			break;
		j++;
		if (p->tolerance == 0.0 ||
		    log_e_not_fixed(k1, j, ev[i] / t1, p->tolerance) >=
			    target) {
			out->verdict = SPLAT_SEQ_NOT_FIXED;
			out->decided_at = ev[i];
			out->k2 = j;
			return 0;
		}
	}
	out->verdict = SPLAT_SEQ_CONTINUE;
	out->decided_at = t2_now;
	out->k2 = j;
	return 0;
}

/* splitmix64 (Steele, Lea, Flood 2014): small, fast, same on every arch */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unit_open(uint64_t *s)
{
	/* (0, 1] */
	return ((double)(splitmix64(s) >> 11) + 1.0) * 0x1.0p-53;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Boundaries memoised by event count, grown on demand to index j. */
struct bounds {
	double *fix, *nf; /* fix[j] = fixed_at(k2 + j), nf[j] =
			     not_fixed_until(k2 + j) */
	size_t len, cap;
};

static int bounds_grow(struct bounds *b, uint64_t k1, double t1, uint64_t k2,
		       size_t j, const struct splat_seq_params *p)
{
	while (b->len <= j) {
		if (b->len == b->cap) {
			size_t nc = b->cap ? 2 * b->cap : 64;
			double *f = realloc(b->fix, nc * sizeof(*f));

			if (!f)
				return -1;
			b->fix = f;
			double *g = realloc(b->nf, nc * sizeof(*g));

			if (!g)
				return -1;
			b->nf = g;
			b->cap = nc;
		}
		b->fix[b->len] = splat_seq_fixed_at(k1, t1, k2 + b->len, p);
		b->nf[b->len] =
			splat_seq_not_fixed_until(k1, t1, k2 + b->len, p);
		b->len++;
	}
	return 0;
}

int splat_seq_forecast(uint64_t k1, double t1, uint64_t k2, double t2,
		       double after_rate, const struct splat_seq_params *p,
		       unsigned runs, uint64_t seed,
		       struct splat_seq_forecast *out)
{
	if (splat_seq_params_check(p) < 0 || !has_max(p) || !(t1 > 0.0) ||
	    !(t2 >= 0.0) || !(after_rate >= 0.0) || !isfinite(after_rate) ||
	    !out || runs == 0)
		return -1;
	struct splat_seq_look now;

	splat_seq_look(k1, t1, k2, t2, p, &now);
	if (now.verdict != SPLAT_SEQ_CONTINUE || after_rate == 0.0) {
		/* decided, or a certain path: FIXED at the boundary or the
		 * maximum */
		double rem = 0.0;
		enum splat_seq_verdict v = now.verdict;

		if (v == SPLAT_SEQ_CONTINUE) {
			double at = splat_seq_fixed_at(k1, t1, k2, p);

			v = at <= p->max_t2 ? SPLAT_SEQ_FIXED
					    : SPLAT_SEQ_INCONCLUSIVE;
			rem = (at <= p->max_t2 ? at : p->max_t2) - t2;
		}
		*out = (struct splat_seq_forecast){
			.mean = rem,
			.median = rem,
			.p90 = rem,
			.p_fixed = v == SPLAT_SEQ_FIXED,
			.p_not_fixed = v == SPLAT_SEQ_NOT_FIXED,
			.p_inconclusive = v == SPLAT_SEQ_INCONCLUSIVE,
			.runs = 1,
			.exact = 1,
		};
		return 0;
	}
	double *rem = malloc(runs * sizeof(*rem));
	struct bounds b = {0};
	unsigned nfix = 0, nnf = 0, ninc = 0;
	double sum = 0.0;
	uint64_t s = seed;
	int rc = 0;

	if (!rem)
		return -1;
	for (unsigned r = 0; r < runs && rc == 0; r++) {
		double t = t2;
		size_t j = 0;

		for (;;) {
			if (bounds_grow(&b, k1, t1, k2, j + 1, p) < 0) {
				rc = -1;
				break;
			}
			/* FIXED with j events; NOT_FIXED by the next one */
			double fix = b.fix[j], nf = b.nf[j + 1];
			double next = t - log(unit_open(&s)) / after_rate;
			double stop = fix < p->max_t2 ? fix : p->max_t2;

			if (stop <= next) {
				if (fix <= p->max_t2)
					nfix++;
				else
					ninc++;
				t = stop;
				break;
			}
			j++;
			t = next;
			if (next <= nf) {
				nnf++;
				break;
			}
		}
		rem[r] = t - t2;
		sum += rem[r];
	}
	free(b.fix);
	free(b.nf);
	if (rc == 0) {
		qsort(rem, runs, sizeof(*rem), cmp_double);
		*out = (struct splat_seq_forecast){
			.mean = sum / runs,
			.median = rem[(runs - 1) / 2],
			.p90 = rem[(size_t)ceil(0.9 * runs) - 1],
			.p_fixed = (double)nfix / runs,
			.p_not_fixed = (double)nnf / runs,
			.p_inconclusive = (double)ninc / runs,
			.runs = runs,
			.exact = 0,
		};
	}
	free(rem);
	return rc;
}

int splat_seq_expected_remaining(uint64_t k1, double t1, uint64_t k2, double t2,
				 const struct splat_seq_params *p, double *mean)
{
	struct splat_seq_look now;

	if (!mean || splat_seq_look(k1, t1, k2, t2, p, &now) < 0)
		return -1;
	if (now.verdict != SPLAT_SEQ_CONTINUE) {
		*mean = 0.0;
		return 0;
	}
	double mu = (double)k1 / t1;
	double horizon = has_max(p) ? p->max_t2 - t2 : INFINITY;
	double to_fixed = splat_seq_to_fixed(k1, t1, k2, t2, p);
	double r = to_fixed < horizon ? to_fixed : horizon;

	if (p->tolerance == 0.0) {
		/* the first event or the boundary, whichever comes first */
		*mean = mu > 0.0 ? -expm1(-mu * r) / mu : r;
		return 0;
	}
	if (!has_max(p))
		return -1;
	struct splat_seq_forecast f;

	if (splat_seq_forecast(k1, t1, k2, t2, mu, p, 2000, 0x5eedULL, &f) < 0)
		return -1;
	*mean = f.mean;
	return 0;
}
