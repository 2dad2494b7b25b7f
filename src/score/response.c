/*
 * response.c: SQL glue of the response-curve core (src/math/response.c).
 *
 * mixmodel._response_core evaluates one fitted channel's response curve
 * (formulas.md §4.2 window_pattern) on a grid of window spends, with the
 * analytic marginal, and its break-even point, peak and point of diminishing
 * returns.  The SQL wrappers (src/score/score.sql) read the channel spec and
 * the data of a model's run and call it.
 */
#include "postgres.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "math/decompose.h"
#include "math/response.h"
#include "transform/adstock_spec.h"

PG_FUNCTION_INFO_V1(response_core);

/* GSL solvers live as long as the memory context they were made in. */
static void
root_free(void *arg)
{
	gsl_root_fsolver_free((gsl_root_fsolver *) arg);
}

static void
min_free(void *arg)
{
	gsl_min_fminimizer_free((gsl_min_fminimizer *) arg);
}

static void
on_reset(void (*fn) (void *), void *arg)
{
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));

	cb->func = fn;
	cb->arg = arg;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
}

/*
 * _response_core(form text, adstock text, adstock_p1, adstock_p2, max_lag int,
 *     adstock_normalize bool, saturation text, sat_p1, sat_p2, input_scale,
 *     coef, x float8[], start int, len int, other float8[], value float8,
 *     spends float8[]) RETURNS float8[]
 *
 * x: the channel's input from the first period of the data (at least
 * through the window's end); the window is x[start .. start+len-1] (0-based)
 * and its pattern is x over the window divided by its sum (flat when the sum
 * is 0).  yhat: multiplicative only, the model's prediction from the
 * window's first period on (at least 1 value; the last one stands for the
 * periods after it); the curve's other_t is yhat_t / exp(g_t), g_t the
 * channel's term at its actual adstock.  Result: R(spends[i]) for every i, then R'(spends[i]),
 * then break-even, peak and point of diminishing returns (NaN when none).
 */
