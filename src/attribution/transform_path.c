/*
 * transform_path.c: mixmodel.transform_path, the path transforms of
 * formulas.md §6.5 on one path (core: src/math/attribution/transforms.c).
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "attribution/attribution.h"
#include "common/arrays.h"
#include "math/attribution/transforms.h"

PG_FUNCTION_INFO_V1(transform_path);

void
attr_parse_transform(const char *spec, MMPathTransform *t, char **channel, int *number)
{
	const char *open = strchr(spec, '(');
	char	   *name = open ? pnstrdup(spec, open - spec) : pstrdup(spec);
	char	   *arg = NULL;

	*channel = NULL;
	*number = 0;
	if (open)
	{
		const char *close = strrchr(spec, ')');

		if (close == NULL || close < open || close[1] != '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid path transform \"%s\"", spec),
					 errhint("Write name or name(argument), e.g. remove_if_not_all(email) or trim_long_path(10).")));
		arg = pnstrdup(open + 1, close - open - 1);
	}
	if (!mm_path_transform_parse(name, t))
	{
		StringInfoData b;

		initStringInfo(&b);
		for (int i = 0; i < MM_PATH_TRANSFORMS; i++)
			appendStringInfo(&b, "%s%s", i ? ", " : "", mm_path_transform_names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown path transform \"%s\"", name),
				 errhint("Transforms: %s.", b.data)));
	}
	if ((mm_path_transform_takes_channel(*t) || mm_path_transform_takes_number(*t)) != (arg != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path transform \"%s\" %s an argument", name, arg ? "takes no" : "needs"),
				 arg ? 0 : errhint("Write %s(%s).", name, mm_path_transform_takes_number(*t) ? "N" : "channel")));
	if (mm_path_transform_takes_channel(*t))
	{
		if (arg[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("path transform \"%s\" needs a channel", name)));
		*channel = arg;
	}
	if (mm_path_transform_takes_number(*t))
	{
		char	   *end;
		long		v = strtol(arg, &end, 10);

		if (*end != '\0' || end == arg || v < 1 || v > 1000000)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s needs a whole number of steps in [1, 1000000]", name),
					 errdetail("Got \"%s\".", arg)));
		*number = (int) v;
	}
}

/* transform_path(path text, transforms text[], separator text DEFAULT ' > ') */
Datum
transform_path(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	char	   *sep = text_to_cstring(PG_GETARG_TEXT_PP(2));
	AttrTokens	tokens;
	Datum	   *specs;
	bool	   *nulls;
	int			nspec,
				cap = 0,
				n;
	int		   *tok = NULL,
			   *count;
	StringInfoData out;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"transforms\" must be one-dimensional")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &specs, &nulls, &nspec);
	if (nspec > mm_max_array_length)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("array \"transforms\" is too long")));
	attr_tokens_init(&tokens);
	n = attr_split_path(&tokens, path, sep, &tok, &cap);
	count = palloc(sizeof(int) * n);
	for (int i = 0; i < n; i++)
		count[i] = 0;
	for (int s = 0; s < nspec; s++)
	{
		MMPathTransform t;
		char	   *channel;
		int			number,
					x = -1;

		if (nulls[s])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"transforms\" must not contain nulls")));
		attr_parse_transform(TextDatumGetCString(specs[s]), &t, &channel, &number);
		if (channel)
			x = attr_token_id(&tokens, channel, strlen(channel));
		n = mm_path_transform(t, x, number, tok, n, count, NULL);
		if (t == MM_PT_FREQUENCY)
		{
			/* later transforms see the channels with their counts: D(2) */
			for (int i = 0; i < n; i++)
			{
				char	   *nm = psprintf("%s(%d)", tokens.names[tok[i]], count[i]);

				tok[i] = attr_token_id(&tokens, nm, strlen(nm));
			}
		}
	}
	initStringInfo(&out);
	for (int i = 0; i < n; i++)
		appendStringInfo(&out, "%s%s", i ? sep : "", tokens.names[tok[i]]);
	PG_RETURN_TEXT_P(cstring_to_text(out.data));
}
