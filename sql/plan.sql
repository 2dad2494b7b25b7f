-- plan: budget allocation primitives (formulas.md §5; doc/plan.md)

-- Toy with a closed form: Michaelis-Menten curves coef*s/(10+s), coef 100 and 400,
-- budget 70.  R'(s) = 10 coef/(10+s)^2 = lambda gives s = (20, 50), lambda = 10/9,
-- responses 200/3 and 1000/3.
SELECT channel, round(spend::numeric, 9) AS spend, round(response::numeric, 9) AS response,
       round(marginal::numeric, 9) AS marginal, round(lambda::numeric, 9) AS lambda,
       kkt_residual < 1e-9 AS certified, method
  FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);

-- a minimum that binds: channel 1 held at 30 (R1'(30) = 0.625 < lambda = R2'(40) = 1.6)
SELECT channel, round(spend::numeric, 9) AS spend, round(marginal::numeric, 9) AS marginal,
       round(lambda::numeric, 9) AS lambda
  FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10],
                                lower => ARRAY[30, 0]);

-- a maximum that binds: channel 2 capped at 40, channel 1 takes the rest
SELECT channel, round(spend::numeric, 9) AS spend, kkt_residual < 1e-9 AS certified
  FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10],
                                upper => ARRAY[100, 40]);

-- S-curves (Hill alpha 3, k 10): a small budget goes to one channel, not split
SELECT channel, round(spend::numeric, 6) AS spend, method
  FROM mixmodel.optimize_budget(12, ARRAY[1, 1], ARRAY[3, 3], ARRAY[10, 10]);
-- ... a large one is split evenly
SELECT channel, round(spend::numeric, 6) AS spend, method
  FROM mixmodel.optimize_budget(30, ARRAY[1, 1], ARRAY[3, 3], ARRAY[10, 10]);

-- weekly: 4 periods, geometric adstock over 2 lags; flat spends spend/4 a week,
-- automatic optimises each week; both spend exactly the budget
SELECT spend_pattern, abs(sum(spend) - 1000) < 1e-9 AS budget_spent,
       bool_and(abs((SELECT sum(v) FROM unnest(weekly) v) - spend) < 1e-9) AS weeks_add_up,
       bool_and(kkt_residual < 1e-6) AS certified, round(sum(response)::numeric, 4) AS response
  FROM unnest(ARRAY['flat', 'automatic']) AS spend_pattern,
       LATERAL mixmodel.optimize_budget(1000, ARRAY[100, 120, 80], ARRAY[0.8, 0.6, 1.0],
                                        ARRAY[50, 100, 30], periods => 4,
                                        theta => ARRAY[0.5, 0.3, 0.0], max_lag => 2,
                                        spend_pattern => spend_pattern)
 GROUP BY spend_pattern ORDER BY spend_pattern;

-- goal mode on the toy: V(B) = 500 - 3000/m with B = 3m - 20 on the optimal path
-- volume 400: m = 30, B = 70
SELECT channel, round(spend::numeric, 6) AS spend, round(budget::numeric, 6) AS budget,
       achievable, round(achieved::numeric, 6) AS achieved
  FROM mixmodel.optimize_target(400, 'volume', NULL, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
-- roas 5: m = 20 + sqrt(200), B = 40 + 3 sqrt(200) = 82.426407; cpa 0.2 is the same
SELECT metric, round(budget::numeric, 6) AS budget, achievable, round(achieved::numeric, 6) AS achieved
  FROM (VALUES ('roas', 5.0), ('cpa', 0.2)) AS g(metric, target),
       LATERAL mixmodel.optimize_target(target, metric, 1000, ARRAY[100, 400], ARRAY[1, 1],
                                        ARRAY[10, 10])
 WHERE channel = 1;
-- unachievable under the cap: best reachable volume at B = 10 is 500 - 3000/10 = 200
SELECT round(budget::numeric, 6) AS budget, achievable, round(best::numeric, 6) AS best
  FROM mixmodel.optimize_target(400, 'volume', 10, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10])
 WHERE channel = 1;

-- errors name the violated constraint
\set VERBOSITY default
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], lower => ARRAY[50, 30]);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], upper => ARRAY[30, 30]);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], lower => ARRAY[0, 50], upper => ARRAY[100, 40]);
SELECT * FROM mixmodel.optimize_target(400, 'volume', 0, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
\set VERBOSITY sqlstate
SELECT * FROM mixmodel.optimize_budget(NULL, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
SELECT * FROM mixmodel.optimize_budget(-1, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1], ARRAY[10, 10]);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 0]);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], spend_pattern => 'weekly');
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], max_lag => 2);
SELECT * FROM mixmodel.optimize_budget(70, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10], periods => 0);
SELECT * FROM mixmodel.optimize_target(5, 'roas', NULL, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
SELECT * FROM mixmodel.optimize_target(5, 'margin', 100, ARRAY[100, 400], ARRAY[1, 1], ARRAY[10, 10]);
\set VERBOSITY default
