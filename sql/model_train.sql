-- model: create_model over a wide weekly table, train, results, select_candidate, errors
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('mt', seed => 7, weeks => 156, events => 2000,
       channels => ARRAY['tv','search','social','display','email']);

SELECT mixmodel.create_model('mt1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend','display_spend'], organic => ARRAY['email_sends'],
       factors => ARRAY['price_index','competitor_spend'],
       options => '{"inference": "ridge", "candidates": 500, "holidays": {"country": "US", "calendar": "mt.holidays"},
                    "factor_signs": {"price_index": "negative"}}');

-- metrics of the new run: train and test rows, sane values
SELECT run, split, n, r2 > 0.8 AS good_r2, mape < 0.1 AS good_mape, nrmse < 0.2 AS good_nrmse,
       (decomp_rssd IS NOT NULL) = (split = 'train') AS rssd_on_train
  FROM mixmodel.train('mt1', seed => 1);

-- the run: window of the last 2 years, holdout = last quarter, KKT of the stored solution
SELECT run, status, seed, candidates, from_date, to_date, holdout_from, kkt < 1e-9 AS kkt_ok
  FROM mixmodel.runs WHERE model = 'mt1';

-- chosen channels: media coefficients >= 0, inputs exactly as MMChannelSpec needs
SELECT channel, position, paid, adstock, max_lag, saturation, coef >= 0 AS nonneg, input_scale > 0 AS scaled
  FROM mixmodel.run_channels WHERE model = 'mt1' ORDER BY position;

-- the sign of a factor declared negative
SELECT term, kind, coef <= 0 AS nonpositive, upper FROM mixmodel.run_coefficients
 WHERE model = 'mt1' AND term = 'price_index';
SELECT kind, count(*) FROM mixmodel.run_coefficients WHERE model = 'mt1' GROUP BY 1 ORDER BY 1;

-- decomposition sums to the prediction in every period; residual = actual - predicted
SELECT count(*) AS periods,
       max(abs(d.total - f.predicted) / f.predicted) < 1e-12 AS decomposition_exact,
       bool_and(f.residual = f.actual - f.predicted) AS residuals,
       count(*) FILTER (WHERE f.holdout) AS holdout_rows
  FROM mixmodel.run_fit f
  JOIN (SELECT period, sum(contribution) AS total FROM mixmodel.run_decomposition WHERE model = 'mt1' GROUP BY 1) d
    USING (period)
 WHERE f.model = 'mt1';

-- the chosen candidate is on Pareto front 1 and stored
SELECT count(*) > 0 AS has_front, bool_and(front = 1) AS all_front,
       count(*) FILTER (WHERE chosen) AS chosen
  FROM mixmodel.run_candidates WHERE model = 'mt1';

-- same seed: bit-identical run
SELECT count(*) FROM mixmodel.train('mt1', seed => 1);
SELECT count(*) AS differing_fit_rows
  FROM mixmodel.run_fit a JOIN mixmodel.run_fit b USING (model, period)
 WHERE a.model = 'mt1' AND a.run = 1 AND b.run = 2 AND a.predicted IS DISTINCT FROM b.predicted;
SELECT count(*) AS differing_channels
  FROM mixmodel.run_channels a JOIN mixmodel.run_channels b USING (model, channel)
 WHERE a.model = 'mt1' AND a.run = 1 AND b.run = 2
   AND (a.coef, a.adstock_p1, a.sat_p1, a.sat_p2, a.input_scale) IS DISTINCT FROM
       (b.coef, b.adstock_p1, b.sat_p1, b.sat_p2, b.input_scale);
SELECT count(*) AS differing_candidates
  FROM mixmodel.run_candidates a FULL JOIN mixmodel.run_candidates b USING (model, candidate)
 WHERE a.model = 'mt1' AND a.run = 1 AND b.run = 2 AND a.hyperparameters IS DISTINCT FROM b.hyperparameters;

-- pick another candidate of run 1
SELECT max(candidate) AS other FROM mixmodel.run_candidates WHERE model = 'mt1' AND run = 1 AND NOT chosen \gset
SELECT count(*) FROM mixmodel.select_candidate('mt1', 1, :other);
SELECT chosen_candidate = :other AS switched, kkt < 1e-9 AS kkt_ok
  FROM mixmodel.runs WHERE model = 'mt1' AND run = 1;
SELECT count(*) FILTER (WHERE chosen) AS chosen, bool_or(chosen AND candidate = :other) AS is_other
  FROM mixmodel.run_candidates WHERE model = 'mt1' AND run = 1;
SELECT current_run FROM mixmodel.models WHERE name = 'mt1';
-- the views show the current run
SELECT model, run, split, r2 = (SELECT r2 FROM mixmodel.run_metrics x WHERE x.model = 'mt1' AND x.run = 1 AND x.split = v.split) AS same
  FROM mixmodel.model_metrics v WHERE model = 'mt1' ORDER BY split DESC;
