/*
 * pool.c: geo-level effects with partial pooling (pool.h, doc/geo.md).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <lapacke.h>

#include "math/geo/pool.h"

/* Relative precision of the (flat) priors of the intercept and fixed terms. */
#define GEO_FLAT 1e-9

static int
geo_max_window(const MMGeoData *d, const MMChannelSpec *spec)
{
	int			L = 1;

	for (int c = 0; c < d->C; c++)
		if (spec[c].max_lag + 1 > L)
			L = spec[c].max_lag + 1;
	return L;
}

long
mm_geo_work_size(const MMGeoData *d)
{
	long		p = 1 + d->F + d->C;

	/* xs, a (T each), weights (at most 10,001 lags), S (C x n), Zs (F x n),
	 * XtX, P (p x p), Xty, b, e (p) */
	return 2L * d->T + 10001 + (long) d->C * d->n + (long) d->F * d->n + 2 * p * p + 3 * p;
}

/* s_c over the window rows of geo g: saturation(adstock(r_g x_gc) / input_scale). */
static MMStatus
geo_series(const MMGeoData *d, const MMChannelSpec *sp, int g, int c,
		   double *xs, double *a, double *w, double *s)
{
	const double *x = d->x + ((size_t) g * d->C + c) * d->T;
	const double r = d->scale[g];

	for (int t = 0; t < d->T; t++)
		xs[t] = r * x[t];
	if (sp->max_lag < 0)
	{
		MMStatus	st = mm_adstock_geometric_recursive(xs, d->T, sp->adstock_p1,
														sp->adstock_normalize, a);

		if (st != MM_OK)
			return st;
	}
	else
	{
		MMStatus	st = mm_adstock_weights(sp->adstock, sp->adstock_p1, sp->adstock_p2,
											sp->max_lag + 1, sp->adstock_normalize, w);

		if (st != MM_OK)
			return st;
		mm_adstock_convolve(xs, d->T, w, sp->max_lag + 1, a);
	}
	for (int t = 0; t < d->n; t++)
	{
		s[t] = mm_saturation(sp->saturation, sp->sat_p1, sp->sat_p2,
							 a[d->t0 + t] / sp->input_scale);
		if (!isfinite(s[t]))
			return MM_EOVRFLW;
	}
	return MM_OK;
}

/* The fixed regressors standardised over the training rows (a constant one: 0). */
static void
geo_standardise(const MMGeoData *d, double *Zs)
{
	for (int k = 0; k < d->F; k++)
	{
		const double *z = d->Z + (size_t) k * d->n;
		double		mean = 0.0,
					ss = 0.0;

		for (int t = 0; t < d->n_train; t++)
			mean += z[t] / d->n_train;
		for (int t = 0; t < d->n_train; t++)
			ss += (z[t] - mean) * (z[t] - mean);
		for (int t = 0; t < d->n; t++)
			Zs[(size_t) k * d->n + t] = ss > 0.0 ? (z[t] - mean) / sqrt(ss / d->n_train) : 0.0;
	}
}

/* Column j of geo g's design at row t: 1, the standardised fixed terms, the channels. */
static inline double
geo_col(const MMGeoData *d, const double *Zs, const double *S, int j, int t)
{
	if (j == 0)
		return 1.0;
	if (j <= d->F)
		return Zs[(size_t) (j - 1) * d->n + t];
	return S[(size_t) (j - 1 - d->F) * d->n + t];
}

/* X'X and X'(r_g y_g) over the training rows (lower triangle, column-major). */
static void
geo_normal_equations(const MMGeoData *d, const double *Zs, const double *S, int g,
					 double *XtX, double *Xty)
{
	const int	p = 1 + d->F + d->C;
	const double *y = d->y + (size_t) g * d->n;

	for (int j = 0; j < p; j++)
	{
		double		v = 0.0;

		for (int t = 0; t < d->n_train; t++)
			v += geo_col(d, Zs, S, j, t) * d->scale[g] * y[t];
		Xty[j] = v;
		for (int i = j; i < p; i++)
		{
			double		u = 0.0;

			for (int t = 0; t < d->n_train; t++)
				u += geo_col(d, Zs, S, i, t) * geo_col(d, Zs, S, j, t);
			XtX[(size_t) j * p + i] = u;
		}
	}
}

