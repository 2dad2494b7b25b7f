/*
 * markov.c: absorption probabilities of a Markov attribution chain
 * (formulas.md §6.3, "exact removal effects").
 */
#include <math.h>

#include <lapacke.h>

#include "math/attribution/markov.h"

size_t
mm_markov_work_doubles(int n, int dense_limit)
{
	size_t		nd = (size_t) (n <= dense_limit ? n : 0);

	/* dense: the matrix and two right-hand sides; sparse: h for conversions and value */
	return nd * nd + 2 * (size_t) n + 2;
}

size_t
mm_markov_work_ints(int n, int dense_limit)
{
	(void) dense_limit;
	/* kept-state index and LU pivots */
	return 2 * (size_t) n + 1;
}

double
mm_markov_removal_effect(double h_full, double h_removed)
{
	if (!(h_full > 0.0))
		return 0.0;
	return 1.0 - h_removed / h_full;
}

static MMStatus
check_chain(const MMMarkovChain *c)
{
	if (c == NULL || c->n < 1 || c->rowptr == NULL || c->conv == NULL || c->rowptr[0] != 0)
		return MM_EDOM;
	for (int s = 0; s < c->n; s++)
	{
		if (c->rowptr[s + 1] < c->rowptr[s])
			return MM_EDOM;
		for (int e = c->rowptr[s]; e < c->rowptr[s + 1]; e++)
			if (c->col[e] < 0 || c->col[e] >= c->n || !(c->prob[e] >= 0.0) || c->prob[e] > 1.0)
				return MM_EDOM;
		if (!(c->conv[s] >= 0.0) || c->conv[s] > 1.0 ||
			(c->value != NULL && !(c->value[s] >= 0.0 && isfinite(c->value[s]))))
			return MM_EDOM;
	}
	return MM_OK;
}

/* LU on the kept states: (I - Q_KK) [h, hv] = [r_K, v_K]. */
static MMStatus
absorb_dense(const MMMarkovChain *c, const int *kept, int nk, double *out,
			 double *work, int *ipiv)
{
	double	   *a = work;
	double	   *b = work + (size_t) nk * nk;
	int			start = kept[0];
	lapack_int	info;

	for (size_t i = 0; i < (size_t) nk * nk; i++)
		a[i] = 0.0;
	for (int s = 0; s < c->n; s++)
	{
		int			i = kept[s];

		if (i < 0)
			continue;
		/* column-major: a[i + nk j] */
		a[i + (size_t) nk * i] += 1.0;
		for (int e = c->rowptr[s]; e < c->rowptr[s + 1]; e++)
		{
			int			j = kept[c->col[e]];

			if (j >= 0)
				a[i + (size_t) nk * j] -= c->prob[e];
		}
		b[i] = c->conv[s];
		b[nk + i] = c->value ? c->value[s] : 0.0;
	}
	info = LAPACKE_dgesv(LAPACK_COL_MAJOR, nk, 2, a, nk, ipiv, b, nk);
	if (info > 0)
		return MM_ESING;
	if (info < 0)
		return MM_EDOM;
	out[0] = b[start];
	out[1] = b[nk + start];
	if (!isfinite(out[0]) || !isfinite(out[1]))
		return MM_ESING;
	return MM_OK;
}

/*
 * Gauss-Seidel from h = 0: the iterates increase monotonically to the
 * absorption probabilities (Q, r >= 0).  States are swept from the highest
 * number down: the glue numbers states in order of first appearance, so later
 * states (nearer absorption) are mostly updated before the states that lead
 * to them.
 */
