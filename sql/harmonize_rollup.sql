-- harmonize: roll-ups checked against independently computed sums
-- (daily -> weekly for every week start, weekly + daily -> monthly), restatements,
-- mixed grains, failed syncs, incremental syncs, dropped datasets.  Float sums are exact
-- (mixmodel.exact_sum: the sum of the float8 values rounded once), so the checks compare exactly.
SET client_min_messages = warning;
CREATE SCHEMA hz;

-- 70 days from Monday 2024-01-01, two channels, two geos; spend has cents
CREATE TABLE hz.daily (day date, channel text, campaign text, geo text, spend float8,
                       clicks bigint, loaded_at timestamptz);
INSERT INTO hz.daily
SELECT DATE '2024-01-01' + i, ch, ch || '_c' || (1 + i % 2), g,
       round(((i * 37 + length(ch) * 11 + length(g)) % 101 + 0.37)::numeric, 2)::float8,
       (i * 13 + length(ch)) % 50, TIMESTAMPTZ '2024-01-02 06:00+00' + i * interval '1 day'
  FROM generate_series(0, 69) i, unnest(ARRAY['search', 'social']) ch, unnest(ARRAY['north', 'south']) g;

SELECT mixmodel.add_dataset_rule('daily', 'hz.daily', category => 'summary', granularity => 'day',
         date_column => 'day', mappings => '{"dimensions": {"channel": {"column": "channel"}, "geo": {"column": "geo"}},
                                             "metrics": {"spend": {"op": "sum", "column": "spend"},
                                                         "clicks": {"op": "sum", "column": "clicks"}}}');
SELECT dataset, granularity, grain, rows_read, rows_written, status FROM mixmodel.sync();

-- daily grain: harmonized equals the source, row for row
SELECT count(*) AS rows, mixmodel.exact_sum(spend) = (SELECT mixmodel.exact_sum(spend) FROM hz.daily) AS spend_equal
  FROM mixmodel.harmonized;

-- a weekly dataset makes the grain weekly; try every week start of the daily dataset
CREATE TABLE hz.tv (week date, spend float8, grps float8);
INSERT INTO hz.tv SELECT DATE '2024-01-01' + 7 * w, 1000 + 10 * w, 50 + w FROM generate_series(0, 9) w;
SELECT mixmodel.add_dataset_rule('tv', 'hz.tv', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": {"value": "tv"}},
                       "metrics": {"spend": {"column": "spend"}, "grps": {"column": "grps"}}}');
CREATE TEMP TABLE week_check (week_start text, groups bigint, mismatches bigint, first_period date);
DO $$
DECLARE
    ws text;
    isodow int := 0;
BEGIN
    FOREACH ws IN ARRAY ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] LOOP
        isodow := isodow + 1;
        PERFORM mixmodel.update_dataset_rule('daily', week_start => ws);
        PERFORM * FROM mixmodel.sync();
        -- independent: step back from the ISO day of week to the week-start day
        INSERT INTO week_check
        SELECT ws, count(*), count(*) FILTER (WHERE h.spend IS DISTINCT FROM e.spend OR h.clicks IS DISTINCT FROM e.clicks),
               min(coalesce(h.period, e.period))
          FROM (SELECT period, channel, geo, spend, clicks FROM mixmodel.harmonized WHERE dataset = 'daily') h
          FULL JOIN (SELECT day - (extract(isodow FROM day)::int - isodow + 7) % 7 AS period, channel, geo,
                            mixmodel.exact_sum(spend) AS spend, sum(clicks)::float8 AS clicks
                       FROM hz.daily GROUP BY 1, 2, 3) e
            ON (h.period, h.channel, h.geo) = (e.period, e.channel, e.geo);
    END LOOP;
