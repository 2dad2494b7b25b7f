-- model: catalog and run tables, create_model, train, select_candidate (doc/model.md)

CREATE TABLE mixmodel.models (
    name        text PRIMARY KEY,
    source_kind text NOT NULL CHECK (source_kind IN ('wide', 'harmonized')),
    source      regclass,
    definition  jsonb NOT NULL,
    options     jsonb NOT NULL DEFAULT '{}',
    current_run integer,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner       regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.models IS 'Marketing-mix models: their data (a wide weekly table or harmonized touchpoints, conversion and factors), validated options and the run in use.';
COMMENT ON COLUMN mixmodel.models.definition IS 'wide: date_column, kpi, media, exposure, organic, factors; harmonized: conversion, touchpoints, factors';
COMMENT ON COLUMN mixmodel.models.owner IS 'role owning the model, its runs, scores (doc/access.md): the creator, or for a harmonized model the owner of its conversion and data';
COMMENT ON COLUMN mixmodel.models.current_run IS 'run used by scoring and planning (the last successful training or a later select_candidate)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.models', '');

CREATE TABLE mixmodel.runs (
    model            text NOT NULL REFERENCES mixmodel.models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    run              integer NOT NULL,
    status           text NOT NULL CHECK (status IN ('succeeded')),
    seed             bigint NOT NULL,
    candidates       integer NOT NULL,
    from_date        date NOT NULL,
    to_date          date NOT NULL,
    holdout_from     date,
    chosen_candidate integer,
    lambda_max       float8,
    kkt              float8,
    config           jsonb NOT NULL,
    inputs           jsonb NOT NULL,
    started_at       timestamptz NOT NULL,
    elapsed_ms       float8 NOT NULL,
    inference        text NOT NULL DEFAULT 'ridge' CHECK (inference IN ('ridge', 'bayes', 'map')),
    PRIMARY KEY (model, run)
);
COMMENT ON TABLE mixmodel.runs IS 'Training runs of each model, numbered from 1; a failed or cancelled training writes nothing.';
COMMENT ON COLUMN mixmodel.runs.config IS 'resolved configuration: form, channel boxes, fixed regressors and their bounds, objective weights, budget';
COMMENT ON COLUMN mixmodel.runs.inputs IS 'the arrays the fit used (weeks, KPI, media, fixed regressors), so a candidate can be re-fitted exactly';
COMMENT ON COLUMN mixmodel.runs.kkt IS 'largest KKT violation of the chosen constrained ridge (standardised scale); NULL for Bayesian runs';
COMMENT ON COLUMN mixmodel.runs.chosen_candidate IS 'the chosen Pareto candidate (ridge); NULL for Bayesian runs';
COMMENT ON COLUMN mixmodel.runs.lambda_max IS 'Robyn''s lambda_max of the ridge search; NULL for Bayesian runs';
COMMENT ON COLUMN mixmodel.runs.candidates IS 'candidates evaluated (ridge); 0 for Bayesian runs';
COMMENT ON COLUMN mixmodel.runs.inference IS 'ridge (Robyn''s search over exact constrained ridge fits), bayes (the posterior by NUTS; run_draws, run_posterior) or map (its mode)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.runs', '');

CREATE TABLE mixmodel.run_candidates (
    model          text NOT NULL,
    run            integer NOT NULL,
    candidate      integer NOT NULL,
    front          integer NOT NULL,
    local          boolean NOT NULL,
    chosen         boolean NOT NULL,
    nrmse          float8,
    decomp_rssd    float8,
    prior_distance float8,
    mape_lift      float8,
    lift_gaussian  float8,
    objective      float8,
    lambda         float8 NOT NULL,
    hyperparameters float8[] NOT NULL,
    PRIMARY KEY (model, run, candidate),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_candidates IS 'Pareto front 1 of the candidates of a run (nrmse, decomp_rssd, prior_distance, mape_lift), with their hyperparameters; select_candidate picks another one.';
COMMENT ON COLUMN mixmodel.run_candidates.hyperparameters IS 'per channel in model order: adstock p1, adstock p2, saturation p1, saturation p2; then lambda_hp';
COMMENT ON COLUMN mixmodel.run_candidates.lift_gaussian IS 'Gaussian lift-study penalty sum over studies with a lift_se of ((predicted lift - lift_abs) / lift_se)^2 / 2 (formulas §8.4 (b)); the calibration axis with option calibration = gaussian; NULL without standard errors';
COMMENT ON COLUMN mixmodel.run_candidates.objective IS 'the one scalar objective: weighted sum of the objectives (doc/model.md)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_candidates', '');

