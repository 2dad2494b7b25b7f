-- bench/harmonize.sql: mixmodel.sync() over 20 M event rows plus a daily summary
-- table and a weekly factor table, against a hand-written GROUP BY doing the same
-- roll-up (same week expression, same filtered counts, same exact numeric sums,
-- into a table).  Target: ratio <= 1.1.
-- Parallel query is ON for both (harmonization is meant to use PostgreSQL's
-- workers; both sides are CREATE TABLE AS, which may run in parallel).
-- Timing: clock_timestamp() around each run, best of 3, runs alternating.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET work_mem = '512MB';
SET max_parallel_workers_per_gather = 2;

-- events in the generator's layout (mixmodel.generate_raw_data's events table), 104 weeks
CREATE UNLOGGED TABLE bench_events AS
SELECT (i % 1000000)::bigint AS profile_id,
       TIMESTAMPTZ '2023-01-02 00:00+00' + (i * 3.14496) * interval '1 second' AS event_ts,
       CASE WHEN i % 5 = 0 THEN 'conversion' ELSE 'touch' END AS event_type,
       CASE WHEN i % 5 <> 0 THEN (ARRAY['search', 'social', 'display', 'email', 'push'])[1 + (i * 7919) % 5] END AS channel,
       CASE WHEN i % 5 <> 0 THEN 'c' || (1 + i % 2) END AS campaign,
       CASE WHEN i % 5 = 0 THEN 'online' END AS conversion_type,
       CASE WHEN i % 5 = 0 THEN 20 + ((i * 104729) % 10000) / 100.0 END::float8 AS revenue
  FROM generate_series(1::bigint, 20000000) i;
CREATE UNLOGGED TABLE bench_daily AS
SELECT DATE '2023-01-02' + d AS day, c AS channel, c || '_c1' AS campaign, 'geo_' || g AS geo,
       round((100 + (d * 37 + g * 11 + length(c)) % 500)::numeric, 2)::float8 AS spend,
       (1000 + (d * 13 + g) % 5000)::bigint AS impressions, (10 + (d * 7 + g) % 90)::bigint AS clicks
  FROM generate_series(0, 727) d, unnest(ARRAY['search', 'social', 'display']) c, generate_series(1, 3) g;
CREATE UNLOGGED TABLE bench_factors AS
SELECT DATE '2023-01-02' + 7 * w AS date, f AS factor_name, (100 + (w * 17) % 23)::float8 AS factor_value
  FROM generate_series(0, 103) w, unnest(ARRAY['price_index', 'competitor_spend']) f;
VACUUM ANALYZE bench_events, bench_daily, bench_factors;

SELECT mixmodel.add_dataset_rule('bench_events', 'bench_events', category => 'event', date_column => 'event_ts',
         mappings => $j$ {"dimensions": {"channel": "channel", "campaign": "campaign", "conversiontype": "conversion_type"},
           "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
                       "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                       "revenue": {"op": "sum", "column": "revenue"}}} $j$) \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_daily', 'bench_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"},
                                   "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bench_factors', 'bench_factors', category => 'factor', granularity => 'week',
         date_column => 'date', mappings => '{"dimensions": {"factor_name": "factor_name"},
                                              "metrics": {"factor_value": {"column": "factor_value"}}}') \g /dev/null

CREATE FUNCTION pg_temp.bench_best(queries text[], runs int) RETURNS float8[]
LANGUAGE plpgsql AS $$
DECLARE
    best float8[] := array_fill('Infinity'::float8, ARRAY[cardinality(queries)]);
    t0 timestamptz;
BEGIN
    FOR r IN 1 .. runs LOOP
        FOR q IN 1 .. cardinality(queries) LOOP
            t0 := clock_timestamp();
            EXECUTE queries[q];
            best[q] := least(best[q], extract(epoch FROM clock_timestamp() - t0));
        END LOOP;
    END LOOP;
    RETURN best;
END
$$;

-- the same roll-up by hand: Monday weeks, filtered counts, exact sums, into tables
CREATE FUNCTION pg_temp.bench_by_hand() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS hand_events, hand_daily, hand_factors;
    CREATE TEMP TABLE hand_events AS
    SELECT event_ts::date - (extract(isodow FROM event_ts::date)::int - 1) AS period, channel, campaign, conversion_type,
           count(*) FILTER (WHERE event_type = 'touch')::float8 AS clicks,
           count(*) FILTER (WHERE event_type = 'conversion')::float8 AS orders,
           sum(revenue::numeric)::float8 AS revenue, count(*) AS n
      FROM bench_events GROUP BY 1, 2, 3, 4;
    CREATE TEMP TABLE hand_daily AS
    SELECT day - (extract(isodow FROM day)::int - 1) AS period, channel, campaign, geo,
           sum(spend::numeric)::float8 AS spend, sum(impressions)::float8 AS impressions, sum(clicks)::float8 AS clicks
      FROM bench_daily GROUP BY 1, 2, 3, 4;
    CREATE TEMP TABLE hand_factors AS
    SELECT date AS period, factor_name, avg(factor_value::numeric)::float8 AS factor_value FROM bench_factors GROUP BY 1, 2;
END
$$;

SET TimeZone = 'UTC';
SELECT count(*) FROM mixmodel.sync() \g /dev/null
-- the two give the same numbers (else the comparison means nothing)
SELECT pg_temp.bench_by_hand();
DO $$
BEGIN
    IF EXISTS (SELECT period, channel, campaign, conversion_type, clicks, orders, revenue FROM hand_events
               EXCEPT SELECT period, channel, campaign, conversiontype, clicks, orders, revenue
                        FROM mixmodel.harmonized_source WHERE dataset = 'bench_events')
       OR EXISTS (SELECT period, channel, campaign, geo, spend FROM hand_daily
                  EXCEPT SELECT period, channel, campaign, geo, spend FROM mixmodel.harmonized WHERE dataset = 'bench_daily') THEN
        RAISE EXCEPTION 'harmonize bench: sync and the hand-written roll-up disagree';
    END IF;
END $$;

SELECT format('harmonize: mixmodel.sync() of %s event + %s daily + %s factor rows to %s harmonized rows: %s s; baseline hand-written GROUP BY roll-up: %s s; ratio %s (target <= 1.10) %s',
              (SELECT count(*) FROM bench_events), (SELECT count(*) FROM bench_daily), (SELECT count(*) FROM bench_factors),
              (SELECT count(*) FROM mixmodel.harmonized),
              round(t[2]::numeric, 2), round(t[1]::numeric, 2), round((t[2] / t[1])::numeric, 2),
              CASE WHEN t[2] / t[1] <= 1.1 THEN 'met' ELSE 'NOT MET' END)
  FROM pg_temp.bench_best(ARRAY['SELECT pg_temp.bench_by_hand()', 'SELECT count(*) FROM mixmodel.sync()'], 3) t;

SELECT mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules WHERE name LIKE 'bench\_%' \g /dev/null
SELECT count(*) FROM mixmodel.sync() \g /dev/null
DROP TABLE bench_events, bench_daily, bench_factors;