Datum
response_core(PG_FUNCTION_ARGS)
{
	MMChannelSpec spec;
	MMResponseCurve rc;
	MMResponsePoints pts;
	bool		mult;
	float8	   *x,
			   *other = NULL,
			   *spends,
			   *pattern,
			   *carry,
			   *unit,
			   *work,
			   *oth = NULL,
			   *out;
	int			nx,
				nother = 0,
				ns,
				start,
				len,
				tail,
				m;
	double		total = 0.0,
				s_ref;
	gsl_root_fsolver *root;
	gsl_min_fminimizer *min;

	for (int i = 0; i < 17; i++)
		if (PG_ARGISNULL(i) && i != 14)
		{
			static const char *const names[] = {"form", "adstock", "adstock_p1", "adstock_p2",
				"max_lag", "adstock_normalize", "saturation", "sat_p1", "sat_p2", "input_scale",
				"coef", "x", "start", "len", "yhat", "value", "spends"};

			mm_null_argument(names[i]);
		}

	mult = strcmp(text_to_cstring(PG_GETARG_TEXT_PP(0)), "multiplicative") == 0;
	spec.adstock = mm_adstock_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	spec.adstock_p1 = PG_GETARG_FLOAT8(2);
	spec.adstock_p2 = PG_GETARG_FLOAT8(3);
	spec.max_lag = PG_GETARG_INT32(4);
	spec.adstock_normalize = PG_GETARG_BOOL(5);
	spec.saturation = mm_saturation_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(6)), MM_SATURATION_KINDS);
	spec.sat_p1 = PG_GETARG_FLOAT8(7);
	spec.sat_p2 = PG_GETARG_FLOAT8(8);
	spec.input_scale = PG_GETARG_FLOAT8(9);
	spec.coef = PG_GETARG_FLOAT8(10);
	mm_check_range(spec.input_scale, "input_scale", 0.0, false, INFINITY, false);
	mm_check_finite(spec.coef, "coef");
	AdstockCheckMaxLag(spec.max_lag, true);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(11), "x", MM_ARR_NONNEG, &nx);
	start = PG_GETARG_INT32(12);
	len = PG_GETARG_INT32(13);
	if (start < 0 || len < 1 || len > nx - start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window must lie inside the input series"),
				 errdetail("start %d, length %d, series of %d periods.", start, len, nx)));
	if (mult)
	{
		if (PG_ARGISNULL(14))
			mm_null_argument("yhat");
		other = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(14), "yhat", MM_ARR_NONNEG, &nother);
	}
	rc.value = PG_GETARG_FLOAT8(15);
	mm_check_range(rc.value, "value", 0.0, false, INFINITY, false);
	spends = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(16), "spends",
									MM_ARR_NONNEG | MM_ARR_ALLOW_EMPTY, &ns);

	tail = mm_response_tail(&spec);
	m = len + tail;
	pattern = palloc(sizeof(double) * len);
	for (int t = 0; t < len; t++)
		total += x[start + t];
	for (int t = 0; t < len; t++)
		pattern[t] = total > 0.0 ? x[start + t] / total : 1.0 / len;
	carry = palloc(sizeof(double) * m);
	unit = palloc(sizeof(double) * m);
	work = palloc(sizeof(double) * mm_response_prepare_work(&spec, start + m));
	mixmodel_check_core(mm_response_prepare(&spec, x, start, pattern, len, tail,
											carry, unit, work, mixmodel_interrupt_check),
						"the response curve");
	if (mult)
	{
		/* the channel's actual adstock over the data, then other_t = yhat_t / exp(g_t) */
		int			na = Max(nx, start + m);
		double	   *xa = palloc0(sizeof(double) * na);
		double	   *a = palloc(sizeof(double) * na);
		double	   *w = palloc(sizeof(double) * mm_response_prepare_work(&spec, na));

		memcpy(xa, x, sizeof(double) * nx);
		mixmodel_check_core(mm_response_adstock(&spec, xa, na, a, NULL, w, mixmodel_interrupt_check),
							"the channel's adstock");
		oth = palloc(sizeof(double) * m);
		for (int t = 0; t < m; t++)
		{
			int			j = t < nother ? t : nother - 1;
			int			ta = start + (t < nx - start ? t : nx - start - 1);
			double		g = spec.coef * mm_saturation(spec.saturation, spec.sat_p1, spec.sat_p2,
													  a[ta] / spec.input_scale);

			oth[t] = other[j] / exp(g);
		}
	}

	rc.form = mult ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE;
	rc.m = m;
	rc.ch.saturation = spec.saturation;
	rc.ch.sat_p1 = spec.sat_p1;
	rc.ch.sat_p2 = spec.sat_p2;
	rc.ch.coef = spec.coef;
	rc.ch.carry = carry;
	rc.ch.unit = unit;
	rc.other = oth;
	rc.interrupt = mixmodel_interrupt_check;

	if ((Size) ns > (MaxAllocSize / sizeof(double) - 3) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many spends"),
				 errdetail("Got %d; the limit is %zu.", ns, (MaxAllocSize / sizeof(double) - 3) / 2)));
	out = palloc(sizeof(double) * (2 * (size_t) ns + 3));
	for (int i = 0; i < ns; i++)
	{
		CHECK_FOR_INTERRUPTS();
		out[i] = mm_response(&rc, spends[i], &out[ns + i]);
		if (!isfinite(out[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("response out of range"),
					 errdetail("At spend %g.", spends[i])));
	}

	root = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (root == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	on_reset(root_free, root);
	min = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
	if (min == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	on_reset(min_free, min);
	s_ref = total;
	mixmodel_check_core(mm_response_points(&rc, s_ref, root, min, &pts),
						"the response curve points");
	out[2 * ns] = pts.breakeven;
	out[2 * ns + 1] = pts.peak;
	out[2 * ns + 2] = pts.pdr;

	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, 2 * ns + 3));
}

PG_FUNCTION_INFO_V1(adstock_impulse);

/*
 * _adstock_impulse(adstock text, p1, p2, max_lag int, normalize bool,
 *     lags int) RETURNS float8[]: the adstock of one unit spent at lag 0,
 * at lags 0..lags (the weight per lag the adstock curve plots).
 */
