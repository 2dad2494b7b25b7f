/*
 * abtest.h: frequentist tests of one treatment arm against the control
 * (formulas §7.1 fixed-horizon, §7.2 anytime-valid, §7.4 several arms) and
 * the sample-ratio mismatch test.
 *
 * Plain C on GSL's distribution functions.  Inputs outside their domain give
 * MM_EDOM; a quantity that the data leave undefined (a zero variance, fewer
 * than two units) is NaN, which the glue shows as NULL.
 */
#ifndef MM_EXPERIMENT_ABTEST_H
#define MM_EXPERIMENT_ABTEST_H

#include "math/mm_status.h"

/* Adobe Journey Optimizer's mixing parameter, rho^2 = 10^-2.8 (formulas §7.2). */
#define MM_AJO_RHO2 0.0015848931924611134

/* One arm: units, mean outcome and sample variance (divisor n - 1). */
typedef struct MMArm
{
	double		n;
	double		mean;
	double		var;
} MMArm;

/* A fixed-horizon comparison of treatment against control. */
typedef struct MMTest
{
	double		diff;			/* treatment mean - control mean */
	double		se;				/* standard error of diff (unpooled) */
	double		stat;			/* z (pooled) or Welch t */
	double		df;				/* Welch-Satterthwaite degrees of freedom; z: +Inf */
	double		p_value;		/* two-sided */
	double		ci_low;
	double		ci_high;
} MMTest;

/* An anytime-valid comparison (asymptotic confidence sequence, formulas §7.2). */
typedef struct MMAnytime
{
	double		diff;
	double		sigma;			/* sigma_f of the IPW pseudo-outcome */
	double		p_value;
	double		low;
	double		high;
} MMAnytime;

/*
 * Arm of a binary outcome: x conversions in n units, variance
 * p(1 - p) n / (n - 1) (NaN below two units).  MM_EDOM unless 0 <= x <= n, n > 0.
 */
extern MMStatus mm_arm_binary(double n, double x, MMArm *arm);

/*
 * Pooled two-proportion z test of x1/n1 against x0/n0 (R's prop.test without
 * continuity correction) with the unpooled (1 - alpha) interval of the
 * difference, clipped to [-1, 1] as R does.
 */
extern MMStatus mm_prop_test(double n0, double x0, double n1, double x1, double alpha,
							 MMTest *out);

/* Welch's t test of treatment t against control c (R's t.test, var.equal = FALSE). */
extern MMStatus mm_welch_test(const MMArm *c, const MMArm *t, double alpha, MMTest *out);

/*
 * Radius of the asymptotic confidence sequence per unit of sigma after N
 * units: sqrt(2 (N rho2 + 1) / (N^2 rho2) ln(sqrt(N rho2 + 1) / alpha)).
 */
extern double mm_cs_radius(double N, double alpha, double rho2);

/*
 * Anytime-valid interval of one arm's mean: mean +- sd * radius(n).
 * low and high are NaN when the arm has fewer than two units.
 */
extern MMStatus mm_anytime_mean(const MMArm *a, double alpha, double rho2,
								double *low, double *high);

/*
 * Anytime-valid interval and p-value of treatment - control with the
 * empirical propensities n_k / N (formulas §7.2).
 */
extern MMStatus mm_anytime_diff(const MMArm *c, const MMArm *t, double alpha, double rho2,
								MMAnytime *out);

/*
 * Pearson's chi-square goodness of fit of observed units per arm against a
 * planned split (any positive weights): statistic, k - 1 degrees of freedom
 * and the upper-tail p-value.
 */
extern MMStatus mm_srm_test(int k, const double *units, const double *planned,
							double *chi2, double *df, double *p_value);

#endif
