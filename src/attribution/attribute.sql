-- attribution: mixmodel.attribute, an event-level attribution run (doc/attribution.md)
--
-- A run works on temporary tables of the session (pg_temp.mm_attr_*), each made by one
-- CREATE TEMP TABLE ... AS, which PostgreSQL may run with parallel workers:
--   mm_attr_ev     the event rows that are touches or conversions, with person and time
--   mm_attr_touch  the touches, with the key the path models count
--   mm_attr_end    the ends of journeys: conversions (is_conv) and non-converting journeys
--   mm_attr_pt     journey end x touch in its window (after the transforms): position,
--                  path length, lag and what each model needs
--   mm_attr_paths  the path table (ChannelAttribution's shape), sorted by path
-- Every sum that ends in a score is taken in a fixed order (windows ordered by position)
-- or in numeric, so a rerun gives the same scores to the last bit, however many
-- workers read the data.

-- Journeys: events, touches, journey ends and their windows, the path table.
CREATE FUNCTION mixmodel._attribution_extract(c jsonb, o jsonb, lookback interval, from_time timestamptz,
        to_time timestamptz)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    is_session boolean := lookback IS NULL;
    lo timestamptz;
    hi timestamptz;
    f timestamptz := from_time;
    t timestamptz := to_time;
    n_ev bigint;
    n_noperson bigint;
    n_notime bigint;
    n_badrev bigint;
    n_conv bigint;
    n_persons bigint;
    key_sql text := 'tp';
    d text;
    spec text;
    cur text := 'mm_attr_pt0';
    nxt text;
    step int := 0;
    x_channel text;
    x_number int;
    part text;
BEGIN
    DROP TABLE IF EXISTS pg_temp.mm_attr_ev, pg_temp.mm_attr_touch, pg_temp.mm_attr_end, pg_temp.mm_attr_pt0,
        pg_temp.mm_attr_pt, pg_temp.mm_attr_paths;
    -- touches count up to the lookback before the first conversion (a day for sessions)
    lo := CASE WHEN f IS NULL THEN '-infinity' ELSE f - coalesce(lookback, interval '1 day') END;
    hi := coalesce(t, 'infinity');
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_ev AS
        SELECT %1$s AS person, %2$s AS ts, %3$s AS tp, coalesce(%4$s, false) AS is_conv, %5$s AS revenue,
               %6$s AS event, %7$s AS campaign, %8$s AS journey, %9$s AS message, %10$s AS sess
          FROM %11$s s
         WHERE (%3$s IS NOT NULL OR coalesce(%4$s, false)) AND (%2$s IS NULL OR %2$s BETWEEN %12$L AND %13$L)$q$,
        c->>'person', c->>'time', c->>'touch', c->>'conversion', c->>'revenue', c->>'event',
        c->'dimensions'->>'campaign', c->'dimensions'->>'journey', c->'dimensions'->>'message',
        coalesce(c->>'session', 'CAST(NULL AS pg_catalog.text)'), c->>'relation', lo, hi);
    SELECT count(*), count(*) FILTER (WHERE e.person IS NULL), count(*) FILTER (WHERE e.ts IS NULL),
           count(*) FILTER (WHERE e.is_conv AND e.revenue IS NOT NULL AND NOT (e.revenue BETWEEN -1e300 AND 1e300))
      INTO n_ev, n_noperson, n_notime, n_badrev FROM mm_attr_ev e;
    IF n_noperson > 0 OR n_notime > 0 THEN
        RAISE EXCEPTION '% without a %', CASE WHEN greatest(n_noperson, n_notime) = 1 THEN 'a touch or conversion row is'
                                              ELSE greatest(n_noperson, n_notime) || ' touch or conversion rows are' END,
            CASE WHEN n_noperson > 0 THEN 'person' ELSE 'time' END USING ERRCODE = '22004',
            HINT = 'Every touch and conversion needs a person and a time; filter such rows out first (a view will do).';
    END IF;
    IF n_badrev > 0 THEN
        RAISE EXCEPTION 'revenue of % is not finite', CASE WHEN n_badrev = 1 THEN 'a conversion' ELSE n_badrev || ' conversions' END
            USING ERRCODE = '22023';
    END IF;
    IF f IS NULL OR t IS NULL THEN
        SELECT coalesce(f, min(e.ts)), coalesce(t, max(e.ts)) INTO f, t FROM mm_attr_ev e WHERE e.is_conv;
    END IF;
    SELECT count(*) INTO n_conv FROM mm_attr_ev e WHERE e.is_conv AND e.ts BETWEEN f AND t;
    IF n_conv = 0 THEN
        RAISE EXCEPTION 'no conversions in the range' USING ERRCODE = '22000',
            DETAIL = CASE WHEN f IS NULL THEN 'No row of the event table meets the conversion''s rule.'
                          ELSE format('Range %s to %s.', f, t) END,
            HINT = 'Check the conversion''s rule and the range.';
    END IF;

    -- sessions: the given column, or a new session after an inactivity gap
    IF is_session AND c->>'session' IS NULL THEN
        ALTER TABLE mm_attr_ev RENAME TO mm_attr_ev0;
        EXECUTE format($q$CREATE TEMP TABLE mm_attr_ev AS
            SELECT person, ts, tp, is_conv, revenue, event, campaign, journey, message,
                   CAST(sum(CASE WHEN prev IS NULL OR ts - prev > %L THEN 1 ELSE 0 END)
                        OVER (PARTITION BY person ORDER BY ts ROWS UNBOUNDED PRECEDING) AS pg_catalog.text) AS sess
              FROM (SELECT e.*, lag(e.ts) OVER (PARTITION BY e.person ORDER BY e.ts) AS prev FROM mm_attr_ev0 e) x$q$,
            o->>'session_gap');
        DROP TABLE mm_attr_ev0;
    END IF;

    -- touch keys: the touchpoint, and the supplemental ids option "key" names
    FOR d IN SELECT jsonb_array_elements_text(o->'key') LOOP
        key_sql := key_sql || format(' || ''/'' || coalesce(%I, '''')', d);
    END LOOP;
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_touch AS
        SELECT person, ts, tp, pg_catalog.replace(%s, ' > ', ' >> ') AS key, event, campaign, journey, message, sess
          FROM mm_attr_ev WHERE tp IS NOT NULL AND ts <= %L$q$, key_sql, t);

    -- journey ends: the conversions in the range, numbered in order of person, time, event
    CREATE TEMP TABLE mm_attr_end AS
    SELECT row_number() OVER (ORDER BY e.person, e.ts, e.event, e.revenue) AS end_id, true AS is_conv,
           e.person, e.ts, e.ts - lookback AS lo, e.sess, e.revenue, e.event
      FROM mm_attr_ev e WHERE e.is_conv AND e.ts BETWEEN f AND t;
    -- and the non-converting journeys: a person's touches after the last conversion (lookback),
    -- or a session's touches without a conversion (session)
    IF is_session THEN
        INSERT INTO mm_attr_end
        SELECT n_conv + row_number() OVER (ORDER BY x.person, x.sess), false, x.person, x.last_ts, NULL, x.sess, NULL, NULL
          FROM (SELECT tc.person, tc.sess, max(tc.ts) AS last_ts FROM mm_attr_touch tc GROUP BY tc.person, tc.sess) x
         WHERE x.last_ts BETWEEN f AND t
           AND NOT EXISTS (SELECT 1 FROM mm_attr_end e WHERE e.person = x.person AND e.sess = x.sess);
    ELSE
        INSERT INTO mm_attr_end
        SELECT n_conv + row_number() OVER (ORDER BY x.person), false, x.person, x.last_ts,
               greatest(x.last_ts - lookback, cv.last_conv + interval '1 microsecond'), NULL, NULL, NULL
          FROM (SELECT tc.person, max(tc.ts) AS last_ts FROM mm_attr_touch tc GROUP BY tc.person) x
          LEFT JOIN (SELECT e.person, max(e.ts) AS last_conv FROM mm_attr_end e GROUP BY e.person) cv ON cv.person = x.person
         WHERE x.last_ts BETWEEN f AND t AND (cv.last_conv IS NULL OR x.last_ts > cv.last_conv);
    END IF;
    ANALYZE mm_attr_end;
    ANALYZE mm_attr_touch;

    -- every end's window, touches in time order
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_pt0 AS
        SELECT e.end_id, tc.ts, tc.tp, tc.key, tc.key AS pathkey, tc.event, tc.campaign, tc.journey, tc.message,
               row_number() OVER (PARTITION BY e.end_id ORDER BY tc.ts, tc.key, tc.event, tc.campaign, tc.journey, tc.message) AS pos
          FROM mm_attr_end e JOIN mm_attr_touch tc ON tc.person = e.person AND tc.ts <= e.ts %s$q$,
        CASE WHEN is_session THEN 'AND tc.sess = e.sess' ELSE 'AND tc.ts >= e.lo' END);

    -- path transforms (formulas §6.5), left to right, on the path keys
    FOR spec IN SELECT jsonb_array_elements_text(coalesce(o->'transforms', '[]')) LOOP
        step := step + 1;
        nxt := 'mm_attr_pt' || step;
        x_channel := substring(spec FROM '^[a-z_]+\((.*)\)$');
        x_number := CASE WHEN spec LIKE 'trim_long_path(%' THEN x_channel::int END;
        part := CASE split_part(spec, '(', 1)
            WHEN 'unique' THEN 'SELECT * FROM %1$I x'
            WHEN 'exposure' THEN 'SELECT * FROM (SELECT x.*, lag(x.pathkey) OVER (PARTITION BY x.end_id ORDER BY x.pos) AS prev FROM %1$I x) y WHERE prev IS DISTINCT FROM pathkey'
            WHEN 'first' THEN 'SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY x.end_id, x.pathkey ORDER BY x.pos) AS occ FROM %1$I x) y WHERE occ = 1'
            WHEN 'frequency' THEN 'SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY x.end_id, x.pathkey ORDER BY x.pos) AS occ, count(*) OVER (PARTITION BY x.end_id, x.pathkey) AS freq FROM %1$I x) y WHERE occ = 1'
            WHEN 'remove_if_not_all' THEN 'SELECT * FROM (SELECT x.*, bool_and(x.pathkey = %2$L) OVER (PARTITION BY x.end_id) AS allx FROM %1$I x) y WHERE allx OR pathkey <> %2$L'
            WHEN 'remove_if_last_and_not_all' THEN 'SELECT * FROM (SELECT x.*, bool_and(x.pathkey = %2$L) OVER (PARTITION BY x.end_id) AS allx, max(CASE WHEN x.pathkey <> %2$L THEN x.pos END) OVER (PARTITION BY x.end_id) AS last_other FROM %1$I x) y WHERE allx OR pos <= last_other'
            WHEN 'trim_long_path' THEN 'SELECT * FROM (SELECT x.*, count(*) OVER (PARTITION BY x.end_id) AS len FROM %1$I x) y WHERE pos > len - %3$s'
            END;
        EXECUTE format($q$CREATE TEMP TABLE %I AS
            SELECT end_id, ts, tp, key, %s AS pathkey, event, campaign, journey, message,
                   row_number() OVER (PARTITION BY end_id ORDER BY pos) AS pos
              FROM (%s) z$q$,
            nxt, CASE WHEN spec = 'frequency' THEN $k$pathkey || '(' || freq || ')'$k$ ELSE 'pathkey' END,
            format(part, cur, x_channel, x_number));
        EXECUTE format('DROP TABLE %I', cur);
        cur := nxt;
    END LOOP;
    IF cur <> 'mm_attr_pt0' THEN
        EXECUTE format('ALTER TABLE %I RENAME TO mm_attr_pt0', cur);
    END IF;

    -- the path table: one row per distinct path, sorted, so the Markov model reads it in one order
    CREATE TEMP TABLE mm_attr_paths AS
    SELECT x.path, max(x.channels) AS channels,
           CAST(count(*) FILTER (WHERE e.is_conv) AS float8) AS conversions,
           CAST(coalesce(sum(CAST(e.revenue AS numeric)) FILTER (WHERE e.is_conv), 0) AS float8) AS revenue,
           CAST(count(*) FILTER (WHERE NOT e.is_conv) AS float8) AS non_conversions
      FROM (SELECT p.end_id, string_agg(p.pathkey, ' > ' ORDER BY p.pos) AS path,
                   CAST(count(DISTINCT p.pathkey) AS int) AS channels
              FROM mm_attr_pt0 p GROUP BY p.end_id) x
      JOIN mm_attr_end e USING (end_id)
     GROUP BY x.path ORDER BY x.path;

    SELECT count(DISTINCT e.person) INTO n_persons FROM mm_attr_ev e;
    RETURN jsonb_build_object('from', f, 'to', t, 'events', n_ev, 'persons', n_persons,
        'touches', (SELECT count(*) FROM mm_attr_touch tc WHERE tc.ts >= f - coalesce(lookback, interval '0')),
        'conversions', n_conv,
        'non_converting', (SELECT count(*) FROM mm_attr_end e WHERE NOT e.is_conv),
        'revenue', (SELECT CAST(sum(CAST(e.revenue AS numeric)) AS float8) FROM mm_attr_end e WHERE e.is_conv));
END $$;
COMMENT ON FUNCTION mixmodel._attribution_extract(jsonb, jsonb, interval, timestamptz, timestamptz) IS 'Internal: first step of attribute: reads the touches and conversions of the event table into temporary tables, numbers the journeys (conversions and non-converting journeys), joins each to the touches of its window and applies the path transforms.';

-- The per-touch columns every model needs, for the models of the run.
CREATE FUNCTION mixmodel._attribution_windows(models text[], o jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    w constant text := '(PARTITION BY p.end_id ORDER BY p.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)';
    by_day boolean := o->>'decay_unit' = 'day';
    h float8 := extract(epoch FROM (o->>'half_life')::interval) / (CASE WHEN o->>'decay_unit' = 'day' THEN 86400 ELSE 1 END);
BEGIN
    DROP TABLE IF EXISTS pg_temp.mm_attr_pt;
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_pt AS
        SELECT q.*, %1$s AS decay, %2$s AS decay_sum, %3$s AS n_distinct
          FROM (SELECT p.*, e.is_conv, count(*) OVER %4$s AS n,
                       extract(epoch FROM e.ts - p.ts) / 86400 AS lag_days,
                       %5$s AS lag_u, last_value(%5$s) OVER %4$s AS last_lag,
                       %6$s AS key_count, %7$s AS key_rank,
                       %8$s AS same, %9$s AS same_count
                  FROM mm_attr_pt0 p JOIN mm_attr_end e USING (end_id)) q$q$,
        CASE WHEN 'time_decay' = ANY (models) THEN format('power(2.0::float8, -(q.lag_u - q.last_lag) / %s)', h) ELSE 'NULL::float8' END,
        CASE WHEN 'time_decay' = ANY (models)
             THEN format('sum(power(2.0::float8, -(q.lag_u - q.last_lag) / %s)) OVER (PARTITION BY q.end_id ORDER BY q.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)', h)
             ELSE 'NULL::float8' END,
        CASE WHEN 'shapley' = ANY (models) THEN 'max(q.key_rank) OVER (PARTITION BY q.end_id)' ELSE 'NULL::bigint' END,
        w,
        CASE WHEN by_day THEN 'CAST(CAST(e.ts AS date) - CAST(p.ts AS date) AS float8)'
             ELSE 'extract(epoch FROM e.ts - p.ts)' END,
        CASE WHEN models && ARRAY['participation', 'shapley'] THEN 'count(*) OVER (PARTITION BY p.end_id, p.pathkey)' ELSE 'NULL::bigint' END,
        CASE WHEN 'shapley' = ANY (models) THEN 'dense_rank() OVER (PARTITION BY p.end_id ORDER BY p.pathkey)' ELSE 'NULL::bigint' END,
        CASE WHEN o ? 'event_column' THEN 'p.event IS NOT DISTINCT FROM e.event AND p.ts = e.ts' ELSE 'p.ts = e.ts' END,
        CASE WHEN 'same_touch' = ANY (models)
             THEN format('count(*) FILTER (WHERE %s) OVER (PARTITION BY p.end_id)',
                         CASE WHEN o ? 'event_column' THEN 'p.event IS NOT DISTINCT FROM e.event AND p.ts = e.ts' ELSE 'p.ts = e.ts' END)
             ELSE 'NULL::bigint' END);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_windows(text[], jsonb) IS 'Internal: second step of attribute: per journey end and touch, the path length, lag, time-decay weights and the counts the participation, Shapley and same-touch models need.';

-- Scores of the rule-based, Markov and Shapley models and the conversions without a touch.
CREATE FUNCTION mixmodel._attribution_score_rules(name text, run integer, models text[], o jsonb, has_revenue boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    cw jsonb := coalesce(o->'custom', '{}');
    cf float8 := coalesce((cw->>'first')::float8, 0);
    cm float8 := coalesce((cw->>'middle')::float8, 0);
    cl float8 := coalesce((cw->>'last')::float8, 0);
    vals text[] := '{}';
    m text;
    -- pos(n; f, m, l) of formulas §6.2, f m l as float8 literals
    pos_rule constant text := 'CASE WHEN p.n = 1 THEN 1.0::float8 WHEN p.n = 2 THEN (CASE WHEN %1$L::float8 + %3$L::float8 > 0 '
                              'THEN (CASE WHEN p.pos = 1 THEN %1$L::float8 ELSE %3$L::float8 END) / (%1$L::float8 + %3$L::float8) ELSE 0.5 END) '
                              'ELSE (CASE WHEN p.pos = 1 THEN %1$L::float8 WHEN p.pos = p.n THEN %3$L::float8 ELSE %2$L::float8 / (p.n - 2) END) '
                              '/ (%1$L::float8 + %2$L::float8 + %3$L::float8) END';
    rule_models text[];
BEGIN
    FOREACH m IN ARRAY models LOOP
        CONTINUE WHEN m NOT IN ('first_touch', 'last_touch', 'same_touch', 'linear', 'participation', 'u_shaped',
                                'j_curve', 'inverse_j', 'custom', 'time_decay', 'shapley')
                      OR m = 'shapley' AND o->>'shapley' <> 'simplified';
        vals := vals || format('(%L, %s)', m, CASE m
            WHEN 'first_touch' THEN 'CASE WHEN p.pos = 1 THEN 1.0::float8 ELSE 0 END'
            WHEN 'last_touch' THEN 'CASE WHEN p.pos = p.n THEN 1.0::float8 ELSE 0 END'
            WHEN 'same_touch' THEN 'CASE WHEN p.same THEN 1.0::float8 / p.same_count ELSE 0 END'
            WHEN 'linear' THEN '1.0::float8 / p.n'
            WHEN 'participation' THEN '1.0::float8 / p.key_count'
            WHEN 'u_shaped' THEN format(pos_rule, 40, 20, 40)
            WHEN 'j_curve' THEN format(pos_rule, 20, 20, 60)
            WHEN 'inverse_j' THEN format(pos_rule, 60, 20, 20)
            WHEN 'custom' THEN format(pos_rule, cf, cm, cl)
            WHEN 'time_decay' THEN 'p.decay / p.decay_sum'
            WHEN 'shapley' THEN '1.0::float8 / (p.n_distinct * p.key_count)'
            END);
        rule_models := rule_models || m;
    END LOOP;
    IF cardinality(vals) > 0 THEN
        EXECUTE format($q$INSERT INTO mixmodel.event_scores
            SELECT %1$L, %2$s, w.model, p.end_id, e.event, e.ts, CAST(e.person AS text), p.event, p.ts, p.tp, p.key,
                   p.campaign, p.journey, p.message,
                   CASE WHEN p.pos = p.n THEN 'closer' WHEN p.pos = 1 THEN 'starter' ELSE 'player' END,
                   p.pos, p.n, p.lag_days, w.credit, w.credit * e.revenue
              FROM mm_attr_pt p JOIN mm_attr_end e USING (end_id)
             CROSS JOIN LATERAL (VALUES %3$s) AS w(model, credit)
             WHERE p.is_conv AND w.credit > 0$q$, name, run, array_to_string(vals, ', '));
    END IF;
    -- conversions without a touch in their window go to "none" (same touch: without their own touch)
    INSERT INTO mixmodel.event_scores
    SELECT name, run, m.model, e.end_id, e.event, e.ts, CAST(e.person AS text), NULL, NULL, 'none', NULL, NULL, NULL, NULL,
           'none', NULL, 0, NULL, 1.0, e.revenue
      FROM mm_attr_end e
     CROSS JOIN unnest(models) AS m(model)
     WHERE e.is_conv AND m.model <> 'algorithmic_incremental'
       AND (NOT EXISTS (SELECT 1 FROM mm_attr_pt p WHERE p.end_id = e.end_id)
            OR m.model = 'same_touch' AND NOT EXISTS (SELECT 1 FROM mm_attr_pt p WHERE p.end_id = e.end_id AND p.same));
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_rules(text, integer, text[], jsonb, boolean) IS 'Internal: event scores of the rule-based models (formulas §6.2) and of the simplified Shapley value (formulas §6.4, ordered variant), and the none rows of conversions without a touch.';

-- Shapley scores with the conversion-rate value function: shares per distinct channel set.
CREATE FUNCTION mixmodel._attribution_score_shapley(name text, run integer)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.mm_attr_sets, pg_temp.mm_attr_shares, pg_temp.mm_attr_setrates;
    -- each journey's set of distinct channels, and the conversions and non-conversions per set
    CREATE TEMP TABLE mm_attr_sets AS
    SELECT x.end_id, x.chset FROM (SELECT p.end_id, string_agg(DISTINCT p.pathkey, ' > ' ORDER BY p.pathkey) AS chset
                                    FROM mm_attr_pt p GROUP BY p.end_id) x;
    CREATE TEMP TABLE mm_attr_setrates AS
    SELECT s.chset, CAST(count(*) FILTER (WHERE e.is_conv) AS float8) AS conversions,
           CAST(count(*) FILTER (WHERE NOT e.is_conv) AS float8) AS non_conversions
      FROM mm_attr_sets s JOIN mm_attr_end e USING (end_id) GROUP BY s.chset ORDER BY s.chset;
    CREATE TEMP TABLE mm_attr_shares AS
    SELECT r.path AS chset, r.channel AS pathkey, r.share
      FROM mixmodel._shapley_shares('pg_temp.mm_attr_setrates', 'chset', 'conversions', 'non_conversions') r;
    INSERT INTO mixmodel.event_scores
    SELECT name, run, 'shapley', p.end_id, e.event, e.ts, CAST(e.person AS text), p.event, p.ts, p.tp, p.key,
           p.campaign, p.journey, p.message,
           CASE WHEN p.pos = p.n THEN 'closer' WHEN p.pos = 1 THEN 'starter' ELSE 'player' END,
           p.pos, p.n, p.lag_days, sh.share / p.key_count, sh.share / p.key_count * e.revenue
      FROM mm_attr_pt p JOIN mm_attr_end e USING (end_id)
      JOIN mm_attr_sets s USING (end_id)
      JOIN mm_attr_shares sh ON sh.chset = s.chset AND sh.pathkey = p.pathkey
     WHERE p.is_conv AND sh.share > 0;
    DROP TABLE mm_attr_setrates;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_shapley(text, integer) IS 'Internal: event scores of the Shapley model with the conversion-rate value function: Harsanyi dividends of the conversion rate of each exact channel set (_shapley_shares), each channel''s share spread evenly over its touches.';

-- Scores of the Markov model: each conversion split over its touches by their removal effects.
CREATE FUNCTION mixmodel._attribution_score_markov(name text, run integer, o jsonb, has_revenue boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.mm_attr_re;
    CREATE TEMP TABLE mm_attr_re (key text PRIMARY KEY, removal_effect float8, removal_effect_value float8);
    IF EXISTS (SELECT 1 FROM mm_attr_paths x WHERE x.conversions > 0) THEN
        INSERT INTO mm_attr_re
        SELECT r.channel, r.removal_effect, r.removal_effect_value
          FROM mixmodel.markov_attribution('pg_temp.mm_attr_paths', 'path', 'conversions',
                   CASE WHEN has_revenue THEN 'revenue' END, 'non_conversions',
                   (o->>'markov_order')::int, (o->>'markov_null')::boolean) r;
    END IF;
    INSERT INTO mixmodel.event_scores
    SELECT name, run, 'markov', q.end_id, e.event, e.ts, CAST(e.person AS text), q.event, q.ts, q.tp, q.key,
           q.campaign, q.journey, q.message,
           CASE WHEN q.pos = q.n THEN 'closer' WHEN q.pos = 1 THEN 'starter' ELSE 'player' END,
           q.pos, q.n, q.lag_days, q.credit, q.credit * e.revenue
      FROM (SELECT p.*, CASE WHEN sum(coalesce(r.removal_effect, 0)) OVER w > 0
                             THEN coalesce(r.removal_effect, 0) / sum(coalesce(r.removal_effect, 0)) OVER w
                             ELSE 1.0::float8 / p.n END AS credit
              FROM mm_attr_pt p LEFT JOIN mm_attr_re r ON r.key = p.pathkey
             WHERE p.is_conv
            WINDOW w AS (PARTITION BY p.end_id ORDER BY p.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) q
      JOIN mm_attr_end e USING (end_id)
     WHERE q.credit > 0;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_markov(text, integer, jsonb, boolean) IS 'Internal: event scores of the Markov model: exact removal effects over the run''s path table (markov_attribution), each conversion split over its touches in proportion to their channels'' removal effects (evenly when they are all 0).';

-- The algorithmic model: fit over every person's days, then influenced and incremental scores.
CREATE FUNCTION mixmodel._attribution_score_algorithmic(name text, run integer, models text[], o jsonb,
        lookback interval, from_time timestamptz, to_time timestamptz)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    day0 date := CAST(from_time AS date);
    ndays int := CAST(to_time AS date) - CAST(from_time AS date) + 1;
    reach int := CASE WHEN lookback IS NULL THEN 1 ELSE ceil(extract(epoch FROM lookback) / 86400)::int + 1 END;
    edges float8[];
    ntok int;
    persons float8;
    conv_days float8;
    r jsonb;
    b0 float8;
BEGIN
    edges := ARRAY[0::float8] || array(SELECT x::float8 FROM jsonb_array_elements_text(o->'lag_buckets') x
                                        WHERE x::int < reach ORDER BY x::int) || ARRAY[reach::float8];
    DROP TABLE IF EXISTS pg_temp.mm_attr_tok, pg_temp.mm_attr_jr, pg_temp.mm_attr_theta;
    CREATE TEMP TABLE mm_attr_tok AS
    SELECT x.key, CAST(row_number() OVER (ORDER BY x.key) - 1 AS int) AS tok FROM (SELECT DISTINCT tc.key FROM mm_attr_touch tc) x;
    SELECT count(*) INTO ntok FROM mm_attr_tok;
    -- one row per person, in person order: touch days and channels, converting days
    CREATE TEMP TABLE mm_attr_jr AS
    SELECT coalesce(tc.person, cv.person) AS person, coalesce(tc.tday, '{}') AS tday, coalesce(tc.ttok, '{}') AS ttok,
           coalesce(cv.cday, '{}') AS cday
      FROM (SELECT x.person, array_agg(CAST(CAST(x.ts AS date) - day0 AS int) ORDER BY CAST(x.ts AS date), k.tok) AS tday,
                   array_agg(k.tok ORDER BY CAST(x.ts AS date), k.tok) AS ttok
              FROM mm_attr_touch x JOIN mm_attr_tok k USING (key)
             WHERE CAST(x.ts AS date) > day0 - reach
             GROUP BY x.person) tc
      FULL JOIN (SELECT e.person, array_agg(DISTINCT CAST(CAST(e.ts AS date) - day0 AS int) ORDER BY CAST(CAST(e.ts AS date) - day0 AS int)) AS cday
                   FROM mm_attr_end e WHERE e.is_conv GROUP BY e.person) cv ON cv.person = tc.person
     ORDER BY 1;
    SELECT greatest(count(*), coalesce((o->>'population')::float8, 0)), coalesce(sum(cardinality(j.cday)), 0)
      INTO persons, conv_days FROM mm_attr_jr j;
    r := mixmodel._attribution_survival('pg_temp.mm_attr_jr', ntok, edges, ndays, persons, conv_days, (o->>'ridge')::float8);
    b0 := (r->>'beta0')::float8;
    CREATE TEMP TABLE mm_attr_theta AS
    SELECT k.key, b.i - 1 AS bucket, CAST(edges[b.i] AS int) AS lag_from, CAST(edges[b.i + 1] AS int) AS lag_to,
           CAST(r->'theta'->k.tok->>(b.i - 1) AS float8) AS theta
      FROM mm_attr_tok k, generate_series(1, cardinality(edges) - 1) AS b(i);

    -- scores: theta of each touch at its lag in days; p = logistic(beta0 + sum theta), p0 = logistic(beta0)
    INSERT INTO mixmodel.event_scores
    SELECT name, run, m.model, q.end_id, e.event, e.ts, CAST(e.person AS text), q.event, q.ts, q.tp, q.key,
           q.campaign, q.journey, q.message,
           CASE WHEN q.pos = q.n THEN 'closer' WHEN q.pos = 1 THEN 'starter' ELSE 'player' END,
           q.pos, q.n, q.lag_days, c.credit, c.credit * e.revenue
      FROM (SELECT p.*, coalesce(th.theta, 0) AS theta,
                   sum(coalesce(th.theta, 0)) OVER (PARTITION BY p.end_id ORDER BY p.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s
              FROM mm_attr_pt p
              JOIN mm_attr_end e0 USING (end_id)
              LEFT JOIN mm_attr_theta th ON th.key = p.key
                   AND CAST(e0.ts AS date) - CAST(p.ts AS date) >= th.lag_from AND CAST(e0.ts AS date) - CAST(p.ts AS date) < th.lag_to
             WHERE p.is_conv) q
      JOIN mm_attr_end e USING (end_id)
     CROSS JOIN unnest(models) AS m(model)
     CROSS JOIN LATERAL (SELECT CASE WHEN q.s > 0 THEN q.theta / q.s ELSE 1.0::float8 / q.n END AS influenced,
                                1.0 - mixmodel._logistic(b0) / mixmodel._logistic(b0 + q.s) AS incremental) x
     CROSS JOIN LATERAL (SELECT CASE m.model WHEN 'algorithmic_influenced' THEN x.influenced
                                ELSE x.influenced * x.incremental END AS credit) c
     WHERE m.model IN ('algorithmic_influenced', 'algorithmic_incremental') AND c.credit > 0;
    -- the baseline's share of each conversion (all of it without a touch)
    IF 'algorithmic_incremental' = ANY (models) THEN
        INSERT INTO mixmodel.event_scores
        SELECT name, run, 'algorithmic_incremental', e.end_id, e.event, e.ts, CAST(e.person AS text), NULL, NULL, 'baseline',
               NULL, NULL, NULL, NULL, 'none', NULL, coalesce(q.n, 0), NULL, q.base, q.base * e.revenue
          FROM mm_attr_end e
          LEFT JOIN (SELECT p.end_id, max(p.n) AS n,
                            mixmodel._logistic(b0) / mixmodel._logistic(b0 + sum(coalesce(th.theta, 0) ORDER BY p.pos)) AS base
                       FROM mm_attr_pt p JOIN mm_attr_end e0 USING (end_id)
                       LEFT JOIN mm_attr_theta th ON th.key = p.key
                            AND CAST(e0.ts AS date) - CAST(p.ts AS date) >= th.lag_from AND CAST(e0.ts AS date) - CAST(p.ts AS date) < th.lag_to
                      WHERE p.is_conv GROUP BY p.end_id) q0 ON q0.end_id = e.end_id
         CROSS JOIN LATERAL (SELECT q0.n, coalesce(q0.base, 1.0) AS base) q
         WHERE e.is_conv AND q.base > 0;
    END IF;
    RETURN r || jsonb_build_object('edges', to_jsonb(edges), 'channels', (SELECT jsonb_agg(k.key ORDER BY k.tok) FROM mm_attr_tok k),
                                   'persons', persons, 'days', ndays);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_algorithmic(text, integer, text[], jsonb, interval, timestamptz, timestamptz) IS 'Internal: fits the algorithmic (survival) model on every person''s days (_attribution_survival) and writes its influenced and incremental scores, with the baseline''s share of each conversion.';

CREATE FUNCTION mixmodel._logistic(x float8)
    RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN x >= 0 THEN 1.0 / (1.0 + exp(-least(x, 700.0))) ELSE exp(greatest(x, -700.0)) / (1.0 + exp(greatest(x, -700.0))) END;
COMMENT ON FUNCTION mixmodel._logistic(float8) IS 'Internal: the logistic function 1 / (1 + e^-x), without overflow.';
