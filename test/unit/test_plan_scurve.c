/*
 * test_plan_scurve.c: plans over flights and weeks with S-shaped Hill curves
 * (alpha in 1.5..3), issue 6: the solver is never worse than the historical
 * split or random feasible allocations, evaluated by the same response
 * function, and never violates a constraint.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/plan_flight.h"
#include "math/plan_model.h"
#include "math/saturation.h"
#include "unit.h"

#define SC 5					/* channels */
#define SK 2					/* flights */
#define SW 6					/* weeks per flight */
#define SL 3					/* adstock lags */
#define SP (SK * SW)			/* flight weeks */
#define SH (SP + SL - 1)		/* horizon with the lag tail */
#define N_RANDOM 60				/* random allocations per case and mode */
#define REL_SLACK 1e-12			/* rounding of the two evaluations */

/* One generated problem. */
typedef struct Case
{
	MMChannelSpec sat[SC];
	double		w[SC * SL];
	double		carry[SC * SH];
	MMPlanTerm	terms[SC];
	int			ts[SC + 1];
	int			from[SK];
	int			to[SK];
	double		budget[SK];
	double		lo[SC * SK];
	double		hi[SC * SK];
	double		hist[SC * SK];	/* historical channel totals per flight */
	double		flat[SC * SH];
	MMPlanHorizon h;
} Case;

static void
make_case(Case *cs, gsl_rng *rng, bool tight)
{
	memset(cs, 0, sizeof(*cs));
	for (int c = 0; c < SC; c++)
	{
		double		theta = 0.1 + 0.5 * gsl_rng_uniform(rng),
					c0 = gsl_rng_uniform(rng) < 0.5 ? 30 * gsl_rng_uniform(rng) : 0;

		cs->sat[c].saturation = MM_SAT_HILL;
		cs->sat[c].sat_p1 = 1.5 + 1.5 * gsl_rng_uniform(rng);
		cs->sat[c].sat_p2 = 20 + 60 * gsl_rng_uniform(rng);
		for (int l = 0; l < SL; l++)
			cs->w[c * SL + l] = pow(theta, l);
		/* carry-in from history: geometric decay of an adstocked level c0 */
		for (int t = 0; t < SL - 1; t++)
			cs->carry[c * SH + t] = c0 * pow(theta, t + 1);
		cs->terms[c] = (MMPlanTerm) {mm_plan_spec_sat, mm_plan_spec_sat_deriv, &cs->sat[c], false, cs->w + c * SL, SL,
			cs->carry + c * SH, 1.0, 100 + 900 * gsl_rng_uniform(rng)};
		cs->ts[c] = c;
		for (int k = 0; k < SK; k++)
		{
			double		weekly = 5 + 35 * gsl_rng_uniform(rng);

			cs->hist[c * SK + k] = SW * weekly;
			/* every other channel has a minimum */
			cs->lo[c * SK + k] = c % 2 ? 0.3 * cs->hist[c * SK + k] : 0.0;
			cs->hi[c * SK + k] = 3 * cs->hist[c * SK + k];
		}
		for (int t = 0; t < SH; t++)
			cs->flat[c * SH + t] = t < SP ? 1.0 : 0.0;
	}
	cs->ts[SC] = SC;
	for (int k = 0; k < SK; k++)
	{
		double		sl = 0,
					sh = 0,
					su = 0;

		cs->from[k] = k * SW;
		cs->to[k] = (k + 1) * SW;
		for (int c = 0; c < SC; c++)
		{
			sl += cs->lo[c * SK + k];
			sh += cs->hist[c * SK + k];
			su += cs->hi[c * SK + k];
		}
		/* tight: a quarter of the way from the minimums to history; loose: 1.6 x history */
		cs->budget[k] = tight ? sl + 0.25 * (sh - sl) : fmin(1.6 * sh, 0.9 * su);
	}
	cs->h = (MMPlanHorizon) {SH, SC, cs->ts, cs->terms, SK, cs->from, cs->to, cs->budget,
		cs->lo, cs->hi, cs->flat};
}

/*
 * A feasible split of flight k's budget in proportion to share[] as far as
 * the bounds allow: s_c = clamp(tau share_c, l_c, u_c) with sum s_c = B.
 */
