/*
 * generate.c: raw marketing data with a known marketing-mix truth.
 *
 * Every random value comes from the caller's gsl_rng through GSL's
 * distributions, in a fixed order, so a seed fixes the data.  The truth
 * applies the same adstock and saturation core the model fits with
 * (adstock.h, saturation.h) to an MMChannelSpec per channel.
 */
#include <math.h>
#include <string.h>

#include "math/decompose.h"
#include "math/generate.h"

/*
 * The vocabulary.  Adstock and saturation parameters are absolute, with the
 * saturation applied to the adstocked input divided by its mean over the
 * weeks (input_scale), so K near 1 puts a typical week mid-curve.
 */
#define SPEC(ak, a1, a2, lag, nrm, sk, s1, s2) \
	{ (ak), (a1), (a2), (lag), (nrm), (sk), (s1), (s2), 1.0, 0.0 }

static const MMGenChannelDef channel_defs[] = {
	{"tv", MM_GEN_PAID_WEEKLY, MM_GEN_FLIGHTED, 0.35, 1.6, 500.0, 0,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.6, 0, -1, true, MM_SAT_HILL, 2.0, 1.0)},
	{"radio", MM_GEN_PAID_WEEKLY, MM_GEN_FLIGHTED, 0.10, 1.2, 150.0, 0,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.4, 0, 6, true, MM_SAT_HILL, 1.5, 0.9)},
	{"ooh", MM_GEN_PAID_WEEKLY, MM_GEN_FLIGHTED, 0.08, 0.8, 120.0, 0,
	SPEC(MM_ADSTOCK_WEIBULL_CDF, 1.5, 3.0, 8, true, MM_SAT_HILL, 1.8, 1.1)},
	{"print", MM_GEN_PAID_WEEKLY, MM_GEN_FLIGHTED, 0.05, 0.6, 80.0, 0,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.3, 0, 4, true, MM_SAT_POWER, 0.5, 0)},
	{"search", MM_GEN_PAID_DAILY, MM_GEN_SEASONAL, 0.25, 2.8, 1.2, 0.05,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.15, 0, 3, false, MM_SAT_HILL, 1.2, 0.8)},
	{"social", MM_GEN_PAID_DAILY, MM_GEN_SPIKY, 0.15, 1.4, 0.9, 0.012,
	SPEC(MM_ADSTOCK_DELAYED, 0.5, 1.0, 6, true, MM_SAT_HILL, 1.5, 1.0)},
	{"display", MM_GEN_PAID_DAILY, MM_GEN_ALWAYS_ON, 0.10, 0.9, 2.5, 0.002,
	SPEC(MM_ADSTOCK_BINOMIAL, 0.5, 0, 6, true, MM_SAT_LOGISTIC, 1.2, 0)},
	{"video", MM_GEN_PAID_DAILY, MM_GEN_ALWAYS_ON, 0.10, 1.1, 3.0, 0.004,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.5, 0, 6, true, MM_SAT_HILL, 2.5, 1.2)},
	{"affiliate", MM_GEN_PAID_DAILY, MM_GEN_ALWAYS_ON, 0.05, 2.0, 1.5, 0.02,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.0, 0, 0, false, MM_SAT_MICHAELIS_MENTEN, 1.0, 1.5)},
	{"email", MM_GEN_OWNED, MM_GEN_BURSTS, 2.0, 0.03, 0, 0.22,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.3, 0, 3, true, MM_SAT_HILL, 1.0, 1.0)},
	{"push", MM_GEN_OWNED, MM_GEN_BURSTS, 1.0, 0.015, 0, 0.08,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.2, 0, 2, true, MM_SAT_TANH, 1.0, 1.0)},
	{"sms", MM_GEN_OWNED, MM_GEN_BURSTS, 0.2, 0.01, 0, 0.35,
	SPEC(MM_ADSTOCK_GEOMETRIC, 0.1, 0, 2, true, MM_SAT_HILL, 1.0, 0.5)},
};

#define NCHANNELS ((int) (sizeof(channel_defs) / sizeof(channel_defs[0])))

