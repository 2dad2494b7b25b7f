-- harmonize: the merge preferences are resolved once per sync, not per row (issue 12, item
-- 11: merge_preference_for, an SQL function the planner cannot inline, was called once per
-- harmonized row and metric), and the merge gives what merge_preference_for says row by
-- row: a default, overrides by channel, by conversion type and by both (the most specific
-- wins), rows without a channel.  In one transaction, rolled back.
SET client_min_messages = warning;
BEGIN;
CREATE SCHEMA hm;
CREATE TABLE hm.summary (day date, channel text, conversion_type text, clicks int, orders int, spend float8);
INSERT INTO hm.summary
SELECT DATE '2024-01-01' + d, (ARRAY['search', 'social', 'tv', NULL])[1 + (d + k) % 4],
       (ARRAY['online', 'store', NULL])[1 + k % 3], 10 + d + k, 3 + (d * k) % 5, 100.5 + d * k
  FROM generate_series(0, 20) d, generate_series(0, 5) k;
CREATE TABLE hm.events (ts timestamptz, channel text, conversion_type text, kind text, amount numeric);
INSERT INTO hm.events
SELECT TIMESTAMPTZ '2024-01-01 00:00+00' + (i * 7 % (25 * 24)) * interval '1 hour',
       (ARRAY['search', 'social', 'email', NULL])[1 + i % 4], (ARRAY['online', 'store'])[1 + i % 2],
       CASE WHEN i % 3 = 0 THEN 'order' ELSE 'click' END, (i % 50) + 0.25
  FROM generate_series(1, 600) i;
SELECT mixmodel.add_dataset_rule('hm_summary', 'hm.summary', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
                       "metrics": {"clicks": {"column": "clicks"}, "orders": {"column": "orders"}, "spend": {"column": "spend"}}}');
SELECT mixmodel.add_dataset_rule('hm_events', 'hm.events', category => 'event', date_column => 'ts',
         mappings => $j$ {"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
           "metrics": {"clicks": {"op": "count", "where": {"conditions": [{"column": "kind", "op": "equals", "value": "click"}]}},
                       "orders": {"op": "count", "where": {"conditions": [{"column": "kind", "op": "equals", "value": "order"}]}},
                       "spend": {"op": "sum", "column": "amount"}}} $j$);
SELECT mixmodel.set_merge_preference('event');
SELECT mixmodel.set_merge_override('clicks', 'summary', channels => ARRAY['search', 'social']);
SELECT mixmodel.set_merge_override('clicks', 'sum', channels => ARRAY['search'], conversion_types => ARRAY['online']);
SELECT mixmodel.set_merge_override('orders', 'sum', conversion_types => ARRAY['store']);
SELECT mixmodel.set_merge_override('orders', 'summary', channels => ARRAY['social']);
SELECT mixmodel.set_merge_override('spend', 'summary');

-- a sync calls merge_preference_for no more (before: once per harmonized row and metric)
SET LOCAL track_functions = 'all';
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT coalesce(sum(calls), 0) AS merge_preference_for_calls
  FROM pg_stat_xact_user_functions WHERE schemaname = 'mixmodel' AND funcname = 'merge_preference_for';
SELECT count(*) AS harmonized_rows, count(*) FILTER (WHERE category = 'event') AS event_rows,
       count(*) FILTER (WHERE channel IS NULL) AS rows_without_channel
  FROM mixmodel.harmonized;

-- the merge, row by row from merge_preference_for: a side is blanked when the preference
-- is the other side and the other side reports the metric for the period, channel and type
CREATE TEMP TABLE want AS
SELECT x.period, x.dataset, x.channel, x.conversiontype,
       CASE WHEN x.category = 'event' AND mixmodel.merge_preference_for('clicks', x.channel, x.conversiontype) = 'summary'
                 AND bool_or(x.category = 'summary' AND x.clicks IS NOT NULL) OVER w THEN NULL
            WHEN x.category = 'summary' AND mixmodel.merge_preference_for('clicks', x.channel, x.conversiontype) = 'event'
                 AND bool_or(x.category = 'event' AND x.clicks IS NOT NULL) OVER w THEN NULL ELSE x.clicks END AS clicks,
       CASE WHEN x.category = 'event' AND mixmodel.merge_preference_for('orders', x.channel, x.conversiontype) = 'summary'
                 AND bool_or(x.category = 'summary' AND x.orders IS NOT NULL) OVER w THEN NULL
            WHEN x.category = 'summary' AND mixmodel.merge_preference_for('orders', x.channel, x.conversiontype) = 'event'
                 AND bool_or(x.category = 'event' AND x.orders IS NOT NULL) OVER w THEN NULL ELSE x.orders END AS orders,
       CASE WHEN x.category = 'event' AND mixmodel.merge_preference_for('spend', x.channel, x.conversiontype) = 'summary'
                 AND bool_or(x.category = 'summary' AND x.spend IS NOT NULL) OVER w THEN NULL
            WHEN x.category = 'summary' AND mixmodel.merge_preference_for('spend', x.channel, x.conversiontype) = 'event'
                 AND bool_or(x.category = 'event' AND x.spend IS NOT NULL) OVER w THEN NULL ELSE x.spend END AS spend
  FROM mixmodel.harmonized_source x
