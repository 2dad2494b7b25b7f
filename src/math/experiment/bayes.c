/*
 * bayes.c: probability to be best and expected loss of K posteriors by
 * adaptive quadrature (formulas §7.5).
 *
 * P(best)_k = int f_k prod_{j != k} F_j over arm k's central 1 - 2e-12 mass;
 * loss_k = E[max_j theta_j] - E[theta_k] = int (F_k - prod_j F_j) dx, an
 * integrand that is never negative, so small losses keep their digits.  Both
 * split the range at every arm's quantiles and mean, so a narrow posterior is
 * never stepped over, and integrate each piece with GSL's QAGS.
 *
 * Densities, distribution functions and quantiles come from R's standalone
 * mathematics library (libRmath, Debian r-mathlib): GSL's incomplete beta
 * stops converging near 2e5 units per arm (its continued fraction is capped
 * at 512 terms), while R's pbeta (TOMS 708) holds at any count, and both are
 * evaluated in logs so products of many tiny factors do not underflow.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include "math/experiment/bayes.h"

#define MAX_ARMS MM_BAYES_MAX_ARMS

/* Mass left out on each side of an arm's window. */
#define TAIL 1e-12

typedef struct Posteriors
{
	int			K;
	int			k;				/* arm whose integrand is evaluated */
	int			beta;			/* 1 Beta(p1, p2), 0 Normal(p1, p2) */
	const double *p1;
	const double *p2;
	double		lows[MAX_ARMS];	/* each arm's TAIL and 1 - TAIL quantiles */
	double		highs[MAX_ARMS];
} Posteriors;

static double
log_pdf(const Posteriors *ps, int j, double x)
{
	return ps->beta ? dbeta(x, ps->p1[j], ps->p2[j], 1) : dnorm(x, ps->p1[j], ps->p2[j], 1);
}

static double
cdf(const Posteriors *ps, int j, double x, int log_p)
{
	return ps->beta ? pbeta(x, ps->p1[j], ps->p2[j], 1, log_p) : pnorm(x, ps->p1[j], ps->p2[j], 1, log_p);
}

static double
quantile(const Posteriors *ps, int j, double p, int lower)
{
	return ps->beta ? qbeta(p, ps->p1[j], ps->p2[j], lower, 0) : qnorm(p, ps->p1[j], ps->p2[j], lower, 0);
}

static double
mean_of(const Posteriors *ps, int j)
{
	return ps->beta ? ps->p1[j] / (ps->p1[j] + ps->p2[j]) : ps->p1[j];
}

/*
 * log prod_{j != k} F_j(x).  An arm whose window lies below x counts as 1 and
 * one whose window lies above x as 0 (-Inf): each is off by at most TAIL, and
 * with many arms most of them are skipped this way.
 */
static double
log_others(const Posteriors *ps, double x)
{
	double		s = 0.0;

	for (int j = 0; j < ps->K; j++)
	{
		if (j == ps->k || x >= ps->highs[j])
			continue;
		if (x <= ps->lows[j])
			return -INFINITY;
		s += cdf(ps, j, x, 1);
	}
	return s;
}

/* f_k(x) prod_{j != k} F_j(x) */
static double
best_integrand(double x, void *arg)
{
	const Posteriors *ps = arg;
	double		s = log_others(ps, x);

	return s == -INFINITY ? 0.0 : exp(log_pdf(ps, ps->k, x) + s);
}

/* F_k(x) - prod_j F_j(x) = F_k(x) (1 - prod_{j != k} F_j(x)), never negative */
static double
loss_integrand(double x, void *arg)
{
	const Posteriors *ps = arg;

	return cdf(ps, ps->k, x, 0) * -expm1(log_others(ps, x));
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Integrate fn over [lo, hi], piece by piece between the window ends and
 * means of the narrow arms that fall inside (sorted, duplicates dropped), so
 * the adaptive rule cannot step over a narrow posterior; each piece by
 * GSL's QAGS (which also copes with the integrable end singularities of
 * Beta densities with a parameter below 1).  A piece that stops short of
 * its tolerance through round-off is accepted when its error estimate is
 * still within MM_BAYES_EPS.
 */
