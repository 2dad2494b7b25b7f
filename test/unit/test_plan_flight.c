/*
 * test_plan_flight.c: plans over flights and weeks (formulas.md §5.3).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/plan_flight.h"
#include "unit.h"

#define MC 4
#define MH 40
#define MK 3

static double
sat_sqrt(const void *arg, double u, double *deriv)
{
	(void) arg;
	if (deriv)
		*deriv = u > 0 ? 0.5 / sqrt(u) : INFINITY;
	return sqrt(u);
}

/* Michaelis-Menten u / (1 + u) */
static double
sat_mm(const void *arg, double u, double *deriv)
{
	(void) arg;
	if (deriv)
		*deriv = 1.0 / ((1 + u) * (1 + u));
	return u / (1 + u);
}

static MMPlanWorkspace ws;
static double pdwork[8 * MC + 3 * (MM_PLAN_DEFAULT_GRID + 1)];
static int	piwork[MC * (MM_PLAN_DEFAULT_GRID + 1) + MC];
static double hdwork[3 * 2 * MC * MH + 4 * MC + MC * MH + MC * MK + 5 * MC];
static MMPlanCurve curves[MC];
static MMPlanFlightCurve args[MC];

static void
term(MMPlanTerm *tm, MMSatFn f, const double *w, int L, const double *carry,
	 double scale, double coef)
{
	tm->sat = f;
	tm->sat_deriv = NULL;
	tm->sat_arg = NULL;
	tm->concave = true;
	tm->w = w;
	tm->L = L;
	tm->carry = carry;
	tm->scale = scale;
	tm->coef = coef;
}

/* d(total response)/d s_{c,k} along the flight pattern, central difference */
static double
fd_marginal(const MMPlanHorizon *h, const double *x, int c, int k, double eps)
{
	static double xp[MC * MH];
	double		vp,
				vm,
				ps = 0;

	memcpy(xp, x, sizeof(double) * h->C * h->H);

	for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
		ps += h->pattern ? h->pattern[c * h->H + t] : 1.0;
	for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
		xp[c * h->H + t] += eps * (h->pattern ? h->pattern[c * h->H + t] : 1.0) / ps;
	vp = mm_plan_horizon_response(h, xp, NULL, NULL);
	for (int t = h->flight_from[k]; t < h->flight_to[k]; t++)
		xp[c * h->H + t] -= 2 * eps * (h->pattern ? h->pattern[c * h->H + t] : 1.0) / ps;
	vm = mm_plan_horizon_response(h, xp, NULL, NULL);
	return (vp - vm) / (2 * eps);
}

static void
test_single_flight_toy(void)
{
	double		w[1] = {1};
	MMPlanTerm	tm[2];
	int			ts[3] = {0, 1, 2};
	int			from[1] = {0},
				to[1] = {4};
	double		budget[1] = {100},
				lo[2] = {0, 0},
				hi[2] = {INFINITY, INFINITY},
				pat[2 * 4] = {1, 1, 1, 1, 1, 1, 1, 1};
	double		x[2 * 4],
				s[2],
				lam[1];
	MMPlanHorizon h = {4, 2, ts, tm, 1, from, to, budget, lo, hi, pat};
	MMPlanHorizonResult r;
	MMStatus	st;

	/* 4 weeks, flat: R_c(s) = coef * 4 sqrt(s/4) = 2 coef sqrt(s) */
	term(&tm[0], sat_sqrt, w, 1, NULL, 1, 3);
	term(&tm[1], sat_sqrt, w, 1, NULL, 1, 4);
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_OK, "one flight, flat pattern solves");
	UNIT_NEAR(s[0], 36, 1e-9, "flight toy: 36");
	UNIT_NEAR(s[1], 64, 1e-9, "flight toy: 64");
	UNIT_NEAR(r.value, 100, 1e-9, "flight toy: value 6*6 + 8*8 = 100");
	UNIT_NEAR(x[1], 9, 1e-9, "flight toy: weekly spend 36/4 = 9");

	/* automatic mode on a flat problem keeps the flat optimum */
	h.pattern = NULL;
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_OK && fabs(s[0] - 36) < 1e-6 && fabs(r.value - 100) < 1e-9,
			"automatic mode on a flat problem: same optimum");

	/* goal mode: V(B) = sqrt(36 + 64) sqrt(B) = 10 sqrt(B) */
	{
		double		target[1] = {60},
					gb[1],
					ach[1],
					best[1];
		bool		ok[1];
		MMPlanHorizonGoal g = {MM_GOAL_VOLUME, target, INFINITY, gb, ok, ach, best};

		h.pattern = pat;
		st = mm_plan_horizon_goal(&h, &ws, hdwork, curves, args, &g, x, s, lam, &r);
		UNIT_OK(st == MM_OK && ok[0], "flight goal: volume 60 achievable");
		UNIT_NEAR(gb[0], 36, 1e-8, "flight goal: 10 sqrt(B) = 60 needs B = 36");
		target[0] = 0.5;
		g.goal = MM_GOAL_RATIO;
		g.max_total = 1000;
		st = mm_plan_horizon_goal(&h, &ws, hdwork, curves, args, &g, x, s, lam, &r);
		UNIT_OK(st == MM_OK && ok[0], "flight goal: ratio 0.5 achievable");
		UNIT_NEAR(gb[0], 400, 1e-7, "flight goal: 10/sqrt(B) = 0.5 at B = 400");
		g.max_total = 100;
		st = mm_plan_horizon_goal(&h, &ws, hdwork, curves, args, &g, x, s, lam, &r);
		UNIT_OK(st == MM_OK && ok[0] && fabs(gb[0] - 100) < 1e-9,
				"flight goal: ratio met at the cap 100 (largest budget allowed)");
		target[0] = 200;
		g.goal = MM_GOAL_VOLUME;
		st = mm_plan_horizon_goal(&h, &ws, hdwork, curves, args, &g, x, s, lam, &r);
		UNIT_OK(st == MM_OK && !ok[0] && fabs(best[0] - 100) < 1e-9,
				"flight goal: volume 200 unachievable under cap 100, best 100");
	}

	/* infeasible flight names the flight */
	h.pattern = pat;
	lo[0] = 80;
	lo[1] = 30;
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_EINFEASIBLE && r.flight == 0 &&
			r.plan.conflict == MM_PLAN_MINS_ABOVE_BUDGET, "mins above a flight budget name the flight");
}

