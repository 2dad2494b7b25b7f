/*
 * fuzz_transform.h: random-input properties of the transform core (adstock,
 * saturation).
 *
 * Header-only so that the seeded unit test (test/unit/test_fuzz.c) and the
 * long sanitizer run (test/fuzz/fuzz_main.c, test/fuzz/run) share one engine.
 * Each case draws a random convention, parameters, lengths and series, mixing
 * ordinary values with edge values (0, 1, denormals, 1e300), calls the core
 * and checks what must hold whatever the input:
 *   - valid parameters give MM_OK and only finite, non-negative outputs, or
 *     MM_EOVRFLW where the input really is too large (never NaN or inf out);
 *   - invalid parameters (NaN, out of range, L < 1) give MM_EDOM;
 *   - normalised weights sum to 1; normalised adstock never exceeds the input's
 *     mass (windowed) or maximum (recursive);
 *   - the interruptible and plain convolutions, the recursion and its one-step
 *     form, and aliased and separate outputs agree to the last bit;
 *   - saturation curves are finite, within [0, sup], non-decreasing, with a
 *     non-negative derivative, and their inverse undoes them where the curve
 *     is not flat; outside the range the inverse is NaN.
 * A crash or sanitizer report is a failure too (test/fuzz/run builds with ASan
 * and UBSan).
 */
#ifndef MM_FUZZ_TRANSFORM_H
#define MM_FUZZ_TRANSFORM_H

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "math/adstock.h"
#include "math/saturation.h"

#define FUZZ_MAX_N	600			/* longest series */
#define FUZZ_MAX_L	300			/* most lag weights */

typedef struct FuzzResult
{
	long		cases;
	long		failures;
	char		first[512];		/* first failure, with its case number */
} FuzzResult;

static FuzzResult *fuzz_current;
static bool fuzz_verbose;		/* print every failure, not only the first */

static void
fuzz_fail(long c, const char *what, double a, double b)
{
	if (fuzz_current->failures++ == 0)
		snprintf(fuzz_current->first, sizeof(fuzz_current->first),
				 "case %ld: %s (%.17g, %.17g)", c, what, a, b);
	if (fuzz_verbose)
		printf("fuzz: case %ld: %s (%.17g, %.17g)\n", c, what, a, b);
}

/* The interrupt callback: nothing to interrupt here, but it must be callable. */
static void
fuzz_interrupt(void)
{
}

/* A probability in [0, 1], often exactly at or next to an end. */
static double
fuzz_unit(gsl_rng *r)
{
	switch (gsl_rng_uniform_int(r, 8))
	{
		case 0:
			return 0.0;
		case 1:
			return 1.0;
		case 2:
			return 5e-324;
		case 3:
			return nextafter(1.0, 0.0);
		default:
			return gsl_rng_uniform(r);
	}
}

/* A non-negative finite value of any magnitude. */
static double
fuzz_magnitude(gsl_rng *r)
{
	switch (gsl_rng_uniform_int(r, 8))
	{
		case 0:
			return 0.0;
		case 1:
			return 5e-324;
		case 2:
			return 1e300 * gsl_rng_uniform(r);
		case 3:
			return pow(10.0, -300.0 + 600.0 * gsl_rng_uniform(r));
		default:
			return 1000.0 * gsl_rng_uniform(r);
	}
}

/* A value that no parameter accepts. */
static double
fuzz_invalid(gsl_rng *r)
{
	switch (gsl_rng_uniform_int(r, 4))
	{
		case 0:
			return NAN;
		case 1:
			return -INFINITY;
		case 2:
			return -5e-324;
		default:
			return -1.0 - gsl_rng_uniform(r);
	}
}