const char *const mm_gen_factor_names[MM_GEN_NFACTORS] = {
	"price_index", "competitor_spend", "consumer_confidence"
};

int
mm_gen_channel_count(void)
{
	return NCHANNELS;
}

const MMGenChannelDef *
mm_gen_channel_at(int i)
{
	return (i >= 0 && i < NCHANNELS) ? &channel_defs[i] : NULL;
}

const MMGenChannelDef *
mm_gen_channel_find(const char *name)
{
	for (int i = 0; i < NCHANNELS; i++)
		if (strcmp(channel_defs[i].name, name) == 0)
			return &channel_defs[i];
	return NULL;
}

/*
 * splitmix64's finaliser (Steele, Lea & Flood 2014) mixes seed and stream so
 * nearby seeds give unrelated mt19937 states; mt19937 keeps 32 bits.
 */
unsigned long
mm_gen_seed(int64_t seed, int64_t stream)
{
	uint64_t	z = (uint64_t) seed + 0x9E3779B97F4A7C15ULL * ((uint64_t) stream + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long) ((z ^ (z >> 32)) & 0xFFFFFFFFULL);
}

/* Shopping by weekday, Monday first (more on Monday and Friday). */
static const double weekday_pattern[7] = {1.10, 1.02, 1.00, 1.00, 1.05, 0.90, 0.93};

MMStatus
mm_gen_path(gsl_rng *r, MMGenPattern pattern, int n, const double *year_phase,
			const int *weekday, double level, double *out)
{
	double		sum = 0.0;
	int			run = 0;		/* periods left in the current flight or burst */
	bool		on = true;
	double		mult = 1.0;
	double		drift = 0.0;

	if (n < 1 || !(level >= 0.0) || !isfinite(level))
		return MM_EDOM;

	for (int i = 0; i < n; i++)
	{
		double		v = 0.0;
		double		season = 1.0 + 0.35 * cos(2.0 * M_PI * (year_phase[i] - 0.93));
		double		wd = weekday ? weekday_pattern[weekday[i]] : 1.0;

		switch (pattern)
		{
			case MM_GEN_FLIGHTED:
				if (run == 0)
				{
					/* alternate flights of 4+ weeks on and 2+ weeks off */
					on = (i == 0) ? true : !on;
					run = on ? 4 + (int) gsl_ran_poisson(r, 3.0) : 2 + (int) gsl_ran_poisson(r, 2.0);
					mult = on ? gsl_ran_lognormal(r, 0.0, 0.3) : 0.0;
				}
				v = on ? mult * season * gsl_ran_lognormal(r, 0.0, 0.15) : 0.0;
				run--;
				break;
			case MM_GEN_SEASONAL:

				/*
				 * The yearly cycle times a weekly budget: bid and budget
				 * changes drift (AR(1) on the log scale) and now and then a
				 * campaign is pushed or paused for a few weeks.  Without
				 * them the spend would be the seasonality terms scaled, and
				 * no model could tell search from season (doc/model.md,
				 * "Recovering a known model").
				 */
				if (!weekday || weekday[i] == 0 || i == 0)
				{
					drift = 0.8 * drift + gsl_ran_gaussian(r, 0.2);
					if (run > 0)
						run--;
					else if (gsl_rng_uniform(r) < 0.08)
					{
						run = 2 + (int) gsl_ran_poisson(r, 2.0);
						mult = gsl_rng_uniform(r) < 0.5 ? 0.05 : 1.8;
					}
					else
						mult = 1.0;
				}
				v = season * wd * exp(drift) * mult * gsl_ran_lognormal(r, 0.0, 0.1);
				break;
			case MM_GEN_SPIKY:
				if (run == 0 && gsl_rng_uniform(r) < 0.03)
				{
					run = 3 + (int) gsl_ran_poisson(r, 4.0);
					mult = 2.0 + gsl_ran_gamma(r, 2.0, 1.5);
				}
				v = 0.6 * wd * gsl_ran_lognormal(r, 0.0, 0.2) * (run > 0 ? mult : 1.0);
				if (run > 0)
					run--;
				break;
			case MM_GEN_ALWAYS_ON:
				/* never off, but the weekly budget is reset now and then */
				if (!weekday || weekday[i] == 0 || i == 0)
					drift = 0.8 * drift + gsl_ran_gaussian(r, 0.15);
				v = exp(drift) * gsl_ran_lognormal(r, 0.0, 0.08);
				break;
			case MM_GEN_BURSTS:
				v = 0.3 * gsl_ran_lognormal(r, 0.0, 0.1);
				if (gsl_rng_uniform(r) < 2.0 / 7.0)
					v += 1.0 + gsl_ran_gamma(r, 4.0, 0.5);
				break;
		}
		out[i] = v;
		sum += v;
	}
	if (!(sum > 0.0))
		return MM_OK;			/* all zero: nothing to scale */
	for (int i = 0; i < n; i++)
		out[i] *= level * n / sum;
	return MM_OK;
}

