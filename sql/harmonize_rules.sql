-- harmonize: dataset rule mappings (case rules with every operator), hostile values,
-- definition-time validation, merge preferences with overrides, derived fields,
-- touchpoints, conversions and their series, the audit log.
SET client_min_messages = warning;
CREATE SCHEMA hr;
SELECT coalesce(max(id), 0) AS audit_start FROM mixmodel.audit_log \gset

-- one row per day, so each row's case result is its own harmonized row
CREATE TABLE hr.camp (day date, channel text, campaign text, source text, spend numeric, clicks int);
INSERT INTO hr.camp VALUES
  ('2024-01-01', 'social', 'fb_black_friday', 'facebook', 10, 1),
  ('2024-01-02', 'social', 'BlackFriday', 'facebook', 20, 2),
  ('2024-01-03', 'social', 'summer_sale', NULL, 30, 3),
  ('2024-01-04', 'social', 'summer_sale_ig', 'instagram', 40, 4),
  ('2024-01-05', 'social', 'brand', 'tiktok', 50, 5),
  ('2024-01-06', 'social', 'promo_x', 'snap', 60, 6),
  ('2024-01-07', 'social', 'x''); DROP TABLE hr.camp; --', 'evil', 70, 7);
SELECT mixmodel.add_dataset_rule('camp', 'hr.camp', granularity => 'day', date_column => 'day', mappings => $j$
{"dimensions": {
   "channel": {"column": "channel"},
   "campaign": {"default": {"column": "campaign"}, "cases": [
      {"match": "any", "conditions": [{"column": "campaign", "op": "contains", "value": "black_friday"},
                                      {"column": "campaign", "op": "equals", "value": "BlackFriday"}],
       "then": "Black Friday"},
      {"match": "all", "conditions": [{"column": "campaign", "op": "starts_with", "value": "summer"},
                                      {"column": "source", "op": "not_exists"}],
       "then": "Summer (unknown source)"},
      {"match": "all", "conditions": [{"column": "campaign", "op": "ends with", "value": "_ig"},
                                      {"column": "source", "op": "exists"}],
       "then": "Summer (instagram)"},
      {"conditions": [{"column": "campaign", "op": "equals", "value": "x'); DROP TABLE hr.camp; --"}],
       "then": "y'); DROP TABLE hr.camp; --"}]},
   "trafficsource": {"default": {"value": "other"}, "cases": [
      {"conditions": [{"column": "source", "op": "not_equals", "value": "facebook"},
                      {"column": "source", "op": "not_contains", "value": "a"},
                      {"column": "source", "op": "exists"}], "then": "no a, not facebook"},
      {"conditions": [{"column": "source", "op": "not equals", "value": "facebook"}], "then": "not facebook"}]},
   "brand": {"value": "x'); DROP TABLE hr.camp; --"}},
 "metrics": {"spend": {"op": "sum", "column": "spend"}, "clicks": {"op": "sum", "column": "clicks"},
             "impressions": {"op": "count"},
             "linkvisits": {"op": "count", "column": "source",
                            "where": {"match": "any", "conditions": [{"column": "source", "op": "starts_with", "value": "face"}]}}}}
$j$);
SELECT dataset, rows_read, rows_written FROM mixmodel.sync();
SELECT period, campaign, trafficsource, brand, spend, clicks, impressions, linkvisits
  FROM mixmodel.harmonized ORDER BY period;
SELECT count(*) AS camp_rows_still_there FROM hr.camp;
-- the mapping as rows
SELECT field, kind, mapping, source FROM mixmodel.dataset_mappings WHERE dataset = 'camp' ORDER BY kind, field;
-- values are parameters in the generated SQL, never text
SELECT position('DROP' IN mixmodel.dataset_rule_sql('camp')) = 0 AS no_value_in_sql;

-- a hostile column name is quoted, not executed
CREATE TABLE hr."odd ""name""" ("x'); DROP TABLE hr.camp; --" date, "Chan nel" text, "spend;" float8);
INSERT INTO hr."odd ""name""" VALUES ('2024-01-01', 'radio', 5);
SELECT mixmodel.add_dataset_rule('odd', 'hr."odd ""name"""', granularity => 'day',
         date_column => 'x''); DROP TABLE hr.camp; --',
         mappings => '{"dimensions": {"channel": {"column": "Chan nel"}}, "metrics": {"spend": {"column": "spend;"}}}');
SELECT dataset, rows_read FROM mixmodel.sync() ORDER BY dataset;
SELECT period, channel, spend FROM mixmodel.harmonized WHERE dataset = 'odd';
SELECT count(*) AS camp_rows_still_there FROM hr.camp;
SELECT mixmodel.delete_dataset_rule('odd');

