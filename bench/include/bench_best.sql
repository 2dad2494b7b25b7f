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

-- Median wall-clock time of `runs` executions of each query, alternating (every round runs
-- each query once, in order), for figures whose ratio to their baseline is near the target:
-- a best-of-3 on a shared 2-core machine moves by 20% from one run to the next, a median of
-- interleaved rounds much less.  Element q of the result is query q's median.
CREATE FUNCTION pg_temp.bench_median(queries text[], runs int) RETURNS float8[]
LANGUAGE plpgsql AS $$
DECLARE
    n int := cardinality(queries);
    t float8[] := '{}';
    t0 timestamptz;
BEGIN
    FOR r IN 1 .. runs LOOP
        FOR q IN 1 .. n LOOP
            t0 := clock_timestamp();
            EXECUTE queries[q];
            t := t || extract(epoch FROM clock_timestamp() - t0)::float8;
        END LOOP;
    END LOOP;
    RETURN ARRAY(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY u.v)
                   FROM unnest(t) WITH ORDINALITY u(v, i)
                  GROUP BY (u.i - 1) % n ORDER BY (u.i - 1) % n);
END
$$;
