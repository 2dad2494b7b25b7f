/*
 * shapley.c: Harsanyi dividends and Shapley values (formulas.md §6.4).
 */
#include <math.h>
#include <stddef.h>

#include "math/attribution/shapley.h"

MMStatus
mm_shapley_dividends(int p, double *v)
{
	unsigned	n;

	if (p < 0 || p > MM_SHAPLEY_MAX_PLAYERS || v == NULL || v[0] != 0.0)
		return MM_EDOM;
	n = 1u << p;
	/* one player at a time: d = v with each "contains j" half minus its complement */
	for (int j = 0; j < p; j++)
		for (unsigned t = 0; t < n; t++)
			if (t & (1u << j))
				v[t] -= v[t ^ (1u << j)];
	for (unsigned t = 0; t < n; t++)
		if (!isfinite(v[t]))
			return MM_EOVRFLW;
	return MM_OK;
}

MMStatus
mm_shapley_from_dividends(int p, const double *d, double *phi)
{
	unsigned	n;

	if (p < 0 || p > MM_SHAPLEY_MAX_PLAYERS || d == NULL || phi == NULL)
		return MM_EDOM;
	n = 1u << p;
	for (int j = 0; j < p; j++)
		phi[j] = 0.0;
	for (unsigned t = 1; t < n; t++)
	{
		int			size = __builtin_popcount(t);

		for (int j = 0; j < p; j++)
			if (t & (1u << j))
				phi[j] += d[t] / size;
	}
	return MM_OK;
}
