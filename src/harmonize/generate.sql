-- harmonize: generator of raw marketing data with known truth (doc/generator.md)

CREATE FUNCTION mixmodel.generate_events_day(
        seed pg_catalog.int8, day pg_catalog.date, conversions pg_catalog.int8,
        revenue pg_catalog.float8, touches pg_catalog.int8, profiles pg_catalog.int8,
        channels pg_catalog.text[], campaigns pg_catalog.text[], weights pg_catalog.float8[])
    RETURNS TABLE (profile_id pg_catalog.int8, event_ts pg_catalog.timestamptz,
        event_type pg_catalog.text, channel pg_catalog.text, campaign pg_catalog.text,
        conversion_type pg_catalog.text, revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'generate_events_day'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION mixmodel.generate_events_day(pg_catalog.int8, pg_catalog.date, pg_catalog.int8, pg_catalog.float8, pg_catalog.int8, pg_catalog.int8, pg_catalog.text[], pg_catalog.text[], pg_catalog.float8[])
    IS 'Web/app events of one day, seeded by (seed, day): touches drawn over (channel, campaign) in proportion to weights, and online conversions whose revenues sum to revenue, in time order (used by generate_raw_data).';

CREATE FUNCTION mixmodel.generate_raw_data(
        target_schema pg_catalog.name,
        seed pg_catalog.int8 DEFAULT 42,
        weeks pg_catalog.int4 DEFAULT 156,
        start_date pg_catalog.date DEFAULT '2023-01-02',
        channels pg_catalog.text[] DEFAULT ARRAY['tv', 'search', 'social', 'display', 'email'],
        form pg_catalog.text DEFAULT 'additive',
        events pg_catalog.int8 DEFAULT 100000,
        options pg_catalog.jsonb DEFAULT '{}')
    RETURNS TABLE (table_name pg_catalog.text, row_count pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'generate_raw_data'
    LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000000 ROWS 13;
COMMENT ON FUNCTION mixmodel.generate_raw_data(pg_catalog.name, pg_catalog.int8, pg_catalog.int4, pg_catalog.date, pg_catalog.text[], pg_catalog.text, pg_catalog.int8, pg_catalog.jsonb)
    IS 'Creates raw marketing tables (daily_media, weekly_media, sends, events, conversions_daily, factors, holidays, weekly_wide) in target_schema from a known, seeded marketing-mix model, with its truth (truth_parameters, truth_contributions, truth_kpi) and experiments with known true rates (experiment_assignments, experiment_truth); returns each table and its row count. Same arguments, same tables.';

CREATE FUNCTION mixmodel.generate_geo_data(
        target_schema pg_catalog.name,
        seed pg_catalog.int8 DEFAULT 42,
        geos pg_catalog.int4 DEFAULT 40,
        weeks pg_catalog.int4 DEFAULT 156,
        start_date pg_catalog.date DEFAULT '2023-01-02',
        channels pg_catalog.text[] DEFAULT ARRAY['tv', 'search', 'social', 'display'],
        options pg_catalog.jsonb DEFAULT '{}')
    RETURNS TABLE (table_name pg_catalog.text, row_count pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'generate_geo_data'
    LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000000 ROWS 5;
COMMENT ON FUNCTION mixmodel.generate_geo_data(pg_catalog.name, pg_catalog.int8, pg_catalog.int4, pg_catalog.int4, pg_catalog.date, pg_catalog.text[], pg_catalog.jsonb)
    IS 'Creates weekly geo-level marketing data in target_schema (geo_weekly: revenue, paid spend per channel, population and factors per geo and week) from a known, seeded additive model with per-geo true ROIs around each channel''s target and shapes shared by all geos, with its truth (truth_geo, truth_geo_channel, truth_geo_contributions, truth_geo_kpi); returns each table and its row count. Same arguments, same tables.';
