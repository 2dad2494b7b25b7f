/*
 * json.h: floats and float arrays as JSON text for the jsonb the training
 * functions return: 17 significant digits (exact round trip), non-finite
 * values as null.
 */
#ifndef MM_JSON_H
#define MM_JSON_H

#include "postgres.h"
#include "lib/stringinfo.h"

extern void mm_json_float(StringInfo b, double v);
extern void mm_json_array(StringInfo b, const double *v, int n);

/* "key":value and "key":[...] members, each preceded by a comma when not first */
extern void mm_json_member_float(StringInfo b, const char *key, double v, bool first);
extern void mm_json_member_array(StringInfo b, const char *key, const double *v, int n, bool first);

#endif
