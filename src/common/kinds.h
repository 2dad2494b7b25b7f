/*
 * kinds.h: adstock and saturation names of SQL arguments and stored specs,
 * looked up in the core's one name table, with the error for unknown names.
 */
#ifndef MM_KINDS_H
#define MM_KINDS_H

#include "math/adstock.h"
#include "math/saturation.h"

/* The adstock named s; error 22023 with the valid names otherwise. */
extern MMAdstockKind mm_adstock_kind_arg(const char *s);

/*
 * The saturation named s among the first n_valid kinds (MM_SATURATION_KINDS
 * for all); error 22023 otherwise.
 */
extern MMSaturationKind mm_saturation_kind_arg(const char *s, int n_valid);

#endif
