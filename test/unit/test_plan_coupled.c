/*
 * test_plan_coupled.c: budget plans for multiplicative models (plan_coupled.h).
 *
 * Hand-checkable case: one week, no adstock, B = 1, g_c = beta_c ln(1 + s_c / k_c),
 * so yhat = (1 + s_1/k_1)^beta_1 (1 + s_2/k_2)^beta_2.  With s_1 + s_2 = S the
 * first-order condition beta_1 / (k_1 + s_1) = beta_2 / (k_2 + s_2) gives
 * s_1 = (beta_1 (k_2 + S) - beta_2 k_1) / (beta_1 + beta_2); yhat is log-concave
 * along the budget line, so that is the maximum.  It is concave on the box
 * (Cobb-Douglas) iff beta_1 + beta_2 <= 1.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "math/plan_coupled.h"
#include "unit.h"

#define XC 3
#define XH 30
#define XK 2

typedef struct SatParam
{
	double		kind;			/* 0: ln(1 + u), 1: Hill u^a / (1 + u^a), 2: sqrt(u) */
	double		a;
} SatParam;

static double
sat_test(const void *arg, double u, double *deriv)
{
	const SatParam *p = arg;

	if (p->kind == 2)
	{
		if (deriv)
			*deriv = u > 0 ? 0.5 / sqrt(u) : INFINITY;
		return sqrt(u);
	}
	if (p->kind == 0)
	{
		if (deriv)
			*deriv = 1.0 / (1.0 + u);
		return log1p(u);
	}
	if (deriv)
		*deriv = u > 0 ? p->a * pow(u, p->a - 1) / pow(1 + pow(u, p->a), 2) : 0.0;
	return pow(u, p->a) / (1 + pow(u, p->a));
}

static const SatParam LOG1P = {0, 0};
static const SatParam HILL = {1, 2.5};
static const SatParam SQRT = {2, 0};

static MMPlanWorkspace ws;
static double dwork[XC * XK * XH + 3 * XC * XH + XC + 3 * XH + 9 * XC * XK + 2 * XC * XK * XC * XK];

static void
term(MMPlanTerm *tm, const SatParam *sp, const double *w, int L, const double *carry,
	 double scale, double coef)
{
	tm->sat = sat_test;
	tm->sat_deriv = NULL;
	tm->sat_arg = sp;
	tm->concave = true;
	tm->w = w;
	tm->L = L;
	tm->carry = carry;
	tm->scale = scale;
	tm->coef = coef;
}

typedef struct Two
{
	MMPlanTerm	terms[2];
	int			term_start[3];
	int			from[1],
				to[1];
	double		budget[1],
				lower[2],
				upper[2],
				base[1],
				w[1];
	MMPlanHorizon h;
} Two;

/* one week, two channels, scale k, coefficient beta */
static void
two(Two *t, const SatParam *sp, double b1, double b2, double k, double S)
{
	memset(t, 0, sizeof(*t));
	t->w[0] = 1.0;
	term(&t->terms[0], sp, t->w, 1, NULL, k, b1);
	term(&t->terms[1], sp, t->w, 1, NULL, k, b2);
	t->term_start[1] = 1;
	t->term_start[2] = 2;
	t->from[0] = 0;
	t->to[0] = 1;
	t->budget[0] = S;
	t->upper[0] = t->upper[1] = INFINITY;
	t->base[0] = 1.0;
	t->h = (MMPlanHorizon) {1, 2, t->term_start, t->terms, 1, t->from, t->to, t->budget,
		t->lower, t->upper, NULL};
}

static double
yhat_two(const Two *t, double s1)
{
	double		y[2];

	for (int c = 0; c < 2; c++)
	{
		double		u = (c == 0 ? s1 : t->budget[0] - s1) / t->terms[c].scale;

		y[c] = t->terms[c].coef * sat_test(t->terms[c].sat_arg, u, NULL);
	}
	return exp(y[0] + y[1]);
}

