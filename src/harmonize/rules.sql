-- harmonize: dataset rules (how a source table maps onto harmonized fields)

CREATE TABLE mixmodel.dataset_rules (
    name             text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,62}$'),
    source           regclass NOT NULL,
    source_name      text NOT NULL,
    category         text NOT NULL CHECK (category IN ('summary', 'event', 'factor')),
    granularity      text NOT NULL CHECK (granularity IN ('day', 'week', 'month', 'year')),
    week_start       text NOT NULL DEFAULT 'monday'
                     CHECK (week_start IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    date_column      text NOT NULL,
    restatement      text NOT NULL DEFAULT 'aggregate' CHECK (restatement IN ('aggregate', 'replace')),
    key_columns      text[],
    loaded_at_column text,
    factor_operator  text NOT NULL DEFAULT 'avg' CHECK (factor_operator IN ('avg', 'sum', 'min', 'max')),
    mappings         jsonb NOT NULL DEFAULT '{}',
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active')),
    source_missing   boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    time_zone        text NOT NULL DEFAULT 'UTC',
    owner            regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.dataset_rules IS 'Dataset rules: a source table (summary, event or factor data), its grain, week start, restatement mode and the mappings of its columns onto harmonized fields; only active rules are synced.';
COMMENT ON COLUMN mixmodel.dataset_rules.source_name IS 'qualified name of the source at definition time (kept for messages after the table is dropped)';
COMMENT ON COLUMN mixmodel.dataset_rules.mappings IS 'jsonb: {"dimensions": {field: {"column": c} | {"value": v} | {"default": ..., "cases": [...]}}, "metrics": {field: {"op": "sum"|"count", "column": c, "where": ...}}, "where": ...}; see doc/harmonize.md';
COMMENT ON COLUMN mixmodel.dataset_rules.time_zone IS 'time zone whose days timestamptz date values fall on (and in which timestamp and date values are read as points in time); default UTC, whatever the server''s or session''s zone';
COMMENT ON COLUMN mixmodel.dataset_rules.owner IS 'role owning the rule and its harmonized rows (doc/access.md); sync reads the source only when both this role and the caller may SELECT it';
COMMENT ON COLUMN mixmodel.dataset_rules.source_missing IS 'true when the last sync found the source table dropped (its rows left mixmodel.harmonized)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.dataset_rules', '');

