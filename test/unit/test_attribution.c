/*
 * test_attribution.c: the attribution core against the hand-checkable toys of
 * formulas.md §6: Adobe's worked example (rule weights), the Markov toy
 * (exact absorption, dense and sparse solvers agree), the Harsanyi toy, and
 * the survival model recovering its own parameters on simulated persons.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/attribution/markov.h"
#include "math/attribution/rules.h"
#include "math/attribution/shapley.h"
#include "math/attribution/survival.h"
#include "math/attribution/transforms.h"
#include "unit.h"

/* Adobe CJA's example: search Sep 15, social Sep 18, email + display Sep 24, $50 on Sep 24. */
static void
test_rules(void)
{
	double		w[4],
				lag[4] = {9, 6, 0, 0};
	MMAttrRuleParams p = {30, 40, 30, 7};
	MMAttrRule	r;

	UNIT_OK(mm_attr_rule_parse("u_shaped", &r) && r == MM_ATTR_U_SHAPED, "rule names parse");
	UNIT_OK(!mm_attr_rule_parse("u-shaped", &r), "unknown rule name rejected");

	mm_attr_rule_weights(MM_ATTR_U_SHAPED, 4, NULL, NULL, NULL, NULL, w);
	UNIT_NEAR(50 * w[0], 20, 1e-12, "U-shaped person: search $20");
	UNIT_NEAR(50 * w[1], 5, 1e-12, "U-shaped person: social $5");
	mm_attr_rule_weights(MM_ATTR_J_CURVE, 4, NULL, NULL, NULL, NULL, w);
	UNIT_NEAR(50 * w[3], 30, 1e-12, "J curve person: display $30");
	mm_attr_rule_weights(MM_ATTR_J_CURVE, 2, NULL, NULL, NULL, NULL, w);
	UNIT_NEAR(50 * w[0], 12.5, 1e-12, "J curve session: email $12.50");
	mm_attr_rule_weights(MM_ATTR_INVERSE_J, 2, NULL, NULL, NULL, NULL, w);
	UNIT_NEAR(50 * w[0], 37.5, 1e-12, "inverse J session: email $37.50");
	mm_attr_rule_weights(MM_ATTR_CUSTOM, 4, &p, NULL, NULL, NULL, w);
	UNIT_NEAR(50 * w[0], 15, 1e-12, "custom 30/40/30: search $15");
	UNIT_NEAR(50 * w[2], 10, 1e-12, "custom 30/40/30: email $10");
	mm_attr_rule_weights(MM_ATTR_TIME_DECAY, 4, &p, lag, NULL, NULL, w);
	UNIT_NEAR(50 * w[0], 6.9233, 5e-5, "time decay 7 d: search $6.9233");
	UNIT_NEAR(50 * w[1], 9.3181, 5e-5, "time decay 7 d: social $9.3181");
	UNIT_NEAR(50 * w[2], 16.8793, 5e-5, "time decay 7 d: email $16.8793");
	UNIT_NEAR(w[0] + w[1] + w[2] + w[3], 1, 1e-15, "time decay weights sum to 1");
	{
		int			tok[4] = {1, 2, 1, 1};

		mm_attr_rule_weights(MM_ATTR_PARTICIPATION, 4, NULL, NULL, tok, NULL, w);
		UNIT_NEAR(w[0] + w[2] + w[3], 1, 1e-15, "participation: a repeated channel sums to 1");
		UNIT_NEAR(w[1], 1, 0, "participation: a single touch gets 1");
	}
	{
		bool		same[4] = {false, false, true, true};

		mm_attr_rule_weights(MM_ATTR_SAME_TOUCH, 4, NULL, NULL, NULL, same, w);
		UNIT_NEAR(w[2], 0.5, 0, "same touch: two touches of the event share it");
		mm_attr_rule_weights(MM_ATTR_SAME_TOUCH, 4, NULL, NULL, NULL, NULL, w);
		UNIT_NEAR(w[0] + w[1] + w[2] + w[3], 0, 0, "same touch: none without the event's touch");
	}
	p.first = p.middle = p.last = 0;
	UNIT_OK(mm_attr_rule_weights(MM_ATTR_CUSTOM, 3, &p, NULL, NULL, NULL, w) == MM_EDOM,
			"custom 0/0/0 is out of domain");
	p.first = 0;
	p.middle = 1;
	mm_attr_position_weights(0, 1, 0, 2, w);
	UNIT_NEAR(w[0], 0.5, 0, "n = 2 with f + l = 0 splits evenly (mixmodel choice)");
	lag[0] = -1;
	p.half_life = 7;
	UNIT_OK(mm_attr_rule_weights(MM_ATTR_TIME_DECAY, 4, &p, lag, NULL, NULL, w) == MM_EDOM,
			"negative lag is out of domain");
	lag[0] = lag[1] = 1e6;
	UNIT_OK(mm_attr_rule_weights(MM_ATTR_TIME_DECAY, 4, &p, lag, NULL, NULL, w) == MM_OK && w[2] == 0.5,
			"a very old touch decays to 0 without 0/0");
}

