/*
 * batch.c: rows buffered as column arrays and inserted with one unnest() per
 * batch (the generator's tables; see batch.h).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "harmonize/batch.h"

static const char *
array_type_name(Oid elem)
{
	switch (elem)
	{
		case DATEOID:
			return "pg_catalog.date[]";
		case TEXTOID:
			return "pg_catalog.text[]";
		case FLOAT8OID:
			return "pg_catalog.float8[]";
		case INT8OID:
			return "pg_catalog.int8[]";
		case INT4OID:
			return "pg_catalog.int4[]";
		case BOOLOID:
			return "pg_catalog.bool[]";
		case TIMESTAMPTZOID:
			return "pg_catalog.timestamptz[]";
	}
	elog(ERROR, "generate: unexpected column type %u", elem);
	return NULL;
}

void
batch_init(Batch *b, const char *qualified_table, int ncols, const Oid *elem)
{
	StringInfoData sql;
	Oid		   *argtypes = palloc(sizeof(Oid) * ncols);

	b->ncols = ncols;
	b->elem = palloc(sizeof(Oid) * ncols);
	b->typlen = palloc(sizeof(int16) * ncols);
	b->byval = palloc(sizeof(bool) * ncols);
	b->align = palloc(sizeof(char) * ncols);
	b->values = palloc(sizeof(Datum *) * ncols);
	b->nulls = palloc(sizeof(bool *) * ncols);
	initStringInfo(&sql);
	/* multi-argument unnest() is parser sugar for ROWS FROM, spelled out to qualify it */
	appendStringInfo(&sql, "INSERT INTO %s SELECT * FROM ROWS FROM (", qualified_table);
	for (int j = 0; j < ncols; j++)
	{
		b->elem[j] = elem[j];
		get_typlenbyvalalign(elem[j], &b->typlen[j], &b->byval[j], &b->align[j]);
		b->values[j] = palloc(sizeof(Datum) * BATCH_ROWS);
		b->nulls[j] = palloc0(sizeof(bool) * BATCH_ROWS);
		argtypes[j] = get_array_type(elem[j]);
		appendStringInfo(&sql, "%spg_catalog.unnest($%d::%s)", j ? ", " : "", j + 1,
						 array_type_name(elem[j]));
	}
	appendStringInfoChar(&sql, ')');
	b->plan = SPI_prepare(sql.data, ncols, argtypes);
	if (b->plan == NULL)
		elog(ERROR, "generate: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	b->n = 0;
	b->total = 0;
	b->flushcxt = AllocSetContextCreate(CurrentMemoryContext, "mixmodel generate batch",
										ALLOCSET_DEFAULT_SIZES);
}

void
batch_flush(Batch *b)
{
	MemoryContext old;
	Datum	   *args;
	int			dims[1] = {b->n};
	int			lbs[1] = {1};
	int			rc;

	if (b->n == 0)
		return;
	old = MemoryContextSwitchTo(b->flushcxt);
	args = palloc(sizeof(Datum) * b->ncols);
	for (int j = 0; j < b->ncols; j++)
		args[j] = PointerGetDatum(construct_md_array(b->values[j], b->nulls[j], 1, dims, lbs,
													 b->elem[j], b->typlen[j], b->byval[j],
													 b->align[j]));
	MemoryContextSwitchTo(old);
	rc = SPI_execute_plan(b->plan, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "generate: insert failed: %s", SPI_result_code_string(rc));
	b->total += SPI_processed;
	b->n = 0;
	for (int j = 0; j < b->ncols; j++)
		memset(b->nulls[j], 0, sizeof(bool) * BATCH_ROWS);
	MemoryContextReset(b->flushcxt);
	CHECK_FOR_INTERRUPTS();
}

void
batch_next(Batch *b)
{
	if (++b->n == BATCH_ROWS)
		batch_flush(b);
}

