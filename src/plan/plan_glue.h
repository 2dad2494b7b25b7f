/*
 * plan_glue.h: glue shared by the plan functions: the solver workspace and
 * the errors that name a violated constraint.
 */
#ifndef MM_PLAN_GLUE_H
#define MM_PLAN_GLUE_H

#include "math/plan.h"

/*
 * A plan workspace for C channels in CurrentMemoryContext; its GSL root
 * solvers are freed when the context is reset or deleted (also on error).
 */
extern void mm_plan_workspace_init(MMPlanWorkspace *ws, int C);

/*
 * Raise the error for a failed plan solve.  For MM_EINFEASIBLE the message
 * names the constraint from res (channel names may be NULL: channels are
 * then numbered from 1; flight may be NULL).
 */
extern void mm_plan_check(MMStatus status, const MMPlanResult *res, double budget,
						  const char *const *channel_names, const char *flight);

#endif
