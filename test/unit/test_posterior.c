/*
 * test_posterior.c: the Bayesian core (src/math/posterior, transform_grad.c):
 * prior densities against GSL's, every analytic derivative against central
 * differences, NUTS on Gaussians with known moments, the diagnostics against
 * processes with known R-hat and ESS and against rstan's implementation, and
 * a posterior that recovers a known model.
 */
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "math/transform_grad.h"
#include "math/posterior/derive.h"
#include "math/posterior/mcmc_diag.h"
#include "math/posterior/model.h"
#include "math/posterior/nuts.h"
#include "math/posterior/prior.h"
#include "math/posterior/chains.h"
#include "math/posterior/sample.h"
#include "unit.h"

static void
test_priors(void)
{
	struct
	{
		MMPrior		p;
		double		v;
		double		pdf;
	}			cases[] = {
		{{MM_PRIOR_NORMAL, 1.0, 2.0, -INFINITY, INFINITY}, 0.3, 0.0},
		{{MM_PRIOR_LOGNORMAL, 0.2, 0.9, 0.0, INFINITY}, 1.7, 0.0},
		{{MM_PRIOR_HALFNORMAL, 0.0, 1.5, 0.0, INFINITY}, 0.8, 0.0},
		{{MM_PRIOR_GAMMA, 3.0, 2.0, 0.0, INFINITY}, 1.2, 0.0},
		{{MM_PRIOR_BETA, 1.0, 3.0, 0.0, 1.0}, 0.35, 0.0},
		{{MM_PRIOR_BETA, 2.0, 5.0, 0.0, 0.8}, 0.35, 0.0},
		{{MM_PRIOR_UNIFORM, 0.0, 0.0, 0.0, 8.0}, 3.0, 0.0},
	};
	int			ncase = sizeof(cases) / sizeof(cases[0]);

	cases[0].pdf = gsl_ran_gaussian_pdf(0.3 - 1.0, 2.0);
	cases[1].pdf = gsl_ran_lognormal_pdf(1.7, 0.2, 0.9);
	cases[2].pdf = 2.0 * gsl_ran_gaussian_pdf(0.8, 1.5);
	cases[3].pdf = gsl_ran_gamma_pdf(1.2, 3.0, 0.5);
	cases[4].pdf = gsl_ran_beta_pdf(0.35, 1.0, 3.0);
	cases[5].pdf = gsl_ran_beta_pdf(0.35 / 0.8, 2.0, 5.0) / 0.8;
	cases[6].pdf = 1.0 / 8.0;
	for (int i = 0; i < ncase; i++)
	{
		MMPrior    *p = &cases[i].p;
		double		u = mm_prior_unconstrain(p, cases[i].v),
					g,
					gp,
					gm,
					h = 1e-6,
					lp = mm_prior_logp_u(p, u, &g),
					fd = (mm_prior_logp_u(p, u + h, &gp) - mm_prior_logp_u(p, u - h, &gm)) / (2 * h),
					dv;

		UNIT_OK(mm_prior_check(p) == MM_OK, "prior %s is valid", mm_prior_names[p->kind]);
		UNIT_NEAR(mm_prior_logpdf(p, cases[i].v), log(cases[i].pdf), 1e-12,
				  "%s log density equals GSL's", mm_prior_names[p->kind]);
		UNIT_NEAR(mm_prior_value(p, u, &dv), cases[i].v, 1e-12, "%s transform round trip", mm_prior_names[p->kind]);
		UNIT_NEAR(lp, mm_prior_logpdf(p, cases[i].v) + log(dv), 1e-10,
				  "%s: log density on u = log density + log Jacobian", mm_prior_names[p->kind]);
		UNIT_NEAR(g, fd, 1e-6 * fmax(1.0, fabs(fd)), "%s: d/du of the log density", mm_prior_names[p->kind]);
	}
	{
		MMPrior		bad[] = {
			{MM_PRIOR_NORMAL, 0.0, -1.0, -INFINITY, INFINITY},
			{MM_PRIOR_LOGNORMAL, 0.0, 1.0, -INFINITY, INFINITY},
			{MM_PRIOR_GAMMA, NAN, 1.0, 0.0, INFINITY},
			{MM_PRIOR_BETA, 1.0, 1.0, 0.0, INFINITY},
			{MM_PRIOR_UNIFORM, 0.0, 0.0, 1.0, 1.0},
			{MM_PRIOR_FIXED, 2.0, 0.0, 0.0, 1.0},
		};

		for (int i = 0; i < (int) (sizeof(bad) / sizeof(bad[0])); i++)
			UNIT_OK(mm_prior_check(&bad[i]) == MM_EDOM, "bad prior %d is refused", i);
	}
}

