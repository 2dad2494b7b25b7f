/*
 * transforms.h: path transforms applied before the attribution models
 * (formulas.md §6.5; Fractribution and Snowplow's names).
 */
#ifndef MM_ATTR_TRANSFORMS_H
#define MM_ATTR_TRANSFORMS_H

#include <stdbool.h>

#include "math/mm_status.h"

typedef enum MMPathTransform
{
	MM_PT_UNIQUE,				/* identity */
	MM_PT_EXPOSURE,				/* collapse consecutive repeats */
	MM_PT_FIRST,				/* first occurrences, in order */
	MM_PT_FREQUENCY,			/* first occurrences, with their counts */
	MM_PT_REMOVE_IF_NOT_ALL,	/* drop channel X unless the path is only X */
	MM_PT_REMOVE_IF_LAST_AND_NOT_ALL,	/* drop trailing X unless the path is only X */
	MM_PT_TRIM_LONG_PATH		/* keep the last N steps */
} MMPathTransform;

#define MM_PATH_TRANSFORMS 7

extern const char *const mm_path_transform_names[MM_PATH_TRANSFORMS];
extern bool mm_path_transform_parse(const char *s, MMPathTransform *t);

/* Whether the transform takes a channel (X) or a number (N). */
extern bool mm_path_transform_takes_channel(MMPathTransform t);
extern bool mm_path_transform_takes_number(MMPathTransform t);

/*
 * Apply t to tok[0..n-1] in place; returns the new length.  channel is X
 * (remove_*), number is N >= 1 (trim_long_path).  count[] (n ints, may be
 * NULL unless FREQUENCY) receives each kept step's number of occurrences.
 * keep[] (n bools, may be NULL) tells, for each input step, whether it was
 * kept.  Returns -1 for a bad argument.
 */
extern int	mm_path_transform(MMPathTransform t, int channel, int number,
							  int *tok, int n, int *count, bool *keep);

#endif
