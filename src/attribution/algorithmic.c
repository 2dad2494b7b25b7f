/*
 * algorithmic.c: mixmodel._attribution_survival, the fit of the algorithmic
 * attribution model (src/math/attribution/survival.h) over a table of
 * journeys, one row per person.
 *
 * Each pass of the projected Newton method reads the table again through an
 * SPI cursor, a batch at a time: memory holds the parameters, their Hessian
 * and one batch, never the rows.  The table is read in its physical order
 * (attribute() writes it sorted by person), so the sums, and the fit, are
 * the same on every run.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "math/attribution/survival.h"

PG_FUNCTION_INFO_V1(attribution_survival);

#define FETCH_ROWS 5000
/* parameters one fit may have (the Hessian is p x p doubles) */
#define MAX_PARAMS 3000

typedef struct ScanArg
{
	const MMSurvSpec *spec;
	char	   *relname;
	int			days;			/* analysed days 0 .. days-1 */
	double		persons;		/* persons at risk on every day */
	double		total_conv_days;	/* converting person-days in the range */
	double	   *theta;
	double	   *xwork;
	int		   *iwork;
	size_t		iwork_cap;
	MemoryContext batchcxt;
	double		seen;			/* persons read */
} ScanArg;

/* int4[] elements of a row, checked (no NULLs, one dimension) */
static int *
int_array(Datum d, bool isnull, int *n, const char *what)
{
	ArrayType  *a;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("journey %s must not be null", what)));
	a = DatumGetArrayTypeP(d);
	if (ARR_ELEMTYPE(a) != INT4OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey %s must be a one-dimensional integer[] without nulls", what)));
	*n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	return (int *) ARR_DATA_PTR(a);
}

static MMStatus
scan_journeys(void *argp, const double *z, MMSurvAccum *acc)
{
	ScanArg    *arg = argp;
	const int	p = mm_surv_nparams(arg->spec);
	Portal		portal;
	char	   *sql = psprintf("SELECT tday, ttok, cday FROM %s", arg->relname);
	SPIPlanPtr	plan;
	MMStatus	st = MM_OK;

	mm_surv_accum_reset(acc, p);
	mm_surv_theta(arg->spec, z, arg->theta);
	arg->seen = 0;
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "attribution: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		CHECK_FOR_INTERRUPTS();
		for (uint64 i = 0; i < SPI_processed && st == MM_OK; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			MemoryContext old = MemoryContextSwitchTo(arg->batchcxt);
			bool		n1,
						n2,
						n3;
			Datum		d1 = SPI_getbinval(tup, desc, 1, &n1),
						d2 = SPI_getbinval(tup, desc, 2, &n2),
						d3 = SPI_getbinval(tup, desc, 3, &n3);
			int			nt,
						nt2,
						nc;
			int		   *tday = int_array(d1, n1, &nt, "touch days"),
					   *ttok = int_array(d2, n2, &nt2, "touch channels"),
					   *cday = int_array(d3, n3, &nc, "conversion days");
			size_t		need;

			MemoryContextSwitchTo(old);
			if (nt != nt2)
				ereport(ERROR,
						(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
						 errmsg("journey touch days and channels differ in length")));
			need = mm_surv_person_iwork(arg->spec, nt);
			if (need > arg->iwork_cap)
			{
				arg->iwork_cap = Max(need, 2 * arg->iwork_cap);
				arg->iwork = repalloc_huge(arg->iwork, sizeof(int) * arg->iwork_cap);
			}
			st = mm_surv_person(arg->spec, z[0], arg->theta, nt, tday, ttok, nc, cday,
								0, arg->days - 1, acc, arg->iwork, arg->xwork);
			arg->seen += 1;
		}
		MemoryContextReset(arg->batchcxt);
		SPI_freetuptable(SPI_tuptable);
		if (st != MM_OK)
			break;
	}
	SPI_cursor_close(portal);
	SPI_freeplan(plan);
	if (st != MM_OK)
		return st;
	/* every other person-day: no touch in reach */
	{
		double		n0 = Max(arg->persons, arg->seen) * arg->days - acc->days;
		double		y0 = acc->base_events;

		if (n0 < y0)
			return MM_EDOM;
		return mm_surv_add_baseline(z[0], n0, y0, acc);
	}
}

/*
 * _attribution_survival(journeys regclass, tokens int, edges int[], days int,
 *     persons float8, conversion_days float8, ridge float8) RETURNS jsonb
 *
 * journeys: (tday int4[], ttok int4[], cday int4[]) per person, days counted
 * from the first analysed day (touch days may be negative), channels
 * 0 .. tokens-1, converting days distinct and ascending.  persons: the
 * persons at risk (at least the rows of journeys); conversion_days: the
 * converting person-days in the range, for the starting value.
 */
