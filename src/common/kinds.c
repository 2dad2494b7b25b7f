/*
 * kinds.c: adstock and saturation names for the glue (see kinds.h).
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "common/kinds.h"

/* "a, b and c" */
static char *
name_list(const char *const *names, int n)
{
	StringInfoData b;

	initStringInfo(&b);
	for (int i = 0; i < n; i++)
		appendStringInfo(&b, "%s%s", i == 0 ? "" : (i == n - 1 ? " and " : ", "), names[i]);
	return b.data;
}

MMAdstockKind
mm_adstock_kind_arg(const char *s)
{
	MMAdstockKind kind;

	if (!mm_adstock_kind_parse(s, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown adstock \"%s\"", s),
				 errhint("Valid adstocks are %s.", name_list(mm_adstock_names, MM_ADSTOCK_KINDS))));
	return kind;
}

MMSaturationKind
mm_saturation_kind_arg(const char *s, int n_valid)
{
	MMSaturationKind kind;

	if (!mm_saturation_kind_parse(s, &kind) || (int) kind >= n_valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown saturation \"%s\"", s),
				 errhint("Valid saturations are %s.", name_list(mm_saturation_names, n_valid))));
	return kind;
}
