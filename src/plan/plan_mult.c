/*
 * plan_mult.c: mixmodel._plan_core_mult, the C half of create_plan for
 * multiplicative models (doc/plan.md "Multiplicative models").
 *
 * create_plan passes the fitted paid channels (run_channels), their spend
 * history, the fit's predictions of the last data weeks and the flights; this
 * builds one log-KPI planning term per channel (src/math/plan_model.c), the
 * base level of every plan week (mm_plan_coupled_base), solves the coupled
 * budget problem (src/math/plan_coupled.c) and returns the weekly spend,
 * the forecast split by log_share, the marginals and the certificate.
 */
#include "postgres.h"

#include <math.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "common/rng.h"
#include "math/plan_coupled.h"
#include "math/plan_model.h"
#include "plan/plan_args.h"
#include "plan/plan_glue.h"

PG_FUNCTION_INFO_V1(plan_core_mult);

#define MULT_MAX_CELLS	1000000L	/* channels x horizon weeks */
#define MULT_RANDOM_STARTS 8
/* the channels of one model (src/model/fit.c); the coupled solver is superlinear in them */
#define MULT_MAX_CHANNELS 64
#define MULT_SEED		20261206UL

static int
IntArg(FunctionCallInfo fcinfo, int i, const char *name)
{
	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	return PG_GETARG_INT32(i);
}

