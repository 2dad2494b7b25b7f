/*
 * plan_core.c: mixmodel._plan_core, the C half of create_plan.
 *
 * create_plan (src/plan/create.sql) reads a model's fitted channels
 * (run_channels), their spend history and the plan's flights and bounds, and
 * passes them here as arrays; this function builds one planning term per
 * channel (src/math/plan_model.c: adstock, saturation, coefficient and the
 * carry-over of history into the plan), solves the flights
 * (src/math/plan_flight.c) and returns the weekly spend, the response and
 * the optimality certificate as arrays.  doc/plan.md.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "math/plan_flight.h"
#include "math/plan_model.h"
#include "plan/plan_args.h"
#include "plan/plan_glue.h"

PG_FUNCTION_INFO_V1(plan_core);

#define MAX_CELLS	10000000L	/* terms (>= channels) x horizon periods */

/*
 * With S-curves the weekly exchange of the automatic pattern is a local
 * method: it may end at a stationary point below the flat pattern's grid
 * optimum.  Solve the flat pattern too and keep whichever forecasts more;
 * returns the flat pattern when it is kept, else NULL.
 */
static double *
KeepFlatIfBetter(MMPlanHorizon *h, MMPlanWorkspace *ws, int C, int K, const int *from,
				 const int *to, double *x, double *s, double *lambda, MMPlanHorizonResult *res)
{
	double	   *flat = mm_plan_flat_pattern(C, h->H, K, from, to);
	double	   *fx = palloc(sizeof(double) * C * h->H);
	double	   *fs = palloc(sizeof(double) * C * K);
	double	   *fl = palloc(sizeof(double) * K);
	MMPlanHorizonResult fres;
	MMStatus	st;

	h->pattern = flat;
	st = mm_plan_horizon_budget(h, ws, palloc(sizeof(double) * mm_plan_horizon_doubles(h)),
								palloc(sizeof(MMPlanCurve) * C),
								palloc(sizeof(MMPlanFlightCurve) * C), fx, fs, fl, &fres);
	h->pattern = NULL;
	if (st != MM_OK)
		return NULL;			/* the automatic solve stands */
	if (mm_plan_horizon_response(h, fx, NULL, NULL) > mm_plan_horizon_response(h, x, NULL, NULL))
	{
		memcpy(x, fx, sizeof(double) * C * h->H);
		memcpy(s, fs, sizeof(double) * C * K);
		memcpy(lambda, fl, sizeof(double) * K);
		*res = fres;
		return flat;
	}
	return NULL;
}

/*
 * _plan_core(adstock text[], adstock_p1, adstock_p2, max_lag int4[],
 *   normalize bool[], saturation text[], sat_p1, sat_p2, input_scale, coef,
 *   history float8[] (C x n_hist), periods int4, flight_from int4[],
 *   flight_to int4[], budget float8[], lower float8[] (C x K),
 *   upper float8[] (C x K), pattern float8[] (C x periods, NULL: automatic),
 *   goal text, target float8[], max_total float8,
 *   term_channel int4[], term_weight float8[])
 *
 * Several conversion models (weighted objective): the channel arrays from
 * adstock to coef and history then hold one fitted curve per term, term j
 * belonging to channel term_channel[j] (0-based, non-decreasing, every
 * channel at least once) with objective weight term_weight[j]; spend,
 * bounds and pattern stay per channel.  NULL term_channel: one term per
 * channel, weight 1.  term_incr and term_total return each term's own,
 * unweighted forecast ([term * horizon + week]).
 */
