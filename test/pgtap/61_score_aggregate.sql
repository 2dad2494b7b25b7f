-- pgTAP: aggregate scores (Adobe layout) objects, comments and error SQLSTATEs (doc/score.md)
BEGIN;
SELECT plan(14);

SELECT has_table('mixmodel', 'aggregate_scores', 'aggregate_scores exists');
SELECT ok((SELECT count(*) = 1 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'mixmodel' AND c::regclass::text = 'mixmodel.aggregate_scores'),
          'aggregate_scores is registered with pg_extension_config_dump');
SELECT is((SELECT count(*)::int FROM pg_attribute a
            WHERE a.attrelid = 'mixmodel.aggregate_scores'::regclass AND a.attnum > 0 AND NOT a.attisdropped
              AND col_description(a.attrelid, a.attnum) IS NULL), 0,
          'every column of aggregate_scores has a comment');
SELECT volatility_is('mixmodel', '_aggregate_score', ARRAY['text', 'integer', 'date', 'date', 'jsonb'], 'volatile',
                     '_aggregate_score is VOLATILE');

CREATE TABLE pg_temp.w AS
SELECT d::date AS week, 1000 + 50 * sin(i / 8.0) + 20 * (i % 3) + 0.3 * (100 + 90 * ((i / 5) % 2)) AS revenue,
       100 + 90 * ((i / 5) % 2) AS tv, 50 + 10 * cos(i / 3.0) AS search
  FROM generate_series(0, 79) i, LATERAL (SELECT '2024-01-01'::date + 7 * i AS d) x;
SELECT lives_ok($$SELECT mixmodel.create_model('a1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv', 'search'], options => '{"inference": "ridge", "candidates": 40}')$$,
                'a model is created');
SELECT is((SELECT count(*)::int FROM mixmodel.train('a1', seed => 1)), 2, 'the model trains');
SELECT lives_ok($$SELECT * FROM mixmodel.score('a1', '2024-06-03', '2024-08-26')$$, 'score scores 13 weeks');
SELECT is((SELECT count(DISTINCT (conversion_from, channel))::int FROM mixmodel.aggregate_scores WHERE model = 'a1'), 26,
          'every scored week and channel has aggregate rows');
SELECT is((SELECT count(*)::int FROM mixmodel.aggregate_scores a JOIN mixmodel.scores s
             ON s.model = a.model AND s.period = a.conversion_from AND s.term = a.channel
            WHERE a.model = 'a1' GROUP BY s.period, s.term, s.contribution
           HAVING abs(sum(a.contribution) - s.contribution) > 1e-9 * abs(s.contribution) LIMIT 1), NULL,
          'the rows of each week and channel sum to its score');
SELECT throws_ok($$SELECT mixmodel._aggregate_score('a1', 1, '2024-06-03', '2024-08-26', NULL)$$, '22004', NULL, 'NULL inputs: 22004');
SELECT throws_ok($$SELECT mixmodel._aggregate_score('nope', 1, '2024-06-03', '2024-08-26', '{}')$$, '42704', NULL, 'unknown model: 42704');
SELECT throws_ok($$SELECT mixmodel._aggregate_score('a1', 9, '2024-06-03', '2024-08-26', '{}')$$, '42704', NULL, 'unknown run: 42704');
SELECT throws_ok($$SELECT mixmodel._aggregate_score('a1', 1, '2024-06-03', '2024-08-26', '{"periods": [], "t0": 0, "x": []}')$$,
                 '22023', NULL, 'inputs that are not the run''s: 22023');
SELECT throws_ok($$SELECT * FROM mixmodel._touchpoint_slices('nope')$$, '42704', NULL, 'unknown touchpoint: 42704');

SELECT * FROM finish();
ROLLBACK;
