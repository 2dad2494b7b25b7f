-- model: train, select_candidate and their helpers (doc/model.md)

CREATE FUNCTION mixmodel._jf(j jsonb)
    RETURNS float8[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(pg_catalog.array_agg(e.v::pg_catalog.float8 ORDER BY e.i), '{}')
              FROM pg_catalog.jsonb_array_elements_text(j) WITH ORDINALITY e(v, i));
COMMENT ON FUNCTION mixmodel._jf(jsonb) IS 'Internal: a jsonb array of numbers (or NaN/Infinity strings) as float8[].';

CREATE FUNCTION mixmodel._ji(j jsonb)
    RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(pg_catalog.array_agg(e.v::pg_catalog.int4 ORDER BY e.i), '{}')
              FROM pg_catalog.jsonb_array_elements_text(j) WITH ORDINALITY e(v, i));
COMMENT ON FUNCTION mixmodel._ji(jsonb) IS 'Internal: a jsonb array of integers as integer[].';

CREATE FUNCTION mixmodel._jt(j jsonb)
    RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(pg_catalog.array_agg(e.v ORDER BY e.i), '{}')
              FROM pg_catalog.jsonb_array_elements_text(j) WITH ORDINALITY e(v, i));
COMMENT ON FUNCTION mixmodel._jt(jsonb) IS 'Internal: a jsonb array of strings as text[].';

