/*
 * test_adstock.c: adstock weights and convolution against hand computations
 * and the toys of formulas.md §1.1.8 (tolerance 1e-12).
 */
#include <float.h>
#include <string.h>

#include "math/adstock.h"
#include "unit.h"

#define TOL 1e-12

static int	interrupts_seen = 0;

static void
count_interrupt(void)
{
	interrupts_seen++;
}

/* Check w[0..L-1] against want, one assertion per weight. */
static void
check_weights(const char *name, const double *w, const double *want, int L)
{
	for (int l = 0; l < L; l++)
		UNIT_NEAR(w[l], want[l], TOL, "%s: w[%d]", name, l);
}

static void
test_relative_lambda(void)
{
	double		lambda = -1;

	/* formulas §1.1.3: q = 4.5 rounds half-to-even to 4 (C round() gives 5) */
	UNIT_OK(mm_weibull_relative_lambda(0.5, 8, &lambda) == MM_OK && lambda == 4.0,
			"relative lambda T=8 scale=0.5 is 4 (half to even)");
	/* idx = 5.5 -> 6 (even) */
	UNIT_OK(mm_weibull_relative_lambda(0.5, 10, &lambda) == MM_OK && lambda == 6.0,
			"relative lambda T=10 scale=0.5 is 6");
	/* idx = 2.5 -> 2 */
	UNIT_OK(mm_weibull_relative_lambda(0.5, 4, &lambda) == MM_OK && lambda == 2.0,
			"relative lambda T=4 scale=0.5 is 2");
	/* idx = 1 + 0.3 * 7 = 3.1 -> 3 */
	UNIT_OK(mm_weibull_relative_lambda(0.3, 8, &lambda) == MM_OK && lambda == 3.0,
			"relative lambda T=8 scale=0.3 is 3");
	UNIT_OK(mm_weibull_relative_lambda(1.0, 8, &lambda) == MM_OK && lambda == 8.0,
			"relative lambda T=8 scale=1 is 8");
	UNIT_OK(mm_weibull_relative_lambda(0.7, 1, &lambda) == MM_OK && lambda == 1.0,
			"relative lambda T=1 is 1");
	UNIT_OK(mm_weibull_relative_lambda(0.0, 8, &lambda) == MM_OK && lambda == 0.0,
			"relative lambda scale=0 is 0 (no adstock)");
	UNIT_OK(mm_weibull_relative_lambda(1.5, 8, &lambda) == MM_EDOM, "scale > 1 is EDOM");
	UNIT_OK(mm_weibull_relative_lambda(-0.1, 8, &lambda) == MM_EDOM, "scale < 0 is EDOM");
	UNIT_OK(mm_weibull_relative_lambda(NAN, 8, &lambda) == MM_EDOM, "scale NaN is EDOM");
	UNIT_OK(mm_weibull_relative_lambda(0.5, 0, &lambda) == MM_EDOM, "T = 0 is EDOM");
}

static void
test_toys(void)
{
	double		w[8];

	/* geometric_windowed, alpha 0.5, max_lag 2, normalised: (1, .5, .25)/1.75 */
	{
		double		want[] = {4.0 / 7, 2.0 / 7, 1.0 / 7};

		UNIT_OK(mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 0.5, 0, 3, true, w) == MM_OK,
				"geometric toy status");
		check_weights("geometric toy", w, want, 3);
	}
	/* unnormalised, and theta = 0 gives no carry-over (0^0 = 1) */
	{
		double		want[] = {1, 0.5, 0.25, 0.125};
		double		zero[] = {1, 0, 0, 0};

		mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 0.5, 0, 4, false, w);
		check_weights("geometric theta^l", w, want, 4);
		mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 0.0, 0, 4, false, w);
		check_weights("geometric theta=0", w, zero, 4);
	}
	/* binomial, alpha 0.5, max_lag 2: exponent 1, w ~ (1, 2/3, 1/3) */
	{
		double		want[] = {0.5, 1.0 / 3, 1.0 / 6};

		UNIT_OK(mm_adstock_weights(MM_ADSTOCK_BINOMIAL, 0.5, 0, 3, false, w) == MM_OK,
				"binomial toy status");
		check_weights("binomial toy (normalised even when not asked)", w, want, 3);
	}
	/* binomial alpha 1: flat; alpha 0: no carry-over */
	{
		double		flat[] = {0.25, 0.25, 0.25, 0.25};
		double		none[] = {1, 0, 0, 0};

		mm_adstock_weights(MM_ADSTOCK_BINOMIAL, 1.0, 0, 4, true, w);
		check_weights("binomial alpha=1", w, flat, 4);
		mm_adstock_weights(MM_ADSTOCK_BINOMIAL, 0.0, 0, 4, true, w);
		check_weights("binomial alpha=0", w, none, 4);
	}
	/* delayed, alpha 0.5, peak 1, max_lag 2: (0.5, 1, 0.5), normalised (.25, .5, .25) */
	{
		double		raw[] = {0.5, 1, 0.5};
		double		norm[] = {0.25, 0.5, 0.25};

		mm_adstock_weights(MM_ADSTOCK_DELAYED, 0.5, 1.0, 3, false, w);
		check_weights("delayed toy raw", w, raw, 3);
		mm_adstock_weights(MM_ADSTOCK_DELAYED, 0.5, 1.0, 3, true, w);
		check_weights("delayed toy normalised", w, norm, 3);
	}
	/* delayed with a fractional peak 0.5, alpha 0.25: 0.25^0.25 both sides, 0.25^2.25 */
	{
		double		want[] = {pow(0.25, 0.25), pow(0.25, 0.25), pow(0.25, 2.25)};

		mm_adstock_weights(MM_ADSTOCK_DELAYED, 0.25, 0.5, 3, false, w);
		check_weights("delayed fractional peak", w, want, 3);
	}
}

