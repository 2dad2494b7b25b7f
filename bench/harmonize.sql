-- bench/harmonize.sql: mixmodel.sync() of the generator's raw tables (20 M event
-- rows, daily media with restatements, weekly media, sends, conversions, factors)
-- against the fastest hand-written GROUP BYs doing the same roll-up (Monday weeks,
-- latest restatement, same filtered counts, float8 sums, into tables), and the same
-- with numeric sums (what sync did in 0.1.0).  Target: ratio to float8 <= 1.1.
-- Parallel query is ON for both (harmonization is meant to use PostgreSQL's
-- workers; both sides are CREATE TABLE AS, which may run in parallel).
-- Timing: clock_timestamp() around each run, best of 3, runs alternating.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET work_mem = '512MB';
SET max_parallel_workers_per_gather = 2;

-- the generator's raw tables, 104 weeks, 20 M event rows
SELECT count(*) FROM mixmodel.generate_raw_data('bench', seed => 1, weeks => 104, events => 20000000) \g /dev/null
VACUUM ANALYZE bench.events, bench.daily_media, bench.weekly_media, bench.sends, bench.conversions_daily, bench.factors;

SELECT mixmodel.add_dataset_rule('bench_events', 'bench.events', category => 'event', date_column => 'event_ts',
         mappings => $j$ {"dimensions": {"channel": "channel", "campaign": "campaign", "conversiontype": "conversion_type"},
           "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
                       "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                       "revenue": {"op": "sum", "column": "revenue"}}} $j$) \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_daily', 'bench.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"},
                                   "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_weekly', 'bench.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}, "impressions": {"column": "impressions"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_sends', 'bench.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}, "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_conversions', 'bench.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_factors', 'bench.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}') \g /dev/null

\ir include/bench_best.sql

