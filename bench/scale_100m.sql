-- bench/scale_100m.sql: 100 M rows on one node (issue 17).  Not in tools/test:
-- it writes about 15 GB and runs for tens of minutes on 2 cores.
--   1. mixmodel.sync() of an event table of 10 M and of 100 M rows (generated
--      with generate_series), 2 parallel workers, and of 100 M rows with 0:
--      time per row (linear when 10 M and 100 M agree), the speed-up with 2
--      workers, the peak RSS of the backend (VmHWM of a fresh connection, which
--      includes the shared buffers it touched), against the fastest plain SQL
--      doing the same GROUP BY (events alone are harmonized at day grain: one group
--      per day, channel, campaign and conversion type; counted, not written) and a
--      bare count(*) scan.  Default work_mem (4 MB), as a new user has it.
--   2. all seven fit metrics from one mixmodel.fit_metrics state over 10 M and
--      100 M (actual, predicted) rows, 0 and 2 workers, peak RSS, against the
--      same metrics in plain SQL (built-in float8 aggregates) and a bare scan.
-- Each figure is one run (the 100 M runs are too long to repeat); the
-- baselines run right after their figure on the same table.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET TimeZone = 'UTC';

CREATE SCHEMA b100;
-- 100 M events over 3 years: 8 channels x 25 campaigns, 1 in 50 rows a conversion
CREATE FUNCTION b100.make_events(name text, n bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        CREATE UNLOGGED TABLE b100.%I AS
        SELECT timestamptz '2023-01-02 00:00+00' + ((i * 2654435761) %% 94608000) * interval '1 second' AS event_ts,
               (ARRAY['tv','search','social','display','video','audio','email','affiliate'])[1 + i %% 8] AS channel,
               'c' || (i * 7 %% 25) AS campaign,
               CASE WHEN i %% 50 = 0 THEN 'conversion' ELSE 'touch' END AS event_type,
               CASE WHEN i %% 50 = 0 THEN (ARRAY['online','store'])[1 + i %% 2] END AS conversion_type,
               CASE WHEN i %% 50 = 0 THEN round((20 + (i * 31 %% 1800) / 10.0)::numeric, 2) END AS revenue
          FROM generate_series(1::int8, %s) i $q$, name, n);
END $$;
SELECT b100.make_events('ev10', 10000000);
SELECT b100.make_events('ev100', 100000000);
VACUUM ANALYZE b100.ev10, b100.ev100;

