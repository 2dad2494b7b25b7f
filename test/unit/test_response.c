/*
 * test_response.c: response curves and the points read off them against the
 * toys of formulas.md §4.4-§4.5, closed forms, finite differences and direct
 * counterfactuals computed by adstocking modified series.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

#include "math/response.h"
#include "unit.h"

static gsl_root_fsolver *root;
static gsl_min_fminimizer *minz;

/* a single-period curve: R(s) = coef s(s) (c = 0, d = 1) */
static const double zero1[1] = {0.0};
static const double one1[1] = {1.0};

static MMResponseCurve
single(MMSaturationKind kind, double p1, double p2, double coef, double value)
{
	MMResponseCurve rc = {MM_FORM_ADDITIVE, 1, {kind, p1, p2, coef, zero1, one1}, NULL, value, NULL};

	return rc;
}

static void
test_toys(void)
{
	MMResponseCurve rc = single(MM_SAT_POWER, 0.5, 0, 10, 1);
	MMResponsePoints pts;
	double		k = 3,
				th = 0.3,
				be;

	/* R = 10 sqrt(s): s_BE = 25, average ROAS 2 there, s_D = 6.25 */
	UNIT_OK(mm_response_points(&rc, 1, root, minz, &pts) == MM_OK, "toy points run");
	UNIT_NEAR(pts.breakeven, 25, 1e-9, "10 sqrt(s): break-even 25");
	UNIT_NEAR(pts.pdr, 6.25, 1e-9, "10 sqrt(s): point of diminishing returns 6.25");
	UNIT_NEAR(pts.peak, 0, 0, "concave: peak at 0");
	UNIT_OK(isnan(pts.inflection), "concave: no inflection");
	UNIT_NEAR(mm_response(&rc, 25, NULL), 50, 1e-12, "R(25) = 50");

	/* the same revenue curve as 5 sqrt(s) conversions worth 2 each, far from s_ref */
	rc = single(MM_SAT_POWER, 0.5, 0, 5, 2);
	mm_response_points(&rc, 1e4, root, minz, &pts);
	UNIT_NEAR(pts.breakeven, 25, 1e-9, "value per conversion scales the marginal");
	UNIT_NEAR(pts.pdr, 6.25, 1e-9, "... and the average return");

	/* power closed form: s_BE = (k theta)^(1/(1-theta)), s_D = s_BE theta^(1/(1-theta)) */
	rc = single(MM_SAT_POWER, th, 0, k, 1);
	mm_response_points(&rc, 0, root, minz, &pts);
	be = pow(k * th, 1 / (1 - th));
	UNIT_NEAR(pts.breakeven, be, 1e-10 * be, "power k=3 theta=0.3: break-even closed form");
	UNIT_NEAR(pts.pdr, be * pow(th, 1 / (1 - th)), 1e-10 * be, "power: PDR closed form");

	/* hurdle: mROAS = 2 for 10 sqrt(s) at s = 6.25 */
	mm_response_level(&rc, 1, 1, root, &be);
	rc = single(MM_SAT_POWER, 0.5, 0, 10, 1);
	mm_response_level(&rc, 2, 1, root, &be);
	UNIT_NEAR(be, 6.25, 1e-9, "hurdle 2 on 10 sqrt(s) at 6.25");

	/* sup R' <= 1: no break-even, no PDR */
	rc = single(MM_SAT_HILL, 2, 10, 3, 1);	/* sup R' = 3 * s'(inflection) < 1 */
	mm_response_points(&rc, 1, root, minz, &pts);
	UNIT_OK(isnan(pts.breakeven) && isnan(pts.pdr), "sup R' <= 1: break-even and PDR are NaN");
	rc = single(MM_SAT_POWER, 1, 0, 0.8, 1);
	mm_response_points(&rc, 1, root, minz, &pts);
	UNIT_OK(isnan(pts.breakeven), "linear curve with slope 0.8: no break-even");
}

