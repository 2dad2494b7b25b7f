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
#include "plan/plan_glue.h"

PG_FUNCTION_INFO_V1(plan_core_mult);

#define MULT_MAX_CELLS	1000000L	/* channels x horizon weeks */
#define MULT_RANDOM_STARTS 8
#define MULT_SEED		20261206UL

/* Datums of a one-dimensional array argument of want elements (-1: any), no NULL */
static Datum *
Elements(FunctionCallInfo fcinfo, int i, const char *name, Oid type, int want, int *n)
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
	get_typlenbyvalalign(type, &len, &byval, &align);
	deconstruct_array(a, type, len, byval, align, &d, &nulls, n);
	for (int k = 0; k < *n; k++)
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"%s\" must not contain NULL elements", name)));
	if (ARR_NDIM(a) > 1 || (want >= 0 && *n != want))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional with %d elements", name, want),
				 errdetail("It has %d.", *n)));
	return d;
}

/* float8[] argument: finite, non-negative when asked, of want elements (-1: any) */
static double *
Values(FunctionCallInfo fcinfo, int i, const char *name, int flags, int want)
{
	int			n;
	double	   *v;

	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	v = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(i), name, flags, &n);
	if (want >= 0 && n != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %d elements, got %d.", want, n)));
	return v;
}

static int
IntArg(FunctionCallInfo fcinfo, int i, const char *name)
{
	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	return PG_GETARG_INT32(i);
}

static ArrayType *
Bools(const bool *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * n);

	for (int k = 0; k < n; k++)
		d[k] = BoolGetDatum(v[k]);
	return construct_array(d, n, BOOLOID, 1, true, TYPALIGN_CHAR);
}

static Datum
Certificate(const MMPlanCoupledResult *res)
{
	char	   *s = psprintf("{\"method\": \"coupled multi-start exchange\", \"optimum\": \"%s\", "
							 "\"concave_on_box\": %s, \"concave_at_solution\": %s, "
							 "\"hessian_max\": %s, \"starts\": %d, \"starts_agreed\": %d, "
							 "\"starts_capped\": %d, \"start_spread\": %.6g, \"exchanges\": %ld}",
							 res->concave_box ? "global" : "multi-start local",
							 res->concave_box ? "true" : "false",
							 res->concave_at_solution ? "true" : "false",
							 isfinite(res->hessian_max) ? psprintf("%.6g", res->hessian_max) : "null",
							 res->starts, res->starts_agreed, res->starts_capped,
							 res->start_spread, res->exchanges);

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
 *   target float8[] (K, volume goal in KPI units; NULL: budget goal), max_total float8)
 */
