-- model: Bayesian inference (options inference bayes and map): priors, the sampler's
-- inputs, draws and posterior summaries (doc/model.md "Bayesian inference")

CREATE TABLE mixmodel.run_draws (
    model  text NOT NULL,
    run    integer NOT NULL,
    chain  integer NOT NULL,
    draw   integer NOT NULL,
    lp     float8 NOT NULL,
    params float8[] NOT NULL,
    PRIMARY KEY (model, run, chain, draw),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_draws IS 'Posterior draws of a Bayesian run (inference bayes), one row per chain and kept draw: the realised model, from which every interval is computed.';
COMMENT ON COLUMN mixmodel.run_draws.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_draws.run IS 'training run (inference bayes)';
COMMENT ON COLUMN mixmodel.run_draws.chain IS 'chain, from 1';
COMMENT ON COLUMN mixmodel.run_draws.draw IS 'kept draw of the chain (after warm-up), from 1';
COMMENT ON COLUMN mixmodel.run_draws.lp IS 'log posterior of the draw (up to a constant; intercept and unsigned fixed terms integrated out)';
COMMENT ON COLUMN mixmodel.run_draws.params IS 'per channel in model order: adstock_p1, adstock_p2, sat_p1, sat_p2, coef (as run_channels); then the intercept, the fixed coefficients in run_coefficients order, and sigma (noise sd, KPI units or ln units)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_draws', '');