/* weights, saturation and recursive adstock derivatives against central differences */
static void
test_transform_grad(void)
{
	struct
	{
		MMAdstockKind k;
		double		p1,
					p2;
		bool		norm;
	}			ad[] = {
		{MM_ADSTOCK_GEOMETRIC, 0.6, 0.0, false},
		{MM_ADSTOCK_GEOMETRIC, 0.4, 0.0, true},
		{MM_ADSTOCK_DELAYED, 0.5, 1.7, true},
		{MM_ADSTOCK_BINOMIAL, 0.4, 0.0, true},
		{MM_ADSTOCK_WEIBULL_CDF, 1.3, 3.1, false},
		{MM_ADSTOCK_WEIBULL_PDF, 2.2, 2.5, true},
		{MM_ADSTOCK_WEIBULL_PDF, 0.8, 1.9, false},
	};
	const int	L = 9;

	for (int i = 0; i < (int) (sizeof(ad) / sizeof(ad[0])); i++)
	{
		double		w[9],
					d1[9],
					d2[9],
					ref[9],
					wp[9],
					wm[9],
					e1 = 0.0,
					e2 = 0.0,
					e0 = 0.0,
					h = 1e-6,
					t1[9],
					t2[9];

		UNIT_OK(mm_adstock_weights_grad(ad[i].k, ad[i].p1, ad[i].p2, L, ad[i].norm, w, d1, d2) == MM_OK,
				"%s weights with derivatives", mm_adstock_names[ad[i].k]);
		mm_adstock_weights(ad[i].k, ad[i].p1, ad[i].p2, L, ad[i].norm, ref);
		for (int l = 0; l < L; l++)
			e0 = fmax(e0, fabs(w[l] - ref[l]));
		mm_adstock_weights_grad(ad[i].k, ad[i].p1 + h, ad[i].p2, L, ad[i].norm, wp, t1, t2);
		mm_adstock_weights_grad(ad[i].k, ad[i].p1 - h, ad[i].p2, L, ad[i].norm, wm, t1, t2);
		for (int l = 0; l < L; l++)
			e1 = fmax(e1, fabs((wp[l] - wm[l]) / (2 * h) - d1[l]));
		if (ad[i].k == MM_ADSTOCK_DELAYED || ad[i].k == MM_ADSTOCK_WEIBULL_CDF || ad[i].k == MM_ADSTOCK_WEIBULL_PDF)
		{
			mm_adstock_weights_grad(ad[i].k, ad[i].p1, ad[i].p2 + h, L, ad[i].norm, wp, t1, t2);
			mm_adstock_weights_grad(ad[i].k, ad[i].p1, ad[i].p2 - h, L, ad[i].norm, wm, t1, t2);
			for (int l = 0; l < L; l++)
				e2 = fmax(e2, fabs((wp[l] - wm[l]) / (2 * h) - d2[l]));
		}
		UNIT_NEAR(e0, 0.0, 1e-12, "%s weights equal mm_adstock_weights", mm_adstock_names[ad[i].k]);
		UNIT_NEAR(e1, 0.0, 1e-7, "%s d weights / d p1", mm_adstock_names[ad[i].k]);
		UNIT_NEAR(e2, 0.0, 1e-7, "%s d weights / d p2", mm_adstock_names[ad[i].k]);
	}
	{
		double		x[20],
					a[20],
					da[20],
					ap[20],
					am[20],
					e = 0.0,
					ref[20];

		for (int t = 0; t < 20; t++)
			x[t] = (t % 3 == 0) ? 5.0 + t : 0.5;
		for (int norm = 0; norm <= 1; norm++)
		{
			mm_adstock_geometric_recursive_grad(x, 20, 0.55, norm, a, da);
			mm_adstock_geometric_recursive_grad(x, 20, 0.55 + 1e-6, norm, ap, ref);
			mm_adstock_geometric_recursive_grad(x, 20, 0.55 - 1e-6, norm, am, ref);
			mm_adstock_geometric_recursive(x, 20, 0.55, norm, ref);
			e = 0.0;
			for (int t = 0; t < 20; t++)
				e = fmax(e, fabs((ap[t] - am[t]) / 2e-6 - da[t]) + fabs(a[t] - ref[t]));
			UNIT_NEAR(e, 0.0, 1e-5, "recursive geometric (normalize %d): values and d/dtheta", norm);
		}
	}
	{
		struct
		{
			MMSaturationKind k;
			double		p1,
						p2;
		}			sat[] = {
			{MM_SAT_HILL, 1.7, 0.9}, {MM_SAT_HILL, 0.6, 1.4}, {MM_SAT_LOGISTIC, 2.5, 0.0},
			{MM_SAT_MICHAELIS_MENTEN, 1.3, 0.7}, {MM_SAT_POWER, 0.45, 0.0}, {MM_SAT_TANH, 1.2, 0.8},
		};

		for (int i = 0; i < (int) (sizeof(sat) / sizeof(sat[0])); i++)
		{
			double		err = 0.0;

			for (int j = 1; j <= 8; j++)
			{
				double		a = 0.3 * j,
							g[4],
							gp[4],
							gm[4],
							h = 1e-6,
							s_n,
							sp_n,
							d1_n,
							d2_n;

				mm_saturation_grad(sat[i].k, sat[i].p1, sat[i].p2, a, g);
				mm_saturation_grad(sat[i].k, sat[i].p1 + h, sat[i].p2, a, gp);
				mm_saturation_grad(sat[i].k, sat[i].p1 - h, sat[i].p2, a, gm);
				err = fmax(err, fabs((gp[0] - gm[0]) / (2 * h) - g[2]));
				mm_saturation_grad(sat[i].k, sat[i].p1, sat[i].p2 + h, a, gp);
				mm_saturation_grad(sat[i].k, sat[i].p1, sat[i].p2 - h, a, gm);
				if (sat[i].k != MM_SAT_LOGISTIC && sat[i].k != MM_SAT_POWER)
					err = fmax(err, fabs((gp[0] - gm[0]) / (2 * h) - g[3]));
				mm_saturation_grad(sat[i].k, sat[i].p1, sat[i].p2, a + h, gp);
				mm_saturation_grad(sat[i].k, sat[i].p1, sat[i].p2, a - h, gm);
				err = fmax(err, fabs((gp[0] - gm[0]) / (2 * h) - g[1]));
				err = fmax(err, fabs(g[0] - mm_saturation(sat[i].k, sat[i].p1, sat[i].p2, a)));
				/* the vector form (scale 2) agrees with the scalar one */
				{
					double		av = 2.0 * a;

					mm_saturation_grad_n(sat[i].k, sat[i].p1, sat[i].p2, &av, 1, 2.0, &s_n, &sp_n, &d1_n, &d2_n);
					err = fmax(err, fabs(s_n - g[0]) + fabs(2.0 * sp_n - g[1]) + fabs(d1_n - g[2]) + fabs(d2_n - g[3]));
				}
			}
			UNIT_NEAR(err, 0.0, 1e-7, "%s: value and derivatives in a, p1, p2", mm_saturation_names[sat[i].k]);
		}
	}
}

