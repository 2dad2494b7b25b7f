/*
 * survival.c: the algorithmic attribution model (see survival.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "math/attribution/survival.h"

int
mm_surv_nparams(const MMSurvSpec *s)
{
	return 1 + s->ntok * s->nbucket;
}

void
mm_surv_theta(const MMSurvSpec *s, const double *z, double *theta)
{
	const int	B = s->nbucket;

	for (int c = 0; c < s->ntok; c++)
	{
		double		acc = 0.0;

		for (int b = B - 1; b >= 0; b--)
		{
			acc += z[1 + c * B + b];
			theta[c * B + b] = acc;
		}
	}
}

void
mm_surv_accum_reset(MMSurvAccum *a, int p)
{
	a->loss = 0.0;
	a->days = a->events = a->base_events = 0.0;
	memset(a->grad, 0, sizeof(double) * p);
	if (a->hess)
		memset(a->hess, 0, sizeof(double) * p * p);
}

/* log(p) and log(1 - p) for p = logistic(eta), without overflow */
static void
log_probs(double eta, double *lp, double *lq)
{
	if (eta >= 0.0)
		*lp = -log1p(exp(-eta));
	else
		*lp = eta - log1p(exp(eta));
	*lq = *lp - eta;
}

static double
logistic(double eta)
{
	return eta >= 0.0 ? 1.0 / (1.0 + exp(-eta)) : exp(eta) / (1.0 + exp(eta));
}

/* n trials with y successes at linear predictor eta, features cnt on idx[0..k-1] */
static void
add_trials(MMSurvAccum *acc, int p, double eta, double n, double y,
		   int k, const int *idx, const double *x)
{
	double		lp,
				lq,
				pr = logistic(eta),
				r,
				w;

	log_probs(eta, &lp, &lq);
	acc->loss -= y * lp + (n - y) * lq;
	r = -(y - n * pr);
	w = n * pr * (1.0 - pr);
	acc->grad[0] += r;
	for (int a = 0; a < k; a++)
		acc->grad[idx[a]] += r * x[idx[a]];
	if (acc->hess == NULL)
		return;
	acc->hess[0] += w;
	for (int a = 0; a < k; a++)
	{
		double		xa = x[idx[a]];

		acc->hess[idx[a]] += w * xa;
		acc->hess[(size_t) idx[a] * p] += w * xa;
		for (int b = 0; b < k; b++)
			acc->hess[(size_t) idx[a] * p + idx[b]] += w * xa * x[idx[b]];
	}
}

MMStatus
mm_surv_add_baseline(double beta0, double n0, double y0, MMSurvAccum *acc)
{
	if (!(n0 >= 0.0) || !(y0 >= 0.0) || y0 > n0 || !isfinite(beta0))
		return MM_EDOM;
	if (n0 > 0.0)
		add_trials(acc, 0, beta0, n0, y0, 0, NULL, NULL);
	return MM_OK;
}

size_t
mm_surv_person_iwork(const MMSurvSpec *s, int nt)
{
	return (size_t) nt * (s->nbucket + 1) + 2 + (size_t) mm_surv_nparams(s);
}

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a,
				y = *(const int *) b;

	return (x > y) - (x < y);
}

