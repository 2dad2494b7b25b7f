-- create_plan over a multiplicative model (doc/plan.md "Multiplicative models"): the coupled
-- optimum against the historical split and random feasible splits, KKT, bounds, forecast
-- parts, the certificate, bad input.
SET client_min_messages = error;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('pmult_gen', seed => 9, weeks => 130,
       events => 2000, channels => ARRAY['tv', 'search', 'social'], form => 'multiplicative');
SELECT mixmodel.create_model('pmult', source => 'pmult_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       options => '{"inference": "ridge", "candidates": 40, "form": "multiplicative"}');
SELECT count(*) > 0 AS trained FROM mixmodel.train('pmult', seed => 1);
RESET client_min_messages;
SELECT max(week) AS last_week FROM pmult_gen.weekly_wide;
SELECT bool_and(saturation = 'power') AS power_curves, bool_and(coef >= 0) AS non_negative
  FROM mixmodel.run_channels WHERE model = 'pmult' AND paid;

-- budget plan: two flights, flat weekly spend, a minimum and a % maximum
SELECT flight, channel, spend > 0 AS spends
  FROM mixmodel.create_plan('pm', 'pmult', spend_pattern => 'flat',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000},
                      {"from": "2025-09-29", "to": "2025-12-28", "budget": 2000}]',
         constraints => '{"tv_spend": {"min": 300}, "social_spend": {"max_pct": 40}}');
-- KKT of the coupled problem: d forecast / d flight spend equals lambda for channels
-- strictly inside their bounds (1e-6 relative), <= at a minimum, >= at a maximum
SELECT s.flight, bool_and(CASE WHEN s.spend <= s.min_spend + 1e-9 THEN s.marginal <= f.lambda * (1 + 1e-6)
                                WHEN s.spend >= s.max_spend - 1e-9 THEN s.marginal >= f.lambda * (1 - 1e-6)
                                ELSE abs(s.marginal - f.lambda) <= 1e-6 * f.lambda END) AS kkt
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE s.plan = 'pm' AND s.channel NOT IN ('base', 'total') GROUP BY 1 ORDER BY 1;
SELECT kkt_residual < 1e-6 AS certified, optimality->>'method' AS method,
       optimality->>'optimum' AS optimum, (optimality->>'starts')::int AS starts,
       (optimality->>'starts_agreed')::int AS starts_agreed, (optimality->>'starts_capped')::int AS capped,
       round((optimality->>'start_spread')::numeric, 4) AS spread,
       (optimality->>'concave_at_solution')::boolean AS concave_at_solution
  FROM mixmodel.plans WHERE name = 'pm';
-- budgets met, bounds kept
SELECT f.flight, abs(f.spend - f.budget) <= 1e-9 * f.budget AS budget_met FROM mixmodel.plan_flights f
 WHERE f.plan = 'pm' ORDER BY 1;
SELECT bool_and(s.spend >= c.min_spend - 1e-9 AND (c.max_spend IS NULL OR s.spend <= c.max_spend + 1e-9)) AS bounds_kept
  FROM mixmodel.plan_constraints c JOIN mixmodel.plan_summary s USING (plan, flight, channel) WHERE c.plan = 'pm';
-- forecast parts: base + paid channels = forecast every week (log_share), and the base of a plan
-- week is the fit's same week last year with the paid channels removed: below that week's fit
SELECT bool_and(b.kpi > 0) AS base_positive,
       bool_and(b.kpi < (SELECT y.predicted FROM mixmodel.run_fit y WHERE y.model = 'pmult' AND y.period = b.week - 364)) AS base_below_fit
  FROM mixmodel.plan_allocations b WHERE b.plan = 'pm' AND b.channel = 'base' AND b.week <= '2026-06-29';
SELECT bool_and(abs(t.kpi - (SELECT sum(kpi) FROM mixmodel.plan_summary x WHERE x.plan = t.plan AND x.flight = t.flight
                             AND x.channel <> 'total')) < 1e-9 * t.kpi) AS totals_add_up
  FROM mixmodel.plan_summary t WHERE t.plan = 'pm' AND t.channel = 'total';

