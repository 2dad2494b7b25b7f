/*
 * derive.h: the quantities a marketer reads, per posterior draw — each
 * channel's contribution over the training rows, its share of the prediction
 * and of the paid channels' effect, its marginal response at the training
 * spend — and per period the prediction and decomposition of a thinned set of
 * draws; then quantiles of any of them.  The intervals of every view come
 * from here (doc/model.md "Bayesian inference").
 */
#ifndef MM_POSTERIOR_DERIVE_H
#define MM_POSTERIOR_DERIVE_H

#include <gsl/gsl_rng.h>

#include "math/posterior/model.h"

typedef struct MMPostDerived
{
	int			D;				/* draws */
	int			Dt;				/* thinned draws kept per period */
	int			thin;			/* every thin-th draw is kept per period */
	double	   *contrib;		/* D x C: contribution over the training rows, KPI units */
	double	   *share;			/* D x C: of the prediction over the training rows */
	double	   *effect_share;	/* D x C: of the paid channels' contribution (NaN organic) */
	double	   *marginal;		/* D x C: dR/ds at the training spend, KPI per currency (NaN organic) */
	double	   *yhat;			/* Dt x n */
	double	   *period;			/* Dt x (1 + C + F) x n: decomposition */
	double	   *params;			/* D x P: the realised draw (mm_post_draw_width) */
} MMPostDerived;

/*
 * Width of one realised draw: per channel adstock p1, p2, saturation p1,
 * p2, coefficient (KPI units, or ln units for multiplicative); then the
 * intercept, the F fixed coefficients and sigma.
 */
extern int	mm_post_draw_width(const MMPostData *d);

/* Doubles of work mm_post_derive needs. */
extern long mm_post_derive_work(const MMPost *ps);

/*
 * Fill out (its arrays allocated by the caller for out->D draws and
 * out->Dt = ceil(D / thin) thinned draws) from the D unconstrained draws.
 * paid[c] marks paid channels (marginal response at the training rows'
 * input, response_points' convention).  The
 * integrated-out terms of each draw are drawn with rng.  interrupt (may be
 * NULL) is called once per draw.
 */
extern MMStatus mm_post_derive(MMPost *ps, const double *draws, const bool *paid,
							   gsl_rng *rng, MMInterruptFn interrupt,
							   MMPostDerived *out, double *work);

/*
 * lower, median and upper of a central interval at level (e.g. 0.9: the
 * 5%, 50% and 95% quantiles) of n values at stride; NaN values are
 * skipped (all NaN: NaN).  work holds n doubles.
 */
extern void mm_post_quantiles(const double *x, int n, int stride, double level,
							  double q[3], double *work);

#endif
