/*
 * saturation.c: saturation curves from SQL (value, derivative, inverse),
 * scalar and float8[] forms, and Robyn's relative Hill.
 *
 * Curves and conventions: formulas.md §1.2 and doc/saturation.md; the math
 * lives in src/math/saturation.c.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common/arrays.h"
#include "math/saturation.h"

/* One curve family: its SQL name, parameter names and ranges (all open at 0). */
typedef struct SaturationFamily
{
	const char *name;
	MMSaturationKind kind;
	int			nparams;
	const char *p1name;
	double		p1hi;			/* upper bound of p1 */
	bool		p1hi_closed;
	const char *p2name;
} SaturationFamily;

static const SaturationFamily families[] = {
	{"hill", MM_SAT_HILL, 2, "alpha", INFINITY, false, "k"},
	{"logistic", MM_SAT_LOGISTIC, 1, "lam", INFINITY, false, NULL},
	{"michaelis_menten", MM_SAT_MICHAELIS_MENTEN, 2, "vmax", INFINITY, false, "km"},
	{"power", MM_SAT_POWER, 1, "theta", 1.0, true, NULL},
	{"tanh", MM_SAT_TANH, 2, "b", INFINITY, false, "c"},
};

#define FAMILY_HILL		(&families[0])
#define FAMILY_LOGISTIC	(&families[1])
#define FAMILY_MM		(&families[2])
#define FAMILY_POWER	(&families[3])
#define FAMILY_TANH		(&families[4])

/* The family named kind (case-insensitive), or 22023 listing the names. */
static const SaturationFamily *
LookupFamily(text *kind)
{
	char	   *name = text_to_cstring(kind);

	for (int i = 0; i < (int) lengthof(families); i++)
		if (pg_strcasecmp(name, families[i].name) == 0)
			return &families[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown saturation kind \"%s\"", name),
			 errhint("Valid kinds are hill, logistic, michaelis_menten, power and tanh.")));
	return NULL;				/* keep the compiler quiet */
}

/* Check the parameters of a family; nparams is how many the caller passed. */
static void
CheckParams(const SaturationFamily *f, int nparams, double p1, double p2)
{
	if (nparams != f->nparams)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("saturation kind \"%s\" takes %d parameter%s", f->name,
						f->nparams, f->nparams == 1 ? "" : "s"),
				 errdetail("Got %d.", nparams),
				 f->nparams == 1 ? errhint("Pass only %s.", f->p1name) :
				 errhint("Pass %s and %s.", f->p1name, f->p2name)));
	mm_check_range(p1, f->p1name, 0.0, false, f->p1hi, f->p1hi_closed);
	if (f->nparams == 2)
		mm_check_range(p2, f->p2name, 0.0, false, INFINITY, false);
}

/* A spend or exposure: finite and >= 0 (22023). */
static void
CheckInput(double x)
{
	mm_check_finite(x, "x");
	if (x < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must not be negative"),
				 errdetail("Got %g.", x)));
}

/* 22003 unless v is finite; "what" names the quantity. */
static double
CheckResult(double v, const char *what, const SaturationFamily *f)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s of the \"%s\" curve is out of range", what, f->name)));
	return v;
}

static double
Value(const SaturationFamily *f, double p1, double p2, double x)
{
	CheckInput(x);
	return CheckResult(mm_saturation(f->kind, p1, p2, x), "value", f);
}

/* s'(x); +Infinity is the exact answer at x = 0 for Hill alpha < 1 and power theta < 1 */
static double
Deriv(const SaturationFamily *f, double p1, double p2, double x)
{
	double		d;

	CheckInput(x);
	d = mm_saturation_deriv(f->kind, p1, p2, x);
	if (x == 0.0 && d == INFINITY)
		return d;
	return CheckResult(d, "derivative", f);
}

