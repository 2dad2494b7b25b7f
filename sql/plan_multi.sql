-- Several conversion models in one plan (doc/plan.md, "Several conversion models";
-- formulas.md §5.3: maximise sum_m w_m sum_c R_mc(s_c)).
-- Part 1, the core: _plan_core with one curve per (model, channel), term_channel and term_weight.
-- Model a covers channels 0, 1, 2; model b covers 0, 1 and 3 (3 only in b), on another scale.
CREATE TEMP TABLE mt (term int, chan int, model text, p1 float8, k float8, coef float8, lam float8);
INSERT INTO mt VALUES
  (1, 0, 'a', 1, 40, 100, 0.5), (2, 0, 'b', 1, 60, 3, 0.3),
  (3, 1, 'a', 1, 25, 80, 0.2),  (4, 1, 'b', 1, 20, 2, 0.6),
  (5, 2, 'a', 1, 30, 60, 0.4),
  (6, 3, 'b', 1, 50, 5, 0.1);
-- two flights (weeks 0-3 budget 400, weeks 4-6 budget 250), 8 weeks of history per term,
-- channel maximum 300 in flight 1; lo/hi (channel-major, 2 flights) override the bounds
CREATE FUNCTION pm_solve(w jsonb, chans int[], multi boolean DEFAULT true, flat boolean DEFAULT true,
                         lo float8[] DEFAULT NULL, hi float8[] DEFAULT NULL)
RETURNS jsonb LANGUAGE sql AS $$
  WITH t AS (SELECT mt.*, row_number() OVER (ORDER BY chan, term) AS o,
                    dense_rank() OVER (ORDER BY chan) - 1 AS c
               FROM mt WHERE w ? model AND chan = ANY (chans)),
       nc AS (SELECT count(DISTINCT chan)::int AS n FROM t)
  SELECT to_jsonb(mixmodel._plan_core(
    array_agg('geometric'::text ORDER BY o), array_agg(lam ORDER BY o), array_agg(0::float8 ORDER BY o),
    array_agg(3 ORDER BY o), array_agg(false ORDER BY o), array_agg('michaelis_menten'::text ORDER BY o),
    array_agg(p1 ORDER BY o), array_agg(k ORDER BY o), array_agg(10::float8 ORDER BY o), array_agg(coef ORDER BY o),
    (SELECT array_agg((5.0 + term + u)::float8 ORDER BY o, u) FROM t, generate_series(1, 8) u),
    7, ARRAY[0, 4], ARRAY[4, 7], ARRAY[400, 250]::float8[],
    coalesce(lo, array_fill(0::float8, ARRAY[(SELECT n FROM nc) * 2])),
    coalesce(hi, (SELECT array_agg(CASE WHEN q = 1 THEN 300::float8 ELSE 'Infinity'::float8 END ORDER BY c0, q)
                    FROM generate_series(1, (SELECT n FROM nc)) c0, generate_series(1, 2) q)),
    CASE WHEN flat THEN (SELECT array_agg(CASE WHEN u < 4 THEN 0.25::float8 ELSE 1 / 3.0::float8 END ORDER BY c0, u)
                          FROM generate_series(1, (SELECT n FROM nc)) c0, generate_series(0, 6) u) END,
    'budget', NULL::float8[], 'Infinity'::float8,
    CASE WHEN multi THEN array_agg(c::int ORDER BY o) END,
    CASE WHEN multi THEN array_agg((w->>model)::float8 ORDER BY o) END))
   || jsonb_build_object('chans', (SELECT to_jsonb(array_agg(DISTINCT chan ORDER BY chan)) FROM t),
                         'term_model', (SELECT to_jsonb(array_agg(model ORDER BY o)) FROM t),
                         'weight', (SELECT to_jsonb(array_agg((w->>model)::float8 ORDER BY o)) FROM t))
  FROM t $$;
-- spend of channel ch (model numbering) in flight k of a solve
CREATE FUNCTION pm_spend(j jsonb, ch int, k int) RETURNS float8 LANGUAGE sql AS $$
  SELECT coalesce(sum((j->'x'->>(p * (j->>'horizon')::int + u))::float8), 0)
    FROM (SELECT o::int - 1 AS p FROM jsonb_array_elements_text(j->'chans') WITH ORDINALITY e(v, o) WHERE v::int = ch) q,
         generate_series(CASE k WHEN 1 THEN 0 ELSE 4 END, CASE k WHEN 1 THEN 3 ELSE 6 END) u $$;
-- largest spend difference between two solves over channels and flights (absent channel: 0)
CREATE FUNCTION pm_diff(a jsonb, b jsonb) RETURNS float8 LANGUAGE sql AS $$
  SELECT max(abs(pm_spend(a, c, k) - pm_spend(b, c, k))) FROM generate_series(0, 3) c, generate_series(1, 2) k $$;
-- weighted objective of a solve: sum over terms of weight * the term's own incremental forecast
CREATE FUNCTION pm_objective(j jsonb) RETURNS float8 LANGUAGE sql AS $$
  SELECT sum((j->'weight'->>(q / (j->>'horizon')::int))::float8 * v::float8)
    FROM jsonb_array_elements_text(j->'term_incr') WITH ORDINALITY e(v, o), LATERAL (SELECT o::int - 1 AS q) z $$;