/* a synthetic model of C channels: data from known specs, with noise */
typedef struct Synth
{
	int			T,
				C,
				F;
	double	   *x,
			   *z,
			   *y,
			   *truth_contrib;	/* C x T */
	double		truth_mu_sum;
} Synth;

static void
synth_make(Synth *s, int T, MMModelForm form, double noise, unsigned long seed)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		beta[3] = {0.25, 0.15, 0.10},
				theta[3] = {0.5, 0.2, 0.0};
	double		lam[3] = {1.5, 2.5, 1.0};

	gsl_rng_set(r, seed);
	s->T = T;
	s->C = 3;
	s->F = 2;
	s->x = calloc((size_t) s->C * T, sizeof(double));
	s->z = calloc((size_t) s->F * T, sizeof(double));
	s->y = calloc(T, sizeof(double));
	s->truth_contrib = calloc((size_t) s->C * T, sizeof(double));
	s->truth_mu_sum = 0.0;
	for (int c = 0; c < s->C; c++)
		for (int t = 0; t < T; t++)
		{
			/* flighted, always-on with drift, bursts */
			double		v = c == 0 ? ((t / 6) % 2 == 0 ? 1.6 + 0.3 * gsl_rng_uniform(r) : 0.0)
				: c == 1 ? 0.6 + 0.8 * gsl_rng_uniform(r)
				: (gsl_rng_uniform(r) < 0.2 ? 3.0 : 0.2);

			s->x[(size_t) c * T + t] = 100.0 * v;
		}
	for (int t = 0; t < T; t++)
	{
		s->z[t] = sin(2.0 * M_PI * t / 52.0);
		s->z[T + t] = 1.0 + 0.05 * gsl_ran_gaussian(r, 1.0);
	}
	for (int t = 0; t < T; t++)
	{
		double		mu = 1.0 + 0.05 * s->z[t] - 0.3 * (s->z[T + t] - 1.0),
					g = 0.0;

		for (int c = 0; c < s->C; c++)
		{
			double		a = 0.0,
						w = 1.0,
						norm = 0.0;

			for (int l = 0; l <= 8 && l <= t; l++, w *= theta[c])
			{
				a += w * s->x[(size_t) c * T + t - l];
				norm += w;
			}
			a /= (theta[c] > 0.0 ? 1.0 / (1.0 - theta[c]) : 1.0);
			g = beta[c] * tanh(lam[c] * a / 100.0 / 2.0);
			s->truth_contrib[(size_t) c * T + t] = g;
			mu += g;
		}
		(void) form;
		s->y[t] = 1000.0 * (mu + noise * gsl_ran_gaussian(r, 1.0));
		s->truth_mu_sum += 1000.0 * mu;
		for (int c = 0; c < s->C; c++)
			s->truth_contrib[(size_t) c * T + t] *= 1000.0;
	}
	gsl_rng_free(r);
}

