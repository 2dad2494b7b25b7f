/*
 * saturation.c: value, derivative and inverse of the saturation curves,
 * formulas.md §1.2.  Parameters are valid and a >= 0 (the glue checks).
 */
#include <math.h>
#include <string.h>
#include <stddef.h>

#include "math/saturation.h"

/*
 * Hill as 1/(1 + e^z) with z = alpha (ln K - ln a): a^alpha and K^alpha
 * overflow for large alpha, z only saturates exp() to 0 or Infinity.
 * *complement receives 1 - s computed the same way (no cancellation).
 */
static double
HillValueLogK(double alpha, double log_k, double a, double *complement)
{
	double		z;

	if (a <= 0.0)
	{
		if (complement)
			*complement = 1.0;
		return 0.0;
	}
	z = alpha * (log_k - log(a));
	if (complement)
		*complement = 1.0 / (1.0 + exp(-z));
	return 1.0 / (1.0 + exp(z));
}

static double
HillValue(double alpha, double k, double a, double *complement)
{
	return HillValueLogK(alpha, log(k), a, complement);
}

double
mm_hill_log_k(double alpha, double log_k, double a)
{
	return HillValueLogK(alpha, log_k, a, NULL);
}

/*
 * Hill s'(a) = alpha s (1 - s) / a; the limit at 0 depends on alpha.  With
 * e = e^z = (K/a)^alpha, s = 1/(1 + e) and 1 - s = e s: one log and one exp
 * (the planner's inner loop).  ln(K/a) is ln K - ln a when K/a overflows.
 */
static double
HillDeriv(double alpha, double k, double a)
{
	double		r,
				e,
				s;

	if (a <= 0.0)
	{
		if (alpha < 1.0)
			return INFINITY;
		return alpha == 1.0 ? 1.0 / k : 0.0;
	}
	r = k / a;
	e = exp(alpha * (isfinite(r) && r > 0.0 ? log(r) : log(k) - log(a)));
	if (isinf(e))
		return 0.0;				/* s = 0 */
	s = 1.0 / (1.0 + e);
	return alpha * s * (e * s) / a;
}

/* sech^2(z) = 1/cosh^2(z); cosh overflows to Infinity, giving 0 */
static double
Sech2(double z)
{
	double		ch = cosh(z);

	return 1.0 / (ch * ch);
}

double
mm_saturation(MMSaturationKind kind, double p1, double p2, double a)
{
	switch (kind)
	{
		case MM_SAT_HILL:
			return HillValue(p1, p2, a, NULL);
		case MM_SAT_LOGISTIC:
			/* (1 - e^{-lam a})/(1 + e^{-lam a}) is tanh(lam a / 2) */
			return tanh(p1 * a / 2.0);
		case MM_SAT_MICHAELIS_MENTEN:
			/* V a/(K + a) as V/(1 + K/a): V a cannot overflow */
			return a > 0.0 ? p1 / (1.0 + p2 / a) : 0.0;
		case MM_SAT_POWER:
			return pow(a, p1);
		case MM_SAT_TANH:
			return p1 * tanh(a / (p1 * p2));
	}
	return NAN;
}

double
mm_saturation_deriv(MMSaturationKind kind, double p1, double p2, double a)
{
	switch (kind)
	{
		case MM_SAT_HILL:
			return HillDeriv(p1, p2, a);
		case MM_SAT_LOGISTIC:
			return p1 / 2.0 * Sech2(p1 * a / 2.0);
		case MM_SAT_MICHAELIS_MENTEN:
			return p1 * p2 / ((p2 + a) * (p2 + a));
		case MM_SAT_POWER:
			if (a <= 0.0)
				return p1 < 1.0 ? INFINITY : 1.0;
			return p1 * pow(a, p1 - 1.0);
		case MM_SAT_TANH:
			return Sech2(a / (p1 * p2)) / p2;
	}
	return NAN;
}

double
mm_saturation_inverse(MMSaturationKind kind, double p1, double p2, double u)
{
	if (!(u >= 0.0))
		return NAN;
	switch (kind)
	{
		case MM_SAT_HILL:
			if (u >= 1.0)
				return NAN;
			if (u == 0.0)
				return 0.0;
			/* K (u/(1-u))^(1/alpha), in logs so small alpha cannot overflow early */
			return p2 * exp((log(u) - log1p(-u)) / p1);
		case MM_SAT_LOGISTIC:
			if (u >= 1.0)
				return NAN;
			return 2.0 / p1 * atanh(u);
		case MM_SAT_MICHAELIS_MENTEN:
			if (u >= p1)
				return NAN;
			return u * p2 / (p1 - u);
		case MM_SAT_POWER:
			return pow(u, 1.0 / p1);
		case MM_SAT_TANH:
			if (u >= p1)
				return NAN;
			return p1 * p2 * atanh(u / p1);
	}
	return NAN;
}

double
mm_hill_inflection(double alpha, double k)
{
	if (alpha <= 1.0)
		return 0.0;
	return k * pow((alpha - 1.0) / (alpha + 1.0), 1.0 / alpha);
}

double
mm_hill_relative_k(const double *a, int n, double gamma, int legacy)
{
	double		lo = a[0],
				hi = a[0];

	for (int i = 1; i < n; i++)
	{
		if (a[i] < lo)
			lo = a[i];
		if (a[i] > hi)
			hi = a[i];
	}
	/* Robyn R/R/transformation.R::saturation_hill; v3.12 (PR #1132) dropped min */
	if (legacy)
		return (1.0 - gamma) * lo + gamma * hi;
	return gamma * hi;
}

const char *const mm_saturation_names[MM_SATURATION_KINDS] = {
	"hill", "logistic", "michaelis_menten", "power", "tanh"
};

bool
mm_saturation_kind_parse(const char *s, MMSaturationKind *kind)
{
	for (int i = 0; i < MM_SATURATION_KINDS; i++)
		if (strcmp(s, mm_saturation_names[i]) == 0)
		{
			*kind = (MMSaturationKind) i;
			return true;
		}
	return false;
}
