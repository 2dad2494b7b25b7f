-- experiment: a generated holdout lift study registered with a model in one call, as a lift
-- study (ridge penalty or Bayesian likelihood term) or as a Bayesian model's ROI prior, each
-- moving the channel's estimate toward the truth
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
         options => '{"factor_signs": {"price_index": "negative"}}'::jsonb || o) $$;
SELECT pg_temp.mk('xl_none', '{"inference": "ridge", "candidates": 2000}'), pg_temp.mk('xl_cal', '{"inference": "ridge", "candidates": 2000}');
SELECT study_start, study_end, round(lift_abs) AS lift_abs, round(lift_se) AS lift_se, round(study_spend) AS spend,
       round(roi_mean::numeric, 3) AS roas, round(roi_sd::numeric, 3) AS roas_sd, round(roi_mu::numeric, 4) AS mu,
       round(roi_sigma::numeric, 4) AS sigma
  FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
SELECT options->>'calibration' AS calibration, jsonb_array_length(options->'experiments') AS studies,
       options #>> '{experiments,0,channel}' AS channel, options #>> '{experiments,0,start_date}' AS start_date,
       options #>> '{experiments,0,end_date}' AS end_date, round((options #>> '{experiments,0,lift_abs}')::numeric) AS lift_abs,
       options ? 'priors' AS has_priors
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
SELECT jsonb_array_length(options->'experiments') AS studies, options ? 'priors' AS has_priors
  FROM mixmodel.models WHERE name = 'xl_cal';

-- Bayesian models: the same study as a likelihood term, or as TV's ROI prior (never both)
SELECT pg_temp.mk('xl_b_none', '{"draws": 500, "warmup": 500}'), pg_temp.mk('xl_b_lift', '{"draws": 500, "warmup": 500}'),
       pg_temp.mk('xl_b_prior', '{"draws": 500, "warmup": 500}');
