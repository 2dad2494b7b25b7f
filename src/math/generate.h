/*
 * generate.h: raw marketing data with a known marketing-mix truth.
 *
 * The numerical core of mixmodel.generate_raw_data (doc/generator.md): spend
 * and send paths, factor paths, the weekly truth model and its decomposition,
 * the split of the weekly KPI into days, and the event rows of one day.  Plain
 * C on GSL's random distributions; the caller owns every buffer and the
 * gsl_rng (gsl_rng_mt19937) so that a seed fixes every value.
 */
#ifndef MM_GENERATE_H
#define MM_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "math/mm_status.h"
#include "math/mmm.h"

typedef enum MMGenChannelType
{
	MM_GEN_PAID_WEEKLY,			/* TV-like: weekly spend and GRPs */
	MM_GEN_PAID_DAILY,			/* digital: daily spend, impressions, clicks */
	MM_GEN_OWNED				/* email, push, sms: daily sends, no spend */
} MMGenChannelType;

typedef enum MMGenPattern
{
	MM_GEN_FLIGHTED,			/* on/off flights of several weeks */
	MM_GEN_SEASONAL,			/* yearly cycle and weekday pattern */
	MM_GEN_SPIKY,				/* low base with bursts of a few days */
	MM_GEN_ALWAYS_ON,			/* steady level, slowly drifting */
	MM_GEN_BURSTS				/* owned sends: base plus campaign days */
} MMGenPattern;

/* One channel of the generator's vocabulary, with its true response. */
typedef struct MMGenChannelDef
{
	const char *name;
	MMGenChannelType type;
	MMGenPattern pattern;
	double		weight;			/* paid: relative budget; owned: sends per revenue unit */
	double		target;			/* paid: target ROI; owned: target share of revenue */
	double		unit_cost;		/* weekly: cost per GRP; daily: cost per click */
	double		rate;			/* daily: clicks per impression; owned: open rate */
	MMChannelSpec spec;			/* adstock and saturation; input_scale, coef set by mm_gen_truth */
} MMGenChannelDef;

/* The vocabulary: number of channels and the i-th, or the one named (NULL if unknown). */
extern int	mm_gen_channel_count(void);
extern const MMGenChannelDef *mm_gen_channel_at(int i);
extern const MMGenChannelDef *mm_gen_channel_find(const char *name);

/*
 * A random true response for a channel (generator option shapes "random"):
 * the adstock one of windowed geometric, delayed, Weibull PDF (absolute
 * lambda) or binomial, normalised, and the saturation one of Hill, logistic,
 * Michaelis-Menten, tanh or power, each with random parameters, so that data
 * are not shaped to a model's defaults.  input_scale and coef are left to
 * mm_gen_truth.
 */
extern void mm_gen_random_shape(gsl_rng *r, MMChannelSpec *spec);

/* Fold a 64-bit seed (and a stream number) into the 32 bits mt19937 uses. */
extern unsigned long mm_gen_seed(int64_t seed, int64_t stream);

/*
 * A spend or send path of n periods with mean "level".  year_phase[i] is the
 * day of year of period i divided by 365.25; weekday[i] is 0 (Monday) .. 6,
 * or NULL for weekly periods.
 */
extern MMStatus mm_gen_path(gsl_rng *r, MMGenPattern pattern, int n,
							const double *year_phase, const int *weekday,
							double level, double *out);

/*
 * Factor paths over n weeks and m months: price index (weekly, about 1, with
 * promotion weeks), competitor spend (weekly, about 0.15 * level) and
 * consumer confidence (monthly, about 100).
 */
extern void mm_gen_factors(gsl_rng *r, int n, int m, double level,
						   double *price, double *competitor, double *confidence);

#define MM_GEN_NFACTORS 3
extern const char *const mm_gen_factor_names[MM_GEN_NFACTORS];

