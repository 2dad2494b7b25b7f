/*
 * pareto.h: Pareto front 1 (the non-dominated points) of n points in up to
 * four objectives, all minimised.
 *
 * A point dominates another when it is no worse in every objective and
 * better in one.  Points sorted lexicographically can only be dominated by
 * earlier ones, so the front is one sweep: O(n log n) for up to three
 * objectives (a Fenwick tree of prefix minima), O(n log^2 n) for four (one
 * divide-and-conquer level over the sweep, as in Kung, Luccio and Preparata,
 * "On finding the maxima of a set of vectors", JACM 1975).
 *
 * Plain C: the caller passes the workspace; the sort is the C library's
 * qsort.
 */
#ifndef MM_PARETO_H
#define MM_PARETO_H

#include <stddef.h>

#include "math/mm_status.h"

#define MM_PARETO_MAX_DIM 4

typedef struct MMParetoPoint
{
	double		key[MM_PARETO_MAX_DIM];	/* objectives 0..k-1, no NaN */
	const void *tie;			/* tie_len bytes telling exact duplicates apart */
	int			tie_len;
	int			index;			/* the caller's number of the point */
	int			front;			/* out: 1 on front 1, else 0 */
} MMParetoPoint;

/* Bytes of workspace mm_pareto_front needs for n points. */
extern size_t mm_pareto_work(int n);

/*
 * Mark front 1 of pts[0..n-1] in k (1..MM_PARETO_MAX_DIM) objectives.
 * Points equal in all k objectives do not dominate each other; among those
 * whose tie bytes are also equal (exact duplicates) only the one with the
 * lowest index is on the front.  Reorders pts.  interrupt (may be NULL) is
 * called about every 4096 steps.  MM_EDOM for a bad n or k.
 */
extern MMStatus mm_pareto_front(MMParetoPoint *pts, int n, int k, void *work,
								MMInterruptFn interrupt);

#endif
