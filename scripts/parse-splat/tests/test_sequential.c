/* SPDX-License-Identifier: MIT */
/*
 * test_sequential - the always-valid sequential verdict (sequential.h):
 * boundaries against the fixed-length figures of stats.h, and a simulation
 * over 10^4 before/after pairs per scenario with known rates (deterministic
 * seed) that proves
 *  (a) equal rates: the false "fixed" rate stays <= alpha (binomial margin)
 *      when one looks after every event and every few minutes;
 *  (b) a working fix (after rate 0, or 10x lower): the median exposure to a
 *      decision is finite (printed);
 *  (c) looking at the fixed-sample p-value at every look instead DOES exceed
 *      alpha on the same pairs.
 * Scenarios are the project's: Pattern A (14.3/h, a 3 h before soak, counts
 * Poisson) and the lockdep splat (one boot run to its first report,
 * exponential with mean 5140 s).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "splat/sequential.h"
#include "splat/stats.h"

#define ALPHA  0.05
#define NPAIRS 10000

static void assert_rel(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("got %.15g want %.15g (rel %.3g)\n", got, want,
			    rel);
		fail();
	}
}

/* ---- deterministic random numbers (splitmix64), independent of the
 * library's own generator ---- */
static uint64_t rng;

static double urand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 1.0) * 0x1.0p-53; /* (0, 1] */
}

static double rexp(double rate)
{
	return -log(urand()) / rate;
}

static uint64_t rpois(double mean)
{
	uint64_t k = 0;

	for (double t = rexp(mean); t <= 1.0; t += rexp(mean))
		k++;
	return k;
}

/* ---- scenarios ---- */
struct scen {
	const char *name;
	double lambda;	 /* before rate, per hour */
	int inverse;	 /* before: one boot run to its first report */
	double t1;	 /* else a before soak of this length (h) */
	double look;	 /* look every this many hours (and at each event) */
	double max_mult; /* maximum after-exposure, times t1 */
};

static const struct scen PATTERN_A = {"Pattern A", 43.0 / 3.0, 0,
				      3.0,	   5.0 / 60.0, 10.0};
static const struct scen SPLAT = {"splat", 3600.0 / 5140.0, 1, 0.0, 0.5, 40.0};

struct pair {
	uint64_t k1;
	double t1, max;
	double *ev;
	size_t n, cap;
};

static void draw_pair(const struct scen *s, double rho, struct pair *p)
{
	if (s->inverse) {
		p->k1 = 1;
		p->t1 = rexp(s->lambda);
	} else {
		p->t1 = s->t1;
		p->k1 = rpois(s->lambda * s->t1);
	}
	p->max = s->max_mult * p->t1;
	p->n = 0;
	if (rho == 0.0)
		return;
	for (double t = rexp(rho * s->lambda); t < p->max;
	     t += rexp(rho * s->lambda)) {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 256;
			p->ev = realloc(p->ev, p->cap * sizeof(*p->ev));
			assert_non_null(p->ev);
		}
		p->ev[p->n++] = t;
	}
}

/* The stateless look, as a soak would use it: just before and just after each
 * event, and on a grid of every s->look hours up to the maximum.  Returns the
 * verdict and sets *at to the exposure of the look that decided. */
static enum splat_seq_verdict by_looks(const struct scen *s,
				       const struct pair *p,
				       const struct splat_seq_params *par,
				       double *at)
{
	size_t i = 0;
	double g = s->look;
	struct splat_seq_look l;

	for (;;) {
		int ev_next = i < p->n && p->ev[i] < (g < p->max ? g : p->max);
		double t = ev_next ? p->ev[i] : (g < p->max ? g : p->max);

		assert_int_equal(splat_seq_look(p->k1, p->t1, i, t, par, &l),
				 0);
		if (l.verdict != SPLAT_SEQ_CONTINUE)
			break;
		if (ev_next) {
			i++;
			assert_int_equal(
				splat_seq_look(p->k1, p->t1, i, t, par, &l), 0);
			if (l.verdict != SPLAT_SEQ_CONTINUE)
				break;
		} else {
			g += s->look;
		}
	}
	*at = i < p->n ? p->ev[i] : p->max;
	return l.verdict;
}

