/*
 * rules.c: dataset rules compiled into SQL against their source tables.
 *
 * Every identifier goes through quote_identifier, every value from a rule
 * becomes a $n parameter, and every function and operator in the generated
 * text is schema-qualified; sync runs the text with search_path pinned.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "common/arrays.h"
#include "harmonize/harmonize.h"

PG_FUNCTION_INFO_V1(dataset_rule_sql);

static const char *const grain_names[] = {NULL, "day", "week", "month", "year"};
static const char *const day_names[] = {NULL, "monday", "tuesday", "wednesday", "thursday",
"friday", "saturday", "sunday"};

int
hz_grain_code(const char *grain)
{
	for (int i = HZ_DAY; i <= HZ_YEAR; i++)
		if (strcmp(grain, grain_names[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid granularity \"%s\"", grain),
			 errhint("Use day, week, month or year.")));
	return 0;
}

const char *
hz_grain_name(int grain)
{
	return grain_names[grain];
}

int
hz_week_start_code(const char *day)
{
	for (int i = 1; i <= 7; i++)
		if (strcmp(day, day_names[i]) == 0)
			return i;
	elog(ERROR, "invalid week start \"%s\"", day);
	return 0;
}

int
hz_pin_gucs(void)
{
	int			nest = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	/*
	 * The generated SQL names the dataset's zone wherever it turns a timestamp into a date
	 * (pg_catalog.timezone), so executors that do not see this setting (Citus workers)
	 * bucket the same way; UTC here only keeps text forms of timestamps stable.
	 */
	(void) set_config_option("TimeZone", "UTC", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

void
hz_unpin_gucs(int nestlevel)
{
	AtEOXact_GUC(false, nestlevel);
}

static char *
GetText(HeapTuple tup, TupleDesc desc, const char *col)
{
	return SPI_getvalue(tup, desc, SPI_fnumber(desc, col));
}

static HzRule *
RuleFromTuple(HeapTuple tup, TupleDesc desc)
{
	HzRule	   *r = palloc0(sizeof(HzRule));
	bool		isnull;
	Datum		d;
	char	   *s;

	r->name = GetText(tup, desc, "name");
	r->relid = DatumGetObjectId(SPI_getbinval(tup, desc, SPI_fnumber(desc, "source"), &isnull));
	r->source_name = GetText(tup, desc, "source_name");
	r->category = GetText(tup, desc, "category");
	r->grain = hz_grain_code(GetText(tup, desc, "granularity"));
	r->week_start_name = GetText(tup, desc, "week_start");
	r->week_start = hz_week_start_code(r->week_start_name);
	r->date_column = GetText(tup, desc, "date_column");
	r->replace = strcmp(GetText(tup, desc, "restatement"), "replace") == 0;
	r->loaded_at_column = GetText(tup, desc, "loaded_at_column");
	r->factor_operator = GetText(tup, desc, "factor_operator");
	r->time_zone = GetText(tup, desc, "time_zone");
	r->active = strcmp(GetText(tup, desc, "status"), "active") == 0;
	r->source_missing = strcmp(GetText(tup, desc, "source_missing"), "t") == 0;
	d = SPI_getbinval(tup, desc, SPI_fnumber(desc, "mappings"), &isnull);
	r->mappings = DatumGetJsonbPCopy(d);
	d = SPI_getbinval(tup, desc, SPI_fnumber(desc, "updated_at"), &isnull);
	r->updated_at = DatumGetTimestampTz(d);
	d = SPI_getbinval(tup, desc, SPI_fnumber(desc, "owner"), &isnull);
	r->owner = DatumGetObjectId(d);
	d = SPI_getbinval(tup, desc, SPI_fnumber(desc, "key_columns"), &isnull);
	if (!isnull)
	{
		ArrayType  *arr = DatumGetArrayTypeP(d);
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("key_columns of dataset \"%s\" contains NULL", r->name)));
			r->key_columns = lappend(r->key_columns, TextDatumGetCString(elems[i]));
		}
	}
	(void) s;
	return r;
}

HzRule *
hz_load_rule(const char *name)
{
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(name);

	if (SPI_execute_with_args("SELECT * FROM mixmodel.dataset_rules WHERE name = $1",
							  1, &argtype, &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read mixmodel.dataset_rules");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("dataset rule \"%s\" does not exist", name)));
	return RuleFromTuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc);
}

