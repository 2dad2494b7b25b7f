-- touchpoints and conversions in use by a model cannot be deleted (issue 13, defect 2):
-- 2BP01 naming the models, as for fields; once no model uses them they can
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('du', seed => 5, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search']);
SELECT mixmodel.add_dataset_rule('du_weekly', 'du.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('du_daily', 'du.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('du_conv', 'du.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('du_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('du_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('du_spare', rule => 'channel = search', volume_metric => 'clicks');
SELECT mixmodel.add_conversion('du_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.add_conversion('du_spare_conv', rule => 'conversiontype = online', metric => 'orders');
SELECT mixmodel.create_model('du_m1', conversion => 'du_online', touchpoints => ARRAY['du_tv', 'du_search'],
       options => '{"inference": "ridge", "candidates": 30}');
SELECT mixmodel.create_model('du_m2', conversion => 'du_online', touchpoints => ARRAY['du_tv'], options => '{"inference": "ridge", "candidates": 30}');
SELECT split, n FROM mixmodel.train('du_m1', seed => 1);

\set ON_ERROR_ROLLBACK on
SELECT mixmodel.delete_touchpoint('du_tv');
SELECT mixmodel.delete_touchpoint('du_search');
SELECT mixmodel.delete_conversion('du_online');
\set VERBOSITY terse
-- nothing was deleted: training, scoring and the views still work
SELECT split, n FROM mixmodel.train('du_m1', seed => 1);
SELECT count(*) AS terms FROM mixmodel.score('du_m1', '2024-06-03', '2024-07-01');
SELECT count(*) > 0 AS channel_performance FROM mixmodel.channel_performance WHERE model = 'du_m1';
SELECT count(*) > 0 AS touchpoint_breakdown FROM mixmodel.touchpoint_breakdown WHERE model = 'du_m1';
SELECT count(*) > 0 AS response_curves FROM mixmodel.response_curves WHERE model = 'du_m1';
-- definitions no model uses can go
SELECT mixmodel.delete_touchpoint('du_spare');
SELECT mixmodel.delete_conversion('du_spare_conv');
-- once the models using them are dropped, so can the others
SELECT mixmodel.drop_model('du_m2');
SELECT mixmodel.delete_touchpoint('du_search');
SELECT mixmodel.drop_model('du_m1');
SELECT mixmodel.delete_touchpoint('du_tv'), mixmodel.delete_touchpoint('du_search'), mixmodel.delete_conversion('du_online');
SELECT mixmodel.delete_touchpoint('du_tv');
ROLLBACK;
