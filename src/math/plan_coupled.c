/*
 * plan_coupled.c: budget plans for multiplicative models (formulas.md §2.2,
 * §5.3).  See plan_coupled.h for the model, the method and the certificates.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <lapacke.h>

#include "math/decompose.h"
#include "math/plan_coupled.h"

#define SMO_RELTOL		1e-10	/* stop: largest pair gap relative to the largest marginal */
#define LINE_RELTOL		1e-13	/* line search bracket, relative to the step bound */
#define AGREE_RELTOL	1e-8	/* starts agree: value within this of the best increment */
#define FREE_RELTOL		1e-9	/* a total this close (x flight budget) to a bound is at it */
#define CONCAVE_RELTOL	1e-8	/* largest reduced Hessian eigenvalue counted as <= 0 */

typedef struct Problem
{
	const MMPlanHorizon *h;
	const double *base;
	MMPlanWorkspace *ws;
	int			NT,
				n;				/* C * K unknowns */
	double	   *gk;				/* NT * K * H: adstocked unit pattern of flight k, per term */
	double	   *u;				/* NT * H: adstocked input at totals held, carry included */
	double	   *val;			/* NT * H: coef s(u / scale) */
	double	   *slope;			/* NT * H: s'(u / scale) from the first flight on, NaN when stale */
	double	   *held;			/* n: the totals u and val are valid for */
	double	   *held_ok;		/* C: 1 when channel c's terms are valid for held */
	double	   *y;				/* H: yhat of the current point */
	double	   *line_y;			/* H: y at a line-search sample (line_mark) */
	double	   *line_g;			/* H: dG_t/ddelta there */
	double	   *grad;			/* n */
	double	   *cur;			/* n */
	double	   *best;			/* n */
	double	   *trial;			/* n */
	double	   *ev;				/* n */
	double	   *fa;				/* n: free unknowns, then reduced-direction ends */
	double	   *fb;				/* 2 n: (a, first) index pairs of the reduced directions */
	double	   *hess;			/* n * n */
	double	   *red;			/* n * n */
} Problem;

long
mm_plan_coupled_doubles(const MMPlanHorizon *h)
{
	long		NT = h->term_start[h->C],
				n = (long) h->C * h->K;

	return NT * h->K * h->H + 3 * NT * h->H + h->C + 3 * h->H + 9 * n + 2 * n * n;
}

static double
carry_of(const MMPlanTerm *tm, int t)
{
	return tm->carry ? tm->carry[t] : 0.0;
}

/* channel c's upper bound in flight k, never above the flight budget */
static double
upper_of(const MMPlanHorizon *h, int c, int k)
{
	return fmin(h->upper[c * h->K + k], h->budget[k]);
}

static double
lower_of(const MMPlanHorizon *h, int c, int k)
{
	return h->lower[c * h->K + k];
}

/*
 * The objective is evaluated incrementally: a pair exchange moves two
 * channels, so each term keeps its adstocked input u, its log-KPI value
 * coef s(u / scale) and its slope s'(u / scale) per week, valid for the
 * flight totals in P->held.  An evaluation recomputes only the channels whose
 * totals differ from those, there only the weeks whose input changed (the
 * weeks the moved flights reach), and slopes only where a gradient needs
 * them; a week whose input repeats the previous week's reuses its value and
 * slope.
 * Every quantity is computed by the same expression, and G_t summed over the
 * terms in the same order, as a whole re-evaluation would: the results are
 * bit-identical to it.
 */

/*
 * Whether week t's input equals week t - 1's bit for bit: then so do its
 * value and slope (the steady weeks of a flat flight past the carry-in).
 */
static bool
same_input(const double *u, int t)
{
	return t > 0 && memcmp(&u[t], &u[t - 1], sizeof(double)) == 0;
}

/* channel c's terms at totals s: u and values of the weeks whose input changed (their slopes NaN: stale) */
static void
refresh_channel(Problem *P, const double *s, int c)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K;
	bool		held = P->held_ok[c] != 0.0;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];
		double	   *u = P->u + (long) j * H,
				   *val = P->val + (long) j * H;

		for (int t = 0; t < H; t++)
		{
			double		ut = carry_of(tm, t);

			for (int k = 0; k < K; k++)
				ut += s[c * K + k] * P->gk[((long) j * K + k) * H + t];
			if (held && memcmp(&ut, &u[t], sizeof(double)) == 0)
				continue;		/* a week the move does not reach */
			u[t] = ut;
			P->slope[(long) j * H + t] = NAN;
			if (tm->coef == 0.0)
				continue;
			if (same_input(u, t))
				val[t] = val[t - 1];
			else
				val[t] = tm->coef * tm->sat(tm->sat_arg, fmax(0.0, u[t]) / tm->scale, NULL);
		}
	}
	memcpy(P->held + c * K, s + c * K, sizeof(double) * K);
	P->held_ok[c] = 1.0;
}

/* dV/ds_ck for every flight k of channel c, from P->y */
static void
channel_gradient(Problem *P, int c, double *grad)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K;

	for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
	{
		const MMPlanTerm *tm = &h->terms[j];
		double	   *ds = P->slope + (long) j * H;

		if (tm->coef == 0.0)
			continue;
		for (int t = h->flight_from[0]; t < H; t++)
			if (isnan(ds[t]))
				ds[t] = t > h->flight_from[0] && same_input(P->u + (long) j * H, t) ? ds[t - 1] :
					mm_plan_term_sat_deriv(tm, fmax(0.0, P->u[(long) j * H + t]) / tm->scale);
	}
	for (int k = 0; k < K; k++)
	{
		double		d = 0.0;

		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];
			const double *g = P->gk + ((long) j * K + k) * H;

			if (tm->coef == 0.0)
				continue;	/* no response, and no 0 * inf at a = 0 */
			for (int t = h->flight_from[k]; t < H; t++)
				if (g[t] != 0.0)
					d += P->y[t] * tm->coef * g[t] * P->slope[(long) j * H + t] / tm->scale;
		}
		grad[c * K + k] = d;
	}
}

/* y[t] = sum of the terms' values in week t, added in term order */
static void
sum_terms(Problem *P)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H;

	memset(P->y, 0, sizeof(double) * H);
	for (int j = 0; j < P->NT; j++)
		if (h->terms[j].coef != 0.0)
		{
			const double *val = P->val + (long) j * H;

			for (int t = 0; t < H; t++)
				P->y[t] += val[t];
		}
}

