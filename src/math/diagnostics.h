/*
 * diagnostics.h: regression diagnostics stored with a training run:
 * condition number of the standardised design, variance inflation factors,
 * Durbin-Watson statistic of the residuals.
 */
#ifndef MM_DIAGNOSTICS_H
#define MM_DIAGNOSTICS_H

#include "math/mm_status.h"

/* Doubles of workspace mm_fit_diagnostics needs. */
extern long mm_diagnostics_work(int n, int p);

/*
 * X: n x p column-major design (raw).  Columns with zero SD are skipped
 * (their VIF is NaN).  cond = sqrt(largest / smallest eigenvalue) of the
 * correlation matrix (the 2-norm condition number of the standardised
 * design); vif[j] = j-th diagonal of its inverse (INFINITY when singular);
 * dw = sum (e_t - e_{t-1})^2 / sum e_t^2 over resid[0..n-1].
 */
extern MMStatus mm_fit_diagnostics(const double *X, int n, int p, const double *resid,
								   double *cond, double *vif, double *dw, double *work);

#endif
