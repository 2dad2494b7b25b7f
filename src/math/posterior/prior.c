/*
 * prior.c: prior log densities and support transforms (prior.h).
 *
 * Sources of the default families: PyMC-Marketing's component priors
 * (half-normal coefficients, Beta adstock decay, Gamma saturation
 * parameters, half-normal noise) and Meridian's LogNormal ROI prior
 * (formulas.md §8.3); the densities are the textbook ones.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>

#include "math/posterior/prior.h"

const char *const mm_prior_names[MM_PRIOR_KINDS] = {
	"normal", "lognormal", "halfnormal", "gamma", "beta", "uniform", "fixed"
};

bool
mm_prior_kind_parse(const char *s, MMPriorKind *kind)
{
	for (int i = 0; i < MM_PRIOR_KINDS; i++)
		if (strcmp(s, mm_prior_names[i]) == 0)
		{
			*kind = (MMPriorKind) i;
			return true;
		}
	return false;
}

static bool
positive(double v)
{
	return v > 0.0 && isfinite(v);
}

MMStatus
mm_prior_check(const MMPrior *p)
{
	bool		half_line = p->lo == 0.0 && p->hi == INFINITY;
	bool		finite = isfinite(p->lo) && isfinite(p->hi);

	if (isnan(p->lo) || isnan(p->hi) || !(p->lo < p->hi))
		return MM_EDOM;
	switch (p->kind)
	{
		case MM_PRIOR_NORMAL:
			return isfinite(p->a) && positive(p->b) ? MM_OK : MM_EDOM;
		case MM_PRIOR_LOGNORMAL:
			return half_line && isfinite(p->a) && positive(p->b) ? MM_OK : MM_EDOM;
		case MM_PRIOR_HALFNORMAL:
			return half_line && positive(p->b) ? MM_OK : MM_EDOM;
		case MM_PRIOR_GAMMA:
			return half_line && positive(p->a) && positive(p->b) ? MM_OK : MM_EDOM;
		case MM_PRIOR_BETA:
			return finite && positive(p->a) && positive(p->b) ? MM_OK : MM_EDOM;
		case MM_PRIOR_UNIFORM:
			return finite ? MM_OK : MM_EDOM;
		case MM_PRIOR_FIXED:
			return isfinite(p->a) && p->a >= p->lo && p->a <= p->hi ? MM_OK : MM_EDOM;
	}
	return MM_EDOM;
}

/* logistic function and the logs of it and of its complement, without overflow */
static double
logistic(double u)
{
	return u >= 0.0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u));
}

static double
log_logistic(double u)
{
	return u >= 0.0 ? -log1p(exp(-u)) : u - log1p(exp(u));
}

double
mm_prior_value(const MMPrior *p, double u, double *dvdu)
{
	double		d,
				v;

	if (isfinite(p->lo) && isfinite(p->hi))
	{
		double		z = logistic(u);

		d = (p->hi - p->lo) * z * (1.0 - z);
		v = p->lo + (p->hi - p->lo) * z;
		/* keep v strictly inside when z rounds to 0 or 1 */
		if (v <= p->lo || v >= p->hi)
			v = fmin(fmax(v, nextafter(p->lo, p->hi)), nextafter(p->hi, p->lo));
	}
	else if (isfinite(p->lo))
	{
		d = exp(u);
		v = p->lo + d;
	}
	else if (isfinite(p->hi))
	{
		d = -exp(u);
		v = p->hi + d;
	}
	else
	{
		d = 1.0;
		v = u;
	}
	if (dvdu)
		*dvdu = d;
	return v;
}

double
mm_prior_unconstrain(const MMPrior *p, double v)
{
	if (isfinite(p->lo) && isfinite(p->hi))
	{
		double		z = (v - p->lo) / (p->hi - p->lo);

		return log(z) - log1p(-z);
	}
	if (isfinite(p->lo))
		return log(v - p->lo);
	if (isfinite(p->hi))
		return log(p->hi - v);
	return v;
}

