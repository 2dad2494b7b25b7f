/*
 * model.c: log posterior of the Bayesian marketing-mix model and its
 * gradient (model.h).  One evaluation adstocks and saturates each channel
 * with the parameter derivatives (transform_grad.h), integrates the
 * intercept and free fixed terms out with one p x p Cholesky factorisation
 * (LAPACKE), and chains the gradient back to the unconstrained parameters.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <lapacke.h>

#include "math/decompose.h"
#include "math/transform_grad.h"
#include "math/posterior/model.h"

static int
max_window(const MMPostData *d)
{
	int			L = 1;

	for (int c = 0; c < d->C; c++)
		if (d->ch[c].max_lag + 1 > L)
			L = d->ch[c].max_lag + 1;
	return L;
}

static int
free_fixed(const MMPostData *d)
{
	int			k = 0;

	for (int j = 0; j < d->F; j++)
		k += d->zsign == NULL || d->zsign[j] == 0;
	return k;
}

long
mm_post_work_size(const MMPostData *d)
{
	long		p = 1 + free_fixed(d);
	long		C = d->C,
				n = d->n;

	return 2 * n				/* ys, kappa */
		+ p * n					/* Zc */
		+ 2L * d->F				/* zmean, zsd */
		+ p * p + 2 * p			/* ZtZ, pmean, pprec */
		+ 5 * C * n				/* m, s, sp, ds1, ds2 */
		+ 3 * C * d->T			/* a, da1, da2 */
		+ 2 * C					/* beta, W */
		+ 3 * n					/* gm, r, e */
		+ 2 * p * p + 2 * p		/* A, Ainv, b, ghat */
		+ 3L * max_window(d);	/* weights and derivatives */
}

long
mm_post_iwork_size(const MMPostData *d)
{
	return (long) d->C * MM_POST_NPAR + d->F + 1 + free_fixed(d);
}

