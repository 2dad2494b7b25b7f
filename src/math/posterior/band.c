/*
 * band.c: credible bands of response and adstock curves over draws (band.h).
 */
#include <math.h>
#include <string.h>

#include "math/decompose.h"
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

long
mm_plan_band_work(const MMChannelSpec *base, int D, int C, int nhist, int H, int K)
{
	long		L = 1;

	for (int c = 0; c < C; c++)
		if (base[c].max_lag + 1 > L)
			L = base[c].max_lag + 1;
	return 2L * D * C * H		/* total, incr per draw */
		+ 4L * D * (C + 1) * K	/* flight sums per draw */
		+ D						/* quantile scratch */
		+ 6L * C * H			/* g, g0 of the draw, yhat, yhat0 */
		+ 4L * (nhist + H) + L + 64;	/* series, its adstock, the adstock work (L + 2 n) */
}

MMStatus
mm_plan_band(MMModelForm form, const MMChannelSpec *base, const double *params, int D, int C,
			 const double *hist, int nhist, const double *x, int H, const double *B,
			 const int *flight, const bool *carry, int K, double level, double *week,
			 double *fl, MMInterruptFn interrupt, double *work)
{
	const bool	mult = form == MM_FORM_MULTIPLICATIVE;
	const int	n = nhist + H;
	double	   *tot = work,
			   *inc = tot + (size_t) D * C * H,
			   *fs = inc + (size_t) D * C * H,	/* D x 2 x (C + 1) x K: incr sums, own-week kpi sums */
			   *scratch = fs + (size_t) D * 2 * (C + 1) * K,
			   *g = scratch + D,
			   *g0 = g + (size_t) C * H,
			   *xs = g0 + (size_t) C * H,
			   *a = xs + n,
			   *pw = a + n,
			   q[3];

	if (D < 1 || C < 1 || H < 1 || nhist < 0 || K < 1 || (mult && B == NULL))
		return MM_EDOM;
	for (int t = 0; t < H; t++)
		if (flight[t] < 0 || flight[t] >= K)
			return MM_EDOM;
	memset(fs, 0, sizeof(double) * (size_t) D * 2 * (C + 1) * K);
	for (int d = 0; d < D; d++)
	{
		double	   *T_ = tot + (size_t) d * C * H,
				   *I_ = inc + (size_t) d * C * H,
				   *F_ = fs + (size_t) d * 2 * (C + 1) * K;

		if (interrupt)
			interrupt();
		for (int c = 0; c < C; c++)
		{
			MMChannelSpec s;
			MMStatus	st;

			draw_spec(&base[c], params + ((size_t) d * C + c) * MM_BAND_WIDTH, &s);
			/* the term with the plan, then with the history only */
			for (int pass = 0; pass < 2; pass++)
			{
				double	   *out = pass == 0 ? g + (size_t) c * H : g0 + (size_t) c * H;

				memcpy(xs, hist + (size_t) c * nhist, sizeof(double) * nhist);
				for (int t = 0; t < H; t++)
					xs[nhist + t] = pass == 0 ? x[(size_t) c * H + t] : 0.0;
				st = mm_response_adstock(&s, xs, n, a, NULL, pw);
				if (st != MM_OK)
					return st;
				for (int t = 0; t < H; t++)
					out[t] = s.coef * mm_saturation(s.saturation, s.sat_p1, s.sat_p2, a[nhist + t] / s.input_scale);
			}
		}
		for (int t = 0; t < H; t++)
		{
			double		G = 0.0,
						G0 = 0.0,
						Lt = 1.0,
						L0 = 1.0;

			if (mult)
			{
				double		yh,
							y0;

				for (int c = 0; c < C; c++)
				{
					G += g[(size_t) c * H + t];
					G0 += g0[(size_t) c * H + t];
				}
				yh = B[t] * exp(G);
				y0 = B[t] * exp(G0);
				if (!isfinite(yh) || !isfinite(y0))
					return MM_EOVRFLW;
				Lt = mm_log_mean(yh, B[t]);
				L0 = mm_log_mean(yh, y0);
			}
			for (int c = 0; c < C; c++)
			{
				double		gv = g[(size_t) c * H + t],
							g0v = g0[(size_t) c * H + t],
							tv = Lt * gv,
							iv = L0 * (gv - g0v);
				int			k = flight[t];

				T_[(size_t) c * H + t] = tv;
				I_[(size_t) c * H + t] = iv;
				F_[(size_t) c * K + k] += iv;
				F_[(size_t) C * K + k] += iv;
				if (!carry[t])
				{
					F_[(size_t) (C + 1) * K + (size_t) c * K + k] += tv;
					F_[(size_t) (C + 1) * K + (size_t) C * K + k] += tv;
				}
			}
		}
	}
	for (int j = 0; j < C * H; j++)
	{
		mm_post_quantiles(tot + j, D, C * H, level, q, scratch);
		week[j] = q[0];
		week[(size_t) C * H + j] = q[2];
		mm_post_quantiles(inc + j, D, C * H, level, q, scratch);
		week[(size_t) 2 * C * H + j] = q[0];
		week[(size_t) 3 * C * H + j] = q[2];
	}
	for (int j = 0; j < (C + 1) * K; j++)
	{
		int			stride = 2 * (C + 1) * K;

		mm_post_quantiles(fs + j, D, stride, level, q, scratch);
		fl[j] = q[0];
		fl[(size_t) (C + 1) * K + j] = q[2];
		mm_post_quantiles(fs + (C + 1) * K + j, D, stride, level, q, scratch);
		fl[(size_t) 2 * (C + 1) * K + j] = q[0];
		fl[(size_t) 3 * (C + 1) * K + j] = q[2];
	}
	return MM_OK;
}
