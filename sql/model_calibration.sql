-- model: calibration with lift studies (formulas §8): calibration "gaussian" (PyMC-style
-- likelihood term ((predicted lift - lift_abs) / lift_se)^2 / 2, the calibration axis of the
-- front) against no calibration and MAPE.LIFT, on generator data with known truth
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('mc', seed => 11, weeks => 120, events => 2000,
       channels => ARRAY['tv', 'search', 'social']);

-- uncalibrated, the default model puts social at about 2.5 times its true effect
SELECT mixmodel.create_model('mc_none', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 400}');
SELECT count(*) FROM mixmodel.train('mc_none');

-- a lift study of social over 8 weeks of the training rows, reporting the true effect
-- (the generator's noiseless contribution over those weeks) with a 10% standard error
CREATE TABLE mc.lift AS
SELECT 'social_spend'::text AS channel, date '2023-12-04' AS start_date, date '2024-01-28' AS end_date,
       sum(contribution) AS lift_abs, 0.1 * sum(contribution) AS lift_se, NULL::float8 AS spend, 'total'::text AS scope
  FROM mc.truth_contributions WHERE term = 'social' AND week BETWEEN '2023-12-04' AND '2024-01-28';
SELECT mixmodel.create_model('mc_gauss', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": "mc.lift", "calibration": "gaussian"}');
SELECT mixmodel.create_model('mc_mape', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 400, "experiments": "mc.lift"}');
SELECT count(*) FROM mixmodel.train('mc_gauss');
SELECT count(*) FROM mixmodel.train('mc_mape');

-- social's estimated effect over the study weeks and over the training rows, against the
-- truth (calibrated fits: about 1.06 and 0.93 of it; uncalibrated: 2.9 and 2.5).  With one
-- study both calibrations have the same front (each is monotone in the study's error) and
-- here choose the same candidate; they differ when studies differ in precision (unit test
-- pareto_calibration in test/unit/test_search.c)
CREATE VIEW mc.est AS
SELECT d.model,
       sum(d.contribution) FILTER (WHERE d.period BETWEEN '2023-12-04' AND '2024-01-28') AS study_effect,
       sum(d.contribution) FILTER (WHERE d.period < r.holdout_from) AS train_effect
  FROM mixmodel.run_decomposition d JOIN mixmodel.runs r USING (model, run)
 WHERE d.model LIKE 'mc\_%' AND d.term = 'social_spend' GROUP BY 1;
SELECT e.model, round(e.study_effect::numeric / l.lift_abs::numeric, 2) AS study_ratio_to_truth,
       round(e.train_effect::numeric / t.truth::numeric, 2) AS train_ratio_to_truth
  FROM mc.est e, mc.lift l,
       (SELECT sum(contribution) AS truth FROM mc.truth_contributions c, mixmodel.runs r
         WHERE r.model = 'mc_none' AND c.term = 'social' AND c.week >= r.from_date AND c.week < r.holdout_from) t
 ORDER BY 1;
SELECT abs(g.study_effect - l.lift_abs) < abs(n.study_effect - l.lift_abs) AS gaussian_closer_than_none
  FROM mc.est g, mc.est n, mc.lift l WHERE g.model = 'mc_gauss' AND n.model = 'mc_none';

-- the stored Gaussian penalty of the chosen candidate is ((effect - lift) / se)^2 / 2
-- (8 whole weeks: the study's day count equals the periods'); MAPE.LIFT is still reported
SELECT abs(c.lift_gaussian - 0.5 * ((e.study_effect - l.lift_abs) / l.lift_se)^2) <= 1e-9 * greatest(1, c.lift_gaussian) AS penalty_exact,
       m.mape_lift IS NOT NULL AS mape_lift_reported
  FROM mixmodel.run_candidates c, mc.est e, mc.lift l, mixmodel.run_metrics m
 WHERE c.model = 'mc_gauss' AND c.chosen AND e.model = 'mc_gauss' AND m.model = 'mc_gauss' AND m.split = 'train';
-- with MAPE.LIFT calibration the penalty is computed (the study has a standard error) but
-- not the axis; without studies it is NULL
SELECT model, lift_gaussian IS NOT NULL AS has_penalty FROM mixmodel.run_candidates WHERE chosen AND model LIKE 'mc\_%' ORDER BY 1;
-- the front's calibration axis: no stored gaussian candidate is beaten on every axis
SELECT count(*) AS dominated FROM mixmodel.run_candidates a, mixmodel.run_candidates b
 WHERE a.model = 'mc_gauss' AND b.model = 'mc_gauss' AND a.candidate <> b.candidate
   AND b.nrmse <= a.nrmse AND b.decomp_rssd <= a.decomp_rssd AND b.lift_gaussian <= a.lift_gaussian
   AND (b.nrmse < a.nrmse OR b.decomp_rssd < a.decomp_rssd OR b.lift_gaussian < a.lift_gaussian);

-- bad input: unknown calibration, negative weight (create_model); lift_se not positive and
-- finite, gaussian without lift_se (train): 22023
\set VERBOSITY sqlstate
SELECT mixmodel.create_model('mc_bad', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "calibration": "bayes"}');
SELECT mixmodel.create_model('mc_bad', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "calibration": null}');
SELECT mixmodel.create_model('mc_bad', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "objective_weights": {"lift_gaussian": -1}}');
\set VERBOSITY default
SELECT mixmodel.create_model('mc_bad', source => 'mc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 10, "experiments": "mc.lift", "calibration": "gaussian"}');
UPDATE mc.lift SET lift_se = -1;
SELECT count(*) FROM mixmodel.train('mc_bad');
UPDATE mc.lift SET lift_se = 0;
SELECT count(*) FROM mixmodel.train('mc_bad');
UPDATE mc.lift SET lift_se = 'NaN';
SELECT count(*) FROM mixmodel.train('mc_bad');
UPDATE mc.lift SET lift_se = 'Infinity';
SELECT count(*) FROM mixmodel.train('mc_bad');
UPDATE mc.lift SET lift_se = NULL;
SELECT count(*) FROM mixmodel.train('mc_bad');
-- without a standard error, MAPE.LIFT calibration still trains
UPDATE mixmodel.models SET options = options - 'calibration' WHERE name = 'mc_bad';
SELECT count(*) FROM mixmodel.train('mc_bad');
-- the core refuses the same directly
\set VERBOSITY sqlstate
SELECT mixmodel.train_core('{1,2,3}', '{1,2,3}', '{1,2,3}', '{a}', '{1}', '{geometric}', '{-1}', '{0}', '{hill}',
       '{0,0,1,0.5}', '{0.5,0,1,0.5}', '{}', '{}', '{}', 0, 2, 'additive', true, '{NaN}', '{0}',
       '{0}', '{0}', '{1}', '{1}', '{1}', '{0}', '{1,0,0,1,0}', 10, 0, 1, NULL, '{-1}', 'mape_lift', 0);
SELECT mixmodel.train_core('{1,2,3}', '{1,2,3}', '{1,2,3}', '{a}', '{1}', '{geometric}', '{-1}', '{0}', '{hill}',
       '{0,0,1,0.5}', '{0.5,0,1,0.5}', '{}', '{}', '{}', 0, 2, 'additive', true, '{NaN}', '{0}',
       '{0}', '{0}', '{1}', '{1}', '{1}', '{0}', '{1,0,0,1,0}', 10, 0, 1, NULL, '{NULL}', 'gaussian', 0);
SELECT mixmodel.train_core('{1,2,3}', '{1,2,3}', '{1,2,3}', '{a}', '{1}', '{geometric}', '{-1}', '{0}', '{hill}',
       '{0,0,1,0.5}', '{0.5,0,1,0.5}', '{}', '{}', '{}', 0, 2, 'additive', true, '{NaN}', '{0}',
       '{0}', '{0}', '{1}', '{1}', '{1}', '{0}', '{1,0,0,1,0}', 10, 0, 1, NULL, '{1}', 'bayes', 0);

-- roi_prior_lognormal (formulas §8.3): m = 2, s = 1 gives mu 0.581575, sigma 0.472381;
-- the lognormal's own mean exp(mu + sigma^2/2) and SD give back (m, s)
\set VERBOSITY default
SELECT round(mu::numeric, 6) AS mu, round(sigma::numeric, 6) AS sigma FROM mixmodel.roi_prior_lognormal(2, 1);
SELECT abs(mu - (ln(2) - ln(1.25) / 2)) < 1e-15 AND abs(sigma - sqrt(ln(1.25))) < 1e-15 AS exact
  FROM mixmodel.roi_prior_lognormal(2, 1);
SELECT m, s, abs(exp(p.mu + p.sigma ^ 2 / 2) / m - 1) < 1e-13 AS mean_back,
       abs(exp(p.mu + p.sigma ^ 2 / 2) * sqrt(exp(p.sigma ^ 2) - 1) / s - 1) < 1e-12 AS sd_back
  FROM (VALUES (1.221::float8, 0.5::float8), (0.05, 0.2), (40, 1)) v(m, s), mixmodel.roi_prior_lognormal(m, s) p;
SELECT mu IS NULL AND sigma IS NULL AS null_in_null_out FROM mixmodel.roi_prior_lognormal(NULL, 1);
SELECT * FROM mixmodel.roi_prior_lognormal(0, 1);
SELECT * FROM mixmodel.roi_prior_lognormal(2, -1);
SELECT * FROM mixmodel.roi_prior_lognormal('NaN', 1);
SELECT * FROM mixmodel.roi_prior_lognormal(2, 'Infinity');
SELECT * FROM mixmodel.roi_prior_lognormal(1e-300, 1e300);