static void
test_s_curve(void)
{
	/* Hill alpha = 3, K = 1, beta = 20: R' = 20 s'(s) rises then falls */
	MMResponseCurve rc = single(MM_SAT_HILL, 3, 1, 20, 1);
	MMResponsePoints pts;
	double		d,
				avg;

	UNIT_OK(mm_response_points(&rc, 0.01, root, minz, &pts) == MM_OK, "S-curve points run");
	UNIT_NEAR(pts.peak, mm_hill_inflection(3, 1), 1e-7, "S-curve: peak of R' at the Hill inflection");
	UNIT_NEAR(pts.inflection, pts.peak, 0, "S-curve: inflection reported");
	mm_response(&rc, pts.breakeven, &d);
	UNIT_NEAR(d, 1, 1e-10, "S-curve: R'(s_BE) = 1");
	UNIT_OK(pts.breakeven > pts.peak, "S-curve: break-even on the decreasing branch (the larger root)");
	avg = mm_response(&rc, pts.breakeven, NULL) / pts.breakeven;
	mm_response(&rc, pts.pdr, &d);
	UNIT_NEAR(d, avg, 1e-9, "S-curve: R'(s_D) = R(s_BE)/s_BE");
	UNIT_OK(pts.peak < pts.pdr && pts.pdr < pts.breakeven, "S-curve: peak < s_D < s_BE");
}

/* adstock of x over n periods by the spec, divided by the scale */
static void
adstock_scaled(const MMChannelSpec *spec, const double *x, int n, double *a)
{
	double		work[256];

	mm_response_adstock(spec, x, n, a, NULL, work, NULL);
	for (int t = 0; t < n; t++)
		a[t] /= spec->input_scale;
}

#define NT 20
#define W0 8
#define WL 5

