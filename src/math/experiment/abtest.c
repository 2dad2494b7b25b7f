/*
 * abtest.c: fixed-horizon and anytime-valid tests of a treatment arm against
 * the control, and the sample-ratio mismatch test (formulas §7.1, §7.2, §7.4).
 *
 * The anytime-valid interval is the asymptotic confidence sequence of
 * Waudby-Smith et al. (arXiv:2103.06476, Thm 2.2) that Adobe Journey
 * Optimizer and CJA report, on the inverse-propensity pseudo-outcome with
 * empirical propensities; its p-value is the normal-mixture mSPRT with the
 * plug-in variance (formulas §7.3).
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "math/experiment/abtest.h"

static int
alpha_ok(double alpha)
{
	return alpha > 0.0 && alpha < 1.0;
}

MMStatus
mm_arm_binary(double n, double x, MMArm *arm)
{
	double		p;

	if (!(n > 0.0) || !isfinite(n) || !(x >= 0.0) || x > n)
		return MM_EDOM;
	p = x / n;
	arm->n = n;
	arm->mean = p;
	arm->var = n > 1.0 ? p * (1.0 - p) * n / (n - 1.0) : NAN;
	return MM_OK;
}

MMStatus
mm_prop_test(double n0, double x0, double n1, double x1, double alpha, MMTest *out)
{
	double		p0,
				p1,
				pool,
				se_pool,
				z;

	if (!(n0 > 0.0) || !(n1 > 0.0) || !isfinite(n0) || !isfinite(n1) ||
		!(x0 >= 0.0) || !(x1 >= 0.0) || x0 > n0 || x1 > n1 || !alpha_ok(alpha))
		return MM_EDOM;
	p0 = x0 / n0;
	p1 = x1 / n1;
	pool = (x0 + x1) / (n0 + n1);
	out->diff = p1 - p0;
	out->df = INFINITY;
	out->se = sqrt(p0 * (1.0 - p0) / n0 + p1 * (1.0 - p1) / n1);
	se_pool = sqrt(pool * (1.0 - pool) * (1.0 / n0 + 1.0 / n1));
	if (se_pool > 0.0)
	{
		z = out->diff / se_pool;
		out->stat = z;
		out->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
	}
	else
		out->stat = out->p_value = NAN;
	z = gsl_cdf_ugaussian_Qinv(alpha / 2.0);
	out->ci_low = fmax(-1.0, out->diff - z * out->se);
	out->ci_high = fmin(1.0, out->diff + z * out->se);
	return MM_OK;
}

MMStatus
mm_welch_test(const MMArm *c, const MMArm *t, double alpha, MMTest *out)
{
	double		v0,
				v1,
				se2;

	if (!(c->n > 0.0) || !(t->n > 0.0) || !isfinite(c->mean) || !isfinite(t->mean) ||
		!(c->var >= 0.0 || isnan(c->var)) || !(t->var >= 0.0 || isnan(t->var)) ||
		!alpha_ok(alpha))
		return MM_EDOM;
	out->diff = t->mean - c->mean;
	out->se = out->stat = out->df = out->p_value = out->ci_low = out->ci_high = NAN;
	if (c->n < 2.0 || t->n < 2.0 || isnan(c->var) || isnan(t->var))
		return MM_OK;
	v0 = c->var / c->n;
	v1 = t->var / t->n;
	se2 = v0 + v1;
	if (!(se2 > 0.0))
		return MM_OK;
	out->se = sqrt(se2);
	out->stat = out->diff / out->se;
	out->df = se2 * se2 / (v1 * v1 / (t->n - 1.0) + v0 * v0 / (c->n - 1.0));
	out->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(out->stat), out->df);
	out->ci_low = out->diff - gsl_cdf_tdist_Qinv(alpha / 2.0, out->df) * out->se;
	out->ci_high = out->diff + gsl_cdf_tdist_Qinv(alpha / 2.0, out->df) * out->se;
	return MM_OK;
}

double
mm_cs_radius(double N, double alpha, double rho2)
{
	double		a = N * rho2 + 1.0;

	return sqrt(2.0 * a / (N * N * rho2) * (0.5 * log(a) - log(alpha)));
}

static int
rho2_ok(double rho2)
{
	return rho2 > 0.0 && isfinite(rho2);
}

MMStatus
mm_anytime_mean(const MMArm *a, double alpha, double rho2, double *low, double *high)
{
	double		r;

	if (!(a->n > 0.0) || !isfinite(a->n) || !isfinite(a->mean) || !alpha_ok(alpha) ||
		!rho2_ok(rho2))
		return MM_EDOM;
	if (a->n < 2.0 || !(a->var >= 0.0))
	{
		*low = *high = NAN;
		return MM_OK;
	}
	r = sqrt(a->var) * mm_cs_radius(a->n, alpha, rho2);
	*low = a->mean - r;
	*high = a->mean + r;
	return MM_OK;
}

MMStatus
mm_anytime_diff(const MMArm *c, const MMArm *t, double alpha, double rho2, MMAnytime *out)
{
	double		N,
				s2,
				a,
				r;

	if (!(c->n > 0.0) || !(t->n > 0.0) || !isfinite(c->n) || !isfinite(t->n) ||
		!isfinite(c->mean) || !isfinite(t->mean) || !alpha_ok(alpha) || !rho2_ok(rho2))
		return MM_EDOM;
	N = c->n + t->n;
	out->diff = t->mean - c->mean;
	out->sigma = out->p_value = out->low = out->high = NAN;
	if (c->n < 2.0 || t->n < 2.0 || !(c->var >= 0.0) || !(t->var >= 0.0))
		return MM_OK;
	/* sigma_f^2 = (s1^2 + mu1^2)/pi1 + (s0^2 + mu0^2)/pi0 - psi^2, pi_k = n_k / N */
	s2 = (t->var + t->mean * t->mean) * (N / t->n) +
		(c->var + c->mean * c->mean) * (N / c->n) - out->diff * out->diff;
	if (!(s2 > 0.0) || !isfinite(s2))
		return MM_OK;
	out->sigma = sqrt(s2);
	r = out->sigma * mm_cs_radius(N, alpha, rho2);
	out->low = out->diff - r;
	out->high = out->diff + r;
	/* p = min(1, sqrt(N rho2 + 1) exp(-N^2 rho2 psi^2 / (2 sigma^2 (N rho2 + 1)))), in logs */
	a = N * rho2 + 1.0;
	out->p_value = fmin(1.0, exp(0.5 * log(a) -
								 N * N * rho2 * out->diff * out->diff / (2.0 * s2 * a)));
	return MM_OK;
}

MMStatus
mm_srm_test(int k, const double *units, const double *planned, double *chi2, double *df,
			double *p_value)
{
	double		n = 0.0,
				w = 0.0,
				x = 0.0;

	if (k < 2)
		return MM_EDOM;
	for (int i = 0; i < k; i++)
	{
		if (!(units[i] >= 0.0) || !isfinite(units[i]) || !(planned[i] > 0.0) ||
			!isfinite(planned[i]))
			return MM_EDOM;
		n += units[i];
		w += planned[i];
	}
	if (!(n > 0.0) || !isfinite(w))
		return MM_EDOM;
	for (int i = 0; i < k; i++)
	{
		double		e = n * planned[i] / w;

		x += (units[i] - e) * (units[i] - e) / e;
	}
	*chi2 = x;
	*df = k - 1;
	*p_value = gsl_cdf_chisq_Q(x, k - 1);
	return MM_OK;
}