-- the weighted objective of a fixed allocation: bounds pinned to its flight totals (flat pattern)
CREATE FUNCTION pm_value(w jsonb, alloc jsonb) RETURNS float8 LANGUAGE sql AS $$
  SELECT pm_objective(pm_solve(w, ARRAY[0, 1, 2, 3], true, true, b, b))
    FROM (SELECT array_agg(pm_spend(alloc, c, k) ORDER BY c, k) AS b FROM generate_series(0, 3) c, generate_series(1, 2) k) q $$;

CREATE TEMP TABLE r (run text PRIMARY KEY, j jsonb);
INSERT INTO r VALUES
  ('ab', pm_solve('{"a": 1, "b": 0.5}', ARRAY[0, 1, 2, 3])),
  ('ab_auto', pm_solve('{"a": 1, "b": 0.5}', ARRAY[0, 1, 2, 3], true, false)),
  ('a', pm_solve('{"a": 1}', ARRAY[0, 1, 2], false)),
  ('a_multi', pm_solve('{"a": 1}', ARRAY[0, 1, 2])),
  ('a_multi_w3', pm_solve('{"a": 3}', ARRAY[0, 1, 2])),
  ('a1_b0', pm_solve('{"a": 1, "b": 0}', ARRAY[0, 1, 2, 3])),
  ('b', pm_solve('{"b": 1}', ARRAY[0, 1, 3], false)),
  ('a0_b1', pm_solve('{"a": 0, "b": 1}', ARRAY[0, 1, 2, 3]));
SELECT run, (j->>'horizon')::int AS horizon, jsonb_array_length(j->'x') AS cells,
       jsonb_array_length(j->'term_incr') AS term_cells, (j->>'kkt_residual')::float8 < 1e-6 AS certified
  FROM r ORDER BY run;
-- one model through the multi path is the single-model plan (any weight: the argmax is the same)
SELECT pm_diff(a.j, m.j) < 1e-9 AS multi_path_same, pm_diff(a.j, w.j) < 1e-6 AS weight_3_same,
       abs((w.j->'lambda'->>0)::float8 - 3 * (a.j->'lambda'->>0)::float8) < 1e-6 * (w.j->'lambda'->>0)::float8 AS lambda_scaled
  FROM r a, r m, r w WHERE a.run = 'a' AND m.run = 'a_multi' AND w.run = 'a_multi_w3';
-- weights (1, 0) and (0, 1) reproduce each model's own plan; the channel of the
-- zero-weight model alone gets no spend
SELECT pm_diff(a.j, ab.j) < 1e-6 AS a1_b0_is_a, pm_spend(ab.j, 3, 1) + pm_spend(ab.j, 3, 2) AS ch3_spend_a1_b0,
       pm_diff(b.j, ba.j) < 1e-6 AS a0_b1_is_b, pm_spend(ba.j, 2, 1) + pm_spend(ba.j, 2, 2) AS ch2_spend_a0_b1
  FROM r a, r ab, r b, r ba WHERE a.run = 'a' AND ab.run = 'a1_b0' AND b.run = 'b' AND ba.run = 'a0_b1';
-- single path: the one term per channel is the channel's response
SELECT j->'term_incr' = j->'incr' AND j->'term_total' = j->'total' AS terms_are_channels FROM r WHERE run = 'a';
-- weighted path: incr per channel = sum of weight * each of its terms' own forecast
SELECT run, abs(pm_objective(j) - (SELECT sum(v::float8) FROM jsonb_array_elements_text(j->'incr') v))
            < 1e-9 * pm_objective(j) AS incr_is_weighted
  FROM r WHERE run IN ('ab', 'ab_auto') ORDER BY run;
-- KKT on the weighted objective: channels strictly inside their bounds share the flight's
-- lambda to 1e-6 relative (flat pattern; automatic: every week with spend of such channels)
SELECT k, bool_and(CASE WHEN s <= 1e-9 THEN m <= l * (1 + 1e-6)
                        WHEN k = 1 AND s >= 300 - 1e-9 THEN m >= l * (1 - 1e-6)
                        ELSE abs(m - l) <= 1e-6 * l END) AS kkt,
       count(*) FILTER (WHERE s > 1e-9 AND NOT (k = 1 AND s >= 300 - 1e-9)) AS inside
  FROM r, generate_series(1, 2) k, generate_series(0, 3) c,
       LATERAL (SELECT pm_spend(j, c, k) AS s, (j->'flight_marginal'->>(c * 2 + k - 1))::float8 AS m,
                       (j->'lambda'->>(k - 1))::float8 AS l) q
 WHERE run = 'ab' GROUP BY k ORDER BY k;
SELECT bool_and(abs((j->'marginal'->>(c * h + t))::float8 - (j->'lambda'->>(k - 1))::float8)
                <= 1e-6 * (j->'lambda'->>(k - 1))::float8) AS weekly_kkt
  FROM r, LATERAL (SELECT (j->>'horizon')::int AS h) hh, generate_series(1, 2) k, generate_series(0, 3) c,
       generate_series(0, 6) t
 WHERE run = 'ab_auto' AND t BETWEEN (k - 1) * 4 AND CASE k WHEN 1 THEN 3 ELSE 6 END
   AND (j->'x'->>(c * h + t))::float8 > 1e-6
   AND pm_spend(j, c, k) < CASE k WHEN 1 THEN 300 - 1e-6 ELSE 'Infinity' END;
