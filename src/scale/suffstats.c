/*
 * suffstats.c: the regression sufficient-statistics aggregate
 * mixmodel.regression_stats(y, x float8[]) and mixmodel.regression_solve
 * (numerical core: src/math/scale/suffstats.c).
 *
 * The state is a plain float8[] (like float.c's regr_* and the fit metrics),
 * so partial states cross parallel workers and Citus shards as arrays.  The
 * empty INITCOND {1,0,0} has p = 0; the first row sizes it to its x.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "math/scale/suffstats.h"

PG_FUNCTION_INFO_V1(regression_stats_accum);
PG_FUNCTION_INFO_V1(regression_stats_combine);
PG_FUNCTION_INFO_V1(regression_solve);

/* the state's doubles, after the one check every support function makes */
static double *
StateValues(ArrayType *arr, long *len)
{
	long		n;

	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID ||
		(ARR_HASNULL(arr) && array_contains_nulls(arr)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid regression-statistics state"),
				 errdetail("The state must be a one-dimensional double precision array without nulls."),
				 errhint("Regression-statistics states come from mixmodel.regression_stats.")));
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (mm_ss_check((double *) ARR_DATA_PTR(arr), n) != MM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid regression-statistics state"),
				 errdetail("Expected {1, p, n, p + 1 means, (p + 1)(p + 2)/2 co-moments}: finite values, 0 <= p <= %d, a whole n >= 0, a non-negative diagonal, zeros after an empty count.", MM_SS_MAX_P),
				 errhint("Regression-statistics states come from mixmodel.regression_stats.")));
	*len = n;
	return (double *) ARR_DATA_PTR(arr);
}

static void
CheckOverflow(MMStatus st)
{
	if (st == MM_EOVRFLW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("regression statistics overflowed"),
				 errhint("Rescale y and x (for example to thousands) before aggregating.")));
	mixmodel_check_core(st, "regression statistics");
}

/* regression_stats_accum(state, y, x): STRICT, so rows with a NULL y or x are skipped */
Datum
regression_stats_accum(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *arr = in_agg ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	double		y = PG_GETARG_FLOAT8(1);
	ArrayType  *xa = PG_GETARG_ARRAYTYPE_P(2);
	long		len;
	double	   *s = StateValues(arr, &len);
	float8	   *x;
	int			p;

	mm_check_finite(y, "y");
	x = mm_float8_array_values(xa, "x", MM_ARR_ALLOW_EMPTY, &p);
	if (p > MM_SS_MAX_P)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many regressors"),
				 errdetail("x has %d elements; the limit is %d.", p, MM_SS_MAX_P)));
	if (s[2] == 0 && (int) s[1] != p)
	{
		/* the first row sizes the state: a new array (the old one is too short) */
		long		nlen = mm_ss_length(p);
		double	   *ns = palloc(sizeof(double) * nlen);

		mm_ss_init(ns, p);
		arr = mm_float8_array_build(ns, (int) nlen);
		s = (double *) ARR_DATA_PTR(arr);
	}
	else if ((int) s[1] != p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("x has %d elements where earlier rows had %d", p, (int) s[1]),
				 errhint("Every row of one regression needs the same regressors, in the same order.")));
	CheckOverflow(mm_ss_add(s, y, x));
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* regression_stats_combine(state, state): Chan's merge; either side may be empty */
Datum
regression_stats_combine(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *a = in_agg ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	long		la,
				lb;
	double	   *sa = StateValues(a, &la);
	double	   *sb = StateValues(b, &lb);

	if (sb[2] == 0)
		PG_RETURN_ARRAYTYPE_P(a);
	if (sa[2] == 0)
		PG_RETURN_ARRAYTYPE_P(in_agg ? b : PG_GETARG_ARRAYTYPE_P_COPY(1));
	if (la != lb)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cannot merge regression statistics of %d and %d regressors", (int) sa[1], (int) sb[1])));
	CheckOverflow(mm_ss_merge(sa, sb));
	PG_RETURN_ARRAYTYPE_P(a);
}

/*
 * regression_solve(state, ridge) -> (n, intercept, coefficients, r2, rmse):
 * least squares (ridge 0) or ridge on the raw regressors, intercept unpenalised.
 */
Datum
regression_solve(PG_FUNCTION_ARGS)
{
	long		len;
	double	   *s;
	double		ridge;
	int			p;
	double	   *beta,
			   *work,
				sse,
				sst;
	int		   *iwork;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (PG_ARGISNULL(0))
		mm_null_argument("state");
	if (PG_ARGISNULL(1))
		mm_null_argument("ridge");
	s = StateValues(PG_GETARG_ARRAYTYPE_P(0), &len);
	ridge = PG_GETARG_FLOAT8(1);
	mm_check_range(ridge, "ridge", 0, true, INFINITY, false);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "regression_solve: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	p = (int) s[1];
	/* a ridge penalty makes any non-empty design solvable */
	if (s[2] < 1 || (ridge == 0 && s[2] < p + 1))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("too few rows for the regression"),
				 errdetail("%.0f rows for %d regressors and an intercept; at least %d are needed.", s[2], p, s[2] < 1 ? 1 : p + 1),
				 errhint("Add rows, or a ridge penalty.")));
	beta = palloc(sizeof(double) * (p + 1));
	work = palloc(sizeof(double) * ((long) p * p + 5L * p + 1));
	iwork = palloc(sizeof(int) * (p + 1));
	mixmodel_check_core(mm_ss_solve(s, ridge, beta, &sse, &sst, work, iwork), "regression_solve");

	values[0] = Int64GetDatum((int64) s[2]);
	values[1] = Float8GetDatum(beta[0]);
	values[2] = PointerGetDatum(mm_float8_array_build(beta + 1, p));
	if (sst > 0)
		values[3] = Float8GetDatum(1.0 - sse / sst);
	else
		nulls[3] = true;
	values[4] = Float8GetDatum(sqrt(sse / s[2]));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
