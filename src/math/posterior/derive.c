/*
 * derive.c: per-draw contributions, shares and marginal responses, and
 * their quantiles (derive.h).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "math/response.h"
#include "math/posterior/derive.h"

int
mm_post_draw_width(const MMPostData *d)
{
	return d->C * MM_POST_NPAR + 1 + d->F + 1;
}

/* the largest response tail of a channel over the posterior: its windowed lags, or the recursive cap */
static int
tail_bound(const MMPostChannel *ch)
{
	return ch->max_lag >= 0 ? ch->max_lag : MM_RESPONSE_MAX_TAIL;
}

long
mm_post_derive_work(const MMPost *ps)
{
	const MMPostData *d = ps->d;
	long		n = d->n,
				m = 0,
				rows = d->t0 + n;

	for (int c = 0; c < d->C; c++)
	{
		long		mc = d->n_train + tail_bound(&d->ch[c]);

		m = mc > m ? mc : m;
	}
	return d->C * 8L			/* specs (as doubles, generously) */
		+ d->F + 1				/* gamma */
		+ n + (1L + d->C + d->F) * n	/* yhat, contrib */
		+ 4 * m					/* pattern, carry, unit, other */
		+ (long) (d->n_train + 1)	/* pattern */
		+ 2 * (rows + m) + 64	/* response prepare work and adstock */
		+ (rows + m);			/* zero-padded input */
}

