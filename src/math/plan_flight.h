/*
 * plan_flight.h: plans over time (formulas.md §5.3): flights, carry-over
 * across flight boundaries, several weighted conversions, and the weekly
 * spend within a flight.
 *
 * The horizon is periods 0..H-1: every flight plus the max_lag periods after
 * the last one, so that carry-over of late spend is counted.  Each channel
 * has one or more response terms (one per conversion model, weighted):
 *
 *   F_c(x_c) = sum_terms coef * sum_t sat((carry_t + sum_l w_l x_{c,t-l}) / scale)
 *
 * where carry_t is the adstocked input already present from spend before the
 * horizon.  The objective sum_c F_c is concave in the weekly spend x when
 * every saturation is concave (adstock is linear).
 *
 * Spend pattern within a flight:
 *   pattern (reference period): x_{c,t} = s_{c,k} pi_{c,t}, one scalar per
 *     channel per flight.  Flights are solved by block coordinate ascent:
 *     each flight in turn is an exact separable budget problem (plan.h) over
 *     curves that hold the other flights' spend fixed, so spend in early
 *     flights is credited with the weeks it helps later.  For concave
 *     objectives the blocks' constraints are separable and each block optimum
 *     is unique, so the sweep converges to the global optimum.
 *   automatic: every week of a flight is its own unit.  Starting from the
 *     flat-pattern optimum, the flight is solved by maximal-violating-pair
 *     exchanges (SMO): move spend from the unit with the lowest marginal
 *     return that may shrink to the one with the highest that may grow,
 *     by an exact line search (Brent on the directional derivative).  The
 *     KKT gap (highest minus lowest marginal among movable units, relative)
 *     is the certificate; channel-per-flight bounds are kept throughout.
 *     With S-curves (non-concave terms) a root of the directional derivative
 *     may be a local minimum along the line, so each exchange of such a pair
 *     is checked by its exact change of the objective and halved until that
 *     is positive: the exchanges only ascend from the flat-pattern (grid)
 *     optimum, which the result therefore never falls below.
 */
#ifndef MM_PLAN_FLIGHT_H
#define MM_PLAN_FLIGHT_H

#include <stdbool.h>

#include "math/plan.h"

/* Saturation s(u) and s'(u) (into *deriv when not NULL), u >= 0. */
typedef double (*MMSatFn) (const void *arg, double u, double *deriv);

/* s'(u) alone, when cheaper than value and derivative (optional). */
typedef double (*MMSatDerivFn) (const void *arg, double u);

typedef struct MMPlanTerm
{
	MMSatFn		sat;
	MMSatDerivFn sat_deriv;		/* may be NULL */
	const void *sat_arg;
	bool		concave;		/* s' non-increasing */
	const double *w;			/* lag weights w[0..L-1] */
	int			L;
	const double *carry;		/* H values, or NULL for none */
	double		scale;			/* > 0 */
	double		coef;			/* conversion weight * channel coefficient */
} MMPlanTerm;

typedef struct MMPlanHorizon
{
	int			H;				/* periods, flights + max_lag */
	int			C;				/* channels */
	const int  *term_start;		/* C + 1: channel c owns terms[term_start[c] .. term_start[c+1]) */
	const MMPlanTerm *terms;
	int			K;				/* flights, in time order, not overlapping */
	const int  *flight_from;	/* K: first period */
	const int  *flight_to;		/* K: one past the last period */
	const double *budget;		/* K */
	const double *lower;		/* C * K, [c * K + k]: channel total in flight k */
	const double *upper;		/* C * K; may be +inf */
	const double *pattern;		/* C * H weights within each flight, or NULL = automatic */
} MMPlanHorizon;

/* Per-flight solve for the flight curves (internal, but sized by the caller). */
typedef struct MMPlanFlightCurve
{
	const MMPlanHorizon *h;
	int			c;
	int			k;
	const double *base;			/* per term: adstocked input without this block, H each */
	const double *g;			/* per term: adstocked unit pattern of this block, H each */
	int			t0;				/* periods the block reaches: [t0, t1) */
	int			t1;
	double		r0;				/* response at s = 0, subtracted */
} MMPlanFlightCurve;

typedef struct MMPlanHorizonResult
{
	double		value;			/* sum of F_c minus its value with no spend in the horizon */
	double		kkt_residual;	/* worst over flights, relative */
	int			sweeps;			/* block coordinate sweeps */
	long		exchanges;		/* automatic mode: pair exchanges */
	int			flight;			/* with MM_EINFEASIBLE: the flight, else -1 */
	MMPlanResult plan;			/* with MM_EINFEASIBLE: the conflict in that flight */
} MMPlanHorizonResult;

/* doubles needed in dwork of mm_plan_horizon_budget; curves/args need C each. */
extern long mm_plan_horizon_doubles(const MMPlanHorizon *h);

/*
 * Budget mode over flights.  x[C*H] receives the weekly spend ([c * H + t]),
 * s[C*K] each channel's total per flight, lambda[K] each flight's multiplier.
 * ws is a plan workspace for C channels; dwork holds
 * mm_plan_horizon_doubles(h); curves and args have C elements each.
 */
extern MMStatus mm_plan_horizon_budget(const MMPlanHorizon *h, MMPlanWorkspace *ws,
									   double *dwork, MMPlanCurve *curves,
									   MMPlanFlightCurve *args, double *x, double *s,
									   double *lambda, MMPlanHorizonResult *res);

/*
 * Goal mode over flights (formulas §5.2 per flight).  Flights are solved in
 * time order, each the least budget meeting its volume target (or the
 * largest meeting its ratio target) given the spend of the earlier flights,
 * whose carry-over is part of its base and not credited to its target.  The
 * within-flight pattern is h->pattern (flat when NULL: goal mode does not
 * optimise single weeks).  max_total caps the sum of the flight budgets
 * (+inf: only the channel maxima).  h->budget is not used.
 */
typedef struct MMPlanHorizonGoal
{
	MMPlanGoal	goal;
	const double *target;		/* K */
	double		max_total;
	double	   *budget;			/* K out: each flight's budget */
	bool	   *achievable;		/* K out */
	double	   *achieved;		/* K out: volume or ratio reached */
	double	   *best;			/* K out: best reachable when not achievable */
} MMPlanHorizonGoal;

extern MMStatus mm_plan_horizon_goal(const MMPlanHorizon *h, MMPlanWorkspace *ws,
									 double *dwork, MMPlanCurve *curves,
									 MMPlanFlightCurve *args, MMPlanHorizonGoal *goal,
									 double *x, double *s, double *lambda,
									 MMPlanHorizonResult *res);

/*
 * Response of weekly spend x: incr[C*H] (may be NULL) the increment over no
 * spend in the horizon, total[C*H] (may be NULL) including the carry-in.
 * Returns the sum of incr.
 */
extern double mm_plan_horizon_response(const MMPlanHorizon *h, const double *x,
									   double *incr, double *total);

/*
 * Marginal return of one more unit of spend in each period: out[C*H]
 * ([c * H + t]) given x; ds_buf holds H doubles.
 */
extern void mm_plan_horizon_marginals(const MMPlanHorizon *h, const double *x,
									  double *ds_buf, double *out);

/*
 * Share of period t in channel c's spend of flight k: h->pattern normalised
 * over the flight, flat when h->pattern is NULL or zero over the flight.
 */
extern double mm_plan_pattern_share(const MMPlanHorizon *h, int c, int k, int t);

/* s'(u) of a term: its sat_deriv callback when set, else through sat. */
extern double mm_plan_term_sat_deriv(const MMPlanTerm *tm, double u);

#endif
