/*
 * response.h: a channel's response to its window spend, and the points and
 * splits the score reads off it (formulas.md §4.2-§4.7).
 *
 * Adstock is linear, so over W+ (the window W and the periods its spend
 * still reaches) a channel's adstocked input under window spend s is a line
 * a_t(s) = carry_t + s unit_t: carry_t is the adstock of the actual spend
 * before W (carry-in kept), unit_t the adstock of the window pattern pi
 * (sum pi = 1); spend after W is 0 (formulas §4.2 window_pattern).
 * mm_response_prepare builds both lines, already divided by input_scale, so
 * every curve below costs O(|W+|) per evaluation and needs no adstock.
 *
 * Plain C, no allocation: GSL solvers come from the caller.
 */
#ifndef MM_RESPONSE_H
#define MM_RESPONSE_H

#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

#include "math/mm_status.h"
#include "math/mmm.h"

/* One channel's lines over W+ (m periods). */
typedef struct MMResponseChannel
{
	MMSaturationKind saturation;
	double		sat_p1;
	double		sat_p2;
	double		coef;			/* beta_c */
	const double *carry;		/* m: carry-in adstock / input_scale */
	const double *unit;			/* m: adstock of the pattern / input_scale */
} MMResponseChannel;

/*
 * The response curve R(s) of one channel (formulas §4.2), in KPI units:
 *   additive:       beta sum_t [s(carry_t + s unit_t) - s(carry_t)]
 *   multiplicative: sum_t other_t [exp(beta s(carry_t + s unit_t)) - exp(beta s(carry_t))]
 * other_t is the prediction without this channel's factor (every other
 * channel at its actual value); NULL for the additive form.  value is the
 * revenue per KPI unit (1 for a revenue KPI): marginal ROAS = value R'(s).
 */
typedef struct MMResponseCurve
{
	MMModelForm form;
	int			m;
	MMResponseChannel ch;
	const double *other;
	double		value;
	MMInterruptFn interrupt;	/* called every 2^16 periods of evaluation (may be NULL) */
} MMResponseCurve;

/*
 * Periods after W that W+ keeps: max_lag for a windowed adstock; for
 * Robyn's recursive geometric (max_lag < 0) the lags until theta^l < 1e-12,
 * at most MM_RESPONSE_MAX_TAIL.
 */
#define MM_RESPONSE_MAX_TAIL 5000
extern int	mm_response_tail(const MMChannelSpec *spec);

/* Doubles of work mm_response_prepare and mm_response_adstock need. */
extern long mm_response_prepare_work(const MMChannelSpec *spec, int n);

/*
 * Adstock of one channel's input x[0..n-1] by its spec (windowed weights or
 * the recursive form), into a[0..n-1]; work holds
 * mm_response_prepare_work(spec, n) doubles.  *w0 (may be NULL) receives the
 * lag-0 weight, which the carry-over split needs.  interrupt (may be NULL)
 * is called about once per million multiply-adds of a windowed adstock.
 */
extern MMStatus mm_response_adstock(const MMChannelSpec *spec, const double *x, int n,
									double *a, double *w0, double *work,
									MMInterruptFn interrupt);

/*
 * The lines of one channel over W+: x[0..start-1] is the actual input before
 * W, pattern[0..len-1] the window pattern, tail the periods after W.
 * carry and unit get len + tail values; work holds
 * mm_response_prepare_work(spec, start + len + tail) doubles.
 */
extern MMStatus mm_response_prepare(const MMChannelSpec *spec, const double *x,
									int start, const double *pattern, int len,
									int tail, double *carry, double *unit,
									double *work, MMInterruptFn interrupt);

/*
 * R(s), and R'(s) in *deriv when deriv is not NULL (analytic chain rule,
 * formulas §4.3).  The signature is plan.h's MMResponseFn, so the planner
 * can take the curve as it is.  R'(0) is +inf for power curves without
 * carry-in.
 */
extern double mm_response(const void *curve, double s, double *deriv);
extern double mm_response_marginal(const void *curve, double s);

