-- score: aggregate scores in Adobe's layout (conversion window x touchpoint window x channel and
-- dimensions), filled by mixmodel.score; the harmonized part runs in a transaction that is
-- rolled back, so the harmonized state of other tests is untouched
SET client_min_messages = warning;
BEGIN;
SELECT count(*) FROM mixmodel.generate_raw_data('ag', seed => 31, weeks => 110, events => 2000,
       channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.add_dataset_rule('ag_daily', 'ag.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "clicks": {"column": "clicks"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ag_weekly', 'ag.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}') IS NOT NULL AS rule;
-- the email journey is the sub-channel (channel_type_at_source)
SELECT mixmodel.add_dataset_rule('ag_sends', 'ag.sends', granularity => 'day', date_column => 'send_date',
         mappings => '{"dimensions": {"channel": "channel", "channel_type_at_source": "journey", "campaign": "campaign"},
                       "metrics": {"sends": {"column": "sends"}}}') IS NOT NULL AS rule;
SELECT mixmodel.add_dataset_rule('ag_conversions', 'ag.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}') IS NOT NULL AS rule;
SELECT count(*) > 0 AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint('ag_tv', rule => 'channel = tv', volume_metric => 'grps', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ag_search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_touchpoint('ag_email', rule => 'channel = email', volume_metric => 'sends');
SELECT mixmodel.add_conversion('ag_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
-- search: windowed geometric adstock (lags 0..4); tv and email: Robyn's recursive geometric
SELECT mixmodel.create_model('ag_model', conversion => 'ag_online', touchpoints => ARRAY['ag_tv', 'ag_search', 'ag_email'],
       options => '{"inference": "ridge", "candidates": 300, "channels": {"ag_search": {"max_lookback": 4}}}');
SELECT split, n FROM mixmodel.train('ag_model', seed => 3);
SELECT channel, adstock, max_lag FROM mixmodel.run_channels WHERE model = 'ag_model' ORDER BY position;
CREATE TEMP TABLE ag_range AS
SELECT (r.from_date + 7 * 20) AS d_from, (r.from_date + 7 * 39) AS d_to FROM mixmodel.runs r WHERE r.model = 'ag_model';
SELECT term, periods FROM mixmodel.score('ag_model', (SELECT d_from FROM ag_range), (SELECT d_to FROM ag_range))
 WHERE kind IN ('channel', 'organic') ORDER BY term;

-- Adobe's layout: dimensions where the data have them, NULL elsewhere
SELECT channel, kind, conversion, count(DISTINCT conversion_from) AS windows,
       count(DISTINCT sub_channel) AS sub_channels, count(DISTINCT campaign) AS campaigns, count(DISTINCT geo) AS geos,
       bool_and(conversion_to = conversion_from + 6) AS weekly_windows,
       bool_and(touchpoint_to <= conversion_to) AS credit_never_leads,
       bool_or(lag > 0 AND contribution > 0) AS credit_lags,
       bool_and(spend IS NULL) = (kind = 'organic') AS spend_only_paid
  FROM mixmodel.aggregate_scores WHERE model = 'ag_model' GROUP BY channel, kind, conversion ORDER BY channel;

-- sums are exact: the rows of a (conversion window, channel) sum to its contribution in scores
SELECT count(*) AS windows_x_channels,
       count(*) FILTER (WHERE abs(a.total - s.contribution) <= 1e-9 * abs(s.contribution) + 1e-300) AS exact
  FROM (SELECT model, run, conversion_from, channel, sum(contribution) AS total
          FROM mixmodel.aggregate_scores WHERE model = 'ag_model' GROUP BY 1, 2, 3, 4) a
  JOIN mixmodel.scores s ON s.model = a.model AND s.run = a.run AND s.period = a.conversion_from AND s.term = a.channel;
SELECT count(*) AS scored_channel_periods_without_rows
  FROM mixmodel.scores s
 WHERE s.model = 'ag_model' AND s.kind IN ('channel', 'organic')
   AND NOT EXISTS (SELECT 1 FROM mixmodel.aggregate_scores a
                    WHERE a.model = s.model AND a.run = s.run AND a.conversion_from = s.period AND a.channel = s.term);

-- lag weights: the adstock curve normalised, and they sum to 1 per source period and slice
-- (search: every source whose lags 0..4 are all scored); spend then sums to the source's spend
SELECT count(DISTINCT a.lag) AS lags,
       bool_and(abs(a.lag_weight - c.weight / (SELECT sum(weight) FROM mixmodel.adstock_curves x
                                                 WHERE x.model = 'ag_model' AND x.channel = 'ag_search')) < 1e-12) AS adstock_curve
  FROM mixmodel.aggregate_scores a JOIN mixmodel.adstock_curves c ON c.model = a.model AND c.channel = a.channel AND c.lag = a.lag
 WHERE a.model = 'ag_model' AND a.channel = 'ag_search';
WITH src AS (
    SELECT a.touchpoint_from, a.campaign, a.geo, sum(a.lag_weight) AS w, sum(a.spend) AS spend
      FROM mixmodel.aggregate_scores a, ag_range g
     WHERE a.model = 'ag_model' AND a.channel = 'ag_search'
       AND a.touchpoint_from >= g.d_from AND a.touchpoint_from + 7 * 4 <= g.d_to
     GROUP BY 1, 2, 3
)
SELECT count(DISTINCT src.touchpoint_from) AS sources, count(*) > count(DISTINCT src.touchpoint_from) AS sliced,
       bool_and(abs(src.w - 1) < 1e-12) AS lag_weights_sum_to_1,
       bool_and(abs(h.spend - src.spend) <= 1e-9 * h.spend) AS spend_sums_to_the_slice
  FROM src
  JOIN (SELECT h.period, h.campaign, h.geo, sum(h.spend) AS spend FROM mixmodel.harmonized h
         WHERE h.channel = 'search' GROUP BY 1, 2, 3) h
    ON h.period = src.touchpoint_from AND h.campaign IS NOT DISTINCT FROM src.campaign AND h.geo IS NOT DISTINCT FROM src.geo;

-- the lag split is the adstock's: tv (recursive) credit at lag l over the window's contribution
-- = theta^l x_{t-l} / adstock(x)_t, with the adstock from the transform primitive
WITH c AS (SELECT * FROM mixmodel.run_channels WHERE model = 'ag_model' AND channel = 'ag_tv'),
     x AS (SELECT array_agg(s.spend ORDER BY s.period) AS x, array_agg(s.period ORDER BY s.period) AS p
             FROM mixmodel.touchpoint_series('ag_tv') s),
     a AS (SELECT u.p, u.x, u.a FROM x, c, unnest(x.p, x.x, mixmodel.adstock_geometric(x.x, c.adstock_p1)) u(p, x, a)),
     sc AS (SELECT period, contribution FROM mixmodel.scores WHERE model = 'ag_model' AND term = 'ag_tv')
SELECT count(*) AS rows_checked,
       bool_and(abs(g.contribution / sc.contribution - power(c.adstock_p1, g.lag) * src.x / tgt.a) < 1e-9) AS adstock_split
  FROM mixmodel.aggregate_scores g
  JOIN sc ON sc.period = g.conversion_from
  JOIN a src ON src.p = g.touchpoint_from
  JOIN a tgt ON tgt.p = g.conversion_from, c
 WHERE g.model = 'ag_model' AND g.channel = 'ag_tv' AND g.lag_weight IS NOT NULL;
-- older lags gather in one row per window (touchpoint window from the data's first period)
SELECT count(*) AS gathered_rows, bool_and(touchpoint_from = (SELECT min(period) FROM mixmodel.touchpoint_series('ag_tv'))) AS from_first_period,
       bool_and(touchpoint_to - touchpoint_from > 7) AS several_periods
  FROM mixmodel.aggregate_scores WHERE model = 'ag_model' AND channel = 'ag_tv' AND lag_weight IS NULL;

-- dimension split: a slice's share of a row group is its share of the touchpoint window's input
WITH g AS (
    SELECT a.conversion_from, a.touchpoint_from, a.campaign, a.geo, a.contribution,
           a.contribution / sum(a.contribution) OVER (PARTITION BY a.conversion_from, a.touchpoint_from) AS share
      FROM mixmodel.aggregate_scores a WHERE a.model = 'ag_model' AND a.channel = 'ag_search'
), h AS (
    SELECT h.period, h.campaign, h.geo, sum(h.spend) / sum(sum(h.spend)) OVER (PARTITION BY h.period) AS share
      FROM mixmodel.harmonized h WHERE h.channel = 'search' GROUP BY 1, 2, 3
)
SELECT count(*) AS rows_checked, bool_and(abs(g.share - h.share) < 1e-12) AS spend_share_split
  FROM g JOIN h ON h.period = g.touchpoint_from AND h.campaign = g.campaign AND h.geo = g.geo;
SELECT sub_channel, count(DISTINCT campaign) AS campaigns, sum(contribution) > 0 AS credited
  FROM mixmodel.aggregate_scores WHERE model = 'ag_model' AND channel = 'ag_email' GROUP BY 1 ORDER BY 1;

-- conversions and revenue: the KPI is revenue; conversions = revenue / revenue per conversion
SELECT u.kpi_unit, bool_and(a.revenue = a.contribution) AS revenue_is_contribution,
       bool_and(abs(a.conversions * u.revenue_per_conversion - a.revenue) <= 1e-12 * abs(a.revenue)) AS conversions_by_rpc
  FROM mixmodel.aggregate_scores a, mixmodel._model_kpi_units('ag_model') u
 WHERE a.model = 'ag_model' GROUP BY u.kpi_unit;

-- rescoring replaces: the same range again gives the same rows, an overlapping range keeps the rest
CREATE TEMP TABLE ag_before AS SELECT * FROM mixmodel.aggregate_scores WHERE model = 'ag_model';
SELECT count(*) > 0 AS scored FROM mixmodel.score('ag_model', (SELECT d_from FROM ag_range), (SELECT d_to FROM ag_range));
SELECT (SELECT count(*) FROM mixmodel.aggregate_scores WHERE model = 'ag_model') = (SELECT count(*) FROM ag_before) AS same_count,
       NOT EXISTS (SELECT conversion_from, touchpoint_from, channel, sub_channel, campaign, geo, contribution FROM ag_before
                   EXCEPT SELECT conversion_from, touchpoint_from, channel, sub_channel, campaign, geo, contribution
                            FROM mixmodel.aggregate_scores WHERE model = 'ag_model') AS same_rows;
SELECT count(*) > 0 AS scored FROM mixmodel.score('ag_model', (SELECT d_to - 7 * 4 FROM ag_range), (SELECT d_to + 7 * 5 FROM ag_range));
SELECT count(DISTINCT conversion_from) AS windows, min(conversion_from) = (SELECT d_from FROM ag_range) AS kept_start,
       max(conversion_from) = (SELECT d_to + 7 * 5 FROM ag_range) AS new_end,
       (SELECT count(*) FROM (SELECT conversion_from, channel FROM mixmodel.aggregate_scores WHERE model = 'ag_model'
                               GROUP BY 1, 2 HAVING count(*) <> count(DISTINCT (touchpoint_from, sub_channel, campaign, geo))) d) AS duplicated
  FROM mixmodel.aggregate_scores WHERE model = 'ag_model';
ROLLBACK;

-- a wide model: channel = input column, no sub-dimensions; its KPI counts conversions, worth 25 each
SELECT count(*) > 0 AS generated
  FROM mixmodel.generate_raw_data('agw', seed => 9, weeks => 120, events => 1000, channels => ARRAY['tv', 'search']);
CREATE TABLE agw.weekly AS SELECT week, tv_spend, search_spend, revenue / 25 AS conversions, revenue FROM agw.weekly_wide;
SELECT mixmodel.create_model('agw_m', source => 'agw.weekly', date_column => 'week', kpi => 'conversions',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 200, "lookback": 3}');
SELECT split, n FROM mixmodel.train('agw_m', seed => 2);
SELECT count(*) > 0 AS scored FROM mixmodel.score('agw_m', (SELECT to_date - 7 * 19 FROM mixmodel.runs WHERE model = 'agw_m'),
                                                 (SELECT to_date FROM mixmodel.runs WHERE model = 'agw_m'));
SELECT channel, conversion, kind, count(DISTINCT conversion_from) AS windows, max(lag) AS max_lag,
       bool_and(sub_channel IS NULL AND campaign IS NULL AND geo IS NULL) AS no_dimensions,
       bool_and(conversions = contribution) AS conversions_are_kpi,
       bool_and(abs(revenue - 25 * conversions) <= 1e-9 * abs(revenue)) AS revenue_25_per_conversion
  FROM mixmodel.aggregate_scores WHERE model = 'agw_m' GROUP BY 1, 2, 3 ORDER BY 1;
SELECT count(*) AS windows_x_channels,
       count(*) FILTER (WHERE abs(a.total - s.contribution) <= 1e-9 * abs(s.contribution)) AS exact
  FROM (SELECT model, run, conversion_from, channel, sum(contribution) AS total
          FROM mixmodel.aggregate_scores WHERE model = 'agw_m' GROUP BY 1, 2, 3, 4) a
  JOIN mixmodel.scores s ON s.model = a.model AND s.run = a.run AND s.period = a.conversion_from AND s.term = a.channel;
-- every scored source week with its lags 0..3 scored: lag weights sum to 1 and spend to the week's
SELECT count(*) AS sources, bool_and(abs(w - 1) < 1e-12) AS lag_weights_sum_to_1,
       bool_and(abs(a.spend - s.x) <= 1e-9 * s.x) AS spend_sums
  FROM (SELECT channel, touchpoint_from, sum(lag_weight) AS w, sum(spend) AS spend FROM mixmodel.aggregate_scores
         WHERE model = 'agw_m' AND touchpoint_from >= (SELECT min(conversion_from) FROM mixmodel.aggregate_scores WHERE model = 'agw_m')
           AND touchpoint_from + 21 <= (SELECT max(conversion_from) FROM mixmodel.aggregate_scores WHERE model = 'agw_m')
         GROUP BY 1, 2) a
  JOIN (SELECT week, 'tv_spend' AS channel, tv_spend AS x FROM agw.weekly
        UNION ALL SELECT week, 'search_spend', search_spend FROM agw.weekly) s
    ON s.week = a.touchpoint_from AND s.channel = a.channel
 WHERE s.x > 0;
-- a transaction that fails after scoring leaves the earlier rows
CREATE TEMP TABLE agw_before AS SELECT count(*) AS n, sum(contribution) AS total FROM mixmodel.aggregate_scores WHERE model = 'agw_m';
\set ON_ERROR_ROLLBACK off
BEGIN;
SELECT count(*) > 0 AS scored FROM mixmodel.score('agw_m', (SELECT from_date FROM mixmodel.runs WHERE model = 'agw_m'),
                                                 (SELECT to_date FROM mixmodel.runs WHERE model = 'agw_m'));
SELECT 1 / 0;
ROLLBACK;
SELECT count(*) = (SELECT n FROM agw_before) AND sum(contribution) = (SELECT total FROM agw_before) AS unchanged
  FROM mixmodel.aggregate_scores WHERE model = 'agw_m';
-- a model never trained
SELECT mixmodel.create_model('agw_untrained', source => 'agw.weekly', date_column => 'week', kpi => 'conversions',
       media => ARRAY['tv_spend']);

\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
SELECT * FROM mixmodel.score('agw_nope', '2025-01-01', '2025-03-31');
SELECT * FROM mixmodel.score('agw_untrained', '2025-01-01', '2025-03-31');
SELECT mixmodel._aggregate_score('agw_m', NULL, '2025-01-01', '2025-03-31', '{}');
SELECT mixmodel._aggregate_score('agw_nope', 1, '2025-01-01', '2025-03-31', '{}');
SELECT mixmodel._aggregate_score('agw_m', 1, '2025-01-01', '2025-03-31', '{"periods": 3}');
SELECT mixmodel._aggregate_score('agw_m', 1, '2025-01-01', '2025-03-31', '{"periods": ["2025-01-06"], "t0": 0, "x": [1, 2], "channels": ["tv_spend", "search_spend"]}');
SELECT mixmodel._aggregate_score('agw_m', 7, '2025-01-01', '2025-03-31', '{}');
SELECT mixmodel._touchpoint_slices(NULL);
SELECT mixmodel._touchpoint_slices('agw_nope');
