-- experiment: the units of the generator's experiments (doc/generator.md "Experiments")

CREATE FUNCTION mixmodel._generate_experiment_units(
        seed pg_catalog.int8, experiment pg_catalog.text, channel pg_catalog.text, campaign pg_catalog.text,
        start_date pg_catalog.date, units pg_catalog.float8[], profiles pg_catalog.int8,
        treatments pg_catalog.text[], shares pg_catalog.float8[], open_rates pg_catalog.float8[],
        click_rates pg_catalog.float8[], order_rates pg_catalog.float8[], aov pg_catalog.float8)
    RETURNS TABLE (experiment pg_catalog.text, treatment pg_catalog.text, profile_id pg_catalog.int8,
        assigned_at pg_catalog.timestamptz, channel pg_catalog.text, campaign pg_catalog.text,
        opened pg_catalog.int4, clicked pg_catalog.int4, converted pg_catalog.int4, orders pg_catalog.int4,
        revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'generate_experiment_units'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION mixmodel._generate_experiment_units(pg_catalog.int8, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.float8[], pg_catalog.int8, pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8)
    IS 'Internal: the units of one generated experiment (used by generate_raw_data): units[d] assigned on day d, the arm a seeded hash of the profile, opens, clicks (when open_rates is not empty), Poisson orders at the arm''s order rate and their revenue (average order value aov).';