List *
hz_load_rules(void)
{
	List	   *rules = NIL;
	SPITupleTable *tt;
	uint64		n;

	if (SPI_execute("SELECT * FROM mixmodel.dataset_rules ORDER BY name", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mixmodel.dataset_rules");
	tt = SPI_tuptable;
	n = SPI_processed;
	for (uint64 i = 0; i < n; i++)
		rules = lappend(rules, RuleFromTuple(tt->vals[i], tt->tupdesc));
	return rules;
}

int
hz_add_param(HzQuery *q, Datum value, Oid type)
{
	if (q->nparams == q->maxparams)
	{
		q->maxparams = q->maxparams ? 2 * q->maxparams : 16;
		q->values = q->values ? repalloc(q->values, sizeof(Datum) * q->maxparams)
			: palloc(sizeof(Datum) * q->maxparams);
		q->types = q->types ? repalloc(q->types, sizeof(Oid) * q->maxparams)
			: palloc(sizeof(Oid) * q->maxparams);
	}
	q->values[q->nparams] = value;
	q->types[q->nparams] = type;
	return ++q->nparams;
}

static int
TextParam(HzQuery *q, const char *value)
{
	return hz_add_param(q, CStringGetTextDatum(value), TEXTOID);
}

/* The dataset's time zone as a parameter, added once. */
static int
TimeZoneParam(HzQuery *q)
{
	if (q->tz_param == 0)
		q->tz_param = TextParam(q, q->rule->time_zone);
	return q->tz_param;
}

/*
 * A date or timestamp column as a point in time (timestamptz) and as a date, the same on
 * every executor whatever its TimeZone.  Dates of timestamptz values are taken in the
 * dataset's zone; load times (the incremental high-water mark, last_updated_date) of
 * timestamp and date columns are read as UTC, as sync has always read them.
 */
char *
hz_as_timestamptz(const char *ref, Oid type)
{
	if (type == TIMESTAMPTZOID)
		return pstrdup(ref);
	if (type == TIMESTAMPOID)
		return psprintf("pg_catalog.timezone('UTC', %s)", ref);
	return psprintf("pg_catalog.timezone('UTC', CAST(%s AS pg_catalog.timestamp))", ref);
}

static char *
AsDate(HzQuery *q, const char *ref, Oid type)
{
	if (type == DATEOID)
		return pstrdup(ref);
	if (type == TIMESTAMPTZOID)
		return psprintf("CAST(pg_catalog.timezone($%d, %s) AS pg_catalog.date)", TimeZoneParam(q), ref);
	return psprintf("CAST(%s AS pg_catalog.date)", ref);
}

/* ---- source columns ---- */

static List *
ColumnNames(Oid relid)
{
	List	   *names = NIL;

	Oid			argtype = OIDOID;
	Datum		arg = ObjectIdGetDatum(relid);

	if (SPI_execute_with_args("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1 "
							  "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
							  1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_attribute");
	for (uint64 i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return names;
}

/* Check a source column exists; return its type. */
static Oid
CheckColumn(HzQuery *q, const char *col, const char *role)
{
	AttrNumber	att = get_attnum(q->rule->relid, col);

	if (att == InvalidAttrNumber || att < 0)
	{
		const char *near = hz_near_match(col, ColumnNames(q->rule->relid));

		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of dataset \"%s\" does not exist", col, q->rule->name),
				 errdetail("The %s refers to it; the source table is %s.", role, q->relname),
				 near ? errhint("Perhaps you meant \"%s\".", near) : 0));
	}
	return get_atttype(q->rule->relid, att);
}

static bool
IsNumericType(Oid t)
{
	return t == INT2OID || t == INT4OID || t == INT8OID || t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
}

static bool
IsDateType(Oid t)
{
	return t == DATEOID || t == TIMESTAMPOID || t == TIMESTAMPTZOID;
}

static void
TypeMismatch(HzQuery *q, const char *col, Oid t, const char *role, const char *want)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of dataset \"%s\" has type %s", col, q->rule->name, format_type_be(t)),
			 errdetail("The %s must be %s.", role, want),
			 errhint("Map a column of the right type, or a view over the table that casts it.")));
}

static char *
ColRef(const char *col)
{
	return psprintf("s.%s", quote_identifier(col));
}

static char *
ColText(HzQuery *q, const char *col, const char *role)
{
	Oid			t = CheckColumn(q, col, role);

	if (t == TEXTOID)
		return ColRef(col);
	return psprintf("CAST(%s AS pg_catalog.text)", ColRef(col));
}

/* ---- jsonb walking ---- */

static char *
JbString(JsonbValue *v)
{
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	if (v->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	if (v->type == jbvBool)
		return pstrdup(v->val.boolean ? "true" : "false");
	return NULL;
}

static JsonbValue *
JbGet(JsonbContainer *c, const char *key)
{
	return getKeyJsonValueFromContainer(c, key, strlen(key), NULL);
}

static void
BadMapping(HzQuery *q, const char *where, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid mapping in dataset \"%s\"", q->rule->name),
			 errdetail("%s: %s.", where, what),
			 errhint("See doc/harmonize.md for the mappings document.")));
}

