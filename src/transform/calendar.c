/*
 * calendar.c: period_start(), the first day of the day, week, month,
 * quarter or year holding a date or timestamp, with a chosen first day of
 * the week.  Media and KPI rows are rolled up to these periods
 * (Adobe Mix Modeler: daily rows roll into the week that starts on
 * week_start; doc/calendar_metrics.md).
 */
#include "postgres.h"

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(period_start_date);
PG_FUNCTION_INFO_V1(period_start_timestamp);

typedef enum Granularity
{
	GRAN_DAY,
	GRAN_WEEK,
	GRAN_MONTH,
	GRAN_QUARTER,
	GRAN_YEAR
} Granularity;

static const char *const granularity_names[] = {"day", "week", "month", "quarter", "year"};

/* j2day() numbering: 0 = Sunday .. 6 = Saturday */
static const char *const weekday_names[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"
};

static Granularity
ParseGranularity(text *t)
{
	char	   *s = text_to_cstring(t);

	for (int i = 0; i < (int) lengthof(granularity_names); i++)
		if (pg_strcasecmp(s, granularity_names[i]) == 0)
			return (Granularity) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown period granularity \"%s\"", s),
			 errhint("Valid granularities are day, week, month, quarter and year.")));
	return GRAN_DAY;			/* keep the compiler quiet */
}

static int
ParseWeekStart(text *t)
{
	char	   *s = text_to_cstring(t);

	for (int i = 0; i < 7; i++)
		if (pg_strcasecmp(s, weekday_names[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown week start \"%s\"", s),
			 errhint("Valid week starts are monday, tuesday, wednesday, thursday, friday, saturday and sunday.")));
	return 1;
}

/* First day of the period holding day d (days since 2000-01-01). */
static DateADT
PeriodStartDay(DateADT d, Granularity g, int week_start)
{
	int			year,
				month,
				mday;
	DateADT		result;

	switch (g)
	{
		case GRAN_DAY:
			return d;
		case GRAN_WEEK:
			{
				int			dow = j2day(d + POSTGRES_EPOCH_JDATE);

				result = d - (dow - week_start + 7) % 7;
				break;
			}
		default:
			j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
			if (g == GRAN_QUARTER)
				month = (month - 1) / 3 * 3 + 1;
			else if (g == GRAN_YEAR)
				month = 1;
			result = date2j(year, month, 1) - POSTGRES_EPOCH_JDATE;
			break;
	}
	/* a week start can fall before the earliest date PostgreSQL represents */
	if (!IS_VALID_DATE(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range")));
	return result;
}

/* period_start(date, granularity, week_start DEFAULT 'monday') RETURNS date */
Datum
period_start_date(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	Granularity g = ParseGranularity(PG_GETARG_TEXT_PP(1));
	int			ws = ParseWeekStart(PG_GETARG_TEXT_PP(2));

	/* +-infinity has no period: passed through, as date_trunc() does */
	if (DATE_NOT_FINITE(d))
		PG_RETURN_DATEADT(d);
	PG_RETURN_DATEADT(PeriodStartDay(d, g, ws));
}

/* period_start(timestamp, granularity, week_start DEFAULT 'monday') RETURNS timestamp */
Datum
period_start_timestamp(PG_FUNCTION_ARGS)
{
	Timestamp	ts = PG_GETARG_TIMESTAMP(0);
	Granularity g = ParseGranularity(PG_GETARG_TEXT_PP(1));
	int			ws = ParseWeekStart(PG_GETARG_TEXT_PP(2));
	int64		day;
	Timestamp	result;

	if (TIMESTAMP_NOT_FINITE(ts))
		PG_RETURN_TIMESTAMP(ts);
	/* floor division: timestamps before 2000-01-01 are negative */
	day = ts / USECS_PER_DAY;
	if (ts % USECS_PER_DAY < 0)
		day--;
	result = (Timestamp) PeriodStartDay((DateADT) day, g, ws) * USECS_PER_DAY;
	if (!IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_TIMESTAMP(result);
}
