-- harmonize on generated raw data: the harmonized series must reproduce the
-- generator's own weekly inputs (weekly_wide), and roll-ups to other week starts
-- and to months must equal independent GROUP BYs of the raw tables.
SET client_min_messages = warning;
SELECT count(*) AS tables FROM mixmodel.generate_raw_data('gen', seed => 7, weeks => 60, events => 5000);

SELECT mixmodel.add_dataset_rule('daily_media', 'gen.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"},
                                   "clicks": {"column": "clicks"}}}');
SELECT mixmodel.add_dataset_rule('weekly_media', 'gen.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}, "impressions": {"column": "impressions"}}}');
SELECT mixmodel.add_dataset_rule('sends', 'gen.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}, "clicks": {"column": "clicks"}}}');
SELECT mixmodel.add_dataset_rule('events', 'gen.events', category => 'event', date_column => 'event_ts',
         mappings => '{"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
                       "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "touch"}]}},
                                   "orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                                   "revenue": {"op": "sum", "column": "revenue"}}}');
SELECT mixmodel.add_dataset_rule('conversions', 'gen.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}');
SELECT mixmodel.add_dataset_rule('weekly_factors', 'gen.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}');
SELECT dataset, category, grain, rows_read > 0 AS read_rows FROM mixmodel.sync() ORDER BY dataset;

SELECT mixmodel.add_touchpoint(c, rule => format('channel = %s', c), volume_metric => 'spend', spend_metric => 'spend')
  FROM unnest(ARRAY['tv', 'search', 'social', 'display']) c;
SELECT mixmodel.add_touchpoint('email', rule => 'channel = email and dataset = sends', volume_metric => 'sends');
SELECT mixmodel.add_conversion('sales', rule => 'dataset = conversions', metric => 'orders', revenue_metric => 'revenue');

-- each channel's weekly spend (social: latest restatement) and sends equal the model inputs
SELECT w.channel, count(*) AS weeks,
       max(abs(s.spend - w.x) / greatest(abs(w.x), 1)) < 1e-9 AS equal_to_weekly_wide
  FROM (SELECT week, 'tv' AS channel, tv_spend AS x FROM gen.weekly_wide
        UNION ALL SELECT week, 'search', search_spend FROM gen.weekly_wide
        UNION ALL SELECT week, 'social', social_spend FROM gen.weekly_wide
        UNION ALL SELECT week, 'display', display_spend FROM gen.weekly_wide
        UNION ALL SELECT week, 'email', email_sends FROM gen.weekly_wide) w
  JOIN LATERAL (SELECT period, coalesce(spend, volume) AS spend FROM mixmodel.touchpoint_series(w.channel)) s
    ON s.period = w.week
 GROUP BY 1 ORDER BY 1;
-- revenue and orders of the sales conversion equal the KPI
SELECT count(*) AS weeks, max(abs(s.revenue - w.revenue) / w.revenue) < 1e-9 AS revenue_equal,
       bool_and(s.conversions = w.orders) AS orders_equal
  FROM gen.weekly_wide w JOIN mixmodel.conversion_series('sales') s ON s.period = w.week;
-- factors: the weekly price index, and forecasts after the data
SELECT count(*) FILTER (WHERE f.value_type = 'actual') AS actual_weeks,
       count(*) FILTER (WHERE f.value_type = 'forecasted') AS forecast_weeks,
       max(abs(f.value - w.price_index) / w.price_index) < 1e-12 AS equal_to_weekly_wide
  FROM mixmodel.factor_series('price_index') f LEFT JOIN gen.weekly_wide w ON w.week = f.period;
-- merge: web touches report clicks for the channels the summary data cover; they give way
SELECT count(*) FILTER (WHERE clicks IS NOT NULL) AS event_click_rows_kept,
       count(*) FILTER (WHERE clicks IS NULL) AS event_click_rows_nulled
  FROM mixmodel.harmonized WHERE dataset = 'events' AND conversiontype IS NULL;
SELECT mixmodel.set_merge_preference('event');
SELECT count(*) FILTER (WHERE clicks IS NOT NULL) AS summary_click_rows_kept
  FROM mixmodel.harmonized h WHERE dataset = 'daily_media'
   AND EXISTS (SELECT 1 FROM mixmodel.harmonized e WHERE e.dataset = 'events' AND e.period = h.period AND e.channel = h.channel);
SELECT mixmodel.set_merge_preference('summary');

-- Sunday weeks for the daily data: compare with an independent roll-up of the raw rows
SELECT mixmodel.update_dataset_rule(name, week_start => 'sunday') FROM mixmodel.dataset_rules
 WHERE granularity = 'day' ORDER BY name;
-- (the weekly datasets keep their Monday weeks: each dataset has its own week start)
SELECT count(*) FROM mixmodel.sync();
SELECT count(*) AS groups, count(*) FILTER (WHERE abs(h.spend - e.spend) > 1e-9 * abs(e.spend) OR h.spend IS NULL OR e.spend IS NULL) AS mismatches
  FROM (SELECT period, channel, sum(spend) AS spend FROM mixmodel.harmonized WHERE dataset = 'daily_media' GROUP BY 1, 2) h
  FULL JOIN (SELECT day - extract(dow FROM day)::int AS period, channel, sum(spend) AS spend
               FROM (SELECT DISTINCT ON (day, channel, campaign, geo) * FROM gen.daily_media
                      ORDER BY day, channel, campaign, geo, loaded_at DESC) l GROUP BY 1, 2) e
    ON (h.period, h.channel) = (e.period, e.channel);
-- months: a monthly factor makes the grain monthly; daily rows roll into calendar months
SELECT mixmodel.add_dataset_rule('monthly_factors', 'gen.factors', category => 'factor', granularity => 'month', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "month"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}');
SELECT DISTINCT grain FROM mixmodel.sync();
SELECT count(*) AS groups, count(*) FILTER (WHERE abs(h.v - e.v) > 1e-9 * abs(e.v) OR h.v IS NULL OR e.v IS NULL) AS mismatches
  FROM (SELECT period, dataset, sum(coalesce(spend, sends, revenue)) AS v FROM mixmodel.harmonized
         WHERE dataset IN ('daily_media', 'sends', 'conversions') GROUP BY 1, 2) h
  FULL JOIN (SELECT date_trunc('month', day)::date AS period, 'daily_media' AS dataset, sum(spend) AS v
               FROM (SELECT DISTINCT ON (day, channel, campaign, geo) * FROM gen.daily_media
                      ORDER BY day, channel, campaign, geo, loaded_at DESC) l GROUP BY 1
             UNION ALL SELECT date_trunc('month', send_date)::date, 'sends', sum(sends) FROM gen.sends GROUP BY 1
             UNION ALL SELECT date_trunc('month', day)::date, 'conversions', sum(revenue) FROM gen.conversions_daily GROUP BY 1) e
    ON (h.period, h.dataset) = (e.period, e.dataset);
SELECT count(*) AS months, bool_and(value_type = 'actual') FILTER (WHERE period <= '2024-01-01') AS actual
  FROM mixmodel.factor_series('consumer_confidence', 'month');

SELECT mixmodel.delete_touchpoint(name) FROM mixmodel.touchpoints ORDER BY name;
SELECT mixmodel.delete_conversion(name) FROM mixmodel.conversions ORDER BY name;
SELECT mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules ORDER BY name;
SELECT count(*) FROM mixmodel.sync();
DROP SCHEMA gen CASCADE;
