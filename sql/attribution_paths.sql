-- attribution primitives: rule weights, path transforms, Markov, heuristic and Shapley over path tables
-- (in one transaction, rolled back, so the definitions of other tests are untouched)
BEGIN;
\pset footer off
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Adobe's worked example (formulas §6.2): search Sep 15, social Sep 18, email and display Sep 24, $50 on Sep 24
SELECT rule, array(SELECT round((50 * w)::numeric, 4) FROM unnest(mixmodel.attribution_weights(rule, 4, lags => '{9, 6, 0, 0}')) w) AS dollars
  FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'u_shaped', 'j_curve', 'inverse_j', 'time_decay']) rule;
SELECT mixmodel.attribution_weights('custom', 4, first => 30, middle => 40, last => 30) AS custom_30_40_30;
SELECT mixmodel.attribution_weights('participation', 4, channels => '{search, social, email, social}') AS participation;
SELECT mixmodel.attribution_weights('same_touch', 3, same => '{f, t, f}') AS same_touch;
SELECT mixmodel.attribution_weights('j_curve', 2) AS j_two, mixmodel.attribution_weights('custom', 2, 0, 1, 0) AS custom_no_ends;

-- transforms on the Snowplow/Fractribution example path D A B B C D C C
SELECT t, mixmodel.transform_path('D > A > B > B > C > D > C > C', ARRAY[t]) AS path
  FROM unnest(ARRAY['unique', 'exposure', 'first', 'frequency', 'trim_long_path(3)']) t;
SELECT mixmodel.transform_path('A > B > A > A', '{remove_if_not_all(A)}') AS remove_a,
       mixmodel.transform_path('A > B > A > A', '{remove_if_last_and_not_all(A)}') AS remove_last_a,
       mixmodel.transform_path('A > A', '{remove_if_not_all(A)}') AS only_a,
       mixmodel.transform_path('D > A > B > B > C > D > C > C', '{exposure, frequency}') AS composed;

-- Markov toy (formulas §6.3): c1 > c2 > c3 converts once (value 10), c1 ends null, c2 > c3 ends null
CREATE TEMP TABLE toy (path text, conversions int, value float8, nulls int);
INSERT INTO toy VALUES ('c1 > c2 > c3', 1, 10, 0), ('c1', 0, 0, 1), ('c2 > c3', 0, 0, 1);
SELECT channel, round(removal_effect::numeric, 12) AS re, round(removal_effect_value::numeric, 12) AS re_value,
       round(conversions::numeric, 12) AS conversions, round(revenue::numeric, 12) AS revenue
  FROM mixmodel.markov_attribution('toy', 'path', 'conversions', 'value', 'nulls');
-- without the null state every chain converts
SELECT channel, round(conversions::numeric, 12) AS conversions
  FROM mixmodel.markov_attribution('toy', 'path', 'conversions', use_null => false);
SELECT channel, round(removal_effect::numeric, 12) AS re, round(conversions::numeric, 12) AS conversions
  FROM mixmodel.markov_attribution('toy', 'path', 'conversions', null_column => 'nulls', "order" => 2);

-- the Monte-Carlo estimate (walks > 0) of the same toy: within sampling error of the exact values
SELECT channel, abs(conversions - CASE channel WHEN 'c1' THEN 0.2 ELSE 0.4 END) < 0.005 AS near_exact
  FROM mixmodel.markov_attribution('toy', 'path', 'conversions', 'value', 'nulls', walks => 1000000, seed => 7);
SELECT channel, model, conversions, revenue FROM mixmodel.heuristic_attribution('toy', 'path', 'conversions', 'value')
 WHERE conversions > 0 ORDER BY model, channel;

-- Shapley toys (formulas §6.4): {a,b} x2 and {a} x1 -> a 2, b 1
CREATE TEMP TABLE sets (path text, conversions float8, nulls float8);
INSERT INTO sets VALUES ('a > b', 1, 4), ('b > a > a', 1, 4), ('a', 1, 9), ('b', 0.5, 9.5);
SELECT * FROM mixmodel.shapley_attribution('sets', 'path', 'conversions') WHERE channel IN ('a', 'b');
-- rates v(a) = 0.1, v(b) = 0.05, v(ab) = 0.2: the {a,b} conversions split 62.5 / 37.5
SELECT channel, round(conversions::numeric, 12) AS conversions
  FROM mixmodel.shapley_attribution('sets', 'path', 'conversions', null_column => 'nulls', value_function => 'conversion_rate');