static void
synth_free(Synth *s)
{
	free(s->x);
	free(s->z);
	free(s->y);
	free(s->truth_contrib);
}

static void
channel_setup(MMPostChannel *ch, int C, const Synth *s, int nt, MMAdstockKind ak, int max_lag,
			  MMSaturationKind sk, int effect)
{
	for (int c = 0; c < C; c++)
	{
		double		sum = 0.0;
		MMPrior		fixed0 = {MM_PRIOR_FIXED, 0.0, 0.0, -INFINITY, INFINITY};

		memset(&ch[c], 0, sizeof(ch[c]));
		for (int j = 0; j < MM_POST_NPAR; j++)
			ch[c].prior[j] = fixed0;
		ch[c].adstock = ak;
		ch[c].max_lag = max_lag;
		ch[c].normalize = true;
		ch[c].saturation = sk;
		if (ak == MM_ADSTOCK_GEOMETRIC)
			ch[c].prior[0] = (MMPrior) {MM_PRIOR_BETA, 1.0, 3.0, 0.0, max_lag < 0 ? 0.99 : 1.0};
		else if (ak == MM_ADSTOCK_DELAYED)
		{
			ch[c].prior[0] = (MMPrior) {MM_PRIOR_BETA, 2.0, 2.0, 0.0, 1.0};
			ch[c].prior[1] = (MMPrior) {MM_PRIOR_UNIFORM, 0.0, 0.0, 0.0, (double) max_lag};
		}
		else
		{
			ch[c].prior[0] = (MMPrior) {MM_PRIOR_GAMMA, 2.0, 1.0, 0.0, INFINITY};
			ch[c].prior[1] = (MMPrior) {MM_PRIOR_GAMMA, 2.0, 1.0, 0.0, INFINITY};
		}
		if (sk == MM_SAT_HILL)
		{
			ch[c].prior[2] = (MMPrior) {MM_PRIOR_GAMMA, 3.0, 2.0, 0.0, INFINITY};
			ch[c].prior[3] = (MMPrior) {MM_PRIOR_GAMMA, 2.0, 2.0, 0.0, INFINITY};
		}
		else if (sk == MM_SAT_LOGISTIC)
			ch[c].prior[2] = (MMPrior) {MM_PRIOR_GAMMA, 3.0, 1.0, 0.0, INFINITY};
		else if (sk == MM_SAT_MICHAELIS_MENTEN)
		{
			ch[c].prior[2] = (MMPrior) {MM_PRIOR_FIXED, 1.0, 0.0, 0.0, INFINITY};
			ch[c].prior[3] = (MMPrior) {MM_PRIOR_GAMMA, 2.0, 2.0, 0.0, INFINITY};
		}
		else if (sk == MM_SAT_POWER)
			ch[c].prior[2] = (MMPrior) {MM_PRIOR_BETA, 2.0, 2.0, 0.0, 1.0};
		for (int t = 0; t < nt; t++)
			sum += s->x[(size_t) c * s->T + t];
		ch[c].input_scale = sum / nt;
		ch[c].roi = effect != 0;
		ch[c].spend = sum;
		ch[c].prior[4] = effect ? (MMPrior) {MM_PRIOR_LOGNORMAL, 0.0, 1.0, 0.0, INFINITY}
			: (MMPrior) {MM_PRIOR_HALFNORMAL, 0.0, 1.0, 0.0, INFINITY};
	}
}

static void
post_data(MMPostData *d, const Synth *s, MMPostChannel *ch, MMModelForm form, int nt)
{
	memset(d, 0, sizeof(*d));
	d->form = form;
	d->T = s->T;
	d->t0 = 0;
	d->n = s->T;
	d->n_train = nt;
	d->C = s->C;
	d->x = s->x;
	d->ch = ch;
	d->F = s->F;
	d->Z = s->z;
	d->y = s->y;
	d->revenue_per_kpi = 1.0;
	d->intercept = (MMPrior) {MM_PRIOR_NORMAL, form == MM_FORM_MULTIPLICATIVE ? log(1000.0) : 1.0, 5.0, -INFINITY, INFINITY};
	d->fixed_sd = 1.0;
	d->sigma = (MMPrior) {MM_PRIOR_HALFNORMAL, 0.0, 1.0, 0.0, INFINITY};
}

