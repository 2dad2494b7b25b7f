/*
 * mm_status.h: status codes returned by the numerical core (src/math).
 *
 * The core never allocates and never includes postgres.h; it returns one of
 * these and the glue maps it to an SQLSTATE in src/common/errors.c.
 */
#ifndef MM_STATUS_H
#define MM_STATUS_H

typedef enum MMStatus
{
	MM_OK = 0,
	MM_EDOM,			/* a parameter outside its domain */
	MM_ESING,			/* singular or rank-deficient system */
	MM_EOVRFLW,			/* result overflowed or is not finite */
	MM_ENOCONV,			/* iteration did not converge */
	MM_ENOMEM,			/* workspace too small (caller bug) */
	MM_EINFEASIBLE,		/* constraints cannot be met */
	MM_ECANCELED		/* stopped at the caller's request (a pending interrupt) */
} MMStatus;

/* Callback the core calls once per outer iteration; the glue checks interrupts. */
typedef void (*MMInterruptFn) (void);

#endif
