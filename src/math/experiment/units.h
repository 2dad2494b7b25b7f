/*
 * units.h: one unit of a simulated experiment with known true rates (the
 * generator's message experiments and holdout lift studies, doc/generator.md).
 */
#ifndef MM_EXPERIMENT_UNITS_H
#define MM_EXPERIMENT_UNITS_H

#include <gsl/gsl_rng.h>

#include "math/mm_status.h"

/* The truth of one arm. */
typedef struct MMExpArmTruth
{
	double		share;			/* planned share of units (the shares sum to 1) */
	double		open_rate;		/* P(opened); NaN: not a message */
	double		click_rate;		/* P(clicked | opened) */
	double		order_rate;		/* mean orders per unit (Poisson) */
} MMExpArmTruth;

typedef struct MMExpUnit
{
	int			arm;
	int			opened;			/* -1 when the arm has no open rate */
	int			clicked;
	int			orders;
	double		revenue;
} MMExpUnit;

/*
 * The arm of a unit whose assignment draw is u in [0, 1) (cumulative shares),
 * then its outcomes: opened ~ Bernoulli(open_rate), clicked ~
 * Bernoulli(click_rate) among opened, orders ~ Poisson(order_rate), each order
 * worth aov times a LogNormal of mean 1 and log-SD value_sigma.
 */
extern MMStatus mm_exp_draw_unit(gsl_rng *r, double u, int K, const MMExpArmTruth *arms,
								 double aov, double value_sigma, MMExpUnit *out);

#endif
