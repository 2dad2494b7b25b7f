/*
 * adstock_window.c: adstock as window functions over a table,
 *   mixmodel.adstock_geometric(spend, theta) OVER (PARTITION BY channel ORDER BY week)
 *
 * Linear in rows: each call reads only the current row and keeps what it
 * needs in the partition's local memory (the previous output for the
 * recursive form, the last max_lag + 1 inputs for windowed forms).  Outputs
 * come from the same core functions as the array forms, so a window call and
 * an array call over the same ordered rows agree to the last bit.
 *
 * Like lag() and row_number(), these ignore the window frame: the partition
 * and its ORDER BY define the series.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "transform/adstock_spec.h"

PG_FUNCTION_INFO_V1(adstock_geometric_window);
PG_FUNCTION_INFO_V1(adstock_weibull_window);
PG_FUNCTION_INFO_V1(adstock_delayed_window);
PG_FUNCTION_INFO_V1(adstock_binomial_window);

typedef struct AdstockWindowState
{
	bool		started;		/* false in fresh (zeroed) partition memory */
	int64		next_pos;		/* position the next call must be at */
	AdstockSpec spec;			/* parameters read at the partition's first row */
	double		prev;			/* recursive: unnormalised a_{t-1} */
	int			L;				/* windowed: number of weights */
	int			count;			/* windowed: inputs held in hist */
	/* windowed: w[0 .. L-1], then hist[0 .. 2L-1], oldest input first */
	double		data[FLEXIBLE_ARRAY_MEMBER];
} AdstockWindowState;

/* rows between two moves of the tuplestore's mark */
#define MARK_EVERY 256

/*
 * The spec of this call site when its parameters are constants (or query
 * parameters): built and checked at the first row, then reused, so later rows
 * only read their input.  NULL otherwise, and before the first row.
 */
static const AdstockSpec *
CachedSpec(FunctionCallInfo fcinfo)
{
	return (const AdstockSpec *) fcinfo->flinfo->fn_extra;
}

/* Keep spec for the call site when arguments 1..nargs - 1 are stable. */
static void
KeepSpec(FunctionCallInfo fcinfo, const AdstockSpec *spec, int nargs)
{
	AdstockSpec *kept;

	for (int i = 1; i < nargs; i++)
		if (!get_fn_expr_arg_stable(fcinfo->flinfo, i))
			return;
	kept = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(AdstockSpec));
	*kept = *spec;
	fcinfo->flinfo->fn_extra = kept;
}

/* A parameter of the current row, rejecting NULL (22004). */
static Datum
WindowArg(WindowObject winobj, int argno, const char *name)
{
	bool		isnull;
	Datum		d = WinGetFuncArgCurrent(winobj, argno, &isnull);

	if (isnull)
		mm_null_argument(name);
	return d;
}

static char *
WindowTextArg(WindowObject winobj, int argno, const char *name)
{
	return TextDatumGetCString(WindowArg(winobj, argno, name));
}

/*
 * One output row of the adstock "spec" (built from this row's arguments).
 * The state is sized at the partition's first row; later rows must carry
 * the same parameters.
 */
static Datum
AdstockWindowRow(WindowObject winobj, const AdstockSpec *spec)
{
	int64		pos = WinGetCurrentPosition(winobj);
	int			L = spec->recursive ? 0 : AdstockWindowLength(spec, 0);
	AdstockWindowState *st;
	bool		isnull;
	float8		x,
				a;

	st = WinGetPartitionLocalMemory(winobj,
									offsetof(AdstockWindowState, data) +
									sizeof(double) * 3 * L);
	if (!st->started)
	{
		st->started = true;
		st->next_pos = pos;
		st->spec = *spec;
		st->L = L;
		st->count = 0;
		if (!spec->recursive)
			AdstockFillWeights(spec, L, st->data);
	}
	else if (!AdstockSpecEqual(&st->spec, spec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("adstock parameters must be the same for every row of a partition"),
				 errdetail("Row %lld of the partition has other parameters than its first row.",
						   (long long) pos + 1),
				 errhint("Pass constants, or values that depend only on the PARTITION BY columns.")));

	/* the executor calls a window function once per row, in order */
	if (pos != st->next_pos)
		elog(ERROR, "adstock window function called at row " INT64_FORMAT ", expected " INT64_FORMAT,
			 pos, st->next_pos);
	st->next_pos = pos + 1;
	/* earlier rows are never read again: let the tuplestore drop them (in batches) */
	if ((pos & (MARK_EVERY - 1)) == 0)
		WinSetMarkPosition(winobj, pos);

	x = DatumGetFloat8(WinGetFuncArgCurrent(winobj, 0, &isnull));
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("adstock input must not be null"),
				 errdetail("Row %lld of the partition has a null input.", (long long) pos + 1),
				 errhint("Replace missing periods with 0, for example with coalesce(spend, 0).")));
	if (!isfinite(x) || x < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("adstock input must be finite and non-negative"),
				 errdetail("Row %lld of the partition has %g.", (long long) pos + 1, x)));

	if (spec->recursive)
	{
		st->prev = mm_adstock_geometric_step(x, spec->p1, st->prev, pos == 0);
		a = spec->normalize ? st->prev * (1.0 - spec->p1) : st->prev;
	}
	else
	{
		double	   *w = st->data;
		double	   *hist = st->data + L;

		/* keep the last L inputs contiguous; shift once every L rows */
		if (st->count == 2 * L)
		{
			memmove(hist, hist + L + 1, sizeof(double) * (L - 1));
			st->count = L - 1;
		}
		hist[st->count++] = x;
		a = mm_adstock_convolve_at(hist, st->count - 1, w, L);
	}
	if (!isfinite(a))
		mixmodel_check_core(MM_EOVRFLW, "adstock");
	PG_RETURN_FLOAT8(a);
}