-- the same roll-up by hand, the fastest plain SQL: Monday weeks, latest restatement,
-- filtered counts, float8 sums, into tables.  sum(float8) depends on the order rows and
-- parallel workers' partial sums arrive in; sync's sums are exact (mixmodel.exact_sum), so
-- the two agree to rounding, not bit for bit.  The numeric variant is what 0.1.0's sync
-- and this bench's old baseline did (exact too, on values rounded to 15 digits).
CREATE FUNCTION pg_temp.bench_by_hand(sum_float text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS hand_events, hand_daily, hand_weekly, hand_sends, hand_conversions, hand_factors;
    EXECUTE format($q$
    CREATE TEMP TABLE hand_events AS
    SELECT date_trunc('week', event_ts)::date AS period, channel, campaign, conversion_type,
           count(*) FILTER (WHERE event_type = 'touch')::float8 AS clicks,
           count(*) FILTER (WHERE event_type = 'conversion')::float8 AS orders,
           %1$s AS revenue
      FROM bench.events GROUP BY 1, 2, 3, 4$q$, format(sum_float, 'revenue'));
    EXECUTE format($q$
    CREATE TEMP TABLE hand_daily AS
    SELECT date_trunc('week', day)::date AS period, channel, campaign, geo,
           %1$s AS spend, sum(impressions)::float8 AS impressions, sum(clicks)::float8 AS clicks
      FROM (SELECT DISTINCT ON (day, channel, campaign, geo) * FROM bench.daily_media
             ORDER BY day, channel, campaign, geo, loaded_at DESC) l
     GROUP BY 1, 2, 3, 4$q$, format(sum_float, 'spend'));
    EXECUTE format($q$
    CREATE TEMP TABLE hand_weekly AS
    SELECT week AS period, channel, %1$s AS spend, %2$s AS grps,
           sum(impressions)::float8 AS impressions FROM bench.weekly_media GROUP BY 1, 2$q$,
        format(sum_float, 'spend'), format(sum_float, 'grps'));
    CREATE TEMP TABLE hand_sends AS
    SELECT date_trunc('week', send_date)::date AS period, channel, campaign, sum(sends)::float8 AS sends,
           sum(clicks)::float8 AS clicks FROM bench.sends GROUP BY 1, 2, 3;
    EXECUTE format($q$
    CREATE TEMP TABLE hand_conversions AS
    SELECT date_trunc('week', day)::date AS period, conversion_type, sum(orders)::float8 AS orders,
           %1$s AS revenue FROM bench.conversions_daily GROUP BY 1, 2$q$, format(sum_float, 'revenue'));
    EXECUTE format($q$
    CREATE TEMP TABLE hand_factors AS
    SELECT date AS period, factor_name, factor_type, value_type, %1$s / count(*) AS factor_value
      FROM bench.factors WHERE granularity = 'week' GROUP BY 1, 2, 3, 4$q$, format(sum_float, 'factor_value'));
END
$$;

SET TimeZone = 'UTC';
SELECT count(*) FROM mixmodel.sync() \g /dev/null
-- the two give the same numbers (else the comparison means nothing): every group, every
-- count exactly, every float sum to 1e-12 relative
SELECT pg_temp.bench_by_hand('sum(%I)');
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN a IS NOT DISTINCT FROM b OR abs(a - b) <= 1e-12 * greatest(abs(a), abs(b));
DO $$
BEGIN
    -- keys compared as the text of a row (NULL and '' differ there): a FULL JOIN needs a
    -- hashable condition, which IS NOT DISTINCT FROM is not
    IF EXISTS (SELECT 1 FROM hand_events e FULL JOIN (SELECT * FROM mixmodel.harmonized_source WHERE dataset = 'bench_events') h
                 ON CAST(ROW(e.period, e.channel, e.campaign, e.conversion_type) AS text) = CAST(ROW(h.period, h.channel, h.campaign, h.conversiontype) AS text)
                WHERE e.period IS NULL OR h.period IS NULL OR e.clicks <> h.clicks OR e.orders <> h.orders
                   OR NOT pg_temp.close(e.revenue, h.revenue))
       OR EXISTS (SELECT 1 FROM hand_daily e FULL JOIN (SELECT * FROM mixmodel.harmonized WHERE dataset = 'bench_daily') h
                    ON CAST(ROW(e.period, e.channel, e.campaign, e.geo) AS text) = CAST(ROW(h.period, h.channel, h.campaign, h.geo) AS text)
                   WHERE e.period IS NULL OR h.period IS NULL OR e.impressions <> h.impressions OR e.clicks <> h.clicks
                      OR NOT pg_temp.close(e.spend, h.spend))
       OR EXISTS (SELECT 1 FROM hand_conversions e FULL JOIN (SELECT * FROM mixmodel.harmonized WHERE dataset = 'bench_conversions') h
                    ON CAST(ROW(e.period, e.conversion_type) AS text) = CAST(ROW(h.period, h.conversiontype) AS text)
                   WHERE e.period IS NULL OR h.period IS NULL OR e.orders <> h.orders OR NOT pg_temp.close(e.revenue, h.revenue))
       OR EXISTS (SELECT 1 FROM hand_factors e FULL JOIN (SELECT * FROM mixmodel.harmonized WHERE dataset = 'bench_factors') h
                    ON CAST(ROW(e.period, e.factor_name, e.factor_type, e.value_type) AS text) = CAST(ROW(h.period, h.factor_name, h.factor_type, h.value_type) AS text)
                   WHERE e.period IS NULL OR h.period IS NULL OR NOT pg_temp.close(e.factor_value, h.factor_value))
       OR (SELECT count(*) FROM hand_events) + (SELECT count(*) FROM hand_daily) + (SELECT count(*) FROM hand_weekly)
          + (SELECT count(*) FROM hand_sends) + (SELECT count(*) FROM hand_conversions) + (SELECT count(*) FROM hand_factors)
          <> (SELECT count(*) FROM mixmodel.harmonized) THEN
        RAISE EXCEPTION 'harmonize bench: sync and the hand-written roll-up disagree';
    END IF;
END $$;

SELECT format('harmonize: mixmodel.sync() of %s generated event rows + %s other raw rows (daily, weekly, sends, conversions, factors) to %s harmonized rows: %s s; baseline hand-written float8 GROUP BY roll-up: %s s; ratio %s (target <= 1.10) %s; the same roll-up summing in numeric (0.1.0''s sync): %s s, ratio %s to float8',
              (SELECT count(*) FROM bench.events),
              (SELECT (SELECT count(*) FROM bench.daily_media) + (SELECT count(*) FROM bench.weekly_media)
                    + (SELECT count(*) FROM bench.sends) + (SELECT count(*) FROM bench.conversions_daily)
                    + (SELECT count(*) FROM bench.factors)),
              (SELECT count(*) FROM mixmodel.harmonized),
              round(t[2]::numeric, 2), round(t[1]::numeric, 2), round((t[2] / t[1])::numeric, 2),
              CASE WHEN t[2] / t[1] <= 1.1 THEN 'met' ELSE 'NOT MET' END,
              round(t[3]::numeric, 2), round((t[3] / t[1])::numeric, 2))
  FROM pg_temp.bench_best(ARRAY[$$SELECT pg_temp.bench_by_hand('sum(%I)')$$, 'SELECT count(*) FROM mixmodel.sync()',
                                $$SELECT pg_temp.bench_by_hand('sum(%I::numeric)::float8')$$], 3) t;

SELECT mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules WHERE name LIKE 'bench\_%' \g /dev/null
SELECT count(*) FROM mixmodel.sync() \g /dev/null
DROP SCHEMA bench CASCADE;
