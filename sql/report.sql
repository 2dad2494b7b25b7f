-- report: SVG charts, the HTML report and the text bars (doc/report.md)
SELECT count(*) > 0 AS generated
  FROM mixmodel.generate_raw_data('rp', seed => 7, weeks => 104, events => 2000, channels => ARRAY['tv', 'search', 'social', 'email']);
SELECT mixmodel.create_model('rp_m', source => 'rp.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], organic => ARRAY['email_sends'],
       factors => ARRAY['price_index', 'holiday'],
       options => '{"inference": "ridge", "candidates": 200, "factor_signs": {"price_index": "negative"}}');
SELECT split, n FROM mixmodel.train('rp_m', seed => 1);
SELECT (max(week) + 7)::text AS q_from, (max(week) + 90)::text AS q_to FROM rp.weekly_wide \gset
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('rp_q', 'rp_m',
       flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', 30000)));
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('rp_flat', 'rp_m', spend_pattern => 'flat',
       flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', 30000)));

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- every <svg> element of a text, and whether each is a well-formed XML document
CREATE FUNCTION pg_temp.svgs(html text) RETURNS TABLE (i bigint, svg text) LANGUAGE sql AS $$
    SELECT row_number() OVER (), m[1] FROM regexp_matches(html, '(<svg.*?</svg>)', 'g') m
$$;
CREATE FUNCTION pg_temp.clean(svg text) RETURNS bool LANGUAGE sql AS $$
    -- well-formed, 7-bit, no value that is not a number, no script or event handler
    SELECT xml_is_well_formed_document(svg) AND svg !~ '[^\x01-\x7e]' AND svg !~* '(nan|inf)[^a-z]'
       AND svg !~* '<script|\son[a-z]+=|javascript:'
$$;
CREATE FUNCTION pg_temp.x(svg text, path text) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(v::text) FROM unnest(xpath(path, svg::xml, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])) v
$$;

-- every chart function gives one clean SVG
SELECT c.name, pg_temp.clean(c.svg) AS clean, c.svg LIKE '<svg %' AND c.svg LIKE '%</svg>' AS one_svg,
       (SELECT count(*) FROM pg_temp.svgs(c.svg)) AS svgs
  FROM (VALUES ('chart_fit', mixmodel.chart_fit('rp_m')),
               ('chart_contributions', mixmodel.chart_contributions('rp_m')),
               ('chart_waterfall', mixmodel.chart_waterfall('rp_m')),
               ('chart_roi', mixmodel.chart_roi('rp_m')),
               ('chart_shares', mixmodel.chart_shares('rp_m')),
               ('chart_response_curves', mixmodel.chart_response_curves('rp_m')),
               ('chart_adstock', mixmodel.chart_adstock('rp_m')),
               ('chart_data', mixmodel.chart_data('rp_m')),
               ('chart_plan', mixmodel.chart_plan('rp_q')),
               ('chart_plan_shares', mixmodel.chart_plan_shares('rp_q')),
               ('chart_plan_roi', mixmodel.chart_plan_roi('rp_q')),
               ('chart_plan_actuals', mixmodel.chart_plan_actuals('rp_q')),
               ('chart_compare_plans', mixmodel.chart_compare_plans('rp_q', 'rp_flat'))) c(name, svg);

-- plotted values are the view's: the predicted line of chart_fit, read back through its own
-- y axis (its gridlines and their tick values), is model_fit.predicted to the 0.01 px the
-- coordinates are written with, one point per period at evenly spaced x
CREATE FUNCTION pg_temp.axis(svg text, lines text) RETURNS TABLE (slope float8, intercept float8) LANGUAGE sql AS $$
    SELECT regr_slope(u.px::float8, u.v::float8), regr_intercept(u.px::float8, u.v::float8)
      FROM unnest(pg_temp.x(svg, lines || '/@data-tick'),
                  pg_temp.x(svg, lines || CASE WHEN lines LIKE '%y-axis%' THEN '/@y1' ELSE '/@x1' END)) u(v, px)
$$;
CREATE FUNCTION pg_temp.points(d text) RETURNS TABLE (i bigint, x float8, y float8) LANGUAGE sql AS $$
    SELECT p.i, p.m[1]::float8, p.m[2]::float8 FROM regexp_matches(d, '(-?[0-9.]+),(-?[0-9.]+)', 'g') WITH ORDINALITY p(m, i)
$$;
SELECT mixmodel.chart_fit('rp_m') AS svg \gset
WITH a AS (
    SELECT * FROM pg_temp.axis(:'svg', '//s:g[@class="y-axis" and @data-panel="0"]/s:line')
), pts AS (
    SELECT p.*, p.x - lag(p.x) OVER (ORDER BY p.i) AS dx
      FROM pg_temp.points((pg_temp.x(:'svg', '//s:g[@data-series="predicted"]/s:path/@d'))[1]) p
), fit AS (
    SELECT row_number() OVER (ORDER BY f.period) AS i, f.predicted FROM mixmodel.model_fit f WHERE f.model = 'rp_m'
)
SELECT count(*) AS points, (SELECT count(*) FROM fit) AS view_rows,
       max(abs(p.y - (a.intercept + a.slope * f.predicted))) <= 0.006 AS at_the_view_values,
       max(p.dx) - min(p.dx) <= 0.02 AS evenly_spaced
  FROM pts p JOIN fit f USING (i), a;
-- and the actual line the same way in chart_contributions (the stack, actual on top)
SELECT mixmodel.chart_contributions('rp_m') AS svg \gset
WITH a AS (
    SELECT * FROM pg_temp.axis(:'svg', '//s:g[@class="y-axis" and @data-panel="0"]/s:line')
), fit AS (
    SELECT row_number() OVER (ORDER BY f.period) AS i, f.actual FROM mixmodel.model_fit f WHERE f.model = 'rp_m'
)
SELECT count(*) AS points, max(abs(p.y - (a.intercept + a.slope * f.actual))) <= 0.006 AS at_the_view_values,
       pg_temp.x(:'svg', '//s:g[@class="series"]/@data-series') AS series
  FROM pg_temp.points((pg_temp.x(:'svg', '//s:g[@data-series="actual"]/s:path/@d'))[1]) p JOIN fit f USING (i), a;

-- ROI bars: each bar's value is channel_performance.roi exactly, and its length is that
-- value on the chart's axis; highest ROI first
SELECT mixmodel.chart_roi('rp_m') AS svg \gset
WITH a AS (
    SELECT * FROM pg_temp.axis(:'svg', '//s:g[@class="x-axis"]/s:line')
), bars AS (
    SELECT u.label, u.series, u.value::float8 AS value, u.x::float8 AS x, u.w::float8 AS w, u.i
      FROM unnest(pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-label'), pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-series'),
                  pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-value'), pg_temp.x(:'svg', '//s:rect[@class="bar"]/@x'),
                  pg_temp.x(:'svg', '//s:rect[@class="bar"]/@width')) WITH ORDINALITY u(label, series, value, x, w, i)
)
SELECT b.series, b.label, b.value = CASE b.series WHEN 'ROI' THEN p.roi ELSE p.marginal_roi END AS view_value,
       abs(b.w - abs(a.slope * b.value)) <= 0.011 AS length_on_axis,
       abs(CASE WHEN b.value >= 0 THEN b.x ELSE b.x + b.w END - a.intercept) <= 0.006 AS starts_at_zero
  FROM bars b JOIN mixmodel.channel_performance p ON p.model = 'rp_m' AND p.channel = b.label, a
 ORDER BY b.i;
