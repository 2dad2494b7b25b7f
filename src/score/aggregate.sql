-- score: the aggregate score table in Adobe Mix Modeler's layout (doc/score.md)

CREATE TABLE mixmodel.aggregate_scores (
    model           text NOT NULL,
    run             integer NOT NULL,
    conversion      text NOT NULL,
    conversion_from date NOT NULL,
    conversion_to   date NOT NULL,
    touchpoint_from date NOT NULL,
    touchpoint_to   date NOT NULL,
    lag             integer NOT NULL,
    lag_weight      float8,
    channel         text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('channel', 'organic')),
    sub_channel     text,
    campaign        text,
    geo             text,
    spend           float8,
    contribution    float8 NOT NULL,
    conversions     float8,
    revenue         float8,
    scored_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX aggregate_scores_window ON mixmodel.aggregate_scores (model, run, conversion_from, channel);
COMMENT ON TABLE mixmodel.aggregate_scores IS 'Aggregate scores in Adobe Mix Modeler''s layout, filled by mixmodel.score: one row per conversion window (scored period) x touchpoint window (the period whose spend earned the credit: adstock makes credit lag) x channel x sub-channel, campaign and geo, with the credited contribution, conversions and revenue. The rows of a conversion window and channel sum to the channel''s contribution in mixmodel.scores. Rescoring a range replaces its rows.';
COMMENT ON INDEX mixmodel.aggregate_scores_window IS 'Rescoring replaces the rows of a range of conversion windows.';
COMMENT ON COLUMN mixmodel.aggregate_scores.model IS 'model name';
COMMENT ON COLUMN mixmodel.aggregate_scores.run IS 'the scored run';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion IS 'conversion name (harmonized model) or KPI column (wide model): Adobe conversionName';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion_from IS 'first day of the conversion window (the scored period): Adobe conversionStartDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion_to IS 'last day of the conversion window: Adobe conversionEndDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.touchpoint_from IS 'first day of the touchpoint window whose spend earned the credit: Adobe touchpointStartDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.touchpoint_to IS 'last day of the touchpoint window: Adobe touchpointEndDate; one period, except the row gathering the lags past the last kept one';
COMMENT ON COLUMN mixmodel.aggregate_scores.lag IS 'periods from the touchpoint window''s last period to the conversion window (0 = same period)';
COMMENT ON COLUMN mixmodel.aggregate_scores.lag_weight IS 'the channel''s adstock weight at this lag over the sum of its weights: the share of one period''s spend working in the conversion window (over every lag it sums to 1); NULL on the row gathering several lags';
COMMENT ON COLUMN mixmodel.aggregate_scores.channel IS 'touchpoint (harmonized model) or model input column (wide model): Adobe mediaChannel';
COMMENT ON COLUMN mixmodel.aggregate_scores.kind IS 'channel (paid) or organic';
COMMENT ON COLUMN mixmodel.aggregate_scores.sub_channel IS 'harmonized channel_type_at_source of the touchpoint''s rows: Adobe mediaSubChannel; NULL where the data have none (always for wide models)';
COMMENT ON COLUMN mixmodel.aggregate_scores.campaign IS 'harmonized campaign: Adobe campaignName; NULL where the data have none';
COMMENT ON COLUMN mixmodel.aggregate_scores.geo IS 'harmonized geo; NULL where the data have none';
COMMENT ON COLUMN mixmodel.aggregate_scores.spend IS 'the touchpoint window''s spend of the slice times lag_weight, so a period''s spend summed over its conversion windows is its spend; NULL for organic channels (their input is volume)';
COMMENT ON COLUMN mixmodel.aggregate_scores.contribution IS 'KPI units credited (the model''s decomposition, split by adstock lag and by the slice''s share of the touchpoint window)';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversions IS 'conversions credited: Adobe contribution; the contribution when the KPI counts conversions, else contribution / revenue per conversion (_model_kpi_units; NULL when unknown)';
COMMENT ON COLUMN mixmodel.aggregate_scores.revenue IS 'revenue credited: Adobe revenue; the contribution when the KPI is revenue, else contribution x revenue per conversion (NULL when unknown)';
COMMENT ON COLUMN mixmodel.aggregate_scores.scored_at IS 'when the conversion window was last scored: Adobe scoreCreatedTime';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.aggregate_scores', '');

