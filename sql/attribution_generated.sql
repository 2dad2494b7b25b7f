-- attribute() on generated journeys with known causes; unified measurement with a trained model
-- (in one transaction, rolled back, so the definitions of other tests are untouched)
BEGIN;
\pset footer off
SET extra_float_digits = 0;
SELECT table_name, row_count > 0 AS written
  FROM mixmodel.generate_raw_data('gen_j', seed => 11, weeks => 60, events => 40000,
         channels => ARRAY['tv', 'search', 'social', 'email', 'push'], options => '{"journeys": true, "profiles": 3000}');
-- the journeys agree with the daily conversions; every caused conversion follows its touch, same person
SELECT bool_and(e.n = c.orders) AS orders_per_day, bool_and(abs(e.rev - c.revenue) < 1e-6 * c.revenue) AS revenue_per_day
  FROM (SELECT CAST(event_ts AT TIME ZONE 'UTC' AS date) AS day, count(*) AS n, sum(revenue) AS rev FROM gen_j.events
         WHERE event_type = 'conversion' GROUP BY 1) e
  JOIN gen_j.conversions_daily c ON c.day = e.day AND c.conversion_type = 'online';
SELECT k.cause, count(*) AS conversions, bool_and(t.profile_id = c.profile_id AND t.event_ts <= c.event_ts) AS touch_before,
       bool_and(c.event_ts - t.event_ts < interval '28 days') AS within_window
  FROM gen_j.truth_conversions k JOIN gen_j.events c ON c.event_id = k.event_id
  LEFT JOIN gen_j.events t ON t.event_id = k.touch_event_id
 GROUP BY k.cause ORDER BY k.cause;
SELECT (SELECT sum(conversions) FROM gen_j.truth_attribution) = (SELECT count(*) FROM gen_j.events WHERE event_type = 'conversion') AS truth_counts_all;
SELECT channel, action, count(*) > 0 AS present, count(DISTINCT journey) AS journeys, count(DISTINCT message) AS messages
  FROM gen_j.events WHERE event_type = 'touch' GROUP BY 1, 2 ORDER BY 1, 2;

