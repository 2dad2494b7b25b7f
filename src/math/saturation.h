/*
 * saturation.h: saturation (diminishing-returns) curves of the numerical core.
 *
 * formulas.md §1.2: value s(a), derivative s'(a) and inverse a(u) of each
 * family.  Parameters are checked by the glue; these functions assume valid
 * parameters and a >= 0.
 */
#ifndef MM_SATURATION_H
#define MM_SATURATION_H

typedef enum MMSaturationKind
{
	MM_SAT_HILL,				/* a^alpha / (a^alpha + K^alpha); p1 = alpha, p2 = K */
	MM_SAT_LOGISTIC,			/* (1 - e^{-lam a}) / (1 + e^{-lam a}); p1 = lam */
	MM_SAT_MICHAELIS_MENTEN,	/* V a / (K + a); p1 = V, p2 = K */
	MM_SAT_POWER,				/* a^theta; p1 = theta */
	MM_SAT_TANH					/* b tanh(a / (b c)); p1 = b, p2 = c */
} MMSaturationKind;

extern double mm_saturation(MMSaturationKind kind, double p1, double p2, double a);
extern double mm_saturation_deriv(MMSaturationKind kind, double p1, double p2, double a);
/* Inverse a(u); NaN when u is outside the curve's range. */
extern double mm_saturation_inverse(MMSaturationKind kind, double p1, double p2, double u);

#endif
