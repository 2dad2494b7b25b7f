-- plan: credible bands of a plan's forecast over a Bayesian model's draws (doc/plan.md "Intervals")

ALTER TABLE mixmodel.plan_allocations
    ADD COLUMN kpi_lower float8, ADD COLUMN kpi_upper float8,
    ADD COLUMN incremental_lower float8, ADD COLUMN incremental_upper float8;
COMMENT ON COLUMN mixmodel.plan_allocations.kpi_lower IS 'Bayesian model: lower end of kpi''s credible interval at the run''s level, over the draws with this week''s planned spend (NULL otherwise)';
COMMENT ON COLUMN mixmodel.plan_allocations.kpi_upper IS 'Bayesian model: upper end of kpi''s credible interval';
COMMENT ON COLUMN mixmodel.plan_allocations.incremental_lower IS 'Bayesian model: lower end of incremental''s credible interval';
COMMENT ON COLUMN mixmodel.plan_allocations.incremental_upper IS 'Bayesian model: upper end of incremental''s credible interval';

ALTER TABLE mixmodel.plan_summary
    ADD COLUMN kpi_lower float8, ADD COLUMN kpi_upper float8,
    ADD COLUMN incremental_lower float8, ADD COLUMN incremental_upper float8,
    ADD COLUMN revenue_lower float8, ADD COLUMN revenue_upper float8,
    ADD COLUMN roi_lower float8, ADD COLUMN roi_upper float8;
COMMENT ON COLUMN mixmodel.plan_summary.kpi_lower IS 'Bayesian model: lower end of kpi''s credible interval at the run''s level (paid channels, and the total with the base, which is the point model''s); NULL otherwise';
COMMENT ON COLUMN mixmodel.plan_summary.kpi_upper IS 'Bayesian model: upper end of kpi''s credible interval';
COMMENT ON COLUMN mixmodel.plan_summary.incremental_lower IS 'Bayesian model: lower end of incremental''s credible interval';
COMMENT ON COLUMN mixmodel.plan_summary.incremental_upper IS 'Bayesian model: upper end of incremental''s credible interval';
COMMENT ON COLUMN mixmodel.plan_summary.revenue_lower IS 'Bayesian model: lower end of revenue''s credible interval (kpi in revenue)';
COMMENT ON COLUMN mixmodel.plan_summary.revenue_upper IS 'Bayesian model: upper end of revenue''s credible interval';
COMMENT ON COLUMN mixmodel.plan_summary.roi_lower IS 'Bayesian model: lower end of the ROI''s credible interval';
COMMENT ON COLUMN mixmodel.plan_summary.roi_upper IS 'Bayesian model: upper end of the ROI''s credible interval';

CREATE FUNCTION mixmodel._plan_band(form text, adstock text[], max_lag integer[], normalize_weights boolean[],
        saturation text[], input_scale float8[], params float8[], hist float8[], x float8[], base float8[],
        flight integer[], carry boolean[], flights integer, level float8)
    RETURNS float8[]
    AS 'MODULE_PATHNAME', 'plan_band'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION mixmodel._plan_band(text, text[], integer[], boolean[], text[], float8[], float8[], float8[], float8[], float8[], integer[], boolean[], integer, float8) IS 'Internal (create_plan): credible bands at level of a plan''s forecast over draws of its channels (params: 5 values per channel per draw, draw after draw): per channel and horizon week the lower and upper KPI and increment, then per channel and flight (and the paid total) the lower and upper increment and own-week KPI; multiplicative plans hold the base at the planner''s.';

-- the bands of a plan of a Bayesian model into plan_allocations and plan_summary
CREATE FUNCTION mixmodel._plan_write_bands(plan_name text, model text, run integer, form text,
        ch text[], ad text[], ml integer[], nm boolean[], sa text[], sc float8[], hist float8[],
        x float8[], base float8[], ffrom integer[], fto integer[], nh integer,
        rev_per_kpi float8, conv_per_kpi float8)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lvl float8 := mixmodel._run_level(model, run);
    nch int := cardinality(ch);
    nk int := cardinality(ffrom);
    pd float8[];
    fl int[];
    cw boolean[];
    bd float8[];
    wo int;                                  -- offset of the flight bands