Datum
plan_core_mult(PG_FUNCTION_ARGS)
{
	int			C,
				n,
				K,
				P,
				H,
				R,
				gap,
				n_hist,
				maxL = 1;
	Datum	   *adstock = Elements(fcinfo, 0, "adstock", TEXTOID, -1, &C);
	Datum	   *maxlag = Elements(fcinfo, 3, "max_lag", INT4OID, C, &n);
	Datum	   *norm = Elements(fcinfo, 4, "adstock_normalize", BOOLOID, C, &n);
	Datum	   *sat = Elements(fcinfo, 5, "saturation", TEXTOID, C, &n);
	double	   *ap1 = Values(fcinfo, 1, "adstock_p1", 0, C),
			   *ap2 = Values(fcinfo, 2, "adstock_p2", 0, C),
			   *sp1 = Values(fcinfo, 6, "sat_p1", 0, C),
			   *sp2 = Values(fcinfo, 7, "sat_p2", 0, C),
			   *scale = Values(fcinfo, 8, "input_scale", 0, C),
			   *coef = Values(fcinfo, 9, "coef", 0, C),
			   *hist = Values(fcinfo, 10, "history", MM_ARR_NONNEG, -1),
			   *budget,
			   *lower,
			   *upper,
			   *pattern = NULL,
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
	Datum	   *ffrom,
			   *fto;
	int		   *from,
			   *to,
			   *term_start;
	MMChannelSpec *specs;
	MMPlanTerm *terms;
	MMPlanHorizon h;
	MMPlanWorkspace ws;
	MMPlanCoupledResult res;
	MMStatus	st;
	TupleDesc	tupdesc;
	Datum		values[15];
	bool		nulls[15] = {false};

	if (C < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("a plan needs at least one paid channel")));
	P = IntArg(fcinfo, 11, "periods");
	if (P < 1 || P > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a plan must span 1 to 10000 weeks"),
				 errdetail("It spans %d.", P)));
	ffrom = Elements(fcinfo, 12, "flight_from", INT4OID, -1, &K);
	fto = Elements(fcinfo, 13, "flight_to", INT4OID, K, &n);
	if (K < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a plan needs at least one flight")));
	budget = Values(fcinfo, 14, "budget", MM_ARR_NONNEG, K);
	lower = Values(fcinfo, 15, "lower", MM_ARR_NONNEG, C * K);
	upper = Values(fcinfo, 16, "upper", MM_ARR_NONNEG, C * K);
	fitted = Values(fcinfo, 18, "fitted", 0, -1);
	R = (int) ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(18)), ARR_DIMS(PG_GETARG_ARRAYTYPE_P(18)));
	gap = IntArg(fcinfo, 19, "gap");
	share = Values(fcinfo, 20, "start_share", MM_ARR_NONNEG, C);
	if (!PG_ARGISNULL(21))
	{
		target = Values(fcinfo, 21, "target", MM_ARR_NONNEG, K);
		if (PG_ARGISNULL(22))
			mm_null_argument("max_total");
	}
	n = (int) ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(10)), ARR_DIMS(PG_GETARG_ARRAYTYPE_P(10)));
	if (n % C != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"history\" must hold the same number of periods per channel")));
	n_hist = n / C;
	if (gap < 0 || R > n_hist - gap)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fitted weeks must lie in the history before the gap"),
				 errdetail("%d fitted weeks, %d history weeks, gap %d.", R, n_hist, gap)));

	specs = palloc(sizeof(MMChannelSpec) * C);
	for (int c = 0; c < C; c++)
	{
		specs[c] = (MMChannelSpec) {
			mm_adstock_kind_arg(TextDatumGetCString(adstock[c])), ap1[c], ap2[c],
			DatumGetInt32(maxlag[c]), DatumGetBool(norm[c]),
			mm_saturation_kind_arg(TextDatumGetCString(sat[c]), MM_SATURATION_KINDS),
			sp1[c], sp2[c], scale[c], coef[c]
		};
		maxL = Max(maxL, mm_plan_spec_lags(&specs[c]));
	}
	H = P + maxL - 1;			/* the lag tail after the plan counts */
	if ((long) C * H > MULT_MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("plan too large"),
				 errdetail("%d channels over %d weeks with the lag tail; the limit is %ld channel-weeks.",
						   C, H, MULT_MAX_CELLS)));
	terms = palloc(sizeof(MMPlanTerm) * C);
	term_start = palloc(sizeof(int) * (C + 1));
	for (int c = 0; c <= C; c++)
		term_start[c] = c;
	for (int c = 0; c < C; c++)
		mixmodel_check_core(mm_plan_term_from_spec(&specs[c], 1.0, hist + (long) c * n_hist, n_hist, H,
												   palloc(sizeof(double) * mm_plan_spec_lags(&specs[c])),
												   palloc(sizeof(double) * H), &terms[c]),
							"a fitted channel's planning term");

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
	if (!PG_ARGISNULL(17))
	{
		double	   *pp = Values(fcinfo, 17, "pattern", MM_ARR_NONNEG, C * P);

		pattern = palloc0(sizeof(double) * C * H);
		for (int c = 0; c < C; c++)
			memcpy(pattern + (long) c * H, pp + (long) c * P, sizeof(double) * P);
	}
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
								  target, PG_GETARG_FLOAT8(22), goal_budget, achievable, best,
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
	for (int k = 0; k < K; k++)
		if (!isfinite(lambda[k]))
			lambda[k] = 0;		/* undefined (every channel at a bound): reported as 0 */
	values[0] = Int32GetDatum(H);
	values[1] = PointerGetDatum(mm_float8_array_build(x, C * H));
	values[2] = PointerGetDatum(mm_float8_array_build(incr, C * H));
	values[3] = PointerGetDatum(mm_float8_array_build(total, C * H));
	values[4] = PointerGetDatum(mm_float8_array_build(margs, C * H));
	values[5] = PointerGetDatum(mm_float8_array_build(fmarg, C * K));
	values[6] = PointerGetDatum(mm_float8_array_build(lambda, K));
	values[7] = Float8GetDatum(res.kkt_residual);
	if (target)
	{
		values[8] = PointerGetDatum(mm_float8_array_build(goal_budget, K));
		values[9] = PointerGetDatum(Bools(achievable, K));
		values[10] = PointerGetDatum(mm_float8_array_build(best, K));
	}
	else
		nulls[8] = nulls[9] = nulls[10] = true;	/* goal outputs */
	values[11] = PointerGetDatum(mm_float8_array_build(base, H));
	values[12] = Certificate(&res);
	values[13] = values[2];		/* one term per channel: the terms' forecast is the channels' */
	values[14] = values[3];
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