-- definition-time validation: each error names the dataset and the column or field
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'dya',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "chanel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "campaign"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'campaign',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"chanel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"campaign": "campaign"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => NULL);
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => NULL, date_column => 'day');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'fortnight', date_column => 'day');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": {"cases": [{"conditions": [{"column": "source", "op": "like", "value": "f%"}], "then": "x"}]}},
                       "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": {"cases": [{"conditions": [{"column": "source", "op": "equals"}], "then": "x"}]}},
                       "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}, "filter": {}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "cpc": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('bad', 'hr.camp', granularity => 'day', date_column => 'day', restatement => 'replace',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('camp', 'hr.camp', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SELECT count(*) AS no_bad_rule FROM mixmodel.dataset_rules WHERE name = 'bad';
SELECT mixmodel.delete_dataset_rule('camp');

-- merge preferences: summary and event data both report clicks and orders
CREATE TABLE hr.search_weekly (week date, channel text, clicks int, spend float8);
INSERT INTO hr.search_weekly VALUES ('2024-01-01', 'search', 100, 50), ('2024-01-08', 'search', 110, 55),
                                    ('2024-01-01', 'display', 40, 20);
CREATE TABLE hr.web (profile_id bigint, ts timestamptz, event_type text, channel text, conversion_type text, revenue float8);
INSERT INTO hr.web
SELECT i, TIMESTAMPTZ '2024-01-01 00:00+00' + i * interval '3 hours', CASE WHEN i % 4 = 0 THEN 'conversion' ELSE 'touch' END,
       CASE WHEN i % 4 = 0 THEN NULL WHEN i % 3 = 0 THEN 'display' ELSE 'search' END,
       CASE WHEN i % 4 = 0 THEN 'online' END, CASE WHEN i % 4 = 0 THEN 20 + i END
  FROM generate_series(0, 111) i;                       -- 14 days, 8 events a day
CREATE TABLE hr.orders_daily (day date, conversion_type text, orders int, revenue float8);
INSERT INTO hr.orders_daily SELECT DATE '2024-01-01' + i, t, 3, 100 FROM generate_series(0, 13) i, unnest(ARRAY['online', 'store']) t;
SELECT mixmodel.add_dataset_rule('search_weekly', 'hr.search_weekly', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"clicks": {"column": "clicks"}, "spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('web', 'hr.web', category => 'event', date_column => 'ts', mappings => $j$
 {"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
  "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
              "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
              "revenue": {"op": "sum", "column": "revenue"}}}$j$);
SELECT mixmodel.add_dataset_rule('orders_daily', 'hr.orders_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"}, "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}');
SELECT dataset, category, grain, rows_read, rows_written FROM mixmodel.sync() ORDER BY dataset;
-- independent counts of the events per week
SELECT date_trunc('week', ts AT TIME ZONE 'UTC')::date AS week, channel, conversion_type,
       count(*) FILTER (WHERE event_type = 'touch') AS clicks, count(*) FILTER (WHERE event_type = 'conversion') AS orders,
       sum(revenue) AS revenue
  FROM hr.web GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- default preference summary: event clicks give way where summary clicks exist (search, display)
SELECT period, dataset, category, channel, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized ORDER BY 1, 2, 4, 5;
SELECT mixmodel.set_merge_preference('event');
SELECT period, dataset, channel, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized ORDER BY 1, 2, 3, 4;
SELECT mixmodel.set_merge_preference('sum');
SELECT period, sum(clicks) AS clicks, sum(orders) FILTER (WHERE conversiontype = 'online') AS online_orders
  FROM mixmodel.harmonized GROUP BY 1 ORDER BY 1;
-- overrides: clicks from events for search only; orders from summary for online conversions
SELECT mixmodel.set_merge_preference('summary');
SELECT mixmodel.set_merge_override('clicks', 'event', channels => ARRAY['search']);
SELECT mixmodel.set_merge_override('orders', 'event', conversion_types => ARRAY['online']);
SELECT metric, preference, channels, conversion_types FROM mixmodel.merge_preferences ORDER BY id;
SELECT mixmodel.merge_preference_for('clicks', 'search'), mixmodel.merge_preference_for('clicks', 'display'),
       mixmodel.merge_preference_for('orders', NULL, 'online'), mixmodel.merge_preference_for('revenue', NULL, 'online');
