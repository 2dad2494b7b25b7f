/*
 * test_search.c: the training core on synthetic data with a known truth
 * (recovery of contribution shares and adstock decay, KKT of the chosen fit,
 * bit-identical reruns), the metrics and the Pareto selection on toys.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/adstock.h"
#include "math/diagnostics.h"
#include "math/objective.h"
#include "math/saturation.h"
#include "math/search.h"
#include "unit.h"

enum
{
	T = 156, C = 3, F = 2, BUDGET = 600
};

static const double true_theta[C] = {0.6, 0.3, 0.1};
static const double true_alpha[C] = {2.0, 1.5, 1.2};
static const double true_gamma[C] = {0.5, 0.4, 0.6};

typedef struct Synth
{
	double		x[C * T],
				spend[C * T],
				Z[F * T],
				y[T],
				share[C];
	MMChannelBox box[C];
	double		zlo[F],
				zhi[F];
	MMSearchData d;
} Synth;

static void
synth(Synth *s, MMModelForm form, gsl_rng *r)
{
	double		a[T],
				contrib[C][T],
				mu[T],
				total = 0.0;

	for (int c = 0; c < C; c++)
		for (int t = 0; t < T; t++)
		{
			double		on = (c == 0) ? ((t / 6) % 2) : 1.0;	/* TV-like flights */

			s->x[c * T + t] = on * (50.0 + 100.0 * gsl_rng_uniform(r)) * (1 + c);
			s->spend[c * T + t] = s->x[c * T + t];
		}
	for (int t = 0; t < T; t++)
	{
		s->Z[t] = (double) t / (T - 1);							/* trend */
		s->Z[T + t] = sin(2 * M_PI * t / 52.0);					/* season */
	}
	for (int c = 0; c < C; c++)
	{
		double		amax = 0.0;

		mm_adstock_geometric_recursive(s->x + c * T, T, true_theta[c], false, a);
		for (int t = 0; t < T; t++)
			amax = fmax(amax, a[t]);
		for (int t = 0; t < T; t++)
			contrib[c][t] = mm_saturation(MM_SAT_HILL, true_alpha[c], true_gamma[c], a[t] / amax);
	}
	for (int t = 0; t < T; t++)
	{
		if (form == MM_FORM_ADDITIVE)
		{
			mu[t] = 1000 + 200 * s->Z[t] + 100 * s->Z[T + t] + 300 * contrib[0][t] +
				200 * contrib[1][t] + 150 * contrib[2][t];
			s->y[t] = mu[t] + gsl_ran_gaussian(r, 15.0);
		}
		else
		{
			mu[t] = exp(7.0 + 0.2 * s->Z[t] + 0.1 * s->Z[T + t] + 0.3 * contrib[0][t] +
						0.2 * contrib[1][t] + 0.15 * contrib[2][t]);
			s->y[t] = mu[t] * exp(gsl_ran_gaussian(r, 0.01));
		}
	}
	/* true shares of the additive decomposition over the first 117 rows */
	for (int t = 0; t < 117; t++)
		total += mu[t];
	for (int c = 0; c < C; c++)
	{
		double		e = 0.0,
					coef = (form == MM_FORM_ADDITIVE ? (c == 0 ? 300 : c == 1 ? 200 : 150) : 0);

		for (int t = 0; t < 117; t++)
			e += coef * contrib[c][t];
		s->share[c] = e / total;
	}
	for (int c = 0; c < C; c++)
	{
		MMChannelBox b = {MM_ADSTOCK_GEOMETRIC, -1, false, MM_SAT_HILL,
		{0, 0, 0.5, 0.3}, {0.8, 0, 3.0, 1.0}, true};

		s->box[c] = b;
	}
	s->zlo[0] = s->zlo[1] = -INFINITY;
	s->zhi[0] = s->zhi[1] = INFINITY;
	memset(&s->d, 0, sizeof(s->d));
	s->d.form = form;
	s->d.T = T;
	s->d.t0 = 0;
	s->d.n = T;
	s->d.n_train = 117;
	s->d.C = C;
	s->d.x = s->x;
	s->d.spend = s->spend;
	s->d.box = s->box;
	s->d.F = F;
	s->d.Z = s->Z;
	s->d.zlo = s->zlo;
	s->d.zhi = s->zhi;
	s->d.y = s->y;
	s->d.intercept_nonneg = true;
	s->d.weights.nrmse = 1.0;
	s->d.weights.rssd = 0.0;
}