-- optimality on the weighted objective, independently of the certificate: the weighted plan is
-- worth at least each model's own plan and every move of 1% of a flight budget between two channels
SELECT pm_value('{"a": 1, "b": 0.5}', ab.j) >= pm_value('{"a": 1, "b": 0.5}', a.j) AS beats_a_plan,
       pm_value('{"a": 1, "b": 0.5}', ab.j) >= pm_value('{"a": 1, "b": 0.5}', b.j) AS beats_b_plan,
       pm_value('{"a": 1, "b": 0.5}', ab.j) > pm_value('{"a": 1, "b": 0.5}', a.j) + 1e-6 AS strictly_better_than_a
  FROM r ab, r a, r b WHERE ab.run = 'ab' AND a.run = 'a' AND b.run = 'b';
SELECT count(*) AS moves, count(*) FILTER (WHERE v > best * (1 + 1e-12)) AS better_moves
  FROM (SELECT pm_value('{"a": 1, "b": 0.5}', j) AS best, j FROM r WHERE run = 'ab') o,
       generate_series(0, 3) c1, generate_series(0, 3) c2, generate_series(1, 2) k,
       LATERAL (SELECT jsonb_set(j, '{x}', (SELECT jsonb_agg(CASE
                  WHEN q = c1 * (j->>'horizon')::int + (k - 1) * 4 THEN v::float8 - CASE k WHEN 1 THEN 4 ELSE 2.5 END
                  WHEN q = c2 * (j->>'horizon')::int + (k - 1) * 4 THEN v::float8 + CASE k WHEN 1 THEN 4 ELSE 2.5 END
                  ELSE v::float8 END ORDER BY q)
                  FROM jsonb_array_elements_text(j->'x') WITH ORDINALITY e(v, o1), LATERAL (SELECT o1::int - 1 AS q) z)) AS moved) mv,
       LATERAL (SELECT pm_value('{"a": 1, "b": 0.5}', moved) AS v) vv
 WHERE c1 <> c2 AND pm_spend(j, c1, k) >= CASE k WHEN 1 THEN 4 ELSE 2.5 END
   AND pm_spend(j, c2, k) + CASE k WHEN 1 THEN 4 ELSE 2.5 END <= CASE k WHEN 1 THEN 300 ELSE 1e300 END;
-- errors
SELECT mixmodel._plan_core('{geometric}', '{0.5}', '{0}', '{3}', '{f}', '{michaelis_menten}', '{1}', '{40}', '{10}',
       '{100}', '{1,2}', 2, '{0}', '{2}', '{10}', '{0}', '{Infinity}', NULL, 'budget', NULL, 'Infinity', '{0}', NULL);
SELECT mixmodel._plan_core('{geometric}', '{0.5}', '{0}', '{3}', '{f}', '{michaelis_menten}', '{1}', '{40}', '{10}',
       '{100}', '{1,2}', 2, '{0}', '{2}', '{10}', '{0}', '{Infinity}', NULL, 'budget', NULL, 'Infinity', '{1}', '{1}');
SELECT mixmodel._plan_core('{geometric,geometric}', '{0.5,0.5}', '{0,0}', '{3,3}', '{f,f}', '{michaelis_menten,michaelis_menten}',
       '{1,1}', '{40,40}', '{10,10}', '{100,100}', '{1,2,1,2}', 2, '{0}', '{2}', '{10}', '{0}', '{Infinity}', NULL, 'budget', NULL,
       'Infinity', '{0,0}', '{1,-1}');
SELECT mixmodel._plan_core('{geometric,geometric}', '{0.5,0.5}', '{0,0}', '{3,3}', '{f,f}', '{michaelis_menten,michaelis_menten}',
       '{1,1}', '{40,40}', '{10,10}', '{100,100}', '{1,2,1,2}', 2, '{0}', '{2}', '{10}', '{0}', '{Infinity}', NULL, 'budget', NULL,
       'Infinity', '{0,0}', '{1,NaN}');
SELECT mixmodel._plan_core('{geometric,geometric}', '{0.5,0.5}', '{0,0}', '{3,3}', '{f,f}', '{michaelis_menten,michaelis_menten}',
       '{1,1}', '{40,40}', '{10,10}', '{100,100}', '{1,2,1,2}', 2, '{0}', '{2}', '{10}', '{0}', '{Infinity}', NULL, 'budget', NULL,
       'Infinity', '{0}', '{1,1}');

-- Part 2, create_plan(models => ...): a revenue model (tv, search) and an orders model
-- (search, social) trained on a later start of the same weeks, so the union has a channel
-- of each model alone and the orders model's history is shorter.
SET client_min_messages = error;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('pm_gen', seed => 7, weeks => 130,
       events => 100000, channels => ARRAY['tv', 'search', 'social', 'email']);