MMStatus
mm_surv_person(const MMSurvSpec *s, double beta0, const double *theta,
			   int nt, const int *tday, const int *ttok,
			   int nc, const int *cday, int day_lo, int day_hi,
			   MMSurvAccum *acc, int *iwork, double *xwork)
{
	const int	B = s->nbucket;
	const int	reach = s->edge[B];	/* a touch acts on lags 0 .. reach - 1 */
	const int	p = mm_surv_nparams(s);
	int		   *cp = iwork;
	int		   *touched = iwork + (size_t) nt * (B + 1) + 2;
	int			ncp = 0,
				lo = 0,
				hi = 0,
				ci = 0;

	for (int i = 0; i < nt; i++)
		if (ttok[i] < 0 || ttok[i] >= s->ntok || (i > 0 && tday[i] < tday[i - 1]))
			return MM_EDOM;
	for (int i = 1; i < nc; i++)
		if (cday[i] <= cday[i - 1])
			return MM_EDOM;

	/* the days where some touch enters, changes or leaves a bucket */
	for (int i = 0; i < nt; i++)
		for (int b = 0; b <= B; b++)
		{
			long		d = (long) tday[i] + s->edge[b];

			if (d > day_lo && d <= day_hi)
				cp[ncp++] = (int) d;
		}
	cp[ncp++] = day_lo;
	cp[ncp++] = day_hi + 1;
	qsort(cp, ncp, sizeof(int), cmp_int);

	/* converting days before the range do not count */
	while (ci < nc && cday[ci] < day_lo)
		ci++;
	for (int k = 0; k + 1 < ncp; k++)
	{
		int			a = cp[k],
					e = cp[k + 1],
					nk = 0,
					y = 0;
		double		eta = beta0;

		if (e <= a)
			continue;
		/* touches acting on day a: tday <= a < tday + reach */
		while (hi < nt && tday[hi] <= a)
			hi++;
		while (lo < hi && (long) tday[lo] + reach <= a)
			lo++;
		while (ci < nc && cday[ci] < e)
		{
			y++;
			ci++;
		}
		if (lo == hi)
		{
			acc->base_events += y;
			continue;
		}
		for (int i = lo; i < hi; i++)
		{
			int			lag = a - tday[i],
						b = 0,
						idx;

			while (b + 1 < B && s->edge[b + 1] <= lag)
				b++;
			idx = 1 + ttok[i] * B + b;
			if (xwork[idx] == 0.0)
				touched[nk++] = idx;
			xwork[idx] += 1.0;
			eta += theta[idx - 1];
		}
		add_trials(acc, p, eta, (double) (e - a), (double) y, nk, touched, xwork);
		acc->days += e - a;
		acc->events += y;
		for (int i = 0; i < nk; i++)
			xwork[touched[i]] = 0.0;
	}
	/* converting days after the range do not count either */
	return MM_OK;
}

size_t
mm_surv_fit_work(const MMSurvSpec *s)
{
	size_t		p = (size_t) mm_surv_nparams(s);

	/* grad, hess, trial grad, trial hess, free block, step, trial z */
	return 2 * p + 3 * p * p + 3 * p;
}

size_t
mm_surv_fit_iwork(const MMSurvSpec *s)
{
	return (size_t) mm_surv_nparams(s);
}

/*
 * theta-space accumulator -> delta-space gradient and Hessian: theta = A delta
 * with A summing each channel's delta from bucket b up, so d/d delta = A^T d/d
 * theta: running sums over each channel's buckets, on rows and on columns.
 */
static void
to_delta_space(const MMSurvSpec *s, double *g, double *h)
{
	const int	B = s->nbucket;
	const int	p = mm_surv_nparams(s);

	for (int c = 0; c < s->ntok; c++)
		for (int b = 1; b < B; b++)
			g[1 + c * B + b] += g[1 + c * B + b - 1];
	if (h == NULL)
		return;
	for (int r = 0; r < p; r++)
		for (int c = 0; c < s->ntok; c++)
			for (int b = 1; b < B; b++)
				h[(size_t) r * p + 1 + c * B + b] += h[(size_t) r * p + 1 + c * B + b - 1];
	for (int c = 0; c < s->ntok; c++)
		for (int b = 1; b < B; b++)
			for (int col = 0; col < p; col++)
				h[(size_t) (1 + c * B + b) * p + col] += h[(size_t) (1 + c * B + b - 1) * p + col];
}

/* One pass: penalised loss, gradient and Hessian in delta space. */
static MMStatus
evaluate(const MMSurvSpec *s, MMSurvScanFn scan, void *arg, const double *z,
		 double *loss, double *g, double *h, int *scans)
{
	const int	p = mm_surv_nparams(s);
	MMSurvAccum acc;
	MMStatus	st;

	acc.grad = g;
	acc.hess = h;
	mm_surv_accum_reset(&acc, p);
	st = scan(arg, z, &acc);
	(*scans)++;
	if (st != MM_OK)
		return st;
	to_delta_space(s, g, h);
	*loss = acc.loss;
	for (int i = 1; i < p; i++)
	{
		*loss += 0.5 * s->ridge * z[i] * z[i];
		g[i] += s->ridge * z[i];
		h[(size_t) i * p + i] += s->ridge;
	}
	if (!isfinite(*loss))
		return MM_EOVRFLW;
	return MM_OK;
}

