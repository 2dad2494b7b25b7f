/*
 * sync.c: mixmodel.sync(): aggregate every active dataset to the coarsest
 * grain, then merge into mixmodel.harmonized.
 *
 * Each dataset's aggregation runs as CREATE TEMP TABLE ... AS SELECT, which
 * the planner may run with parallel workers (INSERT ... SELECT cannot in
 * PostgreSQL 15); the small aggregated result is then copied into
 * mixmodel.harmonized_source.  Float sums are exact (mixmodel.exact_sum), so the result
 * does not depend on row order or worker count.  Everything happens in the
 * caller's transaction: an error leaves the previous harmonized data.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "common/arrays.h"
#include "harmonize/harmonize.h"

PG_FUNCTION_INFO_V1(harmonize_sync);
PG_FUNCTION_INFO_V1(harmonize_apply_merge);

#define STAGE "pg_temp.\"mm harmonize stage\""

typedef struct SyncResult
{
	char	   *dataset;
	char	   *category;
	char	   *source;
	char	   *granularity;
	char	   *mode;
	int64		rows_read;
	int64		rows_written;
	char	   *status;
	bool		counts_null;
	Oid			owner;
	int			grain;			/* the grain of the owner's harmonized data */
} SyncResult;

/* The coarsest grain among one owner's live datasets: each owner is harmonized alone. */
typedef struct OwnerGrain
{
	Oid			owner;
	int			grain;
} OwnerGrain;

static OwnerGrain *
FindOwner(List *owners, Oid owner)
{
	ListCell   *lc;

	foreach(lc, owners)
		if (((OwnerGrain *) lfirst(lc))->owner == owner)
			return lfirst(lc);
	return NULL;
}

static int
GrainOf(List *owners, Oid owner, int fallback)
{
	OwnerGrain *g = FindOwner(owners, owner);

	return g ? g->grain : fallback;
}

static void
Exec(const char *sql, HzQuery *q, int expect)
{
	int			rc = q ? SPI_execute_with_args(sql, q->nparams, q->types, q->values, NULL, false, 0)
		: SPI_execute(sql, false, 0);

	if (rc != expect)
		elog(ERROR, "harmonize: SPI returned %d for: %s", rc, sql);
}

