/*
 * test_status.c: the status enum keeps MM_OK at zero (callers test "!= MM_OK").
 */
#include "math/mm_status.h"
#include "unit.h"

void
test_status(void)
{
	UNIT_OK(MM_OK == 0, "MM_OK is zero");
	UNIT_OK(MM_EDOM != MM_OK && MM_ESING != MM_OK, "error statuses are non-zero");
}
