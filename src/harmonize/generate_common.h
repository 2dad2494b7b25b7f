/*
 * generate_common.h: the glue helpers the generators share (generate_raw_data
 * in generate.c, generate_geo_data in generate_geo.c): option values, the
 * calendar, US holiday weeks, the target schema and its tables.
 */
#ifndef MM_GENERATE_COMMON_H
#define MM_GENERATE_COMMON_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/jsonb.h"

#include "utils/array.h"

#include "math/generate.h"
#include "math/mmm.h"

/* Run one SQL statement through SPI; elog(ERROR) on failure. */
extern void gen_exec_sql(const char *sql);

/* An option's number, or 22023 naming the key. */
extern double gen_option_number(JsonbValue *v, const char *key);
/* An option's integer in [lo, hi], or 22023 naming the key. */
extern int64 gen_option_integer(JsonbValue *v, const char *key, int64 lo, int64 hi);

/* Calendar on DateADT (days since 2000-01-01). */
extern DateADT gen_ymd_date(int y, int m, int d);
extern void gen_date_ymd(DateADT dt, int *y, int *m, int *d);
extern int	gen_date_weekday(DateADT dt);	/* 0 = Monday .. 6 = Sunday */
extern double gen_date_year_phase(DateADT dt);	/* day of year / 365.25 */

/* holiday[t] = 1 when week t of T weeks from start contains a US holiday, else 0. */
extern void gen_us_holiday_weeks(DateADT start, int T, double *holiday);

extern double gen_round_cents(double v);
extern const char *gen_adstock_name(MMAdstockKind k);
extern const char *gen_saturation_name(MMSaturationKind k);

/* Argument checks (22023): target_schema of the user's own; start_date a Monday in range. */
extern void gen_check_target_schema(const char *schema_name);
extern void gen_check_start_date(DateADT start);

/*
 * Create schema_name if missing; each of the n tables already in it is an
 * error (42P07) or, with replace, dropped.  Needs SPI.
 */
extern void gen_prepare_schema(const char *schema_name, const char *const *names, int n, bool replace);

/*
 * The channels argument: distinct channels of the vocabulary, 1 .. max, into
 * def (max entries); paid_only refuses owned channels.  Returns how many.
 */
extern int	gen_parse_channels(ArrayType *arr, int max, bool paid_only, const MMGenChannelDef **def);

#endif
