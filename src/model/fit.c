/*
 * fit.c: mixmodel.train_core, the C half of mixmodel.train (src/model/train.sql).
 *
 * The SQL half reads the model's data in week order and the resolved
 * configuration; this function validates the arrays, runs the search of
 * src/math/search.c (or evaluates one given candidate), and returns every
 * result as one jsonb document that the SQL half writes into the run tables.
 * Floats are printed with 17 significant digits, so they round-trip exactly.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/kinds.h"
#include "common/rng.h"
#include "math/diagnostics.h"
#include "math/ridge.h"
#include "math/search.h"

PG_FUNCTION_INFO_V1(train_core);

/* GSL's quasi-random generator, freed with the memory context (also on error). */
static void
FreeQrng(void *arg)
{
	gsl_qrng_free((gsl_qrng *) arg);
}

static int *
IntArray(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	ArrayType  *arr;
	Datum	   *d;
	bool	   *nulls;
	int		   *out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, INT4OID, 4, true, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(int) * (*n + 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			mm_null_argument(name);
		out[i] = DatumGetInt32(d[i]);
	}
	return out;
}

static char **
TextArray(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	ArrayType  *arr;
	Datum	   *d;
	bool	   *nulls;
	char	  **out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(char *) * (*n + 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			mm_null_argument(name);
		out[i] = TextDatumGetCString(d[i]);
	}
	return out;
}

static double *
Floats(FunctionCallInfo fcinfo, int argno, const char *name, int flags, int *n)
{
	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	return mm_float8_array_values(PG_GETARG_ARRAYTYPE_P(argno), name, flags | MM_ARR_ALLOW_EMPTY, n);
}

/* NaN allowed (no prior): float8[] values without the finiteness check */
static double *
FloatsNaN(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	ArrayType  *arr;
	Datum	   *d;
	bool	   *nulls;
	double	   *out;

	if (PG_ARGISNULL(argno))
		mm_null_argument(name);
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &d, &nulls, n);
	out = palloc(sizeof(double) * (*n + 1));
	for (int i = 0; i < *n; i++)
		out[i] = nulls[i] ? NAN : DatumGetFloat8(d[i]);
	return out;
}

static void
CheckLength(int got, int want, const char *name)
{
	if (got != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" has the wrong length", name),
				 errdetail("Expected %d elements, got %d.", want, got)));
}

/* a float as JSON: 17 significant digits; non-finite values as null */
static void
JsonFloat(StringInfo b, double v)
{
	if (isfinite(v))
		appendStringInfo(b, "%.17g", v);
	else
		appendStringInfoString(b, "null");
}

static void
JsonArray(StringInfo b, const double *v, int n)
{
	appendStringInfoChar(b, '[');
	for (int i = 0; i < n; i++)
	{
		if (i)
			appendStringInfoChar(b, ',');
		JsonFloat(b, v[i]);
	}
	appendStringInfoChar(b, ']');
}

static void
JsonMetrics(StringInfo b, const char *name, const MMMetrics *m)
{
	appendStringInfo(b, "\"%s\":{\"n\":%d,\"r2\":", name, m->n);
	JsonFloat(b, m->r2);
	appendStringInfoString(b, ",\"adj_r2\":");
	JsonFloat(b, m->adj_r2);
	appendStringInfoString(b, ",\"mape\":");
	JsonFloat(b, m->mape);
	appendStringInfoString(b, ",\"smape\":");
	JsonFloat(b, m->smape);
	appendStringInfoString(b, ",\"rmse\":");
	JsonFloat(b, m->rmse);
	appendStringInfoString(b, ",\"nrmse\":");
	JsonFloat(b, m->nrmse);
	appendStringInfoChar(b, '}');
}

typedef struct Progress
{
	int			budget;
	TimestampTz last;
} Progress;

