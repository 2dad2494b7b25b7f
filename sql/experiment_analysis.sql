-- experiment: analysis of experiments read in place (per-unit and per-day rows), stored experiments and views
\pset null '(null)'
SET client_min_messages = warning;
CREATE SCHEMA xa;
SELECT setseed(0.15);
-- 3 arms over 28 days, 1500 units a day: A 5%, B 6.5%, C 5%; revenue about 80 per conversion
CREATE TABLE xa.sends AS
SELECT i AS profile_id, (ARRAY['A', 'B', 'C'])[1 + (i % 3)] AS arm,
       timestamptz '2024-03-04 00:00+00' + (i / 1500) * interval '1 day' + (i % 1500) * interval '57 seconds' AS sent_at,
       NULL::int AS converted, NULL::float8 AS revenue
  FROM generate_series(0, 28 * 1500 - 1) i;
UPDATE xa.sends SET converted = (random() < CASE arm WHEN 'B' THEN 0.065 ELSE 0.05 END)::int;
UPDATE xa.sends SET revenue = CASE WHEN converted = 1 THEN round((80 * exp(0.3 * (random() - 0.5)))::numeric, 2) ELSE 0 END;
SELECT metric, arm, is_control, units, round(total::numeric, 2) AS total, round(mean::numeric, 5) AS mean, round(diff::numeric, 5) AS diff,
       round(p_value::numeric, 5) AS p_value, round(anytime_p::numeric, 5) AS anytime_p, significant,
       round(p_best::numeric, 4) AS p_best, round(expected_loss::numeric, 6) AS loss, first_significant, stayed_significant
  FROM mixmodel.analyze_experiment('xa.sends', 'arm', 'A', conversion_column => 'converted', value_column => 'revenue',
                                   time_column => 'sent_at');
SELECT day, metric, arm, units, round(diff::numeric, 4) AS diff, round(anytime_low::numeric, 4) AS lo,
       round(anytime_high::numeric, 4) AS hi, significant
  FROM mixmodel.experiment_sequence('xa.sends', 'arm', 'A', 'sent_at', conversion_column => 'converted')
 WHERE day IN ('2024-03-04', '2024-03-17', '2024-03-31') ORDER BY day, metric, arm;
-- the same data per day
CREATE TABLE xa.daily AS
SELECT (sent_at AT TIME ZONE 'UTC')::date AS day, arm, count(*) AS profiles, sum(converted) AS conversions,
       sum(revenue) AS revenue, sum(revenue ^ 2) AS revenue_sq
  FROM xa.sends GROUP BY 1, 2;
SELECT metric, arm, units, round(total::numeric, 2) AS total, round(mean::numeric, 5) AS mean, round(p_value::numeric, 5) AS p_value,
       round(anytime_p::numeric, 5) AS anytime_p, first_significant
  FROM mixmodel.analyze_experiment('xa.daily', 'arm', 'A', conversion_column => 'conversions', value_column => 'revenue',
                                   units_column => 'profiles', value_sq_column => 'revenue_sq', time_column => 'day');
SELECT mixmodel.create_experiment('subject', 'xa.sends', 'arm', 'A', conversion_column => 'converted',
       value_column => 'revenue', time_column => 'sent_at', options => '{"planned_split": {"A": 1, "B": 1, "C": 1}}');
SELECT experiment, metric, arm, round(lift::numeric, 4) AS lift FROM mixmodel.experiment_results WHERE experiment = 'subject' ORDER BY 1, 2, arm;
SELECT * FROM mixmodel.experiment_srm WHERE experiment = 'subject';
SELECT experiment, week, from_date, arm, units, conversions, round(p_best::numeric, 3) AS p_best, round(weight::numeric, 3) AS weight
  FROM mixmodel.bandit_weights WHERE experiment = 'subject' ORDER BY week, arm;
SELECT count(*), count(DISTINCT day) FROM mixmodel.experiment_daily WHERE experiment = 'subject';
-- a sample-ratio mismatch: a logging bug lost 5% of C's units
CREATE VIEW xa.lossy AS SELECT * FROM xa.sends WHERE NOT (arm = 'C' AND profile_id % 20 = 2);
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.analyze_experiment('xa.lossy', 'arm', 'A', conversion_column => 'converted',
       planned_split => '{"A": 1, "B": 1, "C": 1}');
SELECT count(*) FROM mixmodel.analyze_experiment('xa.sends', 'arm', 'A', conversion_column => 'converted',
       planned_split => '{"A": 1, "B": 1, "C": 1}');
-- timestamps make UTC days whatever the session's time zone
SET TimeZone = 'Pacific/Auckland';
SELECT min(day), max(day), count(DISTINCT day) FROM mixmodel.experiment_sequence('xa.sends', 'arm', 'A', 'sent_at', conversion_column => 'converted');
RESET TimeZone;
-- stored experiments: replace, and views that leave out a dropped source
SELECT mixmodel.create_experiment('lossy', 'xa.lossy', 'arm', 'A', conversion_column => 'converted',
       options => '{"planned_split": {"A": 1, "B": 1, "C": 1}}');
