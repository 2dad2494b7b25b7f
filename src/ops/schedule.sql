-- ops: schedules and mixmodel.refresh, the entry point for pg_cron (doc/operations.md)

CREATE TABLE mixmodel.schedules (
    model            text PRIMARY KEY REFERENCES mixmodel.models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    score_every      text CHECK (score_every IN ('daily', 'weekly', 'monthly')),
    train_every      text CHECK (train_every IN ('monthly', 'quarterly', 'yearly')),
    drift_threshold  float8 NOT NULL DEFAULT 1.5 CHECK (drift_threshold > 0 AND drift_threshold < 'Infinity'),
    drift_p          float8 NOT NULL DEFAULT 0.01 CHECK (drift_p > 0 AND drift_p < 1),
    retrain_on_drift boolean NOT NULL DEFAULT true,
    last_scored_at   timestamptz,
    last_refresh_at  timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mixmodel.schedules IS 'When mixmodel.refresh scores and retrains each model (Adobe Mix Modeler''s schedule: scoring daily, weekly or monthly; training monthly, quarterly or yearly) and its drift threshold.';
COMMENT ON COLUMN mixmodel.schedules.model IS 'A trained model.';
COMMENT ON COLUMN mixmodel.schedules.score_every IS 'daily, weekly or monthly: refresh scores the new periods when this much time passed since the last scoring (NULL: never).';
COMMENT ON COLUMN mixmodel.schedules.train_every IS 'monthly, quarterly or yearly: refresh retrains when this much time passed since the current run was trained (NULL: only on drift).';
COMMENT ON COLUMN mixmodel.schedules.drift_threshold IS 'Drift when the error ratio of recent periods (their RMSE / the run''s holdout RMSE) exceeds this (default 1.5).';
COMMENT ON COLUMN mixmodel.schedules.drift_p IS 'Drift when the residual test''s p-value is below this (default 0.01).';
COMMENT ON COLUMN mixmodel.schedules.retrain_on_drift IS 'Whether refresh retrains a model whose drift check says drifted.';
COMMENT ON COLUMN mixmodel.schedules.last_scored_at IS 'The `at` of the refresh that last scored the model.';
COMMENT ON COLUMN mixmodel.schedules.last_refresh_at IS 'The `at` of the last refresh of the model.';
COMMENT ON COLUMN mixmodel.schedules.updated_at IS 'When the schedule was last set.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.schedules', '');

CREATE FUNCTION mixmodel.set_schedule(model text, score_every text DEFAULT 'weekly', train_every text DEFAULT NULL,
        drift_threshold float8 DEFAULT 1.5, drift_p float8 DEFAULT 0.01, retrain_on_drift boolean DEFAULT true)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    existed boolean;
BEGIN
    m := mixmodel._lock_model(model);
    IF m.current_run IS NULL THEN
        RAISE EXCEPTION 'model "%" has not been trained', model USING ERRCODE = '55000',
            HINT = 'A schedule is set on a trained model: run mixmodel.train first.';
    END IF;
    IF score_every IS NOT NULL AND score_every NOT IN ('daily', 'weekly', 'monthly') THEN
        RAISE EXCEPTION 'score_every must be daily, weekly or monthly' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', score_every);
    END IF;
    IF train_every IS NOT NULL AND train_every NOT IN ('monthly', 'quarterly', 'yearly') THEN
        RAISE EXCEPTION 'train_every must be monthly, quarterly or yearly' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', train_every);
    END IF;
    IF NOT (drift_threshold > 0 AND drift_threshold < 'Infinity') THEN
        RAISE EXCEPTION 'drift_threshold must be a positive finite error ratio' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', drift_threshold);
    END IF;
    IF NOT (drift_p > 0 AND drift_p < 1) THEN
        RAISE EXCEPTION 'drift_p must be in the range (0, 1)' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', drift_p);
    END IF;
    IF retrain_on_drift IS NULL THEN
        RAISE EXCEPTION 'retrain_on_drift must not be NULL' USING ERRCODE = '22004';
    END IF;
    existed := EXISTS (SELECT 1 FROM mixmodel.schedules s WHERE s.model = set_schedule.model);
    INSERT INTO mixmodel.schedules AS s (model, score_every, train_every, drift_threshold, drift_p, retrain_on_drift)
    VALUES (model, score_every, train_every, drift_threshold, drift_p, retrain_on_drift)
    ON CONFLICT ON CONSTRAINT schedules_pkey DO UPDATE
       SET score_every = excluded.score_every, train_every = excluded.train_every,
           drift_threshold = excluded.drift_threshold, drift_p = excluded.drift_p,
           retrain_on_drift = excluded.retrain_on_drift, updated_at = now();
    PERFORM mixmodel._audit(CASE WHEN existed THEN 'update' ELSE 'create' END, 'schedule', model,
        jsonb_build_object('score_every', score_every, 'train_every', train_every, 'drift_threshold', drift_threshold,
                           'drift_p', drift_p, 'retrain_on_drift', retrain_on_drift));
    RETURN model;
