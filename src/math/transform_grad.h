/*
 * transform_grad.h: adstock weights and saturation curves with their
 * derivatives in the transform parameters, for the gradient of the log
 * posterior (src/math/posterior).  Same conventions and parameters as
 * adstock.h and saturation.h (formulas.md §1.1, §1.2); values agree with
 * mm_adstock_weights and mm_saturation to rounding.
 */
#ifndef MM_TRANSFORM_GRAD_H
#define MM_TRANSFORM_GRAD_H

#include <stdbool.h>

#include "math/adstock.h"
#include "math/mm_status.h"
#include "math/saturation.h"

/*
 * Lag weights w[0..L-1] of a windowed adstock and their derivatives in p1
 * (dw1) and p2 (dw2); a kind without a second parameter gives dw2 = 0.
 *   GEOMETRIC: theta in [0, 1]; DELAYED: alpha in (0, 1], peak in [0, L-1];
 *   BINOMIAL: alpha in (0, 1] (always normalised);
 *   WEIBULL_CDF / WEIBULL_PDF: shape k > 0, lambda > 0 in periods (PyMC's
 *   absolute scale; the PDF's min-max step keeps its arg-min and arg-max).
 * normalize divides by the sum (quotient rule for the derivatives).
 * MM_EDOM for a parameter outside its range.
 */
extern MMStatus mm_adstock_weights_grad(MMAdstockKind kind, double p1, double p2,
										int L, bool normalize,
										double *w, double *dw1, double *dw2);

/*
 * Robyn's recursive geometric adstock a (as mm_adstock_geometric_recursive)
 * and da/dtheta, over n values.  theta in [0, 1).
 */
extern MMStatus mm_adstock_geometric_recursive_grad(const double *x, int n, double theta,
													bool normalize, double *a, double *da);

/*
 * Saturation value and derivatives at input a >= 0:
 *   g[0] = s(a), g[1] = ds/da, g[2] = ds/dp1, g[3] = ds/dp2
 * (a kind without p2 gives g[3] = 0).  ds/da at a = 0 is the curve's
 * limit there, which may be infinite (Hill alpha < 1, power theta < 1).
 */
extern void mm_saturation_grad(MMSaturationKind kind, double p1, double p2, double a,
							   double g[4]);

/*
 * The same over n inputs a[i] / scale (a[i] >= 0): s, ds/da (per unit of a,
 * i.e. divided by scale), ds/dp1, ds/dp2 into the four arrays.  Hill takes
 * one log and one exp per input; the other kinds call mm_saturation_grad.
 */
extern void mm_saturation_grad_n(MMSaturationKind kind, double p1, double p2,
								 const double *a, int n, double scale,
								 double *s, double *dsda, double *ds1, double *ds2);

#endif
