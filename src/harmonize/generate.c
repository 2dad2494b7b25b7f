/*
 * generate.c: mixmodel.generate_raw_data, raw marketing tables with a known truth.
 *
 * Validates the arguments, draws every value with the core (src/math/
 * generate.c) from one seeded gsl_rng in a fixed order, and writes the tables
 * through SPI: rows are buffered into arrays and inserted with unnest(), the
 * events a day at a time through mixmodel.generate_events_day.  Layout and
 * model: doc/generator.md.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "experiment/generate.h"
#include "harmonize/batch.h"
#include "harmonize/generate_common.h"
#include "harmonize/generate_journeys.h"
#include "math/generate.h"

PG_FUNCTION_INFO_V1(generate_raw_data);

#define MAX_CHANNELS 12

/* Tables in creation order; the result lists them in this order. */
enum
{
	TB_DAILY_MEDIA, TB_WEEKLY_MEDIA, TB_SENDS, TB_EVENTS, TB_CONVERSIONS,
	TB_FACTORS, TB_HOLIDAYS, TB_WIDE, TB_TRUTH_PARAMS, TB_TRUTH_CONTRIB,
	TB_TRUTH_KPI, TB_EXP_UNITS, TB_EXP_TRUTH, NTABLES
};

static const char *const table_names[NTABLES] = {
	"daily_media", "weekly_media", "sends", "events", "conversions_daily",
	"factors", "holidays", "weekly_wide", "truth_parameters",
	"truth_contributions", "truth_kpi", "experiment_assignments", "experiment_truth"
};

/* With option journeys: the events' columns, and two more tables of truth. */
static const char *const journey_events_columns =
"event_id bigint NOT NULL, profile_id bigint NOT NULL, session_id bigint, event_ts timestamptz NOT NULL, "
"event_type text NOT NULL, channel text, campaign text, journey text, message text, action text, "
"conversion_type text, revenue float8";
#define NJOURNEY_TABLES 2
static const char *const journey_table_names[NJOURNEY_TABLES] = {"truth_attribution", "truth_conversions"};
static const char *const journey_table_columns[NJOURNEY_TABLES] = {
	"week date NOT NULL, channel text NOT NULL, conversions bigint NOT NULL, revenue float8 NOT NULL",
	"event_id bigint NOT NULL, cause text NOT NULL, touch_event_id bigint"
};

/* Column lists (weekly_wide is built per call). */
static const char *const table_columns[NTABLES] = {
	"day date NOT NULL, channel text NOT NULL, campaign text NOT NULL, geo text NOT NULL, "
	"spend float8 NOT NULL, impressions bigint NOT NULL, clicks bigint NOT NULL, "
	"loaded_at timestamptz NOT NULL, restated boolean NOT NULL",
	"week date NOT NULL, channel text NOT NULL, spend float8 NOT NULL, grps float8 NOT NULL, "
	"impressions bigint NOT NULL",
	"send_date date NOT NULL, channel text NOT NULL, journey text NOT NULL, campaign text NOT NULL, "
	"sends bigint NOT NULL, opens bigint NOT NULL, clicks bigint NOT NULL",
	"profile_id bigint NOT NULL, event_ts timestamptz NOT NULL, event_type text NOT NULL, "
	"channel text, campaign text, conversion_type text, revenue float8",
	"day date NOT NULL, conversion_type text NOT NULL, orders bigint NOT NULL, revenue float8 NOT NULL",
	"date date NOT NULL, factor_name text NOT NULL, factor_value float8 NOT NULL, "
	"factor_type text NOT NULL, value_type text NOT NULL, granularity text NOT NULL",
	"country text NOT NULL, holiday_date date NOT NULL, holiday_name text NOT NULL",
	NULL,
	"channel text NOT NULL, parameter text NOT NULL, value float8, setting text",
	"week date NOT NULL, term text NOT NULL, contribution float8 NOT NULL",
	"week date NOT NULL, expected float8 NOT NULL, noise float8 NOT NULL, kpi float8 NOT NULL",
	"experiment text NOT NULL, treatment text NOT NULL, profile_id bigint NOT NULL, "
	"assigned_at timestamptz NOT NULL, channel text NOT NULL, campaign text, opened int, clicked int, "
	"converted int NOT NULL, orders int NOT NULL, revenue float8 NOT NULL",
	"experiment text NOT NULL, kind text NOT NULL, channel text NOT NULL, treatment text NOT NULL, "
	"control boolean NOT NULL, share float8 NOT NULL, start_date date NOT NULL, end_date date NOT NULL, "
	"open_rate float8, click_rate float8, conversion_rate float8 NOT NULL, revenue_per_unit float8 NOT NULL, "
	"rate_lift float8, incremental_revenue float8"
};

/* Options (doc/generator.md). */
typedef struct GenOptions
{
	double		noise;
	int			geos;
	int			campaigns;
	double		restatement_share;
	int			forecast_weeks;
	int64		profiles;		/* 0: events / 20 */
	double		aov;
	double		online_share;
	double		spend_ratio;
	bool		replace;
	bool		experiments;	/* write the experiment tables' rows */
	char	   *lift_channel;	/* NULL: tv, else the first paid channel */
	bool		journeys;		/* events with persons, sessions, journeys and true causes */
	bool		random_shapes;	/* shapes "random": each channel's true response drawn */
} GenOptions;

void
gen_exec_sql(const char *sql)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc < 0)
		elog(ERROR, "generate: \"%s\" failed: %s", sql, SPI_result_code_string(rc));
}

/* Number from an option value, or 22023 naming the key. */
double
gen_option_number(JsonbValue *v, const char *key)
{
	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be a number", key)));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

int64
gen_option_integer(JsonbValue *v, const char *key, int64 lo, int64 hi)
{
	double		d = gen_option_number(v, key);

	if (d != floor(d) || d < (double) lo || d > (double) hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be an integer in the range [%lld, %lld]",
						key, (long long) lo, (long long) hi),
				 errdetail("Got %g.", d)));
	return (int64) d;
}

static void
parse_options(Jsonb *jb, GenOptions *o)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	o->noise = 0.05;
	o->geos = 3;
	o->campaigns = 2;
	o->restatement_share = 0.2;
	o->forecast_weeks = 13;
	o->profiles = 0;
	o->aov = 80.0;
	o->online_share = 0.4;
	o->spend_ratio = 0.15;
	o->replace = false;
	o->experiments = true;
	o->lift_channel = NULL;
	o->journeys = false;
	o->random_shapes = false;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a jsonb object"),
				 errhint("For example '{\"noise\": 0.1, \"geos\": 5}'.")));

	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (strcmp(key, "noise") == 0)
		{
			o->noise = gen_option_number(&v, key);
			mm_check_range(o->noise, "noise", 0.0, true, 0.3, true);
		}
		else if (strcmp(key, "geos") == 0)
			o->geos = (int) gen_option_integer(&v, key, 1, 50);
		else if (strcmp(key, "campaigns") == 0)
			o->campaigns = (int) gen_option_integer(&v, key, 1, 10);
		else if (strcmp(key, "restatement_share") == 0)
		{
			o->restatement_share = gen_option_number(&v, key);
			mm_check_range(o->restatement_share, "restatement_share", 0.0, true, 1.0, true);
		}
		else if (strcmp(key, "forecast_weeks") == 0)
			o->forecast_weeks = (int) gen_option_integer(&v, key, 0, 104);
		else if (strcmp(key, "profiles") == 0)
			o->profiles = gen_option_integer(&v, key, 1, 4294967295LL);
		else if (strcmp(key, "aov") == 0)
		{
			o->aov = gen_option_number(&v, key);
			mm_check_range(o->aov, "aov", 0.0, false, 1e6, true);
		}
		else if (strcmp(key, "online_share") == 0)
		{
			o->online_share = gen_option_number(&v, key);
			mm_check_range(o->online_share, "online_share", 0.0, false, 1.0, false);
		}
		else if (strcmp(key, "spend_ratio") == 0)
		{
			o->spend_ratio = gen_option_number(&v, key);
			mm_check_range(o->spend_ratio, "spend_ratio", 0.0, false, 2.0, true);
		}
		else if (strcmp(key, "shapes") == 0)
		{
			char	   *sv = v.type == jbvString ? pnstrdup(v.val.string.val, v.val.string.len) : NULL;

			if (sv == NULL || (strcmp(sv, "vocabulary") != 0 && strcmp(sv, "random") != 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"shapes\" must be \"vocabulary\" or \"random\"")));
			o->random_shapes = strcmp(sv, "random") == 0;
		}
		else if (strcmp(key, "replace") == 0 || strcmp(key, "experiments") == 0)
		{
			if (v.type != jbvBool)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"%s\" must be a boolean", key)));
			if (key[0] == 'r')
				o->replace = v.val.boolean;
			else
				o->experiments = v.val.boolean;
		}
		else if (strcmp(key, "lift_channel") == 0)
		{
			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"lift_channel\" must be a channel name")));
			o->lift_channel = pnstrdup(v.val.string.val, v.val.string.len);
		}
		else if (strcmp(key, "journeys") == 0)
		{
			if (v.type != jbvBool)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"journeys\" must be a boolean")));
			o->journeys = v.val.boolean;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\"", key),
					 errhint("Known options: noise, geos, campaigns, restatement_share, "
							 "forecast_weeks, profiles, aov, online_share, spend_ratio, shapes, replace, "
							 "experiments, lift_channel, journeys.")));
	}
}

