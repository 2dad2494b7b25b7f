-- access: two analysts and a dashboard role, none of them superuser (doc/access.md).
-- Each analyst sees and changes only its own definitions, models, runs and plans, its sync
-- reads only sources it may read, a harmonized model belongs to the owner of its data, and
-- the reader reads every owner's result views and changes nothing.  In one transaction,
-- rolled back, so the roles and the harmonized state of other tests are untouched.
SET client_min_messages = warning;
\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
BEGIN;
CREATE ROLE mm_alice IN ROLE mixmodel_analyst;
CREATE ROLE mm_bob IN ROLE mixmodel_analyst;
CREATE ROLE mm_dash IN ROLE mixmodel_reader;
GRANT CREATE ON SCHEMA public TO mm_alice, mm_bob;
SELECT current_database() AS db \gset
GRANT CREATE ON DATABASE :"db" TO mm_alice, mm_bob;

-- alice: her data, a harmonized model trained and planned
SET ROLE mm_alice;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('acc_a', seed => 5, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search']);
SELECT mixmodel.add_dataset_rule('acc_media', 'acc_a.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('acc_conv', 'acc_a.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('acc_daily', 'acc_a.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT dataset, rows_written > 0 AS written FROM mixmodel.sync() ORDER BY 1;
SELECT mixmodel.add_touchpoint('acc_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('acc_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_conversion('acc_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_model('acc_model', conversion => 'acc_online', touchpoints => ARRAY['acc_tv', 'acc_search'],
       options => '{"inference": "ridge", "candidates": 40}');
SELECT count(*) > 0 AS trained FROM mixmodel.train('acc_model', seed => 1);
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('acc_plan', 'acc_model',
       flights => '[{"from": "2025-03-03", "to": "2025-05-25", "budget": 1000}]');
SELECT owner FROM mixmodel.models WHERE name = 'acc_model';
SELECT count(*) AS alice_harmonized FROM mixmodel.harmonized \gset
RESET ROLE;
SELECT 'acc_a.weekly_media'::regclass::oid AS alice_table \gset

-- bob sees none of it, and cannot change it
SET ROLE mm_bob;
SELECT (SELECT count(*) FROM mixmodel.models) AS models, (SELECT count(*) FROM mixmodel.runs) AS runs,
       (SELECT count(*) FROM mixmodel.run_fit) AS run_fit, (SELECT count(*) FROM mixmodel.plans) AS plans,
       (SELECT count(*) FROM mixmodel.dataset_rules) AS rules, (SELECT count(*) FROM mixmodel.harmonized) AS harmonized,
       (SELECT count(*) FROM mixmodel.touchpoints) AS touchpoints, (SELECT count(*) FROM mixmodel.model_metrics) AS metrics_view,
       (SELECT count(*) FROM mixmodel.channel_performance) AS performance_view;
UPDATE mixmodel.models SET options = '{"candidates": 1}' WHERE name = 'acc_model';
DELETE FROM mixmodel.run_fit WHERE model = 'acc_model';
SELECT * FROM mixmodel.train('acc_model');
SELECT * FROM mixmodel.score('acc_model', '2024-01-01', '2024-03-31');
SELECT mixmodel.delete_touchpoint('acc_tv');
-- a model on alice's conversion: not bob's to see
SELECT mixmodel.create_model('bob_model', conversion => 'acc_online', touchpoints => ARRAY['acc_tv']);
-- a rule written by hand that names alice as its owner: refused
INSERT INTO mixmodel.dataset_rules (name, source, source_name, category, granularity, date_column, mappings, status, owner)
VALUES ('bob_sneak', CAST(:'alice_table' AS oid), 'acc_a.weekly_media', 'summary', 'week', 'week',
        '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}', 'active', 'mm_alice');
-- one in his own name, over alice's table, which bob may not read: his sync refuses it
INSERT INTO mixmodel.dataset_rules (name, source, source_name, category, granularity, date_column, mappings, status)
VALUES ('bob_sneak', CAST(:'alice_table' AS oid), 'acc_a.weekly_media', 'summary', 'week', 'week',
        '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}', 'active');
SELECT * FROM mixmodel.sync();
RESET ROLE;
-- nor does a sync by the extension's owner (a pg_cron refresh, say): the rule's owner may not read it
SELECT dataset, rows_read, status FROM mixmodel.sync() WHERE dataset = 'bob_sneak';
SET ROLE mm_bob;
DELETE FROM mixmodel.dataset_rules WHERE name = 'bob_sneak';
-- bob's own work syncs beside alice's, at its own grain
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('acc_b', seed => 6, weeks => 110, events => 1000,
       channels => ARRAY['search']);
SELECT mixmodel.add_dataset_rule('bob_media', 'acc_b.daily_media', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}') IS NOT NULL AS rule;
SELECT dataset, grain, rows_written > 0 AS written FROM mixmodel.sync();
SELECT DISTINCT date_type, owner FROM mixmodel.harmonized;
RESET ROLE;

-- alice's harmonized rows and model are untouched by bob's sync
SET ROLE mm_alice;
SELECT count(*) = :alice_harmonized AS alice_rows_kept, min(date_type) AS grain FROM mixmodel.harmonized;
SELECT count(*) > 0 AS scored FROM mixmodel.score('acc_model', '2024-01-01', '2024-03-31');
RESET ROLE;

-- the dashboard reads every owner's results and changes nothing
SET ROLE mm_dash;
SELECT (SELECT count(*) FROM mixmodel.model_metrics WHERE model = 'acc_model') > 0 AS reads_metrics,
       (SELECT count(*) FROM mixmodel.channel_performance WHERE model = 'acc_model') AS channels,
       (SELECT count(*) FROM mixmodel.plan_actuals) >= 0 AS reads_plan_actuals,
       (SELECT count(*) FROM mixmodel.model_status WHERE model = 'acc_model') AS status_rows;
UPDATE mixmodel.models SET options = '{}';
DELETE FROM mixmodel.runs;
SELECT * FROM mixmodel.dataset_rules;
RESET ROLE;
ROLLBACK;
