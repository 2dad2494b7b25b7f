-- mixmodel.refresh as a pg_cron job (doc/operations.md "With pg_cron"): tools/test preloads
-- pg_cron (jobs in background workers, job table in database postgres); a job scheduled
-- into this database runs once at the next minute and scores the new weeks of a scheduled model
SET client_min_messages = warning;
SELECT current_setting('shared_preload_libraries') ~ 'pg_cron' AS pg_cron_preloaded,
       current_setting('cron.use_background_workers') AS background_workers;
SELECT current_database() AS regress_db \gset
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('oc', seed => 12, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search']);
-- a model trained without the last 4 weeks, which then arrive
CREATE TABLE oc.later AS SELECT * FROM oc.weekly_wide WHERE week > '2025-01-06';
DELETE FROM oc.weekly_wide WHERE week > '2025-01-06';
SELECT mixmodel.create_model('oc_m', source => 'oc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 30}');
SELECT count(*) AS metric_rows FROM mixmodel.train('oc_m', seed => 1);
SELECT mixmodel.set_schedule('oc_m', score_every => 'daily');
INSERT INTO oc.weekly_wide SELECT * FROM oc.later;

\c postgres
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
SELECT cron.schedule_in_database('mixmodel refresh test', '* * * * *', 'SELECT count(*) FROM mixmodel.refresh()', :'regress_db') > 0 AS scheduled;
-- wait for one run (at most 75 s: the job starts at the next minute)
DO $$
BEGIN
    FOR i IN 1 .. 300 LOOP
        EXIT WHEN EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                           WHERE j.jobname = 'mixmodel refresh test' AND d.status IN ('succeeded', 'failed'));
        PERFORM pg_sleep(0.25);
    END LOOP;
END $$;
SELECT d.status, d.return_message, d.database = :'regress_db' AS in_regress_db
  FROM cron.job_run_details d JOIN cron.job j USING (jobid)
 WHERE j.jobname = 'mixmodel refresh test' ORDER BY d.start_time LIMIT 1;
SELECT cron.unschedule('mixmodel refresh test');
DROP EXTENSION pg_cron;
\c :regress_db
SET client_min_messages = warning;

-- what the job did: scored the 4 new weeks, checked drift, recorded it all
SELECT action, details->>'status' AS status, details->>'from_date' AS from_date, details->>'to_date' AS to_date
  FROM mixmodel.audit_log WHERE object_name = 'oc_m' AND action IN ('score', 'rescore') ORDER BY id;
SELECT count(DISTINCT period) AS scored_weeks FROM mixmodel.scores WHERE model = 'oc_m';
SELECT periods, from_date, to_date FROM mixmodel.drift_checks WHERE model = 'oc_m';
SELECT last_refresh_at IS NOT NULL AS refreshed, last_scored_at IS NOT NULL AS scored FROM mixmodel.schedules WHERE model = 'oc_m';

SELECT mixmodel.drop_model('oc_m');
DROP SCHEMA oc CASCADE;