CREATE TABLE mixmodel.run_channels (
    model             text NOT NULL,
    run               integer NOT NULL,
    channel           text NOT NULL,
    position          integer NOT NULL,
    paid              boolean NOT NULL,
    adstock           text NOT NULL,
    adstock_p1        float8 NOT NULL,
    adstock_p2        float8 NOT NULL,
    max_lag           integer NOT NULL,
    adstock_normalize boolean NOT NULL,
    saturation        text NOT NULL,
    sat_p1            float8 NOT NULL,
    sat_p2            float8 NOT NULL,
    input_scale       float8 NOT NULL,
    coef              float8 NOT NULL,
    spend             float8 NOT NULL,
    contribution      float8 NOT NULL,
    share             float8,
    PRIMARY KEY (model, run, channel),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_channels IS 'The chosen fitted channels, exactly as MMChannelSpec (src/math/mmm.h): contribution_t = coef * saturation(adstock(x)_t / input_scale); spend, contribution and share over the training rows.';
COMMENT ON COLUMN mixmodel.run_channels.max_lag IS 'lags 0..max_lag; -1 = recursive geometric (Robyn)';
COMMENT ON COLUMN mixmodel.run_channels.adstock_p2 IS 'Weibull: absolute lambda in periods (resolved from the relative scale); delayed: peak';
COMMENT ON COLUMN mixmodel.run_channels.share IS 'contribution / sum of predictions over the training rows';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_channels', '');

CREATE TABLE mixmodel.run_coefficients (
    model text NOT NULL,
    run   integer NOT NULL,
    term  text NOT NULL,
    kind  text NOT NULL CHECK (kind IN ('intercept', 'channel', 'organic', 'trend', 'season', 'holiday', 'factor')),
    coef  float8 NOT NULL,
    lower float8,
    upper float8,
    PRIMARY KEY (model, run, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_coefficients IS 'Every term of the chosen fit on the raw scale (log-KPI scale for multiplicative models), with the bounds it was fitted under (NULL = unbounded).';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_coefficients', '');

CREATE TABLE mixmodel.run_metrics (
    model       text NOT NULL,
    run         integer NOT NULL,
    split       text NOT NULL CHECK (split IN ('train', 'validation', 'test')),
    n           integer NOT NULL,
    r2          float8,
    adj_r2      float8,
    mape        float8,
    smape       float8,
    rmse        float8,
    nrmse       float8,
    decomp_rssd float8,
    mape_lift   float8,
    PRIMARY KEY (model, run, split),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_metrics IS 'Fit metrics of the chosen candidate in sample (train), on the validation rows of Robyn''s time-series split (validation, with option train_size) and on the holdout (test), formulas §3; decomp_rssd and mape_lift on the train row.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_metrics', '');

CREATE TABLE mixmodel.run_fit (
    model     text NOT NULL,
    run       integer NOT NULL,
    period    date NOT NULL,
    actual    float8 NOT NULL,
    predicted float8 NOT NULL,
    residual  float8 NOT NULL,
    holdout   boolean NOT NULL,
    lower     float8,
    upper     float8,
    PRIMARY KEY (model, run, period),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_fit IS 'Actual and predicted KPI per period of the training window; holdout marks the out-of-sample rows.';
COMMENT ON COLUMN mixmodel.run_fit.lower IS 'Bayesian runs: lower end of the credible interval of the expected KPI at the run''s level; NULL otherwise';
COMMENT ON COLUMN mixmodel.run_fit.upper IS 'Bayesian runs: upper end of that interval';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_fit', '');

CREATE TABLE mixmodel.run_decomposition (
    model        text NOT NULL,
    run          integer NOT NULL,
    period       date NOT NULL,
    term         text NOT NULL,
    kind         text NOT NULL,
    contribution float8 NOT NULL,
    lower        float8,
    upper        float8,
    PRIMARY KEY (model, run, period, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_decomposition IS 'Contribution of every term per period of the training window; the terms of a period sum to the prediction (additive: the terms; multiplicative: log_share, formulas §2.2).';
COMMENT ON COLUMN mixmodel.run_decomposition.lower IS 'Bayesian runs: lower end of the term''s credible interval in the period at the run''s level (from 400 evenly thinned draws); NULL otherwise';
COMMENT ON COLUMN mixmodel.run_decomposition.upper IS 'Bayesian runs: upper end of that interval';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_decomposition', '');

CREATE TABLE mixmodel.run_diagnostics (
    model   text NOT NULL,
    run     integer NOT NULL,
    item    text NOT NULL,
    term    text NOT NULL DEFAULT '',
    value   float8,
    message text,
    PRIMARY KEY (model, run, item, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_diagnostics IS 'Diagnostics of a run: condition_number, durbin_watson, vif per term, warnings (near-zero spend or effect, constant channel), kkt_violation.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_diagnostics', '');

CREATE FUNCTION mixmodel.train_core(y float8[], x float8[], spend float8[], channels text[], paid integer[],
        adstock text[], max_lag integer[], normalize_flags integer[], saturation text[], lo float8[], hi float8[],
        z float8[], zlo float8[], zhi float8[], t0 integer, n_train integer, form text,
        intercept_nonneg boolean, prior float8[], prior_weight float8[], exp_channel integer[],
        exp_r0 integer[], exp_r1 integer[], exp_lift float8[], exp_scale float8[], exp_immediate integer[], weights float8[],
        budget integer, local_share float8, seed bigint, hp float8[], exp_se float8[], calibration text, n_val integer)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'train_core'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000;
COMMENT ON FUNCTION mixmodel.train_core(float8[], float8[], float8[], text[], integer[], text[], integer[], integer[], text[], float8[], float8[], float8[], float8[], float8[], integer, integer, text, boolean, float8[], float8[], integer[], integer[], integer[], float8[], float8[], integer[], float8[], integer, float8, bigint, float8[], float8[], text, integer) IS 'Internal: the numerical half of mixmodel.train (hyperparameter search and exact constrained ridge over arrays; hp not NULL fits that one candidate; weights nrmse, decomp_rssd, prior, mape_lift, lift_gaussian; exp_se NULL = no standard error; calibration mape_lift or gaussian; n_val validation rows after the n_train training rows, 0 = none); returns every result as jsonb.';

CREATE FUNCTION mixmodel.train_bayes_core(y float8[], x float8[], spend float8[], channels text[], paid integer[],
        adstock text[], max_lag integer[], normalize_flags integer[], saturation text[], z float8[], zsign integer[],
        t0 integer, n_train integer, form text, prior_kind text[], prior_a float8[], prior_b float8[],
        prior_lo float8[], prior_hi float8[], prior_name text[], roi integer[], share_prior float8[], share_sd float8[],
        exp_channel integer[], exp_r0 integer[], exp_r1 integer[], exp_lift float8[], exp_scale float8[], exp_se float8[],
        globals float8[], sampler integer[], target_accept float8, level float8, seed bigint, model text, run integer)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'train_bayes_core'
    LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000000;
COMMENT ON FUNCTION mixmodel.train_bayes_core(float8[], float8[], float8[], text[], integer[], text[], integer[], integer[], text[], float8[], integer[], integer, integer, text, text[], float8[], float8[], float8[], float8[], text[], integer[], float8[], float8[], integer[], integer[], integer[], float8[], float8[], float8[], float8[], integer[], float8, float8, bigint, text, integer) IS 'Internal: the numerical half of mixmodel.train for inference bayes and map: the posterior of the model over arrays (priors per channel and parameter: family, a, b, support; globals: intercept mean and sd, noise sd, fixed-term sd; sampler: chains, warmup, draws, max tree depth, dense metric, mode only), by NUTS from BFGS-found starts; writes the draws into run_draws for (model, run) unless NULL; returns the point model (parameter-wise posterior median), summaries and per-period intervals as jsonb.';

-- option keys and their checks
CREATE FUNCTION mixmodel._model_check_options(options jsonb)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
    v jsonb;
    known text[] := ARRAY['form', 'adstock', 'saturation', 'channels', 'factor_signs', 'trend',
                          'seasonality', 'holidays', 'training_window', 'holdout', 'priors',
                          'spend_share_prior', 'experiments', 'candidates', 'seed', 'local_share',
                          'lookback', 'objective_weights', 'intercept_sign', 'normalize', 'spend_columns',
                          'calibration', 'train_size', 'inference', 'chains', 'draws', 'warmup',
                          'target_accept', 'max_treedepth', 'metric', 'interval', 'paid_media_share', 'geo'];
    ridge_only text[] := ARRAY['candidates', 'local_share', 'objective_weights', 'train_size', 'spend_share_prior',
                               'intercept_sign'];
    bayes_only text[] := ARRAY['chains', 'draws', 'warmup', 'target_accept', 'max_treedepth', 'metric', 'interval',
                               'paid_media_share'];
    inference text := coalesce(options->>'inference', 'bayes');
BEGIN
    IF jsonb_typeof(options) <> 'object' THEN
        RAISE EXCEPTION 'options must be a jsonb object' USING ERRCODE = '22023';
    END IF;
    FOR k, v IN SELECT * FROM jsonb_each(options) LOOP
        IF NOT k = ANY (known) THEN
            RAISE EXCEPTION 'unknown model option "%"', k USING ERRCODE = '22023',
                HINT = 'Valid options are ' || array_to_string(known, ', ') || '.';
        END IF;
    END LOOP;
    IF NOT inference IN ('bayes', 'map', 'ridge') THEN
        RAISE EXCEPTION 'option "inference" must be bayes, map or ridge' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'inference');
    END IF;
    FOREACH k IN ARRAY CASE WHEN inference = 'ridge' THEN bayes_only ELSE ridge_only END LOOP
        IF options ? k THEN
            RAISE EXCEPTION 'option "%" does not apply to inference %', k, inference USING ERRCODE = '22023',
                HINT = CASE WHEN inference = 'ridge' THEN 'It sets the Bayesian sampler: use inference bayes.'
                            ELSE 'It sets Robyn''s ridge search: add "inference": "ridge".' END;
        END IF;
    END LOOP;
    IF inference <> 'ridge' AND options->>'calibration' = 'mape_lift' THEN
        RAISE EXCEPTION 'calibration mape_lift does not apply to inference %', inference USING ERRCODE = '22023',
            HINT = 'Bayesian models calibrate with each study as a Gaussian likelihood term (calibration gaussian).';
    END IF;
    FOREACH k IN ARRAY ARRAY['chains', 'draws', 'warmup', 'max_treedepth'] LOOP
        IF options ? k AND (jsonb_typeof(options->k) <> 'number' OR (options->>k)::numeric <> trunc((options->>k)::numeric)
                            OR (options->>k)::numeric NOT BETWEEN
                               CASE k WHEN 'draws' THEN 100 WHEN 'warmup' THEN 0 ELSE 1 END AND
                               CASE k WHEN 'chains' THEN 64 WHEN 'max_treedepth' THEN 15 ELSE 100000 END) THEN
            RAISE EXCEPTION 'option "%" must be an integer in the range [%, %]', k,
                CASE k WHEN 'draws' THEN 100 WHEN 'warmup' THEN 0 ELSE 1 END,
                CASE k WHEN 'chains' THEN 64 WHEN 'max_treedepth' THEN 15 ELSE 100000 END
                USING ERRCODE = '22023', DETAIL = format('Got %s.', options->k),
                      HINT = CASE WHEN k = 'draws' THEN 'R-hat and ESS need at least 100 draws per chain.'
                                  ELSE 'Give a whole number in that range.' END;
        END IF;
    END LOOP;
    IF options ? 'target_accept' AND (jsonb_typeof(options->'target_accept') <> 'number'
            OR NOT (options->>'target_accept')::float8 BETWEEN 0.5 AND 0.999) THEN
        RAISE EXCEPTION 'option "target_accept" must be in the range [0.5, 0.999]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'target_accept');
    END IF;
    IF options ? 'interval' AND (jsonb_typeof(options->'interval') <> 'number'
            OR NOT ((options->>'interval')::float8 > 0 AND (options->>'interval')::float8 < 1)) THEN
        RAISE EXCEPTION 'option "interval" must be a credible level in (0, 1)' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'interval');
    END IF;
    IF options ? 'metric' AND NOT options->>'metric' IN ('diag', 'dense') THEN
        RAISE EXCEPTION 'option "metric" must be diag or dense' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'metric');
    END IF;
    IF options ? 'paid_media_share' AND (jsonb_typeof(options->'paid_media_share') <> 'object'
            OR NOT coalesce((options #>> '{paid_media_share,mean}')::float8, 0.4) > 0
            OR NOT coalesce((options #>> '{paid_media_share,mean}')::float8, 0.4) < 1
            OR NOT coalesce((options #>> '{paid_media_share,sd}')::float8, 0.2) > 0
            OR NOT coalesce((options #>> '{paid_media_share,sd}')::float8, 0.2) < 1
            OR EXISTS (SELECT 1 FROM jsonb_object_keys(options->'paid_media_share') x WHERE NOT x IN ('mean', 'sd'))) THEN
        RAISE EXCEPTION 'option "paid_media_share" must be {"mean": share in (0, 1), "sd": in (0, 1)}' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'paid_media_share');
    END IF;
    IF options ? 'form' AND NOT options->>'form' IN ('additive', 'multiplicative') THEN
        RAISE EXCEPTION 'option "form" must be additive or multiplicative' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'form');
    END IF;
    IF options ? 'adstock' AND NOT options->>'adstock' IN ('geometric', 'weibull_cdf', 'weibull_pdf', 'delayed') THEN
        RAISE EXCEPTION 'option "adstock" must be geometric, weibull_cdf, weibull_pdf or delayed' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'adstock');
    END IF;
    IF options ? 'saturation' AND NOT options->>'saturation' IN ('hill', 'logistic', 'michaelis_menten', 'power', 'tanh') THEN
        RAISE EXCEPTION 'option "saturation" must be hill, logistic, michaelis_menten, power or tanh' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'saturation');
    END IF;
    IF options ? 'seasonality' AND (jsonb_typeof(options->'seasonality') <> 'number'
            OR (options->>'seasonality')::numeric NOT BETWEEN 0 AND 10
            OR (options->>'seasonality')::numeric <> trunc((options->>'seasonality')::numeric)) THEN
        RAISE EXCEPTION 'option "seasonality" must be an integer in the range [0, 10]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'seasonality');
    END IF;
    IF options ? 'holdout' AND (jsonb_typeof(options->'holdout') <> 'number'
            OR (options->>'holdout')::float8 < 0 OR (options->>'holdout')::float8 > 0.5) THEN
        RAISE EXCEPTION 'option "holdout" must be a share in the range [0, 0.5]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'holdout');
    END IF;
    IF options ? 'train_size' AND (jsonb_typeof(options->'train_size') <> 'number'
            OR (options->>'train_size')::float8 NOT BETWEEN 0.5 AND 0.8) THEN
        RAISE EXCEPTION 'option "train_size" must be a share in the range [0.5, 0.8]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'train_size');
    END IF;
    IF options ? 'train_size' AND options ? 'holdout' THEN
        RAISE EXCEPTION 'options "train_size" and "holdout" exclude each other' USING ERRCODE = '22023',
            HINT = 'train_size splits the window into training, validation and test rows (Robyn); holdout keeps the last rows out.';
    END IF;
    IF options ? 'candidates' AND (jsonb_typeof(options->'candidates') <> 'number'
            OR (options->>'candidates')::numeric NOT BETWEEN 10 AND 1000000) THEN
        RAISE EXCEPTION 'option "candidates" must be in the range [10, 1000000]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'candidates');
    END IF;
    IF options ? 'lookback' AND (jsonb_typeof(options->'lookback') <> 'number'
            OR (options->>'lookback')::numeric NOT BETWEEN 1 AND 52) THEN
        RAISE EXCEPTION 'option "lookback" must be a number of weeks in the range [1, 52]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'lookback');
    END IF;
    IF options ? 'local_share' AND (jsonb_typeof(options->'local_share') <> 'number'
            OR (options->>'local_share')::float8 NOT BETWEEN 0 AND 0.9) THEN
        RAISE EXCEPTION 'option "local_share" must be in the range [0, 0.9]' USING ERRCODE = '22023';
    END IF;
    IF options ? 'experiments' AND NOT jsonb_typeof(options->'experiments') IN ('array', 'string') THEN
        RAISE EXCEPTION 'option "experiments" must be a table name or a jsonb array of studies' USING ERRCODE = '22023',
            HINT = 'Give a table (channel, start_date, end_date, lift_abs, ...) or [{"channel": ..., "start_date": ..., "end_date": ..., "lift_abs": ...}, ...].';
    END IF;
    IF jsonb_typeof(options->'experiments') = 'string' AND to_regclass(options->>'experiments') IS NULL THEN
        RAISE EXCEPTION 'experiments table "%" does not exist', options->>'experiments' USING ERRCODE = '42P01';
    END IF;
    IF options ? 'calibration' AND NOT coalesce(options->>'calibration', '') IN ('mape_lift', 'gaussian') THEN
        RAISE EXCEPTION 'option "calibration" must be mape_lift or gaussian' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'calibration');
    END IF;
    IF options ? 'intercept_sign' AND NOT options->>'intercept_sign' IN ('non_negative', 'unconstrained') THEN
        RAISE EXCEPTION 'option "intercept_sign" must be non_negative or unconstrained' USING ERRCODE = '22023';
    END IF;
    IF options ? 'factor_signs' THEN
        FOR k, v IN SELECT * FROM jsonb_each(options->'factor_signs') LOOP
            IF NOT v #>> '{}' IN ('auto', 'positive', 'negative') THEN
                RAISE EXCEPTION 'factor sign must be auto, positive or negative' USING ERRCODE = '22023',
                    DETAIL = format('Got %s for factor "%s".', v, k);
            END IF;
        END LOOP;
    END IF;
    IF options ? 'training_window' THEN
        FOR k, v IN SELECT * FROM jsonb_each(options->'training_window') LOOP
            IF NOT k IN ('years', 'from', 'to') THEN
                RAISE EXCEPTION 'unknown training_window key "%"', k USING ERRCODE = '22023',
                    HINT = 'Use years, or from and to.';
            END IF;
        END LOOP;
        IF (options->'training_window') ? 'years' AND
           (options #>> '{training_window,years}')::numeric NOT BETWEEN 1 AND 10 THEN
            RAISE EXCEPTION 'training_window years must be in the range [1, 10]' USING ERRCODE = '22023';
        END IF;
    END IF;
    IF options ? 'priors' THEN
        FOR k, v IN SELECT * FROM jsonb_each(options->'priors') LOOP
            -- contribution shares (Adobe) for every inference; parameter priors (checked at train) for bayes
            IF jsonb_typeof(v) <> 'object' OR (inference = 'ridge' AND NOT v ? 'contribution')
               OR (v ? 'contribution' AND (jsonb_typeof(v->'contribution') <> 'number' OR (v->>'contribution')::float8 NOT BETWEEN 0 AND 1))
               OR (v ? 'confidence' AND (jsonb_typeof(v->'confidence') <> 'number' OR (v->>'confidence')::float8 NOT BETWEEN 0 AND 1))
               OR (v ? 'confidence' AND NOT v ? 'contribution') THEN
                RAISE EXCEPTION 'prior of channel "%" must be {"contribution": share in [0, 1], "confidence": [0, 1]}%', k,
                    CASE WHEN inference <> 'ridge' THEN ' and/or parameter priors' ELSE '' END
                    USING ERRCODE = '22023', DETAIL = format('Got %s.', v);
            END IF;
            IF inference = 'ridge' AND EXISTS (SELECT 1 FROM jsonb_object_keys(v) x WHERE NOT x IN ('contribution', 'confidence')) THEN
                RAISE EXCEPTION 'parameter priors of channel "%" do not apply to inference ridge', k USING ERRCODE = '22023',
                    HINT = 'Ridge models take contribution priors only; parameter priors need inference bayes.';
            END IF;
        END LOOP;
    END IF;
    IF options ? 'objective_weights' THEN
        FOR k, v IN SELECT * FROM jsonb_each(options->'objective_weights') LOOP
            IF NOT k IN ('nrmse', 'decomp_rssd', 'prior', 'mape_lift', 'lift_gaussian') OR jsonb_typeof(v) <> 'number'
               OR (v #>> '{}')::float8 < 0 THEN
                RAISE EXCEPTION 'objective weight "%" must be nrmse, decomp_rssd, prior, mape_lift or lift_gaussian with a weight >= 0', k
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;
    IF options ? 'channels' THEN
        FOR k, v IN SELECT * FROM jsonb_each(options->'channels') LOOP
            PERFORM 1 FROM jsonb_object_keys(v) o
             WHERE NOT o IN ('adstock', 'saturation', 'theta', 'shape', 'scale', 'alpha_decay', 'lag',
                             'max_lookback', 'alpha', 'gamma', 'power', 'lam', 'c', 'normalize');
            IF FOUND THEN
                RAISE EXCEPTION 'unknown option for channel "%"', k USING ERRCODE = '22023',
                    HINT = 'Valid channel options are adstock, saturation, theta, shape, scale, alpha_decay, lag, max_lookback, alpha, gamma, power, lam, c, normalize.';
            END IF;
        END LOOP;
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._model_check_options(jsonb) IS 'Internal: validates the options of a model (unknown key or bad value: 22023).';

CREATE FUNCTION mixmodel._model_check_column(src regclass, col text, what text)
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF col IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', what USING ERRCODE = '22004';
    END IF;
    PERFORM 1 FROM pg_attribute WHERE attrelid = src AND attname = col AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'column "%" of % does not exist', col, src USING ERRCODE = '42703',
            DETAIL = format('It was given as %s.', what);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._model_check_column(regclass, text, text) IS 'Internal: 42703 unless the table has the column.';

CREATE FUNCTION mixmodel.create_model(name text, source regclass, date_column name, kpi name,
        media text[], factors text[] DEFAULT '{}', organic text[] DEFAULT '{}', options jsonb DEFAULT '{}')
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c text;
BEGIN
    IF name IS NULL OR source IS NULL OR media IS NULL OR options IS NULL THEN
        RAISE EXCEPTION 'name, source, media and options must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF cardinality(media) < 1 THEN
        RAISE EXCEPTION 'a model needs at least one paid media column' USING ERRCODE = '2202E';
    END IF;
    IF cardinality(coalesce(factors, '{}')) > 30 THEN
        RAISE EXCEPTION 'a model takes at most 30 factors' USING ERRCODE = '54000',
            DETAIL = format('Got %s.', cardinality(factors));
    END IF;
    IF cardinality(media) + cardinality(coalesce(organic, '{}')) > 64 THEN
        RAISE EXCEPTION 'a model takes at most 64 media and organic channels' USING ERRCODE = '54000',
            DETAIL = format('Got %s.', cardinality(media) + cardinality(coalesce(organic, '{}')));
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.models m WHERE m.name = create_model.name) THEN
        RAISE EXCEPTION 'model "%" already exists', name USING ERRCODE = '23505';
    END IF;
    PERFORM mixmodel._model_check_column(source, date_column, 'date_column');
    PERFORM mixmodel._model_check_column(source, kpi, 'kpi');
    FOREACH c IN ARRAY media || coalesce(organic, '{}') || coalesce(factors, '{}') LOOP
        PERFORM mixmodel._model_check_column(source, c, 'a media, organic or factor column');
    END LOOP;
    IF (SELECT count(DISTINCT u) <> count(*) FROM unnest(media || coalesce(organic, '{}') || coalesce(factors, '{}')) u) THEN
        RAISE EXCEPTION 'media, organic and factor columns must be distinct' USING ERRCODE = '22023';
    END IF;
    PERFORM mixmodel._model_check_options(options);
    PERFORM mixmodel._model_check_geo(source, options,
        ARRAY[date_column::text, kpi::text] || media || coalesce(organic, '{}') || coalesce(factors, '{}'));
    PERFORM mixmodel._model_check_terms(cardinality(media) + cardinality(coalesce(organic, '{}')),
                                        cardinality(coalesce(factors, '{}')), options);
    PERFORM mixmodel._model_check_priors(options, media);
    FOR c IN SELECT jsonb_object_keys(coalesce(options->'spend_columns', '{}')) LOOP
        IF NOT c = ANY (media) THEN
            RAISE EXCEPTION 'spend column given for "%", which is not a media column', c USING ERRCODE = '22023';
        END IF;
        PERFORM mixmodel._model_check_column(source, options #>> ARRAY['spend_columns', c], 'a spend column');
    END LOOP;
    INSERT INTO mixmodel.models (name, source_kind, source, definition, options)
    VALUES (name, 'wide', source,
            jsonb_build_object('date_column', date_column, 'kpi', kpi, 'media', to_jsonb(media),
                               'organic', to_jsonb(coalesce(organic, '{}')), 'factors', to_jsonb(coalesce(factors, '{}'))),
            options);
    PERFORM mixmodel._audit_model('create', name, jsonb_build_object('source', source::text, 'date_column', date_column,
        'kpi', kpi, 'media', media, 'factors', factors, 'organic', organic, 'options', options));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.create_model(text, regclass, name, name, text[], text[], text[], jsonb) IS 'Creates a model over a wide weekly table (Robyn-style): date column, KPI, paid media (spend) columns, factor and organic columns, options (doc/model.md).';

CREATE FUNCTION mixmodel.create_model(name text, conversion text, touchpoints text[],
        factors text[] DEFAULT '{}', options jsonb DEFAULT '{}')
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t text;
    npaid int := 0;
    own regrole;
BEGIN
    IF name IS NULL OR conversion IS NULL OR touchpoints IS NULL OR options IS NULL THEN
        RAISE EXCEPTION 'name, conversion, touchpoints and options must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.models m WHERE m.name = create_model.name) THEN
        RAISE EXCEPTION 'model "%" already exists', name USING ERRCODE = '23505';
    END IF;
    -- the model, like its data, belongs to the owner of the conversion (doc/access.md)
    SELECT x.owner INTO own FROM mixmodel.conversions x WHERE x.name = conversion;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'conversion "%" does not exist', conversion USING ERRCODE = '42704';
    END IF;
    IF cardinality(touchpoints) < 1 THEN
        RAISE EXCEPTION 'a model needs at least one touchpoint' USING ERRCODE = '2202E';
    END IF;
    IF cardinality(touchpoints) > 64 THEN
        RAISE EXCEPTION 'a model takes at most 64 touchpoints' USING ERRCODE = '54000',
            DETAIL = format('Got %s.', cardinality(touchpoints));
    END IF;
    FOREACH t IN ARRAY touchpoints LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.touchpoints x WHERE x.name = t) THEN
            RAISE EXCEPTION 'touchpoint "%" does not exist', t USING ERRCODE = '42704';
        END IF;
        IF (SELECT x.owner FROM mixmodel.touchpoints x WHERE x.name = t) <> own THEN
            RAISE EXCEPTION 'touchpoint "%" and conversion "%" belong to different owners', t, conversion
                USING ERRCODE = '22023',
                DETAIL = format('The touchpoint belongs to %s, the conversion to %s.',
                                (SELECT x.owner FROM mixmodel.touchpoints x WHERE x.name = t), own),
                HINT = 'A model reads one owner''s harmonized data: use that owner''s touchpoints and conversion.';
        END IF;
        IF (SELECT x.spend_metric IS NOT NULL FROM mixmodel.touchpoints x WHERE x.name = t) THEN
            npaid := npaid + 1;
        END IF;
    END LOOP;
    IF npaid = 0 THEN
        RAISE EXCEPTION 'a model needs at least one paid touchpoint' USING ERRCODE = '22023',
            HINT = 'Give a touchpoint a spend metric.';
    END IF;
    PERFORM mixmodel._check_touchpoint_overlap(touchpoints);
    IF cardinality(coalesce(factors, '{}')) > 30 THEN
        RAISE EXCEPTION 'a model takes at most 30 factors' USING ERRCODE = '54000';
    END IF;
    FOREACH t IN ARRAY coalesce(factors, '{}') LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.harmonized h WHERE h.category = 'factor' AND h.factor_name = t
                          AND h.owner = own) THEN
            RAISE EXCEPTION 'factor "%" does not exist in the harmonized data', t USING ERRCODE = '42704';
        END IF;
    END LOOP;
    PERFORM mixmodel._model_check_options(options);
    PERFORM mixmodel._model_check_terms(cardinality(touchpoints), cardinality(coalesce(factors, '{}')), options);
    PERFORM mixmodel._model_check_priors(options, ARRAY(SELECT x.name FROM mixmodel.touchpoints x
                                                       WHERE x.name = ANY (touchpoints) AND x.spend_metric IS NOT NULL));
    INSERT INTO mixmodel.models (name, source_kind, definition, options, owner)
    VALUES (name, 'harmonized',
            jsonb_build_object('conversion', conversion, 'touchpoints', to_jsonb(touchpoints),
                               'factors', to_jsonb(coalesce(factors, '{}'))),
            options, own);
    PERFORM mixmodel._audit_model('create', name, jsonb_build_object('conversion', conversion, 'touchpoints', touchpoints,
        'factors', factors, 'options', options));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.create_model(text, text, text[], text[], jsonb) IS 'Creates a model over harmonized data: one conversion (its revenue, else its count, is the KPI), touchpoints (paid ones by spend, others by volume as organic) and factors, options (doc/model.md); the model belongs to the owner of the conversion, whose touchpoints and harmonized data it uses.';