void
mm_gen_factors(gsl_rng *r, int n, int m, double level,
			   double *price, double *competitor, double *confidence)
{
	double		u = 0.0,
				c = 0.0,
				cc = 0.0;

	for (int i = 0; i < n; i++)
	{
		/* list price drifts (AR(1)); about one week in twelve is a promotion */
		u = 0.9 * u + gsl_ran_gaussian(r, 0.02);
		price[i] = 1.0 + u - (gsl_rng_uniform(r) < 0.08 ? 0.10 : 0.0);
		c = 0.7 * c + gsl_ran_gaussian(r, 0.3);
		competitor[i] = 0.15 * level * exp(c);
	}
	for (int j = 0; j < m; j++)
	{
		cc = 0.95 * cc + gsl_ran_gaussian(r, 1.5);
		confidence[j] = 100.0 + cc;
	}
}

void
mm_gen_random_shape(gsl_rng *r, MMChannelSpec *spec)
{
	int			ak = (int) gsl_rng_uniform_int(r, 4),
				sk = (int) gsl_rng_uniform_int(r, 5);

	spec->adstock_normalize = true;
	spec->adstock_p2 = 0.0;
	switch (ak)
	{
		case 0:
			spec->adstock = MM_ADSTOCK_GEOMETRIC;
			spec->adstock_p1 = gsl_ran_flat(r, 0.1, 0.7);
			spec->max_lag = 8;
			break;
		case 1:
			spec->adstock = MM_ADSTOCK_DELAYED;
			spec->adstock_p1 = gsl_ran_flat(r, 0.3, 0.8);
			spec->adstock_p2 = gsl_ran_flat(r, 0.5, 3.0);
			spec->max_lag = 8;
			break;
		case 2:
			spec->adstock = MM_ADSTOCK_WEIBULL_PDF;
			spec->adstock_p1 = gsl_ran_flat(r, 0.8, 3.0);
			spec->adstock_p2 = gsl_ran_flat(r, 1.0, 4.0);
			spec->max_lag = 10;
			break;
		default:
			spec->adstock = MM_ADSTOCK_BINOMIAL;
			spec->adstock_p1 = gsl_ran_flat(r, 0.2, 0.9);
			spec->max_lag = 8;
			break;
	}
	switch (sk)
	{
		case 0:
			spec->saturation = MM_SAT_HILL;
			spec->sat_p1 = gsl_ran_flat(r, 0.8, 3.0);
			spec->sat_p2 = gsl_ran_flat(r, 0.5, 1.8);
			break;
		case 1:
			spec->saturation = MM_SAT_LOGISTIC;
			spec->sat_p1 = gsl_ran_flat(r, 0.5, 3.0);
			spec->sat_p2 = 0.0;
			break;
		case 2:
			spec->saturation = MM_SAT_MICHAELIS_MENTEN;
			spec->sat_p1 = 1.0;
			spec->sat_p2 = gsl_ran_flat(r, 0.3, 2.0);
			break;
		case 3:
			spec->saturation = MM_SAT_TANH;
			spec->sat_p1 = 1.0;
			spec->sat_p2 = gsl_ran_flat(r, 0.5, 2.5);
			break;
		default:
			spec->saturation = MM_SAT_POWER;
			spec->sat_p1 = gsl_ran_flat(r, 0.3, 0.8);
			spec->sat_p2 = 0.0;
			break;
	}
}

