/*
 * generate_journeys.h: the events of generate_raw_data with option
 * "journeys": persons, sessions and owned-channel journeys whose
 * conversions are caused by known channels (doc/generator.md).
 */
#ifndef MM_GENERATE_JOURNEYS_H
#define MM_GENERATE_JOURNEYS_H

#include "postgres.h"

#include <gsl/gsl_rng.h>

#include "utils/date.h"

typedef struct JourneyInput
{
	gsl_rng    *r;
	int			D;				/* days */
	int			T;				/* weeks */
	DateADT		start;
	int64		profiles;
	int			C;				/* channels of the model */
	const char *const *channel;	/* C names */
	const bool *owned;			/* C: owned channel (email, push, sms) */
	const bool *has_touches;	/* C: makes event touches (daily paid or owned) */
	int			ntouch;			/* touch sources: channel x campaign */
	const int  *source_channel;	/* ntouch: index into channel */
	const char *const *source_campaign;
	const char *const *source_journey;	/* owned sources: the journey; else NULL */
	const double *weight;		/* D x ntouch: the day's clicks of each source */
	double		budget;			/* touches over the whole range */
	const int64 *conv;			/* D: online orders */
	const double *conv_rev;		/* D: online revenue */
	const double *contrib;		/* truth contributions, (NFIXED + C) x T */
	int			nfixed;			/* rows before the channels in contrib */
	const double *mu;			/* T: noiseless KPI */
	const char *events_table;	/* qualified names */
	const char *truth_table;
	const char *causes_table;
} JourneyInput;

/* The journey lag kernel's half-life in days of a channel (its effect after a touch). */
extern double journey_half_life(const char *channel);

/* Write the three tables; returns their row counts in counts[0..2]. */
extern void write_journeys(const JourneyInput *in, int64 counts[3]);

#endif
