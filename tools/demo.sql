-- mixmodel demo: the workflow on generated data.  Run by tools/demo.
\pset footer off
CREATE EXTENSION mixmodel;
SELECT mixmodel.version() AS mixmodel_version;

-- transforms: adstock
-- An 8-week media plan for three channels, generated here.  Adstock spreads
-- each week's spend over the weeks after it: TV keeps working for weeks
-- (theta 0.7), social a little (0.4), search hardly at all (0.1).
\echo
\echo 'Adstock: spend still working each week (geometric carry-over, Robyn convention)'
WITH plan AS (
    SELECT w AS week, c.channel, c.theta,
           CASE c.channel
               WHEN 'tv'     THEN CASE WHEN w <= 2 THEN 50000 ELSE 0 END
               WHEN 'social' THEN CASE WHEN w IN (4, 5) THEN 20000 ELSE 0 END
               ELSE 10000
           END::float8 AS spend
      FROM generate_series(1, 8) AS w,
           (VALUES ('tv', 0.7), ('social', 0.4), ('search', 0.1)) AS c(channel, theta)
)
SELECT week, channel, spend::numeric AS spend,
       round(mixmodel.adstock_geometric(spend, theta)
                 OVER (PARTITION BY channel ORDER BY week)::numeric) AS adstocked
  FROM plan
 ORDER BY channel, week;

-- transforms: saturation
-- Diminishing returns: each extra dollar of weekly TV pressure buys less.  A Hill
-- curve (k = 60,000 of adstocked spend gives half the maximum response, alpha =
-- 1.5) turns the adstocked spend into a share of the most TV can deliver, and its
-- derivative gives what the next $1,000 adds at each level.
\echo
\echo 'Saturation: TV response at several weekly spend levels (Hill, k 60000, alpha 1.5)'
SELECT spend::numeric AS weekly_spend,
       round(100 * mixmodel.hill(spend, 1.5, 60000)::numeric, 1) AS "response_%_of_max",
       round(100 * 1000 * mixmodel.saturation_deriv('hill', spend, 1.5, 60000)::numeric, 2)
           AS "next_1000_adds_%"
  FROM unnest(ARRAY[10000, 30000, 60000, 120000, 240000]::float8[]) AS spend;

