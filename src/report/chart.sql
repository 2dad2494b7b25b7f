-- report: the chart renderer (src/report/chart.c over svg*.c) and value helpers (doc/report.md)

CREATE FUNCTION mixmodel._svg_time(title pg_catalog.text, periods pg_catalog.date[], series pg_catalog.text[],
        series_panels pg_catalog.int4[], series_styles pg_catalog.text[], series_colors pg_catalog.int4[],
        vals pg_catalog.float8[], panel_labels pg_catalog.text[], panel_formats pg_catalog.text[],
        panel_zero pg_catalog.bool[], shade_from pg_catalog.date, shade_label pg_catalog.text,
        width pg_catalog.int4, panel_height pg_catalog.int4,
        value_series pg_catalog.int4[] DEFAULT NULL, value_periods pg_catalog.date[] DEFAULT NULL)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_svg_time';
COMMENT ON FUNCTION mixmodel._svg_time(pg_catalog.text, pg_catalog.date[], pg_catalog.text[], pg_catalog.int4[], pg_catalog.text[], pg_catalog.int4[], pg_catalog.float8[], pg_catalog.text[], pg_catalog.text[], pg_catalog.bool[], pg_catalog.date, pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.int4[], pg_catalog.date[]) IS
'Internal: SVG time-series chart. periods strictly increasing; per series a name, panel (from 1), style (line, dash, area = stacked area, bar = stacked bars) and colour (palette index from 0, or -1 base, -2 factor, -3 ink, -4 muted); vals holds the series one after the other, one value per period (NULL or NaN: missing); per panel a unit label, format (number or percent) and whether its axis includes 0; the periods from shade_from on are shaded and labelled shade_label. With value_series (from 1) and value_periods, vals is long format: one value per (series, period), missing ones left out, repeated ones added.';

CREATE FUNCTION mixmodel._svg_bars(title pg_catalog.text, categories pg_catalog.text[], series pg_catalog.text[],
        vals pg_catalog.float8[], lower pg_catalog.float8[], upper pg_catalog.float8[],
        category_colors pg_catalog.int4[], series_colors pg_catalog.int4[], axis_label pg_catalog.text,
        value_format pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_svg_bars';
COMMENT ON FUNCTION mixmodel._svg_bars(pg_catalog.text, pg_catalog.text[], pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.int4[], pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'Internal: SVG horizontal grouped bar chart: one row per category, one bar per series (vals series after series, NULL or NaN: no bar), an interval whisker where lower and upper are both given (NULL arrays: none), coloured per series (series_colors) or else per category; values labelled in value_format (number or percent).';

CREATE FUNCTION mixmodel._svg_waterfall(title pg_catalog.text, labels pg_catalog.text[], vals pg_catalog.float8[],
        colors pg_catalog.int4[], total_label pg_catalog.text, axis_label pg_catalog.text,
        value_format pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_svg_waterfall';
COMMENT ON FUNCTION mixmodel._svg_waterfall(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'Internal: SVG waterfall: each term a bar from the running total, then the total (total_label); each value labelled with its share of the total.';

CREATE FUNCTION mixmodel._svg_curves(title pg_catalog.text, panel_names pg_catalog.text[], curve_names pg_catalog.text[],
        curve_panels pg_catalog.int4[], curve_colors pg_catalog.int4[], curve_lengths pg_catalog.int4[],
        x pg_catalog.float8[], y pg_catalog.float8[], marker_curves pg_catalog.int4[], marker_kinds pg_catalog.int4[],
        marker_x pg_catalog.float8[], marker_y pg_catalog.float8[], kind_names pg_catalog.text[],
        kind_shapes pg_catalog.text[], x_label pg_catalog.text, y_label pg_catalog.text,
        x_format pg_catalog.text, y_format pg_catalog.text, width pg_catalog.int4, panel_height pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_svg_curves';
COMMENT ON FUNCTION mixmodel._svg_curves(pg_catalog.text, pg_catalog.text[], pg_catalog.text[], pg_catalog.int4[], pg_catalog.int4[], pg_catalog.int4[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.int4[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.text[], pg_catalog.text[], pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
'Internal: SVG x-y curves with marked points: small multiples (one panel per panel_names element, curve_panels from 1) or, with panel_names NULL, one panel whose curves are named in a legend. x and y hold the curves one after the other (curve_lengths points each); markers name their curve and kind (from 1) with a shape per kind (dot, diamond, triangle, square).';

CREATE FUNCTION mixmodel._svg_message(title pg_catalog.text, message pg_catalog.text, width pg_catalog.int4)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_svg_message';
COMMENT ON FUNCTION mixmodel._svg_message(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'Internal: an SVG chart with nothing to plot: its title and a message.';

CREATE FUNCTION mixmodel._html_escape(s pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_html_escape';
COMMENT ON FUNCTION mixmodel._html_escape(pg_catalog.text) IS
'Internal: a label as HTML/XML character data in 7-bit ASCII: & < > " '' escaped, other characters as character references, controls replaced, wrapped in FSI ... PDI so right-to-left text stays in its place; cut after 500 characters.';

CREATE FUNCTION mixmodel._format_value(v pg_catalog.float8, format pg_catalog.text)
    RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'report_format_value';
COMMENT ON FUNCTION mixmodel._format_value(pg_catalog.float8, pg_catalog.text) IS
'Internal: a value as the charts write it: number (3 significant digits, k/M/B/T) or percent (of a fraction); n/a when not finite.';