/* the log posterior's gradient against central differences, over the model's variants */
static void
test_posterior_gradient(void)
{
	Synth		s;
	const int	nt = 80;

	synth_make(&s, 104, MM_FORM_ADDITIVE, 0.02, 11);
	for (int variant = 0; variant < 10; variant++)
	{
		MMPostChannel ch[3];
		MMPostData	d;
		MMPost		ps;
		MMExperiment ex = {1, 20, 25, 800.0, 6.0 / 7.0, false, 150.0};
		double		share[3] = {0.1, NAN, 0.05},
					ssd[3] = {0.02, NAN, 0.03};
		int			zsign[2] = {0, variant % 3 == 0 ? -1 : 0};
		MMModelForm form = variant % 2 ? MM_FORM_MULTIPLICATIVE : MM_FORM_ADDITIVE;
		MMAdstockKind ak = variant < 4 ? MM_ADSTOCK_GEOMETRIC : variant < 6 ? MM_ADSTOCK_DELAYED
			: variant < 8 ? MM_ADSTOCK_WEIBULL_PDF : MM_ADSTOCK_WEIBULL_CDF;
		int			ml = variant < 2 ? -1 : 8;
		MMSaturationKind sk = (MMSaturationKind) (variant % 4);
		double	   *work,
				   *u,
				   *g,
				   *gx,
					err = 0.0;
		int		   *iwork;

		channel_setup(ch, 3, &s, nt, ak, ml, sk, variant % 5 != 4);
		post_data(&d, &s, ch, form, nt);
		d.zsign = zsign;
		d.share_prior = share;
		d.share_sd = ssd;
		d.E = 1;
		d.exps = &ex;
		work = malloc(sizeof(double) * mm_post_work_size(&d));
		iwork = malloc(sizeof(int) * mm_post_iwork_size(&d));
		UNIT_OK(mm_post_init(&ps, &d, work, iwork) == MM_OK, "posterior %d set up (%d parameters)", variant, ps.dim);
		u = malloc(sizeof(double) * ps.dim);
		g = malloc(sizeof(double) * ps.dim);
		gx = malloc(sizeof(double) * ps.dim);
		mm_post_start(&ps, u);
		for (int i = 0; i < ps.dim; i++)
			u[i] += 0.3 * sin(3.0 * i + variant);
		(void) mm_post_logp(&ps, u, g);
		for (int i = 0; i < ps.dim; i++)
		{
			double		h = 1e-6,
						u0 = u[i],
						fp,
						fm;

			u[i] = u0 + h;
			fp = mm_post_logp(&ps, u, gx);
			u[i] = u0 - h;
			fm = mm_post_logp(&ps, u, gx);
			u[i] = u0;
			err = fmax(err, fabs((fp - fm) / (2 * h) - g[i]) / fmax(1.0, fabs(g[i])));
		}
		UNIT_NEAR(err, 0.0, 2e-5, "gradient %d (%s, %s, %s) equals central differences",
				  variant, form == MM_FORM_MULTIPLICATIVE ? "multiplicative" : "additive",
				  mm_adstock_names[ak], mm_saturation_names[sk]);
		free(u);
		free(g);
		free(gx);
		free(work);
		free(iwork);
	}
	synth_free(&s);
}

/* a Gaussian log density for NUTS: mean m, scales sd, correlation rho between the first two */
typedef struct Gauss
{
	int			d;
	double		rho;
	const double *m,
			   *sd;
} Gauss;

static double
gauss_logp(void *arg, const double *q, double *grad)
{
	Gauss	   *G = (Gauss *) arg;
	double		lp = 0.0;

	for (int i = 2; i < G->d; i++)
	{
		double		z = (q[i] - G->m[i]) / G->sd[i];

		lp -= 0.5 * z * z;
		grad[i] = -z / G->sd[i];
	}
	{
		double		z0 = (q[0] - G->m[0]) / G->sd[0],
					z1 = (q[1] - G->m[1]) / G->sd[1],
					k = 1.0 / (1.0 - G->rho * G->rho);

		lp -= 0.5 * k * (z0 * z0 - 2.0 * G->rho * z0 * z1 + z1 * z1);
		grad[0] = -k * (z0 - G->rho * z1) / G->sd[0];
		grad[1] = -k * (z1 - G->rho * z0) / G->sd[1];
	}
	return lp;
}

