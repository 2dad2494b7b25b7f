/*
 * bandit.c: Thompson-sampling allocation (thompson_weights) and the replay of
 * a bandit against known rates (bandit_simulate), doc/experiment.md, over
 * src/math/experiment/bandit.c.  Seeded: the same arguments give the same
 * weights and the same replay, bit for bit.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "experiment/experiment.h"
#include "math/experiment/bandit.h"
#include "math/generate.h"

PG_FUNCTION_INFO_V1(thompson_weights);
PG_FUNCTION_INFO_V1(bandit_simulate);

/* Most Monte-Carlo draws one re-weighting takes. */
#define MAX_DRAWS 100000000

static void
check_floor(float8 floor_share, int K)
{
	mm_check_range(floor_share, "floor", 0.0, true, 1.0, true);
	if (floor_share * K > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("floor must be at most 1/K"),
				 errdetail("Got %g for %d arms; the floors alone would exceed all traffic.", floor_share, K),
				 errhint("Use a floor of at most %g.", 1.0 / K)));
}

static void
check_draws(int32 draws)
{
	if (draws < 1 || draws > MAX_DRAWS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("draws must be in the range [1, %d]", MAX_DRAWS),
				 errdetail("Got %d.", draws)));
}

/*
 * thompson_weights(units, conversions, floor, draws, seed, prior_a, prior_b):
 * the next period's traffic weight per arm, floor + (1 - K floor) P(best),
 * P(best) by seeded Monte Carlo on the Beta posteriors (formulas §7.5).
 */
Datum
thompson_weights(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *u,
			   *c;
	float8		floor_share = PG_GETARG_FLOAT8(2);
	int32		draws = PG_GETARG_INT32(3);
	int64		seed = PG_GETARG_INT64(4);
	float8		a0 = PG_GETARG_FLOAT8(5);
	float8		b0 = PG_GETARG_FLOAT8(6);
	double	   *a,
			   *b,
			   *p,
			   *w;
	int			K;

	K = mm_exp_counts(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1), 2, &u, &c);
	check_floor(floor_share, K);
	check_draws(draws);
	mm_check_range(a0, "prior_a", 0.0, false, INFINITY, false);
	mm_check_range(b0, "prior_b", 0.0, false, INFINITY, false);
	a = palloc(sizeof(double) * K);
	b = palloc(sizeof(double) * K);
	p = palloc(sizeof(double) * K);
	w = palloc(sizeof(double) * K);
	for (int k = 0; k < K; k++)
	{
		a[k] = a0 + c[k];
		b[k] = b0 + u[k] - c[k];
	}
	mixmodel_check_core(mm_thompson_pbest(mm_rng_create(mm_gen_seed(seed, 0)), K, a, b, draws,
										  mixmodel_interrupt_check, p), "thompson_weights");
	mixmodel_check_core(mm_thompson_weights(K, p, floor_share, w), "thompson_weights");

	InitMaterializedSRF(fcinfo, 0);
	for (int k = 0; k < K; k++)
	{
		Datum		values[3];
		bool		nulls[3] = {false};

		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(p[k]);
		values[2] = Float8GetDatum(w[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * bandit_simulate(true_rates, periods, units_per_period, floor, draws,
 * replications, seed): the bandit replayed against known rates, per period
 * averaged over replications (mm_bandit_simulate), with cumulative regrets.
 */
Datum
bandit_simulate(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	float8	   *rates;
	int			K;
	int32		periods = PG_GETARG_INT32(1);
	float8		units = PG_GETARG_FLOAT8(2);
	float8		floor_share = PG_GETARG_FLOAT8(3);
	int32		draws = PG_GETARG_INT32(4);
	int32		reps = PG_GETARG_INT32(5);
	int64		seed = PG_GETARG_INT64(6);
	MMBanditSim sim;
	double	   *share,
			   *regret,
			   *even,
			   *pbest,
				cum = 0.0,
				cum_even = 0.0;

	rates = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(0), "true_rates", MM_ARR_NONNEG, &K);
	if (K < 2 || K > MM_EXP_MAX_ARMS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("true_rates must have 2 to %d arms", MM_EXP_MAX_ARMS),
				 errdetail("Got %d.", K)));
	for (int k = 0; k < K; k++)
		if (rates[k] > 1.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("true rate of arm %d must be at most 1", k + 1),
					 errdetail("Got %g.", rates[k])));
	if (periods < 1 || periods > 520)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods must be in the range [1, 520]"),
				 errdetail("Got %d.", periods)));
	mm_check_range(units, "units_per_period", 1.0, true, 4e9, true);
	if (units != floor(units))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_period must be a whole number"),
				 errdetail("Got %g.", units)));
	check_floor(floor_share, K);
	check_draws(draws);
	if (reps < 1 || reps > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("replications must be in the range [1, 100000]"),
				 errdetail("Got %d.", reps)));

	sim.K = K;
	sim.rates = rates;
	sim.periods = periods;
	sim.units = units;
	sim.floor = floor_share;
	sim.draws = draws;
	sim.replications = reps;
	sim.prior_a = 1.0;
	sim.prior_b = 1.0;
	share = palloc(sizeof(double) * periods);
	regret = palloc(sizeof(double) * periods);
	even = palloc(sizeof(double) * periods);
	pbest = palloc(sizeof(double) * periods);
	mixmodel_check_core(mm_bandit_simulate(mm_rng_create(mm_gen_seed(seed, 0)), &sim,
										   palloc(sizeof(double) * 6 * K),
										   palloc(sizeof(unsigned int) * K),
										   mixmodel_interrupt_check, share, regret, even, pbest),
						"bandit_simulate");

	InitMaterializedSRF(fcinfo, 0);
	for (int t = 0; t < periods; t++)
	{
		Datum		values[6];
		bool		nulls[6] = {false};

		cum += regret[t];
		cum_even += even[t];
		values[0] = Int32GetDatum(t + 1);
		values[1] = Float8GetDatum(share[t]);
		values[2] = Float8GetDatum(regret[t]);
		values[3] = Float8GetDatum(cum);
		values[4] = Float8GetDatum(cum_even);
		values[5] = Float8GetDatum(pbest[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
