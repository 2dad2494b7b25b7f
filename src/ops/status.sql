-- ops: the model list with status (doc/operations.md)

CREATE VIEW mixmodel.model_status WITH (security_invoker = true) AS
SELECT m.name AS model, m.description, m.source_kind,
       coalesce(m.definition->>'conversion', m.definition->>'kpi') AS conversion,
       CASE WHEN tl.pid IS NOT NULL THEN 'training'
            WHEN la.details->>'status' = 'failed' THEN 'failed'
            WHEN m.current_run IS NOT NULL THEN 'succeeded'
            ELSE 'never trained' END AS status,
       m.current_run,
       (SELECT count(*) FROM mixmodel.runs r WHERE r.model = m.name) AS runs,
       (SELECT r.started_at FROM mixmodel.runs r WHERE r.model = m.name AND r.run = m.current_run) AS trained_at,
       la.at AS last_attempt_at,
       CASE WHEN la.details->>'status' = 'failed' THEN la.details->>'sqlstate' END AS failure_sqlstate,
       CASE WHEN la.details->>'status' = 'failed' THEN la.details->>'message' END AS failure_message,
       tl.since AS training_since,
       (SELECT max(s.scored_at) FROM mixmodel.scores s WHERE s.model = m.name AND s.run = m.current_run) AS last_scored_at,
       sch.score_every, sch.train_every,
       dr.drifted,
       m.created_at
  FROM mixmodel.models m
  -- the last training attempt: a success (written with its run) or a failure (written on its own)
  LEFT JOIN LATERAL (SELECT a.at, a.details FROM mixmodel.audit_log a
                      WHERE a.object_type = 'model' AND (a.details->>'model_id')::bigint = m.id
                        AND a.action IN ('train', 'retrain')
                      ORDER BY (a.details->>'model_id')::bigint, a.id DESC LIMIT 1) la ON true
  -- a training running in another session holds the model's training lock
  LEFT JOIN LATERAL (SELECT l.pid, act.xact_start AS since
                       FROM mixmodel._training_lock_key(m.name) k
                       JOIN pg_catalog.pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                                                 AND l.classid = k.key1::pg_catalog.oid AND l.objid = k.key2::pg_catalog.oid
                                                 AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                                                                    WHERE d.datname = pg_catalog.current_database())
                       LEFT JOIN pg_catalog.pg_stat_activity act ON act.pid = l.pid
                      WHERE l.pid <> pg_catalog.pg_backend_pid() LIMIT 1) tl ON true
  LEFT JOIN mixmodel.schedules sch ON sch.model = m.name
  LEFT JOIN mixmodel.model_drift dr ON dr.model = m.name;
COMMENT ON VIEW mixmodel.model_status IS 'Every model with its status (never trained, training, succeeded, failed), current run, the last training attempt and, when it failed, its SQLSTATE and message (recorded by a path that survives the failed transaction''s rollback), last scoring, schedule and drift.';
COMMENT ON COLUMN mixmodel.model_status.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_status.description IS 'models.description (set_model_description)';
COMMENT ON COLUMN mixmodel.model_status.source_kind IS 'wide (a weekly table) or harmonized';
COMMENT ON COLUMN mixmodel.model_status.conversion IS 'the conversion (harmonized model) or KPI column (wide table) the model explains';
COMMENT ON COLUMN mixmodel.model_status.status IS 'training (a training runs in another session), failed (the last training attempt failed; the current run, if any, stays in use), succeeded, or never trained';
COMMENT ON COLUMN mixmodel.model_status.current_run IS 'the run scoring and planning use (NULL: never trained)';
COMMENT ON COLUMN mixmodel.model_status.runs IS 'stored runs of the model';
COMMENT ON COLUMN mixmodel.model_status.trained_at IS 'when the current run was trained';
COMMENT ON COLUMN mixmodel.model_status.last_attempt_at IS 'when the last training attempt (train or retrain, succeeded or failed) ended, from audit_log';
COMMENT ON COLUMN mixmodel.model_status.failure_sqlstate IS 'SQLSTATE of the last training attempt when it failed';
COMMENT ON COLUMN mixmodel.model_status.failure_message IS 'error message of the last training attempt when it failed';
COMMENT ON COLUMN mixmodel.model_status.training_since IS 'start of the transaction of the training in progress (NULL when none, or when pg_stat_activity does not show it to you)';
COMMENT ON COLUMN mixmodel.model_status.last_scored_at IS 'when a period of the current run was last scored (mixmodel.score)';
COMMENT ON COLUMN mixmodel.model_status.score_every IS 'scoring frequency of the model''s schedule (daily, weekly, monthly; NULL: none)';
COMMENT ON COLUMN mixmodel.model_status.train_every IS 'retraining frequency of the model''s schedule (monthly, quarterly, yearly; NULL: none)';
COMMENT ON COLUMN mixmodel.model_status.drifted IS 'the latest drift check of the current run (model_drift): true when drift was detected, NULL when never checked or too few periods';
COMMENT ON COLUMN mixmodel.model_status.created_at IS 'when the model was created';