static JsonbContainer *
JbObject(HzQuery *q, JsonbValue *v, const char *where)
{
	if (v == NULL || v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		BadMapping(q, where, "expected a JSON object");
	return v->val.binary.data;
}

/* Reject keys outside allowed (a NULL-terminated list). */
static void
CheckKeys(HzQuery *q, JsonbContainer *c, const char *const *allowed, const char *where)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		bool		ok = false;
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		for (int i = 0; allowed[i]; i++)
			ok |= strcmp(key, allowed[i]) == 0;
		if (!ok)
			BadMapping(q, where, psprintf("unknown key \"%s\"", key));
	}
}

/* Keys of an object, in storage order (jsonb sorts them). */
static List *
JbKeys(JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *keys = NIL;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_KEY)
			keys = lappend(keys, pnstrdup(v.val.string.val, v.val.string.len));
	return keys;
}

/* Whether the list of C strings holds s. */
static bool
StringMember(List *list, const char *s)
{
	ListCell   *lc;

	foreach(lc, list)
		if (strcmp(lfirst(lc), s) == 0)
			return true;
	return false;
}

/* One condition {"column", "op", "value"} as SQL. */
static char *
CompileCondition(HzQuery *q, JsonbValue *cv, const char *where)
{
	static const char *const keys[] = {"column", "op", "value", NULL};
	JsonbContainer *c = JbObject(q, cv, where);
	JsonbValue *colv = JbGet(c, "column");
	JsonbValue *opv = JbGet(c, "op");
	JsonbValue *valv = JbGet(c, "value");
	char	   *col,
			   *op,
			   *val = NULL,
			   *ref,
			   *txt;
	int			p = 0;

	CheckKeys(q, c, keys, where);
	if (colv == NULL || colv->type != jbvString)
		BadMapping(q, where, "a condition needs \"column\"");
	if (opv == NULL || opv->type != jbvString)
		BadMapping(q, where, "a condition needs \"op\"");
	col = JbString(colv);
	op = JbString(opv);
	for (char *x = op; *x; x++)
		if (*x == ' ')
			*x = '_';
	txt = ColText(q, col, psprintf("condition in %s", where));
	ref = ColRef(col);
	q->cond_cols = lappend(q->cond_cols, col);
	if (strcmp(op, "exists") == 0)
		return psprintf("(%s IS NOT NULL)", ref);
	if (strcmp(op, "not_exists") == 0)
		return psprintf("(%s IS NULL)", ref);
	if (valv != NULL)
		val = JbString(valv);
	if (val == NULL)
		BadMapping(q, where, psprintf("operator \"%s\" needs a \"value\" (string or number)", op));
	p = TextParam(q, val);
	if (strcmp(op, "equals") == 0)
		return psprintf("(%s OPERATOR(pg_catalog.=) $%d)", txt, p);
	if (strcmp(op, "not_equals") == 0)
		return psprintf("(%s IS NULL OR %s OPERATOR(pg_catalog.<>) $%d)", ref, txt, p);
	if (strcmp(op, "contains") == 0)
		return psprintf("(pg_catalog.strpos(%s, $%d) OPERATOR(pg_catalog.>) 0)", txt, p);
	if (strcmp(op, "not_contains") == 0)
		return psprintf("(%s IS NULL OR pg_catalog.strpos(%s, $%d) OPERATOR(pg_catalog.=) 0)", ref, txt, p);
	if (strcmp(op, "starts_with") == 0)
		return psprintf("pg_catalog.starts_with(%s, $%d)", txt, p);
	if (strcmp(op, "ends_with") == 0)
		return psprintf("(pg_catalog.\"right\"(%s, pg_catalog.length($%d)) OPERATOR(pg_catalog.=) $%d)", txt, p, p);
	BadMapping(q, where, psprintf("unknown operator \"%s\" (use exists, not_exists, contains, not_contains, equals, not_equals, starts_with or ends_with)", op));
	return NULL;
}

/* {"match": "any"|"all", "conditions": [...]} as SQL. */
static char *
CompileConditionGroup(HzQuery *q, JsonbValue *gv, const char *where)
{
	static const char *const keys[] = {"match", "conditions", NULL};
	JsonbContainer *g = JbObject(q, gv, where);
	JsonbValue *mv = JbGet(g, "match");
	JsonbValue *cv = JbGet(g, "conditions");
	const char *joiner = " AND ";
	StringInfoData sql;
	int			n;

	CheckKeys(q, g, keys, where);
	if (mv != NULL)
	{
		char	   *m = JbString(mv);

		if (m && strcmp(m, "any") == 0)
			joiner = " OR ";
		else if (m == NULL || strcmp(m, "all") != 0)
			BadMapping(q, where, "\"match\" must be \"any\" or \"all\"");
	}
	if (cv == NULL || cv->type != jbvBinary || !JsonContainerIsArray(cv->val.binary.data)
		|| (n = JsonContainerSize(cv->val.binary.data)) == 0)
		BadMapping(q, where, "\"conditions\" must be a non-empty array");
	initStringInfo(&sql);
	appendStringInfoChar(&sql, '(');
	for (int i = 0; i < n; i++)
	{
		JsonbValue *c = getIthJsonbValueFromContainer(cv->val.binary.data, i);

		if (i > 0)
			appendStringInfoString(&sql, joiner);
		appendStringInfoString(&sql, CompileCondition(q, c, where));
	}
	appendStringInfoChar(&sql, ')');
	return sql.data;
}