static void
test_closed_form(void)
{
	Two			t;
	double		x[2],
				s[2],
				lambda[1],
				incr[2],
				total[2],
				yh[1];
	MMPlanCoupledResult res;
	MMStatus	st;

	/* beta 0.3 + 0.5 <= 1: concave, s_1 = (0.3 * 110 - 0.5 * 10) / 0.8 = 35 */
	two(&t, &LOG1P, 0.3, 0.5, 10.0, 100.0);
	st = mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res);
	UNIT_OK(st == MM_OK, "coupled: Cobb-Douglas solves");
	UNIT_NEAR(s[0], 35.0, 1e-6, "coupled: s_1 = 35 by the first-order condition");
	UNIT_NEAR(s[0] + s[1], 100.0, 1e-9, "coupled: the budget is spent exactly");
	UNIT_OK(res.kkt_residual < 1e-8, "coupled: KKT residual %.3g < 1e-8", res.kkt_residual);
	UNIT_OK(res.concave_box, "coupled: sum beta <= 1 is certified concave on the box");
	UNIT_OK(res.concave_at_solution && res.hessian_max < 0, "coupled: reduced Hessian negative (%.3g)",
			res.hessian_max);
	UNIT_OK(res.starts == 3 && res.starts_agreed == 3, "coupled: equal and per-channel starts agree (%d of %d)",
			res.starts_agreed, res.starts);
	/* lambda = d yhat / d s_1 = yhat beta_1 / (k + s_1) */
	UNIT_NEAR(lambda[0], yhat_two(&t, 35.0) * 0.3 / 45.0, 1e-9, "coupled: lambda = yhat beta_1 / (k + s_1)");
	UNIT_NEAR(res.value, yhat_two(&t, 35.0) - 1.0, 1e-9, "coupled: value = yhat - yhat with no spend");
	/* the forecast's parts: base + totals = yhat, increments = yhat - 1 */
	UNIT_NEAR(mm_plan_coupled_response(&t.h, t.base, x, incr, total, yh), res.value, 1e-12,
			  "coupled: response sums the increment");
	UNIT_NEAR(t.base[0] + total[0] + total[1], yh[0], 1e-12, "coupled: log_share parts add up to yhat");
	UNIT_NEAR(incr[0] + incr[1], yh[0] - 1.0, 1e-12, "coupled: increments add up");
	UNIT_OK(incr[0] > 0 && incr[1] > incr[0], "coupled: channel 2 (larger beta) gets the larger part");

	/* beta 0.9 + 0.8 > 1: not concave on the box, same first-order optimum */
	two(&t, &LOG1P, 0.9, 0.8, 10.0, 100.0);
	st = mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res);
	UNIT_NEAR(s[0], (0.9 * 110 - 0.8 * 10) / 1.7, 1e-6, "coupled: s_1 = 91 / 1.7 with sum beta > 1");
	UNIT_OK(st == MM_OK && !res.concave_box, "coupled: sum beta > 1 is not certified globally");
	UNIT_OK(res.concave_at_solution, "coupled: but the point is a strict local maximum");

	/* a maximum that binds: s_1 <= 20 (< 35) */
	two(&t, &LOG1P, 0.3, 0.5, 10.0, 100.0);
	t.upper[0] = 20.0;
	st = mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res);
	UNIT_OK(st == MM_OK && s[0] == 20.0 && s[1] == 80.0, "coupled: the binding maximum is met exactly");
	UNIT_OK(res.kkt_residual < 1e-8, "coupled: KKT with a channel at its maximum");
	UNIT_OK(isnan(res.hessian_max) && res.concave_at_solution, "coupled: no free direction at a vertex");

	/*
	 * sqrt curves, nothing carried in: a start with a channel at 0 sees an
	 * infinite marginal there and must still move; s_1 / s_2 = (0.3 / 0.4)^2
	 */
	two(&t, &SQRT, 0.3, 0.4, 10.0, 100.0);
	st = mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res);
	UNIT_NEAR(s[0], 36.0, 1e-6, "coupled: sqrt curves, s_1 = 100 * 0.09 / 0.25 = 36");
	UNIT_OK(st == MM_OK && res.starts_agreed == 3, "coupled: starts at a vertex with infinite marginal agree (%d of 3)",
			res.starts_agreed);

	/* infeasible bounds */
	two(&t, &LOG1P, 0.3, 0.5, 10.0, 100.0);
	t.lower[0] = 60.0;
	t.lower[1] = 50.0;
	st = mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res);
	UNIT_OK(st == MM_EINFEASIBLE && res.plan.conflict == MM_PLAN_MINS_ABOVE_BUDGET && res.flight == 0,
			"coupled: minimums above the budget are named");
	two(&t, &LOG1P, 0.3, 0.5, 10.0, 100.0);
	t.base[0] = 0.0;
	UNIT_OK(mm_plan_coupled_budget(&t.h, t.base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res) == MM_EDOM,
			"coupled: a non-positive base is refused");
}

