-- score: response curves, channel performance, contributions, adstock curves (doc/score.md)

CREATE FUNCTION mixmodel._response_core(form pg_catalog.text, adstock pg_catalog.text,
        adstock_p1 pg_catalog.float8, adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4,
        adstock_normalize pg_catalog.bool, saturation pg_catalog.text, sat_p1 pg_catalog.float8,
        sat_p2 pg_catalog.float8, input_scale pg_catalog.float8, coef pg_catalog.float8,
        x pg_catalog.float8[], start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[],
        value pg_catalog.float8, spends pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'response_core';
COMMENT ON FUNCTION mixmodel._response_core(pg_catalog.text, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: one fitted channel''s response curve over the window x[start .. start+len-1] (0-based) with the window''s spend pattern and carry-in (formulas §4.2 window_pattern): R(s) for each of spends, then R''(s) for each, then break-even, peak and point of diminishing returns (NaN when none). yhat (multiplicative form only) is the prediction from the window''s first period on.';

CREATE FUNCTION mixmodel._adstock_impulse(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        lags pg_catalog.int4)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_impulse';
COMMENT ON FUNCTION mixmodel._adstock_impulse(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.int4) IS
'Internal: the adstock of one unit spent at lag 0 by a run_channels adstock spec, at lags 0..lags.';

CREATE FUNCTION mixmodel._channel_term(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        saturation pg_catalog.text, sat_p1 pg_catalog.float8, sat_p2 pg_catalog.float8,
        input_scale pg_catalog.float8, coef pg_catalog.float8, x pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'channel_term';
COMMENT ON FUNCTION mixmodel._channel_term(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: a fitted channel''s term of the linear predictor, coef * saturation(adstock(x)_t / input_scale), for every period of x.';

CREATE FUNCTION mixmodel._decompose_log_share(b pg_catalog.float8, g pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'decompose_log_share';
COMMENT ON FUNCTION mixmodel._decompose_log_share(pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: the parts of y = b exp(sum g) by the log_share rule (formulas §2.2); they sum to y - b.';

CREATE FUNCTION mixmodel._immediate_share(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        saturation pg_catalog.text, sat_p1 pg_catalog.float8, sat_p2 pg_catalog.float8,
        input_scale pg_catalog.float8, x pg_catalog.float8[], start pg_catalog.int4, len pg_catalog.int4)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'immediate_share';
COMMENT ON FUNCTION mixmodel._immediate_share(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4) IS
'Internal: the immediate share of a fitted channel''s effect over x[start .. start+len-1] (0-based) by the robyn rule (formulas §4.6): carry-over evaluated first at the bottom of the curve; adstock over the whole series; NULL when the effect is 0.';

-- the immediate share of a channel of a run over its training rows
CREATE FUNCTION mixmodel._run_immediate_share(model pg_catalog.text, run pg_catalog.int4, channel pg_catalog.text)
    RETURNS pg_catalog.float8
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT mixmodel._immediate_share(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                       ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale,
                       (mixmodel._jf(r.inputs->'x'))[(ch.position - 1) * ((r.inputs->>'t0')::int + pg_catalog.jsonb_array_length(r.inputs->'periods')) + 1
                                                   : ch.position * ((r.inputs->>'t0')::int + pg_catalog.jsonb_array_length(r.inputs->'periods'))],
                       (r.inputs->>'t0')::int, (r.inputs->>'n_train')::int)
              FROM mixmodel.runs r JOIN mixmodel.run_channels ch ON ch.model = r.model AND ch.run = r.run
             WHERE r.model = _run_immediate_share.model AND r.run = _run_immediate_share.run
               AND ch.channel = _run_immediate_share.channel);
COMMENT ON FUNCTION mixmodel._run_immediate_share(pg_catalog.text, pg_catalog.int4, pg_catalog.text) IS
'Internal: _immediate_share of a channel of a run over the run''s training rows (NULL for an unknown one).';

CREATE FUNCTION mixmodel._synergy_core(form pg_catalog.text, adstock pg_catalog.text[], adstock_p1 pg_catalog.float8[],
        adstock_p2 pg_catalog.float8[], max_lag pg_catalog.int4[], adstock_normalize pg_catalog.bool[],
        saturation pg_catalog.text[], sat_p1 pg_catalog.float8[], sat_p2 pg_catalog.float8[],
        input_scale pg_catalog.float8[], coef pg_catalog.float8[], x pg_catalog.float8[],
        start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'synergy_core';
COMMENT ON FUNCTION mixmodel._synergy_core(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.bool[], pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[]) IS
'Internal: next-dollar synergy (formulas §4.7) between C fitted channels over the window x[start .. start+len-1] of each series (x holds the C series one after another): the C x C matrix S = sum_t yhat_t lift_a,t lift_b,t, then the scores 10 S / max (NaN diagonal).';

-- the synergy matrix of a run's paid channels over its training rows, long format
CREATE FUNCTION mixmodel._run_synergy(model pg_catalog.text, run pg_catalog.int4)
    RETURNS TABLE (channel_a pg_catalog.text, channel_b pg_catalog.text, synergy pg_catalog.float8, score_0_10 pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    i jsonb;
    te int;
    chs mixmodel.run_channels[];
    v float8[];
    xa float8[];
    nc int;
    yh float8[];
BEGIN
    SELECT r.inputs INTO i FROM mixmodel.runs r WHERE r.model = _run_synergy.model AND r.run = _run_synergy.run;
    IF i IS NULL THEN
        RETURN;
    END IF;
    chs := ARRAY(SELECT c FROM mixmodel.run_channels c
                  WHERE c.model = _run_synergy.model AND c.run = _run_synergy.run AND c.paid ORDER BY c.position);
    nc := cardinality(chs);
    IF nc < 2 THEN
        RETURN;
    END IF;
    te := (i->>'t0')::int + jsonb_array_length(i->'periods');
    xa := mixmodel._jf(i->'x');
    SELECT array_agg(f.predicted ORDER BY f.period) INTO yh
      FROM mixmodel.run_fit f WHERE f.model = _run_synergy.model AND f.run = _run_synergy.run;
    v := mixmodel._synergy_core(i->>'form',
             ARRAY(SELECT (chs[g.k]).adstock FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).adstock_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).max_lag FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_normalize FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).saturation FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).sat_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).input_scale FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).coef FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT u.e FROM generate_series(1, nc) g(k),
                          LATERAL unnest(xa[((chs[g.k]).position - 1) * te + 1 : (chs[g.k]).position * te]) WITH ORDINALITY u(e, j)
                    ORDER BY g.k, u.j),
             (i->>'t0')::int, (i->>'n_train')::int, yh);
    RETURN QUERY
    SELECT (chs[a.q]).channel, (chs[b.q]).channel, v[(a.q - 1) * nc + b.q], v[nc * nc + (a.q - 1) * nc + b.q]
      FROM generate_series(1, nc) a(q), generate_series(1, nc) b(q)
     WHERE a.q <> b.q ORDER BY a.q, b.q;
END $$;
COMMENT ON FUNCTION mixmodel._run_synergy(pg_catalog.text, pg_catalog.int4) IS
'Internal: the synergy view''s rows of one run: every ordered pair of distinct paid channels over the run''s training rows.';

CREATE FUNCTION mixmodel._response_vector_core(form pg_catalog.text, adstock pg_catalog.text[], adstock_p1 pg_catalog.float8[],
        adstock_p2 pg_catalog.float8[], max_lag pg_catalog.int4[], adstock_normalize pg_catalog.bool[],
        saturation pg_catalog.text[], sat_p1 pg_catalog.float8[], sat_p2 pg_catalog.float8[],
        input_scale pg_catalog.float8[], coef pg_catalog.float8[], x pg_catalog.float8[],
        start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[], spends pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'response_vector_core';
COMMENT ON FUNCTION mixmodel._response_vector_core(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.bool[], pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[], pg_catalog.float8[]) IS
'Internal: the response to window spends of C fitted channels moved at once (formulas §4.2, each spread by its window pattern, carry-in kept), then its C partial derivatives.';

CREATE FUNCTION mixmodel.response_at(model pg_catalog.text, channels pg_catalog.text[], spends pg_catalog.float8[],
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL)
    RETURNS TABLE (channel pg_catalog.text, spend pg_catalog.float8, response pg_catalog.float8, marginal_response pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 5
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    chs mixmodel.run_channels[];
    xs float8[] := '{}';
    v float8[];
    nc int;
    k int;
BEGIN
    IF channels IS NULL OR spends IS NULL THEN
        RAISE EXCEPTION 'channels and spends must not be NULL' USING ERRCODE = '22004';
    END IF;
    nc := coalesce(cardinality(channels), 0);
    IF nc = 0 OR nc <> coalesce(cardinality(spends), 0) THEN
        RAISE EXCEPTION 'channels and spends must be non-empty and of the same length' USING ERRCODE = '2202E';
    END IF;
    IF (SELECT count(DISTINCT c) <> nc FROM unnest(channels) c) THEN
        RAISE EXCEPTION 'channels must not repeat' USING ERRCODE = '22023';
    END IF;
    FOR k IN 1 .. nc LOOP
        p := mixmodel._response_input(model, channels[k], from_date, to_date);
        chs := chs || p.ch;
        xs := xs || p.x;
    END LOOP;
    v := mixmodel._response_vector_core(p.form,
             ARRAY(SELECT (chs[g.k]).adstock FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).max_lag FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_normalize FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).saturation FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).input_scale FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).coef FROM generate_series(1, nc) g(k) ORDER BY g.k),
             xs, p.start, p.len, p.yhat, spends);
    RETURN QUERY
    SELECT channels[g.k], spends[g.k], v[1], v[1 + g.k] FROM generate_series(1, nc) g(k) ORDER BY g.k;
