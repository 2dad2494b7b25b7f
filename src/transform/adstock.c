/*
 * adstock.c: adstock of a whole series given as a float8[] (one element per
 * period, oldest first), and the lag weights of any adstock convention.
 *
 * Conventions and their sources: formulas.md §1.1 and doc/adstock.md.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "transform/adstock_spec.h"

PG_FUNCTION_INFO_V1(adstock_geometric);
PG_FUNCTION_INFO_V1(adstock_weibull);
PG_FUNCTION_INFO_V1(adstock_delayed);
PG_FUNCTION_INFO_V1(adstock_binomial);
PG_FUNCTION_INFO_V1(adstock_weights);

/* Argument i of a non-STRICT function, rejecting NULL (22004). */
static float8
Float8Arg(FunctionCallInfo fcinfo, int i, const char *name)
{
	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	return PG_GETARG_FLOAT8(i);
}

static bool
BoolArg(FunctionCallInfo fcinfo, int i, const char *name)
{
	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	return PG_GETARG_BOOL(i);
}

static char *
TextArg(FunctionCallInfo fcinfo, int i, const char *name)
{
	if (PG_ARGISNULL(i))
		mm_null_argument(name);
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/*
 * The whole-series window has n weights, but only up to the last non-zero
 * one costs anything; refuse a convolution that would run for minutes.
 */
static void
CheckWholeSeriesWork(int n, const float8 *w, int L)
{
	int64		work;

	while (L > 1 && w[L - 1] == 0.0)
		L--;
	work = (int64) n * L;
	if (work > MM_ADSTOCK_MAX_WORK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("whole-series adstock window is too long"),
				 errdetail("%d periods with %d non-zero lag weights need %lld multiply-adds; the limit is %d.",
						   n, L, (long long) work, MM_ADSTOCK_MAX_WORK),
				 errhint("Pass max_lag to bound the window, or aggregate the series to a coarser period.")));
}

/* Apply one adstock to the series x and return the adstocked float8[]. */
static ArrayType *
AdstockArray(ArrayType *arr, const AdstockSpec *spec)
{
	int			n;
	float8	   *x = mm_float8_array_values(arr, "x", MM_ARR_NONNEG, &n);
	float8	   *out = palloc(sizeof(float8) * n);

	if (spec->recursive)
		mixmodel_check_core(mm_adstock_geometric_recursive(x, n, spec->p1,
														   spec->normalize, out),
							"geometric adstock");
	else
	{
		int			L = AdstockWindowLength(spec, n);
		float8	   *w = palloc(sizeof(float8) * L);

		AdstockFillWeights(spec, L, w);
		if (spec->max_lag < 0)
			CheckWholeSeriesWork(n, w, L);
		mixmodel_check_core(mm_adstock_convolve_interruptible(x, n, w, L, out,
															  mixmodel_interrupt_check),
							"adstock");
		pfree(w);
	}
	return mm_float8_array_build(out, n);
}

/* adstock_geometric(x, theta, max_lag DEFAULT NULL, normalize DEFAULT false) */
Datum
adstock_geometric(PG_FUNCTION_ARGS)
{
	AdstockSpec spec;

	if (PG_ARGISNULL(0))
		mm_null_argument("x");
	AdstockGeometricSpec(&spec, Float8Arg(fcinfo, 1, "theta"),
						 PG_ARGISNULL(2), PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2),
						 BoolArg(fcinfo, 3, "normalize"));
	PG_RETURN_ARRAYTYPE_P(AdstockArray(PG_GETARG_ARRAYTYPE_P(0), &spec));
}

/* adstock_weibull(x, shape, scale, variant, max_lag, normalize, scale_type) */
Datum
adstock_weibull(PG_FUNCTION_ARGS)
{
	AdstockSpec spec;

	if (PG_ARGISNULL(0))
		mm_null_argument("x");
	AdstockWeibullSpec(&spec, Float8Arg(fcinfo, 1, "shape"), Float8Arg(fcinfo, 2, "scale"),
					   TextArg(fcinfo, 3, "variant"),
					   PG_ARGISNULL(4), PG_ARGISNULL(4) ? 0 : PG_GETARG_INT32(4),
					   BoolArg(fcinfo, 5, "normalize"), TextArg(fcinfo, 6, "scale_type"));
	PG_RETURN_ARRAYTYPE_P(AdstockArray(PG_GETARG_ARRAYTYPE_P(0), &spec));
}

/* adstock_delayed(x, alpha, peak, max_lag, normalize DEFAULT true); STRICT */
Datum
adstock_delayed(PG_FUNCTION_ARGS)
{
	AdstockSpec spec;

	AdstockDelayedSpec(&spec, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
					   PG_GETARG_INT32(3), PG_GETARG_BOOL(4));
	PG_RETURN_ARRAYTYPE_P(AdstockArray(PG_GETARG_ARRAYTYPE_P(0), &spec));
}

