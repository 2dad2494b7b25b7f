-- report: SVG charts of a budget plan, from the plan tables and views (doc/report.md)

CREATE FUNCTION mixmodel._report_plan_channels(plan pg_catalog.text)
    RETURNS TABLE (channel pg_catalog.text, o pg_catalog.int4, color pg_catalog.int4)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[_report_plan_channels.plan]);
    -- the plan model's channels keep their colour; channels of other models of the plan follow
    RETURN QUERY
    SELECT c.channel, (row_number() OVER (ORDER BY rc.position NULLS LAST, c.channel))::int,
           coalesce(rc.position - 1, (count(rc.position) OVER () + row_number() OVER (PARTITION BY rc.position IS NULL ORDER BY c.channel) - 1))::int
      FROM (SELECT DISTINCT s.channel FROM mixmodel.plan_summary s
             WHERE s.plan = _report_plan_channels.plan AND s.channel NOT IN ('base', 'total')) c
      JOIN mixmodel.plans p ON p.name = _report_plan_channels.plan
      LEFT JOIN mixmodel.run_channels rc ON rc.model = p.model AND rc.run = p.run AND rc.channel = c.channel AND rc.paid;
END $$;
COMMENT ON FUNCTION mixmodel._report_plan_channels(pg_catalog.text) IS
'Internal: the paid channels of a plan in chart order with their colours (the model''s channels as in its charts, channels of the plan''s other models after them).';

CREATE FUNCTION mixmodel.chart_plan(plan pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
    f record;
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[chart_plan.plan]);
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = chart_plan.plan;
    WITH ch AS (
        SELECT c.channel, c.o, c.color FROM mixmodel._report_plan_channels(chart_plan.plan) c
    ), a AS (
        SELECT a.week, a.channel, a.kind, a.spend, a.kpi FROM mixmodel.plan_allocations a WHERE a.plan = chart_plan.plan
    ), paid AS (
        SELECT a.week, sum(a.kpi) FILTER (WHERE a.kind = 'paid') AS kpi FROM a GROUP BY a.week
    ), w AS (
        -- the flights, and the lag tail while the paid spend still earns 1% of its best week
        SELECT paid.week FROM paid
         WHERE EXISTS (SELECT 1 FROM mixmodel.plan_flights pf WHERE pf.plan = chart_plan.plan AND paid.week BETWEEN pf.from_date AND pf.to_date)
            OR paid.week <= (SELECT max(x.week) FROM paid x WHERE abs(x.kpi) >= 0.01 * (SELECT max(abs(y.kpi)) FROM paid y))
    ), s AS (
        -- series 1..n: planned spend per channel; n+1: the base; n+2..: each channel's forecast
        SELECT ch.channel AS name, 1 AS panel, 'bar' AS style, ch.color, ch.o AS i, 'paid' AS kind, 'spend' AS what FROM ch
        UNION ALL SELECT 'base', 2, 'area', -1, (SELECT count(*) FROM ch)::int + 1, 'base', 'kpi'
        UNION ALL SELECT ch.channel, 2, 'area', ch.color, (SELECT count(*) FROM ch)::int + 1 + ch.o, 'paid', 'kpi' FROM ch
    )
    SELECT (SELECT array_agg(w.week ORDER BY w.week) FROM w) AS weeks,
           (SELECT array_agg(s.name ORDER BY s.i) FROM s) AS names,
           (SELECT array_agg(s.panel ORDER BY s.i) FROM s) AS panels,
           (SELECT array_agg(s.style ORDER BY s.i) FROM s) AS styles,
           (SELECT array_agg(s.color ORDER BY s.i) FROM s) AS colors,
           j.vs, j.vp, j.vv
      INTO f
      FROM (SELECT array_agg(s.i) AS vs, array_agg(a.week) AS vp,
                   array_agg(CASE s.what WHEN 'spend' THEN a.spend ELSE a.kpi END) AS vv
              FROM a JOIN w ON w.week = a.week JOIN s ON s.name = a.channel AND s.kind = a.kind) j;
    IF f.weeks IS NULL THEN
        RETURN mixmodel._svg_message('Planned spend per week', 'The plan has no weeks.', width);
    END IF;
    RETURN mixmodel._svg_time('Planned spend and forecast per week', f.weeks, f.names, f.panels, f.styles, f.colors, f.vv,
        ARRAY['planned spend per week by channel', format('forecast %s per week (stacked: base, then what each channel''s spend earns, carry-over included)', p.kpi_unit)],
        ARRAY['number', 'number'], ARRAY[true, true], NULL, NULL, width, 190, f.vs, f.vp);
