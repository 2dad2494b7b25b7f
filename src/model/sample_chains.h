/*
 * sample_chains.h: the glue that runs a posterior's chains (sample_chains.c).
 */
#ifndef MM_SAMPLE_CHAINS_H
#define MM_SAMPLE_CHAINS_H

#include "postgres.h"

#include "math/posterior/sample.h"

/* GUC mixmodel.sampler_threads: chains sampled at once by one backend */
extern int	mm_sampler_threads;

/*
 * GSL's vector BFGS minimiser of dimension dim, freed when
 * CurrentMemoryContext is reset or deleted (also on error).
 */
extern gsl_multimin_fdfminimizer *mixmodel_bfgs_create(size_t dim);

/*
 * Samples so->chains chains of the posterior ps of data d, as mm_post_sample,
 * in up to min(mixmodel.sampler_threads, chains, online CPUs) threads;
 * reports progress as a NOTICE about every 2 seconds and serves interrupts
 * (statement_timeout, cancel) within one iteration.  rng and min are the
 * caller's (the serial case uses them).  Returns the core's status.
 */
extern MMStatus mixmodel_sample_chains(const MMPostData *d, MMPost *ps, MMPostSampleOptions *so,
									   gsl_rng *rng, gsl_multimin_fdfminimizer *min,
									   double *start, double *draws, double *lp,
									   MMNutsStats *stats);

#endif