-- a touchpoint's series per week and dimension slice: the rows its rule selects, grouped
CREATE FUNCTION mixmodel._touchpoint_slices(touchpoint pg_catalog.text)
    RETURNS TABLE (period pg_catalog.date, sub_channel pg_catalog.text, campaign pg_catalog.text,
                   geo pg_catalog.text, amount pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 500
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t mixmodel.touchpoints;
    p record;
    w record;
BEGIN
    IF touchpoint IS NULL THEN
        RAISE EXCEPTION 'touchpoint must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO t FROM mixmodel.touchpoints x WHERE x.name = touchpoint;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'touchpoint "%" does not exist', touchpoint USING ERRCODE = '42704';
    END IF;
    SELECT * INTO p FROM mixmodel._series_period('week', t.owner);
    SELECT * INTO w FROM mixmodel._rule_where(t.rule);
    -- the metric the model reads: spend for paid touchpoints, volume otherwise (as _model_inputs)
    RETURN QUERY EXECUTE format(
        'SELECT %1$s, h.channel_type_at_source::text, h.campaign::text, h.geo::text, mixmodel.exact_sum(h.%2$I)
           FROM mixmodel.harmonized h WHERE %3$s AND h.owner OPERATOR(pg_catalog.=) $2
          GROUP BY 1, 2, 3, 4 HAVING mixmodel.exact_sum(h.%2$I) OPERATOR(pg_catalog.<>) 0
          ORDER BY 1, 2, 3, 4',
        p.expr, coalesce(t.spend_metric, t.volume_metric), w.clause)
    USING w.vals, t.owner;
END $$;
COMMENT ON FUNCTION mixmodel._touchpoint_slices(pg_catalog.text) IS 'Internal: a touchpoint''s model input (spend when paid, else volume) per week and (channel_type_at_source, campaign, geo) slice of the harmonized rows of its owner its rule selects; slices summing to 0 left out.';

-- the aggregate scores of a scored range, from the inputs score resolved
CREATE FUNCTION mixmodel._aggregate_score(model pg_catalog.text, run pg_catalog.int4,
        from_date pg_catalog.date, to_date pg_catalog.date, inputs pg_catalog.jsonb)
    RETURNS pg_catalog.int8
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    ch mixmodel.run_channels;
    per date[];
    n int; t0 int; te int; step int; lcut int;
    xa float8[]; x float8[]; w float8[];
    wsum float8;
    conv text;
    chans jsonb;
    rev_k float8;
    conv_k float8;
    cnt bigint;
    total bigint := 0;
BEGIN
    IF model IS NULL OR run IS NULL OR from_date IS NULL OR to_date IS NULL OR inputs IS NULL THEN
        RAISE EXCEPTION '_aggregate_score arguments must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    SELECT r.inputs->'channels' INTO chans FROM mixmodel.runs r WHERE r.model = _aggregate_score.model AND r.run = _aggregate_score.run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    IF jsonb_typeof(inputs->'periods') IS DISTINCT FROM 'array' OR jsonb_typeof(inputs->'x') IS DISTINCT FROM 'array'
       OR jsonb_typeof(inputs->'t0') IS DISTINCT FROM 'number' THEN
        RAISE EXCEPTION 'inputs must be the model inputs mixmodel.score resolved' USING ERRCODE = '22023';
    END IF;
    per := ARRAY(SELECT e::date FROM jsonb_array_elements_text(inputs->'periods') e);
    n := cardinality(per);
    t0 := (inputs->>'t0')::int;
    te := t0 + n;
    xa := mixmodel._jf(inputs->'x');
    IF n = 0 OR t0 < 0 OR inputs->'channels' IS DISTINCT FROM chans OR cardinality(xa) <> te * jsonb_array_length(chans) THEN
        RAISE EXCEPTION 'inputs do not match run % of model "%"', run, model USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.scores s WHERE s.model = _aggregate_score.model AND s.run = _aggregate_score.run
                  AND s.period >= from_date AND s.period <= to_date AND NOT s.period = ANY (per)) THEN
        RAISE EXCEPTION 'inputs do not cover the scored periods of run % of model "%"', run, model USING ERRCODE = '22023';
    END IF;
    step := CASE WHEN n > 1 THEN per[2] - per[1] ELSE 7 END;
    SELECT f.revenue_per_kpi, f.conversions_per_kpi INTO rev_k, conv_k
      FROM mixmodel._model_kpi_units(model) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
    conv := CASE m.source_kind WHEN 'harmonized' THEN m.definition->>'conversion' ELSE m.definition->>'kpi' END;

    DELETE FROM mixmodel.aggregate_scores a WHERE a.model = _aggregate_score.model AND a.run = _aggregate_score.run
       AND a.conversion_from >= from_date AND a.conversion_from <= to_date;
    FOR ch IN SELECT * FROM mixmodel.run_channels c
               WHERE c.model = _aggregate_score.model AND c.run = _aggregate_score.run ORDER BY c.position LOOP
        x := xa[(ch.position - 1) * te + 1 : ch.position * te];
        -- the channel's lag weights over the whole input (so whole-series adstocks get theirs)
        w := mixmodel._adstock_impulse(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize, te - 1);
        SELECT sum(e ORDER BY j) INTO wsum FROM unnest(w) WITH ORDINALITY u(e, j);
        -- lags kept one by one: up to the last weight >= 1e-9 of the sum, at most 52; older lags share a row
        SELECT least(52, coalesce(max(j) - 1, 0)) INTO lcut FROM unnest(w) WITH ORDINALITY u(e, j) WHERE e >= 1e-9 * wsum;
        INSERT INTO mixmodel.aggregate_scores (model, run, conversion, conversion_from, conversion_to, touchpoint_from,
               touchpoint_to, lag, lag_weight, channel, kind, sub_channel, campaign, geo, spend, contribution,
               conversions, revenue)
        WITH cv AS (
            -- the channel's scored periods; tc = their 1-based index in x
            SELECT s.period, s.kind, s.contribution, t0 + array_position(per, s.period) AS tc
              FROM mixmodel.scores s
             WHERE s.model = _aggregate_score.model AND s.run = _aggregate_score.run AND s.term = ch.channel
               AND s.period >= from_date AND s.period <= to_date
        ), parts AS (
            -- a_t = sum_l w_l x_{t-l}: the part of every source period s = t - l
            SELECT cv.tc, g.s, cv.tc - g.s AS l, w[cv.tc - g.s + 1] * x[g.s] AS part
              FROM cv, generate_series(1, cv.tc) g(s)
             WHERE x[g.s] <> 0 AND w[cv.tc - g.s + 1] <> 0
        ), credit AS (
            -- credit of each lag (older lags gathered) = contribution x its part of a_t;
            -- nothing in reach (a_t = 0, no parts): the contribution (0) stays in its own period
            SELECT cv.period, cv.kind, coalesce(b.s_lo, cv.tc) AS s_lo, coalesce(b.s_hi, cv.tc) AS s_hi,
                   coalesce(b.lag, 0) AS lag,
                   CASE WHEN b.tc IS NULL THEN w[1] / nullif(wsum, 0) ELSE b.lag_weight END AS lag_weight,
                   coalesce(b.spend, 0) AS spend,
                   CASE WHEN b.tc IS NULL THEN cv.contribution
                        ELSE cv.contribution * (b.part / sum(b.part) OVER (PARTITION BY cv.tc)) END AS contribution
              FROM cv LEFT JOIN (
                  SELECT p.tc, min(p.s) AS s_lo, max(p.s) AS s_hi, min(p.l) AS lag,
                         CASE WHEN count(*) = 1 THEN min(w[p.l + 1]) / wsum END AS lag_weight,
                         sum(x[p.s] * w[p.l + 1] / wsum) AS spend, sum(p.part) AS part
                    FROM parts p GROUP BY p.tc, least(p.l, lcut + 1)) b ON b.tc = cv.tc
        ), cw AS (
            -- tf .. tl: the first and last period of the touchpoint window
            SELECT c.*, per[1] + step * (c.s_lo - 1 - t0) AS tf, per[1] + step * (c.s_hi - 1 - t0) AS tl FROM credit c
        ), sl AS MATERIALIZED (
            SELECT * FROM mixmodel._touchpoint_slices(ch.channel) WHERE m.source_kind = 'harmonized'
        ), d AS (
            -- the slices' share of the channel's input over each distinct touchpoint window
            SELECT win.tf, win.tl, q.sub_channel, q.campaign, q.geo,
                   sum(q.amount) / nullif(sum(sum(q.amount)) OVER (PARTITION BY win.tf, win.tl), 0) AS share
              FROM (SELECT DISTINCT cw.tf, cw.tl FROM cw) win
              JOIN sl q ON q.period >= win.tf AND q.period <= win.tl
             GROUP BY win.tf, win.tl, q.sub_channel, q.campaign, q.geo
        )
        SELECT _aggregate_score.model, _aggregate_score.run, conv, c.period, c.period + step - 1,
               c.tf, c.tl + step - 1, c.lag, c.lag_weight, ch.channel, c.kind, d.sub_channel, d.campaign, d.geo,
               CASE WHEN ch.paid THEN c.spend * coalesce(d.share, 1) END, v.contribution,
               v.contribution * conv_k, v.contribution * rev_k
          FROM cw c
          LEFT JOIN d ON d.tf = c.tf AND d.tl = c.tl
         CROSS JOIN LATERAL (SELECT c.contribution * coalesce(d.share, 1) AS contribution) v;
        GET DIAGNOSTICS cnt = ROW_COUNT;
        total := total + cnt;
    END LOOP;
    RETURN total;
END $$;
COMMENT ON FUNCTION mixmodel._aggregate_score(pg_catalog.text, pg_catalog.int4, pg_catalog.date, pg_catalog.date, pg_catalog.jsonb) IS
'Internal: replaces the aggregate_scores rows of a run''s scored range from the mixmodel.scores rows and the inputs score resolved: each channel''s contribution in a period is split over the source periods t - l by w_l x_{t-l} / a_t (its adstock), then over the slices of the touchpoint window by their share of its input; returns the rows written.';