/* Valid parameters p1, p2 for kind with L weights. */
static void
fuzz_valid_params(gsl_rng *r, MMAdstockKind kind, int L, double *p1, double *p2)
{
	*p2 = 0.0;
	switch (kind)
	{
		case MM_ADSTOCK_GEOMETRIC:
		case MM_ADSTOCK_BINOMIAL:
			*p1 = fuzz_unit(r);
			break;
		case MM_ADSTOCK_WEIBULL_CDF:
		case MM_ADSTOCK_WEIBULL_PDF:
			*p1 = gsl_rng_uniform_int(r, 6) == 0 ? fuzz_magnitude(r) : 20.0 * gsl_rng_uniform(r);
			*p2 = gsl_rng_uniform_int(r, 6) == 0 ? fuzz_magnitude(r) : 2.0 * L * gsl_rng_uniform(r);
			break;
		case MM_ADSTOCK_DELAYED:
			*p1 = fuzz_unit(r);
			if (*p1 == 0.0)
				*p1 = 5e-324;	/* alpha must be > 0 */
			*p2 = gsl_rng_uniform_int(r, 4) == 0 ? (double) gsl_rng_uniform_int(r, L)
				: (L - 1) * fuzz_unit(r);
			break;
	}
}

/* Check one set of weights from valid parameters; true when usable. */
static bool
fuzz_check_weights(long c, MMAdstockKind kind, double p1, double p2, int L,
				   bool normalize, double *w)
{
	MMStatus	st = mm_adstock_weights(kind, p1, p2, L, normalize, w);
	double		sum = 0.0;

	if (st == MM_EOVRFLW && kind == MM_ADSTOCK_WEIBULL_PDF)
		return false;			/* the density itself overflowed: reported, not output */
	if (st != MM_OK)
	{
		fuzz_fail(c, "weights: valid parameters rejected", p1, p2);
		return false;
	}
	for (int l = 0; l < L; l++)
	{
		if (!isfinite(w[l]) || w[l] < 0.0)
		{
			fuzz_fail(c, "weights: non-finite or negative weight", p1, w[l]);
			return false;
		}
		sum += w[l];
	}
	if ((normalize || kind == MM_ADSTOCK_BINOMIAL) && fabs(sum - 1.0) > 1e-12 * L)
		fuzz_fail(c, "weights: normalised weights do not sum to 1", p1, sum);
	if (!normalize && kind != MM_ADSTOCK_BINOMIAL)
	{
		/* theta^l, survival products, min-max and alpha^d with alpha <= 1 */
		for (int l = 0; l < L; l++)
			if (w[l] > 1.0)
				fuzz_fail(c, "weights: a raw weight above 1", p1, w[l]);
	}
	return true;
}

/* Invalid parameters must give MM_EDOM. */
static void
fuzz_invalid_weights(gsl_rng *r, long c, double *w)
{
	MMAdstockKind kind = (MMAdstockKind) gsl_rng_uniform_int(r, 5);
	int			L = 1 + (int) gsl_rng_uniform_int(r, FUZZ_MAX_L);
	double		p1,
				p2;

	fuzz_valid_params(r, kind, L, &p1, &p2);
	switch (gsl_rng_uniform_int(r, 4))
	{
		case 0:
			p1 = fuzz_invalid(r);
			break;
		case 1:
			if (kind == MM_ADSTOCK_GEOMETRIC)
				return;			/* geometric ignores p2 */
			if (kind == MM_ADSTOCK_BINOMIAL)
				return;
			p2 = fuzz_invalid(r);
			break;
		case 2:
			L = -(int) gsl_rng_uniform_int(r, 3);
			break;
		default:
			if (kind == MM_ADSTOCK_WEIBULL_CDF || kind == MM_ADSTOCK_WEIBULL_PDF)
				p1 = INFINITY;
			else if (kind == MM_ADSTOCK_DELAYED)
				p2 = L - 1 + 0.5;	/* peak beyond the window */
			else
				p1 = nextafter(1.0, 2.0);
			break;
	}
	if (mm_adstock_weights(kind, p1, p2, L, gsl_rng_uniform_int(r, 2), w) != MM_EDOM)
		fuzz_fail(c, "weights: invalid parameters accepted", p1, p2);
	if (mm_adstock_weights((MMAdstockKind) 99, 0.5, 0.5, 3, false, w) != MM_EDOM)
		fuzz_fail(c, "weights: unknown kind accepted", 99, 0);
}

