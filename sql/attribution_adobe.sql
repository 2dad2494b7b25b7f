-- attribute(): Adobe's documented example (CJA attribution-example, formulas §6.2) to the cent
-- (in one transaction, rolled back, so the definitions of other tests are untouched)
BEGIN;
\pset footer off
SET extra_float_digits = 0;
CREATE TEMP TABLE web (event_id int, person text, at timestamptz, channel text, conversiontype text, revenue numeric);
INSERT INTO web VALUES
  (1, 'p1', '2023-09-15 10:00+00', 'paid_search', NULL, NULL),
  (2, 'p1', '2023-09-18 10:00+00', 'social', NULL, NULL),
  (3, 'p1', '2023-09-24 10:00+00', 'email', NULL, NULL),
  (4, 'p1', '2023-09-24 10:05+00', 'display', NULL, NULL),
  (5, 'p1', '2023-09-24 10:10+00', NULL, 'purchase', 50);
SELECT mixmodel.add_touchpoint(c, rule => 'channel = ' || c, volume_metric => 'clicks')
  FROM unnest(ARRAY['paid_search', 'social', 'email', 'display']) c;
SELECT mixmodel.add_conversion('purchase', rule => 'conversiontype = purchase', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_attribution('adobe_person', 'web', 'purchase', person_column => 'person', time_column => 'at',
         lookback => '30 days', options => '{"event_column": "event_id", "decay_unit": "day", "custom": {"first": 30, "middle": 40, "last": 30}}');
SELECT mixmodel.create_attribution('adobe_session', 'web', 'purchase', person_column => 'person', time_column => 'at',
         lookback => 'session', models => '{first_touch, linear, j_curve, inverse_j, last_touch}');
-- person lookback: revenue per channel and model, to the cent (Adobe's table)
SELECT model, string_agg(channel || ' ' || to_char(revenue, 'FM990.0000'), ', ' ORDER BY channel) AS revenue
  FROM mixmodel.attribute('adobe_person') WHERE model NOT LIKE 'algorithmic%' AND model NOT IN ('markov', 'shapley')
 GROUP BY model ORDER BY model;
-- session lookback: only email and display share the purchase's session
SELECT model, string_agg(channel || ' ' || to_char(revenue, 'FM990.00'), ', ' ORDER BY channel) AS revenue
  FROM mixmodel.attribute('adobe_session') GROUP BY model ORDER BY model;
-- the event rows: positions, lags and credits of the time-decay model
SELECT touch_event, channel, position, touch_index, path_length, round(lag_days::numeric, 4) AS lag_days,
       round(credit::numeric, 6) AS credit, round(revenue_credit::numeric, 4) AS revenue_credit
  FROM mixmodel.event_scores WHERE attribution = 'adobe_person' AND model = 'time_decay' ORDER BY touch_index;
-- path models on the one path: Markov and Shapley see only this conversion; the algorithmic model
-- has one converting day among the person's days
SELECT model, string_agg(channel || ' ' || to_char(revenue, 'FM990.00'), ', ' ORDER BY channel) AS revenue
  FROM mixmodel.attribution_channels WHERE attribution = 'adobe_person' AND model IN ('markov', 'shapley', 'same_touch')
 GROUP BY model ORDER BY model;
SELECT model, round(sum(credit)::numeric, 12) AS conversion FROM mixmodel.event_scores
 WHERE attribution = 'adobe_person' GROUP BY model ORDER BY model;
-- transforms at the event level: p5 clicks search twice, then social, then buys; exposure collapses
-- the repeated search click, so linear splits the purchase in two and credits the first click
INSERT INTO web VALUES (20, 'p5', '2023-09-20 09:00+00', 'paid_search', NULL, NULL),
  (21, 'p5', '2023-09-20 09:30+00', 'paid_search', NULL, NULL), (22, 'p5', '2023-09-21 09:00+00', 'social', NULL, NULL),
  (23, 'p5', '2023-09-21 10:00+00', NULL, 'purchase', 30);
SELECT mixmodel.create_attribution('adobe_exposure', 'web', 'purchase', 'person', 'at', models => '{linear, last_touch}',
         options => '{"transforms": ["exposure"], "event_column": "event_id"}');
SELECT model, channel, revenue FROM mixmodel.attribute('adobe_exposure', '2023-09-21', '2023-09-22') ORDER BY model, channel;
SELECT model, touch_event, channel, touch_index, path_length, credit FROM mixmodel.event_scores
 WHERE attribution = 'adobe_exposure' ORDER BY model, touch_index;
SELECT path, conversions FROM mixmodel.attribution_top_paths WHERE attribution = 'adobe_exposure';
ROLLBACK;
