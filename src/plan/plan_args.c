/*
 * plan_args.c: arguments and results shared by the plan cores (plan_args.h).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "math/plan_model.h"
#include "plan/plan_args.h"
#include "transform/adstock_spec.h"

#define MAX_PERIODS	10000

Datum *
mm_plan_arg_elements(FunctionCallInfo fcinfo, int i, const char *name, Oid type, int *n)
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

double *
mm_plan_arg_float8(FunctionCallInfo fcinfo, int i, const char *name, long want, int flags)
{
	int			n;
	double	   *v;

	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	v = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(i), name, flags | MM_ARR_ALLOW_EMPTY, &n);
	if (want >= 0 && n != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %ld elements, got %d.", want, n)));
	return v;
}

MMChannelSpec *
mm_plan_arg_specs(FunctionCallInfo fcinfo, int *T, int *max_lags)
{
	int			n1,
				n2,
				n3;
	Datum	   *adstock = mm_plan_arg_elements(fcinfo, 0, "adstock", TEXTOID, T);
	Datum	   *maxlag = mm_plan_arg_elements(fcinfo, 3, "max_lag", INT4OID, &n1);
	Datum	   *norm = mm_plan_arg_elements(fcinfo, 4, "normalize", BOOLOID, &n2);
	Datum	   *sat = mm_plan_arg_elements(fcinfo, 5, "saturation", TEXTOID, &n3);
	double	   *ap1,
			   *ap2,
			   *sp1,
			   *sp2,
			   *scale,
			   *coef;
	MMChannelSpec *specs;

	if (*T < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("a plan needs at least one paid channel")));
	if (n1 != *T || n2 != *T || n3 != *T)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("channel arrays must have one element per channel")));
	ap1 = mm_plan_arg_float8(fcinfo, 1, "adstock_p1", *T, 0);
	ap2 = mm_plan_arg_float8(fcinfo, 2, "adstock_p2", *T, 0);
	sp1 = mm_plan_arg_float8(fcinfo, 6, "sat_p1", *T, 0);
	sp2 = mm_plan_arg_float8(fcinfo, 7, "sat_p2", *T, 0);
	scale = mm_plan_arg_float8(fcinfo, 8, "input_scale", *T, 0);
	coef = mm_plan_arg_float8(fcinfo, 9, "coef", *T, 0);

	specs = palloc(sizeof(MMChannelSpec) * *T);
	*max_lags = 1;
	for (int c = 0; c < *T; c++)
	{
		AdstockCheckMaxLag(DatumGetInt32(maxlag[c]), true);
		specs[c] = (MMChannelSpec) {
			mm_adstock_kind_arg(TextDatumGetCString(adstock[c])), ap1[c], ap2[c],
			DatumGetInt32(maxlag[c]), DatumGetBool(norm[c]),
			mm_saturation_kind_arg(TextDatumGetCString(sat[c]), MM_SATURATION_KINDS),
			sp1[c], sp2[c], scale[c], coef[c]
		};
		*max_lags = Max(*max_lags, mm_plan_spec_lags(&specs[c]));
	}
	return specs;
}

double *
mm_plan_arg_history(FunctionCallInfo fcinfo, int T, int *n_hist)
{
	int			n;
	double	   *hist;

	hist = mm_plan_arg_float8(fcinfo, 10, "history", -1, MM_ARR_NONNEG);
	n = ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(10)), ARR_DIMS(PG_GETARG_ARRAYTYPE_P(10)));
	if (n % T != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"history\" must hold the same number of periods per channel")));
	*n_hist = n / T;
	return hist;
}

int
mm_plan_arg_flights(FunctionCallInfo fcinfo, int *K, int **from, int **to)
{
	int			P,
				n;
	Datum	   *ffrom,
			   *fto;

	if (PG_ARGISNULL(11))
		mm_null_argument("periods");
	P = PG_GETARG_INT32(11);
	if (P < 1 || P > MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a plan must span 1 to %d weeks", MAX_PERIODS),
				 errdetail("It spans %d.", P)));
	ffrom = mm_plan_arg_elements(fcinfo, 12, "flight_from", INT4OID, K);
	fto = mm_plan_arg_elements(fcinfo, 13, "flight_to", INT4OID, &n);
	if (*K < 1 || n != *K)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("flight arrays must be non-empty and of equal length")));
	*from = palloc(sizeof(int) * *K);
	*to = palloc(sizeof(int) * *K);
	for (int k = 0; k < *K; k++)
	{
		(*from)[k] = DatumGetInt32(ffrom[k]);
		(*to)[k] = DatumGetInt32(fto[k]);
		if ((*from)[k] < (k ? (*to)[k - 1] : 0) || (*to)[k] <= (*from)[k] || (*to)[k] > P)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("flights must be in time order, not overlapping, inside the plan")));
	}
	return P;
}

int
mm_plan_horizon_weeks(int P, int max_lags, int T, long max_cells)
{
	int			H = P + max_lags - 1;

	if ((long) T * H > max_cells)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("plan too large"),
				 errdetail("%d response terms (channels, or model-channel pairs) over %d weeks with the lag tail; the limit is %ld term-weeks.",
						   T, H, max_cells)));
	return H;
}

double *
mm_plan_arg_pattern(FunctionCallInfo fcinfo, int C, int P, int H)
{
	double	   *pp,
			   *pattern;

	if (PG_ARGISNULL(17))
		return NULL;
	pp = mm_plan_arg_float8(fcinfo, 17, "pattern", (long) C * P, MM_ARR_NONNEG);
	pattern = palloc0(sizeof(double) * C * H);
	for (int c = 0; c < C; c++)
		memcpy(pattern + (long) c * H, pp + (long) c * P, sizeof(double) * P);
	return pattern;
}

double *
mm_plan_flat_pattern(int C, int H, int K, const int *from, const int *to)
{
	double	   *pattern = palloc0(sizeof(double) * C * H);

	for (int c = 0; c < C; c++)
		for (int k = 0; k < K; k++)
			for (int t = from[k]; t < to[k]; t++)
				pattern[(long) c * H + t] = 1.0 / (to[k] - from[k]);
	return pattern;
}

MMPlanTerm *
mm_plan_terms(const MMChannelSpec *specs, const double *weight, int T,
			  const double *hist, int n_hist, int H)
{
	MMPlanTerm *terms = palloc(sizeof(MMPlanTerm) * T);

	for (int j = 0; j < T; j++)
		mixmodel_check_core(mm_plan_term_from_spec(&specs[j], weight ? weight[j] : 1.0,
												   hist + (long) j * n_hist, n_hist, H,
												   palloc(sizeof(double) * mm_plan_spec_lags(&specs[j])),
												   palloc(sizeof(double) * H), &terms[j]),
							"a fitted channel's planning term");
	return terms;
}

static ArrayType *
bool_array(const bool *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int k = 0; k < n; k++)
		d[k] = BoolGetDatum(v[k]);
	return construct_array(d, n, BOOLOID, 1, true, TYPALIGN_CHAR);
}

void
mm_plan_result_values(Datum *values, bool *nulls, int C, int H, int K,
					  const double *x, const double *incr, const double *total,
					  const double *margs, const double *fmarg, double *lambda,
					  double kkt_residual, const double *goal_budget,
					  const bool *achievable, const double *best)
{
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
	values[7] = Float8GetDatum(kkt_residual);
	nulls[7] = isnan(kkt_residual);
	if (goal_budget)
	{
		values[8] = PointerGetDatum(mm_float8_array_build(goal_budget, K));
		values[9] = PointerGetDatum(bool_array(achievable, K));
		values[10] = PointerGetDatum(mm_float8_array_build(best, K));
	}
	else
		nulls[8] = nulls[9] = nulls[10] = true;
}