END $$;
COMMENT ON FUNCTION mixmodel.set_schedule(text, text, text, float8, float8, boolean) IS 'Sets (or replaces) the schedule of a trained model that mixmodel.refresh follows: scoring every day, week or month, retraining every month, quarter or year (NULL: never), the drift threshold and p-level, and whether drift triggers a retraining. Audited.';

CREATE FUNCTION mixmodel.drop_schedule(model text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    DELETE FROM mixmodel.schedules s WHERE s.model = drop_schedule.model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" has no schedule', model USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._audit('delete', 'schedule', model, '{}');
    RETURN model;
END $$;
COMMENT ON FUNCTION mixmodel.drop_schedule(text) IS 'Removes a model''s schedule (refresh leaves the model alone). Audited.';

-- the day (UTC) a frequency after day d: due when the refresh's day reaches it
CREATE FUNCTION mixmodel._next_due(d timestamptz, every text)
    RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN ((d AT TIME ZONE 'UTC')::date + CASE every WHEN 'daily' THEN interval '1 day' WHEN 'weekly' THEN interval '7 days'
                                                       WHEN 'monthly' THEN interval '1 month' WHEN 'quarterly' THEN interval '3 months'
                                                       WHEN 'yearly' THEN interval '1 year' END)::date;
COMMENT ON FUNCTION mixmodel._next_due(timestamptz, text) IS 'Internal: the UTC day one frequency (daily, weekly, monthly, quarterly, yearly) after the UTC day of d; NULL for d or every NULL.';

-- the last period of a model's data (the wide table's dates, or the conversion's series)
CREATE FUNCTION mixmodel._model_data_end(model text)
    RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    d date;
BEGIN
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    IF m.source_kind = 'wide' THEN
        EXECUTE format('SELECT pg_catalog.max(%I)::date FROM %s', m.definition->>'date_column', m.source) INTO d;
    ELSE
        SELECT max(s.period) INTO d FROM mixmodel.conversion_series(m.definition->>'conversion') s;
    END IF;
    RETURN d;
END $$;
COMMENT ON FUNCTION mixmodel._model_data_end(text) IS 'Internal: the last period of a model''s data (NULL when none or the model does not exist).';

CREATE FUNCTION mixmodel.refresh(model_name text DEFAULT NULL, at timestamptz DEFAULT NULL, sync boolean DEFAULT true)
    RETURNS TABLE (model text, action text, status text, detail text)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 10
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    now_at timestamptz := coalesce(at, now());
    only_model text := model_name;
    s mixmodel.schedules;
    m mixmodel.models;
    r mixmodel.runs;
    last_scored timestamptz;
    d_from date; d_to date;
    dr record;
    drifted boolean;
    why text;
    n bigint;
BEGIN
    IF sync IS NULL THEN
        RAISE EXCEPTION 'sync must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF only_model IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mixmodel.schedules x WHERE x.model = only_model) THEN
        IF NOT EXISTS (SELECT 1 FROM mixmodel.models x WHERE x.name = only_model) THEN
            RAISE EXCEPTION 'model "%" does not exist', only_model USING ERRCODE = '42704';
        END IF;
        RAISE EXCEPTION 'model "%" has no schedule', only_model USING ERRCODE = '55000',
            HINT = 'Give it one with mixmodel.set_schedule.';
    END IF;
    -- one refresh at a time: a second one (a slow job overlapping the next tick) does nothing
    IF NOT pg_try_advisory_xact_lock(hashtext('mixmodel.refresh'), 0) THEN
        RETURN QUERY SELECT NULL::text, 'refresh', 'skipped', 'another refresh is running';
        RETURN;
    END IF;

    -- new data first: an incremental sync when a scheduled model reads harmonized data
    IF sync AND EXISTS (SELECT 1 FROM mixmodel.schedules x JOIN mixmodel.models y ON y.name = x.model
                         WHERE y.source_kind = 'harmonized' AND (only_model IS NULL OR x.model = only_model))
           AND EXISTS (SELECT 1 FROM mixmodel.dataset_rules x WHERE x.status = 'active') THEN
        BEGIN
            SELECT sum(q.rows_written) INTO n FROM mixmodel.sync('incremental') q;
            RETURN QUERY SELECT NULL::text, 'sync', 'succeeded', format('%s rows written', coalesce(n, 0));
        EXCEPTION WHEN OTHERS THEN
            RETURN QUERY SELECT NULL::text, 'sync', 'failed', format('%s: %s', SQLSTATE, SQLERRM);
        END;
    END IF;

    FOR s IN SELECT * FROM mixmodel.schedules x WHERE only_model IS NULL OR x.model = only_model ORDER BY x.model LOOP
        SELECT * INTO m FROM mixmodel.models x WHERE x.name = s.model;
        IF m.current_run IS NULL THEN
            RETURN QUERY SELECT s.model, 'score', 'skipped', 'never trained';
            CONTINUE;
        END IF;
        SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = m.current_run;

        -- score the periods after the last scored one (or the training window), when due
        last_scored := greatest(s.last_scored_at,
                                (SELECT max(x.scored_at) FROM mixmodel.scores x WHERE x.model = m.name AND x.run = r.run));
        IF s.score_every IS NOT NULL AND (last_scored IS NULL
               OR (now_at AT TIME ZONE 'UTC')::date >= mixmodel._next_due(last_scored, s.score_every)) THEN
            d_from := greatest(r.to_date, (SELECT max(x.period) FROM mixmodel.scores x WHERE x.model = m.name AND x.run = r.run)) + 1;
            d_to := mixmodel._model_data_end(m.name);
            IF d_to IS NULL OR d_to < d_from THEN
                RETURN QUERY SELECT s.model, 'score', 'skipped', format('no new periods after %s', to_char(d_from - 1, 'YYYY-MM-DD'));
            ELSE
                BEGIN
                    PERFORM mixmodel.score(m.name, d_from, d_to);
                    UPDATE mixmodel.schedules x SET last_scored_at = now_at WHERE x.model = s.model;
                    RETURN QUERY SELECT s.model, 'score', 'succeeded',
                        format('run %s, %s to %s', r.run, to_char(d_from, 'YYYY-MM-DD'), to_char(d_to, 'YYYY-MM-DD'));
                EXCEPTION WHEN OTHERS THEN
                    RETURN QUERY SELECT s.model, 'score', 'failed', format('%s: %s', SQLSTATE, SQLERRM);
                END;
            END IF;
        END IF;

        -- drift of the current run on the scored periods that have an actual KPI
        drifted := NULL;
        IF EXISTS (SELECT 1 FROM mixmodel.scores x WHERE x.model = m.name AND x.run = r.run AND x.period > r.to_date) THEN
            BEGIN
                SELECT * INTO dr FROM mixmodel.check_drift(m.name);
                drifted := dr.drifted;
                RETURN QUERY SELECT s.model, 'drift_check', 'succeeded',
                    format('error ratio %s (threshold %s), p %s over %s periods: %s', round(dr.error_ratio::numeric, 3),
                           s.drift_threshold, round(dr.p_value::numeric, 4), dr.periods,
                           CASE WHEN dr.drifted THEN 'drifted' WHEN NOT dr.drifted THEN 'no drift' ELSE 'too few periods' END);
            EXCEPTION WHEN OTHERS THEN
                RETURN QUERY SELECT s.model, 'drift_check', CASE WHEN SQLSTATE = '22000' THEN 'skipped' ELSE 'failed' END,
                    format('%s: %s', SQLSTATE, SQLERRM);
            END;
        END IF;

        -- retrain when due, or on drift
        why := CASE WHEN s.train_every IS NOT NULL
                         AND (now_at AT TIME ZONE 'UTC')::date >= mixmodel._next_due(r.started_at, s.train_every) THEN 'due'
                    WHEN s.retrain_on_drift AND drifted THEN 'drift' END;
        IF why IS NOT NULL THEN
            BEGIN
                SELECT max(t.run) INTO n FROM mixmodel.train(m.name) t;
                RETURN QUERY SELECT s.model, 'retrain', 'succeeded', format('run %s (%s)', n, why);
            EXCEPTION WHEN OTHERS THEN
                RETURN QUERY SELECT s.model, 'retrain', 'failed', format('%s: %s (%s)', SQLSTATE, SQLERRM, why);
            END;
        END IF;
        UPDATE mixmodel.schedules x SET last_refresh_at = now_at WHERE x.model = s.model;
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel.refresh(text, timestamptz, boolean) IS 'The scheduled job (for pg_cron): an incremental sync when a scheduled model reads harmonized data, then for every scheduled model (or the one model_name names) score the periods after the last scored one when scoring is due, check drift on the scored periods with an actual KPI, and retrain when training is due or drift was detected (retrain_on_drift). Each step''s failure is reported and recorded, and the next step and model go on. at (default now()) is the time due dates are judged at. Returns one row per step: model, action (sync, score, drift_check, retrain), status (succeeded, failed, skipped) and detail.';
