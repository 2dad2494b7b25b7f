-- model: priors, experiments (MAPE.LIFT), objective weights, cancellation
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('mo', seed => 11, weeks => 120, events => 2000,
       channels => ARRAY['tv', 'search', 'social']);

-- a strong prior on tv's contribution share pulls the chosen fit towards it
SELECT mixmodel.create_model('mo_free', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 400}');
SELECT mixmodel.create_model('mo_prior', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "priors": {"tv_spend": {"contribution": 0.3, "confidence": 0.95}}}');
SELECT count(*) FROM mixmodel.train('mo_free');
SELECT count(*) FROM mixmodel.train('mo_prior');
SELECT abs(p.share - 0.3) < abs(f.share - 0.3) AS closer_to_prior,
       (SELECT prior_distance IS NOT NULL FROM mixmodel.run_candidates WHERE model = 'mo_prior' AND chosen) AS prior_scored,
       (SELECT prior_distance IS NULL FROM mixmodel.run_candidates WHERE model = 'mo_free' AND chosen) AS no_prior_no_score
  FROM mixmodel.run_channels p, mixmodel.run_channels f
 WHERE p.model = 'mo_prior' AND f.model = 'mo_free' AND p.channel = 'tv_spend' AND f.channel = 'tv_spend';

-- experiments: MAPE.LIFT of the chosen fit, against the model's own contribution over the study
SELECT mixmodel.create_model('mo_lift', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": [
           {"channel": "search_spend", "start_date": "2024-06-03", "end_date": "2024-06-30", "lift_abs": 5000},
           {"channel": "tv_spend", "start_date": "2024-09-02", "end_date": "2024-09-29", "lift_abs": 8000}]}');
SELECT split, mape_lift IS NOT NULL AS lift_scored FROM mixmodel.train('mo_lift');
-- recompute MAPE.LIFT from the stored decomposition (inclusive days: 28 days = 4 weeks)
SELECT abs(m.mape_lift - (
         (abs((SELECT sum(contribution) FROM mixmodel.run_decomposition d WHERE d.model = 'mo_lift' AND d.term = 'search_spend'
                  AND d.period BETWEEN '2024-06-03' AND '2024-06-30') - 5000) / 5000
        + abs((SELECT sum(contribution) FROM mixmodel.run_decomposition d WHERE d.model = 'mo_lift' AND d.term = 'tv_spend'
                  AND d.period BETWEEN '2024-09-02' AND '2024-09-29') - 8000) / 8000) / 2)) < 1e-12 AS mape_lift_exact
  FROM mixmodel.run_metrics m WHERE m.model = 'mo_lift' AND m.split = 'train';

-- the same studies from a table give the same run
CREATE TABLE mo.lift_tests (channel text, start_date date, end_date date, lift_abs float8, lift_se float8, spend float8, scope text);
INSERT INTO mo.lift_tests VALUES ('search_spend', '2024-06-03', '2024-06-30', 5000, 500, NULL, 'total'),
                                 ('tv_spend', '2024-09-02', '2024-09-29', 8000, 900, NULL, 'total');
SELECT mixmodel.create_model('mo_lift_table', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": "mo.lift_tests"}');
SELECT count(*) FROM mixmodel.train('mo_lift_table');
SELECT a.mape_lift = b.mape_lift AS same_mape_lift FROM mixmodel.run_metrics a, mixmodel.run_metrics b
 WHERE a.model = 'mo_lift' AND b.model = 'mo_lift_table' AND a.split = 'train' AND b.split = 'train';

-- scope immediate: the carry-in from before each study is not credited to it, so the
-- model's lift prediction is smaller and MAPE.LIFT differs
-- (both fits ignore the lift in the objective, so they choose the same candidate)
SELECT mixmodel.create_model('mo_lift_tot', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": "mo.lift_tests", "objective_weights": {"mape_lift": 0}}');
SELECT count(*) FROM mixmodel.train('mo_lift_tot');
UPDATE mo.lift_tests SET scope = 'immediate';
SELECT mixmodel.create_model('mo_lift_imm', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": "mo.lift_tests", "objective_weights": {"mape_lift": 0}}');
SELECT count(*) FROM mixmodel.train('mo_lift_imm');
SELECT (SELECT array_agg(coef ORDER BY position) FROM mixmodel.run_channels WHERE model = 'mo_lift_imm') =
       (SELECT array_agg(coef ORDER BY position) FROM mixmodel.run_channels WHERE model = 'mo_lift_tot') AS same_fit,
       a.mape_lift <> b.mape_lift AS immediate_differs
  FROM mixmodel.run_metrics a, mixmodel.run_metrics b
 WHERE a.model = 'mo_lift_imm' AND b.model = 'mo_lift_tot' AND a.split = 'train' AND b.split = 'train';
\set VERBOSITY terse
UPDATE mo.lift_tests SET scope = 'later';
SELECT mixmodel.create_model('mo_e5', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"experiments": "mo.lift_tests"}');
SELECT * FROM mixmodel.train('mo_e5');

-- objective weights: nrmse only picks the best-fitting front candidate
SELECT mixmodel.create_model('mo_fit', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "objective_weights": {"decomp_rssd": 0}}');
SELECT count(*) FROM mixmodel.train('mo_fit');
SELECT c.nrmse = (SELECT min(nrmse) FROM mixmodel.run_candidates WHERE model = 'mo_fit') AS best_nrmse_chosen
  FROM mixmodel.run_candidates c WHERE c.model = 'mo_fit' AND c.chosen;

-- errors in these options
\set VERBOSITY terse
SELECT mixmodel.create_model('mo_e1', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"contribution": 1.5}}}');
SELECT mixmodel.create_model('mo_e2', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"experiments": "mo.no_such_table"}');
SELECT mixmodel.create_model('mo_e3', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"radio": {"contribution": 0.1}}}');
SELECT * FROM mixmodel.train('mo_e3');
SELECT mixmodel.create_model('mo_e4', source => 'mo.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"experiments": [{"channel": "tv_spend", "start_date": "2010-01-04", "end_date": "2010-01-31", "lift_abs": 1}]}');
SELECT * FROM mixmodel.train('mo_e4');

-- cancellation: statement_timeout stops a long search promptly and writes nothing
SET statement_timeout = '300ms';
SELECT * FROM mixmodel.train('mo_free', candidates => 1000000);
RESET statement_timeout;
SELECT count(*) AS runs_of_mo_free FROM mixmodel.runs WHERE model = 'mo_free';
