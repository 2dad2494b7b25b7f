-- attribution: bad input, each from a working call with one argument made hostile; nothing partial is written
-- (in one transaction, rolled back, so the definitions of other tests are untouched)
BEGIN;
\pset footer off
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TEMP TABLE web (event_id int, person text, at timestamptz, channel text, conversiontype text, revenue float8);
INSERT INTO web VALUES
  (1, 'p1', '2023-09-15 10:00+00', 'paid_search', NULL, NULL), (2, 'p1', '2023-09-18 10:00+00', 'social', NULL, NULL),
  (3, 'p1', '2023-09-24 10:00+00', 'email', NULL, NULL), (4, 'p1', '2023-09-24 10:05+00', 'display', NULL, NULL),
  (5, 'p1', '2023-09-24 10:10+00', NULL, 'purchase', 50), (6, 'p2', '2023-09-20 09:00+00', 'social', NULL, NULL),
  (7, 'p3', '2023-09-21 12:00+00', NULL, 'purchase', 20);
SELECT count(*) FROM (SELECT mixmodel.add_touchpoint(c, rule => 'channel = ' || c, volume_metric => 'clicks')
  FROM unnest(ARRAY['paid_search', 'social', 'email', 'display']) c) x;
SELECT mixmodel.add_conversion('purchase', rule => 'conversiontype = purchase', metric => 'orders', revenue_metric => 'revenue');
-- the working calls
SELECT mixmodel.create_attribution('a', 'web', 'purchase', person_column => 'person', time_column => 'at');
SELECT count(*) AS rows FROM mixmodel.attribute('a');

-- configuration
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('a', 'web', 'purchase', 'person', 'at')$$) AS again;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'sale', 'person', 'at')$$) AS unknown_conversion;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', touchpoints => '{paid_search, tv}')$$) AS unknown_touchpoint;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', touchpoints => '{}')$$) AS no_touchpoints;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', touchpoints => '{email, email}')$$) AS repeated;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'who', 'at')$$) AS unknown_person_column;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'person')$$) AS time_not_a_time;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', NULL, 'at')$$) AS null_person_column;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', lookback => '0 days')$$) AS lookback_0;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', lookback => '53 weeks')$$) AS lookback_53_weeks;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', lookback => 'forever')$$) AS lookback_text;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', models => '{linear, w_shaped}')$$) AS unknown_model;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', models => '{custom}')$$) AS custom_without_weights;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"markov_order": 5}')$$) AS markov_order_5;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"markov_order": 0}')$$) AS markov_order_0;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"colour": "red"}')$$) AS unknown_option;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"half_life": "soon"}')$$) AS bad_half_life;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"custom": {"first": -1, "last": 2}}')$$) AS negative_custom;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"transforms": ["sideways"]}')$$) AS unknown_transform;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"lag_buckets": [3, 1]}')$$) AS lag_buckets_down;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"key": "campaign"}')$$) AS key_without_dimension;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"dimensions": {"campaign": "no_column"}}')$$) AS dimension_column;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '{"dataset": "nope"}')$$) AS unknown_dataset;
SELECT pg_temp.err($$SELECT mixmodel.create_attribution('b', 'web', 'purchase', 'person', 'at', options => '[]')$$) AS options_array;
SELECT count(*) AS configurations FROM mixmodel.attributions;

-- runs: each failure leaves the previous run and its scores as they were
SELECT count(*) AS scores_before FROM mixmodel.event_scores WHERE attribution = 'a';
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('nope')$$) AS unknown_attribution;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute(NULL)$$) AS null_name;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a', '2023-10-01', '2023-09-01')$$) AS reversed_range;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a', '2024-01-01', '2024-02-01')$$) AS empty_window;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a', '-infinity', '2024-02-01')$$) AS infinite_range;
INSERT INTO web VALUES (8, NULL, '2023-09-22 10:00+00', 'email', NULL, NULL);
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a')$$) AS null_person;
UPDATE web SET person = 'p4', at = NULL WHERE event_id = 8;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a')$$) AS null_time;
UPDATE web SET at = '2023-09-22 10:00+00', channel = NULL, conversiontype = 'purchase', revenue = 'NaN' WHERE event_id = 8;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a')$$) AS nan_revenue;
DELETE FROM web WHERE event_id = 8;
ALTER TABLE web RENAME COLUMN person TO visitor;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('a')$$) AS column_gone;
ALTER TABLE web RENAME COLUMN visitor TO person;
SELECT count(*) AS scores_after, max(run) AS run FROM mixmodel.event_scores WHERE attribution = 'a';
SELECT count(*) AS runs FROM mixmodel.attribution_runs WHERE attribution = 'a';

-- exact Shapley with the conversion-rate value function stops at 16 channels in one path
INSERT INTO web SELECT 100 + i, 'p9', '2023-09-01 00:00+00'::timestamptz + i * interval '1 hour', 'ch' || i, NULL, NULL
  FROM generate_series(1, 17) i;
INSERT INTO web VALUES (200, 'p9', '2023-09-02 00:00+00', NULL, 'purchase', 10);
SELECT count(*) FROM (SELECT mixmodel.add_touchpoint('ch' || i, rule => 'channel = ch' || i, volume_metric => 'clicks')
  FROM generate_series(1, 17) i) x;
SELECT mixmodel.create_attribution('wide', 'web', 'purchase', 'person', 'at', models => '{shapley}',
         options => '{"shapley": "conversion_rate"}');
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribute('wide')$$) AS shapley_17_channels;
UPDATE mixmodel.attributions SET options = '{}' WHERE name = 'wide';
SELECT model, count(*) AS channels FROM mixmodel.attribute('wide') GROUP BY model;

-- unified measurement
SELECT pg_temp.err($$SELECT * FROM mixmodel.reconcile_attribution('a', 'no_model')$$) AS unknown_model;
SELECT pg_temp.err($$SELECT * FROM mixmodel.reconcile_attribution('a', 'no_model', score => 'banzhaf')$$) AS unknown_score;
SELECT mixmodel.create_attribution('never_run', 'web', 'purchase', 'person', 'at');
SELECT pg_temp.err($$SELECT * FROM mixmodel.reconcile_attribution('never_run', 'no_model')$$) AS not_run;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribution_priors('a', 'no_model', confidence => 1.5)$$) AS confidence_above_1;
SELECT pg_temp.err($$SELECT * FROM mixmodel.attribution_priors('a', 'no_model')$$) AS priors_unknown_model;
SELECT pg_temp.err($$SELECT mixmodel.drop_attribution('nope')$$) AS drop_unknown;
SELECT mixmodel.drop_attribution('a');
SELECT count(*) AS scores_left FROM mixmodel.event_scores WHERE attribution = 'a';
SELECT count(*) AS runs_left FROM mixmodel.attribution_runs WHERE attribution = 'a';
ROLLBACK;
