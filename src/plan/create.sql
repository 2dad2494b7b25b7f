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
    created_at             timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner                  regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
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
COMMENT ON COLUMN mixmodel.plans.owner IS 'Role owning the plan and its rows (doc/access.md): the role that built it.';

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

CREATE FUNCTION mixmodel._plan_allocation_rows(channels text[], x float8[], term_total float8[], term_incr float8[],
        marginals float8[], prim integer[], cost float8[], base float8[], week_flight integer[], flight_to integer[],
        horizon integer, revenue_per_kpi float8, conversions_per_kpi float8)
    RETURNS TABLE (flight integer, week integer, channel text, kind text, spend float8, volume float8, kpi float8,
                   incremental float8, conversions float8, revenue float8, roi float8, cpa float8, marginal float8,
                   carryover boolean)
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 600
    AS 'MODULE_PATHNAME', 'plan_allocation_rows';
COMMENT ON FUNCTION mixmodel._plan_allocation_rows(text[], float8[], float8[], float8[], float8[], integer[], float8[], float8[], integer[], integer[], integer, float8, float8) IS
'Internal (create_plan): the plan_allocations rows of a plan from _plan_core''s arrays, in one pass: each paid channel c (1-based) in horizon week t (0-based; week_flight[t + 1] its flight, carry-over after flight_to of it) with spend x[(c - 1) * horizon + t + 1], kpi and incremental of its primary term prim[c] of term_total and term_incr (0 without one), volume spend / cost[c], conversions and revenue by the factors, ROI, CPA and marginal; then base with kpi base[t + 1]. The same arithmetic as SQL''s float8 operators, a missing element NULL as a subscript gives.';

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
    xall float8[] := '{}'; xoff int[] := '{}'; xnt int[] := '{}';
    pbase float8[];
    mrev float8[]; mconv float8[];
    mult boolean;
    cert jsonb;
    wfl int[];
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
            SELECT * INTO r FROM mixmodel.runs x WHERE x.model = m.name AND x.run = m.current_run;
            ins := ins || r.inputs;
        ELSE
            ins := ins || (SELECT x.inputs FROM mixmodel.runs x WHERE x.model = mrow.name AND x.run = mrow.current_run);
        END IF;
        mopts := mopts || mrow.options;
    END LOOP;
    mult := coalesce(m.options->>'form', 'additive') = 'multiplicative';
    -- (the element of ins, decompressed once: r.inputs would be decompressed at every ->)
    i := ins[1];
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
    -- every model's x as float8, read once (models' arrays one after the other from xoff + 1)
    FOR q IN 1 .. cardinality(mods) LOOP
        xoff := xoff || cardinality(xall);
        xall := xall || mixmodel._jf(ins[q]->'x');
        xnt := xnt || cardinality(xall) - xoff[q];
    END LOOP;
    FOR j IN 1 .. cardinality(tch) LOOP
        ntq := xnt[tmod[j]] / jsonb_array_length(ins[tmod[j]]->'channels');
        v := 1;
        IF mopts[tmod[j]] #>> ARRAY['spend_columns', ch[tch[j]]] IS NOT NULL THEN
            e := ins[tmod[j]];
            nw := jsonb_array_length(e->'periods');
            v := (SELECT sum((e->'spend'->>((pos[j] - 1) * nw + u - 1))::float8) FROM generate_series(1, nw) u)
                 / nullif((SELECT sum((e->'x'->>((pos[j] - 1) * ntq + ntq - nw + u - 1))::float8) FROM generate_series(1, nw) u), 0);
            IF NOT v > 0 THEN
                RAISE EXCEPTION 'channel "%" has no spend or no exposure in the training window', ch[tch[j]] USING ERRCODE = '22000';
            END IF;
        END IF;
        sc[j] := sc[j] * v;
        -- the term's slice of x (a spend channel's as it is: v = 1, and 1 * x is x)
        trow := xall[xoff[tmod[j]] + (pos[j] - 1) * ntq + 1 : xoff[tmod[j]] + pos[j] * ntq];
        IF v <> 1 THEN
            trow := ARRAY(SELECT v * u.x FROM unnest(trow) WITH ORDINALITY u(x, k) ORDER BY u.k);
        END IF;
        trow := array_fill(0::float8, ARRAY[nt - ntq]) || trow || array_fill(0::float8, ARRAY[ngap]);
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
        IF ref_from IS NULL THEN
            -- flat: every week of a flight gets 1 / its weeks (flights are in week order, apart),
            -- the same for every channel
            trow := '{}';
            FOR k IN 1 .. nk LOOP
                trow := trow || array_fill(0::float8, ARRAY[ffrom[k] - cardinality(trow)])
                        || array_fill((1.0 / (fto[k] - ffrom[k]))::float8, ARRAY[fto[k] - ffrom[k]]);
            END LOOP;
            pat := '{}';
            FOR c IN 1 .. nch LOOP
                pat := pat || trow;
            END LOOP;
        ELSE
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
        END IF;
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
    -- (the primary model's are those just found)
    SELECT ARRAY[rev_per_kpi] || array_agg(f.revenue_per_kpi ORDER BY q.o), ARRAY[conv_per_kpi] || array_agg(f.conversions_per_kpi ORDER BY q.o)
      INTO mrev, mconv
      FROM unnest(mods[2:]) WITH ORDINALITY q(x, o), LATERAL mixmodel._model_kpi_units(q.x) u,
           LATERAL mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f;
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
        pbase := core.base;
    ELSE
    core := mixmodel._plan_core(ad, ap1, ap2, ml, nm, sa, sp1, sp2, sc, cf, thist, np, ffrom, fto, budget,
                                lo, hi, pat, core_goal, core_target, coalesce(max_budget, 'Infinity'),
                                (SELECT array_agg(x - 1 ORDER BY o) FROM unnest(tch) WITH ORDINALITY u(x, o)),
                                (SELECT array_agg(mws[x] ORDER BY o) FROM unnest(tmod) WITH ORDINALITY u(x, o)));
    END IF;
    nh := core.horizon;
    -- the flight of every horizon week (its lag tail belongs to the last flight before it)
    -- (flights are in week order: flight k from its first week up to the next flight's)
    wfl := array_fill(NULL::int, ARRAY[ffrom[1]]);
    FOR k IN 1 .. nk LOOP
        wfl := wfl || array_fill(k, ARRAY[CASE WHEN k < nk THEN ffrom[k + 1] ELSE nh END - ffrom[k]]);
    END LOOP;

    -- write (a plan of the same name is replaced; concurrent rebuilds of one name queue here)
    PERFORM pg_advisory_xact_lock(hashtext('mixmodel.create_plan'), hashtext(plan_name));
    DELETE FROM mixmodel.plans x WHERE x.name = plan_name;
    PERFORM mixmodel._audit(CASE WHEN FOUND THEN 'update' ELSE 'create' END, 'plan', plan_name,
        jsonb_build_object('model', m.name, 'run', r.run, 'goal', goal, 'flights', flights, 'target_metric', target_metric,
                           'max_budget', max_budget, 'constraints', constraints, 'spend_pattern', spend_pattern,
                           'revenue_per_conversion', revenue_per_conversion, 'channel_cost', channel_cost,
                           'monthly', monthly, 'models', models));
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
    -- a week after its flight's last week (before the next flight, or the lag tail) is a
    -- carry-over week: summaries report it apart from the flight's own weeks
    -- base: the non-paid part of the fit in the same week of the latest year of the window
    -- (same week last year); the mean of the window's last 52 weeks when no such week exists.
    -- A factor with a value for the plan week (a row of the wide table, or a harmonized
    -- actual or forecasted value) contributes coef * that value instead of last year's.
    DECLARE
        fr record; prefs date[]; zs float8[]; fcs float8[]; bmean float8; fmean float8;
        bases float8[] := '{}';
    BEGIN
        -- multiplicative: the solver's base (same week last year of the fit, paid channels removed)
        IF mult THEN
            bases := core.base;
        ELSE
        -- (one statement per factor, not one per week and factor: the loop over weeks is in SQL)
        -- each week's reference period: the latest fitted week a whole number of years before it
        -- (one join each, not one subquery per week: a whole number of years apart is the same
        -- day number modulo 364)
        prefs := ARRAY(SELECT q.p FROM (SELECT t.t, max(y.period) AS p FROM generate_series(0, nh - 1) t(t)
                                          LEFT JOIN mixmodel.run_fit y ON y.model = m.name AND y.run = r.run
                                               AND ((y.period - DATE '2000-01-03') % 364 + 364) % 364
                                                   = ((w0 + 7 * t.t - DATE '2000-01-03') % 364 + 364) % 364
                                         GROUP BY t.t) q ORDER BY q.t);
        SELECT coalesce(sum(x.contribution) / count(DISTINCT x.period), 0) INTO bmean FROM mixmodel.run_decomposition x
         WHERE x.model = m.name AND x.run = r.run AND x.kind NOT IN ('channel', 'factor') AND x.period > last_p - 364;
        -- a period's terms summed in term order (the primary key's, which a lookup of one period
        -- read): the grouping reads the rows sorted by period and term
        bases := ARRAY(SELECT CASE WHEN u.p IS NULL THEN bmean ELSE coalesce(b.v, 0) END
                         FROM unnest(prefs) WITH ORDINALITY u(p, k)
                         LEFT JOIN (SELECT o.period, sum(o.contribution) AS v
                                      FROM (SELECT x.period, x.contribution FROM mixmodel.run_decomposition x
                                             WHERE x.model = m.name AND x.run = r.run AND x.kind NOT IN ('channel', 'factor')
                                               AND x.period >= (SELECT min(y) FROM unnest(prefs) y)
                                               AND x.period <= (SELECT max(y) FROM unnest(prefs) y)
                                             ORDER BY x.period, x.term) o
                                     GROUP BY o.period) b ON b.period = u.p
                        ORDER BY u.k);
        FOR fr IN SELECT x.term, x.coef FROM mixmodel.run_coefficients x
                   WHERE x.model = m.name AND x.run = r.run AND x.kind = 'factor' ORDER BY x.term LOOP
            -- the factor's value in each plan week, where the source has one
            IF m.source_kind = 'wide' THEN
                EXECUTE format('SELECT pg_catalog.array_agg(q.z ORDER BY t) FROM pg_catalog.generate_series(0, $2 - 1) t
                                  LEFT JOIN (SELECT s.%3$I::date AS d, max(s.%1$I)::float8 AS z FROM %2$s s
                                              WHERE s.%3$I::date >= $1 AND s.%3$I::date <= $1 + 7 * ($2 - 1)
                                              GROUP BY 1) q ON q.d = $1 + 7 * t',
                               fr.term, mixmodel._model_source_sql(m.source, def, m.options), def->>'date_column')
                   INTO zs USING w0, nh;
            ELSE
                zs := ARRAY(SELECT (SELECT max(q.value) FROM mixmodel._factor_series(fr.term, 'week', w0 + 7 * t, w0 + 7 * t, m.owner) q
                                     WHERE q.period = w0 + 7 * t)
                              FROM generate_series(0, nh - 1) t ORDER BY t);
            END IF;
            SELECT coalesce(sum(x.contribution) / count(DISTINCT x.period), 0) INTO fmean FROM mixmodel.run_decomposition x
             WHERE x.model = m.name AND x.run = r.run AND x.term = fr.term AND x.period > last_p - 364;
            -- (the term has one row a period)
            fcs := ARRAY(SELECT CASE WHEN u.z IS NOT NULL THEN fr.coef * u.z
                                     WHEN u.p IS NULL THEN fmean
                                     ELSE coalesce(x.contribution, 0) END
                           FROM unnest(zs, prefs) WITH ORDINALITY u(z, p, k)
                           LEFT JOIN mixmodel.run_decomposition x ON x.model = m.name AND x.run = r.run AND x.term = fr.term
                                AND x.period = u.p AND u.z IS NULL
                          ORDER BY u.k);
            bases := ARRAY(SELECT u.b + u.f FROM unnest(bases, fcs) WITH ORDINALITY u(b, f, k) ORDER BY u.k);
        END LOOP;
        END IF;
        -- the paid channels' rows (spend, the primary model's own term, volume, conversions,
        -- revenue, ROI = incremental revenue / spend - 1, CPA = spend / incremental conversions),
        -- then base's; formed in C (_plan_allocation_rows)
        INSERT INTO mixmodel.plan_allocations
        SELECT plan_name, a.flight, w0 + 7 * a.week, a.channel, a.kind, a.spend, a.volume, a.kpi, a.incremental,
               a.conversions, a.revenue, a.roi, a.cpa, a.marginal, a.carryover
          FROM mixmodel._plan_allocation_rows(ch, core.x, core.term_total, core.term_incr, core.marginal, prim, cost,
                                              bases, wfl, fto, nh, rev_per_kpi, conv_per_kpi) a;
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

    -- kpi, conversions and revenue over the flight's own weeks; incremental, ROI and CPA the
    -- whole effect (own and carry-over weeks), carryover its part in the carry-over weeks
    INSERT INTO mixmodel.plan_summary
    SELECT plan_name, a.flight, a.channel, sum(a.spend),
           sum(a.spend) / nullif(sum(sum(a.spend)) OVER (PARTITION BY a.flight), 0),
           CASE WHEN a.kind = 'paid' THEN hspend[array_position(ch, a.channel)] / nullif((SELECT sum(x) FROM unnest(hspend) x), 0) END,
           sum(a.kpi) FILTER (WHERE NOT a.carryover), sum(a.incremental),
           sum(a.conversions) FILTER (WHERE NOT a.carryover), sum(a.revenue) FILTER (WHERE NOT a.carryover),
           CASE WHEN sum(a.spend) > 0 THEN sum(a.incremental) * rev_per_kpi / sum(a.spend) - 1 END,
           CASE WHEN sum(a.spend) > 0 AND sum(a.incremental) > 0 THEN sum(a.spend) / (sum(a.incremental) * conv_per_kpi) END,
           CASE WHEN a.kind = 'paid' THEN core.flight_marginal[(array_position(ch, a.channel) - 1) * nk + a.flight] END,
           CASE WHEN a.kind = 'paid' THEN lo[(array_position(ch, a.channel) - 1) * nk + a.flight] END,
           CASE WHEN a.kind = 'paid' THEN nullif(hi[(array_position(ch, a.channel) - 1) * nk + a.flight], 'Infinity') END,
           coalesce(sum(a.incremental) FILTER (WHERE a.carryover), 0)
      FROM mixmodel.plan_allocations a WHERE a.plan = plan_name
     GROUP BY a.flight, a.channel, a.kind
    UNION ALL
    SELECT plan_name, a.flight, 'total', sum(a.spend), 1, 1, sum(a.kpi) FILTER (WHERE NOT a.carryover),
           sum(a.incremental), sum(a.conversions) FILTER (WHERE NOT a.carryover),
           sum(a.revenue) FILTER (WHERE NOT a.carryover),
           CASE WHEN sum(a.spend) > 0 THEN sum(a.incremental) * rev_per_kpi / sum(a.spend) - 1 END,
           CASE WHEN sum(a.spend) > 0 AND sum(a.incremental) > 0 THEN sum(a.spend) / (sum(a.incremental) * conv_per_kpi) END,
           NULL, NULL, NULL, coalesce(sum(a.incremental) FILTER (WHERE a.carryover), 0)
      FROM mixmodel.plan_allocations a WHERE a.plan = plan_name
     GROUP BY a.flight;

    -- a Bayesian model's credible bands of the forecast (one model; the plan is the point model's)
    IF cardinality(mods) = 1 THEN
        PERFORM mixmodel._plan_write_bands(plan_name, m.name, r.run, CASE WHEN mult THEN 'multiplicative' ELSE 'additive' END,
                                           ch, ad, ml, nm, sa, sc, hist, core.x, pbase,
                                           ffrom, fto, nh, rev_per_kpi, conv_per_kpi);
    END IF;

    -- each model's own forecast of the planned spend, per flight: its channels and "paid"
    INSERT INTO mixmodel.plan_model_summary
    WITH tw AS (SELECT j, fw.fl, t >= fto[fw.fl] AS cw,
                       core.x[(tch[j] - 1) * nh + t + 1] AS x, core.term_total[(j - 1) * nh + t + 1] AS tot,
                       core.term_incr[(j - 1) * nh + t + 1] AS inc
                  FROM generate_series(1, cardinality(tch)) j, generate_series(0, nh - 1) t,
                       LATERAL (SELECT wfl[t + 1] AS fl) fw),
         mr AS (SELECT tmod[tw.j] AS mo, tw.fl, ch[tch[tw.j]] AS chan, sum(tw.x) AS x, sum(tw.tot) FILTER (WHERE NOT tw.cw) AS tot,
                       sum(tw.inc) AS inc, coalesce(sum(tw.inc) FILTER (WHERE tw.cw), 0) AS carry
                    FROM tw GROUP BY tw.j, tw.fl
                  UNION ALL
                  SELECT tmod[tw.j], tw.fl, 'paid', sum(tw.x), sum(tw.tot) FILTER (WHERE NOT tw.cw),
                         sum(tw.inc), coalesce(sum(tw.inc) FILTER (WHERE tw.cw), 0)
                    FROM tw GROUP BY tmod[tw.j], tw.fl),
         u AS (SELECT mr.*, mrev[mr.mo] AS rk, mconv[mr.mo] AS ck FROM mr)
    SELECT plan_name, mods[u.mo], mws[u.mo], u.fl, u.chan, u.x, u.tot, u.inc, u.tot * u.ck, u.tot * u.rk,
           CASE WHEN u.x > 0 THEN u.inc * u.rk / u.x - 1 END,
           CASE WHEN u.x > 0 AND u.inc > 0 THEN u.x / (u.inc * u.ck) END,
           u.carry
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
    PERFORM mixmodel._audit('duplicate', 'plan', new_name, jsonb_build_object('source', source, 'model', target_model));
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
                col, mixmodel._model_source_sql(m.source, m.definition, m.options), m.definition->>'date_column') USING p.name, ch;
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
            kcol, mixmodel._model_source_sql(m.source, m.definition, m.options), m.definition->>'date_column') USING p.name;
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

CREATE VIEW mixmodel.plan_actuals WITH (security_invoker = true) AS
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
