-- create_plan over trained models (doc/plan.md): KKT certificate, bounds, budgets,
-- S-curves against the historical split, targets, errors, compare and duplicate.
SET client_min_messages = error;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('plan_gen', seed => 5, weeks => 130,
       events => 2000, channels => ARRAY['tv', 'search', 'social', 'email']);
-- concave curves (Michaelis-Menten) and S-curves (Hill, alpha in [2, 3])
SELECT mixmodel.create_model('plan_mm', source => 'plan_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
       organic => ARRAY['email_sends'], factors => ARRAY['price_index'],
       options => '{"inference": "ridge", "candidates": 40, "saturation": "michaelis_menten"}');
SELECT mixmodel.create_model('plan_hill', source => 'plan_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index'],
       options => '{"inference": "ridge", "candidates": 40, "channels": {"tv_spend": {"alpha": [2, 3]}, "search_spend": {"alpha": [2, 3]}}}');
SELECT count(*) FROM mixmodel.train('plan_mm', seed => 1);
SELECT count(*) FROM mixmodel.train('plan_hill', seed => 1);
RESET client_min_messages;
SELECT max(week) AS last_week FROM plan_gen.weekly_wide;
-- budgets below are of the order of the historical paid spend (about 80 a week)
SELECT sum(spend) / 98 BETWEEN 20 AND 300 AS budgets_realistic FROM mixmodel.run_channels WHERE model = 'plan_mm' AND paid;

-- budget plan: two flights, weekly spend optimised, a minimum, a maximum and a % maximum
SELECT flight, channel, spend > 0 AS spends
  FROM mixmodel.create_plan('p_budget', 'plan_mm',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1500},
                      {"from": "2025-09-29", "to": "2025-12-28", "budget": 1200}]',
         constraints => '{"tv_spend": {"min": 300}, "social_spend": [{"max_pct": 20}, {"max": 50, "flight": 2}]}');
-- KKT: channels strictly inside their bounds share the flight's marginal return lambda
-- to 1e-6 relative; at a minimum the marginal is <= lambda, at a maximum >= lambda
SELECT s.flight, bool_and(CASE WHEN s.spend <= s.min_spend + 1e-9 THEN s.marginal <= f.lambda * (1 + 1e-6)
                                WHEN s.spend >= s.max_spend - 1e-9 THEN s.marginal >= f.lambda * (1 - 1e-6)
                                ELSE abs(s.marginal - f.lambda) <= 1e-6 * f.lambda END) AS kkt,
       count(*) FILTER (WHERE s.spend > s.min_spend + 1e-9 AND s.spend < s.max_spend - 1e-9) >= 1 AS some_inside,
       count(*) AS channels
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE s.plan = 'p_budget' AND s.channel NOT IN ('base', 'total') GROUP BY 1 ORDER BY 1;
SELECT kkt_residual < 1e-6 AS certified FROM mixmodel.plans WHERE name = 'p_budget';
-- every week with spend has the flight's marginal return (automatic pattern; channels not at a bound)
SELECT bool_and(abs(a.marginal - f.lambda) <= 1e-6 * f.lambda) AS weekly_equal
  FROM mixmodel.plan_allocations a JOIN mixmodel.plan_flights f USING (plan, flight)
  JOIN mixmodel.plan_summary s ON s.plan = a.plan AND s.flight = a.flight AND s.channel = a.channel
 WHERE a.plan = 'p_budget' AND a.spend > 1e-6 AND s.spend > s.min_spend + 1e-9
   AND (s.max_spend IS NULL OR s.spend < s.max_spend - 1e-9);
-- budgets met, bounds kept, the weekly rows add up to the summary
SELECT f.flight, abs(f.spend - f.budget) <= 1e-9 * f.budget AS budget_met FROM mixmodel.plan_flights f
 WHERE f.plan = 'p_budget' ORDER BY 1;
