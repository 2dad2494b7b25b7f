/*
 * prior.h: prior distributions of the Bayesian marketing-mix model and the
 * transforms from a parameter's support to the real line that the sampler
 * works on.
 *
 * A parameter lives on a support (lo, hi): (0, inf) is sampled as its log,
 * a finite (lo, hi) as the logit of (v - lo) / (hi - lo), (-inf, inf) as
 * itself.  Each family's log density is exact (normalising constants from
 * GSL's special functions), so log densities can be compared and reported.
 */
#ifndef MM_POSTERIOR_PRIOR_H
#define MM_POSTERIOR_PRIOR_H

#include <stdbool.h>

#include "math/mm_status.h"

typedef enum MMPriorKind
{
	MM_PRIOR_NORMAL,			/* a = mean, b = sd (truncated to the support) */
	MM_PRIOR_LOGNORMAL,			/* a = mu, b = sigma of ln v; support (0, inf) */
	MM_PRIOR_HALFNORMAL,		/* b = sd; support (0, inf) */
	MM_PRIOR_GAMMA,				/* a = shape, b = rate; support (0, inf) */
	MM_PRIOR_BETA,				/* a, b on (v - lo) / (hi - lo); finite support */
	MM_PRIOR_UNIFORM,			/* flat on a finite support */
	MM_PRIOR_FIXED				/* not sampled: the value is a */
} MMPriorKind;

#define MM_PRIOR_KINDS 7
extern const char *const mm_prior_names[MM_PRIOR_KINDS];
extern bool mm_prior_kind_parse(const char *s, MMPriorKind *kind);

typedef struct MMPrior
{
	MMPriorKind kind;
	double		a,
				b;
	double		lo,				/* support */
				hi;
} MMPrior;

/*
 * MM_EDOM when the prior does not fit its support or has a bad scale:
 * non-finite or non-positive sd, sigma, shape, rate, Beta a or b; lognormal,
 * half-normal and gamma need support (0, inf); beta and uniform a finite
 * support; a fixed value outside the support; lo >= hi.
 */
extern MMStatus mm_prior_check(const MMPrior *p);

/* The support value of an unconstrained u, and d value / du. */
extern double mm_prior_value(const MMPrior *p, double u, double *dvdu);

/* The unconstrained u of a value strictly inside the support. */
extern double mm_prior_unconstrain(const MMPrior *p, double v);

/*
 * log prior density of the value at u plus the log Jacobian of the
 * transform, and its derivative in u (the sampler's target is on u).
 */
extern double mm_prior_logp_u(const MMPrior *p, double u, double *dlogp_du);

/* log density of the value v itself (no Jacobian); -inf outside the support. */
extern double mm_prior_logpdf(const MMPrior *p, double v);

/* The prior's median, a starting value inside the support. */
extern double mm_prior_median(const MMPrior *p);

#endif
