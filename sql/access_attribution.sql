-- access: attributions and experiments belong to their owner (doc/access.md).  Two analysts
-- and a dashboard role, none of them superuser, each in a session of its own (SET SESSION
-- AUTHORIZATION: the session's user is the role, as when it logs in).  Alice runs a real
-- attribution and a real experiment analysis; Bob sees none of their rows (definitions,
-- runs, event scores, channel summaries, paths, touchpoints, experiments and their results),
-- changes none, cannot run, reconcile or drop them, nor reuse their names or Alice's
-- definitions, nor reach an event-score partition directly; his own attribution and
-- experiment live beside hers.  The reader reads both owners' rows and changes nothing.  In
-- one transaction, rolled back.
SET client_min_messages = warning;
\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
BEGIN;
CREATE ROLE mm_alice IN ROLE mixmodel_analyst;
CREATE ROLE mm_bob IN ROLE mixmodel_analyst;
CREATE ROLE mm_dash IN ROLE mixmodel_reader;
SELECT current_database() AS db \gset
GRANT CREATE ON DATABASE :"db" TO mm_alice, mm_bob;
-- a statement's outcome, with the partition's number (the attributions' identity) left out
CREATE FUNCTION public.acx_try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'done';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, 'event_scores_[0-9]+', 'event_scores_N');
END $$;

-- alice: journeys and a holdout study, an attribution run and an experiment
SET SESSION AUTHORIZATION mm_alice;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('acx_a', seed => 5, weeks => 53, events => 1500,
       channels => ARRAY['search', 'social'], options => '{"journeys": true, "profiles": 200}');
CREATE TABLE acx_a.ev AS
SELECT event_id, profile_id, event_ts, channel, conversion_type AS conversiontype, revenue FROM acx_a.events;
SELECT mixmodel.add_touchpoint('acx_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('acx_social', rule => 'channel = social', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_conversion('acx_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_attribution('acx_attr', 'acx_a.ev', 'acx_online', person_column => 'profile_id',
       time_column => 'event_ts', touchpoints => ARRAY['acx_search', 'acx_social'], lookback => '28 days',
       options => '{"analytics": true}');
SELECT model, count(*) AS channels, round(sum(conversions)) AS conversions FROM mixmodel.attribute('acx_attr')
 GROUP BY model ORDER BY model;
SELECT mixmodel.create_experiment('acx_exp', 'acx_a.experiment_assignments', 'treatment', 'holdout',
       conversion_column => 'converted', value_column => 'revenue', time_column => 'assigned_at',
       filter => '{"experiment": "search_holdout"}');
SELECT metric, arm, units, round(total::numeric, 2) AS total FROM mixmodel.experiment_results WHERE experiment = 'acx_exp' ORDER BY metric, arm;
SELECT name, owner, current_run FROM mixmodel.attributions;
SELECT name, owner FROM mixmodel.experiments;
SELECT (SELECT count(*) FROM mixmodel.attribution_runs) AS runs, (SELECT count(*) FROM mixmodel.event_scores) > 0 AS scores,
       (SELECT count(*) FROM mixmodel.attribution_channels) > 0 AS channels, (SELECT count(*) FROM mixmodel.attribution_paths) > 0 AS paths,
       (SELECT count(*) FROM mixmodel.attribution_touchpoints) AS touchpoints,
       (SELECT count(*) FROM mixmodel.attribution_summary) > 0 AS summary_view;
SELECT count(*) AS alice_scores FROM mixmodel.event_scores \gset
SELECT count(*) AS alice_channels FROM mixmodel.attribution_channels \gset
RESET SESSION AUTHORIZATION;
-- the run's partition belongs to the tables' owner and grants nothing
SELECT format('mixmodel.event_scores_%s', id) AS part FROM mixmodel.attributions WHERE name = 'acx_attr' \gset
SELECT c.relowner = (SELECT relowner FROM pg_class WHERE oid = 'mixmodel.event_scores'::regclass) AS owned_by_tables_owner,
       c.relacl IS NULL OR NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) x WHERE x.grantee <> c.relowner) AS grants_nothing
  FROM pg_class c WHERE c.oid = :'part'::regclass;

-- bob sees none of it
SET SESSION AUTHORIZATION mm_bob;
SELECT (SELECT count(*) FROM mixmodel.attributions) AS attributions, (SELECT count(*) FROM mixmodel.attribution_runs) AS runs,
       (SELECT count(*) FROM mixmodel.event_scores) AS scores, (SELECT count(*) FROM mixmodel.attribution_channels) AS channels,
       (SELECT count(*) FROM mixmodel.attribution_paths) AS paths, (SELECT count(*) FROM mixmodel.attribution_touchpoints) AS touchpoints,
       (SELECT count(*) FROM mixmodel.attribution_scaling) AS scaling;