/*
 * Response to a vector of window spends s[0..C-1] of C channels sharing W+
 * (m periods), formulas §4.2 with every channel moved at once:
 *   additive:       sum_c R_c(s_c)
 *   multiplicative: sum_t base_t [exp(sum_c g_c(s_c)) - exp(sum_c g_c(0))]
 * base_t is the prediction with these C channels' factors removed (NULL for
 * additive).  grad[0..C-1] (may be NULL) receives the partial derivatives.
 * interrupt (may be NULL) is called every 1024 periods.
 */
extern double mm_response_vector(MMModelForm form, const MMResponseChannel *ch, int C,
								 int m, const double *base, const double *s,
								 double *grad, MMInterruptFn interrupt);

/*
 * First spend at which value R'(s) falls through "level" (from >= to <),
 * scanning s = 0 and s_ref 2^k, k = -40..60, then Brent (formulas §4.4):
 * level 1 gives the marginal break-even point, level tau > 1 the hurdle
 * point.  *s = NaN when value R' never falls through level on that scan
 * (sup R' <= level, or R' never falls below it).  s_ref > 0 sets the scale
 * (the current spend; 1 when it is 0).
 */
extern MMStatus mm_response_level(const MMResponseCurve *rc, double level, double s_ref,
								  gsl_root_fsolver *root, double *s);

/*
 * s_peak = argmax R' on [0, s_hi] (a 256-point grid refined by Brent
 * minimisation): 0 for concave curves, the inflection of S-curves.
 */
extern MMStatus mm_response_peak(const MMResponseCurve *rc, double s_hi,
								 gsl_min_fminimizer *min, double *s_peak);

/*
 * Point of diminishing returns, pdr_rule mean_value (formulas §4.5): the
 * spend in (s_peak, s_be) where value R' equals the average return
 * value R(s_be) / s_be.  NaN when s_be is NaN or the average return is
 * not above 1.
 */
extern MMStatus mm_response_pdr(const MMResponseCurve *rc, double s_be, double s_peak,
								gsl_root_fsolver *root, double *s_d);

/* The points of one curve, as the response_curves view flags them. */
typedef struct MMResponsePoints
{
	double		breakeven;		/* value R' = 1, NaN if none */
	double		peak;			/* argmax R' on [0, breakeven or the scan end] */
	double		inflection;		/* peak when > 0, else NaN */
	double		pdr;			/* mean_value rule, NaN if none */
} MMResponsePoints;

extern MMStatus mm_response_points(const MMResponseCurve *rc, double s_ref,
								   gsl_root_fsolver *root, gsl_min_fminimizer *min,
								   MMResponsePoints *pts);

/* Immediate vs carry-over split (formulas §4.6). */
typedef enum MMCarryRule
{
	MM_CARRY_ROBYN,				/* carry = s(O), immediate = s(a) - s(O) */
	MM_CARRY_PROPORTIONAL		/* immediate share = w0 x / a */
} MMCarryRule;

/*
 * share[t] = the immediate share of the channel's term beta s(a_t / scale)
 * (or g_t, multiplicative) at each period, from the input x, its adstock a
 * and the lag-0 weight w0; the carry-over share is 1 - share.  0 where the
 * term is 0.
 */
extern void mm_carryover_immediate_share(MMCarryRule rule, const MMChannelSpec *spec,
										 double w0, const double *x, const double *a,
										 int n, double *share);

/*
 * Next-dollar synergy (formulas §4.7).  lift[t] = F_t - 1 =
 * expm1(beta (s(a_t + unit_t) - s(a_t))) of one channel over W+, with a its
 * actual adstock and unit the adstock of one currency unit spread by its
 * pattern (both / input_scale).
 */
extern void mm_synergy_lift(const MMResponseChannel *ch, const double *actual, int m,
							double *lift);

/*
 * S[c*C + d] = sum_t yhat_t lift_c,t lift_d,t (multiplicative; 0 for
 * additive) and score = 10 S / max over pairs c != d (all 0 when that max is
 * not positive).  Diagonal entries are NaN.  lift is C x m, row-major.
 * interrupt (may be NULL) is called once per pair.
 */
extern void mm_synergy_matrix(MMModelForm form, int C, int m, const double *yhat,
							  const double *lift, double *S, double *score,
							  MMInterruptFn interrupt);

#endif