-- ingest: generated raw data
-- Three years of raw marketing data in schema raw, as the sources deliver it,
-- drawn from a known model (seed 42) whose truth is stored beside it.  The web
-- events carry persons, sessions and email journeys, and each online order its
-- true cause (a channel's touch, or the base), for event-level attribution.
\echo
\echo 'Generated raw data: tables and row counts (schema raw)'
SELECT * FROM mixmodel.generate_raw_data('raw', seed => 42, weeks => 156, events => 50000, options => '{"journeys": true}');
\echo 'First 4 weeks, Robyn-style (raw.weekly_wide)'
SELECT week, round(revenue) AS revenue, round(tv_spend) AS tv, round(search_spend) AS search,
       round(social_spend) AS social, round(display_spend) AS display, email_sends AS email
  FROM raw.weekly_wide ORDER BY week LIMIT 4;
\echo 'The truth to recover: ROI of each paid channel, (revenue - spend) / spend (raw.truth_parameters)'
SELECT channel, round(value::numeric, 2) AS true_roi
  FROM raw.truth_parameters WHERE parameter = 'roi' AND value IS NOT NULL ORDER BY channel;

-- harmonize
-- Dataset rules map the raw tables onto harmonized fields; sync rolls them all
-- up to weeks (the coarsest grain here).  Social is restated by the publisher:
-- the latest load of each day wins.  Web touches also count clicks, but the
-- summary data report clicks for the same channels and weeks, so (merge
-- preference "summary") the event clicks give way.
SELECT mixmodel.add_dataset_rule('daily_media', 'raw.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"},
                                   "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('weekly_media', 'raw.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"},
                                   "impressions": {"column": "impressions"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('sends', 'raw.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}, "opens": {"column": "opens"},
                                   "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('web_events', 'raw.events', category => 'event', date_column => 'event_ts',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "conversiontype": "conversion_type"},
                       "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
                                   "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                                   "revenue": {"op": "sum", "column": "revenue"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('conversions', 'raw.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('weekly_factors', 'raw.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}') \g /dev/null
\echo
\echo 'Harmonize: sync of the generated tables into mixmodel.harmonized'
SELECT dataset, category, granularity, grain, rows_read, rows_written FROM mixmodel.sync() ORDER BY dataset;
\echo 'Harmonized weekly summary per channel, first 3 weeks'
SELECT period AS week, channel, round(sum(spend)) AS spend, sum(impressions)::bigint AS impressions,
       sum(clicks)::bigint AS clicks, sum(sends)::bigint AS sends
  FROM mixmodel.harmonized
 WHERE channel IS NOT NULL AND period < (SELECT min(period) + 21 FROM mixmodel.harmonized)
 GROUP BY 1, 2 ORDER BY 1, 2;
\echo 'Orders and revenue per week (summary conversions win over web conversion events)'
SELECT period AS week, dataset, conversiontype, sum(orders)::bigint AS orders, round(sum(revenue)) AS revenue
  FROM mixmodel.harmonized
 WHERE conversiontype IS NOT NULL AND period < (SELECT min(period) + 14 FROM mixmodel.harmonized)
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- model: train
-- A model straight from the Robyn-style wide table: four paid channels, email
-- as organic, the three factors and the holiday weeks.  Training draws the
-- posterior of the model (4 chains of 1,000 draws by NUTS, doc/bayes.md):
-- every number the views show comes with a 90%
-- credible interval, and the sampler's convergence is checked.  The last
-- quarter of the three years is held out.
-- Sampling reports its progress as a NOTICE every 2 seconds; the demo keeps
-- to its tables (warnings still show).
SET client_min_messages = warning;
SELECT mixmodel.create_model('demo', source => 'raw.weekly_wide', date_column => 'week', kpi => 'revenue',
         media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
         factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
         options => '{"factor_signs": {"price_index": "negative"}}') \g /dev/null
\echo
\echo 'Model: fit metrics of the trained run (train = in sample, test = held-out last 39 weeks)'
SELECT split, n, round(r2::numeric, 3) AS r2, round(mape::numeric, 3) AS mape, round(nrmse::numeric, 3) AS nrmse
  FROM mixmodel.train('demo', seed => 42);
\echo 'Model: the sampler''s diagnostics (R-hat <= 1.01 and ESS >= 400 for every channel quantity: converged)'
SELECT round(max(p.rhat)::numeric, 3) AS worst_rhat, round(min(p.ess_bulk)) AS least_ess,
       (SELECT round(d.value) FROM mixmodel.run_diagnostics d JOIN mixmodel.models m ON m.name = d.model AND m.current_run = d.run
         WHERE d.model = 'demo' AND d.item = 'sampler_divergences') AS divergences,
       (SELECT round(d.value::numeric, 1) FROM mixmodel.run_diagnostics d JOIN mixmodel.models m ON m.name = d.model AND m.current_run = d.run
         WHERE d.model = 'demo' AND d.item = 'sampler_seconds') AS seconds
  FROM mixmodel.model_posterior p WHERE p.model = 'demo' AND p.term <> '';
\echo 'Model: contribution share of revenue per channel over the training weeks, with its 90% interval, next to'
\echo 'the truth (share of the noiseless revenue)'
SELECT split_part(split_part(p.term, '_spend', 1), '_sends', 1) AS channel, round(p.median::numeric, 3) AS share,
       format('%s to %s', round(p.lower::numeric, 3), round(p.upper::numeric, 3)) AS "90% interval",
       round(((SELECT sum(t.contribution) FROM raw.truth_contributions t
                WHERE t.term = split_part(split_part(p.term, '_spend', 1), '_sends', 1)
                  AND t.week >= r.from_date AND t.week < r.holdout_from)
              / (SELECT sum(k.expected) FROM raw.truth_kpi k WHERE k.week >= r.from_date AND k.week < r.holdout_from))::numeric, 3)
         AS true_share
  FROM mixmodel.model_posterior p JOIN mixmodel.runs r ON r.model = p.model AND r.run = p.run
  JOIN mixmodel.run_channels c ON c.model = p.model AND c.run = p.run AND c.channel = p.term
 WHERE p.model = 'demo' AND p.parameter = 'share' ORDER BY c.position;

-- score
-- What the demo model says per paid channel over its training weeks: spend,
-- attributed revenue and orders, CPA, ROI and the return of the next dollar at
-- the current spend (doc/score.md); then TV's response curve, with its current spend,
-- point of diminishing returns and marginal break-even point.
\echo
\echo 'Score: channel performance over the training weeks (ROI = (revenue - spend) / spend, with its 90% interval,'
\echo 'beside the true ROI; orders at the window''s revenue per order; CPA = spend per order)'
SELECT split_part(p.channel, '_spend', 1) AS channel, round(p.spend) AS spend, round(p.revenue) AS revenue,
       round(p.conversions) AS orders, round(p.cpa::numeric, 2) AS cpa, round(p.roi::numeric, 2) AS roi,
       format('%s to %s', round(p.roi_lower::numeric, 2), round(p.roi_upper::numeric, 2)) AS "90% interval",
       round(t.value::numeric, 2) AS true_roi,
       round(p.marginal_roi::numeric, 2) AS marginal_roi,
       round(p.spend_share::numeric, 3) AS spend_share, round(p.effect_share::numeric, 3) AS effect_share
  FROM mixmodel.channel_performance p
  LEFT JOIN raw.truth_parameters t ON t.channel = split_part(p.channel, '_spend', 1) AND t.parameter = 'roi'
 WHERE p.model = 'demo' ORDER BY p.spend DESC;
\echo 'Score: TV response curve over the training weeks (0 to 3x the spend; flagged points)'
SELECT round(multiple::numeric, 2) AS multiple, round(spend) AS spend, round(response) AS response,
       format('%s to %s', round(response_lower), round(response_upper)) AS "90% band",
       round(marginal_roas::numeric, 2) AS marginal_roas,
       CASE WHEN is_current THEN 'current' WHEN is_breakeven THEN 'break-even'
            WHEN is_diminishing_returns THEN 'diminishing returns' WHEN is_peak THEN 'peak' END AS point
  FROM mixmodel.response_curve('demo', 'tv_spend', grid_points => 7)
 ORDER BY spend;

-- Scoring new data: the last 39 weeks were held out of training, so score them as
-- weeks that arrived after the model was trained (mixmodel.score writes
-- mixmodel.scores and the Adobe-style mixmodel.aggregate_scores, where a
-- week's credit is traced back to the weeks whose spend earned it).
SELECT holdout_from::text AS s_from, to_date::text AS s_to
  FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
 WHERE r.model = 'demo' \gset
\echo
\echo 'Score: the held-out last 39 weeks scored as new weeks, revenue per paid channel and its ROI'
SELECT split_part(c.term, '_spend', 1) AS channel, c.periods AS weeks, round(c.spend) AS spend,
       round(c.revenue) AS revenue, round(c.roi::numeric, 2) AS roi
  FROM (SELECT count(*) FROM mixmodel.score('demo', :'s_from', :'s_to')) s,
       mixmodel.contribution('demo', :'s_from', :'s_to') c
 WHERE c.kind = 'channel' ORDER BY c.revenue DESC;
\echo 'Score: where TV''s revenue in the first scored week came from: the weeks whose spend earned it'
SELECT a.touchpoint_from AS spend_week, a.lag AS weeks_before, round(a.spend) AS spend_working,
       round(a.revenue) AS revenue
  FROM mixmodel.aggregate_scores a
 WHERE a.model = 'demo' AND a.channel = 'tv_spend' AND a.conversion_from = :'s_from' AND a.lag < 5
 ORDER BY a.lag;

-- plan
-- Next quarter for the demo model with mixmodel.create_plan: each paid channel
-- as fitted (run_channels), its spend history carrying over into the quarter,
-- the base projected from the same weeks last year.  Budget: an average
-- quarter of the training weeks; every week of every channel is optimised, and
-- the budget's last dollar returns the same in every channel (KKT certificate
-- in mixmodel.plan_flights.lambda).  The historical split is the same budget
-- with each channel held at its share of the training spend.
SELECT (max(week) + 7)::text AS q_from, (max(week) + 97)::text AS q_to FROM raw.weekly_wide \gset
SELECT round(sum(c.spend) * 13 / max((r.holdout_from - r.from_date) / 7)) AS q_budget,
       jsonb_object_agg(c.channel, jsonb_build_object('min', c.spend / t.total * 0.999999999,
                                                      'max', c.spend / t.total * 1.000000001)) AS q_shares
  FROM mixmodel.run_channels c JOIN mixmodel.runs r USING (model, run),
       (SELECT sum(spend) AS total FROM mixmodel.run_channels x JOIN mixmodel.models m ON m.name = x.model AND m.current_run = x.run
         WHERE x.model = 'demo' AND x.paid) t
 WHERE c.model = 'demo' AND c.paid AND c.run = (SELECT current_run FROM mixmodel.models WHERE name = 'demo') \gset
SELECT count(*) FROM mixmodel.create_plan('demo_budget', 'demo',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :q_budget))) \g /dev/null
SELECT count(*) FROM mixmodel.create_plan('demo_historical', 'demo',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :q_budget)),
         constraints => (SELECT jsonb_object_agg(key, jsonb_build_object('min', (value->>'min')::float8 * :q_budget,
                                                                         'max', (value->>'max')::float8 * :q_budget))
                           FROM jsonb_each(:'q_shares'::jsonb))) \g /dev/null
