/*
 * mixmodel.c: module magic and load-time set-up.
 */
#include "postgres.h"

#include <dlfcn.h>

#include <gsl/gsl_errno.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "common/arrays.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * GSL's default error handler calls abort(), which would take the backend
 * down; we turn it off and check every status instead.  OpenBLAS would start
 * one thread per core inside each backend; parallelism belongs to PostgreSQL's
 * workers, so keep BLAS to one thread.
 */
void
_PG_init(void)
{
	void		(*set_threads) (int);

	gsl_set_error_handler_off();

	set_threads = (void (*) (int)) dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
	if (set_threads != NULL)
		set_threads(1);

	DefineCustomIntVariable("mixmodel.max_array_length",
							"Largest array a mixmodel function accepts (1 .. 100000000).",
							"Bounds the memory one call can take; longer arrays raise SQLSTATE 54000.",
							&mm_max_array_length,
							10000000, 1, 100000000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	MarkGUCPrefixReserved("mixmodel");
}
