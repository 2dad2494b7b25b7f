-- access: who sees and changes which rows, and what each group role may do (doc/access.md).
--
-- Every definition and result belongs to an owner role (column owner, by default the role
-- that created it; a harmonized model and its data belong to the owner of its conversion).
-- A role works on the rows of the owners it has the privileges of, pg_has_role(owner,
-- 'USAGE'): its own and those of the roles it inherits, so a team role can own models its
-- members share.  The functions run with the caller's rights (none is SECURITY DEFINER but
-- _sync_columns), so these policies hold for every function as for direct SQL.  Members of
-- mixmodel_reader also read every owner's results, read-only.  Superusers and the table
-- owner (the role that created the extension) are not subject to row-level security.
-- A run, score or plan detail row belongs to the owner of its model or plan.

DO $$
DECLARE
    t text;
    reads text := '(SELECT pg_catalog.pg_has_role(''mixmodel_reader'', ''USAGE''))';
BEGIN
    -- definitions and results with an owner column
    FOREACH t IN ARRAY ARRAY['models', 'plans', 'dataset_rules', 'touchpoints', 'conversions', 'merge_preferences',
                             'sync_state', 'harmonized_source', 'harmonized'] LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY owner ON mixmodel.%I USING (pg_catalog.pg_has_role(owner, ''USAGE''))', t);
        EXECUTE format('COMMENT ON POLICY owner ON mixmodel.%I IS %L', t,
                       'Rows of the owners whose privileges the role has (itself and the roles it inherits): read and write.');
    END LOOP;
    -- rows of a model or a plan
    FOREACH t IN ARRAY ARRAY['runs', 'run_candidates', 'run_channels', 'run_coefficients', 'run_metrics', 'run_fit',
                             'run_decomposition', 'run_diagnostics', 'scores', 'aggregate_scores', 'schedules',
                             'drift_checks', 'run_draws', 'run_posterior',
                             'run_geos', 'run_geo_channels', 'run_geo_fit', 'run_geo_contributions'] LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY owner ON mixmodel.%I USING (model OPERATOR(pg_catalog.=) ANY (ARRAY(
                            SELECT m.name FROM mixmodel.models m WHERE pg_catalog.pg_has_role(m.owner, ''USAGE''))))', t);
        EXECUTE format('COMMENT ON POLICY owner ON mixmodel.%I IS %L', t,
                       'Rows of the models the role may change (models.owner): read and write.');
    END LOOP;
    FOREACH t IN ARRAY ARRAY['plan_flights', 'plan_constraints', 'plan_allocations', 'plan_summary', 'plan_model_summary'] LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY owner ON mixmodel.%I USING (plan OPERATOR(pg_catalog.=) ANY (ARRAY(
                            SELECT p.name FROM mixmodel.plans p WHERE pg_catalog.pg_has_role(p.owner, ''USAGE''))))', t);
        EXECUTE format('COMMENT ON POLICY owner ON mixmodel.%I IS %L', t,
                       'Rows of the plans the role may change (plans.owner): read and write.');
    END LOOP;
    -- what the result views read: every owner's rows, for readers
    FOREACH t IN ARRAY ARRAY['models', 'runs', 'run_candidates', 'run_channels', 'run_coefficients', 'run_metrics',
                             'run_fit', 'run_decomposition', 'run_diagnostics', 'scores', 'aggregate_scores',
                             'plans', 'plan_flights', 'plan_constraints', 'plan_allocations', 'plan_summary',
                             'plan_model_summary', 'touchpoints', 'conversions', 'harmonized', 'schedules',
                             'drift_checks', 'run_draws', 'run_posterior',
                             'run_geos', 'run_geo_channels', 'run_geo_fit', 'run_geo_contributions'] LOOP
        EXECUTE format('CREATE POLICY reader ON mixmodel.%I FOR SELECT USING (%s)', t, reads);
        EXECUTE format('COMMENT ON POLICY reader ON mixmodel.%I IS %L', t,
                       'Members of mixmodel_reader read every owner''s rows (the result views read them).');
    END LOOP;
END $$;

-- fields: the global ones are everyone's; a custom field belongs to its owner_role (its
-- column exists for all, filled only for that owner's rows)
ALTER TABLE mixmodel.fields ENABLE ROW LEVEL SECURITY;
CREATE POLICY global ON mixmodel.fields FOR SELECT USING (owner OPERATOR(pg_catalog.=) 'global');
COMMENT ON POLICY global ON mixmodel.fields IS 'Every role reads the global fields.';
CREATE POLICY owner ON mixmodel.fields
    USING (owner OPERATOR(pg_catalog.=) 'client' AND pg_catalog.pg_has_role(owner_role, 'USAGE'));
