/*
 * objective.h: fit metrics (formulas §3), Robyn's DECOMP.RSSD and MAPE.LIFT
 * (§3, §8.1), the prior-knowledge distance (§8.4) and the one scalar
 * objective of a candidate model (loss + penalties = negative log posterior
 * up to constants), in one place so the search and a later sampler share it.
 */
#ifndef MM_OBJECTIVE_H
#define MM_OBJECTIVE_H

#include <stdbool.h>

#include "math/mm_status.h"

/* Metrics of one split (original KPI scale).  NaN where formulas §3 says NULL. */
typedef struct MMMetrics
{
	int			n;
	double		r2;
	double		adj_r2;
	double		mape;
	double		smape;
	double		rmse;
	double		nrmse;
} MMMetrics;

/*
 * Metrics of y against yhat over n rows.  p = number of design columns and
 * df_int = 1 with an intercept (adjusted R^2, Robyn's get_rsq); n_adj is the
 * n of the adjusted R^2 (Robyn puts n_train there for validation rows).
 */
extern void mm_metrics(const double *y, const double *yhat, int n, int p, int df_int,
					   int n_adj, MMMetrics *m);

/*
 * DECOMP.RSSD over the paid channels (paid[c]): effect[c] and spend[c] are
 * window totals.  Zero-effect penalty: times (1 + n_zero / n_paid), n_zero
 * counting effect shares that round to 0 at 4 decimals.  +inf when every
 * paid effect is 0; 0 without paid channels.
 */
extern double mm_decomp_rssd(const double *effect, const double *spend, const bool *paid, int C);

/*
 * Prior-knowledge distance sum_c w_c (share_c - prior_c)^2 over channels with
 * a prior (prior[c] not NaN); w_c = conf / (1 - conf) with conf in [0, 0.99]
 * (0% confidence: no penalty; 99%: weight 99).
 */
extern double mm_prior_weight(double confidence);
extern double mm_prior_distance(const double *share, const double *prior,
								const double *weight, int C);

/* Weights of the scalar objective (all >= 0). */
typedef struct MMObjectiveWeights
{
	double		nrmse;			/* loss */
	double		rssd;			/* DECOMP.RSSD (Robyn's business error) */
	double		prior;			/* prior-knowledge distance */
	double		lift;			/* MAPE.LIFT */
	double		lift_gauss;		/* Gaussian lift-study penalty (0: calibration by MAPE.LIFT only) */
} MMObjectiveWeights;

/* Objectives of one candidate, each to be minimised. */
#define MM_NOBJ 4
typedef struct MMObjectives
{
	double		v[MM_NOBJ];		/* nrmse (training rows), decomp_rssd, prior distance, mape_lift */
	double		lift_gauss;		/* Gaussian lift-study penalty: a term of the total, not a Pareto axis */
} MMObjectives;

/*
 * One lift study's Gaussian penalty (formulas §8.4 (b)): ((pred - lift_abs) / lift_se)^2 / 2,
 * its negative log likelihood up to a constant.  NaN when lift_se is not positive and finite
 * (the study then counts in MAPE.LIFT only).
 */
extern double mm_lift_gaussian(double pred, double lift_abs, double lift_se);

/*
 * The one scalar objective: sum_i weight_i v_i + weight_lift_gauss * lift_gauss
 * (NaN terms, e.g. no experiments, count 0).
 */
extern double mm_objective_total(const MMObjectives *o, const MMObjectiveWeights *w);

/*
 * The lognormal with a given mean and standard deviation (formulas §8.3,
 * Meridian's lognormal_dist_from_mean_std): sigma^2 = ln(1 + sd^2 / mean^2),
 * mu = ln(mean) - sigma^2 / 2.  mean > 0 and sd > 0, both finite (MM_EDOM
 * otherwise); MM_EOVRFLW when sd / mean is too large for a finite sigma.
 */
extern MMStatus mm_lognormal_from_mean_sd(double mean, double sd, double *mu, double *sigma);

#endif