/* Every channel series of geo g into S (C x n). */
static MMStatus
geo_design(const MMGeoData *d, const MMChannelSpec *spec, int g, double *xs, double *a,
		   double *w, double *S)
{
	for (int c = 0; c < d->C; c++)
	{
		MMStatus	st = geo_series(d, &spec[c], g, c, xs, a, w, S + (size_t) c * d->n);

		if (st != MM_OK)
			return st;
	}
	return MM_OK;
}

MMStatus
mm_geo_hyper(const MMGeoData *d, const MMChannelSpec *spec, double tau_floor,
			 double *sigma, double *tau, double *unpooled, double *work,
			 MMInterruptFn interrupt)
{
	const int	p = 1 + d->F + d->C;
	double	   *xs = work,
			   *a = xs + d->T,
			   *w = a + d->T,
			   *S = w + 10001,
			   *Zs = S + (size_t) d->C * d->n,
			   *XtX = Zs + (size_t) d->F * d->n,
			   *P = XtX + (size_t) p * p,
			   *Xty = P + (size_t) p * p,
			   *b = Xty + p;
	double		sum_w[64],
				sum_wd2[64];

	if (d->G < 1 || d->C < 1 || d->C > 64 || d->n_train <= p || d->n_train > d->n ||
		d->t0 < 0 || d->t0 + d->n > d->T || geo_max_window(d, spec) > 10001 || !(tau_floor >= 0.0))
		return MM_EDOM;
	geo_standardise(d, Zs);
	for (int c = 0; c < d->C; c++)
		sum_w[c] = sum_wd2[c] = 0.0;

	for (int g = 0; g < d->G; g++)
	{
		const double *y = d->y + (size_t) g * d->n;
		double		rss = 0.0,
					ridge;
		MMStatus	st;

		if (interrupt)
			interrupt();
		if (!(d->scale[g] > 0.0) || !isfinite(d->scale[g]))
			return MM_EDOM;
		st = geo_design(d, spec, g, xs, a, w, S);
		if (st != MM_OK)
			return st;
		geo_normal_equations(d, Zs, S, g, XtX, Xty);
		/* least squares with a negligible ridge (a constant fixed term stays 0) */
		ridge = 0.0;
		for (int j = 0; j < p; j++)
			ridge += XtX[(size_t) j * p + j];
		ridge *= GEO_FLAT / p;
		memcpy(P, XtX, sizeof(double) * p * p);
		for (int j = 0; j < p; j++)
			P[(size_t) j * p + j] += ridge;
		memcpy(b, Xty, sizeof(double) * p);
		if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', p, P, p) != 0 ||
			LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', p, 1, P, p, b, p) != 0 ||
			LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', p, P, p) != 0)
			return MM_ESING;
		for (int t = 0; t < d->n_train; t++)
		{
			double		e = d->scale[g] * y[t];

			for (int j = 0; j < p; j++)
				e -= geo_col(d, Zs, S, j, t) * b[j];
			rss += e * e;
		}
		sigma[g] = sqrt(rss / (d->n_train - p));
		if (!(sigma[g] > 0.0) || !isfinite(sigma[g]))
			return MM_ESING;
		for (int c = 0; c < d->C; c++)
		{
			const int	j = 1 + d->F + c;
			double		v = sigma[g] * sigma[g] * P[(size_t) j * p + j];
			double		dev = b[j] - spec[c].coef;

			unpooled[(size_t) g * d->C + c] = b[j];
			if (v > 0.0 && isfinite(v))
			{
				sum_w[c] += 1.0 / v;
				sum_wd2[c] += dev * dev / v;
			}
		}
	}
	for (int c = 0; c < d->C; c++)
	{
		double		t2 = sum_w[c] > 0.0 ? (sum_wd2[c] - d->G) / sum_w[c] : 0.0;
		double		lo = tau_floor * fabs(spec[c].coef);

		tau[c] = t2 > 0.0 ? sqrt(t2) : 0.0;
		if (tau[c] < lo)
			tau[c] = lo;
		if (!(tau[c] > 0.0))
			tau[c] = 1e-12;		/* a channel without effect: pooled completely at 0 */
	}
	return MM_OK;
}

