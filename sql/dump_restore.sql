-- dump and restore: pg_dump a database with the whole workflow (harmonize with a changed
-- default merge preference and per-metric overrides, a harmonized and a wide model,
-- scores, a plan), pg_restore it into a new database, and check that every definition
-- and result came back; then sync (the harmonized tables are a cache sync rebuilds, not
-- dumped: doc/harmonize.md), score and plan again and get the same numbers.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mm_dump_src;
DROP DATABASE IF EXISTS mm_dump_dst;
CREATE DATABASE mm_dump_src;
CREATE DATABASE mm_dump_dst;

\c mm_dump_src
SET client_min_messages = warning;
CREATE EXTENSION mixmodel;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('dr', seed => 23, weeks => 110, events => 2000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.add_dataset_rule('dr_daily', 'dr.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}');
SELECT mixmodel.add_dataset_rule('dr_weekly', 'dr.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}');
SELECT mixmodel.add_dataset_rule('dr_sends', 'dr.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}}}');
SELECT mixmodel.add_dataset_rule('dr_conversions', 'dr.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}');
SELECT mixmodel.add_dataset_rule('dr_events', 'dr.events', category => 'event', date_column => 'event_ts',
         mappings => '{"dimensions": {"channel": "channel", "conversiontype": "conversion_type"},
                       "metrics": {"orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}}}}');
SELECT mixmodel.add_dataset_rule('dr_factors', 'dr.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}');
SELECT mixmodel.add_field('orders_per_spend', 'derived', formula => '[orders]/[spend]');
-- the default changed from summary, and two overrides
SELECT mixmodel.set_merge_preference('sum');
SELECT mixmodel.set_merge_override('orders', 'event', conversion_types => ARRAY['online']);
SELECT mixmodel.set_merge_override('spend', 'summary', channels => ARRAY['tv', 'search']);
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('dr_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('dr_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('dr_email', rule => 'channel = email', volume_metric => 'sends');
SELECT mixmodel.add_conversion('dr_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_model('dr_harmonized', conversion => 'dr_online', touchpoints => ARRAY['dr_tv', 'dr_search', 'dr_email'],
       factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 60}');
SELECT mixmodel.create_model('dr_wide', source => 'dr.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], organic => ARRAY['email_sends'], options => '{"inference": "ridge", "candidates": 60}');
SELECT count(*) > 0 AS trained FROM mixmodel.train('dr_harmonized', seed => 2);
SELECT count(*) > 0 AS trained FROM mixmodel.train('dr_wide', seed => 2);
SELECT count(*) > 0 AS scored FROM mixmodel.score('dr_harmonized', '2024-06-03', '2025-02-10');
SELECT count(*) > 0 AS scored FROM mixmodel.score('dr_wide', '2024-06-03', '2025-02-10');
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('dr_plan', 'dr_wide',
       flights => '[{"from": "2025-03-03", "to": "2025-05-25", "budget": 900}]');

-- what must come back, as text (test/include/dump_state.sql: the temporary view state)
\set ECHO none
\i test/include/dump_state.sql
\set ECHO all
SELECT string_agg(E'\n' || what || ': ' || coalesce(v, 'NULL'), '' ORDER BY what) AS source_state FROM state \gset
SELECT count(*) AS source_lines FROM state WHERE v IS NOT NULL;

\! pg_dump --format=custom --file=results/mm_dump.dump mm_dump_src
\! pg_restore --dbname=mm_dump_dst results/mm_dump.dump && echo restored || echo restore failed

\c mm_dump_dst
SET client_min_messages = warning;
\set ECHO none
\i test/include/dump_state.sql
\set ECHO all
-- every definition and result is back; the harmonized data after a sync
SELECT what, v = split_part(split_part(:'source_state', E'\n' || what || ': ', 2), E'\n', 1) AS same
  FROM state WHERE what <> 'harmonized' ORDER BY what;
SELECT count(*) AS harmonized_rows_before_sync FROM mixmodel.harmonized;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
-- score and plan again: the same numbers
SELECT count(*) > 0 AS scored FROM mixmodel.score('dr_harmonized', '2024-06-03', '2025-02-10');
SELECT count(*) > 0 AS scored FROM mixmodel.score('dr_wide', '2024-06-03', '2025-02-10');
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('dr_plan', 'dr_wide',
       flights => '[{"from": "2025-03-03", "to": "2025-05-25", "budget": 900}]');
SELECT what, v = split_part(split_part(:'source_state', E'\n' || what || ': ', 2), E'\n', 1) AS same
  FROM state WHERE what IN ('harmonized', 'scores', 'plan', 'aggregate scores') ORDER BY what;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE mm_dump_src;
DROP DATABASE mm_dump_dst;
\! rm -f results/mm_dump.dump
