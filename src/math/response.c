/*
 * response.c: response curves, marginal return, break-even point, point of
 * diminishing returns, carry-over split and next-dollar synergy
 * (formulas.md §4.2-§4.7).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "math/response.h"

#define ROOT_ITER 200
#define PEAK_GRID 256
/* periods of curve evaluation between two calls of the interrupt callback */
#define CHECK_EVERY (1 << 16)

int
mm_response_tail(const MMChannelSpec *spec)
{
	double		theta = spec->adstock_p1;
	double		k;

	if (spec->max_lag >= 0)
		return spec->max_lag;
	if (!(theta > 0.0))
		return 0;
	if (!(theta < 1.0))
		return MM_RESPONSE_MAX_TAIL;
	k = ceil(log(1e-12) / log(theta));
	return k > MM_RESPONSE_MAX_TAIL ? MM_RESPONSE_MAX_TAIL : (int) k;
}

long
mm_response_prepare_work(const MMChannelSpec *spec, int n)
{
	long		L = spec->max_lag >= 0 ? spec->max_lag + 1 : 1;

	return L + 2L * (n > 0 ? n : 1);
}

MMStatus
mm_response_adstock(const MMChannelSpec *spec, const double *x, int n,
					double *a, double *w0, double *work, MMInterruptFn interrupt)
{
	MMStatus	st;

	if (spec->max_lag < 0)
	{
		if (w0)
			*w0 = spec->adstock_normalize ? 1.0 - spec->adstock_p1 : 1.0;
		return mm_adstock_geometric_recursive(x, n, spec->adstock_p1,
											  spec->adstock_normalize, a);
	}
	st = mm_adstock_weights(spec->adstock, spec->adstock_p1, spec->adstock_p2,
							spec->max_lag + 1, spec->adstock_normalize, work);
	if (st != MM_OK)
		return st;
	if (w0)
		*w0 = work[0];
	return mm_adstock_convolve_interruptible(x, n, work, spec->max_lag + 1, a, interrupt);
}

MMStatus
mm_response_prepare(const MMChannelSpec *spec, const double *x, int start,
					const double *pattern, int len, int tail,
					double *carry, double *unit, double *work, MMInterruptFn interrupt)
{
	int			n = start + len + tail;
	long		L = spec->max_lag >= 0 ? spec->max_lag + 1 : 1;
	double	   *in = work + L;
	double	   *out = in + n;
	MMStatus	st;

	if (start < 0 || len < 1 || tail < 0 || !(spec->input_scale > 0.0))
		return MM_EDOM;

	/* carry-in: the actual input before W, nothing from W on */
	memcpy(in, x, sizeof(double) * start);
	memset(in + start, 0, sizeof(double) * (len + tail));
	if ((st = mm_response_adstock(spec, in, n, out, NULL, work, interrupt)) != MM_OK)
		return st;
	for (int t = 0; t < len + tail; t++)
		carry[t] = out[start + t] / spec->input_scale;

	/* one unit of window spend spread by the pattern */
	memset(in, 0, sizeof(double) * n);
	memcpy(in + start, pattern, sizeof(double) * len);
	if ((st = mm_response_adstock(spec, in, n, out, NULL, work, interrupt)) != MM_OK)
		return st;
	for (int t = 0; t < len + tail; t++)
		unit[t] = out[start + t] / spec->input_scale;
	return MM_OK;
}

/* beta s(a) and its derivative in a for one channel */
static inline double
term(const MMResponseChannel *ch, double a)
{
	return ch->coef * mm_saturation(ch->saturation, ch->sat_p1, ch->sat_p2, a);
}

static inline double
term_deriv(const MMResponseChannel *ch, double a)
{
	return ch->coef * mm_saturation_deriv(ch->saturation, ch->sat_p1, ch->sat_p2, a);
}

double
mm_response(const void *curve, double s, double *deriv)
{
	const MMResponseCurve *rc = curve;
	const MMResponseChannel *ch = &rc->ch;
	double		r = 0.0,
				dr = 0.0;

	for (int t = 0; t < rc->m; t++)
	{
		double		c = ch->carry[t],
					d = ch->unit[t],
					g0,
					g1;

		if (rc->interrupt && (t & (CHECK_EVERY - 1)) == CHECK_EVERY - 1)
			rc->interrupt();
		if (d == 0.0)
			continue;			/* the window's spend does not reach t */
		g0 = term(ch, c);
		g1 = term(ch, c + s * d);
		if (rc->form == MM_FORM_ADDITIVE)
		{
			r += g1 - g0;
			if (deriv)
				dr += term_deriv(ch, c + s * d) * d;
		}
		else
		{
			/* o (e^g1 - e^g0) = o e^g0 expm1(g1 - g0): no cancellation */
			r += rc->other[t] * exp(g0) * expm1(g1 - g0);
			if (deriv)
				dr += rc->other[t] * exp(g1) * term_deriv(ch, c + s * d) * d;
		}
	}
	if (deriv)
		*deriv = dr;
	return r;
}

