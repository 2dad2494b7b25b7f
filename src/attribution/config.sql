-- attribution: configurations (create_attribution, drop_attribution) and their compilation into SQL (doc/attribution.md)

CREATE FUNCTION mixmodel._attribution_model_names()
    RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['first_touch', 'last_touch', 'same_touch', 'linear', 'participation', 'u_shaped', 'j_curve',
                 'inverse_j', 'custom', 'time_decay', 'markov', 'shapley', 'algorithmic_influenced',
                 'algorithmic_incremental'];
COMMENT ON FUNCTION mixmodel._attribution_model_names() IS 'Internal: the event-level attribution models, in the order runs write them.';

-- Options with their defaults filled in; 22023 for unknown keys and bad values.
CREATE FUNCTION mixmodel._attribution_options(options jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o jsonb := coalesce(options, '{}');
    k text;
    known constant text[] := ARRAY['event_column', 'revenue_column', 'dimensions', 'key', 'exclude', 'transforms',
        'session_column', 'session_gap', 'half_life', 'decay_unit', 'custom', 'markov_order', 'markov_null',
        'shapley', 'lag_buckets', 'ridge', 'population', 'dataset', 'non_converting', 'analytics'];
    v jsonb;
    d text;
    t text;
BEGIN
    IF jsonb_typeof(o) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'options must be a jsonb object' USING ERRCODE = '22023',
            HINT = 'For example ''{"half_life": "3 days", "markov_order": 2}''.';
    END IF;
    FOR k IN SELECT jsonb_object_keys(o) LOOP
        IF NOT k = ANY (known) THEN
            RAISE EXCEPTION 'unknown attribution option "%"', k USING ERRCODE = '22023',
                HINT = 'Known options: ' || array_to_string(known, ', ') || '.';
        END IF;
    END LOOP;
    FOR k IN SELECT unnest(ARRAY['event_column', 'revenue_column', 'session_column', 'dataset', 'decay_unit', 'shapley',
                                 'session_gap', 'half_life']) LOOP
        IF o ? k AND jsonb_typeof(o->k) <> 'string' THEN
            RAISE EXCEPTION 'option "%" must be a string', k USING ERRCODE = '22023';
        END IF;
    END LOOP;
    -- supplemental ids: {"campaign": column, "journey": column, "message": column}
    v := coalesce(o->'dimensions', '{}');
    IF jsonb_typeof(v) <> 'object' THEN
        RAISE EXCEPTION 'option "dimensions" must be an object' USING ERRCODE = '22023',
            HINT = 'For example {"campaign": "campaign", "journey": "journey_id", "message": "message_id"}.';
    END IF;
    FOR d IN SELECT jsonb_object_keys(v) LOOP
        IF d NOT IN ('campaign', 'journey', 'message') OR jsonb_typeof(v->d) <> 'string' THEN
            RAISE EXCEPTION 'invalid dimension "%" in option "dimensions"', d USING ERRCODE = '22023',
                DETAIL = 'The supplemental ids are campaign, journey and message, each naming a column.';
        END IF;
    END LOOP;
    -- key: which ids, beside the touchpoint, make one channel of the path models
    v := coalesce(o->'key', '[]');
    IF jsonb_typeof(v) = 'string' THEN v := jsonb_build_array(v); END IF;
    IF jsonb_typeof(v) <> 'array' THEN
        RAISE EXCEPTION 'option "key" must be a dimension name or an array of them' USING ERRCODE = '22023';
    END IF;
    FOR d IN SELECT jsonb_array_elements_text(v) LOOP
        IF NOT coalesce((o->'dimensions') ? d, false) THEN
            RAISE EXCEPTION 'key dimension "%" is not in option "dimensions"', d USING ERRCODE = '22023',
                HINT = 'Name its column under "dimensions" first.';
        END IF;
    END LOOP;
    o := o || jsonb_build_object('key', v);
    FOR k IN SELECT unnest(ARRAY['exclude', 'transforms']) LOOP
        IF o ? k AND (jsonb_typeof(o->k) <> 'array'
                      OR EXISTS (SELECT 1 FROM jsonb_array_elements(o->k) e WHERE jsonb_typeof(e) <> 'string')) THEN
            RAISE EXCEPTION 'option "%" must be an array of strings', k USING ERRCODE = '22023';
        END IF;
    END LOOP;
    -- transforms are checked by the same parser that applies them to path strings
    FOR t IN SELECT jsonb_array_elements_text(coalesce(o->'transforms', '[]')) LOOP
        PERFORM mixmodel.transform_path('x', ARRAY[t]);
    END LOOP;
    IF o ? 'session_gap' THEN
        BEGIN
            PERFORM (o->>'session_gap')::interval;
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'option "session_gap" must be an interval' USING ERRCODE = '22023';
        END;
        IF (o->>'session_gap')::interval <= interval '0' OR (o->>'session_gap')::interval > interval '1 day' THEN
            RAISE EXCEPTION 'option "session_gap" must be in (0, 1 day]' USING ERRCODE = '22023',
                DETAIL = format('Got %s.', o->>'session_gap');
        END IF;
    END IF;
    o := o || jsonb_build_object('session_gap', coalesce(o->>'session_gap', '30 minutes'));
    BEGIN
        PERFORM coalesce(o->>'half_life', '7 days')::interval;
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'option "half_life" must be an interval' USING ERRCODE = '22023';
    END;
    IF coalesce(o->>'half_life', '7 days')::interval <= interval '0' THEN
        RAISE EXCEPTION 'option "half_life" must be positive' USING ERRCODE = '22023';
    END IF;
    o := o || jsonb_build_object('half_life', coalesce(o->>'half_life', '7 days'),
                                 'decay_unit', coalesce(o->>'decay_unit', 'exact'));
    IF o->>'decay_unit' NOT IN ('exact', 'day') THEN
        RAISE EXCEPTION 'option "decay_unit" must be exact or day' USING ERRCODE = '22023';
    END IF;
    IF o ? 'custom' THEN
        v := o->'custom';
        IF jsonb_typeof(v) <> 'object'
           OR EXISTS (SELECT 1 FROM jsonb_object_keys(v) x WHERE x NOT IN ('first', 'middle', 'last'))
           OR EXISTS (SELECT 1 FROM jsonb_each(v) e WHERE jsonb_typeof(e.value) <> 'number' OR (e.value)::text::float8 < 0)
           OR coalesce((v->>'first')::float8, 0) + coalesce((v->>'middle')::float8, 0) + coalesce((v->>'last')::float8, 0) <= 0 THEN
            RAISE EXCEPTION 'option "custom" must give non-negative weights first, middle, last, not all 0' USING ERRCODE = '22023',
                HINT = 'For example {"first": 30, "middle": 40, "last": 30}.';
        END IF;
    END IF;
    IF o ? 'markov_order' AND (jsonb_typeof(o->'markov_order') <> 'number'
                               OR (o->>'markov_order')::numeric NOT IN (1, 2, 3, 4)) THEN
        RAISE EXCEPTION 'option "markov_order" must be 1, 2, 3 or 4' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', o->'markov_order');
    END IF;
    FOR k IN SELECT unnest(ARRAY['non_converting', 'analytics']) LOOP
        IF o ? k AND jsonb_typeof(o->k) <> 'boolean' THEN
            RAISE EXCEPTION 'option "%" must be a boolean', k USING ERRCODE = '22023';
        END IF;
    END LOOP;
    o := o || jsonb_build_object('analytics', coalesce((o->>'analytics')::boolean, true));
    IF o ? 'markov_null' AND jsonb_typeof(o->'markov_null') <> 'boolean' THEN
        RAISE EXCEPTION 'option "markov_null" must be a boolean' USING ERRCODE = '22023';
    END IF;
    o := o || jsonb_build_object('markov_order', coalesce((o->>'markov_order')::int, 1),
                                 'markov_null', coalesce((o->>'markov_null')::boolean, true),
                                 'shapley', coalesce(o->>'shapley', 'simplified'));
    IF o->>'shapley' NOT IN ('simplified', 'conversion_rate') THEN
        RAISE EXCEPTION 'option "shapley" must be simplified or conversion_rate' USING ERRCODE = '22023';
    END IF;
    IF o ? 'lag_buckets' AND (jsonb_typeof(o->'lag_buckets') <> 'array'
        OR jsonb_array_length(o->'lag_buckets') > 50
        OR EXISTS (SELECT 1 FROM jsonb_array_elements(o->'lag_buckets') WITH ORDINALITY e(x, i)
                    WHERE jsonb_typeof(x) <> 'number' OR x::text::numeric <> floor(x::text::numeric)
                       OR x::text::numeric < 1 OR x::text::numeric > 3650
                       OR (i > 1 AND x::text::numeric <= (o->'lag_buckets'->>(i::int - 2))::numeric))) THEN
        RAISE EXCEPTION 'option "lag_buckets" must be increasing whole days in [1, 3650]' USING ERRCODE = '22023',
            HINT = 'The bucket edges after 0, for example [1, 3, 7, 14].';
    END IF;
    o := o || jsonb_build_object('lag_buckets', coalesce(o->'lag_buckets', '[1, 3, 7, 14]'));
    IF o ? 'ridge' AND (jsonb_typeof(o->'ridge') <> 'number' OR (o->>'ridge')::float8 < 0 OR (o->>'ridge')::float8 > 1e6) THEN
        RAISE EXCEPTION 'option "ridge" must be a number in [0, 1e6]' USING ERRCODE = '22023';
    END IF;
    o := o || jsonb_build_object('ridge', coalesce((o->>'ridge')::float8, 1));
    IF o ? 'population' AND (jsonb_typeof(o->'population') <> 'number' OR (o->>'population')::numeric < 1
                             OR (o->>'population')::numeric > 1e12) THEN
        RAISE EXCEPTION 'option "population" must be a number of persons in [1, 1e12]' USING ERRCODE = '22023';
    END IF;
    RETURN o;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_options(jsonb) IS 'Internal: checks an attribution''s options and fills in their defaults.';

CREATE FUNCTION mixmodel._attribution_models(models text[], options jsonb)
    RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m text;
    out text[] := '{}';
    all_models constant text[] := mixmodel._attribution_model_names();
BEGIN
    IF models IS NULL THEN
        RETURN array(SELECT x FROM unnest(all_models) x WHERE x <> 'custom' OR options ? 'custom');
    END IF;
    IF cardinality(models) = 0 THEN
        RAISE EXCEPTION 'models must not be empty' USING ERRCODE = '2202E';
    END IF;
    IF cardinality(models) > 100 THEN
        RAISE EXCEPTION 'models lists % models', cardinality(models) USING ERRCODE = '22023',
            HINT = 'Name each of the models at most once (NULL: all).';
    END IF;
    FOREACH m IN ARRAY models LOOP
        IF m IS NULL THEN
            RAISE EXCEPTION 'models must not contain nulls' USING ERRCODE = '22004';
        ELSIF m = 'algorithmic' THEN
            out := out || ARRAY['algorithmic_influenced', 'algorithmic_incremental'];
        ELSIF m = ANY (all_models) THEN
            out := out || m;
        ELSE
            RAISE EXCEPTION 'unknown attribution model "%"', m USING ERRCODE = '22023',
                HINT = 'Models: ' || array_to_string(all_models, ', ') || ' (algorithmic = both algorithmic models).';
        END IF;
        IF m = 'custom' AND NOT options ? 'custom' THEN
            RAISE EXCEPTION 'model custom needs option "custom"' USING ERRCODE = '22023',
                HINT = 'For example options => ''{"custom": {"first": 30, "middle": 40, "last": 30}}''.';
        END IF;
    END LOOP;
    RETURN array(SELECT x FROM unnest(all_models) x WHERE x = ANY (out));
END $$;
COMMENT ON FUNCTION mixmodel._attribution_models(text[], jsonb) IS 'Internal: checks a list of event-level attribution models (NULL: all, custom only with its weights).';

CREATE FUNCTION mixmodel._attribution_lookback(lookback text)
    RETURNS interval
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l interval;
BEGIN
    IF lookback IS NULL THEN
        RAISE EXCEPTION 'lookback must not be null' USING ERRCODE = '22004';
    END IF;
    IF lower(btrim(lookback)) = 'session' THEN
        RETURN NULL;
    END IF;
    BEGIN
        l := lookback::interval;
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'invalid lookback "%"', lookback USING ERRCODE = '22023',
            HINT = 'Give an interval from 1 day to 52 weeks (''30 days'', ''4 weeks'') or session.';
    END;
    IF l < interval '1 day' OR l > interval '52 weeks' THEN
        RAISE EXCEPTION 'lookback must be between 1 day and 52 weeks' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', l), HINT = 'Adobe Mix Modeler allows 1 to 52 weeks; session limits it to the conversion''s session.';
    END IF;
    RETURN l;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_lookback(text) IS 'Internal: an attribution lookback as an interval (NULL for session); 22023 outside 1 day to 52 weeks.';

-- The SQL expression of a rule field over the source row s: its column, or its
-- mapping in an event dataset rule (map into a column or a constant).
CREATE FUNCTION mixmodel._attribution_field(source regclass, mappings jsonb, field text, what text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m jsonb;
    col text;
BEGIN
    IF mappings IS NULL THEN
        col := field;
    ELSE
        m := mappings->'dimensions'->field;
        IF m IS NULL THEN
            m := mappings->'metrics'->field;
            IF m IS NOT NULL AND coalesce(m->>'op', 'sum') = 'sum' AND m ? 'column' THEN
                col := m->>'column';
            ELSE
                RAISE EXCEPTION 'field "%" of % is not mapped to a column by the dataset rule', field, what
                    USING ERRCODE = '42703',
                    HINT = 'Map it into a column (or a constant) in the dataset rule, or leave out option "dataset" and name columns.';
            END IF;
        ELSIF jsonb_typeof(m) = 'string' THEN
            col := m #>> '{}';
        ELSIF m ? 'column' AND NOT m ? 'cases' THEN
            col := m->>'column';
        ELSIF m ? 'value' AND NOT m ? 'cases' THEN
            RETURN format('CAST(%L AS pg_catalog.text)', m->>'value');
        ELSE
            RAISE EXCEPTION 'field "%" of % has a case mapping', field, what USING ERRCODE = '0A000',
                DETAIL = 'Event attribution reads rule fields row by row from a column or a constant.',
                HINT = 'Add a column holding the value to the events, or name columns directly.';
        END IF;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = source AND a.attname = col
                      AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'column "%" of % does not exist in %', col, what, source USING ERRCODE = '42703',
            HINT = CASE WHEN mappings IS NULL THEN 'Rule fields name columns of the event table (or pass option "dataset").' END;
    END IF;
    RETURN format('CAST(s.%I AS pg_catalog.text)', col);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_field(regclass, jsonb, text, text) IS 'Internal: the SQL expression reading a touchpoint or conversion rule field from an event row.';

CREATE FUNCTION mixmodel._attribution_rule_sql(source regclass, mappings jsonb, rule text, what text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
    out text := 'true';
BEGIN
    FOR c IN SELECT * FROM mixmodel.parse_rule(rule) LOOP
        out := out || format(' AND %s %s %L', mixmodel._attribution_field(source, mappings, c.field, what),
                             CASE c.op WHEN '=' THEN 'OPERATOR(pg_catalog.=)' ELSE 'IS DISTINCT FROM' END, c.value);
    END LOOP;
    RETURN '(' || out || ')';
END $$;
COMMENT ON FUNCTION mixmodel._attribution_rule_sql(regclass, jsonb, text, text) IS 'Internal: a touchpoint or conversion rule as an SQL condition on an event row s.';

CREATE FUNCTION mixmodel._attribution_column(source regclass, col text, what text, types text[])
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t regtype;
BEGIN
    SELECT a.atttypid::regtype INTO t FROM pg_attribute a
     WHERE a.attrelid = source AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'column "%" (%) does not exist in %', col, what, source USING ERRCODE = '42703';
    END IF;
    IF types IS NOT NULL AND NOT t::text = ANY (types) THEN
        RAISE EXCEPTION '% column "%" has type %', what, col, t USING ERRCODE = '42804',
            HINT = 'Expected ' || array_to_string(types, ', ') || '.';
    END IF;
    RETURN format('s.%I', col);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_column(regclass, text, text, text[]) IS 'Internal: a checked column reference s."col" of an event table.';

-- Everything a run needs as SQL over the event table s.
CREATE FUNCTION mixmodel._attribution_compile(source regclass, conversion text, touchpoints text[],
        person_column name, time_column name, options jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o jsonb := options;
    maps jsonb;
    conv mixmodel.conversions;
    tp mixmodel.touchpoints;
    t text;
    touch_sql text := 'CASE';
    rev text := 'CAST(NULL AS pg_catalog.float8)';
    numeric_types constant text[] := ARRAY['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']::regtype[]::text[];
    d text;
    dims jsonb := '{}';
BEGIN
    IF to_regclass(source::text) IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = source) THEN
        RAISE EXCEPTION 'event table % does not exist', source USING ERRCODE = '42P01';
    END IF;
    IF o ? 'dataset' THEN
        SELECT r.mappings INTO maps FROM mixmodel.dataset_rules r WHERE r.name = o->>'dataset' AND r.category = 'event';
        IF NOT FOUND THEN
            RAISE EXCEPTION 'event dataset rule "%" does not exist', o->>'dataset' USING ERRCODE = '42704';
        END IF;
    END IF;
    SELECT * INTO conv FROM mixmodel.conversions c WHERE c.name = conversion;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'conversion "%" does not exist', conversion USING ERRCODE = '42704',
            HINT = 'Define it with mixmodel.add_conversion.';
    END IF;
    IF touchpoints IS NULL OR cardinality(touchpoints) = 0 THEN
        RAISE EXCEPTION 'no touchpoints' USING ERRCODE = '2202E', HINT = 'Define touchpoints with mixmodel.add_touchpoint.';
    END IF;
    IF cardinality(touchpoints) > 1000 THEN
        RAISE EXCEPTION 'too many touchpoints' USING ERRCODE = '54000',
            DETAIL = format('Got %s; an attribution takes at most 1000.', cardinality(touchpoints));
    END IF;
    FOREACH t IN ARRAY touchpoints LOOP
        SELECT * INTO tp FROM mixmodel.touchpoints x WHERE x.name = t;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'touchpoint "%" does not exist', t USING ERRCODE = '42704',
                HINT = 'Define it with mixmodel.add_touchpoint.';
        END IF;
        touch_sql := touch_sql || format(' WHEN %s THEN %L', mixmodel._attribution_rule_sql(source, maps, tp.rule, format('touchpoint "%s"', t)), t);
    END LOOP;
    touch_sql := touch_sql || ' END';
    IF o ? 'revenue_column' THEN
        rev := format('CAST(%s AS pg_catalog.float8)', mixmodel._attribution_column(source, o->>'revenue_column', 'revenue', numeric_types));
    ELSIF conv.revenue_metric IS NOT NULL THEN
        IF maps IS NOT NULL AND maps->'metrics'->conv.revenue_metric ? 'column' THEN
            rev := format('CAST(%s AS pg_catalog.float8)',
                          mixmodel._attribution_column(source, maps->'metrics'->conv.revenue_metric->>'column', 'revenue', numeric_types));
        ELSIF maps IS NULL AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = source
                                          AND a.attname = conv.revenue_metric AND a.attnum > 0 AND NOT a.attisdropped) THEN
            rev := format('CAST(%s AS pg_catalog.float8)', mixmodel._attribution_column(source, conv.revenue_metric, 'revenue', numeric_types));
        END IF;
    END IF;
    FOR d IN SELECT unnest(ARRAY['campaign', 'journey', 'message']) LOOP
        dims := dims || jsonb_build_object(d, CASE WHEN o->'dimensions' ? d
            THEN format('CAST(%s AS pg_catalog.text)', mixmodel._attribution_column(source, o->'dimensions'->>d, d, NULL))
            ELSE 'CAST(NULL AS pg_catalog.text)' END);
    END LOOP;
    RETURN jsonb_build_object(
        'relation', (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.oid = source),
        'person', mixmodel._attribution_column(source, person_column, 'person', NULL),
        'time', format('CAST(%s AS pg_catalog.timestamptz)',
                       mixmodel._attribution_column(source, time_column, 'time', ARRAY['timestamptz', 'timestamp', 'date']::regtype[]::text[])),
        'touch', touch_sql,
        'conversion', mixmodel._attribution_rule_sql(source, maps, conv.rule, format('conversion "%s"', conversion)),
        'revenue', rev,
        'event', CASE WHEN o ? 'event_column'
                      THEN format('CAST(%s AS pg_catalog.text)', mixmodel._attribution_column(source, o->>'event_column', 'event', NULL))
                      ELSE 'CAST(NULL AS pg_catalog.text)' END,
        'session', CASE WHEN o ? 'session_column'
                        THEN format('CAST(%s AS pg_catalog.text)', mixmodel._attribution_column(source, o->>'session_column', 'session', NULL))
                        END,
        'dimensions', dims);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_compile(regclass, text, text[], name, name, jsonb) IS 'Internal: an attribution configuration as SQL expressions over its event table (person, time, touchpoint, conversion condition, revenue, event, session, supplemental ids); checks that every name resolves.';

-- The partition of event_scores that holds an attribution's scores (event_scores_<id>): made,
-- emptied, analysed and dropped here, by the tables' owner (SECURITY DEFINER, set in
-- src/access/policies.sql), since creating a partition takes the ownership of event_scores
-- and an analyst has none.  The partitions belong to the tables' owner and grant nothing:
-- they are read and written only through event_scores and its row-level security.  The
-- caller's functions have already found the attribution under row-level security; here the
-- attribution must belong to a role the session's user may become (a definer function does
-- not know its caller's current role; a session that may SET ROLE to the owner could do all
-- this as the owner), else it "does not exist".
CREATE FUNCTION mixmodel._event_scores_partition(attribution text, action text)
    RETURNS regclass
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a_name constant text := attribution;
    k int;
    own regrole;
    part text;
    g oid;