Datum
adstock_impulse(PG_FUNCTION_ARGS)
{
	MMChannelSpec spec = {0};
	int			n;
	double	   *x,
			   *a,
			   *work;

	spec.adstock = mm_adstock_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	spec.adstock_p1 = PG_GETARG_FLOAT8(1);
	spec.adstock_p2 = PG_GETARG_FLOAT8(2);
	spec.max_lag = PG_GETARG_INT32(3);
	spec.adstock_normalize = PG_GETARG_BOOL(4);
	spec.input_scale = 1.0;
	n = PG_GETARG_INT32(5);
	if (n < 0 || n > 5000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lags must be in the range [0, 5000]"),
				 errdetail("Got %d.", n)));
	AdstockCheckMaxLag(spec.max_lag, true);
	n++;
	x = palloc0(sizeof(double) * n);
	a = palloc(sizeof(double) * n);
	work = palloc(sizeof(double) * mm_response_prepare_work(&spec, n));
	x[0] = 1.0;
	mixmodel_check_core(mm_response_adstock(&spec, x, n, a, NULL, work, mixmodel_interrupt_check),
						"the adstock weights");
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(a, n));
}

PG_FUNCTION_INFO_V1(channel_term);

/*
 * _channel_term(adstock text, p1, p2, max_lag int, normalize bool,
 *     saturation text, sat_p1, sat_p2, input_scale, coef, x float8[])
 *     RETURNS float8[]: coef * s(adstock(x)_t / input_scale) for every t, the
 * channel's term of the linear predictor (src/math/mmm.h).
 */
Datum
channel_term(PG_FUNCTION_ARGS)
{
	MMChannelSpec spec;
	float8	   *x,
			   *a,
			   *work;
	int			n;

	spec.adstock = mm_adstock_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	spec.adstock_p1 = PG_GETARG_FLOAT8(1);
	spec.adstock_p2 = PG_GETARG_FLOAT8(2);
	spec.max_lag = PG_GETARG_INT32(3);
	spec.adstock_normalize = PG_GETARG_BOOL(4);
	spec.saturation = mm_saturation_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(5)), MM_SATURATION_KINDS);
	spec.sat_p1 = PG_GETARG_FLOAT8(6);
	spec.sat_p2 = PG_GETARG_FLOAT8(7);
	spec.input_scale = PG_GETARG_FLOAT8(8);
	spec.coef = PG_GETARG_FLOAT8(9);
	mm_check_range(spec.input_scale, "input_scale", 0.0, false, INFINITY, false);
	mm_check_finite(spec.coef, "coef");
	AdstockCheckMaxLag(spec.max_lag, true);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(10), "x", MM_ARR_NONNEG, &n);
	a = palloc(sizeof(double) * n);
	work = palloc(sizeof(double) * mm_response_prepare_work(&spec, n));
	mixmodel_check_core(mm_response_adstock(&spec, x, n, a, NULL, work, mixmodel_interrupt_check),
						"the channel's adstock");
	for (int t = 0; t < n; t++)
	{
		a[t] = spec.coef * mm_saturation(spec.saturation, spec.sat_p1, spec.sat_p2,
										 a[t] / spec.input_scale);
		if (!isfinite(a[t]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("channel term out of range"),
					 errdetail("At period %d.", t + 1)));
	}
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(a, n));
}

PG_FUNCTION_INFO_V1(decompose_log_share);

/*
 * _decompose_log_share(b float8, g float8[]) RETURNS float8[]: the parts of
 * y = b exp(sum g) by the log_share rule (formulas §2.2), summing to y - b.
 */
Datum
decompose_log_share(PG_FUNCTION_ARGS)
{
	double		b = PG_GETARG_FLOAT8(0);
	float8	   *g,
			   *parts;
	double		top;
	int			n;

	g = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(1), "g", MM_ARR_ALLOW_EMPTY, &n);
	mm_check_range(b, "b", 0.0, false, INFINITY, false);
	parts = palloc(sizeof(double) * (n > 0 ? n : 1));
	mixmodel_check_core(mm_decompose_multiplicative(MM_DECOMP_LOG_SHARE, b, g, n, parts, &top, NULL),
						"the decomposition");
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(parts, n));
}

PG_FUNCTION_INFO_V1(immediate_share);

/*
 * _immediate_share(adstock text, p1, p2, max_lag int, normalize bool,
 *     saturation text, sat_p1, sat_p2, input_scale, x float8[], start int,
 *     len int) RETURNS float8: the immediate share of the channel's effect
 * over x[start .. start+len-1] by the robyn rule (formulas §4.6):
 * sum_t share_t s(a_t) / sum_t s(a_t), adstock over the whole series;
 * NULL when the effect is 0.  The coefficient cancels.
 */
