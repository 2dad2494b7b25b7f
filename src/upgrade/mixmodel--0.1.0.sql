\echo Use "CREATE EXTENSION mixmodel" to load this file. \quit
-- common: schema-level objects shared by every stage.

COMMENT ON SCHEMA mixmodel IS 'mixmodel: marketing-mix modelling in the database (harmonize, transform, fit, score, plan)';

-- common: extension metadata
CREATE FUNCTION mixmodel.version() RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '0.1.0';
COMMENT ON FUNCTION mixmodel.version() IS 'Version of the mixmodel extension SQL (matches mixmodel.control).';
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
-- plan: the budget allocator over parametric curves (formulas.md §5; doc/plan.md).

CREATE FUNCTION mixmodel.optimize_budget(budget pg_catalog.float8,
        coef pg_catalog.float8[], alpha pg_catalog.float8[], k pg_catalog.float8[],
        lower pg_catalog.float8[] DEFAULT NULL, upper pg_catalog.float8[] DEFAULT NULL,
        periods pg_catalog.int4 DEFAULT 1, theta pg_catalog.float8[] DEFAULT NULL,
        max_lag pg_catalog.int4 DEFAULT 0, spend_pattern pg_catalog.text DEFAULT 'flat')
    RETURNS TABLE (channel pg_catalog.int4, spend pg_catalog.float8,
                   response pg_catalog.float8, marginal pg_catalog.float8,
                   weekly pg_catalog.float8[], lambda pg_catalog.float8,
                   kkt_residual pg_catalog.float8, method pg_catalog.text)
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 20
    AS 'MODULE_PATHNAME', 'optimize_budget';
COMMENT ON FUNCTION mixmodel.optimize_budget(pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.float8[], pg_catalog.int4, pg_catalog.text) IS
'Optimal split of a budget over channels with response coef_c * sum_t hill(a_t; alpha_c, k_c), a = geometric adstock (theta_c, lags 0..max_lag) of the weekly spend over periods weeks plus the lag tail. Maximises the total response subject to sum of spend = budget and lower <= spend <= upper. Exact KKT (lambda search) when every alpha <= 1; grid DP plus KKT polish for S-curves (alpha > 1). spend_pattern ''flat'' spreads each channel evenly over the weeks; ''automatic'' optimises every week. One row per channel with its optimality certificate (lambda, kkt_residual).';

CREATE FUNCTION mixmodel.optimize_target(target pg_catalog.float8, metric pg_catalog.text,
        max_budget pg_catalog.float8,
        coef pg_catalog.float8[], alpha pg_catalog.float8[], k pg_catalog.float8[],
        lower pg_catalog.float8[] DEFAULT NULL, upper pg_catalog.float8[] DEFAULT NULL,
        periods pg_catalog.int4 DEFAULT 1, theta pg_catalog.float8[] DEFAULT NULL,
        max_lag pg_catalog.int4 DEFAULT 0, spend_pattern pg_catalog.text DEFAULT 'flat')
    RETURNS TABLE (channel pg_catalog.int4, spend pg_catalog.float8,
                   response pg_catalog.float8, marginal pg_catalog.float8,
                   weekly pg_catalog.float8[], budget pg_catalog.float8,
                   achievable pg_catalog.bool, achieved pg_catalog.float8,
                   best pg_catalog.float8)
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 5000 ROWS 20
    AS 'MODULE_PATHNAME', 'optimize_target';
COMMENT ON FUNCTION mixmodel.optimize_target(pg_catalog.float8, pg_catalog.text, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.float8[], pg_catalog.int4, pg_catalog.text) IS
'Goal mode over the curves of optimize_budget. metric ''volume'': the least budget whose optimal split reaches target response; ''roas'': the largest budget whose response per unit of spend is at least target (ROI r is roas 1 + r); ''cpa'': the largest budget whose spend per unit of response is at most target. max_budget caps the budget (NULL: none, volume only). achievable says whether the target is met; best is the best reachable volume or ratio when it is not. One row per channel with the split at the budget found.';
-- transform: saturation (diminishing returns).  Curves by name: doc/saturation.md, formulas.md §1.2.

