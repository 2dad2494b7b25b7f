-- scale: fit_metrics (one shared state), regression_stats/regression_solve
-- (sufficient statistics), and train reading a wide source in one scan.
\pset footer off
\pset null '(null)'
SET client_min_messages = warning;

-- fit_metrics: the accessors read from it exactly what the seven aggregates return
CREATE TEMP TABLE fit AS
SELECT i % 5 AS grp, (1000 + (i * 104729) % 5000)::float8 AS actual,
       (1000 + (i * 104729) % 5000) * (1 + ((i * 7919) % 201 - 100) / 1000.0)::float8 AS predicted
  FROM generate_series(1, 20000) i;
INSERT INTO fit VALUES (0, NULL, 3), (0, 4, NULL), (0, 0, 2);
SET max_parallel_workers_per_gather = 0;
WITH s AS (SELECT mixmodel.fit_metrics(actual, predicted) AS st FROM fit),
     a AS (SELECT mixmodel.r2(actual, predicted) r2, mixmodel.mape(actual, predicted) mape,
                  mixmodel.smape(actual, predicted) smape, mixmodel.rmse(actual, predicted) rmse,
                  mixmodel.nrmse(actual, predicted) nrmse, mixmodel.mae(actual, predicted) mae,
                  mixmodel.wmape(actual, predicted) wmape FROM fit)
SELECT mixmodel.metrics_r2(st) = r2 AS r2, mixmodel.metrics_mape(st) = mape AS mape,
       mixmodel.metrics_smape(st) = smape AS smape, mixmodel.metrics_rmse(st) = rmse AS rmse,
       mixmodel.metrics_nrmse(st) = nrmse AS nrmse, mixmodel.metrics_mae(st) = mae AS mae,
       mixmodel.metrics_wmape(st) = wmape AS wmape, st[2] AS n
  FROM s, a;
-- the hand example of doc/calendar_metrics.md, by group, and no rows (the empty state)
SELECT s[2] AS n, mixmodel.metrics_r2(s) AS r2, round(mixmodel.metrics_rmse(s)::numeric, 6) AS rmse
  FROM (SELECT mixmodel.fit_metrics(actual, predicted) s
          FROM (VALUES (1, 1.5), (2, 1.5), (3, 3), (4, 5), (NULL, 7)) t(actual, predicted)) q;
SELECT grp, mixmodel.metrics_mae(s) = (SELECT mixmodel.mae(actual, predicted) FROM fit f WHERE f.grp = q.grp) AS same
  FROM (SELECT grp, mixmodel.fit_metrics(actual, predicted) s FROM fit GROUP BY grp) q ORDER BY grp;
SELECT mixmodel.fit_metrics(actual, predicted) AS empty_state, mixmodel.metrics_r2(mixmodel.fit_metrics(actual, predicted)) AS r2
  FROM fit WHERE false;
-- as a window aggregate (running RMSE), the same as mixmodel.rmse over the window
SELECT i, mixmodel.metrics_rmse(mixmodel.fit_metrics(a, p) OVER w) = mixmodel.rmse(a, p) OVER w AS same,
       round(mixmodel.metrics_rmse(mixmodel.fit_metrics(a, p) OVER w)::numeric, 6) AS rmse
  FROM (VALUES (1, 1.0, 1.5), (2, 2, 1.5), (3, 3, 3), (4, 4, 5)) t(i, a, p) WINDOW w AS (ORDER BY i);
-- several accessors of one fit_metrics call: one aggregate in the plan
EXPLAIN (COSTS OFF, VERBOSE)
SELECT mixmodel.metrics_r2(mixmodel.fit_metrics(actual, predicted)),
       mixmodel.metrics_mape(mixmodel.fit_metrics(actual, predicted)) FROM fit;
-- two workers: Partial Aggregate, and within 1e-10 of the serial state
CREATE TEMP TABLE serial AS SELECT mixmodel.fit_metrics(actual, predicted) s FROM fit;
CREATE TABLE scale_fit AS SELECT * FROM fit;
ANALYZE scale_fit;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP r := concat_ws(E'\n', r, l); END LOOP;
    RETURN r;