MMStatus
mm_post_init(MMPost *ps, const MMPostData *d, double *work, int *iwork)
{
	double	   *w = work;
	int			n = d->n,
				nt = d->n_train,
				k = 0,
				p;
	bool		mult = d->form == MM_FORM_MULTIPLICATIVE;

	if (d->n < 2 || nt < 2 || nt > n || d->t0 < 0 || d->t0 > d->T - n || d->C < 1 ||
		d->C > MM_POST_MAX_CHANNELS || d->F < 0 || 1 + d->F > MM_POST_MAX_FIXED ||
		!(d->revenue_per_kpi > 0.0 && isfinite(d->revenue_per_kpi)) ||
		!(d->fixed_sd > 0.0 && isfinite(d->fixed_sd)) ||
		mm_prior_check(&d->intercept) != MM_OK || d->intercept.kind == MM_PRIOR_FIXED ||
		mm_prior_check(&d->sigma) != MM_OK || d->sigma.lo != 0.0 || d->sigma.kind == MM_PRIOR_FIXED)
		return MM_EDOM;
	memset(ps, 0, sizeof(*ps));
	ps->d = d;
	ps->work = work;
	p = ps->p = 1 + free_fixed(d);

	/* parameter layout: channels, then signed fixed terms, then sigma */
	ps->map = iwork;
	ps->sign_index = iwork + d->C * MM_POST_NPAR;
	ps->zcol = ps->sign_index + d->F;
	for (int c = 0; c < d->C; c++)
	{
		const MMPostChannel *ch = &d->ch[c];

		if (!(ch->input_scale > 0.0 && isfinite(ch->input_scale)) ||
			(ch->roi && !(ch->spend > 0.0 && isfinite(ch->spend))) ||
			ch->max_lag + 1 > d->T || ch->max_lag < -1 ||
			(ch->max_lag < 0 && ch->adstock != MM_ADSTOCK_GEOMETRIC))
			return MM_EDOM;
		for (int j = 0; j < MM_POST_NPAR; j++)
		{
			if (mm_prior_check(&ch->prior[j]) != MM_OK)
				return MM_EDOM;
			ps->map[c * MM_POST_NPAR + j] = ch->prior[j].kind == MM_PRIOR_FIXED ? -1 : k++;
		}
		/* the effect must be positive */
		if (!(ch->prior[MM_POST_EFFECT].lo >= 0.0))
			return MM_EDOM;
	}
	for (int j = 0; j < d->F; j++)
		ps->sign_index[j] = (d->zsign && d->zsign[j] != 0) ? k++ : -1;
	ps->sigma_index = k++;
	ps->dim = k;
	for (int e = 0; e < d->E; e++)
	{
		const MMExperiment *x = &d->exps[e];

		if (x->channel < 0 || x->channel >= d->C || x->r0 < 0 || x->r1 < x->r0 || x->r1 >= n ||
			!(x->lift_se > 0.0 && isfinite(x->lift_se)) || x->immediate || !isfinite(x->lift_abs) ||
			!(x->scale > 0.0 && isfinite(x->scale)))
			return MM_EDOM;
	}

	ps->ys = w;
	w += n;
	ps->kappa = w;
	w += n;
	ps->Zc = w;
	w += (size_t) p * n;
	ps->zmean = w;
	w += d->F;
	ps->zsd = w;
	w += d->F;
	ps->ZtZ = w;
	w += (size_t) p * p;
	ps->pmean = w;
	w += p;
	ps->pprec = w;
	w += p;
	ps->m = w;
	w += (size_t) d->C * n;
	ps->s = w;
	w += (size_t) d->C * n;
	ps->sp = w;
	w += (size_t) d->C * n;
	ps->ds1 = w;
	w += (size_t) d->C * n;
	ps->ds2 = w;
	w += (size_t) d->C * n;
	ps->a = w;
	w += (size_t) d->C * d->T;
	ps->da1 = w;
	w += (size_t) d->C * d->T;
	ps->da2 = w;
	w += (size_t) d->C * d->T;
	ps->beta = w;
	w += d->C;
	ps->W = w;
	w += d->C;
	ps->gm = w;
	w += n;
	ps->r = w;
	w += n;
	ps->e = w;
	w += n;
	ps->A = w;
	w += (size_t) p * p;
	ps->Ainv = w;
	w += (size_t) p * p;
	ps->b = w;
	w += p;
	ps->ghat = w;
	w += p;
	ps->wts = w;
	w += max_window(d);
	ps->dw1 = w;
	w += max_window(d);
	ps->dw2 = w;

	/* scaled KPI: additive y / mean |y| (training rows), multiplicative ln y */
	{
		double		sum = 0.0;

		ps->ysum = 0.0;
		for (int t = 0; t < n; t++)
		{
			if (!isfinite(d->y[t]) || (mult && !(d->y[t] > 0.0)))
				return MM_EDOM;
			if (t < nt)
			{
				sum += fabs(d->y[t]);
				ps->ysum += d->y[t];
			}
		}
		ps->y_scale = mult ? 1.0 : (sum > 0.0 ? sum / nt : 1.0);
		for (int t = 0; t < n; t++)
		{
			ps->ys[t] = mult ? log(d->y[t]) : d->y[t] / ps->y_scale;
			ps->kappa[t] = mult ? d->y[t] : ps->y_scale;
		}
	}

	/* integrated-out design: intercept, then the free fixed terms standardised */
	for (int t = 0; t < n; t++)
		ps->Zc[t] = 1.0;
	ps->zcol[0] = -1;
	ps->pmean[0] = d->intercept.a;
	ps->pprec[0] = 1.0 / (d->intercept.b * d->intercept.b);
	k = 1;
	for (int j = 0; j < d->F; j++)
	{
		const double *z = d->Z + (size_t) j * n;
		double		mean = 0.0,
					ss = 0.0;

		for (int t = 0; t < nt; t++)
		{
			if (!isfinite(z[t]))
				return MM_EDOM;
			mean += z[t];
		}
		mean /= nt;
		for (int t = 0; t < nt; t++)
			ss += (z[t] - mean) * (z[t] - mean);
		ps->zmean[j] = mean;
		/* a constant column stays 0 after centring: scale 1 keeps it harmless */
		ps->zsd[j] = ss > 0.0 ? sqrt(ss / nt) : 1.0;
		if (ps->sign_index[j] >= 0)
			continue;
		for (int t = 0; t < n; t++)
			ps->Zc[(size_t) k * n + t] = (z[t] - mean) / ps->zsd[j];
		ps->zcol[k] = j;
		ps->pmean[k] = 0.0;
		ps->pprec[k] = 1.0 / (d->fixed_sd * d->fixed_sd);
		k++;
	}
	for (int i = 0; i < p; i++)
		for (int j = 0; j <= i; j++)
		{
			double		v = 0.0;

			for (int t = 0; t < nt; t++)
				v += ps->Zc[(size_t) i * n + t] * ps->Zc[(size_t) j * n + t];
			ps->ZtZ[i * p + j] = ps->ZtZ[j * p + i] = v;
		}
	/* the prior means' part of the KPI, taken off once: r = ys - Zc pmean - media */
	for (int t = 0; t < n; t++)
		for (int i = 0; i < p; i++)
			ps->ys[t] -= ps->Zc[(size_t) i * n + t] * ps->pmean[i];
	if (d->share_prior)
		for (int c = 0; c < d->C; c++)
			if (!isnan(d->share_prior[c]) &&
				!(isfinite(d->share_prior[c]) && d->share_sd[c] > 0.0 && isfinite(d->share_sd[c])))
				return MM_EDOM;
	return MM_OK;
}

