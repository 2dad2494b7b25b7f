/*
 * weights.c: mixmodel.attribution_weights, a rule's weights for one path
 * (formulas.md §6.2; the core is src/math/attribution/rules.c).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "attribution/attribution.h"
#include "common/arrays.h"
#include "common/errors.h"
#include "math/attribution/rules.h"

PG_FUNCTION_INFO_V1(attribution_weights);

MMAttrRule
attr_rule_arg(const char *s)
{
	MMAttrRule	rule;

	if (!mm_attr_rule_parse(s, &rule))
	{
		StringInfoData b;

		initStringInfo(&b);
		for (int i = 0; i < MM_ATTR_RULES; i++)
			appendStringInfo(&b, "%s%s", i ? ", " : "", mm_attr_rule_names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown attribution rule \"%s\"", s),
				 errhint("Rules: %s.", b.data)));
	}
	return rule;
}

/*
 * attribution_weights(rule text, n int, first float8 DEFAULT 40, middle float8
 * DEFAULT 20, last float8 DEFAULT 40, half_life float8 DEFAULT 7, lags float8[]
 * DEFAULT NULL, channels text[] DEFAULT NULL, same boolean[] DEFAULT NULL)
 */
Datum
attribution_weights(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"rule", "n", "first", "middle", "last", "half_life"};
	MMAttrRule	rule;
	int			n;
	MMAttrRuleParams p;
	double	   *lag = NULL,
			   *w;
	int		   *tok = NULL;
	bool	   *same = NULL;
	MMStatus	st;

	for (int i = 0; i < 6; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(names[i]);
	rule = attr_rule_arg(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	n = PG_GETARG_INT32(1);
	if (n < 1 || n > mm_max_array_length)
		ereport(ERROR,
				(errcode(n < 1 ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("n must be in the range [1, %d]", mm_max_array_length),
				 errdetail("Got %d.", n)));
	p.first = PG_GETARG_FLOAT8(2);
	p.middle = PG_GETARG_FLOAT8(3);
	p.last = PG_GETARG_FLOAT8(4);
	p.half_life = PG_GETARG_FLOAT8(5);
	if (rule == MM_ATTR_CUSTOM)
	{
		mm_check_range(p.first, "first", 0, true, INFINITY, false);
		mm_check_range(p.middle, "middle", 0, true, INFINITY, false);
		mm_check_range(p.last, "last", 0, true, INFINITY, false);
		if (!(p.first + p.middle + p.last > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custom weights must not all be 0"),
					 errhint("For example first => 30, middle => 40, last => 30.")));
	}
	if (rule == MM_ATTR_TIME_DECAY)
	{
		int			nl;

		mm_check_range(p.half_life, "half_life", 0, false, INFINITY, false);
		if (PG_ARGISNULL(6))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("time_decay needs lags"),
					 errhint("Pass lags => ARRAY[...], each touch's time before the conversion in the unit of half_life.")));
		lag = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(6), "lags", MM_ARR_NONNEG, &nl);
		if (nl != n)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("lags must have n elements"),
					 errdetail("n is %d; lags has %d.", n, nl)));
	}
	if (rule == MM_ATTR_PARTICIPATION && !PG_ARGISNULL(7))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(7);
		AttrTokens	t;
		Datum	   *vals;
		bool	   *nulls;
		int			nc;

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("array \"channels\" must be one-dimensional")));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &vals, &nulls, &nc);
		if (nc != n)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("channels must have n elements"),
					 errdetail("n is %d; channels has %d.", n, nc)));
		attr_tokens_init(&t);
		tok = palloc(sizeof(int) * n);
		for (int i = 0; i < n; i++)
		{
			char	   *s;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("array \"channels\" must not contain nulls")));
			s = TextDatumGetCString(vals[i]);
			tok[i] = attr_token_id(&t, s, strlen(s));
		}
	}
	if (rule == MM_ATTR_SAME_TOUCH)
	{
		ArrayType  *arr;
		Datum	   *vals;
		bool	   *nulls;
		int			ns;

		if (PG_ARGISNULL(8))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("same_touch needs same"),
					 errhint("Pass same => ARRAY[...], true for the touches carried by the conversion event.")));
		arr = PG_GETARG_ARRAYTYPE_P(8);
		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("array \"same\" must be one-dimensional")));
		deconstruct_array(arr, BOOLOID, 1, true, TYPALIGN_CHAR, &vals, &nulls, &ns);
		if (ns != n)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("same must have n elements"),
					 errdetail("n is %d; same has %d.", n, ns)));
		same = palloc(sizeof(bool) * n);
		for (int i = 0; i < n; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("array \"same\" must not contain nulls")));
			same[i] = DatumGetBool(vals[i]);
		}
	}
	w = palloc(sizeof(double) * n);
	st = mm_attr_rule_weights(rule, n, &p, lag, tok, same, w);
	mixmodel_check_core(st, "attribution_weights");
	PG_RETURN_ARRAYTYPE_P(mm_float8_array_build(w, n));
}
