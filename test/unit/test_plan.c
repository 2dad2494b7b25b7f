/*
 * test_plan.c: budget and goal allocation (formulas.md §5.1, §5.2).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/plan.h"
#include "unit.h"

/* Parametric test curves: R(s) = k * shape(s). */
typedef enum
{
	T_SQRT,						/* k sqrt(s) */
	T_LINEAR,					/* k s */
	T_HILL,						/* k s^a / (s^a + K^a) */
	T_MM						/* k s / (K + s) */
} TKind;

typedef struct
{
	TKind		kind;
	double		k;
	double		a;
	double		K;
} TCurve;

static double
tcurve(const void *arg, double s, double *deriv)
{
	const TCurve *t = arg;
	double		v = 0,
				d = 0;

	switch (t->kind)
	{
		case T_SQRT:
			v = t->k * sqrt(s);
			d = s > 0 ? t->k / (2 * sqrt(s)) : INFINITY;
			break;
		case T_LINEAR:
			v = t->k * s;
			d = t->k;
			break;
		case T_HILL:
			{
				double		sa = pow(s, t->a),
							Ka = pow(t->K, t->a);

				v = t->k * sa / (sa + Ka);
				d = s > 0 ? t->k * t->a * Ka * pow(s, t->a - 1) / ((sa + Ka) * (sa + Ka))
					: (t->a < 1 ? INFINITY : t->a == 1 ? t->k / t->K : 0);
			}
			break;
		case T_MM:
			v = t->k * s / (t->K + s);
			d = t->k * t->K / ((t->K + s) * (t->K + s));
			break;
	}
	if (deriv)
		*deriv = d;
	return v;
}

#define MAXC 32

static MMPlanWorkspace ws;
static double dwork[8 * MAXC + 3 * (MM_PLAN_DEFAULT_GRID + 1)];
static int	iwork[MAXC * (MM_PLAN_DEFAULT_GRID + 1) + MAXC];

static void
setup(TCurve *t, MMPlanCurve *c, int C)
{
	for (int i = 0; i < C; i++)
	{
		c[i].fn = tcurve;
		c[i].dfn = NULL;
		c[i].arg = &t[i];
		c[i].concave = !(t[i].kind == T_HILL && t[i].a > 1);
	}
}

static double
total_value(const MMPlanCurve *c, const double *s, int C)
{
	double		v = 0;

	for (int i = 0; i < C; i++)
		v += c[i].fn(c[i].arg, s[i], NULL);
	return v;
}

/* Max relative spread of R' across channels strictly inside their bounds. */
static double
interior_spread(const double *marg, const double *s, const double *lo,
				const double *hi, int C, double lambda)
{
	double		worst = 0;

	for (int i = 0; i < C; i++)
		if (s[i] > lo[i] && s[i] < hi[i])
			worst = fmax(worst, fabs(marg[i] - lambda) / lambda);
	return worst;
}

