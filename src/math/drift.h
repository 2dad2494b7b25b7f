/*
 * drift.h: drift of a trained model on the periods after its training window
 * (doc/operations.md "Drift"): how much larger the error of recent periods is
 * than the run's out-of-sample error, and whether the recent residuals are
 * centred on zero.
 */
#ifndef MM_DRIFT_H
#define MM_DRIFT_H

#include "math/mm_status.h"

typedef struct MMDrift
{
	int			n;				/* recent periods */
	double		rmse;			/* root mean squared residual of the recent periods */
	double		error_ratio;	/* rmse / reference_rmse */
	double		mean_residual;	/* mean recent residual (actual - predicted) */
	double		sigma;			/* scale of the residual test: reference_rmse */
	double		rho;			/* lag-1 autocorrelation of the training residuals, clamped to [0, 0.9] */
	double		n_effective;	/* n (1 - rho) / (1 + rho) */
	double		z;				/* mean_residual / (sigma / sqrt(n_effective)) */
	double		p_value;		/* two-sided, standard normal */
} MMDrift;

/*
 * train_resid[0..nt-1]: residuals of the training rows (nt >= 3; their lag-1
 * autocorrelation); recent[0..n-1]: residuals of the recent periods (n >= 1);
 * reference_rmse > 0: the run's out-of-sample RMSE, the scale of both the error
 * ratio and the residual test.  MM_EDOM for sizes out of range, a non-finite
 * value or a reference_rmse <= 0.
 */
extern MMStatus mm_drift(const double *train_resid, int nt, const double *recent, int n,
						 double reference_rmse, MMDrift *out);

#endif
