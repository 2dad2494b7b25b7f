/*
 * generate.c: the generator's experiments with known true rates
 * (doc/generator.md "Experiments"): a message content experiment on the first
 * owned channel, as Journey Optimizer exports its assignments, and a holdout
 * lift study of a paid channel whose true incremental revenue is the
 * channel's true contribution over the study weeks.
 *
 * Units are distinct profiles with ids 1, 2, ... of their own, each assigned
 * independently.  generate_raw_data calls mm_generate_experiments after the truth; the rows
 * come from mixmodel._generate_experiment_units, whose draws use streams of
 * their own, so the other tables do not change with them.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "experiment/generate.h"
#include "math/experiment/units.h"
#include "math/generate.h"

PG_FUNCTION_INFO_V1(generate_experiment_units);

/* Most units one experiment of the generator has. */
#define MAX_ORDER_RATE 100
#define MAX_UNITS 10000000

/* Log-SD of the value of one order (its mean is the average order value). */
#define VALUE_SIGMA 0.25

/* Content experiment: weeks, and true rates of arms A (control), B, C. */
#define CONTENT_DAYS 28
static const char *const content_arms[] = {"A", "B", "C"};
static const double content_open[] = {1.0, 1.15, 0.95};	/* x the channel's open rate */
static const double content_click[] = {0.12, 0.13, 0.12};
static const double content_conv[] = {0.030, 0.042, 0.027};

/* Lift study: weeks, units, held-out share, audience's share of the other revenue. */
#define LIFT_WEEKS 8
#define LIFT_UNITS 50000
#define LIFT_HOLDOUT 0.5
#define LIFT_BASE_SHARE 0.25

static uint32
name_hash(const char *s)
{
	return hash_bytes((const unsigned char *) s, strlen(s));
}

/*
 * _generate_experiment_units(seed, experiment, channel, campaign, start_date,
 * units, profiles, treatments, shares, open_rates, click_rates, order_rates,
 * aov): units[d] units assigned on day d from start_date; a unit's arm is a
 * seeded hash of its profile (so a profile keeps its arm), profiles 0 making
 * unit i profile i + 1; empty open_rates for units that are not messages.
 */
