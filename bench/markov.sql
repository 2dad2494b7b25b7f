-- bench/markov.sql: exact Markov attribution (mixmodel.markov_attribution).
--
-- 1. Check (not a timing): on ChannelAttribution's PathData (10,000 paths, 12 channels; read
--    from $MM_PATHDATA, default /work/shared/data/attribution/channelattribution/PathData.csv,
--    skipped when absent; never copied into the repository) the removal effects, conversions and
--    revenue of orders 1-4, with and without the null state, against an independent exact
--    computation (bench/markov_reference.py: Python state building, scipy sparse LU).
-- 2. Figure: order 3 over 1 M generated paths (12 channels, 1-12 steps), one core, best of 3.
--    Beside it, in the same run: the Monte-Carlo estimate of the same removal effects with
--    10^6 walks (walks => 1000000, ChannelAttribution's method), its time and its largest error.
--    Target: exact <= 10 s.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
\ir include/bench_best.sql

\set have_pathdata `test -r "${MM_PATHDATA:-/work/shared/data/attribution/channelattribution/PathData.csv}" && test -x /usr/bin/python3 && /usr/bin/python3 -c 'import numpy, scipy' 2>/dev/null && echo true || echo false`
\if :have_pathdata
CREATE TEMP TABLE pathdata (path text, conversions float8, value float8, nulls float8);
\copy pathdata FROM PROGRAM 'cat "${MM_PATHDATA:-/work/shared/data/attribution/channelattribution/PathData.csv}"' WITH (FORMAT csv, DELIMITER ';', HEADER true)
\set o 1
\ir include/markov_check.sql
\set o 2
\ir include/markov_check.sql
\set o 3
\ir include/markov_check.sql
\set o 4
\ir include/markov_check.sql
\else
\echo 'markov check: skipped (no PathData.csv or no python3 with numpy and scipy)'
\endif

-- 1 M paths: a channel's successor depends on it (a sticky random walk over 12 channels),
-- lengths 1-12, about a quarter converting, values 10-110
SELECT setseed(0.42);
CREATE UNLOGGED TABLE bench_paths AS
WITH RECURSIVE walk(id, step, ch, len, path) AS (
    SELECT i, 1, (random() * 12)::int % 12, 1 + (random() * 11.999)::int, NULL::text FROM generate_series(1, 1000000) i
  UNION ALL
    SELECT id, step + 1, CASE WHEN random() < 0.35 THEN ch ELSE (ch + 1 + (random() * 10.999)::int) % 12 END, len, NULL
      FROM walk WHERE step < len)
SELECT string_agg('ch' || lpad(ch::text, 2, '0'), ' > ' ORDER BY step) AS path,
       (random() < 0.1 + 0.03 * max(len))::int::float8 AS conversions, 0::float8 AS value, 0::float8 AS nulls
  FROM walk GROUP BY id;
UPDATE bench_paths SET value = conversions * (10 + 100 * random()), nulls = 1 - conversions;
VACUUM ANALYZE bench_paths;
SELECT count(*) AS paths, sum(conversions) AS conv FROM bench_paths \gset

CREATE FUNCTION pg_temp.bench_markov() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t float8[];
    err float8;
    states int;
BEGIN
    t := pg_temp.bench_best(ARRAY[
        $q$SELECT count(*) FROM mixmodel.markov_attribution('bench_paths', 'path', 'conversions', 'value', 'nulls', "order" => 3)$q$,
        $q$SELECT count(*) FROM mixmodel.markov_attribution('bench_paths', 'path', 'conversions', 'value', 'nulls', "order" => 3, walks => 1000000)$q$],
        3);
    SELECT max(abs(e.removal_effect - m.removal_effect)) INTO err
      FROM mixmodel.markov_attribution('bench_paths', 'path', 'conversions', 'value', 'nulls', "order" => 3) e
      JOIN mixmodel.markov_attribution('bench_paths', 'path', 'conversions', 'value', 'nulls', "order" => 3, walks => 1000000) m
     USING (channel);
    RETURN format('markov: exact order 3 over %s paths (12 channels): %s s; Monte-Carlo at 10^6 walks: %s s (ratio %s), '
                  'its largest removal-effect error %s; target exact <= 10 s %s',
                  (SELECT count(*) FROM bench_paths), round(t[1]::numeric, 2), round(t[2]::numeric, 2),
                  round((t[1] / t[2])::numeric, 2), to_char(err, '9.9EEEE'),
                  CASE WHEN t[1] <= 10 THEN 'met' ELSE 'NOT met' END);
END $$;
SELECT pg_temp.bench_markov();
DROP TABLE bench_paths;
