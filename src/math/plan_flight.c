/*
 * plan_flight.c: plans over flights and weeks (formulas.md §5.3).
 * See plan_flight.h for the methods.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "math/plan_flight.h"

#define MAX_SWEEPS		100
#define SWEEP_RELTOL	1e-12	/* block ascent stops when no flight moves more */
#define SMO_RELTOL		1e-9	/* KKT gap of the weekly exchanges, relative */
#define SMO_MAX_PER_UNIT 200	/* exchange budget per unit */
#define SMO_STEP_RELTOL	1e-6	/* line search: later exchanges correct the rest */

/*
 * Automatic mode keeps, per channel, the extremes of its weekly marginals
 * (l->ext[e * C + c]): only the two channels a move touches are rescanned.
 */
enum
{
	EXT_UP,						/* highest marginal */
	EXT_UP_T,					/* its week */
	EXT_DOWN,					/* lowest marginal among weeks with spend */
	EXT_DOWN_T,					/* its week, -1 when none */
	EXT_ABS,					/* largest |marginal| */
	EXT_N
};

/* dwork layout */
typedef struct Layout
{
	double	   *adst;			/* NT * H: adstocked spend of the horizon, per term */
	double	   *base;			/* NT * H */
	double	   *g;				/* NT * H */
	double	   *lo;				/* C */
	double	   *hi;				/* C */
	double	   *sk;				/* C */
	double	   *marg;			/* C */
	double	   *grad;			/* C * H: automatic mode marginals */
	double	   *prev;			/* C * K */
	double	   *ext;			/* EXT_N * C: automatic mode, each channel's extremes */
} Layout;

static int
n_terms(const MMPlanHorizon *h)
{
	return h->term_start[h->C];
}

long
mm_plan_horizon_doubles(const MMPlanHorizon *h)
{
	return 3L * n_terms(h) * h->H + 4L * h->C + (long) h->C * h->H + (long) h->C * h->K +
		(long) EXT_N * h->C;
}

static Layout
layout(const MMPlanHorizon *h, double *d)
{
	Layout		l;
	long		nth = (long) n_terms(h) * h->H;

	l.adst = d;
	l.base = l.adst + nth;
	l.g = l.base + nth;
	l.lo = l.g + nth;
	l.hi = l.lo + h->C;
	l.sk = l.hi + h->C;
	l.marg = l.sk + h->C;
	l.grad = l.marg + h->C;
	l.prev = l.grad + (long) h->C * h->H;
	l.ext = l.prev + (long) h->C * h->K;
	return l;
}

static double
carry_at(const MMPlanTerm *tm, int t)
{
	return tm->carry ? tm->carry[t] : 0.0;
}

/* s'(u) alone: the term's derivative callback when it has one */
double
mm_plan_term_sat_deriv(const MMPlanTerm *tm, double u)
{
	double		ds;

	if (tm->sat_deriv)
		return tm->sat_deriv(tm->sat_arg, u);
	(void) tm->sat(tm->sat_arg, u, &ds);
	return ds;
}

/* Within-flight share of period t for channel c (flat when automatic or empty). */
double
mm_plan_pattern_share(const MMPlanHorizon *h, int c, int k, int t)
{
	int			from = h->flight_from[k],
				to = h->flight_to[k];
	double		sum = 0.0;

	if (h->pattern)
	{
		for (int u = from; u < to; u++)
			sum += h->pattern[(long) c * h->H + u];
		if (sum > 0)
			return h->pattern[(long) c * h->H + t] / sum;
	}
	return 1.0 / (to - from);
}

/* ---------------------------------------------------------------------
 * Block curve: channel c's response to its total s in flight k
 * ------------------------------------------------------------------- */

/*
 * Channel c's block response at total s: the value into *value (when not
 * NULL) and R'(s) into *deriv (when not NULL).  Without a value only s' is
 * evaluated: the planner's inner loop.
 */
