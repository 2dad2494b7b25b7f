/*
 * exact_sum.h: exact summation of doubles in a fixed-point superaccumulator.
 *
 * Every finite double is an integer multiple of 2^-1074, so a sum of doubles is an
 * integer number of 2^-1074 units.  The accumulator holds that integer in chunks of
 * 32 bits (absolute chunk k weighs 2^(32k - 1074)), each in a signed 64-bit word so
 * that additions need no carry for 2^20 values at a time (R. M. Neal, "Fast exact
 * summation using small and large superaccumulators", arXiv:1505.05571, 2015: the
 * "small superaccumulator").  The result, rounded once to the nearest double (ties to
 * even), does not depend on the order of the values: sums split across parallel
 * workers and combined give the same bits.
 *
 * The caller owns the memory and may keep only a window of the chunks: the chunks a
 * value touches are given by mm_xsum_span.
 */
#ifndef MM_EXACT_SUM_H
#define MM_EXACT_SUM_H

#include <stdint.h>

#include "math/mm_status.h"

/* absolute chunks 0 .. MM_XSUM_CHUNKS - 1: bits 0 .. 2143, above 2^1024 times 2^62 values */
#define MM_XSUM_CHUNKS 67
/* values added between two carry propagations (chunk words stay below 2^53) */
#define MM_XSUM_RENORM (1 << 20)

/* The absolute chunks a finite, nonzero x touches, and one above for carries. */
extern void mm_xsum_span(double x, int *first, int *last);

/* Add finite x to the window chunk[0 .. n-1] = absolute chunks lo .. lo+n-1, which
 * covers mm_xsum_span(x). */
extern void mm_xsum_add(int64_t *chunk, int lo, double x);

/* Propagate carries in a window: afterwards every chunk but the top one is in
 * [0, 2^32) and the top one carries the sign. */
extern void mm_xsum_carry(int64_t *chunk, int n);

/* The window's sum rounded to the nearest double (ties to even); MM_EOVRFLW when its
 * magnitude rounds beyond the largest double. */
extern MMStatus mm_xsum_round(const int64_t *chunk, int lo, int n, double *out);

#endif