double
mm_prior_logpdf(const MMPrior *p, double v)
{
	const double half_log_2pi = 0.5 * log(2.0 * M_PI);

	if (!(v > p->lo && v < p->hi) && p->kind != MM_PRIOR_FIXED)
		return -INFINITY;
	switch (p->kind)
	{
		case MM_PRIOR_NORMAL:
			{
				double		z = (v - p->a) / p->b;

				return -0.5 * z * z - log(p->b) - half_log_2pi;
			}
		case MM_PRIOR_LOGNORMAL:
			{
				double		z = (log(v) - p->a) / p->b;

				return -0.5 * z * z - log(p->b) - half_log_2pi - log(v);
			}
		case MM_PRIOR_HALFNORMAL:
			{
				double		z = v / p->b;

				return -0.5 * z * z - log(p->b) - half_log_2pi + M_LN2;
			}
		case MM_PRIOR_GAMMA:
			return p->a * log(p->b) - gsl_sf_lngamma(p->a) + (p->a - 1.0) * log(v) - p->b * v;
		case MM_PRIOR_BETA:
			{
				double		w = p->hi - p->lo,
							z = (v - p->lo) / w;

				return (p->a - 1.0) * log(z) + (p->b - 1.0) * log1p(-z)
					- gsl_sf_lnbeta(p->a, p->b) - log(w);
			}
		case MM_PRIOR_UNIFORM:
			return -log(p->hi - p->lo);
		case MM_PRIOR_FIXED:
			return v == p->a ? 0.0 : -INFINITY;
	}
	return NAN;
}

/* d log density / dv */
static double
dlogpdf(const MMPrior *p, double v)
{
	switch (p->kind)
	{
		case MM_PRIOR_NORMAL:
			return -(v - p->a) / (p->b * p->b);
		case MM_PRIOR_LOGNORMAL:
			return -1.0 / v - (log(v) - p->a) / (p->b * p->b * v);
		case MM_PRIOR_HALFNORMAL:
			return -v / (p->b * p->b);
		case MM_PRIOR_GAMMA:
			return (p->a - 1.0) / v - p->b;
		case MM_PRIOR_BETA:
			{
				double		w = p->hi - p->lo,
							z = (v - p->lo) / w;

				return ((p->a - 1.0) / z - (p->b - 1.0) / (1.0 - z)) / w;
			}
		default:
			return 0.0;
	}
}

double
mm_prior_logp_u(const MMPrior *p, double u, double *dlogp_du)
{
	double		dvdu,
				v;

	if (isfinite(p->lo) && isfinite(p->hi))
	{
		/* logit transform: log J = ln(hi - lo) + ln z + ln(1 - z), in stable logs */
		double		lz = log_logistic(u),
					l1z = log_logistic(-u),
					z = logistic(u);

		if (p->kind == MM_PRIOR_BETA)
		{
			/* the Beta density times the Jacobian is z^a (1 - z)^b / B(a, b) */
			*dlogp_du = p->a * (1.0 - z) - p->b * z;
			return p->a * lz + p->b * l1z - gsl_sf_lnbeta(p->a, p->b);
		}
		v = mm_prior_value(p, u, &dvdu);
		*dlogp_du = dlogpdf(p, v) * dvdu + (1.0 - 2.0 * z);
		return mm_prior_logpdf(p, v) + log(p->hi - p->lo) + lz + l1z;
	}
	v = mm_prior_value(p, u, &dvdu);
	if (isfinite(p->lo) || isfinite(p->hi))
	{
		/* log transform: log J = u */
		*dlogp_du = dlogpdf(p, v) * dvdu + 1.0;
		return mm_prior_logpdf(p, v) + u;
	}
	*dlogp_du = dlogpdf(p, v);
	return mm_prior_logpdf(p, v);
}

double
mm_prior_median(const MMPrior *p)
{
	double		v;

	switch (p->kind)
	{
		case MM_PRIOR_NORMAL:
			v = p->a;
			break;
		case MM_PRIOR_LOGNORMAL:
			v = exp(p->a);
			break;
		case MM_PRIOR_HALFNORMAL:
			v = p->b * gsl_cdf_ugaussian_Pinv(0.75);
			break;
		case MM_PRIOR_GAMMA:
			v = gsl_cdf_gamma_Pinv(0.5, p->a, 1.0 / p->b);
			break;
		case MM_PRIOR_BETA:
			v = p->lo + (p->hi - p->lo) * gsl_cdf_beta_Pinv(0.5, p->a, p->b);
			break;
		case MM_PRIOR_FIXED:
			return p->a;
		default:
			v = isfinite(p->lo) && isfinite(p->hi) ? 0.5 * (p->lo + p->hi) : 1.0;
	}
	/* a normal prior's mean may lie outside a truncated support */
	if (!(v > p->lo && v < p->hi))
		v = isfinite(p->lo) && isfinite(p->hi) ? 0.5 * (p->lo + p->hi)
			: isfinite(p->lo) ? p->lo + 1.0 : p->hi - 1.0;
	return v;
}
