-- bench/generate.sql: mixmodel.generate_raw_data with 20 M event rows (156 weeks,
-- default channels) against a baseline that writes 20 M rows of the same events
-- shape with plain SQL (generate_series, no randomness worth the name), both into
-- ordinary logged tables.  One run each (the figure takes tens of seconds).
-- Target: the generator within 3x the plain write, well under a minute.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;

SELECT clock_timestamp() AS t0 \gset
SELECT sum(row_count) AS gen_rows, max(row_count) FILTER (WHERE table_name = 'events') AS gen_events
  FROM mixmodel.generate_raw_data('bench_gen', seed => 42, weeks => 156, events => 20000000) \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS gen_s \gset

SELECT clock_timestamp() AS t0 \gset
CREATE TABLE bench_plain AS
SELECT (1 + (i * 7919) % 1000000)::bigint AS profile_id,
       TIMESTAMPTZ '2023-01-02 00:00+00' + (i * 4.7174) * interval '1 second' AS event_ts,
       CASE WHEN i % 5 = 0 THEN 'conversion' ELSE 'touch' END AS event_type,
       CASE WHEN i % 5 <> 0 THEN (ARRAY['search', 'social', 'display', 'email'])[1 + (i * 31) % 4] END AS channel,
       CASE WHEN i % 5 <> 0 THEN 'c' || (1 + i % 2) END AS campaign,
       CASE WHEN i % 5 = 0 THEN 'online' END AS conversion_type,
       CASE WHEN i % 5 = 0 THEN 20 + ((i * 104729) % 10000) / 100.0 END::float8 AS revenue
  FROM generate_series(1::bigint, :gen_events) i;
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS base_s \gset

SELECT format('generate: generate_raw_data(events => 20000000): %s event rows (%s rows in all) in %s s; '
              'baseline plain CREATE TABLE AS of the same number of event rows: %s s; ratio %s (target <= 3.00, < 60 s) %s',
              :gen_events, :gen_rows, round(:gen_s::numeric, 2), round(:base_s::numeric, 2),
              round((:gen_s / :base_s)::numeric, 2),
              CASE WHEN :gen_s / :base_s <= 3 AND :gen_s < 60 THEN 'met' ELSE 'NOT met' END);
DROP SCHEMA bench_gen CASCADE;
DROP TABLE bench_plain;