static void
test_weibull(void)
{
	double		w[8];

	/* CDF, shape 1, lambda 2: S(j) = exp(-j/2), cumulative exponents 0, .5, 1.5, 3 */
	{
		double		want[] = {1, exp(-0.5), exp(-1.5), exp(-3.0)};

		UNIT_OK(mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, 1.0, 2.0, 4, false, w) == MM_OK,
				"weibull cdf status");
		check_weights("weibull cdf k=1 lambda=2", w, want, 4);
	}
	/* CDF, shape 2, lambda 4: w_l = exp(-sum_{j<=l} j^2/16) */
	{
		double		want[] = {1, exp(-1.0 / 16), exp(-5.0 / 16), exp(-14.0 / 16),
		exp(-30.0 / 16), exp(-55.0 / 16), exp(-91.0 / 16), exp(-140.0 / 16)};

		mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, 2.0, 4.0, 8, false, w);
		check_weights("weibull cdf k=2 lambda=4", w, want, 8);
	}
	/* PDF, shape 1, lambda 1: f(j) = e^-j; min-max gives 1, (e^-2 - e^-3)/(e^-1 - e^-3), 0 */
	{
		double		want[] = {1, (exp(-2.0) - exp(-3.0)) / (exp(-1.0) - exp(-3.0)), 0};

		mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 1.0, 1.0, 3, false, w);
		check_weights("weibull pdf k=1 lambda=1", w, want, 3);
		UNIT_OK(w[2] == 0.0, "weibull pdf smallest weight is exactly 0");
	}
	/* PDF, shape 3, lambda 3: f(j) = (j^2/9) exp(-j^3/27); peak at lag 2, lag 0 weight 0 */
	{
		double		f[4],
					want[4];

		for (int j = 1; j <= 4; j++)
			f[j - 1] = (j * j / 9.0) * exp(-(double) (j * j * j) / 27.0);
		for (int l = 0; l < 4; l++)
			want[l] = (f[l] - f[0]) / (f[2] - f[0]);
		mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 3.0, 3.0, 4, false, w);
		check_weights("weibull pdf k=3 lambda=3 (lagged peak)", w, want, 4);
		UNIT_OK(w[2] == 1.0 && w[0] == 0.0, "weibull pdf lagged peak at lag 2, lag 0 is 0");
		/* normalised after min-max */
		{
			double		s = want[0] + want[1] + want[2] + want[3];

			for (int l = 0; l < 4; l++)
				want[l] /= s;
			mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 3.0, 3.0, 4, true, w);
			check_weights("weibull pdf normalised after min-max", w, want, 4);
		}
	}
	/* shape 0 or lambda 0: no adstock; L = 1 PDF (max = min): (1) */
	{
		double		none[] = {1, 0, 0, 0};

		mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, 0.0, 3.0, 4, false, w);
		check_weights("weibull cdf shape=0", w, none, 4);
		mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 2.0, 0.0, 4, false, w);
		check_weights("weibull pdf lambda=0", w, none, 4);
		mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 2.0, 3.0, 1, false, w);
		UNIT_NEAR(w[0], 1.0, 0, "weibull pdf L=1 (max = min) is (1)");
	}
	/* Robyn relative CDF on an impulse: T = 8, scale 0.5 -> lambda 4 */
	{
		double		x[8] = {1, 0, 0, 0, 0, 0, 0, 0},
					a[8],
					lambda;
		double		want[] = {1, exp(-1.0 / 16), exp(-5.0 / 16), exp(-14.0 / 16),
		exp(-30.0 / 16), exp(-55.0 / 16), exp(-91.0 / 16), exp(-140.0 / 16)};

		mm_weibull_relative_lambda(0.5, 8, &lambda);
		mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, 2.0, lambda, 8, false, w);
		mm_adstock_convolve(x, 8, w, 8, a);
		check_weights("robyn weibull cdf impulse T=8 scale=0.5", a, want, 8);
	}
}