/* adstock of channel c with derivatives in its two adstock parameters, rows 0..t0+n-1 */
static MMStatus
channel_adstock(MMPost *ps, int c, double p1, double p2)
{
	const MMPostData *d = ps->d;
	const MMPostChannel *ch = &d->ch[c];
	const double *x = d->x + (size_t) c * d->T;
	double	   *a = ps->a + (size_t) c * d->T,
			   *da1 = ps->da1 + (size_t) c * d->T,
			   *da2 = ps->da2 + (size_t) c * d->T;
	int			rows = d->t0 + d->n,
				L = ch->max_lag + 1;
	MMStatus	st;

	if (ch->max_lag < 0)
	{
		memset(da2, 0, sizeof(double) * rows);
		return mm_adstock_geometric_recursive_grad(x, rows, p1, ch->normalize, a, da1);
	}
	st = mm_adstock_weights_grad(ch->adstock, p1, p2, L, ch->normalize, ps->wts, ps->dw1, ps->dw2);
	if (st != MM_OK)
		return st;
	/* only the window rows are read */
	for (int t = d->t0; t < rows; t++)
	{
		double		v = 0.0,
					v1 = 0.0,
					v2 = 0.0;
		int			last = t < L - 1 ? t : L - 1;

		for (int l = 0; l <= last; l++)
		{
			double		xv = x[t - l];

			v += ps->wts[l] * xv;
			v1 += ps->dw1[l] * xv;
			v2 += ps->dw2[l] * xv;
		}
		a[t] = v;
		da1[t] = v1;
		da2[t] = v2;
	}
	return MM_OK;
}

void
mm_post_channel_values(const MMPost *ps, const double *u, int c, double v[MM_POST_NPAR])
{
	const MMPostChannel *ch = &ps->d->ch[c];

	for (int j = 0; j < MM_POST_NPAR; j++)
	{
		int			i = ps->map[c * MM_POST_NPAR + j];

		v[j] = i < 0 ? ch->prior[j].a : mm_prior_value(&ch->prior[j], u[i], NULL);
	}
}

double
mm_post_sigma(const MMPost *ps, const double *u)
{
	double		s = mm_prior_value(&ps->d->sigma, u[ps->sigma_index], NULL);

	return ps->d->form == MM_FORM_MULTIPLICATIVE ? s : s * ps->y_scale;
}

void
mm_post_start(const MMPost *ps, double *u)
{
	const MMPostData *d = ps->d;

	for (int c = 0; c < d->C; c++)
		for (int j = 0; j < MM_POST_NPAR; j++)
		{
			int			i = ps->map[c * MM_POST_NPAR + j];

			if (i >= 0)
				u[i] = mm_prior_unconstrain(&d->ch[c].prior[j], mm_prior_median(&d->ch[c].prior[j]));
		}
	for (int j = 0; j < d->F; j++)
		if (ps->sign_index[j] >= 0)
			u[ps->sign_index[j]] = log(0.1 * d->fixed_sd);
	u[ps->sigma_index] = mm_prior_unconstrain(&d->sigma, mm_prior_median(&d->sigma));
}

