/*
 * test_fuzz.c: the transform core on random inputs from a fixed seed, with the
 * engine test/fuzz/run uses for long sanitizer runs.
 */
#include "unit.h"

#include "../fuzz/fuzz_transform.h"

void
test_fuzz(void)
{
	FuzzResult	res;

	fuzz_transform(20261123, 20000, false, &res);
	UNIT_OK(res.failures == 0, "fuzz: %ld random adstock and saturation cases (seed 20261123) keep every property",
			res.cases);
	if (res.failures > 0)
		printf("#   %ld failures; first: %s\n", res.failures, res.first);
}