-- the plan beats the historical split of the same budgets (bounds pinned to it, whole currency units) ...
SELECT format('{"tv_spend": [{"min": %1$s, "max": %1$s, "flight": 1}, {"min": %4$s, "max": %4$s, "flight": 2}],
                "search_spend": [{"min": %2$s, "max": %2$s, "flight": 1}, {"min": %5$s, "max": %5$s, "flight": 2}],
                "social_spend": [{"min": %3$s, "max": %3$s, "flight": 1}, {"min": %6$s, "max": %6$s, "flight": 2}]}',
              round(3000 * tv), round(3000 * se), 3000 - round(3000 * tv) - round(3000 * se),
              round(2000 * tv), round(2000 * se), 2000 - round(2000 * tv) - round(2000 * se)) AS hist_split
  FROM (SELECT max(spend) FILTER (WHERE channel = 'tv_spend') / sum(spend) AS tv,
               max(spend) FILTER (WHERE channel = 'search_spend') / sum(spend) AS se
          FROM mixmodel.run_channels WHERE model = 'pmult' AND paid) x \gset
SELECT count(*) FROM mixmodel.create_plan('pm_hist', 'pmult', spend_pattern => 'flat',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000},
                      {"from": "2025-09-29", "to": "2025-12-28", "budget": 2000}]', constraints => :'hist_split');
SELECT sum(o.incremental) > sum(h.incremental) AS beats_historical
  FROM mixmodel.plan_summary o, mixmodel.plan_summary h
 WHERE o.plan = 'pm' AND h.plan = 'pm_hist' AND o.channel = 'total' AND h.channel = 'total' AND o.flight = h.flight;
-- ... and 50 random feasible splits (same bounds, same budgets)
SELECT setseed(0.5);
DO $$
DECLARE g int; better int := 0; best float8; v float8; a float8; b float8; cons jsonb;
BEGIN
    SELECT sum(incremental) INTO best FROM mixmodel.plan_summary WHERE plan = 'pm' AND channel = 'total';
    FOR g IN 1 .. 50 LOOP
        cons := '{}';
        -- flight 1: tv in [300, 3000], social <= 1200; flight 2: tv >= 300, social <= 800
        FOR b IN SELECT x FROM (VALUES (1), (2)) v(x) LOOP
            a := CASE WHEN b = 1 THEN 3000 ELSE 2000 END;
            DECLARE tv float8 := round(300 + (a - 300) * random()); so float8; BEGIN
                so := round(least(0.4 * a, (a - tv) * random()));
                cons := jsonb_set(cons, ARRAY['tv_spend'], coalesce(cons->'tv_spend', '[]') || jsonb_build_object('min', tv, 'max', tv, 'flight', b));
                cons := jsonb_set(cons, ARRAY['social_spend'], coalesce(cons->'social_spend', '[]') || jsonb_build_object('min', so, 'max', so, 'flight', b));
                cons := jsonb_set(cons, ARRAY['search_spend'], coalesce(cons->'search_spend', '[]') || jsonb_build_object('min', a - tv - so, 'max', a - tv - so, 'flight', b));
            END;
        END LOOP;
        PERFORM mixmodel.create_plan('pm_rand', 'pmult', spend_pattern => 'flat',
            flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000},
                         {"from": "2025-09-29", "to": "2025-12-28", "budget": 2000}]', constraints => cons);
        SELECT sum(incremental) INTO v FROM mixmodel.plan_summary WHERE plan = 'pm_rand' AND channel = 'total';
        IF v > best * (1 + 1e-12) THEN better := better + 1; END IF;
    END LOOP;
    RAISE NOTICE 'random feasible splits better than the plan: % of 50', better;
END $$;

-- automatic spend pattern is planned flat for multiplicative models
SELECT count(*) FROM mixmodel.create_plan('pm_auto', 'pmult',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000},
                      {"from": "2025-09-29", "to": "2025-12-28", "budget": 2000}]',
         constraints => '{"tv_spend": {"min": 300}, "social_spend": {"max_pct": 40}}');
