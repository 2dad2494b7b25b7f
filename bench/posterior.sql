-- bench/posterior.sql: the default Bayesian training (4 chains x 1,000 draws after 1,000 warm-up
-- iterations, NUTS, one core) on PyMC-Marketing's published example (179 weeks, 2 channels, 2
-- events, trend, seasonality; read from ../shared/data when present) and on a 208-week,
-- 8-channel generated model; the time beside the bulk effective sample size per second, and
-- beside Stan's NUTS (r-cran-rstan, bench/posterior_reference.R) on the same posterior when R
-- and rstan are installed, its chains on as many processes as ours get threads
-- (mixmodel.sampler_threads, at most the chains and the CPUs); times are wall times.  Targets: <= 10 s and <= 60 s.  Also the example's x1 share against
-- its published truth, at the defaults and with PyMC-Marketing's own structure.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\set nproc `nproc`
SELECT least(coalesce(current_setting('mixmodel.sampler_threads', true)::int, 4), 4, :nproc) AS threads \gset
\setenv MM_THREADS :threads
\set have_pymc `test -r ../shared/data/mmm/pymc-marketing/mmm_example.csv && echo 1 || echo 0`
\if :have_pymc
CREATE TEMP TABLE pymc (date_week date, y float8, x1 float8, x2 float8, event_1 float8, event_2 float8, dayofyear int, t int);
\copy pymc FROM '../shared/data/mmm/pymc-marketing/mmm_example.csv' WITH (FORMAT csv, HEADER)
-- the published recipe's true contributions (PyMC-Marketing's MMM example notebook): geometric
-- adstock over 8 weights, normalised (alpha 0.4 and 0.2), logistic saturation (lam 4 and 3), betas 3
-- and 2, amplitude 1000; the noiseless KPI adds intercept 2, the trend and the seasonality
CREATE TEMP TABLE pymc_truth AS
WITH a AS (
    SELECT p.*, mixmodel.adstock_geometric(x1, 0.4, 7, true) OVER w AS a1,
           mixmodel.adstock_geometric(x2, 0.2, 7, true) OVER w AS a2
      FROM pymc p WINDOW w AS (ORDER BY date_week)
)
SELECT date_week, 3000 * mixmodel.logistic_saturation(a1, 4) AS c1, 2000 * mixmodel.logistic_saturation(a2, 3) AS c2,
       1000 * (2 + power(50.0 * t / (SELECT max(t) FROM pymc) + 10, 0.25) - 1
               + 0.5 * (-sin(4 * pi() * dayofyear / 365.5) + cos(2 * pi() * dayofyear / 365.5))
               + 1.5 * event_1 + 2.5 * event_2
               + 3 * mixmodel.logistic_saturation(a1, 4) + 2 * mixmodel.logistic_saturation(a2, 3)) AS mu
  FROM a;
SELECT mixmodel.create_model('pymc_default', source => 'pymc', date_column => 'date_week', kpi => 'y',
       media => ARRAY['x1', 'x2'], factors => ARRAY['event_1', 'event_2']) \g /dev/null
SELECT mixmodel.create_model('pymc_structure', source => 'pymc', date_column => 'date_week', kpi => 'y',
       media => ARRAY['x1', 'x2'], factors => ARRAY['event_1', 'event_2'],
       options => '{"lookback": 7, "normalize": true, "saturation": "logistic"}') \g /dev/null
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM mixmodel.train('pymc_default', seed => 1) \g /dev/null
SELECT 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS pymc_ms \gset
SELECT count(*) FROM mixmodel.train('pymc_structure', seed => 1) \g /dev/null
-- the same posterior in Stan: the model's resolved inputs
\pset fieldsep ','
\o /tmp/mm_bench_post_in.csv
SELECT 'meta', k, v FROM mixmodel.runs r,
       LATERAL unnest(ARRAY[jsonb_array_length(r.inputs->'channels'), (r.inputs->>'t0')::int + jsonb_array_length(r.inputs->'periods'),
                            jsonb_array_length(r.inputs->'fixed'), (r.inputs->>'t0')::int, (r.inputs->>'n_train')::int]) WITH ORDINALITY u(v, k)
 WHERE r.model = 'pymc_default'