static List *
ColumnsOf(const char *table)
{
	List	   *cols = NIL;
	char	   *sql = psprintf("SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
							   "CAST('mixmodel.%s' AS pg_catalog.regclass) AND a.attnum > 0 AND NOT a.attisdropped "
							   "ORDER BY a.attnum", table);

	Exec(sql, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
		cols = lappend(cols, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return cols;
}

/* One text-valued scalar query; NULL when no row or NULL. */
static char *
Scalar(const char *sql, HzQuery *q)
{
	Exec(sql, q, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return NULL;
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * The merge preference of one metric as an SQL expression over the row x: for each owner
 * (x.owner), the owner's overrides of the metric, most specific first (as
 * merge_preference_for orders them), then the owner's default; summary without one.
 * prefs holds the merge_preferences rows in that order, read once per merge: the
 * expression costs a few comparisons per row, where calling merge_preference_for (an SQL
 * function the planner cannot inline) cost a query per row and metric.  Without
 * preferences it is a constant, which the planner folds.
 */
static char *
PreferenceExpr(SPITupleTable *prefs, uint64 nprefs, const char *metric, HzQuery *params)
{
	StringInfoData sql;
	int			nwhen = 0;
	Oid			done = InvalidOid;	/* an owner whose remaining rows cannot apply */

	initStringInfo(&sql);
	appendStringInfoString(&sql, "CASE");
	for (uint64 i = 0; i < nprefs; i++)
	{
		HeapTuple	t = prefs->vals[i];
		TupleDesc	d = prefs->tupdesc;
		char	   *m = SPI_getvalue(t, d, 1);
		char	   *pref = SPI_getvalue(t, d, 2);
		bool		nochan,
					notype,
					isnull;
		Datum		chan = SPI_getbinval(t, d, 3, &nochan);
		Datum		type = SPI_getbinval(t, d, 4, &notype);
		Oid			owner = DatumGetObjectId(SPI_getbinval(t, d, 5, &isnull));

		if (owner == done || (m != NULL && strcmp(m, metric) != 0))
			continue;
		appendStringInfo(&sql, " WHEN x.owner OPERATOR(pg_catalog.=) $%d",
						 hz_add_param(params, ObjectIdGetDatum(owner), REGROLEOID));
		if (m != NULL && !nochan)
			appendStringInfo(&sql, " AND x.channel OPERATOR(pg_catalog.=) ANY ($%d)",
							 hz_add_param(params, chan, TEXTARRAYOID));
		if (m != NULL && !notype)
			appendStringInfo(&sql, " AND x.conversiontype OPERATOR(pg_catalog.=) ANY ($%d)",
							 hz_add_param(params, type, TEXTARRAYOID));
		appendStringInfo(&sql, " THEN '%s'", pref);
		nwhen++;
		/* the default, or an override of every channel and type: nothing later applies */
		if (m == NULL || (nochan && notype))
			done = owner;
	}
	if (nwhen == 0)
		return pstrdup("'summary'");
	appendStringInfoString(&sql, " ELSE 'summary' END");
	return sql.data;
}

/*
 * The metrics the merge must look at: those a summary and an event dataset both map
 * (only they can be reported by both sides), as of the rules' last sync.  All metrics
 * when a synced dataset's rule is gone or changed since its sync (its rows may map
 * others).
 */
static List *
MergedMetrics(List *metrics)
{
	List	   *merged = NIL;
	ListCell   *lc;

	if (Scalar("SELECT 1 FROM mixmodel.sync_state s LEFT JOIN mixmodel.dataset_rules r "
			   "ON r.name OPERATOR(pg_catalog.=) s.dataset AND r.updated_at OPERATOR(pg_catalog.=) s.rule_updated_at "
			   "WHERE r.name IS NULL OR pg_catalog.jsonb_typeof(r.mappings OPERATOR(pg_catalog.->) 'metrics') "
			   "IS DISTINCT FROM 'object' LIMIT 1", NULL))
		return metrics;
	Exec("SELECT m.k FROM mixmodel.sync_state s JOIN mixmodel.dataset_rules r "
		 "ON r.name OPERATOR(pg_catalog.=) s.dataset AND r.updated_at OPERATOR(pg_catalog.=) s.rule_updated_at, "
		 "LATERAL pg_catalog.jsonb_object_keys(r.mappings OPERATOR(pg_catalog.->) 'metrics') AS m(k) "
		 "WHERE r.category OPERATOR(pg_catalog.=) ANY (ARRAY['summary', 'event']) "
		 "GROUP BY m.k HAVING pg_catalog.count(DISTINCT r.category) OPERATOR(pg_catalog.=) 2", NULL, SPI_OK_SELECT);
	foreach(lc, metrics)
	{
		for (uint64 k = 0; k < SPI_processed; k++)
			if (strcmp(SPI_getvalue(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1), lfirst(lc)) == 0)
				merged = lappend(merged, lfirst(lc));
	}
	return merged;
}

/*
 * Rebuild mixmodel.harmonized from harmonized_source: merge preferences, derived fields.
 *
 * Where summary and event rows report a metric for one period, channel and conversion
 * type, the preference blanks one side.  Whether the other side reports it comes from one
 * grouped pass over the summary and event rows (few groups: the merge key has no campaign
 * or geo), hash-joined to every row, for the metrics both sides map; skipped when no
 * metric is mapped by both or only one category is present.
 */
static int64
ApplyMerge(void)
{
	List	   *src_cols = ColumnsOf("harmonized_source");
	List	   *metrics = NIL,
			   *merged,
			   *derived = NIL,
			   *derived_sql = NIL,
			   *pref_sql = NIL;
	StringInfoData flags,
				mid,
				outer;
	ListCell   *lc,
			   *lc2;
	HzQuery		params;
	SPITupleTable *prefs;
	uint64		nprefs;
	bool		merging;
	int			i;

	memset(&params, 0, sizeof(params));
	Exec("SELECT name, category, formula, owner_role FROM mixmodel.fields WHERE category IN ('metric', 'derived') "
		 "AND name <> 'factor_value' ORDER BY name", NULL, SPI_OK_SELECT);
	{
		SPITupleTable *tt = SPI_tuptable;
		uint64		n = SPI_processed;

		for (uint64 k = 0; k < n; k++)
		{
			char	   *name = SPI_getvalue(tt->vals[k], tt->tupdesc, 1);

			if (strcmp(SPI_getvalue(tt->vals[k], tt->tupdesc, 2), "metric") == 0)
				metrics = lappend(metrics, name);
			else
			{
				bool		global;
				Datum		owner = SPI_getbinval(tt->vals[k], tt->tupdesc, 4, &global);
				char	   *formula = hz_compile_formula(SPI_getvalue(tt->vals[k], tt->tupdesc, 3), name);

				/* a custom derived field is its owner's: computed on that owner's rows only */
				derived = lappend(derived, name);
				derived_sql = lappend(derived_sql, global ? formula
									  : psprintf("CASE WHEN y.owner OPERATOR(pg_catalog.=) $%d THEN %s END",
												 hz_add_param(&params, owner, REGROLEOID), formula));
			}
		}
	}

	/* the preferences, once */
	Exec("SELECT metric, preference, channels, conversion_types, owner FROM mixmodel.merge_preferences "
		 "ORDER BY owner, (metric IS NULL), (channels IS NULL), (conversion_types IS NULL), id DESC",
		 NULL, SPI_OK_SELECT);
	prefs = SPI_tuptable;
	nprefs = SPI_processed;
	merged = MergedMetrics(metrics);
	foreach(lc, merged)
		pref_sql = lappend(pref_sql, PreferenceExpr(prefs, nprefs, lfirst(lc), &params));
	merging = merged != NIL
		&& Scalar("SELECT 1 WHERE EXISTS (SELECT 1 FROM mixmodel.harmonized_source WHERE category OPERATOR(pg_catalog.=) 'summary') "
				  "AND EXISTS (SELECT 1 FROM mixmodel.harmonized_source WHERE category OPERATOR(pg_catalog.=) 'event')",
				  NULL) != NULL;

	initStringInfo(&flags);
	initStringInfo(&mid);
	initStringInfo(&outer);
	/* per merge key, whether summary (s) and event (e) rows report each metric */
	appendStringInfoString(&flags, "SELECT h.owner, h.period, ARRAY[h.channel, h.conversiontype] AS k");
	i = 0;
	foreach(lc, merged)
	{
		const char *c = quote_identifier(lfirst(lc));

		appendStringInfo(&flags,
						 ", pg_catalog.bool_or(h.category OPERATOR(pg_catalog.=) 'summary' AND h.%s IS NOT NULL) AS \"s%d\""
						 ", pg_catalog.bool_or(h.category OPERATOR(pg_catalog.=) 'event' AND h.%s IS NOT NULL) AS \"e%d\"",
						 c, i, c, i);
		i++;
	}
	appendStringInfoString(&flags, " FROM mixmodel.harmonized_source h WHERE h.category OPERATOR(pg_catalog.=) ANY "
						   "(ARRAY['summary', 'event']) GROUP BY 1, 2, 3");

	appendStringInfoString(&mid, "SELECT ");
	appendStringInfoString(&outer, "INSERT INTO mixmodel.harmonized (");
	foreach(lc, src_cols)
	{
		const char *c = quote_identifier(lfirst(lc));
		int			m = -1;

		i = 0;
		foreach(lc2, merged)
		{
			if (strcmp(lfirst(lc2), lfirst(lc)) == 0)
				m = i;
			i++;
		}
		if (foreach_current_index(lc) > 0)
		{
			appendStringInfoString(&mid, ", ");
			appendStringInfoString(&outer, ", ");
		}
		appendStringInfoString(&outer, c);
		if (m < 0 || !merging)
			appendStringInfo(&mid, "x.%s", c);
		else
		{
			const char *pref = list_nth(pref_sql, m);

			appendStringInfo(&mid,
							 "CASE WHEN x.category OPERATOR(pg_catalog.=) 'event' AND f.\"s%d\" AND (%s) OPERATOR(pg_catalog.=) 'summary' THEN NULL "
							 "WHEN x.category OPERATOR(pg_catalog.=) 'summary' AND f.\"e%d\" AND (%s) OPERATOR(pg_catalog.=) 'event' THEN NULL "
							 "ELSE x.%s END AS %s", m, pref, m, pref, c, c);
		}
	}
	if (merging)
		appendStringInfo(&mid, " FROM mixmodel.harmonized_source x LEFT JOIN (%s) f ON f.owner OPERATOR(pg_catalog.=) x.owner "
						 "AND f.period OPERATOR(pg_catalog.=) x.period AND f.k OPERATOR(pg_catalog.=) ARRAY[x.channel, x.conversiontype]",
						 flags.data);
	else
		appendStringInfoString(&mid, " FROM mixmodel.harmonized_source x");
	foreach(lc, derived)
		appendStringInfo(&outer, ", %s", quote_identifier(lfirst(lc)));
	appendStringInfoString(&outer, ") SELECT y.*");
	foreach(lc, derived_sql)
		appendStringInfo(&outer, ", %s", (char *) lfirst(lc));
	appendStringInfo(&outer, " FROM (%s) y", mid.data);
	Exec("DELETE FROM mixmodel.harmonized", NULL, SPI_OK_DELETE);
	/*
	 * The new rows are not in harmonized_source's statistics yet, so the planner would
	 * sort them all to group the merge keys, where hashing the few keys is far cheaper.
	 * No ORDER BY: every sum over harmonized rows is exact (mixmodel.exact_sum), so their
	 * physical order does not matter.
	 */
	{
		int			nest = NewGUCNestLevel();
		int64		n;

		(void) set_config_option("enable_sort", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		Exec(outer.data, &params, SPI_OK_INSERT);
		n = (int64) SPI_processed;
		AtEOXact_GUC(false, nest);
		return n;
	}
}

/* Rows whose date is not on a period start of the dataset's own grain. */
static void
CheckGrain(HzQuery *q)
{
	HzRule	   *r = q->rule;
	char	   *sql;

	if (r->grain == HZ_DAY)
		return;
	sql = psprintf("SELECT CAST(s.ctid AS pg_catalog.text), CAST(%s AS pg_catalog.text), "
				   "CAST(%s AS pg_catalog.text) FROM %s s WHERE %s%s%s IS DISTINCT FROM %s LIMIT 1",
				   q->date_col, hz_period_expr(q->date_expr, r->grain, r->week_start), q->relname,
				   q->filter ? q->filter : "", q->filter ? " AND " : "",
				   q->date_expr, hz_period_expr(q->date_expr, r->grain, r->week_start));
	Exec(sql, q, SPI_OK_SELECT);
	if (SPI_processed > 0)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *val = SPI_getvalue(t, d, 2);

		if (val == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("dataset \"%s\" has a row without a date", r->name),
					 errdetail("Column \"%s\" is NULL in row %s of %s.", r->date_column, SPI_getvalue(t, d, 1), q->relname)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("dataset \"%s\" mixes grains", r->name),
				 errdetail("Column \"%s\" is %s in row %s of %s, not the start of a %s (%s%s).",
						   r->date_column, val, SPI_getvalue(t, d, 1), q->relname, hz_grain_name(r->grain),
						   SPI_getvalue(t, d, 3), r->grain == HZ_WEEK ? psprintf(", weeks start on %s", r->week_start_name) : ""),
				 errhint("All rows of one dataset share one granularity; split the data into one dataset per grain (a \"where\" filter).")));
	}
}

static void
CheckNullDates(HzQuery *q)
{
	char	   *sql = psprintf("SELECT CAST(s.ctid AS pg_catalog.text) FROM %s s WHERE %s%s%s IS NULL LIMIT 1",
							   q->relname, q->filter ? q->filter : "", q->filter ? " AND " : "", q->date_col);
	char	   *row = Scalar(sql, q);

	if (row)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("dataset \"%s\" has a row without a date", q->rule->name),
				 errdetail("Column \"%s\" is NULL in row %s of %s.", q->rule->date_column, row, q->relname)));
}

