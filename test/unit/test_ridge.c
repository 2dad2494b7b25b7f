/*
 * test_ridge.c: the box-constrained ridge of src/math/ridge.c against the KKT
 * conditions, a brute force over every active set, the closed-form ridge (by
 * an independent augmented least-squares solve) and Robyn's lambda rule.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <lapacke.h>

#include "math/ridge.h"
#include "unit.h"

/* objective 1/2 b'Qb - c'b */
static double
qp_value(const double *Q, const double *c, int p, const double *b)
{
	double		v = 0.0;

	for (int i = 0; i < p; i++)
	{
		double		s = 0.0;

		for (int j = 0; j < p; j++)
			s += Q[j * p + i] * b[j];
		v += 0.5 * b[i] * s - c[i] * b[i];
	}
	return v;
}

/* Brute force: every assignment free/lower/upper, keep the feasible best. */
static double
brute_force(const double *Q, const double *c, const double *lo, const double *hi,
			int p, double *best)
{
	double		bestv = INFINITY;
	int			total = 1;

	for (int j = 0; j < p; j++)
		total *= 3;
	for (int code = 0; code < total; code++)
	{
		int			st[8],
					f[8],
					nf = 0,
					k = code,
					ok = 1;
		double		b[8],
					A[64],
					r[8];

		for (int j = 0; j < p; j++, k /= 3)
		{
			st[j] = k % 3;		/* 0 free, 1 lower, 2 upper */
			if ((st[j] == 1 && !isfinite(lo[j])) || (st[j] == 2 && !isfinite(hi[j])))
				ok = 0;
			b[j] = st[j] == 1 ? lo[j] : st[j] == 2 ? hi[j] : 0.0;
			if (st[j] == 0)
				f[nf++] = j;
		}
		if (!ok)
			continue;
		for (int a = 0; a < nf; a++)
		{
			r[a] = c[f[a]];
			for (int j = 0; j < p; j++)
				if (st[j] != 0)
					r[a] -= Q[j * p + f[a]] * b[j];
			for (int e = 0; e < nf; e++)
				A[e * nf + a] = Q[f[e] * p + f[a]];
		}
		if (nf > 0 && LAPACKE_dgesv(LAPACK_COL_MAJOR, nf, 1, A, nf, (lapack_int[8]) {0}, r, nf) != 0)
			continue;
		for (int a = 0; a < nf; a++)
		{
			b[f[a]] = r[a];
			if (r[a] < lo[f[a]] - 1e-12 || r[a] > hi[f[a]] + 1e-12)
				ok = 0;
		}
		if (!ok)
			continue;
		{
			double		v = qp_value(Q, c, p, b);

			if (v < bestv)
			{
				bestv = v;
				memcpy(best, b, sizeof(double) * p);
			}
		}
	}
	return bestv;
}

static void
random_qp(gsl_rng *r, int p, double *Q, double *c, double *lo, double *hi)
{
	int			n = p + 3;
	double		A[9 * 6];

	for (int i = 0; i < n * p; i++)
		A[i] = gsl_ran_gaussian(r, 1.0);
	/* make two columns nearly collinear now and then */
	if (p >= 3 && gsl_rng_uniform(r) < 0.3)
		for (int t = 0; t < n; t++)
			A[t * p + 1] = A[t * p + 0] + 0.01 * gsl_ran_gaussian(r, 1.0);
	for (int i = 0; i < p; i++)
		for (int j = 0; j < p; j++)
		{
			double		s = 0.0;

			for (int t = 0; t < n; t++)
				s += A[t * p + i] * A[t * p + j];
			Q[j * p + i] = s / n + (i == j ? 0.05 : 0.0);
		}
	for (int j = 0; j < p; j++)
	{
		double		u = gsl_rng_uniform(r);

		c[j] = gsl_ran_gaussian(r, 1.0);
		if (u < 0.35)
			lo[j] = 0.0, hi[j] = INFINITY;		/* media */
		else if (u < 0.5)
			lo[j] = -INFINITY, hi[j] = 0.0;		/* negative factor */
		else if (u < 0.7)
			lo[j] = -INFINITY, hi[j] = INFINITY;	/* auto factor */
		else if (u < 0.9)
			lo[j] = 0.0, hi[j] = 0.2 + gsl_rng_uniform(r);	/* Robyn's [0, 1] box */
		else
			lo[j] = -0.5, hi[j] = -0.1;			/* box not containing 0 */
	}
}