static void
test_toys(void)
{
	TCurve		t[2] = {{T_SQRT, 3, 0, 0}, {T_SQRT, 4, 0, 0}};
	MMPlanCurve c[2];
	double		lo[2] = {0, 0},
				hi[2] = {INFINITY, INFINITY},
				s[2],
				m[2];
	MMPlanResult r;
	MMPlanGoalResult g;
	MMStatus	st;

	setup(t, c, 2);
	st = mm_plan_budget(c, lo, hi, 2, 100, &ws, s, m, &r);
	UNIT_OK(st == MM_OK && r.method == MM_PLAN_KKT, "toy 3sqrt/4sqrt B=100 solves by KKT");
	UNIT_NEAR(s[0], 36, 1e-9, "toy: s1 = 36");
	UNIT_NEAR(s[1], 64, 1e-9, "toy: s2 = 64");
	UNIT_NEAR(r.lambda, 0.25, 1e-12, "toy: lambda = 0.25");
	UNIT_NEAR(r.value, 50, 1e-9, "toy: value 50");
	UNIT_OK(r.kkt_residual <= 1e-9, "toy: KKT residual %.3g <= 1e-9", r.kkt_residual);
	UNIT_NEAR(s[0] + s[1], 100, 1e-12, "toy: budget spent exactly");

	/* floor binds: channel 1 held at 40, R1'(40) < lambda = R2'(60) */
	lo[0] = 40;
	st = mm_plan_budget(c, lo, hi, 2, 100, &ws, s, m, &r);
	UNIT_OK(st == MM_OK && s[0] == 40, "lower bound binds at 40");
	UNIT_NEAR(s[1], 60, 1e-9, "the rest goes to channel 2");
	UNIT_NEAR(r.lambda, 4 / (2 * sqrt(60)), 1e-9, "lambda = R2'(60)");
	UNIT_OK(m[0] <= r.lambda && r.kkt_residual <= 1e-9, "KKT at the lower bound: R1'(40) <= lambda");

	/* cap binds: channel 2 held at 50 */
	lo[0] = 0;
	hi[1] = 50;
	st = mm_plan_budget(c, lo, hi, 2, 100, &ws, s, m, &r);
	UNIT_OK(st == MM_OK && s[1] == 50 && fabs(s[0] - 50) < 1e-9, "upper bound binds at 50");
	UNIT_OK(m[1] >= r.lambda && r.kkt_residual <= 1e-9, "KKT at the upper bound: R2'(50) >= lambda");
	hi[1] = INFINITY;

	/* goal mode, volume: 5 sqrt(B) = 60 gives B = 144 */
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_VOLUME, 60, 1000, &ws, s, m, &g);
	UNIT_OK(st == MM_OK && g.achievable, "volume target 60 achievable");
	UNIT_NEAR(g.budget, 144, 1e-8, "volume target 60 needs B = 144");
	UNIT_NEAR(s[0], 144 * 9.0 / 25, 1e-7, "on the expansion path: s1 = 9/25 B");
	/* not achievable under a cap of 100: best 50 */
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_VOLUME, 60, 100, &ws, s, m, &g);
	UNIT_OK(st == MM_OK && !g.achievable, "volume target 60 unachievable under max 100");
	UNIT_NEAR(g.best, 50, 1e-9, "best reachable volume 50");
	/* floors already reach the target */
	lo[0] = 100;
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_VOLUME, 20, 1000, &ws, s, m, &g);
	UNIT_OK(st == MM_OK && g.achievable && g.budget == 100, "floors reach the target: B = sum of mins");
	lo[0] = 0;

	/* ratio: 5/sqrt(B) >= 0.5 gives B = 100 */
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_RATIO, 0.5, 1000, &ws, s, m, &g);
	UNIT_OK(st == MM_OK && g.achievable, "ratio target 0.5 achievable");
	UNIT_NEAR(g.budget, 100, 1e-8, "ratio target 0.5: largest B = 100");
	UNIT_NEAR(g.achieved, 0.5, 1e-9, "ratio at B = 100 is 0.5");
	/* with mins summing to 400 the ratio is at most 0.25 */
	lo[0] = 144;
	lo[1] = 256;
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_RATIO, 0.5, 1000, &ws, s, m, &g);
	UNIT_OK(st == MM_OK && !g.achievable, "ratio target unachievable above the floors");
	UNIT_NEAR(g.best, 0.25, 1e-9, "best reachable ratio 0.25 at the floors");
}

static void
test_infeasible(void)
{
	TCurve		t[2] = {{T_SQRT, 3, 0, 0}, {T_SQRT, 4, 0, 0}};
	MMPlanCurve c[2];
	double		lo[2] = {60, 50},
				hi[2] = {100, 100},
				s[2];
	MMPlanResult r;
	MMPlanGoalResult g;
	MMStatus	st;

	setup(t, c, 2);
	st = mm_plan_budget(c, lo, hi, 2, 100, &ws, s, NULL, &r);
	UNIT_OK(st == MM_EINFEASIBLE && r.conflict == MM_PLAN_MINS_ABOVE_BUDGET &&
			r.sum_lower == 110, "mins 110 above budget 100");
	lo[0] = 0;
	lo[1] = 0;
	hi[0] = 30;
	hi[1] = 40;
	st = mm_plan_budget(c, lo, hi, 2, 100, &ws, s, NULL, &r);
	UNIT_OK(st == MM_EINFEASIBLE && r.conflict == MM_PLAN_BUDGET_ABOVE_MAXS &&
			r.sum_upper == 70, "budget 100 above maxs 70");
	lo[1] = 50;
	st = mm_plan_budget(c, lo, hi, 2, 60, &ws, s, NULL, &r);
	UNIT_OK(st == MM_EINFEASIBLE && r.conflict == MM_PLAN_BAD_BOUND &&
			r.conflict_channel == 1, "max 40 below min 50 names channel 1");
	lo[1] = 0;
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_VOLUME, 10, 0, &ws, s, NULL, &g);
	UNIT_OK(st == MM_EINFEASIBLE && g.plan.conflict == MM_PLAN_NO_BUDGET,
			"a target with no budget");
	st = mm_plan_budget(c, lo, hi, 2, NAN, &ws, s, NULL, &r);
	UNIT_OK(st == MM_EDOM, "NaN budget is a domain error");
	/* exactly the sum of maxs: everything at the caps */
	st = mm_plan_budget(c, lo, hi, 2, 70, &ws, s, NULL, &r);
	UNIT_OK(st == MM_OK && s[0] == 30 && s[1] == 40, "budget = sum of maxs fills every cap");
}

