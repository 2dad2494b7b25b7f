/*
 * units.c: outcomes of one unit of a simulated experiment with known rates.
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "math/experiment/units.h"

MMStatus
mm_exp_draw_unit(gsl_rng *r, double u, int K, const MMExpArmTruth *arms, double aov,
				 double value_sigma, MMExpUnit *out)
{
	const MMExpArmTruth *a;
	double		cum = 0.0;
	int			k = 0;

	if (K < 1 || !(u >= 0.0 && u < 1.0) || !(aov > 0.0) || !(value_sigma >= 0.0))
		return MM_EDOM;
	for (; k < K - 1; k++)
	{
		cum += arms[k].share;
		if (u < cum)
			break;
	}
	a = &arms[k];
	if (!(a->order_rate >= 0.0) || !isfinite(a->order_rate))
		return MM_EDOM;
	out->arm = k;
	if (isnan(a->open_rate))
		out->opened = out->clicked = -1;
	else
	{
		out->opened = gsl_rng_uniform(r) < a->open_rate;
		out->clicked = out->opened && gsl_rng_uniform(r) < a->click_rate;
	}
	out->orders = (int) gsl_ran_poisson(r, a->order_rate);
	out->revenue = 0.0;
	for (int i = 0; i < out->orders; i++)
		out->revenue += aov * gsl_ran_lognormal(r, -0.5 * value_sigma * value_sigma, value_sigma);
	return MM_OK;
}
