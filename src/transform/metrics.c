/*
 * metrics.c: fit metrics as parallel-safe aggregates over (actual, predicted)
 * rows: r2, mape, smape, rmse, nrmse, mae, wmape (formulas.md §3).
 *
 * Every metric shares one float8[] state (non-internal, so partial states
 * cross process and Citus boundaries as plain arrays, like float.c's regr_*).
 * The mean and centred sum of squares of the actuals use Welford updates and
 * Chan's merge, so SST does not cancel; the other entries are sums of
 * non-negative terms.  Merge order changes the last bits only: doc/
 * calendar_metrics.md states the tolerance against a serial run.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

#include "common/arrays.h"

PG_FUNCTION_INFO_V1(metrics_accum);
PG_FUNCTION_INFO_V1(metrics_combine);
PG_FUNCTION_INFO_V1(metrics_r2);
PG_FUNCTION_INFO_V1(metrics_mape);
PG_FUNCTION_INFO_V1(metrics_smape);
PG_FUNCTION_INFO_V1(metrics_rmse);
PG_FUNCTION_INFO_V1(metrics_nrmse);
PG_FUNCTION_INFO_V1(metrics_mae);
PG_FUNCTION_INFO_V1(metrics_wmape);

/* State layout; INITCOND in metrics.sql is {1,0,0,...} (version 1, empty). */
#define ST_VERSION		0		/* layout version, 1 */
#define ST_N			1		/* rows */
#define ST_MEAN_Y		2		/* mean of actual */
#define ST_M2_Y			3		/* sum (y - mean)^2 = SST */
#define ST_SSE			4		/* sum e^2, e = y - yhat */
#define ST_SAE			5		/* sum |e| */
#define ST_SAY			6		/* sum |y| */
#define ST_N_NONZERO	7		/* rows with y <> 0 (MAPE's n') */
#define ST_SAPE			8		/* sum |e / y| over y <> 0 */
#define ST_SSMAPE		9		/* sum 2|e|/(|y| + |yhat|), 0/0 terms 0 */
#define ST_MIN_Y		10
#define ST_MAX_Y		11
#define ST_LEN			12

#define METRICS_STATE_VERSION 1.0

static void
BadState(const char *detail, int i, double v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid fit-metrics state"),
			 i >= 0 ? errdetail(detail, i + 1, v) : errdetail("%s", detail),
			 errhint("Fit-metrics states come from mixmodel.metrics_accum and mixmodel.metrics_combine.")));
}

/*
 * The one validator of a state, called by the transition, combine and final
 * functions (they can be called directly with hand-made arrays).
 */
static float8 *
CheckState(ArrayType *arr)
{
	float8	   *s;
	double		n;

	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID ||
		ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) != ST_LEN)
		BadState("The state must be a one-dimensional double precision array of 12 elements.", -1, 0);
	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		BadState("The state must not contain nulls.", -1, 0);
	s = (float8 *) ARR_DATA_PTR(arr);
	for (int i = 0; i < ST_LEN; i++)
		if (!isfinite(s[i]))
			BadState("Element %d is %g; every element must be finite.", i, s[i]);
	if (s[ST_VERSION] != METRICS_STATE_VERSION)
		BadState("Element %d (the layout version) is %g; expected 1.", ST_VERSION, s[ST_VERSION]);
	n = s[ST_N];
	if (n < 0 || n != floor(n))
		BadState("Element %d (the row count) is %g; expected a whole number >= 0.", ST_N, n);
	if (s[ST_N_NONZERO] < 0 || s[ST_N_NONZERO] > n || s[ST_N_NONZERO] != floor(s[ST_N_NONZERO]))
		BadState("Element %d (rows with non-zero actual) is %g; expected a whole number in [0, rows].",
				 ST_N_NONZERO, s[ST_N_NONZERO]);
	for (int i = ST_M2_Y; i <= ST_SSMAPE; i++)
		if (i != ST_N_NONZERO && s[i] < 0)
			BadState("Element %d is %g; sums of squares and of absolute values cannot be negative.", i, s[i]);
	if (n == 0)
	{
		for (int i = ST_MEAN_Y; i < ST_LEN; i++)
			if (s[i] != 0)
				BadState("Element %d is %g; an empty state has zeros after the row count.", i, s[i]);
	}
	else if (s[ST_MIN_Y] > s[ST_MAX_Y])
		BadState("Element %d (the minimum actual) is %g, above the maximum.", ST_MIN_Y, s[ST_MIN_Y]);
	return s;
}