static void
feasible_split(const Case *cs, int k, const double *share, double *s)
{
	double		a = 0,
				b = 0,
				sum = 0;

	for (int c = 0; c < SC; c++)
		b = fmax(b, cs->hi[c * SK + k] / fmax(share[c], 1e-300));
	for (int it = 0; it < 200; it++)
	{
		double		tau = 0.5 * (a + b);

		sum = 0;
		for (int c = 0; c < SC; c++)
			sum += fmin(cs->hi[c * SK + k], fmax(cs->lo[c * SK + k], tau * share[c]));
		if (sum < cs->budget[k])
			a = tau;
		else
			b = tau;
	}
	sum = 0;
	for (int c = 0; c < SC; c++)
		sum += s[c * SK + k] = fmin(cs->hi[c * SK + k], fmax(cs->lo[c * SK + k], b * share[c]));
	/* the rounding left over goes to a channel with room */
	for (int c = 0; c < SC && sum != cs->budget[k]; c++)
	{
		double		v = fmin(cs->hi[c * SK + k],
							 fmax(cs->lo[c * SK + k], s[c * SK + k] + cs->budget[k] - sum));

		sum += v - s[c * SK + k];
		s[c * SK + k] = v;
	}
}

/* Weekly spend from channel totals: flat, or random weights per flight. */
static void
weekly(const Case *cs, const double *s, gsl_rng *rng, double *x)
{
	memset(x, 0, sizeof(double) * SC * SH);
	for (int c = 0; c < SC; c++)
		for (int k = 0; k < SK; k++)
		{
			double		ones[SW],
						e[SW];

			for (int t = 0; t < SW; t++)
				ones[t] = 1.0;
			if (rng)
				gsl_ran_dirichlet(rng, SW, ones, e);
			for (int t = 0; t < SW; t++)
				x[c * SH + cs->from[k] + t] = s[c * SK + k] * (rng ? e[t] : 1.0 / SW);
		}
}

/* Constraints of a result: flight budgets, bounds, weekly spend >= 0 and adding up. */
static bool
constraints_hold(const Case *cs, const double *x, const double *s)
{
	for (int k = 0; k < SK; k++)
	{
		double		tot = 0;

		for (int c = 0; c < SC; c++)
		{
			double		wk = 0;

			if (s[c * SK + k] < cs->lo[c * SK + k] || s[c * SK + k] > cs->hi[c * SK + k])
				return false;
			for (int t = cs->from[k]; t < cs->to[k]; t++)
			{
				if (x[c * SH + t] < 0)
					return false;
				wk += x[c * SH + t];
			}
			if (fabs(wk - s[c * SK + k]) > 1e-9 * cs->budget[k])
				return false;
			tot += s[c * SK + k];
		}
		if (fabs(tot - cs->budget[k]) > 1e-9 * cs->budget[k])
			return false;
	}
	for (int c = 0; c < SC; c++)
		for (int t = SP; t < SH; t++)
			if (x[c * SH + t] != 0)
				return false;
	return true;
}

