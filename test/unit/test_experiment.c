/*
 * test_experiment.c: the experiment core (src/math/experiment) against the
 * worked examples of formulas §7, closed forms, and an A/A simulation of the
 * anytime-valid p-value under daily looks.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "math/experiment/abtest.h"
#include "math/experiment/bandit.h"
#include "math/experiment/bayes.h"
#include "unit.h"

/* formulas §7.1 examples */
static void
fixed_horizon(void)
{
	MMTest		t;
	MMArm		c = {50, 10, 16},
				tr = {40, 12, 36};

	UNIT_OK(mm_prop_test(10000, 1000, 10000, 1100, 0.05, &t) == MM_OK, "prop test runs");
	UNIT_NEAR(t.stat, 2.306635, 5e-7, "pooled z of 1000/10000 vs 1100/10000 (formulas §7.1)");
	UNIT_NEAR(t.p_value, 0.0210752, 5e-8, "its two-sided p");
	UNIT_NEAR(t.diff / t.se, 2.306942, 5e-7, "unpooled z");
	UNIT_NEAR(0.5 * (t.ci_high - t.ci_low), 1.959964 * sqrt(0.09 / 10000 + 0.11 * 0.89 / 10000), 1e-8,
			  "95%% interval half-width z * unpooled SE");
	UNIT_OK(mm_prop_test(10000, 0, 10000, 0, 0.05, &t) == MM_OK && isnan(t.p_value) &&
			t.ci_low == 0 && t.ci_high == 0, "no conversions anywhere: p undefined, interval [0, 0] (as R)");
	UNIT_OK(mm_prop_test(10, 11, 10, 1, 0.05, &t) == MM_EDOM, "more conversions than units is EDOM");
	UNIT_OK(mm_prop_test(10, 1, 10, 1, 1.0, &t) == MM_EDOM, "alpha 1 is EDOM");

	UNIT_OK(mm_welch_test(&c, &tr, 0.05, &t) == MM_OK, "Welch runs");
	UNIT_NEAR(t.stat, 1.810715, 5e-7, "Welch t (formulas §7.1)");
	UNIT_NEAR(t.df, 65.1121, 5e-5, "Satterthwaite df");
	UNIT_NEAR(t.p_value, 0.0747987, 5e-8, "Welch p");
	UNIT_NEAR(0.5 * (t.ci_low + t.ci_high), 2.0, 1e-12, "interval centred on the difference");
}

/* formulas §7.3: the mSPRT statistic, written out independently of abtest.c */
static double
msprt_lambda(double n, double xbar, double sigma2, double tau2)
{
	return sqrt(sigma2 / (sigma2 + n * tau2)) *
		exp(n * n * tau2 * xbar * xbar / (2 * sigma2 * (sigma2 + n * tau2)));
}

