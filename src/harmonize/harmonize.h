/*
 * harmonize.h: shared pieces of the harmonize stage's glue (rules.c compiles a
 * dataset rule into SQL, sync.c runs it, fields.c compiles formulas).
 */
#ifndef MM_HARMONIZE_H
#define MM_HARMONIZE_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

/* grains in increasing coarseness */
#define HZ_DAY		1
#define HZ_WEEK		2
#define HZ_MONTH	3
#define HZ_YEAR		4

/* One row of mixmodel.dataset_rules. */
typedef struct HzRule
{
	char	   *name;
	Oid			relid;
	char	   *source_name;
	char	   *category;		/* summary, event, factor */
	int			grain;			/* HZ_DAY .. HZ_YEAR */
	int			week_start;		/* 1 = monday .. 7 = sunday */
	char	   *week_start_name;
	char	   *date_column;
	bool		replace;		/* restatement = replace */
	List	   *key_columns;	/* char *, may be NIL */
	char	   *loaded_at_column;	/* may be NULL */
	char	   *factor_operator;
	char	   *time_zone;		/* zone whose days timestamptz values fall on */
	Jsonb	   *mappings;
	bool		active;
	bool		source_missing;
	TimestampTz updated_at;
	Oid			owner;			/* role owning the rule and its harmonized rows */
} HzRule;

/* A dataset rule compiled against its source table. */
typedef struct HzQuery
{
	HzRule	   *rule;
	char	   *relname;		/* quoted, schema-qualified */
	char	   *date_expr;		/* the row's date (type date) */
	char	   *date_col;		/* s."column" as written */
	char	   *wm_expr;		/* high-water column as timestamptz, or NULL */
	char	   *wm_raw;			/* the high-water column as written (s."column") */
	Oid			wm_type;		/* its type (date, timestamp or timestamptz) */
	char	   *filter;			/* rule-level condition, or NULL */
	List	   *key_exprs;		/* restatement key (replace) */
	List	   *cond_cols;		/* columns the conditions read (char *) */
	List	   *value_cols;		/* columns the metrics aggregate (char *) */
	List	   *dim_names;
	List	   *dim_exprs;
	List	   *metric_names;
	List	   *metric_exprs;
	int			tz_param;		/* $n of the time zone, 0 until used */
	int			nparams;
	int			maxparams;
	Datum	   *values;
	Oid		   *types;
} HzQuery;

extern int	hz_grain_code(const char *grain);
extern const char *hz_grain_name(int grain);
extern int	hz_week_start_code(const char *day);

/*
 * Pin search_path for an SPI section (and TimeZone = UTC, though the generated SQL no
 * longer depends on it); returns the GUC nest level.
 */
extern int	hz_pin_gucs(void);
extern void hz_unpin_gucs(int nestlevel);

extern HzRule *hz_load_rule(const char *name);
extern List *hz_load_rules(void);
extern void hz_compile(HzRule *rule, HzQuery *q);
extern int	hz_add_param(HzQuery *q, Datum value, Oid type);
extern char *hz_as_timestamptz(const char *ref, Oid type);
extern char *hz_period_expr(const char *date_sql, int grain, int week_start);
extern char *hz_aggregate_sql(HzQuery *q, int grain, const char *extra_where, bool bookkeeping);

/* Whether a role may read a dataset's source table (table-level SELECT). */
extern bool hz_can_read_source(HzRule *rule, Oid role);

/* The SQL expression of a derived-field formula over harmonized metric columns. */
extern char *hz_compile_formula(const char *formula, const char *field);

/* "Perhaps you meant" candidate among names, or NULL. */
extern const char *hz_near_match(const char *name, List *candidates);

#endif