WINDOW w AS (PARTITION BY x.period, x.channel, x.conversiontype);
SELECT count(*) AS differences FROM (
    (SELECT period, dataset, channel, conversiontype, clicks, orders, spend FROM want
     EXCEPT ALL SELECT period, dataset, channel, conversiontype, clicks, orders, spend FROM mixmodel.harmonized)
    UNION ALL
    (SELECT period, dataset, channel, conversiontype, clicks, orders, spend FROM mixmodel.harmonized
     EXCEPT ALL SELECT period, dataset, channel, conversiontype, clicks, orders, spend FROM want)) d;
-- every kind of outcome occurs: blanked summary rows, blanked event rows, both kept
SELECT count(*) FILTER (WHERE h.category = 'summary' AND h.clicks IS NULL) > 0 AS summary_clicks_blanked,
       count(*) FILTER (WHERE h.category = 'event' AND h.clicks IS NULL) > 0 AS event_clicks_blanked,
       count(*) FILTER (WHERE h.category = 'event' AND h.orders IS NULL) > 0 AS event_orders_blanked,
       count(*) FILTER (WHERE h.category = 'summary' AND h.orders IS NULL) > 0 AS summary_orders_blanked,
       count(*) FILTER (WHERE h.category = 'event' AND h.spend IS NULL) > 0 AS event_spend_blanked
  FROM mixmodel.harmonized h;
-- a preference change re-merges from harmonized_source: with the clicks overrides gone the
-- default (event) blanks every summary row's clicks where events report clicks
SELECT mixmodel.clear_merge_overrides('clicks');
SELECT bool_and(s.clicks IS NULL) AS summary_clicks_blanked, count(*) > 0 AS some_rows
  FROM mixmodel.harmonized s
 WHERE s.category = 'summary' AND EXISTS (SELECT 1 FROM mixmodel.harmonized e WHERE e.category = 'event'
           AND e.period = s.period AND e.channel IS NOT DISTINCT FROM s.channel
           AND e.conversiontype IS NOT DISTINCT FROM s.conversiontype AND e.clicks IS NOT NULL);
-- the merge looks at the metrics a summary and an event dataset both map as of their last
-- sync: a rule changed since (the events no longer map clicks; not synced yet) keeps its
-- synced rows, so a re-merge must still blank the summary clicks those rows report
SELECT mixmodel.update_dataset_rule('hm_events', mappings => $j$ {"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
           "metrics": {"orders": {"op": "count", "where": {"conditions": [{"column": "kind", "op": "equals", "value": "order"}]}},
                       "spend": {"op": "sum", "column": "amount"}}} $j$);
SELECT mixmodel.set_merge_preference('event');
SELECT bool_and(s.clicks IS NULL) AS summary_clicks_blanked, count(*) > 0 AS some_rows
  FROM mixmodel.harmonized s
 WHERE s.category = 'summary' AND EXISTS (SELECT 1 FROM mixmodel.harmonized_source e WHERE e.category = 'event'
           AND e.period = s.period AND e.channel IS NOT DISTINCT FROM s.channel
           AND e.conversiontype IS NOT DISTINCT FROM s.conversiontype AND e.clicks IS NOT NULL);
-- synced, the events report no clicks: no summary row's clicks is blanked, orders still are
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT count(*) FILTER (WHERE category = 'summary' AND clicks IS NULL) AS summary_clicks_blanked,
       count(*) FILTER (WHERE category = 'event' AND clicks IS NOT NULL) AS event_clicks,
       count(*) FILTER (WHERE category = 'summary' AND orders IS NULL) > 0 AS summary_orders_blanked
  FROM mixmodel.harmonized;
ROLLBACK;
