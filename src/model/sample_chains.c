/*
 * sample_chains.c: a Bayesian training's chains, one after another or in
 * threads (src/math/posterior/chains.c), with progress and interrupts.
 *
 * Threads never touch the server: every allocation is made here before they
 * start, and interrupts are served in this thread after they stop.  The
 * default of 4 threads follows PyMC's min(4, CPUs) cores.
 */
#include "postgres.h"

#include <unistd.h>

#include <gsl/gsl_multimin.h>

#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common/errors.h"
#include "common/rng.h"
#include "math/posterior/chains.h"
#include "model/sample_chains.h"

int			mm_sampler_threads = 4;

typedef struct Progress
{
	TimestampTz last;
	long		iterations;
	long		total;
} Progress;

static Progress progress;

static void
report_progress(long iterations)
{
	TimestampTz now = GetCurrentTimestamp();

	if (TimestampDifferenceExceeds(progress.last, now, 2000))
	{
		ereport(NOTICE,
				(errmsg("sampling: %ld of %ld iterations", iterations, progress.total)));
		progress.last = now;
	}
}

/* serial chains: called once per iteration */
static void
serial_interrupt(void)
{
	CHECK_FOR_INTERRUPTS();
	progress.iterations++;
	if ((progress.iterations & 63) == 0)
		report_progress(progress.iterations);
}

/*
 * threaded chains: called by this thread every 20 ms; never throws.  Only the
 * interrupts that end the statement stop the chains; others (catch-up
 * signals, barriers, ...) wait until they are done.
 */
static int
threads_poll(void *arg, long iterations)
{
	(void) arg;
	if (InterruptPending && (QueryCancelPending || ProcDiePending || ClientConnectionLost))
		return 1;
	report_progress(iterations);
	return 0;
}

static void
free_minimizer(void *arg)
{
	gsl_multimin_fdfminimizer_free((gsl_multimin_fdfminimizer *) arg);
}

gsl_multimin_fdfminimizer *
mixmodel_bfgs_create(size_t dim)
{
	gsl_multimin_fdfminimizer *min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, dim);
	MemoryContextCallback *cb;

	if (min == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	cb = palloc(sizeof(MemoryContextCallback));
	cb->func = free_minimizer;
	cb->arg = min;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return min;
}

MMStatus
mixmodel_sample_chains(const MMPostData *d, MMPost *ps, MMPostSampleOptions *so,
					   gsl_rng *rng, gsl_multimin_fdfminimizer *min, double *start,
					   double *draws, double *lp, MMNutsStats *stats)
{
	long		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int			threads = Min(mm_sampler_threads, so->chains);
	MMPostWorker *w;
	MMStatus	st;

	if (cpus >= 1 && threads > cpus)
		threads = (int) cpus;
	progress.last = GetCurrentTimestamp();
	progress.iterations = 0;
	progress.total = (long) so->chains * (so->nuts.warmup + so->nuts.draws);

	if (threads <= 1)
	{
		so->nuts.interrupt = serial_interrupt;
		return mm_post_sample(ps, so, rng, min, start, draws, lp, stats,
							  palloc(sizeof(double) * mm_post_sample_work(ps, so)));
	}

	/* every worker's memory, here and now: the threads allocate nothing */
	w = palloc0(sizeof(MMPostWorker) * threads);
	for (int i = 0; i < threads; i++)
	{
		st = mm_post_init(&w[i].ps, d, palloc(sizeof(double) * mm_post_work_size(d)),
						  palloc(sizeof(int) * mm_post_iwork_size(d)));
		if (st != MM_OK)
			return st;
		w[i].rng = mm_rng_create(0);
		w[i].min = mixmodel_bfgs_create(ps->dim);
		w[i].work = palloc(sizeof(double) * mm_post_sample_work(&w[i].ps, so));
	}
	so->nuts.interrupt = NULL;
	st = mm_post_sample_threads(w, threads, so, start, draws, lp, stats, threads_poll, NULL);
	/* serve the pending interrupt (and any other that waited) now that the threads are done */
	CHECK_FOR_INTERRUPTS();
	return st;
}
