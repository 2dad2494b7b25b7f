/*
 * chains.c: chains in parallel threads (chains.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "math/posterior/chains.h"

#define MM_MAX_THREADS 64

typedef struct ChainRun
{
	MMPostSampleOptions o;		/* with nuts.stop and nuts.iterations set */
	int			next;			/* the next chain to start */
	int			stop;
	long		iterations;
	int			running;		/* threads not yet finished */
	double	   *start,
			   *draws,
			   *lp;
	MMNutsStats *stats;
	MMStatus   *status;			/* per chain */
} ChainRun;

typedef struct ThreadArg
{
	ChainRun   *run;
	MMPostWorker *w;
} ThreadArg;

static void *
chain_thread(void *arg)
{
	ThreadArg  *t = (ThreadArg *) arg;
	ChainRun   *r = t->run;
	int			dim = t->w->ps.dim;
	int			nd = r->o.nuts.draws;

	for (;;)
	{
		int			k = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED);

		if (k >= r->o.chains)
			break;
		r->status[k] = mm_post_sample_chain(&t->w->ps, &r->o, k, t->w->rng, t->w->min,
											r->start + (size_t) k * dim,
											r->draws + (size_t) k * nd * dim,
											r->lp ? r->lp + (size_t) k * nd : NULL,
											&r->stats[k], t->w->work);
		/* a failed chain makes the run fail: the others need not go on */
		if (r->status[k] != MM_OK)
			__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_sub(&r->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

MMStatus
mm_post_sample_threads(MMPostWorker *workers, int nworkers, const MMPostSampleOptions *o,
					   double *start, double *draws, double *lp, MMNutsStats *stats,
					   MMPostPollFn poll, void *poll_arg)
{
	ChainRun	r;
	ThreadArg	args[MM_MAX_THREADS];
	pthread_t	tid[MM_MAX_THREADS];
	MMStatus	status[MM_MAX_THREADS];
	sigset_t	all,
				old;
	int			started = 0;
	bool		polled_stop = false;

	if (o->chains < 1 || o->chains > MM_MAX_THREADS || nworkers < 1 || o->nuts.interrupt != NULL)
		return MM_EDOM;
	if (nworkers > o->chains)
		nworkers = o->chains;
	memset(&r, 0, sizeof(r));
	r.o = *o;
	r.o.nuts.stop = &r.stop;
	r.o.nuts.iterations = &r.iterations;
	r.start = start;
	r.draws = draws;
	r.lp = lp;
	r.stats = stats;
	r.status = status;
	for (int k = 0; k < o->chains; k++)
		status[k] = MM_ECANCELED;	/* a chain never started was stopped */
	r.running = nworkers;

	/* the threads inherit a mask blocking every signal */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < nworkers; i++)
		workers[i].ps.stop = &r.stop;	/* one tree can take seconds: stop inside it */
	for (int i = 0; i < nworkers; i++)
	{
		args[i].run = &r;
		args[i].w = &workers[i];
		if (pthread_create(&tid[i], NULL, chain_thread, &args[i]) != 0)
			break;
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* threads that could not start will not finish */
	__atomic_fetch_sub(&r.running, nworkers - started, __ATOMIC_RELEASE);
	if (started == 0)
		return MM_ENOMEM;

	while (__atomic_load_n(&r.running, __ATOMIC_ACQUIRE) > 0)
	{
		struct timespec ts = {0, 20 * 1000 * 1000};

		if (!polled_stop && poll && poll(poll_arg, __atomic_load_n(&r.iterations, __ATOMIC_RELAXED)))
		{
			polled_stop = true;
			__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
		}
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (int i = 0; i < nworkers; i++)
		workers[i].ps.stop = NULL;

	if (polled_stop)
		return MM_ECANCELED;
	/* the first failure in chain order, unless only stopped because another failed */
	for (int k = 0; k < o->chains; k++)
		if (status[k] != MM_OK && status[k] != MM_ECANCELED)
			return status[k];
	for (int k = 0; k < o->chains; k++)
		if (status[k] != MM_OK)
			return status[k];
	return MM_OK;
}
