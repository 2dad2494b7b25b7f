/*
 * drift.c: SQL glue of the drift statistics (src/math/drift.c):
 * mixmodel._drift_core.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "math/drift.h"

PG_FUNCTION_INFO_V1(drift_core);

/*
 * _drift_core(train_residuals float8[], recent_residuals float8[], reference_rmse float8,
 *     OUT periods int, OUT rmse, OUT error_ratio, OUT mean_residual, OUT sigma,
 *     OUT rho, OUT effective_periods, OUT z, OUT p_value)
 */
Datum
drift_core(PG_FUNCTION_ARGS)
{
	int			nt,
				n;
	float8	   *train = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(0), "train_residuals", 0, &nt);
	float8	   *recent = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(1), "recent_residuals", 0, &n);
	float8		reference = PG_GETARG_FLOAT8(2);
	MMDrift		d;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {false};

	if (nt < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("train_residuals needs at least 3 values"),
				 errdetail("Got %d.", nt)));
	mm_check_range(reference, "reference_rmse", 0.0, false, INFINITY, false);
	mixmodel_check_core(mm_drift(train, nt, recent, n, reference, &d), "drift");

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(d.n);
	values[1] = Float8GetDatum(d.rmse);
	values[2] = Float8GetDatum(d.error_ratio);
	values[3] = Float8GetDatum(d.mean_residual);
	values[4] = Float8GetDatum(d.sigma);
	values[5] = Float8GetDatum(d.rho);
	values[6] = Float8GetDatum(d.n_effective);
	values[7] = Float8GetDatum(d.z);
	values[8] = Float8GetDatum(d.p_value);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