/* run the search; returns the chosen candidate's hyperparameters in h */
static int
run(Synth *s, double *H, MMCandidate *cand, double *work, int *iwork, unsigned long seed,
	int *chosen, MMSearch *ms)
{
	int			K = mm_search_free_dim(&s->d);
	gsl_qrng   *q = gsl_qrng_alloc(gsl_qrng_sobol, K);
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		shift[64];
	void	   *pwork = malloc(mm_pareto_select_work(BUDGET));
	MMSearchOptions opt = {BUDGET, 0.3, 3, q, shift, NULL, NULL, NULL, 0, pwork};
	int			done = 0;
	MMStatus	st;
	MMObjectives o;

	gsl_rng_set(r, seed);
	for (int k = 0; k < K; k++)
		shift[k] = gsl_rng_uniform(r);
	st = mm_search_init(ms, &s->d, work, iwork);
	if (st == MM_OK)
		st = mm_search_run(ms, &opt, H, cand, &done, chosen);
	if (st == MM_OK)
		st = mm_candidate_eval(ms, H + (size_t) *chosen * mm_search_dim(&s->d), &o);
	gsl_qrng_free(q);
	gsl_rng_free(r);
	free(pwork);
	return st == MM_OK ? done : -1;
}

static void
recovery(MMModelForm form, const char *name)
{
	Synth	   *s = calloc(1, sizeof(Synth));
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	int			D,
				done,
				chosen,
				chosen2;
	double	   *H,
			   *H2,
			   *work;
	int			iwork[C + F];
	MMCandidate *cand,
			   *cand2;
	MMSearch	ms;
	MMChannelSpec spec[C];

	gsl_rng_set(r, 11);
	synth(s, form, r);
	D = mm_search_dim(&s->d);
	H = calloc((size_t) BUDGET * D, sizeof(double));
	H2 = calloc((size_t) BUDGET * D, sizeof(double));
	cand = calloc(BUDGET, sizeof(MMCandidate));
	cand2 = calloc(BUDGET, sizeof(MMCandidate));
	work = calloc(mm_search_work_size(&s->d), sizeof(double));

	done = run(s, H, cand, work, iwork, 42, &chosen, &ms);
	UNIT_OK(done == BUDGET, "%s: search evaluated the whole budget (%d)", name, done);
	if (done != BUDGET)
		goto out;
	mm_candidate_specs(&ms, H + (size_t) chosen * D, spec);
	UNIT_OK(ms.kkt < 1e-9, "%s: chosen fit satisfies KKT (%.3g)", name, ms.kkt);
	UNIT_OK(ms.train.r2 > 0.95, "%s: training R2 %.4f > 0.95", name, ms.train.r2);
	UNIT_OK(ms.test.r2 > 0.8, "%s: holdout R2 %.4f > 0.8", name, ms.test.r2);
	/* tolerance: the TV-like channel's decay within 0.15 of the truth */
	UNIT_NEAR(spec[0].adstock_p1, true_theta[0], 0.15, "%s: adstock decay of channel 0 recovered (%.3f vs %.1f)",
			  name, spec[0].adstock_p1, true_theta[0]);
	if (form == MM_FORM_ADDITIVE)
	{
		double		worst = 0.0,
					tot = 0.0;

		for (int c = 0; c < C; c++)
		{
			double		e = 0.0;

			for (int t = 0; t < 117; t++)
				e += ms.contrib[(size_t) (1 + c) * T + t];
			for (int t = 0; c == 0 && t < 117; t++)
				tot += ms.yhat[t];
			worst = fmax(worst, fabs(e / tot - s->share[c]));
		}
		/* tolerance: contribution shares within 0.03 (3 points of KPI) */
		UNIT_OK(worst < 0.03, "%s: contribution shares within 0.03 of the truth (worst %.4f)", name, worst);
	}
	/* decomposition sums to the prediction */
	{
		double		worst = 0.0;

		for (int t = 0; t < T; t++)
		{
			double		sum = 0.0;

			for (int k = 0; k < 1 + C + F; k++)
				sum += ms.contrib[(size_t) k * T + t];
			worst = fmax(worst, fabs(sum - ms.yhat[t]) / ms.yhat[t]);
		}
		UNIT_OK(worst < 1e-12, "%s: decomposition sums to the prediction (%.3g)", name, worst);
	}
	/* same seed: bit-identical; another seed: another sequence */
	done = run(s, H2, cand2, work, iwork, 42, &chosen2, &ms);
	UNIT_OK(done == BUDGET && chosen2 == chosen &&
			memcmp(H, H2, sizeof(double) * BUDGET * D) == 0 &&
			memcmp(cand, cand2, sizeof(MMCandidate) * BUDGET) == 0,
			"%s: same seed gives bit-identical candidates and choice", name);
	done = run(s, H2, cand2, work, iwork, 43, &chosen2, &ms);
	UNIT_OK(done == BUDGET && memcmp(H, H2, sizeof(double) * D) != 0, "%s: another seed explores other points", name);
out:
	free(H);
	free(H2);
	free(cand);
	free(cand2);
	free(work);
	free(s);
	gsl_rng_free(r);
}