/* A source column or a constant: {"column": c} | {"value": v}, or a bare string = column. */
static char *
CompileSource(HzQuery *q, JsonbValue *v, const char *where, bool datetime, List **cols)
{
	static const char *const keys[] = {"column", "value", NULL};
	JsonbContainer *c;
	JsonbValue *colv,
			   *valv;
	const char *cast = datetime ? "pg_catalog.timestamptz" : "pg_catalog.text";

	if (v != NULL && v->type == jbvString)
	{
		char	   *col = JbString(v);
		Oid			t = CheckColumn(q, col, where);

		if (datetime && !IsDateType(t))
			TypeMismatch(q, col, t, where, "a date or timestamp");
		*cols = lappend(*cols, col);
		return psprintf("CAST(%s AS %s)", ColRef(col), cast);
	}
	c = JbObject(q, v, where);
	CheckKeys(q, c, keys, where);
	colv = JbGet(c, "column");
	valv = JbGet(c, "value");
	if ((colv == NULL) == (valv == NULL))
		BadMapping(q, where, "give either \"column\" or \"value\"");
	if (colv != NULL)
	{
		JsonbValue	s = *colv;

		if (colv->type != jbvString)
			BadMapping(q, where, "\"column\" must be a string");
		return CompileSource(q, &s, where, datetime, cols);
	}
	if (JbString(valv) == NULL)
		BadMapping(q, where, "\"value\" must be a string or number");
	return psprintf("CAST($%d AS %s)", TextParam(q, JbString(valv)), cast);
}

static char *
CompileDimension(HzQuery *q, const char *field, JsonbValue *v, bool datetime, List **cols)
{
	static const char *const keys[] = {"default", "cases", NULL};
	char	   *where = psprintf("dimension \"%s\"", field);
	JsonbContainer *c;
	JsonbValue *cases;
	StringInfoData sql;
	int			n;
	const char *cast = datetime ? "pg_catalog.timestamptz" : "pg_catalog.text";

	if (v->type == jbvString || (v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data)
								 && JbGet(v->val.binary.data, "cases") == NULL))
		return CompileSource(q, v, where, datetime, cols);
	c = JbObject(q, v, where);
	CheckKeys(q, c, keys, where);
	cases = JbGet(c, "cases");
	if (cases == NULL || cases->type != jbvBinary || !JsonContainerIsArray(cases->val.binary.data)
		|| (n = JsonContainerSize(cases->val.binary.data)) == 0)
		BadMapping(q, where, "\"cases\" must be a non-empty array");
	initStringInfo(&sql);
	appendStringInfoString(&sql, "CASE");
	for (int i = 0; i < n; i++)
	{
		static const char *const ckeys[] = {"match", "conditions", "then", NULL};
		JsonbValue *cv = getIthJsonbValueFromContainer(cases->val.binary.data, i);
		char	   *cwhere = psprintf("case %d of dimension \"%s\"", i + 1, field);
		JsonbContainer *cc = JbObject(q, cv, cwhere);
		JsonbValue *then = JbGet(cc, "then");
		JsonbValue	group;
		JsonbValue *match = JbGet(cc, "match");
		JsonbValue *conds = JbGet(cc, "conditions");
		char	   *cond;

		CheckKeys(q, cc, ckeys, cwhere);
		if (then == NULL || JbString(then) == NULL)
			BadMapping(q, cwhere, "\"then\" must be a string or number");
		/* the case object itself is the condition group (plus "then") */
		if (conds == NULL)
			BadMapping(q, cwhere, "\"conditions\" must be a non-empty array");
		{
			JsonbParseState *ps = NULL;
			JsonbValue	k;
			JsonbValue *res;

			pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
			if (match)
			{
				k.type = jbvString;
				k.val.string.val = "match";
				k.val.string.len = 5;
				pushJsonbValue(&ps, WJB_KEY, &k);
				pushJsonbValue(&ps, WJB_VALUE, match);
			}
			k.type = jbvString;
			k.val.string.val = "conditions";
			k.val.string.len = 10;
			pushJsonbValue(&ps, WJB_KEY, &k);
			pushJsonbValue(&ps, WJB_VALUE, conds);
			res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
			group.type = jbvBinary;
			group.val.binary.data = &JsonbValueToJsonb(res)->root;
			group.val.binary.len = 0;
		}
		cond = CompileConditionGroup(q, &group, cwhere);
		appendStringInfo(&sql, " WHEN %s THEN CAST($%d AS %s)", cond, TextParam(q, JbString(then)), cast);
	}
	{
		JsonbValue *def = JbGet(c, "default");

		if (def != NULL)
			appendStringInfo(&sql, " ELSE %s", CompileSource(q, def, psprintf("default of dimension \"%s\"", field), datetime, cols));
	}
	appendStringInfoString(&sql, " END");
	return sql.data;
}