static void
block_eval(const MMPlanFlightCurve *fc, double s, double *value, double *deriv)
{
	const MMPlanHorizon *h = fc->h;
	double		v = 0.0,
				d = 0.0;

	for (int j = h->term_start[fc->c]; j < h->term_start[fc->c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];
		const double *base = fc->base + (long) j * h->H;
		const double *g = fc->g + (long) j * h->H;

		/*
		 * Weeks with the same input (a flat pattern's steady weeks) reuse the
		 * previous week's saturation instead of calling it again.
		 */
		double		prev_u = NAN,
					sv = 0.0,
					ds = 0.0;

		if (tm->coef == 0.0)
			continue;		/* no response, and no 0 * inf at a = 0 */

		for (int t = fc->t0; t < fc->t1; t++)
		{
			double		u;

			if (g[t] == 0.0)
				continue;
			u = (carry_at(tm, t) + base[t] + s * g[t]) / tm->scale;
			if (u != prev_u)
			{
				if (value)
					sv = tm->sat(tm->sat_arg, u, deriv ? &ds : NULL);
				else
					ds = mm_plan_term_sat_deriv(tm, u);
				prev_u = u;
			}
			if (value)
				v += tm->coef * sv;
			d += tm->coef * ds * g[t] / tm->scale;
		}
	}
	if (value)
		*value = v;
	if (deriv)
		*deriv = d;
}

static double
block_curve(const void *arg, double s, double *deriv)
{
	const MMPlanFlightCurve *fc = arg;
	double		v;

	block_eval(fc, s, &v, deriv);
	return v - fc->r0;
}

/* R'(s) of a block, without the value */
static double
block_marginal(const void *arg, double s)
{
	double		d;

	block_eval(arg, s, NULL, &d);
	return d;
}

/* g of channel c's terms: adstocked flight-k pattern of unit total */
static void
block_pattern(const MMPlanHorizon *h, const Layout *l, int c, int k, int *t1)
{
	int			from = h->flight_from[k],
				to = h->flight_to[k];

	*t1 = from;
	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];
		double	   *g = l->g + (long) j * h->H;

		memset(g, 0, sizeof(double) * h->H);
		for (int u = from; u < to; u++)
		{
			double		p = mm_plan_pattern_share(h, c, k, u);

			if (p == 0.0)
				continue;
			for (int lag = 0; lag < tm->L && u + lag < h->H; lag++)
				g[u + lag] += p * tm->w[lag];
		}
		for (int t = h->H - 1; t >= from; t--)
			if (g[t] != 0.0)
			{
				if (t + 1 > *t1)
					*t1 = t + 1;
				break;
			}
	}
}