static Datum
Certificate(const MMPlanCoupledResult *res, bool ratio)
{
	char	   *search = ratio ?
		psprintf(", \"target_search\": \"ratio: %d geometric budgets per flight scanned from the cap, "
				 "the largest meeting the target refined by Brent; a feasible budget between grid "
				 "points above it can be missed\"", MM_COUPLED_RATIO_GRID) : "";
	char	   *s = psprintf("{\"method\": \"coupled multi-start exchange\", \"optimum\": \"%s\", "
							 "\"concave_on_box\": %s, \"concave_at_solution\": %s, "
							 "\"hessian_max\": %s, \"starts\": %d, \"starts_agreed\": %d, "
							 "\"starts_capped\": %d, \"start_spread\": %.6g, \"exchanges\": %ld%s}",
							 res->concave_box ? "global" : "multi-start local",
							 res->concave_box ? "true" : "false",
							 res->concave_at_solution ? "true" : "false",
							 isfinite(res->hessian_max) ? psprintf("%.6g", res->hessian_max) : "null",
							 res->starts, res->starts_agreed, res->starts_capped,
							 res->start_spread, res->exchanges, search);

	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

/*
 * _plan_core_mult(adstock text[], adstock_p1, adstock_p2, max_lag int4[],
 *   normalize bool[], saturation text[], sat_p1, sat_p2, input_scale, coef,
 *   history float8[] (C x n_hist), periods int4, flight_from int4[],
 *   flight_to int4[], budget float8[], lower float8[] (C x K),
 *   upper float8[] (C x K), pattern float8[] (C x periods, NULL: flat),
 *   fitted float8[] (predictions of the last data weeks), gap int4 (weeks
 *   between the data and the plan, the last of history), start_share float8[] (C),
 *   target float8[] (K; NULL: budget goal), max_total float8, goal text (volume:
 *   target in KPI units; ratio: increment per unit budget, the largest budget meeting it))
 */
Datum
plan_core_mult(PG_FUNCTION_ARGS)
{
	int			C,
				K,
				P,
				H,
				R,
				gap,
				n_hist,
				maxL;
	MMChannelSpec *specs = mm_plan_arg_specs(fcinfo, &C, &maxL);
	double	   *hist = mm_plan_arg_history(fcinfo, C, &n_hist),
			   *budget,
			   *lower,
			   *upper,
			   *pattern,
			   *fitted,
			   *share,
			   *ref,
			   *base,
			   *x,
			   *s,
			   *lambda,
			   *incr,
			   *total,
			   *margs,
			   *fmarg,
			   *target = NULL,
			   *goal_budget = NULL,
			   *best = NULL;
	bool	   *achievable = NULL;
	MMPlanGoal	goal = MM_GOAL_VOLUME;
	char	   *goal_name;
	int		   *from,
			   *to,
			   *term_start;
	MMPlanTerm *terms;
	MMPlanHorizon h;
	MMPlanWorkspace ws;
	MMPlanCoupledResult res;
	MMStatus	st;
	TupleDesc	tupdesc;
	Datum		values[15];
	bool		nulls[15] = {false};

	if (C > MULT_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a multiplicative plan takes at most %d channels", MULT_MAX_CHANNELS),
				 errdetail("Got %d.  The channels of a multiplicative model interact, so the coupled "
						   "solver starts from one split per channel and every exchange reads every "
						   "channel: its time grows with the square of the channels or faster "
						   "(about 6 s at 100 channels, over 40 s at 480).", C),
				 errhint("A model has at most 64 channels; plan larger sets with an additive model.")));
	P = mm_plan_arg_flights(fcinfo, &K, &from, &to);
	budget = mm_plan_arg_float8(fcinfo, 14, "budget", K, MM_ARR_NONNEG);
	lower = mm_plan_arg_float8(fcinfo, 15, "lower", (long) C * K, MM_ARR_NONNEG);
	upper = mm_plan_arg_float8(fcinfo, 16, "upper", (long) C * K, MM_ARR_NONNEG);
	fitted = mm_plan_arg_float8(fcinfo, 18, "fitted", -1, 0);
	R = (int) ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(18)), ARR_DIMS(PG_GETARG_ARRAYTYPE_P(18)));
	if (R < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"fitted\" must not be empty")));
	gap = IntArg(fcinfo, 19, "gap");
	share = mm_plan_arg_float8(fcinfo, 20, "start_share", C, MM_ARR_NONNEG);
	if (!PG_ARGISNULL(21))
	{
		target = mm_plan_arg_float8(fcinfo, 21, "target", K, MM_ARR_NONNEG);
		if (PG_ARGISNULL(22))
			mm_null_argument("max_total");
		if (PG_ARGISNULL(23))
			mm_null_argument("goal");
		goal_name = text_to_cstring(PG_GETARG_TEXT_PP(23));
		if (strcmp(goal_name, "ratio") == 0)
			goal = MM_GOAL_RATIO;
		else if (strcmp(goal_name, "volume") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown plan goal \"%s\"", goal_name),
					 errhint("A target plan's goal is volume or ratio.")));
		for (int k = 0; goal == MM_GOAL_RATIO && k < K; k++)
			if (!(target[k] > 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a ratio target must be positive"),
						 errdetail("Flight %d has target %g.", k + 1, target[k])));
	}
	if (gap < 0 || R > n_hist - gap)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fitted weeks must lie in the history before the gap"),
				 errdetail("%d fitted weeks, %d history weeks, gap %d.", R, n_hist, gap)));

	H = mm_plan_horizon_weeks(P, maxL, C, MULT_MAX_CELLS);
	terms = mm_plan_terms(specs, NULL, C, hist, n_hist, H);
	term_start = palloc(sizeof(int) * (C + 1));
	for (int c = 0; c <= C; c++)
		term_start[c] = c;
	pattern = mm_plan_arg_pattern(fcinfo, C, P, H);
	h = (MMPlanHorizon) {H, C, term_start, terms, K, from, to, budget, lower, upper, pattern};

	ref = palloc(sizeof(double) * R);
	base = palloc(sizeof(double) * H);
	st = mm_plan_coupled_base(&h, hist, n_hist, gap, fitted, R, ref, base);
	if (st == MM_EDOM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a multiplicative plan needs positive finite fitted values")));
	mixmodel_check_core(st, "the plan's base");

	mm_plan_workspace_init(&ws, C);
	x = palloc(sizeof(double) * C * H);
	s = palloc(sizeof(double) * C * K);
	lambda = palloc(sizeof(double) * K);
	if (target)
	{
		goal_budget = palloc(sizeof(double) * K);
		best = palloc(sizeof(double) * K);
		achievable = palloc(sizeof(bool) * K);
		st = mm_plan_coupled_goal(&h, base, share, mm_rng_create(MULT_SEED), MULT_RANDOM_STARTS, &ws,
								  palloc(sizeof(double) * mm_plan_coupled_doubles(&h)),
								  palloc(sizeof(double) * mm_plan_coupled_goal_doubles(&h)),
								  goal, target, PG_GETARG_FLOAT8(22), goal_budget, achievable, best,
								  x, s, lambda, &res);
		mm_plan_check(st, &res.plan, PG_GETARG_FLOAT8(22), NULL,
					  res.flight >= 0 ? psprintf("%d", res.flight + 1) : NULL);
		h.budget = goal_budget;
	}
	else
	{
		st = mm_plan_coupled_budget(&h, base, share, mm_rng_create(MULT_SEED), MULT_RANDOM_STARTS, &ws,
									palloc(sizeof(double) * mm_plan_coupled_doubles(&h)), x, s, lambda, &res);
		mm_plan_check(st, &res.plan, res.flight >= 0 ? budget[res.flight] : 0, NULL,
					  res.flight >= 0 ? psprintf("%d", res.flight + 1) : NULL);
	}

	incr = palloc(sizeof(double) * C * H);
	total = palloc(sizeof(double) * C * H);
	margs = palloc(sizeof(double) * C * H);
	(void) mm_plan_coupled_response(&h, base, x, incr, total, NULL);
	mm_plan_coupled_marginals(&h, base, x, palloc(sizeof(double) * 2 * H), margs);
	/* marginal of each flight total along its pattern: dV/ds_ck */
	fmarg = palloc0(sizeof(double) * C * K);
	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = from[k]; t < to[k]; t++)
				fmarg[c * K + k] += mm_plan_pattern_share(&h, c, k, t) * margs[(long) c * H + t];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	mm_plan_result_values(values, nulls, C, H, K, x, incr, total, margs, fmarg, lambda,
						  res.kkt_residual, target ? goal_budget : NULL, achievable, best);
	values[11] = PointerGetDatum(mm_float8_array_build(base, H));
	values[12] = Certificate(&res, goal == MM_GOAL_RATIO);
	values[13] = values[2];		/* one term per channel: the terms' forecast is the channels' */
	values[14] = values[3];
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