SELECT bool_and(s.spend >= c.min_spend - 1e-9 AND (c.max_spend IS NULL OR s.spend <= c.max_spend + 1e-9)) AS bounds_kept,
       bool_and(a.spend >= 0) AS weeks_non_negative
  FROM mixmodel.plan_constraints c JOIN mixmodel.plan_summary s USING (plan, flight, channel)
  JOIN (SELECT plan, flight, channel, min(spend) AS spend FROM mixmodel.plan_allocations GROUP BY 1, 2, 3) a
    USING (plan, flight, channel)
 WHERE c.plan = 'p_budget';
SELECT flight, channel, round(min_spend::numeric, 6) AS min_spend, round(max_spend::numeric, 6) AS max_spend
  FROM mixmodel.plan_constraints WHERE plan = 'p_budget' ORDER BY 1, 2;
-- carry-over: history's adstock reaches the first weeks; the lag tail after flight 2 is in the plan
SELECT bool_or(kpi > incremental + 1e-9) AS history_carries_in,
       max(week) > '2025-12-28' AS lag_tail
  FROM mixmodel.plan_allocations WHERE plan = 'p_budget' AND kind = 'paid';
-- base: same week of the latest year of the fit (non-paid terms)
SELECT abs(a.kpi - (SELECT sum(contribution) FROM mixmodel.run_decomposition d
                     WHERE d.model = 'plan_mm' AND d.run = 1 AND d.kind <> 'channel' AND d.period = a.week - 364)) < 1e-9 AS base_last_year
  FROM mixmodel.plan_allocations a WHERE a.plan = 'p_budget' AND a.channel = 'base' AND a.week = '2025-06-30';
-- total rows = paid channels + base
SELECT bool_and(abs(t.kpi - (SELECT sum(kpi) FROM mixmodel.plan_summary x WHERE x.plan = t.plan AND x.flight = t.flight
                             AND x.channel <> 'total')) < 1e-9) AS totals_add_up
  FROM mixmodel.plan_summary t WHERE t.plan = 'p_budget' AND t.channel = 'total';

-- rerunning with the same name replaces the plan (one set of rows)
SELECT count(*) FROM mixmodel.create_plan('p_budget', 'plan_mm',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1500},
                      {"from": "2025-09-29", "to": "2025-12-28", "budget": 1200}]',
         constraints => '{"tv_spend": {"min": 300}, "social_spend": [{"max_pct": 20}, {"max": 50, "flight": 2}]}');
SELECT count(*) AS plans, (SELECT count(*) FROM mixmodel.plan_flights WHERE plan = 'p_budget') AS flights
  FROM mixmodel.plans WHERE name = 'p_budget';

-- S-curves: the optimum (flat weekly pattern) is never worse than the historical split of the same budget
SELECT count(*) FROM mixmodel.create_plan('p_hill', 'plan_hill', spend_pattern => 'flat',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]');
SELECT format('{"tv_spend": {"min": %s, "max": %s}, "search_spend": {"min": %s, "max": %s}}',
              1000 * tv, 1000 * tv, 1000 * (1 - tv), 1000 * (1 - tv)) AS hist_split
  FROM (SELECT spend / sum(spend) OVER () AS tv, channel FROM mixmodel.run_channels
         WHERE model = 'plan_hill' AND paid) x WHERE channel = 'tv_spend' \gset
SELECT count(*) FROM mixmodel.create_plan('p_hill_hist', 'plan_hill', spend_pattern => 'flat',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]', constraints => :'hist_split');
SELECT o.incremental >= h.incremental - 1e-9 AS optimum_not_worse
  FROM mixmodel.plan_summary o, mixmodel.plan_summary h
 WHERE o.plan = 'p_hill' AND h.plan = 'p_hill_hist' AND o.channel = 'total' AND h.channel = 'total';