/* formulas §7.2 examples and the §7.3 identity */
static void
anytime(void)
{
	MMArm		c,
				t;
	MMAnytime	a;
	double		lo,
				hi;

	mm_arm_binary(10000, 1000, &c);
	mm_arm_binary(10000, 1100, &t);
	UNIT_OK(mm_anytime_diff(&c, &t, 0.05, MM_AJO_RHO2, &a) == MM_OK, "anytime runs");
	UNIT_NEAR(a.sigma, 0.648026, 5e-7, "sigma_f 0.648026 (formulas §7.2)");
	UNIT_NEAR(0.5 * (a.high - a.low), 0.014328, 5e-7, "confidence-sequence half-width 0.014328");
	UNIT_NEAR(1.959964 * a.sigma / sqrt(20000), 0.008981, 5e-7, "against a fixed-n half-width 0.008981 of the same sigma_f");
	UNIT_NEAR(a.p_value, 0.5684602933, 5e-10, "anytime p 0.5684602933");
	UNIT_NEAR(1.0 / msprt_lambda(20000, a.diff, a.sigma * a.sigma, MM_AJO_RHO2 * a.sigma * a.sigma),
			  a.p_value, 1e-12, "equals 1 / Lambda of the mSPRT with tau^2 = rho^2 sigma_f^2 (§7.3)");
	UNIT_NEAR(1.0 / msprt_lambda(10000, 0.01, 2 * 0.105 * 0.895, 1e-4), 1.0 / 3.734017, 5e-7,
			  "mSPRT example Lambda = 3.734017");
	mm_arm_binary(10000, 1200, &t);
	mm_anytime_diff(&c, &t, 0.05, MM_AJO_RHO2, &a);
	UNIT_NEAR(a.p_value, 0.000845, 5e-7, "1000/10000 vs 1200/10000: anytime p 0.000845");
	UNIT_OK(a.low > 0, "and its interval excludes 0");
	mm_arm_binary(10000, 1000, &c);
	UNIT_OK(mm_anytime_mean(&c, 0.05, MM_AJO_RHO2, &lo, &hi) == MM_OK, "per-arm sequence runs");
	UNIT_NEAR(0.5 * (hi - lo), 0.009185, 5e-7, "per-arm half-width 0.009185 at p = 0.1, N = 10000");
	/* the interval excludes 0 exactly when p < alpha (duality) */
	{
		int			agree = 1;

		for (int x = 1000; x <= 1200; x += 5)
		{
			mm_arm_binary(10000, x, &t);
			mm_anytime_diff(&c, &t, 0.05, MM_AJO_RHO2, &a);
			if ((a.p_value < 0.05) != (a.low > 0 || a.high < 0))
				agree = 0;
		}
		UNIT_OK(agree, "anytime interval excludes 0 iff anytime p < alpha (41 cases)");
	}
	mm_arm_binary(100, 0, &c);
	mm_arm_binary(100, 0, &t);
	UNIT_OK(mm_anytime_diff(&c, &t, 0.05, MM_AJO_RHO2, &a) == MM_OK && isnan(a.p_value) &&
			isnan(a.low), "no conversions anywhere: anytime p and interval undefined");
	UNIT_OK(mm_anytime_diff(&c, &t, 0.05, 0.0, &a) == MM_EDOM, "rho2 0 is EDOM");
}

/* formulas §7.5: two-arm closed form with log-Beta (integer a_B) */
static double
beta_greater(double aA, double bA, double aB, double bB)
{
	double		s = 0.0;

	for (int i = 0; i < (int) aB; i++)
		s += exp(gsl_sf_lnbeta(aA + i, bA + bB) - log(bB + i) - gsl_sf_lnbeta(1 + i, bB) -
				 gsl_sf_lnbeta(aA, bA));
	return s;
}