MMStatus
mm_surv_fit(const MMSurvSpec *s, MMSurvScanFn scan, void *arg,
			double *z, int max_iter, double tol, MMSurvFitInfo *info,
			double *work, int *iwork, MMInterruptFn interrupt)
{
	const int	p = mm_surv_nparams(s);
	double	   *g = work,
			   *h = g + p,
			   *g2 = h + (size_t) p * p,
			   *h2 = g2 + p,
			   *hff = h2 + (size_t) p * p,
			   *step = hff + (size_t) p * p,
			   *z2 = step + p;
	int		   *freeix = iwork;
	double		loss,
				loss2;
	MMStatus	st;

	(void) z2;
	if (s->ntok < 0 || s->nbucket < 1 || s->edge == NULL || s->edge[0] != 0 ||
		!(s->ridge >= 0.0) || !isfinite(s->ridge) || max_iter < 1 || !(tol > 0.0))
		return MM_EDOM;
	for (int b = 0; b < s->nbucket; b++)
		if (s->edge[b + 1] <= s->edge[b])
			return MM_EDOM;
	for (int i = 1; i < p; i++)
		if (!(z[i] >= 0.0))
			return MM_EDOM;

	memset(info, 0, sizeof(*info));
	st = evaluate(s, scan, arg, z, &loss, g, h, &info->scans);
	if (st != MM_OK)
		return st;
	for (int it = 0; it < max_iter; it++)
	{
		int			nf = 0;
		double		dec = 0.0,
					slope = 0.0,
					alpha = 1.0,
					kkt = 0.0;
		lapack_int	linfo;
		bool		accepted = false;

		if (interrupt)
			interrupt();
		/* free: the intercept, positive deltas, and zero deltas the gradient pulls up */
		for (int i = 0; i < p; i++)
		{
			bool		fr = i == 0 || z[i] > 0.0 || g[i] < 0.0;

			if (fr)
				freeix[nf++] = i;
			kkt = fmax(kkt, fr ? fabs(g[i]) : fmax(0.0, -g[i]));
		}
		info->kkt = kkt;
		/* Newton step on the free block (Cholesky; a tiny shift if not positive definite) */
		for (double shift = 0.0;; shift = shift == 0.0 ? 1e-12 : shift * 100.0)
		{
			for (int a = 0; a < nf; a++)
			{
				for (int b = 0; b < nf; b++)
					hff[(size_t) a * nf + b] = h[(size_t) freeix[a] * p + freeix[b]];
				hff[(size_t) a * nf + a] += shift * (1.0 + fabs(h[(size_t) freeix[a] * p + freeix[a]]));
				step[a] = -g[freeix[a]];
			}
			linfo = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', nf, 1, hff, nf, step, 1);
			if (linfo == 0)
				break;
			if (linfo < 0 || shift > 1.0)
				return MM_ESING;
		}
		for (int a = 0; a < nf; a++)
			dec -= g[freeix[a]] * step[a];
		info->iterations = it + 1;
		info->decrement = dec;
		/* half the decrement estimates loss - optimum: small against the loss, which sums every person-day */
		if (dec / 2.0 < tol * (1.0 + fabs(loss)))
		{
			info->loss = loss;
			return MM_OK;
		}
		/* projected backtracking line search (Armijo) */
		for (int tries = 0; tries < 30; tries++)
		{
			memcpy(z2, z, sizeof(double) * p);
			slope = 0.0;
			for (int a = 0; a < nf; a++)
			{
				int			i = freeix[a];

				z2[i] = z[i] + alpha * step[a];
				if (i > 0 && z2[i] < 0.0)
					z2[i] = 0.0;
				slope += g[i] * (z2[i] - z[i]);
			}
			st = evaluate(s, scan, arg, z2, &loss2, g2, h2, &info->scans);
			if (st != MM_OK && st != MM_EOVRFLW)
				return st;
			if (st == MM_OK && loss2 <= loss + 1e-4 * slope)
			{
				accepted = true;
				break;
			}
			alpha *= 0.5;
		}
		if (!accepted)
		{
			/* no decrease left within the rounding of the loss: at the optimum to working precision */
			info->loss = loss;
			return dec / 2.0 < 1e-8 * (1.0 + fabs(loss)) ? MM_OK : MM_ENOCONV;
		}
		memcpy(z, z2, sizeof(double) * p);
		memcpy(g, g2, sizeof(double) * p);
		memcpy(h, h2, sizeof(double) * p * p);
		loss = loss2;
	}
	info->loss = loss;
	return MM_ENOCONV;
}
