/*
 * generate_geo.c: mixmodel.generate_geo_data, weekly geo-level marketing data
 * with a known per-geo truth (doc/generator.md, "Geo-level data").
 *
 * The values come from the core of generate_raw_data (src/math/generate.c):
 * one national spend path per channel and the factor paths from a national
 * stream, and per geo, from a stream of its own, its population draw, its
 * own spend paths, its true ROI and, through mm_gen_truth, its coefficients,
 * decomposition and noise.  Shapes (adstock, saturation) are shared by all
 * geos.  Rows are written through SPI in batches (batch.h).
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "harmonize/batch.h"
#include "harmonize/generate_common.h"
#include "math/generate.h"

PG_FUNCTION_INFO_V1(generate_geo_data);

#define GEO_MAX_CHANNELS 9
#define GEO_POPULATION 10000000.0
/* stream family of the geos: mm_gen_seed(seed, GEO_STREAM | g), g = 1 .. geos */
#define GEO_STREAM ((int64) 3 << 32)
/* the stream of random shapes, the same as generate_raw_data's */
#define SHAPE_STREAM 4097

enum
{
	TG_WEEKLY, TG_TRUTH_GEO, TG_TRUTH_CHANNEL, TG_TRUTH_CONTRIB, TG_TRUTH_KPI, NGEOTABLES
};

static const char *const geo_table_names[NGEOTABLES] = {
	"geo_weekly", "truth_geo", "truth_geo_channel", "truth_geo_contributions", "truth_geo_kpi"
};

static const char *const geo_table_keys[NGEOTABLES] = {
	"geo, week", "geo, channel", "channel", "geo, week, term", "geo, week"
};

typedef struct GeoOptions
{
	double		noise;
	double		population_sd;
	double		spend_sd;
	double		own_share;
	double		roi_sd;
	double		level;			/* national mean weekly revenue */
	double		spend_ratio;	/* national paid spend per week / level */
	bool		random_shapes;
	bool		replace;
} GeoOptions;

static double
geo_option_range(JsonbValue *v, const char *key, double lo, bool lo_closed, double hi, bool hi_closed)
{
	double		d = gen_option_number(v, key);
	char	   *what = psprintf("option \"%s\"", key);

	mm_check_range(d, what, lo, lo_closed, hi, hi_closed);
	return d;
}

static void
geo_parse_options(Jsonb *jb, GeoOptions *o)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	o->noise = 0.05;
	o->population_sd = 0.8;
	o->spend_sd = 0.3;
	o->own_share = 0.4;
	o->roi_sd = 0.3;
	o->level = 1e6;
	o->spend_ratio = 0.15;
	o->random_shapes = false;
	o->replace = false;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a jsonb object"),
				 errhint("For example '{\"roi_sd\": 0.2, \"noise\": 0.1}'.")));

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
			o->noise = geo_option_range(&v, key, 0.0, true, 0.3, true);
		else if (strcmp(key, "population_sd") == 0)
			o->population_sd = geo_option_range(&v, key, 0.0, true, 2.0, true);
		else if (strcmp(key, "spend_sd") == 0)
			o->spend_sd = geo_option_range(&v, key, 0.0, true, 1.0, true);
		else if (strcmp(key, "own_share") == 0)
			o->own_share = geo_option_range(&v, key, 0.0, true, 1.0, true);
		else if (strcmp(key, "roi_sd") == 0)
			o->roi_sd = geo_option_range(&v, key, 0.0, true, 1.0, true);
		else if (strcmp(key, "level") == 0)
			o->level = geo_option_range(&v, key, 0.0, false, 1e12, true);
		else if (strcmp(key, "spend_ratio") == 0)
			o->spend_ratio = geo_option_range(&v, key, 0.0, false, 2.0, true);
		else if (strcmp(key, "shapes") == 0)
		{
			char	   *sv = v.type == jbvString ? pnstrdup(v.val.string.val, v.val.string.len) : NULL;

			if (sv == NULL || (strcmp(sv, "vocabulary") != 0 && strcmp(sv, "random") != 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"shapes\" must be \"vocabulary\" or \"random\"")));
			o->random_shapes = strcmp(sv, "random") == 0;
		}
		else if (strcmp(key, "replace") == 0)
		{
			if (v.type != jbvBool)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"replace\" must be a boolean")));
			o->replace = v.val.boolean;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown option \"%s\"", key),
					 errhint("Known options: noise, population_sd, spend_sd, own_share, roi_sd, "
							 "level, spend_ratio, shapes, replace.")));
	}
}