/*
 * V(s) = sum_t yhat_t, filling P->u and P->y; grad (may be NULL) dV/ds, of
 * every channel when only_c < 0, else of channels only_c and only_d alone.
 */
static double
evaluate_some(Problem *P, const double *s, double *grad, int only_c, int only_d)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K;
	double		V = 0.0;

	for (int c = 0; c < h->C; c++)
		if (P->held_ok[c] == 0.0 || memcmp(P->held + c * K, s + c * K, sizeof(double) * K) != 0)
			refresh_channel(P, s, c);
	sum_terms(P);
	for (int t = 0; t < H; t++)
	{
		P->y[t] = P->base[t] * exp(P->y[t]);
		V += P->y[t];
	}
	if (grad == NULL)
		return V;
	if (only_c >= 0)
	{
		channel_gradient(P, only_c, grad);
		channel_gradient(P, only_d, grad);
	}
	else
		for (int c = 0; c < h->C; c++)
			channel_gradient(P, c, grad);
	return V;
}

/* V(s), filling P->u and P->y; grad (may be NULL) dV/ds */
static double
evaluate(Problem *P, const double *s, double *grad)
{
	return evaluate_some(P, s, grad, -1, -1);
}

/* ---------------------------------------------------------------------
 * Starts: projection of a point onto {sum_c s_ck = B_k, l <= s <= u}
 * ------------------------------------------------------------------- */

typedef struct ShiftCtx
{
	const MMPlanHorizon *h;
	const double *v;
	int			k;
} ShiftCtx;

/* sum_c clamp(v_c - tau, l_c, u_c) - B_k: non-increasing in tau */
static double
shifted_excess(double tau, void *p)
{
	const ShiftCtx *sc = p;
	const MMPlanHorizon *h = sc->h;
	double		sum = -h->budget[sc->k];

	for (int c = 0; c < h->C; c++)
		sum += fmin(fmax(sc->v[c * h->K + sc->k] - tau, lower_of(h, c, sc->k)),
					upper_of(h, c, sc->k));
	return sum;
}

static MMStatus
project(Problem *P, const double *v, double *s)
{
	const MMPlanHorizon *h = P->h;
	int			K = h->K;

	for (int k = 0; k < K; k++)
	{
		ShiftCtx	sc = {h, v, k};
		gsl_function F = {shifted_excess, &sc};
		double		lo = INFINITY,
					hi = -INFINITY,
					tau,
					rest;

		for (int c = 0; c < h->C; c++)
		{
			lo = fmin(lo, v[c * K + k] - upper_of(h, c, k));
			hi = fmax(hi, v[c * K + k] - lower_of(h, c, k));
		}
		if (shifted_excess(lo, &sc) <= 0.0)
			tau = lo;
		else if (shifted_excess(hi, &sc) >= 0.0)
			tau = hi;
		else
		{
			if (gsl_root_fsolver_set(P->ws->outer, &F, lo, hi))
				return MM_ENOCONV;
			for (int it = 0; it < 200; it++)
			{
				if (gsl_root_fsolver_iterate(P->ws->outer))
					return MM_ENOCONV;
				if (gsl_root_test_interval(gsl_root_fsolver_x_lower(P->ws->outer),
										   gsl_root_fsolver_x_upper(P->ws->outer),
										   0.0, 1e-15) == GSL_SUCCESS)
					break;
			}
			tau = gsl_root_fsolver_root(P->ws->outer);
		}
		rest = h->budget[k];
		for (int c = 0; c < h->C; c++)
		{
			s[c * K + k] = fmin(fmax(v[c * K + k] - tau, lower_of(h, c, k)), upper_of(h, c, k));
			rest -= s[c * K + k];
		}
		/* the root's rounding: channels with room absorb it */
		for (int c = 0; c < h->C && rest != 0.0; c++)
		{
			double		x = fmin(fmax(s[c * K + k] + rest, lower_of(h, c, k)), upper_of(h, c, k));

			rest -= x - s[c * K + k];
			s[c * K + k] = x;
		}
	}
	return MM_OK;
}

/* start point from channel weights w[C] (same split in every flight) */
static MMStatus
start_from_weights(Problem *P, const double *w, double *s)
{
	const MMPlanHorizon *h = P->h;
	double		sum = 0.0;

	for (int c = 0; c < h->C; c++)
		sum += w[c];
	for (int c = 0; c < h->C; c++)
		for (int k = 0; k < h->K; k++)
			P->trial[c * h->K + k] = sum > 0 ? h->budget[k] * w[c] / sum : h->budget[k] / h->C;
	return project(P, P->trial, s);
}

/* ---------------------------------------------------------------------
 * Pair exchanges
 * ------------------------------------------------------------------- */

typedef struct PairCtx
{
	Problem    *P;
	int			i,
				j;				/* unknowns: i grows, j shrinks */
} PairCtx;

/* d V(cur + delta (e_i - e_j)) / d delta */
static double
pair_slope(double delta, void *p)
{
	PairCtx    *pc = p;
	Problem    *P = pc->P;

	memcpy(P->trial, P->cur, sizeof(double) * P->n);
	P->trial[pc->i] += delta;
	P->trial[pc->j] -= delta;
	(void) evaluate_some(P, P->trial, P->grad, pc->i / P->h->K, pc->j / P->h->K);
	return P->grad[pc->i] - P->grad[pc->j];
}

/* Brent on the slope's sign change in [a, b] (slope(a) > 0 > slope(b)) */
static MMStatus
slope_root(PairCtx *pc, double a, double b, double dmax, double *root)
{
	gsl_root_fsolver *rs = pc->P->ws->inner;
	gsl_function F = {pair_slope, pc};

	if (gsl_root_fsolver_set(rs, &F, a, b))
		return MM_ENOCONV;
	for (int it = 0; it < 200; it++)
	{
		if (gsl_root_fsolver_iterate(rs))
			return MM_ENOCONV;
		if (gsl_root_fsolver_x_upper(rs) - gsl_root_fsolver_x_lower(rs) <= LINE_RELTOL * dmax)
			break;
	}
	*root = gsl_root_fsolver_root(rs);
	return MM_OK;
}

static double
pair_value(PairCtx *pc, double delta)
{
	Problem    *P = pc->P;

	memcpy(P->trial, P->cur, sizeof(double) * P->n);
	P->trial[pc->i] += delta;
	P->trial[pc->j] -= delta;
	return evaluate(P, P->trial, NULL);
}

