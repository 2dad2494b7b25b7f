-- harmonize: generator of raw marketing data with known truth (doc/generator.md)
-- days of events and loads are UTC days
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.digest(s text, t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT md5(string_agg(x::text, %L ORDER BY x::text)) FROM %I.%I x', '|', s, t) INTO r;
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- one table per source shape, with the truth beside it
SELECT * FROM mixmodel.generate_raw_data('gen_a', seed => 7, weeks => 60, events => 5000,
    channels => ARRAY['tv', 'radio', 'search', 'social', 'display', 'email', 'push'],
    options => '{"geos": 2}');

-- same seed, identical tables; another seed, different ones
SELECT count(*) AS tables FROM mixmodel.generate_raw_data('gen_b', seed => 7, weeks => 60, events => 5000,
    channels => ARRAY['tv', 'radio', 'search', 'social', 'display', 'email', 'push'],
    options => '{"geos": 2}');
SELECT count(*) AS tables FROM mixmodel.generate_raw_data('gen_c', seed => 8, weeks => 60, events => 5000,
    channels => ARRAY['tv', 'radio', 'search', 'social', 'display', 'email', 'push'],
    options => '{"geos": 2}');
SELECT t AS table_name,
       pg_temp.digest('gen_a', t) = pg_temp.digest('gen_b', t) AS same_seed_identical,
       pg_temp.digest('gen_a', t) <> pg_temp.digest('gen_c', t) AS other_seed_differs
  FROM unnest(ARRAY['daily_media', 'weekly_media', 'sends', 'events', 'conversions_daily',
                    'factors', 'holidays', 'weekly_wide', 'truth_parameters',
                    'truth_contributions', 'truth_kpi']) AS t;
SELECT count(*) AS rows_in_both FROM (SELECT * FROM gen_a.events INTERSECT ALL SELECT * FROM gen_b.events) s;

-- spend and volumes are never negative; funnels are consistent
SELECT min(spend) >= 0 AS spend_ok, min(clicks) >= 0 AND bool_and(clicks <= impressions) AS clicks_ok
  FROM gen_a.daily_media;
SELECT min(spend) >= 0 AS spend_ok, bool_and(grps >= 0 AND (spend = 0) = (grps = 0)) AS grps_ok,
       count(*) FILTER (WHERE spend = 0) > 0 AS has_dark_weeks
  FROM gen_a.weekly_media;
SELECT bool_and(opens <= sends AND clicks <= opens AND clicks >= 0) AS funnel_ok,
       array_agg(DISTINCT journey ORDER BY journey) AS journeys
  FROM gen_a.sends;

-- weeks start on Monday everywhere
SELECT bool_and(extract(isodow FROM week) = 1) AS monday FROM gen_a.weekly_media;
SELECT bool_and(extract(isodow FROM week) = 1) AS monday, count(*) AS weeks,
       min(week) AS first_week, max(week) AS last_week FROM gen_a.weekly_wide;
SELECT bool_and(extract(isodow FROM week) = 1) AS monday FROM gen_a.truth_contributions;

-- the truth: terms sum to the noiseless KPI, the KPI is that plus noise
SELECT max(abs(s.total - k.expected) / k.expected) < 1e-9 AS terms_sum_to_expected,
       count(DISTINCT s.n) AS terms_per_week
  FROM (SELECT week, sum(contribution) AS total, count(*) AS n
          FROM gen_a.truth_contributions GROUP BY week) s
  JOIN gen_a.truth_kpi k USING (week);
SELECT bool_and(abs(kpi - (expected + noise)) <= 1e-9 * kpi) AS kpi_is_expected_plus_noise,
       bool_and(w.revenue = k.kpi) AS wide_revenue_is_kpi,
       stddev(noise) / avg(kpi) BETWEEN 0.02 AND 0.1 AS noise_near_5_percent
  FROM gen_a.truth_kpi k JOIN gen_a.weekly_wide w USING (week);
SELECT max(abs(d.revenue - w.revenue) / w.revenue) < 1e-9 AS daily_sums_to_weekly_kpi,
       bool_and(d.orders = w.orders) AS orders_match
  FROM (SELECT date_trunc('week', day)::date AS week, sum(revenue) AS revenue, sum(orders) AS orders
          FROM gen_a.conversions_daily GROUP BY 1) d
  JOIN gen_a.weekly_wide w USING (week);
SELECT round((sum(revenue) / sum(orders))::numeric, -1) AS revenue_per_order_about_80
  FROM gen_a.conversions_daily;

-- paid ROAS in the truth is contribution / spend, ROI is ROAS - 1
SELECT p.channel, round(p.value::numeric, 9) = round((c.total / s.value)::numeric, 9) AS roas_is_contribution_over_spend,
       round(p.value::numeric, 9) = round(t.value::numeric, 9) AS roas_is_target,
       round(r.value::numeric, 9) = round((p.value - 1)::numeric, 9) AS roi_is_roas_minus_1
  FROM gen_a.truth_parameters p
  JOIN gen_a.truth_parameters s ON s.channel = p.channel AND s.parameter = 'total_spend'
  JOIN gen_a.truth_parameters t ON t.channel = p.channel AND t.parameter = 'target'
  JOIN gen_a.truth_parameters r ON r.channel = p.channel AND r.parameter = 'roi'
  JOIN (SELECT term, sum(contribution) AS total FROM gen_a.truth_contributions GROUP BY term) c ON c.term = p.channel
 WHERE p.parameter = 'roas' AND p.value IS NOT NULL ORDER BY p.channel;
SELECT channel, setting FROM gen_a.truth_parameters WHERE parameter IN ('adstock') ORDER BY channel;
SELECT parameter, setting FROM gen_a.truth_parameters WHERE channel = 'model' AND setting IS NOT NULL;

-- restatements: only social, a later load with the true value
SELECT channel, count(*) AS restated_rows,
       bool_and(loaded_at - day BETWEEN interval '7 days' AND interval '31 days') AS lag_7_to_30_days
  FROM gen_a.daily_media WHERE restated GROUP BY channel;
SELECT count(*) AS keys_loaded_twice,
       bool_and(n = 2) AS at_most_one_restatement
  FROM (SELECT count(*) AS n FROM gen_a.daily_media
         GROUP BY day, channel, campaign, geo HAVING count(*) > 1) s;
-- the model input is the latest restatement: weekly_wide spend equals it, not the first load
WITH latest AS (
  SELECT DISTINCT ON (day, channel, campaign, geo) * FROM gen_a.daily_media
   ORDER BY day, channel, campaign, geo, loaded_at DESC),
weekly AS (
  SELECT date_trunc('week', day)::date AS week, sum(spend) AS latest_spend FROM latest
   WHERE channel = 'social' GROUP BY 1),
first_load AS (
  SELECT date_trunc('week', day)::date AS week, sum(spend) AS first_spend FROM gen_a.daily_media
   WHERE channel = 'social' AND NOT restated GROUP BY 1)
SELECT max(abs(w.social_spend - l.latest_spend)) < 1e-6 AS wide_is_latest,
       max(abs(w.social_spend - f.first_spend)) > 1 AS first_load_differs
  FROM gen_a.weekly_wide w JOIN weekly l USING (week) JOIN first_load f USING (week);
SELECT bool_and(w.tv_spend = m.spend) AS tv_spend_matches
  FROM gen_a.weekly_wide w JOIN gen_a.weekly_media m ON m.week = w.week AND m.channel = 'tv';
SELECT bool_and(w.email_sends = s.sends) AS email_sends_match
  FROM gen_a.weekly_wide w
  JOIN (SELECT date_trunc('week', send_date)::date AS week, sum(sends) AS sends
          FROM gen_a.sends WHERE channel = 'email' GROUP BY 1) s USING (week);

-- events agree with the daily conversions (online) and carry touches of digital and owned channels
SELECT bool_and(coalesce(e.n, 0) = c.orders) AS conversions_match_online_orders,
       max(abs(coalesce(e.revenue, 0) - c.revenue) / greatest(c.revenue, 1)) < 1e-9 AS revenue_matches
  FROM gen_a.conversions_daily c
  LEFT JOIN (SELECT event_ts::date AS day, count(*) AS n, sum(revenue) AS revenue
               FROM gen_a.events WHERE event_type = 'conversion' GROUP BY 1) e USING (day)
 WHERE c.conversion_type = 'online';
SELECT event_type, array_agg(DISTINCT channel ORDER BY channel) AS channels,
       array_agg(DISTINCT conversion_type) AS conversion_types
  FROM gen_a.events GROUP BY event_type ORDER BY event_type;
SELECT count(*) BETWEEN 4000 AND 6000 AS events_about_5000, min(profile_id) >= 1 AS profiles_ok,
       bool_and(event_ts::date BETWEEN '2023-01-02' AND '2023-01-02'::date + 60 * 7 - 1) AS in_range
  FROM gen_a.events;

-- factors: Adobe's layout, forecasted rows after the data range
SELECT factor_name, factor_type, granularity, value_type, count(*) AS n, min(date), max(date)
  FROM gen_a.factors GROUP BY 1, 2, 3, 4 ORDER BY 1, 4;
SELECT bool_and(w.price_index = f.factor_value) AS wide_price_is_factor
  FROM gen_a.weekly_wide w JOIN gen_a.factors f ON f.date = w.week AND f.factor_name = 'price_index';

-- holidays: fixed and moving dates, US and DE
SELECT country, holiday_date, holiday_name FROM gen_a.holidays
 WHERE holiday_date BETWEEN '2024-03-25' AND '2024-04-05' OR holiday_name IN ('Thanksgiving Day', 'Black Friday')
 ORDER BY holiday_date, country;
SELECT sum(holiday) AS holiday_weeks FROM gen_a.weekly_wide;

-- multiplicative form (log_share decomposition), shortest range
SELECT table_name, row_count FROM mixmodel.generate_raw_data('gen_m', seed => 3, weeks => 53,
    channels => ARRAY['tv', 'search', 'sms'], form => 'multiplicative', events => 2000,
    options => '{"noise": 0.1, "campaigns": 1, "geos": 1, "forecast_weeks": 0}')
 WHERE table_name IN ('weekly_wide', 'truth_contributions', 'events', 'factors');
SELECT max(abs(s.total - k.expected) / k.expected) < 1e-9 AS terms_sum_to_expected,
       bool_and(abs(ln(k.kpi / k.expected)) < 0.5) AS log_noise_small,
       abs(avg(ln(k.expected)) - ln((SELECT value FROM gen_m.truth_parameters
                                      WHERE channel = 'model' AND parameter = 'level'))) < 1e-9 AS mean_log_is_level
  FROM (SELECT week, sum(contribution) AS total FROM gen_m.truth_contributions GROUP BY week) s
  JOIN gen_m.truth_kpi k USING (week);
SELECT term, bool_and(contribution >= 0) AS non_negative FROM gen_m.truth_contributions
 WHERE term IN ('tv', 'search', 'sms', 'base') GROUP BY term ORDER BY term;
SELECT count(*) AS forecast_rows FROM gen_m.factors WHERE value_type = 'forecasted' AND granularity = 'week';

-- tables exist: error unless replace
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_m', weeks => 53, events => 1000)$$);
SELECT count(*) AS tables FROM mixmodel.generate_raw_data('gen_m', seed => 4, weeks => 53, events => 1000,
    channels => ARRAY['print'], options => '{"replace": true}');
SELECT count(*) AS print_weeks, (SELECT count(*) FROM gen_m.daily_media) AS daily_rows
  FROM gen_m.weekly_media WHERE channel = 'print';

-- bad arguments
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data(NULL)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', seed => NULL)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', weeks => 52)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', weeks => 521)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', start_date => '2023-01-03')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', start_date => '1989-01-02')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', start_date => 'infinity')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', channels => ARRAY['tv', 'telepathy'])$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', channels => ARRAY['tv', 'tv'])$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', channels => ARRAY[]::text[])$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', channels => ARRAY['tv', NULL])$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', channels => ARRAY[['tv'], ['search']])$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', form => 'exponential')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', events => 999)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', events => 1000000001)$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"nosie": 0.1}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '[1]')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"noise": 0.5}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"noise": "high"}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"geos": 0}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"geos": 2.5}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"campaigns": 11}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"restatement_share": 1.5}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"online_share": 1}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"aov": 0}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"profiles": 0}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('gen_x', options => '{"replace": "yes"}')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('mixmodel')$$);
SELECT pg_temp.err($$SELECT mixmodel.generate_raw_data('pg_catalog')$$);
SELECT count(*) AS gen_x_created FROM pg_namespace WHERE nspname = 'gen_x';