\echo
\echo 'Plan: an average quarter''s budget split for the most revenue, next to the historical split'
\echo '(revenue: what the quarter''s paid spend adds, carry-over after the quarter included; its 90% interval)'
SELECT split_part(p.channel, '_spend', 1) AS channel, round(h.spend) AS historical_spend,
       round(h.incremental) AS historical_revenue, round(p.spend) AS planned_spend,
       round(p.incremental) AS planned_revenue,
       format('%s to %s', round(p.incremental_lower), round(p.incremental_upper)) AS planned_revenue_90pct,
       round(p.roi::numeric, 2) AS planned_roi, round(p.marginal::numeric, 2) AS last_dollar_returns
  FROM mixmodel.plan_summary p JOIN mixmodel.plan_summary h ON h.channel = p.channel AND h.flight = p.flight
 WHERE p.plan = 'demo_budget' AND h.plan = 'demo_historical' AND p.channel <> 'base'
 ORDER BY p.channel = 'total', p.channel;

-- Goal mode: the least spend whose best split earns 10% more paid-media revenue
-- than the historical split of the average quarter.
SELECT 1.1 * incremental AS q_goal FROM mixmodel.plan_summary WHERE plan = 'demo_historical' AND channel = 'total' \gset
SELECT count(*) FROM mixmodel.create_plan('demo_target', 'demo', goal => 'target', target_metric => 'revenue',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'target', :q_goal)),
         max_budget => 3 * :q_budget) \g /dev/null