static void
test_convolution(void)
{
	double		x[] = {1, 2, 3, 4},
				w[] = {1, 0.5},
				a[4];

	/* a = (1, 2 + .5, 3 + 1, 4 + 1.5) */
	{
		double		want[] = {1, 2.5, 4, 5.5};

		mm_adstock_convolve(x, 4, w, 2, a);
		check_weights("convolve (1,2,3,4) with (1,.5)", a, want, 4);
	}
	/* a window longer than the series: zero padding */
	{
		double		w5[] = {1, 0.5, 0.25, 0.125, 0.0625};
		double		want[] = {1, 2.5, 4.25, 6.125};

		mm_adstock_convolve(x, 4, w5, 5, a);
		check_weights("convolve with L > n", a, want, 4);
	}
	/* geometric recursive on an impulse: theta^(t-1); (1 - theta) when normalised */
	{
		double		imp[] = {1, 0, 0, 0, 0},
					r[5];

		UNIT_OK(mm_adstock_geometric_recursive(imp, 5, 0.5, false, r) == MM_OK,
				"geometric recursive status");
		for (int t = 0; t < 5; t++)
			UNIT_NEAR(r[t], pow(0.5, t), TOL, "geometric recursive impulse a[%d]", t);
		mm_adstock_geometric_recursive(imp, 5, 0.8, true, r);
		for (int t = 0; t < 5; t++)
			UNIT_NEAR(r[t], 0.2 * pow(0.8, t), TOL, "normalised recursive impulse a[%d]", t);
	}
	/* recursive: (1, 2, 3) with theta .5 is (1, 2.5, 4.25); in place */
	{
		double		y[] = {1, 2, 3};

		mm_adstock_geometric_recursive(y, 3, 0.5, false, y);
		UNIT_OK(y[0] == 1 && y[1] == 2.5 && y[2] == 4.25, "geometric recursive in place");
	}
	/* length 1 unchanged */
	{
		double		one[] = {7},
					r[1];

		mm_adstock_geometric_recursive(one, 1, 0.9, false, r);
		UNIT_OK(r[0] == 7, "geometric recursive length 1 unchanged");
	}
	UNIT_OK(mm_adstock_geometric_recursive(x, 4, 1.0, false, a) == MM_EDOM, "recursive theta=1 is EDOM");
	UNIT_OK(mm_adstock_geometric_recursive(x, 4, -0.1, false, a) == MM_EDOM, "recursive theta<0 is EDOM");
	{
		double		big[] = {DBL_MAX, DBL_MAX};

		UNIT_OK(mm_adstock_geometric_recursive(big, 2, 0.9, false, a) == MM_EOVRFLW,
				"recursive overflow is EOVRFLW");
		UNIT_OK(mm_adstock_convolve_interruptible(big, 2, w, 2, a, NULL) == MM_EOVRFLW,
				"convolution overflow is EOVRFLW");
	}
}

static void
test_interruptible(void)
{
	enum
	{
	N = 3000, L = 1000};
	static double x[N],
				w[L],
				a1[N],
				a2[N];

	for (int i = 0; i < N; i++)
		x[i] = (i * 7919) % 101;
	/* CDF weights underflow to exact zeros at the tail, which the checked form skips */
	mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, 2.0, 5.0, L, false, w);
	UNIT_OK(w[L - 1] == 0.0, "weibull cdf tail is exactly zero");
	mm_adstock_convolve(x, N, w, L, a1);
	interrupts_seen = 0;
	UNIT_OK(mm_adstock_convolve_interruptible(x, N, w, L, a2, count_interrupt) == MM_OK,
			"interruptible convolution status");
	UNIT_OK(memcmp(a1, a2, sizeof(a1)) == 0, "trailing zero weights skipped bit-identically");

	/* no zeros: N*L ~ 3M multiply-adds, so about 2 interrupt checks */
	mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 0.999, 0, L, false, w);
	interrupts_seen = 0;
	mm_adstock_convolve_interruptible(x, N, w, L, a2, count_interrupt);
	UNIT_OK(interrupts_seen >= 2, "long convolution checks for interrupts (%d times)", interrupts_seen);
}

static void
test_domains(void)
{
	double		w[4];

	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 1.5, 0, 4, false, w) == MM_EDOM, "geometric theta>1");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, 0.5, 0, 0, false, w) == MM_EDOM, "L = 0");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_WEIBULL_CDF, -1, 2, 4, false, w) == MM_EDOM, "weibull shape<0");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, 1, -2, 4, false, w) == MM_EDOM, "weibull lambda<0");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_WEIBULL_PDF, INFINITY, 2, 4, false, w) == MM_EDOM, "weibull shape inf");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_DELAYED, 0, 1, 4, false, w) == MM_EDOM, "delayed alpha=0");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_DELAYED, 0.5, 4, 4, false, w) == MM_EDOM, "delayed peak>max_lag");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_BINOMIAL, 1.1, 0, 4, false, w) == MM_EDOM, "binomial alpha>1");
	UNIT_OK(mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, NAN, 0, 4, false, w) == MM_EDOM, "NaN parameter");
}

void
test_adstock(void)
{
	test_relative_lambda();
	test_toys();
	test_weibull();
	test_convolution();
	test_interruptible();
	test_domains();
}
