-- bench/plan_mult.sql: the multiplicative-model planner (mixmodel._plan_core_mult, doc/plan.md
-- "Multiplicative models") on 20 channels x 52 weekly periods, one flight, geometric adstock
-- (8 lags), power curves (theta 0.3 .. 0.7), log-KPI coefficients summing to 1.325, two years of
-- history carrying in.  Figure: solve time (best of 5; 30 starts: historical, equal, one per
-- channel, 8 random).  Baselines in the same run:
-- the historical split's objective (bounds pinned to it) and the additive planner
-- (mixmodel._plan_core) on the same curves read as additive terms.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
\ir include/bench_best.sql

CREATE TEMP TABLE bm AS
SELECT c, (0.02 + 0.01 * (c % 5) + 0.0025 * c)::float8 AS beta, (0.3 + 0.02 * c)::float8 AS theta,
       (0.2 + 0.03 * c)::float8 AS decay, (800 + 97 * ((c * 37) % 20))::float8 AS weekly
  FROM generate_series(1, 20) c;
CREATE TEMP TABLE ba AS
SELECT array_agg('geometric'::text ORDER BY c) AS ad, array_agg(decay ORDER BY c) AS ap1,
       array_fill(0::float8, ARRAY[20]) AS ap2, array_fill(7, ARRAY[20]) AS ml, array_fill(false, ARRAY[20]) AS nm,
       array_agg('power'::text ORDER BY c) AS sa, array_agg(theta ORDER BY c) AS sp1, array_fill(0::float8, ARRAY[20]) AS sp2,
       array_agg(4 * weekly ORDER BY c) AS sc, array_agg(beta ORDER BY c) AS cf,
       (SELECT array_agg(b.weekly * (1 + 0.3 * sin(t + b.c)) ORDER BY b.c, t) FROM bm b, generate_series(1, 104) t) AS hist,
       array_agg(26 * weekly ORDER BY c) AS lo, array_agg(104 * weekly ORDER BY c) AS hi,
       ARRAY[52 * sum(weekly)] AS budget, array_agg(weekly ORDER BY c) AS share,
       (SELECT array_agg(1e5 * (1 + 0.1 * cos(t))) FROM generate_series(1, 52) t) AS fitted,
       array_agg(52 * weekly ORDER BY c) AS hist_split
  FROM bm;

SELECT (t[1] * 1000) AS mult_ms, (t[2] * 1000) AS add_ms
  FROM ba, pg_temp.bench_best(ARRAY[
    'SELECT count(*) FROM ba, mixmodel._plan_core_mult(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, 52, ''{0}'', ''{52}'', budget, lo, hi, NULL, fitted, 0, share)',
    'SELECT count(*) FROM ba, mixmodel._plan_core(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, 52, ''{0}'', ''{52}'', budget, lo, hi, array_fill(1::float8, ARRAY[20 * 52]), ''budget'', NULL, ''Infinity'')'], 5) t \gset
SELECT (SELECT sum(v) FROM unnest(p.incr) v) AS obj, p.kkt_residual AS kkt, p.certificate AS cert
  FROM ba, mixmodel._plan_core_mult(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, 52, '{0}', '{52}', budget, lo, hi, NULL, fitted, 0, share) p \gset
SELECT (SELECT sum(v) FROM unnest(p.incr) v) AS hist_obj
  FROM ba, mixmodel._plan_core_mult(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, 52, '{0}', '{52}', budget, hist_split, hist_split, NULL, fitted, 0, share) p \gset
SELECT format('plan_mult: _plan_core_mult 20 channels x 52 weeks (multiplicative, %s starts): %s ms; additive planner on the same curves: %s ms (ratio %s); objective %s vs historical %s (+%s%%), KKT residual %s, optimum %s, starts agreed %s of %s',
              (:'cert'::jsonb)->>'starts', round(:mult_ms::numeric, 1), round(:add_ms::numeric, 2),
              round((:mult_ms / :add_ms)::numeric, 1), round(:obj::numeric, 1), round(:hist_obj::numeric, 1),
              round((100 * (:obj / :hist_obj - 1))::numeric, 2), to_char(:kkt, '9.9EEEE'),
              (:'cert'::jsonb)->>'optimum', (:'cert'::jsonb)->>'starts_agreed', (:'cert'::jsonb)->>'starts');
-- ratio target (ROI/CPA of doc/plan.md): the budget plan's own increment per unit budget as
-- target gives back its budget; one timed run (48-budget scan + Brent), against one budget solve
SELECT clock_timestamp() AS t0 \gset
SELECT p.goal_budget[1] AS ratio_budget, p.achievable[1] AS ratio_ok
  FROM ba, mixmodel._plan_core_mult(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, 52, '{0}', '{52}', '{0}', lo, hi, NULL,
         fitted, 0, share, ARRAY[:obj / budget[1]], 'Infinity', 'ratio') p \gset
SELECT format('plan_mult: ratio target (increment/budget of the budget plan) %s ms = %s budget solves; budget %s given back as %s (rel. error %s), achievable %s',
              round((1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz))::numeric, 0),
              round((1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) / :mult_ms)::numeric, 0),
              budget[1], round(:ratio_budget::numeric, 3), to_char(abs(:ratio_budget / budget[1] - 1), '9.9EEEE'), :'ratio_ok')
  FROM ba;
