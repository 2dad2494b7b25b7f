-- one minimum training window (issue 13, defect 9): however the window is given (the default
-- last 2 years, option training_window years or from/to, or train's from_date/to_date), it
-- must hold at least 52 weekly periods (one year); 22023 otherwise, the same error every way
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('mw', seed => 10, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search']);
\set VERBOSITY terse
-- 31 weeks through the option: refused
SELECT mixmodel.create_model('mw_31', source => 'mw.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'],
       options => '{"inference": "ridge", "candidates": 20, "training_window": {"from": "2024-06-03", "to": "2024-12-30"}}');
SELECT split, n FROM mixmodel.train('mw_31');
-- 51 weeks: refused through the option and through train's arguments alike
SELECT mixmodel.create_model('mw_51', source => 'mw.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'],
       options => '{"inference": "ridge", "candidates": 20, "training_window": {"from": "2024-01-08", "to": "2024-12-23"}}');
SELECT split, n FROM mixmodel.train('mw_51');
SELECT mixmodel.create_model('mw_any', source => 'mw.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 20}');
SELECT split, n FROM mixmodel.train('mw_any', from_date => '2024-01-08', to_date => '2024-12-23');
-- 52 weeks: accepted every way
SELECT split, n FROM mixmodel.train('mw_any', from_date => '2024-01-08', to_date => '2024-12-30');
UPDATE mixmodel.models SET options = options || '{"training_window": {"from": "2024-01-08", "to": "2024-12-30"}}' WHERE name = 'mw_51';
SELECT split, n FROM mixmodel.train('mw_51');
UPDATE mixmodel.models SET options = options || '{"training_window": {"years": 1}}' WHERE name = 'mw_31';
SELECT split, n FROM mixmodel.train('mw_31');
-- a year is the floor; many regressors need more (at least 2 (regressors + 1) periods): 22000
SELECT mixmodel.create_model('mw_wide', source => 'mw.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
       options => '{"inference": "ridge", "candidates": 20, "seasonality": 10}');
SELECT split, n FROM mixmodel.train('mw_wide', from_date => '2024-01-08', to_date => '2024-12-30');
-- a table shorter than a year cannot be trained by default either
CREATE TABLE mw.short AS SELECT * FROM mw.weekly_wide ORDER BY week LIMIT 40;
SELECT mixmodel.create_model('mw_short', source => 'mw.short', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 20}');
SELECT split, n FROM mixmodel.train('mw_short');
\set VERBOSITY default
SELECT count(*) AS dropped FROM mixmodel.models m, LATERAL mixmodel.drop_model(m.name) d WHERE m.name LIKE 'mw\_%';
DROP SCHEMA mw CASCADE;