/* replace restatement: one row per key and load time */
static void
CheckDuplicateKeys(HzQuery *q)
{
	StringInfoData k,
				names;
	ListCell   *lc;
	char	   *sql;
	List	   *keys = q->rule->key_columns;

	if (!q->rule->replace)
		return;
	initStringInfo(&k);
	initStringInfo(&names);
	foreach(lc, q->key_exprs)
		appendStringInfo(&k, "%s%s", foreach_current_index(lc) ? ", " : "", (char *) lfirst(lc));
	sql = psprintf("SELECT CAST(ROW(%s) AS pg_catalog.text), CAST(%s AS pg_catalog.text), pg_catalog.count(*) "
				   "FROM %s s%s%s GROUP BY %s, %s HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1 LIMIT 1",
				   k.data, q->wm_expr, q->relname, q->filter ? " WHERE " : "", q->filter ? q->filter : "",
				   k.data, q->wm_expr);
	Exec(sql, q, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return;
	if (keys == NIL)
		appendStringInfoString(&names, "date and mapped columns");
	else
		foreach(lc, keys)
			appendStringInfo(&names, "%s%s", foreach_current_index(lc) ? ", " : "", (char *) lfirst(lc));
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("dataset \"%s\" has duplicate rows for one key and load time", q->rule->name),
			 errdetail("Key (%s) = %s loaded at %s appears %s times in %s.", names.data,
					   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
					   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
					   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3), q->relname),
			 errhint("With replace restatement the latest load of a key wins; remove the duplicate or give key_columns that tell the rows apart.")));
}

