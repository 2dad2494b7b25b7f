-- experiment: the A/B primitives against the worked examples of formulas §7 and their bad input
\pset null '(null)'
CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END $$;
-- formulas §7.1/§7.2: 1000/10000 vs 1100/10000
SELECT arm, units, conversions, rate, round(diff::numeric, 6) AS diff, round(lift::numeric, 6) AS lift,
       round(p_value::numeric, 7) AS p_value, round(ci_low::numeric, 6) AS ci_low, round(ci_high::numeric, 6) AS ci_high,
       round(anytime_p::numeric, 10) AS anytime_p, round(anytime_low::numeric, 6) AS anytime_low,
       round(anytime_high::numeric, 6) AS anytime_high, round(p_best::numeric, 8) AS p_best
  FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100]);
SELECT arm, round(anytime_p::numeric, 6) AS anytime_p, anytime_low > 0 AS significant
  FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1200]) WHERE arm = 2;
-- three arms (formulas §7.5 P(best)); intervals at the Bonferroni level 0.05 / 2
SELECT arm, round(p_best::numeric, 6) AS p_best, round((anytime_high - anytime_low)::numeric, 6) AS anytime_width
  FROM mixmodel.ab_test(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050]);
SELECT round((a.anytime_high - a.anytime_low)::numeric, 9) = round((b.anytime_high - b.anytime_low)::numeric, 9) AS bonferroni_level
  FROM mixmodel.ab_test(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050]) a,
       mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], alpha => 0.025) b
 WHERE a.arm = 2 AND b.arm = 2;
-- Welch (formulas §7.1): (10, 4, 50) vs (12, 6, 40)
SELECT arm, round(diff::numeric, 6) AS diff, round(t::numeric, 6) AS t, round(df::numeric, 4) AS df,
       round(p_value::numeric, 7) AS p_value, round(p_best::numeric, 6) AS p_best
  FROM mixmodel.ab_test_welch(ARRAY[50, 40], ARRAY[10, 12], ARRAY[4, 6]);
SELECT round(low::numeric, 6) AS low, round(high::numeric, 6) AS high
  FROM mixmodel.anytime_interval(10000, 0.1, sqrt(0.09 * 10000 / 9999));
SELECT round(chi2::numeric, 4) AS chi2, df, round(p_value::numeric, 6) AS p_value, mismatch
  FROM mixmodel.srm_test(ARRAY[5000, 5200], ARRAY[1, 1]);
SELECT mismatch FROM mixmodel.srm_test(ARRAY[50000, 52000], ARRAY[0.5, 0.5]);
SELECT arm, posterior_a, posterior_b, round(mean::numeric, 6) AS mean, round(low::numeric, 6) AS low,
       round(high::numeric, 6) AS high, round(p_best::numeric, 6) AS p_best,
       round(expected_loss::numeric, 8) AS expected_loss
  FROM mixmodel.ab_posterior(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050]);
SELECT arm, round(sd::numeric, 6) AS sd, round(p_best::numeric, 6) AS p_best, round(expected_loss::numeric, 6) AS expected_loss
  FROM mixmodel.ab_posterior_means(ARRAY[50, 40], ARRAY[10, 12], ARRAY[4, 6]);
SELECT arm, round(p_best::numeric, 4) AS p_best, round(weight::numeric, 4) AS weight
  FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050]);
SELECT period, round(best_share::numeric, 3) AS best_share, round(cumulative_regret::numeric, 1) AS cumulative_regret,
       round(even_split_regret::numeric, 1) AS even_split_regret
  FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04, 0.05], periods => 4, units_per_period => 2000, replications => 20);
-- arm_stats
SELECT arm, (s).* FROM (SELECT i % 3 AS arm, mixmodel.arm_stats((i % 7 = 0)::int, (i % 11)::float8) s
                          FROM generate_series(1, 10000) i GROUP BY 1) q ORDER BY arm;
