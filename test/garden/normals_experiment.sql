-- test/garden/normals_experiment.sql: normal values of the experiment stage's functions
-- (see normals.sql for the rules).
--
-- The generator's TV holdout study (gr.experiment_assignments, experiment tv_holdout: 50,000
-- profiles, control "holdout", treatment "exposed") as a stored experiment "ge" (with its
-- planned split, so experiment_srm has rows) and a copy "ge_drop" to drop; the per-arm arrays
-- as analyze_experiment passes them to the primitives (_experiment_arms); arm_stats states
-- built by the aggregate's own transition function over the study's rows.

CREATE TABLE garden.xsrc (source regclass, arm_column name, control text, conversion_column name,
                          value_column name, time_column name, filter jsonb);
INSERT INTO garden.xsrc VALUES ('gr.experiment_assignments', 'treatment', 'holdout', 'converted', 'revenue',
                                'assigned_at', '{"experiment": "tv_holdout"}');
SELECT mixmodel.create_experiment(n, x.source, x.arm_column, x.control, conversion_column => x.conversion_column,
         value_column => x.value_column, time_column => x.time_column, filter => x.filter,
         options => '{"planned_split": {"holdout": 1, "exposed": 1}}')
  FROM garden.xsrc x, unnest(ARRAY['ge', 'ge_drop']) n;

-- the arms as analyze_experiment reads them: control first, then by name
CREATE TABLE garden.xarms AS
SELECT (mixmodel._experiment_arms(x.source, x.arm_column, x.control, x.conversion_column, x.value_column,
                                  NULL, NULL, x.filter)).*
  FROM garden.xsrc x;

-- arm_stats states, as the aggregate builds them: the control's units in two halves (what
-- two parallel workers combine), and the whole control arm
CREATE AGGREGATE garden.arm_state(float8, float8) (sfunc = mixmodel.arm_stats_accum, stype = float8[],
                                                   initcond = '{1,0,0,0,0,0}');
CREATE TABLE garden.xstate AS
SELECT garden.arm_state(converted, revenue) FILTER (WHERE profile_id % 2 = 0) AS half1,
       garden.arm_state(converted, revenue) FILTER (WHERE profile_id % 2 = 1) AS half2,
       garden.arm_state(converted, revenue) AS whole
  FROM gr.experiment_assignments WHERE experiment = 'tv_holdout' AND treatment = 'holdout';
-- one converted unit of the exposed arm, and the exposed arm's sums (a pre-aggregated row)
CREATE TABLE garden.xunit AS
SELECT converted::float8 AS converted, revenue FROM gr.experiment_assignments
 WHERE experiment = 'tv_holdout' AND treatment = 'exposed' AND converted = 1 ORDER BY profile_id LIMIT 1;
CREATE TABLE garden.xsums AS
SELECT count(*)::float8 AS units, sum(converted)::float8 AS conversions, sum(revenue) AS value_sum,
       sum(revenue * revenue) AS value_sumsq
  FROM gr.experiment_assignments WHERE experiment = 'tv_holdout' AND treatment = 'exposed';

-- the study's arms as the generator drew them (_generate_experiment_units, bandit_simulate):
-- control first; Poisson order rates from the true conversion rates
CREATE TABLE garden.xtruth AS
SELECT array_agg(treatment ORDER BY NOT control, treatment COLLATE "C") AS treatments,
       array_agg(share ORDER BY NOT control, treatment COLLATE "C") AS shares,
       array_agg(conversion_rate ORDER BY NOT control, treatment COLLATE "C") AS rates,
       array_agg(-ln(1 - conversion_rate) ORDER BY NOT control, treatment COLLATE "C") AS order_rates,
       avg(revenue_per_unit / -ln(1 - conversion_rate)) AS aov, min(start_date) AS start_date,
       max(end_date) AS end_date
  FROM gr.experiment_truth WHERE experiment = 'tv_holdout';

-- the stored experiment
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, 'name', 'text', '''ge''' FROM unnest(ARRAY['_experiment', '_experiment_results', '_experiment_daily',
                                                    '_experiment_srm', '_experiment_bandit']) f;
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('drop_experiment', 'name', 'text', '''ge_drop'''), ('create_experiment', 'name', 'text', '''ge_new'''),
  ('create_experiment', 'options', 'jsonb', '''{"planned_split": {"holdout": 1, "exposed": 1}}'''),
  ('register_lift_study', 'experiment', 'text', '''ge'''),
  ('register_lift_study', 'start_date', 'date', '(SELECT start_date FROM garden.xtruth)'),
  ('register_lift_study', 'end_date', 'date', '(SELECT end_date FROM garden.xtruth)');

