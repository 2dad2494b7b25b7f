/*
 * adstock.c: adstock (carry-over) weights and their convolution with a series.
 *
 * Every convention is named in shared reference formulas.md §1.1; the comment
 * on each case gives the name and where the convention comes from.  Plain C
 * on GSL: no allocation, status codes out.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "math/adstock.h"

/* Work between two interrupt checks in a long convolution (multiply-adds). */
#define MM_ADSTOCK_CHECK_EVERY (1 << 20)

/* Weights (1, 0, 0, ...): no carry-over. */
static void
NoAdstock(int L, double *w)
{
	w[0] = 1.0;
	for (int l = 1; l < L; l++)
		w[l] = 0.0;
}

/* Divide by the sum; the caller guarantees a positive sum (w[0] or max is > 0). */
static void
NormalizeBySum(int L, double *w)
{
	double		sum = 0.0;

	for (int l = 0; l < L; l++)
		sum += w[l];
	for (int l = 0; l < L; l++)
		w[l] /= sum;
}

/*
 * Robyn's relative scale (formulas §1.1.3 step 1).  R's type-7 quantile is
 * evaluated in R's own form, (1 - h) lo + h (lo + 1), and rounded like R's
 * round(): half to even.  Example: T = 8, scale = 0.5 gives 4.5, so lambda 4.
 */
MMStatus
mm_weibull_relative_lambda(double scale, int T, double *lambda)
{
	double		idx,
				lo,
				h,
				q;

	if (!(scale >= 0.0 && scale <= 1.0) || T < 1)
		return MM_EDOM;
	if (scale == 0.0)
	{
		*lambda = 0.0;			/* Robyn: scale 0 means no adstock */
		return MM_OK;
	}
	idx = 1.0 + scale * (double) (T - 1);
	lo = floor(idx);
	h = idx - lo;
	q = (h == 0.0) ? lo : (1.0 - h) * lo + h * (lo + 1.0);
	*lambda = nearbyint(q);
	return MM_OK;
}

MMStatus
mm_adstock_weights(MMAdstockKind kind, double p1, double p2,
				   int L, bool normalize, double *w)
{
	if (L < 1 || isnan(p1) || isnan(p2))
		return MM_EDOM;

	switch (kind)
	{
		case MM_ADSTOCK_GEOMETRIC:
			/* geometric_windowed: theta^l, with 0^0 = 1 (pow does that) */
			if (!(p1 >= 0.0 && p1 <= 1.0))
				return MM_EDOM;
			for (int l = 0; l < L; l++)
				w[l] = pow(p1, (double) l);
			break;

		case MM_ADSTOCK_WEIBULL_CDF:
			/* weibull_cdf_*: w_0 = 1, w_l = prod_{j=1..l} S(j), S = GSL's Q */
			if (!(p1 >= 0.0 && isfinite(p1) && p2 >= 0.0 && isfinite(p2)))
				return MM_EDOM;
			if (p1 == 0.0 || p2 == 0.0)
			{
				NoAdstock(L, w);
				break;
			}
			/* once the product underflows to 0 it stays 0: skip GSL there */
			w[0] = 1.0;
			for (int l = 1; l < L; l++)
				w[l] = (w[l - 1] == 0.0) ? 0.0 : w[l - 1] * gsl_cdf_weibull_Q((double) l, p2, p1);
			break;

		case MM_ADSTOCK_WEIBULL_PDF:
			/* weibull_pdf_*: min-max of f(1..L); constant f gives (1, 0, ...) */
			{
				double		lo,
							hi;

				if (!(p1 >= 0.0 && isfinite(p1) && p2 >= 0.0 && isfinite(p2)))
					return MM_EDOM;
				if (p1 == 0.0 || p2 == 0.0)
				{
					NoAdstock(L, w);
					break;
				}
				for (int l = 0; l < L; l++)
				{
					w[l] = gsl_ran_weibull_pdf((double) (l + 1), p2, p1);
					if (!isfinite(w[l]))
						return MM_EOVRFLW;
				}
				lo = hi = w[0];
				for (int l = 1; l < L; l++)
				{
					lo = fmin(lo, w[l]);
					hi = fmax(hi, w[l]);
				}
				if (hi == lo)
					NoAdstock(L, w);
				else
					for (int l = 0; l < L; l++)
						w[l] = (w[l] - lo) / (hi - lo);
			}
			break;

		case MM_ADSTOCK_DELAYED:
			/* delayed: alpha^((l - peak)^2), peak weight at lag round(peak) */
			if (!(p1 > 0.0 && p1 <= 1.0 && p2 >= 0.0 && p2 <= (double) (L - 1)))
				return MM_EDOM;
			for (int l = 0; l < L; l++)
				w[l] = pow(p1, ((double) l - p2) * ((double) l - p2));
			break;

		case MM_ADSTOCK_BINOMIAL:
			/* binomial (Meridian): (1 - l/L)^(1/alpha - 1), always normalised */
			if (!(p1 >= 0.0 && p1 <= 1.0))
				return MM_EDOM;
			if (p1 == 0.0)
				NoAdstock(L, w);
			else
				for (int l = 0; l < L; l++)
					w[l] = pow(1.0 - (double) l / (double) L, 1.0 / p1 - 1.0);
			normalize = true;
			break;

		default:
			return MM_EDOM;
	}

	if (normalize)
		NormalizeBySum(L, w);
	return MM_OK;
}

