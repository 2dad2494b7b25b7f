/*
 * sample.c: chains and mode of the log posterior (sample.h).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "math/generate.h"
#include "math/posterior/sample.h"

/* gsl_multimin minimises: the negative log posterior (a large value where it is not finite) */
static double
neg_f(const gsl_vector *v, void *arg)
{
	MMPost	   *ps = (MMPost *) arg;
	double		lp = mm_post_logp(ps, v->data, NULL);

	return isfinite(lp) ? -lp : 1e300;
}

static void
neg_df(const gsl_vector *v, void *arg, gsl_vector *g)
{
	MMPost	   *ps = (MMPost *) arg;
	double		lp = mm_post_logp(ps, v->data, g->data);

	for (size_t i = 0; i < g->size; i++)
		g->data[i] = isfinite(lp) && isfinite(g->data[i]) ? -g->data[i] : 0.0;
}

static void
neg_fdf(const gsl_vector *v, void *arg, double *f, gsl_vector *g)
{
	MMPost	   *ps = (MMPost *) arg;
	double		lp = mm_post_logp(ps, v->data, g->data);

	*f = isfinite(lp) ? -lp : 1e300;
	for (size_t i = 0; i < g->size; i++)
		g->data[i] = isfinite(lp) && isfinite(g->data[i]) ? -g->data[i] : 0.0;
}

MMStatus
mm_post_mode(MMPost *ps, gsl_multimin_fdfminimizer *min, double *u, int max_iter, double *lp)
{
	gsl_multimin_function_fdf fn;
	gsl_vector_view x = gsl_vector_view_array(u, ps->dim);

	if (!isfinite(mm_post_logp(ps, u, NULL)))
		return MM_EDOM;
	fn.n = ps->dim;
	fn.f = neg_f;
	fn.df = neg_df;
	fn.fdf = neg_fdf;
	fn.params = ps;
	if (gsl_multimin_fdfminimizer_set(min, &fn, &x.vector, 0.1, 0.1) != 0)
		return MM_ENOCONV;
	for (int it = 0; it < max_iter; it++)
	{
		if (gsl_multimin_fdfminimizer_iterate(min) != 0)
			break;				/* no further progress along the line: as good as it gets */
		if (gsl_multimin_test_gradient(min->gradient, 1e-6) == GSL_SUCCESS)
			break;
	}
	/* keep the best point seen: the minimiser's x */
	if (gsl_multimin_fdfminimizer_minimum(min) < neg_f(&x.vector, ps))
		memcpy(u, min->x->data, sizeof(double) * ps->dim);
	*lp = mm_post_logp(ps, u, NULL);
	return isfinite(*lp) ? MM_OK : MM_EDOM;
}

long
mm_post_sample_work(const MMPost *ps, const MMPostSampleOptions *o)
{
	return mm_nuts_work_size(ps->dim, &o->nuts);
}

static double
target(void *arg, const double *q, double *grad)
{
	return mm_post_logp((MMPost *) arg, q, grad);
}

MMStatus
mm_post_sample_chain(MMPost *ps, const MMPostSampleOptions *o, int k, gsl_rng *rng,
					 gsl_multimin_fdfminimizer *min, double *u, double *draws,
					 double *lp, MMNutsStats *stats, double *work)
{
	int			dim = ps->dim;
	double		lp0;
	MMStatus	st;

	gsl_rng_set(rng, mm_gen_seed(o->seed, k));
	mm_post_start(ps, u);
	/* chains after the first start from a jittered prior median */
	if (k > 0)
		for (int i = 0; i < dim; i++)
			u[i] += gsl_ran_gaussian(rng, 1.0);
	st = mm_post_mode(ps, min, u, o->mode_iterations, &lp0);
	if (st != MM_OK)
	{
		/* a jittered start outside the model's domain: start from the medians */
		mm_post_start(ps, u);
		st = mm_post_mode(ps, min, u, o->mode_iterations, &lp0);
		if (st != MM_OK)
			return st;
	}
	return mm_nuts_chain(target, ps, dim, u, rng, &o->nuts, draws, lp, stats, work);
}

MMStatus
mm_post_sample(MMPost *ps, const MMPostSampleOptions *o, gsl_rng *rng,
			   gsl_multimin_fdfminimizer *min, double *start, double *draws,
			   double *lp, MMNutsStats *stats, double *work)
{
	int			dim = ps->dim;

	if (o->chains < 1)
		return MM_EDOM;
	for (int k = 0; k < o->chains; k++)
	{
		MMStatus	st = mm_post_sample_chain(ps, o, k, rng, min, start + (size_t) k * dim,
											  draws + (size_t) k * o->nuts.draws * dim,
											  lp ? lp + (size_t) k * o->nuts.draws : NULL,
											  &stats[k], work);

		if (st != MM_OK)
			return st;
	}
	return MM_OK;
}
