/*
 * test_decompose.c: decomposition rules of the multiplicative form against
 * Adobe's toy of formulas.md §2.2, a brute-force Shapley value, and the
 * exact-sum property on seeded random periods.
 */
#include <math.h>
#include <stdlib.h>

#include "math/decompose.h"
#include "unit.h"

#define NMAX 8

/* Shapley value by enumerating every coalition of the game b prod_{S} f_j. */
static double
brute_shapley(double b, const double *g, int n, int c)
{
	double		phi = 0.0;

	for (unsigned S = 0; S < (1u << n); S++)
	{
		int			k = 0;
		double		fS = b,
					w;

		if (S & (1u << c))
			continue;
		for (int j = 0; j < n; j++)
			if (S & (1u << j))
			{
				fS *= exp(g[j]);
				k++;
			}
		/* k! (n-k-1)! / n! */
		w = exp(lgamma(k + 1) + lgamma(n - k) - lgamma(n + 1));
		phi += w * (fS * exp(g[c]) - fS);
	}
	return phi;
}

static void
test_toy(void)
{
	double		g[2] = {log(1.25), log(1.3)};
	double		p[2],
				y,
				work[4];

	UNIT_OK(mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, 1100, g, 2, p, &y, NULL) == MM_OK,
			"log_share toy runs");
	UNIT_NEAR(y, 1787.5, 1e-9, "toy prediction 1100 x 1.25 x 1.3");
	UNIT_NEAR(mm_log_mean(1787.5, 1100), 1416.043, 5e-4, "toy L(y, B) = 1416.043");
	UNIT_NEAR(p[0], 315.981, 5e-4, "log_share A = 315.981");
	UNIT_NEAR(p[1], 371.519, 5e-4, "log_share B = 371.519");
	UNIT_NEAR(p[0] + p[1], 687.5, 1e-9, "log_share parts sum to M = 687.5");

	mm_decompose_multiplicative(MM_DECOMP_SHAPLEY, 1100, g, 2, p, &y, work);
	UNIT_NEAR(p[0], 316.25, 1e-9, "shapley A = (275 + 357.5)/2");
	UNIT_NEAR(p[1], 371.25, 1e-9, "shapley B = (330 + 412.5)/2");

	mm_decompose_multiplicative(MM_DECOMP_REMOVAL_RESCALED, 1100, g, 2, p, &y, NULL);
	UNIT_NEAR(p[0], 319.196, 5e-4, "removal_rescaled A = 319.196");
	UNIT_NEAR(p[1], 368.304, 5e-4, "removal_rescaled B = 368.304");
	UNIT_NEAR(p[0] + p[1], 687.5, 1e-9, "removal_rescaled parts sum to M");
}

static void
test_edges(void)
{
	double		g[3] = {0.0, 0.2, -0.2},
				p[3],
				y,
				work[6];
	double		one = 0.4;

	UNIT_NEAR(mm_log_mean(3, 3), 3, 0, "L(p, p) = p");
	UNIT_NEAR(mm_log_mean(2, 1), 1 / log(2.0), 1e-15, "L(2, 1) = 1/ln 2");
	UNIT_NEAR(mm_log_mean(1, 2), 1 / log(2.0), 1e-15, "L symmetric");

	/* sum g = 0 with non-zero parts: y = b, parts cancel, f = 1 gets 0 */
	for (int r = 0; r < 3; r++)
	{
		double		sum;

		UNIT_OK(mm_decompose_multiplicative((MMDecompRule) r, 50, g, 3, p, &y, work) == MM_OK,
				"rule %d with cancelling parts runs", r);
		sum = p[0] + p[1] + p[2];
		UNIT_NEAR(sum, 0.0, 1e-12, "rule %d: parts sum to y - b = 0", r);
		UNIT_NEAR(p[0], 0.0, 0.0, "rule %d: a channel with f = 1 gets exactly 0", r);
		if (r == MM_DECOMP_REMOVAL_RESCALED)
			UNIT_OK(p[1] == 0 && p[2] == 0, "removal_rescaled: y - b = 0 leaves nothing to share");
		else
			UNIT_OK(p[1] > 0 && p[2] < 0, "rule %d: sign follows g", r);
	}
	/* one part: every rule gives y - b */
	for (int r = 0; r < 3; r++)
	{
		mm_decompose_multiplicative((MMDecompRule) r, 7, &one, 1, p, &y, work);
		UNIT_NEAR(p[0], 7 * expm1(0.4), 1e-13, "rule %d: one part gets y - b", r);
	}
	UNIT_OK(mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, 0, g, 3, p, &y, NULL) == MM_EDOM,
			"b = 0 is MM_EDOM");
	UNIT_OK(mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, 1, (double[]) {NAN}, 1, p, &y, NULL) == MM_EDOM,
			"NaN part is MM_EDOM");
	UNIT_OK(mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, 1, (double[]) {800}, 1, p, &y, NULL) == MM_EOVRFLW,
			"exp overflow is MM_EOVRFLW");
	UNIT_OK(mm_decompose_multiplicative(MM_DECOMP_SHAPLEY, 1, g, 3, p, &y, NULL) == MM_ENOMEM,
			"shapley without work is MM_ENOMEM");
}

static void
test_random(void)
{
	double		g[NMAX],
				p[NMAX],
				work[2 * NMAX],
				y;
	double		worst_sum = 0.0,
				worst_shap = 0.0,
				worst_order = 0.0;

	srand(20261123);
	for (int trial = 0; trial < 200; trial++)
	{
		int			n = 1 + trial % NMAX;
		double		b = 10.0 + 1000.0 * rand() / RAND_MAX;

		for (int c = 0; c < n; c++)
			g[c] = 0.6 * rand() / RAND_MAX - 0.1;
		for (int r = 0; r < 3; r++)
		{
			double		sum = 0.0;

			mm_decompose_multiplicative((MMDecompRule) r, b, g, n, p, &y, work);
			for (int c = 0; c < n; c++)
				sum += p[c];
			worst_sum = fmax(worst_sum, fabs(sum + b - y) / y);
			if (r == MM_DECOMP_SHAPLEY)
				for (int c = 0; c < n; c++)
					worst_shap = fmax(worst_shap, fabs(p[c] - brute_shapley(b, g, n, c)) / y);
			if (r == MM_DECOMP_LOG_SHARE && n >= 2)
			{
				/* order independence: swap the first two parts */
				double		h[NMAX],
							q[NMAX],
							yy;

				for (int c = 0; c < n; c++)
					h[c] = g[c];
				h[0] = g[1];
				h[1] = g[0];
				mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, b, h, n, q, &yy, NULL);
				worst_order = fmax(worst_order, fabs(q[0] - p[1]) + fabs(q[1] - p[0]));
			}
		}
	}
	UNIT_OK(worst_sum <= 1e-12, "every rule: base + parts = prediction (worst relative %.1e)", worst_sum);
	UNIT_OK(worst_shap <= 1e-12, "shapley recurrence = brute-force coalitions (worst relative %.1e)", worst_shap);
	UNIT_OK(worst_order <= 1e-9, "log_share independent of channel order");
}

void
test_decompose(void)
{
	test_toy();
	test_edges();
	test_random();
}