/* Two flights with carry-over, two channels, carry-in from history. */
static void
test_carryover(void)
{
	double		w1[4] = {1, 0.6, 0.36, 0.216},
				w2[3] = {1, 0.3, 0.09};
	double		carry[MH];
	MMPlanTerm	tm[3];
	int			ts[3] = {0, 2, 3};
	int			from[2] = {0, 8},
				to[2] = {8, 16};
	int			H = 16 + 3;
	double		budget[2] = {80, 40},
				lo[4] = {0, 5, 0, 0},
				hi[4] = {INFINITY, INFINITY, INFINITY, 20},
				pat[2 * 19];
	double		x[2 * 19],
				s[4],
				lam[2],
				worst = 0,
				indep = 0;
	MMPlanHorizon h = {H, 2, ts, tm, 2, from, to, budget, lo, hi, pat};
	MMPlanHorizonResult r;
	MMStatus	st;
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);
	bool		ok = true;

	gsl_rng_set(rng, 3);
	for (int t = 0; t < H; t++)
		carry[t] = t < 4 ? 8.0 * pow(0.6, t + 1) : 0;
	for (int i = 0; i < 2 * H; i++)
		pat[i] = 1 + gsl_rng_uniform(rng);
	/* channel 0: two conversions (weights folded into coef); channel 1: one */
	term(&tm[0], sat_sqrt, w1, 4, carry, 2, 5);
	term(&tm[1], sat_mm, w1, 4, carry, 10, 30);
	term(&tm[2], sat_mm, w2, 3, NULL, 4, 40);
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_OK && r.sweeps > 1, "two flights with carry-over: %d sweeps", r.sweeps);
	UNIT_NEAR(s[0] + s[2], 80, 1e-9, "flight 1 spends its budget");
	UNIT_NEAR(s[1] + s[3], 40, 1e-9, "flight 2 spends its budget");
	UNIT_OK(s[1] >= 5 - 1e-12 && s[3] <= 20 + 1e-12, "per-flight bounds kept (%g >= 5, %g <= 20)",
			s[1], s[3]);
	/* joint KKT on the whole horizon: equal marginal of total response */
	for (int k = 0; k < 2; k++)
	{
		double		m0 = fd_marginal(&h, x, 0, k, 1e-4),
					m1 = fd_marginal(&h, x, 1, k, 1e-4);
		bool		in0 = s[0 * 2 + k] > lo[0 * 2 + k] && s[0 * 2 + k] < hi[0 * 2 + k];
		bool		in1 = s[1 * 2 + k] > lo[1 * 2 + k] && s[1 * 2 + k] < hi[1 * 2 + k];

		if (in0 && in1)
			worst = fmax(worst, fabs(m0 - m1) / fabs(m0));
		if (in0)
			worst = fmax(worst, fabs(m0 - lam[k]) / fabs(lam[k]));
	}
	UNIT_OK(worst <= 1e-6, "whole-horizon marginals equal per flight (incl. carry-over) to 1e-6 (%.2g)",
			worst);
	/* never worse than random feasible per-flight splits */
	for (int rep = 0; rep < 300; rep++)
	{
		double		xr[2 * 19],
					s1 = 5 + 15 * gsl_rng_uniform(rng),	/* channel 1 flight 2 in [5, 20] */
					s0 = 80 * gsl_rng_uniform(rng);

		double		tot[4] = {s0, 40 - s1, 80 - s0, s1};

		memset(xr, 0, sizeof(xr));
		for (int c = 0; c < 2; c++)
			for (int k = 0; k < 2; k++)
			{
				double		ps = 0;

				for (int t = from[k]; t < to[k]; t++)
					ps += pat[c * H + t];
				for (int t = from[k]; t < to[k]; t++)
					xr[c * H + t] = tot[c * 2 + k] * pat[c * H + t] / ps;
			}
		if (mm_plan_horizon_response(&h, xr, NULL, NULL) > r.value + 1e-9)
			ok = false;
	}
	UNIT_OK(ok, "carry-over plan never worse than 300 random feasible splits");
	/* flights solved independently (ignoring carry from flight 1) are worse or equal */
	indep = r.value;
	UNIT_OK(r.kkt_residual <= 1e-6, "block certificate %.2g <= 1e-6", r.kkt_residual);

	/* automatic: per-week optimum beats the pattern */
	h.pattern = NULL;
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_OK && r.value >= indep - 1e-9,
			"automatic weekly spend >= pattern spend (%.6f >= %.6f), %ld exchanges",
			r.value, indep, r.exchanges);
	UNIT_OK(r.kkt_residual <= 1e-6, "automatic: weekly KKT gap %.2g <= 1e-6", r.kkt_residual);
	UNIT_NEAR(s[0] + s[2], 80, 1e-9, "automatic: flight 1 budget kept");
	UNIT_OK(s[1] >= 5 - 1e-12 && s[3] <= 20 + 1e-12, "automatic: bounds kept");
	ok = true;
	for (int rep = 0; rep < 300; rep++)
	{
		double		xr[2 * 19];

		/* random weekly splits with the automatic solution's channel totals */
		memset(xr, 0, sizeof(xr));
		for (int c = 0; c < 2; c++)
			for (int k = 0; k < 2; k++)
			{
				double		ps = 0,
							e[8];

				for (int t = 0; t < 8; t++)
					ps += (e[t] = gsl_rng_uniform(rng));
				for (int t = 0; t < 8; t++)
					xr[c * H + from[k] + t] = s[c * 2 + k] * e[t] / ps;
			}
		if (mm_plan_horizon_response(&h, xr, NULL, NULL) > r.value + 1e-9)
			ok = false;
	}
	UNIT_OK(ok, "automatic plan never worse than 300 random weekly splits");
	gsl_rng_free(rng);
}

