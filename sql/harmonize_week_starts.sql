-- series when datasets use different week starts (issue 13, defect 3): a daily dataset rolled
-- into Monday weeks beside weekly datasets on Sunday weeks. mixmodel.harmonized keeps each
-- dataset's dates; touchpoint, conversion and factor series put every row on one weekly
-- calendar (the week start most harmonized rows have) in the week that overlaps it most, so
-- their sums are the harmonized sums and a model's series line up
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
CREATE SCHEMA ws;
-- search: daily, Monday weeks (the default), 2024-01-08 .. 2024-03-31 (12 weeks)
CREATE TABLE ws.search_daily AS
SELECT d::date AS day, 'search' AS channel, 10 + extract(isodow FROM d)::float8 AS spend, 2 AS clicks
  FROM generate_series(DATE '2024-01-08', DATE '2024-03-31', interval '1 day') d;
-- tv and orders: weekly on Sundays, 2024-01-07 .. 2024-03-24 (12 weeks)
CREATE TABLE ws.tv_weekly AS
SELECT w::date AS week, 'tv' AS channel, 100 + 10 * g::float8 AS spend, 3.0 AS grps
  FROM generate_series(DATE '2024-01-07', DATE '2024-03-24', interval '7 days') WITH ORDINALITY x(w, g);
CREATE TABLE ws.orders_weekly AS
SELECT w::date AS week, 'online' AS conversion_type, 40 + g AS orders, 4000 + 100 * g::float8 AS revenue
  FROM generate_series(DATE '2024-01-07', DATE '2024-03-24', interval '7 days') WITH ORDINALITY x(w, g);
CREATE TABLE ws.price AS
SELECT w::date AS week, 'price_index' AS factor_name, 100 + g::float8 AS value
  FROM generate_series(DATE '2024-01-07', DATE '2024-03-24', interval '7 days') WITH ORDINALITY x(w, g);
SELECT mixmodel.add_dataset_rule('ws_search', 'ws.search_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}');
SELECT mixmodel.add_dataset_rule('ws_tv', 'ws.tv_weekly', granularity => 'week', week_start => 'sunday', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}');
SELECT mixmodel.add_dataset_rule('ws_orders', 'ws.orders_weekly', granularity => 'week', week_start => 'sunday', date_column => 'week',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"}, "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}');
SELECT mixmodel.add_dataset_rule('ws_price', 'ws.price', category => 'factor', granularity => 'week', week_start => 'sunday',
         date_column => 'week', mappings => '{"dimensions": {"factor_name": "factor_name"}, "metrics": {"factor_value": {"column": "value"}}}');
SELECT dataset, grain, rows_read, rows_written FROM mixmodel.sync() ORDER BY dataset;
SELECT dataset, min(period) AS first_period, to_char(min(period), 'Dy') AS day, count(*) AS periods, sum(spend) AS spend,
       sum(orders) AS orders
  FROM mixmodel.harmonized GROUP BY dataset ORDER BY dataset;
SELECT mixmodel.add_touchpoint('ws_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ws_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_conversion('ws_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');

-- every series: one calendar, every week's value, sums equal to the harmonized sums
SELECT period, to_char(period, 'Dy') AS day, volume, spend FROM mixmodel.touchpoint_series('ws_search');
SELECT period, to_char(period, 'Dy') AS day, volume, spend FROM mixmodel.touchpoint_series('ws_tv');
SELECT period, to_char(period, 'Dy') AS day, conversions, revenue FROM mixmodel.conversion_series('ws_online');
SELECT period, to_char(period, 'Dy') AS day, value FROM mixmodel.factor_series('price_index');
SELECT (SELECT sum(spend) FROM mixmodel.touchpoint_series('ws_search')) = (SELECT sum(spend) FROM mixmodel.harmonized WHERE channel = 'search') AS search_sum,
       (SELECT sum(spend) FROM mixmodel.touchpoint_series('ws_tv')) = (SELECT sum(spend) FROM mixmodel.harmonized WHERE channel = 'tv') AS tv_sum,
       (SELECT sum(revenue) FROM mixmodel.conversion_series('ws_online')) = (SELECT sum(revenue) FROM mixmodel.harmonized WHERE conversiontype = 'online') AS revenue_sum,
       (SELECT count(*) FROM mixmodel.touchpoint_series('ws_search') a JOIN mixmodel.conversion_series('ws_online') b USING (period)) AS shared_periods;
-- coarser series are unchanged: months from the harmonized dates
SELECT period, spend FROM mixmodel.touchpoint_series('ws_search', 'month');
ROLLBACK;
