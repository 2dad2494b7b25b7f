/*
 * generate.h: the generator's experiments with known true rates
 * (doc/generator.md "Experiments"), written after the truth of generate_raw_data.
 */
#ifndef MM_EXPERIMENT_GENERATE_H
#define MM_EXPERIMENT_GENERATE_H

#include "postgres.h"

#include "utils/date.h"

typedef struct MMGenExperiments
{
	int64		seed;
	DateADT		start;			/* first day (a Monday) */
	int			T;				/* weeks */
	int			D;				/* days */
	double		aov;			/* average order value */
	/* content experiment: NULL owned_channel for none */
	const char *owned_channel;
	double		owned_rate;		/* the channel's open rate */
	const double *owned_sends;	/* D daily sends of the channel */
	/* holdout lift study: NULL lift_channel for none */
	const char *lift_channel;
	const double *lift_contrib; /* T weekly true contributions of the channel */
	const double *mu;			/* T weekly noiseless KPI */
	const char *assignments_table;	/* qualified names */
	const char *truth_table;
} MMGenExperiments;

/* Writes both experiments; rows and truth get the row counts. */
extern void mm_generate_experiments(const MMGenExperiments *x, int64 *rows, int64 *truth);

#endif
