/*
 * args.h: array arguments of the internal C functions whose SQL callers
 * build the arrays (training): NULL arguments and NULL elements are errors
 * (22004) naming the argument, lengths are checked by mm_check_length.
 */
#ifndef MM_ARGS_H
#define MM_ARGS_H

#include "postgres.h"
#include "fmgr.h"

extern int *mm_int_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n);
extern char **mm_text_array_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n);

/* float8[] whose NULL elements become NaN (no finiteness check): optional values */
extern double *mm_float8_array_nan_arg(FunctionCallInfo fcinfo, int argno, const char *name, int *n);

/* validated float8[] (mm_float8_array_values with MM_ARR_ALLOW_EMPTY added) */
extern double *mm_float8_array_arg(FunctionCallInfo fcinfo, int argno, const char *name,
								   int flags, int *n);

/* 2202E unless got == want */
extern void mm_check_length(int got, int want, const char *name);

#endif