CREATE VIEW pm_gen.late AS SELECT week, orders, revenue, search_spend, social_spend FROM pm_gen.weekly_wide
 WHERE week >= (SELECT min(week) + 140 FROM pm_gen.weekly_wide);
CREATE VIEW pm_gen.early AS SELECT * FROM pm_gen.weekly_wide WHERE week < (SELECT max(week) - 70 FROM pm_gen.weekly_wide);
CREATE VIEW pm_gen.fortnightly AS SELECT * FROM pm_gen.weekly_wide
 WHERE (week - (SELECT max(week) FROM pm_gen.weekly_wide)) % 14 = 0;
SELECT mixmodel.create_model('pm_rev', source => 'pm_gen.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 30, "saturation": "michaelis_menten"}');
SELECT mixmodel.create_model('pm_ord', source => 'pm_gen.late', date_column => 'week', kpi => 'orders',
       media => ARRAY['search_spend', 'social_spend'], options => '{"inference": "ridge", "candidates": 30, "saturation": "michaelis_menten"}');
SELECT mixmodel.create_model('pm_early', source => 'pm_gen.early', date_column => 'week', kpi => 'orders',
       media => ARRAY['search_spend'], options => '{"inference": "ridge", "candidates": 10, "saturation": "michaelis_menten"}');
SELECT mixmodel.create_model('pm_fortnight', source => 'pm_gen.fortnightly', date_column => 'week', kpi => 'orders',
       media => ARRAY['search_spend'], options => '{"inference": "ridge", "candidates": 10, "saturation": "michaelis_menten"}');
SELECT mixmodel.create_model('pm_untrained', source => 'pm_gen.weekly_wide', date_column => 'week', kpi => 'orders',
       media => ARRAY['search_spend']);
SELECT count(*) FROM mixmodel.train('pm_rev', seed => 1);
SELECT count(*) FROM mixmodel.train('pm_ord', seed => 1);
SELECT count(*) FROM mixmodel.train('pm_early', seed => 1);
SELECT count(*) FROM mixmodel.train('pm_fortnight', seed => 1);
RESET client_min_messages;
SELECT x AS model, u.kpi_unit, u.revenue_per_conversion > 0 AS has_rpc
  FROM unnest(ARRAY['pm_rev', 'pm_ord']) x, LATERAL mixmodel._model_kpi_units(x) u;
-- two flights of 8 and 6 weeks with budgets of about the historical weekly paid spend
SELECT max(week) + 7 AS first_plan_week, round(avg(tv_spend + search_spend + social_spend)) AS wk FROM pm_gen.weekly_wide \gset
CREATE TEMP TABLE fl AS SELECT format('[{"from": "%s", "to": "%s", "budget": %s}, {"from": "%s", "to": "%s", "budget": %s}]',
       :'first_plan_week'::date, :'first_plan_week'::date + 55, 8 * :wk, :'first_plan_week'::date + 56,
       :'first_plan_week'::date + 97, 6 * :wk)::jsonb AS f;
-- each model alone, and both at weights (1, 0) and (0, 1) (flat pattern: one spend per channel and flight)
SELECT count(*) FROM fl, mixmodel.create_plan('pm_rev_only', 'pm_rev', flights => f, spend_pattern => 'flat');
SELECT count(*) FROM fl, mixmodel.create_plan('pm_ord_only', 'pm_ord', flights => f, spend_pattern => 'flat');
SELECT count(*) FROM fl, mixmodel.create_plan('pm_1_0', 'pm_rev', flights => f, spend_pattern => 'flat',
       models => '{"pm_ord": 0}');
SELECT count(*) FROM fl, mixmodel.create_plan('pm_0_1', 'pm_rev', flights => f, spend_pattern => 'flat',
       models => '{"pm_rev": 0, "pm_ord": 1}');
-- the union of channels, the primary model's first; (1, 0) is the revenue model's plan (social unfunded),
-- (0, 1) the orders model's (tv unfunded), spends within 1e-6 of the budget
SELECT p.plan, string_agg(p.channel, ', ' ORDER BY p.channel) FILTER (WHERE p.flight = 1) AS channels,
       max(abs(p.spend - coalesce(o.spend, 0))) <= 1e-6 * 8 * :wk AS same_as_own_plan
  FROM mixmodel.plan_summary p
  LEFT JOIN mixmodel.plan_summary o ON o.plan = CASE p.plan WHEN 'pm_1_0' THEN 'pm_rev_only' ELSE 'pm_ord_only' END
       AND o.flight = p.flight AND o.channel = p.channel
 WHERE p.plan IN ('pm_1_0', 'pm_0_1') AND p.channel NOT IN ('base', 'total') GROUP BY p.plan ORDER BY p.plan;
-- plan_summary and plan_allocations keep the primary model's forecast (revenue): a channel it lacks adds 0;
-- plan_model_summary has each model's own, in its units
SELECT a.plan, bool_and(abs(a.kpi - b.kpi) <= 1e-9 * greatest(abs(b.kpi), 1)) AS primary_forecast_kept
  FROM mixmodel.plan_summary a JOIN mixmodel.plan_summary b ON b.plan = 'pm_rev_only' AND b.flight = a.flight AND b.channel = a.channel
 WHERE a.plan = 'pm_1_0' GROUP BY a.plan;