END $$;
COMMENT ON FUNCTION mixmodel.response_at(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.date, pg_catalog.date) IS
'The response of a model''s current run to an arbitrary spend vector over a date range (default: the training rows): the listed channels spend spends (each spread by its weekly pattern in the range, carry-in kept) at once; response is the joint incremental KPI against zero spend of these channels (the same on every row), marginal_response its partial derivative by each channel.';

-- the run scoring reads: the given one, or the model's current run
CREATE FUNCTION mixmodel._check_date_range(from_date pg_catalog.date, to_date pg_catalog.date)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_date IS NULL OR to_date IS NULL THEN
        RAISE EXCEPTION 'from_date and to_date must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF from_date > to_date THEN
        RAISE EXCEPTION 'from_date must not be after to_date' USING ERRCODE = '22023',
            DETAIL = format('Got %s to %s.', from_date, to_date);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_date_range(pg_catalog.date, pg_catalog.date) IS
'Internal: error 22004 for a NULL end of a date range, 22023 for a reversed one.';

CREATE FUNCTION mixmodel._score_run(model pg_catalog.text, run pg_catalog.int4 DEFAULT NULL)
    RETURNS pg_catalog.int4
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur int;
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT m.current_run INTO cur FROM mixmodel.models m WHERE m.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    IF run IS NULL THEN
        IF cur IS NULL THEN
            RAISE EXCEPTION 'model "%" has not been trained', model USING ERRCODE = '55000',
                HINT = 'Run mixmodel.train first.';
        END IF;
        RETURN cur;
    END IF;
    PERFORM 1 FROM mixmodel.runs r WHERE r.model = _score_run.model AND r.run = _score_run.run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    RETURN run;
END $$;
COMMENT ON FUNCTION mixmodel._score_run(pg_catalog.text, pg_catalog.int4) IS
'Internal: checks a model and run for scoring (42704 unknown, 55000 never trained) and returns the run (the current one when run is NULL).';

