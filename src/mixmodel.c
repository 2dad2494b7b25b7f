/*
 * mixmodel.c: module magic and load-time set-up.
 */
#include "postgres.h"

#include <dlfcn.h>

#include <gsl/gsl_errno.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "common/arrays.h"
#include "model/sample_chains.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * GSL's default error handler calls abort(), which would take the backend
 * down; we turn it off and check every status instead.  OpenBLAS would start
 * one thread per core inside each backend; parallelism belongs to PostgreSQL's
 * workers and to the sampler's chains (mixmodel.sampler_threads), so keep BLAS
 * to one thread.
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

	DefineCustomIntVariable("mixmodel.sampler_threads",
							"Chains a Bayesian training samples at once, in threads of its backend (1 .. 64).",
							"At most the number of chains and of online CPUs; 1 samples them one after another. "
							"The draws do not depend on it.",
							&mm_sampler_threads,
							4, 1, 64,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	MarkGUCPrefixReserved("mixmodel");
}