Datum
generate_experiment_units(PG_FUNCTION_ARGS)
{
	static const char *const argnames[] = {"seed", "experiment", "channel", "campaign", "start_date",
	"units", "profiles", "treatments", "shares", "open_rates", "click_rates", "order_rates", "aov"};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		seed;
	char	   *experiment;
	DateADT		start;
	int64		profiles;
	float8		aov;
	Datum	   *treat;
	float8	   *units,
			   *shares,
			   *open,
			   *click,
			   *orders;
	int			ndays,
				K,
				ns,
				no,
				nc,
				nr;
	double		total = 0.0,
				sum_share = 0.0;
	MMExpArmTruth *arms;
	gsl_rng    *r;
	uint64		salt;
	int64		unit = 0;

	for (int i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i) && i != 3)
			mm_null_argument(argnames[i]);
	seed = PG_GETARG_INT64(0);
	experiment = text_to_cstring(PG_GETARG_TEXT_PP(1));
	start = PG_GETARG_DATEADT(4);
	profiles = PG_GETARG_INT64(6);
	aov = PG_GETARG_FLOAT8(12);
	if (DATE_NOT_FINITE(start))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("start_date must be finite")));
	if (profiles < 0 || profiles > (int64) 4294967295LL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profiles must be in the range [0, 4294967295]"),
				 errdetail("Got %lld.", (long long) profiles)));
	mm_check_range(aov, "aov", 0.0, false, 1e6, true);
	units = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(5), "units", MM_ARR_NONNEG, &ndays);
	treat = mm_text_array_values(PG_GETARG_ARRAYTYPE_P(7), "treatments", &K);
	shares = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(8), "shares", MM_ARR_NONNEG, &ns);
	open = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(9), "open_rates", MM_ARR_NONNEG | MM_ARR_ALLOW_EMPTY, &no);
	click = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(10), "click_rates", MM_ARR_NONNEG | MM_ARR_ALLOW_EMPTY, &nc);
	orders = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(11), "order_rates", MM_ARR_NONNEG, &nr);
	if (K < 1 || ns != K || nr != K || no != nc || (no != 0 && no != K))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("treatments, shares and order_rates must have the same length, open_rates and click_rates that length or none"),
				 errdetail("Got %d, %d, %d, %d and %d elements.", K, ns, nr, no, nc)));
	if (ndays > 3660)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an experiment of the generator lasts at most 3660 days")));
	arms = palloc(sizeof(MMExpArmTruth) * K);
	for (int k = 0; k < K; k++)
	{
		if ((no > 0 && (open[k] > 1 || click[k] > 1)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("open and click rates must be at most 1")));
		/* each order draws its revenue: a rate of 1e308 would loop for ever */
		if (orders[k] > MAX_ORDER_RATE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("order rates must be at most %d orders per unit", MAX_ORDER_RATE),
					 errdetail("Got %g.", orders[k])));
		arms[k].share = shares[k];
		arms[k].open_rate = no > 0 ? open[k] : NAN;
		arms[k].click_rate = no > 0 ? click[k] : NAN;
		arms[k].order_rate = orders[k];
		sum_share += shares[k];
	}
	if (fabs(sum_share - 1.0) > 1e-9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("shares must sum to 1"),
				 errdetail("They sum to %g.", sum_share)));
	for (int d = 0; d < ndays; d++)
	{
		if (units[d] != floor(units[d]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("units must be whole numbers")));
		total += units[d];
	}
	if (total > MAX_UNITS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many units"),
				 errdetail("Got %.0f; the limit is %d.", total, MAX_UNITS)));

	InitMaterializedSRF(fcinfo, 0);
	/* outcomes from a stream of their own; the arm from a hash of (seed, experiment, profile) */
	r = mm_rng_create(mm_gen_seed(seed, ((int64) 2 << 32) | name_hash(experiment)));
	salt = (uint64) seed ^ ((uint64) name_hash(experiment) << 32);
	for (int d = 0; d < ndays; d++)
		for (int64 i = 0; i < (int64) units[d]; i++, unit++)
		{
			Datum		values[11];
			bool		nulls[11] = {false};
			int64		profile = profiles > 0 ? 1 + (int64) gsl_rng_uniform_int(r, (unsigned long) profiles) : unit + 1;
			double		u = mm_gen_seed((int64) salt, profile) / 4294967296.0;
			double		usec = floor(gsl_rng_uniform(r) * 86400.0) * 1e6;
			MMExpUnit	x;

			if ((unit & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			mixmodel_check_core(mm_exp_draw_unit(r, u, K, arms, aov, VALUE_SIGMA, &x),
								"_generate_experiment_units");
			values[0] = PG_GETARG_DATUM(1);
			values[1] = treat[x.arm];
			values[2] = Int64GetDatum(profile);
			values[3] = TimestampTzGetDatum((TimestampTz) (start + d) * USECS_PER_DAY + (TimestampTz) usec);
			values[4] = PG_GETARG_DATUM(2);
			if (PG_ARGISNULL(3))
				nulls[5] = true;
			else
				values[5] = PG_GETARG_DATUM(3);
			if (x.opened < 0)
				nulls[6] = nulls[7] = true;
			else
			{
				values[6] = Int32GetDatum(x.opened);
				values[7] = Int32GetDatum(x.clicked);
			}
			values[8] = Int32GetDatum(x.orders > 0);
			values[9] = Int32GetDatum(x.orders);
			values[10] = Float8GetDatum(nearbyint(x.revenue * 100.0) / 100.0);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}

static Datum
float8_array(const double *v, int n)
{
	return PointerGetDatum(mm_float8_array_build(v, n));
}

static Datum
text_array(const char *const *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(v[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* One experiment's units into the assignments table; returns the rows written. */
static int64
insert_units(const MMGenExperiments *x, const char *experiment, const char *channel,
			 const char *campaign, DateADT start, const double *units, int ndays,
			 const char *const *arms, const double *shares, const double *open,
			 const double *click, const double *order_rates, int K, int64 profiles)
{
	Oid			types[13] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, DATEOID, FLOAT8ARRAYOID, INT8OID,
	TEXTARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8OID};
	Datum		args[13];
	char		nulls[13];
	int			rc;

	memset(nulls, ' ', sizeof(nulls));
	args[0] = Int64GetDatum(x->seed);
	args[1] = CStringGetTextDatum(experiment);
	args[2] = CStringGetTextDatum(channel);
	if (campaign)
		args[3] = CStringGetTextDatum(campaign);
	else
	{
		args[3] = (Datum) 0;
		nulls[3] = 'n';
	}
	args[4] = DateADTGetDatum(start);
	args[5] = float8_array(units, ndays);
	args[6] = Int64GetDatum(profiles);
	args[7] = text_array(arms, K);
	args[8] = float8_array(shares, K);
	args[9] = float8_array(open, open ? K : 0);
	args[10] = float8_array(click, click ? K : 0);
	args[11] = float8_array(order_rates, K);
	args[12] = Float8GetDatum(x->aov);
	rc = SPI_execute_with_args(psprintf("INSERT INTO %s SELECT * FROM mixmodel._generate_experiment_units("
										"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
										x->assignments_table),
							   13, types, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "generate: experiment insert failed: %s", SPI_result_code_string(rc));
	return (int64) SPI_processed;
}

/* One experiment_truth row. */
static void
insert_truth(const MMGenExperiments *x, const char *experiment, const char *kind, const char *channel,
			 const char *treatment, bool control, double share, DateADT d0, DateADT d1,
			 double open, double click, double order_rate, double rate_lift, double incremental)
{
	Oid			types[14] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, FLOAT8OID, DATEOID, DATEOID,
	FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID};
	Datum		args[14];
	char		nulls[14];
	double		v[6] = {open, click, -expm1(-order_rate), order_rate * x->aov, rate_lift, incremental};

	memset(nulls, ' ', sizeof(nulls));
	args[0] = CStringGetTextDatum(experiment);
	args[1] = CStringGetTextDatum(kind);
	args[2] = CStringGetTextDatum(channel);
	args[3] = CStringGetTextDatum(treatment);
	args[4] = BoolGetDatum(control);
	args[5] = Float8GetDatum(share);
	args[6] = DateADTGetDatum(d0);
	args[7] = DateADTGetDatum(d1);
	for (int i = 0; i < 6; i++)
	{
		args[8 + i] = Float8GetDatum(v[i]);
		if (isnan(v[i]))
			nulls[8 + i] = 'n';
	}
	if (SPI_execute_with_args(psprintf("INSERT INTO %s VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
									   x->truth_table), 14, types, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "generate: experiment truth insert failed");
}

/* The content experiment: arms A, B, C over the channel's sends of the last 28 days, one profile each. */
static void
content_experiment(const MMGenExperiments *x, int64 *rows, int64 *truth)
{
	const int	K = lengthof(content_arms);
	const int	first = x->D - CONTENT_DAYS;
	double		units[CONTENT_DAYS],
				total = 0.0,
				scale = 1.0,
				shares[3],
				open[3],
				click[3],
				order_rate[3];
	const char *name = psprintf("%s_subject_line", x->owned_channel);

	for (int d = 0; d < CONTENT_DAYS; d++)
		total += x->owned_sends[first + d];
	/* a random sample of at most 1,000,000 sends */
	if (total > 1e6)
		scale = 1e6 / total;
	for (int d = 0; d < CONTENT_DAYS; d++)
		units[d] = floor(x->owned_sends[first + d] * scale);
	for (int k = 0; k < K; k++)
	{
		shares[k] = 1.0 / K;
		open[k] = fmin(1.0, x->owned_rate * content_open[k]);
		click[k] = content_click[k];
		order_rate[k] = -log1p(-content_conv[k]);	/* P(at least one order) = the conversion rate */
	}
	*rows += insert_units(x, name, x->owned_channel, NULL, x->start + first, units,
						  CONTENT_DAYS, content_arms, shares, open, click, order_rate, K, 0);
	for (int k = 0; k < K; k++)
	{
		insert_truth(x, name, "content", x->owned_channel, content_arms[k], k == 0, shares[k],
					 x->start + first, x->start + x->D - 1, open[k], click[k], order_rate[k],
					 k == 0 ? NAN : content_conv[k] / content_conv[0] - 1.0, NAN);
		(*truth)++;
	}
}

/*
 * The lift study: half of an audience held out of the channel for 8 weeks,
 * in the window of [0.3 T, 0.7 T] where the channel's true contribution is
 * largest.  The treated half's extra orders are worth, in expectation, the
 * channel's true contribution over those weeks.
 */
static void
lift_study(const MMGenExperiments *x, int64 *rows, int64 *truth)
{
	static const char *const arms[] = {"holdout", "exposed"};
	const double shares[2] = {LIFT_HOLDOUT, 1.0 - LIFT_HOLDOUT};
	int			s0 = (int) (0.3 * x->T),
				s1 = (int) (0.7 * x->T) - LIFT_WEEKS,
				best = s0;
	double		best_c = -INFINITY,
				contrib = 0.0,
				other = 0.0,
				n = LIFT_UNITS,
				order_rate[2];
	const char *name = psprintf("%s_holdout", x->lift_channel);

	for (int s = s0; s <= s1; s++)
	{
		double		c = 0.0;

		for (int t = s; t < s + LIFT_WEEKS; t++)
			c += x->lift_contrib[t];
		if (c > best_c)
		{
			best_c = c;
			best = s;
		}
	}
	for (int t = best; t < best + LIFT_WEEKS; t++)
	{
		contrib += x->lift_contrib[t];
		other += x->mu[t] - x->lift_contrib[t];
	}
	order_rate[0] = LIFT_BASE_SHARE * fmax(other, 0.0) / (n * x->aov);
	order_rate[1] = order_rate[0] + fmax(contrib, 0.0) / (n * shares[1] * x->aov);
	*rows += insert_units(x, name, x->lift_channel, NULL, x->start + 7 * best, &n, 1, arms, shares,
						  NULL, NULL, order_rate, 2, 0);
	for (int k = 0; k < 2; k++)
	{
		insert_truth(x, name, "holdout", x->lift_channel, arms[k], k == 0, shares[k],
					 x->start + 7 * best, x->start + 7 * (best + LIFT_WEEKS) - 1, NAN, NAN, order_rate[k],
					 k == 0 ? NAN : (-expm1(-order_rate[1])) / (-expm1(-order_rate[0])) - 1.0,
					 k == 0 ? NAN : contrib);
		(*truth)++;
	}
}

void
mm_generate_experiments(const MMGenExperiments *x, int64 *rows, int64 *truth)
{
	*rows = *truth = 0;
	if (x->owned_channel && x->D >= CONTENT_DAYS)
		content_experiment(x, rows, truth);
	if (x->lift_channel && x->T >= LIFT_WEEKS + 2)
		lift_study(x, rows, truth);
}