BEGIN
    IF attribution IS NULL OR action IS NULL THEN
        RAISE EXCEPTION 'attribution and action must not be null' USING ERRCODE = '22004';
    END IF;
    IF NOT action IN ('create', 'truncate', 'analyze', 'drop') THEN
        RAISE EXCEPTION 'unknown partition action "%"', action USING ERRCODE = '22023',
            HINT = 'Actions are create, truncate, analyze and drop.';
    END IF;
    SELECT a.id, a.owner INTO k, own FROM mixmodel.attributions a WHERE a.name = a_name;
    IF NOT FOUND OR NOT pg_has_role(session_user, own, 'MEMBER') THEN
        RAISE EXCEPTION 'attribution "%" does not exist', a_name USING ERRCODE = '42704';
    END IF;
    part := format('mixmodel.%I', 'event_scores_' || k);
    IF action = 'drop' THEN
        EXECUTE format('DROP TABLE IF EXISTS %s', part);
        RETURN NULL;
    END IF;
    IF to_regclass(part) IS NULL THEN
        EXECUTE format('CREATE TABLE %s PARTITION OF mixmodel.event_scores FOR VALUES IN (%L)', part, a_name);
        -- whatever default privileges granted: reached only through event_scores
        FOR g IN SELECT DISTINCT x.grantee FROM pg_class c, aclexplode(c.relacl) x
                  WHERE c.oid = to_regclass(part) AND x.grantee <> c.relowner LOOP
            EXECUTE format('REVOKE ALL ON %s FROM %s', part,
                           CASE WHEN g = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g)) END);
        END LOOP;
    ELSIF action = 'truncate' THEN
        EXECUTE format('TRUNCATE %s', part);
    ELSIF action = 'analyze' THEN
        EXECUTE format('ANALYZE %s', part);
    END IF;
    RETURN to_regclass(part);
