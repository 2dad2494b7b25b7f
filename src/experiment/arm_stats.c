/*
 * arm_stats.c: the sufficient statistics of one arm as a parallel-safe
 * aggregate, mixmodel.arm_stats (doc/experiment.md): units, converted
 * units, and the sum, mean and centred sum of squares of a continuous metric.
 *
 * The state is a float8[] (not internal), so partial states cross parallel
 * workers, partitions and Citus nodes as plain arrays, as float.c's regr_*
 * do.  Units and conversions are sums of whole numbers, exact below 2^53 in
 * any order (so is the metric's sum when its values are whole numbers); the
 * centred sum of squares uses Welford updates and Chan's merge, whose last
 * bits depend on the merge order.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "common/arrays.h"

PG_FUNCTION_INFO_V1(arm_stats_accum);
PG_FUNCTION_INFO_V1(arm_stats_accum_sums);
PG_FUNCTION_INFO_V1(arm_stats_combine);
PG_FUNCTION_INFO_V1(arm_stats_final);

/* State layout; INITCOND in stats.sql is {1,0,0,0,0,0} (version 1, empty). */
#define ST_VERSION	0
#define ST_UNITS	1
#define ST_CONV		2
#define ST_SUM		3			/* sum of the metric */
#define ST_MEAN		4			/* running mean of the metric (Welford) */
#define ST_M2		5			/* sum over units of (value - mean)^2 */
#define ST_LEN		6

static void
bad_state(const char *detail, int i, double v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid arm statistics state"),
			 i >= 0 ? errdetail(detail, i + 1, v) : errdetail("%s", detail),
			 errhint("States come from mixmodel.arm_stats_accum and mixmodel.arm_stats_combine.")));
}

/* The shape of a state: what memory safety needs. */
static float8 *
check_shape(ArrayType *arr)
{
	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID ||
		ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) != ST_LEN)
		bad_state("The state must be a one-dimensional double precision array of 6 elements.", -1, 0);
	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		bad_state("The state must not contain nulls.", -1, 0);
	return (float8 *) ARR_DATA_PTR(arr);
}

/*
 * The one validator of a state's content (the support functions can be
 * called by hand with any array).
 */
static float8 *
check_state(ArrayType *arr)
{
	float8	   *s = check_shape(arr);

	for (int i = 0; i < ST_LEN; i++)
		if (!isfinite(s[i]))
			bad_state("Element %d is %g; every element must be finite.", i, s[i]);
	if (s[ST_VERSION] != 1.0)
		bad_state("Element %d (the layout version) is %g; expected 1.", ST_VERSION, s[ST_VERSION]);
	if (s[ST_UNITS] < 0)
		bad_state("Element %d (units) is %g; expected >= 0.", ST_UNITS, s[ST_UNITS]);
	if (s[ST_CONV] < 0 || s[ST_CONV] > s[ST_UNITS])
		bad_state("Element %d (conversions) is %g; expected a number in [0, units].", ST_CONV, s[ST_CONV]);
	if (s[ST_M2] < 0)
		bad_state("Element %d (sum of squares) is %g; expected >= 0.", ST_M2, s[ST_M2]);
	if (s[ST_UNITS] == 0 && (s[ST_SUM] != 0 || s[ST_MEAN] != 0 || s[ST_M2] != 0))
		bad_state("An empty state has zeros after the units.", -1, 0);
	return s;
}

static void
check_updated(const float8 *s)
{
	if (!isfinite(s[ST_UNITS]) || !isfinite(s[ST_CONV]) || !isfinite(s[ST_SUM]) ||
		!isfinite(s[ST_MEAN]) || !isfinite(s[ST_M2]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("arm statistics overflowed"),
				 errhint("Rescale the metric (for example to thousands) before aggregating.")));
}

/* Chan et al.: add a group of n units with sum vs, mean m and centred sum of squares m2. */
static void
merge(float8 *s, double n, double conv, double vs, double m, double m2)
{
	double		total = s[ST_UNITS] + n,
				delta = m - s[ST_MEAN];

	if (n == 0)
		return;
	s[ST_M2] += m2 + delta * delta * s[ST_UNITS] * n / total;
	s[ST_MEAN] += delta * n / total;
	s[ST_UNITS] = total;
	s[ST_CONV] += conv;
	s[ST_SUM] += vs;
}

static ArrayType *
state_arg(FunctionCallInfo fcinfo)
{
	return AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
}

