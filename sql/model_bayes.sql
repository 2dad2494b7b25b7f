-- Bayesian inference (the default): a posterior by NUTS, its diagnostics, intervals in every view,
-- bit-identical reruns, priors and lift studies, the mode only (map), bad input
-- (doc/model.md "Bayesian inference").  Values that depend on the sampler's path are shown as
-- booleans with tolerances: another CPU's BLAS kernels may round differently.
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('mb', seed => 7, weeks => 156, events => 3000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.create_model('mb1', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], organic => ARRAY['email_sends'],
       factors => ARRAY['price_index', 'holiday']);
SELECT split, n FROM mixmodel.train('mb1', seed => 11);
SELECT inference, candidates, chosen_candidate IS NULL AS no_candidate, from_date = (SELECT min(week) FROM mb.weekly_wide) AS all_weeks
  FROM mixmodel.runs WHERE model = 'mb1';
-- 4 chains of 1,000 draws, stored; every channel quantity converged
SELECT count(*) AS draws, count(DISTINCT chain) AS chains, min(cardinality(params)) = max(cardinality(params)) AS same_width
  FROM mixmodel.run_draws WHERE model = 'mb1';
SELECT term, bool_and(converged) AS converged, max(rhat) <= 1.01 AS rhat_ok, min(ess_bulk) >= 400 AS ess_ok
  FROM mixmodel.model_posterior WHERE model = 'mb1' AND term <> '' GROUP BY term ORDER BY term;
SELECT item FROM mixmodel.run_diagnostics WHERE model = 'mb1' AND item LIKE 'sampler%' ORDER BY item;
-- the shares against the truth: the median within 3 points, the 90% interval around the truth
WITH tr AS (SELECT t.term || '_spend' AS term, sum(t.contribution) / (SELECT sum(k.expected) FROM mb.truth_kpi k
                 JOIN mixmodel.run_fit f ON f.period = k.week AND f.model = 'mb1' AND NOT f.holdout) AS share
              FROM mb.truth_contributions t JOIN mixmodel.run_fit f ON f.period = t.week AND f.model = 'mb1' AND NOT f.holdout
             WHERE t.term IN ('tv', 'search') GROUP BY t.term)
SELECT p.term, abs(p.median - tr.share) <= 0.03 AS median_within_3_points, tr.share BETWEEN p.lower AND p.upper AS covered
  FROM mixmodel.model_posterior p JOIN tr USING (term) WHERE p.model = 'mb1' AND p.parameter = 'share' ORDER BY p.term;
-- the point model (parameter-wise posterior median) against the posterior median of the share
SELECT c.channel, abs(c.share - p.median) < 0.005 AS point_near_median
  FROM mixmodel.run_channels c JOIN mixmodel.run_posterior p ON p.model = c.model AND p.run = c.run AND p.term = c.channel
 WHERE c.model = 'mb1' AND p.parameter = 'share' ORDER BY c.position;

-- intervals in the views, consistent with run_posterior
SELECT channel, interval_level, roi_lower <= roi AND roi <= roi_upper AS roi_inside,
       abs(roi_lower - (contribution_lower / spend - 1)) < 1e-9 AS roi_from_contribution,
       cpa_lower <= cpa AND cpa <= cpa_upper AS cpa_inside, marginal_roi_lower < marginal_roi_upper AS mroi_band,
       effect_share_lower < effect_share_upper AS share_band
  FROM mixmodel.channel_performance WHERE model = 'mb1' ORDER BY channel;
SELECT count(*) AS rows, avg((contribution BETWEEN lower AND upper)::int) > 0.95 AS mostly_inside,
       bool_and(lower <= upper) AS ordered
  FROM mixmodel.contributions WHERE model = 'mb1' AND source = 'training';
SELECT avg((predicted BETWEEN predicted_lower AND predicted_upper)::int) > 0.95 AS fit_inside FROM mixmodel.model_fit WHERE model = 'mb1';
SELECT channel, bool_and(response_lower <= response_upper) AS ordered,
       bool_and(response BETWEEN response_lower AND response_upper) FILTER (WHERE is_current) AS current_inside,
       max(response_upper - response_lower) FILTER (WHERE multiple = 0) = 0 AS zero_at_zero
  FROM mixmodel.response_curves WHERE model = 'mb1' GROUP BY channel ORDER BY channel;
SELECT channel, bool_and(weight_lower <= weight AND weight <= weight_upper) AS inside
  FROM mixmodel.adstock_curves WHERE model = 'mb1' GROUP BY channel ORDER BY channel;