static void
test_nuts(void)
{
	double		m[6] = {1.0, -2.0, 0.5, 10.0, 0.0, 3.0},
				sd[6] = {1.0, 3.0, 0.01, 50.0, 1.0, 0.2},
				q0[6] = {0, 0, 0, 0, 0, 0};
	Gauss		G = {6, 0.9, m, sd};
	MMNutsOptions o = {1000, 1000, 10, 0.8, false, NULL, NULL, NULL};
	const int	chains = 4,
				N = 1000;
	double	   *draws = malloc(sizeof(double) * chains * N * 6),
			   *draws2 = malloc(sizeof(double) * N * 6),
			   *work = malloc(sizeof(double) * mm_nuts_work_size(6, &o)),
			   *col = malloc(sizeof(double) * chains * N),
			   *dw = malloc(sizeof(double) * mm_mcmc_diag_work(chains, N));
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	MMNutsStats st;
	double		worst_z = 0.0,
				worst_rhat = 0.0,
				min_ess = 1e9;
	int			div = 0;

	for (int dense = 0; dense <= 1; dense++)
	{
		o.dense = dense;
		worst_z = worst_rhat = 0.0;
		min_ess = 1e9;
		div = 0;
		for (int c = 0; c < chains; c++)
		{
			gsl_rng_set(r, 100 + c);
			UNIT_OK(mm_nuts_chain(gauss_logp, &G, 6, q0, r, &o, draws + (size_t) c * N * 6, NULL, &st, work) == MM_OK,
					"NUTS chain %d (%s metric)", c + 1, dense ? "dense" : "diagonal");
			div += st.divergences;
		}
		for (int j = 0; j < 6; j++)
		{
			MMMcmcDiag dg;
			double		mean,
						var;

			for (int i = 0; i < chains * N; i++)
				col[i] = draws[(size_t) i * 6 + j];
			mean = gsl_stats_mean(col, 1, chains * N);
			var = gsl_stats_variance(col, 1, chains * N);
			mm_mcmc_diagnostics(col, chains, N, &dg, dw);
			/* the mean's Monte Carlo error is sd / sqrt(ESS) */
			worst_z = fmax(worst_z, fabs(mean - m[j]) / (sd[j] / sqrt(dg.ess_bulk)));
			worst_z = fmax(worst_z, fabs(var / (sd[j] * sd[j]) - 1.0) / (sqrt(2.0 / dg.ess_bulk)) / 1.5);
			worst_rhat = fmax(worst_rhat, dg.rhat);
			min_ess = fmin(min_ess, dg.ess_bulk);
		}
		UNIT_OK(worst_z < 4.5, "NUTS (%s): means and variances of a 6-d Gaussian (scales 0.01 to 50, correlation 0.9) within 4.5 Monte Carlo errors (worst %.2f)",
				dense ? "dense" : "diagonal", worst_z);
		UNIT_OK(worst_rhat < 1.01 && min_ess > 800 && div == 0,
				"NUTS (%s): R-hat %.4f, min bulk ESS %.0f of 4000, %d divergences", dense ? "dense" : "diagonal",
				worst_rhat, min_ess, div);
	}
	/* the same seed gives the same chain, bit for bit */
	o.dense = false;
	gsl_rng_set(r, 100);
	mm_nuts_chain(gauss_logp, &G, 6, q0, r, &o, draws2, NULL, &st, work);
	gsl_rng_set(r, 100);
	mm_nuts_chain(gauss_logp, &G, 6, q0, r, &o, draws, NULL, &st, work);
	UNIT_OK(memcmp(draws, draws2, sizeof(double) * N * 6) == 0, "NUTS reruns are bit-identical");
	{
		MMNutsOptions bad = o;

		bad.target_accept = 1.0;
		UNIT_OK(mm_nuts_chain(gauss_logp, &G, 6, q0, r, &bad, draws, NULL, &st, work) == MM_EDOM,
				"NUTS refuses target_accept 1");
	}
	gsl_rng_free(r);
	free(draws);
	free(draws2);
	free(work);
	free(col);
	free(dw);
}