/* volume goal: the least budget whose optimum adds the target (Cobb-Douglas, B = 100) */
static void
test_goal(void)
{
	Two			t;
	double		x[2],
				s[2],
				lambda[1],
				bud[1],
				best[1],
				hw[5],
				target[1];
	bool		ok[1];
	MMPlanCoupledResult res;
	MMStatus	st;

	two(&t, &LOG1P, 0.3, 0.5, 10.0, 100.0);
	target[0] = yhat_two(&t, 35.0) - 1.0;	/* the optimum of budget 100 */
	t.upper[0] = t.upper[1] = 1000.0;
	st = mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_VOLUME, target, INFINITY,
							  bud, ok, best, x, s, lambda, &res);
	UNIT_OK(st == MM_OK && ok[0], "coupled goal: target of the budget-100 optimum is achievable");
	UNIT_NEAR(bud[0], 100.0, 1e-6, "coupled goal: least budget 100");
	UNIT_NEAR(s[0], 35.0, 1e-5, "coupled goal: at the budget optimum s_1 = 35");
	UNIT_NEAR(best[0], target[0], 1e-9 * target[0] + 1e-12, "coupled goal: reaches the target");
	st = mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_VOLUME, target, 50.0,
							  bud, ok, best, x, s, lambda, &res);
	UNIT_OK(st == MM_OK && !ok[0] && bud[0] == 50.0, "coupled goal: capped at 50, not achievable");
	t.budget[0] = 50.0;			/* yhat_two splits budget[0]: s_1 = (0.3 * 60 - 0.5 * 10) / 0.8 */
	UNIT_NEAR(best[0], yhat_two(&t, (0.3 * 60 - 0.5 * 10) / 0.8) - 1.0, 1e-9,
			  "coupled goal: best reachable is the budget-50 optimum");
}

/* increment / S of the optimal plan of budget S (one flight) */
static double
ratio_at(Two *t, double S)
{
	double		x[2],
				s[2],
				lambda[1];
	MMPlanCoupledResult res;

	t->budget[0] = S;
	if (mm_plan_coupled_budget(&t->h, t->base, NULL, NULL, 0, &ws, dwork, x, s, lambda, &res) != MM_OK)
		return NAN;
	return res.value / S;
}

/*
 * ratio goal on S-curves (Hill 2.5, coefficients 2 and 1.5, scale 10, cap
 * 200): the ratio rises to a peak near S = 45 and falls, so {S: ratio >= r}
 * is an interval and the answer its upper end; checked against a scan of
 * every budget 0.5, 1, ..., 200
 */
static void
test_ratio_goal(void)
{
	Two			t;
	double		x[2],
				s[2],
				lambda[1],
				bud[1],
				best[1],
				hw[5],
				target[1],
				peak = 0.0,
				b_fine,
				again;
	bool		ok[1];
	MMPlanCoupledResult res;
	MMStatus	st;
	const double targets[2] = {0.0, 0.2};	/* 0: the ratio of budget 80 */

	two(&t, &HILL, 2.0, 1.5, 10.0, 80.0);
	t.upper[0] = t.upper[1] = 1000.0;
	for (int i = 1; i <= 400; i++)
		peak = fmax(peak, ratio_at(&t, 0.5 * i));
	for (int j = 0; j < 2; j++)
	{
		target[0] = j == 0 ? ratio_at(&t, 80.0) : targets[j];
		b_fine = 0.0;
		for (int i = 1; i <= 400; i++)
			if (ratio_at(&t, 0.5 * i) >= target[0])
				b_fine = 0.5 * i;
		st = mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_RATIO, target, 200.0,
								  bud, ok, best, x, s, lambda, &res);
		UNIT_OK(st == MM_OK && ok[0], "coupled ratio: target %.4g achievable", target[0]);
		UNIT_OK(bud[0] >= b_fine * (1 - 1e-8) && bud[0] < b_fine + 0.5,
				"coupled ratio: largest budget %.8g in the fine scan's [%.1f, %.1f)", bud[0], b_fine, b_fine + 0.5);
		UNIT_OK(best[0] >= target[0] * (1 - 1e-9) && best[0] <= target[0] * (1 + 1e-6),
				"coupled ratio: ratio %.10g at the boundary of target %.10g", best[0], target[0]);
		if (j == 0)
			UNIT_NEAR(bud[0], 80.0, 1e-6 * 80.0, "coupled ratio: the ratio of budget 80 gives back 80");
		UNIT_NEAR(s[0] + s[1], bud[0], 1e-9 * bud[0], "coupled ratio: the plan spends the budget");
	}
	again = bud[0];
	st = mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_RATIO, target, 200.0,
							  bud, ok, best, x, s, lambda, &res);
	UNIT_OK(st == MM_OK && bud[0] == again, "coupled ratio: reruns are bit-identical");

	/* above the peak: not achievable, the best grid ratio reported */
	target[0] = 1.1 * peak;
	st = mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_RATIO, target, 200.0,
							  bud, ok, best, x, s, lambda, &res);
	UNIT_OK(st == MM_OK && !ok[0], "coupled ratio: a target above the peak %.6g is not achievable", peak);
	UNIT_OK(best[0] <= peak * (1 + 1e-6) && best[0] >= 0.9 * peak,
			"coupled ratio: best reachable %.6g near the peak %.6g", best[0], peak);
	UNIT_NEAR(best[0], ratio_at(&t, bud[0]), 1e-9, "coupled ratio: best is the ratio at the budget reported");
	target[0] = -1.0;
	UNIT_OK(mm_plan_coupled_goal(&t.h, t.base, NULL, NULL, 0, &ws, dwork, hw, MM_GOAL_RATIO, target, 200.0,
								 bud, ok, best, x, s, lambda, &res) == MM_EDOM,
			"coupled ratio: a non-positive target is refused");
}