-- automatic weekly spend with S-curves is never below the flat optimum (the weekly exchange is
-- local there; the better of the two is kept)
SELECT count(*) FROM mixmodel.create_plan('p_hill_auto', 'plan_hill',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]');
SELECT a.incremental >= f.incremental - 1e-9 AS automatic_not_worse
  FROM mixmodel.plan_summary a, mixmodel.plan_summary f
 WHERE a.plan = 'p_hill_auto' AND f.plan = 'p_hill' AND a.channel = 'total' AND f.channel = 'total';
-- and not worse than 200 random feasible splits (same flat pattern)
CREATE TEMP TABLE random_splits AS
SELECT g, random() AS u FROM generate_series(1, 200) g;
SELECT setseed(0.25);
UPDATE random_splits SET u = random();
DO $$
DECLARE r record; worse int := 0; best float8; v float8;
BEGIN
    SELECT incremental INTO best FROM mixmodel.plan_summary WHERE plan = 'p_hill' AND channel = 'total';
    FOR r IN SELECT u FROM random_splits ORDER BY g LOOP
        PERFORM mixmodel.create_plan('p_rand', 'plan_hill', spend_pattern => 'flat',
            flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]',
            constraints => format('{"tv_spend": {"min": %s, "max": %s}}', 1000 * r.u, 1000 * r.u)::jsonb);
        SELECT incremental INTO v FROM mixmodel.plan_summary WHERE plan = 'p_rand' AND channel = 'total';
        IF v > best + 1e-9 THEN worse := worse + 1; END IF;
    END LOOP;
    RAISE NOTICE 'random splits better than the optimum: %', worse;
END $$;

-- target: the least spend reaching incremental revenue 400 per flight (achievable) ...
SELECT count(*) FROM mixmodel.create_plan('p_target', 'plan_mm', goal => 'target',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 400}]', max_budget => 5000);
SELECT flight, achievable, abs(best - 400) < 1e-6 * 400 AS reached FROM mixmodel.plan_flights WHERE plan = 'p_target';
SELECT abs(s.incremental - 400) < 1e-6 * 400 AS incremental_is_target, s.spend < 5000 AS under_cap
  FROM mixmodel.plan_summary s WHERE s.plan = 'p_target' AND s.channel = 'total';
-- ... and one out of reach: flagged, with the best reachable value at the cap
SELECT count(*) FROM mixmodel.create_plan('p_target_far', 'plan_mm', goal => 'target',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 1e9}]', max_budget => 2000);
SELECT f.achievable, abs(f.best - s.incremental) < 1e-6 * s.incremental AS best_is_reached,
       abs(s.spend - 2000) < 1e-6 AS spends_the_cap
  FROM mixmodel.plan_flights f JOIN mixmodel.plan_summary s ON s.plan = f.plan AND s.flight = f.flight AND s.channel = 'total'
 WHERE f.plan = 'p_target_far';
-- ROI target: the largest spend whose incremental ROI still meets the ROI of p_target's plan
-- (so at least p_target's spend)
SELECT roi AS roi_goal, spend AS roi_goal_spend FROM mixmodel.plan_summary WHERE plan = 'p_target' AND channel = 'total' \gset
SELECT count(*) FROM mixmodel.create_plan('p_roi', 'plan_mm', goal => 'target', target_metric => 'roi',
         flights => jsonb_build_array(jsonb_build_object('from', '2025-06-30', 'to', '2025-09-28', 'target', :roi_goal)),
         max_budget => 20000);
SELECT f.achievable, s.roi >= :roi_goal - 1e-6 AS roi_met, s.spend >= :roi_goal_spend * (1 - 1e-6) AS largest_spend
  FROM mixmodel.plan_flights f JOIN mixmodel.plan_summary s ON s.plan = f.plan AND s.flight = f.flight AND s.channel = 'total'
 WHERE f.plan = 'p_roi';

-- month by month: one flight per calendar month, budgets split like the paid spend of the
-- same weeks a year earlier, bounds scaled, each month optimal on its own budget
SELECT count(*) FROM mixmodel.create_plan('p_monthly', 'plan_mm', monthly => true,
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1500}]',
         constraints => '{"tv_spend": {"min": 300}}');
