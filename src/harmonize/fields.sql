-- harmonize: harmonized fields (global and custom dimensions, metrics, derived metrics)

CREATE TABLE mixmodel.fields (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    display_name text NOT NULL,
    category     text NOT NULL CHECK (category IN ('dimension', 'metric', 'derived')),
    data_type    text NOT NULL CHECK (data_type IN ('string', 'datetime', 'number', 'currency')),
    formula      text,
    owner        text NOT NULL DEFAULT 'client' CHECK (owner IN ('global', 'client')),
    mappable     boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CHECK ((category = 'derived') = (formula IS NOT NULL)),
    CHECK ((category = 'dimension') = (data_type IN ('string', 'datetime'))),
    owner_role   regrole,
    CONSTRAINT fields_owner_role CHECK ((owner = 'client') = (owner_role IS NOT NULL))
);
COMMENT ON TABLE mixmodel.fields IS 'Harmonized fields: global (owner global, not editable) and custom (owner client) dimensions, metrics and derived metrics; each is a column of mixmodel.harmonized.';
COMMENT ON COLUMN mixmodel.fields.formula IS 'derived fields: arithmetic over metrics, e.g. [orders]/[impressions]';
COMMENT ON COLUMN mixmodel.fields.owner_role IS 'custom fields: the role owning the field (doc/access.md), whose dataset rules, touchpoints and conversions may use it; its column of mixmodel.harmonized is filled for that owner''s rows only; NULL for global fields';
COMMENT ON COLUMN mixmodel.fields.mappable IS 'false for fields the sync fills itself (dataset, date_type, event_date, last_updated_date)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.fields', $$WHERE owner = 'client'$$);

INSERT INTO mixmodel.fields (name, display_name, category, data_type, owner, mappable) VALUES
    ('brand', 'Brand', 'dimension', 'string', 'global', true),
    ('campaign', 'Campaign', 'dimension', 'string', 'global', true),
    ('channel', 'Channel', 'dimension', 'string', 'global', true),
    ('channel_id', 'Channel ID', 'dimension', 'string', 'global', true),
    ('channel_type_at_source', 'Channel Type at Source', 'dimension', 'string', 'global', true),
    ('conversiontype', 'Conversion Type', 'dimension', 'string', 'global', true),
    ('dataset', 'Dataset', 'dimension', 'string', 'global', false),
    ('mediatype', 'Media Type', 'dimension', 'string', 'global', true),
    ('sourcetype', 'Source Type', 'dimension', 'string', 'global', true),
    ('trafficsource', 'Traffic Source', 'dimension', 'string', 'global', true),
    ('geo', 'Geo', 'dimension', 'string', 'global', true),
    ('date_type', 'Date Type', 'dimension', 'string', 'global', false),
    ('event_date', 'Date', 'dimension', 'datetime', 'global', false),
    ('last_updated_date', 'Last Updated Date', 'dimension', 'datetime', 'global', false),
    ('factor_name', 'Factor Name', 'dimension', 'string', 'global', true),
    ('factor_type', 'Factor Type', 'dimension', 'string', 'global', true),
    ('value_type', 'Factor Value Type', 'dimension', 'string', 'global', true),
    ('factor_value', 'Factor Value', 'metric', 'number', 'global', true),
    ('clicks', 'Clicks', 'metric', 'number', 'global', true),
    ('emailssent', 'Emails Sent', 'metric', 'number', 'global', true),
    ('impressions', 'Impressions', 'metric', 'number', 'global', true),
    ('linkvisits', 'Link Visits', 'metric', 'number', 'global', true),
    ('orders', 'Orders', 'metric', 'number', 'global', true),
    ('sends', 'Sends', 'metric', 'number', 'global', true),
    ('opens', 'Opens', 'metric', 'number', 'global', true),
    ('grps', 'GRPs', 'metric', 'number', 'global', true),
    ('cost', 'Cost', 'metric', 'currency', 'global', true),
    ('gross_demand', 'Gross Demand', 'metric', 'currency', 'global', true),
    ('net_sales', 'Net Sales', 'metric', 'currency', 'global', true),
    ('spend', 'Spend', 'metric', 'currency', 'global', true),
    ('revenue', 'Revenue', 'metric', 'currency', 'global', true);

