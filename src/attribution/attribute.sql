-- attribution: mixmodel.attribute, an event-level attribution run (doc/attribution.md)
--
-- A run works on temporary tables of the session (pg_temp.mm_attr_*), each made by one
-- CREATE TEMP TABLE ... AS, which PostgreSQL may run with parallel workers:
--   mm_attr_touch  a view: the touches of the event table, with the key the path models count
--                  (over mm_attr_ev, the events with their sessions, when sessions come from
--                  inactivity gaps)
--   mm_attr_end    the ends of journeys: conversions (is_conv) and non-converting journeys
--   mm_attr_pt0    journey end x touch in its window, after the transforms
--   mm_attr_pt     the same with path length, lag and what each model needs
--   mm_attr_paths  the path table (ChannelAttribution's shape), sorted by path
-- Every sum that ends in a score is taken in a fixed order (windows ordered by position)
-- or in numeric, so a rerun gives the same scores to the last bit, however many
-- workers read the data.  The event table is read in place (a view), so the scans and the
-- window join can use parallel workers; temporary tables cannot be read by workers.

-- Every journey end joined to the touches of its window (a conversion without one: one row, NULL touch).
CREATE FUNCTION mixmodel._attribution_join_sql(session boolean)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN 'SELECT e.end_id, e.is_conv, e.ts AS end_ts, e.event AS end_event, e.person AS end_person, e.revenue AS end_revenue, '
           'tc.ts, tc.tp, tc.key, tc.key AS pathkey, tc.event, tc.campaign, tc.journey, tc.message '
           'FROM mm_attr_end e LEFT JOIN mm_attr_touch tc ON tc.person = e.person AND tc.ts <= e.ts AND '
           || CASE WHEN session THEN 'tc.sess = e.sess' ELSE 'tc.ts >= e.lo' END;
COMMENT ON FUNCTION mixmodel._attribution_join_sql(boolean) IS 'Internal: the SQL joining each journey end (pg_temp.mm_attr_end) to the touches of its window (pg_temp.mm_attr_touch): lookback or session.';

-- Journeys: touches, journey ends and their windows.
CREATE FUNCTION mixmodel._attribution_extract(c jsonb, o jsonb, lookback interval, from_time timestamptz,
        to_time timestamptz, non_converting boolean DEFAULT true)
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
    stats record;
    n_conv bigint;
    key_sql text := 'tp';
    d text;
    spec text;
    cur text := 'mm_attr_pt0';
    nxt text;
    step int := 0;
    x_channel text;
    x_number int;
    part text;
    rows_sql text;
BEGIN
    IF c IS NULL OR o IS NULL OR NOT c ?& ARRAY['person', 'time', 'touch', 'conversion', 'revenue', 'event', 'relation', 'dimensions']
       OR NOT o ?& ARRAY['key', 'session_gap'] THEN
        RAISE EXCEPTION 'not a compiled attribution' USING ERRCODE = '22023',
            HINT = 'mixmodel.attribute calls this with _attribution_compile''s output.';
    END IF;
    DROP VIEW IF EXISTS pg_temp.mm_attr_touch;
    DROP TABLE IF EXISTS pg_temp.mm_attr_ev, pg_temp.mm_attr_end, pg_temp.mm_attr_pt0, pg_temp.mm_attr_pt;
    -- touches count up to the lookback before the first conversion (a day for sessions)
    lo := CASE WHEN f IS NULL THEN '-infinity' ELSE f - coalesce(lookback, interval '1 day') END;
    hi := coalesce(t, 'infinity');
    -- the event rows that are touches or conversions, read where they are (parallel scans)
    rows_sql := format($q$SELECT %1$s AS person, %2$s AS ts, %3$s AS tp, coalesce(%4$s, false) AS is_conv, %5$s AS revenue,
               %6$s AS event, %7$s AS campaign, %8$s AS journey, %9$s AS message, %10$s AS sess
          FROM %11$s s
         WHERE (%3$s IS NOT NULL OR coalesce(%4$s, false)) AND (%2$s IS NULL OR %2$s BETWEEN %12$L AND %13$L)$q$,
        c->>'person', c->>'time', c->>'touch', c->>'conversion', c->>'revenue', c->>'event',
        c->'dimensions'->>'campaign', c->'dimensions'->>'journey', c->'dimensions'->>'message',
        coalesce(c->>'session', 'CAST(NULL AS pg_catalog.text)'), c->>'relation', lo, hi);
    EXECUTE format($q$SELECT count(*) AS n, count(*) FILTER (WHERE person IS NULL) AS noperson,
               count(*) FILTER (WHERE ts IS NULL) AS notime,
               count(*) FILTER (WHERE is_conv AND revenue IS NOT NULL AND NOT (revenue BETWEEN -1e300 AND 1e300)) AS badrev,
               count(*) FILTER (WHERE tp IS NOT NULL) AS touches, min(ts) AS first, max(ts) AS last
          FROM (%s) e$q$, rows_sql) INTO stats;
    IF stats.noperson > 0 OR stats.notime > 0 THEN
        RAISE EXCEPTION '% without a %', CASE WHEN greatest(stats.noperson, stats.notime) = 1 THEN 'a touch or conversion row is'
                                              ELSE greatest(stats.noperson, stats.notime) || ' touch or conversion rows are' END,
            CASE WHEN stats.noperson > 0 THEN 'person' ELSE 'time' END USING ERRCODE = '22004',
            HINT = 'Every touch and conversion needs a person and a time; filter such rows out first (a view will do).';
    END IF;
    IF stats.badrev > 0 THEN
        RAISE EXCEPTION 'revenue of % is not finite', CASE WHEN stats.badrev = 1 THEN 'a conversion' ELSE stats.badrev || ' conversions' END
            USING ERRCODE = '22023';
    END IF;
    -- the default range: every event read
    f := coalesce(f, stats.first);
    t := coalesce(t, stats.last);

    -- sessions without a session column: a new session after an inactivity gap, over all the rows
    IF is_session AND c->>'session' IS NULL THEN
        EXECUTE format($q$CREATE TEMP TABLE mm_attr_ev AS
            SELECT person, ts, tp, is_conv, revenue, event, campaign, journey, message,
                   CAST(sum(CASE WHEN prev IS NULL OR ts - prev > %L THEN 1 ELSE 0 END)
                        OVER (PARTITION BY person ORDER BY ts ROWS UNBOUNDED PRECEDING) AS pg_catalog.text) AS sess
              FROM (SELECT e.*, lag(e.ts) OVER (PARTITION BY e.person ORDER BY e.ts) AS prev FROM (%s) e) x$q$,
            o->>'session_gap', rows_sql);
        rows_sql := 'SELECT * FROM mm_attr_ev';
    END IF;

    -- touch keys: the touchpoint, and the supplemental ids option "key" names
    FOR d IN SELECT jsonb_array_elements_text(o->'key') LOOP
        key_sql := key_sql || format(' || ''/'' || coalesce(%I, '''')', d);
    END LOOP;
    -- the touches stay a view over the event table, so the joins below scan it in parallel
    EXECUTE format($q$CREATE TEMP VIEW mm_attr_touch AS
        SELECT person, ts, tp, pg_catalog.replace(%s, ' > ', ' >> ') AS key, event, campaign, journey, message, sess
          FROM (%s) e WHERE tp IS NOT NULL AND ts <= %L$q$, key_sql, rows_sql, t);

    -- journey ends: the conversions in the range, numbered in order of person, time, event
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_end AS
        SELECT row_number() OVER (ORDER BY e.person, e.ts, e.event, e.revenue) AS end_id, true AS is_conv,
               e.person, e.ts, e.ts - %L::interval AS lo, e.sess, e.revenue, e.event
          FROM (%s) e WHERE e.is_conv AND e.ts BETWEEN %L AND %L$q$, lookback, rows_sql, f, t);
    GET DIAGNOSTICS n_conv = ROW_COUNT;
    IF n_conv = 0 THEN
        RAISE EXCEPTION 'no conversions in the range' USING ERRCODE = '22000',
            DETAIL = CASE WHEN f IS NULL THEN 'No row of the event table meets the conversion''s rule.'
                          ELSE format('Range %s to %s.', f, t) END,
            HINT = 'Check the conversion''s rule and the range.';
    END IF;
    -- and the non-converting journeys: a person's touches after the last conversion (lookback),
    -- or a session's touches without a conversion (session)
    IF non_converting AND is_session THEN
        INSERT INTO mm_attr_end
        SELECT n_conv + row_number() OVER (ORDER BY x.person, x.sess), false, x.person, x.last_ts, NULL, x.sess, NULL, NULL
          FROM (SELECT tc.person, tc.sess, max(tc.ts) AS last_ts FROM mm_attr_touch tc GROUP BY tc.person, tc.sess) x
         WHERE x.last_ts BETWEEN f AND t
           AND NOT EXISTS (SELECT 1 FROM mm_attr_end e WHERE e.person = x.person AND e.sess = x.sess);
    ELSIF non_converting THEN
        INSERT INTO mm_attr_end
        SELECT n_conv + row_number() OVER (ORDER BY x.person), false, x.person, x.last_ts,
               greatest(x.last_ts - lookback, cv.last_conv + interval '1 microsecond'), NULL, NULL, NULL
          FROM (SELECT tc.person, max(tc.ts) AS last_ts FROM mm_attr_touch tc GROUP BY tc.person) x
          LEFT JOIN (SELECT e.person, max(e.ts) AS last_conv FROM mm_attr_end e GROUP BY e.person) cv ON cv.person = x.person
         WHERE x.last_ts BETWEEN f AND t AND (cv.last_conv IS NULL OR x.last_ts > cv.last_conv);
    END IF;
    ANALYZE mm_attr_end;

    -- with transforms, every end's window first (touches in time order), transformed; without, the
    -- next step joins the ends to the touches itself.  A conversion without a touch keeps one row
    -- with NULL touch columns (it goes to "none").
    IF jsonb_array_length(coalesce(o->'transforms', '[]')) > 0 THEN
        EXECUTE format($q$CREATE TEMP TABLE mm_attr_pt0 AS
            SELECT b.*, row_number() OVER (PARTITION BY b.end_id ORDER BY b.ts, b.key, b.event, b.campaign, b.journey, b.message) AS pos
              FROM (%s) b$q$, mixmodel._attribution_join_sql(is_session));
        FOR spec IN SELECT jsonb_array_elements_text(o->'transforms') LOOP
            step := step + 1;
            nxt := 'mm_attr_pt' || step;
            x_channel := substring(spec FROM '^[a-z_]+\((.*)\)$');
            x_number := CASE WHEN spec LIKE 'trim_long_path(%' THEN x_channel::int END;
            part := CASE split_part(spec, '(', 1)
                WHEN 'unique' THEN 'SELECT * FROM %1$I x'
                WHEN 'exposure' THEN 'SELECT * FROM (SELECT x.*, lag(x.pathkey) OVER (PARTITION BY x.end_id ORDER BY x.pos) AS prev FROM %1$I x) y WHERE tp IS NULL OR prev IS DISTINCT FROM pathkey'
                WHEN 'first' THEN 'SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY x.end_id, x.pathkey ORDER BY x.pos) AS occ FROM %1$I x) y WHERE occ = 1'
                WHEN 'frequency' THEN 'SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY x.end_id, x.pathkey ORDER BY x.pos) AS occ, count(*) OVER (PARTITION BY x.end_id, x.pathkey) AS freq FROM %1$I x) y WHERE occ = 1'
                WHEN 'remove_if_not_all' THEN 'SELECT * FROM (SELECT x.*, bool_and(x.pathkey = %2$L) OVER (PARTITION BY x.end_id) AS allx FROM %1$I x) y WHERE tp IS NULL OR allx OR pathkey <> %2$L'
                WHEN 'remove_if_last_and_not_all' THEN 'SELECT * FROM (SELECT x.*, bool_and(x.pathkey = %2$L) OVER (PARTITION BY x.end_id) AS allx, max(CASE WHEN x.pathkey <> %2$L THEN x.pos END) OVER (PARTITION BY x.end_id) AS last_other FROM %1$I x) y WHERE tp IS NULL OR allx OR pos <= last_other'
                WHEN 'trim_long_path' THEN 'SELECT * FROM (SELECT x.*, count(*) OVER (PARTITION BY x.end_id) AS len FROM %1$I x) y WHERE pos > len - %3$s'
                END;
            EXECUTE format($q$CREATE TEMP TABLE %I AS
                SELECT end_id, is_conv, end_ts, end_event, end_person, end_revenue, ts, tp, key, %s AS pathkey,
                       event, campaign, journey, message, row_number() OVER (PARTITION BY end_id ORDER BY pos) AS pos
                  FROM (%s) z$q$,
                nxt, CASE WHEN spec = 'frequency' THEN $k$pathkey || '(' || freq || ')'$k$ ELSE 'pathkey' END,
                format(part, cur, x_channel, x_number));
            EXECUTE format('DROP TABLE %I', cur);
            cur := nxt;
        END LOOP;
        IF cur <> 'mm_attr_pt0' THEN
            EXECUTE format('ALTER TABLE %I RENAME TO mm_attr_pt0', cur);
        END IF;
    END IF;

    RETURN jsonb_build_object('from', f, 'to', t, 'events', stats.n, 'touches', stats.touches, 'session', is_session,
        'persons', (SELECT count(*) FROM (SELECT DISTINCT e.person FROM mm_attr_end e) x),
        'conversions', n_conv,
        'non_converting', (SELECT count(*) FROM mm_attr_end e WHERE NOT e.is_conv),
        'revenue', (SELECT CAST(sum(CAST(e.revenue AS numeric)) AS float8) FROM mm_attr_end e WHERE e.is_conv));
END $$;
COMMENT ON FUNCTION mixmodel._attribution_extract(jsonb, jsonb, interval, timestamptz, timestamptz, boolean) IS 'Internal: first step of attribute: checks the touches and conversions of the event table, numbers the journeys (conversions and, when asked, non-converting journeys) in temporary tables, joins each to the touches of its window (a view over the event table) and applies the path transforms.';

-- The per-touch columns every model needs, for the models of the run, in one pass: position, path
-- length, lag, time-decay weights, the counts of participation, Shapley and same touch, and the
-- path of each journey (on its first row).  A row with a NULL touch is a conversion without one.
CREATE FUNCTION mixmodel._attribution_windows(models text[], o jsonb, session boolean, paths boolean DEFAULT true)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    transformed boolean := to_regclass('pg_temp.mm_attr_pt0') IS NOT NULL;
    keys text := CASE WHEN to_regclass('pg_temp.mm_attr_pt0') IS NOT NULL THEN 'b.pos0'
                      ELSE 'b.ts, b.key, b.event, b.campaign, b.journey, b.message' END;
    h float8 := extract(epoch FROM (o->>'half_life')::interval) / (CASE WHEN o->>'decay_unit' = 'day' THEN 86400 ELSE 1 END);
    lag_u text := CASE WHEN o->>'decay_unit' = 'day' THEN 'CAST(CAST(b.end_ts AS date) - CAST(b.ts AS date) AS float8)'
                       ELSE 'extract(epoch FROM b.end_ts - b.ts)' END;
    same text := CASE WHEN o ? 'event_column' THEN 'b.event IS NOT DISTINCT FROM b.end_event AND b.ts = b.end_ts'
                      ELSE 'b.ts = b.end_ts' END;
BEGIN
    IF models IS NULL OR o IS NULL OR session IS NULL OR NOT o ? 'half_life' THEN
        RAISE EXCEPTION 'not a compiled attribution' USING ERRCODE = '22023',
            HINT = 'mixmodel.attribute calls this with checked models and options.';
    END IF;
    DROP TABLE IF EXISTS pg_temp.mm_attr_pt;
    EXECUTE format($q$CREATE TEMP TABLE mm_attr_pt AS
        SELECT q.end_id, q.is_conv, q.end_ts, q.end_event, q.end_person, q.end_revenue, q.ts, q.tp, q.key, q.pathkey,
               q.event, q.campaign, q.journey, q.message, q.pos, q.n, q.lag_days, q.key_count, q.same, q.same_count,
               %1$s AS decay, %2$s AS decay_sum, %3$s AS n_distinct,
               %12$s AS path
          FROM (SELECT b.*, %4$s AS pos, count(b.tp) OVER wf AS n,
                       extract(epoch FROM b.end_ts - b.ts) / 86400 AS lag_days,
                       %5$s AS lag_u, last_value(%5$s) OVER wf AS last_lag,
                       %6$s AS key_count, %7$s AS key_rank, %8$s AS same, %9$s AS same_count
                  FROM (%10$s) b
                WINDOW wf AS (PARTITION BY b.end_id ORDER BY %11$s ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) q$q$,
        CASE WHEN 'time_decay' = ANY (models) THEN format('power(2.0::float8, -(q.lag_u - q.last_lag) / %s)', h) ELSE 'NULL::float8' END,
        CASE WHEN 'time_decay' = ANY (models)
             THEN format('sum(power(2.0::float8, -(q.lag_u - q.last_lag) / %s)) OVER (PARTITION BY q.end_id ORDER BY q.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)', h)
             ELSE 'NULL::float8' END,
        CASE WHEN 'shapley' = ANY (models) THEN 'max(q.key_rank) OVER (PARTITION BY q.end_id)' ELSE 'NULL::bigint' END,
        CASE WHEN transformed THEN 'b.pos0' ELSE format('row_number() OVER (PARTITION BY b.end_id ORDER BY %s)', keys) END,
        lag_u,
        CASE WHEN models && ARRAY['participation', 'shapley'] THEN 'count(b.tp) OVER (PARTITION BY b.end_id, b.pathkey)' ELSE 'NULL::bigint' END,
        CASE WHEN 'shapley' = ANY (models) THEN 'dense_rank() OVER (PARTITION BY b.end_id ORDER BY b.pathkey)' ELSE 'NULL::bigint' END,
        same,
        CASE WHEN 'same_touch' = ANY (models) THEN format('count(*) FILTER (WHERE %s) OVER (PARTITION BY b.end_id)', same)
             ELSE 'NULL::bigint' END,
        CASE WHEN transformed
             THEN 'SELECT end_id, is_conv, end_ts, end_event, end_person, end_revenue, ts, tp, key, pathkey, event, campaign, '
                  'journey, message, pos AS pos0 FROM mm_attr_pt0'
             ELSE mixmodel._attribution_join_sql(session) END,
        keys,
        CASE WHEN paths
             THEN 'CASE WHEN q.pos = 1 AND q.tp IS NOT NULL THEN string_agg(q.pathkey, '' > '') OVER (PARTITION BY q.end_id ORDER BY q.pos '
                  'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) END'
             ELSE 'CAST(NULL AS pg_catalog.text)' END);
    ANALYZE mm_attr_pt;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_windows(text[], jsonb, boolean, boolean) IS 'Internal: second step of attribute: per journey end and touch of its window, the position, path length, lag, time-decay weights, the counts the participation, Shapley and same-touch models need, and (paths) each journey''s path (pg_temp.mm_attr_pt).';

-- The run's path table: one row per distinct path, sorted, so the Markov model reads it in one order.
CREATE FUNCTION mixmodel._attribution_paths()
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.mm_attr_paths;
    CREATE TEMP TABLE mm_attr_paths AS
    SELECT x.path, (SELECT CAST(count(DISTINCT k) AS int) FROM unnest(string_to_array(x.path, ' > ')) k) AS channels,
           x.conversions, x.revenue, x.non_conversions
      FROM (SELECT p.path, CAST(count(*) FILTER (WHERE p.is_conv) AS float8) AS conversions,
                   CAST(coalesce(sum(CAST(p.end_revenue AS numeric)) FILTER (WHERE p.is_conv), 0) AS float8) AS revenue,
                   CAST(count(*) FILTER (WHERE NOT p.is_conv) AS float8) AS non_conversions
              FROM mm_attr_pt p WHERE p.path IS NOT NULL GROUP BY p.path) x
     ORDER BY x.path;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_paths() IS 'Internal: the path table of a run (pg_temp.mm_attr_paths, ChannelAttribution''s shape, sorted by path) from its journeys'' paths.';

-- Score rows: the event_scores columns of a row p of mm_attr_pt with credit c (SQL text).
CREATE FUNCTION mixmodel._attribution_row_sql(name text, run integer, model text, credit text)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN format('%L, %s, %s, p.end_id, p.end_event, p.end_ts, CAST(p.end_person AS text), p.event, p.ts, p.tp, p.key, '
                  'p.campaign, p.journey, p.message, '
                  'CASE WHEN p.pos = p.n THEN ''closer'' WHEN p.pos = 1 THEN ''starter'' ELSE ''player'' END, '
                  'p.pos, p.n, p.lag_days, %s, (%s) * p.end_revenue', name, run, model, credit, credit);
COMMENT ON FUNCTION mixmodel._attribution_row_sql(text, integer, text, text) IS 'Internal: the select list writing one event_scores row for a touch p of pg_temp.mm_attr_pt with the given credit.';

-- Rule-based scores and the simplified Shapley value, all in one pass over the windows.
CREATE FUNCTION mixmodel._attribution_score_rules(name text, run integer, models text[], o jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
    SET client_min_messages = warning
AS $$
DECLARE
    cw jsonb := coalesce(o->'custom', '{}');
    vals text[] := '{}';
    m text;
    -- pos(n; f, m, l) of formulas §6.2, f m l as float8 literals
    pos_rule constant text := 'CASE WHEN p.n = 1 THEN 1.0::float8 WHEN p.n = 2 THEN (CASE WHEN %1$L::float8 + %3$L::float8 > 0 '
                              'THEN (CASE WHEN p.pos = 1 THEN %1$L::float8 ELSE %3$L::float8 END) / (%1$L::float8 + %3$L::float8) ELSE 0.5 END) '
                              'ELSE (CASE WHEN p.pos = 1 THEN %1$L::float8 WHEN p.pos = p.n THEN %3$L::float8 ELSE %2$L::float8 / (p.n - 2) END) '
                              '/ (%1$L::float8 + %2$L::float8 + %3$L::float8) END';
BEGIN
    IF name IS NULL OR run IS NULL OR models IS NULL OR o IS NULL THEN
        RAISE EXCEPTION 'name, run, models and options must not be null' USING ERRCODE = '22004';
    END IF;
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
            WHEN 'custom' THEN format(pos_rule, coalesce((cw->>'first')::float8, 0), coalesce((cw->>'middle')::float8, 0),
                                      coalesce((cw->>'last')::float8, 0))
            WHEN 'time_decay' THEN 'p.decay / p.decay_sum'
            WHEN 'shapley' THEN '1.0::float8 / (p.n_distinct * p.key_count)'
            END);
    END LOOP;
    IF cardinality(vals) > 0 THEN
        EXECUTE format($q$INSERT INTO mixmodel.event_scores
            SELECT %1$s
              FROM mm_attr_pt p CROSS JOIN LATERAL (VALUES %2$s) AS w(model, credit)
             WHERE p.is_conv AND p.tp IS NOT NULL AND w.credit > 0$q$,
            mixmodel._attribution_row_sql(name, run, 'w.model', 'w.credit'), array_to_string(vals, ', '));
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_rules(text, integer, text[], jsonb) IS 'Internal: event scores of the rule-based models (formulas §6.2) and of the simplified Shapley value (formulas §6.4, ordered variant).';

-- Conversions without a touch in their window: one "none" row per model (same touch: also the
-- conversions without a touch of their own event); the incremental model's baseline is its own.
CREATE FUNCTION mixmodel._attribution_score_none(name text, run integer, models text[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
AS $$
BEGIN
    INSERT INTO mixmodel.event_scores
    SELECT name, run, m.model, p.end_id, p.end_event, p.end_ts, CAST(p.end_person AS text), NULL, NULL, 'none', NULL, NULL,
           NULL, NULL, 'none', NULL, p.n, NULL, 1.0, p.end_revenue
      FROM mm_attr_pt p CROSS JOIN unnest(models) AS m(model)
     WHERE p.is_conv AND m.model <> 'algorithmic_incremental'
       AND (p.tp IS NULL OR m.model = 'same_touch' AND p.pos = 1 AND p.same_count = 0);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_none(text, integer, text[]) IS 'Internal: the none rows of a run: conversions without a touch in their window, for every model but algorithmic_incremental (same touch: also those without their own event''s touch).';

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
    SELECT p.end_id, bool_or(p.is_conv) AS is_conv, string_agg(DISTINCT p.pathkey, ' > ' ORDER BY p.pathkey) AS chset
      FROM mm_attr_pt p WHERE p.tp IS NOT NULL GROUP BY p.end_id;
    CREATE TEMP TABLE mm_attr_setrates AS
    SELECT s.chset, CAST(count(*) FILTER (WHERE s.is_conv) AS float8) AS conversions,
           CAST(count(*) FILTER (WHERE NOT s.is_conv) AS float8) AS non_conversions
      FROM mm_attr_sets s GROUP BY s.chset ORDER BY s.chset;
    CREATE TEMP TABLE mm_attr_shares AS
    SELECT r.path AS chset, r.channel AS pathkey, r.share
      FROM mixmodel._shapley_shares('pg_temp.mm_attr_setrates', 'chset', 'conversions', 'non_conversions') r;
    EXECUTE format($q$INSERT INTO mixmodel.event_scores
        SELECT %s
          FROM mm_attr_pt p JOIN mm_attr_sets s USING (end_id)
          JOIN mm_attr_shares sh ON sh.chset = s.chset AND sh.pathkey = p.pathkey
         WHERE p.is_conv AND sh.share > 0$q$,
        mixmodel._attribution_row_sql(name, run, '''shapley''', 'sh.share / p.key_count'));
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
    EXECUTE format($q$INSERT INTO mixmodel.event_scores
        SELECT %s
          FROM (SELECT x.*, CASE WHEN sum(coalesce(r.removal_effect, 0)) OVER w > 0
                                 THEN coalesce(r.removal_effect, 0) / sum(coalesce(r.removal_effect, 0)) OVER w
                                 ELSE 1.0::float8 / x.n END AS credit
                  FROM mm_attr_pt x LEFT JOIN mm_attr_re r ON r.key = x.pathkey
                 WHERE x.is_conv AND x.tp IS NOT NULL
                WINDOW w AS (PARTITION BY x.end_id ORDER BY x.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) p
         WHERE p.credit > 0$q$,
        mixmodel._attribution_row_sql(name, run, '''markov''', 'p.credit'));
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
    IF name IS NULL OR run IS NULL OR models IS NULL OR o IS NULL OR from_time IS NULL OR to_time IS NULL
       OR NOT o ? 'lag_buckets' OR NOT isfinite(from_time) OR NOT isfinite(to_time) OR ndays < 1 THEN
        RAISE EXCEPTION 'not a compiled attribution run' USING ERRCODE = '22023',
            HINT = 'mixmodel.attribute calls this with checked models, options and range.';
    END IF;
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

    -- theta of each touch at its lag in days; p = logistic(beta0 + s), s the conversion's sum, p0 = logistic(beta0):
    -- influenced theta/s, incremental influenced x (p - p0)/p, and the baseline's p0/p of every conversion
    EXECUTE format($q$INSERT INTO mixmodel.event_scores
        WITH a AS (
            SELECT x.*, coalesce(th.theta, 0) AS theta,
                   sum(coalesce(th.theta, 0)) OVER (PARTITION BY x.end_id ORDER BY x.pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s
              FROM mm_attr_pt x
              LEFT JOIN mm_attr_theta th ON th.key = x.key
                   AND CAST(x.end_ts AS date) - CAST(x.ts AS date) >= th.lag_from AND CAST(x.end_ts AS date) - CAST(x.ts AS date) < th.lag_to
             WHERE x.is_conv)
        SELECT %1$s
          FROM a p CROSS JOIN unnest(%3$L::text[]) AS m(model)
         CROSS JOIN LATERAL (SELECT CASE WHEN p.s > 0 THEN p.theta / p.s ELSE 1.0::float8 / p.n END AS influenced,
                                    1.0 - mixmodel._logistic(%4$s) / mixmodel._logistic(%4$s + p.s) AS incremental) y
         CROSS JOIN LATERAL (SELECT CASE m.model WHEN 'algorithmic_influenced' THEN y.influenced
                                    ELSE y.influenced * y.incremental END AS credit) c
         WHERE p.tp IS NOT NULL AND c.credit > 0
        UNION ALL
        SELECT %2$s
          FROM a p CROSS JOIN LATERAL (SELECT mixmodel._logistic(%4$s) / mixmodel._logistic(%4$s + p.s) AS base) c
         WHERE p.pos = 1 AND c.base > 0 AND %5$L$q$,
        mixmodel._attribution_row_sql(name, run, 'm.model', 'c.credit'),
        format('%L, %s, ''algorithmic_incremental'', p.end_id, p.end_event, p.end_ts, CAST(p.end_person AS text), NULL, NULL, '
               '''baseline'', NULL, NULL, NULL, NULL, ''none'', NULL, p.n, NULL, c.base, c.base * p.end_revenue', name, run),
        array(SELECT x FROM unnest(models) x WHERE x IN ('algorithmic_influenced', 'algorithmic_incremental')),
        b0, 'algorithmic_incremental' = ANY (models));
    RETURN r || jsonb_build_object('edges', to_jsonb(edges), 'channels', (SELECT jsonb_agg(k.key ORDER BY k.tok) FROM mm_attr_tok k),
                                   'persons', persons, 'days', ndays);
END $$;
COMMENT ON FUNCTION mixmodel._attribution_score_algorithmic(text, integer, text[], jsonb, interval, timestamptz, timestamptz) IS 'Internal: fits the algorithmic (survival) model on every person''s days (_attribution_survival) and writes its influenced and incremental scores, with the baseline''s share of each conversion.';

CREATE FUNCTION mixmodel._logistic(x float8)
    RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN x >= 0 THEN 1.0 / (1.0 + exp(-least(x, 700.0))) ELSE exp(greatest(x, -700.0)) / (1.0 + exp(greatest(x, -700.0))) END;
COMMENT ON FUNCTION mixmodel._logistic(float8) IS 'Internal: the logistic function 1 / (1 + e^-x), without overflow.';
