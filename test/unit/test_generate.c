/*
 * test_generate.c: the raw-data generator's core (src/math/generate.c).
 */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "math/generate.h"
#include "unit.h"

#define NW 104

static void
test_vocabulary_and_calendar(void)
{
	int			m,
				d;

	UNIT_OK(mm_gen_channel_count() == 12, "generate: 12 channels in the vocabulary");
	UNIT_OK(mm_gen_channel_find("tv")->type == MM_GEN_PAID_WEEKLY, "generate: tv is weekly paid");
	UNIT_OK(mm_gen_channel_find("social")->type == MM_GEN_PAID_DAILY, "generate: social is daily paid");
	UNIT_OK(mm_gen_channel_find("sms")->type == MM_GEN_OWNED, "generate: sms is owned");
	UNIT_OK(mm_gen_channel_find("telepathy") == NULL, "generate: unknown channel is NULL");
	UNIT_OK(mm_gen_seed(42, 0) == mm_gen_seed(42, 0) && mm_gen_seed(42, 0) != mm_gen_seed(43, 0) &&
			mm_gen_seed(42, 0) != mm_gen_seed(42, 1), "generate: seed mixing is a function of seed and stream");
	mm_gen_easter(2024, &m, &d);
	UNIT_OK(m == 3 && d == 31, "generate: Easter 2024 is March 31");
	mm_gen_easter(2025, &m, &d);
	UNIT_OK(m == 4 && d == 20, "generate: Easter 2025 is April 20");
	mm_gen_easter(2000, &m, &d);
	UNIT_OK(m == 4 && d == 23, "generate: Easter 2000 is April 23");
	mm_gen_easter(2038, &m, &d);
	UNIT_OK(m == 4 && d == 25, "generate: Easter 2038 is April 25 (latest possible)");
}

static void
test_paths(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		phase[7 * NW],
				a[7 * NW],
				b[7 * NW];
	int			wd[7 * NW];
	MMGenPattern patterns[] = {MM_GEN_FLIGHTED, MM_GEN_SEASONAL, MM_GEN_SPIKY, MM_GEN_ALWAYS_ON, MM_GEN_BURSTS};

	for (int i = 0; i < 7 * NW; i++)
	{
		phase[i] = (i % 365) / 365.25;
		wd[i] = i % 7;
	}
	for (int p = 0; p < 5; p++)
	{
		double		sum = 0.0;
		int			neg = 0,
					zeros = 0;
		bool		same = true;

		gsl_rng_set(r, 7);
		UNIT_OK(mm_gen_path(r, patterns[p], 7 * NW, phase, wd, 1000.0, a) == MM_OK, "generate: path %d runs", p);
		gsl_rng_set(r, 7);
		mm_gen_path(r, patterns[p], 7 * NW, phase, wd, 1000.0, b);
		for (int i = 0; i < 7 * NW; i++)
		{
			sum += a[i];
			neg += a[i] < 0;
			zeros += a[i] == 0;
			same = same && a[i] == b[i];
		}
		UNIT_NEAR(sum / (7 * NW), 1000.0, 1e-9, "generate: path %d has mean level", p);
		UNIT_OK(neg == 0, "generate: path %d is non-negative", p);
		UNIT_OK(same, "generate: path %d is reproducible from the seed", p);
		if (patterns[p] == MM_GEN_FLIGHTED)
			UNIT_OK(zeros > 0 && zeros < 7 * NW, "generate: flighted path has dark periods (%d)", zeros);
	}
	UNIT_OK(mm_gen_path(r, MM_GEN_SPIKY, 0, phase, wd, 1.0, a) == MM_EDOM, "generate: empty path is EDOM");
	gsl_rng_free(r);
}

static void
test_split_week(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		on[7],
				st[7],
				sum = 0.0,
				osum = 0.0;
	int			neg = 0;

	mm_gen_split_week(r, 123456.789, 0.4, on, st);
	for (int d = 0; d < 7; d++)
	{
		sum += on[d] + st[d];
		osum += on[d];
		neg += on[d] < 0 || st[d] < 0;
	}
	UNIT_NEAR(sum, 123456.789, 1e-8, "generate: week split sums to the KPI");
	UNIT_OK(neg == 0, "generate: week split is non-negative");
	UNIT_NEAR(osum / sum, 0.4, 0.05, "generate: online share near 0.4");
	gsl_rng_free(r);
}

