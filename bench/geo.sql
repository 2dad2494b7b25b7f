-- bench/geo.sql: a geo-level model (doc/geo.md) of 40 geos x 156 weeks x 8 paid channels,
-- generated with a known per-geo truth (mixmodel.generate_geo_data: per-geo ROAS spread
-- around each channel's target, shapes shared by the geos), trained at the defaults
-- (Bayesian national model, then the geos).  Target: <= 60 s.  Baseline: the same national
-- model trained on the summed table alone (the geo stage's cost is the difference).
-- Recovery: per-geo ROAS against the truth for the partially pooled estimate, the geos' own
-- unpooled estimates and complete pooling (the national model's ROAS in every geo), the 90%
-- intervals' coverage of the per-geo truth, and the national sum of the geos against the
-- national truth.  Three data sets: the generator's vocabulary shapes, random shapes ("shapes":
-- "random": adstock and saturation families the model does not default to), and 3 channels
-- whose geos differ more (sd of log ROAS 0.5 instead of 0.3); then 1,000 geos for scale.
\set ON_ERROR_STOP 1
SET client_min_messages = error;

CREATE FUNCTION pg_temp.bench_geo(label text, seed int8, shapes text,
        chans text[] DEFAULT ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate'],
        roi_sd float8 DEFAULT 0.3, n_geos int DEFAULT 40) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s text := 'bgeo_' || label;
    media text[] := ARRAY(SELECT c || '_spend' FROM unnest(chans) WITH ORDINALITY u(c, k) ORDER BY k);
    t0 timestamptz;
    geo_s float8; nat_s float8;
    r record; n record;
BEGIN
    PERFORM mixmodel.generate_geo_data(s, seed => seed, geos => n_geos, weeks => 156,
              channels => chans, options => jsonb_build_object('shapes', shapes, 'roi_sd', roi_sd));
    EXECUTE format('CREATE TABLE %I.national AS SELECT week, sum(revenue) AS revenue, %s, avg(price_index) AS price_index,
                           avg(competitor_spend) AS competitor_spend FROM %I.geo_weekly GROUP BY week',
                   s, (SELECT string_agg(format('sum(%1$I) AS %1$I', c), ', ') FROM unnest(media) c), s);
    PERFORM mixmodel.create_model(s || '_nat', format('%I.national', s)::regclass, 'week', 'revenue', media,
                                  ARRAY['price_index', 'competitor_spend']);
    PERFORM mixmodel.create_model(s, format('%I.geo_weekly', s)::regclass, 'week', 'revenue', media,
                                  ARRAY['price_index', 'competitor_spend'],
                                  options => '{"geo": {"column": "geo", "population": "population"}}');
    t0 := clock_timestamp();
    PERFORM count(*) FROM mixmodel.train(s || '_nat');
    nat_s := extract(epoch FROM clock_timestamp() - t0);
    t0 := clock_timestamp();
    PERFORM count(*) FROM mixmodel.train(s);
    geo_s := extract(epoch FROM clock_timestamp() - t0);
    -- the truth over the training weeks the model reports on (its holdout excluded)
    -- (every geo has the same periods: the training weeks are one range)
    EXECUTE format($q$CREATE TEMP TABLE truth_train AS
        SELECT c.geo, c.term || '_spend' AS channel, sum(c.contribution) AS contribution
          FROM %1$I.truth_geo_contributions c,
               (SELECT min(f.period) AS lo, max(f.period) AS hi FROM mixmodel.run_geo_fit f
                 WHERE f.model = $1 AND f.split = 'train') w
         WHERE c.week BETWEEN w.lo AND w.hi AND c.term || '_spend' = ANY ($2)
         GROUP BY 1, 2$q$, s) USING s, media;
    -- per-geo ROAS: pooled, unpooled (the same contribution at the geo's own effect) and complete pooling
    -- (each view read once: channel_performance computes response points per row)
    WITH gp AS MATERIALIZED (SELECT * FROM mixmodel.geo_channel_performance WHERE model = s),
         cp AS MATERIALIZED (SELECT channel, roas FROM mixmodel.channel_performance WHERE model = s),
         t AS (SELECT x.geo, x.channel, x.contribution / g.spend AS roas
                 FROM truth_train x JOIN gp g ON g.geo = x.geo AND g.channel = x.channel),
         g AS (SELECT g.geo, g.channel, g.roas, g.roas_lower, g.roas_upper,
                      g.roas * g.unpooled_coef / nullif(g.coef, 0) AS roas_unpooled, c.roas AS roas_national, t.roas AS truth
                 FROM gp g JOIN t USING (geo, channel)
                 JOIN cp c ON c.channel = g.channel
                WHERE g.geo IS NOT NULL)
    SELECT count(*) AS cells, sqrt(avg((g.roas - truth)^2)) AS rmse_pooled, sqrt(avg((roas_unpooled - truth)^2)) AS rmse_unpooled,
           sqrt(avg((roas_national - truth)^2)) AS rmse_complete, avg((truth BETWEEN roas_lower AND roas_upper)::int) AS coverage,
           sqrt(avg(truth^2)) AS rms_truth, stddev_pop(truth) AS sd_truth
      INTO r FROM g;
    WITH t AS (SELECT channel, sum(contribution) AS contribution FROM truth_train GROUP BY channel)
    SELECT max(abs(g.roas - t.contribution / g.spend)) AS max_err,
           avg((t.contribution / g.spend BETWEEN g.roas_lower AND g.roas_upper)::int) AS coverage,
           max(abs(c.roas - t.contribution / c.spend)) AS max_err_national_model
      INTO n
      FROM mixmodel.geo_channel_performance g JOIN t ON t.channel = g.channel
      JOIN mixmodel.channel_performance c ON c.model = s || '_nat' AND c.channel = g.channel
     WHERE g.model = s AND g.geo IS NULL;
    DROP TABLE truth_train;
    RETURN format('geo (%s shapes, between-geo sd of log ROAS %s): %s geos x 156 weeks x %s channels: train %s s (target <= 60 s) %s; baseline national model alone %s s, ratio %s. '
                  'Per-geo ROAS over the training weeks, %s geo-channel cells (truth rms %s, sd %s): RMSE partially pooled %s, unpooled %s, complete pooling %s; '
                  '90%% intervals cover the per-geo truth in %s%%. National (sum of the geos): largest ROAS error %s (the national model alone: %s), intervals cover %s of %s',
                  shapes, roi_sd, n_geos, cardinality(chans), round(geo_s::numeric, 1), CASE WHEN geo_s <= 60 THEN 'met' ELSE 'NOT met' END, round(nat_s::numeric, 1),
                  round((geo_s / nat_s)::numeric, 2), r.cells, round(r.rms_truth::numeric, 2), round(r.sd_truth::numeric, 2),
                  round(r.rmse_pooled::numeric, 3), round(r.rmse_unpooled::numeric, 3), round(r.rmse_complete::numeric, 3),
                  round(100 * r.coverage::numeric, 0), round(n.max_err::numeric, 2), round(n.max_err_national_model::numeric, 2),
                  round(cardinality(chans) * n.coverage::numeric, 0), cardinality(chans));
END $$;

SELECT pg_temp.bench_geo('vocabulary', 1, 'vocabulary');
SELECT pg_temp.bench_geo('random', 2, 'random');
-- where geos differ more and each channel has more signal: 3 channels, sd 0.5
SELECT pg_temp.bench_geo('hetero', 3, 'vocabulary', ARRAY['tv', 'search', 'social'], 0.5);
-- scale: 1,000 geos (156,000 rows)
SELECT pg_temp.bench_geo('large', 4, 'vocabulary', n_geos => 1000);
