/*
 * errors.c: the one place that maps GSL, LAPACK and core status codes to
 * SQLSTATEs (pg-extension-practices §6).
 */
#include "postgres.h"

#include <gsl/gsl_errno.h>

#include "miscadmin.h"

#include "common/errors.h"

void
mixmodel_check_gsl(int status, const char *what)
{
	if (status == GSL_SUCCESS)
		return;

	switch (status)
	{
		case GSL_EDOM:
		case GSL_EINVAL:
		case GSL_EBADLEN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid argument in %s", what),
					 errdetail("GSL reported: %s.", gsl_strerror(status))));
			break;
		case GSL_ESING:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("singular system in %s", what),
					 errhint("Remove collinear inputs or add a ridge penalty.")));
			break;
		case GSL_EOVRFLW:
		case GSL_ERANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range in %s", what),
					 errdetail("GSL reported: %s.", gsl_strerror(status))));
			break;
		case GSL_EMAXITER:
		case GSL_ENOPROG:
		case GSL_ENOPROGJ:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s did not converge", what),
					 errdetail("GSL reported: %s.", gsl_strerror(status)),
					 errhint("Loosen the tolerance or raise the iteration limit.")));
			break;
		case GSL_ENOMEM:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory in %s", what)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("%s failed", what),
					 errdetail("GSL reported: %s (status %d).", gsl_strerror(status), status)));
	}
}

void
mixmodel_check_lapack(int info, const char *routine)
{
	if (info == 0)
		return;
	if (info < 0)
		elog(ERROR, "%s: illegal argument %d", routine, -info);
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("design matrix is singular"),
			 errdetail("%s reported a zero pivot or non-positive minor at position %d.", routine, info),
			 errhint("Remove collinear channels or add a ridge penalty.")));
}

void
mixmodel_check_core(MMStatus status, const char *what)
{
	switch (status)
	{
		case MM_OK:
			return;
		case MM_EDOM:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid parameter value in %s", what)));
			break;
		case MM_ESING:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("design matrix is singular in %s", what),
					 errhint("Remove collinear channels or add a ridge penalty.")));
			break;
		case MM_EOVRFLW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range in %s", what)));
			break;
		case MM_ENOCONV:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s did not converge", what)));
			break;
		case MM_EINFEASIBLE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("constraints cannot be met in %s", what)));
			break;
		case MM_ENOMEM:
			elog(ERROR, "%s: workspace too small", what);
			break;
		case MM_ECANCELED:
			/* the caller stopped the core because an interrupt is pending: serve it */
			CHECK_FOR_INTERRUPTS();
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("%s was stopped", what)));
			break;
	}
}

void
mixmodel_interrupt_check(void)
{
	CHECK_FOR_INTERRUPTS();
}