/* Solve flight k exactly given the others (pattern spend). */
static MMStatus
solve_block(const MMPlanHorizon *h, const Layout *l, MMPlanWorkspace *ws,
			MMPlanCurve *curves, MMPlanFlightCurve *args, double *s,
			double *lambda, MMPlanHorizonResult *res, int k,
			MMPlanHorizonGoal *goal, double goal_cap)
{
	int			C = h->C,
				K = h->K;
	MMStatus	st;

	for (int c = 0; c < C; c++)
	{
		int			t1;
		bool		concave = true;

		block_pattern(h, l, c, k, &t1);
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			double	   *base = l->base + (long) j * h->H;
			const double *a = l->adst + (long) j * h->H;
			const double *g = l->g + (long) j * h->H;

			for (int t = 0; t < h->H; t++)
				base[t] = a[t] - s[c * K + k] * g[t];
			concave = concave && h->terms[j].concave;
		}
		args[c].h = h;
		args[c].c = c;
		args[c].k = k;
		args[c].base = l->base;
		args[c].g = l->g;
		args[c].t0 = h->flight_from[k];
		args[c].t1 = t1;
		args[c].r0 = 0.0;
		args[c].r0 = block_curve(&args[c], 0.0, NULL);	/* R(0) = 0 */
		curves[c].fn = block_curve;
		curves[c].dfn = block_marginal;
		curves[c].arg = &args[c];
		curves[c].concave = concave;
		l->lo[c] = h->lower[c * K + k];
		l->hi[c] = h->upper[c * K + k];
	}
	/*
	 * base must not be rebuilt while the curves are live, and g is per
	 * channel's own terms, so both buffers hold every channel at once.
	 */
	if (goal)
	{
		MMPlanGoalResult gr;

		st = mm_plan_goal(curves, l->lo, l->hi, C, goal->goal, goal->target[k], goal_cap,
						  ws, l->sk, l->marg, &gr);
		res->plan = gr.plan;
		if (st == MM_OK)
		{
			goal->budget[k] = gr.budget;
			goal->achievable[k] = gr.achievable;
			goal->achieved[k] = gr.achieved;
			goal->best[k] = gr.best;
		}
	}
	else
		st = mm_plan_budget(curves, l->lo, l->hi, C, h->budget[k], ws, l->sk, l->marg,
							&res->plan);
	if (st != MM_OK)
	{
		res->flight = k;
		return st;
	}
	for (int c = 0; c < C; c++)
	{
		/* adst = base + new s * g */
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			double	   *a = l->adst + (long) j * h->H;
			const double *base = l->base + (long) j * h->H;
			const double *g = l->g + (long) j * h->H;

			for (int t = 0; t < h->H; t++)
				a[t] = base[t] + l->sk[c] * g[t];
		}
		s[c * K + k] = l->sk[c];
	}
	lambda[k] = res->plan.lambda;
	res->kkt_residual = fmax(res->kkt_residual, res->plan.kkt_residual);
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Automatic mode: weekly units, maximal-violating-pair exchanges
 * ------------------------------------------------------------------- */

typedef struct Move
{
	int			ci,
				ti,
				cj,
				tj;
} Move;

/* adstocked input of term j at period u after moving delta from (cj,tj) to (ci,ti) */
static double
shifted(const MMPlanHorizon *h, const Layout *l, int c, int j, int u,
		const Move *m, double delta)
{
	const MMPlanTerm *tm = &h->terms[j];
	double		a = l->adst[(long) j * h->H + u] + carry_at(tm, u);

	if (c == m->ci && u - m->ti >= 0 && u - m->ti < tm->L)
		a += delta * tm->w[u - m->ti];
	if (c == m->cj && u - m->tj >= 0 && u - m->tj < tm->L)
		a -= delta * tm->w[u - m->tj];
	return fmax(0.0, a);		/* emptying a week may round below 0 */
}

/* marginal return of unit (c, t) after the move of delta */
static double
unit_grad(const MMPlanHorizon *h, const Layout *l, int c, int t, const Move *m,
		  double delta)
{
	double		gsum = 0.0;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];

		if (tm->coef == 0.0)
			continue;		/* no response, and no 0 * inf at a = 0 */

		for (int lag = 0; lag < tm->L && t + lag < h->H; lag++)
		{
			double		ds;

			if (tm->w[lag] == 0.0)
				continue;
			ds = mm_plan_term_sat_deriv(tm, shifted(h, l, c, j, t + lag, m, delta) / tm->scale);
			gsum += tm->coef * tm->w[lag] * ds / tm->scale;
		}
	}
	return gsum;
}

typedef struct PairCtx
{
	const MMPlanHorizon *h;
	const Layout *l;
	Move		m;
	double		d[2];			/* remembered slopes, at delta = x[0], x[1] */
	double		x[2];
} PairCtx;

static double
pair_slope(double delta, void *p)
{
	PairCtx    *pc = p;

	for (int i = 0; i < 2; i++)
		if (delta == pc->x[i])
			return pc->d[i];
	return unit_grad(pc->h, pc->l, pc->m.ci, pc->m.ti, &pc->m, delta)
		- unit_grad(pc->h, pc->l, pc->m.cj, pc->m.tj, &pc->m, delta);
}

static int
max_lag(const MMPlanHorizon *h, int c)
{
	int			L = 1;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		if (h->terms[j].L > L)
			L = h->terms[j].L;
	return L;
}

static bool
channel_concave(const MMPlanHorizon *h, int c)
{
	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		if (!h->terms[j].concave)
			return false;
	return true;
}