UNION ALL
SELECT 'x', k, v::float8 FROM mixmodel.runs r, jsonb_array_elements_text(r.inputs->'x') WITH ORDINALITY u(v, k) WHERE r.model = 'pymc_default'
UNION ALL
SELECT 'z', u.k, u.v::float8 FROM mixmodel.runs r, LATERAL jsonb_array_elements_text(r.inputs->'z') WITH ORDINALITY u(v, k)
 WHERE r.model = 'pymc_default' AND (u.k - 1) % jsonb_array_length(r.inputs->'periods') < (r.inputs->>'n_train')::int
UNION ALL
SELECT 'y', k, v::float8 FROM mixmodel.runs r, jsonb_array_elements_text(r.inputs->'y') WITH ORDINALITY u(v, k)
 WHERE r.model = 'pymc_default' AND k <= (r.inputs->>'n_train')::int
UNION ALL
SELECT 'spend', (u.k - 1) / jsonb_array_length(r.inputs->'periods') + 1, sum(u.v::float8)
  FROM mixmodel.runs r, jsonb_array_elements_text(r.inputs->'spend') WITH ORDINALITY u(v, k)
 WHERE r.model = 'pymc_default' AND (u.k - 1) % jsonb_array_length(r.inputs->'periods') < (r.inputs->>'n_train')::int
 GROUP BY 2
UNION ALL
SELECT 'mu', k, (r.inputs->'prior_a'->>(5 * k::int - 1))::float8 FROM mixmodel.runs r, generate_series(1, 2) k WHERE r.model = 'pymc_default'
UNION ALL
SELECT 'sigma', k, (r.inputs->'prior_b'->>(5 * k::int - 1))::float8 FROM mixmodel.runs r, generate_series(1, 2) k WHERE r.model = 'pymc_default'
ORDER BY 1, 2;
\o
\pset fieldsep '|'
\! rm -f /tmp/mm_bench_post_out.csv; if Rscript -e 'suppressMessages(library(rstan))' >/dev/null 2>&1; then Rscript bench/posterior_reference.R /tmp/mm_bench_post_in.csv /tmp/mm_bench_post_out.csv $MM_THREADS >/dev/null 2>&1 || echo "0,0,0,0,0" > /tmp/mm_bench_post_out.csv; else echo "0,0,0,0,0" > /tmp/mm_bench_post_out.csv; fi
CREATE TEMP TABLE stan (seconds float8, ess float8, compile float8, roas1 float8, roas2 float8);
\copy stan FROM '/tmp/mm_bench_post_out.csv' WITH (FORMAT csv)
WITH s AS (SELECT (SELECT value FROM mixmodel.run_diagnostics WHERE model = 'pymc_default' AND item = 'sampler_seconds') AS secs,
                  (SELECT min(ess_bulk) FROM mixmodel.run_posterior WHERE model = 'pymc_default' AND term <> '') AS ess,
                  (SELECT median FROM mixmodel.run_posterior WHERE model = 'pymc_default' AND term = 'x1' AND parameter = 'roas') AS r1,
                  (SELECT median FROM mixmodel.run_posterior WHERE model = 'pymc_default' AND term = 'x2' AND parameter = 'roas') AS r2)
SELECT format('posterior: PyMC-Marketing example (179 weeks, 2 channels, 2 events), 4 chains x 1000 draws, %s threads: train %s ms (sampling %s s, target <= 10 s) %s; least bulk ESS %s, %s ESS/s; %s',
              :threads, round(:pymc_ms), round(s.secs::numeric, 2), CASE WHEN s.secs <= 10 THEN 'met' ELSE 'NOT met' END,
              round(s.ess), round((s.ess / s.secs)::numeric),
              CASE WHEN st.seconds > 0 THEN format('Stan NUTS (rstan, same posterior, %s processes): %s s, least bulk ESS %s, %s ESS/s (compile %s s not counted); time ratio %s; ROAS medians x1 %s, x2 %s (mixmodel %s, %s)',
                                                 :threads, round(st.seconds::numeric, 2), round(st.ess), round((st.ess / st.seconds)::numeric),
                                                 round(st.compile::numeric), round((s.secs / st.seconds)::numeric, 2),
                                                 round(st.roas1::numeric, 3), round(st.roas2::numeric, 3), round(s.r1::numeric, 3), round(s.r2::numeric, 3))
                   ELSE 'Stan reference skipped (R with rstan not installed: apt-get install r-cran-rstan)' END)
  FROM s, stan st;