static void
truth_case(MMModelForm form)
{
	const char *names[] = {"tv", "search", "social", "display", "email"};
	const int	C = 5;
	const char *fname = form == MM_FORM_ADDITIVE ? "additive" : "multiplicative";
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		x[5 * NW],
				target[5],
				phase[NW],
				hol[NW],
				z[MM_GEN_NFACTORS * NW],
				contrib[(MM_GEN_NFIXED + 5) * NW],
				mu[NW],
				y[NW],
				work[3 * NW];
	bool		paid[5];
	MMChannelSpec spec[5];
	MMGenParams pp;
	MMGenModel	m;
	double		worst = 0.0,
				mean_mu = 0.0,
				mean_ln = 0.0,
				rel_noise = 0.0;

	for (int c = 0; c < C; c++)
	{
		const MMGenChannelDef *def = mm_gen_channel_find(names[c]);
		double		ph[NW];

		for (int t = 0; t < NW; t++)
			ph[t] = (7 * t % 365) / 365.25;
		spec[c] = def->spec;
		target[c] = def->target;
		paid[c] = def->type != MM_GEN_OWNED;
		mm_gen_path(r, def->type == MM_GEN_PAID_WEEKLY ? MM_GEN_FLIGHTED : def->pattern, NW, ph, NULL,
					1000.0, x + c * NW);
	}
	for (int t = 0; t < NW; t++)
	{
		phase[t] = (7 * t % 365) / 365.25;
		hol[t] = (t % 9 == 0);
	}
	mm_gen_factors(r, NW, 30, 1e5, z, z + NW, z + 2 * NW);
	for (int t = 0; t < NW; t++)
		z[2 * NW + t] = 100.0 + (t % 5);
	m.form = form;
	m.T = NW;
	m.C = C;
	m.level = 1e5;
	m.noise = form == MM_FORM_ADDITIVE ? 0.05 : 0.05;
	m.x = x;
	m.target = target;
	m.paid = paid;
	m.year_phase = phase;
	m.holiday = hol;
	m.z = z;
	m.spec = spec;
	m.fixed_scale = false;
	UNIT_OK(mm_gen_truth(r, &m, &pp, contrib, mu, y, work) == MM_OK, "generate: %s truth runs", fname);
	for (int t = 0; t < NW; t++)
	{
		double		s = 0.0;

		for (int j = 0; j < MM_GEN_NFIXED + C; j++)
			s += contrib[j * NW + t];
		if (fabs(s - mu[t]) / mu[t] > worst)
			worst = fabs(s - mu[t]) / mu[t];
		mean_mu += mu[t] / NW;
		mean_ln += log(mu[t]) / NW;
		rel_noise += (y[t] / mu[t] - 1.0) * (y[t] / mu[t] - 1.0) / NW;
	}
	UNIT_OK(worst < 1e-12, "generate: %s terms sum to the noiseless KPI (worst %.3g)", fname, worst);
	if (form == MM_FORM_ADDITIVE)
	{
		UNIT_NEAR(mean_mu, 1e5, 1e-6, "generate: additive mean KPI is the level");
		for (int c = 0; c < 4; c++)
		{
			double		sc = 0.0,
						sx = 0.0;

			for (int t = 0; t < NW; t++)
			{
				sc += contrib[(MM_GEN_NFIXED + c) * NW + t];
				sx += x[c * NW + t];
			}
			UNIT_NEAR(sc / sx, target[c], 1e-12, "generate: additive %s ROI is its target", names[c]);
		}
	}
	else
	{
		UNIT_NEAR(mean_ln, log(1e5), 1e-9, "generate: multiplicative mean ln KPI is ln level");
		for (int c = 0; c < C; c++)
		{
			int			neg = 0;

			for (int t = 0; t < NW; t++)
				neg += contrib[(MM_GEN_NFIXED + c) * NW + t] < 0;
			UNIT_OK(neg == 0, "generate: multiplicative %s contributions are non-negative", names[c]);
		}
	}
	UNIT_OK(sqrt(rel_noise) > 0.02 && sqrt(rel_noise) < 0.1, "generate: %s noise near 5%% (%.4f)",
			fname, sqrt(rel_noise));
	UNIT_OK(spec[0].input_scale > 0 && spec[0].coef > 0, "generate: %s tv scale and coefficient set", fname);
	gsl_rng_free(r);
}