typedef struct FieldInfo
{
	char	   *name;
	char	   *category;
	char	   *data_type;
	bool		mappable;
} FieldInfo;

static List *
LoadFields(void)
{
	List	   *fields = NIL;

	if (SPI_execute("SELECT name, category, data_type, mappable FROM mixmodel.fields ORDER BY name",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mixmodel.fields");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		FieldInfo  *f = palloc(sizeof(FieldInfo));
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;

		f->name = SPI_getvalue(t, d, 1);
		f->category = SPI_getvalue(t, d, 2);
		f->data_type = SPI_getvalue(t, d, 3);
		f->mappable = strcmp(SPI_getvalue(t, d, 4), "t") == 0;
		fields = lappend(fields, f);
	}
	return fields;
}

static FieldInfo *
FindField(HzQuery *q, List *fields, const char *name, const char *kind)
{
	ListCell   *lc;
	List	   *names = NIL;
	const char *near;

	foreach(lc, fields)
	{
		FieldInfo  *f = lfirst(lc);

		if (strcmp(f->name, name) == 0)
		{
			if (!f->mappable)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("field \"%s\" cannot be mapped in dataset \"%s\"", name, q->rule->name),
						 errdetail("Sync fills it (the dataset name, grain, period and load time).")));
			if (strcmp(kind, "metric") == 0 ? strcmp(f->category, "metric") != 0
				: strcmp(f->category, "dimension") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("field \"%s\" mapped as a %s in dataset \"%s\" is a %s field",
								name, kind, q->rule->name, f->category),
						 strcmp(f->category, "derived") == 0
						 ? errhint("Derived fields are computed from their formula; map the metrics they use.")
						 : errhint("Map it under \"%s\".", strcmp(kind, "metric") == 0 ? "dimensions" : "metrics")));
			return f;
		}
		names = lappend(names, f->name);
	}
	near = hz_near_match(name, names);
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("unknown field \"%s\" in dataset \"%s\"", name, q->rule->name),
			 errdetail("The %s mapping names a field that is not in mixmodel.fields.", kind),
			 near ? errhint("Perhaps you meant \"%s\".", near)
			 : errhint("Create it with mixmodel.add_field.")));
	return NULL;
}

/*
 * The exact sum of a numeric source column as float8, whatever the row order and the
 * number of parallel workers: integers and numeric sum exactly in their own types;
 * float4 and float8 values in mixmodel.exact_sum (a superaccumulator, about as fast as
 * sum(float8), where a cast to numeric costs ten times that).
 */
static char *
ExactSum(const char *col, Oid type, const char *filter)
{
	if (type == FLOAT4OID || type == FLOAT8OID)
		return psprintf("mixmodel.exact_sum(CAST(%s AS pg_catalog.float8))%s", ColRef(col), filter);
	return psprintf("CAST(pg_catalog.sum(%s)%s AS pg_catalog.float8)", ColRef(col), filter);
}

