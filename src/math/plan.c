/*
 * plan.c: budget and goal allocation over channel response curves
 * (formulas.md §5.1, §5.2).  See plan.h for the methods.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>

#include "math/plan.h"

#define ROOT_MAX_ITER	200
#define LAMBDA_RELTOL	1e-13	/* lambda bracket, relative */
#define SPEND_RELTOL	1e-13	/* inversion of R', relative to the spend */
#define GOAL_RELTOL		1e-12	/* budget in goal mode, relative */
#define RATIO_SCAN		64		/* budgets scanned for ratio goals on non-concave curves */

long
mm_plan_workspace_doubles(int C, int grid)
{
	if (grid <= 0)
		grid = MM_PLAN_DEFAULT_GRID;
	return 8L * C + 3L * (grid + 1);
}

long
mm_plan_workspace_ints(int C, int grid)
{
	if (grid <= 0)
		grid = MM_PLAN_DEFAULT_GRID;
	return (long) C * (grid + 1) + C;
}

static double
deriv_at(const MMPlanCurve *c, double s)
{
	double		d;

	if (c->dfn)
		return c->dfn(c->arg, s);
	(void) c->fn(c->arg, s, &d);
	return d;
}

double
mm_plan_kkt_residual(const MMPlanCurve *curves, const double *lower,
					 const double *upper, int C, const double *spend, double lambda)
{
	double		scale = (lambda != 0.0 && isfinite(lambda)) ? fabs(lambda) : 1.0;
	double		worst = 0.0;

	if (isnan(lambda))
		return NAN;
	for (int c = 0; c < C; c++)
	{
		double		d = deriv_at(&curves[c], spend[c]);
		double		v;
		bool		at_lo = spend[c] <= lower[c];
		bool		at_hi = spend[c] >= upper[c];

		if (at_lo && at_hi)
			continue;			/* fixed channel: no condition */
		else if (at_lo)
			v = fmax(0.0, d - lambda);
		else if (at_hi)
			v = fmax(0.0, lambda - d);
		else
			v = fabs(d - lambda);
		if (isnan(v))
			return NAN;
		worst = fmax(worst, v / scale);
	}
	return worst;
}

/* ---------------------------------------------------------------------
 * Concave case: lambda search
 * ------------------------------------------------------------------- */

/* A subproblem: channels idx[0..n-1] with bounds lo[i], hi[i] (finite). */
typedef struct Sub
{
	const MMPlanCurve *curves;
	const int  *idx;
	int			n;
	const double *lo;
	const double *hi;
	double		budget;
	gsl_root_fsolver *inner;
	double	   *buf;			/* receives s(lambda) */
	MMStatus	status;

	/*
	 * The tightest evaluated multipliers around the root: S(lamL) >= B >=
	 * S(lamU), with their allocations sL, sU and excesses gL, gU.  s(lambda)
	 * is non-increasing, so every later inversion is bracketed by them.
	 */
	double		lamL,
				lamU,
				gL,
				gU;
	double	   *sL;
	double	   *sU;
} Sub;

/*
 * R'(s) - lambda for the inversion.  The two bracket ends are evaluated
 * before the solver starts and again by gsl_root_fsolver_set: remember them.
 */
typedef struct Inv
{
	const MMPlanCurve *curve;
	double		lambda;
	double		s[2];
	double		d[2];
} Inv;

static double
inv_f(double s, void *p)
{
	Inv		   *inv = p;

	for (int i = 0; i < 2; i++)
		if (s == inv->s[i])
			return inv->d[i] - inv->lambda;
	return deriv_at(inv->curve, s) - inv->lambda;
}

/*
 * s(lambda) = clamp((R')^{-1}(lambda), lo, hi) for a concave curve: the
 * spend where the marginal return falls to lambda.
 */