/* response of channel c's periods [u0, u1) after the move of delta, minus before */
static double
window_gain(const MMPlanHorizon *h, const Layout *l, int c, int u0, int u1,
			const Move *m, double delta)
{
	double		gain = 0.0;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];

		if (tm->coef == 0.0)
			continue;		/* no response, and no 0 * inf at a = 0 */

		for (int u = u0; u < u1 && u < h->H; u++)
			gain += tm->coef *
				(tm->sat(tm->sat_arg, shifted(h, l, c, j, u, m, delta) / tm->scale, NULL) -
				 tm->sat(tm->sat_arg, shifted(h, l, c, j, u, m, 0.0) / tm->scale, NULL));
	}
	return gain;
}

/* exact change of the objective when the move of delta is made */
static double
pair_gain(const MMPlanHorizon *h, const Layout *l, const Move *m, double delta)
{
	int			L = max_lag(h, m->ci);

	if (m->ci == m->cj)
	{
		/* one channel: the periods either end reaches, once */
		int			lo = m->ti < m->tj ? m->ti : m->tj,
					hi = m->ti < m->tj ? m->tj : m->ti;

		if (hi - lo >= L)
			return window_gain(h, l, m->ci, lo, lo + L, m, delta) +
				window_gain(h, l, m->ci, hi, hi + L, m, delta);
		return window_gain(h, l, m->ci, lo, hi + L, m, delta);
	}
	return window_gain(h, l, m->ci, m->ti, m->ti + L, m, delta) +
		window_gain(h, l, m->cj, m->tj, m->tj + max_lag(h, m->cj), m, delta);
}

/*
 * With an S-curve the line search may stop at a root of the slope where the
 * objective is lower (a local minimum along the line, or past one): halve
 * the step until the objective rises, so every exchange is an ascent.  The
 * slope at 0 is positive, so a small enough step always is; 0 when rounding
 * hides the gain.  Concave pairs need no check (the root is the maximum).
 */
static double
ascent_step(const MMPlanHorizon *h, const Layout *l, const Move *m, double delta)
{
	if (delta <= 0 || (channel_concave(h, m->ci) && channel_concave(h, m->cj)))
		return delta;
	for (int r = 0; r < 40; r++, delta *= 0.5)
		if (pair_gain(h, l, m, delta) > 0)
			return delta;
	return 0.0;
}

static void
apply_move(const MMPlanHorizon *h, const Layout *l, const Move *m, double delta,
		   double *x)
{
	for (int side = 0; side < 2; side++)
	{
		int			c = side ? m->cj : m->ci,
					t0 = side ? m->tj : m->ti;
		double		amt = side ? -delta : delta;

		x[(long) c * h->H + t0] += amt;
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];

			if (tm->coef == 0.0)
				continue;		/* no response, and no 0 * inf at a = 0 */

			for (int lag = 0; lag < tm->L && t0 + lag < h->H; lag++)
				l->adst[(long) j * h->H + t0 + lag] += amt * tm->w[lag];
		}
	}
	x[(long) m->cj * h->H + m->tj] = fmax(0.0, x[(long) m->cj * h->H + m->tj]);
}

/* l->base holds s'(a_u) per term during the weekly exchanges */
static void
refresh_sd(const MMPlanHorizon *h, const Layout *l, int c, int u0, int u1)
{
	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];

		if (tm->coef == 0.0)
			continue;		/* no response, and no 0 * inf at a = 0 */

		for (int u = (u0 > 0 ? u0 : 0); u < u1 && u < h->H; u++)
			l->base[(long) j * h->H + u] =
				mm_plan_term_sat_deriv(tm, fmax(0.0, l->adst[(long) j * h->H + u] + carry_at(tm, u)) / tm->scale);
	}
}