Datum
immediate_share(PG_FUNCTION_ARGS)
{
	MMChannelSpec spec;
	float8	   *x,
			   *a,
			   *share,
			   *work;
	double		w0,
				num = 0.0,
				den = 0.0;
	int			n,
				start,
				len;

	spec.adstock = mm_adstock_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	spec.adstock_p1 = PG_GETARG_FLOAT8(1);
	spec.adstock_p2 = PG_GETARG_FLOAT8(2);
	spec.max_lag = PG_GETARG_INT32(3);
	spec.adstock_normalize = PG_GETARG_BOOL(4);
	spec.saturation = mm_saturation_kind_arg(text_to_cstring(PG_GETARG_TEXT_PP(5)), MM_SATURATION_KINDS);
	spec.sat_p1 = PG_GETARG_FLOAT8(6);
	spec.sat_p2 = PG_GETARG_FLOAT8(7);
	spec.input_scale = PG_GETARG_FLOAT8(8);
	spec.coef = 1.0;
	mm_check_range(spec.input_scale, "input_scale", 0.0, false, INFINITY, false);
	AdstockCheckMaxLag(spec.max_lag, true);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(9), "x", MM_ARR_NONNEG, &n);
	start = PG_GETARG_INT32(10);
	len = PG_GETARG_INT32(11);
	if (start < 0 || len < 1 || len > n - start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window must lie inside the input series"),
				 errdetail("start %d, length %d, series of %d periods.", start, len, n)));
	a = palloc(sizeof(double) * n);
	share = palloc(sizeof(double) * n);
	work = palloc(sizeof(double) * mm_response_prepare_work(&spec, n));
	mixmodel_check_core(mm_response_adstock(&spec, x, n, a, &w0, work, mixmodel_interrupt_check),
						"the channel's adstock");
	mm_carryover_immediate_share(MM_CARRY_ROBYN, &spec, w0, x, a, n, share);
	for (int t = start; t < start + len; t++)
	{
		double		s = mm_saturation(spec.saturation, spec.sat_p1, spec.sat_p2,
									  a[t] / spec.input_scale);

		num += share[t] * s;
		den += s;
	}
	if (!(den > 0.0) || !isfinite(num / den))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(num / den);
}

PG_FUNCTION_INFO_V1(synergy_core);

/* Elements of a one-dimensional array argument of n_expected elements, no NULL. */
static Datum *
array_datums(ArrayType *arr, Oid type, int len, bool byval, char align,
			 const char *name, int n_expected)
{
	Datum	   *d;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional", name)));
	deconstruct_array(arr, type, len, byval, align, &d, &nulls, &n);
	if (n != n_expected)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %d elements, got %d.", n_expected, n)));
	for (int i = 0; i < n; i++)
		if (nulls[i])
			mm_null_argument(name);
	return d;
}

/*
 * The channels of a run as the multi-channel functions take them:
 * (form text, adstock text[], adstock_p1 float8[], adstock_p2 float8[],
 * max_lag int[], adstock_normalize bool[], saturation text[], sat_p1
 * float8[], sat_p2 float8[], input_scale float8[], coef float8[], x float8[],
 * start int, len int, yhat float8[]) as arguments 0..14.  x holds the C
 * series one after another (n each); the window is [start, start+len);
 * yhat is the prediction from the window's first period on, extended with
 * its last value to m = len + the longest adstock tail.
 */
typedef struct RunChannels
{
	bool		mult;
	int			C;
	int			n;
	int			start;
	int			len;
	int			m;
	MMChannelSpec *spec;
	float8	   *x;
	double	   *yhat;
} RunChannels;

