-- bench/score.sql: mixmodel.score of a wide model over its whole data range: 208 weekly
-- periods, 8 paid + 1 organic channel, 3 factors, trend, seasonality (training with few
-- candidates is set-up, not measured).  Figure: wall time of mixmodel.score (best of 3),
-- and of mixmodel._aggregate_score alone on the same scored rows (its share of score).
-- Baseline in the same run: plain SQL doing the comparable row work: reading the same
-- source rows, inserting the same (period x term) rows (coefficient x input) into a copy
-- of mixmodel.scores, and aggregate rows split over lags 0..L_c by fixed weights (a join
-- on generate_series, L_c = the channel's last lag kept by score) into a copy of
-- mixmodel.aggregate_scores; both copies are logged tables keeping the keys, indexes and
-- foreign key.
-- Target: ratio <= 3 (our overhead over the I/O floor).
-- Timing: clock_timestamp() around each run, best of 3, runs alternating.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';

SELECT count(*) FROM mixmodel.generate_raw_data('bench_score', seed => 42, weeks => 208, events => 1000,
       channels => ARRAY['tv', 'radio', 'ooh', 'search', 'social', 'display', 'video', 'affiliate', 'email']) \g /dev/null
VACUUM ANALYZE bench_score.weekly_wide;
SELECT mixmodel.create_model('bench_score', source => 'bench_score.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'radio_spend', 'ooh_spend', 'search_spend', 'social_spend', 'display_spend',
                      'video_spend', 'affiliate_spend'],
       organic => ARRAY['email_sends'],
       factors => ARRAY['price_index', 'competitor_spend', 'consumer_confidence'],
       options => '{"training_window": {"years": 4}, "seasonality": 2, "candidates": 100}') \g /dev/null
SELECT count(*) FROM mixmodel.train('bench_score', seed => 42) \g /dev/null
SELECT min(week) AS d_from, max(week) AS d_to, count(*) AS weeks FROM bench_score.weekly_wide \gset
SELECT run FROM mixmodel.runs WHERE model = 'bench_score' \gset
-- a first scoring: the rows every timed run replaces, and the lags the baseline splits over
SELECT count(*) FROM mixmodel.score('bench_score', :'d_from', :'d_to') \g /dev/null
CREATE TEMP TABLE bench_inputs AS
SELECT mixmodel._model_inputs('bench_score', :'d_from', :'d_to', scoring => true) AS i;

-- the baseline's parameters: every scored term with its coefficient and source column
-- (NULL: a constant input), the lags each channel is split over, the KPI units
CREATE TEMP TABLE bench_terms AS
SELECT s.term, s.kind, coalesce(c.coef, k.coef, 1) AS coef,
       CASE WHEN s.term IN (SELECT attname FROM pg_attribute
                             WHERE attrelid = 'bench_score.weekly_wide'::regclass AND attnum > 0) THEN s.term END AS col,
       (SELECT max(a.lag) FROM mixmodel.aggregate_scores a
         WHERE a.model = s.model AND a.run = s.run AND a.channel = s.term AND a.lag_weight IS NOT NULL) AS lags
  FROM (SELECT DISTINCT model, run, term, kind FROM mixmodel.scores WHERE model = 'bench_score') s
  LEFT JOIN mixmodel.run_channels c ON c.model = s.model AND c.run = s.run AND c.channel = s.term
  LEFT JOIN mixmodel.run_coefficients k ON k.model = s.model AND k.run = s.run AND k.term = s.term AND c.channel IS NULL;
SELECT f.conversions_per_kpi AS conv_k, f.revenue_per_kpi AS rev_k
  FROM mixmodel._model_kpi_units('bench_score') u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f \gset
CREATE TABLE base_scores (LIKE mixmodel.scores INCLUDING ALL,
                               FOREIGN KEY (model, run) REFERENCES mixmodel.runs);
CREATE TABLE base_aggregate (LIKE mixmodel.aggregate_scores INCLUDING ALL,
                                  FOREIGN KEY (model, run) REFERENCES mixmodel.runs);