static void
test_brute_force(void)
{
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		Q[36],
				c[6],
				lo[6],
				hi[6],
				b[6],
				bb[6],
				g[6],
				work[36 + 18];
	int			st[6];
	double		worst_kkt = 0.0,
				worst_obj = 0.0,
				worst_beta = 0.0;
	int			fails = 0,
				cases = 0;

	gsl_rng_set(r, 20261123);
	for (int p = 1; p <= 6; p++)
		for (int rep = 0; rep < 120; rep++)
		{
			double		vb,
						vs;

			random_qp(r, p, Q, c, lo, hi);
			if (mm_box_qp_solve(Q, c, lo, hi, p, b, st, false, work) != MM_OK)
			{
				fails++;
				continue;
			}
			cases++;
			worst_kkt = fmax(worst_kkt, mm_box_qp_kkt(Q, c, lo, hi, p, b, g));
			vb = brute_force(Q, c, lo, hi, p, bb);
			vs = qp_value(Q, c, p, b);
			worst_obj = fmax(worst_obj, vs - vb);
			for (int j = 0; j < p; j++)
				worst_beta = fmax(worst_beta, fabs(b[j] - bb[j]));
		}
	UNIT_OK(fails == 0, "box QP: 720 random problems (p = 1..6) all solved (%d failed)", fails);
	UNIT_OK(worst_kkt <= 1e-9, "box QP: KKT violation <= 1e-9 on every problem (worst %.3g)", worst_kkt);
	UNIT_OK(worst_obj <= 1e-12, "box QP: objective never above the brute-force optimum (worst excess %.3g)", worst_obj);
	UNIT_OK(worst_beta <= 1e-8, "box QP: coefficients equal the brute-force optimum to 1e-8 (worst %.3g)", worst_beta);

	/* warm start from the solution's own active set gives the same answer */
	random_qp(r, 6, Q, c, lo, hi);
	mm_box_qp_solve(Q, c, lo, hi, 6, b, st, false, work);
	memcpy(bb, b, sizeof(b));
	{
		double		d = 0.0;
		MMStatus	s = mm_box_qp_solve(Q, c, lo, hi, 6, b, st, true, work);

		for (int j = 0; j < 6; j++)
			d = fmax(d, fabs(b[j] - bb[j]));
		UNIT_OK(s == MM_OK && d < 1e-12, "box QP: warm start reproduces the solution (%.3g)", d);
	}
	lo[0] = 1.0;
	hi[0] = 0.0;
	UNIT_OK(mm_box_qp_solve(Q, c, lo, hi, 6, b, st, false, work) == MM_EDOM, "box QP: lo > hi is MM_EDOM");
	gsl_rng_free(r);
}

