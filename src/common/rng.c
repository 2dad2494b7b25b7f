/*
 * rng.c: seeded GSL random number generators owned by a memory context.
 */
#include "postgres.h"

#include <gsl/gsl_rng.h>

#include "common/rng.h"

static void
rng_free(void *arg)
{
	gsl_rng_free((gsl_rng *) arg);
}

gsl_rng *
mm_rng_create(unsigned long seed)
{
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (r == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not allocate a random number generator.")));
	cb->func = rng_free;
	cb->arg = r;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	gsl_rng_set(r, seed);
	return r;
}