-- the experiment read in place
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, v.typ::regtype, v.expr
  FROM unnest(ARRAY['_experiment_exprs', '_experiment_arms', '_experiment_check_arms', 'experiment_sequence',
                    'analyze_experiment', 'create_experiment']) f,
       (VALUES ('source', 'regclass', '(SELECT source FROM garden.xsrc)'),
               ('arm_column', 'name', '(SELECT arm_column FROM garden.xsrc)'),
               ('control', 'text', '(SELECT control FROM garden.xsrc)'),
               ('conversion_column', 'name', '(SELECT conversion_column FROM garden.xsrc)'),
               ('value_column', 'name', '(SELECT value_column FROM garden.xsrc)'),
               ('units_column', 'name', 'NULL'), ('value_sq_column', 'name', 'NULL'),
               ('time_column', 'name', '(SELECT time_column FROM garden.xsrc)'),
               ('filter', 'jsonb', '(SELECT filter FROM garden.xsrc)')) v(argname, typ, expr);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_experiment_check_arms', 'arms', 'text[]', '(SELECT arms FROM garden.xarms)'),
  ('_experiment_check_arms', 'units', 'float8[]', '(SELECT units FROM garden.xarms)'),
  ('analyze_experiment', 'planned_split', 'jsonb', '''{"holdout": 1, "exposed": 1}''');

-- the primitives on the study's counts
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, 'float8[]', v.expr
  FROM unnest(ARRAY['ab_test', 'ab_posterior', 'thompson_weights', 'srm_test']) f,
       (VALUES ('units', '(SELECT units FROM garden.xarms)'),
               ('conversions', '(SELECT conversions FROM garden.xarms)')) v(argname, expr);
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, 'float8[]', v.expr
  FROM unnest(ARRAY['ab_test_welch', 'ab_posterior_means']) f,
       (VALUES ('n', '(SELECT units FROM garden.xarms)'), ('mean', '(SELECT means FROM garden.xarms)'),
               ('sd', '(SELECT sds FROM garden.xarms)')) v(argname, expr);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('srm_test', 'planned', 'float8[]', '(SELECT shares FROM garden.xtruth)'),
  ('bandit_simulate', 'true_rates', 'float8[]', '(SELECT rates FROM garden.xtruth)');

-- the arm_stats support functions
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('arm_stats_accum', 'state', 'float8[]', '(SELECT half1 FROM garden.xstate)'),
  ('arm_stats_accum', 'converted', 'float8', '(SELECT converted FROM garden.xunit)'),
  ('arm_stats_accum', 'value', 'float8', '(SELECT revenue FROM garden.xunit)'),
  ('arm_stats_accum_sums', 'state', 'float8[]', '(SELECT whole FROM garden.xstate)'),
  ('arm_stats_accum_sums', 'units', 'float8', '(SELECT units FROM garden.xsums)'),
  ('arm_stats_accum_sums', 'conversions', 'float8', '(SELECT conversions FROM garden.xsums)'),
  ('arm_stats_accum_sums', 'value_sum', 'float8', '(SELECT value_sum FROM garden.xsums)'),
  ('arm_stats_accum_sums', 'value_sumsq', 'float8', '(SELECT value_sumsq FROM garden.xsums)'),
  ('arm_stats_combine', 'state1', 'float8[]', '(SELECT half1 FROM garden.xstate)'),
  ('arm_stats_combine', 'state2', 'float8[]', '(SELECT half2 FROM garden.xstate)'),
  ('arm_stats_final', 'state', 'float8[]', '(SELECT whole FROM garden.xstate)');

-- the generator's units of the study (its first 2,000 profiles: the garden calls it often)
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_generate_experiment_units', 'seed', 'int8', '11'),
  ('_generate_experiment_units', 'experiment', 'text', '''tv_holdout'''),
  ('_generate_experiment_units', 'channel', 'text', '''tv'''),
  ('_generate_experiment_units', 'campaign', 'text', 'NULL'),
  ('_generate_experiment_units', 'start_date', 'date', '(SELECT start_date FROM garden.xtruth)'),
  ('_generate_experiment_units', 'units', 'float8[]', 'ARRAY[2000::float8]'),
  ('_generate_experiment_units', 'profiles', 'int8', '0'),
  ('_generate_experiment_units', 'treatments', 'text[]', '(SELECT treatments FROM garden.xtruth)'),
  ('_generate_experiment_units', 'shares', 'float8[]', '(SELECT shares FROM garden.xtruth)'),
  ('_generate_experiment_units', 'open_rates', 'float8[]', '''{}'''),
  ('_generate_experiment_units', 'click_rates', 'float8[]', '''{}'''),
  ('_generate_experiment_units', 'order_rates', 'float8[]', '(SELECT order_rates FROM garden.xtruth)'),
  ('_generate_experiment_units', 'aov', 'float8', '(SELECT aov FROM garden.xtruth)');