/* S-curves: multi-start against a fine grid of the one free split */
static void
test_s_curves(void)
{
	Two			t;
	double		x[2],
				s[2],
				lambda[1],
				grid_best = -INFINITY;
	MMPlanCoupledResult res;
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(rng, 7);
	two(&t, &HILL, 1.2, 0.9, 30.0, 60.0);
	for (int i = 0; i <= 60000; i++)
		grid_best = fmax(grid_best, yhat_two(&t, 60.0 * i / 60000));
	UNIT_OK(mm_plan_coupled_budget(&t.h, t.base, NULL, rng, 5, &ws, dwork, x, s, lambda, &res) == MM_OK,
			"coupled: S-curves solve");
	UNIT_OK(yhat_two(&t, s[0]) >= grid_best - 1e-12, "coupled: S-curves at least the 60,001-point grid optimum (%.12g vs %.12g)",
			yhat_two(&t, s[0]), grid_best);
	UNIT_OK(!res.concave_box && res.starts == 8, "coupled: S-curves are not certified; 8 starts run");
	gsl_rng_free(rng);
}

/* three channels, adstock, carry-in, two flights with patterns and bounds */
static void
test_flights(void)
{
	static const double w[3] = {1.0, 0.5, 0.25};
	static double carry[XH],
				pattern[XC * XH],
				base[XH],
				x[XC * XH],
				x2[XC * XH],
				s[XC * XK],
				s2[XC * XK],
				lambda[XK],
				incr[XC * XH],
				total[XC * XH],
				marg[XC * XH],
				buf[2 * XH],
				xr[XC * XH];
	static const SatParam *sps[XC] = {&LOG1P, &LOG1P, &HILL};
	MMPlanTerm	terms[XC];
	int			term_start[XC + 1] = {0, 1, 2, 3},
				from[XK] = {0, 12},
				to[XK] = {10, 24};
	double		budget[XK] = {500.0, 300.0},
				lower[XC * XK] = {50, 0, 0, 20, 0, 0},
				upper[XC * XK] = {INFINITY, INFINITY, 200, 200, INFINITY, INFINITY};
	MMPlanHorizon h;
	MMPlanCoupledResult res,
				res2;
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double		best_random = -INFINITY;
	int			fd_ok = 1;

	for (int t = 0; t < XH; t++)
	{
		carry[t] = t < 3 ? 8.0 / (t + 1) : 0.0;
		base[t] = 100.0 * (1.0 + 0.2 * sin(t));
	}
	for (int c = 0; c < XC; c++)
		for (int t = 0; t < XH; t++)
			pattern[c * XH + t] = 1.0 + 0.1 * ((c + t) % 3);
	for (int c = 0; c < XC; c++)
		term(&terms[c], sps[c], w, 3, carry, 40.0 + 10 * c, 0.15 + 0.05 * c);
	h = (MMPlanHorizon) {XH, XC, term_start, terms, XK, from, to, budget, lower, upper, pattern};

	gsl_rng_set(rng, 11);
	UNIT_OK(mm_plan_coupled_budget(&h, base, (const double[]) {1, 2, 3}, rng, 5, &ws, dwork, x, s, lambda, &res) == MM_OK,
			"coupled flights: solves");
	UNIT_OK(res.kkt_residual < 1e-8, "coupled flights: KKT residual %.3g", res.kkt_residual);
	for (int k = 0; k < XK; k++)
	{
		double		sum = 0.0;
		int			ok = 1;

		for (int c = 0; c < XC; c++)
		{
			sum += s[c * XK + k];
			ok = ok && s[c * XK + k] >= lower[c * XK + k] && s[c * XK + k] <= upper[c * XK + k];
		}
		UNIT_NEAR(sum, budget[k], 1e-9 * budget[k], "coupled flights: flight %d budget spent", k + 1);
		UNIT_OK(ok, "coupled flights: flight %d bounds kept", k + 1);
	}
	/* marginals of the weekly spend against central differences of the forecast */
	mm_plan_coupled_marginals(&h, base, x, buf, marg);
	for (int c = 0; c < XC; c++)
		for (int t = 0; t < XH; t += 3)
		{
			double		vp,
						vm,
						eps = 1e-4;

			if (x[c * XH + t] < 2 * eps)
				continue;		/* a central difference needs room below */
			memcpy(xr, x, sizeof(x));
			xr[c * XH + t] += eps;
			vp = mm_plan_coupled_response(&h, base, xr, incr, total, NULL);
			xr[c * XH + t] -= 2 * eps;
			vm = mm_plan_coupled_response(&h, base, xr, incr, total, NULL);
			fd_ok = fd_ok && fabs((vp - vm) / (2 * eps) - marg[c * XH + t]) <= 1e-6 * fabs(marg[c * XH + t]) + 1e-9;
		}
	UNIT_OK(fd_ok, "coupled flights: marginals match central differences");
	/* never worse than 200 random feasible splits (flight by flight) */
	for (int r = 0; r < 200; r++)
	{
		double		v;

		for (int k = 0; k < XK; k++)
		{
			double		rest = budget[k];

			for (int c = 0; c < XC; c++)
			{
				s2[c * XK + k] = lower[c * XK + k];
				rest -= lower[c * XK + k];
			}
			/* fill in a random order, a random share of what is left each */
			for (int m = 0; m < XC && rest > 0; m++)
			{
				int			c = (int) ((m + r) % XC);
				double		add = fmin(upper[c * XK + k] - s2[c * XK + k],
									   m == XC - 1 ? rest : rest * gsl_rng_uniform(rng));

				s2[c * XK + k] += add;
				rest -= add;
			}
			for (int c = 0; c < XC && rest > 1e-12; c++)
			{
				double		add = fmin(upper[c * XK + k] - s2[c * XK + k], rest);

				s2[c * XK + k] += add;
				rest -= add;
			}
		}
		memset(xr, 0, sizeof(xr));
		for (int c = 0; c < XC; c++)
			for (int k = 0; k < XK; k++)
				for (int t = from[k]; t < to[k]; t++)
					xr[c * XH + t] = s2[c * XK + k] * mm_plan_pattern_share(&h, c, k, t);
		v = mm_plan_coupled_response(&h, base, xr, incr, total, NULL);
		best_random = fmax(best_random, v);
	}
	UNIT_OK(res.value >= best_random, "coupled flights: not worse than 200 random splits (%.10g vs %.10g)",
			res.value, best_random);
	UNIT_NEAR(mm_plan_coupled_response(&h, base, x, incr, total, NULL), res.value, 1e-9 * res.value,
			  "coupled flights: reported value is the forecast increment");

	/* deterministic: the same seed gives bit-identical results */
	gsl_rng_set(rng, 11);
	(void) mm_plan_coupled_budget(&h, base, (const double[]) {1, 2, 3}, rng, 5, &ws, dwork, x2, s2, lambda, &res2);
	UNIT_OK(memcmp(x, x2, sizeof(x)) == 0 && memcmp(s, s2, sizeof(s)) == 0 && res.value == res2.value,
			"coupled flights: reruns are bit-identical");
	gsl_rng_free(rng);
}

void
test_plan_coupled(void)
{
	ws.outer = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.inner = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.goal = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.interrupt = NULL;
	test_closed_form();
	test_goal();
	test_ratio_goal();
	test_s_curves();
	test_flights();
	gsl_root_fsolver_free(ws.outer);
	gsl_root_fsolver_free(ws.inner);
	gsl_root_fsolver_free(ws.goal);
}
