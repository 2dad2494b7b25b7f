-- pgTAP: ab_test and ab_test_welch against R's prop.test and t.test (doc/experiment.md "Checks").
-- Runs R (Debian r-base-core) when it is installed and skips otherwise: R is not a dependency.
-- The largest differences are printed as diagnostics.
\set have_r `command -v Rscript >/dev/null 2>&1 && echo 1 || echo 0`
\set tmp `mktemp -d`
\setenv MM_R_DIR :tmp
BEGIN;
SELECT plan(9);
SELECT setseed(0.42);

-- 300 two-arm count configurations: units 20 .. 10^6, rates 0.0005 .. 0.5
CREATE TEMP TABLE props AS
SELECT id, n0, floor(random() * r0 * n0 * 2)::float8 AS x0, n1, floor(random() * r1 * n1 * 2)::float8 AS x1
  FROM (SELECT id, floor(20 * 50000 ^ random())::float8 AS n0, floor(20 * 50000 ^ random())::float8 AS n1,
               0.0005 * 1000 ^ random() / 2 AS r0, 0.0005 * 1000 ^ random() / 2 AS r1
          FROM generate_series(1, 300) id) c;
UPDATE props SET x0 = least(x0, n0), x1 = least(x1, n1);
-- 60 two-arm samples of a revenue-like metric: mostly 0, LogNormal amounts, 10 .. 3000 units per arm
CREATE TEMP TABLE welch AS
SELECT c.id, a.arm, CASE WHEN random() < c.p THEN round((c.m * exp(0.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::numeric, 2)::float8 ELSE 0 END AS value
  FROM (SELECT id, 0.05 + 0.6 * random() AS p, 20 + 100 * random() AS m,
               floor(10 * 300 ^ random())::int AS n0, floor(10 * 300 ^ random())::int AS n1
          FROM generate_series(1, 60) id) c,
       LATERAL (SELECT 0 AS arm FROM generate_series(1, c.n0) UNION ALL SELECT 1 FROM generate_series(1, c.n1)) a;

\if :have_r
-- (\copy and \! take their line as it is, so the directory reaches them through the environment)
\copy (SELECT id, n0, x0, n1, x1 FROM props ORDER BY id) TO PROGRAM 'cat > "$MM_R_DIR/props.csv"' CSV HEADER
\copy (SELECT id, arm, value FROM welch ORDER BY id, arm) TO PROGRAM 'cat > "$MM_R_DIR/welch.csv"' CSV HEADER
\! Rscript test/reference/ab_tests.R "$MM_R_DIR/props.csv" "$MM_R_DIR/props_out.csv" "$MM_R_DIR/welch.csv" "$MM_R_DIR/welch_out.csv"
CREATE TEMP TABLE r_props (id int, p_value float8, ci_low float8, ci_high float8);
CREATE TEMP TABLE r_welch (id int, t float8, df float8, p_value float8, ci_low float8, ci_high float8);
\copy r_props FROM PROGRAM 'cat "$MM_R_DIR/props_out.csv"' CSV HEADER
\copy r_welch FROM PROGRAM 'cat "$MM_R_DIR/welch_out.csv"' CSV HEADER
\! rm -rf "$MM_R_DIR"

CREATE TEMP TABLE d_props AS
SELECT max(abs(t.p_value - r.p_value)) AS p, max(greatest(abs(t.ci_low - r.ci_low), abs(t.ci_high - r.ci_high))) AS ci,
       count(*) AS n, count(*) FILTER (WHERE t.p_value IS NULL <> (r.p_value IS NULL OR r.p_value = 'NaN')) AS null_mismatch
  FROM props c, mixmodel.ab_test(ARRAY[c.n0, c.n1], ARRAY[c.x0, c.x1]) t, r_props r
 WHERE t.arm = 2 AND r.id = c.id;
CREATE TEMP TABLE d_welch AS
SELECT max(abs(t.p_value - r.p_value)) AS p, max(greatest(abs(t.ci_low - r.ci_low), abs(t.ci_high - r.ci_high))) AS ci,
       max(abs(t.t - r.t) / greatest(1, abs(r.t))) AS t, max(abs(t.df - r.df) / r.df) AS df, count(*) AS n
  FROM (SELECT id, array_agg((s).units ORDER BY arm) AS n, array_agg((s).value_mean ORDER BY arm) AS m,
               array_agg((s).value_sd ORDER BY arm) AS sd
          FROM (SELECT id, arm, mixmodel.arm_stats(0, value) AS s FROM welch GROUP BY 1, 2) q GROUP BY 1) a,
       mixmodel.ab_test_welch(a.n, a.m, a.sd) t, r_welch r
 WHERE t.arm = 2 AND r.id = a.id;

SELECT diag(format('prop.test (correct = FALSE), %s configurations: largest |p - p_R| %s, largest interval bound difference %s',
                   n, to_char(p, '9.9EEEE'), to_char(ci, '9.9EEEE'))) FROM d_props;
SELECT diag(format('t.test (Welch) on raw data via arm_stats, %s samples: largest |p - p_R| %s, interval %s, t (relative) %s, df (relative) %s',
                   n, to_char(p, '9.9EEEE'), to_char(ci, '9.9EEEE'), to_char(t, '9.9EEEE'), to_char(df, '9.9EEEE'))) FROM d_welch;
SELECT is((SELECT n FROM d_props), 300::bigint, 'R answered every count configuration');
SELECT is((SELECT null_mismatch FROM d_props), 0::bigint, 'p-values are undefined exactly where R''s are');
SELECT cmp_ok((SELECT p FROM d_props), '<=', 1e-9::float8, 'pooled z test p-values equal prop.test''s to 1e-9');
SELECT cmp_ok((SELECT ci FROM d_props), '<=', 1e-9::float8, 'intervals of the difference equal prop.test''s to 1e-9');
SELECT is((SELECT n FROM d_welch), 60::bigint, 'R answered every sample');
SELECT cmp_ok((SELECT p FROM d_welch), '<=', 1e-9::float8, 'Welch p-values equal t.test''s to 1e-9');
SELECT cmp_ok((SELECT ci FROM d_welch), '<=', 1e-9::float8, 'Welch intervals equal t.test''s to 1e-9');
SELECT cmp_ok((SELECT t FROM d_welch), '<=', 1e-9::float8, 'Welch t equals t.test''s to 1e-9 (relative)');
SELECT cmp_ok((SELECT df FROM d_welch), '<=', 1e-9::float8, 'Welch-Satterthwaite df equals t.test''s to 1e-9 (relative)');
\else
\! rm -rf "$MM_R_DIR"
SELECT skip('R (Rscript) is not installed: the comparison with prop.test and t.test is skipped', 9);
\endif

SELECT * FROM finish();
ROLLBACK;
