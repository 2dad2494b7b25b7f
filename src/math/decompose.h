/*
 * decompose.h: per-period decomposition of a multiplicative model's
 * prediction into additive parts (formulas.md §2.2).
 *
 * A period of the multiplicative form is y = b * prod_c exp(g_c), with b the
 * level when every part is off and g_c = beta_c s_c(a_c) (or gamma_k z_k for
 * the factors of the base).  Every rule returns parts that sum to y - b.
 * The additive form needs no rule: its parts are its terms.
 */
#ifndef MM_DECOMPOSE_H
#define MM_DECOMPOSE_H

#include "math/mm_status.h"

typedef enum MMDecompRule
{
	MM_DECOMP_LOG_SHARE,		/* LMDI-I: L(y, b) g_c (default) */
	MM_DECOMP_SHAPLEY,			/* exact Shapley value of the on/off game */
	MM_DECOMP_REMOVAL_RESCALED	/* y - y / f_c, rescaled to y - b */
} MMDecompRule;

/* Logarithmic mean L(p, q) = (p - q) / (ln p - ln q), L(p, p) = p; p, q > 0. */
extern double mm_log_mean(double p, double q);

/*
 * Decompose y = b exp(sum g) into parts[0..n-1] with sum parts = y - b.
 * b > 0 and finite; g finite.  *top receives y.  work holds
 * mm_decompose_work(n) doubles (only MM_DECOMP_SHAPLEY uses it; may be NULL
 * otherwise).  MM_EDOM for a bad b or g, MM_EOVRFLW when y is not finite.
 *
 * removal_rescaled is undefined when sum_c (y - y/f_c) = 0 with some g_c
 * non-zero (opposite signs cancelling); that period then falls back to
 * log_share, which agrees with it whenever both are defined with one part.
 */
extern MMStatus mm_decompose_multiplicative(MMDecompRule rule, double b,
											const double *g, int n,
											double *parts, double *top,
											double *work);

extern long mm_decompose_work(int n);

#endif