-- one numeric range option [lo, hi] inside [min, max]
CREATE FUNCTION mixmodel._model_range(o jsonb, key text, channel text, dlo float8, dhi float8,
        vmin float8, vmax float8, min_open boolean, max_open boolean)
    RETURNS float8[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v jsonb := o->key;
    lo float8;
    hi float8;
BEGIN
    IF v IS NULL THEN
        RETURN ARRAY[dlo, dhi];
    END IF;
    IF jsonb_typeof(v) = 'number' THEN
        lo := v::text::float8; hi := lo;
    ELSIF jsonb_typeof(v) = 'array' AND jsonb_array_length(v) = 2 THEN
        lo := (v->>0)::float8; hi := (v->>1)::float8;
    ELSE
        RAISE EXCEPTION 'bounds of "%" for channel "%" must be a number or [low, high]', key, channel
            USING ERRCODE = '22023', DETAIL = format('Got %s.', v);
    END IF;
    IF lo > hi OR lo < vmin OR hi > vmax OR (min_open AND lo = vmin) OR (max_open AND hi = vmax) THEN
        RAISE EXCEPTION 'bounds of "%" for channel "%" are out of range', key, channel
            USING ERRCODE = '22023',
                  DETAIL = format('Got [%s, %s]; the range is %s%s, %s%s.', lo, hi,
                                  CASE WHEN min_open THEN '(' ELSE '[' END, vmin, vmax,
                                  CASE WHEN max_open THEN ')' ELSE ']' END);
    END IF;
    RETURN ARRAY[lo, hi];
END $$;
COMMENT ON FUNCTION mixmodel._model_range(jsonb, text, text, float8, float8, float8, float8, boolean, boolean) IS 'Internal: a hyperparameter range option, default or checked against its valid range (22023).';

-- the model's data and resolved configuration as the arrays train_core takes
CREATE FUNCTION mixmodel._model_inputs(model text, from_date date, to_date date, scoring boolean DEFAULT false)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    o jsonb;
    def jsonb;
    form text;
    periods date[];
    y float8[];
    col text;
    arr float8[];
    orgx float8[];
    channels text[] := '{}';
    paid boolean[] := '{}';
    xs float8[] := '{}';
    fnames text[] := '{}';
    fkinds text[] := '{}';
    fz float8[] := '{}';
    zlo float8[] := '{}';
    zhi float8[] := '{}';
    T int; t0 int; n int; t_end int; n_train int; n_val int;
    d_from date; d_to date;
    c int; k int; ii int;
    znames text[] := '{}';
    spend float8[] := '{}';
    spx float8[] := '{}';
    scol text;
    adstock text[] := '{}';
    sat text[] := '{}';
    max_lag int[] := '{}';
    norm int[] := '{}';
    lo float8[] := '{}';
    hi float8[] := '{}';
    prior float8[] := '{}';
    prior_w float8[] := '{}';
    co jsonb;
    ak text; sk text; ml int; lag float8; r1 float8[]; r2 float8[]; s1 float8[]; s2 float8[];
    lookback int;
    order_k int;
    years numeric;
    cal regclass;
    country text;
    hol float8[];
    e_imm int[] := '{}';
    e_ch int[] := '{}'; e_r0 int[] := '{}'; e_r1 int[] := '{}'; e_lift float8[] := '{}'; e_scale float8[] := '{}';
    e_se float8[] := '{}';
    calibration text;
    bayes boolean;
    bp jsonb;
    w_gauss float8;
    ex record;
    w_nrmse float8; w_rssd float8; w_prior float8; w_lift float8;
    sd float8; mn float8;
BEGIN
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    o := m.options;
    def := m.definition;
    form := coalesce(o->>'form', 'additive');
    calibration := coalesce(o->>'calibration', 'mape_lift');
    -- inference bayes (the default) and map share the posterior; ridge is Robyn's search
    bayes := coalesce(o->>'inference', 'bayes') IN ('bayes', 'map');

    -- data, in period order
    IF m.source_kind = 'wide' THEN
        -- one query reads every column (one scan of the source, one round of shard
        -- queries on Citus); each list comes back as a 2-D array, a row per column
        SELECT * INTO periods, y, xs, spx, orgx, fz FROM mixmodel._wide_source_arrays(m.source, def, o);
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'media') e LOOP
            channels := channels || col; paid := paid || true;
        END LOOP;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'organic') e LOOP
            channels := channels || col; paid := paid || false;
        END LOOP;
        xs := xs || orgx; spx := spx || orgx;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'factors') e LOOP
            fnames := fnames || col;
        END LOOP;
    ELSE
        SELECT array_agg(s.period ORDER BY s.period), array_agg(coalesce(s.revenue, s.conversions) ORDER BY s.period)
          INTO periods, y FROM mixmodel.conversion_series(def->>'conversion') s;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'touchpoints') e LOOP
            SELECT array_agg(CASE WHEN tp.spend_metric IS NOT NULL THEN coalesce(s.spend, 0) ELSE coalesce(s.volume, 0) END ORDER BY p.d)
              INTO arr
              FROM mixmodel.touchpoints tp, unnest(periods) p(d) LEFT JOIN mixmodel.touchpoint_series(col) s ON s.period = p.d
             WHERE tp.name = col;
            channels := channels || col;
            paid := paid || (SELECT x.spend_metric IS NOT NULL FROM mixmodel.touchpoints x WHERE x.name = col);
            xs := xs || arr; spx := spx || arr;
        END LOOP;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'factors') e LOOP
            SELECT array_agg(s.value ORDER BY p.d) INTO arr
              FROM unnest(periods) p(d) LEFT JOIN mixmodel._factor_series(col, 'week', NULL, NULL, m.owner) s ON s.period = p.d;
            fnames := fnames || col; fz := fz || arr;
        END LOOP;
    END IF;
    T := coalesce(cardinality(periods), 0);
    IF T = 0 THEN
        RAISE EXCEPTION 'model "%" has no data', model USING ERRCODE = '22000';
    END IF;
    IF (SELECT count(*) FROM unnest(periods) p WHERE p IS NULL) > 0 OR
       (SELECT count(DISTINCT p) <> count(*) FROM unnest(periods) p) THEN
        RAISE EXCEPTION 'the date column of model "%" has NULL or duplicate periods', model USING ERRCODE = '22000';
    END IF;
    IF T > 2 AND (SELECT count(DISTINCT periods[g.j + 1] - periods[g.j]) FROM generate_series(1, T - 1) g(j)) > 1 THEN
        RAISE EXCEPTION 'the periods of model "%" are not evenly spaced', model USING ERRCODE = '22000',
            DETAIL = format('First gap after %s.',
                            (SELECT periods[g.j] FROM generate_series(1, T - 1) g(j)
                              WHERE periods[g.j + 1] - periods[g.j] <> periods[2] - periods[1] ORDER BY g.j LIMIT 1)),
            HINT = 'Add the missing periods (with 0 spend) to the source.';
    END IF;

    -- training window: arguments, else options, else the last 2 years with a KPI
    d_to := coalesce(to_date, (o #>> '{training_window,to}')::date,
                     (SELECT max(p) FROM unnest(periods, y) u(p, v) WHERE v IS NOT NULL));
    IF d_to IS NULL THEN
        RAISE EXCEPTION 'the KPI of model "%" has no values', model USING ERRCODE = '22000';
    END IF;
    years := coalesce((o #>> '{training_window,years}')::numeric, 2);
    -- default window: ridge the last 2 years (Robyn-compatible), bayes every period with a KPI
    d_from := coalesce(from_date, (o #>> '{training_window,from}')::date,
                       CASE WHEN bayes AND NOT coalesce(o->'training_window', '{}') ? 'years'
                            THEN (SELECT min(p) FROM unnest(periods, y) u(p, v) WHERE v IS NOT NULL AND p <= d_to) END,
                       (d_to - make_interval(days => (round(years * 364))::int - 7))::date);
    SELECT min(i) - 1, max(i) INTO t0, t_end FROM generate_subscripts(periods, 1) i
     WHERE periods[i] >= d_from AND periods[i] <= d_to;
    n := coalesce(t_end - t0, 0);
    IF n < 1 THEN
        RAISE EXCEPTION 'the training window of model "%" holds no periods', model USING ERRCODE = '22000',
            DETAIL = format('Window %s to %s.', d_from, d_to);
    END IF;
    -- one rule however the window is given (default, option, train's range): a year at least
    PERFORM mixmodel._check_training_window(model, periods[t0 + 1 : t_end], periods[2] - periods[1], scoring);
    IF (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE y[i] IS NOT NULL) = 0 THEN
        RAISE EXCEPTION 'the KPI of model "%" has no values in the training window', model USING ERRCODE = '22000';
    END IF;
    SELECT min(periods[i]) INTO d_from FROM generate_series(t0 + 1, t_end) i WHERE y[i] IS NULL;
    IF d_from IS NOT NULL AND NOT coalesce(scoring, false) THEN  -- scoring: new periods without an outcome yet
        RAISE EXCEPTION 'the KPI of model "%" is NULL in the training window', model USING ERRCODE = '22000',
            DETAIL = format('First NULL at %s.', d_from), HINT = 'Fill the gap or move the training window.';
    END IF;
    IF form = 'multiplicative' AND
       (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE y[i] <= 0) > 0 THEN
        RAISE EXCEPTION 'multiplicative model needs a positive KPI' USING ERRCODE = '2201E',
            DETAIL = format('%s periods of the training window have a KPI <= 0.',
                            (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE y[i] <= 0)),
            HINT = 'Use form "additive", or move the training window.';
    END IF;

    -- media: history before the window feeds adstock; rows after it are dropped
    c := cardinality(channels);
    arr := '{}';
    FOR k IN 1 .. c LOOP
        IF (SELECT count(*) FROM generate_series(1, t_end) i WHERE xs[(k - 1) * T + i] IS NULL) > 0 THEN
            RAISE EXCEPTION 'channel "%" has NULL values', channels[k] USING ERRCODE = '22000',
                HINT = 'Replace missing spend by 0 if nothing was spent.';
        END IF;
        IF (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE xs[(k - 1) * T + i] <> 0) = 0 THEN
            RAISE EXCEPTION 'channel "%" is all zero in the training window', channels[k] USING ERRCODE = '22000',
                HINT = 'Remove the channel from the model or move the training window.';
        END IF;
        IF (SELECT count(DISTINCT xs[(k - 1) * T + i]) FROM generate_series(t0 + 1, t_end) i) = 1 THEN
            RAISE WARNING 'channel "%" is constant in the training window', channels[k]
                USING DETAIL = 'Its effect cannot be told apart from the baseline; the fit keeps it but its contribution is not identified.';
        END IF;
        IF (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE xs[(k - 1) * T + i] < 0) > 0 THEN
            RAISE EXCEPTION 'channel "%" has negative values', channels[k] USING ERRCODE = '22023';
        END IF;
        arr := arr || xs[(k - 1) * T + 1 : (k - 1) * T + t_end];
        spend := spend || CASE WHEN paid[k] THEN spx[(k - 1) * T + t0 + 1 : (k - 1) * T + t_end]
                               ELSE array_fill(0::float8, ARRAY[n]) END;
    END LOOP;
    xs := arr;

    -- fixed regressors over the window: trend, Fourier yearly terms, holidays, factors
    arr := '{}';
    IF coalesce((o->>'trend')::boolean, true) THEN
        fkinds := fkinds || 'trend'::text; znames := znames || 'trend'::text; zlo := zlo || '-Infinity'::float8; zhi := zhi || 'Infinity'::float8;
        arr := arr || (SELECT array_agg(i::float8 / greatest(n - 1, 1) ORDER BY i) FROM generate_series(0, n - 1) i);
    END IF;
    order_k := coalesce((o->>'seasonality')::int, 2);
    FOR k IN 1 .. order_k LOOP
        arr := arr || (SELECT array_agg(sin(2 * pi() * k * (periods[i] - make_date(extract(year FROM periods[i])::int, 1, 1)) / 365.25) ORDER BY i)
                         FROM generate_series(t0 + 1, t_end) i);
        arr := arr || (SELECT array_agg(cos(2 * pi() * k * (periods[i] - make_date(extract(year FROM periods[i])::int, 1, 1)) / 365.25) ORDER BY i)
                         FROM generate_series(t0 + 1, t_end) i);
        fkinds := fkinds || ARRAY['season', 'season'];
        znames := znames || ARRAY['season_sin' || k, 'season_cos' || k];
        zlo := zlo || '-Infinity'::float8 || '-Infinity'::float8; zhi := zhi || 'Infinity'::float8 || 'Infinity'::float8;
    END LOOP;
    IF o ? 'holidays' THEN
        BEGIN
            cal := (o #>> '{holidays,calendar}')::regclass;
        EXCEPTION WHEN undefined_table OR invalid_name OR invalid_text_representation THEN
            RAISE EXCEPTION 'holiday calendar "%" does not exist', o #>> '{holidays,calendar}' USING ERRCODE = '42P01';
        END;
        IF cal IS NULL THEN
            RAISE EXCEPTION 'option "holidays" needs a "calendar" table (country, holiday_date)' USING ERRCODE = '22023';
        END IF;
        country := coalesce(o #>> '{holidays,country}', 'US');
        EXECUTE format('SELECT pg_catalog.array_agg((EXISTS (SELECT 1 FROM %s h WHERE h.country = $2 AND h.holiday_date >= p.d AND h.holiday_date < p.d + 7))::int::float8 ORDER BY p.i)
                          FROM unnest($1) WITH ORDINALITY p(d, i)', cal)
           INTO hol USING periods[t0 + 1 : t_end], country;
        fkinds := fkinds || 'holiday'::text; znames := znames || 'holiday'::text; zlo := zlo || '-Infinity'::float8; zhi := zhi || 'Infinity'::float8;
        arr := arr || hol;
    END IF;
    FOR k IN 1 .. cardinality(fnames) LOOP
        IF (SELECT count(*) FROM generate_series(t0 + 1, t_end) i WHERE fz[(k - 1) * T + i] IS NULL) > 0 THEN
            RAISE EXCEPTION 'factor "%" has NULL values in the training window', fnames[k] USING ERRCODE = '22000';
        END IF;
        arr := arr || fz[(k - 1) * T + t0 + 1 : (k - 1) * T + t_end];
        fkinds := fkinds || 'factor'::text; znames := znames || fnames[k];
        CASE coalesce(o #>> ARRAY['factor_signs', fnames[k]], 'auto')
            WHEN 'positive' THEN zlo := zlo || 0::float8; zhi := zhi || 'Infinity'::float8;
            WHEN 'negative' THEN zlo := zlo || '-Infinity'::float8; zhi := zhi || 0::float8;
            ELSE zlo := zlo || '-Infinity'::float8; zhi := zhi || 'Infinity'::float8;
        END CASE;
    END LOOP;
    IF n < greatest(26, 2 * (c + cardinality(fkinds) + 1)) THEN
        RAISE EXCEPTION 'too few periods in the training window for the model''s parameters' USING ERRCODE = '22000',
            DETAIL = format('%s periods for %s regressors; at least %s are needed.', n, c + cardinality(fkinds),
                            greatest(26, 2 * (c + cardinality(fkinds) + 1))),
            HINT = 'Lengthen the training window, or drop channels, factors or seasonality terms.';
    END IF;
    FOR k IN 1 .. cardinality(fkinds) LOOP
        SELECT avg(v), stddev_pop(v) INTO mn, sd FROM unnest(arr[(k - 1) * n + 1 : k * n]) v;
        IF sd = 0 AND fkinds[k] = 'factor' THEN
            RAISE WARNING 'factor "%" is constant in the training window; its coefficient is 0', znames[k];
        END IF;
    END LOOP;

    -- channel boxes (doc/model.md: defaults and valid ranges)
    lookback := (o->>'lookback')::int;
    FOR k IN 1 .. c LOOP
        co := coalesce(o #> ARRAY['channels', channels[k]], '{}');
        ak := coalesce(co->>'adstock', o->>'adstock', 'geometric');
        -- ridge keeps Adobe's power curve for multiplicative models; bayes fits Hill in both forms
        sk := coalesce(co->>'saturation', o->>'saturation', CASE WHEN form = 'multiplicative' AND NOT bayes THEN 'power' ELSE 'hill' END);
        IF NOT ak IN ('geometric', 'weibull_cdf', 'weibull_pdf', 'delayed') THEN
            RAISE EXCEPTION 'unknown adstock "%" for channel "%"', ak, channels[k] USING ERRCODE = '22023';
        END IF;
        IF NOT sk IN ('hill', 'logistic', 'michaelis_menten', 'power', 'tanh') THEN
            RAISE EXCEPTION 'unknown saturation "%" for channel "%"', sk, channels[k] USING ERRCODE = '22023';
        END IF;
        ml := coalesce((co->>'max_lookback')::int, lookback);
        lag := (co->>'lag')::float8;
        IF ml IS NOT NULL AND (ml < 1 OR ml > 52) THEN
            RAISE EXCEPTION 'max_lookback of channel "%" must be in the range [1, 52] weeks', channels[k] USING ERRCODE = '22023';
        END IF;
        IF coalesce(lag, 0) + coalesce(ml, 0) > n / 8 THEN
            RAISE EXCEPTION 'lag + max lookback of channel "%" exceeds the training window / 8', channels[k]
                USING ERRCODE = '22023',
                      DETAIL = format('lag %s + max lookback %s > %s weeks.', coalesce(lag, 0), coalesce(ml, 0), n / 8);
        END IF;
        IF ak = 'geometric' THEN
            r1 := mixmodel._model_range(co, 'theta', channels[k], 0, 0.8, 0, 0.99, false, false);
            r2 := ARRAY[0, 0]::float8[];
            ml := coalesce(ml, -1);
        ELSIF ak IN ('weibull_cdf', 'weibull_pdf') THEN
            r1 := mixmodel._model_range(co, 'shape', channels[k], 0.0001, CASE WHEN ak = 'weibull_cdf' THEN 2 ELSE 10 END, 0, 20, false, true);
            r2 := mixmodel._model_range(co, 'scale', channels[k], 0, 0.1, 0, 1, false, false);
            -- ridge: Robyn's relative scale over the whole series; bayes: PyMC's absolute lambda over max lookback lags
            ml := CASE WHEN bayes THEN coalesce(ml, least(12, n / 8)) ELSE 0 END;
        ELSE
            ml := coalesce(ml, least(8, n / 8 - coalesce(lag, 0)::int));
            r1 := mixmodel._model_range(co, 'alpha_decay', channels[k], 0.1, 0.9, 0, 1, true, false);
            r2 := CASE WHEN lag IS NOT NULL THEN ARRAY[lag, lag] ELSE ARRAY[0, ml]::float8[] END;
            IF lag IS NOT NULL AND (lag < 0 OR lag > ml) THEN
                RAISE EXCEPTION 'lag of channel "%" must be in the range [0, max lookback]', channels[k] USING ERRCODE = '22023';
            END IF;
        END IF;
        IF sk = 'hill' THEN
            s1 := mixmodel._model_range(co, 'alpha', channels[k], 0.5, 3, 0, 10, true, true);
            s2 := mixmodel._model_range(co, 'gamma', channels[k], 0.3, 1, 0, 1, true, false);
        ELSIF sk = 'michaelis_menten' THEN
            s1 := ARRAY[1, 1]::float8[];
            s2 := mixmodel._model_range(co, 'gamma', channels[k], 0.05, 2, 0, 100, true, false);
        ELSIF sk = 'power' THEN
            s1 := mixmodel._model_range(co, 'power', channels[k], 0.1, 0.9, 0, 1, true, false);
            s2 := ARRAY[0, 0]::float8[];
        ELSIF sk = 'tanh' THEN
            -- b tanh(a / (b c)): the coefficient is the ceiling, so b = 1 and c is searched
            s1 := ARRAY[1, 1]::float8[];
            s2 := mixmodel._model_range(co, 'c', channels[k], 0.1, 2, 0, 100, true, false);
        ELSE
            s1 := mixmodel._model_range(co, 'lam', channels[k], 0.5, 10, 0, 1000, true, false);
            s2 := ARRAY[0, 0]::float8[];
        END IF;
        adstock := adstock || ak; sat := sat || sk; max_lag := max_lag || ml;
        -- bayes normalises the adstock weights by default (PyMC, Meridian): the saturation sees spend-scale input
        norm := norm || CASE WHEN coalesce((co->>'normalize')::boolean, (o->>'normalize')::boolean, bayes) THEN 1 ELSE 0 END;
        lo := lo || r1[1] || r2[1] || s1[1] || s2[1];
        hi := hi || r1[2] || r2[2] || s1[2] || s2[2];
        prior := prior || coalesce((o #>> ARRAY['priors', channels[k], 'contribution'])::float8, 'NaN'::float8);
        prior_w := prior_w || (SELECT least(cf, 0.99) / (1 - least(cf, 0.99))
                                 FROM coalesce((o #>> ARRAY['priors', channels[k], 'confidence'])::float8, 0.5) cf);
    END LOOP;
    FOR col IN SELECT jsonb_object_keys(coalesce(o->'channels', '{}')) UNION ALL
               SELECT jsonb_object_keys(coalesce(o->'priors', '{}')) LOOP
        IF NOT col = ANY (channels) THEN
            RAISE EXCEPTION 'channel "%" of the options is not in the model', col USING ERRCODE = '42704';
        END IF;
    END LOOP;
    FOR col IN SELECT jsonb_object_keys(coalesce(o->'factor_signs', '{}')) LOOP
        IF NOT col = ANY (fnames) THEN
            RAISE EXCEPTION 'factor "%" of the options is not in the model', col USING ERRCODE = '42704';
        END IF;
    END LOOP;

    -- experiments: (channel, start_date, end_date, lift_abs, lift_se, spend, scope)
    IF o ? 'experiments' THEN
        IF jsonb_typeof(o->'experiments') = 'string' THEN
            BEGIN
                EXECUTE format('SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t) ORDER BY t.channel, t.start_date), ''[]'') FROM %s t',
                               (o->>'experiments')::regclass)
                   INTO co;
            EXCEPTION WHEN undefined_table OR undefined_column OR invalid_name THEN
                RAISE EXCEPTION 'experiments table "%" is missing or lacks its columns', o->>'experiments' USING ERRCODE = '42P01',
                    HINT = 'It needs channel, start_date, end_date and lift_abs (lift_se, spend, scope optional).';
            END;
        ELSE
            co := o->'experiments';
        END IF;
        FOR ex IN
            SELECT * FROM jsonb_to_recordset(co)
                     AS e(channel text, start_date date, end_date date, lift_abs float8, lift_se float8, spend float8, scope text)
        LOOP
            k := array_position(channels, ex.channel);
            IF k IS NULL THEN
                RAISE EXCEPTION 'experiment channel "%" is not in the model', ex.channel USING ERRCODE = '42704';
            END IF;
            IF ex.start_date IS NULL OR ex.end_date IS NULL OR ex.end_date < ex.start_date OR ex.lift_abs IS NULL THEN
                RAISE EXCEPTION 'experiment of channel "%" needs start_date <= end_date and lift_abs', ex.channel USING ERRCODE = '22023';
            END IF;
            SELECT min(i) - 1, max(i) - 1 INTO t_end, ii FROM generate_series(t0 + 1, t0 + n) i
             WHERE periods[i] + 6 >= ex.start_date AND periods[i] <= ex.end_date;
            IF t_end IS NULL THEN
                RAISE EXCEPTION 'experiment of channel "%" lies outside the training window', ex.channel USING ERRCODE = '22023';
            END IF;
            e_ch := e_ch || (k - 1); e_r0 := e_r0 || (t_end - t0); e_r1 := e_r1 || (ii - t0);
            IF NOT coalesce(ex.scope, 'total') IN ('total', 'immediate') THEN
                RAISE EXCEPTION 'experiment scope must be total or immediate' USING ERRCODE = '22023',
                    DETAIL = format('Got "%s" for channel "%s".', ex.scope, ex.channel);
            END IF;
            e_imm := e_imm || CASE WHEN ex.scope = 'immediate' THEN 1 ELSE 0 END;
            IF ex.lift_se IS NOT NULL AND NOT (ex.lift_se > 0 AND ex.lift_se < 'Infinity') THEN
                RAISE EXCEPTION 'lift_se of the experiment of channel "%" must be positive and finite', ex.channel
                    USING ERRCODE = '22023', DETAIL = format('Got %s for the study from %s.', ex.lift_se, to_char(ex.start_date, 'YYYY-MM-DD'));
            END IF;
            IF ex.lift_se IS NULL AND calibration = 'gaussian' THEN
                RAISE EXCEPTION 'experiment of channel "%" has no lift_se', ex.channel USING ERRCODE = '22023',
                    DETAIL = format('The study from %s to %s.', to_char(ex.start_date, 'YYYY-MM-DD'), to_char(ex.end_date, 'YYYY-MM-DD')),
                    HINT = 'Calibration "gaussian" weighs each study by its standard error; give lift_se or use calibration "mape_lift".';
            END IF;
            e_se := e_se || ex.lift_se;
            e_lift := e_lift || ex.lift_abs;
            e_scale := e_scale || ((ex.end_date - ex.start_date + 1)::float8 / (7 * (ii - t_end + 1)));
        END LOOP;
    END IF;

    w_nrmse := coalesce((o #>> '{objective_weights,nrmse}')::float8, 1);
    w_rssd := coalesce((o #>> '{objective_weights,decomp_rssd}')::float8,
                       CASE WHEN coalesce((o->>'spend_share_prior')::boolean, false) THEN 1 ELSE 0.1 END);
    w_prior := coalesce((o #>> '{objective_weights,prior}')::float8, 1);
    w_lift := coalesce((o #>> '{objective_weights,mape_lift}')::float8, 1);
    -- calibration gaussian: the Gaussian penalty replaces MAPE.LIFT in the objective and on the front
    w_gauss := coalesce((o #>> '{objective_weights,lift_gaussian}')::float8, 1);
    IF calibration = 'gaussian' THEN
        w_lift := 0;
    ELSE
        w_gauss := 0;
    END IF;
    IF o ? 'train_size' THEN
        -- Robyn's ts_validation (formulas §2.3): rows 1..floor(1 + train_size (n - 1)) train,
        -- the next floor((1 - train_size) / 2 * n) validate, the rest test
        n_train := floor(1 + (o->>'train_size')::float8 * (n - 1))::int;
        n_val := floor((1 - (o->>'train_size')::float8) / 2 * n)::int;
    ELSE
        n_train := n - floor(n * coalesce((o->>'holdout')::float8, 0.25))::int;
        n_val := 0;
    END IF;

    IF bayes THEN
        bp := mixmodel._model_bayes_inputs(o, channels, paid, adstock, sat, max_lag, y[t0 + 1 : t0 + n_train],
                                           spend, n, form, zlo, zhi, e_se);
    END IF;
    RETURN coalesce(bp, '{}') || jsonb_build_object(
        'periods', to_jsonb(periods[t0 + 1 : t0 + n]), 'y', to_jsonb(y[t0 + 1 : t0 + n]),
        'x', to_jsonb(xs), 'spend', to_jsonb(spend), 'channels', to_jsonb(channels), 'paid', to_jsonb(paid),
        'adstock', to_jsonb(adstock), 'max_lag', to_jsonb(max_lag), 'normalize', to_jsonb(norm),
        'saturation', to_jsonb(sat), 'lo', to_jsonb(lo), 'hi', to_jsonb(hi),
        'z', to_jsonb(arr), 'zlo', to_jsonb(zlo), 'zhi', to_jsonb(zhi), 'fixed', to_jsonb(znames), 'fixed_kinds', to_jsonb(fkinds),
        't0', t0, 'n_train', n_train, 'n_val', n_val, 'form', form,
        'intercept_nonneg', coalesce(o->>'intercept_sign', 'non_negative') = 'non_negative',
        'prior', to_jsonb(prior), 'prior_weight', to_jsonb(prior_w),
        'exp_channel', to_jsonb(e_ch), 'exp_r0', to_jsonb(e_r0), 'exp_r1', to_jsonb(e_r1),
        'exp_lift', to_jsonb(e_lift), 'exp_scale', to_jsonb(e_scale), 'exp_immediate', to_jsonb(e_imm),
        'exp_se', to_jsonb(e_se), 'calibration', calibration,
        'weights', to_jsonb(ARRAY[w_nrmse, w_rssd, w_prior, w_lift, w_gauss]),
        'local_share', coalesce((o->>'local_share')::float8, 0.2));
END $$;
COMMENT ON FUNCTION mixmodel._model_inputs(text, date, date, boolean) IS 'Internal: reads a model''s data in period order, checks it and resolves its options into the arrays of train_core; scoring: the KPI may be NULL in the window (mixmodel.score of periods without an outcome yet; y holds NULL there).';

CREATE FUNCTION mixmodel._model_fit(i jsonb, budget integer, seed bigint, hp float8[])
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN mixmodel.train_core(mixmodel._jf(i->'y'), mixmodel._jf(i->'x'), mixmodel._jf(i->'spend'),
        mixmodel._jt(i->'channels'),
        (SELECT pg_catalog.array_agg(e.v::boolean::int ORDER BY e.k) FROM pg_catalog.jsonb_array_elements_text(i->'paid') WITH ORDINALITY e(v, k)),
        mixmodel._jt(i->'adstock'), mixmodel._ji(i->'max_lag'), mixmodel._ji(i->'normalize'),
        mixmodel._jt(i->'saturation'), mixmodel._jf(i->'lo'), mixmodel._jf(i->'hi'),
        mixmodel._jf(i->'z'), mixmodel._jf(i->'zlo'), mixmodel._jf(i->'zhi'),
        (i->>'t0')::int, (i->>'n_train')::int, i->>'form', (i->>'intercept_nonneg')::boolean,
        mixmodel._jf(i->'prior'), mixmodel._jf(i->'prior_weight'),
        mixmodel._ji(i->'exp_channel'), mixmodel._ji(i->'exp_r0'), mixmodel._ji(i->'exp_r1'),
        mixmodel._jf(i->'exp_lift'), mixmodel._jf(i->'exp_scale'),
        coalesce(mixmodel._ji(i->'exp_immediate'), pg_catalog.array_fill(0, ARRAY[pg_catalog.jsonb_array_length(i->'exp_lift')])),
        mixmodel._jf(i->'weights') || CASE WHEN pg_catalog.jsonb_array_length(i->'weights') = 4 THEN ARRAY[0::pg_catalog.float8] ELSE '{}' END,
        budget, (i->>'local_share')::float8, seed, hp,
        CASE WHEN i ? 'exp_se' THEN mixmodel._jf(i->'exp_se')
             ELSE pg_catalog.array_fill(NULL::pg_catalog.float8, ARRAY[pg_catalog.jsonb_array_length(i->'exp_lift')]) END,
        coalesce(i->>'calibration', 'mape_lift'), coalesce((i->>'n_val')::int, 0));
COMMENT ON FUNCTION mixmodel._model_fit(jsonb, integer, bigint, float8[]) IS 'Internal: calls train_core on the arrays of _model_inputs.';

-- write the chosen fit r of run into the result tables (replacing what is there)
CREATE FUNCTION mixmodel._model_write(model text, run integer, i jsonb, r jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int := jsonb_array_length(i->'periods');
    nt int := (i->>'n_train')::int;
    nc int := jsonb_array_length(i->'channels');
    nf int := jsonb_array_length(i->'fixed');
    spend_tot float8;
BEGIN
    DELETE FROM mixmodel.run_channels x WHERE x.model = _model_write.model AND x.run = _model_write.run;
    DELETE FROM mixmodel.run_coefficients x WHERE x.model = _model_write.model AND x.run = _model_write.run;
    DELETE FROM mixmodel.run_metrics x WHERE x.model = _model_write.model AND x.run = _model_write.run;
    DELETE FROM mixmodel.run_fit x WHERE x.model = _model_write.model AND x.run = _model_write.run;
    DELETE FROM mixmodel.run_decomposition x WHERE x.model = _model_write.model AND x.run = _model_write.run;
    DELETE FROM mixmodel.run_diagnostics x WHERE x.model = _model_write.model AND x.run = _model_write.run;

    INSERT INTO mixmodel.run_channels
    SELECT _model_write.model, _model_write.run, ch->>'channel', k::int, (i->'paid'->>(k::int - 1))::boolean, ch->>'adstock',
           (ch->>'adstock_p1')::float8, (ch->>'adstock_p2')::float8, (ch->>'max_lag')::int,
           (ch->>'adstock_normalize')::boolean, ch->>'saturation', (ch->>'sat_p1')::float8,
           (ch->>'sat_p2')::float8, (ch->>'input_scale')::float8, (ch->>'coef')::float8,
           (SELECT coalesce(sum(v::float8 ORDER BY j), 0) FROM jsonb_array_elements_text(i->'spend') WITH ORDINALITY s(v, j)
             WHERE j > (k - 1) * n AND j <= (k - 1) * n + nt),
           (SELECT sum(v::float8 ORDER BY j) FROM jsonb_array_elements_text(r->'decomposition'->(k::int)) WITH ORDINALITY s(v, j) WHERE j <= nt),
           (SELECT sum(v::float8 ORDER BY j) FROM jsonb_array_elements_text(r->'decomposition'->(k::int)) WITH ORDINALITY s(v, j) WHERE j <= nt)
             / nullif((SELECT sum(v::float8 ORDER BY j) FROM jsonb_array_elements_text(r->'yhat') WITH ORDINALITY s(v, j) WHERE j <= nt), 0)
      FROM jsonb_array_elements(r->'channels') WITH ORDINALITY c(ch, k);

    INSERT INTO mixmodel.run_coefficients VALUES (_model_write.model, _model_write.run, '(intercept)', 'intercept', (r->>'intercept')::float8,
        CASE WHEN (i->>'intercept_nonneg')::boolean THEN 0 END, NULL);
    INSERT INTO mixmodel.run_coefficients
    SELECT _model_write.model, _model_write.run, ch->>'channel', CASE WHEN (i->'paid'->>(k::int - 1))::boolean THEN 'channel' ELSE 'organic' END,
           (ch->>'coef')::float8, 0, NULL
      FROM jsonb_array_elements(r->'channels') WITH ORDINALITY c(ch, k);
    INSERT INTO mixmodel.run_coefficients
    SELECT _model_write.model, _model_write.run, i->'fixed'->>(k - 1), i->'fixed_kinds'->>(k - 1), (r->'fixed'->>(k - 1))::float8,
           nullif((i->'zlo'->>(k - 1))::float8, '-Infinity'), nullif((i->'zhi'->>(k - 1))::float8, 'Infinity')
      FROM generate_series(1, nf) k;

    INSERT INTO mixmodel.run_metrics
    SELECT _model_write.model, _model_write.run, s, (r->s->>'n')::int, (r->s->>'r2')::float8, (r->s->>'adj_r2')::float8,
           (r->s->>'mape')::float8, (r->s->>'smape')::float8, (r->s->>'rmse')::float8, (r->s->>'nrmse')::float8,
           CASE WHEN s = 'train' THEN (r->'objectives'->>1)::float8 END,
           CASE WHEN s = 'train' THEN (r->'objectives'->>3)::float8 END
      FROM unnest(ARRAY['train', 'validation', 'test']) s
     WHERE (r->s->>'n')::int > 0;

    INSERT INTO mixmodel.run_fit
    SELECT _model_write.model, _model_write.run, (i->'periods'->>(t - 1))::date, (i->'y'->>(t - 1))::float8, (r->'yhat'->>(t - 1))::float8,
           (i->'y'->>(t - 1))::float8 - (r->'yhat'->>(t - 1))::float8, t > nt,
           (r #>> ARRAY['posterior', 'yhat_lower', (t - 1)::text])::float8,
           (r #>> ARRAY['posterior', 'yhat_upper', (t - 1)::text])::float8
      FROM generate_series(1, n) t;

    INSERT INTO mixmodel.run_decomposition
    SELECT _model_write.model, _model_write.run, (i->'periods'->>(t - 1))::date,
           CASE WHEN k = 0 THEN '(intercept)' WHEN k <= nc THEN i->'channels'->>(k - 1) ELSE i->'fixed'->>(k - nc - 1) END,
           CASE WHEN k = 0 THEN 'intercept'
                WHEN k <= nc THEN CASE WHEN (i->'paid'->>(k - 1))::boolean THEN 'channel' ELSE 'organic' END
                ELSE i->'fixed_kinds'->>(k - nc - 1) END,
           (r->'decomposition'->k->>(t - 1))::float8,
           (r #>> ARRAY['posterior', 'decomposition_lower', k::text, (t - 1)::text])::float8,
           (r #>> ARRAY['posterior', 'decomposition_upper', k::text, (t - 1)::text])::float8
      FROM generate_series(0, nc + nf) k, generate_series(1, n) t;

    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message) VALUES
        (_model_write.model, _model_write.run, 'condition_number', '', (r->>'condition_number')::float8, 'of the standardised training design'),
        (_model_write.model, _model_write.run, 'durbin_watson', '', (r->>'durbin_watson')::float8, 'of the training residuals'),
        (_model_write.model, _model_write.run, 'kkt_violation', '', (r->>'kkt')::float8, 'largest KKT violation of the constrained ridge (NULL: Bayesian run)');
    PERFORM mixmodel._model_write_posterior(_model_write.model, _model_write.run, r);
    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message)
    SELECT _model_write.model, _model_write.run, 'vif',
           CASE WHEN k <= nc THEN i->'channels'->>(k - 1) ELSE i->'fixed'->>(k - nc - 1) END,
           (r->'vif'->>(k - 1))::float8,
           CASE WHEN (r->'vif'->>(k - 1))::float8 > 10 THEN 'collinear: VIF above 10' END
      FROM generate_series(1, nc + nf) k;
    -- warnings: near-zero spend share or effect
    SELECT sum(x.spend) INTO spend_tot FROM mixmodel.run_channels x WHERE x.model = _model_write.model AND x.run = _model_write.run AND x.paid;
    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message)
    SELECT _model_write.model, _model_write.run, 'warning_low_spend', x.channel, x.spend / nullif(spend_tot, 0),
           'spend share below 1% of paid spend: its effect is poorly identified'
      FROM mixmodel.run_channels x
     WHERE x.model = _model_write.model AND x.run = _model_write.run AND x.paid AND x.spend < 0.01 * spend_tot;
    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message)
    SELECT _model_write.model, _model_write.run, 'warning_zero_effect', x.channel, x.share, 'effect share rounds to 0'
      FROM mixmodel.run_channels x
     WHERE x.model = _model_write.model AND x.run = _model_write.run AND abs(coalesce(x.share, 0)) < 0.0005;
END $$;
COMMENT ON FUNCTION mixmodel._model_write(text, integer, jsonb, jsonb) IS 'Internal: writes the chosen fit of a run into run_channels, run_coefficients, run_metrics, run_fit, run_decomposition and run_diagnostics.';

CREATE FUNCTION mixmodel.train(model text, seed bigint DEFAULT NULL, candidates integer DEFAULT NULL,
        from_date date DEFAULT NULL, to_date date DEFAULT NULL)
    RETURNS TABLE (run integer, split text, n integer, r2 float8, adj_r2 float8, mape float8, smape float8,
                   rmse float8, nrmse float8, decomp_rssd float8, mape_lift float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 2
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    i jsonb;
    r jsonb;
    s bigint;
    b int;
    k int;
    t0 timestamptz := clock_timestamp();
    inference text;
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    -- concurrent trainings of one model wait here
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    s := coalesce(seed, (m.options->>'seed')::bigint, 42);
    b := coalesce(candidates, (m.options->>'candidates')::int, 10000);
    IF b < 10 OR b > 1000000 THEN
        RAISE EXCEPTION 'candidates must be in the range [10, 1000000]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', b);
    END IF;
    i := mixmodel._model_inputs(model, from_date, to_date);
    PERFORM mixmodel._training_start(model);       -- overlap check; model_status says "training" from here
    SELECT coalesce(max(x.run), 0) + 1 INTO k FROM mixmodel.runs x WHERE x.model = train.model;
    inference := coalesce(i->>'inference', 'ridge');
    IF inference = 'ridge' THEN
        r := mixmodel._model_fit(i, b, s, NULL);
    ELSE
        IF candidates IS NOT NULL THEN
            RAISE EXCEPTION 'candidates apply to inference ridge' USING ERRCODE = '22023',
                HINT = format('Model "%s" is trained by inference %s; leave candidates out.', model, inference);
        END IF;
        b := 0;
        -- the run row first: the sampler writes its draws under it
        INSERT INTO mixmodel.runs VALUES (model, k, 'succeeded', s, 0,
            (i->'periods'->>0)::date, (i->'periods'->>(jsonb_array_length(i->'periods') - 1))::date,
            (i->'periods'->>((i->>'n_train')::int))::date, NULL, NULL, NULL,
            m.options || jsonb_build_object('resolved', i - ARRAY['periods', 'y', 'x', 'spend', 'z']),
            i, t0, 0, inference);
        r := mixmodel._model_fit_bayes(i, s, model, k);
    END IF;

    INSERT INTO mixmodel.runs VALUES (model, k, 'succeeded', s, (r->>'candidates_done')::int,
        (i->'periods'->>0)::date, (i->'periods'->>(jsonb_array_length(i->'periods') - 1))::date,
        (i->'periods'->>((i->>'n_train')::int))::date, (r->>'chosen')::int, (r->>'lambda_max')::float8,
        (r->>'kkt')::float8, m.options || jsonb_build_object('resolved', i - ARRAY['periods', 'y', 'x', 'spend', 'z']),
        i, t0, 1000 * extract(epoch FROM clock_timestamp() - t0), inference)
    ON CONFLICT ON CONSTRAINT runs_pkey DO UPDATE SET elapsed_ms = EXCLUDED.elapsed_ms;
    INSERT INTO mixmodel.run_candidates
    SELECT model, k, (c->>'candidate')::int, (c->>'front')::int, (c->>'local')::boolean,
           (c->>'candidate')::int = (r->>'chosen')::int,
           (c->'objectives'->>0)::float8, (c->'objectives'->>1)::float8, (c->'objectives'->>2)::float8,
           (c->'objectives'->>3)::float8, (c->>'lift_gaussian')::float8, (c->>'total')::float8, (c->>'lambda')::float8, mixmodel._jf(c->'hp')
      FROM jsonb_array_elements(r->'candidates') c;
    PERFORM mixmodel._model_write(model, k, i, r);
    IF m.options ? 'geo' THEN
        PERFORM mixmodel._geo_train(model, k, i);    -- each geo's effects (doc/geo.md)
    END IF;
    UPDATE mixmodel.models x SET current_run = k WHERE x.name = model;
    -- collinear channels still fit (the ridge penalty makes the solution unique), with a warning
    PERFORM 1 FROM mixmodel.run_diagnostics d JOIN mixmodel.run_channels c
        ON c.model = d.model AND c.run = d.run AND c.channel = d.term
     WHERE d.model = train.model AND d.run = k AND d.item = 'vif' AND d.value > 10;
    IF FOUND THEN
        RAISE WARNING 'channels of model "%" are collinear with other regressors', model
            USING DETAIL = (SELECT 'VIF above 10: ' || string_agg(format('%s (%s)', d.term, round(d.value::numeric, 1)), ', ' ORDER BY d.term)
                              FROM mixmodel.run_diagnostics d JOIN mixmodel.run_channels c
                                ON c.model = d.model AND c.run = d.run AND c.channel = d.term
                             WHERE d.model = train.model AND d.run = k AND d.item = 'vif' AND d.value > 10),
                  HINT = 'Their split of the effect is uncertain; combine them, or add a prior.';
    END IF;

    PERFORM mixmodel._audit_model(CASE WHEN m.current_run IS NULL THEN 'train' ELSE 'retrain' END, model,
        jsonb_build_object('status', 'succeeded', 'run', k, 'seed', seed, 'candidates', candidates,
                           'from_date', from_date, 'to_date', to_date));

    RETURN QUERY SELECT k, x.split, x.n, x.r2, x.adj_r2, x.mape, x.smape, x.rmse, x.nrmse, x.decomp_rssd, x.mape_lift
                   FROM mixmodel.run_metrics x WHERE x.model = train.model AND x.run = k
                  ORDER BY array_position(ARRAY['train', 'validation', 'test'], x.split);
EXCEPTION WHEN OTHERS OR query_canceled THEN
    -- the failure is recorded by a path that survives this transaction's rollback (model_status)
    PERFORM mixmodel._op_failed('train', model, SQLSTATE, SQLERRM,
        jsonb_build_object('seed', seed, 'candidates', candidates, 'from_date', from_date, 'to_date', to_date));
    RAISE;
END $$;
COMMENT ON FUNCTION mixmodel.train(text, bigint, integer, date, date) IS 'Trains a model: hyperparameter search (Sobol + local pattern search) over exact sign- and box-constrained ridge fits; stores a new run and returns its metrics in sample (train) and out of sample (test). from_date/to_date retrain on a custom range; a training window covers at least one year (52 weeks) however it is given.';

CREATE FUNCTION mixmodel.select_candidate(model text, run integer, candidate integer)
    RETURNS TABLE (split text, n integer, r2 float8, adj_r2 float8, mape float8, smape float8,
                   rmse float8, nrmse float8, decomp_rssd float8, mape_lift float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 2
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ru mixmodel.runs;
    hp float8[];
    r jsonb;
BEGIN
    IF model IS NULL OR run IS NULL OR candidate IS NULL THEN
        RAISE EXCEPTION 'model, run and candidate must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM 1 FROM mixmodel.models x WHERE x.name = model FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    SELECT * INTO ru FROM mixmodel.runs x WHERE x.model = select_candidate.model AND x.run = select_candidate.run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    SELECT x.hyperparameters INTO hp FROM mixmodel.run_candidates x
     WHERE x.model = select_candidate.model AND x.run = select_candidate.run AND x.candidate = select_candidate.candidate;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'candidate % is not stored for run % of model "%"', candidate, run, model USING ERRCODE = '42704',
            HINT = 'Stored candidates are the Pareto front: SELECT candidate FROM mixmodel.run_candidates.';
    END IF;
    r := mixmodel._model_fit(ru.inputs, 1, ru.seed, hp);
    PERFORM mixmodel._model_write(model, run, ru.inputs, r);
    UPDATE mixmodel.run_candidates x SET chosen = (x.candidate = select_candidate.candidate)
     WHERE x.model = select_candidate.model AND x.run = select_candidate.run;
    UPDATE mixmodel.runs x SET chosen_candidate = candidate, kkt = (r->>'kkt')::float8
     WHERE x.model = select_candidate.model AND x.run = select_candidate.run;
    UPDATE mixmodel.models x SET current_run = select_candidate.run WHERE x.name = model;
    PERFORM mixmodel._audit_model('select_candidate', model,
        jsonb_build_object('status', 'succeeded', 'run', run, 'candidate', candidate));
    RETURN QUERY SELECT x.split, x.n, x.r2, x.adj_r2, x.mape, x.smape, x.rmse, x.nrmse, x.decomp_rssd, x.mape_lift
                   FROM mixmodel.run_metrics x WHERE x.model = select_candidate.model AND x.run = select_candidate.run
                  ORDER BY array_position(ARRAY['train', 'validation', 'test'], x.split);
EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM mixmodel._op_failed('select_candidate', model, SQLSTATE, SQLERRM,
        jsonb_build_object('run', run, 'candidate', candidate));
    RAISE;
END $$;
COMMENT ON FUNCTION mixmodel.select_candidate(text, integer, integer) IS 'Makes another stored Pareto candidate the chosen fit of a run (refits it exactly, rewrites the run''s result tables, makes the run current) and returns its metrics.';