END $$;
SELECT pg_temp.plan_of('SELECT mixmodel.fit_metrics(actual, predicted) FROM scale_fit') LIKE '%Partial Aggregate%' AS partial;
SELECT bool_and(abs(pv - sv) <= 1e-10 * greatest(abs(sv), 1)) AS agree
  FROM (SELECT mixmodel.fit_metrics(actual, predicted) ps FROM scale_fit) par, serial,
       unnest(par.ps, serial.s) u(pv, sv);
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
-- bad rows raise as the metric aggregates do
SELECT mixmodel.fit_metrics(a, p) FROM (VALUES (1::float8, 'NaN'::float8)) t(a, p);
SELECT mixmodel.fit_metrics(a, p) FROM (VALUES (1e200::float8, -1e200::float8)) t(a, p);

-- regression_stats: an exact design is recovered (x1 around 1e6: no cancellation)
CREATE TABLE scale_design AS
SELECT i % 4 AS geo, 1e6 + (i * 7) % 13 AS x1, ((i * i) % 17 - 8)::float8 AS x2, ((i * 3) % 11)::float8 AS x3
  FROM generate_series(1, 40000) i;
ALTER TABLE scale_design ADD COLUMN y float8;
UPDATE scale_design SET y = 3 + 2 * x1 - 0.5 * x2 + (1 + geo) * x3;
ANALYZE scale_design;
SELECT n, round(intercept::numeric, 4) AS intercept, (SELECT array_agg(round(c::numeric, 9)) FROM unnest(coefficients) c) AS coefficients,
       round(r2::numeric, 12) AS r2, rmse < 1e-6 AS rmse_0
  FROM mixmodel.regression_solve((SELECT mixmodel.regression_stats(y, ARRAY[x1, x2, x3]) FROM scale_design WHERE geo = 0));
-- per geo: one state per group
SELECT geo, (SELECT array_agg(round(c::numeric, 9)) FROM unnest((f).coefficients) c) AS coefficients
  FROM (SELECT geo, mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x1, x2, x3])) f
          FROM scale_design GROUP BY geo) q ORDER BY geo;
-- one regressor: the same as the built-in regr_* aggregates (noisy y)
CREATE TEMP TABLE noisy AS SELECT x1 - 1e6 + x3 AS x, x2 + x3 * 0.7 AS y FROM scale_design;
SELECT abs((f).coefficients[1] - regr_slope) <= 1e-12 * abs(regr_slope) AS slope,
       abs((f).intercept - regr_intercept) <= 1e-12 * greatest(abs(regr_intercept), 1) AS intercept,
       abs((f).r2 - regr_r2) <= 1e-12 AS r2
  FROM (SELECT mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x])) f, regr_slope(y, x),
               regr_intercept(y, x), regr_r2(y, x) FROM noisy) q;
-- ridge with one regressor: b = Sxy / (Sxx + ridge), intercept unpenalised
SELECT abs((f).coefficients[1] - regr_sxy / (regr_sxx + 1e4)) <= 1e-12 * abs(regr_sxy / (regr_sxx + 1e4)) AS ridge_slope,
       abs((f).intercept - (regr_avgy - regr_avgx * regr_sxy / (regr_sxx + 1e4))) <= 1e-9 AS ridge_intercept
  FROM (SELECT mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x]), ridge => 1e4) f,
               regr_sxy(y, x), regr_sxx(y, x), regr_avgx(y, x), regr_avgy(y, x) FROM noisy) q;
-- no regressors: the mean; NULL rows skipped; no rows: the empty state
SELECT n, intercept, coefficients, r2 FROM mixmodel.regression_solve(
       (SELECT mixmodel.regression_stats(y, x) FROM (VALUES (1::float8, '{}'::float8[]), (3, '{}'), (NULL, '{}'), (4, NULL)) t(y, x)));