/* Adstock then saturation of one channel's input; out gets s_t, a gets a_t. */
static MMStatus
channel_response(MMChannelSpec *spec, const double *x, int T, double *a,
				 double *w, double *out, bool set_scale)
{
	MMStatus	st;
	double		mean = 0.0;

	if (spec->max_lag < 0)
		st = mm_adstock_geometric_recursive(x, T, spec->adstock_p1, spec->adstock_normalize, a);
	else
	{
		int			L = spec->max_lag + 1;

		st = mm_adstock_weights(spec->adstock, spec->adstock_p1, spec->adstock_p2,
								L, spec->adstock_normalize, w);
		if (st == MM_OK)
			mm_adstock_convolve(x, T, w, L, a);
	}
	if (st != MM_OK)
		return st;

	if (set_scale)
	{
		for (int t = 0; t < T; t++)
			mean += a[t];
		mean /= T;
		spec->input_scale = mean > 0.0 ? mean : 1.0;
	}
	for (int t = 0; t < T; t++)
		out[t] = mm_saturation(spec->saturation, spec->sat_p1, spec->sat_p2,
							   a[t] / spec->input_scale);
	return MM_OK;
}

MMStatus
mm_gen_adstock_mean(const MMChannelSpec *spec, const double *x, int T, double *work, double *mean)
{
	MMChannelSpec copy = *spec;
	MMStatus	st;

	if (T < 1 || spec->max_lag + 1 > T)
		return MM_EDOM;
	st = channel_response(&copy, x, T, work, work + T, work + 2 * T, true);
	if (st == MM_OK)
		*mean = copy.input_scale;
	return st;
}

