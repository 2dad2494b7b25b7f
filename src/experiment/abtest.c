/*
 * abtest.c: the A/B primitives on per-arm counts and means
 * (doc/experiment.md): ab_test (the contract), ab_test_welch,
 * anytime_interval and srm_test, over src/math/experiment.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "experiment/experiment.h"
#include "math/experiment/abtest.h"

PG_FUNCTION_INFO_V1(ab_test);
PG_FUNCTION_INFO_V1(ab_test_welch);
PG_FUNCTION_INFO_V1(anytime_interval);
PG_FUNCTION_INFO_V1(srm_test);

/*
 * ab_test(units, conversions, alpha, rho2): per arm, the rate, the lift
 * against arm 1, the pooled z test and the Bonferroni-corrected fixed and
 * anytime-valid intervals of the difference, and P(best) under Beta(1, 1).
 */
Datum
ab_test(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *u,
			   *c;
	float8		alpha = PG_GETARG_FLOAT8(2);
	float8		rho2 = PG_GETARG_FLOAT8(3);
	double	   *p_best,
			   *loss,
				level;
	int			K;
	MMArm		ctrl;

	K = mm_exp_counts(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1), 2, &u, &c);
	mm_exp_check_level(alpha, rho2);
	/* Bonferroni over the K - 1 comparisons with the control (formulas §7.4) */
	level = alpha / (K - 1);
	p_best = palloc(sizeof(double) * K);
	loss = palloc(sizeof(double) * K);
	mm_exp_beta_best(K, u, c, 1.0, 1.0, p_best, loss);
	mixmodel_check_core(mm_arm_binary(u[0], c[0], &ctrl), "ab_test");

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < K; k++)
	{
		Datum		values[13];
		bool		nulls[13] = {false};
		MMTest		t = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		MMAnytime	a = {NAN, NAN, NAN, NAN, NAN};

		if (k > 0)
		{
			MMArm		arm;

			mixmodel_check_core(mm_arm_binary(u[k], c[k], &arm), "ab_test");
			mixmodel_check_core(mm_prop_test(u[0], c[0], u[k], c[k], level, &t), "ab_test");
			mixmodel_check_core(mm_anytime_diff(&ctrl, &arm, level, rho2, &a), "ab_test");
		}
		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(u[k]);
		values[2] = Float8GetDatum(c[k]);
		values[3] = Float8GetDatum(c[k] / u[k]);
		mm_exp_put(values, nulls, 4, t.diff);
		mm_exp_put(values, nulls, 5, ctrl.mean > 0 ? t.diff / ctrl.mean : NAN);
		mm_exp_put(values, nulls, 6, t.p_value);
		mm_exp_put(values, nulls, 7, t.ci_low);
		mm_exp_put(values, nulls, 8, t.ci_high);
		mm_exp_put(values, nulls, 9, a.p_value);
		mm_exp_put(values, nulls, 10, a.low);
		mm_exp_put(values, nulls, 11, a.high);
		values[12] = Float8GetDatum(p_best[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * ab_test_welch(n, mean, sd, alpha, rho2): the same comparison for a
 * continuous metric from per-arm summaries: Welch's t test, the anytime-valid
 * interval and P(best) of Normal(mean, sd^2 / n) posteriors.
 */
Datum
ab_test_welch(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *n,
			   *m,
			   *s;
	float8		alpha = PG_GETARG_FLOAT8(3);
	float8		rho2 = PG_GETARG_FLOAT8(4);
	double	   *p_best,
			   *loss,
			   *post_sd,
				level;
	bool		have_best = true;
	int			K;
	MMArm		ctrl;

	K = mm_exp_means(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
					 2, &n, &m, &s);
	mm_exp_check_level(alpha, rho2);
	level = alpha / (K - 1);
	p_best = palloc(sizeof(double) * K);
	loss = palloc(sizeof(double) * K);
	post_sd = palloc(sizeof(double) * K);
	for (int k = 0; k < K; k++)
	{
		post_sd[k] = s[k] / sqrt(n[k]);
		/* a point-mass posterior (one unit, or a constant metric) has no P(best) */
		if (n[k] < 2 || !(post_sd[k] > 0) || !isfinite(post_sd[k]))
			have_best = false;
	}
	if (have_best)
		mixmodel_check_core(mm_normal_best(K, m, post_sd, mm_exp_workspace(),
										   mixmodel_interrupt_check, p_best, loss),
							"probability to be best");
	ctrl.n = n[0];
	ctrl.mean = m[0];
	ctrl.var = n[0] >= 2 ? s[0] * s[0] : NAN;

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < K; k++)
	{
		Datum		values[16];
		bool		nulls[16] = {false};
		MMTest		t = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		MMAnytime	a = {NAN, NAN, NAN, NAN, NAN};

		if (k > 0)
		{
			MMArm		arm = {n[k], m[k], n[k] >= 2 ? s[k] * s[k] : NAN};

			mixmodel_check_core(mm_welch_test(&ctrl, &arm, level, &t), "ab_test_welch");
			mixmodel_check_core(mm_anytime_diff(&ctrl, &arm, level, rho2, &a), "ab_test_welch");
		}
		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(n[k]);
		values[2] = Float8GetDatum(m[k]);
		values[3] = Float8GetDatum(s[k]);
		mm_exp_put(values, nulls, 4, t.diff);
		mm_exp_put(values, nulls, 5, m[0] != 0 ? t.diff / m[0] : NAN);
		mm_exp_put(values, nulls, 6, t.se);
		mm_exp_put(values, nulls, 7, t.stat);
		mm_exp_put(values, nulls, 8, t.df);
		mm_exp_put(values, nulls, 9, t.p_value);
		mm_exp_put(values, nulls, 10, t.ci_low);
		mm_exp_put(values, nulls, 11, t.ci_high);
		mm_exp_put(values, nulls, 12, a.p_value);
		mm_exp_put(values, nulls, 13, a.low);
		mm_exp_put(values, nulls, 14, a.high);
		mm_exp_put(values, nulls, 15, have_best ? p_best[k] : NAN);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

static Datum
record_of(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * anytime_interval(n, mean, sd, alpha, rho2, OUT low, OUT high): the
 * anytime-valid interval of one arm's mean (formulas §7.2, per-arm CS).
 */
Datum
anytime_interval(PG_FUNCTION_ARGS)
{
	float8		n = PG_GETARG_FLOAT8(0);
	float8		mean = PG_GETARG_FLOAT8(1);
	float8		sd = PG_GETARG_FLOAT8(2);
	MMArm		arm;
	double		lo,
				hi;
	Datum		values[2];
	bool		nulls[2];

	mm_check_range(n, "n", 0.0, false, INFINITY, false);
	mm_check_finite(mean, "mean");
	mm_check_range(sd, "sd", 0.0, true, INFINITY, false);
	mm_exp_check_level(PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4));
	arm.n = n;
	arm.mean = mean;
	arm.var = sd * sd;
	mixmodel_check_core(mm_anytime_mean(&arm, PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), &lo, &hi),
						"anytime_interval");
	mm_exp_put(values, nulls, 0, lo);
	mm_exp_put(values, nulls, 1, hi);
	PG_RETURN_DATUM(record_of(fcinfo, values, nulls));
}

/*
 * srm_test(units, planned, threshold, OUT chi2, OUT df, OUT p_value,
 * OUT mismatch): Pearson's chi-square of the units per arm against the
 * planned split; mismatch when p < threshold.
 */
Datum
srm_test(PG_FUNCTION_ARGS)
{
	float8	   *u,
			   *w;
	int			nu,
				nw;
	float8		threshold = PG_GETARG_FLOAT8(2);
	double		chi2,
				df,
				p;
	Datum		values[4];
	bool		nulls[4] = {false};

	u = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(0), "units", MM_ARR_NONNEG, &nu);
	w = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(1), "planned", MM_ARR_NONNEG, &nw);
	if (nu != nw)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("arrays \"units\" and \"planned\" must have the same length"),
				 errdetail("\"units\" has %d elements, \"planned\" has %d.", nu, nw)));
	if (nu < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an experiment needs at least two arms"),
				 errdetail("Got %d.", nu)));
	for (int k = 0; k < nw; k++)
		if (w[k] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("planned share of arm %d must be positive", k + 1)));
	mm_check_range(threshold, "threshold", 0.0, false, 1.0, false);
	chi2 = 0;
	for (int k = 0; k < nu; k++)
		chi2 += u[k];
	if (chi2 == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no arm has units")));
	mixmodel_check_core(mm_srm_test(nu, u, w, &chi2, &df, &p), "srm_test");
	values[0] = Float8GetDatum(chi2);
	values[1] = Int32GetDatum((int32) df);
	values[2] = Float8GetDatum(p);
	values[3] = BoolGetDatum(p < threshold);
	PG_RETURN_DATUM(record_of(fcinfo, values, nulls));
}