static void
run_channels_args(FunctionCallInfo fcinfo, RunChannels *rc)
{
	int			C,
				nx,
				ny,
				n,
				n2,
				n3;
	Datum	   *ak,
			   *sk,
			   *ml,
			   *nm;
	float8	   *p1,
			   *p2,
			   *q1,
			   *q2,
			   *scale,
			   *coef,
			   *yh;

	for (int i = 0; i < 15; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(psprintf("argument %d", i + 1));
	rc->mult = strcmp(text_to_cstring(PG_GETARG_TEXT_PP(0)), "multiplicative") == 0;
	coef = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(10), "coef", 0, &C);
	if (C > 1000)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("at most 1000 channels")));
	ak = array_datums(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, 'i', "adstock", C);
	ml = array_datums(PG_GETARG_ARRAYTYPE_P(4), INT4OID, 4, true, 'i', "max_lag", C);
	nm = array_datums(PG_GETARG_ARRAYTYPE_P(5), BOOLOID, 1, true, 'c', "adstock_normalize", C);
	sk = array_datums(PG_GETARG_ARRAYTYPE_P(6), TEXTOID, -1, false, 'i', "saturation", C);
	p1 = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(2), "adstock_p1", 0, &n);
	p2 = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(3), "adstock_p2", 0, &n2);
	if (n != C || n2 != C)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("adstock parameter arrays must have one element per channel")));
	q1 = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(7), "sat_p1", 0, &n);
	q2 = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(8), "sat_p2", 0, &n2);
	scale = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(9), "input_scale", 0, &n3);
	if (n != C || n2 != C || n3 != C)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("saturation parameter arrays must have one element per channel")));
	rc->x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(11), "x", MM_ARR_NONNEG, &nx);
	rc->start = PG_GETARG_INT32(12);
	rc->len = PG_GETARG_INT32(13);
	yh = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(14), "yhat", 0, &ny);
	if (nx % C != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("array \"x\" must hold one series per channel")));
	rc->n = nx / C;
	if (rc->start < 0 || rc->len < 1 || rc->len > rc->n - rc->start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window must lie inside the input series"),
				 errdetail("start %d, length %d, series of %d periods.", rc->start, rc->len, rc->n)));

	rc->C = C;
	rc->m = 0;
	rc->spec = palloc(sizeof(MMChannelSpec) * C);
	for (int c = 0; c < C; c++)
	{
		MMChannelSpec *sp = &rc->spec[c];

		sp->adstock = mm_adstock_kind_arg(TextDatumGetCString(ak[c]));
		sp->adstock_p1 = p1[c];
		sp->adstock_p2 = p2[c];
		sp->max_lag = DatumGetInt32(ml[c]);
		sp->adstock_normalize = DatumGetBool(nm[c]);
		sp->saturation = mm_saturation_kind_arg(TextDatumGetCString(sk[c]), MM_SATURATION_KINDS);
		sp->sat_p1 = q1[c];
		sp->sat_p2 = q2[c];
		sp->input_scale = scale[c];
		sp->coef = coef[c];
		mm_check_range(scale[c], "input_scale", 0.0, false, INFINITY, false);
		mm_check_finite(coef[c], "coef");
		AdstockCheckMaxLag(sp->max_lag, true);
		rc->m = Max(rc->m, rc->len + mm_response_tail(sp));
	}
	rc->yhat = palloc(sizeof(double) * rc->m);
	for (int t = 0; t < rc->m; t++)
		rc->yhat[t] = yh[t < ny ? t : ny - 1];
}

/*
 * The lines of channel c over W+ (carry and unit, m values each, already
 * / input_scale) and the window's total input.
 */
static double
run_channel_lines(const RunChannels *rc, int c, double *carry, double *unit)
{
	const double *xc = rc->x + (size_t) c * rc->n;
	double	   *pattern = palloc(sizeof(double) * rc->len);
	double	   *work = palloc(sizeof(double) * mm_response_prepare_work(&rc->spec[c], rc->start + rc->m));
	double		total = 0.0;

	for (int t = 0; t < rc->len; t++)
		total += xc[rc->start + t];
	for (int t = 0; t < rc->len; t++)
		pattern[t] = total > 0.0 ? xc[rc->start + t] / total : 1.0 / rc->len;
	mixmodel_check_core(mm_response_prepare(&rc->spec[c], xc, rc->start, pattern, rc->len,
											rc->m - rc->len, carry, unit, work,
											mixmodel_interrupt_check),
						"the response lines");
	pfree(pattern);
	pfree(work);
	return total;
}

static void
run_channel_curve(const RunChannels *rc, int c, const double *carry, const double *unit,
				  MMResponseChannel *ch)
{
	ch->saturation = rc->spec[c].saturation;
	ch->sat_p1 = rc->spec[c].sat_p1;
	ch->sat_p2 = rc->spec[c].sat_p2;
	ch->coef = rc->spec[c].coef;
	ch->carry = carry;
	ch->unit = unit;
}

/*
 * _synergy_core(run channel arguments 0..14, see RunChannels)
 *     RETURNS float8[]
 *
 * Next-dollar synergy between the C channels over the window and the
 * periods its adstock reaches (formulas §4.7): one more currency unit of
 * each channel spread by its window pattern, at the window's actual
 * spend.  Result: the C x C matrix S, then the C x C scores 0..10 (NaN
 * diagonal).
 */