SELECT period, dataset, channel, conversiontype, clicks, orders, revenue FROM mixmodel.harmonized ORDER BY 1, 2, 3, 4;
SELECT mixmodel.set_merge_override('clicks', 'both');
SELECT mixmodel.set_merge_override('click', 'event');
SELECT mixmodel.clear_merge_overrides();

-- derived fields over merged metrics; division by zero gives NULL
SELECT mixmodel.add_field('cpc', category => 'derived', data_type => 'currency', formula => '[spend] / [clicks]');
SELECT mixmodel.add_field('cpc_cents', category => 'derived', formula => '[cpc] * 100');
SELECT mixmodel.add_field('aov', category => 'derived', formula => '[revenue] / ([orders] - [orders])');
SELECT mixmodel.compile_formula('[cpc_cents] + 1');
SELECT count(*) FROM mixmodel.sync();
SELECT period, channel, spend, clicks, cpc, cpc_cents, aov FROM mixmodel.harmonized
 WHERE dataset = 'search_weekly' ORDER BY 1, 2;
SELECT count(*) FILTER (WHERE cpc IS DISTINCT FROM spend / NULLIF(clicks, 0)) AS cpc_mismatches FROM mixmodel.harmonized;
-- a cycle across derived fields is refused, naming it
SELECT mixmodel.update_field('cpc', formula => '[cpc_cents] / 100');
SELECT mixmodel.add_field('selfish', category => 'derived', formula => '[selfish] + 1');
SELECT mixmodel.add_field('bad', category => 'derived', formula => '[spend] * (1 + [brand])');
SELECT mixmodel.add_field('bad', category => 'derived', formula => '[spend] ** 2');
SELECT mixmodel.drop_field('cpc');
SELECT mixmodel.drop_field('spend');
SELECT mixmodel.drop_field('aov');
SELECT mixmodel.drop_field('cpc_cents');
SELECT mixmodel.drop_field('cpc');

-- touchpoints and conversions with their series
SELECT mixmodel.add_touchpoint('search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('display_organic', rule => 'channel is display and dataset = web', volume_metric => 'clicks');
SELECT mixmodel.add_conversion('online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.add_conversion('all_orders', rule => 'dataset != web', metric => 'orders');
SELECT name, paid FROM mixmodel.touchpoints ORDER BY name;
SELECT * FROM mixmodel.touchpoint_series('search');
SELECT * FROM mixmodel.touchpoint_series('display_organic', granularity => 'week');
SELECT * FROM mixmodel.conversion_series('online');
SELECT * FROM mixmodel.conversion_series('all_orders', 'month');
SELECT * FROM mixmodel.conversion_series('online', 'day');
SELECT * FROM mixmodel.usage_report();
SELECT * FROM mixmodel.usage_report('month', 1);
SELECT mixmodel.add_touchpoint('search', rule => 'channel = search', volume_metric => 'clicks');
SELECT mixmodel.add_touchpoint('t2', rule => 'chanel = search', volume_metric => 'clicks');
SELECT mixmodel.add_touchpoint('t2', rule => 'channel search', volume_metric => 'clicks');
SELECT mixmodel.add_touchpoint('t2', rule => 'channel = search', volume_metric => 'channel');
SELECT mixmodel.add_conversion('c2', rule => 'conversiontype = online', metric => 'sales');
SELECT mixmodel.update_touchpoint('search', spend_metric => 'cost');
SELECT mixmodel.delete_touchpoint('display_organic');
SELECT mixmodel.delete_conversion('all_orders');
SELECT * FROM mixmodel.touchpoint_series('nope');

-- global fields are not editable
SELECT mixmodel.update_field('channel', display_name => 'Kanal');
SELECT mixmodel.drop_field('clicks');
SELECT mixmodel.add_field('channel', 'dimension');
SELECT mixmodel.add_field('Bad Name', 'metric');
SELECT mixmodel.add_field('region', 'dimension', data_type => 'number');

-- the audit log saw every change
SELECT action, object_type, count(*) FROM mixmodel.audit_log WHERE id > :audit_start GROUP BY 1, 2 ORDER BY 2, 1;
SELECT count(*) FILTER (WHERE who = current_user AND session_who = session_user) = count(*) AS who_recorded
  FROM mixmodel.audit_log WHERE id > :audit_start;

-- clean up
SELECT mixmodel.delete_touchpoint(name) FROM mixmodel.touchpoints;
SELECT mixmodel.delete_conversion(name) FROM mixmodel.conversions;
SELECT mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules ORDER BY name;
SELECT count(*) FROM mixmodel.sync();
DROP SCHEMA hr CASCADE;
