/*
 * attribution.h: shared pieces of the attribution stage's glue.
 */
#ifndef MM_ATTRIBUTION_H
#define MM_ATTRIBUTION_H

#include "postgres.h"

#include "attribution/paths.h"
#include "math/attribution/rules.h"
#include "math/attribution/transforms.h"

/* The rule named s, or 22023 listing the rules. */
extern MMAttrRule attr_rule_arg(const char *s);

/* A transform written name or name(argument): 22023 for unknown names or bad arguments. */
extern void attr_parse_transform(const char *spec, MMPathTransform *t, char **channel, int *number);

#endif
