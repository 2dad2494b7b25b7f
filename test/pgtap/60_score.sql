-- pgTAP: score stage objects, labels, comments and error SQLSTATEs (doc/score.md)
BEGIN;
SELECT plan(41);

SELECT has_table('mixmodel', 'scores', 'scores exists');
SELECT has_view('mixmodel', v, v || ' exists')
  FROM unnest(ARRAY['contributions', 'channel_performance', 'response_curves', 'adstock_curves', 'synergy', 'base_breakdown']) v;
SELECT ok((SELECT count(*) = 1 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'mixmodel' AND c::regclass::text = 'mixmodel.scores'),
          'scores is registered with pg_extension_config_dump');
SELECT is((SELECT count(*)::int FROM pg_attribute a
            WHERE a.attrelid IN ('mixmodel.contributions'::regclass, 'mixmodel.channel_performance'::regclass,
                                 'mixmodel.response_curves'::regclass, 'mixmodel.adstock_curves'::regclass,
                                 'mixmodel.synergy'::regclass, 'mixmodel.base_breakdown'::regclass)
              AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL), 0,
          'every column of the score views has a comment');
SELECT volatility_is('mixmodel', 'score', ARRAY['text', 'date', 'date', 'integer'], 'volatile', 'score is VOLATILE');
SELECT volatility_is('mixmodel', 'response_curve', ARRAY['text', 'text', 'date', 'date', 'integer', 'double precision'],
                     'stable', 'response_curve is STABLE');
SELECT volatility_is('mixmodel', 'response_points', ARRAY['text', 'text', 'date', 'date'], 'stable', 'response_points is STABLE');

CREATE TABLE pg_temp.w AS
SELECT d::date AS week, 1000 + 50 * sin(i / 8.0) + 20 * (i % 3) + 0.3 * (100 + 90 * ((i / 5) % 2)) AS revenue,
       100 + 90 * ((i / 5) % 2) AS tv, 50 + 10 * cos(i / 3.0) AS search
  FROM generate_series(0, 79) i, LATERAL (SELECT '2024-01-01'::date + 7 * i AS d) x;
SELECT lives_ok($$SELECT mixmodel.create_model('s1', source => 'pg_temp.w', date_column => 'week', kpi => 'revenue', media => ARRAY['tv', 'search'], options => '{"inference": "ridge", "candidates": 40}')$$,
                'a model is created');
SELECT throws_ok($$SELECT * FROM mixmodel.score('s1', '2024-01-01', '2024-06-01')$$, '55000', NULL, 'never trained: 55000');
SELECT throws_ok($$SELECT * FROM mixmodel.response_curve('s1', 'tv')$$, '55000', NULL, 'curve of an untrained model: 55000');
SELECT is_empty($$SELECT * FROM mixmodel._model_kpi_units('s1')$$, 'KPI units of an untrained model: no row (views over every model skip it)');
SELECT throws_ok($$SELECT * FROM mixmodel.contribution('s1', '2024-01-01', '2024-06-01')$$, '55000', NULL, 'contribution of an untrained model: 55000');
SELECT is((SELECT count(*)::int FROM mixmodel.train('s1', seed => 1)), 2, 'the model trains');
SELECT is((SELECT row(u.kpi_unit, u.revenue_per_conversion)::text FROM mixmodel._model_kpi_units('s1') u), '(revenue,)',
          'KPI units: revenue, no revenue per conversion without a conversions or orders column');
SELECT throws_ok($$SELECT * FROM mixmodel._model_kpi_units('nope')$$, '42704', NULL, 'KPI units of an unknown model: 42704');
SELECT throws_ok($$SELECT * FROM mixmodel._model_kpi_units(NULL)$$, '22004', NULL, 'KPI units of a NULL model: 22004');
SELECT throws_ok($$SELECT * FROM mixmodel.score('nope', '2024-01-01', '2024-06-01')$$, '42704', NULL, 'unknown model: 42704');
SELECT throws_ok($$SELECT * FROM mixmodel.score('s1', '2024-01-01', '2024-06-01', run => 9)$$, '42704', NULL, 'unknown run: 42704');
SELECT throws_ok($$SELECT * FROM mixmodel.score('s1', '2030-01-01', '2030-06-01')$$, '22000', NULL, 'range without data: 22000');
SELECT throws_ok($$SELECT * FROM mixmodel.response_points('s1', 'radio')$$, '42704', NULL, 'unknown channel: 42704');
SELECT throws_ok($$SELECT * FROM mixmodel.response_curve('s1', 'tv', grid_points => 0)$$, '22023', NULL, 'bad grid: 22023');