static void
bayes(void)
{
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(MM_BAYES_LIMIT);
	double		a[3] = {1001, 1101, 1051},
				b[3] = {9001, 8901, 8951},
				p[3],
				loss[3];

	UNIT_OK(mm_beta_best(3, a, b, w, NULL, p, loss) == MM_OK, "P(best) of three Beta arms runs");
	UNIT_NEAR(p[0], 0.006086, 5e-7, "P(best) 0.006086 (formulas §7.5)");
	UNIT_NEAR(p[1], 0.868627, 5e-7, "P(best) 0.868627");
	UNIT_NEAR(p[2], 0.125287, 5e-7, "P(best) 0.125287");
	UNIT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-9, "probabilities to be best sum to 1");
	UNIT_NEAR(loss[0] - loss[1], a[1] / (a[1] + b[1]) - a[0] / (a[0] + b[0]), 1e-11,
			  "loss_k - loss_j = E[theta_j] - E[theta_k]");
	UNIT_OK(loss[1] < loss[2] && loss[2] < loss[0] && loss[1] > 0, "the likely best arm has the least loss");

	UNIT_OK(mm_beta_best(2, a, b, w, NULL, p, loss) == MM_OK, "two Beta arms");
	UNIT_NEAR(p[1], 0.98945735, 5e-9, "P(B > A) = 0.98945735 (formulas §7.5)");
	UNIT_NEAR(p[1], beta_greater(a[0], b[0], a[1], b[1]), 1e-10, "quadrature equals the closed form to 1e-10");
	{
		double		aa[2] = {3, 17},
					bb[2] = {40, 170};

		mm_beta_best(2, aa, bb, w, NULL, p, loss);
		UNIT_NEAR(p[1], beta_greater(aa[0], bb[0], aa[1], bb[1]), 1e-10, "small counts: closed form to 1e-10");
	}
	/* normal posteriors: P(X1 > X0) = Phi(d / s), E max = Clark (1961) */
	{
		double		m[2] = {10, 10.5},
					s[2] = {0.4, 0.3},
					th = hypot(0.4, 0.3),
					d = (10 - 10.5) / th,
					emax = 10 * gsl_cdf_ugaussian_P(d) + 10.5 * gsl_cdf_ugaussian_P(-d) +
						th * gsl_ran_ugaussian_pdf(d);

		UNIT_OK(mm_normal_best(2, m, s, w, NULL, p, loss) == MM_OK, "two Normal arms");
		UNIT_NEAR(p[1], gsl_cdf_ugaussian_P(0.5 / th), 1e-10, "Normal P(best) = Phi(diff / sd) to 1e-10");
		UNIT_NEAR(loss[0], emax - 10, 1e-10, "Normal expected loss = E max - mean (Clark) to 1e-10");
		UNIT_NEAR(loss[1], emax - 10.5, 1e-10, "and for the better arm");
	}
	/* 100 M units per arm: GSL's incomplete beta fails here, the quadrature does not */
	{
		double		aa[2] = {3000001, 3001001},
					bb[2] = {97000001, 96999001},
					sd = sqrt(0.03 * 0.97 / 1e8 * 2),
					want = gsl_cdf_ugaussian_P(1e-5 / sd);

		UNIT_OK(mm_beta_best(2, aa, bb, w, NULL, p, loss) == MM_OK, "Beta arms of 1e8 units");
		UNIT_NEAR(p[1], want, 1e-3, "P(best) near its normal approximation at 1e8 units");
		UNIT_NEAR(p[0] + p[1], 1.0, 1e-9, "and sums to 1");
	}
	{
		double		aa[2] = {1, 1},
					bb[2] = {0, 1};

		UNIT_OK(mm_beta_best(2, aa, bb, w, NULL, p, loss) == MM_EDOM, "b = 0 is EDOM");
	}
	gsl_integration_workspace_free(w);
}

static void
srm(void)
{
	double		u[3] = {1000, 1000, 1100},
				plan[3] = {1, 1, 1},
				x,
				df,
				p;

	UNIT_OK(mm_srm_test(3, u, plan, &x, &df, &p) == MM_OK, "SRM test runs");
	UNIT_NEAR(x, (2 * 33.333333333333333 * 33.333333333333333 + 66.666666666666667 * 66.666666666666667) / (3100.0 / 3), 1e-9,
			  "chi-square against an even split");
	UNIT_NEAR(p, gsl_cdf_chisq_Q(x, 2), 1e-15, "upper tail with 2 df");
	plan[2] = 0;
	UNIT_OK(mm_srm_test(3, u, plan, &x, &df, &p) == MM_EDOM, "a zero planned share is EDOM");
}