static MMStatus
spend_at(const MMPlanCurve *curve, double lo, double hi, double lambda,
		 double known_dlo, double known_dhi, gsl_root_fsolver *solver, double *s)
{
	double		a = lo;
	double		dlo,
				dhi;
	Inv			inv = {curve, lambda, {NAN, NAN}, {0, 0}};
	gsl_function F = {inv_f, &inv};
	int			status;

	if (hi <= lo)
	{
		*s = lo;
		return MM_OK;
	}
	/* R' at an end that was an interior solution is that solve's lambda */
	dhi = isnan(known_dhi) ? deriv_at(curve, hi) : known_dhi;
	if (isnan(dhi))
		return MM_EOVRFLW;
	if (dhi >= lambda)
	{
		*s = hi;
		return MM_OK;
	}
	dlo = isnan(known_dlo) ? deriv_at(curve, lo) : known_dlo;
	if (isnan(dlo))
		return MM_EOVRFLW;
	if (dlo <= lambda)
	{
		*s = lo;
		return MM_OK;
	}
	if (!isfinite(dlo))
	{
		/* R'(lo) = +inf (power, Hill alpha < 1 at 0): start just above lo */
		a = lo + (hi - lo) * 1e-200;
		dlo = deriv_at(curve, a);
		if (!isfinite(dlo))
			return MM_EOVRFLW;
		if (dlo <= lambda)
		{
			*s = lo;
			return MM_OK;
		}
	}
	inv.s[0] = a;
	inv.d[0] = dlo;
	inv.s[1] = hi;
	inv.d[1] = dhi;
	status = gsl_root_fsolver_set(solver, &F, a, hi);
	if (status)
		return MM_EDOM;
	for (int it = 0; it < ROOT_MAX_ITER; it++)
	{
		double		xl,
					xu;

		status = gsl_root_fsolver_iterate(solver);
		if (status)
			return MM_EOVRFLW;
		xl = gsl_root_fsolver_x_lower(solver);
		xu = gsl_root_fsolver_x_upper(solver);
		/* relative to the spend itself: near 0, R' of Hill alpha < 1 is steep */
		if (xu - xl <= SPEND_RELTOL * xu)
			break;
	}
	*s = gsl_root_fsolver_root(solver);
	return MM_OK;
}

/* S(lambda) - B, filling sub->buf and tightening the tracked bracket. */
static double
excess_f(double lambda, void *p)
{
	Sub		   *sub = p;
	double		total = 0.0;
	/* s(lambda) <= sL when lambda > lamL, and >= sU when lambda < lamU */
	bool		belowL = isfinite(sub->lamL) && lambda > sub->lamL,
				aboveU = isfinite(sub->lamU) && lambda < sub->lamU;

	/* Brent re-evaluates its bracket ends: reuse them */
	if (lambda == sub->lamL || lambda == sub->lamU)
	{
		bool		left = lambda == sub->lamL;

		memcpy(sub->buf, left ? sub->sL : sub->sU, sizeof(double) * sub->n);
		return left ? sub->gL : sub->gU;
	}
	for (int i = 0; i < sub->n; i++)
	{
		double		a = aboveU ? fmax(sub->lo[i], sub->sU[i]) : sub->lo[i];
		double		b = belowL ? fmin(sub->hi[i], sub->sL[i]) : sub->hi[i];
		bool		a_inner = aboveU && a > sub->lo[i] && a < sub->hi[i];
		bool		b_inner = belowL && b > sub->lo[i] && b < sub->hi[i];
		MMStatus	st = spend_at(&sub->curves[sub->idx[i]], a, fmax(a, b), lambda,
								  a_inner ? sub->lamU : NAN, b_inner ? sub->lamL : NAN,
								  sub->inner, &sub->buf[i]);

		if (st != MM_OK)
		{
			sub->status = st;
			return NAN;
		}
		total += sub->buf[i];
	}
	total -= sub->budget;
	if (total >= 0 && lambda > sub->lamL)
	{
		sub->lamL = lambda;
		sub->gL = total;
		memcpy(sub->sL, sub->buf, sizeof(double) * sub->n);
	}
	if (total <= 0 && lambda < sub->lamU)
	{
		sub->lamU = lambda;
		sub->gU = total;
		memcpy(sub->sU, sub->buf, sizeof(double) * sub->n);
	}
	return total;
}

