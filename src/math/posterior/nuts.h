/*
 * nuts.h: the No-U-Turn sampler (Hoffman and Gelman 2014) in the form Stan
 * runs it: multinomial sampling of the trajectory, the generalised U-turn
 * criterion checked across and between subtrees (Betancourt 2017, "A
 * Conceptual Introduction to Hamiltonian Monte Carlo", appendix A), and
 * Stan's warm-up: dual-averaging step size (target acceptance 0.8) and a
 * diagonal or dense metric estimated in doubling windows (75 / 25... / 50
 * iterations, regularised towards 1e-3 I).
 *
 * Generic over a log density with gradient; plain C, GSL random numbers,
 * LAPACKE for the dense metric; the caller owns every buffer.
 */
#ifndef MM_POSTERIOR_NUTS_H
#define MM_POSTERIOR_NUTS_H

#include <stdbool.h>

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"

/* log density at q (dim values) and its gradient in grad; -INFINITY outside the support */
typedef double (*MMLogDensityFn) (void *arg, const double *q, double *grad);

typedef struct MMNutsOptions
{
	int			warmup;			/* iterations of adaptation, discarded */
	int			draws;			/* iterations kept */
	int			max_depth;		/* tree depth limit (Stan: 10) */
	double		target_accept;	/* dual averaging target (Stan: 0.8) */
	bool		dense;			/* dense metric; else diagonal */
	MMInterruptFn interrupt;	/* called once per iteration (may be NULL) */
	int		   *stop;			/* when set, read once per iteration: nonzero stops the
								 * chain with MM_ECANCELED (chains in threads) */
	long	   *iterations;		/* when set, incremented once per iteration */
} MMNutsOptions;

typedef struct MMNutsStats
{
	double		step_size;		/* after warm-up */
	int			divergences;	/* among the kept draws */
	int			max_depth_hits;	/* kept draws whose tree hit max_depth */
	double		accept_mean;	/* mean acceptance statistic of the kept draws */
	double		depth_mean;		/* mean tree depth of the kept draws */
	long		gradients;		/* log density evaluations, warm-up included */
} MMNutsStats;

/* Doubles of workspace one chain needs. */
extern long mm_nuts_work_size(int dim, const MMNutsOptions *opt);

/*
 * One chain from q0: draws (opt->draws x dim, row-major) and their log
 * densities lp (opt->draws, may be NULL).  MM_EDOM for bad options or a
 * start where the density is not finite; MM_ENOCONV when no step size can be
 * found (the density is not finite around the start).
 */
extern MMStatus mm_nuts_chain(MMLogDensityFn f, void *arg, int dim, const double *q0,
							  gsl_rng *rng, const MMNutsOptions *opt,
							  double *draws, double *lp, MMNutsStats *stats,
							  double *work);

#endif
