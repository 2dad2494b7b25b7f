-- experiment: analysis of an experiment read from any table (doc/experiment.md, formulas §7)
--
-- The source is taken as regclass with named columns and read in place: per-unit rows (one per
-- profile or send: arm, converted, value) or pre-aggregated rows (units_column given: per day
-- and arm, say).  Every identifier is quoted and every value a literal of format().

-- The SQL fragments that read a source: checked columns, one expression each.
CREATE FUNCTION mixmodel._experiment_exprs(source regclass, arm_column name, conversion_column name,
        value_column name, units_column name, value_sq_column name, time_column name, filter jsonb,
        OUT arm text, OUT units text, OUT conv text, OUT val text, OUT valsq text, OUT day text, OUT cond text)
    RETURNS record
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ty regtype;
    k text;
    v jsonb;
    conds text[] := '{}';
    numeric_types regtype[] := ARRAY['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']::regtype[];
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION 'source must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF arm_column IS NULL THEN
        RAISE EXCEPTION 'arm_column must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM mixmodel._model_check_column(source, arm_column, 'arm_column');
    arm := format('(%I)::pg_catalog.text', arm_column);
    IF conversion_column IS NULL AND value_column IS NULL THEN
        RAISE EXCEPTION 'an experiment needs conversion_column or value_column' USING ERRCODE = '22023',
            HINT = 'conversion_column marks converted units; value_column holds a metric per unit such as revenue.';
    END IF;
    IF units_column IS NOT NULL AND value_column IS NOT NULL AND value_sq_column IS NULL THEN
        RAISE EXCEPTION 'pre-aggregated rows need value_sq_column for the metric''s variance' USING ERRCODE = '22023',
            HINT = 'Give the sum of squared values per row, or analyse per-unit rows.';
    END IF;
    FOR k, ty IN
        SELECT c.col, a.atttypid::regtype
          FROM (VALUES (conversion_column), (value_column), (units_column), (value_sq_column)) c(col)
          LEFT JOIN pg_attribute a ON a.attrelid = source AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.col IS NOT NULL
    LOOP
        PERFORM mixmodel._model_check_column(source, k, 'an outcome column');
        IF NOT (ty = ANY (numeric_types) OR (k = conversion_column AND ty = 'boolean'::regtype)) THEN
            RAISE EXCEPTION 'column "%" of % must be numeric', k, source USING ERRCODE = '42804',
                DETAIL = format('It is %s.', ty);
        END IF;
    END LOOP;
    IF units_column IS NULL THEN
        units := 'pg_catalog.float8 ''1''';
        conv := CASE WHEN conversion_column IS NULL THEN 'pg_catalog.float8 ''0'''
                     WHEN (SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = source AND a.attname = conversion_column) = 'boolean'::regtype
                     THEN format('CASE WHEN %I THEN pg_catalog.float8 ''1'' ELSE pg_catalog.float8 ''0'' END', conversion_column)
                     ELSE format('CASE WHEN %I > 0 THEN pg_catalog.float8 ''1'' ELSE pg_catalog.float8 ''0'' END', conversion_column) END;
        val := CASE WHEN value_column IS NULL THEN 'pg_catalog.float8 ''0'''
                    ELSE format('coalesce((%I)::pg_catalog.float8, 0)', value_column) END;
        valsq := format('%1$s * %1$s', val);
    ELSE
        IF (SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = source AND a.attname = conversion_column) = 'boolean'::regtype THEN
            RAISE EXCEPTION 'with units_column, conversion_column must count converted units' USING ERRCODE = '42804';
        END IF;
        units := format('coalesce((%I)::pg_catalog.float8, 0)', units_column);
        conv := CASE WHEN conversion_column IS NULL THEN 'pg_catalog.float8 ''0'''
                     ELSE format('coalesce((%I)::pg_catalog.float8, 0)', conversion_column) END;
        val := CASE WHEN value_column IS NULL THEN 'pg_catalog.float8 ''0'''
                    ELSE format('coalesce((%I)::pg_catalog.float8, 0)', value_column) END;
        valsq := CASE WHEN value_column IS NULL THEN 'pg_catalog.float8 ''0'''
                      ELSE format('coalesce((%I)::pg_catalog.float8, 0)', value_sq_column) END;
    END IF;
    IF time_column IS NOT NULL THEN
        PERFORM mixmodel._model_check_column(source, time_column, 'time_column');
        ty := (SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = source AND a.attname = time_column);
        day := CASE ty WHEN 'date'::regtype THEN format('%I', time_column)
                       WHEN 'timestamp without time zone'::regtype THEN format('(%I)::pg_catalog.date', time_column)
                       -- UTC days whatever the session's or a worker's time zone
                       WHEN 'timestamp with time zone'::regtype THEN format('(pg_catalog.timezone(''UTC'', %I))::pg_catalog.date', time_column)
               END;
        IF day IS NULL THEN
            RAISE EXCEPTION 'column "%" of % must be a date or a timestamp', time_column, source USING ERRCODE = '42804',
                DETAIL = format('It is %s.', ty);
        END IF;
    END IF;
    IF filter IS NOT NULL THEN
        IF jsonb_typeof(filter) <> 'object' THEN
            RAISE EXCEPTION 'filter must be a jsonb object of column: value' USING ERRCODE = '22023',
                HINT = 'For example ''{"experiment": "subject_line"}''.';
        END IF;
        FOR k, v IN SELECT * FROM jsonb_each(filter) LOOP
            PERFORM mixmodel._model_check_column(source, k, 'a filter column');
            IF jsonb_typeof(v) IN ('object', 'array') THEN
                RAISE EXCEPTION 'filter value of column "%" must be a scalar', k USING ERRCODE = '22023';
            END IF;
            conds := conds || CASE WHEN jsonb_typeof(v) = 'null' THEN format('%I IS NULL', k)
                                   ELSE format('%I = %L', k, v #>> '{}') END;
        END LOOP;
    END IF;
    cond := CASE WHEN cardinality(conds) > 0 THEN ' WHERE ' || array_to_string(conds, ' AND ') ELSE '' END;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_exprs(regclass, name, name, name, name, name, name, jsonb) IS
'Internal: checks an experiment''s source columns and returns the SQL expressions that read them (arm, units, conversions, value, its square, UTC day) and the WHERE clause of the filter.';

-- The checks of an experiment's arms (control first, then by name) and their units.
CREATE FUNCTION mixmodel._experiment_check_arms(source regclass, arm_column name, control text, filter jsonb,
        arms text[], units pg_catalog.float8[])
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF coalesce(cardinality(arms), 0) = 0 THEN
        RAISE EXCEPTION 'experiment source % has no rows', source USING ERRCODE = '22000',
            DETAIL = CASE WHEN filter IS NOT NULL THEN format('Filter %s.', filter) END;
    END IF;
    IF array_position(arms, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'column "%" of % has NULL assignments', arm_column, source USING ERRCODE = '22004',
            HINT = 'Every unit needs the arm it was assigned to; filter out unassigned rows.';
    END IF;
    IF arms[1] IS DISTINCT FROM control THEN
        RAISE EXCEPTION 'control "%" is not among the arms', control USING ERRCODE = '22023',
            DETAIL = format('Arms: %s.', array_to_string(arms, ', '));
    END IF;
    FOR i IN 1 .. cardinality(arms) LOOP
        IF NOT units[i] > 0 THEN
            RAISE EXCEPTION 'arm "%" has no units', arms[i] USING ERRCODE = '22023',
                HINT = 'Leave out arms that were never assigned, or check the units column.';
        END IF;
    END LOOP;
    IF cardinality(arms) < 2 THEN
        RAISE EXCEPTION 'an experiment needs at least two arms' USING ERRCODE = '22023',
            DETAIL = format('Only "%s" has units.', control);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._experiment_check_arms(regclass, name, text, jsonb, text[], pg_catalog.float8[]) IS
'Internal: 22000 for no rows, 22004 for a NULL assignment, 22023 for a control that is not the first arm, an arm without units or a single arm.';

-- Units, conversions, sum and sum of squares of the metric per arm, by one parallel aggregate.
CREATE FUNCTION mixmodel._experiment_arms(source regclass, arm_column name, control text,
        conversion_column name, value_column name, units_column name, value_sq_column name, filter jsonb,
        OUT arms text[], OUT units pg_catalog.float8[], OUT conversions pg_catalog.float8[],
        OUT means pg_catalog.float8[], OUT sds pg_catalog.float8[])
    RETURNS record
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e record;
    q text;
BEGIN
    IF control IS NULL THEN
        RAISE EXCEPTION 'control must not be NULL' USING ERRCODE = '22004';
    END IF;
    e := mixmodel._experiment_exprs(source, arm_column, conversion_column, value_column, units_column,
                                    value_sq_column, NULL, filter);
    IF units_column IS NULL THEN
        q := format('SELECT %s AS arm, mixmodel.arm_stats(%s, %s) AS s FROM %s%s GROUP BY 1',
                    e.arm, e.conv, e.val, source, e.cond);
    ELSE
        q := format('SELECT %s AS arm, mixmodel.arm_stats(%s, %s, %s, %s) AS s FROM %s%s GROUP BY 1',
                    e.arm, e.units, e.conv, e.val, e.valsq, source, e.cond);
    END IF;
    -- the control first, then the other arms by name
    EXECUTE format('SELECT pg_catalog.array_agg(q.arm ORDER BY q.k), pg_catalog.array_agg(coalesce((q.s).units, 0) ORDER BY q.k), '
                   'pg_catalog.array_agg((q.s).conversions ORDER BY q.k), pg_catalog.array_agg((q.s).value_mean ORDER BY q.k), '
                   'pg_catalog.array_agg(coalesce((q.s).value_sd, 0) ORDER BY q.k) '
                   'FROM (SELECT x.*, pg_catalog.row_number() OVER (ORDER BY x.arm IS DISTINCT FROM %L, x.arm COLLATE "C") AS k FROM (%s) x) q',
                   control, q)
       INTO arms, units, conversions, means, sds;
    PERFORM mixmodel._experiment_check_arms(source, arm_column, control, filter, arms, units);
END $$;
COMMENT ON FUNCTION mixmodel._experiment_arms(regclass, name, text, name, name, name, name, jsonb) IS
'Internal: per arm (the control first, then by name) units, conversions, metric mean and SD of an experiment''s source, one GROUP BY with mixmodel.arm_stats.';

CREATE FUNCTION mixmodel.experiment_sequence(source regclass, arm_column name, control text, time_column name,
        conversion_column name DEFAULT NULL, value_column name DEFAULT NULL, units_column name DEFAULT NULL,
        value_sq_column name DEFAULT NULL, filter jsonb DEFAULT NULL,
        alpha pg_catalog.float8 DEFAULT 0.05, rho2 pg_catalog.float8 DEFAULT 10 ^ -2.8)
    RETURNS TABLE (day date, metric text, arm text, is_control boolean, units pg_catalog.float8,
        total pg_catalog.float8, mean pg_catalog.float8, mean_low pg_catalog.float8, mean_high pg_catalog.float8,
        diff pg_catalog.float8, anytime_low pg_catalog.float8, anytime_high pg_catalog.float8,
        anytime_p pg_catalog.float8, significant boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 200
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e record;
    days date[];
    arms text[];
    us float8[]; cs float8[]; vs float8[]; vvs float8[];
    order_arms text[];
    order_units float8[];
BEGIN
    IF time_column IS NULL THEN
        RAISE EXCEPTION 'time_column must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF alpha IS NULL OR rho2 IS NULL OR NOT (alpha > 0 AND alpha < 1) OR NOT (rho2 > 0 AND rho2 < 'Infinity') THEN
        RAISE EXCEPTION 'alpha must be in (0, 1) and rho2 positive and finite' USING ERRCODE = '22023',
            DETAIL = format('Got alpha %s, rho2 %s.', alpha, rho2);
    END IF;
    e := mixmodel._experiment_exprs(source, arm_column, conversion_column, value_column, units_column,
                                    value_sq_column, time_column, filter);
    -- one scan: sums per day and arm
    EXECUTE format('SELECT pg_catalog.array_agg(d.day), pg_catalog.array_agg(d.arm), pg_catalog.array_agg(d.u), '
                   'pg_catalog.array_agg(d.c), pg_catalog.array_agg(d.v), pg_catalog.array_agg(d.vv) FROM '
                   '(SELECT %s AS day, %s AS arm, pg_catalog.sum(%s) AS u, pg_catalog.sum(%s) AS c, '
                   'pg_catalog.sum(%s) AS v, pg_catalog.sum(%s) AS vv FROM %s%s GROUP BY 1, 2) d',
                   e.day, e.arm, e.units, e.conv, e.val, e.valsq, source, e.cond)
       INTO days, arms, us, cs, vs, vvs;
    SELECT array_agg(x.arm ORDER BY x.arm IS DISTINCT FROM control, x.arm COLLATE "C"),
           array_agg(x.u ORDER BY x.arm IS DISTINCT FROM control, x.arm COLLATE "C")
      INTO order_arms, order_units
      FROM (SELECT y.arm, sum(y.u) AS u FROM unnest(arms, us) y(arm, u) GROUP BY 1) x;
    PERFORM mixmodel._experiment_check_arms(source, arm_column, control, filter, order_arms, order_units);
    IF array_position(days, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'column "%" of % has NULL times', time_column, source USING ERRCODE = '22004',
            HINT = 'Every unit needs the time it was assigned.';
    END IF;
    RETURN QUERY
    WITH d AS (SELECT * FROM unnest(days, arms, us, cs, vs, vvs) d(day, arm, u, c, v, vv)),
    grid AS (
        SELECT t.day, x.k, coalesce(d.u, 0) AS u, coalesce(d.c, 0) AS c, coalesce(d.v, 0) AS v, coalesce(d.vv, 0) AS vv
          FROM (SELECT DISTINCT d.day FROM d) t
         CROSS JOIN unnest(order_arms) WITH ORDINALITY x(arm, k)
          LEFT JOIN d ON d.day = t.day AND d.arm = x.arm),
    cum AS (
        SELECT g.day, g.k, sum(g.u) OVER w AS u, sum(g.c) OVER w AS c, sum(g.v) OVER w AS v, sum(g.vv) OVER w AS vv
          FROM grid g WINDOW w AS (PARTITION BY g.k ORDER BY g.day)),
    looks AS (
        SELECT c.day, array_agg(c.u ORDER BY c.k) AS u, array_agg(c.c ORDER BY c.k) AS c,
               array_agg(c.v / c.u ORDER BY c.k) AS m,
               array_agg(sqrt(GREATEST(c.vv - c.v * (c.v / c.u), 0) / GREATEST(c.u - 1, 1)) ORDER BY c.k) AS s
          FROM cum c GROUP BY c.day
        HAVING min(c.u) >= 2)
    SELECT q.day, q.metric, q.arm, q.is_control, q.units, q.total, q.mean, q.mean_low, q.mean_high,
           q.diff, q.anytime_low, q.anytime_high, q.anytime_p, q.significant
      FROM (SELECT l.day, 'conversion'::text AS metric, order_arms[t.arm] AS arm, t.arm = 1 AS is_control,
                   t.units, t.conversions AS total, t.rate AS mean, i.low AS mean_low, i.high AS mean_high,
                   t.diff, t.anytime_low, t.anytime_high, t.anytime_p,
                   CASE WHEN t.arm > 1 THEN t.anytime_p < alpha / (cardinality(order_arms) - 1) END AS significant,
                   t.arm AS k
              FROM looks l
             CROSS JOIN LATERAL mixmodel.ab_test(l.u, l.c, alpha, rho2) t
              LEFT JOIN LATERAL mixmodel.anytime_interval(t.units, t.rate,
                           sqrt(t.rate * (1 - t.rate) * t.units / (t.units - 1)), alpha, rho2) i ON true
             WHERE conversion_column IS NOT NULL
            UNION ALL
            SELECT l.day, 'value'::text, order_arms[t.arm], t.arm = 1, t.n, t.n * t.mean, t.mean, i.low, i.high,
                   t.diff, t.anytime_low, t.anytime_high, t.anytime_p,
                   CASE WHEN t.arm > 1 THEN t.anytime_p < alpha / (cardinality(order_arms) - 1) END, t.arm
              FROM looks l
             CROSS JOIN LATERAL mixmodel.ab_test_welch(l.u, l.m, l.s, alpha, rho2) t
              LEFT JOIN LATERAL mixmodel.anytime_interval(t.n, t.mean, t.sd, alpha, rho2) i ON true
             WHERE value_column IS NOT NULL) q
     ORDER BY q.day, q.metric, q.k;
END $$;
COMMENT ON FUNCTION mixmodel.experiment_sequence(regclass, name, text, name, name, name, name, name, jsonb, pg_catalog.float8, pg_catalog.float8) IS
'The anytime-valid confidence sequence of an experiment day by day (long format for charts): per day, metric (conversion, value) and arm the cumulative units, total and mean with its anytime-valid interval, and against the control the difference, its anytime-valid interval and p-value at the Bonferroni level alpha/(K-1) (formulas §7.2, §7.4) and whether it is significant. Days start once every arm has two units; days are UTC for timestamptz.';

CREATE FUNCTION mixmodel.analyze_experiment(source regclass, arm_column name, control text,
        conversion_column name DEFAULT NULL, value_column name DEFAULT NULL, units_column name DEFAULT NULL,
        value_sq_column name DEFAULT NULL, time_column name DEFAULT NULL, filter jsonb DEFAULT NULL,
        alpha pg_catalog.float8 DEFAULT 0.05, rho2 pg_catalog.float8 DEFAULT 10 ^ -2.8,
        planned_split jsonb DEFAULT NULL, srm_threshold pg_catalog.float8 DEFAULT 0.001)
    RETURNS TABLE (metric text, arm text, is_control boolean, units pg_catalog.float8, total pg_catalog.float8,
        mean pg_catalog.float8, sd pg_catalog.float8, mean_low pg_catalog.float8, mean_high pg_catalog.float8,
        diff pg_catalog.float8, lift pg_catalog.float8, se pg_catalog.float8, p_value pg_catalog.float8,
        ci_low pg_catalog.float8, ci_high pg_catalog.float8, anytime_p pg_catalog.float8,
        anytime_low pg_catalog.float8, anytime_high pg_catalog.float8, significant boolean,
        p_best pg_catalog.float8, expected_loss pg_catalog.float8, first_significant date,
        stayed_significant boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 6
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a record;
    srm record;
    planned float8[];
    k text;
BEGIN
    IF alpha IS NULL OR rho2 IS NULL OR NOT (alpha > 0 AND alpha < 1) OR NOT (rho2 > 0 AND rho2 < 'Infinity') THEN
        RAISE EXCEPTION 'alpha must be in (0, 1) and rho2 positive and finite' USING ERRCODE = '22023',
            DETAIL = format('Got alpha %s, rho2 %s.', alpha, rho2);
    END IF;
    a := mixmodel._experiment_arms(source, arm_column, control, conversion_column, value_column,
                                   units_column, value_sq_column, filter);

    -- sample-ratio mismatch against the planned split
    IF planned_split IS NOT NULL THEN
        IF jsonb_typeof(planned_split) <> 'object' THEN
            RAISE EXCEPTION 'planned_split must be a jsonb object of arm: share' USING ERRCODE = '22023';
        END IF;
        FOR k IN SELECT jsonb_object_keys(planned_split) LOOP
            IF NOT k = ANY (a.arms) THEN
                RAISE EXCEPTION 'planned_split names arm "%", which has no units', k USING ERRCODE = '22023',
                    DETAIL = format('Arms: %s.', array_to_string(a.arms, ', '));
            END IF;
        END LOOP;
        SELECT array_agg(CASE WHEN jsonb_typeof(planned_split->x) = 'number' THEN (planned_split->>x)::float8 END ORDER BY i)
          INTO planned FROM unnest(a.arms) WITH ORDINALITY u(x, i);
        IF array_position(planned, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'planned_split has no share for arm "%"', a.arms[array_position(planned, NULL)] USING ERRCODE = '22023',
                HINT = 'Give every arm a positive share, for example {"A": 0.5, "B": 0.5}.';
        END IF;
        srm := mixmodel.srm_test(a.units, planned, srm_threshold);
        IF srm.mismatch THEN
            RAISE WARNING 'sample ratio mismatch: the units per arm do not follow the planned split'
                USING DETAIL = format('Chi-square %s with %s degrees of freedom, p = %s; units %s against planned %s.',
                                      round(srm.chi2::numeric, 2), srm.df, to_char(srm.p_value, '9.99EEEE'),
                                      (SELECT string_agg(format('%s %s', x, u), ', ' ORDER BY i) FROM unnest(a.arms, a.units) WITH ORDINALITY q(x, u, i)),
                                      planned_split),
                      HINT = 'Find out why assignment or logging lost units before trusting the results.';
        END IF;
    END IF;

    RETURN QUERY
    WITH conv AS (
        SELECT 'conversion'::text AS metric, a.arms[t.arm] AS arm, t.arm = 1 AS control, t.units, t.conversions AS total,
               t.rate AS mean, CASE WHEN t.units > 1 THEN sqrt(t.rate * (1 - t.rate) * t.units / (t.units - 1)) END AS sd,
               t.diff, t.lift, t.p_value, t.ci_low, t.ci_high, t.anytime_p, t.anytime_low, t.anytime_high,
               t.p_best, p.expected_loss, t.arm AS k
          FROM mixmodel.ab_test(a.units, a.conversions, alpha, rho2) t
          JOIN mixmodel.ab_posterior(a.units, a.conversions) p ON p.arm = t.arm
         WHERE conversion_column IS NOT NULL),
    val AS (
        SELECT 'value'::text AS metric, a.arms[t.arm] AS arm, t.arm = 1 AS control, t.n AS units, t.n * t.mean AS total,
               t.mean, CASE WHEN t.n > 1 THEN t.sd END AS sd, t.diff, t.lift, t.se, t.p_value, t.ci_low, t.ci_high,
               t.anytime_p, t.anytime_low, t.anytime_high, t.p_best, p.expected_loss, t.arm AS k
          FROM mixmodel.ab_test_welch(a.units, a.means, a.sds, alpha, rho2) t
          JOIN mixmodel.ab_posterior_means(a.units, a.means, a.sds) p ON p.arm = t.arm
         WHERE value_column IS NOT NULL),
    res AS (
        SELECT c.metric, c.arm, c.control, c.units, c.total, c.mean, c.sd, c.diff, c.lift,
               CASE WHEN NOT c.control THEN sqrt(a.conversions[1] / a.units[1] * (1 - a.conversions[1] / a.units[1]) / a.units[1]
                                             + c.mean * (1 - c.mean) / c.units) END AS se,
               c.p_value, c.ci_low, c.ci_high, c.anytime_p, c.anytime_low, c.anytime_high, c.p_best, c.expected_loss, c.k
          FROM conv c
        UNION ALL
        SELECT v.metric, v.arm, v.control, v.units, v.total, v.mean, v.sd, v.diff, v.lift, v.se,
               v.p_value, v.ci_low, v.ci_high, v.anytime_p, v.anytime_low, v.anytime_high, v.p_best, v.expected_loss, v.k
          FROM val v),
    seq AS (
        SELECT s.metric, s.arm, s.day, s.significant
          FROM mixmodel.experiment_sequence(source, arm_column, control, time_column, conversion_column, value_column,
                                            units_column, value_sq_column, filter, alpha, rho2) s
         WHERE time_column IS NOT NULL AND NOT s.is_control),
    first AS (
        SELECT s.metric, s.arm, min(s.day) FILTER (WHERE s.significant) AS day FROM seq s GROUP BY 1, 2)
    SELECT r.metric, r.arm, r.control, r.units, r.total, r.mean, r.sd, i.low, i.high, r.diff, r.lift, r.se,
           r.p_value, r.ci_low, r.ci_high, r.anytime_p, r.anytime_low, r.anytime_high,
           CASE WHEN NOT r.control THEN r.anytime_p < alpha / (cardinality(a.arms) - 1) END,
           r.p_best, r.expected_loss, f.day,
           CASE WHEN f.day IS NOT NULL THEN
               (SELECT bool_and(s.significant) FROM seq s WHERE s.metric = r.metric AND s.arm = r.arm AND s.day >= f.day) END
      FROM res r
      LEFT JOIN first f ON f.metric = r.metric AND f.arm = r.arm
      LEFT JOIN LATERAL mixmodel.anytime_interval(r.units, r.mean, r.sd, alpha, rho2) i ON true
     ORDER BY r.metric, r.k;
END $$;
COMMENT ON FUNCTION mixmodel.analyze_experiment(regclass, name, text, name, name, name, name, name, jsonb, pg_catalog.float8, pg_catalog.float8, jsonb, pg_catalog.float8) IS
'Analysis of an experiment read in place from any table (per-unit rows, or pre-aggregated rows with units_column): per metric (conversion rate, value per unit) and arm the units, total, mean and SD with its anytime-valid interval, and against the control diff, lift, standard error, fixed-horizon test (pooled z / Welch) and interval, anytime-valid p-value and interval (formulas §7.2, Bonferroni alpha/(K-1)), significance, P(best) and expected loss (§7.5), and with time_column the first significant day and whether it stayed so. A WARNING on a sample-ratio mismatch against planned_split.';
