-- experiment: sufficient statistics of an arm as a parallel aggregate (doc/experiment.md)

CREATE TYPE mixmodel.arm_summary AS (
    units      pg_catalog.float8,
    conversions pg_catalog.float8,
    rate       pg_catalog.float8,
    value_mean pg_catalog.float8,
    value_sd   pg_catalog.float8,
    value_sum  pg_catalog.float8
);
COMMENT ON TYPE mixmodel.arm_summary IS 'Result of mixmodel.arm_stats: units, converted units, rate, and the mean, sample SD and sum of the metric per unit.';

CREATE FUNCTION mixmodel.arm_stats_accum(state pg_catalog.float8[], converted pg_catalog.float8, value pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    AS 'MODULE_PATHNAME', 'arm_stats_accum'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.arm_stats_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Transition function of mixmodel.arm_stats(converted, value): adds one unit to a 6-element state {version 1, units, conversions, sum of value, running mean of value, centred sum of squares of value} (Welford). converted outside [0, 1], NaN or infinity is an error.';

CREATE FUNCTION mixmodel.arm_stats_accum_sums(state pg_catalog.float8[], units pg_catalog.float8,
        conversions pg_catalog.float8, value_sum pg_catalog.float8, value_sumsq pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    AS 'MODULE_PATHNAME', 'arm_stats_accum_sums'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.arm_stats_accum_sums(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Transition function of mixmodel.arm_stats(units, conversions, value_sum, value_sumsq): merges one row of pre-aggregated counts (Chan et al.); units >= 0, 0 <= conversions <= units, value_sumsq >= value_sum^2/units.';

CREATE FUNCTION mixmodel.arm_stats_combine(state1 pg_catalog.float8[], state2 pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    AS 'MODULE_PATHNAME', 'arm_stats_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.arm_stats_combine(pg_catalog.float8[], pg_catalog.float8[]) IS
'Combine function of mixmodel.arm_stats: merges two states (Chan et al.); the empty state {1,0,0,0,0,0} is its identity.';

CREATE FUNCTION mixmodel.arm_stats_final(state pg_catalog.float8[])
    RETURNS mixmodel.arm_summary
    AS 'MODULE_PATHNAME', 'arm_stats_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.arm_stats_final(pg_catalog.float8[]) IS
'Final function of mixmodel.arm_stats: the arm_summary of a state; NULL without units, value_sd NULL below two units.';

CREATE AGGREGATE mixmodel.arm_stats(converted pg_catalog.float8, value pg_catalog.float8) (
    SFUNC = mixmodel.arm_stats_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.arm_stats_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.arm_stats_combine,
    INITCOND = '{1,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.arm_stats(pg_catalog.float8, pg_catalog.float8) IS
'Sufficient statistics of one arm over per-unit rows (one row per profile or send): units, converted units (converted in [0, 1]), and the mean and SD of value (revenue per unit), as an arm_summary. Rows with a NULL are skipped. One parallel scan with GROUP BY arm; conversions exact in any order, the metric''s mean and SD to about 1e-12 relative between serial and parallel plans.';

CREATE AGGREGATE mixmodel.arm_stats(units pg_catalog.float8, conversions pg_catalog.float8,
        value_sum pg_catalog.float8, value_sumsq pg_catalog.float8) (
    SFUNC = mixmodel.arm_stats_accum_sums,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.arm_stats_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.arm_stats_combine,
    INITCOND = '{1,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.arm_stats(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Sufficient statistics of one arm over pre-aggregated rows (per day, say): units, converted units, and the sum and sum of squares of the metric over the row''s units, merged into an arm_summary. Rows with a NULL are skipped.';
