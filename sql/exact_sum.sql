-- exact_sum: the exact sum of float8 values rounded once, independent of row order and
-- of parallel workers (src/math/exact_sum.c); its support functions reject bad states.
SELECT mixmodel.exact_sum(x) AS exact, sum(x) AS float8_sum FROM unnest(ARRAY[1e100, 1, -1e100]::float8[]) x;
SELECT mixmodel.exact_sum(x) AS exact, sum(x) AS float8_sum FROM (SELECT 0.1::float8 FROM generate_series(1, 10)) t(x);
-- ties round to even
SELECT mixmodel.exact_sum(x) = 9007199254740992 AS to_even FROM unnest(ARRAY[9007199254740992, 1]::float8[]) x;
-- NULLs are skipped, no values give NULL, NaN and infinities as sum(float8) gives them
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY[2.5, NULL, 4]::float8[]) x;
SELECT mixmodel.exact_sum(x) IS NULL AS null_without_values FROM unnest(ARRAY[]::float8[]) x;
SELECT mixmodel.exact_sum(x) IS NULL AS null_for_nulls FROM unnest(ARRAY[NULL, NULL]::float8[]) x;
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY[1, 'NaN', 2]::float8[]) x;
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY[1, 'Infinity', 2]::float8[]) x;
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY['-Infinity', 1]::float8[]) x;
SELECT mixmodel.exact_sum(x) AS zero_then_value FROM unnest(ARRAY[0, 5]::float8[]) x;
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY['-Infinity', 'Infinity']::float8[]) x;
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY[1.7976931348623157e308, 1.7976931348623157e308, -1.7976931348623157e308]::float8[]) x;
\set VERBOSITY terse
SELECT mixmodel.exact_sum(x) FROM unnest(ARRAY[1.7976931348623157e308, 1.7976931348623157e308]::float8[]) x;
\set VERBOSITY default

-- order does not matter: 200,000 values over 40 decades, summed forward, backward and
-- shuffled give the same bits; sum(float8) does not
CREATE TEMP TABLE xs AS
SELECT i, ((i * 7919) % 1000 - 500) * power(10::float8, (i % 40) - 20) AS x, (i * 104729) % 200000 AS shuffle
  FROM generate_series(1::int8, 200000) i;
SELECT count(DISTINCT s) AS distinct_exact_sums FROM (
    SELECT mixmodel.exact_sum(x ORDER BY i) AS s FROM xs
    UNION ALL SELECT mixmodel.exact_sum(x ORDER BY i DESC) FROM xs
    UNION ALL SELECT mixmodel.exact_sum(x ORDER BY shuffle) FROM xs) t;
SELECT count(DISTINCT s) > 1 AS float8_sums_differ FROM (
    SELECT sum(x ORDER BY i) AS s FROM xs
    UNION ALL SELECT sum(x ORDER BY i DESC) FROM xs
    UNION ALL SELECT sum(x ORDER BY shuffle) FROM xs) t;
-- values exact in numeric (multiples of 1/64, at most 10 digits): the numeric sum agrees
SELECT mixmodel.exact_sum(v) = sum(v::numeric)::float8 AS equals_numeric_sum
  FROM (SELECT ((i * 7919) % 2000001 - 1000000) / 64.0::float8 AS v FROM generate_series(1, 100000) i) t;

-- parallel partial aggregation gives the bits of a serial one, grouped and not
CREATE TABLE xs_big AS SELECT i % 50 AS g, x FROM xs, generate_series(1, 5) r;
ANALYZE xs_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT g, mixmodel.exact_sum(x) AS s FROM xs_big GROUP BY g;
SELECT mixmodel.exact_sum(x) AS serial_total FROM xs_big \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.partial_aggregate(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    l text;
    found boolean := false;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        found := found OR l LIKE '%Partial Aggregate%';
    END LOOP;
    RETURN found;
END $$;
SELECT pg_temp.partial_aggregate('SELECT mixmodel.exact_sum(x) FROM xs_big') AS partial_aggregate;
SELECT mixmodel.exact_sum(x) = :serial_total AS parallel_equals_serial FROM xs_big;
SELECT count(*) AS groups_differing FROM serial s
  JOIN (SELECT g, mixmodel.exact_sum(x) AS s FROM xs_big GROUP BY g) p USING (g) WHERE p.s <> s.s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE xs_big;

-- the support functions, called directly: a state from a real aggregate works, bad ones are refused
SELECT mixmodel._exact_sum_final(mixmodel._exact_sum_combine(
           mixmodel._exact_sum_accum(mixmodel._exact_sum_accum('{0,0,0}', 1e300), 1.5),
           mixmodel._exact_sum_accum('{0,0,0}', -1e300))) AS combined;
SELECT mixmodel._exact_sum_final('{0,0,0}') IS NULL AS empty_state;
\set VERBOSITY terse
SELECT mixmodel._exact_sum_accum('{0,0}', 1);
SELECT mixmodel._exact_sum_accum('{0,0,0,NULL}', 1);
SELECT mixmodel._exact_sum_accum('{9,0,0}', 1);
SELECT mixmodel._exact_sum_accum('{0,-1,0}', 1);
SELECT mixmodel._exact_sum_accum('{0,1,66,0,0}', 1);
SELECT mixmodel._exact_sum_final('{0,1,10,4611686018427387904}');
SELECT mixmodel._exact_sum_combine('{0,0,0}', '{{0,0},{0,0}}');
