/*
 * optimize.c: mixmodel.optimize_budget, the planner over parametric Hill
 * response curves with optional geometric adstock and weekly periods.
 *
 * It is the public primitive under create_plan: the same core
 * (src/math/plan.c, plan_flight.c) on curves given as arrays rather than read
 * from a fitted model.  doc/plan.md.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "math/adstock.h"
#include "math/plan_flight.h"
#include "math/plan_model.h"
#include "math/saturation.h"
#include "plan/plan_glue.h"

PG_FUNCTION_INFO_V1(optimize_budget);
PG_FUNCTION_INFO_V1(optimize_target);

#define MAX_CHANNELS	10000
#define MAX_PERIODS		10000
#define MAX_LAG			1000
#define MAX_CELLS		10000000L	/* channels x horizon periods */

/* float8[] argument i, or NULL when the SQL value is NULL */
static float8 *
OptionalArray(FunctionCallInfo fcinfo, int i, const char *name, int flags, int *n)
{
	if (PG_ARGISNULL(i))
		return NULL;
	return mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(i), name, flags, n);
}

static void
CheckLength(int n, int C, const char *name)
{
	if (n != C)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must have one element per channel", name),
				 errdetail("It has %d elements; coef has %d.", n, C)));
}

static const char *
MethodName(MMPlanMethod m)
{
	switch (m)
	{
		case MM_PLAN_BOUNDS:
			return "bounds";
		case MM_PLAN_KKT:
			return "kkt";
		case MM_PLAN_GRID_POLISHED:
			return "grid+polish";
		case MM_PLAN_GRID:
			return "grid";
	}
	return "unknown";
}

/* The curves and bounds shared by both functions. */
typedef struct CurveArgs
{
	int			C;
	int			P;
	int			H;
	bool		automatic;
	MMPlanHorizon h;
	int			from;
	int			to;
	double		budget;
} CurveArgs;

/*
 * Read coef, alpha, k, lower, upper, periods, theta, max_lag and
 * spend_pattern from arguments first..first+8 and build the one-flight
 * horizon.
 */