SELECT count(*), count(*) FILTER (WHERE holdout) AS holdout, min(run), max(run) FROM mixmodel.model_fit WHERE model = 'mt1';

-- retrain on a custom range of at least a year
SELECT split, n FROM mixmodel.train('mt1', candidates => 100, from_date => '2023-07-03', to_date => '2024-06-24');

-- multiplicative form (Adobe): power saturation by default
SELECT mixmodel.create_model('mt2', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend'], options => '{"inference": "ridge", "form": "multiplicative", "candidates": 300}');
SELECT split, r2 > 0.5 AS fits FROM mixmodel.train('mt2');
SELECT channel, saturation, sat_p1 > 0 AND sat_p1 < 1 AS concave FROM mixmodel.run_channels WHERE model = 'mt2' ORDER BY position;

-- exposure media: the model fits GRPs, DECOMP.RSSD and the stored spend use the spend column
SELECT mixmodel.create_model('mt3', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_grps', 'search_spend'], options => '{"inference": "ridge", "candidates": 100, "spend_columns": {"tv_grps": "tv_spend"}}');
SELECT count(*) FROM mixmodel.train('mt3');
SELECT c.channel, c.spend = (SELECT sum(w.tv_spend) FROM mt.weekly_wide w WHERE w.week >= r.from_date AND w.week < r.holdout_from) AS spend_from_spend_column
  FROM mixmodel.run_channels c JOIN mixmodel.runs r USING (model, run) WHERE c.model = 'mt3' AND c.channel = 'tv_grps';

-- errors: never a half-written run
\set VERBOSITY terse
SELECT mixmodel.create_model('mt1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend']);
SELECT mixmodel.create_model('mte1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['nope']);
SELECT mixmodel.create_model('mte1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'], options => '{"colour": 1}');
SELECT mixmodel.create_model('mte1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'], options => '{"form": "cubic"}');
SELECT mixmodel.create_model('mte1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => '{}');
SELECT mixmodel.create_model('mte1', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'], options => '{"lookback": 60}');
SELECT * FROM mixmodel.train('nope');
SELECT mixmodel.create_model('mte11', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_grps'],
       options => '{"spend_columns": {"tv_grps": "tv_budget"}}');
SELECT mixmodel.create_model('mte2', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'],
       options => '{"channels": {"tv_spend": {"theta": [0.5, 1.5]}}}');
SELECT * FROM mixmodel.train('mte2');
SELECT mixmodel.create_model('mte3', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'],
       options => '{"lookback": 10}');
SELECT split, r2 > 0.3 AS fits FROM mixmodel.train('mte3');
SELECT max_lag FROM mixmodel.run_channels WHERE model = 'mte3';
SELECT mixmodel.create_model('mte7', source => 'mt.weekly_wide', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend'],
       options => '{"lookback": 20}');
SELECT * FROM mixmodel.train('mte7');
CREATE TABLE mt.bad AS SELECT week, revenue, tv_spend, 0::float8 AS zero_spend, NULL::float8 AS no_kpi, -revenue AS neg FROM mt.weekly_wide;
SELECT mixmodel.create_model('mte4', source => 'mt.bad', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend', 'zero_spend']);
SELECT * FROM mixmodel.train('mte4');
SELECT mixmodel.create_model('mte5', source => 'mt.bad', date_column => 'week', kpi => 'no_kpi', media => ARRAY['tv_spend']);
SELECT * FROM mixmodel.train('mte5');
SELECT mixmodel.create_model('mte6', source => 'mt.bad', date_column => 'week', kpi => 'neg', media => ARRAY['tv_spend'], options => '{"form": "multiplicative"}');
SELECT * FROM mixmodel.train('mte6');
SELECT * FROM mixmodel.train('mt1', from_date => '2024-01-01', to_date => '2024-06-01');
-- collinear channels and a constant channel: fitted, with warnings
CREATE TABLE mt.coll AS SELECT week, revenue, tv_spend, tv_spend * 1.01 + 1 AS tv_twin, 5::float8 AS flat, search_spend FROM mt.weekly_wide;
SELECT mixmodel.create_model('mte8', source => 'mt.coll', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'tv_twin', 'search_spend'], options => '{"inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('mte8');
SELECT mixmodel.create_model('mte9', source => 'mt.coll', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'flat'], options => '{"inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('mte9');
SELECT * FROM mixmodel.select_candidate('mt1', 1, 999999);
CREATE TABLE mt.gappy AS SELECT week, revenue, tv_spend FROM mt.weekly_wide WHERE week <> '2024-05-06';
SELECT mixmodel.create_model('mte10', source => 'mt.gappy', date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend']);
SELECT * FROM mixmodel.train('mte10');
-- failed trainings wrote nothing
SELECT model, count(*) FROM mixmodel.runs WHERE model LIKE 'mt%' GROUP BY 1 ORDER BY 1;
