/*
 * survival.h: the algorithmic attribution model, a discrete-time survival
 * ("interest accumulation") model in the shape Adobe Mix Modeler describes
 * (reference adobe-mix-modeler.md §0; doc/attribution.md).
 *
 * Time is counted in whole days.  On each day d of the analysed range a
 * person converts with probability
 *
 *     p(d) = logistic(beta0 + sum over the person's touches i with
 *                     0 <= d - t_i <= L of theta[c_i, b(d - t_i)])
 *
 * where c_i is the touch's channel (token), b(lag) its lag bucket
 * (edge[b] <= lag < edge[b+1], edge[0] = 0, edge[B] = L + 1) and
 * theta[c, 0] >= theta[c, 1] >= ... >= theta[c, B-1] >= 0.  The monotone
 * constraint is kept with theta[c, b] = sum_{j >= b} delta[c, j}, delta >= 0.
 * The parameter vector is z = (beta0, delta[0, 0..B-1], delta[1, ...], ...).
 *
 * Fitting minimises the negative log-likelihood of every person-day (each a
 * Bernoulli trial: converted that day or not) plus ridge/2 |delta|^2 by a
 * projected Newton method on the bound delta >= 0.  The data are streamed:
 * the caller's scan function feeds every person through mm_surv_person and
 * the days with no touch in reach through mm_surv_add_baseline, so memory is
 * bounded by the number of parameters, not by the number of rows.  Within a
 * person the days are grouped into segments over which no touch changes
 * bucket, so the work per person grows with touches x buckets, not days.
 */
#ifndef MM_ATTR_SURVIVAL_H
#define MM_ATTR_SURVIVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "math/mm_status.h"

typedef struct MMSurvSpec
{
	int			ntok;			/* channels (tokens), numbered 0 .. ntok-1 */
	int			nbucket;		/* B >= 1 */
	const int  *edge;			/* B + 1 increasing day edges, edge[0] = 0 */
	double		ridge;			/* >= 0, penalty on delta */
} MMSurvSpec;

/* Number of parameters 1 + ntok x B. */
extern int	mm_surv_nparams(const MMSurvSpec *s);

/* theta (ntok x B, row-major) from z. */
extern void mm_surv_theta(const MMSurvSpec *s, const double *z, double *theta);

/*
 * Accumulator of one scan, in theta space: index 0 is beta0, 1 + c B + b is
 * theta[c, b].  hess may be NULL (value and gradient only).
 */
typedef struct MMSurvAccum
{
	double		loss;			/* negative log-likelihood */
	double	   *grad;			/* p */
	double	   *hess;			/* p x p (row-major) or NULL */
	double		days;			/* person-days with a touch in reach */
	double		events;			/* converting person-days among them */
	double		base_events;	/* converting person-days with no touch in reach */
} MMSurvAccum;

/* Zero an accumulator of p parameters. */
extern void mm_surv_accum_reset(MMSurvAccum *a, int p);

/*
 * Add one person: nt touches (tday ascending, ttok their channels), nc
 * distinct converting days (cday ascending), over the analysed days
 * [day_lo, day_hi].  Touches before day_lo still act on the days after it;
 * converting days outside the range are ignored.  theta from mm_surv_theta,
 * beta0 = z[0].  iwork holds at least mm_surv_person_iwork(s, nt) ints; xwork
 * holds mm_surv_nparams(s) doubles, all 0 on entry (and left so).  MM_EDOM
 * for unsorted input or a channel out of range.
 */
extern size_t mm_surv_person_iwork(const MMSurvSpec *s, int nt);
extern MMStatus mm_surv_person(const MMSurvSpec *s, double beta0, const double *theta,
							   int nt, const int *tday, const int *ttok,
							   int nc, const int *cday, int day_lo, int day_hi,
							   MMSurvAccum *acc, int *iwork, double *xwork);

/* Add n0 person-days with no touch in reach, y0 of them converting. */
extern MMStatus mm_surv_add_baseline(double beta0, double n0, double y0, MMSurvAccum *acc);

/* One pass over the data at z: the scan resets acc, then adds every person and the baseline. */
typedef MMStatus (*MMSurvScanFn) (void *arg, const double *z, MMSurvAccum *acc);

typedef struct MMSurvFitInfo
{
	int			iterations;		/* Newton iterations */
	int			scans;			/* passes over the data */
	double		loss;			/* final penalised negative log-likelihood */
	double		decrement;		/* last Newton decrement (estimate of loss - optimum) */
	double		kkt;			/* largest projected-gradient component at the end */
} MMSurvFitInfo;

/* Work sizes of mm_surv_fit. */
extern size_t mm_surv_fit_work(const MMSurvSpec *s);
extern size_t mm_surv_fit_iwork(const MMSurvSpec *s);

/*
 * Fit z (in: a start, delta >= 0; out: the estimate).  Stops when half the
 * Newton decrement (an estimate of loss - optimum) falls below
 * tol x (1 + |loss|), or when no step decreases the loss beyond its rounding
 * and that estimate is below 1e-8 x (1 + |loss|); MM_ENOCONV after max_iter
 * iterations or a line search that fails earlier.
 */
extern MMStatus mm_surv_fit(const MMSurvSpec *s, MMSurvScanFn scan, void *arg,
							double *z, int max_iter, double tol, MMSurvFitInfo *info,
							double *work, int *iwork, MMInterruptFn interrupt);

#endif