static void
test_scurve_cases(bool automatic)
{
	const char *mode = automatic ? "automatic" : "flat";
	gsl_rng    *rng = gsl_rng_alloc(gsl_rng_mt19937);
	MMPlanWorkspace ws;
	MMPlanCurve curves[SC];
	MMPlanFlightCurve args[SC];
	double	   *hdwork;
	int			n_cases = 0,
				n_solved = 0,
				n_feasible = 0,
				n_beats_hist = 0,
				n_random = 0,
				n_random_worse = 0,
				n_ge_flat = 0;
	double		min_gain_hist = INFINITY,
				min_gain_random = INFINITY;

	ws.goal = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.outer = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.inner = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	ws.grid = 0;
	ws.dwork = malloc(sizeof(double) * mm_plan_workspace_doubles(SC, 0));
	ws.iwork = malloc(sizeof(int) * mm_plan_workspace_ints(SC, 0));
	ws.interrupt = NULL;

	for (int seed = 1; seed <= 5; seed++)
		for (int tight = 0; tight < 2; tight++)
		{
			Case		cs;
			double		x[SC * SH],
						xr[SC * SH],
						s[SC * SK],
						sr[SC * SK],
						lam[SK],
						v,
						vh;
			MMPlanHorizonResult r;

			gsl_rng_set(rng, 100 * seed + tight);
			make_case(&cs, rng, tight);
			if (automatic)
				cs.h.pattern = NULL;
			hdwork = malloc(sizeof(double) * mm_plan_horizon_doubles(&cs.h));
			n_cases++;
			if (mm_plan_horizon_budget(&cs.h, &ws, hdwork, curves, args, x, s, lam, &r) != MM_OK)
			{
				free(hdwork);
				continue;
			}
			n_solved++;
			if (constraints_hold(&cs, x, s))
				n_feasible++;
			v = mm_plan_horizon_response(&cs.h, x, NULL, NULL);
			if (automatic)
			{
				/* every weekly exchange is an ascent from the flat optimum */
				double		fx[SC * SH],
							fs[SC * SK];

				cs.h.pattern = cs.flat;
				if (mm_plan_horizon_budget(&cs.h, &ws, hdwork, curves, args, fx, fs, lam,
										   &r) == MM_OK &&
					v >= mm_plan_horizon_response(&cs.h, fx, NULL, NULL) * (1 - REL_SLACK))
					n_ge_flat++;
				cs.h.pattern = NULL;
			}
			free(hdwork);

			/* the historical split of the same budgets, flat within each flight */
			for (int k = 0; k < SK; k++)
			{
				double		share[SC];

				for (int c = 0; c < SC; c++)
					share[c] = cs.hist[c * SK + k];
				feasible_split(&cs, k, share, sr);
			}
			weekly(&cs, sr, NULL, xr);
			vh = mm_plan_horizon_response(&cs.h, xr, NULL, NULL);
			min_gain_hist = fmin(min_gain_hist, (v - vh) / fabs(vh));
			if (v >= vh - REL_SLACK * fabs(vh) && constraints_hold(&cs, xr, sr))
				n_beats_hist++;

			/* random feasible splits: flat weeks, and (automatic) random weeks too */
			for (int i = 0; i < N_RANDOM; i++)
			{
				double		ones[SC],
							share[SC],
							vr;

				for (int c = 0; c < SC; c++)
					ones[c] = 1.0;
				for (int k = 0; k < SK; k++)
				{
					gsl_ran_dirichlet(rng, SC, ones, share);
					feasible_split(&cs, k, share, sr);
				}
				weekly(&cs, sr, automatic && i % 2 ? rng : NULL, xr);
				if (!constraints_hold(&cs, xr, sr))
					continue;	/* not counted: n_random stays short */
				vr = mm_plan_horizon_response(&cs.h, xr, NULL, NULL);
				n_random++;
				min_gain_random = fmin(min_gain_random, (v - vr) / fabs(vr));
				if (v < vr - REL_SLACK * fabs(vr))
					n_random_worse++;
			}
		}

	UNIT_OK(n_solved == n_cases && n_feasible == n_cases,
			"S-curves over flights (%s): %d of %d cases solved, constraints hold in %d",
			mode, n_solved, n_cases, n_feasible);
	UNIT_OK(n_beats_hist == n_cases,
			"S-curves (%s): >= the historical split in %d of %d cases (least gain %.3g)",
			mode, n_beats_hist, n_cases, min_gain_hist);
	UNIT_OK(n_random == N_RANDOM * n_cases && n_random_worse == 0,
			"S-curves (%s): >= each of %d random feasible allocations (%d better; least gain %.3g)",
			mode, n_random, n_random_worse, min_gain_random);

	if (automatic)
		UNIT_OK(n_ge_flat == n_cases,
				"S-curves: automatic weekly spend >= the flat optimum in %d of %d cases",
				n_ge_flat, n_cases);
	free(ws.dwork);
	free(ws.iwork);
	gsl_root_fsolver_free(ws.goal);
	gsl_root_fsolver_free(ws.outer);
	gsl_root_fsolver_free(ws.inner);
	gsl_rng_free(rng);
}

void
test_plan_scurve(void)
{
	test_scurve_cases(false);
	test_scurve_cases(true);
}