CREATE VIEW mixmodel.dataset_mappings WITH (security_invoker = true) AS
SELECT r.name AS dataset, d.key AS field, 'dimension'::text AS kind,
       CASE WHEN d.value ? 'cases' THEN 'case'
            WHEN d.value ? 'value' THEN 'value'
            ELSE 'column' END AS mapping,
       coalesce(d.value->>'column', d.value->>'value',
                d.value->'default'->>'column', d.value->'default'->>'value',
                CASE WHEN pg_catalog.jsonb_typeof(d.value) = 'string' THEN d.value #>> '{}' END) AS source,
       d.value AS definition
  FROM mixmodel.dataset_rules r, pg_catalog.jsonb_each(coalesce(r.mappings->'dimensions', '{}')) d
UNION ALL
SELECT r.name, m.key, 'metric', coalesce(m.value->>'op', 'sum'), coalesce(m.value->>'column', '*'), m.value
  FROM mixmodel.dataset_rules r, pg_catalog.jsonb_each(coalesce(r.mappings->'metrics', '{}')) m;
COMMENT ON VIEW mixmodel.dataset_mappings IS 'One row per field mapping of each dataset rule (expanded from dataset_rules.mappings).';
COMMENT ON COLUMN mixmodel.dataset_mappings.dataset IS 'dataset rule name';
COMMENT ON COLUMN mixmodel.dataset_mappings.field IS 'harmonized field the mapping fills';
COMMENT ON COLUMN mixmodel.dataset_mappings.kind IS 'dimension or metric';
COMMENT ON COLUMN mixmodel.dataset_mappings.mapping IS 'dimension: column, value or case; metric: sum or count';
COMMENT ON COLUMN mixmodel.dataset_mappings.source IS 'source column (or constant value, or case default)';
COMMENT ON COLUMN mixmodel.dataset_mappings.definition IS 'the mapping as written';

-- C: validate a rule against its source table and return the aggregation query sync runs
CREATE FUNCTION mixmodel.dataset_rule_sql(name text, granularity text DEFAULT NULL)
    RETURNS text
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'dataset_rule_sql';
COMMENT ON FUNCTION mixmodel.dataset_rule_sql(text, text) IS 'Validate the dataset rule against its source table (columns, types, mappings) and return the aggregation query sync runs for it, rolled up to granularity (default: the rule''s own); values appear as $n parameters.';

CREATE FUNCTION mixmodel.add_dataset_rule(name text, source regclass, category text DEFAULT 'summary',
        granularity text DEFAULT NULL, week_start text DEFAULT 'monday', date_column text DEFAULT NULL,
        restatement text DEFAULT 'aggregate', key_columns text[] DEFAULT NULL,
        loaded_at_column text DEFAULT NULL, factor_operator text DEFAULT 'avg',
        mappings jsonb DEFAULT '{}', status text DEFAULT 'active', time_zone text DEFAULT 'UTC')
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF source IS NULL THEN
        RAISE EXCEPTION 'dataset "%" has no source table', name USING ERRCODE = '22004';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.dataset_rules x WHERE x.name = add_dataset_rule.name) THEN
        RAISE EXCEPTION 'dataset rule "%" already exists', name USING ERRCODE = '23505';
    END IF;
    INSERT INTO mixmodel.dataset_rules (name, source, source_name, category, granularity, week_start,
        date_column, restatement, key_columns, loaded_at_column, factor_operator, mappings, status, time_zone)
    VALUES (name, source, source::text, mixmodel._check_rule_option('category', category, name),
        mixmodel._check_rule_option('granularity', coalesce(granularity, CASE WHEN category = 'event' THEN 'day' END), name),
        mixmodel._check_rule_option('week_start', week_start, name),
        mixmodel._check_rule_option('date_column', date_column, name),
        mixmodel._check_rule_option('restatement', restatement, name), key_columns, loaded_at_column,
        mixmodel._check_rule_option('factor_operator', factor_operator, name),
        mixmodel._check_rule_option('mappings', mappings::text, name)::jsonb,
        mixmodel._check_rule_option('status', status, name),
        mixmodel._check_rule_option('time_zone', time_zone, name))
    RETURNING * INTO r;
    PERFORM mixmodel.dataset_rule_sql(name);
    PERFORM mixmodel._audit('create', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.add_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text, text) IS 'Define how a source table maps onto harmonized fields: category summary|event|factor, granularity day|week|month|year, week_start monday..sunday, date_column, restatement aggregate|replace (replace: key_columns and loaded_at_column), factor_operator avg|sum|min|max, mappings jsonb, status draft|active, time_zone (whose days timestamptz values fall on; default UTC). Validated against the table at once.';