SELECT format('posterior: PyMC-Marketing example, x1 share of the KPI over the training weeks: defaults %s [%s, %s], PyMC-Marketing''s structure (8 weights, normalised, logistic) %s [%s, %s], truth %s',
              round(d.median::numeric, 3), round(d.lower::numeric, 3), round(d.upper::numeric, 3),
              round(p.median::numeric, 3), round(p.lower::numeric, 3), round(p.upper::numeric, 3),
              round((SELECT sum(c1) / sum(mu) FROM pymc_truth t JOIN mixmodel.run_fit f ON f.model = 'pymc_default' AND f.period = t.date_week AND NOT f.holdout)::numeric, 3))
  FROM mixmodel.run_posterior d, mixmodel.run_posterior p
 WHERE d.model = 'pymc_default' AND d.term = 'x1' AND d.parameter = 'share'
   AND p.model = 'pymc_structure' AND p.term = 'x1' AND p.parameter = 'share';
\else
SELECT 'posterior: PyMC-Marketing example skipped (../shared/data/mmm/pymc-marketing/mmm_example.csv not present)';
\endif
-- a 208-week model of 8 paid channels, 1 organic, 4 factors
SELECT count(*) FROM mixmodel.generate_raw_data('post_big', seed => 3, weeks => 208, events => 20000,
       channels => ARRAY['tv', 'radio', 'ooh', 'print', 'search', 'social', 'display', 'video', 'email']) \g /dev/null
SELECT mixmodel.create_model('post_big', source => 'post_big.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'radio_spend', 'ooh_spend', 'print_spend', 'search_spend', 'social_spend', 'display_spend', 'video_spend'],
       organic => ARRAY['email_sends'], factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence', 'holiday']) \g /dev/null
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM mixmodel.train('post_big', seed => 1) \g /dev/null
SELECT format('posterior: 208 weeks, 8 paid + 1 organic channels, 4 factors (%s parameters sampled), 4 chains x 1000 draws, %s threads: train %s ms (sampling %s s, target <= 60 s) %s; least bulk ESS %s, %s ESS/s; worst R-hat %s; %s divergences',
              (SELECT value FROM mixmodel.run_diagnostics WHERE model = 'post_big' AND item = 'sampler_parameters'),
              :threads, round(1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)),
              round(d.value::numeric, 2), CASE WHEN d.value <= 60 THEN 'met' ELSE 'NOT met' END,
              round(min(p.ess_bulk)), round((min(p.ess_bulk) / d.value)::numeric), round(max(p.rhat)::numeric, 4),
              (SELECT value FROM mixmodel.run_diagnostics WHERE model = 'post_big' AND item = 'sampler_divergences'))
  FROM mixmodel.run_posterior p, mixmodel.run_diagnostics d
 WHERE p.model = 'post_big' AND p.term <> '' AND d.model = 'post_big' AND d.item = 'sampler_seconds'
 GROUP BY d.value;
-- the unfavourable case: the same training with its chains one after another (the same draws)
SET mixmodel.sampler_threads = 1;
SELECT count(*) FROM mixmodel.train('post_big', seed => 1) \g /dev/null
RESET mixmodel.sampler_threads;
SELECT format('posterior: the same, 1 thread: sampling %s s (%s with %s threads); draws bit-identical: %s',
              round(d2.value::numeric, 2), round(d1.value::numeric, 2), :threads,
              (SELECT count(*) FROM mixmodel.run_draws a JOIN mixmodel.run_draws b USING (model, chain, draw)
                WHERE a.model = 'post_big' AND a.run = 1 AND b.run = 2 AND a.params = b.params AND a.lp = b.lp) = 4000)
  FROM mixmodel.run_diagnostics d1, mixmodel.run_diagnostics d2
 WHERE d1.model = 'post_big' AND d1.run = 1 AND d1.item = 'sampler_seconds'
   AND d2.model = 'post_big' AND d2.run = 2 AND d2.item = 'sampler_seconds';