BEGIN
    IF lvl IS NULL THEN
        RETURN;
    END IF;
    -- 200 evenly thinned draws of every channel, draw after draw
    pd := (SELECT array_agg(u.v ORDER BY (u.k - 1) / 5, q.c, (u.k - 1) % 5)
             FROM generate_series(1, nch) q(c),
                  LATERAL unnest(mixmodel._run_channel_draws(model, run, ch[q.c], 200)) WITH ORDINALITY u(v, k));
    SELECT array_agg(f.k - 1 ORDER BY t), array_agg(t >= fto[f.k] ORDER BY t) INTO fl, cw
      FROM generate_series(0, nh - 1) t,
           LATERAL (SELECT max(q) AS k FROM generate_series(1, nk) q WHERE ffrom[q] <= t) f;
    bd := mixmodel._plan_band(form, ad, ml, nm, sa, sc, pd, hist, x, base, fl, cw, nk, lvl);
    wo := 4 * nch * nh;
    UPDATE mixmodel.plan_allocations a
       SET kpi_lower = bd[(c - 1) * nh + t + 1], kpi_upper = bd[nch * nh + (c - 1) * nh + t + 1],
           incremental_lower = bd[2 * nch * nh + (c - 1) * nh + t + 1],
           incremental_upper = bd[3 * nch * nh + (c - 1) * nh + t + 1]
      FROM generate_series(1, nch) c, generate_series(0, nh - 1) t
     WHERE a.plan = plan_name AND a.channel = ch[c] AND a.week = (SELECT min(x.week) FROM mixmodel.plan_allocations x WHERE x.plan = plan_name) + 7 * t;
    -- per flight: channel c (1..nch) or the paid total (nch + 1)
    UPDATE mixmodel.plan_summary s
       SET incremental_lower = bd[wo + (c - 1) * nk + s.flight],
           incremental_upper = bd[wo + (nch + 1) * nk + (c - 1) * nk + s.flight],
           kpi_lower = bd[wo + 2 * (nch + 1) * nk + (c - 1) * nk + s.flight] + b.kpi,
           kpi_upper = bd[wo + 3 * (nch + 1) * nk + (c - 1) * nk + s.flight] + b.kpi,
           revenue_lower = (bd[wo + 2 * (nch + 1) * nk + (c - 1) * nk + s.flight] + b.kpi) * rev_per_kpi,
           revenue_upper = (bd[wo + 3 * (nch + 1) * nk + (c - 1) * nk + s.flight] + b.kpi) * rev_per_kpi,
           roi_lower = CASE WHEN s.spend > 0 THEN bd[wo + (c - 1) * nk + s.flight] * rev_per_kpi / s.spend - 1 END,
           roi_upper = CASE WHEN s.spend > 0 THEN bd[wo + (nch + 1) * nk + (c - 1) * nk + s.flight] * rev_per_kpi / s.spend - 1 END
      FROM generate_series(1, nch + 1) c,
           -- the total row's KPI holds the base, which is the point model's
           (SELECT k.k AS flight, CASE WHEN cc > nch THEN coalesce(x.kpi, 0) ELSE 0 END AS kpi, cc
              FROM generate_series(1, nk) k(k) CROSS JOIN generate_series(1, nch + 1) cc
              LEFT JOIN mixmodel.plan_summary x ON x.plan = plan_name AND x.flight = k.k AND x.channel = 'base') b
     WHERE s.plan = plan_name AND s.channel = CASE WHEN c <= nch THEN ch[c] ELSE 'total' END
       AND b.flight = s.flight AND b.cc = c;
END $$;
COMMENT ON FUNCTION mixmodel._plan_write_bands(text, text, integer, text, text[], text[], integer[], boolean[], text[], float8[], float8[], float8[], float8[], integer[], integer[], integer, float8, float8) IS 'Internal (create_plan): fills the credible bands of a plan of a Bayesian model (the plan is optimised at the point model, each parameter at its posterior median; its forecast''s bands come from 200 evenly thinned draws) into plan_allocations and plan_summary; nothing for other runs.';
