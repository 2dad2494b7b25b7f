/*
 * rng.h: seeded GSL random number generators owned by a memory context.
 */
#ifndef MM_RNG_H
#define MM_RNG_H

#include "postgres.h"

#include <gsl/gsl_rng.h>

/*
 * A gsl_rng_mt19937 seeded with "seed", freed when CurrentMemoryContext is
 * reset or deleted (also on error), so callers never leak GSL's malloc.
 */
extern gsl_rng *mm_rng_create(unsigned long seed);

#endif