-- generate_events_day: one day, by hand
SELECT event_type, count(*), sum(revenue), count(DISTINCT channel) AS channels
  FROM mixmodel.generate_events_day(1, '2024-01-01', 3, 240, 10, 100,
       ARRAY['search', 'email'], ARRAY['search_c1', 'email_c1'], ARRAY[2, 1]::float8[])
 GROUP BY event_type ORDER BY event_type;
SELECT bool_and(event_ts >= '2024-01-01 00:00+00' AND event_ts < '2024-01-02 00:00+00') AS same_day
  FROM mixmodel.generate_events_day(1, '2024-01-01', 3, 240, 10, 100,
       ARRAY['search', 'email'], ARRAY['search_c1', 'email_c1'], ARRAY[2, 1]::float8[]);
SELECT (SELECT array_agg(e ORDER BY e.event_ts)::text FROM mixmodel.generate_events_day(5, '2024-01-01', 2, 100, 5, 10,
          ARRAY['search'], ARRAY['s'], ARRAY[1]::float8[]) e)
     = (SELECT array_agg(e ORDER BY e.event_ts)::text FROM mixmodel.generate_events_day(5, '2024-01-01', 2, 100, 5, 10,
          ARRAY['search'], ARRAY['s'], ARRAY[1]::float8[]) e) AS deterministic;
SELECT count(*) AS no_events FROM mixmodel.generate_events_day(1, '2024-01-01', 0, 0, 0, 1,
       ARRAY[]::text[], ARRAY[]::text[], ARRAY[]::float8[]);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 1, 10, ARRAY['a'], ARRAY['b', 'c'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', -1, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[0]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[-1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 1, 0, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 0, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 'NaN', 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, 'infinity', 1, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 200000000, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[])$$);
SELECT pg_temp.err($$SELECT * FROM mixmodel.generate_events_day(1, '2024-01-01', 1, 10, 1, 10, ARRAY['a'], ARRAY[NULL]::text[], ARRAY[1]::float8[])$$);
SELECT count(*) AS strict_null FROM mixmodel.generate_events_day(NULL, '2024-01-01', 1, 10, 1, 10, ARRAY['a'], ARRAY['b'], ARRAY[1]::float8[]);

SET client_min_messages = warning;
DROP SCHEMA gen_a, gen_b, gen_c, gen_m CASCADE;
RESET client_min_messages;
