-- harmonize: geo-level generated data with a known per-geo truth (doc/generator.md, "Geo-level data")
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.digest(s text, t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT md5(string_agg(x::text, %L ORDER BY x::text)) FROM %I.%I x', '|', s, t) INTO r;
  RETURN r;
END $$;
-- the error with its detail and hint
CREATE FUNCTION pg_temp.err_full(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text; h text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | detail: ' || nullif(d, ''), '')
         || coalesce(' | hint: ' || nullif(h, ''), '');
END $$;

-- five tables: weekly data per geo, and the truth per geo x channel, per channel, per geo x week
SELECT * FROM mixmodel.generate_geo_data('geo_a', seed => 7, geos => 12, weeks => 60,
    channels => ARRAY['tv', 'search', 'social']);
SELECT column_name, data_type FROM information_schema.columns
 WHERE table_schema = 'geo_a' AND table_name = 'geo_weekly' ORDER BY ordinal_position;
SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) AS columns
  FROM information_schema.columns
 WHERE table_schema = 'geo_a' AND table_name LIKE 'truth%' GROUP BY 1 ORDER BY 1;
SELECT c.relname AS table_name, pg_get_indexdef(i.indexrelid) LIKE '%(' || k.cols || ')' AS primary_key
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  JOIN (VALUES ('geo_weekly', 'geo, week'), ('truth_geo', 'geo, channel'), ('truth_geo_channel', 'channel'),
               ('truth_geo_contributions', 'geo, week, term'), ('truth_geo_kpi', 'geo, week')) k(t, cols)
    ON k.t = c.relname
 WHERE c.relnamespace = 'geo_a'::regnamespace AND i.indisprimary ORDER BY 1;

-- geos geo_01 .. geo_12, weeks from the start date, Mondays
SELECT count(DISTINCT geo) AS geos, min(geo) AS first_geo, max(geo) AS last_geo,
       count(DISTINCT week) AS weeks, min(week) AS first_week, max(week) AS last_week,
       bool_and(extract(isodow FROM week) = 1) AS mondays
  FROM geo_a.geo_weekly;

-- populations: whole people, 10,000,000 in all, one per geo
SELECT sum(population) AS people, bool_and(population = round(population) AND population > 0) AS whole,
       count(*) AS geos
  FROM (SELECT DISTINCT geo, population FROM geo_a.geo_weekly) p;
SELECT bool_and(g.population = w.population) AS same_in_truth
  FROM geo_a.truth_geo g JOIN (SELECT DISTINCT geo, population FROM geo_a.geo_weekly) w USING (geo);

-- spend is never negative, in cents; revenue positive
SELECT min(least(tv_spend, search_spend, social_spend)) >= 0 AS spend_ok,
       bool_and(tv_spend = round(tv_spend::numeric, 2)::float8) AS cents,
       min(revenue) > 0 AS revenue_ok
  FROM geo_a.geo_weekly;

-- the truth per geo x channel: spend is the geo's spend over the weeks, contribution the sum
-- of its weekly contributions, ROAS = contribution / spend, ROI = ROAS - 1
SELECT bool_and(abs(g.spend - w.spend) < 1e-6) AS spend_matches,
       bool_and(abs(g.contribution - c.contribution) <= 1e-9 * abs(c.contribution)) AS contribution_matches,
       bool_and(abs(g.roas - g.contribution / g.spend) <= 1e-12 * g.roas) AS roas_identity,
       bool_and(abs(g.roi - (g.roas - 1)) < 1e-12) AS roi_identity
  FROM geo_a.truth_geo g
  JOIN (SELECT geo, 'tv' AS channel, sum(tv_spend) AS spend FROM geo_a.geo_weekly GROUP BY geo
        UNION ALL SELECT geo, 'search', sum(search_spend) FROM geo_a.geo_weekly GROUP BY geo
        UNION ALL SELECT geo, 'social', sum(social_spend) FROM geo_a.geo_weekly GROUP BY geo) w USING (geo, channel)
  JOIN (SELECT geo, term AS channel, sum(contribution) AS contribution
          FROM geo_a.truth_geo_contributions GROUP BY 1, 2) c USING (geo, channel);

-- national truth = sums over geos; share = contribution / total revenue of all geos
SELECT n.channel,
       abs(n.spend - s.spend) < 1e-6 AS spend_sum,
       abs(n.contribution - s.contribution) <= 1e-12 * n.contribution AS contribution_sum,
       abs(n.roas - s.contribution / s.spend) <= 1e-12 * n.roas AS roas_identity,
       abs(n.roi - (n.roas - 1)) < 1e-12 AS roi_identity,
       abs(n.share - s.contribution / r.revenue) <= 1e-12 * n.share AS share_identity
  FROM geo_a.truth_geo_channel n
  JOIN (SELECT channel, sum(spend) AS spend, sum(contribution) AS contribution
          FROM geo_a.truth_geo GROUP BY channel) s USING (channel)
  CROSS JOIN (SELECT sum(revenue) AS revenue FROM geo_a.geo_weekly) r
 ORDER BY n.channel;

-- weekly truth: terms sum to the expected revenue, expected + noise = the revenue of geo_weekly
SELECT max(abs(s.total - k.expected) / k.expected) < 1e-9 AS terms_sum_to_expected,
       count(DISTINCT s.n) AS terms_per_week,
       bool_and(k.kpi = w.revenue) AS kpi_is_revenue,
       max(abs(k.expected + k.noise - k.kpi) / k.kpi) < 1e-12 AS expected_plus_noise
  FROM (SELECT geo, week, sum(contribution) AS total, count(*) AS n
          FROM geo_a.truth_geo_contributions GROUP BY 1, 2) s
  JOIN geo_a.truth_geo_kpi k USING (geo, week)
  JOIN geo_a.geo_weekly w USING (geo, week);
SELECT array_agg(DISTINCT term ORDER BY term) AS terms FROM geo_a.truth_geo_contributions;

-- shapes are the channel's in every geo: the vocabulary's, as generate_raw_data's truth
SELECT channel, adstock, adstock_p1, max_lag, saturation, sat_p1, sat_p2, target_roas
  FROM geo_a.truth_geo_channel ORDER BY channel;

-- the shared curve sees spend per person: a geo's input_scale is its population share times
-- the channel's mean adstocked national spend, so input_scale / population is one per channel
SELECT channel, max(input_scale / population) / min(input_scale / population) - 1 < 1e-12 AS per_person_scale
  FROM geo_a.truth_geo GROUP BY channel ORDER BY channel;

-- per-geo ROAS vary around the target (log-SD roi_sd, mean the target)
SELECT channel, count(*) AS geos, min(g.roas) < max(g.roas) AS heterogeneous,
       abs(avg(g.roas) / min(n.target_roas) - 1) < 0.35 AS mean_near_target,
       stddev(ln(g.roas)) BETWEEN 0.1 AND 0.6 AS log_sd_near_roi_sd
  FROM geo_a.truth_geo g JOIN geo_a.truth_geo_channel n USING (channel) GROUP BY channel ORDER BY channel;
-- roi_sd 0: every geo's ROAS is the target, exactly up to rounding
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_flat', seed => 7, geos => 5, weeks => 52,
    channels => ARRAY['tv', 'display'], options => '{"roi_sd": 0}');