CREATE FUNCTION mixmodel._check_rule_option(option text, value text, dataset text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    allowed text[] := CASE option
        WHEN 'category' THEN ARRAY['summary', 'event', 'factor']
        WHEN 'granularity' THEN ARRAY['day', 'week', 'month', 'year']
        WHEN 'week_start' THEN ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
        WHEN 'restatement' THEN ARRAY['aggregate', 'replace']
        WHEN 'factor_operator' THEN ARRAY['avg', 'sum', 'min', 'max']
        WHEN 'status' THEN ARRAY['draft', 'active'] END;
BEGIN
    IF value IS NULL THEN
        RAISE EXCEPTION 'dataset "%" has no %', dataset, replace(option, '_', ' ') USING ERRCODE = '22004',
            HINT = CASE option WHEN 'date_column' THEN 'Name the column holding the date (date_column => ...).'
                               WHEN 'granularity' THEN 'Give the grain of the source rows: day, week, month or year.'
                               ELSE 'Leave the argument out for its default.' END;
    END IF;
    IF option = 'time_zone' THEN
        BEGIN
            PERFORM pg_catalog.timezone(value, TIMESTAMPTZ '2000-01-01 00:00+00');
        EXCEPTION WHEN invalid_parameter_value OR feature_not_supported THEN
            RAISE EXCEPTION 'invalid time zone "%" for dataset "%"', value, dataset USING ERRCODE = '22023',
                HINT = 'Use a name from pg_timezone_names, such as UTC or America/New_York.';
        END;
    END IF;
    IF allowed IS NOT NULL AND NOT value = ANY (allowed) THEN
        RAISE EXCEPTION 'invalid % "%" for dataset "%"', replace(option, '_', ' '), value, dataset
            USING ERRCODE = '22023', HINT = format('Use one of: %s.', array_to_string(allowed, ', '));
    END IF;
    RETURN value;
END $$;
COMMENT ON FUNCTION mixmodel._check_rule_option(text, text, text) IS 'Internal: check one option of a dataset rule (NULL: 22004, not in its list or not a time zone: 22023) and return it.';

CREATE FUNCTION mixmodel.update_dataset_rule(name text, source regclass DEFAULT NULL, category text DEFAULT NULL,
        granularity text DEFAULT NULL, week_start text DEFAULT NULL, date_column text DEFAULT NULL,
        restatement text DEFAULT NULL, key_columns text[] DEFAULT NULL,
        loaded_at_column text DEFAULT NULL, factor_operator text DEFAULT NULL,
        mappings jsonb DEFAULT NULL, status text DEFAULT NULL, time_zone text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    PERFORM 1 FROM mixmodel.dataset_rules x WHERE x.name = update_dataset_rule.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'dataset rule "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    UPDATE mixmodel.dataset_rules x SET
        source = coalesce(update_dataset_rule.source, x.source),
        source_name = coalesce(update_dataset_rule.source::text, x.source_name),
        category = mixmodel._check_rule_option('category', coalesce(update_dataset_rule.category, x.category), x.name),
        granularity = mixmodel._check_rule_option('granularity', coalesce(update_dataset_rule.granularity, x.granularity), x.name),
        week_start = mixmodel._check_rule_option('week_start', coalesce(update_dataset_rule.week_start, x.week_start), x.name),
        date_column = coalesce(update_dataset_rule.date_column, x.date_column),
        restatement = mixmodel._check_rule_option('restatement', coalesce(update_dataset_rule.restatement, x.restatement), x.name),
        key_columns = coalesce(update_dataset_rule.key_columns, x.key_columns),
        loaded_at_column = coalesce(update_dataset_rule.loaded_at_column, x.loaded_at_column),
        factor_operator = mixmodel._check_rule_option('factor_operator', coalesce(update_dataset_rule.factor_operator, x.factor_operator), x.name),
        mappings = coalesce(update_dataset_rule.mappings, x.mappings),
        status = mixmodel._check_rule_option('status', coalesce(update_dataset_rule.status, x.status), x.name),
        time_zone = mixmodel._check_rule_option('time_zone', coalesce(update_dataset_rule.time_zone, x.time_zone), x.name),
        source_missing = CASE WHEN update_dataset_rule.source IS NULL THEN x.source_missing ELSE false END,
        updated_at = clock_timestamp()
    WHERE x.name = update_dataset_rule.name
    RETURNING * INTO r;
    PERFORM mixmodel.dataset_rule_sql(name);
    PERFORM mixmodel._audit('update', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.update_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text, text) IS 'Change a dataset rule (only the arguments given; mappings are replaced whole) and validate it again; the next sync recomputes the dataset.';

CREATE FUNCTION mixmodel.activate_dataset_rule(name text, active boolean DEFAULT true)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    RETURN mixmodel.update_dataset_rule(name, status => CASE WHEN active THEN 'active' ELSE 'draft' END);
COMMENT ON FUNCTION mixmodel.activate_dataset_rule(text, boolean) IS 'Set a dataset rule active (synced) or back to draft (active => false).';

CREATE FUNCTION mixmodel.delete_dataset_rule(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    DELETE FROM mixmodel.dataset_rules x WHERE x.name = delete_dataset_rule.name RETURNING * INTO r;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'dataset rule "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._audit('delete', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.delete_dataset_rule(text) IS 'Delete a dataset rule; its rows leave mixmodel.harmonized at the next sync.';
