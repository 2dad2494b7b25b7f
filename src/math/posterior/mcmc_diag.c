/*
 * mcmc_diag.c: rank-normalised split R-hat, bulk and tail ESS (mcmc_diag.h).
 * Autocovariances by GSL's FFT (zero-padded to a power of two >= 2N), the
 * normal quantile by GSL, sorting by GSL.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "math/posterior/mcmc_diag.h"

static size_t
pow2_at_least(size_t n)
{
	size_t		k = 1;

	while (k < n)
		k <<= 1;
	return k;
}

long
mm_mcmc_diag_work(int chains, int n)
{
	long		S = (long) chains * n;

	/* split copy, transformed copy, sort keys, ranks (as size_t), FFT buffer, acov */
	return 3 * S + S + 2 * (long) pow2_at_least(2 * (size_t) n) + 2L * chains * (n + 1) + 8;
}

/* biased autocovariance acov[0..N-1] of x (N values) through buf (pow2 >= 2N doubles) */
static void
autocovariance(const double *x, int N, double *buf, double *acov)
{
	size_t		P = pow2_at_least(2 * (size_t) N);
	double		mean = gsl_stats_mean(x, 1, N);

	memset(buf, 0, sizeof(double) * P);
	for (int t = 0; t < N; t++)
		buf[t] = x[t] - mean;
	gsl_fft_real_radix2_transform(buf, 1, P);
	/* halfcomplex: buf[0] real, buf[k] + i buf[P-k]; |F|^2 in place */
	buf[0] = buf[0] * buf[0];
	for (size_t k = 1; k < P / 2; k++)
	{
		double		re = buf[k],
					im = buf[P - k];

		buf[k] = re * re + im * im;
		buf[P - k] = 0.0;
	}
	buf[P / 2] = buf[P / 2] * buf[P / 2];
	gsl_fft_halfcomplex_radix2_inverse(buf, 1, P);
	for (int t = 0; t < N; t++)
		acov[t] = buf[t] / N;
}

/* mean over the chains of the autocovariance at one lag */
static double
acov_mean(const double *acov, int M, int N, int lag)
{
	double		a = 0.0;

	for (int m = 0; m < M; m++)
		a += acov[(size_t) m * N + lag];
	return a / M;
}

double
mm_mcmc_ess(const double *x, int M, int N, double *work)
{
	double	   *buf = work,
			   *acov = buf + pow2_at_least(2 * (size_t) N),
			   *chain_mean = acov + (size_t) M * N;
	double		mean_var = 0.0,
				var_plus,
				rho_even,
				rho_odd,
				tau,
				total = (double) M * N;
	double	   *rho = chain_mean + M;	/* reuses buf after the acovs are taken */
	int			s,
				max_s;

	if (N < 4)
		return NAN;
	for (int m = 0; m < M; m++)
	{
		autocovariance(x + (size_t) m * N, N, buf, acov + (size_t) m * N);
		chain_mean[m] = gsl_stats_mean(x + (size_t) m * N, 1, N);
		mean_var += acov[(size_t) m * N] * N / (N - 1.0);
	}
	mean_var /= M;
	var_plus = mean_var * (N - 1.0) / N;
	if (M > 1)
		var_plus += gsl_stats_variance(chain_mean, 1, M);
	if (!(var_plus > 0.0))
		return NAN;

	rho = buf;					/* the FFT buffer is free now: N + 2 values fit */
	for (int t = 0; t < N; t++)
		rho[t] = 0.0;
	rho_even = 1.0;
	rho[0] = rho_even;
	rho_odd = 1.0 - (mean_var - acov_mean(acov, M, N, 1)) / var_plus;
	rho[1] = rho_odd;
	s = 1;
	while (s < N - 4 && rho_even + rho_odd > 0.0)
	{
		rho_even = 1.0 - (mean_var - acov_mean(acov, M, N, s + 1)) / var_plus;
		rho_odd = 1.0 - (mean_var - acov_mean(acov, M, N, s + 2)) / var_plus;
		if (rho_even + rho_odd >= 0.0)
		{
			rho[s + 1] = rho_even;
			rho[s + 2] = rho_odd;
		}
		s += 2;
	}
	max_s = s;
	if (rho_even > 0.0)
		rho[max_s + 1] = rho_even;
	/* Geyer's initial monotone sequence */
	for (int k = 1; k <= max_s - 3; k += 2)
		if (rho[k + 1] + rho[k + 2] > rho[k - 1] + rho[k])
		{
			rho[k + 1] = (rho[k - 1] + rho[k]) / 2.0;
			rho[k + 2] = rho[k + 1];
		}
	tau = -1.0;
	for (int k = 0; k < max_s; k++)
		tau += 2.0 * rho[k];
	tau += rho[max_s + 1];
	return fmin(total / tau, total * log10(total));
}

