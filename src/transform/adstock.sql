-- transform: adstock (carry-over).  Conventions by name: doc/adstock.md, formulas.md §1.1.

-- transform: adstock on arrays (one element per period, oldest first)
CREATE FUNCTION mixmodel.adstock_geometric(x pg_catalog.float8[], theta pg_catalog.float8,
        max_lag pg_catalog.int4 DEFAULT NULL, "normalize" pg_catalog.bool DEFAULT false)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_geometric';
COMMENT ON FUNCTION mixmodel.adstock_geometric(pg_catalog.float8[], pg_catalog.float8, pg_catalog.int4, pg_catalog.bool) IS
'Geometric adstock of a series. max_lag NULL: Robyn''s recursive a_t = x_t + theta*a_{t-1}, theta in [0,1), normalize multiplies by 1-theta (LightweightMMM). max_lag given: weights theta^l for lags 0..max_lag (Meridian, PyMC), theta in [0,1], normalize divides by their sum.';

CREATE FUNCTION mixmodel.adstock_weibull(x pg_catalog.float8[], shape pg_catalog.float8,
        scale pg_catalog.float8, variant pg_catalog.text DEFAULT 'cdf',
        max_lag pg_catalog.int4 DEFAULT NULL, "normalize" pg_catalog.bool DEFAULT false,
        scale_type pg_catalog.text DEFAULT 'relative')
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_weibull';
COMMENT ON FUNCTION mixmodel.adstock_weibull(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.text, pg_catalog.int4, pg_catalog.bool, pg_catalog.text) IS
'Weibull adstock, variant ''cdf'' (survival product, peak at lag 0) or ''pdf'' (min-max density, peak may be lagged). scale_type ''relative'' (Robyn): scale in [0,1] is a quantile of the window, lambda = round-half-even of it; ''absolute'' (PyMC): scale is lambda in periods. max_lag NULL: the window is the whole series (Robyn); else max_lag+1 weights. shape 0 or scale 0: no adstock.';

CREATE FUNCTION mixmodel.adstock_delayed(x pg_catalog.float8[], alpha pg_catalog.float8,
        peak pg_catalog.float8, max_lag pg_catalog.int4, "normalize" pg_catalog.bool DEFAULT true)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_delayed';
COMMENT ON FUNCTION mixmodel.adstock_delayed(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool) IS
'Delayed (peaked, two-tail) adstock: weights alpha^((l-peak)^2) for lags 0..max_lag, alpha in (0,1], peak in [0,max_lag]; normalize (default) divides by their sum (PyMC delayed_adstock, LightweightMMM carryover).';

CREATE FUNCTION mixmodel.adstock_binomial(x pg_catalog.float8[], alpha pg_catalog.float8,
        max_lag pg_catalog.int4)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_binomial';
COMMENT ON FUNCTION mixmodel.adstock_binomial(pg_catalog.float8[], pg_catalog.float8, pg_catalog.int4) IS
'Binomial adstock (Meridian): weights (1 - l/(max_lag+1))^(1/alpha - 1) for lags 0..max_lag, always normalised to sum 1; alpha in [0,1], 1 is flat, 0 is no carry-over. Not truncated to the series length (Meridian truncates).';

-- transform: adstock lag weights, for adstock-curve charts
CREATE FUNCTION mixmodel.adstock_weights(kind pg_catalog.text, max_lag pg_catalog.int4,
        theta pg_catalog.float8 DEFAULT NULL, alpha pg_catalog.float8 DEFAULT NULL,
        peak pg_catalog.float8 DEFAULT NULL, shape pg_catalog.float8 DEFAULT NULL,
        scale pg_catalog.float8 DEFAULT NULL, "normalize" pg_catalog.bool DEFAULT NULL)
    RETURNS TABLE (lag pg_catalog.int4, weight pg_catalog.float8)
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 13
    AS 'MODULE_PATHNAME', 'adstock_weights';
COMMENT ON FUNCTION mixmodel.adstock_weights(pg_catalog.text, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS
'Lag weights (lag 0..max_lag) of one adstock convention: kind geometric_recursive or geometric_windowed (theta), weibull_cdf_relative, weibull_pdf_relative, weibull_cdf_absolute or weibull_pdf_absolute (shape, scale; relative kinds take the window as max_lag+1 periods), delayed (alpha, peak) or binomial (alpha). normalize NULL takes the default of the matching transform.';

-- transform: adstock as window functions, ... OVER (PARTITION BY channel ORDER BY week)
CREATE FUNCTION mixmodel.adstock_geometric(spend pg_catalog.float8, theta pg_catalog.float8,
        max_lag pg_catalog.int4 DEFAULT NULL, "normalize" pg_catalog.bool DEFAULT false)
    RETURNS pg_catalog.float8
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_geometric_window';
COMMENT ON FUNCTION mixmodel.adstock_geometric(pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool) IS
'Window form of adstock_geometric(float8[], ...): the partition in ORDER BY order is the series; the frame is ignored. Same conventions, bit-identical results. Parameters must be the same on every row of a partition; a NULL spend is an error.';

CREATE FUNCTION mixmodel.adstock_weibull(spend pg_catalog.float8, shape pg_catalog.float8,
        scale pg_catalog.float8, variant pg_catalog.text, max_lag pg_catalog.int4,
        "normalize" pg_catalog.bool DEFAULT false, scale_type pg_catalog.text DEFAULT 'relative')
    RETURNS pg_catalog.float8
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_weibull_window';
COMMENT ON FUNCTION mixmodel.adstock_weibull(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.text, pg_catalog.int4, pg_catalog.bool, pg_catalog.text) IS
'Window form of adstock_weibull(float8[], ...) with a finite window of max_lag+1 periods (required); scale_type ''absolute'' is PyMC''s lambda in periods, ''relative'' Robyn''s quantile of the window. The frame is ignored; a NULL spend is an error.';

CREATE FUNCTION mixmodel.adstock_delayed(spend pg_catalog.float8, alpha pg_catalog.float8,
        peak pg_catalog.float8, max_lag pg_catalog.int4, "normalize" pg_catalog.bool DEFAULT true)
    RETURNS pg_catalog.float8
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_delayed_window';
COMMENT ON FUNCTION mixmodel.adstock_delayed(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool) IS
'Window form of adstock_delayed(float8[], ...): the partition in ORDER BY order is the series; the frame is ignored; a NULL spend is an error.';

CREATE FUNCTION mixmodel.adstock_binomial(spend pg_catalog.float8, alpha pg_catalog.float8,
        max_lag pg_catalog.int4)
    RETURNS pg_catalog.float8
    LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_binomial_window';
COMMENT ON FUNCTION mixmodel.adstock_binomial(pg_catalog.float8, pg_catalog.float8, pg_catalog.int4) IS
'Window form of adstock_binomial(float8[], ...): the partition in ORDER BY order is the series; the frame is ignored; a NULL spend is an error.';
