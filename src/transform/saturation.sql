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