SELECT experiment, arm, units, round(observed_share::numeric, 4) AS observed_share, round(chi2::numeric, 2) AS chi2, mismatch
  FROM mixmodel.experiment_srm WHERE experiment = 'lossy' ORDER BY arm;
SELECT mixmodel.create_experiment('lossy', 'xa.lossy', 'arm', 'A', conversion_column => 'converted', replace => true);
SELECT count(*) FROM mixmodel.experiment_srm WHERE experiment = 'lossy';
SELECT count(*) FROM mixmodel.bandit_weights WHERE experiment = 'lossy';
DROP VIEW xa.lossy;
SELECT DISTINCT experiment FROM mixmodel.experiment_results WHERE experiment IN ('subject', 'lossy');
SELECT mixmodel.drop_experiment('lossy');

-- bad input: each from a working call with one argument made hostile
CREATE TABLE xa.bad AS SELECT * FROM xa.sends WHERE profile_id < 3000;
\set VERBOSITY sqlstate
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'Z', conversion_column => 'converted');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', NULL, conversion_column => 'converted');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'no_such_column', 'A', conversion_column => 'converted');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'no_such_column');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'arm');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', alpha => 1);
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', rho2 => -1);
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', filter => '{"arm": ["A"]}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', filter => '[1]');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', filter => '{"nope": 1}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', filter => '{"arm": "none"}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', filter => '{"arm": "A"}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', planned_split => '{"A": 1, "B": 1}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', planned_split => '{"A": 1, "B": 1, "C": 1, "D": 1}');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', planned_split => '{"A": 1, "B": 1, "C": 0}');
SELECT * FROM mixmodel.analyze_experiment('xa.daily', 'arm', 'A', conversion_column => 'conversions', value_column => 'revenue', units_column => 'profiles');
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted', time_column => 'arm');
UPDATE xa.bad SET arm = NULL WHERE profile_id = 7;
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'A', conversion_column => 'converted');
UPDATE xa.bad SET arm = 'B', sent_at = NULL WHERE profile_id = 7;
SELECT * FROM mixmodel.experiment_sequence('xa.bad', 'arm', 'A', 'sent_at', conversion_column => 'converted');
SELECT * FROM mixmodel.experiment_sequence('xa.bad', 'arm', 'A', NULL, conversion_column => 'converted');
-- pre-aggregated rows: negative units, more conversions than units, an arm without units
CREATE TABLE xa.daily_bad AS SELECT * FROM xa.daily;
UPDATE xa.daily_bad SET profiles = -1 WHERE arm = 'C' AND day = '2024-03-05';
SELECT * FROM mixmodel.analyze_experiment('xa.daily_bad', 'arm', 'A', conversion_column => 'conversions', units_column => 'profiles');
UPDATE xa.daily_bad SET profiles = 3, conversions = 4 WHERE arm = 'C' AND day = '2024-03-05';
SELECT * FROM mixmodel.analyze_experiment('xa.daily_bad', 'arm', 'A', conversion_column => 'conversions', units_column => 'profiles');
UPDATE xa.daily_bad SET profiles = 0, conversions = 0 WHERE arm = 'C';
SELECT * FROM mixmodel.analyze_experiment('xa.daily_bad', 'arm', 'A', conversion_column => 'conversions', units_column => 'profiles');
SELECT mixmodel.create_experiment('subject', 'xa.sends', 'arm', 'A', conversion_column => 'converted');
SELECT mixmodel.create_experiment('x2', 'xa.sends', 'arm', 'A', conversion_column => 'converted', options => '{"alpah": 0.1}');
SELECT mixmodel.create_experiment('x2', 'xa.sends', 'arm', 'A', conversion_column => 'converted', options => '{"alpha": 1.5}');
SELECT mixmodel.create_experiment('x2', 'xa.sends', 'arm', 'A', conversion_column => 'converted', options => '{"planned_split": {"A": -1}}');
SELECT mixmodel.create_experiment('x2', 'xa.sends', 'arm', 'A', conversion_column => 'converted', options => '{"draws": 0.5}');
SELECT mixmodel.create_experiment('x2', 'xa.sends', 'no_arm', 'A', conversion_column => 'converted');
SELECT mixmodel.create_experiment(NULL, 'xa.sends', 'arm', 'A', conversion_column => 'converted');
SELECT mixmodel.drop_experiment('no_such_experiment');
\set VERBOSITY default
SELECT * FROM mixmodel.analyze_experiment('xa.bad', 'arm', 'Z', conversion_column => 'converted');
SELECT mixmodel.drop_experiment('subject');
DROP SCHEMA xa CASCADE;
