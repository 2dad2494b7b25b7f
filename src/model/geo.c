/*
 * geo.c: glue of the geo stage of training (src/math/geo/pool.h, doc/geo.md).
 *
 * mixmodel._geo_fit_core(x, y, z, scale, dims, adstock, max_lag, normalize,
 *                        saturation, input_scale, point, draws, level, seed, tau_floor)
 * returns the geo model as rows (kind, geo, channel, period, value, lower, upper, series):
 *   coef          (g, c)       beta_gc, national-equivalent units
 *   unpooled      (g, c)       the geo's own least-squares b_gc
 *   contribution  (g, c)       channel contribution over the training rows, geo KPI units;
 *                 (0, c)       the same summed over the geos (national)
 *   sigma         (g)          residual sd (r_g-scaled units)
 *   tau           (c)          between-geo sd of beta_c
 *   term          (g, c)       series: the channel's term in each window row (c = 0: intercept
 *                              and fixed terms)
 *   fit           (g, t)       prediction of window row t
 *   draw          (g, c)       series: beta_gc in each national draw (runs with draws only)
 * geo, channel and period count from 1.  With draws (D x C x 5: adstock_p1,
 * adstock_p2, sat_p1, sat_p2, coef per channel, a Bayesian run's thinned
 * posterior) each geo's coefficients are drawn once per national draw;
 * values are medians and lower/upper the central interval at level, except
 * term and fit which are posterior means (fit with its band).  Without draws
 * the point specs give the posterior mean and no interval.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "common/args.h"
#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "common/rng.h"
#include "math/geo/pool.h"

PG_FUNCTION_INFO_V1(geo_fit_core);

static void
geo_row(ReturnSetInfo *rsinfo, const char *kind, int g, int c, int t,
		double value, double lower, double upper, bool interval, const double *series, int n)
{
	Datum		v[8];
	bool		nulls[8] = {false};

	v[0] = CStringGetTextDatum(kind);
	v[1] = Int32GetDatum(g);
	nulls[1] = (g < 0);
	v[2] = Int32GetDatum(c);
	nulls[2] = (c < 0);
	v[3] = Int32GetDatum(t);
	nulls[3] = (t < 0);
	v[4] = Float8GetDatum(value);
	nulls[4] = (series != NULL);
	v[5] = Float8GetDatum(lower);
	v[6] = Float8GetDatum(upper);
	nulls[5] = nulls[6] = !interval;
	if (series != NULL)
		v[7] = PointerGetDatum(mm_float8_array_build(series, n));
	nulls[7] = (series == NULL);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
}

/* median and central interval of D values with stride */
static void
geo_summary(double *vals, size_t D, double level, double *med, double *lo, double *hi)
{
	gsl_sort(vals, 1, D);
	*med = gsl_stats_median_from_sorted_data(vals, 1, D);
	*lo = gsl_stats_quantile_from_sorted_data(vals, 1, D, (1.0 - level) / 2.0);
	*hi = gsl_stats_quantile_from_sorted_data(vals, 1, D, (1.0 + level) / 2.0);
}