SELECT array_agg(channel ORDER BY roi DESC) = (pg_temp.x(:'svg', '//s:rect[@data-series="ROI"]/@data-label')) AS highest_roi_first,
       :'svg' NOT LIKE '%class="whisker"%' AS no_whiskers_without_intervals
  FROM mixmodel.channel_performance WHERE model = 'rp_m';

-- a Bayesian run's intervals (channel_performance's roi_lower ... columns): whiskers appear where
-- both ends are given, at the view's values; the report's table shows the interval
SELECT mixmodel.create_model('rp_b', source => 'rp.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"chains": 2, "draws": 200, "warmup": 200}') \g /dev/null
SET client_min_messages = error;
SELECT count(*) > 0 AS trained FROM mixmodel.train('rp_b', seed => 1);
RESET client_min_messages;
SELECT mixmodel.chart_roi('rp_b') AS svg \gset
SELECT count(*) AS whiskers,
       bool_and(abs(w.lo::float8 - p.roi_lower) <= 1e-9 * abs(p.roi_lower) AND abs(w.hi::float8 - p.roi_upper) <= 1e-9 * abs(p.roi_upper)) AS at_the_view_values,
       pg_temp.clean(:'svg') AS clean
  FROM unnest(pg_temp.x(:'svg', '//s:g[@class="whisker"][1]/@data-lower'), pg_temp.x(:'svg', '//s:g[@class="whisker"][1]/@data-upper'),
              pg_temp.x(:'svg', '//s:rect[@data-series="ROI"]/@data-label')) w(lo, hi, label)
  JOIN mixmodel.channel_performance p ON p.model = 'rp_b' AND p.channel = w.label;