SELECT f.flight, f.from_date, f.to_date, abs(f.spend - f.budget) <= 1e-9 * f.budget AS budget_met,
       abs(f.budget - 1500 * (SELECT sum(w.tv_spend + w.search_spend + w.social_spend) FROM plan_gen.weekly_wide w
                               WHERE w.week + 364 BETWEEN f.from_date AND f.to_date)
                           / (SELECT sum(w.tv_spend + w.search_spend + w.social_spend) FROM plan_gen.weekly_wide w
                               WHERE w.week + 364 BETWEEN '2025-06-30' AND '2025-09-28')) < 1e-6 AS last_year_pattern,
       abs(c.min_spend - 300 * f.budget / 1500) < 1e-9 AS min_scaled
  FROM mixmodel.plan_flights f JOIN mixmodel.plan_constraints c ON c.plan = f.plan AND c.flight = f.flight AND c.channel = 'tv_spend'
 WHERE f.plan = 'p_monthly' ORDER BY 1;
SELECT bool_and(CASE WHEN s.spend <= s.min_spend + 1e-9 THEN s.marginal <= f.lambda * (1 + 1e-6)
                     WHEN s.spend >= s.max_spend - 1e-9 THEN s.marginal >= f.lambda * (1 - 1e-6)
                     ELSE abs(s.marginal - f.lambda) <= 1e-6 * f.lambda END) AS kkt_every_month
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE s.plan = 'p_monthly' AND s.channel NOT IN ('base', 'total');

-- spend pattern copied from a reference period: each week gets the share the channel had in
-- the matching week starting 2024-07-01 (52 weeks before the flight)
SELECT count(*) FROM mixmodel.create_plan('p_ref', 'plan_mm', spend_pattern => '{"reference_from": "2024-07-01"}',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]');
SELECT bool_and(abs(x.planned - x.reference) < 1e-9) AS follows_reference, count(*) AS weeks
  FROM (SELECT a.spend / s.spend AS planned, w.tv_spend / sum(w.tv_spend) OVER () AS reference
          FROM mixmodel.plan_allocations a JOIN mixmodel.plan_summary s USING (plan, flight, channel)
          JOIN plan_gen.weekly_wide w ON w.week = a.week - 364
         WHERE a.plan = 'p_ref' AND a.channel = 'tv_spend' AND a.week <= '2025-09-28') x;

-- compare and duplicate
SELECT channel, spend_a IS NOT NULL AND spend_b IS NOT NULL AS both_plans
  FROM mixmodel.compare_plans('p_budget', 'p_target');
SELECT abs(spend_a - 2700) < 1e-6 AS a_total_spend, abs(revenue_a - (SELECT sum(revenue) FROM mixmodel.plan_summary
       WHERE plan = 'p_budget' AND channel = 'total')) < 1e-6 AS a_total_revenue
  FROM mixmodel.compare_plans('p_budget', 'p_target') WHERE channel = 'total';
-- onto plan_hill: social_spend is not there, its constraints are dropped
SELECT flight, channel FROM mixmodel.duplicate_plan('p_budget', 'p_budget_hill', model => 'plan_hill') ORDER BY 1, 2;
SELECT plan, flight, channel, min_spend FROM mixmodel.plan_constraints WHERE plan = 'p_budget_hill' ORDER BY 2, 3;

-- exposure media (spend_columns): planned in currency, volume in GRPs at the window's cost per GRP
SET client_min_messages = error;
SELECT mixmodel.create_model('plan_grps', source => 'plan_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_grps', 'search_spend'],
       options => '{"inference": "ridge", "candidates": 40, "saturation": "michaelis_menten", "spend_columns": {"tv_grps": "tv_spend"}}');
SELECT count(*) FROM mixmodel.train('plan_grps', seed => 1);
RESET client_min_messages;
SELECT count(*) FROM mixmodel.create_plan('p_grps', 'plan_grps',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]');
SELECT abs(f.spend - 1000) < 1e-9 AS budget_met, p.kkt_residual < 1e-6 AS certified
  FROM mixmodel.plan_flights f JOIN mixmodel.plans p ON p.name = f.plan WHERE f.plan = 'p_grps';