\echo
\echo 'Plan: the least budget whose best split earns 10% more paid-media revenue than the historical split'
SELECT split_part(s.channel, '_spend', 1) AS channel, round(s.spend) AS planned_spend,
       round(s.incremental) AS planned_revenue, f.achievable, round(f.best) AS reached
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE s.plan = 'demo_target' AND s.channel <> 'base'
 ORDER BY s.channel = 'total', s.channel;

-- Several conversions: a second model of the same weeks counts orders; the
-- plan maximises revenue plus 25 per order (say, each new order's later value),
-- one budget over the union of both models' channels (doc/plan.md, "Several
-- conversion models").  mixmodel.plan_model_summary has each model's forecast.
SELECT mixmodel.create_model('demo_orders', source => 'raw.weekly_wide', date_column => 'week', kpi => 'orders',
         media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
         factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
         options => '{"factor_signs": {"price_index": "negative"}}') \g /dev/null
SELECT count(*) FROM mixmodel.train('demo_orders', seed => 42) \g /dev/null
SELECT count(*) FROM mixmodel.create_plan('demo_two_goals', 'demo', models => '{"demo": 1, "demo_orders": 25}',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :q_budget))) \g /dev/null
\echo
\echo 'Plan: the same budget for revenue plus 25 per order (two models), next to the revenue-only plan'
SELECT split_part(t.channel, '_spend', 1) AS channel, round(b.spend) AS revenue_only_spend, round(t.spend) AS two_goal_spend,
       round(r.incremental) AS revenue, round(o.incremental) AS orders
  FROM mixmodel.plan_summary t
  JOIN mixmodel.plan_summary b ON b.plan = 'demo_budget' AND b.flight = t.flight AND b.channel = t.channel
  JOIN mixmodel.plan_model_summary r ON r.plan = t.plan AND r.flight = t.flight AND r.model = 'demo'
       AND r.channel = CASE t.channel WHEN 'total' THEN 'paid' ELSE t.channel END
  JOIN mixmodel.plan_model_summary o ON o.plan = t.plan AND o.flight = t.flight AND o.model = 'demo_orders'
       AND o.channel = r.channel
 WHERE t.plan = 'demo_two_goals' AND t.channel <> 'base'
 ORDER BY t.channel = 'total', t.channel;

