/*
 * chains.h: the chains of mm_post_sample run in parallel threads.
 *
 * Each thread owns a worker — its own copy of the model's state (MMPost,
 * whose work arrays every evaluation overwrites), generator, minimiser and
 * NUTS workspace — and takes the next chain not yet started.  A chain's draws
 * depend only on (seed, k), so the result is bit-identical to mm_post_sample
 * whatever the number of threads.  The calling thread does no sampling: it
 * calls poll about every 20 ms (the glue checks for interrupts and reports
 * progress there; nothing in the threads touches the server), and when poll
 * returns nonzero every chain stops at its next iteration and the call returns
 * MM_ECANCELED.  The threads block all signals, so the server's handlers run
 * in the calling thread only.  Like the rest of the core this allocates
 * nothing: the caller gives the workers and their memory.
 */
#ifndef MM_POSTERIOR_CHAINS_H
#define MM_POSTERIOR_CHAINS_H

#include "math/posterior/sample.h"

typedef struct MMPostWorker
{
	MMPost		ps;				/* initialised by mm_post_init with its own work arrays */
	gsl_rng    *rng;
	gsl_multimin_fdfminimizer *min;	/* of dimension ps.dim */
	double	   *work;			/* mm_post_sample_work doubles */
} MMPostWorker;

/* Called by the calling thread while chains run: iterations done so far (all
 * chains, warm-up included); nonzero stops them. */
typedef int (*MMPostPollFn) (void *arg, long iterations);

/*
 * As mm_post_sample, with up to nworkers chains at a time (nworkers >= 1).
 * o->nuts.interrupt must be NULL (it would run in the threads).  Returns the
 * first failing chain's status (in chain order), MM_ECANCELED when poll
 * stopped them, MM_ENOMEM when no thread could be started.
 */
extern MMStatus mm_post_sample_threads(MMPostWorker *workers, int nworkers,
									   const MMPostSampleOptions *o, double *start,
									   double *draws, double *lp, MMNutsStats *stats,
									   MMPostPollFn poll, void *poll_arg);

#endif