static void
ReadCurves(FunctionCallInfo fcinfo, int first, CurveArgs *ca)
{
	float8	   *coef,
			   *alpha,
			   *kk,
			   *lower,
			   *upper,
			   *theta;
	int			C,
				n,
				P,
				maxlag,
				L,
				H;
	char	   *pattern_name;
	MMChannelSpec *hill;
	MMPlanTerm *terms;
	int		   *term_start;
	double	   *w,
			   *flat;
	static const char *const names[] = {"coef", "alpha", "k"};

	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(first + i))
			mm_null_argument(names[i]);
	coef = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(first), "coef", 0, &C);
	if (C > MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many channels"),
				 errdetail("Got %d channels; the limit is %d.", C, MAX_CHANNELS)));
	alpha = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(first + 1), "alpha", 0, &n);
	CheckLength(n, C, "alpha");
	kk = mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(first + 2), "k", 0, &n);
	CheckLength(n, C, "k");
	for (int c = 0; c < C; c++)
	{
		mm_check_range(coef[c], "coef", 0, true, INFINITY, false);
		mm_check_range(alpha[c], "alpha", 0, false, INFINITY, false);
		mm_check_range(kk[c], "k", 0, false, INFINITY, false);
	}
	lower = OptionalArray(fcinfo, first + 3, "lower", MM_ARR_NONNEG, &n);
	if (lower)
		CheckLength(n, C, "lower");
	upper = OptionalArray(fcinfo, first + 4, "upper", MM_ARR_NONNEG, &n);
	if (upper)
		CheckLength(n, C, "upper");
	if (PG_ARGISNULL(first + 5))
		mm_null_argument("periods");
	P = PG_GETARG_INT32(first + 5);
	if (P < 1 || P > MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods must be between 1 and %d", MAX_PERIODS),
				 errdetail("Got %d.", P)));
	theta = OptionalArray(fcinfo, first + 6, "theta", 0, &n);
	if (theta)
	{
		CheckLength(n, C, "theta");
		for (int c = 0; c < C; c++)
			mm_check_range(theta[c], "theta", 0, true, 1, true);
	}
	if (PG_ARGISNULL(first + 7))
		mm_null_argument("max_lag");
	maxlag = PG_GETARG_INT32(first + 7);
	if (maxlag < 0 || maxlag > MAX_LAG)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_lag must be between 0 and %d", MAX_LAG),
				 errdetail("Got %d.", maxlag)));
	if (maxlag > 0 && theta == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_lag needs theta"),
				 errhint("Give theta, one geometric decay per channel, or max_lag 0.")));
	if (PG_ARGISNULL(first + 8))
		mm_null_argument("spend_pattern");
	pattern_name = text_to_cstring(PG_GETARG_TEXT_PP(first + 8));
	if (strcmp(pattern_name, "flat") == 0)
		ca->automatic = false;
	else if (strcmp(pattern_name, "automatic") == 0)
		ca->automatic = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown spend_pattern \"%s\"", pattern_name),
				 errhint("Use 'flat' or 'automatic'.")));

	L = maxlag + 1;
	H = P + maxlag;
	if ((long) C * H > MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("plan too large"),
				 errdetail("Channels times periods (with lags) is %ld; the limit is %ld.",
						   (long) C * H, MAX_CELLS)));

	/* the horizon: one flight of P periods, then the lag tail */
	hill = palloc0(sizeof(MMChannelSpec) * C);
	terms = palloc(sizeof(MMPlanTerm) * C);
	term_start = palloc(sizeof(int) * (C + 1));
	w = palloc(sizeof(double) * C * L);
	flat = palloc(sizeof(double) * C * H);
	for (int c = 0; c < C; c++)
	{
		hill[c].saturation = MM_SAT_HILL;
		hill[c].sat_p1 = alpha[c];
		hill[c].sat_p2 = kk[c];
		if (theta)
			mixmodel_check_core(mm_adstock_weights(MM_ADSTOCK_GEOMETRIC, theta[c], 0, L,
												   false, w + (long) c * L),
								"the adstock weights");
		else
			w[(long) c * L] = 1.0;
		terms[c].sat = mm_plan_spec_sat;
		terms[c].sat_deriv = mm_plan_spec_sat_deriv;
		terms[c].sat_arg = &hill[c];
		terms[c].concave = alpha[c] <= 1.0;
		terms[c].w = w + (long) c * L;
		terms[c].L = L;
		terms[c].carry = NULL;
		terms[c].scale = 1.0;
		terms[c].coef = coef[c];
		term_start[c] = c;
		for (int t = 0; t < H; t++)
			flat[(long) c * H + t] = t < P ? 1.0 : 0.0;
	}
	term_start[C] = C;
	if (lower == NULL)
		lower = palloc0(sizeof(double) * C);
	if (upper == NULL)
	{
		upper = palloc(sizeof(double) * C);
		for (int c = 0; c < C; c++)
			upper[c] = INFINITY;
	}

	ca->C = C;
	ca->P = P;
	ca->H = H;
	ca->from = 0;
	ca->to = P;
	ca->h.H = H;
	ca->h.C = C;
	ca->h.term_start = term_start;
	ca->h.terms = terms;
	ca->h.K = 1;
	ca->h.flight_from = &ca->from;
	ca->h.flight_to = &ca->to;
	ca->h.budget = &ca->budget;
	ca->h.lower = lower;
	ca->h.upper = upper;
	ca->h.pattern = ca->automatic ? NULL : flat;
}

/* Per-channel columns: spend, response, marginal, weekly spend. */
static void
ChannelColumns(const CurveArgs *ca, const double *x, const double *s,
			   const double *incr, const double *margs, int c, Datum *values)
{
	int			H = ca->H;
	double		resp = 0.0,
				marg = ca->automatic ? -INFINITY : 0.0;

	for (int t = 0; t < H; t++)
		resp += incr[(long) c * H + t];
	for (int t = 0; t < ca->P; t++)
	{
		double		m = margs[(long) c * H + t];

		/* flat: along the pattern; automatic: the best week for the next unit */
		marg = ca->automatic ? fmax(marg, m) : marg + m / ca->P;
	}
	values[0] = Int32GetDatum(c + 1);
	values[1] = Float8GetDatum(s[c]);
	values[2] = Float8GetDatum(resp);
	values[3] = Float8GetDatum(marg);
	values[4] = PointerGetDatum(mm_float8_array_build(x + (long) c * H, ca->P));
}

