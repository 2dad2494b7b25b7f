/*
 * decompose.c: decomposition rules of the multiplicative form (formulas §2.2).
 *
 * log_share is the LMDI-I index decomposition (Ang 2004); shapley is the
 * Shapley value of the game F(S) = b prod_{j in S} f_j computed through
 * elementary symmetric polynomials; removal_rescaled shares y - b in
 * proportion to the one-at-a-time removal effects.
 */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_sf_gamma.h>

#include "math/decompose.h"

double
mm_log_mean(double p, double q)
{
	if (p == q)
		return p;
	/* log1p keeps precision when p and q are close */
	return (p - q) / log1p((p - q) / q);
}

long
mm_decompose_work(int n)
{
	return n > 0 ? 2L * n : 1;
}

/* log_share: L(y, b) g_c, with L(y, b) = b expm1(G) / G for G = sum g. */
static void
log_share(double b, const double *g, int n, double G, double *parts)
{
	/* same value as mm_log_mean(y, b), written so that the parts sum to b expm1(G) */
	double		L = (G == 0.0) ? b : b * expm1(G) / G;

	for (int c = 0; c < n; c++)
		parts[c] = L * g[c];
}

/*
 * Shapley: phi_c = b (f_c - 1) sum_k k! (n-k-1)! / n! e_k(f without c).
 * e[0..n-1] is built by the recurrence e_k <- e_k + f e_{k-1} over the other
 * n - 1 multipliers: O(n^2) per channel.
 */
static void
shapley(double b, const double *g, int n, double *parts, double *e)
{
	double	   *wk = e + n;

	/* k! (n-k-1)! / n! = 1 / (n C(n-1, k)) */
	for (int k = 0; k < n; k++)
		wk[k] = 1.0 / (n * gsl_sf_choose((unsigned) (n - 1), (unsigned) k));

	for (int c = 0; c < n; c++)
	{
		int			m = 0;
		double		sum = 0.0;

		e[0] = 1.0;
		for (int j = 0; j < n; j++)
		{
			double		f;

			if (j == c)
				continue;
			f = exp(g[j]);
			m++;
			e[m] = 0.0;
			for (int k = m; k >= 1; k--)
				e[k] += f * e[k - 1];
		}
		for (int k = 0; k < n; k++)
			sum += wk[k] * e[k];
		parts[c] = b * expm1(g[c]) * sum;
	}
}

MMStatus
mm_decompose_multiplicative(MMDecompRule rule, double b, const double *g, int n,
							double *parts, double *top, double *work)
{
	double		G = 0.0;
	double		y;

	if (!(b > 0.0) || !isfinite(b) || n < 0)
		return MM_EDOM;
	for (int c = 0; c < n; c++)
	{
		if (!isfinite(g[c]))
			return MM_EDOM;
		G += g[c];
	}
	y = b * exp(G);
	if (!isfinite(y) || !isfinite(b * expm1(G)))
		return MM_EOVRFLW;
	*top = y;

	switch (rule)
	{
		case MM_DECOMP_LOG_SHARE:
			log_share(b, g, n, G, parts);
			break;
		case MM_DECOMP_SHAPLEY:
			if (work == NULL && n > 0)
				return MM_ENOMEM;
			shapley(b, g, n, parts, work);
			break;
		case MM_DECOMP_REMOVAL_RESCALED:
			{
				double		M = b * expm1(G);
				double		R = 0.0;

				/* r_c = y - y / f_c = -y expm1(-g_c) */
				for (int c = 0; c < n; c++)
				{
					parts[c] = -y * expm1(-g[c]);
					R += parts[c];
				}
				if (R == 0.0)
				{
					log_share(b, g, n, G, parts);
					break;
				}
				for (int c = 0; c < n; c++)
					parts[c] = M * (parts[c] / R);
			}
			break;
		default:
			return MM_EDOM;
	}
	for (int c = 0; c < n; c++)
		if (!isfinite(parts[c]))
			return MM_EOVRFLW;
	return MM_OK;
}