/* Calendar helpers on DateADT (days since 2000-01-01). */
DateADT
gen_ymd_date(int y, int m, int d)
{
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

void
gen_date_ymd(DateADT dt, int *y, int *m, int *d)
{
	j2date(dt + POSTGRES_EPOCH_JDATE, y, m, d);
}

/* 0 = Monday .. 6 = Sunday */
int
gen_date_weekday(DateADT dt)
{
	return (j2day(dt + POSTGRES_EPOCH_JDATE) + 6) % 7;
}

double
gen_date_year_phase(DateADT dt)
{
	int			y,
				m,
				d;

	gen_date_ymd(dt, &y, &m, &d);
	return (dt - gen_ymd_date(y, 1, 1)) / 365.25;
}

/* n-th (1-based) weekday wd (0 = Monday) of a month; n = -1 for the last. */
static DateADT
nth_weekday(int y, int m, int wd, int n)
{
	if (n > 0)
	{
		DateADT		first = gen_ymd_date(y, m, 1);

		return first + (wd - gen_date_weekday(first) + 7) % 7 + 7 * (n - 1);
	}
	else
	{
		DateADT		last = gen_ymd_date(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;

		return last - (gen_date_weekday(last) - wd + 7) % 7;
	}
}

typedef struct Holiday
{
	const char *country;
	DateADT		date;
	const char *name;
} Holiday;

/* US and DE public holidays of one year; returns the count (at most 19). */
static int
holidays_of_year(int y, Holiday *h)
{
	int			em,
				ed,
				n = 0;
	DateADT		easter,
				thanksgiving;

	mm_gen_easter(y, &em, &ed);
	easter = gen_ymd_date(y, em, ed);
	thanksgiving = nth_weekday(y, 11, 3, 4);
#define ADD(c, dt, nm) (h[n].country = (c), h[n].date = (dt), h[n].name = (nm), n++)
	ADD("US", gen_ymd_date(y, 1, 1), "New Year's Day");
	ADD("US", nth_weekday(y, 1, 0, 3), "Martin Luther King Jr. Day");
	ADD("US", nth_weekday(y, 2, 0, 3), "Presidents' Day");
	ADD("US", easter, "Easter Sunday");
	ADD("US", nth_weekday(y, 5, 0, -1), "Memorial Day");
	ADD("US", gen_ymd_date(y, 7, 4), "Independence Day");
	ADD("US", nth_weekday(y, 9, 0, 1), "Labor Day");
	ADD("US", thanksgiving, "Thanksgiving Day");
	ADD("US", thanksgiving + 1, "Black Friday");
	ADD("US", gen_ymd_date(y, 12, 25), "Christmas Day");
	ADD("DE", gen_ymd_date(y, 1, 1), "Neujahr");
	ADD("DE", easter - 2, "Karfreitag");
	ADD("DE", easter + 1, "Ostermontag");
	ADD("DE", gen_ymd_date(y, 5, 1), "Tag der Arbeit");
	ADD("DE", easter + 39, "Christi Himmelfahrt");
	ADD("DE", easter + 50, "Pfingstmontag");
	ADD("DE", gen_ymd_date(y, 10, 3), "Tag der Deutschen Einheit");
	ADD("DE", gen_ymd_date(y, 12, 25), "1. Weihnachtstag");
	ADD("DE", gen_ymd_date(y, 12, 26), "2. Weihnachtstag");
#undef ADD
	return n;
}

double
gen_round_cents(double v)
{
	return nearbyint(v * 100.0) / 100.0;
}

static Datum
text_datum(const char *s)
{
	return CStringGetTextDatum(s);
}

const char *
gen_adstock_name(MMAdstockKind k)
{
	switch (k)
	{
		case MM_ADSTOCK_GEOMETRIC:
			return "geometric";
		case MM_ADSTOCK_WEIBULL_CDF:
			return "weibull_cdf";
		case MM_ADSTOCK_WEIBULL_PDF:
			return "weibull_pdf";
		case MM_ADSTOCK_DELAYED:
			return "delayed";
		case MM_ADSTOCK_BINOMIAL:
			return "binomial";
	}
	return "?";
}

const char *
gen_saturation_name(MMSaturationKind k)
{
	switch (k)
	{
		case MM_SAT_HILL:
			return "hill";
		case MM_SAT_LOGISTIC:
			return "logistic";
		case MM_SAT_MICHAELIS_MENTEN:
			return "michaelis_menten";
		case MM_SAT_POWER:
			return "power";
		case MM_SAT_TANH:
			return "tanh";
	}
	return "?";
}

static const char *
channel_type_name(MMGenChannelType t)
{
	return t == MM_GEN_PAID_WEEKLY ? "paid_weekly" : t == MM_GEN_PAID_DAILY ? "paid_daily" : "owned";
}

/* One truth_parameters row. */
static void
param_row(Batch *b, const char *channel, const char *parameter, double value, const char *setting)
{
	B_SET(b, 0, text_datum(channel));
	B_SET(b, 1, text_datum(parameter));
	if (isnan(value))
		B_NULL(b, 2);
	else
		B_SET(b, 2, Float8GetDatum(value));
	if (setting)
		B_SET(b, 3, text_datum(setting));
	else
		B_NULL(b, 3);
	batch_next(b);
}

/* Everything one call needs, shared by the table writers. */
typedef struct Gen
{
	int64		seed;
	int			T;				/* weeks */
	int			D;				/* days = 7 T */
	int			F;				/* forecast weeks */
	DateADT		start;
	MMModelForm form;
	int64		events;
	GenOptions	o;
	int			C;
	const MMGenChannelDef *def[MAX_CHANNELS];
	MMChannelSpec spec[MAX_CHANNELS];
	double		level;
	gsl_rng    *r;
	char	   *schema;			/* quoted */
	double	   *x;				/* C x T weekly model input */
	double	   *impressions;	/* C x T weekly true impressions */
	double	   *grps;			/* C x T weekly GRPs */
	int			ntouch;			/* campaigns that make touches */
	Datum	   *touch_channel;
	Datum	   *touch_campaign;
	double	   *touch_clicks;	/* D x ntouch clicks of true rows */
	int			exp_owned;		/* owned channel of the content experiment, or -1 */
	double	   *exp_sends;		/* D daily sends of that channel */
	int64		counts[NTABLES];
} Gen;

static char *
qualified(Gen *g, int table)
{
	return psprintf("%s.%s", g->schema, quote_identifier(table_names[table]));
}

static char *
campaign_name(const char *channel, int k)
{
	return psprintf("%s_c%d", channel, k + 1);
}

/* daily_media: digital channels by day x campaign x geo, social restated. */
static void
write_daily_media(Gen *g)
{
	static const Oid types[] = {DATEOID, TEXTOID, TEXTOID, TEXTOID, FLOAT8OID, INT8OID, INT8OID,
	TIMESTAMPTZOID, BOOLOID};
	Batch		b;
	double	   *geo_share = palloc(sizeof(double) * g->o.geos);
	double	   *alpha = palloc(sizeof(double) * Max(g->o.geos, g->o.campaigns));
	double	   *camp = palloc(sizeof(double) * g->o.campaigns);
	double	   *path = palloc(sizeof(double) * g->D);
	double	   *phase = palloc(sizeof(double) * g->D);
	int		   *wd = palloc(sizeof(int) * g->D);
	Datum	   *geo_txt = palloc(sizeof(Datum) * g->o.geos);
	double		paid_weight = 0.0;
	int			tcol = 0;

	batch_init(&b, qualified(g, TB_DAILY_MEDIA), lengthof(types), types);
	for (int i = 0; i < g->o.geos; i++)
	{
		alpha[i] = 3.0;
		geo_txt[i] = text_datum(psprintf("geo_%02d", i + 1));
	}
	gsl_ran_dirichlet(g->r, g->o.geos, alpha, geo_share);
	for (int i = 0; i < g->D; i++)
	{
		phase[i] = gen_date_year_phase(g->start + i);
		wd[i] = i % 7;
	}
	for (int c = 0; c < g->C; c++)
		if (g->def[c]->type != MM_GEN_OWNED)
			paid_weight += g->def[c]->weight;

	for (int c = 0; c < g->C; c++)
	{
		const MMGenChannelDef *def = g->def[c];
		Datum		ch_txt;
		Datum	   *cp_txt;
		bool		restates = strcmp(def->name, "social") == 0;

		if (def->type != MM_GEN_PAID_DAILY)
		{
			if (def->type == MM_GEN_OWNED)
				tcol += g->o.campaigns;
			continue;
		}
		ch_txt = text_datum(def->name);
		cp_txt = palloc(sizeof(Datum) * g->o.campaigns);
		for (int k = 0; k < g->o.campaigns; k++)
			cp_txt[k] = text_datum(campaign_name(def->name, k));
		mixmodel_check_core(mm_gen_path(g->r, def->pattern, g->D, phase, wd,
										g->o.spend_ratio * g->level / 7.0 * def->weight / paid_weight,
										path), "generate_raw_data");
		for (int i = 0; i < g->D; i++)
		{
			DateADT		day = g->start + i;
			int			t = i / 7;

			/* campaign mix changes every quarter (13 weeks) */
			if (i % 91 == 0)
			{
				for (int k = 0; k < g->o.campaigns; k++)
					alpha[k] = 5.0;
				gsl_ran_dirichlet(g->r, g->o.campaigns, alpha, camp);
			}
			for (int k = 0; k < g->o.campaigns; k++)
				for (int q = 0; q < g->o.geos; q++)
				{
					double		spend = gen_round_cents(path[i] * camp[k] * geo_share[q]);
					double		cpc = def->unit_cost * gsl_ran_lognormal(g->r, 0.0, 0.1);
					double		clicks = spend > 0 ? (double) gsl_ran_poisson(g->r, spend / cpc) : 0.0;
					double		impr = nearbyint(spend / cpc / (def->rate * gsl_ran_lognormal(g->r, 0.0, 0.1)));
					TimestampTz first_load = (TimestampTz) (day + 1) * USECS_PER_DAY + 6 * USECS_PER_HOUR;

					if (impr < clicks)
						impr = clicks;
					g->x[c * g->T + t] += spend;
					g->impressions[c * g->T + t] += impr;
					g->touch_clicks[(size_t) i * g->ntouch + tcol + k] += clicks;

					B_SET(&b, 0, DateADTGetDatum(day));
					B_SET(&b, 1, ch_txt);
					B_SET(&b, 2, cp_txt[k]);
					B_SET(&b, 3, geo_txt[q]);
					B_SET(&b, 7, TimestampTzGetDatum(first_load));
					if (restates && gsl_rng_uniform(g->r) < g->o.restatement_share)
					{
						/* the first load is off by 5-25%; the restatement carries the truth */
						double		f = 1.0 + (gsl_rng_uniform(g->r) < 0.5 ? -1.0 : 1.0) *
							(0.05 + 0.20 * gsl_rng_uniform(g->r));
						int			lag = 7 + (int) gsl_rng_uniform_int(g->r, 24);

						B_SET(&b, 4, Float8GetDatum(gen_round_cents(spend * f)));
						B_SET(&b, 5, Int64GetDatum((int64) nearbyint(impr * f)));
						B_SET(&b, 6, Int64GetDatum((int64) nearbyint(clicks * f)));
						B_SET(&b, 8, BoolGetDatum(false));
						batch_next(&b);
						B_SET(&b, 0, DateADTGetDatum(day));
						B_SET(&b, 1, ch_txt);
						B_SET(&b, 2, cp_txt[k]);
						B_SET(&b, 3, geo_txt[q]);
						B_SET(&b, 7, TimestampTzGetDatum((TimestampTz) (day + lag) * USECS_PER_DAY +
														 6 * USECS_PER_HOUR));
						B_SET(&b, 8, BoolGetDatum(true));
					}
					else
						B_SET(&b, 8, BoolGetDatum(false));
					B_SET(&b, 4, Float8GetDatum(spend));
					B_SET(&b, 5, Int64GetDatum((int64) impr));
					B_SET(&b, 6, Int64GetDatum((int64) clicks));
					batch_next(&b);
				}
		}
		for (int k = 0; k < g->o.campaigns; k++)
		{
			g->touch_channel[tcol + k] = ch_txt;
			g->touch_campaign[tcol + k] = cp_txt[k];
		}
		tcol += g->o.campaigns;
	}
	batch_flush(&b);
	g->counts[TB_DAILY_MEDIA] = b.total;
}

/* weekly_media: TV-like channels, one row per week (zero weeks included). */
static void
write_weekly_media(Gen *g)
{
	static const Oid types[] = {DATEOID, TEXTOID, FLOAT8OID, FLOAT8OID, INT8OID};
	Batch		b;
	double	   *path = palloc(sizeof(double) * g->T);
	double	   *phase = palloc(sizeof(double) * g->T);
	double		paid_weight = 0.0;

	batch_init(&b, qualified(g, TB_WEEKLY_MEDIA), lengthof(types), types);
	for (int t = 0; t < g->T; t++)
		phase[t] = gen_date_year_phase(g->start + 7 * t);
	for (int c = 0; c < g->C; c++)
		if (g->def[c]->type != MM_GEN_OWNED)
			paid_weight += g->def[c]->weight;
	for (int c = 0; c < g->C; c++)
	{
		const MMGenChannelDef *def = g->def[c];
		Datum		ch_txt;

		if (def->type != MM_GEN_PAID_WEEKLY)
			continue;
		ch_txt = text_datum(def->name);
		mixmodel_check_core(mm_gen_path(g->r, def->pattern, g->T, phase, NULL,
										g->o.spend_ratio * g->level * def->weight / paid_weight,
										path), "generate_raw_data");
		for (int t = 0; t < g->T; t++)
		{
			double		spend = gen_round_cents(path[t]);
			double		grps = spend > 0 ? spend / (def->unit_cost * gsl_ran_lognormal(g->r, 0.0, 0.1)) : 0.0;
			double		impr = nearbyint(grps * 10000.0);	/* 1 GRP = 1% of 1M people */

			g->x[c * g->T + t] = spend;
			g->grps[c * g->T + t] = grps;
			g->impressions[c * g->T + t] = impr;
			B_SET(&b, 0, DateADTGetDatum(g->start + 7 * t));
			B_SET(&b, 1, ch_txt);
			B_SET(&b, 2, Float8GetDatum(spend));
			B_SET(&b, 3, Float8GetDatum(grps));
			B_SET(&b, 4, Int64GetDatum((int64) impr));
			batch_next(&b);
		}
	}
	batch_flush(&b);
	g->counts[TB_WEEKLY_MEDIA] = b.total;
}

/* sends: owned channels by day x campaign (each campaign belongs to a journey). */
static void
write_sends(Gen *g)
{
	static const Oid types[] = {DATEOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT8OID};
	static const char *const journeys[] = {"onboarding", "retention", "promotion", "winback"};
	Batch		b;
	double	   *path = palloc(sizeof(double) * g->D);
	double	   *phase = palloc(sizeof(double) * g->D);
	int		   *wd = palloc(sizeof(int) * g->D);
	double	   *alpha = palloc(sizeof(double) * g->o.campaigns);
	double	   *camp = palloc(sizeof(double) * g->o.campaigns);
	int			tcol = 0;

	batch_init(&b, qualified(g, TB_SENDS), lengthof(types), types);
	for (int i = 0; i < g->D; i++)
	{
		phase[i] = gen_date_year_phase(g->start + i);
		wd[i] = i % 7;
	}
	for (int c = 0; c < g->C; c++)
	{
		const MMGenChannelDef *def = g->def[c];
		Datum		ch_txt;
		Datum	   *cp_txt,
				   *jn_txt;

		if (def->type != MM_GEN_OWNED)
		{
			if (def->type == MM_GEN_PAID_DAILY)
				tcol += g->o.campaigns;
			continue;
		}
		ch_txt = text_datum(def->name);
		cp_txt = palloc(sizeof(Datum) * g->o.campaigns);
		jn_txt = palloc(sizeof(Datum) * g->o.campaigns);
		for (int k = 0; k < g->o.campaigns; k++)
		{
			cp_txt[k] = text_datum(campaign_name(def->name, k));
			jn_txt[k] = text_datum(journeys[k % lengthof(journeys)]);
			g->touch_channel[tcol + k] = ch_txt;
			g->touch_campaign[tcol + k] = cp_txt[k];
		}
		/* sends per day: "weight" x 50 per order of the revenue level */
		mixmodel_check_core(mm_gen_path(g->r, def->pattern, g->D, phase, wd,
										def->weight * 50.0 * g->level / g->o.aov / 7.0, path),
							"generate_raw_data");
		for (int i = 0; i < g->D; i++)
		{
			int			t = i / 7;

			for (int k = 0; k < g->o.campaigns; k++)
				alpha[k] = 4.0;
			gsl_ran_dirichlet(g->r, g->o.campaigns, alpha, camp);
			for (int k = 0; k < g->o.campaigns; k++)
			{
				double		sends = nearbyint(path[i] * camp[k]);
				unsigned int n = sends > 4e9 ? 4000000000U : (unsigned int) sends;
				unsigned int opens = gsl_ran_binomial(g->r, def->rate, n);
				unsigned int clicks = gsl_ran_binomial(g->r, 0.12, opens);

				g->x[c * g->T + t] += sends;
				g->touch_clicks[(size_t) i * g->ntouch + tcol + k] += clicks;
				if (c == g->exp_owned)
					g->exp_sends[i] += sends;
				B_SET(&b, 0, DateADTGetDatum(g->start + i));
				B_SET(&b, 1, ch_txt);
				B_SET(&b, 2, jn_txt[k]);
				B_SET(&b, 3, cp_txt[k]);
				B_SET(&b, 4, Int64GetDatum((int64) sends));
				B_SET(&b, 5, Int64GetDatum((int64) opens));
				B_SET(&b, 6, Int64GetDatum((int64) clicks));
				batch_next(&b);
			}
		}
		tcol += g->o.campaigns;
	}
	batch_flush(&b);
	g->counts[TB_SENDS] = b.total;
}

/*
 * factors: weekly price index and competitor spend, monthly consumer
 * confidence; actual over the data, forecasted for the forecast weeks.  Fills
 * z (MM_GEN_NFACTORS x T) with the values the model sees.
 */
static void
write_factors(Gen *g, double *z)
{
	static const Oid types[] = {DATEOID, TEXTOID, FLOAT8OID, TEXTOID, TEXTOID, TEXTOID};
	Batch		b;
	int			n = g->T + g->F;
	DateADT		data_end = g->start + 7 * g->T;	/* first day after the data */
	int			y0,
				m0,
				d0,
				y1,
				m1,
				d1,
				nm;
	double	   *price = palloc(sizeof(double) * n);
	double	   *comp = palloc(sizeof(double) * n);
	double	   *conf;
	Datum		week_txt = text_datum("week"),
				month_txt = text_datum("month"),
				actual_txt = text_datum("actual"),
				forecast_txt = text_datum("forecasted"),
				internal_txt = text_datum("internal"),
				external_txt = text_datum("external");

	gen_date_ymd(g->start, &y0, &m0, &d0);
	gen_date_ymd(g->start + 7 * n - 1, &y1, &m1, &d1);
	nm = (y1 - y0) * 12 + (m1 - m0) + 1;
	conf = palloc(sizeof(double) * nm);
	mm_gen_factors(g->r, n, nm, g->level, price, comp, conf);

	batch_init(&b, qualified(g, TB_FACTORS), lengthof(types), types);
	for (int t = 0; t < n; t++)
	{
		DateADT		wk = g->start + 7 * t;
		Datum		vt = t < g->T ? actual_txt : forecast_txt;

		B_SET(&b, 0, DateADTGetDatum(wk));
		B_SET(&b, 1, text_datum(mm_gen_factor_names[0]));
		B_SET(&b, 2, Float8GetDatum(price[t]));
		B_SET(&b, 3, internal_txt);
		B_SET(&b, 4, vt);
		B_SET(&b, 5, week_txt);
		batch_next(&b);
		B_SET(&b, 0, DateADTGetDatum(wk));
		B_SET(&b, 1, text_datum(mm_gen_factor_names[1]));
		B_SET(&b, 2, Float8GetDatum(comp[t]));
		B_SET(&b, 3, external_txt);
		B_SET(&b, 4, vt);
		B_SET(&b, 5, week_txt);
		batch_next(&b);
	}
	for (int j = 0; j < nm; j++)
	{
		int			y = y0 + (m0 - 1 + j) / 12,
					m = (m0 - 1 + j) % 12 + 1;
		DateADT		first = gen_ymd_date(y, m, 1);

		B_SET(&b, 0, DateADTGetDatum(first));
		B_SET(&b, 1, text_datum(mm_gen_factor_names[2]));
		B_SET(&b, 2, Float8GetDatum(conf[j]));
		B_SET(&b, 3, external_txt);
		B_SET(&b, 4, first < data_end ? actual_txt : forecast_txt);
		B_SET(&b, 5, month_txt);
		batch_next(&b);
	}
	batch_flush(&b);
	g->counts[TB_FACTORS] = b.total;

	for (int t = 0; t < g->T; t++)
	{
		int			y,
					m,
					d;

		gen_date_ymd(g->start + 7 * t, &y, &m, &d);
		z[t] = price[t];
		z[g->T + t] = comp[t];
		z[2 * g->T + t] = conf[(y - y0) * 12 + (m - m0)];
	}
}

/* The US holiday weeks of T weeks from start: holiday[t] = 1 when week t contains one. */
void
gen_us_holiday_weeks(DateADT start, int T, double *holiday)
{
	int			y0,
				y1,
				m,
				d;
	DateADT		end = start + 7 * T;

	gen_date_ymd(start, &y0, &m, &d);
	gen_date_ymd(end - 1, &y1, &m, &d);
	for (int t = 0; t < T; t++)
		holiday[t] = 0.0;
	for (int y = y0; y <= y1; y++)
	{
		Holiday		h[32];
		int			n = holidays_of_year(y, h);

		for (int i = 0; i < n; i++)
			if (strcmp(h[i].country, "US") == 0 && h[i].date >= start && h[i].date < end)
				holiday[(h[i].date - start) / 7] = 1.0;
	}
}

/* holidays: US and DE for every year of data and forecast; flags US holiday weeks. */
static void
write_holidays(Gen *g, double *holiday)
{
	static const Oid types[] = {TEXTOID, DATEOID, TEXTOID};
	Batch		b;
	int			y0,
				y1,
				m,
				d;

	gen_date_ymd(g->start, &y0, &m, &d);
	gen_date_ymd(g->start + 7 * (g->T + g->F) - 1, &y1, &m, &d);
	batch_init(&b, qualified(g, TB_HOLIDAYS), lengthof(types), types);
	gen_us_holiday_weeks(g->start, g->T, holiday);
	for (int y = y0; y <= y1; y++)
	{
		Holiday		h[32];
		int			n = holidays_of_year(y, h);

		for (int i = 0; i < n; i++)
		{
			B_SET(&b, 0, text_datum(h[i].country));
			B_SET(&b, 1, DateADTGetDatum(h[i].date));
			B_SET(&b, 2, text_datum(h[i].name));
			batch_next(&b);
		}
	}
	batch_flush(&b);
	g->counts[TB_HOLIDAYS] = b.total;
}

/*
 * conversions_daily: the weekly KPI split into days and online/store; fills
 * the online orders and revenue per day for the events and orders per week.
 */
static void
write_conversions(Gen *g, const double *y, int64 *conv, double *conv_rev, int64 *orders_week)
{
	static const Oid types[] = {DATEOID, TEXTOID, INT8OID, FLOAT8OID};
	Batch		b;
	Datum		online_txt = text_datum("online"),
				store_txt = text_datum("store");

	batch_init(&b, qualified(g, TB_CONVERSIONS), lengthof(types), types);
	for (int t = 0; t < g->T; t++)
	{
		double		online[7],
					store[7];

		mm_gen_split_week(g->r, y[t], g->o.online_share, online, store);
		orders_week[t] = 0;
		for (int d = 0; d < 7; d++)
		{
			int			i = 7 * t + d;

			for (int k = 0; k < 2; k++)
			{
				double		rev = k == 0 ? online[d] : store[d];
				double		aov = g->o.aov * (k == 0 ? 0.9 : 1.1) * gsl_ran_lognormal(g->r, 0.0, 0.03);
				int64		orders = (int64) nearbyint(rev / aov);

				/* revenue without an order cannot be; one order carries it */
				if (orders == 0 && rev > 0.0)
					orders = 1;
				if (k == 0)
				{
					conv[i] = orders;
					conv_rev[i] = rev;
				}
				orders_week[t] += orders;
				B_SET(&b, 0, DateADTGetDatum(g->start + i));
				B_SET(&b, 1, k == 0 ? online_txt : store_txt);
				B_SET(&b, 2, Int64GetDatum(orders));
				B_SET(&b, 3, Float8GetDatum(rev));
				batch_next(&b);
			}
		}
	}
	batch_flush(&b);
	g->counts[TB_CONVERSIONS] = b.total;
}

/* events: one generate_events_day call per day, touches in proportion to clicks. */
static void
write_events(Gen *g, const int64 *conv, const double *conv_rev)
{
	Datum	   *days = palloc(sizeof(Datum) * g->D);
	Datum	   *convs = palloc(sizeof(Datum) * g->D);
	Datum	   *revs = palloc(sizeof(Datum) * g->D);
	Datum	   *touches = palloc(sizeof(Datum) * g->D);
	Datum	   *weights = palloc(sizeof(Datum) * Max((size_t) g->D * g->ntouch, 1));
	double		total_conv = 0.0,
				total_w = 0.0,
				budget;
	Oid			argtypes[10] = {DATEARRAYOID, INT8ARRAYOID, FLOAT8ARRAYOID, INT8ARRAYOID,
	INT8OID, INT8OID, TEXTARRAYOID, TEXTARRAYOID, FLOAT8ARRAYOID, INT4OID};
	Datum		args[10];
	int64		profiles = g->o.profiles > 0 ? g->o.profiles : Max(100, g->events / 20);
	char	   *sql;
	int			rc;

	for (int i = 0; i < g->D; i++)
	{
		total_conv += conv[i];
		for (int j = 0; j < g->ntouch; j++)
			total_w += g->touch_clicks[(size_t) i * g->ntouch + j];
	}
	budget = Max(0.0, (double) g->events - total_conv);
	for (int i = 0; i < g->D; i++)
	{
		double		w = 0.0;

		for (int j = 0; j < g->ntouch; j++)
		{
			double		cl = g->touch_clicks[(size_t) i * g->ntouch + j];

			w += cl;
			weights[(size_t) i * g->ntouch + j] = Float8GetDatum(cl);
		}
		days[i] = DateADTGetDatum(g->start + i);
		convs[i] = Int64GetDatum(conv[i]);
		revs[i] = Float8GetDatum(conv[i] > 0 ? conv_rev[i] : 0.0);
		touches[i] = Int64GetDatum(total_w > 0.0 && w > 0.0
								   ? (int64) gsl_ran_poisson(g->r, budget * w / total_w) : 0);
	}
	args[0] = PointerGetDatum(construct_array(days, g->D, DATEOID, 4, true, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(convs, g->D, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[2] = PointerGetDatum(construct_array(revs, g->D, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[3] = PointerGetDatum(construct_array(touches, g->D, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[4] = Int64GetDatum(g->seed);
	args[5] = Int64GetDatum(profiles);
	args[6] = PointerGetDatum(construct_array(g->touch_channel, g->ntouch, TEXTOID, -1, false, TYPALIGN_INT));
	args[7] = PointerGetDatum(construct_array(g->touch_campaign, g->ntouch, TEXTOID, -1, false, TYPALIGN_INT));
	args[8] = PointerGetDatum(construct_array(weights, g->D * g->ntouch, FLOAT8OID, 8,
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[9] = Int32GetDatum(g->ntouch);

	sql = psprintf("INSERT INTO %s SELECT e.* FROM ROWS FROM (pg_catalog.unnest($1), "
				   "pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4)) "
				   "WITH ORDINALITY AS d(day, conversions, revenue, touches, i) "
				   "CROSS JOIN LATERAL mixmodel.generate_events_day($5, d.day, d.conversions, "
				   "d.revenue, d.touches, $6, $7, $8, "
				   "$9[((d.i::pg_catalog.int4 - 1) * $10 + 1):(d.i::pg_catalog.int4 * $10)]) AS e",
				   qualified(g, TB_EVENTS));
	rc = SPI_execute_with_args(sql, 10, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "generate: events insert failed: %s", SPI_result_code_string(rc));
	g->counts[TB_EVENTS] = SPI_processed;
}

/*
 * events with option journeys: persons, sessions and journeys whose online
 * conversions have known causes (generate_journeys.c), touches drawn per day
 * and source in proportion to clicks as write_events draws them.
 */
static void
write_journey_events(Gen *g, const int64 *conv, const double *conv_rev, const double *contrib,
					 const double *mu, int64 counts[3])
{
	static const char *const journeys[] = {"onboarding", "retention", "promotion", "winback"};
	JourneyInput in;
	const char **channel = palloc(sizeof(char *) * g->C);
	bool	   *owned = palloc(sizeof(bool) * g->C);
	bool	   *has_touches = palloc(sizeof(bool) * g->C);
	int		   *source_channel = palloc(sizeof(int) * Max(g->ntouch, 1));
	const char **source_campaign = palloc(sizeof(char *) * Max(g->ntouch, 1));
	const char **source_journey = palloc(sizeof(char *) * Max(g->ntouch, 1));
	double		total_conv = 0.0;

	for (int c = 0; c < g->C; c++)
	{
		channel[c] = g->def[c]->name;
		owned[c] = g->def[c]->type == MM_GEN_OWNED;
		has_touches[c] = g->def[c]->type != MM_GEN_PAID_WEEKLY;
	}
	for (int j = 0; j < g->ntouch; j++)
	{
		char	   *ch = TextDatumGetCString(g->touch_channel[j]);

		source_campaign[j] = TextDatumGetCString(g->touch_campaign[j]);
		source_journey[j] = NULL;
		for (int c = 0; c < g->C; c++)
			if (strcmp(channel[c], ch) == 0)
				source_channel[j] = c;
		/* campaign k of an owned channel belongs to journey k mod 4, as in sends */
		if (owned[source_channel[j]])
			source_journey[j] = journeys[(atoi(strrchr(source_campaign[j], 'c') + 1) - 1) % lengthof(journeys)];
	}
	for (int i = 0; i < g->D; i++)
		total_conv += conv[i];
	in.r = g->r;
	in.D = g->D;
	in.T = g->T;
	in.start = g->start;
	in.profiles = g->o.profiles > 0 ? g->o.profiles : Max(100, g->events / 20);
	in.C = g->C;
	in.channel = channel;
	in.owned = owned;
	in.has_touches = has_touches;
	in.ntouch = g->ntouch;
	in.source_channel = source_channel;
	in.source_campaign = source_campaign;
	in.source_journey = source_journey;
	in.weight = g->touch_clicks;
	in.budget = Max(0.0, (double) g->events - total_conv);
	in.conv = conv;
	in.conv_rev = conv_rev;
	in.contrib = contrib;
	in.nfixed = MM_GEN_NFIXED;
	in.mu = mu;
	in.events_table = qualified(g, TB_EVENTS);
	in.truth_table = psprintf("%s.%s", g->schema, quote_identifier(journey_table_names[0]));
	in.causes_table = psprintf("%s.%s", g->schema, quote_identifier(journey_table_names[1]));
	write_journeys(&in, counts);
	g->counts[TB_EVENTS] = counts[0];
}

/* weekly_wide: the same data as one Robyn-style row per week. */
static void
write_wide(Gen *g, const double *y, const int64 *orders_week, const double *z, const double *holiday)
{
	StringInfoData cols;
	Oid			types[4 + 3 * MAX_CHANNELS + MM_GEN_NFACTORS + 1];
	int			nc = 0;
	Batch		b;

	initStringInfo(&cols);
	appendStringInfoString(&cols, "week date NOT NULL, revenue float8 NOT NULL, orders bigint NOT NULL");
	types[nc++] = DATEOID;
	types[nc++] = FLOAT8OID;
	types[nc++] = INT8OID;
	for (int c = 0; c < g->C; c++)
	{
		const char *nm = g->def[c]->name;

		if (g->def[c]->type == MM_GEN_OWNED)
		{
			appendStringInfo(&cols, ", %s bigint NOT NULL", quote_identifier(psprintf("%s_sends", nm)));
			types[nc++] = INT8OID;
			continue;
		}
		appendStringInfo(&cols, ", %s float8 NOT NULL, %s bigint NOT NULL",
						 quote_identifier(psprintf("%s_spend", nm)),
						 quote_identifier(psprintf("%s_impressions", nm)));
		types[nc++] = FLOAT8OID;
		types[nc++] = INT8OID;
		if (g->def[c]->type == MM_GEN_PAID_WEEKLY)
		{
			appendStringInfo(&cols, ", %s float8 NOT NULL", quote_identifier(psprintf("%s_grps", nm)));
			types[nc++] = FLOAT8OID;
		}
	}
	for (int k = 0; k < MM_GEN_NFACTORS; k++)
	{
		appendStringInfo(&cols, ", %s float8 NOT NULL", quote_identifier(mm_gen_factor_names[k]));
		types[nc++] = FLOAT8OID;
	}
	appendStringInfoString(&cols, ", holiday int NOT NULL");
	types[nc++] = INT4OID;
	gen_exec_sql(psprintf("CREATE TABLE %s (%s)", qualified(g, TB_WIDE), cols.data));

	batch_init(&b, qualified(g, TB_WIDE), nc, types);
	for (int t = 0; t < g->T; t++)
	{
		int			j = 0;

		B_SET(&b, j++, DateADTGetDatum(g->start + 7 * t));
		B_SET(&b, j++, Float8GetDatum(y[t]));
		B_SET(&b, j++, Int64GetDatum(orders_week[t]));
		for (int c = 0; c < g->C; c++)
		{
			double		xv = g->x[c * g->T + t];

			if (g->def[c]->type == MM_GEN_OWNED)
			{
				B_SET(&b, j++, Int64GetDatum((int64) xv));
				continue;
			}
			B_SET(&b, j++, Float8GetDatum(xv));
			B_SET(&b, j++, Int64GetDatum((int64) g->impressions[c * g->T + t]));
			if (g->def[c]->type == MM_GEN_PAID_WEEKLY)
				B_SET(&b, j++, Float8GetDatum(g->grps[c * g->T + t]));
		}
		for (int k = 0; k < MM_GEN_NFACTORS; k++)
			B_SET(&b, j++, Float8GetDatum(z[k * g->T + t]));
		B_SET(&b, j++, Int32GetDatum((int32) holiday[t]));
		batch_next(&b);
	}
	batch_flush(&b);
	g->counts[TB_WIDE] = b.total;
}

/* truth_parameters, truth_contributions, truth_kpi. */
static void
write_truth(Gen *g, const MMGenParams *pp, const double *contrib, const double *mu,
			const double *y)
{
	static const Oid ptypes[] = {TEXTOID, TEXTOID, FLOAT8OID, TEXTOID};
	static const Oid ctypes[] = {DATEOID, TEXTOID, FLOAT8OID};
	static const Oid ktypes[] = {DATEOID, FLOAT8OID, FLOAT8OID, FLOAT8OID};
	const int	nterms = MM_GEN_NFIXED + g->C;
	Datum	   *term_txt = palloc(sizeof(Datum) * nterms);
	Batch		b;

	batch_init(&b, qualified(g, TB_TRUTH_PARAMS), lengthof(ptypes), ptypes);
	param_row(&b, "model", "form", NAN, g->form == MM_FORM_MULTIPLICATIVE ? "multiplicative" : "additive");
	param_row(&b, "model", "seed", (double) g->seed, NULL);
	param_row(&b, "model", "level", g->level, NULL);
	param_row(&b, "model", "base", pp->base, NULL);
	param_row(&b, "model", "trend", pp->trend, NULL);
	param_row(&b, "model", "season_cos1", pp->season_cos1, NULL);
	param_row(&b, "model", "season_cos2", pp->season_cos2, NULL);
	param_row(&b, "model", "season_peak", pp->season_peak, NULL);
	param_row(&b, "model", "holiday", pp->holiday, NULL);
	for (int k = 0; k < MM_GEN_NFACTORS; k++)
		param_row(&b, "model", psprintf("gamma_%s", mm_gen_factor_names[k]), pp->gamma[k], NULL);
	param_row(&b, "model", "noise_sd", pp->noise_sd, NULL);
	param_row(&b, "model", "aov", g->o.aov, NULL);
	param_row(&b, "model", "online_share", g->o.online_share, NULL);
	for (int c = 0; c < g->C; c++)
	{
		const char *nm = g->def[c]->name;
		const MMChannelSpec *s = &g->spec[c];
		double		total_x = 0.0,
					total_contrib = 0.0;
		bool		paid = g->def[c]->type != MM_GEN_OWNED;

		for (int t = 0; t < g->T; t++)
		{
			total_x += g->x[c * g->T + t];
			total_contrib += contrib[(size_t) (MM_GEN_NFIXED + c) * g->T + t];
		}
		param_row(&b, nm, "type", NAN, channel_type_name(g->def[c]->type));
		param_row(&b, nm, "input", NAN, paid ? "spend" : "sends");
		param_row(&b, nm, "adstock", NAN, gen_adstock_name(s->adstock));
		param_row(&b, nm, "adstock_p1", s->adstock_p1, NULL);
		param_row(&b, nm, "adstock_p2", s->adstock_p2, NULL);
		param_row(&b, nm, "max_lag", s->max_lag, NULL);
		param_row(&b, nm, "adstock_normalize", s->adstock_normalize ? 1.0 : 0.0, NULL);
		param_row(&b, nm, "saturation", NAN, gen_saturation_name(s->saturation));
		param_row(&b, nm, "sat_p1", s->sat_p1, NULL);
		param_row(&b, nm, "sat_p2", s->sat_p2, NULL);
		param_row(&b, nm, "input_scale", s->input_scale, NULL);
		param_row(&b, nm, "coef", s->coef, NULL);
		param_row(&b, nm, "target", g->def[c]->target, NULL);
		param_row(&b, nm, "total_input", total_x, NULL);
		param_row(&b, nm, "total_spend", paid ? total_x : 0.0, NULL);
		param_row(&b, nm, "total_contribution", total_contrib, NULL);
		/* formulas §4.1: ROAS = revenue / spend, ROI = ROAS - 1 */
		param_row(&b, nm, "roas", paid && total_x > 0 ? total_contrib / total_x : NAN, NULL);
		param_row(&b, nm, "roi", paid && total_x > 0 ? total_contrib / total_x - 1.0 : NAN, NULL);
	}
	batch_flush(&b);
	g->counts[TB_TRUTH_PARAMS] = b.total;

	term_txt[MM_GEN_TERM_BASE] = text_datum("base");
	term_txt[MM_GEN_TERM_TREND] = text_datum("trend");
	term_txt[MM_GEN_TERM_SEASON] = text_datum("seasonality");
	term_txt[MM_GEN_TERM_HOLIDAY] = text_datum("holiday");
	for (int k = 0; k < MM_GEN_NFACTORS; k++)
		term_txt[MM_GEN_TERM_FACTOR0 + k] = text_datum(mm_gen_factor_names[k]);
	for (int c = 0; c < g->C; c++)
		term_txt[MM_GEN_NFIXED + c] = text_datum(g->def[c]->name);

	batch_init(&b, qualified(g, TB_TRUTH_CONTRIB), lengthof(ctypes), ctypes);
	for (int t = 0; t < g->T; t++)
		for (int j = 0; j < nterms; j++)
		{
			B_SET(&b, 0, DateADTGetDatum(g->start + 7 * t));
			B_SET(&b, 1, term_txt[j]);
			B_SET(&b, 2, Float8GetDatum(contrib[(size_t) j * g->T + t]));
			batch_next(&b);
		}
	batch_flush(&b);
	g->counts[TB_TRUTH_CONTRIB] = b.total;

	batch_init(&b, qualified(g, TB_TRUTH_KPI), lengthof(ktypes), ktypes);
	for (int t = 0; t < g->T; t++)
	{
		B_SET(&b, 0, DateADTGetDatum(g->start + 7 * t));
		B_SET(&b, 1, Float8GetDatum(mu[t]));
		B_SET(&b, 2, Float8GetDatum(y[t] - mu[t]));
		B_SET(&b, 3, Float8GetDatum(y[t]));
		batch_next(&b);
	}
	batch_flush(&b);
	g->counts[TB_TRUTH_KPI] = b.total;
}

/* 22023 unless target_schema is a schema of the user's own. */
void
gen_check_target_schema(const char *schema_name)
{
	if (schema_name[0] == '\0' || strcmp(schema_name, "mixmodel") == 0 ||
		strcmp(schema_name, "information_schema") == 0 || strncmp(schema_name, "pg_", 3) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target_schema \"%s\" is not allowed", schema_name),
				 errhint("Generate into a schema of your own, for example 'raw'.")));
}

/* 22023 unless start is a Monday between 1990-01-01 and 2200-12-31. */
void
gen_check_start_date(DateADT start)
{
	if (DATE_NOT_FINITE(start) || start < gen_ymd_date(1990, 1, 1) || start > gen_ymd_date(2200, 12, 31))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("start_date must be between 1990-01-01 and 2200-12-31")));
	if (gen_date_weekday(start) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("start_date must be a Monday"),
				 errdetail("Got %s.", DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(start)))),
				 errhint("Weeks start on Monday; use date_trunc('week', d)::date.")));
}

/*
 * Create the schema if missing; a table of "names" already in it is an error
 * (42P07) or, with replace, dropped.  Needs SPI.
 */
void
gen_prepare_schema(const char *schema_name, const char *const *names, int n, bool replace)
{
	Oid			nsp = get_namespace_oid(schema_name, true);
	const char *schema = quote_identifier(schema_name);

	if (!OidIsValid(nsp))
	{
		gen_exec_sql(psprintf("CREATE SCHEMA %s", schema));
		nsp = get_namespace_oid(schema_name, false);
	}
	for (int i = 0; i < n; i++)
		if (OidIsValid(get_relname_relid(names[i], nsp)))
		{
			if (!replace)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_TABLE),
						 errmsg("table \"%s.%s\" already exists", schema_name, names[i]),
						 errhint("Generate into another schema, or pass options => '{\"replace\": true}'.")));
			gen_exec_sql(psprintf("DROP TABLE %s.%s", schema, quote_identifier(names[i])));
		}
}

/*
 * The channels argument: distinct channels of the vocabulary, 1 .. max, into
 * def; paid_only refuses owned channels (geo-level data).  Returns how many.
 */
int
gen_parse_channels(ArrayType *arr, int max, bool paid_only, const MMGenChannelDef **def)
{
	Datum	   *values;
	bool	   *nulls;
	int			n;
	const char *known = paid_only
		? "Paid channels: tv, radio, ooh, print, search, social, display, video, affiliate."
		: "Known channels: tv, radio, ooh, print (weekly paid); search, social, "
		"display, video, affiliate (daily paid); email, push, sms (owned).";

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"channels\" must be one-dimensional")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"channels\" must not be empty")));
	if (n > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("too many channels"),
				 errdetail("Got %d; the vocabulary has %d%s channels.", n, max, paid_only ? " paid" : "")));
	for (int i = 0; i < n; i++)
	{
		char	   *name;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"channels\" must not contain nulls")));
		name = TextDatumGetCString(values[i]);
		def[i] = mm_gen_channel_find(name);
		if (def[i] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("unknown channel \"%s\"", name),
					 errhint("%s", known)));
		if (paid_only && def[i]->type == MM_GEN_OWNED)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("channel \"%s\" is an owned channel", name),
					 errdetail("Geo-level data have paid media only: spend per geo and week."),
					 errhint("%s", known)));
		for (int j = 0; j < i; j++)
			if (def[j] == def[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("channel \"%s\" is listed twice", name)));
	}
	return n;
}