static void
toys(void)
{
	double		y[4] = {1, 2, 3, 4},
				yh[4] = {1.5, 2, 2.5, 4};
	MMMetrics	m;
	double		eff[3] = {60, 40, 0},
				sp[3] = {50, 50, 1};
	bool		paid[3] = {true, true, false};
	MMCandidate cand[4];
	static double pwork[512];
	MMSearchData d;

	mm_metrics(y, yh, 4, 1, 1, 4, &m);
	/* SSE = 0.5, SST = 5 */
	UNIT_NEAR(m.r2, 0.9, 1e-15, "metrics: r2 = 1 - 0.5/5");
	UNIT_NEAR(m.adj_r2, 1 - 0.1 * 3 / 2, 1e-15, "metrics: adjusted r2 (Robyn)");
	UNIT_NEAR(m.rmse, sqrt(0.5 / 4), 1e-15, "metrics: rmse");
	UNIT_NEAR(m.nrmse, sqrt(0.5 / 4) / 3, 1e-15, "metrics: nrmse = rmse / range");
	UNIT_NEAR(m.mape, (0.5 + 0 + 0.5 / 3 + 0) / 4, 1e-15, "metrics: mape");
	UNIT_NEAR(m.smape, (2 * 0.5 / 2.5 + 2 * 0.5 / 5.5) / 4, 1e-15, "metrics: smape");
	UNIT_NEAR(mm_decomp_rssd(eff, sp, paid, 3), sqrt(0.02), 1e-15, "decomp.rssd: paid only, sqrt(0.1^2 + 0.1^2)");
	eff[1] = 0;
	UNIT_NEAR(mm_decomp_rssd(eff, sp, paid, 3), sqrt(0.5) * 1.5, 1e-15, "decomp.rssd: zero-effect penalty x (1 + 1/2)");
	eff[0] = 0;
	UNIT_OK(isinf(mm_decomp_rssd(eff, sp, paid, 3)), "decomp.rssd: all effects 0 is +inf");
	UNIT_NEAR(mm_prior_weight(0.5), 1.0, 1e-15, "prior weight 50%% = 1");
	UNIT_NEAR(mm_prior_weight(0.0), 0.0, 0.0, "prior weight 0%% = 0");

	memset(&d, 0, sizeof(d));
	memset(cand, 0, sizeof(cand));
	d.weights.nrmse = d.weights.rssd = 1.0;
	/* (nrmse, rssd): (0.1, 0.5) (0.2, 0.1) (0.3, 0.3) dominated, (0.12, 0.2) closest to utopia */
	{
		double		v[4][2] = {{0.1, 0.5}, {0.2, 0.1}, {0.3, 0.3}, {0.12, 0.2}};

		for (int i = 0; i < 4; i++)
		{
			cand[i].obj.v[0] = v[i][0];
			cand[i].obj.v[1] = v[i][1];
			cand[i].obj.v[2] = cand[i].obj.v[3] = NAN;
			cand[i].total = v[i][0];
		}
	}
	UNIT_OK(mm_pareto_select(&d, cand, 4, pwork, NULL) == 3 && cand[0].front == 1 && cand[1].front == 1 &&
			cand[2].front == 0 && cand[3].front == 1, "pareto: front 1 marked, utopia-closest chosen");
}

