/*
 * pool.h: geo-level effects with partial pooling toward the national model
 * (doc/geo.md).
 *
 * A geo model is trained in two stages.  The national model (the sum of the
 * geos) is an ordinary model; it gives every channel's carry-over and curve,
 * which all geos share (Meridian's geo model shares them too), and the
 * national effect beta_c.  Each geo g then has its own effect beta_gc, in
 * national-equivalent units after population scaling (Meridian divides KPI
 * and media by population; here both are multiplied by r_g = total size /
 * geo size, which is the same up to the constant total):
 *
 *   r_g y_gt = mu_g + sum_k gamma_gk z_kt + sum_c beta_gc s_c(a_gct r_g) + e,
 *   e ~ N(0, sigma_g^2),   beta_gc ~ N(beta_c, tau_c^2),
 *
 * with flat priors on mu_g and gamma_g.  The between-geo spread tau_c is
 * estimated by the method of moments from the geos' own (unpooled) fits
 * (DerSimonian and Laird 1986, with the mean fixed at the national effect):
 * tau_c^2 = max(0, (sum_g w_gc (b_gc - beta_c)^2 - G) / sum_g w_gc),
 * w_gc = 1 / var(b_gc).  Given tau and sigma the posterior of each geo's
 * coefficients is Gaussian (conjugate), so a draw of the national posterior
 * gives one exact draw of every geo's effects: the geo posterior carries the
 * national uncertainty of the shapes and effects, conditional on tau and
 * sigma (an empirical-Bayes plug-in, not a joint hierarchical sampler).
 *
 * Plain C on LAPACKE; the caller allocates (mm_geo_work_size).
 */
#ifndef MM_GEO_POOL_H
#define MM_GEO_POOL_H

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"
#include "math/mmm.h"

typedef struct MMGeoData
{
	int			G;				/* geos */
	int			C;				/* channels */
	int			F;				/* fixed regressors besides the intercept */
	int			T;				/* media rows, history before the window included */
	int			t0;				/* first window row of x */
	int			n;				/* window rows */
	int			n_train;		/* the first n_train window rows are fitted */
	const double *x;			/* G x C x T media inputs, row-major */
	const double *y;			/* G x n KPI of the window rows (training rows finite) */
	const double *Z;			/* F x n fixed regressors, shared by the geos */
	const double *scale;		/* G: r_g > 0 */
} MMGeoData;

/* The estimates of one geo for one set of channel specs. */
typedef struct MMGeoFit
{
	double	   *beta;			/* G x C effects (national-equivalent units) */
	double	   *contrib;		/* G x C x n channel terms in the geo's KPI units */
	double	   *base;			/* G x n intercept + fixed terms, the geo's KPI units */
} MMGeoFit;

/* Doubles of workspace mm_geo_hyper and mm_geo_draw need. */
extern long mm_geo_work_size(const MMGeoData *d);

/*
 * The hyperparameters at the point specs spec[C]: each geo's own least-
 * squares fit gives sigma[g] (residual sd, r_g-scaled units) and unpooled[G x C]
 * (its b_gc); tau[C] as above, at least tau_floor |beta_c|.  MM_EDOM for
 * n_train <= 1 + F + C, MM_ESING when a geo's design is singular.
 */
extern MMStatus mm_geo_hyper(const MMGeoData *d, const MMChannelSpec *spec, double tau_floor,
							 double *sigma, double *tau, double *unpooled, double *work,
							 MMInterruptFn interrupt);

/*
 * One draw of every geo's coefficients from their Gaussian posterior given
 * the national specs spec[C] (their coef is beta_c) and sigma, tau; with r
 * NULL the posterior mean.  Fills fit (any member may be NULL).
 */
extern MMStatus mm_geo_draw(const MMGeoData *d, const MMChannelSpec *spec,
							const double *sigma, const double *tau, gsl_rng *r,
							MMGeoFit *fit, double *work, MMInterruptFn interrupt);

#endif