SELECT bool_and(abs(a.spend - f.spend) <= 1e-9 * (1 + f.spend)) AS automatic_is_flat
  FROM mixmodel.plan_allocations a JOIN mixmodel.plan_allocations f USING (week, channel)
 WHERE a.plan = 'pm_auto' AND f.plan = 'pm';

-- target (revenue): the least budget whose optimal plan adds a given increment. The increment of
-- a one-flight budget plan of 3000 as target gives back that budget and its split ...
SELECT count(*) FROM mixmodel.create_plan('pm_b3000', 'pmult', spend_pattern => 'flat',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000}]');
SELECT incremental AS inc3000 FROM mixmodel.plan_summary WHERE plan = 'pm_b3000' AND channel = 'total' \gset
SELECT count(*) FROM mixmodel.create_plan('pm_t', 'pmult', goal => 'target', spend_pattern => 'flat',
         flights => format('[{"from": "2025-06-30", "to": "2025-09-28", "target": %s}]', :inc3000)::jsonb);
SELECT f.achievable, abs(f.spend - 3000) < 1e-6 * 3000 AS budget_3000, abs(f.best - :inc3000) < 1e-6 * :inc3000 AS reached
  FROM mixmodel.plan_flights f WHERE f.plan = 'pm_t';
SELECT bool_and(abs(t.spend - b.spend) < 1e-4 * 3000) AS same_split
  FROM mixmodel.plan_summary t JOIN mixmodel.plan_summary b USING (flight, channel)
 WHERE t.plan = 'pm_t' AND b.plan = 'pm_b3000' AND t.channel NOT IN ('base', 'total');
-- ... and a target out of reach under max_budget is flagged, with the best reachable increment
SELECT count(*) FROM mixmodel.create_plan('pm_t_far', 'pmult', goal => 'target', spend_pattern => 'flat', max_budget => 2000,
         flights => format('[{"from": "2025-06-30", "to": "2025-09-28", "target": %s}]', :inc3000)::jsonb);
SELECT f.achievable, abs(f.spend - 2000) < 1e-9 * 2000 AS spends_the_cap, f.best < :inc3000 AS best_below_target
  FROM mixmodel.plan_flights f WHERE f.plan = 'pm_t_far';

-- ROI and CPA targets: the largest budget whose optimal plan meets the ratio, by a grid of
-- budgets refined by Brent (the ratio need not be monotone). Where the ratio falls with the
-- budget, the ROI (CPA) of the budget-3000 plan as target gives back 3000 ...
-- (the budget solve also holds at budgets far below the history's, where a channel shrinking
-- to 0 meets an infinite power-curve marginal)
SELECT bool_and(roi < prev) AS roi_falls_with_budget, count(*) AS budgets FROM (
  SELECT b, q.roi, lag(q.roi, 1, 'Infinity') OVER (ORDER BY b) AS prev
    FROM (VALUES (0.6), (30), (1000), (2900), (3000), (3100), (6000)) v(b),
         LATERAL (SELECT x.roi FROM mixmodel.create_plan('pm_scan', 'pmult', spend_pattern => 'flat',
                    flights => format('[{"from": "2025-06-30", "to": "2025-09-28", "budget": %s}]', b)::jsonb) x
                   WHERE x.channel = 'total') q) z;
SELECT roi AS roi3000 FROM mixmodel.plan_summary WHERE plan = 'pm_b3000' AND channel = 'total' \gset
SELECT count(*) FROM mixmodel.create_plan('pm_roi', 'pmult', goal => 'target', target_metric => 'roi', spend_pattern => 'flat',
         max_budget => 6000, flights => format('[{"from": "2025-06-30", "to": "2025-09-28", "target": %s}]', :roi3000)::jsonb);
SELECT f.achievable, abs(f.spend - 3000) < 1e-6 * 3000 AS budget_3000, abs(f.best - :roi3000) < 1e-6 * (1 + :roi3000) AS roi_met
  FROM mixmodel.plan_flights f WHERE f.plan = 'pm_roi';