MMStatus
mm_gen_truth(gsl_rng *r, const MMGenModel *m, MMGenParams *pp,
			 double *contrib, double *mu, double *y, double *work)
{
	const int	T = m->T;
	const int	C = m->C;
	const bool	mult = (m->form == MM_FORM_MULTIPLICATIVE);
	const double L = m->level;
	/* additive terms are in KPI units, multiplicative ones in ln units */
	const double u = mult ? 1.0 : L;
	double	   *a = work;
	double	   *w = work + T;
	double	   *s = work + 2 * T;
	double		mean_rest = 0.0;

	if (T < 2 || C < 0 || !(L > 0.0) || w == NULL)
		return MM_EDOM;

	pp->trend = 0.10 * u;
	pp->season_cos1 = 0.08 * u;
	pp->season_cos2 = 0.03 * u;
	pp->season_peak = 0.93;		/* early December */
	pp->holiday = 0.12 * u;
	pp->gamma[0] = -0.8 * u;	/* price index about 1 */
	pp->gamma[1] = -0.2 * u / L;	/* competitor spend about 0.15 L */
	pp->gamma[2] = 0.002 * u;	/* consumer confidence about 100 */
	pp->noise_sd = mult ? m->noise : m->noise * L;

	/* channels: g_ct = coef s_c(a_ct / input_scale), coef calibrated to the target */
	for (int c = 0; c < C; c++)
	{
		double	   *g = contrib + (size_t) (MM_GEN_NFIXED + c) * T;
		double		sum_s = 0.0,
					sum_x = 0.0;
		MMStatus	st;

		if (m->spec[c].max_lag + 1 > T)
			return MM_EDOM;
		if (m->fixed_scale && !(m->spec[c].input_scale > 0.0 && isfinite(m->spec[c].input_scale)))
			return MM_EDOM;
		st = channel_response(&m->spec[c], m->x + (size_t) c * T, T, a, w, s, !m->fixed_scale);
		if (st != MM_OK)
			return st;
		for (int t = 0; t < T; t++)
		{
			sum_s += s[t];
			sum_x += m->x[(size_t) c * T + t];
		}
		if (sum_s > 0.0)
			m->spec[c].coef = m->paid[c]
				? m->target[c] * sum_x / (sum_s * (mult ? L : 1.0))
				: m->target[c] * T * (mult ? 1.0 : L) / sum_s;
		else
			m->spec[c].coef = 0.0;
		for (int t = 0; t < T; t++)
			g[t] = m->spec[c].coef * s[t];
	}

	/* fixed terms except base, and their mean */
	for (int t = 0; t < T; t++)
	{
		double		ph = m->year_phase[t] - pp->season_peak;
		double		rest = 0.0;

		contrib[MM_GEN_TERM_TREND * T + t] = pp->trend * t / (T - 1);
		contrib[MM_GEN_TERM_SEASON * T + t] = pp->season_cos1 * cos(2.0 * M_PI * ph)
			+ pp->season_cos2 * cos(4.0 * M_PI * ph);
		contrib[MM_GEN_TERM_HOLIDAY * T + t] = pp->holiday * m->holiday[t];
		for (int k = 0; k < MM_GEN_NFACTORS; k++)
			contrib[(MM_GEN_TERM_FACTOR0 + k) * T + t] = pp->gamma[k] * m->z[(size_t) k * T + t];
		for (int j = MM_GEN_TERM_TREND; j < MM_GEN_NFIXED + C; j++)
			rest += contrib[(size_t) j * T + t];
		mean_rest += rest / T;
	}
	/* base puts the mean KPI (additive) or mean ln KPI (multiplicative) at L */
	pp->base = mult ? log(L) - mean_rest : L - mean_rest;

	for (int t = 0; t < T; t++)
	{
		double		eps = gsl_ran_gaussian(r, pp->noise_sd);

		if (!mult)
		{
			double		sum = pp->base;

			contrib[MM_GEN_TERM_BASE * T + t] = pp->base;
			for (int j = MM_GEN_TERM_TREND; j < MM_GEN_NFIXED + C; j++)
				sum += contrib[(size_t) j * T + t];
			mu[t] = sum;
			y[t] = sum + eps;
		}
		else
		{
			/* log_share (LMDI-I): P pure base, B media off, mu everything */
			double		pure = contrib[MM_GEN_TERM_TREND * T + t] + contrib[MM_GEN_TERM_SEASON * T + t];
			double		fac = contrib[MM_GEN_TERM_HOLIDAY * T + t];
			double		med = 0.0;
			double		E0 = exp(pp->base),
						P,
						B,
						Lpe,
						Lbp,
						Lmb;

			for (int k = 0; k < MM_GEN_NFACTORS; k++)
				fac += contrib[(MM_GEN_TERM_FACTOR0 + k) * T + t];
			for (int c = 0; c < C; c++)
				med += contrib[(size_t) (MM_GEN_NFIXED + c) * T + t];
			P = exp(pp->base + pure);
			B = exp(pp->base + pure + fac);
			mu[t] = exp(pp->base + pure + fac + med);
			y[t] = mu[t] * exp(eps);
			Lpe = mm_log_mean(P, E0);
			Lbp = mm_log_mean(B, P);
			Lmb = mm_log_mean(mu[t], B);
			contrib[MM_GEN_TERM_BASE * T + t] = E0;
			contrib[MM_GEN_TERM_TREND * T + t] *= Lpe;
			contrib[MM_GEN_TERM_SEASON * T + t] *= Lpe;
			for (int j = MM_GEN_TERM_HOLIDAY; j < MM_GEN_NFIXED; j++)
				contrib[(size_t) j * T + t] *= Lbp;
			for (int c = 0; c < C; c++)
				contrib[(size_t) (MM_GEN_NFIXED + c) * T + t] *= Lmb;
		}
		if (!(y[t] > 0.0) || !isfinite(y[t]))
			return MM_EDOM;
	}
	return MM_OK;
}