static void
test_flat(void)
{
	/* equal linear curves: every split is optimal; split by room */
	TCurve		t[3] = {{T_LINEAR, 2, 0, 0}, {T_LINEAR, 2, 0, 0}, {T_LINEAR, 1, 0, 0}};
	MMPlanCurve c[3];
	double		lo[3] = {0, 0, 0},
				hi[3] = {30, 90, 100},
				s[3];
	MMPlanResult r;
	MMStatus	st;

	setup(t, c, 3);
	st = mm_plan_budget(c, lo, hi, 3, 60, &ws, s, NULL, &r);
	UNIT_OK(st == MM_OK, "flat marginals solve");
	UNIT_NEAR(s[0], 15, 1e-9, "flat region split by room: 15");
	UNIT_NEAR(s[1], 45, 1e-9, "flat region split by room: 45");
	UNIT_NEAR(s[2], 0, 1e-12, "the worse channel gets nothing");
	UNIT_NEAR(r.value, 120, 1e-9, "value 120");
	UNIT_NEAR(r.lambda, 2, 1e-12, "lambda 2");
}

/* Concave curves of several families with random bounds: KKT to 1e-6. */
static void
test_kkt_random(void)
{
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int			worst_ok = 1,
				all_ok = 1;
	double		worst = 0;

	gsl_rng_set(rng, 42);
	for (int rep = 0; rep < 50; rep++)
	{
		int			C = 20;
		TCurve		t[MAXC];
		MMPlanCurve c[MAXC];
		double		lo[MAXC],
					hi[MAXC],
					s[MAXC],
					m[MAXC],
					sl = 0,
					su = 0,
					B;
		MMPlanResult r;
		MMStatus	st;

		for (int i = 0; i < C; i++)
		{
			int			kind = (int) gsl_rng_uniform_int(rng, 3);

			t[i].k = 10 + 1000 * gsl_rng_uniform(rng);
			t[i].K = 5 + 200 * gsl_rng_uniform(rng);
			t[i].a = 0.3 + 0.7 * gsl_rng_uniform(rng);
			t[i].kind = kind == 0 ? T_SQRT : kind == 1 ? T_HILL : T_MM;
			lo[i] = gsl_rng_uniform(rng) < 0.3 ? 20 * gsl_rng_uniform(rng) : 0;
			hi[i] = lo[i] + (gsl_rng_uniform(rng) < 0.3 ? 30 * gsl_rng_uniform(rng) : 500);
			sl += lo[i];
			su += hi[i];
		}
		setup(t, c, C);
		B = sl + (su - sl) * (0.05 + 0.9 * gsl_rng_uniform(rng));
		st = mm_plan_budget(c, lo, hi, C, B, &ws, s, m, &r);
		if (st != MM_OK || r.method != MM_PLAN_KKT)
			all_ok = 0;
		else
		{
			double		sum = 0;

			for (int i = 0; i < C; i++)
			{
				sum += s[i];
				if (s[i] < lo[i] || s[i] > hi[i])
					all_ok = 0;
			}
			if (fabs(sum - B) > 1e-9 * B)
				all_ok = 0;
			worst = fmax(worst, fmax(r.kkt_residual,
									 interior_spread(m, s, lo, hi, C, r.lambda)));
		}
	}
	worst_ok = worst <= 1e-6;
	UNIT_OK(all_ok, "50 random 20-channel concave problems: feasible, budget spent, bounds kept");
	UNIT_OK(worst_ok, "equal marginal return across interior channels to 1e-6 (worst %.2g)", worst);
	gsl_rng_free(rng);
}

/* S-curves: two identical Hill alpha = 3 channels, small budget: all in one. */
static void
test_scurve(void)
{
	TCurve		t[2] = {{T_HILL, 1, 3, 10}, {T_HILL, 1, 3, 10}};
	MMPlanCurve c[2];
	double		lo[2] = {0, 0},
				hi[2] = {100, 100},
				s[2];
	MMPlanResult r;
	MMStatus	st;

	setup(t, c, 2);
	st = mm_plan_budget(c, lo, hi, 2, 12, &ws, s, NULL, &r);
	UNIT_OK(st == MM_OK && (r.method == MM_PLAN_GRID_POLISHED || r.method == MM_PLAN_GRID),
			"S-curves use the grid DP");
	UNIT_OK(fmax(s[0], s[1]) > 11.9, "S-curves, small budget: one channel funded (%g, %g)", s[0], s[1]);
	UNIT_OK(r.value >= 1728.0 / 2728.0 - 1e-9, "value >= all-in-one 0.6334 (%.6f)", r.value);
	UNIT_OK(r.value > 2 * 216.0 / 1216.0, "beats the equal split 0.3553");
}

