-- bench/score.sql: mixmodel.score over a model's whole data range, 208 weekly periods, 8 paid
-- + 1 organic channels (training with few candidates is set-up, not measured), for
--   a wide model (3 factors, trend, seasonality: 18 terms), and
--   a harmonized model of the same channels, whose aggregate scores are also split over the
--   sub-channel/campaign/geo slices of each touchpoint window (3 geos x 2 campaigns of the
--   daily channels).
-- Figure: wall time of mixmodel.score (best of 3), and of mixmodel._aggregate_score alone on
-- the same scored rows (its share of score).  Baseline in the same run: plain SQL doing the
-- comparable row work (include/score_measure.sql): reading the same source rows, inserting
-- the same (period x term) rows (coefficient x input) into a copy of mixmodel.scores, and
-- aggregate rows split over lags 0..L_c by fixed weights (a join on generate_series, L_c =
-- the channel's last lag kept by score), then over the source period's slices, into a copy
-- of mixmodel.aggregate_scores; both copies are logged tables keeping the keys, indexes and
-- foreign key.  Target: ratio <= 3 (our overhead over the I/O floor).
-- Timing: clock_timestamp() around each run, best of 3, runs alternating.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
\ir include/bench_best.sql

-- the wide model
SELECT count(*) FROM mixmodel.generate_raw_data('bench_score', seed => 42, weeks => 208, events => 1000,
       channels => ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate', 'email']) \g /dev/null
VACUUM ANALYZE bench_score.weekly_wide;
\set media '{tv_spend,radio_spend,ooh_spend,search_spend,social_spend,display_spend,video_spend,affiliate_spend}'
\set organic '{email_sends}'
\set factors '{price_index,competitor_spend,consumer_confidence}'
SELECT mixmodel.create_model('bench_score', source => 'bench_score.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => :'media', organic => :'organic', factors => :'factors',
       options => '{"inference": "ridge", "training_window": {"years": 4}, "seasonality": 2, "candidates": 100}') \g /dev/null
SELECT count(*) FROM mixmodel.train('bench_score', seed => 42) \g /dev/null
SELECT min(week) AS d_from, max(week) AS d_to FROM bench_score.weekly_wide \gset
\set model bench_score
\set label 'wide model'
-- the wide table's columns by term (the terms without a column: 1)
SELECT format('SELECT w.week AS period, t.term, CASE t.term %s ELSE 1 END AS x
                 FROM bench_score.weekly_wide w CROSS JOIN bench_terms t WHERE w.week BETWEEN %L AND %L',
              string_agg(format('WHEN %L THEN w.%I::float8', c, c), ' '), :'d_from', :'d_to') AS src_sql
  FROM unnest(:'media'::text[] || :'organic'::text[] || :'factors'::text[]) c \gset
\set sl_sql 'SELECT NULL::date AS period, NULL::text AS term, NULL::text AS sub_channel, NULL::text AS campaign, NULL::text AS geo, NULL::float8 AS amount WHERE false'
\ir include/score_measure.sql

-- the harmonized model: touchpoints named as their harmonized channel
SELECT count(*) FROM mixmodel.generate_raw_data('bench_score_h', seed => 42, weeks => 208, events => 1000,
       channels => ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate', 'email']) \g /dev/null
SELECT mixmodel.add_dataset_rule('bs_daily', 'bench_score_h.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bs_weekly', 'bench_score_h.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bs_sends', 'bench_score_h.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "channel_type_at_source": "journey", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}}}') \g /dev/null
SELECT mixmodel.add_dataset_rule('bs_conversions', 'bench_score_h.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') \g /dev/null
SELECT count(*) FROM mixmodel.sync() \g /dev/null
VACUUM ANALYZE mixmodel.harmonized;
SELECT count(mixmodel.add_touchpoint(c, rule => 'channel = ' || c, volume_metric => v, spend_metric => 'spend'))
  FROM unnest(ARRAY['tv', 'radio', 'ooh'], ARRAY['grps', 'grps', 'grps']) u(c, v) \g /dev/null
SELECT count(mixmodel.add_touchpoint(c, rule => 'channel = ' || c, volume_metric => 'clicks', spend_metric => 'spend'))
  FROM unnest(ARRAY['search', 'social', 'display', 'video', 'affiliate']) c \g /dev/null
SELECT mixmodel.add_touchpoint('email', rule => 'channel = email', volume_metric => 'sends') \g /dev/null
SELECT mixmodel.add_conversion('bs_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue') \g /dev/null
SELECT mixmodel.create_model('bench_score_h', conversion => 'bs_online',
       touchpoints => ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate', 'email'],
       options => '{"inference": "ridge", "training_window": {"years": 4}, "candidates": 100}') \g /dev/null
SELECT count(*) FROM mixmodel.train('bench_score_h', seed => 42) \g /dev/null
SELECT from_date AS d_from, to_date AS d_to FROM mixmodel.runs WHERE model = 'bench_score_h' \gset
\set model bench_score_h
\set label 'harmonized model'
-- a touchpoint's input: spend when paid, sends for email (as the touchpoints above)
\set h_input 'CASE WHEN h.channel = ''email'' THEN h.sends ELSE h.spend END'
SELECT format('SELECT p.period, t.term, coalesce(q.x, 1) AS x
                 FROM (SELECT DISTINCT h.period FROM mixmodel.harmonized h WHERE h.period BETWEEN %2$L AND %3$L) p
                CROSS JOIN bench_terms t
                 LEFT JOIN (SELECT h.period, h.channel AS term, sum(%1$s) AS x FROM mixmodel.harmonized h
                             WHERE h.channel IS NOT NULL AND h.period BETWEEN %2$L AND %3$L GROUP BY 1, 2) q
                   ON q.period = p.period AND q.term = t.term', :'h_input', :'d_from', :'d_to') AS src_sql,
       format('SELECT h.period, h.channel AS term, h.channel_type_at_source::text AS sub_channel, h.campaign::text AS campaign,
                      h.geo::text AS geo, sum(%1$s) AS amount
                 FROM mixmodel.harmonized h WHERE h.channel IS NOT NULL AND h.period BETWEEN %2$L AND %3$L
                GROUP BY 1, 2, 3, 4, 5 HAVING sum(%1$s) <> 0', :'h_input', :'d_from', :'d_to') AS sl_sql \gset
\ir include/score_measure.sql
