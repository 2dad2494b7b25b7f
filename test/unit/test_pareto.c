/*
 * test_pareto.c: Pareto front 1 and the selection of mm_pareto_select against
 * the quadratic definition (every pair compared), on random candidates with
 * ties, duplicates, NaN, infinities and -0.0, in 2, 3 and 4 objectives; and
 * fronts of a million candidates, which the quadratic rule could not finish.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "math/pareto.h"
#include "math/search.h"
#include "unit.h"

/* the definition: objective i as the front sees it, NaN as +infinity */
static double
axis(const MMSearchData *d, const MMCandidate *c, int i)
{
	double		v = (i == 3 && d->calibration == MM_CALIB_GAUSSIAN) ? c->obj.lift_gauss : c->obj.v[i];

	return isnan(v) ? INFINITY : v;
}

static bool
active(const MMSearchData *d, int i)
{
	return i < 2 || (i == 2 && d->prior != NULL) || (i == 3 && d->E > 0);
}

static bool
dominates(const MMSearchData *d, const MMCandidate *a, const MMCandidate *b)
{
	bool		better = false;

	for (int i = 0; i < MM_NOBJ; i++)
		if (active(d, i))
		{
			if (axis(d, a, i) > axis(d, b, i))
				return false;
			if (axis(d, a, i) < axis(d, b, i))
				better = true;
		}
	return better;
}

static bool
usable(const MMCandidate *c)
{
	return !isnan(c->obj.v[0]) && isfinite(c->total);
}

/* the quadratic rule the sweep replaced: front flags and the chosen index */
static int
reference(const MMSearchData *d, const MMCandidate *cand, int n, int *front)
{
	double		lo[MM_NOBJ],
				hi[MM_NOBJ],
				best = INFINITY;
	const double w[MM_NOBJ] = {d->weights.nrmse, d->weights.rssd, d->weights.prior,
	d->calibration == MM_CALIB_GAUSSIAN ? d->weights.lift_gauss : d->weights.lift};
	int			chosen = -1;

	for (int i = 0; i < n; i++)
	{
		front[i] = usable(&cand[i]);
		for (int j = 0; j < n && front[i]; j++)
			if (j != i && usable(&cand[j]) &&
				(dominates(d, &cand[j], &cand[i]) ||
				 (j < i && memcmp(&cand[i].obj, &cand[j].obj, sizeof(MMObjectives)) == 0)))
				front[i] = 0;
	}
	for (int k = 0; k < MM_NOBJ; k++)
		lo[k] = INFINITY, hi[k] = -INFINITY;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < MM_NOBJ; k++)
			if (front[i] && active(d, k) && isfinite(axis(d, &cand[i], k)))
			{
				lo[k] = fmin(lo[k], axis(d, &cand[i], k));
				hi[k] = fmax(hi[k], axis(d, &cand[i], k));
			}
	for (int i = 0; i < n; i++)
	{
		double		dist = 0.0;

		if (!front[i])
			continue;
		for (int k = 0; k < MM_NOBJ; k++)
			if (active(d, k))
			{
				double		v = axis(d, &cand[i], k),
							z = !isfinite(v) ? 1.0 : hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0.0;

				dist += w[k] * z * z;
			}
		if (dist < best)
			best = dist, chosen = i;
	}
	return chosen;
}

/* a value from a small set, so that ties and duplicates are common */
static double
coarse(gsl_rng *r, int levels)
{
	double		u = gsl_rng_uniform(r);

	if (u < 0.03)
		return NAN;
	if (u < 0.05)
		return INFINITY;
	if (u < 0.07)
		return -0.0;
	return (double) gsl_rng_uniform_int(r, levels) / levels;
}

static long interrupts;

static void
count_interrupt(void)
{
	interrupts++;
}