Datum
geo_fit_core(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			nx, ny, nz, ns, nd, nad, nml, nnorm, nsat, nis, npt, ndr;
	double	   *x = mm_float8_array_arg(fcinfo, 0, "x", MM_ARR_NONNEG, &nx);
	double	   *y = mm_float8_array_nan_arg(fcinfo, 1, "y", &ny);
	double	   *z = mm_float8_array_arg(fcinfo, 2, "z", MM_ARR_ALLOW_EMPTY, &nz);
	double	   *scale = mm_float8_array_arg(fcinfo, 3, "scale", 0, &ns);
	int		   *dims = mm_int_array_arg(fcinfo, 4, "dims", &nd);
	char	  **adstock = mm_text_array_arg(fcinfo, 5, "adstock", &nad);
	int		   *max_lag = mm_int_array_arg(fcinfo, 6, "max_lag", &nml);
	int		   *normalize = mm_int_array_arg(fcinfo, 7, "normalize", &nnorm);
	char	  **saturation = mm_text_array_arg(fcinfo, 8, "saturation", &nsat);
	double	   *input_scale = mm_float8_array_arg(fcinfo, 9, "input_scale", 0, &nis);
	double	   *point = mm_float8_array_arg(fcinfo, 10, "point", 0, &npt);
	double	   *draws = mm_float8_array_arg(fcinfo, 11, "draws", MM_ARR_ALLOW_EMPTY, &ndr);
	double		level,
				tau_floor;
	int64		seed;
	MMGeoData	d;
	MMChannelSpec *spec;
	double	   *work,
			   *sigma,
			   *tau,
			   *unpooled;
	int			D;
	size_t		GC,
				Gn;

	if (PG_ARGISNULL(12) || PG_ARGISNULL(13) || PG_ARGISNULL(14))
		mm_null_argument(PG_ARGISNULL(12) ? "level" : PG_ARGISNULL(13) ? "seed" : "tau_floor");
	level = PG_GETARG_FLOAT8(12);
	seed = PG_GETARG_INT64(13);
	tau_floor = PG_GETARG_FLOAT8(14);
	mm_check_range(level, "level", 0.0, false, 1.0, false);
	mm_check_range(tau_floor, "tau_floor", 0.0, true, 1.0, true);
	mm_check_length(nd, 7, "dims");
	d.G = dims[0];
	d.C = dims[1];
	d.F = dims[2];
	d.T = dims[3];
	d.t0 = dims[4];
	d.n = dims[5];
	d.n_train = dims[6];
	if (d.G < 1 || d.G > 10000 || d.C < 1 || d.C > 64 || d.F < 0 || d.F > 64 ||
		d.T < 1 || d.n < 1 || d.t0 < 0 || d.t0 > d.T - d.n || d.n_train < 1 || d.n_train > d.n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("geo model dimensions are out of range"),
				 errdetail("geos %d, channels %d, fixed terms %d, rows %d, window %d + %d, training rows %d.",
						   d.G, d.C, d.F, d.T, d.t0, d.n, d.n_train)));
	if (d.n_train <= 1 + d.F + d.C)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("too few training periods for a geo's coefficients"),
				 errdetail("%d periods for %d coefficients per geo.", d.n_train, 1 + d.F + d.C)));
	mm_check_length(nx, d.G * d.C * d.T, "x");
	mm_check_length(ny, d.G * d.n, "y");
	mm_check_length(nz, d.F * d.n, "z");
	mm_check_length(ns, d.G, "scale");
	mm_check_length(nad, d.C, "adstock");
	mm_check_length(nml, d.C, "max_lag");
	mm_check_length(nnorm, d.C, "normalize");
	mm_check_length(nsat, d.C, "saturation");
	mm_check_length(nis, d.C, "input_scale");
	mm_check_length(npt, 5 * d.C, "point");
	if (ndr % (5 * d.C) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("draws must hold 5 values per channel per draw"),
				 errdetail("Got %d values for %d channels.", ndr, d.C)));
	D = ndr / (5 * d.C);
	for (int g = 0; g < d.G; g++)
	{
		if (!(scale[g] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("geo scale must be positive"),
					 errdetail("Geo %d has scale %g.", g + 1, scale[g])));
		for (int t = 0; t < d.n_train; t++)
			if (!isfinite(y[(size_t) g * d.n + t]))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("the KPI of geo %d is missing or not finite in the training window", g + 1)));
	}
	d.x = x;
	d.y = y;
	d.Z = z;
	d.scale = scale;

	spec = palloc0(sizeof(MMChannelSpec) * d.C);
	for (int c = 0; c < d.C; c++)
	{
		spec[c].adstock = mm_adstock_kind_arg(adstock[c]);
		spec[c].saturation = mm_saturation_kind_arg(saturation[c], MM_SATURATION_KINDS);
		if (max_lag[c] < -1 || max_lag[c] > 10000)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_lag must be -1 or in the range [0, 10000]")));
		spec[c].max_lag = max_lag[c];
		spec[c].adstock_normalize = normalize[c] != 0;
		spec[c].input_scale = input_scale[c];
		if (!(input_scale[c] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("input_scale must be positive")));
		spec[c].adstock_p1 = point[5 * c];
		spec[c].adstock_p2 = point[5 * c + 1];
		spec[c].sat_p1 = point[5 * c + 2];
		spec[c].sat_p2 = point[5 * c + 3];
		spec[c].coef = point[5 * c + 4];
	}
	if (mm_geo_work_size(&d) > (long) (MaxAllocHugeSize / sizeof(double)) / 2)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("the geo model is too large")));
	work = palloc_extended(sizeof(double) * mm_geo_work_size(&d), MCXT_ALLOC_HUGE);
	sigma = palloc(sizeof(double) * d.G);
	tau = palloc(sizeof(double) * d.C);
	GC = (size_t) d.G * d.C;
	Gn = (size_t) d.G * d.n;
	unpooled = palloc(sizeof(double) * GC);
	mixmodel_check_core(mm_geo_hyper(&d, spec, tau_floor, sigma, tau, unpooled, work,
									 mixmodel_interrupt_check), "the geos' own fits");

	InitMaterializedSRF(fcinfo, 0);
	for (int c = 0; c < d.C; c++)
		geo_row(rsinfo, "tau", -1, c + 1, -1, tau[c], 0, 0, false, NULL, 0);
	for (int g = 0; g < d.G; g++)
	{
		geo_row(rsinfo, "sigma", g + 1, -1, -1, sigma[g], 0, 0, false, NULL, 0);
		for (int c = 0; c < d.C; c++)
			geo_row(rsinfo, "unpooled", g + 1, c + 1, -1, unpooled[(size_t) g * d.C + c], 0, 0, false, NULL, 0);
	}

	if (D == 0)
	{
		MMGeoFit	f;
		double	   *ctot = palloc0(sizeof(double) * d.C);

		f.beta = palloc(sizeof(double) * GC);
		f.contrib = palloc_extended(sizeof(double) * GC * d.n, MCXT_ALLOC_HUGE);
		f.base = palloc(sizeof(double) * Gn);
		mixmodel_check_core(mm_geo_draw(&d, spec, sigma, tau, NULL, &f, work, mixmodel_interrupt_check),
							"the geo posterior");
		for (int g = 0; g < d.G; g++)
		{
			for (int c = 0; c < d.C; c++)
			{
				const double *ct = f.contrib + ((size_t) g * d.C + c) * d.n;
				double		tot = 0.0;

				for (int t = 0; t < d.n_train; t++)
					tot += ct[t];
				ctot[c] += tot;
				geo_row(rsinfo, "coef", g + 1, c + 1, -1, f.beta[(size_t) g * d.C + c], 0, 0, false, NULL, 0);
				geo_row(rsinfo, "contribution", g + 1, c + 1, -1, tot, 0, 0, false, NULL, 0);
				geo_row(rsinfo, "term", g + 1, c + 1, -1, 0, 0, 0, false, ct, d.n);
			}
			geo_row(rsinfo, "term", g + 1, 0, -1, 0, 0, 0, false, f.base + (size_t) g * d.n, d.n);
			for (int t = 0; t < d.n; t++)
			{
				double		v = f.base[(size_t) g * d.n + t];

				for (int c = 0; c < d.C; c++)
					v += f.contrib[((size_t) g * d.C + c) * d.n + t];
				geo_row(rsinfo, "fit", g + 1, -1, t + 1, v, 0, 0, false, NULL, 0);
			}
		}
		for (int c = 0; c < d.C; c++)
			geo_row(rsinfo, "contribution", 0, c + 1, -1, ctot[c], 0, 0, false, NULL, 0);
	}
	else
	{
		/* per draw: beta and contribution totals (D x G x C), national totals (D x C),
		 * predictions (D x G x n); running sums of the terms */
		double	   *beta_d = palloc_extended(sizeof(double) * GC * D, MCXT_ALLOC_HUGE);
		double	   *tot_d = palloc_extended(sizeof(double) * GC * D, MCXT_ALLOC_HUGE);
		double	   *nat_d = palloc0(sizeof(double) * d.C * D);
		double	   *fit_d = palloc_extended(sizeof(double) * Gn * D, MCXT_ALLOC_HUGE);
		double	   *term_sum = palloc_extended(sizeof(double) * GC * d.n, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		double	   *base_sum = palloc0(sizeof(double) * Gn);
		double	   *vals = palloc(sizeof(double) * D);
		double	   *tmean = palloc(sizeof(double) * d.n);
		MMChannelSpec *sd = palloc(sizeof(MMChannelSpec) * d.C);
		MMGeoFit	f;
		gsl_rng    *r = mm_rng_create((unsigned long) seed);

		f.beta = palloc(sizeof(double) * GC);
		f.contrib = palloc_extended(sizeof(double) * GC * d.n, MCXT_ALLOC_HUGE);
		f.base = palloc(sizeof(double) * Gn);
		for (int k = 0; k < D; k++)
		{
			const double *dr = draws + (size_t) k * 5 * d.C;

			for (int c = 0; c < d.C; c++)
			{
				sd[c] = spec[c];
				sd[c].adstock_p1 = dr[5 * c];
				sd[c].adstock_p2 = dr[5 * c + 1];
				sd[c].sat_p1 = dr[5 * c + 2];
				sd[c].sat_p2 = dr[5 * c + 3];
				sd[c].coef = dr[5 * c + 4];
			}
			mixmodel_check_core(mm_geo_draw(&d, sd, sigma, tau, r, &f, work, mixmodel_interrupt_check),
								"the geo posterior");
			for (int g = 0; g < d.G; g++)
			{
				for (int t = 0; t < d.n; t++)
				{
					double		v = f.base[(size_t) g * d.n + t];

					base_sum[(size_t) g * d.n + t] += v;
					for (int c = 0; c < d.C; c++)
						v += f.contrib[((size_t) g * d.C + c) * d.n + t];
					fit_d[((size_t) g * d.n + t) * D + k] = v;
				}
				for (int c = 0; c < d.C; c++)
				{
					const double *ct = f.contrib + ((size_t) g * d.C + c) * d.n;
					double		tot = 0.0;

					for (int t = 0; t < d.n; t++)
					{
						term_sum[((size_t) g * d.C + c) * d.n + t] += ct[t];
						if (t < d.n_train)
							tot += ct[t];
					}
					beta_d[((size_t) g * d.C + c) * D + k] = f.beta[(size_t) g * d.C + c];
					tot_d[((size_t) g * d.C + c) * D + k] = tot;
					nat_d[(size_t) c * D + k] += tot;
				}
			}
		}
		for (int g = 0; g < d.G; g++)
		{
			for (int c = 0; c < d.C; c++)
			{
				double		med, lo, hi;

				CHECK_FOR_INTERRUPTS();
				memcpy(vals, beta_d + ((size_t) g * d.C + c) * D, sizeof(double) * D);
				geo_summary(vals, D, level, &med, &lo, &hi);
				geo_row(rsinfo, "coef", g + 1, c + 1, -1, med, lo, hi, true, NULL, 0);
				memcpy(vals, tot_d + ((size_t) g * d.C + c) * D, sizeof(double) * D);
				geo_summary(vals, D, level, &med, &lo, &hi);
				geo_row(rsinfo, "contribution", g + 1, c + 1, -1, med, lo, hi, true, NULL, 0);
				for (int t = 0; t < d.n; t++)
					tmean[t] = term_sum[((size_t) g * d.C + c) * d.n + t] / D;
				geo_row(rsinfo, "term", g + 1, c + 1, -1, 0, 0, 0, false, tmean, d.n);
			}
			for (int t = 0; t < d.n; t++)
				tmean[t] = base_sum[(size_t) g * d.n + t] / D;
			geo_row(rsinfo, "term", g + 1, 0, -1, 0, 0, 0, false, tmean, d.n);
			for (int t = 0; t < d.n; t++)
			{
				double		med, lo, hi;
				double	   *fv = fit_d + ((size_t) g * d.n + t) * D;
				double		mean = 0.0;

				for (int k = 0; k < D; k++)
					mean += fv[k] / D;
				geo_summary(fv, D, level, &med, &lo, &hi);
				geo_row(rsinfo, "fit", g + 1, -1, t + 1, mean, lo, hi, true, NULL, 0);
			}
		}
		/* every geo's effect draws, in the national draws' order (geo response bands) */
		for (size_t j = 0; j < GC; j++)
			geo_row(rsinfo, "draw", (int) (j / d.C) + 1, (int) (j % d.C) + 1, -1, 0, 0, 0, false, beta_d + j * D, D);
		for (int c = 0; c < d.C; c++)
		{
			double		med, lo, hi;

			memcpy(vals, nat_d + (size_t) c * D, sizeof(double) * D);
			geo_summary(vals, D, level, &med, &lo, &hi);
			geo_row(rsinfo, "contribution", 0, c + 1, -1, med, lo, hi, true, NULL, 0);
		}
	}
	return (Datum) 0;
}
