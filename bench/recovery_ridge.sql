-- bench/recovery_ridge.sql: how well the ridge search (inference "ridge", Robyn's method) recovers
-- the generator's truth, beside it with Hill alpha >= 1 (doc/model.md "Recovering a known model").
-- 48 shares: seeds 1-8 x additive/multiplicative x tv, search, social; 156 weeks, the
-- generator's default noise 0.05, inference ridge, otherwise default options (last 2 years, last quarter held out,
-- 10,000 candidates).  Figure: RMS and maximum absolute error of each paid channel's share of
-- the fitted KPI over the training rows against its true share of the noiseless KPI.
-- Not a timing: a quality figure (about 15 s).
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE cfg (name text, opts jsonb);
INSERT INTO cfg VALUES
 ('def', '{"inference": "ridge"}'),
 ('a1', '{"inference": "ridge", "channels": {"tv_spend": {"alpha": [1, 3]}, "search_spend": {"alpha": [1, 3]}, "social_spend": {"alpha": [1, 3]}}}');
DO $$
DECLARE s int; f text; c record; m text;
BEGIN
  FOR s IN 1..8 LOOP
    FOREACH f IN ARRAY ARRAY['additive', 'multiplicative'] LOOP
      PERFORM mixmodel.generate_raw_data(format('rec_%s_%s', s, left(f, 1)), seed => s, weeks => 156, events => 2000,
              channels => ARRAY['tv', 'search', 'social'], form => f);
      FOR c IN SELECT * FROM cfg LOOP
        m := format('%s_%s_%s', c.name, s, left(f, 1));
        PERFORM mixmodel.create_model(m, source => format('rec_%s_%s.weekly_wide', s, left(f, 1))::regclass,
           date_column => 'week', kpi => 'revenue', media => ARRAY['tv_spend', 'search_spend', 'social_spend'],
           factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday'],
           options => c.opts || CASE WHEN f = 'multiplicative' THEN '{"form": "multiplicative"}'::jsonb ELSE '{}' END);
        PERFORM mixmodel.train(m);
      END LOOP;
    END LOOP;
  END LOOP;
END $$;
CREATE TEMP TABLE err (cfg text, model text, ch text, est float8, tru float8);
DO $$
DECLARE r record; t float8; e float8;
BEGIN
  FOR r IN SELECT x.model, x.from_date, x.holdout_from, c.channel,
                  'rec_' || split_part(x.model, '_', 2) || '_' || split_part(x.model, '_', 3) AS src
             FROM mixmodel.runs x JOIN mixmodel.run_channels c USING (model, run) LOOP
    SELECT sum(d.contribution) / (SELECT sum(f.predicted) FROM mixmodel.run_fit f WHERE f.model = r.model AND NOT f.holdout)
      INTO e FROM mixmodel.run_decomposition d WHERE d.model = r.model AND d.term = r.channel AND d.period < r.holdout_from;
    EXECUTE format('SELECT sum(contribution) FILTER (WHERE term = $1) / sum(contribution) FROM %I.truth_contributions WHERE week >= $2 AND week < $3', r.src)
      INTO t USING replace(r.channel, '_spend', ''), r.from_date, r.holdout_from;
    INSERT INTO err VALUES (split_part(r.model, '_', 1), r.model, r.channel, e, t);
  END LOOP;
END $$;
WITH s AS (SELECT cfg, sqrt(avg((est - tru) ^ 2)) AS rms, max(abs(est - tru)) AS mx,
                  count(*) FILTER (WHERE abs(est - tru) <= 0.03) AS within, count(*) AS n
             FROM err GROUP BY cfg)
SELECT format('recovery: defaults (10000 candidates) on %s generator shares: RMS error %s, max %s, %s/%s within 0.03; baseline with Hill alpha >= 1: RMS %s, max %s, %s/%s within 0.03',
              d.n, round(d.rms::numeric, 3), round(d.mx::numeric, 3), d.within, d.n,
              round(a.rms::numeric, 3), round(a.mx::numeric, 3), a.within, a.n)
  FROM s d, s a WHERE d.cfg = 'def' AND a.cfg = 'a1';