CREATE TABLE mixmodel.run_posterior (
    model     text NOT NULL,
    run       integer NOT NULL,
    parameter text NOT NULL,
    term      text NOT NULL,
    mean      float8,
    sd        float8,
    lower     float8,
    median    float8,
    upper     float8,
    rhat      float8,
    ess_bulk  float8,
    ess_tail  float8,
    PRIMARY KEY (model, run, parameter, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_posterior IS 'Posterior summary of a Bayesian run: every sampled parameter and every derived quantity a view shows (per channel contribution, share, effect_share, roas, marginal_response, coefficient_kpi), with its central credible interval at the run''s level and rank-normalised split R-hat, bulk and tail ESS (Vehtari et al. 2021).';
COMMENT ON COLUMN mixmodel.run_posterior.model IS 'model name';
COMMENT ON COLUMN mixmodel.run_posterior.run IS 'training run (inference bayes)';
COMMENT ON COLUMN mixmodel.run_posterior.mean IS 'posterior mean';
COMMENT ON COLUMN mixmodel.run_posterior.sd IS 'posterior standard deviation';
COMMENT ON COLUMN mixmodel.run_posterior.median IS 'posterior median';
COMMENT ON COLUMN mixmodel.run_posterior.parameter IS 'sampled: theta, shape, lambda, alpha_decay, lag, alpha, k, lam, power, roas (ROI parameterisation) or coefficient, sigma; derived: coefficient_kpi, contribution, share, effect_share, roas, marginal_response; lp';
COMMENT ON COLUMN mixmodel.run_posterior.term IS 'the channel ('''' for model-wide parameters)';
COMMENT ON COLUMN mixmodel.run_posterior.lower IS 'lower end of the central credible interval at the run''s level (runs.config ->> ''interval'', default 0.9)';
COMMENT ON COLUMN mixmodel.run_posterior.upper IS 'upper end of that interval';
COMMENT ON COLUMN mixmodel.run_posterior.rhat IS 'rank-normalised split R-hat, the larger of bulk and folded (converged: <= 1.01)';
COMMENT ON COLUMN mixmodel.run_posterior.ess_bulk IS 'bulk effective sample size (enough: >= 400)';
COMMENT ON COLUMN mixmodel.run_posterior.ess_tail IS 'tail effective sample size: the smaller of the 5% and 95% quantiles'' ESS';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_posterior', '');

-- one prior given by the user: a number (fixed), {"family": [parameters]}, or for roi {"mean": m, "sd": s}
CREATE FUNCTION mixmodel._prior_spec(v jsonb, parameter text, channel text,
        INOUT kind text, INOUT a float8, INOUT b float8, INOUT lo float8, INOUT hi float8)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fam text;
    args jsonb;
    r record;
BEGIN
    IF v IS NULL THEN
        RETURN;
    END IF;
    IF jsonb_typeof(v) = 'number' THEN
        kind := 'fixed'; a := v::text::float8; b := 0;
    ELSIF jsonb_typeof(v) = 'object' AND v ? 'mean' AND v ? 'sd' AND parameter = 'roas' THEN
        -- an experiment's ROI mean and SD as Meridian's LogNormal (formulas §8.3)
        BEGIN
            SELECT * INTO r FROM mixmodel.roi_prior_lognormal((v->>'mean')::float8, (v->>'sd')::float8);
        EXCEPTION WHEN invalid_parameter_value OR invalid_text_representation OR numeric_value_out_of_range THEN
            RAISE EXCEPTION 'roas prior of channel "%" needs a positive mean and sd', channel USING ERRCODE = '22023',
                DETAIL = format('Got %s.', v);
        END;
        kind := 'lognormal'; a := r.mu; b := r.sigma;
    ELSIF jsonb_typeof(v) = 'object' AND (SELECT count(*) FROM jsonb_object_keys(v)) = 1 THEN
        SELECT key, value INTO fam, args FROM jsonb_each(v);
        IF NOT fam IN ('normal', 'lognormal', 'halfnormal', 'gamma', 'beta', 'uniform', 'fixed') THEN
            RAISE EXCEPTION 'unknown prior family "%" for parameter "%" of channel "%"', fam, parameter, channel
                USING ERRCODE = '22023',
                      HINT = 'Valid families are normal, lognormal, halfnormal, gamma, beta, uniform and fixed.';
        END IF;
        IF jsonb_typeof(args) = 'number' THEN
            args := jsonb_build_array(args);
        END IF;
        IF jsonb_typeof(args) <> 'array' OR jsonb_array_length(args) <> (CASE WHEN fam IN ('halfnormal', 'fixed') THEN 1 ELSE 2 END)
           OR EXISTS (SELECT 1 FROM jsonb_array_elements(args) e WHERE jsonb_typeof(e) <> 'number') THEN
            RAISE EXCEPTION 'prior % of parameter "%" of channel "%" takes % number(s)', fam, parameter, channel,
                CASE WHEN fam IN ('halfnormal', 'fixed') THEN 1 ELSE 2 END
                USING ERRCODE = '22023', DETAIL = format('Got %s.', args);
        END IF;
        kind := fam;
        IF fam = 'halfnormal' THEN
            a := 0; b := (args->>0)::float8;
        ELSIF fam = 'fixed' THEN
            a := (args->>0)::float8; b := 0;
        ELSIF fam = 'uniform' THEN
            a := 0; b := 0; lo := (args->>0)::float8; hi := (args->>1)::float8;
        ELSE
            a := (args->>0)::float8; b := (args->>1)::float8;
        END IF;
    ELSE
        RAISE EXCEPTION 'prior of parameter "%" of channel "%" must be a number or {"family": [parameters]}', parameter, channel
            USING ERRCODE = '22023', DETAIL = format('Got %s.', v),
                  HINT = 'For example {"gamma": [3, 2]}, {"beta": [1, 3]}, {"lognormal": [0.2, 0.9]}, or {"mean": 2, "sd": 1} for roi.';
    END IF;
    -- scales positive and finite, values finite; the C half checks supports again
    IF NOT (a > '-Infinity' AND a < 'Infinity' AND b >= 0 AND b < 'Infinity')
       OR (kind NOT IN ('fixed', 'uniform') AND b <= 0)
       OR (kind IN ('gamma', 'beta') AND a <= 0)
       OR (kind = 'uniform' AND NOT (lo < hi)) THEN
        RAISE EXCEPTION '% prior of parameter "%" of channel "%" has an invalid scale', kind, parameter, channel
            USING ERRCODE = '22023', DETAIL = format('Got %s.', v),
                  HINT = 'Standard deviations, sigma, gamma shape and rate and beta a, b must be positive and finite.';
    END IF;
    IF kind IN ('lognormal', 'halfnormal', 'gamma') AND lo < 0 THEN
        lo := 0;
    END IF;
    IF kind = 'fixed' AND NOT (a >= lo AND a <= hi) THEN
        RAISE EXCEPTION 'fixed value % of parameter "%" of channel "%" is out of range', a, parameter, channel
            USING ERRCODE = '22023', DETAIL = format('The range is [%s, %s].', lo, hi);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._prior_spec(jsonb, text, text, text, float8, float8, float8, float8) IS 'Internal: a prior given in the options (a number: fixed; {"family": [parameters]}; roi also {"mean", "sd"}, Meridian''s conversion) over the default (kind, a, b, lo, hi), checked (22023).';

-- the names of a channel's five parameters (adstock p1, p2, saturation p1, p2, effect); '' unused,
-- v the fixed Michaelis-Menten or tanh level
CREATE FUNCTION mixmodel._bayes_param_names(adstock text, saturation text, paid boolean)
    RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY[
    CASE adstock WHEN 'geometric' THEN 'theta' WHEN 'delayed' THEN 'alpha_decay' ELSE 'shape' END,
    CASE adstock WHEN 'delayed' THEN 'lag' WHEN 'geometric' THEN '' ELSE 'lambda' END,
    CASE saturation WHEN 'hill' THEN 'alpha' WHEN 'logistic' THEN 'lam' WHEN 'power' THEN 'power' ELSE 'v' END,
    CASE saturation WHEN 'hill' THEN 'k' WHEN 'michaelis_menten' THEN 'k' WHEN 'tanh' THEN 'c' ELSE '' END,
    CASE WHEN paid THEN 'roas' ELSE 'share' END];
COMMENT ON FUNCTION mixmodel._bayes_param_names(text, text, boolean) IS 'Internal: the prior names of a Bayesian channel''s five parameters (adstock p1, p2, saturation p1, p2, effect: roas for paid channels, share for organic ones; '''' unused, v fixed).';

-- a channel's priors option against its parameters' names (22023 for an unknown one)
CREATE FUNCTION mixmodel._check_prior_names(pr jsonb, names text[], channel text)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
BEGIN
    FOR k IN SELECT jsonb_object_keys(pr) LOOP
        IF NOT (k = ANY (names) OR k IN ('contribution', 'confidence')) OR k IN ('', 'v') THEN
            RAISE EXCEPTION 'unknown prior "%" for channel "%"', k, channel USING ERRCODE = '22023',
                HINT = format('Channel "%s" takes priors on %s (and contribution, confidence).', channel,
                              array_to_string(array_remove(array_remove(names, ''), 'v'), ', '));
        END IF;
        IF NOT k IN ('contribution', 'confidence') THEN
            -- the value's form and scales, whatever the default family
            PERFORM mixmodel._prior_spec(pr->k, k, channel, 'gamma', 1, 1, 0, 'Infinity');
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._check_prior_names(jsonb, text[], text) IS 'Internal: checks a channel''s priors option (22023 for a parameter the channel does not have, or a malformed prior).';

-- the priors option of a Bayesian model at creation: every channel's priors against its parameters
CREATE FUNCTION mixmodel._model_check_priors(options jsonb, paid text[])
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c text;
BEGIN
    IF coalesce(options->>'inference', 'bayes') = 'ridge' THEN
        RETURN;
    END IF;
    FOR c IN SELECT jsonb_object_keys(coalesce(options->'priors', '{}')) LOOP
        PERFORM mixmodel._check_prior_names(options #> ARRAY['priors', c],
            mixmodel._bayes_param_names(coalesce(options #>> ARRAY['channels', c, 'adstock'], options->>'adstock', 'geometric'),
                                        coalesce(options #>> ARRAY['channels', c, 'saturation'], options->>'saturation', 'hill'),
                                        c = ANY (paid)), c);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._model_check_priors(jsonb, text[]) IS 'Internal: checks the priors option of a Bayesian model when it is created (paid: its paid channels), 22023 for an unknown parameter or a malformed prior.';

-- the priors and sampler settings of a Bayesian model, as train_bayes_core takes them
CREATE FUNCTION mixmodel._model_bayes_inputs(o jsonb, channels text[], paid boolean[], adstock text[],
        sat text[], max_lag int[], y_train float8[], spend float8[], n int, form text,
        zlo float8[], zhi float8[], exp_se float8[])
    RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c int;
    nc int := cardinality(channels);
    nt int := cardinality(y_train);
    j int;
    pr jsonb;
    box jsonb;
    names text[];
    kinds text[] := '{}'; pa float8[] := '{}'; pb float8[] := '{}'; plo float8[] := '{}'; phi float8[] := '{}';
    pnames text[] := '{}';
    roi int[] := '{}';
    share float8[] := '{}';
    share_sd float8[] := '{}';
    kd text; va float8; vb float8; vlo float8; vhi float8;
    ysum float8 := (SELECT sum(v) FROM unnest(y_train) v);
    sp float8[];
    m_share float8 := coalesce((o #>> '{paid_media_share,mean}')::float8, 0.4);
    s_share float8 := coalesce((o #>> '{paid_media_share,sd}')::float8, 0.2);
    roi_mu float8; roi_sigma float8;
    conf float8;
    k text;
BEGIN
    -- the arrays _model_inputs builds, checked before any per-channel work
    IF nc IS NULL OR nc < 1 OR nc > 64 THEN
        RAISE EXCEPTION 'a model takes 1 to 64 channels' USING ERRCODE = '54000',
            DETAIL = format('Got %s.', coalesce(nc, 0));
    END IF;
    IF cardinality(paid) IS DISTINCT FROM nc OR cardinality(adstock) IS DISTINCT FROM nc
       OR cardinality(sat) IS DISTINCT FROM nc OR cardinality(max_lag) IS DISTINCT FROM nc
       OR n IS NULL OR n < 1 OR nt < 1 OR nt > n OR cardinality(spend) IS DISTINCT FROM nc * n
       OR cardinality(zlo) IS DISTINCT FROM cardinality(zhi) THEN
        RAISE EXCEPTION 'the channel, spend and bound arrays of a model do not match' USING ERRCODE = '2202E';
    END IF;
    -- Meridian's total paid media contribution prior: a common LogNormal ROI prior whose
    -- implied paid-media share of the training KPI has mean m_share and sd s_share
    sp := ARRAY(SELECT coalesce(sum(spend[(q - 1) * n + t]), 0)
                  FROM generate_series(1, nc) q, generate_series(1, nt) t
                 GROUP BY q ORDER BY q);
    SELECT x.mu, x.sigma INTO roi_mu, roi_sigma
      FROM mixmodel.roi_prior_lognormal(
               m_share * ysum / nullif((SELECT sum(v) FROM unnest(sp) WITH ORDINALITY u(v, q) WHERE paid[q]), 0),
               s_share * ysum / nullif(sqrt((SELECT sum(v * v) FROM unnest(sp) WITH ORDINALITY u(v, q) WHERE paid[q])), 0)) x;

    FOR c IN 1 .. nc LOOP
        pr := coalesce(o #> ARRAY['priors', channels[c]], '{}');
        box := coalesce(o #> ARRAY['channels', channels[c]], '{}');
        FOR k IN SELECT jsonb_object_keys(box) LOOP
            IF k IN ('gamma', 'scale') THEN
                RAISE EXCEPTION 'channel option "%" of channel "%" applies to inference ridge', k, channels[c]
                    USING ERRCODE = '22023',
                          HINT = CASE k WHEN 'gamma' THEN 'Bayesian Hill curves take "k", the half-saturation over the mean input, as a prior.'
                                 ELSE 'Bayesian Weibull adstocks take "lambda" in periods, as a prior.' END;
            END IF;
        END LOOP;
        names := mixmodel._bayes_param_names(adstock[c], sat[c], paid[c]);
        PERFORM mixmodel._check_prior_names(pr, names, channels[c]);
        FOR j IN 1 .. 5 LOOP
            -- defaults (doc/model.md): PyMC-Marketing's Beta decay and Gamma saturation, Meridian's ROI
            kd := CASE
                      WHEN names[j] IN ('', 'v') THEN 'fixed'
                      WHEN names[j] IN ('theta', 'alpha_decay', 'power', 'share') THEN 'beta'
                      WHEN names[j] = 'lag' THEN 'uniform'
                      WHEN names[j] IN ('shape', 'lambda', 'alpha', 'k', 'lam', 'c') THEN 'gamma'
                      WHEN names[j] = 'roas' THEN 'lognormal'
                      ELSE 'halfnormal' END;
            va := CASE names[j] WHEN 'theta' THEN 1 WHEN 'alpha_decay' THEN 2 WHEN 'power' THEN 2
                                WHEN 'shape' THEN 2 WHEN 'lambda' THEN 2 WHEN 'alpha' THEN 3 WHEN 'k' THEN 2 WHEN 'c' THEN 2
                                WHEN 'lam' THEN 3 WHEN 'roas' THEN roi_mu WHEN 'v' THEN 1 WHEN 'share' THEN 1 ELSE 0 END;
            vb := CASE names[j] WHEN 'theta' THEN 3 WHEN 'alpha_decay' THEN 2 WHEN 'power' THEN 2
                                WHEN 'shape' THEN 1 WHEN 'lambda' THEN 1 WHEN 'alpha' THEN 2 WHEN 'k' THEN 2 WHEN 'c' THEN 2
                                WHEN 'lam' THEN 1 WHEN 'roas' THEN roi_sigma WHEN 'share' THEN 19 ELSE 0 END;
            vlo := CASE WHEN names[j] IN ('', 'v') THEN '-Infinity'::float8 ELSE 0 END;
            vhi := CASE WHEN names[j] = 'theta' THEN CASE WHEN max_lag[c] < 0 THEN 0.99 ELSE 1 END
                        WHEN names[j] IN ('alpha_decay', 'power', 'share') THEN 1
                        WHEN names[j] = 'lag' THEN greatest(max_lag[c], 0)
                        ELSE 'Infinity'::float8 END;
            -- a channel option number fixes the parameter; [low, high] narrows its support
            IF box ? names[j] AND names[j] <> '' THEN
                IF jsonb_typeof(box->names[j]) = 'number' THEN
                    kd := 'fixed'; va := (box->>names[j])::float8; vb := 0;
                ELSIF jsonb_typeof(box->names[j]) = 'array' AND jsonb_array_length(box->names[j]) = 2 THEN
                    vlo := (box->names[j]->>0)::float8; vhi := (box->names[j]->>1)::float8;
                END IF;
            END IF;
            IF pr ? names[j] AND names[j] <> '' THEN
                SELECT x.kind, x.a, x.b, x.lo, x.hi INTO kd, va, vb, vlo, vhi
                  FROM mixmodel._prior_spec(pr->names[j], names[j], channels[c], kd, va, vb, vlo, vhi) x;
            END IF;
            IF kd = 'lognormal' AND va IS NULL THEN
                RAISE EXCEPTION 'the paid channels have no spend in the training rows' USING ERRCODE = '22023',
                    HINT = 'Give each paid channel a "roas" prior.';
            END IF;
            kinds := kinds || kd; pa := pa || va; pb := pb || vb; plo := plo || vlo; phi := phi || vhi;
            pnames := pnames || names[j];
        END LOOP;
        -- the effect: paid channels by their ROAS (Meridian's ROI parameterisation), organic ones by
        -- their share of the training KPI (Meridian's contribution parameterisation)
        roi := roi || CASE WHEN paid[c] THEN 1 ELSE 2 END;
        -- Adobe's contribution prior as a Gaussian on the share: sd 0.05 / sqrt(w), w = conf / (1 - conf)
        conf := least(coalesce((pr->>'confidence')::float8, 0.5), 0.99);
        share := share || CASE WHEN pr ? 'contribution' AND conf > 0 THEN (pr->>'contribution')::float8 END;
        share_sd := share_sd || CASE WHEN pr ? 'contribution' AND conf > 0 THEN 0.05 * sqrt((1 - conf) / conf) END;
    END LOOP;
    IF EXISTS (SELECT 1 FROM unnest(exp_se) s WHERE s IS NULL) THEN
        RAISE EXCEPTION 'every experiment needs a lift_se with inference "bayes"' USING ERRCODE = '22023',
            HINT = 'A lift study enters the posterior as a Gaussian likelihood term (formulas §8.2); give its standard error.';
    END IF;
    RETURN jsonb_build_object(
        'inference', coalesce(o->>'inference', 'bayes'),
        'prior_kind', to_jsonb(kinds), 'prior_a', to_jsonb(pa), 'prior_b', to_jsonb(pb),
        'prior_lo', to_jsonb(plo), 'prior_hi', to_jsonb(phi), 'prior_name', to_jsonb(pnames),
        'roi', to_jsonb(roi), 'share_prior', to_jsonb(share), 'share_sd', to_jsonb(share_sd),
        'zsign', to_jsonb(ARRAY(SELECT CASE WHEN l = 0 AND h = 'Infinity' THEN 1 WHEN l = '-Infinity' AND h = 0 THEN -1 ELSE 0 END
                                   FROM unnest(zlo, zhi) u(l, h))),
        'globals', to_jsonb(ARRAY[CASE WHEN form = 'multiplicative' THEN (SELECT avg(ln(v)) FROM unnest(y_train) v) ELSE 1 END,
                                  5, 1, 1]::float8[]),
        'sampler', to_jsonb(ARRAY[coalesce((o->>'chains')::int, 4), coalesce((o->>'warmup')::int, 1000),
                                  coalesce((o->>'draws')::int, 1000), coalesce((o->>'max_treedepth')::int, 10),
                                  CASE WHEN o->>'metric' = 'dense' THEN 1 ELSE 0 END,
                                  CASE WHEN o->>'inference' = 'map' THEN 1 ELSE 0 END]),
        'target_accept', coalesce((o->>'target_accept')::float8, 0.8),
        'interval', coalesce((o->>'interval')::float8, 0.9));
END $$;
COMMENT ON FUNCTION mixmodel._model_bayes_inputs(jsonb, text[], boolean[], text[], text[], int[], float8[], float8[], int, text, float8[], float8[], float8[]) IS 'Internal: the priors (defaults, channel options and the priors option resolved per channel and parameter), contribution priors, sign constraints of the fixed terms and sampler settings of a Bayesian model, as train_bayes_core takes them.';

CREATE FUNCTION mixmodel._model_fit_bayes(i jsonb, seed bigint, model text, run integer)
    RETURNS jsonb
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    RETURN mixmodel.train_bayes_core(mixmodel._jf(i->'y'), mixmodel._jf(i->'x'), mixmodel._jf(i->'spend'),
        mixmodel._jt(i->'channels'),
        (SELECT pg_catalog.array_agg(e.v::boolean::int ORDER BY e.k) FROM pg_catalog.jsonb_array_elements_text(i->'paid') WITH ORDINALITY e(v, k)),
        mixmodel._jt(i->'adstock'), mixmodel._ji(i->'max_lag'), mixmodel._ji(i->'normalize'),
        mixmodel._jt(i->'saturation'), mixmodel._jf(i->'z'), mixmodel._ji(i->'zsign'),
        (i->>'t0')::int, (i->>'n_train')::int, i->>'form',
        mixmodel._jt(i->'prior_kind'), mixmodel._jf(i->'prior_a'), mixmodel._jf(i->'prior_b'),
        mixmodel._jf(i->'prior_lo'), mixmodel._jf(i->'prior_hi'), mixmodel._jt(i->'prior_name'),
        mixmodel._ji(i->'roi'), mixmodel._jf(i->'share_prior'), mixmodel._jf(i->'share_sd'),
        mixmodel._ji(i->'exp_channel'), mixmodel._ji(i->'exp_r0'), mixmodel._ji(i->'exp_r1'),
        mixmodel._jf(i->'exp_lift'), mixmodel._jf(i->'exp_scale'), mixmodel._jf(i->'exp_se'),
        mixmodel._jf(i->'globals'), mixmodel._ji(i->'sampler'),
        (i->>'target_accept')::float8, (i->>'interval')::float8, seed, model, run);
COMMENT ON FUNCTION mixmodel._model_fit_bayes(jsonb, bigint, text, integer) IS 'Internal: calls train_bayes_core on the arrays of _model_inputs (inference bayes or map); the draws go into run_draws for (model, run).';

-- posterior summary and sampler diagnostics of a Bayesian run; warnings when it has not converged
CREATE FUNCTION mixmodel._model_write_posterior(model text, run integer, r jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad text;
    s jsonb := r #> '{posterior,sampler}';
BEGIN
    DELETE FROM mixmodel.run_posterior x WHERE x.model = _model_write_posterior.model AND x.run = _model_write_posterior.run;
    IF NOT r ? 'posterior' THEN
        RETURN;
    END IF;
    INSERT INTO mixmodel.run_posterior
    SELECT _model_write_posterior.model, _model_write_posterior.run, e->>'parameter', e->>'term',
           (e->>'mean')::float8, (e->>'sd')::float8, (e->>'lower')::float8, (e->>'median')::float8,
           (e->>'upper')::float8, (e->>'rhat')::float8, (e->>'ess_bulk')::float8, (e->>'ess_tail')::float8
      FROM jsonb_array_elements(r #> '{posterior,summary}') e;
    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message) VALUES
        (model, run, 'sampler_parameters', '', (s->>'parameters')::float8, 'unconstrained parameters the sampler moves (intercept and unsigned fixed terms are integrated out)'),
        (model, run, 'sampler_divergences', '', (s->>'divergences')::float8, 'divergent transitions among the kept draws (should be 0)'),
        (model, run, 'sampler_max_treedepth_hits', '', (s->>'max_treedepth_hits')::float8, 'kept draws whose tree reached max_treedepth'),
        (model, run, 'sampler_accept_mean', '', (s->>'accept_mean')::float8, 'mean acceptance statistic (target_accept)'),
        (model, run, 'sampler_step_size', '', (s->>'step_size')::float8, 'mean step size after warm-up'),
        (model, run, 'sampler_seconds', '', (s->>'seconds')::float8, 'seconds spent in warm-up and sampling, all chains');
    -- convergence of the channel parameters and of the quantities the views show
    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message)
    SELECT p.model, p.run, 'warning_rhat', p.term || '.' || p.parameter, p.rhat, 'R-hat above 1.01: the chains disagree'
      FROM mixmodel.run_posterior p
     WHERE p.model = _model_write_posterior.model AND p.run = _model_write_posterior.run AND p.term <> '' AND p.rhat > 1.01
    UNION ALL
    SELECT p.model, p.run, 'warning_ess', p.term || '.' || p.parameter, p.ess_bulk, 'bulk ESS below 400: too few effective draws'
      FROM mixmodel.run_posterior p
     WHERE p.model = _model_write_posterior.model AND p.run = _model_write_posterior.run AND p.term <> '' AND p.ess_bulk < 400;
    SELECT string_agg(d.term || CASE d.item WHEN 'warning_rhat' THEN format(' R-hat %s', round(d.value::numeric, 3))
                                             ELSE format(' ESS %s', round(d.value)) END, ', ' ORDER BY d.term, d.item)
      INTO bad FROM mixmodel.run_diagnostics d
     WHERE d.model = _model_write_posterior.model AND d.run = _model_write_posterior.run AND d.item IN ('warning_rhat', 'warning_ess');
    IF bad IS NOT NULL THEN
        RAISE WARNING 'the posterior of model "%" run % has not converged', model, run
            USING DETAIL = left(bad, 900),
                  HINT = 'Run more draws or warmup, or add prior information; the run is stored with its diagnostics (mixmodel.run_posterior).';
    END IF;
    IF (s->>'divergences')::int > 0 THEN
        RAISE WARNING '% divergent transitions in the posterior of model "%" run %', s->>'divergences', model, run
            USING HINT = 'Raise target_accept (e.g. 0.95); the draws near the divergences may be biased.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._model_write_posterior(text, integer, jsonb) IS 'Internal: writes run_posterior and the sampler''s run_diagnostics of a Bayesian run, with a WARNING when a channel quantity has R-hat above 1.01 or bulk ESS below 400, or when transitions diverged.';

CREATE VIEW mixmodel.model_posterior WITH (security_invoker = true) AS
SELECT m.name AS model, p.run, p.parameter, p.term, p.mean, p.sd, p.lower, p.median, p.upper,
       p.rhat, p.ess_bulk, p.ess_tail,
       (p.rhat <= 1.01 AND p.ess_bulk >= 400) AS converged
  FROM mixmodel.models m
  JOIN mixmodel.run_posterior p ON p.model = m.name AND p.run = m.current_run;
COMMENT ON VIEW mixmodel.model_posterior IS 'Posterior summary of the current run of every Bayesian model: each parameter and derived quantity with its credible interval and convergence diagnostics.';
COMMENT ON COLUMN mixmodel.model_posterior.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_posterior.run IS 'the model''s current run';
COMMENT ON COLUMN mixmodel.model_posterior.parameter IS 'parameter or derived quantity (run_posterior.parameter)';
COMMENT ON COLUMN mixmodel.model_posterior.term IS 'channel, or '''' for model-wide parameters';
COMMENT ON COLUMN mixmodel.model_posterior.mean IS 'posterior mean';
COMMENT ON COLUMN mixmodel.model_posterior.sd IS 'posterior standard deviation';
COMMENT ON COLUMN mixmodel.model_posterior.lower IS 'lower end of the credible interval (runs.config interval, default 90%)';
COMMENT ON COLUMN mixmodel.model_posterior.median IS 'posterior median';
COMMENT ON COLUMN mixmodel.model_posterior.upper IS 'upper end of the credible interval';
COMMENT ON COLUMN mixmodel.model_posterior.rhat IS 'rank-normalised split R-hat';
COMMENT ON COLUMN mixmodel.model_posterior.ess_bulk IS 'bulk effective sample size';
COMMENT ON COLUMN mixmodel.model_posterior.ess_tail IS 'tail effective sample size';
COMMENT ON COLUMN mixmodel.model_posterior.converged IS 'R-hat <= 1.01 and bulk ESS >= 400';

-- credible bands of a channel's curves over a Bayesian run's draws (src/score/band.c)
CREATE FUNCTION mixmodel._response_band(adstock text, max_lag integer, normalize_weights boolean, saturation text,
        input_scale float8, form text, params float8[], x float8[], start integer, len integer,
        point float8[], yhat float8[], level float8, spends float8[])
    RETURNS float8[]
    AS 'MODULE_PATHNAME', 'response_band'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION mixmodel._response_band(text, integer, boolean, text, float8, text, float8[], float8[], integer, integer, float8[], float8[], float8, float8[]) IS 'Internal: the credible band at level of a channel''s response curve (formulas §4.2) over draws (params: adstock_p1, adstock_p2, sat_p1, sat_p2, coef per draw) at window spends: lower and upper response, then lower and upper marginal response (4 x spends values); multiplicative models hold the rest of the prediction at the point model (point, yhat).';

CREATE FUNCTION mixmodel._adstock_band(adstock text, max_lag integer, normalize_weights boolean, params float8[],
        lags integer, level float8)
    RETURNS float8[]
    AS 'MODULE_PATHNAME', 'adstock_band'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION mixmodel._adstock_band(text, integer, boolean, float8[], integer, float8) IS 'Internal: the credible band at level of a channel''s adstock curve over draws (params as _response_band): lower then upper weight at lags 0..lags.';

-- the draws of one channel of a Bayesian run, at most max_draws of them evenly thinned, as _response_band takes them
CREATE FUNCTION mixmodel._run_channel_draws(model text, run integer, channel text, max_draws integer DEFAULT 1000)
    RETURNS float8[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH c AS (
        SELECT x.position FROM mixmodel.run_channels x
         WHERE x.model = _run_channel_draws.model AND x.run = _run_channel_draws.run AND x.channel = _run_channel_draws.channel
    ), d AS (
        SELECT r.params, row_number() OVER (ORDER BY r.chain, r.draw) AS k, count(*) OVER () AS n
          FROM mixmodel.run_draws r
         WHERE r.model = _run_channel_draws.model AND r.run = _run_channel_draws.run
    )
    SELECT array_agg(v ORDER BY d.k, u.j)
      FROM d, c, unnest(d.params[(c.position - 1) * 5 + 1 : c.position * 5]) WITH ORDINALITY u(v, j)
     WHERE (d.k - 1) % greatest(1, ceil(d.n::float8 / max_draws)::int) = 0
$$;
COMMENT ON FUNCTION mixmodel._run_channel_draws(text, integer, text, integer) IS 'Internal: the draws of one channel of a Bayesian run (adstock_p1, adstock_p2, sat_p1, sat_p2, coef each), every k-th in chain order so that at most max_draws remain; NULL for runs without draws.';

-- the credible level of a run's intervals (NULL: a run without a posterior)
CREATE FUNCTION mixmodel._run_level(model text, run integer)
    RETURNS float8
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT CASE WHEN r.inference = 'bayes' THEN coalesce((r.config #>> '{resolved,interval}')::float8, 0.9) END
          FROM mixmodel.runs r WHERE r.model = _run_level.model AND r.run = _run_level.run);
COMMENT ON FUNCTION mixmodel._run_level(text, integer) IS 'Internal: the credible level of a Bayesian run''s intervals (option interval, default 0.9); NULL for ridge and map runs.';