/* adstock_binomial(x, alpha, max_lag); STRICT */
Datum
adstock_binomial(PG_FUNCTION_ARGS)
{
	AdstockSpec spec;

	AdstockBinomialSpec(&spec, PG_GETARG_FLOAT8(1), PG_GETARG_INT32(2));
	PG_RETURN_ARRAYTYPE_P(AdstockArray(PG_GETARG_ARRAYTYPE_P(0), &spec));
}

/*
 * The conventions adstock_weights() knows, by their formulas.md names, with
 * the optional arguments each needs.  Argument numbers are those of the SQL
 * signature: kind, max_lag, theta, alpha, peak, shape, scale, normalize.
 */
#define ARG_THETA	(1 << 2)
#define ARG_ALPHA	(1 << 3)
#define ARG_PEAK	(1 << 4)
#define ARG_SHAPE	(1 << 5)
#define ARG_SCALE	(1 << 6)

typedef struct AdstockKindName
{
	const char *name;
	int			args;
} AdstockKindName;

static const AdstockKindName adstock_kinds[] = {
	{"geometric_recursive", ARG_THETA},
	{"geometric_windowed", ARG_THETA},
	{"weibull_cdf_relative", ARG_SHAPE | ARG_SCALE},
	{"weibull_pdf_relative", ARG_SHAPE | ARG_SCALE},
	{"weibull_cdf_absolute", ARG_SHAPE | ARG_SCALE},
	{"weibull_pdf_absolute", ARG_SHAPE | ARG_SCALE},
	{"delayed", ARG_ALPHA | ARG_PEAK},
	{"binomial", ARG_ALPHA},
};

static const char *const weight_arg_names[] = {
	"kind", "max_lag", "theta", "alpha", "peak", "shape", "scale", "normalize"
};

/*
 * adstock_weights(kind, max_lag, theta, alpha, peak, shape, scale, normalize)
 * RETURNS TABLE (lag int, weight float8): lags 0 .. max_lag.
 */
Datum
adstock_weights(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const AdstockKindName *k = NULL;
	char	   *kind;
	int			max_lag;
	bool		normalize;
	AdstockSpec spec;
	float8	   *w;
	int			L;

	kind = TextArg(fcinfo, 0, "kind");
	for (int i = 0; i < (int) lengthof(adstock_kinds); i++)
		if (strcmp(kind, adstock_kinds[i].name) == 0)
			k = &adstock_kinds[i];
	if (k == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown adstock kind \"%s\"", kind),
				 errhint("Use one of geometric_recursive, geometric_windowed, "
						 "weibull_cdf_relative, weibull_pdf_relative, weibull_cdf_absolute, "
						 "weibull_pdf_absolute, delayed, binomial.")));
	if (PG_ARGISNULL(1))
		mm_null_argument("max_lag");
	max_lag = PG_GETARG_INT32(1);

	/* each kind takes exactly its own parameters: a stray one is a mistake */
	for (int a = 2; a <= 6; a++)
	{
		bool		wanted = (k->args & (1 << a)) != 0;

		if (wanted && PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"%s\" must not be null", weight_arg_names[a]),
					 errdetail("Adstock kind \"%s\" needs it.", kind)));
		if (!wanted && !PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%s\" does not apply to adstock kind \"%s\"",
							weight_arg_names[a], kind)));
	}

	/* normalize NULL: the default of the matching transform function */
	if (PG_ARGISNULL(7))
		normalize = (strcmp(kind, "delayed") == 0);
	else
		normalize = PG_GETARG_BOOL(7);

	if (strncmp(kind, "geometric", 9) == 0)
		AdstockGeometricSpec(&spec, PG_GETARG_FLOAT8(2), false, max_lag, normalize);
	else if (strncmp(kind, "weibull", 7) == 0)
		AdstockWeibullSpec(&spec, PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6),
						   pnstrdup(kind + strlen("weibull_"), 3), false, max_lag,
						   normalize, kind + strlen("weibull_cdf_"));
	else if (strcmp(kind, "delayed") == 0)
		AdstockDelayedSpec(&spec, PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), max_lag, normalize);
	else
		AdstockBinomialSpec(&spec, PG_GETARG_FLOAT8(3), max_lag);

	L = max_lag + 1;
	w = palloc(sizeof(float8) * L);
	if (strcmp(kind, "geometric_recursive") == 0)
	{
		/* the first L weights theta^l of the unbounded window; theta < 1 */
		mm_check_range(PG_GETARG_FLOAT8(2), "theta", 0.0, true, 1.0, false);
		spec.normalize = false;
		AdstockFillWeights(&spec, L, w);
		if (normalize)
			for (int l = 0; l < L; l++)
				w[l] *= 1.0 - spec.p1;
	}
	else
		AdstockFillWeights(&spec, L, w);

	InitMaterializedSRF(fcinfo, 0);
	for (int l = 0; l < L; l++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Int32GetDatum(l);
		values[1] = Float8GetDatum(w[l]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
