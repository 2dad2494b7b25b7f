-- model: calibration helpers (doc/model.md "Calibration", formulas §8)

CREATE FUNCTION mixmodel.roi_prior_lognormal(mean float8, sd float8, OUT mu float8, OUT sigma float8)
    RETURNS record
    AS 'MODULE_PATHNAME', 'roi_prior_lognormal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.roi_prior_lognormal(float8, float8) IS 'LogNormal(mu, sigma) with the given mean and standard deviation, e.g. of an experiment''s ROI (Meridian''s ROI prior, formulas §8.3): sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2; mean and sd > 0 and finite (22023).';