/* Largest remainder: index order breaks ties, so the rounding is deterministic. */
typedef struct PopRem
{
	double		rem;
	int			g;
} PopRem;

static int
poprem_cmp(const void *a, const void *b)
{
	const PopRem *x = a,
			   *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->g - y->g;
}

/*
 * Populations: raw draws u_g scaled to sum to GEO_POPULATION and rounded to
 * whole people by the largest-remainder method, so they sum exactly.
 */
static void
geo_populations(const double *u, int G, double *pop)
{
	double		sum = 0.0,
				given = 0.0;
	PopRem	   *r = palloc(sizeof(PopRem) * G);
	int64		left;

	for (int g = 0; g < G; g++)
		sum += u[g];
	for (int g = 0; g < G; g++)
	{
		double		exact = GEO_POPULATION * u[g] / sum;

		pop[g] = floor(exact);
		r[g].rem = exact - pop[g];
		r[g].g = g;
		given += pop[g];
	}
	qsort(r, G, sizeof(PopRem), poprem_cmp);
	left = (int64) (GEO_POPULATION - given);
	for (int i = 0; i < G && left > 0; i++, left--)
		pop[r[i].g] += 1.0;
}

/* What the geo draws need besides the geo's stream. */
typedef struct GeoDraw
{
	int64		seed;
	int			T;
	int			C;
	const MMGenChannelDef *const *def;
	const double *phase;		/* T */
	const double *national;		/* C x T national paths */
	const double *spend_level;	/* C */
	const double *target;		/* C */
	const GeoOptions *o;
	double	   *own;			/* T: work */
} GeoDraw;

/*
 * Geo g's spend x (C x T) and true ROAS (C), from the start of its stream
 * (past the population draw): per channel the level factor, the geo's own
 * path, then the ROAS.  The same draws each time it is called.
 */
static void
geo_draw_spend(const GeoDraw *d, gsl_rng *rg, int g, double share, double *x, double *roas)
{
	const int	T = d->T;
	const double w = d->o->own_share,
				sd = d->o->roi_sd;

	gsl_rng_set(rg, mm_gen_seed(d->seed, GEO_STREAM | (int64) (g + 1)));
	(void) gsl_ran_lognormal(rg, 0.0, d->o->population_sd);
	for (int c = 0; c < d->C; c++)
	{
		double		f = exp(gsl_ran_gaussian(rg, d->o->spend_sd));

		/* the national path and the geo's own, mixed, scaled by size and a level factor */
		mixmodel_check_core(mm_gen_path(rg, d->def[c]->pattern, T, d->phase, NULL, d->spend_level[c],
										d->own), "generate_geo_data");
		for (int t = 0; t < T; t++)
			x[(size_t) c * T + t] =
				gen_round_cents(share * f * ((1.0 - w) * d->national[(size_t) c * T + t] + w * d->own[t]));
		/* the geo's true ROAS, mean target[c] */
		roas[c] = d->target[c] * exp(gsl_ran_gaussian(rg, sd) - 0.5 * sd * sd);
	}
}

