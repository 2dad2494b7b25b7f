/*
 * arms.c: the experiment stage's shared glue: per-arm arrays with their
 * checks, test levels, and the quadrature workspace.
 */
#include "postgres.h"

#include <math.h>

#include "common/arrays.h"
#include "common/errors.h"
#include "experiment/experiment.h"

static void
check_arm_count(int n, int min_arms)
{
	if (n < min_arms)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an experiment needs at least two arms"),
				 errdetail("Got %d.", n),
				 errhint("Arm 1 is the control; give it and at least one treatment.")));
	if (n > MM_EXP_MAX_ARMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many arms"),
				 errdetail("Got %d; the limit is %d.", n, MM_EXP_MAX_ARMS)));
}

static void
check_same_length(const char *a, int na, const char *b, int nb)
{
	if (na != nb)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("arrays \"%s\" and \"%s\" must have the same length", a, b),
				 errdetail("\"%s\" has %d elements, \"%s\" has %d.", a, na, b, nb)));
}

static void
check_units(const float8 *u, int K, const char *what)
{
	for (int k = 0; k < K; k++)
		if (u[k] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("arm %d has no %s", k + 1, what),
					 errhint("Leave out arms that were never assigned, or check the assignment data.")));
}

int
mm_exp_counts(ArrayType *units, ArrayType *conversions, int min_arms, float8 **u, float8 **c)
{
	int			nu,
				nc;

	*u = mm_float8_array_values(units, "units", MM_ARR_NONNEG, &nu);
	*c = mm_float8_array_values(conversions, "conversions", MM_ARR_NONNEG, &nc);
	check_same_length("units", nu, "conversions", nc);
	check_arm_count(nu, min_arms);
	check_units(*u, nu, "units");
	for (int k = 0; k < nu; k++)
		if ((*c)[k] > (*u)[k])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("arm %d has more conversions than units", k + 1),
					 errdetail("%g conversions, %g units.", (*c)[k], (*u)[k]),
					 errhint("A conversion counts a unit that converted (at most one per unit).")));
	return nu;
}

int
mm_exp_means(ArrayType *n, ArrayType *mean, ArrayType *sd, int min_arms,
			 float8 **pn, float8 **pm, float8 **ps)
{
	int			nn,
				nm,
				ns;

	*pn = mm_float8_array_values(n, "n", MM_ARR_NONNEG, &nn);
	*pm = mm_float8_array_values(mean, "mean", 0, &nm);
	*ps = mm_float8_array_values(sd, "sd", MM_ARR_NONNEG, &ns);
	check_same_length("n", nn, "mean", nm);
	check_same_length("n", nn, "sd", ns);
	check_arm_count(nn, min_arms);
	check_units(*pn, nn, "units (n = 0)");
	return nn;
}

void
mm_exp_check_level(float8 alpha, float8 rho2)
{
	mm_check_range(alpha, "alpha", 0.0, false, 1.0, false);
	mm_check_range(rho2, "rho2", 0.0, false, INFINITY, false);
}

static void
workspace_free(void *arg)
{
	gsl_integration_workspace_free((gsl_integration_workspace *) arg);
}

gsl_integration_workspace *
mm_exp_workspace(void)
{
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(MM_BAYES_LIMIT);

	if (w == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not allocate a quadrature workspace.")));
	cb->func = workspace_free;
	cb->arg = w;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return w;
}

void
mm_exp_beta_best(int K, const float8 *u, const float8 *c, double prior_a, double prior_b,
				 double *p_best, double *loss)
{
	double	   *a = palloc(sizeof(double) * K),
			   *b = palloc(sizeof(double) * K);

	for (int k = 0; k < K; k++)
	{
		a[k] = prior_a + c[k];
		b[k] = prior_b + u[k] - c[k];
	}
	mixmodel_check_core(mm_beta_best(K, a, b, mm_exp_workspace(), mixmodel_interrupt_check,
									 p_best, loss), "probability to be best");
}
