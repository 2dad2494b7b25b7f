/*
 * test_geo.c: geo effects with partial pooling (src/math/geo/pool.c) on a
 * panel with known per-geo effects: the geos' own fits recover them, the
 * between-geo spread is found where the geos differ and floored where they
 * do not, the posterior mean shrinks a noisy geo toward the national effect,
 * draws centre on the mean, and bad dimensions are MM_EDOM.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/geo/pool.h"
#include "unit.h"

#define G 3
#define C 2
#define T 90

static void
specs(MMChannelSpec *sp)
{
	memset(sp, 0, sizeof(MMChannelSpec) * C);
	sp[0].adstock = MM_ADSTOCK_GEOMETRIC;
	sp[0].adstock_p1 = 0.5;
	sp[0].max_lag = 3;
	sp[0].adstock_normalize = true;
	sp[0].saturation = MM_SAT_HILL;
	sp[0].sat_p1 = 1.5;
	sp[0].sat_p2 = 1.0;
	sp[0].input_scale = 60.0;
	sp[0].coef = 10.0;
	sp[1] = sp[0];
	sp[1].max_lag = 0;
	sp[1].sat_p1 = 1.0;
	sp[1].input_scale = 40.0;
	sp[1].coef = 5.0;
}

/* y'_gt = 100 + 3 z_t + sum_c beta_gc s_c(adstock(r_g x_gc)) + noise, stored as y = y' / r_g */
static void
panel(gsl_rng *r, const MMChannelSpec *sp, const double beta[G][C], const double *noise,
	  const double *scale, double *x, double *y, double *z)
{
	double		w[4], a[T];

	for (int t = 0; t < T; t++)
		z[t] = sin(t / 7.0);
	for (int g = 0; g < G; g++)
		for (int c = 0; c < C; c++)
			for (int t = 0; t < T; t++)
				x[((size_t) g * C + c) * T + t] = gsl_rng_uniform(r) * 60.0 / scale[g];
	for (int g = 0; g < G; g++)
		for (int t = 0; t < T; t++)
			y[g * T + t] = 100.0 + 3.0 * z[t] + gsl_ran_gaussian(r, noise[g]);
	for (int g = 0; g < G; g++)
		for (int c = 0; c < C; c++)
		{
			double		xs[T];

			for (int t = 0; t < T; t++)
				xs[t] = scale[g] * x[((size_t) g * C + c) * T + t];
			mm_adstock_weights(sp[c].adstock, sp[c].adstock_p1, 0, sp[c].max_lag + 1, true, w);
			mm_adstock_convolve(xs, T, w, sp[c].max_lag + 1, a);
			for (int t = 0; t < T; t++)
				y[g * T + t] += beta[g][c] * mm_saturation(sp[c].saturation, sp[c].sat_p1, sp[c].sat_p2,
														  a[t] / sp[c].input_scale);
		}
	for (int g = 0; g < G; g++)
		for (int t = 0; t < T; t++)
			y[g * T + t] /= scale[g];
}

