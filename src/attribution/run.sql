-- attribution: mixmodel.attribute, the workflow entry point, and the run's summaries (doc/attribution.md)

CREATE FUNCTION mixmodel._attribution_summarize(name text, run integer, models text[], analytics boolean DEFAULT true)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    nconv float8;
    nnon float8;
BEGIN
    -- sums in numeric: exact for the float8 credits, so they do not depend on row order
    INSERT INTO mixmodel.attribution_channels
    SELECT _attribution_summarize.name, _attribution_summarize.run, s.model, s.channel, count(*) FILTER (WHERE s.touch_index IS NOT NULL),
           CAST(sum(CAST(s.credit AS numeric)) AS float8), CAST(sum(CAST(s.revenue_credit AS numeric)) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'starter'), 0) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'player'), 0) AS float8),
           CAST(coalesce(sum(CAST(s.credit AS numeric)) FILTER (WHERE s.position = 'closer'), 0) AS float8)
      FROM mixmodel.event_scores s
     WHERE s.attribution = name AND s.run = _attribution_summarize.run
     GROUP BY s.model, s.channel;

    IF NOT analytics THEN
        RETURN;
    END IF;
    INSERT INTO mixmodel.attribution_paths
    SELECT _attribution_summarize.name, _attribution_summarize.run, p.path, p.channels, p.conversions, p.revenue,
           p.non_conversions FROM mm_attr_paths p;

    -- (without non-converting journeys in the run, their counts and shares are NULL)
    SELECT count(*) FILTER (WHERE e.is_conv), nullif(count(*) FILTER (WHERE NOT e.is_conv), 0) INTO nconv, nnon FROM mm_attr_end e;
    -- touches in the range, and the journeys each key is on (one pass over each)
    INSERT INTO mixmodel.attribution_touchpoints
    SELECT _attribution_summarize.name, _attribution_summarize.run, v.key, v.touches, coalesce(j.conv_paths, 0),
           CASE WHEN nnon > 0 THEN coalesce(j.non_paths, 0) END,
           coalesce(j.conv_paths, 0) / nullif(nconv, 0), coalesce(j.non_paths, 0) / nnon,
           CASE WHEN nnon > 0 THEN CAST(j.conv_paths AS float8) / nullif(j.conv_paths + j.non_paths, 0) END,
           (SELECT r.removal_effect FROM pg_temp.mm_attr_re r WHERE r.key = v.key AND 'markov' = ANY (models)),
           a.incremental / nullif(v.touches, 0), NULL
      FROM (SELECT tc.key, count(*) AS touches FROM mm_attr_touch tc GROUP BY tc.key) v
      LEFT JOIN (SELECT y.key, count(*) FILTER (WHERE y.is_conv) AS conv_paths, count(*) FILTER (WHERE NOT y.is_conv) AS non_paths
                   FROM (SELECT DISTINCT p.key, p.end_id, p.is_conv FROM mm_attr_pt p WHERE p.tp IS NOT NULL) y
                  GROUP BY y.key) j ON j.key = v.key
      LEFT JOIN (SELECT s.touch_key, CAST(sum(CAST(s.credit AS numeric)) AS float8) AS incremental
                   FROM mixmodel.event_scores s
                  WHERE s.attribution = _attribution_summarize.name AND s.run = _attribution_summarize.run
                    AND s.model = 'algorithmic_incremental'
                  GROUP BY s.touch_key) a ON a.touch_key = v.key;
    -- efficiency 1-5: incremental conversions per touch, between the least and the most efficient key
    UPDATE mixmodel.attribution_touchpoints t
       SET efficiency = CASE WHEN x.hi > x.lo THEN round(1 + 4 * (t.incremental_per_touch - x.lo) / (x.hi - x.lo))
                             ELSE 3 END
      FROM (SELECT min(incremental_per_touch) AS lo, max(incremental_per_touch) AS hi
              FROM mixmodel.attribution_touchpoints y
             WHERE y.attribution = _attribution_summarize.name AND y.run = _attribution_summarize.run) x
     WHERE t.attribution = _attribution_summarize.name AND t.run = _attribution_summarize.run
       AND t.incremental_per_touch IS NOT NULL;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_summarize(text, integer, text[], boolean) IS 'Internal: last step of attribute: channel credits per model and, with analytics, the path table and touchpoint effectiveness of the run.';

