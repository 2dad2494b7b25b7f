/*
 * adstock_spec.h: one validated adstock convention, shared by the array
 * functions (adstock.c) and the window functions (adstock_window.c) so both
 * check arguments and build weights the same way.
 */
#ifndef MM_ADSTOCK_SPEC_H
#define MM_ADSTOCK_SPEC_H

#include "postgres.h"

#include "math/adstock.h"

/* Longest adstock window a caller may ask for (max_lag); SQLSTATE 54000 above. */
#define MM_ADSTOCK_MAX_LAG 10000

/*
 * A whole-series Weibull window (max_lag NULL) costs n times the number of
 * non-zero weights; above this many multiply-adds (about a second) it is
 * refused with 54000 rather than left to run for hours.  Explicit windows
 * are bounded by MM_ADSTOCK_MAX_LAG instead.
 */
#define MM_ADSTOCK_MAX_WORK 1000000000

typedef struct AdstockSpec
{
	bool		recursive;		/* geometric_recursive (Robyn): no window */
	MMAdstockKind kind;			/* otherwise the windowed convention */
	double		p1;				/* see mm_adstock_weights() */
	double		p2;				/* Weibull: lambda, or the relative scale if relative */
	bool		relative;		/* Weibull: p2 is Robyn's relative scale */
	int			max_lag;		/* -1: the window is the whole series */
	bool		normalize;
} AdstockSpec;

/*
 * Error unless max_lag is in 0 .. MM_ADSTOCK_MAX_LAG (22023 below, 54000
 * above), or -1 (recursive geometric, as stored channel specs say it) when
 * recursive_ok.  Every function taking a max_lag checks it here.
 */
extern void AdstockCheckMaxLag(int max_lag, bool recursive_ok);

/* Each checks its arguments (ereport on error) and fills *spec. */
extern void AdstockGeometricSpec(AdstockSpec *spec, double theta, bool max_lag_null,
								 int max_lag, bool normalize);
extern void AdstockWeibullSpec(AdstockSpec *spec, double shape, double scale,
							   const char *variant, bool max_lag_null, int max_lag,
							   bool normalize, const char *scale_type);
extern void AdstockDelayedSpec(AdstockSpec *spec, double alpha, double peak,
							   int max_lag, bool normalize);
extern void AdstockBinomialSpec(AdstockSpec *spec, double alpha, int max_lag);

/*
 * Number of weights of a windowed spec over a series of n periods (max_lag + 1,
 * or n for the whole-series window).
 */
extern int	AdstockWindowLength(const AdstockSpec *spec, int n);

/* Fill w[0..L-1] with the lag weights of a windowed spec (L from AdstockWindowLength). */
extern void AdstockFillWeights(const AdstockSpec *spec, int L, double *w);

extern bool AdstockSpecEqual(const AdstockSpec *a, const AdstockSpec *b);

#endif