/* marginal of unit (c, t) from the cached s' values */
static double
cached_grad(const MMPlanHorizon *h, const Layout *l, int c, int t)
{
	double		gsum = 0.0;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];
		double		m = 0.0;

		if (tm->coef == 0.0)
			continue;		/* no response, and no 0 * inf at a = 0 */

		for (int lag = 0; lag < tm->L && t + lag < h->H; lag++)
			m += tm->w[lag] * l->base[(long) j * h->H + t + lag];
		gsum += tm->coef * m / tm->scale;
	}
	return gsum;
}

static void
refresh_grads(const MMPlanHorizon *h, const Layout *l, int c, int t, int from, int to)
{
	int			L = max_lag(h, c);

	refresh_sd(h, l, c, t, t + L);
	for (int u = (t - L + 1 > from ? t - L + 1 : from); u < to && u < t + L; u++)
		l->grad[(long) c * h->H + u] = cached_grad(h, l, c, u);
}

/* l->ext for channel c from its cached weekly marginals in [from, to) */
static void
channel_extremes(const MMPlanHorizon *h, const Layout *l, const double *x, int c,
				 int from, int to)
{
	int			C = h->C,
				tu = -1,
				td = -1;
	double		cu = -INFINITY,
				cd = INFINITY,
				amax = 0.0;

	for (int t = from; t < to; t++)
	{
		double		gr = l->grad[(long) c * h->H + t];

		amax = fmax(amax, fabs(gr));
		if (gr > cu)
		{
			cu = gr;
			tu = t;
		}
		if (x[(long) c * h->H + t] > 0 && gr < cd)
		{
			cd = gr;
			td = t;
		}
	}
	l->ext[EXT_UP * C + c] = cu;
	l->ext[EXT_UP_T * C + c] = tu;
	l->ext[EXT_DOWN * C + c] = cd;
	l->ext[EXT_DOWN_T * C + c] = td;
	l->ext[EXT_ABS * C + c] = amax;
}

/* every channel's s' cache, weekly marginals and extremes from scratch */
static void
refresh_all(const MMPlanHorizon *h, const Layout *l, const double *x, int from, int to)
{
	for (int c = 0; c < h->C; c++)
	{
		refresh_sd(h, l, c, 0, h->H);
		for (int t = from; t < to; t++)
			l->grad[(long) c * h->H + t] = cached_grad(h, l, c, t);
		channel_extremes(h, l, x, c, from, to);
	}
}

