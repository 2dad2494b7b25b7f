/*
 * shapley.h: Shapley values through Harsanyi dividends (formulas.md §6.4).
 *
 * Coalitions of p players are bitmasks 0 .. 2^p - 1.  Exact, O(p 2^p); the
 * caller bounds p (MM_SHAPLEY_MAX_PLAYERS).  Plain C, no allocation.
 */
#ifndef MM_ATTR_SHAPLEY_H
#define MM_ATTR_SHAPLEY_H

#include "math/mm_status.h"

/* Largest coalition the exact computation takes (2^16 subsets). */
#define MM_SHAPLEY_MAX_PLAYERS 16

/*
 * In place: v[T] (v[0] must be 0) becomes the Harsanyi dividend
 * d(T) = sum_{U subset of T} (-1)^{|T|-|U|} v(U)  (the Moebius transform).
 */
extern MMStatus mm_shapley_dividends(int p, double *v);

/*
 * Shapley values of the grand coalition from its dividends:
 * phi_j = sum_{T containing j} d(T) / |T|.
 */
extern MMStatus mm_shapley_from_dividends(int p, const double *d, double *phi);

#endif
