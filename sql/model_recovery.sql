-- model: truth recovery on generator data (doc/model.md "Tolerances"), additive and multiplicative.
-- Stated tolerances: each paid channel's contribution share of the KPI over the training rows
-- within 0.08 (absolute) of the truth; the adstock decay of tv (geometric, truth 0.6) within 0.15.
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('ga', seed => 3, weeks => 156, events => 2000,
       channels => ARRAY['tv','search','social'], options => '{"noise": 0.03}');
SELECT count(*) FROM mixmodel.generate_raw_data('gm', seed => 3, weeks => 156, events => 2000,
       channels => ARRAY['tv','search','social'], form => 'multiplicative', options => '{"noise": 0.03}');
SELECT mixmodel.create_model('ra', source => 'ga.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"candidates": 1000}');
SELECT mixmodel.create_model('rm', source => 'gm.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"candidates": 1000, "form": "multiplicative"}');
SELECT split, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('ra');
SELECT split, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('rm');

WITH w AS (SELECT model, from_date, holdout_from FROM mixmodel.runs WHERE model IN ('ra', 'rm')),
est AS (SELECT d.model, replace(d.term, '_spend', '') AS ch,
               sum(d.contribution) / (SELECT sum(f.predicted) FROM mixmodel.run_fit f WHERE f.model = d.model AND NOT f.holdout) AS share
          FROM mixmodel.run_decomposition d JOIN w USING (model)
         WHERE d.kind = 'channel' AND d.period < w.holdout_from GROUP BY 1, 2),
tru AS (SELECT 'ra' AS model, c.term AS ch, sum(c.contribution) /
               (SELECT sum(c2.contribution) FROM ga.truth_contributions c2 WHERE c2.week >= w.from_date AND c2.week < w.holdout_from) AS share
          FROM ga.truth_contributions c, w WHERE w.model = 'ra' AND c.week >= w.from_date AND c.week < w.holdout_from
           AND c.term IN ('tv', 'search', 'social') GROUP BY 1, 2, w.from_date, w.holdout_from
        UNION ALL
        SELECT 'rm', c.term, sum(c.contribution) /
               (SELECT sum(c2.contribution) FROM gm.truth_contributions c2 WHERE c2.week >= w.from_date AND c2.week < w.holdout_from)
          FROM gm.truth_contributions c, w WHERE w.model = 'rm' AND c.week >= w.from_date AND c.week < w.holdout_from
           AND c.term IN ('tv', 'search', 'social') GROUP BY 1, 2, w.from_date, w.holdout_from)
SELECT model, ch, round(est.share::numeric, 3) AS estimated, round(tru.share::numeric, 3) AS truth,
       abs(est.share - tru.share) <= 0.08 AS within_tolerance
  FROM est JOIN tru USING (model, ch) ORDER BY 1, 2;

SELECT model, round(adstock_p1::numeric, 3) AS tv_decay, abs(adstock_p1 - 0.6) <= 0.15 AS within_tolerance
  FROM mixmodel.run_channels WHERE model IN ('ra', 'rm') AND channel = 'tv_spend' ORDER BY 1;
SELECT model, kkt < 1e-9 AS kkt_ok FROM mixmodel.runs WHERE model IN ('ra', 'rm') ORDER BY 1;