SELECT mixmodel.report('rp_b') ~ '<td>&#x2068;-?[0-9.]+% \(-?[0-9.]+% to -?[0-9.]+%\)&#x2069;</td>' AS table_shows_intervals;
-- and its plan's table: forecast, what the spend adds and ROI with their intervals
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('rp_bq', 'rp_b',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', 5000)));
SELECT (SELECT count(*) FROM regexp_matches(mixmodel.plan_report('rp_bq'),
                                            '<td>&#x2068;-?[0-9.]+[kMB]?%? \(-?[0-9.]+[kMB]?%? to -?[0-9.]+[kMB]?%?\)&#x2069;</td>', 'g'))
       >= 3 * (SELECT count(*) FROM mixmodel.plan_summary WHERE plan = 'rp_bq' AND channel NOT IN ('base', 'total'))
       AS plan_table_shows_intervals;

-- waterfall: a bar per term over the training rows, the channels' bars are channel_performance's
-- contributions, and the total is the predicted KPI of the training rows
SELECT mixmodel.chart_waterfall('rp_m') AS svg \gset
SELECT u.label, abs(u.v::float8 - p.contribution) <= 1e-9 * abs(p.contribution) AS view_value
  FROM unnest(pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-label'), pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-value')) u(label, v)
  JOIN mixmodel.channel_performance p ON p.model = 'rp_m' AND p.channel = u.label ORDER BY u.label;
SELECT pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-label') AS terms,
       abs((pg_temp.x(:'svg', '//s:rect[@data-label="predicted"]/@data-value'))[1]::float8
           - (SELECT sum(predicted) FROM mixmodel.model_fit WHERE model = 'rp_m' AND NOT holdout)) <= 1e-6 AS total_is_predicted;

-- response curves: a panel per paid channel; the marked current points are response_points'
SELECT mixmodel.chart_response_curves('rp_m') AS svg \gset
SELECT pg_temp.x(:'svg', '//s:g[@class="panel"]/@data-name') AS panels,
       (SELECT bool_and(abs(m.x::float8 - r.current_spend) <= 1e-9 * r.current_spend
                        AND abs(m.y::float8 - r.current_response) <= 1e-9 * abs(r.current_response))
          FROM unnest(pg_temp.x(:'svg', '//s:g[@class="panel"]/*[@data-kind="0"]/@data-x'),
                      pg_temp.x(:'svg', '//s:g[@class="panel"]/*[@data-kind="0"]/@data-y'),
                      pg_temp.x(:'svg', '//s:g[@class="panel"]/@data-name')) m(x, y, ch),
               LATERAL mixmodel.response_points('rp_m', m.ch) r) AS current_points_are_response_points,
       cardinality(pg_temp.x(:'svg', '//s:g[@class="panel"]/*[@data-kind="1"]/@data-x'))
           = (SELECT count(*) FROM mixmodel.response_curves WHERE model = 'rp_m' AND is_breakeven) AS every_breakeven_marked;

-- plan: the planned and historical shares are plan_summary's
SELECT mixmodel.chart_plan_shares('rp_q') AS svg \gset
SELECT u.series, u.label, abs(u.v::float8 - CASE WHEN u.series LIKE 'historical%' THEN s.historical_share ELSE s.share END) <= 1e-12 AS view_value
  FROM unnest(pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-series'), pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-label'),
              pg_temp.x(:'svg', '//s:rect[@class="bar"]/@data-value')) u(series, label, v)
  JOIN mixmodel.plan_summary s ON s.plan = 'rp_q' AND s.channel = u.label
 ORDER BY u.series, u.label;

