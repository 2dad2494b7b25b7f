/*
 * mcmc_diag.h: convergence diagnostics of several Markov chains of one
 * quantity (Vehtari, Gelman, Simpson, Carpenter and Buerkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat",
 * Bayesian Analysis 16(2)): rank-normalised split R-hat (the larger of the
 * bulk and the folded one), bulk ESS and tail ESS (the smaller of the ESS
 * of the 5% and 95% quantile indicators), with Geyer's initial monotone
 * sequence as Stan computes it.
 */
#ifndef MM_POSTERIOR_MCMC_DIAG_H
#define MM_POSTERIOR_MCMC_DIAG_H

#include "math/mm_status.h"

typedef struct MMMcmcDiag
{
	double		rhat;
	double		ess_bulk;
	double		ess_tail;
} MMMcmcDiag;

/* Doubles of workspace for chains x n draws. */
extern long mm_mcmc_diag_work(int chains, int n);

/*
 * x: chains x n draws, chain after chain.  n >= 4 (MM_EDOM otherwise).  A
 * quantity constant over every draw gets R-hat 1 and ESS NaN; constant
 * within each chain but different between them, R-hat infinite.
 */
extern MMStatus mm_mcmc_diagnostics(const double *x, int chains, int n, MMMcmcDiag *out,
									double *work);

/* ESS of M chains of N draws (no splitting, no rank normalisation). */
extern double mm_mcmc_ess(const double *x, int M, int N, double *work);

/* Split R-hat of M chains of N draws (no rank normalisation). */
extern double mm_mcmc_rhat(const double *x, int M, int N);

#endif
