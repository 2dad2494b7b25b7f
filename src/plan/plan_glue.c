/*
 * plan_glue.c: solver workspace and constraint errors shared by the plan
 * functions.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_roots.h>

#include "common/errors.h"
#include "plan/plan_glue.h"

static void
solver_free(void *arg)
{
	gsl_root_fsolver_free((gsl_root_fsolver *) arg);
}

static gsl_root_fsolver *
solver_create(void)
{
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);

	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not allocate a root solver.")));
	cb->func = solver_free;
	cb->arg = s;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return s;
}

void
mm_plan_workspace_init(MMPlanWorkspace *ws, int C)
{
	ws->grid = MM_PLAN_DEFAULT_GRID;
	ws->dwork = palloc(sizeof(double) * mm_plan_workspace_doubles(C, ws->grid));
	ws->iwork = palloc(sizeof(int) * mm_plan_workspace_ints(C, ws->grid));
	ws->goal = solver_create();
	ws->outer = solver_create();
	ws->inner = solver_create();
	ws->interrupt = mixmodel_interrupt_check;
}

static const char *
channel_label(const char *const *names, int c)
{
	return names ? names[c] : psprintf("%d", c + 1);
}

void
mm_plan_check(MMStatus status, const MMPlanResult *res, double budget,
			  const char *const *names, const char *flight)
{
	const char *in = flight ? psprintf(" in flight \"%s\"", flight) : "";

	if (status != MM_EINFEASIBLE)
	{
		mixmodel_check_core(status, "the budget allocation");
		return;
	}
	switch (res->conflict)
	{
		case MM_PLAN_BAD_BOUND:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("channel \"%s\" has a maximum below its minimum%s",
							channel_label(names, res->conflict_channel), in),
					 errhint("Give every channel 0 <= min <= max.")));
			break;
		case MM_PLAN_MINS_ABOVE_BUDGET:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("channel minimums exceed the budget%s", in),
					 errdetail("The minimums sum to %g; the budget is %g.",
							   res->sum_lower, budget),
					 errhint("Lower the channel minimums or raise the budget.")));
			break;
		case MM_PLAN_BUDGET_ABOVE_MAXS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("budget exceeds the sum of channel maximums%s", in),
					 errdetail("The maximums sum to %g; the budget is %g.",
							   res->sum_upper, budget),
					 errhint("Raise the channel maximums or lower the budget.")));
			break;
		case MM_PLAN_NO_BUDGET:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target needs spend but the maximum budget is 0%s", in)));
			break;
		case MM_PLAN_CAP_BELOW_BUDGETS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("flight budgets exceed the maximum total budget"),
					 errdetail("The flight budgets sum to %g; the maximum is %g.",
							   res->sum_lower, budget)));
			break;
		case MM_PLAN_NO_CONFLICT:
			mixmodel_check_core(status, "the budget allocation");
			break;
	}
}