double
mm_response_marginal(const void *curve, double s)
{
	double		d;

	(void) mm_response(curve, s, &d);
	return d;
}

double
mm_response_vector(MMModelForm form, const MMResponseChannel *ch, int C, int m,
				   const double *base, const double *s, double *grad,
				   MMInterruptFn interrupt)
{
	double		r = 0.0;

	if (grad)
		for (int c = 0; c < C; c++)
			grad[c] = 0.0;

	if (form == MM_FORM_ADDITIVE)
	{
		for (int c = 0; c < C; c++)
		{
			MMResponseCurve rc = {MM_FORM_ADDITIVE, m, ch[c], NULL, 1.0, interrupt};

			r += mm_response(&rc, s[c], grad ? &grad[c] : NULL);
		}
		return r;
	}

	for (int t = 0; t < m; t++)
	{
		double		G0 = 0.0,
					G1 = 0.0,
					y1;

		if (interrupt && (t & (CHECK_EVERY / 64 - 1)) == 0)
			interrupt();
		for (int c = 0; c < C; c++)
		{
			G0 += term(&ch[c], ch[c].carry[t]);
			G1 += term(&ch[c], ch[c].carry[t] + s[c] * ch[c].unit[t]);
		}
		r += base[t] * exp(G0) * expm1(G1 - G0);
		if (grad)
		{
			y1 = base[t] * exp(G1);
			for (int c = 0; c < C; c++)
				if (ch[c].unit[t] != 0.0)
					grad[c] += y1 * term_deriv(&ch[c], ch[c].carry[t] + s[c] * ch[c].unit[t])
						* ch[c].unit[t];
		}
	}
	return r;
}

/* value R'(s) - level, for the root finder */
typedef struct LevelArg
{
	const MMResponseCurve *rc;
	double		level;
} LevelArg;

static double
level_gap(double s, void *p)
{
	const LevelArg *la = p;

	return la->rc->value * mm_response_marginal(la->rc, s) - la->level;
}

/*
 * Brent on [lo, hi] with gap(lo) >= 0 > gap(hi).  A non-finite gap at lo
 * (R'(0) = +inf) is first moved right by bisection, since GSL wants finite
 * values at the ends.
 */
static MMStatus
solve_gap(LevelArg *la, double lo, double hi, gsl_root_fsolver *root, double *s)
{
	gsl_function F = {level_gap, la};
	double		glo = level_gap(lo, la);
	int			status,
				iter = 0;

	for (int i = 0; i < 400 && !isfinite(glo); i++)
	{
		double		mid = 0.5 * (lo + hi);
		double		gm = level_gap(mid, la);

		if (isfinite(gm) && gm < 0.0)
			hi = mid;
		else if (isfinite(gm))
		{
			lo = mid;
			glo = gm;
		}
		else
			lo = mid;
	}
	if (!isfinite(glo))
		return MM_ENOCONV;
	if (glo == 0.0)
	{
		*s = lo;
		return MM_OK;
	}
	if (gsl_root_fsolver_set(root, &F, lo, hi) != GSL_SUCCESS)
		return MM_ENOCONV;
	do
	{
		status = gsl_root_fsolver_iterate(root);
		if (status != GSL_SUCCESS)
			return MM_ENOCONV;
		status = gsl_root_test_interval(gsl_root_fsolver_x_lower(root),
										gsl_root_fsolver_x_upper(root),
										0.0, 1e-13);
	} while (status == GSL_CONTINUE && ++iter < ROOT_ITER);
	*s = gsl_root_fsolver_root(root);
	return status == GSL_SUCCESS ? MM_OK : MM_ENOCONV;
}

MMStatus
mm_response_level(const MMResponseCurve *rc, double level, double s_ref,
				  gsl_root_fsolver *root, double *s)
{
	LevelArg	la = {rc, level};
	double		prev_s = 0.0,
				prev_g = level_gap(0.0, &la);

	*s = NAN;
	if (!(s_ref > 0.0) || !isfinite(s_ref))
		s_ref = 1.0;
	for (int k = -40; k <= 60; k++)
	{
		double		sk = ldexp(s_ref, k);
		double		gk = level_gap(sk, &la);

		if (isnan(gk))
			return MM_EOVRFLW;
		if (prev_g >= 0.0 && gk < 0.0)
			return solve_gap(&la, prev_s, sk, root, s);
		prev_s = sk;
		prev_g = gk;
	}
	return MM_OK;
}

static double
neg_marginal(double s, void *p)
{
	return -mm_response_marginal(p, s);
}

