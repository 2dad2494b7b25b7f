-- model and plan lifecycle (doc/operations.md): the status list, failures recorded across a
-- rollback, description, rename, duplicate (with a run), delete_run, drop_model over plans
-- (RESTRICT / CASCADE), drop_plan, rename_plan, and their audit entries
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('ml', seed => 3, weeks => 120, events => 1000,
       channels => ARRAY['tv', 'search']);
SELECT max(week) AS last_week FROM ml.weekly_wide;
SELECT mixmodel.create_model('ml_a', source => 'ml.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 50}');
-- lag + max lookback 52 weeks exceeds the 2-year window / 8: training fails with 22023
SELECT mixmodel.create_model('ml_bad', source => 'ml.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 50, "lookback": 52}');
SELECT model, status, current_run, runs, failure_sqlstate FROM mixmodel.model_status WHERE model LIKE 'ml%' ORDER BY model;

SELECT count(*) AS metric_rows FROM mixmodel.train('ml_a', seed => 1);
\set VERBOSITY terse
-- a failed training in a transaction that is rolled back: the failure is still recorded
BEGIN;
SELECT count(*) FROM mixmodel.train('ml_bad');
ROLLBACK;
-- a failed retraining of a trained model: failed, the run in use stays
SELECT count(*) FROM mixmodel.train('ml_a', from_date => '2024-06-03', to_date => '2024-12-30');
\set VERBOSITY default
SELECT model, status, current_run, runs, failure_sqlstate, failure_message,
       last_attempt_at IS NOT NULL AS attempted, trained_at IS NOT NULL AS trained
  FROM mixmodel.model_status WHERE model LIKE 'ml%' ORDER BY model;
-- a successful retraining clears the failure
SELECT count(*) AS metric_rows FROM mixmodel.train('ml_a', seed => 2);
SELECT model, status, current_run, runs, failure_sqlstate FROM mixmodel.model_status WHERE model = 'ml_a';

-- description
SELECT mixmodel.set_model_description('ml_a', 'TV and search, weekly revenue');
SELECT model, description, conversion, source_kind FROM mixmodel.model_status WHERE model = 'ml_a';

-- plans on the model: one built on it, one weighing it beside another model
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('ml_p1', 'ml_a',
       flights => '[{"from": "2025-04-21", "to": "2025-06-29", "budget": 5000}]');
SELECT mixmodel.duplicate_model('ml_a', 'ml_b', run => 2);
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('ml_p2', 'ml_a',
       flights => '[{"from": "2025-04-21", "to": "2025-06-29", "budget": 5000}]', models => '{"ml_b": 0.5}');

-- duplicate_model: definition and options, and run 2 as run 1 of the copy with every result
SELECT m.name, m.source_kind, m.definition = a.definition AND m.options = a.options AS same_definition,
       m.description, m.current_run, m.id <> a.id AS new_id
  FROM mixmodel.models m, mixmodel.models a WHERE m.name = 'ml_b' AND a.name = 'ml_a';
SELECT t.tab, count(*) FILTER (WHERE t.model = 'ml_a') AS source_rows, count(*) FILTER (WHERE t.model = 'ml_b') AS copy_rows
  FROM (SELECT 'run_channels' AS tab, model FROM mixmodel.run_channels WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_coefficients', model FROM mixmodel.run_coefficients WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_fit', model FROM mixmodel.run_fit WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_candidates', model FROM mixmodel.run_candidates WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_decomposition', model FROM mixmodel.run_decomposition WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_metrics', model FROM mixmodel.run_metrics WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))
        UNION ALL SELECT 'run_diagnostics', model FROM mixmodel.run_diagnostics WHERE (model, run) IN (('ml_a', 2), ('ml_b', 1))) t
 GROUP BY t.tab ORDER BY t.tab;
SELECT count(*) AS differing_coefficients
  FROM mixmodel.run_coefficients a FULL JOIN mixmodel.run_coefficients b ON b.model = 'ml_b' AND b.run = 1 AND b.term = a.term
 WHERE a.model = 'ml_a' AND a.run = 2 AND a.coef IS DISTINCT FROM b.coef;
SELECT r.run, r.seed, r.from_date, r.to_date FROM mixmodel.runs r WHERE r.model = 'ml_b';
-- the copy scores like its source
SELECT count(*) AS terms FROM mixmodel.score('ml_b', '2025-01-06', '2025-04-14');
SELECT count(*) AS terms FROM mixmodel.score('ml_a', '2025-01-06', '2025-04-14');
SELECT count(*) AS differing_scores
  FROM mixmodel.scores a JOIN mixmodel.scores b ON b.model = 'ml_b' AND b.period = a.period AND b.term = a.term
 WHERE a.model = 'ml_a' AND a.run = 2 AND a.contribution IS DISTINCT FROM b.contribution;
-- without a run: never trained
SELECT mixmodel.duplicate_model('ml_a', 'ml_c');
SELECT model, status, current_run, runs, description FROM mixmodel.model_status WHERE model = 'ml_c';