-- plan against actuals: a message until actual weeks arrive, then both lines
SELECT mixmodel.chart_plan_actuals('rp_q') LIKE '%No actuals yet%' AS message_first;
INSERT INTO rp.weekly_wide
SELECT (jsonb_populate_record(w, jsonb_build_object('week', w.week + 28))).* FROM rp.weekly_wide w WHERE w.week > :'q_from'::date - 35;
SELECT count(*) FILTER (WHERE channel = 'total') AS weeks_with_actuals FROM mixmodel.plan_actuals WHERE plan = 'rp_q';
SELECT mixmodel.chart_plan_actuals('rp_q') AS svg \gset
SELECT pg_temp.clean(:'svg') AS clean, pg_temp.x(:'svg', '//s:g[@class="series"]/@data-series') AS series;

-- the report: one page, every chart in it clean, in the dashboard's order, no script, no
-- request (a policy forbids both); with a plan and its comparison
SELECT mixmodel.report('rp_m', plan => 'rp_q', compare_to => 'rp_flat') AS html \gset
SELECT :'html' LIKE '<!DOCTYPE html>%' AS html5, :'html' LIKE '%Content-Security-Policy" content="default-src ''none''%' AS no_requests,
       :'html' !~* '<script|\son[a-z]+=|javascript:|\s(href|src)=' AS no_script_or_link,
       (SELECT count(*) FROM pg_temp.svgs(:'html')) AS charts,
       (SELECT bool_and(pg_temp.clean(s.svg)) FROM pg_temp.svgs(:'html') s) AS all_clean;
SELECT (SELECT array_agg(m[1] || ': ' || m[2]) FROM regexp_matches(:'html', '<section id="([a-z]+)"><h2>[0-9]+\. ([^<]+)', 'g') m) AS sections;
SELECT (SELECT array_agg(m[1]) FROM regexp_matches(:'html', 'data-chart="([a-z]+)"', 'g') m) AS chart_kinds;
SELECT mixmodel.report('rp_m') !~ 'id="plan"' AS no_plan_section, (SELECT count(*) FROM pg_temp.svgs(mixmodel.report('rp_m'))) AS charts;
SELECT mixmodel.plan_report('rp_q') AS html \gset
SELECT (SELECT count(*) FROM pg_temp.svgs(:'html')) AS charts, (SELECT bool_and(pg_temp.clean(s.svg)) FROM pg_temp.svgs(:'html') s) AS all_clean,
       :'html' LIKE '%KKT residual%' AS certificate;
-- reruns give the same page, byte for byte
SELECT md5(mixmodel.report('rp_m', 'rp_q')) = md5(mixmodel.report('rp_m', 'rp_q')) AS same_page;

-- text bars for psql: the report's waterfall terms, shares summing to 1, bars as long as the terms
SELECT term, kind, round(share::numeric, 3) AS share, length(bar) AS bar_chars
  FROM mixmodel.contribution_bars('rp_m', width => 20);
SELECT abs(sum(share) - 1) < 1e-12 AS shares_sum_to_1, max(length(bar)) FILTER (WHERE contribution > 0) AS longest
  FROM mixmodel.contribution_bars('rp_m', width => 20);

-- labels from user data are escaped: markup, quotes, ampersands, bidi controls and
-- right-to-left text in channel names never reach the page as markup
CREATE TABLE rp.hostile AS
SELECT week, revenue, tv_spend AS "tv <b>&'""spend</b>", search_spend AS "بحث مدفوع",
       social_spend AS "x<script>alert(1)</script>", email_sends AS "e‮evil", price_index
  FROM rp.weekly_wide WHERE week < :'q_from';
SELECT mixmodel.create_model('rp <hostile> & "m"', source => 'rp.hostile', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv <b>&''"spend</b>', 'بحث مدفوع', 'x<script>alert(1)</script>'], organic => ARRAY['e‮evil'],
       factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 100}') IS NOT NULL AS created;
SELECT count(*) > 0 AS trained FROM mixmodel.train('rp <hostile> & "m"', seed => 1);
SELECT mixmodel.report('rp <hostile> & "m"') AS html \gset
SELECT :'html' !~ '<b>|<script|</b>' AS no_markup_from_labels,
       :'html' ~ '&lt;script&gt;' AS script_escaped, :'html' ~ '&#x202E;' AS bidi_control_as_reference,
       :'html' ~ '&#x2068;' AS labels_isolated, :'html' !~ '[^\x01-\x7e]' AS ascii_only,
       (SELECT bool_and(pg_temp.clean(s.svg)) FROM pg_temp.svgs(:'html') s) AS all_clean,
       (SELECT count(*) FROM pg_temp.svgs(:'html')) AS charts;