END $$;
COMMENT ON FUNCTION mixmodel.chart_plan(pg_catalog.text, pg_catalog.int4) IS
'SVG chart of a plan per week (mixmodel.plan_allocations): the planned spend of each paid channel (stacked bars) and the forecast KPI, the base and each channel''s part (carry-over included), over the flights and the weeks after them while the paid channels still earn at least 1% of their best week.';

CREATE FUNCTION mixmodel._report_plan_split(plan pg_catalog.text)
    RETURNS TABLE (channel pg_catalog.text, color pg_catalog.int4, spend pg_catalog.float8, share pg_catalog.float8,
                   historical_share pg_catalog.float8, revenue pg_catalog.float8, roi pg_catalog.float8,
                   marginal_roi pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
    rpk float8;
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[_report_plan_split.plan]);
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = _report_plan_split.plan;
    rpk := CASE WHEN p.kpi_unit = 'revenue' THEN 1 ELSE p.revenue_per_conversion END;
    -- over all flights: ROI from each flight's ROI weighted by its spend (roi_f = revenue_f / spend_f - 1),
    -- marginal ROI = marginal KPI x revenue per KPI unit - 1, spend-weighted
    RETURN QUERY
    SELECT s.channel, ch.color, sum(s.spend),
           sum(s.spend) / nullif(sum(sum(s.spend)) OVER (), 0),
           max(s.historical_share),
           sum(s.spend * (s.roi + 1)),
           sum(s.spend * (s.roi + 1)) / nullif(sum(s.spend), 0) - 1,
           CASE WHEN sum(s.spend) > 0 THEN sum(s.spend * s.marginal) / sum(s.spend) ELSE avg(s.marginal) END * rpk - 1
      FROM mixmodel.plan_summary s
      JOIN mixmodel._report_plan_channels(_report_plan_split.plan) ch ON ch.channel = s.channel
     WHERE s.plan = _report_plan_split.plan
     GROUP BY s.channel, ch.color, ch.o
     ORDER BY ch.o;
END $$;
COMMENT ON FUNCTION mixmodel._report_plan_split(pg_catalog.text) IS
'Internal: a plan''s paid channels over all its flights (mixmodel.plan_summary): spend, its share, the historical share, revenue (spend x (roi + 1) per flight), ROI and marginal ROI (the flights'' marginal KPI in revenue, spend-weighted; averaged when the channel gets nothing).';

