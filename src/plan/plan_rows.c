/*
 * plan_rows.c: mixmodel._plan_allocation_rows, the weekly rows create_plan
 * writes into plan_allocations, made from _plan_core's arrays in one pass.
 *
 * create_plan used to form them in SQL (generate_series of channels and weeks
 * joined laterally to array subscripts, every expression evaluated per row).
 * Each value here is the same expression computed with the same operators as
 * the SQL (utils/float.h: float8_mul, float8_div, float8_mi, float8_gt with
 * their overflow, underflow, division-by-zero and NaN rules), in the same
 * order, and a missing element (NULL array, NULL element, subscript out of
 * range) gives NULL as a subscript did; so the rows are bit for bit the
 * rows the SQL formed, in the same order (paid channels by channel and week,
 * then base by week).  doc/plan.md.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(plan_allocation_rows);

/* A one-dimensional array argument's elements with their NULL flags (n = 0 when NULL). */
typedef struct Elems
{
	Datum	   *v;
	bool	   *isnull;
	int			n;
	int			lb;
} Elems;

static Elems
ArgElems(FunctionCallInfo fcinfo, int i, Oid type, int16 len, bool byval, char align)
{
	Elems		e = {NULL, NULL, 0, 1};
	ArrayType  *a;

	if (PG_ARGISNULL(i))
		return e;
	a = PG_GETARG_ARRAYTYPE_P(i);
	if (ARR_ELEMTYPE(a) != type)
		elog(ERROR, "_plan_allocation_rows: argument %d has the wrong element type", i + 1);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array arguments of _plan_allocation_rows must be one-dimensional"),
				 errdetail("Argument %d has %d dimensions.", i + 1, ARR_NDIM(a))));
	if (ARR_NDIM(a) == 1)
		e.lb = ARR_LBOUND(a)[0];
	deconstruct_array(a, type, len, byval, align, &e.v, &e.isnull, &e.n);
	return e;
}

/* Element at SQL subscript k (as arr[k]): false when it is NULL or out of range. */
static inline bool
ElemAt(const Elems *e, int64 k, Datum *d)
{
	int64		i = k - e->lb;

	if (i < 0 || i >= e->n || e->isnull[i])
		return false;
	*d = e->v[i];
	return true;
}

static inline bool
Float8At(const Elems *e, int64 k, double *x)
{
	Datum		d;

	if (!ElemAt(e, k, &d))
		return false;
	*x = DatumGetFloat8(d);
	return true;
}

static inline bool
Int4At(const Elems *e, int64 k, int32 *x)
{
	Datum		d;

	if (!ElemAt(e, k, &d))
		return false;
	*x = DatumGetInt32(d);
	return true;
}

#define NCOLS 14

/*
 * _plan_allocation_rows(channel text[], x float8[], term_total float8[],
 *   term_incr float8[], marginal float8[], prim int4[], cost float8[],
 *   base float8[], week_flight int4[], flight_to int4[], horizon int4,
 *   revenue_per_kpi float8, conversions_per_kpi float8)
 * RETURNS TABLE (flight, week, channel, kind, spend, volume, kpi, incremental,
 *   conversions, revenue, roi, cpa, marginal, carryover)
 *
 * week is the horizon week t (0-based).  Paid channel c (1-based) in week t:
 * spend x[(c - 1) * horizon + t + 1], kpi and incremental the channel's
 * primary term prim[c] of term_total and term_incr (0 when it has none);
 * then base: kpi base[t + 1].
 */
