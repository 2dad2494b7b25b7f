/*
 * model.h: the Bayesian marketing-mix model: its log posterior with the
 * analytic gradient, the one objective that the sampler (nuts.h) and the
 * MAP fit share (../shared/ARCHITECTURE.md "Numerical choices").
 *
 * Per channel c (doc/model.md "Bayesian inference"):
 *   a_ct = adstock(x_c)_t, s_ct = sat(a_ct / input_scale_c), m_ct = beta_c s_ct
 * with beta_c either sampled (PyMC's coefficient) or derived from the
 * channel's ROAS over the training rows (Meridian's ROI parameterisation):
 *   additive:       beta_c = ROAS_c spend_c / (rpk y_scale sum_t s_ct)
 *   multiplicative: beta_c = ROAS_c spend_c / (rpk sum_t y_t s_ct)   (first order in the log effect)
 * and the KPI, scaled (additive y / y_scale, multiplicative ln y),
 *   ys_t = intercept + sum_k gamma_k z~_kt + sum_c m_ct + eps_t,  eps ~ N(0, sigma^2).
 * The intercept and the fixed terms without a sign constraint (z~ the
 * standardised columns) have Gaussian priors and are integrated out exactly
 * (their conditional posterior is Gaussian), so the sampler moves only the
 * transform parameters, the effects, sign-constrained fixed terms and sigma;
 * mm_post_realize draws them back from their conditional.
 *
 * Extra terms of the log posterior: contribution-share priors (Adobe's prior
 * knowledge, Gaussian on the share) and lift studies (Gaussian likelihood
 * terms, formulas §8.2/§8.4 (b)).
 *
 * Plain C on LAPACKE; the caller allocates (mm_post_work_size).
 */
#ifndef MM_POSTERIOR_MODEL_H
#define MM_POSTERIOR_MODEL_H

#include <stdbool.h>

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"
#include "math/mmm.h"
#include "math/search.h"
#include "math/posterior/prior.h"

/* Parameters of a channel, in this order (unused ones have a fixed prior). */
#define MM_POST_AD1 0
#define MM_POST_AD2 1
#define MM_POST_SAT1 2
#define MM_POST_SAT2 3
#define MM_POST_EFFECT 4
#define MM_POST_NPAR 5

/* Limits of one model (the search's: 64 channels and fixed terms). */
#define MM_POST_MAX_CHANNELS 64
#define MM_POST_MAX_FIXED 65

typedef struct MMPostChannel
{
	MMAdstockKind adstock;
	int			max_lag;		/* lags 0..max_lag; -1 = recursive geometric (Robyn) */
	bool		normalize;
	MMSaturationKind saturation;
	MMPrior		prior[MM_POST_NPAR];
	bool		roi;			/* effect is the ROAS in revenue (Meridian); else the coefficient */
	double		input_scale;	/* > 0, fixed */
	double		spend;			/* training spend (roi channels) */
} MMPostChannel;

typedef struct MMPostData
{
	MMModelForm form;
	int			T;				/* media rows, history before the window included */
	int			t0;				/* first window row of x */
	int			n;				/* window rows */
	int			n_train;		/* the first n_train window rows are fitted */
	int			C;
	const double *x;			/* C x T media inputs, row-major */
	const MMPostChannel *ch;	/* C */
	int			F;
	const double *Z;			/* F x n fixed regressors (raw), row-major */
	const int  *zsign;			/* F: 0 integrated out, +1 / -1 sampled with that sign; NULL: all 0 */
	const double *y;			/* n KPI (> 0 for multiplicative) */
	double		revenue_per_kpi;	/* ROAS in revenue = contribution x this / spend (> 0) */
	MMPrior		intercept;		/* normal, scaled KPI */
	double		fixed_sd;		/* prior sd of a fixed term's coefficient on its standardised column */
	MMPrior		sigma;			/* noise sd on the scaled KPI */
	const double *share_prior;	/* C prior shares of the training KPI (NaN: none) or NULL */
	const double *share_sd;		/* C */
	int			E;
	const MMExperiment *exps;	/* lift studies; each needs lift_se > 0; scope total */
} MMPostData;