Datum
plan_core(PG_FUNCTION_ARGS)
{
	int			C,
				T,
				n,
				K,
				P,
				H,
				n_hist,
				maxL;
	double	   *hist,
			   *budget,
			   *lower,
			   *upper,
			   *pattern = NULL,
			   *target = NULL;
	MMChannelSpec *specs;
	MMPlanTerm *terms;
	int		   *term_start,
			   *from,
			   *to;
	MMPlanHorizon h;
	MMPlanHorizonResult res;
	MMPlanHorizonGoal goal;
	MMPlanWorkspace ws;
	MMStatus	st;
	char	   *goal_name;
	double	   *x,
			   *s,
			   *lambda,
			   *incr,
			   *total,
			   *margs,
			   *fmarg;
	TupleDesc	tupdesc;
	int		   *tchan;
	double	   *tweight,
			   *tincr,
			   *ttotal;
	Datum		values[13];
	bool		nulls[13] = {false};
	bool		is_goal;
	bool		all_concave = true;

	specs = mm_plan_arg_specs(fcinfo, &T, &maxL);

	/* terms of several conversion models: channel and weight of each */
	tchan = palloc(sizeof(int) * T);
	tweight = palloc(sizeof(double) * T);
	if (PG_ARGISNULL(21) != PG_ARGISNULL(22))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("term_channel and term_weight must both be given or both be NULL")));
	if (PG_ARGISNULL(21))
	{
		for (int j = 0; j < T; j++)
		{
			tchan[j] = j;
			tweight[j] = 1.0;
		}
		C = T;
	}
	else
	{
		Datum	   *tc = mm_plan_arg_elements(fcinfo, 21, "term_channel", INT4OID, &n);
		double	   *tw = mm_plan_arg_float8(fcinfo, 22, "term_weight", T, 0);

		if (n != T)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("array \"term_channel\" must have one element per term"),
					 errdetail("Expected %d elements, got %d.", T, n)));
		for (int j = 0; j < T; j++)
		{
			tchan[j] = DatumGetInt32(tc[j]);
			tweight[j] = tw[j];
			if (tchan[j] != (j ? tchan[j - 1] : 0) && tchan[j] != (j ? tchan[j - 1] + 1 : 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("term_channel must number channels from 0 without gaps, in order"),
						 errdetail("Term %d has channel %d.", j + 1, tchan[j])));
			if (!(tweight[j] >= 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("term weights must be non-negative"),
						 errdetail("Term %d has weight %g.", j + 1, tweight[j])));
		}
		C = tchan[T - 1] + 1;
	}
	hist = mm_plan_arg_history(fcinfo, T, &n_hist);
	P = mm_plan_arg_flights(fcinfo, &K, &from, &to);
	budget = mm_plan_arg_float8(fcinfo, 14, "budget", K, MM_ARR_NONNEG);
	lower = mm_plan_arg_float8(fcinfo, 15, "lower", (long) C * K, MM_ARR_NONNEG);
	upper = mm_plan_arg_float8(fcinfo, 16, "upper", (long) C * K, MM_ARR_NONNEG | MM_ARR_POS_INF);
	if (PG_ARGISNULL(18))
		mm_null_argument("goal");
	goal_name = text_to_cstring(PG_GETARG_TEXT_PP(18));
	if (strcmp(goal_name, "budget") == 0)
		is_goal = false;
	else if (strcmp(goal_name, "volume") == 0 || strcmp(goal_name, "ratio") == 0)
		is_goal = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown plan goal \"%s\"", goal_name)));
	if (is_goal)
		target = mm_plan_arg_float8(fcinfo, 19, "target", K, 0);

	H = mm_plan_horizon_weeks(P, maxL, T, MAX_CELLS);
	terms = mm_plan_terms(specs, tweight, T, hist, n_hist, H);
	term_start = palloc(sizeof(int) * (C + 1));
	for (int j = 0; j < T; j++)
		if (j == 0 || tchan[j] != tchan[j - 1])
			term_start[tchan[j]] = j;
	term_start[C] = T;
	for (int j = 0; j < T; j++)
		all_concave = all_concave && terms[j].concave;

	/* within-flight weights, zero on the lag tail */
	pattern = mm_plan_arg_pattern(fcinfo, C, P, H);

	h.H = H;
	h.C = C;
	h.term_start = term_start;
	h.terms = terms;
	h.K = K;
	h.flight_from = from;
	h.flight_to = to;
	h.budget = budget;
	h.lower = lower;
	h.upper = upper;
	h.pattern = pattern;

	mm_plan_workspace_init(&ws, C);
	x = palloc(sizeof(double) * C * H);
	s = palloc(sizeof(double) * C * K);
	lambda = palloc(sizeof(double) * K);
	memset(&goal, 0, sizeof(goal));
	if (!is_goal)
	{
		st = mm_plan_horizon_budget(&h, &ws, palloc(sizeof(double) * mm_plan_horizon_doubles(&h)),
									palloc(sizeof(MMPlanCurve) * C),
									palloc(sizeof(MMPlanFlightCurve) * C), x, s, lambda, &res);
		mm_plan_check(st, &res.plan, res.flight >= 0 ? budget[res.flight] : 0, NULL,
					  res.flight >= 0 ? psprintf("%d", res.flight + 1) : NULL);
		if (pattern == NULL && !all_concave)
		{
			/* the marginals below are then along the flat pattern */
			pattern = KeepFlatIfBetter(&h, &ws, C, K, from, to, x, s, lambda, &res);
			h.pattern = pattern;
		}
	}
	else
	{
		/* goal mode does not optimise single weeks: automatic means flat */
		if (pattern == NULL)
		{
			pattern = mm_plan_flat_pattern(C, H, K, from, to);
			h.pattern = pattern;
		}
		goal.goal = strcmp(goal_name, "volume") == 0 ? MM_GOAL_VOLUME : MM_GOAL_RATIO;
		goal.target = target;
		goal.max_total = PG_ARGISNULL(20) ? INFINITY : PG_GETARG_FLOAT8(20);
		goal.budget = palloc(sizeof(double) * K);
		goal.achievable = palloc(sizeof(bool) * K);
		goal.achieved = palloc(sizeof(double) * K);
		goal.best = palloc(sizeof(double) * K);
		st = mm_plan_horizon_goal(&h, &ws, palloc(sizeof(double) * mm_plan_horizon_doubles(&h)),
								  palloc(sizeof(MMPlanCurve) * C),
								  palloc(sizeof(MMPlanFlightCurve) * C), &goal, x, s, lambda, &res);
		mm_plan_check(st, &res.plan, goal.max_total, NULL,
					  res.flight >= 0 ? psprintf("%d", res.flight + 1) : NULL);
	}

	incr = palloc(sizeof(double) * C * H);
	total = palloc(sizeof(double) * C * H);
	margs = palloc(sizeof(double) * C * H);
	(void) mm_plan_horizon_response(&h, x, incr, total);
	mm_plan_horizon_marginals(&h, x, palloc(sizeof(double) * H), margs);

	/* each term's own forecast: a one-channel horizon of that term at weight 1 */
	tincr = palloc(sizeof(double) * T * H);
	ttotal = palloc(sizeof(double) * T * H);
	for (int j = 0; j < T; j++)
	{
		MMPlanTerm	one = terms[j];
		MMPlanHorizon hj = h;
		static const int one_start[2] = {0, 1};

		one.coef = specs[j].coef;
		hj.C = 1;
		hj.term_start = one_start;
		hj.terms = &one;
		(void) mm_plan_horizon_response(&hj, x + (long) tchan[j] * H,
										tincr + (long) j * H, ttotal + (long) j * H);
	}

	/*
	 * Marginal return of each channel's flight total: along its pattern, or
	 * (automatic) the best week of the flight for the next unit.
	 */
	fmarg = palloc(sizeof(double) * C * K);
	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
		{
			double		m = pattern ? 0.0 : -INFINITY;

			for (int t = from[k]; t < to[k]; t++)
				m = pattern ? m + pattern[(long) c * H + t] * margs[(long) c * H + t]
					: fmax(m, margs[(long) c * H + t]);
			fmarg[c * K + k] = m;
		}

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	if (is_goal)
		for (int k = 0; k < K; k++)
			if (!isfinite(goal.best[k]))
				goal.best[k] = goal.achieved[k];
	mm_plan_result_values(values, nulls, C, H, K, x, incr, total, margs, fmarg, lambda,
						  res.kkt_residual, is_goal ? goal.budget : NULL, goal.achievable, goal.best);
	values[11] = PointerGetDatum(mm_float8_array_build(tincr, T * H));
	values[12] = PointerGetDatum(mm_float8_array_build(ttotal, T * H));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
