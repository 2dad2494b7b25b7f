/*
 * bandit.h: Thompson-sampling allocation for a multi-armed bandit on
 * conversion rates (formulas §7.5) and a replay of it against known rates.
 *
 * Every draw comes from the caller's gsl_rng (gsl_rng_mt19937 seeded by the
 * glue), so a seed gives the same weights and the same replay, bit for bit.
 */
#ifndef MM_EXPERIMENT_BANDIT_H
#define MM_EXPERIMENT_BANDIT_H

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"

/*
 * Monte-Carlo probability to be best of K Beta(a_k, b_k) arms: the share of
 * "draws" joint draws in which arm k is the largest (the first such arm on a
 * tie).  Calls interrupt (when not NULL) every 65536 draws.
 */
extern MMStatus mm_thompson_pbest(gsl_rng *r, int K, const double *a, const double *b,
								  long draws, MMInterruptFn interrupt, double *p);

/*
 * Traffic weights from probabilities to be best with an exploration floor f
 * in [0, 1/K]: w_k = f + (1 - K f) p_k.
 */
extern MMStatus mm_thompson_weights(int K, const double *p, double floor_share, double *w);

/* A bandit replayed against true conversion rates. */
typedef struct MMBanditSim
{
	int			K;
	const double *rates;		/* true conversion rate per arm, in [0, 1] */
	int			periods;		/* allocation periods (weeks) */
	double		units;			/* units per period, a whole number >= 1 */
	double		floor;			/* exploration floor per arm */
	long		draws;			/* Monte-Carlo draws per re-weighting */
	int			replications;
	double		prior_a;
	double		prior_b;
} MMBanditSim;

/*
 * Replays the bandit: period 1 splits evenly; after each period the posterior
 * Beta(prior_a + conversions, prior_b + units - conversions) of each arm sets
 * the next weights; units go to arms by a multinomial draw, conversions by a
 * binomial draw at the true rates.  Per period, averaged over replications:
 * best_share (share of units on a best arm), regret (expected conversions
 * lost against always serving a best arm, sum_k n_k (r* - r_k)), even_regret
 * (the same for an even split) and p_best (probability to be best of the best
 * arms after the period).  work holds 6 K doubles, counts K unsigned ints.
 */
extern MMStatus mm_bandit_simulate(gsl_rng *r, const MMBanditSim *sim, double *work,
								   unsigned int *counts, MMInterruptFn interrupt,
								   double *best_share, double *regret, double *even_regret,
								   double *p_best);

#endif