double
mm_mcmc_rhat(const double *x, int M, int N)
{
	double		W = 0.0,
				B,
				mean_all = 0.0,
				means[512];

	if (M > 512 || N < 2)
		return NAN;
	for (int m = 0; m < M; m++)
	{
		means[m] = gsl_stats_mean(x + (size_t) m * N, 1, N);
		W += gsl_stats_variance_m(x + (size_t) m * N, 1, N, means[m]);
		mean_all += means[m];
	}
	W /= M;
	mean_all /= M;
	B = M > 1 ? N * gsl_stats_variance_m(means, 1, M, mean_all) : 0.0;
	if (W == 0.0)
		return B == 0.0 ? 1.0 : INFINITY;
	return sqrt(((N - 1.0) / N * W + B / N) / W);
}

/* z = Phi^-1((rank - 3/8) / (S + 1/4)) of every value, ties sharing their average rank */
static void
rank_normalize(const double *x, size_t S, double *z, size_t *perm)
{
	gsl_sort_index(perm, x, 1, S);
	for (size_t i = 0; i < S;)
	{
		size_t		j = i;
		double		rank;

		while (j + 1 < S && x[perm[j + 1]] == x[perm[i]])
			j++;
		rank = (i + j) / 2.0 + 1.0;
		for (size_t k = i; k <= j; k++)
			z[perm[k]] = gsl_cdf_ugaussian_Pinv((rank - 0.375) / (S + 0.25));
		i = j + 1;
	}
}

MMStatus
mm_mcmc_diagnostics(const double *x, int chains, int n, MMMcmcDiag *out, double *work)
{
	int			N = n / 2,
				M = 2 * chains;
	size_t		S = (size_t) M * N;
	double	   *split = work,
			   *z = split + S,
			   *sorted = z + S,
			   *ess_work = sorted + S + S;
	size_t	   *perm = (size_t *) (sorted + S);
	double		med,
				q05,
				q95,
				r_bulk,
				r_fold;
	bool		constant = true;

	if (chains < 1 || n < 4)
		return MM_EDOM;
	/* split each chain in halves (a middle draw of an odd chain is dropped) */
	for (int c = 0; c < chains; c++)
	{
		memcpy(split + (size_t) (2 * c) * N, x + (size_t) c * n, sizeof(double) * N);
		memcpy(split + (size_t) (2 * c + 1) * N, x + (size_t) c * n + (n - N), sizeof(double) * N);
	}
	for (size_t i = 1; i < S; i++)
		constant = constant && split[i] == split[0];
	if (constant)
	{
		out->rhat = 1.0;
		out->ess_bulk = out->ess_tail = NAN;
		return MM_OK;
	}

	rank_normalize(split, S, z, perm);
	r_bulk = mm_mcmc_rhat(z, M, N);
	out->ess_bulk = mm_mcmc_ess(z, M, N, ess_work);

	memcpy(sorted, split, sizeof(double) * S);
	gsl_sort(sorted, 1, S);
	med = gsl_stats_median_from_sorted_data(sorted, 1, S);
	q05 = gsl_stats_quantile_from_sorted_data(sorted, 1, S, 0.05);
	q95 = gsl_stats_quantile_from_sorted_data(sorted, 1, S, 0.95);

	/* folded: |x - median|, rank normalised */
	for (size_t i = 0; i < S; i++)
		sorted[i] = fabs(split[i] - med);
	rank_normalize(sorted, S, z, perm);
	r_fold = mm_mcmc_rhat(z, M, N);
	out->rhat = fmax(r_bulk, r_fold);

	/* tail: the ESS of the indicators of the 5% and 95% quantiles */
	for (size_t i = 0; i < S; i++)
		z[i] = split[i] <= q05 ? 1.0 : 0.0;
	out->ess_tail = mm_mcmc_ess(z, M, N, ess_work);
	for (size_t i = 0; i < S; i++)
		z[i] = split[i] <= q95 ? 1.0 : 0.0;
	out->ess_tail = fmin(out->ess_tail, mm_mcmc_ess(z, M, N, ess_work));
	return MM_OK;
}