/*
 * Proof that no sample beyond a point b of negative slope can change the
 * step.  Along the pair's line week t's log forecast G_t(delta) is concave
 * when every term of the two channels is concave with coef >= 0; then on
 * [b, dmax], with g_t = G_t'(b):
 *   a week with g_t > 0 adds at most  y_t(b) g_t exp(g_t (dmax - b))
 *     (G_t' <= g_t, and G_t lies below its tangent at b);
 *   a week with g_t < 0 adds at most  -y_t(dmax) |g_t|
 *     (G_t' <= g_t < 0, so G_t falls to its value at dmax).
 * When the first sum is below the second the slope is negative on the whole
 * rest of the line: the later samples hold no sign change and dmax is no
 * candidate.  line_mark records y(b) and g at b (after pair_slope(b), whose
 * slopes P->slope holds); line_done evaluates y(dmax) and compares.
 */
#define LINE_PROOF_MARGIN 1e-6	/* relative: the sums' rounding is far below */

static bool
line_mark(PairCtx *pc)
{
	Problem    *P = pc->P;
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K,
				k = pc->i % K,
				ch[2] = {pc->i / K, pc->j / K};

	for (int side = 0; side < 2; side++)
		for (int j = h->term_start[ch[side]]; j < h->term_start[ch[side] + 1]; j++)
			if (h->terms[j].coef < 0.0 || (h->terms[j].coef > 0.0 && !h->terms[j].concave))
				return false;
	for (int t = 0; t < H; t++)
	{
		double		d = 0.0;

		P->line_y[t] = P->y[t];
		P->line_g[t] = 0.0;
		if (t < h->flight_from[k])
			continue;			/* the pair's flight does not reach week t */
		for (int side = 0; side < 2; side++)
			for (int j = h->term_start[ch[side]]; j < h->term_start[ch[side] + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];
				double		g = P->gk[((long) j * K + k) * H + t];

				if (tm->coef != 0.0 && g != 0.0)
					d += (side ? -1.0 : 1.0) * tm->coef * g * P->slope[(long) j * H + t] / tm->scale;
			}
		if (!isfinite(d))
			return false;
		P->line_g[t] = d;
	}
	return true;
}

static bool
line_done(PairCtx *pc, double b, double dmax)
{
	Problem    *P = pc->P;
	int			H = P->h->H;
	double		rise = 0.0,
				fall = 0.0;

	(void) pair_value(pc, dmax);	/* fills P->y with y(dmax) */
	for (int t = 0; t < H; t++)
	{
		double		g = P->line_g[t];

		if (g > 0.0)
			rise += P->line_y[t] * g * exp(g * (dmax - b));
		else if (g < 0.0)
			fall -= P->y[t] * g;
	}
	return isfinite(rise) && rise < (1.0 - LINE_PROOF_MARGIN) * fall;
}

/*
 * Line search on [0, dmax] (slope at 0 > 0).  Along a line the objective
 * need not be unimodal (S-curves, several weeks), so the slope is sampled at
 * LINE_SAMPLES points; every sign change from + to - is refined by Brent and
 * the best of these local maxima (and of dmax when still ascending there)
 * is the step.  Sampling stops at a negative slope when line_done proves
 * that the samples beyond could not change the step.
 */
#define LINE_SAMPLES 16

static MMStatus
line_search(PairCtx *pc, double dmax, double *delta)
{
	double		a = 0.0,
				fa = pair_slope(0.0, pc),
				best_v = -INFINITY;

	*delta = 0.0;
	/* slope +inf at 0 (power curves with nothing spent): step in until finite */
	for (int r = 0; r < 60 && !isfinite(fa); r++)
	{
		a = dmax * ldexp(1.0, r - 60);
		fa = pair_slope(a, pc);
	}
	if (!isfinite(fa))
		return MM_EOVRFLW;
	if (fa <= 0.0)
	{
		*delta = a;
		return MM_OK;
	}
	for (int i = 1; i <= LINE_SAMPLES; i++)
	{
		double		b = dmax * i / LINE_SAMPLES,
					fb = pair_slope(b, pc),
					cand = -1.0,
					v;
		bool		marked = i < LINE_SAMPLES && fb < 0.0 && line_mark(pc);

		if (fa > 0.0 && fb < 0.0)
		{
			double		bb = b;
			MMStatus	st;

			/*
			 * slope -inf at b (power curves: the shrinking channel's input
			 * reaches 0): step back towards a until finite, for Brent
			 */
			for (int r = 0; r < 60 && !isfinite(fb); r++)
			{
				bb = b - (b - a) * ldexp(1.0, r - 60);
				fb = pair_slope(bb, pc);
			}
			if (!isfinite(fb))
				return MM_EOVRFLW;
			st = fb < 0.0 ? slope_root(pc, a, bb, dmax, &cand) : MM_OK;
			if (fb >= 0.0)
				cand = bb;		/* ascending up to the pole: take the last finite point */

			if (st != MM_OK)
				return st;
		}
		else if (i == LINE_SAMPLES && !(fb < 0.0))
			cand = dmax;		/* still ascending at the bound */
		if (cand >= 0.0)
		{
			v = pair_value(pc, cand);
			if (v > best_v)
			{
				best_v = v;
				*delta = cand;
			}
		}
		if (marked && line_done(pc, b, dmax))
			break;
		a = b;
		fa = fb;
	}
	return MM_OK;
}

