-- tanh saturation in models (issue 13, defect 8): option "saturation": "tanh" fits
-- coef * tanh(a / c) with a the adstocked input over its maximum, the curve of
-- mixmodel.tanh_saturation(a, 1, c) (the ceiling b is the coefficient's: b = 1)
SET client_min_messages = warning;
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('mtanh', seed => 9, weeks => 120, events => 1000,
       channels => ARRAY['tv', 'search']);
SELECT mixmodel.create_model('mtanh_m', source => 'mtanh.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'],
       options => '{"inference": "ridge", "candidates": 60, "saturation": "tanh", "channels": {"search_spend": {"c": [0.2, 0.8]}}}');
SELECT split, r2 > 0.5 AS fits FROM mixmodel.train('mtanh_m', seed => 1);
SELECT channel, saturation, sat_p1, sat_p2 BETWEEN CASE channel WHEN 'search_spend' THEN 0.2 ELSE 0.1 END
                                               AND CASE channel WHEN 'search_spend' THEN 0.8 ELSE 2 END AS c_in_range
  FROM mixmodel.run_channels WHERE model = 'mtanh_m' ORDER BY position;
-- the stored spec reproduces the fit with the public primitives: recursive geometric adstock
-- over the whole input, tanh_saturation on the window over input_scale, times coef
SELECT c.channel,
       max(abs(d.contribution - c.coef * mixmodel.tanh_saturation(a.v / c.input_scale, c.sat_p1, c.sat_p2))
           / nullif(abs(d.contribution), 0)) < 1e-12 AS reproduced
  FROM mixmodel.run_channels c
  JOIN mixmodel.runs r USING (model, run)
  CROSS JOIN LATERAL (SELECT u.v, u.k FROM unnest(mixmodel.adstock_geometric(
                          (mixmodel._jf(r.inputs->'x'))[(c.position - 1) * ((r.inputs->>'t0')::int + jsonb_array_length(r.inputs->'periods')) + 1
                                                        : c.position * ((r.inputs->>'t0')::int + jsonb_array_length(r.inputs->'periods'))],
                          c.adstock_p1)) WITH ORDINALITY u(v, k)) a
  JOIN mixmodel.run_decomposition d ON d.model = c.model AND d.run = c.run AND d.term = c.channel
   AND d.period = (r.inputs->'periods'->>(a.k::int - 1 - (r.inputs->>'t0')::int))::date
 WHERE c.model = 'mtanh_m' AND a.k > (r.inputs->>'t0')::int
 GROUP BY c.channel ORDER BY 1;
-- downstream: response curves, scoring and a plan read the tanh spec
SELECT count(*) > 0 AS curve, bool_and(marginal_response >= 0) AS increasing
  FROM mixmodel.response_curve('mtanh_m', 'tv_spend');
SELECT count(*) AS terms FROM mixmodel.score('mtanh_m', '2025-03-03', '2025-04-14');
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('mtanh_plan', 'mtanh_m',
       flights => '[{"from": "2025-04-21", "to": "2025-06-29", "budget": 5000}]');
SELECT kkt_residual < 1e-6 AS certified FROM mixmodel.plans WHERE name = 'mtanh_plan';
-- bounds of c are checked like every other range
\set VERBOSITY terse
SELECT mixmodel.create_model('mtanh_bad', source => 'mtanh.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"saturation": "tanh", "channels": {"tv_spend": {"c": [0, 1]}}}');
SELECT split FROM mixmodel.train('mtanh_bad');
SELECT mixmodel.create_model('mtanh_bad2', source => 'mtanh.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend'], options => '{"saturation": "tanhh"}');
\set VERBOSITY default
SELECT mixmodel.drop_model('mtanh_bad');
SELECT mixmodel.drop_model('mtanh_m', cascade => true);
DROP SCHEMA mtanh CASCADE;
