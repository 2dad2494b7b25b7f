-- bench/fit_metrics.sql: all seven fit metrics (r2, mape, smape, rmse, nrmse, mae,
-- wmape) of 10 M (actual, predicted) rows three ways, up to 2 parallel workers each:
--   one mixmodel.fit_metrics state read by the seven metrics_* accessors;
--   the seven aggregates mixmodel.r2(...) ... mixmodel.wmape(...) in one query;
--   the fastest plain SQL: built-in float8 aggregates (sum, avg, var_pop, min,
--   max) over products, no pow().
-- On one node PostgreSQL already shares one transition state among the seven
-- aggregates (same transition function, state type and initial condition), so
-- the first two should cost the same; the difference shows on Citus, where each
-- aggregate ships its own partial state (doc/scale-out.md).  The line also checks
-- that every query used partial aggregation and that the results agree (1e-9).
-- Target: fit_metrics / plain SQL <= 1.0.  Times are medians of 5 alternating rounds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 2;

CREATE UNLOGGED TABLE bench_fm AS
SELECT actual, actual * (1 + ((i * 7919) % 201 - 100) / 1000.0)::float8 AS predicted
  FROM (SELECT i, (1000 + (i * 104729) % 5000)::float8 AS actual
          FROM generate_series(1::int8, 10000000) i) s;
VACUUM ANALYZE bench_fm;

\ir include/bench_best.sql

CREATE FUNCTION pg_temp.bench_fit_metrics() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    shared text := 'SELECT ARRAY[mixmodel.metrics_r2(s), mixmodel.metrics_mape(s), mixmodel.metrics_smape(s),
                                 mixmodel.metrics_rmse(s), mixmodel.metrics_nrmse(s), mixmodel.metrics_mae(s),
                                 mixmodel.metrics_wmape(s)]
                      FROM (SELECT mixmodel.fit_metrics(actual, predicted) s FROM bench_fm) q';
    seven text := 'SELECT ARRAY[mixmodel.r2(actual, predicted), mixmodel.mape(actual, predicted),
                                mixmodel.smape(actual, predicted), mixmodel.rmse(actual, predicted),
                                mixmodel.nrmse(actual, predicted), mixmodel.mae(actual, predicted),
                                mixmodel.wmape(actual, predicted)] FROM bench_fm';
    plain text := 'SELECT ARRAY[1 - sum((actual - predicted) * (actual - predicted)) / (var_pop(actual) * count(*)),
                                avg(abs(actual - predicted) / abs(actual)) FILTER (WHERE actual <> 0),
                                avg(CASE WHEN abs(actual) + abs(predicted) = 0 THEN 0
                                         ELSE 2 * abs(actual - predicted) / (abs(actual) + abs(predicted)) END),
                                sqrt(avg((actual - predicted) * (actual - predicted))),
                                sqrt(avg((actual - predicted) * (actual - predicted))) / (max(actual) - min(actual)),
                                avg(abs(actual - predicted)),
                                sum(abs(actual - predicted)) / sum(abs(actual))] FROM bench_fm';
    scan text := 'SELECT count(*) FROM bench_fm';
    q text;
    partial bool := true;
    a float8[]; b float8[]; c float8[];
    agree bool;
    t float8[];
BEGIN
    FOREACH q IN ARRAY ARRAY[shared, seven, plain] LOOP
        partial := partial AND pg_temp.bench_fm_plan(q) LIKE '%Partial Aggregate%';
    END LOOP;
    EXECUTE shared INTO a;
    EXECUTE seven INTO b;
    EXECUTE plain INTO c;
    agree := (SELECT bool_and(abs(x - z) <= 1e-9 * abs(z) AND abs(y - z) <= 1e-9 * abs(z))
                FROM unnest(a, b, c) u(x, y, z));
    t := pg_temp.bench_median(ARRAY[plain, shared, seven, scan], 5);
    RETURN format('fit_metrics: seven metrics over %s rows from one fit_metrics state: %s s; the seven aggregates: %s s (ratio %s); fastest plain SQL: %s s (medians of 5 alternating rounds); ratio fit_metrics/plain %s (target <= 1.00) %s; bare count(*) scan %s s; %s; results %s',
                  (SELECT count(*) FROM bench_fm), round(t[2]::numeric, 2), round(t[3]::numeric, 2),
                  round((t[3] / t[2])::numeric, 2), round(t[1]::numeric, 2), round((t[2] / t[1])::numeric, 2),
                  CASE WHEN t[2] / t[1] <= 1.0 THEN 'met' ELSE 'NOT MET' END, round(t[4]::numeric, 2),
                  CASE WHEN partial THEN 'all three with parallel partial aggregation' ELSE 'NOT ALL PARTIAL' END,
                  CASE WHEN agree THEN 'agree to 1e-9' ELSE format('DIFFER: %s / %s / %s', a, b, c) END);
END
$$;

CREATE FUNCTION pg_temp.bench_fm_plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP r := concat_ws(E'\n', r, l); END LOOP;
    RETURN r;
END
$$;

SELECT pg_temp.bench_fit_metrics();

DROP TABLE bench_fm;
