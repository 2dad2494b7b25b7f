-- report: one self-contained HTML page per model or plan, and a text chart for psql (doc/report.md)

CREATE FUNCTION mixmodel._report_page(title pg_catalog.text, body pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    -- no script, no request: the policy forbids both, so a label can never load or run anything
    SELECT '<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src ''none''; style-src ''unsafe-inline''; img-src data:">
<title>' || mixmodel._html_escape(coalesce(_report_page.title, '')) || '</title>
<style>
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:0;background:#efefec}
main{max-width:1000px;margin:0 auto;padding:18px 24px 32px;background:#fff}
h1{font-size:22px;margin:4px 0 2px}
h2{font-size:17px;margin:30px 0 6px;padding-bottom:4px;border-bottom:1px solid #d8d8d8}
p{font-size:13px;line-height:1.45;margin:6px 0}
.meta{color:#555}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(145px,1fr));gap:10px;margin:14px 0 6px}
.card{border:1px solid #dcdcdc;border-radius:6px;padding:9px 11px}
.card .v{font-size:19px;font-weight:bold;white-space:nowrap}
.card .l{font-size:11.5px;color:#555;margin-top:2px}
.chart{margin:12px 0}
.chart svg{max-width:100%;height:auto;display:block}
.pair{display:flex;flex-wrap:wrap;gap:0 12px}
.pair>.chart{flex:1 1 470px;min-width:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:12.5px;margin:8px 0}
th,td{padding:4px 9px;border-bottom:1px solid #e6e6e6;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#f5f5f3;font-weight:600}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;background:#e7efe9;color:#1f5130}
.badge.no{background:#f6e3e6;color:#7a1f33}
footer{margin-top:28px;font-size:11.5px;color:#777}
</style></head>
<body><main>
' || _report_page.body || '
<footer>Made by mixmodel ' || mixmodel._html_escape(mixmodel.version()) || ' from its result views; every number on this page is a row of a view you can query.</footer>
</main></body></html>
'
$$;
COMMENT ON FUNCTION mixmodel._report_page(pg_catalog.text, pg_catalog.text) IS
'Internal: wraps report sections in one self-contained HTML page (inline CSS, a content security policy that allows no script and no request).';

CREATE FUNCTION mixmodel._report_card(value pg_catalog.text, label pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT format('<div class="card"><div class="v">%s</div><div class="l">%s</div></div>',
                  mixmodel._html_escape(coalesce(_report_card.value, 'n/a')), mixmodel._html_escape(coalesce(_report_card.label, '')))
$$;
COMMENT ON FUNCTION mixmodel._report_card(pg_catalog.text, pg_catalog.text) IS 'Internal: one summary card of a report.';

CREATE FUNCTION mixmodel._report_chart(svg pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT '<div class="chart">' || _report_chart.svg || '</div>'
$$;
COMMENT ON FUNCTION mixmodel._report_chart(pg_catalog.text) IS 'Internal: an SVG chart placed in a report.';

-- the value with its interval, "1.2 (0.9 to 1.5)", when the row carries one
CREATE FUNCTION mixmodel._report_interval(e pg_catalog.jsonb, col pg_catalog.text, fmt pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT mixmodel._html_escape(coalesce(mixmodel._format_value((e->>col)::float8, fmt), 'n/a')
           || CASE WHEN e->>(col || '_lower') IS NOT NULL AND e->>(col || '_upper') IS NOT NULL
                   THEN format(' (%s to %s)', mixmodel._format_value((e->>(col || '_lower'))::float8, fmt),
                               mixmodel._format_value((e->>(col || '_upper'))::float8, fmt))
                   ELSE '' END)
$$;
COMMENT ON FUNCTION mixmodel._report_interval(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text) IS
'Internal: a column of a jsonb view row written as a value, with its interval (columns col_lower and col_upper) when the row has one.';

CREATE FUNCTION mixmodel._report_plan_section(plan pg_catalog.text, compare_to pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
    html text;
    t record;
    half int := (width - 12) / 2;
    actuals bool;
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[_report_plan_section.plan]);
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = _report_plan_section.plan;
    SELECT sum(s.spend) FILTER (WHERE s.channel <> 'base' AND s.channel <> 'total') AS spend,
           sum(s.spend * (s.roi + 1)) FILTER (WHERE s.channel <> 'base' AND s.channel <> 'total') AS revenue,
           sum(s.incremental) FILTER (WHERE s.channel = 'total') AS incremental,
           sum(s.kpi) FILTER (WHERE s.channel = 'total') AS kpi
      INTO t FROM mixmodel.plan_summary s WHERE s.plan = p.name;
    html := format('<p class="meta">Plan %s of model %s (run %s): goal %s, %s, spend pattern %s; %s flight(s) from %s to %s.</p>',
                   mixmodel._html_escape(p.name), mixmodel._html_escape(p.model), p.run, mixmodel._html_escape(p.goal),
                   mixmodel._html_escape(p.target_metric), mixmodel._html_escape(p.spend_pattern #>> '{}'),
                   (SELECT count(*) FROM mixmodel.plan_flights f WHERE f.plan = p.name),
                   (SELECT min(f.from_date) FROM mixmodel.plan_flights f WHERE f.plan = p.name),
                   (SELECT max(f.to_date) FROM mixmodel.plan_flights f WHERE f.plan = p.name));
    html := html || '<div class="cards">'
        || mixmodel._report_card(mixmodel._format_value(t.spend, 'number'), 'planned paid spend')
        || mixmodel._report_card(mixmodel._format_value(t.revenue, 'number'), 'revenue the paid spend adds (carry-over included)')
        || mixmodel._report_card(mixmodel._format_value(t.revenue / nullif(t.spend, 0) - 1, 'percent'), 'ROI of the paid spend')
        || mixmodel._report_card(mixmodel._format_value(t.kpi, 'number'), format('forecast %s, base included', p.kpi_unit))
        || mixmodel._report_card(CASE WHEN p.kkt_residual IS NULL THEN 'n/a' ELSE trim(to_char(p.kkt_residual, '9.9EEEE')) END,
                                 'optimality certificate: KKT residual')
        || coalesce((SELECT mixmodel._report_card(CASE WHEN bool_and(f.achievable) THEN 'yes' ELSE 'no' END, 'target achievable')
                       FROM mixmodel.plan_flights f WHERE f.plan = p.name AND f.achievable IS NOT NULL HAVING count(*) > 0), '')
        || '</div>';
    html := html || mixmodel._report_chart(mixmodel.chart_plan(p.name, width))
        || '<div class="pair">' || mixmodel._report_chart(mixmodel.chart_plan_shares(p.name, half))
        || mixmodel._report_chart(mixmodel.chart_plan_roi(p.name, half)) || '</div>';
    html := html || '<div class="scroll"><table><tr><th>flight</th><th>channel</th><th>spend</th><th>share</th><th>historical share</th>'
        || format('<th>forecast %s</th><th>added by the spend</th><th>ROI</th><th>CPA</th><th>marginal %s</th><th>bounds</th></tr>',
                  mixmodel._html_escape(p.kpi_unit), mixmodel._html_escape(p.kpi_unit))
        || (SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                                     s.flight, mixmodel._html_escape(s.channel), mixmodel._format_value(s.spend, 'number'),
                                     coalesce(mixmodel._format_value(s.share, 'percent'), ''),
                                     coalesce(mixmodel._format_value(s.historical_share, 'percent'), ''),
                                     mixmodel._report_interval(to_jsonb(s), 'kpi', 'number'),
                                     CASE WHEN s.channel = 'base' THEN '' ELSE mixmodel._report_interval(to_jsonb(s), 'incremental', 'number') END,
                                     CASE WHEN s.roi IS NULL THEN '' ELSE mixmodel._report_interval(to_jsonb(s), 'roi', 'percent') END,
                                     coalesce(mixmodel._format_value(s.cpa, 'number'), ''),
                                     coalesce(mixmodel._format_value(s.marginal, 'number'), ''),
                                     CASE WHEN s.min_spend IS NULL THEN '' ELSE mixmodel._format_value(s.min_spend, 'number') || ' to '
                                          || coalesce(mixmodel._format_value(s.max_spend, 'number'), 'any') END),
                              '' ORDER BY s.flight, s.channel = 'total', s.channel = 'base', ch.o, s.channel)
              FROM mixmodel.plan_summary s
              LEFT JOIN mixmodel._report_plan_channels(p.name) ch ON ch.channel = s.channel
             WHERE s.plan = p.name)
        || '</table></div><p class="note">Per flight (mixmodel.plan_summary): the forecast includes the carry-over of earlier spend; '
        || 'base is the forecast without paid media; ROI and CPA count what the plan''s spend adds; marginal is the KPI of the next unit of spend; '
        || 'for a Bayesian model, the credible interval in brackets.</p>';
    actuals := EXISTS (SELECT 1 FROM mixmodel.plan_actuals a WHERE a.plan = p.name);
    IF actuals THEN
        html := html || mixmodel._report_chart(mixmodel.chart_plan_actuals(p.name, width));
    ELSE
        html := html || '<p>Plan against actuals: none yet, the model''s source holds none of the plan''s weeks (mixmodel.plan_actuals).</p>';
    END IF;
    IF compare_to IS NOT NULL THEN
        html := html || format('<h3>Compared with plan %s</h3>', mixmodel._html_escape(compare_to))
            || mixmodel._report_chart(mixmodel.chart_compare_plans(p.name, compare_to, width))
            || format('<div class="scroll"><table><tr><th>channel</th><th>spend %1$s</th><th>spend %2$s</th><th>revenue %1$s</th><th>revenue %2$s</th><th>ROI %1$s</th><th>ROI %2$s</th></tr>',
                      mixmodel._html_escape(p.name), mixmodel._html_escape(compare_to))
            || (SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                                         mixmodel._html_escape(c.channel),
                                         coalesce(mixmodel._format_value(c.spend_a, 'number'), ''), coalesce(mixmodel._format_value(c.spend_b, 'number'), ''),
                                         coalesce(mixmodel._format_value(c.revenue_a, 'number'), ''), coalesce(mixmodel._format_value(c.revenue_b, 'number'), ''),
                                         coalesce(mixmodel._format_value(c.roi_a, 'percent'), ''), coalesce(mixmodel._format_value(c.roi_b, 'percent'), '')),
                                  '' ORDER BY c.channel IN ('base', 'paid', 'total'), c.channel)
                  FROM mixmodel.compare_plans(p.name, compare_to) c)
            || '</table></div><p class="note">mixmodel.compare_plans: paid is what paid spend adds; total includes the base.</p>';
    END IF;
    RETURN html;
END $$;
COMMENT ON FUNCTION mixmodel._report_plan_section(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'Internal: the HTML of a plan in a report: summary cards, spend and forecast per week, planned against historical split, forecast ROI, the per-flight table, plan against actuals and, with compare_to, the comparison with another plan.';

-- the geos of a geo model (doc/geo.md): ROI per geo and channel as a chart (the largest
-- geos) and a table (every geo, then national, the sum of the geos); '' for other models
CREATE FUNCTION mixmodel._report_geo_section(model pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chans text[];
    top text[];
    ng int;
    chart text;
    tbl text;
BEGIN
    SELECT array_agg(DISTINCT g.channel ORDER BY g.channel) INTO chans
      FROM mixmodel.geo_channel_performance g WHERE g.model = _report_geo_section.model;
    IF chans IS NULL THEN
        RETURN '';
    END IF;
    SELECT count(*) INTO ng FROM mixmodel.run_geos g JOIN mixmodel.models m ON m.name = g.model AND m.current_run = g.run
     WHERE g.model = _report_geo_section.model;
    -- the 12 largest geos (population, else the scale's inverse), largest first
    SELECT array_agg(x.geo ORDER BY x.o) INTO top
      FROM (SELECT g.geo, row_number() OVER (ORDER BY g.scale, g.geo) AS o
              FROM mixmodel.run_geos g JOIN mixmodel.models m ON m.name = g.model AND m.current_run = g.run
             WHERE g.model = _report_geo_section.model) x
     WHERE x.o <= 12;
    chart := mixmodel._svg_bars(
        CASE WHEN ng > 12 THEN format('ROI per geo and channel (the 12 largest of %s geos)', ng) ELSE 'ROI per geo and channel' END,
        top, chans,
        ARRAY(SELECT p.roi FROM unnest(chans) WITH ORDINALITY c(ch, i) CROSS JOIN unnest(top) WITH ORDINALITY t(geo, j)
                LEFT JOIN mixmodel.geo_channel_performance p ON p.model = _report_geo_section.model AND p.geo = t.geo AND p.channel = c.ch
               ORDER BY c.i, t.j),
        ARRAY(SELECT p.roi_lower FROM unnest(chans) WITH ORDINALITY c(ch, i) CROSS JOIN unnest(top) WITH ORDINALITY t(geo, j)
                LEFT JOIN mixmodel.geo_channel_performance p ON p.model = _report_geo_section.model AND p.geo = t.geo AND p.channel = c.ch
               ORDER BY c.i, t.j),
        ARRAY(SELECT p.roi_upper FROM unnest(chans) WITH ORDINALITY c(ch, i) CROSS JOIN unnest(top) WITH ORDINALITY t(geo, j)
                LEFT JOIN mixmodel.geo_channel_performance p ON p.model = _report_geo_section.model AND p.geo = t.geo AND p.channel = c.ch
               ORDER BY c.i, t.j),
        NULL, ARRAY(SELECT i::int FROM generate_series(1, cardinality(chans)) i),
        'ROI = (revenue - spend) / spend over the training rows, each geo partially pooled toward the national effect',
        'percent', width);
    tbl := '<div class="scroll"><table><tr><th>geo</th><th>population</th><th>R² (training)</th>'
        || (SELECT string_agg(format('<th>ROI %s</th>', mixmodel._html_escape(c)), '' ORDER BY i)
              FROM unnest(chans) WITH ORDINALITY u(c, i))
        || '</tr>'
        || coalesce((SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td>%s</tr>',
                                              mixmodel._html_escape(coalesce(g.geo, 'national (sum of the geos)')),
                                              mixmodel._html_escape(coalesce(mixmodel._format_value(g.population, 'number'), '')),
                                              mixmodel._html_escape(coalesce(mixmodel._format_value(q.r2, 'number'), '')),
                                              (SELECT string_agg('<td>' || mixmodel._report_interval(to_jsonb(p), 'roi', 'percent') || '</td>', ''
                                                                 ORDER BY c.i)
                                                 FROM unnest(chans) WITH ORDINALITY c(ch, i)
                                                 LEFT JOIN mixmodel.geo_channel_performance p
                                                   ON p.model = _report_geo_section.model AND p.geo IS NOT DISTINCT FROM g.geo
                                                  AND p.channel = c.ch)),
                                       '' ORDER BY g.geo IS NULL, g.o)
                       FROM (SELECT r.geo, r.population, row_number() OVER (ORDER BY r.scale, r.geo) AS o
                               FROM mixmodel.run_geos r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
                              WHERE r.model = _report_geo_section.model
                             UNION ALL SELECT NULL, NULL, NULL) g
                       LEFT JOIN mixmodel.geo_metrics q ON q.model = _report_geo_section.model AND q.geo = g.geo AND q.split = 'train'), '')
        || '</table></div>';
    RETURN mixmodel._report_chart(chart) || tbl
        || '<p class="note">mixmodel.geo_channel_performance: each geo''s effects are partially pooled toward the national '
        || 'model''s (doc/geo.md); the national row is the sum of the geos, draw by draw; R² from mixmodel.geo_metrics.</p>';
END $$;
COMMENT ON FUNCTION mixmodel._report_geo_section(pg_catalog.text, pg_catalog.int4) IS 'Internal: the Geos section of a geo model''s report: ROI per geo and channel with its interval as a bar chart of the 12 largest geos and as a table of every geo and the national sum, with each geo''s training R²; empty for other models.';

CREATE FUNCTION mixmodel.report(model pg_catalog.text, plan pg_catalog.text DEFAULT NULL, compare_to pg_catalog.text DEFAULT NULL)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    -- serial reads: a parallel sum adds in another order, and a rerun must give the same page
    SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    k int := mixmodel._score_run(report.model);
    m mixmodel.models;
    r mixmodel.runs;
    kpi text := mixmodel._report_kpi(report.model);
    perf jsonb;
    curves jsonb;
    t record;
    fit record;
    html text;
    w int := 952;
    half int := 470;
    n int := 0;
    sec int := 0;
    geo text;
BEGIN
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = report.model;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = k;
    IF compare_to IS NOT NULL AND plan IS NULL THEN
        RAISE EXCEPTION 'compare_to needs a plan' USING ERRCODE = '22023',
            HINT = 'Name the plan to compare with compare_to, or call mixmodel.compare_plans.';
    END IF;
    IF plan IS NOT NULL THEN
        PERFORM mixmodel._check_plans(ARRAY[plan] || CASE WHEN compare_to IS NULL THEN '{}'::text[] ELSE ARRAY[compare_to] END);
        IF NOT EXISTS (SELECT 1 FROM mixmodel.plans p WHERE p.name = report.plan AND p.model = report.model) THEN
            RAISE EXCEPTION 'plan "%" is not a plan of model "%"', plan, model USING ERRCODE = '22023',
                DETAIL = format('It plans model "%s".', (SELECT p.model FROM mixmodel.plans p WHERE p.name = report.plan)),
                HINT = 'Call mixmodel.plan_report for a plan of another model.';
        END IF;
    END IF;

    -- each view read once; the charts and tables below share the rows
    perf := mixmodel._report_performance(m.name);
    curves := mixmodel._report_curves(m.name);
    SELECT sum(e.spend) AS spend, sum(e.revenue) AS revenue, sum(e.contribution) AS contribution, bool_and(e.revenue IS NOT NULL) AS known
      INTO t FROM jsonb_to_recordset(perf) e(spend float8, revenue float8, contribution float8);
    SELECT sum(f.actual) FILTER (WHERE NOT f.holdout) AS actual, sum(f.predicted) FILTER (WHERE NOT f.holdout) AS predicted,
           count(*) FILTER (WHERE NOT f.holdout) AS n_train, count(*) FILTER (WHERE f.holdout) AS n_test,
           min(f.period) FILTER (WHERE f.holdout) AS holdout_from
      INTO fit FROM mixmodel.model_fit f WHERE f.model = m.name;

    html := format('<header><h1>Marketing-mix model %s</h1>', mixmodel._html_escape(m.name))
        || format('<p class="meta">Run %s, trained %s; %s model of %s on %s; %s to %s: %s training periods%s.</p>',
                  k, to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'),
                  mixmodel._html_escape(coalesce(r.config->>'form', m.options->>'form', 'additive')),
                  mixmodel._html_escape(kpi),
                  mixmodel._html_escape(CASE WHEN m.source_kind = 'wide' THEN 'the table ' || m.source::text ELSE 'harmonized data' END),
                  r.from_date, r.to_date, fit.n_train,
                  CASE WHEN fit.n_test > 0 THEN format(', then %s held out from %s', fit.n_test, fit.holdout_from) ELSE '' END);
    html := html || '<div class="cards">'
        || mixmodel._report_card(mixmodel._format_value(fit.actual, 'number'), format('%s over the training periods', kpi))
        || mixmodel._report_card(mixmodel._format_value(t.spend, 'number'), 'paid media spend')
        || mixmodel._report_card(mixmodel._format_value(CASE WHEN t.known THEN t.revenue END, 'number'), 'revenue from paid media')
        || mixmodel._report_card(mixmodel._format_value(CASE WHEN t.known THEN (t.revenue - t.spend) / nullif(t.spend, 0) END, 'percent'), 'ROI of paid media')
        || mixmodel._report_card(mixmodel._format_value(t.contribution / nullif(fit.predicted, 0), 'percent'), format('of predicted %s from paid media', kpi))
        || coalesce((SELECT string_agg(mixmodel._report_card(x.v, x.l), '' ORDER BY x.o)
                       FROM (SELECT 1 AS o, to_char(mm.r2, 'FM0.000') AS v, 'R2, training' AS l FROM mixmodel.model_metrics mm WHERE mm.model = m.name AND mm.split = 'train'
                             UNION ALL SELECT 2, to_char(mm.r2, 'FM0.000'), 'R2, holdout' FROM mixmodel.model_metrics mm WHERE mm.model = m.name AND mm.split = 'test'
                             UNION ALL SELECT 3, mixmodel._format_value(mm.mape, 'percent'), 'MAPE, holdout' FROM mixmodel.model_metrics mm WHERE mm.model = m.name AND mm.split = 'test'
                             UNION ALL SELECT 4, to_char(mm.decomp_rssd, 'FM0.000'), 'DECOMP.RSSD' FROM mixmodel.model_metrics mm WHERE mm.model = m.name AND mm.split = 'train') x), '')
        || '</div></header>';

    sec := sec + 1;
    html := html || format('<section id="quality"><h2>%s. Model quality</h2>', sec)
        || mixmodel._report_chart(mixmodel.chart_fit(m.name, w))
        || '<div class="scroll"><table><tr><th>split</th><th>periods</th><th>R2</th><th>adjusted R2</th><th>MAPE</th><th>sMAPE</th><th>RMSE</th><th>NRMSE</th><th>DECOMP.RSSD</th></tr>'
        || coalesce((SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                                              mm.split, mm.n, coalesce(to_char(mm.r2, 'FM0.000'), ''), coalesce(to_char(mm.adj_r2, 'FM0.000'), ''),
                                              coalesce(mixmodel._format_value(mm.mape, 'percent'), ''), coalesce(to_char(mm.smape, 'FM0.000'), ''),
                                              coalesce(mixmodel._format_value(mm.rmse, 'number'), ''), coalesce(to_char(mm.nrmse, 'FM0.000'), ''),
                                              coalesce(to_char(mm.decomp_rssd, 'FM0.000'), '')),
                                       '' ORDER BY CASE mm.split WHEN 'train' THEN 0 WHEN 'validation' THEN 1 ELSE 2 END)
                       FROM mixmodel.model_metrics mm WHERE mm.model = m.name), '')
        || '</table></div><p class="note">mixmodel.model_metrics: training rows in sample, the holdout out of sample.</p></section>';

    sec := sec + 1;
    html := html || format('<section id="contributions"><h2>%s. Contributions</h2>', sec)
        || mixmodel._report_chart(mixmodel.chart_contributions(m.name, w))
        || mixmodel._report_chart(mixmodel.chart_waterfall(m.name, w)) || '</section>';

    sec := sec + 1;
    html := html || format('<section id="channels"><h2>%s. Channel performance</h2>', sec)
        || '<div class="pair">' || mixmodel._report_chart(mixmodel._chart_roi(perf, half))
        || mixmodel._report_chart(mixmodel._chart_shares(perf, half)) || '</div>'
        || '<div class="scroll"><table><tr><th>channel</th><th>spend</th><th>revenue</th><th>conversions</th><th>ROI</th><th>marginal ROI</th><th>CPA</th><th>spend share</th><th>effect share</th><th>carry-over share</th></tr>'
        || coalesce((SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                                              mixmodel._html_escape(e.e->>'channel'),
                                              mixmodel._report_interval(e.e, 'spend', 'number'),
                                              mixmodel._report_interval(e.e, 'revenue', 'number'),
                                              mixmodel._report_interval(e.e, 'conversions', 'number'),
                                              mixmodel._report_interval(e.e, 'roi', 'percent'),
                                              mixmodel._report_interval(e.e, 'marginal_roi', 'percent'),
                                              mixmodel._report_interval(e.e, 'cpa', 'number'),
                                              mixmodel._report_interval(e.e, 'spend_share', 'percent'),
                                              mixmodel._report_interval(e.e, 'effect_share', 'percent'),
                                              mixmodel._report_interval(e.e, 'carryover_share', 'percent')),
                                       '' ORDER BY e.i)
                       FROM jsonb_array_elements(perf) WITH ORDINALITY e(e, i)), '')
        || '</table></div><p class="note">mixmodel.channel_performance over the training rows: ROI = (revenue - spend) / spend; '
        || 'marginal ROI is the return of the next unit of spend at the current level, minus 1; the effect share is the channel''s '
        || 'share of the paid channels'' contribution; the carry-over share comes from earlier periods'' spend.</p></section>';

    geo := mixmodel._report_geo_section(m.name, w);
    IF geo <> '' THEN
        sec := sec + 1;
        html := html || format('<section id="geos"><h2>%s. Geos</h2>', sec) || geo || '</section>';
    END IF;

    sec := sec + 1;
    html := html || format('<section id="curves"><h2>%s. Response curves and carry-over</h2>', sec)
        || mixmodel._report_chart(mixmodel._chart_response(curves, kpi, w))
        || '<p class="note">mixmodel.response_curves: spending more than the break-even point returns less than it costs; '
        || 'past the point of diminishing returns each extra unit earns less than the average unit.</p>'
        || mixmodel._report_chart(mixmodel.chart_adstock(m.name, w)) || '</section>';

    IF plan IS NOT NULL THEN
        sec := sec + 1;
        html := html || format('<section id="plan"><h2>%s. Plan %s</h2>', sec, mixmodel._html_escape(plan))
            || mixmodel._report_plan_section(plan, compare_to, w) || '</section>';
    END IF;

    sec := sec + 1;
    html := html || format('<section id="data"><h2>%s. Data</h2>', sec) || mixmodel._report_chart(mixmodel.chart_data(m.name, w)) || '</section>';
    RETURN mixmodel._report_page(format('mixmodel report: %s', m.name), html);
END $$;
COMMENT ON FUNCTION mixmodel.report(pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
'One self-contained HTML page (inline SVG and CSS, no script, no network) on a trained model, in Adobe Mix Modeler''s dashboard order: summary cards, model quality, contributions, channel performance, response curves and adstock, then, when plan is given, the plan (and its comparison with compare_to), and the data. Every number comes from the result views. Write it to a file with psql -At -c ''SELECT mixmodel.report(...)'' > report.html.';

CREATE FUNCTION mixmodel.plan_report(plan pg_catalog.text, compare_to pg_catalog.text DEFAULT NULL)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    -- serial reads: a parallel sum adds in another order, and a rerun must give the same page
    SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    p mixmodel.plans;
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[plan] || CASE WHEN compare_to IS NULL THEN '{}'::text[] ELSE ARRAY[compare_to] END);
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = plan_report.plan;
    RETURN mixmodel._report_page(format('mixmodel plan: %s', p.name),
        format('<header><h1>Budget plan %s</h1></header><section id="plan">', mixmodel._html_escape(p.name))
        || mixmodel._report_plan_section(p.name, compare_to, 952) || '</section>');
END $$;
COMMENT ON FUNCTION mixmodel.plan_report(pg_catalog.text, pg_catalog.text) IS
'One self-contained HTML page (inline SVG and CSS, no script, no network) on a budget plan: summary cards with the optimality certificate, spend and forecast per week, planned against historical split, forecast ROI, the per-flight table, plan against actuals and, with compare_to, the comparison with another plan.';

CREATE FUNCTION mixmodel.contribution_bars(model pg_catalog.text, width pg_catalog.int4 DEFAULT 40)
    RETURNS TABLE (term pg_catalog.text, kind pg_catalog.text, contribution pg_catalog.float8, share pg_catalog.float8,
                   bar pg_catalog.text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF width IS NULL THEN
        RAISE EXCEPTION 'width must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF width < 1 OR width > 500 THEN
        RAISE EXCEPTION 'width must be between 1 and 500' USING ERRCODE = '22023', DETAIL = format('Got %s.', width);
    END IF;
    RETURN QUERY
    WITH w AS (
        SELECT x.label, x.kind, x.contribution, row_number() OVER () AS i
          FROM mixmodel._report_waterfall(contribution_bars.model) x
    ), s AS (
        SELECT w.*, w.contribution / nullif(sum(w.contribution) OVER (), 0) AS share,
               max(abs(w.contribution)) OVER () AS top
          FROM w
    ), e AS (
        -- bar length in eighths of a character of the largest term
        SELECT s.*, CASE WHEN s.top > 0 AND s.top < 'Infinity' THEN round(abs(s.contribution) / s.top * width * 8)::int ELSE 0 END AS eighths
          FROM s
    )
    SELECT e.label, e.kind, e.contribution, e.share,
           CASE WHEN e.contribution < 0 THEN repeat('░', (e.eighths + 7) / 8) || ' (negative)'
                ELSE repeat('█', e.eighths / 8) || CASE WHEN e.eighths % 8 > 0 THEN substr('▏▎▍▌▋▊▉', e.eighths % 8, 1) ELSE '' END END
      FROM e ORDER BY e.i;
END $$;
COMMENT ON FUNCTION mixmodel.contribution_bars(pg_catalog.text, pg_catalog.int4) IS
'The decomposition of a trained model as a text bar chart for psql: every term over the training rows (base, trend, seasonality, holidays, factors, organic and paid channels; the waterfall of the report), its contribution, share of the prediction and a bar of up to width characters (negative terms in light shade).';