static void
thompson(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(MM_BAYES_LIMIT);
	double		a[3] = {1001, 1101, 1051},
				b[3] = {9001, 8901, 8951},
				p[3],
				q[3],
				exact[3],
				loss[3],
				wt[3];

	gsl_rng_set(r, 7);
	mm_thompson_pbest(r, 3, a, b, 1000000, NULL, p);
	mm_beta_best(3, a, b, w, NULL, exact, loss);
	UNIT_OK(fabs(p[0] - exact[0]) < 3e-3 && fabs(p[1] - exact[1]) < 3e-3 && fabs(p[2] - exact[2]) < 3e-3,
			"Monte-Carlo P(best) (1e6 draws) within 3e-3 of the quadrature");
	gsl_rng_set(r, 7);
	mm_thompson_pbest(r, 3, a, b, 1000000, NULL, q);
	UNIT_OK(memcmp(p, q, sizeof p) == 0, "same seed, same probabilities (bit for bit)");
	UNIT_OK(mm_thompson_weights(3, p, 0.1, wt) == MM_OK, "weights with a floor");
	UNIT_NEAR(wt[0] + wt[1] + wt[2], 1.0, 1e-15, "weights sum to 1");
	UNIT_OK(wt[0] >= 0.1 && wt[2] >= 0.1, "every arm keeps its floor");
	UNIT_OK(mm_thompson_weights(3, p, 0.34, wt) == MM_EDOM, "a floor above 1/K is EDOM");

	{
		double		rates[3] = {0.03, 0.04, 0.05},
					work[18],
					share[12],
					regret[12],
					even[12],
					pb[12],
					ct = 0,
					ce = 0;
		unsigned int counts[3];
		MMBanditSim sim = {3, rates, 12, 2000, 0.05, 2000, 50, 1, 1};

		gsl_rng_set(r, 11);
		UNIT_OK(mm_bandit_simulate(r, &sim, work, counts, NULL, share, regret, even, pb) == MM_OK,
				"bandit replay runs");
		for (int t = 0; t < 12; t++)
		{
			ct += regret[t];
			ce += even[t];
		}
		UNIT_OK(ct < 0.5 * ce, "Thompson regret over 12 weeks below half the even split's");
		UNIT_OK(share[11] > 0.8 && pb[11] > 0.9, "by week 12 most traffic and belief are on the best arm");
		printf("# bandit replay (rates 3%%, 4%%, 5%%, 2000 units a week, 50 replications): cumulative regret "
			   "%.1f conversions vs %.1f for an even split; week-12 share on the best arm %.3f\n", ct, ce, share[11]);
	}
	gsl_rng_free(r);
	gsl_integration_workspace_free(w);
}

/*
 * A/A under daily looks: both arms convert at the same rate; 28 daily looks
 * at the cumulative counts; the share of replications in which any look
 * rejects, for the anytime-valid p-value (formulas §7.2) and, for contrast,
 * the fixed-horizon z test peeked at daily and read once at the end.
 */
static void
aa_type1_case(gsl_rng *r, int reps, int per_day, double rate)
{
	const int	days = 28;
	int			any_anytime = 0,
				any_fixed = 0,
				last_fixed = 0;

	for (int i = 0; i < reps; i++)
	{
		double		n = 0,
					x0 = 0,
					x1 = 0;
		int			hit_a = 0,
					hit_f = 0;

		for (int d = 0; d < days; d++)
		{
			MMArm		c,
						t;
			MMAnytime	a;
			MMTest		f;

			n += per_day;
			x0 += gsl_ran_binomial(r, rate, per_day);
			x1 += gsl_ran_binomial(r, rate, per_day);
			mm_arm_binary(n, x0, &c);
			mm_arm_binary(n, x1, &t);
			mm_anytime_diff(&c, &t, 0.05, MM_AJO_RHO2, &a);
			mm_prop_test(n, x0, n, x1, 0.05, &f);
			hit_a |= a.p_value < 0.05;
			hit_f |= f.p_value < 0.05;
			if (d == days - 1)
				last_fixed += f.p_value < 0.05;
		}
		any_anytime += hit_a;
		any_fixed += hit_f;
	}
	printf("# A/A, %d replications, 28 daily looks, %d units per arm a day, rate %g: anytime-valid "
		   "type-I error %.4f; z test peeked at daily %.4f; z test read once at day 28 %.4f\n",
		   reps, per_day, rate, (double) any_anytime / reps, (double) any_fixed / reps,
		   (double) last_fixed / reps);
	/* 3.5 Monte-Carlo standard errors above alpha */
	UNIT_OK(any_anytime <= reps * (0.05 + 3.5 * sqrt(0.05 * 0.95 / reps)),
			"A/A, %d a day at %g with daily looks: anytime-valid type-I error <= alpha", per_day, rate);
	UNIT_OK(any_fixed > reps * 0.1,
			"A/A, %d a day at %g: the z test peeked at daily exceeds alpha (why 7.2 exists)", per_day, rate);
}

static void
aa_type1(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, 2024);
	aa_type1_case(r, 4000, 500, 0.05);
	aa_type1_case(r, 4000, 50, 0.05);
	aa_type1_case(r, 2000, 5000, 0.01);
	gsl_rng_free(r);
}

void
test_experiment(void)
{
	fixed_horizon();
	anytime();
	bayes();
	srm();
	thompson();
	aa_type1();
}