/* NOTICE about every 2 seconds: candidates done and the best objective so far */
static void
ReportProgress(void *arg, int done, double best)
{
	Progress   *p = (Progress *) arg;
	TimestampTz now = GetCurrentTimestamp();

	if (TimestampDifferenceExceeds(p->last, now, 2000))
	{
		ereport(NOTICE,
				(errmsg("training: %d of %d candidates, best objective %.6g", done, p->budget, best)));
		p->last = now;
	}
}

/*
 * train_core(y, x, spend, channels, paid, adstock, max_lag, normalize,
 *   saturation, lo, hi, z, zlo, zhi, t0, n_train, form, intercept_nonneg,
 *   prior, prior_weight, exp_channel, exp_r0, exp_r1, exp_lift, exp_scale,
 *   exp_immediate, weights, budget, local_share, seed, hp, exp_se, calibration, n_val)
 *   returns jsonb
 */
Datum
train_core(PG_FUNCTION_ARGS)
{
	int			T,
				C,
				n,
				F,
				k;
	double	   *y,
			   *x,
			   *spend,
			   *lo,
			   *hi,
			   *z,
			   *zlo,
			   *zhi,
			   *prior,
			   *prior_w,
			   *weights,
			   *hp = NULL;
	char	  **channels,
			  **adstock,
			  **saturation,
			  *form;
	bool	   *paid;
	int		   *max_lag,
			   *norm;
	int			t0,
				n_train,
				budget,
				E;
	int		   *e_ch,
			   *e_r0,
			   *e_r1,
			   *e_imm;
	double	   *e_lift,
			   *e_scale,
			   *e_se;
	MMCalibration calibration;
	double		local_share;
	int64		seed;
	MMSearchData d;
	MMChannelBox *box;
	MMExperiment *exps;
	MMSearch	ms;
	MMSearchOptions opt;
	MMCandidate *cand;
	double	   *H,
			   *work;
	int		   *iwork;
	int			D,
				done = 0,
				chosen = 0;
	MMStatus	st;
	MMObjectives obj;
	MMChannelSpec *spec;
	StringInfoData b;
	MemoryContext ctx,
				old;
	Progress	prog;
	bool		priors_any = false;

	ctx = AllocSetContextCreate(CurrentMemoryContext, "mixmodel train", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(ctx);

	y = Floats(fcinfo, 0, "y", 0, &n);
	x = Floats(fcinfo, 1, "x", MM_ARR_NONNEG, &k);
	channels = TextArray(fcinfo, 3, "channels", &C);
	if (C < 1)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("a model needs at least one channel")));
	if (C > 64)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many channels"),
						errdetail("A model takes at most 64 channels, got %d.", C)));
	if (k % C != 0)
		CheckLength(k, C * (k / C + 1), "x");
	T = k / C;
	spend = Floats(fcinfo, 2, "spend", MM_ARR_NONNEG, &k);
	CheckLength(k, C * n, "spend");
	{
		int			np;
		int		   *pv = IntArray(fcinfo, 4, "paid", &np);

		CheckLength(np, C, "paid");
		paid = palloc(sizeof(bool) * C);
		for (int c = 0; c < C; c++)
			paid[c] = pv[c] != 0;
	}
	adstock = TextArray(fcinfo, 5, "adstock", &k);
	CheckLength(k, C, "adstock");
	max_lag = IntArray(fcinfo, 6, "max_lag", &k);
	CheckLength(k, C, "max_lag");
	norm = IntArray(fcinfo, 7, "normalize", &k);
	CheckLength(k, C, "normalize");
	saturation = TextArray(fcinfo, 8, "saturation", &k);
	CheckLength(k, C, "saturation");
	lo = Floats(fcinfo, 9, "lo", 0, &k);
	CheckLength(k, C * MM_HP_PER_CHANNEL, "lo");
	hi = Floats(fcinfo, 10, "hi", 0, &k);
	CheckLength(k, C * MM_HP_PER_CHANNEL, "hi");
	zlo = FloatsNaN(fcinfo, 12, "zlo", &F);
	zhi = FloatsNaN(fcinfo, 13, "zhi", &k);
	CheckLength(k, F, "zhi");
	z = Floats(fcinfo, 11, "z", 0, &k);
	CheckLength(k, F * n, "z");
	if (C + F > 64)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many regressors"),
						errdetail("A model takes at most 64 channels and fixed terms together, got %d.", C + F)));
	for (int j = 0; j < F; j++)
	{
		if (isnan(zlo[j]))
			zlo[j] = -INFINITY;
		if (isnan(zhi[j]))
			zhi[j] = INFINITY;
	}
	if (PG_ARGISNULL(14) || PG_ARGISNULL(15) || PG_ARGISNULL(16) || PG_ARGISNULL(17))
		mm_null_argument("t0, n_train, form or intercept_nonneg");
	t0 = PG_GETARG_INT32(14);
	n_train = PG_GETARG_INT32(15);
	form = text_to_cstring(PG_GETARG_TEXT_PP(16));
	prior = FloatsNaN(fcinfo, 18, "prior", &k);
	CheckLength(k, C, "prior");
	prior_w = FloatsNaN(fcinfo, 19, "prior_weight", &k);
	CheckLength(k, C, "prior_weight");
	for (int c = 0; c < C; c++)
		priors_any |= !isnan(prior[c]);
	e_ch = IntArray(fcinfo, 20, "exp_channel", &E);
	e_r0 = IntArray(fcinfo, 21, "exp_r0", &k);
	CheckLength(k, E, "exp_r0");
	e_r1 = IntArray(fcinfo, 22, "exp_r1", &k);
	CheckLength(k, E, "exp_r1");
	e_lift = Floats(fcinfo, 23, "exp_lift", 0, &k);
	CheckLength(k, E, "exp_lift");
	e_scale = Floats(fcinfo, 24, "exp_scale", 0, &k);
	CheckLength(k, E, "exp_scale");
	e_imm = IntArray(fcinfo, 25, "exp_immediate", &k);
	CheckLength(k, E, "exp_immediate");
	weights = Floats(fcinfo, 26, "weights", MM_ARR_NONNEG, &k);
	CheckLength(k, MM_NOBJ + 1, "weights");
	/* standard errors of the studies: NULL = none (MAPE.LIFT only) */
	e_se = FloatsNaN(fcinfo, 31, "exp_se", &k);
	CheckLength(k, E, "exp_se");
	if (PG_ARGISNULL(32) || PG_ARGISNULL(33))
		mm_null_argument("calibration or n_val");
	{
		char	   *cal = text_to_cstring(PG_GETARG_TEXT_PP(32));

		if (strcmp(cal, "mape_lift") == 0)
			calibration = MM_CALIB_MAPE_LIFT;
		else if (strcmp(cal, "gaussian") == 0)
			calibration = MM_CALIB_GAUSSIAN;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown calibration \"%s\"", cal),
					 errhint("Valid calibrations are mape_lift and gaussian.")));
	}
	if (PG_ARGISNULL(27) || PG_ARGISNULL(28) || PG_ARGISNULL(29))
		mm_null_argument("budget, local_share or seed");
	budget = PG_GETARG_INT32(27);
	local_share = PG_GETARG_FLOAT8(28);
	seed = PG_GETARG_INT64(29);
	if (!PG_ARGISNULL(30))
	{
		hp = Floats(fcinfo, 30, "hp", 0, &k);
		CheckLength(k, C * MM_HP_PER_CHANNEL + 1, "hp");
	}
	if (budget < 1 || budget > 1000000)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("candidates must be in the range [1, 1000000]"),
						errdetail("Got %d.", budget)));
	mm_check_range(local_share, "local_share", 0.0, true, 0.9, true);
	if (t0 < 0 || t0 + n > T)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("modelling window outside the media series"),
						errdetail("Window rows %d..%d, media rows %d.", t0, t0 + n - 1, T)));

	box = palloc0(sizeof(MMChannelBox) * C);
	for (int c = 0; c < C; c++)
	{
		box[c].adstock = mm_adstock_kind_arg(adstock[c]);
		box[c].max_lag = max_lag[c];
		box[c].normalize = norm[c] != 0;
		box[c].saturation = mm_saturation_kind_arg(saturation[c], MM_SATURATION_KINDS);
		box[c].paid = paid[c];
		for (int i = 0; i < MM_HP_PER_CHANNEL; i++)
		{
			box[c].lo[i] = lo[c * MM_HP_PER_CHANNEL + i];
			box[c].hi[i] = hi[c * MM_HP_PER_CHANNEL + i];
			if (box[c].lo[i] > box[c].hi[i])
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("hyperparameter bounds of channel \"%s\" are reversed", channels[c]),
								errdetail("Bound %d: %g > %g.", i + 1, box[c].lo[i], box[c].hi[i])));
		}
	}
	exps = palloc0(sizeof(MMExperiment) * (E + 1));
	for (int e = 0; e < E; e++)
	{
		if (e_ch[e] < 0 || e_ch[e] >= C || e_r0[e] < 0 || e_r1[e] < e_r0[e] || e_r1[e] >= n)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("experiment %d is outside the model", e + 1)));
		exps[e].channel = e_ch[e];
		exps[e].r0 = e_r0[e];
		exps[e].r1 = e_r1[e];
		exps[e].lift_abs = e_lift[e];
		exps[e].scale = e_scale[e];
		exps[e].immediate = e_imm[e] != 0;
		if (!isnan(e_se[e]) && !(e_se[e] > 0.0 && isfinite(e_se[e])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lift_se of experiment %d must be positive and finite", e + 1),
					 errdetail("Got %g.", e_se[e])));
		if (isnan(e_se[e]) && calibration == MM_CALIB_GAUSSIAN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("experiment %d has no lift_se, which calibration \"gaussian\" needs", e + 1)));
		exps[e].lift_se = isnan(e_se[e]) ? 0.0 : e_se[e];
	}

	memset(&d, 0, sizeof(d));
	d.form = strcmp(form, "multiplicative") == 0 ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE;
	d.T = T;
	d.t0 = t0;
	d.n = n;
	d.n_train = n_train;
	d.n_val = PG_GETARG_INT32(33);
	if (n_train < 2 || d.n_val < 0 || (int64) n_train + d.n_val > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("training and validation rows do not fit the window"),
				 errdetail("%d training and %d validation rows, window %d rows.", n_train, d.n_val, n)));
	d.C = C;
	d.x = x;
	d.spend = spend;
	d.box = box;
	d.F = F;
	d.Z = z;
	d.zlo = zlo;
	d.zhi = zhi;
	d.y = y;
	d.intercept_nonneg = PG_GETARG_BOOL(17);
	d.prior = priors_any ? prior : NULL;
	d.prior_weight = prior_w;
	d.E = E;
	d.exps = exps;
	d.weights.nrmse = weights[0];
	d.weights.rssd = weights[1];
	d.weights.prior = weights[2];
	d.weights.lift = weights[3];
	d.weights.lift_gauss = weights[4];
	d.calibration = calibration;

	if (d.form == MM_FORM_MULTIPLICATIVE)
		for (int t = 0; t < n; t++)
			if (!(y[t] > 0.0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_ARGUMENT_FOR_LOG),
						 errmsg("multiplicative model needs a positive KPI"),
						 errdetail("Row %d of the training window has KPI %g.", t + 1, y[t]),
						 errhint("Use form \"additive\", or shift the KPI or the training window.")));

	D = mm_search_dim(&d);
	if (hp)
		budget = 1;
	if ((Size) budget * D * sizeof(double) > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many candidates for the number of hyperparameters"),
				 errdetail("%d candidates of %d hyperparameters exceed the memory limit of one allocation.", budget, D),
				 errhint("Lower the candidates budget.")));
	work = palloc0(sizeof(double) * mm_search_work_size(&d));
	iwork = palloc0(sizeof(int) * mm_search_iwork_size(&d));
	H = palloc0(sizeof(double) * (size_t) budget * D);
	cand = palloc0(sizeof(MMCandidate) * budget);
	spec = palloc0(sizeof(MMChannelSpec) * C);

	st = mm_search_init(&ms, &d, work, iwork);
	mixmodel_check_core(st, "model training");

	if (hp)
	{
		memcpy(H, hp, sizeof(double) * D);
		chosen = 0;
		done = 1;
	}
	else
	{
		int			K = mm_search_free_dim(&d);
		gsl_qrng   *q;
		gsl_rng    *r = mm_rng_create((unsigned long) (seed ^ (seed >> 32)));
		double	   *shift = palloc(sizeof(double) * K);
		MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));

		/* GSL's Sobol covers up to 40 dimensions; Halton beyond */
		q = gsl_qrng_alloc(K <= 40 ? gsl_qrng_sobol : gsl_qrng_halton, K);
		if (q == NULL)
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("too many hyperparameters to search"),
							errdetail("%d free hyperparameters.", K)));
		cb->func = FreeQrng;
		cb->arg = q;
		MemoryContextRegisterResetCallback(ctx, cb);
		for (int i = 0; i < K; i++)
			shift[i] = gsl_rng_uniform(r);

		prog.budget = budget;
		prog.last = GetCurrentTimestamp();
		memset(&opt, 0, sizeof(opt));
		opt.budget = budget;
		opt.local_share = local_share;
		opt.local_starts = 5;
		opt.qrng = q;
		opt.shift = shift;
		opt.interrupt = mixmodel_interrupt_check;
		opt.progress = ReportProgress;
		opt.progress_arg = &prog;
		opt.progress_every = 100;
		st = mm_search_run(&ms, &opt, H, cand, &done, &chosen);
		if (st == MM_ESING)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("no candidate model could be fitted"),
					 errhint("Check for constant or collinear inputs and for the KPI's values.")));
		mixmodel_check_core(st, "model training");
	}

	/* the chosen candidate, evaluated again to fill the result views */
	st = mm_candidate_eval(&ms, H + (size_t) chosen * D, &obj);
	if (st == MM_ESING)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("design matrix is singular"),
				 errhint("Remove collinear channels or factors.")));
	mixmodel_check_core(st, "model fit");
	if (hp)
	{
		cand[0].obj = obj;
		cand[0].total = mm_objective_total(&obj, &d.weights);
		cand[0].lambda = mm_ridge_lambda(ms.lambda_max, hp[C * MM_HP_PER_CHANNEL]);
		cand[0].front = 1;
	}
	mm_candidate_specs(&ms, H + (size_t) chosen * D, spec);

	initStringInfo(&b);
	appendStringInfo(&b, "{\"candidates_done\":%d,\"chosen\":%d,\"lambda_max\":", done, chosen + 1);
	JsonFloat(&b, ms.lambda_max);
	appendStringInfoString(&b, ",\"y_sd\":");
	JsonFloat(&b, ms.y_sd);
	appendStringInfoString(&b, ",\"intercept\":");
	JsonFloat(&b, ms.intercept);
	appendStringInfo(&b, ",\"has_intercept\":%s,\"kkt\":", ms.has_intercept ? "true" : "false");
	JsonFloat(&b, ms.kkt);
	appendStringInfoString(&b, ",\"objectives\":");
	JsonArray(&b, obj.v, MM_NOBJ);
	appendStringInfoString(&b, ",\"lift_gaussian\":");
	JsonFloat(&b, obj.lift_gauss);
	appendStringInfoString(&b, ",\"total\":");
	JsonFloat(&b, mm_objective_total(&obj, &d.weights));
	appendStringInfoChar(&b, ',');
	JsonMetrics(&b, "train", &ms.train);
	appendStringInfoChar(&b, ',');
	JsonMetrics(&b, "validation", &ms.val);
	appendStringInfoChar(&b, ',');
	JsonMetrics(&b, "test", &ms.test);

	/* Pareto front 1 (and the chosen one) */
	appendStringInfoString(&b, ",\"candidates\":[");
	{
		bool		first = true;

		for (int i = 0; i < done; i++)
		{
			if (cand[i].front != 1 && i != chosen)
				continue;
			if (!first)
				appendStringInfoChar(&b, ',');
			first = false;
			appendStringInfo(&b, "{\"candidate\":%d,\"front\":%d,\"local\":%s,\"objectives\":",
							 i + 1, cand[i].front, cand[i].local ? "true" : "false");
			JsonArray(&b, cand[i].obj.v, MM_NOBJ);
			appendStringInfoString(&b, ",\"lift_gaussian\":");
			JsonFloat(&b, cand[i].obj.lift_gauss);
			appendStringInfoString(&b, ",\"total\":");
			JsonFloat(&b, cand[i].total);
			appendStringInfoString(&b, ",\"lambda\":");
			JsonFloat(&b, cand[i].lambda);
			appendStringInfoString(&b, ",\"hp\":");
			JsonArray(&b, H + (size_t) i * D, D);
			appendStringInfoChar(&b, '}');
		}
	}
	appendStringInfoString(&b, "],\"channels\":[");
	for (int c = 0; c < C; c++)
	{
		MMChannelSpec *s = &spec[c];

		if (c)
			appendStringInfoChar(&b, ',');
		appendStringInfoString(&b, "{\"channel\":");
		escape_json(&b, channels[c]);
		appendStringInfo(&b, ",\"adstock\":\"%s\",\"adstock_p1\":", mm_adstock_names[s->adstock]);
		JsonFloat(&b, s->adstock_p1);
		appendStringInfoString(&b, ",\"adstock_p2\":");
		JsonFloat(&b, s->adstock_p2);
		appendStringInfo(&b, ",\"max_lag\":%d,\"adstock_normalize\":%s,\"saturation\":\"%s\",\"sat_p1\":",
						 s->max_lag, s->adstock_normalize ? "true" : "false",
						 mm_saturation_names[s->saturation]);
		JsonFloat(&b, s->sat_p1);
		appendStringInfoString(&b, ",\"sat_p2\":");
		JsonFloat(&b, s->sat_p2);
		appendStringInfoString(&b, ",\"input_scale\":");
		JsonFloat(&b, s->input_scale);
		appendStringInfoString(&b, ",\"coef\":");
		JsonFloat(&b, s->coef);
		appendStringInfoChar(&b, '}');
	}
	appendStringInfoString(&b, "],\"fixed\":");
	JsonArray(&b, ms.beta + C, F);
	appendStringInfoString(&b, ",\"yhat\":");
	JsonArray(&b, ms.yhat, n);
	appendStringInfoString(&b, ",\"decomposition\":[");
	for (int j = 0; j < 1 + C + F; j++)
	{
		if (j)
			appendStringInfoChar(&b, ',');
		JsonArray(&b, ms.contrib + (size_t) j * n, n);
	}
	appendStringInfoChar(&b, ']');

	/* diagnostics of the chosen design over the training rows */
	{
		int			p = C + F;
		double	   *X = ms.S + (size_t) C * n;
		double	   *resid = palloc(sizeof(double) * n_train);
		double	   *vif = palloc(sizeof(double) * (p + 1));
		double	   *dwork = palloc(sizeof(double) * mm_diagnostics_work(n_train, p));
		double		cond,
					dw;

		for (int t = 0; t < n_train; t++)
			resid[t] = y[t] - ms.yhat[t];
		st = mm_fit_diagnostics(X, n_train, p, resid, &cond, vif, &dw, dwork);
		mixmodel_check_core(st, "model diagnostics");
		appendStringInfoString(&b, ",\"condition_number\":");
		JsonFloat(&b, cond);
		appendStringInfoString(&b, ",\"durbin_watson\":");
		JsonFloat(&b, dw);
		appendStringInfoString(&b, ",\"vif\":");
		JsonArray(&b, vif, p);
	}
	appendStringInfoChar(&b, '}');

	MemoryContextSwitchTo(old);
	{
		Datum		res = DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data));

		MemoryContextDelete(ctx);
		PG_RETURN_DATUM(res);
	}
}