SELECT mixmodel.regression_stats(y, ARRAY[x]) AS empty_state FROM noisy WHERE false;
-- parallel: Partial Aggregate, within 1e-9 of the serial fit
CREATE TEMP TABLE serial_fit AS SELECT (mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x1, x2, x3]))).* FROM scale_design;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT pg_temp.plan_of('SELECT mixmodel.regression_stats(y, ARRAY[x1, x2, x3]) FROM scale_design') LIKE '%Partial Aggregate%' AS partial;
SELECT bool_and(abs(p - s) <= 1e-9 * greatest(abs(s), 1)) AS agree
  FROM (SELECT (mixmodel.regression_solve(mixmodel.regression_stats(y, ARRAY[x1, x2, x3]))).* FROM scale_design) par, serial_fit,
       unnest(par.coefficients || par.intercept || par.r2, serial_fit.coefficients || serial_fit.intercept || serial_fit.r2) u(p, s);
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

-- bad input, each from a working call
\set VERBOSITY default
SELECT mixmodel.regression_stats(y, CASE WHEN geo = 1 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM scale_design;
SELECT mixmodel.regression_stats(y, ARRAY[x1, CASE WHEN geo = 1 THEN NULL ELSE x2 END]) FROM scale_design;
SELECT mixmodel.regression_stats(y, ARRAY[x1, CASE WHEN geo = 1 THEN 'NaN' ELSE x2 END]) FROM scale_design;
SELECT mixmodel.regression_stats(CASE WHEN geo = 1 THEN 'Infinity' ELSE y END, ARRAY[x1, x2]) FROM scale_design;
SELECT mixmodel.regression_stats(y, ARRAY[ARRAY[x1, x2]]) FROM scale_design;
SELECT mixmodel.regression_stats(y, ARRAY[x1 * 1e200, x2]) FROM scale_design;
SELECT * FROM mixmodel.regression_solve((SELECT mixmodel.regression_stats(y, ARRAY[x1, 2 * x1]) FROM scale_design));
SELECT * FROM mixmodel.regression_solve((SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM (SELECT * FROM scale_design LIMIT 2) s));
SELECT * FROM mixmodel.regression_solve((SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design), ridge => -1);
SELECT * FROM mixmodel.regression_solve((SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design), ridge => NULL);
SELECT * FROM mixmodel.regression_solve(NULL);
SELECT * FROM mixmodel.regression_solve('{1,2,3}');
SELECT * FROM mixmodel.regression_solve('{1,1,5,0,0,-1,0,0}');
SELECT mixmodel.regression_stats_combine((SELECT mixmodel.regression_stats(y, ARRAY[x1]) FROM scale_design WHERE geo = 0),
                                         (SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design WHERE geo = 1));
-- combine by hand equals one pass (the identity, and two halves)
SELECT bool_and(abs(a - b) <= 1e-9 * greatest(abs(b), 1)) AS halves
  FROM unnest(mixmodel.regression_stats_combine(
                (SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design WHERE geo < 2),
                (SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design WHERE geo >= 2)),
              (SELECT mixmodel.regression_stats(y, ARRAY[x1, x2]) FROM scale_design)) u(a, b);
SELECT mixmodel.regression_stats_combine('{1,0,0,0,0}', s) = s AS identity
  FROM (SELECT mixmodel.regression_stats(y, ARRAY[x1]) s FROM scale_design WHERE geo = 2) q;

-- train reads a wide source in one scan (it read it once per column before)
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('sc', seed => 3, weeks => 104, events => 1000,
       channels => ARRAY['tv','search','social']);
SELECT mixmodel.create_model('sc1', source => 'sc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'], factors => ARRAY['price_index'],
       options => '{"inference": "ridge", "candidates": 50}');
BEGIN;
SELECT count(*) AS splits FROM mixmodel.train('sc1', seed => 1);
SELECT seq_scan + coalesce(idx_scan, 0) AS scans_of_source FROM pg_stat_xact_user_tables
 WHERE relid = 'sc.weekly_wide'::regclass;
COMMIT;
SELECT channel, position FROM mixmodel.run_channels WHERE model = 'sc1' ORDER BY position;

DROP TABLE scale_fit, scale_design;
SELECT mixmodel.drop_model('sc1');
DROP SCHEMA sc CASCADE;