SELECT channel, bool_and(abs(g.roas - n.target_roas) < 1e-12) AS roas_is_target
  FROM geo_flat.truth_geo g JOIN geo_flat.truth_geo_channel n USING (channel) GROUP BY 1 ORDER BY 1;

-- geos differ in timing, not only in scale: a geo's share of the national spend moves from
-- week to week (by more than 5% of its mean in every geo)
SELECT bool_and(sd / mean > 0.05) AS timing_differs
  FROM (SELECT w.geo, stddev(w.search_spend / n.total) AS sd, avg(w.search_spend / n.total) AS mean
          FROM geo_a.geo_weekly w
          JOIN (SELECT week, sum(search_spend) AS total FROM geo_a.geo_weekly GROUP BY week) n USING (week)
         GROUP BY w.geo) s;
-- own_share 0, spend_sd 0: every geo's spend is the national path times its population share
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_nat', seed => 7, geos => 4, weeks => 52,
    channels => ARRAY['search'], options => '{"own_share": 0, "spend_sd": 0, "replace": true}');
SELECT max(abs(a.search_spend / a.population - b.search_spend / b.population)
           / (b.search_spend / b.population)) < 1e-4 AS proportional
  FROM geo_nat.geo_weekly a JOIN geo_nat.geo_weekly b USING (week)
 WHERE a.geo = 'geo_01' AND b.geo = 'geo_04' AND b.search_spend > 100;
SELECT bool_and(sd / mean < 1e-4) AS share_constant
  FROM (SELECT w.geo, stddev(w.search_spend / n.total) AS sd, avg(w.search_spend / n.total) AS mean
          FROM geo_nat.geo_weekly w
          JOIN (SELECT week, sum(search_spend) AS total FROM geo_nat.geo_weekly GROUP BY week) n USING (week)
         WHERE n.total > 1000 GROUP BY w.geo) s;

-- same seed, identical tables; another seed, different ones
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_b', seed => 7, geos => 12, weeks => 60,
    channels => ARRAY['tv', 'search', 'social']);
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_c', seed => 8, geos => 12, weeks => 60,
    channels => ARRAY['tv', 'search', 'social']);
SELECT t AS table_name,
       pg_temp.digest('geo_a', t) = pg_temp.digest('geo_b', t) AS same_seed_identical,
       pg_temp.digest('geo_a', t) <> pg_temp.digest('geo_c', t) AS other_seed_differs
  FROM unnest(ARRAY['geo_weekly', 'truth_geo', 'truth_geo_channel', 'truth_geo_contributions',
                    'truth_geo_kpi']) AS t;

