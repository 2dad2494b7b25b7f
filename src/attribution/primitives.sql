-- attribution: primitives over one path and over ChannelAttribution-shaped path tables (doc/attribution.md)

CREATE FUNCTION mixmodel.attribution_weights(rule pg_catalog.text, n pg_catalog.int4,
        first pg_catalog.float8 DEFAULT 40, middle pg_catalog.float8 DEFAULT 20,
        last pg_catalog.float8 DEFAULT 40, half_life pg_catalog.float8 DEFAULT 7,
        lags pg_catalog.float8[] DEFAULT NULL, channels pg_catalog.text[] DEFAULT NULL,
        same pg_catalog.bool[] DEFAULT NULL)
    RETURNS pg_catalog.float8[]
    AS 'MODULE_PATHNAME', 'attribution_weights'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.attribution_weights(pg_catalog.text, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.text[], pg_catalog.bool[])
    IS 'Weights of a rule-based attribution model for a path of n touches, first touch first (formulas §6.2): first_touch, last_touch, same_touch (needs same), linear, participation (channels: a repeated channel shares its 1), u_shaped, j_curve, inverse_j, custom (first, middle, last), time_decay (half_life, lags = each touch''s time before the conversion in the unit of half_life).';

CREATE FUNCTION mixmodel.transform_path(path pg_catalog.text, transforms pg_catalog.text[],
        separator pg_catalog.text DEFAULT ' > ')
    RETURNS pg_catalog.text
    AS 'MODULE_PATHNAME', 'transform_path'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.transform_path(pg_catalog.text, pg_catalog.text[], pg_catalog.text)
    IS 'Applies path transforms left to right (formulas §6.5): unique, exposure, first, frequency, remove_if_not_all(channel), remove_if_last_and_not_all(channel), trim_long_path(N).';