void
test_geo(void)
{
	const double beta[G][C] = {{10, 5}, {16, 5}, {4, 5}};
	const double scale[G] = {2, 3, 6};
	double		noise[G] = {0.05, 0.05, 0.05};
	double		x[G * C * T], y[G * T], z[T];
	double		sigma[G], tau[C], unpooled[G * C], b[G * C], contrib[G * C * T], base[G * T];
	MMChannelSpec sp[C];
	MMGeoData	d = {G, C, 1, T, 0, T, 80, x, y, z, scale};
	MMGeoFit	f = {b, contrib, base};
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double	   *work = malloc(sizeof(double) * mm_geo_work_size(&d));
	double		sum_b[G * C] = {0};
	int			ok = 1;

	gsl_rng_set(r, 7);
	specs(sp);
	panel(r, sp, beta, noise, scale, x, y, z);

	UNIT_OK(mm_geo_hyper(&d, sp, 0.01, sigma, tau, unpooled, work, NULL) == MM_OK, "geo hyper: ok");
	for (int g = 0; g < G; g++)
		for (int c = 0; c < C; c++)
			ok &= fabs(unpooled[g * C + c] - beta[g][c]) < 0.02 * beta[g][c];
	UNIT_OK(ok, "geo hyper: each geo's own fit recovers its effects within 2%%");
	UNIT_OK(sigma[0] > 0.02 && sigma[0] < 0.1, "geo hyper: residual sd near the noise (%g)", sigma[0]);
	UNIT_OK(tau[0] > 3.0, "geo hyper: the spread of a channel whose geos differ is found (%g)", tau[0]);
	UNIT_NEAR(tau[1], 0.05, 1e-12, "geo hyper: a channel equal in every geo is floored at 1%% of its effect");

	/* the posterior mean: geos keep their own clear effect of channel 0, channel 1 stays national */
	UNIT_OK(mm_geo_draw(&d, sp, sigma, tau, NULL, &f, work, NULL) == MM_OK, "geo draw: ok");
	ok = 1;
	for (int g = 0; g < G; g++)
		ok &= fabs(b[g * C] - beta[g][0]) < 0.05 * beta[g][0] && fabs(b[g * C + 1] - 5.0) < 0.05;
	UNIT_OK(ok, "geo draw: clear geo effects kept, an equal channel at the national effect");
	/* the terms add up to the prediction, in the geo's units */
	ok = 1;
	for (int g = 0; g < G; g++)
		for (int t = 0; t < d.n_train; t++)
		{
			double		pred = base[g * T + t] + contrib[(g * C) * T + t] + contrib[(g * C + 1) * T + t];

			ok &= fabs(pred - y[g * T + t]) < 4 * noise[g] / scale[g] + 1e-9;
		}
	UNIT_OK(ok, "geo draw: base + channel terms reproduce each geo's KPI to the noise");

	/* a very noisy geo is pulled toward the national effect, a clear one is not */
	noise[2] = 40.0;
	gsl_rng_set(r, 7);
	panel(r, sp, beta, noise, scale, x, y, z);
	UNIT_OK(mm_geo_hyper(&d, sp, 0.01, sigma, tau, unpooled, work, NULL) == MM_OK &&
			mm_geo_draw(&d, sp, sigma, tau, NULL, &f, work, NULL) == MM_OK, "noisy geo: ok");
	UNIT_OK(fabs(b[2 * C] - sp[0].coef) < fabs(unpooled[2 * C] - sp[0].coef), "noisy geo: shrunk toward the national effect (%g -> %g)",
			unpooled[2 * C], b[2 * C]);
	UNIT_OK(fabs(b[0] - beta[0][0]) < 0.05 * beta[0][0], "noisy geo: a clear geo keeps its effect");

	/* draws centre on the posterior mean */
	memcpy(sum_b, b, sizeof(sum_b));
	{
		double		mean[G * C] = {0};
		const int	n = 2000;

		for (int k = 0; k < n; k++)
		{
			mm_geo_draw(&d, sp, sigma, tau, r, &f, work, NULL);
			for (int j = 0; j < G * C; j++)
				mean[j] += b[j] / n;
		}
		ok = 1;
		for (int j = 0; j < G * C; j++)
			ok &= fabs(mean[j] - sum_b[j]) < 0.05 * fabs(sum_b[j]) + 0.05;
		UNIT_OK(ok, "geo draws: the mean of 2000 draws is the posterior mean");
	}

	/* bad dimensions */
	d.n_train = 1 + 1 + C;
	UNIT_OK(mm_geo_hyper(&d, sp, 0.01, sigma, tau, unpooled, work, NULL) == MM_EDOM, "too few training rows: EDOM");
	d.n_train = 80;
	d.t0 = 1;
	UNIT_OK(mm_geo_hyper(&d, sp, 0.01, sigma, tau, unpooled, work, NULL) == MM_EDOM, "window past the rows: EDOM");
	d.t0 = 0;
	UNIT_OK(mm_geo_hyper(&d, sp, -1, sigma, tau, unpooled, work, NULL) == MM_EDOM, "negative tau floor: EDOM");
	{
		double		bad[G] = {2, 0, 6};

		d.scale = bad;
		UNIT_OK(mm_geo_hyper(&d, sp, 0.01, sigma, tau, unpooled, work, NULL) == MM_EDOM, "a zero scale: EDOM");
	}
	free(work);
	gsl_rng_free(r);
}
