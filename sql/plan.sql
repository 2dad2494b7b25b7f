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

-- S-curves over weeks (Hill alpha 1.5..3, adstock, a minimum and a maximum), tight and loose
-- budgets: the automatic weekly plan is never below the flat optimum, the historical split or
-- any of 200 random feasible splits, each evaluated by optimize_budget with its bounds pinned
CREATE TEMP TABLE scurve (channel int, coef float8, alpha float8, k float8, theta float8,
                          lo float8, hi float8, hist float8);
INSERT INTO scurve VALUES (1, 900, 1.5, 60, 0.4, 0, 1e9, 200), (2, 700, 2.2, 40, 0.2, 100, 1e9, 150),
                          (3, 1200, 3.0, 90, 0.5, 0, 1e9, 300), (4, 500, 1.8, 30, 0.0, 0, 600, 100),
                          (5, 800, 2.6, 70, 0.3, 0, 1e9, 250);
CREATE TEMP TABLE scurve_budget AS SELECT * FROM (VALUES ('tight', 400::float8), ('loose', 3000)) b(name, budget);
CREATE TEMP TABLE scurve_args AS
SELECT array_agg(coef ORDER BY channel) AS coef, array_agg(alpha ORDER BY channel) AS alpha,
       array_agg(k ORDER BY channel) AS k, array_agg(theta ORDER BY channel) AS theta,
       array_agg(lo ORDER BY channel) AS lo, array_agg(hi ORDER BY channel) AS hi,
       array_agg(hist ORDER BY channel) AS hist, sum(lo) AS sum_lo
  FROM scurve;
CREATE FUNCTION pg_temp.scurve_value(budget float8, lo float8[], hi float8[], pattern text)
RETURNS float8 LANGUAGE sql AS $$
    SELECT sum(response) FROM scurve_args a,
           mixmodel.optimize_budget(budget, a.coef, a.alpha, a.k, lo, hi, periods => 8,
                                    theta => a.theta, max_lag => 2, spend_pattern => pattern)
$$;
SELECT setseed(0.5);
-- whole-unit splits (exact sums): the minimums, then the rest by random (or historical) shares,
-- the last channel taking what rounding leaves; splits over a maximum are dropped
CREATE TEMP TABLE scurve_split AS
WITH draws AS (
    SELECT b.name, b.budget, g, c.channel, c.lo, c.hi,
           CASE WHEN g = 0 THEN c.hist ELSE -ln(1 - random()) END AS w
      FROM scurve_budget b, generate_series(0, 200) g, scurve c),
shares AS (
    SELECT *, floor((budget - (SELECT sum_lo FROM scurve_args)) * w / sum(w) OVER (PARTITION BY name, g)) AS extra
      FROM draws),
splits AS (
    SELECT name, budget, g, channel, lo, hi,
           lo + CASE WHEN channel = 5
                     THEN budget - (SELECT sum_lo FROM scurve_args) - sum(extra) OVER (PARTITION BY name, g) + extra
                     ELSE extra END AS spend
      FROM shares)
SELECT name, budget, g, array_agg(spend ORDER BY channel) AS spend
  FROM splits GROUP BY name, budget, g HAVING bool_and(spend <= hi AND spend >= lo);
CREATE TEMP TABLE scurve_plan AS
SELECT b.name, b.budget,
       pg_temp.scurve_value(b.budget, a.lo, a.hi, 'automatic') AS automatic,
       pg_temp.scurve_value(b.budget, a.lo, a.hi, 'flat') AS flat
  FROM scurve_budget b, scurve_args a;
SELECT p.name, p.automatic >= p.flat AS automatic_ge_flat,
       count(*) FILTER (WHERE s.g = 0) AS historical, count(*) FILTER (WHERE s.g > 0) >= 50 AS random_ge_50,
       count(*) FILTER (WHERE pg_temp.scurve_value(s.budget, s.spend, s.spend, 'flat') > p.flat) AS splits_above_flat,
       count(*) FILTER (WHERE pg_temp.scurve_value(s.budget, s.spend, s.spend, 'flat') > p.automatic) AS splits_above_automatic
  FROM scurve_plan p JOIN scurve_split s USING (name)
 GROUP BY p.name, p.automatic, p.flat ORDER BY p.name DESC;

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