/*
 * Markov toy of formulas §6.3: c1 > c2 > c3 converts (value 10), c1 ends null,
 * c2 > c3 ends null.  States: 0 start, 1 c1, 2 c2, 3 c3.
 */
static void
test_markov(void)
{
	int			rowptr[5] = {0, 2, 3, 4, 4};
	int			col[4] = {1, 2, 2, 3};
	double		prob[4] = {2.0 / 3, 1.0 / 3, 0.5, 1.0};
	double		conv[4] = {0, 0, 0, 0.5};
	double		value[4] = {0, 0, 0, 0.5 * 10};
	MMMarkovChain c = {4, rowptr, col, prob, conv, value};
	double		work[64],
				full[2],
				out[2],
				re[3],
				sum = 0;
	int			iwork[16];

	for (int dense = 0; dense < 2; dense++)
	{
		int			limit = dense ? 100 : 0;

		UNIT_OK(mm_markov_absorb(&c, NULL, limit, 1e-15, 1000, full, work, iwork, NULL) == MM_OK,
				"%s toy chain solves", dense ? "dense" : "sparse");
		UNIT_NEAR(full[0], 1.0 / 3, 1e-15, "%s: h_start = 1/3 = conversion rate", dense ? "dense" : "sparse");
		UNIT_NEAR(full[1], 10.0 / 3, 1e-14, "%s: value h_start = 10/3", dense ? "dense" : "sparse");
		sum = 0;
		for (int k = 1; k <= 3; k++)
		{
			bool		rm[4] = {false, false, false, false};

			rm[k] = true;
			mm_markov_absorb(&c, rm, limit, 1e-15, 1000, out, work, iwork, NULL);
			re[k - 1] = mm_markov_removal_effect(full[0], out[0]);
			sum += re[k - 1];
		}
		UNIT_NEAR(re[0], 0.5, 1e-15, "%s: RE(c1) = 0.5", dense ? "dense" : "sparse");
		UNIT_NEAR(re[1], 1.0, 1e-15, "%s: RE(c2) = 1", dense ? "dense" : "sparse");
		UNIT_NEAR(re[0] / sum, 0.2, 1e-15, "%s: c1 gets 0.2 conversions", dense ? "dense" : "sparse");
		UNIT_NEAR(3 * 10 * 0.4 / 3, 4, 1e-15, "%s: c2 gets value 4", dense ? "dense" : "sparse");
	}
	{
		bool		rm[4] = {true, false, false, false};

		UNIT_OK(mm_markov_absorb(&c, rm, 100, 1e-15, 1000, out, work, iwork, NULL) == MM_EDOM,
				"removing (start) is out of domain");
	}
	{
		/* a loop that never absorbs: start -> a -> b -> a */
		int			rp[4] = {0, 1, 2, 3};
		int			cl[3] = {1, 2, 1};
		double		pr[3] = {1, 1, 1};
		double		cv[3] = {0, 0, 0};
		MMMarkovChain loop = {3, rp, cl, pr, cv, NULL};

		UNIT_OK(mm_markov_absorb(&loop, NULL, 100, 1e-15, 1000, out, work, iwork, NULL) == MM_ESING,
				"a closed loop is singular (dense)");
		UNIT_OK(mm_markov_absorb(&loop, NULL, 0, 1e-15, 1000, out, work, iwork, NULL) == MM_OK && out[0] == 0,
				"a closed loop converges to 0 by sweeps (its states never absorb)");
	}
}

