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
