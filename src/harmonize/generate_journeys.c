/*
 * generate_journeys.c: the events of generate_raw_data with option "journeys"
 * (doc/generator.md, "Journeys").
 *
 * Each day's touches are drawn per source (channel x campaign) as the
 * ordinary events are, each for a person drawn uniformly: a paid touch is a
 * click that opens a session; an owned touch is an opened message of a
 * journey (a send, then the open, sometimes a click that opens a session).
 * Each of the day's online conversions (conversions_daily) then gets a true
 * cause: a channel with probability equal to that channel's share of the
 * week's noiseless KPI in the truth decomposition, else the base.  A channel
 * that makes touches picks the touch that caused the conversion among its
 * touches of the last JOURNEY_WINDOW days, with weight 2^(-days/h) for the
 * channel's half-life h, and the conversion goes to that touch's person
 * (in its session when it follows the touch within the hour); the base and
 * channels without touches (TV-like) convert a person drawn uniformly.  So
 * each channel's true effect on conversion is known exactly, per conversion
 * (truth_conversions) and per week (truth_attribution), and in expectation it
 * agrees with the marketing-mix truth.  Memory holds the window's touches.
 */
#include "postgres.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "harmonize/batch.h"
#include "harmonize/generate_journeys.h"

/* days a touch can still cause a conversion */
#define JOURNEY_WINDOW 28
#define USEC_DAY INT64CONST(86400000000)
#define USEC_MIN INT64CONST(60000000)

/* half-lives of the touch effect, in days (a channel missing here: 2) */
static const struct
{
	const char *channel;
	double		half_life;
}			half_lives[] = {
	{"search", 0.5}, {"social", 3.0}, {"display", 4.0}, {"video", 5.0},
	{"affiliate", 1.0}, {"email", 2.0}, {"push", 1.0}, {"sms", 0.5}
};

double
journey_half_life(const char *channel)
{
	for (int i = 0; i < (int) lengthof(half_lives); i++)
		if (strcmp(half_lives[i].channel, channel) == 0)
			return half_lives[i].half_life;
	return 2.0;
}

/* A touch that can cause conversions (a click, or an opened message). */
typedef struct Exposure
{
	int64		person;
	int64		usec;			/* in its day */
	int64		event_id;
	int64		session;		/* 0: none */
} Exposure;

/* One event row of the day being written. */
typedef struct JRow
{
	int64		id;
	int64		person;
	int64		session;		/* 0: NULL */
	int64		usec;
	int			source;			/* touch source, -1 for a conversion */
	int			action;			/* 0 click, 1 send, 2 open */
	int			message;		/* owned: step of the journey, 1..3 */
	double		revenue;
} JRow;

static const char *const actions[] = {"click", "send", "open"};

