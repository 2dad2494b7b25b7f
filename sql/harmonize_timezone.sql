-- harmonize: event days do not depend on the server's or session's time zone (issue 13,
-- defect 5: sync pinned TimeZone in its own session only and generated CAST(ts AS date), so
-- an executor that did not see the setting, such as a Citus worker, bucketed in its own
-- zone).  The generated SQL names the dataset's zone; time_zone is a dataset option.
-- In one transaction, rolled back.
SET client_min_messages = warning;
BEGIN;
CREATE SCHEMA tz;
-- events at 03:00 and 23:00 UTC around two days
CREATE TABLE tz.events (ts timestamptz, channel text);
INSERT INTO tz.events VALUES
    ('2024-01-01 03:00+00', 'search'), ('2024-01-01 23:00+00', 'search'), ('2024-01-01 23:30+00', 'search'),
    ('2024-01-02 03:00+00', 'search'), ('2024-01-02 23:00+00', 'search');
SELECT mixmodel.add_dataset_rule('tz_events', 'tz.events', category => 'event', date_column => 'ts',
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"clicks": {"op": "count"}}}');

-- the session's zone is 14 hours east of UTC: sync still buckets in UTC
SET LOCAL TimeZone = 'Pacific/Kiritimati';
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT period, clicks FROM mixmodel.harmonized WHERE dataset = 'tz_events' ORDER BY period;

-- the query sync runs gives the same days where sync's own TimeZone is not in force (here
-- run directly in the session, 14 hours east, as a worker in another zone would)
SELECT mixmodel.dataset_rule_sql('tz_events') AS rule_sql \gset
PREPARE tz_rule(text) AS :rule_sql;
CREATE TEMP TABLE elsewhere AS EXECUTE tz_rule('UTC');
SELECT e.period, e.clicks, e.clicks = h.clicks AS same_as_sync
  FROM elsewhere e LEFT JOIN mixmodel.harmonized h ON h.dataset = 'tz_events' AND h.period = e.period ORDER BY 1;
DEALLOCATE tz_rule;
SET LOCAL TimeZone = 'UTC';

-- a dataset in another zone: Los Angeles days (UTC - 8 in January)
SELECT mixmodel.update_dataset_rule('tz_events', time_zone => 'America/Los_Angeles');
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT period, clicks FROM mixmodel.harmonized WHERE dataset = 'tz_events' ORDER BY period;
SELECT time_zone FROM mixmodel.dataset_rules WHERE name = 'tz_events';
-- and again whatever the session's zone
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT period, clicks FROM mixmodel.harmonized WHERE dataset = 'tz_events' ORDER BY period;
SET LOCAL TimeZone = 'UTC';

-- timestamp (without time zone) values keep their date in any zone
CREATE TABLE tz.local (ts timestamp, channel text, spend float8);
INSERT INTO tz.local VALUES ('2024-01-01 23:30', 'tv', 10), ('2024-01-02 00:30', 'tv', 20);
SELECT mixmodel.add_dataset_rule('tz_local', 'tz.local', granularity => 'day', date_column => 'ts',
         time_zone => 'Asia/Tokyo', mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}');
SET LOCAL TimeZone = 'America/New_York';
SELECT count(*) AS datasets FROM mixmodel.sync();
SELECT period, spend FROM mixmodel.harmonized WHERE dataset = 'tz_local' ORDER BY period;
SET LOCAL TimeZone = 'UTC';

-- an unknown zone is refused when the rule is saved
\set VERBOSITY terse
SAVEPOINT s;
SELECT mixmodel.update_dataset_rule('tz_events', time_zone => 'Mars/Olympus_Mons');
ROLLBACK TO s;
SELECT mixmodel.add_dataset_rule('tz_bad', 'tz.events', category => 'event', date_column => 'ts', time_zone => NULL,
         mappings => '{"dimensions": {"channel": "channel"}, "metrics": {"clicks": {"op": "count"}}}');
ROLLBACK;
