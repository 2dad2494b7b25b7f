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