MMStatus
mm_geo_draw(const MMGeoData *d, const MMChannelSpec *spec, const double *sigma,
			const double *tau, gsl_rng *r, MMGeoFit *fit, double *work,
			MMInterruptFn interrupt)
{
	const int	p = 1 + d->F + d->C;
	double	   *xs = work,
			   *a = xs + d->T,
			   *w = a + d->T,
			   *S = w + 10001,
			   *Zs = S + (size_t) d->C * d->n,
			   *XtX = Zs + (size_t) d->F * d->n,
			   *P = XtX + (size_t) p * p,
			   *Xty = P + (size_t) p * p,
			   *b = Xty + p,
			   *e = b + p;

	if (d->G < 1 || d->C < 1 || d->n_train <= p || d->t0 < 0 || d->t0 + d->n > d->T ||
		geo_max_window(d, spec) > 10001)
		return MM_EDOM;
	geo_standardise(d, Zs);
	for (int g = 0; g < d->G; g++)
	{
		const double s2 = sigma[g] * sigma[g];
		const double rg = d->scale[g];
		double		flat = 0.0;
		MMStatus	st;

		if (interrupt)
			interrupt();
		st = geo_design(d, spec, g, xs, a, w, S);
		if (st != MM_OK)
			return st;
		geo_normal_equations(d, Zs, S, g, XtX, Xty);
		for (int j = 0; j < p; j++)
			flat += XtX[(size_t) j * p + j];
		flat *= GEO_FLAT / p / s2;
		/* precision P = X'X / sigma^2 + prior precision; b = X'y / sigma^2 + prior precision x prior mean */
		for (int j = 0; j < p; j++)
		{
			for (int i = j; i < p; i++)
				P[(size_t) j * p + i] = XtX[(size_t) j * p + i] / s2;
			b[j] = Xty[j] / s2;
			if (j <= d->F)
				P[(size_t) j * p + j] += flat;
			else
			{
				const int	c = j - 1 - d->F;
				const double prec = 1.0 / (tau[c] * tau[c]);

				P[(size_t) j * p + j] += prec;
				b[j] += prec * spec[c].coef;
			}
		}
		if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', p, P, p) != 0 ||
			LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', p, 1, P, p, b, p) != 0)
			return MM_ESING;
		if (r != NULL)
		{
			/* mean + L^-T e, e standard normal: covariance (L L^T)^-1 */
			for (int j = 0; j < p; j++)
				e[j] = gsl_ran_ugaussian(r);
			if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'L', 'T', 'N', p, 1, P, p, e, p) != 0)
				return MM_ESING;
			for (int j = 0; j < p; j++)
				b[j] += e[j];
		}
		for (int c = 0; c < d->C; c++)
		{
			const double bc = b[1 + d->F + c];

			if (fit->beta)
				fit->beta[(size_t) g * d->C + c] = bc;
			if (fit->contrib)
				for (int t = 0; t < d->n; t++)
					fit->contrib[((size_t) g * d->C + c) * d->n + t] = bc * S[(size_t) c * d->n + t] / rg;
		}
		if (fit->base)
			for (int t = 0; t < d->n; t++)
			{
				double		v = 0.0;

				for (int j = 0; j <= d->F; j++)
					v += geo_col(d, Zs, S, j, t) * b[j];
				fit->base[(size_t) g * d->n + t] = v / rg;
			}
	}
	return MM_OK;
}
