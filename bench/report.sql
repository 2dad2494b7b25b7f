-- bench/report.sql: mixmodel.report of a 208-week model with 8 paid + 1 organic channels and a
-- 13-week plan compared with a second plan (training and planning are set-up, not measured).
-- Figure: wall time of the report (best of 5).  Baseline in the same run: the queries that read
-- the rows the report shows, each once, every column of every row formed (count(q) over the
-- whole row), without drawing anything: model_fit, model_metrics, contributions of the run,
-- channel_performance, response_curves, adstock_curves, the source rows of the data overview,
-- plan_summary, plan_allocations, plan_flights, plan_actuals and compare_plans.  The difference
-- is what charts, tables and the page cost.  Target: the report <= 200 ms.
-- Also, C against SQL for drawing: chart_fit (208 periods, lines, bars, axes, legend) against
-- plain SQL writing only its lines and bars as SVG path text with string_agg(format(...))
-- over the same model_fit rows (no axes, labels or legend: less than chart_fit does).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
\ir include/bench_best.sql

SELECT count(*) FROM mixmodel.generate_raw_data('bench_report', seed => 42, weeks => 208, events => 1000,
       channels => ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate', 'email']) \g /dev/null
VACUUM ANALYZE bench_report.weekly_wide;
SELECT mixmodel.create_model('bench_report', source => 'bench_report.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => '{tv_spend,radio_spend,ooh_spend,search_spend,social_spend,display_spend,video_spend,affiliate_spend}',
       organic => '{email_sends}', factors => '{price_index,competitor_spend,consumer_confidence}',
       options => '{"inference": "ridge", "training_window": {"years": 4}, "seasonality": 2, "candidates": 100}') \g /dev/null
SELECT count(*) FROM mixmodel.train('bench_report', seed => 42) \g /dev/null
SELECT (max(week) + 7)::text AS q_from, (max(week) + 97)::text AS q_to,
       round(sum(tv_spend + radio_spend + ooh_spend + search_spend + social_spend + display_spend + video_spend
                 + affiliate_spend) / count(*) * 13) AS budget
  FROM bench_report.weekly_wide \gset
SELECT count(*) FROM mixmodel.create_plan('bench_plan', 'bench_report',
       flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :budget))) \g /dev/null
SELECT count(*) FROM mixmodel.create_plan('bench_plan_flat', 'bench_report', spend_pattern => 'flat',
       flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :budget))) \g /dev/null
SELECT r.run, r.from_date AS d_from, r.to_date AS d_to FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
 WHERE r.model = 'bench_report' \gset

SELECT length(mixmodel.report('bench_report', plan => 'bench_plan', compare_to => 'bench_plan_flat')) AS page_bytes,
       (SELECT count(*) FROM regexp_matches(mixmodel.report('bench_report', plan => 'bench_plan', compare_to => 'bench_plan_flat'), '<svg ', 'g')) AS charts \gset

SELECT format($q$SELECT count(q) FROM mixmodel.model_fit q WHERE q.model = 'bench_report';
    SELECT count(q) FROM mixmodel.model_metrics q WHERE q.model = 'bench_report';
    SELECT count(q) FROM mixmodel.contributions q WHERE q.model = 'bench_report' AND q.run = %1$s;
    SELECT count(q) FROM mixmodel.channel_performance q WHERE q.model = 'bench_report';
    SELECT count(q) FROM mixmodel.response_curves q WHERE q.model = 'bench_report';
    SELECT count(q) FROM mixmodel.adstock_curves q WHERE q.model = 'bench_report';
    SELECT count(q) FROM bench_report.weekly_wide q WHERE q.week BETWEEN %2$L AND %3$L;
    SELECT count(q) FROM mixmodel.plan_summary q WHERE q.plan = 'bench_plan';
    SELECT count(q) FROM mixmodel.plan_allocations q WHERE q.plan = 'bench_plan';
    SELECT count(q) FROM mixmodel.plan_flights q WHERE q.plan = 'bench_plan';
    SELECT count(q) FROM mixmodel.plan_actuals q WHERE q.plan = 'bench_plan';
    SELECT count(q) FROM mixmodel.compare_plans('bench_plan', 'bench_plan_flat') q$q$, :run, :'d_from', :'d_to') AS reads \gset