static void
test_diagnostics(void)
{
	const int	M = 4,
				N = 1000;
	double	   *x = malloc(sizeof(double) * M * N),
			   *dw = malloc(sizeof(double) * mm_mcmc_diag_work(M, N));
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	MMMcmcDiag	dg;

	gsl_rng_set(r, 7);
	for (int i = 0; i < M * N; i++)
		x[i] = gsl_ran_gaussian(r, 1.0);
	mm_mcmc_diagnostics(x, M, N, &dg, dw);
	UNIT_OK(dg.rhat < 1.01, "iid chains: R-hat %.4f < 1.01", dg.rhat);
	UNIT_OK(fabs(dg.ess_bulk / (M * N) - 1.0) < 0.15 && fabs(dg.ess_tail / (M * N) - 1.0) < 0.25,
			"iid chains: bulk ESS %.0f and tail ESS %.0f near 4000", dg.ess_bulk, dg.ess_tail);

	/* AR(1) with rho: ESS = N M (1 - rho) / (1 + rho) */
	for (int m = 0; m < M; m++)
	{
		double		v = 0.0;

		for (int t = 0; t < N; t++)
		{
			v = 0.8 * v + sqrt(1.0 - 0.64) * gsl_ran_gaussian(r, 1.0);
			x[m * N + t] = v;
		}
	}
	mm_mcmc_diagnostics(x, M, N, &dg, dw);
	UNIT_OK(fabs(dg.ess_bulk / (M * N * 0.2 / 1.8) - 1.0) < 0.3,
			"AR(1) rho 0.8: bulk ESS %.0f near the theoretical %.0f", dg.ess_bulk, M * N * 0.2 / 1.8);

	/* one chain shifted by 1 sd: R-hat well above 1.01 */
	for (int i = 0; i < M * N; i++)
		x[i] = gsl_ran_gaussian(r, 1.0) + (i < N ? 1.0 : 0.0);
	mm_mcmc_diagnostics(x, M, N, &dg, dw);
	UNIT_OK(dg.rhat > 1.05, "a shifted chain: R-hat %.3f > 1.05", dg.rhat);
	/* same location, one chain with twice the spread: only the folded R-hat sees it */
	for (int i = 0; i < M * N; i++)
		x[i] = gsl_ran_gaussian(r, i < N ? 3.0 : 1.0);
	mm_mcmc_diagnostics(x, M, N, &dg, dw);
	UNIT_OK(dg.rhat > 1.05, "a chain with 3x the spread: R-hat %.3f > 1.05 (folded)", dg.rhat);

	/*
	 * The R package posterior 1.4.0 (Debian r-cran-posterior; the reference
	 * implementation by the paper's authors) gives rhat(), ess_bulk(),
	 * ess_tail() of the 4 x 100 values below (x_ti = sin(1.3 t + 0.7 i) +
	 * 0.01 t, chain i) as these; rstan 2.21's Rhat() differs in the 4th
	 * decimal (it ranks with (r - 1/2) / S, the paper with (r - 3/8) / (S + 1/4)).
	 */
	{
		double		y[400];

		for (int i = 0; i < 4; i++)
			for (int t = 0; t < 100; t++)
				y[i * 100 + t] = sin(1.3 * t + 0.7 * i) + 0.01 * t;
		mm_mcmc_diagnostics(y, 4, 100, &dg, dw);
		UNIT_NEAR(dg.rhat, 1.0680355229823797, 1e-12, "R-hat equals posterior::rhat()");
		UNIT_NEAR(dg.ess_bulk, 230.50350571124815, 1e-9, "bulk ESS equals posterior::ess_bulk()");
		UNIT_NEAR(dg.ess_tail, 410.59920087889327, 1e-9, "tail ESS equals posterior::ess_tail()");
	}
	gsl_rng_free(r);
	free(x);
	free(dw);
}

static void
test_nuts_interrupt_dummy(void)
{
}

static int
poll_never(void *arg, long iterations)
{
	(void) arg;
	(void) iterations;
	return 0;
}

/* stops once the chains have done *arg iterations in all */
static int
poll_stop_after(void *arg, long iterations)
{
	return iterations >= *(long *) arg;
}

/*
 * The same chains in 1, 2 and 3 threads: the draws of mm_post_sample bit for
 * bit; a poll that asks to stop ends them with MM_ECANCELED.
 */
static void
test_chains_in_threads(const MMPostData *d, const MMPostSampleOptions *o0,
					   const double *draws_serial, const double *lp_serial)
{
	MMPostWorker w[3];
	MMPostSampleOptions o = *o0;
	int			dim;
	long		n,
				after = 200;
	double	   *draws,
			   *lp,
			   *start;
	MMNutsStats st[4];

	for (int i = 0; i < 3; i++)
	{
		mm_post_init(&w[i].ps, d, malloc(sizeof(double) * mm_post_work_size(d)),
					 malloc(sizeof(int) * mm_post_iwork_size(d)));
		w[i].rng = gsl_rng_alloc(gsl_rng_mt19937);
		w[i].min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, w[i].ps.dim);
		w[i].work = malloc(sizeof(double) * mm_post_sample_work(&w[i].ps, &o));
	}
	dim = w[0].ps.dim;
	n = (long) o.chains * o.nuts.draws;
	draws = malloc(sizeof(double) * n * dim);
	lp = malloc(sizeof(double) * n);
	start = malloc(sizeof(double) * o.chains * dim);
	for (int threads = 1; threads <= 3; threads++)
	{
		memset(draws, 0, sizeof(double) * n * dim);
		UNIT_OK(mm_post_sample_threads(w, threads, &o, start, draws, lp, st, poll_never, NULL) == MM_OK &&
				memcmp(draws, draws_serial, sizeof(double) * n * dim) == 0 &&
				memcmp(lp, lp_serial, sizeof(double) * n) == 0,
				"chains in %d thread%s: the serial draws bit for bit", threads, threads > 1 ? "s" : "");
	}
	UNIT_OK(mm_post_sample_threads(w, 2, &o, start, draws, lp, st, poll_stop_after, &after) == MM_ECANCELED,
			"chains in threads stop when the poll asks (MM_ECANCELED)");
	o.nuts.interrupt = test_nuts_interrupt_dummy;
	UNIT_OK(mm_post_sample_threads(w, 2, &o, start, draws, lp, st, poll_never, NULL) == MM_EDOM,
			"chains in threads refuse an interrupt callback (it would run in the threads)");
	for (int i = 0; i < 3; i++)
	{
		free(w[i].ps.work);
		free(w[i].ps.map);
		gsl_rng_free(w[i].rng);
		gsl_multimin_fdfminimizer_free(w[i].min);
		free(w[i].work);
	}
	free(draws);
	free(lp);
	free(start);
}

