/*
 * generate_events.c: mixmodel.generate_events_day, the web/app events of one day.
 *
 * generate_raw_data calls it once per day through a LATERAL join, so the
 * events table is written a day at a time and memory stays bounded by one
 * day's rows however many millions of events are asked for.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "math/generate.h"

PG_FUNCTION_INFO_V1(generate_events_day);

/* Events of one call, at most (a day of a very large data set). */
#define MAX_EVENTS_PER_DAY 100000000

Datum
generate_events_day(PG_FUNCTION_ARGS)
{
	int64		seed = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	int64		conversions = PG_GETARG_INT64(2);
	float8		revenue = PG_GETARG_FLOAT8(3);
	int64		touches = PG_GETARG_INT64(4);
	int64		profiles = PG_GETARG_INT64(5);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *channels,
			   *campaigns;
	float8	   *weights;
	int			nch,
				ncp,
				nw;
	double		wsum = 0.0;
	gsl_ran_discrete_t *table = NULL;
	gsl_rng    *r;
	MMGenEvent *rows;
	double	   *alpha = NULL,
			   *share = NULL;
	Datum		touch_txt,
				conv_txt,
				online_txt;

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("day must be finite")));
	if (conversions < 0 || touches < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversions and touches must not be negative"),
				 errdetail("Got conversions %lld, touches %lld.",
						   (long long) conversions, (long long) touches)));
	if (conversions > MAX_EVENTS_PER_DAY || touches > MAX_EVENTS_PER_DAY - conversions)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many events for one day"),
				 errdetail("The limit is %d events per call.", MAX_EVENTS_PER_DAY)));
	mm_check_range(revenue, "revenue", 0.0, true, INFINITY, false);
	if (profiles < 1 || profiles > (int64) 4294967295LL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profiles must be in the range [1, 4294967295]"),
				 errdetail("Got %lld.", (long long) profiles)));
	if (conversions == 0 && revenue != 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("revenue must be 0 when there are no conversions"),
				 errdetail("Got %g.", revenue)));

	channels = mm_text_array_values(PG_GETARG_ARRAYTYPE_P(6), "channels", &nch);
	campaigns = mm_text_array_values(PG_GETARG_ARRAYTYPE_P(7), "campaigns", &ncp);
	weights = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(8), "weights",
									 MM_ARR_NONNEG | MM_ARR_ALLOW_EMPTY, &nw);
	if (nch != ncp || nch != nw)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("channels, campaigns and weights must have the same length"),
				 errdetail("Got %d, %d and %d elements.", nch, ncp, nw)));
	for (int i = 0; i < nw; i++)
		wsum += weights[i];
	if (touches > 0 && !(wsum > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must have a positive sum when touches are asked for"),
				 errhint("Pass touches => 0 for a day without media activity.")));

	InitMaterializedSRF(fcinfo, 0);

	/* one stream per (seed, day), so a day's events do not depend on the range */
	r = mm_rng_create(mm_gen_seed(seed, (int64) 1 << 32 | (uint32) day));
	if (touches > 0)
	{
		table = gsl_ran_discrete_preproc(nw, weights);
		if (table == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
	}
	rows = palloc_extended(sizeof(MMGenEvent) * Max(touches + conversions, 1), MCXT_ALLOC_HUGE);
	if (conversions > 0)
	{
		alpha = palloc_extended(sizeof(double) * conversions, MCXT_ALLOC_HUGE);
		share = palloc_extended(sizeof(double) * conversions, MCXT_ALLOC_HUGE);
	}
	{
		MMStatus	st = mm_gen_events_day(r, conversions, revenue, touches, profiles,
										   table, alpha, share, rows);

		if (table)
			gsl_ran_discrete_free(table);
		mixmodel_check_core(st, "generate_events_day");
	}

	touch_txt = CStringGetTextDatum("touch");
	conv_txt = CStringGetTextDatum("conversion");
	online_txt = CStringGetTextDatum("online");
	for (int64 i = 0; i < touches + conversions; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};
		MMGenEvent *e = &rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(e->profile_id);
		values[1] = TimestampTzGetDatum((TimestampTz) day * USECS_PER_DAY + e->usec);
		if (e->campaign >= 0)
		{
			values[2] = touch_txt;
			values[3] = channels[e->campaign];
			values[4] = campaigns[e->campaign];
			nulls[5] = nulls[6] = true;
		}
		else
		{
			values[2] = conv_txt;
			nulls[3] = nulls[4] = true;
			values[5] = online_txt;
			values[6] = Float8GetDatum(e->revenue);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
