-- Geo-level models (doc/geo.md): the national model over the sum of the geos, each geo's
-- effects partially pooled toward it, national results as the sum of the geos, bad input.
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('mg', seed => 5, weeks => 104, events => 1000,
       channels => ARRAY['tv', 'search', 'social']);
-- three geos that are scaled copies of one national table (half, 30% and 20% of everything)
CREATE TABLE mg.geo_copies AS
SELECT g.geo, g.share * 1e6 AS population, w.week, g.share * w.revenue AS revenue, g.share * w.tv_spend AS tv_spend,
       g.share * w.search_spend AS search_spend, g.share * w.social_spend AS social_spend, w.price_index
  FROM mg.weekly_wide w, (VALUES ('north', 0.5), ('south', 0.3), ('west', 0.2)) g(geo, share);
SELECT mixmodel.create_model('mg_copies', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend', 'search_spend', 'social_spend'],
       ARRAY['price_index'], options => '{"geo": {"column": "geo", "population": "population"},
                                          "chains": 2, "draws": 300, "warmup": 300}');
-- (2 chains of 300 draws keep the test quick: the sampler's non-convergence warning is silenced)
SET client_min_messages = error;
SELECT split, n FROM mixmodel.train('mg_copies', seed => 3);
SET client_min_messages = warning;
-- the national model reads the sum of the geos: the national table itself
SELECT abs(f.actual - w.revenue) < 1e-6 * w.revenue AS national_is_sum, count(*)
  FROM mixmodel.model_fit f JOIN mg.weekly_wide w ON w.week = f.period WHERE f.model = 'mg_copies' GROUP BY 1;
SELECT geo, position, population, round(scale::numeric, 4) AS scale FROM mixmodel.run_geos WHERE model = 'mg_copies' ORDER BY position;
-- identical designs after population scaling: every geo's effects have the same posterior
-- (each geo draws its own, so the medians agree to Monte Carlo error)
SELECT channel, max(coef) - min(coef) < 0.1 * max(abs(coef)) AS same_coef, count(*) AS geos,
       bool_and(coef_lower < coef AND coef < coef_upper) AS in_interval
  FROM mixmodel.geo_channel_performance WHERE model = 'mg_copies' AND geo IS NOT NULL GROUP BY channel ORDER BY channel;
-- national rows are the sums of the geos: spend exactly, the contribution draw by draw (its
-- median near the sum of the geos' medians, its interval around it)
SELECT n.channel, abs(n.spend - s.spend) < 1e-9 * s.spend AS spend_sum,
       abs(n.contribution - s.contribution) < 0.05 * abs(s.contribution) AS contribution_sum,
       s.contribution BETWEEN n.contribution_lower AND n.contribution_upper AS in_interval,
       n.tau > 0 AS tau_positive, n.interval_level
  FROM mixmodel.geo_channel_performance n
  JOIN (SELECT channel, sum(spend) AS spend, sum(contribution) AS contribution
          FROM mixmodel.geo_channel_performance WHERE model = 'mg_copies' AND geo IS NOT NULL GROUP BY channel) s USING (channel)
 WHERE n.model = 'mg_copies' AND n.geo IS NULL ORDER BY n.channel;
-- each geo's decomposition adds up to its prediction; predictions inside their band
SELECT count(*) AS periods, bool_and(abs(c.total - f.predicted) < 1e-6 * abs(f.predicted)) AS terms_add_up,
       bool_and(f.predicted_lower <= f.predicted AND f.predicted <= f.predicted_upper) AS in_band
  FROM mixmodel.geo_fit f
  JOIN (SELECT geo, period, sum(contribution) AS total FROM mixmodel.geo_contributions WHERE model = 'mg_copies'
         GROUP BY geo, period) c USING (geo, period)
 WHERE f.model = 'mg_copies';
SELECT geo, split, n, r2 > 0.5 AS fits FROM mixmodel.geo_metrics WHERE model = 'mg_copies' AND split = 'train' ORDER BY geo;
-- bit-identical reruns
CREATE TEMP TABLE first_run AS SELECT * FROM mixmodel.run_geo_channels WHERE model = 'mg_copies' AND run = 1;
SET client_min_messages = error;
SELECT count(*) AS splits FROM mixmodel.train('mg_copies', seed => 3);
SET client_min_messages = warning;
SELECT count(*) AS rows, bool_and(a.contribution = b.contribution AND a.coef IS NOT DISTINCT FROM b.coef
                                  AND a.contribution_lower = b.contribution_lower) AS identical
  FROM first_run a JOIN mixmodel.run_geo_channels b
    ON b.model = a.model AND b.run = 2 AND b.geo IS NOT DISTINCT FROM a.geo AND b.channel = a.channel;

-- geos that differ: three generated markets with their own spend, partially pooled
SELECT count(*) > 0 AS generated FROM generate_series(1, 3) k,
       LATERAL mixmodel.generate_raw_data('mg' || k, seed => 20 + k, weeks => 104, events => 1000,
                                          channels => ARRAY['tv', 'search', 'social']) g;
CREATE TABLE mg.geo_markets AS
SELECT 'm1' AS market, week, revenue, tv_spend, search_spend, social_spend, price_index FROM mg1.weekly_wide UNION ALL
SELECT 'm2', week, revenue, tv_spend, search_spend, social_spend, price_index FROM mg2.weekly_wide UNION ALL
SELECT 'm3', week, revenue, tv_spend, search_spend, social_spend, price_index FROM mg3.weekly_wide;
-- no population column: the geos are scaled by their KPI over the training rows; ridge: no intervals
SELECT mixmodel.create_model('mg_markets', 'mg.geo_markets', 'week', 'revenue', ARRAY['tv_spend', 'search_spend', 'social_spend'],
       ARRAY['price_index'], options => '{"geo": {"column": "market"}, "inference": "ridge", "candidates": 200}');
SELECT count(*) AS splits FROM mixmodel.train('mg_markets', seed => 3);
SELECT geo, population IS NULL AS no_population, scale > 2 AND scale < 4 AS about_a_third
  FROM mixmodel.run_geos WHERE model = 'mg_markets' ORDER BY geo;
SELECT count(*) AS rows, bool_and(contribution_lower IS NULL AND coef_lower IS NULL) AS no_intervals,
       count(DISTINCT round(coef::numeric, 6)) FILTER (WHERE geo IS NOT NULL) AS distinct_effects
  FROM mixmodel.run_geo_channels WHERE model = 'mg_markets';
SELECT count(*) FILTER (WHERE tau > 0) AS channels_with_tau FROM mixmodel.run_geo_channels WHERE model = 'mg_markets' AND geo IS NULL;
-- without draws (ridge) the national rows are exactly the sums of the geos
SELECT n.channel, abs(n.contribution - s.contribution) <= 1e-9 * abs(s.contribution) AS contribution_sum
  FROM mixmodel.run_geo_channels n
  JOIN (SELECT channel, sum(contribution) AS contribution FROM mixmodel.run_geo_channels
         WHERE model = 'mg_markets' AND geo IS NOT NULL GROUP BY channel) s USING (channel)
 WHERE n.model = 'mg_markets' AND n.geo IS NULL ORDER BY n.channel;
-- scaled copies without draws: every geo gets exactly the same effects
SELECT mixmodel.create_model('mg_copies_ridge', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend', 'search_spend', 'social_spend'],
       ARRAY['price_index'], options => '{"geo": {"column": "geo", "population": "population"}, "inference": "map"}');
SELECT count(*) AS splits FROM mixmodel.train('mg_copies_ridge', seed => 3);
SELECT channel, max(coef) - min(coef) <= 1e-9 * max(abs(coef)) AS same_coef, max(roi) - min(roi) <= 1e-9 AS same_roi
  FROM mixmodel.geo_channel_performance WHERE model = 'mg_copies_ridge' AND geo IS NOT NULL GROUP BY channel ORDER BY channel;

-- a geo's response curve: on scaled copies each geo's curve is the national shape times its share
SELECT c.multiple, abs(n.response / s.response - 5.0 / 3) < 1e-9 AS north_over_south, n.is_current
  FROM mixmodel.geo_response_curve('mg_copies_ridge', 'north', 'tv_spend', 5) n
  JOIN mixmodel.geo_response_curve('mg_copies_ridge', 'south', 'tv_spend', 5) s USING (multiple)
  JOIN mixmodel.geo_response_curve('mg_copies_ridge', 'west', 'tv_spend', 5) c USING (multiple)
 WHERE n.response > 0 ORDER BY c.multiple;
-- a Bayesian run's geo curve has its band (the national draws' curves with the geo's own effect
-- draws); a map run's has none
SELECT count(*) AS points, bool_and(response_lower <= response_upper) AS band_ordered,
       bool_or(response_lower < response_upper) AS band_has_width, count(response_lower) = count(*) AS every_point
  FROM mixmodel.geo_response_curve('mg_copies', 'west', 'search_spend', 5) WHERE spend > 0;
SELECT count(*) AS draws_rows, min(cardinality(coef)) = 200 AS two_hundred_draws
  FROM mixmodel.run_geo_draws WHERE model = 'mg_copies' AND run = (SELECT current_run FROM mixmodel.models WHERE name = 'mg_copies');
SELECT count(response_lower) AS band_points FROM mixmodel.geo_response_curve('mg_copies_ridge', 'west', 'search_spend', 5);
-- a plan across geos x channels: the budget of the last 13 weeks, spent at least as well as
-- historically; identical geos up to scale get the same split in proportion to their size
CREATE TEMP TABLE gplan AS SELECT * FROM mixmodel.geo_plan('mg_copies_ridge',
    (SELECT sum(tv_spend + search_spend + social_spend) FROM mg.geo_copies WHERE week > (SELECT max(week) - 91 FROM mg.geo_copies)));
SELECT count(*) AS cells, abs(sum(spend) - sum(historical_spend)) < 1e-6 * sum(spend) AS whole_budget,
       sum(revenue) >= sum(historical_revenue) AS at_least_historical
  FROM gplan;
SELECT n.channel, abs(n.spend / s.spend - 5.0 / 3) < 1e-3 AS proportional_spend
  FROM gplan n JOIN gplan s ON s.channel = n.channel AND s.geo = 'south' WHERE n.geo = 'north' ORDER BY n.channel;

-- the report of a geo model has a Geos section: a chart and a table row per geo and national
SELECT mixmodel.report('mg_copies') AS html \gset
SELECT :'html' ~ '<section id="geos"><h2>4\. Geos</h2>' AS geos_section,
       (SELECT count(*) FROM regexp_matches(:'html', '<tr><td>[^<]*(north|south|west|national \(sum of the geos\))[^<]*</td>', 'g')) AS table_rows,
       mixmodel.report('mg_copies') = :'html' AS same_page;

-- bad input, each from a working model definition
\set ON_ERROR_STOP 0
\set SHOW_CONTEXT never
\set VERBOSITY sqlstate
SELECT mixmodel.create_model('bad', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend'],
       options => '{"geo": {"column": "geo", "weights": "population"}}');
SELECT mixmodel.create_model('bad', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend'],
       options => '{"geo": {"column": "region"}}');
SELECT mixmodel.create_model('bad', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend'],
       options => '{"geo": "geo"}');
SELECT mixmodel.create_model('bad', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend'],
       options => '{"geo": {"column": "geo"}, "form": "multiplicative"}');
SELECT mixmodel.create_model('bad', 'mg.geo_copies', 'week', 'revenue', ARRAY['tv_spend'],
       options => '{"geo": {"column": "tv_spend"}}');
SELECT * FROM mixmodel.geo_response_curve('mg_copies_ridge', 'east', 'tv_spend');
SELECT * FROM mixmodel.geo_response_curve('mg_copies_ridge', 'north', 'radio_spend');
SELECT * FROM mixmodel.geo_response_curve('mg_copies_ridge', NULL, 'tv_spend');
SELECT * FROM mixmodel.geo_response_curve('mg_copies_ridge', 'north', 'tv_spend', 1);
SELECT * FROM mixmodel.geo_plan('mg_copies_ridge', 0);
SELECT * FROM mixmodel.geo_plan('mg_copies_ridge', 'Infinity');
SELECT * FROM mixmodel.geo_plan('mg_copies_ridge', 1000, 0);
SELECT * FROM mixmodel.geo_plan('mg_copies_ridge', 1000, 13, 0.5);
SELECT * FROM mixmodel.geo_plan('mb_none', 1000);
\set VERBOSITY default
-- a geo missing a week, a NULL geo, a non-positive population, one geo only
CREATE TABLE mg.geo_gap AS SELECT * FROM mg.geo_copies WHERE NOT (geo = 'west' AND week = (SELECT max(week) FROM mg.geo_copies));
SELECT mixmodel.create_model('gap', 'mg.geo_gap', 'week', 'revenue', ARRAY['tv_spend', 'search_spend'],
       options => '{"geo": {"column": "geo", "population": "population"}, "inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('gap');
CREATE TABLE mg.geo_nullgeo AS SELECT CASE WHEN geo = 'west' THEN NULL ELSE geo END AS geo, population, week, revenue,
       tv_spend, search_spend FROM mg.geo_copies;
SELECT mixmodel.create_model('nullgeo', 'mg.geo_nullgeo', 'week', 'revenue', ARRAY['tv_spend', 'search_spend'],
       options => '{"geo": {"column": "geo", "population": "population"}, "inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('nullgeo');
CREATE TABLE mg.geo_zero AS SELECT geo, CASE WHEN geo = 'west' THEN 0 ELSE population END AS population, week, revenue,
       tv_spend, search_spend FROM mg.geo_copies;
SELECT mixmodel.create_model('zero', 'mg.geo_zero', 'week', 'revenue', ARRAY['tv_spend', 'search_spend'],
       options => '{"geo": {"column": "geo", "population": "population"}, "inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('zero');
CREATE TABLE mg.geo_one AS SELECT * FROM mg.geo_copies WHERE geo = 'north';
SELECT mixmodel.create_model('one', 'mg.geo_one', 'week', 'revenue', ARRAY['tv_spend', 'search_spend'],
       options => '{"geo": {"column": "geo", "population": "population"}, "inference": "ridge", "candidates": 50}');
SELECT split FROM mixmodel.train('one');
\set ON_ERROR_STOP 1
-- failed trainings left nothing behind
SELECT count(*) AS geo_rows_of_failed FROM mixmodel.run_geo_channels WHERE model IN ('gap', 'nullgeo', 'zero', 'one');