/*
 * Concave subproblem: out[i] receives the spend of channel idx[i].  Assumes
 * sum lo <= budget <= sum hi.  sa, sb are n-double scratch buffers.
 */
static MMStatus
solve_concave(Sub *sub, gsl_root_fsolver *outer, MMInterruptFn interrupt,
			  double *sa, double *sb, double *out, double *lambda, int *iters)
{
	int			n = sub->n;
	double		sum_lo = 0.0,
				sum_hi = 0.0,
				guess = 0.0;
	double		lam_lo,
				lam_hi,
				g_lo,
				g_hi,
				g,
				theta;
	int			found = 0;
	gsl_function F = {excess_f, sub};

	*iters = 0;
	for (int i = 0; i < n; i++)
	{
		sum_lo += sub->lo[i];
		sum_hi += sub->hi[i];
	}
	/* starting multiplier: the mean marginal return at the proportional fill */
	for (int i = 0; i < n; i++)
	{
		double		f = (sum_hi > sum_lo) ? (sub->budget - sum_lo) / (sum_hi - sum_lo) : 0.0;
		double		d = deriv_at(&sub->curves[sub->idx[i]],
								 sub->lo[i] + f * (sub->hi[i] - sub->lo[i]));

		if (isfinite(d) && d > 0)
		{
			guess += d;
			found++;
		}
	}
	guess = found ? guess / found : 1.0;

	/* bracket: excess(lam_lo) >= 0 >= excess(lam_hi) */
	sub->buf = out;
	sub->sL = sa;
	sub->sU = sb;
	sub->lamL = -INFINITY;
	sub->lamU = INFINITY;
	sub->status = MM_OK;
	/*
	 * Free bracket when every R' is finite on the bounds: at lambda =
	 * max R'(lo) every channel sits at lo, at lambda = min R'(hi) at hi.
	 */
	{
		double		dmax = -INFINITY,
					dmin = INFINITY;

		for (int i = 0; i < n && dmax < INFINITY; i++)
		{
			dmax = fmax(dmax, deriv_at(&sub->curves[sub->idx[i]], sub->lo[i]));
			dmin = fmin(dmin, deriv_at(&sub->curves[sub->idx[i]], sub->hi[i]));
		}
		if (isfinite(dmax) && isfinite(dmin) && dmin < dmax)
		{
			sub->lamU = dmax;
			sub->gU = sum_lo - sub->budget;
			memcpy(sub->sU, sub->lo, sizeof(double) * n);
			sub->lamL = dmin;
			sub->gL = sum_hi - sub->budget;
			memcpy(sub->sL, sub->hi, sizeof(double) * n);
			lam_lo = dmin;
			g_lo = sub->gL;
			lam_hi = dmax;
			g_hi = sub->gU;
			/* one evaluation at the guess halves the bracket's span in practice */
			if (guess > dmin && guess < dmax)
			{
				g = excess_f(guess, sub);
				if (sub->status != MM_OK)
					return sub->status;
				if (g >= 0)
				{
					lam_lo = guess;
					g_lo = g;
				}
				if (g <= 0)
				{
					lam_hi = guess;
					g_hi = g;
				}
			}
			goto bracketed;
		}
	}
	g = excess_f(guess, sub);
	if (sub->status != MM_OK)
		return sub->status;
	if (g >= 0)
	{
		lam_lo = guess;
		g_lo = g;
		lam_hi = guess;
		for (;;)
		{
			lam_hi *= 2;
			if (!isfinite(lam_hi))
				return MM_EOVRFLW;
			g_hi = excess_f(lam_hi, sub);
			if (sub->status != MM_OK)
				return sub->status;
			if (g_hi <= 0)
				break;
			lam_lo = lam_hi;
			g_lo = g_hi;
		}
	}
	else
	{
		lam_hi = guess;
		g_hi = g;
		lam_lo = guess;
		for (;;)
		{
			/* halve towards 0, then go negative (curves with R' < 0) */
			if (lam_lo > 1e-300)
				lam_lo /= 2;
			else if (lam_lo > 0)
				lam_lo = 0.0;
			else if (lam_lo == 0.0)
				lam_lo = -1e-300;
			else
				lam_lo *= 2;
			if (!isfinite(lam_lo))
				return MM_EOVRFLW;
			g_lo = excess_f(lam_lo, sub);
			if (sub->status != MM_OK)
				return sub->status;
			if (g_lo >= 0)
				break;
			lam_hi = lam_lo;
			g_hi = g_lo;
		}
	}

bracketed:
	if (g_lo != 0 && g_hi != 0)
	{
		if (gsl_root_fsolver_set(outer, &F, lam_lo, lam_hi))
			return MM_EDOM;
		for (int it = 0; it < ROOT_MAX_ITER; it++)
		{
			double		xl,
						xu;

			if (interrupt)
				interrupt();
			(*iters)++;
			if (gsl_root_fsolver_iterate(outer) || sub->status != MM_OK)
				return sub->status != MM_OK ? sub->status : MM_EOVRFLW;
			xl = gsl_root_fsolver_x_lower(outer);
			xu = gsl_root_fsolver_x_upper(outer);
			if (xu - xl <= LAMBDA_RELTOL * fmax(fabs(xl), fabs(xu)) ||
				xu - xl <= 4 * DBL_MIN)
				break;
		}
		lam_lo = gsl_root_fsolver_x_lower(outer);
		lam_hi = gsl_root_fsolver_x_upper(outer);
	}

	/*
	 * The bracket ends were evaluated: interpolate their allocations to sum
	 * to B exactly (this splits a flat stretch of R' by each channel's room).
	 */
	lam_lo = sub->lamL;
	lam_hi = sub->lamU;
	g_lo = sub->gL;
	g_hi = sub->gU;
	if (!isfinite(lam_lo) || !isfinite(lam_hi))
	{
		/* the root was hit exactly on one side only */
		double	   *src = isfinite(lam_lo) ? sa : sb;

		memcpy(out, src, sizeof(double) * n);
		*lambda = isfinite(lam_lo) ? lam_lo : lam_hi;
		return MM_OK;
	}
	theta = (g_lo - g_hi > 0) ? g_lo / (g_lo - g_hi) : 0.0;
	theta = fmin(1.0, fmax(0.0, theta));
	for (int i = 0; i < n; i++)
	{
		out[i] = sa[i] + theta * (sb[i] - sa[i]);
		out[i] = fmin(sub->hi[i], fmax(sub->lo[i], out[i]));
	}
	*lambda = lam_lo + theta * (lam_hi - lam_lo);
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Validation
 * ------------------------------------------------------------------- */

static MMStatus
check_bounds(const double *lower, const double *upper, int C, MMPlanResult *res)
{
	res->sum_lower = 0.0;
	res->sum_upper = 0.0;
	res->conflict = MM_PLAN_NO_CONFLICT;
	res->conflict_channel = -1;
	for (int c = 0; c < C; c++)
	{
		if (!isfinite(lower[c]) || lower[c] < 0 || isnan(upper[c]) || upper[c] < lower[c])
		{
			res->conflict = MM_PLAN_BAD_BOUND;
			res->conflict_channel = c;
			return MM_EINFEASIBLE;
		}
		res->sum_lower += lower[c];
		res->sum_upper += upper[c];
	}
	return MM_OK;
}

static void
init_result(MMPlanResult *res)
{
	memset(res, 0, sizeof(*res));
	res->lambda = NAN;
	res->kkt_residual = NAN;
	res->conflict_channel = -1;
}

/* ---------------------------------------------------------------------
 * Non-concave case: grid dynamic programme, then KKT polish
 * ------------------------------------------------------------------- */

static MMStatus
solve_grid(const MMPlanCurve *curves, const double *lower, const double *hi,
		   int C, double budget, double sum_lower, MMPlanWorkspace *ws,
		   double *spend, MMPlanResult *res)
{
	int			G = ws->grid > 0 ? ws->grid : MM_PLAN_DEFAULT_GRID;
	double		step = (budget - sum_lower) / G;
	double	   *prev = ws->dwork + 8L * C;
	double	   *cur = prev + (G + 1);
	double	   *vals = cur + (G + 1);
	int		   *choice = ws->iwork;
	int		   *idx = ws->iwork + (long) C * (G + 1);
	double	   *plo = ws->dwork + 3L * C;
	double	   *phi = ws->dwork + 4L * C;
	double	   *sa = ws->dwork + 5L * C;
	double	   *sb = ws->dwork + 6L * C;
	double	   *pout = ws->dwork + 7L * C;
	double		value_grid = 0.0,
				value_pol = 0.0,
				left,
				room = 0.0,
				lambda;
	int			b,
				nf = 0,
				iters = 0;
	Sub			sub;
	MMStatus	st;

	/* forward pass: prev[b] = best value of channels 0..c-1 using b steps */
	for (b = 0; b <= G; b++)
		prev[b] = (b == 0) ? 0.0 : -INFINITY;
	for (int c = 0; c < C; c++)
	{
		double		r0 = curves[c].fn(curves[c].arg, lower[c], NULL);
		int			K = (int) fmin((double) G, floor((hi[c] - lower[c]) / step + 1e-9));

		if (ws->interrupt)
			ws->interrupt();
		for (int k = 0; k <= K; k++)
		{
			vals[k] = curves[c].fn(curves[c].arg, lower[c] + k * step, NULL) - r0;
			if (!isfinite(vals[k]))
				return MM_EOVRFLW;
		}
		for (b = 0; b <= G; b++)
		{
			double		best = -INFINITY;
			int			arg = 0;
			int			kmax = b < K ? b : K;

			for (int k = 0; k <= kmax; k++)
			{
				double		v = prev[b - k] + vals[k];

				if (v > best)
				{
					best = v;
					arg = k;
				}
			}
			cur[b] = best;
			choice[(long) c * (G + 1) + b] = arg;
		}
		memcpy(prev, cur, sizeof(double) * (G + 1));
	}
	/* the full budget, or the most the floored grid reaches */
	for (b = G; b > 0 && prev[b] == -INFINITY; b--)
		;
	for (int c = C - 1; c >= 0; c--)
	{
		int			k = choice[(long) c * (G + 1) + b];

		spend[c] = lower[c] + k * step;
		b -= k;
	}
	/*
	 * Grid remainder (rounding, or floored steps): spread over the room of
	 * the funded channels, or of all channels when the funded have none.
	 */
	left = budget;
	for (int c = 0; c < C; c++)
	{
		left -= spend[c];
		if (spend[c] > lower[c])
			room += hi[c] - spend[c];
	}
	if (left > 0)
	{
		bool		any = room > 0;

		if (!any)
			for (int c = 0; c < C; c++)
				room += hi[c] - spend[c];
		for (int c = 0; c < C && room > 0; c++)
			if (!any || spend[c] > lower[c])
				spend[c] = fmin(hi[c], spend[c] + left * (hi[c] - spend[c]) / room);
	}
	for (int c = 0; c < C; c++)
		value_grid += curves[c].fn(curves[c].arg, spend[c], NULL);

	/*
	 * Polish: funded channels move on their decreasing-marginal branch (from
	 * the grid point where R' stops rising, walking left); the others stay at
	 * their lower bound.  That subproblem is concave.
	 */
	left = budget;
	for (int c = 0; c < C; c++)
	{
		double		s = spend[c];

		if (s <= lower[c])
		{
			left -= s;			/* unfunded: stays at its floor */
			continue;
		}
		while (s - step >= lower[c] &&
			   deriv_at(&curves[c], s - step) >= deriv_at(&curves[c], s))
			s -= step;
		idx[nf] = c;
		plo[nf] = s;
		phi[nf] = hi[c];
		nf++;
	}
	if (nf > 0)
	{
		double		plo_sum = 0.0;

		for (int i = 0; i < nf; i++)
			plo_sum += plo[i];
		sub.curves = curves;
		sub.idx = idx;
		sub.n = nf;
		sub.lo = plo;
		sub.hi = phi;
		sub.budget = left;
		sub.inner = ws->inner;
		if (plo_sum <= left)
		{
			st = solve_concave(&sub, ws->outer, ws->interrupt, sa, sb, pout, &lambda, &iters);
			if (st == MM_OK)
			{
				/* sb: the polished full allocation */
				for (int c = 0, i = 0; c < C; c++)
				{
					if (i < nf && idx[i] == c)
						sb[c] = pout[i++];
					else
						sb[c] = lower[c];
					value_pol += curves[c].fn(curves[c].arg, sb[c], NULL);
				}
				if (value_pol >= value_grid - 1e-12 * fabs(value_grid))
				{
					memcpy(spend, sb, sizeof(double) * C);
					res->method = MM_PLAN_GRID_POLISHED;
					res->lambda = lambda;
					res->value = value_pol;
					res->iterations = iters;
					return MM_OK;
				}
			}
		}
	}
	/* keep the grid optimum; its multiplier estimate is the funded median-ish mean */
	res->method = MM_PLAN_GRID;
	res->value = value_grid;
	{
		double		m = 0.0;
		int			k = 0;

		for (int c = 0; c < C; c++)
			if (spend[c] > lower[c] && spend[c] < hi[c])
			{
				m += deriv_at(&curves[c], spend[c]);
				k++;
			}
		res->lambda = k ? m / k : NAN;
	}
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Budget mode
 * ------------------------------------------------------------------- */

MMStatus
mm_plan_budget(const MMPlanCurve *curves, const double *lower, const double *upper,
			   int C, double budget, MMPlanWorkspace *ws, double *spend,
			   double *marginal, MMPlanResult *res)
{
	double	   *hi = ws->dwork;			/* effective upper bounds */
	double	   *lo = ws->dwork + C;		/* compact copies for the subproblem */
	int		   *idx = ws->iwork + (long) C * ((ws->grid > 0 ? ws->grid : MM_PLAN_DEFAULT_GRID) + 1);
	bool		concave = true;
	MMStatus	st;

	init_result(res);
	if (C <= 0)
		return MM_EDOM;
	if (!isfinite(budget) || budget < 0)
		return MM_EDOM;
	st = check_bounds(lower, upper, C, res);
	if (st != MM_OK)
		return st;
	if (res->sum_lower > budget * (1 + 1e-12))
	{
		res->conflict = MM_PLAN_MINS_ABOVE_BUDGET;
		return MM_EINFEASIBLE;
	}
	if (res->sum_upper < budget * (1 - 1e-12))
	{
		res->conflict = MM_PLAN_BUDGET_ABOVE_MAXS;
		return MM_EINFEASIBLE;
	}
	for (int c = 0; c < C; c++)
	{
		/*
		 * No channel can take more than its floor plus the free budget; cap
		 * an unbounded channel well above that, so that the cap never binds
		 * and lambda stays unique.
		 */
		hi[c] = fmin(upper[c], lower[c] + 2 * fmax(0.0, budget - res->sum_lower) + 1);
		concave = concave && curves[c].concave;
	}

	if (budget <= res->sum_lower || budget >= res->sum_upper)
	{
		bool		at_lo = budget <= res->sum_lower;
		double		lam = at_lo ? -INFINITY : INFINITY;

		for (int c = 0; c < C; c++)
		{
			spend[c] = at_lo ? lower[c] : upper[c];
			if (upper[c] > lower[c])
				lam = at_lo ? fmax(lam, deriv_at(&curves[c], spend[c]))
					: fmin(lam, deriv_at(&curves[c], spend[c]));
		}
		res->method = MM_PLAN_BOUNDS;
		res->lambda = isfinite(lam) ? lam : NAN;
	}
	else if (concave)
	{
		Sub			sub;

		for (int c = 0; c < C; c++)
		{
			idx[c] = c;
			lo[c] = lower[c];
		}
		sub.curves = curves;
		sub.idx = idx;
		sub.n = C;
		sub.lo = lo;
		sub.hi = hi;
		sub.budget = budget;
		sub.inner = ws->inner;
		st = solve_concave(&sub, ws->outer, ws->interrupt, ws->dwork + 2L * C,
						   ws->dwork + 3L * C, spend, &res->lambda, &res->iterations);
		if (st != MM_OK)
			return st;
		res->method = MM_PLAN_KKT;
	}
	else
	{
		st = solve_grid(curves, lower, hi, C, budget, res->sum_lower, ws, spend, res);
		if (st != MM_OK)
			return st;
	}

	res->value = 0.0;
	for (int c = 0; c < C; c++)
	{
		double		d;

		res->value += curves[c].fn(curves[c].arg, spend[c], &d);
		if (marginal)
			marginal[c] = d;
	}
	if (!isfinite(res->value))
		return MM_EOVRFLW;
	/* the certificate is checked against the user's bounds */
	res->kkt_residual = mm_plan_kkt_residual(curves, lower, hi, C, spend, res->lambda);
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Goal mode
 * ------------------------------------------------------------------- */

typedef struct GoalCtx
{
	const MMPlanCurve *curves;
	const double *lower;
	const double *upper;
	int			C;
	MMPlanGoal	goal;
	double		target;
	MMPlanWorkspace *ws;
	double	   *spend;
	MMPlanResult res;
	MMStatus	status;
} GoalCtx;

/* volume V(B) or ratio V(B)/B at budget B */
static double
goal_level(GoalCtx *g, double B)
{
	g->status = mm_plan_budget(g->curves, g->lower, g->upper, g->C, B, g->ws,
							   g->spend, NULL, &g->res);
	if (g->status != MM_OK)
		return NAN;
	return g->goal == MM_GOAL_VOLUME ? g->res.value : g->res.value / B;
}

static double
goal_f(double B, void *p)
{
	GoalCtx    *g = p;

	return goal_level(g, B) - g->target;
}

/* root of level(B) = target in [a, b] where the sign changes */
static MMStatus
goal_root(GoalCtx *g, double a, double b, double *root)
{
	gsl_function F = {goal_f, g};
	double		fa = goal_f(a, g),
				fb;

	if (g->status != MM_OK)
		return g->status;
	fb = goal_f(b, g);
	if (g->status != MM_OK)
		return g->status;
	if (fa == 0 || fb == 0 || (fa > 0) == (fb > 0))
	{
		*root = (fa == 0) ? a : b;
		return MM_OK;
	}
	if (gsl_root_fsolver_set(g->ws->goal, &F, a, b))
		return g->status != MM_OK ? g->status : MM_EDOM;
	for (int it = 0; it < ROOT_MAX_ITER; it++)
	{
		double		xl,
					xu;

		if (gsl_root_fsolver_iterate(g->ws->goal) || g->status != MM_OK)
			return g->status != MM_OK ? g->status : MM_EOVRFLW;
		xl = gsl_root_fsolver_x_lower(g->ws->goal);
		xu = gsl_root_fsolver_x_upper(g->ws->goal);
		if (xu - xl <= GOAL_RELTOL * xu)
			break;
	}
	/* the end of the bracket on the achieving side */
	{
		double		xl = gsl_root_fsolver_x_lower(g->ws->goal);
		double		xu = gsl_root_fsolver_x_upper(g->ws->goal);

		*root = (g->goal == MM_GOAL_VOLUME) ? xu : xl;
	}
	return MM_OK;
}

MMStatus
mm_plan_goal(const MMPlanCurve *curves, const double *lower, const double *upper,
			 int C, MMPlanGoal goal, double target, double max_budget,
			 MMPlanWorkspace *ws, double *spend, double *marginal,
			 MMPlanGoalResult *res)
{
	GoalCtx		g;
	double		blo,
				bhi,
				level,
				budget;
	bool		concave = true;
	MMStatus	st;

	memset(res, 0, sizeof(*res));
	init_result(&res->plan);
	if (C <= 0 || !isfinite(target) || target < 0 || isnan(max_budget) || max_budget < 0)
		return MM_EDOM;
	if (goal == MM_GOAL_RATIO && target <= 0)
		return MM_EDOM;
	st = check_bounds(lower, upper, C, &res->plan);
	if (st != MM_OK)
		return st;
	for (int c = 0; c < C; c++)
		concave = concave && curves[c].concave;
	blo = res->plan.sum_lower;
	bhi = fmin(max_budget, res->plan.sum_upper);
	if (!isfinite(bhi))
	{
		/*
		 * No cap at all: a volume target takes the first doubling of the
		 * budget that reaches it as the cap; a ratio target needs a cap.
		 */
		GoalCtx		probe = {curves, lower, upper, C, goal, target, ws, spend,
		{0}, MM_OK};
		double		b = fmax(1.0, 2 * blo);

		if (goal != MM_GOAL_VOLUME)
			return MM_EDOM;
		for (int i = 0; i < 200; i++, b *= 2)
		{
			double		v = goal_level(&probe, b);

			if (probe.status != MM_OK)
				return probe.status;
			if (v >= target)
				break;
		}
		bhi = b;
	}
	if (bhi <= 0 && target > 0)
	{
		res->plan.conflict = MM_PLAN_NO_BUDGET;
		return MM_EINFEASIBLE;
	}
	if (blo > bhi)
	{
		res->plan.conflict = MM_PLAN_MINS_ABOVE_BUDGET;
		return MM_EINFEASIBLE;
	}

	g.curves = curves;
	g.lower = lower;
	g.upper = upper;
	g.C = C;
	g.goal = goal;
	g.target = target;
	g.ws = ws;
	g.spend = spend;
	g.status = MM_OK;

	if (goal == MM_GOAL_VOLUME)
	{
		level = goal_level(&g, blo);
		if (g.status != MM_OK)
			return g.status;
		if (level >= target)
			budget = blo;		/* the floors already reach it */
		else
		{
			level = goal_level(&g, bhi);
			if (g.status != MM_OK)
				return g.status;
			if (level < target)
			{
				res->achievable = false;
				res->best = level;
				budget = bhi;
			}
			else
			{
				/* V(B) is non-decreasing when every R_c is */
				st = goal_root(&g, blo, bhi, &budget);
				if (st != MM_OK)
					return st;
			}
		}
	}
	else
	{
		/* ratio V(B)/B; at B = 0 take a tiny budget (the limit) */
		double		bmin = blo > 0 ? blo : bhi * 1e-9;

		level = goal_level(&g, bmin);
		if (g.status != MM_OK)
			return g.status;
		res->best = level;
		if (concave)
		{
			/* V concave with V(0) = 0: V(B)/B non-increasing */
			if (level < target)
			{
				res->achievable = false;
				budget = bmin;
			}
			else
			{
				res->achievable = true;
				if (goal_level(&g, bhi) >= target)
					budget = bhi;
				else if (g.status != MM_OK)
					return g.status;
				else
				{
					st = goal_root(&g, bmin, bhi, &budget);
					if (st != MM_OK)
						return st;
				}
			}
		}
		else
		{
			/* not monotone: scan budgets from the top, refine the first hit */
			double		best = level,
						best_b = bmin,
						found = -1.0;

			for (int k = RATIO_SCAN; k >= 0; k--)
			{
				double		b = bmin + (bhi - bmin) * k / RATIO_SCAN;
				double		r = goal_level(&g, b);

				if (g.status != MM_OK)
					return g.status;
				if (r > best)
				{
					best = r;
					best_b = b;
				}
				if (r >= target)
				{
					found = b;
					if (k < RATIO_SCAN)
					{
						st = goal_root(&g, b, bmin + (bhi - bmin) * (k + 1) / RATIO_SCAN,
									   &found);
						if (st != MM_OK)
							return st;
					}
					break;
				}
			}
			res->best = best;
			res->achievable = found >= 0;
			budget = res->achievable ? found : best_b;
		}
	}

	/* final solve at the chosen budget */
	st = mm_plan_budget(curves, lower, upper, C, budget, ws, spend, marginal, &res->plan);
	if (st != MM_OK)
		return st;
	res->budget = budget;
	res->achieved = goal == MM_GOAL_VOLUME ? res->plan.value
		: (budget > 0 ? res->plan.value / budget : NAN);
	if (goal == MM_GOAL_VOLUME)
	{
		res->achievable = res->plan.value >= target * (1 - 1e-9);
		res->best = res->plan.value;
	}
	return MM_OK;
}
