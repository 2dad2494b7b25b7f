/*
 * adstock_spec.c: argument checks of the adstock SQL functions and the lag
 * weights they imply (formulas.md §1.1).  The array and the window functions
 * share it, so one set of arguments means one convention everywhere.
 */
#include "postgres.h"

#include <math.h>

#include "common/arrays.h"
#include "common/errors.h"
#include "transform/adstock_spec.h"

/*
 * max_lag in 0 .. MM_ADSTOCK_MAX_LAG, or -1 (the recursive geometric form of
 * a stored channel spec) when recursive_ok.
 */
void
AdstockCheckMaxLag(int max_lag, bool recursive_ok)
{
	if (max_lag < (recursive_ok ? -1 : 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 recursive_ok ? errmsg("max_lag must be -1 (recursive) or at least 0")
				 : errmsg("max_lag must not be negative"),
				 errdetail("Got %d.", max_lag)));
	if (max_lag > MM_ADSTOCK_MAX_LAG)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("max_lag is too large"),
				 errdetail("Got %d; the limit is %d.", max_lag, MM_ADSTOCK_MAX_LAG),
				 errhint("Carry-over beyond a few dozen periods is rarely identifiable; "
						 "for a window over the whole series pass max_lag => NULL "
						 "(adstock_geometric, adstock_weibull).")));
}

void
AdstockGeometricSpec(AdstockSpec *spec, double theta, bool max_lag_null,
					 int max_lag, bool normalize)
{
	memset(spec, 0, sizeof(*spec));
	spec->kind = MM_ADSTOCK_GEOMETRIC;
	spec->normalize = normalize;
	spec->p1 = theta;
	if (max_lag_null)
	{
		/* Robyn: theta in [0, 1), or the recursion does not decay */
		mm_check_range(theta, "theta", 0.0, true, 1.0, false);
		spec->recursive = true;
		spec->max_lag = -1;
	}
	else
	{
		/* a finite window may be flat (theta = 1), as Meridian and PyMC allow */
		mm_check_range(theta, "theta", 0.0, true, 1.0, true);
		AdstockCheckMaxLag(max_lag, false);
		spec->max_lag = max_lag;
	}
}

void
AdstockWeibullSpec(AdstockSpec *spec, double shape, double scale,
				   const char *variant, bool max_lag_null, int max_lag,
				   bool normalize, const char *scale_type)
{
	memset(spec, 0, sizeof(*spec));
	if (pg_strcasecmp(variant, "cdf") == 0)
		spec->kind = MM_ADSTOCK_WEIBULL_CDF;
	else if (pg_strcasecmp(variant, "pdf") == 0)
		spec->kind = MM_ADSTOCK_WEIBULL_PDF;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown Weibull adstock variant \"%s\"", variant),
				 errhint("Use 'cdf' (peak at lag 0) or 'pdf' (peak may be lagged).")));

	if (pg_strcasecmp(scale_type, "relative") == 0)
		spec->relative = true;
	else if (pg_strcasecmp(scale_type, "absolute") == 0)
		spec->relative = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown Weibull scale type \"%s\"", scale_type),
				 errhint("Use 'relative' (Robyn: scale is a quantile of the window, in [0, 1]) "
						 "or 'absolute' (PyMC: scale is lambda in periods).")));

	mm_check_range(shape, "shape", 0.0, true, INFINITY, false);
	if (spec->relative)
		mm_check_range(scale, "scale", 0.0, true, 1.0, true);
	else
		mm_check_range(scale, "scale", 0.0, true, INFINITY, false);

	if (max_lag_null)
		spec->max_lag = -1;
	else
	{
		AdstockCheckMaxLag(max_lag, false);
		spec->max_lag = max_lag;
	}
	spec->p1 = shape;
	spec->p2 = scale;
	spec->normalize = normalize;
}

void
AdstockDelayedSpec(AdstockSpec *spec, double alpha, double peak,
				   int max_lag, bool normalize)
{
	memset(spec, 0, sizeof(*spec));
	AdstockCheckMaxLag(max_lag, false);
	mm_check_range(alpha, "alpha", 0.0, false, 1.0, true);
	mm_check_range(peak, "peak", 0.0, true, (double) max_lag, true);
	spec->kind = MM_ADSTOCK_DELAYED;
	spec->p1 = alpha;
	spec->p2 = peak;
	spec->max_lag = max_lag;
	spec->normalize = normalize;
}

void
AdstockBinomialSpec(AdstockSpec *spec, double alpha, int max_lag)
{
	memset(spec, 0, sizeof(*spec));
	AdstockCheckMaxLag(max_lag, false);
	mm_check_range(alpha, "alpha", 0.0, true, 1.0, true);
	spec->kind = MM_ADSTOCK_BINOMIAL;
	spec->p1 = alpha;
	spec->max_lag = max_lag;
	spec->normalize = true;		/* Meridian always normalises */
}

int
AdstockWindowLength(const AdstockSpec *spec, int n)
{
	Assert(!spec->recursive);
	return spec->max_lag >= 0 ? spec->max_lag + 1 : n;
}

void
AdstockFillWeights(const AdstockSpec *spec, int L, double *w)
{
	double		p2 = spec->p2;

	Assert(!spec->recursive);
	/* Robyn's relative scale becomes lambda over this window (its windlen) */
	if (spec->relative)
		mixmodel_check_core(mm_weibull_relative_lambda(spec->p2, L, &p2),
							"relative Weibull scale");
	mixmodel_check_core(mm_adstock_weights(spec->kind, spec->p1, p2, L,
										   spec->normalize, w),
						"adstock weights");
}

bool
AdstockSpecEqual(const AdstockSpec *a, const AdstockSpec *b)
{
	return a->recursive == b->recursive && a->kind == b->kind &&
		a->p1 == b->p1 && a->p2 == b->p2 && a->relative == b->relative &&
		a->max_lag == b->max_lag && a->normalize == b->normalize;
}