-- a plan of the model: optimised at the point model, its forecast banded over the draws
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('mb_plan', 'mb1',
       flights => '[{"from": "2026-01-05", "to": "2026-03-29", "budget": 20000}]');
SELECT channel, incremental_lower <= incremental AND incremental <= incremental_upper AS inside,
       roi_lower <= roi AND roi <= roi_upper AS roi_inside
  FROM mixmodel.plan_summary WHERE plan = 'mb_plan' AND channel <> 'base' ORDER BY channel;
SELECT avg((incremental BETWEEN incremental_lower AND incremental_upper)::int) > 0.95 AS weeks_inside
  FROM mixmodel.plan_allocations WHERE plan = 'mb_plan' AND kind = 'paid' AND NOT carryover;

-- the same seed gives the same draws, bit for bit, whether the chains ran in threads (run 1,
-- mixmodel.sampler_threads 4 by default, at most the CPUs) or one after another; another seed
-- other draws
SET mixmodel.sampler_threads = 1;
SELECT count(*) FROM mixmodel.train('mb1', seed => 11);
RESET mixmodel.sampler_threads;
SELECT count(*) AS same_draws FROM mixmodel.run_draws a JOIN mixmodel.run_draws b USING (model, chain, draw)
 WHERE a.model = 'mb1' AND a.run = 1 AND b.run = 2 AND a.params = b.params AND a.lp = b.lp;
SELECT (SELECT jsonb_agg(to_jsonb(p) - 'run' ORDER BY p.term, p.parameter) FROM mixmodel.run_posterior p WHERE p.model = 'mb1' AND p.run = 1)
     = (SELECT jsonb_agg(to_jsonb(p) - 'run' ORDER BY p.term, p.parameter) FROM mixmodel.run_posterior p WHERE p.model = 'mb1' AND p.run = 2)
       AS same_posterior;
SELECT count(*) FROM mixmodel.train('mb1', seed => 12);
SELECT count(*) AS same_draws_other_seed FROM mixmodel.run_draws a JOIN mixmodel.run_draws b USING (model, chain, draw)
 WHERE a.model = 'mb1' AND a.run = 1 AND b.run = 3 AND a.params = b.params;

-- a multiplicative model, fewer draws
SELECT mixmodel.create_model('mb2', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index'],
       options => '{"form": "multiplicative", "chains": 2, "draws": 300, "warmup": 300}');
SET client_min_messages = error;   -- (300 draws may fall short of ESS 400: a WARNING)
SELECT split, n FROM mixmodel.train('mb2', seed => 1);
SELECT count(*) AS draws FROM mixmodel.run_draws WHERE model = 'mb2';
SELECT bool_and(abs(c.sum - f.predicted) < 1e-6 * f.predicted) AS terms_sum_to_prediction
  FROM (SELECT period, sum(contribution) FROM mixmodel.run_decomposition WHERE model = 'mb2' GROUP BY period) c
  JOIN mixmodel.run_fit f ON f.model = 'mb2' AND f.period = c.period;

-- the mode of the same posterior only (inference map): a point model, no draws, no intervals
SELECT mixmodel.create_model('mb_map', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "map"}');
SELECT split, n FROM mixmodel.train('mb_map', seed => 1);
SELECT (SELECT count(*) FROM mixmodel.run_draws WHERE model = 'mb_map') AS draws,
       (SELECT count(*) FROM mixmodel.run_posterior WHERE model = 'mb_map') AS summaries,
       (SELECT bool_and(roi_lower IS NULL) FROM mixmodel.channel_performance WHERE model = 'mb_map') AS no_intervals;

-- priors: a tight ROAS prior on tv pulls its ROAS there; a contribution prior pulls the share
SELECT mixmodel.create_model('mb_prior', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'],
       options => '{"chains": 2, "draws": 300, "warmup": 300,
                    "priors": {"tv_spend": {"roas": {"lognormal": [1.6094, 0.02]}, "theta": {"beta": [2, 5]}, "alpha": 1},
                               "search_spend": {"contribution": 0.02, "confidence": 0.99}}}');
SELECT count(*) FROM mixmodel.train('mb_prior', seed => 1);
SET client_min_messages = warning;
SELECT term, parameter, round(median::numeric, 2) AS median FROM mixmodel.model_posterior
 WHERE model = 'mb_prior' AND ((term = 'tv_spend' AND parameter = 'roas') OR (term = 'search_spend' AND parameter = 'share'))
 ORDER BY term;