/* the sign-constrained fixed term j's coefficient (standardised) at u, and d/du */
static double
signed_coef(const MMPost *ps, int j, const double *u, double *dv)
{
	double		v = exp(u[ps->sign_index[j]]);

	*dv = ps->d->zsign[j] * v;
	return ps->d->zsign[j] * v;
}

/* half-normal log density of a signed term's magnitude with its log Jacobian */
static double
signed_prior(const MMPost *ps, double uj, double *g)
{
	MMPrior		hn = {MM_PRIOR_HALFNORMAL, 0.0, ps->d->fixed_sd, 0.0, INFINITY};

	return mm_prior_logp_u(&hn, uj, g);
}

double
mm_post_logp(MMPost *ps, const double *u, double *grad)
{
	const MMPostData *d = ps->d;
	const int	n = d->n,
				nt = d->n_train,
				p = ps->p,
				C = d->C;
	const bool	mult = d->form == MM_FORM_MULTIPLICATIVE;
	double		lp = 0.0,
				dv[MM_POST_NPAR],
				v[MM_POST_NPAR],
				g;

	if (grad)
		memset(grad, 0, sizeof(double) * ps->dim);
	if (ps->stop && __atomic_load_n(ps->stop, __ATOMIC_RELAXED))
		return -INFINITY;

	/* channels: priors, adstock, saturation, effect */
	for (int c = 0; c < C; c++)
	{
		const MMPostChannel *ch = &d->ch[c];
		double	   *s = ps->s + (size_t) c * n,
				   *sp = ps->sp + (size_t) c * n,
				   *ds1 = ps->ds1 + (size_t) c * n,
				   *ds2 = ps->ds2 + (size_t) c * n,
				   *m = ps->m + (size_t) c * n;
		const double *a = ps->a + (size_t) c * d->T + d->t0;
		double		W = 0.0;

		for (int j = 0; j < MM_POST_NPAR; j++)
		{
			int			i = ps->map[c * MM_POST_NPAR + j];

			if (i < 0)
			{
				v[j] = ch->prior[j].a;
				continue;
			}
			v[j] = mm_prior_value(&ch->prior[j], u[i], &dv[j]);
			lp += mm_prior_logp_u(&ch->prior[j], u[i], &g);
			if (grad)
				grad[i] += g;
		}
		if (channel_adstock(ps, c, v[MM_POST_AD1], v[MM_POST_AD2]) != MM_OK)
			return -INFINITY;
		mm_saturation_grad_n(ch->saturation, v[MM_POST_SAT1], v[MM_POST_SAT2], a, n,
							 ch->input_scale, s, sp, ds1, ds2);
		for (int t = 0; t < nt; t++)
			W += (mult ? d->y[t] : 1.0) * s[t];
		ps->W[c] = W;
		if (ch->roi)
		{
			if (!(W > 0.0))
				return -INFINITY;
			ps->beta[c] = v[MM_POST_EFFECT] * ch->spend /
				(d->revenue_per_kpi * (mult ? 1.0 : ps->y_scale) * W);
		}
		else
			ps->beta[c] = v[MM_POST_EFFECT];
		for (int t = 0; t < n; t++)
			m[t] = ps->beta[c] * s[t];
	}

	/* residual over the training rows, sign-constrained fixed terms included */
	for (int t = 0; t < nt; t++)
	{
		double		rt = ps->ys[t];

		for (int c = 0; c < C; c++)
			rt -= ps->m[(size_t) c * n + t];
		ps->r[t] = rt;
	}
	for (int j = 0; j < d->F; j++)
	{
		double		dvj,
					gj;

		if (ps->sign_index[j] < 0)
			continue;
		gj = signed_coef(ps, j, u, &dvj);
		lp += signed_prior(ps, u[ps->sign_index[j]], &g);
		if (grad)
			grad[ps->sign_index[j]] += g;
		for (int t = 0; t < nt; t++)
			ps->r[t] -= gj * (d->Z[(size_t) j * n + t] - ps->zmean[j]) / ps->zsd[j];
	}

	/* sigma and the likelihood with the intercept and free fixed terms integrated out */
	{
		double		du,
					s2,
					rr = 0.0,
					bg = 0.0,
					ee = 0.0,
					logdet = 0.0,
					tr = 0.0;
		int			is = ps->sigma_index;

		ps->sigma = mm_prior_value(&d->sigma, u[is], &du);
		lp += mm_prior_logp_u(&d->sigma, u[is], &g);
		if (grad)
			grad[is] += g;
		s2 = ps->sigma * ps->sigma;
		if (!(s2 > 0.0) || !isfinite(s2))
			return -INFINITY;
		for (int i = 0; i < p * p; i++)
			ps->A[i] = ps->ZtZ[i];
		for (int i = 0; i < p; i++)
		{
			double		bi = 0.0;

			ps->A[i * p + i] += s2 * ps->pprec[i];
			for (int t = 0; t < nt; t++)
				bi += ps->Zc[(size_t) i * n + t] * ps->r[t];
			ps->b[i] = bi;
			ps->ghat[i] = bi;
		}
		if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', p, ps->A, p) != 0 ||
			LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', p, 1, ps->A, p, ps->ghat, p) != 0)
			return -INFINITY;
		for (int i = 0; i < p; i++)
		{
			logdet += 2.0 * log(ps->A[i * p + i]);
			bg += ps->b[i] * ps->ghat[i];
		}
		for (int t = 0; t < nt; t++)
		{
			double		et = ps->r[t];

			for (int i = 0; i < p; i++)
				et -= ps->Zc[(size_t) i * n + t] * ps->ghat[i];
			ps->e[t] = et;
			rr += ps->r[t] * ps->r[t];
			ee += et * et;
		}
		/* log N(r; 0, s2 I + Zc D Zc'), D the prior covariance (Woodbury) */
		{
			double		logdetD = 0.0;

			for (int i = 0; i < p; i++)
				logdetD -= log(ps->pprec[i]);
			lp += -0.5 * (nt * log(2.0 * M_PI) + (nt - p) * log(s2) + logdet + logdetD
						  + (rr - bg) / s2);
		}
		if (grad)
		{
			/* d/d ln sigma = -(nt - p + s2 tr(A^-1 D^-1)) + |e|^2 / s2 */
			memcpy(ps->Ainv, ps->A, sizeof(double) * p * p);
			if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', p, ps->Ainv, p) != 0)
				return -INFINITY;
			for (int i = 0; i < p; i++)
				tr += ps->Ainv[i * p + i] * ps->pprec[i];
			grad[is] += (-(nt - p + s2 * tr) + ee / s2) * (du / ps->sigma);
		}
	}

	/* share priors and lift studies on the channels' contributions (KPI units) */
	{
		double		coef_share[MM_POST_MAX_CHANNELS];

		for (int c = 0; c < C; c++)
		{
			coef_share[c] = 0.0;
			if (d->share_prior && !isnan(d->share_prior[c]))
			{
				double		contrib = 0.0,
							share,
							z;

				for (int t = 0; t < nt; t++)
					contrib += ps->kappa[t] * ps->m[(size_t) c * n + t];
				share = contrib / ps->ysum;
				z = (share - d->share_prior[c]) / d->share_sd[c];
				lp -= 0.5 * z * z;
				coef_share[c] = -z / d->share_sd[c] / ps->ysum;
			}
		}
		for (int e = 0; e < d->E; e++)
		{
			const MMExperiment *x = &d->exps[e];
			double		pred = 0.0,
						z;

			for (int t = x->r0; t <= x->r1; t++)
				pred += ps->kappa[t] * ps->m[(size_t) x->channel * n + t];
			z = (pred * x->scale - x->lift_abs) / x->lift_se;
			lp -= 0.5 * z * z;
		}
		if (!isfinite(lp))
			return -INFINITY;
		if (!grad)
			return lp;

		/* chain each channel's d lp / d m back to its parameters */
		for (int c = 0; c < C; c++)
		{
			const MMPostChannel *ch = &d->ch[c];
			const double *s = ps->s + (size_t) c * n,
					   *sp = ps->sp + (size_t) c * n,
					   *ds1 = ps->ds1 + (size_t) c * n,
					   *ds2 = ps->ds2 + (size_t) c * n;
			const double *da1 = ps->da1 + (size_t) c * d->T + d->t0,
					   *da2 = ps->da2 + (size_t) c * d->T + d->t0,
					   *a = ps->a + (size_t) c * d->T + d->t0;
			double	   *gm = ps->gm;
			double		G = 0.0,
						beta = ps->beta[c],
						gq[4] = {0.0, 0.0, 0.0, 0.0};

			for (int t = 0; t < n; t++)
				gm[t] = (t < nt ? ps->e[t] / (ps->sigma * ps->sigma) : 0.0)
					+ (t < nt ? coef_share[c] * ps->kappa[t] : 0.0);
			for (int e = 0; e < d->E; e++)
			{
				const MMExperiment *x = &d->exps[e];
				double		pred = 0.0,
							zc;

				if (x->channel != c)
					continue;
				for (int t = x->r0; t <= x->r1; t++)
					pred += ps->kappa[t] * ps->m[(size_t) c * n + t];
				zc = -(pred * x->scale - x->lift_abs) / (x->lift_se * x->lift_se) * x->scale;
				for (int t = x->r0; t <= x->r1; t++)
					gm[t] += zc * ps->kappa[t];
			}
			for (int t = 0; t < n; t++)
				G += gm[t] * s[t];
			/* h_t = d lp / d s_t through m = beta s (and beta's normaliser for roi) */
			for (int t = 0; t < n; t++)
			{
				double		h = beta * gm[t];

				if (ch->roi && t < nt)
					h -= beta * (mult ? d->y[t] : 1.0) * G / ps->W[c];
				if (h == 0.0)
					continue;
				gq[2] += h * ds1[t];
				gq[3] += h * ds2[t];
				if (a[t] > 0.0 && isfinite(sp[t]))
				{
					gq[0] += h * sp[t] * da1[t];
					gq[1] += h * sp[t] * da2[t];
				}
			}
			for (int j = 0; j < MM_POST_NPAR; j++)
			{
				int			i = ps->map[c * MM_POST_NPAR + j];
				double		dvj;

				if (i < 0)
					continue;
				(void) mm_prior_value(&ch->prior[j], u[i], &dvj);
				if (j == MM_POST_EFFECT)
					/* m is linear in the effect in both parameterisations */
					grad[i] += G * beta / mm_prior_value(&ch->prior[j], u[i], NULL) * dvj;
				else
					grad[i] += gq[j] * dvj;
			}
		}
		/* sign-constrained fixed terms */
		for (int j = 0; j < d->F; j++)
		{
			double		dvj,
						gsum = 0.0;

			if (ps->sign_index[j] < 0)
				continue;
			(void) signed_coef(ps, j, u, &dvj);
			for (int t = 0; t < nt; t++)
				gsum += ps->e[t] / (ps->sigma * ps->sigma) *
					(d->Z[(size_t) j * n + t] - ps->zmean[j]) / ps->zsd[j];
			grad[ps->sign_index[j]] += gsum * dvj;
		}
	}
	return lp;
}