static void
test_shapley(void)
{
	/* formulas §6.4 toy: v(a) = 0.1, v(b) = 0.05, v(ab) = 0.2 */
	double		v[4] = {0, 0.1, 0.05, 0.2},
				phi[2];

	UNIT_OK(mm_shapley_dividends(2, v) == MM_OK, "dividends of the toy");
	UNIT_NEAR(v[3], 0.05, 1e-15, "d(ab) = 0.05");
	mm_shapley_from_dividends(2, v, phi);
	UNIT_NEAR(phi[0], 0.125, 1e-15, "phi(a) = 0.125");
	UNIT_NEAR(phi[1] / (phi[0] + phi[1]), 0.375, 1e-15, "b's share 37.5%%");
	{
		/* efficiency on a random 10-player game */
		double		w[1024],
					ph[10],
					s = 0,
					vall;
		gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);

		gsl_rng_set(r, 3);
		w[0] = 0;
		for (int t = 1; t < 1024; t++)
			w[t] = gsl_rng_uniform(r);
		vall = w[1023];
		mm_shapley_dividends(10, w);
		mm_shapley_from_dividends(10, w, ph);
		for (int j = 0; j < 10; j++)
			s += ph[j];
		UNIT_NEAR(s, vall, 1e-12, "Shapley values sum to v(grand coalition)");
		gsl_rng_free(r);
	}
	UNIT_OK(mm_shapley_dividends(17, v) == MM_EDOM, "17 players is above the limit");
}

/*
 * Simulated persons from the model itself (two channels, three buckets):
 * the fit must recover the parameters within sampling error, keep the
 * monotone order, and match the optimum of a finer, brute-force day loop.
 */
typedef struct SimData
{
	int			persons;
	int			days;
	int		   *nt,
			   *nc;
	int		  **tday,
			  **ttok,
			  **cday;
	int		   *iwork;
	double	   *xwork;
	const MMSurvSpec *spec;
} SimData;

static MMStatus
sim_scan(void *arg, const double *z, MMSurvAccum *acc)
{
	SimData    *d = arg;
	double		theta[16];
	int			p = mm_surv_nparams(d->spec);
	double		total = (double) d->persons * d->days;
	double		base_y;

	mm_surv_accum_reset(acc, p);
	mm_surv_theta(d->spec, z, theta);
	for (int i = 0; i < d->persons; i++)
	{
		MMStatus	st = mm_surv_person(d->spec, z[0], theta, d->nt[i], d->tday[i], d->ttok[i],
										d->nc[i], d->cday[i], 0, d->days - 1, acc, d->iwork, d->xwork);

		if (st != MM_OK)
			return st;
	}
	base_y = acc->base_events;
	return mm_surv_add_baseline(z[0], total - acc->days, base_y, acc);
}