-- what the KPI of a model counts, and the revenue per conversion of its current run's training window
CREATE FUNCTION mixmodel._model_kpi_units(model pg_catalog.text)
    RETURNS TABLE (kpi_unit pg_catalog.text, revenue_per_conversion pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    r mixmodel.runs;
    def jsonb;
    key text;
    unit text;
    rpc float8;
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    IF m.current_run IS NULL THEN
        -- an untrained model has no units yet: no row, so views over every model skip it
        -- whatever join order the planner picks
        RETURN;
    END IF;
    -- (the window only: the whole row would fetch the run's inputs from TOAST)
    SELECT x.from_date, x.to_date INTO r.from_date, r.to_date FROM mixmodel.runs x WHERE x.model = m.name AND x.run = m.current_run;
    def := m.definition;
    IF m.source_kind = 'harmonized' THEN
        -- a harmonized conversion counts conversions unless it carries revenue
        SELECT CASE WHEN sum(q.revenue) IS NULL THEN 'conversions' ELSE 'revenue' END,
               sum(q.revenue) / nullif(sum(q.conversions), 0)
          INTO unit, rpc FROM mixmodel.conversion_series(def->>'conversion') q
         WHERE q.period BETWEEN r.from_date AND r.to_date;
    ELSE
        -- a wide table: the KPI column's name says conversions (or orders) or revenue; the
        -- other unit's column, when the table has one, gives the ratio
        unit := CASE WHEN def->>'kpi' ILIKE '%conversion%' OR def->>'kpi' ILIKE '%order%' THEN 'conversions' ELSE 'revenue' END;
        key := (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = m.source AND NOT a.attisdropped AND a.attnum > 0
                   AND a.attname IN ('conversions', 'orders', 'revenue') AND a.attname <> def->>'kpi'
                   AND (unit = 'revenue') = (a.attname <> 'revenue') ORDER BY a.attname LIMIT 1);
        IF key IS NOT NULL THEN
            EXECUTE format('SELECT %s FROM %s WHERE %I BETWEEN $1 AND $2',
                           CASE WHEN unit = 'revenue' THEN format('sum(%I)::float8 / nullif(sum(%I), 0)', def->>'kpi', key)
                                ELSE format('sum(%I)::float8 / nullif(sum(%I), 0)', key, def->>'kpi') END,
                           m.source, def->>'date_column')
               INTO rpc USING r.from_date, r.to_date;
        END IF;
    END IF;
    RETURN QUERY SELECT unit, rpc;
END $$;
COMMENT ON FUNCTION mixmodel._model_kpi_units(pg_catalog.text) IS
'Internal: what the KPI of a trained model counts (revenue or conversions) and the revenue per conversion over its current run''s training window (harmonized: the conversion''s revenue over its count; wide table: the KPI column against a conversions, orders or revenue column; NULL when unknown). No row for a model never trained; 42704 unknown model.';

-- KPI units to revenue and conversions
CREATE FUNCTION mixmodel._kpi_factors(kpi_unit pg_catalog.text, revenue_per_conversion pg_catalog.float8,
        OUT revenue_per_kpi pg_catalog.float8, OUT conversions_per_kpi pg_catalog.float8)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rpc float8 := CASE WHEN revenue_per_conversion > 0 AND revenue_per_conversion < 'Infinity' THEN revenue_per_conversion END;
BEGIN
    IF kpi_unit IS NULL THEN
        RAISE EXCEPTION 'kpi_unit must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF kpi_unit NOT IN ('revenue', 'conversions') THEN
        RAISE EXCEPTION 'kpi_unit must be revenue or conversions' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', kpi_unit);
    END IF;
    revenue_per_kpi := CASE WHEN kpi_unit = 'revenue' THEN 1 ELSE rpc END;
    conversions_per_kpi := CASE WHEN kpi_unit = 'conversions' THEN 1 ELSE 1 / rpc END;
END $$;
COMMENT ON FUNCTION mixmodel._kpi_factors(pg_catalog.text, pg_catalog.float8) IS
'Internal: revenue and conversions per KPI unit of a model whose KPI counts kpi_unit (revenue or conversions): 1 for the KPI''s own unit, revenue_per_conversion or its inverse for the other; NULL when that is unknown (NULL, not positive or not finite).';
-- what the response curve of one channel needs, from the run's stored data
CREATE FUNCTION mixmodel._response_input(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date, to_date pg_catalog.date,
        OUT run pg_catalog.int4, OUT form pg_catalog.text, OUT ch mixmodel.run_channels,
        OUT x pg_catalog.float8[], OUT start pg_catalog.int4, OUT len pg_catalog.int4,
        OUT yhat pg_catalog.float8[], OUT current_spend pg_catalog.float8, OUT revenue_per_kpi pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r mixmodel.runs;
    i jsonb;
    n int; t0 int; te int; a int; b int;
    d_from date; d_to date;
BEGIN
    IF channel IS NULL THEN
        RAISE EXCEPTION 'channel must not be NULL' USING ERRCODE = '22004';
    END IF;
    run := mixmodel._score_run(model);
    SELECT * INTO ch FROM mixmodel.run_channels c
     WHERE c.model = _response_input.model AND c.run = _response_input.run AND c.channel = _response_input.channel;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'channel "%" is not in model "%"', channel, model USING ERRCODE = '42704';
    END IF;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = _response_input.model AND x.run = _response_input.run;
    i := r.inputs;
    form := i->>'form';
    n := jsonb_array_length(i->'periods');
    t0 := (i->>'t0')::int;
    te := t0 + n;
    x := (mixmodel._jf(i->'x'))[(ch.position - 1) * te + 1 : ch.position * te];
    -- default window: the training rows (the holdout excluded), as run_channels.spend
    d_from := coalesce(from_date, r.from_date);
    d_to := coalesce(to_date, (SELECT max(f.period) FROM mixmodel.run_fit f
                                WHERE f.model = r.model AND f.run = r.run AND NOT f.holdout));
    PERFORM mixmodel._check_date_range(d_from, d_to);
    IF d_from < r.from_date OR d_to > r.to_date THEN
        RAISE EXCEPTION 'the range must lie inside the data of run % of model "%"', run, model USING ERRCODE = '22023',
            DETAIL = format('Got %s to %s; the run covers %s to %s.', d_from, d_to, r.from_date, r.to_date);
    END IF;
    SELECT min(p.j) - 1, max(p.j) - 1 INTO a, b
      FROM jsonb_array_elements_text(i->'periods') WITH ORDINALITY p(d, j)
     WHERE p.d::date >= d_from AND p.d::date <= d_to;
    IF a IS NULL THEN
        RAISE EXCEPTION 'the range holds no periods of model "%"', model USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s.', d_from, d_to);
    END IF;
    start := t0 + a;
    len := b - a + 1;
    SELECT sum(v ORDER BY k) INTO current_spend FROM unnest(x[start + 1 : start + len]) WITH ORDINALITY u(v, k);
    SELECT array_agg(f.predicted ORDER BY f.period) INTO yhat
      FROM mixmodel.run_fit f WHERE f.model = r.model AND f.run = r.run AND f.period >= (i->'periods'->>a)::date;
    SELECT f.revenue_per_kpi INTO revenue_per_kpi
      FROM mixmodel._model_kpi_units(model) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
END $$;
COMMENT ON FUNCTION mixmodel._response_input(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'Internal: the current run, fitted channel spec, input series, window (0-based start and length), predictions, window spend and revenue per KPI unit (NULL when unknown) a response curve needs.';

CREATE FUNCTION mixmodel.response_points(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL)
    RETURNS TABLE (current_spend pg_catalog.float8, current_response pg_catalog.float8,
                   marginal_roas_at_current pg_catalog.float8, breakeven_spend pg_catalog.float8,
                   diminishing_returns_spend pg_catalog.float8, peak_spend pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    v float8[];
BEGIN
    p := mixmodel._response_input(model, channel, from_date, to_date);
    -- ROAS in revenue: value = revenue per KPI unit (break-even and PDR need it; NULL when unknown)
    v := mixmodel._response_core(p.form, (p.ch).adstock, (p.ch).adstock_p1, (p.ch).adstock_p2, (p.ch).max_lag,
             (p.ch).adstock_normalize, (p.ch).saturation, (p.ch).sat_p1, (p.ch).sat_p2, (p.ch).input_scale,
             (p.ch).coef, p.x, p.start, p.len, p.yhat, coalesce(p.revenue_per_kpi, 1.0), ARRAY[p.current_spend]);
    RETURN QUERY SELECT p.current_spend, v[1], p.revenue_per_kpi * v[2],
                        CASE WHEN p.revenue_per_kpi IS NOT NULL THEN nullif(v[3], 'NaN') END,
                        CASE WHEN p.revenue_per_kpi IS NOT NULL THEN nullif(v[5], 'NaN') END, nullif(v[4], 'NaN');
END $$;
COMMENT ON FUNCTION mixmodel.response_points(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'The points of a channel''s response curve over a date range of its current run (default: the training rows): current window spend, the response to it (KPI units), marginal ROAS there (revenue per currency unit: the marginal response times the revenue per KPI unit), the marginal break-even spend (marginal ROAS = 1), the point of diminishing returns (mean_value rule) and the spend of the steepest marginal (0 for concave curves); NULL when a point does not exist or, for the ROAS, break-even and PDR, when a conversions KPI has no known revenue per conversion.';

-- the grid arguments of a response curve
CREATE FUNCTION mixmodel._check_curve_grid(grid_points pg_catalog.int4, max_multiple pg_catalog.float8)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF grid_points IS NULL OR max_multiple IS NULL THEN
        RAISE EXCEPTION 'grid_points and max_multiple must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF grid_points < 2 OR grid_points > 10001 THEN
        RAISE EXCEPTION 'grid_points must be in the range [2, 10001]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', grid_points);
    END IF;
    IF NOT (max_multiple > 0 AND max_multiple <= 1000) THEN
        RAISE EXCEPTION 'max_multiple must be in the range (0, 1000]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', max_multiple);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_curve_grid(pg_catalog.int4, pg_catalog.float8) IS 'Internal: checks a response curve''s grid_points (2 to 10001) and max_multiple ((0, 1000]): 22004 when NULL, 22023 out of range.';

-- the rows of a response curve: one fitted channel over a window of its input series
-- (response_curve, geo_response_curve)
CREATE FUNCTION mixmodel._response_curve_rows(form pg_catalog.text, ch mixmodel.run_channels, x pg_catalog.float8[],
        start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[], current_spend pg_catalog.float8,
        revenue_per_kpi pg_catalog.float8, grid_points pg_catalog.int4, max_multiple pg_catalog.float8,
        draws pg_catalog.float8[], level pg_catalog.float8)
    RETURNS TABLE (spend pg_catalog.float8, multiple pg_catalog.float8, response pg_catalog.float8,
                   marginal_response pg_catalog.float8, marginal_roas pg_catalog.float8,
                   is_current pg_catalog.bool, is_breakeven pg_catalog.bool,
                   is_diminishing_returns pg_catalog.bool, is_peak pg_catalog.bool,
                   response_lower pg_catalog.float8, response_upper pg_catalog.float8,
                   marginal_roas_lower pg_catalog.float8, marginal_roas_upper pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 35
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pts float8[];
    g float8[];
    v float8[];
    bd float8[];
    ng int;
BEGIN
    PERFORM mixmodel._check_curve_grid(grid_points, max_multiple);
    IF NOT current_spend > 0 THEN
        RAISE EXCEPTION 'channel "%" has no spend in the range', ch.channel USING ERRCODE = '22000',
            HINT = 'A response curve spans 0 to max_multiple times the spend of the range; choose a range with spend.';
    END IF;
    pts := mixmodel._response_core(form, ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag,
               ch.adstock_normalize, ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale,
               ch.coef, x, start, len, yhat, coalesce(revenue_per_kpi, 1.0), '{}');
    IF revenue_per_kpi IS NULL THEN
        -- no revenue per KPI unit: no break-even, hence no point of diminishing returns
        pts[1] := 'NaN';
        pts[3] := 'NaN';
    END IF;
    -- the grid, then the current spend and the points that exist
    SELECT array_agg(CASE WHEN abs(gv.w - current_spend) <= 1e-12 * current_spend THEN current_spend ELSE gv.w END ORDER BY j)
      INTO g
      FROM generate_series(0, grid_points - 1) j, LATERAL (SELECT max_multiple * current_spend * j / (grid_points - 1)) gv(w);
    -- (a grid spend a rounding away from the current one is the current one: one row)
    g := g || current_spend || pts;
    ng := cardinality(g);
    g := array_replace(g, 'NaN'::float8, -1);
    v := mixmodel._response_core(form, ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag,
             ch.adstock_normalize, ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale,
             ch.coef, x, start, len, yhat, 1.0, array_replace(g, -1::float8, 0));
    -- a Bayesian run: the credible band of the curve over its draws (NULL otherwise)
    IF level IS NOT NULL AND draws IS NOT NULL THEN
        bd := mixmodel._response_band(ch.adstock, ch.max_lag, ch.adstock_normalize, ch.saturation,
                  ch.input_scale, form, draws, x, start, len,
                  ARRAY[ch.adstock_p1, ch.adstock_p2, ch.sat_p1, ch.sat_p2, ch.coef],
                  yhat, level, array_replace(g, -1::float8, 0));
    END IF;
    RETURN QUERY
    SELECT u.s, u.s / current_spend, min(u.r), min(u.d), revenue_per_kpi * min(u.d),
           bool_or(u.k = grid_points + 1), bool_or(u.k = grid_points + 2),
           bool_or(u.k = grid_points + 4), bool_or(u.k = grid_points + 3),
           min(u.rl), min(u.ru), revenue_per_kpi * min(u.dl), revenue_per_kpi * min(u.du)
      FROM unnest(g, v[1 : ng], v[ng + 1 : 2 * ng], bd[1 : ng], bd[ng + 1 : 2 * ng], bd[2 * ng + 1 : 3 * ng],
                  bd[3 * ng + 1 : 4 * ng]) WITH ORDINALITY u(s, r, d, rl, ru, dl, du, k)
     WHERE u.s >= 0
     GROUP BY u.s ORDER BY u.s;
END $$;
COMMENT ON FUNCTION mixmodel._response_curve_rows(pg_catalog.text, mixmodel.run_channels, pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8) IS
'Internal: the rows of response_curve and geo_response_curve for one fitted channel (ch) over x[start .. start+len-1]: the grid of grid_points spends from 0 to max_multiple times current_spend, the current spend, break-even, peak and point of diminishing returns, with the credible band over draws when level is not NULL.';

CREATE FUNCTION mixmodel.response_curve(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL,
        grid_points pg_catalog.int4 DEFAULT 31, max_multiple pg_catalog.float8 DEFAULT 3.0)
    RETURNS TABLE (spend pg_catalog.float8, multiple pg_catalog.float8, response pg_catalog.float8,
                   marginal_response pg_catalog.float8, marginal_roas pg_catalog.float8,
                   is_current pg_catalog.bool, is_breakeven pg_catalog.bool,
                   is_diminishing_returns pg_catalog.bool, is_peak pg_catalog.bool,
                   response_lower pg_catalog.float8, response_upper pg_catalog.float8,
                   marginal_roas_lower pg_catalog.float8, marginal_roas_upper pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 35
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    lvl float8;
BEGIN
    PERFORM mixmodel._check_curve_grid(grid_points, max_multiple);
    p := mixmodel._response_input(model, channel, from_date, to_date);
    lvl := mixmodel._run_level(model, p.run);
    RETURN QUERY
    SELECT * FROM mixmodel._response_curve_rows(p.form, p.ch, p.x, p.start, p.len, p.yhat, p.current_spend,
                      p.revenue_per_kpi, grid_points, max_multiple,
                      CASE WHEN lvl IS NOT NULL THEN mixmodel._run_channel_draws(model, p.run, channel) END, lvl);
END $$;
COMMENT ON FUNCTION mixmodel.response_curve(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date, pg_catalog.int4, pg_catalog.float8) IS
'A channel''s response curve over a date range of its model''s current run (default: the training rows): the incremental KPI when the range''s spend s is spent with the range''s weekly pattern, with carry-in from before it (formulas §4.2 window_pattern), on grid_points spends from 0 to max_multiple times the current spend, plus the current spend, break-even, point of diminishing returns and peak rows, flagged; marginal_response is the analytic dR/ds and marginal_roas is it in revenue per currency unit (times the revenue per conversion for a conversions KPI; NULL, and no break-even or point of diminishing returns, when that is unknown). For a Bayesian run, response_lower/upper and marginal_roas_lower/upper bound the curve''s credible band at the run''s level over its draws (at most 1000, evenly thinned); NULL for other runs.';

CREATE VIEW mixmodel.channel_performance WITH (security_invoker = true) AS
WITH c AS (
    SELECT c.model, c.run, c.channel, c.spend, c.contribution, u.kpi_unit, f.revenue_per_kpi, f.conversions_per_kpi,
           c.contribution * f.revenue_per_kpi AS revenue, c.contribution * f.conversions_per_kpi AS conversions
      FROM mixmodel.models m
      JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run AND c.paid
     CROSS JOIN LATERAL mixmodel._model_kpi_units(m.name) u
     CROSS JOIN LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f
), q AS (
    -- a Bayesian run's credible intervals of the channel's contribution, effect share and marginal response
    SELECT p.model, p.run, p.term AS channel,
           max(p.lower) FILTER (WHERE p.parameter = 'contribution') AS contribution_lower,
           max(p.upper) FILTER (WHERE p.parameter = 'contribution') AS contribution_upper,
           max(p.lower) FILTER (WHERE p.parameter = 'effect_share') AS effect_share_lower,
           max(p.upper) FILTER (WHERE p.parameter = 'effect_share') AS effect_share_upper,
           max(p.lower) FILTER (WHERE p.parameter = 'marginal_response') AS marginal_lower,
           max(p.upper) FILTER (WHERE p.parameter = 'marginal_response') AS marginal_upper
      FROM mixmodel.run_posterior p
     GROUP BY p.model, p.run, p.term
)
SELECT c.model, c.channel, c.spend, c.contribution, c.revenue,
       (c.revenue - c.spend) / nullif(c.spend, 0) AS roi,
       c.revenue / nullif(c.spend, 0) AS roas,
       c.spend / nullif(c.conversions, 0) AS cpa,
       CASE WHEN c.spend > 0 THEN pt.marginal_roas_at_current - 1 END AS marginal_roi,
       c.spend / nullif(sum(c.spend) OVER w, 0) AS spend_share,
       c.contribution / nullif(sum(c.contribution) OVER w, 0) AS effect_share,
       mixmodel._run_immediate_share(c.model, c.run, c.channel) AS immediate_share,
       1 - mixmodel._run_immediate_share(c.model, c.run, c.channel) AS carryover_share,
       c.conversions, c.kpi_unit,
       q.contribution_lower, q.contribution_upper,
       (q.contribution_lower * c.revenue_per_kpi - c.spend) / nullif(c.spend, 0) AS roi_lower,
       (q.contribution_upper * c.revenue_per_kpi - c.spend) / nullif(c.spend, 0) AS roi_upper,
       q.contribution_lower * c.revenue_per_kpi / nullif(c.spend, 0) AS roas_lower,
       q.contribution_upper * c.revenue_per_kpi / nullif(c.spend, 0) AS roas_upper,
       c.spend / nullif(q.contribution_upper * c.conversions_per_kpi, 0) AS cpa_lower,
       c.spend / nullif(q.contribution_lower * c.conversions_per_kpi, 0) AS cpa_upper,
       CASE WHEN c.spend > 0 THEN q.marginal_lower * c.revenue_per_kpi - 1 END AS marginal_roi_lower,
       CASE WHEN c.spend > 0 THEN q.marginal_upper * c.revenue_per_kpi - 1 END AS marginal_roi_upper,
       q.effect_share_lower, q.effect_share_upper,
       mixmodel._run_level(c.model, c.run) AS interval_level
  FROM c
  LEFT JOIN q ON q.model = c.model AND q.run = c.run AND q.channel = c.channel
  LEFT JOIN LATERAL mixmodel.response_points(c.model, c.channel) pt ON c.spend > 0
WINDOW w AS (PARTITION BY c.model);
COMMENT ON VIEW mixmodel.channel_performance IS 'Paid channels of every trained model''s current run over its training rows (holdout excluded): spend, contribution, revenue and conversions, ROI, ROAS, CPA, marginal ROI at the current spend, spend share against effect share, immediate against carry-over share. The contribution counts the KPI''s unit (kpi_unit); the other unit comes from the revenue per conversion of the training window (_model_kpi_units), NULL when unknown.';
COMMENT ON COLUMN mixmodel.channel_performance.model IS 'model name';
COMMENT ON COLUMN mixmodel.channel_performance.channel IS 'paid channel (model input column or touchpoint)';
COMMENT ON COLUMN mixmodel.channel_performance.spend IS 'spend over the training rows';
COMMENT ON COLUMN mixmodel.channel_performance.contribution IS 'the channel''s contribution to the KPI over the training rows, in KPI units (kpi_unit)';
COMMENT ON COLUMN mixmodel.channel_performance.revenue IS 'revenue attributed to the channel: the contribution for a revenue KPI, contribution x revenue per conversion for a conversions KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.channel_performance.roi IS '(revenue - spend) / spend; NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.roas IS 'revenue / spend; NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.cpa IS 'cost per acquisition, spend / conversions; NULL when conversions are 0 or unknown';
COMMENT ON COLUMN mixmodel.channel_performance.marginal_roi IS 'marginal ROAS - 1 at the current spend of the training rows, in revenue (response_points); NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.spend_share IS 'share of the model''s paid spend';
COMMENT ON COLUMN mixmodel.channel_performance.effect_share IS 'share of the paid channels'' contribution';
COMMENT ON COLUMN mixmodel.channel_performance.immediate_share IS 'share of the contribution from spend of the same period (robyn rule, formulas §4.6: carry-over evaluated first)';
COMMENT ON COLUMN mixmodel.channel_performance.carryover_share IS '1 - immediate_share: the share from earlier periods'' spend';
COMMENT ON COLUMN mixmodel.channel_performance.conversions IS 'conversions attributed to the channel: the contribution for a conversions KPI, contribution / revenue per conversion for a revenue KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.channel_performance.kpi_unit IS 'what the model''s KPI counts: revenue or conversions';
COMMENT ON COLUMN mixmodel.channel_performance.contribution_lower IS 'Bayesian runs: lower end of the contribution''s credible interval at interval_level (NULL otherwise); the point columns are the point model''s (parameter-wise posterior median)';
COMMENT ON COLUMN mixmodel.channel_performance.contribution_upper IS 'Bayesian runs: upper end of the contribution''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.roi_lower IS 'Bayesian runs: lower end of the ROI''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.roi_upper IS 'Bayesian runs: upper end of the ROI''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.roas_lower IS 'Bayesian runs: lower end of the ROAS''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.roas_upper IS 'Bayesian runs: upper end of the ROAS''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.cpa_lower IS 'Bayesian runs: lower end of the CPA''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.cpa_upper IS 'Bayesian runs: upper end of the CPA''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.marginal_roi_lower IS 'Bayesian runs: lower end of the marginal ROI''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.marginal_roi_upper IS 'Bayesian runs: upper end of the marginal ROI''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.effect_share_lower IS 'Bayesian runs: lower end of the effect share''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.effect_share_upper IS 'Bayesian runs: upper end of the effect share''s credible interval';
COMMENT ON COLUMN mixmodel.channel_performance.interval_level IS 'credible level of the intervals (option interval, default 0.9); NULL when the run has no posterior';

CREATE VIEW mixmodel.response_curves WITH (security_invoker = true) AS
SELECT c.model, c.channel, r.spend, r.multiple, r.response, r.marginal_response, r.marginal_roas,
       r.is_current, r.is_breakeven, r.is_diminishing_returns, r.is_peak,
       r.response_lower, r.response_upper, r.marginal_roas_lower, r.marginal_roas_upper
  FROM mixmodel.models m
  JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run AND c.paid AND c.spend > 0
  CROSS JOIN LATERAL mixmodel.response_curve(c.model, c.channel) r;
COMMENT ON VIEW mixmodel.response_curves IS 'Response curve of every paid channel of every trained model''s current run over its training rows, with response_curve''s defaults (31 spends from 0 to 3x the current spend, plus the flagged points).';
COMMENT ON COLUMN mixmodel.response_curves.model IS 'model name';
COMMENT ON COLUMN mixmodel.response_curves.channel IS 'paid channel';
COMMENT ON COLUMN mixmodel.response_curves.spend IS 'spend over the training rows, spread by their weekly pattern';
COMMENT ON COLUMN mixmodel.response_curves.multiple IS 'spend / current spend';
COMMENT ON COLUMN mixmodel.response_curves.response IS 'incremental KPI against zero spend in the window (carry-in kept)';
COMMENT ON COLUMN mixmodel.response_curves.marginal_response IS 'dresponse/dspend (analytic)';
COMMENT ON COLUMN mixmodel.response_curves.marginal_roas IS 'marginal revenue per unit of spend: marginal_response x revenue per KPI unit (1 for a revenue KPI); NULL when unknown';
COMMENT ON COLUMN mixmodel.response_curves.is_current IS 'the current spend';
COMMENT ON COLUMN mixmodel.response_curves.is_breakeven IS 'the marginal break-even spend (marginal ROAS = 1, in revenue)';
COMMENT ON COLUMN mixmodel.response_curves.is_diminishing_returns IS 'the point of diminishing returns (formulas §4.5 mean_value)';
COMMENT ON COLUMN mixmodel.response_curves.is_peak IS 'the spend of the steepest marginal (0 for concave curves)';
COMMENT ON COLUMN mixmodel.response_curves.response_lower IS 'Bayesian runs: lower end of the response''s credible band at the run''s level (NULL otherwise)';
COMMENT ON COLUMN mixmodel.response_curves.response_upper IS 'Bayesian runs: upper end of the response''s credible band';
COMMENT ON COLUMN mixmodel.response_curves.marginal_roas_lower IS 'Bayesian runs: lower end of the marginal ROAS''s credible band';
COMMENT ON COLUMN mixmodel.response_curves.marginal_roas_upper IS 'Bayesian runs: upper end of the marginal ROAS''s credible band';

CREATE VIEW mixmodel.adstock_curves WITH (security_invoker = true) AS
SELECT c.model, c.channel, (l.k - 1)::pg_catalog.int4 AS lag, l.w AS weight, l.lo AS weight_lower, l.hi AS weight_upper
  FROM mixmodel.models m
  JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run
  CROSS JOIN LATERAL (SELECT CASE WHEN c.max_lag >= 0 THEN c.max_lag
                                  WHEN c.adstock_p1 <= 0 THEN 0
                                  ELSE least(52, ceil(ln(1e-6) / ln(c.adstock_p1))::int) END AS lags,
                             mixmodel._run_level(c.model, c.run) AS lvl) q
  CROSS JOIN LATERAL (SELECT CASE WHEN q.lvl IS NOT NULL THEN
                                  mixmodel._adstock_band(c.adstock, c.max_lag, c.adstock_normalize,
                                                         mixmodel._run_channel_draws(c.model, c.run, c.channel), q.lags, q.lvl) END AS b) bd
  CROSS JOIN LATERAL unnest(mixmodel._adstock_impulse(c.adstock, c.adstock_p1, c.adstock_p2, c.max_lag, c.adstock_normalize, q.lags),
                            bd.b[1 : q.lags + 1], bd.b[q.lags + 2 : 2 * q.lags + 2]) WITH ORDINALITY l(w, lo, hi, k);
COMMENT ON VIEW mixmodel.adstock_curves IS 'Adstock curve of every channel of every trained model''s current run: the share of one unit of spend still working at each lag (recursive geometric: lags until theta^lag < 1e-6, at most 52).';
COMMENT ON COLUMN mixmodel.adstock_curves.model IS 'model name';
COMMENT ON COLUMN mixmodel.adstock_curves.channel IS 'channel';
COMMENT ON COLUMN mixmodel.adstock_curves.lag IS 'periods after the spend, from 0';
COMMENT ON COLUMN mixmodel.adstock_curves.weight IS 'adstock of one unit spent at lag 0';
COMMENT ON COLUMN mixmodel.adstock_curves.weight_lower IS 'Bayesian runs: lower end of the weight''s credible interval at the run''s level (over the draws; for a recursive geometric adstock the lags follow the point model''s decay); NULL otherwise';
COMMENT ON COLUMN mixmodel.adstock_curves.weight_upper IS 'Bayesian runs: upper end of that interval';

CREATE TABLE mixmodel.scores (
    model        text NOT NULL,
    run          integer NOT NULL,
    period       date NOT NULL,
    term         text NOT NULL,
    kind         text NOT NULL,
    contribution float8 NOT NULL,
    scored_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    spend        float8,
    PRIMARY KEY (model, run, period, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.scores IS 'Decomposition of every scored period by mixmodel.score: one row per period and term of a run; the terms of a period sum to its prediction. Rescoring a range replaces its rows.';
COMMENT ON COLUMN mixmodel.scores.contribution IS 'KPI units in the period (multiplicative models: the training''s nested log_share rule)';
COMMENT ON COLUMN mixmodel.scores.scored_at IS 'when the period was last scored';
COMMENT ON COLUMN mixmodel.scores.spend IS 'a paid channel''s spend in the period as the score read it (the model''s spend column, or the input itself); NULL for other terms';

CREATE FUNCTION mixmodel._period_spend(model pg_catalog.text, run pg_catalog.int4)
    RETURNS TABLE (channel pg_catalog.text, period pg_catalog.date, spend pg_catalog.float8)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 500
    SET search_path = pg_catalog, pg_temp
AS $$
    -- the run's own periods from the spend it was trained on, later periods from their scores
    SELECT c.channel, p.d::date, q.sp[(c.position - 1) * q.n + p.j::int]
      FROM mixmodel.runs r
     CROSS JOIN LATERAL (SELECT mixmodel._jf(r.inputs->'spend') AS sp, jsonb_array_length(r.inputs->'periods') AS n) q
      JOIN mixmodel.run_channels c ON c.model = r.model AND c.run = r.run AND c.paid
     CROSS JOIN LATERAL jsonb_array_elements_text(r.inputs->'periods') WITH ORDINALITY p(d, j)
     WHERE r.model = _period_spend.model AND r.run = _period_spend.run
    UNION ALL
    SELECT s.term, s.period, s.spend
      FROM mixmodel.scores s
     WHERE s.model = _period_spend.model AND s.run = _period_spend.run AND s.kind = 'channel'
       AND NOT EXISTS (SELECT 1 FROM mixmodel.run_fit f WHERE f.model = s.model AND f.run = s.run AND f.period = s.period)
$$;
COMMENT ON FUNCTION mixmodel._period_spend(pg_catalog.text, pg_catalog.int4) IS
'Internal: spend per paid channel and period of a run: its training data''s spend over the run''s periods, the scored spend (mixmodel.scores.spend) after them.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.scores', '');

CREATE FUNCTION mixmodel.score(model pg_catalog.text, from_date pg_catalog.date, to_date pg_catalog.date,
        run pg_catalog.int4 DEFAULT NULL)
    RETURNS TABLE (term pg_catalog.text, kind pg_catalog.text, periods pg_catalog.int4,
                   contribution pg_catalog.float8, share pg_catalog.float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int;
    r mixmodel.runs;
    ri jsonb;
    i jsonb;
    n int; t0 int; te int; a int; b int; nc int; nf int; len int;
    n_run int; off int; warm int; step int;
    ch mixmodel.run_channels;
    names text[] := '{}';
    kinds text[] := '{}';
    vals float8[] := '{}';
    v float8[];
    z float8[];
    icpt float8;
    gam float8;
    mult boolean;
    t int; c int;
    g float8[]; f float8[]; pc float8[]; pf float8[];
    per date[];
    sp float8[];
    replaced bigint;
BEGIN
    PERFORM mixmodel._check_date_range(from_date, to_date);
    k := mixmodel._score_run(model, run);
    -- scorings and trainings of one model queue here
    PERFORM 1 FROM mixmodel.models m WHERE m.name = model FOR UPDATE;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = score.model AND x.run = k;
    ri := r.inputs;
    mult := ri->>'form' = 'multiplicative';
    -- the model's data over the training window and the range, resolved as training resolves it
    i := mixmodel._model_inputs(model, least(from_date, r.from_date), greatest(to_date, r.to_date), scoring => true);
    IF i->'channels' <> ri->'channels' OR i->'fixed' <> ri->'fixed' THEN
        RAISE EXCEPTION 'the terms of model "%" changed since run %', model, k USING ERRCODE = '55000',
            HINT = 'Train the model again.';
    END IF;
    per := ARRAY(SELECT e::date FROM jsonb_array_elements_text(i->'periods') e);
    n := cardinality(per);
    t0 := (i->>'t0')::int;
    te := t0 + n;
    nc := jsonb_array_length(i->'channels');
    nf := jsonb_array_length(i->'fixed');
    SELECT min(gs.j) - 1, max(gs.j) - 1 INTO a, b FROM generate_subscripts(per, 1) gs(j)
     WHERE per[gs.j] >= from_date AND per[gs.j] <= to_date;
    IF a IS NULL THEN
        RAISE EXCEPTION 'the range holds no data of model "%"', model USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s; the data ends %s.', from_date, to_date, per[n]);
    END IF;
    len := b - a + 1;
    -- the adstock warm-up: before the training window, a range needs the carry-over history
    -- of its channels (max_lag periods, or until theta^lag < 0.01 for the recursive form)
    IF per[a + 1] < r.from_date THEN
        SELECT max(CASE WHEN x.max_lag >= 0 THEN x.max_lag WHEN x.adstock_p1 <= 0 THEN 0
                        ELSE least(52, ceil(ln(0.01) / ln(x.adstock_p1))::int) END)
          INTO warm FROM mixmodel.run_channels x WHERE x.model = score.model AND x.run = k;
        IF t0 + a < warm THEN
            step := CASE WHEN n > 1 THEN per[2] - per[1] ELSE 7 END;
            RAISE EXCEPTION 'the range starts before the adstock warm-up of model "%"', model USING ERRCODE = '22023',
                DETAIL = format('Its adstock needs %s periods of history; the first period that has them is %s.',
                                warm, per[1] + step * (warm - t0)),
                HINT = 'Start the range later, or load older spend.';
        END IF;
    END IF;

    -- intercept, channels, fixed regressors: values of the range, period-major per term
    SELECT x.coef INTO icpt FROM mixmodel.run_coefficients x
     WHERE x.model = score.model AND x.run = k AND x.kind = 'intercept';
    FOR ch IN SELECT * FROM mixmodel.run_channels x WHERE x.model = score.model AND x.run = k ORDER BY x.position LOOP
        v := mixmodel._channel_term(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                 ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale, ch.coef,
                 (mixmodel._jf(i->'x'))[(ch.position - 1) * te + 1 : ch.position * te]);
        names := names || ch.channel;
        kinds := kinds || CASE WHEN ch.paid THEN 'channel' ELSE 'organic' END;
        vals := vals || v[t0 + a + 1 : t0 + b + 1];
    END LOOP;
    z := mixmodel._jf(i->'z');
    n_run := jsonb_array_length(ri->'periods');
    off := array_position(per, r.from_date) - 1;
    FOR c IN 1 .. nf LOOP
        SELECT x.coef INTO gam FROM mixmodel.run_coefficients x
         WHERE x.model = score.model AND x.run = k AND x.term = i->'fixed'->>(c - 1);
        names := names || (i->'fixed'->>(c - 1));
        kinds := kinds || (i->'fixed_kinds'->>(c - 1));
        IF i->'fixed_kinds'->>(c - 1) = 'trend' THEN
            -- the trend runs over the training window: 0 at its start, 1 at its end
            vals := vals || ARRAY(SELECT gam * (gs.j - off)::float8 / greatest(n_run - 1, 1) FROM generate_series(a, b) gs(j) ORDER BY gs.j);
        ELSE
            vals := vals || ARRAY(SELECT gam * z[(c - 1) * n + gs.j + 1] FROM generate_series(a, b) gs(j) ORDER BY gs.j);
        END IF;
    END LOOP;
    -- multiplicative: the training's nested log_share (channels share L(y, B), fixed terms L(B, P))
    IF mult THEN
        FOR t IN 1 .. len LOOP
            g := ARRAY(SELECT vals[(gc.q - 1) * len + t] FROM generate_series(1, nc) gc(q) ORDER BY gc.q);
            f := ARRAY(SELECT vals[(nc + gc.q - 1) * len + t] FROM generate_series(1, nf) gc(q) ORDER BY gc.q);
            pc := mixmodel._decompose_log_share(exp(icpt + coalesce((SELECT sum(e) FROM unnest(f) e), 0)), g);
            pf := mixmodel._decompose_log_share(exp(icpt), f);
            FOR c IN 1 .. nc LOOP vals[(c - 1) * len + t] := pc[c]; END LOOP;
            FOR c IN 1 .. nf LOOP vals[(nc + c - 1) * len + t] := pf[c]; END LOOP;
        END LOOP;
        icpt := exp(icpt);
    END IF;

    DELETE FROM mixmodel.scores s WHERE s.model = score.model AND s.run = k
       AND s.period >= from_date AND s.period <= to_date;
    GET DIAGNOSTICS replaced = ROW_COUNT;
    sp := mixmodel._jf(i->'spend');   -- channels x n, the window's periods; 0 for organic channels
    INSERT INTO mixmodel.scores (model, run, period, term, kind, contribution, spend)
    SELECT score.model, k, per[a + gt.j], '(intercept)', 'intercept', icpt, NULL FROM generate_series(1, len) gt(j)
    UNION ALL
    SELECT score.model, k, per[a + gt.j], names[gc.q], kinds[gc.q], vals[(gc.q - 1) * len + gt.j],
           CASE WHEN kinds[gc.q] = 'channel' THEN sp[(gc.q - 1) * n + a + gt.j] END
      FROM generate_series(1, nc + nf) gc(q), generate_series(1, len) gt(j);
    PERFORM mixmodel._aggregate_score(score.model, k, from_date, to_date, i);
    PERFORM mixmodel._audit_model(CASE WHEN replaced > 0 THEN 'rescore' ELSE 'score' END, model,
        jsonb_build_object('status', 'succeeded', 'run', k, 'from_date', from_date, 'to_date', to_date, 'periods', len));

    RETURN QUERY
    SELECT s.term, s.kind, count(*)::int, sum(s.contribution), sum(s.contribution) / nullif(sum(sum(s.contribution)) OVER (), 0)
      FROM mixmodel.scores s
     WHERE s.model = score.model AND s.run = k AND s.period >= from_date AND s.period <= to_date
     GROUP BY s.term, s.kind
     ORDER BY min(CASE s.kind WHEN 'intercept' THEN 0 WHEN 'channel' THEN 1 WHEN 'organic' THEN 2 ELSE 3 END), s.term;
EXCEPTION WHEN OTHERS OR query_canceled THEN
    -- recorded by a path that survives this transaction's rollback
    PERFORM mixmodel._op_failed('score', model, SQLSTATE, SQLERRM,
        jsonb_build_object('run', run, 'from_date', from_date, 'to_date', to_date));
    RAISE;
END $$;
COMMENT ON FUNCTION mixmodel.score(pg_catalog.text, pg_catalog.date, pg_catalog.date, pg_catalog.int4) IS
'Scores a run (default: the model''s current run) over a date range, also after training: reads the model''s data again, decomposes the prediction of every period into intercept, channels, organic channels and fixed terms (summing to the prediction), replaces the range''s rows of mixmodel.scores and returns per term the number of periods, the contribution and its share of the range''s prediction. Never touches plans.';

CREATE VIEW mixmodel.contributions WITH (security_invoker = true) AS
SELECT d.model, d.run, d.period, d.term, d.kind, d.contribution, 'training'::pg_catalog.text AS source,
       d.lower, d.upper
  FROM mixmodel.run_decomposition d
UNION ALL
SELECT s.model, s.run, s.period, s.term, s.kind, s.contribution, 'score'::pg_catalog.text, NULL, NULL
  FROM mixmodel.scores s;
COMMENT ON VIEW mixmodel.contributions IS 'Contribution of every term per period, long format: the training decomposition of every run and the periods mixmodel.score scored (the terms of a period and source sum to its prediction).';
COMMENT ON COLUMN mixmodel.contributions.model IS 'model name';
COMMENT ON COLUMN mixmodel.contributions.run IS 'training run';
COMMENT ON COLUMN mixmodel.contributions.period IS 'first day of the period';
COMMENT ON COLUMN mixmodel.contributions.term IS 'channel, organic channel, factor, trend, season_sin/cos k, holiday or (intercept)';
COMMENT ON COLUMN mixmodel.contributions.kind IS 'intercept, channel, organic, trend, season, holiday or factor';
COMMENT ON COLUMN mixmodel.contributions.contribution IS 'KPI units in the period (multiplicative models: log_share rule, formulas §2.2)';
COMMENT ON COLUMN mixmodel.contributions.source IS 'training (run_decomposition) or score (mixmodel.scores)';
COMMENT ON COLUMN mixmodel.contributions.lower IS 'Bayesian runs, training periods: lower end of the contribution''s credible interval at the run''s level; NULL otherwise';
COMMENT ON COLUMN mixmodel.contributions.upper IS 'Bayesian runs, training periods: upper end of that interval';

CREATE FUNCTION mixmodel.contribution(model pg_catalog.text, from_date pg_catalog.date, to_date pg_catalog.date)
    RETURNS TABLE (term pg_catalog.text, kind pg_catalog.text, periods pg_catalog.int4, contribution pg_catalog.float8,
                   revenue pg_catalog.float8, conversions pg_catalog.float8, spend pg_catalog.float8,
                   roi pg_catalog.float8, share pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text := model;
    d0 date := from_date;
    d1 date := to_date;
    k int;
    rpk float8;
    cpk float8;
BEGIN
    PERFORM mixmodel._check_date_range(d0, d1);
    k := mixmodel._score_run(m_name);
    SELECT f.revenue_per_kpi, f.conversions_per_kpi INTO rpk, cpk
      FROM mixmodel._model_kpi_units(m_name) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d WHERE d.model = m_name AND d.run = k AND d.period BETWEEN d0 AND d1)
       AND NOT EXISTS (SELECT 1 FROM mixmodel.scores s WHERE s.model = m_name AND s.run = k AND s.period BETWEEN d0 AND d1) THEN
        RAISE EXCEPTION 'the range holds no trained or scored periods of model "%"', m_name USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s.', d0, d1),
            HINT = 'Score the range first with mixmodel.score.';
    END IF;
    RETURN QUERY
    WITH w AS (
        -- a period's training decomposition, else its scores (as touchpoint_breakdown)
        SELECT d.period, d.term, d.kind, d.contribution FROM mixmodel.run_decomposition d
         WHERE d.model = m_name AND d.run = k AND d.period BETWEEN d0 AND d1
        UNION ALL
        SELECT s.period, s.term, s.kind, s.contribution FROM mixmodel.scores s
         WHERE s.model = m_name AND s.run = k AND s.period BETWEEN d0 AND d1
           AND NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d
                            WHERE d.model = s.model AND d.run = s.run AND d.period = s.period)
    ), sp AS (
        SELECT ps.channel, ps.period, ps.spend FROM mixmodel._period_spend(m_name, k) ps
         WHERE ps.period BETWEEN d0 AND d1
    ), g AS (
        SELECT w.term, w.kind, count(*)::int AS n, sum(w.contribution) AS contribution,
               CASE WHEN count(sp.spend) = count(*) THEN sum(sp.spend) END AS spend,
               min(CASE w.kind WHEN 'intercept' THEN 0 WHEN 'channel' THEN 1 WHEN 'organic' THEN 2 ELSE 3 END) AS o
          FROM w LEFT JOIN sp ON sp.channel = w.term AND sp.period = w.period
         GROUP BY w.term, w.kind
    )
    SELECT g.term, g.kind, g.n, g.contribution, g.contribution * rpk, g.contribution * cpk, g.spend,
           (g.contribution * rpk - g.spend) / nullif(g.spend, 0),
           g.contribution / nullif(sum(g.contribution) OVER (), 0)
      FROM g ORDER BY g.o, g.term;
END $$;
COMMENT ON FUNCTION mixmodel.contribution(pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'Contribution of every term of a model''s current run summed over a date range, for dbt: the training decomposition of the periods it covers, else the periods mixmodel.score scored (read only: it scores nothing); per term the periods summed, the contribution (KPI units), revenue and conversions (by the revenue per conversion of the training window, NULL when unknown), spend (paid channels, NULL when a period lies outside the run''s data), ROI = (revenue - spend) / spend and the share of the range''s prediction.';

CREATE VIEW mixmodel.synergy WITH (security_invoker = true) AS
SELECT m.name AS model, s.channel_a, s.channel_b, s.synergy, s.score_0_10
  FROM mixmodel.models m
  CROSS JOIN LATERAL mixmodel._run_synergy(m.name, m.current_run) s
 WHERE m.current_run IS NOT NULL;
COMMENT ON VIEW mixmodel.synergy IS 'Next-dollar synergy between the paid channels of every trained model''s current run over its training rows (formulas §4.7): the extra KPI when one more currency unit of each of two channels (spread by their weekly patterns) is spent together rather than apart, to first order; 0 for additive models, symmetric.';
COMMENT ON COLUMN mixmodel.synergy.model IS 'model name';
COMMENT ON COLUMN mixmodel.synergy.channel_a IS 'paid channel';
COMMENT ON COLUMN mixmodel.synergy.channel_b IS 'another paid channel';
COMMENT ON COLUMN mixmodel.synergy.synergy IS 'sum over the periods of yhat_t lift_a,t lift_b,t, KPI units';
COMMENT ON COLUMN mixmodel.synergy.score_0_10 IS '10 synergy / the model''s largest pair synergy (0 when none is positive)';

CREATE VIEW mixmodel.base_breakdown WITH (security_invoker = true) AS
SELECT d.model, d.term, d.kind, sum(d.contribution) AS contribution,
       sum(d.contribution) / nullif(sum(sum(d.contribution)) OVER (PARTITION BY d.model), 0) AS share_of_base
  FROM mixmodel.models m
  JOIN mixmodel.run_decomposition d ON d.model = m.name AND d.run = m.current_run
  JOIN mixmodel.run_fit f ON f.model = d.model AND f.run = d.run AND f.period = d.period AND NOT f.holdout
 WHERE d.kind NOT IN ('channel', 'organic')
 GROUP BY d.model, d.term, d.kind;
COMMENT ON VIEW mixmodel.base_breakdown IS 'The base of every trained model''s current run over its training rows (everything but paid and organic channels): the pure base (intercept) against each factor, trend, season and holiday term, with its share of the base.';
COMMENT ON COLUMN mixmodel.base_breakdown.model IS 'model name';
COMMENT ON COLUMN mixmodel.base_breakdown.term IS '(intercept), trend, season_sin/cos k, holiday or a factor';
COMMENT ON COLUMN mixmodel.base_breakdown.kind IS 'intercept (pure base), trend, season, holiday or factor';
COMMENT ON COLUMN mixmodel.base_breakdown.contribution IS 'KPI units over the training rows';
COMMENT ON COLUMN mixmodel.base_breakdown.share_of_base IS 'contribution / the base''s total (terms may be negative)';

CREATE VIEW mixmodel.touchpoint_breakdown WITH (security_invoker = true) AS
-- one model at a time (LATERAL): its rows join its own period spend, so the work is
-- linear in the models whatever the planner estimates for the functions
SELECT w.model, w.period, w.channel, w.spend,
       w.contribution * cur.conversions_per_kpi AS conversions, w.contribution * cur.revenue_per_kpi AS revenue,
       (w.contribution * cur.revenue_per_kpi - w.spend) / nullif(w.spend, 0) AS roi,
       w.spend / nullif(w.contribution * cur.conversions_per_kpi, 0) AS cpa,
       w.training_row, w.contribution, cur.kpi_unit
  FROM (SELECT r.model, r.run, u.kpi_unit, f.revenue_per_kpi, f.conversions_per_kpi
          FROM mixmodel.models m JOIN mixmodel.runs r ON r.model = m.name AND r.run = m.current_run
         CROSS JOIN LATERAL mixmodel._model_kpi_units(m.name) u
         CROSS JOIN LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f) cur
 CROSS JOIN LATERAL (
    WITH sp AS MATERIALIZED (
        SELECT ps.channel, ps.period, ps.spend FROM mixmodel._period_spend(cur.model, cur.run) ps
    ), rows AS (
        SELECT d.period, d.term, d.contribution FROM mixmodel.run_decomposition d
         WHERE d.model = cur.model AND d.run = cur.run
        UNION ALL
        SELECT s.period, s.term, s.contribution FROM mixmodel.scores s
         WHERE s.model = cur.model AND s.run = cur.run
           AND NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d
                            WHERE d.model = s.model AND d.run = s.run AND d.period = s.period)
    )
    SELECT cur.model, x.period, x.term AS channel, sp.spend, x.contribution,
           coalesce(NOT f.holdout, false) AS training_row
      FROM rows x
      JOIN mixmodel.run_channels c ON c.model = cur.model AND c.run = cur.run AND c.channel = x.term AND c.paid
      LEFT JOIN mixmodel.run_fit f ON f.model = cur.model AND f.run = cur.run AND f.period = x.period
      LEFT JOIN sp ON sp.channel = x.term AND sp.period = x.period
 ) w;
COMMENT ON VIEW mixmodel.touchpoint_breakdown IS 'Weekly touchpoint breakdown (Adobe Mix Modeler): every paid channel of every trained model''s current run per period, from the training decomposition and the periods mixmodel.score scored beyond it, with the period''s spend (_period_spend: the run''s training data, then the scored spend), conversions, revenue, ROI and CPA. The contribution counts the KPI''s unit (kpi_unit); the other unit comes from the revenue per conversion of the training window (_model_kpi_units), NULL when unknown.';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.model IS 'model name';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.period IS 'first day of the period (week)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.channel IS 'paid channel (model input column or touchpoint)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.spend IS 'the channel''s model input in the period; NULL for scored periods outside the run''s data';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.conversions IS 'conversions attributed to the channel in the period: the contribution for a conversions KPI, contribution / revenue per conversion for a revenue KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.revenue IS 'revenue attributed to the channel in the period: the contribution for a revenue KPI, contribution x revenue per conversion for a conversions KPI (NULL when that is unknown); for a multiplicative model the log_share rule';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.roi IS '(revenue - spend) / spend; NULL when spend is 0 or unknown, or revenue unknown';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.cpa IS 'spend / conversions; NULL when conversions are 0 or unknown, or spend unknown';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.training_row IS 'the period is a training row of the run (in the training window, not holdout): the rows channel_performance sums';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.contribution IS 'the channel''s contribution in the period, in KPI units (kpi_unit)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.kpi_unit IS 'what the model''s KPI counts: revenue or conversions';
