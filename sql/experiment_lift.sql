-- experiment: a generated holdout lift study registered as a model's lift study in one call,
-- and the calibration moving the channel's estimate toward the truth
\pset null '(null)'
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('xl', seed => 42, weeks => 104, events => 50000);
SELECT mixmodel.create_experiment('xl_tv_lift', 'xl.experiment_assignments', 'treatment', 'holdout',
       conversion_column => 'converted', value_column => 'revenue', time_column => 'assigned_at',
       filter => '{"experiment": "tv_holdout"}');
CREATE FUNCTION pg_temp.mk(name text, o jsonb) RETURNS text LANGUAGE sql AS $$
SELECT mixmodel.create_model(name, source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
         media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
         factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
         options => '{"candidates": 2000, "factor_signs": {"price_index": "negative"}}'::jsonb || o) $$;
SELECT pg_temp.mk('xl_none', '{}'), pg_temp.mk('xl_cal', '{}');
SELECT study_start, study_end, round(lift_abs) AS lift_abs, round(lift_se) AS lift_se, round(study_spend) AS spend,
       round(roi_mean::numeric, 3) AS roas, round(roi_sd::numeric, 3) AS roas_sd, round(roi_mu::numeric, 4) AS mu,
       round(roi_sigma::numeric, 4) AS sigma
  FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
SELECT options->>'calibration' AS calibration, jsonb_array_length(options->'experiments') AS studies,
       options #>> '{experiments,0,channel}' AS channel, options #>> '{experiments,0,start_date}' AS start_date,
       options #>> '{experiments,0,end_date}' AS end_date, round((options #>> '{experiments,0,lift_abs}')::numeric) AS lift_abs,
       round((options #>> '{roi_priors,tv_spend,mu}')::numeric, 4) AS roi_mu, round((options #>> '{roi_priors,tv_spend,sigma}')::numeric, 4) AS roi_sigma
  FROM mixmodel.models WHERE name = 'xl_cal';
SELECT count(*) FROM mixmodel.train('xl_none', seed => 42);
SELECT count(*) FROM mixmodel.train('xl_cal', seed => 42);
-- TV's effect over the study weeks and over the training weeks against the truth
SELECT d.model,
       round((sum(d.contribution) FILTER (WHERE d.period BETWEEN t.start_date AND t.end_date) / t.incremental_revenue)::numeric, 2) AS study_ratio,
       round((sum(d.contribution) FILTER (WHERE d.period < r.holdout_from) /
              (SELECT sum(c.contribution) FROM xl.truth_contributions c WHERE c.term = 'tv' AND c.week < r.holdout_from))::numeric, 2) AS train_ratio
  FROM mixmodel.run_decomposition d JOIN mixmodel.runs r USING (model, run),
       xl.experiment_truth t
 WHERE d.model IN ('xl_none', 'xl_cal') AND d.term = 'tv_spend' AND t.experiment = 'tv_holdout' AND NOT t.control
 GROUP BY d.model, t.start_date, t.end_date, t.incremental_revenue, r.holdout_from ORDER BY 1;
SELECT model, channel, round(roi::numeric, 2) AS roi FROM mixmodel.channel_performance
 WHERE model IN ('xl_none', 'xl_cal') AND channel = 'tv_spend' ORDER BY 1;
SELECT round(value::numeric, 2) AS true_roi FROM xl.truth_parameters WHERE channel = 'tv' AND parameter = 'roi';
-- registering again replaces the study (one per experiment and channel), never duplicates it
SELECT count(*) FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
SELECT jsonb_array_length(options->'experiments') AS studies, options->'roi_priors' ? 'tv_spend' AS roi_prior
  FROM mixmodel.models WHERE name = 'xl_cal';
-- a negative lift registers the study but no ROI prior (a LogNormal needs a positive ROI)
CREATE TABLE xl.neg AS SELECT CASE treatment WHEN 'holdout' THEN 'exposed' ELSE 'holdout' END AS treatment, converted, revenue,
       assigned_at FROM xl.experiment_assignments WHERE experiment = 'tv_holdout';
SELECT mixmodel.create_experiment('xl_neg', 'xl.neg', 'treatment', 'holdout', value_column => 'revenue', time_column => 'assigned_at');
SET client_min_messages = warning;
SELECT round(lift_abs) < 0 AS negative, roi_mu FROM mixmodel.register_lift_study('xl_none', 'xl_neg', 'search_spend',
         start_date => '2023-10-16', end_date => '2023-12-10');
SELECT options->'roi_priors' AS roi_priors, jsonb_array_length(options->'experiments') AS studies FROM mixmodel.models WHERE name = 'xl_none';
-- a model whose studies are in a table of their own
SELECT mixmodel.create_model('xl_table', source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"experiments": "xl.neg"}');

-- bad input: each from the working call with one argument made hostile
SELECT mixmodel.create_experiment('xl_subject', 'xl.experiment_assignments', 'treatment', 'A',
       conversion_column => 'converted', value_column => 'revenue', time_column => 'assigned_at',
       filter => '{"experiment": "email_subject_line"}');
SELECT mixmodel.create_experiment('xl_no_time', 'xl.experiment_assignments', 'treatment', 'holdout',
       value_column => 'revenue', filter => '{"experiment": "tv_holdout"}');
\set VERBOSITY sqlstate
SELECT * FROM mixmodel.register_lift_study('no_model', 'xl_tv_lift', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'no_experiment', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'radio_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', metric => 'clicks');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', scope => 'partial');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', calibration => 'bayes');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', treatment => 'holdout');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', spend => -5);
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', start_date => '2023-12-10', end_date => '2023-10-16');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_subject', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_no_time', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_neg', 'tv_spend', metric => 'conversion');
SELECT * FROM mixmodel.register_lift_study('xl_table', 'xl_tv_lift', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', NULL);
SELECT mixmodel.create_model('xl_bad', source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"roi_priors": {"tv_spend": {"mu": 0.3}}}');
SELECT mixmodel.create_model('xl_bad', source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"roi_priors": {"tv_spend": {"mu": 0.3, "sigma": 0}}}');
SELECT mixmodel.create_model('xl_bad', source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"roi_priors": [1]}');
\set VERBOSITY default
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_subject', 'tv_spend');
SELECT mixmodel.drop_experiment(e) FROM unnest(ARRAY['xl_tv_lift', 'xl_neg', 'xl_subject', 'xl_no_time']) e;
DELETE FROM mixmodel.models WHERE name LIKE 'xl\_%';
DROP SCHEMA xl CASCADE;