SELECT bool_and(abs(a.volume - a.spend * g.grps / g.spend) <= 1e-9 * a.volume) AS volume_in_grps
  FROM mixmodel.plan_allocations a,
       (SELECT sum(w.tv_grps) AS grps, sum(w.tv_spend) AS spend FROM plan_gen.weekly_wide w, mixmodel.runs r
         WHERE r.model = 'plan_grps' AND w.week BETWEEN r.from_date AND r.to_date) g
 WHERE a.plan = 'p_grps' AND a.channel = 'tv_grps' AND a.spend > 0;

-- actual against plan: two weeks of actuals arrive in the source
CREATE TEMP TABLE arriving AS SELECT * FROM plan_gen.weekly_wide WHERE week >= '2025-06-16';
UPDATE arriving SET week = week + 14;
INSERT INTO plan_gen.weekly_wide SELECT * FROM arriving;
SELECT a.week, a.channel, a.flight,
       abs(a.planned_spend - coalesce((SELECT spend FROM mixmodel.plan_allocations x WHERE x.plan = 'p_budget'
                                        AND x.week = a.week AND x.channel = a.channel),
                                      (SELECT sum(spend) FROM mixmodel.plan_allocations x WHERE x.plan = 'p_budget'
                                        AND x.week = a.week))) < 1e-9 AS planned_ok,
       a.actual_spend IS NOT DISTINCT FROM CASE a.channel WHEN 'tv_spend' THEN w.tv_spend WHEN 'search_spend' THEN w.search_spend
                                                          WHEN 'social_spend' THEN w.social_spend END AS actual_spend_ok,
       a.actual_kpi IS NOT DISTINCT FROM CASE WHEN a.channel = 'total' THEN w.revenue END AS actual_kpi_ok,
       a.spend_difference IS NOT DISTINCT FROM a.actual_spend - a.planned_spend AS difference_ok
  FROM mixmodel.plan_actuals a JOIN plan_gen.weekly_wide w ON w.week = a.week
 WHERE a.plan = 'p_budget' ORDER BY a.week, a.channel;
SELECT abs(planned_kpi - (SELECT sum(kpi) FROM mixmodel.plan_allocations WHERE plan = 'p_budget' AND week = '2025-06-30')) < 1e-9 AS planned_kpi_ok
  FROM mixmodel.plan_actuals WHERE plan = 'p_budget' AND channel = 'total' AND week = '2025-06-30';
-- a factor value known for a plan week (here the arrived rows) replaces last year's in the base
UPDATE plan_gen.weekly_wide SET price_index = price_index + 0.25 WHERE week >= '2025-06-30';
SELECT count(*) FROM mixmodel.create_plan('p_forecast', 'plan_mm',
         flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1000}]');
SELECT a.week,
       abs(a.kpi - (SELECT sum(d.contribution) FROM mixmodel.run_decomposition d
                     WHERE d.model = 'plan_mm' AND d.run = 1 AND d.kind NOT IN ('channel', 'factor') AND d.period = a.week - 364)
                 - (SELECT coalesce(k.coef * w.price_index, (SELECT d.contribution FROM mixmodel.run_decomposition d
                                                              WHERE d.model = 'plan_mm' AND d.run = 1 AND d.term = 'price_index'
                                                                AND d.period = a.week - 364))
                      FROM mixmodel.run_coefficients k WHERE k.model = 'plan_mm' AND k.run = 1 AND k.term = 'price_index'))
         < 1e-9 AS base_with_factor,
       w.price_index IS NOT NULL AS factor_known
  FROM mixmodel.plan_allocations a LEFT JOIN plan_gen.weekly_wide w ON w.week = a.week
 WHERE a.plan = 'p_forecast' AND a.channel = 'base' AND a.week <= '2025-07-14' ORDER BY 1;