static void
test_window(void)
{
	MMChannelSpec spec = {MM_ADSTOCK_GEOMETRIC, 0.6, 0, 3, false, MM_SAT_HILL, 2, 1.5, 40.0, 7.0};
	MMChannelSpec spec2 = {MM_ADSTOCK_WEIBULL_PDF, 2.0, 2.0, 4, false, MM_SAT_POWER, 0.4, 0, 25.0, 0.3};
	MMChannelSpec rec = {MM_ADSTOCK_GEOMETRIC, 0.5, 0, -1, true, MM_SAT_HILL, 2, 1.5, 40.0, 7.0};
	double		x[NT],
				x2[NT],
				pat[WL],
				pat2[WL],
				carry[NT],
				unit[NT],
				carry2[NT],
				unit2[NT],
				a[NT],
				a0[NT],
				b[NT],
				b0[NT],
				other[NT],
				base[NT],
				work[256];
	double		S = 0.0,
				S2 = 0.0,
				want,
				worst;
	int			tail = mm_response_tail(&spec);
	int			m = WL + tail;
	MMResponseCurve rc;
	MMResponseChannel ch[2];

	UNIT_OK(tail == 3 && mm_response_tail(&spec2) == 4, "tail of a windowed adstock is max_lag");
	UNIT_OK(mm_response_tail(&rec) == 40, "tail of recursive theta = 0.5: 0.5^40 < 1e-12");

	for (int t = 0; t < NT; t++)
	{
		x[t] = 30.0 + 20.0 * sin(0.7 * t) + (t % 3) * 5.0;
		x2[t] = 10.0 + 8.0 * cos(0.4 * t);
	}
	for (int t = 0; t < WL; t++)
	{
		S += x[W0 + t];
		S2 += x2[W0 + t];
	}
	for (int t = 0; t < WL; t++)
	{
		pat[t] = x[W0 + t] / S;
		pat2[t] = x2[W0 + t] / S2;
	}
	UNIT_OK(mm_response_prepare(&spec, x, W0, pat, WL, tail, carry, unit, work, NULL) == MM_OK,
			"prepare runs");
	mm_response_prepare(&spec2, x2, W0, pat2, WL, tail, carry2, unit2, work, NULL);

	/* a_t(S) = carry + S unit is the adstock of (history, window, zeros) */
	{
		double		xs[NT] = {0};

		memcpy(xs, x, sizeof(double) * (W0 + WL));
		adstock_scaled(&spec, xs, W0 + m, a);
		worst = 0.0;
		for (int t = 0; t < m; t++)
			worst = fmax(worst, fabs(a[W0 + t] - (carry[t] + S * unit[t])));
		UNIT_OK(worst < 1e-13, "carry + S unit = adstock of the actual window (%.1e)", worst);
		/* counterfactual: window spend removed */
		memset(xs + W0, 0, sizeof(double) * WL);
		adstock_scaled(&spec, xs, W0 + m, a0);
		want = 0.0;
		for (int t = 0; t < m; t++)
			want += spec.coef * (mm_saturation(MM_SAT_HILL, 2, 1.5, a[W0 + t])
								 - mm_saturation(MM_SAT_HILL, 2, 1.5, a0[W0 + t]));
	}
	rc = (MMResponseCurve) {MM_FORM_ADDITIVE, m, {MM_SAT_HILL, 2, 1.5, 7.0, carry, unit}, NULL, 1.0, NULL};
	UNIT_NEAR(mm_response(&rc, S, NULL), want, 1e-12, "additive R(S) = direct counterfactual");
	UNIT_NEAR(mm_response(&rc, 0, NULL), 0, 0, "R(0) = 0");

	/* marginal = central difference, additive */
	worst = 0.0;
	for (double s = 5; s < 600; s *= 1.7)
	{
		double		d,
					h = 1e-4 * s,
					fd = (mm_response(&rc, s + h, NULL) - mm_response(&rc, s - h, NULL)) / (2 * h);

		mm_response(&rc, s, &d);
		worst = fmax(worst, fabs(d - fd) / fabs(d));
	}
	UNIT_OK(worst < 1e-7, "additive R' = central difference (worst relative %.1e)", worst);

	/* multiplicative: other = base x the second channel's factor */
	{
		double		xs[NT] = {0};

		memcpy(xs, x2, sizeof(double) * NT);
		adstock_scaled(&spec2, xs, NT, b);
		for (int t = 0; t < m; t++)
		{
			base[t] = 100.0 * (1.0 + 0.1 * t);
			other[t] = base[t] * exp(spec2.coef * mm_saturation(MM_SAT_POWER, 0.4, 0, b[W0 + t]));
		}
		(void) b0;
	}
	rc = (MMResponseCurve) {MM_FORM_MULTIPLICATIVE, m, {MM_SAT_HILL, 2, 1.5, 0.25, carry, unit}, other, 1.0, NULL};
	want = 0.0;
	for (int t = 0; t < m; t++)
		want += other[t] * (exp(0.25 * mm_saturation(MM_SAT_HILL, 2, 1.5, a[W0 + t]))
							- exp(0.25 * mm_saturation(MM_SAT_HILL, 2, 1.5, a0[W0 + t])));
	UNIT_NEAR(mm_response(&rc, S, NULL), want, 1e-10, "multiplicative R(S) = direct difference of products");
	worst = 0.0;
	for (double s = 5; s < 600; s *= 1.7)
	{
		double		d,
					h = 1e-4 * s,
					fd = (mm_response(&rc, s + h, NULL) - mm_response(&rc, s - h, NULL)) / (2 * h);

		mm_response(&rc, s, &d);
		worst = fmax(worst, fabs(d - fd) / fabs(d));
	}
	UNIT_OK(worst < 1e-7, "multiplicative R' = central difference (worst relative %.1e)", worst);

	/* vector response: C = 2 */
	ch[0] = (MMResponseChannel) {MM_SAT_HILL, 2, 1.5, 0.25, carry, unit};
	ch[1] = (MMResponseChannel) {MM_SAT_POWER, 0.4, 0, spec2.coef, carry2, unit2};
	{
		double		sv[2] = {S, S2},
					g[2],
					only[2] = {S, 0},
					fd,
					h;
		double		v = mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, m, base, sv, g, NULL);
		double		direct = 0.0;

		(void) v;
		/* moving only channel 0 with channel 1 at 0 in W: base x channel-1 carry-in factor */
		for (int t = 0; t < m; t++)
			other[t] = base[t] * exp(spec2.coef * mm_saturation(MM_SAT_POWER, 0.4, 0, carry2[t]));
		direct = mm_response(&rc, S, NULL);
		UNIT_NEAR(mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, m, base, only, NULL, NULL), direct,
				  1e-10, "vector response with one channel moved = that channel's curve");
		worst = 0.0;
		for (int c = 0; c < 2; c++)
		{
			double		up[2] = {sv[0], sv[1]},
						dn[2] = {sv[0], sv[1]};

			h = 1e-4 * sv[c];
			up[c] += h;
			dn[c] -= h;
			fd = (mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, m, base, up, NULL, NULL)
				  - mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, m, base, dn, NULL, NULL)) / (2 * h);
			worst = fmax(worst, fabs(g[c] - fd) / fabs(g[c]));
		}
		UNIT_OK(worst < 1e-7, "vector gradient = central differences (%.1e)", worst);

		/* additive vector = sum of the channel curves */
		{
			MMResponseCurve r0 = {MM_FORM_ADDITIVE, m, ch[0], NULL, 1, NULL},
						r1 = {MM_FORM_ADDITIVE, m, ch[1], NULL, 1, NULL};

			UNIT_NEAR(mm_response_vector(MM_FORM_ADDITIVE, ch, 2, m, NULL, sv, NULL, NULL),
					  mm_response(&r0, S, NULL) + mm_response(&r1, S2, NULL), 1e-12,
					  "additive vector response = sum of channel curves");
		}
	}

	/* recursive geometric: the lines still reproduce the adstock */
	{
		double		xs[NT] = {0},
					c3[NT],
					u3[NT];
		int			tl = 6;

		memcpy(xs, x, sizeof(double) * (W0 + WL));
		mm_response_prepare(&rec, x, W0, pat, WL, tl, c3, u3, work, NULL);
		adstock_scaled(&rec, xs, W0 + WL + tl, a);
		worst = 0.0;
		for (int t = 0; t < WL + tl; t++)
			worst = fmax(worst, fabs(a[W0 + t] - (c3[t] + S * u3[t])));
		UNIT_OK(worst < 1e-13, "recursive geometric lines reproduce the adstock (%.1e)", worst);
	}
}

