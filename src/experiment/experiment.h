/*
 * experiment.h: glue shared by the experiment stage's C functions: reading
 * per-arm arrays with their checks, test levels, and the quadrature workspace.
 */
#ifndef MM_EXPERIMENT_H
#define MM_EXPERIMENT_H

#include "postgres.h"

#include <math.h>

#include <gsl/gsl_integration.h>

#include "utils/array.h"

#include "math/experiment/bayes.h"

/* Most arms an experiment function takes (the control included). */
#define MM_EXP_MAX_ARMS MM_BAYES_MAX_ARMS

/*
 * Units and conversions per arm (arm 1 the control): same length, 2 to
 * MM_EXP_MAX_ARMS arms (or 1 when min_arms is 1), every arm with units > 0
 * and 0 <= conversions <= units.  Returns the number of arms.
 */
extern int	mm_exp_counts(ArrayType *units, ArrayType *conversions, int min_arms,
						  float8 **u, float8 **c);

/* n, mean and sd per arm for a continuous metric: n > 0, sd >= 0, all finite. */
extern int	mm_exp_means(ArrayType *n, ArrayType *mean, ArrayType *sd, int min_arms,
						 float8 **pn, float8 **pm, float8 **ps);

/* alpha in (0, 1) and rho2 > 0, finite (22023). */
extern void mm_exp_check_level(float8 alpha, float8 rho2);

/* A GSL integration workspace of MM_BAYES_LIMIT intervals, freed with the memory context. */
extern gsl_integration_workspace *mm_exp_workspace(void);

/* P(best) and expected loss of Beta(prior_a + c, prior_b + u - c) posteriors. */
extern void mm_exp_beta_best(int K, const float8 *u, const float8 *c, double prior_a,
							 double prior_b, double *p_best, double *loss);

/* values[i] = v, or NULL when v is NaN (a quantity the data leave undefined). */
static inline void
mm_exp_put(Datum *values, bool *nulls, int i, double v)
{
	nulls[i] = isnan(v);
	values[i] = nulls[i] ? (Datum) 0 : Float8GetDatum(v);
}

#endif
