/*
 * fuzz_main.c: long random-input run of the transform core, for test/fuzz/run
 * (built with AddressSanitizer and UndefinedBehaviorSanitizer).
 *   fuzz_main [cases [seed]]
 */
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "fuzz_transform.h"

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 1000000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	FuzzResult	res;

	gsl_set_error_handler_off();
	fuzz_transform(seed, cases, &res);
	printf("fuzz: seed %lu, %ld cases, %ld interrupt callbacks, %ld failures\n",
		   seed, res.cases, res.interrupts, res.failures);
	if (res.failures > 0)
		printf("fuzz: first failure: %s\n", res.first);
	return res.failures > 0;
}