SELECT plan, model, weight, flight, channel, spend > 1 AS funded, incremental > 0 AS adds,
       revenue IS NOT NULL AS has_revenue, conversions IS NOT NULL AS has_conversions
  FROM mixmodel.plan_model_summary WHERE plan IN ('pm_0_1', 'pm_rev_only') AND flight = 1 ORDER BY 1, 2, 5;
SELECT bool_and(abs(m.kpi - o.kpi) <= 1e-6 * abs(o.kpi)) AS orders_forecast_as_own_plan
  FROM mixmodel.plan_model_summary m JOIN mixmodel.plan_summary o ON o.plan = 'pm_ord_only' AND o.flight = m.flight AND o.channel = m.channel
 WHERE m.plan = 'pm_0_1' AND m.model = 'pm_ord';
-- a single-model plan: plan_model_summary repeats plan_summary's paid channels, weight 1
SELECT bool_and(abs(m.kpi - s.kpi) < 1e-9 * abs(s.kpi) AND abs(m.incremental - s.incremental) < 1e-9 * abs(s.incremental)
                AND abs(m.roi - s.roi) < 1e-9 AND m.weight = 1) AS single_model_rows,
       count(*) AS rows
  FROM mixmodel.plan_model_summary m JOIN mixmodel.plan_summary s USING (plan, flight, channel) WHERE m.plan = 'pm_rev_only';

-- both models, an order worth 0.5 of the revenue model's unit per weight: weekly spend automatic
SELECT count(*) FROM fl, mixmodel.create_plan('pm_both', 'pm_rev', flights => f, models => '{"pm_ord": 0.5}',
       constraints => format('{"social_spend": {"max": %s, "flight": 2}}', :wk)::jsonb);
-- KKT on the weighted objective: channels strictly inside their bounds share lambda to 1e-6
SELECT s.flight, bool_and(CASE WHEN s.spend <= s.min_spend + 1e-9 THEN s.marginal <= f.lambda * (1 + 1e-6)
                                WHEN s.spend >= s.max_spend - 1e-9 THEN s.marginal >= f.lambda * (1 - 1e-6)
                                ELSE abs(s.marginal - f.lambda) <= 1e-6 * f.lambda END) AS kkt,
       count(*) FILTER (WHERE s.spend > s.min_spend + 1e-9 AND s.spend < s.max_spend - 1e-9) AS inside,
       (SELECT kkt_residual < 1e-6 FROM mixmodel.plans WHERE name = 'pm_both') AS certified
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE s.plan = 'pm_both' AND s.channel NOT IN ('base', 'total') GROUP BY 1 ORDER BY 1;
-- budgets met, the bound kept, each model's forecast added up, weights stored
SELECT f.flight, abs(f.spend - f.budget) <= 1e-9 * f.budget AS budget_met FROM mixmodel.plan_flights f
 WHERE f.plan = 'pm_both' ORDER BY 1;
SELECT spend <= :wk + 1e-9 AS social_max_kept FROM mixmodel.plan_summary WHERE plan = 'pm_both' AND flight = 2 AND channel = 'social_spend';
SELECT model, weight, count(*) AS rows,
       bool_and(abs(p.kpi - (SELECT sum(x.kpi) FROM mixmodel.plan_model_summary x WHERE x.plan = p.plan AND x.model = p.model
                             AND x.flight = p.flight AND x.channel <> 'paid')) <= 1e-9 * abs(p.kpi)) AS paid_adds_up
  FROM mixmodel.plan_model_summary p WHERE plan = 'pm_both' AND channel = 'paid' GROUP BY 1, 2 ORDER BY 1;
SELECT arguments->'models' AS models FROM mixmodel.plans WHERE name = 'pm_both';
-- optimality on the weighted objective, independently of the certificate: revenue + 0.5 orders
-- (incremental, both flights) of the weighted plan beats each model's own plan with the same
-- budgets, each evaluated by pinning its flight spends (to 1e-9, flat pattern)
CREATE FUNCTION pm_weighted(p text) RETURNS float8 LANGUAGE sql AS $$
  SELECT sum(weight * incremental) FROM mixmodel.plan_model_summary WHERE plan = p AND channel = 'paid' $$;