static void
test_carryover(void)
{
	MMChannelSpec lin = {MM_ADSTOCK_GEOMETRIC, 0.5, 0, 2, false, MM_SAT_POWER, 1, 0, 1, 1};
	MMChannelSpec hill = {MM_ADSTOCK_GEOMETRIC, 0.5, 0, 2, false, MM_SAT_HILL, 1, 1, 1, 1};
	double		x[4] = {1, 0, 2, 0},
				a[4],
				sh[4],
				sp[4],
				w0,
				work[64];

	mm_response_adstock(&lin, x, 4, a, &w0, work, NULL);
	UNIT_NEAR(w0, 1, 0, "geometric w0 = 1");
	UNIT_NEAR(a[2], 2.25, 1e-15, "adstock 2 + 0.25");
	mm_carryover_immediate_share(MM_CARRY_PROPORTIONAL, &lin, w0, x, a, 4, sp);
	UNIT_NEAR(sp[0], 1, 0, "proportional: first period all immediate");
	UNIT_NEAR(sp[1], 0, 0, "proportional: no spend, all carry-over");
	UNIT_NEAR(sp[2], 2 / 2.25, 1e-15, "proportional: 2 / 2.25");
	mm_carryover_immediate_share(MM_CARRY_ROBYN, &lin, w0, x, a, 4, sh);
	UNIT_NEAR(sh[2], sp[2], 1e-15, "robyn = proportional for a linear curve");
	/* Hill K = 1, alpha = 1: s(2.25) = 2.25/3.25, s(0.25) = 0.2; carry first */
	mm_carryover_immediate_share(MM_CARRY_ROBYN, &hill, w0, x, a, 4, sh);
	UNIT_NEAR(sh[2], (2.25 / 3.25 - 0.2) / (2.25 / 3.25), 1e-15, "robyn: carry-over at the bottom of the Hill curve");
	UNIT_OK(sh[2] < sp[2], "robyn gives carry-over the steep part");
	{
		MMChannelSpec rec = {MM_ADSTOCK_GEOMETRIC, 0.3, 0, -1, true, MM_SAT_POWER, 1, 0, 1, 1};

		mm_response_adstock(&rec, x, 4, a, &w0, work, NULL);
		UNIT_NEAR(w0, 0.7, 1e-15, "normalised recursive geometric w0 = 1 - theta");
	}
}

