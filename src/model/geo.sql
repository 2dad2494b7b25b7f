-- model: geo-level models, per-geo effects partially pooled toward the national model
-- (doc/geo.md; the core in src/math/geo/pool.c)

CREATE TABLE mixmodel.run_geos (
    model      text NOT NULL,
    run        integer NOT NULL,
    geo        text NOT NULL,
    position   integer NOT NULL,
    population float8,
    scale      float8 NOT NULL CHECK (scale > 0),
    sigma      float8 NOT NULL,
    PRIMARY KEY (model, run, geo),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_geos IS 'The geos of a geo model''s run: population (NULL when the model has no population column), the scale r_g = total size / geo size that makes the geo''s KPI and media national-equivalent, and the residual sd in the geo''s KPI units.';
COMMENT ON COLUMN mixmodel.run_geos.population IS 'the geo''s population (mean of the population column over its rows); NULL when the model has no population column';
COMMENT ON COLUMN mixmodel.run_geos.position IS 'the geo''s place in geo order (1-based)';
COMMENT ON COLUMN mixmodel.run_geos.scale IS 'r_g: total population (or total KPI over the training rows without a population column) / the geo''s';
COMMENT ON COLUMN mixmodel.run_geos.sigma IS 'residual sd of the geo''s own fit, in the geo''s KPI units';
COMMENT ON COLUMN mixmodel.run_geos.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_geos.run IS 'run of the model';
COMMENT ON COLUMN mixmodel.run_geos.geo IS 'the geo (value of the geo column)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_geos', '');

