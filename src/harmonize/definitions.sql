-- harmonize: marketing touchpoints, conversions, their series, factors and the usage report

CREATE TABLE mixmodel.touchpoints (
    name          text PRIMARY KEY,
    rule          text NOT NULL,
    volume_metric text NOT NULL,
    spend_metric  text,
    paid          boolean GENERATED ALWAYS AS (spend_metric IS NOT NULL) STORED,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner         regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.touchpoints IS 'Marketing touchpoints: a rule over harmonized dimensions (e.g. channel = tv), a volume metric and, for paid channels, a spend metric.';
COMMENT ON COLUMN mixmodel.touchpoints.paid IS 'true when the touchpoint has a spend metric';
COMMENT ON COLUMN mixmodel.touchpoints.owner IS 'role owning the touchpoint (doc/access.md): its series read that owner''s harmonized rows';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.touchpoints', '');

CREATE TABLE mixmodel.conversions (
    name           text PRIMARY KEY,
    rule           text NOT NULL,
    metric         text NOT NULL,
    revenue_metric text,
    created_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner          regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.conversions IS 'Conversions: a rule over harmonized dimensions (e.g. conversiontype = online), a count metric and optionally a revenue metric (revenue-based vs count-based models).';
COMMENT ON COLUMN mixmodel.conversions.owner IS 'role owning the conversion (doc/access.md): its series read that owner''s harmonized rows, and its models belong to it';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.conversions', '');

CREATE FUNCTION mixmodel.parse_rule(rule text)
    RETURNS TABLE (field text, op text, value text)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 4
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    parts text[];
    piece text := NULL;
    m text[];
    p text;
BEGIN
    IF rule IS NULL THEN RAISE EXCEPTION 'rule must not be null' USING ERRCODE = '22004'; END IF;
    parts := regexp_split_to_array(btrim(rule), '\s+and\s+', 'i');
    FOREACH p IN ARRAY parts LOOP
        piece := CASE WHEN piece IS NULL THEN p ELSE piece || ' and ' || p END;
        -- an odd number of quotes: the "and" was inside a quoted value
        CONTINUE WHEN (length(replace(piece, '''''', ''))
                       - length(replace(replace(piece, '''''', ''), '''', ''))) % 2 = 1;
        m := regexp_match(piece, '^\s*([a-z_][a-z0-9_]*)\s*(=|!=|<>|is\s+not|is)\s+(.*?)\s*$', 'i');
        IF m IS NULL THEN
            m := regexp_match(piece, '^\s*([a-z_][a-z0-9_]*)\s*(=|!=|<>)(.*?)\s*$', 'i');
        END IF;
        IF m IS NULL OR btrim(m[3]) = '' THEN
            RAISE EXCEPTION 'invalid rule "%"', rule USING ERRCODE = '42601',
                DETAIL = format('Cannot read the condition "%s".', btrim(piece)),
                HINT = 'Write conditions as field = value (or !=, is, is not), joined by and; quote values with spaces: channel = ''paid search''.';
        END IF;
        field := lower(m[1]);
        op := CASE lower(regexp_replace(m[2], '\s+', ' ')) WHEN '=' THEN '=' WHEN 'is' THEN '=' ELSE '<>' END;
        value := btrim(m[3]);
        IF value ~ '^''.*''$' AND length(value) >= 2 THEN
            value := replace(substr(value, 2, length(value) - 2), '''''', '''');
        END IF;
        RETURN NEXT;
        piece := NULL;
    END LOOP;
    IF piece IS NOT NULL THEN
        RAISE EXCEPTION 'invalid rule "%"', rule USING ERRCODE = '42601', DETAIL = 'A quoted value is not closed.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel.parse_rule(text) IS 'Read a touchpoint or conversion rule such as channel = tv and geo != ''us east'' into (field, op, value) conditions; op is = or <>.';

CREATE FUNCTION mixmodel._rule_where(rule text, OUT clause text, OUT vals text[])
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    c record;
    i int := 0;
BEGIN
    clause := 'true';
    vals := '{}';
    FOR c IN SELECT * FROM mixmodel.parse_rule(rule) LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = c.field AND f.category = 'dimension'
                          AND f.name <> 'event_date') THEN
            RAISE EXCEPTION 'unknown dimension "%" in rule "%"', c.field, rule USING ERRCODE = '42703',
                HINT = 'Rules compare harmonized dimensions (see mixmodel.fields), e.g. channel = tv.';
        END IF;
        i := i + 1;
        vals := vals || c.value;
        clause := clause || format(' AND h.%I::text %s $1[%s]', c.field,
                                   CASE c.op WHEN '=' THEN 'OPERATOR(pg_catalog.=)' ELSE 'IS DISTINCT FROM' END, i);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._rule_where(text) IS 'Internal: a rule as an SQL condition over mixmodel.harmonized h, its values as $1[i] parameters.';

CREATE FUNCTION mixmodel._check_metric(metric text, role text, definition text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    cat text;
BEGIN
    IF metric IS NULL THEN RETURN NULL; END IF;
    SELECT f.category INTO cat FROM mixmodel.fields f WHERE f.name = metric;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown field "%" as % of "%"', metric, role, definition USING ERRCODE = '42703',
            HINT = 'Use a metric or derived field of mixmodel.fields.';
    ELSIF cat = 'dimension' THEN
        RAISE EXCEPTION 'field "%" used as % of "%" is a dimension', metric, role, definition USING ERRCODE = '42804';
    END IF;
    RETURN metric;
END $$;
COMMENT ON FUNCTION mixmodel._check_metric(text, text, text) IS 'Internal: check that a touchpoint or conversion names a metric or derived field.';

-- The touchpoint and conversion definitions share their life cycle: a rule, metric columns
-- checked against mixmodel.fields (the first n_required needed on create), an audit entry.
CREATE FUNCTION mixmodel._definition_write(kind text, action text, name text, rule text,
                                           cols text[], labels text[], vals text[], n_required integer)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tab constant text := format('mixmodel.%I', kind || 's');
    saved jsonb;
    audit jsonb;
BEGIN
    IF kind IS NULL OR kind NOT IN ('touchpoint', 'conversion') THEN
        RAISE EXCEPTION 'unknown definition kind "%"', kind USING ERRCODE = '22023';
    END IF;
    IF action IS NULL OR action NOT IN ('create', 'update') THEN
        RAISE EXCEPTION 'unknown definition action "%"', action USING ERRCODE = '22023';
    END IF;
    IF cardinality(cols) IS DISTINCT FROM 2 OR cardinality(labels) IS DISTINCT FROM 2
       OR cardinality(vals) IS DISTINCT FROM 2 OR n_required IS NULL OR n_required NOT BETWEEN 0 AND 2 THEN
        RAISE EXCEPTION 'a % has two metric columns', kind USING ERRCODE = '2202E';
    END IF;
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF action = 'create' THEN
        IF rule IS NULL THEN RAISE EXCEPTION '% "%" has no rule', kind, name USING ERRCODE = '22004'; END IF;
        FOR i IN 1 .. n_required LOOP
            IF vals[i] IS NULL THEN
                RAISE EXCEPTION '% "%" has no %', kind, name, labels[i] USING ERRCODE = '22004';
            END IF;
        END LOOP;
        EXECUTE format('SELECT to_jsonb(x) FROM %s x WHERE x.name = $1', tab) INTO saved USING name;
        IF saved IS NOT NULL THEN
            RAISE EXCEPTION '% "%" already exists', kind, name USING ERRCODE = '23505';
        END IF;
        EXECUTE format('INSERT INTO %s AS x (name, rule, %s) VALUES ($1, $2, %s) RETURNING to_jsonb(x)', tab,
                       (SELECT string_agg(format('%I', c), ', ') FROM unnest(cols) c),
                       (SELECT string_agg(format('$3[%s]', i), ', ') FROM generate_subscripts(cols, 1) i))
           INTO saved USING name, rule, vals;
    ELSE
        EXECUTE format('UPDATE %s x SET rule = coalesce($2, x.rule), %s, updated_at = now() WHERE x.name = $1 RETURNING to_jsonb(x)',
                       tab, (SELECT string_agg(format('%I = coalesce($3[%s], x.%I)', cols[i], i, cols[i]), ', ')
                               FROM generate_subscripts(cols, 1) i))
           INTO saved USING name, rule, vals;
        IF saved IS NULL THEN RAISE EXCEPTION '% "%" does not exist', kind, name USING ERRCODE = '42704'; END IF;
    END IF;
    PERFORM mixmodel._rule_where(saved->>'rule');
    audit := jsonb_build_object('rule', saved->>'rule');
    FOR i IN 1 .. cardinality(cols) LOOP
        PERFORM mixmodel._check_metric(saved->>cols[i], labels[i], name);
        audit := audit || jsonb_build_object(cols[i], saved->>cols[i]);
    END LOOP;
    PERFORM mixmodel._audit(action, kind, name, audit);
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel._definition_write(text, text, text, text, text[], text[], text[], integer) IS 'Internal: create or update a touchpoint or conversion definition (checked, audited).';

CREATE FUNCTION mixmodel._definition_delete(kind text, name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    gone jsonb;
    users text;
BEGIN
    IF kind IS NULL OR kind NOT IN ('touchpoint', 'conversion') THEN
        RAISE EXCEPTION 'unknown definition kind "%"', kind USING ERRCODE = '22023';
    END IF;
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    -- a model built on the definition would no longer train, score or plan (nor would the
    -- views over every model): refuse, naming the models
    SELECT string_agg(m.name, ', ' ORDER BY m.name) INTO users FROM mixmodel.models m
     WHERE m.source_kind = 'harmonized'
       AND (kind = 'conversion' AND m.definition->>'conversion' = _definition_delete.name
            OR kind = 'touchpoint' AND m.definition->'touchpoints' ? _definition_delete.name);
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'cannot delete % "%" because models use it', kind, name USING ERRCODE = '2BP01',
            DETAIL = format('Used by models: %s.', users),
            HINT = 'Drop those models first (mixmodel.drop_model).';
    END IF;
    EXECUTE format('DELETE FROM mixmodel.%I x WHERE x.name = $1 RETURNING to_jsonb(x)', kind || 's') INTO gone USING name;
    IF gone IS NULL THEN RAISE EXCEPTION '% "%" does not exist', kind, name USING ERRCODE = '42704'; END IF;
    PERFORM mixmodel._audit('delete', kind, name, gone);
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel._definition_delete(text, text) IS 'Internal: delete a touchpoint or conversion definition (audited); 2BP01 while a model uses it.';

CREATE FUNCTION mixmodel.add_touchpoint(name text, rule text, volume_metric text, spend_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('touchpoint', 'create', name, rule, '{volume_metric,spend_metric}',
           '{volume metric,spend metric}', ARRAY[volume_metric, spend_metric], 1)
$$;
COMMENT ON FUNCTION mixmodel.add_touchpoint(text, text, text, text) IS 'Define a marketing touchpoint: rule over harmonized dimensions (channel = tv), volume metric, and spend metric for paid channels.';

CREATE FUNCTION mixmodel.update_touchpoint(name text, rule text DEFAULT NULL, volume_metric text DEFAULT NULL,
                                           spend_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('touchpoint', 'update', name, rule, '{volume_metric,spend_metric}',
           '{volume metric,spend metric}', ARRAY[volume_metric, spend_metric], 0)
$$;
COMMENT ON FUNCTION mixmodel.update_touchpoint(text, text, text, text) IS 'Change the rule, volume metric or spend metric of a touchpoint (only the arguments given).';

CREATE FUNCTION mixmodel.delete_touchpoint(name text)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_delete('touchpoint', name)
$$;
COMMENT ON FUNCTION mixmodel.delete_touchpoint(text) IS 'Delete a touchpoint definition; refused (2BP01, naming them) while models use it.';

CREATE FUNCTION mixmodel.add_conversion(name text, rule text, metric text, revenue_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('conversion', 'create', name, rule, '{metric,revenue_metric}',
           '{conversion metric,revenue metric}', ARRAY[metric, revenue_metric], 1)
$$;
COMMENT ON FUNCTION mixmodel.add_conversion(text, text, text, text) IS 'Define a conversion: rule over harmonized dimensions (conversiontype = online), count metric and optional revenue metric.';

CREATE FUNCTION mixmodel.update_conversion(name text, rule text DEFAULT NULL, metric text DEFAULT NULL,
                                           revenue_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('conversion', 'update', name, rule, '{metric,revenue_metric}',
           '{conversion metric,revenue metric}', ARRAY[metric, revenue_metric], 0)
$$;
COMMENT ON FUNCTION mixmodel.update_conversion(text, text, text, text) IS 'Change the rule, metric or revenue metric of a conversion (only the arguments given).';

CREATE FUNCTION mixmodel.delete_conversion(name text)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_delete('conversion', name)
$$;
COMMENT ON FUNCTION mixmodel.delete_conversion(text) IS 'Delete a conversion definition; refused (2BP01, naming them) while models use it.';

-- the SQL period of a series: period (at the harmonized grain) rolled to granularity
CREATE FUNCTION mixmodel._series_period(granularity text, owner regrole, OUT expr text, OUT grain text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    rank_of constant jsonb := '{"day": 1, "week": 2, "month": 3, "year": 4}';
BEGIN
    IF granularity IS NULL THEN RAISE EXCEPTION 'granularity must not be null' USING ERRCODE = '22004'; END IF;
    IF NOT rank_of ? granularity THEN
        RAISE EXCEPTION 'invalid granularity "%"', granularity USING ERRCODE = '22023',
            HINT = 'Use day, week, month or year.';
    END IF;
    SELECT h.date_type INTO grain FROM mixmodel.harmonized h WHERE h.owner = _series_period.owner LIMIT 1;
    IF grain IS NOT NULL AND (rank_of->>granularity)::int < (rank_of->>grain)::int THEN
        RAISE EXCEPTION 'cannot report % series from % harmonized data', granularity, grain USING ERRCODE = '22023',
            HINT = format('Ask for %s or coarser.', grain);
    END IF;
    IF granularity = 'week' AND grain = 'week' THEN
        expr := mixmodel._series_week_expr(owner);   -- several week starts: one calendar
        IF expr IS NOT NULL THEN
            RETURN;
        END IF;
    END IF;
    expr := CASE WHEN granularity = grain THEN 'h.period'
                 WHEN granularity = 'week' THEN
                     -- weeks start on Monday when rolled up from days
                     '(h.period OPERATOR(pg_catalog.-) (pg_catalog.date_part(''isodow'', h.period)::int OPERATOR(pg_catalog.-) 1))'
                 ELSE format('pg_catalog.date_trunc(%L, h.period::timestamp)::date', granularity) END;
END $$;
COMMENT ON FUNCTION mixmodel._series_period(text, regrole) IS 'Internal: the SQL expression rolling mixmodel.harmonized periods to a series granularity (22023 when finer than the grain of the owner''s harmonized data), and that grain; weekly data of several week starts go to the week start most summary and event rows have, each row to the week overlapping it most.';

-- weekly harmonized data of several week starts: the expression putting every row on one calendar
CREATE FUNCTION mixmodel._series_week_expr(owner regrole)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    days int;
    anchor int;
BEGIN
    -- the series' weeks start on the day most summary and event rows start on (ties: the
    -- earlier ISO day); a row of another week start counts in the series week that overlaps
    -- it most (its date moved by at most 3 days)
    SELECT count(DISTINCT w.d), (array_agg(w.d ORDER BY w.n DESC, w.d) FILTER (WHERE w.marketing))[1]
      INTO days, anchor
      FROM (SELECT pg_catalog.date_part('isodow', h.period)::int AS d, h.category <> 'factor' AS marketing, count(*) AS n
              FROM mixmodel.harmonized h WHERE h.owner = _series_week_expr.owner GROUP BY 1, 2) w;
    IF days <= 1 THEN
        RETURN NULL;
    END IF;
    RETURN format('(h.period OPERATOR(pg_catalog.+) ((((%s OPERATOR(pg_catalog.-) pg_catalog.date_part(''isodow'', h.period)::int)'
                  ' OPERATOR(pg_catalog.+) 10) OPERATOR(pg_catalog.%%) 7) OPERATOR(pg_catalog.-) 3))', coalesce(anchor, 1));
END $$;
COMMENT ON FUNCTION mixmodel._series_week_expr(regrole) IS 'Internal: NULL when every weekly harmonized row of the owner starts its week on one day; else the SQL expression moving each row of mixmodel.harmonized h to the series calendar: the week start most summary and event rows have (ties: the earlier ISO day), each row to the week overlapping it most.';

CREATE FUNCTION mixmodel._series(rule text, m1 text, m2 text, granularity text, from_date date, to_date date, owner regrole)
    RETURNS TABLE (period date, v1 float8, v2 float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    w record;
    p record;
    step text := CASE granularity WHEN 'day' THEN '1 day' WHEN 'week' THEN '7 days'
                                  WHEN 'month' THEN '1 month' ELSE '1 year' END;
BEGIN
    SELECT * INTO p FROM mixmodel._series_period(granularity, owner);
    SELECT * INTO w FROM mixmodel._rule_where(rule);
    -- every period of the owner's harmonized range (factor forecasts aside) appears, 0 where the rule matches nothing
    RETURN QUERY EXECUTE format(
        'WITH r AS (SELECT %1$s AS "mm p", h.* FROM mixmodel.harmonized h WHERE h.owner OPERATOR(pg_catalog.=) $5),
              span AS (SELECT pg_catalog.min(r."mm p") AS lo, pg_catalog.max(r."mm p") AS hi FROM r
                        WHERE r.category OPERATOR(pg_catalog.<>) ''factor''),
              s AS (SELECT h."mm p" AS p, mixmodel.exact_sum(h.%2$I) AS v1, %3$s AS v2 FROM r h WHERE %4$s GROUP BY 1)
         SELECT g.d::date, coalesce(s.v1, 0)::float8, %5$s
           FROM span, pg_catalog.generate_series(span.lo::timestamp, span.hi::timestamp, $2::interval) g(d)
           LEFT JOIN s ON s.p = g.d::date
          WHERE ($3 IS NULL OR g.d::date >= $3) AND ($4 IS NULL OR g.d::date <= $4)
          ORDER BY 1',
        p.expr, m1, CASE WHEN m2 IS NULL THEN 'NULL::float8' ELSE format('mixmodel.exact_sum(h.%I)', m2) END,
        w.clause,
        CASE WHEN m2 IS NULL THEN 'NULL::float8' ELSE 'coalesce(s.v2, 0)::float8' END)
    USING w.vals, step, from_date, to_date, owner;
END $$;
COMMENT ON FUNCTION mixmodel._series(text, text, text, text, date, date, regrole) IS 'Internal: sums of two metrics over the owner''s harmonized rows a rule selects, per period of a granularity.';

CREATE FUNCTION mixmodel.touchpoint_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                           to_date date DEFAULT NULL)
    RETURNS TABLE (period date, volume float8, spend float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t mixmodel.touchpoints;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO t FROM mixmodel.touchpoints x WHERE x.name = touchpoint_series.name;
    IF NOT FOUND THEN RAISE EXCEPTION 'touchpoint "%" does not exist', name USING ERRCODE = '42704'; END IF;
    RETURN QUERY SELECT * FROM mixmodel._series(t.rule, t.volume_metric, t.spend_metric, granularity, from_date, to_date, t.owner);
END $$;
COMMENT ON FUNCTION mixmodel.touchpoint_series(text, text, date, date) IS 'Time series of a touchpoint from mixmodel.harmonized (the rows of the touchpoint''s owner): volume and spend (NULL when not paid) per period of granularity (default week), every period of the harmonized range, 0 where nothing matches.';

CREATE FUNCTION mixmodel.conversion_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                           to_date date DEFAULT NULL)
    RETURNS TABLE (period date, conversions float8, revenue float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    c mixmodel.conversions;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO c FROM mixmodel.conversions x WHERE x.name = conversion_series.name;
    IF NOT FOUND THEN RAISE EXCEPTION 'conversion "%" does not exist', name USING ERRCODE = '42704'; END IF;
    RETURN QUERY SELECT * FROM mixmodel._series(c.rule, c.metric, c.revenue_metric, granularity, from_date, to_date, c.owner);
END $$;
COMMENT ON FUNCTION mixmodel.conversion_series(text, text, date, date) IS 'Time series of a conversion from mixmodel.harmonized (the rows of the conversion''s owner): conversions and revenue (NULL without a revenue metric) per period of granularity (default week), every period of the harmonized range.';

CREATE FUNCTION mixmodel._factor_series(name text, granularity text, from_date date, to_date date, owner regrole)
    RETURNS TABLE (period date, value float8, value_type text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    p record;
    op text;
    agg text;
    own regrole := owner;
    owners regrole[];
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    -- whose factor: the owner given, else the one owner whose harmonized data has it
    IF own IS NULL THEN
        SELECT array_agg(DISTINCT h.owner) INTO owners FROM mixmodel.harmonized h
         WHERE h.category = 'factor' AND h.factor_name = _factor_series.name;
        IF cardinality(owners) > 1 THEN
            RAISE EXCEPTION 'factor "%" exists in the harmonized data of several owners', name USING ERRCODE = '42725',
                DETAIL = format('Owners: %s.', array_to_string(owners, ', ')),
                HINT = 'Ask as the owner whose factor you mean (SET ROLE).';
        END IF;
        own := owners[1];
    END IF;
    SELECT r.factor_operator INTO op FROM mixmodel.harmonized h JOIN mixmodel.dataset_rules r ON r.name = h.dataset
     WHERE h.category = 'factor' AND h.factor_name = _factor_series.name AND h.owner = own ORDER BY r.name LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'factor "%" does not exist in the harmonized data', name USING ERRCODE = '42704',
            HINT = 'Factors come from factor dataset rules; run mixmodel.sync() after adding one.';
    END IF;
    SELECT * INTO p FROM mixmodel._series_period(granularity, own);
    -- actual values win over forecasts of the same period; several rows combine with the dataset's
    -- operator (sums exact, so the value does not depend on the order of the rows)
    agg := CASE op WHEN 'sum' THEN 'mixmodel.exact_sum(h.factor_value)%1$s'
                   WHEN 'avg' THEN '(mixmodel.exact_sum(h.factor_value)%1$s / pg_catalog.count(h.factor_value)%1$s)'
                   ELSE 'pg_catalog.' || op || '(h.factor_value)%1$s' END;
    RETURN QUERY EXECUTE format(
        'SELECT q.p, q.v, q.vt FROM (
             SELECT %1$s AS p, CASE WHEN pg_catalog.bool_or(h.value_type = ''actual'') THEN ''actual'' ELSE ''forecasted'' END AS vt,
                    CASE WHEN pg_catalog.bool_or(h.value_type = ''actual'')
                         THEN %2$s ELSE %3$s END::float8 AS v
               FROM mixmodel.harmonized h
              WHERE h.category = ''factor'' AND h.factor_name = $1 AND h.owner OPERATOR(pg_catalog.=) $4
              GROUP BY 1) q
          WHERE ($2 IS NULL OR q.p >= $2) AND ($3 IS NULL OR q.p <= $3)
          ORDER BY 1', p.expr, format(agg, ' FILTER (WHERE h.value_type = ''actual'')'), format(agg, ''))
    USING name, from_date, to_date, own;
END $$;
COMMENT ON FUNCTION mixmodel._factor_series(text, text, date, date, regrole) IS 'Internal (factor_series, and a model''s factors with its owner): the series of a harmonized factor of one owner''s data (owner NULL: the one owner whose data the caller sees has it; 42725 when several do).';

CREATE FUNCTION mixmodel.factor_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                       to_date date DEFAULT NULL)
    RETURNS TABLE (period date, value float8, value_type text)
    LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM mixmodel._factor_series(name, granularity, from_date, to_date, NULL) $$;
COMMENT ON FUNCTION mixmodel.factor_series(text, text, date, date) IS 'Time series of a harmonized factor: value per period of granularity (actual values preferred over forecasted ones; several rows combined with the factor dataset''s operator) and its value type; from the harmonized data of the one owner the caller sees that has the factor (42725 when several do, doc/access.md).';

CREATE FUNCTION mixmodel.usage_report(granularity text DEFAULT 'year', years int DEFAULT 5)
    RETURNS TABLE (conversion text, period date, conversions float8, revenue float8, models_using bigint)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    n bigint := 0;
    last date;
    c record;
BEGIN
    IF granularity IS NULL OR years IS NULL THEN
        RAISE EXCEPTION 'granularity and years must not be null' USING ERRCODE = '22004';
    END IF;
    IF granularity NOT IN ('year', 'month') THEN
        RAISE EXCEPTION 'invalid granularity "%" for the usage report', granularity USING ERRCODE = '22023',
            HINT = 'Use year or month.';
    END IF;
    IF years < 1 OR years > 100 THEN
        RAISE EXCEPTION 'years must be between 1 and 100' USING ERRCODE = '22023';
    END IF;
    -- models built on harmonized data (mixmodel.models, once the model stage creates it)
    IF to_regclass('mixmodel.models') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'mixmodel.models'::regclass
                      AND attname = 'source_kind' AND NOT attisdropped) THEN
            EXECUTE 'SELECT count(*) FROM mixmodel.models WHERE source_kind = ''harmonized''' INTO n;
        ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'mixmodel.models'::regclass
                      AND attname = 'conversion' AND NOT attisdropped) THEN
            EXECUTE 'SELECT count(*) FROM mixmodel.models WHERE conversion IS NOT NULL' INTO n;
        ELSE
            EXECUTE 'SELECT count(*) FROM mixmodel.models' INTO n;
        END IF;
    END IF;
    FOR c IN SELECT x.name, x.owner FROM mixmodel.conversions x ORDER BY x.name LOOP
        -- each conversion over its owner's harmonized data
        SELECT max(h.period) INTO last FROM mixmodel.harmonized h WHERE h.owner = c.owner;
        RETURN QUERY
            SELECT c.name, s.period, s.conversions, s.revenue, n
              FROM mixmodel.conversion_series(c.name, granularity,
                       (date_trunc('year', last::timestamp) - make_interval(years => years - 1))::date, last) s;
    END LOOP;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM mixmodel.conversions) THEN
        RETURN QUERY SELECT NULL::text, NULL::date, NULL::float8, NULL::float8, n;
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel.usage_report(text, int) IS 'Usage of the harmonized data: per conversion, conversions and revenue per year (or month) over the last years (default 5, ending at the last harmonized period), and the number of models using the harmonized data (rows of mixmodel.models with source_kind harmonized; 0 while that table does not exist).';
