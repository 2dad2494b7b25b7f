/*
 * saturation.h: saturation (diminishing-returns) curves of the numerical core.
 *
 * formulas.md §1.2: value s(a), derivative s'(a) and inverse a(u) of each
 * family.  Parameters are checked by the glue; these functions assume valid
 * parameters and a >= 0.
 */
#ifndef MM_SATURATION_H
#define MM_SATURATION_H

#include <stdbool.h>

typedef enum MMSaturationKind
{
	MM_SAT_HILL,				/* a^alpha / (a^alpha + K^alpha); p1 = alpha, p2 = K */
	MM_SAT_LOGISTIC,			/* (1 - e^{-lam a}) / (1 + e^{-lam a}); p1 = lam */
	MM_SAT_MICHAELIS_MENTEN,	/* V a / (K + a); p1 = V, p2 = K */
	MM_SAT_POWER,				/* a^theta; p1 = theta */
	MM_SAT_TANH					/* b tanh(a / (b c)); p1 = b, p2 = c */
} MMSaturationKind;

#define MM_SATURATION_KINDS 5

/* Names of the kinds, indexed by MMSaturationKind, as run_channels stores them. */
extern const char *const mm_saturation_names[MM_SATURATION_KINDS];

/* The kind named s into *kind; false when s names none. */
extern bool mm_saturation_kind_parse(const char *s, MMSaturationKind *kind);

extern double mm_saturation(MMSaturationKind kind, double p1, double p2, double a);

/*
 * Hill's value from ln K (computed once by a caller applying one curve to many
 * inputs): the same bits as mm_saturation(MM_SAT_HILL, alpha, K, a).
 */
extern double mm_hill_log_k(double alpha, double log_k, double a);
extern double mm_saturation_deriv(MMSaturationKind kind, double p1, double p2, double a);
/* Inverse a(u); NaN when u is outside the curve's range (0 <= u < sup s). */
extern double mm_saturation_inverse(MMSaturationKind kind, double p1, double p2, double u);

/*
 * Hill inflection a* = K ((alpha - 1)/(alpha + 1))^(1/alpha) for alpha > 1,
 * where the marginal return s'(a) peaks; 0 for alpha <= 1 (s' falls from a = 0).
 */
extern double mm_hill_inflection(double alpha, double k);

/*
 * Robyn's data-dependent half-saturation over a[0..n-1] (n >= 1, a >= 0):
 * gamma * max(a) (v3.12), or (1 - gamma) min(a) + gamma max(a) when legacy
 * (Robyn <= 3.11).  0 only when every a is 0.
 */
extern double mm_hill_relative_k(const double *a, int n, double gamma, int legacy);

#endif
