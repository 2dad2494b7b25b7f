-- report: SVG charts of a trained model, each read from the result views users query (doc/report.md)

CREATE FUNCTION mixmodel._report_kpi(model pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(m.definition->>'kpi', m.definition->>'conversion') FROM mixmodel.models m WHERE m.name = _report_kpi.model
$$;
COMMENT ON FUNCTION mixmodel._report_kpi(pg_catalog.text) IS
'Internal: what a model''s charts call its KPI: the KPI column of a wide model, the conversion of a harmonized one.';

CREATE FUNCTION mixmodel.chart_fit(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kpi text;
    f record;
BEGIN
    PERFORM mixmodel._score_run(chart_fit.model);
    kpi := mixmodel._report_kpi(chart_fit.model);
    SELECT array_agg(v.period ORDER BY v.period) AS periods,
           array_agg(v.actual ORDER BY v.period) || array_agg(v.predicted ORDER BY v.period)
               || array_agg(v.residual ORDER BY v.period) AS vals,
           min(v.period) FILTER (WHERE v.holdout) AS holdout_from
      INTO f FROM mixmodel.model_fit v WHERE v.model = chart_fit.model;
    RETURN mixmodel._svg_time(format('Actual vs predicted %s', kpi), f.periods,
        ARRAY['actual', 'predicted', 'residual (actual - predicted)'], ARRAY[1, 1, 2], ARRAY['line', 'line', 'bar'],
        ARRAY[-3, 0, -4], f.vals, ARRAY[kpi || ' per period', 'residual'], ARRAY['number', 'number'],
        ARRAY[false, true], f.holdout_from, 'holdout', width, 190);
END $$;
COMMENT ON FUNCTION mixmodel.chart_fit(pg_catalog.text, pg_catalog.int4) IS
'SVG chart of a trained model''s actual against predicted KPI per period (mixmodel.model_fit), the holdout shaded, and the residuals below.';

CREATE FUNCTION mixmodel.chart_contributions(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int;
    kpi text;
    res record;
    fit record;
    n int;
BEGIN
    k := mixmodel._score_run(chart_contributions.model);
    kpi := mixmodel._report_kpi(chart_contributions.model);
    SELECT array_agg(f.period ORDER BY f.period) AS periods, array_agg(f.predicted ORDER BY f.period) AS predicted,
           array_agg(f.actual ORDER BY f.period) AS actual, min(f.period) FILTER (WHERE f.holdout) AS holdout_from
      INTO fit FROM mixmodel.model_fit f WHERE f.model = chart_contributions.model;
    n := cardinality(fit.periods);
    -- values in long format (series, period, value): no dense grid to join; repeated
    -- (series, period) values add up, so the baseline series sums base and factor terms
    WITH c AS (
        SELECT CASE WHEN c.kind IN ('intercept', 'trend', 'season', 'holiday') THEN 'base'
                    WHEN c.kind = 'factor' THEN 'factors' ELSE c.term END AS term,
               c.kind IN ('intercept', 'trend', 'season', 'holiday', 'factor') AS baseline,
               c.period, c.contribution AS v
          FROM mixmodel.contributions c
         WHERE c.model = chart_contributions.model AND c.run = k AND c.source = 'training'
    ), media AS (
        -- panel 1: the baseline, then organic and paid channels stacked on it (Adobe's order)
        SELECT x.term, x.color, 1 + row_number() OVER (ORDER BY x.paid, x.position)::int AS i
          FROM (SELECT DISTINCT c.term, rc.position - 1 AS color, rc.position, rc.paid
                  FROM c JOIN mixmodel.run_channels rc
                    ON rc.model = chart_contributions.model AND rc.run = k AND rc.channel = c.term
                 WHERE NOT c.baseline) x
    ), base AS (
        -- panel 2: the baseline's parts
        SELECT DISTINCT c.term FROM c WHERE c.baseline
    ), v AS (
        SELECT 1 AS i, c.period, c.v FROM c WHERE c.baseline
        UNION ALL SELECT media.i, c.period, c.v FROM c JOIN media USING (term)
        UNION ALL SELECT (SELECT count(*) FROM media)::int + 4 + CASE c.term WHEN 'base' THEN 0 ELSE 1 END, c.period, c.v
                    FROM c WHERE c.baseline
    )
    SELECT ARRAY['baseline (base and factors)'] || coalesce((SELECT array_agg(media.term ORDER BY media.i) FROM media), '{}')
               || ARRAY['predicted (the terms'' sum)', 'actual', 'base (intercept, trend, seasonality, holidays)', 'factors'] AS names,
           ARRAY[-1] || coalesce((SELECT array_agg(media.color ORDER BY media.i) FROM media), '{}') || ARRAY[-3, -3, -4, -5] AS colors,
           (SELECT count(*) FROM media)::int AS m,
           (SELECT count(*) FROM base WHERE base.term = 'factors') > 0 AS has_factors,
           j.vs, j.vp, j.vv
      INTO res
      FROM (SELECT array_agg(v.i) AS vs, array_agg(v.period) AS vp, array_agg(v.v) AS vv FROM v) j;
    RETURN mixmodel._svg_time(format('Contributions to %s over time', kpi), fit.periods,
        res.names[1 : res.m + 4 + res.has_factors::int],
        array_fill(1, ARRAY[res.m + 3]) || array_fill(2, ARRAY[1 + res.has_factors::int]),
        (array_fill('area'::text, ARRAY[res.m + 1]) || ARRAY['dash', 'line', 'line', 'dash'])[1 : res.m + 4 + res.has_factors::int],
        res.colors[1 : res.m + 4 + res.has_factors::int],
        res.vv || fit.predicted || fit.actual,
        ARRAY[kpi || ' per period: organic and paid channels stacked on the baseline',
              'the baseline: base and factors (negative values lower it)'],
        ARRAY['number', 'number'], ARRAY[true, true], fit.holdout_from, 'holdout', width, 230,
        res.vs || array_fill(res.m + 2, ARRAY[n]) || array_fill(res.m + 3, ARRAY[n]),
        res.vp || fit.periods || fit.periods);
END $$;
COMMENT ON FUNCTION mixmodel.chart_contributions(pg_catalog.text, pg_catalog.int4) IS
'SVG chart of a trained model''s contributions per period (mixmodel.contributions of the current run''s training decomposition): the organic and paid channels stacked on the baseline (base and factors together), with the predicted KPI (the terms'' sum) and the actual KPI as lines, the holdout shaded; below, the baseline''s parts: the base (intercept, trend, seasonality, holidays) and the factors.';

CREATE FUNCTION mixmodel._report_waterfall(model pg_catalog.text)
    RETURNS TABLE (label pg_catalog.text, kind pg_catalog.text, contribution pg_catalog.float8, color pg_catalog.int4)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int := mixmodel._score_run(_report_waterfall.model);
    -- the training rows are the run's periods before its first holdout row
    holdout_from date := (SELECT min(f.period) FROM mixmodel.model_fit f WHERE f.model = _report_waterfall.model AND f.holdout);
BEGIN
    RETURN QUERY
    WITH c AS (
        SELECT c.term, c.kind, sum(c.contribution) AS v
          FROM mixmodel.contributions c
         WHERE c.model = _report_waterfall.model AND c.run = k AND c.source = 'training'
           AND (holdout_from IS NULL OR c.period < holdout_from)
         GROUP BY c.term, c.kind
    ), g AS (
        SELECT CASE c.kind WHEN 'intercept' THEN 'base (intercept)' WHEN 'season' THEN 'seasonality' ELSE c.term END AS label,
               c.kind,
               CASE c.kind WHEN 'intercept' THEN 0 WHEN 'trend' THEN 1 WHEN 'season' THEN 2 WHEN 'holiday' THEN 3
                           WHEN 'factor' THEN 4 WHEN 'organic' THEN 5 ELSE 6 END AS o,
               coalesce(rc.position, 0) AS pos,
               CASE WHEN c.kind IN ('channel', 'organic') THEN rc.position - 1
                    WHEN c.kind = 'factor' THEN -2 ELSE -1 END AS color,
               c.v
          FROM c LEFT JOIN mixmodel.run_channels rc
            ON rc.model = _report_waterfall.model AND rc.run = k AND rc.channel = c.term AND c.kind IN ('channel', 'organic')
    )
    SELECT g.label, g.kind, sum(g.v), g.color
      FROM g GROUP BY g.label, g.kind, g.o, g.pos, g.color
     ORDER BY g.o, g.pos, g.label;
END $$;
COMMENT ON FUNCTION mixmodel._report_waterfall(pg_catalog.text) IS
'Internal: the terms of a trained model''s current run summed over its training rows (mixmodel.contributions, holdout left out), seasonality terms together, in waterfall order (base, trend, seasonality, holiday, factors, organic, paid channels) with their chart colours.';

CREATE FUNCTION mixmodel.chart_waterfall(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    SELECT array_agg(w.label) AS labels, array_agg(w.contribution) AS vals, array_agg(w.color) AS colors
      INTO f FROM mixmodel._report_waterfall(chart_waterfall.model) w;
    RETURN mixmodel._svg_waterfall(format('What makes up the predicted %s', mixmodel._report_kpi(chart_waterfall.model)),
        f.labels, f.vals, f.colors, 'predicted', 'sum over the training rows (holdout left out), share of the prediction in brackets',
        'number', width);
END $$;
COMMENT ON FUNCTION mixmodel.chart_waterfall(pg_catalog.text, pg_catalog.int4) IS
'SVG waterfall of a trained model''s decomposition over its training rows (mixmodel.contributions): base, trend, seasonality, holidays, each factor, organic and paid channel, up to the predicted total, each with its share.';

CREATE FUNCTION mixmodel._chart_roi(performance pg_catalog.jsonb, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    IF performance IS NULL OR jsonb_typeof(performance) <> 'array' THEN
        RAISE EXCEPTION 'performance must be a jsonb array of channel_performance rows' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(performance) = 0 THEN
        RETURN mixmodel._svg_message('ROI per paid channel', 'The model has no paid channels.', width);
    END IF;
    -- interval columns (roi_lower ...) are read where the view has them: whiskers when not NULL
    WITH e AS (
        SELECT x.e->>'channel' AS channel, (x.e->>'roi')::float8 AS roi, (x.e->>'marginal_roi')::float8 AS mroi,
               (x.e->>'roi_lower')::float8 AS rl, (x.e->>'roi_upper')::float8 AS ru,
               (x.e->>'marginal_roi_lower')::float8 AS ml, (x.e->>'marginal_roi_upper')::float8 AS mu,
               (x.e->>'cpa')::float8 AS cpa, (x.e->>'cpa_lower')::float8 AS cl, (x.e->>'cpa_upper')::float8 AS cu
          FROM jsonb_array_elements(performance) x(e)
    )
    SELECT count(e.roi) > 0 OR count(e.cpa) = 0 AS by_roi,
           array_agg(e.channel ORDER BY e.roi DESC NULLS LAST, e.channel) AS channels,
           array_agg(e.roi ORDER BY e.roi DESC NULLS LAST, e.channel)
               || array_agg(e.mroi ORDER BY e.roi DESC NULLS LAST, e.channel) AS vals,
           array_agg(e.rl ORDER BY e.roi DESC NULLS LAST, e.channel)
               || array_agg(e.ml ORDER BY e.roi DESC NULLS LAST, e.channel) AS lower,
           array_agg(e.ru ORDER BY e.roi DESC NULLS LAST, e.channel)
               || array_agg(e.mu ORDER BY e.roi DESC NULLS LAST, e.channel) AS upper,
           array_agg(e.channel ORDER BY e.cpa NULLS LAST, e.channel) AS cpa_channels,
           array_agg(e.cpa ORDER BY e.cpa NULLS LAST, e.channel) AS cpa,
           array_agg(e.cl ORDER BY e.cpa NULLS LAST, e.channel) AS cpa_lower,
           array_agg(e.cu ORDER BY e.cpa NULLS LAST, e.channel) AS cpa_upper
      INTO f FROM e;
    IF NOT f.by_roi THEN
        -- no revenue known: the model counts conversions, so cost per conversion instead
        RETURN mixmodel._svg_bars('Cost per conversion (CPA) per paid channel', f.cpa_channels, ARRAY['CPA'],
            f.cpa, f.cpa_lower, f.cpa_upper, NULL, ARRAY[1], 'spend / conversions over the training rows (lower is better)',
            'number', width);
    END IF;
    RETURN mixmodel._svg_bars('ROI and marginal ROI per paid channel', f.channels, ARRAY['ROI', 'marginal ROI'],
        f.vals, f.lower, f.upper, NULL, ARRAY[1, 4],
        'ROI = (revenue - spend) / spend over the training rows; marginal ROI: return of the next unit of spend - 1',
        'percent', width);
END $$;
COMMENT ON FUNCTION mixmodel._chart_roi(pg_catalog.jsonb, pg_catalog.int4) IS
'Internal: the ROI chart of a model from its mixmodel.channel_performance rows as a jsonb array: ROI and marginal ROI per paid channel, highest ROI first, with interval whiskers where the rows carry roi_lower/roi_upper and marginal_roi_lower/marginal_roi_upper; CPA (cpa_lower/cpa_upper) when no revenue is known.';

CREATE FUNCTION mixmodel._report_performance(model pg_catalog.text)
    RETURNS pg_catalog.jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int := mixmodel._score_run(_report_performance.model);
BEGIN
    RETURN coalesce((SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('color', rc.position - 1) ORDER BY rc.position)
                       FROM mixmodel.channel_performance p
                       JOIN mixmodel.run_channels rc ON rc.model = p.model AND rc.run = k AND rc.channel = p.channel
                      WHERE p.model = _report_performance.model), '[]');
END $$;
COMMENT ON FUNCTION mixmodel._report_performance(pg_catalog.text) IS
'Internal: a trained model''s mixmodel.channel_performance rows (every column, so interval columns come along) as a jsonb array in channel order, each with its chart colour.';

CREATE FUNCTION mixmodel.chart_roi(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT mixmodel._chart_roi(mixmodel._report_performance(chart_roi.model), chart_roi.width)
$$;
COMMENT ON FUNCTION mixmodel.chart_roi(pg_catalog.text, pg_catalog.int4) IS
'SVG bar chart of ROI and marginal ROI per paid channel of a trained model (mixmodel.channel_performance), highest ROI first, with interval whiskers when the view carries interval columns (roi_lower, roi_upper, marginal_roi_lower, marginal_roi_upper) and they are not NULL; cost per conversion when the model''s revenue is unknown.';

CREATE FUNCTION mixmodel._chart_shares(performance pg_catalog.jsonb, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    IF performance IS NULL OR jsonb_typeof(performance) <> 'array' THEN
        RAISE EXCEPTION 'performance must be a jsonb array of channel_performance rows' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(performance) = 0 THEN
        RETURN mixmodel._svg_message('Spend share and effect share', 'The model has no paid channels.', width);
    END IF;
    WITH e AS (
        SELECT x.e->>'channel' AS channel, (x.e->>'spend')::float8 AS spend,
               (x.e->>'spend_share')::float8 AS ss, (x.e->>'effect_share')::float8 AS es
          FROM jsonb_array_elements(performance) x(e)
    )
    SELECT array_agg(e.channel ORDER BY e.spend DESC NULLS LAST, e.channel) AS channels,
           array_agg(e.ss ORDER BY e.spend DESC NULLS LAST, e.channel)
               || array_agg(e.es ORDER BY e.spend DESC NULLS LAST, e.channel) AS vals
      INTO f FROM e;
    RETURN mixmodel._svg_bars('Spend share and effect share', f.channels, ARRAY['spend share', 'effect share'],
        f.vals, NULL, NULL, NULL, ARRAY[4, 1],
        'share of the paid channels'' spend and of their contribution over the training rows', 'percent', width);
END $$;
COMMENT ON FUNCTION mixmodel._chart_shares(pg_catalog.jsonb, pg_catalog.int4) IS
'Internal: the spend share against effect share chart from mixmodel.channel_performance rows as a jsonb array, largest spend first.';

CREATE FUNCTION mixmodel.chart_shares(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT mixmodel._chart_shares(mixmodel._report_performance(chart_shares.model), chart_shares.width)
$$;
COMMENT ON FUNCTION mixmodel.chart_shares(pg_catalog.text, pg_catalog.int4) IS
'SVG bar chart of each paid channel''s share of spend against its share of the paid channels'' effect (mixmodel.channel_performance), largest spend first.';

CREATE FUNCTION mixmodel._chart_response(curves pg_catalog.jsonb, kpi pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
    m record;
BEGIN
    IF curves IS NULL OR jsonb_typeof(curves) <> 'array' THEN
        RAISE EXCEPTION 'curves must be a jsonb array of response_curves rows' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(curves) = 0 THEN
        RETURN mixmodel._svg_message('Response curves', 'The model has no paid channel with spend.', width);
    END IF;
    WITH e AS (
        SELECT x.e->>'channel' AS channel, coalesce((x.e->>'color')::int, 0) AS color, x.i,
               (x.e->>'spend')::float8 AS spend, (x.e->>'response')::float8 AS response,
               coalesce((x.e->>'is_current')::bool, false) AS cur, coalesce((x.e->>'is_breakeven')::bool, false) AS be,
               coalesce((x.e->>'is_diminishing_returns')::bool, false) AS dr
          FROM jsonb_array_elements(curves) WITH ORDINALITY x(e, i)
    ), ch AS (
        SELECT e.channel, min(e.i) AS first, min(e.color) AS color, count(*)::int AS n,
               row_number() OVER (ORDER BY min(e.i))::int AS k
          FROM e GROUP BY e.channel
    )
    SELECT (SELECT array_agg(ch.channel ORDER BY ch.k) FROM ch) AS names,
           (SELECT array_agg(ch.k ORDER BY ch.k) FROM ch) AS panels,
           (SELECT array_agg(ch.color ORDER BY ch.k) FROM ch) AS colors,
           (SELECT array_agg(ch.n ORDER BY ch.k) FROM ch) AS lengths,
           (SELECT array_agg(e.spend ORDER BY ch.k, e.spend, e.i) FROM e JOIN ch USING (channel)) AS x,
           (SELECT array_agg(e.response ORDER BY ch.k, e.spend, e.i) FROM e JOIN ch USING (channel)) AS y
      INTO f;
    WITH e AS (
        SELECT x.e->>'channel' AS channel, x.i, (x.e->>'spend')::float8 AS spend, (x.e->>'response')::float8 AS response,
               coalesce((x.e->>'is_current')::bool, false) AS cur, coalesce((x.e->>'is_breakeven')::bool, false) AS be,
               coalesce((x.e->>'is_diminishing_returns')::bool, false) AS dr
          FROM jsonb_array_elements(curves) WITH ORDINALITY x(e, i)
    ), mk AS (
        SELECT array_position(f.names, e.channel) AS curve, k.kind, e.spend, e.response, e.i
          FROM e CROSS JOIN LATERAL (VALUES (1, e.cur), (2, e.be), (3, e.dr)) k(kind, flag)
         WHERE k.flag
    )
    SELECT coalesce(array_agg(mk.curve ORDER BY mk.curve, mk.kind, mk.i), '{}') AS curves,
           coalesce(array_agg(mk.kind ORDER BY mk.curve, mk.kind, mk.i), '{}') AS kinds,
           coalesce(array_agg(mk.spend ORDER BY mk.curve, mk.kind, mk.i), '{}') AS x,
           coalesce(array_agg(mk.response ORDER BY mk.curve, mk.kind, mk.i), '{}') AS y
      INTO m FROM mk;
    RETURN mixmodel._svg_curves(format('Response curves: incremental %s against spend', kpi), f.names, f.names,
        f.panels, f.colors, f.lengths, f.x, f.y, m.curves, m.kinds, m.x, m.y,
        ARRAY['current spend', 'marginal break-even (marginal ROAS = 1)', 'point of diminishing returns'],
        ARRAY['dot', 'diamond', 'triangle'], 'spend over the training rows (their weekly pattern)',
        format('incremental %s', kpi), 'number', 'number', width, 190);
END $$;
COMMENT ON FUNCTION mixmodel._chart_response(pg_catalog.jsonb, pg_catalog.text, pg_catalog.int4) IS
'Internal: response-curve small multiples from mixmodel.response_curves rows as a jsonb array (one panel per channel in the order of its first row, colour from a "color" key), the current spend, break-even and point of diminishing returns marked.';

CREATE FUNCTION mixmodel._report_curves(model pg_catalog.text)
    RETURNS pg_catalog.jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int := mixmodel._score_run(_report_curves.model);
BEGIN
    RETURN coalesce((SELECT jsonb_agg(to_jsonb(r) || jsonb_build_object('color', rc.position - 1) ORDER BY rc.position, r.spend)
                       FROM mixmodel.response_curves r
                       JOIN mixmodel.run_channels rc ON rc.model = r.model AND rc.run = k AND rc.channel = r.channel
                      WHERE r.model = _report_curves.model), '[]');
END $$;
COMMENT ON FUNCTION mixmodel._report_curves(pg_catalog.text) IS
'Internal: a trained model''s mixmodel.response_curves rows as a jsonb array in channel and spend order, each with its chart colour.';

CREATE FUNCTION mixmodel.chart_response_curves(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT mixmodel._chart_response(mixmodel._report_curves(chart_response_curves.model),
                                    mixmodel._report_kpi(chart_response_curves.model), chart_response_curves.width)
$$;
COMMENT ON FUNCTION mixmodel.chart_response_curves(pg_catalog.text, pg_catalog.int4) IS
'SVG small multiples of the response curve of every paid channel of a trained model (mixmodel.response_curves): incremental KPI against the spend of the training rows, with the current spend, the marginal break-even and the point of diminishing returns marked.';

CREATE FUNCTION mixmodel.chart_adstock(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int := mixmodel._score_run(chart_adstock.model);
    f record;
BEGIN
    WITH a AS (
        SELECT a.channel, a.lag, a.weight, rc.position
          FROM mixmodel.adstock_curves a
          JOIN mixmodel.run_channels rc ON rc.model = a.model AND rc.run = k AND rc.channel = a.channel
         WHERE a.model = chart_adstock.model
    ), ch AS (
        SELECT a.channel, a.position, count(*)::int AS n FROM a GROUP BY a.channel, a.position
    )
    SELECT (SELECT array_agg(ch.channel ORDER BY ch.position) FROM ch) AS names,
           (SELECT array_agg(ch.position - 1 ORDER BY ch.position) FROM ch) AS colors,
           (SELECT array_agg(ch.n ORDER BY ch.position) FROM ch) AS lengths,
           (SELECT array_agg(a.lag::float8 ORDER BY a.position, a.lag) FROM a) AS x,
           (SELECT array_agg(a.weight ORDER BY a.position, a.lag) FROM a) AS y
      INTO f;
    IF f.names IS NULL THEN
        RETURN mixmodel._svg_message('Adstock', 'The model has no channels.', width);
    END IF;
    RETURN mixmodel._svg_curves('Adstock: the effect of one unit of spend in the periods after it', NULL, f.names,
        NULL, f.colors, f.lengths, f.x, f.y, '{}', '{}', '{}', '{}', '{}', '{}',
        'periods after the spend', 'adstock weight', 'number', 'number', width, 230);
END $$;
COMMENT ON FUNCTION mixmodel.chart_adstock(pg_catalog.text, pg_catalog.int4) IS
'SVG chart of the adstock (carry-over) curve of every channel of a trained model (mixmodel.adstock_curves): the weight of one unit of spend at each lag.';