static MMStatus
solve_weekly(const MMPlanHorizon *h, const Layout *l, MMPlanWorkspace *ws,
			 double *x, double *s, double *lambda, MMPlanHorizonResult *res, int k)
{
	int			C = h->C,
				K = h->K,
				from = h->flight_from[k],
				to = h->flight_to[k];
	long		units = (long) C * (to - from);
	long		max_moves = SMO_MAX_PER_UNIT * units;
	double		gap_rel = 0.0;
	bool		refreshed = false;

	refresh_all(h, l, x, from, to);
	for (long it = 0;; it++)
	{
		double		up = -INFINITY,
					down = INFINITY,
					best_gap = 0.0,
					scale = 0.0,
					dmax,
					delta;
		int			iu = -1,
					id = -1;
		Move		m = {-1, 0, -1, 0};
		PairCtx		pc;

		if (ws->interrupt && it % 1024 == 0)
			ws->interrupt();
		/* cross-channel candidates */
		for (int c = 0; c < C; c++)
		{
			double		tot = s[c * K + k];
			bool		can_up = tot < h->upper[c * K + k];
			bool		can_down = tot > h->lower[c * K + k];
			double		cu = l->ext[EXT_UP * C + c],
						cd = l->ext[EXT_DOWN * C + c];
			int			tu = (int) l->ext[EXT_UP_T * C + c],
						td = (int) l->ext[EXT_DOWN_T * C + c];

			scale = fmax(scale, l->ext[EXT_ABS * C + c]);
			/* within-channel pair: always movable */
			if (td >= 0 && cu - cd > best_gap)
			{
				best_gap = cu - cd;
				m = (Move) {c, tu, c, td};
			}
			if (can_up && cu > up)
			{
				up = cu;
				iu = c * h->H + tu;
			}
			if (can_down && td >= 0 && cd < down)
			{
				down = cd;
				id = c * h->H + td;
			}
		}
		if (iu >= 0 && id >= 0 && up - down > best_gap)
		{
			best_gap = up - down;
			m = (Move) {iu / h->H, iu % h->H, id / h->H, id % h->H};
		}
		gap_rel = scale > 0 ? best_gap / scale : 0.0;
		if (m.ci < 0 || gap_rel <= SMO_RELTOL || it >= max_moves)
		{
			res->exchanges += it;
			break;
		}

		dmax = x[(long) m.cj * h->H + m.tj];
		if (m.ci != m.cj)
		{
			dmax = fmin(dmax, h->upper[m.ci * K + k] - s[m.ci * K + k]);
			dmax = fmin(dmax, s[m.cj * K + k] - h->lower[m.cj * K + k]);
		}
		pc.h = h;
		pc.l = l;
		pc.m = m;
		pc.x[0] = pc.x[1] = NAN;
		if (dmax > 0)
		{
			pc.d[0] = pair_slope(0.0, &pc);
			pc.x[0] = 0.0;
			pc.d[1] = pair_slope(dmax, &pc);
			pc.x[1] = dmax;
		}
		if (dmax <= 0)
			delta = 0;
		else if (pc.d[0] <= 0)
		{
			/* cached marginals drifted from rounding: refresh them once */
			if (refreshed)
				delta = 0;
			else
			{
				refresh_all(h, l, x, from, to);
				refreshed = true;
				continue;
			}
		}
		else if (pc.d[1] >= 0)
			delta = dmax;
		else
		{
			gsl_function F = {pair_slope, &pc};
			double		a = 0.0,
						b = dmax,
						fa = pc.d[0],
						fb = pc.d[1];

			/*
			 * Emptying a week can make its marginal infinite (power or Hill
			 * alpha < 1 at 0): pull the far end in until the slope is finite.
			 */
			for (int r = 0; r < 200 && !isfinite(fb); r++)
			{
				double		mid = 0.5 * (a + b),
							fm = pair_slope(mid, &pc);

				if (isfinite(fm) && fm >= 0)
				{
					a = mid;
					fa = fm;
				}
				else
				{
					b = mid;
					fb = fm;
				}
			}
			if (!isfinite(fb))
				return MM_EOVRFLW;
			pc.x[0] = a;
			pc.d[0] = fa;
			pc.x[1] = b;
			pc.d[1] = fb;
			if (gsl_root_fsolver_set(ws->inner, &F, a, b))
				return MM_ENOCONV;
			for (int r = 0; r < 100; r++)
			{
				double		a,
							b;

				if (gsl_root_fsolver_iterate(ws->inner))
					return MM_EOVRFLW;
				a = gsl_root_fsolver_x_lower(ws->inner);
				b = gsl_root_fsolver_x_upper(ws->inner);
				if (b - a <= SMO_STEP_RELTOL * b)
					break;
			}
			delta = gsl_root_fsolver_root(ws->inner);
		}
		delta = ascent_step(h, l, &m, delta);
		if (delta <= 0)
		{
			/* the best pair cannot move (bound reached exactly): stop */
			res->exchanges += it;
			break;
		}
		refreshed = false;
		apply_move(h, l, &m, delta, x);
		if (m.ci != m.cj)
		{
			s[m.ci * K + k] += delta;
			s[m.cj * K + k] -= delta;
		}
		refresh_grads(h, l, m.ci, m.ti, from, to);
		refresh_grads(h, l, m.cj, m.tj, from, to);
		channel_extremes(h, l, x, m.ci, from, to);
		if (m.cj != m.ci)
			channel_extremes(h, l, x, m.cj, from, to);
	}

	/* certificate: the common marginal of units that can move both ways */
	{
		double		sum = 0.0;
		int			n = 0;

		for (int c = 0; c < C; c++)
			for (int t = from; t < to; t++)
				if (x[(long) c * h->H + t] > 0 &&
					s[c * K + k] > h->lower[c * K + k] && s[c * K + k] < h->upper[c * K + k])
				{
					sum += l->grad[(long) c * h->H + t];
					n++;
				}
		lambda[k] = n ? sum / n : NAN;
	}
	res->kkt_residual = fmax(res->kkt_residual, gap_rel);
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Driver
 * ------------------------------------------------------------------- */

MMStatus
mm_plan_horizon_budget(const MMPlanHorizon *h, MMPlanWorkspace *ws, double *dwork,
					   MMPlanCurve *curves, MMPlanFlightCurve *args, double *x,
					   double *s, double *lambda, MMPlanHorizonResult *res)
{
	Layout		l = layout(h, dwork);
	int			C = h->C,
				K = h->K,
				NT = n_terms(h);
	double		total_budget = 0.0;
	MMStatus	st;

	memset(res, 0, sizeof(*res));
	res->flight = -1;
	if (h->H <= 0 || C <= 0 || K <= 0)
		return MM_EDOM;
	for (int k = 0; k < K; k++)
	{
		if (h->flight_from[k] < 0 || h->flight_to[k] <= h->flight_from[k] ||
			h->flight_to[k] > h->H || (k > 0 && h->flight_from[k] < h->flight_to[k - 1]))
			return MM_EDOM;
		total_budget += h->budget[k];
	}
	for (int j = 0; j < NT; j++)
		if (!(h->terms[j].scale > 0) || h->terms[j].L <= 0)
			return MM_EDOM;

	memset(l.adst, 0, sizeof(double) * NT * h->H);
	memset(s, 0, sizeof(double) * C * K);

	/* pattern spend (flat when automatic): block coordinate ascent */
	for (int sweep = 0; sweep < MAX_SWEEPS; sweep++)
	{
		double		moved = 0.0;

		memcpy(l.prev, s, sizeof(double) * C * K);
		res->kkt_residual = 0.0;
		for (int k = 0; k < K; k++)
		{
			st = solve_block(h, &l, ws, curves, args, s, lambda, res, k, NULL, 0.0);
			if (st != MM_OK)
				return st;
		}
		res->sweeps = sweep + 1;
		for (int i = 0; i < C * K; i++)
			moved = fmax(moved, fabs(s[i] - l.prev[i]));
		if (K == 1 || moved <= SWEEP_RELTOL * total_budget)
			break;
	}

	/* weekly spend of the pattern solution */
	memset(x, 0, sizeof(double) * C * h->H);
	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
				x[(long) c * h->H + t] = s[c * K + k] * mm_plan_pattern_share(h, c, k, t);

	if (h->pattern == NULL)
	{
		/* adst now must match x exactly (rebuild to shed rounding) */
		memset(l.adst, 0, sizeof(double) * NT * h->H);
		for (int c = 0; c < C; c++)
			for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];

				for (int t = 0; t < h->H; t++)
					for (int lag = 0; lag < tm->L && t + lag < h->H; lag++)
						l.adst[(long) j * h->H + t + lag] += tm->w[lag] * x[(long) c * h->H + t];
			}
		for (int sweep = 0; sweep < MAX_SWEEPS; sweep++)
		{
			double		moved = 0.0;

			memcpy(l.prev, s, sizeof(double) * C * K);
			res->kkt_residual = 0.0;
			for (int k = 0; k < K; k++)
			{
				st = solve_weekly(h, &l, ws, x, s, lambda, res, k);
				if (st != MM_OK)
					return st;
			}
			res->sweeps++;
			for (int i = 0; i < C * K; i++)
				moved = fmax(moved, fabs(s[i] - l.prev[i]));
			if (K == 1 || (moved <= SWEEP_RELTOL * total_budget && sweep > 0))
				break;
		}
	}
	res->value = mm_plan_horizon_response(h, x, NULL, NULL);
	return MM_OK;
}