Datum
generate_geo_data(PG_FUNCTION_ARGS)
{
	static const char *const argnames[] = {"target_schema", "seed", "geos", "weeks", "start_date",
	"channels", "options"};
	static const Oid weekly_fixed[] = {TEXTOID, DATEOID, FLOAT8OID, FLOAT8OID};
	static const Oid geo_types[] = {TEXTOID, TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
	FLOAT8OID, FLOAT8OID, FLOAT8OID};
	static const Oid channel_types[] = {TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
		FLOAT8OID, FLOAT8OID, TEXTOID, FLOAT8OID, FLOAT8OID, INT4OID, BOOLOID, TEXTOID, FLOAT8OID,
	FLOAT8OID};
	static const Oid contrib_types[] = {TEXTOID, DATEOID, TEXTOID, FLOAT8OID};
	static const Oid kpi_types[] = {TEXTOID, DATEOID, FLOAT8OID, FLOAT8OID, FLOAT8OID};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *schema_name;
	char	   *schema;
	int64		seed;
	int			G,
				T,
				C,
				nterms,
				width,
				nm,
				y0,
				m0,
				d0,
				save_nestlevel;
	DateADT		start;
	GeoOptions	o;
	const MMGenChannelDef *def[GEO_MAX_CHANNELS];
	MMChannelSpec shape[GEO_MAX_CHANNELS];
	double		spend_level[GEO_MAX_CHANNELS],
				target[GEO_MAX_CHANNELS],
				scale[GEO_MAX_CHANNELS];
	GeoDraw		draw;
	bool		paid[GEO_MAX_CHANNELS];
	double		paid_weight = 0.0,
				total_revenue = 0.0;
	double	   *phase,
			   *holiday,
			   *national,
			   *own,
			   *price,
			   *comp,
			   *conf,
			   *z,
			   *x,
			   *contrib,
			   *mu,
			   *y,
			   *work,
			   *u,
			   *pop,
			   *nat_spend,
			   *total_x,
			   *nat_contrib;
	gsl_rng    *r0,
			   *rg;
	Datum	   *geo_txt,
			   *term_txt,
			   *week_d;
	Oid		   *weekly_types;
	StringInfoData cols;
	Batch		bw,
				bg,
				bc,
				bk;
	int64		counts[NGEOTABLES];

	for (int i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(argnames[i]);

	schema_name = NameStr(*PG_GETARG_NAME(0));
	seed = PG_GETARG_INT64(1);
	G = PG_GETARG_INT32(2);
	T = PG_GETARG_INT32(3);
	start = PG_GETARG_DATEADT(4);
	gen_check_target_schema(schema_name);
	if (G < 1 || G > 1000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("geos must be in the range [1, 1000]"),
				 errdetail("Got %d.", G)));
	if (T < 52 || T > 1040)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weeks must be in the range [52, 1040]"),
				 errdetail("Got %d.", T),
				 errhint("The model has a yearly seasonality, so it needs a year of weeks at least.")));
	gen_check_start_date(start);
	C = gen_parse_channels(PG_GETARG_ARRAYTYPE_P(5), GEO_MAX_CHANNELS, true, def);
	geo_parse_options(PG_GETARG_JSONB_P(6), &o);

	InitMaterializedSRF(fcinfo, 0);

	nterms = MM_GEN_NFIXED + C;
	phase = palloc(sizeof(double) * T);
	holiday = palloc(sizeof(double) * T);
	national = palloc(sizeof(double) * C * T);
	own = palloc(sizeof(double) * T);
	price = palloc(sizeof(double) * T);
	comp = palloc(sizeof(double) * T);
	z = palloc(sizeof(double) * MM_GEN_NFACTORS * T);
	x = palloc(sizeof(double) * C * T);
	contrib = palloc(sizeof(double) * nterms * T);
	mu = palloc(sizeof(double) * T);
	y = palloc(sizeof(double) * T);
	work = palloc(sizeof(double) * 3 * T);
	u = palloc(sizeof(double) * G);
	pop = palloc(sizeof(double) * G);
	nat_spend = palloc0(sizeof(double) * C);
	nat_contrib = palloc0(sizeof(double) * C);
	geo_txt = palloc(sizeof(Datum) * G);
	term_txt = palloc(sizeof(Datum) * nterms);
	week_d = palloc(sizeof(Datum) * T);

	/* calendar: year phase, US holiday weeks, the month index of each week */
	for (int t = 0; t < T; t++)
	{
		phase[t] = gen_date_year_phase(start + 7 * t);
		week_d[t] = DateADTGetDatum(start + 7 * t);
	}
	gen_us_holiday_weeks(start, T, holiday);
	{
		int			y1,
					m1,
					d1;

		gen_date_ymd(start, &y0, &m0, &d0);
		gen_date_ymd(start + 7 * T - 1, &y1, &m1, &d1);
		nm = (y1 - y0) * 12 + (m1 - m0) + 1;
		conf = palloc(sizeof(double) * nm);
	}

	/* shapes shared by every geo */
	for (int c = 0; c < C; c++)
	{
		shape[c] = def[c]->spec;
		target[c] = def[c]->target;
		paid[c] = true;
		paid_weight += def[c]->weight;
	}
	if (o.random_shapes)
	{
		gsl_rng    *rs = mm_rng_create(mm_gen_seed(seed, SHAPE_STREAM));

		for (int c = 0; c < C; c++)
			mm_gen_random_shape(rs, &shape[c]);
	}

	/* national stream: each channel's national path, then the factor paths */
	r0 = mm_rng_create(mm_gen_seed(seed, 0));
	for (int c = 0; c < C; c++)
	{
		spend_level[c] = o.spend_ratio * o.level * def[c]->weight / paid_weight;
		mixmodel_check_core(mm_gen_path(r0, def[c]->pattern, T, phase, NULL, spend_level[c],
										national + (size_t) c * T), "generate_geo_data");
	}
	mm_gen_factors(r0, T, nm, o.level, price, comp, conf);

	/* geos: each its own stream; the population draw comes first */
	width = 2;
	for (int n = G; n >= 100; n /= 10)
		width++;
	rg = mm_rng_create(0);
	for (int g = 0; g < G; g++)
	{
		gsl_rng_set(rg, mm_gen_seed(seed, GEO_STREAM | (int64) (g + 1)));
		u[g] = gsl_ran_lognormal(rg, 0.0, o.population_sd);
		geo_txt[g] = CStringGetTextDatum(psprintf("geo_%0*d", width, g + 1));
	}
	geo_populations(u, G, pop);
	for (int g = 0; g < G; g++)
		if (!(pop[g] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the population of geo %d rounds to 0", g + 1),
					 errdetail("%d geos share 10,000,000 people with a log-SD of %g.", G, o.population_sd),
					 errhint("Lower the \"population_sd\" option or the number of geos.")));

	/*
	 * The saturation's scale of each channel: the mean adstocked national
	 * spend (the sum of the geos' spend), so that a geo's curve sees its
	 * adstocked spend per person over the national mean per person.
	 */
	draw.seed = seed;
	draw.T = T;
	draw.C = C;
	draw.def = def;
	draw.phase = phase;
	draw.national = national;
	draw.spend_level = spend_level;
	draw.target = target;
	draw.o = &o;
	draw.own = own;
	total_x = palloc0(sizeof(double) * C * T);
	for (int g = 0; g < G; g++)
	{
		double		roas[GEO_MAX_CHANNELS];

		CHECK_FOR_INTERRUPTS();
		geo_draw_spend(&draw, rg, g, pop[g] / GEO_POPULATION, x, roas);
		for (size_t i = 0; i < (size_t) C * T; i++)
			total_x[i] += x[i];
	}
	for (int c = 0; c < C; c++)
		mixmodel_check_core(mm_gen_adstock_mean(&shape[c], total_x + (size_t) c * T, T, work, &scale[c]),
							"generate_geo_data");

	term_txt[MM_GEN_TERM_BASE] = CStringGetTextDatum("base");
	term_txt[MM_GEN_TERM_TREND] = CStringGetTextDatum("trend");
	term_txt[MM_GEN_TERM_SEASON] = CStringGetTextDatum("seasonality");
	term_txt[MM_GEN_TERM_HOLIDAY] = CStringGetTextDatum("holiday");
	for (int k = 0; k < MM_GEN_NFACTORS; k++)
		term_txt[MM_GEN_TERM_FACTOR0 + k] = CStringGetTextDatum(mm_gen_factor_names[k]);
	for (int c = 0; c < C; c++)
		term_txt[MM_GEN_NFIXED + c] = CStringGetTextDatum(def[c]->name);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "generate_geo_data: SPI_connect failed");
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	schema = pstrdup(quote_identifier(schema_name));
	gen_prepare_schema(schema_name, geo_table_names, NGEOTABLES, o.replace);

	initStringInfo(&cols);
	appendStringInfoString(&cols, "geo text NOT NULL, week date NOT NULL, population float8 NOT NULL, "
						   "revenue float8 NOT NULL");
	for (int c = 0; c < C; c++)
		appendStringInfo(&cols, ", %s float8 NOT NULL",
						 quote_identifier(psprintf("%s_spend", def[c]->name)));
	appendStringInfoString(&cols, ", price_index float8 NOT NULL, competitor_spend float8 NOT NULL, "
						   "consumer_confidence float8 NOT NULL, holiday int4 NOT NULL");
	gen_exec_sql(psprintf("CREATE TABLE %s.geo_weekly (%s)", schema, cols.data));
	gen_exec_sql(psprintf("CREATE TABLE %s.truth_geo (geo text NOT NULL, channel text NOT NULL, "
						  "population float8 NOT NULL, spend float8 NOT NULL, contribution float8 NOT NULL, "
						  "roas float8, roi float8, coef float8 NOT NULL, input_scale float8 NOT NULL)", schema));
	gen_exec_sql(psprintf("CREATE TABLE %s.truth_geo_channel (channel text NOT NULL, spend float8 NOT NULL, "
						  "contribution float8 NOT NULL, roas float8, roi float8, share float8 NOT NULL, "
						  "target_roas float8 NOT NULL, adstock text NOT NULL, adstock_p1 float8 NOT NULL, "
						  "adstock_p2 float8 NOT NULL, max_lag int4 NOT NULL, adstock_normalize boolean NOT NULL, "
						  "saturation text NOT NULL, sat_p1 float8 NOT NULL, sat_p2 float8 NOT NULL)", schema));
	gen_exec_sql(psprintf("CREATE TABLE %s.truth_geo_contributions (geo text NOT NULL, week date NOT NULL, "
						  "term text NOT NULL, contribution float8 NOT NULL)", schema));
	gen_exec_sql(psprintf("CREATE TABLE %s.truth_geo_kpi (geo text NOT NULL, week date NOT NULL, "
						  "expected float8 NOT NULL, noise float8 NOT NULL, kpi float8 NOT NULL)", schema));

	weekly_types = palloc(sizeof(Oid) * (4 + C + 4));
	memcpy(weekly_types, weekly_fixed, sizeof(weekly_fixed));
	for (int c = 0; c < C; c++)
		weekly_types[4 + c] = FLOAT8OID;
	weekly_types[4 + C] = FLOAT8OID;
	weekly_types[5 + C] = FLOAT8OID;
	weekly_types[6 + C] = FLOAT8OID;
	weekly_types[7 + C] = INT4OID;
	batch_init(&bw, psprintf("%s.geo_weekly", schema), 8 + C, weekly_types);
	batch_init(&bg, psprintf("%s.truth_geo", schema), lengthof(geo_types), geo_types);
	batch_init(&bc, psprintf("%s.truth_geo_contributions", schema), lengthof(contrib_types), contrib_types);
	batch_init(&bk, psprintf("%s.truth_geo_kpi", schema), lengthof(kpi_types), kpi_types);

	for (int g = 0; g < G; g++)
	{
		double		share = pop[g] / GEO_POPULATION;
		double		roas[GEO_MAX_CHANNELS];
		MMChannelSpec spec[GEO_MAX_CHANNELS];
		MMGenModel	model;
		MMGenParams params;
		MMStatus	st;

		CHECK_FOR_INTERRUPTS();

		geo_draw_spend(&draw, rg, g, share, x, roas);
		for (int c = 0; c < C; c++)
		{
			spec[c] = shape[c];
			/* Meridian's scaling: the shared curve sees spend per person over the national mean */
			spec[c].input_scale = share * scale[c];
		}
		/* factors: national price and confidence; competitor spend scaled by size */
		for (int t = 0; t < T; t++)
		{
			int			yy,
						mm,
						dd;

			gen_date_ymd(start + 7 * t, &yy, &mm, &dd);
			z[t] = price[t];
			z[T + t] = comp[t] * share;
			z[2 * T + t] = conf[(yy - y0) * 12 + (mm - m0)];
		}
		model.form = MM_FORM_ADDITIVE;
		model.T = T;
		model.C = C;
		model.level = o.level * share;
		model.noise = o.noise;
		model.x = x;
		model.target = roas;
		model.paid = paid;
		model.year_phase = phase;
		model.holiday = holiday;
		model.z = z;
		model.spec = spec;
		model.fixed_scale = true;
		st = mm_gen_truth(rg, &model, &params, contrib, mu, y, work);
		if (st == MM_EDOM)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("generated revenue of %s is not positive",
							TextDatumGetCString(geo_txt[g])),
					 errhint("Lower the \"noise\" option.")));
		mixmodel_check_core(st, "generate_geo_data");

		for (int t = 0; t < T; t++)
		{
			B_SET(&bw, 0, geo_txt[g]);
			B_SET(&bw, 1, week_d[t]);
			B_SET(&bw, 2, Float8GetDatum(pop[g]));
			B_SET(&bw, 3, Float8GetDatum(y[t]));
			for (int c = 0; c < C; c++)
				B_SET(&bw, 4 + c, Float8GetDatum(x[(size_t) c * T + t]));
			B_SET(&bw, 4 + C, Float8GetDatum(z[t]));
			B_SET(&bw, 5 + C, Float8GetDatum(z[T + t]));
			B_SET(&bw, 6 + C, Float8GetDatum(z[2 * T + t]));
			B_SET(&bw, 7 + C, Int32GetDatum((int32) holiday[t]));
			batch_next(&bw);

			for (int j = 0; j < nterms; j++)
			{
				B_SET(&bc, 0, geo_txt[g]);
				B_SET(&bc, 1, week_d[t]);
				B_SET(&bc, 2, term_txt[j]);
				B_SET(&bc, 3, Float8GetDatum(contrib[(size_t) j * T + t]));
				batch_next(&bc);
			}

			B_SET(&bk, 0, geo_txt[g]);
			B_SET(&bk, 1, week_d[t]);
			B_SET(&bk, 2, Float8GetDatum(mu[t]));
			B_SET(&bk, 3, Float8GetDatum(y[t] - mu[t]));
			B_SET(&bk, 4, Float8GetDatum(y[t]));
			batch_next(&bk);
			total_revenue += y[t];
		}

		for (int c = 0; c < C; c++)
		{
			double		spend = 0.0,
						contribution = 0.0;

			for (int t = 0; t < T; t++)
			{
				spend += x[(size_t) c * T + t];
				contribution += contrib[(size_t) (MM_GEN_NFIXED + c) * T + t];
			}
			spend = gen_round_cents(spend);	/* a sum of cents, without float dust */
			nat_spend[c] += spend;
			nat_contrib[c] += contribution;
			B_SET(&bg, 0, geo_txt[g]);
			B_SET(&bg, 1, term_txt[MM_GEN_NFIXED + c]);
			B_SET(&bg, 2, Float8GetDatum(pop[g]));
			B_SET(&bg, 3, Float8GetDatum(spend));
			B_SET(&bg, 4, Float8GetDatum(contribution));
			/* formulas §4.1: ROAS = contribution / spend, ROI = ROAS - 1 */
			if (spend > 0.0)
			{
				B_SET(&bg, 5, Float8GetDatum(contribution / spend));
				B_SET(&bg, 6, Float8GetDatum(contribution / spend - 1.0));
			}
			else
			{
				B_NULL(&bg, 5);
				B_NULL(&bg, 6);
			}
			B_SET(&bg, 7, Float8GetDatum(spec[c].coef));
			B_SET(&bg, 8, Float8GetDatum(spec[c].input_scale));
			batch_next(&bg);
		}
	}
	batch_flush(&bw);
	batch_flush(&bg);
	batch_flush(&bc);
	batch_flush(&bk);
	counts[TG_WEEKLY] = bw.total;
	counts[TG_TRUTH_GEO] = bg.total;
	counts[TG_TRUTH_CONTRIB] = bc.total;
	counts[TG_TRUTH_KPI] = bk.total;

	{
		Batch		bn;

		batch_init(&bn, psprintf("%s.truth_geo_channel", schema), lengthof(channel_types), channel_types);
		for (int c = 0; c < C; c++)
		{
			double		spend = gen_round_cents(nat_spend[c]);

			B_SET(&bn, 0, term_txt[MM_GEN_NFIXED + c]);
			B_SET(&bn, 1, Float8GetDatum(spend));
			B_SET(&bn, 2, Float8GetDatum(nat_contrib[c]));
			if (spend > 0.0)
			{
				B_SET(&bn, 3, Float8GetDatum(nat_contrib[c] / spend));
				B_SET(&bn, 4, Float8GetDatum(nat_contrib[c] / spend - 1.0));
			}
			else
			{
				B_NULL(&bn, 3);
				B_NULL(&bn, 4);
			}
			B_SET(&bn, 5, Float8GetDatum(nat_contrib[c] / total_revenue));
			B_SET(&bn, 6, Float8GetDatum(target[c]));
			B_SET(&bn, 7, CStringGetTextDatum(gen_adstock_name(shape[c].adstock)));
			B_SET(&bn, 8, Float8GetDatum(shape[c].adstock_p1));
			B_SET(&bn, 9, Float8GetDatum(shape[c].adstock_p2));
			B_SET(&bn, 10, Int32GetDatum(shape[c].max_lag));
			B_SET(&bn, 11, BoolGetDatum(shape[c].adstock_normalize));
			B_SET(&bn, 12, CStringGetTextDatum(gen_saturation_name(shape[c].saturation)));
			B_SET(&bn, 13, Float8GetDatum(shape[c].sat_p1));
			B_SET(&bn, 14, Float8GetDatum(shape[c].sat_p2));
			batch_next(&bn);
		}
		batch_flush(&bn);
		counts[TG_TRUTH_CHANNEL] = bn.total;
	}

	for (int i = 0; i < NGEOTABLES; i++)
	{
		CHECK_FOR_INTERRUPTS();
		gen_exec_sql(psprintf("ALTER TABLE %s.%s ADD PRIMARY KEY (%s)", schema,
							  quote_identifier(geo_table_names[i]), geo_table_keys[i]));
	}

	AtEOXact_GUC(false, save_nestlevel);
	SPI_finish();

	for (int i = 0; i < NGEOTABLES; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(geo_table_names[i]);
		values[1] = Int64GetDatum(counts[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
