-- plan totals mean the flights' own weeks (issue 13, defect 6): the base, kpi, revenue and total
-- of a flight cover its weeks only, not the carry-over weeks after it (before the next flight,
-- the lag tail after the last); what its spend adds there is reported apart (carryover, the
-- part of incremental that lands after the flight), and ROI keeps counting the whole effect
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('pt', seed => 6, weeks => 120, events => 1000,
       channels => ARRAY['tv', 'search']);
SELECT mixmodel.create_model('pt_m', source => 'pt.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 40, "channels": {"tv_spend": {"theta": [0.5, 0.7]}}}');
SELECT count(*) AS metric_rows FROM mixmodel.train('pt_m', seed => 1);
-- two flights of 13 weeks with 4 weeks between them
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('pt_plan', 'pt_m',
       flights => '[{"from": "2025-04-21", "to": "2025-07-20", "budget": 1200},
                    {"from": "2025-08-18", "to": "2025-11-16", "budget": 1200}]');
SELECT a.flight, count(*) FILTER (WHERE NOT a.carryover) AS flight_weeks, count(*) FILTER (WHERE a.carryover) AS carryover_weeks,
       bool_and(a.carryover = (a.week > f.to_date)) AS flagged_after_the_flight
  FROM mixmodel.plan_allocations a JOIN mixmodel.plan_flights f USING (plan, flight)
 WHERE a.plan = 'pt_plan' AND a.channel = 'base' GROUP BY a.flight ORDER BY a.flight;
-- the base of each flight: the base of its own 13 weeks, about the same per week in both flights
SELECT s.flight, abs(s.kpi - w.base) <= 1e-9 * abs(w.base) AS base_is_flight_weeks, w.weeks,
       round((s.kpi / w.weeks / (SELECT kpi / 13 FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND flight = 1 AND channel = 'base'))::numeric, 2) AS weekly_base_vs_flight_1
  FROM mixmodel.plan_summary s
  JOIN mixmodel.plan_flights f USING (plan, flight)
  CROSS JOIN LATERAL (SELECT sum(a.kpi) AS base, count(*) AS weeks FROM mixmodel.plan_allocations a
                       WHERE a.plan = s.plan AND a.channel = 'base' AND a.week BETWEEN f.from_date AND f.to_date) w
 WHERE s.plan = 'pt_plan' AND s.channel = 'base' ORDER BY s.flight;
-- paid channels: kpi and revenue over the flight's weeks; incremental over those and the
-- carry-over weeks, carryover its part after the flight
SELECT s.flight, s.channel,
       abs(s.kpi - sum(a.kpi) FILTER (WHERE a.week <= f.to_date)) <= 1e-9 * s.kpi AS kpi_is_flight_weeks,
       abs(s.revenue - s.kpi) <= 1e-9 * s.kpi AS revenue_is_kpi,
       abs(s.incremental - sum(a.incremental)) <= 1e-9 * s.incremental AS incremental_counts_carryover_weeks,
       abs(s.carryover - sum(a.incremental) FILTER (WHERE a.week > f.to_date)) <= 1e-9 * s.carryover AS carryover_is_later_weeks,
       s.carryover > 0 AS carries_over,
       abs(s.roi - (s.incremental / s.spend - 1)) <= 1e-12 AS roi_counts_the_whole_effect
  FROM mixmodel.plan_summary s JOIN mixmodel.plan_flights f USING (plan, flight)
  JOIN mixmodel.plan_allocations a ON a.plan = s.plan AND a.flight = s.flight AND a.channel = s.channel
 WHERE s.plan = 'pt_plan' AND s.channel NOT IN ('base', 'total')
 GROUP BY s.flight, s.channel, s.kpi, s.revenue, s.incremental, s.carryover, s.roi, s.spend, f.to_date ORDER BY 1, 2;
-- the total: paid channels and base over the flight's weeks; its carryover the paid channels'
SELECT t.flight, abs(t.kpi - (SELECT sum(x.kpi) FROM mixmodel.plan_summary x
                               WHERE x.plan = t.plan AND x.flight = t.flight AND x.channel <> 'total')) <= 1e-9 * t.kpi AS total_adds_up,
       abs(t.carryover - (SELECT sum(x.carryover) FROM mixmodel.plan_summary x
                           WHERE x.plan = t.plan AND x.flight = t.flight AND x.channel NOT IN ('total', 'base'))) <= 1e-9 * t.carryover AS carryover_adds_up
  FROM mixmodel.plan_summary t WHERE t.plan = 'pt_plan' AND t.channel = 'total' ORDER BY 1;
-- compare_plans: revenue of the flights' weeks; the total ROI over them (not inflated by later
-- weeks' base), the paid ROI counting the carry-over
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('pt_flat', 'pt_m', spend_pattern => 'flat',
       flights => '[{"from": "2025-04-21", "to": "2025-07-20", "budget": 1200},
                    {"from": "2025-08-18", "to": "2025-11-16", "budget": 1200}]');
SELECT c.channel,
       abs(c.revenue_a - (SELECT sum(revenue) FROM mixmodel.plan_summary WHERE plan = 'pt_plan'
                           AND channel = CASE c.channel WHEN 'paid' THEN 'total' ELSE c.channel END)
                       + CASE c.channel WHEN 'paid' THEN (SELECT sum(kpi) FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND channel = 'base') ELSE 0 END)
           <= 1e-9 * abs(c.revenue_a) AS flight_weeks_revenue,
       round(c.roi_a::numeric, 2) AS roi_a, round(c.roi_b::numeric, 2) AS roi_b
  FROM mixmodel.compare_plans('pt_plan', 'pt_flat') c ORDER BY c.channel;
SELECT abs(c.roi_a - ((SELECT sum(revenue) FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND channel = 'total')
                      / (SELECT sum(spend) FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND channel = 'total') - 1)) <= 1e-12 AS total_roi_of_flight_weeks
  FROM mixmodel.compare_plans('pt_plan', 'pt_flat') c WHERE c.channel = 'total';
SELECT abs(c.roi_a - ((SELECT sum(incremental) FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND channel = 'total')
                      / (SELECT sum(spend) FROM mixmodel.plan_summary WHERE plan = 'pt_plan' AND channel = 'total') - 1)) <= 1e-12 AS paid_roi_with_carryover
  FROM mixmodel.compare_plans('pt_plan', 'pt_flat') c WHERE c.channel = 'paid';
-- plan_model_summary: the same split
SELECT m.flight, m.channel, abs(m.kpi - s.kpi) <= 1e-9 * s.kpi AS kpi_as_summary,
       abs(m.carryover - s.carryover) <= 1e-9 * s.carryover AS carryover_as_summary
  FROM mixmodel.plan_model_summary m
  JOIN mixmodel.plan_summary s ON s.plan = m.plan AND s.flight = m.flight AND s.channel = m.channel
 WHERE m.plan = 'pt_plan' ORDER BY 1, 2;

SELECT mixmodel.drop_model('pt_m', cascade => true);
DROP SCHEMA pt CASCADE;