/* Truth model inputs (weekly). */
typedef struct MMGenModel
{
	MMModelForm form;
	int			T;				/* weeks */
	int			C;				/* channels */
	double		level;			/* mean weekly KPI L */
	double		noise;			/* additive: sd / L; multiplicative: sd of ln */
	const double *x;			/* C x T inputs, row-major (spend or sends) */
	const double *target;		/* C: ROI (paid) or revenue share (owned) */
	const bool *paid;			/* C */
	const double *year_phase;	/* T: day of year of the week start / 365.25 */
	const double *holiday;		/* T: 1 in holiday weeks */
	const double *z;			/* MM_GEN_NFACTORS x T factor values */
	MMChannelSpec *spec;		/* C: adstock and saturation in; input_scale, coef out */
	bool		fixed_scale;	/* spec[c].input_scale (> 0) is the caller's: kept, not set to
								 * the mean adstocked input */
} MMGenModel;

/* Terms of truth_contributions, in this order, then the C channels. */
#define MM_GEN_TERM_BASE 0
#define MM_GEN_TERM_TREND 1
#define MM_GEN_TERM_SEASON 2
#define MM_GEN_TERM_HOLIDAY 3
#define MM_GEN_TERM_FACTOR0 4
#define MM_GEN_NFIXED (MM_GEN_TERM_FACTOR0 + MM_GEN_NFACTORS)

/* The model's scalar parameters, as stored in truth_parameters. */
typedef struct MMGenParams
{
	double		base;			/* additive: beta_0; multiplicative: beta_0 in ln */
	double		trend;			/* trend_t = trend * t / (T - 1) */
	double		season_cos1;	/* season = L? * (c1 cos(2 pi (p - peak)) + c2 cos(4 pi (p - peak))) */
	double		season_cos2;
	double		season_peak;	/* peak as a year phase (day of year / 365.25) */
	double		holiday;		/* effect of a holiday week */
	double		gamma[MM_GEN_NFACTORS];
	double		noise_sd;
} MMGenParams;

/*
 * The mean over T periods of a channel's adstocked input x (the input_scale
 * mm_gen_truth gives a channel without fixed_scale; 1 when not positive).
 * work holds at least 3 * T doubles.
 */
extern MMStatus mm_gen_adstock_mean(const MMChannelSpec *spec, const double *x, int T,
									double *work, double *mean);

/*
 * Draw the truth: fills spec[c].input_scale (unless fixed_scale) and .coef, params, contrib
 * ((MM_GEN_NFIXED + C) x T, row-major: terms of formulas §2.1 or the
 * log_share decomposition of §2.2), mu (noiseless KPI), y (KPI with noise).
 * work holds at least 3 * T doubles.  MM_EDOM if a KPI comes out <= 0.
 */
extern MMStatus mm_gen_truth(gsl_rng *r, const MMGenModel *m, MMGenParams *params,
							 double *contrib, double *mu, double *y, double *work);

/*
 * Split a week's KPI y into 7 days of online and store revenue: days by a
 * Dirichlet around a weekday pattern, online share around online_share.
 * The 14 parts sum to y (to rounding).
 */
extern void mm_gen_split_week(gsl_rng *r, double y, double online_share,
							  double online[7], double store[7]);

/* One event row of a day. */
typedef struct MMGenEvent
{
	int64_t		profile_id;
	int64_t		usec;			/* microseconds after midnight UTC */
	int			campaign;		/* index into the day's weights; -1 for a conversion */
	double		revenue;		/* conversions only */
} MMGenEvent;

/*
 * The touches + conversions events of one day, in time order.  Touches draw
 * their campaign from "table" (NULL when touches = 0); conversions get
 * revenues summing to "revenue" and, most often, the profile of a recent
 * touch.  alpha and share are work arrays of "conversions" doubles.
 */
extern MMStatus mm_gen_events_day(gsl_rng *r, int64_t conversions, double revenue,
								  int64_t touches, int64_t profiles,
								  const gsl_ran_discrete_t *table,
								  double *alpha, double *share, MMGenEvent *rows);

/* Gregorian Easter Sunday of a year (anonymous Gregorian computus). */
extern void mm_gen_easter(int year, int *month, int *day);

#endif
