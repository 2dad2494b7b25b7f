/*
 * plan_args.h: the arguments and results that mixmodel._plan_core and
 * mixmodel._plan_core_mult share (create_plan passes both the same leading
 * arguments: the fitted curves, their history, the periods, the flights and
 * their budgets and bounds, the spend pattern).
 */
#ifndef MM_PLAN_ARGS_H
#define MM_PLAN_ARGS_H

#include "postgres.h"
#include "fmgr.h"

#include "common/arrays.h"
#include "math/mmm.h"
#include "math/plan_flight.h"


/* Elements of a one-dimensional array argument i (no NULL argument or element). */
extern Datum *mm_plan_arg_elements(FunctionCallInfo fcinfo, int i, const char *name, Oid type, int *n);

/*
 * float8[] argument i of want elements (-1: any), checked as
 * mm_float8_array_values checks (flags MM_ARR_NONNEG, MM_ARR_POS_INF).
 */
extern double *mm_plan_arg_float8(FunctionCallInfo fcinfo, int i, const char *name, long want, int flags);

/*
 * The fitted curves of arguments 0-9 (adstock text[], adstock_p1, adstock_p2,
 * max_lag int4[], normalize bool[], saturation text[], sat_p1, sat_p2,
 * input_scale, coef) as *T specs; *max_lags is the most lag weights one needs.
 */
extern MMChannelSpec *mm_plan_arg_specs(FunctionCallInfo fcinfo, int *T, int *max_lags);

/* Argument 10, history: T equally long runs of non-negative spend; *n_hist each. */
extern double *mm_plan_arg_history(FunctionCallInfo fcinfo, int T, int *n_hist);

/*
 * Argument 11, periods P (1 .. 10000, returned), and 12-13, the flights
 * [from, to) in time order inside the plan: *K of them.
 */
extern int	mm_plan_arg_flights(FunctionCallInfo fcinfo, int *K, int **from, int **to);

/*
 * Weeks of the plan with the lag tail after it (P + max_lags - 1); error
 * 54000 when T response terms over them pass max_cells term-weeks.
 */
extern int	mm_plan_horizon_weeks(int P, int max_lags, int T, long max_cells);

/* Argument 17, the pattern (C x P), padded with zeros to C x H; NULL when NULL. */
extern double *mm_plan_arg_pattern(FunctionCallInfo fcinfo, int C, int P, int H);

/* Each flight's weeks equally weighted (C x H, zeros on the lag tail). */
extern double *mm_plan_flat_pattern(int C, int H, int K, const int *from, const int *to);

/* One planning term per spec with objective weight weight[j] (NULL: 1). */
extern MMPlanTerm *mm_plan_terms(const MMChannelSpec *specs, const double *weight, int T,
								 const double *hist, int n_hist, int H);

/*
 * Result columns 0-10 of both functions: horizon, x, incr, total, marginal
 * (C x H), flight_marginal (C x K), lambda (K; non-finite reported as 0),
 * kkt_residual (NULL when NaN), and goal_budget, achievable, best (K; NULL
 * when goal_budget is NULL).
 */
extern void mm_plan_result_values(Datum *values, bool *nulls, int C, int H, int K,
								  const double *x, const double *incr, const double *total,
								  const double *margs, const double *fmarg, double *lambda,
								  double kkt_residual, const double *goal_budget,
								  const bool *achievable, const double *best);

#endif