Datum
optimize_budget(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CurveArgs	ca;
	double	   *x,
			   *s,
			   *incr,
			   *margs;
	double		lambda;
	MMPlanHorizonResult res;
	MMPlanWorkspace ws;
	MMStatus	st;

	if (PG_ARGISNULL(0))
		mm_null_argument("budget");
	ca.budget = PG_GETARG_FLOAT8(0);
	mm_check_range(ca.budget, "budget", 0, true, INFINITY, false);
	ReadCurves(fcinfo, 1, &ca);

	mm_plan_workspace_init(&ws, ca.C);
	x = palloc(sizeof(double) * ca.C * ca.H);
	s = palloc(sizeof(double) * ca.C);
	incr = palloc(sizeof(double) * ca.C * ca.H);
	st = mm_plan_horizon_budget(&ca.h, &ws,
								palloc(sizeof(double) * mm_plan_horizon_doubles(&ca.h)),
								palloc(sizeof(MMPlanCurve) * ca.C),
								palloc(sizeof(MMPlanFlightCurve) * ca.C),
								x, s, &lambda, &res);
	mm_plan_check(st, &res.plan, ca.budget, NULL, NULL);
	(void) mm_plan_horizon_response(&ca.h, x, incr, NULL);
	margs = palloc(sizeof(double) * ca.C * ca.H);
	mm_plan_horizon_marginals(&ca.h, x, palloc(sizeof(double) * ca.H), margs);

	InitMaterializedSRF(fcinfo, 0);
	for (int c = 0; c < ca.C; c++)
	{
		Datum		values[8];
		bool		nulls[8] = {false};
		const char *method = MethodName(res.plan.method);

		CHECK_FOR_INTERRUPTS();
		ChannelColumns(&ca, x, s, incr, margs, c, values);
		values[5] = Float8GetDatum(lambda);
		nulls[5] = isnan(lambda);
		values[6] = Float8GetDatum(res.kkt_residual);
		nulls[6] = isnan(res.kkt_residual);
		values[7] = CStringGetTextDatum(ca.automatic ? psprintf("%s+weekly", method) : method);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
optimize_target(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CurveArgs	ca;
	double	   *x,
			   *s,
			   *incr,
			   *margs;
	double		target,
				max_budget,
				lambda,
				budget,
				achieved,
				best;
	bool		achievable;
	char	   *metric;
	MMPlanHorizonGoal goal;
	MMPlanHorizonResult res;
	MMPlanWorkspace ws;
	MMStatus	st;

	if (PG_ARGISNULL(0))
		mm_null_argument("target");
	target = PG_GETARG_FLOAT8(0);
	if (PG_ARGISNULL(1))
		mm_null_argument("metric");
	metric = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(metric, "volume") == 0)
		goal.goal = MM_GOAL_VOLUME;
	else if (strcmp(metric, "roas") == 0)
		goal.goal = MM_GOAL_RATIO;
	else if (strcmp(metric, "cpa") == 0)
	{
		/* CPA k <=> response per unit spend >= 1/k */
		goal.goal = MM_GOAL_RATIO;
		mm_check_range(target, "target", 0, false, INFINITY, false);
		target = 1.0 / target;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown target metric \"%s\"", metric),
				 errhint("Use 'volume', 'roas' or 'cpa'.")));
	mm_check_range(target, "target", 0, goal.goal == MM_GOAL_VOLUME, INFINITY, false);
	max_budget = PG_ARGISNULL(2) ? INFINITY : PG_GETARG_FLOAT8(2);
	if (!PG_ARGISNULL(2))
		mm_check_range(max_budget, "max_budget", 0, true, INFINITY, false);
	if (goal.goal == MM_GOAL_RATIO && PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a %s target needs max_budget", metric),
				 errhint("Give the largest budget to consider.")));
	ca.budget = 0.0;
	ReadCurves(fcinfo, 3, &ca);
	if (ca.automatic)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("targets use the flat spend pattern"),
				 errhint("Use spend_pattern => 'flat', or optimize_budget with the budget found.")));

	goal.target = &target;
	goal.max_total = max_budget;
	goal.budget = &budget;
	goal.achievable = &achievable;
	goal.achieved = &achieved;
	goal.best = &best;
	mm_plan_workspace_init(&ws, ca.C);
	x = palloc(sizeof(double) * ca.C * ca.H);
	s = palloc(sizeof(double) * ca.C);
	incr = palloc(sizeof(double) * ca.C * ca.H);
	st = mm_plan_horizon_goal(&ca.h, &ws,
							  palloc(sizeof(double) * mm_plan_horizon_doubles(&ca.h)),
							  palloc(sizeof(MMPlanCurve) * ca.C),
							  palloc(sizeof(MMPlanFlightCurve) * ca.C),
							  &goal, x, s, &lambda, &res);
	mm_plan_check(st, &res.plan, max_budget, NULL, NULL);
	(void) mm_plan_horizon_response(&ca.h, x, incr, NULL);
	margs = palloc(sizeof(double) * ca.C * ca.H);
	mm_plan_horizon_marginals(&ca.h, x, palloc(sizeof(double) * ca.H), margs);

	InitMaterializedSRF(fcinfo, 0);
	for (int c = 0; c < ca.C; c++)
	{
		Datum		values[9];
		bool		nulls[9] = {false};

		CHECK_FOR_INTERRUPTS();
		ChannelColumns(&ca, x, s, incr, margs, c, values);
		values[5] = Float8GetDatum(budget);
		values[6] = BoolGetDatum(achievable);
		/* CPA is reported back as spend per unit */
		values[7] = Float8GetDatum(strcmp(metric, "cpa") == 0 && achieved > 0 ? 1.0 / achieved : achieved);
		values[8] = Float8GetDatum(strcmp(metric, "cpa") == 0 && best > 0 ? 1.0 / best : best);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