/*
 * What sync does with one live dataset: read in full, re-read the periods [lo, hi] that
 * rows loaded since the last sync fall in, or nothing (no new rows).
 */
typedef struct DatasetPlan
{
	HzQuery		q;
	SyncResult *res;
	bool		full;
	bool		unchanged;
	char	   *lo,
			   *hi;				/* incremental: the periods to recompute */
	char	   *new_mark;		/* incremental: the new high-water mark */
	int64		marked;			/* incremental: rows at or below it */
} DatasetPlan;

/*
 * Aggregate (part of) one dataset into harmonized_source; returns rows read.  One scan of
 * the source (the parallel-capable CREATE TABLE AS), one pass over the small staged
 * result for the bookkeeping (rows read, high-water mark, rows without a date), one
 * insert.
 */
static int64
AggregateInto(HzQuery *q, int grain, const char *extra_where, int64 *rows_written,
			  char **mark, int64 *marked)
{
	StringInfoData ins;
	ListCell   *lc;
	int			pd = hz_add_param(q, CStringGetTextDatum(q->rule->name), TEXTOID);
	int			pc = hz_add_param(q, CStringGetTextDatum(q->rule->category), TEXTOID);
	int			pg = hz_add_param(q, CStringGetTextDatum(hz_grain_name(grain)), TEXTOID);
	int			po = hz_add_param(q, ObjectIdGetDatum(q->rule->owner), REGROLEOID);
	char	   *sql;
	int64		read = 0;

	sql = psprintf("CREATE TEMP TABLE \"mm harmonize stage\" AS %s",
				   hz_aggregate_sql(q, grain, extra_where, true));
	Exec(sql, q, SPI_OK_UTILITY);

	/* the stage holds the raw high-water column's maximum: converted once here */
	sql = psprintf("SELECT CAST(pg_catalog.sum(\"mm rows\") AS pg_catalog.int8), "
				   "CAST(pg_catalog.max(%s) AS pg_catalog.text), "
				   "CAST(pg_catalog.sum(\"mm marked\") AS pg_catalog.int8), "
				   "pg_catalog.bool_or(period IS NULL) FROM " STAGE,
				   hz_as_timestamptz("\"mm mark\"", q->wm_type));
	Exec(sql, NULL, SPI_OK_SELECT);
	{
		char	   *r = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *m = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		char	   *n = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
		char	   *nodate = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4);

		read = r ? strtoll(r, NULL, 10) : 0;
		*mark = m;
		*marked = n ? strtoll(n, NULL, 10) : 0;
		/* a NULL period means rows without a date */
		if (nodate && strcmp(nodate, "t") == 0)
			CheckNullDates(q);
	}

	initStringInfo(&ins);
	appendStringInfoString(&ins, "INSERT INTO mixmodel.harmonized_source (period, dataset, category, date_type, owner, last_updated_date");
	foreach(lc, q->dim_names)
		appendStringInfo(&ins, ", %s", quote_identifier(lfirst(lc)));
	foreach(lc, q->metric_names)
		appendStringInfo(&ins, ", %s", quote_identifier(lfirst(lc)));
	appendStringInfo(&ins, ") SELECT period, $%d, $%d, $%d, $%d, last_updated_date", pd, pc, pg, po);
	foreach(lc, q->dim_names)
		appendStringInfo(&ins, ", %s", quote_identifier(lfirst(lc)));
	foreach(lc, q->metric_names)
		appendStringInfo(&ins, ", %s", quote_identifier(lfirst(lc)));
	appendStringInfoString(&ins, " FROM " STAGE);
	Exec(ins.data, q, SPI_OK_INSERT);
	*rows_written = (int64) SPI_processed;

	Exec("DROP TABLE " STAGE, NULL, SPI_OK_UTILITY);
	return read;
}

