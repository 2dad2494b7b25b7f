/*
 * band.h: credible bands of curves over posterior draws of one channel: its
 * response curve (formulas §4.2, R and R' at given window spends) and its
 * adstock curve (the weight per lag), as central intervals at a level.
 * For a multiplicative model the rest of the prediction (other_t) is held at
 * the point model: the band shows the channel's own uncertainty.
 */
#ifndef MM_POSTERIOR_BAND_H
#define MM_POSTERIOR_BAND_H

#include "math/mm_status.h"
#include "math/mmm.h"

/* One draw of a channel: adstock p1, p2, saturation p1, p2, coefficient (run_draws' layout). */
#define MM_BAND_WIDTH 5

/* Doubles of work for D draws, ns spends, an input of nx periods. */
extern long mm_response_band_work(int D, int ns, int nx, int len);

/*
 * R(spends[i]) and R'(spends[i]) under each of D draws (params: D x 5) of
 * the channel whose kinds, lags, normalisation and input scale base gives;
 * x[0..nx-1] its input, the window x[start .. start+len-1] (its pattern as
 * in the response curve); point (multiplicative only, NULL otherwise) the
 * point model's spec and yhat[0..nyhat-1] its prediction from the window on.
 * lower/upper receive 2 ns values each: R's band, then R''s.
 */
extern MMStatus mm_response_band(MMModelForm form, const MMChannelSpec *base, const double *params, int D,
								 const double *x, int nx, int start, int len,
								 const MMChannelSpec *point, const double *yhat, int nyhat,
								 const double *spends, int ns, double level,
								 double *lower, double *upper, MMInterruptFn interrupt, double *work);

/* Doubles of work for D draws of base's adstock and lags + 1 weights. */
extern long mm_adstock_band_work(const MMChannelSpec *base, int D, int lags);

/* The weight of one unit spent at lag 0 at lags 0..lags under each draw, banded. */
extern MMStatus mm_adstock_band(const MMChannelSpec *base, const double *params, int D, int lags,
								double level, double *lower, double *upper, double *work);

#endif

/*
 * Forecast bands of a plan (plan_allocations, plan_summary) over D draws of
 * C channels (params: D x C x 5, draw after draw).  hist (C x nhist) is each
 * channel's spend before the horizon, x (C x H) the planned spend; a
 * channel's term is coef s(adstock(hist, x)_t / input_scale), and with the
 * planned spend set to 0 its history-only term.  Additive: total = the term,
 * incr = term - history-only term.  Multiplicative (base B, H values, the
 * planner's): total_ct = L(yhat_t, B_t) g_ct and incr_ct = L(yhat_t,
 * yhat0_t) (g_ct - g0_ct), as mm_plan_coupled_response.  flight[t] (0-based)
 * and carry[t] place horizon week t in its flight and mark carry-over weeks.
 * week (4 C H): total lower, total upper, incr lower, incr upper, each C x H;
 * fl (4 (C + 1) K): per channel then the paid total, per flight, the
 * incremental sum (all its weeks) lower and upper, then the KPI over its own
 * weeks lower and upper, each (C + 1) x K.
 */
extern long mm_plan_band_work(const MMChannelSpec *base, int D, int C, int nhist, int H, int K);
extern MMStatus mm_plan_band(MMModelForm form, const MMChannelSpec *base, const double *params, int D,
							 int C, const double *hist, int nhist, const double *x, int H,
							 const double *B, const int *flight, const bool *carry, int K,
							 double level, double *week, double *fl, MMInterruptFn interrupt,
							 double *work);
