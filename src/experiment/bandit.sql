-- experiment: Thompson-sampling bandit allocation and its replay (doc/experiment.md, formulas §7.5)

CREATE FUNCTION mixmodel.thompson_weights(units pg_catalog.float8[], conversions pg_catalog.float8[],
        floor pg_catalog.float8 DEFAULT 0.05, draws pg_catalog.int4 DEFAULT 10000,
        seed pg_catalog.int8 DEFAULT 42, prior_a pg_catalog.float8 DEFAULT 1,
        prior_b pg_catalog.float8 DEFAULT 1)
    RETURNS TABLE (arm pg_catalog.int4, p_best pg_catalog.float8, weight pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'thompson_weights'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION mixmodel.thompson_weights(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8, pg_catalog.int4, pg_catalog.int8, pg_catalog.float8, pg_catalog.float8) IS
'Thompson-sampling traffic weights for the next period from results so far: p_best by seeded Monte Carlo (draws joint draws of the Beta(prior_a + conversions, prior_b + units - conversions) posteriors, gsl_rng_mt19937), weight = floor + (1 - K floor) p_best (formulas §7.5); the same seed gives the same weights.';

CREATE FUNCTION mixmodel.bandit_simulate(true_rates pg_catalog.float8[], periods pg_catalog.int4 DEFAULT 12,
        units_per_period pg_catalog.float8 DEFAULT 10000, floor pg_catalog.float8 DEFAULT 0.05,
        draws pg_catalog.int4 DEFAULT 1000, replications pg_catalog.int4 DEFAULT 100,
        seed pg_catalog.int8 DEFAULT 42)
    RETURNS TABLE (period pg_catalog.int4, best_share pg_catalog.float8, regret pg_catalog.float8,
        cumulative_regret pg_catalog.float8, even_split_regret pg_catalog.float8, p_best pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'bandit_simulate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION mixmodel.bandit_simulate(pg_catalog.float8[], pg_catalog.int4, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.int4, pg_catalog.int8) IS
'Replays a Thompson-sampling bandit (even split first, then thompson_weights after each period) against known conversion rates, averaged over seeded replications: per period the share of units on the best arm, the expected conversions lost against always serving it (regret), its running total, the running total of an even split, and the best arm''s probability to be best. For planning an experiment.';
