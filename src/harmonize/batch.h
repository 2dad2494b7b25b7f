/*
 * batch.h: rows buffered as column arrays and inserted with one unnest() per
 * batch, so a generator writes millions of rows with bounded memory.
 */
#ifndef MM_HARMONIZE_BATCH_H
#define MM_HARMONIZE_BATCH_H

#include "postgres.h"

#include "executor/spi.h"

#define BATCH_ROWS 50000

typedef struct Batch
{
	int			ncols;
	Oid		   *elem;
	int16	   *typlen;
	bool	   *byval;
	char	   *align;
	Datum	  **values;
	bool	  **nulls;
	int			n;
	int64		total;
	SPIPlanPtr	plan;
	MemoryContext flushcxt;
} Batch;

/* Prepare the INSERT of ncols columns of the given element types into qualified_table. */
extern void batch_init(Batch *b, const char *qualified_table, int ncols, const Oid *elem);
/* Insert the buffered rows. */
extern void batch_flush(Batch *b);
/* The current row is complete; flushes when the buffer is full. */
extern void batch_next(Batch *b);

/* Set column j of the current row; batch_next() moves on. */
#define B_SET(b, j, d) ((b)->values[j][(b)->n] = (d))
#define B_NULL(b, j) ((b)->nulls[j][(b)->n] = true, (b)->values[j][(b)->n] = (Datum) 0)

#endif
