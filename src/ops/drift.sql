-- ops: drift of a trained model on the periods scored after its training window (doc/operations.md)

CREATE FUNCTION mixmodel._drift_core(train_residuals float8[], recent_residuals float8[], reference_rmse float8,
        OUT periods integer, OUT rmse float8, OUT error_ratio float8, OUT mean_residual float8, OUT sigma float8,
        OUT rho float8, OUT effective_periods float8, OUT z float8, OUT p_value float8)
    AS 'MODULE_PATHNAME', 'drift_core'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel._drift_core(float8[], float8[], float8) IS 'Internal: drift statistics of recent residuals (src/math/drift.c): their RMSE and its ratio to reference_rmse; the z-test of their mean against 0 with scale sigma = reference_rmse and the effective number of periods n (1 - rho) / (1 + rho), rho the lag-1 autocorrelation of the training residuals clamped to [0, 0.9]; two-sided p_value.';

CREATE TABLE mixmodel.drift_checks (
    id              bigserial PRIMARY KEY,
    model           text NOT NULL,
    run             integer NOT NULL,
    checked_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    from_date       date NOT NULL,
    to_date         date NOT NULL,
    periods         integer NOT NULL,
    rmse            float8 NOT NULL,
    reference_split text NOT NULL,
    reference_rmse  float8 NOT NULL,
    error_ratio     float8 NOT NULL,
    mean_residual   float8 NOT NULL,
    z               float8 NOT NULL,
    p_value         float8 NOT NULL,
    threshold       float8 NOT NULL,
    p_level         float8 NOT NULL,
    drifted         boolean,
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.drift_checks IS 'Every drift check (check_drift, refresh) of a run on the periods scored after its training window that have an actual KPI.';
COMMENT ON COLUMN mixmodel.drift_checks.id IS 'Order of the checks.';
COMMENT ON COLUMN mixmodel.drift_checks.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.drift_checks.run IS 'The run checked (the model''s current run at the time).';
COMMENT ON COLUMN mixmodel.drift_checks.checked_at IS 'When the check ran.';
COMMENT ON COLUMN mixmodel.drift_checks.from_date IS 'First period checked.';
COMMENT ON COLUMN mixmodel.drift_checks.to_date IS 'Last period checked.';
COMMENT ON COLUMN mixmodel.drift_checks.periods IS 'Periods checked: scored after the training window, with an actual KPI.';
COMMENT ON COLUMN mixmodel.drift_checks.rmse IS 'Root mean squared residual (actual - predicted) of the periods checked, KPI units.';
COMMENT ON COLUMN mixmodel.drift_checks.reference_split IS 'The run_metrics split whose RMSE is the reference: test (the holdout), else validation, else train.';
COMMENT ON COLUMN mixmodel.drift_checks.reference_rmse IS 'The run''s RMSE on the reference split.';
COMMENT ON COLUMN mixmodel.drift_checks.error_ratio IS 'rmse / reference_rmse: the drift metric compared with threshold.';
COMMENT ON COLUMN mixmodel.drift_checks.mean_residual IS 'Mean residual of the periods checked (positive: the model under-predicts).';
COMMENT ON COLUMN mixmodel.drift_checks.z IS 'mean_residual / (reference_rmse / sqrt(effective periods)): the residual test statistic (effective periods n (1 - rho) / (1 + rho), rho the training residuals'' lag-1 autocorrelation).';
COMMENT ON COLUMN mixmodel.drift_checks.p_value IS 'Two-sided p-value of z (standard normal): the chance of a mean residual this far from 0 without drift.';
COMMENT ON COLUMN mixmodel.drift_checks.threshold IS 'Error ratio above which the run drifted.';
COMMENT ON COLUMN mixmodel.drift_checks.p_level IS 'p-value below which the residual test says the run drifted.';
COMMENT ON COLUMN mixmodel.drift_checks.drifted IS 'error_ratio > threshold or p_value < p_level; NULL with fewer than 4 periods (too few to judge).';
COMMENT ON SEQUENCE mixmodel.drift_checks_id_seq IS 'Ids of mixmodel.drift_checks rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.drift_checks', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.drift_checks_id_seq', '');

CREATE FUNCTION mixmodel.check_drift(model text, threshold float8 DEFAULT NULL, p_level float8 DEFAULT NULL)
    RETURNS TABLE (run integer, from_date date, to_date date, periods integer, rmse float8, reference_rmse float8,
                   error_ratio float8, mean_residual float8, z float8, p_value float8, drifted boolean)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    m_name text := model;
    k int;
    r mixmodel.runs;
    lim float8;
    lvl float8;
    last_scored date;
    i jsonb;
    pred record;
    ref_split text;
    ref float8;
    d record;
    res float8[];
    per date[];
BEGIN
    k := mixmodel._score_run(m_name);
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m_name AND x.run = k;
    lim := coalesce(threshold, (SELECT s.drift_threshold FROM mixmodel.schedules s WHERE s.model = m_name), 1.5);
    lvl := coalesce(p_level, (SELECT s.drift_p FROM mixmodel.schedules s WHERE s.model = m_name), 0.01);
    IF NOT (lim > 0 AND lim < 'Infinity') THEN
        RAISE EXCEPTION 'threshold must be a positive finite error ratio' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', lim);
    END IF;
    IF NOT (lvl > 0 AND lvl < 1) THEN
        RAISE EXCEPTION 'p_level must be in the range (0, 1)' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', lvl);
    END IF;
    SELECT max(s.period) INTO last_scored FROM mixmodel.scores s
     WHERE s.model = m_name AND s.run = k AND s.period > r.to_date;
    IF last_scored IS NULL THEN
        RAISE EXCEPTION 'model "%" has no scored periods after its training window', m_name USING ERRCODE = '22000',
            DETAIL = format('Run %s was trained on data up to %s.', k, to_char(r.to_date, 'YYYY-MM-DD')),
            HINT = 'Score the new periods first (mixmodel.score; mixmodel.refresh does it on a schedule).';
    END IF;
    -- the actual KPI as training reads it; predictions are the sums of the scored terms
    i := mixmodel._model_inputs(m_name, r.from_date, last_scored, scoring => true);
    SELECT array_agg(a.y - p.predicted ORDER BY a.period), array_agg(a.period ORDER BY a.period)
      INTO res, per
      FROM (SELECT s.period, sum(s.contribution) AS predicted FROM mixmodel.scores s
             WHERE s.model = m_name AND s.run = k AND s.period > r.to_date GROUP BY s.period) p
      JOIN (SELECT e.d::date AS period, (i->'y'->>(e.j::int - 1))::float8 AS y
              FROM jsonb_array_elements_text(i->'periods') WITH ORDINALITY e(d, j)) a USING (period)
     WHERE a.y IS NOT NULL;
    IF res IS NULL THEN
        RAISE EXCEPTION 'the periods of model "%" scored after its training window have no actual KPI yet', m_name
            USING ERRCODE = '22000',
            DETAIL = format('Scored up to %s.', to_char(last_scored, 'YYYY-MM-DD')),
            HINT = 'Drift is checked once the KPI of scored periods is loaded.';
    END IF;
    SELECT x.split, x.rmse INTO ref_split, ref FROM mixmodel.run_metrics x
     WHERE x.model = m_name AND x.run = k AND x.rmse > 0
     ORDER BY array_position(ARRAY['test', 'validation', 'train'], x.split) LIMIT 1;
    IF ref IS NULL THEN
        RAISE EXCEPTION 'run % of model "%" has no positive RMSE to compare with', k, m_name USING ERRCODE = '22000';
    END IF;
    d := mixmodel._drift_core(ARRAY(SELECT f.residual FROM mixmodel.run_fit f
                                     WHERE f.model = m_name AND f.run = k AND NOT f.holdout ORDER BY f.period),
                              res, ref);
    INSERT INTO mixmodel.drift_checks (model, run, from_date, to_date, periods, rmse, reference_split, reference_rmse,
                                       error_ratio, mean_residual, z, p_value, threshold, p_level, drifted)
    VALUES (m_name, k, per[1], per[cardinality(per)], d.periods, d.rmse, ref_split, ref, d.error_ratio, d.mean_residual,
            d.z, d.p_value, lim, lvl,
            CASE WHEN d.periods >= 4 THEN d.error_ratio > lim OR d.p_value < lvl END);
    RETURN QUERY
    SELECT c.run, c.from_date, c.to_date, c.periods, c.rmse, c.reference_rmse, c.error_ratio, c.mean_residual, c.z,
           c.p_value, c.drifted
      FROM mixmodel.drift_checks c WHERE c.id = currval('mixmodel.drift_checks_id_seq');
END $$;
COMMENT ON FUNCTION mixmodel.check_drift(text, float8, float8) IS 'Checks a model''s current run for drift on the periods scored after its training window that have an actual KPI: the error ratio (their RMSE over the run''s holdout RMSE; validation, else training RMSE without a holdout) against threshold (default: the schedule''s, else 1.5) and a z-test of their mean residual (scale the reference RMSE, autocorrelation-adjusted) against p_level (default: the schedule''s, else 0.01); drifted when either fires, NULL with fewer than 4 periods. Stores the check in drift_checks and returns it.';

CREATE VIEW mixmodel.model_drift WITH (security_invoker = true) AS
SELECT DISTINCT ON (c.model) c.model, c.run, c.checked_at, c.from_date, c.to_date, c.periods, c.rmse,
       c.reference_split, c.reference_rmse, c.error_ratio, c.threshold, c.mean_residual, c.z, c.p_value, c.p_level,
       c.drifted
  FROM mixmodel.drift_checks c
  JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run
 ORDER BY c.model, c.id DESC;
COMMENT ON VIEW mixmodel.model_drift IS 'The latest drift check of every model''s current run (drift_checks): the drift metric error_ratio (recent RMSE / holdout RMSE) against its threshold (documented default 1.5), the residual test (z, p_value against p_level, default 0.01) and the verdict.';
COMMENT ON COLUMN mixmodel.model_drift.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_drift.run IS 'the current run, checked';
COMMENT ON COLUMN mixmodel.model_drift.checked_at IS 'when the check ran';
COMMENT ON COLUMN mixmodel.model_drift.from_date IS 'first period checked';
COMMENT ON COLUMN mixmodel.model_drift.to_date IS 'last period checked';
COMMENT ON COLUMN mixmodel.model_drift.periods IS 'periods checked (scored after the training window, with an actual KPI)';
COMMENT ON COLUMN mixmodel.model_drift.rmse IS 'RMSE of the periods checked, KPI units';
COMMENT ON COLUMN mixmodel.model_drift.reference_split IS 'run_metrics split of the reference RMSE: test, else validation, else train';
COMMENT ON COLUMN mixmodel.model_drift.reference_rmse IS 'the run''s RMSE on the reference split';
COMMENT ON COLUMN mixmodel.model_drift.error_ratio IS 'the drift metric: rmse / reference_rmse';
COMMENT ON COLUMN mixmodel.model_drift.threshold IS 'error ratio above which the run drifted';
COMMENT ON COLUMN mixmodel.model_drift.mean_residual IS 'mean residual of the periods checked';
COMMENT ON COLUMN mixmodel.model_drift.z IS 'residual test statistic';
COMMENT ON COLUMN mixmodel.model_drift.p_value IS 'two-sided p-value of the residual test';
COMMENT ON COLUMN mixmodel.model_drift.p_level IS 'p-value below which the residual test says drifted';
COMMENT ON COLUMN mixmodel.model_drift.drifted IS 'error_ratio > threshold or p_value < p_level; NULL with fewer than 4 periods';
