-- fit metrics: hand values (1e-12), NULL/empty/zero-denominator rules,
-- malformed states, NaN/Infinity, and parallel vs serial on 200k rows.
\pset footer off
\pset null '(null)'

CREATE TEMP TABLE fit(actual float8, predicted float8);
INSERT INTO fit VALUES (1, 1.5), (2, 1.5), (3, 3), (4, 5), (NULL, 7), (8, NULL);
-- e = (-0.5, 0.5, 0, -1): SSE 1.5, SST 5, sum|e| 2, sum|y| 10, range 3
SELECT abs(mixmodel.r2(actual, predicted) - 0.7) < 1e-12 AS r2,
       abs(mixmodel.rmse(actual, predicted) - sqrt(0.375)) < 1e-12 AS rmse,
       abs(mixmodel.nrmse(actual, predicted) - sqrt(0.375) / 3) < 1e-12 AS nrmse,
       abs(mixmodel.mae(actual, predicted) - 0.5) < 1e-12 AS mae,
       abs(mixmodel.mape(actual, predicted) - 0.25) < 1e-12 AS mape,
       abs(mixmodel.smape(actual, predicted) - (0.4 + 2.0/7 + 2.0/9) / 4) < 1e-12 AS smape,
       abs(mixmodel.wmape(actual, predicted) - 0.2) < 1e-12 AS wmape
  FROM fit;
SELECT round(mixmodel.r2(actual, predicted)::numeric, 12) AS r2,
       round(mixmodel.rmse(actual, predicted)::numeric, 12) AS rmse,
       round(mixmodel.nrmse(actual, predicted)::numeric, 12) AS nrmse,
       round(mixmodel.smape(actual, predicted)::numeric, 12) AS smape
  FROM fit;

-- mape skips actual = 0; a 0/0 sMAPE term counts 0
SELECT mixmodel.mape(a, p) AS mape, abs(mixmodel.smape(a, p) - 1.0/3) < 1e-12 AS smape,
       mixmodel.wmape(a, p) AS wmape
  FROM (VALUES (0::float8, 0::float8), (2, 1)) AS t(a, p);
-- a perfect fit, and a fit worse than the mean (negative R2)
SELECT mixmodel.r2(a, a) AS perfect, mixmodel.rmse(a, a) AS rmse0, mixmodel.smape(a, a) AS smape0,
       mixmodel.r2(a, 5 - a) AS reversed
  FROM (VALUES (1::float8), (2), (3), (4)) AS t(a);

-- empty input and zero denominators give NULL
SELECT mixmodel.r2(a, p) AS r2, mixmodel.mape(a, p) AS mape, mixmodel.smape(a, p) AS smape,
       mixmodel.rmse(a, p) AS rmse, mixmodel.nrmse(a, p) AS nrmse, mixmodel.mae(a, p) AS mae,
       mixmodel.wmape(a, p) AS wmape
  FROM (VALUES (1::float8, 1::float8)) AS t(a, p) WHERE false;
SELECT mixmodel.r2(a, p) AS r2_const, mixmodel.nrmse(a, p) AS nrmse_const, mixmodel.rmse(a, p) AS rmse
  FROM (VALUES (3::float8, 2::float8), (3, 4)) AS t(a, p);
SELECT mixmodel.mape(a, p) AS mape_zeros, mixmodel.wmape(a, p) AS wmape_zeros, mixmodel.mae(a, p) AS mae
  FROM (VALUES (0::float8, 2::float8), (0, -2)) AS t(a, p);
SELECT mixmodel.r2(a, p) AS r2_nulls FROM (VALUES (NULL::float8, NULL::float8)) AS t(a, p);

-- grouped use
SELECT g, round(mixmodel.rmse(a, p)::numeric, 12) AS rmse
  FROM (VALUES ('train', 1::float8, 2::float8), ('train', 3, 3), ('test', 2, 5)) AS t(g, a, p)
 GROUP BY g ORDER BY g;