/* The high-water mark over all (filtered) source rows, for replace datasets. */
static void
SourceMark(HzQuery *q, char **mark, int64 *marked)
{
	char	   *sql = psprintf("SELECT CAST(pg_catalog.max(%s) AS pg_catalog.text), pg_catalog.count(%s) FROM %s s%s%s",
							   q->wm_expr, q->wm_expr, q->relname,
							   q->filter ? " WHERE " : "", q->filter ? q->filter : "");

	Exec(sql, q, SPI_OK_SELECT);
	*mark = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	*marked = strtoll(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), NULL, 10);
}

/*
 * Remove the harmonized_source rows the planned datasets replace, in one pass (the table
 * has no index: every sync writes it whole or in large part, and an index would cost more
 * to maintain than the pass): all rows of a full-synced dataset, the periods [lo, hi] of an
 * incremental one.
 */
static void
DeletePlanned(List *plans)
{
	StringInfoData sql;
	HzQuery		params;
	ListCell   *lc;

	memset(&params, 0, sizeof(params));
	initStringInfo(&sql);
	appendStringInfoString(&sql, "DELETE FROM mixmodel.harmonized_source WHERE");
	foreach(lc, plans)
	{
		DatasetPlan *p = lfirst(lc);
		int			pn;

		if (p->unchanged)
			continue;
		pn = hz_add_param(&params, CStringGetTextDatum(p->q.rule->name), TEXTOID);
		appendStringInfo(&sql, "%s(dataset OPERATOR(pg_catalog.=) $%d", params.nparams > 1 ? " OR " : " ", pn);
		if (!p->full)
		{
			int			plo = hz_add_param(&params, DirectFunctionCall1(date_in, CStringGetDatum(p->lo)), DATEOID);
			int			phi = hz_add_param(&params, DirectFunctionCall1(date_in, CStringGetDatum(p->hi)), DATEOID);

			appendStringInfo(&sql, " AND period OPERATOR(pg_catalog.>=) $%d AND period OPERATOR(pg_catalog.<=) $%d", plo, phi);
		}
		appendStringInfoChar(&sql, ')');
	}
	if (params.nparams > 0)
		Exec(sql.data, &params, SPI_OK_DELETE);
}