/* The fixed-sample p-value of stats.h, P(Bin(n, q) <= k2), computed fast for
 * the naive rule: the pmf at k2 from lgamma, then the recurrence downwards
 * (terms shrink below the mode).  1 where it is surely above alpha. */
static double naive_p(uint64_t k1, double t1, uint64_t k2, double t2)
{
	uint64_t n = k1 + k2;
	double q = t2 / (t1 + t2);

	/* Above the mode p >= 1/2.  Closer than one standard deviation below
	 * the mean p is well above alpha too (not exact for every n: it can
	 * only undercount naive rejections, which makes (c) harder to pass). */
	if (n == 0 || k2 >= n ||
	    (double)k2 >= (double)n * q - sqrt((double)n * q * (1.0 - q)))
		return 1.0;
	double la = lgamma((double)n + 1) - lgamma((double)k2 + 1) -
		    lgamma((double)(n - k2) + 1) + (double)k2 * log(q) +
		    (double)(n - k2) * log1p(-q);
	double sum = 1.0, term = 1.0, r = (1.0 - q) / q;

	for (uint64_t i = k2; i > 0; i--) {
		term *= (double)i / (double)(n - i + 1) * r;
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	return exp(la) * sum;
}

static unsigned naive_checks;

/* Naive: soak on while the fixed-sample p-value is above alpha, call it fixed
 * the first time it is not, looking at every event and every few minutes.
 * With k2 fixed the p-value falls as t2 grows, so the lowest value between
 * two events is just before the second one (or at the maximum): checking
 * there is the same as checking at every look. */
static int naive_fixed(const struct pair *p)
{
	for (size_t i = 0; i <= p->n; i++) {
		double t = i < p->n ? p->ev[i] : p->max;
		double pv = naive_p(p->k1, p->t1, i, t);

		/* the library's p-value, every 64th check */
		if ((naive_checks++ & 63) == 0 && pv < 1.0 && pv > 1e-290)
			assert_rel(pv,
				   splat_rate_drop_pvalue(p->k1, p->t1, i, t),
				   1e-9);
		if (pv <= ALPHA)
			return 1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct tally {
	unsigned n, fixed, not_fixed, inconclusive, naive_fixed;
	double median_h, median_u; /* decision exposure, h and x t1 */
};

/* Pairs 0, every, 2 every, ... are also looked at as a soak would (all of
 * them in (a)); every pair's verdict comes from the continuous path. */
static void run(const struct scen *s, double rho, double tol, int naive,
		unsigned every, uint64_t seed, struct tally *t)
{
	struct pair p = {0};
	double *dec = malloc(NPAIRS * sizeof(*dec));
	double *decu = malloc(NPAIRS * sizeof(*decu));

	assert_non_null(dec);
	assert_non_null(decu);
	rng = seed;
	*t = (struct tally){.n = NPAIRS};
	for (unsigned k = 0; k < NPAIRS; k++) {
		draw_pair(s, rho, &p);
		struct splat_seq_params par = {ALPHA, tol, p.max};
		struct splat_seq_path path;
		double at;

		assert_int_equal(splat_seq_path(p.k1, p.t1, p.ev, p.n, p.max,
						&par, &path),
				 0);
		assert_int_not_equal(path.verdict, SPLAT_SEQ_CONTINUE);
		/* looking at discrete times gives the same verdict as watching
		 * every instant */
		enum splat_seq_verdict v = path.verdict;

		if (k % every == 0)
			v = by_looks(s, &p, &par, &at);
		if (v != path.verdict) {
			print_error(
				"pair %u: looks say %s at %g h, the path %s "
				"at %g h (k1 %llu t1 %g)\n",
				k, splat_seq_verdict_name(v), at,
				splat_seq_verdict_name(path.verdict),
				path.decided_at, (unsigned long long)p.k1,
				p.t1);
			fail();
		}
		t->fixed += v == SPLAT_SEQ_FIXED;
		t->not_fixed += v == SPLAT_SEQ_NOT_FIXED;
		t->inconclusive += v == SPLAT_SEQ_INCONCLUSIVE;
		dec[k] = path.decided_at;
		decu[k] = path.decided_at / p.t1;
		if (naive)
			t->naive_fixed += naive_fixed(&p);
	}
	qsort(dec, NPAIRS, sizeof(*dec), cmp_double);
	qsort(decu, NPAIRS, sizeof(*decu), cmp_double);
	t->median_h = dec[NPAIRS / 2];
	t->median_u = decu[NPAIRS / 2];
	free(dec);
	free(decu);
	free(p.ev);
}

static void print_tally(const struct scen *s, const char *what, double tol,
			const struct tally *t)
{
	printf("# %-9s %-22s tol %.1f: fixed %5.2f%%  not fixed %5.2f%%  "
	       "inconclusive %5.2f%%  median exposure to decide %.3g h "
	       "(%.3g x before)\n",
	       s->name, what, tol, 100.0 * t->fixed / t->n,
	       100.0 * t->not_fixed / t->n, 100.0 * t->inconclusive / t->n,
	       t->median_h, t->median_u);
}

/* alpha n plus three binomial standard deviations */
static double margin(unsigned n)
{
	return ALPHA * n + 3.0 * sqrt(n * ALPHA * (1.0 - ALPHA));
}

static void test_boundaries(void **state)
{
	(void)state;
	struct splat_seq_params elim = {ALPHA, 0.0, 0.0};
	struct splat_seq_params tol = {ALPHA, 0.5, 0.0};

	/* tolerance 0: FIXED is the fixed-length zero-count figure */
	assert_rel(splat_seq_fixed_at(43, 3.0, 0, &elim),
		   splat_rate_drop_exposure_needed(43, 3.0, 0, 0.95), 1e-10);
	assert_rel(splat_seq_fixed_at(1, 5140.0 / 3600, 0, &elim),
		   19.0 * 5140.0 / 3600, 1e-10);
	assert_true(isinf(splat_seq_fixed_at(43, 3.0, 1, &elim)));
	assert_true(isinf(splat_seq_not_fixed_until(43, 3.0, 1, &elim)));
	assert_true(isinf(splat_seq_fixed_at(0, 3.0, 0, &elim)));
	/* tolerance 0.5: the mixture pays for the reduced alternatives, and
	 * the boundary grows with every after event */
	double prev = splat_seq_fixed_at(43, 3.0, 0, &tol);

	assert_true(prev > splat_seq_fixed_at(43, 3.0, 0, &elim));
	for (uint64_t j = 1; j < 10; j++) {
		double at = splat_seq_fixed_at(43, 3.0, j, &tol);

		assert_true(at > prev);
		prev = at;
	}
	/* one before event cannot support FIXED once one after event came:
	 * sum w rho^-1 = 0.5/6 (2+4+...+64) = 10.5 < 20 */
	assert_true(isinf(splat_seq_fixed_at(1, 1.43, 1, &tol)));
	/* the look agrees with the boundary on both sides of it */
	struct splat_seq_look l;
	double at = splat_seq_fixed_at(43, 3.0, 2, &tol);

	assert_int_equal(splat_seq_look(43, 3.0, 2, at * 1.001, &tol, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_FIXED);
	assert_true(l.e_fixed >= 1.0 / ALPHA);
	assert_int_equal(splat_seq_look(43, 3.0, 2, at * 0.999, &tol, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_CONTINUE);
	assert_rel(splat_seq_to_fixed(43, 3.0, 2, at * 0.5, &tol), at * 0.5,
		   1e-9);
	/* NOT_FIXED: 43 before in 3 h, 30 after in 1 h is far above half the
	 * rate; 3 after in 1 h is not */
	assert_int_equal(splat_seq_look(43, 3.0, 30, 1.0, &tol, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_NOT_FIXED);
	double until = splat_seq_not_fixed_until(43, 3.0, 30, &tol);

	assert_true(until >= 1.0);
	assert_int_equal(splat_seq_look(43, 3.0, 30, until * 1.001, &tol, &l),
			 0);
	assert_int_not_equal(l.verdict, SPLAT_SEQ_NOT_FIXED);
	/* 3 after in 1 h is clearly lower (reduced: FIXED), 10 in 1 h is
	 * neither clearly lower nor clearly above half */
	assert_int_equal(splat_seq_look(43, 3.0, 3, 1.0, &tol, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_FIXED);
	assert_int_equal(splat_seq_look(43, 3.0, 10, 1.0, &tol, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_CONTINUE);
	/* tolerance 0: one after event refutes elimination */
	assert_int_equal(splat_seq_look(43, 3.0, 1, 0.01, &elim, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_NOT_FIXED);
	/* the e-values against the mixtures written out */
	double u = 0.3, ef = 0.0, enf = 0.0;
	const double w[] = {0.4, 0.3, 0.2, 0.1};

	for (int i = 1; i <= 6; i++) {
		double rho = pow(2.0, -i);

		ef += pow(rho, 2) * pow((1 + u) / (1 + rho * u), 45) / 12.0;
	}
	for (int i = 0; i < 4; i++) {
		double rho = pow(2.0, i);

		enf += w[i] * pow(rho / 0.5, 2) *
		       pow((1 + 0.5 * u) / (1 + rho * u), 45);
	}
	assert_int_equal(splat_seq_look(43, 1.0, 2, u, &tol, &l), 0);
	assert_rel(l.e_fixed, ef, 1e-12);
	assert_rel(l.e_not_fixed, enf, 1e-12);
	assert_int_equal(splat_seq_look(43, 1.0, 0, u, &tol, &l), 0);
	ef = 0.5 * pow(1 + u, 43);
	for (int i = 1; i <= 6; i++)
		ef += pow((1 + u) / (1 + pow(2.0, -i) * u), 43) / 12.0;
	assert_rel(l.e_fixed, ef, 1e-12);
	/* the maximum */
	struct splat_seq_params capped = {ALPHA, 0.0, 0.1};

	assert_int_equal(splat_seq_look(43, 3.0, 0, 0.1, &capped, &l), 0);
	assert_int_equal(l.verdict, SPLAT_SEQ_INCONCLUSIVE);
	/* bad parameters */
	struct splat_seq_params bad = {0.0, 0.0, 0.0};

	assert_int_equal(splat_seq_look(43, 3.0, 0, 1.0, &bad, &l), -1);
	bad = (struct splat_seq_params){ALPHA, 1.0, 0.0};
	assert_int_equal(splat_seq_look(43, 3.0, 0, 1.0, &bad, &l), -1);
	assert_int_equal(splat_seq_look(43, 0.0, 0, 1.0, &elim, &l), -1);
	assert_string_equal(splat_seq_verdict_name(SPLAT_SEQ_NOT_FIXED),
			    "not fixed");
}

static void test_path(void **state)
{
	(void)state;
	struct splat_seq_params tol = {ALPHA, 0.5, 30.0};
	struct splat_seq_path r;
	double ev[] = {0.1, 0.15, 2.0};
	double at1 = splat_seq_fixed_at(43, 3.0, 1, &tol);

	/* one after event, then quiet: FIXED at the one-event boundary */
	assert_true(splat_seq_fixed_at(43, 3.0, 0, &tol) > 0.1);
	assert_true(at1 > 0.15 && at1 < 30.0);
	assert_int_equal(splat_seq_path(43, 3.0, ev, 1, 30.0, &tol, &r), 0);
	assert_int_equal(r.verdict, SPLAT_SEQ_FIXED);
	assert_rel(r.decided_at, at1, 1e-12);
	assert_int_equal(r.k2, 1);
	/* not there yet */
	assert_int_equal(splat_seq_path(43, 3.0, ev, 1, at1 * 0.9, &tol, &r),
			 0);
	assert_int_equal(r.verdict, SPLAT_SEQ_CONTINUE);
	/* tolerance 0: the first event decides */
	tol.tolerance = 0.0;
	assert_int_equal(splat_seq_path(43, 3.0, ev, 3, 30.0, &tol, &r), 0);
	assert_int_equal(r.verdict, SPLAT_SEQ_NOT_FIXED);
	assert_rel(r.decided_at, 0.1, 0);
	/* the maximum before the boundary */
	tol.max_t2 = 0.1;
	assert_int_equal(splat_seq_path(43, 3.0, NULL, 0, 1.0, &tol, &r), 0);
	assert_int_equal(r.verdict, SPLAT_SEQ_INCONCLUSIVE);
	assert_rel(r.decided_at, 0.1, 0);
}

static void test_forecast(void **state)
{
	(void)state;
	struct splat_seq_params elim = {ALPHA, 0.0, 30.0};
	struct splat_seq_forecast f;
	double l0 = splat_seq_fixed_at(43, 3.0, 0, &elim);

	/* a working fix: certain */
	assert_int_equal(
		splat_seq_forecast(43, 3.0, 0, 0.0, 0.0, &elim, 1000, 1, &f),
		0);
	assert_true(f.exact);
	assert_rel(f.mean, l0, 1e-12);
	assert_rel(f.p90, l0, 1e-12);
	assert_rel(f.p_fixed, 1.0, 0);
	/* no effect, tolerance 0: first event or the boundary, whichever
	 * first; the simulation matches the closed form */
	double mu = 43.0 / 3.0, mean;

	assert_int_equal(
		splat_seq_expected_remaining(43, 3.0, 0, 0.0, &elim, &mean), 0);
	assert_rel(mean, -expm1(-mu * l0) / mu, 1e-12);
	assert_int_equal(
		splat_seq_forecast(43, 3.0, 0, 0.0, mu, &elim, 20000, 7, &f),
		0);
	assert_false(f.exact);
	assert_rel(f.mean, mean, 0.03);
	assert_rel(f.p_fixed, exp(-mu * l0), 0.1);
	assert_true(f.median <= f.p90 && f.p90 <= l0);
	/* same seed, same numbers */
	struct splat_seq_forecast g;

	assert_int_equal(
		splat_seq_forecast(43, 3.0, 0, 0.0, mu, &elim, 20000, 7, &g),
		0);
	assert_true(f.mean == g.mean && f.p90 == g.p90);
	/* needs a maximum */
	elim.max_t2 = 0.0;
	assert_int_equal(
		splat_seq_forecast(43, 3.0, 0, 0.0, mu, &elim, 10, 7, &f), -1);
}

static void test_sim_equal_rates(void **state)
{
	(void)state;
	const struct scen *sc[] = {&PATTERN_A, &SPLAT};
	const double tols[] = {0.0, 0.5};
	unsigned naive_total = 0, n_total = 0;

	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 2; j++) {
			struct tally t;

			run(sc[i], 1.0, tols[j], j == 1, 1, 0x1000 + 2 * i + j,
			    &t);
			print_tally(sc[i], "equal rates", tols[j], &t);
			if (!(t.fixed <= margin(t.n))) {
				print_error("false fixed %u of %u > %.0f\n",
					    t.fixed, t.n, margin(t.n));
				fail();
			}
			if (j == 1) {
				printf("# %-9s %-22s         naive p <= %.2f "
				       "at "
				       "every look: fixed %5.2f%% (same "
				       "pairs)\n",
				       sc[i]->name, "equal rates", ALPHA,
				       100.0 * t.naive_fixed / t.n);
				naive_total += t.naive_fixed;
				n_total += t.n;
				/* (c) the naive rule is not valid */
				if (!(t.naive_fixed > margin(t.n))) {
					print_error("naive false fixed %u of "
						    "%u not above %.0f\n",
						    t.naive_fixed, t.n,
						    margin(t.n));
					fail();
				}
			}
		}
	assert_true(n_total >= 2 * NPAIRS && naive_total > 0);
}

static void test_sim_fixed(void **state)
{
	(void)state;
	const struct scen *sc[] = {&PATTERN_A, &SPLAT};
	const double tols[] = {0.0, 0.5};
	const double rhos[] = {0.0, 0.1};

	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 2; j++)
			for (size_t r = 0; r < 2; r++) {
				struct tally t;
				char what[64];

				run(sc[i], rhos[r], tols[j], 0, 10,
				    0x2000 + 4 * i + 2 * j + r, &t);
				snprintf(what, sizeof(what), "after %s",
					 rhos[r] == 0.0 ? "0" : "10x lower");
				print_tally(sc[i], what, tols[j], &t);
				/* the median pair is decided before the
				 * maximum */
				assert_true(isfinite(t.median_h));
				if (rhos[r] == 0.0) {
					/* a working fix is always found */
					assert_int_equal(t.fixed, t.n);
					assert_true(t.median_u <
						    sc[i]->max_mult);
				} else if (!(i == 1 && j == 1)) {
					assert_true(t.median_u <
						    sc[i]->max_mult);
				}
				/* never NOT_FIXED below the tolerance */
				if (tols[j] > 0.0)
					assert_true(t.not_fixed <= margin(t.n));
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_forecast),
		cmocka_unit_test(test_sim_equal_rates),
		cmocka_unit_test(test_sim_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