CREATE FUNCTION mixmodel.attribute(name text, from_time timestamptz DEFAULT NULL, to_time timestamptz DEFAULT NULL)
    RETURNS TABLE (model text, channel text, conversions float8, revenue float8, share float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 100
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    a mixmodel.attributions;
    o jsonb;
    c jsonb;
    models text[];
    lookback interval;
    x jsonb;
    alg jsonb;
    k int;
    has_revenue boolean;
    need_paths boolean;
    t0 timestamptz := clock_timestamp();
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004';
    END IF;
    IF NOT isfinite(from_time) OR NOT isfinite(to_time) THEN
        RAISE EXCEPTION 'from_time and to_time must be finite' USING ERRCODE = '22023';
    END IF;
    IF from_time > to_time THEN
        RAISE EXCEPTION 'from_time must not be after to_time' USING ERRCODE = '22023',
            DETAIL = format('Got %s to %s.', from_time, to_time);
    END IF;
    -- concurrent runs of one attribution wait here
    SELECT * INTO a FROM mixmodel.attributions x0 WHERE x0.name = attribute.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'attribution "%" does not exist', name USING ERRCODE = '42704',
            HINT = 'Define it with mixmodel.create_attribution.';
    END IF;
    o := mixmodel._attribution_options(a.options);
    models := mixmodel._attribution_models(a.models, o);
    lookback := mixmodel._attribution_lookback(a.lookback);
    c := mixmodel._attribution_compile(a.source, a.conversion, a.touchpoints, a.person_column, a.time_column, o);
    has_revenue := c->>'revenue' <> 'CAST(NULL AS pg_catalog.float8)';

    -- non-converting journeys: for the models that use them (the Markov null state, the
    -- conversion-rate Shapley value), or when asked for
    x := mixmodel._attribution_extract(c, o, lookback, from_time, to_time,
             coalesce((o->>'non_converting')::boolean,
                      'markov' = ANY (models) AND (o->>'markov_null')::boolean
                      OR 'shapley' = ANY (models) AND o->>'shapley' = 'conversion_rate'));
    -- the path table: for the Markov and conversion-rate Shapley models, and the analytics
    need_paths := (o->>'analytics')::boolean OR 'markov' = ANY (models)
                  OR 'shapley' = ANY (models) AND o->>'shapley' = 'conversion_rate';
    PERFORM mixmodel._attribution_windows(models, o, lookback IS NULL, need_paths);
    IF need_paths THEN
        PERFORM mixmodel._attribution_paths();
    ELSE
        DROP TABLE IF EXISTS pg_temp.mm_attr_paths;
        CREATE TEMP TABLE mm_attr_paths (path text, channels int, conversions float8, revenue float8, non_conversions float8);
    END IF;
    SELECT coalesce(max(r.run), 0) + 1 INTO k FROM mixmodel.attribution_runs r WHERE r.attribution = name;
    -- a rerun replaces the event scores (the attribution's partition); earlier runs keep their summaries
    PERFORM mixmodel._event_scores_partition(name, 'truncate');
    INSERT INTO mixmodel.attribution_runs VALUES (name, k, (x->>'from')::timestamptz, (x->>'to')::timestamptz,
        (x->>'events')::bigint, (x->>'persons')::bigint, (x->>'touches')::bigint, (x->>'conversions')::bigint,
        (SELECT count(*) FROM pg_temp.mm_attr_pt p WHERE p.is_conv AND p.tp IS NULL),
        (x->>'revenue')::float8, (x->>'non_converting')::bigint, NULL,
        jsonb_build_object('models', models, 'options', o, 'lookback', a.lookback, 'source', c->>'relation',
                           'conversion', a.conversion, 'touchpoints', a.touchpoints),
        t0, 0);

    PERFORM mixmodel._attribution_score_rules(name, k, models, o);
    PERFORM mixmodel._attribution_score_none(name, k, models);
    IF 'shapley' = ANY (models) AND o->>'shapley' = 'conversion_rate' THEN
        PERFORM mixmodel._attribution_score_shapley(name, k);
    END IF;
    DROP TABLE IF EXISTS pg_temp.mm_attr_re;
    CREATE TEMP TABLE mm_attr_re (key text PRIMARY KEY, removal_effect float8, removal_effect_value float8);
    IF 'markov' = ANY (models) THEN
        PERFORM mixmodel._attribution_score_markov(name, k, o, has_revenue);
    END IF;
    IF models && ARRAY['algorithmic_influenced', 'algorithmic_incremental'] THEN
        alg := mixmodel._attribution_score_algorithmic(name, k, models, o, lookback,
                   (x->>'from')::timestamptz, (x->>'to')::timestamptz);
    END IF;
    PERFORM mixmodel._event_scores_partition(name, 'analyze');
    PERFORM mixmodel._attribution_summarize(name, k, models, (o->>'analytics')::boolean);
    UPDATE mixmodel.attribution_runs r SET algorithmic = alg, elapsed_ms = 1000 * extract(epoch FROM clock_timestamp() - t0)
     WHERE r.attribution = name AND r.run = k;
    UPDATE mixmodel.attributions x0 SET current_run = k, updated_at = now() WHERE x0.name = attribute.name;
    DROP VIEW IF EXISTS pg_temp.mm_attr_touch;
    DROP TABLE IF EXISTS pg_temp.mm_attr_ev, pg_temp.mm_attr_end, pg_temp.mm_attr_pt0,
        pg_temp.mm_attr_pt, pg_temp.mm_attr_paths, pg_temp.mm_attr_re, pg_temp.mm_attr_tok, pg_temp.mm_attr_jr,
        pg_temp.mm_attr_theta, pg_temp.mm_attr_sets, pg_temp.mm_attr_shares;

    RETURN QUERY
    SELECT s.model, s.channel, s.conversions, s.revenue, s.conversions / (x->>'conversions')::float8
      FROM mixmodel.attribution_channels s
     WHERE s.attribution = name AND s.run = k
     ORDER BY array_position(models, s.model), s.conversions DESC, s.channel;
END $$;
COMMENT ON FUNCTION mixmodel.attribute(text, timestamptz, timestamptz) IS 'Runs an event-level attribution over its event table (conversions from from_time to to_time; default all): builds every conversion''s path within the lookback and the non-converting journeys, scores each touch with every configured model into mixmodel.event_scores (replacing the previous run''s rows) and returns conversions and revenue per model and channel. One transaction; reruns of the same data give the same scores.';