SELECT (SELECT count(*) FROM mixmodel.attribution_summary) AS summary, (SELECT count(*) FROM mixmodel.attribution_top_paths) AS top_paths,
       (SELECT count(*) FROM mixmodel.attribution_positions) AS positions,
       (SELECT count(*) FROM mixmodel.touchpoint_effectiveness) AS effectiveness,
       (SELECT count(*) FROM mixmodel.experiments) AS experiments, (SELECT count(*) FROM mixmodel.experiment_results) AS results,
       (SELECT count(*) FROM mixmodel.experiment_daily) AS daily, (SELECT count(*) FROM mixmodel.bandit_weights) AS bandit;
-- nor the partition itself
SELECT public.acx_try(format('SELECT count(*) FROM %s', :'part')) AS read_partition,
       public.acx_try(format('DELETE FROM %s', :'part')) AS delete_partition,
       public.acx_try(format('TRUNCATE %s', :'part')) AS truncate_partition,
       public.acx_try(format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', :'part')) AS alter_partition;
-- and changes none of it
UPDATE mixmodel.attributions SET lookback = '7 days' WHERE name = 'acx_attr';
UPDATE mixmodel.experiments SET control = 'exposed' WHERE name = 'acx_exp';
DELETE FROM mixmodel.event_scores WHERE attribution = 'acx_attr';
DELETE FROM mixmodel.attribution_runs WHERE attribution = 'acx_attr';
DELETE FROM mixmodel.attribution_channels;
DELETE FROM mixmodel.experiments;
INSERT INTO mixmodel.attribution_channels VALUES ('acx_attr', 1, 'last_touch', 'acx_search', 1, 1, 1, 0, 0, 1);
INSERT INTO mixmodel.event_scores (attribution, run, model, conversion_id, conversion_time, person, channel, position, path_length, credit)
VALUES ('acx_attr', 1, 'last_touch', 1, now(), 'p', 'acx_search', 'closer', 1, 1);
INSERT INTO mixmodel.experiments (name, source, arm_column, control, owner)
VALUES ('bob_as_alice', 'mixmodel.models', 'name', 'x', 'mm_alice');
-- cannot run, reconcile, drop or reach the partition of alice's attribution
SELECT * FROM mixmodel.attribute('acx_attr');
SELECT * FROM mixmodel.reconcile_attribution('acx_attr', 'acx_model');
SELECT * FROM mixmodel.attribution_priors('acx_attr', 'acx_model');
SELECT mixmodel.drop_attribution('acx_attr');
SELECT mixmodel._event_scores_partition('acx_attr', 'truncate');
SELECT mixmodel._event_scores_partition('acx_attr', 'drop');
-- nor analyse, redefine or drop alice's experiment
SELECT * FROM mixmodel._experiment_results(text 'acx_exp');
SELECT * FROM mixmodel.bandit_weights WHERE experiment = 'acx_exp';
SELECT mixmodel.drop_experiment('acx_exp');
-- his own data, beside alice's
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('acx_b', seed => 6, weeks => 53, events => 1000,
       channels => ARRAY['search'], options => '{"journeys": true, "profiles": 150}');
CREATE TABLE acx_b.ev AS
SELECT event_id, profile_id, event_ts, channel, conversion_type AS conversiontype, revenue FROM acx_b.events;
-- alice's definitions are not his to attribute with
SELECT mixmodel.create_attribution('bob_attr', 'acx_b.ev', 'acx_online', person_column => 'profile_id', time_column => 'event_ts',
       touchpoints => ARRAY['acx_search']);
SELECT mixmodel.add_touchpoint('bob_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_conversion('bob_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_attribution('bob_attr', 'acx_b.ev', 'bob_online', person_column => 'profile_id', time_column => 'event_ts',
       touchpoints => ARRAY['bob_search', 'acx_social']);
-- alice's names are taken, and say so without showing her rows
SELECT mixmodel.create_attribution('acx_attr', 'acx_b.ev', 'bob_online', person_column => 'profile_id', time_column => 'event_ts',
       touchpoints => ARRAY['bob_search']);
SELECT mixmodel.create_experiment('acx_exp', 'acx_b.experiment_assignments', 'treatment', 'holdout', conversion_column => 'converted');
SELECT mixmodel.create_experiment('acx_exp', 'acx_b.experiment_assignments', 'treatment', 'holdout', conversion_column => 'converted',
       replace => true);
-- nor her event table and assignments
SELECT mixmodel.create_attribution('bob_attr', 'acx_a.ev', 'bob_online', person_column => 'profile_id', time_column => 'event_ts');
SELECT count(*) FROM mixmodel.analyze_experiment('acx_a.experiment_assignments', 'treatment', 'holdout', conversion_column => 'converted');
-- his own run and experiment
SELECT mixmodel.create_attribution('bob_attr', 'acx_b.ev', 'bob_online', person_column => 'profile_id', time_column => 'event_ts',
       touchpoints => ARRAY['bob_search'], models => ARRAY['last_touch', 'linear']);
SELECT model, count(*) AS channels FROM mixmodel.attribute('bob_attr') GROUP BY model ORDER BY model;
SELECT mixmodel.create_experiment('bob_exp', 'acx_b.experiment_assignments', 'treatment', 'holdout', conversion_column => 'converted');
SELECT (SELECT string_agg(name || ' ' || owner::text, ', ') FROM mixmodel.attributions) AS attributions,
       (SELECT string_agg(DISTINCT attribution, ', ') FROM mixmodel.event_scores) AS scored,
       (SELECT string_agg(DISTINCT attribution, ', ') FROM mixmodel.attribution_summary) AS summary,
       (SELECT string_agg(name || ' ' || owner::text, ', ') FROM mixmodel.experiments) AS experiments,
       (SELECT string_agg(DISTINCT experiment, ', ') FROM mixmodel.experiment_results) AS results;
RESET SESSION AUTHORIZATION;

-- alice's rows are as she left them
SET SESSION AUTHORIZATION mm_alice;
SELECT (SELECT count(*) FROM mixmodel.event_scores) = :alice_scores AS scores_kept,
       (SELECT count(*) FROM mixmodel.attribution_channels) = :alice_channels AS channels_kept,
       (SELECT string_agg(name || ' ' || lookback, ', ') FROM mixmodel.attributions) AS attributions,
       (SELECT string_agg(name || ' ' || control, ', ') FROM mixmodel.experiments) AS experiments;
RESET SESSION AUTHORIZATION;

-- the dashboard reads both owners' attributions; an experiment's results only from a source it may read
SET SESSION AUTHORIZATION mm_dash;
SELECT attribution, count(*) > 0 AS runs FROM mixmodel.attribution_runs GROUP BY 1 ORDER BY 1;
SELECT attribution, count(*) > 0 AS scores FROM mixmodel.event_scores GROUP BY 1 ORDER BY 1;
SELECT attribution, count(*) > 0 AS summary FROM mixmodel.attribution_summary GROUP BY 1 ORDER BY 1;
SELECT (SELECT count(*) FROM mixmodel.attribution_top_paths WHERE attribution = 'acx_attr') > 0 AS top_paths,
       (SELECT count(*) FROM mixmodel.touchpoint_effectiveness WHERE attribution = 'acx_attr') > 0 AS effectiveness,
       (SELECT string_agg(name, ', ' ORDER BY name) FROM mixmodel.experiments) AS experiments,
       (SELECT count(*) FROM mixmodel.experiment_results) AS results_unreadable_sources;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION mm_alice;
GRANT USAGE ON SCHEMA acx_a TO mm_dash;
GRANT SELECT ON acx_a.experiment_assignments TO mm_dash;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION mm_dash;
SELECT experiment, metric, arm, units, round(total::numeric, 2) AS total FROM mixmodel.experiment_results ORDER BY 1, 2, 3;
SELECT count(*) > 0 AS daily FROM mixmodel.experiment_daily WHERE experiment = 'acx_exp';
-- and changes nothing
UPDATE mixmodel.attributions SET lookback = '7 days';
DELETE FROM mixmodel.event_scores;
DELETE FROM mixmodel.experiments;
SELECT public.acx_try(format('SELECT count(*) FROM %s', :'part')) AS read_partition;
SELECT * FROM mixmodel.attribute('acx_attr');
SELECT mixmodel.create_experiment('dash_exp', 'acx_a.experiment_assignments', 'treatment', 'holdout', conversion_column => 'converted');
SELECT mixmodel.drop_experiment('acx_exp');
SELECT mixmodel._event_scores_partition('acx_attr', 'truncate');
RESET SESSION AUTHORIZATION;

-- alice drops hers: the partition goes with it
SET SESSION AUTHORIZATION mm_alice;
SELECT mixmodel.drop_attribution('acx_attr'), mixmodel.drop_experiment('acx_exp');
SELECT (SELECT count(*) FROM mixmodel.attributions) AS attributions, (SELECT count(*) FROM mixmodel.event_scores) AS scores,
       (SELECT count(*) FROM mixmodel.experiments) AS experiments;
RESET SESSION AUTHORIZATION;
SELECT to_regclass(:'part') IS NULL AS partition_dropped,
       (SELECT string_agg(name || ' ' || owner::text, ', ') FROM mixmodel.attributions) AS left_attributions;
ROLLBACK;
