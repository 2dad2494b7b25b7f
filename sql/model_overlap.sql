-- overlapping touchpoints are refused (issue 13, defect 7): two touchpoints of a model that
-- count the same harmonized rows would count that spend twice; create_model and train check
-- the harmonized rows (22023, naming the pair, the rows and their share)
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('ov', seed => 8, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.add_dataset_rule('ov_weekly', 'ov.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ov_daily', 'ov.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ov_sends', 'ov.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"sends": {"column": "sends"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ov_conv', 'ov.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('ov_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ov_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ov_paid_all', rule => 'channel != email', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ov_email', rule => 'channel = email', volume_metric => 'sends');
SELECT mixmodel.add_conversion('ov_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
-- the overlap, as rows both rules select with a value for both touchpoints
SELECT touchpoint_a, touchpoint_b, rows, round(share_a::numeric, 3) AS share_a, round(share_b::numeric, 3) AS share_b
  FROM mixmodel.touchpoint_overlap(ARRAY['ov_tv', 'ov_search', 'ov_paid_all', 'ov_email']) ORDER BY 1, 2;

\set ON_ERROR_ROLLBACK on
-- TV counted twice: refused
SELECT mixmodel.create_model('ov_double', conversion => 'ov_online', touchpoints => ARRAY['ov_tv', 'ov_paid_all'],
       options => '{"inference": "ridge", "candidates": 30}');
-- disjoint touchpoints (paid and organic) are fine
SELECT mixmodel.create_model('ov_ok', conversion => 'ov_online', touchpoints => ARRAY['ov_tv', 'ov_search', 'ov_email'],
       options => '{"inference": "ridge", "candidates": 30}');
SELECT split, n FROM mixmodel.train('ov_ok', seed => 1);
-- a rule changed later so that two touchpoints overlap: training refuses
SELECT mixmodel.update_touchpoint('ov_search', rule => 'channel != email');
\set VERBOSITY terse
SELECT split, n FROM mixmodel.train('ov_ok', seed => 1);
SELECT mixmodel.update_touchpoint('ov_search', rule => 'channel = search');
SELECT split, n FROM mixmodel.train('ov_ok', seed => 1);
-- bad input to the report
SELECT * FROM mixmodel.touchpoint_overlap(ARRAY['ov_tv', 'ov_nope']);
SELECT * FROM mixmodel.touchpoint_overlap(NULL);
SELECT * FROM mixmodel.touchpoint_overlap(ARRAY['ov_tv', NULL]);
ROLLBACK;
