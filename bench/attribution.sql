-- bench/attribution.sql: event-level attribution over 10 M events of 1 M persons.
--
-- Data: 1 M persons, 10 events each over 180 days (UNLOGGED, VACUUM ANALYZEd): 8 touches on 6
-- channels and 2 purchases with revenue (2 M conversions), lookback 30 days.
-- 1. Figure: mixmodel.attribute with the rule-based models last_touch, linear and time_decay
--    (7-day half-life) and option analytics off, so it produces what the baseline produces:
--    reading and checking the events, the windows, the event scores and the channel totals.
--    Printed beside it, timed once: the same run with the default analytics (path table,
--    touchpoint effectiveness), the unfavourable case.  Baseline in the same run:
--    one hand-written SQL statement producing the same credits (the same windows, row_number and
--    count over them, the time-decay sum, none rows) into a logged copy of mixmodel.event_scores
--    (same columns and index).  Best of 3, alternating; both with up to 2 parallel workers.
--    Target: ratio <= 1.2.
-- 2. Not a ratio: the algorithmic model on the same 1 M journeys (attribute with
--    models => algorithmic): the whole run, the fit alone (_attribution_survival over the run's
--    journey table), its passes over the data, and the backend's peak memory (VmHWM) with
--    1 M and with 100 k journeys: the fit's memory is bounded by its parameters, not by rows.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 2;
SET work_mem = '256MB';
\ir include/bench_best.sql

CREATE UNLOGGED TABLE bench_events AS
SELECT p AS person, (p * 10 + k) AS event_id,
       TIMESTAMPTZ '2024-01-01 00:00+00' + (((p * 7919 + k * 104729) % 180) * interval '1 day')
                                         + (((p * 31 + k * 17) % 86400) * interval '1 second') AS at,
       CASE WHEN k < 8 THEN (ARRAY['search', 'social', 'display', 'email', 'push', 'video'])[1 + (p * 13 + k * 7) % 6] END AS channel,
       CASE WHEN k >= 8 THEN 'purchase' END AS conversiontype,
       CASE WHEN k >= 8 THEN 20 + (p * 37 + k) % 180 END::float8 AS revenue
  FROM generate_series(1::int8, 1000000) p, generate_series(0, 9) k;
VACUUM ANALYZE bench_events;
SELECT count(*) FROM (SELECT mixmodel.add_touchpoint(c, rule => 'channel = ' || c, volume_metric => 'clicks')
  FROM unnest(ARRAY['search', 'social', 'display', 'email', 'push', 'video']) c) x \g /dev/null
SELECT mixmodel.add_conversion('purchase', rule => 'conversiontype = purchase', metric => 'orders', revenue_metric => 'revenue') \g /dev/null
SELECT mixmodel.create_attribution('bench_rules', 'bench_events', 'purchase', 'person', 'at', lookback => '30 days',
         models => '{last_touch, linear, time_decay}', options => '{"event_column": "event_id", "analytics": false}') \g /dev/null
SELECT mixmodel.create_attribution('bench_rules_full', 'bench_events', 'purchase', 'person', 'at', lookback => '30 days',
         models => '{last_touch, linear, time_decay}', options => '{"event_column": "event_id"}') \g /dev/null
CREATE TABLE bench_scores (LIKE mixmodel.event_scores INCLUDING INDEXES);

