/*
 * test_saturation.c: saturation curves against hand values and the toys of
 * formulas.md §1.2; derivatives against central differences; inverses.
 */
#include <math.h>

#include "math/saturation.h"
#include "unit.h"

#define TOL 1e-12

typedef struct Curve
{
	const char *name;
	MMSaturationKind kind;
	double		p1,
				p2;
} Curve;

static const Curve curves[] = {
	{"hill a=2 K=2", MM_SAT_HILL, 2.0, 2.0},
	{"hill a=0.5 K=3", MM_SAT_HILL, 0.5, 3.0},
	{"hill a=7.5 K=1.5", MM_SAT_HILL, 7.5, 1.5},
	{"logistic lam=0.8", MM_SAT_LOGISTIC, 0.8, 0.0},
	{"michaelis_menten V=3 K=2", MM_SAT_MICHAELIS_MENTEN, 3.0, 2.0},
	{"power theta=0.5", MM_SAT_POWER, 0.5, 0.0},
	{"power theta=1", MM_SAT_POWER, 1.0, 0.0},
	{"tanh b=2 c=0.5", MM_SAT_TANH, 2.0, 0.5},
};

static const double points[] = {0.05, 0.3, 1.0, 1.7, 2.0, 3.5};

static void
test_hand_values(void)
{
	/* Hill toy: K = 2, alpha = 2 */
	UNIT_NEAR(mm_saturation(MM_SAT_HILL, 2, 2, 2), 0.5, TOL, "hill s(K) = 0.5");
	UNIT_NEAR(mm_saturation(MM_SAT_HILL, 2, 2, 1), 0.2, TOL, "hill s(1) = 1/5");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_HILL, 2, 2, 1), 0.32, TOL, "hill s'(1) = 8/25");
	UNIT_NEAR(mm_hill_inflection(2, 2), 1.1547005383792515, TOL, "hill inflection 2/sqrt(3)");
	UNIT_NEAR(mm_hill_inflection(0.7, 2), 0.0, 0.0, "hill inflection alpha < 1 is 0");
	UNIT_NEAR(mm_saturation_inverse(MM_SAT_HILL, 2, 2, 0.2), 1.0, TOL, "hill inverse(1/5) = 1");

	/* Hill at 0 (formulas §1.2 details) */
	UNIT_OK(mm_saturation(MM_SAT_HILL, 0.5, 2, 0) == 0.0, "hill s(0) = 0");
	UNIT_OK(isinf(mm_saturation_deriv(MM_SAT_HILL, 0.5, 2, 0)), "hill s'(0) = inf for alpha < 1");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_HILL, 1, 2, 0), 0.5, TOL, "hill s'(0) = 1/K for alpha = 1");
	UNIT_OK(mm_saturation_deriv(MM_SAT_HILL, 3, 2, 0) == 0.0, "hill s'(0) = 0 for alpha > 1");
	UNIT_OK(mm_saturation_inverse(MM_SAT_HILL, 2, 2, 0) == 0.0, "hill inverse(0) = 0");
	UNIT_OK(isnan(mm_saturation_inverse(MM_SAT_HILL, 2, 2, 1)), "hill inverse(1) is NaN");
	UNIT_OK(isnan(mm_saturation_inverse(MM_SAT_HILL, 2, 2, -0.1)), "hill inverse(<0) is NaN");

	/* large alpha: a^alpha would overflow, 1/(1+exp(alpha(lnK - ln a))) does not */
	UNIT_OK(mm_saturation(MM_SAT_HILL, 1000, 1, 2) == 1.0, "hill alpha=1000 a=2K is 1");
	UNIT_OK(mm_saturation(MM_SAT_HILL, 1000, 1, 0.1) == 0.0, "hill alpha=1000 a=K/10 is 0");
	UNIT_NEAR(mm_saturation(MM_SAT_HILL, 1000, 1, 1), 0.5, TOL, "hill alpha=1000 a=K is 0.5");
	UNIT_OK(mm_saturation_deriv(MM_SAT_HILL, 1000, 1, 3) == 0.0, "hill alpha=1000 s'(3K) is 0, not NaN");
	UNIT_NEAR(mm_saturation(MM_SAT_HILL, 2, 1e200, 1e200), 0.5, TOL, "hill K=1e200 at K is 0.5");
	/* Michaelis-Menten is Hill with alpha = 1, times V */
	UNIT_NEAR(mm_saturation(MM_SAT_MICHAELIS_MENTEN, 3, 2, 0.7),
			  3 * mm_saturation(MM_SAT_HILL, 1, 2, 0.7), TOL, "michaelis_menten = V hill(alpha 1)");

	/* logistic: (1 - e^{-lam a})/(1 + e^{-lam a}) */
	UNIT_NEAR(mm_saturation(MM_SAT_LOGISTIC, 1, 0, 2), (1 - exp(-2.0)) / (1 + exp(-2.0)), TOL,
			  "logistic lam=1 s(2)");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_LOGISTIC, 1, 0, 0), 0.5, TOL, "logistic s'(0) = lam/2");
	UNIT_OK(mm_saturation_deriv(MM_SAT_LOGISTIC, 1, 0, 2000) == 0.0, "logistic s'(2000) is 0, not NaN");
	UNIT_OK(isnan(mm_saturation_inverse(MM_SAT_LOGISTIC, 1, 0, 1)), "logistic inverse(1) is NaN");

	UNIT_NEAR(mm_saturation(MM_SAT_MICHAELIS_MENTEN, 3, 2, 2), 1.5, TOL, "michaelis_menten s(K) = V/2");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_MICHAELIS_MENTEN, 3, 2, 2), 0.375, TOL, "michaelis_menten s'(2)");
	UNIT_NEAR(mm_saturation_inverse(MM_SAT_MICHAELIS_MENTEN, 3, 2, 1.5), 2.0, TOL, "michaelis_menten inverse");
	UNIT_OK(isnan(mm_saturation_inverse(MM_SAT_MICHAELIS_MENTEN, 3, 2, 3)), "michaelis_menten inverse(V) is NaN");

	UNIT_NEAR(mm_saturation(MM_SAT_POWER, 0.5, 0, 4), 2.0, TOL, "power sqrt(4)");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_POWER, 0.5, 0, 4), 0.25, TOL, "power s'(4)");
	UNIT_OK(isinf(mm_saturation_deriv(MM_SAT_POWER, 0.5, 0, 0)), "power s'(0) = inf for theta < 1");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_POWER, 1, 0, 0), 1.0, TOL, "power s'(0) = 1 for theta = 1");
	UNIT_NEAR(mm_saturation_inverse(MM_SAT_POWER, 0.5, 0, 2), 4.0, TOL, "power inverse");

	UNIT_NEAR(mm_saturation(MM_SAT_TANH, 2, 0.5, 1), 2 * tanh(1.0), TOL, "tanh b tanh(a/(bc))");
	UNIT_NEAR(mm_saturation_deriv(MM_SAT_TANH, 2, 0.5, 0), 2.0, TOL, "tanh s'(0) = 1/c");
	UNIT_NEAR(mm_saturation_inverse(MM_SAT_TANH, 2, 0.5, 2 * tanh(1.0)), 1.0, TOL, "tanh inverse");
	UNIT_OK(isnan(mm_saturation_inverse(MM_SAT_TANH, 2, 0.5, 2)), "tanh inverse(b) is NaN");
}

