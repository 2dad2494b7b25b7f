/*
 * fit_bayes.c: mixmodel.train_bayes_core, the C half of mixmodel.train for
 * inference "bayes" (the posterior by NUTS, src/math/posterior) and "map"
 * (its mode only).
 *
 * The SQL half (src/model/train.sql) resolves the data, the priors and the
 * sampler settings into arrays; this function validates them, samples,
 * summarises the posterior (parameters and the quantities the views show,
 * with rank-normalised R-hat and bulk/tail ESS), writes the draws into
 * mixmodel.run_draws and returns the point model (parameter-wise posterior
 * median) and every summary as one jsonb in train_core's shape.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common/args.h"
#include "common/arrays.h"
#include "common/errors.h"
#include "common/json.h"
#include "common/kinds.h"
#include "common/rng.h"
#include "math/diagnostics.h"
#include "math/generate.h"
#include "math/objective.h"
#include "math/posterior/derive.h"
#include "math/posterior/mcmc_diag.h"
#include "math/posterior/sample.h"
#include "model/sample_chains.h"

PG_FUNCTION_INFO_V1(train_bayes_core);

/* periods of the thinned draws kept for per-period intervals */
#define MM_PERIOD_DRAWS 400

static double
now_seconds(void)
{
	return (double) GetCurrentTimestamp() / 1e6;
}

/* one posterior summary line: {"parameter", "term", mean, sd, lower, median, upper, rhat, ess} */
static void
summary_line(StringInfo b, bool *first, const char *parameter, const char *term,
			 const double *x, int chains, int n, int stride, double level, double *work,
			 double *dwork)
{
	double		q[3],
				mean = 0.0,
				ss = 0.0;
	int			D = chains * n,
				k = 0;
	MMMcmcDiag	dg = {NAN, NAN, NAN};

	for (int i = 0; i < D; i++)
	{
		double		v = x[(size_t) i * stride];

		if (isnan(v))
			continue;
		work[k++] = v;
		mean += v;
	}
	if (k == 0)
		return;
	mean /= k;
	for (int i = 0; i < k; i++)
		ss += (work[i] - mean) * (work[i] - mean);
	if (k == D && n >= 4)
		(void) mm_mcmc_diagnostics(work, chains, n, &dg, dwork);
	mm_post_quantiles(x, D, stride, level, q, work);
	appendStringInfo(b, "%s{\"parameter\":", *first ? "" : ",");
	escape_json(b, parameter);
	appendStringInfoString(b, ",\"term\":");
	escape_json(b, term);
	mm_json_member_float(b, "mean", mean, false);
	mm_json_member_float(b, "sd", k > 1 ? sqrt(ss / (k - 1)) : NAN, false);
	mm_json_member_float(b, "lower", q[0], false);
	mm_json_member_float(b, "median", q[1], false);
	mm_json_member_float(b, "upper", q[2], false);
	mm_json_member_float(b, "rhat", dg.rhat, false);
	mm_json_member_float(b, "ess_bulk", dg.ess_bulk, false);
	mm_json_member_float(b, "ess_tail", dg.ess_tail, false);
	appendStringInfoChar(b, '}');
	*first = false;
}

static void
json_metrics(StringInfo b, const char *name, const MMMetrics *m)
{
	appendStringInfo(b, ",\"%s\":{\"n\":%d", name, m->n);
	mm_json_member_float(b, "r2", m->r2, false);
	mm_json_member_float(b, "adj_r2", m->adj_r2, false);
	mm_json_member_float(b, "mape", m->mape, false);
	mm_json_member_float(b, "smape", m->smape, false);
	mm_json_member_float(b, "rmse", m->rmse, false);
	mm_json_member_float(b, "nrmse", m->nrmse, false);
	appendStringInfoChar(b, '}');
}

