-- model: truth recovery on generator data (doc/model.md "Recovering a known model"),
-- additive and multiplicative, 156 weeks at noise 0.03, the whole window (117 training weeks).
-- The model states what is known about the truth's shape: Hill with alpha in [1, 3] (no
-- infinitely steep start), social's delayed adstock, Hill in the multiplicative form, and no
-- DECOMP.RSSD pull towards spend shares.  Stated tolerances: each paid channel's share of
-- the fitted KPI over the training rows within 0.03 (absolute) of its true share of the
-- noiseless KPI over the same weeks; the decay of tv (geometric, truth 0.6) within 0.1;
-- no channel with a VIF above 10.
SET client_min_messages = warning;
SELECT count(*) FROM mixmodel.generate_raw_data('ga', seed => 3, weeks => 156, events => 2000,
       channels => ARRAY['tv','search','social'], options => '{"noise": 0.03}');
SELECT count(*) FROM mixmodel.generate_raw_data('gm', seed => 3, weeks => 156, events => 2000,
       channels => ARRAY['tv','search','social'], form => 'multiplicative', options => '{"noise": 0.03}');
SELECT mixmodel.create_model('ra', source => 'ga.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"candidates": 1000, "training_window": {"years": 3}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT mixmodel.create_model('rm', source => 'gm.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"candidates": 1000, "form": "multiplicative", "saturation": "hill",
                    "training_window": {"years": 3}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT split, n, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('ra');
SELECT split, n, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('rm');

-- like with like: estimated shares are of sum(y-hat) over the training rows (formulas §2.1,
-- Robyn's xDecompPerc); true shares of the sum of the true terms (= noiseless KPI) over the
-- same weeks, multiplicative ones by the same log_share decomposition (formulas §2.2)
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
       abs(est.share - tru.share) <= 0.03 AS within_tolerance
  FROM est JOIN tru USING (model, ch) ORDER BY 1, 2;

SELECT model, round(adstock_p1::numeric, 3) AS tv_decay, abs(adstock_p1 - 0.6) <= 0.1 AS within_tolerance
  FROM mixmodel.run_channels WHERE model IN ('ra', 'rm') AND channel = 'tv_spend' ORDER BY 1;
SELECT model, max(value) < 10 AS channel_vifs_below_10
  FROM mixmodel.run_diagnostics WHERE model IN ('ra', 'rm') AND item = 'vif' AND term LIKE '%\_spend' GROUP BY 1 ORDER BY 1;
SELECT model, kkt < 1e-9 AS kkt_ok FROM mixmodel.runs WHERE model IN ('ra', 'rm') ORDER BY 1;