double
mm_plan_horizon_response(const MMPlanHorizon *h, const double *x, double *incr,
						 double *total)
{
	double		sum = 0.0;

	if (incr)
		memset(incr, 0, sizeof(double) * h->C * h->H);
	if (total)
		memset(total, 0, sizeof(double) * h->C * h->H);
	for (int c = 0; c < h->C; c++)
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];

			if (tm->coef == 0.0)
				continue;		/* no response, and no 0 * inf at a = 0 */

			for (int t = 0; t < h->H; t++)
			{
				double		a = 0.0,
							c0 = carry_at(tm, t),
							with,
							without;

				for (int lag = 0; lag < tm->L && lag <= t; lag++)
					a += tm->w[lag] * x[(long) c * h->H + t - lag];
				with = tm->coef * tm->sat(tm->sat_arg, (c0 + a) / tm->scale, NULL);
				without = tm->coef * tm->sat(tm->sat_arg, c0 / tm->scale, NULL);
				if (incr)
					incr[(long) c * h->H + t] += with - without;
				if (total)
					total[(long) c * h->H + t] += with;
				sum += with - without;
			}
		}
	return sum;
}

void
mm_plan_horizon_marginals(const MMPlanHorizon *h, const double *x, double *ds_buf,
						  double *out)
{
	memset(out, 0, sizeof(double) * h->C * h->H);
	for (int c = 0; c < h->C; c++)
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];

			if (tm->coef == 0.0)
				continue;		/* no response, and no 0 * inf at a = 0 */

			/* s'(a_u) once per period, then each period's lags */
			for (int u = 0; u < h->H; u++)
			{
				double		a = carry_at(tm, u);

				for (int lag = 0; lag < tm->L && lag <= u; lag++)
					a += tm->w[lag] * x[(long) c * h->H + u - lag];
				ds_buf[u] = mm_plan_term_sat_deriv(tm, a / tm->scale);
			}
			for (int t = 0; t < h->H; t++)
			{
				double		m = 0.0;

				for (int lag = 0; lag < tm->L && t + lag < h->H; lag++)
					if (tm->w[lag] != 0.0)
						m += tm->w[lag] * ds_buf[t + lag];
				out[(long) c * h->H + t] += tm->coef * m / tm->scale;
			}
		}
}