-- geo
-- Geo-level model (doc/geo.md): 12 regions with their own spend timing and true returns
-- around each channel's; the national model over their sum, each region's effects partially
-- pooled toward it, and a budget split across regions x channels.
SELECT count(*) FROM mixmodel.generate_geo_data('geo', seed => 3, geos => 12, weeks => 104,
         channels => ARRAY['tv', 'search', 'social']) \g /dev/null
SELECT mixmodel.create_model('demo_geo', 'geo.geo_weekly', 'week', 'revenue',
         ARRAY['tv_spend', 'search_spend', 'social_spend'], ARRAY['price_index', 'holiday'],
         options => '{"geo": {"column": "geo", "population": "population"}}') \g /dev/null
SELECT count(*) FROM mixmodel.train('demo_geo') \g /dev/null
\echo
\echo 'Geo: TV''s return (revenue per dollar, ROAS) in the 4 largest of 12 regions and nationally (the sum of'
\echo 'the regions) over the training weeks, with its 90% interval, the region''s own unpooled estimate and the truth'
WITH t AS (SELECT c.geo, sum(c.contribution) AS contribution
             FROM geo.truth_geo_contributions c
            WHERE c.term = 'tv' AND c.week IN (SELECT f.period FROM mixmodel.geo_fit f
                                                WHERE f.model = 'demo_geo' AND f.split = 'train' AND f.geo = c.geo)
            GROUP BY ROLLUP (c.geo)),
     big AS (SELECT geo FROM mixmodel.run_geos WHERE model = 'demo_geo' ORDER BY population DESC LIMIT 4)
SELECT coalesce(g.geo, 'national') AS region, round(g.spend) AS tv_spend, round(g.roas::numeric, 2) AS roas,
       format('%s to %s', round(g.roas_lower::numeric, 2), round(g.roas_upper::numeric, 2)) AS roas_90pct,
       round((g.roas * g.unpooled_coef / g.coef)::numeric, 2) AS own_estimate,
       round((t.contribution / g.spend)::numeric, 2) AS true_roas
  FROM mixmodel.geo_channel_performance g JOIN t ON t.geo IS NOT DISTINCT FROM g.geo
 WHERE g.model = 'demo_geo' AND g.channel = 'tv_spend' AND (g.geo IS NULL OR g.geo IN (SELECT geo FROM big))
 ORDER BY g.geo IS NULL, g.spend DESC;
