/*
 * markov.h: exact Markov-chain attribution (formulas.md §6.3).
 *
 * The chain's transient states are numbered 0 .. n-1 with (start) = 0; the
 * absorbing states (conversion) and (null) are implicit.  Removal effects
 * need the probability of reaching (conversion) from (start), with the
 * states that contain a channel made to lead to (null): one linear solve
 * (I - D Q) h = D r per channel, dense LU (LAPACKE_dgesv) for small chains
 * and Gauss-Seidel sweeps on the sparse rows above that.  No Monte Carlo,
 * no step limit.  The caller owns every buffer.
 */
#ifndef MM_ATTR_MARKOV_H
#define MM_ATTR_MARKOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"

typedef struct MMMarkovChain
{
	int			n;				/* transient states, (start) = 0 */
	const int  *rowptr;			/* n + 1 row starts into col/prob (CSR) */
	const int  *col;			/* transient successor of each transition */
	const double *prob;			/* its probability */
	const double *conv;			/* n: P(s -> conversion) */
	const double *value;		/* n: P(s -> conversion) x mean value of the conversions ending in s; NULL without values */
} MMMarkovChain;

/* Work sizes of mm_markov_absorb for a chain of n states. */
extern size_t mm_markov_work_doubles(int n, int dense_limit);
extern size_t mm_markov_work_ints(int n, int dense_limit);

/*
 * Probability of absorption in (conversion) from (start), out[0], and the
 * expected value absorbed, out[1] (0 without values), with every state s
 * with removed[s] leading to (null) instead (removed NULL: none).  Chains of
 * at most dense_limit kept states are solved by LU; larger ones by
 * Gauss-Seidel sweeps until the largest change of a sweep is below
 * tol x max(1, |h|) (MM_ENOCONV after max_sweeps).  MM_EDOM for a malformed
 * chain; MM_ESING if I - Q is singular (a closed loop that never absorbs).
 * interrupt (may be NULL) is called once per sweep.
 */
extern MMStatus mm_markov_absorb(const MMMarkovChain *c, const bool *removed,
								 int dense_limit, double tol, int max_sweeps,
								 double *out, double *work, int *iwork,
								 MMInterruptFn interrupt);

/*
 * Removal effects RE_k = 1 - h^(-k) / h for the given h (out[0] or out[1]
 * of the full chain) and h^(-k); 0 when h = 0.
 */
extern double mm_markov_removal_effect(double h_full, double h_removed);

/*
 * The Monte-Carlo estimate of the same quantities, as ChannelAttribution
 * computes them: walks from (start) drawn by the transition probabilities
 * (at most max_steps steps each; a longer walk counts as not converting).
 * A walk that converts absorbs the mean value of its last state.  Removing
 * channel k keeps the conversions of the walks that never visited a state
 * containing it.  Channels of state s: chan_ids[chan_ptr[s] .. chan_ptr[s+1]).
 * out_full[0..1]: converting share of the walks and value per walk;
 * out_removed[2k], [2k+1]: the same with channel k removed.  stamp holds
 * nchan ints.  interrupt (may be NULL) is called every 65536 walks.
 */
extern MMStatus mm_markov_simulate(const MMMarkovChain *c, const int *chan_ptr, const int *chan_ids,
								   int nchan, int64_t walks, int max_steps, gsl_rng *r,
								   double *out_full, double *out_removed, int64_t *stamp,
								   MMInterruptFn interrupt);

#endif