CREATE FUNCTION mixmodel.markov_attribution(source pg_catalog.regclass, path_column pg_catalog.name,
        conversions_column pg_catalog.name, value_column pg_catalog.name DEFAULT NULL,
        null_column pg_catalog.name DEFAULT NULL, "order" pg_catalog.int4 DEFAULT 1,
        use_null pg_catalog.bool DEFAULT true, separator pg_catalog.text DEFAULT ' > ',
        walks pg_catalog.int8 DEFAULT 0, seed pg_catalog.int8 DEFAULT 42)
    RETURNS TABLE (channel pg_catalog.text, removal_effect pg_catalog.float8,
                   removal_effect_value pg_catalog.float8, conversions pg_catalog.float8,
                   revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'markov_attribution'
    LANGUAGE C STABLE PARALLEL RESTRICTED COST 100000 ROWS 20;
COMMENT ON FUNCTION mixmodel.markov_attribution(pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.int8, pg_catalog.int8)
    IS 'Exact Markov-chain attribution of order 1-4 over a path table (path ''a > b > c'', conversions, value, non-conversions) as in ChannelAttribution, with absorbing-chain linear solves instead of simulation (formulas §6.3): removal effects and the conversions and revenue they attribute, one row per channel. walks > 0 estimates the same by that many seeded random walks instead (ChannelAttribution''s method).';

CREATE FUNCTION mixmodel.heuristic_attribution(source pg_catalog.regclass, path_column pg_catalog.name,
        conversions_column pg_catalog.name, value_column pg_catalog.name DEFAULT NULL,
        separator pg_catalog.text DEFAULT ' > ')
    RETURNS TABLE (channel pg_catalog.text, model pg_catalog.text, conversions pg_catalog.float8,
                   revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'heuristic_attribution'
    LANGUAGE C STABLE PARALLEL RESTRICTED COST 100000 ROWS 100;
COMMENT ON FUNCTION mixmodel.heuristic_attribution(pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.text)
    IS 'Rule-based attribution over a path table, long format: one row per channel and model (first_touch, last_touch, linear, participation, u_shaped, j_curve, inverse_j), with the conversions and revenue credited (formulas §6.2).';

CREATE FUNCTION mixmodel.shapley_attribution(source pg_catalog.regclass, path_column pg_catalog.name,
        conversions_column pg_catalog.name, value_column pg_catalog.name DEFAULT NULL,
        null_column pg_catalog.name DEFAULT NULL, value_function pg_catalog.text DEFAULT 'simplified',
        separator pg_catalog.text DEFAULT ' > ')
    RETURNS TABLE (channel pg_catalog.text, conversions pg_catalog.float8, revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'shapley_attribution'
    LANGUAGE C STABLE PARALLEL RESTRICTED COST 100000 ROWS 20;
COMMENT ON FUNCTION mixmodel.shapley_attribution(pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.text, pg_catalog.text)
    IS 'Shapley attribution over a path table (formulas §6.4): value_function simplified (Zhao et al.: a conversion shared equally by the distinct channels of its path; exact for any number of channels) or conversion_rate (Harsanyi dividends of the conversion rate of each exact channel set, negative values clamped; exact up to 16 distinct channels per converting path).';

CREATE FUNCTION mixmodel._shapley_shares(source pg_catalog.regclass, path_column pg_catalog.name,
        conversions_column pg_catalog.name, null_column pg_catalog.name)
    RETURNS TABLE (path pg_catalog.text, channel pg_catalog.text, share pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'shapley_shares'
    LANGUAGE C STABLE PARALLEL RESTRICTED COST 100000 ROWS 500;
COMMENT ON FUNCTION mixmodel._shapley_shares(pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name)
    IS 'Internal: for every converting row of a path table, the conversion-rate Shapley share of each of its distinct channels (negative values clamped to 0).';

CREATE FUNCTION mixmodel._attribution_survival(journeys pg_catalog.regclass, tokens pg_catalog.int4,
        edges pg_catalog.float8[], days pg_catalog.int4, persons pg_catalog.float8,
        conversion_days pg_catalog.float8, ridge pg_catalog.float8)
    RETURNS pg_catalog.jsonb
    AS 'MODULE_PATHNAME', 'attribution_survival'
    LANGUAGE C STABLE PARALLEL RESTRICTED COST 1000000;
COMMENT ON FUNCTION mixmodel._attribution_survival(pg_catalog.regclass, pg_catalog.int4, pg_catalog.float8[], pg_catalog.int4, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
    IS 'Internal: fits the algorithmic attribution model (discrete-time survival, monotone lag buckets) over a table of journeys (tday int[], ttok int[], cday int[] per person), streaming it once per Newton pass; returns beta0, theta per channel and bucket, and the fit''s figures as jsonb.';

CREATE FUNCTION mixmodel.path_credits_accum(state pg_catalog.bytea, path pg_catalog.text,
        conversions pg_catalog.float8, revenue pg_catalog.float8, model pg_catalog.text)
    RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'path_credits_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.path_credits_accum(pg_catalog.bytea, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.text)
    IS 'Transition function of path_credits: adds one path''s credits per channel to the state.';

CREATE FUNCTION mixmodel.path_credits_combine(a pg_catalog.bytea, b pg_catalog.bytea)
    RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'path_credits_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.path_credits_combine(pg_catalog.bytea, pg_catalog.bytea)
    IS 'Combine function of path_credits: adds two partial states channel by channel.';

CREATE FUNCTION mixmodel.path_credits_final(state pg_catalog.bytea)
    RETURNS pg_catalog.jsonb
    AS 'MODULE_PATHNAME', 'path_credits_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.path_credits_final(pg_catalog.bytea)
    IS 'Final function of path_credits: the credits as jsonb {channel: {"conversions": ..., "revenue": ...}}.';

CREATE AGGREGATE mixmodel.path_credits(path pg_catalog.text, conversions pg_catalog.float8,
        revenue pg_catalog.float8, model pg_catalog.text) (
    SFUNC = mixmodel.path_credits_accum,
    STYPE = pg_catalog.bytea,
    FINALFUNC = mixmodel.path_credits_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.path_credits_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.path_credits(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.text)
    IS 'Credits per channel over paths (''a > b > c'', conversions, revenue) under one model: first_touch, last_touch, linear, participation, u_shaped, j_curve, inverse_j or shapley (simplified); as jsonb {channel: {"conversions", "revenue"}}. Partial states combine across parallel workers (float8 sums: the last bits may depend on the split).';
