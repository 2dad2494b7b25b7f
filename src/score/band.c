/*
 * band.c: SQL glue of the credible bands (src/math/posterior/band.c):
 * mixmodel._response_band and mixmodel._adstock_band, which response_curve
 * and adstock_curves call with a Bayesian run's draws.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "math/posterior/band.h"

PG_FUNCTION_INFO_V1(response_band);
PG_FUNCTION_INFO_V1(adstock_band);

/* the draws: a non-empty float8[] of 5 values per draw, finite */
static double *
draw_params(ArrayType *arr, int *D)
{
	int			n;
	double	   *p = mm_float8_array_values(arr, "params", 0, &n);

	if (n % MM_BAND_WIDTH != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("params must hold %d values per draw", MM_BAND_WIDTH),
				 errdetail("Got %d values.", n)));
	*D = n / MM_BAND_WIDTH;
	return p;
}

static void
base_spec(FunctionCallInfo fcinfo, MMChannelSpec *s, bool with_saturation)
{
	memset(s, 0, sizeof(*s));
	s->adstock = mm_adstock_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	s->max_lag = PG_GETARG_INT32(1);
	s->adstock_normalize = PG_GETARG_BOOL(2);
	if (s->max_lag < -1 || s->max_lag > 5000 || (s->max_lag < 0 && s->adstock != MM_ADSTOCK_GEOMETRIC))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_lag must be -1 (recursive geometric) or in the range [0, 5000]"),
				 errdetail("Got %d.", s->max_lag)));
	if (with_saturation)
		s->saturation = mm_saturation_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(3)), MM_SATURATION_KINDS);
	s->input_scale = 1.0;
}

/*
 * _response_band(adstock text, max_lag int, normalize bool, saturation text,
 *     input_scale float8, form text, params float8[], x float8[], start int,
 *     len int, point float8[], yhat float8[], level float8, spends float8[])
 *   RETURNS float8[]: R's lower and upper bounds at each spend, then R''s
 *   (4 x ns values).  point: the point model's 5 values (multiplicative).
 */
Datum
response_band(PG_FUNCTION_ARGS)
{
	MMChannelSpec base,
				point;
	double	   *params,
			   *x,
			   *spends,
			   *yhat = NULL,
			   *pp,
			   *lower,
			   *upper,
			   *out,
				level;
	int			D,
				nx,
				ns,
				ny = 0,
				np,
				start,
				len;
	bool		mult;

	for (int i = 0; i < 14; i++)
		if (PG_ARGISNULL(i) && i != 10 && i != 11)
			mm_null_argument("every argument but point and yhat");
	base_spec(fcinfo, &base, true);
	base.input_scale = PG_GETARG_FLOAT8(4);
	mm_check_range(base.input_scale, "input_scale", 0.0, false, INFINITY, false);
	mult = strcmp(text_to_cstring(PG_GETARG_TEXT_PP(5)), "multiplicative") == 0;
	params = draw_params(PG_GETARG_ARRAYTYPE_P(6), &D);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(7), "x", MM_ARR_NONNEG, &nx);
	start = PG_GETARG_INT32(8);
	len = PG_GETARG_INT32(9);
	if (start < 0 || len < 1 || start > nx - len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window must lie inside the input series"),
				 errdetail("start %d, length %d, series of %d periods.", start, len, nx)));
	if (mult)
	{
		if (PG_ARGISNULL(10) || PG_ARGISNULL(11))
			mm_null_argument("point and yhat");
		pp = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(10), "point", 0, &np);
		if (np != MM_BAND_WIDTH)
			ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
							errmsg("point must hold %d values", MM_BAND_WIDTH)));
		point = base;
		point.adstock_p1 = pp[0];
		point.adstock_p2 = pp[1];
		point.sat_p1 = pp[2];
		point.sat_p2 = pp[3];
		point.coef = pp[4];
		yhat = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(11), "yhat", MM_ARR_NONNEG, &ny);
	}
	level = PG_GETARG_FLOAT8(12);
	mm_check_range(level, "level", 0.0, false, 1.0, false);
	spends = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(13), "spends", MM_ARR_NONNEG | MM_ARR_ALLOW_EMPTY, &ns);
	lower = palloc(sizeof(double) * (2 * ns + 1));
	upper = palloc(sizeof(double) * (2 * ns + 1));
	mixmodel_check_core(mm_response_band(mult ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE, &base, params, D,
										 x, nx, start, len, mult ? &point : NULL, yhat, ny, spends, ns, level,
										 lower, upper, mixmodel_interrupt_check,
										 palloc(sizeof(double) * mm_response_band_work(D, ns, nx, len))),
						"the response band");
	out = palloc(sizeof(double) * (4 * ns + 1));
	memcpy(out, lower, sizeof(double) * ns);
	memcpy(out + ns, upper, sizeof(double) * ns);
	memcpy(out + 2 * ns, lower + ns, sizeof(double) * ns);
	memcpy(out + 3 * ns, upper + ns, sizeof(double) * ns);
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, 4 * ns));
}

/*
 * _adstock_band(adstock text, max_lag int, normalize bool, params float8[],
 *     lags int, level float8) RETURNS float8[]: lower then upper weight at
 *   lags 0..lags (2 (lags + 1) values).
 */
Datum
adstock_band(PG_FUNCTION_ARGS)
{
	MMChannelSpec base;
	double	   *params,
			   *lower,
			   *upper,
			   *out,
				level;
	int			D,
				lags;

	for (int i = 0; i < 6; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument("every argument");
	base_spec(fcinfo, &base, false);
	params = draw_params(PG_GETARG_ARRAYTYPE_P(3), &D);
	lags = PG_GETARG_INT32(4);
	if (lags < 0 || lags > 5000)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("lags must be in the range [0, 5000]"), errdetail("Got %d.", lags)));
	level = PG_GETARG_FLOAT8(5);
	mm_check_range(level, "level", 0.0, false, 1.0, false);
	lower = palloc(sizeof(double) * (lags + 1));
	upper = palloc(sizeof(double) * (lags + 1));
	mixmodel_check_core(mm_adstock_band(&base, params, D, lags, level, lower, upper,
										palloc(sizeof(double) * mm_adstock_band_work(&base, D, lags))),
						"the adstock band");
	out = palloc(sizeof(double) * 2 * (lags + 1));
	memcpy(out, lower, sizeof(double) * (lags + 1));
	memcpy(out + lags + 1, upper, sizeof(double) * (lags + 1));
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, 2 * (lags + 1)));
}
