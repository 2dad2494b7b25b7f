/*
 * args.c: array arguments of the internal C functions (args.h).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/args.h"
#include "common/arrays.h"

int *
mm_int_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	int		   *out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), INT4OID, 4, true, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(int) * (*n + 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			mm_null_argument(name);
		out[i] = DatumGetInt32(d[i]);
	}
	return out;
}

char **
mm_text_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	char	  **out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), TEXTOID, -1, false, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(char *) * (*n + 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			mm_null_argument(name);
		out[i] = TextDatumGetCString(d[i]);
	}
	return out;
}

double *
mm_float8_array_nan_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	double	   *out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &d, &nulls, n);
	out = palloc(sizeof(double) * (*n + 1));
	for (int i = 0; i < *n; i++)
		out[i] = nulls[i] ? NAN : DatumGetFloat8(d[i]);
	return out;
}

double *
mm_float8_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, int flags, int *n)
{
	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	return mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(argno), name, flags | MM_ARR_ALLOW_EMPTY, n);
}

void
mm_check_length(int got, int want, const char *name)
{
	if (got != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %d elements, got %d.", want, got)));
}
