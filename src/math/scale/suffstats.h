/*
 * suffstats.h: sufficient statistics of a linear regression, accumulated row
 * by row and merged, so a least-squares or ridge fit over millions of rows is
 * one (parallel or distributed) scan and a p x p solve.
 *
 * With z = (x_1..x_p, y), the statistics are n, the means of z and the
 * co-moment matrix M = sum (z - mean)(z - mean)', kept by Welford's update and
 * merged by Chan et al.'s formula (no cancellation when the means are large).
 * The layout is a flat double array (the SQL state type is float8[]):
 *
 *     [0] layout version 1   [1] p   [2] n
 *     [3 .. 3+q)             means of z, q = p + 1 (y last)
 *     [3+q .. )              M, packed upper triangle by rows (q(q+1)/2)
 *
 * Plain C, no allocation: the caller passes every workspace.
 */
#ifndef MM_SUFFSTATS_H
#define MM_SUFFSTATS_H

#include "math/mm_status.h"

#define MM_SS_VERSION	1.0
#define MM_SS_MAX_P		256		/* regressors; the state stays under 270 kB */

/* Doubles in the state of p regressors. */
extern long mm_ss_length(int p);

/* Set up an empty state of p regressors (len = mm_ss_length(p)). */
extern void mm_ss_init(double *s, int p);

/*
 * MM_OK when s (len doubles) is a well-formed state: version 1, p in
 * [0, MM_SS_MAX_P] matching len, whole n >= 0, finite entries, non-negative
 * diagonal of M, zeros after an empty count.  MM_EDOM otherwise.
 */
extern MMStatus mm_ss_check(const double *s, long len);

/* Add the row (y, x[0..p-1]); MM_EOVRFLW when an entry stops being finite. */
extern MMStatus mm_ss_add(double *s, double y, const double *x);

/* a += b (same p); MM_EDOM for different p, MM_EOVRFLW on overflow. */
extern MMStatus mm_ss_merge(double *a, const double *b);

/*
 * Solve min sum (y - a - x'b)^2 + ridge * sum b_j^2 (intercept a unpenalised)
 * from a state with n >= 1 rows: beta[0] = a, beta[1..p] = b.  sse receives the
 * residual sum of squares, sst the total sum of squares of y.  work holds
 * p*p + 5p doubles, iwork p ints.  MM_ESING when X'X + ridge I (centred) is
 * not positive definite or its reciprocal condition number is below 1e-12,
 * MM_EDOM for a negative or non-finite ridge.
 */
extern MMStatus mm_ss_solve(const double *s, double ridge, double *beta,
							double *sse, double *sst, double *work, int *iwork);

#endif