SELECT sat_p1 AS tv_alpha_fixed FROM mixmodel.run_channels WHERE model = 'mb_prior' AND channel = 'tv_spend';
-- a lift study (Gaussian likelihood term) moves the channel's contribution over the study to the lift
SELECT sum(contribution) AS tv_in_march FROM mixmodel.contributions
 WHERE model = 'mb1' AND run = 3 AND term = 'tv_spend' AND period BETWEEN '2024-03-04' AND '2024-03-25' \gset
SELECT mixmodel.create_model('mb_lift', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], organic => ARRAY['email_sends'], factors => ARRAY['price_index', 'holiday'],
       options => jsonb_build_object('chains', 2, 'draws', 300, 'warmup', 300,
                  'experiments', jsonb_build_array(jsonb_build_object('channel', 'tv_spend', 'start_date', '2024-03-04',
                                  'end_date', '2024-03-31', 'lift_abs', 3 * :tv_in_march, 'lift_se', 0.05 * :tv_in_march))));
SET client_min_messages = error;
SELECT count(*) FROM mixmodel.train('mb_lift', seed => 1);
SELECT sum(contribution) / :tv_in_march > 1.5 AS moved_towards_the_study FROM mixmodel.contributions
 WHERE model = 'mb_lift' AND term = 'tv_spend' AND period BETWEEN '2024-03-04' AND '2024-03-25';

-- a run that has not converged is stored with its diagnostics and a WARNING
SET client_min_messages = warning;
SELECT mixmodel.create_model('mb_short', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"chains": 2, "draws": 100, "warmup": 0}');
\set VERBOSITY terse
SELECT count(*) FROM mixmodel.train('mb_short', seed => 1);
\set VERBOSITY default
SELECT count(*) > 0 AS flagged FROM mixmodel.run_diagnostics WHERE model = 'mb_short' AND item IN ('warning_rhat', 'warning_ess');
SELECT current_run FROM mixmodel.models WHERE name = 'mb_short';

-- sampling honours statement_timeout (and cancel): a long retraining stops in time, writes nothing
-- and leaves the previous run current (the options are raised in the catalog directly, as a
-- stand-in for a model whose sampling runs for minutes)
SET client_min_messages = error;
SELECT mixmodel.create_model('mb_long', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"chains": 2, "warmup": 100, "draws": 100}');
SELECT count(*) > 0 AS trained FROM mixmodel.train('mb_long', seed => 1);
SET client_min_messages = warning;
UPDATE mixmodel.models SET options = '{"chains": 16, "warmup": 50000, "draws": 50000}' WHERE name = 'mb_long';
SET statement_timeout = '2s';
SELECT mixmodel.train('mb_long', seed => 2);
RESET statement_timeout;
SELECT count(*) AS runs, max(run) AS last_run, (SELECT current_run FROM mixmodel.models WHERE name = 'mb_long') AS current_run,
       (SELECT count(*) FROM mixmodel.run_draws d WHERE d.model = 'mb_long') AS draws_of_run_1
  FROM mixmodel.runs WHERE model = 'mb_long';

-- bad input: a working model with one option made hostile
\set ON_ERROR_STOP 0
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"draws": 50}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"chains": 0}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"interval": 1.5}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"target_accept": "high"}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"candidates": 100}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "chains": 4}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "gibbs"}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"paid_media_share": {"mean": 1.2}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "priors": {"tv_spend": {"roas": {"lognormal": [0, 1]}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"theta": {"cauchy": [0, 1]}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"theta": {"beta": [1, -3]}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"gamma": {"gamma": [2, 1]}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"roas": {"mean": -1, "sd": 1}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"alpha": {"halfnormal": [0]}}}}');
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"priors": {"tv_spend": {"alpha": {"gamma": [2]}}}}');
-- a lift study without its standard error: found when the model trains
SELECT mixmodel.create_model('mb_bad', source => 'mb.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"experiments": [{"channel": "tv_spend", "start_date": "2024-03-04", "end_date": "2024-03-31", "lift_abs": 100}]}');
SELECT mixmodel.train('mb_bad');
SELECT mixmodel.train('mb1', candidates => 100);
-- the failed trainings left nothing behind
SELECT count(*) AS runs_of_failed_model FROM mixmodel.runs WHERE model = 'mb_bad';
SELECT max(run) AS mb1_runs FROM mixmodel.runs WHERE model = 'mb1';