SELECT mixmodel._html_escape('<a href="x">&''</a>') AS escaped, mixmodel._html_escape(E'tab\tnew\nline') AS controls;

-- one channel: still a report
SELECT mixmodel.create_model('rp_one', source => 'rp.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"inference": "ridge", "candidates": 50}') IS NOT NULL AS created;
SELECT count(*) > 0 AS trained FROM mixmodel.train('rp_one', seed => 1);
SELECT (SELECT count(*) FROM pg_temp.svgs(mixmodel.report('rp_one'))) AS charts,
       (SELECT bool_and(pg_temp.clean(s.svg)) FROM pg_temp.svgs(mixmodel.report('rp_one')) s) AS all_clean;

-- the renderer on hostile values: NaN, infinities, NULL, zero, negative, 1e308, a single
-- period, all missing: always a clean SVG, missing values left out
SELECT v.label, pg_temp.clean(mixmodel._svg_time('t', p.periods, ARRAY['a', 'b'], ARRAY[1, 1], ARRAY['line', 'area'], ARRAY[0, 1],
                                                 v.vals, ARRAY['u'], ARRAY['number'], ARRAY[false], NULL, NULL, 600, 150)) AS clean
  FROM (VALUES ('NaN, infinities, NULL', ARRAY['NaN', 'Infinity', '-Infinity', NULL, 1, 2]::float8[]),
               ('zeros', ARRAY[0, 0, 0, 0, 0, 0]::float8[]),
               ('negative', ARRAY[-1, -5, -2, -3, -1, -4]::float8[]),
               ('huge range', ARRAY[1e308, -1e308, 1e-300, 5, 1e308, 1e308]::float8[]),
               ('all missing', ARRAY[NULL, NULL, NULL, 'NaN', 'NaN', 'NaN']::float8[])) v(label, vals),
       (SELECT ARRAY['2024-01-01', '2024-01-08', '2024-01-15']::date[] AS periods) p;
SELECT pg_temp.clean(mixmodel._svg_time('one period', '{2024-01-01}', '{a}', '{1}', '{bar}', '{0}', '{5}', '{u}', '{percent}', '{true}',
                                        '2024-01-01', 'holdout', 240, 60)) AS single_period,
       pg_temp.clean(mixmodel._svg_time('far dates', '{4713-01-01 BC, 5874897-12-31}', '{a}', '{1}', '{line}', '{0}', '{1, 2}', '{u}',
                                        '{number}', '{false}', NULL, NULL, 600, 100)) AS far_dates;
SELECT pg_temp.clean(mixmodel._svg_bars('b', ARRAY['x', 'y', 'z'], ARRAY['s'], ARRAY['NaN', -1e308, 1e308]::float8[],
                                        ARRAY[NULL, '-Infinity', 0]::float8[], ARRAY[1, 'Infinity', 1e308]::float8[], NULL, NULL, NULL, 'percent', 300)) AS bars,
       pg_temp.clean(mixmodel._svg_waterfall('w', ARRAY['a', 'b', 'c'], ARRAY[1e308, 1e308, 'NaN']::float8[], ARRAY[0, -1, -2],
                                             NULL, NULL, 'number', 240)) AS waterfall,
       pg_temp.clean(mixmodel._svg_curves('c', NULL, ARRAY['a'], NULL, ARRAY[0], ARRAY[3], ARRAY[0, 'NaN', 1e308]::float8[],
                                          ARRAY[0, 1, -1e308]::float8[], '{1}', '{1}', '{NaN}', '{1}', '{k}', '{dot}', NULL, NULL,
                                          'number', 'number', 400, 100)) AS curves,
       pg_temp.clean(mixmodel._svg_message(repeat('long title ', 10000), E'\u202Emessage <b>', 300)) AS message;
SELECT length(mixmodel._svg_message(repeat('é', 100000), 'm', 300)) < 20000 AS labels_capped;
SELECT x.v, x.f, mixmodel._format_value(x.v, x.f) AS formatted
  FROM (VALUES (0::float8, 'number'), (999.6, 'number'), (1234567, 'number'), (-0.000012, 'number'), (1e20, 'number'),
               (0.1234, 'percent'), ('NaN', 'number'), (-2.5e9, 'number')) x(v, f);