-- as window functions: a growing frame calls the final function on one state
-- again and again (read-only final), a sliding frame restarts it
SELECT i, round(mixmodel.rmse(a, p) OVER (ORDER BY i)::numeric, 12) AS running,
       round(mixmodel.rmse(a, p) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::numeric, 12) AS sliding,
       round(mixmodel.r2(a, p) OVER (ORDER BY i)::numeric, 12) AS running_r2
  FROM (VALUES (1, 1::float8, 1.5::float8), (2, 2, 1.5), (3, 3, 3), (4, 4, 5)) AS t(i, a, p)
 ORDER BY i;

-- NaN and Infinity are errors (22023), not skipped; overflow is 22003
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS statement, pg_temp.err(q) AS error FROM (VALUES
  ($$SELECT mixmodel.r2(a, p) FROM (VALUES (1::float8, 'NaN'::float8)) t(a, p)$$),
  ($$SELECT mixmodel.rmse(a, p) FROM (VALUES ('Infinity'::float8, 1::float8)) t(a, p)$$),
  ($$SELECT mixmodel.mape(a, p) FROM (VALUES ('-Infinity'::float8, 1::float8)) t(a, p)$$),
  ($$SELECT mixmodel.rmse(a, p) FROM (VALUES (1e200::float8, -1e200::float8)) t(a, p)$$),
  -- malformed states given to the support functions
  ($$SELECT mixmodel.metrics_r2('{1,2}')$$),
  ($$SELECT mixmodel.metrics_r2('{{1,0,0,0,0,0},{0,0,0,0,0,0}}')$$),
  ($$SELECT mixmodel.metrics_r2('{1,1,NULL,0,0,0,0,0,0,0,1,1}')$$),
  ($$SELECT mixmodel.metrics_rmse('{1,1,NaN,0,0,0,0,0,0,0,1,1}')$$),
  ($$SELECT mixmodel.metrics_rmse('{1,1,1,0,Infinity,0,0,0,0,0,1,1}')$$),
  ($$SELECT mixmodel.metrics_mae('{2,0,0,0,0,0,0,0,0,0,0,0}')$$),
  ($$SELECT mixmodel.metrics_mae('{1,-1,0,0,0,0,0,0,0,0,0,0}')$$),
  ($$SELECT mixmodel.metrics_mae('{1,1.5,0,0,0,0,0,0,0,0,0,0}')$$),
  ($$SELECT mixmodel.metrics_mape('{1,1,1,0,0,0,0,2,0,0,1,1}')$$),
  ($$SELECT mixmodel.metrics_rmse('{1,1,1,0,-1,0,0,0,0,0,1,1}')$$),
  ($$SELECT mixmodel.metrics_rmse('{1,0,0,0,1,0,0,0,0,0,0,0}')$$),
  ($$SELECT mixmodel.metrics_nrmse('{1,2,1,0,0,0,0,0,0,0,3,1}')$$),
  ($$SELECT mixmodel.metrics_accum('{1,0}', 1, 2)$$),
  ($$SELECT mixmodel.metrics_combine('{1,0,0,0,0,0,0,0,0,0,0,0}', '{1,0,0}')$$),
  ($$SELECT mixmodel.metrics_combine('{NaN,0,0,0,0,0,0,0,0,0,0,0}', '{1,0,0,0,0,0,0,0,0,0,0,0}')$$),
  ($$SELECT mixmodel.metrics_accum('{1,0,0,0,0,0,0,0,0,0,0,0}', 'NaN', 2)$$),
  ($$SELECT mixmodel.metrics_r2('{1,0,0,0,0,0,0,0,0,0,0,0}')$$)
) AS t(q);
SELECT mixmodel.metrics_r2('{1,2}');