/* Mixed S-curves and concave curves: never worse than history or random splits. */
static void
test_scurve_random(void)
{
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int			ok = 1,
				kkt_ok = 1,
				n_alloc = 0,
				n_polished = 0;
	double		worst_gap = INFINITY;

	gsl_rng_set(rng, 7);
	for (int rep = 0; rep < 20; rep++)
	{
		int			C = 8;
		TCurve		t[MAXC];
		MMPlanCurve c[MAXC];
		double		lo[MAXC],
					hi[MAXC],
					s[MAXC],
					m[MAXC],
					hist[MAXC],
					alpha[MAXC],
					theta[MAXC],
					x[MAXC],
					B = 0,
					hv;
		MMPlanResult r;

		for (int i = 0; i < C; i++)
		{
			t[i].kind = T_HILL;
			t[i].a = gsl_rng_uniform(rng) < 0.7 ? 1.5 + 2.5 * gsl_rng_uniform(rng)
				: 0.5 + 0.5 * gsl_rng_uniform(rng);
			t[i].K = 20 + 100 * gsl_rng_uniform(rng);
			t[i].k = 100 + 900 * gsl_rng_uniform(rng);
			lo[i] = 0;
			hi[i] = 300;
			hist[i] = 10 + 60 * gsl_rng_uniform(rng);
			B += hist[i];
			alpha[i] = 1.0;
		}
		setup(t, c, C);
		if (mm_plan_budget(c, lo, hi, C, B, &ws, s, m, &r) != MM_OK)
		{
			ok = 0;
			continue;
		}
		hv = total_value(c, hist, C);
		worst_gap = fmin(worst_gap, r.value - hv);
		if (r.value < hv)
			ok = 0;
		for (int i = 0; i < C; i++)
			if (s[i] < lo[i] - 1e-12 || s[i] > hi[i] + 1e-12)
				ok = 0;
		/* the polish certificate, when the polish was kept */
		if (r.method == MM_PLAN_GRID_POLISHED)
		{
			n_polished++;
			for (int i = 0; i < C; i++)
				if (s[i] > lo[i] && s[i] < hi[i] && fabs(m[i] - r.lambda) > 1e-6 * r.lambda)
				{
					kkt_ok = 0;
					printf("# rep %d ch %d a %g K %g s %.10g m %.10g lambda %.10g\n", rep, i, t[i].a, t[i].K, s[i], m[i], r.lambda);
				}
		}
		for (int k = 0; k < 200; k++)
		{
			gsl_ran_dirichlet(rng, C, alpha, theta);
			for (int i = 0; i < C; i++)
				x[i] = fmin(hi[i], B * theta[i]);
			n_alloc++;
			worst_gap = fmin(worst_gap, r.value - total_value(c, x, C));
			if (total_value(c, x, C) > r.value)
				ok = 0;
		}
	}
	UNIT_OK(ok, "S-curves: never worse than history or %d random feasible splits (min gap %.4g)",
			n_alloc, worst_gap);
	UNIT_OK(kkt_ok && n_polished >= 10,
			"S-curves: polish kept in %d of 20, funded channels at equal marginals to 1e-6",
			n_polished);
	gsl_rng_free(rng);
}

static void
test_scurve_goal(void)
{
	TCurve		t[2] = {{T_HILL, 100, 3, 10}, {T_HILL, 100, 3, 10}};
	MMPlanCurve c[2];
	double		lo[2] = {0, 0},
				hi[2] = {100, 100},
				s[2];
	MMPlanGoalResult g;
	MMStatus	st;

	setup(t, c, 2);
	/* volume 50 needs one channel at K = 10: B = 10 */
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_VOLUME, 50, 200, &ws, s, NULL, &g);
	UNIT_OK(st == MM_OK && g.achievable, "S-curve volume goal achievable");
	UNIT_NEAR(g.budget, 10, 1e-6, "S-curve volume 50 needs B = K = 10");
	/* ratio: max of V(B)/B is inside; a target of 4 is reachable */
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_RATIO, 4, 200, &ws, s, NULL, &g);
	UNIT_OK(st == MM_OK && g.achievable && g.achieved >= 4 - 1e-9,
			"S-curve ratio goal: found B = %g with ratio %g", g.budget, g.achieved);
	st = mm_plan_goal(c, lo, hi, 2, MM_GOAL_RATIO, 50, 200, &ws, s, NULL, &g);
	UNIT_OK(st == MM_OK && !g.achievable && g.best < 50 && g.best > 5,
			"S-curve ratio 50 unachievable, best %g", g.best);
}

void
test_plan(void)
{
	ws.goal = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.outer = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.inner = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.dwork = dwork;
	ws.iwork = iwork;
	ws.grid = 0;
	ws.interrupt = NULL;

	test_toys();
	test_infeasible();
	test_flat();
	test_kkt_random();
	test_scurve();
	test_scurve_random();
	test_scurve_goal();

	gsl_root_fsolver_free(ws.goal);
	gsl_root_fsolver_free(ws.outer);
	gsl_root_fsolver_free(ws.inner);
}