static void
random_fronts(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	enum
	{
		NMAX = 400
	};
	static MMCandidate cand[NMAX];
	static int	front[NMAX];
	static double work[NMAX * 16];
	static const double prior[1] = {0.5};
	int			bad_front = 0,
				bad_choice = 0,
				trials = 0,
				fronts = 0;

	gsl_rng_set(r, 12);
	for (int axes = 2; axes <= 5; axes++)
		for (int trial = 0; trial < 150; trial++)
		{
			MMSearchData d;
			int			n = 1 + (int) gsl_rng_uniform_int(r, NMAX),
						levels = 2 + (int) gsl_rng_uniform_int(r, trial % 3 == 0 ? 4 : 50),
						want,
						got;

			memset(&d, 0, sizeof(d));
			d.weights.nrmse = 1;
			d.weights.rssd = 0.5 + gsl_rng_uniform(r);
			d.weights.prior = gsl_rng_uniform(r);
			d.weights.lift = gsl_rng_uniform(r);
			d.weights.lift_gauss = gsl_rng_uniform(r);
			/* 2: nrmse, rssd; 3: + prior; 4: + calibration; 5: all four, Gaussian calibration */
			d.prior = axes == 3 || axes >= 5 ? prior : NULL;
			d.E = axes >= 4 ? 1 : 0;
			d.calibration = axes == 5 ? MM_CALIB_GAUSSIAN : MM_CALIB_MAPE_LIFT;
			memset(cand, 0, sizeof(cand));
			for (int i = 0; i < n; i++)
			{
				if (i > 0 && gsl_rng_uniform(r) < 0.1)
				{
					cand[i] = cand[gsl_rng_uniform_int(r, i)];	/* an exact duplicate */
					continue;
				}
				for (int k = 0; k < MM_NOBJ; k++)
					cand[i].obj.v[k] = coarse(r, levels);
				cand[i].obj.lift_gauss = coarse(r, levels);
				cand[i].total = gsl_rng_uniform(r) < 0.03 ? INFINITY : gsl_rng_uniform(r);
			}
			want = reference(&d, cand, n, front);
			got = mm_pareto_select(&d, cand, n, work, NULL);
			for (int i = 0; i < n; i++)
			{
				fronts += front[i];
				if (cand[i].front != front[i])
				{
					bad_front++;
					break;
				}
			}
			bad_choice += got != want;
			trials++;
		}
	UNIT_OK(bad_front == 0, "pareto: front 1 as the pairwise definition in %d random trials, 2-4 objectives (%d mismatches, %d front points)",
			trials, bad_front, fronts);
	UNIT_OK(bad_choice == 0, "pareto: the same candidate chosen as the pairwise rule (%d mismatches)", bad_choice);
	gsl_rng_free(r);
}

/*
 * A million candidates on one front (the pairwise rule's worst case: 10^12
 * comparisons), in two and four objectives; the interrupt callback is
 * called as it runs.
 */
static void
large_fronts(void)
{
	enum
	{
		N = 1000000
	};
	MMCandidate *cand = calloc(N, sizeof(MMCandidate));
	void	   *work = malloc(mm_pareto_select_work(N));
	static const double prior[1] = {0.5};
	MMSearchData d;
	int			chosen,
				on_front;

	memset(&d, 0, sizeof(d));
	d.weights.nrmse = d.weights.rssd = d.weights.prior = d.weights.lift = 1;
	for (int i = 0; i < N; i++)
	{
		double		u = (double) i / N;

		cand[i].obj.v[0] = u;
		cand[i].obj.v[1] = 1 - u;
		cand[i].obj.v[2] = (i % 1000) / 1000.0;
		cand[i].obj.v[3] = 1 - (i % 1000) / 1000.0;
		cand[i].total = 1;
	}
	interrupts = 0;
	chosen = mm_pareto_select(&d, cand, N, work, count_interrupt);
	on_front = 0;
	for (int i = 0; i < N; i++)
		on_front += cand[i].front;
	UNIT_OK(on_front == N && (chosen == N / 2 - 1 || chosen == N / 2) && interrupts >= N / 4096,
			"pareto: 10^6 candidates on one front in 2 objectives (%d on the front, chosen %d, %ld interrupt checks)",
			on_front, chosen, interrupts);
	d.prior = prior;
	d.E = 1;
	interrupts = 0;
	chosen = mm_pareto_select(&d, cand, N, work, count_interrupt);
	on_front = 0;
	for (int i = 0; i < N; i++)
		on_front += cand[i].front;
	UNIT_OK(on_front == N && chosen >= 0 && interrupts >= N / 4096,
			"pareto: 10^6 candidates on one front in 4 objectives (%d on the front, %ld interrupt checks)",
			on_front, interrupts);
	free(cand);
	free(work);
}

void
test_pareto(void)
{
	MMParetoPoint p[1];

	UNIT_OK(mm_pareto_front(p, 0, 2, NULL, NULL) == MM_OK && mm_pareto_front(p, 1, 5, NULL, NULL) == MM_EDOM,
			"pareto: no points, and k out of range");
	random_fronts();
	large_fronts();
}
