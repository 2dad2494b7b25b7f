-- bench/experiment_aa.sql: not a timing.  The type-I error of the anytime-valid p-value
-- under daily looks, end to end through mixmodel.experiment_sequence: 1000 seeded A/A
-- experiments (two arms converting at 5%, 250 units per arm a day for 28 days, one row per
-- unit), each read day by day; the share in which any day is significant at alpha = 0.05,
-- beside the fixed-horizon z test (mixmodel.ab_test's p_value) peeked at daily and read
-- once on day 28.  Target: anytime-valid <= 0.05 (test/unit/test_experiment.c runs the
-- same check on the core with 4000 replications).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SELECT setseed(0.2024);
CREATE UNLOGGED TABLE bench_aa AS
SELECT r AS rep, (ARRAY['A', 'B'])[1 + u % 2] AS arm,
       date '2026-01-05' + d AS day, (random() < 0.05)::int AS converted
  FROM generate_series(1, 1000) r, generate_series(0, 27) d, generate_series(0, 499) u;
CREATE INDEX ON bench_aa (rep);
VACUUM ANALYZE bench_aa;

CREATE FUNCTION pg_temp.bench_aa() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    anytime int := 0;
    peeked int := 0;
    once int := 0;
    n int := 0;
    r record;
    t0 timestamptz := clock_timestamp();
BEGIN
    FOR r IN
        WITH q AS MATERIALIZED (
            SELECT s.rep, x.day, x.is_control, x.units, x.total, x.significant
              FROM generate_series(1, 1000) s(rep)
             CROSS JOIN LATERAL mixmodel.experiment_sequence('bench_aa', 'arm', 'A', 'day', conversion_column => 'converted',
                                                             filter => jsonb_build_object('rep', s.rep)) x),
        d AS (
            SELECT q.rep, q.day, max(q.units) FILTER (WHERE q.is_control) AS u0, max(q.total) FILTER (WHERE q.is_control) AS c0,
                   max(q.units) FILTER (WHERE NOT q.is_control) AS u1, max(q.total) FILTER (WHERE NOT q.is_control) AS c1,
                   bool_or(q.significant) AS significant
              FROM q GROUP BY 1, 2)
        SELECT d.rep, bool_or(d.significant) AS anytime, bool_or(z.p_value < 0.05) AS peeked,
               bool_or(z.p_value < 0.05) FILTER (WHERE d.day = date '2026-01-05' + 27) AS once
          FROM d CROSS JOIN LATERAL mixmodel.ab_test(ARRAY[d.u0, d.u1], ARRAY[d.c0, d.c1]) z
         WHERE z.arm = 2
         GROUP BY d.rep
    LOOP
        n := n + 1;
        anytime := anytime + r.anytime::int;
        peeked := peeked + r.peeked::int;
        once := once + coalesce(r.once, false)::int;
    END LOOP;
    RETURN format('experiment_aa: %s A/A experiments (5%%, 250 units per arm a day, 28 daily looks) through experiment_sequence: '
                  'anytime-valid type-I error %s (target <= 0.05) %s; fixed-horizon z test peeked at daily %s, read once on day 28 %s; %s s',
                  n, round(anytime::numeric / n, 4), CASE WHEN anytime <= 0.05 * n THEN 'met' ELSE 'NOT MET' END,
                  round(peeked::numeric / n, 4), round(once::numeric / n, 4),
                  round(extract(epoch FROM clock_timestamp() - t0)::numeric, 1));
END
$$;

SELECT pg_temp.bench_aa();
DROP TABLE bench_aa;