static char *
CompileMetric(HzQuery *q, const char *field, JsonbValue *v)
{
	static const char *const keys[] = {"op", "column", "where", NULL};
	char	   *where = psprintf("metric \"%s\"", field);
	JsonbContainer *c = JbObject(q, v, where);
	JsonbValue *opv = JbGet(c, "op");
	JsonbValue *colv = JbGet(c, "column");
	JsonbValue *wv = JbGet(c, "where");
	char	   *op = opv ? JbString(opv) : pstrdup("sum");
	char	   *col = colv ? JbString(colv) : NULL;
	char	   *filter = wv ? psprintf(" FILTER (WHERE %s)", CompileConditionGroup(q, wv, where)) : "";
	bool		factor = strcmp(q->rule->category, "factor") == 0;

	CheckKeys(q, c, keys, where);
	if (op == NULL || (strcmp(op, "sum") != 0 && strcmp(op, "count") != 0))
		BadMapping(q, where, "\"op\" must be \"sum\" or \"count\"");
	if (col != NULL)
		q->value_cols = lappend(q->value_cols, col);
	if (factor)
	{
		Oid			t;

		if (col == NULL)
			BadMapping(q, where, "a factor value needs \"column\"");
		t = CheckColumn(q, col, where);
		if (!IsNumericType(t))
			TypeMismatch(q, col, t, where, "numeric (integer, float or numeric)");
		if (strcmp(q->rule->factor_operator, "min") == 0 || strcmp(q->rule->factor_operator, "max") == 0)
			return psprintf("CAST(pg_catalog.%s(%s)%s AS pg_catalog.float8)", q->rule->factor_operator, ColRef(col), filter);
		/* exact sums, so the value does not depend on row order or parallel workers */
		if (strcmp(q->rule->factor_operator, "sum") == 0)
			return ExactSum(col, t, filter);
		if (t == FLOAT4OID || t == FLOAT8OID)
			return psprintf("(%s OPERATOR(pg_catalog./) CAST(NULLIF(pg_catalog.count(%s)%s, 0) AS pg_catalog.float8))",
							ExactSum(col, t, filter), ColRef(col), filter);
		return psprintf("CAST(pg_catalog.avg(%s)%s AS pg_catalog.float8)", ColRef(col), filter);
	}
	if (strcmp(op, "count") == 0)
	{
		if (col == NULL || strcmp(col, "*") == 0)
			return psprintf("CAST(pg_catalog.count(*)%s AS pg_catalog.float8)", filter);
		CheckColumn(q, col, where);
		return psprintf("CAST(pg_catalog.count(%s)%s AS pg_catalog.float8)", ColRef(col), filter);
	}
	if (col == NULL)
		BadMapping(q, where, "a sum needs \"column\"");
	{
		Oid			t = CheckColumn(q, col, where);

		if (!IsNumericType(t))
			TypeMismatch(q, col, t, where, "numeric (integer, float or numeric)");
		return ExactSum(col, t, filter);
	}
}