/* Derivative against a central difference; inverse(value(a)) = a. */
static void
test_consistency(void)
{
	for (int c = 0; c < (int) (sizeof(curves) / sizeof(curves[0])); c++)
	{
		const Curve *cv = &curves[c];

		for (int i = 0; i < (int) (sizeof(points) / sizeof(points[0])); i++)
		{
			double		a = points[i];
			double		h = 1e-5 * a;
			double		fd = (mm_saturation(cv->kind, cv->p1, cv->p2, a + h) -
							  mm_saturation(cv->kind, cv->p1, cv->p2, a - h)) / (2 * h);
			double		d = mm_saturation_deriv(cv->kind, cv->p1, cv->p2, a);
			double		s = mm_saturation(cv->kind, cv->p1, cv->p2, a);

			UNIT_NEAR(fd / d, 1.0, 1e-7, "%s: s'(%g) vs central difference", cv->name, a);
			UNIT_NEAR(mm_saturation_inverse(cv->kind, cv->p1, cv->p2, s) / a, 1.0, 1e-12,
					  "%s: inverse(s(%g))", cv->name, a);
		}
	}
}

static void
test_inflection_and_relative(void)
{
	double		as = mm_hill_inflection(2, 2);
	double		a3 = mm_hill_inflection(3.5, 1.5);
	const double series[] = {0, 1, 4, 2};
	const double zeros[] = {0, 0, 0};
	const double pos[] = {1, 4};

	/* the inflection maximises s' */
	UNIT_OK(mm_saturation_deriv(MM_SAT_HILL, 2, 2, as) > mm_saturation_deriv(MM_SAT_HILL, 2, 2, as * 0.999) &&
			mm_saturation_deriv(MM_SAT_HILL, 2, 2, as) > mm_saturation_deriv(MM_SAT_HILL, 2, 2, as * 1.001),
			"hill s' peaks at the inflection (alpha 2)");
	UNIT_OK(mm_saturation_deriv(MM_SAT_HILL, 3.5, 1.5, a3) > mm_saturation_deriv(MM_SAT_HILL, 3.5, 1.5, a3 * 0.999) &&
			mm_saturation_deriv(MM_SAT_HILL, 3.5, 1.5, a3) > mm_saturation_deriv(MM_SAT_HILL, 3.5, 1.5, a3 * 1.001),
			"hill s' peaks at the inflection (alpha 3.5)");

	UNIT_NEAR(mm_hill_relative_k(series, 4, 0.5, 0), 2.0, TOL, "relative K = gamma max (v3.12)");
	UNIT_NEAR(mm_hill_relative_k(pos, 2, 0.25, 0), 1.0, TOL, "relative K ignores min (v3.12)");
	UNIT_NEAR(mm_hill_relative_k(pos, 2, 0.25, 1), 1.75, TOL, "legacy K = (1-gamma) min + gamma max");
	UNIT_OK(mm_hill_relative_k(zeros, 3, 0.5, 0) == 0.0, "relative K of zeros is 0");
}