/* 22003 when an update overflowed (squares of values near 1e154 and above) */
static void
CheckUpdated(const float8 *s)
{
	for (int i = 0; i < ST_LEN; i++)
		if (!isfinite(s[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("fit-metric sums overflowed"),
					 errhint("Rescale actual and predicted (for example to thousands) before aggregating.")));
}

/*
 * The state of a transition call.  In an aggregate the state is updated in
 * place, so the next row brings back the array this function returned: that
 * one was validated already and only its shape is checked again (every
 * element per row costs a single rmse 30% against a plain sum of squares).
 * Any other array, a new group's INITCOND included, is validated in full.
 */
static float8 *
TransitionState(FunctionCallInfo fcinfo, ArrayType **arr)
{
	if (!AggCheckCallContext(fcinfo, NULL))
	{
		*arr = PG_GETARG_ARRAYTYPE_P_COPY(0);
		return CheckState(*arr);
	}
	*arr = PG_GETARG_ARRAYTYPE_P(0);
	if (fcinfo->flinfo->fn_extra == (void *) *arr &&
		ARR_NDIM(*arr) == 1 && ARR_DIMS(*arr)[0] == ST_LEN && !ARR_HASNULL(*arr) &&
		ARR_ELEMTYPE(*arr) == FLOAT8OID)
		return (float8 *) ARR_DATA_PTR(*arr);
	fcinfo->flinfo->fn_extra = NULL;
	CheckState(*arr);
	fcinfo->flinfo->fn_extra = (void *) *arr;
	return (float8 *) ARR_DATA_PTR(*arr);
}

/* metrics_accum(state, actual, predicted): STRICT, so rows with a NULL are skipped */
Datum
metrics_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	float8	   *s = TransitionState(fcinfo, &arr);
	double		y = PG_GETARG_FLOAT8(1);
	double		p = PG_GETARG_FLOAT8(2);
	double		e,
				d,
				den;

	if (unlikely(!isfinite(y) || !isfinite(p)))
	{
		mm_check_finite(y, "actual");
		mm_check_finite(p, "predicted");
	}
	e = y - p;

	/* Welford: mean and centred sum of squares of y */
	s[ST_N] += 1.0;
	d = y - s[ST_MEAN_Y];
	s[ST_MEAN_Y] += d / s[ST_N];
	s[ST_M2_Y] += d * (y - s[ST_MEAN_Y]);

	s[ST_SSE] += e * e;
	s[ST_SAE] += fabs(e);
	s[ST_SAY] += fabs(y);
	if (y != 0.0)
	{
		s[ST_N_NONZERO] += 1.0;
		s[ST_SAPE] += fabs(e / y);
	}
	den = fabs(y) + fabs(p);
	if (den > 0.0)
		s[ST_SSMAPE] += 2.0 * fabs(e) / den;
	if (s[ST_N] == 1.0 || y < s[ST_MIN_Y])
		s[ST_MIN_Y] = y;
	if (s[ST_N] == 1.0 || y > s[ST_MAX_Y])
		s[ST_MAX_Y] = y;
	/* the sums are >= 0: finite together unless one is not (or they near DBL_MAX) */
	if (unlikely(!isfinite(s[ST_MEAN_Y] + s[ST_M2_Y] + s[ST_SSE] + s[ST_SAE] + s[ST_SAY] +
						   s[ST_SAPE] + s[ST_SSMAPE])))
		CheckUpdated(s);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* metrics_combine(state, state): Chan's merge; either side may be empty */
Datum
metrics_combine(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *arr1 = in_agg ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	ArrayType  *arr2 = PG_GETARG_ARRAYTYPE_P(1);
	float8	   *a = CheckState(arr1);
	float8	   *b = CheckState(arr2);
	double		na = a[ST_N],
				nb = b[ST_N],
				n,
				delta;

	if (nb == 0)
		PG_RETURN_ARRAYTYPE_P(arr1);
	if (na == 0)
	{
		memcpy(a, b, sizeof(float8) * ST_LEN);
		PG_RETURN_ARRAYTYPE_P(arr1);
	}
	n = na + nb;
	delta = b[ST_MEAN_Y] - a[ST_MEAN_Y];
	a[ST_MEAN_Y] += delta * nb / n;
	a[ST_M2_Y] += b[ST_M2_Y] + delta * delta * na * nb / n;
	a[ST_N] = n;
	for (int i = ST_SSE; i <= ST_SSMAPE; i++)
		a[i] += b[i];
	a[ST_MIN_Y] = Min(a[ST_MIN_Y], b[ST_MIN_Y]);
	a[ST_MAX_Y] = Max(a[ST_MAX_Y], b[ST_MAX_Y]);
	CheckUpdated(a);
	PG_RETURN_ARRAYTYPE_P(arr1);
}

/* Final functions: read-only; NULL for no rows or a zero denominator. */
#define STATE_ARG() CheckState(PG_GETARG_ARRAYTYPE_P(0))

Datum
metrics_r2(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_N] == 0 || s[ST_M2_Y] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(1.0 - s[ST_SSE] / s[ST_M2_Y]);
}

Datum
metrics_mape(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_N_NONZERO] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[ST_SAPE] / s[ST_N_NONZERO]);
}

Datum
metrics_smape(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_N] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[ST_SSMAPE] / s[ST_N]);
}

Datum
metrics_rmse(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_N] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(s[ST_SSE] / s[ST_N]));
}

Datum
metrics_nrmse(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();
	double		range;

	if (s[ST_N] == 0)
		PG_RETURN_NULL();
	range = s[ST_MAX_Y] - s[ST_MIN_Y];
	if (range == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(s[ST_SSE] / s[ST_N]) / range);
}

Datum
metrics_mae(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_N] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[ST_SAE] / s[ST_N]);
}

Datum
metrics_wmape(PG_FUNCTION_ARGS)
{
	float8	   *s = STATE_ARG();

	if (s[ST_SAY] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[ST_SAE] / s[ST_SAY]);
}