/* posterior of a known model: shares inside their intervals, medians near the truth, converged */
static void
test_posterior_recovery(void)
{
	Synth		s;
	const int	nt = 156;
	MMPostChannel ch[3];
	MMPostData	d;
	MMPost		ps;
	MMPostSampleOptions o;
	double	   *work,
			   *draws,
			   *lp,
			   *start,
			   *sw,
			   *q,
			   *dw;
	int		   *iwork;
	MMNutsStats st[4];
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_multimin_fdfminimizer *min;
	MMPostDerived dv;
	bool		paid[3] = {true, true, true};
	int			covered = 0,
				near = 0;
	double		worst_rhat = 0.0;

	synth_make(&s, nt, MM_FORM_ADDITIVE, 0.01, 5);
	channel_setup(ch, 3, &s, nt, MM_ADSTOCK_GEOMETRIC, -1, MM_SAT_LOGISTIC, 1);
	post_data(&d, &s, ch, MM_FORM_ADDITIVE, nt);
	work = malloc(sizeof(double) * mm_post_work_size(&d));
	iwork = malloc(sizeof(int) * mm_post_iwork_size(&d));
	mm_post_init(&ps, &d, work, iwork);
	memset(&o, 0, sizeof(o));
	o.chains = 4;
	o.nuts = (MMNutsOptions) {500, 500, 10, 0.8, false, NULL, NULL, NULL};
	o.seed = 3;
	o.mode_iterations = 200;
	draws = malloc(sizeof(double) * 2000 * ps.dim);
	lp = malloc(sizeof(double) * 2000);
	start = malloc(sizeof(double) * 4 * ps.dim);
	sw = malloc(sizeof(double) * mm_post_sample_work(&ps, &o));
	min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, ps.dim);
	UNIT_OK(mm_post_sample(&ps, &o, r, min, start, draws, lp, st, sw) == MM_OK, "posterior sampled (4 x 500)");
	test_chains_in_threads(&d, &o, draws, lp);
	dv.D = 2000;
	dv.thin = 5;
	dv.Dt = 400;
	dv.contrib = malloc(sizeof(double) * 2000 * 3);
	dv.share = malloc(sizeof(double) * 2000 * 3);
	dv.effect_share = malloc(sizeof(double) * 2000 * 3);
	dv.marginal = malloc(sizeof(double) * 2000 * 3);
	dv.yhat = malloc(sizeof(double) * 400 * nt);
	dv.period = malloc(sizeof(double) * 400 * (1 + 3 + 2) * nt);
	dv.params = malloc(sizeof(double) * 2000 * mm_post_draw_width(&d));
	UNIT_OK(mm_post_derive(&ps, draws, paid, r, NULL, &dv, malloc(sizeof(double) * mm_post_derive_work(&ps))) == MM_OK,
			"per-draw contributions");
	q = malloc(sizeof(double) * 2000);
	dw = malloc(sizeof(double) * mm_mcmc_diag_work(4, 500));
	for (int c = 0; c < 3; c++)
	{
		double		truth = 0.0,
					qq[3];
		MMMcmcDiag	dg;

		for (int t = 0; t < nt; t++)
			truth += s.truth_contrib[(size_t) c * nt + t];
		truth /= s.truth_mu_sum;
		mm_post_quantiles(dv.share + c, 2000, 3, 0.9, qq, q);
		covered += truth >= qq[0] && truth <= qq[2];
		near += fabs(qq[1] - truth) < 0.01;
		for (int i = 0; i < 2000; i++)
			q[i] = dv.share[(size_t) i * 3 + c];
		mm_mcmc_diagnostics(q, 4, 500, &dg, dw);
		worst_rhat = fmax(worst_rhat, dg.rhat);
	}
	UNIT_OK(covered >= 2 && near >= 2, "known model: %d of 3 shares inside their 90%% intervals, %d of 3 medians within 1 point",
			covered, near);
	UNIT_OK(worst_rhat < 1.02, "known model: share R-hat %.4f", worst_rhat);
	gsl_multimin_fdfminimizer_free(min);
	gsl_rng_free(r);
	synth_free(&s);
}

void
test_posterior(void)
{
	test_priors();
	test_transform_grad();
	test_posterior_gradient();
	test_nuts();
	test_diagnostics();
	test_posterior_recovery();
}
