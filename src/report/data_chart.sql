-- report: overview of the data a model was trained on (doc/report.md)

CREATE FUNCTION mixmodel.chart_data(model pg_catalog.text, width pg_catalog.int4 DEFAULT 760)
    RETURNS pg_catalog.text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int := mixmodel._score_run(chart_data.model);
    m mixmodel.models;
    r mixmodel.runs;
    def jsonb;
    q text;
    vals text[] := '{}';
    c record;
    f record;
    kpi text := mixmodel._report_kpi(chart_data.model);
BEGIN
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = chart_data.model;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = k;
    def := m.definition;
    -- rows (name, panel, style, color, o, period, v): 1 spend, 2 volume, 3 the KPI (4 revenue)
    IF m.source_kind = 'wide' THEN
        FOR c IN SELECT rc.channel, rc.position, rc.paid, m.options #>> ARRAY['spend_columns', rc.channel] AS spend_col
                   FROM mixmodel.run_channels rc WHERE rc.model = m.name AND rc.run = k ORDER BY rc.position LOOP
            IF c.paid THEN
                vals := vals || format('(%L, 1, ''area'', %s, %s, w.%I::float8)', c.channel, c.position - 1, c.position,
                                       coalesce(c.spend_col, c.channel));
            END IF;
            IF NOT c.paid OR c.spend_col IS NOT NULL THEN
                vals := vals || format('(%L, 2, ''line'', %s, %s, w.%I::float8)', c.channel, c.position - 1, c.position, c.channel);
            END IF;
        END LOOP;
        vals := vals || format('(%L, 3, ''line'', -3, 0, w.%I::float8)', kpi, def->>'kpi');
        q := format('SELECT s.name, s.panel, s.style, s.color, s.o, w.%1$I::date AS period, s.v
                       FROM %2$s w CROSS JOIN LATERAL (VALUES %3$s) s(name, panel, style, color, o, v)
                      WHERE w.%1$I BETWEEN $1 AND $2',
                    def->>'date_column', mixmodel._model_source_sql(m.source, def, m.options), array_to_string(vals, ', '));
    ELSE
        q := 'SELECT rc.channel AS name, 1 AS panel, ''area'' AS style, rc.position - 1 AS color, rc.position AS o, s.period, s.spend AS v
                FROM mixmodel.run_channels rc CROSS JOIN LATERAL mixmodel.touchpoint_series(rc.channel, ''week'', $1, $2) s
               WHERE rc.model = $3 AND rc.run = $4 AND rc.paid
              UNION ALL
              SELECT rc.channel, 2, ''line'', rc.position - 1, rc.position, s.period, s.volume
                FROM mixmodel.run_channels rc CROSS JOIN LATERAL mixmodel.touchpoint_series(rc.channel, ''week'', $1, $2) s
               WHERE rc.model = $3 AND rc.run = $4
              UNION ALL
              SELECT ''conversions'', 3, ''line'', -3, 0, s.period, s.conversions
                FROM mixmodel.conversion_series($5, ''week'', $1, $2) s
              UNION ALL
              SELECT ''revenue'', 4, ''line'', -3, 0, s.period, s.revenue
                FROM mixmodel.conversion_series($5, ''week'', $1, $2) s WHERE s.revenue IS NOT NULL';
    END IF;
    EXECUTE format(
        'WITH d AS MATERIALIZED (%s),
              s AS (SELECT x.*, row_number() OVER (ORDER BY x.panel, x.o, x.name)::int AS i,
                           dense_rank() OVER (ORDER BY x.panel)::int AS pn
                      FROM (SELECT d.name, d.panel, min(d.style) AS style, min(d.color) AS color, min(d.o) AS o
                              FROM d GROUP BY d.name, d.panel) x)
         SELECT (SELECT array_agg(DISTINCT d.period ORDER BY d.period) FROM d WHERE d.period IS NOT NULL) AS periods,
                (SELECT array_agg(s.name ORDER BY s.i) FROM s) AS names,
                (SELECT array_agg(s.pn ORDER BY s.i) FROM s) AS panels,
                (SELECT array_agg(s.style ORDER BY s.i) FROM s) AS styles,
                (SELECT array_agg(s.color ORDER BY s.i) FROM s) AS colors,
                (SELECT array_agg(DISTINCT s.panel ORDER BY s.panel) FROM s) AS kinds,
                j.vs, j.vp, j.vv
           FROM (SELECT array_agg(s.i) AS vs, array_agg(d.period) AS vp, array_agg(d.v) AS vv
                   FROM d JOIN s USING (name, panel) WHERE d.period IS NOT NULL) j', q)
      INTO f USING r.from_date, r.to_date, m.name, k, def->>'conversion';
    IF f.periods IS NULL THEN
        RETURN mixmodel._svg_message('The data of the model', 'No data in the training window.', width);
    END IF;
    RETURN mixmodel._svg_time(format('The data of the model, %s to %s', r.from_date, r.to_date), f.periods, f.names,
        f.panels, f.styles, f.colors, f.vv,
        (SELECT array_agg(CASE x WHEN 1 THEN 'spend per period (stacked)' WHEN 2 THEN 'volume per period (each channel''s own unit)'
                                 WHEN 3 THEN kpi || ' per period' ELSE 'revenue per period' END ORDER BY x)
           FROM unnest(f.kinds) x),
        (SELECT array_agg('number'::text) FROM unnest(f.kinds)),
        (SELECT array_agg(true) FROM unnest(f.kinds)), NULL, NULL, width, 150, f.vs, f.vp);
END $$;
COMMENT ON FUNCTION mixmodel.chart_data(pg_catalog.text, pg_catalog.int4) IS
'SVG overview of the data a trained model''s current run covers (its training window, holdout included), from the model''s source: spend per paid channel (stacked), volume of organic channels and exposure media (harmonized models: every touchpoint''s volume metric, mixmodel.touchpoint_series), and the KPI per period (harmonized: conversions and revenue, mixmodel.conversion_series).';