SELECT optimality->>'target_search' AS target_search FROM mixmodel.plans WHERE name = 'pm_roi';
SELECT count(*) FROM mixmodel.create_plan('pm_b3000c', 'pmult', spend_pattern => 'flat', revenue_per_conversion => 50,
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 3000}]');
SELECT cpa AS cpa3000 FROM mixmodel.plan_summary WHERE plan = 'pm_b3000c' AND channel = 'total' \gset
SELECT count(*) FROM mixmodel.create_plan('pm_cpa', 'pmult', goal => 'target', target_metric => 'cpa', spend_pattern => 'flat',
         max_budget => 6000, revenue_per_conversion => 50,
         flights => format('[{"from": "2025-06-30", "to": "2025-09-28", "target": %s}]', :cpa3000)::jsonb);
SELECT f.achievable, abs(f.spend - 3000) < 1e-6 * 3000 AS budget_3000, abs(f.best - :cpa3000) < 1e-6 * :cpa3000 AS cpa_met
  FROM mixmodel.plan_flights f WHERE f.plan = 'pm_cpa';
-- ... and an ROI out of reach is flagged, with the best ROI of the budgets scanned
SELECT count(*) FROM mixmodel.create_plan('pm_roi_far', 'pmult', goal => 'target', target_metric => 'roi', spend_pattern => 'flat',
         max_budget => 6000, flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 1000}]');
SELECT f.achievable, f.best < 1000 AS best_below_target, abs(f.spend - 6000e-4) < 1e-9 AS smallest_budget_scanned,
       abs(f.best - s.roi) < 1e-9 * s.roi AS best_is_its_roi
  FROM mixmodel.plan_flights f JOIN mixmodel.plan_summary s USING (plan, flight) WHERE f.plan = 'pm_roi_far' AND s.channel = 'total';

-- bad input
\set SHOW_CONTEXT never
SELECT * FROM mixmodel.create_plan('e', 'pmult', goal => 'target', target_metric => 'roi',
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": -1.5}]');
SELECT * FROM mixmodel._plan_core_mult(ARRAY['geometric'], '{0.5}', '{0}', '{3}', '{false}', ARRAY['power'], '{0.5}', '{0}',
       '{10}', '{0.1}', '{1, 2, 3}', 4, '{0}', '{4}', '{0}', '{0}', '{10}', NULL, '{5}', 0, '{1}', '{0}', 10, 'ratio');
SELECT * FROM mixmodel._plan_core_mult(ARRAY['geometric'], '{0.5}', '{0}', '{3}', '{false}', ARRAY['power'], '{0.5}', '{0}',
       '{10}', '{0.1}', '{1, 2, 3}', 4, '{0}', '{4}', '{0}', '{0}', '{10}', NULL, '{5}', 0, '{1}', '{1}', 10, 'cpa');
SELECT * FROM mixmodel.create_plan('e', 'pmult',
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"min": 80}, "search_spend": {"min": 80}}');
SELECT * FROM mixmodel.create_plan('e', 'pmult',
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"max": 10}, "search_spend": {"max": 10}, "social_spend": {"max": 10}}');
SELECT * FROM mixmodel.create_plan('e', 'pmult',
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": -5}]');
SELECT * FROM mixmodel._plan_core_mult(ARRAY['geometric'], '{0.5}', '{0}', '{3}', '{false}', ARRAY['power'], '{0.5}', '{0}',
       '{10}', '{0.1}', '{1, 2, 3}', 4, '{0}', '{4}', '{10}', '{0}', '{10}', NULL, '{0}', 0, '{1}');
SELECT * FROM mixmodel._plan_core_mult(ARRAY['geometric'], '{0.5}', '{0}', '{3}', '{false}', ARRAY['power'], '{0.5}', '{0}',
       '{10}', '{0.1}', '{1, 2, 3}', 4, '{0}', '{4}', '{10}', '{0}', '{10}', NULL, '{5, 5, 5, 5}', 0, '{1}');
SELECT * FROM mixmodel._plan_core_mult(ARRAY['geometric'], '{0.5}', '{0}', '{3}', '{false}', ARRAY['power'], '{NaN}', '{0}',
       '{10}', '{0.1}', '{1, 2, 3}', 4, '{0}', '{4}', '{10}', '{0}', '{10}', NULL, '{5}', 0, '{1}');
SELECT count(*) AS failed_plans_left FROM mixmodel.plans WHERE name = 'e';
