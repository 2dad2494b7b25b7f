/*
 * main.c: runs every core unit suite and prints TAP.
 */
#include <gsl/gsl_errno.h>

#include "unit.h"

int			unit_count = 0;
int			unit_failed = 0;

int
main(void)
{
	gsl_set_error_handler_off();

	test_status();
	test_plan();
	test_plan_flight();
	test_plan_scurve();
	test_plan_coupled();
	test_plan_model();
	test_adstock();
	test_fuzz();
	test_formula();
	test_saturation();
	test_generate();
	test_ridge();
	test_search();
	test_pareto();
	test_decompose();
	test_response();
	test_attribution();
	test_exact_sum();
	test_posterior();
	test_drift();
	test_experiment();
	test_svg();
	test_suffstats();
	test_geo();

	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}
