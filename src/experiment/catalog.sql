-- experiment: stored experiments and their result views (doc/experiment.md)

CREATE TABLE mixmodel.experiments (
    name              text PRIMARY KEY,
    source            regclass NOT NULL,
    arm_column        name NOT NULL,
    control           text NOT NULL,
    conversion_column name,
    value_column      name,
    units_column      name,
    value_sq_column   name,
    time_column       name,
    filter            jsonb,
    options           jsonb NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner             regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.experiments IS 'Experiments (A/B/n tests, bandits, holdout lift studies) defined over a table that is read in place: its columns, the control arm, a filter and options (alpha, rho2, planned_split, srm_threshold, floor, draws, seed).';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.experiments', '');

-- options keys and their checks
CREATE FUNCTION mixmodel._experiment_check_options(options jsonb)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
    known text[] := ARRAY['alpha', 'rho2', 'planned_split', 'srm_threshold', 'floor', 'draws', 'seed'];
BEGIN
    IF options IS NULL OR jsonb_typeof(options) <> 'object' THEN
        RAISE EXCEPTION 'options must be a jsonb object' USING ERRCODE = '22023';
    END IF;
    FOR k IN SELECT jsonb_object_keys(options) LOOP
        IF NOT k = ANY (known) THEN
            RAISE EXCEPTION 'unknown experiment option "%"', k USING ERRCODE = '22023',
                HINT = 'Valid options are ' || array_to_string(known, ', ') || '.';
        END IF;
        IF k = 'planned_split' THEN
            IF jsonb_typeof(options->k) <> 'object' OR EXISTS (
                    SELECT 1 FROM jsonb_each(options->k) e
                     WHERE jsonb_typeof(e.value) <> 'number' OR NOT (e.value #>> '{}')::float8 > 0) THEN
                RAISE EXCEPTION 'option "planned_split" must be an object of arm: positive share' USING ERRCODE = '22023',
                    DETAIL = format('Got %s.', options->k);
            END IF;
        ELSIF jsonb_typeof(options->k) <> 'number' THEN
            RAISE EXCEPTION 'option "%" must be a number', k USING ERRCODE = '22023';
        END IF;
    END LOOP;
    IF NOT coalesce((options->>'alpha')::float8, 0.05) BETWEEN 1e-12 AND 0.999999 OR
       NOT coalesce((options->>'srm_threshold')::float8, 0.001) BETWEEN 1e-300 AND 0.999999 THEN
        RAISE EXCEPTION 'options "alpha" and "srm_threshold" must be in (0, 1)' USING ERRCODE = '22023';
    END IF;
    IF NOT coalesce((options->>'rho2')::float8, 1) > 0 OR (options->>'rho2')::float8 = 'Infinity' THEN
        RAISE EXCEPTION 'option "rho2" must be positive and finite' USING ERRCODE = '22023';
    END IF;
    IF NOT coalesce((options->>'floor')::float8, 0) BETWEEN 0 AND 0.5 THEN
        RAISE EXCEPTION 'option "floor" must be in [0, 1/K]' USING ERRCODE = '22023';
    END IF;
    IF NOT coalesce((options->>'draws')::numeric, 1) BETWEEN 1 AND 100000000 OR
       (options->>'draws')::numeric <> trunc((options->>'draws')::numeric) THEN
        RAISE EXCEPTION 'option "draws" must be a whole number in [1, 100000000]' USING ERRCODE = '22023';
    END IF;
    IF (options->>'seed')::numeric <> trunc((options->>'seed')::numeric) OR
       NOT coalesce((options->>'seed')::numeric, 0) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
        RAISE EXCEPTION 'option "seed" must be a bigint' USING ERRCODE = '22023';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_check_options(jsonb) IS 'Internal: validates an experiment''s options (unknown key or bad value: 22023).';

CREATE FUNCTION mixmodel.create_experiment(name text, source regclass, arm_column name, control text,
        conversion_column name DEFAULT NULL, value_column name DEFAULT NULL, units_column name DEFAULT NULL,
        value_sq_column name DEFAULT NULL, time_column name DEFAULT NULL, filter jsonb DEFAULT NULL,
        options jsonb DEFAULT '{}', replace boolean DEFAULT false)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own regrole;
BEGIN
    IF name IS NULL OR source IS NULL OR arm_column IS NULL OR control IS NULL OR options IS NULL OR replace IS NULL THEN
        RAISE EXCEPTION 'name, source, arm_column, control, options and replace must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM mixmodel._experiment_exprs(source, arm_column, conversion_column, value_column, units_column,
                                       value_sq_column, time_column, filter);
    PERFORM mixmodel._experiment_check_options(options);
    -- names are unique across owners: the caller's own experiment is redefined; one that
    -- belongs to a role the caller may not change is named in the error, nothing more
    SELECT e.owner INTO own FROM mixmodel.experiments e WHERE e.name = create_experiment.name;
    IF FOUND AND NOT pg_has_role(own, 'USAGE') THEN
        RAISE EXCEPTION 'experiment "%" already exists and belongs to another role', name USING ERRCODE = '23505',
            HINT = 'Experiment names are unique across roles: choose another name.';
    ELSIF FOUND AND NOT replace THEN
        RAISE EXCEPTION 'experiment "%" already exists', name USING ERRCODE = '23505',
            HINT = 'Pass replace => true to redefine it.';
    ELSIF FOUND THEN
        UPDATE mixmodel.experiments AS e
           SET source = create_experiment.source, arm_column = create_experiment.arm_column,
               control = create_experiment.control, conversion_column = create_experiment.conversion_column,
               value_column = create_experiment.value_column, units_column = create_experiment.units_column,
               value_sq_column = create_experiment.value_sq_column, time_column = create_experiment.time_column,
               filter = create_experiment.filter, options = create_experiment.options, created_at = pg_catalog.now()
         WHERE e.name = create_experiment.name;
    ELSE
        BEGIN
            INSERT INTO mixmodel.experiments (name, source, arm_column, control, conversion_column, value_column,
                                              units_column, value_sq_column, time_column, filter, options)
            VALUES (name, source, arm_column, control, conversion_column, value_column, units_column, value_sq_column,
                    time_column, filter, options);
        EXCEPTION WHEN unique_violation THEN
            -- created meanwhile by another session, or one the caller may not see (row-level security)
            IF EXISTS (SELECT 1 FROM mixmodel.experiments e
                        WHERE e.name = create_experiment.name AND pg_has_role(e.owner, 'USAGE')) THEN
                RAISE EXCEPTION 'experiment "%" already exists', name USING ERRCODE = '23505',
                    DETAIL = 'Another session created it meanwhile.', HINT = 'Pass replace => true to redefine it.';
            END IF;
            RAISE EXCEPTION 'experiment "%" already exists and belongs to another role', name USING ERRCODE = '23505',
                HINT = 'Experiment names are unique across roles: choose another name.';
        END;
    END IF;
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.create_experiment(text, regclass, name, text, name, name, name, name, name, jsonb, jsonb, boolean) IS
'Defines an experiment over a table read in place (per-unit rows, or pre-aggregated rows with units_column): the arm column, the control arm, outcome columns, the time column, a filter {column: value} and options (alpha, rho2, planned_split, srm_threshold, floor, draws, seed); replace => true redefines it. It belongs to the calling role (names are unique across roles). Its results are in experiment_results, experiment_daily, experiment_srm and bandit_weights.';

CREATE FUNCTION mixmodel.drop_experiment(name text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM mixmodel.experiments e WHERE e.name = drop_experiment.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'experiment "%" does not exist', name USING ERRCODE = '42704';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel.drop_experiment(text) IS 'Removes an experiment''s definition (its source table is not touched); only the calling role''s own experiments (42704 for another role''s).';

-- The stored experiment, or 42704.
CREATE FUNCTION mixmodel._experiment(name text)
    RETURNS mixmodel.experiments
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e mixmodel.experiments;
BEGIN
    SELECT * INTO e FROM mixmodel.experiments x WHERE x.name = _experiment.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'experiment "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    RETURN e;
END $$;
COMMENT ON FUNCTION mixmodel._experiment(text) IS 'Internal: the stored experiment of that name (42704 if none).';

CREATE FUNCTION mixmodel._experiment_results(name text)
    RETURNS TABLE (metric text, arm text, is_control boolean,
        units pg_catalog.float8, total pg_catalog.float8, mean pg_catalog.float8, sd pg_catalog.float8, mean_low pg_catalog.float8, mean_high pg_catalog.float8, diff pg_catalog.float8,
        lift pg_catalog.float8, se pg_catalog.float8, p_value pg_catalog.float8, ci_low pg_catalog.float8, ci_high pg_catalog.float8, anytime_p pg_catalog.float8,
        anytime_low pg_catalog.float8, anytime_high pg_catalog.float8, significant boolean, p_best pg_catalog.float8, expected_loss pg_catalog.float8,
        first_significant date, stayed_significant boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 6
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e mixmodel.experiments := mixmodel._experiment(name);
BEGIN
    RETURN QUERY SELECT * FROM mixmodel.analyze_experiment(e.source, e.arm_column, e.control, e.conversion_column,
        e.value_column, e.units_column, e.value_sq_column, e.time_column, e.filter,
        coalesce((e.options->>'alpha')::float8, 0.05), coalesce((e.options->>'rho2')::float8, 10 ^ -2.8),
        e.options->'planned_split', coalesce((e.options->>'srm_threshold')::float8, 0.001));
END $$;
COMMENT ON FUNCTION mixmodel._experiment_results(text) IS 'Internal: analyze_experiment of a stored experiment (the rows of experiment_results).';

CREATE FUNCTION mixmodel._experiment_daily(name text)
    RETURNS TABLE (day date, metric text, arm text, is_control boolean,
        units pg_catalog.float8, total pg_catalog.float8, mean pg_catalog.float8, mean_low pg_catalog.float8, mean_high pg_catalog.float8, diff pg_catalog.float8,
        anytime_low pg_catalog.float8, anytime_high pg_catalog.float8, anytime_p pg_catalog.float8, significant boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 200
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e mixmodel.experiments := mixmodel._experiment(name);
BEGIN
    IF e.time_column IS NOT NULL THEN
        RETURN QUERY SELECT * FROM mixmodel.experiment_sequence(e.source, e.arm_column, e.control, e.time_column,
            e.conversion_column, e.value_column, e.units_column, e.value_sq_column, e.filter,
            coalesce((e.options->>'alpha')::float8, 0.05), coalesce((e.options->>'rho2')::float8, 10 ^ -2.8));
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_daily(text) IS 'Internal: experiment_sequence of a stored experiment with a time column (the rows of experiment_daily).';

-- Sample-ratio mismatch of a stored experiment with a planned split.
CREATE FUNCTION mixmodel._experiment_srm(name text)
    RETURNS TABLE (arm text, units pg_catalog.float8, planned_share pg_catalog.float8,
        observed_share pg_catalog.float8, chi2 pg_catalog.float8, df integer, p_value pg_catalog.float8,
        mismatch boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 3
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e mixmodel.experiments := mixmodel._experiment(name);
    a record;
    planned float8[];
BEGIN
    IF e.options->'planned_split' IS NULL THEN
        RETURN;
    END IF;
    a := mixmodel._experiment_arms(e.source, e.arm_column, e.control, e.conversion_column, e.value_column,
                                   e.units_column, e.value_sq_column, e.filter);
    SELECT array_agg(coalesce((e.options #>> ARRAY['planned_split', x])::float8, 0) ORDER BY i)
      INTO planned FROM unnest(a.arms) WITH ORDINALITY u(x, i);
    RETURN QUERY
    SELECT u.x, u.n, u.w / sum(u.w) OVER (), u.n / sum(u.n) OVER (), s.chi2, s.df, s.p_value, s.mismatch
      FROM unnest(a.arms, a.units, planned) WITH ORDINALITY u(x, n, w, i),
           mixmodel.srm_test(a.units, planned, coalesce((e.options->>'srm_threshold')::float8, 0.001)) s
     ORDER BY u.i;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_srm(text) IS 'Internal: the sample-ratio mismatch check of a stored experiment against its planned_split (the rows of experiment_srm).';

-- Thompson-sampling weights a bandit would give each week (every 7 days from the first day).
CREATE FUNCTION mixmodel._experiment_bandit(name text)
    RETURNS TABLE (week integer, from_date date, arm text, units pg_catalog.float8, conversions pg_catalog.float8,
        p_best pg_catalog.float8, weight pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e mixmodel.experiments := mixmodel._experiment(name);
BEGIN
    IF e.time_column IS NULL OR e.conversion_column IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH s AS (
        SELECT d.day, d.arm, d.is_control, d.units, d.total
          FROM mixmodel._experiment_daily(name) AS d
         WHERE d.metric = 'conversion'),
    first AS (SELECT min(s.day) AS d0, max(s.day) AS d1 FROM s),
    -- after each full 7 days, the cumulative counts at the last look of that week
    cut AS (
        SELECT w.n AS week, f.d0 + 7 * w.n AS from_date,
               (SELECT max(s.day) FROM s WHERE s.day < f.d0 + 7 * w.n) AS look
          FROM first f, generate_series(1, (f.d1 - f.d0 + 1) / 7) w(n)),
    counts AS (
        SELECT c.week, c.from_date,
               array_agg(s.arm ORDER BY NOT s.is_control, s.arm COLLATE "C") AS arms,
               array_agg(s.units ORDER BY NOT s.is_control, s.arm COLLATE "C") AS u,
               array_agg(s.total ORDER BY NOT s.is_control, s.arm COLLATE "C") AS c
          FROM cut c JOIN s ON s.day = c.look GROUP BY 1, 2)
    SELECT q.week, q.from_date, q.arm, q.units, q.conversions, q.p_best, q.weight
      FROM (SELECT 1 AS week, f.d0 AS from_date, x.arm, 0::float8 AS units, 0::float8 AS conversions,
                   NULL::float8 AS p_best, 1::float8 / count(*) OVER () AS weight,
                   row_number() OVER (ORDER BY NOT x.is_control, x.arm COLLATE "C") AS k
              FROM first f, (SELECT DISTINCT s.arm, s.is_control FROM s) x
            UNION ALL
            SELECT k.week + 1, k.from_date, k.arms[t.arm], k.u[t.arm], k.c[t.arm], t.p_best, t.weight, t.arm
              FROM counts k,
                   mixmodel.thompson_weights(k.u, k.c, coalesce((e.options->>'floor')::float8, 0.05),
                                             coalesce((e.options->>'draws')::int, 10000),
                                             coalesce((e.options->>'seed')::bigint, 42)) t) q
     ORDER BY q.week, q.k;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_bandit(text) IS 'Internal: the weekly Thompson-sampling weights of a stored experiment (the rows of bandit_weights).';

CREATE VIEW mixmodel.experiment_results WITH (security_invoker = true) AS
SELECT e.name AS experiment, r.*
  FROM mixmodel.experiments e
 CROSS JOIN LATERAL mixmodel._experiment_results(e.name) AS r
 WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = e.source)
   AND pg_catalog.has_table_privilege(e.source, 'SELECT');
COMMENT ON VIEW mixmodel.experiment_results IS 'Per experiment, metric (conversion, value) and arm: units, total, mean and SD with its anytime-valid interval; against the control diff, lift, SE, fixed-horizon p-value and interval, anytime-valid p-value and interval (Bonferroni alpha/(K-1)), significance, P(best), expected loss, first significant day and whether it stayed so (analyze_experiment). Experiments whose source table was dropped, or that the querying role may not read, are left out (the results are computed from the source at every query, with the querying role''s rights).';

CREATE VIEW mixmodel.experiment_daily WITH (security_invoker = true) AS
SELECT e.name AS experiment, d.*
  FROM mixmodel.experiments e
 CROSS JOIN LATERAL mixmodel._experiment_daily(e.name) AS d
 WHERE e.time_column IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = e.source)
   AND pg_catalog.has_table_privilege(e.source, 'SELECT');
COMMENT ON VIEW mixmodel.experiment_daily IS 'The anytime-valid confidence sequence of each experiment with a time column, one row per day, metric and arm (long format for charts; experiment_sequence).';

CREATE VIEW mixmodel.experiment_srm WITH (security_invoker = true) AS
SELECT e.name AS experiment, s.*
  FROM mixmodel.experiments e
 CROSS JOIN LATERAL mixmodel._experiment_srm(e.name) s
 WHERE e.options ? 'planned_split' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = e.source)
   AND pg_catalog.has_table_privilege(e.source, 'SELECT');
COMMENT ON VIEW mixmodel.experiment_srm IS 'Sample-ratio mismatch check of each experiment with a planned_split: per arm units, planned and observed shares, the chi-square test and whether it flags a mismatch (srm_test).';

CREATE VIEW mixmodel.bandit_weights WITH (security_invoker = true) AS
SELECT e.name AS experiment, b.*
  FROM mixmodel.experiments e
 CROSS JOIN LATERAL mixmodel._experiment_bandit(e.name) b
 WHERE e.time_column IS NOT NULL AND e.conversion_column IS NOT NULL
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = e.source)
   AND pg_catalog.has_table_privilege(e.source, 'SELECT');
COMMENT ON VIEW mixmodel.bandit_weights IS 'Thompson-sampling traffic weights of each experiment with a time column, week by week as Journey Optimizer re-weights a bandit every 7 days: week 1 splits evenly; the weights of week w + 1, from from_date, come from the cumulative units and conversions of the first w weeks (thompson_weights with the experiment''s floor, draws and seed).';