/* Ascend from P->cur to a KKT point; counts exchanges, *capped when the cap stopped it */
static MMStatus
exchange(Problem *P, long *exchanges, bool *capped)
{
	const MMPlanHorizon *h = P->h;
	int			K = h->K;

	*capped = false;
	for (long it = 0; it < MM_COUPLED_MAX_EXCHANGES; it++)
	{
		double		best_rel = 0.0,
					dmax,
					delta;
		int			bi = -1,
					bj = -1;
		bool		upper_hit;
		PairCtx		pc;
		MMStatus	st;

		if (P->ws->interrupt && it % 256 == 0)
			P->ws->interrupt();
		(void) evaluate(P, P->cur, P->grad);
		for (int k = 0; k < K; k++)
		{
			double		gu = -INFINITY,
						gd = INFINITY,
						scale,
						rel;
			int			iu = -1,
						id = -1;

			for (int c = 0; c < h->C; c++)
			{
				int			q = c * K + k;
				double		g = P->grad[q];

				if (isnan(g))
					return MM_EOVRFLW;
				if (P->cur[q] < upper_of(h, c, k) && g > gu)
				{
					gu = g;
					iu = q;
				}
				if (P->cur[q] > lower_of(h, c, k) && g < gd)
				{
					gd = g;
					id = q;
				}
			}
			if (iu < 0 || id < 0 || iu == id || !(gu > gd))
				continue;
			scale = fmax(fabs(gu), fabs(gd));
			/* an infinite marginal (power curve at 0) is the largest gap there is */
			rel = isfinite(scale) ? (gu - gd) / scale : 1.0;
			if (rel > best_rel)
			{
				best_rel = rel;
				bi = iu;
				bj = id;
			}
		}
		if (bi < 0 || best_rel <= SMO_RELTOL)
		{
			*exchanges += it;
			return MM_OK;
		}
		dmax = fmin(upper_of(h, bi / K, bi % K) - P->cur[bi], P->cur[bj] - lower_of(h, bj / K, bj % K));
		upper_hit = upper_of(h, bi / K, bi % K) - P->cur[bi] <= P->cur[bj] - lower_of(h, bj / K, bj % K);
		pc.P = P;
		pc.i = bi;
		pc.j = bj;
		st = line_search(&pc, dmax, &delta);
		if (st != MM_OK)
			return st;
		if (!(delta > 0.0))
		{
			*exchanges += it;
			return MM_OK;
		}
		P->cur[bi] += delta;
		P->cur[bj] -= delta;
		if (delta == dmax)
		{
			/* land exactly on the bound that stopped the step */
			if (upper_hit)
				P->cur[bi] = upper_of(h, bi / K, bi % K);
			else
				P->cur[bj] = lower_of(h, bj / K, bj % K);
		}
	}
	*exchanges += MM_COUPLED_MAX_EXCHANGES;
	*capped = true;
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Certificates
 * ------------------------------------------------------------------- */

static double
sat_slope(double v, void *p)
{
	return mm_plan_term_sat_deriv((const MMPlanTerm *) p, fmax(0.0, v));
}

/* s''(v) by a numerical derivative of s' */
static double
sat_curvature(const MMPlanTerm *tm, double v)
{
	gsl_function F = {sat_slope, (void *) tm};
	double		r,
				err,
				step = v > 0 ? 1e-4 * v : 1e-10;

	if (v - step <= 0.0)
		gsl_deriv_forward(&F, v, step, &r, &err);
	else
		gsl_deriv_central(&F, v, step, &r, &err);
	return r;
}

static bool
is_free(const MMPlanHorizon *h, const double *s, int c, int k)
{
	double		tol = FREE_RELTOL * h->budget[k];

	return s[c * h->K + k] > lower_of(h, c, k) + tol && s[c * h->K + k] < upper_of(h, c, k) - tol;
}

/* lambda per flight and the KKT residual of P->best (P->grad filled) */
static double
kkt(Problem *P, double *lambda)
{
	const MMPlanHorizon *h = P->h;
	int			K = h->K;
	double		worst = 0.0;

	(void) evaluate(P, P->best, P->grad);
	for (int k = 0; k < K; k++)
	{
		double		sum = 0.0,
					lam,
					norm,
					lo_max = -INFINITY,
					up_min = INFINITY;
		int			nf = 0;

		for (int c = 0; c < h->C; c++)
			if (is_free(h, P->best, c, k))
			{
				sum += P->grad[c * K + k];
				nf++;
			}
		lam = nf ? sum / nf : NAN;
		lambda[k] = lam;
		for (int c = 0; c < h->C; c++)
		{
			double		g = P->grad[c * K + k];

			if (is_free(h, P->best, c, k))
				lo_max = fmax(lo_max, g), up_min = fmin(up_min, g);
			else if (P->best[c * K + k] < upper_of(h, c, k))
				lo_max = fmax(lo_max, g);	/* at the lower bound: g <= lambda */
			else if (P->best[c * K + k] > lower_of(h, c, k))
				up_min = fmin(up_min, g);	/* at the upper bound: g >= lambda */
		}
		/* the certificate: the spread max(lower side) - min(upper side), relative */
		norm = nf ? fabs(lam) : fmax(fabs(lo_max), fabs(up_min));
		if (isfinite(lo_max) && isfinite(up_min) && lo_max > up_min)
			worst = fmax(worst, (lo_max - up_min) / (norm > 0 ? norm : 1.0));
		else if (!isfinite(lo_max) && lo_max > 0)
			worst = INFINITY;
	}
	return worst;
}

/*
 * Largest eigenvalue of the Hessian of V at P->best restricted to the
 * feasible face, relative to the largest in magnitude; NaN with no free
 * direction.
 */
static MMStatus
reduced_hessian(Problem *P, double *out)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K,
				nf = 0,
				R = 0;
	double	   *d = P->trial;
	double		big;

	(void) evaluate(P, P->best, NULL);
	for (int q = 0; q < P->n; q++)
		if (is_free(h, P->best, q / K, q % K))
			P->fa[nf++] = q;
	memset(P->hess, 0, sizeof(double) * nf * nf);
	for (int t = 0; t < H; t++)
	{
		for (int a = 0; a < nf; a++)
		{
			int			c = (int) P->fa[a] / K,
						k = (int) P->fa[a] % K;

			d[a] = 0.0;
			for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];
				double		g = P->gk[((long) j * K + k) * H + t];

				if (tm->coef != 0.0 && g != 0.0)
					d[a] += tm->coef * g * mm_plan_term_sat_deriv(tm, P->u[(long) j * H + t] / tm->scale) / tm->scale;
			}
		}
		for (int a = 0; a < nf; a++)
			for (int b = 0; b < nf; b++)
			{
				int			ca = (int) P->fa[a] / K,
							cb = (int) P->fa[b] / K;
				double		v = d[a] * d[b];

				if (ca == cb)
					for (int j = h->term_start[ca]; j < h->term_start[ca + 1]; j++)
					{
						const MMPlanTerm *tm = &h->terms[j];
						double		ga = P->gk[((long) j * K + (int) P->fa[a] % K) * H + t],
									gb = P->gk[((long) j * K + (int) P->fa[b] % K) * H + t];

						if (tm->coef != 0.0 && ga != 0.0 && gb != 0.0)
							v += tm->coef * ga * gb *
								sat_curvature(tm, P->u[(long) j * H + t] / tm->scale) / (tm->scale * tm->scale);
					}
				P->hess[a * nf + b] += P->y[t] * v;
			}
	}
	/* directions e_a - e_first within each flight's free unknowns */
	for (int k = 0; k < K; k++)
	{
		int			first = -1;

		for (int a = 0; a < nf; a++)
			if ((int) P->fa[a] % K == k)
			{
				if (first < 0)
					first = a;
				else
				{
					P->fb[2 * R] = a;
					P->fb[2 * R + 1] = first;
					R++;
				}
			}
	}
	if (R == 0)
	{
		*out = NAN;
		return MM_OK;
	}
	for (int p = 0; p < R; p++)
		for (int q = 0; q < R; q++)
		{
			int			a1 = (int) P->fb[2 * p],
						b1 = (int) P->fb[2 * p + 1],
						a2 = (int) P->fb[2 * q],
						b2 = (int) P->fb[2 * q + 1];

			P->red[p * R + q] = P->hess[a1 * nf + a2] - P->hess[a1 * nf + b2]
				- P->hess[b1 * nf + a2] + P->hess[b1 * nf + b2];
			if (!isfinite(P->red[p * R + q]))
				return MM_EOVRFLW;
		}
	if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', R, P->red, R, P->ev) != 0)
		return MM_ENOCONV;
	big = fmax(fabs(P->ev[0]), fabs(P->ev[R - 1]));
	*out = big > 0 ? P->ev[R - 1] / big : 0.0;
	return MM_OK;
}