-- the baseline: the same credits in one statement
CREATE FUNCTION pg_temp.bench_baseline() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE bench_scores;
    INSERT INTO bench_scores
    WITH c AS (SELECT row_number() OVER (ORDER BY person, at, event_id) AS id, person, at, event_id, revenue
                 FROM bench_events WHERE conversiontype = 'purchase'),
         w AS (SELECT c.id, c.person, c.at AS cat, c.event_id AS cev, c.revenue, t.event_id AS tev, t.at AS tat, t.channel,
                      row_number() OVER p AS pos, count(*) OVER p AS n,
                      extract(epoch FROM c.at - t.at) AS lag,
                      last_value(extract(epoch FROM c.at - t.at)) OVER pf AS last_lag
                 FROM c JOIN bench_events t ON t.person = c.person AND t.channel IS NOT NULL
                  AND t.at <= c.at AND t.at >= c.at - interval '30 days'
               WINDOW p AS (PARTITION BY c.id ORDER BY t.at, t.channel, t.event_id),
                      pf AS (PARTITION BY c.id ORDER BY t.at, t.channel, t.event_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
         d AS (SELECT w.*, power(2.0::float8, -(lag - last_lag) / 604800) AS decay,
                      sum(power(2.0::float8, -(lag - last_lag) / 604800))
                          OVER (PARTITION BY id ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS decay_sum
                 FROM w)
    SELECT 'bench_rules', 1, m.model, d.id, d.cev::text, d.cat, d.person::text, d.tev::text, d.tat, d.channel, d.channel,
           NULL, NULL, NULL, CASE WHEN d.pos = d.n THEN 'closer' WHEN d.pos = 1 THEN 'starter' ELSE 'player' END,
           d.pos, d.n, d.lag / 86400, m.credit, m.credit * d.revenue
      FROM d CROSS JOIN LATERAL (VALUES ('last_touch', CASE WHEN d.pos = d.n THEN 1.0::float8 ELSE 0 END),
                                        ('linear', 1.0::float8 / d.n), ('time_decay', d.decay / d.decay_sum)) m(model, credit)
     WHERE m.credit > 0
    UNION ALL
    SELECT 'bench_rules', 1, m.model, c.id, c.event_id::text, c.at, c.person::text, NULL, NULL, 'none', NULL, NULL, NULL, NULL,
           'none', NULL, 0, NULL, 1.0, c.revenue
      FROM c CROSS JOIN unnest(ARRAY['last_touch', 'linear', 'time_decay']) m(model)
     WHERE NOT EXISTS (SELECT 1 FROM bench_events t WHERE t.person = c.person AND t.channel IS NOT NULL
                          AND t.at <= c.at AND t.at >= c.at - interval '30 days');
END $$;

CREATE FUNCTION pg_temp.bench_rules() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t float8[];
    n_ours bigint;
    n_base bigint;
    diff bigint;
BEGIN
    t := pg_temp.bench_best(ARRAY['SELECT count(*) FROM mixmodel.attribute(''bench_rules'')',
                                  'SELECT pg_temp.bench_baseline()'], 3)
         || pg_temp.bench_best(ARRAY['SELECT count(*) FROM mixmodel.attribute(''bench_rules_full'')'], 1);
    SELECT count(*) INTO n_ours FROM mixmodel.event_scores WHERE attribution = 'bench_rules';
    SELECT count(*) INTO n_base FROM bench_scores;
    -- the same credits: every baseline row has its twin, to 1e-12
    SELECT count(*) INTO diff
      FROM bench_scores b FULL JOIN (SELECT * FROM mixmodel.event_scores WHERE attribution = 'bench_rules') s
        ON s.model = b.model AND s.conversion_event = b.conversion_event AND s.touch_event IS NOT DISTINCT FROM b.touch_event
     WHERE s.credit IS NULL OR b.credit IS NULL OR abs(s.credit - b.credit) > 1e-12;
    RETURN format('attribution rules: last_touch, linear, time_decay over %s events of %s persons (%s score rows): '
                  '%s s; baseline hand-written window query: %s s; ratio %s (target <= 1.20) %s; rows differing: %s; '
                  'the default run with analytics (path table, touchpoint effectiveness): %s s (ratio %s)',
                  (SELECT count(*) FROM bench_events), (SELECT count(DISTINCT person) FROM bench_events), n_ours,
                  round(t[1]::numeric, 2), round(t[2]::numeric, 2), round((t[1] / t[2])::numeric, 2),
                  CASE WHEN t[1] / t[2] <= 1.2 THEN 'met' ELSE 'NOT met' END, diff,
                  round(t[3]::numeric, 2), round((t[3] / t[2])::numeric, 2));
END $$;
SELECT pg_temp.bench_rules();
DROP TABLE bench_scores;
SELECT mixmodel.drop_attribution('bench_rules'), mixmodel.drop_attribution('bench_rules_full') \g /dev/null

-- the algorithmic model on the same 1 M journeys
SELECT mixmodel.create_attribution('bench_alg', 'bench_events', 'purchase', 'person', 'at', lookback => '30 days',
         models => '{algorithmic}') \g /dev/null
\c
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 2;
SET work_mem = '256MB';
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM mixmodel.attribute('bench_alg') \g /dev/null
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS run_s,
       (SELECT (algorithmic->>'scans')::int FROM mixmodel.attribution_runs WHERE attribution = 'bench_alg') AS scans,
       (SELECT (algorithmic->>'parameters')::int FROM mixmodel.attribution_runs WHERE attribution = 'bench_alg') AS params,
       (SELECT (algorithmic->>'persons')::float8 FROM mixmodel.attribution_runs WHERE attribution = 'bench_alg') AS persons \gset
-- the fit alone, on the run's journey table (rebuilt as the run builds it), in a fresh backend
CREATE UNLOGGED TABLE bench_jr AS
SELECT person, array_agg((at::date - DATE '2024-01-01')::int ORDER BY at::date, tok) AS tday, array_agg(tok ORDER BY at::date, tok) AS ttok,
       '{}'::int[] AS cday
  FROM (SELECT person, at, (array_position(ARRAY['display', 'email', 'push', 'search', 'social', 'video'], channel) - 1) AS tok
          FROM bench_events WHERE channel IS NOT NULL) x GROUP BY person ORDER BY person;
UPDATE bench_jr j SET cday = c.cday
  FROM (SELECT person, array_agg(DISTINCT (at::date - DATE '2024-01-01')::int ORDER BY (at::date - DATE '2024-01-01')::int) AS cday
          FROM bench_events WHERE conversiontype = 'purchase' GROUP BY person) c WHERE c.person = j.person;
VACUUM ANALYZE bench_jr;
CREATE UNLOGGED TABLE bench_jr_small AS SELECT * FROM bench_jr WHERE person <= 100000 ORDER BY person;
\c
SELECT clock_timestamp() AS t0 \gset
SELECT (mixmodel._attribution_survival('bench_jr', 6, '{0, 1, 3, 7, 14, 31}', 180, 1000000, 1000000, 1)->>'scans')::int AS fit_scans \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS fit_s,
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm_1m,
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssAnon:\s+(\d+)'))[1]::bigint AS anon_1m \gset
\c
SELECT (mixmodel._attribution_survival('bench_jr_small', 6, '{0, 1, 3, 7, 14, 31}', 180, 100000, 100000, 1)->>'scans')::int AS small_scans \gset
SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm_100k,
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssAnon:\s+(\d+)'))[1]::bigint AS anon_100k \gset
SELECT format('attribution algorithmic: %s journeys (%s events): whole run %s s; fit alone %s s, %s passes over the data, '
              '%s parameters (%s kB of Newton work space); backend peak memory (VmHWM, shared buffers read included) %s MB '
              'with 1 M journeys, %s MB with 100 k; private memory (RssAnon) after the fit %s MB and %s MB',
              :persons, (SELECT count(*) FROM bench_events), round(:run_s::numeric, 1), round(:fit_s::numeric, 1), :fit_scans,
              :params, round((2 * :params + 3 * :params * :params + 3 * :params) * 8 / 1024.0, 1),
              round(:hwm_1m / 1024.0), round(:hwm_100k / 1024.0), round(:anon_1m / 1024.0), round(:anon_100k / 1024.0));
SELECT mixmodel.drop_attribution('bench_alg') \g /dev/null
DROP TABLE bench_events, bench_jr, bench_jr_small;
