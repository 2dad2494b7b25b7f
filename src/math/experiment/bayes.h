/*
 * bayes.h: Bayesian comparison of arms (formulas §7.5): each arm's posterior,
 * the probability that it is the best, and its expected loss, by adaptive
 * quadrature (deterministic; no sampling).
 *
 * Conversion rates: arm k is Beta(a_k, b_k).  Means of a continuous metric:
 * arm k is Normal(mean_k, sd_k^2).  The caller owns the GSL integration
 * workspace (at least MM_BAYES_LIMIT intervals).
 */
#ifndef MM_EXPERIMENT_BAYES_H
#define MM_EXPERIMENT_BAYES_H

#include <gsl/gsl_integration.h>

#include "math/mm_status.h"

/* Subintervals of the adaptive quadrature; the workspace must hold as many. */
#define MM_BAYES_LIMIT 2000

/* Most arms the functions below take. */
#define MM_BAYES_MAX_ARMS 100

/* Accuracy of each probability and loss (absolute, or relative above 1). */
#define MM_BAYES_EPS 1e-10

/*
 * P(best)_k = int f_k(x) prod_{j != k} F_j(x) dx and expected loss
 * E[max_j theta_j - theta_k] = int (F_k(x) - prod_j F_j(x)) dx for K >= 1 Beta
 * posteriors; MM_EDOM unless every a_k, b_k is positive and finite,
 * MM_ENOCONV when a quadrature misses its accuracy.  interrupt (when not
 * NULL) is called once per arm.
 */
extern MMStatus mm_beta_best(int K, const double *a, const double *b,
							 gsl_integration_workspace *w, MMInterruptFn interrupt,
							 double *p_best, double *loss);

/* The same for Normal posteriors; MM_EDOM unless every sd_k is positive and finite. */
extern MMStatus mm_normal_best(int K, const double *mean, const double *sd,
							   gsl_integration_workspace *w, MMInterruptFn interrupt,
							   double *p_best, double *loss);

/* The p-quantile of Beta(a, b) (equal-tailed credible intervals). */
extern double mm_beta_quantile(double p, double a, double b);

#endif