/* A series of n non-negative finite values; returns its largest. */
static double
fuzz_series(gsl_rng *r, int n, double *x)
{
	double		scale = gsl_rng_uniform_int(r, 5) == 0 ? fuzz_magnitude(r) : 1000.0;
	double		max = 0.0;

	for (int t = 0; t < n; t++)
	{
		x[t] = gsl_rng_uniform_int(r, 4) == 0 ? 0.0 : scale * gsl_rng_uniform(r);
		if (gsl_rng_uniform_int(r, 50) == 0)
			x[t] = fuzz_magnitude(r);
		max = fmax(max, x[t]);
	}
	return max;
}

static void
fuzz_convolve(gsl_rng *r, long c, double *x, double *w, double *out, double *out2)
{
	MMAdstockKind kind = (MMAdstockKind) gsl_rng_uniform_int(r, 5);
	int			L = 1 + (int) gsl_rng_uniform_int(r, FUZZ_MAX_L);
	int			n = (int) gsl_rng_uniform_int(r, FUZZ_MAX_N + 1);
	bool		normalize = gsl_rng_uniform_int(r, 2);
	double		p1,
				p2,
				max,
				sum_x = 0.0,
				sum_out = 0.0;
	MMStatus	st;

	fuzz_valid_params(r, kind, L, &p1, &p2);
	if (!fuzz_check_weights(c, kind, p1, p2, L, normalize, w))
		return;
	max = fuzz_series(r, n, x);
	st = mm_adstock_convolve_interruptible(x, n, w, L, out, fuzz_interrupt);
	if (st == MM_EOVRFLW)
	{
		/* weights are at most 1, so outputs are at most L max */
		if (max * L < 1e300)
			fuzz_fail(c, "convolve: overflow reported for a moderate series", max, L);
		return;
	}
	if (st != MM_OK)
	{
		fuzz_fail(c, "convolve: unexpected status", st, L);
		return;
	}
	mm_adstock_convolve(x, n, w, L, out2);
	for (int t = 0; t < n; t++)
	{
		if (!isfinite(out[t]) || out[t] < 0.0)
			fuzz_fail(c, "convolve: non-finite or negative output", x[t], out[t]);
		if (memcmp(&out[t], &out2[t], sizeof(double)) != 0)
			fuzz_fail(c, "convolve: interruptible and plain forms differ", out[t], out2[t]);
		sum_x += x[t];
		sum_out += out[t];
	}
	if ((normalize || kind == MM_ADSTOCK_BINOMIAL) && isfinite(sum_x)
		&& sum_out > sum_x * (1.0 + 1e-12 * L) + 1e-300)
		fuzz_fail(c, "convolve: normalised adstock creates mass", sum_x, sum_out);
}

static void
fuzz_recursive(gsl_rng *r, long c, double *x, double *out, double *out2)
{
	int			n = (int) gsl_rng_uniform_int(r, FUZZ_MAX_N + 1);
	double		theta = fuzz_unit(r);
	bool		normalize = gsl_rng_uniform_int(r, 2);
	double		max,
				prev = 0.0;
	MMStatus	st;

	if (theta == 1.0)
		theta = nextafter(1.0, 0.0);
	max = fuzz_series(r, n, x);
	st = mm_adstock_geometric_recursive(x, n, theta, normalize, out);
	if (st == MM_EOVRFLW)
	{
		/* outputs are at most max / (1 - theta) */
		if (max / (1.0 - theta) < 1e300)
			fuzz_fail(c, "recursive: overflow reported for a moderate series", max, theta);
		return;
	}
	if (st != MM_OK)
	{
		fuzz_fail(c, "recursive: valid theta rejected", theta, n);
		return;
	}
	memcpy(out2, x, sizeof(double) * n);
	if (mm_adstock_geometric_recursive(out2, n, theta, normalize, out2) != MM_OK)
		fuzz_fail(c, "recursive: aliased call fails", theta, n);
	for (int t = 0; t < n; t++)
	{
		double		step;

		if (!isfinite(out[t]) || out[t] < 0.0)
			fuzz_fail(c, "recursive: non-finite or negative output", x[t], out[t]);
		if (normalize && out[t] > max * (1.0 + 1e-12))
			fuzz_fail(c, "recursive: normalised output above the largest input", max, out[t]);
		if (memcmp(&out[t], &out2[t], sizeof(double)) != 0)
			fuzz_fail(c, "recursive: aliased and separate outputs differ", out[t], out2[t]);
		prev = mm_adstock_geometric_step(x[t], theta, prev, t == 0);
		step = normalize ? prev * (1.0 - theta) : prev;
		if (memcmp(&out[t], &step, sizeof(double)) != 0)
			fuzz_fail(c, "recursive: one-step form differs", out[t], step);
	}

	/* theta outside [0, 1) */
	theta = gsl_rng_uniform_int(r, 2) ? 1.0 : fuzz_invalid(r);
	if (mm_adstock_geometric_recursive(x, n, theta, normalize, out) != MM_EDOM)
		fuzz_fail(c, "recursive: invalid theta accepted", theta, n);
}

