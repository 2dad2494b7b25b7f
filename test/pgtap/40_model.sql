-- pgTAP: model stage objects, labels and error SQLSTATEs (doc/model.md)
BEGIN;
SELECT plan(26);

SELECT has_table('mixmodel', t, t || ' exists')
  FROM unnest(ARRAY['models', 'runs', 'run_candidates', 'run_channels', 'run_coefficients', 'run_metrics',
                    'run_fit', 'run_decomposition', 'run_diagnostics']) t;
SELECT volatility_is('mixmodel', 'train', ARRAY['text', 'bigint', 'integer', 'date', 'date'], 'volatile', 'train is VOLATILE');
SELECT volatility_is('mixmodel', 'create_model', ARRAY['text', 'regclass', 'name', 'name', 'text[]', 'text[]', 'text[]', 'jsonb'],
                     'volatile', 'create_model (wide) is VOLATILE');
SELECT volatility_is('mixmodel', 'select_candidate', ARRAY['text', 'integer', 'integer'], 'volatile', 'select_candidate is VOLATILE');
SELECT ok((SELECT count(*) = 9 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'mixmodel' AND c::regclass::text IN ('mixmodel.models', 'mixmodel.runs', 'mixmodel.run_candidates',
                'mixmodel.run_channels', 'mixmodel.run_coefficients', 'mixmodel.run_metrics', 'mixmodel.run_fit',
                'mixmodel.run_decomposition', 'mixmodel.run_diagnostics')),
          'model tables are registered with pg_extension_config_dump');

CREATE TABLE pg_temp.w AS
SELECT d::date AS week, 1000 + 50 * sin(i / 8.0) + 20 * (i % 3) AS revenue,
       100 + 90 * ((i / 5) % 2) AS tv, 50 + 10 * cos(i / 3.0) AS search, 0::float8 AS dead
  FROM generate_series(0, 79) i, LATERAL (SELECT '2024-01-01'::date + 7 * i AS d) x;

SELECT throws_ok($$SELECT mixmodel.create_model(NULL, source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv'])$$,
                 '22004', NULL, 'NULL name: 22004');
SELECT throws_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['radio'])$$,
                 '42703', NULL, 'unknown media column: 42703');
SELECT throws_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv'], options => '{"bogus": 1}')$$,
                 '22023', 'unknown model option "bogus"', 'unknown option: 22023 naming it');
SELECT throws_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv'], options => '{"seasonality": 11}')$$,
                 '22023', NULL, 'seasonality out of range: 22023');
SELECT throws_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => '{}')$$,
                 '2202E', NULL, 'no media: 2202E');
SELECT lives_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv', 'search'], options => '{"inference": "ridge", "candidates": 40}')$$,
                'a valid model is created');
SELECT throws_ok($$SELECT mixmodel.create_model('t1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv'])$$,
                 '23505', NULL, 'duplicate model name: 23505');
SELECT throws_ok($$SELECT * FROM mixmodel.train('no_such_model')$$, '42704', NULL, 'unknown model: 42704');
SELECT is((SELECT count(*)::int FROM mixmodel.train('t1')), 2, 'train returns the train and test rows');
SELECT lives_ok($$SELECT mixmodel.create_model('t2', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv', 'dead'])$$,
                'a model with an all-zero channel is created');
SELECT throws_ok($$SELECT * FROM mixmodel.train('t2')$$, '22000', 'channel "dead" is all zero in the training window',
                 'all-zero channel: 22000');
SELECT lives_ok($$SELECT mixmodel.create_model('t3', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv'], options => '{"training_window": {"from": "2024-01-01", "to": "2024-04-01"}}')$$,
                'a model with a short window is created');
SELECT throws_ok($$SELECT * FROM mixmodel.train('t3')$$, '22023', 'the training window of model "t3" must cover at least one year',
                 'a window under a year: 22023 (one rule for every way of giving it)');

SELECT * FROM finish();
ROLLBACK;