MMStatus
mm_post_realize(MMPost *ps, const double *u, gsl_rng *rng,
				MMChannelSpec *spec, double *intercept, double *gamma)
{
	const MMPostData *d = ps->d;
	const bool	mult = d->form == MM_FORM_MULTIPLICATIVE;
	const int	p = ps->p;
	double		lp = mm_post_logp(ps, u, NULL),
				gt[MM_POST_MAX_FIXED],
				ksc = mult ? 1.0 : ps->y_scale;

	if (!isfinite(lp))
		return MM_EDOM;
	for (int c = 0; c < d->C; c++)
	{
		const MMPostChannel *ch = &d->ch[c];
		double		v[MM_POST_NPAR];

		mm_post_channel_values(ps, u, c, v);
		spec[c].adstock = ch->adstock;
		spec[c].adstock_p1 = v[MM_POST_AD1];
		spec[c].adstock_p2 = v[MM_POST_AD2];
		spec[c].max_lag = ch->max_lag;
		spec[c].adstock_normalize = ch->normalize;
		spec[c].saturation = ch->saturation;
		spec[c].sat_p1 = v[MM_POST_SAT1];
		spec[c].sat_p2 = v[MM_POST_SAT2];
		spec[c].input_scale = ch->input_scale;
		spec[c].coef = ps->beta[c] * ksc;
	}

	/* integrated-out terms: ghat (the conditional mean) plus, with rng, L^-T z sigma */
	memcpy(gt, ps->ghat, sizeof(double) * p);
	if (rng)
	{
		double		z[MM_POST_MAX_FIXED];

		for (int i = 0; i < p; i++)
			z[i] = gsl_ran_gaussian(rng, ps->sigma);
		/* A = L L': a draw of N(0, s2 A^-1) is L^-T z */
		if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'L', 'T', 'N', p, 1, ps->A, p, z, p) != 0)
			return MM_ESING;
		for (int i = 0; i < p; i++)
			gt[i] += z[i];
	}
	/* back to the raw scale: prior mean offset, standardisation, KPI scale */
	for (int i = 0; i < p; i++)
		gt[i] += ps->pmean[i];
	*intercept = gt[0];
	for (int j = 0; j < d->F; j++)
		gamma[j] = 0.0;
	for (int i = 1; i < p; i++)
	{
		int			j = ps->zcol[i];

		gamma[j] = gt[i] / ps->zsd[j];
		*intercept -= gt[i] * ps->zmean[j] / ps->zsd[j];
	}
	for (int j = 0; j < d->F; j++)
		if (ps->sign_index[j] >= 0)
		{
			double		dvj,
						cj = signed_coef(ps, j, u, &dvj);

			gamma[j] = cj / ps->zsd[j];
			*intercept -= cj * ps->zmean[j] / ps->zsd[j];
		}
	*intercept *= ksc;
	for (int j = 0; j < d->F; j++)
		gamma[j] *= ksc;
	return MM_OK;
}