-- formula parser and compiler (C, src/harmonize/fields.c on src/math/formula.c)
CREATE FUNCTION mixmodel.compile_formula(formula text, field text DEFAULT NULL)
    RETURNS text
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'compile_formula';
COMMENT ON FUNCTION mixmodel.compile_formula(text, text) IS 'Parse and validate a derived-field formula (+ - * / parentheses, [metric] references, numbers) and return the SQL expression over mixmodel.harmonized columns it compiles to; field names the derived field being defined, for cycle detection.';

CREATE FUNCTION mixmodel.evaluate_formula(formula text, metric_values jsonb)
    RETURNS pg_catalog.float8
    LANGUAGE c IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'evaluate_formula';
COMMENT ON FUNCTION mixmodel.evaluate_formula(text, jsonb) IS 'Evaluate a formula with the metric values given as a jsonb object ({"orders": 3, ...}); a missing value or a division by zero gives NULL.';

CREATE FUNCTION mixmodel._check_field_args(category text, data_type text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF category NOT IN ('dimension', 'metric', 'derived') THEN
        RAISE EXCEPTION 'invalid field category "%"', category
            USING ERRCODE = '22023', HINT = 'Use dimension, metric or derived.';
    END IF;
    IF data_type IS NULL THEN
        RETURN CASE category WHEN 'dimension' THEN 'string' ELSE 'number' END;
    END IF;
    IF category = 'dimension' AND data_type NOT IN ('string', 'datetime') THEN
        RAISE EXCEPTION 'invalid data type "%" for a dimension', data_type
            USING ERRCODE = '22023', HINT = 'Dimensions are string or datetime.';
    ELSIF category <> 'dimension' AND data_type NOT IN ('number', 'currency') THEN
        RAISE EXCEPTION 'invalid data type "%" for a % field', data_type, category
            USING ERRCODE = '22023', HINT = 'Metrics and derived fields are number or currency.';
    END IF;
    RETURN data_type;
END $$;
COMMENT ON FUNCTION mixmodel._check_field_args(text, text) IS 'Internal: validate a field category and data type, returning the data type (default string for dimensions, number otherwise).';

CREATE FUNCTION mixmodel.add_field(name text, category text DEFAULT 'metric', data_type text DEFAULT NULL,
                                   formula text DEFAULT NULL, display_name text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    dtype text;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF category IS NULL THEN RAISE EXCEPTION 'category must not be null' USING ERRCODE = '22004'; END IF;
    IF name !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid field name "%"', name USING ERRCODE = '22023',
            HINT = 'Field names are lower-case letters, digits and underscores, starting with a letter or underscore (at most 63).';
    END IF;
    IF name IN ('period', 'category', 'source_category', 'owner') THEN
        RAISE EXCEPTION 'field name "%" is reserved', name USING ERRCODE = '42710';
    END IF;
    dtype := mixmodel._check_field_args(category, data_type);
    IF (category = 'derived') <> (formula IS NOT NULL) THEN
        RAISE EXCEPTION 'a formula is required for derived fields and only for them'
            USING ERRCODE = '22023', DETAIL = format('Field "%s" has category %s.', name, category);
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = add_field.name) THEN
        RAISE EXCEPTION 'field "%" already exists', name USING ERRCODE = '23505';
    END IF;
    INSERT INTO mixmodel.fields (name, display_name, category, data_type, formula, owner, owner_role)
    VALUES (name, coalesce(display_name, name), category, dtype, formula, 'client', CAST(quote_ident(CURRENT_USER) AS regrole));
    IF category = 'derived' THEN
        PERFORM mixmodel.compile_formula(formula, name);
    END IF;
    PERFORM mixmodel._sync_columns();
    PERFORM mixmodel._audit('create', 'field', name,
        jsonb_build_object('category', category, 'data_type', dtype, 'formula', formula,
                           'display_name', coalesce(display_name, name)));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.add_field(text, text, text, text, text) IS 'Create a custom harmonized field, owned by the current role: category dimension (string, datetime), metric or derived (number, currency; derived needs a formula such as [orders]/[impressions]). Adds the column to mixmodel.harmonized.';

CREATE FUNCTION mixmodel.update_field(name text, display_name text DEFAULT NULL, formula text DEFAULT NULL,
                                      data_type text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f mixmodel.fields;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO f FROM mixmodel.fields x WHERE x.name = update_field.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'field "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    IF f.owner = 'global' THEN
        RAISE EXCEPTION 'global field "%" cannot be changed', name USING ERRCODE = '42809',
            HINT = 'Create a custom field with add_field instead.';
    END IF;
    IF formula IS NOT NULL AND f.category <> 'derived' THEN
        RAISE EXCEPTION 'field "%" is not a derived field', name USING ERRCODE = '22023';
    END IF;
    IF data_type IS NOT NULL THEN
        PERFORM mixmodel._check_field_args(f.category, data_type);
        IF (f.data_type = 'datetime') <> (data_type = 'datetime') THEN
            RAISE EXCEPTION 'cannot change the data type of field "%" from % to %', name, f.data_type, data_type
                USING ERRCODE = '22023', HINT = 'Delete the field and create it again.';
        END IF;
    END IF;
    UPDATE mixmodel.fields x
       SET display_name = coalesce(update_field.display_name, x.display_name),
           formula = coalesce(update_field.formula, x.formula),
           data_type = coalesce(update_field.data_type, x.data_type),
           updated_at = now()
     WHERE x.name = update_field.name
    RETURNING * INTO f;
    IF f.category = 'derived' THEN
        PERFORM mixmodel.compile_formula(f.formula, f.name);
    END IF;
    PERFORM mixmodel._audit('update', 'field', name,
        jsonb_build_object('category', f.category, 'data_type', f.data_type, 'formula', f.formula,
                           'display_name', f.display_name));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.update_field(text, text, text, text) IS 'Change the display name, formula (derived fields) or data type (number/currency) of a custom field; global fields cannot be changed. The next sync recomputes derived values.';

CREATE FUNCTION mixmodel.drop_field(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f mixmodel.fields;
    users text;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO f FROM mixmodel.fields x WHERE x.name = drop_field.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'field "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    IF f.owner = 'global' THEN
        RAISE EXCEPTION 'global field "%" cannot be deleted', name USING ERRCODE = '42809';
    END IF;
    SELECT string_agg(u, ', ' ORDER BY u) INTO users FROM (
        SELECT 'derived field ' || d.name AS u FROM mixmodel.fields d
         WHERE d.category = 'derived' AND position('[' || f.name || ']' IN d.formula) > 0
        UNION ALL
        SELECT 'dataset rule ' || r.name FROM mixmodel.dataset_rules r
         WHERE r.mappings->'dimensions' ? f.name OR r.mappings->'metrics' ? f.name
        UNION ALL
        SELECT 'touchpoint ' || t.name FROM mixmodel.touchpoints t
         WHERE f.name IN (t.volume_metric, t.spend_metric) OR t.rule ~ ('(^|[^a-z0-9_])' || f.name || '([^a-z0-9_]|$)')
        UNION ALL
        SELECT 'conversion ' || c.name FROM mixmodel.conversions c
         WHERE f.name IN (c.metric, c.revenue_metric) OR c.rule ~ ('(^|[^a-z0-9_])' || f.name || '([^a-z0-9_]|$)')
    ) s;
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'cannot delete field "%" because other objects use it', name
            USING ERRCODE = '2BP01', DETAIL = format('Used by: %s.', users);
    END IF;
    DELETE FROM mixmodel.fields x WHERE x.name = drop_field.name;
    PERFORM mixmodel._sync_columns();
    PERFORM mixmodel._audit('delete', 'field', name, to_jsonb(f));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.drop_field(text) IS 'Delete a custom field (immediately; its column leaves mixmodel.harmonized); refused for global fields and for fields used by derived fields, dataset rules, touchpoints or conversions.';