void
hz_compile(HzRule *rule, HzQuery *q)
{
	static const char *const top_keys[] = {"dimensions", "metrics", "where", NULL};
	JsonbContainer *root;
	JsonbValue *dims,
			   *mets,
			   *wv;
	List	   *fields = LoadFields();
	List	   *cols = NIL;
	ListCell   *lc;
	Oid			t;
	bool		factor = strcmp(rule->category, "factor") == 0;
	bool		has_channel = false;

	memset(q, 0, sizeof(HzQuery));
	q->rule = rule;
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(rule->relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("source table of dataset \"%s\" does not exist", rule->name),
				 errdetail("It was %s.", rule->source_name)));
	/*
	 * Checked at every use, not only when the rule is saved: the caller reads the source,
	 * and the rule's owner gets its aggregates in its harmonized rows, so both need SELECT
	 * (a rule another role saved, or a privilege revoked since, must not let one role read
	 * through another's sync).
	 */
	if (!hz_can_read_source(rule, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for the source table of dataset \"%s\"", rule->name),
				 errdetail("Reading %s needs SELECT, which role %s does not have.", rule->source_name,
						   GetUserNameFromId(GetUserId(), false))));
	if (!hz_can_read_source(rule, rule->owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for the source table of dataset \"%s\"", rule->name),
				 errdetail("The rule's owner %s has no SELECT on %s, and its harmonized rows would show the table's data.",
						   GetUserNameFromId(rule->owner, true) ? GetUserNameFromId(rule->owner, true) : "(dropped role)",
						   rule->source_name)));
	q->relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(rule->relid)),
											get_rel_name(rule->relid));

	/* date */
	t = CheckColumn(q, rule->date_column, "date column");
	if (!IsDateType(t))
		TypeMismatch(q, rule->date_column, t, "date column", "a date or timestamp");
	q->date_col = ColRef(rule->date_column);
	q->date_expr = AsDate(q, q->date_col, t);

	if (rule->loaded_at_column)
	{
		Oid			lt = CheckColumn(q, rule->loaded_at_column, "loaded_at column");

		if (!IsDateType(lt))
			TypeMismatch(q, rule->loaded_at_column, lt, "loaded_at column", "a date or timestamp");
		q->wm_raw = ColRef(rule->loaded_at_column);
		q->wm_type = lt;
	}
	else
	{
		q->wm_raw = q->date_col;
		q->wm_type = t;
	}
	q->wm_expr = hz_as_timestamptz(q->wm_raw, q->wm_type);
	if (rule->replace && rule->loaded_at_column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dataset \"%s\" uses replace restatement but has no loaded_at column", rule->name),
				 errhint("Name the column holding each row's load time (loaded_at_column => ...): the latest row of a key wins.")));
	if (rule->replace && strcmp(rule->category, "event") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event dataset \"%s\" cannot use replace restatement", rule->name),
				 errdetail("Restatement applies to summary and factor datasets.")));

	/* mappings */
	if (!JB_ROOT_IS_OBJECT(rule->mappings))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid mapping in dataset \"%s\"", rule->name),
				 errdetail("mappings must be a JSON object.")));
	root = &rule->mappings->root;
	CheckKeys(q, root, top_keys, "mappings");
	wv = JbGet(root, "where");
	if (wv)
		q->filter = CompileConditionGroup(q, wv, "where");
	dims = JbGet(root, "dimensions");
	if (dims)
	{
		JsonbContainer *dc = JbObject(q, dims, "dimensions");

		foreach(lc, JbKeys(dc))
		{
			char	   *field = lfirst(lc);
			FieldInfo  *f = FindField(q, fields, field, "dimension");

			if (!factor && (strncmp(field, "factor_", 7) == 0 || strcmp(field, "value_type") == 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("dimension \"%s\" is for factor datasets only", field),
						 errdetail("Dataset \"%s\" has category %s.", rule->name, rule->category)));
			q->dim_names = lappend(q->dim_names, field);
			q->dim_exprs = lappend(q->dim_exprs,
								   CompileDimension(q, field, JbGet(dc, field),
													strcmp(f->data_type, "datetime") == 0, &cols));
			if (strcmp(field, "channel") == 0 || strcmp(field, "conversiontype") == 0)
				has_channel = true;
		}
	}
	mets = JbGet(root, "metrics");
	if (mets)
	{
		JsonbContainer *mc = JbObject(q, mets, "metrics");

		foreach(lc, JbKeys(mc))
		{
			char	   *field = lfirst(lc);

			FindField(q, fields, field, "metric");
			if (factor != (strcmp(field, "factor_value") == 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 factor ? errmsg("factor dataset \"%s\" maps only the metric factor_value", rule->name)
						 : errmsg("metric factor_value is for factor datasets only"),
						 errdetail("Dataset \"%s\" (category %s) maps field \"%s\".", rule->name, rule->category, field)));
			q->metric_names = lappend(q->metric_names, field);
			q->metric_exprs = lappend(q->metric_exprs, CompileMetric(q, field, JbGet(mc, field)));
		}
	}
	if (q->metric_names == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dataset \"%s\" maps no metric", rule->name),
				 errhint(factor ? "Map the factor value: {\"metrics\": {\"factor_value\": {\"column\": ...}}}."
						 : "Map at least one numeric column, e.g. {\"metrics\": {\"spend\": {\"op\": \"sum\", \"column\": \"spend\"}}}.")));
	if (factor)
	{
		bool		found = false;

		foreach(lc, q->dim_names)
			found |= strcmp(lfirst(lc), "factor_name") == 0;
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("factor dataset \"%s\" has no factor_name mapping", rule->name),
					 errhint("Map factor_name to a constant (one factor) or a column or case rule (several).")));
		/* Adobe's defaults: factor type internal, value type actual */
		foreach(lc, list_make2("factor_type", "value_type"))
		{
			bool		found = false;
			ListCell   *lc2;

			foreach(lc2, q->dim_names)
				found |= strcmp(lfirst(lc2), lfirst(lc)) == 0;
			if (!found)
			{
				q->dim_names = lappend(q->dim_names, lfirst(lc));
				q->dim_exprs = lappend(q->dim_exprs,
									   psprintf("CAST($%d AS pg_catalog.text)",
												TextParam(q, strcmp(lfirst(lc), "factor_type") == 0 ? "internal" : "actual")));
			}
		}
	}
	else if (!has_channel)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dataset \"%s\" has no channel mapping", rule->name),
				 errhint("Map channel (marketing data) or conversiontype (conversion data).")));

	/*
	 * restatement key: given, or the date and every column the mappings read (dimension
	 * sources, and the conditions of case rules, metric filters and the row filter), other
	 * than the values metrics aggregate and the load time: rows that map differently must
	 * not collapse into one key
	 */
	if (rule->replace)
	{
		List	   *keys = rule->key_columns;

		if (keys == NIL)
		{
			keys = list_make1(rule->date_column);
			foreach(lc, cols)
				if (!StringMember(keys, lfirst(lc)))
					keys = lappend(keys, lfirst(lc));
			foreach(lc, q->cond_cols)
				if (!StringMember(keys, lfirst(lc)) && !StringMember(q->value_cols, lfirst(lc))
					&& (rule->loaded_at_column == NULL || strcmp(lfirst(lc), rule->loaded_at_column) != 0))
					keys = lappend(keys, lfirst(lc));
		}
		foreach(lc, keys)
		{
			CheckColumn(q, lfirst(lc), "restatement key");
			q->key_exprs = lappend(q->key_exprs, ColRef(lfirst(lc)));
		}
	}
}

bool
hz_can_read_source(HzRule *rule, Oid role)
{
	if (!OidIsValid(role) || !SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(role)))
		return false;
	return pg_class_aclcheck(rule->relid, role, ACL_SELECT) == ACLCHECK_OK;
}