/* Validate the channels argument into g->def / g->spec. */
static void
parse_channels(Gen *g, ArrayType *arr)
{
	g->C = gen_parse_channels(arr, MAX_CHANNELS, false, g->def);
	for (int i = 0; i < g->C; i++)
		g->spec[i] = g->def[i]->spec;
}

Datum
generate_raw_data(PG_FUNCTION_ARGS)
{
	static const char *const argnames[] = {"target_schema", "seed", "weeks", "start_date",
	"channels", "form", "events", "options"};
	Gen		   *g = palloc0(sizeof(Gen));
	char	   *schema_name;
	char	   *form;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			save_nestlevel;
	int			ndaily = 0,
				nowned = 0,
				lift;
	double	   *holiday,
			   *z,
			   *contrib,
			   *mu,
			   *y,
			   *work,
			   *conv_rev,
			   *target;
	bool	   *paid;
	int64	   *conv,
			   *orders_week;
	MMGenParams params;
	MMGenModel	model;
	int64		journey_counts[3] = {0, 0, 0};

	for (int i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(argnames[i]);

	schema_name = NameStr(*PG_GETARG_NAME(0));
	g->seed = PG_GETARG_INT64(1);
	g->T = PG_GETARG_INT32(2);
	g->start = PG_GETARG_DATEADT(3);
	form = text_to_cstring(PG_GETARG_TEXT_PP(5));
	g->events = PG_GETARG_INT64(6);
	parse_options(PG_GETARG_JSONB_P(7), &g->o);
	g->F = g->o.forecast_weeks;

	gen_check_target_schema(schema_name);
	if (g->T < 53 || g->T > 520)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weeks must be in the range [53, 520]"),
				 errdetail("Got %d.", g->T),
				 errhint("The model has a yearly seasonality, so it needs more than a year.")));
	gen_check_start_date(g->start);
	if (strcmp(form, "additive") == 0)
		g->form = MM_FORM_ADDITIVE;
	else if (strcmp(form, "multiplicative") == 0)
		g->form = MM_FORM_MULTIPLICATIVE;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("form must be \"additive\" or \"multiplicative\""),
				 errdetail("Got \"%s\".", form)));
	if (g->events < 1000 || g->events > 1000000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("events must be in the range [1000, 1000000000]"),
				 errdetail("Got %lld.", (long long) g->events)));
	parse_channels(g, PG_GETARG_ARRAYTYPE_P(4));

	InitMaterializedSRF(fcinfo, 0);

	g->D = 7 * g->T;
	/* about 20% of events are online conversions (doc/generator.md) */
	g->level = 0.2 * (double) g->events / g->T * g->o.aov / g->o.online_share;
	for (int c = 0; c < g->C; c++)
	{
		if (g->def[c]->type == MM_GEN_PAID_DAILY)
			ndaily++;
		if (g->def[c]->type == MM_GEN_OWNED)
			nowned++;
	}
	g->ntouch = (ndaily + nowned) * g->o.campaigns;
	g->x = palloc0(sizeof(double) * g->C * g->T);
	g->impressions = palloc0(sizeof(double) * g->C * g->T);
	g->grps = palloc0(sizeof(double) * g->C * g->T);
	g->touch_channel = palloc(sizeof(Datum) * Max(g->ntouch, 1));
	g->touch_campaign = palloc(sizeof(Datum) * Max(g->ntouch, 1));
	g->touch_clicks = palloc0(sizeof(double) * Max((size_t) g->D * g->ntouch, 1));
	g->exp_sends = palloc0(sizeof(double) * g->D);
	g->exp_owned = -1;
	lift = -1;
	for (int c = 0; c < g->C && g->o.experiments; c++)
	{
		bool		owned = g->def[c]->type == MM_GEN_OWNED;

		if (owned && g->exp_owned < 0)
			g->exp_owned = c;
		if (!owned && (g->o.lift_channel ? strcmp(g->def[c]->name, g->o.lift_channel) == 0
					   : lift < 0 || strcmp(g->def[c]->name, "tv") == 0))
			lift = c;
	}
	if (g->o.lift_channel && g->o.experiments && lift < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lift_channel \"%s\" is not a paid channel of the data", g->o.lift_channel),
				 errhint("Name one of the paid channels in \"channels\".")));
	holiday = palloc(sizeof(double) * g->T);
	z = palloc(sizeof(double) * MM_GEN_NFACTORS * g->T);
	contrib = palloc(sizeof(double) * (MM_GEN_NFIXED + g->C) * g->T);
	mu = palloc(sizeof(double) * g->T);
	y = palloc(sizeof(double) * g->T);
	work = palloc(sizeof(double) * 3 * g->T);
	conv = palloc(sizeof(int64) * g->D);
	conv_rev = palloc(sizeof(double) * g->D);
	orders_week = palloc(sizeof(int64) * g->T);
	target = palloc(sizeof(double) * g->C);
	paid = palloc(sizeof(bool) * g->C);

	g->r = mm_rng_create(mm_gen_seed(g->seed, 0));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "generate: SPI_connect failed");
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	/* the schema, and no table of ours in it unless asked to replace */
	g->schema = pstrdup(quote_identifier(schema_name));
	gen_prepare_schema(schema_name, table_names, NTABLES, g->o.replace);
	gen_prepare_schema(schema_name, journey_table_names, NJOURNEY_TABLES, g->o.replace);
	for (int i = 0; i < NTABLES; i++)
		if (table_columns[i] != NULL)
			gen_exec_sql(psprintf("CREATE TABLE %s (%s)", qualified(g, i),
							  i == TB_EVENTS && g->o.journeys ? journey_events_columns : table_columns[i]));
	if (g->o.journeys)
		for (int i = 0; i < NJOURNEY_TABLES; i++)
			gen_exec_sql(psprintf("CREATE TABLE %s.%s (%s)", g->schema, quote_identifier(journey_table_names[i]),
							  journey_table_columns[i]));

	write_factors(g, z);
	write_daily_media(g);
	write_weekly_media(g);
	write_sends(g);
	write_holidays(g, holiday);

	for (int c = 0; c < g->C; c++)
	{
		target[c] = g->def[c]->target;
		paid[c] = g->def[c]->type != MM_GEN_OWNED;
		/* weekly spend is a sum of cents: say so exactly, not with float dust */
		if (paid[c])
			for (int t = 0; t < g->T; t++)
				g->x[c * g->T + t] = gen_round_cents(g->x[c * g->T + t]);
	}
	model.form = g->form;
	model.T = g->T;
	model.C = g->C;
	model.level = g->level;
	model.noise = g->o.noise;
	model.x = g->x;
	model.target = target;
	model.paid = paid;
	model.holiday = holiday;
	model.z = z;
	model.spec = g->spec;
	model.fixed_scale = false;
	if (g->o.random_shapes)
	{
		/* a stream of its own: only the truth's shapes change, not the data's paths */
		gsl_rng    *rs = mm_rng_create(mm_gen_seed(g->seed, 4097));

		for (int c = 0; c < g->C; c++)
			mm_gen_random_shape(rs, &g->spec[c]);
	}
	{
		double	   *phase = palloc(sizeof(double) * g->T);
		MMStatus	st;

		for (int t = 0; t < g->T; t++)
			phase[t] = gen_date_year_phase(g->start + 7 * t);
		model.year_phase = phase;
		st = mm_gen_truth(g->r, &model, &params, contrib, mu, y, work);
		if (st == MM_EDOM)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("generated KPI is not positive"),
					 errhint("Lower the \"noise\" option.")));
		mixmodel_check_core(st, "generate_raw_data");
	}

	write_conversions(g, y, conv, conv_rev, orders_week);
	if (g->o.journeys)
		write_journey_events(g, conv, conv_rev, contrib, mu, journey_counts);
	else
		write_events(g, conv, conv_rev);
	write_wide(g, y, orders_week, z, holiday);
	write_truth(g, &params, contrib, mu, y);
	if (g->o.experiments)
	{
		MMGenExperiments x = {0};

		x.seed = g->seed;
		x.start = g->start;
		x.T = g->T;
		x.D = g->D;
		x.aov = g->o.aov;
		if (g->exp_owned >= 0)
		{
			x.owned_channel = g->def[g->exp_owned]->name;
			x.owned_rate = g->def[g->exp_owned]->rate;
			x.owned_sends = g->exp_sends;
		}
		if (lift >= 0)
		{
			x.lift_channel = g->def[lift]->name;
			x.lift_contrib = contrib + (size_t) (MM_GEN_NFIXED + lift) * g->T;
			x.mu = mu;
		}
		x.assignments_table = qualified(g, TB_EXP_UNITS);
		x.truth_table = qualified(g, TB_EXP_TRUTH);
		mm_generate_experiments(&x, &g->counts[TB_EXP_UNITS], &g->counts[TB_EXP_TRUTH]);
	}

	AtEOXact_GUC(false, save_nestlevel);
	SPI_finish();

	for (int i = 0; i < NTABLES; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(table_names[i]);
		values[1] = Int64GetDatum(g->counts[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (g->o.journeys)
		for (int i = 0; i < NJOURNEY_TABLES; i++)
		{
			Datum		values[2];
			bool		nulls[2] = {false, false};

			values[0] = CStringGetTextDatum(journey_table_names[i]);
			values[1] = Int64GetDatum(journey_counts[i + 1]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