\echo
\echo 'Geo: next quarter''s budget (the last 13 weeks'' spend) across the 12 regions x 3 channels for the most'
\echo 'revenue, next to the historical split, per channel'
SELECT coalesce(split_part(channel, '_spend', 1), 'total') AS channel, round(sum(historical_spend)) AS historical_spend,
       round(sum(historical_revenue)) AS historical_revenue, round(sum(spend)) AS planned_spend,
       round(sum(revenue)) AS planned_revenue
  FROM mixmodel.geo_plan('demo_geo', (SELECT sum(tv_spend + search_spend + social_spend) FROM geo.geo_weekly
                                       WHERE week > (SELECT max(week) - 91 FROM geo.geo_weekly)))
 GROUP BY ROLLUP (channel) ORDER BY channel IS NULL, channel;

-- experiment
-- The raw data also hold the Journey Optimizer export of a content experiment:
-- every email of the last 28 days went out with subject line A (the control),
-- B or C, with known true conversion rates.  The anytime-valid interval of the
-- lift may be read every day (doc/experiment.md); P(best) is exact, and the
-- bandit column is the traffic a Thompson-sampling bandit would give each line
-- next week.
SELECT mixmodel.create_experiment('subject_line', 'raw.experiment_assignments', 'treatment', 'A',
         conversion_column => 'converted', value_column => 'revenue', time_column => 'assigned_at',
         filter => '{"experiment": "email_subject_line"}') \g /dev/null
\echo
\echo 'Experiment: email subject lines over 28 days (true conversion rates A 3.0%, B 4.2%, C 2.7%); the'
\echo 'interval is the anytime-valid 95% interval of the lift, Bonferroni-corrected for two comparisons'
SELECT r.arm, r.units::bigint AS sends, r.total::bigint AS conversions, round(100 * r.mean::numeric, 2) AS "rate_%",
       round(100 * r.lift::numeric, 1) AS "lift_%",
       CASE WHEN NOT r.is_control THEN format('%s .. %s', round(100 * (r.anytime_low / (r.mean - r.diff))::numeric, 1),
                                                round(100 * (r.anytime_high / (r.mean - r.diff))::numeric, 1)) END AS "lift_interval_%",
       r.significant, round(r.p_best::numeric, 3) AS p_best,
       round(w.weight::numeric, 3) AS next_week_bandit_weight
  FROM mixmodel.experiment_results r
  JOIN mixmodel.bandit_weights w ON w.experiment = r.experiment AND w.arm = r.arm
 WHERE r.experiment = 'subject_line' AND r.metric = 'conversion'
   AND w.week = (SELECT max(week) FROM mixmodel.bandit_weights WHERE experiment = 'subject_line')
 ORDER BY r.arm;

-- A holdout lift study of TV (half an audience held out for 8 weeks) measures
-- what TV adds over those weeks; registered with a copy of the demo model in one
-- call, its lift and standard error become a likelihood term of the posterior
-- (doc/experiment.md).  It constrains TV's effect over the study weeks only: the
-- last columns show what each model credits TV with over those weeks, beside
-- the study's measurement and the truth; TV's ROI over all the training weeks
-- moves with it, as it comes out.
SELECT mixmodel.create_experiment('tv_lift', 'raw.experiment_assignments', 'treatment', 'holdout',
         conversion_column => 'converted', value_column => 'revenue', time_column => 'assigned_at',
         filter => '{"experiment": "tv_holdout"}') \g /dev/null
SELECT mixmodel.duplicate_model('demo', 'demo_calibrated') \g /dev/null
SELECT format('Experiment: TV holdout lift study, %s +- %s revenue over 8 weeks; TV''s ROI without and',
              round(lift_abs), round(lift_se)) AS lift_title
  FROM mixmodel.register_lift_study('demo_calibrated', 'tv_lift', 'tv_spend',
         start_date => (SELECT start_date FROM raw.experiment_truth WHERE experiment = 'tv_holdout' AND control),
         end_date => (SELECT end_date FROM raw.experiment_truth WHERE experiment = 'tv_holdout' AND control)) \gset