/* q(v) = coef s'(v)^2 / (-s''(v)); +inf where s'' >= 0 */
static double
concavity_ratio(const MMPlanTerm *tm, double v)
{
	double		d1 = mm_plan_term_sat_deriv(tm, v),
				d2 = sat_curvature(tm, v);

	if (d1 == 0.0)
		return 0.0;
	if (!isfinite(d1) || !isfinite(d2))
		return NAN;				/* the limit at v = 0: the caller steps in */
	return d2 < 0.0 ? tm->coef * d1 * d1 / -d2 : INFINITY;
}

/* Sufficient condition for V concave on the box (plan_coupled.h). */
static bool
concave_on_box(Problem *P)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K;

	for (int t = 0; t < H; t++)
	{
		double		sum = 0.0;

		for (int c = 0; c < h->C; c++)
			for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];
				double		lo = carry_of(tm, t),
							hi = lo,
							worst = 0.0;
				bool		moves = false;

				for (int k = 0; k < K; k++)
				{
					double		g = P->gk[((long) j * K + k) * H + t];

					lo += lower_of(h, c, k) * g;
					hi += upper_of(h, c, k) * g;
					moves = moves || (g != 0.0 && upper_of(h, c, k) > lower_of(h, c, k));
				}
				if (!moves || tm->coef == 0.0)
					continue;	/* a fixed input does not bend exp(G_t) along the plan */
				if (tm->coef < 0.0)
					return false;
				for (int i = 0; i < MM_COUPLED_BOX_GRID; i++)
				{
					double		v = (lo + (hi - lo) * i / (MM_COUPLED_BOX_GRID - 1)) / tm->scale,
								q = concavity_ratio(tm, v);

					if (isnan(q))
						q = concavity_ratio(tm, v + 1e-12 * (hi / tm->scale));
					if (!(q <= 1.0))
						return false;
					worst = fmax(worst, q);
				}
				sum += worst;
				if (sum > 1.0)
					return false;
			}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Driver
 * ------------------------------------------------------------------- */

static Problem
problem(const MMPlanHorizon *h, const double *base, MMPlanWorkspace *ws, double *d)
{
	Problem		P;
	long		NT = h->term_start[h->C],
				n = (long) h->C * h->K;

	P.h = h;
	P.base = base;
	P.ws = ws;
	P.NT = (int) NT;
	P.n = (int) n;
	P.gk = d;
	P.u = P.gk + NT * h->K * h->H;
	P.val = P.u + NT * h->H;
	P.slope = P.val + NT * h->H;
	P.held = P.slope + NT * h->H;
	P.held_ok = P.held + n;
	P.y = P.held_ok + h->C;
	P.line_y = P.y + h->H;
	P.line_g = P.line_y + h->H;
	P.grad = P.line_g + h->H;
	P.cur = P.grad + n;
	P.best = P.cur + n;
	P.trial = P.best + n;
	P.ev = P.trial + n;
	P.fa = P.ev + n;
	P.fb = P.fa + n;
	P.hess = P.fb + 2 * n;
	P.red = P.hess + n * n;
	return P;
}

/* gk: each term's adstock of a unit total spread by flight k's pattern */
static void
unit_patterns(Problem *P)
{
	const MMPlanHorizon *h = P->h;
	int			H = h->H,
				K = h->K;

	memset(P->gk, 0, sizeof(double) * P->NT * K * H);
	for (int c = 0; c < h->C; c++)
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			for (int k = 0; k < K; k++)
			{
				const MMPlanTerm *tm = &h->terms[j];
				double	   *g = P->gk + ((long) j * K + k) * H;

				for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
				{
					double		p = mm_plan_pattern_share(h, c, k, t);

					for (int l = 0; l < tm->L && t + l < H && p != 0.0; l++)
						g[t + l] += p * tm->w[l];
				}
			}
}

static MMStatus
check_input(const MMPlanHorizon *h, const double *base, MMPlanCoupledResult *res)
{
	if (h->H <= 0 || h->C <= 0 || h->K <= 0)
		return MM_EDOM;
	for (int t = 0; t < h->H; t++)
		if (!(base[t] > 0.0) || !isfinite(base[t]))
			return MM_EDOM;
	for (int j = 0; j < h->term_start[h->C]; j++)
		if (!(h->terms[j].scale > 0) || h->terms[j].L <= 0 || !isfinite(h->terms[j].coef))
			return MM_EDOM;
	for (int k = 0; k < h->K; k++)
	{
		double		sl = 0.0,
					su = 0.0;

		if (h->flight_from[k] < 0 || h->flight_to[k] <= h->flight_from[k] ||
			h->flight_to[k] > h->H || (k > 0 && h->flight_from[k] < h->flight_to[k - 1]) ||
			!(h->budget[k] >= 0.0) || !isfinite(h->budget[k]))
			return MM_EDOM;
		for (int c = 0; c < h->C; c++)
		{
			double		l = h->lower[c * h->K + k],
						u = h->upper[c * h->K + k];

			if (!(l >= 0.0) || !isfinite(l) || isnan(u) || u < l)
			{
				res->flight = k;
				res->plan.conflict = MM_PLAN_BAD_BOUND;
				res->plan.conflict_channel = c;
				return MM_EINFEASIBLE;
			}
			sl += l;
			su += u;
		}
		res->plan.sum_lower = sl;
		res->plan.sum_upper = su;
		if (sl > h->budget[k] || su < h->budget[k])
		{
			res->flight = k;
			res->plan.conflict = sl > h->budget[k] ? MM_PLAN_MINS_ABOVE_BUDGET : MM_PLAN_BUDGET_ABOVE_MAXS;
			res->plan.conflict_channel = -1;
			return MM_EINFEASIBLE;
		}
	}
	return MM_OK;
}

