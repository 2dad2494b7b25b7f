/*
 * arrays.c: validated float8[] access and scalar parameter checks.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/float.h"

#include "common/arrays.h"

int			mm_max_array_length = 10000000;

float8 *
mm_float8_array_values(ArrayType *arr, const char *argname, int flags, int *n)
{
	int			nelems;
	float8	   *values;

	if (ARR_ELEMTYPE(arr) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("array \"%s\" must be of type double precision[]", argname)));
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional", argname),
				 errdetail("It has %d dimensions.", ARR_NDIM(arr))));

	nelems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (nelems == 0 && !(flags & MM_ARR_ALLOW_EMPTY))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must not be empty", argname)));
	if (nelems > mm_max_array_length)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("array \"%s\" is too long", argname),
				 errdetail("It has %d elements; the limit is %d.", nelems, mm_max_array_length),
				 errhint("Raise mixmodel.max_array_length or aggregate the series first.")));
	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array \"%s\" must not contain nulls", argname),
				 errhint("Replace missing periods with 0 (for example with coalesce) before calling.")));

	values = (float8 *) ARR_DATA_PTR(arr);
	for (int i = 0; i < nelems; i++)
	{
		if (!isfinite(values[i]) && !((flags & MM_ARR_POS_INF) && values[i] > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("array \"%s\" must contain only finite values", argname),
					 errdetail("Element %d is %s.", i + 1,
							   isnan(values[i]) ? "NaN" : (values[i] > 0 ? "Infinity" : "-Infinity"))));
		if ((flags & MM_ARR_NONNEG) && values[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("array \"%s\" must not contain negative values", argname),
					 errdetail("Element %d is %g.", i + 1, values[i])));
	}
	*n = nelems;
	return values;
}

Datum *
mm_text_array_values(ArrayType *arr, const char *argname, int *n)
{
	Datum	   *values;
	bool	   *nulls;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional", argname)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls, n);
	for (int i = 0; i < *n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"%s\" must not contain nulls", argname)));
	return values;
}

ArrayType *
mm_float8_array_build(const float8 *values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		datums[i] = Float8GetDatum(values[i]);
	return construct_array(datums, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

void
mm_check_finite(float8 v, const char *argname)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", argname),
				 errdetail("Got %s.", isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"))));
}

void
mm_check_range(float8 v, const char *argname,
			   float8 lo, bool lo_closed, float8 hi, bool hi_closed)
{
	bool		ok;

	mm_check_finite(v, argname);
	ok = (lo_closed ? v >= lo : v > lo) && (hi_closed ? v <= hi : v < hi);
	if (!ok)
	{
		char		lobuf[32],
					hibuf[32];

		if (isinf(lo))
			snprintf(lobuf, sizeof(lobuf), "-Infinity");
		else
			snprintf(lobuf, sizeof(lobuf), "%g", lo);
		if (isinf(hi))
			snprintf(hibuf, sizeof(hibuf), "Infinity");
		else
			snprintf(hibuf, sizeof(hibuf), "%g", hi);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be in the range %c%s, %s%c", argname,
						lo_closed ? '[' : '(', lobuf, hibuf, hi_closed ? ']' : ')'),
				 errdetail("Got %g.", v)));
	}
}

void
mm_null_argument(const char *argname)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("argument \"%s\" must not be null", argname)));
}
