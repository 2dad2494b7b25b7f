-- plan: a flight's totals are its own weeks; the effect of its spend in the carry-over weeks
-- after it (before the next flight, and the lag tail after the last) is reported apart
-- (doc/plan.md "Totals")

ALTER TABLE mixmodel.plan_allocations ADD COLUMN carryover boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN mixmodel.plan_allocations.carryover IS 'The week lies after its flight''s last week (before the next flight, or in the lag tail after the last one): only carry-over of the plan''s spend lands there; the flight''s totals leave it out.';
COMMENT ON COLUMN mixmodel.plan_allocations.flight IS 'Flight the week belongs to: its own weeks, then the carry-over weeks after it (carryover = true).';

ALTER TABLE mixmodel.plan_summary ADD COLUMN carryover float8 NOT NULL DEFAULT 0;
COMMENT ON COLUMN mixmodel.plan_summary.carryover IS 'The part of incremental that lands in the carry-over weeks after the flight (before the next flight, and the lag tail after the last), outside the flight''s own weeks (base: 0; total: the paid channels'').';
COMMENT ON COLUMN mixmodel.plan_summary.kpi IS 'Forecast KPI over the flight''s own weeks, including carry-over from earlier spend (base: the non-paid forecast of those weeks).';
COMMENT ON COLUMN mixmodel.plan_summary.incremental IS 'KPI the plan''s spend adds in the flight''s own weeks and the carry-over weeks after them (carryover is the latter part); what ROI, CPA and targets count.';
COMMENT ON COLUMN mixmodel.plan_summary.conversions IS 'kpi in conversions (the flight''s own weeks).';
COMMENT ON COLUMN mixmodel.plan_summary.revenue IS 'kpi in revenue (the flight''s own weeks).';

ALTER TABLE mixmodel.plan_model_summary ADD COLUMN carryover float8 NOT NULL DEFAULT 0;
COMMENT ON COLUMN mixmodel.plan_model_summary.carryover IS 'The part of incremental that lands in the carry-over weeks after the flight (unweighted).';
COMMENT ON COLUMN mixmodel.plan_model_summary.flight IS 'Flight number: kpi, revenue and conversions over its own weeks; incremental also over the carry-over weeks after them.';
COMMENT ON COLUMN mixmodel.plan_model_summary.kpi IS 'The model''s forecast KPI contribution of the channel over the flight''s own weeks, carry-over from history included.';
COMMENT ON COLUMN mixmodel.plan_model_summary.incremental IS 'KPI the plan''s spend adds in the flight''s own weeks and the carry-over weeks after them (carryover is the latter part).';