MMStatus
mm_plan_coupled_budget(const MMPlanHorizon *h, const double *base, const double *start_share,
					   gsl_rng *rng, int n_random, MMPlanWorkspace *ws, double *dwork,
					   double *x, double *s, double *lambda, MMPlanCoupledResult *res)
{
	Problem		P = problem(h, base, ws, dwork);
	int			C = h->C,
				K = h->K,
				n_starts = (start_share ? 1 : 0) + 1 + C + (rng ? n_random : 0);
	double		v0,
				vbest = -INFINITY,
				vworst = INFINITY;
	double	   *w = P.ev;		/* C start weights (ev is free until the end) */
	MMStatus	st;

	memset(res, 0, sizeof(*res));
	res->flight = -1;
	res->plan.conflict_channel = -1;
	st = check_input(h, base, res);
	if (st != MM_OK)
		return st;
	unit_patterns(&P);
	memset(P.held_ok, 0, sizeof(double) * C);	/* nothing evaluated yet */
	memset(P.trial, 0, sizeof(double) * P.n);
	v0 = evaluate(&P, P.trial, NULL);

	for (int r = 0; r < n_starts; r++)
	{
		int			kind = r - (start_share ? 1 : 0);
		double		v,
					tol;
		bool		capped;

		/* -1 caller's split, 0 equal, 1..C channel kind-1 first, then random */
		for (int c = 0; c < C; c++)
		{
			if (kind < 0)
				w[c] = start_share[c] > 0 && isfinite(start_share[c]) ? start_share[c] : 0.0;
			else if (kind == 0)
				w[c] = 1.0;
			else if (kind <= C)
				w[c] = (c == kind - 1);
			else
				w[c] = -log(gsl_rng_uniform_pos(rng));	/* Dirichlet(1, ..., 1) */
		}
		st = start_from_weights(&P, w, P.cur);
		if (st != MM_OK)
			return st;
		st = exchange(&P, &res->exchanges, &capped);
		if (st != MM_OK)
			return st;
		res->starts_capped += capped;
		v = evaluate(&P, P.cur, NULL);
		if (!isfinite(v))
			return MM_EOVRFLW;
		vworst = fmin(vworst, v);
		tol = AGREE_RELTOL * fabs(fmax(v, vbest) - v0);
		if (v > vbest + tol)
		{
			res->starts_agreed = 1;
			vbest = v;
			memcpy(P.best, P.cur, sizeof(double) * P.n);
		}
		else
		{
			if (v >= vbest - tol)
				res->starts_agreed++;
			if (v > vbest)
			{
				vbest = v;
				memcpy(P.best, P.cur, sizeof(double) * P.n);
			}
		}
	}
	res->starts = n_starts;
	res->start_spread = vbest > v0 ? (vbest - vworst) / (vbest - v0) : 0.0;
	memcpy(s, P.best, sizeof(double) * P.n);

	res->kkt_residual = kkt(&P, lambda);
	st = reduced_hessian(&P, &res->hessian_max);
	if (st != MM_OK)
		return st;
	res->concave_at_solution = isnan(res->hessian_max) || res->hessian_max <= CONCAVE_RELTOL;
	res->concave_box = concave_on_box(&P);

	memset(x, 0, sizeof(double) * C * h->H);
	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
				x[(long) c * h->H + t] = s[c * K + k] * mm_plan_pattern_share(h, c, k, t);
	res->value = vbest - v0;
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Goals: volume and ratio targets
 * ------------------------------------------------------------------- */

long
mm_plan_coupled_goal_doubles(const MMPlanHorizon *h)
{
	return 2L * h->C * h->K + h->K;
}

typedef struct GoalCtx
{
	MMPlanHorizon *hk;			/* bounds and budgets of the current stage */
	double	   *lo;
	double	   *hi;
	double	   *bud;
	const double *base;
	const double *start_share;
	gsl_rng    *rng;
	int			n_random;
	MMPlanWorkspace *ws;
	double	   *dwork;
	double	   *x;
	double	   *s;
	double	   *lambda;
	MMPlanCoupledResult *res;
	int			k;
	double		v_prev;			/* increment of the earlier flights alone */
	double		target;
	double		b_ok;			/* ratio: the largest budget evaluated meeting the target */
	MMStatus	status;
} GoalCtx;

/* pin flight kk's channels at s (or at 0 when s is NULL) */
static void
pin_flight(GoalCtx *g, int kk, const double *s)
{
	int			K = g->hk->K;
	double		sum = 0.0;

	for (int c = 0; c < g->hk->C; c++)
	{
		double		v = s ? s[c * K + kk] : 0.0;

		g->lo[c * K + kk] = g->hi[c * K + kk] = v;
		sum += v;
	}
	g->bud[kk] = sum;
}

/* increment of flight k's optimal plan at budget B, minus the target */
static double
goal_excess(double B, void *p)
{
	GoalCtx    *g = p;
	MMStatus	st;

	g->bud[g->k] = B;
	st = mm_plan_coupled_budget(g->hk, g->base, g->start_share, g->rng, g->n_random, g->ws,
								g->dwork, g->x, g->s, g->lambda, g->res);
	if (st != MM_OK)
	{
		g->status = st;
		return NAN;
	}
	return g->res->value - g->v_prev - g->target;
}

/* flight g->k's ratio (increment / B) minus the target; records the largest B meeting it */
static double
ratio_excess(double B, void *p)
{
	GoalCtx    *g = p;
	double		incr = goal_excess(B, g) + g->target,
				f = incr / B - g->target;

	if (f >= 0.0 && B > g->b_ok)
		g->b_ok = B;
	return f;
}

/*
 * Brent on F over [lo, hi] (F changes sign there) until the bracket is
 * tight (1e-10 relative); the upper end is the side that meets the target.
 */
static MMStatus
tighten_bracket(GoalCtx *g, gsl_function *F, double lo, double hi)
{
	if (gsl_root_fsolver_set(g->ws->goal, F, lo, hi))
		return g->status != MM_OK ? g->status : MM_ENOCONV;
	for (int it = 0; it < 100; it++)
	{
		if (gsl_root_fsolver_iterate(g->ws->goal))
			return g->status != MM_OK ? g->status : MM_ENOCONV;
		if (gsl_root_fsolver_x_upper(g->ws->goal) - gsl_root_fsolver_x_lower(g->ws->goal) <=
			1e-10 * gsl_root_fsolver_x_upper(g->ws->goal))
			break;
	}
	return MM_OK;
}

/* volume: the least budget in [b_lo, b_hi] whose optimum adds g->target (Brent) */
static MMStatus
flight_volume(GoalCtx *g, double b_lo, double b_hi, double *B, bool *achievable)
{
	double		f_hi = goal_excess(b_hi, g),
				f_lo = b_hi > b_lo ? goal_excess(b_lo, g) : f_hi;
	gsl_function F = {goal_excess, g};
	MMStatus	st;

	if (g->status != MM_OK)
		return g->status;
	*achievable = f_hi >= 0.0;
	if (f_hi < 0.0)
	{
		*B = b_hi;
		return MM_OK;
	}
	if (f_lo >= 0.0)
	{
		*B = b_lo;
		return MM_OK;
	}
	if ((st = tighten_bracket(g, &F, b_lo, b_hi)) != MM_OK)
		return st;
	*B = gsl_root_fsolver_x_upper(g->ws->goal);
	return MM_OK;
}

/*
 * ratio: the largest budget in [b_lo, b_hi] whose optimum has increment / B
 * >= g->target.  The ratio need not be monotone: scan MM_COUPLED_RATIO_GRID
 * geometric budgets from the top down, stop at the first meeting the target,
 * then refine between it and the next grid budget up by Brent on the ratio,
 * keeping the largest budget evaluated that meets it.  None meeting: the
 * grid budget of the best ratio, not achievable.
 */
static MMStatus
flight_ratio(GoalCtx *g, double b_lo, double b_hi, double *B, bool *achievable)
{
	int			n = MM_COUPLED_RATIO_GRID;
	double		b_min = b_lo > 0 ? b_lo : b_hi * MM_COUPLED_RATIO_LOW,
				step,
				best_f = -INFINITY,
				b_up;
	gsl_function F = {ratio_excess, g};
	MMStatus	st;

	*achievable = false;
	*B = b_lo;
	if (!(b_hi > 0))
		return MM_OK;			/* nothing to spend: no ratio */
	if (b_hi <= b_min)
		n = 1;
	step = n > 1 ? log(b_hi / b_min) / (n - 1) : 0.0;
	g->b_ok = -INFINITY;
	for (int i = n - 1; i >= 0; i--)
	{
		double		b = i == n - 1 ? b_hi : (i == 0 ? b_min : b_min * exp(step * i)),
					f = ratio_excess(b, g);

		if (g->status != MM_OK)
			return g->status;
		if (f >= 0.0)
		{
			*achievable = true;
			*B = b;
			if (i == n - 1)
				return MM_OK;
			b_up = i + 1 == n - 1 ? b_hi : b_min * exp(step * (i + 1));
			if ((st = tighten_bracket(g, &F, b, b_up)) != MM_OK)
				return st;
			*B = g->b_ok;
			return MM_OK;
		}
		if (f > best_f)
		{
			best_f = f;
			*B = b;
		}
	}
	return MM_OK;
}

MMStatus
mm_plan_coupled_goal(const MMPlanHorizon *h, const double *base, const double *start_share,
					 gsl_rng *rng, int n_random, MMPlanWorkspace *ws, double *dwork,
					 double *hwork, MMPlanGoal goal, const double *target, double max_total,
					 double *budget_out, bool *achievable, double *best, double *x,
					 double *s, double *lambda, MMPlanCoupledResult *res)
{
	MMPlanHorizon hk = *h;
	int			C = h->C,
				K = h->K;
	double		spent = 0.0,
				worst_kkt = 0.0;
	int			fewest_agreed = INT_MAX;
	double	   *fl_lambda = hwork + 2L * C * K;	/* K: each flight's own lambda */
	GoalCtx		g = {&hk, hwork, hwork + (long) C * K, budget_out, base, start_share, rng, n_random,
		ws, dwork, x, s, lambda, res, 0, 0.0, 0.0, -INFINITY, MM_OK};

	if (isnan(max_total) || max_total < 0)
		return MM_EDOM;
	hk.lower = g.lo;
	hk.upper = g.hi;
	hk.budget = g.bud;
	for (int k = 0; k < K; k++)
		pin_flight(&g, k, NULL);
	for (int k = 0; k < K; k++)
	{
		double		b_lo = 0.0,
					b_hi = 0.0,
					f0,
					B;
		MMStatus	st;

		if (!isfinite(target[k]) || (goal == MM_GOAL_RATIO && !(target[k] > 0)))
			return MM_EDOM;
		for (int c = 0; c < C; c++)
		{
			b_lo += h->lower[c * K + k];
			b_hi += h->upper[c * K + k];
		}
		b_hi = fmin(b_hi, max_total - spent);
		if (!isfinite(b_hi))
			return MM_EDOM;
		if (b_hi < b_lo)
		{
			res->flight = k;
			res->plan.conflict = MM_PLAN_MINS_ABOVE_BUDGET;
			res->plan.sum_lower = b_lo;
			return MM_EINFEASIBLE;
		}
		/* the earlier flights alone (this one empty) */
		g.k = k;
		g.target = target[k];
		g.v_prev = 0.0;
		f0 = goal_excess(0.0, &g);
		if (g.status != MM_OK)
			return g.status;
		g.v_prev = f0 + target[k];
		for (int c = 0; c < C; c++)
		{
			g.lo[c * K + k] = h->lower[c * K + k];
			g.hi[c * K + k] = h->upper[c * K + k];
		}
		st = goal == MM_GOAL_RATIO ? flight_ratio(&g, b_lo, b_hi, &B, &achievable[k])
			: flight_volume(&g, b_lo, b_hi, &B, &achievable[k]);
		if (st != MM_OK)
			return st;
		(void) goal_excess(B, &g);
		st = g.status;
		if (st != MM_OK)
			return st;
		best[k] = res->value - g.v_prev;
		if (goal == MM_GOAL_RATIO)
			best[k] = B > 0 ? best[k] / B : 0.0;
		achievable[k] = achievable[k] && best[k] >= target[k] * (1 - 1e-9);
		fl_lambda[k] = lambda[k];
		worst_kkt = fmax(worst_kkt, res->kkt_residual);
		fewest_agreed = res->starts_agreed < fewest_agreed ? res->starts_agreed : fewest_agreed;
		pin_flight(&g, k, s);
		spent += budget_out[k];
	}
	memcpy(lambda, fl_lambda, sizeof(double) * K);
	res->kkt_residual = worst_kkt;
	res->starts_agreed = fewest_agreed;
	return MM_OK;
}

/* ---------------------------------------------------------------------
 * Forecast and marginals of weekly spend
 * ------------------------------------------------------------------- */

/* adstocked input of term tm (channel spend xc[0..H-1]) in period t, carry included */
static double
term_input(const MMPlanTerm *tm, const double *xc, int t)
{
	double		a = carry_of(tm, t);

	for (int l = 0; l < tm->L && l <= t; l++)
		a += tm->w[l] * xc[t - l];
	return fmax(0.0, a);
}

double
mm_plan_coupled_response(const MMPlanHorizon *h, const double *base, const double *x,
						 double *incr, double *total, double *yhat)
{
	int			H = h->H;
	double		sum = 0.0;

	/* total <- g_{c,t}, incr <- g0_{c,t} (no plan spend) */
	for (int c = 0; c < h->C; c++)
		for (int t = 0; t < H; t++)
		{
			double		g = 0.0,
						g0 = 0.0;

			for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];

				if (tm->coef == 0.0)
					continue;	/* no response, and no 0 * inf at a = 0 */
				g += tm->coef * tm->sat(tm->sat_arg, term_input(tm, x + (long) c * H, t) / tm->scale, NULL);
				g0 += tm->coef * tm->sat(tm->sat_arg, carry_of(tm, t) / tm->scale, NULL);
			}
			total[(long) c * H + t] = g;
			incr[(long) c * H + t] = g0;
		}
	for (int t = 0; t < H; t++)
	{
		double		G = 0.0,
					G0 = 0.0,
					y,
					y0,
					Lb,
					L0;

		for (int c = 0; c < h->C; c++)
		{
			G += total[(long) c * H + t];
			G0 += incr[(long) c * H + t];
		}
		y = base[t] * exp(G);
		y0 = base[t] * exp(G0);
		Lb = mm_log_mean(y, base[t]);
		L0 = mm_log_mean(y, y0);
		for (int c = 0; c < h->C; c++)
		{
			double		g = total[(long) c * H + t];

			incr[(long) c * H + t] = L0 * (g - incr[(long) c * H + t]);
			total[(long) c * H + t] = Lb * g;
		}
		if (yhat)
			yhat[t] = y;
		sum += y0 * expm1(G - G0);
	}
	return sum;
}

