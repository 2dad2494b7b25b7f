/*
 * calibration.c: SQL helpers for calibrating a model with experiments
 * (formulas §8): mixmodel.roi_prior_lognormal.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "math/objective.h"

PG_FUNCTION_INFO_V1(roi_prior_lognormal);

/*
 * roi_prior_lognormal(mean, sd, OUT mu, OUT sigma): the LogNormal(mu, sigma)
 * whose mean and standard deviation are those of an experiment's ROI
 * (Meridian's ROI calibration prior, formulas §8.3).
 */
Datum
roi_prior_lognormal(PG_FUNCTION_ARGS)
{
	float8		mean = PG_GETARG_FLOAT8(0);
	float8		sd = PG_GETARG_FLOAT8(1);
	double		mu,
				sigma;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	mm_check_range(mean, "mean", 0.0, false, INFINITY, false);
	mm_check_range(sd, "sd", 0.0, false, INFINITY, false);
	mixmodel_check_core(mm_lognormal_from_mean_sd(mean, sd, &mu, &sigma), "roi_prior_lognormal");
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(mu);
	values[1] = Float8GetDatum(sigma);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
