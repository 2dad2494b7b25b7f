-- harmonize: merge preferences when summary and event data report the same metric

CREATE TABLE mixmodel.merge_preferences (
    id               serial PRIMARY KEY,
    metric           text,
    preference       text NOT NULL CHECK (preference IN ('summary', 'event', 'sum')),
    channels         text[],
    conversion_types text[],
    updated_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CHECK (metric IS NOT NULL OR (channels IS NULL AND conversion_types IS NULL)),
    owner            regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
CREATE UNIQUE INDEX merge_preferences_default ON mixmodel.merge_preferences (owner) WHERE metric IS NULL;
COMMENT ON TABLE mixmodel.merge_preferences IS 'Which source wins when summary and event data report one metric for the same period, channel and conversion type, per owner: the default (metric NULL) and per-metric overrides scoped to channels and/or conversion types.';
COMMENT ON COLUMN mixmodel.merge_preferences.owner IS 'role whose harmonized data the preference applies to (doc/access.md): the role that set it';
COMMENT ON INDEX mixmodel.merge_preferences_default IS 'At most one default merge preference per owner.';
COMMENT ON SEQUENCE mixmodel.merge_preferences_id_seq IS 'Ids of mixmodel.merge_preferences rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.merge_preferences', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.merge_preferences_id_seq', '');
-- No row is inserted here: without a default row the default is summary.  A row inserted at
-- CREATE EXTENSION would collide with the dumped one when a dump is restored.

CREATE FUNCTION mixmodel.merge_preference_for(metric text, channel text DEFAULT NULL, conversion_type text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    BEGIN ATOMIC
        SELECT COALESCE((
            SELECT p.preference FROM mixmodel.merge_preferences p
             WHERE p.owner OPERATOR(pg_catalog.=) CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
               AND (p.metric IS NULL
                OR (p.metric OPERATOR(pg_catalog.=) merge_preference_for.metric
                    AND (p.channels IS NULL OR merge_preference_for.channel OPERATOR(pg_catalog.=) ANY (p.channels))
                    AND (p.conversion_types IS NULL
                         OR merge_preference_for.conversion_type OPERATOR(pg_catalog.=) ANY (p.conversion_types))))
             ORDER BY (p.metric IS NULL), (p.channels IS NULL), (p.conversion_types IS NULL), p.id DESC
             LIMIT 1), 'summary');
    END;
COMMENT ON FUNCTION mixmodel.merge_preference_for(text, text, text) IS 'The merge preference (summary, event or sum) that applies to a metric for a channel and conversion type in the current role''s harmonized data: the most specific override, else the default (summary until set_merge_preference sets another).';

CREATE FUNCTION mixmodel.set_merge_preference(preference text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF preference IS NULL THEN RAISE EXCEPTION 'preference must not be null' USING ERRCODE = '22004'; END IF;
    IF preference NOT IN ('summary', 'event', 'sum') THEN
        RAISE EXCEPTION 'invalid merge preference "%"', preference USING ERRCODE = '22023',
            HINT = 'Use summary, event or sum.';
    END IF;
    INSERT INTO mixmodel.merge_preferences AS p (metric, preference) VALUES (NULL, set_merge_preference.preference)
        ON CONFLICT (owner) WHERE metric IS NULL
        DO UPDATE SET preference = excluded.preference, updated_at = now();
    PERFORM mixmodel._audit('update', 'merge_preference', 'default', jsonb_build_object('preference', preference));
    PERFORM mixmodel._apply_merge();
    RETURN preference;
END $$;
COMMENT ON FUNCTION mixmodel.set_merge_preference(text) IS 'Set the default merge preference (summary, event or sum) of the current role''s harmonized data and re-apply the merge to mixmodel.harmonized.';

CREATE FUNCTION mixmodel.set_merge_override(metric text, preference text, channels text[] DEFAULT NULL,
                                            conversion_types text[] DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF metric IS NULL THEN RAISE EXCEPTION 'metric must not be null' USING ERRCODE = '22004'; END IF;
    IF preference IS NULL THEN RAISE EXCEPTION 'preference must not be null' USING ERRCODE = '22004'; END IF;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = metric AND f.category = 'metric') THEN
        RAISE EXCEPTION 'metric "%" does not exist', metric USING ERRCODE = '42704',
            HINT = 'Overrides apply to metric fields (see mixmodel.fields).';
    END IF;
    IF preference NOT IN ('summary', 'event', 'sum') THEN
        RAISE EXCEPTION 'invalid merge preference "%"', preference USING ERRCODE = '22023',
            HINT = 'Use summary, event or sum.';
    END IF;
    DELETE FROM mixmodel.merge_preferences p
     WHERE p.owner = CAST(quote_ident(CURRENT_USER) AS regrole) AND p.metric = set_merge_override.metric
       AND p.channels IS NOT DISTINCT FROM set_merge_override.channels
       AND p.conversion_types IS NOT DISTINCT FROM set_merge_override.conversion_types;
    INSERT INTO mixmodel.merge_preferences (metric, preference, channels, conversion_types)
    VALUES (metric, preference, channels, conversion_types);
    PERFORM mixmodel._audit('create', 'merge_preference', metric,
        jsonb_build_object('preference', preference, 'channels', channels, 'conversion_types', conversion_types));
    PERFORM mixmodel._apply_merge();
    RETURN metric;
END $$;
COMMENT ON FUNCTION mixmodel.set_merge_override(text, text, text[], text[]) IS 'Override the merge preference for one metric of the current role''s harmonized data, for all channels and conversion types or only those listed; replaces an override with the same scope and re-applies the merge.';

CREATE FUNCTION mixmodel.clear_merge_overrides(metric text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM mixmodel.merge_preferences p
     WHERE p.owner = CAST(quote_ident(CURRENT_USER) AS regrole) AND p.metric IS NOT NULL AND (clear_merge_overrides.metric IS NULL OR p.metric = clear_merge_overrides.metric);
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM mixmodel._audit('delete', 'merge_preference', coalesce(metric, 'all overrides'), jsonb_build_object('removed', n));
    PERFORM mixmodel._apply_merge();
    RETURN n;
END $$;
COMMENT ON FUNCTION mixmodel.clear_merge_overrides(text) IS 'Remove the merge overrides of one metric (or all of them) of the current role''s harmonized data and re-apply the merge; returns how many were removed.';