void
mm_plan_coupled_marginals(const MMPlanHorizon *h, const double *base, const double *x,
						  double *buf, double *out)
{
	int			H = h->H;
	double	   *y = buf,
			   *ds = buf + H;

	memset(y, 0, sizeof(double) * H);
	for (int c = 0; c < h->C; c++)
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];

			if (tm->coef == 0.0)
				continue;		/* no response, and no 0 * inf at a = 0 */
			for (int t = 0; t < H; t++)
				y[t] += tm->coef * tm->sat(tm->sat_arg, term_input(tm, x + (long) c * H, t) / tm->scale, NULL);
		}
	for (int t = 0; t < H; t++)
		y[t] = base[t] * exp(y[t]);
	memset(out, 0, sizeof(double) * h->C * H);
	for (int c = 0; c < h->C; c++)
		for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
		{
			const MMPlanTerm *tm = &h->terms[j];

			if (tm->coef == 0.0)
				continue;		/* no response, and no 0 * inf at a = 0 */
			/* yhat_u s'(a_u) once per period, then each period's lags */
			for (int u = 0; u < H; u++)
				ds[u] = y[u] * mm_plan_term_sat_deriv(tm, term_input(tm, x + (long) c * H, u) / tm->scale);
			for (int t = 0; t < H; t++)
			{
				double		m = 0.0;

				for (int l = 0; l < tm->L && t + l < H; l++)
					if (tm->w[l] != 0.0)
						m += tm->w[l] * ds[t + l];
				out[(long) c * H + t] += tm->coef * m / tm->scale;
			}
		}
}

