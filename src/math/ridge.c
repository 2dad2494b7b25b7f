/*
 * ridge.c: exact box-constrained ridge (formulas §2.3) by a primal active-set
 * method on the normal equations.
 *
 * The iterate stays feasible.  Each outer step frees the bound coefficient
 * whose gradient points most into the box; each inner step solves the free
 * block exactly (Cholesky) and, if that overshoots a bound, moves only as far
 * as the first bound it meets and fixes that coefficient there (Lawson and
 * Hanson's NNLS, generalised to two-sided bounds by Stark and Parker, 1995).
 * For a strictly convex problem the objective falls strictly at every free
 * step, so no active set repeats and the method ends at the exact optimum.
 */
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "math/ridge.h"

long
mm_box_qp_work(int p)
{
	return (long) p * p + 3L * p;
}

/* g = Q b - c */
static void
gradient(const double *Q, const double *c, int p, const double *b, double *g)
{
	for (int i = 0; i < p; i++)
	{
		double		s = 0.0;

		for (int j = 0; j < p; j++)
			s += Q[(size_t) j * p + i] * b[j];
		g[i] = s - c[i];
	}
}

/*
 * Solve the free block: Q_FF z_F = c_F - Q_FB b_B.  z gets the full vector
 * (bound entries copied from b).  Returns MM_ESING if Q_FF is not positive
 * definite.
 */
static MMStatus
solve_free(const double *Q, const double *c, int p, const double *b,
		   const int *state, double *sub, double *rhs, double *z)
{
	int			nf = 0;
	lapack_int	info;

	for (int i = 0; i < p; i++)
	{
		double		r;

		z[i] = b[i];
		if (state[i] != MM_BOX_FREE)
			continue;
		r = c[i];
		for (int j = 0; j < p; j++)
			if (state[j] != MM_BOX_FREE)
				r -= Q[(size_t) j * p + i] * b[j];
		rhs[nf++] = r;
	}
	if (nf == 0)
		return MM_OK;

	/* gather Q_FF column-major */
	{
		int			fi = 0;

		for (int i = 0; i < p; i++)
		{
			int			fj = 0;

			if (state[i] != MM_BOX_FREE)
				continue;
			for (int j = 0; j < p; j++)
				if (state[j] == MM_BOX_FREE)
					sub[(size_t) fi * nf + fj++] = Q[(size_t) i * p + j];
			fi++;
		}
	}
	info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', nf, sub, nf);
	if (info != 0)
		return MM_ESING;
	info = LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', nf, 1, sub, nf, rhs, nf);
	if (info != 0)
		return MM_ESING;
	{
		int			fi = 0;

		for (int i = 0; i < p; i++)
			if (state[i] == MM_BOX_FREE)
				z[i] = rhs[fi++];
	}
	return MM_OK;
}