MMStatus
mm_response_peak(const MMResponseCurve *rc, double s_hi, gsl_min_fminimizer *min,
				 double *s_peak)
{
	double		best = -INFINITY,
				best_s = 0.0;
	int			best_i = 0;
	gsl_function F = {neg_marginal, (void *) rc};

	*s_peak = 0.0;
	if (!(s_hi > 0.0) || !isfinite(s_hi))
		return MM_OK;
	for (int i = 0; i <= PEAK_GRID; i++)
	{
		double		si = s_hi * i / PEAK_GRID;
		double		di = mm_response_marginal(rc, si);

		if (di > best)
		{
			best = di;
			best_s = si;
			best_i = i;
		}
	}
	if (best_i == 0)
		return MM_OK;			/* R' falls from 0: concave */

	/* refine inside the neighbouring grid cells when the grid point is interior */
	if (best_i < PEAK_GRID)
	{
		double		lo = s_hi * (best_i - 1) / PEAK_GRID,
					hi = s_hi * (best_i + 1) / PEAK_GRID;
		int			status,
					iter = 0;

		if (gsl_min_fminimizer_set(min, &F, best_s, lo, hi) == GSL_SUCCESS)
		{
			do
			{
				if (gsl_min_fminimizer_iterate(min) != GSL_SUCCESS)
					break;
				status = gsl_min_test_interval(gsl_min_fminimizer_x_lower(min),
											   gsl_min_fminimizer_x_upper(min),
											   0.0, 1e-10);
			} while (status == GSL_CONTINUE && ++iter < ROOT_ITER);
			if (-gsl_min_fminimizer_f_minimum(min) >= best)
				best_s = gsl_min_fminimizer_x_minimum(min);
		}
	}
	*s_peak = best_s;
	return MM_OK;
}

MMStatus
mm_response_pdr(const MMResponseCurve *rc, double s_be, double s_peak,
				gsl_root_fsolver *root, double *s_d)
{
	LevelArg	la = {rc, 0.0};

	*s_d = NAN;
	if (!(s_be > 0.0) || !isfinite(s_be))
		return MM_OK;
	la.level = rc->value * mm_response(rc, s_be, NULL) / s_be;
	if (!(la.level > 1.0) || !(s_peak < s_be))
		return MM_OK;
	if (!(level_gap(s_peak, &la) >= 0.0))
		return MM_OK;			/* a peak narrower than the grid: leave it undefined */
	return solve_gap(&la, s_peak, s_be, root, s_d);
}

MMStatus
mm_response_points(const MMResponseCurve *rc, double s_ref, gsl_root_fsolver *root,
				   gsl_min_fminimizer *min, MMResponsePoints *pts)
{
	MMStatus	st;
	double		hi;

	if (!(s_ref > 0.0) || !isfinite(s_ref))
		s_ref = 1.0;
	if ((st = mm_response_level(rc, 1.0, s_ref, root, &pts->breakeven)) != MM_OK)
		return st;
	/* the peak lies before the break-even point; without one, look to 8x the reference */
	hi = isnan(pts->breakeven) ? 8.0 * s_ref : pts->breakeven;
	if ((st = mm_response_peak(rc, hi, min, &pts->peak)) != MM_OK)
		return st;
	pts->inflection = pts->peak > 0.0 ? pts->peak : NAN;
	return mm_response_pdr(rc, pts->breakeven, pts->peak, root, &pts->pdr);
}

void
mm_carryover_immediate_share(MMCarryRule rule, const MMChannelSpec *spec, double w0,
							 const double *x, const double *a, int n, double *share)
{
	for (int t = 0; t < n; t++)
	{
		double		imm = w0 * x[t];
		double		total = a[t];

		share[t] = 0.0;
		if (!(total > 0.0))
			continue;
		if (imm > total)
			imm = total;		/* rounding in the convolution */
		if (rule == MM_CARRY_PROPORTIONAL)
			share[t] = imm / total;
		else
		{
			/* carry-over first, at the bottom of the curve (Robyn) */
			double		st = mm_saturation(spec->saturation, spec->sat_p1, spec->sat_p2,
										   total / spec->input_scale);
			double		so = mm_saturation(spec->saturation, spec->sat_p1, spec->sat_p2,
										   (total - imm) / spec->input_scale);

			if (st != 0.0)
				share[t] = (st - so) / st;
		}
	}
}

void
mm_synergy_lift(const MMResponseChannel *ch, const double *actual, int m, double *lift)
{
	for (int t = 0; t < m; t++)
		lift[t] = ch->unit[t] == 0.0 ? 0.0
			: expm1(term(ch, actual[t] + ch->unit[t]) - term(ch, actual[t]));
}

void
mm_synergy_matrix(MMModelForm form, int C, int m, const double *yhat,
				  const double *lift, double *S, double *score, MMInterruptFn interrupt)
{
	double		top = 0.0;

	for (int c = 0; c < C; c++)
		for (int d = 0; d < C; d++)
		{
			double		v = 0.0;

			if (interrupt)
				interrupt();

			if (c == d)
			{
				S[c * C + d] = NAN;
				continue;
			}
			if (form == MM_FORM_MULTIPLICATIVE)
				for (int t = 0; t < m; t++)
					v += yhat[t] * lift[(long) c * m + t] * lift[(long) d * m + t];
			S[c * C + d] = v;
			if (v > top)
				top = v;
		}
	for (int i = 0; i < C * C; i++)
		score[i] = isnan(S[i]) ? NAN : (top > 0.0 ? 10.0 * S[i] / top : 0.0);
}