static void
test_synergy(void)
{
	/* two channels over m = 4 periods, multiplicative; identity vs a direct second difference */
	double		act0[4] = {0.5, 0.8, 0.3, 0.1},
				act1[4] = {1.2, 0.2, 0.9, 0.4},
				u0[4] = {0.01, 0.006, 0.003, 0.001},
				u1[4] = {0.02, 0.0, 0.01, 0.004},
				base[4] = {100, 120, 90, 80},
				yhat[4],
				lift[8],
				S[4],
				score[4];
	MMResponseChannel ch[2] = {
		{MM_SAT_HILL, 1.5, 0.7, 0.4, act0, u0},
		{MM_SAT_POWER, 0.5, 0, 0.3, act1, u1},
	};
	double		s11[2] = {1, 1},
				s10[2] = {1, 0},
				s01[2] = {0, 1},
				direct;

	for (int t = 0; t < 4; t++)
		yhat[t] = base[t] * exp(0.4 * mm_saturation(MM_SAT_HILL, 1.5, 0.7, act0[t])
								+ 0.3 * sqrt(act1[t]));
	mm_synergy_lift(&ch[0], act0, 4, lift);
	mm_synergy_lift(&ch[1], act1, 4, lift + 4);
	mm_synergy_matrix(MM_FORM_MULTIPLICATIVE, 2, 4, yhat, lift, S, score, NULL);
	direct = mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, 4, base, s11, NULL, NULL)
		- mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, 4, base, s10, NULL, NULL)
		- mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, 4, base, s01, NULL, NULL);
	UNIT_NEAR(S[1], direct, 1e-9 * fabs(direct) + 1e-15, "synergy identity = second difference of predictions");
	UNIT_OK(S[1] > 0 && S[1] == S[2], "synergy positive for positive betas, symmetric");
	UNIT_NEAR(score[1], 10, 0, "largest pair scores 10");
	UNIT_OK(isnan(S[0]) && isnan(score[3]), "diagonal undefined");
	mm_synergy_matrix(MM_FORM_ADDITIVE, 2, 4, yhat, lift, S, score, NULL);
	UNIT_OK(S[1] == 0 && score[1] == 0, "additive synergy exactly 0, score 0");
}

static long interrupts;

static void
count_interrupt(void)
{
	interrupts++;
}

/*
 * Long series (issue 12, defect 4): the windowed adstock, the curve and the
 * synergy matrix call the interrupt callback while they run, so a cancel
 * reaches them.
 */
static void
test_interruptible(void)
{
	enum
	{
		N = 200000, LAGS = 2000
	};
	static double x[N],
				a[N],
				work[LAGS + 1 + 2 * N],
				carry[N],
				unit[N],
				lift[2 * N],
				yhat[N];
	MMChannelSpec spec = {MM_ADSTOCK_GEOMETRIC, 0.9, 0, LAGS - 1, false, MM_SAT_HILL, 2, 1, 1, 1};
	MMResponseCurve rc = {MM_FORM_ADDITIVE, N, {MM_SAT_HILL, 2, 1, 1, carry, unit}, NULL, 1.0,
	count_interrupt};
	MMResponseChannel ch[2] = {{MM_SAT_HILL, 2, 1, 1, carry, unit}, {MM_SAT_HILL, 2, 1, 1, carry, unit}};
	double		S[4],
				score[4],
				sv[2] = {1, 1};

	for (int t = 0; t < N; t++)
	{
		x[t] = t % 7;
		carry[t] = 0.5;
		unit[t] = 1.0 / N;
		yhat[t] = 1;
		lift[t] = lift[N + t] = 0.01;
	}
	interrupts = 0;
	UNIT_OK(mm_response_adstock(&spec, x, N, a, NULL, work, count_interrupt) == MM_OK &&
			interrupts >= (long) N * LAGS / (1 << 21),
			"a windowed adstock of %d x %d lags checks for interrupts (%ld calls)", N, LAGS, interrupts);
	interrupts = 0;
	(void) mm_response(&rc, 1.0, NULL);
	UNIT_OK(interrupts >= N / (1 << 17), "one curve evaluation over %d periods checks for interrupts (%ld)",
			N, interrupts);
	interrupts = 0;
	(void) mm_response_vector(MM_FORM_MULTIPLICATIVE, ch, 2, N, yhat, sv, NULL, count_interrupt);
	UNIT_OK(interrupts >= N / 2048, "a multiplicative response vector checks for interrupts (%ld)", interrupts);
	interrupts = 0;
	mm_synergy_matrix(MM_FORM_MULTIPLICATIVE, 2, N, yhat, lift, S, score, count_interrupt);
	UNIT_OK(interrupts >= 2, "the synergy matrix checks for interrupts (%ld)", interrupts);
}

void
test_response(void)
{
	root = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	minz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
	test_toys();
	test_s_curve();
	test_window();
	test_carryover();
	test_synergy();
	test_interruptible();
	gsl_root_fsolver_free(root);
	gsl_min_fminimizer_free(minz);
}
