/*
 * errors.h: the one map from library and core status codes to SQLSTATEs.
 */
#ifndef MM_ERRORS_H
#define MM_ERRORS_H

#include "math/mm_status.h"

/* Raise an error for a non-zero GSL status; "what" names the computation. */
extern void mixmodel_check_gsl(int status, const char *what);

/* Raise an error for a non-zero LAPACK info; "routine" names the LAPACK call. */
extern void mixmodel_check_lapack(int info, const char *routine);

/* Raise an error for a core status other than MM_OK. */
extern void mixmodel_check_core(MMStatus status, const char *what);

/* Interrupt callback handed to the core (runs CHECK_FOR_INTERRUPTS). */
extern void mixmodel_interrupt_check(void);

#endif