-- drop_model refuses while plans use the model (built on it or weighing it) ...
\set VERBOSITY default
SELECT mixmodel.drop_model('ml_b');
SELECT mixmodel.drop_model('ml_a');
\set VERBOSITY terse
-- ... and a plain DELETE cannot take plans away either
DELETE FROM mixmodel.models WHERE name = 'ml_a';

-- rename_model: runs, scores, plans (and their model weights) and the status follow
SELECT mixmodel.rename_model('ml_b', 'ml_second');
SELECT name, model, arguments->'models' AS models FROM mixmodel.plans WHERE name LIKE 'ml%' ORDER BY name;
SELECT DISTINCT model FROM mixmodel.plan_model_summary WHERE plan = 'ml_p2' ORDER BY 1;
SELECT count(*) AS scores_of_renamed FROM mixmodel.scores WHERE model = 'ml_second';
SELECT mixmodel.rename_model('ml_bad', 'ml_failing');
SELECT model, status, failure_sqlstate FROM mixmodel.model_status WHERE model = 'ml_failing';

-- plans: rename and drop
SELECT mixmodel.rename_plan('ml_p1', 'ml_spring');
SELECT count(*) > 0 AS allocations_follow FROM mixmodel.plan_allocations WHERE plan = 'ml_spring';
SELECT mixmodel.rename_plan('ml_spring', 'ml_p2');
SELECT mixmodel.rename_plan('ml_none', 'ml_x');
SELECT mixmodel.drop_plan('ml_spring');
SELECT count(*) AS rows_left FROM mixmodel.plan_allocations WHERE plan = 'ml_spring';
SELECT mixmodel.drop_plan('ml_spring');

-- drop_model cascade drops the plans that use the model, then its runs and scores
SELECT mixmodel.drop_model('ml_second', cascade => true);
SELECT name FROM mixmodel.plans WHERE name LIKE 'ml%' ORDER BY name;
SELECT count(*) AS runs_left FROM mixmodel.runs WHERE model = 'ml_second';
SELECT count(*) AS scores_left FROM mixmodel.scores WHERE model = 'ml_second';

-- delete_run: not the current run, and not a run plans are built on unless cascade
SELECT mixmodel.delete_run('ml_a', 2);
SELECT mixmodel.delete_run('ml_a', 1);
SELECT run FROM mixmodel.runs WHERE model = 'ml_a' ORDER BY run;
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('ml_p3', 'ml_a',
       flights => '[{"from": "2025-04-21", "to": "2025-06-29", "budget": 4000}]');
SELECT count(*) AS metric_rows FROM mixmodel.train('ml_a', seed => 3);
\set VERBOSITY default
SELECT mixmodel.delete_run('ml_a', 2);
\set VERBOSITY terse
SELECT mixmodel.delete_run('ml_a', 2, cascade => true);
SELECT run FROM mixmodel.runs WHERE model = 'ml_a' ORDER BY run;
SELECT name FROM mixmodel.plans WHERE name LIKE 'ml%' ORDER BY name;

-- bad input, each from a working call
SELECT mixmodel.rename_model('ml_a', 'ml_c');
SELECT mixmodel.rename_model('ml_a', NULL);
SELECT mixmodel.rename_model('ml_a', ' ');
SELECT mixmodel.rename_model('ml_nope', 'ml_z');
SELECT mixmodel.duplicate_model('ml_a', 'ml_z', run => 99);
SELECT mixmodel.duplicate_model('ml_a', 'ml_c');
SELECT mixmodel.delete_run('ml_a', NULL);
SELECT mixmodel.delete_run('ml_a', 99);
SELECT mixmodel.drop_model(NULL);
SELECT mixmodel.drop_model('ml_nope');
SELECT mixmodel.set_model_description('ml_nope', 'x');
SELECT mixmodel.drop_plan(NULL);
SELECT mixmodel.rename_plan('ml_none', NULL);
\set VERBOSITY default

-- the audit log: who, what, arguments, outcome (the failed trainings too)
SELECT action, object_type, object_name, details->>'status' AS status, details->>'sqlstate' AS sqlstate,
       details->>'run' AS run, who = current_user AS by_me
  FROM mixmodel.audit_log WHERE object_type IN ('model', 'plan') AND object_name LIKE 'ml%' ORDER BY id;
-- entries of a model keep its id across the rename
SELECT count(DISTINCT details->>'model_id') AS ids, min(object_name) AS first_name, max(object_name) AS last_name
  FROM mixmodel.audit_log WHERE object_type = 'model' AND object_name IN ('ml_bad', 'ml_failing');

SELECT mixmodel.drop_model(name) FROM mixmodel.models WHERE name LIKE 'ml%' ORDER BY name;
SELECT mixmodel.drop_plan(name) FROM mixmodel.plans WHERE name LIKE 'ml%' ORDER BY name;
DROP SCHEMA ml CASCADE;