MMStatus
mm_post_derive(MMPost *ps, const double *draws, const bool *paid, gsl_rng *rng, MMInterruptFn interrupt, MMPostDerived *out, double *work)
{
	const MMPostData *d = ps->d;
	const int	C = d->C,
				F = d->F,
				n = d->n,
				nt = d->n_train,
				P = mm_post_draw_width(d),
				rows = d->t0 + n;
	const bool	mult = d->form == MM_FORM_MULTIPLICATIVE;
	MMChannelSpec spec[MM_POST_MAX_CHANNELS];
	double	   *w = work,
			   *gamma = w,
			   *yhat,
			   *contrib,
			   *pattern,
			   *carry,
			   *unit,
			   *other,
			   *rwork,
			   *xpad;
	long		mmax = 0;

	for (int c = 0; c < C; c++)
	{
		long		mc = nt + tail_bound(&d->ch[c]);

		mmax = mc > mmax ? mc : mmax;
	}
	w += F + 1;
	yhat = w;
	w += n;
	contrib = w;
	w += (size_t) (1 + C + F) * n;
	pattern = w;
	w += nt + 1;
	carry = w;
	w += mmax;
	unit = w;
	w += mmax;
	other = w;
	w += mmax;
	xpad = w;
	w += rows + mmax;
	rwork = w;

	for (int i = 0; i < out->D; i++)
	{
		const double *u = draws + (size_t) i * ps->dim;
		double		icpt,
					ysum = 0.0,
					paid_sum = 0.0,
				   *par = out->params + (size_t) i * P;
		MMStatus	st;

		if (interrupt)
			interrupt();
		st = mm_post_realize(ps, u, rng, spec, &icpt, gamma);
		if (st != MM_OK)
			return st;
		st = mm_post_decompose(ps, spec, icpt, gamma, yhat, contrib);
		if (st != MM_OK)
			return st;
		for (int c = 0; c < C; c++)
		{
			par[c * MM_POST_NPAR + 0] = spec[c].adstock_p1;
			par[c * MM_POST_NPAR + 1] = spec[c].adstock_p2;
			par[c * MM_POST_NPAR + 2] = spec[c].sat_p1;
			par[c * MM_POST_NPAR + 3] = spec[c].sat_p2;
			par[c * MM_POST_NPAR + 4] = spec[c].coef;
		}
		par[C * MM_POST_NPAR] = icpt;
		memcpy(par + C * MM_POST_NPAR + 1, gamma, sizeof(double) * F);
		par[P - 1] = mm_post_sigma(ps, u);

		for (int t = 0; t < nt; t++)
			ysum += yhat[t];
		for (int c = 0; c < C; c++)
		{
			double		s = 0.0;

			for (int t = 0; t < nt; t++)
				s += contrib[(size_t) (1 + c) * n + t];
			out->contrib[(size_t) i * C + c] = s;
			out->share[(size_t) i * C + c] = ysum != 0.0 ? s / ysum : NAN;
			if (paid[c])
				paid_sum += s;
		}
		for (int c = 0; c < C; c++)
		{
			double		deriv = NAN;

			out->effect_share[(size_t) i * C + c] =
				paid[c] && paid_sum != 0.0 ? out->contrib[(size_t) i * C + c] / paid_sum : NAN;
			if (!paid[c])
			{
				out->marginal[(size_t) i * C + c] = NAN;
				continue;
			}
			/* the marginal response at the training input, its weekly pattern kept (formulas §4.2-4.3) */
			{
				int			tail = mm_response_tail(&spec[c]),
							m = nt + tail;
				double		total = 0.0;
				MMResponseCurve rc;

				if (m > mmax)
					m = (int) mmax, tail = m - nt;
				for (int t = 0; t < nt; t++)
					total += d->x[(size_t) c * d->T + d->t0 + t];
				for (int t = 0; t < nt; t++)
					pattern[t] = total > 0.0 ? d->x[(size_t) c * d->T + d->t0 + t] / total : 1.0 / nt;
				memset(xpad, 0, sizeof(double) * (rows + tail));
				memcpy(xpad, d->x + (size_t) c * d->T, sizeof(double) * rows);
				st = mm_response_prepare(&spec[c], xpad, d->t0, pattern, nt, tail, carry, unit, rwork);
				if (st != MM_OK)
					return st;
				rc.form = d->form;
				rc.m = m;
				rc.ch.saturation = spec[c].saturation;
				rc.ch.sat_p1 = spec[c].sat_p1;
				rc.ch.sat_p2 = spec[c].sat_p2;
				rc.ch.coef = spec[c].coef;
				rc.ch.carry = carry;
				rc.ch.unit = unit;
				rc.other = NULL;
				rc.value = 1.0;
				if (mult)
				{
					/* other_t: the prediction without this channel's factor; the last period stands for the tail */
					for (int t = 0; t < m; t++)
					{
						int			j = t < n ? t : n - 1;
						double		g = spec[c].coef * ps->s[(size_t) c * n + j];

						other[t] = yhat[j] / exp(g);
					}
					rc.other = other;
				}
				(void) mm_response(&rc, total, &deriv);
				out->marginal[(size_t) i * C + c] = deriv;
			}
		}
		if (i % out->thin == 0 && i / out->thin < out->Dt)
		{
			int			k = i / out->thin;

			memcpy(out->yhat + (size_t) k * n, yhat, sizeof(double) * n);
			memcpy(out->period + (size_t) k * (1 + C + F) * n, contrib,
				   sizeof(double) * (1 + C + F) * n);
		}
	}
	return MM_OK;
}

void
mm_post_quantiles(const double *x, int n, int stride, double level, double q[3], double *work)
{
	int			k = 0;
	double		lo = (1.0 - level) / 2.0;

	for (int i = 0; i < n; i++)
		if (!isnan(x[(size_t) i * stride]))
			work[k++] = x[(size_t) i * stride];
	if (k == 0)
	{
		q[0] = q[1] = q[2] = NAN;
		return;
	}
	gsl_sort(work, 1, k);
	q[0] = gsl_stats_quantile_from_sorted_data(work, 1, k, lo);
	q[1] = gsl_stats_quantile_from_sorted_data(work, 1, k, 0.5);
	q[2] = gsl_stats_quantile_from_sorted_data(work, 1, k, 1.0 - lo);
}