END $$;
SELECT * FROM week_check ORDER BY first_period;
-- sync's weeks are the transform stage's mixmodel.period_start weeks
SELECT ws, count(*) FILTER (WHERE mixmodel.period_start(day, 'week', ws) <> day - (extract(isodow FROM day)::int - i::int + 7) % 7) AS differ
  FROM unnest(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']) WITH ORDINALITY w(ws, i),
       (SELECT DISTINCT day FROM hz.daily) d
 GROUP BY ws, i ORDER BY i;
SELECT DISTINCT date_type FROM mixmodel.harmonized;
-- the weekly dataset keeps its own dates
SELECT period, channel, spend, grps FROM mixmodel.harmonized WHERE dataset = 'tv' ORDER BY period LIMIT 3;

-- weekly and daily both roll up to months when a monthly dataset is active
CREATE TABLE hz.brand_survey (month date, awareness float8);
INSERT INTO hz.brand_survey VALUES ('2024-01-01', 0.31), ('2024-02-01', 0.35), ('2024-03-01', 0.33);
SELECT mixmodel.add_dataset_rule('survey', 'hz.brand_survey', category => 'factor', granularity => 'month',
         date_column => 'month', factor_operator => 'avg',
         mappings => '{"dimensions": {"factor_name": {"value": "awareness"}, "factor_type": {"value": "external"}},
                       "metrics": {"factor_value": {"column": "awareness"}}}');
SELECT dataset, granularity, grain, rows_read, rows_written FROM mixmodel.sync() ORDER BY dataset;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE h.spend IS DISTINCT FROM e.spend) AS mismatches
  FROM (SELECT period, dataset, channel, geo, spend FROM mixmodel.harmonized WHERE dataset IN ('daily', 'tv')) h
  FULL JOIN (SELECT date_trunc('month', day)::date AS period, 'daily' AS dataset, channel, geo, mixmodel.exact_sum(spend) AS spend
               FROM hz.daily GROUP BY 1, 3, 4
             UNION ALL
             SELECT date_trunc('month', week)::date, 'tv', 'tv', NULL, sum(spend) FROM hz.tv GROUP BY 1) e
    ON (h.period, h.dataset, h.channel) = (e.period, e.dataset, e.channel) AND h.geo IS NOT DISTINCT FROM e.geo;
SELECT period, factor_name, factor_type, value_type, factor_value FROM mixmodel.harmonized
 WHERE category = 'factor' ORDER BY period;
SELECT * FROM mixmodel.factor_series('awareness', 'month');
SELECT * FROM mixmodel.factor_series('awareness', 'week');   -- finer than the data: error
SELECT mixmodel.delete_dataset_rule('survey');

-- mixed grains: a weekly dataset with a date that is not a week start
INSERT INTO hz.tv VALUES ('2024-03-13', 5, 1);
SELECT * FROM mixmodel.sync();
DELETE FROM hz.tv WHERE week = '2024-03-13';
-- a weekly dataset whose weeks start on Sunday accepts Sundays only
SELECT mixmodel.update_dataset_rule('tv', week_start => 'sunday');
SELECT * FROM mixmodel.sync();
SELECT mixmodel.update_dataset_rule('tv', week_start => 'monday');

-- restatement: the publisher reloads some days later with corrected values
CREATE TABLE hz.social (day date, campaign text, spend float8, loaded_at timestamptz);
INSERT INTO hz.social
SELECT DATE '2024-01-01' + i, 's' || (i % 2), 100 + i, TIMESTAMPTZ '2024-01-02' + i * interval '1 day'
  FROM generate_series(0, 20) i;
INSERT INTO hz.social                       -- restated rows: days 3, 4, 10 corrected, day 4 twice
SELECT day, campaign, spend * 1.5, loaded_at + interval '7 days' FROM hz.social WHERE day IN ('2024-01-04', '2024-01-05', '2024-01-11');
INSERT INTO hz.social
SELECT day, campaign, spend / 1.5 + 1, loaded_at + interval '9 days' FROM hz.social
 WHERE day = '2024-01-05' AND loaded_at > '2024-01-10';
SELECT mixmodel.add_dataset_rule('social', 'hz.social', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at',
         mappings => '{"dimensions": {"channel": {"value": "social"}, "campaign": {"column": "campaign"}},
                       "metrics": {"spend": {"column": "spend"}}}');
SELECT dataset, rows_read, rows_written FROM mixmodel.sync() WHERE dataset = 'social';
-- replace: the latest load of each (day, campaign) wins
SELECT count(*) AS groups, count(*) FILTER (WHERE h.spend IS DISTINCT FROM e.spend) AS mismatches
  FROM (SELECT period, campaign, spend FROM mixmodel.harmonized WHERE dataset = 'social') h
  FULL JOIN (SELECT day - (extract(isodow FROM day)::int - 1) AS period, campaign, mixmodel.exact_sum(spend) AS spend
               FROM (SELECT DISTINCT ON (day, campaign) * FROM hz.social ORDER BY day, campaign, loaded_at DESC) l
              GROUP BY 1, 2) e
    ON (h.period, h.campaign) = (e.period, e.campaign);
SELECT period, campaign, spend, last_updated_date FROM mixmodel.harmonized WHERE dataset = 'social' ORDER BY 1, 2;
-- aggregate: restated rows are deltas that add up
SELECT mixmodel.update_dataset_rule('social', restatement => 'aggregate');
SELECT dataset, rows_read, rows_written FROM mixmodel.sync() WHERE dataset = 'social';
SELECT count(*) FILTER (WHERE h.spend IS DISTINCT FROM e.spend) AS mismatches
  FROM (SELECT period, campaign, spend FROM mixmodel.harmonized WHERE dataset = 'social') h
  FULL JOIN (SELECT day - (extract(isodow FROM day)::int - 1) AS period, campaign, mixmodel.exact_sum(spend) AS spend
               FROM hz.social GROUP BY 1, 2) e
    ON (h.period, h.campaign) = (e.period, e.campaign);
