/*
 * arrays.h: validated float8[] access and scalar parameter checks for the glue.
 */
#ifndef MM_ARRAYS_H
#define MM_ARRAYS_H

#include "postgres.h"
#include "utils/array.h"

/* GUC mixmodel.max_array_length: longest array any function accepts. */
extern int	mm_max_array_length;

#define MM_ARR_NONNEG		0x01	/* reject negative elements (spend, exposure) */
#define MM_ARR_ALLOW_EMPTY	0x02	/* an empty array is acceptable */
#define MM_ARR_POS_INF		0x04	/* +Infinity is acceptable (no upper bound) */

/*
 * Return the elements of a one-dimensional float8[] as a C array, after
 * checking: no NULL element (22004), all finite (22023; +Infinity allowed if asked), non-negative if asked
 * (22023), non-empty unless allowed (2202E), at most mm_max_array_length
 * elements (54000).  argname names the argument in messages.
 */
extern float8 *mm_float8_array_values(ArrayType *arr, const char *argname,
									  int flags, int *n);

/*
 * The elements of a one-dimensional text[] as Datums, after checking: no NULL
 * element (22004), one dimension (2202E).  argname names the argument.
 */
extern Datum *mm_text_array_values(ArrayType *arr, const char *argname, int *n);

/* Build a float8[] from n values. */
extern ArrayType *mm_float8_array_build(const float8 *values, int n);

/* Error 22023 unless v is finite. */
extern void mm_check_finite(float8 v, const char *argname);

/*
 * Error 22023 unless lo <= v <= hi, with each end open when its flag is
 * false; the message shows the interval in the usual bracket notation.
 */
extern void mm_check_range(float8 v, const char *argname,
						   float8 lo, bool lo_closed, float8 hi, bool hi_closed);

/* Error 22004 naming the argument when a non-STRICT function gets a NULL. */
extern void mm_null_argument(const char *argname) pg_attribute_noreturn();

#endif
