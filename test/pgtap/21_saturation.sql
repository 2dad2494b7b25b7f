-- saturation, calendar and fit metrics: signatures, labels, the formulas.md toys,
-- and error paths with SQLSTATE and message (values in sql/saturation.sql,
-- sql/calendar.sql, sql/metrics.sql).
BEGIN;
SELECT plan(24);

SELECT has_function('mixmodel', 'hill', ARRAY['double precision', 'double precision', 'double precision']);
SELECT has_function('mixmodel', 'hill', ARRAY['double precision[]', 'double precision', 'double precision']);
SELECT has_function('mixmodel', 'hill_relative', ARRAY['double precision[]', 'double precision', 'double precision', 'boolean']);
SELECT has_function('mixmodel', 'saturation_deriv', ARRAY['text', 'double precision', 'double precision', 'double precision']);
SELECT has_function('mixmodel', 'saturation_inverse', ARRAY['text', 'double precision', 'double precision']);
SELECT has_function('mixmodel', 'period_start', ARRAY['date', 'text', 'text']);
SELECT has_function('mixmodel', 'period_start', ARRAY['timestamp without time zone', 'text', 'text']);

-- labels
SELECT is(
    (SELECT array_agg(DISTINCT p.provolatile::text || p.proparallel::text || p.proisstrict::text)
       FROM pg_proc p WHERE p.pronamespace = 'mixmodel'::regnamespace
        AND (p.proname IN ('hill', 'hill_relative', 'hill_relative_k', 'hill_inflection', 'logistic_saturation',
                           'michaelis_menten', 'power_saturation', 'tanh_saturation')
             OR p.proname LIKE 'saturation%' OR p.proname LIKE 'metrics\_%')),
    ARRAY['istrue'], 'saturation curves and metric support functions are IMMUTABLE STRICT PARALLEL SAFE');
SELECT volatility_is('mixmodel', 'period_start', ARRAY['date', 'text', 'text'], 'immutable');
SELECT volatility_is('mixmodel', 'period_start', ARRAY['timestamp with time zone', 'text', 'text'], 'stable',
                     'period_start(timestamptz) is STABLE: it reads TimeZone');
SELECT is_aggregate('mixmodel', 'r2', ARRAY['double precision', 'double precision']);
SELECT is_aggregate('mixmodel', 'wmape', ARRAY['double precision', 'double precision']);
SELECT is(
    (SELECT count(*)::int FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
      WHERE p.pronamespace = 'mixmodel'::regnamespace
        AND p.proname IN ('r2', 'mape', 'smape', 'rmse', 'nrmse', 'mae', 'wmape')
        AND p.proparallel = 's' AND a.aggcombinefn = 'mixmodel.metrics_combine'::regproc
        AND a.aggtranstype = 'float8[]'::regtype AND a.aggfinalmodify = 'r'),
    7, 'the seven metrics are PARALLEL SAFE with a combine function, a float8[] state and a read-only final');

-- the toys
SELECT is(mixmodel.hill(2, 2, 2), 0.5::float8, 'hill: s(K) = 0.5');
SELECT cmp_ok(abs(mixmodel.hill_inflection(2, 2) - 1.154701), '<', 1e-6::float8, 'hill: inflection 1.154701');
SELECT is(mixmodel.period_start(date '2022-01-01', 'week'), date '2021-12-27', 'Adobe: 2022-01-01 is in the week of 2021-12-27');
SELECT cmp_ok(abs(mixmodel.r2(a, p) - 0.7), '<', 1e-12::float8, 'r2 of the hand set')
  FROM (VALUES (1::float8, 1.5::float8), (2, 1.5), (3, 3), (4, 5)) AS t(a, p);

-- errors
SELECT throws_ok($$SELECT mixmodel.hill(-1, 2, 2)$$, '22023', 'x must not be negative');
SELECT throws_ok($$SELECT mixmodel.hill_relative(ARRAY[1]::float8[], 2, 0)$$, '22023', 'gamma must be in the range (0, 1]');
SELECT throws_ok($$SELECT mixmodel.saturation_inverse('hill', 1, 2, 2)$$, '22023', 'u is outside the range of the "hill" curve');
SELECT throws_ok($$SELECT mixmodel.period_start(date '2024-01-01', 'week', 'mon')$$, '22023', 'unknown week start "mon"');
SELECT throws_ok($$SELECT mixmodel.period_start(date '2024-01-01', 'fortnight')$$, '22023', 'unknown period granularity "fortnight"');
SELECT throws_ok($$SELECT mixmodel.r2(1, 'NaN')$$, '22023', 'predicted must be a finite number');
SELECT throws_ok($$SELECT mixmodel.metrics_r2('{1,2}')$$, '22023', 'invalid fit-metrics state');

SELECT * FROM finish();
ROLLBACK;