-- the aggregate: the same credits, and partial states that combine (parallel workers)
SELECT key AS channel, round((value->>'conversions')::numeric, 12) AS conversions, round((value->>'revenue')::numeric, 12) AS revenue
  FROM jsonb_each((SELECT mixmodel.path_credits(path, conversions, value, 'u_shaped') FROM toy)) ORDER BY 1;
SELECT key AS channel, value->>'conversions' AS conversions
  FROM jsonb_each((SELECT mixmodel.path_credits(path, conversions, NULL, 'shapley') FROM sets)) ORDER BY 1;
CREATE TABLE attr_many AS
SELECT (ARRAY['a', 'b', 'c', 'd'])[1 + i % 4] || ' > ' || (ARRAY['b', 'c', 'e'])[1 + i % 3]
       || CASE WHEN i % 5 = 0 THEN ' > a' ELSE '' END AS path, (i % 3)::float8 AS conversions, (i % 7)::float8 AS revenue
  FROM generate_series(1, 200000) i;
ANALYZE attr_many;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT mixmodel.path_credits(path, conversions, revenue, 'linear') FROM attr_many;
SELECT p.key AS channel, abs((p.value->>'conversions')::float8 - h.conversions) < 1e-9 * h.conversions AS same_as_heuristic
  FROM jsonb_each((SELECT mixmodel.path_credits(path, conversions, revenue, 'linear') FROM attr_many)) p
  JOIN mixmodel.heuristic_attribution('attr_many', 'path', 'conversions', 'revenue') h ON h.channel = p.key AND h.model = 'linear'
 ORDER BY 1;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
DROP TABLE attr_many;

-- bad input
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('w_shaped', 3)$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('linear', 0)$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('custom', 3, 0, 0, 0)$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('custom', 3, -1, 1, 1)$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('time_decay', 2)$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('time_decay', 2, lags => '{1, -1}')$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('time_decay', 2, half_life => 0, lags => '{1, 1}')$$);
SELECT pg_temp.err($$SELECT mixmodel.attribution_weights('time_decay', 3, lags => '{1, 1}')$$);
SELECT pg_temp.err($$SELECT mixmodel.transform_path('a >  > b', '{exposure}')$$);
SELECT pg_temp.err($$SELECT mixmodel.transform_path('a > b', '{trim_long_path(0)}')$$);
SELECT pg_temp.err($$SELECT mixmodel.transform_path('a > b', '{trim_long_path}')$$);
SELECT pg_temp.err($$SELECT mixmodel.transform_path('a > b', '{sideways}')$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions', "order" => 5)$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions', walks => -1)$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'route', 'conversions')$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'path')$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions', separator => '')$$);
INSERT INTO toy VALUES ('c9', -1, 0, 0);
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions')$$);
UPDATE toy SET conversions = NULL WHERE path = 'c9';
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions')$$);
DELETE FROM toy WHERE path = 'c9';
UPDATE toy SET conversions = 0;
SELECT pg_temp.err($$SELECT * FROM mixmodel.markov_attribution('toy', 'path', 'conversions', null_column => 'nulls')$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.shapley_attribution('sets', 'path', 'conversions', value_function => 'conversion_rate')$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.shapley_attribution('sets', 'path', 'conversions', value_function => 'banzhaf')$$);
CREATE TEMP TABLE wide (path text, conversions int, nulls int);
INSERT INTO wide SELECT string_agg('ch' || i, ' > '), 1, 1 FROM generate_series(1, 17) i;
SELECT pg_temp.err($$SELECT * FROM mixmodel.shapley_attribution('wide', 'path', 'conversions', null_column => 'nulls', value_function => 'conversion_rate')$$);
SELECT count(*) FROM mixmodel.shapley_attribution('wide', 'path', 'conversions');
SELECT pg_temp.err($$SELECT mixmodel.path_credits(path, conversions, value, 'time_decay') FROM toy$$);
SELECT pg_temp.err($$SELECT mixmodel.path_credits_final('\x00'::bytea)$$);
SELECT pg_temp.err($$SELECT mixmodel.path_credits_combine('\x4d4d'::bytea, NULL)$$);
ROLLBACK;
