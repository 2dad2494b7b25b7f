/*
 * paths.c: reading ChannelAttribution-shaped path tables (see paths.h).
 *
 * The rows are read through an SPI cursor in batches, so memory holds one
 * batch plus what the caller keeps per channel or state, never the table.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "attribution/paths.h"

#define FETCH_ROWS 10000

typedef struct TokenEntry
{
	char		key[ATTR_TOKEN_MAX + 1];
	int			id;
} TokenEntry;

void
attr_tokens_init(AttrTokens *t)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = ATTR_TOKEN_MAX + 1;
	ctl.entrysize = sizeof(TokenEntry);
	t->cxt = CurrentMemoryContext;
	ctl.hcxt = t->cxt;
	t->hash = hash_create("mixmodel attribution channels", 64, &ctl,
						  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	t->n = 0;
	t->cap = 16;
	t->names = MemoryContextAlloc(t->cxt, sizeof(char *) * t->cap);
}

int
attr_token_id(AttrTokens *t, const char *s, int len)
{
	char		key[ATTR_TOKEN_MAX + 1];
	TokenEntry *e;
	bool		found;

	if (len > ATTR_TOKEN_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("channel name in a path is too long"),
				 errdetail("It has %d bytes; the limit is %d.", len, ATTR_TOKEN_MAX)));
	memset(key, 0, sizeof(key));
	memcpy(key, s, len);
	e = hash_search(t->hash, key, HASH_ENTER, &found);
	if (!found)
	{
		if (t->n == t->cap)
		{
			t->cap *= 2;
			t->names = repalloc(t->names, sizeof(char *) * t->cap);
		}
		e->id = t->n;
		t->names[t->n++] = MemoryContextStrdup(t->cxt, key);
	}
	return e->id;
}

int
attr_split_path(AttrTokens *t, const char *path, const char *separator, int **tok, int *cap)
{
	size_t		seplen = strlen(separator);
	const char *p = path;
	int			n = 0;

	if (seplen == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("separator must not be empty")));
	for (;;)
	{
		const char *end = strstr(p, separator);
		const char *a = p,
				   *b = end ? end : p + strlen(p);

		while (a < b && isspace((unsigned char) *a))
			a++;
		while (b > a && isspace((unsigned char) b[-1]))
			b--;
		if (a == b)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("path \"%s\" has an empty channel", path),
					 errhint("Channels are separated by \"%s\"; remove empty steps.", separator)));
		if (n == *cap)
		{
			*cap = Max(16, *cap * 2);
			*tok = *tok ? repalloc(*tok, sizeof(int) * *cap) : palloc(sizeof(int) * *cap);
		}
		(*tok)[n++] = attr_token_id(t, a, (int) (b - a));
		if (end == NULL)
			break;
		p = end + seplen;
	}
	return n;
}

char *
attr_name_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		return NULL;
	return pstrdup(NameStr(*PG_GETARG_NAME(argno)));
}

static bool
numeric_type(Oid t)
{
	return t == INT2OID || t == INT4OID || t == INT8OID || t == FLOAT4OID ||
		t == FLOAT8OID || t == NUMERICOID;
}

/* s."col" checked to exist (and to be numeric when asked) */
static char *
column_ref(Oid relid, const char *col, const char *role, bool numeric)
{
	AttrNumber	att = get_attnum(relid, col);

	if (att == InvalidAttrNumber || att < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", col, get_rel_name(relid)),
				 errdetail("It was given as the %s column.", role)));
	if (numeric && !numeric_type(get_atttype(relid, att)))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s column \"%s\" must be numeric", role, col),
				 errdetail("It has type %s.", format_type_be(get_atttype(relid, att)))));
	return psprintf("s.%s", quote_identifier(col));
}

static double
count_value(Datum d, bool isnull, const char *role, const char *path)
{
	double		v;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s of path \"%s\" is null", role, path),
				 errhint("Use 0 for none (coalesce).")));
	v = DatumGetFloat8(d);
	if (!isfinite(v) || v < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of path \"%s\" must be a finite number >= 0", role, path),
				 errdetail("Got %g.", v)));
	return v;
}

void
attr_read_paths(Oid relid, const char *path_col, const char *conv_col,
				const char *value_col, const char *null_col,
				const char *separator, AttrTokens *tokens,
				AttrPathRowFn fn, void *arg)
{
	StringInfoData sql;
	char	   *relname;
	Portal		portal;
	SPIPlanPtr	plan;
	int		   *tok = NULL;
	int			cap = 0;
	MemoryContext rowcxt,
				old;

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										 get_rel_name(relid));
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT CAST(%s AS pg_catalog.text), CAST(%s AS pg_catalog.float8)",
					 column_ref(relid, path_col, "path", false),
					 column_ref(relid, conv_col, "conversions", true));
	if (value_col)
		appendStringInfo(&sql, ", CAST(%s AS pg_catalog.float8)", column_ref(relid, value_col, "value", true));
	else
		appendStringInfoString(&sql, ", CAST(0 AS pg_catalog.float8)");
	if (null_col)
		appendStringInfo(&sql, ", CAST(%s AS pg_catalog.float8)", column_ref(relid, null_col, "null", true));
	else
		appendStringInfoString(&sql, ", CAST(0 AS pg_catalog.float8)");
	appendStringInfo(&sql, " FROM %s s", relname);

	plan = SPI_prepare(sql.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "attribution: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "mixmodel path rows", ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		CHECK_FOR_INTERRUPTS();
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			Datum		d;
			char	   *path;
			double		conv,
						value,
						nulls;
			int			n;

			old = MemoryContextSwitchTo(rowcxt);
			d = SPI_getbinval(tup, desc, 1, &isnull);
			if (isnull)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("path column \"%s\" has a null", path_col)));
			path = TextDatumGetCString(d);
			d = SPI_getbinval(tup, desc, 2, &isnull);
			conv = count_value(d, isnull, "conversions", path);
			d = SPI_getbinval(tup, desc, 3, &isnull);
			value = count_value(d, isnull, "value", path);
			d = SPI_getbinval(tup, desc, 4, &isnull);
			nulls = count_value(d, isnull, "null count", path);
			MemoryContextSwitchTo(old);
			n = attr_split_path(tokens, path, separator, &tok, &cap);
			fn(arg, path, n, tok, conv, value, nulls);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(rowcxt);
}