Datum
attribution_survival(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"journeys", "tokens", "edges", "days", "persons",
	"conversion_days", "ridge"};
	Oid			relid;
	MMSurvSpec	spec;
	ScanArg		arg;
	int		   *edge32,
				nedge,
				p;
	float8	   *edgef;
	double	   *z,
			   *work;
	int		   *iwork;
	MMSurvFitInfo info;
	MMStatus	st;
	StringInfoData js;
	double		rate;

	for (int i = 0; i < 7; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(names[i]);
	relid = PG_GETARG_OID(0);
	spec.ntok = PG_GETARG_INT32(1);
	edgef = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(2), "edges", MM_ARR_NONNEG, &nedge);
	arg.days = PG_GETARG_INT32(3);
	arg.persons = PG_GETARG_FLOAT8(4);
	arg.total_conv_days = PG_GETARG_FLOAT8(5);
	spec.ridge = PG_GETARG_FLOAT8(6);
	if (spec.ntok < 0 || arg.days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tokens must be >= 0 and days >= 1")));
	mm_check_range(arg.persons, "persons", 1, true, 1e15, true);
	mm_check_range(arg.total_conv_days, "conversion_days", 0, true, arg.persons * arg.days, true);
	mm_check_range(spec.ridge, "ridge", 0, true, 1e12, true);
	if (nedge < 2 || nedge > 101)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("edges must have between 2 and 101 elements")));
	edge32 = palloc(sizeof(int) * nedge);
	for (int i = 0; i < nedge; i++)
	{
		if (edgef[i] != floor(edgef[i]) || edgef[i] > 100000 || (i > 0 && edgef[i] <= edgef[i - 1]) ||
			(i == 0 && edgef[0] != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("edges must be whole days, increasing from 0"),
					 errdetail("Element %d is %g.", i + 1, edgef[i])));
		edge32[i] = (int) edgef[i];
	}
	spec.nbucket = nedge - 1;
	spec.edge = edge32;
	if ((double) spec.ntok * spec.nbucket + 1 > MAX_PARAMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the algorithmic model would have too many parameters"),
				 errdetail("%d channels x %d lag buckets; the limit is %d parameters.",
						   spec.ntok, spec.nbucket, MAX_PARAMS),
				 errhint("Key touches by channel rather than by a finer dimension, or use fewer lag buckets.")));
	p = mm_surv_nparams(&spec);

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	arg.spec = &spec;
	arg.relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
											 get_rel_name(relid));
	arg.theta = palloc(sizeof(double) * Max(spec.ntok * spec.nbucket, 1));
	arg.xwork = palloc0(sizeof(double) * p);
	arg.iwork_cap = 1024;
	arg.iwork = palloc(sizeof(int) * arg.iwork_cap);
	arg.batchcxt = AllocSetContextCreate(CurrentMemoryContext, "mixmodel journey batch", ALLOCSET_DEFAULT_SIZES);

	z = palloc0(sizeof(double) * p);
	rate = (arg.total_conv_days + 0.5) / (arg.persons * arg.days + 1.0);
	z[0] = log(rate / (1.0 - rate));
	work = palloc_extended(sizeof(double) * mm_surv_fit_work(&spec), MCXT_ALLOC_HUGE);
	iwork = palloc(sizeof(int) * mm_surv_fit_iwork(&spec));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "attribution: SPI_connect failed");
	st = mm_surv_fit(&spec, scan_journeys, &arg, z, 100, 1e-12, &info, work, iwork,
					 mixmodel_interrupt_check);
	SPI_finish();
	if (st == MM_EDOM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journeys are not in the expected form"),
				 errdetail("Touch days must ascend, channels lie in [0, %d), conversion days ascend without repeats, "
						   "and persons must be at least the number of journeys.", spec.ntok)));
	mixmodel_check_core(st, "the algorithmic attribution model");

	/* {"beta0": ..., "theta": [[...], ...], "iterations": ..., ...}, 17 significant digits */
	mm_surv_theta(&spec, z, arg.theta);
	initStringInfo(&js);
	appendStringInfo(&js, "{\"beta0\": %.17g, \"theta\": [", z[0]);
	for (int c = 0; c < spec.ntok; c++)
	{
		appendStringInfoString(&js, c ? ", [" : "[");
		for (int b = 0; b < spec.nbucket; b++)
			appendStringInfo(&js, "%s%.17g", b ? ", " : "", arg.theta[c * spec.nbucket + b]);
		appendStringInfoChar(&js, ']');
	}
	appendStringInfo(&js, "], \"iterations\": %d, \"scans\": %d, \"loss\": %.17g, \"decrement\": %.17g, "
					 "\"kkt\": %.17g, \"parameters\": %d}",
					 info.iterations, info.scans, info.loss, info.decrement, info.kkt, p);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(js.data)));
}