typedef struct MMPost
{
	const MMPostData *d;
	int			dim;			/* unconstrained parameters the sampler moves */
	int			p;				/* integrated-out columns: intercept + free fixed terms */
	double		y_scale;		/* additive: mean |y| of the training rows; multiplicative: 1 */
	int		   *map;			/* C x MM_POST_NPAR: index into u, -1 when fixed */
	int		   *sign_index;		/* F: index into u of a signed term, -1 otherwise */
	int			sigma_index;
	double	   *work;			/* everything below points into it */
	double	   *ys;				/* n scaled KPI less the prior means of the integrated-out terms */
	double	   *kappa;			/* n: KPI units of a unit of m (y_scale, or y_t first order) */
	double	   *Zc;				/* p x n integrated-out design (intercept, standardised) */
	int		   *zcol;			/* p: the fixed term of each column (-1 intercept) */
	double	   *zmean,
			   *zsd;			/* F */
	double	   *ZtZ;			/* p x p over the training rows */
	double	   *pmean,
			   *pprec;			/* p prior means and precisions */
	double		ysum;			/* sum of y over the training rows (share priors) */
	/* per evaluation */
	double	   *m;				/* C x n channel terms (scaled) */
	double	   *s,
			   *sp,
			   *ds1,
			   *ds2;			/* C x n saturation, ds/da, ds/dq1, ds/dq2 */
	double	   *a,
			   *da1,
			   *da2;			/* C x T adstock and its derivatives */
	double	   *beta;			/* C */
	double	   *W;				/* C: sum over training rows of weight x s */
	double	   *gm;				/* n: d log posterior / d m_ct of the channel being chained */
	double	   *r,
			   *e;				/* n residual and residual after the integrated-out terms */
	double	   *A,
			   *Ainv,
			   *b,
			   *ghat;			/* p x p, p x p, p, p */
	double	   *wts,
			   *dw1,
			   *dw2;			/* max lag weights */
	double		sigma;
	int		   *stop;			/* chains in threads (chains.h): when nonzero, every
								 * evaluation returns -INFINITY, ending the tree or
								 * the BFGS run at once */
} MMPost;

/* Doubles and ints of workspace mm_post_init needs. */
extern long mm_post_work_size(const MMPostData *d);
extern long mm_post_iwork_size(const MMPostData *d);

/*
 * Check the data and priors (MM_EDOM on any bad value: a prior outside its
 * support, a non-positive input scale, a ROI channel without spend, a study
 * without lift_se or with scope immediate, y <= 0 in the multiplicative form)
 * and lay out the parameters.  MM_ESING when the integrated-out design is
 * singular even with its priors (cannot happen with positive precisions).
 */
extern MMStatus mm_post_init(MMPost *ps, const MMPostData *d, double *work, int *iwork);

/*
 * The log posterior at u (ps->dim unconstrained values), up to a constant,
 * and its gradient in grad (may be NULL).  -INFINITY when u leaves the
 * region where the model is defined (e.g. a channel's curve all zero).
 */
extern double mm_post_logp(MMPost *ps, const double *u, double *grad);

/* The prior medians as a starting point u (ps->dim values). */
extern void mm_post_start(const MMPost *ps, double *u);

/* The value on its support of each parameter of a channel at u. */
extern void mm_post_channel_values(const MMPost *ps, const double *u, int c,
								   double v[MM_POST_NPAR]);

/* The noise sd at u, in KPI units (additive) or ln units (multiplicative). */
extern double mm_post_sigma(const MMPost *ps, const double *u);

/*
 * One draw of the full model at u: channel specs (coef in KPI units for the
 * additive form, ln units for the multiplicative), intercept and the F fixed
 * coefficients on the raw scale of Z (additive: KPI units).  The integrated-
 * out terms are drawn from their Gaussian conditional with r (or set to its
 * mean when r is NULL).  Calls mm_post_logp at u.
 */
extern MMStatus mm_post_realize(MMPost *ps, const double *u, gsl_rng *r,
								MMChannelSpec *spec, double *intercept, double *gamma);

/*
 * Prediction and decomposition of a realised model over the n window rows:
 * yhat (n) and contrib ((1 + C + F) x n: intercept or pure base, channels,
 * fixed terms; additive terms, multiplicative log_share as training).
 * m is the C x n channel terms beta_c s_ct in model units (ps->m after
 * mm_post_logp or mm_post_realize, times the KPI scale for additive).
 */
extern MMStatus mm_post_decompose(const MMPost *ps, const MMChannelSpec *spec,
								  double intercept, const double *gamma,
								  double *yhat, double *contrib);

#endif
