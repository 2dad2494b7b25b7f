/*
 * test_plan_model.c: fitted channels as planning terms, carry-over of history.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "math/adstock.h"
#include "math/plan_model.h"
#include "math/saturation.h"
#include "unit.h"

/* incremental response of plan x over the horizon, computed on the whole series */
static double
direct_increment(const MMChannelSpec *spec, const double *hist, int n, const double *x,
				 int P, int H)
{
	double		full[64],
				base[64],
				af[64],
				ab[64],
				w[600],
				sum = 0.0;
	int			N = n + H;

	memset(full, 0, sizeof(full));
	memset(base, 0, sizeof(base));
	memcpy(full, hist, sizeof(double) * n);
	memcpy(base, hist, sizeof(double) * n);
	memcpy(full + n, x, sizeof(double) * P);
	if (spec->max_lag >= 0)
	{
		(void) mm_adstock_weights(spec->adstock, spec->adstock_p1, spec->adstock_p2,
								  spec->max_lag + 1, spec->adstock_normalize, w);
		mm_adstock_convolve(full, N, w, spec->max_lag + 1, af);
		mm_adstock_convolve(base, N, w, spec->max_lag + 1, ab);
	}
	else
	{
		(void) mm_adstock_geometric_recursive(full, N, spec->adstock_p1,
											  spec->adstock_normalize, af);
		(void) mm_adstock_geometric_recursive(base, N, spec->adstock_p1,
											  spec->adstock_normalize, ab);
	}
	for (int t = n; t < N; t++)
		sum += spec->coef * (mm_saturation(spec->saturation, spec->sat_p1, spec->sat_p2,
										   af[t] / spec->input_scale)
							 - mm_saturation(spec->saturation, spec->sat_p1, spec->sat_p2,
											 ab[t] / spec->input_scale));
	return sum;
}

void
test_plan_model(void)
{
	MMChannelSpec win = {MM_ADSTOCK_GEOMETRIC, 0.5, 0, 3, false, MM_SAT_HILL, 0.8, 2.0, 10.0, 5.0};
	MMChannelSpec rec = {MM_ADSTOCK_GEOMETRIC, 0.6, 0, -1, true, MM_SAT_HILL, 1.0, 3.0, 4.0, 7.0};
	double		hist[6] = {30, 0, 12, 25, 8, 40},
				x[7] = {10, 20, 0, 15, 0, 0, 0},
				w[MM_PLAN_MAX_LAG + 1],
				carry[7],
				incr[7];
	int			ts[2] = {0, 1},
				from = 0,
				to = 4;
	double		budget = 45,
				lo = 0,
				hi = INFINITY;
	MMPlanTerm	tm;
	MMPlanHorizon h = {7, 1, ts, &tm, 1, &from, &to, &budget, &lo, &hi, NULL};
	double		got,
				want;

	UNIT_OK(mm_plan_term_from_spec(&win, 1.0, hist, 6, 7, w, carry, &tm) == MM_OK && tm.L == 4,
			"windowed geometric spec: 4 lags");
	UNIT_NEAR(carry[0], 0.5 * 40 + 0.25 * 8 + 0.125 * 25, 1e-12, "carry-in of week 1 from history");
	UNIT_NEAR(carry[3], 0, 0, "history reaches no further than max_lag");
	got = mm_plan_horizon_response(&h, x, incr, NULL);
	want = direct_increment(&win, hist, 6, x, 4, 7);
	UNIT_NEAR(got, want, 1e-12 * fabs(want), "windowed: plan increment = whole-series difference");

	UNIT_OK(mm_plan_term_from_spec(&rec, 2.0, hist, 6, 7, w, carry, &tm) == MM_OK &&
			tm.L == (int) ceil(log(1e-9) / log(0.6)), "recursive geometric: %d lags (0.6^L < 1e-9)", tm.L);
	got = mm_plan_horizon_response(&h, x, incr, NULL);
	want = 2.0 * direct_increment(&rec, hist, 6, x, 4, 7);
	UNIT_NEAR(got, want, 1e-8 * fabs(want), "recursive, weight 2: increment matches to 1e-8");

	rec.sat_p1 = 2.5;
	(void) mm_plan_term_from_spec(&rec, 1.0, hist, 6, 7, w, carry, &tm);
	UNIT_OK(!tm.concave, "Hill alpha 2.5 is not concave");
	rec.input_scale = 0;
	UNIT_OK(mm_plan_term_from_spec(&rec, 1.0, hist, 6, 7, w, carry, &tm) == MM_EDOM,
			"input_scale 0 is a domain error");
}
