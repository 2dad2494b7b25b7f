/*
 * objective.c: fit metrics and the penalties of the training objective.
 */
#include <math.h>

#include "math/objective.h"

void
mm_metrics(const double *y, const double *yhat, int n, int p, int df_int, int n_adj,
		   MMMetrics *m)
{
	double		ybar = 0.0,
				sse = 0.0,
				sst = 0.0,
				ape = 0.0,
				sape = 0.0,
				ymin = INFINITY,
				ymax = -INFINITY;
	int			nape = 0;

	m->n = n;
	if (n <= 0)
	{
		m->r2 = m->adj_r2 = m->mape = m->smape = m->rmse = m->nrmse = NAN;
		return;
	}
	for (int t = 0; t < n; t++)
		ybar += y[t];
	ybar /= n;
	for (int t = 0; t < n; t++)
	{
		double		e = y[t] - yhat[t];
		double		den = fabs(y[t]) + fabs(yhat[t]);

		sse += e * e;
		sst += (y[t] - ybar) * (y[t] - ybar);
		if (y[t] != 0.0)
		{
			ape += fabs(e / y[t]);
			nape++;
		}
		if (den > 0.0)
			sape += 2.0 * fabs(e) / den;	/* 0/0 counts 0 (mixmodel choice) */
		ymin = fmin(ymin, y[t]);
		ymax = fmax(ymax, y[t]);
	}
	m->r2 = sst > 0.0 ? 1.0 - sse / sst : NAN;
	m->adj_r2 = (n_adj - p - 1 > 0 && !isnan(m->r2))
		? 1.0 - (1.0 - m->r2) * (double) (n_adj - df_int) / (double) (n_adj - p - 1) : NAN;
	m->mape = nape > 0 ? ape / nape : NAN;
	m->smape = sape / n;
	m->rmse = sqrt(sse / n);
	m->nrmse = ymax > ymin ? m->rmse / (ymax - ymin) : NAN;
}

double
mm_decomp_rssd(const double *effect, const double *spend, const bool *paid, int C)
{
	double		te = 0.0,
				ts = 0.0,
				ss = 0.0;
	int			npaid = 0,
				nzero = 0;

	for (int c = 0; c < C; c++)
		if (paid[c])
		{
			te += effect[c];
			ts += spend[c];
			npaid++;
		}
	if (npaid == 0)
		return 0.0;
	if (te == 0.0)
		return INFINITY;
	for (int c = 0; c < C; c++)
	{
		double		es,
					sp;

		if (!paid[c])
			continue;
		es = effect[c] / te;
		sp = ts > 0.0 ? spend[c] / ts : 0.0;
		ss += (es - sp) * (es - sp);
		/* rounds to 0.0000 at 4 decimals (R round: half to even) */
		if (nearbyint(es * 1e4) == 0.0)
			nzero++;
	}
	return sqrt(ss) * (1.0 + (double) nzero / npaid);
}

double
mm_prior_weight(double confidence)
{
	double		c = fmin(fmax(confidence, 0.0), 0.99);

	return c / (1.0 - c);
}

double
mm_prior_distance(const double *share, const double *prior, const double *weight, int C)
{
	double		d = 0.0;

	for (int c = 0; c < C; c++)
		if (!isnan(prior[c]))
			d += weight[c] * (share[c] - prior[c]) * (share[c] - prior[c]);
	return d;
}

double
mm_lift_gaussian(double pred, double lift_abs, double lift_se)
{
	double		z;

	if (!(lift_se > 0.0) || !isfinite(lift_se))
		return NAN;
	z = (pred - lift_abs) / lift_se;
	return 0.5 * z * z;
}

MMStatus
mm_lognormal_from_mean_sd(double mean, double sd, double *mu, double *sigma)
{
	double		r,
				s2;

	if (!(mean > 0.0) || !(sd > 0.0) || !isfinite(mean) || !isfinite(sd))
		return MM_EDOM;
	r = sd / mean;
	s2 = log1p(r * r);			/* log1p: exact for a small coefficient of variation */
	if (!isfinite(s2))
		return MM_EOVRFLW;
	*sigma = sqrt(s2);
	*mu = log(mean) - 0.5 * s2;
	return MM_OK;
}

double
mm_objective_total(const MMObjectives *o, const MMObjectiveWeights *w)
{
	const double wt[MM_NOBJ] = {w->nrmse, w->rssd, w->prior, w->lift};
	double		j = 0.0;

	for (int i = 0; i < MM_NOBJ; i++)
		if (wt[i] > 0.0 && !isnan(o->v[i]))
			j += wt[i] * o->v[i];
	if (w->lift_gauss > 0.0 && !isnan(o->lift_gauss))
		j += w->lift_gauss * o->lift_gauss;
	return j;
}