-- support functions called directly: the input state is not modified, the
-- combine's identity is the empty state on either side
WITH s AS (SELECT '{1,0,0,0,0,0,0,0,0,0,0,0}'::float8[] AS empty)
SELECT mixmodel.metrics_accum(empty, 3, 2) AS one_row, empty AS unchanged,
       mixmodel.metrics_combine(empty, mixmodel.metrics_accum(empty, 3, 2))
           = mixmodel.metrics_accum(empty, 3, 2) AS left_identity,
       mixmodel.metrics_combine(mixmodel.metrics_accum(empty, 3, 2), empty)
           = mixmodel.metrics_accum(empty, 3, 2) AS right_identity,
       mixmodel.metrics_combine(empty, empty) = empty AS both_empty
  FROM s;
-- combining two halves equals accumulating all rows (Chan merge) on the hand set
SELECT abs(mixmodel.metrics_r2(mixmodel.metrics_combine(
           mixmodel.metrics_accum(mixmodel.metrics_accum('{1,0,0,0,0,0,0,0,0,0,0,0}', 1, 1.5), 2, 1.5),
           mixmodel.metrics_accum(mixmodel.metrics_accum('{1,0,0,0,0,0,0,0,0,0,0,0}', 3, 3), 4, 5))) - 0.7) < 1e-12
       AS merged_r2;

-- parallel vs serial on 200k rows: equal within relative 1e-10
CREATE TABLE metrics_big AS
SELECT CASE WHEN i % 97 = 0 THEN 0 ELSE 1e6 + 1e4 * sin(i) + i END::float8 AS actual,
       CASE WHEN i % 97 = 0 THEN 0 ELSE 1e6 + 1e4 * sin(i) + i + 500 * cos(7 * i) END::float8 AS predicted
  FROM generate_series(1, 200000) AS i;
ANALYZE metrics_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT mixmodel.r2(actual, predicted) AS r2, mixmodel.mape(actual, predicted) AS mape,
       mixmodel.smape(actual, predicted) AS smape, mixmodel.rmse(actual, predicted) AS rmse,
       mixmodel.nrmse(actual, predicted) AS nrmse, mixmodel.mae(actual, predicted) AS mae,
       mixmodel.wmape(actual, predicted) AS wmape
  FROM metrics_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT mixmodel.r2(actual, predicted), mixmodel.mape(actual, predicted) FROM metrics_big;
CREATE TEMP TABLE parallel AS
SELECT mixmodel.r2(actual, predicted) AS r2, mixmodel.mape(actual, predicted) AS mape,
       mixmodel.smape(actual, predicted) AS smape, mixmodel.rmse(actual, predicted) AS rmse,
       mixmodel.nrmse(actual, predicted) AS nrmse, mixmodel.mae(actual, predicted) AS mae,
       mixmodel.wmape(actual, predicted) AS wmape
  FROM metrics_big;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT abs(p.r2 / s.r2 - 1) < 1e-10 AS r2, abs(p.mape / s.mape - 1) < 1e-10 AS mape,
       abs(p.smape / s.smape - 1) < 1e-10 AS smape, abs(p.rmse / s.rmse - 1) < 1e-10 AS rmse,
       abs(p.nrmse / s.nrmse - 1) < 1e-10 AS nrmse, abs(p.mae / s.mae - 1) < 1e-10 AS mae,
       abs(p.wmape / s.wmape - 1) < 1e-10 AS wmape,
       s.r2 > 0.5 AND s.r2 < 1 AS r2_plausible
  FROM serial s, parallel p;
-- against a two-pass computation with built-in aggregates
SELECT abs(s.r2 - (1 - (SELECT sum((actual - predicted)^2) FROM metrics_big)
                     / (SELECT sum((actual - m)^2) FROM metrics_big, (SELECT avg(actual) AS m FROM metrics_big) z))) < 1e-10 AS r2_two_pass,
       abs(s.rmse / (SELECT sqrt(avg((actual - predicted)^2)) FROM metrics_big) - 1) < 1e-10 AS rmse_two_pass,
       abs(s.mape / (SELECT avg(abs((actual - predicted) / actual)) FROM metrics_big WHERE actual <> 0) - 1) < 1e-10 AS mape_two_pass
  FROM serial s;
DROP TABLE metrics_big;
