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

#include "catalog/pg_type.h"
#include "common/args.h"
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

PG_FUNCTION_INFO_V1(plan_band);

/*
 * _plan_band(form text, adstock text[], max_lag int[], normalize bool[],
 *     saturation text[], input_scale float8[], params float8[], hist float8[],
 *     x float8[], base float8[], flight int[], carry bool[], flights int,
 *     level float8) RETURNS float8[]: mm_plan_band's week bands (4 C H) then
 *   flight bands (4 (C + 1) K).  params: 5 values per channel per draw.
 */
Datum
plan_band(PG_FUNCTION_ARGS)
{
	int			C,
				k,
				D,
				H,
				nhist,
				K,
				nflight;
	char	  **adstock,
			  **saturation;
	int		   *max_lag,
			   *flight;
	double	   *scale,
			   *params,
			   *hist,
			   *x,
			   *base = NULL,
			   *out,
				level;
	bool		mult,
			   *norm,
			   *carry;
	MMChannelSpec *spec;
	Datum	   *d;
	bool	   *nulls;

	for (int i = 0; i < 14; i++)
		if (PG_ARGISNULL(i) && i != 9)
			mm_null_argument("every argument but base");
	mult = strcmp(text_to_cstring(PG_GETARG_TEXT_PP(0)), "multiplicative") == 0;
	adstock = mm_text_array_arg(fcinfo, 1, "adstock", &C);
	if (C < 1 || C > 64)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("a plan band takes 1 to 64 channels")));
	max_lag = mm_int_array_arg(fcinfo, 2, "max_lag", &k);
	mm_check_length(k, C, "max_lag");
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(3), BOOLOID, 1, true, TYPALIGN_CHAR, &d, &nulls, &k);
	mm_check_length(k, C, "normalize");
	norm = palloc(sizeof(bool) * C);
	for (int c = 0; c < C; c++)
	{
		if (nulls[c])
			mm_null_argument("normalize");
		norm[c] = DatumGetBool(d[c]);
	}
	saturation = mm_text_array_arg(fcinfo, 4, "saturation", &k);
	mm_check_length(k, C, "saturation");
	scale = mm_float8_array_arg(fcinfo, 5, "input_scale", 0, &k);
	mm_check_length(k, C, "input_scale");
	params = mm_float8_array_arg(fcinfo, 6, "params", 0, &k);
	if (k < MM_BAND_WIDTH * C || k % (MM_BAND_WIDTH * C) != 0)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
						errmsg("params must hold %d values per channel and draw", MM_BAND_WIDTH),
						errdetail("Got %d values for %d channels.", k, C)));
	D = k / (MM_BAND_WIDTH * C);
	hist = mm_float8_array_arg(fcinfo, 7, "hist", MM_ARR_NONNEG, &k);
	if (k % C != 0)
		mm_check_length(k, C * (k / C + 1), "hist");
	nhist = k / C;
	x = mm_float8_array_arg(fcinfo, 8, "x", MM_ARR_NONNEG, &k);
	if (k < C || k % C != 0)
		mm_check_length(k, C * (k / C + 1), "x");
	H = k / C;
	if (mult)
	{
		if (PG_ARGISNULL(9))
			mm_null_argument("base");
		base = mm_float8_array_arg(fcinfo, 9, "base", MM_ARR_NONNEG, &k);
		mm_check_length(k, H, "base");
	}
	flight = mm_int_array_arg(fcinfo, 10, "flight", &nflight);
	mm_check_length(nflight, H, "flight");
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(11), BOOLOID, 1, true, TYPALIGN_CHAR, &d, &nulls, &k);
	mm_check_length(k, H, "carry");
	carry = palloc(sizeof(bool) * H);
	for (int t = 0; t < H; t++)
	{
		if (nulls[t])
			mm_null_argument("carry");
		carry[t] = DatumGetBool(d[t]);
	}
	K = PG_GETARG_INT32(12);
	if (K < 1 || K > H)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("flights must be in the range [1, %d]", H)));
	level = PG_GETARG_FLOAT8(13);
	mm_check_range(level, "level", 0.0, false, 1.0, false);
	spec = palloc0(sizeof(MMChannelSpec) * C);
	for (int c = 0; c < C; c++)
	{
		spec[c].adstock = mm_adstock_kind_arg(adstock[c]);
		spec[c].max_lag = max_lag[c];
		spec[c].adstock_normalize = norm[c];
		spec[c].saturation = mm_saturation_kind_arg(saturation[c], MM_SATURATION_KINDS);
		spec[c].input_scale = scale[c];
		mm_check_range(scale[c], "input_scale", 0.0, false, INFINITY, false);
		if (max_lag[c] < -1 || max_lag[c] > 5000 || (max_lag[c] < 0 && spec[c].adstock != MM_ADSTOCK_GEOMETRIC))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("max_lag must be -1 (recursive geometric) or in the range [0, 5000]")));
	}
	out = palloc(sizeof(double) * (4 * (size_t) C * H + 4 * (size_t) (C + 1) * K));
	mixmodel_check_core(mm_plan_band(mult ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE, spec, params, D, C,
									 hist, nhist, x, H, base, flight, carry, K, level,
									 out, out + 4 * (size_t) C * H, mixmodel_interrupt_check,
									 palloc(sizeof(double) * mm_plan_band_work(spec, D, C, nhist, H, K))),
						"the plan's forecast band");
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, 4 * C * H + 4 * (C + 1) * K));
}
