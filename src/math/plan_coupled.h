/*
 * plan_coupled.h: budget plans for multiplicative models (formulas.md §2.2,
 * §5.3), where channels interact and the objective is not separable.
 *
 * The horizon (plan_flight.h) gives each paid channel's terms in log-KPI
 * units: g_{c,t} = sum_{terms j of c} coef_j sat((carry_jt + a_jt) / scale_j),
 * a_jt the adstock of the plan's weekly spend.  With B_t > 0 the level of
 * week t with the paid channels off, the forecast is
 *
 *     yhat_t = B_t exp(G_t),   G_t = sum_c g_{c,t},
 *
 * and a budget plan maximises V = sum_t yhat_t over the flights and the lag
 * tail, with each flight's budget spent exactly and l_ck <= s_ck <= u_ck on
 * channel c's total in flight k.  The weekly spend follows h->pattern within
 * each flight (flat when NULL): the unknowns are the C x K flight totals.
 *
 * Method (deterministic): from several feasible starts (the caller's split,
 * usually historical; the equal split; one start per channel that gives it
 * as much as its bound allows; n_random seeded random splits), each start
 * projected onto the feasible set, ascend by maximal-violating-pair
 * exchanges: in the flight with the largest gap, move spend from the channel
 * of lowest dV/ds that may shrink to the one of highest that may grow, by an
 * exact line search (Brent on the directional derivative).  Keep the best
 * end point.  The coupled KKT conditions (dV/ds_ck = lambda_k for channels
 * not at a bound, <= at the lower and >= at the upper bound) are the
 * stopping test and the reported residual.
 *
 * Certificates of the best point:
 *   kkt_residual       largest relative violation of the KKT conditions;
 *   hessian_max        largest eigenvalue of the Hessian of V restricted to
 *                      the feasible face (free channels, flight sums fixed),
 *                      relative to the largest in magnitude (LAPACKE_dsyev);
 *                      <= 0 means a strict local maximum (second order);
 *   concave_box        a sufficient condition for V to be concave on the
 *                      whole feasible box, hence the point a global optimum:
 *                      every week's exp(G_t) is concave over the range of
 *                      adstocked inputs the bounds allow, i.e.
 *                      sum_j coef_j s_j'(v)^2 / (-s_j''(v)) <= 1 (s_j'' < 0)
 *                      at the worst point of each term's range, searched on
 *                      a grid of MM_COUPLED_BOX_GRID points (exact for the
 *                      monotone ratios of power, Michaelis-Menten, log1p);
 *   starts, starts_agreed  how many starts reached the best value
 *                      (relative 1e-8); starts_capped how many stopped at the
 *                      exchange cap (MM_COUPLED_MAX_EXCHANGES) before the KKT
 *                      test; start_spread the worst start's shortfall.
 * s'' is a numerical derivative of s' (gsl_deriv_central).
 */
#ifndef MM_PLAN_COUPLED_H
#define MM_PLAN_COUPLED_H

#include <stdbool.h>

#include <gsl/gsl_rng.h>

#include "math/plan_flight.h"

#define MM_COUPLED_BOX_GRID	65
#define MM_COUPLED_MAX_EXCHANGES 20000	/* per start */
#define MM_COUPLED_RATIO_GRID 48	/* ratio goals: budgets scanned per flight */
#define MM_COUPLED_RATIO_LOW 1e-4	/* ... geometric from this share of the cap */

typedef struct MMPlanCoupledResult
{
	double		value;			/* sum_t yhat_t minus its value with no spend in the horizon */
	double		kkt_residual;
	double		hessian_max;	/* relative; NaN when no direction is free */
	bool		concave_at_solution;	/* hessian_max <= 1e-8 (or no free direction) */
	bool		concave_box;	/* global optimum certified */
	int			starts;
	int			starts_agreed;
	int			starts_capped;	/* starts stopped by the exchange cap, not the KKT test */
	double		start_spread;	/* (best - worst start's value) / best increment */
	long		exchanges;		/* pair exchanges, all starts */
	int			flight;			/* with MM_EINFEASIBLE: the flight, else -1 */
	MMPlanResult plan;			/* with MM_EINFEASIBLE: the conflict */
} MMPlanCoupledResult;

/* doubles needed in dwork of mm_plan_coupled_budget */
extern long mm_plan_coupled_doubles(const MMPlanHorizon *h);