static void
diagnostics(void)
{
	/* two orthogonal centred columns and a third = their sum + small noise */
	double		X[3 * 4] = {1, -1, 1, -1, 1, 1, -1, -1, 2, 0, 0, -2.1};
	double		e[4] = {1, -1, 1, -1};
	double		vif[3],
				cond,
				dw,
				work[64];

	UNIT_OK(mm_diagnostics_work(4, 2) <= 64, "diagnostics work size fits");
	UNIT_OK(mm_fit_diagnostics(X, 4, 2, e, &cond, vif, &dw, work) == MM_OK, "diagnostics run");
	UNIT_NEAR(cond, 1.0, 1e-12, "orthogonal design: condition number 1");
	UNIT_NEAR(vif[0], 1.0, 1e-12, "orthogonal design: VIF 1");
	UNIT_NEAR(dw, 3.0, 1e-15, "Durbin-Watson of alternating residuals: 12 / 4");
	mm_fit_diagnostics(X, 4, 3, e, &cond, vif, &dw, work);
	UNIT_OK(vif[2] > 100 && cond > 10, "near-collinear third column: VIF %.0f, condition %.0f", vif[2], cond);
}

/* MAPE.LIFT of one immediate-scope study against a hand computation (formulas §8.1) */
static void
lift_immediate(void)
{
	enum
	{
		N = 60
	};
	double		x[N],
				y[N],
				Z[N],
				spend[N],
				zlo = -INFINITY,
				zhi = INFINITY;
	double		afull[N],
				astudy[N],
				xs[N],
				h[MM_HP_PER_CHANNEL + 1] = {0.5, 0, 1.5, 0.5, 0.2};
	MMChannelBox box = {MM_ADSTOCK_GEOMETRIC, -1, false, MM_SAT_HILL, {0.5, 0, 1.5, 0.5}, {0.5, 0, 1.5, 0.5}, true};
	MMExperiment ex[2] = {{0, 30, 33, 400.0, 28.0 / 28.0, false, 0.0}, {0, 30, 33, 400.0, 1.0, true, 0.0}};
	MMSearchData d;
	MMSearch	ms;
	MMObjectives o_total,
				o_imm;
	double	   *work;
	int			iwork[2];
	double		total = 0.0,
				carry = 0.0,
				want;

	for (int t = 0; t < N; t++)
	{
		x[t] = spend[t] = 100.0 + 80.0 * ((t / 4) % 2) + 7.0 * (t % 5);
		Z[t] = (double) t / (N - 1);
	}
	mm_adstock_geometric_recursive(x, N, 0.5, false, afull);
	{
		double		amax = 0.0;

		for (int t = 0; t < N; t++)
			amax = fmax(amax, afull[t]);
		for (int t = 0; t < N; t++)
			y[t] = 500.0 + 30.0 * Z[t] + 200.0 * mm_saturation(MM_SAT_HILL, 1.5, 0.5, afull[t] / amax) + 3.0 * sin(t);
	}
	memset(&d, 0, sizeof(d));
	d.form = MM_FORM_ADDITIVE;
	d.T = N;
	d.n = N;
	d.n_train = 45;
	d.C = 1;
	d.x = x;
	d.spend = spend;
	d.box = &box;
	d.F = 1;
	d.Z = Z;
	d.zlo = &zlo;
	d.zhi = &zhi;
	d.y = y;
	d.intercept_nonneg = true;
	d.E = 1;
	d.weights.nrmse = 1.0;
	work = calloc(mm_search_work_size(&d), sizeof(double));
	d.exps = &ex[0];
	mm_search_init(&ms, &d, work, iwork);
	UNIT_OK(mm_candidate_eval(&ms, h, &o_total) == MM_OK, "lift: total-scope candidate fits");
	for (int t = 30; t <= 33; t++)
		total += ms.contrib[(size_t) 1 * N + t];
	UNIT_NEAR(o_total.v[3], fabs(total - 400.0) / 400.0, 1e-14, "lift: total scope = |sum of contributions - lift| / lift");
	UNIT_OK(isnan(o_total.lift_gauss), "lift: no standard error, no Gaussian penalty");
	/* formulas §8.4 (b): ((pred - lift) / se)^2 / 2, added to the one objective with its weight */
	UNIT_NEAR(mm_lift_gaussian(430.0, 400.0, 20.0), 1.125, 1e-15, "lift: Gaussian penalty ((430 - 400) / 20)^2 / 2");
	UNIT_OK(isnan(mm_lift_gaussian(430.0, 400.0, 0.0)) && isnan(mm_lift_gaussian(430.0, 400.0, INFINITY)),
			"lift: Gaussian penalty needs a positive finite standard error");
	{
		MMExperiment ex_se = ex[0];
		MMObjectives o_se;
		double		pen;

		ex_se.lift_se = 20.0;
		d.exps = &ex_se;
		UNIT_OK(mm_candidate_eval(&ms, h, &o_se) == MM_OK, "lift: candidate with a study standard error fits");
		pen = 0.5 * ((total - 400.0) / 20.0) * ((total - 400.0) / 20.0);
		UNIT_NEAR(o_se.lift_gauss, pen, 1e-12 * fmax(1.0, pen), "lift: search's Gaussian penalty = ((sum of contributions - lift) / se)^2 / 2");
		UNIT_NEAR(o_se.v[3], o_total.v[3], 0.0, "lift: MAPE.LIFT unchanged by the standard error");
		UNIT_NEAR(mm_objective_total(&o_se, &d.weights), o_se.v[0], 0.0, "lift: Gaussian weight 0 keeps the objective (default)");
		d.weights.lift_gauss = 2.0;
		UNIT_NEAR(mm_objective_total(&o_se, &d.weights), o_se.v[0] + 2.0 * pen, 1e-12 * (o_se.v[0] + 2.0 * pen),
				  "lift: Gaussian weight w adds w * penalty to the one objective");
		d.weights.lift_gauss = 0.0;
	}
	d.exps = &ex[1];
	UNIT_OK(mm_candidate_eval(&ms, h, &o_imm) == MM_OK, "lift: immediate-scope candidate fits");
	for (int t = 0; t < N; t++)
		xs[t] = (t >= 30 && t <= 33) ? x[t] : 0.0;
	mm_adstock_geometric_recursive(xs, N, 0.5, false, astudy);
	for (int t = 30; t <= 33; t++)
		carry += ms.beta[0] * mm_saturation(MM_SAT_HILL, 1.5, 0.5, (afull[t] - astudy[t]) / ms.input_scale[0]);
	want = fabs(total - carry - 400.0) / 400.0;
	UNIT_OK(carry > 0.0, "lift: carry-in before the study is positive (%.3f)", carry);
	UNIT_NEAR(o_imm.v[3], want, 1e-12, "lift: immediate scope removes coef * s((a_full - a_study) / scale)");
	free(work);
}

