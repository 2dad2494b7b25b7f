-- attribution: unified measurement, MMM -> MTA (reconcile_attribution) and MTA -> MMM (attribution_priors)
-- (doc/attribution.md, reference adobe-mix-modeler.md §0 "bi-directional transfer learning")

-- The model channel each attribution channel stands for: the channels map, else the same name,
-- <name>_spend or <name>_sends among the model run's channels.
CREATE FUNCTION mixmodel._attribution_channel_map(attribution text, model text, run integer, channels jsonb)
    RETURNS TABLE (channel text, model_channel text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a_name constant text := attribution;
    m_name constant text := model;
    m_run constant int := run;
BEGIN
    IF channels IS NOT NULL AND jsonb_typeof(channels) <> 'object' THEN
        RAISE EXCEPTION 'channels must be a jsonb object mapping attribution channels to model channels' USING ERRCODE = '22023',
            HINT = 'For example ''{"search": "search_spend"}''.';
    END IF;
    IF channels IS NOT NULL AND EXISTS (
        SELECT 1 FROM jsonb_each(channels) e
         WHERE jsonb_typeof(e.value) <> 'string'
            OR NOT EXISTS (SELECT 1 FROM mixmodel.run_channels rc WHERE rc.model = m_name AND rc.run = m_run
                              AND rc.channel = e.value #>> '{}')) THEN
        RAISE EXCEPTION 'channels names a channel that model "%" does not have', m_name USING ERRCODE = '42704',
            DETAIL = (SELECT string_agg(e.key || ' -> ' || (e.value #>> '{}'), ', ') FROM jsonb_each(channels) e
                       WHERE jsonb_typeof(e.value) <> 'string'
                          OR NOT EXISTS (SELECT 1 FROM mixmodel.run_channels rc WHERE rc.model = m_name AND rc.run = m_run
                                            AND rc.channel = e.value #>> '{}'));
    END IF;
    RETURN QUERY
    SELECT t.ch, coalesce(channels->>t.ch,
               (SELECT rc.channel FROM mixmodel.run_channels rc
                 WHERE rc.model = m_name AND rc.run = m_run AND rc.channel IN (t.ch, t.ch || '_spend', t.ch || '_sends')
                 ORDER BY rc.channel = t.ch DESC, rc.channel LIMIT 1))
      FROM (SELECT unnest(a.touchpoints) AS ch FROM mixmodel.attributions a WHERE a.name = a_name) t;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_channel_map(text, text, integer, jsonb) IS 'Internal: the model channel of each touchpoint of an attribution (the channels map, else the same name, name_spend or name_sends); NULL when the model has none.';

CREATE FUNCTION mixmodel.reconcile_attribution(attribution text, model text,
        score text DEFAULT 'algorithmic_incremental', channels jsonb DEFAULT NULL)
    RETURNS TABLE (channel text, model_channel text, periods integer, mmm_contribution float8,
                   event_credit float8, rescaled float8, unplaced float8, max_relative_error float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    a_name constant text := attribution;
    m_name constant text := model;
    a mixmodel.attributions;
    r mixmodel.attribution_runs;
    k int;
    unit text;
BEGIN
    IF attribution IS NULL OR model IS NULL OR score IS NULL THEN
        RAISE EXCEPTION 'attribution, model and score must not be null' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO a FROM mixmodel.attributions x WHERE x.name = a_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'attribution "%" does not exist', a_name USING ERRCODE = '42704';
    END IF;
    IF a.current_run IS NULL THEN
        RAISE EXCEPTION 'attribution "%" has not been run', a_name USING ERRCODE = '55000',
            HINT = 'Run it first with mixmodel.attribute.';
    END IF;
    SELECT * INTO r FROM mixmodel.attribution_runs x WHERE x.attribution = a_name AND x.run = a.current_run;
    IF NOT score = ANY (ARRAY(SELECT jsonb_array_elements_text(r.config->'models'))) THEN
        RAISE EXCEPTION 'the run of attribution "%" has no scores of model "%"', a_name, score USING ERRCODE = '22023',
            HINT = 'Scores: ' || (SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(r.config->'models') x) || '.';
    END IF;
    k := mixmodel._score_run(m_name);
    SELECT u.kpi_unit INTO unit FROM mixmodel._model_kpi_units(m_name) u;

    DROP TABLE IF EXISTS pg_temp.mm_rec_map, pg_temp.mm_rec_periods, pg_temp.mm_rec;
    CREATE TEMP TABLE mm_rec_map AS SELECT * FROM mixmodel._attribution_channel_map(a_name, m_name, k, channels);
    -- the model's periods wholly inside the run's range, each to the start of the next
    CREATE TEMP TABLE mm_rec_periods AS
    SELECT p.period, p.next FROM (
        SELECT x.period, coalesce(lead(x.period) OVER (ORDER BY x.period),
                                  x.period + (x.period - lag(x.period) OVER (ORDER BY x.period))) AS next
          FROM (SELECT DISTINCT c.period FROM mixmodel.contributions c WHERE c.model = m_name AND c.run = k) x) p
     WHERE p.next IS NOT NULL AND p.period >= CAST(r.from_time AS date) AND p.next <= CAST(r.to_time AS date) + 1;
    IF NOT EXISTS (SELECT 1 FROM mm_rec_periods) THEN
        RAISE EXCEPTION 'no period of model "%" lies wholly inside the run of attribution "%"', m_name, a_name
            USING ERRCODE = '22000', DETAIL = format('The run covers %s to %s.', r.from_time, r.to_time),
                  HINT = 'Score the model over the attribution''s range (mixmodel.score), or attribute a longer range.';
    END IF;
    -- per channel and period: the model's contribution and the event credit in the model's KPI unit
    CREATE TEMP TABLE mm_rec AS
    SELECT mp.channel, mp.model_channel, p.period,
           coalesce((SELECT c.contribution FROM mixmodel.contributions c
                      WHERE c.model = m_name AND c.run = k AND c.period = p.period AND c.term = mp.model_channel
                      ORDER BY c.source = 'training' DESC LIMIT 1), 0) AS contribution,
           coalesce((SELECT CAST(sum(CAST(CASE WHEN unit = 'revenue' THEN s.revenue_credit ELSE s.credit END AS numeric)) AS float8)
                       FROM mixmodel.event_scores s
                      WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = score AND s.channel = mp.channel
                        AND s.conversion_time >= p.period AND s.conversion_time < p.next), 0) AS credit
      FROM mm_rec_map mp CROSS JOIN mm_rec_periods p
     WHERE mp.model_channel IS NOT NULL;
    IF unit = 'revenue' AND EXISTS (SELECT 1 FROM mm_rec WHERE credit = 0 AND contribution <> 0)
       AND NOT EXISTS (SELECT 1 FROM mm_rec WHERE credit <> 0) THEN
        RAISE EXCEPTION 'the scores of attribution "%" carry no revenue', a_name USING ERRCODE = '22000',
            HINT = 'Model "' || m_name || '" counts revenue: give the conversion a revenue metric or option revenue_column.';
    END IF;

    DELETE FROM mixmodel.attribution_scaling x WHERE x.attribution = a_name AND x.run = a.current_run AND x.model = m_name;
    INSERT INTO mixmodel.attribution_scaling
    SELECT a_name, a.current_run, m_name, k, q.channel, q.model_channel, q.period, sp.spend, q.contribution, q.credit,
           CASE WHEN q.credit <> 0 THEN q.contribution / q.credit END
      FROM mm_rec q
      LEFT JOIN mixmodel._period_spend(m_name, k) sp ON sp.channel = q.model_channel AND sp.period = q.period;
    -- the rescaled scores: model mmm_calibrated (one set per attribution run, from the last model reconciled)
    DELETE FROM mixmodel.event_scores x WHERE x.attribution = a_name AND x.run = a.current_run AND x.model = 'mmm_calibrated';
    DELETE FROM mixmodel.attribution_channels x WHERE x.attribution = a_name AND x.run = a.current_run AND x.model = 'mmm_calibrated';
    INSERT INTO mixmodel.event_scores
    SELECT s.attribution, s.run, 'mmm_calibrated', s.conversion_id, s.conversion_event, s.conversion_time, s.person,
           s.touch_event, s.touch_time, s.channel, s.touch_key, s.campaign, s.journey, s.message, s.position,
           s.touch_index, s.path_length, s.lag_days, s.credit * f.factor, s.revenue_credit * f.factor
      FROM mixmodel.event_scores s
      JOIN mm_rec_periods p ON s.conversion_time >= p.period AND s.conversion_time < p.next
      JOIN mixmodel.attribution_scaling f ON f.attribution = a_name AND f.run = a.current_run AND f.model = m_name
           AND f.channel = s.channel AND f.period = p.period
     WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = score AND f.factor IS NOT NULL;
    INSERT INTO mixmodel.attribution_channels
    SELECT a_name, a.current_run, 'mmm_calibrated', s.channel, count(*),
           CAST(sum(CAST(s.credit AS numeric)) AS float8), CAST(sum(CAST(s.revenue_credit AS numeric)) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'starter'), 0) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'player'), 0) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'closer'), 0) AS float8)
      FROM mixmodel.event_scores s
     WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = 'mmm_calibrated'
     GROUP BY s.channel;

    RETURN QUERY
    SELECT q.channel, q.model_channel, count(*)::int, sum(q.contribution), sum(q.credit),
           sum(z.rescaled), coalesce(sum(q.contribution) FILTER (WHERE q.credit = 0), 0),
           max(CASE WHEN q.contribution <> 0 AND q.credit <> 0 THEN abs(z.rescaled - q.contribution) / abs(q.contribution) END)
      FROM mm_rec q
      CROSS JOIN LATERAL (
          SELECT coalesce((SELECT CAST(sum(CAST(CASE WHEN unit = 'revenue' THEN s.revenue_credit ELSE s.credit END AS numeric)) AS float8)
                             FROM mixmodel.event_scores s JOIN mm_rec_periods p ON p.period = q.period
                            WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = 'mmm_calibrated'
                              AND s.channel = q.channel AND s.conversion_time >= p.period AND s.conversion_time < p.next), 0)
                 AS rescaled) z
     GROUP BY q.channel, q.model_channel ORDER BY q.channel;
    DROP TABLE mm_rec_map, mm_rec_periods, mm_rec;
END $$;
COMMENT ON FUNCTION mixmodel.reconcile_attribution(text, text, text, jsonb) IS 'Unified measurement, MMM to MTA: rescales an attribution run''s event scores (default algorithmic_incremental) so that, per channel and period of a trained marketing-mix model, they sum to the model''s contribution (in its KPI unit); stores the factors in attribution_scaling and the rescaled scores as model mmm_calibrated; returns per channel the contribution, the event credit before and after, the contribution of periods without event credit to carry it (unplaced) and the largest relative error over the other periods.';

CREATE FUNCTION mixmodel.attribution_priors(attribution text, model text, confidence float8 DEFAULT 0.5,
        score text DEFAULT 'algorithmic_incremental', channels jsonb DEFAULT NULL, apply boolean DEFAULT false)
    RETURNS TABLE (channel text, model_channel text, share float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
AS $$
DECLARE
    a_name constant text := attribution;
    m_name constant text := model;
    conf constant float8 := attribution_priors.confidence;
    a mixmodel.attributions;
    r mixmodel.attribution_runs;
    m mixmodel.models;
    k int;
    unit text;
    d0 date;
    d1 date;
    kpi float8;
    pri jsonb;
    chs text[];
    mchs text[];
    shares float8[];
BEGIN
    IF attribution IS NULL OR model IS NULL OR score IS NULL OR conf IS NULL OR apply IS NULL THEN
        RAISE EXCEPTION 'attribution, model, confidence, score and apply must not be null' USING ERRCODE = '22004';
    END IF;
    IF NOT (conf BETWEEN 0 AND 1) THEN
        RAISE EXCEPTION 'confidence must be in the range [0, 1]' USING ERRCODE = '22023', DETAIL = format('Got %s.', conf);
    END IF;
    SELECT * INTO a FROM mixmodel.attributions x WHERE x.name = a_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'attribution "%" does not exist', a_name USING ERRCODE = '42704';
    END IF;
    IF a.current_run IS NULL THEN
        RAISE EXCEPTION 'attribution "%" has not been run', a_name USING ERRCODE = '55000',
            HINT = 'Run it first with mixmodel.attribute.';
    END IF;
    SELECT * INTO r FROM mixmodel.attribution_runs x WHERE x.attribution = a_name AND x.run = a.current_run;
    IF NOT score = ANY (ARRAY(SELECT jsonb_array_elements_text(r.config->'models'))) THEN
        RAISE EXCEPTION 'the run of attribution "%" has no scores of model "%"', a_name, score USING ERRCODE = '22023';
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = m_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', m_name USING ERRCODE = '42704';
    END IF;
    IF m.current_run IS NULL THEN
        RAISE EXCEPTION 'model "%" has not been trained', m_name USING ERRCODE = '55000',
            HINT = 'The shares are of the KPI over the model''s training rows: train it first.';
    END IF;
    k := m.current_run;
    SELECT u.kpi_unit INTO unit FROM mixmodel._model_kpi_units(m_name) u;
    -- the training rows inside the attribution run's range
    SELECT min(f.period), max(f.next), CAST(sum(CAST(f.actual AS numeric)) AS float8) INTO d0, d1, kpi
      FROM (SELECT x.period, x.actual, coalesce(lead(x.period) OVER (ORDER BY x.period),
                                                x.period + (x.period - lag(x.period) OVER (ORDER BY x.period))) AS next
              FROM mixmodel.run_fit x WHERE x.model = m_name AND x.run = k AND NOT x.holdout) f
     WHERE f.period >= CAST(r.from_time AS date) AND f.next <= CAST(r.to_time AS date) + 1;
    IF kpi IS NULL OR NOT kpi > 0 THEN
        RAISE EXCEPTION 'no training period of model "%" lies inside the run of attribution "%"', m_name, a_name
            USING ERRCODE = '22000', DETAIL = format('The run covers %s to %s.', r.from_time, r.to_time);
    END IF;
    -- the event-level total of those periods: every row of the score, none and baseline included
    SELECT CAST(sum(CAST(CASE WHEN unit = 'revenue' THEN s.revenue_credit ELSE s.credit END AS numeric)) AS float8) INTO kpi
      FROM mixmodel.event_scores s
     WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = score
       AND s.conversion_time >= d0 AND s.conversion_time < d1;
    IF kpi IS NULL OR NOT kpi > 0 THEN
        RAISE EXCEPTION 'the conversions of attribution "%" carry no % in the training periods of model "%"', a_name,
            CASE WHEN unit = 'revenue' THEN 'revenue' ELSE 'conversions' END, m_name USING ERRCODE = '22000';
    END IF;
    -- each channel's share, once: returned, and with apply written as the model's priors
    SELECT array_agg(p.channel ORDER BY p.channel), array_agg(p.model_channel ORDER BY p.channel),
           array_agg(p.share ORDER BY p.channel)
      INTO chs, mchs, shares
      FROM (SELECT mp.channel, mp.model_channel,
                   coalesce((SELECT CAST(sum(CAST(CASE WHEN unit = 'revenue' THEN s.revenue_credit ELSE s.credit END AS numeric)) AS float8)
                               FROM mixmodel.event_scores s
                              WHERE s.attribution = a_name AND s.run = a.current_run AND s.model = score AND s.channel = mp.channel
                                AND s.conversion_time >= d0 AND s.conversion_time < d1), 0) / kpi AS share
              FROM mixmodel._attribution_channel_map(a_name, m_name, k, channels) mp
             WHERE mp.model_channel IS NOT NULL) p;
    IF apply THEN
        SELECT jsonb_object_agg(x.mch, jsonb_build_object('contribution', least(greatest(x.share, 0), 1), 'confidence', conf))
          INTO pri
          FROM unnest(mchs, shares) x(mch, share);
        PERFORM mixmodel._model_check_options(m.options || jsonb_build_object('priors', coalesce(m.options->'priors', '{}') || coalesce(pri, '{}')));
        UPDATE mixmodel.models x SET options = x.options || jsonb_build_object('priors', coalesce(x.options->'priors', '{}') || coalesce(pri, '{}'))
         WHERE x.name = m_name;
    END IF;
    RETURN QUERY SELECT u.channel, u.model_channel, u.share FROM unnest(chs, mchs, shares) WITH ORDINALITY u(channel, model_channel, share, o)
                  ORDER BY u.o;
END $$;
COMMENT ON FUNCTION mixmodel.attribution_priors(text, text, float8, text, jsonb, boolean) IS 'Unified measurement, MTA to MMM: each channel''s attributed incremental share (default algorithmic_incremental) of the conversions (revenue, when the model counts revenue) in the model''s training periods inside the attribution run, with a confidence; apply => true writes them as the model''s contribution priors (option priors, the prior-distance penalty of the training objective), so the next training is pulled towards them.';
