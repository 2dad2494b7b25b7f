/*
 * suffstats.c: regression sufficient statistics (suffstats.h).
 *
 * The update and merge are the multivariate forms of Welford's and of Chan,
 * Golub and LeVeque's pairwise formulas ("Algorithms for computing the sample
 * variance", 1983): for one new row d = z - mean, mean += d/n,
 * M += d d' (n - 1)/n; for two states, delta = mean_b - mean_a,
 * M = M_a + M_b + delta delta' n_a n_b / n.  The solve is a Cholesky
 * factorisation (LAPACKE_dpotrf/dpotrs) with a condition check (dpocon).
 */
#include "math/scale/suffstats.h"

#include <math.h>
#include <string.h>

#include <lapacke.h>

#define S_P(s)		((int) (s)[1])
#define S_N(s)		((s)[2])
#define S_MEAN(s)	((s) + 3)

/* index of M(i, j), i <= j, packed upper triangle by rows of a q x q matrix */
static inline long
tri(int q, int i, int j)
{
	return (long) i * q - (long) i * (i - 1) / 2 + (j - i);
}

long
mm_ss_length(int p)
{
	long		q = p + 1;

	return 3 + q + q * (q + 1) / 2;
}

void
mm_ss_init(double *s, int p)
{
	memset(s, 0, sizeof(double) * mm_ss_length(p));
	s[0] = MM_SS_VERSION;
	s[1] = p;
}

MMStatus
mm_ss_check(const double *s, long len)
{
	double		p,
				n;
	int			q;
	const double *M;

	if (len < 3 || s[0] != MM_SS_VERSION)
		return MM_EDOM;
	p = s[1];
	n = s[2];
	if (!(p >= 0 && p <= MM_SS_MAX_P && p == floor(p)) || mm_ss_length((int) p) != len)
		return MM_EDOM;
	if (!(n >= 0 && n == floor(n) && n < 9.007199254740992e15))
		return MM_EDOM;
	for (long i = 0; i < len; i++)
		if (!isfinite(s[i]))
			return MM_EDOM;
	q = (int) p + 1;
	M = S_MEAN(s) + q;
	for (int i = 0; i < q; i++)
		if (M[tri(q, i, i)] < 0)
			return MM_EDOM;
	if (n == 0)
		for (long i = 3; i < len; i++)
			if (s[i] != 0)
				return MM_EDOM;
	return MM_OK;
}

static MMStatus
check_finite(const double *s)
{
	long		len = mm_ss_length(S_P(s));

	for (long i = 2; i < len; i++)
		if (!isfinite(s[i]))
			return MM_EOVRFLW;
	return MM_OK;
}

MMStatus
mm_ss_add(double *s, double y, const double *x)
{
	int			p = S_P(s),
				q = p + 1;
	double	   *mean = S_MEAN(s),
			   *M = mean + q;
	double		n = S_N(s) + 1.0,
				f = (n - 1.0) / n;
	double		d[MM_SS_MAX_P + 1];

	for (int i = 0; i < q; i++)
	{
		d[i] = (i < p ? x[i] : y) - mean[i];
		mean[i] += d[i] / n;
	}
	for (int i = 0; i < q; i++)
	{
		double		di = d[i] * f;
		double	   *row = M + tri(q, i, i) - i;

		for (int j = i; j < q; j++)
			row[j] += di * d[j];
	}
	S_N(s) = n;
	/* a cheap test on the diagonal catches every overflow (|d_i d_j| <= max d^2) */
	for (int i = 0; i < q; i++)
		if (!isfinite(M[tri(q, i, i)]) || !isfinite(mean[i]))
			return MM_EOVRFLW;
	return MM_OK;
}

MMStatus
mm_ss_merge(double *a, const double *b)
{
	int			p = S_P(a),
				q = p + 1;
	double		na = S_N(a),
				nb = S_N(b),
				n,
				w;
	double	   *ma = S_MEAN(a),
			   *Ma = ma + q;
	const double *mb = S_MEAN(b),
			   *Mb = mb + q;
	double		delta[MM_SS_MAX_P + 1];

	if (S_P(b) != p)
		return MM_EDOM;
	if (nb == 0)
		return MM_OK;
	if (na == 0)
	{
		memcpy(a, b, sizeof(double) * mm_ss_length(p));
		return MM_OK;
	}
	n = na + nb;
	w = na * nb / n;
	for (int i = 0; i < q; i++)
	{
		delta[i] = mb[i] - ma[i];
		ma[i] += delta[i] * nb / n;
	}
	for (int i = 0; i < q; i++)
		for (int j = i; j < q; j++)
		{
			long		k = tri(q, i, j);

			Ma[k] += Mb[k] + delta[i] * delta[j] * w;
		}
	S_N(a) = n;
	return check_finite(a);
}

MMStatus
mm_ss_solve(const double *s, double ridge, double *beta, double *sse, double *sst,
			double *work, int *iwork)
{
	int			p = S_P(s),
				q = p + 1;
	const double *mean = S_MEAN(s),
			   *M = mean + q;
	double	   *A = work,			/* p x p, column-major */
			   *b = work + (long) p * p,
			   *c = b + p,
			   *lwork = c + p;
	double		syy = M[tri(q, p, p)],
				anorm = 0,
				rcond = 0,
				e;

	(void) lwork;
	if (!isfinite(ridge) || ridge < 0)
		return MM_EDOM;
	if (S_N(s) < 1)
		return MM_EDOM;
	for (int i = 0; i < p; i++)
	{
		for (int j = 0; j < p; j++)
			A[(long) j * p + i] = i <= j ? M[tri(q, i, j)] : M[tri(q, j, i)];
		A[(long) i * p + i] += ridge;
		b[i] = M[tri(q, i, p)];
		c[i] = b[i];
	}
	if (p > 0)
	{
		for (int j = 0; j < p; j++)
		{
			double		col = 0;

			for (int i = 0; i < p; i++)
				col += fabs(A[(long) j * p + i]);
			if (col > anorm)
				anorm = col;
		}
		if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', p, A, p) != 0)
			return MM_ESING;
		if (LAPACKE_dpocon_work(LAPACK_COL_MAJOR, 'L', p, A, p, anorm, &rcond, lwork, iwork) != 0 ||
			!(rcond >= 1e-12))
			return MM_ESING;
		if (LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', p, 1, A, p, b, p) != 0)
			return MM_ESING;
	}
	/* SSE = Syy - 2 b'c + b' Sxx b, Sxx the unpenalised centred cross-products */
	e = syy;
	for (int i = 0; i < p; i++)
	{
		double		sxxb = 0;

		for (int j = 0; j < p; j++)
			sxxb += (i <= j ? M[tri(q, i, j)] : M[tri(q, j, i)]) * b[j];
		e += b[i] * sxxb - 2.0 * b[i] * c[i];
	}
	beta[0] = mean[p];
	for (int i = 0; i < p; i++)
	{
		beta[i + 1] = b[i];
		beta[0] -= b[i] * mean[i];
	}
	*sse = e > 0 ? e : 0;
	*sst = syy;
	for (int i = 0; i <= p; i++)
		if (!isfinite(beta[i]))
			return MM_EOVRFLW;
	return MM_OK;
}
