-- adstock: signatures, labels, one value per convention and every error path
-- with its SQLSTATE and message (the values themselves: sql/adstock.sql).
BEGIN;
SELECT plan(47);

-- signatures: arrays, weights, windows
SELECT has_function('mixmodel', 'adstock_geometric', ARRAY['double precision[]', 'double precision', 'integer', 'boolean']);
SELECT has_function('mixmodel', 'adstock_weibull', ARRAY['double precision[]', 'double precision', 'double precision', 'text', 'integer', 'boolean', 'text']);
SELECT has_function('mixmodel', 'adstock_delayed', ARRAY['double precision[]', 'double precision', 'double precision', 'integer', 'boolean']);
SELECT has_function('mixmodel', 'adstock_binomial', ARRAY['double precision[]', 'double precision', 'integer']);
SELECT has_function('mixmodel', 'adstock_weights', ARRAY['text', 'integer', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'boolean']);
SELECT has_function('mixmodel', 'adstock_geometric', ARRAY['double precision', 'double precision', 'integer', 'boolean']);
SELECT has_function('mixmodel', 'adstock_weibull', ARRAY['double precision', 'double precision', 'double precision', 'text', 'integer', 'boolean', 'text']);
SELECT has_function('mixmodel', 'adstock_delayed', ARRAY['double precision', 'double precision', 'double precision', 'integer', 'boolean']);
SELECT has_function('mixmodel', 'adstock_binomial', ARRAY['double precision', 'double precision', 'integer']);

-- labels
SELECT is(
    (SELECT array_agg(DISTINCT p.provolatile::text || p.proparallel::text)
       FROM pg_proc p WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.proname LIKE 'adstock%'),
    ARRAY['is'], 'every adstock function is IMMUTABLE and PARALLEL SAFE');
SELECT is(
    (SELECT count(*)::int FROM pg_proc p
      WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.proname LIKE 'adstock%'
        AND p.prokind = 'w' AND p.proargtypes[0] = 'float8'::regtype),
    4, 'the four scalar-spend forms are window functions');
SELECT is_strict('mixmodel', 'adstock_delayed', ARRAY['double precision[]', 'double precision', 'double precision', 'integer', 'boolean']);
SELECT is_strict('mixmodel', 'adstock_binomial', ARRAY['double precision[]', 'double precision', 'integer']);
SELECT isnt_strict('mixmodel', 'adstock_geometric', ARRAY['double precision[]', 'double precision', 'integer', 'boolean'],
                   'adstock_geometric(float8[], ...) is not STRICT: max_lag NULL picks the recursive form');
SELECT function_returns('mixmodel', 'adstock_geometric', ARRAY['double precision[]', 'double precision', 'integer', 'boolean'], 'double precision[]');
SELECT function_returns('mixmodel', 'adstock_geometric', ARRAY['double precision', 'double precision', 'integer', 'boolean'], 'double precision');

-- one value per convention (hand-computed; formulas.md §1.1)
SELECT is(mixmodel.adstock_geometric(ARRAY[100, 0, 0, 50]::float8[], 0.5), ARRAY[100, 50, 25, 62.5]::float8[],
          'geometric_recursive: a_t = x_t + theta a_{t-1}');
SELECT cmp_ok(abs((mixmodel.adstock_geometric(ARRAY[0, 1]::float8[], 0.5, 2, true))[2] - 4 / 7.0), '<', 1e-12::float8,
              'geometric_windowed toy: w_0 = 1/1.75');
SELECT cmp_ok(abs((mixmodel.adstock_weibull(ARRAY[1, 0, 0, 0, 0, 0, 0, 0]::float8[], 2, 0.5, 'cdf'))[2] - exp(-1 / 16.0)), '<', 1e-12::float8,
              'weibull_cdf_relative: T = 8, scale 0.5 gives lambda 4 (half to even)');
SELECT cmp_ok(abs((mixmodel.adstock_weibull(ARRAY[1, 0, 0, 0]::float8[], 1, 2, 'cdf', 3, scale_type => 'absolute'))[3] - exp(-1.5)), '<', 1e-12::float8,
              'weibull_cdf_absolute: lambda in periods');
SELECT is(mixmodel.adstock_weibull(ARRAY[1, 0, 0, 0]::float8[], 3, 3, 'pdf', 3, scale_type => 'absolute') @> ARRAY[0::float8, 1::float8], true,
          'weibull_pdf_absolute: min-max weights, lagged peak 1 and a 0');