-- the baseline: one function whose body reads the wide table's columns by name
SELECT format($f$
CREATE FUNCTION pg_temp.bench_baseline() RETURNS void LANGUAGE plpgsql AS $b$
BEGIN
    DELETE FROM base_scores;
    DELETE FROM base_aggregate;
    -- source rows in long form: every term's input per period
    CREATE TEMP TABLE base_src ON COMMIT DROP AS
    SELECT w.week AS period, t.term, t.kind, t.coef, t.lags, CASE t.col %s ELSE 1 END::float8 AS x
      FROM bench_score.weekly_wide w CROSS JOIN bench_terms t
     WHERE w.week BETWEEN %L AND %L;
    ANALYZE base_src;
    INSERT INTO base_scores (model, run, period, term, kind, contribution, spend)
    SELECT 'bench_score', %s, s.period, s.term, s.kind, s.coef * s.x, CASE WHEN s.kind = 'channel' THEN s.x END
      FROM base_src s;
    -- each channel's contribution split over lags 0..L by fixed weights 2^-l / sum
    INSERT INTO base_aggregate (model, run, conversion, conversion_from, conversion_to, touchpoint_from,
           touchpoint_to, lag, lag_weight, channel, kind, spend, contribution, conversions, revenue)
    SELECT 'bench_score', %s, 'revenue', c.period, c.period + 6, s.period, s.period + 6, l.l,
           0.5 ^ l.l / (2 - 0.5 ^ c.lags), c.term, c.kind,
           CASE WHEN c.kind = 'channel' THEN s.x * 0.5 ^ l.l / (2 - 0.5 ^ c.lags) END, v.part, v.part * %s, v.part * %s
      FROM base_src c
     CROSS JOIN LATERAL generate_series(0, c.lags) l(l)
      JOIN base_src s ON s.term = c.term AND s.period = c.period - 7 * l.l
     CROSS JOIN LATERAL (SELECT c.coef * s.x * 0.5 ^ l.l / (2 - 0.5 ^ c.lags) AS part) v
     WHERE c.kind IN ('channel', 'organic');
    DROP TABLE base_src;
END
$b$
$f$, (SELECT string_agg(format('WHEN %L THEN w.%I', col, col), ' ') FROM bench_terms WHERE col IS NOT NULL),
   :'d_from', :'d_to', :run, :run, :conv_k, :rev_k) AS ddl \gset
:ddl;

\ir include/bench_best.sql

SELECT t[1] * 1000 AS score_ms, t[2] * 1000 AS aggregate_ms, t[3] * 1000 AS base_ms
  FROM pg_temp.bench_best(ARRAY[
           format('SELECT count(*) FROM mixmodel.score(%L, %L, %L)', 'bench_score', :'d_from', :'d_to'),
           format('SELECT mixmodel._aggregate_score(%L, %s, %L, %L, (SELECT i FROM bench_inputs))',
                  'bench_score', :run, :'d_from', :'d_to'),
           'SELECT pg_temp.bench_baseline()'], 3) t \gset

SELECT format('score: wide model, %s weekly periods, %s paid + %s organic channels, %s terms, whole range: %s ms, of which _aggregate_score %s ms (%s%%); %s score rows + %s aggregate rows; baseline plain SQL (coefficient x input, fixed-weight lag split, %s + %s rows): %s ms; ratio %s (target <= 3) %s',
              :weeks,
              (SELECT count(*) FROM bench_terms WHERE kind = 'channel'),
              (SELECT count(*) FROM bench_terms WHERE kind = 'organic'),
              (SELECT count(DISTINCT term) FROM mixmodel.scores WHERE model = 'bench_score'),
              round(:score_ms::numeric, 1), round(:aggregate_ms::numeric, 1),
              round((100 * :aggregate_ms / :score_ms)::numeric),
              (SELECT count(*) FROM mixmodel.scores WHERE model = 'bench_score'),
              (SELECT count(*) FROM mixmodel.aggregate_scores WHERE model = 'bench_score'),
              (SELECT count(*) FROM base_scores), (SELECT count(*) FROM base_aggregate),
              round(:base_ms::numeric, 1), round((:score_ms / :base_ms)::numeric, 2),
              CASE WHEN :score_ms <= 3 * :base_ms THEN 'met' ELSE 'NOT met' END);