CREATE FUNCTION pm_pinned(src text, nm text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE cons jsonb;
BEGIN
  SELECT jsonb_object_agg(channel, arr) INTO cons FROM (
    SELECT c.channel, jsonb_agg(jsonb_build_object('min', greatest(coalesce(s.spend, 0) - 1e-9, 0), 'max', coalesce(s.spend, 0) + 1e-9, 'flight', k.flight)) AS arr
      FROM (SELECT DISTINCT channel FROM mixmodel.plan_summary WHERE plan = 'pm_both' AND channel NOT IN ('base', 'total')) c
      CROSS JOIN (VALUES (1), (2)) k(flight)
      LEFT JOIN mixmodel.plan_summary s ON s.plan = src AND s.flight = k.flight AND s.channel = c.channel
     GROUP BY c.channel) q;
  PERFORM count(*) FROM fl, mixmodel.create_plan(nm, 'pm_rev', flights => f, models => '{"pm_ord": 0.5}',
          spend_pattern => 'flat', constraints => cons);
  RETURN pm_weighted(nm);
END $$;
SELECT count(*) FROM fl, mixmodel.create_plan('pm_both_flat', 'pm_rev', flights => f, models => '{"pm_ord": 0.5}',
       spend_pattern => 'flat');
SELECT pm_weighted('pm_both_flat') >= pm_pinned('pm_rev_only', 'pm_pin_rev') AS beats_revenue_plan,
       pm_weighted('pm_both_flat') >= pm_pinned('pm_ord_only', 'pm_pin_ord') AS beats_orders_plan,
       pm_weighted('pm_both_flat') > pm_pinned('pm_rev_only', 'pm_pin_rev2') + 1e-6 AS strictly;
-- duplicate_plan keeps the models
SELECT count(*) FROM mixmodel.duplicate_plan('pm_both', 'pm_both_copy');
SELECT count(DISTINCT model) AS models FROM mixmodel.plan_model_summary WHERE plan = 'pm_both_copy';
SELECT bool_and(abs(a.spend - b.spend) <= 1e-9 * greatest(a.spend, 1)) AS same_spend
  FROM mixmodel.plan_summary a JOIN mixmodel.plan_summary b USING (flight, channel) WHERE a.plan = 'pm_both' AND b.plan = 'pm_both_copy';

-- the orders model as primary: its source has no tv_spend column; plan_actuals follows the
-- primary model's channels (the plan's weeks have no actuals yet)
SELECT count(*) FROM fl, mixmodel.create_plan('pm_ord_primary', 'pm_ord', flights => f, models => '{"pm_rev": 0.02}');
SELECT string_agg(DISTINCT channel, ', ') AS channels FROM mixmodel.plan_summary WHERE plan = 'pm_ord_primary';
SELECT count(*) AS weeks_with_actuals FROM mixmodel.plan_actuals WHERE plan = 'pm_ord_primary';

-- reference pattern over several models: social_spend (the orders model's only, shorter history)
-- and search_spend follow their weekly spend 52 weeks before the flight (social at least 10%)
SELECT count(*) FROM fl, mixmodel.create_plan('pm_ref', 'pm_rev', flights => f, models => '{"pm_ord": 0.5}',
       spend_pattern => format('{"reference_from": "%s"}', :'first_plan_week'::date - 364),
       constraints => '{"social_spend": {"min_pct": 10}}');
SELECT a.channel, bool_and(abs(a.spend / s.spend - w.share) < 1e-9) AS follows_reference, count(*) AS weeks
  FROM mixmodel.plan_allocations a JOIN mixmodel.plan_summary s USING (plan, flight, channel)
  JOIN (SELECT week, 'social_spend' AS channel, social_spend / sum(social_spend) OVER () AS share FROM pm_gen.weekly_wide
         WHERE week BETWEEN :'first_plan_week'::date - 364 AND :'first_plan_week'::date - 364 + 55
        UNION ALL
        SELECT week, 'search_spend', search_spend / sum(search_spend) OVER () FROM pm_gen.weekly_wide
         WHERE week BETWEEN :'first_plan_week'::date - 364 AND :'first_plan_week'::date - 364 + 55) w
    ON w.week = a.week - 364 AND w.channel = a.channel
 WHERE a.plan = 'pm_ref' AND a.flight = 1 AND s.spend > 0 GROUP BY 1 ORDER BY 1;
-- month-by-month over several models: every month's budget met, KKT on the weighted objective
SELECT count(*) > 0 AS planned FROM fl, mixmodel.create_plan('pm_month', 'pm_rev', flights => f, models => '{"pm_ord": 0.5}',
       monthly => true);
SELECT count(*) AS months, bool_and(abs(f.spend - f.budget) <= 1e-9 * f.budget) AS budgets_met,
       (SELECT kkt_residual < 1e-6 FROM mixmodel.plans WHERE name = 'pm_month') AS certified
  FROM mixmodel.plan_flights f WHERE f.plan = 'pm_month';

-- errors: SQLSTATE, message and detail
CREATE FUNCTION pm_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ': ' || msg || coalesce(nullif(' (' || det || ')', ' ()'), '');
END $$;
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_nope": 1}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_untrained": 1}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_ord": -1}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_ord": "NaN"}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_ord": "1"}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_ord": null}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_rev": 0, "pm_ord": 0}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '["pm_ord"]')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_early": 1}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', flights => f, models => '{"pm_fortnight": 1}')$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', goal => 'target', models => '{"pm_ord": 1}',
       flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', -1)), max_budget => 1000)$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', goal => 'target', target_metric => 'cpa', models => '{"pm_ord": 1}',
       flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', 0)), max_budget => 1000)$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', goal => 'target', models => '{"pm_ord": 1}',
       flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'budget', 10)), max_budget => 1000)$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', goal => 'target', models => '{"pm_ord": 1}', monthly => true,
       flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', 10)), max_budget => 1000)$$);