-- a KPI counting conversions and no revenue column: conversions and CPA, revenue and ROI unknown
CREATE TABLE pg_temp.w2 AS SELECT week, round(revenue / 10) AS orders, tv, search FROM pg_temp.w;
SELECT is((SELECT count(*)::int FROM mixmodel.train(mixmodel.create_model('s2', source => 'pg_temp.w2', date_column => 'week',
              kpi => 'orders', media => ARRAY['tv', 'search'], options => '{"inference": "ridge", "candidates": 40}'), seed => 1)), 2,
          'a conversions model trains');
SELECT is((SELECT row(u.kpi_unit, u.revenue_per_conversion)::text FROM mixmodel._model_kpi_units('s2') u), '(conversions,)',
          'KPI units: conversions, no revenue per conversion without a revenue column');
SELECT ok((SELECT bool_and(p.conversions = p.contribution AND p.revenue IS NULL AND p.roi IS NULL AND p.roas IS NULL
                           AND p.marginal_roi IS NULL AND abs(p.cpa * p.conversions - p.spend) <= 1e-9 * p.spend)
             FROM mixmodel.channel_performance p WHERE p.model = 's2'),
          'conversions KPI without revenue: conversions and CPA; revenue, ROI, ROAS and marginal ROI NULL');
SELECT ok((SELECT marginal_roas_at_current IS NULL AND breakeven_spend IS NULL AND diminishing_returns_spend IS NULL
             FROM mixmodel.response_points('s2', 'tv')),
          'conversions KPI without revenue: no marginal ROAS, break-even or point of diminishing returns');
SELECT throws_ok($$SELECT * FROM mixmodel._kpi_factors(NULL, 2)$$, '22004', NULL, 'KPI factors of a NULL unit: 22004');
SELECT throws_ok($$SELECT * FROM mixmodel._kpi_factors('orders', 2)$$, '22023', NULL, 'KPI factors of an unknown unit: 22023');
SELECT is((SELECT row(f.revenue_per_kpi, f.conversions_per_kpi)::text FROM mixmodel._kpi_factors('conversions', 0) f), '(,1)',
          'KPI factors: a revenue per conversion of 0 is unknown');

-- a new week with spend and no KPI yet: scoring reads it, training rejects it
INSERT INTO pg_temp.w VALUES ('2024-01-01'::date + 7 * 80, NULL, 120, 55);
SELECT lives_ok($$SELECT * FROM mixmodel.score('s1', '2024-01-01'::date + 7 * 80, '2024-01-01'::date + 7 * 80)$$,
                'a week without KPI scores');
SELECT ok((SELECT count(*) > 0 FROM mixmodel.scores WHERE model = 's1' AND period = '2024-01-01'::date + 7 * 80),
          'the week without KPI is in mixmodel.scores');
SELECT throws_ok($$SELECT * FROM mixmodel.train('s1', from_date => '2024-01-01', to_date => '2024-01-01'::date + 7 * 80)$$,
                 '22000', NULL, 'training over a NULL KPI: 22000');

-- contribution over a range
SELECT volatility_is('mixmodel', 'contribution', ARRAY['text', 'date', 'date'], 'stable', 'contribution is STABLE');
SELECT throws_ok($$SELECT * FROM mixmodel.contribution('nope', '2024-01-01', '2024-06-01')$$, '42704', NULL, 'contribution of an unknown model: 42704');
SELECT throws_ok($$SELECT * FROM mixmodel.contribution('s1', NULL, '2024-06-01')$$, '22004', NULL, 'contribution over a NULL date: 22004');
SELECT throws_ok($$SELECT * FROM mixmodel.contribution('s1', '2024-06-01', '2024-01-01')$$, '22023', NULL, 'contribution over a reversed range: 22023');
SELECT throws_ok($$SELECT * FROM mixmodel.contribution('s1', '2030-01-01', '2030-06-01')$$, '22000', NULL, 'contribution over a range without scores: 22000');

SELECT * FROM finish();
ROLLBACK;