MMStatus
mm_plan_coupled_base(const MMPlanHorizon *h, const double *history, int n_hist, int gap,
					 const double *fitted, int R, double *ref, double *base)
{
	int			first = n_hist - gap - R;	/* history period of fitted[0] */
	double		mean = 0.0;

	if (R < 1 || gap < 0 || first < 0)
		return MM_EDOM;
	for (int r = 0; r < R; r++)
	{
		double		G = 0.0;

		if (!(fitted[r] > 0.0) || !isfinite(fitted[r]))
			return MM_EDOM;
		for (int c = 0; c < h->C; c++)
			for (int j = h->term_start[c]; j < h->term_start[c + 1]; j++)
			{
				const MMPlanTerm *tm = &h->terms[j];
				double		a = 0.0;

				if (tm->coef == 0.0)
					continue;	/* no response, and no 0 * inf at a = 0 */
				for (int l = 0; l < tm->L && l <= first + r; l++)
					a += tm->w[l] * history[(long) c * n_hist + first + r - l];
				G += tm->coef * tm->sat(tm->sat_arg, fmax(0.0, a) / tm->scale, NULL);
			}
		ref[r] = fitted[r] * exp(-G);
		if (!(ref[r] > 0.0) || !isfinite(ref[r]))
			return MM_EOVRFLW;
		mean += ref[r] / R;
	}
	for (int t = 0; t < h->H; t++)
	{
		/* weeks from the last data week back to the same week of the latest year */
		int			back = (52 - (gap + 1 + t) % 52) % 52;

		base[t] = back < R ? ref[R - 1 - back] : mean;
	}
	return MM_OK;
}
