/*
 * diagnostics.c: condition number, VIFs and Durbin-Watson of a fitted design
 * (LAPACKE_dsyev for the eigenvalues, dpotrf/dpotri for the inverse).
 */
#include <math.h>
#include <string.h>

#include <lapacke.h>

#include "math/diagnostics.h"

long
mm_diagnostics_work(int n, int p)
{
	return (long) n * p + 3L * p * p + 2L * p;
}

MMStatus
mm_fit_diagnostics(const double *X, int n, int p, const double *resid,
				   double *cond, double *vif, double *dw, double *work)
{
	double	   *Xs = work;
	double	   *R = Xs + (size_t) n * p;
	double	   *E = R + (size_t) p * p;
	double	   *ev = E + (size_t) p * p;
	int		   *keep = (int *) (ev + p);	/* p ints fit in p doubles */
	int			q = 0;
	double		num = 0.0,
				den = 0.0;

	for (int t = 0; t < n; t++)
	{
		den += resid[t] * resid[t];
		if (t > 0)
			num += (resid[t] - resid[t - 1]) * (resid[t] - resid[t - 1]);
	}
	*dw = den > 0.0 ? num / den : NAN;

	for (int j = 0; j < p; j++)
	{
		const double *x = X + (size_t) j * n;
		double		m = 0.0,
					ss = 0.0,
					sd;

		vif[j] = NAN;
		for (int t = 0; t < n; t++)
			m += x[t];
		m /= n;
		for (int t = 0; t < n; t++)
			ss += (x[t] - m) * (x[t] - m);
		sd = sqrt(ss / n);
		if (!(sd > 1e-12 * fmax(fabs(m), 1e-300)))
			continue;
		for (int t = 0; t < n; t++)
			Xs[(size_t) q * n + t] = (x[t] - m) / (sd * sqrt((double) n));
		keep[q++] = j;
	}
	*cond = NAN;
	if (q == 0)
		return MM_OK;
	for (int i = 0; i < q; i++)
		for (int j = 0; j < q; j++)
		{
			double		s = 0.0;

			for (int t = 0; t < n; t++)
				s += Xs[(size_t) i * n + t] * Xs[(size_t) j * n + t];
			R[(size_t) j * q + i] = s;
		}
	memcpy(E, R, sizeof(double) * q * q);
	if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', q, E, q, ev) != 0)
		return MM_ENOCONV;
	*cond = ev[0] > 0.0 ? sqrt(ev[q - 1] / ev[0]) : INFINITY;
	if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', q, R, q) != 0 ||
		LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', q, R, q) != 0)
	{
		for (int i = 0; i < q; i++)
			vif[keep[i]] = INFINITY;
		return MM_OK;
	}
	for (int i = 0; i < q; i++)
		vif[keep[i]] = R[(size_t) i * q + i];
	return MM_OK;
}
