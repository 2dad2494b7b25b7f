-- transform: calendar periods.  doc/calendar_metrics.md.
CREATE FUNCTION mixmodel.period_start(ts pg_catalog.date, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.date
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'period_start_date';
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.date, pg_catalog.text, pg_catalog.text) IS
'First day of the period holding a date: granularity day, week, month, quarter or year (case-insensitive); weeks start on week_start (monday .. sunday, case-insensitive, default monday). Infinity and -Infinity are returned unchanged.';

CREATE FUNCTION mixmodel.period_start(ts pg_catalog.timestamp, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.timestamp
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'period_start_timestamp';
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.timestamp, pg_catalog.text, pg_catalog.text) IS
'Midnight starting the period holding a timestamp without time zone; same granularities and week starts as period_start(date, ...). Infinity and -Infinity are returned unchanged.';

-- STABLE: the calendar day of an instant depends on the session TimeZone
CREATE FUNCTION mixmodel.period_start(ts pg_catalog.timestamptz, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.timestamptz
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN CAST(mixmodel.period_start(CAST(ts AS pg_catalog.timestamp), granularity, week_start)
                AS pg_catalog.timestamptz);
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.timestamptz, pg_catalog.text, pg_catalog.text) IS
'Local midnight (in the session TimeZone) starting the period holding a timestamp with time zone; same granularities and week starts as period_start(date, ...). STABLE because the answer depends on TimeZone; for data in another zone convert first: period_start(ts AT TIME ZONE ''Europe/Berlin'', ...).';