/* a(u); u outside [0, sup s) is 22023 naming the curve's range */
static double
Inverse(const SaturationFamily *f, double p1, double p2, double u)
{
	double		a;

	mm_check_finite(u, "u");
	if (u < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("u must not be negative"),
				 errdetail("Got %g.", u)));
	a = mm_saturation_inverse(f->kind, p1, p2, u);
	if (isnan(a))
	{
		double		sup = (f->kind == MM_SAT_MICHAELIS_MENTEN || f->kind == MM_SAT_TANH) ? p1 :
			(f->kind == MM_SAT_POWER ? INFINITY : 1.0);

		if (isinf(sup))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("u is outside the range of the \"%s\" curve", f->name),
					 errdetail("Got %g; the curve takes values in [0, Infinity).", u)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("u is outside the range of the \"%s\" curve", f->name),
				 errdetail("Got %g; the curve takes values in [0, %g).", u, sup),
				 errhint("The curve approaches %g only as spend grows without bound.", sup)));
	}
	return CheckResult(a, "inverse", f);
}

/* Apply the curve to every element of a non-negative float8[]. */
static ArrayType *
ValueArray(const SaturationFamily *f, double p1, double p2, ArrayType *arr)
{
	int			n;
	float8	   *x = mm_float8_array_values(arr, "x", MM_ARR_NONNEG, &n);
	float8	   *out = palloc(sizeof(float8) * n);

	for (int i = 0; i < n; i++)
		out[i] = CheckResult(mm_saturation(f->kind, p1, p2, x[i]), "value", f);
	return mm_float8_array_build(out, n);
}

/* The named curves, scalar and array forms; all STRICT. */
#define NAMED_CURVE(sqlname, fam, np) \
PG_FUNCTION_INFO_V1(sqlname); \
Datum \
sqlname(PG_FUNCTION_ARGS) \
{ \
	double		p1 = PG_GETARG_FLOAT8(1); \
	double		p2 = (np) == 2 ? PG_GETARG_FLOAT8(2) : 0.0; \
	CheckParams(fam, np, p1, p2); \
	PG_RETURN_FLOAT8(Value(fam, p1, p2, PG_GETARG_FLOAT8(0))); \
} \
NAMED_CURVE_ARRAY(sqlname, fam, np)

#define NAMED_CURVE_ARRAY(sqlname, fam, np) \
PG_FUNCTION_INFO_V1(sqlname##_array); \
Datum \
sqlname##_array(PG_FUNCTION_ARGS) \
{ \
	double		p1 = PG_GETARG_FLOAT8(1); \
	double		p2 = (np) == 2 ? PG_GETARG_FLOAT8(2) : 0.0; \
	CheckParams(fam, np, p1, p2); \
	PG_RETURN_ARRAYTYPE_P(ValueArray(fam, p1, p2, PG_GETARG_ARRAYTYPE_P(0))); \
}

NAMED_CURVE_ARRAY(hill, FAMILY_HILL, 2)

/*
 * hill(x, alpha, k): with constant alpha and k (a column of x, as in a query
 * over a table) the parameters are checked and ln k taken once per query.
 */
typedef struct HillCache
{
	double		alpha;
	double		log_k;
} HillCache;

PG_FUNCTION_INFO_V1(hill);
Datum
hill(PG_FUNCTION_ARGS)
{
	HillCache  *hc = fcinfo->flinfo->fn_extra;
	double		x = PG_GETARG_FLOAT8(0);

	if (hc == NULL)
	{
		double		alpha = PG_GETARG_FLOAT8(1),
					k = PG_GETARG_FLOAT8(2);

		CheckParams(FAMILY_HILL, 2, alpha, k);
		if (!get_fn_expr_arg_stable(fcinfo->flinfo, 1) || !get_fn_expr_arg_stable(fcinfo->flinfo, 2))
			PG_RETURN_FLOAT8(Value(FAMILY_HILL, alpha, k, x));
		hc = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(HillCache));
		hc->alpha = alpha;
		hc->log_k = log(k);
		fcinfo->flinfo->fn_extra = hc;
	}
	CheckInput(x);
	PG_RETURN_FLOAT8(CheckResult(mm_hill_log_k(hc->alpha, hc->log_k, x), "value", FAMILY_HILL));
}
NAMED_CURVE(logistic_saturation, FAMILY_LOGISTIC, 1)
NAMED_CURVE(michaelis_menten, FAMILY_MM, 2)
NAMED_CURVE(power_saturation, FAMILY_POWER, 1)
NAMED_CURVE(tanh_saturation, FAMILY_TANH, 2)

