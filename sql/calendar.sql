-- calendar: period_start on known dates, every week start, month/quarter/year,
-- timestamps on both sides of 2000-01-01, timestamptz, infinity, errors.
\pset footer off

-- Adobe's example: daily rows on 2021-12-31 (Fri) and 2022-01-01 (Sat) roll into
-- the week of Monday 2021-12-27
SELECT d, mixmodel.period_start(d, 'week') AS week
  FROM unnest(ARRAY['2021-12-31', '2022-01-01', '2022-01-02', '2022-01-03']::date[]) AS d;

-- Thursday 2024-03-14 under every week start (hand values)
SELECT ws, mixmodel.period_start(date '2024-03-14', 'week', ws) AS week
  FROM unnest(ARRAY['monday', 'Tuesday', 'WEDNESDAY', 'thursday', 'friday', 'saturday', 'sunday']) AS ws;

-- every day of 2023-12-25 .. 2025-01-05 and every week start against an
-- independent formula on ISO weekday numbers; month/quarter/year against date_trunc
SELECT count(*) AS checked,
       bool_and(mixmodel.period_start(d, 'week', ws) = d - ((extract(isodow FROM d)::int - k::int + 7) % 7)) AS week_ok,
       bool_and(mixmodel.period_start(d, 'week', ws) <= d
                AND d - mixmodel.period_start(d, 'week', ws) < 7
                AND extract(isodow FROM mixmodel.period_start(d, 'week', ws)) = k) AS week_props_ok,
       bool_and(mixmodel.period_start(d, 'day', ws) = d) AS day_ok,
       bool_and(mixmodel.period_start(d, 'month') = date_trunc('month', d)::date) AS month_ok,
       bool_and(mixmodel.period_start(d, 'quarter') = date_trunc('quarter', d)::date) AS quarter_ok,
       bool_and(mixmodel.period_start(d, 'year') = date_trunc('year', d)::date) AS year_ok
  FROM generate_series(date '2023-12-25', date '2025-01-05', interval '1 day') AS g(t),
       LATERAL (SELECT t::date AS d) AS dd,
       unnest(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
           WITH ORDINALITY AS w(ws, k);

-- hand values: month, quarter, year, leap day
SELECT mixmodel.period_start(date '2024-02-29', 'month') AS month,
       mixmodel.period_start(date '2024-08-17', 'quarter') AS q3,
       mixmodel.period_start(date '2024-12-31', 'Quarter') AS q4,
       mixmodel.period_start(date '2024-12-31', 'year') AS year,
       mixmodel.period_start(date '1999-03-31', 'quarter') AS q1_1999;

-- timestamps (before and after 2000-01-01, the internal epoch)
SELECT mixmodel.period_start(timestamp '2021-12-31 23:59:59.999999', 'week') AS ts_week,
       mixmodel.period_start(timestamp '1999-12-31 12:00', 'day') AS ts_day_1999,
       mixmodel.period_start(timestamp '1999-12-31 12:00', 'week', 'sunday') AS ts_week_1999,
       mixmodel.period_start(timestamp '2000-01-01 00:00', 'month') AS ts_epoch,
       mixmodel.period_start(timestamp '1970-05-05 01:02:03', 'year') AS ts_1970;

-- timestamptz: the calendar day is the session's
SET TimeZone = 'America/New_York';
SELECT mixmodel.period_start(timestamptz '2022-01-03 03:00+00', 'week') AS ny_week,
       mixmodel.period_start(timestamptz '2024-03-10 12:00-04', 'day') AS ny_dst_day,
       mixmodel.period_start(timestamptz '2024-03-15 12:00-04', 'month') AS ny_month;
SET TimeZone = 'UTC';
SELECT mixmodel.period_start(timestamptz '2022-01-03 03:00+00', 'week') AS utc_week;
RESET TimeZone;

-- infinity passes through (as date_trunc does)
SELECT mixmodel.period_start(date 'infinity', 'week') AS d_inf,
       mixmodel.period_start(date '-infinity', 'month') AS d_minf,
       mixmodel.period_start(timestamp 'infinity', 'year') AS ts_inf,
       mixmodel.period_start(timestamptz '-infinity', 'day') AS tstz_minf;

-- STRICT: NULL in, NULL out
SELECT mixmodel.period_start(NULL::date, 'week') IS NULL AS null_date,
       mixmodel.period_start(date '2024-01-01', NULL) IS NULL AS null_granularity,
       mixmodel.period_start(date '2024-01-01', 'week', NULL) IS NULL AS null_week_start;

-- errors: SQLSTATE and message
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS statement, pg_temp.err(q) AS error FROM (VALUES
  ($$SELECT mixmodel.period_start(date '2024-01-01', 'fortnight')$$),
  ($$SELECT mixmodel.period_start(date '2024-01-01', '')$$),
  ($$SELECT mixmodel.period_start(date '2024-01-01', 'week', 'mon')$$),
  ($$SELECT mixmodel.period_start(timestamp '2024-01-01', 'week', 'funday')$$),
  ($$SELECT mixmodel.period_start(date 'infinity', 'week', 'funday')$$),
  ($$SELECT mixmodel.period_start(date '4714-11-24 BC', 'week', 'sunday')$$),
  ($$SELECT mixmodel.period_start(date '4714-11-24 BC', 'week', 'monday')$$),
  ($$SELECT mixmodel.period_start(timestamp '4714-11-24 00:00 BC', 'week', 'sunday')$$),
  ($$SELECT mixmodel.period_start(date '4714-11-24 BC', 'month')$$)
) AS t(q);
SELECT mixmodel.period_start(date '2024-01-01', 'week', 'mon');
