/*
 * test_drift.c: drift statistics against values computed by hand.
 */
#include "math/drift.h"
#include "unit.h"

void
test_drift(void)
{
	double		alt[6] = {1, -1, 1, -1, 1, -1};
	double		blocks[12] = {1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1, -1};
	double		recent[4] = {0.5, 0.5, 0.5, 0.5};
	double		bad[1] = {NAN};
	double		num = 0,
				den = 0,
				rho,
				neff;
	MMDrift		d;

	/* alternating training residuals: negative lag-1 correlation counts as 0 */
	UNIT_OK(mm_drift(alt, 6, recent, 4, 0.25, &d) == MM_OK, "drift of a constant recent residual");
	UNIT_NEAR(d.rmse, 0.5, 1e-15, "recent RMSE 0.5");
	UNIT_NEAR(d.error_ratio, 2.0, 1e-15, "error ratio = RMSE / reference");
	UNIT_NEAR(d.sigma, 0.25, 0.0, "the test's scale is the reference RMSE");
	UNIT_NEAR(d.rho, 0.0, 0.0, "negative autocorrelation clamped to 0");
	UNIT_NEAR(d.z, 4.0, 1e-15, "z = 0.5 / (0.25 / sqrt 4)");
	UNIT_NEAR(d.p_value, 6.3342483666239957e-05, 1e-18, "two-sided p of z = 4");
	UNIT_OK(mm_drift(alt, 6, recent, 4, 1.0, &d) == MM_OK && fabs(d.z - 1.0) <= 1e-15
			&& fabs(d.p_value - 0.31731050786291415) <= 1e-15, "z = 1 with reference 1: p = 0.3173");

	/* blocks of three: rho > 0 shrinks the effective sample */
	for (int t = 1; t < 12; t++)
		num += blocks[t] * blocks[t - 1];
	for (int t = 0; t < 12; t++)
		den += blocks[t] * blocks[t];
	rho = num / den;			/* the mean is 0 */
	neff = 4 * (1 - rho) / (1 + rho);
	UNIT_OK(mm_drift(blocks, 12, recent, 4, 1.0, &d) == MM_OK, "drift with autocorrelated training residuals");
	UNIT_NEAR(d.rho, rho, 1e-15, "lag-1 autocorrelation %.4f", rho);
	UNIT_NEAR(d.n_effective, neff, 1e-14, "effective periods n (1 - rho) / (1 + rho) = %.4f", neff);
	UNIT_NEAR(d.z, 0.5 * sqrt(neff), 1e-14, "z with the effective sample");

	UNIT_OK(mm_drift(alt, 2, recent, 4, 1.0, &d) == MM_EDOM, "fewer than 3 training residuals: EDOM");
	UNIT_OK(mm_drift(alt, 6, recent, 0, 1.0, &d) == MM_EDOM, "no recent period: EDOM");
	UNIT_OK(mm_drift(alt, 6, recent, 4, 0.0, &d) == MM_EDOM, "reference RMSE 0: EDOM");
	UNIT_OK(mm_drift(alt, 6, bad, 1, 1.0, &d) == MM_EDOM, "NaN residual: EDOM");
}
