/*
 * transform_grad.c: adstock weights and saturation curves with their
 * parameter derivatives (the chain rule of the log posterior's gradient).
 * Values are computed as adstock.c and saturation.c compute them.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "math/transform_grad.h"

static void
no_adstock(int L, double *w, double *dw1, double *dw2)
{
	for (int l = 0; l < L; l++)
	{
		w[l] = l == 0 ? 1.0 : 0.0;
		dw1[l] = dw2[l] = 0.0;
	}
}

/* w / sum(w) and its derivatives by the quotient rule */
static void
normalize_grad(int L, double *w, double *dw1, double *dw2)
{
	double		s = 0.0,
				s1 = 0.0,
				s2 = 0.0;

	for (int l = 0; l < L; l++)
	{
		s += w[l];
		s1 += dw1[l];
		s2 += dw2[l];
	}
	for (int l = 0; l < L; l++)
	{
		dw1[l] = dw1[l] / s - w[l] * s1 / (s * s);
		dw2[l] = dw2[l] / s - w[l] * s2 / (s * s);
		w[l] /= s;
	}
}

MMStatus
mm_adstock_weights_grad(MMAdstockKind kind, double p1, double p2, int L, bool normalize,
						double *w, double *dw1, double *dw2)
{
	if (L < 1 || isnan(p1) || isnan(p2))
		return MM_EDOM;
	for (int l = 0; l < L; l++)
		dw2[l] = 0.0;

	switch (kind)
	{
		case MM_ADSTOCK_GEOMETRIC:
			if (!(p1 >= 0.0 && p1 <= 1.0))
				return MM_EDOM;
			for (int l = 0; l < L; l++)
			{
				w[l] = pow(p1, (double) l);
				dw1[l] = l == 0 ? 0.0 : (double) l * pow(p1, (double) (l - 1));
			}
			break;

		case MM_ADSTOCK_DELAYED:
			if (!(p1 > 0.0 && p1 <= 1.0 && p2 >= 0.0 && p2 <= (double) (L - 1)))
				return MM_EDOM;
			for (int l = 0; l < L; l++)
			{
				double		d = (double) l - p2;

				w[l] = pow(p1, d * d);
				dw1[l] = d * d == 0.0 ? 0.0 : d * d * w[l] / p1;
				dw2[l] = -2.0 * d * log(p1) * w[l];
			}
			break;

		case MM_ADSTOCK_BINOMIAL:
			if (!(p1 > 0.0 && p1 <= 1.0))
				return MM_EDOM;
			for (int l = 0; l < L; l++)
			{
				double		base = 1.0 - (double) l / (double) L;

				w[l] = pow(base, 1.0 / p1 - 1.0);
				dw1[l] = -w[l] * log(base) / (p1 * p1);
			}
			normalize = true;
			break;

		case MM_ADSTOCK_WEIBULL_CDF:
			/* w_l = prod_{j<=l} S(j), d ln w_l = sum_{j<=l} d ln S(j) */
			{
				double		g1 = 0.0,
							g2 = 0.0;

				if (!(p1 > 0.0 && isfinite(p1) && p2 > 0.0 && isfinite(p2)))
					return MM_EDOM;
				w[0] = 1.0;
				dw1[0] = 0.0;
				for (int l = 1; l < L; l++)
				{
					double		r = (double) l / p2,
								rk = pow(r, p1);

					w[l] = w[l - 1] == 0.0 ? 0.0 : w[l - 1] * gsl_cdf_weibull_Q((double) l, p2, p1);
					g1 -= rk * log(r);
					g2 += p1 / p2 * rk;
					dw1[l] = w[l] * g1;
					dw2[l] = w[l] * g2;
				}
			}
			break;

		case MM_ADSTOCK_WEIBULL_PDF:
			/* min-max of f(1..L); the extremes' positions do not move locally */
			{
				int			imin = 0,
							imax = 0;
				double		span;

				if (!(p1 > 0.0 && isfinite(p1) && p2 > 0.0 && isfinite(p2)))
					return MM_EDOM;
				for (int l = 0; l < L; l++)
				{
					double		r = (double) (l + 1) / p2,
								rk = pow(r, p1);

					w[l] = gsl_ran_weibull_pdf((double) (l + 1), p2, p1);
					if (!isfinite(w[l]))
						return MM_EOVRFLW;
					dw1[l] = w[l] * (1.0 / p1 + log(r) - rk * log(r));
					dw2[l] = w[l] * p1 / p2 * (rk - 1.0);
					if (w[l] < w[imin])
						imin = l;
					if (w[l] > w[imax])
						imax = l;
				}
				span = w[imax] - w[imin];
				if (span == 0.0)
				{
					no_adstock(L, w, dw1, dw2);
					break;
				}
				{
					double		lo = w[imin],
								dlo1 = dw1[imin],
								dlo2 = dw2[imin],
								ds1 = dw1[imax] - dlo1,
								ds2 = dw2[imax] - dlo2;

					for (int l = 0; l < L; l++)
					{
						double		v = (w[l] - lo) / span;

						dw1[l] = (dw1[l] - dlo1) / span - v * ds1 / span;
						dw2[l] = (dw2[l] - dlo2) / span - v * ds2 / span;
						w[l] = v;
					}
				}
			}
			break;

		default:
			return MM_EDOM;
	}

	if (normalize)
		normalize_grad(L, w, dw1, dw2);
	return MM_OK;
}