COMMENT ON POLICY owner ON mixmodel.fields IS 'Custom fields of the owners whose privileges the role has: read and write.';
CREATE POLICY reader ON mixmodel.fields FOR SELECT USING ((SELECT pg_catalog.pg_has_role('mixmodel_reader', 'USAGE')));
COMMENT ON POLICY reader ON mixmodel.fields IS 'Members of mixmodel_reader read every custom field (rules in result views name them).';

-- the audit log: a role reads the entries it wrote and writes entries only as itself
ALTER TABLE mixmodel.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_entries ON mixmodel.audit_log FOR SELECT USING (who OPERATOR(pg_catalog.=) CURRENT_USER);
COMMENT ON POLICY own_entries ON mixmodel.audit_log IS 'A role reads the entries written as itself.';
CREATE POLICY append_as_self ON mixmodel.audit_log FOR INSERT
    WITH CHECK (session_who OPERATOR(pg_catalog.=) SESSION_USER
                AND (who OPERATOR(pg_catalog.=) CURRENT_USER OR pg_catalog.pg_has_role(SESSION_USER, who, 'MEMBER')));
COMMENT ON POLICY append_as_self ON mixmodel.audit_log IS 'Entries are appended as the session user and the current user (or a role the session user may become: a failed training''s entry is written by a worker connected as the session user); none is changed or deleted.';

-- what each group role may do; row-level security narrows it to rows
GRANT SELECT, INSERT, UPDATE, DELETE ON
    mixmodel.models, mixmodel.runs, mixmodel.run_candidates, mixmodel.run_channels, mixmodel.run_coefficients,
    mixmodel.run_metrics, mixmodel.run_fit, mixmodel.run_decomposition, mixmodel.run_diagnostics,
    mixmodel.scores, mixmodel.aggregate_scores,
    mixmodel.plans, mixmodel.plan_flights, mixmodel.plan_constraints, mixmodel.plan_allocations,
    mixmodel.plan_summary, mixmodel.plan_model_summary,
    mixmodel.fields, mixmodel.dataset_rules, mixmodel.merge_preferences, mixmodel.touchpoints, mixmodel.conversions,
    mixmodel.harmonized_source, mixmodel.harmonized, mixmodel.sync_state, mixmodel.schedules, mixmodel.drift_checks,
    mixmodel.run_draws, mixmodel.run_posterior,
    mixmodel.run_geos, mixmodel.run_geo_channels, mixmodel.run_geo_fit, mixmodel.run_geo_contributions
    TO mixmodel_analyst;
GRANT SELECT, INSERT ON mixmodel.audit_log TO mixmodel_analyst;
GRANT USAGE, SELECT ON SEQUENCE mixmodel.merge_preferences_id_seq, mixmodel.audit_log_id_seq, mixmodel.drift_checks_id_seq
    TO mixmodel_analyst;
GRANT SELECT ON mixmodel.dataset_mappings TO mixmodel_analyst;
GRANT SELECT ON
    mixmodel.model_metrics, mixmodel.model_fit, mixmodel.channel_performance, mixmodel.response_curves,
    mixmodel.adstock_curves, mixmodel.contributions, mixmodel.synergy, mixmodel.base_breakdown,
    mixmodel.touchpoint_breakdown, mixmodel.plan_actuals, mixmodel.model_status, mixmodel.model_drift,
    mixmodel.model_posterior, mixmodel.geo_channel_performance, mixmodel.geo_fit, mixmodel.geo_metrics,
    mixmodel.geo_contributions
    TO mixmodel_analyst, mixmodel_reader;
-- the result views run with the reader's rights (security_invoker), and the functions
-- inside them (response curves, revenue per conversion) read these tables
GRANT SELECT ON
    mixmodel.models, mixmodel.runs, mixmodel.run_candidates, mixmodel.run_channels, mixmodel.run_coefficients,
    mixmodel.run_metrics, mixmodel.run_fit, mixmodel.run_decomposition, mixmodel.run_diagnostics,
    mixmodel.scores, mixmodel.aggregate_scores,
    mixmodel.plans, mixmodel.plan_flights, mixmodel.plan_constraints, mixmodel.plan_allocations,
    mixmodel.plan_summary, mixmodel.plan_model_summary,
    mixmodel.fields, mixmodel.touchpoints, mixmodel.conversions, mixmodel.harmonized, mixmodel.schedules,
    mixmodel.drift_checks, mixmodel.audit_log, mixmodel.run_draws, mixmodel.run_posterior,
    mixmodel.run_geos, mixmodel.run_geo_channels, mixmodel.run_geo_fit, mixmodel.run_geo_contributions
    TO mixmodel_reader;

-- _sync_columns adds and drops the columns of custom fields, which only the tables' owner
-- may: it is the one SECURITY DEFINER function (no arguments, search_path pinned, names
-- from mixmodel.fields checked by its CHECK constraint and quoted)
ALTER FUNCTION mixmodel._sync_columns() SECURITY DEFINER;
REVOKE EXECUTE ON FUNCTION mixmodel._sync_columns() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mixmodel._sync_columns() TO mixmodel_analyst;