MMStatus
mm_post_decompose(const MMPost *ps, const MMChannelSpec *spec, double intercept,
				  const double *gamma, double *yhat, double *contrib)
{
	const MMPostData *d = ps->d;
	const int	n = d->n,
				C = d->C,
				F = d->F;
	const bool	mult = d->form == MM_FORM_MULTIPLICATIVE;

	for (int t = 0; t < n; t++)
	{
		double		gsum = 0.0,
					fsum = 0.0;

		for (int c = 0; c < C; c++)
		{
			double		v = spec[c].coef * ps->s[(size_t) c * n + t];

			contrib[(size_t) (1 + c) * n + t] = v;
			gsum += v;
		}
		for (int k = 0; k < F; k++)
		{
			double		v = gamma[k] * d->Z[(size_t) k * n + t];

			contrib[(size_t) (1 + C + k) * n + t] = v;
			fsum += v;
		}
		if (!mult)
		{
			contrib[t] = intercept;
			yhat[t] = intercept + gsum + fsum;
		}
		else
		{
			/* log_share (formulas §2.2): channels against the base, fixed terms against the pure base */
			double		eta = intercept + gsum + fsum,
						yh = exp(eta),
						B = exp(eta - gsum),
						P = exp(intercept),
						Lc = mm_log_mean(yh, B),
						Lf = mm_log_mean(B, P);

			if (!isfinite(yh) || !isfinite(B))
				return MM_EOVRFLW;
			yhat[t] = yh;
			contrib[t] = P;
			for (int c = 0; c < C; c++)
				contrib[(size_t) (1 + c) * n + t] *= Lc;
			for (int k = 0; k < F; k++)
				contrib[(size_t) (1 + C + k) * n + t] *= Lf;
		}
	}
	return MM_OK;
}