CREATE FUNCTION b100.rule_on(source text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules WHERE name = 'b100_events';
    PERFORM mixmodel.add_dataset_rule('b100_events', ('b100.' || source)::regclass, category => 'event', date_column => 'event_ts',
         mappings => $j$ {"dimensions": {"channel": "channel", "campaign": "campaign", "conversiontype": "conversion_type"},
           "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
                       "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                       "revenue": {"op": "sum", "column": "revenue"}}} $j$);
END $$;

-- one timed statement in this backend: seconds and the backend's peak RSS in MB
CREATE FUNCTION b100.timed(q text, OUT seconds float8, OUT peak_rss_mb float8) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE q;
    seconds := extract(epoch FROM clock_timestamp() - t0);
    SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+) kB'))[1]::float8 / 1024
      INTO peak_rss_mb;
END $$;
CREATE TABLE b100.result(what text, rows bigint, workers int, seconds float8, peak_rss_mb float8);

CREATE FUNCTION b100.sync_by_hand(source text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT count(*) FROM (SELECT event_ts::date AS period, channel, campaign, conversion_type,
                          count(*) FILTER (WHERE event_type = ''touch'')::float8 AS clicks,
                          count(*) FILTER (WHERE event_type = ''conversion'')::float8 AS orders,
                          sum(revenue)::float8 AS revenue
                     FROM b100.%I GROUP BY 1, 2, 3, 4) g', source) $$;

-- sync: each measurement in a fresh backend, so VmHWM is its own
SELECT b100.rule_on('ev10');
\c
SET jit = off; SET TimeZone = 'UTC'; SET max_parallel_workers_per_gather = 2;
INSERT INTO b100.result SELECT 'sync', 10000000, 2, * FROM b100.timed('SELECT count(*) FROM mixmodel.sync()');
INSERT INTO b100.result SELECT 'sync by hand', 10000000, 2, * FROM b100.timed(b100.sync_by_hand('ev10'));
CREATE TABLE b100.harmonized10 AS SELECT period, channel, campaign, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized_source;
SELECT b100.rule_on('ev100');
\c
SET jit = off; SET TimeZone = 'UTC'; SET max_parallel_workers_per_gather = 2;
INSERT INTO b100.result SELECT 'sync', 100000000, 2, * FROM b100.timed('SELECT count(*) FROM mixmodel.sync()');
INSERT INTO b100.result SELECT 'sync by hand', 100000000, 2, * FROM b100.timed(b100.sync_by_hand('ev100'));
INSERT INTO b100.result SELECT 'bare scan', 100000000, 2, * FROM b100.timed('SELECT count(*) FROM b100.ev100');
CREATE TABLE b100.harmonized100 AS SELECT period, channel, campaign, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized_source;
SELECT b100.rule_on('ev100');  -- a changed rule: the next sync reads every row again
\c
SET jit = off; SET TimeZone = 'UTC'; SET max_parallel_workers_per_gather = 0;
INSERT INTO b100.result SELECT 'sync', 100000000, 0, * FROM b100.timed('SELECT count(*) FROM mixmodel.sync()');
INSERT INTO b100.result SELECT 'sync by hand', 100000000, 0, * FROM b100.timed(b100.sync_by_hand('ev100'));
INSERT INTO b100.result SELECT 'bare scan', 100000000, 0, * FROM b100.timed('SELECT count(*) FROM b100.ev100');
-- 0 and 2 workers give the same harmonized rows (exact numeric sums, counts)
SELECT CASE WHEN EXISTS (SELECT * FROM b100.harmonized100 EXCEPT SELECT period, channel, campaign, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized_source)
              OR (SELECT count(*) FROM b100.harmonized100) <> (SELECT count(*) FROM mixmodel.harmonized_source)
            THEN 'sync: 0 and 2 workers DIFFER' ELSE 'sync: 0 and 2 workers give identical harmonized rows' END;
SELECT mixmodel.delete_dataset_rule('b100_events');
SELECT count(*) FROM mixmodel.sync() \g /dev/null
DROP TABLE b100.ev10, b100.ev100;

-- fit metrics over 10 M and 100 M rows
CREATE UNLOGGED TABLE b100.fit100 AS
SELECT actual, actual * (1 + ((i * 7919) % 201 - 100) / 1000.0)::float8 AS predicted
  FROM (SELECT i, (1000 + (i * 104729) % 5000)::float8 AS actual FROM generate_series(1::int8, 100000000) i) s;
CREATE UNLOGGED TABLE b100.fit10 AS SELECT * FROM b100.fit100 LIMIT 10000000;
VACUUM ANALYZE b100.fit100, b100.fit10;
CREATE FUNCTION b100.metrics_sql(t text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT ARRAY[mixmodel.metrics_r2(s), mixmodel.metrics_mape(s), mixmodel.metrics_smape(s), mixmodel.metrics_rmse(s),
                                mixmodel.metrics_nrmse(s), mixmodel.metrics_mae(s), mixmodel.metrics_wmape(s)]
                     FROM (SELECT mixmodel.fit_metrics(actual, predicted) s FROM b100.%I) q', t) $$;
CREATE FUNCTION b100.metrics_plain(t text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT ARRAY[1 - sum((actual - predicted) * (actual - predicted)) / (var_pop(actual) * count(*)),
                                avg(abs(actual - predicted) / abs(actual)) FILTER (WHERE actual <> 0),
                                avg(CASE WHEN abs(actual) + abs(predicted) = 0 THEN 0
                                         ELSE 2 * abs(actual - predicted) / (abs(actual) + abs(predicted)) END),
                                sqrt(avg((actual - predicted) * (actual - predicted))),
                                sqrt(avg((actual - predicted) * (actual - predicted))) / (max(actual) - min(actual)),
                                avg(abs(actual - predicted)), sum(abs(actual - predicted)) / sum(abs(actual))] FROM b100.%I', t) $$;
\c
SET jit = off; SET max_parallel_workers_per_gather = 2;
INSERT INTO b100.result SELECT 'fit_metrics', 10000000, 2, * FROM b100.timed(b100.metrics_sql('fit10'));
INSERT INTO b100.result SELECT 'fit_metrics', 100000000, 2, * FROM b100.timed(b100.metrics_sql('fit100'));
INSERT INTO b100.result SELECT 'metrics in plain SQL', 100000000, 2, * FROM b100.timed(b100.metrics_plain('fit100'));
INSERT INTO b100.result SELECT 'metrics bare scan', 100000000, 2, * FROM b100.timed('SELECT count(*) FROM b100.fit100');
\c
SET jit = off; SET max_parallel_workers_per_gather = 0;
INSERT INTO b100.result SELECT 'fit_metrics', 100000000, 0, * FROM b100.timed(b100.metrics_sql('fit100'));
INSERT INTO b100.result SELECT 'metrics in plain SQL', 100000000, 0, * FROM b100.timed(b100.metrics_plain('fit100'));
INSERT INTO b100.result SELECT 'metrics bare scan', 100000000, 0, * FROM b100.timed('SELECT count(*) FROM b100.fit100');

-- the lines
SELECT format('scale_100m: %s over %s rows, %s workers: %s s (%s ns/row), peak backend RSS %s MB',
              what, rows, workers, round(seconds::numeric, 1), round((seconds * 1e9 / rows)::numeric, 1), round(peak_rss_mb::numeric))
  FROM b100.result ORDER BY what, rows, workers DESC;
SELECT format('scale_100m: %s: 100 M / 10 M time ratio %s (linear = 10.0); speed-up with 2 workers vs 0 at 100 M: %s; against plain SQL at 100 M, 2 workers: %s',
              f.what,
              round((f100.seconds / f10.seconds)::numeric, 2), round((f0.seconds / f100.seconds)::numeric, 2),
              round((f100.seconds / p.seconds)::numeric, 2))
  FROM (VALUES ('sync', 'sync by hand'), ('fit_metrics', 'metrics in plain SQL')) f(what, plain)
  JOIN b100.result f10 ON f10.what = f.what AND f10.rows = 10000000 AND f10.workers = 2
  JOIN b100.result f100 ON f100.what = f.what AND f100.rows = 100000000 AND f100.workers = 2
  JOIN b100.result f0 ON f0.what = f.what AND f0.rows = 100000000 AND f0.workers = 0
  JOIN b100.result p ON p.what = f.plain AND p.rows = 100000000 AND p.workers = 2;
DROP SCHEMA b100 CASCADE;