/* unconstrained ridge against an augmented least-squares solve [Xs; sqrt(n lambda) I] b = [yc; 0] */
static void
test_closed_form(void)
{
	enum
	{
		N = 40, P = 5
	};
	gsl_rng    *r = gsl_rng_alloc(gsl_rng_mt19937);
	double		X[N * P],
				y[N],
				beta[P],
				work[N * P + N + P * P + 6 * P + P * P + 3 * P];
	double		A[(N + P) * P],
				rhs[N + P];
	double		m[P],
				sd[P],
				ym = 0.0,
				lambda = 0.37,
				worst = 0.0,
				icept;
	int			iw[P];
	MMRidgeProblem prob = {N, P, X, y, NULL, NULL, NULL, lambda, true};
	MMRidgeFit	fit;

	gsl_rng_set(r, 7);
	for (int j = 0; j < P; j++)
		for (int t = 0; t < N; t++)
			X[j * N + t] = 10.0 * j + gsl_ran_gaussian(r, 1.0 + j);
	for (int t = 0; t < N; t++)
		y[t] = 3.0 + X[t] - 0.5 * X[N + t] + gsl_ran_gaussian(r, 0.3);
	UNIT_OK(mm_ridge_work(N, P) <= (long) (sizeof(work) / sizeof(double)), "ridge work size fits");
	UNIT_OK(mm_ridge_fit(&prob, beta, &fit, iw, false, work) == MM_OK, "unconstrained ridge fits");

	for (int t = 0; t < N; t++)
		ym += y[t];
	ym /= N;
	for (int j = 0; j < P; j++)
	{
		double		s = 0.0,
					ss = 0.0;

		for (int t = 0; t < N; t++)
			s += X[j * N + t];
		m[j] = s / N;
		for (int t = 0; t < N; t++)
			ss += (X[j * N + t] - m[j]) * (X[j * N + t] - m[j]);
		sd[j] = sqrt(ss / N);
		for (int t = 0; t < N; t++)
			A[j * (N + P) + t] = (X[j * N + t] - m[j]) / sd[j];
		for (int k = 0; k < P; k++)
			A[j * (N + P) + N + k] = (k == j) ? sqrt(N * lambda) : 0.0;
	}
	for (int t = 0; t < N; t++)
		rhs[t] = y[t] - ym;
	for (int k = 0; k < P; k++)
		rhs[N + k] = 0.0;
	LAPACKE_dgels(LAPACK_COL_MAJOR, 'N', N + P, P, 1, A, N + P, rhs, N + P);
	icept = ym;
	for (int j = 0; j < P; j++)
	{
		worst = fmax(worst, fabs(beta[j] - rhs[j] / sd[j]));
		icept -= rhs[j] / sd[j] * m[j];
	}
	UNIT_OK(worst < 1e-10, "unconstrained ridge equals the closed form (worst %.3g)", worst);
	UNIT_NEAR(fit.intercept, icept, 1e-9, "unconstrained ridge intercept equals the closed form");
	UNIT_OK(fit.kkt < 1e-12, "unconstrained ridge KKT %.3g", fit.kkt);

	/* sign constraints bind: the negative truth of column 1 is held at 0 */
	{
		double		lo[P] = {0, 0, 0, 0, 0};

		prob.lower = lo;
		UNIT_OK(mm_ridge_fit(&prob, beta, &fit, iw, false, work) == MM_OK && beta[1] == 0.0 && beta[0] > 0.5,
				"non-negative ridge holds the negative column at exactly 0");
		UNIT_OK(fit.kkt < 1e-9, "non-negative ridge KKT %.3g", fit.kkt);
		prob.lower = NULL;
	}

	/* a constant column gets coefficient 0 */
	for (int t = 0; t < N; t++)
		X[2 * N + t] = 5.0;
	UNIT_OK(mm_ridge_fit(&prob, beta, &fit, iw, false, work) == MM_OK && beta[2] == 0.0,
			"constant column gets coefficient 0");

	/* Robyn's intercept rule: a negative intercept refits without one */
	for (int t = 0; t < N; t++)
		y[t] = -50.0 + 2.0 * X[t] + gsl_ran_gaussian(r, 0.1);
	{
		double		lo[P] = {0, 0, 0, 0, 0};

		prob.lower = lo;
		UNIT_OK(mm_ridge_fit_robyn(&prob, true, beta, &fit, iw, false, work) == MM_OK &&
				!fit.has_intercept && fit.intercept == 0.0,
				"negative intercept with intercept_sign non_negative refits without intercept");
		UNIT_OK(fit.kkt < 1e-9, "refit without intercept KKT %.3g", fit.kkt);
		UNIT_OK(mm_ridge_fit_robyn(&prob, false, beta, &fit, iw, false, work) == MM_OK &&
				fit.has_intercept && fit.intercept < 0.0, "intercept_sign unconstrained keeps the negative intercept");
	}
	gsl_rng_free(r);
}

static void
test_lambda(void)
{
	/* x = (1, 2, 3): mean 2, population sd sqrt(2/3); y = (1, 0, 2) */
	double		X[3] = {1, 2, 3},
				y[3] = {1, 0, 2};
	double		sx = sqrt(2.0 / 3.0);
	double		want = fabs((-1 / sx) * 1 + 0 + (1 / sx) * 2) / (0.001 * 3);
	double		lmax = mm_ridge_lambda_max(X, 3, 1, y);

	UNIT_NEAR(lmax, want, 1e-12 * want, "lambda_max toy (formulas §2.3)");
	UNIT_NEAR(mm_ridge_lambda(lmax, 0.0), 1e-5 * lmax, 1e-15 * lmax, "lambda(hp = 0) = lambda_min");
	UNIT_NEAR(mm_ridge_lambda(lmax, 1.0), 0.1 * lmax, 1e-15 * lmax, "lambda(hp = 1) = 0.1 lambda_max");
	X[0] = X[1] = X[2] = 4;
	UNIT_OK(mm_ridge_lambda_max(X, 3, 1, y) == 0.0, "lambda_max: zero-SD column counts 0");
}

void
test_ridge(void)
{
	test_brute_force();
	test_closed_form();
	test_lambda();
}