SELECT round(lift_abs) AS lift_abs, round(roi_mean::numeric, 3) AS roas
  FROM mixmodel.register_lift_study('xl_b_lift', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
SELECT round(lift_abs) AS lift_abs, round(roi_mean::numeric, 3) AS roas
  FROM mixmodel.register_lift_study('xl_b_prior', 'xl_tv_lift', 'tv_spend', register_as => 'roi_prior',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
SELECT name, options->>'calibration' AS calibration, jsonb_array_length(options->'experiments') AS studies,
       round((options #>> '{priors,tv_spend,roas,mean}')::numeric, 3) AS roas_prior_mean,
       round((options #>> '{priors,tv_spend,roas,sd}')::numeric, 3) AS roas_prior_sd
  FROM mixmodel.models WHERE name LIKE 'xl\_b\_%' ORDER BY name;
SELECT m, count(*) FROM unnest(ARRAY['xl_b_none', 'xl_b_lift', 'xl_b_prior']) m, mixmodel.train(m, seed => 42) GROUP BY m ORDER BY m;
-- the prior came through: TV's resolved roas prior is the study's LogNormal instead of the common default
SELECT r.model, n.name AS parameter, r.config #>> ARRAY['resolved', 'prior_kind', (n.i - 1)::text] AS kind,
       round((r.config #>> ARRAY['resolved', 'prior_a', (n.i - 1)::text])::numeric, 4) AS mu,
       round((r.config #>> ARRAY['resolved', 'prior_b', (n.i - 1)::text])::numeric, 4) AS sigma
  FROM mixmodel.runs r, jsonb_array_elements_text(r.config #> '{resolved,prior_name}') WITH ORDINALITY n(name, i)
 WHERE r.model IN ('xl_b_none', 'xl_b_prior') AND n.i <= 5 AND n.name = 'roas' ORDER BY 1;
-- TV's posterior ROI against the truth (0.60): either way of taking the study pulls it in
SELECT p.model, round(p.roi::numeric, 2) AS roi, round(p.roi_lower::numeric, 2) AS roi_lower, round(p.roi_upper::numeric, 2) AS roi_upper,
       abs(p.roi - t.value) < abs(n.roi - t.value) OR p.model = 'xl_b_none' AS closer_than_without
  FROM mixmodel.channel_performance p JOIN mixmodel.channel_performance n ON n.model = 'xl_b_none' AND n.channel = p.channel,
       xl.truth_parameters t
 WHERE p.model LIKE 'xl\_b\_%' AND p.channel = 'tv_spend' AND t.channel = 'tv' AND t.parameter = 'roi' ORDER BY 1;
-- switching a Bayesian model's study to the ROI prior drops the likelihood term, and back
SELECT count(*) FROM mixmodel.register_lift_study('xl_b_lift', 'xl_tv_lift', 'tv_spend', register_as => 'roi_prior',
         start_date => '2023-10-16', end_date => '2023-12-10');
SELECT options ? 'experiments' AS has_studies, options #> '{priors,tv_spend,roas}' ? 'mean' AS has_roas_prior
  FROM mixmodel.models WHERE name = 'xl_b_lift';
SELECT count(*) FROM mixmodel.register_lift_study('xl_b_lift', 'xl_tv_lift', 'tv_spend', start_date => '2023-10-16', end_date => '2023-12-10');
SELECT jsonb_array_length(options->'experiments') AS studies, options ? 'priors' AS has_priors
  FROM mixmodel.models WHERE name = 'xl_b_lift';
-- a negative lift registers as a lift study (no ROI: a LogNormal needs a positive one), not as an ROI prior
CREATE TABLE xl.neg AS SELECT CASE treatment WHEN 'holdout' THEN 'exposed' ELSE 'holdout' END AS treatment, converted, revenue,
       assigned_at FROM xl.experiment_assignments WHERE experiment = 'tv_holdout';
SELECT mixmodel.create_experiment('xl_neg', 'xl.neg', 'treatment', 'holdout', value_column => 'revenue', time_column => 'assigned_at');
SET client_min_messages = warning;
SELECT round(lift_abs) < 0 AS negative, roi_mu FROM mixmodel.register_lift_study('xl_none', 'xl_neg', 'search_spend',
         start_date => '2023-10-16', end_date => '2023-12-10');
SELECT options ? 'priors' AS has_priors, jsonb_array_length(options->'experiments') AS studies FROM mixmodel.models WHERE name = 'xl_none';
-- a model whose studies are in a table of their own
SELECT mixmodel.create_model('xl_table', source => 'xl.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"experiments": "xl.neg"}');
-- it takes an ROI prior all the same
SELECT round(roi_mean::numeric, 3) AS roas FROM mixmodel.register_lift_study('xl_table', 'xl_tv_lift', 'tv_spend', register_as => 'roi_prior',
         start_date => '2023-10-16', end_date => '2023-12-10');
SELECT options->>'experiments' AS experiments, options #> '{priors,tv_spend,roas}' ? 'mean' AS has_roas_prior
  FROM mixmodel.models WHERE name = 'xl_table';

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
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_tv_lift', 'tv_spend', register_as => NULL);
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_tv_lift', 'tv_spend', register_as => 'both');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', register_as => 'roi_prior');
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_tv_lift', 'tv_spend', calibration => 'mape_lift');
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_tv_lift', 'email_sends', register_as => 'roi_prior');
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_neg', 'tv_spend', register_as => 'roi_prior',
         start_date => '2023-10-16', end_date => '2023-12-10');
\set VERBOSITY default
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_subject', 'tv_spend');
SELECT * FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend', register_as => 'roi_prior');
SELECT * FROM mixmodel.register_lift_study('xl_b_prior', 'xl_neg', 'tv_spend', register_as => 'roi_prior',
         start_date => '2023-10-16', end_date => '2023-12-10');
-- the registered lift is the same bit for bit whatever the session's parallel settings (the
-- arm statistics, a parallel aggregate, are read serially): the posterior trained on it too
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 0;
SELECT lift_abs AS abs0, lift_se AS se0
  FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control)) \gset
SET max_parallel_workers_per_gather = 2;
SELECT lift_abs = :abs0 AND lift_se = :se0 AS same_lift_with_parallel_workers
  FROM mixmodel.register_lift_study('xl_cal', 'xl_tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM xl.experiment_truth WHERE experiment = 'tv_holdout' AND control));
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT mixmodel.drop_experiment(e) FROM unnest(ARRAY['xl_tv_lift', 'xl_neg', 'xl_subject', 'xl_no_time']) e;
DELETE FROM mixmodel.models WHERE name LIKE 'xl\_%';
DROP SCHEMA xl CASCADE;
