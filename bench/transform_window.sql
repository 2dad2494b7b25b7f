-- bench/transform_window.sql: adstock + Hill as window functions over 10 M rows
-- (1000 geos x 10000 weeks), against a bare running sum(spend) OVER the same
-- partition and order: with the default RANGE frame (peers compared on every row:
-- the favourable case, target <= 1.5) and with a ROWS frame (the fastest plain
-- running sum: the unfavourable case, target <= 1.1).  All queries sort the same
-- way (checked below) and feed one outer sum, so the ratio is the cost of the
-- transforms per row.
-- Timing: clock_timestamp() around each query, best of 3, runs alternating.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;   -- a window partition runs in one process anyway
SET jit = off;
SET work_mem = '2GB';                      -- both sorts in memory

CREATE UNLOGGED TABLE bench_spend AS
SELECT g AS geo, DATE '1900-01-01' + 7 * w AS week,
       ((g * 7919 + w * 104729) % 1000)::float8 AS spend
  FROM generate_series(1, 1000) g, generate_series(0, 9999) w;
VACUUM ANALYZE bench_spend;

\ir include/bench_best.sql

-- The sort keys of a query's plan, to check both queries sort alike.
CREATE FUNCTION pg_temp.bench_sort_keys(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
    RETURN jsonb_path_query_array(plan, 'strict $.**."Sort Key"');
END
$$;

CREATE FUNCTION pg_temp.bench_transform_window() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    have_hill bool := to_regprocedure('mixmodel.hill(float8, float8, float8)') IS NOT NULL;
    figure text;
    baseline text := 'SELECT sum(a) FROM (SELECT sum(spend) OVER (PARTITION BY geo ORDER BY week) AS a
                        FROM bench_spend) s';
    rows_baseline text := 'SELECT sum(a) FROM (SELECT sum(spend) OVER (PARTITION BY geo ORDER BY week
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS a
                             FROM bench_spend) s';
    what text;
    -- for reading the figures: what both queries pay before any window function
    sort_only text := 'SELECT sum(spend) FROM (SELECT spend FROM bench_spend ORDER BY geo, week OFFSET 0) s';
    t float8[];
    n bigint := (SELECT count(*) FROM bench_spend);
BEGIN
    IF have_hill THEN
        what := 'hill(adstock_geometric(spend, 0.5) OVER w, 2, 100)';
        figure := 'SELECT sum(mixmodel.hill(a, 2.0, 100.0))
                     FROM (SELECT mixmodel.adstock_geometric(spend, 0.5)
                                  OVER (PARTITION BY geo ORDER BY week) AS a FROM bench_spend) s';
    ELSE
        what := 'adstock_geometric(spend, 0.5) OVER w (hill not installed)';
        figure := 'SELECT sum(a)
                     FROM (SELECT mixmodel.adstock_geometric(spend, 0.5)
                                  OVER (PARTITION BY geo ORDER BY week) AS a FROM bench_spend) s';
    END IF;
    IF pg_temp.bench_sort_keys(figure) IS DISTINCT FROM pg_temp.bench_sort_keys(baseline)
       OR pg_temp.bench_sort_keys(figure) IS DISTINCT FROM pg_temp.bench_sort_keys(rows_baseline)
       OR pg_temp.bench_sort_keys(figure) = '[]' THEN
        RAISE EXCEPTION 'transform_window: the plans do not sort alike: % vs % vs %',
            pg_temp.bench_sort_keys(figure), pg_temp.bench_sort_keys(baseline), pg_temp.bench_sort_keys(rows_baseline);
    END IF;
    t := pg_temp.bench_best(ARRAY[baseline, figure, sort_only, rows_baseline], 3);
    RETURN format('transform_window: %s over %s rows: %s s; baseline sum(spend) OVER w (RANGE frame): %s s; ratio %s (target <= 1.50) %s; baseline with a ROWS frame: %s s; ratio %s (target <= 1.10) %s; the sort alone: %s s',
                  what, n, round(t[2]::numeric, 2), round(t[1]::numeric, 2),
                  round((t[2] / t[1])::numeric, 2),
                  CASE WHEN t[2] / t[1] <= 1.5 THEN 'met' ELSE 'NOT MET' END,
                  round(t[4]::numeric, 2), round((t[2] / t[4])::numeric, 2),
                  CASE WHEN t[2] / t[4] <= 1.1 THEN 'met' ELSE 'NOT MET' END,
                  round(t[3]::numeric, 2));
END
$$;

SELECT pg_temp.bench_transform_window();

DROP TABLE bench_spend;