MMStatus
mm_adstock_geometric_recursive_grad(const double *x, int n, double theta, bool normalize,
									double *a, double *da)
{
	double		u = 0.0,
				du = 0.0;

	if (!(theta >= 0.0 && theta < 1.0) || n < 0)
		return MM_EDOM;
	for (int t = 0; t < n; t++)
	{
		/* u_t = x_t + theta u_{t-1}: du_t = u_{t-1} + theta du_{t-1} */
		du = t == 0 ? 0.0 : u + theta * du;
		u = mm_adstock_geometric_step(x[t], theta, u, t == 0);
		a[t] = normalize ? u * (1.0 - theta) : u;
		da[t] = normalize ? du * (1.0 - theta) - u : du;
		if (!isfinite(a[t]) || !isfinite(da[t]))
			return MM_EOVRFLW;
	}
	return MM_OK;
}

static double
sech2(double z)
{
	double		c = cosh(z);

	return 1.0 / (c * c);
}

void
mm_saturation_grad(MMSaturationKind kind, double p1, double p2, double a, double g[4])
{
	g[0] = mm_saturation(kind, p1, p2, a);
	g[1] = mm_saturation_deriv(kind, p1, p2, a);
	g[2] = g[3] = 0.0;
	switch (kind)
	{
		case MM_SAT_HILL:
			/* s = 1/(1 + e^z), z = alpha (ln K - ln a): ds = -s (1 - s) dz */
			if (a > 0.0)
			{
				double		lk = log(p2) - log(a),
							v = g[0] * (1.0 - g[0]);

				g[2] = -v * lk;
				g[3] = -v * p1 / p2;
			}
			break;
		case MM_SAT_LOGISTIC:
			g[2] = a / 2.0 * sech2(p1 * a / 2.0);
			break;
		case MM_SAT_MICHAELIS_MENTEN:
			g[2] = a / (p2 + a);
			g[3] = -p1 * a / ((p2 + a) * (p2 + a));
			break;
		case MM_SAT_POWER:
			g[2] = a > 0.0 ? g[0] * log(a) : 0.0;
			break;
		case MM_SAT_TANH:
			{
				double		u = a / (p1 * p2),
							s2 = sech2(u);

				g[2] = tanh(u) - u * s2;
				g[3] = -p1 * u * s2 / p2;
			}
			break;
	}
}

void
mm_saturation_grad_n(MMSaturationKind kind, double p1, double p2, const double *a, int n,
					 double scale, double *s, double *dsda, double *ds1, double *ds2)
{
	if (kind == MM_SAT_HILL)
	{
		/* s = 1/(1 + e), e = (K/v)^alpha: ds = -s(1-s) dz, z = alpha (ln K - ln v) */
		double		lk = log(p2);

		for (int i = 0; i < n; i++)
		{
			double		v = a[i] / scale;

			if (v > 0.0)
			{
				double		lr = lk - log(v),
							e = exp(p1 * lr),
							si = 1.0 / (1.0 + e),
							w = isinf(e) ? 0.0 : si * (e * si);

				s[i] = si;
				dsda[i] = p1 * w / v / scale;
				ds1[i] = -w * lr;
				ds2[i] = -w * p1 / p2;
			}
			else
			{
				s[i] = 0.0;
				dsda[i] = (p1 < 1.0 ? INFINITY : p1 == 1.0 ? 1.0 / p2 : 0.0) / scale;
				ds1[i] = ds2[i] = 0.0;
			}
		}
		return;
	}
	for (int i = 0; i < n; i++)
	{
		double		g[4];

		mm_saturation_grad(kind, p1, p2, a[i] / scale, g);
		s[i] = g[0];
		dsda[i] = g[1] / scale;
		ds1[i] = g[2];
		ds2[i] = g[3];
	}
}
