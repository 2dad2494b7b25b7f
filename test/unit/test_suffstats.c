/*
 * test_suffstats.c: regression sufficient statistics against an exact design.
 */
#include "math/scale/suffstats.h"
#include "unit.h"

#define NROW 40

void
test_suffstats(void)
{
	double		whole[64],
				left[64],
				right[64],
				empty[64],
				beta[3],
				work[32],
				sse,
				sst,
				x[NROW][2],
				y[NROW];
	int			iwork[4];
	int			p = 2;

	/* y = 3 + 2 x1 - 0.5 x2 exactly, x around a large mean (no cancellation) */
	for (int i = 0; i < NROW; i++)
	{
		x[i][0] = 1e6 + (i * 7) % 13;
		x[i][1] = (i * i) % 17 - 8.0;
		y[i] = 3 + 2 * x[i][0] - 0.5 * x[i][1];
	}
	UNIT_OK(mm_ss_length(2) == 3 + 3 + 6, "state length of 2 regressors is 12");
	mm_ss_init(whole, p);
	mm_ss_init(left, p);
	mm_ss_init(right, p);
	mm_ss_init(empty, p);
	for (int i = 0; i < NROW; i++)
	{
		mm_ss_add(whole, y[i], x[i]);
		mm_ss_add(i < 15 ? left : right, y[i], x[i]);
	}
	UNIT_OK(mm_ss_check(whole, mm_ss_length(p)) == MM_OK, "a filled state checks");
	UNIT_OK(mm_ss_merge(left, right) == MM_OK && left[2] == NROW, "merge adds the counts");
	for (int i = 3; i < mm_ss_length(p); i++)
		UNIT_NEAR(left[i], whole[i], 1e-9 * (fabs(whole[i]) + 1), "merged entry %d equals the serial one", i);
	UNIT_OK(mm_ss_merge(empty, whole) == MM_OK && empty[2] == NROW && empty[5] == whole[5],
			"the empty state is the identity on the left");

	UNIT_OK(mm_ss_solve(whole, 0, beta, &sse, &sst, work, iwork) == MM_OK, "exact design solves");
	UNIT_NEAR(beta[1], 2.0, 1e-9, "slope 1");
	UNIT_NEAR(beta[2], -0.5, 1e-9, "slope 2");
	UNIT_NEAR(beta[0], 3.0, 1e-3, "intercept (x1 around 1e6)");
	UNIT_OK(sse <= 1e-9 * sst, "residual sum of squares about 0");

	/* ridge shrinks the slopes */
	UNIT_OK(mm_ss_solve(whole, 1e3, beta, &sse, &sst, work, iwork) == MM_OK
			&& fabs(beta[1]) < 2.0 && fabs(beta[2]) < 0.5 && sse > 0, "ridge shrinks and leaves residuals");
	UNIT_OK(mm_ss_solve(whole, -1, beta, &sse, &sst, work, iwork) == MM_EDOM, "negative ridge is EDOM");

	/* a collinear design is singular */
	mm_ss_init(whole, p);
	for (int i = 0; i < NROW; i++)
	{
		double		xc[2] = {x[i][0], 2 * x[i][0]};

		mm_ss_add(whole, y[i], xc);
	}
	UNIT_OK(mm_ss_solve(whole, 0, beta, &sse, &sst, work, iwork) == MM_ESING, "collinear columns are singular");

	/* malformed states */
	whole[0] = 2;
	UNIT_OK(mm_ss_check(whole, mm_ss_length(p)) == MM_EDOM, "wrong version rejected");
	whole[0] = 1;
	UNIT_OK(mm_ss_check(whole, mm_ss_length(p) - 1) == MM_EDOM, "wrong length rejected");
	whole[2] = 1.5;
	UNIT_OK(mm_ss_check(whole, mm_ss_length(p)) == MM_EDOM, "fractional count rejected");
	mm_ss_init(left, 1);
	UNIT_OK(mm_ss_merge(left, empty) == MM_EDOM, "different p cannot merge");
}