SELECT pm_err($$SELECT count(*) FROM fl, mixmodel.create_plan('pm_e', 'pm_rev', goal => 'target', models => '{"pm_ord": 1}', max_budget => 0,
       flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', 10)))$$);
-- a single model named in models is an ordinary plan: target allowed
SELECT count(*) > 0 AS target_one_model FROM mixmodel.create_plan('pm_t', 'pm_rev', goal => 'target', models => '{"pm_rev": 2}',
       flights => (SELECT jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', 50)) FROM fl),
       max_budget => 1000);
SELECT model, weight FROM mixmodel.plan_model_summary WHERE plan = 'pm_t' AND channel = 'paid';

-- target plans over several models: the target is on the weighted objective
-- sum_m w_m KPI_m in the primary model's units (pm_rev counts revenue: revenue + 0.5 x orders),
-- converted to target_metric by the primary model's revenue per conversion.
-- A budget plan of one flight (budget B, flat) and its weighted objective, in revenue and conversions
CREATE TEMP TABLE fl1 AS SELECT jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'budget', 8 * :wk)) AS f,
       8 * :wk AS b FROM fl;
SELECT count(*) FROM fl1, mixmodel.create_plan('pm_tb', 'pm_rev', flights => f, models => '{"pm_ord": 0.5}', spend_pattern => 'flat');
CREATE TEMP TABLE tgt AS
SELECT o.obj AS revenue, o.obj / p.revenue_per_conversion AS conversions, o.obj / fl1.b - 1 AS roi,
       fl1.b / (o.obj / p.revenue_per_conversion) AS cpa
  FROM fl1, mixmodel.plans p,
       (SELECT sum(weight * incremental) AS obj FROM mixmodel.plan_model_summary WHERE plan = 'pm_tb' AND channel = 'paid') o
 WHERE p.name = 'pm_tb';
CREATE FUNCTION pm_target(nm text, metric text, v float8, cap float8, mods jsonb DEFAULT '{"pm_ord": 0.5}') RETURNS bigint
LANGUAGE sql AS $$
  SELECT count(*) FROM fl1, mixmodel.create_plan(nm, 'pm_rev', goal => 'target', target_metric => metric, models => mods,
         flights => jsonb_build_array(jsonb_build_object('from', f->0->'from', 'to', f->0->'to', 'target', v)), max_budget => cap) $$;
SELECT pm_target('pm_t_' || m, m, v, 3 * b) AS rows
  FROM fl1, tgt, LATERAL (VALUES ('revenue', tgt.revenue), ('conversions', tgt.conversions), ('roi', tgt.roi), ('cpa', tgt.cpa)) x(m, v)
 ORDER BY m;
-- each target gives back the budget B (1e-6 relative) and the budget plan's split and is achievable;
-- a volume target is what the plan reaches (best), a ratio target is met by the best reachable
-- ratio (best: at the least spend); the weighted objective of its own forecasts is the budget plan's
SELECT p.target_metric, f.achievable, abs(f.spend - fl1.b) <= 1e-6 * fl1.b AS budget_back,
       (SELECT max(abs(s.spend - t.spend)) FROM mixmodel.plan_summary s JOIN mixmodel.plan_summary t USING (flight, channel)
         WHERE s.plan = p.name AND t.plan = 'pm_tb' AND s.channel NOT IN ('base', 'total')) <= 1e-6 * fl1.b AS same_split,
       CASE p.target_metric WHEN 'roi' THEN f.best >= f.target - 1e-9 WHEN 'cpa' THEN f.best <= f.target * (1 + 1e-9)
            ELSE abs(f.best - f.target) <= 1e-6 * f.target END AS target_met,
       abs((SELECT sum(weight * incremental) FROM mixmodel.plan_model_summary x WHERE x.plan = p.name AND x.channel = 'paid')
           - tgt.revenue) <= 1e-6 * tgt.revenue AS weighted_objective
  FROM fl1, tgt, mixmodel.plans p JOIN mixmodel.plan_flights f ON f.plan = p.name
 WHERE p.name LIKE 'pm\_t\_%' ORDER BY 1;
-- out of reach under max_budget = B: not achievable, all of B spent, best = the budget plan's objective
SELECT pm_target('pm_t_far', 'revenue', 100 * revenue, b) AS rows FROM fl1, tgt;
SELECT f.achievable, abs(f.spend - fl1.b) <= 1e-9 * fl1.b AS spends_cap, abs(f.best - tgt.revenue) <= 1e-6 * tgt.revenue AS best_reachable,
       (SELECT max(abs(s.spend - t.spend)) FROM mixmodel.plan_summary s JOIN mixmodel.plan_summary t USING (flight, channel)
         WHERE s.plan = 'pm_t_far' AND t.plan = 'pm_tb' AND s.channel NOT IN ('base', 'total')) <= 1e-6 * fl1.b AS budget_plan_split
  FROM fl1, tgt, mixmodel.plan_flights f WHERE f.plan = 'pm_t_far';
-- weights (1, 0) are the revenue model's own target plan (social_spend, the orders model's only, unfunded)
SELECT pm_target('pm_t_rev', 'revenue', revenue, 3 * b, NULL) AS alone, pm_target('pm_t_1_0', 'revenue', revenue, 3 * b, '{"pm_ord": 0}') AS weighted
  FROM fl1, tgt;