/*
 * Calibration axis: MAPE.LIFT (Robyn) or the Gaussian lift penalty (PyMC-style):
 * the same candidates give another front and another choice.
 */
static void
pareto_calibration(void)
{
	MMSearchData d;
	MMCandidate c[3];
	static double pwork[512];
	const double nrmse[3] = {0.1, 0.2, 0.3},
				mape[3] = {0.5, 0.1, 0.4},
				gauss[3] = {0.2, 8.0, 0.1};
	int			chosen;

	memset(&d, 0, sizeof(d));
	memset(c, 0, sizeof(c));
	d.E = 1;
	d.weights.nrmse = 1.0;
	d.weights.lift = 3.0;
	d.weights.lift_gauss = 3.0;
	for (int i = 0; i < 3; i++)
	{
		c[i].obj.v[0] = nrmse[i];
		c[i].obj.v[1] = 0.0;
		c[i].obj.v[2] = NAN;
		c[i].obj.v[3] = mape[i];
		c[i].obj.lift_gauss = gauss[i];
		c[i].total = 1.0;
	}
	chosen = mm_pareto_select(&d, c, 3, pwork, NULL);
	UNIT_OK(c[0].front == 1 && c[1].front == 1 && c[2].front == 0 && chosen == 1,
			"calibration mape_lift: front {1, 2}, chosen 2 (got %d %d %d, %d)", c[0].front, c[1].front, c[2].front, chosen + 1);
	d.calibration = MM_CALIB_GAUSSIAN;
	chosen = mm_pareto_select(&d, c, 3, pwork, NULL);
	UNIT_OK(c[0].front == 1 && c[1].front == 0 && c[2].front == 1 && chosen == 2,
			"calibration gaussian: front {1, 3}, chosen 3 (got %d %d %d, %d)", c[0].front, c[1].front, c[2].front, chosen + 1);
	d.weights.lift_gauss = 0.5;
	chosen = mm_pareto_select(&d, c, 3, pwork, NULL);
	UNIT_OK(chosen == 0, "calibration gaussian: its own weight (0.5) moves the choice to 1 (got %d)", chosen + 1);
}