-- transform: saturation, named curves (scalar and float8[] forms)
CREATE FUNCTION mixmodel.hill(x pg_catalog.float8, alpha pg_catalog.float8, k pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hill';
COMMENT ON FUNCTION mixmodel.hill(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Hill saturation x^alpha/(x^alpha + k^alpha): alpha > 0 shape, k > 0 half-saturation (Meridian ec/slope, PyMC, LightweightMMM). x >= 0; s(k) = 0.5. Evaluated as 1/(1+exp(alpha(ln k - ln x))) so large alpha cannot overflow.';

CREATE FUNCTION mixmodel.hill(x pg_catalog.float8[], alpha pg_catalog.float8, k pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hill_array';
COMMENT ON FUNCTION mixmodel.hill(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Hill saturation of every element of a non-empty series (no NULL, NaN, Infinity or negative elements); same curve as hill(float8, ...).';

CREATE FUNCTION mixmodel.hill_relative(x pg_catalog.float8[], alpha pg_catalog.float8,
        gamma pg_catalog.float8, legacy pg_catalog.bool DEFAULT false)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hill_relative';
COMMENT ON FUNCTION mixmodel.hill_relative(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS
'Robyn''s Hill with a data-dependent half-saturation: k = gamma*max(x) (Robyn >= 3.12), or (1-gamma)*min(x) + gamma*max(x) with legacy => true (Robyn <= 3.11). alpha in (0,10), gamma in (0,1]. Pass the adstocked series of the modelling window. An all-zero series returns zeros.';

CREATE FUNCTION mixmodel.hill_relative_k(x pg_catalog.float8[], gamma pg_catalog.float8,
        legacy pg_catalog.bool DEFAULT false)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hill_relative_k';
COMMENT ON FUNCTION mixmodel.hill_relative_k(pg_catalog.float8[], pg_catalog.float8, pg_catalog.bool) IS
'The absolute half-saturation k that hill_relative(x, alpha, gamma, legacy) uses: gamma*max(x), or (1-gamma)*min(x) + gamma*max(x) when legacy. 0 for an all-zero series. Use it with hill(), saturation_deriv(''hill'', ...) and saturation_inverse(''hill'', ...) on new spend levels.';

CREATE FUNCTION mixmodel.hill_inflection(alpha pg_catalog.float8, k pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hill_inflection';
COMMENT ON FUNCTION mixmodel.hill_inflection(pg_catalog.float8, pg_catalog.float8) IS
'Inflection point k*((alpha-1)/(alpha+1))^(1/alpha) of the Hill curve, where the marginal return is highest; 0 when alpha <= 1 (the marginal return falls from x = 0).';

CREATE FUNCTION mixmodel.logistic_saturation(x pg_catalog.float8, lam pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'logistic_saturation';
COMMENT ON FUNCTION mixmodel.logistic_saturation(pg_catalog.float8, pg_catalog.float8) IS
'Logistic saturation (1 - exp(-lam*x))/(1 + exp(-lam*x)) = tanh(lam*x/2), lam > 0, x >= 0; values in [0,1) (PyMC logistic_saturation, without its beta).';

CREATE FUNCTION mixmodel.logistic_saturation(x pg_catalog.float8[], lam pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'logistic_saturation_array';
COMMENT ON FUNCTION mixmodel.logistic_saturation(pg_catalog.float8[], pg_catalog.float8) IS
'Logistic saturation of every element of a non-empty, non-negative series; same curve as logistic_saturation(float8, float8).';

CREATE FUNCTION mixmodel.michaelis_menten(x pg_catalog.float8, vmax pg_catalog.float8, km pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'michaelis_menten';
COMMENT ON FUNCTION mixmodel.michaelis_menten(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Michaelis-Menten saturation vmax*x/(km + x), vmax > 0 the ceiling, km > 0 the x at half the ceiling, x >= 0 (PyMC michaelis_menten; Robyn mic_men). Hill with alpha = 1, times vmax.';

CREATE FUNCTION mixmodel.michaelis_menten(x pg_catalog.float8[], vmax pg_catalog.float8, km pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'michaelis_menten_array';
COMMENT ON FUNCTION mixmodel.michaelis_menten(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Michaelis-Menten saturation of every element of a non-empty, non-negative series; same curve as michaelis_menten(float8, float8, float8).';

CREATE FUNCTION mixmodel.power_saturation(x pg_catalog.float8, theta pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'power_saturation';
COMMENT ON FUNCTION mixmodel.power_saturation(pg_catalog.float8, pg_catalog.float8) IS
'Power saturation x^theta, theta in (0,1], x >= 0 (Adobe Mix Modeler x^theta; LightweightMMM exponent; PyMC root). theta = 1 is linear.';

CREATE FUNCTION mixmodel.power_saturation(x pg_catalog.float8[], theta pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'power_saturation_array';
COMMENT ON FUNCTION mixmodel.power_saturation(pg_catalog.float8[], pg_catalog.float8) IS
'Power saturation of every element of a non-empty, non-negative series; same curve as power_saturation(float8, float8).';

CREATE FUNCTION mixmodel.tanh_saturation(x pg_catalog.float8, b pg_catalog.float8, c pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'tanh_saturation';
COMMENT ON FUNCTION mixmodel.tanh_saturation(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Tanh saturation b*tanh(x/(b*c)): b > 0 the ceiling, c > 0 the cost per unit of response at x = 0 (slope 1/c), x >= 0 (PyMC tanh_saturation).';

CREATE FUNCTION mixmodel.tanh_saturation(x pg_catalog.float8[], b pg_catalog.float8, c pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'tanh_saturation_array';
COMMENT ON FUNCTION mixmodel.tanh_saturation(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Tanh saturation of every element of a non-empty, non-negative series; same curve as tanh_saturation(float8, float8, float8).';

-- transform: saturation by kind name: value, derivative (marginal response), inverse
CREATE FUNCTION mixmodel.saturation(kind pg_catalog.text, x pg_catalog.float8, p1 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_value';
COMMENT ON FUNCTION mixmodel.saturation(pg_catalog.text, pg_catalog.float8, pg_catalog.float8) IS
'Value s(x) of a one-parameter saturation kind: logistic (p1 = lam) or power (p1 = theta).';

CREATE FUNCTION mixmodel.saturation(kind pg_catalog.text, x pg_catalog.float8, p1 pg_catalog.float8, p2 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_value';
COMMENT ON FUNCTION mixmodel.saturation(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Value s(x) of a two-parameter saturation kind: hill (p1 = alpha, p2 = k), michaelis_menten (vmax, km) or tanh (b, c).';

CREATE FUNCTION mixmodel.saturation_deriv(kind pg_catalog.text, x pg_catalog.float8, p1 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_deriv';
COMMENT ON FUNCTION mixmodel.saturation_deriv(pg_catalog.text, pg_catalog.float8, pg_catalog.float8) IS
'Derivative s''(x) (marginal response per unit of x) of a one-parameter kind: logistic (lam) or power (theta). Power with theta < 1 gives Infinity at x = 0.';

CREATE FUNCTION mixmodel.saturation_deriv(kind pg_catalog.text, x pg_catalog.float8, p1 pg_catalog.float8, p2 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_deriv';
COMMENT ON FUNCTION mixmodel.saturation_deriv(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Derivative s''(x) of a two-parameter kind: hill (alpha, k), michaelis_menten (vmax, km) or tanh (b, c). Hill at x = 0: Infinity for alpha < 1, 1/k for alpha = 1, 0 for alpha > 1.';

CREATE FUNCTION mixmodel.saturation_inverse(kind pg_catalog.text, u pg_catalog.float8, p1 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_inverse';
COMMENT ON FUNCTION mixmodel.saturation_inverse(pg_catalog.text, pg_catalog.float8, pg_catalog.float8) IS
'Inverse x(u), the input that gives response u, of a one-parameter kind: logistic (lam; u in [0,1)) or power (theta; u >= 0). u outside the range is an error.';

CREATE FUNCTION mixmodel.saturation_inverse(kind pg_catalog.text, u pg_catalog.float8, p1 pg_catalog.float8, p2 pg_catalog.float8)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'saturation_inverse';
COMMENT ON FUNCTION mixmodel.saturation_inverse(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'Inverse x(u) of a two-parameter kind: hill (alpha, k; u in [0,1)), michaelis_menten (vmax, km; u in [0,vmax)) or tanh (b, c; u in [0,b)). u outside the range is an error.';
-- transform: calendar periods.  doc/calendar_metrics.md.
CREATE FUNCTION mixmodel.period_start(ts pg_catalog.date, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.date
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'period_start_date';
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.date, pg_catalog.text, pg_catalog.text) IS
'First day of the period holding a date: granularity day, week, month, quarter or year (case-insensitive); weeks start on week_start (monday .. sunday, case-insensitive, default monday). Infinity and -Infinity are returned unchanged.';

CREATE FUNCTION mixmodel.period_start(ts pg_catalog.timestamp, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.timestamp
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'period_start_timestamp';
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.timestamp, pg_catalog.text, pg_catalog.text) IS
'Midnight starting the period holding a timestamp without time zone; same granularities and week starts as period_start(date, ...). Infinity and -Infinity are returned unchanged.';

-- STABLE: the calendar day of an instant depends on the session TimeZone
CREATE FUNCTION mixmodel.period_start(ts pg_catalog.timestamptz, granularity pg_catalog.text,
        week_start pg_catalog.text DEFAULT 'monday')
    RETURNS pg_catalog.timestamptz
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN CAST(mixmodel.period_start(CAST(ts AS pg_catalog.timestamp), granularity, week_start)
                AS pg_catalog.timestamptz);
COMMENT ON FUNCTION mixmodel.period_start(pg_catalog.timestamptz, pg_catalog.text, pg_catalog.text) IS
'Local midnight (in the session TimeZone) starting the period holding a timestamp with time zone; same granularities and week starts as period_start(date, ...). STABLE because the answer depends on TimeZone; for data in another zone convert first: period_start(ts AT TIME ZONE ''Europe/Berlin'', ...).';
-- transform: fit metrics as aggregates over (actual, predicted).  doc/calendar_metrics.md, formulas.md §3.

-- support functions: one float8[] state for every metric
CREATE FUNCTION mixmodel.metrics_accum(state pg_catalog.float8[], actual pg_catalog.float8, predicted pg_catalog.float8)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_accum';
COMMENT ON FUNCTION mixmodel.metrics_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS
'Transition function of the fit-metric aggregates: adds one (actual, predicted) row to a 12-element state {version 1, n, mean(actual), SST, SSE, sum|e|, sum|actual|, n(actual<>0), sum|e/actual|, sum of sMAPE terms, min(actual), max(actual)}. NaN or Infinity is an error.';

CREATE FUNCTION mixmodel.metrics_combine(state1 pg_catalog.float8[], state2 pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_combine';
COMMENT ON FUNCTION mixmodel.metrics_combine(pg_catalog.float8[], pg_catalog.float8[]) IS
'Combine function of the fit-metric aggregates: merges two states (Chan et al. for the centred sum of squares); the empty state {1,0,...,0} is its identity.';

CREATE FUNCTION mixmodel.metrics_r2(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_r2';
COMMENT ON FUNCTION mixmodel.metrics_r2(pg_catalog.float8[]) IS
'Final function of mixmodel.r2(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_mape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_mape';
COMMENT ON FUNCTION mixmodel.metrics_mape(pg_catalog.float8[]) IS
'Final function of mixmodel.mape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_smape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_smape';
COMMENT ON FUNCTION mixmodel.metrics_smape(pg_catalog.float8[]) IS
'Final function of mixmodel.smape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_rmse(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_rmse';
COMMENT ON FUNCTION mixmodel.metrics_rmse(pg_catalog.float8[]) IS
'Final function of mixmodel.rmse(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_nrmse(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_nrmse';
COMMENT ON FUNCTION mixmodel.metrics_nrmse(pg_catalog.float8[]) IS
'Final function of mixmodel.nrmse(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_mae(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_mae';
COMMENT ON FUNCTION mixmodel.metrics_mae(pg_catalog.float8[]) IS
'Final function of mixmodel.mae(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

CREATE FUNCTION mixmodel.metrics_wmape(state pg_catalog.float8[])
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'metrics_wmape';
COMMENT ON FUNCTION mixmodel.metrics_wmape(pg_catalog.float8[]) IS
'Final function of mixmodel.wmape(actual, predicted): the metric of a fit-metrics state, NULL where it is undefined.';

-- the aggregates
CREATE AGGREGATE mixmodel.r2(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_r2,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.r2(pg_catalog.float8, pg_catalog.float8) IS
'R-squared 1 - SSE/SST over (actual, predicted) rows, SST = sum (actual - mean)^2 (Robyn get_rsq, Meridian). NULL rows are skipped; NULL for no rows or constant actuals (SST = 0).';

CREATE AGGREGATE mixmodel.mape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_mape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.mape(pg_catalog.float8, pg_catalog.float8) IS
'Mean absolute percentage error as a fraction: mean of |actual - predicted|/|actual| over rows with actual <> 0 (rows with actual = 0 are skipped). NULL rows are skipped; NULL when no row has a non-zero actual.';

CREATE AGGREGATE mixmodel.smape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_smape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.smape(pg_catalog.float8, pg_catalog.float8) IS
'Symmetric MAPE: mean of 2|actual - predicted|/(|actual| + |predicted|), range [0, 2]; a 0/0 term counts 0. NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.rmse(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_rmse,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.rmse(pg_catalog.float8, pg_catalog.float8) IS
'Root mean squared error sqrt(SSE/n). NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.nrmse(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_nrmse,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.nrmse(pg_catalog.float8, pg_catalog.float8) IS
'Normalised RMSE: RMSE/(max actual - min actual) over the same rows (Robyn nrmse). NULL rows are skipped; NULL for no rows or constant actuals.';

CREATE AGGREGATE mixmodel.mae(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_mae,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.mae(pg_catalog.float8, pg_catalog.float8) IS
'Mean absolute error sum |actual - predicted| / n. NULL rows are skipped; NULL for no rows.';

CREATE AGGREGATE mixmodel.wmape(actual pg_catalog.float8, predicted pg_catalog.float8) (
    SFUNC = mixmodel.metrics_accum,
    STYPE = pg_catalog.float8[],
    FINALFUNC = mixmodel.metrics_wmape,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = mixmodel.metrics_combine,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mixmodel.wmape(pg_catalog.float8, pg_catalog.float8) IS
'Weighted MAPE sum |actual - predicted| / sum |actual| (Meridian weighted MAPE). NULL rows are skipped; NULL when every actual is 0 or there are no rows.';
-- harmonize: audit log of every change to harmonization definitions and every sync

CREATE TABLE mixmodel.audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    who         text NOT NULL DEFAULT CURRENT_USER,
    session_who text NOT NULL DEFAULT SESSION_USER,
    action      text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'activate', 'sync')),
    object_type text NOT NULL CHECK (object_type IN ('field', 'dataset_rule', 'merge_preference',
                                                      'touchpoint', 'conversion', 'harmonized')),
    object_name text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE mixmodel.audit_log IS 'Who changed which harmonization definition (field, dataset rule, merge preference, touchpoint, conversion) or ran a sync, when, and what (details).';
COMMENT ON COLUMN mixmodel.audit_log.who IS 'current_user at the time of the change';
COMMENT ON COLUMN mixmodel.audit_log.session_who IS 'session_user at the time of the change';
COMMENT ON COLUMN mixmodel.audit_log.details IS 'the definition after the change (or before, for delete), or the sync summary';
COMMENT ON SEQUENCE mixmodel.audit_log_id_seq IS 'Ids of mixmodel.audit_log rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.audit_log_id_seq', '');

CREATE FUNCTION mixmodel._audit(action text, object_type text, object_name text, details jsonb)
    RETURNS void
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        INSERT INTO mixmodel.audit_log (action, object_type, object_name, details)
        VALUES (action, object_type, object_name, coalesce(details, '{}'::jsonb));
    END;
COMMENT ON FUNCTION mixmodel._audit(text, text, text, jsonb) IS 'Internal: append one row to mixmodel.audit_log (called by every harmonization writer).';
-- harmonize: harmonized fields (global and custom dimensions, metrics, derived metrics)

CREATE TABLE mixmodel.fields (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    display_name text NOT NULL,
    category     text NOT NULL CHECK (category IN ('dimension', 'metric', 'derived')),
    data_type    text NOT NULL CHECK (data_type IN ('string', 'datetime', 'number', 'currency')),
    formula      text,
    owner        text NOT NULL DEFAULT 'client' CHECK (owner IN ('global', 'client')),
    mappable     boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CHECK ((category = 'derived') = (formula IS NOT NULL)),
    CHECK ((category = 'dimension') = (data_type IN ('string', 'datetime')))
);
COMMENT ON TABLE mixmodel.fields IS 'Harmonized fields: global (owner global, not editable) and custom (owner client) dimensions, metrics and derived metrics; each is a column of mixmodel.harmonized.';
COMMENT ON COLUMN mixmodel.fields.formula IS 'derived fields: arithmetic over metrics, e.g. [orders]/[impressions]';
COMMENT ON COLUMN mixmodel.fields.mappable IS 'false for fields the sync fills itself (dataset, date_type, event_date, last_updated_date)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.fields', $$WHERE owner = 'client'$$);

INSERT INTO mixmodel.fields (name, display_name, category, data_type, owner, mappable) VALUES
    ('brand', 'Brand', 'dimension', 'string', 'global', true),
    ('campaign', 'Campaign', 'dimension', 'string', 'global', true),
    ('channel', 'Channel', 'dimension', 'string', 'global', true),
    ('channel_id', 'Channel ID', 'dimension', 'string', 'global', true),
    ('channel_type_at_source', 'Channel Type at Source', 'dimension', 'string', 'global', true),
    ('conversiontype', 'Conversion Type', 'dimension', 'string', 'global', true),
    ('dataset', 'Dataset', 'dimension', 'string', 'global', false),
    ('mediatype', 'Media Type', 'dimension', 'string', 'global', true),
    ('sourcetype', 'Source Type', 'dimension', 'string', 'global', true),
    ('trafficsource', 'Traffic Source', 'dimension', 'string', 'global', true),
    ('geo', 'Geo', 'dimension', 'string', 'global', true),
    ('date_type', 'Date Type', 'dimension', 'string', 'global', false),
    ('event_date', 'Date', 'dimension', 'datetime', 'global', false),
    ('last_updated_date', 'Last Updated Date', 'dimension', 'datetime', 'global', false),
    ('factor_name', 'Factor Name', 'dimension', 'string', 'global', true),
    ('factor_type', 'Factor Type', 'dimension', 'string', 'global', true),
    ('value_type', 'Factor Value Type', 'dimension', 'string', 'global', true),
    ('factor_value', 'Factor Value', 'metric', 'number', 'global', true),
    ('clicks', 'Clicks', 'metric', 'number', 'global', true),
    ('emailssent', 'Emails Sent', 'metric', 'number', 'global', true),
    ('impressions', 'Impressions', 'metric', 'number', 'global', true),
    ('linkvisits', 'Link Visits', 'metric', 'number', 'global', true),
    ('orders', 'Orders', 'metric', 'number', 'global', true),
    ('sends', 'Sends', 'metric', 'number', 'global', true),
    ('opens', 'Opens', 'metric', 'number', 'global', true),
    ('grps', 'GRPs', 'metric', 'number', 'global', true),
    ('cost', 'Cost', 'metric', 'currency', 'global', true),
    ('gross_demand', 'Gross Demand', 'metric', 'currency', 'global', true),
    ('net_sales', 'Net Sales', 'metric', 'currency', 'global', true),
    ('spend', 'Spend', 'metric', 'currency', 'global', true),
    ('revenue', 'Revenue', 'metric', 'currency', 'global', true);

-- formula parser and compiler (C, src/harmonize/fields.c on src/math/formula.c)
CREATE FUNCTION mixmodel.compile_formula(formula text, field text DEFAULT NULL)
    RETURNS text
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'compile_formula';
COMMENT ON FUNCTION mixmodel.compile_formula(text, text) IS 'Parse and validate a derived-field formula (+ - * / parentheses, [metric] references, numbers) and return the SQL expression over mixmodel.harmonized columns it compiles to; field names the derived field being defined, for cycle detection.';

CREATE FUNCTION mixmodel.evaluate_formula(formula text, metric_values jsonb)
    RETURNS pg_catalog.float8
    LANGUAGE c IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'evaluate_formula';
COMMENT ON FUNCTION mixmodel.evaluate_formula(text, jsonb) IS 'Evaluate a formula with the metric values given as a jsonb object ({"orders": 3, ...}); a missing value or a division by zero gives NULL.';

CREATE FUNCTION mixmodel._check_field_args(category text, data_type text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF category NOT IN ('dimension', 'metric', 'derived') THEN
        RAISE EXCEPTION 'invalid field category "%"', category
            USING ERRCODE = '22023', HINT = 'Use dimension, metric or derived.';
    END IF;
    IF data_type IS NULL THEN
        RETURN CASE category WHEN 'dimension' THEN 'string' ELSE 'number' END;
    END IF;
    IF category = 'dimension' AND data_type NOT IN ('string', 'datetime') THEN
        RAISE EXCEPTION 'invalid data type "%" for a dimension', data_type
            USING ERRCODE = '22023', HINT = 'Dimensions are string or datetime.';
    ELSIF category <> 'dimension' AND data_type NOT IN ('number', 'currency') THEN
        RAISE EXCEPTION 'invalid data type "%" for a % field', data_type, category
            USING ERRCODE = '22023', HINT = 'Metrics and derived fields are number or currency.';
    END IF;
    RETURN data_type;
END $$;
COMMENT ON FUNCTION mixmodel._check_field_args(text, text) IS 'Internal: validate a field category and data type, returning the data type (default string for dimensions, number otherwise).';

CREATE FUNCTION mixmodel.add_field(name text, category text DEFAULT 'metric', data_type text DEFAULT NULL,
                                   formula text DEFAULT NULL, display_name text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    dtype text;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF category IS NULL THEN RAISE EXCEPTION 'category must not be null' USING ERRCODE = '22004'; END IF;
    IF name !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid field name "%"', name USING ERRCODE = '22023',
            HINT = 'Field names are lower-case letters, digits and underscores, starting with a letter or underscore (at most 63).';
    END IF;
    IF name IN ('period', 'category', 'source_category') THEN
        RAISE EXCEPTION 'field name "%" is reserved', name USING ERRCODE = '42710';
    END IF;
    dtype := mixmodel._check_field_args(category, data_type);
    IF (category = 'derived') <> (formula IS NOT NULL) THEN
        RAISE EXCEPTION 'a formula is required for derived fields and only for them'
            USING ERRCODE = '22023', DETAIL = format('Field "%s" has category %s.', name, category);
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = add_field.name) THEN
        RAISE EXCEPTION 'field "%" already exists', name USING ERRCODE = '23505';
    END IF;
    INSERT INTO mixmodel.fields (name, display_name, category, data_type, formula, owner)
    VALUES (name, coalesce(display_name, name), category, dtype, formula, 'client');
    IF category = 'derived' THEN
        PERFORM mixmodel.compile_formula(formula, name);
    END IF;
    PERFORM mixmodel._sync_columns();
    PERFORM mixmodel._audit('create', 'field', name,
        jsonb_build_object('category', category, 'data_type', dtype, 'formula', formula,
                           'display_name', coalesce(display_name, name)));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.add_field(text, text, text, text, text) IS 'Create a custom harmonized field: category dimension (string, datetime), metric or derived (number, currency; derived needs a formula such as [orders]/[impressions]). Adds the column to mixmodel.harmonized.';

CREATE FUNCTION mixmodel.update_field(name text, display_name text DEFAULT NULL, formula text DEFAULT NULL,
                                      data_type text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f mixmodel.fields;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO f FROM mixmodel.fields x WHERE x.name = update_field.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'field "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    IF f.owner = 'global' THEN
        RAISE EXCEPTION 'global field "%" cannot be changed', name USING ERRCODE = '42809',
            HINT = 'Create a custom field with add_field instead.';
    END IF;
    IF formula IS NOT NULL AND f.category <> 'derived' THEN
        RAISE EXCEPTION 'field "%" is not a derived field', name USING ERRCODE = '22023';
    END IF;
    IF data_type IS NOT NULL THEN
        PERFORM mixmodel._check_field_args(f.category, data_type);
        IF (f.data_type = 'datetime') <> (data_type = 'datetime') THEN
            RAISE EXCEPTION 'cannot change the data type of field "%" from % to %', name, f.data_type, data_type
                USING ERRCODE = '22023', HINT = 'Delete the field and create it again.';
        END IF;
    END IF;
    UPDATE mixmodel.fields x
       SET display_name = coalesce(update_field.display_name, x.display_name),
           formula = coalesce(update_field.formula, x.formula),
           data_type = coalesce(update_field.data_type, x.data_type),
           updated_at = now()
     WHERE x.name = update_field.name
    RETURNING * INTO f;
    IF f.category = 'derived' THEN
        PERFORM mixmodel.compile_formula(f.formula, f.name);
    END IF;
    PERFORM mixmodel._audit('update', 'field', name,
        jsonb_build_object('category', f.category, 'data_type', f.data_type, 'formula', f.formula,
                           'display_name', f.display_name));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.update_field(text, text, text, text) IS 'Change the display name, formula (derived fields) or data type (number/currency) of a custom field; global fields cannot be changed. The next sync recomputes derived values.';

CREATE FUNCTION mixmodel.drop_field(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f mixmodel.fields;
    users text;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO f FROM mixmodel.fields x WHERE x.name = drop_field.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'field "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    IF f.owner = 'global' THEN
        RAISE EXCEPTION 'global field "%" cannot be deleted', name USING ERRCODE = '42809';
    END IF;
    SELECT string_agg(u, ', ' ORDER BY u) INTO users FROM (
        SELECT 'derived field ' || d.name AS u FROM mixmodel.fields d
         WHERE d.category = 'derived' AND position('[' || f.name || ']' IN d.formula) > 0
        UNION ALL
        SELECT 'dataset rule ' || r.name FROM mixmodel.dataset_rules r
         WHERE r.mappings->'dimensions' ? f.name OR r.mappings->'metrics' ? f.name
        UNION ALL
        SELECT 'touchpoint ' || t.name FROM mixmodel.touchpoints t
         WHERE f.name IN (t.volume_metric, t.spend_metric) OR t.rule ~ ('(^|[^a-z0-9_])' || f.name || '([^a-z0-9_]|$)')
        UNION ALL
        SELECT 'conversion ' || c.name FROM mixmodel.conversions c
         WHERE f.name IN (c.metric, c.revenue_metric) OR c.rule ~ ('(^|[^a-z0-9_])' || f.name || '([^a-z0-9_]|$)')
    ) s;
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'cannot delete field "%" because other objects use it', name
            USING ERRCODE = '2BP01', DETAIL = format('Used by: %s.', users);
    END IF;
    DELETE FROM mixmodel.fields x WHERE x.name = drop_field.name;
    PERFORM mixmodel._sync_columns();
    PERFORM mixmodel._audit('delete', 'field', name, to_jsonb(f));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.drop_field(text) IS 'Delete a custom field (immediately; its column leaves mixmodel.harmonized); refused for global fields and for fields used by derived fields, dataset rules, touchpoints or conversions.';
-- harmonize: dataset rules (how a source table maps onto harmonized fields)

CREATE TABLE mixmodel.dataset_rules (
    name             text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,62}$'),
    source           regclass NOT NULL,
    source_name      text NOT NULL,
    category         text NOT NULL CHECK (category IN ('summary', 'event', 'factor')),
    granularity      text NOT NULL CHECK (granularity IN ('day', 'week', 'month', 'year')),
    week_start       text NOT NULL DEFAULT 'monday'
                     CHECK (week_start IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    date_column      text NOT NULL,
    restatement      text NOT NULL DEFAULT 'aggregate' CHECK (restatement IN ('aggregate', 'replace')),
    key_columns      text[],
    loaded_at_column text,
    factor_operator  text NOT NULL DEFAULT 'avg' CHECK (factor_operator IN ('avg', 'sum', 'min', 'max')),
    mappings         jsonb NOT NULL DEFAULT '{}',
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active')),
    source_missing   boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE mixmodel.dataset_rules IS 'Dataset rules: a source table (summary, event or factor data), its grain, week start, restatement mode and the mappings of its columns onto harmonized fields; only active rules are synced.';
COMMENT ON COLUMN mixmodel.dataset_rules.source_name IS 'qualified name of the source at definition time (kept for messages after the table is dropped)';
COMMENT ON COLUMN mixmodel.dataset_rules.mappings IS 'jsonb: {"dimensions": {field: {"column": c} | {"value": v} | {"default": ..., "cases": [...]}}, "metrics": {field: {"op": "sum"|"count", "column": c, "where": ...}}, "where": ...}; see doc/harmonize.md';
COMMENT ON COLUMN mixmodel.dataset_rules.source_missing IS 'true when the last sync found the source table dropped (its rows left mixmodel.harmonized)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.dataset_rules', '');

CREATE VIEW mixmodel.dataset_mappings AS
SELECT r.name AS dataset, d.key AS field, 'dimension'::text AS kind,
       CASE WHEN d.value ? 'cases' THEN 'case'
            WHEN d.value ? 'value' THEN 'value'
            ELSE 'column' END AS mapping,
       coalesce(d.value->>'column', d.value->>'value',
                d.value->'default'->>'column', d.value->'default'->>'value',
                CASE WHEN pg_catalog.jsonb_typeof(d.value) = 'string' THEN d.value #>> '{}' END) AS source,
       d.value AS definition
  FROM mixmodel.dataset_rules r, pg_catalog.jsonb_each(coalesce(r.mappings->'dimensions', '{}')) d
UNION ALL
SELECT r.name, m.key, 'metric', coalesce(m.value->>'op', 'sum'), coalesce(m.value->>'column', '*'), m.value
  FROM mixmodel.dataset_rules r, pg_catalog.jsonb_each(coalesce(r.mappings->'metrics', '{}')) m;
COMMENT ON VIEW mixmodel.dataset_mappings IS 'One row per field mapping of each dataset rule (expanded from dataset_rules.mappings).';
COMMENT ON COLUMN mixmodel.dataset_mappings.dataset IS 'dataset rule name';
COMMENT ON COLUMN mixmodel.dataset_mappings.field IS 'harmonized field the mapping fills';
COMMENT ON COLUMN mixmodel.dataset_mappings.kind IS 'dimension or metric';
COMMENT ON COLUMN mixmodel.dataset_mappings.mapping IS 'dimension: column, value or case; metric: sum or count';
COMMENT ON COLUMN mixmodel.dataset_mappings.source IS 'source column (or constant value, or case default)';
COMMENT ON COLUMN mixmodel.dataset_mappings.definition IS 'the mapping as written';

-- C: validate a rule against its source table and return the aggregation query sync runs
CREATE FUNCTION mixmodel.dataset_rule_sql(name text, granularity text DEFAULT NULL)
    RETURNS text
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'dataset_rule_sql';
COMMENT ON FUNCTION mixmodel.dataset_rule_sql(text, text) IS 'Validate the dataset rule against its source table (columns, types, mappings) and return the aggregation query sync runs for it, rolled up to granularity (default: the rule''s own); values appear as $n parameters.';

CREATE FUNCTION mixmodel.add_dataset_rule(name text, source regclass, category text DEFAULT 'summary',
        granularity text DEFAULT NULL, week_start text DEFAULT 'monday', date_column text DEFAULT NULL,
        restatement text DEFAULT 'aggregate', key_columns text[] DEFAULT NULL,
        loaded_at_column text DEFAULT NULL, factor_operator text DEFAULT 'avg',
        mappings jsonb DEFAULT '{}', status text DEFAULT 'active')
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF source IS NULL THEN
        RAISE EXCEPTION 'dataset "%" has no source table', name USING ERRCODE = '22004';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.dataset_rules x WHERE x.name = add_dataset_rule.name) THEN
        RAISE EXCEPTION 'dataset rule "%" already exists', name USING ERRCODE = '23505';
    END IF;
    INSERT INTO mixmodel.dataset_rules (name, source, source_name, category, granularity, week_start,
        date_column, restatement, key_columns, loaded_at_column, factor_operator, mappings, status)
    VALUES (name, source, source::text, mixmodel._check_rule_option('category', category, name),
        mixmodel._check_rule_option('granularity', coalesce(granularity, CASE WHEN category = 'event' THEN 'day' END), name),
        mixmodel._check_rule_option('week_start', week_start, name),
        mixmodel._check_rule_option('date_column', date_column, name),
        mixmodel._check_rule_option('restatement', restatement, name), key_columns, loaded_at_column,
        mixmodel._check_rule_option('factor_operator', factor_operator, name),
        mixmodel._check_rule_option('mappings', mappings::text, name)::jsonb,
        mixmodel._check_rule_option('status', status, name))
    RETURNING * INTO r;
    PERFORM mixmodel.dataset_rule_sql(name);
    PERFORM mixmodel._audit('create', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.add_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text) IS 'Define how a source table maps onto harmonized fields: category summary|event|factor, granularity day|week|month|year, week_start monday..sunday, date_column, restatement aggregate|replace (replace: key_columns and loaded_at_column), factor_operator avg|sum|min|max, mappings jsonb, status draft|active. Validated against the table at once.';

CREATE FUNCTION mixmodel._check_rule_option(option text, value text, dataset text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    allowed text[] := CASE option
        WHEN 'category' THEN ARRAY['summary', 'event', 'factor']
        WHEN 'granularity' THEN ARRAY['day', 'week', 'month', 'year']
        WHEN 'week_start' THEN ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
        WHEN 'restatement' THEN ARRAY['aggregate', 'replace']
        WHEN 'factor_operator' THEN ARRAY['avg', 'sum', 'min', 'max']
        WHEN 'status' THEN ARRAY['draft', 'active'] END;
BEGIN
    IF value IS NULL THEN
        RAISE EXCEPTION 'dataset "%" has no %', dataset, replace(option, '_', ' ') USING ERRCODE = '22004',
            HINT = CASE option WHEN 'date_column' THEN 'Name the column holding the date (date_column => ...).'
                               WHEN 'granularity' THEN 'Give the grain of the source rows: day, week, month or year.'
                               ELSE NULL END;
    END IF;
    IF allowed IS NOT NULL AND NOT value = ANY (allowed) THEN
        RAISE EXCEPTION 'invalid % "%" for dataset "%"', replace(option, '_', ' '), value, dataset
            USING ERRCODE = '22023', HINT = format('Use one of: %s.', array_to_string(allowed, ', '));
    END IF;
    RETURN value;
END $$;
COMMENT ON FUNCTION mixmodel._check_rule_option(text, text, text) IS 'Internal: check one option of a dataset rule (NULL: 22004, not in its list: 22023) and return it.';

CREATE FUNCTION mixmodel.update_dataset_rule(name text, source regclass DEFAULT NULL, category text DEFAULT NULL,
        granularity text DEFAULT NULL, week_start text DEFAULT NULL, date_column text DEFAULT NULL,
        restatement text DEFAULT NULL, key_columns text[] DEFAULT NULL,
        loaded_at_column text DEFAULT NULL, factor_operator text DEFAULT NULL,
        mappings jsonb DEFAULT NULL, status text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    PERFORM 1 FROM mixmodel.dataset_rules x WHERE x.name = update_dataset_rule.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'dataset rule "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    UPDATE mixmodel.dataset_rules x SET
        source = coalesce(update_dataset_rule.source, x.source),
        source_name = coalesce(update_dataset_rule.source::text, x.source_name),
        category = mixmodel._check_rule_option('category', coalesce(update_dataset_rule.category, x.category), x.name),
        granularity = mixmodel._check_rule_option('granularity', coalesce(update_dataset_rule.granularity, x.granularity), x.name),
        week_start = mixmodel._check_rule_option('week_start', coalesce(update_dataset_rule.week_start, x.week_start), x.name),
        date_column = coalesce(update_dataset_rule.date_column, x.date_column),
        restatement = mixmodel._check_rule_option('restatement', coalesce(update_dataset_rule.restatement, x.restatement), x.name),
        key_columns = coalesce(update_dataset_rule.key_columns, x.key_columns),
        loaded_at_column = coalesce(update_dataset_rule.loaded_at_column, x.loaded_at_column),
        factor_operator = mixmodel._check_rule_option('factor_operator', coalesce(update_dataset_rule.factor_operator, x.factor_operator), x.name),
        mappings = coalesce(update_dataset_rule.mappings, x.mappings),
        status = mixmodel._check_rule_option('status', coalesce(update_dataset_rule.status, x.status), x.name),
        source_missing = CASE WHEN update_dataset_rule.source IS NULL THEN x.source_missing ELSE false END,
        updated_at = clock_timestamp()
    WHERE x.name = update_dataset_rule.name
    RETURNING * INTO r;
    PERFORM mixmodel.dataset_rule_sql(name);
    PERFORM mixmodel._audit('update', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.update_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text) IS 'Change a dataset rule (only the arguments given; mappings are replaced whole) and validate it again; the next sync recomputes the dataset.';

CREATE FUNCTION mixmodel.activate_dataset_rule(name text, active boolean DEFAULT true)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    RETURN mixmodel.update_dataset_rule(name, status => CASE WHEN active THEN 'active' ELSE 'draft' END);
COMMENT ON FUNCTION mixmodel.activate_dataset_rule(text, boolean) IS 'Set a dataset rule active (synced) or back to draft (active => false).';

CREATE FUNCTION mixmodel.delete_dataset_rule(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r mixmodel.dataset_rules;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    DELETE FROM mixmodel.dataset_rules x WHERE x.name = delete_dataset_rule.name RETURNING * INTO r;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'dataset rule "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._audit('delete', 'dataset_rule', name, to_jsonb(r) - 'created_at' - 'updated_at' - 'source_missing');
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.delete_dataset_rule(text) IS 'Delete a dataset rule; its rows leave mixmodel.harmonized at the next sync.';
-- harmonize: merge preferences when summary and event data report the same metric

CREATE TABLE mixmodel.merge_preferences (
    id               serial PRIMARY KEY,
    metric           text,
    preference       text NOT NULL CHECK (preference IN ('summary', 'event', 'sum')),
    channels         text[],
    conversion_types text[],
    updated_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CHECK (metric IS NOT NULL OR (channels IS NULL AND conversion_types IS NULL))
);
CREATE UNIQUE INDEX merge_preferences_default ON mixmodel.merge_preferences ((true)) WHERE metric IS NULL;
COMMENT ON TABLE mixmodel.merge_preferences IS 'Which source wins when summary and event data report one metric for the same period, channel and conversion type: the default (metric NULL) and per-metric overrides scoped to channels and/or conversion types.';
COMMENT ON INDEX mixmodel.merge_preferences_default IS 'At most one default merge preference.';
COMMENT ON SEQUENCE mixmodel.merge_preferences_id_seq IS 'Ids of mixmodel.merge_preferences rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.merge_preferences', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.merge_preferences_id_seq', '');
INSERT INTO mixmodel.merge_preferences (metric, preference) VALUES (NULL, 'summary');

CREATE FUNCTION mixmodel.merge_preference_for(metric text, channel text DEFAULT NULL, conversion_type text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    BEGIN ATOMIC
        SELECT p.preference FROM mixmodel.merge_preferences p
         WHERE p.metric IS NULL
            OR (p.metric OPERATOR(pg_catalog.=) merge_preference_for.metric
                AND (p.channels IS NULL OR merge_preference_for.channel OPERATOR(pg_catalog.=) ANY (p.channels))
                AND (p.conversion_types IS NULL
                     OR merge_preference_for.conversion_type OPERATOR(pg_catalog.=) ANY (p.conversion_types)))
         ORDER BY (p.metric IS NULL), (p.channels IS NULL), (p.conversion_types IS NULL), p.id DESC
         LIMIT 1;
    END;
COMMENT ON FUNCTION mixmodel.merge_preference_for(text, text, text) IS 'The merge preference (summary, event or sum) that applies to a metric for a channel and conversion type: the most specific override, else the default.';

CREATE FUNCTION mixmodel.set_merge_preference(preference text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF preference IS NULL THEN RAISE EXCEPTION 'preference must not be null' USING ERRCODE = '22004'; END IF;
    IF preference NOT IN ('summary', 'event', 'sum') THEN
        RAISE EXCEPTION 'invalid merge preference "%"', preference USING ERRCODE = '22023',
            HINT = 'Use summary, event or sum.';
    END IF;
    UPDATE mixmodel.merge_preferences SET preference = set_merge_preference.preference, updated_at = now()
     WHERE metric IS NULL;
    PERFORM mixmodel._audit('update', 'merge_preference', 'default', jsonb_build_object('preference', preference));
    PERFORM mixmodel._apply_merge();
    RETURN preference;
END $$;
COMMENT ON FUNCTION mixmodel.set_merge_preference(text) IS 'Set the default merge preference (summary, event or sum) and re-apply the merge to mixmodel.harmonized.';

CREATE FUNCTION mixmodel.set_merge_override(metric text, preference text, channels text[] DEFAULT NULL,
                                            conversion_types text[] DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF metric IS NULL THEN RAISE EXCEPTION 'metric must not be null' USING ERRCODE = '22004'; END IF;
    IF preference IS NULL THEN RAISE EXCEPTION 'preference must not be null' USING ERRCODE = '22004'; END IF;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = metric AND f.category = 'metric') THEN
        RAISE EXCEPTION 'metric "%" does not exist', metric USING ERRCODE = '42704',
            HINT = 'Overrides apply to metric fields (see mixmodel.fields).';
    END IF;
    IF preference NOT IN ('summary', 'event', 'sum') THEN
        RAISE EXCEPTION 'invalid merge preference "%"', preference USING ERRCODE = '22023',
            HINT = 'Use summary, event or sum.';
    END IF;
    DELETE FROM mixmodel.merge_preferences p
     WHERE p.metric = set_merge_override.metric
       AND p.channels IS NOT DISTINCT FROM set_merge_override.channels
       AND p.conversion_types IS NOT DISTINCT FROM set_merge_override.conversion_types;
    INSERT INTO mixmodel.merge_preferences (metric, preference, channels, conversion_types)
    VALUES (metric, preference, channels, conversion_types);
    PERFORM mixmodel._audit('create', 'merge_preference', metric,
        jsonb_build_object('preference', preference, 'channels', channels, 'conversion_types', conversion_types));
    PERFORM mixmodel._apply_merge();
    RETURN metric;
END $$;
COMMENT ON FUNCTION mixmodel.set_merge_override(text, text, text[], text[]) IS 'Override the merge preference for one metric, for all channels and conversion types or only those listed; replaces an override with the same scope and re-applies the merge.';

CREATE FUNCTION mixmodel.clear_merge_overrides(metric text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM mixmodel.merge_preferences p
     WHERE p.metric IS NOT NULL AND (clear_merge_overrides.metric IS NULL OR p.metric = clear_merge_overrides.metric);
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM mixmodel._audit('delete', 'merge_preference', coalesce(metric, 'all overrides'), jsonb_build_object('removed', n));
    PERFORM mixmodel._apply_merge();
    RETURN n;
END $$;
COMMENT ON FUNCTION mixmodel.clear_merge_overrides(text) IS 'Remove the merge overrides of one metric (or all of them) and re-apply the merge; returns how many were removed.';
-- harmonize: the harmonized data and the sync that fills it

CREATE TABLE mixmodel.harmonized_source (
    period            date NOT NULL,
    dataset           text NOT NULL,
    category          text NOT NULL,
    date_type         text NOT NULL,
    brand text, campaign text, channel text, channel_id text, channel_type_at_source text,
    conversiontype text, mediatype text, sourcetype text, trafficsource text, geo text,
    factor_name text, factor_type text, value_type text,
    last_updated_date timestamptz,
    factor_value float8, clicks float8, emailssent float8, impressions float8, linkvisits float8,
    orders float8, sends float8, opens float8, grps float8, cost float8, gross_demand float8,
    net_sales float8, spend float8, revenue float8
);
CREATE INDEX harmonized_source_dataset ON mixmodel.harmonized_source (dataset, period);
COMMENT ON TABLE mixmodel.harmonized_source IS 'Per-dataset aggregates before the merge preferences apply (kept so incremental syncs and preference changes re-merge without re-reading sources); rebuilt by sync.';
COMMENT ON INDEX mixmodel.harmonized_source_dataset IS 'Incremental sync replaces the periods of one dataset.';

CREATE TABLE mixmodel.harmonized (LIKE mixmodel.harmonized_source);
CREATE INDEX harmonized_period ON mixmodel.harmonized (period, channel);
COMMENT ON TABLE mixmodel.harmonized IS 'Harmonized data: one row per period x dataset x dimensions at the coarsest grain of the active datasets, merge preferences applied, derived fields computed; NULL where a source lacks a metric. Filled by mixmodel.sync().';
COMMENT ON INDEX mixmodel.harmonized_period IS 'Series functions read by period and channel.';
COMMENT ON COLUMN mixmodel.harmonized.period IS 'start of the period (the harmonized event date)';
COMMENT ON COLUMN mixmodel.harmonized.dataset IS 'dataset rule the row comes from';
COMMENT ON COLUMN mixmodel.harmonized.category IS 'summary, event or factor';
COMMENT ON COLUMN mixmodel.harmonized.date_type IS 'grain of the harmonized data: day, week, month or year';
COMMENT ON COLUMN mixmodel.harmonized.last_updated_date IS 'latest load time among the source rows (datasets with a loaded_at column)';

CREATE TABLE mixmodel.sync_state (
    dataset         text PRIMARY KEY,
    grain           text NOT NULL,
    week_start      text NOT NULL,
    rule_updated_at timestamptz NOT NULL,
    watermark       timestamptz,
    rows_at_mark    bigint,
    synced_at       timestamptz NOT NULL
);
COMMENT ON TABLE mixmodel.sync_state IS 'Per dataset: the grain it was synced at, the rule version, and the high-water mark of its load-time (or date) column with the number of rows at or below it, for incremental syncs.';

CREATE FUNCTION mixmodel._sync_columns()
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f record;
BEGIN
    -- custom fields become columns; derived fields only of the merged table
    FOR f IN SELECT t.tbl, x.name, CASE WHEN x.category = 'dimension' AND x.data_type = 'datetime' THEN 'timestamptz'
                                        WHEN x.category = 'dimension' THEN 'text' ELSE 'float8' END AS typ
               FROM mixmodel.fields x, (VALUES ('harmonized'), ('harmonized_source')) t(tbl)
              WHERE x.owner = 'client' AND NOT (x.category = 'derived' AND t.tbl = 'harmonized_source')
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                 WHERE a.attrelid = ('mixmodel.' || t.tbl)::regclass AND a.attname = x.name
                                   AND NOT a.attisdropped)
              ORDER BY x.created_at, x.name, t.tbl
    LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I ADD COLUMN %I %s', f.tbl, f.name, f.typ);
    END LOOP;
    FOR f IN SELECT t.tbl, a.attname::text AS name
               FROM (VALUES ('harmonized'), ('harmonized_source')) t(tbl)
               JOIN pg_attribute a ON a.attrelid = ('mixmodel.' || t.tbl)::regclass AND a.attnum > 0
                                   AND NOT a.attisdropped
              WHERE a.attname NOT IN ('period', 'dataset', 'category', 'date_type', 'last_updated_date')
                AND NOT EXISTS (SELECT 1 FROM mixmodel.fields x WHERE x.name = a.attname
                                   AND NOT (x.category = 'derived' AND t.tbl = 'harmonized_source'))
    LOOP
        EXECUTE format('ALTER TABLE mixmodel.%I DROP COLUMN %I', f.tbl, f.name);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._sync_columns() IS 'Internal: add a column to mixmodel.harmonized (and harmonized_source) for every custom field and drop the columns of deleted ones.';

CREATE FUNCTION mixmodel.sync(mode text DEFAULT 'full')
    RETURNS TABLE (dataset text, category text, source text, granularity text, grain text, sync_mode text,
                   rows_read bigint, rows_written bigint, status text)
    LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 10
    AS 'MODULE_PATHNAME', 'harmonize_sync';
COMMENT ON FUNCTION mixmodel.sync(text) IS 'Harmonize: aggregate every active dataset rule''s source to the coarsest grain among them (full: all rows; incremental: only periods with rows loaded after the last sync), apply merge preferences and derived fields into mixmodel.harmonized. One row per dataset. Transactional.';

CREATE FUNCTION mixmodel._apply_merge()
    RETURNS bigint
    LANGUAGE c VOLATILE PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'harmonize_apply_merge';
COMMENT ON FUNCTION mixmodel._apply_merge() IS 'Internal: rebuild mixmodel.harmonized from mixmodel.harmonized_source with the current merge preferences and derived fields; returns the number of rows.';
-- harmonize: marketing touchpoints, conversions, their series, factors and the usage report

CREATE TABLE mixmodel.touchpoints (
    name          text PRIMARY KEY,
    rule          text NOT NULL,
    volume_metric text NOT NULL,
    spend_metric  text,
    paid          boolean GENERATED ALWAYS AS (spend_metric IS NOT NULL) STORED,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mixmodel.touchpoints IS 'Marketing touchpoints: a rule over harmonized dimensions (e.g. channel = tv), a volume metric and, for paid channels, a spend metric.';
COMMENT ON COLUMN mixmodel.touchpoints.paid IS 'true when the touchpoint has a spend metric';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.touchpoints', '');

CREATE TABLE mixmodel.conversions (
    name           text PRIMARY KEY,
    rule           text NOT NULL,
    metric         text NOT NULL,
    revenue_metric text,
    created_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at     timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mixmodel.conversions IS 'Conversions: a rule over harmonized dimensions (e.g. conversiontype = online), a count metric and optionally a revenue metric (revenue-based vs count-based models).';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.conversions', '');

CREATE FUNCTION mixmodel.parse_rule(rule text)
    RETURNS TABLE (field text, op text, value text)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 4
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    parts text[];
    piece text := NULL;
    m text[];
    p text;
BEGIN
    IF rule IS NULL THEN RAISE EXCEPTION 'rule must not be null' USING ERRCODE = '22004'; END IF;
    parts := regexp_split_to_array(btrim(rule), '\s+and\s+', 'i');
    FOREACH p IN ARRAY parts LOOP
        piece := CASE WHEN piece IS NULL THEN p ELSE piece || ' and ' || p END;
        -- an odd number of quotes: the "and" was inside a quoted value
        CONTINUE WHEN (length(replace(piece, '''''', ''))
                       - length(replace(replace(piece, '''''', ''), '''', ''))) % 2 = 1;
        m := regexp_match(piece, '^\s*([a-z_][a-z0-9_]*)\s*(=|!=|<>|is\s+not|is)\s+(.*?)\s*$', 'i');
        IF m IS NULL THEN
            m := regexp_match(piece, '^\s*([a-z_][a-z0-9_]*)\s*(=|!=|<>)(.*?)\s*$', 'i');
        END IF;
        IF m IS NULL OR btrim(m[3]) = '' THEN
            RAISE EXCEPTION 'invalid rule "%"', rule USING ERRCODE = '42601',
                DETAIL = format('Cannot read the condition "%s".', btrim(piece)),
                HINT = 'Write conditions as field = value (or !=, is, is not), joined by and; quote values with spaces: channel = ''paid search''.';
        END IF;
        field := lower(m[1]);
        op := CASE lower(regexp_replace(m[2], '\s+', ' ')) WHEN '=' THEN '=' WHEN 'is' THEN '=' ELSE '<>' END;
        value := btrim(m[3]);
        IF value ~ '^''.*''$' AND length(value) >= 2 THEN
            value := replace(substr(value, 2, length(value) - 2), '''''', '''');
        END IF;
        RETURN NEXT;
        piece := NULL;
    END LOOP;
    IF piece IS NOT NULL THEN
        RAISE EXCEPTION 'invalid rule "%"', rule USING ERRCODE = '42601', DETAIL = 'A quoted value is not closed.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel.parse_rule(text) IS 'Read a touchpoint or conversion rule such as channel = tv and geo != ''us east'' into (field, op, value) conditions; op is = or <>.';

CREATE FUNCTION mixmodel._rule_where(rule text, OUT clause text, OUT vals text[])
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    c record;
    i int := 0;
BEGIN
    clause := 'true';
    vals := '{}';
    FOR c IN SELECT * FROM mixmodel.parse_rule(rule) LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.fields f WHERE f.name = c.field AND f.category = 'dimension'
                          AND f.name <> 'event_date') THEN
            RAISE EXCEPTION 'unknown dimension "%" in rule "%"', c.field, rule USING ERRCODE = '42703',
                HINT = 'Rules compare harmonized dimensions (see mixmodel.fields), e.g. channel = tv.';
        END IF;
        i := i + 1;
        vals := vals || c.value;
        clause := clause || format(' AND h.%I::text %s $1[%s]', c.field,
                                   CASE c.op WHEN '=' THEN 'OPERATOR(pg_catalog.=)' ELSE 'IS DISTINCT FROM' END, i);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._rule_where(text) IS 'Internal: a rule as an SQL condition over mixmodel.harmonized h, its values as $1[i] parameters.';

CREATE FUNCTION mixmodel._check_metric(metric text, role text, definition text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    cat text;
BEGIN
    IF metric IS NULL THEN RETURN NULL; END IF;
    SELECT f.category INTO cat FROM mixmodel.fields f WHERE f.name = metric;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown field "%" as % of "%"', metric, role, definition USING ERRCODE = '42703',
            HINT = 'Use a metric or derived field of mixmodel.fields.';
    ELSIF cat = 'dimension' THEN
        RAISE EXCEPTION 'field "%" used as % of "%" is a dimension', metric, role, definition USING ERRCODE = '42804';
    END IF;
    RETURN metric;
END $$;
COMMENT ON FUNCTION mixmodel._check_metric(text, text, text) IS 'Internal: check that a touchpoint or conversion names a metric or derived field.';

-- The touchpoint and conversion definitions share their life cycle: a rule, metric columns
-- checked against mixmodel.fields (the first n_required needed on create), an audit entry.
CREATE FUNCTION mixmodel._definition_write(kind text, action text, name text, rule text,
                                           cols text[], labels text[], vals text[], n_required integer)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tab constant text := format('mixmodel.%I', kind || 's');
    saved jsonb;
    audit jsonb;
BEGIN
    IF kind IS NULL OR kind NOT IN ('touchpoint', 'conversion') THEN
        RAISE EXCEPTION 'unknown definition kind "%"', kind USING ERRCODE = '22023';
    END IF;
    IF action IS NULL OR action NOT IN ('create', 'update') THEN
        RAISE EXCEPTION 'unknown definition action "%"', action USING ERRCODE = '22023';
    END IF;
    IF cardinality(cols) IS DISTINCT FROM 2 OR cardinality(labels) IS DISTINCT FROM 2
       OR cardinality(vals) IS DISTINCT FROM 2 OR n_required IS NULL OR n_required NOT BETWEEN 0 AND 2 THEN
        RAISE EXCEPTION 'a % has two metric columns', kind USING ERRCODE = '2202E';
    END IF;
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    IF action = 'create' THEN
        IF rule IS NULL THEN RAISE EXCEPTION '% "%" has no rule', kind, name USING ERRCODE = '22004'; END IF;
        FOR i IN 1 .. n_required LOOP
            IF vals[i] IS NULL THEN
                RAISE EXCEPTION '% "%" has no %', kind, name, labels[i] USING ERRCODE = '22004';
            END IF;
        END LOOP;
        EXECUTE format('SELECT to_jsonb(x) FROM %s x WHERE x.name = $1', tab) INTO saved USING name;
        IF saved IS NOT NULL THEN
            RAISE EXCEPTION '% "%" already exists', kind, name USING ERRCODE = '23505';
        END IF;
        EXECUTE format('INSERT INTO %s AS x (name, rule, %s) VALUES ($1, $2, %s) RETURNING to_jsonb(x)', tab,
                       (SELECT string_agg(format('%I', c), ', ') FROM unnest(cols) c),
                       (SELECT string_agg(format('$3[%s]', i), ', ') FROM generate_subscripts(cols, 1) i))
           INTO saved USING name, rule, vals;
    ELSE
        EXECUTE format('UPDATE %s x SET rule = coalesce($2, x.rule), %s, updated_at = now() WHERE x.name = $1 RETURNING to_jsonb(x)',
                       tab, (SELECT string_agg(format('%I = coalesce($3[%s], x.%I)', cols[i], i, cols[i]), ', ')
                               FROM generate_subscripts(cols, 1) i))
           INTO saved USING name, rule, vals;
        IF saved IS NULL THEN RAISE EXCEPTION '% "%" does not exist', kind, name USING ERRCODE = '42704'; END IF;
    END IF;
    PERFORM mixmodel._rule_where(saved->>'rule');
    audit := jsonb_build_object('rule', saved->>'rule');
    FOR i IN 1 .. cardinality(cols) LOOP
        PERFORM mixmodel._check_metric(saved->>cols[i], labels[i], name);
        audit := audit || jsonb_build_object(cols[i], saved->>cols[i]);
    END LOOP;
    PERFORM mixmodel._audit(action, kind, name, audit);
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel._definition_write(text, text, text, text, text[], text[], text[], integer) IS 'Internal: create or update a touchpoint or conversion definition (checked, audited).';

CREATE FUNCTION mixmodel._definition_delete(kind text, name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    gone jsonb;
BEGIN
    IF kind IS NULL OR kind NOT IN ('touchpoint', 'conversion') THEN
        RAISE EXCEPTION 'unknown definition kind "%"', kind USING ERRCODE = '22023';
    END IF;
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    EXECUTE format('DELETE FROM mixmodel.%I x WHERE x.name = $1 RETURNING to_jsonb(x)', kind || 's') INTO gone USING name;
    IF gone IS NULL THEN RAISE EXCEPTION '% "%" does not exist', kind, name USING ERRCODE = '42704'; END IF;
    PERFORM mixmodel._audit('delete', kind, name, gone);
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel._definition_delete(text, text) IS 'Internal: delete a touchpoint or conversion definition (audited).';

CREATE FUNCTION mixmodel.add_touchpoint(name text, rule text, volume_metric text, spend_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('touchpoint', 'create', name, rule, '{volume_metric,spend_metric}',
           '{volume metric,spend metric}', ARRAY[volume_metric, spend_metric], 1)
$$;
COMMENT ON FUNCTION mixmodel.add_touchpoint(text, text, text, text) IS 'Define a marketing touchpoint: rule over harmonized dimensions (channel = tv), volume metric, and spend metric for paid channels.';

CREATE FUNCTION mixmodel.update_touchpoint(name text, rule text DEFAULT NULL, volume_metric text DEFAULT NULL,
                                           spend_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('touchpoint', 'update', name, rule, '{volume_metric,spend_metric}',
           '{volume metric,spend metric}', ARRAY[volume_metric, spend_metric], 0)
$$;
COMMENT ON FUNCTION mixmodel.update_touchpoint(text, text, text, text) IS 'Change the rule, volume metric or spend metric of a touchpoint (only the arguments given).';

CREATE FUNCTION mixmodel.delete_touchpoint(name text)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_delete('touchpoint', name)
$$;
COMMENT ON FUNCTION mixmodel.delete_touchpoint(text) IS 'Delete a touchpoint definition.';

CREATE FUNCTION mixmodel.add_conversion(name text, rule text, metric text, revenue_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('conversion', 'create', name, rule, '{metric,revenue_metric}',
           '{conversion metric,revenue metric}', ARRAY[metric, revenue_metric], 1)
$$;
COMMENT ON FUNCTION mixmodel.add_conversion(text, text, text, text) IS 'Define a conversion: rule over harmonized dimensions (conversiontype = online), count metric and optional revenue metric.';

CREATE FUNCTION mixmodel.update_conversion(name text, rule text DEFAULT NULL, metric text DEFAULT NULL,
                                           revenue_metric text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_write('conversion', 'update', name, rule, '{metric,revenue_metric}',
           '{conversion metric,revenue metric}', ARRAY[metric, revenue_metric], 0)
$$;
COMMENT ON FUNCTION mixmodel.update_conversion(text, text, text, text) IS 'Change the rule, metric or revenue metric of a conversion (only the arguments given).';

CREATE FUNCTION mixmodel.delete_conversion(name text)
    RETURNS text
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mixmodel._definition_delete('conversion', name)
$$;
COMMENT ON FUNCTION mixmodel.delete_conversion(text) IS 'Delete a conversion definition.';

-- the SQL period of a series: period (at the harmonized grain) rolled to granularity
CREATE FUNCTION mixmodel._series_period(granularity text, OUT expr text, OUT grain text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    rank_of constant jsonb := '{"day": 1, "week": 2, "month": 3, "year": 4}';
BEGIN
    IF granularity IS NULL THEN RAISE EXCEPTION 'granularity must not be null' USING ERRCODE = '22004'; END IF;
    IF NOT rank_of ? granularity THEN
        RAISE EXCEPTION 'invalid granularity "%"', granularity USING ERRCODE = '22023',
            HINT = 'Use day, week, month or year.';
    END IF;
    SELECT h.date_type INTO grain FROM mixmodel.harmonized h LIMIT 1;
    IF grain IS NOT NULL AND (rank_of->>granularity)::int < (rank_of->>grain)::int THEN
        RAISE EXCEPTION 'cannot report % series from % harmonized data', granularity, grain USING ERRCODE = '22023',
            HINT = format('Ask for %s or coarser.', grain);
    END IF;
    expr := CASE WHEN granularity = grain THEN 'h.period'
                 WHEN granularity = 'week' THEN
                     -- weeks start on Monday when rolled up from days
                     '(h.period OPERATOR(pg_catalog.-) (pg_catalog.date_part(''isodow'', h.period)::int OPERATOR(pg_catalog.-) 1))'
                 ELSE format('pg_catalog.date_trunc(%L, h.period::timestamp)::date', granularity) END;
END $$;
COMMENT ON FUNCTION mixmodel._series_period(text) IS 'Internal: the SQL expression rolling mixmodel.harmonized periods to a series granularity (22023 when finer than the harmonized grain), and that grain.';

CREATE FUNCTION mixmodel._series(rule text, m1 text, m2 text, granularity text, from_date date, to_date date)
    RETURNS TABLE (period date, v1 float8, v2 float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    w record;
    p record;
    step text := CASE granularity WHEN 'day' THEN '1 day' WHEN 'week' THEN '7 days'
                                  WHEN 'month' THEN '1 month' ELSE '1 year' END;
BEGIN
    SELECT * INTO p FROM mixmodel._series_period(granularity);
    SELECT * INTO w FROM mixmodel._rule_where(rule);
    -- every period of the harmonized range (factor forecasts aside) appears, 0 where the rule matches nothing
    RETURN QUERY EXECUTE format(
        'WITH r AS (SELECT %1$s AS "mm p", h.* FROM mixmodel.harmonized h),
              span AS (SELECT pg_catalog.min(r."mm p") AS lo, pg_catalog.max(r."mm p") AS hi FROM r
                        WHERE r.category OPERATOR(pg_catalog.<>) ''factor''),
              s AS (SELECT h."mm p" AS p, pg_catalog.sum(h.%2$I) AS v1, %3$s AS v2 FROM r h WHERE %4$s GROUP BY 1)
         SELECT g.d::date, coalesce(s.v1, 0)::float8, %5$s
           FROM span, pg_catalog.generate_series(span.lo::timestamp, span.hi::timestamp, $2::interval) g(d)
           LEFT JOIN s ON s.p = g.d::date
          WHERE ($3 IS NULL OR g.d::date >= $3) AND ($4 IS NULL OR g.d::date <= $4)
          ORDER BY 1',
        p.expr, m1, CASE WHEN m2 IS NULL THEN 'NULL::float8' ELSE format('pg_catalog.sum(h.%I)', m2) END,
        w.clause,
        CASE WHEN m2 IS NULL THEN 'NULL::float8' ELSE 'coalesce(s.v2, 0)::float8' END)
    USING w.vals, step, from_date, to_date;
END $$;
COMMENT ON FUNCTION mixmodel._series(text, text, text, text, date, date) IS 'Internal: sums of two metrics over the harmonized rows a rule selects, per period of a granularity.';

CREATE FUNCTION mixmodel.touchpoint_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                           to_date date DEFAULT NULL)
    RETURNS TABLE (period date, volume float8, spend float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t mixmodel.touchpoints;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO t FROM mixmodel.touchpoints x WHERE x.name = touchpoint_series.name;
    IF NOT FOUND THEN RAISE EXCEPTION 'touchpoint "%" does not exist', name USING ERRCODE = '42704'; END IF;
    RETURN QUERY SELECT * FROM mixmodel._series(t.rule, t.volume_metric, t.spend_metric, granularity, from_date, to_date);
END $$;
COMMENT ON FUNCTION mixmodel.touchpoint_series(text, text, date, date) IS 'Time series of a touchpoint from mixmodel.harmonized: volume and spend (NULL when not paid) per period of granularity (default week), every period of the harmonized range, 0 where nothing matches.';

CREATE FUNCTION mixmodel.conversion_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                           to_date date DEFAULT NULL)
    RETURNS TABLE (period date, conversions float8, revenue float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    c mixmodel.conversions;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT * INTO c FROM mixmodel.conversions x WHERE x.name = conversion_series.name;
    IF NOT FOUND THEN RAISE EXCEPTION 'conversion "%" does not exist', name USING ERRCODE = '42704'; END IF;
    RETURN QUERY SELECT * FROM mixmodel._series(c.rule, c.metric, c.revenue_metric, granularity, from_date, to_date);
END $$;
COMMENT ON FUNCTION mixmodel.conversion_series(text, text, date, date) IS 'Time series of a conversion from mixmodel.harmonized: conversions and revenue (NULL without a revenue metric) per period of granularity (default week), every period of the harmonized range.';

CREATE FUNCTION mixmodel.factor_series(name text, granularity text DEFAULT 'week', from_date date DEFAULT NULL,
                                       to_date date DEFAULT NULL)
    RETURNS TABLE (period date, value float8, value_type text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 160
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    p record;
    op text;
BEGIN
    IF name IS NULL THEN RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004'; END IF;
    SELECT r.factor_operator INTO op FROM mixmodel.harmonized h JOIN mixmodel.dataset_rules r ON r.name = h.dataset
     WHERE h.category = 'factor' AND h.factor_name = factor_series.name ORDER BY r.name LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'factor "%" does not exist in the harmonized data', name USING ERRCODE = '42704',
            HINT = 'Factors come from factor dataset rules; run mixmodel.sync() after adding one.';
    END IF;
    SELECT * INTO p FROM mixmodel._series_period(granularity);
    -- actual values win over forecasts of the same period; several rows combine with the dataset's operator
    RETURN QUERY EXECUTE format(
        'SELECT q.p, q.v, q.vt FROM (
             SELECT %1$s AS p, CASE WHEN pg_catalog.bool_or(h.value_type = ''actual'') THEN ''actual'' ELSE ''forecasted'' END AS vt,
                    CASE WHEN pg_catalog.bool_or(h.value_type = ''actual'')
                         THEN pg_catalog.%2$s(h.factor_value) FILTER (WHERE h.value_type = ''actual'')
                         ELSE pg_catalog.%2$s(h.factor_value) END::float8 AS v
               FROM mixmodel.harmonized h
              WHERE h.category = ''factor'' AND h.factor_name = $1
              GROUP BY 1) q
          WHERE ($2 IS NULL OR q.p >= $2) AND ($3 IS NULL OR q.p <= $3)
          ORDER BY 1', p.expr, op)
    USING name, from_date, to_date;
END $$;
COMMENT ON FUNCTION mixmodel.factor_series(text, text, date, date) IS 'Time series of a harmonized factor: value per period of granularity (actual values preferred over forecasted ones; several rows combined with the factor dataset''s operator) and its value type.';

CREATE FUNCTION mixmodel.usage_report(granularity text DEFAULT 'year', years int DEFAULT 5)
    RETURNS TABLE (conversion text, period date, conversions float8, revenue float8, models_using bigint)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    n bigint := 0;
    last date;
    c record;
BEGIN
    IF granularity IS NULL OR years IS NULL THEN
        RAISE EXCEPTION 'granularity and years must not be null' USING ERRCODE = '22004';
    END IF;
    IF granularity NOT IN ('year', 'month') THEN
        RAISE EXCEPTION 'invalid granularity "%" for the usage report', granularity USING ERRCODE = '22023',
            HINT = 'Use year or month.';
    END IF;
    IF years < 1 OR years > 100 THEN
        RAISE EXCEPTION 'years must be between 1 and 100' USING ERRCODE = '22023';
    END IF;
    -- models built on harmonized data (mixmodel.models, once the model stage creates it)
    IF to_regclass('mixmodel.models') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'mixmodel.models'::regclass
                      AND attname = 'source_kind' AND NOT attisdropped) THEN
            EXECUTE 'SELECT count(*) FROM mixmodel.models WHERE source_kind = ''harmonized''' INTO n;
        ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'mixmodel.models'::regclass
                      AND attname = 'conversion' AND NOT attisdropped) THEN
            EXECUTE 'SELECT count(*) FROM mixmodel.models WHERE conversion IS NOT NULL' INTO n;
        ELSE
            EXECUTE 'SELECT count(*) FROM mixmodel.models' INTO n;
        END IF;
    END IF;
    SELECT max(h.period) INTO last FROM mixmodel.harmonized h;
    FOR c IN SELECT x.name FROM mixmodel.conversions x ORDER BY x.name LOOP
        RETURN QUERY
            SELECT c.name, s.period, s.conversions, s.revenue, n
              FROM mixmodel.conversion_series(c.name, granularity,
                       (date_trunc('year', last::timestamp) - make_interval(years => years - 1))::date, last) s;
    END LOOP;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM mixmodel.conversions) THEN
        RETURN QUERY SELECT NULL::text, NULL::date, NULL::float8, NULL::float8, n;
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel.usage_report(text, int) IS 'Usage of the harmonized data: per conversion, conversions and revenue per year (or month) over the last years (default 5, ending at the last harmonized period), and the number of models using the harmonized data (rows of mixmodel.models with source_kind harmonized; 0 while that table does not exist).';
-- harmonize: generator of raw marketing data with known truth (doc/generator.md)

CREATE FUNCTION mixmodel.generate_events_day(
        seed pg_catalog.int8, day pg_catalog.date, conversions pg_catalog.int8,
        revenue pg_catalog.float8, touches pg_catalog.int8, profiles pg_catalog.int8,
        channels pg_catalog.text[], campaigns pg_catalog.text[], weights pg_catalog.float8[])
    RETURNS TABLE (profile_id pg_catalog.int8, event_ts pg_catalog.timestamptz,
        event_type pg_catalog.text, channel pg_catalog.text, campaign pg_catalog.text,
        conversion_type pg_catalog.text, revenue pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'generate_events_day'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION mixmodel.generate_events_day(pg_catalog.int8, pg_catalog.date, pg_catalog.int8, pg_catalog.float8, pg_catalog.int8, pg_catalog.int8, pg_catalog.text[], pg_catalog.text[], pg_catalog.float8[])
    IS 'Web/app events of one day, seeded by (seed, day): touches drawn over (channel, campaign) in proportion to weights, and online conversions whose revenues sum to revenue, in time order (used by generate_raw_data).';

CREATE FUNCTION mixmodel.generate_raw_data(
        target_schema pg_catalog.name,
        seed pg_catalog.int8 DEFAULT 42,
        weeks pg_catalog.int4 DEFAULT 156,
        start_date pg_catalog.date DEFAULT '2023-01-02',
        channels pg_catalog.text[] DEFAULT ARRAY['tv', 'search', 'social', 'display', 'email'],
        form pg_catalog.text DEFAULT 'additive',
        events pg_catalog.int8 DEFAULT 100000,
        options pg_catalog.jsonb DEFAULT '{}')
    RETURNS TABLE (table_name pg_catalog.text, row_count pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'generate_raw_data'
    LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000000 ROWS 11;
COMMENT ON FUNCTION mixmodel.generate_raw_data(pg_catalog.name, pg_catalog.int8, pg_catalog.int4, pg_catalog.date, pg_catalog.text[], pg_catalog.text, pg_catalog.int8, pg_catalog.jsonb)
    IS 'Creates raw marketing tables (daily_media, weekly_media, sends, events, conversions_daily, factors, holidays, weekly_wide) in target_schema from a known, seeded marketing-mix model, with its truth (truth_parameters, truth_contributions, truth_kpi); returns each table and its row count. Same arguments, same tables.';
-- model: catalog and run tables, create_model, train, select_candidate (doc/model.md)

CREATE TABLE mixmodel.models (
    name        text PRIMARY KEY,
    source_kind text NOT NULL CHECK (source_kind IN ('wide', 'harmonized')),
    source      regclass,
    definition  jsonb NOT NULL,
    options     jsonb NOT NULL DEFAULT '{}',
    current_run integer,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mixmodel.models IS 'Marketing-mix models: their data (a wide weekly table or harmonized touchpoints, conversion and factors), validated options and the run in use.';
COMMENT ON COLUMN mixmodel.models.definition IS 'wide: date_column, kpi, media, exposure, organic, factors; harmonized: conversion, touchpoints, factors';
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
    chosen_candidate integer NOT NULL,
    lambda_max       float8 NOT NULL,
    kkt              float8 NOT NULL,
    config           jsonb NOT NULL,
    inputs           jsonb NOT NULL,
    started_at       timestamptz NOT NULL,
    elapsed_ms       float8 NOT NULL,
    PRIMARY KEY (model, run)
);
COMMENT ON TABLE mixmodel.runs IS 'Training runs of each model, numbered from 1; a failed or cancelled training writes nothing.';
COMMENT ON COLUMN mixmodel.runs.config IS 'resolved configuration: form, channel boxes, fixed regressors and their bounds, objective weights, budget';
COMMENT ON COLUMN mixmodel.runs.inputs IS 'the arrays the fit used (weeks, KPI, media, fixed regressors), so a candidate can be re-fitted exactly';
COMMENT ON COLUMN mixmodel.runs.kkt IS 'largest KKT violation of the chosen constrained ridge (standardised scale)';
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
    PRIMARY KEY (model, run, period),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_fit IS 'Actual and predicted KPI per period of the training window; holdout marks the out-of-sample rows.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.run_fit', '');

CREATE TABLE mixmodel.run_decomposition (
    model        text NOT NULL,
    run          integer NOT NULL,
    period       date NOT NULL,
    term         text NOT NULL,
    kind         text NOT NULL,
    contribution float8 NOT NULL,
    PRIMARY KEY (model, run, period, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.run_decomposition IS 'Contribution of every term per period of the training window; the terms of a period sum to the prediction (additive: the terms; multiplicative: log_share, formulas §2.2).';
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
                          'calibration', 'train_size'];
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
    IF options ? 'form' AND NOT options->>'form' IN ('additive', 'multiplicative') THEN
        RAISE EXCEPTION 'option "form" must be additive or multiplicative' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'form');
    END IF;
    IF options ? 'adstock' AND NOT options->>'adstock' IN ('geometric', 'weibull_cdf', 'weibull_pdf', 'delayed') THEN
        RAISE EXCEPTION 'option "adstock" must be geometric, weibull_cdf, weibull_pdf or delayed' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', options->'adstock');
    END IF;
    IF options ? 'saturation' AND NOT options->>'saturation' IN ('hill', 'logistic', 'michaelis_menten', 'power') THEN
        RAISE EXCEPTION 'option "saturation" must be hill, logistic, michaelis_menten or power' USING ERRCODE = '22023',
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
            IF jsonb_typeof(v) <> 'object' OR NOT v ? 'contribution'
               OR (v->>'contribution')::float8 NOT BETWEEN 0 AND 1
               OR coalesce((v->>'confidence')::float8, 0.5) NOT BETWEEN 0 AND 1 THEN
                RAISE EXCEPTION 'prior of channel "%" must be {"contribution": share in [0, 1], "confidence": [0, 1]}', k
                    USING ERRCODE = '22023', DETAIL = format('Got %s.', v);
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
                             'max_lookback', 'alpha', 'gamma', 'power', 'lam', 'normalize');
            IF FOUND THEN
                RAISE EXCEPTION 'unknown option for channel "%"', k USING ERRCODE = '22023',
                    HINT = 'Valid channel options are adstock, saturation, theta, shape, scale, alpha_decay, lag, max_lookback, alpha, gamma, power, lam, normalize.';
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
BEGIN
    IF name IS NULL OR conversion IS NULL OR touchpoints IS NULL OR options IS NULL THEN
        RAISE EXCEPTION 'name, conversion, touchpoints and options must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.models m WHERE m.name = create_model.name) THEN
        RAISE EXCEPTION 'model "%" already exists', name USING ERRCODE = '23505';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.conversions x WHERE x.name = conversion) THEN
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
        IF (SELECT x.spend_metric IS NOT NULL FROM mixmodel.touchpoints x WHERE x.name = t) THEN
            npaid := npaid + 1;
        END IF;
    END LOOP;
    IF npaid = 0 THEN
        RAISE EXCEPTION 'a model needs at least one paid touchpoint' USING ERRCODE = '22023',
            HINT = 'Give a touchpoint a spend metric.';
    END IF;
    IF cardinality(coalesce(factors, '{}')) > 30 THEN
        RAISE EXCEPTION 'a model takes at most 30 factors' USING ERRCODE = '54000';
    END IF;
    FOREACH t IN ARRAY coalesce(factors, '{}') LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.harmonized h WHERE h.category = 'factor' AND h.factor_name = t) THEN
            RAISE EXCEPTION 'factor "%" does not exist in the harmonized data', t USING ERRCODE = '42704';
        END IF;
    END LOOP;
    PERFORM mixmodel._model_check_options(options);
    INSERT INTO mixmodel.models (name, source_kind, definition, options)
    VALUES (name, 'harmonized',
            jsonb_build_object('conversion', conversion, 'touchpoints', to_jsonb(touchpoints),
                               'factors', to_jsonb(coalesce(factors, '{}'))),
            options);
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.create_model(text, text, text[], text[], jsonb) IS 'Creates a model over harmonized data: one conversion (its revenue, else its count, is the KPI), touchpoints (paid ones by spend, others by volume as organic) and factors, options (doc/model.md).';
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

    -- data, in period order
    IF m.source_kind = 'wide' THEN
        EXECUTE format('SELECT pg_catalog.array_agg(%1$I::date ORDER BY %1$I), pg_catalog.array_agg(%2$I::float8 ORDER BY %1$I) FROM %3$s',
                       def->>'date_column', def->>'kpi', m.source)
           INTO periods, y;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'media') e LOOP
            EXECUTE format('SELECT pg_catalog.array_agg(%1$I::float8 ORDER BY %2$I) FROM %3$s', col, def->>'date_column', m.source) INTO arr;
            channels := channels || col; paid := paid || true; xs := xs || arr;
            -- an exposure column fits the model; its spend column (Robyn's paid_media_spends) feeds DECOMP.RSSD
            scol := o #>> ARRAY['spend_columns', col];
            IF scol IS NOT NULL THEN
                EXECUTE format('SELECT pg_catalog.array_agg(coalesce(%1$I::float8, 0) ORDER BY %2$I) FROM %3$s', scol, def->>'date_column', m.source) INTO arr;
            END IF;
            spx := spx || arr;
        END LOOP;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'organic') e LOOP
            EXECUTE format('SELECT pg_catalog.array_agg(%1$I::float8 ORDER BY %2$I) FROM %3$s', col, def->>'date_column', m.source) INTO arr;
            channels := channels || col; paid := paid || false; xs := xs || arr; spx := spx || arr;
        END LOOP;
        FOR col IN SELECT e FROM jsonb_array_elements_text(def->'factors') e LOOP
            EXECUTE format('SELECT pg_catalog.array_agg(%1$I::float8 ORDER BY %2$I) FROM %3$s', col, def->>'date_column', m.source) INTO arr;
            fnames := fnames || col; fz := fz || arr;
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
              FROM unnest(periods) p(d) LEFT JOIN mixmodel.factor_series(col) s ON s.period = p.d;
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
    d_from := coalesce(from_date, (o #>> '{training_window,from}')::date,
                       (d_to - make_interval(days => (round(years * 364))::int - 7))::date);
    IF from_date IS NOT NULL OR to_date IS NOT NULL THEN
        IF d_to - d_from < 357 THEN
            RAISE EXCEPTION 'a retraining range must cover at least 1 year' USING ERRCODE = '22023',
                DETAIL = format('Got %s to %s.', d_from, d_to);
        END IF;
    END IF;
    SELECT min(i) - 1, max(i) INTO t0, t_end FROM generate_subscripts(periods, 1) i
     WHERE periods[i] >= d_from AND periods[i] <= d_to;
    n := coalesce(t_end - t0, 0);
    IF n < 1 THEN
        RAISE EXCEPTION 'the training window of model "%" holds no periods', model USING ERRCODE = '22000',
            DETAIL = format('Window %s to %s.', d_from, d_to);
    END IF;
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
        sk := coalesce(co->>'saturation', o->>'saturation', CASE WHEN form = 'multiplicative' THEN 'power' ELSE 'hill' END);
        IF NOT ak IN ('geometric', 'weibull_cdf', 'weibull_pdf', 'delayed') THEN
            RAISE EXCEPTION 'unknown adstock "%" for channel "%"', ak, channels[k] USING ERRCODE = '22023';
        END IF;
        IF NOT sk IN ('hill', 'logistic', 'michaelis_menten', 'power') THEN
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
            ml := 0;
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
        ELSE
            s1 := mixmodel._model_range(co, 'lam', channels[k], 0.5, 10, 0, 1000, true, false);
            s2 := ARRAY[0, 0]::float8[];
        END IF;
        adstock := adstock || ak; sat := sat || sk; max_lag := max_lag || ml;
        norm := norm || CASE WHEN coalesce((co->>'normalize')::boolean, (o->>'normalize')::boolean, false) THEN 1 ELSE 0 END;
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

    RETURN jsonb_build_object(
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
           (i->'y'->>(t - 1))::float8 - (r->'yhat'->>(t - 1))::float8, t > nt
      FROM generate_series(1, n) t;

    INSERT INTO mixmodel.run_decomposition
    SELECT _model_write.model, _model_write.run, (i->'periods'->>(t - 1))::date,
           CASE WHEN k = 0 THEN '(intercept)' WHEN k <= nc THEN i->'channels'->>(k - 1) ELSE i->'fixed'->>(k - nc - 1) END,
           CASE WHEN k = 0 THEN 'intercept'
                WHEN k <= nc THEN CASE WHEN (i->'paid'->>(k - 1))::boolean THEN 'channel' ELSE 'organic' END
                ELSE i->'fixed_kinds'->>(k - nc - 1) END,
           (r->'decomposition'->k->>(t - 1))::float8
      FROM generate_series(0, nc + nf) k, generate_series(1, n) t;

    INSERT INTO mixmodel.run_diagnostics (model, run, item, term, value, message) VALUES
        (_model_write.model, _model_write.run, 'condition_number', '', (r->>'condition_number')::float8, 'of the standardised training design'),
        (_model_write.model, _model_write.run, 'durbin_watson', '', (r->>'durbin_watson')::float8, 'of the training residuals'),
        (_model_write.model, _model_write.run, 'kkt_violation', '', (r->>'kkt')::float8, 'largest KKT violation of the constrained ridge');
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
    r := mixmodel._model_fit(i, b, s, NULL);
    SELECT coalesce(max(x.run), 0) + 1 INTO k FROM mixmodel.runs x WHERE x.model = train.model;

    INSERT INTO mixmodel.runs VALUES (model, k, 'succeeded', s, (r->>'candidates_done')::int,
        (i->'periods'->>0)::date, (i->'periods'->>(jsonb_array_length(i->'periods') - 1))::date,
        (i->'periods'->>((i->>'n_train')::int))::date, (r->>'chosen')::int, (r->>'lambda_max')::float8,
        (r->>'kkt')::float8, m.options || jsonb_build_object('resolved', i - ARRAY['periods', 'y', 'x', 'spend', 'z']),
        i, t0, 1000 * extract(epoch FROM clock_timestamp() - t0));
    INSERT INTO mixmodel.run_candidates
    SELECT model, k, (c->>'candidate')::int, (c->>'front')::int, (c->>'local')::boolean,
           (c->>'candidate')::int = (r->>'chosen')::int,
           (c->'objectives'->>0)::float8, (c->'objectives'->>1)::float8, (c->'objectives'->>2)::float8,
           (c->'objectives'->>3)::float8, (c->>'lift_gaussian')::float8, (c->>'total')::float8, (c->>'lambda')::float8, mixmodel._jf(c->'hp')
      FROM jsonb_array_elements(r->'candidates') c;
    PERFORM mixmodel._model_write(model, k, i, r);
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

    RETURN QUERY SELECT k, x.split, x.n, x.r2, x.adj_r2, x.mape, x.smape, x.rmse, x.nrmse, x.decomp_rssd, x.mape_lift
                   FROM mixmodel.run_metrics x WHERE x.model = train.model AND x.run = k
                  ORDER BY array_position(ARRAY['train', 'validation', 'test'], x.split);
END $$;
COMMENT ON FUNCTION mixmodel.train(text, bigint, integer, date, date) IS 'Trains a model: hyperparameter search (Sobol + local pattern search) over exact sign- and box-constrained ridge fits; stores a new run and returns its metrics in sample (train) and out of sample (test). from_date/to_date retrain on a custom range of at least 1 year.';

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
    RETURN QUERY SELECT x.split, x.n, x.r2, x.adj_r2, x.mape, x.smape, x.rmse, x.nrmse, x.decomp_rssd, x.mape_lift
                   FROM mixmodel.run_metrics x WHERE x.model = select_candidate.model AND x.run = select_candidate.run
                  ORDER BY array_position(ARRAY['train', 'validation', 'test'], x.split);
END $$;
COMMENT ON FUNCTION mixmodel.select_candidate(text, integer, integer) IS 'Makes another stored Pareto candidate the chosen fit of a run (refits it exactly, rewrites the run''s result tables, makes the run current) and returns its metrics.';
-- model: calibration helpers (doc/model.md "Calibration", formulas §8)

CREATE FUNCTION mixmodel.roi_prior_lognormal(mean float8, sd float8, OUT mu float8, OUT sigma float8)
    RETURNS record
    AS 'MODULE_PATHNAME', 'roi_prior_lognormal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mixmodel.roi_prior_lognormal(float8, float8) IS 'LogNormal(mu, sigma) with the given mean and standard deviation, e.g. of an experiment''s ROI (Meridian''s ROI prior, formulas §8.3): sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2; mean and sd > 0 and finite (22023).';
-- model: result views of the current run of each model (contract names)

CREATE VIEW mixmodel.model_metrics AS
SELECT m.name AS model, r.run, r.split, r.n, r.r2, r.adj_r2, r.mape, r.smape, r.rmse, r.nrmse,
       r.decomp_rssd, r.mape_lift
  FROM mixmodel.models m
  JOIN mixmodel.run_metrics r ON r.model = m.name AND r.run = m.current_run;
COMMENT ON VIEW mixmodel.model_metrics IS 'Fit metrics of the current run of each model: in sample (split train), on the validation rows (split validation, option train_size) and on the holdout (split test), formulas §3.';
COMMENT ON COLUMN mixmodel.model_metrics.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_metrics.run IS 'the model''s current run (models.current_run)';
COMMENT ON COLUMN mixmodel.model_metrics.split IS 'train (in sample), validation (Robyn''s time-series split, option train_size) or test (holdout, out of sample)';
COMMENT ON COLUMN mixmodel.model_metrics.n IS 'periods in the split';
COMMENT ON COLUMN mixmodel.model_metrics.r2 IS '1 - SSE/SST';
COMMENT ON COLUMN mixmodel.model_metrics.adj_r2 IS 'adjusted R2, Robyn''s convention (n of the training rows)';
COMMENT ON COLUMN mixmodel.model_metrics.mape IS 'mean absolute percentage error as a fraction (periods with KPI 0 skipped)';
COMMENT ON COLUMN mixmodel.model_metrics.smape IS 'symmetric MAPE, range [0, 2]';
COMMENT ON COLUMN mixmodel.model_metrics.rmse IS 'root mean squared error, KPI units';
COMMENT ON COLUMN mixmodel.model_metrics.nrmse IS 'RMSE / (max - min) of the KPI in the split';
COMMENT ON COLUMN mixmodel.model_metrics.decomp_rssd IS 'Robyn''s DECOMP.RSSD over paid channels (train row only)';
COMMENT ON COLUMN mixmodel.model_metrics.mape_lift IS 'MAPE.LIFT against the experiments (train row only; NULL without experiments)';

CREATE VIEW mixmodel.model_fit AS
SELECT m.name AS model, f.run, f.period, f.actual, f.predicted, f.residual, f.holdout
  FROM mixmodel.models m
  JOIN mixmodel.run_fit f ON f.model = m.name AND f.run = m.current_run;
COMMENT ON VIEW mixmodel.model_fit IS 'Actual and predicted KPI per period of the training window of the current run of each model.';
COMMENT ON COLUMN mixmodel.model_fit.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_fit.run IS 'the model''s current run (models.current_run)';
COMMENT ON COLUMN mixmodel.model_fit.period IS 'period start';
COMMENT ON COLUMN mixmodel.model_fit.actual IS 'observed KPI';
COMMENT ON COLUMN mixmodel.model_fit.predicted IS 'fitted KPI (multiplicative: exp of the linear predictor, the conditional median)';
COMMENT ON COLUMN mixmodel.model_fit.residual IS 'actual - predicted';
COMMENT ON COLUMN mixmodel.model_fit.holdout IS 'true for the out-of-sample rows';
-- score: response curves, channel performance, contributions, adstock curves (doc/score.md)

CREATE FUNCTION mixmodel._response_core(form pg_catalog.text, adstock pg_catalog.text,
        adstock_p1 pg_catalog.float8, adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4,
        adstock_normalize pg_catalog.bool, saturation pg_catalog.text, sat_p1 pg_catalog.float8,
        sat_p2 pg_catalog.float8, input_scale pg_catalog.float8, coef pg_catalog.float8,
        x pg_catalog.float8[], start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[],
        value pg_catalog.float8, spends pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'response_core';
COMMENT ON FUNCTION mixmodel._response_core(pg_catalog.text, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: one fitted channel''s response curve over the window x[start .. start+len-1] (0-based) with the window''s spend pattern and carry-in (formulas §4.2 window_pattern): R(s) for each of spends, then R''(s) for each, then break-even, peak and point of diminishing returns (NaN when none). yhat (multiplicative form only) is the prediction from the window''s first period on.';

CREATE FUNCTION mixmodel._adstock_impulse(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        lags pg_catalog.int4)
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'adstock_impulse';
COMMENT ON FUNCTION mixmodel._adstock_impulse(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.int4) IS
'Internal: the adstock of one unit spent at lag 0 by a run_channels adstock spec, at lags 0..lags.';

CREATE FUNCTION mixmodel._channel_term(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        saturation pg_catalog.text, sat_p1 pg_catalog.float8, sat_p2 pg_catalog.float8,
        input_scale pg_catalog.float8, coef pg_catalog.float8, x pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'channel_term';
COMMENT ON FUNCTION mixmodel._channel_term(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: a fitted channel''s term of the linear predictor, coef * saturation(adstock(x)_t / input_scale), for every period of x.';

CREATE FUNCTION mixmodel._decompose_log_share(b pg_catalog.float8, g pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'decompose_log_share';
COMMENT ON FUNCTION mixmodel._decompose_log_share(pg_catalog.float8, pg_catalog.float8[]) IS
'Internal: the parts of y = b exp(sum g) by the log_share rule (formulas §2.2); they sum to y - b.';

CREATE FUNCTION mixmodel._immediate_share(adstock pg_catalog.text, adstock_p1 pg_catalog.float8,
        adstock_p2 pg_catalog.float8, max_lag pg_catalog.int4, adstock_normalize pg_catalog.bool,
        saturation pg_catalog.text, sat_p1 pg_catalog.float8, sat_p2 pg_catalog.float8,
        input_scale pg_catalog.float8, x pg_catalog.float8[], start pg_catalog.int4, len pg_catalog.int4)
    RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'immediate_share';
COMMENT ON FUNCTION mixmodel._immediate_share(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int4, pg_catalog.bool, pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4) IS
'Internal: the immediate share of a fitted channel''s effect over x[start .. start+len-1] (0-based) by the robyn rule (formulas §4.6): carry-over evaluated first at the bottom of the curve; adstock over the whole series; NULL when the effect is 0.';

-- the immediate share of a channel of a run over its training rows
CREATE FUNCTION mixmodel._run_immediate_share(model pg_catalog.text, run pg_catalog.int4, channel pg_catalog.text)
    RETURNS pg_catalog.float8
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT mixmodel._immediate_share(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                       ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale,
                       (mixmodel._jf(r.inputs->'x'))[(ch.position - 1) * ((r.inputs->>'t0')::int + pg_catalog.jsonb_array_length(r.inputs->'periods')) + 1
                                                   : ch.position * ((r.inputs->>'t0')::int + pg_catalog.jsonb_array_length(r.inputs->'periods'))],
                       (r.inputs->>'t0')::int, (r.inputs->>'n_train')::int)
              FROM mixmodel.runs r JOIN mixmodel.run_channels ch ON ch.model = r.model AND ch.run = r.run
             WHERE r.model = _run_immediate_share.model AND r.run = _run_immediate_share.run
               AND ch.channel = _run_immediate_share.channel);
COMMENT ON FUNCTION mixmodel._run_immediate_share(pg_catalog.text, pg_catalog.int4, pg_catalog.text) IS
'Internal: _immediate_share of a channel of a run over the run''s training rows (NULL for an unknown one).';

CREATE FUNCTION mixmodel._synergy_core(form pg_catalog.text, adstock pg_catalog.text[], adstock_p1 pg_catalog.float8[],
        adstock_p2 pg_catalog.float8[], max_lag pg_catalog.int4[], adstock_normalize pg_catalog.bool[],
        saturation pg_catalog.text[], sat_p1 pg_catalog.float8[], sat_p2 pg_catalog.float8[],
        input_scale pg_catalog.float8[], coef pg_catalog.float8[], x pg_catalog.float8[],
        start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'synergy_core';
COMMENT ON FUNCTION mixmodel._synergy_core(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.bool[], pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[]) IS
'Internal: next-dollar synergy (formulas §4.7) between C fitted channels over the window x[start .. start+len-1] of each series (x holds the C series one after another): the C x C matrix S = sum_t yhat_t lift_a,t lift_b,t, then the scores 10 S / max (NaN diagonal).';

-- the synergy matrix of a run's paid channels over its training rows, long format
CREATE FUNCTION mixmodel._run_synergy(model pg_catalog.text, run pg_catalog.int4)
    RETURNS TABLE (channel_a pg_catalog.text, channel_b pg_catalog.text, synergy pg_catalog.float8, score_0_10 pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    i jsonb;
    te int;
    chs mixmodel.run_channels[];
    v float8[];
    xa float8[];
    nc int;
    yh float8[];
BEGIN
    SELECT r.inputs INTO i FROM mixmodel.runs r WHERE r.model = _run_synergy.model AND r.run = _run_synergy.run;
    IF i IS NULL THEN
        RETURN;
    END IF;
    chs := ARRAY(SELECT c FROM mixmodel.run_channels c
                  WHERE c.model = _run_synergy.model AND c.run = _run_synergy.run AND c.paid ORDER BY c.position);
    nc := cardinality(chs);
    IF nc < 2 THEN
        RETURN;
    END IF;
    te := (i->>'t0')::int + jsonb_array_length(i->'periods');
    xa := mixmodel._jf(i->'x');
    SELECT array_agg(f.predicted ORDER BY f.period) INTO yh
      FROM mixmodel.run_fit f WHERE f.model = _run_synergy.model AND f.run = _run_synergy.run;
    v := mixmodel._synergy_core(i->>'form',
             ARRAY(SELECT (chs[g.k]).adstock FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).adstock_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).max_lag FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_normalize FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).saturation FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).sat_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).input_scale FROM generate_series(1, nc) g(k) ORDER BY g.k), ARRAY(SELECT (chs[g.k]).coef FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT u.e FROM generate_series(1, nc) g(k),
                          LATERAL unnest(xa[((chs[g.k]).position - 1) * te + 1 : (chs[g.k]).position * te]) WITH ORDINALITY u(e, j)
                    ORDER BY g.k, u.j),
             (i->>'t0')::int, (i->>'n_train')::int, yh);
    RETURN QUERY
    SELECT (chs[a.q]).channel, (chs[b.q]).channel, v[(a.q - 1) * nc + b.q], v[nc * nc + (a.q - 1) * nc + b.q]
      FROM generate_series(1, nc) a(q), generate_series(1, nc) b(q)
     WHERE a.q <> b.q ORDER BY a.q, b.q;
END $$;
COMMENT ON FUNCTION mixmodel._run_synergy(pg_catalog.text, pg_catalog.int4) IS
'Internal: the synergy view''s rows of one run: every ordered pair of distinct paid channels over the run''s training rows.';

CREATE FUNCTION mixmodel._response_vector_core(form pg_catalog.text, adstock pg_catalog.text[], adstock_p1 pg_catalog.float8[],
        adstock_p2 pg_catalog.float8[], max_lag pg_catalog.int4[], adstock_normalize pg_catalog.bool[],
        saturation pg_catalog.text[], sat_p1 pg_catalog.float8[], sat_p2 pg_catalog.float8[],
        input_scale pg_catalog.float8[], coef pg_catalog.float8[], x pg_catalog.float8[],
        start pg_catalog.int4, len pg_catalog.int4, yhat pg_catalog.float8[], spends pg_catalog.float8[])
    RETURNS pg_catalog.float8[]
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'response_vector_core';
COMMENT ON FUNCTION mixmodel._response_vector_core(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4[], pg_catalog.bool[], pg_catalog.text[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8[], pg_catalog.float8[]) IS
'Internal: the response to window spends of C fitted channels moved at once (formulas §4.2, each spread by its window pattern, carry-in kept), then its C partial derivatives.';

CREATE FUNCTION mixmodel.response_at(model pg_catalog.text, channels pg_catalog.text[], spends pg_catalog.float8[],
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL)
    RETURNS TABLE (channel pg_catalog.text, spend pg_catalog.float8, response pg_catalog.float8, marginal_response pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 5
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    chs mixmodel.run_channels[];
    xs float8[] := '{}';
    v float8[];
    nc int;
    k int;
BEGIN
    IF channels IS NULL OR spends IS NULL THEN
        RAISE EXCEPTION 'channels and spends must not be NULL' USING ERRCODE = '22004';
    END IF;
    nc := coalesce(cardinality(channels), 0);
    IF nc = 0 OR nc <> coalesce(cardinality(spends), 0) THEN
        RAISE EXCEPTION 'channels and spends must be non-empty and of the same length' USING ERRCODE = '2202E';
    END IF;
    IF (SELECT count(DISTINCT c) <> nc FROM unnest(channels) c) THEN
        RAISE EXCEPTION 'channels must not repeat' USING ERRCODE = '22023';
    END IF;
    FOR k IN 1 .. nc LOOP
        p := mixmodel._response_input(model, channels[k], from_date, to_date);
        chs := chs || p.ch;
        xs := xs || p.x;
    END LOOP;
    v := mixmodel._response_vector_core(p.form,
             ARRAY(SELECT (chs[g.k]).adstock FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).max_lag FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).adstock_normalize FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).saturation FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p1 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).sat_p2 FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).input_scale FROM generate_series(1, nc) g(k) ORDER BY g.k),
             ARRAY(SELECT (chs[g.k]).coef FROM generate_series(1, nc) g(k) ORDER BY g.k),
             xs, p.start, p.len, p.yhat, spends);
    RETURN QUERY
    SELECT channels[g.k], spends[g.k], v[1], v[1 + g.k] FROM generate_series(1, nc) g(k) ORDER BY g.k;
END $$;
COMMENT ON FUNCTION mixmodel.response_at(pg_catalog.text, pg_catalog.text[], pg_catalog.float8[], pg_catalog.date, pg_catalog.date) IS
'The response of a model''s current run to an arbitrary spend vector over a date range (default: the training rows): the listed channels spend spends (each spread by its weekly pattern in the range, carry-in kept) at once; response is the joint incremental KPI against zero spend of these channels (the same on every row), marginal_response its partial derivative by each channel.';

-- the run scoring reads: the given one, or the model's current run
CREATE FUNCTION mixmodel._check_date_range(from_date pg_catalog.date, to_date pg_catalog.date)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_date IS NULL OR to_date IS NULL THEN
        RAISE EXCEPTION 'from_date and to_date must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF from_date > to_date THEN
        RAISE EXCEPTION 'from_date must not be after to_date' USING ERRCODE = '22023',
            DETAIL = format('Got %s to %s.', from_date, to_date);
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_date_range(pg_catalog.date, pg_catalog.date) IS
'Internal: error 22004 for a NULL end of a date range, 22023 for a reversed one.';

CREATE FUNCTION mixmodel._score_run(model pg_catalog.text, run pg_catalog.int4 DEFAULT NULL)
    RETURNS pg_catalog.int4
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur int;
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT m.current_run INTO cur FROM mixmodel.models m WHERE m.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    IF run IS NULL THEN
        IF cur IS NULL THEN
            RAISE EXCEPTION 'model "%" has not been trained', model USING ERRCODE = '55000',
                HINT = 'Run mixmodel.train first.';
        END IF;
        RETURN cur;
    END IF;
    PERFORM 1 FROM mixmodel.runs r WHERE r.model = _score_run.model AND r.run = _score_run.run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    RETURN run;
END $$;
COMMENT ON FUNCTION mixmodel._score_run(pg_catalog.text, pg_catalog.int4) IS
'Internal: checks a model and run for scoring (42704 unknown, 55000 never trained) and returns the run (the current one when run is NULL).';

-- what the KPI of a model counts, and the revenue per conversion of its current run's training window
CREATE FUNCTION mixmodel._model_kpi_units(model pg_catalog.text)
    RETURNS TABLE (kpi_unit pg_catalog.text, revenue_per_conversion pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    r mixmodel.runs;
    def jsonb;
    key text;
    unit text;
    rpc float8;
BEGIN
    PERFORM mixmodel._score_run(model);
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = m.current_run;
    def := m.definition;
    IF m.source_kind = 'harmonized' THEN
        -- a harmonized conversion counts conversions unless it carries revenue
        SELECT CASE WHEN sum(q.revenue) IS NULL THEN 'conversions' ELSE 'revenue' END,
               sum(q.revenue) / nullif(sum(q.conversions), 0)
          INTO unit, rpc FROM mixmodel.conversion_series(def->>'conversion') q
         WHERE q.period BETWEEN r.from_date AND r.to_date;
    ELSE
        -- a wide table: the KPI column's name says conversions (or orders) or revenue; the
        -- other unit's column, when the table has one, gives the ratio
        unit := CASE WHEN def->>'kpi' ILIKE '%conversion%' OR def->>'kpi' ILIKE '%order%' THEN 'conversions' ELSE 'revenue' END;
        key := (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = m.source AND NOT a.attisdropped AND a.attnum > 0
                   AND a.attname IN ('conversions', 'orders', 'revenue') AND a.attname <> def->>'kpi'
                   AND (unit = 'revenue') = (a.attname <> 'revenue') ORDER BY a.attname LIMIT 1);
        IF key IS NOT NULL THEN
            EXECUTE format('SELECT %s FROM %s WHERE %I BETWEEN $1 AND $2',
                           CASE WHEN unit = 'revenue' THEN format('sum(%I)::float8 / nullif(sum(%I), 0)', def->>'kpi', key)
                                ELSE format('sum(%I)::float8 / nullif(sum(%I), 0)', key, def->>'kpi') END,
                           m.source, def->>'date_column')
               INTO rpc USING r.from_date, r.to_date;
        END IF;
    END IF;
    RETURN QUERY SELECT unit, rpc;
END $$;
COMMENT ON FUNCTION mixmodel._model_kpi_units(pg_catalog.text) IS
'Internal: what the KPI of a trained model counts (revenue or conversions) and the revenue per conversion over its current run''s training window (harmonized: the conversion''s revenue over its count; wide table: the KPI column against a conversions, orders or revenue column; NULL when unknown). 42704 unknown model, 55000 never trained.';

-- KPI units to revenue and conversions
CREATE FUNCTION mixmodel._kpi_factors(kpi_unit pg_catalog.text, revenue_per_conversion pg_catalog.float8,
        OUT revenue_per_kpi pg_catalog.float8, OUT conversions_per_kpi pg_catalog.float8)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rpc float8 := CASE WHEN revenue_per_conversion > 0 AND revenue_per_conversion < 'Infinity' THEN revenue_per_conversion END;
BEGIN
    IF kpi_unit IS NULL THEN
        RAISE EXCEPTION 'kpi_unit must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF kpi_unit NOT IN ('revenue', 'conversions') THEN
        RAISE EXCEPTION 'kpi_unit must be revenue or conversions' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', kpi_unit);
    END IF;
    revenue_per_kpi := CASE WHEN kpi_unit = 'revenue' THEN 1 ELSE rpc END;
    conversions_per_kpi := CASE WHEN kpi_unit = 'conversions' THEN 1 ELSE 1 / rpc END;
END $$;
COMMENT ON FUNCTION mixmodel._kpi_factors(pg_catalog.text, pg_catalog.float8) IS
'Internal: revenue and conversions per KPI unit of a model whose KPI counts kpi_unit (revenue or conversions): 1 for the KPI''s own unit, revenue_per_conversion or its inverse for the other; NULL when that is unknown (NULL, not positive or not finite).';
-- what the response curve of one channel needs, from the run's stored data
CREATE FUNCTION mixmodel._response_input(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date, to_date pg_catalog.date,
        OUT run pg_catalog.int4, OUT form pg_catalog.text, OUT ch mixmodel.run_channels,
        OUT x pg_catalog.float8[], OUT start pg_catalog.int4, OUT len pg_catalog.int4,
        OUT yhat pg_catalog.float8[], OUT current_spend pg_catalog.float8, OUT revenue_per_kpi pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r mixmodel.runs;
    i jsonb;
    n int; t0 int; te int; a int; b int;
    d_from date; d_to date;
BEGIN
    IF channel IS NULL THEN
        RAISE EXCEPTION 'channel must not be NULL' USING ERRCODE = '22004';
    END IF;
    run := mixmodel._score_run(model);
    SELECT * INTO ch FROM mixmodel.run_channels c
     WHERE c.model = _response_input.model AND c.run = _response_input.run AND c.channel = _response_input.channel;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'channel "%" is not in model "%"', channel, model USING ERRCODE = '42704';
    END IF;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = _response_input.model AND x.run = _response_input.run;
    i := r.inputs;
    form := i->>'form';
    n := jsonb_array_length(i->'periods');
    t0 := (i->>'t0')::int;
    te := t0 + n;
    x := (mixmodel._jf(i->'x'))[(ch.position - 1) * te + 1 : ch.position * te];
    -- default window: the training rows (the holdout excluded), as run_channels.spend
    d_from := coalesce(from_date, r.from_date);
    d_to := coalesce(to_date, (SELECT max(f.period) FROM mixmodel.run_fit f
                                WHERE f.model = r.model AND f.run = r.run AND NOT f.holdout));
    PERFORM mixmodel._check_date_range(d_from, d_to);
    IF d_from < r.from_date OR d_to > r.to_date THEN
        RAISE EXCEPTION 'the range must lie inside the data of run % of model "%"', run, model USING ERRCODE = '22023',
            DETAIL = format('Got %s to %s; the run covers %s to %s.', d_from, d_to, r.from_date, r.to_date);
    END IF;
    SELECT min(p.j) - 1, max(p.j) - 1 INTO a, b
      FROM jsonb_array_elements_text(i->'periods') WITH ORDINALITY p(d, j)
     WHERE p.d::date >= d_from AND p.d::date <= d_to;
    IF a IS NULL THEN
        RAISE EXCEPTION 'the range holds no periods of model "%"', model USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s.', d_from, d_to);
    END IF;
    start := t0 + a;
    len := b - a + 1;
    SELECT sum(v ORDER BY k) INTO current_spend FROM unnest(x[start + 1 : start + len]) WITH ORDINALITY u(v, k);
    SELECT array_agg(f.predicted ORDER BY f.period) INTO yhat
      FROM mixmodel.run_fit f WHERE f.model = r.model AND f.run = r.run AND f.period >= (i->'periods'->>a)::date;
    SELECT f.revenue_per_kpi INTO revenue_per_kpi
      FROM mixmodel._model_kpi_units(model) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
END $$;
COMMENT ON FUNCTION mixmodel._response_input(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'Internal: the current run, fitted channel spec, input series, window (0-based start and length), predictions, window spend and revenue per KPI unit (NULL when unknown) a response curve needs.';

CREATE FUNCTION mixmodel.response_points(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL)
    RETURNS TABLE (current_spend pg_catalog.float8, current_response pg_catalog.float8,
                   marginal_roas_at_current pg_catalog.float8, breakeven_spend pg_catalog.float8,
                   diminishing_returns_spend pg_catalog.float8, peak_spend pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    v float8[];
BEGIN
    p := mixmodel._response_input(model, channel, from_date, to_date);
    -- ROAS in revenue: value = revenue per KPI unit (break-even and PDR need it; NULL when unknown)
    v := mixmodel._response_core(p.form, (p.ch).adstock, (p.ch).adstock_p1, (p.ch).adstock_p2, (p.ch).max_lag,
             (p.ch).adstock_normalize, (p.ch).saturation, (p.ch).sat_p1, (p.ch).sat_p2, (p.ch).input_scale,
             (p.ch).coef, p.x, p.start, p.len, p.yhat, coalesce(p.revenue_per_kpi, 1.0), ARRAY[p.current_spend]);
    RETURN QUERY SELECT p.current_spend, v[1], p.revenue_per_kpi * v[2],
                        CASE WHEN p.revenue_per_kpi IS NOT NULL THEN nullif(v[3], 'NaN') END,
                        CASE WHEN p.revenue_per_kpi IS NOT NULL THEN nullif(v[5], 'NaN') END, nullif(v[4], 'NaN');
END $$;
COMMENT ON FUNCTION mixmodel.response_points(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'The points of a channel''s response curve over a date range of its current run (default: the training rows): current window spend, the response to it (KPI units), marginal ROAS there (revenue per currency unit: the marginal response times the revenue per KPI unit), the marginal break-even spend (marginal ROAS = 1), the point of diminishing returns (mean_value rule) and the spend of the steepest marginal (0 for concave curves); NULL when a point does not exist or, for the ROAS, break-even and PDR, when a conversions KPI has no known revenue per conversion.';

CREATE FUNCTION mixmodel.response_curve(model pg_catalog.text, channel pg_catalog.text,
        from_date pg_catalog.date DEFAULT NULL, to_date pg_catalog.date DEFAULT NULL,
        grid_points pg_catalog.int4 DEFAULT 31, max_multiple pg_catalog.float8 DEFAULT 3.0)
    RETURNS TABLE (spend pg_catalog.float8, multiple pg_catalog.float8, response pg_catalog.float8,
                   marginal_response pg_catalog.float8, marginal_roas pg_catalog.float8,
                   is_current pg_catalog.bool, is_breakeven pg_catalog.bool,
                   is_diminishing_returns pg_catalog.bool, is_peak pg_catalog.bool)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 35
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    pts float8[];
    g float8[];
    v float8[];
    ng int;
BEGIN
    IF grid_points IS NULL OR max_multiple IS NULL THEN
        RAISE EXCEPTION 'grid_points and max_multiple must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF grid_points < 2 OR grid_points > 10001 THEN
        RAISE EXCEPTION 'grid_points must be in the range [2, 10001]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', grid_points);
    END IF;
    IF NOT (max_multiple > 0 AND max_multiple <= 1000) THEN
        RAISE EXCEPTION 'max_multiple must be in the range (0, 1000]' USING ERRCODE = '22023',
            DETAIL = format('Got %s.', max_multiple);
    END IF;
    p := mixmodel._response_input(model, channel, from_date, to_date);
    IF NOT p.current_spend > 0 THEN
        RAISE EXCEPTION 'channel "%" has no spend in the range', channel USING ERRCODE = '22000',
            HINT = 'A response curve spans 0 to max_multiple times the spend of the range; choose a range with spend.';
    END IF;
    pts := mixmodel._response_core(p.form, (p.ch).adstock, (p.ch).adstock_p1, (p.ch).adstock_p2, (p.ch).max_lag,
               (p.ch).adstock_normalize, (p.ch).saturation, (p.ch).sat_p1, (p.ch).sat_p2, (p.ch).input_scale,
               (p.ch).coef, p.x, p.start, p.len, p.yhat, coalesce(p.revenue_per_kpi, 1.0), '{}');
    IF p.revenue_per_kpi IS NULL THEN
        -- no revenue per KPI unit: no break-even, hence no point of diminishing returns
        pts[1] := 'NaN';
        pts[3] := 'NaN';
    END IF;
    -- the grid, then the current spend and the points that exist
    SELECT array_agg(CASE WHEN abs(gv.w - p.current_spend) <= 1e-12 * p.current_spend THEN p.current_spend ELSE gv.w END ORDER BY j)
      INTO g
      FROM generate_series(0, grid_points - 1) j, LATERAL (SELECT max_multiple * p.current_spend * j / (grid_points - 1)) gv(w);
    -- (a grid spend a rounding away from the current one is the current one: one row)
    g := g || p.current_spend || pts;
    ng := cardinality(g);
    g := array_replace(g, 'NaN'::float8, -1);
    v := mixmodel._response_core(p.form, (p.ch).adstock, (p.ch).adstock_p1, (p.ch).adstock_p2, (p.ch).max_lag,
             (p.ch).adstock_normalize, (p.ch).saturation, (p.ch).sat_p1, (p.ch).sat_p2, (p.ch).input_scale,
             (p.ch).coef, p.x, p.start, p.len, p.yhat, 1.0, array_replace(g, -1::float8, 0));
    RETURN QUERY
    SELECT u.s, u.s / p.current_spend, min(u.r), min(u.d), p.revenue_per_kpi * min(u.d),
           bool_or(u.k = grid_points + 1), bool_or(u.k = grid_points + 2),
           bool_or(u.k = grid_points + 4), bool_or(u.k = grid_points + 3)
      FROM unnest(g, v[1 : ng], v[ng + 1 : 2 * ng]) WITH ORDINALITY u(s, r, d, k)
     WHERE u.s >= 0
     GROUP BY u.s ORDER BY u.s;
END $$;
COMMENT ON FUNCTION mixmodel.response_curve(pg_catalog.text, pg_catalog.text, pg_catalog.date, pg_catalog.date, pg_catalog.int4, pg_catalog.float8) IS
'A channel''s response curve over a date range of its model''s current run (default: the training rows): the incremental KPI when the range''s spend s is spent with the range''s weekly pattern, with carry-in from before it (formulas §4.2 window_pattern), on grid_points spends from 0 to max_multiple times the current spend, plus the current spend, break-even, point of diminishing returns and peak rows, flagged; marginal_response is the analytic dR/ds and marginal_roas is it in revenue per currency unit (times the revenue per conversion for a conversions KPI; NULL, and no break-even or point of diminishing returns, when that is unknown).';

CREATE VIEW mixmodel.channel_performance AS
WITH c AS (
    SELECT c.model, c.run, c.channel, c.spend, c.contribution, u.kpi_unit,
           c.contribution * f.revenue_per_kpi AS revenue, c.contribution * f.conversions_per_kpi AS conversions
      FROM mixmodel.models m
      JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run AND c.paid
     CROSS JOIN LATERAL mixmodel._model_kpi_units(m.name) u
     CROSS JOIN LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f
)
SELECT c.model, c.channel, c.spend, c.contribution, c.revenue,
       (c.revenue - c.spend) / nullif(c.spend, 0) AS roi,
       c.revenue / nullif(c.spend, 0) AS roas,
       c.spend / nullif(c.conversions, 0) AS cpa,
       CASE WHEN c.spend > 0 THEN pt.marginal_roas_at_current - 1 END AS marginal_roi,
       c.spend / nullif(sum(c.spend) OVER w, 0) AS spend_share,
       c.contribution / nullif(sum(c.contribution) OVER w, 0) AS effect_share,
       mixmodel._run_immediate_share(c.model, c.run, c.channel) AS immediate_share,
       1 - mixmodel._run_immediate_share(c.model, c.run, c.channel) AS carryover_share,
       c.conversions, c.kpi_unit
  FROM c
  LEFT JOIN LATERAL mixmodel.response_points(c.model, c.channel) pt ON c.spend > 0
WINDOW w AS (PARTITION BY c.model);
COMMENT ON VIEW mixmodel.channel_performance IS 'Paid channels of every trained model''s current run over its training rows (holdout excluded): spend, contribution, revenue and conversions, ROI, ROAS, CPA, marginal ROI at the current spend, spend share against effect share, immediate against carry-over share. The contribution counts the KPI''s unit (kpi_unit); the other unit comes from the revenue per conversion of the training window (_model_kpi_units), NULL when unknown.';
COMMENT ON COLUMN mixmodel.channel_performance.model IS 'model name';
COMMENT ON COLUMN mixmodel.channel_performance.channel IS 'paid channel (model input column or touchpoint)';
COMMENT ON COLUMN mixmodel.channel_performance.spend IS 'spend over the training rows';
COMMENT ON COLUMN mixmodel.channel_performance.contribution IS 'the channel''s contribution to the KPI over the training rows, in KPI units (kpi_unit)';
COMMENT ON COLUMN mixmodel.channel_performance.revenue IS 'revenue attributed to the channel: the contribution for a revenue KPI, contribution x revenue per conversion for a conversions KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.channel_performance.roi IS '(revenue - spend) / spend; NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.roas IS 'revenue / spend; NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.cpa IS 'cost per acquisition, spend / conversions; NULL when conversions are 0 or unknown';
COMMENT ON COLUMN mixmodel.channel_performance.marginal_roi IS 'marginal ROAS - 1 at the current spend of the training rows, in revenue (response_points); NULL when spend is 0 or revenue unknown';
COMMENT ON COLUMN mixmodel.channel_performance.spend_share IS 'share of the model''s paid spend';
COMMENT ON COLUMN mixmodel.channel_performance.effect_share IS 'share of the paid channels'' contribution';
COMMENT ON COLUMN mixmodel.channel_performance.immediate_share IS 'share of the contribution from spend of the same period (robyn rule, formulas §4.6: carry-over evaluated first)';
COMMENT ON COLUMN mixmodel.channel_performance.carryover_share IS '1 - immediate_share: the share from earlier periods'' spend';
COMMENT ON COLUMN mixmodel.channel_performance.conversions IS 'conversions attributed to the channel: the contribution for a conversions KPI, contribution / revenue per conversion for a revenue KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.channel_performance.kpi_unit IS 'what the model''s KPI counts: revenue or conversions';

CREATE VIEW mixmodel.response_curves AS
SELECT c.model, c.channel, r.spend, r.multiple, r.response, r.marginal_response, r.marginal_roas,
       r.is_current, r.is_breakeven, r.is_diminishing_returns, r.is_peak
  FROM mixmodel.models m
  JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run AND c.paid AND c.spend > 0
  CROSS JOIN LATERAL mixmodel.response_curve(c.model, c.channel) r;
COMMENT ON VIEW mixmodel.response_curves IS 'Response curve of every paid channel of every trained model''s current run over its training rows, with response_curve''s defaults (31 spends from 0 to 3x the current spend, plus the flagged points).';
COMMENT ON COLUMN mixmodel.response_curves.model IS 'model name';
COMMENT ON COLUMN mixmodel.response_curves.channel IS 'paid channel';
COMMENT ON COLUMN mixmodel.response_curves.spend IS 'spend over the training rows, spread by their weekly pattern';
COMMENT ON COLUMN mixmodel.response_curves.multiple IS 'spend / current spend';
COMMENT ON COLUMN mixmodel.response_curves.response IS 'incremental KPI against zero spend in the window (carry-in kept)';
COMMENT ON COLUMN mixmodel.response_curves.marginal_response IS 'dresponse/dspend (analytic)';
COMMENT ON COLUMN mixmodel.response_curves.marginal_roas IS 'marginal revenue per unit of spend: marginal_response x revenue per KPI unit (1 for a revenue KPI); NULL when unknown';
COMMENT ON COLUMN mixmodel.response_curves.is_current IS 'the current spend';
COMMENT ON COLUMN mixmodel.response_curves.is_breakeven IS 'the marginal break-even spend (marginal ROAS = 1, in revenue)';
COMMENT ON COLUMN mixmodel.response_curves.is_diminishing_returns IS 'the point of diminishing returns (formulas §4.5 mean_value)';
COMMENT ON COLUMN mixmodel.response_curves.is_peak IS 'the spend of the steepest marginal (0 for concave curves)';

CREATE VIEW mixmodel.adstock_curves AS
SELECT c.model, c.channel, (l.k - 1)::pg_catalog.int4 AS lag, l.w AS weight
  FROM mixmodel.models m
  JOIN mixmodel.run_channels c ON c.model = m.name AND c.run = m.current_run
  CROSS JOIN LATERAL unnest(mixmodel._adstock_impulse(c.adstock, c.adstock_p1, c.adstock_p2, c.max_lag, c.adstock_normalize,
         CASE WHEN c.max_lag >= 0 THEN c.max_lag
              WHEN c.adstock_p1 <= 0 THEN 0
              ELSE least(52, ceil(ln(1e-6) / ln(c.adstock_p1))::int) END)) WITH ORDINALITY l(w, k);
COMMENT ON VIEW mixmodel.adstock_curves IS 'Adstock curve of every channel of every trained model''s current run: the share of one unit of spend still working at each lag (recursive geometric: lags until theta^lag < 1e-6, at most 52).';
COMMENT ON COLUMN mixmodel.adstock_curves.model IS 'model name';
COMMENT ON COLUMN mixmodel.adstock_curves.channel IS 'channel';
COMMENT ON COLUMN mixmodel.adstock_curves.lag IS 'periods after the spend, from 0';
COMMENT ON COLUMN mixmodel.adstock_curves.weight IS 'adstock of one unit spent at lag 0';

CREATE TABLE mixmodel.scores (
    model        text NOT NULL,
    run          integer NOT NULL,
    period       date NOT NULL,
    term         text NOT NULL,
    kind         text NOT NULL,
    contribution float8 NOT NULL,
    scored_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    spend        float8,
    PRIMARY KEY (model, run, period, term),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.scores IS 'Decomposition of every scored period by mixmodel.score: one row per period and term of a run; the terms of a period sum to its prediction. Rescoring a range replaces its rows.';
COMMENT ON COLUMN mixmodel.scores.contribution IS 'KPI units in the period (multiplicative models: the training''s nested log_share rule)';
COMMENT ON COLUMN mixmodel.scores.scored_at IS 'when the period was last scored';
COMMENT ON COLUMN mixmodel.scores.spend IS 'a paid channel''s spend in the period as the score read it (the model''s spend column, or the input itself); NULL for other terms';

CREATE FUNCTION mixmodel._period_spend(model pg_catalog.text, run pg_catalog.int4)
    RETURNS TABLE (channel pg_catalog.text, period pg_catalog.date, spend pg_catalog.float8)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 500
    SET search_path = pg_catalog, pg_temp
AS $$
    -- the run's own periods from the spend it was trained on, later periods from their scores
    SELECT c.channel, p.d::date, q.sp[(c.position - 1) * q.n + p.j::int]
      FROM mixmodel.runs r
     CROSS JOIN LATERAL (SELECT mixmodel._jf(r.inputs->'spend') AS sp, jsonb_array_length(r.inputs->'periods') AS n) q
      JOIN mixmodel.run_channels c ON c.model = r.model AND c.run = r.run AND c.paid
     CROSS JOIN LATERAL jsonb_array_elements_text(r.inputs->'periods') WITH ORDINALITY p(d, j)
     WHERE r.model = _period_spend.model AND r.run = _period_spend.run
    UNION ALL
    SELECT s.term, s.period, s.spend
      FROM mixmodel.scores s
     WHERE s.model = _period_spend.model AND s.run = _period_spend.run AND s.kind = 'channel'
       AND NOT EXISTS (SELECT 1 FROM mixmodel.run_fit f WHERE f.model = s.model AND f.run = s.run AND f.period = s.period)
$$;
COMMENT ON FUNCTION mixmodel._period_spend(pg_catalog.text, pg_catalog.int4) IS
'Internal: spend per paid channel and period of a run: its training data''s spend over the run''s periods, the scored spend (mixmodel.scores.spend) after them.';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.scores', '');

CREATE FUNCTION mixmodel.score(model pg_catalog.text, from_date pg_catalog.date, to_date pg_catalog.date,
        run pg_catalog.int4 DEFAULT NULL)
    RETURNS TABLE (term pg_catalog.text, kind pg_catalog.text, periods pg_catalog.int4,
                   contribution pg_catalog.float8, share pg_catalog.float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k int;
    r mixmodel.runs;
    ri jsonb;
    i jsonb;
    n int; t0 int; te int; a int; b int; nc int; nf int; len int;
    n_run int; off int; warm int; step int;
    ch mixmodel.run_channels;
    names text[] := '{}';
    kinds text[] := '{}';
    vals float8[] := '{}';
    v float8[];
    z float8[];
    icpt float8;
    gam float8;
    mult boolean;
    t int; c int;
    g float8[]; f float8[]; pc float8[]; pf float8[];
    per date[];
    sp float8[];
BEGIN
    PERFORM mixmodel._check_date_range(from_date, to_date);
    k := mixmodel._score_run(model, run);
    -- scorings and trainings of one model queue here
    PERFORM 1 FROM mixmodel.models m WHERE m.name = model FOR UPDATE;
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = score.model AND x.run = k;
    ri := r.inputs;
    mult := ri->>'form' = 'multiplicative';
    -- the model's data over the training window and the range, resolved as training resolves it
    i := mixmodel._model_inputs(model, least(from_date, r.from_date), greatest(to_date, r.to_date), scoring => true);
    IF i->'channels' <> ri->'channels' OR i->'fixed' <> ri->'fixed' THEN
        RAISE EXCEPTION 'the terms of model "%" changed since run %', model, k USING ERRCODE = '55000',
            HINT = 'Train the model again.';
    END IF;
    per := ARRAY(SELECT e::date FROM jsonb_array_elements_text(i->'periods') e);
    n := cardinality(per);
    t0 := (i->>'t0')::int;
    te := t0 + n;
    nc := jsonb_array_length(i->'channels');
    nf := jsonb_array_length(i->'fixed');
    SELECT min(gs.j) - 1, max(gs.j) - 1 INTO a, b FROM generate_subscripts(per, 1) gs(j)
     WHERE per[gs.j] >= from_date AND per[gs.j] <= to_date;
    IF a IS NULL THEN
        RAISE EXCEPTION 'the range holds no data of model "%"', model USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s; the data ends %s.', from_date, to_date, per[n]);
    END IF;
    len := b - a + 1;
    -- the adstock warm-up: before the training window, a range needs the carry-over history
    -- of its channels (max_lag periods, or until theta^lag < 0.01 for the recursive form)
    IF per[a + 1] < r.from_date THEN
        SELECT max(CASE WHEN x.max_lag >= 0 THEN x.max_lag WHEN x.adstock_p1 <= 0 THEN 0
                        ELSE least(52, ceil(ln(0.01) / ln(x.adstock_p1))::int) END)
          INTO warm FROM mixmodel.run_channels x WHERE x.model = score.model AND x.run = k;
        IF t0 + a < warm THEN
            step := CASE WHEN n > 1 THEN per[2] - per[1] ELSE 7 END;
            RAISE EXCEPTION 'the range starts before the adstock warm-up of model "%"', model USING ERRCODE = '22023',
                DETAIL = format('Its adstock needs %s periods of history; the first period that has them is %s.',
                                warm, per[1] + step * (warm - t0)),
                HINT = 'Start the range later, or load older spend.';
        END IF;
    END IF;

    -- intercept, channels, fixed regressors: values of the range, period-major per term
    SELECT x.coef INTO icpt FROM mixmodel.run_coefficients x
     WHERE x.model = score.model AND x.run = k AND x.kind = 'intercept';
    FOR ch IN SELECT * FROM mixmodel.run_channels x WHERE x.model = score.model AND x.run = k ORDER BY x.position LOOP
        v := mixmodel._channel_term(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                 ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale, ch.coef,
                 (mixmodel._jf(i->'x'))[(ch.position - 1) * te + 1 : ch.position * te]);
        names := names || ch.channel;
        kinds := kinds || CASE WHEN ch.paid THEN 'channel' ELSE 'organic' END;
        vals := vals || v[t0 + a + 1 : t0 + b + 1];
    END LOOP;
    z := mixmodel._jf(i->'z');
    n_run := jsonb_array_length(ri->'periods');
    off := array_position(per, r.from_date) - 1;
    FOR c IN 1 .. nf LOOP
        SELECT x.coef INTO gam FROM mixmodel.run_coefficients x
         WHERE x.model = score.model AND x.run = k AND x.term = i->'fixed'->>(c - 1);
        names := names || (i->'fixed'->>(c - 1));
        kinds := kinds || (i->'fixed_kinds'->>(c - 1));
        IF i->'fixed_kinds'->>(c - 1) = 'trend' THEN
            -- the trend runs over the training window: 0 at its start, 1 at its end
            vals := vals || ARRAY(SELECT gam * (gs.j - off)::float8 / greatest(n_run - 1, 1) FROM generate_series(a, b) gs(j) ORDER BY gs.j);
        ELSE
            vals := vals || ARRAY(SELECT gam * z[(c - 1) * n + gs.j + 1] FROM generate_series(a, b) gs(j) ORDER BY gs.j);
        END IF;
    END LOOP;
    -- multiplicative: the training's nested log_share (channels share L(y, B), fixed terms L(B, P))
    IF mult THEN
        FOR t IN 1 .. len LOOP
            g := ARRAY(SELECT vals[(gc.q - 1) * len + t] FROM generate_series(1, nc) gc(q) ORDER BY gc.q);
            f := ARRAY(SELECT vals[(nc + gc.q - 1) * len + t] FROM generate_series(1, nf) gc(q) ORDER BY gc.q);
            pc := mixmodel._decompose_log_share(exp(icpt + coalesce((SELECT sum(e) FROM unnest(f) e), 0)), g);
            pf := mixmodel._decompose_log_share(exp(icpt), f);
            FOR c IN 1 .. nc LOOP vals[(c - 1) * len + t] := pc[c]; END LOOP;
            FOR c IN 1 .. nf LOOP vals[(nc + c - 1) * len + t] := pf[c]; END LOOP;
        END LOOP;
        icpt := exp(icpt);
    END IF;

    DELETE FROM mixmodel.scores s WHERE s.model = score.model AND s.run = k
       AND s.period >= from_date AND s.period <= to_date;
    sp := mixmodel._jf(i->'spend');   -- channels x n, the window's periods; 0 for organic channels
    INSERT INTO mixmodel.scores (model, run, period, term, kind, contribution, spend)
    SELECT score.model, k, per[a + gt.j], '(intercept)', 'intercept', icpt, NULL FROM generate_series(1, len) gt(j)
    UNION ALL
    SELECT score.model, k, per[a + gt.j], names[gc.q], kinds[gc.q], vals[(gc.q - 1) * len + gt.j],
           CASE WHEN kinds[gc.q] = 'channel' THEN sp[(gc.q - 1) * n + a + gt.j] END
      FROM generate_series(1, nc + nf) gc(q), generate_series(1, len) gt(j);
    PERFORM mixmodel._aggregate_score(score.model, k, from_date, to_date, i);

    RETURN QUERY
    SELECT s.term, s.kind, count(*)::int, sum(s.contribution), sum(s.contribution) / nullif(sum(sum(s.contribution)) OVER (), 0)
      FROM mixmodel.scores s
     WHERE s.model = score.model AND s.run = k AND s.period >= from_date AND s.period <= to_date
     GROUP BY s.term, s.kind
     ORDER BY min(CASE s.kind WHEN 'intercept' THEN 0 WHEN 'channel' THEN 1 WHEN 'organic' THEN 2 ELSE 3 END), s.term;
END $$;
COMMENT ON FUNCTION mixmodel.score(pg_catalog.text, pg_catalog.date, pg_catalog.date, pg_catalog.int4) IS
'Scores a run (default: the model''s current run) over a date range, also after training: reads the model''s data again, decomposes the prediction of every period into intercept, channels, organic channels and fixed terms (summing to the prediction), replaces the range''s rows of mixmodel.scores and returns per term the number of periods, the contribution and its share of the range''s prediction. Never touches plans.';

CREATE VIEW mixmodel.contributions AS
SELECT d.model, d.run, d.period, d.term, d.kind, d.contribution, 'training'::pg_catalog.text AS source
  FROM mixmodel.run_decomposition d
UNION ALL
SELECT s.model, s.run, s.period, s.term, s.kind, s.contribution, 'score'::pg_catalog.text
  FROM mixmodel.scores s;
COMMENT ON VIEW mixmodel.contributions IS 'Contribution of every term per period, long format: the training decomposition of every run and the periods mixmodel.score scored (the terms of a period and source sum to its prediction).';
COMMENT ON COLUMN mixmodel.contributions.model IS 'model name';
COMMENT ON COLUMN mixmodel.contributions.run IS 'training run';
COMMENT ON COLUMN mixmodel.contributions.period IS 'first day of the period';
COMMENT ON COLUMN mixmodel.contributions.term IS 'channel, organic channel, factor, trend, season_sin/cos k, holiday or (intercept)';
COMMENT ON COLUMN mixmodel.contributions.kind IS 'intercept, channel, organic, trend, season, holiday or factor';
COMMENT ON COLUMN mixmodel.contributions.contribution IS 'KPI units in the period (multiplicative models: log_share rule, formulas §2.2)';
COMMENT ON COLUMN mixmodel.contributions.source IS 'training (run_decomposition) or score (mixmodel.scores)';

CREATE FUNCTION mixmodel.contribution(model pg_catalog.text, from_date pg_catalog.date, to_date pg_catalog.date)
    RETURNS TABLE (term pg_catalog.text, kind pg_catalog.text, periods pg_catalog.int4, contribution pg_catalog.float8,
                   revenue pg_catalog.float8, conversions pg_catalog.float8, spend pg_catalog.float8,
                   roi pg_catalog.float8, share pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text := model;
    d0 date := from_date;
    d1 date := to_date;
    k int;
    rpk float8;
    cpk float8;
BEGIN
    PERFORM mixmodel._check_date_range(d0, d1);
    k := mixmodel._score_run(m_name);
    SELECT f.revenue_per_kpi, f.conversions_per_kpi INTO rpk, cpk
      FROM mixmodel._model_kpi_units(m_name) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d WHERE d.model = m_name AND d.run = k AND d.period BETWEEN d0 AND d1)
       AND NOT EXISTS (SELECT 1 FROM mixmodel.scores s WHERE s.model = m_name AND s.run = k AND s.period BETWEEN d0 AND d1) THEN
        RAISE EXCEPTION 'the range holds no trained or scored periods of model "%"', m_name USING ERRCODE = '22000',
            DETAIL = format('Range %s to %s.', d0, d1),
            HINT = 'Score the range first with mixmodel.score.';
    END IF;
    RETURN QUERY
    WITH w AS (
        -- a period's training decomposition, else its scores (as touchpoint_breakdown)
        SELECT d.period, d.term, d.kind, d.contribution FROM mixmodel.run_decomposition d
         WHERE d.model = m_name AND d.run = k AND d.period BETWEEN d0 AND d1
        UNION ALL
        SELECT s.period, s.term, s.kind, s.contribution FROM mixmodel.scores s
         WHERE s.model = m_name AND s.run = k AND s.period BETWEEN d0 AND d1
           AND NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d
                            WHERE d.model = s.model AND d.run = s.run AND d.period = s.period)
    ), sp AS (
        SELECT ps.channel, ps.period, ps.spend FROM mixmodel._period_spend(m_name, k) ps
         WHERE ps.period BETWEEN d0 AND d1
    ), g AS (
        SELECT w.term, w.kind, count(*)::int AS n, sum(w.contribution) AS contribution,
               CASE WHEN count(sp.spend) = count(*) THEN sum(sp.spend) END AS spend,
               min(CASE w.kind WHEN 'intercept' THEN 0 WHEN 'channel' THEN 1 WHEN 'organic' THEN 2 ELSE 3 END) AS o
          FROM w LEFT JOIN sp ON sp.channel = w.term AND sp.period = w.period
         GROUP BY w.term, w.kind
    )
    SELECT g.term, g.kind, g.n, g.contribution, g.contribution * rpk, g.contribution * cpk, g.spend,
           (g.contribution * rpk - g.spend) / nullif(g.spend, 0),
           g.contribution / nullif(sum(g.contribution) OVER (), 0)
      FROM g ORDER BY g.o, g.term;
END $$;
COMMENT ON FUNCTION mixmodel.contribution(pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
'Contribution of every term of a model''s current run summed over a date range, for dbt: the training decomposition of the periods it covers, else the periods mixmodel.score scored (read only: it scores nothing); per term the periods summed, the contribution (KPI units), revenue and conversions (by the revenue per conversion of the training window, NULL when unknown), spend (paid channels, NULL when a period lies outside the run''s data), ROI = (revenue - spend) / spend and the share of the range''s prediction.';

CREATE VIEW mixmodel.synergy AS
SELECT m.name AS model, s.channel_a, s.channel_b, s.synergy, s.score_0_10
  FROM mixmodel.models m
  CROSS JOIN LATERAL mixmodel._run_synergy(m.name, m.current_run) s
 WHERE m.current_run IS NOT NULL;
COMMENT ON VIEW mixmodel.synergy IS 'Next-dollar synergy between the paid channels of every trained model''s current run over its training rows (formulas §4.7): the extra KPI when one more currency unit of each of two channels (spread by their weekly patterns) is spent together rather than apart, to first order; 0 for additive models, symmetric.';
COMMENT ON COLUMN mixmodel.synergy.model IS 'model name';
COMMENT ON COLUMN mixmodel.synergy.channel_a IS 'paid channel';
COMMENT ON COLUMN mixmodel.synergy.channel_b IS 'another paid channel';
COMMENT ON COLUMN mixmodel.synergy.synergy IS 'sum over the periods of yhat_t lift_a,t lift_b,t, KPI units';
COMMENT ON COLUMN mixmodel.synergy.score_0_10 IS '10 synergy / the model''s largest pair synergy (0 when none is positive)';

CREATE VIEW mixmodel.base_breakdown AS
SELECT d.model, d.term, d.kind, sum(d.contribution) AS contribution,
       sum(d.contribution) / nullif(sum(sum(d.contribution)) OVER (PARTITION BY d.model), 0) AS share_of_base
  FROM mixmodel.models m
  JOIN mixmodel.run_decomposition d ON d.model = m.name AND d.run = m.current_run
  JOIN mixmodel.run_fit f ON f.model = d.model AND f.run = d.run AND f.period = d.period AND NOT f.holdout
 WHERE d.kind NOT IN ('channel', 'organic')
 GROUP BY d.model, d.term, d.kind;
COMMENT ON VIEW mixmodel.base_breakdown IS 'The base of every trained model''s current run over its training rows (everything but paid and organic channels): the pure base (intercept) against each factor, trend, season and holiday term, with its share of the base.';
COMMENT ON COLUMN mixmodel.base_breakdown.model IS 'model name';
COMMENT ON COLUMN mixmodel.base_breakdown.term IS '(intercept), trend, season_sin/cos k, holiday or a factor';
COMMENT ON COLUMN mixmodel.base_breakdown.kind IS 'intercept (pure base), trend, season, holiday or factor';
COMMENT ON COLUMN mixmodel.base_breakdown.contribution IS 'KPI units over the training rows';
COMMENT ON COLUMN mixmodel.base_breakdown.share_of_base IS 'contribution / the base''s total (terms may be negative)';

CREATE VIEW mixmodel.touchpoint_breakdown AS
WITH cur AS (
    SELECT r.model, r.run, u.kpi_unit, f.revenue_per_kpi, f.conversions_per_kpi
      FROM mixmodel.models m JOIN mixmodel.runs r ON r.model = m.name AND r.run = m.current_run
     CROSS JOIN LATERAL mixmodel._model_kpi_units(m.name) u
     CROSS JOIN LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f
), sp AS (
    SELECT cur.model, ps.channel, ps.period, ps.spend FROM cur CROSS JOIN LATERAL mixmodel._period_spend(cur.model, cur.run) ps
), rows AS (
    SELECT d.model, d.run, d.period, d.term, d.contribution FROM cur JOIN mixmodel.run_decomposition d USING (model, run)
    UNION ALL
    SELECT s.model, s.run, s.period, s.term, s.contribution FROM cur JOIN mixmodel.scores s USING (model, run)
     WHERE NOT EXISTS (SELECT 1 FROM mixmodel.run_decomposition d
                        WHERE d.model = s.model AND d.run = s.run AND d.period = s.period)
)
SELECT w.model, w.period, w.term AS channel, sp.spend,
       w.contribution * cur.conversions_per_kpi AS conversions, w.contribution * cur.revenue_per_kpi AS revenue,
       (w.contribution * cur.revenue_per_kpi - sp.spend) / nullif(sp.spend, 0) AS roi,
       sp.spend / nullif(w.contribution * cur.conversions_per_kpi, 0) AS cpa,
       coalesce(NOT f.holdout, false) AS training_row,
       w.contribution, cur.kpi_unit
  FROM rows w
  JOIN cur ON cur.model = w.model
  JOIN mixmodel.run_channels c ON c.model = w.model AND c.run = w.run AND c.channel = w.term AND c.paid
  LEFT JOIN mixmodel.run_fit f ON f.model = w.model AND f.run = w.run AND f.period = w.period
  LEFT JOIN sp ON sp.model = w.model AND sp.channel = w.term AND sp.period = w.period;
COMMENT ON VIEW mixmodel.touchpoint_breakdown IS 'Weekly touchpoint breakdown (Adobe Mix Modeler): every paid channel of every trained model''s current run per period, from the training decomposition and the periods mixmodel.score scored beyond it, with the period''s spend (_period_spend: the run''s training data, then the scored spend), conversions, revenue, ROI and CPA. The contribution counts the KPI''s unit (kpi_unit); the other unit comes from the revenue per conversion of the training window (_model_kpi_units), NULL when unknown.';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.model IS 'model name';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.period IS 'first day of the period (week)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.channel IS 'paid channel (model input column or touchpoint)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.spend IS 'the channel''s model input in the period; NULL for scored periods outside the run''s data';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.conversions IS 'conversions attributed to the channel in the period: the contribution for a conversions KPI, contribution / revenue per conversion for a revenue KPI (NULL when that is unknown)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.revenue IS 'revenue attributed to the channel in the period: the contribution for a revenue KPI, contribution x revenue per conversion for a conversions KPI (NULL when that is unknown); for a multiplicative model the log_share rule';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.roi IS '(revenue - spend) / spend; NULL when spend is 0 or unknown, or revenue unknown';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.cpa IS 'spend / conversions; NULL when conversions are 0 or unknown, or spend unknown';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.training_row IS 'the period is a training row of the run (in the training window, not holdout): the rows channel_performance sums';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.contribution IS 'the channel''s contribution in the period, in KPI units (kpi_unit)';
COMMENT ON COLUMN mixmodel.touchpoint_breakdown.kpi_unit IS 'what the model''s KPI counts: revenue or conversions';
-- score: the aggregate score table in Adobe Mix Modeler's layout (doc/score.md)

CREATE TABLE mixmodel.aggregate_scores (
    model           text NOT NULL,
    run             integer NOT NULL,
    conversion      text NOT NULL,
    conversion_from date NOT NULL,
    conversion_to   date NOT NULL,
    touchpoint_from date NOT NULL,
    touchpoint_to   date NOT NULL,
    lag             integer NOT NULL,
    lag_weight      float8,
    channel         text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('channel', 'organic')),
    sub_channel     text,
    campaign        text,
    geo             text,
    spend           float8,
    contribution    float8 NOT NULL,
    conversions     float8,
    revenue         float8,
    scored_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    FOREIGN KEY (model, run) REFERENCES mixmodel.runs ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX aggregate_scores_window ON mixmodel.aggregate_scores (model, run, conversion_from, channel);
COMMENT ON TABLE mixmodel.aggregate_scores IS 'Aggregate scores in Adobe Mix Modeler''s layout, filled by mixmodel.score: one row per conversion window (scored period) x touchpoint window (the period whose spend earned the credit: adstock makes credit lag) x channel x sub-channel, campaign and geo, with the credited contribution, conversions and revenue. The rows of a conversion window and channel sum to the channel''s contribution in mixmodel.scores. Rescoring a range replaces its rows.';
COMMENT ON INDEX mixmodel.aggregate_scores_window IS 'Rescoring replaces the rows of a range of conversion windows.';
COMMENT ON COLUMN mixmodel.aggregate_scores.model IS 'model name';
COMMENT ON COLUMN mixmodel.aggregate_scores.run IS 'the scored run';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion IS 'conversion name (harmonized model) or KPI column (wide model): Adobe conversionName';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion_from IS 'first day of the conversion window (the scored period): Adobe conversionStartDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversion_to IS 'last day of the conversion window: Adobe conversionEndDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.touchpoint_from IS 'first day of the touchpoint window whose spend earned the credit: Adobe touchpointStartDate';
COMMENT ON COLUMN mixmodel.aggregate_scores.touchpoint_to IS 'last day of the touchpoint window: Adobe touchpointEndDate; one period, except the row gathering the lags past the last kept one';
COMMENT ON COLUMN mixmodel.aggregate_scores.lag IS 'periods from the touchpoint window''s last period to the conversion window (0 = same period)';
COMMENT ON COLUMN mixmodel.aggregate_scores.lag_weight IS 'the channel''s adstock weight at this lag over the sum of its weights: the share of one period''s spend working in the conversion window (over every lag it sums to 1); NULL on the row gathering several lags';
COMMENT ON COLUMN mixmodel.aggregate_scores.channel IS 'touchpoint (harmonized model) or model input column (wide model): Adobe mediaChannel';
COMMENT ON COLUMN mixmodel.aggregate_scores.kind IS 'channel (paid) or organic';
COMMENT ON COLUMN mixmodel.aggregate_scores.sub_channel IS 'harmonized channel_type_at_source of the touchpoint''s rows: Adobe mediaSubChannel; NULL where the data have none (always for wide models)';
COMMENT ON COLUMN mixmodel.aggregate_scores.campaign IS 'harmonized campaign: Adobe campaignName; NULL where the data have none';
COMMENT ON COLUMN mixmodel.aggregate_scores.geo IS 'harmonized geo; NULL where the data have none';
COMMENT ON COLUMN mixmodel.aggregate_scores.spend IS 'the touchpoint window''s spend of the slice times lag_weight, so a period''s spend summed over its conversion windows is its spend; NULL for organic channels (their input is volume)';
COMMENT ON COLUMN mixmodel.aggregate_scores.contribution IS 'KPI units credited (the model''s decomposition, split by adstock lag and by the slice''s share of the touchpoint window)';
COMMENT ON COLUMN mixmodel.aggregate_scores.conversions IS 'conversions credited: Adobe contribution; the contribution when the KPI counts conversions, else contribution / revenue per conversion (_model_kpi_units; NULL when unknown)';
COMMENT ON COLUMN mixmodel.aggregate_scores.revenue IS 'revenue credited: Adobe revenue; the contribution when the KPI is revenue, else contribution x revenue per conversion (NULL when unknown)';
COMMENT ON COLUMN mixmodel.aggregate_scores.scored_at IS 'when the conversion window was last scored: Adobe scoreCreatedTime';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.aggregate_scores', '');

-- a touchpoint's series per week and dimension slice: the rows its rule selects, grouped
CREATE FUNCTION mixmodel._touchpoint_slices(touchpoint pg_catalog.text)
    RETURNS TABLE (period pg_catalog.date, sub_channel pg_catalog.text, campaign pg_catalog.text,
                   geo pg_catalog.text, amount pg_catalog.float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 500
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t mixmodel.touchpoints;
    p record;
    w record;
BEGIN
    IF touchpoint IS NULL THEN
        RAISE EXCEPTION 'touchpoint must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO t FROM mixmodel.touchpoints x WHERE x.name = touchpoint;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'touchpoint "%" does not exist', touchpoint USING ERRCODE = '42704';
    END IF;
    SELECT * INTO p FROM mixmodel._series_period('week');
    SELECT * INTO w FROM mixmodel._rule_where(t.rule);
    -- the metric the model reads: spend for paid touchpoints, volume otherwise (as _model_inputs)
    RETURN QUERY EXECUTE format(
        'SELECT %1$s, h.channel_type_at_source::text, h.campaign::text, h.geo::text, pg_catalog.sum(h.%2$I)::float8
           FROM mixmodel.harmonized h WHERE %3$s
          GROUP BY 1, 2, 3, 4 HAVING pg_catalog.sum(h.%2$I) OPERATOR(pg_catalog.<>) 0
          ORDER BY 1, 2, 3, 4',
        p.expr, coalesce(t.spend_metric, t.volume_metric), w.clause)
    USING w.vals;
END $$;
COMMENT ON FUNCTION mixmodel._touchpoint_slices(pg_catalog.text) IS 'Internal: a touchpoint''s model input (spend when paid, else volume) per week and (channel_type_at_source, campaign, geo) slice of the harmonized rows its rule selects; slices summing to 0 left out.';

-- the aggregate scores of a scored range, from the inputs score resolved
CREATE FUNCTION mixmodel._aggregate_score(model pg_catalog.text, run pg_catalog.int4,
        from_date pg_catalog.date, to_date pg_catalog.date, inputs pg_catalog.jsonb)
    RETURNS pg_catalog.int8
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    ch mixmodel.run_channels;
    per date[];
    n int; t0 int; te int; step int; lcut int;
    xa float8[]; x float8[]; w float8[];
    wsum float8;
    conv text;
    chans jsonb;
    rev_k float8;
    conv_k float8;
    cnt bigint;
    total bigint := 0;
BEGIN
    IF model IS NULL OR run IS NULL OR from_date IS NULL OR to_date IS NULL OR inputs IS NULL THEN
        RAISE EXCEPTION '_aggregate_score arguments must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    SELECT r.inputs->'channels' INTO chans FROM mixmodel.runs r WHERE r.model = _aggregate_score.model AND r.run = _aggregate_score.run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    IF jsonb_typeof(inputs->'periods') IS DISTINCT FROM 'array' OR jsonb_typeof(inputs->'x') IS DISTINCT FROM 'array'
       OR jsonb_typeof(inputs->'t0') IS DISTINCT FROM 'number' THEN
        RAISE EXCEPTION 'inputs must be the model inputs mixmodel.score resolved' USING ERRCODE = '22023';
    END IF;
    per := ARRAY(SELECT e::date FROM jsonb_array_elements_text(inputs->'periods') e);
    n := cardinality(per);
    t0 := (inputs->>'t0')::int;
    te := t0 + n;
    xa := mixmodel._jf(inputs->'x');
    IF n = 0 OR t0 < 0 OR inputs->'channels' IS DISTINCT FROM chans OR cardinality(xa) <> te * jsonb_array_length(chans) THEN
        RAISE EXCEPTION 'inputs do not match run % of model "%"', run, model USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM mixmodel.scores s WHERE s.model = _aggregate_score.model AND s.run = _aggregate_score.run
                  AND s.period >= from_date AND s.period <= to_date AND NOT s.period = ANY (per)) THEN
        RAISE EXCEPTION 'inputs do not cover the scored periods of run % of model "%"', run, model USING ERRCODE = '22023';
    END IF;
    step := CASE WHEN n > 1 THEN per[2] - per[1] ELSE 7 END;
    SELECT f.revenue_per_kpi, f.conversions_per_kpi INTO rev_k, conv_k
      FROM mixmodel._model_kpi_units(model) u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
    conv := CASE m.source_kind WHEN 'harmonized' THEN m.definition->>'conversion' ELSE m.definition->>'kpi' END;

    DELETE FROM mixmodel.aggregate_scores a WHERE a.model = _aggregate_score.model AND a.run = _aggregate_score.run
       AND a.conversion_from >= from_date AND a.conversion_from <= to_date;
    FOR ch IN SELECT * FROM mixmodel.run_channels c
               WHERE c.model = _aggregate_score.model AND c.run = _aggregate_score.run ORDER BY c.position LOOP
        x := xa[(ch.position - 1) * te + 1 : ch.position * te];
        -- the channel's lag weights over the whole input (so whole-series adstocks get theirs)
        w := mixmodel._adstock_impulse(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize, te - 1);
        SELECT sum(e ORDER BY j) INTO wsum FROM unnest(w) WITH ORDINALITY u(e, j);
        -- lags kept one by one: up to the last weight >= 1e-9 of the sum, at most 52; older lags share a row
        SELECT least(52, coalesce(max(j) - 1, 0)) INTO lcut FROM unnest(w) WITH ORDINALITY u(e, j) WHERE e >= 1e-9 * wsum;
        INSERT INTO mixmodel.aggregate_scores (model, run, conversion, conversion_from, conversion_to, touchpoint_from,
               touchpoint_to, lag, lag_weight, channel, kind, sub_channel, campaign, geo, spend, contribution,
               conversions, revenue)
        WITH cv AS (
            -- the channel's scored periods; tc = their 1-based index in x
            SELECT s.period, s.kind, s.contribution, t0 + array_position(per, s.period) AS tc
              FROM mixmodel.scores s
             WHERE s.model = _aggregate_score.model AND s.run = _aggregate_score.run AND s.term = ch.channel
               AND s.period >= from_date AND s.period <= to_date
        ), parts AS (
            -- a_t = sum_l w_l x_{t-l}: the part of every source period s = t - l
            SELECT cv.tc, g.s, cv.tc - g.s AS l, w[cv.tc - g.s + 1] * x[g.s] AS part
              FROM cv, generate_series(1, cv.tc) g(s)
             WHERE x[g.s] <> 0 AND w[cv.tc - g.s + 1] <> 0
        ), credit AS (
            -- credit of each lag (older lags gathered) = contribution x its part of a_t;
            -- nothing in reach (a_t = 0, no parts): the contribution (0) stays in its own period
            SELECT cv.period, cv.kind, coalesce(b.s_lo, cv.tc) AS s_lo, coalesce(b.s_hi, cv.tc) AS s_hi,
                   coalesce(b.lag, 0) AS lag,
                   CASE WHEN b.tc IS NULL THEN w[1] / nullif(wsum, 0) ELSE b.lag_weight END AS lag_weight,
                   coalesce(b.spend, 0) AS spend,
                   CASE WHEN b.tc IS NULL THEN cv.contribution
                        ELSE cv.contribution * (b.part / sum(b.part) OVER (PARTITION BY cv.tc)) END AS contribution
              FROM cv LEFT JOIN (
                  SELECT p.tc, min(p.s) AS s_lo, max(p.s) AS s_hi, min(p.l) AS lag,
                         CASE WHEN count(*) = 1 THEN min(w[p.l + 1]) / wsum END AS lag_weight,
                         sum(x[p.s] * w[p.l + 1] / wsum) AS spend, sum(p.part) AS part
                    FROM parts p GROUP BY p.tc, least(p.l, lcut + 1)) b ON b.tc = cv.tc
        ), cw AS (
            -- tf .. tl: the first and last period of the touchpoint window
            SELECT c.*, per[1] + step * (c.s_lo - 1 - t0) AS tf, per[1] + step * (c.s_hi - 1 - t0) AS tl FROM credit c
        ), sl AS MATERIALIZED (
            SELECT * FROM mixmodel._touchpoint_slices(ch.channel) WHERE m.source_kind = 'harmonized'
        ), d AS (
            -- the slices' share of the channel's input over each distinct touchpoint window
            SELECT win.tf, win.tl, q.sub_channel, q.campaign, q.geo,
                   sum(q.amount) / nullif(sum(sum(q.amount)) OVER (PARTITION BY win.tf, win.tl), 0) AS share
              FROM (SELECT DISTINCT cw.tf, cw.tl FROM cw) win
              JOIN sl q ON q.period >= win.tf AND q.period <= win.tl
             GROUP BY win.tf, win.tl, q.sub_channel, q.campaign, q.geo
        )
        SELECT _aggregate_score.model, _aggregate_score.run, conv, c.period, c.period + step - 1,
               c.tf, c.tl + step - 1, c.lag, c.lag_weight, ch.channel, c.kind, d.sub_channel, d.campaign, d.geo,
               CASE WHEN ch.paid THEN c.spend * coalesce(d.share, 1) END, v.contribution,
               v.contribution * conv_k, v.contribution * rev_k
          FROM cw c
          LEFT JOIN d ON d.tf = c.tf AND d.tl = c.tl
         CROSS JOIN LATERAL (SELECT c.contribution * coalesce(d.share, 1) AS contribution) v;
        GET DIAGNOSTICS cnt = ROW_COUNT;
        total := total + cnt;
    END LOOP;
    RETURN total;
END $$;
COMMENT ON FUNCTION mixmodel._aggregate_score(pg_catalog.text, pg_catalog.int4, pg_catalog.date, pg_catalog.date, pg_catalog.jsonb) IS
'Internal: replaces the aggregate_scores rows of a run''s scored range from the mixmodel.scores rows and the inputs score resolved: each channel''s contribution in a period is split over the source periods t - l by w_l x_{t-l} / a_t (its adstock), then over the slices of the touchpoint window by their share of its input; returns the rows written.';
-- plan: the C half of create_plan for multiplicative models (doc/plan.md "Multiplicative models").

CREATE FUNCTION mixmodel._plan_core_mult(adstock text[], adstock_p1 float8[], adstock_p2 float8[],
        max_lag integer[], adstock_normalize boolean[], saturation text[], sat_p1 float8[], sat_p2 float8[],
        input_scale float8[], coef float8[], history float8[], periods integer,
        flight_from integer[], flight_to integer[], budget float8[], lower float8[], upper float8[],
        pattern float8[], fitted float8[], gap integer, start_share float8[],
        target float8[] DEFAULT NULL, max_total float8 DEFAULT 'Infinity', goal text DEFAULT 'volume',
        OUT horizon integer, OUT x float8[], OUT incr float8[], OUT total float8[],
        OUT marginal float8[], OUT flight_marginal float8[], OUT lambda float8[],
        OUT kkt_residual float8, OUT goal_budget float8[], OUT achievable boolean[], OUT best float8[],
        OUT base float8[], OUT certificate jsonb, OUT term_incr float8[], OUT term_total float8[])
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'plan_core_mult';
COMMENT ON FUNCTION mixmodel._plan_core_mult(text[], float8[], float8[], integer[], boolean[], text[], float8[], float8[], float8[], float8[], float8[], integer, integer[], integer[], float8[], float8[], float8[], float8[], float8[], integer, float8[], float8[], float8, text) IS
'Internal (create_plan, multiplicative models): budget plan (or, with target, per flight in time order under max_total: goal volume, the least budget whose optimal plan adds target to the forecast; goal ratio, the largest budget whose optimal plan adds at least target per unit budget, by a 48-budget geometric scan refined by Brent) of fitted channels (log-KPI run_channels specs) over flights, maximising sum_t B_t exp(G_t) by multi-start pair exchanges; B_t is the fit''s same week last year (fitted: predictions of the last data weeks) with the paid channels removed. Returns weekly spend, the forecast split by log_share, marginals, base, and the certificate (KKT residual, reduced Hessian, box concavity, starts agreeing) as arrays ([channel * horizon + week]) and jsonb; term_incr and term_total repeat incr and total (one term per channel) for create_plan''s per-term forecast.';
-- plan: create_plan over a trained model, its tables, compare and duplicate (doc/plan.md).

CREATE TABLE mixmodel.plans (
    name                   text PRIMARY KEY,
    model                  text NOT NULL REFERENCES mixmodel.models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    run                    integer NOT NULL,
    goal                   text NOT NULL CHECK (goal IN ('budget', 'target')),
    target_metric          text NOT NULL CHECK (target_metric IN ('conversions', 'revenue', 'cpa', 'roi')),
    max_budget             float8,
    spend_pattern          jsonb NOT NULL,
    kpi_unit               text NOT NULL CHECK (kpi_unit IN ('revenue', 'conversions')),
    revenue_per_conversion float8,
    arguments              jsonb NOT NULL,
    kkt_residual           float8,
    optimality             jsonb,
    created_at             timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mixmodel.plans IS 'Budget plans made by mixmodel.create_plan: the model run they use, goal, arguments (to rebuild or duplicate the plan) and the optimality certificate.';
COMMENT ON COLUMN mixmodel.plans.name IS 'Plan name; create_plan with the same name replaces the plan.';
COMMENT ON COLUMN mixmodel.plans.model IS 'Model whose current run gives the response curves.';
COMMENT ON COLUMN mixmodel.plans.run IS 'Run of the model used.';
COMMENT ON COLUMN mixmodel.plans.goal IS 'budget: maximise the forecast of the given budgets; target: least spend reaching a target.';
COMMENT ON COLUMN mixmodel.plans.target_metric IS 'conversions or revenue (maximised, or volume targets); cpa or roi (ratio targets).';
COMMENT ON COLUMN mixmodel.plans.max_budget IS 'Cap on the total spend over all flights (NULL: none).';
COMMENT ON COLUMN mixmodel.plans.spend_pattern IS 'Spend within a flight: "automatic" (every week optimised), "flat", or {"reference_from": date}.';
COMMENT ON COLUMN mixmodel.plans.kpi_unit IS 'What the model''s KPI counts: revenue or conversions.';
COMMENT ON COLUMN mixmodel.plans.revenue_per_conversion IS 'Average revenue per conversion used to convert between revenue and conversions (NULL when unknown).';
COMMENT ON COLUMN mixmodel.plans.arguments IS 'The create_plan arguments as given.';
COMMENT ON COLUMN mixmodel.plans.kkt_residual IS 'Largest relative violation of the optimality (KKT) conditions over the flights.';
COMMENT ON COLUMN mixmodel.plans.optimality IS 'Multiplicative models: the coupled solver''s certificate: optimum "global" (objective concave on the feasible box) or "multi-start local", concave_at_solution, hessian_max, starts, starts_agreed; for CPA and ROI targets target_search, the grid scan of budgets and its limit (NULL for additive models, whose KKT point is global for concave curves).';
COMMENT ON COLUMN mixmodel.plans.created_at IS 'When the plan was (re)built.';

CREATE TABLE mixmodel.plan_flights (
    plan        text NOT NULL REFERENCES mixmodel.plans (name) ON UPDATE CASCADE ON DELETE CASCADE,
    flight      integer NOT NULL,
    from_date   date NOT NULL,
    to_date     date NOT NULL,
    budget      float8,
    target      float8,
    spend       float8,
    lambda      float8,
    achievable  boolean,
    best        float8,
    PRIMARY KEY (plan, flight)
);
COMMENT ON TABLE mixmodel.plan_flights IS 'Flights of a plan: date range, budget or target, and the result (spend, budget multiplier, whether the target is reachable).';
COMMENT ON COLUMN mixmodel.plan_flights.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_flights.flight IS 'Flight number, from 1 in time order.';
COMMENT ON COLUMN mixmodel.plan_flights.from_date IS 'First day of the flight; it holds the model weeks starting on or after it.';
COMMENT ON COLUMN mixmodel.plan_flights.to_date IS 'Last day of the flight; weeks starting on or before it.';
COMMENT ON COLUMN mixmodel.plan_flights.budget IS 'Budget given (goal budget), or NULL.';
COMMENT ON COLUMN mixmodel.plan_flights.target IS 'Target given (goal target) in target_metric units, or NULL.';
COMMENT ON COLUMN mixmodel.plan_flights.spend IS 'Planned spend of the flight.';
COMMENT ON COLUMN mixmodel.plan_flights.lambda IS 'Budget multiplier: forecast KPI per extra unit of flight budget (the equal marginal return of channels not at a bound).';
COMMENT ON COLUMN mixmodel.plan_flights.achievable IS 'Goal target: whether the target is reached within the caps.';
COMMENT ON COLUMN mixmodel.plan_flights.best IS 'Goal target: best reachable value of target_metric (when not achievable, what the plan reaches).';

CREATE TABLE mixmodel.plan_constraints (
    plan      text NOT NULL REFERENCES mixmodel.plans (name) ON UPDATE CASCADE ON DELETE CASCADE,
    flight    integer NOT NULL,
    channel   text NOT NULL,
    min_spend float8 NOT NULL,
    max_spend float8,
    PRIMARY KEY (plan, flight, channel)
);
COMMENT ON TABLE mixmodel.plan_constraints IS 'Resolved spend bounds of every channel in every flight of a plan (currency; percentages of the budget already applied).';
COMMENT ON COLUMN mixmodel.plan_constraints.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_constraints.flight IS 'Flight number.';
COMMENT ON COLUMN mixmodel.plan_constraints.channel IS 'Paid channel of the model.';
COMMENT ON COLUMN mixmodel.plan_constraints.min_spend IS 'Least spend of the channel in the flight.';
COMMENT ON COLUMN mixmodel.plan_constraints.max_spend IS 'Most spend of the channel in the flight (NULL: no cap).';

CREATE TABLE mixmodel.plan_allocations (
    plan        text NOT NULL REFERENCES mixmodel.plans (name) ON UPDATE CASCADE ON DELETE CASCADE,
    flight      integer NOT NULL,
    week        date NOT NULL,
    channel     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('paid', 'base')),
    spend       float8 NOT NULL,
    volume      float8,
    kpi         float8 NOT NULL,
    incremental float8 NOT NULL,
    conversions float8,
    revenue     float8,
    roi         float8,
    cpa         float8,
    marginal    float8,
    PRIMARY KEY (plan, week, channel)
);
COMMENT ON TABLE mixmodel.plan_allocations IS 'Plan forecast per channel and week (long format): spend, volume, KPI contribution including carry-over from history and from earlier weeks, conversions, revenue, ROI, CPA. Channel "base" (kind base) is everything but paid media: intercept, trend, seasonality, holidays, factors and organic channels.';
COMMENT ON COLUMN mixmodel.plan_allocations.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_allocations.flight IS 'Flight the week belongs to (weeks after a flight, where its carry-over lands, belong to it).';
COMMENT ON COLUMN mixmodel.plan_allocations.week IS 'Week start, on the model''s weekly grid.';
COMMENT ON COLUMN mixmodel.plan_allocations.channel IS 'Paid channel, or "base".';
COMMENT ON COLUMN mixmodel.plan_allocations.kind IS 'paid or base.';
COMMENT ON COLUMN mixmodel.plan_allocations.spend IS 'Planned spend in the week.';
COMMENT ON COLUMN mixmodel.plan_allocations.volume IS 'Spend converted to volume (impressions, clicks ...) by the channel cost; NULL when unknown.';
COMMENT ON COLUMN mixmodel.plan_allocations.kpi IS 'Forecast KPI contribution in the week, including the carry-over of spend before the week (history and plan).';
COMMENT ON COLUMN mixmodel.plan_allocations.incremental IS 'Part of kpi due to the plan''s spend (kpi minus what history alone leaves in the week).';
COMMENT ON COLUMN mixmodel.plan_allocations.conversions IS 'kpi in conversions (NULL when a revenue KPI has no revenue per conversion).';
COMMENT ON COLUMN mixmodel.plan_allocations.revenue IS 'kpi in revenue (NULL when a conversions KPI has no revenue per conversion).';
COMMENT ON COLUMN mixmodel.plan_allocations.roi IS 'Incremental revenue / spend - 1 in the week (NULL without spend).';
COMMENT ON COLUMN mixmodel.plan_allocations.cpa IS 'Spend / incremental conversions in the week (NULL without either).';
COMMENT ON COLUMN mixmodel.plan_allocations.marginal IS 'KPI of one more unit of spend in this week (over the whole horizon).';

CREATE TABLE mixmodel.plan_summary (
    plan        text NOT NULL REFERENCES mixmodel.plans (name) ON UPDATE CASCADE ON DELETE CASCADE,
    flight      integer NOT NULL,
    channel     text NOT NULL,
    spend       float8 NOT NULL,
    share       float8,
    historical_share float8,
    kpi         float8 NOT NULL,
    incremental float8 NOT NULL,
    conversions float8,
    revenue     float8,
    roi         float8,
    cpa         float8,
    marginal    float8,
    min_spend   float8,
    max_spend   float8,
    PRIMARY KEY (plan, flight, channel)
);
COMMENT ON TABLE mixmodel.plan_summary IS 'Plan totals per flight and channel, with rows "base" (non-paid part of the forecast) and "total" (paid channels plus base) per flight.';
COMMENT ON COLUMN mixmodel.plan_summary.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_summary.flight IS 'Flight number.';
COMMENT ON COLUMN mixmodel.plan_summary.channel IS 'Paid channel, "base" or "total".';
COMMENT ON COLUMN mixmodel.plan_summary.spend IS 'Planned spend in the flight.';
COMMENT ON COLUMN mixmodel.plan_summary.share IS 'Share of the flight''s spend.';
COMMENT ON COLUMN mixmodel.plan_summary.historical_share IS 'Share of the channel in the paid spend of the model''s training window.';
COMMENT ON COLUMN mixmodel.plan_summary.kpi IS 'Forecast KPI over the flight''s weeks (and the lag tail for the last flight), including carry-over.';
COMMENT ON COLUMN mixmodel.plan_summary.incremental IS 'Part of kpi due to the plan''s spend.';
COMMENT ON COLUMN mixmodel.plan_summary.conversions IS 'kpi in conversions.';
COMMENT ON COLUMN mixmodel.plan_summary.revenue IS 'kpi in revenue.';
COMMENT ON COLUMN mixmodel.plan_summary.roi IS 'Incremental revenue / spend - 1 (paid channels; total: paid channels only).';
COMMENT ON COLUMN mixmodel.plan_summary.cpa IS 'Spend / incremental conversions (paid channels; total: paid channels only).';
COMMENT ON COLUMN mixmodel.plan_summary.marginal IS 'KPI of one more unit of the channel''s flight spend: along its spend pattern, or (automatic) in its best week; equal to the flight''s lambda for channels not at a bound.';
COMMENT ON COLUMN mixmodel.plan_summary.min_spend IS 'The channel''s lower bound in the flight.';
COMMENT ON COLUMN mixmodel.plan_summary.max_spend IS 'The channel''s upper bound in the flight (NULL: none).';

SELECT pg_catalog.pg_extension_config_dump('mixmodel.plans', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.plan_flights', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.plan_constraints', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.plan_allocations', '');
SELECT pg_catalog.pg_extension_config_dump('mixmodel.plan_summary', '');

CREATE TABLE mixmodel.plan_model_summary (
    plan        text NOT NULL REFERENCES mixmodel.plans (name) ON UPDATE CASCADE ON DELETE CASCADE,
    model       text NOT NULL,
    weight      float8 NOT NULL,
    flight      integer NOT NULL,
    channel     text NOT NULL,
    spend       float8 NOT NULL,
    kpi         float8 NOT NULL,
    incremental float8 NOT NULL,
    conversions float8,
    revenue     float8,
    roi         float8,
    cpa         float8,
    PRIMARY KEY (plan, model, flight, channel)
);
COMMENT ON TABLE mixmodel.plan_model_summary IS 'Forecast of a plan''s spend by each model of the plan (create_plan models: several conversions with a weighted objective; one row set for the plan''s model otherwise), per flight: the model''s paid channels and "paid" (their sum), each in the model''s own units and unweighted.';
COMMENT ON COLUMN mixmodel.plan_model_summary.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_model_summary.model IS 'A model of the plan (its current run when the plan was built).';
COMMENT ON COLUMN mixmodel.plan_model_summary.weight IS 'The model''s weight in the plan''s objective (sum of weight * the model''s forecast KPI).';
COMMENT ON COLUMN mixmodel.plan_model_summary.flight IS 'Flight number (its weeks and, for the last flight, the lag tail).';
COMMENT ON COLUMN mixmodel.plan_model_summary.channel IS 'Paid channel of the model, or "paid" (all of the model''s paid channels).';
COMMENT ON COLUMN mixmodel.plan_model_summary.spend IS 'Planned spend of the channel in the flight (paid: of the model''s channels).';
COMMENT ON COLUMN mixmodel.plan_model_summary.kpi IS 'The model''s forecast KPI contribution of the channel, carry-over from history included.';
COMMENT ON COLUMN mixmodel.plan_model_summary.incremental IS 'Part of kpi due to the plan''s spend.';
COMMENT ON COLUMN mixmodel.plan_model_summary.conversions IS 'kpi in conversions (NULL when a revenue KPI has no revenue per conversion).';
COMMENT ON COLUMN mixmodel.plan_model_summary.revenue IS 'kpi in revenue (NULL when a conversions KPI has no revenue per conversion).';
COMMENT ON COLUMN mixmodel.plan_model_summary.roi IS 'Incremental revenue / spend - 1 (NULL without spend or revenue per conversion).';
COMMENT ON COLUMN mixmodel.plan_model_summary.cpa IS 'Spend / incremental conversions (NULL without either).';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.plan_model_summary', '');

CREATE FUNCTION mixmodel._plan_core(adstock text[], adstock_p1 float8[], adstock_p2 float8[],
        max_lag integer[], adstock_normalize boolean[], saturation text[], sat_p1 float8[], sat_p2 float8[],
        input_scale float8[], coef float8[], history float8[], periods integer,
        flight_from integer[], flight_to integer[], budget float8[], lower float8[], upper float8[],
        pattern float8[], goal text, target float8[], max_total float8,
        term_channel integer[] DEFAULT NULL, term_weight float8[] DEFAULT NULL,
        OUT horizon integer, OUT x float8[], OUT incr float8[], OUT total float8[],
        OUT marginal float8[], OUT flight_marginal float8[], OUT lambda float8[],
        OUT kkt_residual float8, OUT goal_budget float8[], OUT achievable boolean[], OUT best float8[],
        OUT term_incr float8[], OUT term_total float8[])
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'plan_core';
COMMENT ON FUNCTION mixmodel._plan_core(text[], float8[], float8[], integer[], boolean[], text[], float8[], float8[], float8[], float8[], float8[], integer, integer[], integer[], float8[], float8[], float8[], float8[], text, float8[], float8, integer[], float8[]) IS
'Internal (create_plan): plans fitted channels (run_channels specs) with their spend history over flights; returns weekly spend, response and the certificate as arrays ([channel * horizon + week]). Several conversion models: the curve arrays hold one term per model and channel, term_channel (0-based, in order) and term_weight give each term''s channel and objective weight; term_incr and term_total are each term''s unweighted forecast ([term * horizon + week]).';

CREATE FUNCTION mixmodel.create_plan(name text, model text, goal text DEFAULT 'budget',
        flights jsonb DEFAULT NULL, target_metric text DEFAULT 'revenue', max_budget float8 DEFAULT NULL,
        constraints jsonb DEFAULT '{}', spend_pattern text DEFAULT 'automatic',
        revenue_per_conversion float8 DEFAULT NULL, channel_cost jsonb DEFAULT '{}', monthly boolean DEFAULT false,
        models jsonb DEFAULT NULL)
    RETURNS TABLE (flight integer, channel text, spend float8, share float8, historical_share float8,
                   kpi float8, revenue float8, conversions float8, roi float8, cpa float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    m mixmodel.models;
    r mixmodel.runs;
    i jsonb;
    def jsonb;
    plan_name text := name;
    nt int; nk int; nch int; np int; nh int; ngap int;
    last_p date; w0 date;
    f jsonb; k int; c int; t int; j int;
    ch text[]; pos int[];
    ad text[]; ap1 float8[]; ap2 float8[]; ml int[]; nm boolean[]; sa text[]; sp1 float8[]; sp2 float8[];
    sc float8[]; cf float8[]; hspend float8[];
    hist float8[] := '{}';
    ffrom int[] := '{}'; fto int[] := '{}'; fd_from date[] := '{}'; fd_to date[] := '{}';
    budget float8[] := '{}'; target float8[] := '{}';
    lo float8[]; hi float8[];
    pat float8[];
    kpi_unit text; rpc float8; rev_per_kpi float8; conv_per_kpi float8;
    ref_from date;
    cons jsonb; e jsonb; key text; v float8;
    core record;
    core_goal text := 'budget';
    core_target float8[];
    cap float8; hist_rate float8;
    d date; s float8;
    cost float8[];
    xcost float8[];
    nw int;
    -- several conversion models: names (the primary first), weights, current runs' inputs and
    -- options; response terms per (channel, model): channel tch, model tmod, history thist
    mods text[]; mws float8[]; mrow mixmodel.models; q int; ntq int;
    ins jsonb[] := '{}'; mopts jsonb[] := '{}';
    tch int[]; tmod int[]; thist float8[] := '{}'; trow float8[]; prim int[];
    mrev float8[]; mconv float8[];
    mult boolean;
    cert jsonb;
BEGIN
    IF name IS NULL OR model IS NULL OR goal IS NULL OR flights IS NULL OR target_metric IS NULL
       OR constraints IS NULL OR spend_pattern IS NULL OR channel_cost IS NULL THEN
        RAISE EXCEPTION 'create_plan arguments must not be NULL (except max_budget and revenue_per_conversion)' USING ERRCODE = '22004';
    END IF;
    -- several conversion models (formulas §5.3): maximise sum_m w_m KPI_m over model (weight 1
    -- unless models names it) and the other models named in models (in name order)
    mods := ARRAY[model]; mws := ARRAY[1::float8];
    IF models IS NOT NULL THEN
        IF jsonb_typeof(models) <> 'object' THEN
            RAISE EXCEPTION 'models must be a jsonb object of model names and weights' USING ERRCODE = '22023',
                HINT = 'For example {"m_revenue": 1, "m_signups": 0.5}.';
        END IF;
        FOR key, e IN SELECT x.key, x.value FROM jsonb_each(models) x ORDER BY x.key LOOP
            IF jsonb_typeof(e) <> 'number' OR NOT ((e::text)::float8 >= 0) THEN
                RAISE EXCEPTION 'weight of model "%" must be a non-negative number', key USING ERRCODE = '22023',
                    DETAIL = format('Got %s.', e);
            END IF;
            IF key = model THEN
                mws[1] := (e::text)::float8;
            ELSE
                mods := mods || key;
                mws := mws || (e::text)::float8;
            END IF;
        END LOOP;
        IF NOT 0 < ANY (mws) THEN
            RAISE EXCEPTION 'at least one model weight must be positive' USING ERRCODE = '22023',
                DETAIL = format('Weights: %s.', (SELECT string_agg(format('%s %s', x, w), ', ') FROM unnest(mods, mws) u(x, w)));
        END IF;
        IF cardinality(mods) = 1 THEN
            mws[1] := 1;            -- one model: its weight changes nothing but the units of lambda
        END IF;
    END IF;
    FOR q IN 1 .. cardinality(mods) LOOP
        SELECT * INTO mrow FROM mixmodel.models x WHERE x.name = mods[q];
        IF NOT FOUND THEN
            RAISE EXCEPTION 'model "%" does not exist', mods[q] USING ERRCODE = '42704';
        END IF;
        IF mrow.current_run IS NULL THEN
            RAISE EXCEPTION 'model "%" is not trained', mods[q] USING ERRCODE = '55000',
                HINT = 'Run mixmodel.train first.';
        END IF;
        IF coalesce(mrow.options->>'form', 'additive') = 'multiplicative' AND cardinality(mods) > 1 THEN
            RAISE EXCEPTION 'create_plan does not weigh multiplicative models with others' USING ERRCODE = '0A000',
                DETAIL = format('Model "%s" is multiplicative; several models are weighed for additive models only.', mods[q]),
                HINT = 'Plan the multiplicative model on its own.';
        END IF;
        IF q = 1 THEN
            m := mrow;
        END IF;
        ins := ins || (SELECT x.inputs FROM mixmodel.runs x WHERE x.model = mrow.name AND x.run = mrow.current_run);
        mopts := mopts || mrow.options;
    END LOOP;
    mult := coalesce(m.options->>'form', 'additive') = 'multiplicative';
    SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = m.current_run;
    i := r.inputs;
    def := m.definition;
    IF goal NOT IN ('budget', 'target') THEN
        RAISE EXCEPTION 'goal must be budget or target' USING ERRCODE = '22023', DETAIL = format('Got "%s".', goal);
    END IF;
    IF target_metric NOT IN ('conversions', 'revenue', 'cpa', 'roi') THEN
        RAISE EXCEPTION 'target_metric must be conversions, revenue, cpa or roi' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', target_metric);
    END IF;
    IF goal = 'budget' AND target_metric IN ('cpa', 'roi') THEN
        RAISE EXCEPTION 'a budget plan maximises conversions or revenue' USING ERRCODE = '22023',
            HINT = 'Use goal => ''target'' for a CPA or ROI target.';
    END IF;
    IF max_budget IS NOT NULL AND NOT (max_budget >= 0 AND max_budget < 'Infinity') THEN
        RAISE EXCEPTION 'max_budget must be a non-negative finite number' USING ERRCODE = '22023';
    END IF;

    -- model data: channels in model order, history up to the window's end
    last_p := (i->'periods'->>(jsonb_array_length(i->'periods') - 1))::date;
    -- every model on the primary's grid: same period length, same last period
    nt := 0;
    FOR q IN 1 .. cardinality(mods) LOOP
        IF (ins[q]->'periods'->>-1)::date - (ins[q]->'periods'->>-2)::date
           IS DISTINCT FROM (i->'periods'->>-1)::date - (i->'periods'->>-2)::date THEN
            RAISE EXCEPTION 'models of a plan must have the same period length' USING ERRCODE = '22023',
                DETAIL = format('Model "%s" has periods of %s days, model "%s" of %s.', mods[q],
                                (ins[q]->'periods'->>-1)::date - (ins[q]->'periods'->>-2)::date, model,
                                (i->'periods'->>-1)::date - (i->'periods'->>-2)::date);
        END IF;
        IF (ins[q]->'periods'->>-1)::date <> last_p THEN
            RAISE EXCEPTION 'models of a plan must end their data on the same period' USING ERRCODE = '22023',
                DETAIL = format('Model "%s" ends on %s, model "%s" on %s.', mods[q], ins[q]->'periods'->>-1, model,
                                to_char(last_p, 'YYYY-MM-DD')),
                HINT = 'Train the models on windows that end together.';
        END IF;
        nt := greatest(nt, jsonb_array_length(ins[q]->'x') / jsonb_array_length(ins[q]->'channels'));
    END LOOP;
    -- paid channels: the union, the primary model's in model order, then the others' new ones;
    -- one response term per channel and model that has it (channel-major, models in order)
    WITH tm AS (SELECT x.*, u.o AS mo FROM unnest(mods) WITH ORDINALITY u(mname, o)
                  JOIN mixmodel.models y ON y.name = u.mname
                  JOIN mixmodel.run_channels x ON x.model = y.name AND x.run = y.current_run AND x.paid),
         uc AS (SELECT z.channel, z.spend, row_number() OVER (ORDER BY z.mo, z.position) AS ci
                  FROM (SELECT DISTINCT ON (tm.channel) tm.channel, tm.mo, tm.position, tm.spend FROM tm
                         ORDER BY tm.channel, tm.mo) z)
    SELECT (SELECT array_agg(uc.channel ORDER BY uc.ci) FROM uc), (SELECT array_agg(uc.spend ORDER BY uc.ci) FROM uc),
           array_agg(uc.ci ORDER BY uc.ci, tm.mo), array_agg(tm.mo ORDER BY uc.ci, tm.mo),
           array_agg(tm.position ORDER BY uc.ci, tm.mo),
           array_agg(tm.adstock ORDER BY uc.ci, tm.mo), array_agg(tm.adstock_p1 ORDER BY uc.ci, tm.mo),
           array_agg(tm.adstock_p2 ORDER BY uc.ci, tm.mo), array_agg(tm.max_lag ORDER BY uc.ci, tm.mo),
           array_agg(tm.adstock_normalize ORDER BY uc.ci, tm.mo), array_agg(tm.saturation ORDER BY uc.ci, tm.mo),
           array_agg(tm.sat_p1 ORDER BY uc.ci, tm.mo), array_agg(tm.sat_p2 ORDER BY uc.ci, tm.mo),
           array_agg(tm.input_scale ORDER BY uc.ci, tm.mo), array_agg(tm.coef ORDER BY uc.ci, tm.mo)
      INTO ch, hspend, tch, tmod, pos, ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf
      FROM tm JOIN uc USING (channel);
    nch := coalesce(cardinality(ch), 0);
    IF nch = 0 THEN
        RAISE EXCEPTION 'model "%" has no paid channels to plan', model USING ERRCODE = '22023';
    END IF;
    IF ch && ARRAY['base', 'total', 'paid'] THEN
        RAISE EXCEPTION 'a paid channel named base, total or paid cannot be planned' USING ERRCODE = '22023',
            DETAIL = 'These names label the plan''s summary rows.';
    END IF;

    -- flights on the model's weekly grid
    IF jsonb_typeof(flights) <> 'array' OR jsonb_array_length(flights) = 0 THEN
        RAISE EXCEPTION 'flights must be a non-empty jsonb array of {"from", "to", "budget" | "target"}' USING ERRCODE = '22023';
    END IF;
    nk := jsonb_array_length(flights);
    FOR k IN 1 .. nk LOOP
        f := flights->(k - 1);
        IF jsonb_typeof(f) <> 'object' THEN
            RAISE EXCEPTION 'flight % is not a jsonb object', k USING ERRCODE = '22023';
        END IF;
        FOR key IN SELECT jsonb_object_keys(f) LOOP
            IF key NOT IN ('from', 'to', 'budget', 'target') THEN
                RAISE EXCEPTION 'unknown flight key "%"', key USING ERRCODE = '22023',
                    HINT = 'Valid keys are from, to, budget and target.';
            END IF;
        END LOOP;
        IF NOT (f ? 'from' AND f ? 'to') OR (f->>'to')::date < (f->>'from')::date THEN
            RAISE EXCEPTION 'flight % needs "from" <= "to"', k USING ERRCODE = '22023';
        END IF;
        IF k > 1 AND (f->>'from')::date <= fd_to[k - 1] THEN
            RAISE EXCEPTION 'flight % overlaps or precedes flight %', k, k - 1 USING ERRCODE = '22023';
        END IF;
        fd_from := fd_from || (f->>'from')::date; fd_to := fd_to || (f->>'to')::date;
        IF goal = 'budget' THEN
            IF f ? 'target' OR NOT f ? 'budget' OR jsonb_typeof(f->'budget') <> 'number' OR (f->>'budget')::float8 < 0 THEN
                RAISE EXCEPTION 'flight % of a budget plan needs a non-negative "budget" and no "target"', k USING ERRCODE = '22023';
            END IF;
            budget := budget || (f->>'budget')::float8;
        ELSE
            IF f ? 'budget' OR NOT f ? 'target' OR jsonb_typeof(f->'target') <> 'number' THEN
                RAISE EXCEPTION 'flight % of a target plan needs a "target" and no "budget"', k USING ERRCODE = '22023';
            END IF;
            v := (f->>'target')::float8;
            IF (target_metric IN ('revenue', 'conversions') AND v < 0) OR (target_metric = 'cpa' AND v <= 0)
               OR (target_metric = 'roi' AND v <= -1) THEN
                RAISE EXCEPTION 'target of flight % is out of range for target_metric %', k, target_metric USING ERRCODE = '22023',
                    HINT = 'Volume targets are >= 0, a CPA target > 0, an ROI target > -1.';
            END IF;
            target := target || (f->>'target')::float8;
        END IF;
    END LOOP;
    IF fd_from[1] <= last_p THEN
        RAISE EXCEPTION 'flights must start after the model''s data' USING ERRCODE = '22023',
            DETAIL = format('The first flight starts %s; the model''s last week starts %s.', fd_from[1], last_p);
    END IF;
    w0 := last_p + 7 * ceil((fd_from[1] - last_p) / 7.0)::int;
    ngap := (w0 - last_p) / 7 - 1;            -- weeks between the data and the plan: no spend
    FOR k IN 1 .. nk LOOP
        ffrom := ffrom || ceil((fd_from[k] - w0) / 7.0)::int;
        fto := fto || (floor((fd_to[k] - w0) / 7.0)::int + 1);
        IF fto[k] <= ffrom[k] THEN
            RAISE EXCEPTION 'flight % holds no week start of the model''s grid', k USING ERRCODE = '22023',
                DETAIL = format('Weeks start on %s.', to_char(w0, 'FMDay'));
        END IF;
    END LOOP;
    np := fto[nk];
    IF goal = 'budget' AND max_budget IS NOT NULL AND
       (SELECT sum(b) FROM unnest(budget) b) > max_budget * (1 + 1e-12) THEN
        RAISE EXCEPTION 'flight budgets exceed the maximum total budget' USING ERRCODE = '22023',
            DETAIL = format('The flight budgets sum to %s; the maximum is %s.', (SELECT sum(b) FROM unnest(budget) b), max_budget);
    END IF;
    IF goal = 'target' AND max_budget = 0 AND (SELECT max(x) FROM unnest(target) x) > 0 THEN
        RAISE EXCEPTION 'target needs spend but the maximum budget is 0' USING ERRCODE = '22023';
    END IF;

    -- history per channel, then the weeks between the data and the plan
    -- An exposure channel (option spend_columns) is fitted on exposure: its plan is in spend,
    -- exposure = spend / (the window's spend per unit of exposure), so its history and input
    -- scale are restated in spend.
    -- Several models: each term has its model's history, front-padded with no spend to the
    -- longest (a model's adstock starts at its first period); hist (per channel: its first
    -- term's, for the monthly split and reference patterns) and xcost follow the channel's first term.
    xcost := '{}';
    FOR j IN 1 .. cardinality(tch) LOOP
        e := ins[tmod[j]];
        ntq := jsonb_array_length(e->'x') / jsonb_array_length(e->'channels');
        nw := jsonb_array_length(e->'periods');
        v := 1;
        IF mopts[tmod[j]] #>> ARRAY['spend_columns', ch[tch[j]]] IS NOT NULL THEN
            v := (SELECT sum((e->'spend'->>((pos[j] - 1) * nw + u - 1))::float8) FROM generate_series(1, nw) u)
                 / nullif((SELECT sum((e->'x'->>((pos[j] - 1) * ntq + ntq - nw + u - 1))::float8) FROM generate_series(1, nw) u), 0);
            IF NOT v > 0 THEN
                RAISE EXCEPTION 'channel "%" has no spend or no exposure in the training window', ch[tch[j]] USING ERRCODE = '22000';
            END IF;
        END IF;
        sc[j] := sc[j] * v;
        trow := array_fill(0::float8, ARRAY[nt - ntq])
                || (SELECT array_agg(v * (e->'x'->>((pos[j] - 1) * ntq + u - 1))::float8 ORDER BY u) FROM generate_series(1, ntq) u)
                || array_fill(0::float8, ARRAY[ngap]);
        thist := thist || trow;
        IF j = 1 OR tch[j] <> tch[j - 1] THEN
            xcost := xcost || v;
            hist := hist || trow;
        END IF;
    END LOOP;
    -- each channel's term of the primary model (NULL: the channel is another model's only)
    prim := (SELECT array_agg((SELECT min(o) FROM unnest(tch, tmod) WITH ORDINALITY u(a, b, o) WHERE a = c AND b = 1) ORDER BY c)
               FROM generate_series(1, nch) c);

    -- target mode without max_budget: each flight is capped at 10x the historical weekly paid spend
    hist_rate := (SELECT sum(u.v0) FROM unnest(hspend) u(v0)) / greatest(jsonb_array_length(i->'periods')
                   - floor(jsonb_array_length(i->'periods') * coalesce((m.options->>'holdout')::float8, 0.25)), 1);

    -- constraints: {"channel": {"min", "max", "min_pct", "max_pct", "flight"} or an array of those}
    IF jsonb_typeof(constraints) <> 'object' THEN
        RAISE EXCEPTION 'constraints must be a jsonb object keyed by channel' USING ERRCODE = '22023';
    END IF;
    lo := array_fill(0::float8, ARRAY[nch * nk]);
    hi := array_fill('Infinity'::float8, ARRAY[nch * nk]);
    FOR k IN 1 .. nk LOOP
        cap := CASE WHEN goal = 'budget' THEN budget[k]
                    ELSE coalesce(max_budget, 10 * hist_rate * (fto[k] - ffrom[k])) END;
        FOR c IN 1 .. nch LOOP
            hi[(c - 1) * nk + k] := cap;
        END LOOP;
    END LOOP;
    FOR key, cons IN SELECT x.key, x.value FROM jsonb_each(constraints) x LOOP
        c := array_position(ch, key);
        IF c IS NULL THEN
            RAISE EXCEPTION 'constraint channel "%" is not a paid channel of model "%"', key, model USING ERRCODE = '42704';
        END IF;
        FOR e IN SELECT x FROM jsonb_array_elements(CASE WHEN jsonb_typeof(cons) = 'array' THEN cons ELSE jsonb_build_array(cons) END) x LOOP
            IF jsonb_typeof(e) <> 'object' THEN
                RAISE EXCEPTION 'constraint of channel "%" must be a jsonb object', key USING ERRCODE = '22023';
            END IF;
            PERFORM 1 FROM jsonb_object_keys(e) q WHERE q NOT IN ('min', 'max', 'min_pct', 'max_pct', 'flight');
            IF FOUND THEN
                RAISE EXCEPTION 'unknown constraint key "%" for channel "%"',
                    (SELECT q FROM jsonb_object_keys(e) q WHERE q NOT IN ('min', 'max', 'min_pct', 'max_pct', 'flight') LIMIT 1), key
                    USING ERRCODE = '22023', HINT = 'Valid keys are min, max, min_pct, max_pct and flight.';
            END IF;
            IF EXISTS (SELECT 1 FROM jsonb_each(e) q WHERE jsonb_typeof(q.value) <> 'number') THEN
                RAISE EXCEPTION 'constraint values of channel "%" must be numbers', key USING ERRCODE = '22023';
            END IF;
            IF (e ? 'flight') AND NOT ((e->>'flight')::numeric BETWEEN 1 AND nk) THEN
                RAISE EXCEPTION 'constraint of channel "%" names flight %, the plan has %', key, e->>'flight', nk USING ERRCODE = '22023';
            END IF;
            FOR k IN 1 .. nk LOOP
                CONTINUE WHEN (e ? 'flight') AND (e->>'flight')::int <> k;
                cap := CASE WHEN goal = 'budget' THEN budget[k] ELSE max_budget END;
                IF (e ? 'min_pct' OR e ? 'max_pct') AND cap IS NULL THEN
                    RAISE EXCEPTION 'percentage constraints of a target plan need max_budget' USING ERRCODE = '22023';
                END IF;
                FOREACH j IN ARRAY ARRAY[1, 2] LOOP
                    v := CASE j WHEN 1 THEN coalesce((e->>'min')::float8, cap * (e->>'min_pct')::float8 / 100)
                                ELSE coalesce((e->>'max')::float8, cap * (e->>'max_pct')::float8 / 100) END;
                    CONTINUE WHEN v IS NULL;
                    IF NOT (v >= 0 AND v < 'Infinity') THEN
                        RAISE EXCEPTION 'constraint of channel "%" must be a non-negative finite number', key USING ERRCODE = '22023';
                    END IF;
                    IF j = 1 THEN lo[(c - 1) * nk + k] := v; ELSE hi[(c - 1) * nk + k] := v; END IF;
                END LOOP;
            END LOOP;
        END LOOP;
    END LOOP;
    FOR k IN 1 .. nk LOOP
        FOR c IN 1 .. nch LOOP
            IF hi[(c - 1) * nk + k] < lo[(c - 1) * nk + k] THEN
                RAISE EXCEPTION 'channel "%" has a maximum below its minimum in flight %', ch[c], k USING ERRCODE = '22023',
                    DETAIL = format('Minimum %s, maximum %s.', lo[(c - 1) * nk + k], hi[(c - 1) * nk + k]);
            END IF;
        END LOOP;
        IF goal = 'budget' THEN
            s := (SELECT sum(lo[(c - 1) * nk + k]) FROM generate_series(1, nch) c);
            IF s > budget[k] THEN
                RAISE EXCEPTION 'channel minimums exceed the budget in flight %', k USING ERRCODE = '22023',
                    DETAIL = format('The minimums sum to %s; the budget is %s.', s, budget[k]),
                    HINT = 'Lower the channel minimums or raise the budget.';
            END IF;
            s := (SELECT sum(hi[(c - 1) * nk + k]) FROM generate_series(1, nch) c);
            IF s < budget[k] THEN
                RAISE EXCEPTION 'budget exceeds the sum of channel maximums in flight %', k USING ERRCODE = '22023',
                    DETAIL = format('The maximums sum to %s; the budget is %s.', s, budget[k]),
                    HINT = 'Raise the channel maximums or lower the budget.';
            END IF;
        END IF;
    END LOOP;

    -- month-by-month mode: each flight becomes one flight per calendar month, its budget split
    -- like the paid spend of the same weeks a year earlier (by weeks where history is missing),
    -- its bounds scaled by the month's share; each month is then optimised on its own budget
    IF monthly THEN
        IF goal <> 'budget' THEN
            RAISE EXCEPTION 'monthly mode plans budgets' USING ERRCODE = '0A000',
                HINT = 'Use goal => ''budget'', or monthly => false for a target.';
        END IF;
        DECLARE
            m_from int[] := '{}'; m_to int[] := '{}'; m_dfrom date[] := '{}'; m_dto date[] := '{}';
            m_budget float8[] := '{}'; m_parent int[] := '{}'; m_share float8[] := '{}';
            m_lo float8[]; m_hi float8[]; wsum float8; msum float8; mt int; mm date;
        BEGIN
            FOR k IN 1 .. nk LOOP
                wsum := 0;
                FOR t IN ffrom[k] .. fto[k] - 1 LOOP
                    wsum := wsum + coalesce((SELECT sum(hist[(c - 1) * (nt + ngap) + nt + ngap + t + 1 - 52])
                                               FROM generate_series(1, nch) c WHERE nt + ngap + t + 1 - 52 BETWEEN 1 AND nt), 0);
                END LOOP;
                mt := ffrom[k];
                WHILE mt < fto[k] LOOP
                    mm := date_trunc('month', w0 + 7 * mt)::date;
                    t := mt;
                    msum := 0;
                    WHILE t < fto[k] AND date_trunc('month', w0 + 7 * t)::date = mm LOOP
                        msum := msum + coalesce((SELECT sum(hist[(c - 1) * (nt + ngap) + nt + ngap + t + 1 - 52])
                                                   FROM generate_series(1, nch) c WHERE nt + ngap + t + 1 - 52 BETWEEN 1 AND nt), 0);
                        t := t + 1;
                    END LOOP;
                    m_from := m_from || mt; m_to := m_to || t; m_parent := m_parent || k;
                    m_dfrom := m_dfrom || greatest(fd_from[k], mm);
                    m_dto := m_dto || least(fd_to[k], (mm + interval '1 month' - interval '1 day')::date);
                    m_share := m_share || CASE WHEN wsum > 0 THEN msum / wsum ELSE (t - mt)::float8 / (fto[k] - ffrom[k]) END;
                    m_budget := m_budget || budget[k] * m_share[cardinality(m_share)];
                    mt := t;
                END LOOP;
            END LOOP;
            m_lo := array_fill(0::float8, ARRAY[nch * cardinality(m_from)]);
            m_hi := array_fill(0::float8, ARRAY[nch * cardinality(m_from)]);
            FOR j IN 1 .. cardinality(m_from) LOOP
                FOR c IN 1 .. nch LOOP
                    m_lo[(c - 1) * cardinality(m_from) + j] := lo[(c - 1) * nk + m_parent[j]] * m_share[j];
                    m_hi[(c - 1) * cardinality(m_from) + j] := hi[(c - 1) * nk + m_parent[j]] * m_share[j];
                END LOOP;
            END LOOP;
            nk := cardinality(m_from);
            ffrom := m_from; fto := m_to; fd_from := m_dfrom; fd_to := m_dto; budget := m_budget; lo := m_lo; hi := m_hi;
        END;
    END IF;

    -- spend pattern within a flight
    IF spend_pattern = 'automatic' THEN
        pat := NULL;
    ELSIF spend_pattern = 'flat' OR left(spend_pattern, 1) = '{' THEN
        IF spend_pattern = 'flat' THEN
            ref_from := NULL;
        ELSE
            BEGIN
                e := spend_pattern::jsonb;
                ref_from := (e->>'reference_from')::date;
            EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR datetime_field_overflow THEN
                RAISE EXCEPTION 'spend_pattern must be automatic, flat or {"reference_from": date}' USING ERRCODE = '22023';
            END;
            IF ref_from IS NULL OR EXISTS (SELECT 1 FROM jsonb_object_keys(e) q WHERE q <> 'reference_from') THEN
                RAISE EXCEPTION 'spend_pattern must be automatic, flat or {"reference_from": date}' USING ERRCODE = '22023';
            END IF;
        END IF;
        pat := array_fill(0::float8, ARRAY[nch * np]);
        FOR c IN 1 .. nch LOOP
            FOR k IN 1 .. nk LOOP
                -- reference: week i of the flight copies history week (reference week + i)
                s := 0;
                IF ref_from IS NOT NULL THEN
                    j := nt - floor((last_p - ref_from) / 7.0)::int;   -- 1-based index of the first reference week
                    IF ref_from > last_p OR j < 1 THEN
                        RAISE EXCEPTION 'reference period starting % is outside the model''s data', ref_from USING ERRCODE = '22023';
                    END IF;
                    IF j + (fto[k] - ffrom[1]) > nt + 1 THEN
                        RAISE EXCEPTION 'reference period starting % is too late to cover the flights', ref_from USING ERRCODE = '22023',
                            DETAIL = format('It must leave %s weeks of data.', fto[k] - ffrom[1]);
                    END IF;
                    FOR t IN ffrom[k] .. fto[k] - 1 LOOP
                        pat[(c - 1) * np + t + 1] := hist[(c - 1) * (nt + ngap) + j + t - ffrom[1]];
                        s := s + pat[(c - 1) * np + t + 1];
                    END LOOP;
                END IF;
                FOR t IN ffrom[k] .. fto[k] - 1 LOOP
                    pat[(c - 1) * np + t + 1] := CASE WHEN s > 0 THEN pat[(c - 1) * np + t + 1] / s
                                                     ELSE 1.0 / (fto[k] - ffrom[k]) END;
                END LOOP;
            END LOOP;
        END LOOP;
    ELSE
        RAISE EXCEPTION 'spend_pattern must be automatic, flat or {"reference_from": date}' USING ERRCODE = '22023',
            DETAIL = format('Got "%s".', spend_pattern);
    END IF;

    -- KPI unit and revenue per conversion (argument, else history)
    SELECT u.kpi_unit, u.revenue_per_conversion INTO kpi_unit, rpc FROM mixmodel._model_kpi_units(model) u;
    rpc := coalesce(revenue_per_conversion, rpc);
    IF revenue_per_conversion IS NOT NULL AND NOT (revenue_per_conversion > 0 AND revenue_per_conversion < 'Infinity') THEN
        RAISE EXCEPTION 'revenue_per_conversion must be positive' USING ERRCODE = '22023';
    END IF;
    SELECT f.revenue_per_kpi, f.conversions_per_kpi INTO rev_per_kpi, conv_per_kpi FROM mixmodel._kpi_factors(kpi_unit, rpc) f;
    -- each model's own factors (revenue_per_conversion is the primary model's)
    SELECT array_agg(f.revenue_per_kpi ORDER BY q.o), array_agg(f.conversions_per_kpi ORDER BY q.o)
      INTO mrev, mconv
      FROM unnest(mods) WITH ORDINALITY q(x, o), LATERAL mixmodel._model_kpi_units(q.x) u,
           LATERAL mixmodel._kpi_factors(u.kpi_unit, CASE WHEN q.o = 1 THEN rpc ELSE u.revenue_per_conversion END) f;
    IF (target_metric IN ('revenue', 'roi') AND rev_per_kpi IS NULL) OR
       (target_metric IN ('conversions', 'cpa') AND conv_per_kpi IS NULL) THEN
        RAISE EXCEPTION 'target_metric % needs revenue_per_conversion', target_metric USING ERRCODE = '22023',
            DETAIL = format('The model''s KPI counts %s and no revenue per conversion is known from its data.', kpi_unit);
    END IF;

    -- channel cost: spend per unit of volume (argument, else history of harmonized touchpoints)
    IF jsonb_typeof(channel_cost) <> 'object' THEN
        RAISE EXCEPTION 'channel_cost must be a jsonb object keyed by channel' USING ERRCODE = '22023';
    END IF;
    FOR key IN SELECT jsonb_object_keys(channel_cost) LOOP
        IF NOT key = ANY (ch) THEN
            RAISE EXCEPTION 'channel_cost channel "%" is not a paid channel of model "%"', key, model USING ERRCODE = '42704';
        END IF;
        IF jsonb_typeof(channel_cost->key) <> 'number' OR (channel_cost->>key)::float8 <= 0 THEN
            RAISE EXCEPTION 'channel_cost of channel "%" must be a positive number', key USING ERRCODE = '22023';
        END IF;
    END LOOP;
    cost := '{}';
    FOR c IN 1 .. nch LOOP
        v := coalesce((channel_cost->>ch[c])::float8, nullif(xcost[c], 1));
        IF v IS NULL AND m.source_kind = 'harmonized' THEN
            SELECT sum(q.spend) / nullif(sum(q.volume), 0) INTO v
              FROM mixmodel.touchpoint_series(ch[c]) q WHERE q.period BETWEEN r.from_date AND r.to_date;
        END IF;
        cost := cost || v;
    END LOOP;

    -- solve. A target (several models too) is on the objective sum_m w_m KPI_m in the primary
    -- model's KPI units (the weights convert the others' KPIs into them: _plan_core's curves are
    -- the weighted terms), converted to target_metric by the primary model's factors.
    IF goal = 'target' THEN
        core_goal := CASE WHEN target_metric IN ('conversions', 'revenue') THEN 'volume' ELSE 'ratio' END;
        core_target := (SELECT array_agg(CASE target_metric
                                 WHEN 'revenue' THEN x / rev_per_kpi
                                 WHEN 'conversions' THEN x / conv_per_kpi
                                 WHEN 'roi' THEN (1 + x) / rev_per_kpi
                                 ELSE 1 / (x * conv_per_kpi) END ORDER BY o)
                          FROM unnest(target) WITH ORDINALITY u(x, o));
        IF target_metric = 'cpa' AND (SELECT min(x) FROM unnest(target) x) <= 0 THEN
            RAISE EXCEPTION 'a CPA target must be positive' USING ERRCODE = '22023';
        END IF;
        budget := array_fill(0::float8, ARRAY[nk]);
    END IF;
    IF mult THEN
        -- the coupled solver (doc/plan.md "Multiplicative models"): automatic spend is flat
        core := mixmodel._plan_core_mult(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, hist, np, ffrom, fto, budget,
                    lo, CASE WHEN goal = 'target' THEN hi
                             ELSE (SELECT array_agg(least(hi[u.j], budget[(u.j - 1) % nk + 1]) ORDER BY u.j) FROM generate_series(1, nch * nk) u(j)) END,
                    pat, (SELECT array_agg(y.predicted ORDER BY y.period) FROM (SELECT x.period, x.predicted FROM mixmodel.run_fit x
                           WHERE x.model = m.name AND x.run = r.run ORDER BY x.period DESC LIMIT 52) y),
                    ngap, hspend, CASE WHEN goal = 'target' THEN core_target END, coalesce(max_budget, 'Infinity'),
                    CASE WHEN goal = 'target' THEN core_goal ELSE 'volume' END);
        cert := core.certificate;
    ELSE
    core := mixmodel._plan_core(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, thist, np, ffrom, fto, budget,
                                lo, hi, pat, core_goal, core_target, coalesce(max_budget, 'Infinity'),
                                (SELECT array_agg(x - 1 ORDER BY o) FROM unnest(tch) WITH ORDINALITY u(x, o)),
                                (SELECT array_agg(mws[x] ORDER BY o) FROM unnest(tmod) WITH ORDINALITY u(x, o)));
    END IF;
    nh := core.horizon;

    -- write (a plan of the same name is replaced; concurrent rebuilds of one name queue here)
    PERFORM pg_advisory_xact_lock(hashtext('mixmodel.create_plan'), hashtext(plan_name));
    DELETE FROM mixmodel.plans x WHERE x.name = plan_name;
    INSERT INTO mixmodel.plans (name, model, run, goal, target_metric, max_budget, spend_pattern, kpi_unit,
                                revenue_per_conversion, arguments, kkt_residual, optimality)
    VALUES (plan_name, m.name, r.run, goal, target_metric, max_budget,
            CASE WHEN left(spend_pattern, 1) = '{' THEN spend_pattern::jsonb ELSE to_jsonb(spend_pattern) END,
            kpi_unit, rpc,
            jsonb_build_object('goal', goal, 'flights', flights, 'target_metric', target_metric, 'max_budget', max_budget,
                               'constraints', constraints, 'spend_pattern', spend_pattern,
                               'revenue_per_conversion', revenue_per_conversion, 'channel_cost', channel_cost,
                               'monthly', monthly, 'models', models),
            core.kkt_residual, cert);
    INSERT INTO mixmodel.plan_constraints
    SELECT plan_name, k, ch[c], lo[(c - 1) * nk + k], nullif(hi[(c - 1) * nk + k], 'Infinity')
      FROM generate_series(1, nk) k, generate_series(1, nch) c;

    -- forecasts in the primary model's units (its own, unweighted term; 0 for a channel it lacks);
    -- marginal and lambda are of the weighted objective
    INSERT INTO mixmodel.plan_allocations
    SELECT plan_name, (SELECT max(q) FROM generate_series(1, nk) q WHERE ffrom[q] <= t), w0 + 7 * t, ch[c], 'paid',
           x, x / cost[c], tot, inc, tot * conv_per_kpi, tot * rev_per_kpi,
           CASE WHEN x > 0 THEN inc * rev_per_kpi / x - 1 END,
           CASE WHEN x > 0 AND inc > 0 THEN x / (inc * conv_per_kpi) END,
           core.marginal[(c - 1) * nh + t + 1]
      FROM generate_series(1, nch) c, generate_series(0, nh - 1) t,
           LATERAL (SELECT core.x[(c - 1) * nh + t + 1] AS x, coalesce(core.term_total[(prim[c] - 1) * nh + t + 1], 0) AS tot,
                           coalesce(core.term_incr[(prim[c] - 1) * nh + t + 1], 0) AS inc) q;
    -- base: the non-paid part of the fit in the same week of the latest year of the window
    -- (same week last year); the mean of the window's last 52 weeks when no such week exists.
    -- A factor with a value for the plan week (a row of the wide table, or a harmonized
    -- actual or forecasted value) contributes coef * that value instead of last year's.
    DECLARE
        b float8; d date; p_ref date; z float8; fc float8; fr record;
        bases float8[] := '{}';
    BEGIN
        -- multiplicative: the solver's base (same week last year of the fit, paid channels removed)
        IF mult THEN
            bases := core.base;
        ELSE
        FOR t IN 0 .. nh - 1 LOOP
            d := w0 + 7 * t;
            SELECT max(y.period) INTO p_ref FROM mixmodel.run_fit y
             WHERE y.model = m.name AND y.run = r.run AND (d - y.period) % 364 = 0;
            IF p_ref IS NOT NULL THEN
                SELECT coalesce(sum(x.contribution), 0) INTO b FROM mixmodel.run_decomposition x
                 WHERE x.model = m.name AND x.run = r.run AND x.kind NOT IN ('channel', 'factor') AND x.period = p_ref;
            ELSE
                SELECT coalesce(sum(x.contribution) / count(DISTINCT x.period), 0) INTO b FROM mixmodel.run_decomposition x
                 WHERE x.model = m.name AND x.run = r.run AND x.kind NOT IN ('channel', 'factor') AND x.period > last_p - 364;
            END IF;
            FOR fr IN SELECT x.term, x.coef FROM mixmodel.run_coefficients x
                       WHERE x.model = m.name AND x.run = r.run AND x.kind = 'factor' ORDER BY x.term LOOP
                z := NULL;
                IF m.source_kind = 'wide' THEN
                    EXECUTE format('SELECT max(%1$I)::float8 FROM %2$s WHERE %3$I::date = $1', fr.term, m.source, def->>'date_column')
                       INTO z USING d;
                ELSE
                    SELECT max(q.value) INTO z FROM mixmodel.factor_series(fr.term, 'week', d, d) q WHERE q.period = d;
                END IF;
                IF z IS NOT NULL THEN
                    fc := fr.coef * z;
                ELSIF p_ref IS NOT NULL THEN
                    SELECT coalesce(sum(x.contribution), 0) INTO fc FROM mixmodel.run_decomposition x
                     WHERE x.model = m.name AND x.run = r.run AND x.term = fr.term AND x.period = p_ref;
                ELSE
                    SELECT coalesce(sum(x.contribution) / count(DISTINCT x.period), 0) INTO fc FROM mixmodel.run_decomposition x
                     WHERE x.model = m.name AND x.run = r.run AND x.term = fr.term AND x.period > last_p - 364;
                END IF;
                b := b + fc;
            END LOOP;
            bases := bases || b;
        END LOOP;
        END IF;
        INSERT INTO mixmodel.plan_allocations
        SELECT plan_name, (SELECT max(q) FROM generate_series(1, nk) q WHERE ffrom[q] <= t), w0 + 7 * t, 'base', 'base',
               0, NULL, bases[t + 1], 0, bases[t + 1] * conv_per_kpi, bases[t + 1] * rev_per_kpi, NULL, NULL, NULL
          FROM generate_series(0, nh - 1) t;
    END;

    INSERT INTO mixmodel.plan_flights
    SELECT plan_name, k, fd_from[k], fd_to[k],
           CASE WHEN goal = 'budget' THEN budget[k] END, CASE WHEN goal = 'target' THEN target[k] END,
           (SELECT sum(a.spend) FROM mixmodel.plan_allocations a WHERE a.plan = plan_name AND a.flight = k),
           core.lambda[k],
           core.achievable[k],
           CASE WHEN goal = 'target' THEN
               CASE target_metric WHEN 'revenue' THEN core.best[k] * rev_per_kpi
                                  WHEN 'conversions' THEN core.best[k] * conv_per_kpi
                                  WHEN 'roi' THEN core.best[k] * rev_per_kpi - 1
                                  ELSE 1 / nullif(core.best[k] * conv_per_kpi, 0) END END
      FROM generate_series(1, nk) k;

    INSERT INTO mixmodel.plan_summary
    SELECT plan_name, a.flight, a.channel, sum(a.spend),
           sum(a.spend) / nullif(sum(sum(a.spend)) OVER (PARTITION BY a.flight), 0),
           CASE WHEN a.kind = 'paid' THEN hspend[array_position(ch, a.channel)] / nullif((SELECT sum(x) FROM unnest(hspend) x), 0) END,
           sum(a.kpi), sum(a.incremental), sum(a.conversions), sum(a.revenue),
           CASE WHEN sum(a.spend) > 0 THEN sum(a.incremental) * rev_per_kpi / sum(a.spend) - 1 END,
           CASE WHEN sum(a.spend) > 0 AND sum(a.incremental) > 0 THEN sum(a.spend) / (sum(a.incremental) * conv_per_kpi) END,
           CASE WHEN a.kind = 'paid' THEN core.flight_marginal[(array_position(ch, a.channel) - 1) * nk + a.flight] END,
           CASE WHEN a.kind = 'paid' THEN lo[(array_position(ch, a.channel) - 1) * nk + a.flight] END,
           CASE WHEN a.kind = 'paid' THEN nullif(hi[(array_position(ch, a.channel) - 1) * nk + a.flight], 'Infinity') END
      FROM mixmodel.plan_allocations a WHERE a.plan = plan_name
     GROUP BY a.flight, a.channel, a.kind;
    INSERT INTO mixmodel.plan_summary
    SELECT plan_name, a.flight, 'total', sum(a.spend), 1, 1, sum(a.kpi), sum(a.incremental), sum(a.conversions), sum(a.revenue),
           CASE WHEN sum(a.spend) > 0 THEN sum(a.incremental) * rev_per_kpi / sum(a.spend) - 1 END,
           CASE WHEN sum(a.spend) > 0 AND sum(a.incremental) > 0 THEN sum(a.spend) / (sum(a.incremental) * conv_per_kpi) END,
           NULL, NULL, NULL
      FROM mixmodel.plan_allocations a WHERE a.plan = plan_name
     GROUP BY a.flight;

    -- each model's own forecast of the planned spend, per flight: its channels and "paid"
    INSERT INTO mixmodel.plan_model_summary
    WITH tw AS (SELECT j, (SELECT max(q) FROM generate_series(1, nk) q WHERE ffrom[q] <= t) AS fl,
                       core.x[(tch[j] - 1) * nh + t + 1] AS x, core.term_total[(j - 1) * nh + t + 1] AS tot,
                       core.term_incr[(j - 1) * nh + t + 1] AS inc
                  FROM generate_series(1, cardinality(tch)) j, generate_series(0, nh - 1) t),
         mr AS (SELECT tmod[tw.j] AS mo, tw.fl, ch[tch[tw.j]] AS chan, sum(tw.x) AS x, sum(tw.tot) AS tot, sum(tw.inc) AS inc
                    FROM tw GROUP BY tw.j, tw.fl
                  UNION ALL
                  SELECT tmod[tw.j], tw.fl, 'paid', sum(tw.x), sum(tw.tot), sum(tw.inc)
                    FROM tw GROUP BY tmod[tw.j], tw.fl),
         u AS (SELECT mr.*, mrev[mr.mo] AS rk, mconv[mr.mo] AS ck FROM mr)
    SELECT plan_name, mods[u.mo], mws[u.mo], u.fl, u.chan, u.x, u.tot, u.inc, u.tot * u.ck, u.tot * u.rk,
           CASE WHEN u.x > 0 THEN u.inc * u.rk / u.x - 1 END,
           CASE WHEN u.x > 0 AND u.inc > 0 THEN u.x / (u.inc * u.ck) END
      FROM u;

    RETURN QUERY SELECT x.flight, x.channel, x.spend, x.share, x.historical_share, x.kpi, x.revenue, x.conversions, x.roi, x.cpa
                   FROM mixmodel.plan_summary x WHERE x.plan = plan_name
                  ORDER BY x.flight, x.channel = 'total', x.channel = 'base', x.channel;
END $$;
COMMENT ON FUNCTION mixmodel.create_plan(text, text, text, jsonb, text, float8, jsonb, text, float8, jsonb, boolean, jsonb) IS
'Builds (or replaces) a budget plan over a trained additive model: goal budget maximises the forecast KPI of each flight''s budget; goal target finds the least spend reaching a conversions or revenue target (or the largest reaching a CPA or ROI target) and flags it achievable. Per-channel min/max in currency or % of the budget, per flight; spend pattern automatic (weekly), flat or copied from a reference period. monthly splits each flight into calendar months budgeted like the same weeks last year. models ({"model": weight, ...}) plans the weighted sum of several models'' forecasts over the union of their channels (a target applies to it, in the primary model''s units); forecasts in plan_allocations and plan_summary are then the primary model''s, each model''s in plan_model_summary. Writes plans, plan_flights, plan_constraints, plan_allocations, plan_summary, plan_model_summary; returns the summary.';

CREATE FUNCTION mixmodel.compare_plans(a text, b text)
    RETURNS TABLE (channel text, spend_a float8, spend_b float8, revenue_a float8, revenue_b float8,
                   conversions_a float8, conversions_b float8, roi_a float8, roi_b float8,
                   cpa_a float8, cpa_b float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[a, b]);
    -- rows: each paid channel, "base", "paid" (paid channels: excludes base and non-spend channels),
    -- "total" (paid plus base: ROI and CPA of the whole forecast over the paid spend)
    RETURN QUERY
    WITH s AS (
        SELECT x.plan, x.channel, sum(x.spend) AS spend, sum(x.revenue) AS revenue, sum(x.conversions) AS conversions,
               sum(x.incremental) AS inc, max(pl.kpi_unit) AS unit, max(pl.revenue_per_conversion) AS rpc
          FROM mixmodel.plan_summary x JOIN mixmodel.plans pl ON pl.name = x.plan
         WHERE x.plan IN (a, b) AND x.channel <> 'total'
         GROUP BY x.plan, x.channel
    ), g AS (
        SELECT s.plan, s.channel, s.spend, s.revenue, s.conversions,
               s.inc * CASE WHEN s.unit = 'revenue' THEN 1 ELSE s.rpc END AS inc_rev,
               s.inc * CASE WHEN s.unit = 'conversions' THEN 1 ELSE 1 / s.rpc END AS inc_conv
          FROM s
        UNION ALL
        SELECT s.plan, 'paid', sum(s.spend), sum(s.revenue), sum(s.conversions),
               sum(s.inc * CASE WHEN s.unit = 'revenue' THEN 1 ELSE s.rpc END),
               sum(s.inc * CASE WHEN s.unit = 'conversions' THEN 1 ELSE 1 / s.rpc END)
          FROM s WHERE s.channel <> 'base' GROUP BY s.plan
        UNION ALL
        SELECT s.plan, 'total', sum(s.spend), sum(s.revenue), sum(s.conversions), sum(s.revenue), sum(s.conversions)
          FROM s GROUP BY s.plan
    ), m AS (
        SELECT g.*, CASE WHEN g.spend > 0 THEN g.inc_rev / g.spend - 1 END AS roi,
               CASE WHEN g.inc_conv > 0 AND g.spend > 0 THEN g.spend / g.inc_conv END AS cpa
          FROM g
    )
    SELECT coalesce(x.channel, y.channel), x.spend, y.spend, x.revenue, y.revenue, x.conversions, y.conversions,
           x.roi, y.roi, x.cpa, y.cpa
      FROM (SELECT * FROM m WHERE m.plan = a) x FULL JOIN (SELECT * FROM m WHERE m.plan = b) y ON x.channel = y.channel
     ORDER BY coalesce(x.channel, y.channel) IN ('base', 'paid', 'total'), coalesce(x.channel, y.channel) = 'total',
              coalesce(x.channel, y.channel) = 'paid', coalesce(x.channel, y.channel);
END $$;
COMMENT ON FUNCTION mixmodel.compare_plans(text, text) IS
'Compares two plans over all their flights (several models: the primary model''s forecast; compare_plan_models for each model): per paid channel, "base", "paid" (paid channels only: ROI and CPA excluding base and non-spend channels) and "total" (ROI and CPA of the whole forecast, base included, over the paid spend): spend, forecast revenue and conversions, ROI, CPA of plan a and plan b.';

CREATE FUNCTION mixmodel.duplicate_plan(source text, new_name text, model text DEFAULT NULL)
    RETURNS TABLE (flight integer, channel text, spend float8, share float8, historical_share float8,
                   kpi float8, revenue float8, conversions float8, roi float8, cpa float8)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE ROWS 20
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
    g jsonb;
    target_model text;
    kept jsonb;
BEGIN
    IF source IS NULL OR new_name IS NULL THEN
        RAISE EXCEPTION 'duplicate_plan needs a source and a new name' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'plan "%" does not exist', source USING ERRCODE = '42704';
    END IF;
    target_model := coalesce(model, p.model);
    IF NOT EXISTS (SELECT 1 FROM mixmodel.models x WHERE x.name = target_model) THEN
        RAISE EXCEPTION 'model "%" does not exist', target_model USING ERRCODE = '42704';
    END IF;
    g := p.arguments;
    -- constraints and costs of channels the other model lacks are dropped; its new channels
    -- get the defaults (min 0, max the flight budget)
    SELECT coalesce(jsonb_object_agg(c.key, c.value), '{}') INTO kept
      FROM jsonb_each(g->'constraints') c
     WHERE EXISTS (SELECT 1 FROM mixmodel.run_channels rc JOIN mixmodel.models mm ON mm.name = rc.model AND mm.current_run = rc.run
                    WHERE rc.model = target_model AND rc.paid AND rc.channel = c.key);
    g := jsonb_set(g, '{constraints}', kept);
    SELECT coalesce(jsonb_object_agg(c.key, c.value), '{}') INTO kept
      FROM jsonb_each(g->'channel_cost') c
     WHERE EXISTS (SELECT 1 FROM mixmodel.run_channels rc JOIN mixmodel.models mm ON mm.name = rc.model AND mm.current_run = rc.run
                    WHERE rc.model = target_model AND rc.paid AND rc.channel = c.key);
    g := jsonb_set(g, '{channel_cost}', kept);
    RETURN QUERY SELECT * FROM mixmodel.create_plan(new_name, target_model, g->>'goal', g->'flights', g->>'target_metric',
        (g->>'max_budget')::float8, g->'constraints', g->>'spend_pattern', (g->>'revenue_per_conversion')::float8,
        g->'channel_cost', coalesce((g->>'monthly')::boolean, false), nullif(g->'models', 'null'));
END $$;
COMMENT ON FUNCTION mixmodel.duplicate_plan(text, text, text) IS
'Copies a plan''s arguments under a new name, optionally onto another model (its current run): constraints of channels missing there are dropped; channels new there get min 0 and max the flight budget. Returns the new plan''s summary.';

CREATE FUNCTION mixmodel._plan_actuals(plan text)
    RETURNS TABLE (flight integer, week date, channel text, planned_spend float8, actual_spend float8,
                   planned_kpi float8, actual_kpi float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 100
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    p mixmodel.plans;
    m mixmodel.models;
    ch text;
    col text;
    kcol text;
BEGIN
    SELECT * INTO p FROM mixmodel.plans x WHERE x.name = plan;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = p.model;
    -- paid channels of the plan's model (create_plan models: the primary's; the others' may
    -- lack a column there): planned against actual spend, in the weeks the source holds
    FOR ch IN SELECT DISTINCT x.channel FROM mixmodel.plan_constraints x WHERE x.plan = p.name
                 AND EXISTS (SELECT 1 FROM mixmodel.run_channels rc WHERE rc.model = p.model AND rc.run = p.run
                                AND rc.channel = x.channel AND rc.paid) ORDER BY 1 LOOP
        IF m.source_kind = 'wide' THEN
            col := coalesce(m.options #>> ARRAY['spend_columns', ch], ch);
            RETURN QUERY EXECUTE format(
                'SELECT a.flight, a.week, a.channel, a.spend, s.%1$I::float8, NULL::float8, NULL::float8
                   FROM mixmodel.plan_allocations a JOIN %2$s s ON s.%3$I::date = a.week
                  WHERE a.plan = $1 AND a.channel = $2 AND s.%1$I IS NOT NULL',
                col, m.source, m.definition->>'date_column') USING p.name, ch;
        ELSE
            RETURN QUERY
            SELECT a.flight, a.week, a.channel, a.spend, s.spend, NULL::float8, NULL::float8
              FROM mixmodel.plan_allocations a JOIN mixmodel.touchpoint_series(ch) s ON s.period = a.week
             WHERE a.plan = p.name AND a.channel = ch AND s.spend IS NOT NULL;
        END IF;
    END LOOP;
    -- the KPI: planned forecast (paid channels and base) against the actual KPI
    IF m.source_kind = 'wide' THEN
        kcol := m.definition->>'kpi';
        RETURN QUERY EXECUTE format(
            'SELECT a.flight, a.week, ''total'', sum(a.spend), NULL::float8, sum(a.kpi), max(s.%1$I::float8)
               FROM mixmodel.plan_allocations a JOIN %2$s s ON s.%3$I::date = a.week
              WHERE a.plan = $1 AND s.%1$I IS NOT NULL
              GROUP BY a.flight, a.week',
            kcol, m.source, m.definition->>'date_column') USING p.name;
    ELSE
        RETURN QUERY
        SELECT a.flight, a.week, 'total', sum(a.spend), NULL::float8, sum(a.kpi),
               max(CASE WHEN p.kpi_unit = 'revenue' THEN s.revenue ELSE s.conversions END)::float8
          FROM mixmodel.plan_allocations a JOIN mixmodel.conversion_series(m.definition->>'conversion') s ON s.period = a.week
         WHERE a.plan = p.name
         GROUP BY a.flight, a.week;
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._plan_actuals(text) IS 'Internal (plan_actuals): a plan''s weeks that have actual data in its model''s source, planned against actual spend per channel and planned against actual KPI (channel "total").';

CREATE VIEW mixmodel.plan_actuals AS
SELECT p.name AS plan, a.flight, a.week, a.channel, a.planned_spend, a.actual_spend,
       a.actual_spend - a.planned_spend AS spend_difference, a.planned_kpi, a.actual_kpi,
       a.actual_kpi - a.planned_kpi AS kpi_difference
  FROM mixmodel.plans p, LATERAL mixmodel._plan_actuals(p.name) a;
COMMENT ON VIEW mixmodel.plan_actuals IS 'Actual against plan, per plan, flight and week, for the plan weeks whose actuals are in the model''s source data (the wide table, or harmonized touchpoint and conversion series): spend per paid channel of the plan''s model, and the KPI (channel "total": forecast of paid channels and base against the actual KPI).';
COMMENT ON COLUMN mixmodel.plan_actuals.plan IS 'Plan name.';
COMMENT ON COLUMN mixmodel.plan_actuals.flight IS 'Flight of the week.';
COMMENT ON COLUMN mixmodel.plan_actuals.week IS 'Week start.';
COMMENT ON COLUMN mixmodel.plan_actuals.channel IS 'Paid channel, or "total" for the KPI row.';
COMMENT ON COLUMN mixmodel.plan_actuals.planned_spend IS 'Planned spend (total: all paid channels).';
COMMENT ON COLUMN mixmodel.plan_actuals.actual_spend IS 'Actual spend from the source (NULL on the total row).';
COMMENT ON COLUMN mixmodel.plan_actuals.spend_difference IS 'actual_spend - planned_spend.';
COMMENT ON COLUMN mixmodel.plan_actuals.planned_kpi IS 'Total row: forecast KPI of the week (paid channels with carry-over, and base).';
COMMENT ON COLUMN mixmodel.plan_actuals.actual_kpi IS 'Total row: the actual KPI of the week.';
COMMENT ON COLUMN mixmodel.plan_actuals.kpi_difference IS 'actual_kpi - planned_kpi.';
-- plan: comparing plans model by model (doc/plan.md, "compare_plan_models").

CREATE FUNCTION mixmodel._check_plans(names text[])
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p text;
BEGIN
    IF names IS NULL OR array_position(names, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'plan names must not be NULL' USING ERRCODE = '22004';
    END IF;
    FOREACH p IN ARRAY names LOOP
        IF NOT EXISTS (SELECT 1 FROM mixmodel.plans x WHERE x.name = p) THEN
            RAISE EXCEPTION 'plan "%" does not exist', p USING ERRCODE = '42704';
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._check_plans(text[]) IS
'Internal (compare_plans, compare_plan_models): raises 22004 for a NULL plan name, 42704 for a plan that does not exist.';

CREATE FUNCTION mixmodel.compare_plan_models(a text, b text)
    RETURNS TABLE (model text, weight_a float8, weight_b float8, channel text, spend_a float8, spend_b float8,
                   kpi_a float8, kpi_b float8, incremental_a float8, incremental_b float8,
                   revenue_a float8, revenue_b float8, conversions_a float8, conversions_b float8,
                   roi_a float8, roi_b float8, cpa_a float8, cpa_b float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM mixmodel._check_plans(ARRAY[a, b]);
    -- plan_model_summary over all flights, per model of either plan and its channels and "paid";
    -- a row's revenue and conversions are its kpi times the model's factors, so incremental
    -- times revenue / kpi is the incremental revenue in the model's own factor
    RETURN QUERY
    WITH s AS (
        SELECT x.plan, x.model, max(x.weight) AS weight, x.channel, sum(x.spend) AS spend, sum(x.kpi) AS kpi,
               sum(x.incremental) AS inc, sum(x.revenue) AS revenue, sum(x.conversions) AS conversions,
               sum(x.incremental * x.revenue / nullif(x.kpi, 0)) AS inc_rev,
               sum(x.incremental * x.conversions / nullif(x.kpi, 0)) AS inc_conv
          FROM mixmodel.plan_model_summary x
         WHERE x.plan IN (a, b)
         GROUP BY x.plan, x.model, x.channel
    ), m AS (
        SELECT s.*, CASE WHEN s.spend > 0 THEN s.inc_rev / s.spend - 1 END AS roi,
               CASE WHEN s.spend > 0 AND s.inc_conv > 0 THEN s.spend / s.inc_conv END AS cpa
          FROM s
    )
    SELECT coalesce(x.model, y.model), x.weight, y.weight, coalesce(x.channel, y.channel), x.spend, y.spend,
           x.kpi, y.kpi, x.inc, y.inc, x.revenue, y.revenue, x.conversions, y.conversions, x.roi, y.roi, x.cpa, y.cpa
      FROM (SELECT * FROM m WHERE m.plan = a) x
      FULL JOIN (SELECT * FROM m WHERE m.plan = b) y ON x.model = y.model AND x.channel = y.channel
     ORDER BY coalesce(x.model, y.model), coalesce(x.channel, y.channel) = 'paid', coalesce(x.channel, y.channel);
END $$;
COMMENT ON FUNCTION mixmodel.compare_plan_models(text, text) IS
'Compares two plans model by model over all their flights (plan_model_summary): for each model of either plan (create_plan models, or the plan''s one model), its weight in each plan, each of its paid channels and "paid" (all of them): spend, the model''s own forecast kpi and incremental, revenue, conversions, ROI and CPA, of plan a and plan b (NULL where a plan lacks the model).';
