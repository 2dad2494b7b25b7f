/*
 * rules.h: rule-based attribution weights (formulas.md §6.2, Adobe CJA/AA).
 *
 * Each rule turns a path of n touches into weights w[0..n-1], the share of
 * the conversion credited to each touch (touch 0 first in time).  Plain C,
 * arrays in, status out, no allocation.
 */
#ifndef MM_ATTR_RULES_H
#define MM_ATTR_RULES_H

#include <stdbool.h>

#include "math/mm_status.h"

typedef enum MMAttrRule
{
	MM_ATTR_FIRST_TOUCH,
	MM_ATTR_LAST_TOUCH,
	MM_ATTR_SAME_TOUCH,			/* only the touch of the conversion event itself */
	MM_ATTR_LINEAR,
	MM_ATTR_PARTICIPATION,		/* every distinct channel gets the whole conversion */
	MM_ATTR_U_SHAPED,			/* pos(40, 20, 40) */
	MM_ATTR_J_CURVE,			/* pos(20, 20, 60) */
	MM_ATTR_INVERSE_J,			/* pos(60, 20, 20) */
	MM_ATTR_CUSTOM,				/* pos(first, middle, last) */
	MM_ATTR_TIME_DECAY			/* 2^(-dt/h), normalised */
} MMAttrRule;

#define MM_ATTR_RULES 10

/* Names, indexed by MMAttrRule, as options and event_scores.model spell them. */
extern const char *const mm_attr_rule_names[MM_ATTR_RULES];

/* The rule named s into *rule; false when s names none. */
extern bool mm_attr_rule_parse(const char *s, MMAttrRule *rule);

/* Parameters of the rules that take some. */
typedef struct MMAttrRuleParams
{
	double		first;			/* custom: weight of the first touch, >= 0 */
	double		middle;			/* custom: weight shared by the middle touches, >= 0 */
	double		last;			/* custom: weight of the last touch, >= 0 */
	double		half_life;		/* time decay: h > 0, in the unit of lag[] */
} MMAttrRuleParams;

/*
 * The generic position rule pos(n; f, m, l): n = 1 -> (1); n = 2 ->
 * (f, l)/(f + l), or (1/2, 1/2) when f + l = 0 (mixmodel choice); n >= 3 ->
 * (f, m/(n-2), ..., m/(n-2), l)/(f + m + l).  MM_EDOM unless f, m, l >= 0,
 * finite and f + m + l > 0.
 */
extern MMStatus mm_attr_position_weights(double f, double m, double l, int n, double *w);

/*
 * Weights of rule for n >= 1 touches.
 *   lag:      time decay: lag[i] = t_conv - t_i >= 0 (any unit, the unit of
 *             half_life); others ignore it (may be NULL)
 *   token:    participation: a channel id per touch; a channel met m times
 *             gets 1/m at each touch, so each distinct channel sums to 1;
 *             NULL means all distinct (every weight 1)
 *   same:     same touch: true for the touches of the conversion event itself
 *             (each gets 1/count); NULL or none true gives all 0 (the
 *             conversion goes to "none")
 * MM_EDOM for n < 1, bad parameters, a negative or non-finite lag.
 */
extern MMStatus mm_attr_rule_weights(MMAttrRule rule, int n, const MMAttrRuleParams *p,
									 const double *lag, const int *token, const bool *same,
									 double *w);

#endif
