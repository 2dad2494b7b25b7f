/*
 * posterior.c: the Bayesian view of an experiment (formulas §7.5,
 * doc/experiment.md): per arm its posterior, credible interval, probability
 * to be best and expected loss, for conversion rates (Beta) and for means of
 * a continuous metric (Normal).
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "experiment/experiment.h"

PG_FUNCTION_INFO_V1(ab_posterior);
PG_FUNCTION_INFO_V1(ab_posterior_means);

/*
 * ab_posterior(units, conversions, prior_a, prior_b, credibility): arm k's
 * rate is Beta(prior_a + conversions, prior_b + units - conversions).
 */
Datum
ab_posterior(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *u,
			   *c;
	float8		a0 = PG_GETARG_FLOAT8(2);
	float8		b0 = PG_GETARG_FLOAT8(3);
	float8		cred = PG_GETARG_FLOAT8(4);
	double	   *p_best,
			   *loss;
	int			K;

	K = mm_exp_counts(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1), 1, &u, &c);
	mm_check_range(a0, "prior_a", 0.0, false, INFINITY, false);
	mm_check_range(b0, "prior_b", 0.0, false, INFINITY, false);
	mm_check_range(cred, "credibility", 0.0, false, 1.0, false);
	p_best = palloc(sizeof(double) * K);
	loss = palloc(sizeof(double) * K);
	mm_exp_beta_best(K, u, c, a0, b0, p_best, loss);

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < K; k++)
	{
		double		a = a0 + c[k],
					b = b0 + u[k] - c[k];
		Datum		values[8];
		bool		nulls[8] = {false};

		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(a);
		values[2] = Float8GetDatum(b);
		values[3] = Float8GetDatum(a / (a + b));
		mm_exp_put(values, nulls, 4, mm_beta_quantile((1.0 - cred) / 2.0, a, b));
		mm_exp_put(values, nulls, 5, mm_beta_quantile((1.0 + cred) / 2.0, a, b));
		values[6] = Float8GetDatum(p_best[k]);
		values[7] = Float8GetDatum(loss[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * ab_posterior_means(n, mean, sd, credibility): arm k's mean is
 * Normal(mean, sd^2 / n) (flat prior, the sample variance taken as known).
 */
Datum
ab_posterior_means(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *n,
			   *m,
			   *s;
	float8		cred = PG_GETARG_FLOAT8(3);
	double	   *p_best,
			   *loss,
			   *psd,
				z;
	bool		have_best = true;
	int			K;

	K = mm_exp_means(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
					 1, &n, &m, &s);
	mm_check_range(cred, "credibility", 0.0, false, 1.0, false);
	z = gsl_cdf_ugaussian_Qinv((1.0 - cred) / 2.0);
	p_best = palloc(sizeof(double) * K);
	loss = palloc(sizeof(double) * K);
	psd = palloc(sizeof(double) * K);
	for (int k = 0; k < K; k++)
	{
		psd[k] = n[k] >= 2 ? s[k] / sqrt(n[k]) : NAN;
		if (!(psd[k] > 0) || !isfinite(psd[k]))
			have_best = false;
	}
	if (have_best)
		mixmodel_check_core(mm_normal_best(K, m, psd, mm_exp_workspace(),
										   mixmodel_interrupt_check, p_best, loss),
							"probability to be best");

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < K; k++)
	{
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(m[k]);
		mm_exp_put(values, nulls, 2, psd[k]);
		mm_exp_put(values, nulls, 3, m[k] - z * psd[k]);
		mm_exp_put(values, nulls, 4, m[k] + z * psd[k]);
		mm_exp_put(values, nulls, 5, have_best ? p_best[k] : NAN);
		mm_exp_put(values, nulls, 6, have_best ? loss[k] : NAN);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
