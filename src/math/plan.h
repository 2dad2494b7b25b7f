/*
 * plan.h: budget allocation over channel response curves (formulas.md §5).
 *
 * The planner sees each channel only through its response curve R_c(s) and
 * marginal return R_c'(s) over the plan horizon (formulas §4.2, §4.3), given
 * as a callback, so it serves every model form and curve family.  Budget mode
 * maximises sum_c R_c(s_c) with sum_c s_c = B and l_c <= s_c <= u_c (§5.1);
 * goal mode finds the least budget meeting a volume target or the largest
 * budget meeting an efficiency target (§5.2).
 *
 * Methods:
 *   concave curves (every family except Hill alpha > 1): bisection-type root
 *     search (GSL Brent) on the budget multiplier lambda, each channel's
 *     R_c' inverted by Brent on [l_c, u_c]; exact to root tolerance.  The
 *     final split interpolates between the bracket ends, which spreads any
 *     flat stretch of R_c' in proportion to each channel's room and makes
 *     sum s_c = B exactly.
 *   any non-concave curve: exact dynamic programme on a spend grid
 *     (multiple-choice knapsack, O(C G^2)), then a KKT polish of the funded
 *     channels on their decreasing-marginal branch; the polish is kept only
 *     when it does not lower the grid optimum.
 *
 * Plain C: the caller passes every buffer and the two GSL root solvers.
 */
#ifndef MM_PLAN_H
#define MM_PLAN_H

#include <stdbool.h>

#include <gsl/gsl_roots.h>

#include "math/mm_status.h"

/*
 * A channel's response over the horizon: returns R(s) and stores R'(s) in
 * *deriv when deriv is not NULL.  R must be finite for s >= 0; R'(0) may be
 * +inf (power curves).
 */
typedef double (*MMResponseFn) (const void *arg, double s, double *deriv);

/* R'(s) alone, when cheaper than the value (optional). */
typedef double (*MMMarginalFn) (const void *arg, double s);

typedef struct MMPlanCurve
{
	MMResponseFn fn;
	MMMarginalFn dfn;			/* NULL: fn gives the derivative */
	const void *arg;
	bool		concave;		/* caller asserts R' non-increasing on [l, u] */
} MMPlanCurve;

/* Which constraint made a problem infeasible (MM_EINFEASIBLE). */
typedef enum MMPlanConflict
{
	MM_PLAN_NO_CONFLICT = 0,
	MM_PLAN_BAD_BOUND,			/* channel: lower < 0, not finite, or upper < lower */
	MM_PLAN_MINS_ABOVE_BUDGET,	/* sum of lower bounds > budget */
	MM_PLAN_BUDGET_ABOVE_MAXS,	/* budget > sum of upper bounds */
	MM_PLAN_NO_BUDGET,			/* a target needs spend but the budget cap is 0 */
	MM_PLAN_CAP_BELOW_BUDGETS	/* flights: sum of flight budgets > max total budget */
} MMPlanConflict;

/* Method used by a solve, reported with the result. */
typedef enum MMPlanMethod
{
	MM_PLAN_BOUNDS,				/* budget equals sum of lowers or of uppers */
	MM_PLAN_KKT,				/* concave: exact lambda search */
	MM_PLAN_GRID_POLISHED,		/* non-concave: grid DP, then KKT polish */
	MM_PLAN_GRID				/* non-concave: grid DP (polish did not improve) */
} MMPlanMethod;

typedef struct MMPlanResult
{
	MMPlanMethod method;
	double		value;			/* sum_c R_c(s_c) */
	double		lambda;			/* budget multiplier dV/dB (NaN when undefined) */
	double		kkt_residual;	/* max relative violation of the KKT conditions */
	int			iterations;		/* outer root-search iterations */
	MMPlanConflict conflict;	/* set with MM_EINFEASIBLE */
	int			conflict_channel;	/* for MM_PLAN_BAD_BOUND, else -1 */
	double		sum_lower;		/* for the glue's errdetail */
	double		sum_upper;
} MMPlanResult;

/*
 * Workspace.  goal, outer and inner are three Brent solvers from
 * gsl_root_fsolver_alloc(gsl_root_fsolver_brent) (the glue frees them);
 * dwork holds mm_plan_workspace_doubles(C, grid) doubles and iwork
 * mm_plan_workspace_ints(C, grid) ints.  grid is the DP step count
 * (0 picks MM_PLAN_DEFAULT_GRID).
 */
#define MM_PLAN_DEFAULT_GRID 1000

typedef struct MMPlanWorkspace
{
	gsl_root_fsolver *goal;		/* goal mode: budget search */
	gsl_root_fsolver *outer;	/* lambda search */
	gsl_root_fsolver *inner;	/* inversion of R_c' */
	double	   *dwork;
	int		   *iwork;
	int			grid;
	MMInterruptFn interrupt;	/* may be NULL */
} MMPlanWorkspace;

extern long mm_plan_workspace_doubles(int C, int grid);
extern long mm_plan_workspace_ints(int C, int grid);

/*
 * Budget mode.  spend[C] receives the allocation, marginal[C] (may be NULL)
 * each R_c'(s_c).  MM_EINFEASIBLE with res->conflict set when the bounds
 * cannot hold; MM_EDOM for a non-finite or negative budget.
 */
extern MMStatus mm_plan_budget(const MMPlanCurve *curves, const double *lower,
							   const double *upper, int C, double budget,
							   MMPlanWorkspace *ws, double *spend,
							   double *marginal, MMPlanResult *res);

/* Goal mode (§5.2). */
typedef enum MMPlanGoal
{
	MM_GOAL_VOLUME,				/* sum R >= target (conversions or revenue) */
	MM_GOAL_RATIO				/* sum R / budget >= target (ROAS; CPA k is 1/k, ROI r is 1+r) */
} MMPlanGoal;

typedef struct MMPlanGoalResult
{
	bool		achievable;
	double		budget;			/* least budget (volume) or largest budget (ratio) */
	double		achieved;		/* volume or ratio at that budget */
	double		best;			/* best reachable volume or ratio when not achievable */
	MMPlanResult plan;			/* the budget-mode solve at "budget" */
} MMPlanGoalResult;

/*
 * Goal mode over budgets in [sum l_c, max_budget] (max_budget may be +inf:
 * then sum u_c).  The allocation at the returned budget goes to spend[C];
 * when the target is not achievable it is the allocation reaching "best".
 */
extern MMStatus mm_plan_goal(const MMPlanCurve *curves, const double *lower,
							 const double *upper, int C, MMPlanGoal goal,
							 double target, double max_budget,
							 MMPlanWorkspace *ws, double *spend,
							 double *marginal, MMPlanGoalResult *res);

/*
 * KKT residual of an allocation at multiplier lambda: the largest of
 * |R'-lambda| (interior), max(0, R'-lambda) (at lower), max(0, lambda-R')
 * (at upper), divided by lambda (by 1 when lambda is 0).
 */
extern double mm_plan_kkt_residual(const MMPlanCurve *curves, const double *lower,
								   const double *upper, int C,
								   const double *spend, double lambda);

#endif