/* formulas §8.3: the lognormal with a given mean and SD (Meridian's ROI prior) */
static void
lognormal_prior(void)
{
	double		mu,
				sigma;
	const double ms[][2] = {{2.0, 1.0}, {1.5, 0.1}, {0.3, 2.0}, {1e-8, 1e-12}, {5e5, 3e6}};

	UNIT_OK(mm_lognormal_from_mean_sd(2.0, 1.0, &mu, &sigma) == MM_OK, "lognormal: m = 2, s = 1");
	/* by hand: sigma^2 = ln(1 + 1/4) = 0.2231435513142098, mu = ln 2 - sigma^2 / 2 */
	UNIT_NEAR(sigma, 0.47238072707743883, 1e-15, "lognormal: sigma = sqrt(ln 1.25) = 0.472381");
	UNIT_NEAR(mu, 0.58157540490284043, 1e-15, "lognormal: mu = ln 2 - ln(1.25) / 2 = 0.581575");
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
	{
		double		m,
					s;

		UNIT_OK(mm_lognormal_from_mean_sd(ms[i][0], ms[i][1], &mu, &sigma) == MM_OK, "lognormal: (%g, %g)", ms[i][0], ms[i][1]);
		/* the lognormal's own moments: exp(mu + sigma^2/2), that times sqrt(exp(sigma^2) - 1) */
		m = exp(mu + 0.5 * sigma * sigma);
		s = m * sqrt(expm1(sigma * sigma));
		UNIT_NEAR(m / ms[i][0], 1.0, 1e-13, "lognormal: mean %g round-trips", ms[i][0]);
		UNIT_NEAR(s / ms[i][1], 1.0, 1e-12, "lognormal: sd %g round-trips", ms[i][1]);
	}
	UNIT_OK(mm_lognormal_from_mean_sd(0.0, 1.0, &mu, &sigma) == MM_EDOM &&
			mm_lognormal_from_mean_sd(-1.0, 1.0, &mu, &sigma) == MM_EDOM &&
			mm_lognormal_from_mean_sd(1.0, 0.0, &mu, &sigma) == MM_EDOM &&
			mm_lognormal_from_mean_sd(1.0, NAN, &mu, &sigma) == MM_EDOM &&
			mm_lognormal_from_mean_sd(INFINITY, 1.0, &mu, &sigma) == MM_EDOM,
			"lognormal: mean and sd must be positive and finite");
	UNIT_OK(mm_lognormal_from_mean_sd(1e-300, 1e300, &mu, &sigma) == MM_EOVRFLW,
			"lognormal: sd / mean past the double range overflows");
}

void
test_search(void)
{
	lognormal_prior();
	pareto_calibration();
	lift_immediate();
	toys();
	diagnostics();
	recovery(MM_FORM_ADDITIVE, "additive");
	recovery(MM_FORM_MULTIPLICATIVE, "multiplicative");
}