char *
hz_period_expr(const char *d, int grain, int week_start)
{
	switch (grain)
	{
		case HZ_DAY:
			return pstrdup(d);
		case HZ_WEEK:
			{
				/* 1970-01-05 is a Monday; anchor on the week-start day, then step back */
				char	   *anchor = psprintf("DATE '1970-01-%02d'", 4 + week_start);

				return psprintf("(%s OPERATOR(pg_catalog.-) ((((%s OPERATOR(pg_catalog.-) %s) OPERATOR(pg_catalog.%%) 7) OPERATOR(pg_catalog.+) 7) OPERATOR(pg_catalog.%%) 7))",
								d, d, anchor);
			}
		case HZ_MONTH:
			return psprintf("CAST(pg_catalog.date_trunc('month', CAST(%s AS pg_catalog.timestamp)) AS pg_catalog.date)", d);
		default:
			return psprintf("CAST(pg_catalog.date_trunc('year', CAST(%s AS pg_catalog.timestamp)) AS pg_catalog.date)", d);
	}
}

char *
hz_aggregate_sql(HzQuery *q, int grain, const char *extra_where, bool bookkeeping)
{
	StringInfoData sql;
	ListCell   *lc,
			   *lc2;
	int			ndims = list_length(q->dim_names);
	char	   *from;
	List	   *conds = NIL;

	if (q->rule->replace)
	{
		StringInfoData k;

		initStringInfo(&k);
		foreach(lc, q->key_exprs)
			appendStringInfo(&k, "%s%s", foreach_current_index(lc) ? ", " : "", (char *) lfirst(lc));
		/* the latest load of each key wins */
		from = psprintf("(SELECT DISTINCT ON (%s) * FROM %s s%s%s ORDER BY %s, %s DESC NULLS LAST) s",
						k.data, q->relname, q->filter ? " WHERE " : "", q->filter ? q->filter : "",
						k.data, q->wm_expr);
	}
	else
	{
		from = psprintf("%s s", q->relname);
		if (q->filter)
			conds = lappend(conds, q->filter);
	}
	if (extra_where)
		conds = lappend(conds, (char *) extra_where);

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT %s AS period", hz_period_expr(q->date_expr, grain, q->rule->week_start));
	forboth(lc, q->dim_names, lc2, q->dim_exprs)
		appendStringInfo(&sql, ", %s AS %s", (char *) lfirst(lc2), quote_identifier(lfirst(lc)));
	forboth(lc, q->metric_names, lc2, q->metric_exprs)
		appendStringInfo(&sql, ", %s AS %s", (char *) lfirst(lc2), quote_identifier(lfirst(lc)));
	if (q->rule->loaded_at_column)
		appendStringInfo(&sql, ", pg_catalog.max(%s) AS last_updated_date", q->wm_expr);
	else
		appendStringInfoString(&sql, ", CAST(NULL AS pg_catalog.timestamptz) AS last_updated_date");
	/*
	 * the raw high-water column: its conversion to timestamptz keeps order and NULLs, so
	 * the caller converts the maximum once instead of every row
	 */
	if (bookkeeping)
		appendStringInfo(&sql, ", pg_catalog.count(*) AS \"mm rows\", pg_catalog.max(%s) AS \"mm mark\", pg_catalog.count(%s) AS \"mm marked\"",
						 q->wm_raw, q->wm_raw);
	appendStringInfo(&sql, " FROM %s", from);
	foreach(lc, conds)
		appendStringInfo(&sql, "%s%s", foreach_current_index(lc) ? " AND " : " WHERE ", (char *) lfirst(lc));
	appendStringInfoString(&sql, " GROUP BY 1");
	for (int i = 0; i < ndims; i++)
		appendStringInfo(&sql, ", %d", i + 2);
	return sql.data;
}

/* dataset_rule_sql(name text, granularity text DEFAULT NULL) RETURNS text */
Datum
dataset_rule_sql(PG_FUNCTION_ARGS)
{
	char	   *name;
	HzRule	   *rule;
	HzQuery		q;
	char	   *sql;
	char	   *copy;
	int			nest;
	int			grain;

	if (PG_ARGISNULL(0))
		mm_null_argument("name");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	SPI_connect();
	nest = hz_pin_gucs();
	rule = hz_load_rule(name);
	grain = PG_ARGISNULL(1) ? rule->grain : hz_grain_code(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	if (grain < rule->grain)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot roll dataset \"%s\" down to a finer grain", name),
				 errdetail("Its granularity is %s; %s was asked.", hz_grain_name(rule->grain), hz_grain_name(grain))));
	hz_compile(rule, &q);
	sql = hz_aggregate_sql(&q, grain, NULL, false);
	hz_unpin_gucs(nest);
	copy = SPI_palloc(strlen(sql) + 1);
	strcpy(copy, sql);
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(copy));
}