-- replace with two rows of one key and one load time: 23505
SELECT mixmodel.update_dataset_rule('social', restatement => 'replace');
INSERT INTO hz.social VALUES ('2024-01-02', 's1', 7, '2024-01-03');
SELECT * FROM mixmodel.sync();
DELETE FROM hz.social WHERE spend = 7;

-- a failed sync leaves the previous harmonized data: the last dataset (by name) fails midway
SELECT * FROM mixmodel.sync() ORDER BY dataset;
CREATE TEMP TABLE before AS SELECT * FROM mixmodel.harmonized;
CREATE TABLE hz.zz_late (day date, channel text, spend float8);
INSERT INTO hz.zz_late VALUES ('2024-01-01', 'radio', 1), (NULL, 'radio', 2);
SELECT mixmodel.add_dataset_rule('zz_late', 'hz.zz_late', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"channel": {"column": "channel"}}, "metrics": {"spend": {"column": "spend"}}}');
UPDATE hz.daily SET spend = spend + 1000;   -- would change the first dataset
SELECT * FROM mixmodel.sync();
SELECT (SELECT count(*) FROM mixmodel.harmonized) AS rows_now, (SELECT count(*) FROM before) AS rows_before,
       NOT EXISTS (SELECT * FROM mixmodel.harmonized EXCEPT SELECT * FROM before) AS unchanged;
UPDATE hz.daily SET spend = spend - 1000;
SELECT mixmodel.delete_dataset_rule('zz_late');

-- incremental: only periods with new loads are recomputed, and the result equals a full sync
SELECT mixmodel.update_dataset_rule('daily', week_start => 'monday', loaded_at_column => 'loaded_at');
SELECT dataset, sync_mode, rows_read, status FROM mixmodel.sync() ORDER BY dataset;
INSERT INTO hz.daily                         -- one more week, plus a late day of the last known week
SELECT DATE '2024-03-11' + i, 'search', 'search_c1', 'north', 10 + i, 1, TIMESTAMPTZ '2024-04-01' + i * interval '1 hour'
  FROM generate_series(-1, 6) i;
SELECT dataset, sync_mode, rows_read, rows_written, status FROM mixmodel.sync('incremental') ORDER BY dataset;
CREATE TEMP TABLE incr AS SELECT * FROM mixmodel.harmonized;
SELECT dataset, sync_mode FROM mixmodel.sync('full') ORDER BY dataset;
SELECT (SELECT count(*) FROM incr) AS rows,
       NOT EXISTS (SELECT * FROM incr EXCEPT SELECT * FROM mixmodel.harmonized)
       AND NOT EXISTS (SELECT * FROM mixmodel.harmonized EXCEPT SELECT * FROM incr) AS incremental_equals_full;
-- nothing new: unchanged
SELECT dataset, sync_mode, status FROM mixmodel.sync('incremental') WHERE dataset = 'daily';
-- a load that overlaps the last one (a row stamped before the high-water mark)
INSERT INTO hz.daily VALUES ('2024-01-03', 'search', 'x', 'north', 1, 1, '2024-01-10');
SELECT * FROM mixmodel.sync('incremental');
DELETE FROM hz.daily WHERE campaign = 'x';

-- same data, same rows: two full syncs give identical harmonized data
CREATE TEMP TABLE first AS SELECT * FROM mixmodel.harmonized;
SELECT count(*) FROM mixmodel.sync();
SELECT NOT EXISTS (SELECT * FROM first EXCEPT SELECT * FROM mixmodel.harmonized) AS deterministic;

-- a dropped source table drops out (the rule stays, flagged); a deleted rule drops out
DROP TABLE hz.tv;
SELECT dataset, rows_read, status FROM mixmodel.sync() ORDER BY dataset;
SELECT name, source_missing FROM mixmodel.dataset_rules ORDER BY name;
SELECT DISTINCT dataset FROM mixmodel.harmonized ORDER BY 1;
SELECT mixmodel.delete_dataset_rule('social');
SELECT dataset FROM mixmodel.sync() ORDER BY dataset;
SELECT DISTINCT dataset FROM mixmodel.harmonized ORDER BY 1;
SELECT action, object_type, object_name FROM mixmodel.audit_log WHERE object_type = 'harmonized' LIMIT 1;

-- clean up for the next test file
SELECT mixmodel.delete_dataset_rule(name) FROM mixmodel.dataset_rules ORDER BY name;
SELECT count(*) FROM mixmodel.sync();
DROP SCHEMA hz CASCADE;
