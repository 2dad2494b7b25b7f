/*
 * bandit.c: Thompson-sampling weights and the replay of a bandit against known
 * conversion rates (formulas §7.5).  AJO's multi-armed bandit re-weights traffic
 * every 7 days and does not publish its algorithm; probability matching with an
 * exploration floor is our choice (formulas §9).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "math/experiment/bandit.h"

MMStatus
mm_thompson_pbest(gsl_rng *r, int K, const double *a, const double *b, long draws,
				  MMInterruptFn interrupt, double *p)
{
	if (K < 1 || draws < 1)
		return MM_EDOM;
	for (int k = 0; k < K; k++)
	{
		if (!(a[k] > 0.0) || !(b[k] > 0.0) || !isfinite(a[k]) || !isfinite(b[k]))
			return MM_EDOM;
		p[k] = 0.0;
	}
	for (long d = 0; d < draws; d++)
	{
		int			best = 0;
		double		top = -1.0;

		if (interrupt && (d & 0xFFFF) == 0xFFFF)
			interrupt();
		for (int k = 0; k < K; k++)
		{
			double		x = gsl_ran_beta(r, a[k], b[k]);

			if (x > top)
			{
				top = x;
				best = k;
			}
		}
		p[best] += 1.0;
	}
	for (int k = 0; k < K; k++)
		p[k] /= (double) draws;
	return MM_OK;
}

MMStatus
mm_thompson_weights(int K, const double *p, double floor_share, double *w)
{
	if (K < 1 || !(floor_share >= 0.0) || floor_share * K > 1.0)
		return MM_EDOM;
	for (int k = 0; k < K; k++)
	{
		if (!(p[k] >= 0.0) || p[k] > 1.0)
			return MM_EDOM;
		w[k] = floor_share + (1.0 - K * floor_share) * p[k];
	}
	return MM_OK;
}

MMStatus
mm_bandit_simulate(gsl_rng *r, const MMBanditSim *sim, double *work, unsigned int *counts,
				   MMInterruptFn interrupt, double *best_share, double *regret,
				   double *even_regret, double *p_best)
{
	const int	K = sim->K;
	double	   *conv = work,
			   *units = work + K,
			   *pa = work + 2 * K,
			   *pb = work + 3 * K,
			   *pk = work + 4 * K,
			   *wk = work + 5 * K;
	double		top = -1.0,
				mean = 0.0;
	MMStatus	st;

	if (K < 2 || sim->periods < 1 || sim->replications < 1 || sim->draws < 1 ||
		!(sim->units >= 1.0) || sim->units > 4e9 || sim->units != floor(sim->units) ||
		!(sim->floor >= 0.0) || sim->floor * K > 1.0 ||
		!(sim->prior_a > 0.0) || !(sim->prior_b > 0.0) ||
		!isfinite(sim->prior_a) || !isfinite(sim->prior_b))
		return MM_EDOM;
	for (int k = 0; k < K; k++)
	{
		if (!(sim->rates[k] >= 0.0) || sim->rates[k] > 1.0)
			return MM_EDOM;
		top = fmax(top, sim->rates[k]);
		mean += sim->rates[k] / K;
	}
	for (int t = 0; t < sim->periods; t++)
	{
		best_share[t] = regret[t] = p_best[t] = 0.0;
		even_regret[t] = sim->units * (top - mean);
	}
	for (int rep = 0; rep < sim->replications; rep++)
	{
		if (interrupt)
			interrupt();
		memset(conv, 0, sizeof(double) * 2 * K);
		for (int k = 0; k < K; k++)
			wk[k] = 1.0 / K;
		for (int t = 0; t < sim->periods; t++)
		{
			double		on_best = 0.0,
						lost = 0.0,
						pbest = 0.0;

			gsl_ran_multinomial(r, K, (unsigned int) sim->units, wk, counts);
			for (int k = 0; k < K; k++)
			{
				unsigned int n = counts[k];

				units[k] += n;
				conv[k] += gsl_ran_binomial(r, sim->rates[k], n);
				lost += n * (top - sim->rates[k]);
				if (sim->rates[k] == top)
					on_best += n;
				pa[k] = sim->prior_a + conv[k];
				pb[k] = sim->prior_b + units[k] - conv[k];
			}
			st = mm_thompson_pbest(r, K, pa, pb, sim->draws, interrupt, pk);
			if (st == MM_OK)
				st = mm_thompson_weights(K, pk, sim->floor, wk);
			if (st != MM_OK)
				return st;
			for (int k = 0; k < K; k++)
				if (sim->rates[k] == top)
					pbest += pk[k];
			best_share[t] += on_best / sim->units / sim->replications;
			regret[t] += lost / sim->replications;
			p_best[t] += pbest / sim->replications;
		}
	}
	return MM_OK;
}
