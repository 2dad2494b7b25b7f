/*
 * plan_model.c: fitted channels as planning terms.  See plan_model.h.
 */
#include <math.h>

#include "math/plan_model.h"
#include "math/saturation.h"

double
mm_plan_spec_sat(const void *arg, double u, double *deriv)
{
	const MMChannelSpec *s = arg;

	if (deriv)
		*deriv = mm_saturation_deriv(s->saturation, s->sat_p1, s->sat_p2, u);
	return mm_saturation(s->saturation, s->sat_p1, s->sat_p2, u);
}

double
mm_plan_spec_sat_deriv(const void *arg, double u)
{
	const MMChannelSpec *s = arg;

	return mm_saturation_deriv(s->saturation, s->sat_p1, s->sat_p2, u);
}

int
mm_plan_spec_lags(const MMChannelSpec *spec)
{
	double		theta = spec->adstock_p1;
	int			L;

	if (spec->max_lag >= 0)
		return spec->max_lag > MM_PLAN_MAX_LAG ? MM_PLAN_MAX_LAG + 1 : spec->max_lag + 1;
	/* recursive geometric: theta^l < tol for l >= L */
	if (theta <= 0.0)
		return 1;
	L = (int) ceil(log(MM_PLAN_RECURSIVE_TOL) / log(theta));
	return L < 1 ? 1 : L > MM_PLAN_MAX_LAG + 1 ? MM_PLAN_MAX_LAG + 1 : L;
}

MMStatus
mm_plan_term_from_spec(const MMChannelSpec *spec, double weight, const double *history,
					   int n_hist, int H, double *w, double *carry, MMPlanTerm *term)
{
	int			L = mm_plan_spec_lags(spec);
	MMStatus	st;

	if (!(spec->input_scale > 0) || !isfinite(spec->coef) || !isfinite(weight) || H < 1 ||
		n_hist < 0)
		return MM_EDOM;
	if (spec->max_lag >= 0)
	{
		st = mm_adstock_weights(spec->adstock, spec->adstock_p1, spec->adstock_p2, L,
								spec->adstock_normalize, w);
		if (st != MM_OK)
			return st;
	}
	else
	{
		/* recursive geometric: theta^l; normalize multiplies by (1 - theta) */
		if (spec->adstock != MM_ADSTOCK_GEOMETRIC || spec->adstock_p1 < 0 ||
			spec->adstock_p1 >= 1)
			return MM_EDOM;
		for (int l = 0; l < L; l++)
			w[l] = pow(spec->adstock_p1, l) * (spec->adstock_normalize ? 1 - spec->adstock_p1 : 1);
	}
	/* carry_t = sum over lags reaching back before the horizon */
	for (int t = 0; t < H; t++)
	{
		double		a = 0.0;

		for (int l = t + 1; l < L; l++)
		{
			int			u = n_hist + t - l;	/* index into history */

			if (u < 0)
				break;
			a += w[l] * history[u];
		}
		carry[t] = a;
	}
	term->sat = mm_plan_spec_sat;
	term->sat_deriv = mm_plan_spec_sat_deriv;
	term->sat_arg = spec;
	/* every family is concave except Hill alpha > 1 and power theta > 1 */
	term->concave = !((spec->saturation == MM_SAT_HILL || spec->saturation == MM_SAT_POWER) &&
					  spec->sat_p1 > 1.0);
	term->w = w;
	term->L = L;
	term->carry = carry;
	term->scale = spec->input_scale;
	term->coef = weight * spec->coef;
	return MM_OK;
}