static void
test_survival(void)
{
	int			edge[4] = {0, 2, 7, 15};
	MMSurvSpec	spec = {2, 3, edge, 1.0};
	double		truth[2][3] = {{1.5, 0.8, 0.3}, {0.9, 0.9, 0.0}};
	double		beta0 = -6.0;
	SimData		d;
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		z[7] = {0},
				theta[6],
				work[1024];
	int			iwork[64];
	MMSurvFitInfo info;
	MMStatus	st;

	gsl_rng_set(r, 11);
	d.persons = 20000;
	d.days = 120;
	d.spec = &spec;
	d.nt = calloc(d.persons, sizeof(int));
	d.nc = calloc(d.persons, sizeof(int));
	d.tday = calloc(d.persons, sizeof(int *));
	d.ttok = calloc(d.persons, sizeof(int *));
	d.cday = calloc(d.persons, sizeof(int *));
	d.iwork = malloc(sizeof(int) * 1024);
	d.xwork = calloc(16, sizeof(double));
	for (int i = 0; i < d.persons; i++)
	{
		int			n = (int) gsl_ran_poisson(r, 3.0);

		d.tday[i] = malloc(sizeof(int) * (n + 1));
		d.ttok[i] = malloc(sizeof(int) * (n + 1));
		d.cday[i] = malloc(sizeof(int) * d.days);
		for (int k = 0; k < n; k++)
			d.tday[i][k] = (int) gsl_rng_uniform_int(r, d.days);
		/* sort the touch days */
		for (int a = 1; a < n; a++)
			for (int b = a; b > 0 && d.tday[i][b] < d.tday[i][b - 1]; b--)
			{
				int			t = d.tday[i][b];

				d.tday[i][b] = d.tday[i][b - 1];
				d.tday[i][b - 1] = t;
			}
		for (int k = 0; k < n; k++)
			d.ttok[i][k] = (int) gsl_rng_uniform_int(r, 2);
		d.nt[i] = n;
		/* draw each day from the model */
		for (int day = 0; day < d.days; day++)
		{
			double		eta = beta0;

			for (int k = 0; k < n; k++)
			{
				int			lag = day - d.tday[i][k],
							b = -1;

				for (int j = 0; j < 3; j++)
					if (lag >= edge[j] && lag < edge[j + 1])
						b = j;
				if (b >= 0)
					eta += truth[d.ttok[i][k]][b];
			}
			if (gsl_rng_uniform(r) < 1.0 / (1.0 + exp(-eta)))
				d.cday[i][d.nc[i]++] = day;
		}
	}
	z[0] = -5;
	st = mm_surv_fit(&spec, sim_scan, &d, z, 100, 1e-12, &info, work, iwork, NULL);
	UNIT_OK(st == MM_OK, "survival fit converges (%d iterations, %d scans)", info.iterations, info.scans);
	mm_surv_theta(&spec, z, theta);
	UNIT_NEAR(z[0], beta0, 0.05, "baseline logit recovered");
	UNIT_NEAR(theta[0], truth[0][0], 0.15, "theta[a, lag 0-1] recovered");
	UNIT_NEAR(theta[1], truth[0][1], 0.15, "theta[a, lag 2-6] recovered");
	UNIT_NEAR(theta[3], truth[1][0], 0.15, "theta[b, lag 0-1] recovered");
	UNIT_OK(theta[0] >= theta[1] && theta[1] >= theta[2] && theta[2] >= 0 &&
			theta[3] >= theta[4] && theta[4] >= theta[5] && theta[5] >= 0,
			"thetas non-increasing in lag and non-negative");
	UNIT_OK(info.kkt < 1e-8 * d.persons * d.days, "KKT conditions hold at the end (%g over %d person-days)",
			info.kkt, d.persons * d.days);
	{
		/* the optimum: no feasible coordinate move lowers the loss */
		double		g[7],
					h[49],
					loss0,
					loss1;
		MMSurvAccum acc = {0, g, NULL, 0, 0, 0};
		double		best = INFINITY;

		sim_scan(&d, z, &acc);
		loss0 = acc.loss;
		for (int i = 0; i < 7; i++)
		{
			double		zz[7];

			for (int sgn = -1; sgn <= 1; sgn += 2)
			{
				memcpy(zz, z, sizeof zz);
				zz[i] += sgn * 1e-3;
				if (i > 0 && zz[i] < 0)
					continue;
				acc.hess = NULL;
				sim_scan(&d, zz, &acc);
				loss1 = acc.loss;
				for (int k = 1; k < 7; k++)
					loss1 += 0.5 * (zz[k] * zz[k] - z[k] * z[k]) * spec.ridge;
				best = fmin(best, loss1 - loss0);
			}
		}
		(void) h;
		UNIT_OK(best >= -1e-7, "no coordinate step of 1e-3 improves the fit (%g)", best);
	}
	for (int i = 0; i < d.persons; i++)
	{
		free(d.tday[i]);
		free(d.ttok[i]);
		free(d.cday[i]);
	}
	free(d.nt);
	free(d.nc);
	free(d.tday);
	free(d.ttok);
	free(d.cday);
	free(d.iwork);
	free(d.xwork);
	gsl_rng_free(r);
}

