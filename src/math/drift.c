/*
 * drift.c: drift statistics of a model's recent residuals (see drift.h).
 *
 * The residual test is a z-test of the recent mean residual against 0 with the
 * run's out-of-sample error as its scale: under no drift, recent periods err
 * like the holdout did, and a fit's in-sample residuals understate that (a
 * scale from them turns every out-of-sample bias into an alarm).  Weekly MMM
 * residuals are autocorrelated, so the n recent periods count as
 * n (1 - rho) / (1 + rho) independent ones, the effective sample size of an
 * AR(1) series with lag-1 correlation rho (Wilks, Statistical Methods in the
 * Atmospheric Sciences); rho is estimated on the training residuals, the longest
 * residual series of the run, and clamped to [0, 0.9].
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "math/drift.h"

MMStatus
mm_drift(const double *train_resid, int nt, const double *recent, int n,
		 double reference_rmse, MMDrift *out)
{
	double		rho;

	if (train_resid == NULL || recent == NULL || out == NULL || nt < 3 || n < 1
		|| !(reference_rmse > 0.0) || !isfinite(reference_rmse))
		return MM_EDOM;
	for (int t = 0; t < nt; t++)
		if (!isfinite(train_resid[t]))
			return MM_EDOM;
	for (int t = 0; t < n; t++)
		if (!isfinite(recent[t]))
			return MM_EDOM;

	out->n = n;
	out->rmse = gsl_stats_sd_with_fixed_mean(recent, 1, n, 0.0);
	out->error_ratio = out->rmse / reference_rmse;
	out->mean_residual = gsl_stats_mean(recent, 1, n);
	out->sigma = reference_rmse;
	rho = gsl_stats_lag1_autocorrelation(train_resid, 1, nt);
	out->rho = isfinite(rho) ? fmin(fmax(rho, 0.0), 0.9) : 0.0;
	out->n_effective = n * (1.0 - out->rho) / (1.0 + out->rho);
	out->z = out->mean_residual / (out->sigma / sqrt(out->n_effective));
	out->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(out->z));
	if (!isfinite(out->rmse) || !isfinite(out->error_ratio) || !isfinite(out->mean_residual))
		return MM_EOVRFLW;
	return MM_OK;
}