static MMStatus
integrate(double (*fn) (double, void *), Posteriors *ps, double lo, double hi,
		  gsl_integration_workspace *w, double *out)
{
	double		pts[3 * MAX_ARMS + 2];
	size_t		np = 0,
				nu = 1;
	double		total = 0.0,
				error = 0.0;
	gsl_function F;

	*out = 0.0;
	if (!(hi > lo))
		return MM_OK;
	for (int j = 0; j < ps->K; j++)
	{
		double		c[3] = {ps->lows[j], mean_of(ps, j), ps->highs[j]};

		/* an arm as wide as a twentieth of the range needs no break points */
		if (20.0 * (ps->highs[j] - ps->lows[j]) > hi - lo)
			continue;
		for (int i = 0; i < 3; i++)
			if (c[i] > lo && c[i] < hi)
				pts[np++] = c[i];
	}
	qsort(pts, np, sizeof(double), cmp_double);
	/* lo, the distinct inner points, hi */
	memmove(pts + 1, pts, sizeof(double) * np);
	pts[0] = lo;
	for (size_t i = 1; i <= np; i++)
		if (pts[i] > pts[nu - 1])
			pts[nu++] = pts[i];
	pts[nu++] = hi;

	F.function = fn;
	F.params = ps;
	for (size_t i = 0; i + 1 < nu; i++)
	{
		double		result,
					abserr;
		int			st = gsl_integration_qags(&F, pts[i], pts[i + 1], 0.0, MM_BAYES_EPS * 1e-2,
											  MM_BAYES_LIMIT, w, &result, &abserr);

		if (!isfinite(result) || (st != GSL_SUCCESS && !(abserr <= MM_BAYES_EPS * 1e-2)))
			return MM_ENOCONV;
		total += result;
		error += abserr;
	}
	if (!(error <= MM_BAYES_EPS * fmax(1.0, fabs(total))))
		return MM_ENOCONV;
	*out = total;
	return MM_OK;
}

static MMStatus
best_and_loss(Posteriors *ps, gsl_integration_workspace *w, MMInterruptFn interrupt,
			  double *p_best, double *loss)
{
	double		lo = INFINITY,
				hi = -INFINITY;
	MMStatus	st;

	if (ps->K < 1 || ps->K > MAX_ARMS || w->limit < MM_BAYES_LIMIT)
		return MM_EDOM;
	for (int j = 0; j < ps->K; j++)
	{
		if (!isfinite(ps->p1[j]) || !(ps->p2[j] > 0.0) || !isfinite(ps->p2[j]) ||
			(ps->beta && !(ps->p1[j] > 0.0)))
			return MM_EDOM;
		ps->lows[j] = quantile(ps, j, TAIL, 1);
		ps->highs[j] = quantile(ps, j, TAIL, 0);
		if (!isfinite(ps->lows[j]) || !isfinite(ps->highs[j]))
			return MM_EOVRFLW;
		lo = fmin(lo, ps->lows[j]);
		hi = fmax(hi, ps->highs[j]);
	}
	if (ps->K == 1)
	{
		p_best[0] = 1.0;
		loss[0] = 0.0;
		return MM_OK;
	}
	for (ps->k = 0; ps->k < ps->K; ps->k++)
	{
		if (interrupt)
			interrupt();
		/* below arm k's window F_k is at most TAIL: the loss starts there */
		st = integrate(best_integrand, ps, ps->lows[ps->k], ps->highs[ps->k], w, &p_best[ps->k]);
		if (st == MM_OK)
			st = integrate(loss_integrand, ps, ps->lows[ps->k], hi, w, &loss[ps->k]);
		if (st != MM_OK)
			return st;
	}
	return MM_OK;
}

MMStatus
mm_beta_best(int K, const double *a, const double *b, gsl_integration_workspace *w,
			 MMInterruptFn interrupt, double *p_best, double *loss)
{
	Posteriors	ps = {.K = K, .beta = 1, .p1 = a, .p2 = b};

	return best_and_loss(&ps, w, interrupt, p_best, loss);
}

MMStatus
mm_normal_best(int K, const double *mean, const double *sd, gsl_integration_workspace *w,
			   MMInterruptFn interrupt, double *p_best, double *loss)
{
	Posteriors	ps = {.K = K, .beta = 0, .p1 = mean, .p2 = sd};

	return best_and_loss(&ps, w, interrupt, p_best, loss);
}

double
mm_beta_quantile(double p, double a, double b)
{
	return qbeta(p, a, b, 1, 0);
}