CREATE FUNCTION mixmodel.chart_plan_shares(plan pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    SELECT array_agg(s.channel ORDER BY s.spend DESC, s.channel) AS channels,
           array_agg(s.historical_share ORDER BY s.spend DESC, s.channel)
               || array_agg(s.share ORDER BY s.spend DESC, s.channel) AS vals
      INTO f FROM mixmodel._report_plan_split(chart_plan_shares.plan) s;
    IF f.channels IS NULL THEN
        RETURN mixmodel._svg_message('Planned split against the historical split', 'The plan has no paid channels.', width);
    END IF;
    RETURN mixmodel._svg_bars('Planned split against the historical split', f.channels,
        ARRAY['historical share (training window)', 'planned share'], f.vals, NULL, NULL, NULL, ARRAY[-4, 1],
        'share of the paid spend', 'percent', width);
END $$;
COMMENT ON FUNCTION mixmodel.chart_plan_shares(pg_catalog.text, pg_catalog.int4) IS
'SVG bar chart of a plan''s split of the paid spend over its flights next to each channel''s historical share (mixmodel.plan_summary), largest planned spend first.';

CREATE FUNCTION mixmodel.chart_plan_roi(plan pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    SELECT array_agg(s.channel ORDER BY s.roi DESC NULLS LAST, s.channel) AS channels,
           array_agg(s.roi ORDER BY s.roi DESC NULLS LAST, s.channel)
               || array_agg(s.marginal_roi ORDER BY s.roi DESC NULLS LAST, s.channel) AS vals
      INTO f FROM mixmodel._report_plan_split(chart_plan_roi.plan) s;
    IF f.channels IS NULL THEN
        RETURN mixmodel._svg_message('Forecast ROI per channel', 'The plan has no paid channels.', width);
    END IF;
    RETURN mixmodel._svg_bars('Forecast ROI and marginal ROI per channel', f.channels, ARRAY['ROI', 'marginal ROI'],
        f.vals, NULL, NULL, NULL, ARRAY[1, 4],
        'ROI: revenue the spend adds / spend - 1; marginal ROI: of the next unit (equal for channels inside their bounds at the optimum)',
        'percent', width);
END $$;
COMMENT ON FUNCTION mixmodel.chart_plan_roi(pg_catalog.text, pg_catalog.int4) IS
'SVG bar chart of a plan''s forecast ROI and marginal ROI per paid channel over its flights (mixmodel.plan_summary; marginal ROI spend-weighted over flights), highest ROI first.';

CREATE FUNCTION mixmodel.chart_plan_actuals(plan pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
    f record;
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[chart_plan_actuals.plan]);
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = chart_plan_actuals.plan;
    WITH a AS (
        SELECT a.week, a.channel, a.planned_spend, a.actual_spend, a.planned_kpi, a.actual_kpi
          FROM mixmodel.plan_actuals a WHERE a.plan = chart_plan_actuals.plan
    ), w AS (
        SELECT a.week, max(a.planned_kpi) FILTER (WHERE a.channel = 'total') AS pk,
               max(a.actual_kpi) FILTER (WHERE a.channel = 'total') AS ak,
               sum(a.planned_spend) FILTER (WHERE a.channel <> 'total') AS ps,
               sum(a.actual_spend) FILTER (WHERE a.channel <> 'total') AS asp
          FROM a GROUP BY a.week
    )
    SELECT array_agg(w.week ORDER BY w.week) AS weeks,
           array_agg(w.pk ORDER BY w.week) || array_agg(w.ak ORDER BY w.week)
               || array_agg(w.ps ORDER BY w.week) || array_agg(w.asp ORDER BY w.week) AS vals
      INTO f FROM w;
    IF f.weeks IS NULL THEN
        RETURN mixmodel._svg_message('Plan against actuals',
            format('No actuals yet: the model''s source holds no week of plan "%s".', chart_plan_actuals.plan), width);
    END IF;
    RETURN mixmodel._svg_time('Plan against actuals', f.weeks,
        ARRAY[format('planned %s', p.kpi_unit), format('actual %s', p.kpi_unit), 'planned paid spend', 'actual paid spend'],
        ARRAY[1, 1, 2, 2], ARRAY['dash', 'line', 'dash', 'line'], ARRAY[0, -3, 4, 1], f.vals,
        ARRAY[format('%s per week: forecast of the plan against the actual', p.kpi_unit), 'paid spend per week'],
        ARRAY['number', 'number'], ARRAY[true, true], NULL, NULL, width, 170);
END $$;
COMMENT ON FUNCTION mixmodel.chart_plan_actuals(pg_catalog.text, pg_catalog.int4) IS
'SVG chart of a plan against the actuals that have arrived (mixmodel.plan_actuals): the forecast against the actual KPI per week, and the planned against the actual paid spend; a message when no week has actuals yet.';

CREATE FUNCTION mixmodel.chart_compare_plans(a pg_catalog.text, b pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    SELECT array_agg(c.channel ORDER BY greatest(c.spend_a, c.spend_b) DESC NULLS LAST, c.channel) AS channels,
           array_agg(c.spend_a ORDER BY greatest(c.spend_a, c.spend_b) DESC NULLS LAST, c.channel)
               || array_agg(c.spend_b ORDER BY greatest(c.spend_a, c.spend_b) DESC NULLS LAST, c.channel) AS vals
      INTO f FROM mixmodel.compare_plans(chart_compare_plans.a, chart_compare_plans.b) c
     WHERE c.channel NOT IN ('base', 'paid', 'total');
    IF f.channels IS NULL THEN
        RETURN mixmodel._svg_message('Spend per channel', 'The plans have no paid channels.', width);
    END IF;
    RETURN mixmodel._svg_bars('Spend per channel in both plans', f.channels, ARRAY[chart_compare_plans.a, chart_compare_plans.b],
        f.vals, NULL, NULL, NULL, ARRAY[4, 1], 'spend over all flights (mixmodel.compare_plans)', 'number', width);
END $$;
COMMENT ON FUNCTION mixmodel.chart_compare_plans(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'SVG bar chart of two plans'' spend per paid channel over their flights (mixmodel.compare_plans).';