SELECT (SELECT abs(a.spend - b.spend) <= 1e-9 * a.spend FROM mixmodel.plan_flights a, mixmodel.plan_flights b
         WHERE a.plan = 'pm_t_rev' AND b.plan = 'pm_t_1_0') AS same_spend,
       (SELECT bool_and(abs(s.spend - coalesce(t.spend, 0)) <= 1e-6 * fl1.b) FROM mixmodel.plan_summary s
          LEFT JOIN mixmodel.plan_summary t ON t.plan = 'pm_t_rev' AND t.flight = s.flight AND t.channel = s.channel
         WHERE s.plan = 'pm_t_1_0' AND s.channel NOT IN ('base', 'total')) AS same_split,
       (SELECT spend FROM mixmodel.plan_summary WHERE plan = 'pm_t_1_0' AND channel = 'social_spend') AS social_spend
  FROM fl1;

-- compare_plan_models: each model's own forecast in two plans, summed over the flights
SELECT model, weight_a, weight_b, channel, spend_a > 0 AS funded_a, spend_b > 0 AS funded_b,
       incremental_a > 0 AS adds_a, roi_a IS NOT NULL AS roi_a, cpa_b IS NOT NULL AS cpa_b
  FROM mixmodel.compare_plan_models('pm_both', 'pm_rev_only');
-- the rows are plan_model_summary's sums over flights
SELECT bool_and(abs(c.spend_a - s.spend) <= 1e-9 * greatest(s.spend, 1) AND abs(c.kpi_a - s.kpi) <= 1e-9 * abs(s.kpi)
                AND abs(c.incremental_a - s.inc) <= 1e-9 * abs(s.inc) AND abs(c.revenue_a - s.revenue) <= 1e-9 * abs(s.revenue)
                AND abs(c.conversions_a - s.conversions) <= 1e-9 * abs(s.conversions) AND c.weight_a = s.weight) AS sums,
       count(*) AS rows
  FROM mixmodel.compare_plan_models('pm_both', 'pm_rev_only') c
  JOIN (SELECT model, channel, max(weight) AS weight, sum(spend) AS spend, sum(kpi) AS kpi, sum(incremental) AS inc,
               sum(revenue) AS revenue, sum(conversions) AS conversions
          FROM mixmodel.plan_model_summary WHERE plan = 'pm_both' GROUP BY model, channel) s USING (model, channel);
-- ROI and CPA of the orders model in its own units: incremental orders x its revenue per order over the spend
SELECT abs(c.roi_a - (c.incremental_a * u.revenue_per_conversion / c.spend_a - 1)) <= 1e-9 AS roi,
       abs(c.cpa_a - c.spend_a / c.incremental_a) <= 1e-9 * c.cpa_a AS cpa
  FROM mixmodel.compare_plan_models('pm_both', 'pm_rev_only') c, mixmodel._model_kpi_units('pm_ord') u
 WHERE c.model = 'pm_ord' AND c.channel = 'paid';
-- single-model plans: each model's rows are compare_plans' paid channels and "paid"
SELECT c.model, count(*) AS rows,
       bool_and(CASE WHEN c.model = 'pm_rev'
                     THEN abs(c.spend_a - p.spend_a) <= 1e-9 * p.spend_a AND abs(c.revenue_a - p.revenue_a) <= 1e-9 * abs(p.revenue_a)
                          AND abs(c.conversions_a - p.conversions_a) <= 1e-9 * abs(p.conversions_a)
                          AND abs(c.roi_a - p.roi_a) <= 1e-9 AND abs(c.cpa_a - p.cpa_a) <= 1e-9 * p.cpa_a AND c.spend_b IS NULL
                     ELSE abs(c.spend_b - p.spend_b) <= 1e-9 * p.spend_b AND abs(c.revenue_b - p.revenue_b) <= 1e-9 * abs(p.revenue_b)
                          AND abs(c.conversions_b - p.conversions_b) <= 1e-9 * abs(p.conversions_b)
                          AND abs(c.roi_b - p.roi_b) <= 1e-9 AND abs(c.cpa_b - p.cpa_b) <= 1e-9 * p.cpa_b AND c.spend_a IS NULL END)
         AS as_compare_plans
  FROM mixmodel.compare_plan_models('pm_rev_only', 'pm_ord_only') c
  JOIN mixmodel.compare_plans('pm_rev_only', 'pm_ord_only') p USING (channel)
 GROUP BY c.model ORDER BY 1;
-- the weighted target plan forecasts what the budget plan it gives back does, model by model
SELECT count(*) AS rows, bool_and(abs(spend_a - spend_b) <= 1e-6 * greatest(spend_b, 1)
                                  AND abs(incremental_a - incremental_b) <= 1e-6 * abs(incremental_b)) AS same_forecast
  FROM mixmodel.compare_plan_models('pm_t_revenue', 'pm_tb');
SELECT pm_err($$SELECT * FROM mixmodel.compare_plan_models('pm_both', NULL)$$);
SELECT pm_err($$SELECT * FROM mixmodel.compare_plan_models('pm_nope', 'pm_both')$$);
SELECT pm_err($$SELECT * FROM mixmodel.compare_plan_models('pm_both', 'pm_nope')$$);
