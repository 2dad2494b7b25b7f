-- bench/train.sql: the Robyn-sized training problem, end to end on one core.
-- 208 weeks, 5 paid + 1 organic channel, 3 factors, trend, yearly seasonality (order 2),
-- holidays, 10,000 candidates.  Figure: wall time of mixmodel.train (best of 3).
-- Baseline (when R with glmnet is installed): bench/train_reference.R doing the same
-- per-candidate work (transforms + sign-limited glmnet ridge + prediction + shares) on
-- 300 candidates; the line gives the per-candidate ratio.  Target: <= 2 s, ratio >= 10.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT count(*) FROM mixmodel.generate_raw_data('bench_train', seed => 42, weeks => 208, events => 1000,
       channels => ARRAY['tv', 'search', 'social', 'display', 'radio', 'email']) \g /dev/null
SELECT mixmodel.create_model('bench', source => 'bench_train.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend', 'radio_spend'],
       organic => ARRAY['email_sends'],
       factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence'],
       options => '{"inference": "ridge", "training_window": {"years": 4}, "seasonality": 2, "candidates": 10000,
                    "holidays": {"country": "US", "calendar": "bench_train.holidays"}}') \g /dev/null

CREATE TEMP TABLE timing (k int, ms float8);
DO $$
DECLARE t timestamptz;
BEGIN
    FOR k IN 1 .. 3 LOOP
        t := clock_timestamp();
        PERFORM * FROM mixmodel.train('bench', seed => 42);
        INSERT INTO timing VALUES (k, 1000 * extract(epoch FROM clock_timestamp() - t));
    END LOOP;
END $$;

-- inputs for the R reference
CREATE TEMP TABLE ref_in AS
SELECT 'meta' AS kind, i AS idx, v FROM mixmodel.runs r,
       unnest(ARRAY[jsonb_array_length(r.inputs->'channels'), jsonb_array_length(r.inputs->'x') / jsonb_array_length(r.inputs->'channels'),
                    jsonb_array_length(r.inputs->'fixed'), jsonb_array_length(r.inputs->'periods'),
                    (r.inputs->>'t0')::int, (r.inputs->>'n_train')::int, r.lambda_max,
                    (SELECT stddev_pop(v) FROM unnest((mixmodel._jf(r.inputs->'y'))[1:(r.inputs->>'n_train')::int]) v)]::float8[])
       WITH ORDINALITY u(v, i) WHERE r.model = 'bench' AND r.run = 1
UNION ALL SELECT 'x', i, v FROM mixmodel.runs r, unnest(mixmodel._jf(r.inputs->'x')) WITH ORDINALITY u(v, i) WHERE r.model = 'bench' AND r.run = 1
UNION ALL SELECT 'z', i, v FROM mixmodel.runs r, unnest(mixmodel._jf(r.inputs->'z')) WITH ORDINALITY u(v, i) WHERE r.model = 'bench' AND r.run = 1
UNION ALL SELECT 'y', i, v FROM mixmodel.runs r, unnest(mixmodel._jf(r.inputs->'y')) WITH ORDINALITY u(v, i) WHERE r.model = 'bench' AND r.run = 1;
\o /dev/null
COPY (SELECT kind, idx, v FROM ref_in ORDER BY kind, idx) TO '/tmp/mm_train_ref_in.csv' CSV;
\o
\! rm -f /tmp/mm_train_ref_out.csv; if Rscript -e 'suppressMessages(library(glmnet))' >/dev/null 2>&1; then Rscript bench/train_reference.R /tmp/mm_train_ref_in.csv /tmp/mm_train_ref_out.csv 300; else echo "0,0,0" > /tmp/mm_train_ref_out.csv; fi
CREATE TEMP TABLE ref_out (candidates int, total_ms float8, ms_per_candidate float8);
COPY ref_out FROM '/tmp/mm_train_ref_out.csv' CSV;

SELECT format('train: 208 weeks, %s paid + %s organic channels, %s fixed terms, %s candidates: %s s (best of 3, one core; target <= 2 s) %s; %s',
              (SELECT count(*) FROM mixmodel.run_channels WHERE model = 'bench' AND run = 1 AND paid),
              (SELECT count(*) FROM mixmodel.run_channels WHERE model = 'bench' AND run = 1 AND NOT paid),
              (SELECT jsonb_array_length(inputs->'fixed') FROM mixmodel.runs WHERE model = 'bench' AND run = 1),
              (SELECT candidates FROM mixmodel.runs WHERE model = 'bench' AND run = 1),
              round((min(ms) / 1000)::numeric, 3),
              CASE WHEN min(ms) <= 2000 THEN 'met' ELSE 'NOT met' END,
              CASE WHEN (SELECT candidates FROM ref_out) = 0
                   THEN 'R reference skipped (R with glmnet not installed)'
                   ELSE format('%s us per candidate; R reference (glmnet) %s us per candidate on %s candidates; ratio %s (target >= 10) %s',
                               round((1000 * min(ms) / 10000)::numeric, 1),
                               round((1000 * (SELECT ms_per_candidate FROM ref_out))::numeric, 1),
                               (SELECT candidates FROM ref_out),
                               round(((SELECT ms_per_candidate FROM ref_out) / (min(ms) / 10000))::numeric, 1),
                               CASE WHEN (SELECT ms_per_candidate FROM ref_out) / (min(ms) / 10000) >= 10 THEN 'met' ELSE 'NOT met' END)
              END)
  FROM timing;