END $$;
COMMENT ON FUNCTION mixmodel._event_scores_partition(text, text) IS 'Internal: creates (create, or truncate when missing), empties (truncate), analyses or drops the partition event_scores_<id> of an attribution, as the tables'' owner (SECURITY DEFINER): only for an attribution whose owner the session''s user may become (42704 otherwise); the partition grants nothing, its rows are reached through event_scores and its row-level security (doc/access.md).';

CREATE FUNCTION mixmodel.create_attribution(name text, source regclass, conversion text,
        person_column name, time_column name, touchpoints text[] DEFAULT NULL,
        lookback text DEFAULT '30 days', models text[] DEFAULT NULL, options jsonb DEFAULT '{}')
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o jsonb;
    tps text[];
    ms text[];
    own regrole;
    con text;
BEGIN
    IF name IS NULL OR source IS NULL OR conversion IS NULL OR person_column IS NULL OR time_column IS NULL THEN
        RAISE EXCEPTION 'name, source, conversion, person_column and time_column must not be null' USING ERRCODE = '22004';
    END IF;
    IF btrim(name) = '' THEN
        RAISE EXCEPTION 'name must not be empty' USING ERRCODE = '22023';
    END IF;
    -- names are unique across owners (doc/access.md)
    SELECT a.owner INTO own FROM mixmodel.attributions a WHERE a.name = create_attribution.name;
    IF FOUND AND NOT pg_has_role(own, 'USAGE') THEN
        RAISE EXCEPTION 'attribution "%" already exists and belongs to another role', name USING ERRCODE = '23505',
            HINT = 'Attribution names are unique across roles: choose another name.';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'attribution "%" already exists', name USING ERRCODE = '23505',
            HINT = 'Drop it first with mixmodel.drop_attribution.';
    END IF;
    o := mixmodel._attribution_options(options);
    tps := coalesce(touchpoints, array(SELECT t.name FROM mixmodel.touchpoints t ORDER BY t.name));
    IF EXISTS (SELECT 1 FROM unnest(tps) x WHERE x IS NULL) THEN
        RAISE EXCEPTION 'touchpoints must not contain nulls' USING ERRCODE = '22004';
    END IF;
    IF (SELECT count(DISTINCT x) FROM unnest(tps) x) <> cardinality(tps) THEN
        RAISE EXCEPTION 'touchpoints must not repeat' USING ERRCODE = '22023';
    END IF;
    tps := array(SELECT x FROM unnest(tps) x WHERE NOT x = ANY (array(SELECT jsonb_array_elements_text(coalesce(o->'exclude', '[]')))));
    PERFORM mixmodel._attribution_lookback(lookback);
    PERFORM mixmodel._attribution_compile(source, conversion, tps, person_column, time_column, o);
    ms := mixmodel._attribution_models(models, o);
    BEGIN
        INSERT INTO mixmodel.attributions (name, source, conversion, touchpoints, person_column, time_column, lookback, models, options)
        VALUES (name, source, conversion, tps, person_column, time_column,
                CASE WHEN lower(btrim(lookback)) = 'session' THEN 'session' ELSE btrim(lookback) END, ms, o);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS con = CONSTRAINT_NAME;
        IF con IS DISTINCT FROM 'attributions_pkey' THEN
            RAISE;
        END IF;
        -- created meanwhile by another session, or one the caller may not see (row-level security)
        IF EXISTS (SELECT 1 FROM mixmodel.attributions a
                    WHERE a.name = create_attribution.name AND pg_has_role(a.owner, 'USAGE')) THEN
            RAISE EXCEPTION 'attribution "%" already exists', name USING ERRCODE = '23505',
                DETAIL = 'Another session created it meanwhile.', HINT = 'Drop it first with mixmodel.drop_attribution.';
        END IF;
        RAISE EXCEPTION 'attribution "%" already exists and belongs to another role', name USING ERRCODE = '23505',
            HINT = 'Attribution names are unique across roles: choose another name.';
    END;
    -- its own partition of event_scores: a rerun truncates it
    PERFORM mixmodel._event_scores_partition(name, 'create');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.create_attribution(text, regclass, text, name, name, text[], text, text[], jsonb) IS 'Define an event-level attribution: the event table, its person and time columns, a conversion and touchpoints (their rules read columns of the table, or a dataset rule''s mappings), a lookback (1 day to 52 weeks, or session), the models and options; names are checked now and again at every run. It belongs to the calling role (names are unique across roles).';

CREATE FUNCTION mixmodel.drop_attribution(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004';
    END IF;
    -- the caller's own (row-level security: another role's "does not exist")
    PERFORM FROM mixmodel.attributions a WHERE a.name = drop_attribution.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'attribution "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._event_scores_partition(name, 'drop');
    DELETE FROM mixmodel.attributions a WHERE a.name = drop_attribution.name;
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.drop_attribution(text) IS 'Delete an attribution, its runs and their scores; only the calling role''s own (42704 for another role''s).';