SELECT count(*) FROM mixmodel.train('demo_calibrated', seed => 42) \g /dev/null
\echo
\echo :lift_title
\echo 'with the study in the posterior (a Gaussian likelihood term), with its 90% interval, next to the truth;'
\echo 'then TV''s revenue over the 8 study weeks: the model''s, the study''s measurement and the truth'
SELECT CASE p.model WHEN 'demo' THEN 'without the lift study' ELSE 'with the lift study' END AS model,
       round(p.roi::numeric, 2) AS tv_roi, format('%s to %s', round(p.roi_lower::numeric, 2), round(p.roi_upper::numeric, 2)) AS "90% interval",
       round(t.value::numeric, 2) AS true_tv_roi,
       (SELECT round(sum(c.contribution)) FROM mixmodel.contributions c
         WHERE c.model = p.model AND c.term = 'tv_spend' AND c.period BETWEEN x.start_date AND x.end_date) AS study_weeks_model,
       (SELECT round((e->>'lift_abs')::numeric) FROM mixmodel.models m, jsonb_array_elements(m.options->'experiments') e
         WHERE m.name = 'demo_calibrated') AS study_weeks_measured,
       round(x.incremental_revenue) AS study_weeks_true
  FROM mixmodel.channel_performance p, raw.truth_parameters t, raw.experiment_truth x
 WHERE p.model IN ('demo', 'demo_calibrated') AND p.channel = 'tv_spend' AND t.channel = 'tv' AND t.parameter = 'roi'
   AND x.experiment = 'tv_holdout' AND NOT x.control
 ORDER BY p.model;

-- attribution: event-level scores
-- Each online order in raw.events is credited to the touches of the person who
-- ordered, in the 28 days before: clicks on search, social and display, opened
-- emails.  Last touch, linear and Markov credit what converting people touched;
-- the algorithmic model (a survival model fitted on converting and non-converting
-- journeys) estimates what each channel caused.  The generator knows what each
-- channel caused, drawn from the marketing-mix truth; the MMM column is the
-- demo model's contribution share over the same weeks.  TV has no touches: MTA
-- cannot see it, the MMM can.
SELECT mixmodel.add_field('action', category => 'dimension', data_type => 'string') \g /dev/null
SELECT mixmodel.add_dataset_rule('journeys', 'raw.events', category => 'event', date_column => 'event_ts', status => 'draft',
         mappings => '{"dimensions": {"channel": "channel", "action": "action", "conversiontype": "conversion_type"},
                       "metrics": {"revenue": {"op": "sum", "column": "revenue"}}}') \g /dev/null