void
mm_gen_split_week(gsl_rng *r, double y, double online_share,
				  double online[7], double store[7])
{
	double		alpha[7],
				day[7];
	double		done = 0.0;

	for (int d = 0; d < 7; d++)
		alpha[d] = 200.0 * weekday_pattern[d];
	gsl_ran_dirichlet(r, 7, alpha, day);
	for (int d = 0; d < 7; d++)
	{
		/* online share wanders a little around its mean, weekends higher */
		double		os = gsl_ran_beta(r, 400.0 * online_share, 400.0 * (1.0 - online_share));
		double		part = y * day[d];

		online[d] = part * os;
		store[d] = part - online[d];
		done += online[d] + store[d];
	}
	/* the last part absorbs rounding so the 14 parts sum to y */
	store[6] += y - done;
	if (store[6] < 0.0)
	{
		online[6] += store[6];
		store[6] = 0.0;
	}
}

MMStatus
mm_gen_events_day(gsl_rng *r, int64_t conversions, double revenue,
				  int64_t touches, int64_t profiles,
				  const gsl_ran_discrete_t *table,
				  double *alpha, double *share, MMGenEvent *rows)
{
	const int64_t n = touches + conversions;
	const double day_usec = 86400.0e6;
	double		total = 0.0,
				paid = 0.0;
	int64_t		conv_left = conversions;
	int64_t		conv_done = 0;
	int64_t		recent[64];
	int			nrecent = 0;

	if (conversions < 0 || touches < 0 || profiles < 1 ||
		(touches > 0 && table == NULL) || !(revenue >= 0.0))
		return MM_EDOM;
	if (n == 0)
		return MM_OK;

	/*
	 * Sorted times: cumulative exponential spacings over their total are
	 * sorted uniforms (the cumulative sums wait in the revenue field).
	 */
	for (int64_t i = 0; i <= n; i++)
	{
		total += gsl_ran_exponential(r, 1.0);
		if (i < n)
			rows[i].revenue = total;
	}

	/* conversion revenues: a Dirichlet(2, ..., 2) share each of the day's revenue */
	if (conversions > 0)
	{
		for (int64_t i = 0; i < conversions; i++)
			alpha[i] = 2.0;
		gsl_ran_dirichlet(r, (size_t) conversions, alpha, share);
	}

	for (int64_t i = 0; i < n; i++)
	{
		/* each remaining slot is a conversion with the remaining odds */
		bool		is_conv = conv_left > 0 &&
			gsl_rng_uniform(r) * (double) (n - i) < (double) conv_left;
		MMGenEvent *e = &rows[i];

		e->usec = (int64_t) floor(rows[i].revenue / total * day_usec);
		if (e->usec >= (int64_t) day_usec)
			e->usec = (int64_t) day_usec - 1;

		if (is_conv)
		{
			e->campaign = -1;
			/* most buyers touched something earlier that day */
			if (nrecent > 0 && gsl_rng_uniform(r) < 0.7)
				e->profile_id = recent[gsl_rng_uniform_int(r, (unsigned long) nrecent)];
			else
				e->profile_id = 1 + (int64_t) gsl_rng_uniform_int(r, (unsigned long) profiles);
			e->revenue = (conv_left == 1) ? revenue - paid : revenue * share[conv_done];
			if (e->revenue < 0.0)
				e->revenue = 0.0;
			paid += e->revenue;
			conv_left--;
			conv_done++;
		}
		else
		{
			e->campaign = (int) gsl_ran_discrete(r, table);
			e->profile_id = 1 + (int64_t) gsl_rng_uniform_int(r, (unsigned long) profiles);
			e->revenue = 0.0;
			recent[nrecent < 64 ? nrecent++ : (int) (i % 64)] = e->profile_id;
		}
	}
	return MM_OK;
}

void
mm_gen_easter(int year, int *month, int *day)
{
	/* anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
	int			a = year % 19,
				b = year / 100,
				c = year % 100,
				d = b / 4,
				e = b % 4,
				f = (b + 8) / 25,
				g = (b - f + 1) / 3,
				h = (19 * a + b - d - g + 15) % 30,
				i = c / 4,
				k = c % 4,
				l = (32 + 2 * e + 2 * i - h - k) % 7,
				mm = (a + 11 * h + 22 * l) / 451;

	*month = (h + l - 7 * mm + 114) / 31;
	*day = (h + l - 7 * mm + 114) % 31 + 1;
}
