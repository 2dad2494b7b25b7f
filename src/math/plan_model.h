/*
 * plan_model.h: a fitted channel (MMChannelSpec, mmm.h) as a planning term
 * (plan_flight.h), with the carry-over of its history into the horizon.
 *
 * Additive models: contribution_t = coef * s(a_t / input_scale), a = adstock
 * of the whole spend series (history, then the plan).  The term sees the
 * plan's spend only; the history's adstock enters as carry_t.
 *
 * Robyn's recursive geometric adstock (max_lag -1) has infinitely many lags;
 * the term truncates it at the first lag whose weight is below
 * MM_PLAN_RECURSIVE_TOL times the first (relative error of a_t at most that),
 * and at most MM_PLAN_MAX_LAG lags.
 */
#ifndef MM_PLAN_MODEL_H
#define MM_PLAN_MODEL_H

#include "math/mmm.h"
#include "math/plan_flight.h"

#define MM_PLAN_RECURSIVE_TOL	1e-9
#define MM_PLAN_MAX_LAG			520

/*
 * Saturation callbacks of MMPlanTerm for an MMChannelSpec arg (its saturation,
 * sat_p1 and sat_p2): any term whose curve is one of the core's saturations.
 */
extern double mm_plan_spec_sat(const void *arg, double u, double *deriv);
extern double mm_plan_spec_sat_deriv(const void *arg, double u);

/* Number of lag weights the term of spec needs (1 .. MM_PLAN_MAX_LAG + 1). */
extern int	mm_plan_spec_lags(const MMChannelSpec *spec);

/*
 * Fill term for spec with objective weight "weight" (several conversions:
 * w_m).  w receives mm_plan_spec_lags(spec) lag weights; carry receives H
 * values: the adstocked input that history[0..n_hist-1] (spend before the
 * horizon, oldest first) leaves in horizon periods 0..H-1.  term keeps
 * pointers to spec, w and carry.
 */
extern MMStatus mm_plan_term_from_spec(const MMChannelSpec *spec, double weight,
									   const double *history, int n_hist, int H,
									   double *w, double *carry, MMPlanTerm *term);

#endif