static void
SaveState(HzRule *r, int grain, const char *mark, int64 marked)
{
	Oid			types[7] = {TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, REGROLEOID};
	Datum		vals[7];
	char		nulls[7] = "       ";

	vals[0] = CStringGetTextDatum(r->name);
	vals[1] = CStringGetTextDatum(hz_grain_name(grain));
	vals[2] = CStringGetTextDatum(r->week_start_name);
	vals[3] = TimestampTzGetDatum(r->updated_at);
	if (mark)
		vals[4] = DirectFunctionCall3(timestamptz_in, CStringGetDatum(mark), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	else
		nulls[4] = 'n';
	vals[5] = Int64GetDatum(marked);
	vals[6] = ObjectIdGetDatum(r->owner);
	if (SPI_execute_with_args("INSERT INTO mixmodel.sync_state AS st (dataset, grain, week_start, rule_updated_at, watermark, rows_at_mark, synced_at, owner) "
							  "VALUES ($1, $2, $3, $4, $5, $6, pg_catalog.now(), $7) ON CONFLICT (dataset) DO UPDATE SET "
							  "grain = excluded.grain, week_start = excluded.week_start, rule_updated_at = excluded.rule_updated_at, "
							  "watermark = excluded.watermark, rows_at_mark = excluded.rows_at_mark, synced_at = excluded.synced_at, "
							  "owner = excluded.owner",
							  7, types, vals, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "harmonize: could not save sync state");
}

/*
 * Plan the incremental sync of one dataset (checks included); false when it must be
 * synced in full.
 */
static bool
PlanIncremental(DatasetPlan *p, int grain)
{
	HzQuery    *q = &p->q;
	HzRule	   *r = q->rule;
	SyncResult *res = p->res;
	Datum		arg = CStringGetTextDatum(r->name);
	char	   *old_mark;
	int64		old_marked;
	char	   *sql;
	int			pm;
	int64		now_marked,
				new_rows;

	if (SPI_execute_with_args("SELECT grain, week_start, rule_updated_at OPERATOR(pg_catalog.=) $2, "
							  "CAST(watermark AS pg_catalog.text), rows_at_mark FROM mixmodel.sync_state WHERE dataset = $1",
							  2, (Oid[]) {TEXTOID, TIMESTAMPTZOID},
							  (Datum[]) {arg, TimestampTzGetDatum(r->updated_at)}, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "harmonize: could not read sync state");
	if (SPI_processed == 0)
		return false;
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;

		if (strcmp(SPI_getvalue(t, d, 1), hz_grain_name(grain)) != 0
			|| strcmp(SPI_getvalue(t, d, 2), r->week_start_name) != 0
			|| strcmp(SPI_getvalue(t, d, 3), "t") != 0)
			return false;
		old_mark = SPI_getvalue(t, d, 4);
		old_marked = SPI_getvalue(t, d, 5) ? strtoll(SPI_getvalue(t, d, 5), NULL, 10) : 0;
	}
	if (old_mark == NULL)
		return false;
	pm = hz_add_param(q, DirectFunctionCall3(timestamptz_in, CStringGetDatum(old_mark),
											 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)), TIMESTAMPTZOID);

	/* rows at or before the mark that the last sync did not see: an overlapping load */
	sql = psprintf("SELECT pg_catalog.count(*) FROM %s s WHERE %s%s%s OPERATOR(pg_catalog.<=) $%d",
				   q->relname, q->filter ? q->filter : "", q->filter ? " AND " : "", q->wm_expr, pm);
	now_marked = strtoll(Scalar(sql, q), NULL, 10);
	if (now_marked != old_marked)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("incremental load of dataset \"%s\" overlaps an earlier load", r->name),
				 errdetail("%lld rows of %s have %s at or before %s, the last synced load; the last sync saw %lld.",
						   (long long) now_marked, q->relname,
						   r->loaded_at_column ? r->loaded_at_column : r->date_column, old_mark,
						   (long long) old_marked),
				 errhint("Incremental loads must not overlap: give new rows a later %s, or run mixmodel.sync(mode => 'full').",
						 r->loaded_at_column ? r->loaded_at_column : r->date_column)));

	/* the periods the new rows fall in are recomputed from all their rows */
	sql = psprintf("SELECT CAST(%s AS pg_catalog.text), CAST(%s AS pg_catalog.text), pg_catalog.count(*), "
				   "CAST(pg_catalog.max(%s) AS pg_catalog.text) FROM %s s WHERE %s%s%s OPERATOR(pg_catalog.>) $%d",
				   hz_period_expr(psprintf("pg_catalog.min(%s)", q->date_expr), grain, r->week_start),
				   hz_period_expr(psprintf("pg_catalog.max(%s)", q->date_expr), grain, r->week_start),
				   q->wm_expr, q->relname, q->filter ? q->filter : "", q->filter ? " AND " : "", q->wm_expr, pm);
	Exec(sql, q, SPI_OK_SELECT);
	new_rows = strtoll(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3), NULL, 10);
	res->mode = "incremental";
	if (new_rows == 0)
	{
		res->status = "unchanged";
		p->unchanged = true;
		return true;
	}
	p->lo = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	p->hi = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	p->new_mark = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4);
	/* every new row is above the old mark and at or below the new one */
	p->marked = old_marked + new_rows;
	if (p->lo == NULL)
		CheckNullDates(q);
	CheckGrain(q);
	CheckDuplicateKeys(q);
	res->status = psprintf("ok: %lld new rows, periods %s .. %s", (long long) new_rows, p->lo, p->hi);
	return true;
}

/* Aggregate a planned dataset (its old rows deleted) and save its state. */
static void
RunPlan(DatasetPlan *p, int grain)
{
	HzQuery    *q = &p->q;
	HzRule	   *r = q->rule;
	SyncResult *res = p->res;
	char	   *mark;
	int64		marked;

	if (p->unchanged)
		return;
	if (p->full)
	{
		res->rows_read = AggregateInto(q, grain, NULL, &res->rows_written, &mark, &marked);
		if (r->replace)
			SourceMark(q, &mark, &marked);
		SaveState(r, grain, mark, marked);
		return;
	}
	{
		int			plo = hz_add_param(q, DirectFunctionCall1(date_in, CStringGetDatum(p->lo)), DATEOID);
		int			phi = hz_add_param(q, DirectFunctionCall1(date_in, CStringGetDatum(p->hi)), DATEOID);
		char	   *period = hz_period_expr(q->date_expr, grain, r->week_start);
		char	   *where = psprintf("%s OPERATOR(pg_catalog.>=) $%d AND %s BETWEEN $%d AND $%d",
									 q->date_expr, plo, period, plo, phi);

		res->rows_read = AggregateInto(q, grain, where, &res->rows_written, &mark, &marked);
	}
	SaveState(r, grain, p->new_mark, p->marked);
}