static void
fuzz_relative_lambda(gsl_rng *r, long c)
{
	double		scale = fuzz_unit(r);
	int			T = 1 + (int) gsl_rng_uniform_int(r, 1000000);
	double		lambda = -1.0;

	if (mm_weibull_relative_lambda(scale, T, &lambda) != MM_OK)
		fuzz_fail(c, "relative lambda: valid scale rejected", scale, T);
	else if (!(lambda >= 0.0 && lambda <= T && lambda == nearbyint(lambda)))
		fuzz_fail(c, "relative lambda: not an integer in [0, T]", scale, lambda);
	scale = gsl_rng_uniform_int(r, 2) ? nextafter(1.0, 2.0) : fuzz_invalid(r);
	if (mm_weibull_relative_lambda(scale, T, &lambda) != MM_EDOM)
		fuzz_fail(c, "relative lambda: invalid scale accepted", scale, T);
	if (mm_weibull_relative_lambda(0.5, -(int) gsl_rng_uniform_int(r, 3), &lambda) != MM_EDOM)
		fuzz_fail(c, "relative lambda: T < 1 accepted", 0.5, 0);
}

/* A positive value 10^U(-e, e), sometimes exactly 1. */
static double
fuzz_positive(gsl_rng *r, double e)
{
	if (gsl_rng_uniform_int(r, 8) == 0)
		return 1.0;
	return pow(10.0, e * (2.0 * gsl_rng_uniform(r) - 1.0));
}

/*
 * Saturation with valid parameters at spends a <= b.  "extreme" draws
 * parameters over 10^+-100 and spends up to 1e300; otherwise parameters over
 * 10^+-6 and spends up to 1e12 (money in any currency).
 */
