-- experiment: the generator's experiments with known true rates (doc/generator.md "Experiments"), analysed
\pset null '(null)'
SET client_min_messages = warning;
SELECT * FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 104, events => 50000);
SELECT experiment, kind, channel, treatment, control, round(share::numeric, 4) AS share, start_date, end_date,
       round(open_rate::numeric, 4) AS open_rate, round(click_rate::numeric, 4) AS click_rate,
       round(conversion_rate::numeric, 4) AS conversion_rate, round(revenue_per_unit::numeric, 4) AS revenue_per_unit,
       round(rate_lift::numeric, 4) AS rate_lift, round(incremental_revenue::numeric, 2) AS incremental_revenue
  FROM xg.experiment_truth ORDER BY experiment, treatment;
-- the lift study's true incremental revenue is the channel's true contribution over its weeks
SELECT abs(t.incremental_revenue - (SELECT sum(c.contribution) FROM xg.truth_contributions c
                                     WHERE c.term = t.channel AND c.week BETWEEN t.start_date AND t.end_date)) < 1e-6 AS lift_is_contribution
  FROM xg.experiment_truth t WHERE t.kind = 'holdout' AND NOT t.control;
-- the content experiment covers the channel's sends of the last 28 days, one profile each
SELECT (SELECT count(*) FROM xg.experiment_assignments WHERE experiment = 'email_subject_line') =
       (SELECT sum(sends) FROM xg.sends WHERE channel = 'email' AND send_date >= '2024-12-02') AS every_send,
       (SELECT count(DISTINCT profile_id) = count(*) FROM xg.experiment_assignments WHERE experiment = 'email_subject_line') AS one_unit_per_profile,
       (SELECT count(*) FROM xg.experiment_assignments WHERE experiment = 'email_subject_line'
           AND (assigned_at AT TIME ZONE 'UTC')::date NOT BETWEEN '2024-12-02' AND '2024-12-29') AS outside_the_window;
-- observed against true rates: within 4 standard errors
SELECT a.experiment, a.treatment, count(*) AS units,
       abs(avg(a.converted) - t.conversion_rate) < 4 * sqrt(t.conversion_rate * (1 - t.conversion_rate) / count(*)) AS rate_ok,
       t.open_rate IS NULL OR abs(avg(a.opened) - t.open_rate) < 4 * sqrt(t.open_rate * (1 - t.open_rate) / count(*)) AS open_ok
  FROM xg.experiment_assignments a JOIN xg.experiment_truth t USING (experiment, treatment)
 GROUP BY a.experiment, a.treatment, t.conversion_rate, t.open_rate ORDER BY 1, 2;
-- the analysis finds B, the arm with the highest true rate
SELECT metric, arm, units, round(mean::numeric, 5) AS mean, round(lift::numeric, 3) AS lift,
       round(anytime_p::numeric, 4) AS anytime_p, significant, round(p_best::numeric, 4) AS p_best,
       first_significant, stayed_significant
  FROM mixmodel.analyze_experiment('xg.experiment_assignments', 'treatment', 'A', conversion_column => 'converted',
       value_column => 'revenue', time_column => 'assigned_at', filter => '{"experiment": "email_subject_line"}',
       planned_split => '{"A": 1, "B": 1, "C": 1}');
-- the lift study's estimate, (exposed - holdout) x exposed units, against its truth
SELECT round(v.diff * v.units) AS lift_abs, round(v.se * v.units) AS lift_se,
       round(((v.diff * v.units - t.incremental_revenue) / (v.se * v.units))::numeric, 2) AS z_against_truth
  FROM mixmodel.analyze_experiment('xg.experiment_assignments', 'treatment', 'holdout', value_column => 'revenue',
         filter => '{"experiment": "tv_holdout"}') v,
       xg.experiment_truth t
 WHERE NOT v.is_control AND t.experiment = 'tv_holdout' AND NOT t.control;
-- the same seed gives the same units; the experiments draw from streams of their own
CREATE TABLE xg.hash AS
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.experiment, e.profile_id)) FROM xg.experiment_assignments e) AS units,
       (SELECT md5(string_agg(w::text, '|' ORDER BY w.week)) FROM xg.weekly_wide w) AS wide;
SELECT table_name, row_count FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 104, events => 50000,
       options => '{"replace": true}') WHERE table_name LIKE 'experiment%';
SELECT h.units = (SELECT md5(string_agg(e::text, '|' ORDER BY e.experiment, e.profile_id)) FROM xg.experiment_assignments e) AS same_units
  FROM xg.hash h;
CREATE TABLE xg_hash AS SELECT * FROM xg.hash;
SELECT table_name, row_count FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 104, events => 50000,
       options => '{"replace": true, "experiments": false}') WHERE table_name LIKE 'experiment%';
SELECT h.wide = (SELECT md5(string_agg(w::text, '|' ORDER BY w.week)) FROM xg.weekly_wide w) AS other_tables_unchanged
  FROM xg_hash h;
SELECT table_name, row_count FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 60, events => 5000,
       channels => ARRAY['search', 'social'], options => '{"replace": true, "lift_channel": "social"}')
 WHERE table_name LIKE 'experiment%';
SELECT DISTINCT experiment, kind, channel FROM xg.experiment_truth;
\set VERBOSITY sqlstate
SELECT count(*) FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 60, events => 5000,
       channels => ARRAY['search', 'email'], options => '{"replace": true, "lift_channel": "email"}');
SELECT count(*) FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 60, events => 5000,
       channels => ARRAY['search', 'email'], options => '{"replace": true, "lift_channel": 1}');
SELECT count(*) FROM mixmodel.generate_raw_data('xg', seed => 42, weeks => 60, events => 5000,
       channels => ARRAY['search', 'email'], options => '{"replace": true, "experiments": "yes"}');
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.6], '{}', '{}', ARRAY[0.1, 0.1], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], ARRAY[0.2], ARRAY[0.1], ARRAY[0.1, 0.1], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[1e8], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], '{}', '{}', ARRAY[0.1, 0.1], 80);
-- an order rate of 1e308 drew that many orders' revenues, ignoring cancel and terminate (garden)
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], '{}', '{}', ARRAY[0.1, 1e308], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[10.5], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], '{}', '{}', ARRAY[0.1, 0.1], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, 'infinity', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], '{}', '{}', ARRAY[0.1, 0.1], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, NULL, 'email', NULL, '2024-01-01', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], '{}', '{}', ARRAY[0.1, 0.1], 80);
SELECT count(*) FROM mixmodel._generate_experiment_units(1, 'x', 'email', NULL, '2024-01-01', ARRAY[10], 0,
       ARRAY['A', 'B'], ARRAY[0.5, 0.5], ARRAY[0.2, 1.2], ARRAY[0.1, 0.1], ARRAY[0.1, 0.1], 80);
\set VERBOSITY default
DROP TABLE xg_hash;
DROP SCHEMA xg CASCADE;