/* the draws of a run into mixmodel.run_draws, one row per chain and draw */
static void
store_draws(const char *model, int run, const double *params, int P, const double *lp,
			int chains, int n)
{
	Oid			types[6] = {TEXTOID, INT4OID, INT4OID, INT4OID, FLOAT8OID, FLOAT8ARRAYOID};
	SPIPlanPtr	plan;
	Datum		v[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare("INSERT INTO mixmodel.run_draws (model, run, chain, draw, lp, params) "
					   "VALUES ($1, $2, $3, $4, $5, $6)", 6, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	v[0] = CStringGetTextDatum(model);
	v[1] = Int32GetDatum(run);
	for (int c = 0; c < chains; c++)
		for (int i = 0; i < n; i++)
		{
			size_t		k = (size_t) c * n + i;

			CHECK_FOR_INTERRUPTS();
			v[2] = Int32GetDatum(c + 1);
			v[3] = Int32GetDatum(i + 1);
			v[4] = Float8GetDatum(lp[k]);
			v[5] = PointerGetDatum(mm_float8_array_build(params + k * P, P));
			if (SPI_execute_plan(plan, v, nulls, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "could not store the draws of run %d", run);
			pfree(DatumGetPointer(v[5]));
		}
	SPI_finish();
}

Datum
train_bayes_core(PG_FUNCTION_ARGS)
{
	MemoryContext ctx,
				old;
	int			n,
				k,
				C,
				T,
				F,
				E,
				t0,
				nt,
				chains,
				warmup,
				ndraws,
				max_depth,
				D,
				P;
	double	   *y,
			   *x,
			   *spend,
			   *z,
			   *pa,
			   *pb,
			   *plo,
			   *phi,
			   *share_prior,
			   *share_sd,
			   *e_lift,
			   *e_scale,
			   *e_se,
			   *glob,
			   level,
			   target_accept;
	int		   *paid_i,
			   *max_lag,
			   *norm,
			   *zsign,
			   *roi,
			   *e_ch,
			   *e_r0,
			   *e_r1,
			   *smp;
	char	  **channels,
			  **adstock,
			  **saturation,
			  **pkind,
			  **pname,
			  *form;
	bool		dense,
				map_only,
				share_any = false,
			   *paid;
	int64		seed;
	MMPostChannel *ch;
	MMPostData	d;
	MMPost		ps;
	MMExperiment *exps;
	MMPostSampleOptions so;
	MMNutsStats *stats;
	MMPostDerived dv;
	MMChannelSpec *spec;
	double	   *draws,
			   *lp,
			   *start,
			   *umed,
			   *gamma,
			   icpt,
			   *yhat,
			   *contrib,
			   *tmp,
			   *dwork,
			   seconds = 0.0;
	gsl_rng    *rng;
	gsl_multimin_fdfminimizer *min;
	StringInfoData b;
	MMMetrics	m_train,
				m_test;
	MMStatus	st;

	ctx = AllocSetContextCreate(CurrentMemoryContext, "mixmodel train bayes", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(ctx);

	y = mm_float8_array_arg(fcinfo, 0, "y", 0, &n);
	x = mm_float8_array_arg(fcinfo, 1, "x", MM_ARR_NONNEG, &k);
	channels = mm_text_array_arg(fcinfo, 3, "channels", &C);
	if (C < 1)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("a model needs at least one channel")));
	if (C > MM_POST_MAX_CHANNELS)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many channels"),
						errdetail("A model takes at most %d channels, got %d.", MM_POST_MAX_CHANNELS, C)));
	if (k % C != 0)
		mm_check_length(k, C * (k / C + 1), "x");
	T = k / C;
	spend = mm_float8_array_arg(fcinfo, 2, "spend", MM_ARR_NONNEG, &k);
	mm_check_length(k, C * n, "spend");
	paid_i = mm_int_array_arg(fcinfo, 4, "paid", &k);
	mm_check_length(k, C, "paid");
	adstock = mm_text_array_arg(fcinfo, 5, "adstock", &k);
	mm_check_length(k, C, "adstock");
	max_lag = mm_int_array_arg(fcinfo, 6, "max_lag", &k);
	mm_check_length(k, C, "max_lag");
	norm = mm_int_array_arg(fcinfo, 7, "normalize", &k);
	mm_check_length(k, C, "normalize");
	saturation = mm_text_array_arg(fcinfo, 8, "saturation", &k);
	mm_check_length(k, C, "saturation");
	zsign = mm_int_array_arg(fcinfo, 10, "zsign", &F);
	z = mm_float8_array_arg(fcinfo, 9, "z", 0, &k);
	mm_check_length(k, F * n, "z");
	if (1 + F > MM_POST_MAX_FIXED)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many fixed regressors"),
						errdetail("A model takes at most %d fixed terms, got %d.", MM_POST_MAX_FIXED - 1, F)));
	for (int j = 0; j < F; j++)
		if (zsign[j] < -1 || zsign[j] > 1)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("sign of fixed term %d must be -1, 0 or 1", j + 1)));
	if (PG_ARGISNULL(11) || PG_ARGISNULL(12) || PG_ARGISNULL(13))
		mm_null_argument("t0, n_train or form");
	t0 = PG_GETARG_INT32(11);
	nt = PG_GETARG_INT32(12);
	form = text_to_cstring(PG_GETARG_TEXT_PP(13));
	if (strcmp(form, "additive") != 0 && strcmp(form, "multiplicative") != 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("unknown model form \"%s\"", form)));
	if (t0 < 0 || n < 2 || (int64) t0 + n > T)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("modelling window outside the media series"),
						errdetail("Window rows %d..%lld, media rows %d.", t0, (long long) t0 + n - 1, T)));
	if (nt < 2 || nt > n)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("training rows do not fit the window"),
						errdetail("%d training rows, window %d rows.", nt, n)));
	pkind = mm_text_array_arg(fcinfo, 14, "prior_kind", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_kind");
	pa = mm_float8_array_nan_arg(fcinfo, 15, "prior_a", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_a");
	pb = mm_float8_array_nan_arg(fcinfo, 16, "prior_b", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_b");
	plo = mm_float8_array_nan_arg(fcinfo, 17, "prior_lo", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_lo");
	phi = mm_float8_array_nan_arg(fcinfo, 18, "prior_hi", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_hi");
	pname = mm_text_array_arg(fcinfo, 19, "prior_name", &k);
	mm_check_length(k, C * MM_POST_NPAR, "prior_name");
	roi = mm_int_array_arg(fcinfo, 20, "roi", &k);
	mm_check_length(k, C, "roi");
	share_prior = mm_float8_array_nan_arg(fcinfo, 21, "share_prior", &k);
	mm_check_length(k, C, "share_prior");
	share_sd = mm_float8_array_nan_arg(fcinfo, 22, "share_sd", &k);
	mm_check_length(k, C, "share_sd");
	e_ch = mm_int_array_arg(fcinfo, 23, "exp_channel", &E);
	e_r0 = mm_int_array_arg(fcinfo, 24, "exp_r0", &k);
	mm_check_length(k, E, "exp_r0");
	e_r1 = mm_int_array_arg(fcinfo, 25, "exp_r1", &k);
	mm_check_length(k, E, "exp_r1");
	e_lift = mm_float8_array_arg(fcinfo, 26, "exp_lift", 0, &k);
	mm_check_length(k, E, "exp_lift");
	e_scale = mm_float8_array_arg(fcinfo, 27, "exp_scale", 0, &k);
	mm_check_length(k, E, "exp_scale");
	e_se = mm_float8_array_nan_arg(fcinfo, 28, "exp_se", &k);
	mm_check_length(k, E, "exp_se");
	glob = mm_float8_array_arg(fcinfo, 29, "globals", 0, &k);
	mm_check_length(k, 4, "globals");
	smp = mm_int_array_arg(fcinfo, 30, "sampler", &k);
	mm_check_length(k, 6, "sampler");
	if (PG_ARGISNULL(31) || PG_ARGISNULL(32) || PG_ARGISNULL(33))
		mm_null_argument("target_accept, level or seed");
	target_accept = PG_GETARG_FLOAT8(31);
	level = PG_GETARG_FLOAT8(32);
	seed = PG_GETARG_INT64(33);
	chains = smp[0];
	warmup = smp[1];
	ndraws = smp[2];
	max_depth = smp[3];
	dense = smp[4] != 0;
	map_only = smp[5] != 0;
	if (chains < 1 || chains > 64)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("chains must be in the range [1, 64]"), errdetail("Got %d.", chains)));
	if (ndraws < 100 || ndraws > 100000)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("draws must be in the range [100, 100000]"), errdetail("Got %d.", ndraws),
						errhint("R-hat and ESS need at least 100 draws per chain.")));
	if (warmup < 0 || warmup > 100000)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("warmup must be in the range [0, 100000]"), errdetail("Got %d.", warmup)));
	if (max_depth < 1 || max_depth > 15)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("max_treedepth must be in the range [1, 15]"), errdetail("Got %d.", max_depth)));
	mm_check_range(target_accept, "target_accept", 0.5, true, 1.0, false);
	mm_check_range(level, "interval", 0.0, false, 1.0, false);
	if ((int64) chains * ndraws > 1000000)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("too many draws"), errdetail("%d chains of %d draws.", chains, ndraws),
						errhint("Keep chains x draws at most 1,000,000.")));
	for (int t = 0; t < n; t++)
		if (strcmp(form, "multiplicative") == 0 && !(y[t] > 0.0))
			ereport(ERROR, (errcode(ERRCODE_INVALID_ARGUMENT_FOR_LOG),
							errmsg("multiplicative model needs a positive KPI"),
							errdetail("Row %d of the training window has KPI %g.", t + 1, y[t])));

	/* channels and their priors */
	paid = palloc(sizeof(bool) * C);
	ch = palloc0(sizeof(MMPostChannel) * C);
	for (int c = 0; c < C; c++)
	{
		MMPostChannel *h = &ch[c];
		double		sx = 0.0,
					ss = 0.0;

		paid[c] = paid_i[c] != 0;
		h->adstock = mm_adstock_kind_arg(adstock[c]);
		h->saturation = mm_saturation_kind_arg(saturation[c], MM_SATURATION_KINDS);
		h->max_lag = max_lag[c];
		h->normalize = norm[c] != 0;
		if (h->max_lag < -1 || h->max_lag >= T || (h->max_lag < 0 && h->adstock != MM_ADSTOCK_GEOMETRIC))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("max_lag %d of channel \"%s\" is out of range", h->max_lag, channels[c]),
							errdetail("Lags 0..max_lag need fewer than %d periods; -1 (recursive) is geometric only.", T)));
		if (roi[c] < 0 || roi[c] > 2)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("effect parameterisation %d of channel \"%s\" must be 0, 1 or 2", roi[c], channels[c])));
		h->roi = roi[c] != 0;
		for (int j = 0; j < MM_POST_NPAR; j++)
		{
			int			i = c * MM_POST_NPAR + j;
			MMPrior    *p = &h->prior[j];

			if (!mm_prior_kind_parse(pkind[i], &p->kind))
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("unknown prior family \"%s\" for channel \"%s\"", pkind[i], channels[c]),
								errhint("Valid families are normal, lognormal, halfnormal, gamma, beta, uniform and fixed.")));
			p->a = pa[i];
			p->b = pb[i];
			p->lo = isnan(plo[i]) ? -INFINITY : plo[i];
			p->hi = isnan(phi[i]) ? INFINITY : phi[i];
			if (mm_prior_check(p) != MM_OK)
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("invalid %s prior on parameter \"%s\" of channel \"%s\"",
									   pkind[i], pname[i], channels[c]),
								errdetail("Parameters %g, %g on the support (%g, %g).", p->a, p->b, p->lo, p->hi),
								errhint("Scales must be positive and finite; lognormal, half-normal and gamma priors need a positive support, beta and uniform a finite one.")));
		}
		for (int t = 0; t < nt; t++)
		{
			sx += x[(size_t) c * T + t0 + t];
			ss += spend[(size_t) c * n + t];
		}
		h->input_scale = sx / nt;
		/* roi 1: the effect is the ROAS (spend); 2: the share of the training KPI (its sum) */
		if (roi[c] == 2)
		{
			ss = 0.0;
			for (int t = 0; t < nt; t++)
				ss += y[t];
		}
		h->spend = ss;
		if (!(h->input_scale > 0.0))
			ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
							errmsg("channel \"%s\" is all zero in the training rows", channels[c])));
		if (h->roi && !(ss > 0.0))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("channel \"%s\" has no spend in the training rows", channels[c]),
							errdetail("Its effect is parameterised by its ROI, which needs spend."),
							errhint("Give it a \"coefficient\" prior instead.")));
		if (!isnan(share_prior[c]))
		{
			share_any = true;
			if (!(share_prior[c] >= 0.0 && share_prior[c] <= 1.0 && share_sd[c] > 0.0 && isfinite(share_sd[c])))
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("contribution prior of channel \"%s\" is invalid", channels[c]),
								errdetail("Share %g, standard deviation %g.", share_prior[c], share_sd[c])));
		}
	}
	exps = palloc0(sizeof(MMExperiment) * (E + 1));
	for (int e = 0; e < E; e++)
	{
		if (e_ch[e] < 0 || e_ch[e] >= C || e_r0[e] < 0 || e_r1[e] < e_r0[e] || e_r1[e] >= n)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("experiment %d is outside the model", e + 1)));
		if (!(e_se[e] > 0.0 && isfinite(e_se[e])))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("experiment %d has no lift_se, which inference \"bayes\" needs", e + 1),
							errhint("A lift study is a likelihood term: give its standard error.")));
		exps[e].channel = e_ch[e];
		exps[e].r0 = e_r0[e];
		exps[e].r1 = e_r1[e];
		exps[e].lift_abs = e_lift[e];
		exps[e].scale = e_scale[e];
		exps[e].lift_se = e_se[e];
		exps[e].immediate = false;
	}

	memset(&d, 0, sizeof(d));
	d.form = strcmp(form, "multiplicative") == 0 ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE;
	d.T = T;
	d.t0 = t0;
	d.n = n;
	d.n_train = nt;
	d.C = C;
	d.x = x;
	d.ch = ch;
	d.F = F;
	d.Z = z;
	d.zsign = zsign;
	d.y = y;
	d.revenue_per_kpi = 1.0;
	d.intercept = (MMPrior) {MM_PRIOR_NORMAL, glob[0], glob[1], -INFINITY, INFINITY};
	d.sigma = (MMPrior) {MM_PRIOR_HALFNORMAL, 0.0, glob[2], 0.0, INFINITY};
	d.fixed_sd = glob[3];
	d.share_prior = share_any ? share_prior : NULL;
	d.share_sd = share_sd;
	d.E = E;
	d.exps = exps;
	if (!(glob[1] > 0.0 && glob[2] > 0.0 && glob[3] > 0.0))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("prior scales of the intercept, noise and fixed terms must be positive")));

	{
		double	   *work = palloc(sizeof(double) * mm_post_work_size(&d));
		int		   *iwork = palloc(sizeof(int) * mm_post_iwork_size(&d));

		st = mm_post_init(&ps, &d, work, iwork);
		if (st == MM_EDOM)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("the model's data or priors do not define a posterior"),
							errhint("Check for non-finite values and for priors outside their parameter's range.")));
		mixmodel_check_core(st, "the posterior");
		ps.interrupt = mixmodel_interrupt_check;
	}

	rng = mm_rng_create((unsigned long) (seed ^ (seed >> 32)));
	min = mixmodel_bfgs_create(ps.dim);	/* owned by ctx, the current context */

	memset(&so, 0, sizeof(so));
	so.chains = chains;
	so.nuts.warmup = warmup;
	so.nuts.draws = ndraws;
	so.nuts.max_depth = max_depth;
	so.nuts.target_accept = target_accept;
	so.nuts.dense = dense;
	so.seed = seed;
	so.mode_iterations = 200;
	if ((Size) chains * ndraws * ps.dim * sizeof(double) > MaxAllocSize)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("too many draws for the model's parameters"),
						errdetail("%d chains of %d draws of %d parameters.", chains, ndraws, ps.dim)));
	start = palloc(sizeof(double) * chains * ps.dim);
	stats = palloc0(sizeof(MMNutsStats) * chains);
	umed = palloc(sizeof(double) * ps.dim);
	if (map_only)
	{
		/* the mode of the same log posterior: the best of the chains' starting optimisations */
		double		best = -INFINITY;

		D = 0;
		draws = NULL;
		lp = NULL;
		for (int c = 0; c < chains; c++)
		{
			double		v;

			gsl_rng_set(rng, mm_gen_seed(seed, c));
			mm_post_start(&ps, start + c * ps.dim);
			if (c > 0)
				for (int i = 0; i < ps.dim; i++)
					start[c * ps.dim + i] += gsl_rng_uniform(rng) * 2.0 - 1.0;
			CHECK_FOR_INTERRUPTS();
			if (mm_post_mode(&ps, min, start + c * ps.dim, 2000, &v) == MM_OK && v > best)
			{
				best = v;
				memcpy(umed, start + c * ps.dim, sizeof(double) * ps.dim);
			}
		}
		if (!isfinite(best))
			ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("no mode of the posterior could be found"),
							errhint("Check the priors against the data's scale.")));
	}
	else
	{
		double		t_start = now_seconds();

		D = chains * ndraws;
		draws = palloc(sizeof(double) * (size_t) D * ps.dim);
		lp = palloc(sizeof(double) * D);
		st = mixmodel_sample_chains(&d, &ps, &so, rng, min, start, draws, lp, stats);
		if (st == MM_ENOCONV || st == MM_EDOM)
			ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
							errmsg("the sampler could not start"),
							errdetail("The log posterior is not finite around its starting points."),
							errhint("Check the priors against the data's scale.")));
		mixmodel_check_core(st, "posterior sampling");
		seconds = now_seconds() - t_start;

		/* the point model: the parameter-wise posterior median */
		tmp = palloc(sizeof(double) * D);
		for (int j = 0; j < ps.dim; j++)
		{
			double		q[3];

			mm_post_quantiles(draws + j, D, ps.dim, 0.5, q, tmp);
			umed[j] = q[1];
		}
	}

	/* the point model's fit and decomposition */
	spec = palloc(sizeof(MMChannelSpec) * C);
	gamma = palloc(sizeof(double) * (F + 1));
	yhat = palloc(sizeof(double) * n);
	contrib = palloc(sizeof(double) * (size_t) (1 + C + F) * n);
	mixmodel_check_core(mm_post_realize(&ps, umed, NULL, spec, &icpt, gamma), "the point model");
	mixmodel_check_core(mm_post_decompose(&ps, spec, icpt, gamma, yhat, contrib), "the point model");
	mm_metrics(y, yhat, nt, C + F, 1, nt, &m_train);
	mm_metrics(y + nt, yhat + nt, n - nt, C + F, 1, nt, &m_test);

	initStringInfo(&b);
	appendStringInfo(&b, "{\"inference\":\"%s\",\"candidates_done\":0,\"chosen\":null,\"lambda_max\":null,\"kkt\":null",
					 map_only ? "map" : "bayes");
	mm_json_member_float(&b, "intercept", icpt, false);
	appendStringInfoString(&b, ",\"has_intercept\":true");
	{
		/* the point model's objectives, as ridge runs report them */
		double		eff[MM_POST_MAX_CHANNELS],
					sp[MM_POST_MAX_CHANNELS],
					sh[MM_POST_MAX_CHANNELS],
					total = 0.0,
					v[MM_NOBJ] = {m_train.nrmse, NAN, NAN, NAN},
					lift_sum = 0.0,
					gauss = 0.0;
		int			kl = 0;

		for (int t = 0; t < nt; t++)
			total += yhat[t];
		for (int c = 0; c < C; c++)
		{
			eff[c] = sp[c] = 0.0;
			for (int t = 0; t < nt; t++)
			{
				eff[c] += contrib[(size_t) (1 + c) * n + t];
				sp[c] += spend[(size_t) c * n + t];
			}
			sh[c] = total != 0.0 ? eff[c] / total : 0.0;
		}
		v[1] = mm_decomp_rssd(eff, sp, paid, C);
		if (share_any)
		{
			double		wgt[MM_POST_MAX_CHANNELS];

			for (int c = 0; c < C; c++)
				wgt[c] = isnan(share_prior[c]) ? 0.0 : 1.0 / (2.0 * share_sd[c] * share_sd[c]);
			v[2] = mm_prior_distance(sh, share_prior, wgt, C);
		}
		for (int e = 0; e < E; e++)
		{
			double		pred = 0.0;

			for (int t = exps[e].r0; t <= exps[e].r1; t++)
				pred += contrib[(size_t) (1 + exps[e].channel) * n + t];
			pred *= exps[e].scale;
			if (exps[e].lift_abs != 0.0)
			{
				lift_sum += fabs(pred - exps[e].lift_abs) / fabs(exps[e].lift_abs);
				kl++;
			}
			gauss += mm_lift_gaussian(pred, exps[e].lift_abs, exps[e].lift_se);
		}
		if (kl > 0)
			v[3] = lift_sum / kl;
		mm_json_member_array(&b, "objectives", v, MM_NOBJ, false);
		mm_json_member_float(&b, "lift_gaussian", E > 0 ? gauss : NAN, false);
		mm_json_member_float(&b, "total", mm_post_logp(&ps, umed, NULL), false);
	}
	json_metrics(&b, "train", &m_train);
	appendStringInfoString(&b, ",\"validation\":{\"n\":0}");
	json_metrics(&b, "test", &m_test);
	appendStringInfoString(&b, ",\"candidates\":[],\"channels\":[");
	for (int c = 0; c < C; c++)
	{
		MMChannelSpec *s = &spec[c];

		appendStringInfo(&b, "%s{\"channel\":", c ? "," : "");
		escape_json(&b, channels[c]);
		appendStringInfo(&b, ",\"adstock\":\"%s\"", mm_adstock_names[s->adstock]);
		mm_json_member_float(&b, "adstock_p1", s->adstock_p1, false);
		mm_json_member_float(&b, "adstock_p2", s->adstock_p2, false);
		appendStringInfo(&b, ",\"max_lag\":%d,\"adstock_normalize\":%s,\"saturation\":\"%s\"",
						 s->max_lag, s->adstock_normalize ? "true" : "false",
						 mm_saturation_names[s->saturation]);
		mm_json_member_float(&b, "sat_p1", s->sat_p1, false);
		mm_json_member_float(&b, "sat_p2", s->sat_p2, false);
		mm_json_member_float(&b, "input_scale", s->input_scale, false);
		mm_json_member_float(&b, "coef", s->coef, false);
		appendStringInfoChar(&b, '}');
	}
	appendStringInfoChar(&b, ']');
	mm_json_member_array(&b, "fixed", gamma, F, false);
	mm_json_member_array(&b, "yhat", yhat, n, false);
	appendStringInfoString(&b, ",\"decomposition\":[");
	for (int j = 0; j < 1 + C + F; j++)
	{
		if (j)
			appendStringInfoChar(&b, ',');
		mm_json_array(&b, contrib + (size_t) j * n, n);
	}
	appendStringInfoChar(&b, ']');

	/* regression diagnostics of the point design: the saturated channels beside the fixed terms */
	{
		int			p = C + F;
		double	   *X = palloc(sizeof(double) * (size_t) nt * p),
				   *resid = palloc(sizeof(double) * nt),
				   *vif = palloc(sizeof(double) * (p + 1)),
				   *dw_ = palloc(sizeof(double) * mm_diagnostics_work(nt, p)),
					cond,
					dwv;

		for (int c = 0; c < C; c++)
			for (int t = 0; t < nt; t++)
				X[(size_t) c * nt + t] = ps.s[(size_t) c * n + t];
		for (int j = 0; j < F; j++)
			memcpy(X + (size_t) (C + j) * nt, z + (size_t) j * n, sizeof(double) * nt);
		for (int t = 0; t < nt; t++)
			resid[t] = y[t] - yhat[t];
		mixmodel_check_core(mm_fit_diagnostics(X, nt, p, resid, &cond, vif, &dwv, dw_), "model diagnostics");
		mm_json_member_float(&b, "condition_number", cond, false);
		mm_json_member_float(&b, "durbin_watson", dwv, false);
		mm_json_member_array(&b, "vif", vif, p, false);
	}

	/* the posterior: summaries, per-period intervals, sampler statistics */
	if (!map_only)
	{
		const char *const derived_names[] = {"contribution", "share", "effect_share", "marginal_response", "roas"};
		double	   *roas;
		int			Dt;

		P = mm_post_draw_width(&d);
		dv.D = D;
		dv.thin = (D + MM_PERIOD_DRAWS - 1) / MM_PERIOD_DRAWS;
		Dt = dv.Dt = (D + dv.thin - 1) / dv.thin;
		dv.contrib = palloc(sizeof(double) * (size_t) D * C);
		dv.share = palloc(sizeof(double) * (size_t) D * C);
		dv.effect_share = palloc(sizeof(double) * (size_t) D * C);
		dv.marginal = palloc(sizeof(double) * (size_t) D * C);
		dv.yhat = palloc(sizeof(double) * (size_t) Dt * n);
		dv.period = palloc(sizeof(double) * (size_t) Dt * (1 + C + F) * n);
		dv.params = palloc(sizeof(double) * (size_t) D * P);
		/* its own stream, after the chains' 0 .. chains - 1: the same whether they ran in threads */
		gsl_rng_set(rng, mm_gen_seed(seed, chains));
		st = mm_post_derive(&ps, draws, paid, rng, mixmodel_interrupt_check, &dv,
							palloc(sizeof(double) * mm_post_derive_work(&ps)));
		mixmodel_check_core(st, "the posterior's contributions");
		roas = palloc(sizeof(double) * (size_t) D * C);
		for (int i = 0; i < D; i++)
			for (int c = 0; c < C; c++)
				roas[(size_t) i * C + c] = paid[c] && ch[c].spend > 0.0
					? dv.contrib[(size_t) i * C + c] / ch[c].spend : NAN;

		tmp = palloc(sizeof(double) * (D + 1));
		dwork = palloc(sizeof(double) * mm_mcmc_diag_work(chains, ndraws));
		appendStringInfoString(&b, ",\"posterior\":{\"summary\":[");
		{
			bool		first = true;
			double	   *col = palloc(sizeof(double) * D);

			for (int c = 0; c < C; c++)
			{
				for (int j = 0; j < MM_POST_NPAR; j++)
				{
					int			iu = ps.map[c * MM_POST_NPAR + j];

					/* a sampled ROAS or share is the derived roas or share below (exactly, additive) */
					if (iu < 0 || (j == MM_POST_EFFECT && roi[c] != 0))
						continue;
					for (int i = 0; i < D; i++)
						col[i] = mm_prior_value(&ch[c].prior[j], draws[(size_t) i * ps.dim + iu], NULL);
					summary_line(&b, &first, pname[c * MM_POST_NPAR + j], channels[c], col, chains, ndraws, 1,
								 level, tmp, dwork);
				}
				summary_line(&b, &first, "coefficient_kpi", channels[c], dv.params + c * MM_POST_NPAR + 4,
							 chains, ndraws, P, level, tmp, dwork);
				summary_line(&b, &first, derived_names[0], channels[c], dv.contrib + c, chains, ndraws, C, level, tmp, dwork);
				summary_line(&b, &first, derived_names[1], channels[c], dv.share + c, chains, ndraws, C, level, tmp, dwork);
				if (paid[c])
				{
					summary_line(&b, &first, derived_names[2], channels[c], dv.effect_share + c, chains, ndraws, C, level, tmp, dwork);
					summary_line(&b, &first, derived_names[3], channels[c], dv.marginal + c, chains, ndraws, C, level, tmp, dwork);
					summary_line(&b, &first, derived_names[4], channels[c], roas + c, chains, ndraws, C, level, tmp, dwork);
				}
			}
			summary_line(&b, &first, "intercept", "", dv.params + C * MM_POST_NPAR, chains, ndraws, P, level, tmp, dwork);
			summary_line(&b, &first, "sigma", "", dv.params + P - 1, chains, ndraws, P, level, tmp, dwork);
			summary_line(&b, &first, "lp", "", lp, chains, ndraws, 1, level, tmp, dwork);
		}
		appendStringInfoChar(&b, ']');

		/* per period: prediction and each term (thinned draws) */
		{
			double		q[3],
					   *lo = palloc(sizeof(double) * n),
					   *hi = palloc(sizeof(double) * n);

			for (int t = 0; t < n; t++)
			{
				if ((t & 1023) == 0)
					CHECK_FOR_INTERRUPTS();
				mm_post_quantiles(dv.yhat + t, Dt, n, level, q, tmp);
				lo[t] = q[0];
				hi[t] = q[2];
			}
			mm_json_member_array(&b, "yhat_lower", lo, n, false);
			mm_json_member_array(&b, "yhat_upper", hi, n, false);
			{
				size_t		cells = (size_t) (1 + C + F) * n;
				double	   *dlo = palloc(sizeof(double) * cells),
						   *dhi = palloc(sizeof(double) * cells);

				for (size_t cell = 0; cell < cells; cell++)
				{
					if ((cell & 1023) == 0)
						CHECK_FOR_INTERRUPTS();
					mm_post_quantiles(dv.period + cell, Dt, (int) cells, level, q, tmp);
					dlo[cell] = q[0];
					dhi[cell] = q[2];
				}
				appendStringInfoString(&b, ",\"decomposition_lower\":[");
				for (int j = 0; j < 1 + C + F; j++)
				{
					appendStringInfoString(&b, j ? "," : "");
					mm_json_array(&b, dlo + (size_t) j * n, n);
				}
				appendStringInfoString(&b, "],\"decomposition_upper\":[");
				for (int j = 0; j < 1 + C + F; j++)
				{
					appendStringInfoString(&b, j ? "," : "");
					mm_json_array(&b, dhi + (size_t) j * n, n);
				}
				appendStringInfoChar(&b, ']');
			}
		}

		/* the sampler */
		{
			long		grads = 0;
			int			div = 0,
						hits = 0;
			double		acc = 0.0,
						depth = 0.0,
						step = 0.0;

			for (int c = 0; c < chains; c++)
			{
				grads += stats[c].gradients;
				div += stats[c].divergences;
				hits += stats[c].max_depth_hits;
				acc += stats[c].accept_mean / chains;
				depth += stats[c].depth_mean / chains;
				step += stats[c].step_size / chains;
			}
			appendStringInfo(&b, ",\"sampler\":{\"chains\":%d,\"warmup\":%d,\"draws\":%d,\"parameters\":%d,"
							 "\"divergences\":%d,\"max_treedepth_hits\":%d,\"gradients\":%ld",
							 chains, warmup, ndraws, ps.dim, div, hits, grads);
			mm_json_member_float(&b, "accept_mean", acc, false);
			mm_json_member_float(&b, "treedepth_mean", depth, false);
			mm_json_member_float(&b, "step_size", step, false);
			mm_json_member_float(&b, "seconds", seconds, false);
			mm_json_member_float(&b, "level", level, false);
			/* per chain: the log posterior of its start, its step size, divergences, acceptance */
			{
				double	   *v = palloc(sizeof(double) * chains);

				for (int c = 0; c < chains; c++)
					v[c] = mm_post_logp(&ps, start + (size_t) c * ps.dim, NULL);
				mm_json_member_array(&b, "chain_start_lp", v, chains, false);
				for (int c = 0; c < chains; c++)
					v[c] = stats[c].step_size;
				mm_json_member_array(&b, "chain_step_size", v, chains, false);
				for (int c = 0; c < chains; c++)
					v[c] = stats[c].divergences;
				mm_json_member_array(&b, "chain_divergences", v, chains, false);
				for (int c = 0; c < chains; c++)
					v[c] = stats[c].accept_mean;
				mm_json_member_array(&b, "chain_accept", v, chains, false);
			}
			appendStringInfoChar(&b, '}');
		}
		appendStringInfoChar(&b, '}');

		if (!PG_ARGISNULL(34) && !PG_ARGISNULL(35))
			store_draws(text_to_cstring(PG_GETARG_TEXT_PP(34)), PG_GETARG_INT32(35), dv.params, P, lp,
						chains, ndraws);
	}
	appendStringInfoChar(&b, '}');

	MemoryContextSwitchTo(old);
	{
		Datum		res = DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data));

		MemoryContextDelete(ctx);
		PG_RETURN_DATUM(res);
	}
}
