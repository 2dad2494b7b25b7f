-- Shared by bench/score.sql (\ir include/score_measure.sql) for each model it measures.
-- Needs bench_best (include/bench_best.sql) and the psql variables
--   model    the trained model, scored over d_from .. d_to (dates)
--   label    what the printed line calls it
--   src_sql  a query giving (period, term, x): every scored term's input per period of the
--            range read from the model's source rows (1 for a term without one)
--   sl_sql   a query giving (period, term, sub_channel, campaign, geo, amount): the slices of
--            each channel's input per period (no rows for a wide model)
-- Prints one line: score and _aggregate_score against the plain SQL baseline.
SELECT run FROM mixmodel.runs WHERE model = :'model' \gset
-- a first scoring: the rows every timed run replaces, and the lags the baseline splits over
SELECT count(*) FROM mixmodel.score(:'model', :'d_from', :'d_to') \g /dev/null
DROP TABLE IF EXISTS bench_inputs, bench_terms, base_scores, base_aggregate;
CREATE TEMP TABLE bench_inputs AS
SELECT mixmodel._model_inputs(:'model', :'d_from', :'d_to', scoring => true) AS i;

-- the baseline's parameters: every scored term with its coefficient and the lags each
-- channel is split over (L = the last lag score kept), the KPI units
CREATE TEMP TABLE bench_terms AS
SELECT s.term, s.kind, coalesce(c.coef, k.coef, 1) AS coef,
       (SELECT max(a.lag) FROM mixmodel.aggregate_scores a
         WHERE a.model = s.model AND a.run = s.run AND a.channel = s.term AND a.lag_weight IS NOT NULL) AS lags
  FROM (SELECT DISTINCT model, run, term, kind FROM mixmodel.scores WHERE model = :'model') s
  LEFT JOIN mixmodel.run_channels c ON c.model = s.model AND c.run = s.run AND c.channel = s.term
  LEFT JOIN mixmodel.run_coefficients k ON k.model = s.model AND k.run = s.run AND k.term = s.term AND c.channel IS NULL;
SELECT f.conversions_per_kpi AS conv_k, f.revenue_per_kpi AS rev_k
  FROM mixmodel._model_kpi_units(:'model') u, mixmodel._kpi_factors(u.kpi_unit, u.revenue_per_conversion) f \gset
CREATE TABLE base_scores (LIKE mixmodel.scores INCLUDING ALL, FOREIGN KEY (model, run) REFERENCES mixmodel.runs);
CREATE TABLE base_aggregate (LIKE mixmodel.aggregate_scores INCLUDING ALL, FOREIGN KEY (model, run) REFERENCES mixmodel.runs);

-- the baseline: coefficient x input per (period, term); each channel's contribution split over
-- lags 0..L by fixed weights 2^-l / sum (a join on generate_series), then over the source
-- period's slices by their share of its input
SELECT format($f$
CREATE OR REPLACE FUNCTION pg_temp.bench_baseline() RETURNS void LANGUAGE plpgsql AS $b$
BEGIN
    DELETE FROM base_scores;
    DELETE FROM base_aggregate;
    CREATE TEMP TABLE base_src AS
    SELECT q.period, t.term, t.kind, t.coef, t.lags, q.x::float8 AS x
      FROM (%s) q JOIN bench_terms t ON t.term = q.term;
    CREATE TEMP TABLE base_sl AS
    SELECT q.period, q.term, q.sub_channel, q.campaign, q.geo,
           q.amount / sum(q.amount) OVER (PARTITION BY q.period, q.term) AS share
      FROM (%s) q;
    ANALYZE base_src, base_sl;
    INSERT INTO base_scores (model, run, period, term, kind, contribution, spend)
    SELECT %L, %s, s.period, s.term, s.kind, s.coef * s.x, CASE WHEN s.kind = 'channel' THEN s.x END
      FROM base_src s;
    INSERT INTO base_aggregate (model, run, conversion, conversion_from, conversion_to, touchpoint_from,
           touchpoint_to, lag, lag_weight, channel, kind, sub_channel, campaign, geo, spend, contribution,
           conversions, revenue)
    SELECT %L, %s, 'kpi', c.period, c.period + 6, s.period, s.period + 6, l.l, v.w, c.term, c.kind,
           d.sub_channel, d.campaign, d.geo, CASE WHEN c.kind = 'channel' THEN s.x * v.w * coalesce(d.share, 1) END,
           v.part * coalesce(d.share, 1), v.part * coalesce(d.share, 1) * %s, v.part * coalesce(d.share, 1) * %s
      FROM base_src c
     CROSS JOIN LATERAL generate_series(0, c.lags) l(l)
      JOIN base_src s ON s.term = c.term AND s.period = c.period - 7 * l.l
     CROSS JOIN LATERAL (SELECT 0.5 ^ l.l / (2 - 0.5 ^ c.lags) AS w, c.coef * s.x * 0.5 ^ l.l / (2 - 0.5 ^ c.lags) AS part) v
      LEFT JOIN base_sl d ON d.period = s.period AND d.term = s.term
     WHERE c.kind IN ('channel', 'organic');
    DROP TABLE base_src, base_sl;
END
$b$
$f$, :'src_sql', :'sl_sql', :'model', :run, :'model', :run, :conv_k, :rev_k) AS ddl \gset
:ddl;

SELECT t[1] * 1000 AS score_ms, t[2] * 1000 AS aggregate_ms, t[3] * 1000 AS base_ms
  FROM pg_temp.bench_best(ARRAY[
           format('SELECT count(*) FROM mixmodel.score(%L, %L, %L)', :'model', :'d_from', :'d_to'),
           format('SELECT mixmodel._aggregate_score(%L, %s, %L, %L, (SELECT i FROM bench_inputs))',
                  :'model', :run, :'d_from', :'d_to'),
           'SELECT pg_temp.bench_baseline()'], 3) t \gset

SELECT format('score: %s, %s weekly periods, %s paid + %s organic channels, %s terms, whole range: %s ms, of which _aggregate_score %s ms (%s%%); %s score rows + %s aggregate rows; baseline plain SQL (coefficient x input, fixed-weight lag split, %s + %s rows): %s ms; ratio %s (target <= 3) %s',
              :'label', (SELECT count(DISTINCT period) FROM base_scores),
              (SELECT count(*) FROM bench_terms WHERE kind = 'channel'),
              (SELECT count(*) FROM bench_terms WHERE kind = 'organic'),
              (SELECT count(*) FROM bench_terms),
              round(:score_ms::numeric, 1), round(:aggregate_ms::numeric, 1),
              round((100 * :aggregate_ms / :score_ms)::numeric),
              (SELECT count(*) FROM mixmodel.scores WHERE model = :'model'),
              (SELECT count(*) FROM mixmodel.aggregate_scores WHERE model = :'model'),
              (SELECT count(*) FROM base_scores), (SELECT count(*) FROM base_aggregate),
              round(:base_ms::numeric, 1), round((:score_ms / :base_ms)::numeric, 2),
              CASE WHEN :score_ms <= 3 * :base_ms THEN 'met' ELSE 'NOT met' END);