static MMStatus
absorb_sparse(const MMMarkovChain *c, const int *kept, double tol, int max_sweeps,
			  double *out, double *work, MMInterruptFn interrupt)
{
	double	   *h = work;
	double	   *hv = work + c->n;

	for (int s = 0; s < c->n; s++)
		h[s] = hv[s] = 0.0;
	for (int sweep = 0; sweep < max_sweeps; sweep++)
	{
		double		change = 0.0;

		if (interrupt)
			interrupt();
		for (int s = c->n - 1; s >= 0; s--)
		{
			double		x,
						xv;

			if (kept[s] < 0)
				continue;
			x = c->conv[s];
			xv = c->value ? c->value[s] : 0.0;
			for (int e = c->rowptr[s]; e < c->rowptr[s + 1]; e++)
			{
				int			t = c->col[e];

				if (kept[t] < 0)
					continue;
				x += c->prob[e] * h[t];
				xv += c->prob[e] * hv[t];
			}
			change = fmax(change, fabs(x - h[s]) / fmax(1.0, fabs(x)));
			change = fmax(change, fabs(xv - hv[s]) / fmax(1.0, fabs(xv)));
			h[s] = x;
			hv[s] = xv;
		}
		if (!isfinite(change))
			return MM_EOVRFLW;
		if (change <= tol)
		{
			out[0] = h[0];
			out[1] = hv[0];
			return MM_OK;
		}
	}
	return MM_ENOCONV;
}

MMStatus
mm_markov_absorb(const MMMarkovChain *c, const bool *removed,
				 int dense_limit, double tol, int max_sweeps,
				 double *out, double *work, int *iwork, MMInterruptFn interrupt)
{
	int			nk = 0;
	int		   *kept = iwork;
	MMStatus	st = check_chain(c);

	if (st != MM_OK)
		return st;
	if (!(tol > 0.0) || max_sweeps < 1 || (removed != NULL && removed[0]))
		return MM_EDOM;
	for (int s = 0; s < c->n; s++)
		kept[s] = (removed != NULL && removed[s]) ? -1 : nk++;
	if (c->n <= dense_limit)
		return absorb_dense(c, kept, nk, out, work, iwork + c->n);
	return absorb_sparse(c, kept, tol, max_sweeps, out, work, interrupt);
}

MMStatus
mm_markov_simulate(const MMMarkovChain *c, const int *chan_ptr, const int *chan_ids,
				   int nchan, int64_t walks, int max_steps, gsl_rng *r,
				   double *out_full, double *out_removed, int64_t *stamp,
				   MMInterruptFn interrupt)
{
	MMStatus	st = check_chain(c);
	double		conv = 0.0,
				value = 0.0;

	if (st != MM_OK)
		return st;
	if (walks < 1 || max_steps < 1 || nchan < 0 || chan_ptr == NULL || r == NULL)
		return MM_EDOM;
	for (int k = 0; k < nchan; k++)
	{
		stamp[k] = -1;
		out_removed[2 * k] = out_removed[2 * k + 1] = 0.0;
	}
	for (int64_t w = 0; w < walks; w++)
	{
		int			s = 0;
		bool		converted = false;

		if (interrupt && (w & 0xFFFF) == 0)
			interrupt();
		for (int step = 0; step < max_steps; step++)
		{
			double		u = gsl_rng_uniform(r),
						acc = 0.0;
			int			next = -1;

			for (int e = c->rowptr[s]; e < c->rowptr[s + 1]; e++)
			{
				acc += c->prob[e];
				if (u < acc)
				{
					next = c->col[e];
					break;
				}
			}
			if (next < 0)
			{
				converted = u < acc + c->conv[s];
				break;
			}
			s = next;
			for (int j = chan_ptr[s]; j < chan_ptr[s + 1]; j++)
				stamp[chan_ids[j]] = w;
		}
		if (converted)
		{
			double		v = c->value && c->conv[s] > 0.0 ? c->value[s] / c->conv[s] : 0.0;

			conv += 1.0;
			value += v;
			for (int k = 0; k < nchan; k++)
				if (stamp[k] != w)
				{
					out_removed[2 * k] += 1.0;
					out_removed[2 * k + 1] += v;
				}
		}
	}
	out_full[0] = conv / (double) walks;
	out_full[1] = value / (double) walks;
	for (int k = 0; k < 2 * nchan; k++)
		out_removed[k] /= (double) walks;
	return MM_OK;
}