MMStatus
mm_plan_horizon_goal(const MMPlanHorizon *h, MMPlanWorkspace *ws, double *dwork,
					 MMPlanCurve *curves, MMPlanFlightCurve *args,
					 MMPlanHorizonGoal *goal, double *x, double *s, double *lambda,
					 MMPlanHorizonResult *res)
{
	Layout		l = layout(h, dwork);
	int			C = h->C,
				K = h->K,
				NT = n_terms(h);
	double		spent = 0.0;
	MMStatus	st;

	memset(res, 0, sizeof(*res));
	res->flight = -1;
	if (h->H <= 0 || C <= 0 || K <= 0 || isnan(goal->max_total) || goal->max_total < 0)
		return MM_EDOM;
	for (int k = 0; k < K; k++)
		if (h->flight_from[k] < 0 || h->flight_to[k] <= h->flight_from[k] ||
			h->flight_to[k] > h->H || (k > 0 && h->flight_from[k] < h->flight_to[k - 1]))
			return MM_EDOM;
	memset(l.adst, 0, sizeof(double) * NT * h->H);
	memset(s, 0, sizeof(double) * C * K);
	for (int k = 0; k < K; k++)
	{
		double		room = 0.0,
					cap;

		for (int c = 0; c < C; c++)
			room += h->upper[c * K + k];
		/* what is left of the total cap, and never more than the channels take */
		cap = fmin(fmax(0.0, goal->max_total - spent), room);
		st = solve_block(h, &l, ws, curves, args, s, lambda, res, k, goal, cap);
		if (st != MM_OK)
			return st;
		spent += goal->budget[k];
	}
	memset(x, 0, sizeof(double) * C * h->H);
	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
				x[(long) c * h->H + t] = s[c * K + k] * mm_plan_pattern_share(h, c, k, t);
	res->sweeps = 1;
	res->value = mm_plan_horizon_response(h, x, NULL, NULL);
	return MM_OK;
}