double
mm_adstock_convolve_at(const double *x, int t, const double *w, int L)
{
	int			last = (t < L - 1) ? t : L - 1;
	double		acc = 0.0;

	for (int l = 0; l <= last; l++)
		acc += w[l] * x[t - l];
	return acc;
}

void
mm_adstock_convolve(const double *x, int n, const double *w, int L, double *out)
{
	for (int t = 0; t < n; t++)
		out[t] = mm_adstock_convolve_at(x, t, w, L);
}

MMStatus
mm_adstock_convolve_interruptible(const double *x, int n, const double *w, int L,
								  double *out, MMInterruptFn interrupt)
{
	long		work = 0;

	/* zero weights at the tail add exact zeros: skipping them is bit-neutral */
	while (L > 1 && w[L - 1] == 0.0)
		L--;

	for (int t = 0; t < n; t++)
	{
		out[t] = mm_adstock_convolve_at(x, t, w, L);
		if (!isfinite(out[t]))
			return MM_EOVRFLW;
		work += (t < L) ? t + 1 : L;
		if (interrupt != NULL && work >= MM_ADSTOCK_CHECK_EVERY)
		{
			interrupt();
			work = 0;
		}
	}
	return MM_OK;
}

MMStatus
mm_adstock_geometric_recursive(const double *x, int n, double theta,
							   bool normalize, double *out)
{
	double		prev = 0.0;

	if (!(theta >= 0.0 && theta < 1.0) || n < 0)
		return MM_EDOM;

	for (int t = 0; t < n; t++)
	{
		/* keep the unnormalised value: out may alias x */
		prev = mm_adstock_geometric_step(x[t], theta, prev, t == 0);
		out[t] = normalize ? prev * (1.0 - theta) : prev;
		if (!isfinite(out[t]))
			return MM_EOVRFLW;
	}
	return MM_OK;
}

const char *const mm_adstock_names[MM_ADSTOCK_KINDS] = {
	"geometric", "weibull_cdf", "weibull_pdf", "delayed", "binomial"
};

bool
mm_adstock_kind_parse(const char *s, MMAdstockKind *kind)
{
	for (int i = 0; i < MM_ADSTOCK_KINDS; i++)
		if (strcmp(s, mm_adstock_names[i]) == 0)
		{
			*kind = (MMAdstockKind) i;
			return true;
		}
	return false;
}
