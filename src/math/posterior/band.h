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
