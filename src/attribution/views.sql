-- attribution: result views over the current run of each attribution (doc/attribution.md)

CREATE VIEW mixmodel.attribution_summary WITH (security_invoker = true) AS
SELECT c.attribution, c.run, c.model, c.channel, c.touches, c.conversions, c.revenue,
       c.conversions / nullif(r.conversions, 0) AS share,
       s.mmm_model, s.spend, c.revenue / nullif(s.spend, 0) AS roas, s.spend / nullif(c.conversions, 0) AS cpa,
       s.mmm_contribution
  FROM mixmodel.attribution_channels c
  JOIN mixmodel.attributions a ON a.name = c.attribution AND a.current_run = c.run
  JOIN mixmodel.attribution_runs r ON r.attribution = c.attribution AND r.run = c.run
  LEFT JOIN (SELECT x.attribution, x.run, x.channel, x.model AS mmm_model, sum(x.spend) AS spend,
                    sum(x.mmm_contribution) AS mmm_contribution
               FROM mixmodel.attribution_scaling x GROUP BY x.attribution, x.run, x.channel, x.model) s
         ON s.attribution = c.attribution AND s.run = c.run AND s.channel = c.channel;
COMMENT ON VIEW mixmodel.attribution_summary IS 'Channel summary of the current run of each attribution: per model and channel, touches credited, attributed conversions and revenue, share of the conversions; with a reconciled marketing-mix model (reconcile_attribution), the channel''s spend, ROAS, CPA and the model''s contribution over the same periods.';
COMMENT ON COLUMN mixmodel.attribution_summary.model IS 'attribution model (first_touch ... algorithmic_incremental, mmm_calibrated)';
COMMENT ON COLUMN mixmodel.attribution_summary.channel IS 'touchpoint, none or baseline';
COMMENT ON COLUMN mixmodel.attribution_summary.share IS 'attributed conversions over the run''s conversions';
COMMENT ON COLUMN mixmodel.attribution_summary.mmm_model IS 'the marketing-mix model reconciled with the run (NULL when none)';
COMMENT ON COLUMN mixmodel.attribution_summary.spend IS 'the model channel''s spend over the reconciled periods';
COMMENT ON COLUMN mixmodel.attribution_summary.roas IS 'attributed revenue / spend';
COMMENT ON COLUMN mixmodel.attribution_summary.cpa IS 'spend / attributed conversions';
COMMENT ON COLUMN mixmodel.attribution_summary.mmm_contribution IS 'the model''s contribution of the channel over the reconciled periods (KPI units)';

CREATE VIEW mixmodel.attribution_top_paths WITH (security_invoker = true) AS
SELECT p.attribution, p.run, rank() OVER (PARTITION BY p.attribution ORDER BY p.conversions DESC, p.path) AS rank,
       p.path, p.channels, p.conversions, p.revenue, p.non_conversions,
       p.conversions / nullif(sum(p.conversions) OVER (PARTITION BY p.attribution), 0) AS share,
       CASE WHEN r.non_converting > 0 THEN p.conversions / nullif(p.conversions + p.non_conversions, 0) END AS conversion_rate
  FROM mixmodel.attribution_paths p
  JOIN mixmodel.attributions a ON a.name = p.attribution AND a.current_run = p.run
  JOIN mixmodel.attribution_runs r ON r.attribution = p.attribution AND r.run = p.run;
COMMENT ON VIEW mixmodel.attribution_top_paths IS 'Conversion paths of the current run of each attribution, ranked by conversions (Adobe''s top conversion paths): distinct channels, conversions, revenue, non-converting journeys, share of the converting paths'' conversions and the path''s conversion rate (NULL when the run has no non-converting journeys).';
COMMENT ON COLUMN mixmodel.attribution_top_paths.path IS 'touch keys joined by '' > '' (after the transforms)';
COMMENT ON COLUMN mixmodel.attribution_top_paths.channels IS 'distinct channels on the path (Adobe''s channels with impact)';

CREATE VIEW mixmodel.attribution_positions WITH (security_invoker = true) AS
SELECT c.attribution, c.run, c.model, c.channel, c.starter, c.player, c.closer,
       c.starter / nullif(sum(c.starter) OVER w, 0) AS starter_share,
       c.player / nullif(sum(c.player) OVER w, 0) AS player_share,
       c.closer / nullif(sum(c.closer) OVER w, 0) AS closer_share
  FROM mixmodel.attribution_channels c
  JOIN mixmodel.attributions a ON a.name = c.attribution AND a.current_run = c.run
 WHERE c.channel NOT IN ('none', 'baseline')
WINDOW w AS (PARTITION BY c.attribution, c.model);
COMMENT ON VIEW mixmodel.attribution_positions IS 'Breakdown by touchpoint position (Adobe''s starter, player, closer) of the current run of each attribution: the conversions each channel gets as first, middle and last touch under each model, and its share of each position (shares sum to 1 per model and position).';

CREATE VIEW mixmodel.touchpoint_effectiveness WITH (security_invoker = true) AS
SELECT t.attribution, t.run, t.channel, t.touches, t.converting_paths, t.non_converting_paths,
       t.converting_share, t.non_converting_share, t.conversion_rate, t.removal_effect,
       t.incremental_per_touch, t.efficiency
  FROM mixmodel.attribution_touchpoints t
  JOIN mixmodel.attributions a ON a.name = t.attribution AND a.current_run = t.run;
COMMENT ON VIEW mixmodel.touchpoint_effectiveness IS 'Touchpoint effectiveness of the current run of each attribution (Adobe''s Diagnostics table): volume, paths touched (converting and non-converting), conversion rate, removal effect, incremental conversions per touch and efficiency 1-5.';