static void
fuzz_saturation(gsl_rng *r, long c, bool extreme)
{
	MMSaturationKind kind = (MMSaturationKind) gsl_rng_uniform_int(r, 5);
	double		e = extreme ? 100.0 : 6.0;
	double		p1 = fuzz_positive(r, e),
				p2 = fuzz_positive(r, e),
				sup,
				a,
				b,
				sa,
				sb,
				da,
				u,
				inv;

	switch (kind)
	{
		case MM_SAT_HILL:
			p1 = fuzz_positive(r, 2.0);	/* shape alpha in [0.01, 100] */
			sup = 1.0;
			break;
		case MM_SAT_LOGISTIC:
			sup = 1.0;
			break;
		case MM_SAT_MICHAELIS_MENTEN:
		case MM_SAT_TANH:
			sup = p1;
			break;
		default:
			p1 = fuzz_unit(r);	/* power theta in (0, 1] */
			if (p1 == 0.0)
				p1 = 1.0;
			sup = INFINITY;
			break;
	}
	a = extreme ? fuzz_magnitude(r) : (gsl_rng_uniform_int(r, 8) == 0 ? 0.0 : fuzz_positive(r, 12.0));
	b = a + (extreme ? fuzz_magnitude(r) : fuzz_positive(r, 12.0));
	sa = mm_saturation(kind, p1, p2, a);
	sb = mm_saturation(kind, p1, p2, b);
	da = mm_saturation_deriv(kind, p1, p2, a);

	if (!isfinite(sa) || sa < 0.0 || sa > sup * (1.0 + 4 * DBL_EPSILON))
		fuzz_fail(c, "saturation: value not finite or outside [0, sup]", a, sa);
	/* V a / (K + a) and friends may lose an ulp: non-decreasing to 4 eps */
	if (!(sb >= sa * (1.0 - 4 * DBL_EPSILON)))
		fuzz_fail(c, "saturation: decreasing", sa, sb);
	if (isnan(da) || da < 0.0)
		fuzz_fail(c, "saturation: derivative NaN or negative", a, da);
	if (a > 0.0 && !extreme && !isfinite(da))
		fuzz_fail(c, "saturation: derivative not finite at a positive spend", a, da);

	/* the inverse undoes the curve where it is neither flat nor at 0 */
	u = sa;
	if (a >= 1e-6 && a <= 1e12 && u > 1e-6 * fmin(sup, 1e300) && u < 0.999 * sup)
	{
		inv = mm_saturation_inverse(kind, p1, p2, u);
		if (!(fabs(inv - a) <= 1e-6 * a))
			fuzz_fail(c, "saturation: inverse does not undo the curve", a, inv);
	}
	if (!isnan(mm_saturation_inverse(kind, p1, p2, -fuzz_positive(r, e))))
		fuzz_fail(c, "saturation: inverse of a negative level is not NaN", p1, p2);
	if (isfinite(sup) && !isnan(mm_saturation_inverse(kind, p1, p2, sup)))
		fuzz_fail(c, "saturation: inverse of the supremum is not NaN", p1, sup);
	if (!isnan(mm_saturation_inverse(kind, p1, p2, NAN)))
		fuzz_fail(c, "saturation: inverse of NaN is not NaN", p1, p2);

	if (kind == MM_SAT_HILL)
	{
		double		x = mm_hill_inflection(p1, p2);

		if (!(p1 <= 1.0 ? x == 0.0 : x > 0.0 && x < p2))
			fuzz_fail(c, "hill: inflection outside (0, K) or not 0 for alpha <= 1", p1, x);
	}
}

/* Robyn's relative K lies between gamma max and max (legacy: min and max). */
static void
fuzz_relative_k(gsl_rng *r, long c, double *x)
{
	int			n = 1 + (int) gsl_rng_uniform_int(r, FUZZ_MAX_N);
	double		gamma = fuzz_unit(r);
	double		max = fuzz_series(r, n, x),
				min = max,
				k;

	if (gamma == 0.0)
		gamma = 5e-324;
	for (int t = 0; t < n; t++)
		min = fmin(min, x[t]);
	k = mm_hill_relative_k(x, n, gamma, 0);
	if (!(k >= 0.0 && k <= max))
		fuzz_fail(c, "hill relative K: outside [0, max]", max, k);
	k = mm_hill_relative_k(x, n, gamma, 1);
	if (!(k >= min * (1.0 - 4 * DBL_EPSILON) && k <= max * (1.0 + 4 * DBL_EPSILON)))
		fuzz_fail(c, "hill relative K (legacy): outside [min, max]", min, k);
}

/*
 * Run `cases` random cases from `seed`; failures are counted in *res.
 * extreme widens the saturation draws (see fuzz_saturation).
 */
static void
fuzz_transform(unsigned long seed, long cases, bool extreme, FuzzResult *res)
{
	static double x[FUZZ_MAX_N],
				out[FUZZ_MAX_N],
				out2[FUZZ_MAX_N],
				w[FUZZ_MAX_L];
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);

	memset(res, 0, sizeof(*res));
	fuzz_current = res;
	gsl_rng_set(r, seed);
	for (long c = 0; c < cases; c++)
	{
		switch (gsl_rng_uniform_int(r, 6))
		{
			case 0:
				fuzz_invalid_weights(r, c, w);
				break;
			case 4:
				fuzz_saturation(r, c, extreme);
				break;
			case 5:
				fuzz_relative_k(r, c, x);
				break;
			case 1:
				fuzz_recursive(r, c, x, out, out2);
				break;
			case 2:
				fuzz_relative_lambda(r, c);
				break;
			default:
				fuzz_convolve(r, c, x, w, out, out2);
				break;
		}
		res->cases++;
	}
	gsl_rng_free(r);
}

#endif