-- bad input: a working call with one argument made hostile
SELECT pg_temp.err($$SELECT mixmodel.chart_fit(NULL)$$) AS null_model;
SELECT pg_temp.err($$SELECT mixmodel.report('no_such_model')$$) AS unknown_model;
SELECT mixmodel.create_model('rp_untrained', source => 'rp.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend']) IS NOT NULL AS created;
SELECT pg_temp.err($$SELECT mixmodel.report('rp_untrained')$$) AS untrained;
SELECT pg_temp.err($$SELECT mixmodel.chart_roi('rp_untrained')$$) AS untrained_chart;
SELECT pg_temp.err($$SELECT mixmodel.report('rp_m', plan => 'no_such_plan')$$) AS unknown_plan;
SELECT pg_temp.err($$SELECT mixmodel.report('rp_one', plan => 'rp_q')$$) AS plan_of_another_model;
SELECT pg_temp.err($$SELECT mixmodel.report('rp_m', compare_to => 'rp_flat')$$) AS compare_without_plan;
SELECT pg_temp.err($$SELECT mixmodel.plan_report('rp_q', compare_to => 'no_such_plan')$$) AS unknown_compare;
SELECT pg_temp.err($$SELECT mixmodel.chart_plan(NULL)$$) AS null_plan;
SELECT pg_temp.err($$SELECT mixmodel.chart_fit('rp_m', width => 100)$$) AS narrow;
SELECT pg_temp.err($$SELECT mixmodel.chart_fit('rp_m', width => NULL)$$) AS null_width;
SELECT pg_temp.err($$SELECT * FROM mixmodel.contribution_bars('rp_m', width => 0)$$) AS no_bar_width;
SELECT pg_temp.err($$SELECT mixmodel._chart_roi('{"a": 1}', 400)$$) AS not_an_array;
SELECT pg_temp.err($$SELECT mixmodel._svg_time('t', '{2024-01-08, 2024-01-01}', '{a}', '{1}', '{line}', '{0}', '{1, 2}', '{u}', '{number}', '{false}', NULL, NULL, 600, 100)$$) AS unordered_periods;
SELECT pg_temp.err($$SELECT mixmodel._svg_time('t', '{2024-01-01, infinity}', '{a}', '{1}', '{line}', '{0}', '{1, 2}', '{u}', '{number}', '{false}', NULL, NULL, 600, 100)$$) AS infinite_period;
SELECT pg_temp.err($$SELECT mixmodel._svg_time('t', '{2024-01-01, 2024-01-08}', '{a}', '{1}', '{line}', '{0}', '{1, 2, 3}', '{u}', '{number}', '{false}', NULL, NULL, 600, 100)$$) AS too_many_values;
SELECT pg_temp.err($$SELECT mixmodel._svg_time('t', '{2024-01-01}', '{a}', '{2}', '{line}', '{0}', '{1}', '{u}', '{number}', '{false}', NULL, NULL, 600, 100)$$) AS no_such_panel;
SELECT pg_temp.err($$SELECT mixmodel._svg_time('t', '{2024-01-01}', '{a}', '{1}', '{pie}', '{0}', '{1}', '{u}', '{number}', '{false}', NULL, NULL, 600, 100)$$) AS bad_style;
SELECT pg_temp.err($$SELECT mixmodel._svg_bars('b', '{x}', '{s}', '{1}', '{0}', NULL, NULL, NULL, NULL, 'number', 400)$$) AS lower_without_upper;
SELECT pg_temp.err($$SELECT mixmodel._svg_bars('b', '{x}', '{s}', '{1}', NULL, NULL, NULL, NULL, NULL, 'euro', 400)$$) AS bad_format;
SELECT pg_temp.err($$SELECT mixmodel._svg_curves('c', NULL, '{a}', NULL, '{0}', '{2}', '{1, 2}', '{1}', '{}', '{}', '{}', '{}', '{}', '{}', NULL, NULL, 'number', 'number', 400, 100)$$) AS short_y;
SET mixmodel.max_array_length = 10;
SELECT pg_temp.err($$SELECT mixmodel._svg_bars('b', array_fill('x'::text, ARRAY[11]), '{s}', array_fill(1::float8, ARRAY[11]), NULL, NULL, NULL, NULL, NULL, 'number', 400)$$) AS too_long;
RESET mixmodel.max_array_length;
