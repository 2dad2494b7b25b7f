-- bench/regression_stats.sql: the sufficient statistics of a geo-week design of 5 M
-- rows with 8 regressors (mixmodel.regression_stats, then regression_solve), with 2
-- parallel workers and with none, against the fastest plain SQL computing the same
-- statistics: count, the 9 sums and the 45 raw cross-product sums sum(x_i * x_j) with
-- built-in float8 aggregates (no centring, so less accurate, and no solve).  Best of 3.
-- The line also says whether partial aggregation was used and whether the least-squares
-- coefficients recover the design's (1e-6).  Target: ratio <= 1.5.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 2;

-- 5 M rows: 1000 geos x 5000 weeks, y = 10 + sum_j j * x_j + noise (noise orthogonal enough)
CREATE UNLOGGED TABLE bench_design AS
SELECT i % 1000 AS geo, x[1] x1, x[2] x2, x[3] x3, x[4] x4, x[5] x5, x[6] x6, x[7] x7, x[8] x8,
       10 + x[1] + 2 * x[2] + 3 * x[3] + 4 * x[4] + 5 * x[5] + 6 * x[6] + 7 * x[7] + 8 * x[8] AS y
  FROM (SELECT i, ARRAY[(i * 7 % 101)::float8, (i * 13 % 97)::float8, (i * 17 % 89)::float8, (i * 19 % 83)::float8,
                        (i * 23 % 79)::float8, (i * 29 % 73)::float8, (i * 31 % 71)::float8, (i * 37 % 67)::float8] AS x
          FROM generate_series(1::int8, 5000000) i) s;
VACUUM ANALYZE bench_design;

\ir include/bench_best.sql

CREATE FUNCTION pg_temp.bench_regression_stats() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    figure text := 'SELECT (mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x1, x2, x3, x4, x5, x6, x7, x8]))).coefficients FROM bench_design';
    baseline text;
    plan text := '';
    l text;
    coef float8[];
    t float8[];
    t0 float8[];
BEGIN
    SELECT 'SELECT ARRAY[count(*)::float8, ' || string_agg(e, ', ' ORDER BY o) || '] FROM bench_design' INTO baseline
      FROM (SELECT format('sum(%s)', c) AS e, i AS o FROM unnest(ARRAY['x1','x2','x3','x4','x5','x6','x7','x8','y']) WITH ORDINALITY u(c, i)
            UNION ALL
            SELECT format('sum(%s * %s)', a, b), 100 + 10 * i + j
              FROM unnest(ARRAY['x1','x2','x3','x4','x5','x6','x7','x8','y']) WITH ORDINALITY u1(a, i),
                   unnest(ARRAY['x1','x2','x3','x4','x5','x6','x7','x8','y']) WITH ORDINALITY u2(b, j)
             WHERE i <= j AND (i < 9 OR j < 9)) e;
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || figure LOOP plan := plan || l || E'\n'; END LOOP;
    EXECUTE figure INTO coef;
    t := pg_temp.bench_best(ARRAY[baseline, figure], 3);
    SET LOCAL max_parallel_workers_per_gather = 0;
    t0 := pg_temp.bench_best(ARRAY[baseline, figure], 3);
    RETURN format('regression_stats: sufficient statistics + least squares of %s rows x 8 regressors: %s s with 2 workers, %s s with none (speed-up %s); baseline 54 raw float8 sums: %s s / %s s; ratio %s (target <= 1.50) %s; %s; coefficients %s',
                  (SELECT count(*) FROM bench_design), round(t[2]::numeric, 2), round(t0[2]::numeric, 2),
                  round((t0[2] / t[2])::numeric, 2), round(t[1]::numeric, 2), round(t0[1]::numeric, 2),
                  round((t[2] / t[1])::numeric, 2), CASE WHEN t[2] / t[1] <= 1.5 THEN 'met' ELSE 'NOT MET' END,
                  CASE WHEN plan LIKE '%Partial Aggregate%' THEN 'parallel partial aggregation' ELSE 'NO partial aggregation' END,
                  CASE WHEN (SELECT bool_and(abs(c - o) < 1e-6) FROM unnest(coef) WITH ORDINALITY u(c, o)) THEN 'recovered to 1e-6'
                       ELSE format('WRONG: %s', coef) END);
END
$$;

SELECT pg_temp.bench_regression_stats();

DROP TABLE bench_design;