/* adstock_geometric(spend, theta, max_lag DEFAULT NULL, normalize DEFAULT false) OVER (...) */
Datum
adstock_geometric_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	AdstockSpec spec;
	bool		lag_null;
	Datum		lag;

	if (CachedSpec(fcinfo))
		return AdstockWindowRow(winobj, CachedSpec(fcinfo));
	lag = WinGetFuncArgCurrent(winobj, 2, &lag_null);
	AdstockGeometricSpec(&spec, DatumGetFloat8(WindowArg(winobj, 1, "theta")),
						 lag_null, lag_null ? 0 : DatumGetInt32(lag),
						 DatumGetBool(WindowArg(winobj, 3, "normalize")));
	KeepSpec(fcinfo, &spec, 4);
	return AdstockWindowRow(winobj, &spec);
}

/* adstock_weibull(spend, shape, scale, variant, max_lag, normalize, scale_type) OVER (...) */
Datum
adstock_weibull_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	AdstockSpec spec;
	bool		lag_null;
	Datum		lag;

	if (CachedSpec(fcinfo))
		return AdstockWindowRow(winobj, CachedSpec(fcinfo));
	lag = WinGetFuncArgCurrent(winobj, 4, &lag_null);
	if (lag_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"max_lag\" must not be null in the window form of adstock_weibull"),
				 errhint("For Robyn's whole-series window, call adstock_weibull on an array "
						 "(array_agg(spend ORDER BY week)).")));
	AdstockWeibullSpec(&spec, DatumGetFloat8(WindowArg(winobj, 1, "shape")),
					   DatumGetFloat8(WindowArg(winobj, 2, "scale")),
					   WindowTextArg(winobj, 3, "variant"), false, DatumGetInt32(lag),
					   DatumGetBool(WindowArg(winobj, 5, "normalize")),
					   WindowTextArg(winobj, 6, "scale_type"));
	KeepSpec(fcinfo, &spec, 7);
	return AdstockWindowRow(winobj, &spec);
}

/* adstock_delayed(spend, alpha, peak, max_lag, normalize DEFAULT true) OVER (...) */
Datum
adstock_delayed_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	AdstockSpec spec;

	if (CachedSpec(fcinfo))
		return AdstockWindowRow(winobj, CachedSpec(fcinfo));
	AdstockDelayedSpec(&spec, DatumGetFloat8(WindowArg(winobj, 1, "alpha")),
					   DatumGetFloat8(WindowArg(winobj, 2, "peak")),
					   DatumGetInt32(WindowArg(winobj, 3, "max_lag")),
					   DatumGetBool(WindowArg(winobj, 4, "normalize")));
	KeepSpec(fcinfo, &spec, 5);
	return AdstockWindowRow(winobj, &spec);
}

/* adstock_binomial(spend, alpha, max_lag) OVER (...) */
Datum
adstock_binomial_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	AdstockSpec spec;

	if (CachedSpec(fcinfo))
		return AdstockWindowRow(winobj, CachedSpec(fcinfo));
	AdstockBinomialSpec(&spec, DatumGetFloat8(WindowArg(winobj, 1, "alpha")),
						DatumGetInt32(WindowArg(winobj, 2, "max_lag")));
	KeepSpec(fcinfo, &spec, 3);
	return AdstockWindowRow(winobj, &spec);
}