CREATE TABLE mixmodel.run_geo_channels (
    model              text NOT NULL,
    run                integer NOT NULL,
    geo                text,
    channel            text NOT NULL,
    paid               boolean NOT NULL,
    spend              float8 NOT NULL,
    contribution       float8 NOT NULL,
    contribution_lower float8,
    contribution_upper float8,
    coef               float8,
    coef_lower         float8,
    coef_upper         float8,
    unpooled_coef      float8,
    tau                float8,
    UNIQUE NULLS NOT DISTINCT (model, run, geo, channel),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_geo_channels IS 'Each channel of each geo of a geo model''s run over the training rows, and (geo NULL) the national sum of the geos: spend, contribution in KPI units with its credible interval (Bayesian runs), the geo''s effect beta_gc (national-equivalent units) partially pooled toward the national effect, the geo''s own unpooled estimate, and (national rows) the between-geo sd tau.';
COMMENT ON COLUMN mixmodel.run_geo_channels.geo IS 'the geo; NULL for the national row, the sum over the geos';
COMMENT ON COLUMN mixmodel.run_geo_channels.contribution IS 'contribution over the training rows in KPI units: the posterior median (Bayesian runs) or mean';
COMMENT ON COLUMN mixmodel.run_geo_channels.coef IS 'the geo''s effect beta_gc on its national-equivalent scale (posterior median or mean); NULL on national rows';
COMMENT ON COLUMN mixmodel.run_geo_channels.unpooled_coef IS 'the geo''s own least-squares effect, without pooling (for comparison); NULL on national rows';
COMMENT ON COLUMN mixmodel.run_geo_channels.tau IS 'national rows: the between-geo sd of the effect (method of moments, at least 1% of the national effect); NULL on geo rows';
COMMENT ON COLUMN mixmodel.run_geo_channels.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_geo_channels.run IS 'run of the model';
COMMENT ON COLUMN mixmodel.run_geo_channels.channel IS 'media or organic channel';
COMMENT ON COLUMN mixmodel.run_geo_channels.paid IS 'a paid channel (organic channels have spend 0)';
COMMENT ON COLUMN mixmodel.run_geo_channels.spend IS 'spend over the training rows (the geo''s, or the sum over the geos)';
COMMENT ON COLUMN mixmodel.run_geo_channels.contribution_lower IS 'Bayesian runs: lower end of the contribution''s credible interval at the run''s level';
COMMENT ON COLUMN mixmodel.run_geo_channels.contribution_upper IS 'Bayesian runs: upper end of the contribution''s credible interval';
COMMENT ON COLUMN mixmodel.run_geo_channels.coef_lower IS 'Bayesian runs: lower end of the effect''s credible interval';
COMMENT ON COLUMN mixmodel.run_geo_channels.coef_upper IS 'Bayesian runs: upper end of the effect''s credible interval';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_geo_channels', '');

CREATE TABLE mixmodel.run_geo_fit (
    model           text NOT NULL,
    run             integer NOT NULL,
    geo             text NOT NULL,
    period          date NOT NULL,
    split           text NOT NULL CHECK (split IN ('train', 'test')),
    actual          float8,
    predicted       float8 NOT NULL,
    predicted_lower float8,
    predicted_upper float8,
    PRIMARY KEY (model, run, geo, period),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_geo_fit IS 'Actual and predicted KPI of each geo and window period of a geo model''s run (posterior mean, with its credible band for Bayesian runs); split train or test (the holdout).';
COMMENT ON COLUMN mixmodel.run_geo_fit.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_geo_fit.run IS 'run of the model';
COMMENT ON COLUMN mixmodel.run_geo_fit.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.run_geo_fit.period IS 'period start';
COMMENT ON COLUMN mixmodel.run_geo_fit.split IS 'train (fitted rows) or test (holdout)';
COMMENT ON COLUMN mixmodel.run_geo_fit.actual IS 'the geo''s KPI';
COMMENT ON COLUMN mixmodel.run_geo_fit.predicted IS 'the geo''s predicted KPI (posterior mean)';
COMMENT ON COLUMN mixmodel.run_geo_fit.predicted_lower IS 'Bayesian runs: lower end of the prediction''s credible band';
COMMENT ON COLUMN mixmodel.run_geo_fit.predicted_upper IS 'Bayesian runs: upper end of the prediction''s credible band';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_geo_fit', '');

CREATE TABLE mixmodel.run_geo_contributions (
    model        text NOT NULL,
    run          integer NOT NULL,
    geo          text NOT NULL,
    term         text NOT NULL,
    first_period date NOT NULL,
    period_days  integer NOT NULL CHECK (period_days > 0),
    contribution float8[] NOT NULL,
    PRIMARY KEY (model, run, geo, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_geo_contributions IS 'Decomposition of each geo''s prediction over the window periods: term base (intercept and fixed terms) and one row per channel, each an array with one element per period (period k starts at first_period + (k - 1) x period_days), in the geo''s KPI units (posterior means); the terms add up to run_geo_fit.predicted. One row per geo and term rather than per period keeps a model of 1,000 geos at 9,000 rows. Read it through mixmodel.geo_contributions.';
COMMENT ON COLUMN mixmodel.run_geo_contributions.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_geo_contributions.run IS 'run of the model';
COMMENT ON COLUMN mixmodel.run_geo_contributions.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.run_geo_contributions.term IS 'base (intercept and fixed terms) or a channel';
COMMENT ON COLUMN mixmodel.run_geo_contributions.first_period IS 'start of the first window period';
COMMENT ON COLUMN mixmodel.run_geo_contributions.period_days IS 'days between period starts (the model''s periods are evenly spaced)';
COMMENT ON COLUMN mixmodel.run_geo_contributions.contribution IS 'the term''s part of the geo''s predicted KPI in each window period, KPI units (posterior mean)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_geo_contributions', '');

CREATE TABLE mixmodel.run_geo_draws (
    model   text NOT NULL,
    run     integer NOT NULL,
    geo     text NOT NULL,
    channel text NOT NULL,
    coef    float8[] NOT NULL,
    PRIMARY KEY (model, run, geo, channel),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_geo_draws IS 'A Bayesian geo model run''s draws of each geo''s effect beta_gc (national-equivalent units), one per national posterior draw used (at most 200, every k-th in chain order, as mixmodel._run_channel_draws(model, run, channel, 200) thins them): the per-geo response bands pair them with the national draws'' curves.';
COMMENT ON COLUMN mixmodel.run_geo_draws.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_geo_draws.run IS 'run of the model';
COMMENT ON COLUMN mixmodel.run_geo_draws.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.run_geo_draws.channel IS 'media or organic channel';
COMMENT ON COLUMN mixmodel.run_geo_draws.coef IS 'beta_gc in each national draw used, in their order';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_geo_draws', '');

CREATE FUNCTION mixmodel._geo_fit_core(x float8[], y float8[], z float8[], scale float8[], dims integer[],
        adstock text[], max_lag integer[], adstock_normalize integer[], saturation text[], input_scale float8[],
        point float8[], draws float8[], level float8, seed bigint, tau_floor float8)
    RETURNS TABLE (kind text, geo integer, channel integer, period integer, value float8, lower float8, upper float8,
                   series float8[])
    AS 'MODULE_PATHNAME', 'geo_fit_core'
    LANGUAGE C VOLATILE PARALLEL SAFE COST 100000 ROWS 10000;
COMMENT ON FUNCTION mixmodel._geo_fit_core(float8[], float8[], float8[], float8[], integer[], text[], integer[], integer[], text[], float8[], float8[], float8[], float8, bigint, float8) IS 'Internal: the geo stage of training (src/model/geo.c): every geo''s effects, partially pooled toward the national ones, drawn once per national posterior draw; rows (kind, geo, channel, period, value, lower, upper, series): per-period terms and effect draws as arrays (series).';

-- the option "geo" of a wide model, checked at create_model
CREATE FUNCTION mixmodel._model_check_geo(source regclass, options jsonb, used text[])
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    g jsonb := options->'geo';
    k text;
BEGIN
    IF g IS NULL THEN
        RETURN;
    END IF;
    IF jsonb_typeof(g) <> 'object' OR jsonb_typeof(g->'column') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'option "geo" must be an object with a "column"' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', g), HINT = 'For example {"geo": {"column": "region", "population": "population"}}.';
    END IF;
    FOR k IN SELECT jsonb_object_keys(g) LOOP
        IF NOT k IN ('column', 'population') THEN
            RAISE EXCEPTION 'unknown key "%" in option "geo"', k USING ERRCODE = '22023',
                HINT = 'Valid keys are column and population.';
        END IF;
    END LOOP;
    IF g ? 'population' AND jsonb_typeof(g->'population') <> 'string' THEN
        RAISE EXCEPTION 'option "geo": "population" must be a column name' USING ERRCODE = '22023';
    END IF;
    IF coalesce(options->>'form', 'additive') <> 'additive' THEN
        RAISE EXCEPTION 'geo models take the additive form only' USING ERRCODE = '0A000',
            HINT = 'Leave out "form", or fit the multiplicative form on the national table.';
    END IF;
    PERFORM mixmodel._model_check_column(source, g->>'column', 'the geo column');
    IF g ? 'population' THEN
        PERFORM mixmodel._model_check_column(source, g->>'population', 'the population column');
    END IF;
    IF g->>'column' = ANY (used) OR g->>'population' = ANY (used) OR g->>'column' = g->>'population' THEN
        RAISE EXCEPTION 'the geo and population columns must differ from the date, KPI, media, organic and factor columns'
            USING ERRCODE = '22023';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._model_check_geo(regclass, jsonb, text[]) IS 'Internal: checks a wide model''s option "geo" ({"column": ..., "population": ...}): the columns exist and are not otherwise used, the form is additive (0A000 otherwise).';

-- the relation a wide model reads: the table itself, or for a geo model the national
-- table, the sum over the geos of every KPI, media, spend and organic column, the
-- population-weighted mean (plain mean without population) of every factor
CREATE FUNCTION mixmodel._model_source_sql(source regclass, def jsonb, o jsonb)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN CASE WHEN o->'geo' IS NULL THEN source::text ELSE
        format('(SELECT %1$I, %2$s FROM %3$s GROUP BY %1$I)', def->>'date_column',
               (SELECT string_agg(CASE WHEN e.factor AND o #>> '{geo,population}' IS NOT NULL
                                       THEN format('pg_catalog.sum(%1$I::float8 * %2$I::float8) / pg_catalog.sum(%2$I::float8) AS %1$I',
                                                   e.c, o #>> '{geo,population}')
                                       WHEN e.factor THEN format('pg_catalog.avg(%1$I::float8) AS %1$I', e.c)
                                       ELSE format('pg_catalog.sum(%1$I::float8) AS %1$I', e.c) END, ', ' ORDER BY e.i)
                  FROM (SELECT DISTINCT ON (u.c) u.c, u.factor, u.i
                          FROM (SELECT def->>'kpi' AS c, false AS factor, 0::bigint AS i
                                UNION ALL
                                SELECT m.c, false, 1000 + m.i
                                  FROM jsonb_array_elements_text(coalesce(def->'media', '[]') || coalesce(def->'organic', '[]')) WITH ORDINALITY m(c, i)
                                UNION ALL
                                SELECT s.c, false, 2000 + s.i
                                  FROM jsonb_each_text(coalesce(o->'spend_columns', '{}')) WITH ORDINALITY s(k, c, i)
                                UNION ALL
                                SELECT f.c, true, 3000 + f.i
                                  FROM jsonb_array_elements_text(coalesce(def->'factors', '[]')) WITH ORDINALITY f(c, i)) u
                         ORDER BY u.c, u.i) e),
               source::text) END;
COMMENT ON FUNCTION mixmodel._model_source_sql(regclass, jsonb, jsonb) IS 'Internal: the FROM item a wide model reads (the caller adds an alias): its table, or for a geo model the national sum of the geos by period (factors averaged, weighted by population when given), every identifier quoted.';

-- the geo stage of train: each geo's data in one query, the core, the run's geo tables
CREATE FUNCTION mixmodel._geo_train(model text, run integer, i jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    r mixmodel.runs;
    def jsonb;
    o jsonb;
    gcol text; pcol text; dcol text;
    chans jsonb;
    nc int; np int; nrows int; t0 int; nw int; ntr int; nf int; ng int := 0;
    q text;
    kpi2 float8[]; media3 float8[]; spend2 float8[]; nnull bigint; bad text; bad_detail text;
    geos text[] := '{}'; pops float8[] := '{}'; sizes float8[] := '{}'; scales float8[] := '{}';
    xs float8[] := '{}'; ys float8[] := '{}'; sp float8[] := '{}';
    cs mixmodel.run_channels[];
    draws float8[];
    lvl float8;
    periods date[];
    total float8;
    ad text[] := '{}'; ml int[] := '{}'; nz int[] := '{}'; sat text[] := '{}'; isc float8[] := '{}'; pt float8[] := '{}';
    kk int;
BEGIN
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    IF NOT FOUND OR NOT m.options ? 'geo' THEN
        RAISE EXCEPTION 'run % of model "%" does not exist or is not a geo model', run, model USING ERRCODE = '42704';
    END IF;
    -- the stage can be run again for a run: its rows are replaced
    DELETE FROM mixmodel.run_geos x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    DELETE FROM mixmodel.run_geo_channels x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    DELETE FROM mixmodel.run_geo_fit x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    DELETE FROM mixmodel.run_geo_contributions x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    DELETE FROM mixmodel.run_geo_draws x WHERE x.model = _geo_train.model AND x.run = _geo_train.run;
    def := m.definition; o := m.options;
    gcol := o #>> '{geo,column}'; pcol := o #>> '{geo,population}'; dcol := def->>'date_column';
    chans := coalesce(def->'media', '[]') || coalesce(def->'organic', '[]');
    nc := jsonb_array_length(chans);
    np := jsonb_array_length(def->'media');
    nrows := jsonb_array_length(i->'x') / nc;
    t0 := (i->>'t0')::int; nw := jsonb_array_length(i->'y'); ntr := (i->>'n_train')::int;
    nf := jsonb_array_length(i->'fixed');
    periods := ARRAY(SELECT (e #>> '{}')::date FROM jsonb_array_elements(i->'periods') e);
    -- one query, one scan: per geo its rows, the KPI of the window, its size (KPI over the
    -- training rows), media (+ organic) over every period and the spend over the training rows,
    -- gathered over the geos in geo order (a geo without one row per period is left out of
    -- the arrays and named)
    q := format('SELECT pg_catalog.array_agg(g.geo ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.array_agg(g.population ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.array_agg(g.size ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.array_agg(g.kpi ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.array_agg(g.media ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.array_agg(g.spend ORDER BY g.geo) FILTER (WHERE g.ok),
                        pg_catalog.count(*) FILTER (WHERE g.geo IS NULL),
                        (pg_catalog.array_agg(g.geo ORDER BY g.geo) FILTER (WHERE NOT g.ok AND g.geo IS NOT NULL))[1],
                        (pg_catalog.array_agg(pg_catalog.format(''%%s rows over %%s periods'', g.nrow, g.nper)
                            ORDER BY g.geo) FILTER (WHERE NOT g.ok AND g.geo IS NOT NULL))[1]
                   FROM (SELECT %1$I::text AS geo, pg_catalog.count(*) AS nrow, pg_catalog.count(DISTINCT %2$I) AS nper,
                                pg_catalog.count(*) = $1 AND pg_catalog.count(DISTINCT %2$I) = $1 AS ok,
                                %3$s AS population,
                                pg_catalog.array_agg(%4$I::float8 ORDER BY %2$I) FILTER (WHERE %2$I::date BETWEEN $2 AND $3) AS kpi,
                                pg_catalog.sum(%4$I::float8) FILTER (WHERE %2$I::date BETWEEN $2 AND $4) AS size,
                                %5$s AS media, %6$s AS spend
                           FROM %7$s AS src GROUP BY 1) g',
                gcol, dcol,
                CASE WHEN pcol IS NULL THEN 'NULL::float8'
                     ELSE format('pg_catalog.avg(%I::float8)', pcol) END,
                def->>'kpi',
                mixmodel._wide_source_list(dcol, chans, NULL),
                (SELECT 'ARRAY[' || string_agg(format('pg_catalog.sum(%s) FILTER (WHERE %I::date BETWEEN $2 AND $4)',
                                                      CASE WHEN o #>> ARRAY['spend_columns', e.c] IS NOT NULL
                                                           THEN format('coalesce(%I::float8, 0)', o #>> ARRAY['spend_columns', e.c])
                                                           ELSE format('%I::float8', e.c) END, dcol), ', ' ORDER BY e.i) || ']::float8[]'
                   FROM jsonb_array_elements_text(def->'media') WITH ORDINALITY e(c, i)),
                m.source);
    EXECUTE q INTO geos, pops, sizes, kpi2, media3, spend2, nnull, bad, bad_detail
      USING nrows::bigint, periods[1], periods[nw], periods[ntr];
    IF nnull > 0 THEN
        RAISE EXCEPTION 'the geo column of model "%" has NULL values', model USING ERRCODE = '22000';
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'geo "%" of model "%" does not have one row in every period', bad, model
            USING ERRCODE = '22000',
            DETAIL = format('%s; the model has %s periods.', bad_detail, nrows),
            HINT = 'Every geo needs a row for each period (0 spend where there was none).';
    END IF;
    ng := coalesce(cardinality(geos), 0);
    IF pcol IS NOT NULL AND (SELECT count(*) FROM unnest(pops) p WHERE NOT p > 0 OR p IS NULL) > 0 THEN
        RAISE EXCEPTION 'geo "%" of model "%" has no positive population',
            (SELECT g FROM unnest(geos, pops) u(g, p) WHERE NOT p > 0 OR p IS NULL LIMIT 1), model USING ERRCODE = '22000';
    END IF;
    -- row-major flattening: geo after geo
    ys := ARRAY(SELECT unnest(kpi2));
    xs := ARRAY(SELECT unnest(media3));
    sp := ARRAY(SELECT unnest(spend2));
    sizes := ARRAY(SELECT coalesce(u.p, u.s) FROM unnest(pops, sizes) WITH ORDINALITY u(p, s, k) ORDER BY u.k);
    IF ng < 2 THEN
        RAISE EXCEPTION 'model "%" needs at least 2 geos', model USING ERRCODE = '22000',
            DETAIL = format('Found %s.', ng);
    END IF;
    IF (SELECT count(*) FROM unnest(sizes) s WHERE NOT s > 0) > 0 THEN
        RAISE EXCEPTION 'a geo of model "%" has no positive KPI in the training rows', model USING ERRCODE = '22000',
            HINT = 'Give the model a population column (option geo.population) to scale the geos by.';
    END IF;
    SELECT sum(s) INTO total FROM unnest(sizes) s;
    scales := ARRAY(SELECT total / s FROM unnest(sizes) WITH ORDINALITY u(s, o1) ORDER BY u.o1);

    SELECT array_agg(rc ORDER BY rc.position) INTO cs
      FROM mixmodel.run_channels rc WHERE rc.model = _geo_train.model AND rc.run = _geo_train.run;
    -- a Bayesian run: at most 200 of its draws, evenly thinned in chain order
    lvl := mixmodel._run_level(model, run);
    IF lvl IS NOT NULL THEN
        SELECT array_agg(u.v ORDER BY d.o2, u.o3) INTO draws
          FROM (SELECT x.params, row_number() OVER (ORDER BY x.chain, x.draw) AS o2, count(*) OVER () AS cnt
                  FROM mixmodel.run_draws x WHERE x.model = _geo_train.model AND x.run = _geo_train.run) d,
               unnest(d.params[1 : 5 * nc]) WITH ORDINALITY u(v, o3)
         WHERE (d.o2 - 1) % greatest(1, ceil(d.cnt::float8 / 200)::int) = 0;
    END IF;

    FOR kk IN 1 .. nc LOOP
        ad := ad || cs[kk].adstock; ml := ml || cs[kk].max_lag; nz := nz || cs[kk].adstock_normalize::int;
        sat := sat || cs[kk].saturation; isc := isc || cs[kk].input_scale;
        pt := pt || ARRAY[cs[kk].adstock_p1, cs[kk].adstock_p2, cs[kk].sat_p1, cs[kk].sat_p2, cs[kk].coef];
    END LOOP;
    WITH res AS MATERIALIZED (
        SELECT * FROM mixmodel._geo_fit_core(xs, ys, mixmodel._jf(i->'z'), scales, ARRAY[ng, nc, nf, nrows, t0, nw, ntr],
                   ad, ml, nz, sat, isc, pt, coalesce(draws, '{}'), coalesce(lvl, 0.9), r.seed, 0.01)
    ), ins_geos AS (
        INSERT INTO mixmodel.run_geos
        SELECT model, run, geos[x.geo], x.geo, pops[x.geo], scales[x.geo], x.value / scales[x.geo]
          FROM res x WHERE x.kind = 'sigma'
    ), ins_fit AS (
        INSERT INTO mixmodel.run_geo_fit
        SELECT model, run, geos[x.geo], periods[x.period], CASE WHEN x.period <= ntr THEN 'train' ELSE 'test' END,
               ys[(x.geo - 1) * nw + x.period], x.value, x.lower, x.upper
          FROM res x WHERE x.kind = 'fit'
    ), ins_draws AS (
        INSERT INTO mixmodel.run_geo_draws
        SELECT model, run, geos[x.geo], chans->>(x.channel - 1), x.series
          FROM res x WHERE x.kind = 'draw'
    ), ins_terms AS (
        INSERT INTO mixmodel.run_geo_contributions
        SELECT model, run, geos[x.geo], CASE WHEN x.channel = 0 THEN 'base' ELSE chans->>(x.channel - 1) END,
               periods[1], coalesce(periods[2] - periods[1], 7), x.series
          FROM res x WHERE x.kind = 'term'
    )
    INSERT INTO mixmodel.run_geo_channels
    SELECT model, run, CASE WHEN x.geo > 0 THEN geos[x.geo] END, chans->>(x.channel - 1), x.channel <= np,
           CASE WHEN x.channel > np THEN 0
                WHEN x.geo > 0 THEN sp[(x.geo - 1) * np + x.channel]
                ELSE (SELECT sum(sp[(q2.j - 1) * np + x.channel]) FROM generate_series(1, ng) q2(j)) END,
           x.value, x.lower, x.upper, b.value, b.lower, b.upper, up.value, ta.value
      FROM res x
      LEFT JOIN res b ON b.kind = 'coef' AND b.geo = x.geo AND b.channel = x.channel
      LEFT JOIN res up ON up.kind = 'unpooled' AND up.geo = x.geo AND up.channel = x.channel
      LEFT JOIN res ta ON ta.kind = 'tau' AND x.geo = 0 AND ta.channel = x.channel
     WHERE x.kind = 'contribution';
END $$;
COMMENT ON FUNCTION mixmodel._geo_train(text, integer, jsonb) IS 'Internal: the geo stage of train for a model with option "geo": reads every geo''s rows in one query, checks the panel (every geo in every period, positive sizes), fits each geo''s effects partially pooled toward the national run''s (one draw per national draw, at most 200, for Bayesian runs) and writes run_geos, run_geo_channels, run_geo_fit and run_geo_contributions.';

CREATE VIEW mixmodel.geo_channel_performance WITH (security_invoker = true) AS
WITH k AS MATERIALIZED (
    -- each geo model's revenue per KPI unit, once per model (not once per geo and channel)
    SELECT m.name, m.current_run, f.revenue_per_kpi
      FROM mixmodel.models m
     CROSS JOIN LATERAL mixmodel._model_kpi_units(m.name) u
     CROSS JOIN LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f
     WHERE m.options ? 'geo' AND m.current_run IS NOT NULL
), c AS (
    SELECT g.*, k.revenue_per_kpi
      FROM k JOIN mixmodel.run_geo_channels g ON g.model = k.name AND g.run = k.current_run AND g.paid
)
SELECT c.model, c.geo, c.channel, c.spend, c.contribution, c.contribution * c.revenue_per_kpi AS revenue,
       (c.contribution * c.revenue_per_kpi - c.spend) / nullif(c.spend, 0) AS roi,
       c.contribution * c.revenue_per_kpi / nullif(c.spend, 0) AS roas,
       c.spend / nullif(sum(c.spend) OVER w, 0) AS spend_share,
       c.contribution / nullif(sum(c.contribution) OVER w, 0) AS effect_share,
       c.contribution_lower, c.contribution_upper,
       (c.contribution_lower * c.revenue_per_kpi - c.spend) / nullif(c.spend, 0) AS roi_lower,
       (c.contribution_upper * c.revenue_per_kpi - c.spend) / nullif(c.spend, 0) AS roi_upper,
       c.contribution_lower * c.revenue_per_kpi / nullif(c.spend, 0) AS roas_lower,
       c.contribution_upper * c.revenue_per_kpi / nullif(c.spend, 0) AS roas_upper,
       c.coef, c.coef_lower, c.coef_upper, c.unpooled_coef, c.tau,
       mixmodel._run_level(c.model, c.run) AS interval_level
  FROM c
WINDOW w AS (PARTITION BY c.model, c.geo);
COMMENT ON VIEW mixmodel.geo_channel_performance IS 'Paid channels of every geo of every geo model''s current run over its training rows, and (geo NULL) national, the sum over the geos: spend, contribution, revenue, ROI and ROAS with their credible intervals (Bayesian runs), spend and effect shares within the geo, the geo''s effect partially pooled toward the national effect next to its own unpooled estimate, and the between-geo sd tau (doc/geo.md).';
COMMENT ON COLUMN mixmodel.geo_channel_performance.model IS 'model name';
COMMENT ON COLUMN mixmodel.geo_channel_performance.geo IS 'the geo; NULL for national, the sum over the geos';
COMMENT ON COLUMN mixmodel.geo_channel_performance.channel IS 'paid channel';
COMMENT ON COLUMN mixmodel.geo_channel_performance.spend IS 'spend over the training rows';
COMMENT ON COLUMN mixmodel.geo_channel_performance.contribution IS 'contribution to the KPI over the training rows, KPI units (posterior median for Bayesian runs)';
COMMENT ON COLUMN mixmodel.geo_channel_performance.revenue IS 'contribution in revenue (times the revenue per conversion for a conversions KPI; NULL when unknown)';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roi IS '(revenue - spend) / spend';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roas IS 'revenue / spend';
COMMENT ON COLUMN mixmodel.geo_channel_performance.spend_share IS 'share of the geo''s (or the nation''s) paid spend';
COMMENT ON COLUMN mixmodel.geo_channel_performance.effect_share IS 'share of the geo''s (or the nation''s) paid channels'' contribution';
COMMENT ON COLUMN mixmodel.geo_channel_performance.contribution_lower IS 'Bayesian runs: lower end of the contribution''s credible interval at interval_level';
COMMENT ON COLUMN mixmodel.geo_channel_performance.contribution_upper IS 'Bayesian runs: upper end of the contribution''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roi_lower IS 'Bayesian runs: lower end of the ROI''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roi_upper IS 'Bayesian runs: upper end of the ROI''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roas_lower IS 'Bayesian runs: lower end of the ROAS''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.roas_upper IS 'Bayesian runs: upper end of the ROAS''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.coef IS 'the geo''s effect beta_gc (national-equivalent units), partially pooled toward the national effect; NULL on national rows';
COMMENT ON COLUMN mixmodel.geo_channel_performance.coef_lower IS 'Bayesian runs: lower end of the effect''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.coef_upper IS 'Bayesian runs: upper end of the effect''s credible interval';
COMMENT ON COLUMN mixmodel.geo_channel_performance.unpooled_coef IS 'the geo''s own least-squares effect, no pooling';
COMMENT ON COLUMN mixmodel.geo_channel_performance.tau IS 'national rows: between-geo sd of the effect';
COMMENT ON COLUMN mixmodel.geo_channel_performance.interval_level IS 'credible level of the intervals; NULL when the run has no posterior';

CREATE VIEW mixmodel.geo_fit WITH (security_invoker = true) AS
SELECT f.model, f.geo, f.period, f.split, f.actual, f.predicted, f.predicted_lower, f.predicted_upper
  FROM mixmodel.models m
  JOIN mixmodel.run_geo_fit f ON f.model = m.name AND f.run = m.current_run;
COMMENT ON VIEW mixmodel.geo_fit IS 'Actual against predicted KPI of every geo and window period of every geo model''s current run, with the credible band of the prediction (Bayesian runs); split train or test.';
COMMENT ON COLUMN mixmodel.geo_fit.model IS 'model name';
COMMENT ON COLUMN mixmodel.geo_fit.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.geo_fit.period IS 'period start';
COMMENT ON COLUMN mixmodel.geo_fit.split IS 'train (fitted rows) or test (holdout)';
COMMENT ON COLUMN mixmodel.geo_fit.actual IS 'the geo''s KPI';
COMMENT ON COLUMN mixmodel.geo_fit.predicted IS 'the geo''s predicted KPI (posterior mean)';
COMMENT ON COLUMN mixmodel.geo_fit.predicted_lower IS 'Bayesian runs: lower end of the prediction''s credible band';
COMMENT ON COLUMN mixmodel.geo_fit.predicted_upper IS 'Bayesian runs: upper end of the prediction''s credible band';

CREATE VIEW mixmodel.geo_metrics WITH (security_invoker = true) AS
SELECT f.model, f.geo, f.split, count(*)::int AS n,
       mixmodel.r2(f.actual, f.predicted) AS r2, mixmodel.mape(f.actual, f.predicted) AS mape,
       mixmodel.nrmse(f.actual, f.predicted) AS nrmse
  FROM mixmodel.geo_fit f
 GROUP BY f.model, f.geo, f.split;
COMMENT ON VIEW mixmodel.geo_metrics IS 'Fit of every geo of every geo model''s current run, in sample (train) and on the holdout (test): R², MAPE and NRMSE of the geo''s KPI.';
COMMENT ON COLUMN mixmodel.geo_metrics.model IS 'model name';
COMMENT ON COLUMN mixmodel.geo_metrics.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.geo_metrics.split IS 'train or test';
COMMENT ON COLUMN mixmodel.geo_metrics.n IS 'periods';
COMMENT ON COLUMN mixmodel.geo_metrics.r2 IS 'R² of the geo''s KPI';
COMMENT ON COLUMN mixmodel.geo_metrics.mape IS 'mean absolute percentage error';
COMMENT ON COLUMN mixmodel.geo_metrics.nrmse IS 'RMSE / range of the actual KPI';

CREATE VIEW mixmodel.geo_contributions WITH (security_invoker = true) AS
SELECT c.model, c.geo, c.first_period + c.period_days * (u.k - 1)::integer AS period, c.term, u.v AS contribution
  FROM mixmodel.models m
  JOIN mixmodel.run_geo_contributions c ON c.model = m.name AND c.run = m.current_run
 CROSS JOIN LATERAL unnest(c.contribution) WITH ORDINALITY u(v, k);
COMMENT ON VIEW mixmodel.geo_contributions IS 'Decomposition of every geo''s prediction by window period of every geo model''s current run: base (intercept and fixed terms) and each channel, in the geo''s KPI units (posterior means); summed over the geos it is the national decomposition of the geo model.';
COMMENT ON COLUMN mixmodel.geo_contributions.model IS 'model name';
COMMENT ON COLUMN mixmodel.geo_contributions.geo IS 'the geo';
COMMENT ON COLUMN mixmodel.geo_contributions.period IS 'period start';
COMMENT ON COLUMN mixmodel.geo_contributions.term IS 'base, or a channel';
COMMENT ON COLUMN mixmodel.geo_contributions.contribution IS 'the term''s part of the geo''s predicted KPI';

-- a geo's own channel spec (its effect and population scale on the national curve) and its
-- input series, for geo_response_curve and geo_plan
CREATE FUNCTION mixmodel._geo_channel(model text, run integer, geo text, channel text,
        OUT ch mixmodel.run_channels, OUT x float8[], OUT scale float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    b float8;
    nt int;
BEGIN
    SELECT * INTO m FROM mixmodel.models x0 WHERE x0.name = model;
    SELECT g.scale INTO scale FROM mixmodel.run_geos g
     WHERE g.model = _geo_channel.model AND g.run = _geo_channel.run AND g.geo = _geo_channel.geo;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'geo "%" is not in run % of model "%"', geo, run, model USING ERRCODE = '42704',
            HINT = CASE WHEN m.options ? 'geo' THEN 'The run''s geos are in mixmodel.run_geos.'
                        ELSE 'The model has no option "geo".' END;
    END IF;
    SELECT * INTO ch FROM mixmodel.run_channels c
     WHERE c.model = _geo_channel.model AND c.run = _geo_channel.run AND c.channel = _geo_channel.channel;
    IF NOT FOUND OR NOT ch.paid THEN
        RAISE EXCEPTION 'channel "%" is not a paid channel of model "%"', channel, model USING ERRCODE = '42704';
    END IF;
    SELECT c.coef INTO b FROM mixmodel.run_geo_channels c
     WHERE c.model = _geo_channel.model AND c.run = _geo_channel.run AND c.geo = _geo_channel.geo AND c.channel = _geo_channel.channel;
    -- contribution_t = (beta_g / r_g) s(adstock(x_g)_t r_g / input_scale)
    ch.coef := b / scale;
    ch.input_scale := ch.input_scale / scale;
    EXECUTE format('SELECT pg_catalog.array_agg(%I::float8 ORDER BY %I) FROM %s AS src WHERE %I::text = $1',
                   channel, m.definition->>'date_column', m.source, m.options #>> '{geo,column}')
       INTO x USING geo;
    SELECT jsonb_array_length(r.inputs->'x') / jsonb_array_length(r.inputs->'channels') INTO nt
      FROM mixmodel.runs r WHERE r.model = _geo_channel.model AND r.run = _geo_channel.run;
    IF coalesce(cardinality(x), 0) <> nt OR array_position(x, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'the data of geo "%" changed since run % of model "%"', geo, run, model USING ERRCODE = '22000',
            DETAIL = format('%s periods with values; the run has %s.', cardinality(x), nt),
            HINT = 'Train the model again.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._geo_channel(text, integer, text, text) IS 'Internal: a geo''s paid channel as a channel spec on the geo''s own scale (coef beta_gc / r_g, input_scale / r_g on the national curve), the geo''s input series of the run''s periods and its scale r_g.';

CREATE FUNCTION mixmodel.geo_response_curve(model text, geo text, channel text,
        grid_points integer DEFAULT 31, max_multiple float8 DEFAULT 3.0)
    RETURNS TABLE (spend float8, multiple float8, response float8, marginal_response float8, marginal_roas float8,
                   is_current boolean, is_breakeven boolean, is_diminishing_returns boolean, is_peak boolean,
                   response_lower float8, response_upper float8, marginal_roas_lower float8, marginal_roas_upper float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 35
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    g record;
    lvl float8;
    gd float8[];
    draws float8[];
BEGIN
    PERFORM mixmodel._check_curve_grid(grid_points, max_multiple);
    IF geo IS NULL THEN
        RAISE EXCEPTION 'geo must not be NULL' USING ERRCODE = '22004';
    END IF;
    -- the national channel over the training rows (checks the model and the channel)
    p := mixmodel._response_input(model, channel, NULL, NULL);
    g := mixmodel._geo_channel(model, p.run, geo, channel);
    -- a Bayesian run: the national draws' curves with the geo's effect of the same draw
    lvl := mixmodel._run_level(model, p.run);
    SELECT d.coef INTO gd FROM mixmodel.run_geo_draws d
     WHERE d.model = geo_response_curve.model AND d.run = p.run AND d.geo = geo_response_curve.geo
       AND d.channel = geo_response_curve.channel;
    IF lvl IS NOT NULL AND gd IS NOT NULL THEN
        draws := ARRAY(SELECT CASE WHEN u.j % 5 = 0 THEN gd[u.j / 5] / g.scale ELSE u.v END
                         FROM unnest(mixmodel._run_channel_draws(model, p.run, channel, 200)) WITH ORDINALITY u(v, j)
                        ORDER BY u.j);
        IF cardinality(draws) <> 5 * cardinality(gd) THEN
            RAISE EXCEPTION 'the geo draws of run % of model "%" do not match its national draws', p.run, model
                USING ERRCODE = '22000', HINT = 'Train the model again.';
        END IF;
    END IF;
    RETURN QUERY
    SELECT * FROM mixmodel._response_curve_rows(p.form, g.ch, g.x, p.start, p.len, NULL,
               (SELECT sum(v) FROM unnest(g.x[p.start + 1 : p.start + p.len]) v), p.revenue_per_kpi,
               grid_points, max_multiple, draws, CASE WHEN draws IS NOT NULL THEN lvl END);
END $$;
COMMENT ON FUNCTION mixmodel.geo_response_curve(text, text, text, integer, float8) IS 'A paid channel''s response curve in one geo of a geo model''s current run, over its training rows: the geo''s incremental KPI when the geo''s spend of those rows is scaled from 0 to max_multiple times, with the geo''s weekly pattern and carry-in, on the national curve with the geo''s pooled effect and population scale; the same columns and flagged points as response_curve; for a Bayesian run the credible band over the national draws'' curves, each with the geo''s effect drawn with it.';

CREATE FUNCTION mixmodel.geo_plan(model text, budget float8, weeks integer DEFAULT 13, max_multiple float8 DEFAULT 3.0)
    RETURNS TABLE (geo text, channel text, historical_spend float8, spend float8, historical_revenue float8,
                   revenue float8, roas float8, marginal_roas float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 100
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    k_run int;
    cells record;
    ad text[] := '{}'; ap1 float8[] := '{}'; ap2 float8[] := '{}'; ml int[] := '{}'; nm boolean[] := '{}';
    sa text[] := '{}'; sp1 float8[] := '{}'; sp2 float8[] := '{}'; sc float8[] := '{}'; cf float8[] := '{}';
    hist float8[] := '{}'; hsp float8[] := '{}'; gs text[] := '{}'; cs text[] := '{}';
    nt int; nc int := 0; htotal float8;
    rpk float8;
    opt record; cur record;
    gc record;
    sums_o float8[]; sums_h float8[];
BEGIN
    IF model IS NULL OR budget IS NULL OR weeks IS NULL OR max_multiple IS NULL THEN
        RAISE EXCEPTION 'model, budget, weeks and max_multiple must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF NOT (budget > 0 AND budget < 'Infinity') THEN
        RAISE EXCEPTION 'budget must be positive and finite' USING ERRCODE = '22023', DETAIL = format('Got %s.', budget);
    END IF;
    IF weeks < 1 OR weeks > 104 THEN
        RAISE EXCEPTION 'weeks must be in the range [1, 104]' USING ERRCODE = '22023', DETAIL = format('Got %s.', weeks);
    END IF;
    IF NOT (max_multiple >= 1 AND max_multiple <= 100) THEN
        RAISE EXCEPTION 'max_multiple must be in the range [1, 100]' USING ERRCODE = '22023', DETAIL = format('Got %s.', max_multiple);
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    IF NOT m.options ? 'geo' THEN
        RAISE EXCEPTION 'model "%" is not a geo model', model USING ERRCODE = '22023',
            HINT = 'Plan a national model with create_plan.';
    END IF;
    IF m.options ? 'spend_columns' THEN
        RAISE EXCEPTION 'geo_plan needs media measured in spend' USING ERRCODE = '0A000',
            DETAIL = format('Model "%s" has spend_columns.', model);
    END IF;
    k_run := mixmodel._score_run(model);
    SELECT jsonb_array_length(r.inputs->'x') / jsonb_array_length(r.inputs->'channels') INTO nt
      FROM mixmodel.runs r WHERE r.model = geo_plan.model AND r.run = k_run;
    IF weeks > nt THEN
        RAISE EXCEPTION 'weeks must not exceed the model''s % periods', nt USING ERRCODE = '22023';
    END IF;
    -- every geo x paid channel is a curve of the planner; its history is the geo's series, the
    -- historical split is the last "weeks" periods' spend
    FOR gc IN SELECT g.geo, c.channel FROM mixmodel.run_geos g
                JOIN mixmodel.run_channels c ON c.model = g.model AND c.run = g.run AND c.paid
               WHERE g.model = geo_plan.model AND g.run = k_run ORDER BY g.position, c.position LOOP
        cells := mixmodel._geo_channel(model, k_run, gc.geo, gc.channel);
        nc := nc + 1;
        gs := gs || gc.geo; cs := cs || gc.channel;
        ad := ad || (cells.ch).adstock; ap1 := ap1 || (cells.ch).adstock_p1; ap2 := ap2 || (cells.ch).adstock_p2;
        ml := ml || (cells.ch).max_lag; nm := nm || (cells.ch).adstock_normalize; sa := sa || (cells.ch).saturation;
        sp1 := sp1 || (cells.ch).sat_p1; sp2 := sp2 || (cells.ch).sat_p2; sc := sc || (cells.ch).input_scale;
        cf := cf || (cells.ch).coef;
        hist := hist || cells.x;
        hsp := hsp || (SELECT coalesce(sum(v), 0) FROM unnest(cells.x[nt - weeks + 1 : nt]) v);
    END LOOP;
    SELECT sum(v) INTO htotal FROM unnest(hsp) v;
    IF NOT htotal > 0 THEN
        RAISE EXCEPTION 'model "%" has no spend in its last % periods', model, weeks USING ERRCODE = '22000';
    END IF;
    -- the historical split scaled to the budget
    hsp := ARRAY(SELECT v * budget / htotal FROM unnest(hsp) WITH ORDINALITY u(v, k) ORDER BY u.k);
    SELECT f.revenue_per_kpi INTO rpk
      FROM mixmodel._model_kpi_units(model) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
    -- the optimum: each cell between 0 and max_multiple times its historical share of the budget
    opt := mixmodel._plan_core(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, weeks, ARRAY[0], ARRAY[weeks],
               ARRAY[budget], array_fill(0::float8, ARRAY[nc]),
               ARRAY(SELECT CASE WHEN v > 0 THEN max_multiple * v ELSE budget END FROM unnest(hsp) WITH ORDINALITY u(v, k) ORDER BY u.k),
               NULL, 'budget', NULL, 'Infinity');
    -- the historical split, evaluated by the same curves
    cur := mixmodel._plan_core(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, weeks, ARRAY[0], ARRAY[weeks],
               ARRAY[budget], hsp, hsp, NULL, 'budget', NULL, 'Infinity');
    sums_o := ARRAY(SELECT (SELECT sum(opt.incr[(k - 1) * opt.horizon + t]) FROM generate_series(1, opt.horizon) t)
                      FROM generate_series(1, nc) k ORDER BY k);
    sums_h := ARRAY(SELECT (SELECT sum(cur.incr[(k - 1) * cur.horizon + t]) FROM generate_series(1, cur.horizon) t)
                      FROM generate_series(1, nc) k ORDER BY k);
    RETURN QUERY
    SELECT gs[k], cs[k], hsp[k],
           (SELECT sum(opt.x[(k - 1) * opt.horizon + t]) FROM generate_series(1, opt.horizon) t),
           rpk * sums_h[k], rpk * sums_o[k],
           rpk * sums_o[k] / nullif((SELECT sum(opt.x[(k - 1) * opt.horizon + t]) FROM generate_series(1, opt.horizon) t), 0),
           rpk * opt.flight_marginal[k]
      FROM generate_series(1, nc) k ORDER BY k;
END $$;
COMMENT ON FUNCTION mixmodel.geo_plan(text, float8, integer, float8) IS 'Allocates a budget over the next weeks across every geo and paid channel of a geo model''s current run (the planner of create_plan over geos x channels, each cell on the national curve with the geo''s pooled effect and population scale, carry-in from the geo''s history, spend flat over the weeks): each cell between 0 and max_multiple times its share of the budget under the historical split (the last weeks periods), against that historical split evaluated by the same curves. One row per geo and channel: spend and revenue of both splits, the planned ROAS and the marginal ROAS at the optimum (the flight''s multiplier for an interior cell).';
