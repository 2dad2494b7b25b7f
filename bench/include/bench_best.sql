-- Shared by the benchmarks (\ir include/bench_best.sql).
-- Best wall-clock time of `runs` executions of each query, alternating.
CREATE FUNCTION pg_temp.bench_best(queries text[], runs int) RETURNS float8[]
LANGUAGE plpgsql AS $$
DECLARE
    best float8[] := array_fill('Infinity'::float8, ARRAY[cardinality(queries)]);
    t0 timestamptz;
BEGIN
    FOR r IN 1 .. runs LOOP
        FOR q IN 1 .. cardinality(queries) LOOP
            t0 := clock_timestamp();
            EXECUTE queries[q];
            best[q] := least(best[q], extract(epoch FROM clock_timestamp() - t0));
        END LOOP;
    END LOOP;
    RETURN best;
END
$$;
