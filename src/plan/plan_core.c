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
#include "plan/plan_glue.h"

PG_FUNCTION_INFO_V1(plan_core);

#define MAX_CELLS	10000000L	/* terms (>= channels) x horizon periods */

/* Elements of a one-dimensional array argument (no NULL element). */
static Datum *
ArrayElements(FunctionCallInfo fcinfo, int i, const char *name, Oid type, int *n)
{
	ArrayType  *a;
	Datum	   *d;
	bool	   *nulls;
	int16		len;
	bool		byval;
	char		align;

	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	a = PG_GETARG_ARRAYTYPE_P(i);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional", name)));
	get_typlenbyvalalign(type, &len, &byval, &align);
	deconstruct_array(a, type, len, byval, align, &d, &nulls, n);
	for (int k = 0; k < *n; k++)
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"%s\" must not contain NULL elements", name)));
	return d;
}

/* float8[] argument of exactly want elements; +Infinity allowed when inf_ok. */
static double *
Float8Arg(FunctionCallInfo fcinfo, int i, const char *name, long want, bool inf_ok)
{
	int			n;
	Datum	   *d = ArrayElements(fcinfo, i, name, FLOAT8OID, &n);
	double	   *v = palloc(sizeof(double) * Max(n, 1));

	if (want >= 0 && n != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %ld elements, got %d.", want, n)));
	for (int k = 0; k < n; k++)
	{
		v[k] = DatumGetFloat8(d[k]);
		if (isnan(v[k]) || (!isfinite(v[k]) && !(inf_ok && v[k] > 0)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("array \"%s\" must hold finite values", name)));
	}
	return v;
}

static ArrayType *
BoolArray(const bool *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int k = 0; k < n; k++)
		d[k] = BoolGetDatum(v[k]);
	return construct_array(d, n, BOOLOID, 1, true, TYPALIGN_CHAR);
}

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
	double	   *flat = palloc0(sizeof(double) * C * h->H);
	double	   *fx = palloc(sizeof(double) * C * h->H);
	double	   *fs = palloc(sizeof(double) * C * K);
	double	   *fl = palloc(sizeof(double) * K);
	MMPlanHorizonResult fres;
	MMStatus	st;

	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = from[k]; t < to[k]; t++)
				flat[(long) c * h->H + t] = 1.0 / (to[k] - from[k]);
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
				maxL = 1;
	Datum	   *adstock,
			   *sat,
			   *maxlag,
			   *norm,
			   *ffrom,
			   *fto;
	double	   *ap1,
			   *ap2,
			   *sp1,
			   *sp2,
			   *scale,
			   *coef,
			   *hist,
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

	adstock = ArrayElements(fcinfo, 0, "adstock", TEXTOID, &T);
	if (T < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("a plan needs at least one paid channel")));
	ap1 = Float8Arg(fcinfo, 1, "adstock_p1", T, false);
	ap2 = Float8Arg(fcinfo, 2, "adstock_p2", T, false);
	maxlag = ArrayElements(fcinfo, 3, "max_lag", INT4OID, &n);
	norm = ArrayElements(fcinfo, 4, "normalize", BOOLOID, &K);
	sat = ArrayElements(fcinfo, 5, "saturation", TEXTOID, &H);
	if (n != T || K != T || H != T)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("channel arrays must have one element per channel")));
	sp1 = Float8Arg(fcinfo, 6, "sat_p1", T, false);
	sp2 = Float8Arg(fcinfo, 7, "sat_p2", T, false);
	scale = Float8Arg(fcinfo, 8, "input_scale", T, false);
	coef = Float8Arg(fcinfo, 9, "coef", T, false);

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
		Datum	   *tc = ArrayElements(fcinfo, 21, "term_channel", INT4OID, &n);
		double	   *tw = Float8Arg(fcinfo, 22, "term_weight", T, false);

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
	hist = Float8Arg(fcinfo, 10, "history", -1, false);
	if (PG_ARGISNULL(11))
		mm_null_argument("periods");
	P = PG_GETARG_INT32(11);
	ffrom = ArrayElements(fcinfo, 12, "flight_from", INT4OID, &K);
	fto = ArrayElements(fcinfo, 13, "flight_to", INT4OID, &n);
	if (K < 1 || n != K)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("flight arrays must be non-empty and of equal length")));
	budget = Float8Arg(fcinfo, 14, "budget", K, false);
	lower = Float8Arg(fcinfo, 15, "lower", (long) C * K, false);
	upper = Float8Arg(fcinfo, 16, "upper", (long) C * K, true);
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
		target = Float8Arg(fcinfo, 19, "target", K, false);

	if (hist == NULL || (n = ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(10)),
											ARR_DIMS(PG_GETARG_ARRAYTYPE_P(10)))) % T != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"history\" must hold the same number of periods per channel")));
	n_hist = n / T;
	if (P < 1 || P > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a plan must span 1 to 10000 weeks"),
				 errdetail("It spans %d.", P)));

	/* channel specs as training stored them */
	specs = palloc(sizeof(MMChannelSpec) * T);
	for (int c = 0; c < T; c++)
	{
		MMChannelSpec *sp = &specs[c];

		sp->adstock = mm_adstock_kind_arg(TextDatumGetCString(adstock[c]));
		sp->adstock_p1 = ap1[c];
		sp->adstock_p2 = ap2[c];
		sp->max_lag = DatumGetInt32(maxlag[c]);
		sp->adstock_normalize = DatumGetBool(norm[c]);
		sp->saturation = mm_saturation_kind_arg(TextDatumGetCString(sat[c]), MM_SATURATION_KINDS);
		sp->sat_p1 = sp1[c];
		sp->sat_p2 = sp2[c];
		sp->input_scale = scale[c];
		sp->coef = coef[c];
		maxL = Max(maxL, mm_plan_spec_lags(sp));
	}
	H = P + maxL - 1;			/* the lag tail after the plan counts */
	if ((long) T * H > MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("plan too large"),
				 errdetail("%d response terms (channels, or model-channel pairs) over %d weeks with the lag tail; the limit is %ld term-weeks.",
						   T, H, MAX_CELLS)));
	terms = palloc(sizeof(MMPlanTerm) * T);
	term_start = palloc(sizeof(int) * (C + 1));
	for (int j = 0; j < T; j++)
	{
		if (j == 0 || tchan[j] != tchan[j - 1])
			term_start[tchan[j]] = j;
		st = mm_plan_term_from_spec(&specs[j], tweight[j], hist + (long) j * n_hist, n_hist, H,
									palloc(sizeof(double) * mm_plan_spec_lags(&specs[j])),
									palloc(sizeof(double) * H), &terms[j]);
		mixmodel_check_core(st, "a fitted channel's planning term");
	}
	term_start[C] = T;
	for (int j = 0; j < T; j++)
		all_concave = all_concave && terms[j].concave;

	from = palloc(sizeof(int) * K);
	to = palloc(sizeof(int) * K);
	for (int k = 0; k < K; k++)
	{
		from[k] = DatumGetInt32(ffrom[k]);
		to[k] = DatumGetInt32(fto[k]);
		if (from[k] < (k ? to[k - 1] : 0) || to[k] <= from[k] || to[k] > P)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("flights must be in time order, not overlapping, inside the plan")));
	}

	/* within-flight weights, zero on the lag tail */
	if (!PG_ARGISNULL(17))
	{
		double	   *pp = Float8Arg(fcinfo, 17, "pattern", (long) C * P, false);

		pattern = palloc0(sizeof(double) * C * H);
		for (int c = 0; c < C; c++)
			memcpy(pattern + (long) c * H, pp + (long) c * P, sizeof(double) * P);
	}

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
			pattern = palloc0(sizeof(double) * C * H);
			for (int c = 0; c < C; c++)
				for (int k = 0; k < K; k++)
					for (int t = from[k]; t < to[k]; t++)
						pattern[(long) c * H + t] = 1.0 / (to[k] - from[k]);
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
	values[0] = Int32GetDatum(H);
	values[1] = PointerGetDatum(mm_float8_array_build(x, C * H));
	values[2] = PointerGetDatum(mm_float8_array_build(incr, C * H));
	values[3] = PointerGetDatum(mm_float8_array_build(total, C * H));
	values[4] = PointerGetDatum(mm_float8_array_build(margs, C * H));
	values[5] = PointerGetDatum(mm_float8_array_build(fmarg, C * K));
	for (int k = 0; k < K; k++)
		if (!isfinite(lambda[k]))
			lambda[k] = 0;		/* undefined (budget at the bounds): reported as 0 */
	values[6] = PointerGetDatum(mm_float8_array_build(lambda, K));
	values[7] = Float8GetDatum(res.kkt_residual);
	nulls[7] = isnan(res.kkt_residual);
	if (is_goal)
	{
		for (int k = 0; k < K; k++)
			if (!isfinite(goal.best[k]))
				goal.best[k] = goal.achieved[k];
		values[8] = PointerGetDatum(mm_float8_array_build(goal.budget, K));
		values[9] = PointerGetDatum(BoolArray(goal.achievable, K));
		values[10] = PointerGetDatum(mm_float8_array_build(goal.best, K));
	}
	else
		nulls[8] = nulls[9] = nulls[10] = true;
	values[11] = PointerGetDatum(mm_float8_array_build(tincr, T * H));
	values[12] = PointerGetDatum(mm_float8_array_build(ttotal, T * H));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
