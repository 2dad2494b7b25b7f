-- harmonize: the harmonized data and the sync that fills it

CREATE TABLE mixmodel.harmonized_source (
    period            date NOT NULL,
    dataset           text NOT NULL,
    category          text NOT NULL,
    date_type         text NOT NULL,
    brand text, campaign text, channel text, channel_id text, channel_type_at_source text,
    conversiontype text, mediatype text, sourcetype text, trafficsource text, geo text,
    factor_name text, factor_type text, value_type text,
    last_updated_date timestamptz,
    factor_value float8, clicks float8, emailssent float8, impressions float8, linkvisits float8,
    orders float8, sends float8, opens float8, grps float8, cost float8, gross_demand float8,
    net_sales float8, spend float8, revenue float8,
    owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.harmonized_source IS 'Per-dataset aggregates before the merge preferences apply (kept so incremental syncs and preference changes re-merge without re-reading sources); rebuilt by sync.';
COMMENT ON COLUMN mixmodel.harmonized_source.owner IS 'owner of the dataset rule the row comes from (doc/access.md)';
-- No index: every sync rewrites this table whole (full) or re-reads it whole for the merge
-- (incremental), and deletes the replaced rows of all datasets in one pass.

CREATE TABLE mixmodel.harmonized (LIKE mixmodel.harmonized_source);
CREATE INDEX harmonized_period ON mixmodel.harmonized (period, channel);
COMMENT ON TABLE mixmodel.harmonized IS 'Harmonized data: one row per period x dataset x dimensions at the coarsest grain of the active datasets, merge preferences applied, derived fields computed; NULL where a source lacks a metric. Filled by mixmodel.sync().';
COMMENT ON INDEX mixmodel.harmonized_period IS 'Series functions read by period and channel.';
COMMENT ON COLUMN mixmodel.harmonized.period IS 'start of the period (the harmonized event date)';
COMMENT ON COLUMN mixmodel.harmonized.dataset IS 'dataset rule the row comes from';
COMMENT ON COLUMN mixmodel.harmonized.category IS 'summary, event or factor';
COMMENT ON COLUMN mixmodel.harmonized.date_type IS 'grain of the harmonized data: day, week, month or year';
COMMENT ON COLUMN mixmodel.harmonized.owner IS 'owner of the dataset rule the row comes from: each owner''s rows are harmonized (grain, merge preferences, derived fields) on their own, and read by that owner''s touchpoints, conversions and models (doc/access.md)';
COMMENT ON COLUMN mixmodel.harmonized.last_updated_date IS 'latest load time among the source rows (datasets with a loaded_at column)';

CREATE TABLE mixmodel.sync_state (
    dataset         text PRIMARY KEY,
    grain           text NOT NULL,
    week_start      text NOT NULL,
    rule_updated_at timestamptz NOT NULL,
    watermark       timestamptz,
    rows_at_mark    bigint,
    synced_at       timestamptz NOT NULL,
    owner           regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.sync_state IS 'Per dataset: the grain it was synced at, the rule version, and the high-water mark of its load-time (or date) column with the number of rows at or below it, for incremental syncs.';
COMMENT ON COLUMN mixmodel.sync_state.owner IS 'owner of the dataset rule (doc/access.md)';

CREATE FUNCTION mixmodel._sync_columns()
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f record;
BEGIN
    -- custom fields become columns; derived fields only of the merged table
    FOR f IN SELECT t.tbl, x.name, CASE WHEN x.category = 'dimension' AND x.data_type = 'datetime' THEN 'timestamptz'
                                        WHEN x.category = 'dimension' THEN 'text' ELSE 'float8' END AS typ,
                    x.display_name, x.category, x.data_type
               FROM mixmodel.fields x, (VALUES ('harmonized'), ('harmonized_source')) t(tbl)
              WHERE x.owner = 'client' AND NOT (x.category = 'derived' AND t.tbl = 'harmonized_source')
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                 WHERE a.attrelid = ('mixmodel.' || t.tbl)::regclass AND a.attname = x.name
                                   AND NOT a.attisdropped)
              ORDER BY x.created_at, x.name, t.tbl
    LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I ADD COLUMN %I %s', f.tbl, f.name, f.typ);
        EXECUTE format('COMMENT ON COLUMN mixmodel.%I.%I IS %L', f.tbl, f.name,
                       mixmodel._field_column_comment(f.display_name, f.category, f.data_type));
    END LOOP;
    FOR f IN SELECT t.tbl, a.attname::text AS name
               FROM (VALUES ('harmonized'), ('harmonized_source')) t(tbl)
               JOIN pg_attribute a ON a.attrelid = ('mixmodel.' || t.tbl)::regclass AND a.attnum > 0
                                   AND NOT a.attisdropped
              WHERE a.attname NOT IN ('period', 'dataset', 'category', 'date_type', 'last_updated_date', 'owner')
                AND NOT EXISTS (SELECT 1 FROM mixmodel.fields x WHERE x.name = a.attname
                                   AND NOT (x.category = 'derived' AND t.tbl = 'harmonized_source'))
    LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I DROP COLUMN %I', f.tbl, f.name);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._sync_columns() IS 'Internal: add a column to mixmodel.harmonized (and harmonized_source) for every custom field of every owner and drop the columns of deleted ones. SECURITY DEFINER, the one function that is (altering the tables takes their owner): no arguments, names from mixmodel.fields, quoted.';

CREATE FUNCTION mixmodel.sync(mode text DEFAULT 'full')
    RETURNS TABLE (dataset text, category text, source text, granularity text, grain text, sync_mode text,
                   rows_read bigint, rows_written bigint, status text)
    LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 10
    AS 'MODULE_PATHNAME', 'harmonize_sync';
COMMENT ON FUNCTION mixmodel.sync(text) IS 'Harmonize: aggregate every active dataset rule''s source to the coarsest grain among them (full: all rows; incremental: only periods with rows loaded after the last sync), apply merge preferences and derived fields into mixmodel.harmonized. One row per dataset. Transactional.';

CREATE FUNCTION mixmodel._apply_merge()
    RETURNS bigint
    LANGUAGE c VOLATILE PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'harmonize_apply_merge';
COMMENT ON FUNCTION mixmodel._apply_merge() IS 'Internal: rebuild mixmodel.harmonized from mixmodel.harmonized_source with the current merge preferences and derived fields; returns the number of rows.';
