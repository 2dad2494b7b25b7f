/*
 * band.c: credible bands of response and adstock curves over draws (band.h).
 */
#include <math.h>
#include <string.h>

#include "math/response.h"
#include "math/posterior/band.h"
#include "math/posterior/derive.h"

static void
draw_spec(const MMChannelSpec *base, const double *p, MMChannelSpec *s)
{
	*s = *base;
	s->adstock_p1 = p[0];
	s->adstock_p2 = p[1];
	s->sat_p1 = p[2];
	s->sat_p2 = p[3];
	s->coef = p[4];
}

long
mm_response_band_work(int D, int ns, int nx, int len)
{
	long		m = (long) len + MM_RESPONSE_MAX_TAIL;

	return 2L * D * ns			/* R and R' per draw */
		+ D						/* quantile scratch */
		+ len					/* pattern */
		+ 3 * m					/* carry, unit, other */
		+ (nx + m) * 5 + 64;	/* padded input, its adstock, prepare work (L + 2 n, L <= nx) */
}

MMStatus
mm_response_band(MMModelForm form, const MMChannelSpec *base, const double *params, int D,
				 const double *x, int nx, int start, int len, const MMChannelSpec *point,
				 const double *yhat, int nyhat, const double *spends, int ns, double level,
				 double *lower, double *upper, MMInterruptFn interrupt, double *work)
{
	const bool	mult = form == MM_FORM_MULTIPLICATIVE;
	const long	mmax = (long) len + MM_RESPONSE_MAX_TAIL;
	double	   *R = work,
			   *dR = R + (size_t) D * ns,
			   *scratch = dR + (size_t) D * ns,
			   *pattern = scratch + D,
			   *carry = pattern + len,
			   *unit = carry + mmax,
			   *other = unit + mmax,
			   *xpad = other + mmax,
			   *apt = xpad + nx + mmax,
			   *pw = apt + nx + mmax;
	double		total = 0.0,
				q[3];
	int			mo = 0;

	if (D < 1 || ns < 0 || start < 0 || len < 1 || start > nx - len || (mult && (point == NULL || nyhat < 1)))
		return MM_EDOM;
	for (int t = 0; t < len; t++)
		total += x[start + t];
	for (int t = 0; t < len; t++)
		pattern[t] = total > 0.0 ? x[start + t] / total : 1.0 / len;
	if (mult)
	{
		/* other_t = yhat_t / exp(g_t) of the point model, over the longest tail */
		MMStatus	st;

		mo = (int) mmax;
		memset(xpad, 0, sizeof(double) * (nx + mmax));
		memcpy(xpad, x, sizeof(double) * nx);
		st = mm_response_adstock(point, xpad, start + mo, apt, NULL, pw);
		if (st != MM_OK)
			return st;
		for (int t = 0; t < mo; t++)
		{
			int			j = t < nyhat ? t : nyhat - 1;
			double		g = point->coef * mm_saturation(point->saturation, point->sat_p1, point->sat_p2,
														apt[start + t] / point->input_scale);

			other[t] = yhat[j] / exp(g);
		}
	}
	for (int d = 0; d < D; d++)
	{
		MMChannelSpec s;
		MMResponseCurve rc;
		int			tail,
					m;
		MMStatus	st;

		if (interrupt)
			interrupt();
		draw_spec(base, params + (size_t) d * MM_BAND_WIDTH, &s);
		tail = mm_response_tail(&s);
		m = len + tail;
		memset(xpad, 0, sizeof(double) * (start + m));
		memcpy(xpad, x, sizeof(double) * (start + len < nx ? start + len : nx));
		st = mm_response_prepare(&s, xpad, start, pattern, len, tail, carry, unit, pw);
		if (st != MM_OK)
			return st;
		rc.form = form;
		rc.m = m;
		rc.ch.saturation = s.saturation;
		rc.ch.sat_p1 = s.sat_p1;
		rc.ch.sat_p2 = s.sat_p2;
		rc.ch.coef = s.coef;
		rc.ch.carry = carry;
		rc.ch.unit = unit;
		rc.other = mult ? other : NULL;
		rc.value = 1.0;
		for (int i = 0; i < ns; i++)
			R[(size_t) d * ns + i] = mm_response(&rc, spends[i], &dR[(size_t) d * ns + i]);
	}
	for (int i = 0; i < ns; i++)
	{
		mm_post_quantiles(R + i, D, ns, level, q, scratch);
		lower[i] = q[0];
		upper[i] = q[2];
		mm_post_quantiles(dR + i, D, ns, level, q, scratch);
		lower[ns + i] = q[0];
		upper[ns + i] = q[2];
	}
	return MM_OK;
}

long
mm_adstock_band_work(const MMChannelSpec *base, int D, int lags)
{
	long		L = base->max_lag >= 0 ? base->max_lag + 1 : 1;

	return (long) D * (lags + 1) + D + 3L * (lags + 1) + L + 64;
}

MMStatus
mm_adstock_band(const MMChannelSpec *base, const double *params, int D, int lags, double level,
				double *lower, double *upper, double *work)
{
	int			n = lags + 1;
	double	   *w = work,
			   *scratch = w + (size_t) D * n,
			   *x = scratch + D,
			   *pw = x + n,
			   q[3];

	if (D < 1 || lags < 0)
		return MM_EDOM;
	memset(x, 0, sizeof(double) * n);
	x[0] = 1.0;
	for (int d = 0; d < D; d++)
	{
		MMChannelSpec s;
		MMStatus	st;

		draw_spec(base, params + (size_t) d * MM_BAND_WIDTH, &s);
		s.input_scale = 1.0;
		st = mm_response_adstock(&s, x, n, w + (size_t) d * n, NULL, pw);
		if (st != MM_OK)
			return st;
	}
	for (int l = 0; l < n; l++)
	{
		mm_post_quantiles(w + l, D, n, level, q, scratch);
		lower[l] = q[0];
		upper[l] = q[2];
	}
	return MM_OK;
}
