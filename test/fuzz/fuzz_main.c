/*
 * fuzz_main.c: long random-input run of the transform core, for test/fuzz/run
 * (built with AddressSanitizer and UndefinedBehaviorSanitizer).
 *   fuzz_main [cases [seed [extreme]]]     extreme: 1 widens the saturation draws
 */
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "fuzz_transform.h"

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 1000000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	bool		extreme = argc > 3 && atoi(argv[3]) != 0;
	FuzzResult	res;

	gsl_set_error_handler_off();
	fuzz_verbose = getenv("FUZZ_VERBOSE") != NULL;
	fuzz_transform(seed, cases, extreme, &res);
	printf("fuzz: seed %lu%s, %ld cases, %ld failures\n",
		   seed, extreme ? " (extreme)" : "", res.cases, res.failures);
	if (res.failures > 0)
		printf("fuzz: first failure: %s\n", res.first);
	return res.failures > 0;
}
