/*
 * mmm.h: the fitted marketing-mix model as the numerical core sees it.
 *
 * Training (src/math/ridge.c, search.c) produces it; scoring (response.c,
 * decomposition.c) and planning (plan.c) consume it.  Everything here is in
 * absolute units: data-dependent conventions (Robyn's relative Hill
 * inflexion, relative Weibull scale) are resolved at training time.
 */
#ifndef MM_MMM_H
#define MM_MMM_H

#include <stdbool.h>

#include "math/adstock.h"
#include "math/saturation.h"

typedef enum MMModelForm
{
	MM_FORM_ADDITIVE,			/* y = base + sum_c beta_c s_c(a_c) (Robyn, Meridian, PyMC) */
	MM_FORM_MULTIPLICATIVE		/* ln y = base + sum_c beta_c s_c(a_c) (Adobe; formulas §2.2) */
} MMModelForm;

/* One media channel of a fitted model. */
typedef struct MMChannelSpec
{
	MMAdstockKind adstock;
	double		adstock_p1;		/* see mm_adstock_weights() */
	double		adstock_p2;
	int			max_lag;		/* lags 0..max_lag; -1 = recursive geometric (Robyn) */
	bool		adstock_normalize;
	MMSaturationKind saturation;
	double		sat_p1;			/* see mm_saturation(); K already absolute */
	double		sat_p2;
	double		input_scale;	/* adstocked input is divided by this before saturation (> 0) */
	double		coef;			/* beta_c: KPI units (additive) or log-KPI units (multiplicative) */
} MMChannelSpec;

/*
 * A fitted model over its regressors, as training stores it
 * (mixmodel.run_channels: the channel specs; mixmodel.run_coefficients:
 * intercept and fixed terms).  The linear
 * predictor of period t is
 *     eta_t = intercept + sum_c coef_c s_c(a_c,t / input_scale_c) + sum_k gamma_k z_k,t
 * and the prediction is eta_t (additive) or exp(eta_t) (multiplicative).
 * The fixed regressors z (trend, Fourier terms, holidays, factors) are plain
 * data columns named by the glue.
 */
typedef struct MMModel
{
	MMModelForm form;
	double		intercept;		/* 0 when Robyn's rule dropped it */
	int			n_channels;
	const MMChannelSpec *channels;	/* n_channels */
	int			n_fixed;
	const double *gamma;		/* n_fixed coefficients of the fixed regressors */
} MMModel;

#endif
