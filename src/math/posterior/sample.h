/*
 * sample.h: the posterior of a model (model.h) by several NUTS chains, and
 * its mode.  Each chain starts from its own point — the prior medians for the
 * first, jittered ones for the others — moved to a nearby mode by BFGS
 * (GSL's vector_bfgs2) on the same log posterior, so chains that end in
 * different modes show up in R-hat.  Chain k draws from the caller's
 * generator reseeded with (seed, k): reruns are bit-identical.
 */
#ifndef MM_POSTERIOR_SAMPLE_H
#define MM_POSTERIOR_SAMPLE_H

#include <stdint.h>

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>

#include "math/posterior/model.h"
#include "math/posterior/nuts.h"

typedef struct MMPostSampleOptions
{
	int			chains;
	MMNutsOptions nuts;
	int64_t		seed;
	int			mode_iterations;	/* BFGS iterations per start */
} MMPostSampleOptions;

/* Doubles of workspace mm_post_sample needs. */
extern long mm_post_sample_work(const MMPost *ps, const MMPostSampleOptions *o);

/*
 * The mode of the log posterior from u (in place) by at most max_iter BFGS
 * iterations; *lp receives its log posterior.  min must be a
 * gsl_multimin_fdfminimizer of dimension ps->dim.
 */
extern MMStatus mm_post_mode(MMPost *ps, gsl_multimin_fdfminimizer *min, double *u,
							 int max_iter, double *lp);

/*
 * Run o->chains chains: start (chains x dim) receives each chain's start,
 * draws (chains x draws x dim, chain after chain) the kept draws on the
 * unconstrained scale, lp their log posteriors, stats (chains) the sampler's
 * statistics.
 */
extern MMStatus mm_post_sample(MMPost *ps, const MMPostSampleOptions *o, gsl_rng *rng,
							   gsl_multimin_fdfminimizer *min, double *start,
							   double *draws, double *lp, MMNutsStats *stats,
							   double *work);

/*
 * Chain k alone (as mm_post_sample runs it): u (dim) receives its start,
 * draws (draws x dim) and lp (draws) its kept draws.  Depends on nothing but
 * (seed, k) and the model, so chains may run in any order or in parallel.
 */
extern MMStatus mm_post_sample_chain(MMPost *ps, const MMPostSampleOptions *o, int k,
									 gsl_rng *rng, gsl_multimin_fdfminimizer *min, double *u,
									 double *draws, double *lp, MMNutsStats *stats,
									 double *work);

#endif
