/*
 * adstock.h: adstock (carry-over) transforms of the numerical core.
 *
 * Conventions are named in shared reference formulas.md §1.1; the enum values
 * below are those names.  Plain C: arrays in, status out, no allocation.
 * "L" is the number of lag weights (lags 0..L-1), i.e. max_lag + 1.
 */
#ifndef MM_ADSTOCK_H
#define MM_ADSTOCK_H

#include <stdbool.h>

#include "math/mm_status.h"

typedef enum MMAdstockKind
{
	MM_ADSTOCK_GEOMETRIC,		/* w_l = theta^l (windowed) or recursive */
	MM_ADSTOCK_WEIBULL_CDF,		/* w_0 = 1, w_l = prod_{j<=l} S(j) */
	MM_ADSTOCK_WEIBULL_PDF,		/* min-max of f(l+1) */
	MM_ADSTOCK_DELAYED,			/* w_l = alpha^((l - peak)^2) */
	MM_ADSTOCK_BINOMIAL			/* w_l = (1 - l/L)^(1/alpha - 1), normalised */
} MMAdstockKind;

#define MM_ADSTOCK_KINDS 5

/* Names of the kinds, indexed by MMAdstockKind, as run_channels stores them. */
extern const char *const mm_adstock_names[MM_ADSTOCK_KINDS];

/* The kind named s into *kind; false when s names none. */
extern bool mm_adstock_kind_parse(const char *s, MMAdstockKind *kind);

/*
 * Robyn's relative Weibull scale: lambda = nearbyint(type-7 quantile of 1..T
 * at "scale"), half-to-even.  scale in [0, 1], T >= 1.  scale = 0 means "no
 * adstock" in Robyn, so it gives lambda = 0 (not the quantile 1), which
 * mm_adstock_weights turns into the weights (1, 0, 0, ...).
 */
extern MMStatus mm_weibull_relative_lambda(double scale, int T, double *lambda);

/*
 * Lag weights w[0..L-1] of one adstock.  p1, p2 are the kind's parameters:
 *   GEOMETRIC:   p1 = theta in [0, 1]
 *   WEIBULL_*:   p1 = shape k >= 0, p2 = lambda (periods) >= 0; k = 0 or
 *                lambda = 0 means no adstock (w = 1, 0, 0, ...)
 *   DELAYED:     p1 = alpha in (0, 1], p2 = peak in [0, L-1]
 *   BINOMIAL:    p1 = alpha in [0, 1]; alpha = 0 means no adstock; always
 *                normalised (Meridian), whatever normalize says
 * normalize divides by the sum (after the min-max step for WEIBULL_PDF).
 * L >= 1.  MM_EDOM for a parameter outside its range.
 */
extern MMStatus mm_adstock_weights(MMAdstockKind kind, double p1, double p2,
								   int L, bool normalize, double *w);

/*
 * Convolution a_t = sum_{l<L} w_l x_{t-l} with zero padding before x[0].
 * out must not alias x.
 */
extern void mm_adstock_convolve(const double *x, int n, const double *w, int L,
								double *out);

/*
 * The same convolution for long inputs: calls interrupt (if not NULL) about
 * once per million multiply-adds and returns MM_EOVRFLW if an output is not
 * finite.  Trailing zero weights are skipped (this changes no bit).
 */
extern MMStatus mm_adstock_convolve_interruptible(const double *x, int n,
												  const double *w, int L,
												  double *out,
												  MMInterruptFn interrupt);

/*
 * One output of the convolution: a_t from x[0..t], summing l = 0, 1, ...
 * in that order.  mm_adstock_convolve and the window functions both use it,
 * so an array call and a window call give bit-identical results.
 */
extern double mm_adstock_convolve_at(const double *x, int t, const double *w, int L);

/*
 * Robyn's recursive geometric adstock a_1 = x_1, a_t = x_t + theta a_{t-1};
 * normalize multiplies by (1 - theta).  out may alias x.  theta in [0, 1);
 * MM_EOVRFLW if an output is not finite.
 */
extern MMStatus mm_adstock_geometric_recursive(const double *x, int n, double theta,
											   bool normalize, double *out);

/*
 * One step of that recursion: the unnormalised a_t from x_t and the
 * unnormalised a_{t-1} (pass first = true for t = 1).  The window function
 * uses it to stay bit-identical to the array form.
 */
static inline double
mm_adstock_geometric_step(double x, double theta, double prev, bool first)
{
	return first ? x : x + theta * prev;
}

#endif
