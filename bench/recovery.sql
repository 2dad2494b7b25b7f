-- bench/recovery.sql: how well the default (Bayesian) model recovers the generator's truth, and
-- whether its 90% intervals cover it (doc/model.md "Bayesian inference", "Recovery and coverage").
-- Cases: seeds 1-8 x additive/multiplicative x the 4 paid channels (tv, search, social, display;
-- email is organic), on the generator's own channel shapes (shapes "vocabulary") and on randomly
-- drawn adstock and saturation shapes (shapes "random", not the model's defaults); 156 weeks, the
-- generator's default noise 0.05, every option at its default.  Figures: the posterior median of
-- each paid channel's share of the fitted KPI over the training rows against its true share of the
-- noiseless KPI (within 3 points, largest error), the 90% interval's coverage of the true share
-- and of the true ROI over the same weeks, and the worst R-hat and least bulk ESS of the channels'
-- parameters.  Baseline on the same cases: the penalised fit ("inference": "ridge", every other
-- option at its default), its shares from the contributions over its own training weeks.
-- Not a timing: a quality figure (about 4 minutes).
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
DO $$
DECLARE s int; f text; sh text; m text;
BEGIN
  FOR s IN 1..8 LOOP
    FOREACH f IN ARRAY ARRAY['additive', 'multiplicative'] LOOP
      FOREACH sh IN ARRAY ARRAY['vocabulary', 'random'] LOOP
        m := format('rec_%s_%s_%s', s, left(f, 1), left(sh, 1));
        PERFORM mixmodel.generate_raw_data(m, seed => s, weeks => 156, events => 5000, form => f,
                options => jsonb_build_object('shapes', sh));
        PERFORM mixmodel.create_model(m, source => format('%s.weekly_wide', m)::regclass,
           date_column => 'week', kpi => 'revenue',
           media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
           factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
           options => CASE WHEN f = 'multiplicative' THEN '{"form": "multiplicative"}'::jsonb ELSE '{}' END);
        PERFORM mixmodel.train(m);
        PERFORM mixmodel.create_model(m || '_ridge', source => format('%s.weekly_wide', m)::regclass,
           date_column => 'week', kpi => 'revenue',
           media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
           factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
           options => CASE WHEN f = 'multiplicative' THEN '{"form": "multiplicative"}'::jsonb ELSE '{}' END
                      || '{"inference": "ridge"}');
        PERFORM mixmodel.train(m || '_ridge');
      END LOOP;
    END LOOP;
  END LOOP;
END $$;
CREATE TEMP TABLE rec (model text, shapes text, channel text, est float8, lo float8, hi float8, tru float8,
                       roi_lo float8, roi_hi float8, roi_tru float8);
DO $$
DECLARE r record; t float8; tr float8;
BEGIN
  FOR r IN SELECT p.model, p.term, p.median, p.lower, p.upper, x.from_date, x.holdout_from, cp.roi_lower, cp.roi_upper
             FROM mixmodel.model_posterior p JOIN mixmodel.runs x ON x.model = p.model AND x.run = p.run
             JOIN mixmodel.channel_performance cp ON cp.model = p.model AND cp.channel = p.term
            WHERE p.model LIKE 'rec\_%' AND p.parameter = 'share' LOOP
    EXECUTE format('SELECT sum(contribution) FILTER (WHERE term = $1) / sum(contribution) FROM %I.truth_contributions WHERE week >= $2 AND week < $3', r.model)
      INTO t USING replace(r.term, '_spend', ''), r.from_date, r.holdout_from;
    EXECUTE format('SELECT sum(c.contribution) / sum(w.%I) - 1 FROM %I.truth_contributions c JOIN %I.weekly_wide w ON w.week = c.week
                     WHERE c.term = $1 AND c.week >= $2 AND c.week < $3', r.term, r.model, r.model)
      INTO tr USING replace(r.term, '_spend', ''), r.from_date, r.holdout_from;
    INSERT INTO rec VALUES (r.model, CASE WHEN r.model LIKE '%\_r' THEN 'random' ELSE 'vocabulary' END, r.term,
                            r.median, r.lower, r.upper, t, r.roi_lower, r.roi_upper, tr);
  END LOOP;
END $$;
CREATE TEMP TABLE rec_ridge (model text, shapes text, channel text, est float8, tru float8);
DO $$
DECLARE r record; t float8;
BEGIN
  FOR r IN SELECT c.model, c.term, sum(c.contribution) / (SELECT sum(a.contribution) FROM mixmodel.contributions a
                                                          WHERE a.model = c.model AND a.period >= x.from_date AND a.period < x.holdout_from) AS est,
                  x.from_date, x.holdout_from
             FROM mixmodel.contributions c JOIN mixmodel.models mo ON mo.name = c.model
             JOIN mixmodel.runs x ON x.model = c.model AND x.run = mo.current_run
            WHERE c.model LIKE 'rec\_%\_ridge' AND c.term IN ('tv_spend', 'search_spend', 'social_spend', 'display_spend') AND c.period >= x.from_date AND c.period < x.holdout_from
            GROUP BY c.model, c.term, x.from_date, x.holdout_from LOOP
    EXECUTE format('SELECT sum(contribution) FILTER (WHERE term = $1) / sum(contribution) FROM %I.truth_contributions WHERE week >= $2 AND week < $3',
                   replace(r.model, '_ridge', ''))
      INTO t USING replace(r.term, '_spend', ''), r.from_date, r.holdout_from;
    INSERT INTO rec_ridge VALUES (r.model, CASE WHEN r.model LIKE '%\_r\_ridge' THEN 'random' ELSE 'vocabulary' END, r.term, r.est, t);
  END LOOP;
END $$;
SELECT format('recovery (%s shapes): %s paid-channel shares, posterior median within 3 points: %s (%s%%), largest error %s points, RMS %s; 90%% intervals cover the true share %s (%s%%) and the true ROI %s (%s%%)',
              shapes, count(*), count(*) FILTER (WHERE abs(est - tru) <= 0.03),
              round(100.0 * count(*) FILTER (WHERE abs(est - tru) <= 0.03) / count(*)),
              round(100 * max(abs(est - tru))::numeric, 1), round(100 * sqrt(avg((est - tru) ^ 2))::numeric, 1),
              count(*) FILTER (WHERE tru BETWEEN lo AND hi), round(100.0 * count(*) FILTER (WHERE tru BETWEEN lo AND hi) / count(*)),
              count(*) FILTER (WHERE roi_tru BETWEEN roi_lo AND roi_hi),
              round(100.0 * count(*) FILTER (WHERE roi_tru BETWEEN roi_lo AND roi_hi) / count(*)))
  FROM rec GROUP BY shapes ORDER BY shapes DESC;
SELECT format('baseline, ridge fit at its defaults (%s shapes): %s paid-channel shares within 3 points: %s (%s%%), largest error %s points, RMS %s',
              shapes, count(*), count(*) FILTER (WHERE abs(est - tru) <= 0.03),
              round(100.0 * count(*) FILTER (WHERE abs(est - tru) <= 0.03) / count(*)),
              round(100 * max(abs(est - tru))::numeric, 1), round(100 * sqrt(avg((est - tru) ^ 2))::numeric, 1))
  FROM rec_ridge GROUP BY shapes ORDER BY shapes DESC;
SELECT format('convergence: %s models, worst R-hat %s, least bulk ESS %s over the channels'' parameters; %s divergent transitions in all; mean sampling time %s s',
              count(DISTINCT p.model), round(max(p.rhat)::numeric, 4), round(min(p.ess_bulk)),
              (SELECT sum(d.value) FROM mixmodel.run_diagnostics d WHERE d.model LIKE 'rec\_%' AND d.item = 'sampler_divergences'),
              (SELECT round(avg(d.value)::numeric, 1) FROM mixmodel.run_diagnostics d WHERE d.model LIKE 'rec\_%' AND d.item = 'sampler_seconds'))
  FROM mixmodel.model_posterior p WHERE p.model LIKE 'rec\_%' AND p.term <> '' AND p.parameter NOT IN ('lp');
SELECT format('  %s %s: share %s [%s, %s] truth %s%s', model, channel, round(est::numeric, 3), round(lo::numeric, 3),
              round(hi::numeric, 3), round(tru::numeric, 3), CASE WHEN abs(est - tru) > 0.03 THEN '  (off by more than 3 points)' ELSE '' END)
  FROM rec WHERE abs(est - tru) > 0.03 OR NOT tru BETWEEN lo AND hi ORDER BY model, channel;