/* sync(mode text DEFAULT 'full') RETURNS TABLE(...) */
Datum
harmonize_sync(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *mode;
	bool		incremental;
	List	   *rules,
			   *results = NIL,
			   *live = NIL,
			   *plans = NIL,
			   *owners = NIL;
	ListCell   *lc;
	int			grain = HZ_DAY;
	int			nest;
	int64		total;
	Datum		names_array;
	MemoryContext caller = CurrentMemoryContext;

	if (PG_ARGISNULL(0))
		mm_null_argument("mode");
	mode = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (strcmp(mode, "full") != 0 && strcmp(mode, "incremental") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sync mode \"%s\"", mode),
				 errhint("Use full or incremental.")));
	incremental = strcmp(mode, "incremental") == 0;
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	nest = hz_pin_gucs();
	/* one sync at a time; readers keep seeing the previous harmonized data */
	Exec("LOCK TABLE mixmodel.harmonized_source IN EXCLUSIVE MODE", NULL, SPI_OK_UTILITY);
	Exec("SELECT mixmodel._sync_columns()", NULL, SPI_OK_SELECT);

	/* the rules the caller may see (row-level security): its own owners' */
	rules = hz_load_rules();
	foreach(lc, rules)
	{
		HzRule	   *r = lfirst(lc);
		bool		exists;

		if (!r->active)
			continue;
		exists = SearchSysCacheExists1(RELOID, ObjectIdGetDatum(r->relid));
		if (exists != !r->source_missing)
		{
			Oid			types[2] = {TEXTOID, BOOLOID};
			Datum		vals[2] = {CStringGetTextDatum(r->name), BoolGetDatum(!exists)};

			/* flag (or unflag) the rule; its rows drop out below */
			if (SPI_execute_with_args("UPDATE mixmodel.dataset_rules SET source_missing = $2 WHERE name = $1",
									  2, types, vals, NULL, false, 0) != SPI_OK_UPDATE)
				elog(ERROR, "harmonize: could not flag dataset rule");
		}
		if (!exists)
		{
			SyncResult *res = palloc0(sizeof(SyncResult));

			res->dataset = r->name;
			res->category = r->category;
			res->source = r->source_name;
			res->granularity = (char *) hz_grain_name(r->grain);
			res->mode = mode;
			res->status = "source table missing: rows removed";
			res->counts_null = true;
			res->owner = r->owner;
			res->grain = r->grain;
			results = lappend(results, res);
			continue;
		}
		if (!hz_can_read_source(r, r->owner))
		{
			SyncResult *res = palloc0(sizeof(SyncResult));
			char	   *who = GetUserNameFromId(r->owner, true);

			/* the owner would see the aggregates of a table it may not read */
			res->dataset = r->name;
			res->category = r->category;
			res->source = r->source_name;
			res->granularity = (char *) hz_grain_name(r->grain);
			res->mode = mode;
			res->status = psprintf("the rule's owner %s may not read the source: rows removed",
								   who ? quote_identifier(who) : "(a dropped role)");
			res->counts_null = true;
			res->owner = r->owner;
			res->grain = r->grain;
			results = lappend(results, res);
			continue;
		}
		live = lappend(live, r);
		grain = Max(grain, r->grain);
		{
			OwnerGrain *g = FindOwner(owners, r->owner);

			if (g == NULL)
			{
				g = palloc(sizeof(OwnerGrain));
				g->owner = r->owner;
				g->grain = r->grain;
				owners = lappend(owners, g);
			}
			g->grain = Max(g->grain, r->grain);
		}
	}
	foreach(lc, results)
	{
		SyncResult *res = lfirst(lc);

		res->grain = GrainOf(owners, res->owner, res->grain);
	}

	/* datasets deleted, drafted or without a source drop out */
	{
		Datum	   *elems = palloc(sizeof(Datum) * (list_length(live) + 1));

		foreach(lc, live)
			elems[foreach_current_index(lc)] = CStringGetTextDatum(((HzRule *) lfirst(lc))->name);
		names_array = PointerGetDatum(construct_array(elems, list_length(live), TEXTOID, -1, false, TYPALIGN_INT));
	}
	{
		Oid			t = TEXTARRAYOID;
		Datum		v = names_array;

		/* a full sync replaces every row the caller's datasets have: one pass */
		if ((incremental
			 ? SPI_execute_with_args("DELETE FROM mixmodel.harmonized_source WHERE dataset OPERATOR(pg_catalog.<>) ALL ($1)",
									 1, &t, &v, NULL, false, 0)
			 : SPI_execute("DELETE FROM mixmodel.harmonized_source", false, 0)) != SPI_OK_DELETE
			|| SPI_execute_with_args("DELETE FROM mixmodel.sync_state WHERE dataset OPERATOR(pg_catalog.<>) ALL ($1)",
									 1, &t, &v, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "harmonize: could not remove dropped datasets");
	}

	/* plan and check every dataset, then one delete, then the aggregations */
	foreach(lc, live)
	{
		HzRule	   *r = lfirst(lc);
		DatasetPlan *p = palloc0(sizeof(DatasetPlan));
		SyncResult *res = palloc0(sizeof(SyncResult));

		CHECK_FOR_INTERRUPTS();
		p->res = res;
		hz_compile(r, &p->q);
		res->dataset = r->name;
		res->category = r->category;
		res->source = p->q.relname;
		res->granularity = (char *) hz_grain_name(r->grain);
		res->grain = GrainOf(owners, r->owner, r->grain);
		if (!incremental || !PlanIncremental(p, res->grain))
		{
			p->full = true;
			CheckGrain(&p->q);
			CheckDuplicateKeys(&p->q);
			res->mode = "full";
			res->status = "ok";
		}
		plans = lappend(plans, p);
		results = lappend(results, res);
	}
	if (incremental)
		DeletePlanned(plans);
	foreach(lc, plans)
	{
		DatasetPlan *p = lfirst(lc);

		CHECK_FOR_INTERRUPTS();
		RunPlan(p, p->res->grain);
	}

	total = ApplyMerge();
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		Datum		vals[2] = {CStringGetTextDatum(mode),
		CStringGetTextDatum(psprintf("%lld", (long long) total))};
		Datum	   *who = palloc(sizeof(Datum) * (list_length(owners) + 1));
		Datum	   *grains = palloc(sizeof(Datum) * (list_length(owners) + 1));

		/* with several owners, each one's grain */
		foreach(lc, owners)
		{
			OwnerGrain *g = lfirst(lc);
			char	   *name = GetUserNameFromId(g->owner, true);

			who[foreach_current_index(lc)] = CStringGetTextDatum(name ? name : psprintf("%u", g->owner));
			grains[foreach_current_index(lc)] = CStringGetTextDatum(hz_grain_name(g->grain));
		}
		if (SPI_execute_with_args("SELECT mixmodel._audit('sync', 'harmonized', 'harmonized', "
								  "pg_catalog.jsonb_build_object('mode', $1, 'rows', CAST($2 AS pg_catalog.int8), 'grain', $3, "
								  "'datasets', (SELECT pg_catalog.jsonb_agg(s.dataset ORDER BY s.dataset) FROM mixmodel.sync_state s))"
								  " OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality($4) OPERATOR(pg_catalog.>) 1 "
								  "THEN pg_catalog.jsonb_build_object('grains', pg_catalog.jsonb_object($4, $5)) ELSE '{}' END)",
								  5, (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID},
								  (Datum[]) {vals[0], vals[1], CStringGetTextDatum(hz_grain_name(grain)),
								  PointerGetDatum(construct_array(who, list_length(owners), TEXTOID, -1, false, TYPALIGN_INT)),
								  PointerGetDatum(construct_array(grains, list_length(owners), TEXTOID, -1, false, TYPALIGN_INT))},
								  NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "harmonize: could not write the audit log");
		(void) types;
	}

	/* results outlive SPI: build the tuplestore in the caller's context */
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		foreach(lc, results)
		{
			SyncResult *res = lfirst(lc);
			Datum		v[9];
			bool		n[9] = {0};

			v[0] = CStringGetTextDatum(res->dataset);
			v[1] = CStringGetTextDatum(res->category);
			v[2] = CStringGetTextDatum(res->source);
			v[3] = CStringGetTextDatum(res->granularity);
			v[4] = CStringGetTextDatum(hz_grain_name(res->grain));
			v[5] = CStringGetTextDatum(res->mode);
			v[6] = Int64GetDatum(res->rows_read);
			v[7] = Int64GetDatum(res->rows_written);
			v[8] = CStringGetTextDatum(res->status);
			n[6] = n[7] = res->counts_null;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
		}
		MemoryContextSwitchTo(old);
	}
	hz_unpin_gucs(nest);
	SPI_finish();
	return (Datum) 0;
}

/* _apply_merge() RETURNS bigint */
Datum
harmonize_apply_merge(PG_FUNCTION_ARGS)
{
	int64		n;
	int			nest;

	SPI_connect();
	nest = hz_pin_gucs();
	Exec("LOCK TABLE mixmodel.harmonized_source IN EXCLUSIVE MODE", NULL, SPI_OK_UTILITY);
	Exec("SELECT mixmodel._sync_columns()", NULL, SPI_OK_SELECT);
	n = ApplyMerge();
	hz_unpin_gucs(nest);
	SPI_finish();
	PG_RETURN_INT64(n);
}
