-- scale: the regression's sufficient statistics as a parallel-safe aggregate.  doc/scale-out.md.

CREATE FUNCTION mixmodel.regression_stats_accum(state pg_catalog.float8[], y pg_catalog.float8, x pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'regression_stats_accum';
COMMENT ON FUNCTION mixmodel.regression_stats_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8[]) IS
'Transition function of mixmodel.regression_stats: adds one row (y, x) to the state {1, p, n, means of (x, y), co-moment matrix of (x, y) packed by rows}; the first row sets p. NULL, NaN or Infinity inside x, or a row of another length, is an error.';

CREATE FUNCTION mixmodel.regression_stats_combine(state1 pg_catalog.float8[], state2 pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'regression_stats_combine';
COMMENT ON FUNCTION mixmodel.regression_stats_combine(pg_catalog.float8[], pg_catalog.float8[]) IS
'Combine function of mixmodel.regression_stats: merges two states (Chan et al. for the means and co-moments); an empty state is its identity on either side.';

CREATE AGGREGATE mixmodel.regression_stats(y pg_catalog.float8, x pg_catalog.float8[]) (
    SFUNC = mixmodel.regression_stats_accum,
    STYPE = pg_catalog.float8[],
    COMBINEFUNC = mixmodel.regression_stats_combine,
    INITCOND = '{1,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.regression_stats(pg_catalog.float8, pg_catalog.float8[]) IS
'Sufficient statistics of the linear regression of y on the regressors x (one float8[] per row, the same length on every row): row count, means and centred cross-products, a float8[] of 3 + (p+1) + (p+1)(p+2)/2 elements whatever the number of rows. Parallel safe with a combine function, so a design of millions of rows is one parallel or distributed scan; solve it with mixmodel.regression_solve. Rows with a NULL y or x are skipped.';

CREATE FUNCTION mixmodel.regression_solve(state pg_catalog.float8[], ridge pg_catalog.float8 DEFAULT 0,
        OUT n bigint, OUT intercept pg_catalog.float8, OUT coefficients pg_catalog.float8[],
        OUT r2 pg_catalog.float8, OUT rmse pg_catalog.float8)
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'regression_solve';
COMMENT ON FUNCTION mixmodel.regression_solve(pg_catalog.float8[], pg_catalog.float8) IS
'Least squares (ridge 0) or ridge fit from a mixmodel.regression_stats state: minimises sum (y - intercept - x''b)^2 + ridge * sum b_j^2 on the raw regressors, intercept unpenalised (Cholesky, LAPACK); returns the row count, intercept, coefficients in the order of x, in-sample R-squared and RMSE. A singular design (reciprocal condition below 1e-12) is an error.';
