/*
 * ridge.h: exact sign- and box-constrained ridge regression (formulas §2.3).
 *
 * Robyn fits each candidate with glmnet(alpha = 0, lambda, lower.limits,
 * upper.limits, penalty.factor, intercept): on the standardised design it
 * minimises (1/2n) RSS + (lambda/2) sum_j pf_j beta_j^2 subject to box
 * bounds, with an unpenalised intercept.  We solve the same problem exactly:
 * it is the box-constrained quadratic program
 *
 *     min 1/2 b'Qb - c'b,   lo <= b <= hi,
 *     Q = Xs'Xs/n + lambda diag(pf),  c = Xs'(y - ybar)/n,
 *
 * solved by a primal active-set method (bounded-variable least squares in
 * the manner of Stark and Parker 1995, on the normal equations) with a
 * Cholesky factorisation (LAPACKE_dpotrf/dpotrs) of the free block.
 * Plain C, no allocation: the caller passes every workspace.
 */
#ifndef MM_RIDGE_H
#define MM_RIDGE_H

#include <stdbool.h>

#include "math/mm_status.h"

/* State of one coefficient in the active-set method. */
#define MM_BOX_FREE		0
#define MM_BOX_LOWER	(-1)
#define MM_BOX_UPPER	1

/* Doubles of workspace mm_box_qp_solve needs for p unknowns. */
extern long mm_box_qp_work(int p);

/*
 * Minimise 1/2 b'Qb - c'b over lo <= b <= hi (column-major p x p Q,
 * symmetric; positive definite on every free block, which lambda > 0
 * guarantees).  lo/hi may be -INFINITY/INFINITY; lo <= hi.  beta receives the
 * solution, state[j] its MM_BOX_* state.  When warm is true, state holds a
 * starting guess of the active set (only its bound entries are used).
 * Returns MM_ESING if a free block is not positive definite, MM_ENOCONV after
 * too many iterations, MM_EDOM for lo > hi or NaN input.
 */
extern MMStatus mm_box_qp_solve(const double *Q, const double *c,
								const double *lo, const double *hi, int p,
								double *beta, int *state, bool warm,
								double *work);

/*
 * Largest violation of the KKT conditions of that problem at beta:
 * bound violations, |gradient| of interior coefficients, and wrong-signed
 * gradients of coefficients at a bound.  grad receives Qb - c (p doubles).
 */
extern double mm_box_qp_kkt(const double *Q, const double *c,
							const double *lo, const double *hi, int p,
							const double *beta, double *grad);

/* One ridge problem on a raw design (column-major n x p). */
typedef struct MMRidgeProblem
{
	int			n;
	int			p;
	const double *X;			/* n x p, column-major, raw units */
	const double *y;			/* n */
	const double *pf;			/* p penalty factors, NULL = all 1 */
	const double *lower;		/* p bounds on raw-scale coefficients, NULL = -inf */
	const double *upper;		/* p, NULL = +inf */
	double		lambda;			/* glmnet lambda (>= 0) */
	bool		intercept;		/* fit an unpenalised intercept */
} MMRidgeProblem;

/* The fitted coefficients, on the raw scale of X and y. */
typedef struct MMRidgeFit
{
	double		intercept;		/* 0 when fitted without */
	bool		has_intercept;
	double		kkt;			/* max KKT violation of the standardised QP */
} MMRidgeFit;

/* Doubles of workspace mm_ridge_fit needs (ints: p more in iwork). */
extern long mm_ridge_work(int n, int p);

/*
 * Fit one ridge problem.  Columns are standardised as glmnet does: with an
 * intercept, centred and divided by the population SD; without, divided by
 * the root mean square (glmnet's intr = 0).  A column with zero scale gets
 * coefficient 0 (glmnet drops it).  beta receives p raw-scale coefficients.
 * iwork: p ints (the active-set state, reused as a warm start when warm).
 * work: mm_ridge_work(n, p) doubles.
 */
extern MMStatus mm_ridge_fit(const MMRidgeProblem *prob, double *beta,
							 MMRidgeFit *fit, int *iwork, bool warm,
							 double *work);

/*
 * Robyn's intercept rule: fit with an intercept; if it comes out negative
 * and intercept_nonneg, refit without one (df_int 0).
 */
extern MMStatus mm_ridge_fit_robyn(const MMRidgeProblem *prob, bool intercept_nonneg,
								   double *beta, MMRidgeFit *fit, int *iwork,
								   bool warm, double *work);

/*
 * Robyn's lambda_max (formulas §2.3, lambda_seq): columns of the
 * untransformed design standardised with the population SD (zero-SD columns
 * count 0), lambda_max = max_j |sum_t sx_tj y_t| / (0.001 n).
 */
extern double mm_ridge_lambda_max(const double *X, int n, int p, const double *y);

/* lambda = lambda_min + (lambda_max' - lambda_min) * hp with lambda_max' = 0.1 lambda_max, lambda_min = 1e-4 lambda_max'. */
extern double mm_ridge_lambda(double lambda_max, double hp);

#endif