SELECT mixmodel.add_touchpoint('search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('social', rule => 'channel = social', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('display', rule => 'channel = display', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('email', rule => 'channel = email and action = open', volume_metric => 'opens'),
       mixmodel.add_conversion('online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue') \g /dev/null
SELECT mixmodel.create_attribution('demo_mta', 'raw.events', 'online', 'profile_id', 'event_ts', lookback => '28 days',
         models => '{last_touch, linear, markov, algorithmic}',
         options => '{"dataset": "journeys", "event_column": "event_id", "dimensions": {"journey": "journey", "message": "message"}}') \g /dev/null
SELECT from_date AS m_from, holdout_from - 1 AS m_to FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
 WHERE r.model = 'demo' \gset
\echo
\echo 'Attribution: share of the online orders credited to each channel (28-day lookback), next to what each channel'
\echo 'truly caused and the marketing-mix model''s contribution share, over the model''s training weeks'
WITH a AS (SELECT CASE WHEN x.channel IN ('none', 'baseline') THEN 'base' ELSE x.channel END AS channel, x.model, x.share
             FROM mixmodel.attribute('demo_mta', :'m_from', (:'m_to'::date + 1)::timestamptz - interval '1 microsecond') x),
     truth AS (SELECT k.cause AS channel, count(*)::float8 / sum(count(*)) OVER () AS share
                 FROM raw.truth_conversions k JOIN raw.events e USING (event_id)
                WHERE e.event_ts >= :'m_from' AND e.event_ts < :'m_to'::date + 1 GROUP BY k.cause),
     mmm AS (SELECT split_part(split_part(c.channel, '_spend', 1), '_sends', 1) AS channel, c.share
               FROM mixmodel.run_channels c JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run
              WHERE c.model = 'demo')
SELECT c.channel,
       round(100 * (SELECT x.share FROM a x WHERE x.model = 'last_touch' AND x.channel = c.channel)::numeric, 1) AS "last_touch_%",
       round(100 * (SELECT x.share FROM a x WHERE x.model = 'linear' AND x.channel = c.channel)::numeric, 1) AS "linear_%",
       round(100 * (SELECT x.share FROM a x WHERE x.model = 'markov' AND x.channel = c.channel)::numeric, 1) AS "markov_%",
       round(100 * (SELECT x.share FROM a x WHERE x.model = 'algorithmic_incremental' AND x.channel = c.channel)::numeric, 1)
           AS "algorithmic_%",
       round(100 * t.share::numeric, 1) AS "true_%",
       round(100 * CASE WHEN c.channel = 'base' THEN 1 - (SELECT sum(share) FROM mmm) ELSE m.share END::numeric, 1) AS "mmm_%"
  FROM (VALUES ('search', 1), ('social', 2), ('display', 3), ('email', 4), ('tv', 5), ('base', 6)) AS c(channel, o)
  LEFT JOIN truth t ON t.channel = c.channel
  LEFT JOIN mmm m ON m.channel = c.channel
 ORDER BY c.o;

-- Unified measurement, MMM -> MTA: the algorithmic scores rescaled, per channel
-- and week, to the marketing-mix model's contribution (revenue online and in
-- store): the event-level scores now add up to the model (mixmodel.attribution_scaling).
\echo
\echo 'Attribution reconciled with the marketing-mix model: event-level revenue per channel before and after'
SELECT channel, model_channel, periods AS weeks, round(event_credit) AS event_revenue, round(rescaled) AS rescaled_revenue,
       round(mmm_contribution) AS mmm_contribution, max_relative_error < 1e-9 AS reconciled
  FROM mixmodel.reconcile_attribution('demo_mta', 'demo') ORDER BY channel;
-- operations: every model with its status, and what the audit log recorded of the
-- models' runs and the plans (who and when are in mixmodel.audit_log too; doc/operations.md)
\echo
\echo 'Operations: the models and their status (mixmodel.model_status)'
SELECT model, conversion, status, current_run, runs, last_scored_at IS NOT NULL AS scored
  FROM mixmodel.model_status ORDER BY model;
\echo 'Operations: the audit log of models and plans'
SELECT object_type, action, count(*) AS entries, string_agg(DISTINCT object_name, ', ') AS objects
  FROM mixmodel.audit_log WHERE object_type IN ('model', 'plan') GROUP BY 1, 2 ORDER BY 1, 2;
-- report
-- What the model and its plan look like: the report's decomposition as a text bar
-- chart for psql, then one self-contained HTML page (inline SVG charts, no script, no
-- network) with the model's fit, contributions, channel performance, response curves,
-- the quarter's plan against the historical split, and the data (doc/report.md).
\echo
\echo 'Report: what makes up the predicted revenue over the training weeks (mixmodel.contribution_bars)'
SELECT term, round(contribution) AS revenue, round(100 * share::numeric, 1) AS "share_%", bar
  FROM mixmodel.contribution_bars('demo', width => 30);
\if :{?report_file}
\else
\set report_file report.html
\endif
\pset tuples_only on
\pset format unaligned
SELECT mixmodel.report('demo', plan => 'demo_budget', compare_to => 'demo_historical') \g :report_file
\pset tuples_only off
\pset format aligned
\echo 'Report: the model and its quarter plan as one HTML page, written to' :report_file '(open it in a browser)'
