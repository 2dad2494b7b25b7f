-- create_plan over a model of harmonized touchpoints and a conversion (doc/plan.md): revenue per
-- conversion and channel costs from the harmonized history
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
SELECT count(*) FROM mixmodel.generate_raw_data('ph', seed => 22, weeks => 110, events => 2000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.add_dataset_rule('ph_daily', 'ph.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ph_weekly', 'ph.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ph_sends', 'ph.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ph_conversions', 'ph.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ph_factors', 'ph.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}') IS NOT NULL AS rule;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('ph_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ph_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ph_email', rule => 'channel = email', volume_metric => 'sends');
SELECT mixmodel.add_conversion('ph_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');


SELECT mixmodel.create_model('ph_model', conversion => 'ph_online', touchpoints => ARRAY['ph_tv', 'ph_search', 'ph_email'],
       factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 40, "saturation": "michaelis_menten"}');
SELECT count(*) FROM mixmodel.train('ph_model', seed => 1);
SELECT max(period) + 7 AS plan_from, max(period) + 7 * 13 AS plan_to
  FROM mixmodel.conversion_series('ph_online') \gset
SELECT count(*) FROM mixmodel.create_plan('ph_plan', 'ph_model', target_metric => 'conversions',
         flights => jsonb_build_array(jsonb_build_object('from', :'plan_from', 'to', :'plan_to', 'budget', 50000)));
-- the KPI is revenue; revenue per conversion and cost per GRP / click come from the harmonized history
SELECT p.kpi_unit,
       abs(p.revenue_per_conversion - (SELECT sum(revenue) / sum(conversions) FROM mixmodel.conversion_series('ph_online') s, mixmodel.runs r
                                             WHERE r.model = 'ph_model' AND r.run = 1 AND s.period BETWEEN r.from_date AND r.to_date)) < 1e-9 AS rpc_from_history
  FROM mixmodel.plans p WHERE p.name = 'ph_plan';
SELECT a.channel,
       bool_and(abs(a.volume - a.spend * t.volume / t.spend) <= 1e-9 * a.volume) AS volume_from_cost,
       bool_and(abs(a.conversions * p.revenue_per_conversion - a.revenue) <= 1e-9 * abs(a.revenue)) AS conversions_from_revenue
  FROM mixmodel.plan_allocations a JOIN mixmodel.plans p ON p.name = a.plan,
       LATERAL (SELECT sum(s.volume) AS volume, sum(s.spend) AS spend FROM mixmodel.touchpoint_series(a.channel) s, mixmodel.runs r
                 WHERE r.model = 'ph_model' AND r.run = 1 AND s.period BETWEEN r.from_date AND r.to_date) t
 WHERE a.plan = 'ph_plan' AND a.kind = 'paid' AND a.spend > 0
 GROUP BY a.channel ORDER BY a.channel;
SELECT abs(f.spend - 50000) < 1e-6 AS budget_met, p.kkt_residual < 1e-6 AS certified,
       (SELECT count(*) FROM mixmodel.plan_actuals x WHERE x.plan = 'ph_plan') AS weeks_with_actuals
  FROM mixmodel.plan_flights f JOIN mixmodel.plans p ON p.name = f.plan WHERE f.plan = 'ph_plan';
-- a conversions target: the least spend whose optimal split adds that many conversions
SELECT count(*) FROM mixmodel.create_plan('ph_target', 'ph_model', goal => 'target', target_metric => 'conversions',
         flights => jsonb_build_array(jsonb_build_object('from', :'plan_from', 'to', :'plan_to', 'target', 100)),
         max_budget => 1e7);
SELECT f.achievable, abs(f.best - 100) < 1e-6 * 100 AS reached,
       abs(s.incremental / p.revenue_per_conversion - 100) < 1e-6 * 100 AS increment_is_target
  FROM mixmodel.plan_flights f JOIN mixmodel.plans p ON p.name = f.plan
  JOIN mixmodel.plan_summary s ON s.plan = f.plan AND s.flight = f.flight AND s.channel = 'total'
 WHERE f.plan = 'ph_target';
ROLLBACK;