-- the arm_stats aggregate: pre-aggregated rows merge into the same state as the units they sum
SELECT (a).units = (b).units AND (a).conversions = (b).conversions AND abs((a).value_mean - (b).value_mean) < 1e-12
       AND abs((a).value_sd - (b).value_sd) < 1e-12 AS same
  FROM (SELECT mixmodel.arm_stats((i % 7 = 0)::int, (i % 11)::float8) AS a FROM generate_series(1, 10000) i) x,
       (SELECT mixmodel.arm_stats(n, c, s, ss) AS b
          FROM (SELECT i / 100 AS d, count(*)::float8 AS n, sum((i % 7 = 0)::int)::float8 AS c,
                       sum(i % 11)::float8 AS s, sum((i % 11) ^ 2)::float8 AS ss
                  FROM generate_series(1, 10000) i GROUP BY 1) q) y;
-- partial aggregation in parallel workers gives the serial result (counts exactly, the SD to 1e-12)
CREATE TABLE xab AS SELECT (i % 3)::text AS arm, (i % 13 = 0)::int AS converted, (i % 97) * 1.25 AS revenue
  FROM generate_series(1, 300000) i;
ANALYZE xab;
CREATE TABLE xab_serial AS SELECT arm, mixmodel.arm_stats(converted, revenue) AS s FROM xab GROUP BY arm;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) > 0 AS partial_aggregate
  FROM (SELECT * FROM pg_temp.explain_lines('SELECT arm, mixmodel.arm_stats(converted, revenue) FROM xab GROUP BY arm')) e(l)
 WHERE l LIKE '%Partial%Aggregate%';
SELECT p.arm, (p.s).units = (q.s).units AND (p.s).conversions = (q.s).conversions AND (p.s).value_sum = (q.s).value_sum
       AND abs((p.s).value_sd - (q.s).value_sd) <= 1e-12 * (q.s).value_sd AS same
  FROM (SELECT arm, mixmodel.arm_stats(converted, revenue) AS s FROM xab GROUP BY arm) p JOIN xab_serial q USING (arm)
 ORDER BY 1;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
-- seeded: the same seed gives the same weights, another seed other ones
SELECT (SELECT array_agg(weight ORDER BY arm) FROM mixmodel.thompson_weights(ARRAY[500, 500], ARRAY[20, 25], seed => 7)) =
       (SELECT array_agg(weight ORDER BY arm) FROM mixmodel.thompson_weights(ARRAY[500, 500], ARRAY[20, 25], seed => 7)) AS same_seed_same,
       (SELECT array_agg(weight ORDER BY arm) FROM mixmodel.thompson_weights(ARRAY[500, 500], ARRAY[20, 25], seed => 7)) <>
       (SELECT array_agg(weight ORDER BY arm) FROM mixmodel.thompson_weights(ARRAY[500, 500], ARRAY[20, 25], seed => 8)) AS other_seed_other;
-- edge cases: no conversions anywhere (undefined tests are NULL), every unit converted, one unit
SELECT arm, rate, p_value, ci_low, ci_high, anytime_p, round(p_best::numeric, 6) AS p_best
  FROM mixmodel.ab_test(ARRAY[1000, 1000], ARRAY[0, 0]);
SELECT arm, rate, p_value, round(anytime_p::numeric, 6) AS anytime_p, round(p_best::numeric, 6) AS p_best
  FROM mixmodel.ab_test(ARRAY[1000, 1000], ARRAY[1000, 990]);
SELECT arm, p_value, anytime_p, anytime_low FROM mixmodel.ab_test(ARRAY[1, 1], ARRAY[0, 1]);
SELECT arm, t, p_value, p_best FROM mixmodel.ab_test_welch(ARRAY[10, 10], ARRAY[3, 3], ARRAY[0, 0]);
-- 100 million units per arm: P(best) by quadrature where GSL's incomplete beta gives up
SELECT arm, round(p_best::numeric, 6) AS p_best
  FROM mixmodel.ab_test(ARRAY[1e8, 1e8], ARRAY[3000000, 3001000]);