MMStatus
mm_box_qp_solve(const double *Q, const double *c, const double *lo, const double *hi,
				int p, double *beta, int *state, bool warm, double *work)
{
	double	   *sub = work;
	double	   *rhs = sub + (size_t) p * p;
	double	   *z = rhs + p;
	double	   *g = z + p;
	double		cscale = 0.0;
	int			maxiter = 20 * p + 100;
	int			last_freed = -1;

	for (int j = 0; j < p; j++)
	{
		if (isnan(lo[j]) || isnan(hi[j]) || lo[j] > hi[j] || !isfinite(c[j]) ||
			!isfinite(Q[(size_t) j * p + j]))
			return MM_EDOM;
		cscale = fmax(cscale, fabs(c[j]));
	}

	/* feasible start: 0 clamped into the box, or the warm active set */
	for (int j = 0; j < p; j++)
	{
		int			s = warm ? state[j] : MM_BOX_FREE;

		if (s == MM_BOX_LOWER && isfinite(lo[j]))
			beta[j] = lo[j];
		else if (s == MM_BOX_UPPER && isfinite(hi[j]))
			beta[j] = hi[j];
		else
		{
			s = MM_BOX_FREE;
			beta[j] = fmin(fmax(0.0, lo[j]), hi[j]);
			if (beta[j] == lo[j] && isfinite(lo[j]))
				s = MM_BOX_LOWER;
			else if (beta[j] == hi[j] && isfinite(hi[j]))
				s = MM_BOX_UPPER;
		}
		if (lo[j] == hi[j])
		{
			beta[j] = lo[j];
			s = MM_BOX_LOWER;
		}
		state[j] = s;
	}

	for (int iter = 0;; iter++)
	{
		MMStatus	st;

		if (iter > maxiter)
			return MM_ENOCONV;

		/* inner loop: exact solve of the free block, backing off at bounds */
		for (;;)
		{
			double		alpha = 1.0;
			int			hit = -1;
			bool		any_free = false;

			for (int j = 0; j < p; j++)
				any_free |= (state[j] == MM_BOX_FREE);
			if (!any_free)
				break;
			st = solve_free(Q, c, p, beta, state, sub, rhs, z);
			if (st != MM_OK)
				return st;
			for (int j = 0; j < p; j++)
			{
				double		t;

				if (state[j] != MM_BOX_FREE)
					continue;
				if (z[j] < lo[j])
				{
					t = (beta[j] - lo[j]) / (beta[j] - z[j]);
					if (t < alpha)
						alpha = t, hit = j;
				}
				else if (z[j] > hi[j])
				{
					t = (hi[j] - beta[j]) / (z[j] - beta[j]);
					if (t < alpha)
						alpha = t, hit = j;
				}
			}
			if (hit < 0)
			{
				for (int j = 0; j < p; j++)
					if (state[j] == MM_BOX_FREE)
						beta[j] = z[j];
				break;
			}
			alpha = fmax(alpha, 0.0);
			for (int j = 0; j < p; j++)
			{
				if (state[j] != MM_BOX_FREE)
					continue;
				beta[j] += alpha * (z[j] - beta[j]);
				/* fix the blocking coefficient and any that rounding put on or past a bound */
				if (z[j] < lo[j] && (j == hit || beta[j] <= lo[j]))
					beta[j] = lo[j], state[j] = MM_BOX_LOWER;
				else if (z[j] > hi[j] && (j == hit || beta[j] >= hi[j]))
					beta[j] = hi[j], state[j] = MM_BOX_UPPER;
				else
					beta[j] = fmin(fmax(beta[j], lo[j]), hi[j]);
			}
			if (++iter > maxiter)
				return MM_ENOCONV;
		}

		/* outer step: free the bound coefficient with the most violated KKT condition */
		gradient(Q, c, p, beta, g);
		{
			double		worst = 0.0;
			double		tol;
			int			pick = -1;
			double		bscale = 0.0;

			for (int j = 0; j < p; j++)
				bscale = fmax(bscale, fabs(beta[j]) * Q[(size_t) j * p + j]);
			tol = 1e-13 * fmax(fmax(cscale, bscale), 1e-300);
			for (int j = 0; j < p; j++)
			{
				double		v = 0.0;

				if (lo[j] == hi[j])
					continue;
				if (state[j] == MM_BOX_LOWER)
					v = -g[j];
				else if (state[j] == MM_BOX_UPPER)
					v = g[j];
				/* a coefficient freed last round that went straight back is rounding noise */
				if (j == last_freed && v <= 1e3 * tol)
					continue;
				if (v > worst)
					worst = v, pick = j;
			}
			if (pick < 0 || worst <= tol)
				return MM_OK;
			state[pick] = MM_BOX_FREE;
			last_freed = pick;
		}
	}
}

double
mm_box_qp_kkt(const double *Q, const double *c, const double *lo, const double *hi,
			  int p, const double *beta, double *grad)
{
	double		worst = 0.0;

	gradient(Q, c, p, beta, grad);
	for (int j = 0; j < p; j++)
	{
		double		v;

		/* feasibility */
		worst = fmax(worst, lo[j] - beta[j]);
		worst = fmax(worst, beta[j] - hi[j]);
		if (lo[j] == hi[j])
			continue;
		if (beta[j] <= lo[j])
			v = -grad[j];		/* at lower: gradient must be >= 0 */
		else if (beta[j] >= hi[j])
			v = grad[j];		/* at upper: gradient must be <= 0 */
		else
			v = fabs(grad[j]);
		worst = fmax(worst, v);
	}
	return worst;
}

/* ---- ridge on a raw design ---- */

long
mm_ridge_work(int n, int p)
{
	/* Xs (n p), y centred (n), Q (p p), c, lo, hi, scale, mean, b (5 p), qp work */
	return (long) n * p + n + (long) p * p + 6L * p + mm_box_qp_work(p);
}