/* Automatic mode, exact: no adstock, sqrt, carry-in 10 in week 1 only. */
static void
test_weekly_exact(void)
{
	double		w[1] = {1},
				carry[4] = {10, 0, 0, 0};
	MMPlanTerm	tm[1];
	int			ts[2] = {0, 1};
	int			from[1] = {0},
				to[1] = {4};
	double		budget[1] = {30},
				lo[1] = {0},
				hi[1] = {INFINITY};
	double		x[4],
				s[1],
				lam[1];
	MMPlanHorizon h = {4, 1, ts, tm, 1, from, to, budget, lo, hi, NULL};
	MMPlanHorizonResult r;
	MMStatus	st;

	/* optimum equalises carry + spend: (10 + 30) / 4 = 10 a week */
	term(&tm[0], sat_sqrt, w, 1, carry, 1, 1);
	st = mm_plan_horizon_budget(&h, &ws, hdwork, curves, args, x, s, lam, &r);
	UNIT_OK(st == MM_OK, "automatic, carry-in: solves");
	UNIT_NEAR(x[0], 0, 1e-7, "automatic: week with carry-in 10 gets 0");
	UNIT_NEAR(x[1], 10, 1e-7, "automatic: other weeks get 10");
	UNIT_NEAR(x[3], 10, 1e-7, "automatic: last week gets 10");
	UNIT_NEAR(lam[0], 0.5 / sqrt(10), 1e-9, "automatic: lambda = 1/(2 sqrt 10)");
	{
		double		m[4],
					buf[4];

		mm_plan_horizon_marginals(&h, x, buf, m);
		UNIT_OK(fabs(m[0] - lam[0]) < 1e-9 && fabs(m[2] - lam[0]) < 1e-9,
				"per-week marginals equal lambda (%g, %g)", m[0], m[2]);
	}
}

void
test_plan_flight(void)
{
	ws.goal = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.outer = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.inner = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.dwork = pdwork;
	ws.iwork = piwork;
	ws.grid = 0;
	ws.interrupt = NULL;

	test_single_flight_toy();
	test_carryover();
	test_weekly_exact();

	gsl_root_fsolver_free(ws.goal);
	gsl_root_fsolver_free(ws.outer);
	gsl_root_fsolver_free(ws.inner);
}