Datum
plan_allocation_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Elems		ch,
				x,
				ttot,
				tinc,
				marg,
				prim,
				cost,
				base,
				wfl,
				fto;
	int32		nh;
	bool		have_rev = !PG_ARGISNULL(11),
				have_conv = !PG_ARGISNULL(12);
	double		rev = have_rev ? PG_GETARG_FLOAT8(11) : 0,
				conv = have_conv ? PG_GETARG_FLOAT8(12) : 0;
	Datum		values[NCOLS];
	bool		nulls[NCOLS];
	Datum		kind_paid = CStringGetTextDatum("paid"),
				kind_base = CStringGetTextDatum("base");

	if (PG_ARGISNULL(10))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("horizon must not be NULL")));
	nh = PG_GETARG_INT32(10);
	if (nh < 0 || nh > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be between 0 and 1000000"),
				 errdetail("Got %d.", nh)));
	ch = ArgElems(fcinfo, 0, TEXTOID, -1, false, TYPALIGN_INT);
	x = ArgElems(fcinfo, 1, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	ttot = ArgElems(fcinfo, 2, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	tinc = ArgElems(fcinfo, 3, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	marg = ArgElems(fcinfo, 4, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	prim = ArgElems(fcinfo, 5, INT4OID, 4, true, TYPALIGN_INT);
	cost = ArgElems(fcinfo, 6, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	base = ArgElems(fcinfo, 7, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	wfl = ArgElems(fcinfo, 8, INT4OID, 4, true, TYPALIGN_INT);
	fto = ArgElems(fcinfo, 9, INT4OID, 4, true, TYPALIGN_INT);

	InitMaterializedSRF(fcinfo, 0);

	/* paid channels, channel by channel, week by week; then base */
	for (int c = 1; c <= ch.n + 1; c++)
	{
		bool		paid = c <= ch.n;
		int32		pc = 0;
		bool		have_prim = paid && Int4At(&prim, c, &pc);
		double		cc = 0;
		bool		have_cost = paid && Float8At(&cost, c, &cc);

		CHECK_FOR_INTERRUPTS();
		for (int32 t = 0; t < nh; t++)
		{
			int32		fl = 0,
						to = 0;
			bool		have_fl = Int4At(&wfl, (int64) t + 1, &fl);
			double		xv = 0,
						tot = 0,
						inc = 0,
						v;
			bool		have_x;

			memset(nulls, true, sizeof(nulls));
			if (have_fl)
			{
				values[0] = Int32GetDatum(fl);
				nulls[0] = false;
			}
			values[1] = Int32GetDatum(t);
			nulls[1] = false;
			if (!paid)
			{
				values[2] = kind_base;
				nulls[2] = false;
				values[3] = kind_base;
				nulls[3] = false;
				values[4] = Float8GetDatum(0.0);	/* spend */
				nulls[4] = false;
				if (Float8At(&base, (int64) t + 1, &v))
				{
					values[6] = Float8GetDatum(v);	/* kpi */
					nulls[6] = false;
					if (have_conv)
					{
						values[8] = Float8GetDatum(float8_mul(v, conv));
						nulls[8] = false;
					}
					if (have_rev)
					{
						values[9] = Float8GetDatum(float8_mul(v, rev));
						nulls[9] = false;
					}
				}
				values[7] = Float8GetDatum(0.0);	/* incremental */
				nulls[7] = false;
			}
			else
			{
				int64		k = (int64) (c - 1) * nh + t + 1;

				if (ElemAt(&ch, c, &values[2]))
					nulls[2] = false;
				values[3] = kind_paid;
				nulls[3] = false;
				have_x = Float8At(&x, k, &xv);
				if (!(have_prim && Float8At(&ttot, (int64) (pc - 1) * nh + t + 1, &tot)))
					tot = 0;	/* coalesce(..., 0) */
				if (!(have_prim && Float8At(&tinc, (int64) (pc - 1) * nh + t + 1, &inc)))
					inc = 0;
				if (have_x)
				{
					values[4] = Float8GetDatum(xv);
					nulls[4] = false;
					if (have_cost)
					{
						values[5] = Float8GetDatum(float8_div(xv, cc));
						nulls[5] = false;
					}
				}
				values[6] = Float8GetDatum(tot);
				nulls[6] = false;
				values[7] = Float8GetDatum(inc);
				nulls[7] = false;
				if (have_conv)
				{
					values[8] = Float8GetDatum(float8_mul(tot, conv));
					nulls[8] = false;
				}
				if (have_rev)
				{
					values[9] = Float8GetDatum(float8_mul(tot, rev));
					nulls[9] = false;
				}
				/* roi: CASE WHEN x > 0 THEN inc * rev / x - 1 END */
				if (have_x && float8_gt(xv, 0.0) && have_rev)
				{
					values[10] = Float8GetDatum(float8_mi(float8_div(float8_mul(inc, rev), xv), 1.0));
					nulls[10] = false;
				}
				/* cpa: CASE WHEN x > 0 AND inc > 0 THEN x / (inc * conv) END */
				if (have_x && float8_gt(xv, 0.0) && float8_gt(inc, 0.0) && have_conv)
				{
					values[11] = Float8GetDatum(float8_div(xv, float8_mul(inc, conv)));
					nulls[11] = false;
				}
				if (Float8At(&marg, k, &v))
				{
					values[12] = Float8GetDatum(v);
					nulls[12] = false;
				}
			}
			/* carryover: t >= fto[fl] */
			if (have_fl && Int4At(&fto, fl, &to))
			{
				values[13] = BoolGetDatum(t >= to);
				nulls[13] = false;
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
