-- harmonize: labels of the entry points, the series interface the model stage
-- relies on, and the SQLSTATE of each error path.
BEGIN;
SELECT plan(33);

SELECT volatility_is('mixmodel', 'sync', ARRAY['text'], 'volatile', 'sync is VOLATILE');
SELECT volatility_is('mixmodel', 'touchpoint_series', ARRAY['text', 'text', 'date', 'date'], 'stable', 'touchpoint_series is STABLE');
SELECT volatility_is('mixmodel', 'evaluate_formula', ARRAY['text', 'jsonb'], 'immutable', 'evaluate_formula is IMMUTABLE');
SELECT function_returns('mixmodel', 'touchpoint_series', ARRAY['text', 'text', 'date', 'date'], 'setof record', 'touchpoint_series returns rows');
SELECT is((SELECT pg_get_function_result('mixmodel.touchpoint_series(text,text,date,date)'::regprocedure)),
          'TABLE(period date, volume double precision, spend double precision)', 'touchpoint_series columns (interface)');
SELECT is((SELECT pg_get_function_result('mixmodel.conversion_series(text,text,date,date)'::regprocedure)),
          'TABLE(period date, conversions double precision, revenue double precision)', 'conversion_series columns (interface)');
SELECT is((SELECT pg_get_function_result('mixmodel.factor_series(text,text,date,date)'::regprocedure)),
          'TABLE(period date, value double precision, value_type text)', 'factor_series columns (interface)');

CREATE TEMP TABLE tap_src (day date, channel text, spend float8, note text, loaded_at timestamptz);
INSERT INTO tap_src VALUES ('2024-01-01', 'tv', 10, 'a', '2024-01-02'), ('2024-01-02', 'tv', 20, 'b', '2024-01-03');
SELECT lives_ok($$SELECT mixmodel.add_dataset_rule('tap', 'tap_src', granularity => 'day', date_column => 'day',
    loaded_at_column => 'loaded_at',
    mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}')$$, 'a valid rule');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('tap', 'tap_src', granularity => 'day', date_column => 'day')$$,
                 '23505', 'dataset rule "tap" already exists', 'duplicate rule name');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('t2', 'tap_src', granularity => 'day', date_column => 'dai',
    mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}')$$,
                 '42703', 'column "dai" of dataset "t2" does not exist', 'unknown column');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('t2', 'tap_src', granularity => 'day', date_column => 'note',
    mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}')$$,
                 '42804', 'column "note" of dataset "t2" has type text', 'type mismatch');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('t2', 'tap_src', granularity => NULL, date_column => 'day')$$,
                 '22004', 'dataset "t2" has no granularity', 'missing granularity');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('t2', 'tap_src', granularity => 'day', date_column => 'day',
    mappings => '{"metrics": {"spend": {"column": "spend"}}}')$$,
                 '22023', 'dataset "t2" has no channel mapping', 'missing channel');
SELECT throws_ok($$SELECT mixmodel.add_dataset_rule('t2', 'tap_src', granularity => 'day', date_column => 'day',
    mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spendd": {"column": "spend"}}}')$$,
                 '42703', 'unknown field "spendd" in dataset "t2"', 'unknown field');
SELECT throws_ok($$SELECT mixmodel.add_field('f1', 'derived', formula => '[spend] / (')$$,
                 '42601', 'syntax error in formula of field "f1"', 'formula syntax error');
SELECT throws_ok($$SELECT mixmodel.add_field('f1', 'derived', formula => '[f1] * 2')$$,
                 '42P17', 'circular reference among derived fields', 'circular derived field');
SELECT throws_ok($$SELECT mixmodel.drop_field('spend')$$, '42809', 'global field "spend" cannot be deleted', 'global field');
SELECT is(mixmodel.evaluate_formula('([a] + 2) * [b] / [c]', '{"a": 1, "b": 4, "c": 3}'), 4.0::float8, 'formula evaluates');
SELECT is(mixmodel.evaluate_formula('[a] / ([b] - 4)', '{"a": 1, "b": 4}'), NULL::float8, 'division by zero is NULL');

SELECT is((SELECT sum(rows_read) FROM mixmodel.sync())::int, 2, 'sync reads both rows');
SELECT is((SELECT spend FROM mixmodel.harmonized WHERE dataset = 'tap' AND period = '2024-01-02'), 20::float8, 'daily value kept');
INSERT INTO tap_src VALUES ('2024-01-01', 'tv', 5, 'late', '2024-01-02 12:00');
SELECT throws_ok($$SELECT * FROM mixmodel.sync('incremental')$$, '22000',
                 'incremental load of dataset "tap" overlaps an earlier load', 'overlapping incremental load');
DELETE FROM tap_src WHERE note = 'late';
INSERT INTO tap_src VALUES ('2024-01-03', 'tv', 30, 'c', '2024-01-04');
SELECT is((SELECT status FROM mixmodel.sync('incremental')), 'ok: 1 new rows, periods 2024-01-03 .. 2024-01-03', 'incremental sync of one new row');
INSERT INTO tap_src VALUES (NULL, 'tv', 1, 'no date', '2024-01-05');
SELECT throws_ok($$SELECT * FROM mixmodel.sync()$$, '23502', 'dataset "tap" has a row without a date', 'missing date');
SELECT is((SELECT count(*) FROM mixmodel.harmonized WHERE dataset = 'tap')::int, 3, 'failed sync kept the harmonized rows');
SELECT throws_ok($$SELECT * FROM mixmodel.touchpoint_series('none')$$, '42704', 'touchpoint "none" does not exist', 'unknown touchpoint');
SELECT throws_ok($$SELECT * FROM mixmodel.sync('partial')$$, '22023', 'invalid sync mode "partial"', 'bad sync mode');

-- custom dimension (datetime) and metric fields become columns and can be mapped
DELETE FROM tap_src WHERE day IS NULL;
SELECT lives_ok($$SELECT mixmodel.add_field('loaded', 'dimension', data_type => 'datetime'),
                         mixmodel.add_field('video_views', 'metric')$$, 'custom fields');
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = 'mixmodel.harmonized'::regclass AND attname = 'loaded'),
          'timestamp with time zone', 'a datetime dimension is a timestamptz column');
SELECT lives_ok($$SELECT mixmodel.update_dataset_rule('tap', mappings =>
    '{"dimensions": {"channel": "channel", "loaded": "loaded_at"},
      "metrics": {"spend": {"column": "spend"}, "video_views": {"op": "count"}}}')$$, 'rule maps the custom fields');
SELECT results_eq($$SELECT period, loaded, video_views FROM mixmodel.harmonized WHERE dataset = 'tap'
                     AND period < '2024-01-03' ORDER BY 1$$,
                  $$VALUES ('2024-01-01'::date, '2024-01-02'::timestamptz, 1::float8),
                           ('2024-01-02'::date, '2024-01-03'::timestamptz, 1::float8)$$
                  || ' /* after a sync */', 'custom columns filled by sync')
  FROM (SELECT count(*) FROM mixmodel.sync()) s;
SELECT throws_ok($$SELECT mixmodel.drop_field('video_views')$$, '2BP01',
                 'cannot delete field "video_views" because other objects use it', 'field in use by a rule');

INSERT INTO mixmodel.models (name, source_kind, definition) VALUES ('tap_h', 'harmonized', '{}'), ('tap_w', 'wide', '{}');
SELECT is((SELECT max(models_using) FROM mixmodel.usage_report())::int, 1, 'usage report counts the models built on harmonized data');

SELECT * FROM finish();
ROLLBACK;
