-- experiment: an experiment's measured lift as a model's lift study and ROI prior
-- (doc/experiment.md "Into the model", formulas §8)

CREATE FUNCTION mixmodel.register_lift_study(model text, experiment text, channel text,
        treatment text DEFAULT NULL, metric text DEFAULT 'value', scope text DEFAULT 'total',
        spend pg_catalog.float8 DEFAULT NULL, calibration text DEFAULT 'gaussian',
        start_date date DEFAULT NULL, end_date date DEFAULT NULL, register_as text DEFAULT 'lift_study')
    RETURNS TABLE (study_start date, study_end date, lift_abs pg_catalog.float8, lift_se pg_catalog.float8,
        study_spend pg_catalog.float8, roi_mean pg_catalog.float8, roi_sd pg_catalog.float8,
        roi_mu pg_catalog.float8, roi_sigma pg_catalog.float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
    -- the arm statistics are a parallel aggregate whose last bits depend on how the rows
    -- split over workers (and a synchronised scan's start): read serially, in table order,
    -- so the registered lift, and the posterior trained on it, are the same on every run
    SET max_parallel_workers_per_gather = 0
    SET synchronize_seqscans = off
AS $$
DECLARE
    m mixmodel.models;
    e mixmodel.experiments;
    r record;
    a record;
    found_arm boolean := false;
    ex record;
    k int;
    d0 date;
    d1 date;
    sp float8;
    col text;
    study jsonb;
    prior jsonb;
    o jsonb;
    inference text;
BEGIN
    IF model IS NULL OR experiment IS NULL OR channel IS NULL OR metric IS NULL OR scope IS NULL OR calibration IS NULL
       OR register_as IS NULL THEN
        RAISE EXCEPTION 'model, experiment, channel, metric, scope, calibration and register_as must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM mixmodel.models mm WHERE mm.name = model FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    e := mixmodel._experiment(experiment);
    IF NOT channel IN (SELECT jsonb_array_elements_text(coalesce(m.definition->'media', '[]') || coalesce(m.definition->'organic', '[]')
                                                          || coalesce(m.definition->'touchpoints', '[]'))) THEN
        RAISE EXCEPTION 'channel "%" is not in model "%"', channel, model USING ERRCODE = '42704';
    END IF;
    IF NOT metric IN ('value', 'conversion') THEN
        RAISE EXCEPTION 'metric must be value or conversion' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', metric),
            HINT = 'value: incremental revenue (a revenue KPI); conversion: incremental conversions (a count KPI).';
    END IF;
    IF (metric = 'value' AND e.value_column IS NULL) OR (metric = 'conversion' AND e.conversion_column IS NULL) THEN
        RAISE EXCEPTION 'experiment "%" has no % column', experiment, metric USING ERRCODE = '22023';
    END IF;
    IF NOT scope IN ('total', 'immediate') THEN
        RAISE EXCEPTION 'scope must be total or immediate' USING ERRCODE = '22023', DETAIL = format('Got "%s".', scope);
    END IF;
    IF NOT calibration IN ('gaussian', 'mape_lift') THEN
        RAISE EXCEPTION 'calibration must be gaussian or mape_lift' USING ERRCODE = '22023', DETAIL = format('Got "%s".', calibration);
    END IF;
    IF NOT register_as IN ('lift_study', 'roi_prior') THEN
        RAISE EXCEPTION 'register_as must be lift_study or roi_prior' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', register_as);
    END IF;
    -- a Bayesian model takes the experiment either as a likelihood term or as the channel's ROI
    -- prior, never both: the same evidence counted twice would narrow the posterior falsely
    inference := coalesce(m.options->>'inference', 'bayes');
    IF inference <> 'ridge' AND calibration <> 'gaussian' THEN
        RAISE EXCEPTION 'calibration % does not apply to inference %', calibration, inference USING ERRCODE = '22023',
            HINT = 'Bayesian models take each lift study as a Gaussian likelihood term (calibration gaussian).';
    END IF;
    IF register_as = 'roi_prior' AND inference = 'ridge' THEN
        RAISE EXCEPTION 'ROI priors do not apply to inference ridge' USING ERRCODE = '22023',
            HINT = 'Register the experiment as a lift study (register_as lift_study), or use a model with inference bayes.';
    END IF;
    IF register_as = 'roi_prior' AND NOT channel IN (SELECT jsonb_array_elements_text(coalesce(m.definition->'media', '[]'))) THEN
        RAISE EXCEPTION 'channel "%" is not a paid channel of model "%"', channel, model USING ERRCODE = '22023',
            HINT = 'An ROI prior is on incremental revenue per unit of spend; register the experiment as a lift study instead.';
    END IF;
    IF e.time_column IS NULL AND (start_date IS NULL OR end_date IS NULL) THEN
        RAISE EXCEPTION 'experiment "%" has no time column', experiment USING ERRCODE = '22023',
            HINT = 'Give the study''s start_date and end_date, or redefine the experiment with time_column.';
    END IF;
    IF register_as = 'lift_study' AND jsonb_typeof(m.options->'experiments') = 'string' THEN
        RAISE EXCEPTION 'model "%" reads its lift studies from table %', model, m.options->>'experiments' USING ERRCODE = '22023',
            HINT = 'Add the study to that table, or drop the option to keep studies in the model''s options.';
    END IF;
    IF spend IS NOT NULL AND NOT (spend > 0 AND spend < 'Infinity') THEN
        RAISE EXCEPTION 'spend must be positive and finite' USING ERRCODE = '22023', DETAIL = format('Got %s.', spend);
    END IF;

    -- the measured difference against the control, per unit, and the treated units (one analysis)
    k := 0;
    FOR a IN
        SELECT x.* FROM mixmodel._experiment_results(experiment) AS x
         WHERE x.metric = register_lift_study.metric AND NOT x.is_control
    LOOP
        k := k + 1;
        IF a.arm = coalesce(treatment, a.arm) THEN
            r := a;
            found_arm := true;
        END IF;
    END LOOP;
    IF treatment IS NULL AND k <> 1 THEN
        RAISE EXCEPTION 'experiment "%" has % treatment arms', experiment, k USING ERRCODE = '22023',
            HINT = 'Name the arm that was exposed to the channel with treatment.';
    END IF;
    IF NOT found_arm THEN
        RAISE EXCEPTION 'treatment "%" is not a treatment arm of experiment "%"', treatment, experiment USING ERRCODE = '22023';
    END IF;
    IF NOT r.se > 0 THEN
        RAISE EXCEPTION 'the lift of experiment "%" has no standard error', experiment USING ERRCODE = '22000',
            HINT = 'Both arms need at least two units and some variation in the metric.';
    END IF;
    IF e.time_column IS NOT NULL THEN
        ex := mixmodel._experiment_exprs(e.source, e.arm_column, e.conversion_column, e.value_column,
                                         e.units_column, e.value_sq_column, e.time_column, e.filter);
        EXECUTE format('SELECT pg_catalog.min(%1$s), pg_catalog.max(%1$s) FROM %2$s%3$s', ex.day, e.source, ex.cond)
           INTO d0, d1;
    END IF;
    d0 := coalesce(start_date, d0);
    d1 := coalesce(end_date, d1);
    IF d1 < d0 THEN
        RAISE EXCEPTION 'the study ends before it starts' USING ERRCODE = '22023',
            DETAIL = format('%s to %s.', d0, d1);
    END IF;

    -- spend in the study: given, or the model's spend over the periods the study overlaps (wide models),
    -- scaled by study days / period days as the predicted lift is (doc/model.md)
    sp := spend;
    IF sp IS NULL AND m.source_kind = 'wide' AND channel IN (SELECT jsonb_array_elements_text(m.definition->'media')) THEN
        col := coalesce(m.options #>> ARRAY['spend_columns', channel], channel);
        EXECUTE format('SELECT pg_catalog.sum(%1$I::float8) * ($2 - $1 + 1) / (7 * pg_catalog.count(*)) FROM %2$s AS src '
                       'WHERE %3$I::date + 6 >= $1 AND %3$I::date <= $2', col, mixmodel._model_source_sql(m.source, m.definition, m.options), m.definition->>'date_column')
           INTO sp USING d0, d1;
        IF NOT sp > 0 THEN
            sp := NULL;
        END IF;
    END IF;

    lift_abs := r.diff * r.units;
    lift_se := r.se * r.units;
    study_start := d0;
    study_end := d1;
    study_spend := sp;
    study := jsonb_build_object('channel', channel, 'start_date', d0, 'end_date', d1, 'lift_abs', lift_abs,
                                'lift_se', lift_se, 'spend', sp, 'scope', scope, 'experiment', experiment,
                                'treatment', r.arm, 'metric', metric);

    -- the ROI (Meridian's: incremental revenue / spend) the study measured, as LogNormal(mu, sigma)
    IF sp IS NOT NULL AND lift_abs > 0 THEN
        roi_mean := lift_abs / sp;
        roi_sd := lift_se / sp;
        SELECT p.mu, p.sigma INTO roi_mu, roi_sigma FROM mixmodel.roi_prior_lognormal(roi_mean, roi_sd) p;
        prior := jsonb_build_object('mean', roi_mean, 'sd', roi_sd, 'experiment', experiment);
    ELSIF register_as = 'roi_prior' AND sp IS NULL THEN
        RAISE EXCEPTION 'the spend of channel "%" during experiment "%" is unknown', channel, experiment
            USING ERRCODE = '22023', HINT = 'Pass spend => the channel''s spend during the study.';
    ELSIF register_as = 'roi_prior' THEN
        RAISE EXCEPTION 'experiment "%" measured no positive lift of channel "%"', experiment, channel USING ERRCODE = '22023',
            DETAIL = format('The lift is %s; a LogNormal ROI prior needs a positive ROI.', round(lift_abs::numeric, 2)),
            HINT = 'Register it as a lift study (register_as lift_study): a likelihood term takes any sign.';
    END IF;

    -- rerunning replaces this experiment's study and prior of this channel, never duplicates them
    o := m.options;
    IF jsonb_typeof(o->'experiments') IS DISTINCT FROM 'string' THEN
        o := jsonb_set(o, '{experiments}',
                       coalesce((SELECT jsonb_agg(s) FROM jsonb_array_elements(coalesce(o->'experiments', '[]')) s
                                  WHERE NOT (s->>'experiment' IS NOT DISTINCT FROM experiment AND s->>'channel' = channel)), '[]'));
    END IF;
    IF o #>> ARRAY['priors', channel, 'roas', 'experiment'] IS NOT DISTINCT FROM experiment THEN
        o := o #- ARRAY['priors', channel, 'roas'];
    END IF;
    IF register_as = 'lift_study' THEN
        o := jsonb_set(o, '{experiments}', (o->'experiments') || study);
        o := jsonb_set(o, '{calibration}', to_jsonb(calibration));
    ELSE
        o := jsonb_set(o, '{priors}', coalesce(o->'priors', '{}')
                       || jsonb_build_object(channel, coalesce(o #> ARRAY['priors', channel], '{}') || jsonb_build_object('roas', prior)));
    END IF;
    IF o->'experiments' = '[]' THEN
        o := o - 'experiments';
    END IF;
    IF o #> ARRAY['priors', channel] = '{}' THEN
        o := o #- ARRAY['priors', channel];
    END IF;
    IF o->'priors' = '{}' THEN
        o := o - 'priors';
    END IF;
    PERFORM mixmodel._model_check_options(o);
    UPDATE mixmodel.models mm SET options = o WHERE mm.name = model;
    PERFORM mixmodel._audit_model('update', model, jsonb_build_object('register_lift_study', study, 'register_as', register_as,
                                  'roi_prior', CASE WHEN register_as = 'roi_prior' THEN prior END));
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION mixmodel.register_lift_study(text, text, text, text, text, text, pg_catalog.float8, text, date, date, text) IS
'Registers an experiment''s measured incremental lift with a model''s channel in one call: lift_abs = (treatment mean - control mean) x treated units and lift_se its Welch (value) or unpooled (conversion) standard error x treated units, over the experiment''s first to last day (or start_date to end_date). register_as lift_study (default): a lift study appended to the model''s experiments option with calibration gaussian (the ridge penalty, or the Bayesian likelihood term lift_abs ~ N(predicted, lift_se)). register_as roi_prior (Bayesian models, paid channels): the channel''s roas prior {"mean": lift/spend, "sd": SE/spend}, LogNormal as roi_prior_lognormal, from the study''s spend (given, or the wide model''s spend over the study); never both, so the evidence counts once. An earlier registration of the same experiment and channel is replaced. roi_mean, roi_sd, roi_mu, roi_sigma are returned whenever the spend is known and the lift positive. Retrain the model to use it.';
