/*
 * json.c: JSON text of floats for the training functions' jsonb (json.h).
 */
#include "postgres.h"

#include <math.h>

#include "common/json.h"

void
mm_json_float(StringInfo b, double v)
{
	if (isfinite(v))
		appendStringInfo(b, "%.17g", v);
	else
		appendStringInfoString(b, "null");
}

void
mm_json_array(StringInfo b, const double *v, int n)
{
	appendStringInfoChar(b, '[');
	for (int i = 0; i < n; i++)
	{
		if (i)
			appendStringInfoChar(b, ',');
		mm_json_float(b, v[i]);
	}
	appendStringInfoChar(b, ']');
}

void
mm_json_member_float(StringInfo b, const char *key, double v, bool first)
{
	appendStringInfo(b, "%s\"%s\":", first ? "" : ",", key);
	mm_json_float(b, v);
}

void
mm_json_member_array(StringInfo b, const char *key, const double *v, int n, bool first)
{
	appendStringInfo(b, "%s\"%s\":", first ? "" : ",", key);
	mm_json_array(b, v, n);
}
