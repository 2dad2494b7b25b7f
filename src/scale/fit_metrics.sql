-- scale: one aggregate returning the shared fit-metric state.  doc/scale-out.md.

-- The seven metric aggregates (src/transform/metrics.sql) share this state; in one
-- query PostgreSQL keeps one state for all of them, but a distributed planner (Citus)
-- ships one partial state per aggregate.  fit_metrics ships one, and the existing
-- final functions (metrics_r2, metrics_mape, ...) read every metric from it.
CREATE AGGREGATE mixmodel.fit_metrics(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.fit_metrics(pg_catalog.float8, pg_catalog.float8) IS
'The fit-metrics state of (actual, predicted) rows, the 12-element float8[] the metric aggregates share; read it with mixmodel.metrics_r2, metrics_mape, metrics_smape, metrics_rmse, metrics_nrmse, metrics_mae, metrics_wmape. One partial state per query however many metrics are read (one state per shard on Citus). NULL rows are skipped; no rows give the empty state {1,0,...,0}.';