/* formulas §6.5: D A B B C D C C (D=0, A=1, B=2, C=3) */
static void
test_transforms(void)
{
	const int	path[8] = {0, 1, 2, 2, 3, 0, 3, 3};
	int			t[8],
				cnt[8],
				n;
	bool		keep[8];

	memcpy(t, path, sizeof t);
	n = mm_path_transform(MM_PT_EXPOSURE, -1, 0, t, 8, NULL, keep);
	UNIT_OK(n == 6 && t[2] == 2 && t[3] == 3 && t[4] == 0 && t[5] == 3 && !keep[3],
			"exposure: D A B C D C");
	memcpy(t, path, sizeof t);
	n = mm_path_transform(MM_PT_FREQUENCY, -1, 0, t, 8, cnt, NULL);
	UNIT_OK(n == 4 && cnt[0] == 2 && cnt[1] == 1 && cnt[2] == 2 && cnt[3] == 3, "frequency: D(2) A(1) B(2) C(3)");
	{
		int			abaa[4] = {1, 2, 1, 1};

		n = mm_path_transform(MM_PT_REMOVE_IF_LAST_AND_NOT_ALL, 1, 0, abaa, 4, NULL, NULL);
		UNIT_OK(n == 2 && abaa[0] == 1 && abaa[1] == 2, "remove_if_last_and_not_all(A): A B A A -> A B");
	}
	memcpy(t, path, sizeof t);
	n = mm_path_transform(MM_PT_TRIM_LONG_PATH, -1, 3, t, 8, NULL, NULL);
	UNIT_OK(n == 3 && t[0] == 0 && t[2] == 3, "trim_long_path(3): D C C");
	UNIT_OK(mm_path_transform(MM_PT_TRIM_LONG_PATH, -1, 0, t, 8, NULL, NULL) == -1, "trim_long_path(0) is refused");
}

/* The Monte-Carlo estimate of the toy converges to the exact removal effects. */
static void
test_markov_simulate(void)
{
	int			rowptr[5] = {0, 2, 3, 4, 4};
	int			col[4] = {1, 2, 2, 3};
	double		prob[4] = {2.0 / 3, 1.0 / 3, 0.5, 1.0};
	double		conv[4] = {0, 0, 0, 0.5};
	double		value[4] = {0, 0, 0, 5};
	int			chan_ptr[5] = {0, 0, 1, 2, 3};
	int			chan_ids[3] = {0, 1, 2};
	MMMarkovChain c = {4, rowptr, col, prob, conv, value};
	double		full[2],
				rem[6];
	int64_t		stamp[3];
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, 5);
	UNIT_OK(mm_markov_simulate(&c, chan_ptr, chan_ids, 3, 400000, 1000, r, full, rem, stamp, NULL) == MM_OK,
			"simulation runs");
	UNIT_NEAR(full[0], 1.0 / 3, 0.005, "simulated conversion rate near 1/3");
	UNIT_NEAR(mm_markov_removal_effect(full[0], rem[0]), 0.5, 0.01, "simulated RE(c1) near 0.5");
	UNIT_NEAR(mm_markov_removal_effect(full[0], rem[2]), 1.0, 1e-12, "simulated RE(c2) = 1");
	UNIT_NEAR(full[1] / full[0], 10, 1e-9, "a converting walk carries its last state's mean value");
	gsl_rng_free(r);
}

void
test_attribution(void)
{
	test_rules();
	test_transforms();
	test_markov_simulate();
	test_markov();
	test_shapley();
	test_survival();
}
