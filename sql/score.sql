-- score: response curves, channel performance, contributions, adstock curves (doc/score.md)
SELECT count(*) > 0 AS generated
  FROM mixmodel.generate_raw_data('sc', seed => 5, weeks => 130, events => 2000, channels => ARRAY['tv', 'search', 'email']);
SELECT mixmodel.create_model('sc_m', source => 'sc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], organic => ARRAY['email_sends'], factors => ARRAY['price_index', 'holiday'],
       options => '{"inference": "ridge", "candidates": 300, "factor_signs": {"price_index": "negative"}}');
SELECT split, n FROM mixmodel.train('sc_m', seed => 1);

-- KPI unit: revenue (the KPI column's name); revenue per conversion = revenue / orders of the run's training window
SELECT u.kpi_unit,
       abs(u.revenue_per_conversion - (SELECT sum(w.revenue) / sum(w.orders) FROM sc.weekly_wide w, mixmodel.runs r
                                        WHERE r.model = 'sc_m' AND w.week BETWEEN r.from_date AND r.to_date))
           < 1e-12 * u.revenue_per_conversion AS revenue_per_order
  FROM mixmodel._model_kpi_units('sc_m') u;

-- ROI identities: roi = roas - 1 = (revenue - spend) / spend; spend is the source's training-row spend
SELECT p.channel,
       abs(p.roi - (p.roas - 1)) < 1e-12 AS roi_is_roas_minus_1,
       abs(p.roas - p.revenue / p.spend) < 1e-12 AS roas_is_revenue_over_spend,
       abs(p.roi - (p.revenue - p.spend) / p.spend) < 1e-12 AS roi_formula,
       abs(p.spend - s.spend) < 1e-9 * s.spend AS spend_of_training_rows,
       p.kpi_unit, p.revenue = p.contribution AS revenue_is_contribution,
       abs(p.conversions - p.revenue / u.revenue_per_conversion) < 1e-12 * p.conversions AS conversions_by_revenue_per_order,
       abs(p.cpa * p.conversions - p.spend) < 1e-9 * p.spend AS cpa_times_conversions_is_spend
  FROM mixmodel.channel_performance p
  JOIN LATERAL (SELECT sum(CASE p.channel WHEN 'tv_spend' THEN w.tv_spend ELSE w.search_spend END) AS spend
                  FROM sc.weekly_wide w, mixmodel.runs r
                 WHERE r.model = 'sc_m' AND w.week >= r.from_date AND w.week < r.holdout_from) s ON true
  CROSS JOIN mixmodel._model_kpi_units('sc_m') u
 WHERE p.model = 'sc_m' ORDER BY p.channel;
SELECT abs(sum(spend_share) - 1) < 1e-12 AS spend_shares_sum_to_1, abs(sum(effect_share) - 1) < 1e-12 AS effect_shares_sum_to_1
  FROM mixmodel.channel_performance WHERE model = 'sc_m';

-- reported ROAS (contribution / spend over the training rows) against the true one of the same
-- weeks (generator truth_contributions); measured: tv 1.42 vs 1.57, search 2.02 vs 2.65 with
-- this small search (300 candidates, 78 training weeks): recovery is loose, within 0.8
SELECT p.channel, round(p.roas::numeric, 2) AS roas, round(t.roas::numeric, 2) AS true_roas,
       abs(p.roas - t.roas) < 0.8 AS within_0_8
  FROM mixmodel.channel_performance p
  JOIN LATERAL (SELECT sum(c.contribution) / p.spend AS roas
                  FROM sc.truth_contributions c, mixmodel.runs r
                 WHERE r.model = 'sc_m' AND c.term = split_part(p.channel, '_spend', 1)
                   AND c.week >= r.from_date AND c.week < r.holdout_from) t ON true
 WHERE p.model = 'sc_m' ORDER BY p.channel;

-- immediate against carry-over share (robyn rule, formulas §4.6), against the rule computed
-- from the transforms: carry_t = s(O_t) with O_t = a_t - x_t, share = sum carry / sum s(a_t)
WITH c AS (SELECT * FROM mixmodel.run_channels WHERE model = 'sc_m' AND channel = 'tv_spend'),
     r AS (SELECT * FROM mixmodel.runs WHERE model = 'sc_m'),
     x AS (SELECT array_agg(tv_spend ORDER BY week) AS x, array_agg(week ORDER BY week) AS wk FROM sc.weekly_wide),
     a AS (SELECT u.week, u.x, u.a FROM x, c, unnest(x.wk, x.x, mixmodel.adstock_geometric(x.x, c.adstock_p1)) u(week, x, a)),
     t AS (SELECT sum(mixmodel.saturation('hill', a.a / c.input_scale, c.sat_p1, c.sat_p2)) AS total,
                  sum(mixmodel.saturation('hill', (a.a - a.x) / c.input_scale, c.sat_p1, c.sat_p2)) AS carry
             FROM a, c, r WHERE a.week >= r.from_date AND a.week < r.holdout_from)
SELECT c.max_lag = -1 AND c.adstock = 'geometric' AND c.saturation = 'hill' AS recursive_hill,
       abs(p.carryover_share - t.carry / t.total) < 1e-9 AS robyn_rule,
       abs(p.immediate_share + p.carryover_share - 1) < 1e-12 AS shares_sum_to_1
  FROM mixmodel.channel_performance p, t, c WHERE p.model = 'sc_m' AND p.channel = 'tv_spend';
SELECT channel, immediate_share > 0 AND immediate_share < 1 AS between_0_and_1
  FROM mixmodel.channel_performance WHERE model = 'sc_m' ORDER BY channel;

-- the marginal response equals a central finite difference of the curve (grid step = current / 1000;
-- from 0.25x on, where the truncation error of the difference, O(step^2 R'''), is below 1e-5)
WITH c AS (
    SELECT spend, multiple, response, marginal_response, lag(response) OVER w AS r_prev, lead(response) OVER w AS r_next,
           lag(spend) OVER w AS s_prev, lead(spend) OVER w AS s_next
      FROM mixmodel.response_curve('sc_m', 'tv_spend', grid_points => 3001, max_multiple => 3.0)
     WHERE abs(multiple * 1000 - round(multiple * 1000)) < 1e-6
    WINDOW w AS (ORDER BY spend)
)
SELECT count(*) AS points,
       max(abs((r_next - r_prev) / (s_next - s_prev) - marginal_response) / marginal_response) < 1e-5 AS marginal_is_derivative
  FROM c WHERE r_prev IS NOT NULL AND r_next IS NOT NULL AND multiple >= 0.25;

-- the flagged points: the current spend is multiple 1 with the response of response_points;
-- marginal ROAS 1 at break-even; at the point of diminishing returns the marginal equals the
-- average return up to break-even (formulas §4.5 mean_value); the peak has the steepest marginal
WITH c AS (SELECT * FROM mixmodel.response_curve('sc_m', 'tv_spend')),
     p AS (SELECT * FROM mixmodel.response_points('sc_m', 'tv_spend'))
SELECT (SELECT count(*) FROM c) AS rows,
       (SELECT abs(multiple - 1) < 1e-12 AND abs(c.response - p.current_response) < 1e-9 * p.current_response
          FROM c WHERE is_current) AS current_ok,
       (SELECT abs(marginal_roas - 1) < 1e-8 FROM c WHERE is_breakeven) AS breakeven_ok,
       (SELECT abs(d.marginal_roas - b.response / b.spend) < 1e-8
          FROM c d, c b WHERE d.is_diminishing_returns AND b.is_breakeven) AS pdr_ok,
       (SELECT c.marginal_response >= (SELECT max(marginal_response) FROM c) - 1e-9 FROM c WHERE is_peak) AS peak_ok,
       p.peak_spend < p.diminishing_returns_spend AND p.diminishing_returns_spend < p.breakeven_spend AS ordered,
       (SELECT abs(c.marginal_roas - p.marginal_roas_at_current) < 1e-12 FROM c WHERE is_current) AS marginal_at_current
  FROM p;
SELECT abs(p.marginal_roi - (r.marginal_roas_at_current - 1)) < 1e-12 AS marginal_roi_ok
  FROM mixmodel.channel_performance p, mixmodel.response_points('sc_m', 'tv_spend') r
 WHERE p.model = 'sc_m' AND p.channel = 'tv_spend';
-- the response_curves view is response_curve with its defaults
SELECT channel, count(*) >= 31 AS rows, bool_or(is_current) AS has_current, min(spend) = 0 AS from_zero,
       abs(max(multiple) - 3) < 1e-12 AS to_3x
  FROM mixmodel.response_curves WHERE model = 'sc_m' GROUP BY channel ORDER BY channel;
-- a sub-range: its spend is the range's spend
SELECT abs(current_spend - (SELECT sum(tv_spend) FROM sc.weekly_wide w, mixmodel.runs r
                             WHERE r.model = 'sc_m' AND w.week BETWEEN r.from_date AND r.from_date + 7 * 12)) < 1e-9 AS range_spend
  FROM mixmodel.response_points('sc_m', 'tv_spend', (SELECT from_date FROM mixmodel.runs WHERE model = 'sc_m'),
                                (SELECT from_date + 7 * 12 FROM mixmodel.runs WHERE model = 'sc_m'));

-- contributions: the terms of a period sum to the prediction
SELECT count(DISTINCT c.period) AS periods,
       max(abs(c.total - f.predicted)) < 1e-9 AS sums_to_prediction
  FROM (SELECT model, run, period, sum(contribution) AS total FROM mixmodel.contributions WHERE source = 'training' GROUP BY 1, 2, 3) c
  JOIN mixmodel.run_fit f USING (model, run, period)
 WHERE c.model = 'sc_m';

-- score: the training range reproduces the training decomposition term by term and the fit
SELECT from_date AS tr_from, to_date AS tr_to FROM mixmodel.runs WHERE model = 'sc_m' \gset
SELECT kind, count(*) AS terms, min(periods) AS periods FROM mixmodel.score('sc_m', :'tr_from', :'tr_to') GROUP BY kind ORDER BY kind;
SELECT count(*) AS rows,
       max(abs(s.contribution - d.contribution)) < 1e-9 AS terms_reproduced
  FROM mixmodel.scores s JOIN mixmodel.run_decomposition d USING (model, run, period, term)
 WHERE s.model = 'sc_m';
SELECT count(*) AS periods, max(abs(s.total - f.predicted)) < 1e-9 AS sums_to_prediction
  FROM (SELECT model, run, period, sum(contribution) AS total FROM mixmodel.scores GROUP BY 1, 2, 3) s
  JOIN mixmodel.run_fit f USING (model, run, period)
 WHERE s.model = 'sc_m';
-- rescoring a sub-range replaces its rows, and only them
SELECT count(*) AS terms FROM mixmodel.score('sc_m', :'tr_from'::date + 70, :'tr_from'::date + 139);
SELECT count(*) AS rows, count(DISTINCT period) AS periods,
       count(*) FILTER (WHERE scored_at = (SELECT max(scored_at) FROM mixmodel.scores WHERE model = 'sc_m')) AS rescored
  FROM mixmodel.scores WHERE model = 'sc_m';
-- before the training window (26 older weeks), once the adstock has warmed up (19 weeks for email's theta)
SELECT min(week) AS data_from FROM sc.weekly_wide \gset
SELECT periods FROM mixmodel.score('sc_m', :'data_from'::date + 7 * 19, :'tr_from'::date - 7)
 WHERE kind = 'intercept';

-- a multiplicative model trained on an earlier window, scored after it
SELECT mixmodel.create_model('sc_x', source => 'sc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index'],
       options => jsonb_build_object('inference', 'ridge', 'form', 'multiplicative', 'candidates', 100,
                                     'training_window', jsonb_build_object('from', :'data_from'::date + 7 * 10, 'to', :'data_from'::date + 7 * 99)));
SELECT split, n FROM mixmodel.train('sc_x', seed => 1);
SELECT from_date AS x_from, to_date AS x_to FROM mixmodel.runs WHERE model = 'sc_x' \gset
SELECT max(periods) AS periods FROM mixmodel.score('sc_x', :'x_from', :'data_from'::date + 7 * 129);
SELECT count(*) FILTER (WHERE s.period > :'x_to') AS rows_after_training,
       max(abs(s.contribution - d.contribution) / abs(d.contribution)) FILTER (WHERE d.contribution <> 0) < 1e-9 AS terms_reproduced
  FROM mixmodel.scores s LEFT JOIN mixmodel.run_decomposition d USING (model, run, period, term)
 WHERE s.model = 'sc_x';
SELECT count(*) AS periods, max(abs(s.total - f.predicted) / f.predicted) < 1e-12 AS sums_to_prediction
  FROM (SELECT model, run, period, sum(contribution) AS total FROM mixmodel.scores GROUP BY 1, 2, 3) s
  JOIN mixmodel.run_fit f USING (model, run, period)
 WHERE s.model = 'sc_x';
-- the periods after training score the same whether the range starts at the training window or after it
-- (the trend stays anchored on the training window, the carry-in comes from the data)
CREATE TEMP TABLE sc_after AS SELECT period, term, contribution FROM mixmodel.scores WHERE model = 'sc_x' AND period > :'x_to';
SELECT max(periods) AS periods FROM mixmodel.score('sc_x', :'x_to'::date + 7, :'data_from'::date + 7 * 129);
SELECT count(*) AS rows, max(abs(s.contribution - a.contribution) / abs(a.contribution)) < 1e-12 AS same
  FROM mixmodel.scores s JOIN sc_after a USING (period, term) WHERE s.model = 'sc_x';
SELECT source, count(DISTINCT period) AS periods FROM mixmodel.contributions WHERE model = 'sc_x' GROUP BY source ORDER BY source;

-- new weeks with spend but no outcome yet (KPI NULL) score: 8 weeks appended to the source; training
-- still rejects the NULL KPI; the scores do not depend on the KPI (the same once it is filled in)
ALTER TABLE sc.weekly_wide ALTER revenue DROP NOT NULL;
CREATE TEMP TABLE sc_new AS SELECT * FROM sc.weekly_wide WHERE week > :'data_from'::date + 7 * 121;
UPDATE sc_new SET week = week + 56, revenue = NULL;
INSERT INTO sc.weekly_wide SELECT * FROM sc_new;
SELECT kind, count(*) AS terms, min(periods) AS periods
  FROM mixmodel.score('sc_x', :'data_from'::date + 7 * 130, :'data_from'::date + 7 * 137) GROUP BY kind ORDER BY kind;
CREATE TEMP TABLE sc_nokpi AS SELECT period, term, contribution FROM mixmodel.scores WHERE model = 'sc_x' AND period > :'data_from'::date + 7 * 129;
UPDATE sc.weekly_wide SET revenue = 700 WHERE revenue IS NULL;
SELECT count(*) AS terms FROM mixmodel.score('sc_x', :'data_from'::date + 7 * 130, :'data_from'::date + 7 * 137);
SELECT count(*) AS rows, bool_and(s.contribution = a.contribution) AS same_without_kpi
  FROM mixmodel.scores s JOIN sc_nokpi a USING (period, term) WHERE s.model = 'sc_x';
UPDATE sc.weekly_wide SET revenue = NULL WHERE week > :'data_from'::date + 7 * 129;

-- after training, a period's terms sum to the prediction exp(eta_t), eta computed here from the
-- source with adstock_geometric, saturation and the stored coefficients (the weeks without KPI too)
WITH w AS (SELECT week, price_index, row_number() OVER (ORDER BY week) AS i FROM sc.weekly_wide),
     arr AS (SELECT array_agg(tv_spend ORDER BY week) AS tv, array_agg(search_spend ORDER BY week) AS se FROM sc.weekly_wide),
     ch AS (SELECT c.channel, c.coef, c.sat_p1, c.input_scale, mixmodel.adstock_geometric(CASE c.channel WHEN 'tv_spend' THEN arr.tv ELSE arr.se END, c.adstock_p1) AS a
              FROM mixmodel.run_channels c, arr WHERE c.model = 'sc_x'),
     co AS (SELECT pg_catalog.jsonb_object_agg(term, coef) AS j FROM mixmodel.run_coefficients WHERE model = 'sc_x'),
     nr AS (SELECT jsonb_array_length(inputs->'periods') AS n FROM mixmodel.runs WHERE model = 'sc_x'),
     eta AS (SELECT w.week,
                    (co.j->>'(intercept)')::float8
                    + (SELECT sum(ch.coef * mixmodel.saturation('power', ch.a[w.i] / ch.input_scale, ch.sat_p1)) FROM ch)
                    + (co.j->>'trend')::float8 * ((w.week - :'x_from'::date) / 7)::float8 / (nr.n - 1)
                    + (SELECT sum((co.j->>('season_sin' || k))::float8 * sin(2 * pi() * k * (w.week - make_date(extract(year FROM w.week)::int, 1, 1)) / 365.25)
                                + (co.j->>('season_cos' || k))::float8 * cos(2 * pi() * k * (w.week - make_date(extract(year FROM w.week)::int, 1, 1)) / 365.25))
                         FROM generate_series(1, 2) k)
                    + (co.j->>'price_index')::float8 * w.price_index AS eta
               FROM w, co, nr)
SELECT count(*) AS periods, max(abs(s.total - exp(e.eta)) / exp(e.eta)) < 1e-9 AS sums_to_exp_eta
  FROM (SELECT period, sum(contribution) AS total FROM mixmodel.scores WHERE model = 'sc_x' AND period > :'x_to' GROUP BY period) s
  JOIN eta e ON e.week = s.period;

-- synergy (formulas §4.7; the identity with the second difference of predictions is unit-tested
-- in the core): 0 for the additive model; symmetric, positive, largest pair 10 for the multiplicative one
SELECT model, count(*) AS pairs, bool_and(synergy = 0 AND score_0_10 = 0) AS zero,
       bool_and(synergy > 0) AS positive,
       bool_and(abs(synergy - (SELECT y.synergy FROM mixmodel.synergy y WHERE y.model = s.model
                                 AND y.channel_a = s.channel_b AND y.channel_b = s.channel_a)) <= 1e-12 * abs(synergy)) AS symmetric,
       abs(max(score_0_10) - 10) < 1e-12 AS top_is_10
  FROM mixmodel.synergy s WHERE model IN ('sc_m', 'sc_x') GROUP BY model ORDER BY model;
-- and, for the multiplicative model, equal to the second difference of predictions over W+
-- computed here with _channel_term: one currency unit of each channel spread over the training
-- rows by its pattern changes its term by delta_t, so yhat_t becomes yhat_t exp(delta_t) and
-- S_cd = sum_t yhat_t (exp(dc + dd) - exp(dc) - exp(dd) + 1) (formulas §4.7: the training rows'
-- spend and its carry-in, no spend after them; yhat held at its last value past the data)
WITH r AS (
    SELECT r.model, r.run, (r.inputs->>'t0')::int AS t0, (r.inputs->>'n_train')::int AS nw,
           (r.inputs->>'t0')::int + jsonb_array_length(r.inputs->'periods') AS te, mixmodel._jf(r.inputs->'x') AS x,
           (SELECT array_agg(f.predicted ORDER BY f.period) FROM mixmodel.run_fit f
             WHERE f.model = r.model AND f.run = r.run) AS yh
      FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
     WHERE r.model = 'sc_x'
), ch AS (
    SELECT c.*, r.t0, r.nw, r.x[(c.position - 1) * r.te + 1 : c.position * r.te] AS xc,
           CASE WHEN c.max_lag >= 0 THEN c.max_lag WHEN c.adstock_p1 <= 0 THEN 0
                ELSE least(5000, ceil(ln(1e-12) / ln(c.adstock_p1))::int) END AS tail
      FROM mixmodel.run_channels c JOIN r USING (model, run) WHERE c.paid
), d AS (
    SELECT ch.channel, k.t, g.g1[ch.t0 + k.t + 1] - g.g0[ch.t0 + k.t + 1] AS delta
      FROM ch
     CROSS JOIN (SELECT max(nw + tail) AS m FROM ch) mm
     CROSS JOIN LATERAL (SELECT sum(ch.xc[j]) AS tot FROM generate_series(ch.t0 + 1, ch.t0 + ch.nw) j) w
     CROSS JOIN LATERAL (
         SELECT array_agg(CASE WHEN j <= ch.t0 + ch.nw THEN ch.xc[j] ELSE 0 END ORDER BY j) AS xp,
                array_agg(CASE WHEN j <= ch.t0 + ch.nw THEN ch.xc[j] ELSE 0 END
                          + CASE WHEN j > ch.t0 AND j <= ch.t0 + ch.nw THEN ch.xc[j] / w.tot ELSE 0 END ORDER BY j) AS xq
           FROM generate_series(1, ch.t0 + mm.m) j) p
     CROSS JOIN LATERAL (
         SELECT mixmodel._channel_term(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                    ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale, ch.coef, p.xp) AS g0,
                mixmodel._channel_term(ch.adstock, ch.adstock_p1, ch.adstock_p2, ch.max_lag, ch.adstock_normalize,
                    ch.saturation, ch.sat_p1, ch.sat_p2, ch.input_scale, ch.coef, p.xq) AS g1) g
     CROSS JOIN generate_series(0, mm.m - 1) k(t)
), sd AS (
    SELECT a.channel AS channel_a, b.channel AS channel_b,
           sum(r.yh[least(a.t + 1, cardinality(r.yh))]
               * (exp(a.delta + b.delta) - exp(a.delta) - exp(b.delta) + 1)) AS second_difference
      FROM d a JOIN d b ON b.t = a.t AND b.channel <> a.channel CROSS JOIN r
     GROUP BY a.channel, b.channel
)
SELECT count(*) AS pairs, bool_and(abs(s.synergy - sd.second_difference) <= 1e-6 * s.synergy) AS equals_second_difference
  FROM mixmodel.synergy s JOIN sd USING (channel_a, channel_b) WHERE s.model = 'sc_x';

-- base breakdown: the base terms over the training rows; the base and the channels make the prediction
SELECT kind, count(*) AS terms FROM mixmodel.base_breakdown WHERE model = 'sc_m' GROUP BY kind ORDER BY kind;
SELECT abs(sum(b.share_of_base) - 1) < 1e-12 AS shares_sum_to_1,
       abs(sum(b.contribution) + (SELECT sum(c.contribution) FROM mixmodel.run_channels c WHERE c.model = 'sc_m')
           - (SELECT sum(f.predicted) FROM mixmodel.run_fit f WHERE f.model = 'sc_m' AND NOT f.holdout)) < 1e-6 AS base_plus_channels
  FROM mixmodel.base_breakdown b WHERE b.model = 'sc_m';

-- response at a spend vector: one channel is its response curve; additive channels add; in the
-- multiplicative form each single curve keeps the other channel at its actual level, so the sum of
-- the two counts their positive interaction twice and the joint response (both from 0) is below it;
-- the gradient is a central finite difference (step 0.1% of the spend)
SELECT m.model,
       abs(a.response - p.current_response) <= 1e-9 * p.current_response AS one_channel_is_curve,
       abs(a.marginal_response - p.marginal_roas_at_current) <= 1e-9 * p.marginal_roas_at_current AS marginal_is_curve
  FROM (VALUES ('sc_m'), ('sc_x')) m(model),
       LATERAL mixmodel.response_points(m.model, 'tv_spend') p,
       LATERAL mixmodel.response_at(m.model, ARRAY['tv_spend'], ARRAY[p.current_spend]) a
 ORDER BY m.model;
WITH p AS (SELECT m.model, t.current_spend AS tv, t.current_response AS r_tv, s.current_spend AS se, s.current_response AS r_se
             FROM (VALUES ('sc_m'), ('sc_x')) m(model),
                  LATERAL mixmodel.response_points(m.model, 'tv_spend') t, LATERAL mixmodel.response_points(m.model, 'search_spend') s)
SELECT p.model,
       CASE WHEN p.model = 'sc_m' THEN abs(j.response - (p.r_tv + p.r_se)) <= 1e-9 * j.response
            ELSE j.response < p.r_tv + p.r_se END AS joint,
       abs((hi.response - lo.response) / (0.002 * p.tv) - j.marginal_response) <= 1e-6 * j.marginal_response AS gradient
  FROM p,
       LATERAL mixmodel.response_at(p.model, ARRAY['tv_spend', 'search_spend'], ARRAY[p.tv, p.se]) j,
       LATERAL mixmodel.response_at(p.model, ARRAY['tv_spend', 'search_spend'], ARRAY[1.001 * p.tv, p.se]) hi,
       LATERAL mixmodel.response_at(p.model, ARRAY['tv_spend', 'search_spend'], ARRAY[0.999 * p.tv, p.se]) lo
 WHERE j.channel = 'tv_spend' AND hi.channel = 'tv_spend' AND lo.channel = 'tv_spend'
 ORDER BY p.model;

-- adstock curves: recursive geometric weights theta^lag
SELECT a.channel, count(*) AS lags, max(abs(a.weight - c.adstock_p1 ^ a.lag)) < 1e-12 AS geometric
  FROM mixmodel.adstock_curves a JOIN mixmodel.run_channels c USING (model, channel)
 WHERE a.model = 'sc_m' AND c.max_lag = -1 GROUP BY a.channel ORDER BY a.channel;

-- weekly touchpoint breakdown: over the training rows it sums to channel_performance; each
-- week's spend is the source's; roi = (revenue - spend) / spend on every row
SELECT b.channel, count(*) AS training_weeks,
       abs(sum(b.spend) - p.spend) < 1e-9 * p.spend AS spend_sums,
       abs(sum(b.revenue) - p.revenue) < 1e-9 * abs(p.revenue) AS revenue_sums,
       bool_and(CASE WHEN b.spend = 0 THEN b.roi IS NULL ELSE abs(b.roi - (b.revenue - b.spend) / b.spend) < 1e-12 END) AS roi_identity,
       bool_and(b.spend = CASE b.channel WHEN 'tv_spend' THEN w.tv_spend ELSE w.search_spend END) AS spend_is_source,
       abs(sum(b.conversions) - p.conversions) < 1e-9 * abs(p.conversions) AS conversions_sum,
       bool_and(b.kpi_unit = 'revenue' AND b.revenue = b.contribution) AS revenue_kpi,
       bool_and(CASE WHEN b.conversions = 0 THEN b.cpa IS NULL ELSE abs(b.cpa * b.conversions - b.spend) <= 1e-9 * b.spend END) AS cpa_identity
  FROM mixmodel.touchpoint_breakdown b
  JOIN mixmodel.channel_performance p USING (model, channel)
  JOIN sc.weekly_wide w ON w.week = b.period
 WHERE b.model = 'sc_m' AND b.training_row
 GROUP BY b.channel, p.spend, p.revenue, p.conversions ORDER BY b.channel;
-- rows beyond the training rows: the holdout, and periods scored outside the run's data (their
-- spend as the score read it); each week's spend is the source's
SELECT b.channel, f.holdout, b.period BETWEEN r.from_date AND r.to_date AS in_run_data, count(*) AS weeks,
       bool_and(b.spend = CASE b.channel WHEN 'tv_spend' THEN w.tv_spend ELSE w.search_spend END) AS spend_is_source
  FROM mixmodel.touchpoint_breakdown b JOIN mixmodel.runs r USING (model)
  JOIN sc.weekly_wide w ON w.week = b.period
  LEFT JOIN mixmodel.run_fit f ON f.model = b.model AND f.period = b.period
 WHERE b.model = 'sc_m' AND NOT b.training_row
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- a KPI counting conversions (the week's revenue in units of about 25): revenue = conversions x revenue
-- per conversion of the training window, conversions = contribution; ROI and marginal ROI in revenue,
-- CPA x conversions = spend
CREATE TABLE sc.weekly_conv AS
SELECT week, round(revenue / 25) AS conversions, revenue, tv_spend, search_spend, price_index, holiday FROM sc.weekly_wide;
SELECT mixmodel.create_model('sc_o', source => 'sc.weekly_conv', date_column => 'week', kpi => 'conversions',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index', 'holiday'],
       options => '{"inference": "ridge", "candidates": 300, "factor_signs": {"price_index": "negative"}}');
SELECT split, n FROM mixmodel.train('sc_o', seed => 1);
SELECT u.kpi_unit,
       abs(u.revenue_per_conversion - (SELECT sum(w.revenue) / sum(w.conversions) FROM sc.weekly_conv w, mixmodel.runs r
                                        WHERE r.model = 'sc_o' AND w.week BETWEEN r.from_date AND r.to_date))
           < 1e-12 * u.revenue_per_conversion AS revenue_per_conversion
  FROM mixmodel._model_kpi_units('sc_o') u;
SELECT p.channel, p.kpi_unit, p.conversions = p.contribution AS conversions_are_contribution,
       abs(p.revenue - p.conversions * u.revenue_per_conversion) < 1e-12 * p.revenue AS revenue_by_revenue_per_conversion,
       abs(p.roi - (p.revenue - p.spend) / p.spend) < 1e-12 AS roi_formula,
       abs(p.roas - p.revenue / p.spend) < 1e-12 AS roas_formula,
       abs(p.cpa * p.conversions - p.spend) < 1e-9 * p.spend AS cpa_times_conversions_is_spend,
       abs(p.marginal_roi + 1 - u.revenue_per_conversion * c.marginal_response) < 1e-9 * u.revenue_per_conversion * c.marginal_response
           AS marginal_roi_in_revenue
  FROM mixmodel.channel_performance p
  CROSS JOIN mixmodel._model_kpi_units('sc_o') u
  JOIN LATERAL (SELECT r.marginal_response FROM mixmodel.response_curve('sc_o', p.channel, grid_points => 2) r WHERE r.is_current) c ON true
 WHERE p.model = 'sc_o' ORDER BY p.channel;
-- the curve's marginal ROAS is in revenue: marginal response x revenue per conversion, 1 at break-even
SELECT r.channel, bool_and(abs(r.marginal_roas - u.revenue_per_conversion * r.marginal_response) <= 1e-12 * r.marginal_roas) AS roas_in_revenue,
       bool_or(r.is_breakeven) AS has_breakeven,
       bool_and(NOT r.is_breakeven OR abs(r.marginal_roas - 1) < 1e-8) AS roas_1_at_breakeven
  FROM mixmodel.response_curves r CROSS JOIN mixmodel._model_kpi_units('sc_o') u
 WHERE r.model = 'sc_o' GROUP BY r.channel ORDER BY r.channel;
SELECT b.channel, b.kpi_unit,
       abs(sum(b.revenue) - p.revenue) < 1e-9 * abs(p.revenue) AS revenue_sums,
       abs(sum(b.conversions) - p.conversions) < 1e-9 * abs(p.conversions) AS conversions_sum,
       bool_and(CASE WHEN b.spend = 0 THEN b.roi IS NULL ELSE abs(b.roi - (b.revenue - b.spend) / b.spend) < 1e-12 END) AS roi_identity,
       bool_and(CASE WHEN b.conversions = 0 THEN b.cpa IS NULL ELSE abs(b.cpa * b.conversions - b.spend) <= 1e-9 * b.spend END) AS cpa_identity
  FROM mixmodel.touchpoint_breakdown b JOIN mixmodel.channel_performance p USING (model, channel)
 WHERE b.model = 'sc_o' AND b.training_row
 GROUP BY b.channel, b.kpi_unit, p.revenue, p.conversions ORDER BY b.channel;

-- contribution over a date range (for dbt): the sums of mixmodel.contributions over the range
-- (training rows where the run has them, else scores); spend of the source; ROI; shares sum to 1
SELECT c.kind, count(*) AS terms, min(c.periods) AS periods,
       bool_and(abs(c.contribution - v.contribution) <= 1e-9 * abs(v.contribution)) AS equals_contributions,
       bool_and(c.revenue = c.contribution) AS revenue_kpi,
       bool_and(abs(c.conversions * u.revenue_per_conversion - c.revenue) <= 1e-9 * abs(c.revenue)) AS conversions,
       bool_and(c.kind <> 'channel' OR abs(c.spend - s.spend) <= 1e-9 * s.spend) AS spend_of_source,
       bool_and(c.kind = 'channel' OR c.spend IS NULL) AS spend_only_for_channels,
       bool_and(c.kind <> 'channel' OR abs(c.roi - (c.revenue - c.spend) / c.spend) < 1e-12) AS roi_identity
  FROM mixmodel.contribution('sc_m', :'tr_from'::date + 14, :'tr_to') c
  CROSS JOIN mixmodel._model_kpi_units('sc_m') u
  JOIN (SELECT term, sum(contribution) AS contribution FROM mixmodel.contributions
         WHERE model = 'sc_m' AND source = 'training' AND period BETWEEN :'tr_from'::date + 14 AND :'tr_to' GROUP BY term) v USING (term)
  LEFT JOIN (SELECT 'tv_spend' AS term, sum(tv_spend) AS spend FROM sc.weekly_wide WHERE week BETWEEN :'tr_from'::date + 14 AND :'tr_to'
             UNION ALL
             SELECT 'search_spend', sum(search_spend) FROM sc.weekly_wide WHERE week BETWEEN :'tr_from'::date + 14 AND :'tr_to') s USING (term)
 GROUP BY c.kind ORDER BY c.kind;
SELECT abs(sum(share) - 1) < 1e-12 AS shares_sum_to_1 FROM mixmodel.contribution('sc_m', :'tr_from', :'tr_to');
-- over the training window and the weeks scored after it (some without KPI): training rows, then scores;
-- the channels' spend is the source's over the whole range (the scored weeks' spend kept with their scores)
SELECT c.kind, count(*) AS terms, min(c.periods) AS periods,
       bool_and(abs(c.contribution - v.contribution) <= 1e-9 * abs(v.contribution)) AS equals_contributions,
       bool_and(CASE WHEN c.kind = 'channel' THEN abs(c.spend - s.spend) <= 1e-9 * s.spend
                     ELSE c.spend IS NULL AND c.roi IS NULL END) AS spend_of_source
  FROM mixmodel.contribution('sc_x', :'x_to'::date - 7 * 9, :'data_from'::date + 7 * 137) c
  LEFT JOIN (SELECT 'tv_spend' AS term, sum(tv_spend) AS spend FROM sc.weekly_wide
              WHERE week BETWEEN :'x_to'::date - 7 * 9 AND :'data_from'::date + 7 * 137
             UNION ALL
             SELECT 'search_spend', sum(search_spend) FROM sc.weekly_wide
              WHERE week BETWEEN :'x_to'::date - 7 * 9 AND :'data_from'::date + 7 * 137) s USING (term)
  JOIN (SELECT term, sum(contribution) AS contribution FROM mixmodel.contributions
         WHERE model = 'sc_x' AND period BETWEEN :'x_to'::date - 7 * 9 AND :'data_from'::date + 7 * 137
           AND (source = 'training' OR period > :'x_to') GROUP BY term) v USING (term)
 GROUP BY c.kind ORDER BY c.kind;

-- errors
\set VERBOSITY terse
SELECT mixmodel.create_model('sc_untrained', source => 'sc.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend']);
SELECT * FROM mixmodel.response_points('nope', 'tv_spend');
SELECT * FROM mixmodel.response_points('sc_untrained', 'tv_spend');
SELECT * FROM mixmodel.response_points('sc_m', 'radio');
SELECT * FROM mixmodel.response_points('sc_m', NULL);
SELECT * FROM mixmodel.response_curve('sc_m', 'tv_spend', grid_points => 1);
SELECT * FROM mixmodel.response_curve('sc_m', 'tv_spend', max_multiple => 0);
SELECT * FROM mixmodel.response_curve('sc_m', 'tv_spend', '2000-01-01', '2000-03-01');
SELECT * FROM mixmodel.response_curve('sc_m', 'tv_spend', '2030-03-01', '2030-01-01');
SELECT count(*) FROM mixmodel.channel_performance WHERE model = 'sc_untrained';
SELECT * FROM mixmodel.response_at('sc_m', ARRAY['tv_spend'], ARRAY[1, 2]);
SELECT * FROM mixmodel.response_at('sc_m', ARRAY['tv_spend', 'tv_spend'], ARRAY[1, 2]);
SELECT * FROM mixmodel.score('nope', '2020-01-01', '2020-02-01');
SELECT * FROM mixmodel.score('sc_untrained', '2020-01-01', '2020-02-01');
SELECT * FROM mixmodel.score('sc_m', :'tr_from', :'tr_to', run => 7);
SELECT * FROM mixmodel.score('sc_m', NULL, :'tr_to');
SELECT * FROM mixmodel.score('sc_m', :'tr_to', :'tr_from');
SELECT * FROM mixmodel.score('sc_m', '2040-01-01', '2040-06-01');
SELECT * FROM mixmodel.score('sc_m', :'data_from', :'tr_to');
SELECT * FROM mixmodel.train('sc_m', from_date => :'tr_from', to_date => :'data_from'::date + 7 * 137);
SELECT * FROM mixmodel.contribution('nope', '2020-01-01', '2020-02-01');
SELECT * FROM mixmodel.contribution('sc_untrained', '2020-01-01', '2020-02-01');
SELECT * FROM mixmodel.contribution('sc_m', NULL, :'tr_to');
SELECT * FROM mixmodel.contribution('sc_m', :'tr_to', :'tr_from');
SELECT * FROM mixmodel.contribution('sc_m', '2040-01-01', '2040-06-01');