Datum
synergy_core(PG_FUNCTION_ARGS)
{
	RunChannels rc;
	double	   *lift,
			   *out;
	int			C,
				m;

	run_channels_args(fcinfo, &rc);
	C = rc.C;
	m = rc.m;
	lift = palloc(sizeof(double) * (size_t) C * m);
	for (int c = 0; c < C; c++)
	{
		double	   *carry = palloc(sizeof(double) * m);
		double	   *unit = palloc(sizeof(double) * m);
		double	   *actual = palloc(sizeof(double) * m);
		double		total = run_channel_lines(&rc, c, carry, unit);
		MMResponseChannel ch;

		for (int t = 0; t < m; t++)
			actual[t] = carry[t] + total * unit[t];
		run_channel_curve(&rc, c, carry, unit, &ch);
		mm_synergy_lift(&ch, actual, m, lift + (size_t) c * m);
		CHECK_FOR_INTERRUPTS();
	}
	out = palloc(sizeof(double) * 2 * (size_t) C * C);
	mm_synergy_matrix(rc.mult ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE, C, m, rc.yhat, lift,
					  out, out + (size_t) C * C, mixmodel_interrupt_check);
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, 2 * C * C));
}

PG_FUNCTION_INFO_V1(response_vector_core);

/*
 * _response_vector_core(run channel arguments 0..14, spends float8[])
 *     RETURNS float8[]
 *
 * The response to window spends s[0..C-1] of the C channels moved at once
 * (formulas §4.2 with every channel spread by its window pattern): the
 * incremental KPI against zero spend in the window, then its C partial
 * derivatives.  Multiplicative: base_t is the prediction with these
 * channels' factors removed, at their window adstock.
 */
Datum
response_vector_core(PG_FUNCTION_ARGS)
{
	RunChannels rc;
	MMResponseChannel *ch;
	float8	   *s,
			   *out,
			   *base = NULL;
	int			ns;

	run_channels_args(fcinfo, &rc);
	if (PG_ARGISNULL(15))
		mm_null_argument("spends");
	s = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(15), "spends", MM_ARR_NONNEG, &ns);
	if (ns != rc.C)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("spends must have one element per channel"),
				 errdetail("Expected %d elements, got %d.", rc.C, ns)));
	ch = palloc(sizeof(MMResponseChannel) * rc.C);
	if (rc.mult)
	{
		base = palloc(sizeof(double) * rc.m);
		memcpy(base, rc.yhat, sizeof(double) * rc.m);
	}
	for (int c = 0; c < rc.C; c++)
	{
		double	   *carry = palloc(sizeof(double) * rc.m);
		double	   *unit = palloc(sizeof(double) * rc.m);
		double		total = run_channel_lines(&rc, c, carry, unit);

		(void) total;
		run_channel_curve(&rc, c, carry, unit, &ch[c]);
		if (rc.mult)
		{
			/* remove the channel's factor at its actual adstock, as response_core does */
			const MMChannelSpec *sp = &rc.spec[c];
			int			na = Max(rc.n, rc.start + rc.m);
			double	   *xa = palloc0(sizeof(double) * na);
			double	   *a = palloc(sizeof(double) * na);
			double	   *w = palloc(sizeof(double) * mm_response_prepare_work(sp, na));

			memcpy(xa, rc.x + (size_t) c * rc.n, sizeof(double) * rc.n);
			mixmodel_check_core(mm_response_adstock(sp, xa, na, a, NULL, w, mixmodel_interrupt_check),
								"the channel's adstock");
			for (int t = 0; t < rc.m; t++)
			{
				int			ta = rc.start + (t < rc.n - rc.start ? t : rc.n - rc.start - 1);

				base[t] /= exp(sp->coef * mm_saturation(sp->saturation, sp->sat_p1, sp->sat_p2,
														a[ta] / sp->input_scale));
			}
		}
	}
	out = palloc(sizeof(double) * (rc.C + 1));
	out[0] = mm_response_vector(rc.mult ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE, ch, rc.C, rc.m,
								base, s, out + 1, mixmodel_interrupt_check);
	if (!isfinite(out[0]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("response out of range")));
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, rc.C + 1));
}
