-- model: truth recovery on generator data (doc/model.md "Recovering a known model"),
-- additive and multiplicative: 156 weeks at noise 0.03 (ra, rm) and 208 weeks at the default
-- noise 0.05 (da, dm), the whole window, the last quarter held out (117 and 156 training weeks).
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
SELECT count(*) FROM mixmodel.generate_raw_data('gda', seed => 3, weeks => 208, events => 2000,
       channels => ARRAY['tv','search','social']);
SELECT count(*) FROM mixmodel.generate_raw_data('gdm', seed => 3, weeks => 208, events => 2000,
       channels => ARRAY['tv','search','social'], form => 'multiplicative');
SELECT mixmodel.create_model('ra', source => 'ga.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"inference": "ridge", "candidates": 1000, "training_window": {"years": 3}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT mixmodel.create_model('rm', source => 'gm.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"inference": "ridge", "candidates": 1000, "form": "multiplicative", "saturation": "hill",
                    "training_window": {"years": 3}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT mixmodel.create_model('da', source => 'gda.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"inference": "ridge", "candidates": 1000, "training_window": {"years": 4}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT mixmodel.create_model('dm', source => 'gdm.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend','social_spend'],
       factors => ARRAY['price_index','competitor_spend','consumer_confidence','holiday'],
       options => '{"inference": "ridge", "candidates": 1000, "form": "multiplicative", "saturation": "hill",
                    "training_window": {"years": 4}, "objective_weights": {"decomp_rssd": 0},
                    "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]},
                                 "social_spend": {"adstock": "delayed", "alpha": [1, 3]}}}');
SELECT split, n, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('ra');
SELECT split, n, r2 > 0.9 AS r2_above_09 FROM mixmodel.train('rm');
SELECT split, n, r2 > 0.8 AS r2_above_08 FROM mixmodel.train('da');
SELECT split, n, r2 > 0.8 AS r2_above_08 FROM mixmodel.train('dm');

-- like with like: estimated shares are of sum(y-hat) over the training rows (formulas §2.1,
-- Robyn's xDecompPerc); true shares of the sum of the true terms (= noiseless KPI) over the
-- same weeks, multiplicative ones by the same log_share decomposition (formulas §2.2)
WITH w AS (SELECT model, from_date, holdout_from FROM mixmodel.runs WHERE model IN ('ra', 'rm', 'da', 'dm')),
est AS (SELECT d.model, replace(d.term, '_spend', '') AS ch,
               sum(d.contribution) / (SELECT sum(f.predicted) FROM mixmodel.run_fit f WHERE f.model = d.model AND NOT f.holdout) AS share
          FROM mixmodel.run_decomposition d JOIN w USING (model)
         WHERE d.kind = 'channel' AND d.period < w.holdout_from GROUP BY 1, 2),
tc AS (SELECT 'ra' AS model, week, term, contribution FROM ga.truth_contributions
       UNION ALL SELECT 'rm', week, term, contribution FROM gm.truth_contributions
       UNION ALL SELECT 'da', week, term, contribution FROM gda.truth_contributions
       UNION ALL SELECT 'dm', week, term, contribution FROM gdm.truth_contributions),
tru AS (SELECT model, tc.term AS ch, sum(tc.contribution) / sum(sum(tc.contribution)) OVER (PARTITION BY model) AS share
          FROM tc JOIN w USING (model) WHERE tc.week >= w.from_date AND tc.week < w.holdout_from GROUP BY 1, 2)
SELECT model, ch, round(est.share::numeric, 3) AS estimated, round(tru.share::numeric, 3) AS truth,
       abs(est.share - tru.share) <= 0.03 AS within_tolerance
  FROM est JOIN tru USING (model, ch) ORDER BY 1, 2;

SELECT model, round(adstock_p1::numeric, 3) AS tv_decay, abs(adstock_p1 - 0.6) <= 0.1 AS within_tolerance
  FROM mixmodel.run_channels WHERE model IN ('ra', 'rm', 'da', 'dm') AND channel = 'tv_spend' ORDER BY 1;
SELECT model, max(value) < 10 AS channel_vifs_below_10
  FROM mixmodel.run_diagnostics WHERE model IN ('ra', 'rm', 'da', 'dm') AND item = 'vif' AND term LIKE '%\_spend' GROUP BY 1 ORDER BY 1;
SELECT model, kkt < 1e-9 AS kkt_ok FROM mixmodel.runs WHERE model IN ('ra', 'rm', 'da', 'dm') ORDER BY 1;