static int
cmp_row(const void *a, const void *b)
{
	const JRow *x = a,
			   *y = b;

	if (x->usec != y->usec)
		return x->usec < y->usec ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* A day's exposures of each channel, kept for the window. */
typedef struct Ring
{
	int			C;
	Exposure  **day;			/* [slot * C + c] */
	int		   *n;
	int		   *cap;
} Ring;

static void
ring_add(Ring *rg, int slot, int c, const Exposure *e)
{
	int			k = slot * rg->C + c;

	if (rg->n[k] == rg->cap[k])
	{
		rg->cap[k] = Max(64, 2 * rg->cap[k]);
		rg->day[k] = rg->day[k] ? repalloc_huge(rg->day[k], sizeof(Exposure) * rg->cap[k])
			: palloc_extended(sizeof(Exposure) * rg->cap[k], MCXT_ALLOC_HUGE);
	}
	rg->day[k][rg->n[k]++] = *e;
}

void
write_journeys(const JourneyInput *in, int64 counts[3])
{
	static const Oid ev_types[] = {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, FLOAT8OID};
	static const Oid tr_types[] = {DATEOID, TEXTOID, INT8OID, FLOAT8OID};
	static const Oid ca_types[] = {INT8OID, TEXTOID, INT8OID};
	Batch		ev,
				ca;
	Ring		rg;
	double		total_w = 0.0;
	double	   *kernel = palloc(sizeof(double) * in->C * JOURNEY_WINDOW);
	double	   *share = palloc(sizeof(double) * (in->C + 1));
	double	   *lagw = palloc(sizeof(double) * JOURNEY_WINDOW);
	double	   *tr_conv = palloc0(sizeof(double) * in->T * (in->C + 1));
	double	   *tr_rev = palloc0(sizeof(double) * in->T * (in->C + 1));
	Datum	   *ch_txt = palloc(sizeof(Datum) * in->C);
	Datum	   *src_cp = palloc(sizeof(Datum) * Max(in->ntouch, 1));
	Datum	   *src_jn = palloc(sizeof(Datum) * Max(in->ntouch, 1));
	Datum	   *src_msg = palloc(sizeof(Datum) * 3 * Max(in->ntouch, 1));
	Datum		act_txt[3],
				touch_txt = CStringGetTextDatum("touch"),
				conv_txt = CStringGetTextDatum("conversion"),
				online_txt = CStringGetTextDatum("online"),
				base_txt = CStringGetTextDatum("base");
	JRow	   *rows = NULL;
	int			rcap = 0;
	int64		next_id = 1;
	double	   *alpha = NULL,
			   *dshare = NULL;
	int64		dcap = 0;

	for (int j = 0; j < 3; j++)
		act_txt[j] = CStringGetTextDatum(actions[j]);
	for (int c = 0; c < in->C; c++)
	{
		double		h = journey_half_life(in->channel[c]);

		ch_txt[c] = CStringGetTextDatum(in->channel[c]);
		for (int d = 0; d < JOURNEY_WINDOW; d++)
			kernel[c * JOURNEY_WINDOW + d] = exp2(-d / h);
	}
	for (int j = 0; j < in->ntouch; j++)
	{
		src_cp[j] = CStringGetTextDatum(in->source_campaign[j]);
		src_jn[j] = in->source_journey[j] ? CStringGetTextDatum(in->source_journey[j]) : (Datum) 0;
		for (int m = 0; m < 3; m++)
			src_msg[3 * j + m] = in->source_journey[j]
				? CStringGetTextDatum(psprintf("%s_step%d", in->source_journey[j], m + 1)) : (Datum) 0;
	}
	for (size_t i = 0; i < (size_t) in->D * in->ntouch; i++)
		total_w += in->weight[i];
	rg.C = in->C;
	rg.day = palloc0(sizeof(Exposure *) * JOURNEY_WINDOW * in->C);
	rg.n = palloc0(sizeof(int) * JOURNEY_WINDOW * in->C);
	rg.cap = palloc0(sizeof(int) * JOURNEY_WINDOW * in->C);

	batch_init(&ev, in->events_table, lengthof(ev_types), ev_types);
	batch_init(&ca, in->causes_table, lengthof(ca_types), ca_types);

	for (int i = 0; i < in->D; i++)
	{
		int			slot = i % JOURNEY_WINDOW,
					t = i / 7,
					nrows = 0;
		double		base = 1.0,
					paid_rev = 0.0;
		int64		ntouches;
		DateADT		day = in->start + i;

		CHECK_FOR_INTERRUPTS();
		for (int c = 0; c < in->C; c++)
			rg.n[slot * in->C + c] = 0;

		/* touches: per source, in proportion to its clicks of the day */
		for (int j = 0; j < in->ntouch; j++)
		{
			double		wj = in->weight[(size_t) i * in->ntouch + j];
			int			c = in->source_channel[j];
			bool		owned = in->owned[c];

			ntouches = (total_w > 0.0 && wj > 0.0)
				? (int64) gsl_ran_poisson(in->r, in->budget * wj / total_w) : 0;
			for (int64 k = 0; k < ntouches; k++)
			{
				Exposure	e;
				int			msg = 1 + (int) gsl_rng_uniform_int(in->r, 3);

				if (nrows + 3 > rcap)
				{
					rcap = Max(1024, 2 * (nrows + 3));
					rows = rows ? repalloc_huge(rows, sizeof(JRow) * rcap) : palloc_extended(sizeof(JRow) * rcap, MCXT_ALLOC_HUGE);
				}
				e.person = 1 + (int64) gsl_rng_uniform_int(in->r, (unsigned long) in->profiles);
				e.usec = (int64) floor(gsl_rng_uniform(in->r) * (double) USEC_DAY);
				e.session = 0;
				if (owned)
				{
					/* the send some hours before, the open, maybe a click that opens a session */
					JRow	   *s = &rows[nrows++];

					s->id = next_id++;
					s->person = e.person;
					s->session = 0;
					s->usec = (int64) floor(gsl_rng_uniform(in->r) * (double) e.usec);
					s->source = j;
					s->action = 1;
					s->message = msg;
				}
				e.event_id = next_id++;
				rows[nrows] = (JRow)
				{
					e.event_id, e.person, 0, e.usec, j, owned ? 2 : 0, msg, 0.0
				};
				if (!owned)
					rows[nrows].session = e.session = e.event_id;
				nrows++;
				if (owned && gsl_rng_uniform(in->r) < 0.25)
				{
					JRow	   *cl = &rows[nrows++];
					int64		after = (int64) (gsl_rng_uniform(in->r) * 30 * USEC_MIN);

					cl->id = next_id++;
					cl->person = e.person;
					/* (Min() evaluates its arguments twice: draw first) */
					cl->usec = Min(e.usec + after, USEC_DAY - 1);
					cl->session = cl->id;
					cl->source = j;
					cl->action = 0;
					cl->message = msg;
				}
				ring_add(&rg, slot, c, &e);
			}
		}

		/* causes: each channel's share of the week's noiseless KPI, the rest the base */
		for (int c = 0; c < in->C; c++)
		{
			double		v = in->contrib[(size_t) (in->nfixed + c) * in->T + t] / in->mu[t];

			share[c + 1] = Max(v, 0.0);
			base -= share[c + 1];
		}
		share[0] = Max(base, 0.0);
		if (in->conv[i] > dcap)
		{
			dcap = Max(in->conv[i], 2 * dcap);
			alpha = alpha ? repalloc_huge(alpha, sizeof(double) * dcap) : palloc_extended(sizeof(double) * dcap, MCXT_ALLOC_HUGE);
			dshare = dshare ? repalloc_huge(dshare, sizeof(double) * dcap) : palloc_extended(sizeof(double) * dcap, MCXT_ALLOC_HUGE);
		}
		if (in->conv[i] > 0)
		{
			for (int64 k = 0; k < in->conv[i]; k++)
				alpha[k] = 2.0;
			gsl_ran_dirichlet(in->r, (size_t) in->conv[i], alpha, dshare);
		}
		for (int64 k = 0; k < in->conv[i]; k++)
		{
			gsl_ran_discrete_t *tab = NULL;
			int			cause = 0;
			double		u = gsl_rng_uniform(in->r),
						acc = 0.0,
						lsum = 0.0;
			Exposure   *src = NULL;
			JRow	   *cv;

			for (int c = 0; c <= in->C; c++)
			{
				acc += share[c];
				if (u < acc)
				{
					cause = c;
					break;
				}
				cause = c;
			}
			if (nrows + 1 > rcap)
			{
				rcap = Max(1024, 2 * (nrows + 1));
				rows = rows ? repalloc_huge(rows, sizeof(JRow) * rcap) : palloc_extended(sizeof(JRow) * rcap, MCXT_ALLOC_HUGE);
			}
			cv = &rows[nrows++];
			cv->id = next_id++;
			cv->source = -1;
			cv->action = 0;
			cv->message = 0;
			cv->revenue = (k == in->conv[i] - 1) ? in->conv_rev[i] - paid_rev : in->conv_rev[i] * dshare[k];
			if (cv->revenue < 0.0)
				cv->revenue = 0.0;
			paid_rev += cv->revenue;

			/* a channel with touches: the causing touch, by lag kernel x that day's touches */
			if (cause > 0 && in->has_touches[cause - 1])
			{
				int			c = cause - 1;

				for (int d = 0; d < JOURNEY_WINDOW; d++)
				{
					int			sl = ((i - d) % JOURNEY_WINDOW + JOURNEY_WINDOW) % JOURNEY_WINDOW;

					lagw[d] = (i - d >= 0) ? kernel[c * JOURNEY_WINDOW + d] * rg.n[sl * in->C + c] : 0.0;
					lsum += lagw[d];
				}
				if (lsum > 0.0)
				{
					int			d,
								sl,
								pick;

					tab = gsl_ran_discrete_preproc(JOURNEY_WINDOW, lagw);
					if (tab == NULL)
						ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
					d = (int) gsl_ran_discrete(in->r, tab);
					gsl_ran_discrete_free(tab);
					sl = ((i - d) % JOURNEY_WINDOW + JOURNEY_WINDOW) % JOURNEY_WINDOW;
					pick = (int) gsl_rng_uniform_int(in->r, (unsigned long) rg.n[sl * in->C + c]);
					src = &rg.day[sl * in->C + c][pick];
					cv->person = src->person;
					if (d == 0)
					{
						/* after the touch; in its session when within the hour */
						int64		after = (int64) gsl_ran_exponential(in->r, 20.0 * USEC_MIN);

						cv->usec = Min(src->usec + after, USEC_DAY - 1);
						cv->session = (src->session != 0 && cv->usec - src->usec < 60 * USEC_MIN) ? src->session : cv->id;
					}
					else
					{
						cv->usec = (int64) floor(gsl_rng_uniform(in->r) * (double) USEC_DAY);
						cv->session = cv->id;
					}
				}
				else
					cause = 0;	/* no touch of the channel in reach: the base converts */
			}
			if (src == NULL)
			{
				cv->person = 1 + (int64) gsl_rng_uniform_int(in->r, (unsigned long) in->profiles);
				cv->usec = (int64) floor(gsl_rng_uniform(in->r) * (double) USEC_DAY);
				cv->session = cv->id;
			}
			tr_conv[t * (in->C + 1) + cause] += 1.0;
			tr_rev[t * (in->C + 1) + cause] += cv->revenue;
			B_SET(&ca, 0, Int64GetDatum(cv->id));
			B_SET(&ca, 1, cause == 0 ? base_txt : ch_txt[cause - 1]);
			if (src)
				B_SET(&ca, 2, Int64GetDatum(src->event_id));
			else
				B_NULL(&ca, 2);
			batch_next(&ca);
		}

		/* the day's rows in time order */
		qsort(rows, nrows, sizeof(JRow), cmp_row);
		for (int k = 0; k < nrows; k++)
		{
			JRow	   *x = &rows[k];

			B_SET(&ev, 0, Int64GetDatum(x->id));
			B_SET(&ev, 1, Int64GetDatum(x->person));
			if (x->session)
				B_SET(&ev, 2, Int64GetDatum(x->session));
			else
				B_NULL(&ev, 2);
			B_SET(&ev, 3, TimestampTzGetDatum((TimestampTz) day * USEC_DAY + x->usec));
			if (x->source >= 0)
			{
				int			c = in->source_channel[x->source];

				B_SET(&ev, 4, touch_txt);
				B_SET(&ev, 5, ch_txt[c]);
				B_SET(&ev, 6, src_cp[x->source]);
				if (in->owned[c])
				{
					B_SET(&ev, 7, src_jn[x->source]);
					B_SET(&ev, 8, src_msg[3 * x->source + x->message - 1]);
				}
				else
				{
					B_NULL(&ev, 7);
					B_NULL(&ev, 8);
				}
				B_SET(&ev, 9, act_txt[x->action]);
				B_NULL(&ev, 10);
				B_NULL(&ev, 11);
			}
			else
			{
				B_SET(&ev, 4, conv_txt);
				for (int j = 5; j <= 9; j++)
					B_NULL(&ev, j);
				B_SET(&ev, 10, online_txt);
				B_SET(&ev, 11, Float8GetDatum(x->revenue));
			}
			batch_next(&ev);
		}
	}
	batch_flush(&ev);
	batch_flush(&ca);
	counts[0] = ev.total;
	counts[2] = ca.total;

	/* the true cause of the online conversions per week: the base and each channel */
	{
		Batch		tr;

		batch_init(&tr, in->truth_table, lengthof(tr_types), tr_types);
		for (int t = 0; t < in->T; t++)
			for (int c = 0; c <= in->C; c++)
			{
				B_SET(&tr, 0, DateADTGetDatum(in->start + 7 * t));
				B_SET(&tr, 1, c == 0 ? base_txt : ch_txt[c - 1]);
				B_SET(&tr, 2, Int64GetDatum((int64) tr_conv[t * (in->C + 1) + c]));
				B_SET(&tr, 3, Float8GetDatum(tr_rev[t * (in->C + 1) + c]));
				batch_next(&tr);
			}
		batch_flush(&tr);
		counts[1] = tr.total;
	}
}
