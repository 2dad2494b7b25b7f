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
'Internal (create_plan, multiplicative models): budget plan (or, with target, per flight in time order under max_total: goal volume, the least budget whose optimal plan adds target to the forecast; goal ratio, the largest budget whose optimal plan adds at least target per unit budget, by a 48-budget geometric scan refined by Brent) of fitted channels (log-KPI run_channels specs) over flights, maximising sum_t B_t exp(G_t) by multi-start pair exchanges; B_t is the fit''s same week last year (fitted: predictions of the last data weeks) with the paid channels removed. Returns weekly spend, the forecast split by log_share, marginals, base, and the certificate (KKT residual, reduced Hessian, box concavity, starts agreeing) as arrays ([channel * horizon + week]) and jsonb; term_incr and term_total repeat incr and total (one term per channel) for create_plan''s per-term forecast. At most 64 channels (54000).';
