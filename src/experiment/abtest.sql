-- experiment: A/B primitives on per-arm counts and means (doc/experiment.md, formulas §7)

CREATE FUNCTION mixmodel.ab_test(units pg_catalog.float8[], conversions pg_catalog.float8[],
        alpha pg_catalog.float8 DEFAULT 0.05, rho2 pg_catalog.float8 DEFAULT 10 ^ -2.8)
    RETURNS TABLE (arm pg_catalog.int4, units pg_catalog.float8, conversions pg_catalog.float8,
        rate pg_catalog.float8, diff pg_catalog.float8, lift pg_catalog.float8, p_value pg_catalog.float8,
        ci_low pg_catalog.float8, ci_high pg_catalog.float8, anytime_p pg_catalog.float8,
        anytime_low pg_catalog.float8, anytime_high pg_catalog.float8, p_best pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'ab_test'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION mixmodel.ab_test(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'A/B(/n) test on per-arm counts, arm 1 the control: rate, diff = rate - control rate, lift = diff / control rate, the pooled two-proportion z test p_value (formulas §7.1), the unpooled fixed-horizon interval ci_low..ci_high and the anytime-valid interval anytime_low..anytime_high of diff with its p-value anytime_p (asymptotic confidence sequence, alpha and rho2 as Adobe Journey Optimizer, formulas §7.2), both intervals at the Bonferroni level alpha/(K-1) (§7.4), and p_best, the Beta(1,1) posterior probability to be best by quadrature (§7.5). Control columns are NULL.';

CREATE FUNCTION mixmodel.ab_test_welch(n pg_catalog.float8[], mean pg_catalog.float8[], sd pg_catalog.float8[],
        alpha pg_catalog.float8 DEFAULT 0.05, rho2 pg_catalog.float8 DEFAULT 10 ^ -2.8)
    RETURNS TABLE (arm pg_catalog.int4, n pg_catalog.float8, mean pg_catalog.float8, sd pg_catalog.float8,
        diff pg_catalog.float8, lift pg_catalog.float8, se pg_catalog.float8, t pg_catalog.float8,
        df pg_catalog.float8, p_value pg_catalog.float8, ci_low pg_catalog.float8, ci_high pg_catalog.float8,
        anytime_p pg_catalog.float8, anytime_low pg_catalog.float8, anytime_high pg_catalog.float8,
        p_best pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'ab_test_welch'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION mixmodel.ab_test_welch(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'ab_test for a continuous metric (revenue per unit) from per-arm n, mean and sample SD, arm 1 the control: Welch t test (se, t, Satterthwaite df, p_value, fixed-horizon interval; R t.test var.equal = FALSE), the anytime-valid interval and p-value of diff (formulas §7.2), intervals at the Bonferroni level alpha/(K-1), and p_best of Normal(mean, sd^2/n) posteriors by quadrature.';

CREATE FUNCTION mixmodel.anytime_interval(n pg_catalog.float8, mean pg_catalog.float8, sd pg_catalog.float8,
        alpha pg_catalog.float8 DEFAULT 0.05, rho2 pg_catalog.float8 DEFAULT 10 ^ -2.8,
        OUT low pg_catalog.float8, OUT high pg_catalog.float8)
    RETURNS record
    AS 'MODULE_PATHNAME', 'anytime_interval'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.anytime_interval(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Anytime-valid interval of one arm''s mean after n units: mean +- sd * sqrt(2(n rho2 + 1)/(n^2 rho2) ln(sqrt(n rho2 + 1)/alpha)) (per-arm asymptotic confidence sequence, formulas §7.2); NULL below two units.';

CREATE FUNCTION mixmodel.srm_test(units pg_catalog.float8[], planned pg_catalog.float8[],
        threshold pg_catalog.float8 DEFAULT 0.001,
        OUT chi2 pg_catalog.float8, OUT df pg_catalog.int4, OUT p_value pg_catalog.float8,
        OUT mismatch pg_catalog.bool)
    RETURNS record
    AS 'MODULE_PATHNAME', 'srm_test'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.srm_test(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8) IS
'Sample-ratio mismatch check: Pearson chi-square of the units assigned per arm against the planned split (positive weights, normalised), K-1 degrees of freedom; mismatch when p_value < threshold (default 0.001).';

CREATE FUNCTION mixmodel.ab_posterior(units pg_catalog.float8[], conversions pg_catalog.float8[],
        prior_a pg_catalog.float8 DEFAULT 1, prior_b pg_catalog.float8 DEFAULT 1,
        credibility pg_catalog.float8 DEFAULT 0.95)
    RETURNS TABLE (arm pg_catalog.int4, posterior_a pg_catalog.float8, posterior_b pg_catalog.float8,
        mean pg_catalog.float8, low pg_catalog.float8, high pg_catalog.float8,
        p_best pg_catalog.float8, expected_loss pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'ab_posterior'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION mixmodel.ab_posterior(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Bayesian view of conversion rates: arm k is Beta(prior_a + conversions, prior_b + units - conversions); its mean, equal-tailed credible interval, probability to be best and expected loss E[max rate - rate_k], both by adaptive quadrature (formulas §7.5).';

CREATE FUNCTION mixmodel.ab_posterior_means(n pg_catalog.float8[], mean pg_catalog.float8[], sd pg_catalog.float8[],
        credibility pg_catalog.float8 DEFAULT 0.95)
    RETURNS TABLE (arm pg_catalog.int4, mean pg_catalog.float8, sd pg_catalog.float8,
        low pg_catalog.float8, high pg_catalog.float8, p_best pg_catalog.float8,
        expected_loss pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'ab_posterior_means'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION mixmodel.ab_posterior_means(pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8) IS
'Bayesian view of a continuous metric: arm k''s mean is Normal(mean, sd^2/n) (flat prior, sample variance as known); the posterior sd, credible interval, probability to be best and expected loss by quadrature. NULL where n < 2 or an sd is 0.';