DELETE FROM plan_gen.weekly_wide WHERE week >= '2025-06-30';

-- errors (messages, then SQLSTATEs)
\set SHOW_CONTEXT never
SELECT * FROM mixmodel.create_plan('e', 'no_model', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]');
SELECT mixmodel.create_model('plan_untrained', source => 'plan_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_spend']);
SELECT * FROM mixmodel.create_plan('e', 'plan_untrained', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"min": 60}, "search_spend": {"min": 60}}');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"min": 60, "max": 50}}');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"max": 10}, "search_spend": {"max": 10}, "social_spend": {"max": 10}}');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', goal => 'target', max_budget => 0,
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 10}]');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100, "cost": 1}]');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"tv_spend": {"minimum": 1}}');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]',
       constraints => '{"radio": {"min": 1}}');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2024-06-30", "to": "2025-09-28", "budget": 100}]');
SELECT * FROM mixmodel.create_plan('e', 'plan_mm', spend_pattern => 'weekly',
       flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]');
SELECT * FROM mixmodel.compare_plans('p_budget', 'no_plan');
SELECT * FROM mixmodel.duplicate_plan('no_plan', 'x');
SELECT count(*) AS failed_plans_left FROM mixmodel.plans WHERE name = 'e';
\set SHOW_CONTEXT errors
SET client_min_messages = error;
SELECT mixmodel.create_model('plan_mult', source => 'plan_gen.weekly_wide', date_column => 'week',
       kpi => 'revenue', media => ARRAY['tv_spend', 'search_spend'],
       options => '{"inference": "ridge", "candidates": 10, "form": "multiplicative"}');
SELECT count(*) FROM mixmodel.train('plan_mult', seed => 1);
RESET client_min_messages;
CREATE FUNCTION pg_temp.sqlstate(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
SELECT c, pg_temp.sqlstate(q) FROM (VALUES
  ('unknown model', $q$SELECT mixmodel.create_plan('e', 'no_model', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]')$q$),
  ('untrained', $q$SELECT mixmodel.create_plan('e', 'plan_untrained', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]')$q$),
  ('multiplicative ROI target <= -1', $q$SELECT mixmodel.create_plan('e', 'plan_mult', goal => 'target', target_metric => 'roi', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": -1.5}]')$q$),
  ('mins above budget', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]', constraints => '{"tv_spend": {"min_pct": 60}, "search_spend": {"min_pct": 60}}')$q$),
  ('max below min', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 100}]', constraints => '{"tv_spend": [{"min": 60}, {"max": 50, "flight": 1}]}')$q$),
  ('target, no budget', $q$SELECT mixmodel.create_plan('e', 'plan_mm', goal => 'target', max_budget => 0, flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 10}]')$q$),
  ('bad flight key', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1, "x": 1}]')$q$),
  ('bad constraint key', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]', constraints => '{"tv_spend": {"mn": 1}}')$q$),
  ('unknown channel', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]', constraints => '{"radio": {"min": 1}}')$q$),
  ('monthly target', $q$SELECT mixmodel.create_plan('e', 'plan_mm', goal => 'target', monthly => true, flights => '[{"from": "2025-06-30", "to": "2025-09-28", "target": 1}]')$q$),
  ('bad goal', $q$SELECT mixmodel.create_plan('e', 'plan_mm', goal => 'profit', flights => '[{"from": "2025-06-30", "to": "2025-09-28", "budget": 1}]')$q$),
  ('NULL flights', $q$SELECT mixmodel.create_plan('e', 'plan_mm', flights => NULL)$q$),
  ('unknown plan', $q$SELECT mixmodel.compare_plans('p_budget', 'no_plan')$q$),
  ('duplicate onto unknown model', $q$SELECT mixmodel.duplicate_plan('p_budget', 'x', model => 'no_model')$q$)
) v(c, q);
SELECT count(*) AS failed_plans_left FROM mixmodel.plans WHERE name IN ('e', 'x');
