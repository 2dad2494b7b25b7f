-- model: Robyn's time-series validation split (option train_size, formulas §2.3): training,
-- validation and test rows, the NRMSE objective on the validation rows, metrics per split
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('mv', seed => 11, weeks => 120, events => 2000,
       channels => ARRAY['tv', 'search', 'social']);
SELECT mixmodel.create_model('mv_ts', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 200, "train_size": 0.7}');
-- 104 window weeks: train floor(1 + 0.7 * 103) = 73, validation floor(0.15 * 104) = 15, test 16
SELECT split, n, r2 IS NOT NULL AS has_r2 FROM mixmodel.train('mv_ts');
SELECT count(*) FILTER (WHERE holdout) AS out_of_sample, count(*) AS weeks FROM mixmodel.run_fit WHERE model = 'mv_ts';

-- each split's metrics recomputed from run_fit (rows in period order)
CREATE VIEW mv.fit AS
SELECT f.*, CASE WHEN row_number() OVER w <= 73 THEN 'train' WHEN row_number() OVER w <= 88 THEN 'validation' ELSE 'test' END AS split
  FROM mixmodel.run_fit f WHERE f.model = 'mv_ts' WINDOW w AS (ORDER BY f.period);
SELECT m.split,
       abs(m.nrmse - sqrt(avg(f.residual ^ 2)) / (max(f.actual) - min(f.actual))) < 1e-12 * m.nrmse AS nrmse_exact,
       abs(m.r2 - (1 - sum(f.residual ^ 2) / (sum(f.actual ^ 2) - sum(f.actual) ^ 2 / count(*)))) < 1e-9 AS r2_exact,
       abs(m.rmse - sqrt(avg(f.residual ^ 2))) < 1e-9 * m.rmse AS rmse_exact
  FROM mixmodel.run_metrics m JOIN mv.fit f USING (split)
 WHERE m.model = 'mv_ts' GROUP BY m.split, m.nrmse, m.r2, m.rmse
 ORDER BY array_position(ARRAY['train', 'validation', 'test'], m.split);
-- the loss the search minimised is the validation NRMSE (Robyn's nrmse_val)
SELECT c.nrmse = m.nrmse AS objective_is_validation_nrmse
  FROM mixmodel.run_candidates c, mixmodel.run_metrics m
 WHERE c.model = 'mv_ts' AND c.chosen AND m.model = 'mv_ts' AND m.split = 'validation';
SELECT split, n FROM mixmodel.model_metrics WHERE model = 'mv_ts' ORDER BY array_position(ARRAY['train', 'validation', 'test'], split);
-- select_candidate keeps the split
SELECT max(candidate) AS other FROM mixmodel.run_candidates WHERE model = 'mv_ts' AND NOT chosen \gset
SELECT split, n FROM mixmodel.select_candidate('mv_ts', 1, :other);
SELECT c.nrmse = m.nrmse AS objective_is_validation_nrmse
  FROM mixmodel.run_candidates c, mixmodel.run_metrics m
 WHERE c.model = 'mv_ts' AND c.chosen AND m.model = 'mv_ts' AND m.split = 'validation';

-- train_size 0.5 and 0.8, the ends of Robyn's range: 52 / 26 / 26 and 83 / 10 / 11
SELECT mixmodel.create_model('mv_05', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 10, "train_size": 0.5}');
SELECT mixmodel.create_model('mv_08', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 10, "train_size": 0.8}');
SELECT string_agg(n::text, ' / ' ORDER BY array_position(ARRAY['train', 'validation', 'test'], split)) AS rows FROM mixmodel.train('mv_05');
SELECT string_agg(n::text, ' / ' ORDER BY array_position(ARRAY['train', 'validation', 'test'], split)) AS rows FROM mixmodel.train('mv_08');

-- bad options: 22023
\set SHOW_CONTEXT never
SELECT mixmodel.create_model('mv_bad', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "train_size": 0.9}');
SELECT mixmodel.create_model('mv_bad', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "train_size": 0.4}');
SELECT mixmodel.create_model('mv_bad', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "train_size": "0.7"}');
SELECT mixmodel.create_model('mv_bad', source => 'mv.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "train_size": 0.7, "holdout": 0.2}');
-- the core: training + validation rows beyond the window, negative validation rows
\set VERBOSITY terse
SELECT mixmodel.train_core('{1,2,3}', '{1,2,3}', '{1,2,3}', '{a}', '{1}', '{geometric}', '{-1}', '{0}', '{hill}',
       '{0,0,1,0.5}', '{0.5,0,1,0.5}', '{}', '{}', '{}', 0, 2, 'additive', true, '{NaN}', '{0}',
       '{}', '{}', '{}', '{}', '{}', '{}', '{1,0,0,1,0}', 10, 0, 1, NULL, '{}', 'mape_lift', 2);
SELECT mixmodel.train_core('{1,2,3}', '{1,2,3}', '{1,2,3}', '{a}', '{1}', '{geometric}', '{-1}', '{0}', '{hill}',
       '{0,0,1,0.5}', '{0.5,0,1,0.5}', '{}', '{}', '{}', 0, 2, 'additive', true, '{NaN}', '{0}',
       '{}', '{}', '{}', '{}', '{}', '{}', '{1,0,0,1,0}', 10, 0, 1, NULL, '{}', 'mape_lift', -1);