-- drawing the fit chart's lines and bars in plain SQL, for the C-or-SQL question
CREATE FUNCTION pg_temp.sql_fit_paths() RETURNS text LANGUAGE sql STABLE AS $$
    WITH f AS (
        SELECT f.period, f.actual, f.predicted, f.residual,
               row_number() OVER (ORDER BY f.period) - 1 AS i, count(*) OVER () AS n,
               min(least(f.actual, f.predicted)) OVER () AS lo, max(greatest(f.actual, f.predicted)) OVER () AS hi,
               max(abs(f.residual)) OVER () AS r
          FROM mixmodel.model_fit f WHERE f.model = 'bench_report'
    )
    SELECT '<svg xmlns="http://www.w3.org/2000/svg" width="952" height="520">'
        || '<path d="' || string_agg(format('%s%s,%s', CASE WHEN i = 0 THEN 'M' ELSE ' L' END,
                                            round((44 + i * 868.0 / (n - 1))::numeric, 2),
                                            round((240 - (actual - lo) / (hi - lo) * 190)::numeric, 2)), '' ORDER BY i)
        || '" fill="none" stroke="#222222"/><path d="' || string_agg(format('%s%s,%s', CASE WHEN i = 0 THEN 'M' ELSE ' L' END,
                                            round((44 + i * 868.0 / (n - 1))::numeric, 2),
                                            round((240 - (predicted - lo) / (hi - lo) * 190)::numeric, 2)), '' ORDER BY i)
        || '" fill="none" stroke="#CC6677"/>'
        || string_agg(format('<rect x="%s" y="%s" width="3" height="%s" fill="#9A9A9A"/>', round((42 + i * 868.0 / (n - 1))::numeric, 2),
                             round((375 - greatest(residual, 0) / r * 95)::numeric, 2), round((abs(residual) / r * 95)::numeric, 2)), '' ORDER BY i)
        || '</svg>'
      FROM f
$$;

SELECT pg_temp.bench_best(ARRAY[
           $$SELECT length(mixmodel.report('bench_report', plan => 'bench_plan', compare_to => 'bench_plan_flat'))$$,
           format('DO %L', 'BEGIN ' || replace(:'reads', 'SELECT count', 'PERFORM count') || '; END'),
           $$SELECT length(mixmodel.chart_fit('bench_report', 952))$$,
           $$SELECT length(pg_temp.sql_fit_paths())$$], 5) AS t \gset
SELECT format('report: mixmodel.report of a 208-week model, 8 paid + 1 organic channels, a 13-week plan compared with another (%s charts, %s kB): %s ms (target <= 200 ms) %s; the queries reading the same rows: %s ms; charts, tables and page: %s ms (ratio %s)',
              :charts, round(:page_bytes / 1024.0), round(((:'t'::float8[])[1] * 1000)::numeric, 1),
              CASE WHEN (:'t'::float8[])[1] <= 0.2 THEN 'met' ELSE 'NOT met' END,
              round(((:'t'::float8[])[2] * 1000)::numeric, 1), round((((:'t'::float8[])[1] - (:'t'::float8[])[2]) * 1000)::numeric, 1),
              round(((:'t'::float8[])[1] / (:'t'::float8[])[2])::numeric, 2));
SELECT format('report: drawing in C or SQL: chart_fit (208 periods: two lines, residual bars, axes, legend) %s ms; plain SQL writing only its lines and bars with string_agg(format(...)) %s ms (ratio SQL/C %s)',
              round(((:'t'::float8[])[3] * 1000)::numeric, 2), round(((:'t'::float8[])[4] * 1000)::numeric, 2),
              round(((:'t'::float8[])[4] / (:'t'::float8[])[3])::numeric, 2));