SELECT results_eq($$SELECT weight FROM mixmodel.adstock_weights('delayed', 2, alpha => 0.5, peak => 1) ORDER BY lag$$,
                  $$VALUES (0.25::float8), (0.5), (0.25)$$, 'delayed toy weights');
SELECT cmp_ok(abs((SELECT weight FROM mixmodel.adstock_weights('binomial', 2, alpha => 0.5) WHERE lag = 1) - 1 / 3.0), '<', 1e-12::float8,
              'binomial toy weight at lag 1');
SELECT results_eq(
    $$SELECT mixmodel.adstock_geometric(s, 0.5) OVER (ORDER BY i) FROM (VALUES (1, 100::float8), (2, 0), (3, 0), (4, 50)) v(i, s) ORDER BY i$$,
    $$SELECT unnest(mixmodel.adstock_geometric(ARRAY[100, 0, 0, 50]::float8[], 0.5))$$,
    'window form equals the array form');

-- errors
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(NULL::float8[], 0.5)$$, '22004', 'argument "x" must not be null', 'NULL array');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], NULL)$$, '22004', 'argument "theta" must not be null', 'NULL theta');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[]::float8[], 0.5)$$, '2202E', 'array "x" must not be empty', 'empty array');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1, NULL]::float8[], 0.5)$$, '22004', 'array "x" must not contain nulls', 'NULL element');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1, 'NaN']::float8[], 0.5)$$, '22023', 'array "x" must contain only finite values', 'NaN element');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1, '-Infinity']::float8[], 0.5)$$, '22023', 'array "x" must contain only finite values', '-Infinity element');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1, -1]::float8[], 0.5)$$, '22023', 'array "x" must not contain negative values', 'negative spend');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 1)$$, '22023', 'theta must be in the range [0, 1)', 'recursive theta = 1');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 1.01, 3)$$, '22023', 'theta must be in the range [0, 1]', 'windowed theta > 1');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, -1)$$, '22023', 'max_lag must not be negative', 'negative max_lag');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, 10001)$$, '54000', 'max_lag is too large', 'max_lag over the cap');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(ARRAY[1e308, 1e308]::float8[], 0.9)$$, '22003', NULL, 'overflow');
SELECT throws_ok($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], -1, 0.5)$$, '22023', 'shape must be in the range [0, Infinity)', 'negative shape');
SELECT throws_ok($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 1.5)$$, '22023', 'scale must be in the range [0, 1]', 'relative scale > 1');
SELECT throws_ok($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'weird')$$, '22023', 'unknown Weibull adstock variant "weird"', 'unknown variant');
SELECT throws_ok($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'cdf', 3, false, 'weird')$$, '22023', 'unknown Weibull scale type "weird"', 'unknown scale type');
SELECT throws_ok($$SELECT mixmodel.adstock_weibull(array_fill(1::float8, ARRAY[1000000]), 1, 0.5, 'pdf')$$, '54000', 'whole-series adstock window is too long', 'quadratic whole-series window refused');
SELECT throws_ok($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 0.5, 3, 2)$$, '22023', 'peak must be in the range [0, 2]', 'peak beyond max_lag');
SELECT throws_ok($$SELECT mixmodel.adstock_binomial(ARRAY[1]::float8[], 1.5, 2)$$, '22023', 'alpha must be in the range [0, 1]', 'binomial alpha > 1');
SELECT throws_ok($$SELECT * FROM mixmodel.adstock_weights('nope', 3)$$, '22023', 'unknown adstock kind "nope"', 'unknown kind');
SELECT throws_ok($$SELECT * FROM mixmodel.adstock_weights('binomial', 3)$$, '22004', 'argument "alpha" must not be null', 'missing parameter');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(s, 0.5) OVER (ORDER BY i) FROM (VALUES (1, NULL::float8)) v(i, s)$$,
                 '22004', 'adstock input must not be null', 'window: NULL spend');
SELECT throws_ok($$SELECT mixmodel.adstock_geometric(s, i / 10.0) OVER (ORDER BY i) FROM (VALUES (1, 1::float8), (2, 1)) v(i, s)$$,
                 '22023', 'adstock parameters must be the same for every row of a partition', 'window: varying theta');

SELECT * FROM finish();
ROLLBACK;
