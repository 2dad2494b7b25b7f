-- model: create_model from harmonized touchpoints, a conversion and a factor; train
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
SELECT count(*) FROM mixmodel.generate_raw_data('mh', seed => 21, weeks => 110, events => 2000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.add_dataset_rule('mh_daily', 'mh.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('mh_weekly', 'mh.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('mh_sends', 'mh.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('mh_conversions', 'mh.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('mh_factors', 'mh.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}') IS NOT NULL AS rule;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('mh_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('mh_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('mh_email', rule => 'channel = email', volume_metric => 'sends');
SELECT mixmodel.add_conversion('mh_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');

SELECT mixmodel.create_model('mh_model', conversion => 'mh_online', touchpoints => ARRAY['mh_tv', 'mh_search', 'mh_email'],
       factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 300}');
SELECT split, n, r2 > 0.3 AS fits FROM mixmodel.train('mh_model');
SELECT channel, paid, coef >= 0 AS nonneg FROM mixmodel.run_channels WHERE model = 'mh_model' ORDER BY position;
-- the paid inputs are the touchpoints' weekly spend, the organic one its sends
SELECT c.channel, c.spend = (SELECT sum(s.spend) FROM mixmodel.touchpoint_series('mh_tv') s
                              WHERE s.period >= r.from_date AND s.period < r.holdout_from) AS tv_spend_matches
  FROM mixmodel.run_channels c JOIN mixmodel.runs r USING (model, run)
 WHERE c.model = 'mh_model' AND c.channel = 'mh_tv';
SELECT term, kind FROM mixmodel.run_coefficients WHERE model = 'mh_model' AND kind = 'factor';

\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
SELECT mixmodel.create_model('mh_bad', conversion => 'mh_online', touchpoints => ARRAY['mh_radio']);
SELECT mixmodel.create_model('mh_bad', conversion => 'nope', touchpoints => ARRAY['mh_tv']);
SELECT mixmodel.create_model('mh_bad', conversion => 'mh_online', touchpoints => ARRAY['mh_email']);
SELECT mixmodel.create_model('mh_bad', conversion => 'mh_online', touchpoints => ARRAY['mh_tv'], factors => ARRAY['weather']);
ROLLBACK;