/* Robyn's relative Hill parameters: alpha in (0, 10), gamma in (0, 1]. */
static void
CheckRelativeParams(double alpha, double gamma)
{
	mm_check_range(alpha, "alpha", 0.0, false, 10.0, false);
	mm_check_range(gamma, "gamma", 0.0, false, 1.0, true);
}

PG_FUNCTION_INFO_V1(hill_relative);
PG_FUNCTION_INFO_V1(hill_relative_k);

/* hill_relative(x float8[], alpha, gamma, legacy DEFAULT false) */
Datum
hill_relative(PG_FUNCTION_ARGS)
{
	double		alpha = PG_GETARG_FLOAT8(1);
	double		gamma = PG_GETARG_FLOAT8(2);
	bool		legacy = PG_GETARG_BOOL(3);
	int			n;
	float8	   *x;
	float8	   *out;
	double		k;

	CheckRelativeParams(alpha, gamma);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(0), "x", MM_ARR_NONNEG, &n);
	k = mm_hill_relative_k(x, n, gamma, legacy);
	out = palloc0(sizeof(float8) * n);
	/* an all-zero series has K = 0: zeros out rather than 0/0 (formulas §1.2) */
	if (k > 0.0)
		for (int i = 0; i < n; i++)
			out[i] = mm_saturation(MM_SAT_HILL, alpha, k, x[i]);
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(out, n));
}

/* hill_relative_k(x float8[], gamma, legacy DEFAULT false): the K hill_relative uses */
Datum
hill_relative_k(PG_FUNCTION_ARGS)
{
	double		gamma = PG_GETARG_FLOAT8(1);
	int			n;
	float8	   *x;

	mm_check_range(gamma, "gamma", 0.0, false, 1.0, true);
	x = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(0), "x", MM_ARR_NONNEG, &n);
	PG_RETURN_FLOAT8(mm_hill_relative_k(x, n, gamma, PG_GETARG_BOOL(2)));
}

PG_FUNCTION_INFO_V1(hill_inflection);

/* hill_inflection(alpha, k): where the Hill curve's marginal return peaks */
Datum
hill_inflection(PG_FUNCTION_ARGS)
{
	double		alpha = PG_GETARG_FLOAT8(0);
	double		k = PG_GETARG_FLOAT8(1);

	CheckParams(FAMILY_HILL, 2, alpha, k);
	PG_RETURN_FLOAT8(mm_hill_inflection(alpha, k));
}

/*
 * Generic forms by kind name: saturation, saturation_deriv and
 * saturation_inverse(kind, x, p1 [, p2]).  The arity says how many
 * parameters were passed; it must match the kind.
 */
typedef double (*CurveFn) (const SaturationFamily *f, double p1, double p2, double x);

static Datum
GenericCurve(FunctionCallInfo fcinfo, CurveFn fn)
{
	const SaturationFamily *f = LookupFamily(PG_GETARG_TEXT_PP(0));
	int			np = PG_NARGS() - 2;
	double		p1 = PG_GETARG_FLOAT8(2);
	double		p2 = np == 2 ? PG_GETARG_FLOAT8(3) : 0.0;

	CheckParams(f, np, p1, p2);
	PG_RETURN_FLOAT8(fn(f, p1, p2, PG_GETARG_FLOAT8(1)));
}

PG_FUNCTION_INFO_V1(saturation_value);
PG_FUNCTION_INFO_V1(saturation_deriv);
PG_FUNCTION_INFO_V1(saturation_inverse);

Datum
saturation_value(PG_FUNCTION_ARGS)
{
	return GenericCurve(fcinfo, Value);
}

Datum
saturation_deriv(PG_FUNCTION_ARGS)
{
	return GenericCurve(fcinfo, Deriv);
}

Datum
saturation_inverse(PG_FUNCTION_ARGS)
{
	return GenericCurve(fcinfo, Inverse);
}
