-- common: an exact sum of float8 values, the same whatever the row order or the number
-- of parallel workers (src/common/exact_sum.c over src/math/exact_sum.c)
CREATE FUNCTION mixmodel._exact_sum_accum(state pg_catalog.int8[], value pg_catalog.float8)
    RETURNS pg_catalog.int8[]
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exact_sum_accum';
COMMENT ON FUNCTION mixmodel._exact_sum_accum(pg_catalog.int8[], pg_catalog.float8) IS 'Internal: transition function of mixmodel.exact_sum (adds a value to the superaccumulator state {flags, count, lo, chunks...}).';

CREATE FUNCTION mixmodel._exact_sum_combine(a pg_catalog.int8[], b pg_catalog.int8[])
    RETURNS pg_catalog.int8[]
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exact_sum_combine';
COMMENT ON FUNCTION mixmodel._exact_sum_combine(pg_catalog.int8[], pg_catalog.int8[]) IS 'Internal: combine function of mixmodel.exact_sum (adds two partial states exactly).';

CREATE FUNCTION mixmodel._exact_sum_final(state pg_catalog.int8[])
    RETURNS pg_catalog.float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exact_sum_final';
COMMENT ON FUNCTION mixmodel._exact_sum_final(pg_catalog.int8[]) IS 'Internal: final function of mixmodel.exact_sum (the exact sum rounded once to the nearest float8; NULL without values).';

CREATE AGGREGATE mixmodel.exact_sum(pg_catalog.float8) (
    SFUNC = mixmodel._exact_sum_accum,
    STYPE = pg_catalog.int8[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = mixmodel._exact_sum_combine,
    FINALFUNC = mixmodel._exact_sum_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.exact_sum(pg_catalog.float8) IS 'The exact sum of the float8 values, rounded once to the nearest float8 (ties to even): unlike sum(float8) it does not depend on the order of the rows or on how parallel workers split them, and no digit is lost (1e100 + 1 - 1e100 = 1). NaN if a value is NaN or both infinities occur, ±Infinity if one occurs, 22003 when the sum is beyond float8; NULL without values.';