/*
 * The state of a transition: inside an aggregate it is the initial condition
 * or this function's own last result, whose content every update checks, so
 * its shape is all that needs checking row by row; a direct call gets the
 * full check.
 */
static float8 *
transition_state(FunctionCallInfo fcinfo, ArrayType **arr)
{
	if (AggCheckCallContext(fcinfo, NULL))
	{
		*arr = PG_GETARG_ARRAYTYPE_P(0);
		return check_shape(*arr);
	}
	*arr = PG_GETARG_ARRAYTYPE_P_COPY(0);
	return check_state(*arr);
}

/* arm_stats_accum(state, converted, value): one unit; STRICT, rows with a NULL are skipped */
Datum
arm_stats_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	float8	   *s = transition_state(fcinfo, &arr);
	float8		conv = PG_GETARG_FLOAT8(1);
	float8		v = PG_GETARG_FLOAT8(2);
	double		d;

	if (!(conv >= 0 && conv <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("converted must be between 0 and 1"),
				 errdetail("Got %g.", conv),
				 errhint("Each row is one unit: 1 when it converted, else 0.")));
	mm_check_finite(v, "value");
	/* Welford */
	s[ST_UNITS] += 1.0;
	s[ST_CONV] += conv;
	s[ST_SUM] += v;
	d = v - s[ST_MEAN];
	s[ST_MEAN] += d / s[ST_UNITS];
	s[ST_M2] += d * (v - s[ST_MEAN]);
	check_updated(s);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/*
 * arm_stats_accum_sums(state, units, conversions, value_sum, value_sumsq):
 * one row of pre-aggregated counts (a day of one arm, say).
 */
Datum
arm_stats_accum_sums(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	float8	   *s = transition_state(fcinfo, &arr);
	float8		n = PG_GETARG_FLOAT8(1);
	float8		conv = PG_GETARG_FLOAT8(2);
	float8		vs = PG_GETARG_FLOAT8(3);
	float8		vss = PG_GETARG_FLOAT8(4);
	double		m2;

	mm_check_range(n, "units", 0.0, true, INFINITY, false);
	mm_check_range(conv, "conversions", 0.0, true, n, true);
	mm_check_finite(vs, "value_sum");
	mm_check_range(vss, "value_sumsq", 0.0, true, INFINITY, false);
	if (n == 0)
	{
		if (vs != 0 || vss != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a row with no units has a metric"),
					 errdetail("value_sum %g, value_sumsq %g.", vs, vss)));
		PG_RETURN_ARRAYTYPE_P(arr);
	}
	/* sum of squares about the row's mean; round-off can make it slightly negative */
	m2 = vss - vs * (vs / n);
	if (m2 < -1e-9 * vss)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value_sumsq is below value_sum^2 / units"),
				 errdetail("units %g, value_sum %g, value_sumsq %g.", n, vs, vss),
				 errhint("value_sumsq is the sum over units of the squared metric.")));
	merge(s, n, conv, vs, vs / n, fmax(m2, 0.0));
	check_updated(s);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* arm_stats_combine(state, state): Chan's merge; either side may be empty */
Datum
arm_stats_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = state_arg(fcinfo);
	float8	   *a = check_state(arr);
	float8	   *b = check_state(PG_GETARG_ARRAYTYPE_P(1));

	if (a[ST_UNITS] == 0)
		memcpy(a, b, sizeof(float8) * ST_LEN);
	else
		merge(a, b[ST_UNITS], b[ST_CONV], b[ST_SUM], b[ST_MEAN], b[ST_M2]);
	check_updated(a);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/*
 * arm_stats_final(state): (units, conversions, rate, value_mean, value_sd,
 * value_sum); NULL for no units; value_sd NULL below two units.
 */
Datum
arm_stats_final(PG_FUNCTION_ARGS)
{
	float8	   *s = check_state(PG_GETARG_ARRAYTYPE_P(0));
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (s[ST_UNITS] == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(s[ST_UNITS]);
	values[1] = Float8GetDatum(s[ST_CONV]);
	values[2] = Float8GetDatum(s[ST_CONV] / s[ST_UNITS]);
	values[3] = Float8GetDatum(s[ST_SUM] / s[ST_UNITS]);
	if (s[ST_UNITS] >= 2)
		values[4] = Float8GetDatum(sqrt(s[ST_M2] / (s[ST_UNITS] - 1)));
	else
		nulls[4] = true;
	values[5] = Float8GetDatum(s[ST_SUM]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
