-- transform: fit metrics as aggregates over (actual, predicted).  doc/calendar_metrics.md, formulas.md §3.

-- support functions: one float8[] state for every metric
CREATE FUNCTION mixmodel.metrics_accum(state pg_catalog.float8[], actual pg_catalog.float8, predicted pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_accum';
COMMENT ON FUNCTION mixmodel.metrics_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Transition function of the fit-metric aggregates: adds one (actual, predicted) row to a 12-element state {version 1, n, mean(actual), SST, SSE, sum|e|, sum|actual|, n(actual<>0), sum|e/actual|, sum of sMAPE terms, min(actual), max(actual)}. NaN or Infinity is an error.';

CREATE FUNCTION mixmodel.metrics_combine(state1 pg_catalog.float8[], state2 pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_combine';
COMMENT ON FUNCTION mixmodel.metrics_combine(pg_catalog.float8[], pg_catalog.float8[]) IS
'Combine function of the fit-metric aggregates: merges two states (Chan et al. for the centred sum of squares); the empty state {1,0,...,0} is its identity.';

CREATE FUNCTION mixmodel.metrics_r2(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_r2';
COMMENT ON FUNCTION mixmodel.metrics_r2(pg_catalog.float8[]) IS
'Final function of mixmodel.r2(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_mape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_mape';
COMMENT ON FUNCTION mixmodel.metrics_mape(pg_catalog.float8[]) IS
'Final function of mixmodel.mape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_smape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_smape';
COMMENT ON FUNCTION mixmodel.metrics_smape(pg_catalog.float8[]) IS
'Final function of mixmodel.smape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_rmse(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_rmse';
COMMENT ON FUNCTION mixmodel.metrics_rmse(pg_catalog.float8[]) IS
'Final function of mixmodel.rmse(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_nrmse(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_nrmse';
COMMENT ON FUNCTION mixmodel.metrics_nrmse(pg_catalog.float8[]) IS
'Final function of mixmodel.nrmse(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_mae(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_mae';
COMMENT ON FUNCTION mixmodel.metrics_mae(pg_catalog.float8[]) IS
'Final function of mixmodel.mae(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_wmape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_wmape';
COMMENT ON FUNCTION mixmodel.metrics_wmape(pg_catalog.float8[]) IS
'Final function of mixmodel.wmape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

-- the aggregates
CREATE AGGREGATE mixmodel.r2(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_r2,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.r2(pg_catalog.float8, pg_catalog.float8) IS
'R-squared 1 - SSE/SST over (actual, predicted) rows, SST = sum (actual - mean)^2 (Robyn get_rsq, Meridian). NULL rows are skipped; NULL for no rows or constant actuals (SST = 0).';

CREATE AGGREGATE mixmodel.mape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_mape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.mape(pg_catalog.float8, pg_catalog.float8) IS
'Mean absolute percentage error as a fraction: mean of |actual - predicted|/|actual| over rows with actual <> 0 (rows with actual = 0 are skipped). NULL rows are skipped; NULL when no row has a non-zero actual.';

CREATE AGGREGATE mixmodel.smape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_smape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.smape(pg_catalog.float8, pg_catalog.float8) IS
'Symmetric MAPE: mean of 2|actual - predicted|/(|actual| + |predicted|), range [0, 2]; a 0/0 term counts 0. NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.rmse(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_rmse,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.rmse(pg_catalog.float8, pg_catalog.float8) IS
'Root mean squared error sqrt(SSE/n). NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.nrmse(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_nrmse,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.nrmse(pg_catalog.float8, pg_catalog.float8) IS
'Normalised RMSE: RMSE/(max actual - min actual) over the same rows (Robyn nrmse). NULL rows are skipped; NULL for no rows or constant actuals.';

CREATE AGGREGATE mixmodel.mae(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_mae,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.mae(pg_catalog.float8, pg_catalog.float8) IS
'Mean absolute error sum |actual - predicted| / n. NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.wmape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_wmape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.wmape(pg_catalog.float8, pg_catalog.float8) IS
'Weighted MAPE sum |actual - predicted| / sum |actual| (Meridian weighted MAPE). NULL rows are skipped; NULL when every actual is 0 or there are no rows.';
