-- harmonize: audit log of every change to harmonization definitions and every sync

CREATE TABLE mixmodel.audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    who         text NOT NULL DEFAULT CURRENT_USER,
    session_who text NOT NULL DEFAULT SESSION_USER,
    action      text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'activate', 'sync')),
    object_type text NOT NULL CHECK (object_type IN ('field', 'dataset_rule', 'merge_preference',
                                                      'touchpoint', 'conversion', 'harmonized')),
    object_name text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE mixmodel.audit_log IS 'Who changed which harmonization definition (field, dataset rule, merge preference, touchpoint, conversion) or ran a sync, when, and what (details).';
COMMENT ON COLUMN mixmodel.audit_log.who IS 'current_user at the time of the change';
COMMENT ON COLUMN mixmodel.audit_log.session_who IS 'session_user at the time of the change';
COMMENT ON COLUMN mixmodel.audit_log.details IS 'the definition after the change (or before, for delete), or the sync summary';
COMMENT ON SEQUENCE mixmodel.audit_log_id_seq IS 'Ids of mixmodel.audit_log rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.audit_log_id_seq', '');

CREATE FUNCTION mixmodel._audit(action text, object_type text, object_name text, details jsonb)
    RETURNS void
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        INSERT INTO mixmodel.audit_log (action, object_type, object_name, details)
        VALUES (action, object_type, object_name, coalesce(details, '{}'::jsonb));
    END;
COMMENT ON FUNCTION mixmodel._audit(text, text, text, jsonb) IS 'Internal: append one row to mixmodel.audit_log (called by every harmonization writer).';