/*
 * Sweep parameters and inputs over many orders of magnitude: values stay in
 * [0, ceiling] and never decrease, derivatives are >= 0 and never NaN.
 */
static void
test_extremes(void)
{
	const double params[] = {1e-6, 0.01, 0.5, 1.0, 3.0, 100.0, 1e6};
	const double inputs[] = {0.0, 5e-324, 1e-300, 1e-20, 1e-3, 1.0, 1e3, 1e20, 1e300, 1.7e308};
	const MMSaturationKind kinds[] = {MM_SAT_HILL, MM_SAT_LOGISTIC, MM_SAT_MICHAELIS_MENTEN,
	MM_SAT_POWER, MM_SAT_TANH};
	int			bad = 0,
				checked = 0;

	for (int ki = 0; ki < 5; ki++)
		for (int i = 0; i < 7; i++)
			for (int j = 0; j < 7; j++)
			{
				MMSaturationKind kind = kinds[ki];
				double		p1 = kind == MM_SAT_POWER ? fmin(params[i], 1.0) : params[i];
				double		p2 = params[j];
				double		ceiling = kind == MM_SAT_POWER ? INFINITY :
					(kind == MM_SAT_MICHAELIS_MENTEN || kind == MM_SAT_TANH) ? p1 : 1.0;
				double		prev = -1.0;

				for (int a = 0; a < 10; a++)
				{
					double		s = mm_saturation(kind, p1, p2, inputs[a]);
					double		d = mm_saturation_deriv(kind, p1, p2, inputs[a]);

					checked++;
					if (isnan(s) || s < 0 || s > ceiling || s < prev || isnan(d) || d < 0)
					{
						bad++;
						printf("# kind %d p1 %g p2 %g a %g: s %g d %g\n", kind, p1, p2, inputs[a], s, d);
					}
					prev = s;
				}
			}
	UNIT_OK(bad == 0, "saturation: %d extreme (kind, parameters, input) cases in range, monotone, no NaN", checked);
}

void
test_saturation(void)
{
	test_hand_values();
	test_consistency();
	test_inflection_and_relative();
	test_extremes();
}