-- touchpoints on the event table's columns: paid clicks, opened messages
SELECT mixmodel.add_field('action', category => 'dimension', data_type => 'string');
SELECT mixmodel.add_touchpoint('search', rule => 'channel = search', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('social', rule => 'channel = social', volume_metric => 'clicks', spend_metric => 'spend'),
       mixmodel.add_touchpoint('email', rule => 'channel = email and action = open', volume_metric => 'opens'),
       mixmodel.add_touchpoint('push', rule => 'channel = push and action = open', volume_metric => 'opens');
SELECT mixmodel.add_conversion('online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
-- the event table's columns read through an event dataset rule (conversiontype is its conversion_type)
SELECT mixmodel.add_dataset_rule('journeys', 'gen_j.events', category => 'event', date_column => 'event_ts',
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "action": "action",
                                      "conversiontype": "conversion_type"},
                       "metrics": {"orders": {"op": "count", "where": {"conditions": [{"column": "event_type", "op": "equals", "value": "conversion"}]}},
                                   "revenue": {"op": "sum", "column": "revenue"}}}');
SELECT mixmodel.create_attribution('gen', 'gen_j.events', 'online', person_column => 'profile_id', time_column => 'event_ts',
         lookback => '28 days',
         options => '{"dataset": "journeys", "event_column": "event_id",
                      "dimensions": {"campaign": "campaign", "journey": "journey", "message": "message"}}');
SELECT model, channel, round(conversions::numeric, 1) AS conversions, round(share::numeric, 3) AS share
  FROM mixmodel.attribute('gen') WHERE model IN ('last_touch', 'linear', 'markov', 'algorithmic_incremental') ORDER BY model, channel;
-- next to the truth: the conversions each channel caused in the attributed range
SELECT k.cause AS channel, count(*) AS true_conversions
  FROM gen_j.truth_conversions k JOIN gen_j.events c ON c.event_id = k.event_id
 WHERE c.event_ts BETWEEN (SELECT from_time FROM mixmodel.attribution_runs WHERE attribution = 'gen')
                      AND (SELECT to_time FROM mixmodel.attribution_runs WHERE attribution = 'gen')
 GROUP BY 1 ORDER BY 1;
-- every model's credits of a conversion sum to 1 (participation: its channels), revenue credits to its revenue
SELECT model, count(DISTINCT conversion_id) AS conversions,
       max(abs(s - CASE WHEN model = 'participation' THEN c ELSE 1 END)) < 1e-12 AS credits_sum_to_1,
       max(abs(rs - rv * s)) < 1e-9 * max(rv) AS revenue_credits_sum
  FROM (SELECT model, conversion_id, sum(credit) AS s, count(DISTINCT channel) AS c, sum(revenue_credit) AS rs,
               max(revenue_credit / credit) AS rv
          FROM mixmodel.event_scores WHERE attribution = 'gen' GROUP BY 1, 2) x
 GROUP BY model ORDER BY model;
SELECT a.iterations < 30 AS converged, a.persons, a.days FROM mixmodel.attribution_runs r,
       LATERAL (SELECT (r.algorithmic->>'iterations')::int AS iterations, (r.algorithmic->>'persons')::float8 AS persons,
                       (r.algorithmic->>'days')::int AS days) a WHERE r.attribution = 'gen';
SELECT events, persons, touches, conversions, conversions_none, round(revenue) AS revenue, non_converting
  FROM mixmodel.attribution_runs WHERE attribution = 'gen';

-- the analytics: top paths, positions, touchpoint effectiveness
SELECT rank, path, channels, conversions, non_conversions, round(share::numeric, 3) AS share
  FROM mixmodel.attribution_top_paths WHERE attribution = 'gen' AND rank <= 5 ORDER BY rank;
SELECT model, channel, round(starter_share::numeric, 3) AS starter, round(player_share::numeric, 3) AS player,
       round(closer_share::numeric, 3) AS closer
  FROM mixmodel.attribution_positions WHERE attribution = 'gen' AND model = 'linear' ORDER BY channel;
SELECT channel, touches, converting_paths, round(conversion_rate::numeric, 3) AS conversion_rate,
       round(removal_effect::numeric, 3) AS removal_effect, efficiency
  FROM mixmodel.touchpoint_effectiveness WHERE attribution = 'gen' ORDER BY efficiency DESC, channel;

-- a rerun gives the same scores, bit for bit
CREATE TEMP TABLE run1 AS SELECT * FROM mixmodel.event_scores WHERE attribution = 'gen';
SELECT count(*) AS rows FROM mixmodel.attribute('gen');
SELECT count(*) AS differing
  FROM run1 o FULL JOIN (SELECT * FROM mixmodel.event_scores WHERE attribution = 'gen') n
    ON n.model = o.model AND n.conversion_id = o.conversion_id AND n.channel = o.channel
   AND coalesce(n.touch_index, 0) = coalesce(o.touch_index, 0)
 WHERE o.credit IS DISTINCT FROM n.credit OR o.revenue_credit IS DISTINCT FROM n.revenue_credit;
SELECT run, count(*) AS channel_rows FROM mixmodel.attribution_channels WHERE attribution = 'gen' GROUP BY run ORDER BY run;

-- unified measurement, MMM -> MTA: a model of the same weeks; the algorithmic incremental scores
-- rescaled to its contribution per channel and week
SELECT mixmodel.create_model('gen_mmm', source => 'gen_j.weekly_wide', date_column => 'week', kpi => 'revenue',
         media => ARRAY['tv_spend', 'search_spend', 'social_spend'], organic => ARRAY['email_sends', 'push_sends'],
         factors => ARRAY['price_index', 'competitor_spend', 'holiday'], options => '{"inference": "ridge", "candidates": 300, "holdout": 0}');
SELECT count(*) AS metrics FROM mixmodel.train('gen_mmm', seed => 1);
SELECT channel, model_channel, periods, round(mmm_contribution) AS mmm_contribution, round(event_credit) AS event_credit,
       round(rescaled) AS rescaled, round(unplaced) AS unplaced, max_relative_error < 1e-9 AS reconciled
  FROM mixmodel.reconcile_attribution('gen', 'gen_mmm');
SELECT channel, count(*) AS weeks, round(min(factor)::numeric, 2) AS min_factor, round(max(factor)::numeric, 2) AS max_factor
  FROM mixmodel.attribution_scaling WHERE attribution = 'gen' GROUP BY channel ORDER BY channel;
SELECT model, channel, round(conversions::numeric, 1) AS conversions, round(roas::numeric, 2) AS roas,
       round(mmm_contribution) AS mmm_contribution
  FROM mixmodel.attribution_summary WHERE attribution = 'gen' AND model IN ('mmm_calibrated', 'algorithmic_incremental')
 ORDER BY model, channel;

-- MTA -> MMM: the attribution's incremental shares as the model's contribution priors (confidence 0.9),
-- retrained: the shares move towards them
SELECT channel, model_channel, round(share::numeric, 4) AS prior
  FROM mixmodel.attribution_priors('gen', 'gen_mmm', confidence => 0.9, apply => true);
SELECT options->'priors' ? 'search_spend' AS priors_set FROM mixmodel.models WHERE name = 'gen_mmm';
SELECT count(*) AS metrics FROM mixmodel.train('gen_mmm', seed => 1);
WITH s AS (
    SELECT c1.channel, (m.options->'priors'->c1.channel->>'contribution')::float8 AS prior, c1.share AS before, c2.share AS after,
           (SELECT sum(t.contribution) / (SELECT sum(k.expected) FROM gen_j.truth_kpi k)
              FROM gen_j.truth_contributions t WHERE t.term = split_part(split_part(c1.channel, '_spend', 1), '_sends', 1)) AS truth
      FROM mixmodel.run_channels c1 JOIN mixmodel.run_channels c2 ON c2.model = c1.model AND c2.channel = c1.channel AND c2.run = 2
      JOIN mixmodel.models m ON m.name = c1.model
     WHERE c1.model = 'gen_mmm' AND c1.run = 1 AND m.options->'priors' ? c1.channel)
SELECT sum((after - prior) ^ 2) < sum((before - prior) ^ 2) AS nearer_the_attribution,
       sum((after - truth) ^ 2) < sum((before - truth) ^ 2) AS nearer_the_truth,
       sum((prior - truth) ^ 2) < sum((before - truth) ^ 2) AS attribution_nearer_than_mmm
  FROM s;
-- supplemental ids as the key: credit per journey step of the owned channels
SELECT mixmodel.create_attribution('gen_steps', 'gen_j.events', 'online', 'profile_id', 'event_ts', lookback => '28 days',
         touchpoints => '{email, push}', models => '{linear}',
         options => '{"dataset": "journeys", "dimensions": {"journey": "journey", "message": "message"}, "key": "message"}');
SELECT count(*) > 0 AS scored FROM mixmodel.attribute('gen_steps');
SELECT touch_key, journey, message, round(sum(credit)::numeric, 1) AS conversions
  FROM mixmodel.event_scores WHERE attribution = 'gen_steps' AND channel = 'email'
 GROUP BY 1, 2, 3 ORDER BY conversions DESC LIMIT 3;
ROLLBACK;