static void
test_events_day(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		w[3] = {5.0, 0.0, 1.0};
	gsl_ran_discrete_t *tab = gsl_ran_discrete_preproc(3, w);
	MMGenEvent	rows[2000];
	double		alpha[300],
				share[300],
				rev = 0.0;
	int			nconv = 0,
				sorted = 1,
				badcamp = 0,
				badprof = 0;

	gsl_rng_set(r, 11);
	UNIT_OK(mm_gen_events_day(r, 300, 24000.0, 1700, 500, tab, alpha, share, rows) == MM_OK,
			"generate: events of a day");
	for (int i = 0; i < 2000; i++)
	{
		if (rows[i].campaign < 0)
		{
			nconv++;
			rev += rows[i].revenue;
		}
		else if (rows[i].campaign == 1 || rows[i].campaign > 2)
			badcamp++;
		if (i > 0 && rows[i].usec < rows[i - 1].usec)
			sorted = 0;
		if (rows[i].usec < 0 || rows[i].usec >= 86400000000LL)
			sorted = 0;
		if (rows[i].profile_id < 1 || rows[i].profile_id > 500)
			badprof++;
	}
	UNIT_OK(nconv == 300, "generate: exactly the asked conversions (%d)", nconv);
	UNIT_NEAR(rev, 24000.0, 1e-8, "generate: conversion revenues sum to the day's revenue");
	UNIT_OK(sorted, "generate: events in time order within the day");
	UNIT_OK(badcamp == 0, "generate: touches only on campaigns with weight");
	UNIT_OK(badprof == 0, "generate: profiles in 1..profiles");
	UNIT_OK(mm_gen_events_day(r, 1, 10.0, 5, 10, NULL, alpha, share, rows) == MM_EDOM,
			"generate: touches without a table is EDOM");
	gsl_ran_discrete_free(tab);
	gsl_rng_free(r);
}

/* A caller's input scale (generate_geo_data): kept, and the ROAS still its target. */
static void
test_fixed_scale(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	const MMGenChannelDef *def = mm_gen_channel_find("search");
	double		x[NW],
				phase[NW],
				hol[NW],
				z[3 * NW],
				contrib[(MM_GEN_NFIXED + 1) * NW],
				mu[NW],
				y[NW],
				work[3 * NW],
				target = 2.5,
				mean = 0.0,
				plain = 0.0,
				sc = 0.0,
				sx = 0.0;
	bool		paid = true;
	MMChannelSpec spec = def->spec;
	MMGenParams pp;
	MMGenModel	m;

	gsl_rng_set(r, 5);
	for (int t = 0; t < NW; t++)
	{
		phase[t] = (7 * t % 365) / 365.25;
		hol[t] = 0.0;
		x[t] = 100.0 + 50.0 * (t % 7);
		plain += x[t] / NW;
	}
	mm_gen_factors(r, NW, 30, 1e4, z, z + NW, z + 2 * NW);
	UNIT_OK(mm_gen_adstock_mean(&spec, x, NW, work, &mean) == MM_OK, "generate: mean adstocked input");
	/* search's window is not normalised: the mean is the input's times the weights' sum */
	UNIT_OK(mean > plain, "generate: mean adstocked input above the input's mean (%g > %g)", mean, plain);
	spec.input_scale = 3.0 * mean;
	m.form = MM_FORM_ADDITIVE;
	m.T = NW;
	m.C = 1;
	m.level = 1e4;
	m.noise = 0.0;
	m.x = x;
	m.target = &target;
	m.paid = &paid;
	m.year_phase = phase;
	m.holiday = hol;
	m.z = z;
	m.spec = &spec;
	m.fixed_scale = true;
	UNIT_OK(mm_gen_truth(r, &m, &pp, contrib, mu, y, work) == MM_OK, "generate: truth with a fixed scale");
	UNIT_NEAR(spec.input_scale, 3.0 * mean, 0.0, "generate: fixed input scale kept");
	for (int t = 0; t < NW; t++)
	{
		sc += contrib[MM_GEN_NFIXED * NW + t];
		sx += x[t];
	}
	UNIT_NEAR(sc / sx, target, 1e-12, "generate: ROAS is the target with a fixed scale");
	spec.input_scale = 0.0;
	UNIT_OK(mm_gen_truth(r, &m, &pp, contrib, mu, y, work) == MM_EDOM, "generate: fixed scale 0 is EDOM");
	gsl_rng_free(r);
}

void
test_generate(void)
{
	test_fixed_scale();
	test_vocabulary_and_calendar();
	test_paths();
	test_split_week();
	truth_case(MM_FORM_ADDITIVE);
	truth_case(MM_FORM_MULTIPLICATIVE);
	test_events_day();
}
