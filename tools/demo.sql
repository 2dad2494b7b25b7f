-- mixmodel demo: the workflow on generated data.  Run by tools/demo.
\pset footer off
CREATE EXTENSION mixmodel;
SELECT mixmodel.version() AS mixmodel_version;

-- ingest: generated raw data
-- Two years of raw marketing data in schema raw, as the sources deliver it,
-- drawn from a known model (seed 42) whose truth is stored beside it.
\echo
\echo 'Generated raw data: tables and row counts (schema raw)'
SELECT * FROM mixmodel.generate_raw_data('raw', seed => 42, weeks => 104, events => 50000);
\echo 'First 4 weeks, Robyn-style (raw.weekly_wide)'
SELECT week, round(revenue) AS revenue, round(tv_spend) AS tv, round(search_spend) AS search,
       round(social_spend) AS social, round(display_spend) AS display, email_sends AS email
  FROM raw.weekly_wide ORDER BY week LIMIT 4;
\echo 'The truth to recover: ROI of each paid channel (raw.truth_parameters)'
SELECT channel, round(value::numeric, 2) AS true_roi
  FROM raw.truth_parameters WHERE parameter = 'roi' AND value IS NOT NULL ORDER BY channel;

-- transforms: adstock
-- An 8-week media plan for three channels, generated here.  Adstock spreads
-- each week's spend over the weeks after it: TV keeps working for weeks
-- (theta 0.7), social a little (0.4), search hardly at all (0.1).
\echo
\echo 'Adstock: spend still working each week (geometric carry-over, Robyn convention)'
WITH plan AS (
    SELECT w AS week, c.channel, c.theta,
           CASE c.channel
               WHEN 'tv'     THEN CASE WHEN w <= 2 THEN 50000 ELSE 0 END
               WHEN 'social' THEN CASE WHEN w IN (4, 5) THEN 20000 ELSE 0 END
               ELSE 10000
           END::float8 AS spend
      FROM generate_series(1, 8) AS w,
           (VALUES ('tv', 0.7), ('social', 0.4), ('search', 0.1)) AS c(channel, theta)
)
SELECT week, channel, spend::numeric AS spend,
       round(mixmodel.adstock_geometric(spend, theta)
                 OVER (PARTITION BY channel ORDER BY week)::numeric) AS adstocked
  FROM plan
 ORDER BY channel, week;