-- a geo's draws come from its own stream: with more geos, the first geos' spend per person
-- (own path, level factor) and true ROAS are the same; only the population shares rescale
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_d', seed => 7, geos => 20, weeks => 60,
    channels => ARRAY['tv', 'search', 'social']);
SELECT count(*) AS geos, bool_and(abs(a.roas - d.roas) < 1e-9 * a.roas) AS same_roas
  FROM geo_a.truth_geo a JOIN geo_d.truth_geo d USING (geo, channel)
 WHERE a.channel = 'social';
SELECT round(corr(a.search_spend / a.population, d.search_spend / d.population)::numeric, 4) AS spend_per_person_corr
  FROM geo_a.geo_weekly a JOIN geo_d.geo_weekly d USING (geo, week);

-- options: random shapes (shared by every geo), noise 0, other level
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_e', seed => 3, geos => 3, weeks => 80,
    channels => ARRAY['radio', 'video', 'affiliate'],
    options => '{"shapes": "random", "noise": 0, "level": 50000, "spend_ratio": 0.3, "population_sd": 0}');
SELECT count(*) FILTER (WHERE adstock <> 'geometric' OR max_lag <> -1) > 0 AS shapes_drawn
  FROM geo_e.truth_geo_channel;
SELECT bool_and(noise = 0) AS noiseless, round(avg(kpi)::numeric) AS mean_weekly_revenue
  FROM geo_e.truth_geo_kpi;
SELECT array_agg(DISTINCT population) AS populations FROM geo_e.geo_weekly;
SELECT (SELECT sum(spend) FROM geo_e.truth_geo_channel) / (SELECT sum(revenue) FROM geo_e.geo_weekly) > 0.2
       AS spend_ratio_applied;

-- geo names are padded to the width of the number of geos
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_f', seed => 1, geos => 100, weeks => 52,
    channels => ARRAY['display']);
SELECT min(geo), max(geo), count(DISTINCT geo) FROM geo_f.truth_geo;
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_g', seed => 1, geos => 1, weeks => 52,
    channels => ARRAY['print']);
SELECT geo, population, channel FROM geo_g.truth_geo;

-- the defaults: 40 geos x 156 weeks, tv, search, social, display
SELECT * FROM mixmodel.generate_geo_data('geo_default');
SELECT count(DISTINCT geo) AS geos, count(DISTINCT week) AS weeks, sum(population) / count(DISTINCT week) AS people
  FROM geo_default.geo_weekly;

-- an existing table: 42P07 unless replace; replace rewrites the same data
SELECT pg_temp.err_full($$SELECT * FROM mixmodel.generate_geo_data('geo_b', seed => 7, geos => 12, weeks => 60,
    channels => ARRAY['tv', 'search', 'social'])$$);
SELECT count(*) AS tables FROM mixmodel.generate_geo_data('geo_b', seed => 7, geos => 12, weeks => 60,
    channels => ARRAY['tv', 'search', 'social'], options => '{"replace": true}');
SELECT pg_temp.digest('geo_a', 'geo_weekly') = pg_temp.digest('geo_b', 'geo_weekly') AS replaced_identical;

-- hostile arguments, each starting from the working call above
SELECT q, pg_temp.err_full(q) AS result FROM (VALUES
  ($$SELECT mixmodel.generate_geo_data(NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', seed => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', geos => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', weeks => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', start_date => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => NULL)$$),
  ($$SELECT mixmodel.generate_geo_data('mixmodel')$$),
  ($$SELECT mixmodel.generate_geo_data('pg_catalog')$$),
  ($$SELECT mixmodel.generate_geo_data('')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', geos => 0)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', geos => 1001)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', weeks => 51)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', weeks => 1041)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', weeks => -2147483648)$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', start_date => '2023-01-03')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', start_date => 'infinity')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', start_date => '1900-01-01')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => '{}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => ARRAY['tv', NULL])$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => ARRAY['tv', 'email'])$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => ARRAY['tv', 'cinema'])$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => ARRAY['tv', 'tv'])$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => '{{tv},{search}}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', channels => ARRAY['tv','radio','ooh','print','search','social','display','video','affiliate','tv'])$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '[]')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '3')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"geos": 3}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"noise": 0.5}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"noise": "x"}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"noise": -0.1}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"population_sd": 3}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"spend_sd": -1}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"own_share": 1.5}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"roi_sd": null}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"level": 0}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"level": 1e300}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"spend_ratio": 0}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"shapes": "wild"}')$$),
  ($$SELECT mixmodel.generate_geo_data('geo_h', options => '{"replace": "yes"}')$$)
) v(q);
-- no error left a schema or table behind
SELECT count(*) AS leftovers FROM pg_namespace WHERE nspname = 'geo_h';

SET client_min_messages = warning;
DROP SCHEMA geo_default, geo_a, geo_b, geo_c, geo_d, geo_e, geo_f, geo_g, geo_flat, geo_nat CASCADE;