MMStatus
mm_ridge_fit(const MMRidgeProblem *prob, double *beta, MMRidgeFit *fit,
			 int *iwork, bool warm, double *work)
{
	int			n = prob->n,
				p = prob->p;
	double	   *Xs = work;
	double	   *yc = Xs + (size_t) n * p;
	double	   *Q = yc + n;
	double	   *c = Q + (size_t) p * p;
	double	   *lo = c + p;
	double	   *hi = lo + p;
	double	   *scale = hi + p;
	double	   *mean = scale + p;
	double	   *b = mean + p;
	double	   *qp = b + p;
	double		ymean = 0.0;
	MMStatus	st;

	if (n < 1 || p < 0 || !(prob->lambda >= 0.0) || !isfinite(prob->lambda))
		return MM_EDOM;

	if (prob->intercept)
	{
		for (int t = 0; t < n; t++)
			ymean += prob->y[t];
		ymean /= n;
	}
	for (int t = 0; t < n; t++)
	{
		if (!isfinite(prob->y[t]))
			return MM_EDOM;
		yc[t] = prob->y[t] - ymean;
	}

	/* standardise: glmnet's population SD (intercept) or root mean square (none) */
	for (int j = 0; j < p; j++)
	{
		const double *x = prob->X + (size_t) j * n;
		double	   *xs = Xs + (size_t) j * n;
		double		m = 0.0,
					ss = 0.0;

		if (prob->intercept)
		{
			for (int t = 0; t < n; t++)
				m += x[t];
			m /= n;
		}
		for (int t = 0; t < n; t++)
		{
			double		d = x[t] - m;

			if (!isfinite(x[t]))
				return MM_EDOM;
			ss += d * d;
		}
		mean[j] = m;
		scale[j] = sqrt(ss / n);
		/* a column that is constant to rounding carries no information */
		if (!(scale[j] > 1e-12 * fmax(fabs(m), 1e-300)))
			scale[j] = 0.0;
		for (int t = 0; t < n; t++)
			xs[t] = scale[j] > 0.0 ? (x[t] - m) / scale[j] : 0.0;
	}

	/* Q = Xs'Xs / n + lambda diag(pf), c = Xs' yc / n */
	if (p > 0)
	{
		cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, p, n, 1.0 / n, Xs, n, 0.0, Q, p);
		cblas_dgemv(CblasColMajor, CblasTrans, n, p, 1.0 / n, Xs, n, yc, 1, 0.0, c, 1);
	}
	for (int j = 0; j < p; j++)
	{
		double		pf = prob->pf ? prob->pf[j] : 1.0;

		for (int i = j + 1; i < p; i++)
			Q[(size_t) i * p + j] = Q[(size_t) j * p + i];
		if (!(pf >= 0.0))
			return MM_EDOM;
		Q[(size_t) j * p + j] += prob->lambda * pf;
		/* bounds scale with the column: b_std = b_raw * scale */
		if (scale[j] > 0.0)
		{
			lo[j] = prob->lower ? prob->lower[j] * scale[j] : -INFINITY;
			hi[j] = prob->upper ? prob->upper[j] * scale[j] : INFINITY;
		}
		else
		{
			lo[j] = hi[j] = 0.0;
			Q[(size_t) j * p + j] = 1.0;
			c[j] = 0.0;
		}
		if (isnan(lo[j]))		/* 0 * inf: a bound at +-inf on a scaled column */
			lo[j] = prob->lower[j];
		if (isnan(hi[j]))
			hi[j] = prob->upper[j];
	}

	st = mm_box_qp_solve(Q, c, lo, hi, p, b, iwork, warm, qp);
	if (st != MM_OK)
		return st;
	fit->kkt = mm_box_qp_kkt(Q, c, lo, hi, p, b, qp);

	fit->has_intercept = prob->intercept;
	fit->intercept = ymean;
	for (int j = 0; j < p; j++)
	{
		beta[j] = scale[j] > 0.0 ? b[j] / scale[j] : 0.0;
		if (prob->intercept)
			fit->intercept -= beta[j] * mean[j];
	}
	if (!prob->intercept)
		fit->intercept = 0.0;
	return MM_OK;
}

MMStatus
mm_ridge_fit_robyn(const MMRidgeProblem *prob, bool intercept_nonneg, double *beta,
				   MMRidgeFit *fit, int *iwork, bool warm, double *work)
{
	MMStatus	st = mm_ridge_fit(prob, beta, fit, iwork, warm, work);

	if (st == MM_OK && prob->intercept && intercept_nonneg && fit->intercept < 0.0)
	{
		MMRidgeProblem without = *prob;

		without.intercept = false;
		st = mm_ridge_fit(&without, beta, fit, iwork, false, work);
	}
	return st;
}

double
mm_ridge_lambda_max(const double *X, int n, int p, const double *y)
{
	double		best = 0.0;

	for (int j = 0; j < p; j++)
	{
		const double *x = X + (size_t) j * n;
		double		m = 0.0,
					ss = 0.0,
					sd,
					dot = 0.0;

		for (int t = 0; t < n; t++)
			m += x[t];
		m /= n;
		for (int t = 0; t < n; t++)
			ss += (x[t] - m) * (x[t] - m);
		sd = sqrt(ss / n);
		if (!(sd > 0.0))
			continue;			/* Robyn: NaN after scaling becomes 0 */
		for (int t = 0; t < n; t++)
			dot += (x[t] - m) / sd * y[t];
		best = fmax(best, fabs(dot));
	}
	return best / (0.001 * n);
}

double
mm_ridge_lambda(double lambda_max, double hp)
{
	double		hi = 0.1 * lambda_max;
	double		lo = 1e-4 * hi;

	return lo + (hi - lo) * hp;
}
