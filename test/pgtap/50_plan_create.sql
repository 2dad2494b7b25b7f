-- pgTAP: create_plan stage objects, labels, config dump, comments and error SQLSTATEs (doc/plan.md)
BEGIN;
SELECT plan(27);

SELECT has_table('mixmodel', t, t || ' exists')
  FROM unnest(ARRAY['plans', 'plan_flights', 'plan_constraints', 'plan_allocations', 'plan_summary', 'plan_model_summary']) t;
SELECT has_view('mixmodel', 'plan_actuals', 'plan_actuals exists');
SELECT ok((SELECT count(*) = 6 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'mixmodel' AND c::regclass::text IN ('mixmodel.plans', 'mixmodel.plan_flights',
                'mixmodel.plan_constraints', 'mixmodel.plan_allocations', 'mixmodel.plan_summary',
                'mixmodel.plan_model_summary')),
          'plan tables are registered with pg_extension_config_dump');
SELECT ok((SELECT bool_and(col_description(c.oid, a.attnum) IS NOT NULL)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'mixmodel' AND c.relname IN ('plans', 'plan_flights', 'plan_constraints',
                  'plan_allocations', 'plan_summary', 'plan_model_summary', 'plan_actuals')),
          'every plan table and view column has a COMMENT');
SELECT volatility_is('mixmodel', 'create_plan',
                     ARRAY['text', 'text', 'text', 'jsonb', 'text', 'double precision', 'jsonb', 'text', 'double precision', 'jsonb', 'boolean', 'jsonb'],
                     'volatile', 'create_plan is VOLATILE');
SELECT volatility_is('mixmodel', 'duplicate_plan', ARRAY['text', 'text', 'text'], 'volatile', 'duplicate_plan is VOLATILE');
SELECT volatility_is('mixmodel', 'compare_plans', ARRAY['text', 'text'], 'stable', 'compare_plans is STABLE');
SELECT volatility_is('mixmodel', 'compare_plan_models', ARRAY['text', 'text'], 'stable', 'compare_plan_models is STABLE');
SELECT ok(obj_description(p.oid, 'pg_proc') IS NOT NULL, p.proname || ' has a COMMENT')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'mixmodel' AND p.proname IN ('create_plan', 'compare_plans', 'compare_plan_models', 'duplicate_plan', '_plan_core', '_plan_actuals', '_check_plans')
 ORDER BY p.proname;

SELECT throws_ok($$SELECT mixmodel.create_plan('e', 'no_such_model', flights => '[{"from": "2030-01-01", "to": "2030-03-31", "budget": 1}]')$$,
                 '42704', NULL, 'unknown model: 42704');
SELECT throws_ok($$SELECT mixmodel.create_plan('e', 'm', flights => NULL)$$, '22004', NULL, 'NULL flights: 22004');
SELECT throws_ok($$SELECT mixmodel.create_plan('e', 'no_such_model', models => '{"other": 1}',
                     flights => '[{"from": "2030-01-01", "to": "2030-03-31", "budget": 1}]')$$,
                 '42704', NULL, 'unknown model with models: 42704');
SELECT throws_ok($$SELECT mixmodel.compare_plans('no_such_plan', 'other')$$, '42704', NULL, 'unknown plan: 42704');
SELECT throws_ok($$SELECT mixmodel.compare_plan_models('no_such_plan', 'other')$$, '42704', NULL, 'compare_plan_models, unknown plan: 42704');
SELECT throws_ok($$SELECT mixmodel.duplicate_plan('no_such_plan', 'other')$$, '42704', NULL, 'duplicate of an unknown plan: 42704');
SELECT throws_ok($$SELECT mixmodel._plan_core(ARRAY['geometric'], ARRAY[0.5], ARRAY[0], ARRAY[2], ARRAY[false],
                     ARRAY['hill'], ARRAY[1.0], ARRAY[1.0], ARRAY[1.0], ARRAY[1.0], ARRAY[1.0, 1.0], 4,
                     ARRAY[0], ARRAY[4], ARRAY[10.0], ARRAY[20.0], ARRAY[5.0], NULL, 'budget', NULL, NULL)$$,
                 '22023', NULL, 'core: minimums above the budget: 22023');

SELECT * FROM finish();
ROLLBACK;