/*
 * Budget mode.  base[H] > 0; start_share[C] (may be NULL) the first start's
 * split; rng (may be NULL: no random starts) draws n_random starts.
 * ws->outer and ws->inner are the Brent solvers used; ws->interrupt is called
 * every 256 exchanges.  x[C*H] receives the weekly spend, s[C*K] the flight
 * totals, lambda[K] each flight's multiplier (NaN when no channel is free).
 */
extern MMStatus mm_plan_coupled_budget(const MMPlanHorizon *h, const double *base,
									   const double *start_share, gsl_rng *rng, int n_random,
									   MMPlanWorkspace *ws, double *dwork, double *x,
									   double *s, double *lambda, MMPlanCoupledResult *res);

/*
 * Goals (formulas §5.2 per flight), flights in time order, each flight's
 * increment counted over what the earlier flights' spend gives (later
 * flights empty), each budget solved by the budget mode with the earlier
 * flights pinned.  Budgets lie in [sum_c l_ck, min(sum_c u_ck, max_total -
 * spent)] (max_total may be +inf, but the range must be finite).
 *   MM_GOAL_VOLUME: the least budget whose optimal plan adds at least
 *     target[k], found by Brent (ws->goal) on the budget.
 *   MM_GOAL_RATIO: the largest budget B whose optimal plan has increment / B
 *     >= target[k] > 0 (ROI r is (1 + r) per revenue unit, CPA c is 1 / c).
 *     The ratio need not be monotone in B for these models: MM_COUPLED_RATIO_GRID
 *     budgets, geometric from the lower bound sum (or MM_COUPLED_RATIO_LOW
 *     times the cap when that is 0) to the cap, are scanned from the top;
 *     the first meeting the target is refined towards the next grid budget
 *     up by Brent on the ratio (the largest budget evaluated that meets it).
 *     None meeting: the grid budget of the best ratio, not achievable.
 *     Limit: a feasible budget between grid points above the largest
 *     feasible grid budget can be missed.
 * h->budget is not used; hwork holds mm_plan_coupled_goal_doubles(h)
 * doubles.  Outputs per flight: budget_out, achievable, best (the increment
 * at the budget, or for a ratio increment / budget), lambda; x and s the
 * whole plan; res the certificate of the last solve, with the worst KKT
 * residual over the flights and the fewest agreeing starts.
 */
extern long mm_plan_coupled_goal_doubles(const MMPlanHorizon *h);

extern MMStatus mm_plan_coupled_goal(const MMPlanHorizon *h, const double *base,
									 const double *start_share, gsl_rng *rng, int n_random,
									 MMPlanWorkspace *ws, double *dwork, double *hwork,
									 MMPlanGoal goal, const double *target, double max_total,
									 double *budget_out, bool *achievable, double *best,
									 double *x, double *s, double *lambda,
									 MMPlanCoupledResult *res);

/*
 * Base level B_t of the horizon's weeks from the fit (the "same week last
 * year" projection of the additive planner): fitted[0..R-1] are the model's
 * predictions of the last R data weeks, which are history periods
 * n_hist - gap - R .. n_hist - gap - 1 of history[C * n_hist] (the paid
 * spend, oldest first, the gap weeks between data and plan last); horizon
 * week t is history period n_hist + t.  ref[r] = fitted[r] exp(-sum_c g_c)
 * removes the paid channels from week r; B_t is the ref of the latest week
 * 52 k weeks before t, or the mean of ref when R < 52 leaves none.
 * MM_EDOM for a non-positive or non-finite prediction.
 */
extern MMStatus mm_plan_coupled_base(const MMPlanHorizon *h, const double *history,
									 int n_hist, int gap, const double *fitted, int R,
									 double *ref, double *base);

/*
 * Forecast of weekly spend x: yhat[H] (may be NULL) the forecast, total[C*H]
 * each channel's log_share part L(yhat_t, B_t) g_{c,t} (the parts and B_t sum
 * to yhat_t), incr[C*H] its part of the increment over no spend in the
 * horizon, L(yhat_t, yhat0_t) (g_{c,t} - g0_{c,t}).  incr and total are
 * required.  Returns sum_t (yhat_t - yhat0_t).
 */
extern double mm_plan_coupled_response(const MMPlanHorizon *h, const double *base,
									   const double *x, double *incr, double *total,
									   double *yhat);

/*
 * d sum_t yhat_t / d x_{c,t}: out[C*H] given x; buf holds 2 H doubles.
 */
extern void mm_plan_coupled_marginals(const MMPlanHorizon *h, const double *base,
									  const double *x, double *buf, double *out);

#endif