-- bad input: each from a working call with one or two arguments made hostile
\set VERBOSITY sqlstate
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 0], ARRAY[1000, 0]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 10001]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, -10000], ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, -1]);
SELECT * FROM mixmodel.ab_test('{10000, NaN}', ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test('{10000, Infinity}', ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, NULL], ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test(ARRAY[10000], ARRAY[1000]);
SELECT * FROM mixmodel.ab_test('{}', '{}');
SELECT * FROM mixmodel.ab_test(ARRAY[[10000, 10000]], ARRAY[[1000, 1100]]);
SELECT * FROM mixmodel.ab_test(array_fill(100::float8, ARRAY[101]), array_fill(1::float8, ARRAY[101]));
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], alpha => 0);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], alpha => 1);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], alpha => 'NaN');
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], rho2 => 0);
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000], ARRAY[1000, 1100], rho2 => 'Infinity');
SELECT count(*) FROM mixmodel.ab_test(NULL, ARRAY[1000, 1100]);
SELECT * FROM mixmodel.ab_test_welch(ARRAY[50, 0], ARRAY[10, 12], ARRAY[4, 6]);
SELECT * FROM mixmodel.ab_test_welch(ARRAY[50, 40], ARRAY[10, 12], ARRAY[4, -6]);
SELECT * FROM mixmodel.ab_test_welch(ARRAY[50, 40], ARRAY[10, 12], ARRAY[4]);
SELECT * FROM mixmodel.ab_test_welch(ARRAY[50, 40], '{10, -Infinity}', ARRAY[4, 6]);
SELECT * FROM mixmodel.anytime_interval(0, 0.1, 0.3);
SELECT * FROM mixmodel.anytime_interval(10000, 0.1, -0.3);
SELECT * FROM mixmodel.anytime_interval(10000, 'NaN', 0.3);
SELECT * FROM mixmodel.srm_test(ARRAY[5000, 5200], ARRAY[1, 0]);
SELECT * FROM mixmodel.srm_test(ARRAY[5000, 5200], ARRAY[1, 1, 1]);
SELECT * FROM mixmodel.srm_test(ARRAY[0, 0], ARRAY[1, 1]);
SELECT * FROM mixmodel.srm_test(ARRAY[5000, 5200], ARRAY[1, 1], threshold => 1);
SELECT * FROM mixmodel.ab_posterior(ARRAY[10000, 10000], ARRAY[1000, 1100], prior_a => 0);
SELECT * FROM mixmodel.ab_posterior(ARRAY[10000, 10000], ARRAY[1000, 1100], credibility => 1);
SELECT * FROM mixmodel.ab_posterior_means(ARRAY[50, 40], ARRAY[10, 12], ARRAY[4, 6], credibility => 0);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050], floor => 0.34);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050], floor => -0.1);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050], draws => 0);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 10050]);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000], ARRAY[1000, 1100], prior_b => 'Infinity');
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 1.5]);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03]);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04], periods => 0);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04], units_per_period => 10.5);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04], units_per_period => 0);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04], replications => 0);
SELECT * FROM mixmodel.bandit_simulate(ARRAY[0.03, 0.04], floor => 0.6);
SELECT mixmodel.arm_stats(2, 10) FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(1, 'NaN') FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(10, 11, 100, 2000) FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(10, 1, 100, 999) FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(0, 0, 5, 25) FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(1e300, 1, 1e300, 'Infinity') FROM generate_series(1, 3);
SELECT mixmodel.arm_stats(1, (-1) ^ i * 1e200) FROM generate_series(1, 3) i;
SELECT mixmodel.arm_stats_accum('{1,0,0,0,0}', 1, 1);
SELECT mixmodel.arm_stats_accum('{2,0,0,0,0,0}', 1, 1);
SELECT mixmodel.arm_stats_combine('{1,5,6,0,0,0}', '{1,0,0,0,0,0}');
SELECT mixmodel.arm_stats_final('{1,0,0,0,0,NaN}');
SELECT mixmodel.arm_stats_final('{1,3,1,3,1,-1}');
\set VERBOSITY default
-- a message names the arm and the counts
SELECT * FROM mixmodel.ab_test(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 10050]);
SELECT * FROM mixmodel.thompson_weights(ARRAY[10000, 10000, 10000], ARRAY[1000, 1100, 1050], floor => 0.34);
