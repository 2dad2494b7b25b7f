-- bench/experiment.sql: mixmodel.analyze_experiment of 100 M assignment rows (three
-- arms; per unit a 0/1 conversion and a revenue), against a plain GROUP BY arm over the
-- same rows: count(*), sum(converted), sum(revenue) (the figure's ratio; target <= 1.2),
-- and the same plus sum(revenue * revenue), the plain SQL that gives everything the
-- analysis needs.  All serial (no parallel workers) and with 2 parallel workers; the
-- line gives both ratios and each query's parallel speed-up, and checks that the
-- analysis's units, conversions and revenue equal the GROUP BY's.
-- MM_BENCH_EXPERIMENT_ROWS overrides the row count (for a quick run).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET work_mem = '256MB';
\getenv rows MM_BENCH_EXPERIMENT_ROWS
\if :{?rows}
\else
\set rows 100000000
\endif

-- 3% conversion in A and C, 3.5% in B; revenue 40 .. 120 per conversion
CREATE UNLOGGED TABLE bench_exp AS
SELECT (ARRAY['A', 'B', 'C'])[1 + i % 3] AS arm,
       CASE WHEN (i * 7919 + 13) % 1000 < 30 + 5 * (i % 3 = 1)::int THEN 1 ELSE 0 END AS converted,
       CASE WHEN (i * 7919 + 13) % 1000 < 30 + 5 * (i % 3 = 1)::int
            THEN 40 + ((i * 104729) % 8000) / 100.0 ELSE 0 END::float8 AS revenue
  FROM generate_series(1::int8, :rows) i;
VACUUM ANALYZE bench_exp;
ALTER TABLE bench_exp SET (parallel_workers = 2);

\ir include/bench_best.sql

CREATE FUNCTION pg_temp.bench_experiment() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    figure text := $q$SELECT count(*) FROM mixmodel.analyze_experiment('bench_exp', 'arm', 'A',
                        conversion_column => 'converted', value_column => 'revenue')$q$;
    plain text := 'SELECT arm, count(*), sum(converted), sum(revenue) FROM bench_exp GROUP BY arm';
    squares text := 'SELECT arm, count(*), sum(converted), sum(revenue), sum(revenue * revenue) FROM bench_exp GROUP BY arm';
    serial float8[];
    par float8[];
    agree boolean;
BEGIN
    -- the analysis's sums against the GROUP BY's (exact: whole cents below 2^53)
    WITH x AS MATERIALIZED (
        SELECT * FROM mixmodel.analyze_experiment('bench_exp', 'arm', 'A', conversion_column => 'converted',
                                                  value_column => 'revenue'))
    SELECT bool_and(a.units = g.n AND a.total = g.c AND abs(v.total - g.r) <= 1e-9 * g.r) INTO agree
      FROM x a JOIN x v ON v.arm = a.arm AND v.metric = 'value'
      JOIN (SELECT arm, count(*) AS n, sum(converted) AS c, sum(revenue) AS r FROM bench_exp GROUP BY arm) g ON g.arm = a.arm
     WHERE a.metric = 'conversion';
    SET LOCAL max_parallel_workers_per_gather = 0;
    serial := pg_temp.bench_best(ARRAY[plain, squares, figure], 3);
    SET LOCAL max_parallel_workers_per_gather = 2;
    par := pg_temp.bench_best(ARRAY[plain, squares, figure], 3);
    RETURN format('experiment: analyze_experiment (3 arms, conversion and revenue) of %s rows: serial %s s, 2 workers %s s (speed-up %s); '
                  'baseline GROUP BY count/sum: serial %s s, 2 workers %s s (speed-up %s); ratio serial %s, parallel %s (target <= 1.20) %s; '
                  'with sum(revenue^2) too: serial %s s, 2 workers %s s, ratio %s / %s; results %s',
                  (SELECT count(*) FROM bench_exp),
                  round(serial[3]::numeric, 2), round(par[3]::numeric, 2), round((serial[3] / par[3])::numeric, 2),
                  round(serial[1]::numeric, 2), round(par[1]::numeric, 2), round((serial[1] / par[1])::numeric, 2),
                  round((serial[3] / serial[1])::numeric, 2), round((par[3] / par[1])::numeric, 2),
                  CASE WHEN serial[3] / serial[1] <= 1.2 AND par[3] / par[1] <= 1.2 THEN 'met' ELSE 'NOT MET' END,
                  round(serial[2]::numeric, 2), round(par[2]::numeric, 2),
                  round((serial[3] / serial[2])::numeric, 2), round((par[3] / par[2])::numeric, 2),
                  CASE WHEN agree THEN 'equal' ELSE 'DIFFER' END);
END
$$;

SELECT pg_temp.bench_experiment();

DROP TABLE bench_exp;
